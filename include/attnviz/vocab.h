/* The vocabulary of a language model: token strings <-> ids. Id 0 is always
 * "<unk>", the id of every word outside the vocabulary (the tokenizer never
 * makes "<unk>" itself: it splits it into "<", "unk", ">"). Ids follow the
 * order in which words were added, so a vocabulary built from the same
 * corpus is the same on every machine. */
#ifndef ATTNVIZ_VOCAB_H
#define ATTNVIZ_VOCAB_H

#include "attnviz/status.h"
#include "attnviz/tokenize.h"

#define AV_UNK "<unk>"
#define AV_UNK_ID 0
#define AV_MAX_VOCAB 4096

typedef struct {
	int n;                           /* words, <unk> included; 1..AV_MAX_VOCAB */
	char (*word)[AV_MAX_TOKEN_BYTES]; /* (n) NUL-terminated UTF-8 */
	int *sorted;                     /* (n) ids in strcmp order, for look-up */
} av_vocab;

/* An empty vocabulary holding only <unk>. */
av_status av_vocab_init(av_vocab *v, av_error *err);
void av_vocab_free(av_vocab *v);

/* *id: the id of word, adding it to v when new. AV_ERR_RANGE past
 * AV_MAX_VOCAB words. */
av_status av_vocab_add(av_vocab *v, int *id, const char *word, av_error *err);

/* Id of word, or AV_UNK_ID when it is not in the vocabulary. */
int av_vocab_id(const av_vocab *v, const char *word);

/* Deep copy (dst not allocated). */
av_status av_vocab_copy(av_vocab *dst, const av_vocab *src, av_error *err);

#endif
