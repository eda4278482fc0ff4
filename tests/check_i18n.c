/* The Chinese interface from the outside: --lang and gettext's environment
 * choose the catalogue (found in the build tree, not installed), every kind
 * of message comes out in Chinese, numbers and option names stay, bad codes
 * are refused, and the Chinese default sentence and lesson are chosen. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run_util.h"

static char tmpdir[] = "/tmp/attnviz-i18n-XXXXXX";

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	/* a neutral environment: English unless a test asks for more */
	setenv("LC_ALL", "C.UTF-8", 1);
	unsetenv("LANGUAGE");
	unsetenv("LANG");
}

static void teardown(void)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(tmpdir, "/tmp/attnviz-i18n-XXXXXX");
}

#define RUN(...) util_run(tmpdir, NULL, (const char *const[]){ __VA_ARGS__, NULL })

/* How many '\n' in s. */
static int lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

START_TEST(help_follows_lang)
{
	run_result r = RUN("--lang", "zh", "--help");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "用法：attnviz [选项]..."));
	ck_assert_ptr_nonnull(strstr(r.out, "默认：\"猫坐在垫子上。\""));
	/* option names and numbers stay as they are */
	ck_assert_ptr_nonnull(strstr(r.out, "--heads N           注意力头数（1..8"));
	ck_assert_ptr_null(strstr(r.out, "Usage:"));
	util_result_free(&r);

	/* --lang=CODE, zh_CN and zh-CN are the same language */
	const char *codes[] = { "--lang=zh", "--lang=zh_CN", "--lang=zh-CN" };
	for (int i = 0; i < 3; i++) {
		r = RUN(codes[i], "--help");
		ck_assert_int_eq(r.status, 0);
		ck_assert_ptr_nonnull(strstr(r.out, "用法："));
		util_result_free(&r);
	}
	r = RUN("--lang", "en", "--help");
	ck_assert_ptr_nonnull(strstr(r.out, "Usage: attnviz [OPTION]..."));
	ck_assert_ptr_nonnull(strstr(r.out, "default: \"the cat sat on the mat\""));
	ck_assert_ptr_nonnull(strstr(r.out, "--lang CODE"));
	util_result_free(&r);
}
END_TEST

START_TEST(environment_then_lang)
{
	/* gettext's rules: LANGUAGE picks Chinese ... */
	setenv("LANGUAGE", "zh_CN", 1);
	run_result r = RUN("--print");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "词元（n = 7）：  1:猫  2:坐  3:在"));
	ck_assert_ptr_nonnull(strstr(r.out, "== 输入 =="));
	util_result_free(&r);
	/* ... and --lang overrides it, also after the other options */
	r = RUN("--print", "--lang", "en");
	ck_assert_ptr_nonnull(strstr(r.out, "Tokens (n = 6):  1:the  2:cat"));
	util_result_free(&r);
	/* LANGUAGE is ignored in the C locale, as gettext documents */
	setenv("LC_ALL", "C", 1);
	r = RUN("--print");
	ck_assert_ptr_nonnull(strstr(r.out, "Tokens (n = 6)"));
	util_result_free(&r);
	/* but --lang zh works there too */
	r = RUN("--lang", "zh", "--print");
	ck_assert_ptr_nonnull(strstr(r.out, "词元（n = 7）"));
	util_result_free(&r);
}
END_TEST

START_TEST(bad_codes)
{
	const char *bad[] = { "fr", "", "zh_TW", "EN", "zh_CN.UTF-8" };
	for (int i = 0; i < 5; i++) {
		run_result r = RUN("--lang", bad[i], "--print");
		ck_assert_int_eq(r.status, 2);
		ck_assert_uint_eq(r.out_len, 0);
		ck_assert_int_eq(lines(r.err), 1);
		char want[200];
		snprintf(want, sizeof want,
			 "attnviz: --lang '%s' is unknown: allowed en, zh_CN (or zh)\n", bad[i]);
		ck_assert_str_eq(r.err, want);
		util_result_free(&r);
	}
	run_result r = RUN("--print", "--lang");
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "attnviz: option --lang needs a value\n");
	util_result_free(&r);
	/* the message of a bad code is in the language asked for before it */
	r = RUN("--lang", "zh", "--lang", "xx");
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "attnviz: --lang 'xx' 未知：允许 en、zh_CN（或 zh）\n");
	util_result_free(&r);
}
END_TEST

START_TEST(errors_in_chinese)
{
	/* an option error, whichever side of --lang it is on */
	run_result r = RUN("--heads", "3", "--lang", "zh");
	ck_assert_int_eq(r.status, 2);
	ck_assert_uint_eq(r.out_len, 0);
	ck_assert_str_eq(r.err, "attnviz: --heads 3 不能整除 --dim 4：头数必须整除维度\n");
	util_result_free(&r);
	/* a message of the core (the tokenizer) */
	r = RUN("--lang", "zh", "-s", "ok \xff");
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "attnviz: 字节偏移 3 处有无效的 UTF-8（字节 0xFF）\n");
	util_result_free(&r);
	/* a weight-file message: file and line first, the rest in Chinese */
	char path[600];
	snprintf(path, sizeof path, "%s/w.txt", tmpdir);
	FILE *f = fopen(path, "w");
	fputs("attnviz-weights 1\nd_model 4\nd_hidden 4\nheads 1\nW_x 4 4\n", f);
	fclose(f);
	r = RUN("--lang", "zh", "--weights", path, "--print");
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "w.txt:5: 未知名称 'W_x'，应为 d_model、d_hidden"));
	util_result_free(&r);
}
END_TEST

START_TEST(default_sentence_and_lesson)
{
	run_result r = RUN("--lang", "zh", "--json");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "\"猫\""));
	ck_assert_ptr_nonnull(strstr(r.out, "\"。\""));
	util_result_free(&r);
	/* a sentence given is kept */
	r = RUN("--lang", "zh", "-s", "a b", "--print");
	ck_assert_ptr_nonnull(strstr(r.out, "词元（n = 2）：  1:a  2:b"));
	util_result_free(&r);

	r = RUN("--lang", "zh", "--list-lessons");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "parallel-attention.zh  训练时自注意力的并行化（12 步）"));
	ck_assert_ptr_nonnull(strstr(r.out, "parallel-attention     Parallelization"));
	util_result_free(&r);

	/* the Chinese lesson for the same name, and its sentence */
	r = RUN("--lang", "zh", "--lesson", "parallel-attention", "--print");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "课程：训练时自注意力的并行化（12 步）"));
	ck_assert_ptr_nonnull(strstr(r.out, "1:猫  2:坐"));
	util_result_free(&r);
	r = RUN("--lang", "en", "--lesson", "parallel-attention", "--print");
	ck_assert_ptr_nonnull(strstr(r.out, "Lesson: Parallelization of self-attention"));
	util_result_free(&r);
	/* asked for by its own name, whatever the interface */
	r = RUN("--lang", "en", "--lesson", "parallel-attention.zh", "--print");
	ck_assert_ptr_nonnull(strstr(r.out, "Lesson: 训练时自注意力的并行化 (12 steps)"));
	util_result_free(&r);
}
END_TEST

START_TEST(export_and_diff)
{
	char svg[600], md[600];
	snprintf(svg, sizeof svg, "%s/x.svg", tmpdir);
	snprintf(md, sizeof md, "%s/x.md", tmpdir);
	run_result r = RUN("--lang", "zh", "--export", svg);
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.err, "attnviz: 已写入 "));
	util_result_free(&r);
	char *s = util_slurp(svg, NULL);
	ck_assert_ptr_nonnull(strstr(s, "自注意力的并行化：“猫坐在垫子上。”"));
	ck_assert_ptr_nonnull(strstr(s, "第 1/1 个注意力头：全部 7 行同时计算，共 4 个批量步骤"));
	ck_assert_ptr_nonnull(strstr(s, "'Noto Sans CJK SC'"));
	ck_assert_ptr_nonnull(strstr(s, "'WenQuanYi Micro Hei Mono'"));
	free(s);
	r = RUN("--lang", "zh", "--export", md);
	ck_assert_int_eq(r.status, 0);
	util_result_free(&r);
	s = util_slurp(md, NULL);
	ck_assert_ptr_nonnull(strstr(s, "# 自注意力的并行化：“猫坐在垫子上。”"));
	ck_assert_ptr_nonnull(strstr(s, "### 掩码（1 = 可以关注）"));
	free(s);

	r = RUN("--lang", "zh", "--diff", "狗坐在垫子上。");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "因果性检验，掩码 causal"));
	ck_assert_ptr_nonnull(strstr(r.out, "第一个改变的词在位置 1。"));
	util_result_free(&r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("i18n");
	TCase *tc = tcase_create("Chinese");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, help_follows_lang);
	tcase_add_test(tc, environment_then_lang);
	tcase_add_test(tc, bad_codes);
	tcase_add_test(tc, errors_in_chinese);
	tcase_add_test(tc, default_sentence_and_lesson);
	tcase_add_test(tc, export_and_diff);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
