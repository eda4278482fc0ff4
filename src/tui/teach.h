/* The words and small computations of the teaching modes, without curses:
 * the sentence with one word replaced (causality test), the summary of what
 * changed, which cells changed, the mask's one-line meaning, the quiz's
 * question and verdict, and the next free export file name. */
#ifndef ATTNVIZ_TUI_TEACH_H
#define ATTNVIZ_TUI_TEACH_H

#include <stdbool.h>
#include <stddef.h>
#include "attnviz/model.h"
#include "attnviz/quiz.h"
#include "tui/layout.h"

/* out = m's tokens joined by spaces, token k replaced by word (trimmed).
 * -1 when word is blank. */
int teach_replace_token(char *out, size_t size, const av_model *m, int k, const char *word);

/* How many tokens text makes (the tokenizer's count), -1 when it is not
 * valid text: x replaces exactly one. */
int teach_count_tokens(const char *text);

/* First position whose input c_n differs between a and b (same n), or -1. */
int teach_first_changed(const av_model *a, const av_model *b);

/* One line: the mask, the changed word and which rows changed, e.g.
 * "causal: word 5 changed; rows 1..4 unchanged (attention and RNN)".
 * -1 when the models cannot be compared. */
int teach_compare_summary(char *out, size_t size, const av_model *m, const av_model *prev,
			  int changed_at);

/* Whether query i puts weight on the later key j > i (a leak). */
bool teach_is_leak(const av_head_state *hs, int n, int i, int j);

/* What a mask means, for the status line (translated); in the inference
 * view (no ! marks there) what the view does show. */
const char *teach_mask_message(av_mask_kind kind, bool inference);

/* The note on what the softmax rows are under a mask and view: sums to 1
 * without cheating only where that is true (translated). */
const char *teach_softmax_note(av_mask_kind kind, bool inference);

/* "no row waits for another" in the training view; the inference view's
 * rows do wait for their word (translated). */
const char *teach_dependency_note(bool inference);

/* The question asked, and the verdict on value (translated). */
void teach_quiz_question(char *out, size_t size, const av_quiz_question *q, const av_model *m);
void teach_quiz_verdict(char *out, size_t size, const av_quiz_question *q, bool right,
			int value, const av_quiz_score *score, const av_model *m);

/* "attnviz-export-N.svg" with the smallest N >= 1 naming no file in the
 * current directory; -1 when none up to 9999 is free. */
int teach_export_path(char *out, size_t size);

#endif
