/* The atomic writer and the error table: a file appears whole or not at all.
 * Every way a write can fail (not a regular file, no directory, the writer's
 * own error, a full disk at flush time, a rename that fails) returns
 * "PATH: cannot write WHAT: reason", leaves an existing file untouched and
 * no temporary behind. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "attnviz/atomic.h"
#include "attnviz/status.h"
#include "run_util.h"

static char dir[64];
static char path[128];
static av_error err;

static void setup(void)
{
	strcpy(dir, "/tmp/attnviz-atomic-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/out.txt", dir);
	av_error_clear(&err);
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Names in dir (not . and ..), comma-separated, sorted by readdir order. */
static int entries(char *names, size_t size)
{
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	struct dirent *e;
	int n = 0;
	names[0] = '\0';
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		size_t u = strlen(names);
		snprintf(names + u, size - u, "%s%s", n ? "," : "", e->d_name);
		n++;
	}
	closedir(d);
	return n;
}

static void put(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* ---- writers ------------------------------------------------------------ */

static av_status write_text(FILE *f, const void *ctx, av_error *e)
{
	(void)e;
	fputs((const char *)ctx, f);
	return AV_OK;
}

/* Writes half, then fails with its own reason. */
static av_status write_half_then_refuse(FILE *f, const void *ctx, av_error *e)
{
	(void)ctx;
	fputs("half of it", f);
	return av_error_set(e, AV_ERR_RANGE, "value 7 too large");
}

/* Fails with errno only, no message. */
static av_status write_errno_only(FILE *f, const void *ctx, av_error *e)
{
	(void)ctx, (void)e;
	fputs("x", f);
	errno = ENOSPC;
	return AV_ERR_IO;
}

/* Buffers text, then points the stream's descriptor at /dev/full: the
 * flush after the writer returns meets a full disk. */
static av_status write_onto_full_disk(FILE *f, const void *ctx, av_error *e)
{
	(void)ctx, (void)e;
	fputs("new content that never reaches the disk", f);
	int full = open("/dev/full", O_WRONLY);
	ck_assert_int_ge(full, 0);
	ck_assert_int_ge(dup2(full, fileno(f)), 0);
	close(full);
	return AV_OK;
}

/* Someone makes a directory at the target while we write: the rename fails. */
static av_status write_then_block_rename(FILE *f, const void *ctx, av_error *e)
{
	(void)e;
	fputs("content", f);
	ck_assert_int_eq(mkdir((const char *)ctx, 0700), 0);
	return AV_OK;
}

/* ---- tests -------------------------------------------------------------- */

START_TEST(writes_whole_file_with_umask_mode)
{
	mode_t old = umask(027);
	ck_assert_int_eq(av_atomic_write(path, "notes", write_text, "hello\n", &err), AV_OK);
	umask(old);
	size_t len;
	char *got = util_slurp(path, &len);
	ck_assert_str_eq(got, "hello\n");
	free(got);
	struct stat sb;
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0640); /* 0666 & ~027, not mkstemp's 0600 */
	char names[256];
	ck_assert_int_eq(entries(names, sizeof names), 1);
	ck_assert_str_eq(names, "out.txt");
	/* replacing: the new content, still one file */
	ck_assert_int_eq(av_atomic_write(path, "notes", write_text, "second\n", &err), AV_OK);
	got = util_slurp(path, NULL);
	ck_assert_str_eq(got, "second\n");
	free(got);
	ck_assert_int_eq(entries(names, sizeof names), 1);
}
END_TEST

START_TEST(relative_path_in_current_directory)
{
	char cwd[512];
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	ck_assert_int_eq(chdir(dir), 0);
	av_status st = av_atomic_write("plain.txt", "export", write_text, "x", &err);
	ck_assert_int_eq(chdir(cwd), 0);
	ck_assert_int_eq(st, AV_OK);
	char names[256];
	ck_assert_int_eq(entries(names, sizeof names), 1);
	ck_assert_str_eq(names, "plain.txt");
}
END_TEST

START_TEST(refuses_what_is_not_a_regular_file)
{
	char p[160], msg[400];
	/* a directory, a name ending in '/', a device, a symbolic link */
	ck_assert_int_eq(av_atomic_write(dir, "weights", write_text, "x", &err), AV_ERR_IO);
	snprintf(msg, sizeof msg, "%s: cannot write weights: not a regular file", dir);
	ck_assert_msg(strncmp(err.msg, msg, strlen(msg)) == 0, "%s", err.msg);
	snprintf(p, sizeof p, "%s/", dir);
	ck_assert_int_eq(av_atomic_write(p, "weights", write_text, "x", &err), AV_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, "not a regular file"));
	struct stat sb;
	ck_assert_msg(stat("/dev/null", &sb) == 0 && S_ISCHR(sb.st_mode),
		      "/dev/null is not a device: restore it (mknod -m 666 /dev/null c 1 3)");
	ck_assert_int_eq(av_atomic_write("/dev/null", "export", write_text, "x", &err), AV_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, "/dev/null: cannot write export: not a regular"));
	put(path, "target stays");
	snprintf(p, sizeof p, "%s/link", dir);
	ck_assert_int_eq(symlink(path, p), 0);
	ck_assert_int_eq(av_atomic_write(p, "export", write_text, "x", &err), AV_ERR_IO);
	char *got = util_slurp(path, NULL);
	ck_assert_str_eq(got, "target stays");
	free(got);
	char names[256];
	ck_assert_int_eq(entries(names, sizeof names), 2); /* out.txt and link only */
}
END_TEST

START_TEST(missing_directory)
{
	char p[160];
	snprintf(p, sizeof p, "%s/no/such/dir/x.svg", dir);
	ck_assert_int_eq(av_atomic_write(p, "export", write_text, "x", &err), AV_ERR_IO);
	char want[300];
	snprintf(want, sizeof want, "%s: cannot write export: %s", p, strerror(ENOENT));
	ck_assert_str_eq(err.msg, want);
	char names[256];
	ck_assert_int_eq(entries(names, sizeof names), 0);
}
END_TEST

START_TEST(writer_error_keeps_old_file)
{
	put(path, "old");
	ck_assert_int_eq(av_atomic_write(path, "weights", write_half_then_refuse, NULL, &err),
			 AV_ERR_RANGE);
	char want[300];
	snprintf(want, sizeof want, "%s: cannot write weights: value 7 too large", path);
	ck_assert_str_eq(err.msg, want);
	ck_assert_int_eq(err.code, AV_ERR_RANGE);
	char *got = util_slurp(path, NULL);
	ck_assert_str_eq(got, "old");
	free(got);
	char names[256];
	ck_assert_int_eq(entries(names, sizeof names), 1);

	ck_assert_int_eq(av_atomic_write(path, "weights", write_errno_only, NULL, &err), AV_ERR_IO);
	snprintf(want, sizeof want, "%s: cannot write weights: %s", path, strerror(ENOSPC));
	ck_assert_str_eq(err.msg, want);
	ck_assert_int_eq(entries(names, sizeof names), 1);
}
END_TEST

START_TEST(full_disk_at_flush)
{
	put(path, "old");
	ck_assert_int_eq(av_atomic_write(path, "export", write_onto_full_disk, NULL, &err), AV_ERR_IO);
	char want[300];
	snprintf(want, sizeof want, "%s: cannot write export: %s", path, strerror(ENOSPC));
	ck_assert_str_eq(err.msg, want);
	char *got = util_slurp(path, NULL);
	ck_assert_str_eq(got, "old");
	free(got);
	char names[256];
	ck_assert_int_eq(entries(names, sizeof names), 1);
	ck_assert_str_eq(names, "out.txt");
}
END_TEST

START_TEST(rename_fails)
{
	ck_assert_int_eq(av_atomic_write(path, "export", write_then_block_rename, path, &err),
			 AV_ERR_IO);
	char want[300];
	snprintf(want, sizeof want, "%s: cannot write export: %s", path, strerror(EISDIR));
	ck_assert_str_eq(err.msg, want);
	char names[256];
	ck_assert_int_eq(entries(names, sizeof names), 1); /* the directory, no temporary */
	struct stat sb;
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert(S_ISDIR(sb.st_mode));
}
END_TEST

/* The error table: every code has its own name; out-of-range codes and a
 * NULL record are safe. */
START_TEST(status_table)
{
	ck_assert_str_eq(av_status_name(AV_OK), "ok");
	ck_assert_str_eq(av_status_name(AV_ERR_UTF8), "invalid UTF-8");
	ck_assert_str_eq(av_status_name(AV_ERR_NOMEM), "out of memory");
	for (int a = 0; a < AV_STATUS_COUNT; a++)
		for (int b = a + 1; b < AV_STATUS_COUNT; b++)
			ck_assert_str_ne(av_status_name((av_status)a), av_status_name((av_status)b));
	ck_assert_str_eq(av_status_name(AV_STATUS_COUNT), "unknown status");
	ck_assert_str_eq(av_status_name((av_status)-1), "unknown status");
	ck_assert_int_eq(av_error_set(NULL, AV_ERR_PARSE, "x %d", 1), AV_ERR_PARSE);
	av_error_clear(NULL);
	av_error e;
	ck_assert_int_eq(av_error_set(&e, AV_ERR_SHAPE, "%s has %d", "W_e", 3), AV_ERR_SHAPE);
	ck_assert_str_eq(e.msg, "W_e has 3");
	av_error_clear(&e);
	ck_assert_int_eq(e.code, AV_OK);
	ck_assert_str_eq(e.msg, "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("atomic");
	TCase *ok = tcase_create("Writes");
	tcase_add_checked_fixture(ok, setup, teardown);
	tcase_add_test(ok, writes_whole_file_with_umask_mode);
	tcase_add_test(ok, relative_path_in_current_directory);
	suite_add_tcase(s, ok);
	TCase *bad = tcase_create("Errors");
	tcase_add_checked_fixture(bad, setup, teardown);
	tcase_add_test(bad, refuses_what_is_not_a_regular_file);
	tcase_add_test(bad, missing_directory);
	tcase_add_test(bad, writer_error_keeps_old_file);
	tcase_add_test(bad, full_disk_at_flush);
	tcase_add_test(bad, rename_fails);
	suite_add_tcase(s, bad);
	TCase *st = tcase_create("Status");
	tcase_add_test(st, status_table);
	suite_add_tcase(s, st);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
