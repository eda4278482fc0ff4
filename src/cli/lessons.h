/* Finding lessons: by file path, or by name in the lesson directories
 * ($ATTNVIZ_ASSETS/lessons, the source tree next to the binary, the
 * installed share/attnviz/lessons). */
#ifndef ATTNVIZ_CLI_LESSONS_H
#define ATTNVIZ_CLI_LESSONS_H

#include <stddef.h>
#include <stdio.h>
#include "attnviz/lesson.h"

/* Load NAME (a lesson name such as "parallel-attention") or FILE (a path
 * with a '/' or ending in .lesson). On error err has one line. */
av_status lessons_load(av_lesson *out, const char *name_or_path, av_error *err);

/* The other-language version of a lesson loaded by NAME (NAME.zh for NAME
 * and back), for the TUI's live language switch. AV_ERR_IO when there is
 * none, or when name_or_path is a path. */
av_status lessons_load_other(av_lesson *out, const char *name_or_path, av_error *err);

/* Print "NAME  TITLE" for every lesson found; returns how many. */
int lessons_list(FILE *f);

#endif
