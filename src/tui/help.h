/* The help overlay (?): every key of the key table with what it does, and
 * the mouse. */
#ifndef ATTNVIZ_TUI_HELP_H
#define ATTNVIZ_TUI_HELP_H

#include <stdbool.h>
#include "tui/popup.h"

/* Build the help text into p. */
void help_build(popup_text *p, bool utf8);

#endif
