/* Corpus loading and the held-out split. Lines are tokenized one by one; an
 * error names the file, the line and what was expected. */
#include "attnviz/corpus.h"
#include "attnviz/i18n.h"
#include "attnviz/readfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CORPUS_BYTES (64L << 20)

void av_corpus_free(av_corpus *c)
{
	free(c->start);
	free(c->line);
	free(c->tok);
	free(c->ids);
	free(c->heldout);
	memset(c, 0, sizeof *c);
}

/* Grow an array of elem-sized items to hold at least need. */
static int grow(void **p, int *cap, int need, size_t elem)
{
	if (need <= *cap)
		return 0;
	int cap2 = *cap ? *cap : 64;
	while (cap2 < need)
		cap2 *= 2;
	void *q = realloc(*p, (size_t)cap2 * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = cap2;
	return 0;
}

av_status av_corpus_parse(av_corpus *c, const char *text, size_t len, const char *name,
			  av_error *err)
{
	memset(c, 0, sizeof *c);
	int cap_s = 0, cap_l = 0, cap_t = 0, line = 0, predictable = 0;
	const char *p = text, *end = text + len;
	if (grow((void **)&c->start, &cap_s, 1, sizeof *c->start))
		goto nomem;
	c->start[0] = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		line++;
		const char *q = p;
		while (q < le && (*q == ' ' || *q == '\t' || *q == '\r'))
			q++;
		if (q == le || *q == '#') {
			p = nl ? nl + 1 : end;
			continue;
		}
		if (memchr(p, '\0', (size_t)(le - p))) {
			av_corpus_free(c);
			return av_error_set(err, AV_ERR_PARSE,
					    _("%s:%d: NUL byte: expected a line of UTF-8 text"), name, line);
		}
		av_tokens toks;
		av_error te;
		if (av_tokenize(&toks, p, (size_t)(le - p), &te) != AV_OK) {
			av_corpus_free(c);
			return av_error_set(err, te.code == AV_ERR_EMPTY ? AV_ERR_PARSE : te.code,
					    _("%s:%d: %s: expected one sentence of 1..%d tokens"),
					    name, line, te.msg, AV_MAX_TOKENS);
		}
		int s = c->n_sent;
		if (grow((void **)&c->start, &cap_s, s + 2, sizeof *c->start) ||
		    grow((void **)&c->line, &cap_l, s + 1, sizeof *c->line) ||
		    grow((void **)&c->tok, &cap_t, c->n_tok + toks.n, sizeof *c->tok))
			goto nomem;
		memcpy(c->tok + c->n_tok, toks.text, (size_t)toks.n * sizeof *c->tok);
		c->n_tok += toks.n;
		c->line[s] = line;
		c->start[s + 1] = c->n_tok;
		c->n_sent++;
		predictable += toks.n >= 2;
		p = nl ? nl + 1 : end;
	}
	if (predictable == 0) {
		av_corpus_free(c);
		return av_error_set(err, AV_ERR_PARSE,
				    _("%s:%d: no sentence of two tokens or more: expected one sentence "
				    "per line"),
				    name, line > 0 ? line : 1);
	}
	c->ids = calloc((size_t)c->n_tok, sizeof *c->ids);
	c->heldout = calloc((size_t)c->n_sent, 1);
	if (!c->ids || !c->heldout)
		goto nomem;
	return AV_OK;
nomem:
	av_corpus_free(c);
	return av_error_set(err, AV_ERR_NOMEM, _("%s: out of memory"), name);
}

av_status av_corpus_load(av_corpus *c, const char *path, av_error *err)
{
	memset(c, 0, sizeof *c);
	/* only a regular file: a FIFO or device would block (attnviz/readfile.h) */
	char *buf;
	size_t len;
	switch (av_read_regular(&buf, &len, path, (size_t)MAX_CORPUS_BYTES)) {
	case AV_FILE_REGULAR:
		break;
	case AV_FILE_DIRECTORY:
		return av_error_set(err, AV_ERR_IO, _("%s: cannot open corpus: %s"), path,
				    _("is a directory, expected a text file"));
	case AV_FILE_OTHER:
		return av_error_set(err, AV_ERR_IO, _("%s: cannot open corpus: %s"), path,
				    _("not a regular file (a FIFO, device or socket)"));
	case AV_FILE_TOO_LARGE:
		return av_error_set(err, AV_ERR_IO, _("%s: corpus larger than the %ld MiB limit"), path,
				    MAX_CORPUS_BYTES >> 20);
	case AV_FILE_NOMEM:
		return av_error_set(err, AV_ERR_NOMEM, _("%s: out of memory"), path);
	case AV_FILE_READ_ERROR:
		return av_error_set(err, AV_ERR_IO, _("%s: cannot read corpus: %s"), path,
				    strerror(errno));
	case AV_FILE_ERROR:
	default:
		return av_error_set(err, AV_ERR_IO, _("%s: cannot open corpus: %s"), path,
				    strerror(errno));
	}
	av_status st = av_corpus_parse(c, buf, len, path, err);
	free(buf);
	return st;
}

void av_corpus_split(av_corpus *c, double frac)
{
	for (int s = 0; s < c->n_sent; s++)
		c->heldout[s] = frac > 0 && (long)((s + 1) * frac) > (long)(s * frac);
}

av_status av_corpus_vocab(av_vocab *v, const av_corpus *c, av_error *err)
{
	for (int s = 0; s < c->n_sent; s++) {
		if (c->heldout[s])
			continue;
		for (int t = c->start[s]; t < c->start[s + 1]; t++) {
			int id;
			av_status st = av_vocab_add(v, &id, c->tok[t], err);
			if (st != AV_OK)
				return st;
		}
	}
	return AV_OK;
}

void av_corpus_map(av_corpus *c, const av_vocab *v)
{
	for (int t = 0; t < c->n_tok; t++)
		c->ids[t] = av_vocab_id(v, c->tok[t]);
}
