/* The causality test: a second model keeps the sentence before the last
 * edit (x replaces one word, e the sentence); with the same token count the
 * cells that changed are marked and summed up in the status line. */
#include "tui/view_internal.h"

#include <stdio.h>
#include <string.h>

#include "tui/i18n.h"
#include "tui/teach.h"


/* prev gets m's settings (seed, mask, positional), so that the two differ
 * by their sentences only. */
void compare_sync_settings(view *v, const av_model *m)
{
	av_error err;
	av_model *p = v->cmp.prev;
	if (!p)
		return;
	if (p->cfg.seed != m->cfg.seed && av_model_reseed(p, m->cfg.seed, &err) != AV_OK) {
		v->cmp.on = false;
		return;
	}
	if (p->cfg.mask != m->cfg.mask)
		av_model_set_mask(p, m->cfg.mask);
	if (p->cfg.positional != m->cfg.positional)
		av_model_set_positional(p, m->cfg.positional);
}

/* The status line's summary of the causality test. */
void compare_message(view *v, const av_model *m)
{
	char buf[sizeof v->status];
	if (v->cmp.on && v->cmp.prev &&
	    teach_compare_summary(buf, sizeof buf, m, v->cmp.prev, v->cmp.changed_at) == 0)
		view_message(v, false, "%s", buf);
}

/* Set the sentence; keep_step keeps the step and the cursor (the causality
 * test replaces one word). With prev, the old sentence is kept there for
 * the comparison when the token count is the same. */
void compare_set_sentence(view *v, av_model *m, const char *text, bool keep_step)
{
	av_error err;
	char old[EDITOR_MAX];
	int old_n = m->n, step = m->rnn_steps, ci = v->ci, cj = v->cj;
	av_error_clear(&err);
	snprintf(old, sizeof old, "%s", v->sentence);
	if (av_model_set_sentence(m, text, &err) != AV_OK) {
		view_message(v, true, "%s", err.msg[0] ? err.msg : av_status_name(err.code));
		return; /* the core kept its sentence, numbers and step */
	}
	snprintf(v->sentence, sizeof v->sentence, "%s", text);
	v->cmp.on = false;
	v->cmp.changed_at = -1;
	if (v->cmp.prev && m->n == old_n) {
		compare_sync_settings(v, m);
		if (av_model_set_sentence(v->cmp.prev, old, &err) == AV_OK && v->cmp.prev->n == m->n) {
			v->cmp.on = true;
			v->cmp.changed_at = teach_first_changed(m, v->cmp.prev);
		}
	}
	/* the core computed every h_n for the new sentence: back to the step */
	if (keep_step && m->n == old_n) {
		av_model_rnn_goto(m, step);
		v->ci = ci;
		v->cj = cj;
	} else {
		av_model_rnn_goto(m, 1);
		v->row_off = v->col_off = 0;
		v->ci = 0;
	}
	view_clamp_cursor(v, m);
	if (v->cmp.on)
		compare_message(v, m);
	else
		view_message(v, false, _("sentence: %d tokens"), m->n);
}

void view_set_sentence(view *v, av_model *m, const char *text)
{
	compare_set_sentence(v, m, text, false);
}

/* The editor accepted its text: a whole sentence, or one word (x). */
void compare_accept_edit(view *v, av_model *m)
{
	int k = v->cmp.edit_word;
	v->cmp.edit_word = -1;
	train_view_forget(v); /* a new sentence: no race, no generation */
	if (k < 0 || k >= m->n) {
		compare_set_sentence(v, m, v->ed.buf, false);
		return;
	}
	char text[EDITOR_MAX];
	int words = teach_count_tokens(v->ed.buf);
	if (words > 1) { /* it would silently become a sentence edit */
		view_message(v, true,
			     _("'%s' is %d tokens: x replaces one word (e edits the sentence); the sentence is kept"),
			     v->ed.buf, words);
		return;
	}
	if (words < 1 || teach_replace_token(text, sizeof text, m, k, v->ed.buf) != 0) {
		view_message(v, true, _("empty word: type a word (Esc cancels); the sentence is kept"));
		return;
	}
	compare_set_sentence(v, m, text, true);
}
