/* Opening an input file (weights, lesson, corpus) safely: only a regular
 * file is ever read. A FIFO without a writer (or "<(sleep 30)"), a device
 * or a socket would block open or read forever; a directory reads as
 * nothing. They are refused before a byte is read. */
#ifndef ATTNVIZ_READFILE_H
#define ATTNVIZ_READFILE_H

#include <stddef.h>

typedef enum {
	AV_FILE_REGULAR,   /* opened */
	AV_FILE_DIRECTORY, /* refused */
	AV_FILE_OTHER,     /* a FIFO, device or socket: refused */
	AV_FILE_ERROR,     /* open failed: errno says why */
	/* av_read_regular only: */
	AV_FILE_TOO_LARGE, /* more bytes than allowed */
	AV_FILE_READ_ERROR, /* read failed: errno says why */
	AV_FILE_NOMEM,     /* no memory for the text */
} av_file_kind;

/* Open path read-only without blocking, then check what it is. Returns a
 * file descriptor (in blocking mode again) of a regular file, with *kind
 * AV_FILE_REGULAR; otherwise -1 and *kind says why (errno kept from open
 * for AV_FILE_ERROR). The caller closes the descriptor. */
int av_open_regular(av_file_kind *kind, const char *path);

/* The whole of the regular file at path (opened by av_open_regular), at
 * most max bytes, read to its end (it may grow meanwhile; EINTR is
 * retried): *text (malloc'd, NUL-terminated, freed by the caller) holding
 * *len bytes, and AV_FILE_REGULAR. Otherwise *text is NULL and the result
 * says why; for AV_FILE_TOO_LARGE *len is the file's size when known
 * before reading, else 0. Every input file (weights, lessons, corpora)
 * is read by this one loop. */
av_file_kind av_read_regular(char **text, size_t *len, const char *path, size_t max);

#endif
