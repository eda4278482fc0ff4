/* Vocabulary: a word table in insertion order plus an index sorted by
 * string, so that a look-up is a binary search and adding keeps it sorted. */
#include "attnviz/vocab.h"
#include "attnviz/i18n.h"

#include <stdlib.h>
#include <string.h>

av_status av_vocab_init(av_vocab *v, av_error *err)
{
	v->n = 0;
	v->word = malloc(AV_MAX_VOCAB * sizeof *v->word);
	v->sorted = malloc(AV_MAX_VOCAB * sizeof *v->sorted);
	if (!v->word || !v->sorted) {
		av_vocab_free(v);
		return av_error_set(err, AV_ERR_NOMEM, _("out of memory for a vocabulary"));
	}
	int id;
	return av_vocab_add(v, &id, AV_UNK, err);
}

void av_vocab_free(av_vocab *v)
{
	free(v->word);
	free(v->sorted);
	v->word = NULL;
	v->sorted = NULL;
	v->n = 0;
}

/* Position in sorted where word is or would go; *found set when it is. */
static int lower_bound(const av_vocab *v, const char *word, int *found)
{
	int lo = 0, hi = v->n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		int c = strcmp(v->word[v->sorted[mid]], word);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < v->n && strcmp(v->word[v->sorted[lo]], word) == 0;
	return lo;
}

av_status av_vocab_add(av_vocab *v, int *id, const char *word, av_error *err)
{
	int found, pos = lower_bound(v, word, &found);
	if (found) {
		*id = v->sorted[pos];
		return AV_OK;
	}
	if (v->n >= AV_MAX_VOCAB)
		return av_error_set(err, AV_ERR_RANGE,
				    _("more than %d different words: a vocabulary holds at most %d"),
				    AV_MAX_VOCAB, AV_MAX_VOCAB);
	size_t len = strlen(word);
	if (len == 0 || len >= AV_MAX_TOKEN_BYTES)
		return av_error_set(err, AV_ERR_RANGE, _("a vocabulary word has 1..%d bytes"),
				    AV_MAX_TOKEN_BYTES - 1);
	memcpy(v->word[v->n], word, len + 1);
	memmove(v->sorted + pos + 1, v->sorted + pos, (size_t)(v->n - pos) * sizeof *v->sorted);
	v->sorted[pos] = v->n;
	*id = v->n++;
	return AV_OK;
}

int av_vocab_id(const av_vocab *v, const char *word)
{
	int found, pos = lower_bound(v, word, &found);
	return found ? v->sorted[pos] : AV_UNK_ID;
}

av_status av_vocab_copy(av_vocab *dst, const av_vocab *src, av_error *err)
{
	dst->n = 0;
	dst->word = malloc(AV_MAX_VOCAB * sizeof *dst->word);
	dst->sorted = malloc(AV_MAX_VOCAB * sizeof *dst->sorted);
	if (!dst->word || !dst->sorted) {
		av_vocab_free(dst);
		return av_error_set(err, AV_ERR_NOMEM, _("out of memory for a vocabulary"));
	}
	memcpy(dst->word, src->word, (size_t)src->n * sizeof *src->word);
	memcpy(dst->sorted, src->sorted, (size_t)src->n * sizeof *src->sorted);
	dst->n = src->n;
	return AV_OK;
}
