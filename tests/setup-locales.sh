#!/usr/bin/env bash
# Generate the locales the test suite and the translations need, on Debian:
# de_DE.UTF-8 (a decimal comma: the weight files must not follow it) and
# zh_CN.UTF-8 (the Chinese interface). Idempotent: does nothing when both are
# there; otherwise installs the `locales` package if needed, enables the two
# lines of /etc/locale.gen and runs locale-gen (as root, or through sudo).
# Never fails the build: the tests that need a locale print SKIP without it.
set -u
want="de_DE.UTF-8 zh_CN.UTF-8"

have() { # have de_DE.UTF-8 -> true when `locale -a` lists it (as de_DE.utf8)
	local norm
	norm=$(printf '%s' "${1%%.*}.utf8")
	locale -a 2>/dev/null | grep -qix -- "$norm"
}

missing=""
for l in $want; do have "$l" || missing="$missing $l"; done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
echo "attnviz: generating locales:$missing"
if ! command -v locale-gen >/dev/null 2>&1 || [ ! -d /usr/share/i18n/locales ]; then
	$SUDO apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq locales >/dev/null ||
		{ echo "attnviz: could not install the locales package; locale tests will SKIP" >&2; exit 0; }
fi
for l in $missing; do
	line="$l UTF-8"
	if grep -qx "# *$line" /etc/locale.gen 2>/dev/null; then
		$SUDO sed -i "s/^# *$line\$/$line/" /etc/locale.gen
	elif ! grep -qx "$line" /etc/locale.gen 2>/dev/null; then
		echo "$line" | $SUDO tee -a /etc/locale.gen >/dev/null
	fi
done
$SUDO locale-gen >/dev/null ||
	{ echo "attnviz: locale-gen failed; locale tests will SKIP" >&2; exit 0; }
for l in $missing; do
	have "$l" || echo "attnviz: locale $l still missing; its tests will SKIP" >&2
done
exit 0
