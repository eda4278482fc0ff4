#!/usr/bin/env bash
# The SVG export as a slide (issue 10, item 8), checked by parsing it with
# xmllint: the six panels and the legend are there, a 17-word sentence
# still gives a 16:9 slide no wider than 1920, every number's colour has a
# contrast of at least 4.5:1 against its cell (WCAG), masked scores print
# -inf and masked weights 0 (as the TUI), and leaks are marked under none.
set -u
: "${ATTNVIZ_BIN:?set ATTNVIZ_BIN to the attnviz binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }

# xpath FILE EXPR: the matches, one per line (attribute values or text)
xpath() {
	xmllint --xpath "$2" "$1" 2>/dev/null | sed 's/ fill="\([^"]*\)"/\1\n/g' | sed '/^$/d'
}
g() { echo "//*[local-name()='g'][@$1]"; }

long="one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen"
for mask in causal none; do
	svg="$tmp/$mask.svg"
	"$ATTNVIZ_BIN" --untrained --mask "$mask" -s "$long" --export "$svg" >/dev/null 2>&1 ||
		{ bad "$mask: export failed"; continue; }
	xmllint --noout "$svg" && ok || bad "$mask: not well-formed"
	for id in panel-rnn panel-scores panel-mask panel-masked panel-softmax panel-z legend; do
		[ -n "$(xmllint --xpath "count($(g "id='$id'"))" "$svg" | grep -x 1)" ] && ok ||
			bad "$mask: no $id"
	done
	w=$(xmllint --xpath "string(/*/@width)" "$svg")
	h=$(xmllint --xpath "string(/*/@height)" "$svg")
	[ "$w" -le 1920 ] && [ $((w * 9)) = $((h * 16)) ] && ok ||
		bad "$mask: 17 words give ${w}x${h}, not a 16:9 slide of width <= 1920"
	# every cell with a number: text colour against fill, contrast >= 4.5
	xpath "$svg" "$(g "class='cell'")[*[local-name()='text']]/*[local-name()='rect']/@fill" >"$tmp/fill"
	xpath "$svg" "$(g "class='cell'")/*[local-name()='text']/@fill" >"$tmp/text"
	cells=$(wc -l <"$tmp/fill")
	[ "$cells" -gt 1000 ] && [ "$cells" = "$(wc -l <"$tmp/text")" ] && ok ||
		bad "$mask: $cells cell fills, $(wc -l <"$tmp/text") text colours"
	worst=$(paste "$tmp/fill" "$tmp/text" | awk '
		function lin(c) { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ^ 2.4 }
		function hex(s, i) { return index("0123456789abcdef", tolower(substr(s, i, 1))) - 1 }
		function byte(s, i) { return hex(s, i) * 16 + hex(s, i + 1) }
		function lum(s) { return 0.2126 * lin(byte(s, 2)) + 0.7152 * lin(byte(s, 4)) + 0.0722 * lin(byte(s, 6)) }
		BEGIN { worst = 99 }
		{ a = lum($1); b = lum($2); r = a > b ? (a + .05) / (b + .05) : (b + .05) / (a + .05)
		  if (r < worst) { worst = r; pair = $1 " " $2 } }
		END { printf "%.2f %s\n", worst, pair }')
	awk -v w="${worst%% *}" 'BEGIN { exit !(w >= 4.5) }' && ok ||
		bad "$mask: a number with contrast $worst (want >= 4.5)"
	# the softmax panel's numbers; the masked scores panel's
	xmllint --xpath "$(g "id='panel-softmax'")//*[local-name()='g']/*[local-name()='text']/text()" "$svg" 2>/dev/null |
		tr -s ' \n' '\n\n' >"$tmp/soft"
	xmllint --xpath "$(g "id='panel-masked'")//*[local-name()='g']/*[local-name()='text']/text()" "$svg" >"$tmp/masked" 2>/dev/null
	n=17 upper=$((17 * 16 / 2))
	leaks=$(grep -c '!$' "$tmp/soft")
	zeros=$(grep -cx '0' "$tmp/soft")
	if [ "$mask" = causal ]; then
		[ "$zeros" = "$upper" ] && ok || bad "causal: $zeros weights print 0 (want $upper)"
		! grep -qx '0\.00' "$tmp/soft" && ok || bad "causal: a masked weight prints 0.00"
		[ "$leaks" = 0 ] && ok || bad "causal: $leaks leak marks"
		[ "$(grep -o '−∞' "$tmp/masked" | wc -l)" = "$upper" ] && ok ||
			bad "causal: masked scores without −∞"
	else
		[ "$leaks" = "$upper" ] && ok || bad "none: $leaks leak marks (want $upper)"
		xmllint --xpath "count(//*[local-name()='rect'][@class='leak'])" "$svg" | grep -qx "$upper" && ok ||
			bad "none: leak outlines"
		grep -q 'a leak' "$svg" && ok || bad "none: the legend does not explain !"
	fi
done
echo "e2e slide: $pass passed, $fail failed"
[ "$fail" = 0 ]
