/* Weight files: the hand-editable text format "attnviz-weights 1" and its
 * version 2 with a language model (vocabulary, E, U/u, W_out/b_out; see
 * assets/weights/FORMAT.md), its parser and its writer. The parser takes a
 * buffer of any bytes (it is fuzzed): it never relies on a NUL terminator or
 * a line-length limit, and every error names the file, the line and what was
 * expected. Numbers are read and written in the "C" locale whatever the
 * program's locale, with 9 significant digits, so a round trip is exact. */
#include "attnviz/weights.h"
#include "attnviz/i18n.h"

#include "attnviz/atomic.h"
#include "attnviz/readfile.h"
#include "attnviz/tokenize.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "attnviz-weights"
#define VERSION 2 /* the newest; version 1 is still read */
#define MAX_NUMBER_CHARS 512           /* longest number field accepted */
#define MAX_FILE_BYTES (64L << 20)     /* av_weights_load refuses larger files */
#define MAX_BLOCKS (3 + 3 * AV_MAX_HEADS + 5)

/* ---- locale ---------------------------------------------------------------- */

/* strtof and printf follow LC_NUMERIC; a front end that calls
 * setlocale(LC_ALL, "") under, say, de_DE would read "0.5" as 0 and write
 * "0,5". We switch this thread to the C numeric locale for the duration of a
 * call (messages keep the user's language). */
typedef struct {
	locale_t c, old;
} c_locale;

static void c_locale_enter(c_locale *l)
{
	/* only the numbers: messages stay in the user's language */
	locale_t base = duplocale(LC_GLOBAL_LOCALE);
	l->c = base ? newlocale(LC_NUMERIC_MASK, "C", base) : (locale_t)0;
	if (!l->c && base)
		freelocale(base);
	l->old = l->c ? uselocale(l->c) : (locale_t)0;
}

static void c_locale_leave(c_locale *l)
{
	if (l->c) {
		uselocale(l->old);
		freelocale(l->c);
	}
}

/* ---- fields and lines --------------------------------------------------------- */

typedef struct {
	const char *s;
	size_t n;
} field;

typedef struct {
	const char *p, *end; /* text not yet read */
	int line;            /* number of the line last read (1-based) */
	const char *name;    /* file name for messages */
	av_error *err;
} reader;

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool field_is(const field *f, const char *s)
{
	size_t n = strlen(s);
	return f->n == n && memcmp(f->s, s, n) == 0;
}

/* Next field of the line [*p, end), or false at the end of the line. A '#'
 * starts a comment that runs to the end of the line, except in a raw field
 * (an embed word), which is every byte up to the next blank. */
static bool next_field(const char **p, const char *end, field *f, bool raw)
{
	const char *q = *p;
	while (q < end && is_blank(*q))
		q++;
	if (q == end || (!raw && *q == '#')) {
		*p = end;
		return false;
	}
	f->s = q;
	while (q < end && !is_blank(*q) && (raw || *q != '#'))
		q++;
	f->n = (size_t)(q - f->s);
	*p = q;
	return true;
}

/* Next line as [*ls, *le) without its '\n'; false at the end of the text. */
static bool next_line(reader *r, const char **ls, const char **le)
{
	if (r->p >= r->end)
		return false;
	const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	*ls = r->p;
	*le = nl ? nl : r->end;
	r->p = nl ? nl + 1 : r->end;
	r->line++;
	return true;
}

/* Next line that holds at least one field (blank and comment lines are
 * skipped); false at the end of the text. */
static bool next_content_line(reader *r, const char **ls, const char **le)
{
	while (next_line(r, ls, le)) {
		const char *p = *ls;
		field f;
		if (next_field(&p, *le, &f, false))
			return true;
	}
	return false;
}

/* A field quoted in a message (out: 48 bytes), through the one sanitizer,
 * so that a hostile file cannot put escape sequences on a terminal. */
static const char *show(const field *f, char *out)
{
	return av_text_show_len(out, 48, f->s, f->n);
}

/* Parse a whole number 0..999999999 written as plain digits; -1 if the
 * field is not one (too many digits count as out of range: 1000000000). */
static long parse_count(const field *f)
{
	if (f->n == 0)
		return -1;
	long v = 0;
	for (size_t i = 0; i < f->n; i++) {
		if (f->s[i] < '0' || f->s[i] > '9')
			return -1;
		if (i >= 9)
			return 1000000000L;
		v = v * 10 + (f->s[i] - '0');
	}
	return v;
}

/* Parse one float field (what names it in messages: "W_e row 2"). */
static av_status parse_float(reader *r, const field *f, float *out, const char *what)
{
	char buf[MAX_NUMBER_CHARS + 1], shown[48];
	if (f->n > MAX_NUMBER_CHARS)
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: %s: number '%s' is longer than %d characters"),
				    r->name, r->line, what, show(f, shown), MAX_NUMBER_CHARS);
	memcpy(buf, f->s, f->n);
	buf[f->n] = '\0';
	char *endp;
	errno = 0;
	float v = strtof(buf, &endp);
	if (f->n == 0 || endp != buf + f->n || is_blank(buf[0]))
		return av_error_set(r->err, AV_ERR_PARSE, _("%s:%d: %s: '%s' is not a number"),
				    r->name, r->line, what, show(f, shown));
	if (!isfinite(v)) {
		if (errno == ERANGE)
			return av_error_set(r->err, AV_ERR_PARSE,
					    _("%s:%d: %s: %s is too large for a float (at most about 3.4e38)"),
					    r->name, r->line, what, show(f, shown));
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: %s: '%s' is not a finite number (nan and inf are not allowed)"),
				    r->name, r->line, what, show(f, shown));
	}
	*out = v; /* underflow gives 0 or a subnormal: accepted */
	return AV_OK;
}

/* ---- blocks -------------------------------------------------------------------- */

typedef struct {
	char name[16];     /* "W_e", "b", "W_q.3" */
	int rows, cols;    /* cols = 0: a vector of rows numbers */
	const char *shape; /* "d_hidden x d_model" */
	float *data;
	int line;          /* where it was given, 0 if not yet */
} block;

typedef struct {
	reader r;
	av_weights w;
	bool allocated;
	int version;     /* 1 or 2 */
	int dim[3];      /* d_model, d_hidden, heads; 0 = not given */
	int dim_line[3];
	int vocab_line;  /* version 2: where "vocab N" was, 0 if not yet */
	int setting_line[3]; /* positional, mask, steps */
	int setting[3];      /* their values, put in w at the end */
	block blocks[MAX_BLOCKS];
	int n_blocks;
	int word_line[AV_MAX_WORDS];
	int words_cap;   /* rows allocated in w.word_vec */
} parser;

static const char *const dim_names[3] = { "d_model", "d_hidden", "heads" };

static void add_block(parser *ps, const char *name, int rows, int cols, const char *shape,
		      float *data)
{
	block *b = &ps->blocks[ps->n_blocks++];
	snprintf(b->name, sizeof b->name, "%s", name);
	b->rows = rows;
	b->cols = cols;
	b->shape = shape;
	b->data = data;
	b->line = 0;
}

static block *find_block(parser *ps, const field *f)
{
	for (int i = 0; i < ps->n_blocks; i++)
		if (field_is(f, ps->blocks[i].name))
			return &ps->blocks[i];
	return NULL;
}

/* Is f the name a line of the format starts with (used to explain a block
 * that ends early)? */
static bool is_keyword(const field *f)
{
	static const char *const words[] = { "W_e", "W_h", "b", "embed", "d_model", "d_hidden",
					     "heads" };
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (field_is(f, words[i]))
			return true;
	static const char *const words2[] = { "vocab", "E", "U", "u", "W_out", "b_out",
					      "positional", "mask", "steps" };
	for (size_t i = 0; i < sizeof words2 / sizeof *words2; i++)
		if (field_is(f, words2[i]))
			return true;
	return f->n > 4 && (memcmp(f->s, "W_q.", 4) == 0 || memcmp(f->s, "W_k.", 4) == 0 ||
			    memcmp(f->s, "W_v.", 4) == 0);
}

/* "d_model, d_hidden and heads" style list of the dims still missing. */
static void missing_dims(const parser *ps, char *out, size_t size)
{
	const char *miss[3] = { "", "", "" };
	int n = 0;
	for (int i = 0; i < 3; i++)
		if (!ps->dim[i])
			miss[n++] = dim_names[i];
	if (n == 1)
		snprintf(out, size, "%s", miss[0]);
	else if (n == 2)
		snprintf(out, size, _("%s and %s"), miss[0], miss[1]);
	else
		snprintf(out, size, _("%s, %s and %s"), miss[0], miss[1], miss[2]);
}

/* All three dims are known: check them and allocate the weights. */
static av_status start_weights(parser *ps)
{
	reader *r = &ps->r;
	int D = ps->dim[0], H = ps->dim[1], K = ps->dim[2];
	if (D % K != 0)
		return av_error_set(r->err, AV_ERR_SHAPE,
				    _("%s:%d: heads %d does not divide d_model %d (each head takes "
				    "d_model / heads columns)"),
				    r->name, r->line, K, D);
	av_error e;
	if (av_weights_check_dims(D, H, K, &e) != AV_OK)
		return av_error_set(r->err, e.code, _("%s:%d: %s"), r->name, r->line, e.msg);
	if (av_weights_alloc(&ps->w, D, H, K, &e) != AV_OK)
		return av_error_set(r->err, e.code, _("%s:%d: %s"), r->name, r->line, e.msg);
	ps->allocated = true;
	ps->words_cap = 0;
	free(ps->w.word_vec); /* we grow it ourselves, as embeddings come */
	ps->w.word_vec = NULL;
	ps->w.n_words = 0;

	add_block(ps, "W_e", H, D, "d_hidden x d_model", ps->w.W_e);
	add_block(ps, "W_h", H, H, "d_hidden x d_hidden", ps->w.W_h);
	add_block(ps, "b", H, 0, "d_hidden", ps->w.b);
	for (int k = 0; k < K; k++) {
		char name[16];
		snprintf(name, sizeof name, "W_q.%d", k);
		add_block(ps, name, D, ps->w.d_head, "d_model x d_head", ps->w.W_q[k]);
		snprintf(name, sizeof name, "W_k.%d", k);
		add_block(ps, name, D, ps->w.d_head, "d_model x d_head", ps->w.W_k[k]);
		snprintf(name, sizeof name, "W_v.%d", k);
		add_block(ps, name, D, ps->w.d_head, "d_model x d_head", ps->w.W_v[k]);
	}
	return AV_OK;
}

/* "d_model 4": one dim line; p points after the keyword. */
static av_status read_dim(parser *ps, int which, const char *p, const char *le)
{
	reader *r = &ps->r;
	const char *dname = dim_names[which];
	int max = which == 2 ? AV_MAX_HEADS : AV_MAX_DIM;
	char shown[48];
	field f;
	if (ps->dim[which])
		return av_error_set(r->err, AV_ERR_PARSE, _("%s:%d: %s given twice (first on line %d)"),
				    r->name, r->line, dname, ps->dim_line[which]);
	if (!next_field(&p, le, &f, false))
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: %s needs a value: expected '%s N' with N in 1..%d"),
				    r->name, r->line, dname, dname, max);
	long v = parse_count(&f);
	if (v < 0)
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: %s: '%s' is not a whole number, expected 1..%d"), r->name,
				    r->line, dname, show(&f, shown), max);
	if (v < 1 || v > max)
		return av_error_set(r->err, AV_ERR_RANGE, _("%s:%d: %s %s is out of range, expected 1..%d"),
				    r->name, r->line, dname, show(&f, shown), max);
	if (next_field(&p, le, &f, false))
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: unexpected '%s' after '%s %ld' (one value per line)"),
				    r->name, r->line, show(&f, shown), dname, v);
	ps->dim[which] = (int)v;
	ps->dim_line[which] = r->line;
	if (ps->dim[0] && ps->dim[1] && ps->dim[2])
		return start_weights(ps);
	return AV_OK;
}

/* Read one row of exactly cols numbers from the next content line into dst.
 * what names the row in messages ("W_e row 2", "b", "embed 'cat'"); owner
 * and row/rows explain a block that ends early. */
static av_status read_row(parser *ps, float *dst, int cols, const char *what, const char *owner,
			  int row, int rows, const char *cols_what)
{
	reader *r = &ps->r;
	const char *ls, *le;
	char shown[48];
	if (!next_content_line(r, &ls, &le)) {
		if (rows > 1)
			return av_error_set(r->err, AV_ERR_PARSE,
					    _("%s:%d: file ends inside %s: got %d of %d rows, expected "
					    "row %d of %d numbers"),
					    r->name, r->line, owner, row, rows, row + 1, cols);
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: file ends inside %s: expected a line of %d numbers"),
				    r->name, r->line, owner, cols);
	}
	const char *p = ls;
	field f;
	int count = 0;
	while (next_field(&p, le, &f, false)) {
		if (count == 0 && is_keyword(&f)) {
			if (rows > 1)
				return av_error_set(r->err, AV_ERR_PARSE,
						    _("%s:%d: %s ends after %d of %d rows: found '%s', "
						    "expected row %d of %d numbers"),
						    r->name, r->line, owner, row, rows,
						    show(&f, shown), row + 1, cols);
			return av_error_set(r->err, AV_ERR_PARSE,
					    _("%s:%d: %s has no numbers: found '%s', expected a "
					    "line of %d numbers"),
					    r->name, r->line, owner, show(&f, shown), cols);
		}
		float v = 0.0f;
		av_status st = parse_float(r, &f, &v, what);
		if (st != AV_OK)
			return st;
		if (count < cols)
			dst[count] = v;
		count++;
	}
	if (count != cols)
		return av_error_set(r->err, AV_ERR_PARSE,
				    count == 1 ? _("%s:%d: %s has %d number, expected %d (%s)")
					       : _("%s:%d: %s has %d numbers, expected %d (%s)"),
				    r->name, r->line, what, count, cols, cols_what);
	return AV_OK;
}

/* "W_e 4 4" or "b 4" and the rows that follow; p points after the name. */
static av_status read_block(parser *ps, block *b, const char *p, const char *le)
{
	reader *r = &ps->r;
	char shown[48], expect[32];
	field f[2], extra;
	int want = b->cols ? 2 : 1, got = 0;
	long v[2] = { 0, 0 };
	if (b->cols)
		snprintf(expect, sizeof expect, "%s %d %d", b->name, b->rows, b->cols);
	else
		snprintf(expect, sizeof expect, "%s %d", b->name, b->rows);
	if (b->line)
		return av_error_set(r->err, AV_ERR_PARSE, _("%s:%d: %s given twice (first on line %d)"),
				    r->name, r->line, b->name, b->line);
	while (got < want && next_field(&p, le, &f[got], false)) {
		v[got] = parse_count(&f[got]);
		if (v[got] < 0)
			return av_error_set(r->err, AV_ERR_PARSE,
					    _("%s:%d: %s: '%s' is not a whole number, expected '%s'"),
					    r->name, r->line, b->name, show(&f[got], shown), expect);
		got++;
	}
	if (got < want)
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: %s needs its %s, expected '%s'"), r->name, r->line,
				    b->name, b->cols ? "shape (rows cols)" : "length", expect);
	/* the sizes as written: a huge one is named, not its capped value */
	char shown2[48];
	if (b->cols && (v[0] != b->rows || v[1] != b->cols))
		return av_error_set(r->err, AV_ERR_SHAPE, _("%s:%d: %s is %sx%s, expected %dx%d (%s)"),
				    r->name, r->line, b->name, show(&f[0], shown),
				    show(&f[1], shown2), b->rows, b->cols, b->shape);
	if (!b->cols && v[0] != b->rows)
		return av_error_set(r->err, AV_ERR_SHAPE, _("%s:%d: %s has length %s, expected %d (%s)"),
				    r->name, r->line, b->name, show(&f[0], shown), b->rows, b->shape);
	if (next_field(&p, le, &extra, false))
		return av_error_set(r->err, AV_ERR_PARSE,
				    b->cols ? _("%s:%d: unexpected '%s' after '%s': the numbers go on "
						"the next lines, one row per line")
					    : _("%s:%d: unexpected '%s' after '%s': the numbers go on "
						"the next line"),
				    r->name, r->line, show(&extra, shown), expect);
	b->line = r->line;
	if (!b->cols)
		return read_row(ps, b->data, b->rows, b->name, b->name, 0, 1, b->shape);
	const char *cols_what = strchr(b->shape, 'x') + 2; /* "d_model" of "d_hidden x d_model" */
	for (int i = 0; i < b->rows; i++) {
		char what[32];
		snprintf(what, sizeof what, _("%s row %d"), b->name, i + 1);
		av_status st = read_row(ps, b->data + (size_t)i * (size_t)b->cols, b->cols, what,
					b->name, i, b->rows, cols_what);
		if (st != AV_OK)
			return st;
	}
	return AV_OK;
}

/* "embed WORD N" and its line of N numbers; p points after "embed". */
static av_status read_embed(parser *ps, const char *p, const char *le)
{
	reader *r = &ps->r;
	av_weights *w = &ps->w;
	char shown[48], word[AV_MAX_TOKEN_BYTES], what[AV_MAX_TOKEN_BYTES + 16];
	field f, nf;
	int D = w->d_model;
	if (!next_field(&p, le, &f, true))
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: embed needs a word and a length, expected 'embed WORD %d'"),
				    r->name, r->line, D);
	if (f.n > AV_MAX_TOKEN_BYTES - 1)
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: embed word '%s' is %zu bytes, at most %d allowed"),
				    r->name, r->line, show(&f, shown), f.n, AV_MAX_TOKEN_BYTES - 1);
	for (size_t i = 0; i < f.n;) {
		unsigned cp;
		int k = av_utf8_decode(f.s + i, f.n - i, &cp);
		if (k == 0)
			return av_error_set(r->err, AV_ERR_PARSE,
					    _("%s:%d: embed word '%s': invalid UTF-8 at byte %zu of the word"),
					    r->name, r->line, show(&f, shown), i);
		i += (size_t)k;
	}
	memcpy(word, f.s, f.n);
	word[f.n] = '\0';

	/* The word must be one token exactly as the tokenizer makes it, or it
	 * could never be used. */
	av_tokens toks;
	av_error te;
	av_status ts = av_tokenize(&toks, word, f.n, &te);
	if (ts != AV_OK || toks.n != 1 ||
	    strcmp(toks.text[0], word) != 0) {
		/* why and made together say it, in one translatable phrase */
		const char *why = _("it is not a token the tokenizer makes");
		char made[AV_MAX_TOKEN_BYTES + 128];
		made[0] = '\0';
		if (ts == AV_OK && toks.n > 1) {
			why = "";
			snprintf(made, sizeof made, _("the tokenizer splits it into %d tokens"), toks.n);
		} else if (ts == AV_OK && toks.n == 1) {
			field tf = { toks.text[0], strlen(toks.text[0]) };
			char tshown[48];
			why = "";
			snprintf(made, sizeof made, _("the tokenizer turns it into '%s'"),
				 show(&tf, tshown));
		}
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: embed word '%s' can never match: %s%s; expected one "
				    "token as the tokenizer writes it (lower-case, punctuation apart)"),
				    r->name, r->line, show(&f, shown), why, made);
	}
	for (int i = 0; i < w->n_words; i++)
		if (strcmp(w->word[i], word) == 0)
			return av_error_set(r->err, AV_ERR_PARSE,
					    _("%s:%d: embed '%s' given twice (first on line %d)"), r->name,
					    r->line, show(&f, shown), ps->word_line[i]);
	if (w->n_words >= AV_MAX_WORDS)
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: embed '%s': more than %d embeddings, at most %d allowed"),
				    r->name, r->line, show(&f, shown), AV_MAX_WORDS, AV_MAX_WORDS);
	if (!next_field(&p, le, &nf, false))
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: embed '%s' needs its length, expected 'embed %s %d'"),
				    r->name, r->line, show(&f, shown), show(&f, shown), D);
	long len = parse_count(&nf);
	if (len < 0)
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: embed '%s': '%s' is not a whole number, expected %d (d_model)"),
				    r->name, r->line, show(&f, shown), show(&nf, what), D);
	if (len != D)
		return av_error_set(r->err, AV_ERR_SHAPE,
				    _("%s:%d: embed '%s' has length %s, expected %d (d_model)"), r->name,
				    r->line, show(&f, shown), show(&nf, what), D);
	if (next_field(&p, le, &nf, false))
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: unexpected '%s' after 'embed %s %d': the numbers go on the "
				    "next line"),
				    r->name, r->line, show(&nf, what), show(&f, shown), D);

	if (w->n_words == ps->words_cap) {
		int cap = ps->words_cap ? 2 * ps->words_cap : 8;
		if (cap > AV_MAX_WORDS)
			cap = AV_MAX_WORDS;
		float *grown = realloc(w->word_vec, (size_t)cap * (size_t)D * sizeof *grown);
		if (!grown)
			return av_error_set(r->err, AV_ERR_NOMEM,
					    _("%s:%d: out of memory for %d embeddings"), r->name, r->line,
					    cap);
		w->word_vec = grown;
		ps->words_cap = cap;
	}
	int line = r->line;
	snprintf(what, sizeof what, "embed '%s'", show(&f, shown));
	av_status st = read_row(ps, w->word_vec + (size_t)w->n_words * (size_t)D, D, what, what, 0,
				1, "d_model");
	if (st != AV_OK)
		return st;
	memcpy(w->word[w->n_words], word, f.n + 1);
	ps->word_line[w->n_words] = line;
	w->n_words++;
	return AV_OK;
}

/* "attnviz-weights 1" on the first line. */
static av_status read_magic(reader *r, int *version)
{
	const char *ls, *le, *p;
	char shown[48];
	field f;
	bool have = next_line(r, &ls, &le);
	p = have ? ls : r->end;
	le = have ? le : r->end;
	if (!have || !next_field(&p, le, &f, false) || !field_is(&f, MAGIC)) {
		const char *hint = "";
		if (have && le > ls && ls[0] == '{')
			hint = _(" (this looks like JSON: --json dumps cannot be loaded, "
				 "use --save-weights to write a weight file)");
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: not an attnviz weight file, expected '%s 1' or '%s 2' as "
				    "the first line%s"),
				    r->name, have ? r->line : 1, MAGIC, MAGIC, hint);
	}
	if (!next_field(&p, le, &f, false))
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: the version is missing, expected '%s 1' or '%s 2'"), r->name,
				    r->line, MAGIC, MAGIC);
	long v = parse_count(&f);
	if (f.n > 1 && f.s[0] == '0') /* "01" is not how version 1 is written */
		v = -1;
	if (v != 1 && v != 2)
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: weight file version '%s' is not supported: this attnviz "
				    "reads versions 1 and 2%s"),
				    r->name, r->line, show(&f, shown),
				    v > VERSION ? _(" (the file comes from a newer attnviz)") : "");
	*version = (int)v;
	if (next_field(&p, le, &f, false))
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: unexpected '%s' after '%s %ld'"), r->name, r->line,
				    show(&f, shown), MAGIC, v);
	return AV_OK;
}

/* "positional 0|1", "mask KIND", "steps N" (version 2): how the model was
 * trained. */
static av_status read_setting(parser *ps, int which, const char *p, const char *le)
{
	static const char *const names[3] = { "positional", "mask", "steps" };
	static const char *const expect[3] = { N_("0 or 1"), N_("causal, none, strict or future"),
					       N_("a whole number 0..999999999") };
	reader *r = &ps->r;
	char shown[48], word[48];
	field f, extra;
	if (ps->setting_line[which])
		return av_error_set(r->err, AV_ERR_PARSE, _("%s:%d: %s given twice (first on line %d)"),
				    r->name, r->line, names[which], ps->setting_line[which]);
	if (!next_field(&p, le, &f, false))
		return av_error_set(r->err, AV_ERR_PARSE, _("%s:%d: %s needs a value: expected %s"),
				    r->name, r->line, names[which], _(expect[which]));
	long v = parse_count(&f);
	int mask = -1;
	if (which == 1 && f.n < sizeof word) {
		memcpy(word, f.s, f.n);
		word[f.n] = '\0';
		av_mask_kind k;
		if (av_mask_parse(word, &k) == 0)
			mask = (int)k;
	}
	if ((which == 0 && v != 0 && v != 1) || (which == 1 && mask < 0) ||
	    (which == 2 && (v < 0 || v > 999999999)))
		return av_error_set(r->err, AV_ERR_PARSE, _("%s:%d: %s '%s': expected %s"), r->name,
				    r->line, names[which], show(&f, shown), _(expect[which]));
	if (next_field(&p, le, &extra, false))
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: unexpected '%s' after '%s %s' (one value per line)"),
				    r->name, r->line, show(&extra, shown), names[which], show(&f, word));
	ps->setting_line[which] = r->line;
	ps->setting[which] = which == 1 ? mask : (int)v;
	return AV_OK;
}

/* "vocab N" then N lines of one word each: "<unk>" first, then words as
 * the tokenizer writes them, each once. Every byte of a word line counts
 * ('#' is a word here, as the tokenizer makes it one). */
static av_status read_vocab(parser *ps, const char *p, const char *le)
{
	reader *r = &ps->r;
	char shown[48];
	field f;
	if (ps->vocab_line)
		return av_error_set(r->err, AV_ERR_PARSE, _("%s:%d: vocab given twice (first on line %d)"),
				    r->name, r->line, ps->vocab_line);
	if (!next_field(&p, le, &f, false))
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: vocab needs its size: expected 'vocab N' with N in 2..%d"),
				    r->name, r->line, AV_MAX_VOCAB_FILE);
	long V = parse_count(&f);
	if (V < 2 || V > AV_MAX_VOCAB_FILE)
		return av_error_set(r->err, AV_ERR_RANGE,
				    _("%s:%d: vocab '%s': expected a whole number 2..%d"), r->name,
				    r->line, show(&f, shown), AV_MAX_VOCAB_FILE);
	if (next_field(&p, le, &f, false))
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: unexpected '%s' after 'vocab %ld': the words go on the "
				    "next lines, one a line"),
				    r->name, r->line, show(&f, shown), V);
	av_error e;
	if (av_weights_alloc_lm(&ps->w, (int)V, &e) != AV_OK) {
		ps->allocated = false; /* av_weights_alloc_lm freed everything */
		return av_error_set(r->err, e.code, _("%s:%d: %s"), r->name, r->line, e.msg);
	}
	ps->vocab_line = r->line;
	av_vocab seen;
	if (av_vocab_init(&seen, &e) != AV_OK)
		return av_error_set(r->err, e.code, _("%s:%d: %s"), r->name, r->line, e.msg);
	av_status st = AV_OK;
	for (long i = 0; i < V && st == AV_OK; i++) {
		const char *ls, *lend;
		if (!next_line(r, &ls, &lend)) {
			st = av_error_set(r->err, AV_ERR_PARSE,
					  _("%s:%d: file ends inside vocab: got %ld of %ld words"),
					  r->name, r->line, i, V);
			break;
		}
		const char *q = ls;
		field wf, extra;
		char word_shown[48];
		if (!next_field(&q, lend, &wf, true)) {
			st = av_error_set(r->err, AV_ERR_PARSE,
					  _("%s:%d: vocab word %ld of %ld is missing: expected one word "
					  "on this line"),
					  r->name, r->line, i + 1, V);
			break;
		}
		if (next_field(&q, lend, &extra, true)) {
			st = av_error_set(r->err, AV_ERR_PARSE,
					  _("%s:%d: unexpected '%s' after vocab word '%s': one word a line"),
					  r->name, r->line, show(&extra, shown), show(&wf, word_shown));
			break;
		}
		char word[AV_MAX_TOKEN_BYTES];
		bool ok = wf.n < AV_MAX_TOKEN_BYTES;
		if (ok) {
			memcpy(word, wf.s, wf.n);
			word[wf.n] = '\0';
		}
		if (i == 0) {
			if (!ok || strcmp(word, AV_UNK) != 0)
				st = av_error_set(r->err, AV_ERR_PARSE,
						  _("%s:%d: vocab word 1 is '%s': expected '%s' (id 0, "
						  "every word outside the vocabulary)"),
						  r->name, r->line, show(&wf, shown), AV_UNK);
		} else {
			av_tokens toks;
			av_error te;
			if (!ok || av_tokenize(&toks, word, wf.n, &te) != AV_OK || toks.n != 1 ||
			    strcmp(toks.text[0], word) != 0)
				st = av_error_set(r->err, AV_ERR_PARSE,
						  _("%s:%d: vocab word '%s' can never match: expected "
						  "one token as the tokenizer writes it (lower-case, "
						  "punctuation apart)"),
						  r->name, r->line, show(&wf, shown));
		}
		if (st != AV_OK)
			break;
		int before = seen.n, id;
		if (i > 0 && av_vocab_add(&seen, &id, word, &e) == AV_OK && seen.n == before)
			st = av_error_set(r->err, AV_ERR_PARSE,
					  _("%s:%d: vocab word '%s' given twice (as word %d): each word "
					  "once"),
					  r->name, r->line, show(&wf, shown), id + 1);
		else
			memcpy(ps->w.vocab[i], word, wf.n + 1);
	}
	av_vocab_free(&seen);
	if (st != AV_OK)
		return st;
	av_weights *w = &ps->w;
	add_block(ps, "E", (int)V, w->d_model, "vocab x d_model", w->E);
	add_block(ps, "U", w->d_hidden, (int)V, "d_hidden x vocab", w->U);
	add_block(ps, "u", (int)V, 0, "vocab", w->u);
	add_block(ps, "W_out", w->d_model, (int)V, "d_model x vocab", w->W_out);
	add_block(ps, "b_out", (int)V, 0, "vocab", w->b_out);
	return AV_OK;
}

static av_status parse_body(parser *ps)
{
	reader *r = &ps->r;
	const char *ls, *le;
	char shown[48], miss[48];
	av_status st = read_magic(r, &ps->version);
	if (st != AV_OK)
		return st;
	while (next_content_line(r, &ls, &le)) {
		const char *p = ls;
		field f;
		next_field(&p, le, &f, false);
		int which = field_is(&f, "d_model") ? 0 : field_is(&f, "d_hidden") ? 1
						    : field_is(&f, "heads")    ? 2
									       : -1;
		int setting = field_is(&f, "positional") ? 0 : field_is(&f, "mask") ? 1
			      : field_is(&f, "steps")                        ? 2
									     : -1;
		bool v2_name = field_is(&f, "vocab") || setting >= 0 || field_is(&f, "E") ||
			       field_is(&f, "U") || field_is(&f, "u") || field_is(&f, "W_out") ||
			       field_is(&f, "b_out");
		if (v2_name && ps->version == 1) {
			st = av_error_set(r->err, AV_ERR_PARSE,
					  _("%s:%d: '%s' belongs to version 2 of the format, but the "
					  "first line says version 1: expected 'attnviz-weights 2'"),
					  r->name, r->line, show(&f, shown));
		} else if (field_is(&f, "embed") && ps->version == 2) {
			st = av_error_set(r->err, AV_ERR_PARSE,
					  _("%s:%d: embed is a version-1 line: a version-2 file gives "
					  "the inputs as E, one row per vocabulary word"),
					  r->name, r->line);
		} else if (which >= 0) {
			st = read_dim(ps, which, p, le);
		} else if (setting >= 0) {
			st = read_setting(ps, setting, p, le);
		} else if (field_is(&f, "vocab") && ps->allocated) {
			st = read_vocab(ps, p, le);
		} else if (ps->version == 2 && ps->allocated && !ps->vocab_line && v2_name) {
			st = av_error_set(r->err, AV_ERR_PARSE,
					  _("%s:%d: %s comes before vocab is given: a version-2 file "
					  "gives 'vocab N' and its words before E, U, u, W_out and b_out"),
					  r->name, r->line, show(&f, shown));
		} else if (!ps->allocated && (is_keyword(&f))) {
			missing_dims(ps, miss, sizeof miss);
			st = av_error_set(r->err, AV_ERR_PARSE,
					  strchr(miss, ' ')
						  ? _("%s:%d: %s comes before %s are given: a weight file "
						      "gives d_model, d_hidden and heads first")
						  : _("%s:%d: %s comes before %s is given: a weight file "
						      "gives d_model, d_hidden and heads first"),
					  r->name, r->line, show(&f, shown), miss);
		} else if (field_is(&f, "embed")) {
			st = read_embed(ps, p, le);
		} else if (ps->allocated && find_block(ps, &f)) {
			st = read_block(ps, find_block(ps, &f), p, le);
		} else if (ps->allocated && is_keyword(&f)) { /* W_q.N with N not a head */
			st = av_error_set(r->err, AV_ERR_SHAPE,
					  _("%s:%d: no matrix '%s': heads is %d, so heads are numbered "
					  "0..%d (W_q.0 .. W_q.%d)"),
					  r->name, r->line, show(&f, shown), ps->dim[2], ps->dim[2] - 1,
					  ps->dim[2] - 1);
		} else {
			char *endp;
			char buf[MAX_NUMBER_CHARS + 1];
			bool number = f.n <= MAX_NUMBER_CHARS;
			if (number) {
				memcpy(buf, f.s, f.n);
				buf[f.n] = '\0';
				(void)strtof(buf, &endp);
				number = endp == buf + f.n && endp != buf;
			}
			if (number)
				st = av_error_set(r->err, AV_ERR_PARSE,
						  _("%s:%d: unexpected number '%s', expected a name: "
						  "does the block above have more rows than its "
						  "header says?"),
						  r->name, r->line, show(&f, shown));
			else
				st = av_error_set(r->err, AV_ERR_PARSE,
						  _("%s:%d: unknown name '%s', expected d_model, "
						  "d_hidden, heads, W_e, W_h, b, W_q.K, W_k.K, W_v.K "
						  "or %s"),
						  r->name, r->line, show(&f, shown),
						  ps->version == 2 ? "vocab, E, U, u, W_out, b_out, "
								     "positional, mask, steps"
								   : "embed");
		}
		if (st != AV_OK)
			return st;
	}
	if (!ps->allocated) {
		missing_dims(ps, miss, sizeof miss);
		return av_error_set(r->err, AV_ERR_PARSE,
				    strchr(miss, ' ')
					    ? _("%s:%d: file ends before %s are given (expected d_model, "
						"d_hidden and heads, then the matrices)")
					    : _("%s:%d: file ends before %s is given (expected d_model, "
						"d_hidden and heads, then the matrices)"),
				    r->name, r->line, miss);
	}
	if (ps->version == 2 && !ps->vocab_line)
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: file ends without vocab: a version-2 file gives 'vocab N' "
				    "and N words, one a line, after heads"),
				    r->name, r->line);
	char list[200] = "";
	size_t used = 0;
	int n_missing = 0;
	for (int i = 0; i < ps->n_blocks; i++) {
		const block *b = &ps->blocks[i];
		if (b->line)
			continue;
		if (n_missing == 0) {
			if (b->cols)
				snprintf(list, sizeof list, "%s %d %d (%s)", b->name, b->rows,
					 b->cols, b->shape);
			else
				snprintf(list, sizeof list, "%s %d (%s)", b->name, b->rows, b->shape);
			used = strlen(list);
		} else if (used < sizeof list) {
			used += (size_t)snprintf(list + used, sizeof list - used, ", %s", b->name);
		}
		n_missing++;
	}
	if (n_missing)
		return av_error_set(r->err, AV_ERR_PARSE,
				    _("%s:%d: file ends without %s: every matrix is required"), r->name,
				    r->line, list);
	return AV_OK;
}

av_status av_weights_parse(av_weights *w, const char *text, size_t len, const char *name,
			   av_error *err)
{
	parser *ps = calloc(1, sizeof *ps);
	if (!ps) {
		memset(w, 0, sizeof *w);
		return av_error_set(err, AV_ERR_NOMEM, _("%s: out of memory"), name);
	}
	ps->r.p = text;
	ps->r.end = text + len;
	ps->r.name = name;
	ps->r.err = err;

	av_status st = AV_OK;
	const char *nul = memchr(text, '\0', len);
	if (nul) {
		int line = 1;
		for (const char *q = text; q < nul; q++)
			line += *q == '\n';
		st = av_error_set(err, AV_ERR_PARSE,
				  _("%s:%d: NUL byte at offset %zu: a weight file is text"), name, line,
				  (size_t)(nul - text));
	} else {
		if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
			ps->r.p += 3; /* a UTF-8 byte order mark, as some editors write */
		c_locale loc;
		c_locale_enter(&loc);
		st = parse_body(ps);
		c_locale_leave(&loc);
	}
	if (st == AV_OK) {
		if (ps->setting_line[0])
			ps->w.positional = ps->setting[0];
		if (ps->setting_line[1])
			ps->w.trained_mask = ps->setting[1];
		if (ps->setting_line[2])
			ps->w.trained_steps = ps->setting[2];
		*w = ps->w;
	} else {
		if (ps->allocated)
			av_weights_free(&ps->w);
		memset(w, 0, sizeof *w);
	}
	free(ps);
	return st;
}

/* ---- loading -------------------------------------------------------------------- */

av_status av_weights_load(av_weights *w, const char *path, av_error *err)
{
	memset(w, 0, sizeof *w);
	/* only a regular file: a FIFO or device would block (attnviz/readfile.h) */
	char *buf;
	size_t len;
	switch (av_read_regular(&buf, &len, path, (size_t)MAX_FILE_BYTES)) {
	case AV_FILE_REGULAR:
		break;
	case AV_FILE_DIRECTORY:
		return av_error_set(err, AV_ERR_IO, _("%s: is a directory, expected a weight file"),
				    path);
	case AV_FILE_OTHER:
		return av_error_set(err, AV_ERR_IO,
				    _("%s: not a regular file (a FIFO, device or socket), expected a "
				    "weight file"),
				    path);
	case AV_FILE_TOO_LARGE:
		if (len > 0)
			return av_error_set(err, AV_ERR_IO,
					    _("%s: file is %lld bytes, larger than the %ld MiB limit for weight files"),
					    path, (long long)len, MAX_FILE_BYTES >> 20);
		return av_error_set(err, AV_ERR_IO,
				    _("%s: file is larger than the %ld MiB limit for weight files"), path,
				    MAX_FILE_BYTES >> 20);
	case AV_FILE_NOMEM:
		return av_error_set(err, AV_ERR_NOMEM, _("%s: out of memory"), path);
	case AV_FILE_READ_ERROR:
		return av_error_set(err, AV_ERR_IO, _("%s: cannot read weight file: %s"), path,
				    strerror(errno));
	case AV_FILE_ERROR:
	default:
		return av_error_set(err, AV_ERR_IO, _("%s: cannot open weight file: %s"), path,
				    strerror(errno));
	}
	av_status st = av_weights_parse(w, buf, len, path, err);
	free(buf);
	return st;
}

/* ---- writing -------------------------------------------------------------------- */

static void write_rows(FILE *f, const float *a, int rows, int cols)
{
	for (int i = 0; i < rows; i++) {
		for (int j = 0; j < cols; j++)
			fprintf(f, "%s%15.9g", j ? " " : "", (double)a[(size_t)i * (size_t)cols + (size_t)j]);
		fputc('\n', f);
	}
}

av_status av_weights_write(const av_weights *w, FILE *f, av_error *err)
{
	int D = w->d_model, H = w->d_hidden, K = w->heads, dh = w->d_head;
	/* Refuse what could not be read back, before writing anything. */
	av_status st = av_weights_check_dims(D, H, K, err);
	if (st != AV_OK)
		return st;
	if (w->n_words < 0 || w->n_words > AV_MAX_WORDS)
		return av_error_set(err, AV_ERR_RANGE, _("%d embeddings, at most %d can be written"),
				    w->n_words, AV_MAX_WORDS);
	for (int i = 0; i < w->n_words; i++) {
		size_t n = strnlen(w->word[i], AV_MAX_TOKEN_BYTES);
		if (n == 0 || n == AV_MAX_TOKEN_BYTES || strpbrk(w->word[i], " \t\r\n\v\f"))
			return av_error_set(err, AV_ERR_RANGE,
					    _("embedding %d: its word is empty, too long or holds a "
					    "space"),
					    i);
	}
	int V = w->vocab_size;
	if (V > 0 && w->n_words > 0)
		return av_error_set(err, AV_ERR_RANGE,
				    _("cannot write per-word embeddings beside a vocabulary: a "
				    "version-2 file gives E"));
	if (V < 0 || V == 1 || V > AV_MAX_VOCAB_FILE || (V > 0 && strcmp(w->vocab[0], AV_UNK) != 0))
		return av_error_set(err, AV_ERR_RANGE,
				    _("cannot write a vocabulary of %d words: 2..%d, '%s' first"), V,
				    AV_MAX_VOCAB_FILE, AV_UNK);
	for (int i = 0; i < V; i++) {
		size_t n = strnlen(w->vocab[i], AV_MAX_TOKEN_BYTES);
		if (n == 0 || n == AV_MAX_TOKEN_BYTES || strpbrk(w->vocab[i], " \t\r\n\v\f"))
			return av_error_set(err, AV_ERR_RANGE,
					    _("cannot write vocabulary word %d: empty, too long or holds "
					    "a space"),
					    i);
	}
	c_locale loc;
	c_locale_enter(&loc);
	fprintf(f, "%s %d\n", MAGIC, V > 0 ? 2 : 1);
	fprintf(f, "# attnviz weights (format: README, \"Weight files\"). '#' starts a comment.\n"
		   "# Numbers have 9 significant digits: loading this file gives every float back "
		   "exactly.\n");
	fprintf(f, "d_model %d\nd_hidden %d\nheads %d\n", D, H, K);
	if (V > 0) {
		fprintf(f, "\n# how it was trained: the positional encoding, the mask, the steps\n");
		if (w->positional == 0 || w->positional == 1)
			fprintf(f, "positional %d\n", w->positional);
		if (w->trained_mask >= 0 && w->trained_mask < AV_MASK_COUNT)
			fprintf(f, "mask %s\n", av_mask_name((av_mask_kind)w->trained_mask));
		if (w->trained_steps >= 0)
			fprintf(f, "steps %d\n", w->trained_steps);
		fprintf(f, "\n# the vocabulary: word i (from 0) is row i of E; one word a line, "
			   "no comments\nvocab %d\n", V);
		for (int i = 0; i < V; i++)
			fprintf(f, "%s\n", w->vocab[i]);
	}
	fprintf(f, "\n# RNN: h_n = tanh(W_h h_{n-1} + W_e c_n + b)\n");
	fprintf(f, "# W_e: d_hidden x d_model, one row per line\nW_e %d %d\n", H, D);
	write_rows(f, w->W_e, H, D);
	fprintf(f, "\n# W_h: d_hidden x d_hidden\nW_h %d %d\n", H, H);
	write_rows(f, w->W_h, H, H);
	fprintf(f, "\n# b: d_hidden numbers on one line\nb %d\n", H);
	write_rows(f, w->b, 1, H);
	for (int k = 0; k < K; k++) {
		fprintf(f, "\n# attention head %d: Q = X W_q.%d, K = X W_k.%d, V = X W_v.%d; "
			   "each d_model x d_head\n", k, k, k, k);
		fprintf(f, "W_q.%d %d %d\n", k, D, dh);
		write_rows(f, w->W_q[k], D, dh);
		fprintf(f, "W_k.%d %d %d\n", k, D, dh);
		write_rows(f, w->W_k[k], D, dh);
		fprintf(f, "W_v.%d %d %d\n", k, D, dh);
		write_rows(f, w->W_v[k], D, dh);
	}
	if (V > 0) {
		fprintf(f, "\n# inputs: c_t = E[tok_t] (+ positional); E: vocab x d_model\nE %d %d\n",
			V, D);
		write_rows(f, w->E, V, D);
		fprintf(f, "\n# RNN LM: logits_t = h_t U + u; U: d_hidden x vocab\nU %d %d\n", H, V);
		write_rows(f, w->U, H, V);
		fprintf(f, "u %d\n", V);
		write_rows(f, w->u, 1, V);
		fprintf(f, "\n# attention LM: logits_t = (c_t + Z_t) W_out + b_out; W_out: d_model "
			   "x vocab\nW_out %d %d\n", D, V);
		write_rows(f, w->W_out, D, V);
		fprintf(f, "b_out %d\n", V);
		write_rows(f, w->b_out, 1, V);
	}
	if (w->n_words > 0)
		fprintf(f, "\n# per-word input embeddings c_n: 'embed WORD d_model', then the "
			   "numbers\n");
	for (int i = 0; i < w->n_words; i++) {
		fprintf(f, "embed %s %d\n", w->word[i], D);
		write_rows(f, w->word_vec + (size_t)i * (size_t)D, 1, D);
	}
	c_locale_leave(&loc);
	if (fflush(f) != 0 || ferror(f))
		/* the caller (av_atomic_write) says "PATH: cannot write weights: " */
		return av_error_set(err, AV_ERR_IO, "%s", strerror(errno ? errno : EIO));
	return AV_OK;
}

static av_status write_weights(FILE *f, const void *ctx, av_error *err)
{
	return av_weights_write(ctx, f, err);
}

av_status av_weights_save(const av_weights *w, const char *path, av_error *err)
{
	return av_atomic_write(path, _("weights"), write_weights, w, err);
}
