/* Export for slides and handouts: the model as SVG, Markdown or the
 * --print text, chosen by the file's extension, written atomically. */
#ifndef ATTNVIZ_OUT_EXPORT_H
#define ATTNVIZ_OUT_EXPORT_H

#include <stddef.h>
#include <stdio.h>
#include "attnviz/model.h"

typedef enum { EXPORT_SVG, EXPORT_MD, EXPORT_TXT } export_format;

/* Format from path's extension (.svg, .md, .txt; case-insensitive).
 * AV_OK, or AV_ERR_RANGE with err naming the extension and the allowed ones. */
av_status export_format_of(const char *path, export_format *fmt, av_error *err);

/* Write the SVG / Markdown document to f. 0 or -1 (write error). */
int export_svg(FILE *f, const av_model *m);
int export_markdown(FILE *f, const av_model *m);

/* Write m to path in the format of its extension through a temporary file
 * in the same directory renamed into place: a reader never sees a
 * half-written file, and on error nothing is left behind. AV_OK, or the
 * error with one line in err naming the path and the reason. */
av_status export_model(const av_model *m, const char *path, av_error *err);

#endif
