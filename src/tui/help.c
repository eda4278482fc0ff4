/* Help overlay text, generated from the key table: see help.h. */
#include "tui/help.h"

#include <stdio.h>
#include <string.h>

#include "tui/i18n.h"
#include "tui/keymap.h"

#define KEYS_W 16

void help_build(popup_text *p, bool utf8)
{
	int count;
	const help_entry *h = keymap_help(&count);
	popup_reset(p, _("attnviz keys"));
	for (int i = 0; i < count; i++) {
		char keys[128];
		keymap_keys_of(keys, sizeof keys, &h[i], utf8);
		popup_add_labelled(p, KEYS_W, keys, _(h[i].desc), utf8);
	}
	popup_add_labelled(p, KEYS_W, _("mouse"),
			   _("click a token: go to its step; click a cell: select it"), utf8);
	snprintf(p->footer, sizeof p->footer, "%s", _("j/k scroll, any other key closes"));
}
