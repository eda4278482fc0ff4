/* Shared by the tests that drive the program as a user would: read a whole
 * file, and run build/attnviz (path in ATTNVIZ_BIN) with stdout and stderr
 * captured in files of a scratch directory. Header-only: each test binary
 * is one translation unit. */
#ifndef ATTNVIZ_TESTS_RUN_UTIL_H
#define ATTNVIZ_TESTS_RUN_UTIL_H

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* A run that takes longer than this is killed by SIGALRM (status 142):
 * a blocked open or read fails the test instead of hanging the suite. */
static int util_timeout_s = 120;

typedef struct {
	int status; /* exit status, or 128 + signal */
	char *out, *err;
	size_t out_len;
} run_result;

/* The whole file at path, NUL-terminated; *len (if not NULL) its size. */
static inline char *util_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

/* Run ATTNVIZ_BIN with first (may be NULL) and then the NULL-terminated
 * args, stdin from /dev/null, NO_COLOR unset; dir receives "out" and "err". */
static inline run_result util_run(const char *dir, const char *first, const char *const *args)
{
	const char *bin = getenv("ATTNVIZ_BIN");
	ck_assert_msg(bin != NULL, "ATTNVIZ_BIN is not set (run through make check)");
	char out_path[512], err_path[512];
	snprintf(out_path, sizeof out_path, "%s/out", dir);
	snprintf(err_path, sizeof err_path, "%s/err", dir);
	pid_t pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int in = open("/dev/null", O_RDONLY);
		dup2(o, 1), dup2(e, 2), dup2(in, 0);
		const char *argv[64] = { bin };
		int k = 1;
		if (first)
			argv[k++] = first;
		for (int a = 0; args[a] && k < 63; a++)
			argv[k++] = args[a];
		argv[k] = NULL;
		unsetenv("NO_COLOR");
		alarm((unsigned)util_timeout_s); /* kept across execv */
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	run_result r;
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r.out = util_slurp(out_path, &r.out_len);
	r.err = util_slurp(err_path, NULL);
	return r;
}

static inline void util_result_free(run_result *r)
{
	free(r->out);
	free(r->err);
}

#endif
