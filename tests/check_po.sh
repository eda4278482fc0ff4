#!/usr/bin/env bash
# The translations are complete and current: po/attnviz.pot holds exactly the
# strings the sources mark with _()/N_(), and every po/LL.po translates every
# one of them (0 fuzzy, 0 untranslated; msgfmt --check also compares the
# printf formats of each translation with its English original).
set -u
cd "$(dirname "$0")/.."
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the Makefile passes its own extraction flags and file list (make po-check)
: "${XGETTEXT_FLAGS:?run through make po-check}" "${POT_SRC:?run through make po-check}"
# shellcheck disable=SC2086
xgettext $XGETTEXT_FLAGS -o "$tmp/fresh.pot" $POT_SRC || { echo "check_po: xgettext failed"; exit 1; }

# msgids only, one per record, to compare the two .pot files
ids() { msgcat --no-location --no-wrap --sort-output "$1" | grep -v '^#' ; }
if ! diff <(ids "$tmp/fresh.pot" | sed '/^"POT-Creation-Date/d') \
	  <(ids po/attnviz.pot | sed '/^"POT-Creation-Date/d') >"$tmp/pot.diff"; then
	echo "check_po: FAIL po/attnviz.pot is out of date with the sources: run make pot"
	grep '^[<>] msgid' "$tmp/pot.diff" | head -10
	fail=1
fi
for po in po/*.po; do
	stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1) || {
		echo "check_po: FAIL $po: msgfmt --check: $stats"; fail=1; continue; }
	case "$stats" in
	*fuzzy* | *untranslated*) echo "check_po: FAIL $po: $stats"; fail=1 ;;
	*" translated message"*) ;;
	*) echo "check_po: FAIL $po: unexpected msgfmt output: $stats"; fail=1 ;;
	esac
	# every string the sources use is translated in this .po
	if ! msgcmp "$po" "$tmp/fresh.pot" 2>"$tmp/cmp"; then
		echo "check_po: FAIL $po lacks translations for strings in the sources (run make pot):"
		head -6 "$tmp/cmp"
		fail=1
	fi
	[ $fail = 0 ] && echo "check_po: $po: $stats"
done
exit $fail
