/* Option values for the subcommands, checked as strictly as the main
 * program's (src/cli/options.c). */
#include "cli/argparse.h"
#include "attnviz/i18n.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "attnviz/tokenize.h"

static int digits(const char *s, int negative)
{
	if (negative && *s == '-')
		s++;
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int arg_int(const char *name, const char *arg, long lo, long hi, int *out, char *err,
	    size_t errlen)
{
	char shown[64];
	av_text_show(shown, sizeof shown, arg);
	if (!digits(arg, lo < 0)) {
		snprintf(err, errlen, _("--%s '%s' is not a whole number: allowed %ld..%ld"), name,
			 shown, lo, hi);
		return -1;
	}
	errno = 0;
	long v = strtol(arg, NULL, 10);
	if (errno == ERANGE || v < lo || v > hi) {
		snprintf(err, errlen, _("--%s %s is out of range: allowed %ld..%ld"), name, shown, lo,
			 hi);
		return -1;
	}
	*out = (int)v;
	return 0;
}

int arg_double(const char *name, const char *arg, double lo, double hi, double *out, char *err,
	       size_t errlen)
{
	char shown[64];
	av_text_show(shown, sizeof shown, arg);
	/* digits, one '.', an optional exponent: no spaces, signs only where
	 * allowed, no hex, no nan/inf */
	const char *p = arg;
	int ok = 1, seen_digit = 0;
	if (*p == '-' && lo < 0)
		p++;
	while (isdigit((unsigned char)*p))
		p++, seen_digit = 1;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			seen_digit = 1;
	if (seen_digit && (*p == 'e' || *p == 'E')) {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!isdigit((unsigned char)*p))
			ok = 0;
		while (isdigit((unsigned char)*p))
			p++;
	}
	ok = ok && seen_digit && *p == '\0';
	double v = ok ? strtod(arg, NULL) : 0;
	if (!ok || !isfinite(v)) {
		snprintf(err, errlen, _("--%s '%s' is not a number: allowed %g..%g"), name, shown, lo, hi);
		return -1;
	}
	if (v < lo || v > hi) {
		snprintf(err, errlen, _("--%s %s is out of range: allowed %g..%g"), name, shown, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

int arg_seed(const char *arg, uint64_t *out, char *err, size_t errlen)
{
	char shown[64];
	errno = 0;
	unsigned long long v = digits(arg, 0) ? strtoull(arg, NULL, 10) : 0;
	if (!digits(arg, 0) || errno == ERANGE || v > (unsigned long long)INT64_MAX) {
		snprintf(err, errlen, _("--seed '%s' is not allowed: give a whole number 0..%" PRId64),
			 av_text_show(shown, sizeof shown, arg), INT64_MAX);
		return -1;
	}
	*out = (uint64_t)v;
	return 0;
}

void arg_getopt_error(int c, const struct option *options, char **argv, const char *prog,
		      char *err, size_t errlen)
{
	char word[64];
	const char *arg = argv[optind - 1];
	av_text_show(word, sizeof word, arg);
	char *eq = strchr(word, '=');
	if (eq)
		*eq = '\0';
	if (c == ':') {
		snprintf(err, errlen, _("option %s needs a value"), word);
		return;
	}
	if (optopt > 0 && optopt < 128 && arg[0] == '-' && arg[1] != '-') {
		snprintf(err, errlen, _("unknown option '-%c' (see %s --help)"), optopt, prog);
		return;
	}
	if (optopt >= 256 || (optopt > 0 && strchr(arg, '='))) {
		snprintf(err, errlen, _("option '%s' takes no value"), word);
		return;
	}
	const char *name = word + (strncmp(word, "--", 2) == 0 ? 2 : 0);
	size_t len = strlen(name);
	char matches[240] = "";
	int count = 0;
	for (const struct option *o = options; o->name; o++) {
		if (len == 0 || strncmp(o->name, name, len) != 0)
			continue;
		size_t used = strlen(matches);
		snprintf(matches + used, sizeof matches - used, "%s--%s", count ? ", " : "", o->name);
		count++;
	}
	if (count > 1)
		snprintf(err, errlen, _("option '%s' is ambiguous: %s"), word, matches);
	else
		snprintf(err, errlen, _("unknown option '%s' (see %s --help)"), word, prog);
}
