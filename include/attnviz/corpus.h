/* A training corpus: one sentence per line, tokenized with the tokenizer of
 * the viewer (attnviz/tokenize.h), blank lines and lines starting with '#'
 * skipped. A deterministic split puts some sentences aside as held-out, the
 * vocabulary is built from the training sentences only, and every sentence
 * becomes a row of token ids. */
#ifndef ATTNVIZ_CORPUS_H
#define ATTNVIZ_CORPUS_H

#include <stddef.h>
#include "attnviz/status.h"
#include "attnviz/vocab.h"

typedef struct {
	int n_sent;  /* sentences */
	int n_tok;   /* tokens of all sentences */
	int *start;  /* (n_sent + 1) first token of sentence s; start[n_sent] = n_tok */
	int *line;   /* (n_sent) line of the file it came from (1-based) */
	char (*tok)[AV_MAX_TOKEN_BYTES]; /* (n_tok) token strings */
	int *ids;    /* (n_tok) ids in the vocabulary, after av_corpus_map */
	unsigned char *heldout; /* (n_sent) 1 for a held-out sentence */
} av_corpus;

/* Parse len bytes of text (name for messages: "NAME:LINE: ..."). Every
 * line must tokenize (valid UTF-8, at most 64 tokens); a corpus with no
 * sentence of two tokens or more is an error (nothing to predict). */
av_status av_corpus_parse(av_corpus *c, const char *text, size_t len, const char *name,
			  av_error *err);
av_status av_corpus_load(av_corpus *c, const char *path, av_error *err);
void av_corpus_free(av_corpus *c);

/* Mark sentences held out: sentence s is held out when
 * floor((s + 1) * frac) > floor(s * frac), i.e. evenly spread, the same for
 * the same file and frac; frac in [0, 0.5]. */
void av_corpus_split(av_corpus *c, double frac);

/* Add every word of the training sentences to v, in corpus order. */
av_status av_corpus_vocab(av_vocab *v, const av_corpus *c, av_error *err);

/* ids[] of every token under v (<unk> for words outside it). */
void av_corpus_map(av_corpus *c, const av_vocab *v);

static inline int av_corpus_len(const av_corpus *c, int s)
{
	return c->start[s + 1] - c->start[s];
}

#endif
