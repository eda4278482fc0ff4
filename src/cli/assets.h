/* Finding an installed data file (corpus, trained model) the way lessons
 * are found: $ATTNVIZ_ASSETS, the source tree beside the binary
 * (build/attnviz -> assets/), PREFIX/share/attnviz beside an installed
 * binary, then the configured data directory. */
#ifndef ATTNVIZ_CLI_ASSETS_H
#define ATTNVIZ_CLI_ASSETS_H

#include <stddef.h>

/* out receives the first readable "DIR/rel"; returns 0, or -1 when none is. */
int assets_find(char *out, size_t len, const char *rel);

/* The language of a sentence for choosing a trained model: "zh" when it
 * holds a CJK ideograph, else "en". */
const char *assets_language(const char *sentence);

#endif
