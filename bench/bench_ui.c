/* make bench-ui: CPU time of one full redraw of the TUI (layout + every
 * panel drawn into curses + output to the terminal) at 120x40 with 16
 * tokens, on newterm over /dev/null. Prints the median over many
 * repetitions (CLOCK_PROCESS_CPUTIME_ID), for three kinds of frame:
 *   draw     layout and drawing into the curses buffer only
 *   step     draw + refresh after one step (what a key press costs)
 *   full     draw + a complete repaint of every cell (clearok)
 * Goal: <= 1 ms per redraw. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attnviz/model.h"
#include "tui/colors.h"
#include "tui/layout.h"
#include "fmt/number.h"
#include "tui/frame.h"
#include "tui/popup.h"
#include "tui/screen.h"
#include "tui/view.h"

#define REPS 2000

static double cpu_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof *t, cmp_double);
	return t[n / 2];
}

int main(int argc, char **argv)
{
	int cols = 120, lines = 40;
	const char *sentence = "one two three four five six seven eight nine ten eleven twelve "
			       "thirteen fourteen fifteen sixteen";
	if (argc > 2) {
		cols = atoi(argv[1]);
		lines = atoi(argv[2]);
	}
	if (argc > 3)
		sentence = argv[3];
	setlocale(LC_ALL, "C.UTF-8");

	av_model m;
	av_error err;
	av_config cfg = av_config_default();
	if (av_model_create(&m, &cfg, NULL, &err) != AV_OK ||
	    av_model_set_sentence(&m, sentence, &err) != AV_OK) {
		fprintf(stderr, "bench_ui: %s\n", err.msg);
		return 1;
	}
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	SCREEN *scr = out && in ? newterm("xterm-256color", out, in) : NULL;
	if (!scr) {
		fprintf(stderr, "bench_ui: cannot open a curses screen on /dev/null\n");
		return 1;
	}
	set_term(scr);
	resizeterm(lines, cols);

	static view v;
	static layout L;
	static popup_text pop;
	theme t;
	theme_init(&t, theme_detect(false), true);
	theme_install(&t);
	view_init(&v, &m, sentence);
	view_apply(&v, &m, NULL, ACT_STEP_LAST, 0);
	view_apply(&v, &m, NULL, ACT_FOCUS_NEXT, 0);

	static double t_draw[REPS], t_step[REPS], t_full[REPS];
	for (int r = 0; r < REPS; r++) {
		double t0 = cpu_us();
		ui_layout(&L, &m, &v, &t, COLS, LINES);
		view_follow(&v, &m, &L);
		ui_draw(&m, &v, &L, &t, &pop);
		t_draw[r] = cpu_us() - t0;

		/* a key press: one step, redraw, output the difference */
		av_model_rnn_goto(&m, r % 2 ? m.n : m.n - 1);
		v.ci = m.rnn_steps - 1;
		t0 = cpu_us();
		ui_layout(&L, &m, &v, &t, COLS, LINES);
		view_follow(&v, &m, &L);
		ui_draw(&m, &v, &L, &t, &pop);
		refresh();
		t_step[r] = cpu_us() - t0;

		t0 = cpu_us();
		ui_layout(&L, &m, &v, &t, COLS, LINES);
		ui_draw(&m, &v, &L, &t, &pop);
		clearok(curscr, TRUE);
		refresh();
		t_full[r] = cpu_us() - t0;
	}
	int mode = L.mode;
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	printf("bench-ui: %dx%d, %d tokens, %s cells, %d reps, median CPU time per frame:\n", cols,
	       lines, m.n, mode == LAYOUT_NUMERIC ? "numeric" : "glyph", REPS);
	printf("  draw (layout + panels)     %8.1f us\n", median(t_draw, REPS));
	printf("  step (draw + refresh)      %8.1f us\n", median(t_step, REPS));
	printf("  full (draw + full repaint) %8.1f us   (goal <= 1000 us)\n", median(t_full, REPS));
	av_model_destroy(&m);
	return 0;
}
