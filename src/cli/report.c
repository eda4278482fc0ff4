/* Error lines of the front ends: see report.h. */
#include "cli/report.h"
#include "attnviz/i18n.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "attnviz/tokenize.h"

int report_error(const char *prog, const char *msg)
{
	char safe[1024];
	fprintf(stderr, "%s: %s\n", prog, av_text_sanitize(safe, sizeof safe, msg));
	return REPORT_EXIT_USAGE;
}

int report_errorf(const char *prog, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return report_error(prog, msg);
}

int report_output_status(const char *prog)
{
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		int e = errno ? errno : EIO;
		fprintf(stderr, _("%s: writing the output: %s\n"), prog, strerror(e));
		return REPORT_EXIT_OUTPUT;
	}
	return 0;
}
