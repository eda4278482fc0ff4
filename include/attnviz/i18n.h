/* Message catalogue hook: every user-visible string goes through _() so that
 * the translations in po/ can follow; N_() marks strings in static tables,
 * translated where they are shown. dgettext names the domain, so the core's
 * messages are looked up in attnviz's catalogue whoever calls it. Looking a
 * string up reads a catalogue; it never prints, and it needs only libc. */
#ifndef ATTNVIZ_I18N_H
#define ATTNVIZ_I18N_H

#include <libintl.h>

#define AV_TEXTDOMAIN "attnviz"
#define _(s) dgettext(AV_TEXTDOMAIN, s)
#define N_(s) (s)

#endif
