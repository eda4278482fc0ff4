/* Tokenizer: words, punctuation, CJK, case, UTF-8 errors and the limits. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "attnviz/tokenize.h"

static av_tokens tok;
static av_error err;

static av_status run(const char *s)
{
	return av_tokenize(&tok, s, strlen(s), &err);
}

/* Assert the tokens are exactly the NULL-terminated list. */
static void expect_tokens(const char *s, const char *const *want)
{
	ck_assert_int_eq(run(s), AV_OK);
	int n = 0;
	while (want[n])
		n++;
	ck_assert_int_eq(tok.n, n);
	for (int i = 0; i < n; i++)
		ck_assert_str_eq(tok.text[i], want[i]);
}

START_TEST(words_and_case)
{
	const char *want[] = { "the", "cat", "sat", "on", "the", "mat", NULL };
	expect_tokens("The CAT  sat\ton\nthe mat", want);
	ck_assert_int_eq(tok.offset[0], 0);
	ck_assert_int_eq(tok.offset[1], 4);
	ck_assert_int_eq(tok.offset[2], 9);
}
END_TEST

START_TEST(punctuation_alone)
{
	const char *want[] = { "hello", ",", "world", "!", "don", "'", "t", "(", "x", ")", NULL };
	expect_tokens("Hello, world! don't (x)", want);
}
END_TEST

START_TEST(cjk_each_ideograph)
{
	const char *want[] = { "我", "爱", "自", "然", "语", "言", "处", "理", NULL };
	expect_tokens("我爱自然语言处理", want);
	ck_assert_int_eq(tok.offset[1], 3);
}
END_TEST

START_TEST(cjk_punctuation_and_mixed)
{
	const char *want[] = { "你", "好", "，", "gpt", "-", "3", "模", "型", "！", NULL };
	expect_tokens("你好，GPT-3模型！", want);
	const char *want2[] = { "naïve", "café", "über", NULL };
	expect_tokens("Naïve café über", want2);
	/* ideographic space separates */
	const char *want3[] = { "a", "b", NULL };
	expect_tokens("a\xe3\x80\x80" "b", want3);
}
END_TEST

START_TEST(empty_is_error)
{
	ck_assert_int_eq(run(""), AV_ERR_EMPTY);
	ck_assert_int_eq(tok.n, 0);
	ck_assert_int_eq(run("  \t\n "), AV_ERR_EMPTY);
	ck_assert_ptr_nonnull(strstr(err.msg, "empty"));
}
END_TEST

START_TEST(invalid_utf8_names_offset)
{
	ck_assert_int_eq(run("ab\xff" "cd"), AV_ERR_UTF8);
	ck_assert_ptr_nonnull(strstr(err.msg, "byte offset 2"));
	ck_assert_int_eq(tok.n, 0);
	ck_assert_int_eq(run("ok \xc0\xaf"), AV_ERR_UTF8); /* overlong '/' */
	ck_assert_ptr_nonnull(strstr(err.msg, "byte offset 3"));
	ck_assert_int_eq(run("\xed\xa0\x80"), AV_ERR_UTF8); /* surrogate */
	ck_assert_int_eq(run("x\xe4\xb8"), AV_ERR_UTF8);     /* truncated */
	ck_assert_ptr_nonnull(strstr(err.msg, "byte offset 1"));
	ck_assert_int_eq(run("\xf4\x90\x80\x80"), AV_ERR_UTF8); /* > U+10FFFF */
	ck_assert_int_eq(run("a\x1b[31m"), AV_ERR_UTF8); /* escape: would reach terminals */
	ck_assert_ptr_nonnull(strstr(err.msg, "control character U+001B at byte offset 1"));
	ck_assert_int_eq(run("a\x7f"), AV_ERR_UTF8);      /* DEL */
	ck_assert_int_eq(run("a\xc2\x85"), AV_ERR_UTF8);  /* C1 NEL */
	ck_assert_int_eq(run("tab\tand\r\nnewline"), AV_OK); /* whitespace controls separate */
	ck_assert_int_eq(tok.n, 3);
	char shown[64];
	ck_assert_str_eq(av_text_show(shown, sizeof shown, "x\ny\xff"), "x?y?");
	av_text_show(shown, sizeof shown, "0123456789012345678901234567890123456789012345");
	ck_assert_str_eq(shown, "0123456789012345678901234567890123456789...");
	/* a field of a file (not NUL-terminated; a NUL inside is a '?'), as the
	 * weight parser quotes it: the same sanitizer and 40-byte cut */
	ck_assert_str_eq(av_text_show_len(shown, sizeof shown, "ab\0c\033dXYZ", 6), "ab?c?d");
	av_text_show_len(shown, sizeof shown, "0123456789012345678901234567890123456789012345", 41);
	ck_assert_str_eq(shown, "0123456789012345678901234567890123456789...");
	ck_assert_str_eq(av_text_show_len(shown, sizeof shown, "猫坐", 4), "猫?"); /* a cut sequence */
	/* the whole-text sanitizer (issue 14): no 40-byte cut, every C0, DEL,
	 * C1 and invalid byte a '?', UTF-8 kept, a cut only when out is full */
	char safe[128];
	ck_assert_str_eq(av_text_sanitize(safe, sizeof safe, "t\033[2J \033]0;PWN\a \xc2\x9b" "1m \x7f \xff é猫"),
			 "t?[2J ?]0;PWN? ?1m ? ? é猫");
	const char *sixty = "012345678901234567890123456789012345678901234567890123456789";
	ck_assert_str_eq(av_text_sanitize(safe, sizeof safe, sixty), sixty);
	ck_assert_str_eq(av_text_sanitize(safe, 11, sixty), "0123456..."); /* 10 bytes + NUL */
	ck_assert_str_eq(av_text_sanitize(safe, 5, "abcd"), "abcd"); /* fits exactly */
	ck_assert_str_eq(av_text_sanitize(safe, 8, "ab猫猫"), "ab...");  /* never half a code point */
	ck_assert_str_eq(av_text_sanitize(safe, 1, "abc"), "");
	const char nul[] = { 'a', 0, 'b' };
	ck_assert_int_eq(av_tokenize(&tok, nul, 3, &err), AV_ERR_UTF8);
}
END_TEST

static char *repeat_words(int count)
{
	char *s = malloc((size_t)count * 3 + 1);
	s[0] = '\0';
	for (int i = 0; i < count; i++)
		strcat(s, "ab ");
	return s;
}

START_TEST(limit_64_tokens)
{
	char *s64 = repeat_words(64), *s65 = repeat_words(65), *s200 = repeat_words(200);
	ck_assert_int_eq(run(s64), AV_OK);
	ck_assert_int_eq(tok.n, 64);
	ck_assert_int_eq(run(s65), AV_ERR_TOO_MANY_TOKENS);
	ck_assert_ptr_nonnull(strstr(err.msg, "65 tokens"));
	ck_assert_ptr_nonnull(strstr(err.msg, "at most 64"));
	ck_assert_int_eq(run(s200), AV_ERR_TOO_MANY_TOKENS);
	ck_assert_ptr_nonnull(strstr(err.msg, "200 tokens"));
	free(s64);
	free(s65);
	free(s200);
}
END_TEST

START_TEST(limit_token_bytes)
{
	char word[80];
	memset(word, 'a', 63);
	word[63] = '\0';
	ck_assert_int_eq(run(word), AV_OK);
	ck_assert_int_eq((int)strlen(tok.text[0]), 63);
	memset(word, 'a', 64);
	word[64] = '\0';
	ck_assert_int_eq(run(word), AV_ERR_TOKEN_TOO_LONG);
	ck_assert_ptr_nonnull(strstr(err.msg, "63 bytes"));
}
END_TEST

START_TEST(encode_round_trips)
{
	const unsigned cps[] = { 0x41, 0xE9, 0x732B, 0x1F600, 0x10FFFF };
	const int lens[] = { 1, 2, 3, 4, 4 };
	for (int i = 0; i < 5; i++) {
		char buf[5] = { 0 };
		unsigned back;
		ck_assert_int_eq(av_utf8_encode(buf, cps[i]), lens[i]);
		ck_assert_int_eq(av_utf8_decode(buf, (size_t)lens[i], &back), lens[i]);
		ck_assert_uint_eq(back, cps[i]);
	}
	char buf[5];
	ck_assert_int_eq(av_utf8_encode(buf, 0xD800), 0); /* surrogate */
	ck_assert_int_eq(av_utf8_encode(buf, 0x110000), 0);
}
END_TEST

START_TEST(width_of_cjk)
{
	ck_assert_int_eq(av_utf8_width("cat"), 3);
	ck_assert_int_eq(av_utf8_width("猫"), 2);
	ck_assert_int_eq(av_utf8_width("é"), 1);
	ck_assert_int_eq(av_utf8_width("ab猫"), 4);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tokenize");
	TCase *rules = tcase_create("Rules");
	tcase_add_test(rules, words_and_case);
	tcase_add_test(rules, punctuation_alone);
	tcase_add_test(rules, cjk_each_ideograph);
	tcase_add_test(rules, cjk_punctuation_and_mixed);
	tcase_add_test(rules, width_of_cjk);
	tcase_add_test(rules, encode_round_trips);
	suite_add_tcase(s, rules);
	TCase *errors = tcase_create("Errors");
	tcase_add_test(errors, empty_is_error);
	tcase_add_test(errors, invalid_utf8_names_offset);
	suite_add_tcase(s, errors);
	TCase *limits = tcase_create("Limits");
	tcase_add_test(limits, limit_64_tokens);
	tcase_add_test(limits, limit_token_bytes);
	suite_add_tcase(s, limits);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
