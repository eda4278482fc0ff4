/* The command line's one strict parser, shared by the main options and
 * every subcommand (bench, train, generate): options through getopt_long
 * with one set of error lines (cliarg_getopt_error), and numbers with one
 * grammar, one range check, one error line. A number is written with
 * digits only ("-" first, "." and an exponent for a decimal): no spaces, no
 * leading "+" (only "1e+06", as %g writes it), no hexadecimal, no
 * "inf"/"nan", nothing after it. A negative value where only positive ones
 * are allowed is out of range, not malformed. Errors use the core's
 * convention (attnviz/status.h): AV_ERR_PARSE when the text is not a
 * number, AV_ERR_RANGE when it is outside [lo, hi], with one line such as
 *   --dim 'abc' is not a whole number: allowed 1..128
 *   --lr 'fast' is not a number: allowed 0..10
 *   --dim 0 is out of range: allowed 1..128
 * The value is echoed through av_text_show (no control bytes reach the
 * terminal). opt is the option as the user writes it ("--dim"). */
#ifndef ATTNVIZ_CLI_CLIARG_H
#define ATTNVIZ_CLI_CLIARG_H

#include <getopt.h>
#include <stdint.h>
#include "attnviz/status.h"

/* getopt_long returned ':' (a value is missing) or '?' (an unknown,
 * ambiguous or value-taking-no-value option) for argv[optind - 1]: its one
 * line, one of
 *   option --dim needs a value
 *   unknown option '-x' (see PROG --help)
 *   option '--p' is ambiguous: --print, --positional
 *   option '--csv' takes no value
 *   unknown option '--frob' (see PROG --help)
 * Long options must have values >= 256 (short ones their character). prog
 * is the command as typed ("attnviz", "attnviz bench"). Returns
 * AV_ERR_RANGE. */
av_status cliarg_getopt_error(av_error *err, int c, const struct option *longopts, char **argv,
			      const char *prog);

/* argv[optind] after the options, if any, as "unexpected argument 'X'"
 * plus hint; AV_OK when every argument was an option. */
av_status cliarg_no_operands(av_error *err, int argc, char **argv, const char *hint);

/* An int in [lo, hi]. */
av_status cliarg_int(int *out, const char *opt, const char *arg, int lo, int hi, av_error *err);

/* A whole number 0..hi (hi up to UINT64_MAX), e.g. a seed. */
av_status cliarg_u64(uint64_t *out, const char *opt, const char *arg, uint64_t hi, av_error *err);

/* A finite decimal number in [lo, hi] ("0.5", "-1", "3e-4", "1e+06"; a
 * '+' only in the exponent), read in the
 * "C" locale whatever LC_NUMERIC says. */
av_status cliarg_double(double *out, const char *opt, const char *arg, double lo, double hi,
			av_error *err);
/* The same in (lo, hi]: lo itself refused ("allowed above 0, up to 10"). */
av_status cliarg_double_above(double *out, const char *opt, const char *arg, double lo, double hi,
			      av_error *err);

/* "a,b,c": 1..max ints, each in [lo, hi]; *count receives how many. An
 * empty item ("16,,64", "16,") is not a number. */
av_status cliarg_int_list(int *out, int max, int *count, const char *opt, const char *arg, int lo,
			  int hi, av_error *err);

#endif
