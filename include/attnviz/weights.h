/* Model weights: the RNN's W_e, W_h, b and each attention head's W_q, W_k,
 * W_v, plus optional per-word input embeddings (format version 1), or a
 * trained language model (version 2): a vocabulary, the shared embedding
 * table E and the two vocabulary heads U, u and W_out, b_out. Made from a
 * seed (Glorot uniform) or read from a hand-editable text file (see README,
 * "Weight files"). All matrices are row-major float. */
#ifndef ATTNVIZ_WEIGHTS_H
#define ATTNVIZ_WEIGHTS_H

#include <stdint.h>
#include <stdio.h>
#include "attnviz/status.h"
#include "attnviz/tokenize.h"
#include "attnviz/mask.h"
#include "attnviz/vocab.h"

#define AV_MAX_DIM 128
#define AV_MAX_HEADS 8
#define AV_MAX_WORDS 256 /* per-word embeddings a weight file may hold */

typedef struct {
	int d_model;  /* D: size of an input vector c_n */
	int d_hidden; /* H: size of an RNN hidden state h_n */
	int heads;    /* K: attention heads, 1..8, divides D */
	int d_head;   /* D / K */

	float *W_e; /* (H, D)   h_n = tanh(W_h h_{n-1} + W_e c_n + b) */
	float *W_h; /* (H, H) */
	float *b;   /* (H) */
	float *W_q[AV_MAX_HEADS]; /* (D, d_head) each: Q = X W_q */
	float *W_k[AV_MAX_HEADS]; /* (D, d_head) */
	float *W_v[AV_MAX_HEADS]; /* (D, d_head) */

	int n_words;                               /* per-word embeddings */
	char word[AV_MAX_WORDS][AV_MAX_TOKEN_BYTES]; /* token strings */
	float *word_vec;                           /* (n_words, D) */

	/* Language model (version 2); vocab_size is 0 without one. */
	int vocab_size;                    /* V, "<unk>" (id 0) included */
	char (*vocab)[AV_MAX_TOKEN_BYTES]; /* (V) id -> word */
	float *E;     /* (V, D) shared inputs: c_t = E[tok_t] */
	float *U;     /* (H, V) RNN LM: logits_t = h_t U + u */
	float *u;     /* (V) */
	float *W_out; /* (D, V) attention LM: logits_t = (c_t + Z_t) W_out + b_out */
	float *b_out; /* (V) */
	/* How it was trained (-1: not said). */
	int trained_steps;
	int trained_mask;  /* an av_mask_kind */
	int positional;    /* 0/1: trained with the positional encoding */
} av_weights;

#define AV_MAX_VOCAB_FILE AV_MAX_VOCAB /* words a version-2 file may hold */

/* Check dims: 1 <= D, H <= 128, 1 <= K <= 8, K divides D. */
av_status av_weights_check_dims(int d_model, int d_hidden, int heads, av_error *err);

/* Allocate zeroed weights of the given shape. */
av_status av_weights_alloc(av_weights *w, int d_model, int d_hidden, int heads, av_error *err);

/* Allocate the language-model part of w for V words (zeroed, vocab
 * empty strings); the trained_* fields are set to -1. */
av_status av_weights_alloc_lm(av_weights *w, int V, av_error *err);

/* Allocate and fill from seed: every matrix Glorot-uniform,
 * U(-sqrt(6/(fan_in+fan_out)), +...), from its own stream named "W_e",
 * "W_h", "W_q.0", "W_k.0", "W_v.0", ...; b is U(-0.1, 0.1) from stream "b". */
av_status av_weights_init_seed(av_weights *w, int d_model, int d_hidden, int heads,
			       uint64_t seed, av_error *err);

void av_weights_free(av_weights *w);

/* Deep copy src into *dst (dst must not be allocated). */
av_status av_weights_copy(av_weights *dst, const av_weights *src, av_error *err);

/* The per-word embedding of token, or NULL if the file gave none. */
const float *av_weights_word(const av_weights *w, const char *token);

/* Parse a weight file held in memory (len bytes). name is used in messages
 * ("FILE:LINE: expected ..."). On error *w is left unallocated. */
av_status av_weights_parse(av_weights *w, const char *text, size_t len, const char *name,
			   av_error *err);

/* Read and parse a weight file from path. */
av_status av_weights_load(av_weights *w, const char *path, av_error *err);

/* Write w in the text format to f; loading it back gives every number
 * bit-exactly (floats are written with 9 significant digits). */
av_status av_weights_write(const av_weights *w, FILE *f, av_error *err);

/* Write to path through a temporary file renamed into place: never a
 * half-written file. */
av_status av_weights_save(const av_weights *w, const char *path, av_error *err);

#endif
