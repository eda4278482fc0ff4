/* One frame of the TUI: see panels.h. */
#include "tui/panels.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tui/drill.h"
#include "tui/help.h"
#include "tui/i18n.h"
#include "tui/keymap.h"
#include "tui/teach.h"

typedef struct {
	const av_model *m;
	const view *v;
	const layout *L;
	const theme *t;
	const av_head_state *hs;
	float score_scale; /* max |finite score| of the head */
	float z_scale;     /* max |z| of the head */
	bool inference;    /* rows from tokens 1..i, rows >= step pending */
	const av_model *prev; /* the sentence before the last edit, or NULL */
} draw_ctx;

/* One panel's interface: its title for a width (long or short form) and
 * cell (i, col) (absolute indices) as text and role. Sizes come from the
 * layout; the column header and the RNN's edge column are drawn by
 * draw_header and draw_panel from is_grid and the panel id. */
typedef struct {
	void (*title)(char *out, size_t size, const draw_ctx *c, int width);
	void (*cell)(char *out, size_t size, role *r, const draw_ctx *c, int i, int col);
	bool is_grid; /* columns are keys k_j (scroll with col_off) */
} panel_ops;

void ui_fmt_num(char *out, size_t size, float v, int w, bool utf8)
{
	if (isnan(v)) {
		snprintf(out, size, "nan");
		return;
	}
	if (isinf(v)) {
		snprintf(out, size, "%s", v < 0 ? (utf8 ? "−∞" : "-inf") : (utf8 ? "+∞" : "inf"));
		return;
	}
	for (int prec = 2; prec >= 0; prec--) {
		float lim = 0.5f * powf(10.0f, (float)-prec);
		float x = fabsf(v) < lim ? 0.0f : v; /* no "-0.00" */
		int k = snprintf(out, size, "%.*f", prec, x);
		if (k <= w)
			return;
	}
	snprintf(out, size, "%.0e", v);
}

/* ---- panel titles ------------------------------------------------------ */

static void pick_title(char *out, size_t size, int width, bool utf8, const char *lng,
		       const char *shrt)
{
	snprintf(out, size, "%s", screen_width(lng, utf8) <= width ? lng : shrt);
}

static void title_rnn(char *out, size_t size, const draw_ctx *c, int width)
{
	pick_title(out, size, width, c->t->utf8, _("RNN h_n = f(W_h h_{n-1} + W_e c_n)"),
		   screen_width(_("RNN h_n"), c->t->utf8) <= width ? _("RNN h_n") : _("RNN"));
}

static void title_scores(char *out, size_t size, const draw_ctx *c, int width)
{
	pick_title(out, size, width, c->t->utf8,
		   c->t->utf8 ? _("scores q_i·k_j/√d") : _("scores q.k/sqrt(d)"), _("scores"));
}

static void title_mask(char *out, size_t size, const draw_ctx *c, int width)
{
	char lng[64];
	snprintf(lng, sizeof lng, "%s %s", _("mask"), av_mask_name(c->m->cfg.mask));
	pick_title(out, size, width, c->t->utf8, lng, _("mask"));
}

static void title_masked(char *out, size_t size, const draw_ctx *c, int width)
{
	pick_title(out, size, width, c->t->utf8, _("masked scores"), _("masked"));
}

static void title_softmax(char *out, size_t size, const draw_ctx *c, int width)
{
	pick_title(out, size, width, c->t->utf8, _("softmax weights"), _("softmax"));
}

static void title_z(char *out, size_t size, const draw_ctx *c, int width)
{
	pick_title(out, size, width, c->t->utf8, c->t->utf8 ? _("z_n = Σ w v") : _("z_n"),
		   _("z_n"));
}

/* ---- cells ------------------------------------------------------------- */

static bool compact(const draw_ctx *c)
{
	return c->L->mode != LAYOUT_NUMERIC;
}

static void signed_cell(char *out, size_t size, role *r, const draw_ctx *c, float x, float scale)
{
	*r = theme_signed_role(x, scale);
	if (compact(c))
		snprintf(out, size, "%s", isinf(x) ? c->t->neg_inf_cell
						   : theme_signed_glyph(c->t, x, scale));
	else
		ui_fmt_num(out, size, x, LAYOUT_CELL_NUMERIC - 1, c->t->utf8);
}

static void cell_rnn(char *out, size_t size, role *r, const draw_ctx *c, int i, int col)
{
	if (i >= c->v->step || i >= c->m->rnn_steps) {
		*r = ROLE_PENDING;
		snprintf(out, size, "%s", c->t->pending_cell);
		return;
	}
	signed_cell(out, size, r, c, c->m->h[(size_t)i * c->m->cfg.d_hidden + col], 1.0f);
}

static void cell_scores(char *out, size_t size, role *r, const draw_ctx *c, int i, int j)
{
	signed_cell(out, size, r, c, c->hs->scores[(size_t)i * c->m->n + j], c->score_scale);
}

static void cell_mask(char *out, size_t size, role *r, const draw_ctx *c, int i, int j)
{
	bool one = c->hs->mask[(size_t)i * c->m->n + j] != 0.0f;
	*r = one ? ROLE_MASK_ONE : ROLE_MASKED;
	snprintf(out, size, "%s", one ? "1" : "0");
}

static void cell_masked(char *out, size_t size, role *r, const draw_ctx *c, int i, int j)
{
	float x = c->hs->masked[(size_t)i * c->m->n + j];
	signed_cell(out, size, r, c, x, c->score_scale);
	if (isinf(x))
		*r = ROLE_MASKED;
}

static void cell_softmax(char *out, size_t size, role *r, const draw_ctx *c, int i, int j)
{
	const float *w = c->inference ? c->hs->inc_weights : c->hs->weights;
	float p = w[(size_t)i * c->m->n + j];
	*r = theme_prob_role(p);
	if (compact(c))
		snprintf(out, size, "%s", theme_prob_glyph(c->t, p));
	else if (p == 0.0f)
		snprintf(out, size, "0");
	else
		ui_fmt_num(out, size, p, LAYOUT_CELL_NUMERIC - 1, c->t->utf8);
}

static void cell_z(char *out, size_t size, role *r, const draw_ctx *c, int i, int col)
{
	const float *z = c->inference ? c->hs->inc_output : c->hs->output;
	signed_cell(out, size, r, c, z[(size_t)i * c->m->w.d_head + col], c->z_scale);
}

/* The mark after cell (i, col) of panel p: a leak (weight on a later key,
 * in the softmax panel of the training view), else a value the
 * last edit changed; NULL for none. */
static const char *cell_mark(const draw_ctx *c, panel_id p, int i, int col, role *r)
{
	if (p == PANEL_SOFTMAX && !c->inference &&
	    teach_is_leak(c->hs, c->m->n, i, col)) {
		*r = ROLE_LEAK;
		return c->t->leak_mark;
	}
	if (c->prev && (p != PANEL_RNN || i < c->v->step) &&
	    teach_cell_changed(c->m, c->prev, p, c->v->head, i, col)) {
		*r = ROLE_CHANGED;
		return c->t->changed_mark;
	}
	return NULL;
}

static const panel_ops ops[PANEL_COUNT] = {
	[PANEL_RNN] = {title_rnn, cell_rnn, false},
	[PANEL_SCORES] = {title_scores, cell_scores, true},
	[PANEL_MASK] = {title_mask, cell_mask, true},
	[PANEL_MASKED] = {title_masked, cell_masked, true},
	[PANEL_SOFTMAX] = {title_softmax, cell_softmax, true},
	[PANEL_Z] = {title_z, cell_z, false},
};

/* ---- drawing helpers --------------------------------------------------- */

static attr_t A(const draw_ctx *c, role r)
{
	return c->t->attr[r];
}

/* Wrap text into at most max_rows rows of width w at (y, x): lines break at
 * spaces and between Chinese characters (screen_break); when text is left
 * over after the last row, that row ends with an ellipsis (screen_fit).
 * Returns the rows used. */
static int wrap_do(bool draw, int y, int x, int w, int max_rows, attr_t a, const char *text,
		   bool utf8)
{
	char line[1024];
	int rows = 0;
	const char *s = text;
	while (*s == ' ')
		s++;
	while (*s && rows < max_rows && w > 0) {
		size_t take, next;
		screen_break(s, w, utf8, &take, &next);
		if (rows == max_rows - 1 && s[next] != '\0') {
			screen_fit(line, sizeof line, s, w, utf8, utf8 ? "…" : "~");
		} else {
			if (take >= sizeof line) /* whole characters only */
				screen_fit(line, sizeof line, s, w, utf8, "");
			else
				memcpy(line, s, take), line[take] = '\0';
		}
		if (draw)
			screen_put(y + rows, x, w, a, line, utf8);
		rows++;
		s += next;
	}
	return rows;
}

static int wrap_put(int y, int x, int w, int max_rows, attr_t a, const char *text, bool utf8)
{
	return wrap_do(true, y, x, w, max_rows, a, text, utf8);
}

/* Rows that wrap_put would use. */
static int wrap_rows(int w, int max_rows, const char *text, bool utf8)
{
	return wrap_do(false, 0, 0, w, max_rows, 0, text, utf8);
}

static int max_tok_width(const av_model *m, bool utf8)
{
	int w = 1;
	for (int i = 0; i < m->n; i++) {
		int tw = screen_width(m->tokens.text[i], utf8);
		if (tw > w)
			w = tw;
	}
	return w;
}

#define CAPTION_MAX_ROWS 8

/* The quiz's lines: question, then the verdict once answered. */
static void quiz_lines(char *question, char *verdict, size_t size, const av_model *m,
		       const view *v)
{
	teach_quiz_question(question, size, &v->question, m);
	verdict[0] = '\0';
	if (v->quiz == QUIZ_REVEALED)
		teach_quiz_verdict(verdict, size, &v->question, v->quiz_right, v->quiz_given,
				   &v->score, m);
}

/* Rows of the caption panel at width cols: a heading, then the lesson's
 * captions or the quiz's question (and verdict), wrapped. */
static int caption_rows(const av_model *m, const view *v, const theme *t, int cols)
{
	int rows = 1;
	if (v->quiz != QUIZ_OFF) {
		char q[512], verdict[512];
		quiz_lines(q, verdict, sizeof q, m, v);
		rows += wrap_rows(cols, CAPTION_MAX_ROWS, q, t->utf8);
		if (verdict[0])
			rows += wrap_rows(cols, CAPTION_MAX_ROWS, verdict, t->utf8);
	} else if (v->lesson) {
		const av_lesson_step *st = &v->lesson->steps[v->lesson_step];
		for (int k = 0; k < st->n_captions; k++)
			rows += wrap_rows(cols, CAPTION_MAX_ROWS, st->caption[k], t->utf8);
	} else {
		return 0;
	}
	return rows < CAPTION_MAX_ROWS ? rows : CAPTION_MAX_ROWS;
}

void ui_layout(layout *L, const av_model *m, const view *v, const theme *t, int cols, int lines)
{
	layout_compute_caption(L, cols, lines, m->n, m->cfg.d_hidden, m->w.d_head,
			       max_tok_width(m, t->utf8), v ? caption_rows(m, v, t, cols) : 0);
}

/* ---- title and token lines --------------------------------------------- */

static void draw_title(const draw_ctx *c)
{
	const av_model *m = c->m;
	char right[200], head[32] = "", sizes[64];
	if (m->cfg.heads > 1)
		snprintf(head, sizeof head, "  %s %d/%d", _("head"), c->v->head + 1, m->cfg.heads);
	const char *titles[] = {_("attnviz: Parallelization of self-attention at training time"),
				_("attnviz: parallel self-attention vs RNN"), "attnviz"};
	/* vector sizes: the long names, then shorter ones (never "H", which
	 * reads like heads) */
	const char *size_fmt[] = {_("d_model %d  d_hidden %d"), _("d_model=%d d_h=%d"),
				  _("d=%d d_h=%d")};
	const char *title = titles[2];
	int rw = 0;
	for (int f = 0; f < 3; f++) {
		snprintf(sizes, sizeof sizes, size_fmt[f], m->cfg.d_model, m->cfg.d_hidden);
		snprintf(right, sizeof right, "%s  %s %s  %s %s  %s %llu  %s%s",
			 c->v->quiz != QUIZ_OFF	       ? _("quiz")
			 : c->v->mode == VIEW_INFERENCE ? _("inference")
							: _("training"),
			 _("mask"), av_mask_name(m->cfg.mask), _("pos"),
			 m->cfg.positional ? _("on") : _("off"), _("seed"),
			 (unsigned long long)m->cfg.seed, sizes, head);
		rw = screen_width(right, c->t->utf8);
		if (screen_width(titles[2], c->t->utf8) + 1 + rw <= c->L->cols)
			break;
	}
	for (int i = 0; i < 3; i++) {
		if (screen_width(titles[i], c->t->utf8) + 1 + rw <= c->L->cols) {
			title = titles[i];
			break;
		}
	}
	screen_put(c->L->title_y, 0, c->L->cols, A(c, ROLE_TITLE), title, c->t->utf8);
	if (rw + screen_width(title, c->t->utf8) + 1 <= c->L->cols)
		screen_put(c->L->title_y, c->L->cols - rw, rw, A(c, ROLE_LABEL), right, c->t->utf8);
}

/* Token x positions on the token line: the first shown token is chosen so
 * that the current step's token is on screen. Returns the first index;
 * xs/ws get positions for [first, n) (-1 when off screen). */
static int token_positions(const av_model *m, const view *v, const layout *L, const theme *t,
			   int xs[], int ws[], int *right_w)
{
	char step[64];
	snprintf(step, sizeof step, _("step %d/%d"), v->step, m->n);
	*right_w = screen_width(step, t->utf8) + 1;
	int avail = L->cols - *right_w;
	int cur = v->step - 1;
	int first = 0;
	for (;;) {
		int x = 0;
		for (int i = first; i <= cur; i++)
			x += screen_width(m->tokens.text[i], t->utf8) + 2 + (i > first);
		if (x <= avail || first >= cur)
			break;
		first++;
	}
	int x = 0;
	for (int i = 0; i < m->n; i++) {
		xs[i] = ws[i] = -1;
		if (i < first)
			continue;
		int w = screen_width(m->tokens.text[i], t->utf8) + 2; /* "[tok]" or " tok " */
		if (x + w > avail) {
			if (x == 0 && avail > 2) { /* one token wider than the line: clip it */
				xs[i] = 0;
				ws[i] = avail;
				x = avail + 1;
			}
			continue;
		}
		xs[i] = x;
		ws[i] = w;
		x += w + 1;
	}
	return first;
}

int ui_token_at(const av_model *m, const view *v, const layout *L, const theme *t, int x)
{
	int xs[AV_MAX_TOKENS], ws[AV_MAX_TOKENS], rw;
	token_positions(m, v, L, t, xs, ws, &rw);
	for (int i = 0; i < m->n; i++)
		if (xs[i] >= 0 && x >= xs[i] && x < xs[i] + ws[i])
			return i;
	return -1;
}

static void draw_tokens(const draw_ctx *c)
{
	const av_model *m = c->m;
	int xs[AV_MAX_TOKENS], ws[AV_MAX_TOKENS], rw;
	int first = token_positions(m, c->v, c->L, c->t, xs, ws, &rw);
	int y = c->L->tokens_y;
	for (int i = first; i < m->n; i++) {
		if (xs[i] < 0)
			continue;
		bool cur = i == c->v->step - 1;
		char buf[AV_MAX_TOKEN_BYTES + 4];
		snprintf(buf, sizeof buf, "%s%s%s", cur ? "[" : " ", m->tokens.text[i], cur ? "]" : " ");
		role r = cur ? ROLE_STEP : i >= c->v->step ? ROLE_PENDING : ROLE_NORMAL;
		screen_put(y, xs[i], ws[i], A(c, r), buf, c->t->utf8);
	}
	if (first > 0)
		screen_put(y, 0, 1, A(c, ROLE_LABEL), c->t->ellipsis, c->t->utf8);
	char step[64];
	snprintf(step, sizeof step, _("step %d/%d"), c->v->step, m->n);
	screen_put(y, c->L->cols - rw + 1, rw, A(c, ROLE_STEP), step, c->t->utf8);
}

/* ---- bands ------------------------------------------------------------- */

static void draw_labels(const draw_ctx *c, int band_y)
{
	const layout *L = c->L;
	int idx_w = 1;
	for (int n = c->m->n; n >= 10; n /= 10)
		idx_w++;
	screen_put(band_y + 1, 0, L->label_w - 1, A(c, ROLE_LABEL), "c_n", c->t->utf8);
	for (int r = 0; r < L->rows_vis; r++) {
		int i = c->v->row_off + r;
		if (i >= c->m->n)
			break;
		bool cur = i == c->v->step - 1;
		char idx[16];
		snprintf(idx, sizeof idx, "%*d", idx_w & 7, (i + 1) % 1000);
		attr_t a = A(c, cur ? ROLE_STEP : ROLE_LABEL);
		int y = band_y + LAYOUT_HEAD_ROWS + r;
		screen_put(y, 0, idx_w, a, idx, c->t->utf8);
		screen_put(y, idx_w + 1, L->label_w - idx_w - 2, a, c->m->tokens.text[i], c->t->utf8);
	}
}

static void draw_header(const draw_ctx *c, panel_id p, const panel_box *b)
{
	int y = b->r.y + 1;
	char buf[32];
	bool numeric = b->cell_w >= LAYOUT_CELL_NUMERIC;
	if (p == PANEL_RNN)
		screen_put(y, b->r.x, LAYOUT_EDGE_W, A(c, ROLE_LABEL), "h", c->t->utf8);
	bool skip = false;
	for (int k = 0; k < b->cells; k++) {
		int col = ops[p].is_grid ? c->v->col_off + k : k;
		int x = b->first_x + k * b->cell_w;
		if (ops[p].is_grid && numeric) {
			screen_put_aligned(y, x, b->cell_w - 1, A(c, ROLE_LABEL),
					   c->m->tokens.text[col], c->t->utf8, 1);
			continue;
		}
		if (numeric) {
			snprintf(buf, sizeof buf, "%d", col + 1);
			screen_put_aligned(y, x, b->cell_w - 1, A(c, ROLE_LABEL), buf, c->t->utf8,
					   1);
			continue;
		}
		/* glyph cells: up to 9 columns one digit each; from 10 on, every
		 * 5th column (and the first shown) in full, the last digit
		 * between them, a blank after a two-digit number */
		int num = col + 1;
		bool grid = ops[p].is_grid && c->m->n >= 10;
		bool last = k == b->cells - 1 && c->v->col_off + b->cells < c->m->n;
		bool full = grid && (num % 5 == 0 || k == 0) && !last;
		if (skip) { /* the cell after a two-digit number */
			skip = false;
			continue;
		}
		skip = full && num >= 10;
		snprintf(buf, sizeof buf, "%d", full ? num : num % 10);
		screen_put(y, x, full ? b->cell_w : 1, A(c, ROLE_LABEL), buf, c->t->utf8);
	}
	if (ops[p].is_grid && c->v->col_off > 0 && b->first_x > 0) /* more on the left */
		screen_put(y, b->first_x - 1, 1, A(c, ROLE_LABEL), c->t->utf8 ? "…" : "<",
			   c->t->utf8);
	int total = p == PANEL_RNN ? c->m->cfg.d_hidden : p == PANEL_Z ? c->m->w.d_head : c->m->n;
	int shown_end = (ops[p].is_grid ? c->v->col_off : 0) + b->cells;
	if (shown_end < total) /* more columns to the right */
		screen_put(y, b->first_x + b->cells * b->cell_w - 1, 1, A(c, ROLE_LABEL),
			   c->t->ellipsis, c->t->utf8);
}

static void draw_panel(const draw_ctx *c, panel_id p)
{
	const panel_box *b = &c->L->panel[p];
	const view *v = c->v;
	bool focused = v->focus == p;
	char title[128], text[64];

	/* Title: the long form when it fits with two spaces before the next
	 * panel's title, else the short one (one space); a marker on the
	 * focused panel when there is room for it. */
	int next = c->L->cols + 2;
	for (int q = 0; q < PANEL_COUNT; q++) {
		const panel_box *o = &c->L->panel[q];
		if (q != (int)p && o->visible && o->r.y == b->r.y && o->r.x > b->r.x &&
		    o->r.x < next)
			next = o->r.x;
	}
	const rect *in = &c->L->info; /* counters beside this band: stop before them */
	if (in->h > 0 && in->x > b->r.x && in->x < next && b->r.y >= in->y &&
	    b->r.y < in->y + in->h)
		next = in->x;
	int mark = focused ? 1 : 0;
	int room_long = next - 2 - b->r.x - mark;
	ops[p].title(title, sizeof title, c, room_long < 40 ? room_long : 40);
	int tw = screen_width(title, c->t->utf8);
	if (tw > next - 1 - b->r.x - mark) { /* short title, no marker */
		ops[p].title(title, sizeof title, c, b->r.w);
		tw = screen_width(title, c->t->utf8);
		if (tw + mark > next - 1 - b->r.x)
			mark = 0;
	}
	if (mark)
		screen_put(b->r.y, b->r.x, 1, A(c, ROLE_TITLE_FOCUS), c->t->utf8 ? "▸" : ">",
			   c->t->utf8);
	screen_put(b->r.y, b->r.x + mark, next - 1 - b->r.x - mark,
		   A(c, focused ? ROLE_TITLE_FOCUS : ROLE_TITLE), title, c->t->utf8);

	draw_header(c, p, b);

	for (int r = 0; r < c->L->rows_vis; r++) {
		int i = v->row_off + r;
		if (i >= c->m->n)
			break;
		int y = b->r.y + LAYOUT_HEAD_ROWS + r;
		bool step_row = i == v->step - 1;
		if (p == PANEL_RNN) {
			const char *edge = i >= v->step ? c->t->pending
					   : i == 0	 ? c->t->edge_first
							 : c->t->edge;
			role er = i >= v->step ? ROLE_PENDING : step_row ? ROLE_EDGE : ROLE_LABEL;
			attr_t ea = A(c, er) | (focused && step_row ? A(c, ROLE_CURSOR) : 0);
			screen_put(y, b->r.x, 1, ea, edge, c->t->utf8);
		}
		for (int k = 0; k < b->cells; k++) {
			int col = ops[p].is_grid ? v->col_off + k : k;
			if (ops[p].is_grid && col >= c->m->n)
				break;
			role rl = ROLE_NORMAL, mr = ROLE_NORMAL;
			const char *cmark = NULL;
			if (view_quiz_hides(v, (int)p, i, col)) {
				snprintf(text, sizeof text, "?");
				rl = ROLE_PENDING;
			} else if (p != PANEL_RNN && !view_row_computed(v, i)) {
				snprintf(text, sizeof text, "%s", c->t->pending);
				rl = ROLE_PENDING;
			} else if (c->inference && ops[p].is_grid && col > i) {
				text[0] = '\0'; /* the decoder has no k_j for j > i yet */
			} else {
				ops[p].cell(text, sizeof text, &rl, c, i, col);
				cmark = cell_mark(c, p, i, col, &mr);
			}
			attr_t a = A(c, rl);
			bool cursor = focused && (p == PANEL_RNN ? step_row : i == v->ci && col == v->cj);
			if (cursor)
				a |= A(c, ROLE_CURSOR);
			else if (step_row) /* the row of step t, in every panel */
				a |= A_UNDERLINE;
			int x = b->first_x + k * b->cell_w;
			if (b->cell_w >= LAYOUT_CELL_NUMERIC)
				screen_put_aligned(y, x, b->cell_w - 1, a, text, c->t->utf8, 1);
			else
				screen_put(y, x, b->cell_w, a, text, c->t->utf8);
			if (cmark)
				screen_put(y, x + b->cell_w - 1, 1, A(c, mr), cmark, c->t->utf8);
		}
	}
}

/* ---- counters, detail and status lines --------------------------------- */

/* The numbers of the selected row (scores, masked, softmax; h_t) as a
 * small table, for glyph layouts: returns the rows used. */
static int draw_row_table(const draw_ctx *c, int y, int max_rows)
{
	const rect *r = &c->L->info;
	const av_model *m = c->m;
	const view *v = c->v;
	bool utf8 = c->t->utf8;
	int n = m->n, lw = 10, cw = 7;
	int i = v->focus == PANEL_RNN ? v->step - 1 : v->ci;
	int ncol = (r->w - lw) / cw;
	if (ncol < 1 || max_rows < 4)
		return 0;
	int first = v->col_off;
	if (first + ncol > n)
		first = n - ncol > 0 ? n - ncol : 0;
	char buf[64];
	if (!view_row_computed(v, i))
		return 0;
	const float *w = c->inference ? c->hs->inc_weights : c->hs->weights;
	const float *rows[3] = {c->hs->scores + (size_t)i * n, c->hs->masked + (size_t)i * n,
				w + (size_t)i * n};
	static const panel_id row_panel[3] = {PANEL_SCORES, PANEL_MASKED, PANEL_SOFTMAX};
	const char *names[3] = {_("scores"), _("masked"), _("softmax")};

	snprintf(buf, sizeof buf, "q_%d", i + 1);
	screen_put(y, r->x, lw, A(c, ROLE_STEP), buf, utf8);
	for (int k = 0; k < ncol && first + k < n; k++) {
		snprintf(buf, sizeof buf, "k_%d", first + k + 1);
		screen_put_aligned(y, r->x + lw + k * cw, cw - 1, A(c, ROLE_LABEL), buf, utf8, 1);
	}
	for (int t = 0; t < 3; t++) {
		screen_put(y + 1 + t, r->x, lw, A(c, ROLE_LABEL), names[t], utf8);
		for (int k = 0; k < ncol && first + k < n; k++) {
			float x = rows[t][first + k];
			role rl = t == 2 ? theme_prob_role(x) : theme_signed_role(x, c->score_scale);
			if (view_quiz_hides(v, (int)row_panel[t], i, first + k))
				snprintf(buf, sizeof buf, "?");
			else if (c->inference && first + k > i)
				snprintf(buf, sizeof buf, " ");
			else if (t == 2 && x == 0.0f)
				snprintf(buf, sizeof buf, "0");
			else
				ui_fmt_num(buf, sizeof buf, x, cw - 1, utf8);
			screen_put_aligned(y + 1 + t, r->x + lw + k * cw, cw - 1, A(c, rl), buf, utf8, 1);
		}
	}
	int used = 4;
	if (max_rows >= 5 && i < v->step) {
		int H = m->cfg.d_hidden;
		snprintf(buf, sizeof buf, "h_%d", i + 1);
		screen_put(y + 4, r->x, lw, A(c, ROLE_LABEL), buf, utf8);
		for (int k = 0; k < ncol && k < H; k++) {
			float x = m->h[(size_t)i * H + k];
			ui_fmt_num(buf, sizeof buf, x, cw - 1, utf8);
			screen_put_aligned(y + 4, r->x + lw + k * cw, cw - 1,
					   A(c, theme_signed_role(x, 1.0f)), buf, utf8, 1);
		}
		used = 5;
	}
	return used;
}

/* A small number: "0" when exactly zero, 1e-08 form below 0.01. */
static void fmt_small(char *out, size_t size, float x)
{
	if (x == 0.0f)
		snprintf(out, size, "0");
	else if (fabsf(x) < 0.01f)
		snprintf(out, size, "%.0e", x);
	else
		snprintf(out, size, "%.2f", x);
}

/* Per query row: the leaked mass (weight on j > i) and, in the inference
 * view, max |batched - incremental| of every row computed so far. Returns
 * the rows used. */
static int draw_checks(const draw_ctx *c, int y, int max_rows)
{
	const rect *r = &c->L->info;
	const av_model *m = c->m;
	const view *v = c->v;
	bool utf8 = c->t->utf8;
	int n = m->n, lw = 10, cw = 7;
	if ((r->w - lw) / cw < n)
		cw = 6;
	int ncol = (r->w - lw) / cw;
	int want = c->inference ? 3 : 2;
	if (ncol < 1 || max_rows < 2)
		return 0;
	if (want > max_rows)
		want = max_rows;
	int first = v->row_off;
	if (first + ncol > n)
		first = n - ncol > 0 ? n - ncol : 0;
	char buf[32];
	screen_put(y, r->x, lw, A(c, ROLE_LABEL), _("row i"), utf8);
	screen_put(y + 1, r->x, lw, A(c, ROLE_LABEL), _("leak j>i"), utf8);
	if (want > 2)
		screen_put(y + 2, r->x, lw, A(c, ROLE_LABEL), _("max|diff|"), utf8);
	for (int k = 0; k < ncol && first + k < n; k++) {
		int i = first + k, x = r->x + lw + k * cw;
		snprintf(buf, sizeof buf, "%d", i + 1);
		screen_put_aligned(y, x, cw - 1, A(c, i == v->step - 1 ? ROLE_STEP : ROLE_LABEL), buf,
				   utf8, 1);
		float leak = c->hs->leak[i];
		fmt_small(buf, sizeof buf, leak);
		screen_put_aligned(y + 1, x, cw - 1, A(c, leak > 0.0f ? ROLE_LEAK : ROLE_LABEL), buf,
				   utf8, 1);
		if (want > 2) {
			bool done = view_row_computed(v, i);
			float d = c->hs->inc_diff[i];
			if (done)
				fmt_small(buf, sizeof buf, d);
			else
				snprintf(buf, sizeof buf, "%s", c->t->pending);
			role rl = !done ? ROLE_PENDING : d > 1e-5f ? ROLE_LEAK : ROLE_MASK_ONE;
			screen_put_aligned(y + 2, x, cw - 1, A(c, rl), buf, utf8, 1);
		}
	}
	return want;
}

/* Lesson captions or the quiz question, under the grids. */
static void draw_caption(const draw_ctx *c)
{
	const rect *r = &c->L->caption;
	const view *v = c->v;
	bool utf8 = c->t->utf8;
	if (r->h <= 0 || (v->quiz == QUIZ_OFF && !v->lesson))
		return;
	char head[400], q[512], verdict[512];
	const char *hint;
	int y = r->y, end = r->y + r->h;
	if (v->quiz != QUIZ_OFF) {
		snprintf(head, sizeof head, _("quiz: question %d   %d/%d right"), v->quiz_number,
			 v->score.right, v->score.asked);
		hint = _("Q or Esc leaves");
	} else {
		snprintf(head, sizeof head, _("lesson step %d/%d: %s"), v->lesson_step + 1,
			 v->lesson->n_steps, v->lesson->steps[v->lesson_step].title);
		hint = _("n next  N back");
	}
	int hw = screen_width(hint, utf8);
	int room = r->w - 2 - hw; /* the hint keeps its place: cut the title */
	if (room >= 12 && screen_width(head, utf8) > room) {
		int ew = screen_width(c->t->ellipsis, utf8);
		size_t len = strlen(head);
		while (len > 0 && screen_width(head, utf8) > room - ew) {
			do /* whole UTF-8 characters */
				len--;
			while (len > 0 && ((unsigned char)head[len] & 0xC0) == 0x80);
			head[len] = '\0';
		}
		snprintf(head + len, sizeof head - len, "%s", c->t->ellipsis);
	}
	int used = screen_put(y, r->x, r->w, A(c, ROLE_TITLE), head, utf8);
	if (used + 2 + hw <= r->w)
		screen_put(y, r->x + r->w - hw, hw, A(c, ROLE_LABEL), hint, utf8);
	y++;
	if (v->quiz != QUIZ_OFF) {
		quiz_lines(q, verdict, sizeof q, c->m, v);
		y += wrap_put(y, r->x, r->w, end - y, A(c, ROLE_CAPTION), q, utf8);
		if (verdict[0] && y < end)
			wrap_put(y, r->x, r->w, end - y,
				 A(c, v->quiz_right ? ROLE_MASK_ONE : ROLE_LEAK), verdict, utf8);
		return;
	}
	const av_lesson_step *st = &v->lesson->steps[v->lesson_step];
	for (int k = 0; k < st->n_captions && y < end; k++)
		y += wrap_put(y, r->x, r->w, end - y, A(c, ROLE_CAPTION), st->caption[k], utf8);
}

/* The glyph legend: one entry per ramp (signed values; weights), the
 * weight of exactly 0 and the masked score. */
static void legend_text(char *out, size_t size, const theme *t)
{
	char sg[64] = "", pr[64] = "";
	for (int k = 0; k < THEME_RAMP; k++) {
		strncat(sg, t->ramp_signed[k], sizeof sg - strlen(sg) - 1);
		strncat(pr, t->ramp_prob[k], sizeof pr - strlen(pr) - 1);
	}
	snprintf(out, size, _("score,h,z %s (-..+)  weight %s (0..1)  %s weight 0  %s masked"),
		 sg, pr, t->zero_prob, t->neg_inf_cell);
}

/* Counters, the no-dependency line, the checks (leaks, batched =
 * incremental) when they matter, the selected row's numbers, and the
 * legend on the last line: the same places under every mask. */
static void draw_info(const draw_ctx *c)
{
	const rect *r = &c->L->info;
	const av_model *m = c->m;
	char line[320];
	int y = r->y, end = r->y + r->h;
	bool utf8 = c->t->utf8;
	if (r->h <= 0 || r->w <= 0)
		return;

	snprintf(line, sizeof line, _("RNN: %d of %d sequential steps (each waits for the previous)"),
		 c->v->step, av_model_rnn_depth(m->n));
	y += wrap_put(y, r->x, r->w, end - y, A(c, ROLE_EDGE), line, utf8);
	if (c->inference)
		snprintf(line, sizeof line,
			 _("inference: row %d from tokens 1..%d only; max|diff| = |batched - incremental|"),
			 c->v->step, c->v->step);
	else
		snprintf(line, sizeof line,
			 _("attention: all %d rows at once, %d batched steps for any n"), m->n,
			 av_model_attn_depth(m->n));
	y += wrap_put(y, r->x, r->w, end - y, A(c, ROLE_MASK_ONE), line, utf8);

	/* the legend keeps the last line(s) when there is room for it */
	char legend[320];
	int legend_rows = 0;
	if (c->L->mode == LAYOUT_COMPACT) {
		legend_text(legend, sizeof legend, c->t);
		legend_rows = wrap_rows(r->w, 2, legend, utf8);
		if (end - y < legend_rows + 2)
			legend_rows = 0;
	}
	int body_end = end - legend_rows;
	if (legend_rows)
		wrap_put(body_end, r->x, r->w, legend_rows, A(c, ROLE_LABEL), legend, utf8);

	const char *nodep = _("no dependency between z_n and z_{n-1}: no row waits for another");
	if (y < body_end)
		y += wrap_put(y, r->x, r->w, body_end - y, A(c, ROLE_NORMAL), nodep, utf8);
	if (c->inference || m->cfg.mask != AV_MASK_CAUSAL)
		y += draw_checks(c, y, body_end - y);
	if (c->L->mode == LAYOUT_COMPACT && body_end - y >= 5) {
		bool gap = body_end - y >= 7;
		y += gap + draw_row_table(c, y + gap, body_end - y - gap);
	}
	/* On a big screen, the slide's argument in words. */
	static const char *const notes[] = {
		N_("mask 1: q_i may look at k_j; 0: the score becomes %s, its weight 0"),
		N_("after masking, softmax gives valid attention distributions without any "
		   "\"cheating\": each row sums to 1"),
		N_("the RNN's h_n needs h_{n-1}: n steps, one after another"),
	};
	if (body_end - y >= 5) {
		y++;
		for (size_t k = 0; k < sizeof notes / sizeof notes[0] && y < body_end; k++) {
			if (k == 0)
				snprintf(line, sizeof line, _(notes[0]), c->t->neg_inf);
			else
				snprintf(line, sizeof line, "%s", _(notes[k]));
			y += wrap_put(y, r->x, r->w, body_end - y, A(c, ROLE_LABEL), line, utf8);
		}
	}
}

/* Append the numbers of row i of x (n entries) to out. */
static void append_row(char *out, size_t size, const float *x, int n, bool utf8)
{
	size_t used = strlen(out);
	for (int j = 0; j < n && used + 16 < size; j++) {
		char num[32];
		ui_fmt_num(num, sizeof num, x[j], 5, utf8);
		used += (size_t)snprintf(out + used, size - used, " %s", num);
	}
}

/* ", c_j reaches position i in the RNN in i-j steps, attention 1" */
static void append_path(char *out, size_t size, const draw_ctx *c, int i, int j)
{
	size_t u = strlen(out);
	const char *bar = c->t->utf8 ? " │ " : " | ";
	bool allowed = c->hs->mask[(size_t)i * c->m->n + j] != 0.0f;
	if (view_quiz_hides(c->v, PANEL_MASK, i, j)) { /* the quiz's answer */
		if (j > i)
			snprintf(out + u, size - u, _("%sc_%d reaches %d: RNN never, attention ?"),
				 bar, j + 1, i + 1);
		else
			snprintf(out + u, size - u,
				 i - j == 1 ? _("%sc_%d reaches %d: RNN %d step, attention ?")
					    : _("%sc_%d reaches %d: RNN %d steps, attention ?"),
				 bar, j + 1, i + 1, i - j);
		return;
	}
	if (j <= i)
		snprintf(out + u, size - u,
			 i - j == 1 ? _("%sc_%d reaches %d: RNN %d step, attention %s")
				    : _("%sc_%d reaches %d: RNN %d steps, attention %s"),
			 bar, j + 1, i + 1, i - j, allowed ? "1" : _("masked"));
	else
		snprintf(out + u, size - u, _("%sc_%d reaches %d: RNN never (later word), attention %s"),
			 bar, j + 1, i + 1, allowed ? "1" : _("masked"));
}

/* The detail line's text for the selection. */
static void build_detail(char *line, size_t size, const draw_ctx *c)
{
	const av_model *m = c->m;
	const view *v = c->v;
	const av_head_state *hs = c->hs;
	bool utf8 = c->t->utf8;
	int n = m->n, i = v->ci, j = v->cj, d = m->w.d_head, H = m->cfg.d_hidden;
	char num[32];
	const char *bar = utf8 ? " │" : " |";
	const float *w = c->inference ? hs->inc_weights : hs->weights;
	const float *z = c->inference ? hs->inc_output : hs->output;

	line[0] = '\0';
	if (v->focus != PANEL_RNN && !view_row_computed(v, i)) {
		snprintf(line, size,
			 v->step == 1 ? _("row %d is not computed yet: the decoder has seen %d token; "
					  "press Space to step")
				      : _("row %d is not computed yet: the decoder has seen %d tokens; "
					  "press Space to step"),
			 i + 1, v->step);
		return;
	}
	if (view_quiz_hides(v, (int)v->focus, i, j)) {
		snprintf(line, size, _("%s[%d][%d] = ? (hidden until you answer)"),
			 layout_panel_name(v->focus), i + 1, j + 1);
		return;
	}
	switch (v->focus) {
	case PANEL_RNN: {
		int t = v->step - 1;
		snprintf(line, size, "h_%d \"%s\" =", t + 1, m->tokens.text[t]);
		append_row(line, size, m->h + (size_t)t * H, H, utf8);
		break;
	}
	case PANEL_SCORES:
	case PANEL_MASKED:
		ui_fmt_num(num, sizeof num, (v->focus == PANEL_SCORES ? hs->scores : hs->masked)[(size_t)i * n + j], 8, utf8);
		snprintf(line, size, "%s[%d][%d] = %s", v->focus == PANEL_SCORES ? _("score") : _("masked"), i + 1, j + 1, num);
		append_path(line, size, c, i, j);
		snprintf(line + strlen(line), size - strlen(line), "%s q_%d:", bar, i + 1);
		append_row(line, size,
			   (v->focus == PANEL_SCORES ? hs->scores : hs->masked) + (size_t)i * n,
			   c->inference ? i + 1 : n, utf8);
		break;
	case PANEL_MASK:
		snprintf(line, size, "M[%d][%d] = %d", i + 1, j + 1,
			 hs->mask[(size_t)i * n + j] != 0.0f);
		append_path(line, size, c, i, j);
		snprintf(line + strlen(line), size - strlen(line), "%s q_%d:", bar, i + 1);
		for (int k = 0; k < n; k++) {
			size_t u = strlen(line);
			snprintf(line + u, size - u, " %d", hs->mask[(size_t)i * n + k] != 0.0f);
		}
		break;
	case PANEL_SOFTMAX: {
		float sum = 0.0f;
		for (int k = 0; k < n; k++)
			sum += w[(size_t)i * n + k];
		ui_fmt_num(num, sizeof num, w[(size_t)i * n + j], 8, utf8);
		snprintf(line, size, "softmax[%d][%d] = %s", i + 1, j + 1, num);
		size_t u = strlen(line);
		if (!c->inference && (hs->leak[i] > 0.0f || m->cfg.mask != AV_MASK_CAUSAL)) {
			char lk[32];
			fmt_small(lk, sizeof lk, hs->leak[i]);
			snprintf(line + u, size - u, _("%s leak of row %d: %s"), bar, i + 1, lk);
		} else if (c->inference) {
			char df[32];
			fmt_small(df, sizeof df, hs->inc_diff[i]);
			snprintf(line + u, size - u, _("%s incremental, max|diff| %s"), bar, df);
		}
		append_path(line, size, c, i, j);
		u = strlen(line);
		snprintf(line + u, size - u, "%s q_%d:", bar, i + 1);
		append_row(line, size, w + (size_t)i * n, c->inference ? i + 1 : n, utf8);
		u = strlen(line);
		snprintf(line + u, size - u, "  (%s %.3f)", utf8 ? "Σ" : "sum", sum);
		break;
	}
	case PANEL_Z:
		snprintf(line, size, "z_%d \"%s\" =", i + 1, m->tokens.text[i]);
		append_row(line, size, z + (size_t)i * d, d, utf8);
		break;
	default: line[0] = '\0'; break;
	}
}

/* The detail line, fitted to the screen: the row's numbers at the end are
 * cut at a whole number, with an ellipsis. */
static void draw_detail(const draw_ctx *c)
{
	char line[1024];
	bool utf8 = c->t->utf8;
	int cols = c->L->cols;
	build_detail(line, sizeof line, c);
	const char *ell = c->t->ellipsis;
	int ew = screen_width(ell, utf8);
	if (screen_width(line, utf8) > cols) {
		/* drop whole words until they fit with " …" */
		char *sp;
		while (screen_width(line, utf8) + 1 + ew > cols &&
		       (sp = strrchr(line, ' ')) != NULL && sp != line)
			*sp = '\0';
		size_t u = strlen(line);
		snprintf(line + u, sizeof line - u, " %s", ell);
	}
	screen_put(c->L->detail_y, 0, cols, A(c, ROLE_NORMAL), line, utf8);
}

typedef struct {
	const char *key_utf8, *key_ascii, *what;
} key_hint;

static void draw_status(const draw_ctx *c)
{
	const layout *L = c->L;
	const view *v = c->v;
	bool utf8 = c->t->utf8;
	int y = L->status_y;
	if (v->ed.active) {
		char prompt[160];
		if (v->edit_word >= 0 && v->edit_word < c->m->n)
			snprintf(prompt, sizeof prompt, _("replace word %d '%s': "), v->edit_word + 1,
				 c->m->tokens.text[v->edit_word]);
		else
			snprintf(prompt, sizeof prompt, "%s", _("sentence: "));
		editor_draw(&v->ed, y, L->cols, prompt, utf8);
		return;
	}
	screen_fill(y, 0, L->cols, A(c, ROLE_STATUS));
	if (v->status[0]) {
		screen_put(y, 0, L->cols, A(c, v->status_error ? ROLE_ERROR : ROLE_STATUS), v->status,
			   utf8);
		return;
	}
	static const key_hint rnn_hints[] = {
		{"→/Space", "Right/Space", N_("step")}, {"←", "Left", N_("back")},
		{"Tab", "Tab", N_("panel")},            {"Enter", "Enter", N_("numbers")},
		{"m", "m", N_("mask")},                 {"e", "e", N_("edit")},
		{"?", "?", N_("help")},                 {"q", "q", N_("quit")},
		{"a", "a", N_("play")},
	};
	static const key_hint grid_hints[] = {
		{"←↑↓→", "arrows", N_("cell")},         {"Space", "Space", N_("step")},
		{"Tab", "Tab", N_("panel")},            {"Enter", "Enter", N_("numbers")},
		{"m", "m", N_("mask")},                 {"e", "e", N_("edit")},
		{"?", "?", N_("help")},                 {"q", "q", N_("quit")},
	};
	static const key_hint quiz_hints[] = {
		{"←↑↓→", "arrows", N_("cell")},  {"1/0 y/n", "1/0 y/n", N_("answer")},
		{"Enter", "Enter", N_("pick column")}, {"Space", "Space", N_("next")},
		{"Esc", "Esc", N_("leave")},   {"?", "?", N_("help")},
		{"q", "q", N_("quit")},
	};
	bool grid = v->focus != PANEL_RNN;
	const key_hint *hints = grid ? grid_hints : rnn_hints;
	size_t n_hints = grid ? sizeof grid_hints / sizeof grid_hints[0]
			      : sizeof rnn_hints / sizeof rnn_hints[0];
	if (v->quiz != QUIZ_OFF) {
		hints = quiz_hints;
		n_hints = sizeof quiz_hints / sizeof quiz_hints[0];
	}
	int x = 0;
	for (size_t k = 0; k < n_hints; k++) {
		const char *key = utf8 ? hints[k].key_utf8 : hints[k].key_ascii;
		int need = screen_width(key, utf8) + 1 + screen_width(_(hints[k].what), utf8) + 2;
		if (x + need > L->cols)
			break;
		x += screen_put(y, x, L->cols - x, A(c, ROLE_STATUS) | A_BOLD, key, utf8);
		x += 1;
		x += screen_put(y, x, L->cols - x, A(c, ROLE_STATUS), _(hints[k].what), utf8);
		x += 2;
	}
	if (v->autoplay) {
		char play[64];
		snprintf(play, sizeof play, _("[auto %d ms]"), v->autoplay_ms);
		int w = screen_width(play, utf8);
		if (x + w <= L->cols)
			screen_put(y, L->cols - w, w, A(c, ROLE_STATUS) | A_BOLD, play, utf8);
	}
}

static void draw_too_small(const layout *L, const theme *t)
{
	char msg[200], need[64], have[64];
	const char *x = t->utf8 ? "×" : "x";
	attr_t a = t->attr[ROLE_ERROR] & ~A_REVERSE;
	snprintf(msg, sizeof msg, _("terminal too small: need %d%s%d, have %d%s%d"), L->need_w, x,
		 L->need_h, L->cols, x, L->lines);
	if (screen_width(msg, t->utf8) <= L->cols) {
		screen_put(0, 0, L->cols, a, msg, t->utf8);
		return;
	}
	/* narrow: one part a line */
	snprintf(need, sizeof need, _("need %d%s%d,"), L->need_w, x, L->need_h);
	snprintf(have, sizeof have, _("have %d%s%d"), L->cols, x, L->lines);
	int y = wrap_put(0, 0, L->cols, L->lines, a, _("terminal too small:"), t->utf8);
	y += wrap_put(y, 0, L->cols, L->lines - y, a, need, t->utf8);
	wrap_put(y, 0, L->cols, L->lines - y, a, have, t->utf8);
}

static float max_abs_finite(const float *x, size_t count)
{
	float mx = 0.0f;
	for (size_t k = 0; k < count; k++)
		if (isfinite(x[k]) && fabsf(x[k]) > mx)
			mx = fabsf(x[k]);
	return mx > 0.0f ? mx : 1.0f;
}

void ui_draw(const av_model *m, const view *v, const layout *L, const theme *t,
	     popup_text *scratch)
{
	erase();
	if (L->mode == LAYOUT_TOO_SMALL) {
		draw_too_small(L, t);
		return;
	}
	draw_ctx c = {.m = m, .v = v, .L = L, .t = t, .hs = &m->head[v->head]};
	c.inference = v->mode == VIEW_INFERENCE;
	c.prev = v->compare && v->prev && v->prev->n == m->n ? v->prev : NULL;
	c.score_scale = max_abs_finite(c.hs->scores, (size_t)m->n * m->n);
	c.z_scale = max_abs_finite(c.hs->output, (size_t)m->n * m->w.d_head);

	draw_title(&c);
	draw_tokens(&c);
	for (int b = 0; b < L->n_bands; b++)
		draw_labels(&c, L->band_y[b]);
	for (int p = 0; p < PANEL_COUNT; p++)
		if (L->panel[p].visible)
			draw_panel(&c, (panel_id)p);
	draw_info(&c);
	draw_caption(&c);
	draw_detail(&c);
	draw_status(&c);

	if (v->help) {
		help_build(scratch, t->utf8);
		popup_draw(scratch, t, v->drill_scroll);
	} else if (v->drill) {
		drill_build(scratch, m, v, L->cols - 4, t->utf8);
		popup_draw(scratch, t, v->drill_scroll);
	}
}
