/* --json: every number of the model in the attnviz-dump format (jansson). */
#ifndef ATTNVIZ_OUT_JSON_H
#define ATTNVIZ_OUT_JSON_H

#include <stdio.h>
#include "attnviz/model.h"

/* Write the dump to f (one JSON document and a newline). 0 or -1. */
int json_write_model(FILE *f, const av_model *m);

#endif
