/* Help overlay text, generated from the key table: see help.h. */
#include "tui/help.h"

#include <stdio.h>
#include <string.h>

#include "tui/i18n.h"
#include "tui/keymap.h"
#include "tui/screen.h"

#define KEYS_W 16
/* Every help line fits an 80-column screen: the box adds 4 columns. */
#define HELP_LINE_W 76

/* Add "keys  text", the text wrapped under itself to HELP_LINE_W (at spaces,
 * and between Chinese characters). */
static void add_wrapped(popup_text *p, const char *keys, const char *text, bool utf8)
{
	int kw = screen_width(keys, utf8);
	int indent = kw < KEYS_W ? KEYS_W : kw + 1;
	int room = HELP_LINE_W - indent;
	const char *label = keys;
	char line[POPUP_LINE_BYTES];
	while (*text == ' ')
		text++;
	while (*text) {
		size_t take, next;
		screen_break(text, room, utf8, &take, &next);
		if (take >= sizeof line)
			take = next = sizeof line - 1; /* never in practice: a line is < 80 columns */
		memcpy(line, text, take);
		line[take] = '\0';
		popup_add_labelled(p, indent, label, line, utf8);
		label = "";
		text += next;
	}
}

void help_build(popup_text *p, bool utf8)
{
	int count;
	const help_entry *h = keymap_help(&count);
	popup_reset(p, _("attnviz keys"));
	for (int i = 0; i < count; i++) {
		char keys[128];
		keymap_keys_of(keys, sizeof keys, &h[i], utf8);
		add_wrapped(p, keys, keymap_help_desc(&h[i], utf8), utf8);
	}
	add_wrapped(p, _("mouse"), _("click a token: go to its step; click a cell: select it"),
		    utf8);
	snprintf(p->footer, sizeof p->footer, "%s", _("j/k scroll, any other key closes"));
}
