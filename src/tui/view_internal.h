/* Shared by the files that change a view (view.c, view_act_*.c,
 * compare.c, lesson_player.c, quiz_mode.c); not for drawing code. */
#ifndef ATTNVIZ_TUI_VIEW_INTERNAL_H
#define ATTNVIZ_TUI_VIEW_INTERNAL_H

#include "tui/view.h"

int view_clamp(int x, int lo, int hi);

/* One action's handler: applies a (arg: see the action) to v and, for
 * model actions, m. view_apply has already closed popups, cleared the
 * message and asked the lesson and the quiz; it clamps and scrolls after. */
typedef void view_action_fn(view *v, av_model *m, const layout *L, action a, int arg);

typedef struct {
	action act;
	view_action_fn *fn;
} view_action_entry;

/* The handler tables by group: moving and showing (view_act_nav.c), model
 * settings and the editor (view_act_model.c); view.c adds the lesson, quiz
 * and training-time actions, which their own modules apply. */
extern const view_action_entry view_nav_actions[];
extern const int view_nav_action_count;
extern const view_action_entry view_model_actions[];
extern const int view_model_action_count;

/* The handler of action a, or NULL: none (ACT_NONE, and the editor, popup
 * and timer actions, which view_apply handles before any handler). */
view_action_fn *view_action_handler(action a);

/* Cursor, head inside the model's sizes. */
void view_clamp_cursor(view *v, const av_model *m);

/* Show h_1..h_step (clamped to 1..n); the cursor row follows. */
void view_go_step(view *v, av_model *m, int step);

/* compare.c: the causality test. prev takes m's seed, mask and positional
 * encoding; the status line gets the test's summary; the sentence is set
 * (keep_step: one word replaced, step and cursor stay); the editor's text
 * is accepted (a sentence or, with cmp.edit_word, one word). */
void compare_sync_settings(view *v, const av_model *m);
void compare_message(view *v, const av_model *m);
void compare_set_sentence(view *v, av_model *m, const char *text, bool keep_step);
void compare_accept_edit(view *v, av_model *m);

/* lesson_player.c: n / N. */
void lesson_apply(view *v, av_model *m, const layout *L, action a);

/* quiz_mode.c: whether a question open blocks action a (it would change
 * the answer), and the quiz's own actions (ACT_QUIZ..ACT_QUIZ_LEAVE). */
bool quiz_blocks(const view *v, action a);
void quiz_apply(view *v, av_model *m, action a);

#endif
