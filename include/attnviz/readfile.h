/* Opening an input file (weights, lesson, corpus) safely: only a regular
 * file is ever read. A FIFO without a writer (or "<(sleep 30)"), a device
 * or a socket would block open or read forever; a directory reads as
 * nothing. They are refused before a byte is read. */
#ifndef ATTNVIZ_READFILE_H
#define ATTNVIZ_READFILE_H

typedef enum {
	AV_FILE_REGULAR,   /* opened */
	AV_FILE_DIRECTORY, /* refused */
	AV_FILE_OTHER,     /* a FIFO, device or socket: refused */
	AV_FILE_ERROR,     /* open failed: errno says why */
} av_file_kind;

/* Open path read-only without blocking, then check what it is. Returns a
 * file descriptor (in blocking mode again) of a regular file, with *kind
 * AV_FILE_REGULAR; otherwise -1 and *kind says why (errno kept from open
 * for AV_FILE_ERROR). The caller closes the descriptor. */
int av_open_regular(av_file_kind *kind, const char *path);

#endif
