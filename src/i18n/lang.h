/* The interface language: where the catalogue is found, which language is in
 * effect (gettext's rules: LANGUAGE, LC_ALL, LC_MESSAGES, LANG), the --lang
 * override and the TUI's live English <-> Chinese switch. Sits between the
 * core and the front ends: cli, tui and out may call it; it calls none. */
#ifndef ATTNVIZ_I18N_LANG_H
#define ATTNVIZ_I18N_LANG_H

#include <stddef.h>

typedef enum { LANG_EN, LANG_ZH } lang_id;

/* Bind the text domain: the build tree's catalogue (build/locale, beside the
 * binary or one level up for the test binaries) when there is one, then
 * ../share/locale beside the binary's bin/ (an install, even a moved one),
 * else the compiled-in $(PREFIX)/share/locale. Messages are always UTF-8, as every other
 * text attnviz reads and writes. Call once, after setlocale(LC_ALL, ""). */
void lang_init(void);

/* Parse a --lang code: "en", "zh_CN", "zh" or "zh-CN" (as zh_CN). Returns 0
 * and fills *id, or -1 with a one-line message in err. */
int lang_parse(const char *code, lang_id *id, char *err, size_t errlen);

/* Make id the interface language from now on, overriding the environment
 * (strings looked up afterwards come from the new catalogue). */
void lang_set(lang_id id);

/* The language of the catalogue in effect: LANG_ZH when gettext found the
 * Chinese catalogue, LANG_EN otherwise (English is the source language). */
lang_id lang_current(void);

/* The live switch: English <-> Chinese. Returns the new language. */
lang_id lang_toggle(void);

/* "en" or "zh_CN". */
const char *lang_code(lang_id id);

#endif
