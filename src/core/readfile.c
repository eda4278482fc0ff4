/* Input files are opened with O_NONBLOCK (opening a FIFO then never waits
 * for a writer), checked with fstat, and only a regular file is handed
 * back, in blocking mode. */
#include "attnviz/readfile.h"

#include <errno.h>
#include <fcntl.h>
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
