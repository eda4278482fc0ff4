/* The one number formatter and the one palette (src/fmt): hand-written
 * strings and levels for each style, the -0 rule and the width rule. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include "fmt/number.h"
#include "fmt/palette.h"

static const char *f(float v, const fmt_style *s, int width, bool utf8)
{
	static char buf[64];
	fmt_num(buf, sizeof buf, v, s, width, utf8);
	return buf;
}

START_TEST(minus_zero_never_shows)
{
	ck_assert_str_eq(f(-0.001f, &FMT_CELL, 5, true), "0.00");
	ck_assert_str_eq(f(-0.0f, &FMT_CELL, 5, true), "0.00");
	ck_assert_str_eq(f(-0.00004f, &FMT_DRILL, 0, true), "0.0000");
	ck_assert_str_eq(f(-0.0f, &FMT_PRINT, 0, false), "0.0000");
	ck_assert_str_eq(f(-0.00004f, &FMT_TABLE, 0, false), "0.0000");
	ck_assert_str_eq(f(-0.004f, &FMT_SVG, 0, true), "0.00");
	ck_assert_str_eq(f(-0.006f, &FMT_SVG, 0, true), "-0.01");
	/* At the rounding boundary: -0.005f is -0.00499999988 and printf
	 * rounds it to -0.00, though it is not below the float 0.5e-2 the
	 * magnitude test compares with; -0.5 rounds half to even, to -0. */
	ck_assert_str_eq(f(-0.005f, &FMT_CELL, 0, true), "0.00");
	ck_assert_str_eq(f(-0.00005f, &FMT_DRILL, 0, true), "0.0000");
	ck_assert_str_eq(f(-0.5f, &FMT_FIXED[0], 0, false), "0");
	ck_assert_str_eq(f(-0.0051f, &FMT_CELL, 0, true), "-0.01");
}
END_TEST

START_TEST(width_rule_drops_decimals_then_goes_scientific)
{
	ck_assert_str_eq(f(0.125f, &FMT_CELL, 5, true), "0.12"); /* round half to even in binary */
	ck_assert_str_eq(f(-1.5f, &FMT_CELL, 5, true), "-1.50");
	ck_assert_str_eq(f(-12.25f, &FMT_CELL, 5, true), "-12.2");
	ck_assert_str_eq(f(-123.456f, &FMT_CELL, 5, true), "-123");
	ck_assert_str_eq(f(123456.0f, &FMT_CELL, 5, true), "1e+05");
	ck_assert_str_eq(f(-123.456f, &FMT_CELL, 8, true), "-123.46");
}
END_TEST

START_TEST(infinities_and_nan)
{
	ck_assert_str_eq(f(-INFINITY, &FMT_CELL, 5, false), "-inf");
	ck_assert_str_eq(f(-INFINITY, &FMT_CELL, 5, true), "−∞");
	ck_assert_str_eq(f(INFINITY, &FMT_DRILL, 0, false), "inf");
	ck_assert_str_eq(f(NAN, &FMT_PRINT, 0, false), "nan");
}
END_TEST

START_TEST(styles_by_hand)
{
	ck_assert_str_eq(f(0.0f, &FMT_SMALL, 0, false), "0");
	ck_assert_str_eq(f(0.00001f, &FMT_SMALL, 0, false), "1e-05");
	ck_assert_str_eq(f(0.25f, &FMT_SMALL, 0, false), "0.25");
	ck_assert_str_eq(f(0.5f, &FMT_DRILL, 0, true), "0.5000");
	ck_assert_str_eq(f(250000.0f, &FMT_DRILL, 0, true), "2.500e+05");
	ck_assert_str_eq(f(1234.5f, &FMT_PRINT, 0, false), "1.2e+03");
	ck_assert_str_eq(f(0.00002f, &FMT_PRINT, 0, false), "2.0e-05");
	ck_assert_str_eq(f(-0.75f, &FMT_PRINT, 0, false), "-0.7500");
	ck_assert_str_eq(f(0.0f, &FMT_PRINT, 0, false), "0.0000");
	ck_assert_str_eq(f(123.456f, &FMT_SVG, 0, true), "123");
	ck_assert_str_eq(f(12.345f, &FMT_SVG, 0, true), "12.35");
}
END_TEST

/* Numbers inside sentences (fmt_str with FMT_FIXED): the same -0, NaN
 * and infinity rules as every cell, where printf's %.2f gave "-0.00". */
START_TEST(numbers_in_sentences)
{
	fmt_text t;
	ck_assert_str_eq(fmt_str(&t, -0.001f, &FMT_FIXED[2], false), "0.00");
	ck_assert_str_eq(fmt_str(&t, -0.4f, &FMT_FIXED[0], false), "0");
	ck_assert_str_eq(fmt_str(&t, 1.23456f, &FMT_FIXED[4], false), "1.2346");
	ck_assert_str_eq(fmt_str(&t, 2.0f / 3.0f, &FMT_FIXED[3], false), "0.667");
	ck_assert_str_eq(fmt_str(&t, 123456.7f, &FMT_FIXED[1], false), "123456.7"); /* no width */
	ck_assert_str_eq(fmt_str(&t, NAN, &FMT_FIXED[2], false), "nan");
	ck_assert_str_eq(fmt_str(&t, -INFINITY, &FMT_FIXED[2], true), "−∞");
	/* a compound literal per number, as the callers write it */
	char line[64];
	snprintf(line, sizeof line, "rnn %s, attention %s",
		 fmt_str(&(fmt_text){0}, -0.00001f, &FMT_FIXED[4], false),
		 fmt_str(&(fmt_text){0}, 1.5f, &FMT_FIXED[4], false));
	ck_assert_str_eq(line, "rnn 0.0000, attention 1.5000");
}
END_TEST

START_TEST(palette_levels_by_hand)
{
	/* u = (v / scale + 1) / 2 * 8, floored, clamped to 0..7 */
	ck_assert_int_eq(palette_signed_level(-1.0f, 1.0f), 0);
	ck_assert_int_eq(palette_signed_level(-0.3f, 1.0f), 2);  /* 2.8 */
	ck_assert_int_eq(palette_signed_level(0.0f, 1.0f), 4);
	ck_assert_int_eq(palette_signed_level(0.6f, 2.0f), 5);   /* 5.2 */
	ck_assert_int_eq(palette_signed_level(1.0f, 1.0f), 7);   /* 8: the top */
	ck_assert_int_eq(palette_signed_level(-5.0f, 1.0f), 0);
	ck_assert_int_eq(palette_signed_level(NAN, 1.0f), 0);
	ck_assert_int_eq(palette_signed_level(0.5f, 0.0f), 6);   /* scale 0: 1 */
	ck_assert_int_eq(palette_signed_of_level(3), PAL_ZERO);
	ck_assert_int_eq(palette_signed_of_level(4), PAL_ZERO);
	ck_assert_int_eq(palette_signed_of_level(7), PAL_POS3);
	ck_assert_int_eq(palette_prob_class_of(0.0f), -1);
	ck_assert_int_eq(palette_prob_class_of(-INFINITY), -1);
	ck_assert_int_eq(palette_prob_class_of(0.05f), PAL_P0);
	ck_assert_int_eq(palette_prob_class_of(0.1f), PAL_P1);
	ck_assert_int_eq(palette_prob_class_of(0.3f), PAL_P2);
	ck_assert_int_eq(palette_prob_class_of(0.5f), PAL_P3);
	ck_assert_int_eq(palette_prob_class_of(1.0f), PAL_P4);
	/* one table for both: the TUI's index and the SVG's RGB side by side */
	ck_assert_int_eq(palette_signed[PAL_NEG3].xterm, 25);
	ck_assert_str_eq(palette_signed[PAL_NEG3].rgb, "#005faf");
	ck_assert_int_eq(palette_prob[PAL_P4].xterm, 184);
	ck_assert_str_eq(palette_prob[PAL_P4].rgb, "#d7d700");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fmt");
	TCase *tc = tcase_create("Numbers");
	tcase_add_test(tc, minus_zero_never_shows);
	tcase_add_test(tc, width_rule_drops_decimals_then_goes_scientific);
	tcase_add_test(tc, infinities_and_nan);
	tcase_add_test(tc, styles_by_hand);
	tcase_add_test(tc, numbers_in_sentences);
	suite_add_tcase(s, tc);
	tc = tcase_create("Palette");
	tcase_add_test(tc, palette_levels_by_hand);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed != 0;
}
