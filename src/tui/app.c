/* The TUI's entry point and main loop: checks the terminal, starts curses
 * with newterm, turns keys into actions, redraws, and restores the terminal
 * on every exit path (q, errors, SIGINT, SIGTERM, SIGHUP, SIGQUIT). Signal handlers
 * only set a flag; the loop polls for keys with a timeout and acts on it. */
#include "tui/tui.h"

#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attnviz/tokenize.h"
#include "tui/colors.h"
#include "tui/effects.h"
#include "tui/i18n.h"
#include "tui/keymap.h"
#include "tui/layout.h"
#include "tui/frame.h"
#include "tui/popup.h"
#include "tui/view.h"
#include "tui/screen.h"
#include <term.h> /* last: it defines macros named like terminfo capabilities */

#define IDLE_TIMEOUT_MS 250
/* Live training runs in slices between frames: a key waits at most one
 * slice plus one step and one frame (a step takes 3 ms here on average,
 * up to ~27 ms when the machine is loaded; a frame about 1 ms). */
#define TRAIN_SLICE_MS 15

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

typedef struct {
	int sig;
	struct sigaction old;
} saved_handler;

/* Every signal whose default action ends the process: each one restores
 * the terminal and exits with 128 + its number. */
static saved_handler saved[] = {
	{ .sig = SIGINT },  { .sig = SIGTERM },	  { .sig = SIGHUP },  { .sig = SIGQUIT },
	{ .sig = SIGUSR1 }, { .sig = SIGUSR2 },	  { .sig = SIGALRM }, { .sig = SIGPIPE },
	{ .sig = SIGVTALRM }, { .sig = SIGPROF }, { .sig = SIGXCPU }, { .sig = SIGXFSZ },
};
#define N_SAVED (sizeof saved / sizeof saved[0])

static void install_handlers(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < N_SAVED; i++)
		sigaction(saved[i].sig, &sa, &saved[i].old);
}

static void restore_handlers(void)
{
	for (size_t i = 0; i < N_SAVED; i++)
		sigaction(saved[i].sig, &saved[i].old, NULL);
}

/* 0 if TERM names a terminal with cursor addressing, else prints one line
 * and returns -1. */
static int check_terminal(void)
{
	const char *term = getenv("TERM");
	if (!term || !*term) {
		fprintf(stderr, "%s\n", _("attnviz: TERM is not set; set it (e.g. TERM=xterm-256color) or use --print"));
		return -1;
	}
	int err = 0;
	char shown[64]; /* TERM is echoed: no control bytes to the terminal */
	av_text_show(shown, sizeof shown, term);
	if (setupterm((char *)term, fileno(stdout), &err) != OK) {
		fprintf(stderr, _("attnviz: unknown terminal type '%s' (TERM); try TERM=xterm-256color or use --print\n"), shown);
		return -1;
	}
	const char *cup = tigetstr("cup");
	bool ok = cup && cup != (char *)-1 && tigetflag("hc") <= 0;
	del_curterm(cur_term);
	if (!ok) {
		fprintf(stderr, _("attnviz: terminal '%s' cannot move the cursor; use a full-screen terminal or --print\n"), shown);
		return -1;
	}
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

typedef struct {
	av_model *m;
	view v;
	layout L;
	theme t;
	popup_text *pop;
	long next_play; /* ms: when auto-play takes the next step */
	long train_t0;  /* ms: start of the current steps/s window */
	int train_n;    /* steps in that window */
	tui_export_fn export_svg;
} app;

static void on_mouse(app *a)
{
	MEVENT ev;
	if (getmouse(&ev) != OK)
		return;
	if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_RELEASED)))
		return;
	if (ev.bstate & BUTTON1_RELEASED && !(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
		return;
	int token = -1;
	if (ev.y == a->L.tokens_y)
		token = ui_token_at(a->m, &a->v, &a->L, &a->t, ev.x);
	view_click(&a->v, a->m, &a->L, ev.y, ev.x, token);
}

/* Train for one slice, then copy the weights into the model (and redraw). */
static bool train_slice(app *a)
{
	long t0 = now_ms();
	if (a->train_n == 0)
		a->train_t0 = t0;
	int steps = 0;
	while (now_ms() - t0 < TRAIN_SLICE_MS && train_view_step(&a->v, a->m))
		steps++;
	if (steps == 0)
		return false;
	train_view_sync(&a->v, a->m);
	a->train_n += steps;
	long dt = now_ms() - a->train_t0;
	if (dt >= 500) { /* steps/s over half a second, drawing included */
		a->v.tv.steps_per_s = a->train_n * 1000.0 / (double)dt;
		a->train_n = 0;
	}
	return true;
}

/* One key (or ERR on timeout). Returns true when the screen must be
 * redrawn. */
static bool on_key(app *a, int r, wint_t ch)
{
	view *v = &a->v;
	bool is_key = r == KEY_CODE_YES;

	if (r == ERR) {
		if (v->tv.running)
			return train_slice(a);
		if (v->autoplay && now_ms() >= a->next_play) {
			view_apply(v, a->m, &a->L, ACT_AUTOPLAY_TICK, 0);
			a->next_play = now_ms() + v->autoplay_ms;
			return true;
		}
		return false;
	}
	if (is_key && ch == KEY_RESIZE)
		return true;
	if (!v->ed.active && !v->help && !v->drill && is_key && ch == KEY_MOUSE) {
		v->status[0] = '\0';
		on_mouse(a);
		return true;
	}
	bool was_playing = v->autoplay;
	if (v->tv.changed)
		train_view_sync(v, a->m);
	int arg;
	action act = keymap_action(v, (int)ch, is_key, popup_max_scroll(a->pop), &arg);
	view_apply(v, a->m, &a->L, act, arg);
	effects_run(v, a->m, a->export_svg); /* files are written here, not in the view */
	if (v->autoplay && !was_playing)
		a->next_play = now_ms() + v->autoplay_ms;
	return true;
}

/* Close the /dev/tty streams opened in place of stdin or stdout (NULL:
 * none was). */
static void close_ttys(FILE *tty_in, FILE *tty_out)
{
	if (tty_in)
		fclose(tty_in);
	if (tty_out)
		fclose(tty_out);
}

int tui_run(av_model *m, const tui_options *opts)
{
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C"); /* numbers with '.', as in --print */
	bool utf8 = !opts->ascii && strcmp(nl_langinfo(CODESET), "UTF-8") == 0;

	if (check_terminal() != 0)
		return 2;
	app *a = calloc(1, sizeof *a);
	popup_text *pop = calloc(1, sizeof *pop);
	if (!a || !pop) {
		free(a);
		free(pop);
		fprintf(stderr, "%s\n", _("attnviz: out of memory"));
		return 2;
	}
	a->m = m;
	a->pop = pop;
	a->export_svg = opts->export_svg;

	/* The view is drawn on the terminal and keys come from it, even when
	 * stdout or stdin is redirected (--tui > file): /dev/tty stands in for
	 * whichever is not a terminal, so that curses sets the terminal's
	 * modes, not a file's. */
	FILE *in = stdin, *out = stdout, *tty_in = NULL, *tty_out = NULL;
	if (!isatty(fileno(stdin)))
		in = tty_in = fopen("/dev/tty", "r");
	if (!isatty(fileno(stdout)))
		out = tty_out = fopen("/dev/tty", "w");
	if (!in || !out) {
		close_ttys(tty_in, tty_out);
		free(pop);
		free(a);
		fprintf(stderr, "%s\n", _("attnviz: no terminal to draw on or read keys from (stdin or stdout is not one and /dev/tty cannot be opened); use --print"));
		return 2;
	}

	got_signal = 0;
	install_handlers();
	SCREEN *scr = newterm(NULL, out, in);
	if (!scr) {
		restore_handlers();
		close_ttys(tty_in, tty_out);
		free(pop);
		free(a);
		char shown[64];
		fprintf(stderr, _("attnviz: cannot start the terminal '%s'; use --print\n"),
			av_text_show(shown, sizeof shown, getenv("TERM") ? getenv("TERM") : ""));
		return 2;
	}
	set_term(scr);
	cbreak();
	noecho();
	/* Flow control off: Ctrl-S would otherwise freeze the display until
	 * Ctrl-Q. def_prog_mode keeps it across endwin/refresh; endwin gives
	 * the shell its own modes back. */
	struct termios tio;
	if (tcgetattr(fileno(in), &tio) == 0) {
		tio.c_iflag &= ~(tcflag_t)IXON;
		tcsetattr(fileno(in), TCSANOW, &tio);
		def_prog_mode();
	}
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	/* Home/End as terminals and multiplexers send them, whatever the
	 * terminfo entry says (tmux, screen, rxvt, xterm). */
	define_key("\033[1~", KEY_HOME);
	define_key("\033[4~", KEY_END);
	define_key("\033[7~", KEY_HOME);
	define_key("\033[8~", KEY_END);
	define_key("\033[H", KEY_HOME);
	define_key("\033[F", KEY_END);
	define_key("\033OH", KEY_HOME);
	define_key("\033OF", KEY_END);
	/* Mouse where the terminal reports it in-band (xterm protocol). Not
	 * on the Linux console: there ncurses dlopens gpm, which leaks, and
	 * gpm is rarely running. */
	const char *kmous = tigetstr("kmous");
	const char *term = getenv("TERM");
	if (kmous && kmous != (char *)-1 && *kmous && !(term && strncmp(term, "linux", 5) == 0)) {
		mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED, NULL);
		mouseinterval(0);
	}

	/* The causality test's second model: the sentence before the last
	 * edit, with the same weights. Without it (no memory) x still
	 * replaces words, without highlights. */
	av_model *prev = calloc(1, sizeof *prev);
	av_error perr;
	if (prev && av_model_create(prev, &m->cfg, &m->w, &perr) != AV_OK) {
		free(prev);
		prev = NULL;
	}

	/* Live training and generation, when the weights hold language models. */
	av_live *live = NULL;
	if (m->lm_V > 0) {
		av_train_config tcfg = {.batch = TRAIN_VIEW_BATCH, .lr = TRAIN_VIEW_LR,
					.optimizer = AV_OPT_ADAM, .clip = AV_TRAIN_DEFAULT_CLIP,
					.seed = AV_DEFAULT_SEED};
		live = calloc(1, sizeof *live);
		if (live && av_live_create(live, m, opts->corpus, &tcfg, &perr) != AV_OK &&
		    (!opts->corpus || av_live_create(live, m, NULL, &tcfg, &perr) != AV_OK)) {
			free(live);
			live = NULL;
		}
	}

	theme_background bg = opts->theme == THEME_BG_LIGHT  ? THEME_LIGHT
			      : opts->theme == THEME_BG_DARK ? THEME_DARK
							     : THEME_AUTO;
	theme_init_bg(&a->t, theme_detect(opts->no_color), utf8,
		      theme_background_is_light(bg, getenv("COLORFGBG")));
	theme_install(&a->t);
	theme_heat_install(&a->t);
	view_init(&a->v, m, opts->sentence ? opts->sentence : AV_DEFAULT_SENTENCE);
	a->v.tv.live = live;
	a->v.big = opts->big;
	ui_layout(&a->L, m, &a->v, &a->t, COLS, LINES);
	view_teach_init(&a->v, m, &a->L, prev, opts->lesson, opts->quiz);
	effects_run(&a->v, m, a->export_svg); /* none from a lesson's keys (they never export) */
	a->v.lesson.other = opts->lesson ? opts->lesson_other : NULL;

	/* --keys: replay keystrokes as if typed, before the first frame. */
	ui_layout(&a->L, m, &a->v, &a->t, COLS, LINES);
	for (int k = 0; k < opts->n_keys && !a->v.quit; k++) {
		int ch;
		bool is_key;
		if (keymap_from_av_key(opts->keys[k], &ch, &is_key)) {
			on_key(a, is_key ? KEY_CODE_YES : OK, (wint_t)ch);
			ui_layout(&a->L, m, &a->v, &a->t, COLS, LINES);
		}
	}

	bool dirty = true;
	while (!a->v.quit && !got_signal) {
		if (dirty) {
			ui_layout(&a->L, m, &a->v, &a->t, COLS, LINES);
			a->v.tv.pred_left_out = a->L.pred_left_out;
			view_follow(&a->v, m, &a->L);
			if (a->v.redraw_all) {
				clearok(curscr, TRUE);
				a->v.redraw_all = false;
			}
			ui_draw(m, &a->v, &a->L, &a->t, a->pop);
			curs_set(a->v.ed.active && a->L.mode != LAYOUT_TOO_SMALL ? 1 : 0);
			refresh();
			dirty = false;
		}
		int wait = IDLE_TIMEOUT_MS;
		if (a->v.tv.running) {
			wait = 0; /* a key if one is there, else the next slice */
		} else if (a->v.autoplay) {
			long left = a->next_play - now_ms();
			wait = left < 0 ? 0 : left < IDLE_TIMEOUT_MS ? (int)left : IDLE_TIMEOUT_MS;
		}
		timeout(wait);
		wint_t ch = 0;
		int r = get_wch(&ch);
		if (got_signal)
			break;
		dirty = on_key(a, r, ch) || dirty;
	}

	int sig = got_signal;
	/* Without an alternate screen (linux, vt100) the last frame would stay
	 * under the shell prompt: clear it. */
	const char *rmcup = tigetstr("rmcup");
	if (!rmcup || rmcup == (char *)-1 || !*rmcup) {
		erase();
		refresh();
	}
	endwin();
	/* a frame that could not be written is an output error, said once */
	bool write_failed = fflush(out) != 0 || ferror(out);
	delscreen(scr);
	close_ttys(tty_in, tty_out);
	restore_handlers();
	if (prev) {
		av_model_destroy(prev);
		free(prev);
	}
	if (live) {
		av_live_destroy(live);
		free(live);
	}
	free(pop);
	free(a);
	if (sig)
		return 128 + sig;
	if (write_failed) {
		fprintf(stderr, "%s\n", _("attnviz: writing to the terminal failed"));
		return 1;
	}
	return 0;
}
