/* `attnviz train` and `attnviz generate` driven as a user would: every bad option exits 2 with one
 * line and writes nothing; a run writes a version-2 file, the CSV log with
 * its exact header and the table; the same command gives the same file;
 * --steps 0 and --weights INIT; the cheat comparison under --mask none. */
#include <check.h>
#include "attnviz/tokenize.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "run_util.h"

static char tmpdir[] = "/tmp/attnviz-train-XXXXXX";
static char corpus[300], out[300], log_path[300];

static const char tiny[] = "the cat sat on the mat\n"
			   "the dog sat on the rug\n"
			   "a cat ran to the door\n"
			   "a dog ran to the mat\n"
			   "the cat saw the dog\n"
			   "the dog saw the cat\n"
			   "the bird sat on the door\n"
			   "a bird saw the cat\n"
			   "the cat ran to the rug\n"
			   "a dog sat on the mat\n";

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void setup(void)
{
	strcpy(tmpdir, "/tmp/attnviz-train-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(corpus, sizeof corpus, "%s/c.txt", tmpdir);
	snprintf(out, sizeof out, "%s/w.weights", tmpdir);
	snprintf(log_path, sizeof log_path, "%s/log.csv", tmpdir);
	write_file(corpus, tiny);
}

static void teardown(void)
{
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static int exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

/* Exit 2, stdout empty, one line "attnviz train: ..." holding want, and
 * neither --out nor --log written. */
static void expect_usage(const char *const *args, const char *want)
{
	run_result r = util_run(tmpdir, "train", args);
	ck_assert_msg(r.status == 2, "%s: status %d, stderr: %s", args[0], r.status, r.err);
	ck_assert_msg(r.out_len == 0, "%s: stdout: %.80s", args[0], r.out);
	ck_assert_msg(strncmp(r.err, "attnviz train: ", 15) == 0, "stderr: %s", r.err);
	char *nl = strchr(r.err, '\n');
	ck_assert_msg(nl && nl[1] == '\0', "not one line: %s", r.err);
	ck_assert_msg(strstr(r.err, want) != NULL, "'%s' not in: %s", want, r.err);
	ck_assert(!exists(out) && !exists(log_path));
	util_result_free(&r);
}

#define BAD(want, ...)                                                                      \
	do {                                                                                \
		const char *a_[] = { __VA_ARGS__, NULL };                                    \
		expect_usage(a_, want);                                                      \
	} while (0)

START_TEST(bad_options)
{
	BAD("--steps -1 is out of range: allowed 0..10000000", "--corpus", corpus, "--steps", "-1", "--out", out);
	BAD("--steps '1x' is not a whole number", "--corpus", corpus, "--steps", "1x", "--out", out);
	BAD("--lr 0 is out of range", "--corpus", corpus, "--lr", "0", "--out", out);
	BAD("--lr 'nan' is not a number", "--corpus", corpus, "--lr", "nan", "--out", out);
	BAD("--lr ' 0.1' is not a number", "--corpus", corpus, "--lr", " 0.1", "--out", out);
	BAD("--optimizer 'rmsprop' is unknown: allowed adam, sgd", "--corpus", corpus,
	    "--optimizer", "rmsprop", "--out", out);
	BAD("--mask 'diag' is unknown", "--corpus", corpus, "--mask", "diag", "--out", out);
	BAD("--dim 0 is out of range: allowed 1..128", "--corpus", corpus, "--dim", "0", "--out", out);
	BAD("--heads 3 does not divide --dim 16", "--corpus", corpus, "--heads", "3", "--out", out);
	BAD("--heldout 0.9 is out of range: allowed 0..0.5", "--corpus", corpus, "--heldout", "0.9",
	    "--out", out);
	BAD("--threads 0 is out of range", "--corpus", corpus, "--threads", "0", "--out", out);
	BAD("--clip -1 is out of range: allowed 0..1e+06", "--corpus", corpus, "--clip", "-1", "--out", out);
	BAD("--batch 'x' is not a whole number", "--corpus", corpus, "--batch", "x", "--out", out);
	BAD("--seed -3 is out of range: allowed 0..9223372036854775807", "--corpus", corpus, "--seed", "-3", "--out", out);
	BAD("unknown option '--bogus'", "--corpus", corpus, "--bogus", "--out", out);
	BAD("option '--h' is ambiguous: --heldout, --hidden, --heads, --help", "--h", "--out", out);
	BAD("option --steps needs a value", "--corpus", corpus, "--out", out, "--steps");
	BAD("option '--positional' takes no value", "--positional=1", "--out", out);
	BAD("unexpected argument 'extra'", "--corpus", corpus, "--out", out, "extra");
	BAD("--out FILE is required", "--corpus", corpus);
	BAD("/nonexistent-dir/w.weights: cannot write the trained weights", "--corpus", corpus, "--out", "/nonexistent-dir/w.weights");
	BAD("/dev/null: cannot write the trained weights: not a regular file", "--corpus", corpus, "--out", "/dev/null");
	BAD("/tmp: cannot write the log: not a regular file", "--corpus", corpus, "--out", out, "--log", "/tmp");
	BAD("/nonexistent.txt: cannot open corpus", "--corpus", "/nonexistent.txt", "--out", out);
	/* never the corpus, nor the weights and the log in one file */
	char corpus2[320];
	snprintf(corpus2, sizeof corpus2, "%s/./c.txt", tmpdir);
	BAD("--out ", "--corpus", corpus, "--out", corpus2);
	BAD("is also the --corpus file: it would be overwritten", "--corpus", corpus, "--out", corpus2);
	char *kept = util_slurp(corpus, NULL);
	ck_assert_str_eq(kept, tiny);
	free(kept);
	BAD("--log ", "--corpus", corpus, "--out", out, "--log", out);
	BAD("is also the --out file", "--corpus", corpus, "--out", out, "--log", out);
	char out_dot[340];
	snprintf(out_dot, sizeof out_dot, "%s/../%s/./w.weights", tmpdir, strrchr(tmpdir, '/') + 1);
	BAD("is also the --out file", "--corpus", corpus, "--out", out, "--log", out_dot);
}
END_TEST

START_TEST(bad_inputs)
{
	char bad[300], v1[300];
	snprintf(bad, sizeof bad, "%s/bad.txt", tmpdir);
	write_file(bad, "the cat sat\nthe \xff dog\n");
	BAD("bad.txt:2: ", "--corpus", bad, "--out", out);
	snprintf(v1, sizeof v1, "%s/v1.weights", tmpdir);
	const char *save[] = { "--print", "--untrained", "--save-weights", v1, NULL };
	run_result r = util_run(tmpdir, NULL, save);
	ck_assert_int_eq(r.status, 0);
	util_result_free(&r);
	BAD("is a version-1 file without a language model", "--corpus", corpus, "--weights", v1,
	    "--out", out);
	/* a weight attnviz refuses (|w| > 1000) is refused by train and generate too */
	char big[300];
	snprintf(big, sizeof big, "%s/big.weights", tmpdir);
	const char *mk[] = { "--corpus", corpus, "--steps", "0", "--dim", "2", "--out", big, NULL };
	r = util_run(tmpdir, "train", mk);
	ck_assert_int_eq(r.status, 0);
	util_result_free(&r);
	char *w = util_slurp(big, NULL);
	char *row = strstr(w, "\nW_out 2 14\n");
	ck_assert_ptr_nonnull(row);
	row += strlen("\nW_out 2 14\n");
	char *end = strchr(row, '\n');
	FILE *f = fopen(big, "wb");
	fprintf(f, "%.*s 1e30", (int)(row - w), w);
	for (int i = 1; i < 14; i++)
		fprintf(f, " 0");
	fputs(end, f);
	fclose(f);
	free(w);
	BAD("big.weights: weight W_out[0][0] = 1", "--corpus", corpus, "--weights", big, "--out", out);
	BAD("is too large: |w| must be <= 1000", "--corpus",
	    corpus, "--weights", big, "--out", out);
	r = util_run(tmpdir, "generate", (const char *[]){ "--prompt", "the cat", "--weights", big, NULL });
	ck_assert_int_eq(r.status, 2);
	ck_assert_int_eq(r.out_len, 0);
	ck_assert_msg(strstr(r.err, "big.weights: weight W_out[0][0] = 1") != NULL &&
		      strstr(r.err, "is too large: |w| must be <= 1000") != NULL,
		      "%s", r.err);
	util_result_free(&r);
}
END_TEST

START_TEST(train_writes_weights_log_and_table)
{
	const char *args[] = { "--corpus", corpus, "--steps", "40", "--dim", "4", "--heldout", "0.2",
			       "--log", log_path, "--out", out, NULL };
	run_result r = util_run(tmpdir, "train", args);
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	ck_assert_str_eq(r.err, "");
	ck_assert_ptr_nonnull(strstr(r.out, "8 training sentences, 2 held out"));
	ck_assert_ptr_nonnull(strstr(r.out, "step 40/40 (100%)"));
	const char *rows[] = { "unigram (counts)", "bigram (counts)", "  rnn ",
			       "attention, mask causal", "r = rnn: train loss" };
	for (int i = 0; i < 5; i++)
		ck_assert_msg(strstr(r.out, rows[i]) != NULL, "no '%s' in: %s", rows[i], r.out);
	util_result_free(&r);
	char *w = util_slurp(out, NULL);
	ck_assert(strncmp(w, "attnviz-weights 2\n", 18) == 0);
	ck_assert_ptr_nonnull(strstr(w, "\nsteps 40\n"));
	ck_assert_ptr_nonnull(strstr(w, "\nvocab 14\n<unk>\nthe\ncat\n"));
	free(w);
	char *log = util_slurp(log_path, NULL);
	ck_assert(strncmp(log, "step,model,mask,train_loss,heldout_loss\n1,rnn,causal,", 53) == 0);
	int lines = 0;
	for (char *p = log; *p; p++)
		lines += *p == '\n';
	ck_assert_int_eq(lines, 1 + 2 * 40); /* steps <= 100: every step, both models */
	ck_assert_ptr_nonnull(strstr(log, "\n40,attention,causal,"));
	free(log);
}
END_TEST

/* Continuing from a model whose vocabulary misses the corpus's words: one
 * note on stderr says how many become <unk> (a Chinese model on English
 * text trains on nothing else); a covering vocabulary gives no note. */
START_TEST(init_vocabulary_gap_is_said)
{
	write_file(corpus, "the cat sat\nthe dog ran\n");
	char zh[512], out2[320];
	snprintf(zh, sizeof zh, "%s/models/zh.weights", getenv("ATTNVIZ_ASSETS"));
	const char *a[] = { "--corpus", corpus, "--steps", "0", "--weights", zh, "--out", out, NULL };
	run_result r = util_run(tmpdir, "train", a);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_msg(strstr(r.err, "attnviz train: 6 of the corpus's 6 words are not in the "
				    "vocabulary of ") != NULL, "stderr: %s", r.err);
	ck_assert_ptr_nonnull(strstr(r.err, "they are trained as <unk>\n"));
	util_result_free(&r);
	snprintf(out2, sizeof out2, "%s/again.weights", tmpdir);
	const char *b[] = { "--corpus", corpus, "--steps", "0", "--weights", out, "--out", out2, NULL };
	const char *c0[] = { "--corpus", corpus, "--steps", "0", "--dim", "4", "--out", out, NULL };
	r = util_run(tmpdir, "train", c0); /* a model of this corpus's own words */
	ck_assert_msg(r.status == 0, "%s", r.err);
	util_result_free(&r);
	r = util_run(tmpdir, "train", b);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_str_eq(r.err, "");
	util_result_free(&r);
}
END_TEST

/* Two sentences at the default --heldout 0.1: none is held out, and the
 * table says why (not "--heldout 0", which was not given). */
START_TEST(no_heldout_sentence_said_so)
{
	write_file(corpus, "the cat sat\nthe dog ran\n");
	const char *a[] = { "--corpus", corpus, "--steps", "2", "--dim", "4", "--out", out, NULL };
	run_result r = util_run(tmpdir, "train", a);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "2 training sentences, 0 held out"));
	ck_assert_ptr_nonnull(strstr(r.out, "(no held-out sentence (too few sentences for --heldout): "
					    "the held-out columns are measured on the training sentences)"));
	util_result_free(&r);
	const char *b[] = { "--corpus", corpus, "--steps", "2", "--dim", "4", "--heldout", "0",
			    "--out", out, NULL };
	r = util_run(tmpdir, "train", b);
	ck_assert_ptr_nonnull(strstr(r.out, "(no held-out sentence, --heldout 0: the held-out"));
	util_result_free(&r);
}
END_TEST

START_TEST(same_command_same_file)
{
	char out2[320];
	snprintf(out2, sizeof out2, "%s/w2.weights", tmpdir);
	const char *a[] = { "--corpus", corpus, "--steps", "25", "--batch", "3", "--dim", "4",
			    "--heads", "2", "--out", out, NULL };
	const char *b[] = { "--corpus", corpus, "--steps", "25", "--batch", "3", "--dim", "4",
			    "--heads", "2", "--out", out2, NULL };
	run_result r = util_run(tmpdir, "train", a);
	ck_assert_int_eq(r.status, 0);
	util_result_free(&r);
	r = util_run(tmpdir, "train", b);
	ck_assert_int_eq(r.status, 0);
	util_result_free(&r);
	size_t n1, n2;
	char *w1 = util_slurp(out, &n1), *w2 = util_slurp(out2, &n2);
	ck_assert(n1 == n2 && memcmp(w1, w2, n1) == 0);
	free(w1), free(w2);
}
END_TEST

START_TEST(steps_zero_then_continue)
{
	const char *a[] = { "--corpus", corpus, "--steps", "0", "--dim", "4", "--no-positional",
			    "--mask", "none", "--out", out, NULL };
	run_result r = util_run(tmpdir, "train", a);
	ck_assert_msg(r.status == 0, "%s", r.err);
	/* a cheating mask trains a causal model beside it for the comparison */
	ck_assert_ptr_nonnull(strstr(r.out, "attention, mask none"));
	ck_assert_ptr_nonnull(strstr(r.out, "attention, mask causal (beside)"));
	/* untrained, nothing has collapsed: no claim of a cheat */
	ck_assert_ptr_null(strstr(r.out, "The cheat"));
	ck_assert_ptr_nonnull(strstr(r.out, "Mask none against causal: teacher-forced train loss "));
	ck_assert_ptr_nonnull(strstr(r.out, "Row t sees word t+1, but the loss has not collapsed yet"));
	util_result_free(&r);
	/* strict (j < i) sees no later word: never called a cheat */
	char other[320];
	snprintf(other, sizeof other, "%s/other.weights", tmpdir);
	const char *st[] = { "--corpus", corpus, "--steps", "200", "--dim", "8", "--mask", "strict",
			     "--out", other, NULL };
	r = util_run(tmpdir, "train", st);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_null(strstr(r.out, "The cheat"));
	ck_assert_ptr_nonnull(strstr(r.out, "No row sees a later word: nothing to cheat with"));
	util_result_free(&r);
	/* future (j >= i) does see word t+1: trained, the cheat is named */
	const char *fu[] = { "--corpus", corpus, "--steps", "300", "--dim", "8", "--mask", "future",
			     "--out", other, NULL };
	r = util_run(tmpdir, "train", fu);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "The cheat: with mask future, attention's teacher-forced"));
	util_result_free(&r);
	char *w = util_slurp(out, NULL);
	ck_assert_ptr_nonnull(strstr(w, "\npositional 0\nmask none\nsteps 0\n"));
	free(w);
	char out2[320];
	snprintf(out2, sizeof out2, "%s/w2.weights", tmpdir);
	const char *b[] = { "--corpus", corpus, "--steps", "5", "--weights", out, "--out", out2, NULL };
	r = util_run(tmpdir, "train", b);
	ck_assert_msg(r.status == 0, "%s", r.err);
	util_result_free(&r);
	w = util_slurp(out2, NULL);
	/* the file's settings and sizes carry over; steps add up */
	ck_assert_ptr_nonnull(strstr(w, "d_model 4\n"));
	ck_assert_ptr_nonnull(strstr(w, "\npositional 0\nmask none\nsteps 5\n"));
	free(w);
	const char *c[] = { "--corpus", corpus, "--weights", out, "--dim", "8", "--out", out2, NULL };
	run_result e = util_run(tmpdir, "train", c);
	ck_assert_int_eq(e.status, 2);
	ck_assert_ptr_nonnull(strstr(e.err, "--dim 8 disagrees with"));
	util_result_free(&e);
}
END_TEST

START_TEST(help)
{
	const char *a[] = { "--help", NULL };
	run_result r = util_run(tmpdir, "train", a);
	ck_assert_int_eq(r.status, 0);
	const char *opts[] = { "--corpus", "--heldout", "--steps", "--batch", "--lr", "--optimizer",
			       "--mask", "--positional", "--dim", "--hidden", "--heads", "--seed",
			       "--threads", "--clip", "--weights", "--log", "--out" };
	for (size_t i = 0; i < sizeof opts / sizeof *opts; i++)
		ck_assert_msg(strstr(r.out, opts[i]) != NULL, "help lacks %s", opts[i]);
	/* printed as is, not through printf: a single % */
	ck_assert_ptr_nonnull(strstr(r.out, "one line per 10% otherwise"));
	ck_assert_ptr_nonnull(strstr(r.out, "blank lines and lines starting with #\n"));
	ck_assert_ptr_null(strstr(r.out, "%%"));
	util_result_free(&r);
}
END_TEST

/* A full standard output: exit 1 with a line saying so, never silently. */
START_TEST(full_stdout_is_reported)
{
	char cmd[900];
	snprintf(cmd, sizeof cmd,
		 "'%s' generate --prompt 'the cat' >/dev/full 2>'%s/err'; echo $? >'%s/rc';"
		 "'%s' train --corpus '%s' --steps 2 --dim 4 --out '%s' >/dev/full 2>>'%s/err';"
		 "echo $? >>'%s/rc'",
		 getenv("ATTNVIZ_BIN"), tmpdir, tmpdir, getenv("ATTNVIZ_BIN"), corpus, out, tmpdir,
		 tmpdir);
	ck_assert_int_eq(system(cmd), 0);
	char path[320];
	snprintf(path, sizeof path, "%s/rc", tmpdir);
	char *rc = util_slurp(path, NULL);
	ck_assert_str_eq(rc, "1\n1\n");
	snprintf(path, sizeof path, "%s/err", tmpdir);
	char *err = util_slurp(path, NULL);
	ck_assert_str_eq(err, "attnviz generate: writing the output: No space left on device\n"
			      "attnviz train: writing the output: No space left on device\n");
	free(rc), free(err);
}
END_TEST

/* A FIFO is refused, never waited on (Check's timeout fails the test if
 * it blocks). */
START_TEST(fifo_corpus_does_not_block)
{
	char fifo[300];
	snprintf(fifo, sizeof fifo, "%s/fifo", tmpdir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	BAD("fifo: cannot open corpus: not a regular file", "--corpus", fifo, "--out", out);
	run_result r = util_run(tmpdir, NULL, (const char *[]){ "--print", "--weights", fifo, NULL });
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "fifo: not a regular file"));
	util_result_free(&r);
}
END_TEST

/* Too large a learning rate: a clear error at the step where a loss or a
 * weight stops being finite, exit 2, no NaN printed, nothing written. */
START_TEST(divergence_is_an_error)
{
	const char *a[] = { "--corpus", corpus, "--lr", "10", "--optimizer", "sgd", "--clip", "0",
			    "--steps", "200", "--dim", "4", "--log", log_path, "--out", out, NULL };
	run_result r = util_run(tmpdir, "train", a);
	ck_assert_msg(r.status == 2, "status %d: %s", r.status, r.err);
	ck_assert_msg(strstr(r.err, "attnviz train: training diverged at step ") == r.err, "%s",
		      r.err);
	ck_assert_ptr_nonnull(strstr(r.err, "lower --lr 10 or clip with --clip 1; nothing written\n"));
	ck_assert_msg(!strstr(r.out, "nan") && !strstr(r.out, "inf"), "%s", r.out);
	ck_assert(!exists(out) && !exists(log_path));
	util_result_free(&r);
	/* finite but beyond what attnviz loads (|w| <= 1000): not written either */
	const char *b[] = { "--corpus", corpus, "--lr", "10", "--clip", "0", "--steps", "20000",
			    "--batch", "1", "--dim", "2", "--out", out, NULL };
	r = util_run(tmpdir, "train", b);
	ck_assert_msg(r.status == 2, "status %d: %s", r.status, r.err);
	ck_assert_msg(strstr(r.err, "attnviz train: the trained model is unusable (weight ") == r.err,
		      "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.err, "|w| must be <= 1000): lower --lr 10 or clip"));
	ck_assert(!exists(out));
	util_result_free(&r);
}
END_TEST

/* ---- generate ------------------------------------------------------------- */

static void expect_gen_usage(const char *const *args, const char *want)
{
	run_result r = util_run(tmpdir, "generate", args);
	ck_assert_msg(r.status == 2, "%s: status %d, stderr: %s", args[0], r.status, r.err);
	ck_assert_msg(r.out_len == 0, "stdout: %.80s", r.out);
	ck_assert_msg(strncmp(r.err, "attnviz generate: ", 18) == 0, "stderr: %s", r.err);
	char *nl = strchr(r.err, '\n');
	ck_assert_msg(nl && nl[1] == '\0', "not one line: %s", r.err);
	ck_assert_msg(strstr(r.err, want) != NULL, "'%s' not in: %s", want, r.err);
	util_result_free(&r);
}

#define GBAD(want, ...)                                                                     \
	do {                                                                                \
		const char *a_[] = { __VA_ARGS__, NULL };                                    \
		expect_gen_usage(a_, want);                                                  \
	} while (0)

START_TEST(generate_bad_options)
{
	GBAD("--prompt TEXT is required", "--tokens", "3");
	GBAD("--tokens 0 is out of range: allowed 1..63", "--prompt", "the", "--tokens", "0");
	GBAD("--temperature -1 is out of range: allowed 0..10", "--prompt", "the", "--temperature", "-1");
	GBAD("--temperature 11 is out of range", "--prompt", "the", "--temperature", "11");
	GBAD("--model 'cnn' is unknown: allowed attention, rnn", "--prompt", "the", "--model", "cnn");
	GBAD("--top-k 'x' is not a whole number", "--prompt", "the", "--top-k", "x");
	GBAD("--prompt: invalid UTF-8", "--prompt", "the \xff");
	GBAD("unknown option '--bogus'", "--prompt", "the", "--bogus");
	GBAD("unexpected argument 'cat'", "--prompt", "the", "cat");
	char many[200] = "";
	for (int i = 0; i < 60; i++)
		strcat(many, "a ");
	GBAD("--prompt has 60 tokens and --tokens 8: at most 64 in all", "--prompt", many);
	char v1[300];
	snprintf(v1, sizeof v1, "%s/v1.weights", tmpdir);
	const char *save[] = { "--print", "--untrained", "--save-weights", v1, NULL };
	run_result r = util_run(tmpdir, NULL, save);
	ck_assert_int_eq(r.status, 0);
	util_result_free(&r);
	GBAD("has no language model", "--prompt", "the", "--weights", v1);
	GBAD("/nonexistent.w: cannot open", "--prompt", "the", "--weights", "/nonexistent.w");
}
END_TEST

/* Greedy generation's first token is the argmax of the viewer's batched
 * attention row for the prompt (the --json "lm" logits): the cached decoder
 * and the batched forward agree end to end. */
START_TEST(generate_greedy_matches_json)
{
	const char *g[] = { "--prompt", "the cat", "--temperature", "0", "--tokens", "4", NULL };
	run_result r = util_run(tmpdir, "generate", g);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "trained: en, 3000 steps"));
	ck_assert_ptr_nonnull(strstr(r.out, "dependent steps used: 5"));
	char first[64] = "";
	const char *line = strstr(r.out, "\n   3  ");
	ck_assert_ptr_nonnull(line);
	ck_assert_int_eq(sscanf(line, " 3 %63s", first), 1);
	util_result_free(&r);

	const char *j[] = { "--json", "-s", "the cat", NULL };
	r = util_run(tmpdir, NULL, j);
	ck_assert_int_eq(r.status, 0);
	json_t *root = json_loads(r.out, 0, NULL);
	json_t *lm = json_object_get(root, "lm");
	json_t *row = json_array_get(json_object_get(json_object_get(lm, "attention"), "logits"), 1);
	size_t best = 0;
	for (size_t v = 1; v < json_array_size(row); v++)
		if (json_number_value(json_array_get(row, v)) >
		    json_number_value(json_array_get(row, best)))
			best = v;
	ck_assert_str_eq(first, json_string_value(json_array_get(json_object_get(lm, "vocab"), best)));
	json_decref(root);
	util_result_free(&r);

	/* the same seed gives the same text; the RNN model works too */
	const char *s1[] = { "--prompt", "a girl", "--temperature", "1", "--seed", "3", "--model",
			     "rnn", NULL };
	run_result a = util_run(tmpdir, "generate", s1), b = util_run(tmpdir, "generate", s1);
	ck_assert(a.status == 0 && strcmp(a.out, b.out) == 0);
	ck_assert_ptr_nonnull(strstr(a.out, "the rnn model"));
	util_result_free(&a), util_result_free(&b);
	const char *zh[] = { "--prompt", "猫", "--tokens", "3", NULL };
	r = util_run(tmpdir, "generate", zh);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "trained: zh, 3000 steps"));
	ck_assert_ptr_nonnull(strstr(r.out, "\nprompt (1 token): 猫\n"));
	/* every token line puts "p =" at the same display column (a CJK
	 * character is two columns): 2 + 2 + 2 + 12 + 1 = column 19 */
	int lines = 0;
	for (const char *l = strstr(r.out, "\n   "); l; l = strstr(l + 1, "\n   ")) {
		const char *p = strstr(l + 1, " p = ");
		const char *eol = strchr(l + 1, '\n');
		if (!p || (eol && p > eol))
			continue;
		char prefix[128];
		snprintf(prefix, sizeof prefix, "%.*s", (int)(p - (l + 1)), l + 1);
		ck_assert_msg(av_utf8_width(prefix) == 18, "'p =' misplaced in '%s'", prefix);
		lines++;
	}
	ck_assert_int_eq(lines, 3);
	util_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("train_cli");
	TCase *tc = tcase_create("Train");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, bad_options);
	tcase_add_test(tc, bad_inputs);
	tcase_add_test(tc, train_writes_weights_log_and_table);
	tcase_add_test(tc, same_command_same_file);
	tcase_add_test(tc, no_heldout_sentence_said_so);
	tcase_add_test(tc, steps_zero_then_continue);
	tcase_add_test(tc, init_vocabulary_gap_is_said);
	tcase_add_test(tc, help);
	tcase_add_test(tc, fifo_corpus_does_not_block);
	tcase_add_test(tc, full_stdout_is_reported);
	tcase_add_test(tc, divergence_is_an_error);
	tcase_add_test(tc, generate_bad_options);
	tcase_add_test(tc, generate_greedy_matches_json);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
