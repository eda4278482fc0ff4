/* Status codes and error records of the core. */
#include "attnviz/status.h"

#include <stdarg.h>
#include <stdio.h>

static const char *const status_names[] = {
#define AV_STATUS_NAME(code, name) name,
	AV_STATUS_LIST(AV_STATUS_NAME)
#undef AV_STATUS_NAME
};

const char *av_status_name(av_status code)
{
	if ((int)code < 0 || code >= AV_STATUS_COUNT)
		return "unknown status";
	return status_names[code];
}

av_status av_error_set(av_error *err, av_status code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return code;
}

void av_error_clear(av_error *err)
{
	if (err) {
		err->code = AV_OK;
		err->msg[0] = '\0';
	}
}
