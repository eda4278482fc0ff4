/* The Chinese interface in-process: the build tree's catalogue, frames drawn
 * at 80x24 and 120x40 (and narrower) from the Chinese default sentence,
 * every lesson step of parallel-attention.zh, the help overlay, the
 * too-small message and the live switch (L). After every frame: no row is
 * wider than the screen in display columns (a CJK character is two), and no
 * row starts with closing punctuation (a wrap never breaks before ，。). */
#define _XOPEN_SOURCE_EXTENDED 1
#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "attnviz/lesson.h"
#include "attnviz/model.h"
#include "i18n/lang.h"
#include "tui/colors.h"
#include "tui/frame.h"
#include "tui/layout.h"
#include "tui/popup.h"
#include "tui/screen.h"
#include "tui/view.h"
#include "tui_screen.h"

static av_model model;
static view v;
static layout L;
static theme th;
static popup_text pop;

static void setup(void)
{
	ck_assert_ptr_nonnull(setlocale(LC_ALL, "C.UTF-8"));
	lang_init();
	lang_set(LANG_ZH);
	ck_assert_msg(lang_current() == LANG_ZH, "no Chinese catalogue in the build tree");
	av_config cfg = av_config_default();
	av_error err;
	ck_assert_int_eq(av_model_create(&model, &cfg, NULL, &err), AV_OK);
	ck_assert_int_eq(av_model_set_sentence(&model, AV_DEFAULT_SENTENCE_ZH, &err), AV_OK);
	view_init(&v, &model, AV_DEFAULT_SENTENCE_ZH);
	theme_init(&th, SCHEME_MONO, true);
}

static void teardown(void)
{
	close_screen();
	av_model_destroy(&model);
	lang_set(LANG_EN);
}

/* Display width of row y. */
static int row_width(int y)
{
	wchar_t w[1024];
	if (mvinnwstr(y, 0, w, COLS) == ERR)
		return 0;
	int n = wcswidth(w, wcslen(w));
	ck_assert_int_ge(n, 0);
	return n;
}

/* Lay out, draw, and check every row. */
static void frame(void)
{
	ui_layout(&L, &model, &v, &th, COLS, LINES);
	view_follow(&v, &model, &L);
	ui_draw(&model, &v, &L, &th, &pop);
	for (int y = 0; y < LINES; y++) {
		ck_assert_msg(row_width(y) <= COLS, "row %d is %d columns on a %d-column screen: %s",
			      y, row_width(y), COLS, row_text(y));
		const char *r = row_text(y);
		ck_assert_msg(strncmp(r, "，", 3) && strncmp(r, "。", 3) && strncmp(r, "：", 3),
			      "row %d starts with closing punctuation: %s", y, r);
	}
}

static const int sizes[][2] = { { 80, 24 }, { 120, 40 }, { 60, 20 } };

START_TEST(frames_in_chinese)
{
	int s = _i;
	open_screen(sizes[s][0], sizes[s][1]);
	frame();
	ck_assert(screen_has("第 1/7 步"));
	ck_assert(screen_has("[猫]"));
	ck_assert(screen_has("RNN：第 1/7 个串行步骤"));
	ck_assert(screen_has("掩码 causal"));
	if (COLS >= 80) /* narrower, the title keeps its first words */
		ck_assert(screen_has("随机：种子 685"));
	ck_assert(!screen_has("step "));
	v.help = true;
	frame();
	ck_assert(screen_has("attnviz 按键"));
	ck_assert(screen_has("掩码 causal <-> none，重新计算"));
	v.help = false;
	view_apply(&v, &model, &L, ACT_STEP_LAST, 0);
	frame();
	ck_assert(screen_has("第 7/7 步"));
}
END_TEST

START_TEST(every_lesson_step)
{
	int s = _i;
	char path[1024];
	const char *assets = getenv("ATTNVIZ_ASSETS");
	ck_assert_msg(assets != NULL, "ATTNVIZ_ASSETS is not set (run through make check)");
	snprintf(path, sizeof path, "%s/lessons/parallel-attention.zh.lesson", assets);
	av_lesson lesson;
	av_error err;
	ck_assert_msg(av_lesson_load(&lesson, path, &err) == AV_OK, "%s", err.msg);
	open_screen(sizes[s][0], sizes[s][1]);
	ui_layout(&L, &model, &v, &th, COLS, LINES);
	view_teach_init(&v, &model, &L, NULL, &lesson, false);
	for (int k = 0; k < lesson.n_steps; k++) {
		view_lesson_goto(&v, &model, &L, k);
		frame();
		char head[64];
		snprintf(head, sizeof head, "课程步骤 %d/%d：", k + 1, lesson.n_steps);
		ck_assert_msg(screen_has(head), "step %d: no '%s'", k + 1, head);
		/* at 80 columns and more every caption is on the screen whole */
		for (int c = 0; c < lesson.steps[k].n_captions && COLS >= 80; c++)
			ck_assert_msg(screen_has(lesson.steps[k].caption[c]),
				      "step %d at %dx%d: caption '%s' not shown whole", k + 1, COLS,
				      LINES, lesson.steps[k].caption[c]);
	}
	av_lesson_free(&lesson);
}
END_TEST

START_TEST(too_small_in_chinese)
{
	open_screen(30, 10);
	frame();
	ck_assert(screen_has("终端太小："));
	ck_assert(screen_has("现有 30×10"));
}
END_TEST

START_TEST(live_switch)
{
	open_screen(80, 24);
	frame();
	ck_assert(screen_has("RNN：第 1/7 个串行步骤"));
	view_apply(&v, &model, &L, ACT_LANG_TOGGLE, 0);
	ck_assert_int_eq(lang_current(), LANG_EN);
	frame();
	ck_assert(screen_has("RNN: 1 of 7 sequential steps"));
	ck_assert(screen_has("interface language: English (L switches)"));
	ck_assert(!screen_has("串行"));
	v.status[0] = '\0';
	view_apply(&v, &model, &L, ACT_LANG_TOGGLE, 0);
	ck_assert_int_eq(lang_current(), LANG_ZH);
	frame();
	ck_assert(screen_has("RNN：第 1/7 个串行步骤"));
	ck_assert(screen_has("界面语言：中文（按 L 切换）"));
}
END_TEST

START_TEST(title_cut_with_ellipsis)
{
	/* two heads and a long seed: even the short forms do not fit 80 columns */
	av_model_destroy(&model);
	av_config cfg = av_config_default();
	cfg.heads = 2;
	cfg.seed = 123456789012345u;
	av_error err;
	ck_assert_int_eq(av_model_create(&model, &cfg, NULL, &err), AV_OK);
	ck_assert_int_eq(av_model_set_sentence(&model, AV_DEFAULT_SENTENCE_ZH, &err), AV_OK);
	view_init(&v, &model, AV_DEFAULT_SENTENCE_ZH);
	open_screen(80, 24);
	frame();
	const char *r = row_text(0);
	ck_assert_ptr_nonnull(strstr(r, "随机：种子 123456789012345"));
	size_t n = strlen(r);
	while (n > 0 && r[n - 1] == ' ')
		n--;
	ck_assert_msg(n >= 3 && strncmp(r + n - 3, "…", 3) == 0, "title not cut with …: %s", r);
	ck_assert_int_le(row_width(0), 80);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tui_zh");
	TCase *tc = tcase_create("Chinese");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, frames_in_chinese, 0, 3);
	tcase_add_loop_test(tc, every_lesson_step, 0, 3);
	tcase_add_test(tc, too_small_in_chinese);
	tcase_add_test(tc, live_switch);
	tcase_add_test(tc, title_cut_with_ellipsis);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
