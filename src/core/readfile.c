/* Input files are opened with O_NONBLOCK (opening a FIFO then never waits
 * for a writer), checked with fstat, and only a regular file is handed
 * back, in blocking mode. */
#include "attnviz/readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int av_open_regular(av_file_kind *kind, const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		*kind = AV_FILE_ERROR;
		return -1;
	}
	struct stat sb;
	if (fstat(fd, &sb) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		*kind = AV_FILE_ERROR;
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		*kind = S_ISDIR(sb.st_mode) ? AV_FILE_DIRECTORY : AV_FILE_OTHER;
		return -1;
	}
	int flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	*kind = AV_FILE_REGULAR;
	return fd;
}

av_file_kind av_read_regular(char **text, size_t *len, const char *path, size_t max)
{
	av_file_kind kind;
	*text = NULL;
	*len = 0;
	int fd = av_open_regular(&kind, path);
	if (kind != AV_FILE_REGULAR)
		return kind;
	struct stat sb;
	if (fstat(fd, &sb) == 0 && sb.st_size > 0 && (unsigned long long)sb.st_size > max) {
		close(fd);
		*len = (size_t)sb.st_size;
		return AV_FILE_TOO_LARGE;
	}
	size_t cap = 1 << 16, used = 0;
	char *buf = malloc(cap + 1);
	kind = buf ? AV_FILE_REGULAR : AV_FILE_NOMEM;
	while (kind == AV_FILE_REGULAR) {
		if (used == cap) { /* room for one byte past max: the sign of a larger file */
			size_t want = cap * 2 > max + 1 ? max + 1 : cap * 2;
			char *grown = want > cap ? realloc(buf, want + 1) : NULL;
			if (!grown) {
				kind = want > cap ? AV_FILE_NOMEM : AV_FILE_TOO_LARGE;
				break;
			}
			buf = grown;
			cap = want;
		}
		ssize_t got = read(fd, buf + used, cap - used);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			kind = AV_FILE_READ_ERROR;
		else if (got == 0)
			break;
		else
			used += (size_t)got;
		if (used > max)
			kind = AV_FILE_TOO_LARGE;
	}
	int e = errno;
	close(fd);
	errno = e;
	if (kind != AV_FILE_REGULAR) {
		free(buf);
		return kind;
	}
	buf[used] = '\0';
	*text = buf;
	*len = used;
	return AV_FILE_REGULAR;
}
