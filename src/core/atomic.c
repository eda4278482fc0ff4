/* Atomic file writes: temporary file beside the target, fsync, rename,
 * fsync of the directory. */
#include "attnviz/atomic.h"
#include "attnviz/i18n.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

av_status av_atomic_check(const char *path, const char *what, av_error *err)
{
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
	struct stat sb;
	if (path[dir_len] == '\0' || (lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode)))
		return av_error_set(err, AV_ERR_IO,
				    _("%s: cannot write %s: not a regular file (a directory, device, "
				    "FIFO or link is never replaced)"),
				    path, what);
	char *dir = dir_len ? strndup(path, dir_len) : strdup(".");
	if (!dir)
		return av_error_set(err, AV_ERR_NOMEM, _("%s: out of memory"), path);
	int ok = access(dir, W_OK | X_OK) == 0, e = errno;
	free(dir);
	if (!ok)
		return av_error_set(err, AV_ERR_IO, _("%s: cannot write %s: %s"), path, what,
				    strerror(e));
	return AV_OK;
}

av_status av_atomic_write(const char *path, const char *what, av_write_fn write, const void *ctx,
			  av_error *err)
{
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
	struct stat sb;
	if (path[dir_len] == '\0' || (lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode)))
		return av_atomic_check(path, what, err);

	/* A short temporary name ("dir/.attnviz-XXXXXX"), not one built from
	 * the target's: a legal 255-byte name must stay writable. */
	size_t tlen = dir_len + sizeof ".attnviz-XXXXXX";
	char *tmp = malloc(tlen);
	if (!tmp)
		return av_error_set(err, AV_ERR_NOMEM, _("%s: out of memory"), path);
	snprintf(tmp, tlen, "%.*s.attnviz-XXXXXX", (int)dir_len, path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		int e = errno;
		free(tmp);
		return av_error_set(err, AV_ERR_IO, _("%s: cannot write %s: %s"), path, what, strerror(e));
	}
	mode_t mask = umask(0); /* mkstemp makes 0600: give the usual 0666 & ~umask */
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	FILE *f = fdopen(fd, "w");
	if (!f) {
		int e = errno;
		close(fd);
		unlink(tmp);
		free(tmp);
		return av_error_set(err, AV_ERR_IO, _("%s: cannot write %s: %s"), path, what, strerror(e));
	}
	av_error we;
	av_error_clear(&we);
	errno = 0;
	av_status st = write(f, ctx, &we);
	int e = errno;
	if (st == AV_OK && (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0))
		st = AV_ERR_IO, e = errno;
	if (fclose(f) != 0 && st == AV_OK)
		st = AV_ERR_IO, e = errno;
	if (st == AV_OK && rename(tmp, path) != 0)
		st = AV_ERR_IO, e = errno;
	if (st != AV_OK) {
		unlink(tmp);
		free(tmp);
		if (we.code != AV_OK && we.msg[0]) /* the writer's own reason */
			return av_error_set(err, we.code, _("%s: cannot write %s: %s"), path, what, we.msg);
		return av_error_set(err, st, _("%s: cannot write %s: %s"), path, what,
				    strerror(e ? e : EIO));
	}
	free(tmp);
	char *dir = dir_len ? strndup(path, dir_len) : strdup(".");
	if (dir) { /* make the rename itself durable */
		int dfd = open(dir, O_RDONLY);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
		free(dir);
	}
	return AV_OK;
}
