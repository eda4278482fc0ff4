/* Tokenizer: UTF-8 text -> at most AV_MAX_TOKENS tokens.
 * Rules: whitespace separates tokens; every punctuation mark is a token of
 * its own; every CJK ideograph is a token of its own (Chinese has no
 * spaces); ASCII letters are lower-cased; other characters are kept as they
 * are. Invalid UTF-8 is an error naming the byte offset. */
#ifndef ATTNVIZ_TOKENIZE_H
#define ATTNVIZ_TOKENIZE_H

#include <stddef.h>
#include "attnviz/status.h"

#define AV_MAX_TOKENS 64
#define AV_MAX_TOKEN_BYTES 64 /* including the terminating NUL */

typedef struct {
	int n;                                      /* number of tokens */
	char text[AV_MAX_TOKENS][AV_MAX_TOKEN_BYTES]; /* NUL-terminated UTF-8 */
	int offset[AV_MAX_TOKENS];                  /* byte offset in the input */
} av_tokens;

/* Tokenize len bytes of text into *out. On error *out has n = 0 and *err
 * names the problem (empty, invalid UTF-8 at byte K, more than 64 tokens,
 * a token longer than 63 bytes). */
av_status av_tokenize(av_tokens *out, const char *text, size_t len, av_error *err);

/* Number of terminal columns a UTF-8 string takes (wide CJK = 2). Invalid
 * bytes count as 1. */
int av_utf8_width(const char *s);

/* Decode one code point from s (at most len bytes). Returns the number of
 * bytes used (1..4), or 0 when the sequence is invalid or truncated. */
int av_utf8_decode(const char *s, size_t len, unsigned *cp);

/* Encode code point cp into out (room for 4 bytes, no NUL added). Returns
 * the number of bytes, or 0 when cp is not a Unicode scalar value. */
int av_utf8_encode(char *out, unsigned cp);

/* 1 for a control character: C0 (below U+0020), DEL and C1 (U+0080..U+009F). */
int av_is_control(unsigned cp);

/* A user-given string made safe to quote in a one-line message: at most
 * about 40 bytes of it (cut on a code point, "..." appended), every control
 * character and invalid byte shown as '?'. Returns out. */
const char *av_text_show(char *out, size_t cap, const char *s);

/* The same for the len bytes at s, which need not end in NUL (a field of a
 * file being parsed; a NUL byte in it shows as '?'). */
const char *av_text_show_len(char *out, size_t cap, const char *s, size_t len);

/* The same without the 40-byte cut, for text shown whole (lesson titles
 * and captions, error lines, file paths): every control character (C0,
 * DEL, C1: escape sequences, bells, CSI) and every invalid byte becomes '?';
 * the result is valid UTF-8 of at most cap - 1 bytes, "..." marking a cut.
 * Every string from a file or the command line that reaches a terminal or
 * stderr goes through this or av_text_show. Returns out. */
const char *av_text_sanitize(char *out, size_t cap, const char *s);

#endif
