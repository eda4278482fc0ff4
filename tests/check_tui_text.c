/* Text that must fit a width, measured in display columns (a CJK character
 * is two): screen_fit cuts at a character boundary with an ellipsis,
 * screen_break finds where a line may end (at spaces, between Chinese
 * characters, never before closing punctuation). Hand examples, then
 * invariants over every width. No terminal needed: widths come from
 * wcwidth under a UTF-8 locale. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attnviz/tokenize.h"
#include "tui/screen.h"

static void setup(void)
{
	ck_assert_ptr_nonnull(setlocale(LC_ALL, "C.UTF-8"));
}

/* s is whole UTF-8 (no cut sequence). */
static int valid_utf8(const char *s)
{
	size_t len = strlen(s);
	for (size_t pos = 0; pos < len;) {
		unsigned cp;
		int k = av_utf8_decode(s + pos, len - pos, &cp);
		if (k <= 0)
			return 0;
		pos += (size_t)k;
	}
	return 1;
}

START_TEST(fit_hand_examples)
{
	char out[64];
	ck_assert_int_eq(screen_fit(out, sizeof out, "猫坐在垫子上。", 14, true, "…"), 14);
	ck_assert_str_eq(out, "猫坐在垫子上。");
	ck_assert_int_eq(screen_fit(out, sizeof out, "猫坐在垫子上。", 7, true, "…"), 7);
	ck_assert_str_eq(out, "猫坐在…");
	/* a wide character that would straddle the edge is left out whole */
	ck_assert_int_eq(screen_fit(out, sizeof out, "猫坐在垫子上。", 6, true, "…"), 5);
	ck_assert_str_eq(out, "猫坐…");
	ck_assert_int_eq(screen_fit(out, sizeof out, "hello world", 8, true, "…"), 8);
	ck_assert_str_eq(out, "hello w…");
	ck_assert_int_eq(screen_fit(out, sizeof out, "h_1 「猫」", 5, true, "…"), 5);
	ck_assert_str_eq(out, "h_1 …");
	/* ASCII terminals: '~', and a CJK character still takes two columns */
	ck_assert_int_eq(screen_fit(out, sizeof out, "猫坐在", 5, false, "~"), 5);
	ck_assert_str_eq(out, "猫坐~");
	ck_assert_int_eq(screen_fit(out, sizeof out, "猫坐在", 0, true, "…"), 0);
	ck_assert_str_eq(out, "");
	/* a small buffer never receives half a character */
	char tiny[8];
	screen_fit(tiny, sizeof tiny, "猫坐在垫子上。", 40, true, "…");
	ck_assert(valid_utf8(tiny));
}
END_TEST

START_TEST(fit_every_width)
{
	const char *texts[] = { "课程步骤 3/12：自注意力：z_n 与 z_{n-1} 之间没有依赖",
				"lesson step 3/12: Self-attention: no dependency",
				"分数,h,z ▁▂▃▄▅▆▇█ (-..+)  权重", "。。。", "" };
	for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
		int full = screen_width(texts[t], true);
		for (int w = 0; w <= full + 2; w++) {
			char out[256];
			int used = screen_fit(out, sizeof out, texts[t], w, true, "…");
			ck_assert_int_le(used, w);
			ck_assert_int_eq(used, screen_width(out, true));
			ck_assert(valid_utf8(out));
			if (w >= full) {
				ck_assert_str_eq(out, texts[t]);
			} else if (w >= 1) {
				size_t n = strlen(out);
				ck_assert_msg(n >= 3 && strcmp(out + n - 3, "…") == 0,
					      "'%s' cut to %d is '%s'", texts[t], w, out);
				/* the most that fits: one more character would not */
				ck_assert_int_ge(used, w - 2);
			}
		}
	}
}
END_TEST

/* All the lines of s wrapped to w, joined by '|'. */
static void wrap_all(char *out, size_t size, const char *s, int w)
{
	out[0] = '\0';
	while (*s) {
		size_t take, next;
		screen_break(s, w, true, &take, &next);
		ck_assert_int_gt((int)next, 0); /* always progress */
		size_t u = strlen(out);
		snprintf(out + u, size - u, "%s%.*s", u ? "|" : "", (int)take, s);
		s += next;
	}
}

START_TEST(break_hand_examples)
{
	char out[512];
	wrap_all(out, sizeof out, "the quick brown fox", 10);
	ck_assert_str_eq(out, "the quick|brown fox");
	wrap_all(out, sizeof out, "abcdefghij", 4);
	ck_assert_str_eq(out, "abcd|efgh|ij");
	/* Chinese breaks between characters ... */
	wrap_all(out, sizeof out, "每个隐藏状态都是前一个隐藏状态的函数", 10);
	ck_assert_str_eq(out, "每个隐藏状|态都是前一|个隐藏状态|的函数");
	/* ... but never before closing punctuation: 。 takes its character along */
	wrap_all(out, sizeof out, "隐藏状态的函数。", 14);
	ck_assert_str_eq(out, "隐藏状态的函|数。");
	wrap_all(out, sizeof out, "（作弊）每行", 6);
	ck_assert_str_eq(out, "（作|弊）每|行");
	/* mixed text: at spaces, and where a Chinese character meets a word */
	wrap_all(out, sizeof out, "按 Space 依次算出 h_2、h_3", 12);
	ck_assert_str_eq(out, "按 Space 依|次算出 h_2、|h_3");
	wrap_all(out, sizeof out, "fits", 10);
	ck_assert_str_eq(out, "fits");
}
END_TEST

START_TEST(break_every_width)
{
	const char *texts[] = {
		"训练时所有行一起计算，矩阵乘积的次数是常数。对比两个计数器：RNN 要 n 个串行步骤。",
		"The mask is what makes training-time parallelism legal: same numbers, all rows.",
		"用 mask none 时，第 1 行就关注第 2..7 个词：概率泄漏到了未来。",
	};
	for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
		for (int w = 4; w <= 90; w++) { /* from 4: a character and its 。 */
			const char *s = texts[t];
			char joined[1024] = "";
			while (*s) {
				size_t take, next;
				screen_break(s, w, true, &take, &next);
				char line[512];
				snprintf(line, sizeof line, "%.*s", (int)take, s);
				ck_assert(valid_utf8(line));
				ck_assert_msg(screen_width(line, true) <= w, "'%s' wider than %d", line, w);
				ck_assert_msg(strncmp(s + next, "，", 3) != 0 &&
						      strncmp(s + next, "。", 3) != 0 &&
						      strncmp(s + next, "：", 3) != 0,
					      "line after '%s' starts with punctuation (w %d)", line, w);
				strcat(joined, line);
				/* only spaces are dropped at a break */
				for (size_t k = take; k < next; k++)
					ck_assert_int_eq(s[k], ' ');
				if (next > take)
					strcat(joined, " ");
				s += next;
			}
			ck_assert_str_eq(joined, texts[t]);
		}
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tui_text");
	TCase *tc = tcase_create("Width");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, fit_hand_examples);
	tcase_add_test(tc, fit_every_width);
	tcase_add_test(tc, break_hand_examples);
	tcase_add_test(tc, break_every_width);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
