/* Issue 14, driven as a user would (binary in ATTNVIZ_BIN): hostile lessons
 * and file names never put control bytes on the terminal, FIFOs never
 * block, a refused output never leaves another one written, ignored options
 * are refused, long file names are writable, and the small rules of the
 * weight and lesson formats. Each test failed before its fix. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "run_util.h"
#include "attnviz/model.h"
#include "attnviz/readfile.h"
#include "attnviz/weights.h"

static char tmpdir[] = "/tmp/attnviz-hard-XXXXXX";

static void setup(void)
{
	strcpy(tmpdir, "/tmp/attnviz-hard-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	util_timeout_s = 20; /* a blocked open fails the test (status 142) */
}

static void teardown(void)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static run_result run(const char *const *args)
{
	return util_run(tmpdir, NULL, args);
}

static const char *in_tmp(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
	return buf;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* No byte a terminal would act on: C0 other than '\n', DEL, and the C1
 * controls as UTF-8 (C2 80..C2 9F). */
static void assert_terminal_safe(const char *what, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		ck_assert_msg(*p >= 0x20 || *p == '\n', "%s: control byte 0x%02X at %ld: %s", what,
			      *p, (long)(p - (const unsigned char *)s), s);
		ck_assert_msg(*p != 0x7F, "%s: DEL", what);
		ck_assert_msg(!(p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F), "%s: C1 control",
			      what);
	}
}

/* Exit 2, nothing on stdout, one terminal-safe line on stderr holding want. */
static void expect_refused(const char *const *args, const char *want)
{
	run_result r = run(args);
	ck_assert_msg(r.status == 2, "%s: status %d, stderr: %s", args[0], r.status, r.err);
	ck_assert_msg(r.out_len == 0, "%s: stdout not empty: %.80s", args[0], r.out);
	char *nl = strchr(r.err, '\n');
	ck_assert_msg(nl && nl[1] == '\0', "not one line: %s", r.err);
	assert_terminal_safe("stderr", r.err);
	ck_assert_msg(strstr(r.err, want) != NULL, "'%s' not in: %s", want, r.err);
	util_result_free(&r);
}

static const char hostile_lesson[] = "attnviz-lesson 1\n"
				     "title Evil \033[2J title \xc2\x9b" "31m\n"
				     "step First \033]0;PWN\a step\n"
				     "caption cap \033]0;PWN\a tion \x7f end\n";

/* ---- 2. control bytes from lessons and file names ---------------------- */

START_TEST(print_lesson_is_sanitized)
{
	char path[300];
	write_file(in_tmp(path, sizeof path, "evil.lesson"), hostile_lesson);
	const char *args[] = { "--print", "--lesson", path, NULL };
	run_result r = run(args);
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	assert_terminal_safe("--print --lesson", r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "Lesson: Evil ?[2J title ?31m (1 step)"));
	ck_assert_ptr_nonnull(strstr(r.out, "1. First ?]0;PWN? step"));
	ck_assert_ptr_nonnull(strstr(r.out, "   cap ?]0;PWN? tion ? end"));
	util_result_free(&r);
}
END_TEST

/* A weight file's name is shown in --print's header: made safe too. */
START_TEST(weights_name_in_print_is_sanitized)
{
	char path[300];
	in_tmp(path, sizeof path, "ev\033[2Jil.w");
	const char *save[] = { "--untrained", "--save-weights", path, "--print", NULL };
	run_result r = run(save);
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	util_result_free(&r);
	const char *args[] = { "--weights", path, "--print", NULL };
	r = run(args);
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	assert_terminal_safe("--print with --weights", r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "ev?[2Jil.w"));
	util_result_free(&r);
}
END_TEST

START_TEST(list_lessons_is_sanitized)
{
	char dir[300], path[400];
	in_tmp(dir, sizeof dir, "lessons");
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	snprintf(path, sizeof path, "%s/evil.lesson", dir);
	write_file(path, hostile_lesson);
	snprintf(path, sizeof path, "%s/bad\033[2J.lesson", dir); /* unreadable, named */
	write_file(path, "attnviz-lesson 1\ntitle x\033[H\nstep s\ncaption c\nfoo\033[2J bar\n");
	const char *old = getenv("ATTNVIZ_ASSETS");
	char *saved = old ? strdup(old) : NULL;
	setenv("ATTNVIZ_ASSETS", tmpdir, 1);
	const char *args[] = { "--list-lessons", NULL };
	run_result r = run(args);
	if (saved) {
		setenv("ATTNVIZ_ASSETS", saved, 1);
		free(saved);
	} else {
		unsetenv("ATTNVIZ_ASSETS");
	}
	ck_assert_msg(r.status == 0, "status %d: %s", r.status, r.err);
	assert_terminal_safe("--list-lessons", r.out);
	ck_assert_ptr_nonnull(strstr(r.out, "Evil ?[2J title ?31m (1 step)"));
	ck_assert_ptr_nonnull(strstr(r.out, "bad?[2J"));
	ck_assert_ptr_nonnull(strstr(r.out, "unknown directive 'foo?[2J'"));
	util_result_free(&r);
}
END_TEST

START_TEST(error_lines_are_sanitized)
{
	char path[300];
	/* a lesson parse error quoting the line */
	write_file(in_tmp(path, sizeof path, "bad.lesson"),
		   "attnviz-lesson 1\ntitle t\nstep s\ncaption c\n\033]0;x\a 1\n");
	const char *a[] = { "--print", "--lesson", path, NULL };
	expect_refused(a, "bad.lesson:5: unknown directive '?]0;x?'");
	/* file paths in every error message */
	in_tmp(path, sizeof path, "dir/\033]0;x\a.txt");
	const char *b[] = { "--weights", path, NULL };
	expect_refused(b, "dir/?]0;x?.txt: cannot open weight file");
	const char *c[] = { "--export", path, NULL };
	expect_refused(c, "dir/?]0;x?.txt: cannot write the export");
	in_tmp(path, sizeof path, "nodir/\033[2J.svg");
	const char *d[] = { "--export", path, NULL };
	expect_refused(d, "nodir/?[2J.svg: cannot write the export");
	const char *e[] = { "--lesson", "\033[2Jname", "--print", NULL };
	expect_refused(e, "no lesson named '?[2Jname'");
}
END_TEST

/* ---- 4. FIFOs never block ---------------------------------------------- */

START_TEST(fifos_are_refused)
{
	char fifo[300], dir[300], inlessons[400];
	ck_assert_int_eq(mkfifo(in_tmp(fifo, sizeof fifo, "w.fifo"), 0600), 0);
	const char *a[] = { "--print", "--weights", fifo, NULL };
	expect_refused(a, "not a regular file");
	ck_assert_int_eq(mkfifo(in_tmp(fifo, sizeof fifo, "l.lesson"), 0600), 0);
	const char *b[] = { "--print", "--lesson", fifo, NULL };
	expect_refused(b, "not a regular file");
	/* a FIFO named *.lesson in a lessons folder: listed as unreadable */
	ck_assert_int_eq(mkdir(in_tmp(dir, sizeof dir, "lessons"), 0700), 0);
	snprintf(inlessons, sizeof inlessons, "%s/stuck.lesson", dir);
	ck_assert_int_eq(mkfifo(inlessons, 0600), 0);
	const char *old = getenv("ATTNVIZ_ASSETS");
	char *saved = old ? strdup(old) : NULL; /* restored below (CK_FORK=no) */
	setenv("ATTNVIZ_ASSETS", tmpdir, 1);
	const char *c[] = { "--list-lessons", NULL };
	run_result r = run(c);
	ck_assert_msg(r.status == 0, "status %d (142: blocked), %s", r.status, r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "stuck"));
	ck_assert_ptr_nonnull(strstr(r.out, "not a regular file"));
	util_result_free(&r);
	const char *d[] = { "--print", "--lesson", "stuck", NULL };
	expect_refused(d, "not a regular file");
	if (saved) {
		setenv("ATTNVIZ_ASSETS", saved, 1);
		free(saved);
	} else {
		unsetenv("ATTNVIZ_ASSETS");
	}
}
END_TEST

/* The one opener of input files: only a regular file, never blocking. */
START_TEST(open_regular_kinds)
{
	char path[300];
	av_file_kind kind;
	write_file(in_tmp(path, sizeof path, "r.txt"), "x");
	int fd = av_open_regular(&kind, path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(kind, AV_FILE_REGULAR);
	ck_assert_int_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, 0); /* blocking again */
	close(fd);
	ck_assert_int_eq(av_open_regular(&kind, tmpdir), -1);
	ck_assert_int_eq(kind, AV_FILE_DIRECTORY);
	ck_assert_int_eq(mkfifo(in_tmp(path, sizeof path, "f"), 0600), 0);
	ck_assert_int_eq(av_open_regular(&kind, path), -1); /* returns at once */
	ck_assert_int_eq(kind, AV_FILE_OTHER);
	ck_assert_int_eq(av_open_regular(&kind, "/dev/null"), -1);
	ck_assert_int_eq(kind, AV_FILE_OTHER);
	errno = 0;
	ck_assert_int_eq(av_open_regular(&kind, in_tmp(path, sizeof path, "missing")), -1);
	ck_assert_int_eq(kind, AV_FILE_ERROR);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/* The one reader of input files (weights, lessons, corpora): the whole
 * text NUL-terminated, the limit checked before and while reading, and
 * the opener's refusals passed on with no text. */
START_TEST(read_regular_whole_or_nothing)
{
	char path[300], *text;
	size_t len;
	write_file(in_tmp(path, sizeof path, "r.txt"), "abc\n");
	ck_assert_int_eq(av_read_regular(&text, &len, path, 4), AV_FILE_REGULAR);
	ck_assert_uint_eq(len, 4);
	ck_assert_str_eq(text, "abc\n");
	free(text);
	/* one byte over the limit: its size, known before reading */
	ck_assert_int_eq(av_read_regular(&text, &len, path, 3), AV_FILE_TOO_LARGE);
	ck_assert_ptr_null(text);
	ck_assert_uint_eq(len, 4);
	/* larger than the first buffer (64 KiB): the loop grows it */
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < 100000; i++)
		fputc('a' + i % 26, f);
	fclose(f);
	ck_assert_int_eq(av_read_regular(&text, &len, path, 1 << 20), AV_FILE_REGULAR);
	ck_assert_uint_eq(len, 100000);
	ck_assert_int_eq(text[99999], 'a' + 99999 % 26);
	ck_assert_int_eq(text[100000], '\0');
	free(text);
	ck_assert_int_eq(av_read_regular(&text, &len, tmpdir, 100), AV_FILE_DIRECTORY);
	ck_assert_ptr_null(text);
	ck_assert_int_eq(av_read_regular(&text, &len, "/dev/null", 100), AV_FILE_OTHER);
	ck_assert_int_eq(av_read_regular(&text, &len, in_tmp(path, sizeof path, "missing"), 100),
			 AV_FILE_ERROR);
	ck_assert_ptr_null(text);
}
END_TEST

START_TEST(train_corpus_fifo_refused)
{
	char fifo[300], out[300];
	ck_assert_int_eq(mkfifo(in_tmp(fifo, sizeof fifo, "corpus.txt"), 0600), 0);
	run_result r = util_run(tmpdir, "train", (const char *const[]){ "--corpus", fifo, "--out",
								       in_tmp(out, sizeof out, "w.weights"),
								       "--steps", "1", NULL });
	ck_assert_msg(r.status == 2, "status %d (142: blocked): %s", r.status, r.err);
	ck_assert_ptr_nonnull(strstr(r.err, "corpus.txt: cannot open corpus: not a regular file"));
	ck_assert_str_eq(r.out, "");
	ck_assert(access(out, F_OK) != 0);
	util_result_free(&r);
}
END_TEST

/* ---- 5. nothing half-done on refusal ----------------------------------- */

START_TEST(refused_export_writes_nothing)
{
	char w[300], x[300];
	in_tmp(w, sizeof w, "w.txt");
	const char *kinds[] = { "dir", "fifo", "link" };
	for (int k = 0; k < 3; k++) {
		char name[32];
		snprintf(name, sizeof name, "x%d.svg", k);
		in_tmp(x, sizeof x, name);
		if (k == 0)
			ck_assert_int_eq(mkdir(x, 0700), 0);
		else if (k == 1)
			ck_assert_int_eq(mkfifo(x, 0600), 0);
		else
			ck_assert_int_eq(symlink("elsewhere.svg", x), 0);
		const char *args[] = { "--save-weights", w, "--export", x, NULL };
		expect_refused(args, "not a regular file");
		ck_assert_msg(access(w, F_OK) != 0, "%s: w.txt was written", kinds[k]);
	}
	/* and the other way round: a refused --save-weights, no export */
	char wdir[300];
	ck_assert_int_eq(mkdir(in_tmp(wdir, sizeof wdir, "wdir"), 0700), 0);
	in_tmp(x, sizeof x, "ok.svg");
	const char *args[] = { "--save-weights", wdir, "--export", x, NULL };
	expect_refused(args, "wdir: cannot write weights: not a regular file");
	ck_assert(access(x, F_OK) != 0);
}
END_TEST

/* ---- 7. options that would be ignored ---------------------------------- */

START_TEST(list_lessons_refuses_other_options)
{
	const char *const cases[][4] = {
		{ "--export", "x.svg", NULL, "--list-lessons cannot be combined with --export" },
		{ "--save-weights", "w.txt", NULL, "with --save-weights" },
		{ "--diff", "a b c d e f", NULL, "with --diff" },
		{ "--weights", "/nonexistent", NULL, "with --weights" },
		{ "-s", "\xff", NULL, "with --sentence" },
		{ "--seed", "3", NULL, "with --seed" },
		{ "--lesson", "parallel-attention", NULL, "with --lesson" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *args[] = { "--list-lessons", cases[i][0], cases[i][1], NULL };
		expect_refused(args, cases[i][3]);
	}
	char w[300];
	const char *args[] = { "--list-lessons", "--save-weights", in_tmp(w, sizeof w, "w.txt"),
			       NULL };
	expect_refused(args, "--save-weights would be ignored");
	ck_assert(access(w, F_OK) != 0);
}
END_TEST

START_TEST(keys_off_a_terminal_refused)
{
	/* stdout is a file here: the keys could never be replayed */
	const char *a[] = { "--keys", "q", NULL };
	expect_refused(a, "--keys needs the interactive view");
}
END_TEST

/* ---- 8. bench --help to a full disk ------------------------------------ */

static int run_to_dev_full(const char *const *args, char *err, size_t errlen)
{
	char errpath[300];
	in_tmp(errpath, sizeof errpath, "err");
	pid_t pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		int o = open("/dev/full", O_WRONLY);
		int e = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(o, 1), dup2(e, 2);
		const char *argv[8] = { getenv("ATTNVIZ_BIN") };
		for (int k = 0; args[k] && k < 6; k++)
			argv[k + 1] = args[k];
		alarm(20);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	char *text = util_slurp(errpath, NULL);
	snprintf(err, errlen, "%s", text);
	free(text);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

START_TEST(help_to_full_disk_fails)
{
	if (access("/dev/full", W_OK) != 0) {
		fprintf(stderr, "SKIP help_to_full_disk_fails: no /dev/full\n");
		return;
	}
	char err[512];
	const char *a[] = { "bench", "--help", NULL };
	ck_assert_int_eq(run_to_dev_full(a, err, sizeof err), 1);
	ck_assert_msg(strstr(err, "attnviz bench: writing the output: No space left on device"),
		      "%s", err);
	const char *b[] = { "--help", NULL };
	ck_assert_int_eq(run_to_dev_full(b, err, sizeof err), 1);
	ck_assert_msg(strstr(err, "No space left on device"), "%s", err);
	const char *c[] = { "train", "--help", NULL };
	ck_assert_int_eq(run_to_dev_full(c, err, sizeof err), 1);
	ck_assert_msg(strstr(err, "attnviz train: writing the output: No space left on device"),
		      "%s", err);
	const char *d[] = { "generate", "--help", NULL };
	ck_assert_int_eq(run_to_dev_full(d, err, sizeof err), 1);
	ck_assert_msg(strstr(err, "attnviz generate: writing the output: No space left on device"),
		      "%s", err);
}
END_TEST

/* ---- 9. a 255-byte file name ------------------------------------------- */

START_TEST(longest_file_name_is_writable)
{
	char name[256], path[600];
	for (int len = 248; len <= 255; len++) {
		memset(name, 'w', (size_t)len);
		memcpy(name + len - 4, ".svg", 4);
		name[len] = '\0';
		in_tmp(path, sizeof path, name);
		const char *args[] = { "--export", path, NULL };
		run_result r = run(args);
		ck_assert_msg(r.status == 0, "%d-byte name: status %d: %s", len, r.status, r.err);
		ck_assert_msg(access(path, F_OK) == 0, "%d-byte name not written", len);
		util_result_free(&r);
		memcpy(name + len - 4, ".txt", 4);
		in_tmp(path, sizeof path, name);
		const char *w[] = { "--save-weights", path, "--print", NULL };
		r = run(w);
		ck_assert_msg(r.status == 0, "%d-byte weights name: %d: %s", len, r.status, r.err);
		util_result_free(&r);
	}
}
END_TEST

/* ---- nits ------------------------------------------------------------- */

START_TEST(bench_warns_of_a_long_run_off_a_terminal)
{
	util_timeout_s = 3; /* killed long before it ends: the warning comes first */
	const char *args[] = { "--n", "65536", "--dim", "64", "--reps", "1000", "--threads", "1",
			       "--csv", NULL };
	run_result r = util_run(tmpdir, "bench", args);
	ck_assert_msg(strstr(r.err, "attnviz bench: this may take ") != NULL, "status %d, stderr: %s",
		      r.status, r.err);
	ck_assert_ptr_nonnull(strstr(r.err, " minutes or more"));
	util_result_free(&r);
}
END_TEST

START_TEST(too_large_weight_named_exactly)
{
	av_weights w;
	av_error err;
	ck_assert_int_eq(av_weights_init_seed(&w, 4, 4, 1, 5, &err), AV_OK);
	w.W_e[0] = 1000.0001f;
	av_config cfg = av_config_default();
	av_model m;
	ck_assert_int_eq(av_model_create(&m, &cfg, &w, &err), AV_ERR_RANGE);
	ck_assert_msg(strstr(err.msg, "weight W_e[0][0] = 1000.00012 is too large: |w| must be <= 1000"),
		      "%s", err.msg);
	av_weights_free(&w);
}
END_TEST

static Suite *hardening_suite(void)
{
	Suite *s = suite_create("hardening");
	TCase *tc = tcase_create("Terminal");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, print_lesson_is_sanitized);
	tcase_add_test(tc, list_lessons_is_sanitized);
	tcase_add_test(tc, weights_name_in_print_is_sanitized);
	tcase_add_test(tc, error_lines_are_sanitized);
	suite_add_tcase(s, tc);
	tc = tcase_create("Files");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, fifos_are_refused);
	tcase_add_test(tc, open_regular_kinds);
	tcase_add_test(tc, read_regular_whole_or_nothing);
	tcase_add_test(tc, train_corpus_fifo_refused);
	tcase_add_test(tc, refused_export_writes_nothing);
	tcase_add_test(tc, help_to_full_disk_fails);
	tcase_add_test(tc, longest_file_name_is_writable);
	suite_add_tcase(s, tc);
	tc = tcase_create("Options");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, list_lessons_refuses_other_options);
	tcase_add_test(tc, keys_off_a_terminal_refused);
	tcase_add_test(tc, bench_warns_of_a_long_run_off_a_terminal);
	tcase_add_test(tc, too_large_weight_named_exactly);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(hardening_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0;
}
