/* The strict command-line number parser (src/cli/cliarg.c), shared by the
 * main options and the subcommands: what it accepts, what it refuses, and
 * the one-line message it gives. */
#include <check.h>
#include <getopt.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli/cliarg.h"

START_TEST(int_accepts_plain_digits)
{
	av_error e;
	int v = -1;
	ck_assert_int_eq(cliarg_int(&v, "--dim", "16", 1, 128, &e), AV_OK);
	ck_assert_int_eq(v, 16);
	ck_assert_int_eq(cliarg_int(&v, "--x", "-7", -10, 10, &e), AV_OK);
	ck_assert_int_eq(v, -7);
	ck_assert_int_eq(cliarg_int(&v, "--x", "007", 0, 10, &e), AV_OK);
	ck_assert_int_eq(v, 7);
}
END_TEST

/* What strtol would take and a person would not mean. */
static const char *const not_numbers[] = { " 16", "+16", "16 ", "0x10", "1e2", "16abc", "",
					   "-",   "1,6", "\t8", "٣" };

START_TEST(int_refuses_lax_forms)
{
	av_error e;
	int v = 99;
	ck_assert_int_eq(cliarg_int(&v, "--dim", not_numbers[_i], 1, 128, &e), AV_ERR_PARSE);
	ck_assert_int_eq(v, 99);
	ck_assert_msg(strncmp(e.msg, "--dim '", 7) == 0, "%s", e.msg);
	ck_assert_msg(strstr(e.msg, "' is not a whole number: allowed 1..128") != NULL, "%s", e.msg);
}
END_TEST

START_TEST(int_range_message)
{
	av_error e;
	int v;
	ck_assert_int_eq(cliarg_int(&v, "--dim", "0", 1, 128, &e), AV_ERR_RANGE);
	ck_assert_str_eq(e.msg, "--dim 0 is out of range: allowed 1..128");
	ck_assert_int_eq(cliarg_int(&v, "--dim", "-3", 1, 128, &e), AV_ERR_RANGE);
	ck_assert_str_eq(e.msg, "--dim -3 is out of range: allowed 1..128");
	ck_assert_int_eq(cliarg_int(&v, "--dim", "99999999999999999999999", 1, 128, &e),
			 AV_ERR_RANGE);
	ck_assert_int_eq(cliarg_int(&v, "--dim", "2147483648", 1, 128, &e), AV_ERR_RANGE);
}
END_TEST

START_TEST(control_bytes_never_echoed)
{
	av_error e;
	int v;
	ck_assert_int_eq(cliarg_int(&v, "--dim", "\033[2J", 1, 128, &e), AV_ERR_PARSE);
	ck_assert_str_eq(e.msg, "--dim '?[2J' is not a whole number: allowed 1..128");
}
END_TEST

START_TEST(u64_full_range)
{
	av_error e;
	uint64_t v = 0;
	ck_assert_int_eq(cliarg_u64(&v, "--seed", "9223372036854775807", INT64_MAX, &e), AV_OK);
	ck_assert_uint_eq(v, (uint64_t)INT64_MAX);
	ck_assert_int_eq(cliarg_u64(&v, "--seed", "9223372036854775808", INT64_MAX, &e),
			 AV_ERR_RANGE);
	ck_assert_str_eq(e.msg, "--seed 9223372036854775808 is out of range: allowed "
				"0..9223372036854775807");
	ck_assert_int_eq(cliarg_u64(&v, "--seed", "-1", INT64_MAX, &e), AV_ERR_RANGE);
	ck_assert_int_eq(cliarg_u64(&v, "--seed", "+1", INT64_MAX, &e), AV_ERR_PARSE);
	ck_assert_int_eq(cliarg_u64(&v, "--seed", "18446744073709551616", UINT64_MAX, &e),
			 AV_ERR_RANGE);
}
END_TEST

START_TEST(double_grammar)
{
	av_error e;
	double v = 0;
	ck_assert_int_eq(cliarg_double(&v, "--lr", "0.5", 0, 10, &e), AV_OK);
	ck_assert(v == 0.5);
	ck_assert_int_eq(cliarg_double(&v, "--lr", "3e-4", 0, 10, &e), AV_OK);
	ck_assert(v == 3e-4);
	ck_assert_int_eq(cliarg_double(&v, "--lr", ".25", 0, 10, &e), AV_OK);
	ck_assert(v == 0.25);
	ck_assert_int_eq(cliarg_double(&v, "--x", "-2.", -5, 5, &e), AV_OK);
	ck_assert(v == -2.0);
	const char *bad[] = { "+1", " 1", "1 ", "nan", "inf", "0x1p3", "1e", "1e+", "1e--3", ".",
			      "-.", "1,5", "" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(cliarg_double(&v, "--lr", bad[i], 0, 10, &e) == AV_ERR_PARSE, "%s",
			      bad[i]);
	ck_assert_int_eq(cliarg_double(&v, "--clip", "1e+06", 0, 1e6, &e), AV_OK); /* as %g writes it */
	ck_assert(v == 1e6);
	ck_assert_int_eq(cliarg_double(&v, "--lr", "x", 0, 10, &e), AV_ERR_PARSE);
	ck_assert_str_eq(e.msg, "--lr 'x' is not a number: allowed 0..10");
	ck_assert_int_eq(cliarg_double(&v, "--lr", "10.0001", 0, 10, &e), AV_ERR_RANGE);
	ck_assert_str_eq(e.msg, "--lr 10.0001 is out of range: allowed 0..10");
	ck_assert_int_eq(cliarg_double(&v, "--lr", "1e999", 0, 10, &e), AV_ERR_RANGE);
	ck_assert_int_eq(cliarg_double(&v, "--lr", "-1e-999", -1, 10, &e), AV_OK);
	ck_assert(v == 0.0);
}
END_TEST

/* (lo, hi]: lo itself refused, and every message names the same range. */
START_TEST(double_above)
{
	av_error e;
	double v = -1;
	ck_assert_int_eq(cliarg_double_above(&v, "--lr", "10", 0, 10, &e), AV_OK);
	ck_assert(v == 10.0);
	ck_assert_int_eq(cliarg_double_above(&v, "--lr", "1e-9", 0, 10, &e), AV_OK);
	ck_assert(v == 1e-9);
	v = 7;
	ck_assert_int_eq(cliarg_double_above(&v, "--lr", "0", 0, 10, &e), AV_ERR_RANGE);
	ck_assert_str_eq(e.msg, "--lr 0 is out of range: allowed above 0, up to 10");
	ck_assert(v == 7.0); /* untouched */
	ck_assert_int_eq(cliarg_double_above(&v, "--lr", "-0.0", 0, 10, &e), AV_ERR_RANGE);
	ck_assert_int_eq(cliarg_double_above(&v, "--lr", "1e-999", 0, 10, &e), AV_ERR_RANGE);
	ck_assert_int_eq(cliarg_double_above(&v, "--lr", "10.5", 0, 10, &e), AV_ERR_RANGE);
	ck_assert_str_eq(e.msg, "--lr 10.5 is out of range: allowed above 0, up to 10");
	ck_assert_int_eq(cliarg_double_above(&v, "--lr", "0x1", 0, 10, &e), AV_ERR_PARSE);
	ck_assert_str_eq(e.msg, "--lr '0x1' is not a number: allowed above 0, up to 10");
}
END_TEST

/* A comma-decimal locale does not change what "0.5" means. */
START_TEST(double_ignores_locale)
{
	const char *names[] = { "de_DE.UTF-8", "fr_FR.UTF-8", "de_DE.utf8", "fr_FR.utf8" };
	const char *got = NULL;
	for (size_t i = 0; i < 4 && !got; i++)
		got = setlocale(LC_NUMERIC, names[i]);
	if (!got) {
		fprintf(stderr, "SKIP double_ignores_locale: no comma-decimal locale installed\n");
		return;
	}
	av_error e;
	double v = 0;
	ck_assert_int_eq(cliarg_double(&v, "--lr", "0.5", 0, 10, &e), AV_OK);
	ck_assert(v == 0.5);
	setlocale(LC_NUMERIC, "C");
}
END_TEST

START_TEST(list_strict)
{
	av_error e;
	int out[4], n = -1;
	ck_assert_int_eq(cliarg_int_list(out, 4, &n, "--n", "16,64,256", 1, 65536, &e), AV_OK);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(out[0], 16);
	ck_assert_int_eq(out[2], 256);
	ck_assert_int_eq(cliarg_int_list(out, 4, &n, "--n", " 16", 1, 65536, &e), AV_ERR_PARSE);
	ck_assert_str_eq(e.msg,
			 "--n ' 16' is not a whole number: allowed comma-separated whole numbers 1..65536");
	ck_assert_int_eq(cliarg_int_list(out, 4, &n, "--n", "+16", 1, 65536, &e), AV_ERR_PARSE);
	ck_assert_int_eq(cliarg_int_list(out, 4, &n, "--n", "16, 64", 1, 65536, &e), AV_ERR_PARSE);
	ck_assert_int_eq(cliarg_int_list(out, 4, &n, "--n", "16,,64", 1, 65536, &e), AV_ERR_PARSE);
	ck_assert_str_eq(e.msg,
			 "--n '16,,64' is not a whole number: allowed comma-separated whole numbers 1..65536");
	ck_assert_int_eq(cliarg_int_list(out, 4, &n, "--n", "16,", 1, 65536, &e), AV_ERR_PARSE);
	ck_assert_int_eq(cliarg_int_list(out, 4, &n, "--n", "16,100000", 1, 65536, &e),
			 AV_ERR_RANGE);
	ck_assert_str_eq(e.msg, "--n 100000 is out of range: allowed comma-separated whole "
				"numbers 1..65536");
	ck_assert_int_eq(cliarg_int_list(out, 4, &n, "--n", "1,2,3,4,5", 1, 65536, &e),
			 AV_ERR_RANGE);
	ck_assert_str_eq(e.msg, "--n '1,2,3,4,5' has more than 4 values");
}
END_TEST

/* getopt_long's failures as the one set of lines every command prints. */
static const struct option opts[] = {
	{ "print", no_argument, NULL, 256 },   { "positional", no_argument, NULL, 257 },
	{ "n", required_argument, NULL, 258 }, { "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *first_error(int argc, char **argv, av_error *e)
{
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1)
		if (c == ':' || c == '?') {
			ck_assert_int_eq(cliarg_getopt_error(e, c, opts, argv, "attnviz x"), AV_ERR_RANGE);
			return e->msg;
		}
	if (cliarg_no_operands(e, argc, argv, " (see attnviz x --help)") != AV_OK)
		return e->msg;
	return NULL;
}

START_TEST(getopt_errors)
{
	av_error e;
	char *a[] = { "x", "--p", NULL };
	ck_assert_str_eq(first_error(2, a, &e), "option '--p' is ambiguous: --print, --positional");
	char *b[] = { "x", "--print=1", NULL };
	ck_assert_str_eq(first_error(2, b, &e), "option '--print' takes no value");
	char *c[] = { "x", "--n", NULL };
	ck_assert_str_eq(first_error(2, c, &e), "option --n needs a value");
	char *d[] = { "x", "-z", NULL };
	ck_assert_str_eq(first_error(2, d, &e), "unknown option '-z' (see attnviz x --help)");
	char *f[] = { "x", "--frob\033[2J", NULL };
	ck_assert_str_eq(first_error(2, f, &e), "unknown option '--frob?[2J' (see attnviz x --help)");
	char *g[] = { "x", "--print", "extra", NULL };
	ck_assert_str_eq(first_error(3, g, &e), "unexpected argument 'extra' (see attnviz x --help)");
	char *h[] = { "x", "--pr", "--n=5", NULL };
	ck_assert_ptr_null(first_error(3, h, &e)); /* a unique prefix is the option */
}
END_TEST

static Suite *cliarg_suite(void)
{
	Suite *s = suite_create("cliarg");
	TCase *tc = tcase_create("Accept");
	tcase_add_test(tc, int_accepts_plain_digits);
	tcase_add_test(tc, u64_full_range);
	tcase_add_test(tc, double_grammar);
	tcase_add_test(tc, double_above);
	tcase_add_test(tc, double_ignores_locale);
	suite_add_tcase(s, tc);
	tc = tcase_create("Refuse");
	tcase_add_loop_test(tc, int_refuses_lax_forms, 0,
			    (int)(sizeof not_numbers / sizeof not_numbers[0]));
	tcase_add_test(tc, int_range_message);
	tcase_add_test(tc, control_bytes_never_echoed);
	tcase_add_test(tc, list_strict);
	tcase_add_test(tc, getopt_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cliarg_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0;
}
