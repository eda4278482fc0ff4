/* libFuzzer target: the lesson parser on arbitrary bytes. On success every
 * field must be within its documented range (steps, captions, keys, cells)
 * and every text NUL-terminated valid UTF-8; on error nothing is allocated
 * and the message is one line naming the file. Every text the front ends
 * show (title, step titles, captions, the error line) and the raw input
 * itself go through the one sanitizer, whose output must be safe for a
 * terminal: valid UTF-8, no C0/DEL/C1 control, at most its input and
 * "...", and the input itself when it held nothing to replace. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "attnviz/lesson.h"
#include "attnviz/tokenize.h"

static void check_text(const char *s, size_t cap)
{
	size_t len = strnlen(s, cap);
	if (len == cap)
		abort(); /* not terminated */
	for (size_t pos = 0; pos < len;) {
		unsigned cp;
		int k = av_utf8_decode(s + pos, len - pos, &cp);
		if (k == 0)
			abort();
		pos += (size_t)k;
	}
}

/* av_text_sanitize's promise on s, for a few output sizes. */
static void check_sanitized(const char *s)
{
	static const size_t caps[] = { 1, 2, 5, 64, 300, 4100 };
	size_t in = strlen(s);
	for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
		char out[4100];
		const char *r = av_text_sanitize(out, caps[c], s);
		size_t n = strnlen(out, caps[c]);
		if (r != out || n == caps[c] || n > in + 3) /* at most "..." more */
			abort();
		int clean = 1, replaced = 0;
		for (size_t pos = 0; pos < n;) {
			unsigned cp;
			int k = av_utf8_decode(out + pos, n - pos, &cp);
			if (k == 0 || av_is_control(cp))
				abort();
			pos += (size_t)k;
		}
		for (size_t pos = 0; pos < in;) {
			unsigned cp;
			int k = av_utf8_decode(s + pos, in - pos, &cp);
			if (k == 0 || av_is_control(cp))
				replaced = 1, k = k ? k : 1;
			pos += (size_t)k;
		}
		clean = !replaced;
		if (clean && in < caps[c] && (n != in || memcmp(out, s, in) != 0))
			abort(); /* nothing to replace and room for all: unchanged */
	}
}

static void check_step(const av_lesson_step *s, int in_step)
{
	check_text(s->title, sizeof s->title);
	check_sanitized(s->title);
	for (int c = 0; c < s->n_captions && c < AV_LESSON_MAX_CAPTIONS; c++)
		check_sanitized(s->caption[c]);
	check_text(s->sentence, sizeof s->sentence);
	if (s->n_captions < (in_step ? 1 : 0) || s->n_captions > AV_LESSON_MAX_CAPTIONS)
		abort();
	for (int c = 0; c < s->n_captions; c++)
		check_text(s->caption[c], sizeof s->caption[c]);
	if (s->n_keys < 0 || s->n_keys > AV_MAX_KEYS)
		abort();
	for (int k = 0; k < s->n_keys; k++)
		if (s->keys[k] <= 0 || s->keys[k] >= AV_KEY_END_OF_LIST)
			abort();
	if (s->mask < -1 || s->mask >= AV_MASK_COUNT || s->positional < -1 || s->positional > 1 ||
	    s->mode < -1 || s->mode > 1 || (int)s->focus < AV_PANEL_NONE || s->focus > AV_PANEL_TOKENS)
		abort();
	if ((s->rnn_step != -1 && (s->rnn_step < 1 || s->rnn_step > 64)) ||
	    (s->cell_i != -1 && (s->cell_i < 1 || s->cell_i > 64)) ||
	    (s->cell_j != -1 && (s->cell_j < 1 || s->cell_j > 64)))
		abort();
	if (s->sentence[0]) { /* a sentence the parser accepted must tokenize */
		av_tokens tok;
		if (av_tokenize(&tok, s->sentence, strlen(s->sentence), NULL) != AV_OK)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	av_lesson l;
	av_error err;
	char raw[4096]; /* the input as a string, as a file name or argument would be */
	size_t rn = size < sizeof raw - 1 ? size : sizeof raw - 1;
	memcpy(raw, data, rn);
	raw[rn] = '\0';
	check_sanitized(raw);
	if (av_lesson_parse(&l, (const char *)data, size, "f.lesson", &err) != AV_OK) {
		if (l.steps || l.n_steps || strchr(err.msg, '\n') || !strstr(err.msg, "f.lesson"))
			abort();
		check_sanitized(err.msg);
		return 0;
	}
	check_sanitized(l.title);
	if (l.n_steps < 1 || l.n_steps > AV_LESSON_MAX_STEPS || !l.title[0])
		abort();
	check_text(l.title, sizeof l.title);
	check_step(&l.start, 0);
	for (int i = 0; i < l.n_steps; i++)
		check_step(&l.steps[i], 1);
	av_lesson_free(&l);
	return 0;
}
