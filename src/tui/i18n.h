/* Message catalogue hook for the TUI: every user-visible string goes through
 * _() so that translations can follow; N_() marks strings in static tables. */
#ifndef ATTNVIZ_TUI_I18N_H
#define ATTNVIZ_TUI_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

#endif
