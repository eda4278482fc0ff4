/* Strict command-line numbers: see cliarg.h. The grammar is checked by
 * hand before strtoull/strtod run, so that nothing those functions would
 * quietly accept (leading blanks, '+', "0x", "inf", a locale's ',') gets
 * through. */
#include "cli/cliarg.h"
#include "attnviz/i18n.h"

#include <errno.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attnviz/tokenize.h"

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Length of [0-9]+ at s. */
static size_t digits(const char *s, size_t n)
{
	size_t k = 0;
	while (k < n && is_digit(s[k]))
		k++;
	return k;
}

/* s[0..n) is -?[0-9]+ (the '-' only when negative is allowed). */
static int is_whole(const char *s, size_t n, int negative)
{
	size_t k = 0;
	if (negative && k < n && s[k] == '-')
		k++;
	size_t d = digits(s + k, n - k);
	return d > 0 && k + d == n;
}

/* s is -?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)? */
static int is_decimal(const char *s)
{
	size_t n = strlen(s), k = 0;
	if (k < n && s[k] == '-')
		k++;
	size_t whole = digits(s + k, n - k), frac = 0;
	k += whole;
	if (k < n && s[k] == '.') {
		k++;
		frac = digits(s + k, n - k);
		k += frac;
	}
	if (whole + frac == 0)
		return 0;
	if (k < n && (s[k] == 'e' || s[k] == 'E')) {
		k++;
		if (k < n && (s[k] == '-' || s[k] == '+')) /* "1e+06", as %g writes it */
			k++;
		size_t e = digits(s + k, n - k);
		if (e == 0)
			return 0;
		k += e;
	}
	return k == n;
}

/* "--steps '2.5' is not a whole number: allowed 0..100" (what: "a whole
 * number" for ints, "a number" for decimals). */
static av_status not_a(av_error *err, const char *what, const char *opt, const char *arg,
		       const char *allowed)
{
	char shown[64];
	return av_error_set(err, AV_ERR_PARSE, _("%s '%s' is not %s: allowed %s"), opt,
			    av_text_show(shown, sizeof shown, arg), what, allowed);
}

static av_status not_a_number(av_error *err, const char *opt, const char *arg, const char *allowed)
{
	return not_a(err, _("a whole number"), opt, arg, allowed);
}

static av_status out_of_range(av_error *err, const char *opt, const char *arg, const char *allowed)
{
	char shown[64];
	return av_error_set(err, AV_ERR_RANGE, _("%s %s is out of range: allowed %s"), opt,
			    av_text_show(shown, sizeof shown, arg), allowed);
}

/* One int of text[0..n) in [lo, hi]; shown names it in messages. */
static av_status int_span(int *out, const char *opt, const char *text, size_t n, int lo, int hi,
			  const char *allowed, av_error *err)
{
	char buf[32];
	if (n >= sizeof buf) { /* too long to be an int: say which kind of wrong */
		char whole[64];
		snprintf(whole, sizeof whole, "%.*s", (int)(n < 40 ? n : 40), text);
		return is_whole(text, n, 1) ? out_of_range(err, opt, whole, allowed)
					    : not_a_number(err, opt, whole, allowed);
	}
	memcpy(buf, text, n);
	buf[n] = '\0';
	if (!is_whole(buf, n, 1)) /* "-3" is a number, out of range */
		return not_a_number(err, opt, buf, allowed);
	errno = 0;
	long long v = strtoll(buf, NULL, 10);
	if (errno == ERANGE || v < lo || v > hi)
		return out_of_range(err, opt, buf, allowed);
	*out = (int)v;
	return AV_OK;
}

/* The option word of arg without any "=value", safe to echo. */
static const char *option_word(char *buf, size_t len, const char *arg)
{
	av_text_show(buf, len, arg);
	char *eq = strchr(buf, '=');
	if (eq)
		*eq = '\0';
	return buf;
}

av_status cliarg_getopt_error(av_error *err, int c, const struct option *longopts, char **argv,
			      const char *prog)
{
	char word[64];
	const char *arg = argv[optind - 1];
	option_word(word, sizeof word, arg);
	if (c == ':')
		return av_error_set(err, AV_ERR_RANGE, _("option %s needs a value"), word);
	if (optopt > 0 && optopt < 128 && arg[0] == '-' && arg[1] != '-')
		return av_error_set(err, AV_ERR_RANGE, _("unknown option '-%c' (see %s --help)"),
				    optopt, prog);
	if (optopt >= 256 || (optopt > 0 && strchr(arg, '=')))
		return av_error_set(err, AV_ERR_RANGE, _("option '%s' takes no value"), word);
	/* "--p" matches --print and --positional: name them */
	const char *name = word + (strncmp(word, "--", 2) == 0 ? 2 : 0);
	size_t len = strlen(name);
	char matches[240] = "";
	int count = 0;
	for (const struct option *o = longopts; o->name; o++) {
		if (len == 0 || strncmp(o->name, name, len) != 0)
			continue;
		size_t used = strlen(matches);
		snprintf(matches + used, sizeof matches - used, "%s--%s", count ? ", " : "", o->name);
		count++;
	}
	if (count > 1)
		return av_error_set(err, AV_ERR_RANGE, _("option '%s' is ambiguous: %s"), word, matches);
	return av_error_set(err, AV_ERR_RANGE, _("unknown option '%s' (see %s --help)"), word, prog);
}

av_status cliarg_no_operands(av_error *err, int argc, char **argv, const char *hint)
{
	if (optind >= argc)
		return AV_OK;
	char shown[64];
	return av_error_set(err, AV_ERR_RANGE, _("unexpected argument '%s'%s"),
			    av_text_show(shown, sizeof shown, argv[optind]), hint);
}

av_status cliarg_int(int *out, const char *opt, const char *arg, int lo, int hi, av_error *err)
{
	char allowed[48];
	snprintf(allowed, sizeof allowed, "%d..%d", lo, hi);
	return int_span(out, opt, arg, strlen(arg), lo, hi, allowed, err);
}

av_status cliarg_u64(uint64_t *out, const char *opt, const char *arg, uint64_t hi, av_error *err)
{
	char allowed[48];
	snprintf(allowed, sizeof allowed, "0..%" PRIu64, hi);
	size_t n = strlen(arg);
	if (!is_whole(arg, n, 1))
		return not_a_number(err, opt, arg, allowed);
	if (arg[0] == '-')
		return out_of_range(err, opt, arg, allowed);
	errno = 0;
	unsigned long long v = strtoull(arg, NULL, 10);
	if (errno == ERANGE || v > hi)
		return out_of_range(err, opt, arg, allowed);
	*out = (uint64_t)v;
	return AV_OK;
}

/* A decimal in [lo, hi], or in (lo, hi] when lo_open; allowed as the
 * messages name the range. */
static av_status double_in(double *out, const char *opt, const char *arg, double lo, bool lo_open,
			   double hi, const char *allowed, av_error *err)
{
	if (!is_decimal(arg))
		return not_a(err, _("a number"), opt, arg, allowed);
	/* strtod reads the locale's decimal mark: read in "C" */
	locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	locale_t old = c ? uselocale(c) : (locale_t)0;
	errno = 0;
	double v = strtod(arg, NULL);
	int e = errno;
	if (c) {
		uselocale(old);
		freelocale(c);
	}
	/* ERANGE on underflow gives a tiny or zero value, which the range
	 * check judges; on overflow v is +-HUGE_VAL. */
	if (!isfinite(v) || (e == ERANGE && fabs(v) > 1.0) || !(v >= lo && v <= hi) ||
	    (lo_open && v <= lo))
		return out_of_range(err, opt, arg, allowed);
	*out = v;
	return AV_OK;
}

av_status cliarg_double(double *out, const char *opt, const char *arg, double lo, double hi,
			av_error *err)
{
	char allowed[64];
	snprintf(allowed, sizeof allowed, "%g..%g", lo, hi);
	return double_in(out, opt, arg, lo, false, hi, allowed, err);
}

av_status cliarg_double_above(double *out, const char *opt, const char *arg, double lo, double hi,
			      av_error *err)
{
	char allowed[64];
	snprintf(allowed, sizeof allowed, _("above %g, up to %g"), lo, hi);
	return double_in(out, opt, arg, lo, true, hi, allowed, err);
}

av_status cliarg_int_list(int *out, int max, int *count, const char *opt, const char *arg, int lo,
			  int hi, av_error *err)
{
	char allowed[80];
	snprintf(allowed, sizeof allowed, _("comma-separated whole numbers %d..%d"), lo, hi);
	*count = 0;
	const char *p = arg;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		if (n == 0)
			return not_a_number(err, opt, arg, allowed);
		if (*count == max) {
			char shown[64];
			return av_error_set(err, AV_ERR_RANGE, _("%s '%s' has more than %d values"), opt,
					    av_text_show(shown, sizeof shown, arg), max);
		}
		av_status st = int_span(&out[*count], opt, p, n, lo, hi, allowed, err);
		if (st != AV_OK)
			return st;
		(*count)++;
		if (!comma)
			return AV_OK;
		p = comma + 1;
	}
}
