/* Keys to actions: one table, which the help overlay also reads, so that
 * every key the help lists is a key the program handles. */
#ifndef ATTNVIZ_TUI_KEYMAP_H
#define ATTNVIZ_TUI_KEYMAP_H

#include <stdbool.h>
#include "tui/view.h"

/* Where a binding applies: everywhere, or only while a quiz is on (where
 * it wins over the others: 1/0/y/n answer, Enter picks a column). */
typedef enum { KEYS_MAIN, KEYS_QUIZ } key_context;

typedef struct {
	int key;        /* character or curses KEY_* code */
	action act;
	int arg;
	const char *label_utf8;  /* name in the help ("→"), NULL: not listed */
	const char *label_ascii; /* name without UTF-8 ("Right") */
	key_context ctx;
} key_binding;

/* One help line for up to three related actions, in the order shown;
 * descriptions are msgids. */
typedef struct {
	action act[3]; /* ACT_NONE-padded */
	const char *desc;
} help_entry;

/* Action for key (a character or a KEY_* code when is_key); ACT_NONE if
 * unbound. *arg receives the binding's argument. */
action keymap_lookup(int key, bool is_key, int *arg);

/* The same in context ctx: the quiz's bindings first, then the others. */
action keymap_lookup_in(key_context ctx, int key, bool is_key, int *arg);

/* What key (a character, or a KEY_* code when is_key) asks of v, for
 * view_apply: while the line editor is open, the editor's key; while a
 * popup is open, a scroll (to at most max_scroll), its close, or after a
 * quiz answer Space/Enter going on; else the key table's action (the
 * quiz's bindings first while a quiz is on). *arg receives the argument. */
action keymap_action(const view *v, int key, bool is_key, int max_scroll, int *arg);

/* A key of the shared notation (attnviz/keys.h: code point or AV_KEY_*) as
 * curses delivers it: *ch and whether it is a KEY_* code. False if it has
 * no equivalent. */
bool keymap_from_av_key(int key, int *ch, bool *is_key);

/* In a popup (help, drill-down): how far key scrolls it (j/k, Up/Down,
 * PgUp/PgDn); false for any other key, which closes the popup. */
bool keymap_scroll_delta(int key, bool is_key, int *delta);

/* The binding table and the help order. */
const key_binding *keymap_table(int *count);
const help_entry *keymap_help(int *count);

/* The translated description of e as the screen's mode draws its marks
 * (✗ in UTF-8, x without). */
const char *keymap_help_desc(const help_entry *e, bool utf8);

/* "→ l" : the labels of every listed key bound to the actions of e,
 * space-separated. */
void keymap_keys_of(char *out, int size, const help_entry *e, bool utf8);

#endif
