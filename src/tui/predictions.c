/* The predictions panel (AV_PANEL_PRED): for every row t the target
 * tok_{t+1}, then each model's most probable next word with its
 * probability and the loss -log p(target), a mark on a wrong prediction.
 * The RNN's rows appear as its states are computed; attention's all at
 * once (after the race's last stage). In the inference view attention's
 * column is the generator's: row t from tokens 1..t only. The numbers are
 * the model's (m->rnn_prob, attn_prob, attn_inc_prob and their losses). */
#include "tui/panels.h"

#include <stdio.h>
#include <string.h>

#include "attnviz/explain.h"
#include "attnviz/vocab.h"
#include "tui/i18n.h"
#include "tui/screen.h"

#define WORD_W 6 /* columns of a word in a cell */

/* word padded to exactly w columns, or cut to w - 1 whole characters and
 * "…" ("~" in ASCII), so a cut word never reads as another ("hersel"). */
static void fit_word(char *out, size_t size, const char *word, int w, bool utf8)
{
	size_t used = 0;
	int cols = 0;
	bool cut = screen_width(word, utf8) > w;
	int room = cut ? w - 1 : w;
	const unsigned char *s = (const unsigned char *)word;
	while (*s && used + 8 < size) {
		int len = *s < 0x80 ? 1 : (*s >> 5) == 6 ? 2 : (*s >> 4) == 14 ? 3 : 4;
		char ch[8];
		memcpy(ch, s, (size_t)len);
		ch[len] = '\0';
		int cw = screen_width(ch, utf8);
		if (cols + cw > room || (int)strlen((const char *)s) < len)
			break;
		memcpy(out + used, s, (size_t)len);
		used += (size_t)len;
		cols += cw;
		s += len;
	}
	if (cut && used + 4 < size) {
		const char *ell = utf8 ? "…" : "~";
		memcpy(out + used, ell, strlen(ell));
		used += strlen(ell);
		cols++;
	}
	while (cols < w && used + 1 < size)
		out[used++] = ' ', cols++;
	out[used] = '\0';
}

/* ".12" for a probability (3 columns; "1.0" from 0.995). */
static void fmt_prob(char *out, size_t size, float p)
{
	if (p >= 0.995f)
		snprintf(out, size, "1.0");
	else
		snprintf(out, size, ".%02d", (int)(p * 100.0f + 0.5f));
}

/* A loss in 4 columns: "2.31", "12.3", " 123". */
static void fmt_loss(char *out, size_t size, float x)
{
	if (x < 9.995f)
		snprintf(out, size, "%4.2f", (double)x);
	else if (x < 99.95f)
		snprintf(out, size, "%4.1f", (double)x);
	else
		snprintf(out, size, "%4.0f", (double)(x < 9999.0f ? x : 9999.0f));
}

bool pred_attn_incremental(const draw_ctx *c)
{
	return c->inference;
}

bool pred_cell_pending(const draw_ctx *c, int i, int col)
{
	if (col == 1)
		return i >= c->m->rnn_steps;
	if (col == 2)
		return !view_panel_reached(c->v, AV_PANEL_PRED) ||
		       (c->inference && !view_row_computed(c->v, c->m, i));
	return false;
}

/* The probabilities and losses of column col (1 RNN, 2 attention). */
static void pred_source(const draw_ctx *c, int col, const float **prob, const float **loss)
{
	const av_model *m = c->m;
	if (col == 1) {
		*prob = m->rnn_prob;
		*loss = m->rnn_loss;
	} else if (pred_attn_incremental(c)) {
		*prob = m->attn_inc_prob;
		*loss = m->attn_inc_loss;
	} else {
		*prob = m->attn_prob;
		*loss = m->attn_loss;
	}
}

bool pred_wrong(const draw_ctx *c, int i, int col)
{
	const av_model *m = c->m;
	if (col == 0 || i + 1 >= m->n || m->lm_V <= 0)
		return false;
	const float *prob, *loss;
	pred_source(c, col, &prob, &loss);
	return av_argmax(prob + (size_t)i * m->lm_V, m->lm_V) != m->ids[i + 1];
}

void pred_title(char *out, size_t size, const draw_ctx *c, int width)
{
	const av_model *m = c->m;
	char r[16], a[16];
	fmt_loss(r, sizeof r, m->rnn_mean_loss);
	fmt_loss(a, sizeof a, pred_attn_incremental(c) ? m->attn_inc_mean_loss : m->attn_mean_loss);
	bool r_done = m->rnn_steps >= m->n, a_done = view_panel_reached(c->v, AV_PANEL_PRED);
	char lng[160];
	if (m->n < 2) /* no target in a one-word sentence: no mean, not a perfect 0 */
		snprintf(lng, sizeof lng, "%s", _("next word: one word, no target yet"));
	else
		snprintf(lng, sizeof lng, _("next word: mean loss RNN %s  attn %s"),
			 r_done ? r : c->t->utf8 ? "·" : ".", a_done ? a : c->t->utf8 ? "·" : ".");
	snprintf(out, size, "%s", screen_width(lng, c->t->utf8) <= width ? lng : _("predictions"));
}

void pred_header(char *out, size_t size, const draw_ctx *c, int col)
{
	(void)c;
	if (col == 0)
		snprintf(out, size, "%s", _("target"));
	else if (col == 1)
		snprintf(out, size, "%s", _("RNN     p loss"));
	else
		snprintf(out, size, "%s", pred_attn_incremental(c) ? _("attn inc p loss") : _("attn    p loss"));
}

void pred_cell(char *out, size_t size, role *r, const draw_ctx *c, int i, int col)
{
	const av_model *m = c->m;
	bool utf8 = c->t->utf8;
	char word[64], p[8], l[16];
	*r = ROLE_NORMAL;
	if (m->lm_V <= 0) {
		snprintf(out, size, "%s", col == 0 ? "-" : "");
		return;
	}
	if (col == 0) {
		*r = ROLE_LABEL;
		/* the word the loss is about: a word outside the vocabulary is
		 * scored as <unk> (as --print says), not as itself */
		const char *target = i + 1 >= m->n		 ? "-"
				     : m->ids[i + 1] == AV_UNK_ID ? AV_UNK
							  : m->tokens.text[i + 1];
		fit_word(word, sizeof word, target, WORD_W + 8, utf8);
		snprintf(out, size, "%s", word);
		return;
	}
	if (pred_cell_pending(c, i, col)) {
		*r = ROLE_PENDING;
		snprintf(out, size, "%s", c->t->utf8 ? "·" : ".");
		return;
	}
	const float *prob, *loss;
	pred_source(c, col, &prob, &loss);
	const float *row = prob + (size_t)i * m->lm_V;
	int best = av_argmax(row, m->lm_V);
	fit_word(word, sizeof word, m->vocab.word[best], WORD_W, utf8);
	fmt_prob(p, sizeof p, row[best]);
	if (i + 1 < m->n)
		fmt_loss(l, sizeof l, loss[i]);
	else
		snprintf(l, sizeof l, "    ");
	snprintf(out, size, "%s %s %s", word, p, l);
	*r = i + 1 >= m->n ? ROLE_LABEL : pred_wrong(c, i, col) ? ROLE_NORMAL : ROLE_MASK_ONE;
}
