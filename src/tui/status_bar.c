/* The status line: the line editor when open, else the message of the
 * last key, else the key hints of the focused panel (or the quiz). */
#include "tui/panels.h"

#include <stdio.h>

#include "tui/editor.h"
#include "tui/i18n.h"
#include "tui/screen.h"

typedef struct {
	const char *key_utf8, *key_ascii, *what;
} key_hint;

void status_bar_draw(const draw_ctx *c)
{
	const layout *L = c->L;
	const view *v = c->v;
	bool utf8 = c->t->utf8;
	int y = L->status_y;
	if (v->ed.active) {
		char prompt[160];
		if (v->cmp.edit_word >= 0 && v->cmp.edit_word < c->m->n)
			snprintf(prompt, sizeof prompt, _("replace word %d '%s': "), v->cmp.edit_word + 1,
				 c->m->tokens.text[v->cmp.edit_word]);
		else
			snprintf(prompt, sizeof prompt, "%s", _("sentence: "));
		editor_draw(&v->ed, y, L->cols, prompt, utf8);
		return;
	}
	screen_fill(y, 0, L->cols, A(c, ROLE_STATUS));
	if (v->status[0]) {
		/* a message wider than the line ends in "…", never mid-word */
		screen_put_cut(y, 0, L->cols, A(c, v->status_error ? ROLE_ERROR : ROLE_STATUS),
			       v->status, utf8);
		return;
	}
	static const key_hint rnn_hints[] = {
		{"→/Space", "Right/Space", N_("step")}, {"←", "Left", N_("back")},
		{"Tab", "Tab", N_("panel")},            {"Enter", "Enter", N_("numbers")},
		{"m", "m", N_("mask")},                 {"e", "e", N_("edit")},
		{"?", "?", N_("help")},                 {"q", "q", N_("quit")},
		{"a", "a", N_("play")},
	};
	static const key_hint grid_hints[] = {
		{"←↑↓→", "arrows", N_("cell")},         {"Space", "Space", N_("step")},
		{"Tab", "Tab", N_("panel")},            {"Enter", "Enter", N_("numbers")},
		{"m", "m", N_("mask")},                 {"e", "e", N_("edit")},
		{"?", "?", N_("help")},                 {"q", "q", N_("quit")},
	};
	static const key_hint quiz_hints[] = {
		{"←↑↓→", "arrows", N_("cell")},  {"1/0 y/n", "1/0 y/n", N_("answer")},
		{"Enter", "Enter", N_("pick column")}, {"Space", "Space", N_("next")},
		{"Esc", "Esc", N_("leave")},   {"?", "?", N_("help")},
		{"q", "q", N_("quit")},
	};
	bool grid = v->focus != AV_PANEL_RNN;
	const key_hint *hints = grid ? grid_hints : rnn_hints;
	size_t n_hints = grid ? sizeof grid_hints / sizeof grid_hints[0]
			      : sizeof rnn_hints / sizeof rnn_hints[0];
	if (v->quiz.phase != QUIZ_OFF) {
		hints = quiz_hints;
		n_hints = sizeof quiz_hints / sizeof quiz_hints[0];
	}
	int x = 0;
	/* the training-time keys first when they matter: P when the
	 * predictions found no room, T while training */
	if (v->quiz.phase == QUIZ_OFF && v->tv.live) {
		key_hint extra = {"T", "T", v->tv.running ? N_("pause") : N_("train")};
		if (L->pred_left_out && !v->tv.pred_hide)
			extra = (key_hint){"P", "P", N_("predictions")};
		else if (!v->tv.running && v->tv.live->steps == 0)
			extra.key_utf8 = NULL;
		if (extra.key_utf8) {
			const char *key = utf8 ? extra.key_utf8 : extra.key_ascii;
			x += screen_put(y, x, L->cols - x, A(c, ROLE_STATUS) | A_BOLD, key, utf8) + 1;
			x += screen_put(y, x, L->cols - x, A(c, ROLE_STATUS), _(extra.what), utf8) + 2;
		}
	}
	for (size_t k = 0; k < n_hints; k++) {
		const char *key = utf8 ? hints[k].key_utf8 : hints[k].key_ascii;
		int need = screen_width(key, utf8) + 1 + screen_width(_(hints[k].what), utf8) + 2;
		if (x + need > L->cols)
			break;
		x += screen_put(y, x, L->cols - x, A(c, ROLE_STATUS) | A_BOLD, key, utf8);
		x += 1;
		x += screen_put(y, x, L->cols - x, A(c, ROLE_STATUS), _(hints[k].what), utf8);
		x += 2;
	}
	if (v->autoplay) {
		char play[64];
		snprintf(play, sizeof play, _("[auto %d ms]"), v->autoplay_ms);
		int w = screen_width(play, utf8);
		if (x + w <= L->cols)
			screen_put(y, L->cols - w, w, A(c, ROLE_STATUS) | A_BOLD, play, utf8);
	}
}
