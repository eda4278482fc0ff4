/* Weight format version 2 (a language model): exact round trips (every
 * number, the text itself), version 1 still read, the LM <-> weights
 * conversion, and one specific error per malformed case naming the file,
 * the line and what was expected. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "attnviz/lm.h"
#include "attnviz/rng.h"
#include "attnviz/weights.h"

static char *write_text(const av_weights *w, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	ck_assert_ptr_nonnull(f);
	av_error err;
	ck_assert_msg(av_weights_write(w, f, &err) == AV_OK, "%s", err.msg);
	fclose(f);
	return buf;
}

static void fill(float *x, size_t n, av_rng *r)
{
	static const float hard[] = { 1e-38f, -3.4e38f, 0.1f, 1.0f / 3, -0.0f, 16777217.0f };
	for (size_t i = 0; i < n; i++)
		x[i] = i < 6 ? hard[i] : av_rng_symmetric(r, 2.0f);
}

static const char *const words[] = { "<unk>", "the", "cat", "#", "猫", "，", "sat", "." };
#define N_WORDS 8

static void make_v2(av_weights *w, int D, int H, int K)
{
	ck_assert_int_eq(av_weights_init_seed(w, D, H, K, 99, NULL), AV_OK);
	ck_assert_int_eq(av_weights_alloc_lm(w, N_WORDS, NULL), AV_OK);
	for (int i = 0; i < N_WORDS; i++)
		strcpy(w->vocab[i], words[i]);
	av_rng r = av_rng_stream(5, "v2");
	size_t V = N_WORDS;
	fill(w->E, V * (size_t)D, &r), fill(w->U, (size_t)H * V, &r), fill(w->u, V, &r);
	fill(w->W_out, (size_t)D * V, &r), fill(w->b_out, V, &r);
	w->positional = 1, w->trained_mask = AV_MASK_NONE, w->trained_steps = 3000;
}

static void expect_same_lm(const av_weights *a, const av_weights *b)
{
	ck_assert_int_eq(a->vocab_size, b->vocab_size);
	size_t V = (size_t)a->vocab_size, D = (size_t)a->d_model, H = (size_t)a->d_hidden;
	for (size_t i = 0; i < V; i++)
		ck_assert_str_eq(a->vocab[i], b->vocab[i]);
	ck_assert(memcmp(a->E, b->E, V * D * 4) == 0);
	ck_assert(memcmp(a->U, b->U, H * V * 4) == 0);
	ck_assert(memcmp(a->u, b->u, V * 4) == 0);
	ck_assert(memcmp(a->W_out, b->W_out, D * V * 4) == 0);
	ck_assert(memcmp(a->b_out, b->b_out, V * 4) == 0);
	ck_assert(memcmp(a->W_e, b->W_e, H * D * 4) == 0);
	ck_assert(memcmp(a->W_h, b->W_h, H * H * 4) == 0);
	for (int k = 0; k < a->heads; k++)
		ck_assert(memcmp(a->W_v[k], b->W_v[k], D * (size_t)a->d_head * 4) == 0);
	ck_assert_int_eq(a->positional, b->positional);
	ck_assert_int_eq(a->trained_mask, b->trained_mask);
	ck_assert_int_eq(a->trained_steps, b->trained_steps);
}

START_TEST(v2_roundtrip_exact)
{
	av_weights w, back, again;
	av_error err;
	make_v2(&w, 6, 5, 2);
	size_t len, len2;
	char *text = write_text(&w, &len);
	ck_assert(strncmp(text, "attnviz-weights 2\n", 18) == 0);
	ck_assert_msg(av_weights_parse(&back, text, len, "w.txt", &err) == AV_OK, "%s", err.msg);
	expect_same_lm(&w, &back);
	char *text2 = write_text(&back, &len2);
	ck_assert(len == len2 && memcmp(text, text2, len) == 0);
	ck_assert_int_eq(av_weights_copy(&again, &back, &err), AV_OK);
	expect_same_lm(&w, &again);
	free(text), free(text2);
	av_weights_free(&w), av_weights_free(&back), av_weights_free(&again);
}
END_TEST

START_TEST(v1_still_reads_and_writes_v1)
{
	av_weights w, back;
	av_error err;
	ck_assert_int_eq(av_weights_init_seed(&w, 4, 4, 1, 685, NULL), AV_OK);
	size_t len;
	char *text = write_text(&w, &len);
	ck_assert(strncmp(text, "attnviz-weights 1\n", 18) == 0);
	ck_assert_msg(av_weights_parse(&back, text, len, "w.txt", &err) == AV_OK, "%s", err.msg);
	ck_assert_int_eq(back.vocab_size, 0);
	ck_assert_int_eq(back.trained_steps, -1);
	free(text);
	av_weights_free(&w), av_weights_free(&back);
}
END_TEST

START_TEST(lm_weights_roundtrip)
{
	av_lm a, b;
	av_vocab v;
	av_weights w;
	av_error err;
	ck_assert_int_eq(av_vocab_init(&v, NULL), AV_OK);
	for (int i = 1; i < N_WORDS; i++)
		ck_assert_int_eq(av_vocab_add(&v, &(int){ 0 }, words[i], NULL), AV_OK);
	ck_assert_int_eq(av_lm_create(&a, N_WORDS, 6, 4, 3, AV_MASK_CAUSAL, true, NULL), AV_OK);
	ck_assert_int_eq(av_lm_create(&b, N_WORDS, 6, 4, 3, AV_MASK_CAUSAL, true, NULL), AV_OK);
	av_lm_init(&a, 4);
	ck_assert_int_eq(av_lm_to_weights(&w, &a, &v, &err), AV_OK);
	ck_assert_int_eq(av_lm_from_weights(&b, &w, &err), AV_OK);
	ck_assert(memcmp(a.params, b.params, a.n_params * sizeof(float)) == 0);
	ck_assert_str_eq(w.vocab[4], "猫");
	ck_assert_int_eq(w.positional, 1);
	av_weights_free(&w);
	av_lm_destroy(&a), av_lm_destroy(&b);
	av_vocab_free(&v);
}
END_TEST

/* ---- errors ----------------------------------------------------------------- */

static const char *const base[] = {
	"attnviz-weights 2", /* 1 */
	"d_model 2",         /* 2 */
	"d_hidden 1",        /* 3 */
	"heads 1",           /* 4 */
	"positional 1",      /* 5 */
	"mask causal",       /* 6 */
	"steps 10",          /* 7 */
	"vocab 3",           /* 8 */
	"<unk>",             /* 9 */
	"the",               /* 10 */
	"#",                 /* 11 */
	"W_e 1 2",           /* 12 */
	"1 2",               /* 13 */
	"W_h 1 1",           /* 14 */
	"3",                 /* 15 */
	"b 1",               /* 16 */
	"4",                 /* 17 */
	"W_q.0 2 2",         /* 18 */
	"1 0",               /* 19 */
	"0 1",               /* 20 */
	"W_k.0 2 2",         /* 21 */
	"1 0",               /* 22 */
	"0 1",               /* 23 */
	"W_v.0 2 2",         /* 24 */
	"1 0",               /* 25 */
	"0 1",               /* 26 */
	"E 3 2",             /* 27 */
	"1 2",               /* 28 */
	"3 4",               /* 29 */
	"5 6",               /* 30 */
	"U 1 3",             /* 31 */
	"1 2 3",             /* 32 */
	"u 3",               /* 33 */
	"0 0 1",             /* 34 */
	"W_out 2 3",         /* 35 */
	"1 0 0",             /* 36 */
	"0 1 0",             /* 37 */
	"b_out 3",           /* 38 */
	"0.5 0 -0.5",        /* 39 */
};
#define BASE_LINES ((int)(sizeof base / sizeof *base))

/* base with line `line` replaced by `with` (NULL deletes it), cut after
 * `keep` lines when keep >= 0. */
static char *variant(int line, const char *with, int keep)
{
	char *t = malloc(8192);
	size_t len = 0;
	int kept = 0;
	t[0] = '\0';
	for (int i = 1; i <= BASE_LINES; i++) {
		const char *s = i == line ? with : base[i - 1];
		if (!s)
			continue;
		if (keep >= 0 && kept >= keep)
			break;
		len += (size_t)snprintf(t + len, 8192 - len, "%s\n", s);
		kept++;
	}
	return t;
}

static void expect_error(char *text, av_status code, int line, const char *frag)
{
	av_weights w;
	av_error err = { AV_OK, "" };
	av_status st = av_weights_parse(&w, text, strlen(text), "t.txt", &err);
	ck_assert_msg(st == code, "status %d, expected %d: %s", st, code, err.msg);
	char where[32];
	snprintf(where, sizeof where, "t.txt:%d: ", line);
	ck_assert_msg(strncmp(err.msg, where, strlen(where)) == 0, "'%s' should start with '%s'",
		      err.msg, where);
	ck_assert_msg(strstr(err.msg, frag), "'%s' should contain '%s'", err.msg, frag);
	ck_assert_ptr_null(w.W_e);
	ck_assert_ptr_null(w.E);
	free(text);
}

START_TEST(base_is_valid)
{
	char *t = variant(0, NULL, -1);
	av_weights w;
	av_error err;
	ck_assert_msg(av_weights_parse(&w, t, strlen(t), "t.txt", &err) == AV_OK, "%s", err.msg);
	ck_assert_int_eq(w.vocab_size, 3);
	ck_assert_str_eq(w.vocab[2], "#");
	ck_assert(w.E[5] == 6.0f && w.U[2] == 3.0f && w.b_out[2] == -0.5f && w.W_out[4] == 1.0f);
	ck_assert(w.positional == 1 && w.trained_mask == AV_MASK_CAUSAL && w.trained_steps == 10);
	av_weights_free(&w);
	free(t);
}
END_TEST

START_TEST(vocab_errors)
{
	expect_error(variant(9, "the", -1), AV_ERR_PARSE, 9, "expected '<unk>'");
	expect_error(variant(11, "the", -1), AV_ERR_PARSE, 11, "given twice");
	expect_error(variant(11, "Cat", -1), AV_ERR_PARSE, 11, "as the tokenizer writes it");
	expect_error(variant(11, "a b", -1), AV_ERR_PARSE, 11, "unexpected 'b' after vocab word 'a': one word a line");
	expect_error(variant(11, "", -1), AV_ERR_PARSE, 11, "vocab word 3 of 3 is missing");
	expect_error(variant(0, NULL, 9), AV_ERR_PARSE, 9, "file ends inside vocab: got 1 of 3");
	expect_error(variant(8, "vocab 1", -1), AV_ERR_RANGE, 8, "expected a whole number 2..");
	expect_error(variant(8, "vocab three", -1), AV_ERR_RANGE, 8, "vocab 'three'");
	expect_error(variant(8, NULL, -1), AV_ERR_PARSE, 8, "unknown name '<unk>'");
	expect_error(variant(2, "vocab 3", -1), AV_ERR_PARSE, 2, "comes before d_model");
}
END_TEST

START_TEST(block_errors)
{
	expect_error(variant(27, "E 2 2", -1), AV_ERR_SHAPE, 27, "expected 3x2 (vocab x d_model)");
	expect_error(variant(32, "1 2", -1), AV_ERR_PARSE, 32, "expected 3 (vocab)");
	expect_error(variant(0, NULL, 34), AV_ERR_PARSE, 34, "file ends without W_out");
	/* a block of version 2 in a version-1 file, and the other way */
	expect_error(variant(1, "attnviz-weights 1", -1), AV_ERR_PARSE, 5, "belongs to version 2");
	expect_error(variant(12, "embed the 2\n1 2\nW_e 1 2", -1), AV_ERR_PARSE, 12,
		     "embed is a version-1 line");
	/* no vocab at all */
	char *t = variant(8, "# no vocab", -1);
	char *cut = strstr(t, "<unk>\nthe\n#\n");
	memmove(cut, cut + 12, strlen(cut + 12) + 1);
	expect_error(t, AV_ERR_PARSE, 24, "E comes before vocab is given");
}
END_TEST

START_TEST(setting_errors)
{
	expect_error(variant(5, "positional 2", -1), AV_ERR_PARSE, 5, "expected 0 or 1");
	expect_error(variant(6, "mask sideways", -1), AV_ERR_PARSE, 6, "causal, none, strict");
	expect_error(variant(7, "steps -1", -1), AV_ERR_PARSE, 7, "a whole number");
	expect_error(variant(7, "mask none", -1), AV_ERR_PARSE, 7, "mask given twice (first on line 6)");
	expect_error(variant(5, "positional 1 0", -1), AV_ERR_PARSE, 5, "one value per line");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("weights_v2");
	TCase *rt = tcase_create("Roundtrip");
	tcase_add_test(rt, v2_roundtrip_exact);
	tcase_add_test(rt, v1_still_reads_and_writes_v1);
	tcase_add_test(rt, lm_weights_roundtrip);
	suite_add_tcase(s, rt);
	TCase *er = tcase_create("Errors");
	tcase_add_test(er, base_is_valid);
	tcase_add_test(er, vocab_errors);
	tcase_add_test(er, block_errors);
	tcase_add_test(er, setting_errors);
	suite_add_tcase(s, er);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
