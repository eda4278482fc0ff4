/* View state of the TUI (step, focus, cursor, scrolling, overlays, editor,
 * autoplay, status message) and the one function that applies an action to
 * it. Actions that change the model (mask, positional encoding, seed,
 * sentence) call the core, which keeps its previous state on error; the
 * error then shows in the status line. Drawing only reads a view. */
#ifndef ATTNVIZ_TUI_VIEW_H
#define ATTNVIZ_TUI_VIEW_H

#include <stdbool.h>
#include "attnviz/lesson.h"
#include "attnviz/model.h"
#include "attnviz/quiz.h"
#include "attnviz/rng.h"
#include "tui/editor.h"
#include "tui/layout.h"
#include "tui/train_view.h"

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
	ACT_SEED_PREV,  /* seed - 1 */
	ACT_AUTOPLAY,
	ACT_FASTER,
	ACT_SLOWER,
	ACT_HELP,
	ACT_REDRAW,
	/* Teaching modes */
	ACT_MODE_TOGGLE,  /* training <-> inference view */
	ACT_MASK_CYCLE,   /* causal -> none -> strict -> future */
	ACT_REPLACE_WORD, /* causality test: replace the word at the cursor */
	ACT_EXPORT,       /* attnviz-export-N.svg */
	ACT_LESSON_NEXT,
	ACT_LESSON_PREV,
	ACT_QUIZ,         /* quiz mode on/off */
	ACT_QUIZ_YES,     /* answer 1 / yes */
	ACT_QUIZ_NO,      /* answer 0 / no */
	ACT_QUIZ_PICK,    /* answer: the cursor's column */
	ACT_QUIZ_NEXT,    /* next question */
	ACT_QUIZ_LEAVE,
	ACT_LANG_TOGGLE,  /* interface language English <-> Chinese, live */
	ACT_BIG,          /* presenter mode on/off */
	/* The training-time view (train_view.c) */
	ACT_PRED_TOGGLE,  /* P: predictions panel on/off */
	ACT_RACE,         /* B: attention's next batched stage, the RNN's next step */
	ACT_TRAIN,        /* T: live training on/off */
	ACT_TRAIN_RESET,  /* r: back to the loaded weights */
	ACT_TRAIN_SCRATCH, /* R: fresh random weights, to learn from scratch */
	ACT_SAVE_WEIGHTS, /* W: write attnviz-trained-N.weights */
	ACT_GENERATE,     /* w: the chosen model appends one word */
	ACT_GEN_MODEL,    /* M: generate with the RNN / attention */
	/* Not in the key table: what keymap_action makes of a key while the
	 * editor or a popup is open, and the auto-play timer */
	ACT_EDITOR_CHAR,  /* the line editor takes arg, a character */
	ACT_EDITOR_KEY,   /* the line editor takes arg, a curses KEY_* code */
	ACT_POPUP_SCROLL, /* the help or drill-down shows from line arg */
	ACT_POPUP_CLOSE,  /* any other key closes the help or drill-down */
	ACT_AUTOPLAY_TICK, /* the next step, or auto-play off after the last */
	ACT_COUNT
} action;

typedef enum {
	VIEW_TRAINING,  /* every row of attention at once (teacher forcing) */
	VIEW_INFERENCE, /* attention grows one row per step, from tokens 1..i */
} view_mode;

typedef enum { QUIZ_OFF, QUIZ_ASKING, QUIZ_REVEALED } quiz_phase;

#define VIEW_AUTOPLAY_DEFAULT_MS 800
#define VIEW_AUTOPLAY_MIN_MS 100
#define VIEW_AUTOPLAY_MAX_MS 3200

/* What a key asks of the app loop that the view cannot do itself: writing
 * files happens there (effects.c), never while applying an action. */
typedef enum {
	VIEW_EFFECT_NONE,
	VIEW_EFFECT_EXPORT, /* X: write attnviz-export-N.svg */
	VIEW_EFFECT_SAVE_WEIGHTS, /* W: write attnviz-trained-N.weights */
} view_effect;

/* The causality test (x, e with the same token count). */
typedef struct {
	/* prev is a second model (allocated once by the caller; NULL
	 * disables the test) holding the sentence before the last edit, with
	 * the same settings. on: same token count, so changed cells are
	 * highlighted. */
	av_model *prev;
	bool on;
	int changed_at;  /* first position whose input changed, or -1 */
	int edit_word;   /* the editor replaces token edit_word, or -1: sentence */
} view_compare;

/* The lesson player (lesson_player.c). */
typedef struct {
	const av_lesson *script; /* not owned; NULL: no lesson */
	const av_lesson *other;  /* the same lesson in the other language, or NULL */
	int step;                /* 0-based */
	char sentence[EDITOR_MAX]; /* the settings before step 1 */
	int mask;
	bool positional;
	bool replaying;  /* a step's keys are being replayed */
	unsigned hidden; /* panels the step has not introduced (1 << av_panel_id) */
} view_lesson;

/* Quiz mode (quiz_mode.c). */
typedef struct {
	quiz_phase phase;
	av_quiz_question question;
	av_quiz_score score;
	av_rng rng;
	int number;  /* of the question shown, from 1 */
	bool right;  /* the last answer was right */
	int given;   /* the last answer given */
} view_quiz;

typedef struct {
	int head;        /* 0..heads-1 */
	av_panel_id focus;
	int ci, cj;      /* cursor: query row i, key column j (or component) */
	int row_off;     /* first query row shown */
	int col_off;     /* first key column shown */

	bool big;        /* presenter mode: numbers in wide cells, fewer panels */
	bool help;       /* help overlay open */
	bool drill;      /* drill-down popup open */
	int drill_scroll;
	line_editor ed;  /* sentence editor (ed.active) */

	bool autoplay;
	int autoplay_ms;

	view_mode mode;
	view_compare cmp;
	view_lesson lesson;
	view_quiz quiz;
	view_train tv;

	view_effect effect; /* for the app loop, then VIEW_EFFECT_NONE */
	bool quit;
	bool redraw_all; /* clear the terminal before the next frame */
	bool status_error;
	char status[400]; /* message for the status line, "" for key hints */
	char sentence[EDITOR_MAX]; /* the current sentence, as typed */
} view;

/* A view at step 1 of m (the core owns the step: m->rnn_steps, moved by
 * av_model_rnn_goto),
 * focus on the RNN, sentence text as given. */
void view_init(view *v, av_model *m, const char *sentence);

/* Attach the teaching state: prev for the causality test (or NULL), a
 * lesson (entered at its first step) or NULL, quiz mode at start. */
void view_teach_init(view *v, av_model *m, const layout *L, av_model *prev,
		     const av_lesson *lesson, bool quiz);

/* Go to lesson step k (0-based): the lesson's start settings and those of
 * steps 0..k-1, then step k's settings and keys. */
void view_lesson_goto(view *v, av_model *m, const layout *L, int k);

/* The panels kept off the screen (bit 1 << av_panel_id): those a lesson
 * step has not introduced yet, and in presenter mode the masked scores and
 * z_n (unless focused). */
unsigned view_hidden_panels(const view *v);

/* Whether row i of the attention panels is computed in v's mode (the
 * inference view: rows before the RNN's step, m->rnn_steps). */
bool view_row_computed(const view *v, const av_model *m, int i);

/* Whether panel p is computed at the race's stage (always when not racing). */
bool view_panel_reached(const view *v, av_panel_id p);

/* train_view.c: the training-time actions (ACT_PRED_TOGGLE..ACT_GEN_MODEL). */
void train_view_apply(view *v, av_model *m, action a);

/* The live training between frames: one step (false when not running or
 * nothing to train on), and after some steps the copy of the weights into
 * m (and the causality test's second model), the RNN back at its step. */
bool train_view_step(view *v, av_model *m);
void train_view_sync(view *v, av_model *m);

/* A lesson step's weights: the loaded ones (or fresh random ones with
 * scratch) trained steps steps under mask; nothing to do when they are
 * already those. Training stops. */
void train_view_lesson(view *v, av_model *m, bool scratch, int steps, av_mask_kind mask);

/* A sentence or settings change: the race and generation end. */
void train_view_forget(view *v);

/* Whether cell (i, j) of panel p is hidden by the quiz question. */
bool view_quiz_hides(const view *v, int p, int i, int j);

/* Apply action a (arg: see the action) to v and, for model actions, m:
 * the one place where an action changes the view, whether it comes from a
 * key (keymap_action), a lesson's replayed keys or the auto-play timer.
 * An action from a key closes an open popup and clears the last message
 * first; while a lesson replays keys, only the actions that move and show
 * apply. L says which panels are visible (focus skips hidden ones).
 * Files are never written here: see v->effect. */
void view_apply(view *v, av_model *m, const layout *L, action a, int arg);

/* The editor accepted text: set the sentence (or show the error and keep
 * the previous one). With v->cmp.prev and the same token count, the previous
 * sentence is kept there and the changes are highlighted (causality test),
 * with a summary in the status line. */
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
