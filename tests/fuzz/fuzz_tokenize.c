/* libFuzzer target: the tokenizer on arbitrary bytes. Besides the
 * sanitizers, it checks the promises of tokenize.h on every input:
 * on success 1 <= n <= 64, every token non-empty, NUL-terminated within
 * AV_MAX_TOKEN_BYTES, valid UTF-8 with no whitespace, and the token is the
 * input at its offset with ASCII lower-cased; offsets strictly increase
 * and tokens do not overlap; a token tokenized alone gives itself (so that
 * tokens saved as embed words in a weight file load back). On error n == 0
 * and the message is one line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "attnviz/tokenize.h"

/* An independent UTF-8 check (not av_utf8_decode, which is under test). */
static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i], cp, need;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			need = 1, cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			need = 2, cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			need = 3, cp = c & 0x07;
		} else {
			return 0;
		}
		if (i + need >= n)
			return 0;
		for (unsigned k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		static const unsigned min[4] = { 0, 0x80, 0x800, 0x10000 };
		if (cp < min[need] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += need + 1;
	}
	return 1;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	static av_tokens tok, again, alone;
	av_error err;
	av_status st = av_tokenize(&tok, text, size, &err);
	if (st != AV_OK) {
		if (tok.n != 0 || err.code != st || err.msg[0] == '\0' || strchr(err.msg, '\n'))
			abort();
	} else {
		if (tok.n < 1 || tok.n > AV_MAX_TOKENS)
			abort();
		size_t prev_end = 0;
		for (int i = 0; i < tok.n; i++) {
			const char *t = tok.text[i];
			size_t n = strnlen(t, AV_MAX_TOKEN_BYTES);
			if (n == 0 || n >= AV_MAX_TOKEN_BYTES)
				abort();
			if (!valid_utf8((const unsigned char *)t, n))
				abort();
			for (size_t k = 0; k < n; k++)
				if (t[k] == ' ' || t[k] == '\t' || t[k] == '\n' || t[k] == '\r')
					abort();
			if (tok.offset[i] < 0 || (size_t)tok.offset[i] < prev_end ||
			    (i > 0 && tok.offset[i] <= tok.offset[i - 1]))
				abort();
			size_t off = (size_t)tok.offset[i];
			if (off + n > size)
				abort();
			for (size_t k = 0; k < n; k++)
				if (lower(text[off + k]) != t[k])
					abort();
			prev_end = off + n;
			(void)av_utf8_width(t);
			/* a token alone is that one token again: --save-weights
			 * writes tokens as embed words, which must load back */
			if (av_tokenize(&alone, t, n, &err) != AV_OK || alone.n != 1 ||
			    strcmp(alone.text[0], t) != 0)
				abort();
		}
		/* the same input gives the same tokens */
		if (av_tokenize(&again, text, size, &err) != AV_OK || again.n != tok.n)
			abort();
		for (int i = 0; i < tok.n; i++)
			if (strcmp(again.text[i], tok.text[i]) != 0 || again.offset[i] != tok.offset[i])
				abort();
	}
	/* the decoder never reads past len nor claims more than 4 bytes */
	for (size_t i = 0; i < size && i < 64; i++) {
		unsigned cp = 0;
		int k = av_utf8_decode(text + i, size - i, &cp);
		if (k < 0 || k > 4 || (size_t)k > size - i || (k > 0 && cp > 0x10FFFF))
			abort();
	}
	return 0;
}
