/* Keystroke notation: "ll<Enter>" -> key codes, and back. */
#include "attnviz/keys.h"
#include "attnviz/i18n.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "attnviz/tokenize.h"

static const struct {
	const char *name;
	int key;
} key_names[] = {
	{ "Left", AV_KEY_LEFT },   { "Right", AV_KEY_RIGHT },	  { "Up", AV_KEY_UP },
	{ "Down", AV_KEY_DOWN },   { "Home", AV_KEY_HOME },	  { "End", AV_KEY_END },
	{ "PgUp", AV_KEY_PGUP },   { "PgDn", AV_KEY_PGDN },	  { "Enter", AV_KEY_ENTER },
	{ "Esc", AV_KEY_ESC },     { "Tab", AV_KEY_TAB },	  { "BTab", AV_KEY_BTAB },
	{ "Space", ' ' },          { "Backspace", AV_KEY_BACKSPACE }, { "Del", AV_KEY_DEL },
	{ "lt", '<' },
};

int av_keys_parse(int *keys, int max, const char *text, size_t len, av_error *err)
{
	int n = 0;
	for (size_t pos = 0; pos < len;) {
		int key;
		if (text[pos] == '<') {
			const char *close = memchr(text + pos, '>', len - pos);
			size_t name_len = close ? (size_t)(close - text - pos - 1) : 0;
			key = -1;
			for (size_t k = 0; close && k < sizeof key_names / sizeof key_names[0]; k++)
				if (strlen(key_names[k].name) == name_len &&
				    strncasecmp(key_names[k].name, text + pos + 1, name_len) == 0)
					key = key_names[k].key;
			if (key < 0) {
				int show = close ? (int)name_len : (int)(len - pos - 1);
				if (show > 20)
					show = 20;
				av_error_set(err, AV_ERR_PARSE,
					     _("unknown key name '<%.*s%s' at byte %zu: use a character or "
					     "<Left> <Right> <Up> <Down> <Home> <End> <PgUp> <PgDn> "
					     "<Enter> <Esc> <Tab> <BTab> <Space> <Backspace> <Del> <lt>"),
					     show, text + pos + 1, close ? ">" : "", pos);
				return -1;
			}
			pos += name_len + 2;
		} else {
			unsigned cp;
			int k = av_utf8_decode(text + pos, len - pos, &cp);
			if (k == 0 || cp == 0) {
				av_error_set(err, AV_ERR_UTF8, _("invalid UTF-8 in keys at byte %zu"), pos);
				return -1;
			}
			key = (int)cp;
			pos += (size_t)k;
		}
		if (n >= max) {
			av_error_set(err, AV_ERR_RANGE, _("too many keys: at most %d"), max);
			return -1;
		}
		keys[n++] = key;
	}
	return n;
}

const char *av_key_name(int key, char *buf, size_t len)
{
	for (size_t k = 0; k < sizeof key_names / sizeof key_names[0]; k++)
		if (key_names[k].key == key && key >= AV_KEY_BASE) {
			snprintf(buf, len, "<%s>", key_names[k].name);
			return buf;
		}
	if (key == '<') {
		snprintf(buf, len, "<lt>");
	} else if (key == ' ') {
		snprintf(buf, len, "<Space>");
	} else if (key > 0 && key < 0x80) {
		snprintf(buf, len, "%c", key);
	} else if (key >= 0x80 && key < AV_KEY_BASE) {
		char utf8[5] = { 0 };
		if (av_utf8_encode(utf8, (unsigned)key) == 0)
			utf8[0] = '?';
		snprintf(buf, len, "%s", utf8);
	} else {
		snprintf(buf, len, "?");
	}
	return buf;
}
