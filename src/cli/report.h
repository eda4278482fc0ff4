/* The front ends' one error convention: a failing step returns an
 * av_status with its line in an av_error (attnviz/status.h), and the front
 * end prints that line once, here, as "PROGRAM: message" on stderr, made
 * safe for a terminal (control bytes, escape sequences and invalid UTF-8
 * from file names, lesson text or arguments become '?'), and exits with
 * REPORT_EXIT_USAGE (bad input) or REPORT_EXIT_OUTPUT (a write failed). */
#ifndef ATTNVIZ_CLI_REPORT_H
#define ATTNVIZ_CLI_REPORT_H

#define REPORT_EXIT_OUTPUT 1
#define REPORT_EXIT_USAGE 2

/* Print "prog: msg\n" on stderr, sanitized. Returns REPORT_EXIT_USAGE. */
int report_error(const char *prog, const char *msg);

/* The same with a printf format (no trailing newline). */
int report_errorf(const char *prog, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* After writing to stdout: 0, or REPORT_EXIT_OUTPUT with
 * "prog: writing the output: REASON" on stderr. */
int report_output_status(const char *prog);

#endif
