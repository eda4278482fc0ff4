/* Lesson look-up by name in the lesson directories (lessons/ of each asset
 * directory, cli/assets.h), in the interface language when the lesson has a
 * translation, and the --list-lessons listing. */
#include "cli/lessons.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "attnviz/i18n.h"
#include "i18n/lang.h"

#include "attnviz/tokenize.h"
#include "cli/assets.h"

/* lessons/ in each asset directory, most specific first (cli/assets.h). */
static int lesson_dirs(char dirs[ASSETS_MAX_DIRS][PATH_MAX])
{
	char base[ASSETS_MAX_DIRS][PATH_MAX];
	int n = assets_dirs(base);
	for (int i = 0; i < n; i++)
		snprintf(dirs[i], PATH_MAX, "%.*s/lessons", PATH_MAX - 16, base[i]);
	return n;
}

static int is_path(const char *s)
{
	size_t len = strlen(s);
	return strchr(s, '/') || (len > 7 && strcmp(s + len - 7, ".lesson") == 0);
}

/* NAME (NAME.zh first when zh_first) in each lesson directory in turn. */
static av_status find_lesson_lang(av_lesson *out, const char *name, int zh_first, av_error *err)
{
	char dirs[ASSETS_MAX_DIRS][PATH_MAX];
	int n = lesson_dirs(dirs);
	for (int i = 0; i < n; i++) {
		for (int zh = zh_first; zh >= 0; zh--) {
			char path[2 * PATH_MAX];
			snprintf(path, sizeof path, "%.4000s/%.1000s%s.lesson", dirs[i], name,
				 zh ? ".zh" : "");
			if (access(path, R_OK) == 0)
				return av_lesson_load(out, path, err);
		}
	}
	return av_error_set(err, AV_ERR_IO,
			    _("no lesson named '%s': see --list-lessons, or give a file path"), name);
}

static av_status find_lesson(av_lesson *out, const char *name, av_error *err)
{
	return find_lesson_lang(out, name, 0, err);
}

/* NAME.zh.lesson is NAME in Chinese: with a Chinese interface it is chosen
 * for NAME when it exists, in each directory before NAME.lesson. */
av_status lessons_load(av_lesson *out, const char *name, av_error *err)
{
	if (is_path(name))
		return av_lesson_load(out, name, err);
	size_t len = strlen(name);
	int localized = lang_current() == LANG_ZH && !(len > 3 && strcmp(name + len - 3, ".zh") == 0);
	return find_lesson_lang(out, name, localized, err);
}

av_status lessons_load_other(av_lesson *out, const char *name, av_error *err)
{
	if (is_path(name))
		return av_error_set(err, AV_ERR_IO, "%s", _("a lesson given as a file has no other language"));
	size_t len = strlen(name);
	int is_zh = len > 3 && strcmp(name + len - 3, ".zh") == 0;
	/* the one lessons_load chose was Chinese if the name says so or the
	 * interface is Chinese and NAME.zh exists */
	char base[1024], other[1040];
	snprintf(base, sizeof base, "%.*s", (int)(is_zh ? len - 3 : len) > 1000 ? 1000 : (int)(is_zh ? len - 3 : len), name);
	av_lesson probe;
	av_error e;
	int chose_zh = is_zh;
	if (!is_zh && lang_current() == LANG_ZH) {
		snprintf(other, sizeof other, "%s.zh", base);
		if (find_lesson(&probe, other, &e) == AV_OK) {
			av_lesson_free(&probe);
			chose_zh = 1;
		}
	}
	if (chose_zh)
		return find_lesson(out, base, err);
	snprintf(other, sizeof other, "%s.zh", base);
	return find_lesson(out, other, err);
}

/* A lesson file found: its name (without .lesson) and its directory. */
typedef struct {
	char name[64];
	int dir;
} lesson_entry;

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const lesson_entry *)a)->name, ((const lesson_entry *)b)->name);
}

int lessons_list(FILE *f)
{
	char dirs[ASSETS_MAX_DIRS][PATH_MAX];
	int nd = lesson_dirs(dirs), n = 0;
	lesson_entry found[64]; /* a name in several directories: the first one */
	for (int i = 0; i < nd; i++) {
		DIR *d = opendir(dirs[i]);
		if (!d)
			continue;
		struct dirent *e;
		while ((e = readdir(d)) != NULL && n < 64) {
			size_t len = strlen(e->d_name);
			if (len <= 7 || len - 7 >= 64 || strcmp(e->d_name + len - 7, ".lesson") != 0)
				continue;
			char name[64];
			snprintf(name, sizeof name, "%.*s", (int)(len - 7), e->d_name);
			int dup = 0;
			for (int k = 0; k < n; k++)
				dup |= strcmp(found[k].name, name) == 0;
			if (dup)
				continue;
			strcpy(found[n].name, name);
			found[n].dir = i;
			n++;
		}
		closedir(d);
	}
	qsort(found, (size_t)n, sizeof *found, cmp_entry); /* the same order on every system */
	for (int k = 0; k < n; k++) {
		char path[2 * PATH_MAX];
		snprintf(path, sizeof path, "%.4000s/%.63s.lesson", dirs[found[k].dir], found[k].name);
		av_lesson l;
		av_error err;
		/* names, titles and messages come from files: sanitized */
		char safe_name[64 + 4], safe[sizeof err.msg + 4];
		av_text_sanitize(safe_name, sizeof safe_name, found[k].name);
		if (av_lesson_load(&l, path, &err) == AV_OK) {
			fprintf(f, ngettext("%-22s %s (%d step)\n", "%-22s %s (%d steps)\n",
					    (unsigned long)l.n_steps),
				safe_name, av_text_sanitize(safe, sizeof safe, l.title), l.n_steps);
			av_lesson_free(&l);
		} else {
			fprintf(f, _("%-22s (unreadable: %s)\n"), safe_name,
				av_text_sanitize(safe, sizeof safe, err.msg));
		}
	}
	return n;
}
