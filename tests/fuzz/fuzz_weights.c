/* libFuzzer target: the weight-file parser on arbitrary bytes (versions 1
 * and 2; fuzz_weights_v2.c starts from version-2 seeds). On success
 * the weights are written back (av_weights_write into a memory FILE) and
 * parsed again: every shape, word and float must come back bit-for-bit,
 * and writing the copy must give the same text. On error *w must be left
 * unallocated and the message must be one line naming the file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "attnviz/weights.h"

static int same(const av_weights *a, const av_weights *b)
{
	if (a->d_model != b->d_model || a->d_hidden != b->d_hidden || a->heads != b->heads ||
	    a->d_head != b->d_head || a->n_words != b->n_words)
		return 0;
	size_t D = (size_t)a->d_model, H = (size_t)a->d_hidden, dh = (size_t)a->d_head;
	if (memcmp(a->W_e, b->W_e, H * D * sizeof(float)) ||
	    memcmp(a->W_h, b->W_h, H * H * sizeof(float)) || memcmp(a->b, b->b, H * sizeof(float)))
		return 0;
	for (int k = 0; k < a->heads; k++)
		if (memcmp(a->W_q[k], b->W_q[k], D * dh * sizeof(float)) ||
		    memcmp(a->W_k[k], b->W_k[k], D * dh * sizeof(float)) ||
		    memcmp(a->W_v[k], b->W_v[k], D * dh * sizeof(float)))
			return 0;
	for (int i = 0; i < a->n_words; i++)
		if (strcmp(a->word[i], b->word[i]) != 0)
			return 0;
	if (a->n_words && memcmp(a->word_vec, b->word_vec, (size_t)a->n_words * D * sizeof(float)))
		return 0;
	/* version 2: the language model and how it was trained */
	if (a->vocab_size != b->vocab_size || a->positional != b->positional ||
	    a->trained_mask != b->trained_mask || a->trained_steps != b->trained_steps)
		return 0;
	size_t V = (size_t)a->vocab_size;
	for (size_t i = 0; i < V; i++)
		if (strcmp(a->vocab[i], b->vocab[i]) != 0)
			return 0;
	if (V && (memcmp(a->E, b->E, V * D * sizeof(float)) ||
		  memcmp(a->U, b->U, H * V * sizeof(float)) || memcmp(a->u, b->u, V * sizeof(float)) ||
		  memcmp(a->W_out, b->W_out, D * V * sizeof(float)) ||
		  memcmp(a->b_out, b->b_out, V * sizeof(float))))
		return 0;
	return 1;
}

static char *write_text(const av_weights *w, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	av_error err;
	if (!f || av_weights_write(w, f, &err) != AV_OK)
		abort();
	fclose(f);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static av_weights w, back;
	av_error err;
	av_status st = av_weights_parse(&w, (const char *)data, size, "fuzz.txt", &err);
	if (st != AV_OK) {
		if (w.W_e || w.word_vec || w.E || w.vocab || w.d_model || err.code != st ||
		    strncmp(err.msg, "fuzz.txt:", 9) != 0 || strchr(err.msg, '\n'))
			abort();
		return 0;
	}
	size_t len, len2;
	char *text = write_text(&w, &len);
	if (av_weights_parse(&back, text, len, "again.txt", &err) != AV_OK) {
		fprintf(stderr, "written text does not parse: %s\n", err.msg);
		abort();
	}
	if (!same(&w, &back))
		abort();
	char *text2 = write_text(&back, &len2);
	if (len != len2 || memcmp(text, text2, len) != 0)
		abort();
	free(text);
	free(text2);
	av_weights_free(&w);
	av_weights_free(&back);
	return 0;
}
