#!/usr/bin/env bash
# The layers of attnviz, lowest first, and what each may include:
#   core     include/attnviz, src/core   -> attnviz/ (and its own folder)
#   fmt      src/fmt                     -> attnviz/, fmt/
#   i18n     src/i18n                    -> attnviz/, i18n/  (the interface language)
#   tui      src/tui                     -> attnviz/, fmt/, i18n/, tui/
#   formats  src/formats                 -> attnviz/, fmt/, i18n/, formats/
#   cli      src/cli                     -> anything
# A quoted #include outside these sets is a back edge (or a sideways one
# between the front ends): print it and fail. Also: only the TUI files
# that draw or read keys may include curses (through tui/screen.h).
# Curses counts through project headers: a file that includes a project
# header which (at any depth) includes curses includes curses, and the
# message names the chain of headers.
# Usage: tests/layers.sh [ROOT]   (ROOT defaults to the repository)
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2
fail=0

allowed() { # layer include-path -> 0 if allowed
	local layer=$1 inc=$2
	case $layer in
	core) [[ $inc == attnviz/* || $inc != */* ]] ;;
	fmt) [[ $inc == attnviz/* || $inc == fmt/* ]] ;;
	i18n) [[ $inc == attnviz/* || $inc == i18n/* ]] ;;
	tui) [[ $inc == attnviz/* || $inc == fmt/* || $inc == i18n/* || $inc == tui/* ]] ;;
	formats) [[ $inc == attnviz/* || $inc == fmt/* || $inc == i18n/* || $inc == formats/* ]] ;;
	cli) true ;;
	*) false ;;
	esac
}

layer_of() {
	case $1 in
	include/attnviz/* | src/core/*) echo core ;;
	src/fmt/*) echo fmt ;;
	src/i18n/*) echo i18n ;;
	src/tui/*) echo tui ;;
	src/formats/*) echo formats ;;
	src/cli/*) echo cli ;;
	*) echo unknown ;;
	esac
}

# The project file a quoted #include names, seen from file $1.
resolve() {
	case $2 in
	attnviz/*) echo "include/$2" ;;
	*/*) echo "src/$2" ;;
	*) echo "$(dirname "$1")/$2" ;;
	esac
}

curses_re='^[[:space:]]*#[[:space:]]*include[[:space:]]*<(ncursesw/)?(n?curses|term)\.h>'
declare -A chain_of # file -> "" (no curses) or its chain down to curses
# Sets chain_of[$1]: how file $1 reaches curses ("<curses.h>" when it
# includes it itself, "tui/x.h -> <curses.h>" through a header), or "".
curses_chain() {
	local f=$1 inc h
	[ -n "${chain_of[$f]+set}" ] && return
	chain_of[$f]="" # a cycle of includes ends here (guards stop it anyway)
	if grep -qE "$curses_re" "$f"; then
		chain_of[$f]="<curses.h>"
		return
	fi
	while IFS= read -r inc; do
		h=$(resolve "$f" "$inc")
		[ -f "$h" ] || continue
		curses_chain "$h"
		if [ -n "${chain_of[$h]}" ]; then
			chain_of[$f]="$inc -> ${chain_of[$h]}"
			return
		fi
	done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
}

while IFS= read -r f; do
	layer=$(layer_of "$f")
	while IFS=: read -r line inc; do
		[ -n "$inc" ] || continue
		if ! allowed "$layer" "$inc"; then
			echo "layers: $f:$line: the $layer layer includes \"$inc\" (a higher or sibling layer)" >&2
			fail=1
		fi
	done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
		 sed 's/^\([0-9]*\):.*"\([^"]*\)".*/\1:\2/')
	# the core, fmt and the formats never see curses, even through a header
	curses_chain "$f"
	if [ "$layer" != tui ] && [ "$layer" != cli ] && [ -n "${chain_of[$f]}" ]; then
		echo "layers: $f: the $layer layer includes curses (${chain_of[$f]})" >&2
		fail=1
	fi
done < <(find include src -name '*.[ch]' | sort)

# Curses only where the TUI draws or reads keys: files that include
# tui/screen.h (the curses include), directly or through another header,
# must be in this list.
curses_ok=" app.c screen.c screen.h editor.c keymap.c popup.c help.c colors.c colors.h "
curses_ok+=" frame.c grid.c tokens.c caption.c info.c detail.c status_bar.c wrap.c wrap.h "
curses_ok+=" panel_table.c panels.h editor.h keymap.h popup.h help.h heat.c "
curses_ok+=" predictions.c plot.c frame.h "
for f in src/tui/*.[ch]; do
	b=$(basename "$f")
	curses_chain "$f"
	if [ -n "${chain_of[$f]}" ] && [[ $curses_ok != *" $b "* ]]; then
		echo "layers: $f includes curses (${chain_of[$f]}) but neither draws nor reads keys (a new file that draws: add it to curses_ok in $0)" >&2
		fail=1
	fi
done

[ $fail = 0 ] && echo "layers: every include goes down (core <- fmt, i18n <- tui, formats <- cli)"
exit $fail
