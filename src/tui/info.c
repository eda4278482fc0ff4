/* The counters beside or under the grids: RNN steps against attention's
 * batched steps, the leak and batched-vs-incremental checks, the selected
 * row as a table (glyph layouts), the slide's notes and the legend. */
#include "tui/panels.h"

#include <stdio.h>
#include <string.h>

#include "fmt/number.h"
#include "tui/i18n.h"
#include "tui/screen.h"
#include "tui/teach.h"
#include "tui/wrap.h"

/* The numbers of the selected row (scores, masked, softmax; h_t) as a
 * small table, for glyph layouts: returns the rows used. */
static int draw_row_table(const draw_ctx *c, int y, int max_rows)
{
	const rect *r = &c->L->info;
	const av_model *m = c->m;
	const view *v = c->v;
	bool utf8 = c->t->utf8;
	int n = m->n, lw = 10, cw = 7;
	int i = v->focus == AV_PANEL_RNN ? m->rnn_steps - 1 : v->ci;
	int ncol = (r->w - lw) / cw;
	if (ncol < 1 || max_rows < 4)
		return 0;
	int first = v->col_off;
	if (first + ncol > n)
		first = n - ncol > 0 ? n - ncol : 0;
	char buf[64];
	if (!view_row_computed(v, m, i))
		return 0;
	const float *w = c->inference ? c->hs->inc_weights : c->hs->weights;
	const float *rows[3] = {c->hs->scores + (size_t)i * n, c->hs->masked + (size_t)i * n,
				w + (size_t)i * n};
	static const av_panel_id row_panel[3] = {AV_PANEL_SCORES, AV_PANEL_MASKED, AV_PANEL_SOFTMAX};
	const char *names[3] = {_("scores"), _("masked"), _("softmax")};

	snprintf(buf, sizeof buf, _("row %d"), i + 1); /* the rows of the grids, not q_i */
	screen_put(y, r->x, lw, A(c, ROLE_STEP), buf, utf8);
	for (int k = 0; k < ncol && first + k < n; k++) {
		snprintf(buf, sizeof buf, "k_%d", first + k + 1);
		screen_put_aligned(y, r->x + lw + k * cw, cw - 1, A(c, ROLE_LABEL), buf, utf8, 1);
	}
	for (int t = 0; t < 3; t++) {
		screen_put(y + 1 + t, r->x, lw, A(c, ROLE_LABEL), names[t], utf8);
		for (int k = 0; k < ncol && first + k < n; k++) {
			float x = rows[t][first + k];
			role rl = t == 2 ? theme_prob_role(x) : theme_signed_role(x, c->score_scale);
			if (view_quiz_hides(v, (int)row_panel[t], i, first + k))
				snprintf(buf, sizeof buf, "?");
			else if (c->inference && first + k > i)
				snprintf(buf, sizeof buf, " ");
			else if (t == 2 && x == 0.0f)
				snprintf(buf, sizeof buf, "0");
			else
				fmt_num(buf, sizeof buf, x, &FMT_CELL, cw - 1, utf8);
			screen_put_aligned(y + 1 + t, r->x + lw + k * cw, cw - 1, A(c, rl), buf, utf8, 1);
		}
	}
	int used = 4;
	if (max_rows >= 5 && i < m->rnn_steps) {
		int H = m->cfg.d_hidden;
		snprintf(buf, sizeof buf, "h_%d", i + 1);
		screen_put(y + 4, r->x, lw, A(c, ROLE_LABEL), buf, utf8);
		for (int k = 0; k < ncol && k < H; k++) {
			float x = m->h[(size_t)i * H + k];
			fmt_num(buf, sizeof buf, x, &FMT_CELL, cw - 1, utf8);
			screen_put_aligned(y + 4, r->x + lw + k * cw, cw - 1,
					   A(c, theme_signed_role(x, 1.0f)), buf, utf8, 1);
		}
		used = 5;
	}
	return used;
}

/* Per query row: the leaked mass (weight on j > i) and, in the inference
 * view, max |batched - incremental| of every row computed so far. Returns
 * the rows used. */
static int draw_checks(const draw_ctx *c, int y, int max_rows)
{
	const rect *r = &c->L->info;
	const av_model *m = c->m;
	const view *v = c->v;
	bool utf8 = c->t->utf8;
	int n = m->n, lw = 10, cw = 7;
	if ((r->w - lw) / cw < n)
		cw = 6;
	int ncol = (r->w - lw) / cw;
	int want = c->inference ? 3 : 2;
	if (ncol < 1 || max_rows < 2)
		return 0;
	if (want > max_rows)
		want = max_rows;
	int first = v->row_off;
	if (first + ncol > n)
		first = n - ncol > 0 ? n - ncol : 0;
	char buf[32];
	screen_put(y, r->x, lw, A(c, ROLE_LABEL), _("row i"), utf8);
	screen_put(y + 1, r->x, lw, A(c, ROLE_LABEL), _("leak j>i"), utf8);
	if (want > 2)
		screen_put(y + 2, r->x, lw, A(c, ROLE_LABEL), _("max|diff|"), utf8);
	for (int k = 0; k < ncol && first + k < n; k++) {
		int i = first + k, x = r->x + lw + k * cw;
		snprintf(buf, sizeof buf, "%d", i + 1);
		screen_put_aligned(y, x, cw - 1, A(c, i == m->rnn_steps - 1 ? ROLE_STEP : ROLE_LABEL), buf,
				   utf8, 1);
		float leak = c->hs->leak[i];
		fmt_num(buf, sizeof buf, leak, &FMT_SMALL, 0, false);
		screen_put_aligned(y + 1, x, cw - 1, A(c, leak > 0.0f ? ROLE_LEAK : ROLE_LABEL), buf,
				   utf8, 1);
		if (want > 2) {
			bool done = view_row_computed(v, m, i);
			float d = c->hs->inc_diff[i];
			if (done)
				fmt_num(buf, sizeof buf, d, &FMT_SMALL, 0, false);
			else
				snprintf(buf, sizeof buf, "%s", c->t->pending);
			role rl = !done ? ROLE_PENDING : d > 1e-5f ? ROLE_LEAK : ROLE_MASK_ONE;
			screen_put_aligned(y + 2, x, cw - 1, A(c, rl), buf, utf8, 1);
		}
	}
	return want;
}

/* The race (B): the RNN's step and attention's stage, in words. */
static int race_counters(const draw_ctx *c, int y, int end)
{
	const rect *r = &c->L->info;
	const av_model *m = c->m;
	char line[320];
	static const char *const stages[RACE_STAGES + 1] = {
		"", N_("Q K V projected"), N_("scores Q K^T computed"), N_("mask applied"),
		N_("softmax, z: finished")};
	int y0 = y;
	snprintf(line, sizeof line, _("race: RNN h_%d of %d, one step per key, each waits for the previous"),
		 m->rnn_steps, m->n);
	y += wrap_put(y, r->x, r->w, end - y, A(c, ROLE_EDGE), line, c->t->utf8);
	snprintf(line, sizeof line, _("race: attention stage %d of %d for all %d rows at once: %s"),
		 (int)c->v->tv.race, RACE_STAGES, m->n, _(stages[c->v->tv.race]));
	y += wrap_put(y, r->x, r->w, end - y, A(c, ROLE_MASK_ONE), line, c->t->utf8);
	return y - y0;
}

/* Generation (w): one dependent step per token, for both models. */
static int gen_counters(const draw_ctx *c, int y, int end)
{
	const rect *r = &c->L->info;
	const view_train *tv = &c->v->tv;
	const av_model *m = c->m;
	char line[320];
	int y0 = y;
	snprintf(line, sizeof line,
		 _("generation: %d tokens added to a prompt of %d, one dependent step each, for both models"),
		 tv->gen_count, tv->gen_prompt);
	y += wrap_put(y, r->x, r->w, end - y, A(c, ROLE_EDGE), line, c->t->utf8);
	snprintf(line, sizeof line,
		 _("token %d \"%s\" by %s (p %s): RNN h_%d from h_%d; attention q_%d against the %d cached keys k_1..k_%d"),
		 m->n, tv->gen_word, tv->gen_rnn ? _("the RNN") : _("attention"),
		 fmt_str(&(fmt_text){0}, tv->gen_p, &FMT_FIXED[2], c->t->utf8),
		 m->n, m->n - 1, m->n, m->n, m->n);
	y += wrap_put(y, r->x, r->w, end - y, A(c, ROLE_MASK_ONE), line, c->t->utf8);
	return y - y0;
}

/* The glyph legend: one entry per ramp (signed values; weights), the
 * weight of exactly 0 and the masked score. */
static void legend_text(char *out, size_t size, const theme *t)
{
	char sg[64] = "", pr[64] = "";
	for (int k = 0; k < THEME_RAMP; k++) {
		strncat(sg, t->ramp_signed[k], sizeof sg - strlen(sg) - 1);
		strncat(pr, t->ramp_prob[k], sizeof pr - strlen(pr) - 1);
	}
	snprintf(out, size, _("score,h,z %s (-..+)  weight %s (0..1)  %s weight 0  %s masked"),
		 sg, pr, t->zero_prob, t->neg_inf_cell);
}

/* Counters, the no-dependency line, the checks (leaks, batched =
 * incremental) when they matter, the selected row's numbers, and the
 * legend on the last line: the same places under every mask. */
void info_draw(const draw_ctx *c)
{
	const rect *r = &c->L->info;
	const av_model *m = c->m;
	char line[320];
	int y = r->y, end = r->y + r->h;
	bool utf8 = c->t->utf8;
	if (r->h <= 0 || r->w <= 0)
		return;

	const view_train *tv = &c->v->tv;
	bool trained = tv->live && (tv->running || tv->live->steps > 0);
	if (trained && (tv->running || (tv->race == RACE_OFF && !tv->gen_on))) {
		train_block_draw(c, y, end); /* live training: losses and curves */
		return;
	}
	if (tv->race != RACE_OFF) {
		y += race_counters(c, y, end);
	} else if (tv->gen_on) {
		y += gen_counters(c, y, end);
	} else {
	snprintf(line, sizeof line, _("RNN: %d of %d sequential steps (each waits for the previous)"),
		 c->m->rnn_steps, av_model_rnn_depth(m->n));
	y += wrap_put(y, r->x, r->w, end - y, A(c, ROLE_EDGE), line, utf8);
	if (c->inference)
		snprintf(line, sizeof line,
			 _("inference: row %d from tokens 1..%d only; max|diff| = |batched - incremental|"),
			 c->m->rnn_steps, c->m->rnn_steps);
	else
		snprintf(line, sizeof line,
			 _("attention: all %d rows at once, %d batched steps for any n"), m->n,
			 av_model_attn_depth(m->n));
	y += wrap_put(y, r->x, r->w, end - y, A(c, ROLE_MASK_ONE), line, utf8);
	}

	/* the legend keeps the last line(s) when there is room for it */
	char legend[320];
	int legend_rows = 0;
	if (c->L->mode == LAYOUT_HEAT) {
		snprintf(legend, sizeof legend, "%s",
			 _("heatmap: each line is two rows, the upper half row i, the lower row i+1; "
			   "colour is the value (blue - grey - orange; weights dark to bright); "
			   "the numbers of the cursor's row are in the line below"));
		legend_rows = wrap_rows(r->w, 3, legend, utf8);
		if (end - y < legend_rows + 2)
			legend_rows = 0;
	} else if (c->L->mode == LAYOUT_COMPACT) {
		legend_text(legend, sizeof legend, c->t);
		legend_rows = wrap_rows(r->w, 2, legend, utf8);
		if (end - y < legend_rows + 2)
			legend_rows = 0;
	}
	int body_end = end - legend_rows;
	if (legend_rows)
		wrap_put(body_end, r->x, r->w, legend_rows, A(c, ROLE_LABEL), legend, utf8);

	const char *nodep = teach_dependency_note(c->inference);
	if (c->L->panel[AV_PANEL_PRED].visible && m->n > 1) { /* the losses, counted */
		int rnn_done = m->rnn_steps < m->n ? m->rnn_steps : m->n - 1;
		bool attn_done = view_panel_reached(c->v, AV_PANEL_PRED);
		if (attn_done)
			snprintf(line, sizeof line,
				 _("losses: attention %d from one batched pass; RNN %d of %d so far, one per step"),
				 m->n - 1, rnn_done, m->n - 1);
		else
			snprintf(line, sizeof line,
				 _("losses: attention 0 of %d until its pass ends; RNN %d of %d so far, one per step"),
				 m->n - 1, rnn_done, m->n - 1);
		nodep = line;
	}
	if (y < body_end)
		y += wrap_put(y, r->x, r->w, body_end - y, A(c, ROLE_NORMAL), nodep, utf8);
	if (c->inference || m->cfg.mask != AV_MASK_CAUSAL)
		y += draw_checks(c, y, body_end - y);
	if (c->L->mode != LAYOUT_NUMERIC && body_end - y >= 5) {
		bool gap = body_end - y >= 7;
		y += gap + draw_row_table(c, y + gap, body_end - y - gap);
	}
	/* On a big screen, the slide's argument in words. */
	/* each chosen from the state it describes (mask, view) */
	const char *notes[] = {
		_("mask 1: q_i may look at k_j; 0: the score becomes %s, its weight 0"),
		teach_softmax_note(m->cfg.mask, c->inference),
		_("the RNN's h_n needs h_{n-1}: n steps, one after another"),
	};
	if (body_end - y >= 5) {
		y++;
		for (size_t k = 0; k < sizeof notes / sizeof notes[0] && y < body_end; k++) {
			/* a note on a panel a lesson has not introduced yet waits */
			if ((k == 0 && !c->L->panel[AV_PANEL_MASK].visible) ||
			    (k == 1 && !c->L->panel[AV_PANEL_SOFTMAX].visible))
				continue;
			if (k == 0)
				snprintf(line, sizeof line, notes[0], c->t->neg_inf);
			else
				snprintf(line, sizeof line, "%s", notes[k]);
			y += wrap_put(y, r->x, r->w, body_end - y, A(c, ROLE_LABEL), line, utf8);
		}
	}
}
