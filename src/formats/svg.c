/* The SVG export, a 16:9 slide (1920 x 1080 user units) per attention
 * head: a title, the six panels of the TUI in two rows of three (RNN h_n,
 * scores, mask / masked scores, softmax, z_n), each a figure of its own
 * (<g id="panel-...">, to cut out), and a colour legend. Cells shrink with
 * the sentence so the slide keeps its size; numbers are printed while they
 * fit (font >= 7 units) in black or white, whichever contrasts more with
 * the cell's colour, and kept as the cell's <title> where they do not. The colours are the TUI's (fmt/palette.h), masked
 * scores print -inf and masked weights 0 as in the TUI, and under a mask
 * that lets a row see later words every leak is marked "!". */
#include "formats/export.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "attnviz/i18n.h"
#include "attnviz/tokenize.h"
#include "attnviz/version.h"
#include "fmt/number.h"
#include "fmt/palette.h"

enum {
	SLIDE_W = 1920, SLIDE_H = 1080, MARGIN = 30, HEAD_H = 96, LEGEND_H = 70,
	PANEL_GAP = 30, PANEL_TITLE_H = 26, COL_LABEL_H = 30, ROW_LABEL_W = 96,
	FONT_MIN = 7, /* below this, a cell's number is its <title>, not drawn */
};

#define ZERO_RGB "#f2f2f2"   /* an exact-zero weight, a mask 0 */
#define MASKED_RGB "#e6e6e6" /* a -inf score */
#define LEAK_RGB "#c8005a"   /* the leak mark and outline */

/* WCAG relative luminance of "#rrggbb". */
static double luminance(const char *rgb)
{
	unsigned v = 0;
	sscanf(rgb + 1, "%6x", &v);
	double c[3] = {(v >> 16 & 255) / 255.0, (v >> 8 & 255) / 255.0, (v & 255) / 255.0};
	for (int k = 0; k < 3; k++)
		c[k] = c[k] <= 0.03928 ? c[k] / 12.92 : pow((c[k] + 0.055) / 1.055, 2.4);
	return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

/* Black or white, whichever contrasts more with the fill. */
static const char *text_on(const char *fill)
{
	double l = luminance(fill);
	return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000000" : "#ffffff";
}

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default: fputc(*s, f);
		}
	}
}

typedef enum { CELLS_SIGNED, CELLS_PROB, CELLS_MASK } cell_kind;

/* One panel: rows x cols cells of M (row-major, stride cols) at a box. */
typedef struct {
	const char *id, *title;
	const float *M;
	int rows, cols;
	cell_kind kind;
	bool keys;       /* columns are keys k_j (labelled with the tokens) */
	const char *col_sym; /* column label prefix when !keys: "h", "z" */
	const float *leak_w; /* softmax: mark cells j > i with weight > 0 */
} svg_panel;

/* The fill and the text of one cell. */
static const char *cell_style(const svg_panel *p, float v, float scale, char *num, size_t size)
{
	switch (p->kind) {
	case CELLS_MASK:
		snprintf(num, size, "%d", v != 0.0f);
		return v != 0.0f ? PALETTE_MASK_ONE_RGB : ZERO_RGB;
	case CELLS_PROB: {
		int c = palette_prob_class_of(v);
		if (c < 0) { /* an exact zero (masked): "0", as the TUI */
			snprintf(num, size, "0");
			return ZERO_RGB;
		}
		fmt_num(num, size, v, &FMT_SVG, 0, true);
		return palette_prob[c].rgb;
	}
	default:
		if (!isfinite(v)) {
			snprintf(num, size, "\xe2\x88\x92\xe2\x88\x9e"); /* −∞ */
			return MASKED_RGB;
		}
		fmt_num(num, size, v, &FMT_SVG, 0, true);
		return palette_signed[palette_signed_of_level(palette_signed_level(v, scale))].rgb;
	}
}

/* sfx ends the group's id: "" with one head, "-K" on head K's slide, so
 * that every id of the file is unique. */
static void draw_panel(FILE *f, const av_model *m, const svg_panel *p, const char *sfx, int x,
		       int y, int w, int h)
{
	int cw = (w - ROW_LABEL_W) / p->cols, ch = (h - PANEL_TITLE_H - COL_LABEL_H) / p->rows;
	if (cw > 80)
		cw = 80;
	if (ch > 48)
		ch = 48;
	if (cw < 2)
		cw = 2;
	if (ch < 2)
		ch = 2;
	int font = ch * 11 / 20 < cw * 10 / 32 ? ch * 11 / 20 : cw * 10 / 32;
	if (font > 18)
		font = 18;
	int lfont = ch * 11 / 20 < 14 ? ch * 11 / 20 : 14;
	if (lfont < 6)
		lfont = 6;
	/* label every column while the widest label fits its cell (monospace:
	 * 0.62 em a character), else every 5th */
	char widest[32];
	if (p->keys)
		snprintf(widest, sizeof widest, "k%d", p->cols);
	else
		snprintf(widest, sizeof widest, "%s[%d]", p->col_sym, p->cols);
	int every = cw >= (int)strlen(widest) * lfont * 62 / 100 + 2 ? 1 : 5;
	float scale = palette_scale(p->M, (size_t)p->rows * (size_t)p->cols);
	fprintf(f, "<g id=\"panel-%s%s\" class=\"panel\">\n", p->id, sfx);
	fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"h\">", x, y + 18);
	xml_text(f, p->title);
	fputs("</text>\n", f);
	int gy = y + PANEL_TITLE_H + COL_LABEL_H;
	for (int j = 0; j < p->cols; j++) {
		if ((j + 1) % every != 0 && j != 0)
			continue;
		int cx = x + ROW_LABEL_W + j * cw + cw / 2;
		if (p->keys)
			fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"l\" font-size=\"%d\" "
				   "text-anchor=\"middle\">k%d</text>\n",
				cx, gy - 6, lfont, j + 1);
		else
			fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"l\" font-size=\"%d\" "
				   "text-anchor=\"middle\">%s[%d]</text>\n",
				cx, gy - 6, lfont, p->col_sym, j + 1);
	}
	for (int i = 0; i < p->rows; i++) {
		int cy = gy + i * ch;
		if (ch >= 8 || (i + 1) % 5 == 0 || i == 0) {
			fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"l\" font-size=\"%d\">%d ", x,
				cy + ch / 2 + lfont / 3, lfont, i + 1);
			char tok[16];
			snprintf(tok, sizeof tok, "%.9s", m->tokens.text[i]);
			xml_text(f, tok);
			fputs("</text>\n", f);
		}
		for (int j = 0; j < p->cols; j++) {
			float v = p->M[i * p->cols + j];
			char num[32];
			const char *fill = cell_style(p, v, scale, num, sizeof num);
			bool leak = p->leak_w && j > i && p->leak_w[i * p->cols + j] > 0.0f;
			int cx = x + ROW_LABEL_W + j * cw;
			fputs("<g class=\"cell\">", f);
			/* too small to print: the number stays in the file, as the
			 * cell's title (a viewer's tooltip, a screen reader's name) */
			if (font < FONT_MIN)
				fprintf(f, "<title>%s%s</title>", num, leak ? "!" : "");
			fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"%s/>",
				cx, cy, cw, ch, fill, leak ? " class=\"leak\"" : "");
			if (font >= FONT_MIN)
				fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" fill=\"%s\" "
					   "text-anchor=\"middle\">%s%s</text>",
					cx + cw / 2, cy + ch / 2 + font / 3, font, text_on(fill), num,
					leak ? "!" : "");
			fputs("</g>\n", f);
		}
	}
	fputs("</g>\n", f);
}

/* One legend swatch: a cell with its label inside. */
static void swatch(FILE *f, int x, int y, int w, const char *fill, const char *label)
{
	fprintf(f, "<g class=\"cell\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"26\" "
		   "fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\" "
		   "text-anchor=\"middle\">",
		x, y, w, fill, x + w / 2, y + 17, text_on(fill));
	xml_text(f, label);
	fputs("</text></g>\n", f);
}

static void legend_text(FILE *f, int x, int y, const char *s)
{
	fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"s\">", x, y + 18);
	xml_text(f, s);
	fputs("</text>\n", f);
}

/* The colour legend along the bottom of the slide. */
static void draw_legend(FILE *f, const char *sfx, int y, bool leaks)
{
	static const char *const signed_label[PAL_SIGNED_COUNT] = {"\xe2\x88\x92max", "", "",
								   "0", "", "", "+max"};
	static const char *const prob_label[PAL_PROB_COUNT] = {"<0.1", "<0.25", "<0.45", "<0.7",
							       "\xe2\x89\xa4" "1"};
	int x = MARGIN;
	fprintf(f, "<g id=\"legend%s\">\n", sfx);
	legend_text(f, x, y, _("scores, h, z:"));
	x += 140;
	for (int k = 0; k < PAL_SIGNED_COUNT; k++, x += 46)
		swatch(f, x, y, 46, palette_signed[k].rgb, signed_label[k]);
	x += 30;
	legend_text(f, x, y, _("weights:"));
	x += 90;
	swatch(f, x, y, 46, ZERO_RGB, "0");
	x += 46;
	for (int k = 0; k < PAL_PROB_COUNT; k++, x += 54)
		swatch(f, x, y, 54, palette_prob[k].rgb, prob_label[k]);
	x += 30;
	swatch(f, x, y, 46, MASKED_RGB, "\xe2\x88\x92\xe2\x88\x9e");
	legend_text(f, x + 54, y, _("masked score"));
	x += 190;
	swatch(f, x, y, 26, PALETTE_MASK_ONE_RGB, "1");
	legend_text(f, x + 34, y, _("mask: may attend"));
	if (leaks)
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"s\" style=\"fill:%s\">%s</text>\n",
			x + 220, y + 18, LEAK_RGB, _("! weight on a later word (a leak: cheating)"));
	fputs("</g>\n", f);
}

static bool any_leak(const av_head_state *hs, int n)
{
	for (int i = 0; i < n; i++)
		if (hs->leak[i] > 0.0f)
			return true;
	return false;
}

/* Every character of s is two columns wide (a CJK ideograph or a
 * full-width mark): Chinese is written without spaces between them. */
static bool all_wide(const char *s)
{
	int chars = 0;
	for (size_t pos = 0, len = strlen(s); pos < len; chars++) {
		unsigned cp;
		int k = av_utf8_decode(s + pos, len - pos, &cp);
		if (k == 0)
			return false;
		pos += (size_t)k;
	}
	return chars > 0 && av_utf8_width(s) == 2 * chars;
}

int export_svg(FILE *f, const av_model *m)
{
	int n = m->n, K = m->cfg.heads;
	const av_config *c = &m->cfg;
	int height = SLIDE_H * K;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		   "viewBox=\"0 0 %d %d\">\n",
		SLIDE_W, height, SLIDE_W, height);
	fputs("<defs><style>\n"
	      /* monospace Latin first, then fonts with the CJK ideographs */
	      "text{font-family:'DejaVu Sans Mono','Noto Sans Mono CJK SC','Noto Sans CJK SC',"
	      "'WenQuanYi Micro Hei Mono','WenQuanYi Zen Hei Mono',monospace}\n"
	      ".T{font-size:30px;font-weight:bold;fill:#222}.s{font-size:16px;fill:#222}\n"
	      ".h{font-size:20px;font-weight:bold;fill:#222}.l{fill:#333}\n"
	      "rect{stroke:#ffffff;stroke-width:1}rect.leak{stroke:" LEAK_RGB ";stroke-width:3}\n"
	      "</style></defs>\n",
	      f);
	fputs("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\" stroke=\"none\"/>\n", f);
	int pw = (SLIDE_W - 2 * MARGIN - 2 * PANEL_GAP) / 3;
	int ph = (SLIDE_H - HEAD_H - LEGEND_H - PANEL_GAP - MARGIN) / 2;
	for (int k = 0; k < K; k++) {
		const av_head_state *hs = &m->head[k];
		int top = k * SLIDE_H;
		char sfx[16] = ""; /* ids unique across the slides of several heads */
		if (K > 1)
			snprintf(sfx, sizeof sfx, "-%d", k + 1);
		fprintf(f, "<g id=\"slide-%d\">\n", k + 1);
		/* the sentence, cut with an ellipsis where the slide ends (30px
		 * monospace: 18 units a column, a Chinese character two); the
		 * title's words come from the catalogue */
		char sentence[AV_MAX_TOKENS * AV_MAX_TOKEN_BYTES + 8], line[sizeof sentence + 256];
		int room = (SLIDE_W - 2 * MARGIN) / 18 - 40, used = 0;
		size_t u = 0;
		sentence[0] = '\0';
		for (int t = 0; t < n; t++) {
			bool space = t > 0 && !(all_wide(m->tokens.text[t - 1]) &&
						all_wide(m->tokens.text[t]));
			int len = av_utf8_width(m->tokens.text[t]) + space;
			if (used + len > room) {
				snprintf(sentence + u, sizeof sentence - u, " \xe2\x80\xa6");
				break;
			}
			u += (size_t)snprintf(sentence + u, sizeof sentence - u, "%s%s",
					      space ? " " : "", m->tokens.text[t]);
			used += len;
		}
		snprintf(line, sizeof line,
			 _("Parallelization of self-attention: \xe2\x80\x9c%s\xe2\x80\x9d"), sentence);
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"T\">", MARGIN, top + 40);
		xml_text(f, line);
		fputs("</text>\n", f);
		char label[96];
		/* two lines: what the slide says, then the settings */
		snprintf(line, sizeof line,
			 _("RNN: %d sequential steps, each waits for the previous \xc2\xb7 attention head "
			   "%d of %d: all %d rows at once in %d batched steps"),
			 av_model_rnn_depth(n), k + 1, K, n, av_model_attn_depth(n));
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"s\">", MARGIN, top + 62);
		xml_text(f, line);
		fputs("</text>\n", f);
		snprintf(line, sizeof line,
			 _("mask %s \xc2\xb7 %s \xc2\xb7 d_model %d \xc2\xb7 d_hidden %d \xc2\xb7 "
			   "positional %s \xc2\xb7 attnviz %s"),
			 av_mask_name(c->mask), av_model_weights_label(m, label, sizeof label),
			 c->d_model, c->d_hidden, c->positional ? _("on") : _("off"), ATTNVIZ_VERSION);
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"s\">", MARGIN, top + 82);
		xml_text(f, line);
		fputs("</text>\n", f);
		char t_scores[64], t_mask[64];
		snprintf(t_scores, sizeof t_scores, _("scores q\xc2\xb7k/\xe2\x88\x9a%d"), m->w.d_head);
		snprintf(t_mask, sizeof t_mask, _("mask (%s)"), av_mask_name(c->mask));
		const svg_panel panels[6] = {
			{"rnn", "RNN h_n = tanh(W_h h_(n-1) + W_e c_n + b)", m->h, n, c->d_hidden,
			 CELLS_SIGNED, false, "h", NULL},
			{"scores", t_scores, hs->scores, n, n, CELLS_SIGNED, true, NULL, NULL},
			{"mask", t_mask, hs->mask, n, n, CELLS_MASK, true, NULL, NULL},
			{"masked", _("masked scores (\xe2\x88\x92\xe2\x88\x9e where the mask is 0)"),
			 hs->masked, n, n, CELLS_SIGNED, true, NULL, NULL},
			{"softmax", _("softmax weights (rows sum to 1)"), hs->weights, n, n, CELLS_PROB,
			 true, NULL, hs->weights},
			{"z", "z_n = \xce\xa3_j w_ij v_j", hs->output, n, m->w.d_head, CELLS_SIGNED,
			 false, "z", NULL},
		};
		for (int p = 0; p < 6; p++)
			draw_panel(f, m, &panels[p], sfx, MARGIN + (p % 3) * (pw + PANEL_GAP),
				   top + HEAD_H + (p / 3) * (ph + PANEL_GAP), pw, ph);
		draw_legend(f, sfx, top + SLIDE_H - LEGEND_H + 10, any_leak(hs, n));
		fputs("</g>\n", f);
	}
	fputs("</svg>\n", f);
	fflush(f);
	return ferror(f) ? -1 : 0;
}
