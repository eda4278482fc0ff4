/* Writing a file so that nobody ever sees it half-written: the content goes
 * to a temporary file beside it, which is flushed to disk and renamed into
 * place. Used for weight files and exports. */
#ifndef ATTNVIZ_ATOMIC_H
#define ATTNVIZ_ATOMIC_H

#include <stdio.h>
#include "attnviz/status.h"

/* Writes the content to f; returns AV_OK or an error in *err. */
typedef av_status (*av_write_fn)(FILE *f, const void *ctx, av_error *err);

/* Write path with write(f, ctx, err). what names the content in messages
 * ("weights", "export"). An existing path that is not a regular file (a
 * directory, a device such as /dev/null, a symbolic link) is refused rather
 * than replaced. The file gets mode 0666 & ~umask. On error nothing is left
 * behind and *err says "PATH: cannot write WHAT: reason". */
/* Would av_atomic_write(path) be allowed to start? The same refusals (an
 * existing non-regular path, a path ending in '/') and a directory that
 * exists and is writable. Front ends check every output target with this
 * before writing any, so that a refused second file never leaves the first
 * one written. */
av_status av_atomic_check(const char *path, const char *what, av_error *err);

av_status av_atomic_write(const char *path, const char *what, av_write_fn write, const void *ctx,
			  av_error *err);

#endif
