/* Weight files: exact round trips through text and disk, the documented
 * format (comments, embeddings, the shipped example), and one specific
 * error per malformed case, naming the file, the line and what was expected.
 * Fuzzer finds become regression tests in "Regressions". */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <ctype.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "attnviz/weights.h"

/* ---- helpers ---------------------------------------------------------------- */

/* Assert every number, shape and word of a and b is bit-for-bit the same. */
static void expect_same(const av_weights *a, const av_weights *b)
{
	ck_assert_int_eq(a->d_model, b->d_model);
	ck_assert_int_eq(a->d_hidden, b->d_hidden);
	ck_assert_int_eq(a->heads, b->heads);
	ck_assert_int_eq(a->d_head, b->d_head);
	size_t D = (size_t)a->d_model, H = (size_t)a->d_hidden, dh = (size_t)a->d_head;
	ck_assert(memcmp(a->W_e, b->W_e, H * D * sizeof(float)) == 0);
	ck_assert(memcmp(a->W_h, b->W_h, H * H * sizeof(float)) == 0);
	ck_assert(memcmp(a->b, b->b, H * sizeof(float)) == 0);
	for (int k = 0; k < a->heads; k++) {
		ck_assert(memcmp(a->W_q[k], b->W_q[k], D * dh * sizeof(float)) == 0);
		ck_assert(memcmp(a->W_k[k], b->W_k[k], D * dh * sizeof(float)) == 0);
		ck_assert(memcmp(a->W_v[k], b->W_v[k], D * dh * sizeof(float)) == 0);
	}
	ck_assert_int_eq(a->n_words, b->n_words);
	for (int i = 0; i < a->n_words; i++)
		ck_assert_str_eq(a->word[i], b->word[i]);
	if (a->n_words)
		ck_assert(memcmp(a->word_vec, b->word_vec, (size_t)a->n_words * D * sizeof(float)) == 0);
}

/* Text of w as av_weights_write gives it (caller frees). */
static char *write_text(const av_weights *w, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	ck_assert_ptr_nonnull(f);
	av_error err;
	ck_assert_int_eq(av_weights_write(w, f, &err), AV_OK);
	fclose(f);
	return buf;
}

/* Seeded weights with some embeddings and the floats hardest to print. */
static void make_weights(av_weights *w, int D, int H, int K, int n_words)
{
	av_error err;
	ck_assert_int_eq(av_weights_init_seed(w, D, H, K, 1234u + (unsigned)(D * 7 + K), &err),
			 AV_OK);
	const float hard[] = { -0.0f, FLT_TRUE_MIN, -FLT_TRUE_MIN, FLT_MIN, FLT_MAX, -FLT_MAX,
			       1.0f / 3.0f, 0.1f, 16777217.0f, 1e-40f };
	size_t HD = (size_t)H * (size_t)D;
	for (size_t i = 0; i < sizeof hard / sizeof *hard && i < HD; i++)
		w->W_e[i] = hard[i];
	w->b[0] = -0.0f;
	w->W_v[K - 1][0] = nextafterf(1.0f, 2.0f);
	w->word_vec = n_words ? malloc((size_t)n_words * (size_t)D * sizeof(float)) : NULL;
	for (int i = 0; i < n_words; i++) {
		snprintf(w->word[i], sizeof w->word[i], "w%d", i);
		for (int j = 0; j < D; j++)
			w->word_vec[(size_t)i * (size_t)D + (size_t)j] =
				(float)(i + 1) / (float)(j + 3) - 0.5f;
	}
	if (n_words > 1)
		snprintf(w->word[1], sizeof w->word[1], "猫");
	w->n_words = n_words;
}

static char tmpdir[64];

static void make_tmpdir(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/attnviz-wio-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

/* Entries in tmpdir, not counting . and .. */
static int tmpdir_entries(void)
{
	DIR *d = opendir(tmpdir);
	ck_assert_ptr_nonnull(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static void remove_tmpdir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char *assets_dir(void)
{
	const char *a = getenv("ATTNVIZ_ASSETS");
	return a && *a ? a : "assets";
}

/* ---- Roundtrip ---------------------------------------------------------------- */

static const int shapes[][4] = {
	/* D, H, K, words */
	{ 1, 1, 1, 0 }, { 4, 4, 1, 3 }, { 6, 3, 2, 2 }, { 8, 8, 8, 5 },
	{ 128, 128, 8, 256 }, { 128, 7, 4, 1 }, { 3, 128, 3, 0 },
};

START_TEST(write_parse_exact)
{
	const int *s = shapes[_i];
	av_weights w, back;
	av_error err;
	make_weights(&w, s[0], s[1], s[2], s[3]);
	size_t len;
	char *text = write_text(&w, &len);
	ck_assert_msg(av_weights_parse(&back, text, len, "mem", &err) == AV_OK, "%s", err.msg);
	expect_same(&w, &back);
	/* and the text is a fixed point: writing it again gives the same bytes */
	size_t len2;
	char *text2 = write_text(&back, &len2);
	ck_assert_uint_eq(len, len2);
	ck_assert(memcmp(text, text2, len) == 0);
	free(text);
	free(text2);
	av_weights_free(&w);
	av_weights_free(&back);
}
END_TEST

START_TEST(save_load_exact)
{
	const int *s = shapes[_i];
	av_weights w, back;
	av_error err;
	char path[128];
	make_tmpdir();
	snprintf(path, sizeof path, "%s/w.txt", tmpdir);
	make_weights(&w, s[0], s[1], s[2], s[3]);
	ck_assert_msg(av_weights_save(&w, path, &err) == AV_OK, "%s", err.msg);
	ck_assert_int_eq(tmpdir_entries(), 1); /* no temporary file left */
	ck_assert_msg(av_weights_load(&back, path, &err) == AV_OK, "%s", err.msg);
	expect_same(&w, &back);
	av_weights_free(&w);
	av_weights_free(&back);
	remove_tmpdir();
}
END_TEST

START_TEST(save_replaces_and_is_readable)
{
	av_weights a, b, back;
	av_error err;
	char path[128];
	struct stat sb;
	make_tmpdir();
	snprintf(path, sizeof path, "%s/w.txt", tmpdir);
	make_weights(&a, 4, 4, 1, 0);
	make_weights(&b, 8, 2, 2, 2);
	ck_assert_int_eq(av_weights_save(&a, path, &err), AV_OK);
	ck_assert_int_eq(av_weights_save(&b, path, &err), AV_OK);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0644);
	ck_assert_int_eq(av_weights_load(&back, path, &err), AV_OK);
	expect_same(&b, &back);
	ck_assert_int_eq(tmpdir_entries(), 1);
	/* a relative path (no directory part) works too */
	char cwd[4096];
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	ck_assert_int_eq(chdir(tmpdir), 0);
	ck_assert_int_eq(av_weights_save(&a, "rel.txt", &err), AV_OK);
	ck_assert_int_eq(chdir(cwd), 0);
	ck_assert_int_eq(tmpdir_entries(), 2);
	av_weights_free(&a);
	av_weights_free(&b);
	av_weights_free(&back);
	remove_tmpdir();
}
END_TEST

START_TEST(seeded_default_roundtrip)
{
	/* The weights attnviz uses by default (seed 685, D = H = 4, one head). */
	av_weights w, back;
	av_error err;
	ck_assert_int_eq(av_weights_init_seed(&w, 4, 4, 1, 685u, &err), AV_OK);
	size_t len;
	char *text = write_text(&w, &len);
	ck_assert_int_eq(av_weights_parse(&back, text, len, "mem", &err), AV_OK);
	expect_same(&w, &back);
	free(text);
	av_weights_free(&w);
	av_weights_free(&back);
}
END_TEST

START_TEST(tokens_as_words)
{
	/* --save-weights writes the sentence's tokens as embed words: every
	 * token the tokenizer makes must load back as a word. */
	const char *sentence = "The cat, 猫 sat; on the mat! #1 don't café «x» 東京 a.b (é)";
	av_tokens tok;
	av_weights w, back;
	av_error err;
	ck_assert_int_eq(av_tokenize(&tok, sentence, strlen(sentence), &err), AV_OK);
	make_weights(&w, 4, 4, 1, 0);
	w.word_vec = malloc((size_t)tok.n * 4 * sizeof(float));
	for (int t = 0; t < tok.n; t++) {
		if (av_weights_word(&w, tok.text[t]))
			continue;
		int k = w.n_words++;
		snprintf(w.word[k], sizeof w.word[k], "%s", tok.text[t]);
		for (int j = 0; j < 4; j++)
			w.word_vec[k * 4 + j] = (float)(t * 4 + j) * 0.125f;
	}
	size_t len;
	char *text = write_text(&w, &len);
	ck_assert_msg(av_weights_parse(&back, text, len, "mem", &err) == AV_OK, "%s", err.msg);
	expect_same(&w, &back);
	free(text);
	av_weights_free(&w);
	av_weights_free(&back);
}
END_TEST

START_TEST(locale_independent)
{
	/* Under a locale whose decimal mark is ',' the file is still read
	 * and written with '.'. `make deps` generates de_DE.UTF-8; without
	 * any such locale the test says SKIP on stderr instead of passing
	 * silently. */
	const char *names[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "ru_RU.UTF-8" };
	const char *got = NULL;
	for (size_t i = 0; i < sizeof names / sizeof *names && !got; i++)
		got = setlocale(LC_NUMERIC, names[i]);
	if (!got) {
		fprintf(stderr, "SKIP: check_weights_io locale_independent: no comma-decimal locale "
				"(de_DE.UTF-8); run `make deps` as root to generate it\n");
		return;
	}
	/* the locale really writes a comma, or this test proves nothing */
	char probe[16];
	snprintf(probe, sizeof probe, "%.1f", 0.5);
	ck_assert_str_eq(probe, "0,5");
	ck_assert_str_eq(localeconv()->decimal_point, ",");
	av_weights w, back;
	av_error err;
	make_weights(&w, 4, 4, 2, 1);
	size_t len;
	char *text = write_text(&w, &len);
	/* no decimal comma between digits (comments say "W_q.0, K" in words) */
	for (size_t i = 1; i + 1 < len; i++)
		ck_assert_msg(!(text[i] == ',' && isdigit((unsigned char)text[i - 1]) &&
				isdigit((unsigned char)text[i + 1])),
			      "decimal comma at byte %zu: %.20s", i, text + i - 1);
	ck_assert_ptr_nonnull(strstr(text, "0."));
	ck_assert_int_eq(av_weights_parse(&back, text, len, "mem", &err), AV_OK);
	expect_same(&w, &back);
	/* a hand-written line with a fractional number reads the same too */
	static const char hand_line[] = "attnviz-weights 1\nd_model 1\nd_hidden 1\nheads 1\n"
					"W_e 1 1\n0.5\nW_h 1 1\n-0.25\nb 1\n0.125\n"
					"W_q.0 1 1\n1.5\nW_k.0 1 1\n2\nW_v.0 1 1\n-3.75\n";
	av_weights small;
	ck_assert_msg(av_weights_parse(&small, hand_line, sizeof hand_line - 1, "mem", &err) == AV_OK,
		      "%s", err.msg);
	ck_assert(small.W_e[0] == 0.5f && small.W_h[0] == -0.25f && small.b[0] == 0.125f);
	ck_assert(small.W_q[0][0] == 1.5f && small.W_v[0][0] == -3.75f);
	av_weights_free(&small);
	setlocale(LC_NUMERIC, "C");
	free(text);
	av_weights_free(&w);
	av_weights_free(&back);
}
END_TEST

/* ---- Format --------------------------------------------------------------------- */

/* A hand-written file using every feature of the format. */
static const char hand[] =
	"\xEF\xBB\xBF" "attnviz-weights 1   # a byte order mark and a comment are fine\r\n"
	"\r\n"
	"# dims in any order\n"
	"heads 2\n"
	"  d_model 2 # indented\n"
	"d_hidden\t1\n"
	"W_h 1 1\n"
	"-0\n"
	"W_e 1 2\n"
	"  1.5   -2.25e1 # comment after numbers\n"
	"b 1\n"
	"0x1p-3\n"
	"W_q.1 2 1\n"
	"1\n"
	"+2\n"
	"W_q.0 2 1\n"
	"3\n"
	"4\n"
	"W_k.0 2 1\n5\n6\n"
	"W_k.1 2 1\n7\n8\n"
	"W_v.0 2 1\n9\n10\n"
	"W_v.1 2 1\n11\n1e-3\n"
	"embed cat 2\n"
	"0.25 -0.5\n"
	"embed 猫 2 # a CJK ideograph is a token of its own\n"
	"1 2\n"
	"embed # 2   # the word after embed is taken as written, even '#'\n"
	"3 4\n"
	"embed , 2\n"
	"5e-1 6\n"
	"# the end"; /* no final newline */

START_TEST(hand_written)
{
	av_weights w;
	av_error err;
	ck_assert_msg(av_weights_parse(&w, hand, sizeof hand - 1, "hand.txt", &err) == AV_OK, "%s",
		      err.msg);
	ck_assert_int_eq(w.d_model, 2);
	ck_assert_int_eq(w.d_hidden, 1);
	ck_assert_int_eq(w.heads, 2);
	ck_assert_int_eq(w.d_head, 1);
	ck_assert(w.W_h[0] == 0.0f && signbit(w.W_h[0]));
	ck_assert(w.W_e[0] == 1.5f && w.W_e[1] == -22.5f);
	ck_assert(w.b[0] == 0.125f);
	ck_assert(w.W_q[0][0] == 3.0f && w.W_q[0][1] == 4.0f);
	ck_assert(w.W_q[1][0] == 1.0f && w.W_q[1][1] == 2.0f);
	ck_assert(w.W_k[0][0] == 5.0f && w.W_k[1][1] == 8.0f);
	ck_assert(w.W_v[0][1] == 10.0f && w.W_v[1][0] == 11.0f && w.W_v[1][1] == 1e-3f);
	ck_assert_int_eq(w.n_words, 4);
	const float *cat = av_weights_word(&w, "cat");
	ck_assert_ptr_nonnull(cat);
	ck_assert(cat[0] == 0.25f && cat[1] == -0.5f);
	const float *neko = av_weights_word(&w, "猫");
	ck_assert_ptr_nonnull(neko);
	ck_assert(neko[0] == 1.0f && neko[1] == 2.0f);
	const float *hash = av_weights_word(&w, "#");
	ck_assert_ptr_nonnull(hash);
	ck_assert(hash[0] == 3.0f && hash[1] == 4.0f);
	ck_assert(av_weights_word(&w, ",")[0] == 0.5f);
	ck_assert_ptr_null(av_weights_word(&w, "dog"));
	av_weights_free(&w);
}
END_TEST

START_TEST(example_loads)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/weights/example.txt", assets_dir());
	av_weights w;
	av_error err;
	ck_assert_msg(av_weights_load(&w, path, &err) == AV_OK, "%s", err.msg);
	ck_assert_int_eq(w.d_model, 4);
	ck_assert_int_eq(w.d_hidden, 4);
	ck_assert_int_eq(w.heads, 1);
	ck_assert_int_eq(w.n_words, 5);
	const char *words[] = { "the", "cat", "sat", "on", "mat" };
	for (int i = 0; i < 5; i++)
		ck_assert_ptr_nonnull(av_weights_word(&w, words[i]));
	ck_assert(av_weights_word(&w, "cat")[0] == 1.0f);
	ck_assert(w.W_h[0] == 0.5f && w.W_h[1] == 0.0f && w.W_h[5] == 0.5f);
	ck_assert(w.W_e[0] == 0.9f && w.W_e[1] == 0.1f);
	ck_assert(w.W_q[0][0] == 1.0f && w.W_q[0][1] == 0.0f);
	av_weights_free(&w);
}
END_TEST

START_TEST(max_embeddings)
{
	/* 256 embeddings are allowed, 257 are not. */
	size_t cap = 1 << 16, len = 0;
	char *t = malloc(cap);
	len += (size_t)snprintf(t, cap, "attnviz-weights 1\nd_model 1\nd_hidden 1\nheads 1\n"
					"W_e 1 1\n1\nW_h 1 1\n1\nb 1\n1\nW_q.0 1 1\n1\n"
					"W_k.0 1 1\n1\nW_v.0 1 1\n1\n");
	for (int i = 0; i < AV_MAX_WORDS; i++)
		len += (size_t)snprintf(t + len, cap - len, "embed w%d 1\n%d\n", i, i);
	av_weights w;
	av_error err;
	ck_assert_msg(av_weights_parse(&w, t, len, "many.txt", &err) == AV_OK, "%s", err.msg);
	ck_assert_int_eq(w.n_words, AV_MAX_WORDS);
	ck_assert(av_weights_word(&w, "w255")[0] == 255.0f);
	av_weights_free(&w);
	len += (size_t)snprintf(t + len, cap - len, "embed extra 1\n1\n");
	ck_assert_int_eq(av_weights_parse(&w, t, len, "many.txt", &err), AV_ERR_PARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "many.txt:529:"));
	ck_assert_ptr_nonnull(strstr(err.msg, "at most 256"));
	ck_assert_ptr_null(w.W_e);
	free(t);
}
END_TEST

/* ---- Errors --------------------------------------------------------------------- */

/* A valid file, one numbered line per entry, that the cases below change. */
static const char *const base[] = {
	"attnviz-weights 1", /*  1 */
	"d_model 2",         /*  2 */
	"d_hidden 2",        /*  3 */
	"heads 1",           /*  4 */
	"W_e 2 2",           /*  5 */
	"1 2",               /*  6 */
	"3 4",               /*  7 */
	"W_h 2 2",           /*  8 */
	"5 6",               /*  9 */
	"7 8",               /* 10 */
	"b 2",               /* 11 */
	"9 10",              /* 12 */
	"W_q.0 2 2",         /* 13 */
	"1 0",               /* 14 */
	"0 1",               /* 15 */
	"W_k.0 2 2",         /* 16 */
	"1 0",               /* 17 */
	"0 1",               /* 18 */
	"W_v.0 2 2",         /* 19 */
	"1 0",               /* 20 */
	"0 1",               /* 21 */
};
#define BASE_LINES ((int)(sizeof base / sizeof *base))

/* base with line `line` replaced by `with` (NULL deletes it; with may hold
 * several lines), keeping only the first `keep` lines of the result
 * (keep < 0: all), then `append`. */
static char *variant(int line, const char *with, int keep, const char *append)
{
	size_t cap = 4096 + (with ? strlen(with) : 0) + (append ? strlen(append) : 0), len = 0;
	char *t = malloc(cap);
	int kept = 0;
	t[0] = '\0';
	for (int i = 1; i <= BASE_LINES; i++) {
		const char *s = i == line ? with : base[i - 1];
		if (!s)
			continue;
		if (keep >= 0 && kept >= keep)
			break;
		len += (size_t)snprintf(t + len, cap - len, "%s\n", s);
		kept++;
	}
	if (append)
		snprintf(t + len, cap - len, "%s", append);
	return t;
}

/* Parse text; expect code and a message holding "t.txt:LINE:" and each
 * of up to two further fragments; *w must be left unallocated. */
static void expect_error_n(const char *text, size_t len, av_status code, int line,
			   const char *frag1, const char *frag2)
{
	av_weights w;
	av_error err = { AV_OK, "" };
	memset(&w, 0xA5, sizeof w);
	av_status st = av_weights_parse(&w, text, len, "t.txt", &err);
	ck_assert_msg(st == code, "status %d (%s), expected %d; message: %s", st,
		      av_status_name(st), code, err.msg);
	ck_assert_int_eq(err.code, code);
	char where[32];
	snprintf(where, sizeof where, "t.txt:%d: ", line);
	ck_assert_msg(strncmp(err.msg, where, strlen(where)) == 0, "'%s' should start with '%s'",
		      err.msg, where);
	if (frag1)
		ck_assert_msg(strstr(err.msg, frag1), "'%s' should contain '%s'", err.msg, frag1);
	if (frag2)
		ck_assert_msg(strstr(err.msg, frag2), "'%s' should contain '%s'", err.msg, frag2);
	ck_assert_ptr_null(strchr(err.msg, '\n'));
	ck_assert_ptr_null(w.W_e);
	ck_assert_ptr_null(w.word_vec);
	ck_assert_int_eq(w.d_model, 0);
}

static void expect_error(char *text, av_status code, int line, const char *frag1,
			 const char *frag2)
{
	expect_error_n(text, strlen(text), code, line, frag1, frag2);
	free(text);
}

START_TEST(base_is_valid)
{
	char *t = variant(0, NULL, -1, NULL);
	av_weights w;
	av_error err;
	ck_assert_msg(av_weights_parse(&w, t, strlen(t), "t.txt", &err) == AV_OK, "%s", err.msg);
	ck_assert(w.W_h[3] == 8.0f && w.b[1] == 10.0f);
	av_weights_free(&w);
	free(t);
}
END_TEST

START_TEST(bad_magic)
{
	expect_error(variant(1, "hello world", -1, NULL), AV_ERR_PARSE, 1,
		     "not an attnviz weight file", "expected 'attnviz-weights 1'");
	expect_error(variant(1, "# comment first", -1, NULL), AV_ERR_PARSE, 1,
		     "not an attnviz weight file", "first line");
	expect_error(strdup(""), AV_ERR_PARSE, 1, "not an attnviz weight file", NULL);
	expect_error(strdup("{\"format\": \"attnviz-dump\"}\n"), AV_ERR_PARSE, 1, "JSON",
		     "--save-weights");
	expect_error(variant(1, "attnviz-weights", -1, NULL), AV_ERR_PARSE, 1,
		     "version is missing", "'attnviz-weights 1'");
	expect_error(variant(1, "attnviz-weights 1 extra", -1, NULL), AV_ERR_PARSE, 1,
		     "unexpected 'extra'", NULL);
}
END_TEST

START_TEST(bad_version)
{
	expect_error(variant(1, "attnviz-weights 3", -1, NULL), AV_ERR_PARSE, 1,
		     "version '3' is not supported", "reads versions 1 and 2 (the file comes from a newer");
	expect_error(variant(1, "attnviz-weights 0.9", -1, NULL), AV_ERR_PARSE, 1,
		     "version '0.9' is not supported", "reads versions 1 and 2");
	/* issue 14: version 1 is written "1", not "01" */
	expect_error(variant(1, "attnviz-weights 01", -1, NULL), AV_ERR_PARSE, 1,
		     "version '01' is not supported", NULL);
}
END_TEST

/* Issue 14: a huge declared size is named as written, not as a capped
 * 1000000000. */
START_TEST(huge_shape_named_as_written)
{
	expect_error(variant(5, "W_e 4294967296 2", -1, NULL), AV_ERR_SHAPE, 5,
		     "W_e is 4294967296x2, expected 2x2", NULL);
	expect_error(variant(11, "b 99999999999", -1, NULL), AV_ERR_SHAPE, 11,
		     "b has length 99999999999, expected 2", NULL);
}
END_TEST

/* Issue 14: a write error says "cannot write weights" once (the atomic
 * writer adds it; the weights writer gives only the reason). */
START_TEST(write_error_said_once)
{
	FILE *f = fopen("/dev/full", "w");
	if (!f) {
		fprintf(stderr, "SKIP write_error_said_once: no /dev/full\n");
		return;
	}
	av_weights w;
	av_error err;
	ck_assert_int_eq(av_weights_init_seed(&w, 4, 4, 1, 7, &err), AV_OK);
	ck_assert_int_eq(av_weights_write(&w, f, &err), AV_ERR_IO);
	fclose(f);
	ck_assert_str_eq(err.msg, strerror(ENOSPC));
	av_weights_free(&w);
}
END_TEST

START_TEST(missing_dims)
{
	expect_error(variant(3, NULL, -1, NULL), AV_ERR_PARSE, 4,
		     "W_e comes before d_hidden is given", "d_model, d_hidden and heads first");
	expect_error(variant(2, "W_e 2 2", -1, NULL), AV_ERR_PARSE, 2,
		     "W_e comes before d_model, d_hidden and heads are given", NULL);
	expect_error(variant(0, NULL, 3, NULL), AV_ERR_PARSE, 3,
		     "file ends before heads is given", NULL);
	expect_error(variant(2, "d_model", -1, NULL), AV_ERR_PARSE, 2,
		     "d_model needs a value", "1..128");
	expect_error(variant(2, "d_model four", -1, NULL), AV_ERR_PARSE, 2,
		     "'four' is not a whole number", "1..128");
	expect_error(variant(3, "d_hidden 2 3", -1, NULL), AV_ERR_PARSE, 3, "unexpected '3'",
		     NULL);
	expect_error(variant(0, NULL, -1, "d_model 2\n"), AV_ERR_PARSE, 22,
		     "d_model given twice (first on line 2)", NULL);
	expect_error(variant(4, "embed cat 2", -1, NULL), AV_ERR_PARSE, 4,
		     "embed comes before heads is given",
		     NULL);
	expect_error(variant(3, "W_e 2 2", -1, NULL), AV_ERR_PARSE, 3,
		     "W_e comes before d_hidden and heads are given", NULL);
}
END_TEST

START_TEST(dims_out_of_range)
{
	expect_error(variant(2, "d_model 0", -1, NULL), AV_ERR_RANGE, 2,
		     "d_model 0 is out of range", "expected 1..128");
	expect_error(variant(2, "d_model 129", -1, NULL), AV_ERR_RANGE, 2, "d_model 129", "1..128");
	expect_error(variant(3, "d_hidden 99999999999999", -1, NULL), AV_ERR_RANGE, 3, "d_hidden",
		     "1..128");
	expect_error(variant(4, "heads 9", -1, NULL), AV_ERR_RANGE, 4, "heads 9", "1..8");
	expect_error(variant(4, "heads -1", -1, NULL), AV_ERR_PARSE, 4,
		     "'-1' is not a whole number", "1..8");
}
END_TEST

START_TEST(heads_not_dividing)
{
	expect_error(variant(4, "heads 3", -1, NULL), AV_ERR_SHAPE, 4,
		     "heads 3 does not divide d_model 2", NULL);
	/* reported on the line that completes the pair, whichever comes last */
	expect_error(strdup("attnviz-weights 1\nheads 2\nd_hidden 4\nd_model 5\n"), AV_ERR_SHAPE,
		     4, "heads 2 does not divide d_model 5", NULL);
}
END_TEST

START_TEST(wrong_shape)
{
	expect_error(variant(8, "W_h 2 3", -1, NULL), AV_ERR_SHAPE, 8,
		     "W_h is 2x3, expected 2x2 (d_hidden x d_hidden)", NULL);
	expect_error(variant(5, "W_e 3 2", -1, NULL), AV_ERR_SHAPE, 5,
		     "W_e is 3x2, expected 2x2 (d_hidden x d_model)", NULL);
	expect_error(variant(13, "W_q.0 2 1", -1, NULL), AV_ERR_SHAPE, 13,
		     "W_q.0 is 2x1, expected 2x2 (d_model x d_head)", NULL);
	expect_error(variant(11, "b 3", -1, NULL), AV_ERR_SHAPE, 11,
		     "b has length 3, expected 2 (d_hidden)", NULL);
	expect_error(variant(8, "W_h 2", -1, NULL), AV_ERR_PARSE, 8, "W_h needs its shape",
		     "expected 'W_h 2 2'");
	expect_error(variant(8, "W_h two 2", -1, NULL), AV_ERR_PARSE, 8,
		     "'two' is not a whole number", "expected 'W_h 2 2'");
	expect_error(variant(11, "b 2 9 10", -1, NULL), AV_ERR_PARSE, 11, "unexpected '9'",
		     "the numbers go on the next line");
	expect_error(variant(13, "W_q.1 2 2", -1, NULL), AV_ERR_SHAPE, 13, "no matrix 'W_q.1'",
		     "heads is 1");
}
END_TEST

START_TEST(row_length)
{
	expect_error(variant(9, "5", -1, NULL), AV_ERR_PARSE, 9,
		     "W_h row 1 has 1 number, expected 2 (d_hidden)", NULL);
	expect_error(variant(10, "7 8 9", -1, NULL), AV_ERR_PARSE, 10,
		     "W_h row 2 has 3 numbers, expected 2 (d_hidden)", NULL);
	expect_error(variant(12, "9 10 11", -1, NULL), AV_ERR_PARSE, 12,
		     "b has 3 numbers, expected 2 (d_hidden)", NULL);
}
END_TEST

START_TEST(row_split_over_lines)
{
	/* rows are lines: a row split in two is a short row */
	expect_error(variant(6, "1\n2", -1, NULL), AV_ERR_PARSE, 6, "W_e row 1 has 1 number",
		     NULL);
	/* a block that ends early says so */
	expect_error(variant(10, NULL, -1, NULL), AV_ERR_PARSE, 10,
		     "W_h ends after 1 of 2 rows: found 'b'", "expected row 2 of 2 numbers");
	expect_error(variant(12, NULL, -1, NULL), AV_ERR_PARSE, 12, "b has no numbers",
		     "found 'W_q.0'");
	/* a row too many shows up as a number where a name belongs */
	expect_error(variant(7, "3 4\n5 6", -1, NULL), AV_ERR_PARSE, 8, "unexpected number '5'",
		     "expected a name: does the block above have more rows");
}
END_TEST

START_TEST(not_a_number)
{
	expect_error(variant(12, "9 ten", -1, NULL), AV_ERR_PARSE, 12, "b: 'ten' is not a number",
		     NULL);
	expect_error(variant(9, "5 6x", -1, NULL), AV_ERR_PARSE, 9,
		     "W_h row 1: '6x' is not a number", NULL);
	expect_error(variant(9, "5 1.2.3", -1, NULL), AV_ERR_PARSE, 9, "'1.2.3' is not a number",
		     NULL);
	expect_error(variant(9, "5 0x", -1, NULL), AV_ERR_PARSE, 9, "'0x' is not a number", NULL);
	expect_error(variant(9, "5 ,5", -1, NULL), AV_ERR_PARSE, 9, "',5' is not a number", NULL);
	expect_error(variant(9, "5 0,5", -1, NULL), AV_ERR_PARSE, 9, "'0,5' is not a number",
		     NULL);
	/* control bytes are never echoed */
	expect_error(variant(9, "5 \x1b[31m", -1, NULL), AV_ERR_PARSE, 9, "'?[31m' is not a number",
		     NULL);
}
END_TEST

START_TEST(not_finite)
{
	expect_error(variant(14, "nan 0", -1, NULL), AV_ERR_PARSE, 14,
		     "W_q.0 row 1: 'nan' is not a finite number", "nan and inf are not allowed");
	expect_error(variant(15, "0 -inf", -1, NULL), AV_ERR_PARSE, 15,
		     "'-inf' is not a finite number", NULL);
	expect_error(variant(15, "0 Infinity", -1, NULL), AV_ERR_PARSE, 15,
		     "'Infinity' is not a finite number", NULL);
	expect_error(variant(15, "0 NAN(123)", -1, NULL), AV_ERR_PARSE, 15, "not a finite", NULL);
	expect_error(variant(15, "0 1e39", -1, NULL), AV_ERR_PARSE, 15, "1e39 is too large",
		     NULL);
	expect_error(variant(15, "0 -3.5e38", -1, NULL), AV_ERR_PARSE, 15, "too large", NULL);
}
END_TEST

START_TEST(unknown_name)
{
	expect_error(variant(13, "W_x 2 2", -1, NULL), AV_ERR_PARSE, 13, "unknown name 'W_x'",
		     "expected d_model, d_hidden, heads, W_e, W_h, b, W_q.K, W_k.K, W_v.K or embed");
	expect_error(variant(5, "w_e 2 2", -1, NULL), AV_ERR_PARSE, 5, "unknown name 'w_e'", NULL);
	char *longname = malloc(5000);
	memset(longname, 'z', 4999);
	longname[4999] = '\0';
	expect_error(variant(5, longname, -1, NULL), AV_ERR_PARSE, 5,
		     "unknown name 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz...'", NULL);
	free(longname);
}
END_TEST

START_TEST(duplicate_matrix)
{
	expect_error(variant(0, NULL, -1, "W_e 2 2\n1 2\n3 4\n"), AV_ERR_PARSE, 22,
		     "W_e given twice (first on line 5)", NULL);
}
END_TEST

START_TEST(missing_matrix)
{
	expect_error(variant(0, NULL, 18, NULL), AV_ERR_PARSE, 18,
		     "file ends without W_v.0 2 2 (d_model x d_head)", "every matrix is required");
	expect_error(variant(0, NULL, 12, "# a comment at the end\n"), AV_ERR_PARSE, 13,
		     "file ends without W_q.0 2 2 (d_model x d_head), W_k.0, W_v.0", NULL);
	expect_error(variant(0, NULL, 4, NULL), AV_ERR_PARSE, 4,
		     "file ends without W_e 2 2 (d_hidden x d_model), W_h, b, W_q.0, W_k.0, W_v.0",
		     NULL);
}
END_TEST

START_TEST(truncated)
{
	expect_error(variant(0, NULL, 20, NULL), AV_ERR_PARSE, 20,
		     "file ends inside W_v.0: got 1 of 2 rows", "expected row 2 of 2 numbers");
	expect_error(variant(0, NULL, 11, NULL), AV_ERR_PARSE, 11, "file ends inside b",
		     "expected a line of 2 numbers");
	/* cut in the middle of the last row, no newline */
	char *t = variant(0, NULL, -1, NULL);
	t[strlen(t) - 2] = '\0'; /* "...\n0 1\n" -> "...\n0 " */
	expect_error(t, AV_ERR_PARSE, 21, "W_v.0 row 2 has 1 number, expected 2", NULL);
	/* cut inside a header */
	t = variant(0, NULL, 18, "W_v.0 2");
	expect_error(t, AV_ERR_PARSE, 19, "W_v.0 needs its shape", NULL);
}
END_TEST

START_TEST(embed_errors)
{
	expect_error(variant(0, NULL, -1, "embed cat 2\n1 2\nembed dog 2\n1 2\nembed cat 2\n3 4\n"),
		     AV_ERR_PARSE, 26, "embed 'cat' given twice (first on line 22)", NULL);
	expect_error(variant(0, NULL, -1, "embed cat 3\n1 2 3\n"), AV_ERR_SHAPE, 22,
		     "embed 'cat' has length 3, expected 2 (d_model)", NULL);
	expect_error(variant(0, NULL, -1, "embed cat 2\n1 2 3\n"), AV_ERR_PARSE, 23,
		     "embed 'cat' has 3 numbers, expected 2 (d_model)", NULL);
	expect_error(variant(0, NULL, -1, "embed cat 2\n"), AV_ERR_PARSE, 22,
		     "file ends inside embed 'cat'", NULL);
	expect_error(variant(0, NULL, -1, "embed cat\n1 2\n"), AV_ERR_PARSE, 22,
		     "embed 'cat' needs its length", "expected 'embed cat 2'");
	expect_error(variant(0, NULL, -1, "embed\n"), AV_ERR_PARSE, 22, "embed needs a word",
		     NULL);
	expect_error(variant(0, NULL, -1, "embed Cat 2\n1 2\n"), AV_ERR_PARSE, 22,
		     "embed word 'Cat' can never match", "turns it into 'cat'");
	expect_error(variant(0, NULL, -1, "embed cat. 2\n1 2\n"), AV_ERR_PARSE, 22,
		     "splits it into 2 tokens", NULL);
	expect_error(variant(0, NULL, -1, "embed \xff\xfe 2\n1 2\n"), AV_ERR_PARSE, 22,
		     "invalid UTF-8 at byte 0", NULL);
	expect_error(variant(0, NULL, -1, "embed cat 2 1 2\n"), AV_ERR_PARSE, 22,
		     "unexpected '1' after 'embed cat 2'", NULL);
	char line[200];
	snprintf(line, sizeof line, "embed %.*s 2\n1 2\n", 64,
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	expect_error(variant(0, NULL, -1, line), AV_ERR_PARSE, 22, "is 64 bytes, at most 63",
		     NULL);
	/* 63 bytes is fine */
	snprintf(line, sizeof line, "embed %.*s 2\n1 2\n", 63,
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	char *t = variant(0, NULL, -1, line);
	av_weights w;
	av_error err;
	ck_assert_msg(av_weights_parse(&w, t, strlen(t), "t.txt", &err) == AV_OK, "%s", err.msg);
	ck_assert_int_eq(w.n_words, 1);
	ck_assert_uint_eq(strlen(w.word[0]), 63);
	av_weights_free(&w);
	free(t);
}
END_TEST

START_TEST(nul_byte)
{
	char *t = variant(0, NULL, -1, NULL);
	size_t len = strlen(t);
	t[30] = '\0'; /* on line 3 */
	expect_error_n(t, len, AV_ERR_PARSE, 3, "NUL byte at offset 30", "text");
	free(t);
}
END_TEST

START_TEST(huge_line)
{
	/* a 1 MB row: no line-length limit, just the count */
	size_t n = 500000;
	char *row = malloc(2 * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(row + 2 * i, "1 ", 2);
	row[2 * n] = '\0';
	expect_error(variant(9, row, -1, NULL), AV_ERR_PARSE, 9,
		     "W_h row 1 has 500000 numbers, expected 2", NULL);
	/* a number longer than any float needs */
	memset(row, '1', 600);
	row[600] = '\0';
	expect_error(variant(9, row, -1, NULL), AV_ERR_PARSE, 9, "is longer than 512 characters",
		     NULL);
	free(row);
}
END_TEST

START_TEST(missing_file)
{
	av_weights w;
	av_error err;
	memset(&w, 0xA5, sizeof w);
	ck_assert_int_eq(av_weights_load(&w, "/nonexistent/dir/w.txt", &err), AV_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/dir/w.txt"));
	ck_assert_ptr_nonnull(strstr(err.msg, strerror(ENOENT)));
	ck_assert_ptr_null(w.W_e);
	ck_assert_int_eq(av_weights_load(&w, "/tmp", &err), AV_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, "/tmp: is a directory"));
	/* a parse error from load names the path */
	make_tmpdir();
	char path[128];
	snprintf(path, sizeof path, "%s/bad.txt", tmpdir);
	FILE *f = fopen(path, "w");
	fputs("attnviz-weights 1\nd_model 2\nd_model 2\n", f);
	fclose(f);
	ck_assert_int_eq(av_weights_load(&w, path, &err), AV_ERR_PARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, path));
	ck_assert_ptr_nonnull(strstr(err.msg, ":3: d_model given twice"));
	remove_tmpdir();
}
END_TEST

START_TEST(too_large_file)
{
	make_tmpdir();
	char path[128];
	snprintf(path, sizeof path, "%s/big.txt", tmpdir);
	int fd = open(path, O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (64L << 20) + 1), 0); /* sparse: takes no space */
	close(fd);
	av_weights w;
	av_error err;
	ck_assert_int_eq(av_weights_load(&w, path, &err), AV_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, "64 MiB"));
	ck_assert_ptr_nonnull(strstr(err.msg, path));
	remove_tmpdir();
}
END_TEST

START_TEST(unwritable_path)
{
	av_weights w;
	av_error err;
	char path[128];
	make_weights(&w, 4, 4, 1, 1);
	make_tmpdir();
	/* into a directory that does not exist */
	snprintf(path, sizeof path, "%s/nope/w.txt", tmpdir);
	ck_assert_int_eq(av_weights_save(&w, path, &err), AV_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, path));
	ck_assert_ptr_nonnull(strstr(err.msg, strerror(ENOENT)));
	ck_assert_int_eq(tmpdir_entries(), 0);
	/* onto a directory: the temporary file is written, the rename fails,
	 * and nothing is left behind */
	snprintf(path, sizeof path, "%s/adir", tmpdir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	char inner[160];
	snprintf(inner, sizeof inner, "%s/x", path);
	fclose(fopen(inner, "w"));
	ck_assert_int_eq(av_weights_save(&w, path, &err), AV_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, path));
	ck_assert_int_eq(tmpdir_entries(), 1);
	/* a path ending in '/' */
	ck_assert_int_eq(av_weights_save(&w, "/tmp/", &err), AV_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, "not a regular file"));
	/* a FIFO and a symbolic link are refused, never replaced by a regular
	 * file. (Not /dev/null: as root, a regression here replaced the
	 * machine's /dev/null with a weight file, and every later run of this
	 * test made it worse. The refusal is one code path for any
	 * non-regular file.) */
	char fifo[160], link[160];
	snprintf(fifo, sizeof fifo, "%s/fifo", tmpdir);
	snprintf(link, sizeof link, "%s/link", tmpdir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(symlink("target.txt", link), 0);
	ck_assert_int_eq(av_weights_save(&w, fifo, &err), AV_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, "not a regular file"));
	ck_assert_int_eq(av_weights_save(&w, link, &err), AV_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, "not a regular file"));
	struct stat sb;
	ck_assert_int_eq(lstat(fifo, &sb), 0);
	ck_assert(S_ISFIFO(sb.st_mode));
	ck_assert_int_eq(lstat(link, &sb), 0);
	ck_assert(S_ISLNK(sb.st_mode));
	ck_assert_int_eq(tmpdir_entries(), 3); /* adir, fifo, link: no temporary left */
	av_weights_free(&w);
	remove_tmpdir();
}
END_TEST

START_TEST(write_error)
{
	FILE *f = fopen("/dev/full", "w");
	if (!f)
		return;
	av_weights w;
	av_error err;
	make_weights(&w, 16, 16, 2, 0);
	ck_assert_int_eq(av_weights_write(&w, f, &err), AV_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, strerror(ENOSPC)));
	fclose(f);
	av_weights_free(&w);
}
END_TEST

START_TEST(write_refuses_unreadable)
{
	/* weights whose text could not be read back are not written */
	av_weights w;
	av_error err;
	make_weights(&w, 4, 4, 1, 2);
	snprintf(w.word[1], sizeof w.word[1], "two words");
	FILE *f = fopen("/dev/null", "w");
	ck_assert_int_eq(av_weights_write(&w, f, &err), AV_ERR_RANGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "embedding 1"));
	w.word[1][0] = '\0';
	ck_assert_int_eq(av_weights_write(&w, f, &err), AV_ERR_RANGE);
	fclose(f);
	av_weights_free(&w);
}
END_TEST

/* Files that are not files: an endless stream stops at the size limit, a
 * read error is named; weights that cannot be written are refused first. */
START_TEST(streams_and_unwritable_weights)
{
	av_weights w;
	av_error err;
	/* a device (an endless stream) is refused before a byte is read
	 * (issue 14: a FIFO would block forever) */
	ck_assert_int_eq(av_weights_load(&w, "/dev/zero", &err), AV_ERR_IO);
	ck_assert_str_eq(err.msg, "/dev/zero: not a regular file (a FIFO, device or socket), "
				  "expected a weight file");
	ck_assert_ptr_null(w.W_e);
	/* a regular file past the limit (sparse: no disk used) */
	make_tmpdir();
	char big[160];
	snprintf(big, sizeof big, "%s/big.txt", tmpdir);
	FILE *bf = fopen(big, "w");
	ck_assert_ptr_nonnull(bf);
	ck_assert_int_eq(ftruncate(fileno(bf), (off_t)65 << 20), 0);
	fclose(bf);
	ck_assert_int_eq(av_weights_load(&w, big, &err), AV_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, "big.txt: file is 68157440 bytes, larger than the 64 MiB "
					      "limit for weight files"));
	ck_assert_ptr_null(w.W_e);
	remove_tmpdir();
	/* reading this process's memory at address 0 fails with EIO */
	ck_assert_int_eq(av_weights_load(&w, "/proc/self/mem", &err), AV_ERR_IO);
	char want[200];
	snprintf(want, sizeof want, "/proc/self/mem: cannot read weight file: %s", strerror(EIO));
	ck_assert_str_eq(err.msg, want);

	make_weights(&w, 4, 4, 1, 1);
	FILE *f = fopen("/dev/null", "w");
	ck_assert_ptr_nonnull(f);
	int n_words = w.n_words;
	w.n_words = AV_MAX_WORDS + 1;
	ck_assert_int_eq(av_weights_write(&w, f, &err), AV_ERR_RANGE);
	ck_assert_str_eq(err.msg, "257 embeddings, at most 256 can be written");
	w.n_words = n_words;
	w.d_hidden = 0;
	ck_assert_int_eq(av_weights_write(&w, f, &err), AV_ERR_RANGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "d_hidden 0"));
	w.d_hidden = 4;
	fclose(f);
	av_weights_free(&w);
}
END_TEST

/* ---- Regressions (inputs found by tests/fuzz/fuzz_weights.c) -------------------- */

/* ---- suite ---------------------------------------------------------------------- */

static Suite *weights_io_suite(void)
{
	Suite *s = suite_create("weights_io");
	TCase *tc = tcase_create("Roundtrip");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, write_parse_exact, 0, (int)(sizeof shapes / sizeof *shapes));
	tcase_add_loop_test(tc, save_load_exact, 0, (int)(sizeof shapes / sizeof *shapes));
	tcase_add_test(tc, save_replaces_and_is_readable);
	tcase_add_test(tc, seeded_default_roundtrip);
	tcase_add_test(tc, tokens_as_words);
	tcase_add_test(tc, locale_independent);
	suite_add_tcase(s, tc);

	tc = tcase_create("Format");
	tcase_add_test(tc, hand_written);
	tcase_add_test(tc, example_loads);
	tcase_add_test(tc, max_embeddings);
	suite_add_tcase(s, tc);

	tc = tcase_create("Errors");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, base_is_valid);
	tcase_add_test(tc, bad_magic);
	tcase_add_test(tc, bad_version);
	tcase_add_test(tc, huge_shape_named_as_written);
	tcase_add_test(tc, write_error_said_once);
	tcase_add_test(tc, missing_dims);
	tcase_add_test(tc, dims_out_of_range);
	tcase_add_test(tc, heads_not_dividing);
	tcase_add_test(tc, wrong_shape);
	tcase_add_test(tc, row_length);
	tcase_add_test(tc, row_split_over_lines);
	tcase_add_test(tc, not_a_number);
	tcase_add_test(tc, not_finite);
	tcase_add_test(tc, unknown_name);
	tcase_add_test(tc, duplicate_matrix);
	tcase_add_test(tc, missing_matrix);
	tcase_add_test(tc, truncated);
	tcase_add_test(tc, embed_errors);
	tcase_add_test(tc, nul_byte);
	tcase_add_test(tc, huge_line);
	tcase_add_test(tc, missing_file);
	tcase_add_test(tc, too_large_file);
	tcase_add_test(tc, unwritable_path);
	tcase_add_test(tc, write_error);
	tcase_add_test(tc, write_refuses_unreadable);
	tcase_add_test(tc, streams_and_unwritable_weights);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(weights_io_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
