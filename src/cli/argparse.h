/* Strict option values for the subcommands (train, generate), with the
 * main program's rules: digits only for whole numbers, a plain decimal for
 * real numbers, every error one line naming the option, the value (made
 * safe to echo) and what is allowed. */
#ifndef ATTNVIZ_CLI_ARGPARSE_H
#define ATTNVIZ_CLI_ARGPARSE_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

int arg_int(const char *name, const char *arg, long lo, long hi, int *out, char *err,
	    size_t errlen);
/* A finite decimal number in [lo, hi] ("0.01", "1e-3"; no "nan", "inf", hex). */
int arg_double(const char *name, const char *arg, double lo, double hi, double *out, char *err,
	       size_t errlen);
int arg_seed(const char *arg, uint64_t *out, char *err, size_t errlen);

/* getopt_long's error (':' missing value, '?' unknown/ambiguous/with a
 * value) turned into one line. prog names the command ("attnviz train"). */
void arg_getopt_error(int c, const struct option *options, char **argv, const char *prog,
		      char *err, size_t errlen);

#endif
