/* Shared by the files that change a view (view.c, compare.c,
 * lesson_player.c, quiz_mode.c); not for drawing code. */
#ifndef ATTNVIZ_TUI_VIEW_INTERNAL_H
#define ATTNVIZ_TUI_VIEW_INTERNAL_H

#include "tui/view.h"

int view_clamp(int x, int lo, int hi);

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
