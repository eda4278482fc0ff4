/* libFuzzer target: the lesson parser on arbitrary bytes. On success every
 * field must be within its documented range (steps, captions, keys, cells)
 * and every text NUL-terminated valid UTF-8; on error nothing is allocated
 * and the message is one line naming the file. */
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

static void check_step(const av_lesson_step *s, int in_step)
{
	check_text(s->title, sizeof s->title);
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
	if (av_lesson_parse(&l, (const char *)data, size, "f.lesson", &err) != AV_OK) {
		if (l.steps || l.n_steps || strchr(err.msg, '\n') || !strstr(err.msg, "f.lesson"))
			abort();
		return 0;
	}
	if (l.n_steps < 1 || l.n_steps > AV_LESSON_MAX_STEPS || !l.title[0])
		abort();
	check_text(l.title, sizeof l.title);
	check_step(&l.start, 0);
	for (int i = 0; i < l.n_steps; i++)
		check_step(&l.steps[i], 1);
	av_lesson_free(&l);
	return 0;
}
