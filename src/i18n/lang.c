/* Interface language over gettext: catalogue look-up, --lang and the live
 * switch. gettext picks the catalogue; we only steer it through LANGUAGE. */
#include "i18n/lang.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "attnviz/i18n.h"

#ifndef ATTNVIZ_LOCALEDIR
#define ATTNVIZ_LOCALEDIR "/usr/local/share/locale"
#endif

/* gettext caches translations; this counter (exported by glibc and GNU
 * libintl, documented in the gettext manual) invalidates the cache after
 * LANGUAGE changes. */
extern int _nl_msg_cat_cntr;

/* dir/zh_CN/LC_MESSAGES/attnviz.mo readable? */
static int has_catalogue(const char *dir)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof path, "%.*s/zh_CN/LC_MESSAGES/" AV_TEXTDOMAIN ".mo", PATH_MAX, dir);
	return access(path, R_OK) == 0;
}

void lang_init(void)
{
	char dir[PATH_MAX] = ATTNVIZ_LOCALEDIR;
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		exe[len] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			/* build/attnviz -> build/locale; build/tests/check_x -> build/locale;
			 * PREFIX/bin/attnviz -> PREFIX/share/locale (also when moved) */
			static const char *const rel[] = { "/locale", "/../locale", "/../share/locale" };
			for (int i = 0; i < 3; i++) {
				char cand[PATH_MAX];
				snprintf(cand, sizeof cand, "%.*s%s", PATH_MAX - 16, exe, rel[i]);
				if (has_catalogue(cand)) {
					snprintf(dir, sizeof dir, "%s", cand);
					break;
				}
			}
		}
	}
	bindtextdomain(AV_TEXTDOMAIN, dir);
	bind_textdomain_codeset(AV_TEXTDOMAIN, "UTF-8");
	textdomain(AV_TEXTDOMAIN);
}

int lang_parse(const char *code, lang_id *id, char *err, size_t errlen)
{
	if (strcmp(code, "en") == 0)
		return *id = LANG_EN, 0;
	if (strcmp(code, "zh_CN") == 0 || strcmp(code, "zh") == 0 || strcmp(code, "zh-CN") == 0)
		return *id = LANG_ZH, 0;
	char shown[40];
	size_t n = 0;
	for (; code[n] && n < 32; n++) /* no control bytes on the terminal */
		shown[n] = (unsigned char)code[n] < 0x20 || code[n] == 0x7f ? '?' : code[n];
	shown[n] = '\0';
	snprintf(err, errlen, _("--lang '%s' is unknown: allowed en, zh_CN (or zh)"), shown);
	return -1;
}

void lang_set(lang_id id)
{
	setenv("LANGUAGE", id == LANG_ZH ? "zh_CN" : "en", 1);
	/* gettext ignores LANGUAGE when LC_MESSAGES is the "C" locale: use
	 * C.UTF-8 for messages then (it changes nothing else). */
	const char *cur = setlocale(LC_MESSAGES, NULL);
	if (id == LANG_ZH && cur && (strcmp(cur, "C") == 0 || strcmp(cur, "POSIX") == 0))
		if (!setlocale(LC_MESSAGES, "C.UTF-8"))
			setlocale(LC_MESSAGES, "zh_CN.UTF-8");
	++_nl_msg_cat_cntr;
}

lang_id lang_current(void)
{
	/* The header of the catalogue gettext found says its language. */
	const char *header = dgettext(AV_TEXTDOMAIN, "");
	const char *l = header ? strstr(header, "Language: ") : NULL;
	return l && strncmp(l + 10, "zh", 2) == 0 ? LANG_ZH : LANG_EN;
}

lang_id lang_toggle(void)
{
	lang_id next = lang_current() == LANG_ZH ? LANG_EN : LANG_ZH;
	lang_set(next);
	return next;
}

const char *lang_code(lang_id id)
{
	return id == LANG_ZH ? "zh_CN" : "en";
}
