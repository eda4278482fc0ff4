/* The ncurses front end. It knows nothing of the command line: the cli
 * fills a tui_options and hands in the writers the TUI may call (the TUI
 * never includes a file format itself). */
#ifndef ATTNVIZ_TUI_H
#define ATTNVIZ_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include "attnviz/corpus.h"
#include "attnviz/keys.h"
#include "attnviz/lesson.h"
#include "attnviz/model.h"

/* Write m to path (the format from its extension); AV_OK, or the error
 * with one line in err (the front ends' one error convention: av_status
 * and av_error, attnviz/status.h). */
typedef av_status (*tui_export_fn)(const av_model *m, const char *path, av_error *err);

/* --theme: the background the colours are chosen for. */
enum { THEME_BG_AUTO, THEME_BG_DARK, THEME_BG_LIGHT };

typedef struct {
	const char *sentence;    /* shown in the editor; NULL: AV_DEFAULT_SENTENCE */
	bool no_color;           /* --no-color / NO_COLOR */
	bool ascii;              /* --ascii: no UTF-8 glyphs */
	bool quiz;               /* start in quiz mode */
	const av_lesson *lesson; /* a loaded lesson, or NULL */
	const av_lesson *lesson_other; /* the same lesson in the other language (L), or NULL */
	int n_keys;              /* keys replayed before the first frame */
	const int *keys;         /* (n_keys) av_key codes */
	tui_export_fn export_svg; /* X writes attnviz-export-N.svg; NULL: no export */
	av_corpus *corpus;        /* live training's sentences (T), or NULL */
	int theme;               /* THEME_BG_AUTO (from COLORFGBG), _DARK or _LIGHT */
	bool big;                /* presenter mode at start (b toggles) */
} tui_options;

/* Run the interactive TUI on model m (already computed for opts->sentence).
 * Returns the process exit status (0 on q; 2 when the terminal cannot be
 * used, after printing one line to stderr; 128+signal on a signal).
 * Restores the terminal on every path. */
int tui_run(av_model *m, const tui_options *opts);

#endif
