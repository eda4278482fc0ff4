/* Command-line options shared by every front end (print, JSON, TUI).
 * Parsing fills a cli_options and never prints or exits: the caller shows
 * help, version or the error line. */
#ifndef ATTNVIZ_CLI_OPTIONS_H
#define ATTNVIZ_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include "attnviz/model.h"
#include "attnviz/version.h"
#include "attnviz/lesson.h"
#include "attnviz/status.h"
#include "i18n/lang.h"
#include <stdio.h>

typedef enum {
	MODE_AUTO,  /* TUI on a terminal, --print otherwise */
	MODE_PRINT, /* --print */
	MODE_JSON,  /* --json */
	MODE_TUI,   /* --tui: force the TUI */
} cli_mode;

typedef struct {
	av_config cfg;
	const char *sentence;     /* --sentence, default: options_default_sentence() */
	const char *weights_path; /* --weights FILE or NULL */
	const char *save_weights; /* --save-weights FILE or NULL */
	cli_mode mode;
	bool no_color; /* --no-color or NO_COLOR set and non-empty */
	bool ascii;    /* --ascii: no UTF-8 glyphs */
	bool dim_set, hidden_set, heads_set; /* given on the command line */
	bool sentence_set, mask_set, positional_set, seed_set;
	bool untrained; /* --untrained: the seeded random weights, not the trained model */

	/* Teaching modes (issue 5) */
	const char *diff_sentence; /* --diff OTHER: print the per-position changes */
	const char *export_path;   /* --export FILE (.svg, .md, .txt) */
	const char *lesson_name;   /* --lesson NAME|FILE */
	bool list_lessons;         /* --list-lessons */
	const char *keys_text;     /* --keys KEYS, replayed at start */
	bool quiz;                 /* --quiz: start the TUI in quiz mode */
	bool lang_set;             /* --lang CODE given */
	lang_id lang;
	int theme;                 /* --theme: THEME_BG_AUTO (default), _DARK, _LIGHT */
	bool big;                  /* --big: presenter mode */

	/* Filled by main before the TUI starts */
	const av_lesson *lesson; /* loaded --lesson, or NULL */
	const av_lesson *lesson_other; /* the same lesson in the other language, or NULL */
	int n_keys;
	int keys[AV_MAX_KEYS]; /* parsed --keys */
} cli_options;

typedef enum {
	OPTIONS_OK,      /* run */
	OPTIONS_HELP,    /* print help, exit 0 */
	OPTIONS_VERSION, /* print version, exit 0 */
	OPTIONS_ERROR,   /* print err, exit 2 */
} options_result;

/* Parse argv (getopt_long, numbers and error lines of cli/cliarg.h). err
 * receives one line on OPTIONS_ERROR (the front ends' one convention:
 * av_error, printed once by report_error). */
options_result options_parse(cli_options *o, int argc, char **argv, av_error *err);

/* Print the --help text, in the interface language. */
void options_help(FILE *f);

/* The default sentence: a Chinese one when the interface is Chinese. */
const char *options_default_sentence(void);

#endif
