/* The TUI's strings go through the one gettext hook (attnviz/i18n.h). */
#ifndef ATTNVIZ_TUI_I18N_H
#define ATTNVIZ_TUI_I18N_H

#include "attnviz/i18n.h"

#endif
