/* Export: SVG (coloured grids with numbers, in the TUI's palette), Markdown
 * tables, or the --print text; always through a temporary file. */
#include "formats/export.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "attnviz/atomic.h"
#include "attnviz/i18n.h"
#include "attnviz/version.h"
#include "fmt/number.h"
#include "fmt/palette.h"
#include "formats/print.h"

av_status export_format_of(const char *path, export_format *fmt, av_error *err)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	if (dot && (!slash || dot > slash)) {
		if (strcasecmp(dot, ".svg") == 0)
			return *fmt = EXPORT_SVG, AV_OK;
		if (strcasecmp(dot, ".md") == 0)
			return *fmt = EXPORT_MD, AV_OK;
		if (strcasecmp(dot, ".txt") == 0)
			return *fmt = EXPORT_TXT, AV_OK;
	}
	return av_error_set(err, AV_ERR_RANGE,
			    _("cannot export to '%s': unknown extension '%s', allowed .svg, .md, .txt"),
			    path, dot && (!slash || dot > slash) ? dot : "");
}

/* Every character of s is two columns wide (a CJK ideograph or a
 * full-width mark): Chinese is written without spaces. */
static int all_wide(const char *s)
{
	int chars = 0;
	for (size_t pos = 0, len = strlen(s); pos < len; chars++) {
		unsigned cp;
		int k = av_utf8_decode(s + pos, len - pos, &cp);
		if (k == 0)
			return 0;
		pos += (size_t)k;
	}
	return chars > 0 && av_utf8_width(s) == 2 * chars;
}

/* The sentence for the titles: tokens joined by spaces, except between two
 * wide ones ("猫坐在垫子上。", "the cat sat"). */
static void join_tokens(char *buf, size_t len, const av_model *m)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int t = 0; t < m->n && used < len; t++) {
		const char *tok = m->tokens.text[t];
		int space = t > 0 && !(all_wide(m->tokens.text[t - 1]) && all_wide(tok));
		used += (size_t)snprintf(buf + used, len - used, "%s%s", space ? " " : "", tok);
	}
}

/* ---- SVG -------------------------------------------------------------- */

/* The TUI's palette and levels (fmt/palette.h), as RGB. */
#define MASKED_RGB "#ffffff"

static const char *signed_color(float v, float scale)
{
	if (!isfinite(v))
		return MASKED_RGB;
	return palette_signed[palette_signed_of_level(palette_signed_level(v, scale))].rgb;
}

static const char *prob_color(float p)
{
	int c = palette_prob_class_of(p);
	return c < 0 ? MASKED_RGB : palette_prob[c].rgb;
}

/* Text with XML special characters escaped. */
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

static float max_abs(const float *x, int count)
{
	float m = 0.0f;
	for (int i = 0; i < count; i++)
		if (isfinite(x[i]) && fabsf(x[i]) > m)
			m = fabsf(x[i]);
	return m;
}

static void fmt_value(char *buf, size_t len, float v)
{
	fmt_num(buf, len, v, &FMT_SVG, 0, true);
}

enum { CELL_W = 46, CELL_H = 24, LABEL_W = 96, GAP = 40 };

typedef enum { GRID_SIGNED, GRID_PROB, GRID_MASK } grid_kind;

/* One n x n grid with token labels at (x, y); returns its height. */
static int svg_grid(FILE *f, const av_model *m, int x, int y, const char *title, const float *M,
		    grid_kind kind)
{
	int n = m->n;
	float scale = max_abs(M, n * n);
	fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"h\">", x, y + 14);
	xml_text(f, title);
	fputs("</text>\n", f);
	y += 24;
	for (int j = 0; j < n; j++) { /* column labels k_j, token */
		int cx = x + LABEL_W + j * CELL_W + CELL_W / 2;
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"l\" text-anchor=\"middle\">k%d</text>\n",
			cx, y + 10, j + 1);
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"t\" text-anchor=\"middle\">", cx, y + 24);
		xml_text(f, m->tokens.text[j]);
		fputs("</text>\n", f);
	}
	y += 30;
	for (int i = 0; i < n; i++) {
		int cy = y + i * CELL_H;
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"l\">q%d ", x, cy + 16, i + 1);
		xml_text(f, m->tokens.text[i]);
		fputs("</text>\n", f);
		for (int j = 0; j < n; j++) {
			float v = M[i * n + j];
			const char *fill = kind == GRID_PROB   ? prob_color(v)
					   : kind == GRID_MASK ? (v != 0.0f ? PALETTE_MASK_ONE_RGB : MASKED_RGB)
							       : signed_color(v, scale);
			char num[32];
			if (kind == GRID_MASK)
				snprintf(num, sizeof num, "%d", v != 0.0f);
			else
				fmt_value(num, sizeof num, v);
			int cx = x + LABEL_W + j * CELL_W;
			fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
				   "class=\"c\"/>\n",
				cx, cy, CELL_W, CELL_H, fill);
			fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"n\" text-anchor=\"middle\">%s</text>\n",
				cx + CELL_W / 2, cy + 16, num);
		}
	}
	return 24 + 30 + n * CELL_H;
}

/* The RNN chain: one column of cells per h_t, arrows h_{t-1} -> h_t. */
static int svg_rnn(FILE *f, const av_model *m, int x, int y)
{
	int n = m->n, H = m->cfg.d_hidden, shown = H > 16 ? 16 : H;
	float scale = max_abs(m->h, n * H);
	fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"h\">", x, y + 14);
	fprintf(f, _("RNN: h_n = tanh(W_h h_(n-1) + W_e c_n + b) \xe2\x80\x94 %d sequential steps, "
		     "each waits for the previous"),
		av_model_rnn_depth(n));
	fputs("</text>\n", f);
	y += 28;
	int col_w = CELL_W + 30;
	for (int t = 0; t < n; t++) {
		int cx = x + t * col_w;
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"l\" text-anchor=\"middle\">h%d</text>\n",
			cx + CELL_W / 2, y + 10, t + 1);
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"t\" text-anchor=\"middle\">", cx + CELL_W / 2,
			y + 24);
		xml_text(f, m->tokens.text[t]);
		fputs("</text>\n", f);
		for (int k = 0; k < shown; k++) {
			float v = m->h[t * H + k];
			char num[32];
			fmt_value(num, sizeof num, v);
			int cy = y + 30 + k * CELL_H;
			fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
				   "class=\"c\"/>\n",
				cx, cy, CELL_W, CELL_H, signed_color(v, scale));
			fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"n\" text-anchor=\"middle\">%s</text>\n",
				cx + CELL_W / 2, cy + 16, num);
		}
		if (t > 0) {
			int ay = y + 30 + shown * CELL_H / 2;
			fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"a\" "
				   "marker-end=\"url(#arrow)\"/>\n",
				cx - 28, ay, cx - 4, ay);
		}
	}
	int h = 30 + shown * CELL_H;
	if (shown < H) {
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"l\">", x, y + h + 14);
		fprintf(f, _("(first %d of %d components)"), shown, H);
		fputs("</text>\n", f);
		h += 18;
	}
	return 28 + h;
}

int export_svg(FILE *f, const av_model *m)
{
	int n = m->n;
	const av_config *c = &m->cfg;
	int grid_w = LABEL_W + n * CELL_W;
	int rnn_w = n * (CELL_W + 30);
	int width = 40 + (3 * grid_w + 2 * GAP > rnn_w ? 3 * grid_w + 2 * GAP : rnn_w);
	int H = c->d_hidden > 16 ? 16 : c->d_hidden;
	int grid_h = 24 + 30 + n * CELL_H;
	int rnn_h = 28 + 30 + H * CELL_H + (c->d_hidden > 16 ? 18 : 0);
	int height = 70 + rnn_h + GAP + c->heads * (grid_h + 4 + GAP);

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		   "viewBox=\"0 0 %d %d\">\n",
		width, height, width, height);
	fputs("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
	      "markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" "
	      "fill=\"#444\"/></marker>\n<style>\n"
	      /* monospace Latin first, then fonts with the CJK ideographs */
	      "text{font-family:'DejaVu Sans Mono','Noto Sans Mono CJK SC','Noto Sans CJK SC',"
	      "'WenQuanYi Micro Hei Mono','WenQuanYi Zen Hei Mono',monospace;fill:#222}\n"
	      ".T{font-size:18px;font-weight:bold}.s{font-size:12px}.h{font-size:14px;font-weight:bold}\n"
	      ".l{font-size:11px}.t{font-size:11px;fill:#555}.n{font-size:10px}\n"
	      ".c{stroke:#fff;stroke-width:1}.a{stroke:#444;stroke-width:2}\n"
	      "</style></defs>\n",
	      f);
	fputs("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n", f);
	char sentence[AV_MAX_TOKENS * AV_MAX_TOKEN_BYTES + 1];
	join_tokens(sentence, sizeof sentence, m);
	char line[sizeof sentence + 256], label[96];
	snprintf(line, sizeof line, _("Parallelization of self-attention: \xe2\x80\x9c%s\xe2\x80\x9d"),
		 sentence);
	fputs("<text x=\"20\" y=\"30\" class=\"T\">", f);
	xml_text(f, line);
	fputs("</text>\n", f);
	snprintf(line, sizeof line,
		 _("attnviz %s \xc2\xb7 %s \xc2\xb7 d_model %d \xc2\xb7 d_hidden %d \xc2\xb7 "
		   "heads %d \xc2\xb7 mask %s \xc2\xb7 positional %s"),
		 ATTNVIZ_VERSION, av_model_weights_label(m, label, sizeof label), c->d_model,
		 c->d_hidden, c->heads,
		 av_mask_name(c->mask), c->positional ? _("on") : _("off"));
	fputs("<text x=\"20\" y=\"50\" class=\"s\">", f);
	xml_text(f, line);
	fputs("</text>\n", f);

	int y = 70;
	y += svg_rnn(f, m, 20, y) + GAP;
	for (int k = 0; k < c->heads; k++) {
		const av_head_state *hs = &m->head[k];
		char title[128];
		fprintf(f, "<text x=\"20\" y=\"%d\" class=\"h\">", y - 8);
		fprintf(f, _("Attention head %d of %d \xe2\x80\x94 all %d rows at once in %d batched steps"),
			k + 1, c->heads, n, av_model_attn_depth(n));
		fputs("</text>\n", f);
		snprintf(title, sizeof title, _("scores q\xc2\xb7k/\xe2\x88\x9a%d"), m->w.d_head);
		svg_grid(f, m, 20, y + 4, title, hs->scores, GRID_SIGNED);
		snprintf(title, sizeof title, _("mask (%s)"), av_mask_name(c->mask));
		svg_grid(f, m, 20 + grid_w + GAP, y + 4, title, hs->mask, GRID_MASK);
		y += svg_grid(f, m, 20 + 2 * (grid_w + GAP), y + 4, _("softmax (rows sum to 1)"),
			      hs->weights, GRID_PROB) +
		     GAP;
	}
	fputs("</svg>\n", f);
	fflush(f);
	return ferror(f) ? -1 : 0;
}

/* ---- Markdown --------------------------------------------------------- */

static void md_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '\\' || *s == '*' || *s == '_' || *s == '`')
			fputc('\\', f);
		fputc(*s, f);
	}
}

/* s with Markdown's special characters escaped, into buf. */
static void md_escape(char *buf, size_t len, const char *s)
{
	size_t k = 0;
	for (; *s && k + 2 < len; s++) {
		if (*s == '|' || *s == '\\' || *s == '*' || *s == '_' || *s == '`')
			buf[k++] = '\\';
		buf[k++] = *s;
	}
	buf[k] = '\0';
}

static void md_matrix(FILE *f, const av_model *m, const char *title, const float *M, int rows,
		      int cols, const char *row_sym, const char *col_sym, int integer)
{
	fprintf(f, "### %s\n\n|   |", title);
	for (int j = 0; j < cols; j++) {
		if (col_sym) {
			fprintf(f, " %s%d ", col_sym, j + 1);
			md_text(f, m->tokens.text[j]);
			fputs(" |", f);
		} else {
			fprintf(f, " [%d] |", j + 1);
		}
	}
	fputs("\n|---|", f);
	for (int j = 0; j < cols; j++)
		fputs("---:|", f);
	fputc('\n', f);
	for (int i = 0; i < rows; i++) {
		fprintf(f, "| %s%d ", row_sym, i + 1);
		md_text(f, m->tokens.text[i]);
		fputs(" |", f);
		for (int j = 0; j < cols; j++) {
			float v = M[i * cols + j];
			if (integer)
				fprintf(f, " %d |", (int)v);
			else if (isinf(v))
				fputs(" -inf |", f);
			else {
				char num[32];
				fmt_num(num, sizeof num, v, &FMT_TABLE, 0, false);
				fprintf(f, " %s |", num);
			}
		}
		fputc('\n', f);
	}
	fputc('\n', f);
}

int export_markdown(FILE *f, const av_model *m)
{
	const av_config *c = &m->cfg;
	int n = m->n, D = c->d_model, H = c->d_hidden, dh = m->w.d_head;
	char sentence[AV_MAX_TOKENS * AV_MAX_TOKEN_BYTES + 1], escaped[2 * sizeof sentence];
	join_tokens(sentence, sizeof sentence, m);
	md_escape(escaped, sizeof escaped, sentence);
	fputs("# ", f);
	fprintf(f, _("Parallelization of self-attention: \"%s\""), escaped);
	fputs("\n\n", f);
	char label[96];
	fprintf(f, _("attnviz %s; weights %s, d_model %d, d_hidden %d, heads %d (d_head %d), "
		     "mask %s, positional %s."),
		ATTNVIZ_VERSION, av_model_weights_label(m, label, sizeof label), D, H, c->heads, dh,
		av_mask_name(c->mask), c->positional ? _("on") : _("off"));
	fprintf(f, "\n\n## %s\n\n", _("Inputs"));
	md_matrix(f, m, _("Inputs c_n (rows of X)"), m->X, n, D, "c", NULL, 0);
	fprintf(f, "## %s\n\n", _("RNN: h_n = tanh(W_h h_{n-1} + W_e c_n + b)"));
	fprintf(f, _("%d sequential steps: each hidden state waits for the previous one."),
		av_model_rnn_depth(n));
	fputs("\n\n", f);
	md_matrix(f, m, _("Hidden states h_n"), m->h, n, H, "h", NULL, 0);
	for (int k = 0; k < c->heads; k++) {
		const av_head_state *hs = &m->head[k];
		fputs("## ", f);
		fprintf(f, _("Attention head %d of %d"), k + 1, c->heads);
		fputs("\n\n", f);
		fprintf(f, _("All %d rows at once in %d batched steps: no dependency between z_n and "
			     "z_{n-1}."),
			n, av_model_attn_depth(n));
		fputs("\n\n", f);
		md_matrix(f, m, _("Scores q_i . k_j / sqrt(d_head)"), hs->scores, n, n, "q", "k", 0);
		md_matrix(f, m, _("Mask (1 = may attend)"), hs->mask, n, n, "q", "k", 1);
		md_matrix(f, m, _("Masked scores"), hs->masked, n, n, "q", "k", 0);
		md_matrix(f, m, _("Softmax weights (rows sum to 1)"), hs->weights, n, n, "q", "k", 0);
		md_matrix(f, m, _("Output z_n"), hs->output, n, dh, "z", NULL, 0);
		md_matrix(f, m, _("Leaked mass (weights on later words)"), hs->leak, n, 1, "q", NULL, 0);
	}
	fflush(f);
	return ferror(f) ? -1 : 0;
}

/* ---- atomic write ----------------------------------------------------- */

static av_status write_svg(FILE *f, const void *m, av_error *err)
{
	(void)err;
	return export_svg(f, m) ? AV_ERR_IO : AV_OK;
}

static av_status write_md(FILE *f, const void *m, av_error *err)
{
	(void)err;
	return export_markdown(f, m) ? AV_ERR_IO : AV_OK;
}

static av_status write_txt(FILE *f, const void *m, av_error *err)
{
	(void)err;
	return print_model(f, m) ? AV_ERR_IO : AV_OK;
}

av_status export_model(const av_model *m, const char *path, av_error *err)
{
	export_format fmt;
	av_status rc = export_format_of(path, &fmt, err);
	if (rc != AV_OK)
		return rc;
	static const av_write_fn writers[] = { [EXPORT_SVG] = write_svg, [EXPORT_MD] = write_md,
					       [EXPORT_TXT] = write_txt };
	return av_atomic_write(path, _("the export"), writers[fmt], m, err);
}
