/* Data-file look-up across the asset directories. */
#include "cli/assets.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "attnviz/tokenize.h"

#ifndef ATTNVIZ_DATADIR
#define ATTNVIZ_DATADIR "/usr/local/share/attnviz"
#endif

int assets_find(char *out, size_t len, const char *rel)
{
	char dirs[4][PATH_MAX];
	int n = 0;
	const char *env = getenv("ATTNVIZ_ASSETS");
	if (env && env[0])
		snprintf(dirs[n++], PATH_MAX, "%.*s", PATH_MAX - 64, env);
	char exe[PATH_MAX];
	ssize_t got = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (got > 0) {
		exe[got] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(dirs[n++], PATH_MAX, "%.*s/../assets", PATH_MAX - 64, exe);
			snprintf(dirs[n++], PATH_MAX, "%.*s/../share/attnviz", PATH_MAX - 64, exe);
		}
	}
	snprintf(dirs[n++], PATH_MAX, "%s", ATTNVIZ_DATADIR);
	for (int i = 0; i < n; i++) {
		snprintf(out, len, "%s/%s", dirs[i], rel);
		if (access(out, R_OK) == 0)
			return 0;
	}
	return -1;
}

const char *assets_language(const char *s)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		unsigned cp;
		int k = av_utf8_decode(s + i, len - i, &cp);
		if (k == 0) {
			i++;
			continue;
		}
		if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF))
			return "zh";
		i += (size_t)k;
	}
	return "en";
}
