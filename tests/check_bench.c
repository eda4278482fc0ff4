/* `attnviz bench` driven as a user would (binary in ATTNVIZ_BIN): bad
 * options exit 2 with one line on stderr and nothing on stdout; --csv prints
 * exactly its header and one well-formed row per measurement; the table
 * mode prints the machine facts (FMA peak, sgemm reference), the table, the
 * plot and the summary; --dump writes what an independent recompute agrees
 * with. */
#include <check.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "run_util.h"

typedef run_result result;

static char tmpdir[] = "/tmp/attnviz-bench-XXXXXX";

/* Run `attnviz bench ARGS...` (NULL-terminated), stdout and stderr to files. */
static result run_bench(const char *const *args)
{
	return util_run(tmpdir, "bench", args);
}

static void result_free(result *r)
{
	util_result_free(r);
}

static void setup(void)
{
	strcpy(tmpdir, "/tmp/attnviz-bench-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char path[256];
	snprintf(path, sizeof path, "%s/out", tmpdir);
	unlink(path);
	snprintf(path, sizeof path, "%s/err", tmpdir);
	unlink(path);
	rmdir(tmpdir);
}

/* Each bad option: exit 2, stdout empty, one stderr line naming the value. */
static const char *const bad[][4] = {
	{ "--n", "0", NULL, "--n 0 is out of range: allowed comma-separated whole numbers 1..65536" },
	{ "--n", "abc", NULL, "--n 'abc' is not a whole number" },
	{ "--n", "16,,64", NULL, "'16,,64'" },
	{ "--n", "100000", NULL, "1..65536" },
	/* the program's one strict parser: no blanks, no '+' (issue 14) */
	{ "--n", " 16", NULL, "--n ' 16' is not a whole number" },
	{ "--n", "+16", NULL, "--n '+16' is not a whole number" },
	{ "--threads", "1, 2", NULL, "--threads ' 2' is not a whole number" },
	{ "--dim", " 8", NULL, "--dim ' 8' is not a whole number: allowed 1..1024" },
	{ "--reps", "+3", NULL, "--reps '+3' is not a whole number" },
	{ "--dim", "0", NULL, "--dim 0 is out of range" },
	{ "--dim", "4,8", NULL, "--dim '4,8' is not a whole number: allowed 1..1024" },
	{ "--threads", "0", NULL, "--threads 0 is out of range" },
	{ "--reps", "-1", NULL, "--reps -1 is out of range" },
	{ "--n", "\033]0;x\a", NULL, "--n '?]0;x?' is not a whole number" },
	{ "--\033[2J", NULL, NULL, "unknown option '--?[2J'" },
	{ "--frobnicate", NULL, NULL, "unknown option '--frobnicate' (see attnviz bench --help)" },
	{ "extra", NULL, NULL, "unexpected argument 'extra' (see attnviz bench --help)" },
	{ "--csv=yes", NULL, NULL, "option '--csv' takes no value" },
	{ "--n", NULL, NULL, "needs a value" },
	{ "--dump", "", NULL, "--dump ''" },
};

START_TEST(bad_option_exits_2)
{
	const char *const *b = bad[_i];
	const char *args[3] = { b[0], b[1], NULL };
	result r = run_bench(args);
	ck_assert_msg(r.status == 2, "%s %s: exit %d", b[0], b[1] ? b[1] : "", r.status);
	ck_assert_str_eq(r.out, "");
	ck_assert_msg(strncmp(r.err, "attnviz bench: ", 15) == 0, "stderr: %s", r.err);
	ck_assert_msg(strstr(r.err, b[3]) != NULL, "stderr does not name %s: %s", b[3], r.err);
	char *nl = strchr(r.err, '\n');
	ck_assert_msg(nl && nl[1] == '\0', "not one line: %s", r.err);
	result_free(&r);
}
END_TEST

START_TEST(csv_is_exact)
{
	const char *args[] = { "--csv", "--n", "3,17", "--dim", "16", "--threads", "1,2",
			       "--reps", "1", NULL };
	result r = run_bench(args);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, ""); /* no progress when stderr is not a terminal */
	const char *header = "model,n,d,threads,median_ms,gflops\n";
	ck_assert_msg(strncmp(r.out, header, strlen(header)) == 0, "header: %s", r.out);
	static const char *const models[] = { "rnn", "attention", "rnn-train", "attention-train" };
	int rows = 0, seen[4][2][2] = { { { 0 } } };
	char *save = NULL;
	for (char *line = strtok_r(r.out + strlen(header), "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char model[24];
		int n, d, threads, used = 0;
		double ms, gflops;
		ck_assert_msg(sscanf(line, "%23[a-z-],%d,%d,%d,%lf,%lf%n", model, &n, &d, &threads, &ms,
				     &gflops, &used) == 6 && line[used] == '\0',
			      "bad row: %s", line);
		int m = -1;
		for (int k = 0; k < 4; k++)
			if (strcmp(model, models[k]) == 0)
				m = k;
		ck_assert_msg(m >= 0, "model %s", model);
		ck_assert(n == 3 || n == 17);
		ck_assert_int_eq(d, 16);
		ck_assert(threads == 1 || threads == 2);
		ck_assert(ms > 0.0 && gflops > 0.0);
		seen[m][n == 17][threads - 1]++;
		rows++;
	}
	ck_assert_int_eq(rows, 16);
	for (int m = 0; m < 4; m++)
		for (int a = 0; a < 2; a++)
			for (int t = 0; t < 2; t++)
				ck_assert_int_eq(seen[m][a][t], 1);
	result_free(&r);
}
END_TEST

START_TEST(table_reads_well)
{
	const char *args[] = { "--n", "8,64", "--dim", "8", "--threads", "1,2", "--reps", "1",
			       NULL };
	result r = run_bench(args);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "");
	const char *want[] = { "machine: ", "OpenBLAS core ", "FMA peak of one core (",
			       " GFLOP/s; kernels run on ", "sgemm reference (dense cblas_sgemm",
			       "median ms", "GFLOP/s", "% peak", "% sgemm", "speed-up",
			       "(n, log scale)", "uses ", "of the FMA peak of 1 core)", "best ms",
			       "attention-train", "rnn-train", "T = attention-train, 1 thread",
			       "a training pass (forward + backward)", "chain of 64 steps",
			       "R = rnn, 1 thread", "In short: ", "dependency depth 64",
			       "attention's depth is 4" };
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		ck_assert_msg(strstr(r.out, want[i]) != NULL, "missing '%s' in:\n%s", want[i],
			      r.out);
	result_free(&r);
}
END_TEST

/* Read dir/name.f32: count floats exactly. */
static void read_f32(const char *name, float *x, size_t count)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s.f32", tmpdir, name);
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "missing %s", path);
	size_t got = fread(x, sizeof *x, count, f);
	int extra = fgetc(f);
	fclose(f);
	unlink(path);
	ck_assert_msg(got == count && extra == EOF, "%s: %zu floats, want %zu", name, got, count);
}

/* --dump writes one pass's inputs and outputs; Z and h recomputed here in
 * double from the dumped inputs (naive causal attention, the RNN chain)
 * agree to 1e-5: the files are what the kernels computed on those inputs. */
START_TEST(dump_matches_recompute)
{
	enum { N = 70, D = 16 };
	const char *args[] = { "--dump", tmpdir, "--n", "70,5", "--dim", "16", NULL };
	result r = run_bench(args);
	ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
	ck_assert_str_eq(r.out, "");
	result_free(&r);
	static float X[N][D], Wq[D][D], Wk[D][D], Wv[D][D], We[D][D], Wh[D][D], b[D], Z[N][D],
		h[N][D];
	read_f32("X", &X[0][0], N * D);
	read_f32("W_q", &Wq[0][0], D * D);
	read_f32("W_k", &Wk[0][0], D * D);
	read_f32("W_v", &Wv[0][0], D * D);
	read_f32("W_e", &We[0][0], D * D);
	read_f32("W_h", &Wh[0][0], D * D);
	read_f32("b", b, D);
	read_f32("Z", &Z[0][0], N * D);
	read_f32("h", &h[0][0], N * D);
	/* the training passes' files: their sizes (their values are the layer
	 * kernels', tested against finite differences by their own suite) */
	static float grad[N * D];
	const struct {
		const char *name;
		size_t count;
	} train[] = { { "dZ", N * D }, { "attn_dX", N * D }, { "attn_dW", 3 * D * D },
		      { "dh", N * D }, { "rnn_dX", N * D }, { "rnn_dW_h", D * D } };
	for (size_t i = 0; i < sizeof train / sizeof train[0]; i++)
		read_f32(train[i].name, grad, train[i].count);
	static double Q[N][D], K[N][D], V[N][D];
	for (int i = 0; i < N; i++)
		for (int c = 0; c < D; c++) {
			Q[i][c] = K[i][c] = V[i][c] = 0.0;
			for (int k = 0; k < D; k++) {
				Q[i][c] += (double)X[i][k] * Wq[k][c];
				K[i][c] += (double)X[i][k] * Wk[k][c];
				V[i][c] += (double)X[i][k] * Wv[k][c];
			}
		}
	for (int i = 0; i < N; i++) {
		double s[N], m = -INFINITY, sum = 0.0;
		for (int j = 0; j <= i; j++) {
			s[j] = 0.0;
			for (int c = 0; c < D; c++)
				s[j] += Q[i][c] * K[j][c];
			s[j] /= sqrt((double)D);
			m = fmax(m, s[j]);
		}
		for (int j = 0; j <= i; j++)
			sum += s[j] = exp(s[j] - m);
		for (int c = 0; c < D; c++) {
			double z = 0.0;
			for (int j = 0; j <= i; j++)
				z += s[j] / sum * V[j][c];
			ck_assert_msg(fabs(Z[i][c] - z) <= 1e-5 * fmax(1.0, fabs(z)), "Z[%d][%d] %g vs %g",
				      i, c, (double)Z[i][c], z);
		}
	}
	double hp[D] = { 0 };
	for (int t = 0; t < N; t++) {
		double hn[D];
		for (int i = 0; i < D; i++) {
			double a = b[i];
			for (int k = 0; k < D; k++)
				a += (double)We[i][k] * X[t][k] + (double)Wh[i][k] * hp[k];
			hn[i] = tanh(a);
			ck_assert_msg(fabs(h[t][i] - hn[i]) <= 1e-5, "h[%d][%d] %g vs %g", t, i,
				      (double)h[t][i], hn[i]);
		}
		memcpy(hp, hn, sizeof hp);
	}
}
END_TEST

START_TEST(dump_to_missing_dir_fails)
{
	char dir[300];
	snprintf(dir, sizeof dir, "%s/no/such", tmpdir);
	const char *args[] = { "--dump", dir, "--n", "4", "--dim", "4", NULL };
	result r = run_bench(args);
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.out, "");
	ck_assert_msg(strstr(r.err, "cannot write") != NULL && strstr(r.err, "no/such") != NULL,
		      "stderr: %s", r.err);
	result_free(&r);
}
END_TEST

START_TEST(help_exits_0)
{
	const char *args[] = { "--help", NULL };
	result r = run_bench(args);
	ck_assert_int_eq(r.status, 0);
	ck_assert(strstr(r.out, "Usage: attnviz bench") != NULL);
	ck_assert(strstr(r.out, "--threads LIST") != NULL);
	ck_assert(strstr(r.out, "--csv") != NULL);
	result_free(&r);
}
END_TEST

static Suite *bench_suite(void)
{
	Suite *s = suite_create("bench");
	TCase *opts = tcase_create("Options");
	tcase_add_checked_fixture(opts, setup, teardown);
	tcase_add_loop_test(opts, bad_option_exits_2, 0, (int)(sizeof bad / sizeof bad[0]));
	tcase_add_test(opts, help_exits_0);
	suite_add_tcase(s, opts);
	TCase *out = tcase_create("Output");
	tcase_add_checked_fixture(out, setup, teardown);
	tcase_add_test(out, csv_is_exact);
	tcase_add_test(out, table_reads_well);
	tcase_add_test(out, dump_matches_recompute);
	tcase_add_test(out, dump_to_missing_dir_fails);
	tcase_set_timeout(out, 120); /* the roofline product is slow under ASan */
	suite_add_tcase(s, out);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(bench_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
