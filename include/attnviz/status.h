/* Status codes of the compute core and the error record that carries a
 * human-readable message. The core never prints: it fills an av_error and
 * returns its code; front ends decide how to show it. */
#ifndef ATTNVIZ_STATUS_H
#define ATTNVIZ_STATUS_H

/* One table: code and short name. */
#define AV_STATUS_LIST(X)                                   \
	X(AV_OK, "ok")                                      \
	X(AV_ERR_EMPTY, "empty input")                      \
	X(AV_ERR_UTF8, "invalid UTF-8")                     \
	X(AV_ERR_TOO_MANY_TOKENS, "too many tokens")        \
	X(AV_ERR_TOKEN_TOO_LONG, "token too long")          \
	X(AV_ERR_RANGE, "value out of range")               \
	X(AV_ERR_IO, "file error")                          \
	X(AV_ERR_PARSE, "malformed file")                   \
	X(AV_ERR_SHAPE, "shape mismatch")                   \
	X(AV_ERR_NOMEM, "out of memory")

typedef enum {
#define AV_STATUS_ENUM(code, name) code,
	AV_STATUS_LIST(AV_STATUS_ENUM)
#undef AV_STATUS_ENUM
	AV_STATUS_COUNT
} av_status;

/* An error: the code and a one-line message naming the bad value and what is
 * allowed (no trailing newline). */
typedef struct {
	av_status code;
	char msg[320];
} av_error;

/* Short name of a status code ("invalid UTF-8"); never NULL. */
const char *av_status_name(av_status code);

/* Fill *err (if not NULL) with code and a printf-style message; returns code. */
av_status av_error_set(av_error *err, av_status code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* Reset *err to AV_OK with an empty message. */
void av_error_clear(av_error *err);

#endif
