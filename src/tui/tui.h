/* The ncurses front end. */
#ifndef ATTNVIZ_TUI_H
#define ATTNVIZ_TUI_H

#include "attnviz/model.h"
#include "cli/options.h"

/* Run the interactive TUI on model m (already computed for opts->sentence).
 * Returns the process exit status (0 on q; 2 when the terminal cannot be
 * used, after printing one line to stderr). Restores the terminal on every
 * path. */
int tui_run(av_model *m, const cli_options *opts);

#endif
