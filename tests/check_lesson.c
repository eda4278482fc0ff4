/* Lessons and keystroke notation: the shipped lesson, a full example, and
 * every malformed case with its line number. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "attnviz/keys.h"
#include "attnviz/lesson.h"

static av_lesson l;
static av_error err;

static av_status parse(const char *text)
{
	return av_lesson_parse(&l, text, strlen(text), "t.lesson", &err);
}

static void expect_error(const char *text, const char *want)
{
	ck_assert_int_ne(parse(text), AV_OK);
	ck_assert_msg(strstr(err.msg, want) != NULL, "'%s' not in '%s'", want, err.msg);
	ck_assert_ptr_null(l.steps);
}

START_TEST(keys_notation)
{
	int keys[16];
	const char *s = "ll<Right><enter>x<lt><Space>猫";
	int n = av_keys_parse(keys, 16, s, strlen(s), &err);
	ck_assert_int_eq(n, 8);
	ck_assert_int_eq(keys[0], 'l');
	ck_assert_int_eq(keys[2], AV_KEY_RIGHT);
	ck_assert_int_eq(keys[3], AV_KEY_ENTER);
	ck_assert_int_eq(keys[4], 'x');
	ck_assert_int_eq(keys[5], '<');
	ck_assert_int_eq(keys[6], ' ');
	ck_assert_int_eq(keys[7], 0x732B);
	char buf[16];
	ck_assert_str_eq(av_key_name(AV_KEY_RIGHT, buf, sizeof buf), "<Right>");
	ck_assert_str_eq(av_key_name('<', buf, sizeof buf), "<lt>");
	ck_assert_str_eq(av_key_name(0x732B, buf, sizeof buf), "猫");
	ck_assert_int_eq(av_keys_parse(keys, 16, "a<Nope>", 7, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "'<Nope>' at byte 1"));
	ck_assert_int_eq(av_keys_parse(keys, 16, "<Right", 6, &err), -1);
	ck_assert_int_eq(av_keys_parse(keys, 2, "abc", 3, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "at most 2"));
	/* a long unknown name is quoted to 20 bytes; bad UTF-8 names its byte */
	const char *lng = "<abcdefghijklmnopqrstuvwxyz>";
	ck_assert_int_eq(av_keys_parse(keys, 16, lng, strlen(lng), &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "'<abcdefghijklmnopqrst>' at byte 0"));
	ck_assert_int_eq(av_keys_parse(keys, 16, "ab\xc3", 3, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "invalid UTF-8 in keys at byte 2"));
	/* names of the plain keys, and of what has none */
	ck_assert_str_eq(av_key_name(' ', buf, sizeof buf), "<Space>");
	ck_assert_str_eq(av_key_name('q', buf, sizeof buf), "q");
	ck_assert_str_eq(av_key_name(AV_KEY_DEL, buf, sizeof buf), "<Del>");
	ck_assert_str_eq(av_key_name(0xD800, buf, sizeof buf), "?"); /* a surrogate */
	ck_assert_str_eq(av_key_name(-1, buf, sizeof buf), "?");
	ck_assert_str_eq(av_key_name(AV_KEY_END_OF_LIST, buf, sizeof buf), "?");
}
END_TEST

START_TEST(full_example)
{
	const char *text = "attnviz-lesson 1\n"
			   "# comment\n"
			   "title  Demo lesson  \n"
			   "sentence the cat sat\n"
			   "mask none\n"
			   "\n"
			   "step First\n"
			   "  caption Line one.\n"
			   "  caption Line two.\n"
			   "  keys ll<Enter>\n"
			   "  focus softmax\n"
			   "  cell 3 2\n"
			   "step Second\n"
			   "caption Only one.\n"
			   "mask causal\n"
			   "positional on\n"
			   "mode inference\n"
			   "rnn 2\n"
			   "sentence a b c\n";
	ck_assert_int_eq(parse(text), AV_OK);
	ck_assert_str_eq(l.title, "Demo lesson");
	ck_assert_str_eq(l.start.sentence, "the cat sat");
	ck_assert_int_eq(l.start.mask, AV_MASK_NONE);
	ck_assert_int_eq(l.n_steps, 2);
	ck_assert_str_eq(l.steps[0].title, "First");
	ck_assert_int_eq(l.steps[0].n_captions, 2);
	ck_assert_str_eq(l.steps[0].caption[1], "Line two.");
	ck_assert_int_eq(l.steps[0].n_keys, 3);
	ck_assert_int_eq(l.steps[0].keys[2], AV_KEY_ENTER);
	ck_assert_int_eq(l.steps[0].focus, AV_PANEL_SOFTMAX);
	ck_assert_int_eq(l.steps[0].cell_i, 3);
	ck_assert_int_eq(l.steps[0].cell_j, 2);
	ck_assert_int_eq(l.steps[0].mask, -1);
	ck_assert_int_eq(l.steps[1].mask, AV_MASK_CAUSAL);
	ck_assert_int_eq(l.steps[1].positional, 1);
	ck_assert_int_eq(l.steps[1].mode, 1);
	ck_assert_int_eq(l.steps[1].rnn_step, 2);
	ck_assert_str_eq(l.steps[1].sentence, "a b c");
	av_lesson_free(&l);
}
END_TEST

START_TEST(shipped_lesson_loads)
{
	const char *assets = getenv("ATTNVIZ_ASSETS");
	char path[1024];
	snprintf(path, sizeof path, "%s/lessons/parallel-attention.lesson", assets ? assets : "assets");
	ck_assert_msg(av_lesson_load(&l, path, &err) == AV_OK, "%s", err.msg);
	ck_assert_int_ge(l.n_steps, 8);
	ck_assert_str_eq(l.start.sentence, "the cat sat on the mat");
	int saw_mask_none = 0, saw_inference = 0, saw_mask_panel = 0;
	for (int i = 0; i < l.n_steps; i++) {
		saw_mask_none |= l.steps[i].mask == AV_MASK_NONE;
		saw_inference |= l.steps[i].mode == 1;
		saw_mask_panel |= l.steps[i].focus == AV_PANEL_MASK;
		for (int c = 0; c < l.steps[i].n_captions; c++)
			ck_assert_int_le((int)strlen(l.steps[i].caption[c]), 100); /* short captions */
	}
	ck_assert(saw_mask_none && saw_inference && saw_mask_panel);
	av_lesson_free(&l);
}
END_TEST

/* The training-time lesson: its directives (train, race, generate) parse
 * to the values written, every caption fits one 80-column line where the
 * predictions panel is in focus. */
START_TEST(training_time_lesson_loads)
{
	const char *assets = getenv("ATTNVIZ_ASSETS");
	char path[1024];
	snprintf(path, sizeof path, "%s/lessons/training-time.lesson", assets ? assets : "assets");
	ck_assert_msg(av_lesson_load(&l, path, &err) == AV_OK, "%s", err.msg);
	ck_assert_int_ge(l.n_steps, 6);
	int race = 0, scratch = 0, trained_none = 0, gen = 0, inference_none = 0;
	int mask = l.start.mask;
	for (int i = 0; i < l.n_steps; i++) {
		const av_lesson_step *st = &l.steps[i];
		if (st->mask >= 0)
			mask = st->mask;
		race |= st->race == 4;
		scratch |= st->train_steps >= 0 && st->train_scratch;
		trained_none |= st->train_steps > 0 && mask == AV_MASK_NONE;
		gen |= st->generate > 0;
		inference_none |= st->mode == 1 && mask == AV_MASK_NONE;
		if (st->focus == AV_PANEL_PRED)
			ck_assert_int_eq(st->n_captions, 1);
		for (int c = 0; c < st->n_captions; c++)
			ck_assert_int_le((int)strlen(st->caption[c]), 80);
	}
	ck_assert(race && scratch && trained_none && gen && inference_none);
	/* the last step: back to the causal mask and the loaded weights */
	ck_assert_int_eq(mask, AV_MASK_CAUSAL);
	ck_assert_int_eq(l.steps[l.n_steps - 1].train_steps, 0);
	av_lesson_free(&l);
}
END_TEST

START_TEST(training_directives)
{
	ck_assert_int_eq(parse("attnviz-lesson 1\ntitle T\nstep A\ncaption c\ntrain 250 scratch\n"
			       "race 3\ngenerate 5 rnn\nstep B\ncaption d\ntrain 0\ngenerate 2\n"
			       "focus predictions\n"),
			 AV_OK);
	ck_assert_int_eq(l.steps[0].train_steps, 250);
	ck_assert(l.steps[0].train_scratch);
	ck_assert_int_eq(l.steps[0].race, 3);
	ck_assert_int_eq(l.steps[0].generate, 5);
	ck_assert_int_eq(l.steps[0].gen_rnn, 1);
	ck_assert_int_eq(l.steps[1].train_steps, 0);
	ck_assert(!l.steps[1].train_scratch);
	ck_assert_int_eq(l.steps[1].race, -1);
	ck_assert_int_eq(l.steps[1].generate, 2);
	ck_assert_int_eq(l.steps[1].gen_rnn, -1);
	ck_assert_int_eq(l.steps[1].focus, AV_PANEL_PRED);
	av_lesson_free(&l);
}
END_TEST

START_TEST(hide_and_show_panels)
{
	ck_assert_int_eq(parse("attnviz-lesson 1\ntitle T\nhide scores mask softmax\n"
			       "step A\ncaption a\n"
			       "step B\ncaption b\nshow mask\n"
			       "step C\ncaption c\nhide rnn\nshow softmax\n"
			       "step D\ncaption d\nshow all\n"),
			 AV_OK);
	unsigned sc = 1u << AV_PANEL_SCORES, mk = 1u << AV_PANEL_MASK,
		 sm = 1u << AV_PANEL_SOFTMAX, rn = 1u << AV_PANEL_RNN;
	ck_assert_uint_eq(av_lesson_hidden(&l, 0), sc | mk | sm);
	ck_assert_uint_eq(av_lesson_hidden(&l, 1), sc | sm);
	ck_assert_uint_eq(av_lesson_hidden(&l, 2), sc | rn);
	ck_assert_uint_eq(av_lesson_hidden(&l, 3), 0u);
	av_lesson_free(&l);
	expect_error("attnviz-lesson 1\ntitle T\nstep A\ncaption c\nhide tokens\n",
		     "t.lesson:5: 'tokens' is not a panel");
	expect_error("attnviz-lesson 1\ntitle T\nstep A\ncaption c\nshow\n", "t.lesson:5: expected");
	expect_error("attnviz-lesson 1\ntitle T\nstep A\ncaption c\nhide all\n",
		     "t.lesson:5: 'all' is not a panel");
}
END_TEST

START_TEST(errors_name_the_line)
{
	expect_error("attnviz-lesson 1\ntitle T\nstep A\ncaption c\ntrain 2001\n",
		     "t.lesson:5: expected 'train N' or 'train N scratch' with N in 0..2000");
	expect_error("attnviz-lesson 1\ntitle T\nstep A\ncaption c\ntrain 5 twice\n",
		     "t.lesson:5: expected 'train N'");
	expect_error("attnviz-lesson 1\ntitle T\nstep A\ncaption c\nrace 0\n",
		     "t.lesson:5: expected 'race K' with K in 1..64");
	expect_error("attnviz-lesson 1\ntitle T\nstep A\ncaption c\ngenerate 3 gpt\n",
		     "t.lesson:5: expected 'generate K [rnn|attention]'");
	expect_error("attnviz-lesson 1\ntitle T\ntrain 5\n", "t.lesson:3: expected title");
	expect_error("", "t.lesson:1: empty file");
	expect_error("hello\n", "t.lesson:1: not an attnviz lesson");
	expect_error("attnviz-lesson 2\n", "t.lesson:1: lesson format version '2'");
	expect_error("attnviz-lesson 1\ntitle T\n", "expected at least one 'step TITLE'");
	expect_error("attnviz-lesson 1\nstep A\ncaption c\n", "expected a 'title TEXT'");
	expect_error("attnviz-lesson 1\ntitle T\nstep A\n", "step 1 ('A') has no caption");
	expect_error("attnviz-lesson 1\ntitle T\ncaption early\n", "t.lesson:3: expected title");
	expect_error("attnviz-lesson 1\ntitle T\nstep A\ncaption c\nfrobnicate x\n",
		     "t.lesson:5: unknown directive 'frobnicate'");
	expect_error("attnviz-lesson 1\ntitle T\nstep A\ncaption c\nmask sideways\n",
		     "t.lesson:5: expected a mask");
	expect_error("attnviz-lesson 1\ntitle T\nstep A\ncaption c\nkeys <Bogus>\n",
		     "t.lesson:5: unknown key name");
	expect_error("attnviz-lesson 1\ntitle T\nstep A\ncaption c\nfocus nowhere\n",
		     "t.lesson:5: expected a panel");
	expect_error("attnviz-lesson 1\ntitle T\nstep A\ncaption c\ncell 0 2\n",
		     "t.lesson:5: expected 'cell I J'");
	expect_error("attnviz-lesson 1\ntitle T\nstep A\ncaption c\nrnn 65\n", "t.lesson:5");
	expect_error("attnviz-lesson 1\ntitle T\nstep A\ncaption c\nmode fast\n",
		     "t.lesson:5: expected 'mode training'");
	expect_error("attnviz-lesson 1\ntitle T\nstep A\ncaption c\nsentence ok \xff\n",
		     "t.lesson:5: invalid UTF-8");
	expect_error("attnviz-lesson 1\ntitle T\nstep A\ncaption c\ncaption\n", "t.lesson:5: expected text");
	expect_error("attnviz-lesson 1\ntitle T\nstep A\ncaption 1\ncaption 2\ncaption 3\ncaption "
		     "4\ncaption 5\ncaption 6\ncaption 7\n",
		     "t.lesson:10: too many captions");
	const char with_nul[] = "attnviz-lesson 1\ntitle T\0x\n";
	ck_assert_int_ne(av_lesson_parse(&l, with_nul, sizeof with_nul - 1, "t.lesson", &err), AV_OK);
	ck_assert_ptr_nonnull(strstr(err.msg, "t.lesson:2: NUL"));
	ck_assert_int_eq(av_lesson_load(&l, "/nonexistent.lesson", &err), AV_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent.lesson"));
}
END_TEST

START_TEST(long_lines_and_many_steps)
{
	size_t big = 100000;
	char *text = malloc(big + 200);
	strcpy(text, "attnviz-lesson 1\ntitle T\nstep A\ncaption ");
	size_t len = strlen(text);
	memset(text + len, 'x', big);
	strcpy(text + len + big, "\n");
	ck_assert_int_ne(parse(text), AV_OK);
	ck_assert_ptr_nonnull(strstr(err.msg, "t.lesson:4: caption is"));
	free(text);
	char *many = malloc(70 * 32 + 64);
	strcpy(many, "attnviz-lesson 1\ntitle T\n");
	for (int i = 0; i < 65; i++)
		strcat(many, "step s\ncaption c\n");
	ck_assert_int_ne(parse(many), AV_OK);
	ck_assert_ptr_nonnull(strstr(err.msg, "too many steps"));
	free(many);
}
END_TEST

/* Issue 14: the small rules. */
START_TEST(cell_blanks_bom_and_split_keys)
{
	ck_assert_msg(parse("attnviz-lesson 1\ntitle T\nstep A\ncaption c\ncell 3\t2\n") == AV_OK,
		      "%s", err.msg);
	ck_assert_int_eq(l.steps[0].cell_i, 3);
	ck_assert_int_eq(l.steps[0].cell_j, 2);
	av_lesson_free(&l);
	ck_assert_msg(parse("attnviz-lesson 1\ntitle T\nstep A\ncaption c\ncell 4   5\n") == AV_OK,
		      "%s", err.msg);
	ck_assert_int_eq(l.steps[0].cell_i, 4);
	ck_assert_int_eq(l.steps[0].cell_j, 5);
	av_lesson_free(&l);
	expect_error("attnviz-lesson 1\ntitle T\nstep A\ncaption c\ncell 3\n", "expected 'cell I J'");
	expect_error("attnviz-lesson 1\ntitle T\nstep A\ncaption c\ncell 3 2 1\n",
		     "expected 'cell I J'");
	/* a UTF-8 byte order mark, as weight files allow */
	ck_assert_msg(parse("\xEF\xBB\xBF" "attnviz-lesson 1\ntitle T\nstep A\ncaption c\n") == AV_OK,
		      "%s", err.msg);
	av_lesson_free(&l);
	/* 200 + 100 keys on two lines: the step's limit is named, not the room left */
	char text[1024];
	int n = snprintf(text, sizeof text, "attnviz-lesson 1\ntitle T\nstep A\ncaption c\nkeys ");
	for (int i = 0; i < 200; i++)
		text[n++] = 'l';
	n += snprintf(text + n, sizeof text - (size_t)n, "\nkeys ");
	for (int i = 0; i < 100; i++)
		text[n++] = 'h';
	text[n++] = '\n';
	text[n] = '\0';
	expect_error(text, "t.lesson:6: too many keys in this step: at most 256");
}
END_TEST

/* README's lesson example parses as printed (it once had inline '#'
 * comments, which the format reads as text). */
START_TEST(readme_example_parses)
{
	const char *assets = getenv("ATTNVIZ_ASSETS");
	ck_assert_msg(assets != NULL, "ATTNVIZ_ASSETS is not set (run through make check)");
	char path[1024];
	snprintf(path, sizeof path, "%s/../README.md", assets);
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	static char readme[1 << 17];
	size_t len = fread(readme, 1, sizeof readme - 1, f);
	fclose(f);
	readme[len] = '\0';
	char *start = strstr(readme, "```\nattnviz-lesson 1\n");
	ck_assert_msg(start != NULL, "no lesson example in README.md");
	start += 4;
	char *end = strstr(start, "```");
	ck_assert_ptr_nonnull(end);
	ck_assert_msg(av_lesson_parse(&l, start, (size_t)(end - start), "README", &err) == AV_OK,
		      "%s", err.msg);
	ck_assert_str_eq(l.start.sentence, "the cat sat on the mat");
	ck_assert_int_eq(l.n_steps, 1);
	ck_assert_str_eq(l.steps[0].title, "The mask matrix");
	ck_assert_str_eq(l.steps[0].caption[1], "Masked scores become -inf.");
	ck_assert_int_eq(l.steps[0].focus, AV_PANEL_MASK);
	ck_assert_int_eq(l.steps[0].n_keys, 2);
	av_lesson_free(&l);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("lesson");
	TCase *keys = tcase_create("Keys");
	tcase_add_test(keys, keys_notation);
	suite_add_tcase(s, keys);
	TCase *good = tcase_create("Format");
	tcase_add_test(good, full_example);
	tcase_add_test(good, shipped_lesson_loads);
	tcase_add_test(good, training_time_lesson_loads);
	tcase_add_test(good, training_directives);
	tcase_add_test(good, hide_and_show_panels);
	suite_add_tcase(s, good);
	TCase *bad = tcase_create("Errors");
	tcase_add_test(bad, errors_name_the_line);
	tcase_add_test(bad, long_lines_and_many_steps);
	tcase_add_test(bad, cell_blanks_bom_and_split_keys);
	tcase_add_test(good, readme_example_parses);
	suite_add_tcase(s, bad);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
