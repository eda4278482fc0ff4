# attnviz — build, test, install.
#   make          build build/attnviz
#   make run      build, then start attnviz on the default sentence
#   make check    build, then run every test (layers check + Check unit tests + CLI + tmux end-to-end)
#   make layers   fail on an #include against the layers (tests/layers.sh)
# Missing libraries are installed with apt-get (make deps) before building.

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
MANDIR   = $(PREFIX)/share/man/man1
DATADIR  = $(PREFIX)/share/attnviz
LOCALEDIR = $(PREFIX)/share/locale
MANDIR_ZH = $(PREFIX)/share/man/zh_CN/man1

BUILD   ?= build
CC      ?= cc
OPT     ?= -O2 -g
WERROR  ?=
SAN     ?=
WARN     = -std=c11 -Wall -Wextra -Wshadow $(WERROR)
# Never -ffast-math: the mask relies on -inf and exact IEEE behaviour.

PKG_CORE = openblas
PKG_TUI  = ncursesw
PKG_JSON = jansson
PKG_TEST = check
CFLAGS_CORE = $(shell pkg-config --cflags $(PKG_CORE) 2>/dev/null)
LIBS_CORE   = $(shell pkg-config --libs $(PKG_CORE) 2>/dev/null) -lm
CFLAGS_TUI  = $(shell pkg-config --cflags $(PKG_TUI) 2>/dev/null)
LIBS_TUI    = $(shell pkg-config --libs $(PKG_TUI) 2>/dev/null)
CFLAGS_JSON = $(shell pkg-config --cflags $(PKG_JSON) 2>/dev/null)
LIBS_JSON   = $(shell pkg-config --libs $(PKG_JSON) 2>/dev/null)
CFLAGS_TEST = $(shell pkg-config --cflags $(PKG_TEST) 2>/dev/null)
LIBS_TEST   = $(shell pkg-config --libs $(PKG_TEST) 2>/dev/null)

# Include paths by layer: the core sees include/ alone (it cannot reach a
# front end's header); the layers above also see src/. `make layers` checks
# the direction of every #include (tests/layers.sh).
CPPFLAGS_CORE = -Iinclude
CPPFLAGS_FRONT = -Iinclude -Isrc
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -DATTNVIZ_DATADIR='"$(DATADIR)"' \
	    -DATTNVIZ_LOCALEDIR='"$(LOCALEDIR)"'
ALLFLAGS  = $(WARN) $(OPT) $(SAN) $(CFLAGS) -MMD -MP

CORE_SRC := $(wildcard src/core/*.c)
TUI_SRC  := $(wildcard src/tui/*.c)
CLI_SRC  := $(wildcard src/cli/*.c)
# fmt (number formatter, palette) and i18n (the interface language) sit under
# every front end: linked with the formats.
OUT_SRC  := $(wildcard src/fmt/*.c src/i18n/*.c src/formats/*.c)
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
TUI_OBJ  := $(TUI_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
OUT_OBJ  := $(OUT_SRC:%.c=$(BUILD)/%.o)
# Tests: check_tui*.c link the TUI (and ncurses); the others link the core alone.
TEST_SRC     := $(wildcard tests/check_*.c)
TEST_TUI_SRC := $(filter tests/check_tui%.c,$(TEST_SRC))
TEST_CORE_SRC:= $(filter-out $(TEST_TUI_SRC),$(TEST_SRC))
TEST_BIN     := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)

BIN = $(BUILD)/attnviz
CORE_LIB = $(BUILD)/libattnviz-core.a

# Translations: po/LL.po -> $(BUILD)/locale/LL/LC_MESSAGES/attnviz.mo, found
# there by a binary run from the build tree (src/i18n/lang.c), installed under
# $(LOCALEDIR). po/attnviz.pot is made by `make pot` from every source.
LINGUAS  = zh_CN
MO_FILES = $(LINGUAS:%=$(BUILD)/locale/%/LC_MESSAGES/attnviz.mo)
POT_SRC  = $(sort $(wildcard src/*/*.c src/*/*.h include/attnviz/*.h))
XGETTEXT_FLAGS = --from-code=UTF-8 --language=C --keyword --keyword=_ --keyword=N_ \
	--keyword=ngettext:1,2 --keyword=dngettext:2,3 \
	--add-comments=TRANSLATORS: --package-name=attnviz --sort-by-file

.PHONY: models
.PHONY: all run check layers unit e2e po-check pot asan valgrind deps deps-check clean install uninstall \
	bench bench-ui bench-peer bench-kernels bench-ab fuzz soak coverage
all: $(BIN) $(MO_FILES)

$(BUILD)/src/core/%.o: src/core/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_CORE) $(CPPFLAGS) $(CFLAGS_CORE) $(ALLFLAGS) -c $< -o $@
$(BUILD)/src/tui/%.o: src/tui/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_FRONT) $(CPPFLAGS) $(CFLAGS_CORE) $(CFLAGS_TUI) $(ALLFLAGS) -c $< -o $@
$(BUILD)/src/fmt/%.o: src/fmt/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_FRONT) $(CPPFLAGS) $(CFLAGS_CORE) $(ALLFLAGS) -c $< -o $@
$(BUILD)/src/i18n/%.o: src/i18n/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_FRONT) $(CPPFLAGS) $(ALLFLAGS) -c $< -o $@
$(BUILD)/src/formats/%.o: src/formats/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_FRONT) $(CPPFLAGS) $(CFLAGS_CORE) $(CFLAGS_JSON) $(ALLFLAGS) -c $< -o $@
$(BUILD)/src/cli/%.o: src/cli/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_FRONT) $(CPPFLAGS) $(CFLAGS_CORE) $(CFLAGS_TUI) $(CFLAGS_JSON) $(ALLFLAGS) -c $< -o $@
$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_FRONT) $(CPPFLAGS) $(CFLAGS_CORE) $(CFLAGS_TUI) $(CFLAGS_TEST) $(CFLAGS_JSON) $(ALLFLAGS) -c $< -o $@

$(CORE_LIB): $(CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/locale/%/LC_MESSAGES/attnviz.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

# The catalogues come with the binary, so that every run from the build tree
# (make run, the tests, the ASan build) can speak every language.
$(BIN): $(CLI_OBJ) $(TUI_OBJ) $(OUT_OBJ) $(CORE_LIB) | $(MO_FILES)
	$(CC) $(SAN) -o $@ $(CLI_OBJ) $(TUI_OBJ) $(OUT_OBJ) $(CORE_LIB) $(LIBS_TUI) $(LIBS_JSON) $(LIBS_CORE) -lpthread

# Core tests: the core and the output formats (no ncurses), jansson for JSON,
# and the CLI's pure helpers (the strict number parser).
CLI_PURE_OBJ := $(BUILD)/src/cli/cliarg.o
$(TEST_CORE_SRC:tests/%.c=$(BUILD)/tests/%): $(BUILD)/tests/%: $(BUILD)/tests/%.o $(OUT_OBJ) $(CLI_PURE_OBJ) $(CORE_LIB)
	$(CC) $(SAN) -o $@ $< $(OUT_OBJ) $(CLI_PURE_OBJ) $(CORE_LIB) $(LIBS_TEST) $(LIBS_JSON) $(LIBS_CORE) -lpthread
# TUI tests: the TUI and output-format objects and ncurses as well.
$(TEST_TUI_SRC:tests/%.c=$(BUILD)/tests/%): $(BUILD)/tests/%: $(BUILD)/tests/%.o $(TUI_OBJ) $(OUT_OBJ) $(CORE_LIB) | $(MO_FILES)
	$(CC) $(SAN) -o $@ $< $(TUI_OBJ) $(OUT_OBJ) $(CORE_LIB) $(LIBS_TEST) $(LIBS_TUI) $(LIBS_JSON) $(LIBS_CORE) -lpthread

# ---- dependencies (Debian packages) -------------------------------------
# pkg-config module or command -> Debian package
DEPS_PKGCONFIG = ncursesw:libncurses-dev openblas:libopenblas-dev check:check jansson:libjansson-dev
DEPS_COMMANDS  = pkg-config:pkg-config tmux:tmux cc:gcc xmllint:libxml2-utils msgfmt:gettext
deps-check:
	@missing=""; \
	for c in $(DEPS_COMMANDS); do command -v $${c%%:*} >/dev/null 2>&1 || missing="$$missing $${c#*:}"; done; \
	for p in $(DEPS_PKGCONFIG); do pkg-config --exists $${p%%:*} 2>/dev/null || missing="$$missing $${p#*:}"; done; \
	if [ -n "$$missing" ]; then \
		echo "attnviz: installing missing Debian packages:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing || \
		{ echo "attnviz: could not install:$$missing (run as root or with sudo)" >&2; exit 1; }; \
	fi
	@bash tests/setup-locales.sh
deps: deps-check

# ---- user commands -------------------------------------------------------
run: deps-check
	@$(MAKE) --no-print-directory $(BIN)
	$(BIN)

check: deps-check
	@$(MAKE) --no-print-directory $(BIN) $(TEST_BIN) $(BUILD)/bench_kernels $(BUILD)/bench_ab.o
	@$(MAKE) --no-print-directory layers unit e2e po-check

# Every #include goes from a higher layer to a lower one (text -> core ->
# fmt -> tui / formats; cli on top); fails naming the edge that does not.
layers:
	@bash tests/layers.sh

# The catalogue is current with the sources and every message is translated
# (a new English string without its translation fails here).
po-check:
	@XGETTEXT_FLAGS='$(XGETTEXT_FLAGS)' POT_SRC='$(POT_SRC)' bash tests/check_po.sh

# Extract every _()/N_() string into po/attnviz.pot and merge it into each
# po/LL.po (new strings arrive untranslated: translate them, see po/GLOSSARY.md).
pot:
	xgettext $(XGETTEXT_FLAGS) -o po/attnviz.pot $(POT_SRC)
	@for l in $(LINGUAS); do msgmerge --quiet --update --backup=none po/$$l.po po/attnviz.pot; done
	@for l in $(LINGUAS); do printf '%s: ' po/$$l.po; msgfmt --statistics -o /dev/null po/$$l.po; done

# Run every Check binary; ATTNVIZ_BIN lets CLI tests run the program. The
# tests speak English unless they ask for Chinese (LANGUAGE=en whatever the
# user's locale; the Chinese tests set --lang or LANGUAGE themselves).
unit: $(BIN) $(TEST_BIN)
	@fail=0; for t in $(TEST_BIN); do \
		LANGUAGE=en ATTNVIZ_BIN=$(abspath $(BIN)) ATTNVIZ_ASSETS=$(abspath assets) $$t || fail=1; \
	done; exit $$fail

# tmux end-to-end tests (tests/e2e/*.sh), each given the binary to drive.
e2e: $(BIN)
	@fail=0; for s in $(sort $(wildcard tests/e2e/test_*.sh)); do \
		LANGUAGE=en ATTNVIZ_BIN=$(abspath $(BIN)) bash $$s || fail=1; \
	done; exit $$fail

# The whole test suite under ASan + UBSan, in its own build directory.
asan: deps-check
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g" \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		build-asan/attnviz $(TEST_BIN:$(BUILD)/%=build-asan/%)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g" \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" unit e2e

# The unit tests under valgrind (no fork, one BLAS thread).
valgrind: deps-check
	@command -v valgrind >/dev/null || { echo "attnviz: installing valgrind"; apt-get install -y -qq valgrind; }
	@$(MAKE) --no-print-directory $(BIN) $(TEST_BIN)
	@fail=0; for t in $(TEST_BIN); do \
		echo "valgrind $$t"; \
		CK_FORK=no OPENBLAS_NUM_THREADS=1 ATTNVIZ_BIN=$(abspath $(BIN)) ATTNVIZ_ASSETS=$(abspath assets) \
		valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
			$$t >/dev/null || fail=1; \
	done; exit $$fail

# Line coverage per layer (gcovr, installed on demand): the whole test suite
# on a --coverage build in build-cov, then tests/coverage.sh prints core, tui,
# formats, cli and whole, and fails below the floors (core 95%, whole 90%).
# Not part of make check.
COV = BUILD=build-cov OPT="-O0 -g" SAN="--coverage"
coverage: deps-check
	@command -v gcovr >/dev/null || { echo "attnviz: installing gcovr"; \
		if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq gcovr; else sudo apt-get install -y -qq gcovr; fi; }
	@$(MAKE) --no-print-directory $(COV) build-cov/attnviz $(TEST_BIN:$(BUILD)/%=build-cov/%)
	@find build-cov -name '*.gcda' -delete
	@$(MAKE) --no-print-directory $(COV) unit e2e; tests=$$?; \
		bash tests/coverage.sh build-cov; cov=$$?; \
		[ $$tests = 0 ] || echo "attnviz: some tests failed; coverage is of the runs that finished" >&2; \
		exit $$(( tests || cov ))

# ---- benchmarks, fuzzing, soak (not part of make check) ------------------
bench: $(BIN)
	$(BIN) bench

bench-peer: $(BIN)
	bash bench/peer.sh $(abspath $(BIN))

# The working tree's core against revision REV's, in one process, calls
# alternating: a change of a few percent, and whether it changes any bit.
bench-ab:
	@[ -n "$(REV)" ] || { echo "make bench-ab: say which revision, e.g. make bench-ab REV=HEAD~1" >&2; exit 2; }
	bash bench/ab.sh $(REV)

# Compiled by make check so that it does not rot (bench/ab.sh links it).
$(BUILD)/bench_ab.o: bench/ab.c
	$(CC) $(CPPFLAGS_CORE) $(CPPFLAGS) $(ALLFLAGS) -c $< -o $@

# Where the training pass's time goes: the tile products alone (hot cache)
# against the whole pass, as shares of this core's FMA peak.
bench-kernels: $(BUILD)/bench_kernels
	$(BUILD)/bench_kernels

$(BUILD)/bench_kernels: bench/kernels.c $(CORE_LIB)
	$(CC) $(CPPFLAGS_FRONT) $(CPPFLAGS) $(CFLAGS_CORE) $(ALLFLAGS) -o $@ $< $(CORE_LIB) $(LIBS_CORE) -lpthread

bench-ui: deps-check
	@command -v python3 >/dev/null || { echo "attnviz: installing python3 (bench-ui times the first frame on a pty with it)"; \
		if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq python3; else sudo apt-get install -y -qq python3; fi; }
	@$(MAKE) --no-print-directory $(BIN) $(BUILD)/bench_ui
	$(BUILD)/bench_ui
	bash bench/first_frame.sh $(abspath $(BIN))

$(BUILD)/bench_ui: bench/bench_ui.c $(TUI_OBJ) $(OUT_OBJ) $(CORE_LIB)
	$(CC) $(CPPFLAGS_FRONT) $(CPPFLAGS) $(CFLAGS_CORE) $(CFLAGS_TUI) $(ALLFLAGS) -o $@ $< $(TUI_OBJ) $(OUT_OBJ) $(CORE_LIB) $(LIBS_TUI) $(LIBS_JSON) $(LIBS_CORE) -lpthread

FUZZ_TIME ?= 60
fuzz:
	bash tests/fuzz/run.sh $(FUZZ_TIME)

soak: deps-check
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g" \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" build-asan/attnviz
	bash tests/e2e/soak.sh $(abspath build-asan/attnviz)

# ---- trained models (issue 9) ------------------------------------------
# assets/models/*.weights are committed; `make models` reproduces them
# (deterministic: one BLAS thread, a fixed seed; at most 60 s each on one core).
MODEL_FLAGS = --steps 3000 --dim 16 --hidden 16 --heads 1 --positional --mask causal \
	      --batch 16 --lr 0.01 --optimizer adam --clip 1 --heldout 0.1 --seed 685 --threads 1
models: $(BIN)
	@mkdir -p assets/models
	OPENBLAS_NUM_THREADS=1 $(BIN) train --corpus assets/corpus/en.txt $(MODEL_FLAGS) \
		--out assets/models/en.weights
	OPENBLAS_NUM_THREADS=1 $(BIN) train --corpus assets/corpus/zh.txt $(MODEL_FLAGS) \
		--out assets/models/zh.weights

# ---- install -------------------------------------------------------------
install: $(BIN) $(MO_FILES)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(MANDIR_ZH) $(DESTDIR)$(DATADIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/attnviz
	install -m 644 man/attnviz.1 $(DESTDIR)$(MANDIR)/attnviz.1
	install -m 644 man/zh_CN/attnviz.1 $(DESTDIR)$(MANDIR_ZH)/attnviz.1
	for l in $(LINGUAS); do \
		install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
		install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/attnviz.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/attnviz.mo; \
	done
	cp -R assets/. $(DESTDIR)$(DATADIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/attnviz $(DESTDIR)$(MANDIR)/attnviz.1 $(DESTDIR)$(MANDIR_ZH)/attnviz.1
	for l in $(LINGUAS); do rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/attnviz.mo; done
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-asan build-fuzz build-cov

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# Developer tool (not run by CI): regenerate assets/corpus/*.txt in memory and
# check they are identical to the committed files; prints sizes and baselines.
.PHONY: corpus
corpus:
	python3 assets/corpus/gen_corpus.py --check
