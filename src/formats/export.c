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
	fprintf(f, _("attnviz %s; %s; d_model %d, d_hidden %d, heads %d (d_head %d), mask %s, "
		     "positional %s."),
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
