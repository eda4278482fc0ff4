/* Live training in the counters' place: the step, steps/s and losses on
 * one line, a caption of what is happening, then the loss curves (RNN and
 * attention, train and held-out) as a plot that grows, or as two
 * sparklines when only one row is left (80x24). Reads the core's curves
 * (attnviz/live.h); draws only. */
#include "tui/panels.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tui/i18n.h"
#include "tui/screen.h"
#include "tui/wrap.h"
#include "fmt/number.h"

#define AXIS_W 6 /* "  2.5 " */

/* One line saying what the class is watching. */
void train_caption(char *out, size_t size, const draw_ctx *c)
{
	const av_live *s = c->v->tv.live;
	const av_model *m = c->m;
	bool cheat = m->cfg.mask == AV_MASK_NONE || m->cfg.mask == AV_MASK_FUTURE;
	if (cheat && c->inference)
		snprintf(out, size, "%s",
			 _("generation time: row i sees words 1..i only, nothing to copy: predictions fail"));
	else if (cheat)
		snprintf(out, size, "%s",
			 _("no mask: attention copies the next word, its loss collapses (t: generation)"));
	else if (!c->v->tv.running)
		snprintf(out, size, _("paused at step %d: T trains on, r resets, W saves the weights"),
			 s->steps);
	else if (s->steps < 100)
		snprintf(out, size, "%s",
			 _("both models learn the next word: losses fall, softmax rows sharpen"));
	else
		snprintf(out, size, "%s",
			 _("attention: n losses from one batched pass; the RNN: n dependent steps"));
}

static void fmt_loss(char *out, size_t size, float x)
{
	if (x < 0.0f)
		snprintf(out, size, "-");
	else
		fmt_num(out, size, x, &FMT_FIXED[x < 10.0f ? 2 : 1], 0, false);
}

/* "step 120  35/s  mask causal  train RNN 2.31 attn 1.20  held-out RNN 2.40 attn 1.30" */
void train_status(char *out, size_t size, const draw_ctx *c)
{
	const av_live *s = c->v->tv.live;
	char r[16], a[16], hr[16], ha[16];
	fmt_loss(r, sizeof r, s->steps ? s->smooth_loss[0] : -1.0f);
	fmt_loss(a, sizeof a, s->steps ? s->smooth_loss[1] : -1.0f);
	fmt_loss(hr, sizeof hr, s->heldout_loss[0]);
	fmt_loss(ha, sizeof ha, s->heldout_loss[1]);
	snprintf(out, size, _("%sstep %d  %s/s  train: RNN %s attn %s  held-out: RNN %s attn %s"),
		 c->v->tv.running ? "" : _("paused  "), s->steps,
		 fmt_str(&(fmt_text){0}, c->v->tv.running ? (float)c->v->tv.steps_per_s : 0.0f,
			 &FMT_FIXED[0], false),
		 r, a, hr, ha);
}

/* Curve k resampled to w columns: the point under column x. */
static float sample(const av_live *s, int k, int x, int w)
{
	int n = s->n_points;
	int idx = w > 1 ? (int)((long)x * (n - 1) / (w - 1)) : n - 1;
	return s->curve[k][idx < 0 ? 0 : idx];
}

/* Two sparklines on one row: "RNN ▇▆▅▄▃  attn ▇▅▃▂▁". */
static void sparklines(const draw_ctx *c, int y, const rect *r)
{
	const av_live *s = c->v->tv.live;
	float mx = av_live_curve_max(s);
	int half = r->w / 2, x = r->x;
	static const av_curve which[2] = {AV_CURVE_RNN_TRAIN, AV_CURVE_ATTN_TRAIN};
	const char *names[2] = {_("RNN"), _("attn")};
	role roles[2] = {ROLE_EDGE, ROLE_MASK_ONE};
	for (int k = 0; k < 2; k++) {
		int x0 = r->x + k * half;
		x = x0 + screen_put(y, x0, half, A(c, roles[k]), names[k], c->t->utf8) + 1;
		int w = half - (x - x0) - 1;
		if (w > s->n_points)
			w = s->n_points;
		for (int i = 0; i < w; i++) {
			float v = sample(s, which[k], i, w) / mx;
			x += screen_put(y, x, 1, A(c, roles[k]), theme_prob_glyph(c->t, v), c->t->utf8);
		}
	}
}

/* The plot: rows x (w - AXIS_W) cells, y from 0 to the largest loss. */
static void plot(const draw_ctx *c, int y0, int rows, const rect *r)
{
	const av_live *s = c->v->tv.live;
	float mx = av_live_curve_max(s);
	int w = r->w - AXIS_W;
	char num[16];
	if (w < 8 || rows < 2)
		return;
	snprintf(num, sizeof num, "%5.2f", (double)mx);
	screen_put(y0, r->x, AXIS_W, A(c, ROLE_LABEL), num, c->t->utf8);
	screen_put(y0 + rows - 1, r->x, AXIS_W, A(c, ROLE_LABEL), "    0", c->t->utf8);
	for (int y = 0; y < rows; y++)
		screen_put(y0 + y, r->x + AXIS_W - 1, 1, A(c, ROLE_LABEL), c->t->utf8 ? "│" : "|",
			   c->t->utf8);
	if (s->n_points == 0)
		return;
	int cols = w < s->n_points ? w : s->n_points;
	/* held-out first, so that the train curves draw over them */
	static const av_curve order[AV_CURVE_COUNT] = {AV_CURVE_RNN_HELD, AV_CURVE_ATTN_HELD,
						       AV_CURVE_RNN_TRAIN, AV_CURVE_ATTN_TRAIN};
	for (int x = 0; x < cols; x++) {
		int row_at[AV_CURVE_COUNT];
		for (int o = 0; o < AV_CURVE_COUNT; o++) {
			av_curve k = order[o];
			float v = sample(s, k, x, cols);
			row_at[o] = -1;
			if (v < 0.0f || !isfinite(v))
				continue;
			int row = (int)lroundf((1.0f - v / mx) * (float)(rows - 1));
			row_at[o] = row < 0 ? 0 : row >= rows ? rows - 1 : row;
		}
		for (int o = 0; o < AV_CURVE_COUNT; o++) {
			av_curve k = order[o];
			if (row_at[o] < 0)
				continue;
			bool rnn = k == AV_CURVE_RNN_TRAIN || k == AV_CURVE_RNN_HELD;
			bool held = k == AV_CURVE_RNN_HELD || k == AV_CURVE_ATTN_HELD;
			/* the two train curves in one cell: "b", so neither hides
			 * the other (at 80x24 the plot has four rows) */
			bool both = k == AV_CURVE_ATTN_TRAIN && row_at[o] == row_at[o - 1];
			const char *g = held ? (c->t->utf8 ? "·" : ".") : both ? "b" : rnn ? "r" : "a";
			role rl = both ? ROLE_LABEL : rnn ? ROLE_EDGE : ROLE_MASK_ONE;
			screen_put(y0 + row_at[o], r->x + AXIS_W + x, 1, A(c, rl) | (both ? A_BOLD : 0),
				   g, c->t->utf8);
		}
	}
}

int train_block_draw(const draw_ctx *c, int y, int end)
{
	const rect *r = &c->L->info;
	const av_live *s = c->v->tv.live;
	char line[400];
	int y0 = y;
	bool utf8 = c->t->utf8;
	train_status(line, sizeof line, c);
	y += wrap_put(y, r->x, r->w, end - y > 2 ? 1 : end - y, A(c, ROLE_TITLE), line, utf8);
	train_caption(line, sizeof line, c);
	if (y < end)
		y += wrap_put(y, r->x, r->w, end - y >= 5 ? 2 : 1, A(c, ROLE_CAPTION), line, utf8);
	if (end - y >= 4) {
		char legend[200];
		snprintf(legend, sizeof legend,
			 _("loss over %d steps: r RNN, a attention, b both (train); %s held-out"), s->steps,
			 utf8 ? "·" : ".");
		y += wrap_put(y, r->x + AXIS_W, r->w - AXIS_W, 1, A(c, ROLE_LABEL), legend, utf8);
		plot(c, y, end - y, r);
		y = end;
	} else if (y < end) {
		sparklines(c, y, r);
		y++;
	}
	return y - y0;
}
