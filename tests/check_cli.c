/* The command line, driven as a user would: run build/attnviz (path in
 * ATTNVIZ_BIN), check exit status, stdout and stderr. The JSON dump is
 * parsed and every attention and RNN number recomputed independently in
 * double precision from X and the weights. */
#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "run_util.h"

typedef run_result result;

static char tmpdir[] = "/tmp/attnviz-cli-XXXXXX";

static result run(const char *const *args)
{
	return util_run(tmpdir, NULL, args);
}

static void result_free(result *r)
{
	util_result_free(r);
}

static void setup(void)
{
	strcpy(tmpdir, "/tmp/attnviz-cli-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* Exit 2, nothing on stdout, one line on stderr containing want. */
static void expect_usage_error(const char *const *args, const char *want)
{
	result r = run(args);
	ck_assert_msg(r.status == 2, "%s: status %d, stderr: %s", args[0], r.status, r.err);
	ck_assert_msg(r.out_len == 0, "%s: stdout not empty: %.80s", args[0], r.out);
	ck_assert_msg(strncmp(r.err, "attnviz: ", 9) == 0, "stderr: %s", r.err);
	char *nl = strchr(r.err, '\n');
	ck_assert_msg(nl && nl[1] == '\0', "not one line: %s", r.err);
	ck_assert_msg(strstr(r.err, want) != NULL, "'%s' not in: %s", want, r.err);
	result_free(&r);
}

START_TEST(print_default)
{
	const char *args[] = { "--print", NULL };
	result r = run(args);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "");
	ck_assert_ptr_nonnull(strstr(r.out, "Tokens (n = 6):  1:the  2:cat  3:sat  4:on  5:the  6:mat"));
	ck_assert_ptr_nonnull(strstr(r.out, "mask (causal)"));
	ck_assert_ptr_nonnull(strstr(r.out, "q_1 the        1        0        0        0        0        0"));
	ck_assert_ptr_nonnull(strstr(r.out, "q_6 mat        1        1        1        1        1        1"));
	ck_assert_ptr_nonnull(strstr(r.out, "    -inf"));
	ck_assert_ptr_nonnull(strstr(r.out, "6 sequential steps"));
	ck_assert_ptr_null(strstr(r.out, "nan"));
	/* off a terminal, no option prints the same */
	const char *none[] = { NULL };
	result r2 = run(none);
	ck_assert_int_eq(r2.status, 0);
	ck_assert_str_eq(r2.out, r.out);
	result_free(&r);
	result_free(&r2);
}
END_TEST

START_TEST(help_and_version)
{
	const char *h[] = { "--help", NULL };
	result r = run(h);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "Usage: attnviz"));
	ck_assert_ptr_nonnull(strstr(r.out, "--save-weights"));
	ck_assert_str_eq(r.err, "");
	result_free(&r);
	const char *v[] = { "--version", NULL };
	r = run(v);
	ck_assert_int_eq(r.status, 0);
	ck_assert_int_eq(strncmp(r.out, "attnviz ", 8), 0);
	result_free(&r);
}
END_TEST

static const double *get_matrix(json_t *a, int rows, int cols, double *buf)
{
	ck_assert(json_is_array(a));
	ck_assert_int_eq((int)json_array_size(a), rows);
	for (int i = 0; i < rows; i++) {
		json_t *row = json_array_get(a, i);
		ck_assert_int_eq((int)json_array_size(row), cols);
		for (int j = 0; j < cols; j++) {
			json_t *x = json_array_get(row, j);
			ck_assert(json_is_number(x));
			buf[i * cols + j] = json_number_value(x);
		}
	}
	return buf;
}

/* Recompute attention for head k from X and the dumped weights. */
static void check_head(json_t *head, const double *X, int n, int D, int dh, int causal)
{
	double Wq[128 * 16], Wk[128 * 16], Wv[128 * 16], Q[64 * 16], K[64 * 16], V[64 * 16];
	double S[64 * 64], W[64 * 64], Z[64 * 16], M[64 * 64], got[64 * 64];
	get_matrix(json_object_get(head, "W_q"), D, dh, Wq);
	get_matrix(json_object_get(head, "W_k"), D, dh, Wk);
	get_matrix(json_object_get(head, "W_v"), D, dh, Wv);
	for (int i = 0; i < n; i++)
		for (int c = 0; c < dh; c++) {
			double q = 0, k = 0, v = 0;
			for (int e = 0; e < D; e++) {
				q += X[i * D + e] * Wq[e * dh + c];
				k += X[i * D + e] * Wk[e * dh + c];
				v += X[i * D + e] * Wv[e * dh + c];
			}
			Q[i * dh + c] = q, K[i * dh + c] = k, V[i * dh + c] = v;
		}
	for (int i = 0; i < n; i++) {
		double max = -INFINITY, sum = 0;
		for (int j = 0; j < n; j++) {
			double s = 0;
			for (int c = 0; c < dh; c++)
				s += Q[i * dh + c] * K[j * dh + c];
			S[i * n + j] = s / sqrt(dh);
			M[i * n + j] = causal ? (j <= i) : 1;
			if (M[i * n + j] && S[i * n + j] > max)
				max = S[i * n + j];
		}
		for (int j = 0; j < n; j++)
			sum += W[i * n + j] = M[i * n + j] ? exp(S[i * n + j] - max) : 0;
		for (int j = 0; j < n; j++)
			W[i * n + j] /= sum;
		for (int c = 0; c < dh; c++) {
			double z = 0;
			for (int j = 0; j < n; j++)
				z += W[i * n + j] * V[j * dh + c];
			Z[i * dh + c] = z;
		}
	}
	get_matrix(json_object_get(head, "Q"), n, dh, got);
	for (int i = 0; i < n * dh; i++)
		ck_assert_double_eq_tol(got[i], Q[i], 1e-5);
	get_matrix(json_object_get(head, "scores"), n, n, got);
	for (int i = 0; i < n * n; i++)
		ck_assert_double_eq_tol(got[i], S[i], 1e-5);
	get_matrix(json_object_get(head, "mask"), n, n, got);
	for (int i = 0; i < n * n; i++)
		ck_assert_double_eq(got[i], M[i]);
	get_matrix(json_object_get(head, "weights"), n, n, got);
	for (int i = 0; i < n * n; i++)
		ck_assert_double_eq_tol(got[i], W[i], 1e-5);
	get_matrix(json_object_get(head, "output"), n, dh, got);
	for (int i = 0; i < n * dh; i++)
		ck_assert_double_eq_tol(got[i], Z[i], 1e-5);
}

static void check_dump(const char *text, int n, int D, int H, int heads, int causal)
{
	json_error_t jerr;
	json_t *root = json_loads(text, 0, &jerr);
	ck_assert_msg(root != NULL, "JSON does not parse: %s", jerr.text);
	ck_assert_str_eq(json_string_value(json_object_get(root, "format")), "attnviz-dump");
	ck_assert_int_eq(json_integer_value(json_object_get(root, "version")), 1);
	json_t *cfg = json_object_get(root, "config");
	ck_assert_int_eq(json_integer_value(json_object_get(cfg, "d_model")), D);
	ck_assert_int_eq(json_integer_value(json_object_get(cfg, "d_hidden")), H);
	ck_assert_int_eq(json_integer_value(json_object_get(cfg, "heads")), heads);
	ck_assert_int_eq(json_integer_value(json_object_get(cfg, "d_head")), D / heads);
	ck_assert_int_eq((int)json_array_size(json_object_get(root, "tokens")), n);
	double *X = malloc(sizeof(double) * n * D), *We = malloc(sizeof(double) * H * D);
	double *Wh = malloc(sizeof(double) * H * H), *h = malloc(sizeof(double) * n * H);
	double b[128], prev[128] = { 0 };
	get_matrix(json_object_get(root, "X"), n, D, X);
	json_t *rnn = json_object_get(root, "rnn");
	get_matrix(json_object_get(rnn, "W_e"), H, D, We);
	get_matrix(json_object_get(rnn, "W_h"), H, H, Wh);
	get_matrix(json_object_get(rnn, "h"), n, H, h);
	json_t *jb = json_object_get(rnn, "b");
	for (int i = 0; i < H; i++)
		b[i] = json_number_value(json_array_get(jb, i));
	for (int t = 0; t < n; t++) {
		double cur[128];
		for (int i = 0; i < H; i++) {
			double s = b[i];
			for (int k = 0; k < D; k++)
				s += We[i * D + k] * X[t * D + k];
			for (int k = 0; k < H; k++)
				s += Wh[i * H + k] * prev[k];
			cur[i] = tanh(s);
			ck_assert_double_eq_tol(h[t * H + i], cur[i], 1e-5);
		}
		memcpy(prev, cur, sizeof(double) * H);
	}
	json_t *hs = json_object_get(json_object_get(root, "attention"), "heads");
	ck_assert_int_eq((int)json_array_size(hs), heads);
	for (int k = 0; k < heads; k++)
		check_head(json_array_get(hs, k), X, n, D, D / heads, causal);
	free(X), free(We), free(Wh), free(h);
	json_decref(root);
}

START_TEST(json_recomputes_independently)
{
	const char *a1[] = { "--json", "--untrained", NULL };
	result r = run(a1);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_null(strstr(r.out, "NaN"));
	ck_assert_ptr_null(strstr(r.out, "Infinity"));
	check_dump(r.out, 6, 4, 4, 1, 1);
	result_free(&r);
	const char *a2[] = { "--json", "--dim", "12", "--hidden", "5", "--heads", "3", "--mask", "none",
			     "--positional", "-s", "我爱自然语言处理, says GPT-3!", "--seed", "99", NULL };
	r = run(a2);
	ck_assert_int_eq(r.status, 0);
	check_dump(r.out, 14, 12, 5, 3, 0);
	result_free(&r);
}
END_TEST

/* The default is the trained English model: its "lm" object recomputed
 * in double from E, the ids, h, Z and the heads' weights. */
static void check_lm(json_t *root, int n, int D, int H)
{
	json_t *lm = json_object_get(root, "lm");
	ck_assert_ptr_nonnull(lm);
	int V = (int)json_array_size(json_object_get(lm, "vocab"));
	ck_assert_int_gt(V, 50);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(lm, "vocab"), 0)), "<unk>");
	json_t *ids = json_object_get(lm, "ids"), *targets = json_object_get(lm, "targets");
	ck_assert_int_eq((int)json_array_size(ids), n);
	ck_assert_int_eq((int)json_array_size(targets), n - 1);
	double *E = malloc(sizeof(double) * V * D), *X = malloc(sizeof(double) * n * D);
	double *Z = malloc(sizeof(double) * n * D), *h = malloc(sizeof(double) * n * H);
	double *U = malloc(sizeof(double) * H * V), *Wo = malloc(sizeof(double) * D * V);
	double *lr = malloc(sizeof(double) * n * V), *la = malloc(sizeof(double) * n * V);
	get_matrix(json_object_get(lm, "E"), V, D, E);
	get_matrix(json_object_get(root, "X"), n, D, X);
	get_matrix(json_object_get(json_object_get(root, "attention"), "Z"), n, D, Z);
	get_matrix(json_object_get(json_object_get(root, "rnn"), "h"), n, H, h);
	json_t *jr = json_object_get(lm, "rnn"), *ja = json_object_get(lm, "attention");
	get_matrix(json_object_get(jr, "U"), H, V, U);
	get_matrix(json_object_get(ja, "W_out"), D, V, Wo);
	get_matrix(json_object_get(jr, "logits"), n, V, lr);
	get_matrix(json_object_get(ja, "logits"), n, V, la);
	for (int t = 0; t < n; t++) {
		int id = (int)json_integer_value(json_array_get(ids, t));
		if (t > 0)
			ck_assert_int_eq(id, json_integer_value(json_array_get(targets, t - 1)));
		for (int k = 0; k < D; k++) { /* X = E[id] + PE(t) (positional on) */
			double freq = pow(10000.0, -2.0 * (k / 2) / D);
			double pe = k % 2 == 0 ? sin(t * freq) : cos(t * freq);
			ck_assert_double_eq_tol(X[t * D + k], E[id * D + k] + pe, 1e-5);
		}
	}
	for (int m = 0; m < 2; m++) {
		json_t *j = m ? ja : jr;
		const double *logits = m ? la : lr;
		json_t *bias = json_object_get(j, m ? "b_out" : "u");
		double mean = 0;
		for (int t = 0; t < n; t++) {
			double mx = -INFINITY, sum = 0;
			for (int v = 0; v < V; v++) {
				double l = json_number_value(json_array_get(bias, v));
				if (m)
					for (int k = 0; k < D; k++)
						l += (X[t * D + k] + Z[t * D + k]) * Wo[k * V + v];
				else
					for (int i = 0; i < H; i++)
						l += h[t * H + i] * U[i * V + v];
				ck_assert_double_eq_tol(logits[t * V + v], l, 1e-4);
				mx = fmax(mx, l);
			}
			if (t == n - 1)
				break;
			for (int v = 0; v < V; v++)
				sum += exp(logits[t * V + v] - mx);
			int next = (int)json_integer_value(json_array_get(targets, t));
			double loss = log(sum) + mx - logits[t * V + next];
			ck_assert_double_eq_tol(json_number_value(json_array_get(json_object_get(j, "loss"), t)),
						loss, 1e-4);
			mean += loss / (n - 1);
		}
		ck_assert_double_eq_tol(json_number_value(json_object_get(j, "mean_loss")), mean, 1e-4);
	}
	free(E), free(X), free(Z), free(h), free(U), free(Wo), free(lr), free(la);
}

START_TEST(json_default_is_trained)
{
	const char *a[] = { "--json", NULL };
	result r = run(a);
	ck_assert_msg(r.status == 0, "%s", r.err);
	check_dump(r.out, 6, 16, 16, 1, 1);
	json_t *root = json_loads(r.out, 0, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(root, "weights")), "trained: en, 3000 steps");
	ck_assert(json_is_true(json_object_get(json_object_get(root, "config"), "positional")));
	check_lm(root, 6, 16, 16);
	/* trained: the attention rows are far from uniform (row 6 of 6) */
	json_t *w = json_object_get(json_array_get(json_object_get(json_object_get(root, "attention"),
								      "heads"), 0), "weights");
	double top = 0;
	for (int j = 0; j < 6; j++)
		top = fmax(top, json_number_value(json_array_get(json_array_get(w, 5), j)));
	ck_assert_double_gt(top, 0.5);
	json_decref(root);
	/* --print's next-word section agrees with the JSON */
	const char *pr[] = { "--print", NULL };
	result rp = run(pr);
	ck_assert_int_eq(rp.status, 0);
	ck_assert_ptr_nonnull(strstr(rp.out, "trained: en, 3000 steps; d_model"));
	const char *sec = strstr(rp.out, "== Next word ==");
	ck_assert_ptr_nonnull(sec);
	ck_assert_ptr_nonnull(strstr(sec, "\nt3 sat on "));
	double mr, ma;
	const char *ml = strstr(sec, "mean loss over the 5 predictions: rnn ");
	ck_assert_ptr_nonnull(ml);
	ck_assert_int_eq(sscanf(ml, "mean loss over the 5 predictions: rnn %lf, attention %lf", &mr,
				&ma), 2);
	root = json_loads(r.out, 0, NULL);
	json_t *jlm = json_object_get(root, "lm");
	ck_assert_double_eq_tol(mr, json_number_value(json_object_get(json_object_get(jlm, "rnn"),
								     "mean_loss")), 1e-4);
	ck_assert_double_eq_tol(ma, json_number_value(json_object_get(
					    json_object_get(jlm, "attention"), "mean_loss")), 1e-4);
	json_decref(root);
	result_free(&rp);
	result_free(&r);
	/* a Chinese sentence: the Chinese model */
	const char *b[] = { "--json", "-s", "猫坐在垫子上。", NULL };
	r = run(b);
	ck_assert_msg(r.status == 0, "%s", r.err);
	root = json_loads(r.out, 0, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(root, "weights")), "trained: zh, 3000 steps");
	check_lm(root, 7, 16, 16);
	json_decref(root);
	result_free(&r);
	/* --seed or --untrained: random weights, no "lm" */
	const char *c[] = { "--json", "--seed", "685", NULL };
	r = run(c);
	root = json_loads(r.out, 0, NULL);
	ck_assert_str_eq(json_string_value(json_object_get(root, "weights")), "random: seed 685");
	ck_assert_ptr_null(json_object_get(root, "lm"));
	json_decref(root);
	result_free(&r);
}
END_TEST

/* One word: no prediction, so no mean loss (null, not a perfect 0). */
START_TEST(one_word_has_no_mean_loss)
{
	const char *a[] = { "--json", "-s", "the", NULL };
	result r = run(a);
	ck_assert_msg(r.status == 0, "%s", r.err);
	json_t *root = json_loads(r.out, 0, NULL);
	json_t *lm = json_object_get(root, "lm");
	ck_assert_int_eq(json_array_size(json_object_get(lm, "targets")), 0);
	ck_assert(json_is_null(json_object_get(json_object_get(lm, "rnn"), "mean_loss")));
	ck_assert(json_is_null(json_object_get(json_object_get(lm, "attention"), "mean_loss")));
	json_decref(root);
	result_free(&r);
	const char *p[] = { "--print", "-s", "the", NULL };
	result rp = run(p);
	ck_assert_int_eq(rp.status, 0);
	ck_assert_ptr_nonnull(strstr(rp.out, "\nmean loss: none, one word has no next word to predict\n"));
	ck_assert_ptr_null(strstr(rp.out, "over the 0 predictions"));
	result_free(&rp);
}
END_TEST

START_TEST(save_weights_round_trip)
{
	char path[300];
	snprintf(path, sizeof path, "%s/w.txt", tmpdir);
	const char *a1[] = { "--json", "--seed", "77", "--dim", "6", "--heads", "2", "--hidden", "3",
			     "--save-weights", path, NULL };
	result r1 = run(a1);
	ck_assert_int_eq(r1.status, 0);
	const char *a2[] = { "--json", "--weights", path, NULL };
	result r2 = run(a2);
	ck_assert_msg(r2.status == 0, "%s", r2.err);
	json_t *j1 = json_loads(r1.out, 0, NULL), *j2 = json_loads(r2.out, 0, NULL);
	const char *keys[] = { "tokens", "X", "rnn", "attention" };
	for (int k = 0; k < 4; k++)
		ck_assert_msg(json_equal(json_object_get(j1, keys[k]), json_object_get(j2, keys[k])),
			      "%s differs after a round trip", keys[k]);
	json_decref(j1);
	json_decref(j2);
	result_free(&r1);
	result_free(&r2);
}
END_TEST

START_TEST(bad_sentences)
{
	const char *a[] = { "-s", "", NULL };
	expect_usage_error(a, "empty");
	const char *b[] = { "-s", " \t ", NULL };
	expect_usage_error(b, "empty");
	const char *c[] = { "-s", "ok \xff", NULL };
	expect_usage_error(c, "invalid UTF-8 at byte offset 3");
	char many[400] = "";
	for (int i = 0; i < 65; i++)
		strcat(many, "w ");
	const char *d[] = { "--sentence", many, NULL };
	expect_usage_error(d, "65 tokens; at most 64");
}
END_TEST

START_TEST(bad_numbers)
{
	const char *a[] = { "--dim", "0", NULL };
	expect_usage_error(a, "--dim 0 is out of range: allowed 1..128");
	const char *b[] = { "--dim", "-3", NULL };
	expect_usage_error(b, "--dim -3 is out of range");
	const char *c[] = { "--dim", "abc", NULL };
	expect_usage_error(c, "--dim 'abc' is not a whole number");
	const char *d[] = { "--dim", "99999999999999999999", NULL };
	expect_usage_error(d, "out of range");
	const char *e[] = { "--hidden", "129", NULL };
	expect_usage_error(e, "--hidden 129");
	const char *f[] = { "--heads", "3", NULL };
	expect_usage_error(f, "--heads 3 does not divide --dim 4");
	const char *g[] = { "--heads", "9", "--dim", "72", NULL };
	expect_usage_error(g, "allowed 1..8");
	const char *h[] = { "--seed", "-1", NULL };
	expect_usage_error(h, "--seed -1 is out of range: allowed 0..9223372036854775807");
	const char *i[] = { "--seed", "12x", NULL };
	expect_usage_error(i, "--seed '12x'");
	const char *j[] = { "--mask", "sideways", NULL };
	expect_usage_error(j, "--mask 'sideways' is unknown: allowed causal, none, strict, future");
	const char *k[] = { "--frobnicate", NULL };
	expect_usage_error(k, "unknown option '--frobnicate'");
	const char *l[] = { "--dim", NULL };
	expect_usage_error(l, "--dim needs a value");
	const char *m[] = { "hello", NULL };
	expect_usage_error(m, "unexpected argument 'hello'");
}
END_TEST

START_TEST(bad_weight_files)
{
	char path[300], msg[400];
	const char *a[] = { "--weights", "/nonexistent/w.txt", NULL };
	expect_usage_error(a, "/nonexistent/w.txt");

	snprintf(path, sizeof path, "%s/bad.txt", tmpdir);
	write_file(path, "hello world\n");
	const char *b[] = { "--weights", path, NULL };
	snprintf(msg, sizeof msg, "%s:1", path);
	expect_usage_error(b, msg);

	write_file(path, "attnviz-weights 1\nd_model 4\nd_hidden 4\nheads 1\nW_e 4 4\n1 2 3 4\n");
	snprintf(msg, sizeof msg, "%s:", path);
	expect_usage_error(b, msg); /* truncated */

	/* shapes that disagree with the options */
	char saved[300];
	snprintf(saved, sizeof saved, "%s/d8.txt", tmpdir);
	const char *s[] = { "--dim", "8", "--save-weights", saved, "--print", NULL };
	result r = run(s);
	ck_assert_int_eq(r.status, 0);
	result_free(&r);
	const char *c[] = { "--weights", saved, "--dim", "4", NULL };
	expect_usage_error(c, "d_model 8");
	/* unwritable path for --save-weights */
	const char *d[] = { "--save-weights", "/nonexistent/dir/w.txt", NULL };
	expect_usage_error(d, "/nonexistent/dir/w.txt");
}
END_TEST

START_TEST(conflicts_and_odd_options)
{
	const char *a[] = { "--print", "--json", NULL };
	expect_usage_error(a, "--print and --json cannot be combined");
	const char *b[] = { "--diff", "a b c d e f", "--export", "x.svg", NULL };
	expect_usage_error(b, "--diff cannot be combined with --export");
	const char *c[] = { "--json", "--lesson", "parallel-attention", NULL };
	expect_usage_error(c, "--json cannot be combined with --lesson");
	const char *d[] = { "--print=1", NULL };
	expect_usage_error(d, "option '--print' takes no value");
	const char *e[] = { "--p", NULL };
	expect_usage_error(e, "option '--p' is ambiguous: --positional, --print");
	const char *f[] = { "--dim", "+4", NULL };
	expect_usage_error(f, "--dim '+4' is not a whole number");
	const char *g[] = { "--mask", "x\ny", NULL }; /* one line, control shown as '?' */
	expect_usage_error(g, "--mask 'x?y' is unknown");
	const char *h[] = { "-s", "a \x1b[31m b", NULL };
	expect_usage_error(h, "control character U+001B at byte offset 2");
	const char *i[] = { "--quiz", NULL }; /* stdout is a file here */
	expect_usage_error(i, "--quiz needs the interactive view");
}
END_TEST

/* A failing run never leaves a --save-weights file behind. */
START_TEST(save_weights_only_when_everything_passed)
{
	char path[300];
	snprintf(path, sizeof path, "%s/w.txt", tmpdir);
	const char *a[] = { "--save-weights", path, "--diff", "a b", NULL };
	expect_usage_error(a, "6 and 2 tokens");
	ck_assert_int_ne(access(path, F_OK), 0);
	const char *b[] = { "--save-weights", path, "--export", "/nonexistent/x.svg", NULL };
	expect_usage_error(b, "/nonexistent/x.svg: cannot write the export");
	ck_assert_int_ne(access(path, F_OK), 0);
	const char *c[] = { "--save-weights", path, "--print", NULL };
	result r = run(c);
	ck_assert_int_eq(r.status, 0);
	ck_assert_int_eq(access(path, F_OK), 0);
	result_free(&r);
}
END_TEST

START_TEST(lesson_options_given_win)
{
	const char *a[] = { "--lesson", "parallel-attention", "--mask", "none", "-s", "a b", "--print",
			    NULL };
	result r = run(a);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "Lesson: Parallelization of self-attention"));
	ck_assert_ptr_nonnull(strstr(r.out, "mask none"));
	ck_assert_ptr_nonnull(strstr(r.out, "Tokens (n = 2):  1:a  2:b"));
	result_free(&r);
}
END_TEST

/* --diff names one row as one row: a change at word 2 leaves "row 1" and
 * "h_1" unchanged (not "rows 1..1", "h_1..h_1"); a change at word 4 keeps
 * the ranges. */
START_TEST(diff_names_single_rows)
{
	const char *a[] = { "--untrained", "-s", "the cat sat on the mat", "--diff",
			    "the dog sat on the mat", NULL };
	result r = run(a);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "\nAttention: row 1 did not change: "));
	ck_assert_ptr_nonnull(strstr(r.out, "\nRNN: h_1 did not change; from h_2 on"));
	result_free(&r);
	const char *b[] = { "--untrained", "-s", "the cat sat on the mat", "--diff",
			    "the cat sat in the mat", NULL };
	r = run(b);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "\nAttention: rows 1..3 did not change: "));
	ck_assert_ptr_nonnull(strstr(r.out, "\nRNN: h_1..h_3 did not change; from h_4 on"));
	result_free(&r);
	const char *c[] = { "--untrained", "-s", "the cat sat on the mat", "--mask", "none",
			    "--diff", "the cat sat on the rug", NULL };
	r = run(c);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "\nAttention: rows 1..5 changed although"));
	result_free(&r);
}
END_TEST

START_TEST(output_errors_exit_1)
{
	const char *cases[][3] = { { "--help", NULL, NULL }, { "--print", NULL, NULL },
				   { "--diff", "the cat sat on a mat", NULL } };
	for (int k = 0; k < 3; k++) {
		pid_t pid = fork();
		if (pid == 0) {
			int full = open("/dev/full", O_WRONLY);
			int null = open("/dev/null", O_WRONLY);
			dup2(full, 1), dup2(null, 2);
			const char *bin = getenv("ATTNVIZ_BIN");
			execl(bin, bin, cases[k][0], cases[k][1], (char *)NULL);
			_exit(127);
		}
		int st;
		waitpid(pid, &st, 0);
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 1, "%s: status %d", cases[k][0],
			      WEXITSTATUS(st));
	}
}
END_TEST

/* A lesson folder in tmpdir/assets/lessons, named by ATTNVIZ_ASSETS. */
static void make_lesson_folder(void)
{
	char path[400];
	snprintf(path, sizeof path, "%s/assets", tmpdir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/assets/lessons", tmpdir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/assets/lessons/mine.lesson", tmpdir);
	write_file(path, "attnviz-lesson 1\ntitle My own lesson\nsentence a b c\n"
			 "step One\ncaption first\nstep Two\ncaption second\n");
	snprintf(path, sizeof path, "%s/assets/lessons/broken.lesson", tmpdir);
	write_file(path, "not a lesson\n");
	/* the bundled lesson's name: the folder named first wins, listed once */
	snprintf(path, sizeof path, "%s/assets/lessons/parallel-attention.lesson", tmpdir);
	write_file(path, "attnviz-lesson 1\ntitle Shadowing the bundled one\nstep Only\ncaption c\n");
	snprintf(path, sizeof path, "%s/assets/lessons/notes.txt", tmpdir);
	write_file(path, "not listed\n");
	snprintf(path, sizeof path, "%s/assets", tmpdir);
	setenv("ATTNVIZ_ASSETS", path, 1);
}

static int count(const char *hay, const char *needle)
{
	int k = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		k++;
	return k;
}

START_TEST(list_lessons)
{
	make_lesson_folder();
	const char *a[] = { "--list-lessons", NULL };
	result r = run(a);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_str_eq(r.err, "");
	ck_assert_msg(strstr(r.out, "mine                   My own lesson (2 steps)\n"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "broken                 (unreadable: "), "%s", r.out);
	ck_assert_msg(strstr(r.out, "parallel-attention     Shadowing the bundled one (1 step)\n"),
		      "%s", r.out); /* one step: singular */
	ck_assert_int_eq(count(r.out, "parallel-attention "), 1);
	/* the bundled Chinese version has a name of its own: listed too */
	ck_assert_msg(strstr(r.out, "parallel-attention.zh  "), "%s", r.out);
	ck_assert_ptr_null(strstr(r.out, "notes"));
	ck_assert_msg(strstr(r.out, "training-time          Training time: n losses from one pass ("),
		      "%s", r.out); /* the other bundled lesson */
	ck_assert_msg(strstr(r.out, "training-time.zh       "), "%s", r.out);
	ck_assert_int_eq(count(r.out, "\n"), 6);
	/* sorted by name, whatever order the directories list them in */
	const char *order[] = { "broken ", "mine ", "parallel-attention ", "parallel-attention.zh ",
				"training-time ", "training-time.zh " };
	const char *at = r.out;
	for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
		const char *p = strstr(at, order[i]);
		ck_assert_msg(p != NULL, "'%s' missing or out of order in:\n%s", order[i], r.out);
		at = p + 1;
	}
	result_free(&r);

	/* the listed name loads; an unknown one is a usage error */
	const char *b[] = { "--lesson", "mine", "--print", NULL };
	r = run(b);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "Lesson: My own lesson (2 steps)"));
	ck_assert_ptr_nonnull(strstr(r.out, "Tokens (n = 3):  1:a  2:b  3:c"));
	result_free(&r);
	const char *c[] = { "--lesson", "nope", "--print", NULL };
	expect_usage_error(c, "no lesson named 'nope'");
	unsetenv("ATTNVIZ_ASSETS");
}
END_TEST

/* A binary with no lesson folder beside it and none named: a usage error. */
START_TEST(list_lessons_none_found)
{
	if (access(ATTNVIZ_DATADIR "/lessons", F_OK) == 0) {
		fprintf(stderr, "SKIP: check_cli list_lessons_none_found: %s/lessons exists "
				"(attnviz is installed)\n", ATTNVIZ_DATADIR);
		return;
	}
	char bin[400], cmd[1200], empty[400];
	snprintf(bin, sizeof bin, "%s/bin", tmpdir);
	ck_assert_int_eq(mkdir(bin, 0700), 0);
	snprintf(cmd, sizeof cmd, "cp '%s' '%s/attnviz'", getenv("ATTNVIZ_BIN"), bin);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(empty, sizeof empty, "%s/empty", tmpdir);
	ck_assert_int_eq(mkdir(empty, 0700), 0);
	setenv("ATTNVIZ_ASSETS", empty, 1);
	char lone[420];
	snprintf(lone, sizeof lone, "%s/attnviz", bin);
	const char *saved = getenv("ATTNVIZ_BIN");
	char keep[400];
	snprintf(keep, sizeof keep, "%s", saved);
	setenv("ATTNVIZ_BIN", lone, 1);
	const char *a[] = { "--list-lessons", NULL };
	expect_usage_error(a, "no lessons found: set ATTNVIZ_ASSETS");
	setenv("ATTNVIZ_BIN", keep, 1);
	unsetenv("ATTNVIZ_ASSETS");
}
END_TEST

START_TEST(bad_keys)
{
	const char *a[] = { "--keys", "ll<Nope>", "--tui", NULL };
	expect_usage_error(a, "--keys: unknown key name '<Nope>' at byte 2");
	const char *b[] = { "--keys", "l<Enter", "--tui", NULL };
	expect_usage_error(b, "--keys: unknown key name '<Enter' at byte 1");
	const char *c[] = { "--keys", "l\xff", "--tui", NULL };
	expect_usage_error(c, "--keys: invalid UTF-8 in keys at byte 1");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli");
	TCase *out = tcase_create("Output");
	tcase_add_checked_fixture(out, setup, teardown);
	tcase_set_timeout(out, 30);
	tcase_add_test(out, print_default);
	tcase_add_test(out, help_and_version);
	tcase_add_test(out, json_recomputes_independently);
	tcase_add_test(out, json_default_is_trained);
	tcase_add_test(out, save_weights_round_trip);
	tcase_add_test(out, one_word_has_no_mean_loss);
	suite_add_tcase(s, out);
	TCase *bad = tcase_create("BadInput");
	tcase_add_checked_fixture(bad, setup, teardown);
	tcase_set_timeout(bad, 60);
	tcase_add_test(bad, bad_sentences);
	tcase_add_test(bad, bad_numbers);
	tcase_add_test(bad, bad_weight_files);
	tcase_add_test(bad, conflicts_and_odd_options);
	tcase_add_test(bad, save_weights_only_when_everything_passed);
	tcase_add_test(bad, lesson_options_given_win);
	tcase_add_test(bad, output_errors_exit_1);
	tcase_add_test(bad, diff_names_single_rows);
	tcase_add_test(bad, list_lessons);
	tcase_add_test(bad, list_lessons_none_found);
	tcase_add_test(bad, bad_keys);
	suite_add_tcase(s, bad);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
