/* Training corpus and vocabulary: which lines become sentences (hand-written
 * files with every case), the held-out split by its formula, a vocabulary
 * built from the training sentences only, and every error naming the file,
 * the line and what was expected. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "attnviz/corpus.h"
#include "attnviz/vocab.h"

static av_corpus c;
static av_vocab v;
static av_error err;

static void teardown(void)
{
	av_corpus_free(&c);
	av_vocab_free(&v);
}

static av_status parse(const char *text)
{
	return av_corpus_parse(&c, text, strlen(text), "toy.txt", &err);
}

START_TEST(lines_become_sentences)
{
	const char *text = "# a comment\n"
			   "\n"
			   "  The cat sat\r\n"
			   "hi\n"
			   "\t# an indented comment\n"
			   "猫爱鱼";
	ck_assert_msg(parse(text) == AV_OK, "%s", err.msg);
	ck_assert_int_eq(c.n_sent, 3);
	ck_assert_int_eq(c.n_tok, 3 + 1 + 3);
	const int start[] = { 0, 3, 4, 7 }, line[] = { 3, 4, 6 };
	for (int s = 0; s <= 3; s++)
		ck_assert_int_eq(c.start[s], start[s]);
	for (int s = 0; s < 3; s++)
		ck_assert_int_eq(c.line[s], line[s]);
	const char *tok[] = { "the", "cat", "sat", "hi", "猫", "爱", "鱼" };
	for (int t = 0; t < 7; t++)
		ck_assert_str_eq(c.tok[t], tok[t]);
	ck_assert_int_eq(av_corpus_len(&c, 1), 1);
	for (int s = 0; s < 3; s++)
		ck_assert_int_eq(c.heldout[s], 0);
}
END_TEST

START_TEST(parse_errors_name_the_line)
{
	ck_assert_int_eq(av_corpus_parse(&c, "a b\nc\0d\n", 8, "toy.txt", &err), AV_ERR_PARSE);
	ck_assert_str_eq(err.msg, "toy.txt:2: NUL byte: expected a line of UTF-8 text");
	ck_assert_ptr_null(c.start);
	ck_assert_int_eq(parse("a b\n\nbad \xff byte\n"), AV_ERR_UTF8);
	ck_assert_msg(strncmp(err.msg, "toy.txt:3: invalid UTF-8", 24) == 0, "%s", err.msg);
	ck_assert_ptr_nonnull(strstr(err.msg, "expected one sentence of 1..64 tokens"));
	char many[65 * 2 + 8] = "";
	for (int i = 0; i < 65; i++)
		strcat(many, "x ");
	ck_assert_int_eq(parse(many), AV_ERR_TOO_MANY_TOKENS);
	ck_assert_ptr_nonnull(strstr(err.msg, "toy.txt:1: "));
	/* nothing to predict: one-token sentences only, or no sentence */
	ck_assert_int_eq(parse("a\n# b c\nb\n"), AV_ERR_PARSE);
	ck_assert_str_eq(err.msg, "toy.txt:3: no sentence of two tokens or more: expected one "
				  "sentence per line");
	ck_assert_int_eq(parse(""), AV_ERR_PARSE);
	ck_assert_ptr_nonnull(strstr(err.msg, "toy.txt:1: no sentence"));
}
END_TEST

/* s is held out when floor((s + 1) frac) > floor(s frac): with frac 1/4,
 * sentences 4 and 8 (s = 3, 7) of 8. */
START_TEST(split_by_formula)
{
	ck_assert_int_eq(parse("a b\nc d\ne f\ng h\ni j\nk l\nm n\no p\n"), AV_OK);
	av_corpus_split(&c, 0.25);
	const unsigned char want[] = { 0, 0, 0, 1, 0, 0, 0, 1 };
	for (int s = 0; s < 8; s++)
		ck_assert_int_eq(c.heldout[s], want[s]);
	av_corpus_split(&c, 0.5);
	for (int s = 0; s < 8; s++)
		ck_assert_int_eq(c.heldout[s], s % 2);
	av_corpus_split(&c, 0.0);
	for (int s = 0; s < 8; s++)
		ck_assert_int_eq(c.heldout[s], 0);
}
END_TEST

/* Words of held-out sentences stay outside the vocabulary: they map to
 * <unk> (id 0); the others get ids in corpus order. */
START_TEST(vocabulary_from_training_sentences)
{
	ck_assert_int_eq(parse("the cat sat\nthe dog ran\nthe cat ran\nzebra the\n"), AV_OK);
	av_corpus_split(&c, 0.25); /* holds out sentence 4 */
	ck_assert_int_eq(av_vocab_init(&v, &err), AV_OK);
	ck_assert_int_eq(av_corpus_vocab(&v, &c, &err), AV_OK);
	const char *words[] = { AV_UNK, "the", "cat", "sat", "dog", "ran" };
	ck_assert_int_eq(v.n, 6);
	for (int i = 0; i < 6; i++) {
		ck_assert_str_eq(v.word[i], words[i]);
		ck_assert_int_eq(av_vocab_id(&v, words[i]), i);
	}
	ck_assert_int_eq(av_vocab_id(&v, "zebra"), AV_UNK_ID);
	av_corpus_map(&c, &v);
	const int ids[] = { 1, 2, 3, 1, 4, 5, 1, 2, 5, 0, 1 };
	for (int t = 0; t < 11; t++)
		ck_assert_int_eq(c.ids[t], ids[t]);
	/* a copy is the same table */
	av_vocab w;
	ck_assert_int_eq(av_vocab_copy(&w, &v, &err), AV_OK);
	ck_assert_int_eq(w.n, 6);
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(av_vocab_id(&w, words[i]), i);
	av_vocab_free(&w);
}
END_TEST

START_TEST(vocabulary_limits)
{
	ck_assert_int_eq(av_vocab_init(&v, &err), AV_OK);
	int id;
	ck_assert_int_eq(av_vocab_add(&v, &id, "", &err), AV_ERR_RANGE);
	ck_assert_str_eq(err.msg, "a vocabulary word has 1..63 bytes");
	char longest[64];
	memset(longest, 'a', 63);
	longest[63] = '\0';
	ck_assert_int_eq(av_vocab_add(&v, &id, longest, &err), AV_OK);
	ck_assert_int_eq(id, 1);
	ck_assert_int_eq(av_vocab_add(&v, &id, longest, &err), AV_OK); /* already there */
	ck_assert_int_eq(id, 1);
	char word[16];
	for (int i = v.n; i < AV_MAX_VOCAB; i++) {
		snprintf(word, sizeof word, "w%d", i);
		ck_assert_int_eq(av_vocab_add(&v, &id, word, &err), AV_OK);
		ck_assert_int_eq(id, i);
	}
	ck_assert_int_eq(av_vocab_add(&v, &id, "one-too-many", &err), AV_ERR_RANGE);
	ck_assert_str_eq(err.msg, "more than 4096 different words: a vocabulary holds at most 4096");
	ck_assert_int_eq(av_vocab_id(&v, "w4095"), 4095);
	ck_assert_int_eq(av_vocab_id(&v, "w100"), 100);
	/* the corpus's own words overflow it the same way */
	ck_assert_int_eq(parse("new words here\n"), AV_OK);
	ck_assert_int_eq(av_corpus_vocab(&v, &c, &err), AV_ERR_RANGE);
}
END_TEST

START_TEST(load_from_files)
{
	char dir[] = "/tmp/attnviz-corpus-XXXXXX", path[64];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/c.txt", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("the cat sat\nhi\n", f);
	fclose(f);
	ck_assert_msg(av_corpus_load(&c, path, &err) == AV_OK, "%s", err.msg);
	ck_assert_int_eq(c.n_sent, 2);
	ck_assert_str_eq(c.tok[3], "hi");
	av_corpus_free(&c);

	ck_assert_int_eq(av_corpus_load(&c, dir, &err), AV_ERR_IO);
	char want[160];
	snprintf(want, sizeof want, "%s: cannot open corpus: is a directory, expected a text file",
		 dir);
	ck_assert_str_eq(err.msg, want);
	snprintf(path, sizeof path, "%s/none.txt", dir);
	ck_assert_int_eq(av_corpus_load(&c, path, &err), AV_ERR_IO);
	snprintf(want, sizeof want, "%s: cannot open corpus: %s", path, strerror(ENOENT));
	ck_assert_str_eq(err.msg, want);
	/* a device (an endless stream) is refused before a byte is read
	 * (issue 14: a FIFO would block forever) */
	ck_assert_int_eq(av_corpus_load(&c, "/dev/zero", &err), AV_ERR_IO);
	ck_assert_str_eq(err.msg,
			 "/dev/zero: cannot open corpus: not a regular file (a FIFO, device or socket)");
	ck_assert_ptr_null(c.start);
	/* a regular file past the limit (sparse: no disk used) */
	snprintf(path, sizeof path, "%s/big.txt", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(ftruncate(fileno(f), (off_t)65 << 20), 0);
	fclose(f);
	ck_assert_int_eq(av_corpus_load(&c, path, &err), AV_ERR_IO);
	snprintf(want, sizeof want, "%s: corpus larger than the 64 MiB limit", path);
	ck_assert_str_eq(err.msg, want);
	ck_assert_ptr_null(c.start);
	unlink(path);
	snprintf(path, sizeof path, "%s/c.txt", dir);
	unlink(path);
	rmdir(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("corpus");
	TCase *tc = tcase_create("Corpus");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, lines_become_sentences);
	tcase_add_test(tc, parse_errors_name_the_line);
	tcase_add_test(tc, split_by_formula);
	tcase_add_test(tc, vocabulary_from_training_sentences);
	tcase_add_test(tc, vocabulary_limits);
	tcase_add_test(tc, load_from_files);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
