/* View state of the TUI (step, focus, cursor, scrolling, overlays, editor,
 * autoplay, status message) and the one function that applies an action to
 * it. Actions that change the model (mask, positional encoding, seed,
 * sentence) call the core, which keeps its previous state on error; the
 * error then shows in the status line. Drawing only reads a view. */
#ifndef ATTNVIZ_TUI_VIEW_H
#define ATTNVIZ_TUI_VIEW_H

#include <stdbool.h>
#include "attnviz/model.h"
#include "tui/editor.h"
#include "tui/layout.h"

typedef enum {
	ACT_NONE,
	ACT_QUIT,
	ACT_STEP_NEXT,  /* RNN computes h_{t+1}; attention row t+1 highlighted */
	ACT_STEP_PREV,
	ACT_STEP_FIRST,
	ACT_STEP_LAST,
	ACT_LEFT,       /* previous step (RNN panel) or cursor left (grid) */
	ACT_RIGHT,
	ACT_UP,
	ACT_DOWN,
	ACT_FOCUS_NEXT,
	ACT_FOCUS_PREV,
	ACT_DRILL,      /* Enter: drill-down popup of the selection */
	ACT_MASK_TOGGLE, /* causal <-> none */
	ACT_POSITIONAL,
	ACT_HEAD_NEXT,
	ACT_HEAD_PREV,
	ACT_HEAD_SET,   /* arg: head index 0..7 */
	ACT_EDIT,
	ACT_SEED,
	ACT_AUTOPLAY,
	ACT_FASTER,
	ACT_SLOWER,
	ACT_HELP,
	ACT_REDRAW,
	ACT_COUNT
} action;

#define VIEW_AUTOPLAY_DEFAULT_MS 800
#define VIEW_AUTOPLAY_MIN_MS 100
#define VIEW_AUTOPLAY_MAX_MS 3200

typedef struct {
	int step;        /* 1..n: h_1..h_step are shown as computed */
	int head;        /* 0..heads-1 */
	panel_id focus;
	int ci, cj;      /* cursor: query row i, key column j (or component) */
	int row_off;     /* first query row shown */
	int col_off;     /* first key column shown */

	bool help;       /* help overlay open */
	bool drill;      /* drill-down popup open */
	int drill_scroll;
	line_editor ed;  /* sentence editor (ed.active) */

	bool autoplay;
	int autoplay_ms;

	bool quit;
	bool redraw_all; /* clear the terminal before the next frame */
	bool status_error;
	char status[400]; /* message for the status line, "" for key hints */
	char sentence[EDITOR_MAX]; /* the current sentence, as typed */
} view;

/* A view at step 1 of m (which it steps: av_model_rnn_reset + advance),
 * focus on the RNN, sentence text as given. */
void view_init(view *v, av_model *m, const char *sentence);

/* Apply action a (arg for ACT_HEAD_SET) to v and, for model actions, m.
 * L says which panels are visible (focus skips hidden ones). */
void view_apply(view *v, av_model *m, const layout *L, action a, int arg);

/* The editor accepted text: set the sentence (or show the error and keep
 * the previous one). */
void view_set_sentence(view *v, av_model *m, const char *text);

/* Mouse click at (y, x): a token of the token line (token_at gives its
 * index or -1) jumps to that step; a cell selects it (and focuses its
 * panel). */
void view_click(view *v, av_model *m, const layout *L, int y, int x, int token);

/* Keep the focused selection inside the shown rows/columns of L. */
void view_follow(view *v, const av_model *m, const layout *L);

/* Show a message in the status line until the next key. */
void view_message(view *v, bool error, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

#endif
