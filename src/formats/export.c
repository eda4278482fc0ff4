/* Export: SVG (coloured grids with numbers, in the TUI's palette), Markdown
 * tables, or the --print text; always through a temporary file. */
#include "formats/export.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "attnviz/atomic.h"
#include "attnviz/version.h"
#include "fmt/number.h"
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
			    "cannot export to '%s': unknown extension '%s', allowed .svg, .md, .txt",
			    path, dot && (!slash || dot > slash) ? dot : "");
}

/* ---- SVG: formats/svg.c (export_svg) ---------------------------------- */

/* ---- Markdown --------------------------------------------------------- */

static void md_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|' || *s == '\\' || *s == '*' || *s == '_' || *s == '`')
			fputc('\\', f);
		fputc(*s, f);
	}
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
	fputs("# Parallelization of self-attention: \"", f);
	for (int t = 0; t < n; t++) {
		if (t)
			fputc(' ', f);
		md_text(f, m->tokens.text[t]);
	}
	char label[96];
	fprintf(f, "\"\n\nattnviz %s; weights %s, d_model %d, d_hidden %d, heads %d (d_head %d), "
		   "mask %s, positional %s.\n\n",
		ATTNVIZ_VERSION, av_model_weights_label(m, label, sizeof label), D, H, c->heads, dh,
		av_mask_name(c->mask), c->positional ? "on" : "off");
	fputs("## Inputs\n\n", f);
	md_matrix(f, m, "Inputs c_n (rows of X)", m->X, n, D, "c", NULL, 0);
	fprintf(f, "## RNN: h_n = tanh(W_h h_{n-1} + W_e c_n + b)\n\n%d sequential steps: each "
		   "hidden state waits for the previous one.\n\n",
		av_model_rnn_depth(n));
	md_matrix(f, m, "Hidden states h_n", m->h, n, H, "h", NULL, 0);
	for (int k = 0; k < c->heads; k++) {
		const av_head_state *hs = &m->head[k];
		fprintf(f, "## Attention head %d of %d\n\nAll %d rows at once in %d batched steps: "
			   "no dependency between z_n and z_{n-1}.\n\n",
			k + 1, c->heads, n, av_model_attn_depth(n));
		md_matrix(f, m, "Scores q_i . k_j / sqrt(d_head)", hs->scores, n, n, "q", "k", 0);
		md_matrix(f, m, "Mask (1 = may attend)", hs->mask, n, n, "q", "k", 1);
		md_matrix(f, m, "Masked scores", hs->masked, n, n, "q", "k", 0);
		md_matrix(f, m, "Softmax weights (rows sum to 1)", hs->weights, n, n, "q", "k", 0);
		md_matrix(f, m, "Output z_n", hs->output, n, dh, "z", NULL, 0);
		md_matrix(f, m, "Leaked mass (weights on later words)", hs->leak, n, 1, "q", NULL, 0);
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
	return av_atomic_write(path, "the export", writers[fmt], m, err);
}
