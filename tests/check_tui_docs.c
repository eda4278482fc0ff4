/* The keys as README.md and the man page list them, against the key table
 * (src/tui/keymap.c) that the program and its help overlay read: every key
 * the program lists in its help is in README's key tables and in the man
 * page's KEYS, and every key README's tables name is bound. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/keymap.h"

static char *slurp(const char *rel)
{
	const char *assets = getenv("ATTNVIZ_ASSETS");
	ck_assert_msg(assets != NULL, "ATTNVIZ_ASSETS is not set (run through make check)");
	char path[1200];
	snprintf(path, sizeof path, "%s/../%s", assets, rel);
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	static char buf[1 << 18];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	ck_assert_msg(n < sizeof buf - 1, "%s is larger than the test's buffer", path);
	buf[n] = '\0';
	char *copy = strdup(buf);
	ck_assert_ptr_nonnull(copy);
	return copy;
}

/* The text from `from` up to `to`, cut in place. */
static char *section(char *text, const char *from, const char *to, const char *file)
{
	char *s = strstr(text, from);
	ck_assert_msg(s != NULL, "%s has no '%s'", file, from);
	char *e = strstr(s + strlen(from), to);
	ck_assert_msg(e != NULL, "%s has no '%s' after '%s'", file, to, from);
	*e = '\0';
	return s;
}

/* How README writes a key of the help (its UTF-8 label), in backquotes. */
static const char *readme_name(const char *label)
{
	static const struct {
		const char *label, *readme;
	} renamed[] = { { "S-Tab", "`Shift-Tab`" }, { "1–8", "`1`–`8`" } };
	for (size_t i = 0; i < sizeof renamed / sizeof *renamed; i++)
		if (strcmp(label, renamed[i].label) == 0)
			return renamed[i].readme;
	static char quoted[64];
	snprintf(quoted, sizeof quoted, "`%s`", label);
	return quoted;
}

/* How the man page's KEYS table writes it (troff names for the arrows). */
static const char *man_name(const char *label)
{
	static const struct {
		const char *label, *man;
	} renamed[] = { { "→", "\\(->" }, { "←", "\\(<-" }, { "↑", "\\(ua" }, { "↓", "\\(da" },
			{ "S-Tab", "Shift-Tab" }, { "1–8", "1\\-8" }, { "-", "\\-" } };
	for (size_t i = 0; i < sizeof renamed / sizeof *renamed; i++)
		if (strcmp(label, renamed[i].label) == 0)
			return renamed[i].man;
	return label;
}

START_TEST(every_listed_key_is_documented)
{
	char *readme = slurp("README.md"), *man = slurp("man/attnviz.1");
	char *keys = section(readme, "### Keys\n", "\n## ", "README.md");
	char *man_keys = section(man, ".SH KEYS", ".SH ", "man/attnviz.1");
	int count;
	const key_binding *b = keymap_table(&count);
	for (int i = 0; i < count; i++) {
		if (!b[i].label_utf8)
			continue;
		ck_assert_msg(strstr(keys, readme_name(b[i].label_utf8)) != NULL,
			      "key %s (help overlay) is not in README's key tables as %s",
			      b[i].label_utf8, readme_name(b[i].label_utf8));
		ck_assert_msg(strstr(man_keys, man_name(b[i].label_utf8)) != NULL,
			      "key %s (help overlay) is not in the man page's KEYS as %s",
			      b[i].label_utf8, man_name(b[i].label_utf8));
	}
	free(readme);
	free(man);
}
END_TEST

/* Every key named in the first column of README's key tables is bound. */
START_TEST(every_documented_key_is_bound)
{
	char *readme = slurp("README.md");
	char *keys = section(readme, "### Keys\n", "\n## ", "README.md");
	int count, named = 0;
	const key_binding *b = keymap_table(&count);
	for (char *row = keys; (row = strstr(row, "\n| `")) != NULL;) {
		row += 3;
		char *end = strstr(row, " |");
		ck_assert_ptr_nonnull(end);
		for (char *q = row; q < end && (q = strchr(q, '`')) != NULL && q < end;) {
			char *close = strchr(q + 1, '`');
			ck_assert_ptr_nonnull(close);
			char name[32];
			snprintf(name, sizeof name, "%.*s", (int)(close - q - 1), q + 1);
			q = close + 1;
			if (strcmp(name, "mouse") == 0)
				continue;
			bool bound = false;
			for (int i = 0; i < count && !bound; i++) {
				const char *l = b[i].label_utf8;
				bound = l && (strcmp(l, name) == 0 ||
					      (strcmp(name, "Shift-Tab") == 0 && strcmp(l, "S-Tab") == 0) ||
					      ((strcmp(name, "1") == 0 || strcmp(name, "8") == 0) &&
					       strcmp(l, "1–8") == 0));
			}
			ck_assert_msg(bound, "README's key tables name `%s`, which no key binds", name);
			named++;
		}
		row = end;
	}
	ck_assert_int_gt(named, 30);
	free(readme);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tui_docs");
	TCase *tc = tcase_create("Keys");
	tcase_add_test(tc, every_listed_key_is_documented);
	tcase_add_test(tc, every_documented_key_is_bound);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0;
}
