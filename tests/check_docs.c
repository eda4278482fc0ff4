/* The documentation against the program: README.md and man/attnviz.1 read
 * as a newcomer reads them, compared with what build/attnviz prints, so the
 * two cannot drift apart again.
 *   - every option of every --help is in README and the man page, and every
 *     option they name is one the program has;
 *   - README's "$ attnviz ..." examples print what README shows;
 *   - README's developer part names every file of src/tui and every header
 *     of include/attnviz;
 *   - a help page is printed text, never a printf format ("10%%");
 *   - every link to "#anchor" in README reaches one of its headings;
 *   - assets/weights/FORMAT.md is README's "Weight files" section;
 *   - every whole-number range of a help page is the one enforced. */
#include <check.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_util.h"

static char tmpdir[] = "/tmp/attnviz-docs-XXXXXX";
static char root[1024]; /* the source tree: ATTNVIZ_ASSETS/.. */

static void setup(void)
{
	const char *assets = getenv("ATTNVIZ_ASSETS");
	ck_assert_msg(assets != NULL, "ATTNVIZ_ASSETS is not set (run through make check)");
	snprintf(root, sizeof root, "%s/..", assets);
}

static char *slurp_doc(const char *rel)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/%s", root, rel);
	return util_slurp(path, NULL);
}

/* A man page as text: roff's "\-" is a '-'. */
static char *man_text(const char *rel)
{
	char *t = slurp_doc(rel);
	char *w = t;
	for (const char *r = t; *r; r++) {
		if (r[0] == '\\' && r[1] == '-')
			continue;
		*w++ = *r;
	}
	*w = '\0';
	return t;
}

/* The four help pages, concatenated. */
static char *all_help(void)
{
	static const char *const cmds[] = { NULL, "bench", "train", "generate" };
	size_t cap = 1 << 16, len = 0;
	char *all = malloc(cap);
	ck_assert_ptr_nonnull(all);
	all[0] = '\0';
	for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
		const char *a[] = { "--help", NULL };
		run_result r = util_run(tmpdir, cmds[i], a);
		ck_assert_msg(r.status == 0, "attnviz %s --help: status %d", cmds[i] ? cmds[i] : "",
			      r.status);
		ck_assert_msg(len + r.out_len + 1 < cap, "help pages longer than %zu bytes", cap);
		memcpy(all + len, r.out, r.out_len + 1);
		len += r.out_len;
		util_result_free(&r);
	}
	return all;
}

/* Calls fn(name, len, ctx) for every "--name" (letters, digits, '-') in text. */
static void each_option(const char *text, void (*fn)(const char *, size_t, void *), void *ctx)
{
	for (const char *p = text; (p = strstr(p, "--")) != NULL;) {
		bool starts = p == text || !(p[-1] == '-' || (p[-1] >= 'a' && p[-1] <= 'z'));
		const char *e = p + 2;
		while ((*e >= 'a' && *e <= 'z') || (*e >= '0' && *e <= '9') || *e == '-')
			e++;
		if (starts && e > p + 2 && p[2] >= 'a' && p[2] <= 'z')
			fn(p, (size_t)(e - p), ctx);
		p = e;
	}
}

/* text holds "--name" as a whole option (not a prefix of a longer one). */
static bool has_option(const char *text, const char *name, size_t len)
{
	for (const char *p = text; (p = strstr(p, name)) != NULL; p++) {
		char after = p[len];
		bool word_end = !((after >= 'a' && after <= 'z') || after == '-' ||
				  (after >= '0' && after <= '9'));
		if (strncmp(p, name, len) == 0 && word_end)
			return true;
	}
	return false;
}

typedef struct {
	const char *in, *in_name, *from_name;
} option_check;

static void expect_option(const char *name, size_t len, void *ctx)
{
	const option_check *c = ctx;
	/* flags of other programs that README quotes */
	static const char *const foreign[] = { "--coverage" };
	for (size_t i = 0; i < sizeof foreign / sizeof *foreign; i++)
		if (strlen(foreign[i]) == len && strncmp(name, foreign[i], len) == 0)
			return;
	char opt[64];
	snprintf(opt, sizeof opt, "%.*s", (int)(len < 60 ? len : 60), name);
	ck_assert_msg(has_option(c->in, opt, strlen(opt)), "%s names %s, which %s lacks",
		      c->from_name, opt, c->in_name);
}

START_TEST(every_option_is_documented_and_exists)
{
	char *help = all_help(), *readme = slurp_doc("README.md"), *man = man_text("man/attnviz.1");
	char *man_zh = man_text("man/zh_CN/attnviz.1"); /* the Chinese page keeps up too */
	option_check c[] = {
		{ readme, "README.md", "--help" },
		{ man, "man/attnviz.1", "--help" },
		{ man_zh, "man/zh_CN/attnviz.1", "--help" },
		{ help, "every --help", "README.md" },
		{ help, "every --help", "man/attnviz.1" },
		{ help, "every --help", "man/zh_CN/attnviz.1" },
	};
	each_option(help, expect_option, &c[0]);
	each_option(help, expect_option, &c[1]);
	each_option(help, expect_option, &c[2]);
	each_option(readme, expect_option, &c[3]);
	each_option(man, expect_option, &c[4]);
	each_option(man_zh, expect_option, &c[5]);
	free(help), free(readme), free(man), free(man_zh);
}
END_TEST

START_TEST(help_is_text_not_a_format)
{
	char *help = all_help();
	const char *pct = strstr(help, "%%");
	ck_assert_msg(pct == NULL, "a help page prints '%%%%': ...%.40s", pct ? pct - 20 : "");
	free(help);
}
END_TEST

/* Split a README command line as the shell would for the quoting README
 * uses: blanks, "double quotes", 'single quotes' and $'C \xHH escapes'. */
static int split_args(char *line, char **argv, int max)
{
	int n = 0;
	char *r = line, *w = line;
	while (*r) {
		while (*r == ' ')
			r++;
		if (!*r)
			break;
		ck_assert_int_lt(n, max - 1);
		argv[n++] = w;
		while (*r && *r != ' ') {
			if (*r == '"' || *r == '\'') {
				char q = *r++;
				while (*r && *r != q)
					*w++ = *r++;
				r += *r == q;
			} else if (r[0] == '$' && r[1] == '\'') {
				r += 2;
				while (*r && *r != '\'') {
					if (r[0] == '\\' && r[1] == 'x') {
						char hex[3] = { r[2], r[3], 0 };
						*w++ = (char)strtol(hex, NULL, 16);
						r += 4;
					} else {
						*w++ = *r++;
					}
				}
				r += *r == '\'';
			} else {
				*w++ = *r++;
			}
		}
		if (*r)
			r++;
		*w++ = '\0';
	}
	argv[n] = NULL;
	return n;
}

/* Every README code block of "$ attnviz ..." lines shows exactly what the
 * program writes (stdout, then stderr) for each; a block with "..." is a
 * sketch and is skipped. */
START_TEST(readme_examples_are_the_programs_output)
{
	char *readme = slurp_doc("README.md");
	int checked = 0;
	for (char *p = readme; (p = strstr(p, "```\n$ attnviz ")) != NULL;) {
		char *block = p + 4, *end = strstr(block, "```");
		ck_assert_ptr_nonnull(end);
		p = end + 3;
		*end = '\0';
		if (strstr(block, "...") || strstr(block, "…"))
			continue;
		for (char *cmd = block; cmd && *cmd;) {
			char *eol = strchr(cmd, '\n');
			ck_assert_ptr_nonnull(eol);
			*eol = '\0';
			/* the expected text runs to the next "$ " line, its '\n' included */
			char *next = strstr(eol + 1, "\n$ ");
			size_t want_len = next ? (size_t)(next + 1 - (eol + 1)) : strlen(eol + 1);
			char *expect = strndup(eol + 1, want_len);
			ck_assert_ptr_nonnull(expect);
			char *following = next ? next + 1 : NULL;
			char line[512];
			snprintf(line, sizeof line, "%s", cmd + strlen("$ attnviz "));
			char *argv[32];
			split_args(line, argv, 32);
			run_result r = util_run(tmpdir, NULL, (const char *const *)argv);
			size_t ol = strlen(r.out);
			char *got = malloc(ol + strlen(r.err) + 1);
			ck_assert_ptr_nonnull(got);
			memcpy(got, r.out, ol);
			strcpy(got + ol, r.err);
			ck_assert_msg(strcmp(got, expect) == 0,
				      "README's example '%s' differs from the program:\n--- README\n%s--- "
				      "program\n%s",
				      cmd, expect, got);
			free(got);
			free(expect);
			util_result_free(&r);
			checked++;
			cmd = following;
		}
	}
	ck_assert_msg(checked >= 3, "only %d README examples found", checked);
	free(readme);
}
END_TEST

/* name (a file in dir) appears in text as `name` or as a word of a list. */
static void expect_files_named(const char *dir_rel, const char *suffix, const char *text,
			       const char *where)
{
	char dir[1200];
	snprintf(dir, sizeof dir, "%s/%s", root, dir_rel);
	DIR *d = opendir(dir);
	ck_assert_msg(d != NULL, "cannot list %s", dir);
	struct dirent *e;
	int seen = 0;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name), s = strlen(suffix);
		if (n <= s || strcmp(e->d_name + n - s, suffix) != 0)
			continue;
		char stem[256];
		snprintf(stem, sizeof stem, "%.*s", (int)(n - s), e->d_name);
		bool found = false;
		for (const char *p = text; !found && (p = strstr(p, stem)) != NULL; p++) {
			char before = p == text ? ' ' : p[-1];
			char after = p[strlen(stem)];
			found = !(before == '_' || (before >= 'a' && before <= 'z')) &&
				!(after == '_' || (after >= 'a' && after <= 'z'));
		}
		ck_assert_msg(found, "%s/%s is not named in README's %s", dir_rel, e->d_name, where);
		seen++;
	}
	closedir(d);
	ck_assert_int_gt(seen, 0);
}

static char *between(char *text, const char *from, const char *to)
{
	char *s = strstr(text, from);
	ck_assert_msg(s != NULL, "README has no '%s'", from);
	char *e = strstr(s, to);
	ck_assert_msg(e != NULL, "README has no '%s' after '%s'", to, from);
	*e = '\0';
	return s;
}

START_TEST(module_map_names_every_file)
{
	char *readme = slurp_doc("README.md");
	char *dev = strstr(readme, "## For developers");
	ck_assert_msg(dev != NULL, "README has no '## For developers'");
	char *copy = strdup(dev);
	ck_assert_ptr_nonnull(copy);
	char *tui = between(copy, "### The TUI, file by file", "**From sentence to screen.**");
	expect_files_named("src/tui", ".c", tui, "'The TUI, file by file'");
	expect_files_named("src/tui", ".h", tui, "'The TUI, file by file'");
	char *layers = between(dev, "### Layers", "The build enforces the layers");
	expect_files_named("include/attnviz", ".h", layers, "'Layers' block");
	expect_files_named("src/cli", ".c", layers, "'Layers' block");
	expect_files_named("src/formats", ".c", layers, "'Layers' block");
	expect_files_named("src/fmt", ".c", layers, "'Layers' block");
	free(copy);
	free(readme);
}
END_TEST

/* GitHub's anchor of a heading: lower-case, blanks to '-', ASCII
 * punctuation other than '-' and '_' dropped (UTF-8 bytes kept). */
static void heading_slug(const char *h, size_t len, char *out, size_t size)
{
	size_t k = 0;
	for (size_t i = 0; i < len && k + 1 < size; i++) {
		unsigned char c = (unsigned char)h[i];
		if (c >= 'A' && c <= 'Z')
			out[k++] = (char)(c - 'A' + 'a');
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
			 c >= 0x80)
			out[k++] = (char)c;
		else if (c == ' ')
			out[k++] = '-';
	}
	out[k] = '\0';
}

START_TEST(readme_anchors_reach_a_heading)
{
	char *readme = slurp_doc("README.md");
	/* the slugs of every heading outside code blocks, one per line */
	size_t cap = strlen(readme) + 2, used = 1;
	char *slugs = malloc(cap);
	ck_assert_ptr_nonnull(slugs);
	strcpy(slugs, "\n");
	bool fence = false;
	for (const char *l = readme; *l;) {
		const char *eol = strchr(l, '\n');
		size_t len = eol ? (size_t)(eol - l) : strlen(l);
		if (strncmp(l, "```", 3) == 0)
			fence = !fence;
		else if (!fence && l[0] == '#') {
			const char *t = l;
			while (*t == '#')
				t++;
			while (*t == ' ')
				t++;
			char slug[256];
			heading_slug(t, len - (size_t)(t - l), slug, sizeof slug);
			used += (size_t)snprintf(slugs + used - 1, cap - used + 1, "%s\n", slug);
		}
		l += len + (eol != NULL);
	}
	int links = 0;
	for (const char *p = readme; (p = strstr(p, "](#")) != NULL; p++) {
		const char *e = strchr(p, ')');
		ck_assert_ptr_nonnull(e);
		char want[260];
		snprintf(want, sizeof want, "\n%.*s\n", (int)(e - p - 3), p + 3);
		ck_assert_msg(strstr(slugs, want) != NULL, "README links to #%.*s: no such heading",
			      (int)(e - p - 3), p + 3);
		links++;
	}
	ck_assert_int_gt(links, 5);
	free(slugs);
	free(readme);
}
END_TEST

/* assets/weights/FORMAT.md (installed beside example.txt) is README's
 * "Weight files" section, word for word. */
START_TEST(weight_format_copy_is_readmes)
{
	char *readme = slurp_doc("README.md"), *format = slurp_doc("assets/weights/FORMAT.md");
	char *sec = between(readme, "## Weight files\n", "\n## ");
	size_t n = strlen(sec);
	while (n > 0 && sec[n - 1] == '\n')
		sec[--n] = '\0';
	size_t m = strlen(format);
	while (m > 0 && format[m - 1] == '\n')
		format[--m] = '\0';
	ck_assert_msg(strcmp(sec, format) == 0,
		      "assets/weights/FORMAT.md differs from README's 'Weight files' section");
	free(format);
	free(readme);
}
END_TEST

/* Every whole-number range a help page gives ("--dim N ... 1..128") is the
 * one the program enforces: one past either end is refused, and the
 * message names the same range. */
START_TEST(help_ranges_are_the_programs)
{
	static const struct {
		const char *cmd;
		const char *extra[3]; /* what the command needs besides the option */
	} cmds[] = {
		{ NULL, { "--print", NULL } },
		{ "bench", { NULL } },
		{ "train", { "--out", "/nonexistent-dir/never-written", NULL } },
		{ "generate", { "--prompt", "the", NULL } },
	};
	int checked = 0;
	for (size_t c = 0; c < sizeof cmds / sizeof *cmds; c++) {
		const char *h[] = { "--help", NULL };
		run_result help = util_run(tmpdir, cmds[c].cmd, h);
		ck_assert_int_eq(help.status, 0);
		for (char *line = help.out; line && *line;) {
			char *eol = strchr(line, '\n');
			if (eol)
				*eol = '\0';
			char opt[40], arg[16];
			long lo, hi;
			const char *o = strstr(line, "--");
			char *dots = strstr(line, "..");
			/* "  --opt ARG  text A..B": ARG in capitals, not TEXT; A and B
			 * whole numbers (not 0.5, 1e6 or 2^63-1) */
			if (o && o < line + 8 && sscanf(o, "%39s %15[A-Z]", opt, arg) == 2 &&
			    strcmp(arg, "TEXT") != 0 && dots && dots > line && dots[-1] >= '0' &&
			    dots[-1] <= '9' && dots[2] >= '0' && dots[2] <= '9') {
				char *a = dots;
				while (a > line && a[-1] >= '0' && a[-1] <= '9')
					a--;
				char *end;
				lo = strtol(a, NULL, 10);
				hi = strtol(dots + 2, &end, 10);
				if (*end != '.' && *end != 'e' && *end != '^' && *end != '-') {
					char range[64];
					snprintf(range, sizeof range, "%ld..%ld", lo, hi);
					long bad[2] = { hi + 1, lo - 1 };
					for (int b = 0; b < 2; b++) {
						char val[32];
						snprintf(val, sizeof val, "%ld", bad[b]);
						const char *args[8] = { opt, val };
						int k = 2;
						for (int e = 0; cmds[c].extra[e]; e++)
							args[k++] = cmds[c].extra[e];
						args[k] = NULL;
						run_result r = util_run(tmpdir, cmds[c].cmd, args);
						char want[160];
						snprintf(want, sizeof want, "%s %s is out of range: allowed", opt,
							 val);
						ck_assert_msg(r.status == 2 && strstr(r.err, want) &&
								      strstr(r.err, range),
							      "attnviz %s %s %s: help says %s; the program said "
							      "(status %d): %s",
							      cmds[c].cmd ? cmds[c].cmd : "", opt, val, range,
							      r.status, r.err);
						util_result_free(&r);
						checked++;
					}
				}
			}
			line = eol ? eol + 1 : NULL;
		}
		util_result_free(&help);
	}
	ck_assert_int_ge(checked, 20);
}
END_TEST

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	Suite *s = suite_create("docs");
	TCase *tc = tcase_create("Agree");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_option_is_documented_and_exists);
	tcase_add_test(tc, help_is_text_not_a_format);
	tcase_add_test(tc, readme_examples_are_the_programs_output);
	tcase_add_test(tc, module_map_names_every_file);
	tcase_add_test(tc, readme_anchors_reach_a_heading);
	tcase_add_test(tc, weight_format_copy_is_readmes);
	tcase_add_test(tc, help_ranges_are_the_programs);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		failed++;
	return failed != 0;
}
