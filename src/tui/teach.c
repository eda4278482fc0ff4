/* The teaching modes' words and checks: see teach.h. */
#include "tui/teach.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "attnviz/diff.h"
#include "attnviz/tokenize.h"
#include "tui/i18n.h"
#include "fmt/number.h"

int teach_replace_token(char *out, size_t size, const av_model *m, int k, const char *word)
{
	while (*word == ' ' || *word == '\t')
		word++;
	size_t len = strlen(word);
	while (len > 0 && (word[len - 1] == ' ' || word[len - 1] == '\t'))
		len--;
	if (len == 0)
		return -1;
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < m->n && used < size; i++) {
		int w = i == k ? snprintf(out + used, size - used, "%s%.*s", i ? " " : "", (int)len,
					  word)
			       : snprintf(out + used, size - used, "%s%s", i ? " " : "",
					  m->tokens.text[i]);
		if (w < 0)
			return -1;
		used += (size_t)w;
	}
	return 0;
}

int teach_count_tokens(const char *text)
{
	av_tokens tok;
	av_error err;
	if (av_tokenize(&tok, text, strlen(text), &err) != AV_OK)
		return -1;
	return tok.n;
}

int teach_first_changed(const av_model *a, const av_model *b)
{
	av_diff d;
	av_error err;
	if (av_model_diff(&d, a, b, &err) != AV_OK)
		return -1;
	return d.first_changed;
}

/* "1..3", "1, 3..4": the rows i (1-based) with changed[i]. */
static void ranges(char *out, size_t size, const bool *changed, int n)
{
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < n && used < size; i++) {
		if (!changed[i] || (i > 0 && changed[i - 1]))
			continue;
		int e = i;
		while (e + 1 < n && changed[e + 1])
			e++;
		int w = e > i ? snprintf(out + used, size - used, "%s%d..%d", used ? ", " : "", i + 1,
					 e + 1)
			      : snprintf(out + used, size - used, "%s%d", used ? ", " : "", i + 1);
		if (w < 0)
			return;
		used += (size_t)w;
	}
}

int teach_compare_summary(char *out, size_t size, const av_model *m, const av_model *prev,
			  int changed_at)
{
	av_diff d;
	av_error err;
	if (av_model_diff(&d, m, prev, &err) != AV_OK)
		return -1;
	const char *mask = av_mask_name(m->cfg.mask);
	int k = changed_at >= 0 ? changed_at : d.first_changed;
	if (k < 0) {
		snprintf(out, size, _("%s: the same words: nothing changed"), mask);
		return 0;
	}
	bool changed[AV_MAX_TOKENS];
	int n_changed = 0, before = 0, rnn_before = 0;
	for (int i = 0; i < d.n; i++) {
		changed[i] = d.attn_changed[i];
		n_changed += changed[i];
		if (i < k) {
			before += changed[i];
			rnn_before += d.rnn_changed[i];
		}
	}
	char rows[256];
	if (k == 0)
		snprintf(out, size, _("%s: word 1 changed; no row comes before it"), mask);
	else if (before == 0 && rnn_before == 0) {
		/* the scores of rows 1..k for the changed keys change too; the
		 * mask keeps them out of the weights */
		bool col[AV_MAX_TOKENS];
		if (av_diff_score_cols(col, m, prev, k)) {
			char cols[256];
			ranges(cols, sizeof cols, col, d.n);
			snprintf(out, size,
				 _("%s: word %d changed; rows 1..%d unchanged apart from their masked "
				   "k_%s scores"),
				 mask, k + 1, k, cols);
		} else {
			snprintf(out, size,
				 _("%s: word %d changed; rows 1..%d unchanged (attention and RNN)"),
				 mask, k + 1, k);
		}
	}
	else if (n_changed == d.n)
		snprintf(out, size,
			 _("%s: word %d changed; every row changed, rows 1..%d too: they see later words"),
			 mask, k + 1, k);
	else {
		ranges(rows, sizeof rows, changed, d.n);
		snprintf(out, size, _("%s: word %d changed; changed rows %s: earlier rows see later words"),
			 mask, k + 1, rows);
	}
	return 0;
}

bool teach_is_leak(const av_head_state *hs, int n, int i, int j)
{
	return j > i && hs->weights[(size_t)i * n + j] > 0.0f;
}

const char *teach_mask_message(av_mask_kind kind, bool inference)
{
	/* the inference view draws no ! (a decoder has no later word to leak
	 * to): under none and future it says what does show */
	switch (kind) {
	case AV_MASK_CAUSAL: return _("mask causal: q_i sees k_j for j <= i only (no cheating)");
	case AV_MASK_NONE:
		return inference ? _("mask none: the decoder's row i differs from the batched row i (max|diff| > 0)")
				 : _("mask none: every q_i sees every k_j (cheating: ! marks leaks)");
	case AV_MASK_STRICT: return _("mask strict: j < i, off by one: row 1 sees nothing, weights 0");
	case AV_MASK_FUTURE:
		return inference ? _("mask future: j >= i, the wrong triangle; the decoder's rows differ (max|diff|)")
				 : _("mask future: j >= i, the wrong triangle (! marks leaks)");
	default: return "";
	}
}

const char *teach_softmax_note(av_mask_kind kind, bool inference)
{
	if (inference)
		return kind == AV_MASK_STRICT
			       ? _("inference: row i is a softmax over tokens 1..i-1; row 1 has none: weights 0, z_1 = 0")
			       : _("inference: row i is a softmax over tokens 1..i only: the decoder cannot see later words");
	switch (kind) {
	case AV_MASK_CAUSAL:
		return _("after masking, softmax gives valid attention distributions without any "
			 "\"cheating\": each row sums to 1");
	case AV_MASK_NONE:
		return _("no mask: each row sums to 1 but puts weight on later words (! marks it): "
			 "that is cheating");
	case AV_MASK_STRICT:
		return _("mask strict: row 1 has no key left, its weights are all 0 (sum 0, z_1 = 0); "
			 "no row sees its own word");
	case AV_MASK_FUTURE:
		return _("mask future: rows sum to 1 over the current and later words: the wrong "
			 "triangle, cheating");
	default: return "";
	}
}

const char *teach_dependency_note(bool inference)
{
	return inference ? _("inference: each row waits for its word; rows already computed never change")
			 : _("no dependency between z_n and z_{n-1}: no row waits for another");
}

static const char *order_word(int i, int j)
{
	return j < i ? _("before") : j == i ? _("at") : _("after");
}

void teach_quiz_question(char *out, size_t size, const av_quiz_question *q, const av_model *m)
{
	int i = q->row, j = q->col;
	switch (q->kind) {
	case AV_QUIZ_MASK_VALUE:
		snprintf(out, size, _("Is mask cell M[%d][%d] (q_%d \"%s\", k_%d \"%s\") 1 or 0? Press 1 or 0."),
			 i + 1, j + 1, i + 1, m->tokens.text[i], j + 1, m->tokens.text[j]);
		break;
	case AV_QUIZ_IS_MASKED:
		snprintf(out, size, _("Is score[%d][%d] (q_%d \"%s\" to k_%d \"%s\") masked to -inf? Press y or n."),
			 i + 1, j + 1, i + 1, m->tokens.text[i], j + 1, m->tokens.text[j]);
		break;
	default:
		snprintf(out, size, _("Which key does q_%d \"%s\" attend to most? Move along row %d, press Enter."),
			 i + 1, m->tokens.text[i], i + 1);
		break;
	}
}

void teach_quiz_verdict(char *out, size_t size, const av_quiz_question *q, bool right,
			int value, const av_quiz_score *score, const av_model *m)
{
	char why[256];
	int i = q->row, j = q->col, n = m->n;
	const char *mask = av_mask_name(m->cfg.mask);
	switch (q->kind) {
	case AV_QUIZ_MASK_VALUE:
		snprintf(why, sizeof why, _("M[%d][%d] = %d under %s: key %d is %s query %d"), i + 1,
			 j + 1, q->answer, mask, j + 1, order_word(i, j), i + 1);
		break;
	case AV_QUIZ_IS_MASKED:
		snprintf(why, sizeof why, _("score[%d][%d] is %s under %s: key %d is %s query %d"),
			 i + 1, j + 1, q->answer ? _("masked") : _("kept"), mask, j + 1,
			 order_word(i, j), i + 1);
		break;
	default:
		snprintf(why, sizeof why, _("q_%d attends most to k_%d \"%s\" (weight %s)"), i + 1,
			 q->answer + 1, m->tokens.text[q->answer],
			 fmt_str(&(fmt_text){0}, m->head[q->head].weights[(size_t)i * n + q->answer],
				 &FMT_FIXED[2], false));
		break;
	}
	char given[32];
	if (q->kind == AV_QUIZ_ARGMAX)
		snprintf(given, sizeof given, "k_%d", value + 1);
	else if (q->kind == AV_QUIZ_IS_MASKED)
		snprintf(given, sizeof given, "%s", value ? _("yes") : _("no"));
	else
		snprintf(given, sizeof given, "%d", value);
	if (right)
		snprintf(out, size, _("right, %d/%d: %s. Space: next"), score->right, score->asked,
			 why);
	else if (q->kind == AV_QUIZ_ARGMAX && value >= 0 && value < n &&
		 m->head[q->head].mask[(size_t)i * n + value] == 0.0f) /* say why */
		snprintf(out, size,
			 _("wrong (you said %s: it is masked for q_%d, so its weight is 0), %d/%d: %s. Space: next"),
			 given, i + 1, score->right, score->asked, why);
	else
		snprintf(out, size, _("wrong (you said %s), %d/%d: %s. Space: next"), given,
			 score->right, score->asked, why);
}

int teach_export_path(char *out, size_t size)
{
	for (int k = 1; k <= 9999; k++) {
		snprintf(out, size, "attnviz-export-%d.svg", k);
		if (access(out, F_OK) != 0 && errno == ENOENT)
			return 0;
	}
	return -1;
}
