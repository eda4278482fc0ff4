/* Lesson files: a line-oriented parser that names the file, the line and
 * what it expected on every error. It reads a buffer of any bytes (it is
 * fuzzed): no NUL terminator assumed, no line-length limit. */
#include "attnviz/lesson.h"
#include "attnviz/i18n.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "attnviz/readfile.h"
#include "attnviz/tokenize.h"

#define MAGIC "attnviz-lesson"
#define MAX_LESSON_BYTES (1L << 20)

/* Indexed by id + 1 (AV_PANEL_NONE is -1). */
static const char *const panel_names[AV_PANEL_TOKENS + 2] = {
	[AV_PANEL_NONE + 1] = "none",       [AV_PANEL_TOKENS + 1] = "tokens",
	[AV_PANEL_RNN + 1] = "rnn",         [AV_PANEL_SCORES + 1] = "scores",
	[AV_PANEL_MASK + 1] = "mask",       [AV_PANEL_MASKED + 1] = "masked",
	[AV_PANEL_SOFTMAX + 1] = "softmax", [AV_PANEL_OUTPUT + 1] = "output",
	[AV_PANEL_PRED + 1] = "predictions",
};

const char *av_panel_name(av_panel_id id)
{
	return (int)id >= AV_PANEL_NONE && id <= AV_PANEL_TOKENS ? panel_names[id + 1] : "none";
}

static int span_eq(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(s, word, n) == 0;
}

int av_panel_parse(const char *name, av_panel_id *id)
{
	for (int k = AV_PANEL_NONE; k <= AV_PANEL_TOKENS; k++)
		if (strcmp(name, panel_names[k + 1]) == 0)
			return *id = (av_panel_id)k, 0;
	return -1;
}

static void step_init(av_lesson_step *s)
{
	memset(s, 0, sizeof *s);
	s->mask = s->positional = s->mode = s->rnn_step = s->cell_i = s->cell_j = -1;
	s->train_steps = s->race = s->generate = s->gen_rnn = -1;
	s->focus = AV_PANEL_NONE;
}

typedef struct {
	const char *name;
	int line;
	av_error *err;
} where;

#define FAIL(w, ...) av_error_set((w)->err, AV_ERR_PARSE, __VA_ARGS__)

/* Copy a value into a fixed buffer, checking UTF-8 and length. */
static av_status copy_text(char *dst, const char *s, size_t n, const where *w, const char *what)
{
	if (n == 0)
		return FAIL(w, _("%s:%d: expected text after '%s'"), w->name, w->line, what);
	if (n >= AV_LESSON_TEXT)
		return FAIL(w, _("%s:%d: %s is %zu bytes long; at most %d allowed"), w->name, w->line,
			    what, n, AV_LESSON_TEXT - 1);
	for (size_t pos = 0; pos < n;) {
		unsigned cp;
		int k = av_utf8_decode(s + pos, n - pos, &cp);
		if (k == 0 || cp == 0)
			return av_error_set(w->err, AV_ERR_UTF8,
					    _("%s:%d: invalid UTF-8 in %s at byte %zu of the value"),
					    w->name, w->line, what, pos);
		pos += (size_t)k;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
	return AV_OK;
}

/* A whole positive int in [lo, hi] from s[0..n). */
static int parse_int(const char *s, size_t n, int lo, int hi, int *out)
{
	if (n == 0 || n > 9)
		return -1;
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int is_blank(char c);

/* "hide mask masked softmax" / "show all": the panels named in val into
 * *bits (and out of the step's other set, so the last word wins). */
static av_status parse_panels(unsigned *bits, av_lesson_step *s, const char *val, size_t vn,
			      const where *w)
{
	char buf[AV_LESSON_TEXT];
	size_t k = 0;
	unsigned got = 0;
	while (k < vn) {
		while (k < vn && val[k] == ' ')
			k++;
		size_t e = k;
		while (e < vn && val[e] != ' ')
			e++;
		if (e == k)
			break;
		av_panel_id id;
		if (e - k >= sizeof buf)
			return FAIL(w, _("%s:%d: expected panels: rnn, scores, mask, masked, softmax, "
				       "output or all"), w->name, w->line);
		memcpy(buf, val + k, e - k);
		buf[e - k] = '\0';
		if (bits == &s->show && strcmp(buf, "all") == 0)
			got |= (1u << AV_PANEL_COUNT) - 1;
		else if (av_panel_parse(buf, &id) || id < 0 || id >= AV_PANEL_COUNT)
			return FAIL(w, _("%s:%d: '%s' is not a panel: expected rnn, scores, mask, masked, "
				       "softmax, output%s"), w->name, w->line, buf,
				    bits == &s->show ? " or all" : "");
		else
			got |= 1u << id;
		k = e;
	}
	if (!got)
		return FAIL(w, _("%s:%d: expected one or more panels after '%s'"), w->name, w->line,
			    bits == &s->hide ? "hide" : "show");
	*bits |= got;
	(bits == &s->hide ? &s->show : &s->hide)[0] &= ~got;
	return AV_OK;
}

unsigned av_lesson_hidden(const av_lesson *l, int k)
{
	unsigned hidden = (l->start.hide & ~l->start.show);
	for (int s = 0; s <= k && s < l->n_steps; s++)
		hidden = (hidden | l->steps[s].hide) & ~l->steps[s].show;
	return hidden;
}

/* One directive (word, value) into step s; in_step tells which are legal. */
static av_status apply(av_lesson *l, av_lesson_step *s, bool in_step, const char *word, size_t wn,
		       const char *val, size_t vn, const where *w)
{
	char buf[AV_LESSON_TEXT];
	if (span_eq(word, wn, "title") && !in_step)
		return copy_text(l->title, val, vn, w, "title");
	if (span_eq(word, wn, "caption") && in_step) {
		if (s->n_captions >= AV_LESSON_MAX_CAPTIONS)
			return FAIL(w, _("%s:%d: too many captions in this step: at most %d"), w->name,
				    w->line, AV_LESSON_MAX_CAPTIONS);
		return copy_text(s->caption[s->n_captions++], val, vn, w, "caption");
	}
	if (span_eq(word, wn, "sentence")) {
		av_tokens tok;
		av_status rc = copy_text(s->sentence, val, vn, w, "sentence");
		if (rc != AV_OK)
			return rc;
		av_error terr;
		if (av_tokenize(&tok, s->sentence, strlen(s->sentence), &terr) != AV_OK)
			return FAIL(w, _("%s:%d: bad sentence: %s"), w->name, w->line, terr.msg);
		return AV_OK;
	}
	if (span_eq(word, wn, "mask")) {
		av_mask_kind kind;
		if (vn >= sizeof buf || (memcpy(buf, val, vn), buf[vn] = '\0', av_mask_parse(buf, &kind)))
			return FAIL(w, _("%s:%d: expected a mask: causal, none, strict or future"),
				    w->name, w->line);
		s->mask = (int)kind;
		return AV_OK;
	}
	if (span_eq(word, wn, "positional")) {
		if (span_eq(val, vn, "on"))
			s->positional = 1;
		else if (span_eq(val, vn, "off"))
			s->positional = 0;
		else
			return FAIL(w, _("%s:%d: expected 'positional on' or 'positional off'"), w->name,
				    w->line);
		return AV_OK;
	}
	if (span_eq(word, wn, "hide") || span_eq(word, wn, "show"))
		return parse_panels(span_eq(word, wn, "hide") ? &s->hide : &s->show, s, val, vn, w);
	if (!in_step)
		return FAIL(w, _("%s:%d: expected title, sentence, mask, positional, hide, show or step "
			       "before the first step"),
			    w->name, w->line);
	if (span_eq(word, wn, "keys")) {
		av_error kerr;
		int n = av_keys_parse(s->keys + s->n_keys, AV_MAX_KEYS - s->n_keys, val, vn, &kerr);
		if (n < 0 && kerr.code == AV_ERR_RANGE) /* the step's total, not this line's room */
			return FAIL(w, _("%s:%d: too many keys in this step: at most %d over all its "
				       "'keys' lines"),
				    w->name, w->line, AV_MAX_KEYS);
		if (n < 0)
			return FAIL(w, _("%s:%d: %s"), w->name, w->line, kerr.msg);
		s->n_keys += n;
		return AV_OK;
	}
	if (span_eq(word, wn, "focus")) {
		av_panel_id id;
		if (vn >= sizeof buf || (memcpy(buf, val, vn), buf[vn] = '\0', av_panel_parse(buf, &id)))
			return FAIL(w, _("%s:%d: expected a panel: tokens, rnn, scores, mask, masked, "
				       "softmax, output or predictions"),
				    w->name, w->line);
		s->focus = id;
		return AV_OK;
	}
	if (span_eq(word, wn, "mode")) {
		if (span_eq(val, vn, "training"))
			s->mode = 0;
		else if (span_eq(val, vn, "inference"))
			s->mode = 1;
		else
			return FAIL(w, _("%s:%d: expected 'mode training' or 'mode inference'"), w->name,
				    w->line);
		return AV_OK;
	}
	if (span_eq(word, wn, "rnn")) {
		if (parse_int(val, vn, 1, 64, &s->rnn_step))
			return FAIL(w, _("%s:%d: expected 'rnn T' with T in 1..64"), w->name, w->line);
		return AV_OK;
	}
	if (span_eq(word, wn, "cell")) {
		/* I and J separated by any run of blanks, as every other line */
		size_t a = 0;
		while (a < vn && !is_blank(val[a]))
			a++;
		size_t b = a;
		while (b < vn && is_blank(val[b]))
			b++;
		if (a == vn || parse_int(val, a, 1, 64, &s->cell_i) ||
		    parse_int(val + b, vn - b, 1, 64, &s->cell_j))
			return FAIL(w, _("%s:%d: expected 'cell I J' with I, J in 1..64"), w->name,
				    w->line);
		return AV_OK;
	}
	if (span_eq(word, wn, "train")) { /* train N [scratch] */
		const char *sp = memchr(val, ' ', vn);
		size_t nn = sp ? (size_t)(sp - val) : vn;
		if (parse_int(val, nn, 0, AV_LESSON_MAX_TRAIN, &s->train_steps) == 0 &&
		    (!sp || span_eq(sp + 1, vn - nn - 1, "scratch"))) {
			s->train_scratch = sp != NULL;
			return AV_OK;
		}
		s->train_steps = -1;
		return FAIL(w, _("%s:%d: expected 'train N' or 'train N scratch' with N in 0..%d"),
			    w->name, w->line, AV_LESSON_MAX_TRAIN);
	}
	if (span_eq(word, wn, "race")) {
		if (parse_int(val, vn, 1, 64, &s->race))
			return FAIL(w, _("%s:%d: expected 'race K' with K in 1..64"), w->name, w->line);
		return AV_OK;
	}
	if (span_eq(word, wn, "generate")) { /* generate K [rnn|attention] */
		const char *sp = memchr(val, ' ', vn);
		size_t nn = sp ? (size_t)(sp - val) : vn;
		size_t rest = sp ? vn - nn - 1 : 0;
		if (parse_int(val, nn, 1, 63, &s->generate) == 0 &&
		    (!sp || span_eq(sp + 1, rest, "rnn") || span_eq(sp + 1, rest, "attention"))) {
			s->gen_rnn = sp ? span_eq(sp + 1, rest, "rnn") : -1;
			return AV_OK;
		}
		s->generate = -1;
		return FAIL(w, _("%s:%d: expected 'generate K [rnn|attention]' with K in 1..63"),
			    w->name, w->line);
	}
	int show = wn > 24 ? 24 : (int)wn;
	return FAIL(w, _("%s:%d: unknown directive '%.*s': expected caption, keys, focus, sentence, "
		       "mask, positional, mode, rnn, cell, hide, show, train, race, generate or step"),
		    w->name, w->line, show, word);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

av_status av_lesson_parse(av_lesson *out, const char *text, size_t len, const char *name,
			  av_error *err)
{
	memset(out, 0, sizeof *out);
	step_init(&out->start);
	where w = { name, 0, err };
	av_lesson l = *out;
	int capacity = 0; /* steps grow as they come: most lessons are short */
	av_status rc = AV_OK;
	bool magic = false;
	const char *p = text, *end = text + len;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		p += 3; /* a UTF-8 byte order mark, as weight files allow */
	while (p < end && rc == AV_OK) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		w.line++;
		const char *s = p;
		p = nl ? nl + 1 : end;
		if (memchr(s, '\0', (size_t)(le - s))) {
			rc = FAIL(&w, _("%s:%d: NUL byte in a text file"), name, w.line);
			break;
		}
		while (s < le && is_blank(*s))
			s++;
		while (le > s && is_blank(le[-1]))
			le--;
		if (s == le || *s == '#')
			continue;
		const char *word = s;
		while (s < le && !is_blank(*s))
			s++;
		size_t wn = (size_t)(s - word);
		while (s < le && is_blank(*s))
			s++;
		size_t vn = (size_t)(le - s);
		if (!magic) {
			if (!span_eq(word, wn, MAGIC)) {
				rc = FAIL(&w, _("%s:%d: not an attnviz lesson: expected 'attnviz-lesson 1' "
					      "as the first line"),
					  name, w.line);
			} else if (!span_eq(s, vn, "1")) {
				rc = FAIL(&w, _("%s:%d: lesson format version '%.*s' is not supported: "
					      "expected 'attnviz-lesson 1'"),
					  name, w.line, vn > 16 ? 16 : (int)vn, s);
			}
			magic = true;
			continue;
		}
		if (span_eq(word, wn, "step")) {
			if (l.n_steps >= AV_LESSON_MAX_STEPS) {
				rc = FAIL(&w, _("%s:%d: too many steps: at most %d"), name, w.line,
					  AV_LESSON_MAX_STEPS);
				break;
			}
			if (l.n_steps == capacity) {
				int more = capacity ? 2 * capacity : 8;
				if (more > AV_LESSON_MAX_STEPS)
					more = AV_LESSON_MAX_STEPS;
				av_lesson_step *grown = realloc(l.steps, (size_t)more * sizeof *grown);
				if (!grown) {
					rc = av_error_set(err, AV_ERR_NOMEM, _("out of memory reading %s"), name);
					break;
				}
				l.steps = grown, capacity = more;
			}
			av_lesson_step *st = &l.steps[l.n_steps++];
			step_init(st);
			rc = copy_text(st->title, s, vn, &w, "step title");
			continue;
		}
		av_lesson_step *cur = l.n_steps ? &l.steps[l.n_steps - 1] : &l.start;
		rc = apply(&l, cur, l.n_steps > 0, word, wn, s, vn, &w);
	}
	if (rc == AV_OK && !magic)
		rc = FAIL(&w, _("%s:1: empty file: expected 'attnviz-lesson 1'"), name);
	if (rc == AV_OK && l.n_steps == 0)
		rc = FAIL(&w, _("%s:%d: expected at least one 'step TITLE'"), name, w.line);
	for (int i = 0; rc == AV_OK && i < l.n_steps; i++)
		if (l.steps[i].n_captions == 0)
			rc = FAIL(&w, _("%s: step %d ('%s') has no caption: expected a 'caption TEXT' line"),
				  name, i + 1, l.steps[i].title);
	if (rc == AV_OK && l.title[0] == '\0')
		rc = FAIL(&w, _("%s: expected a 'title TEXT' line before the first step"), name);
	if (rc != AV_OK) {
		free(l.steps);
		return rc;
	}
	*out = l;
	return AV_OK;
}

av_status av_lesson_load(av_lesson *out, const char *path, av_error *err)
{
	memset(out, 0, sizeof *out);
	/* only a regular file: a FIFO (or <(...)) would block (attnviz/readfile.h) */
	char *buf;
	size_t n;
	switch (av_read_regular(&buf, &n, path, (size_t)MAX_LESSON_BYTES)) {
	case AV_FILE_REGULAR:
		break;
	case AV_FILE_DIRECTORY:
		return av_error_set(err, AV_ERR_IO, _("cannot read lesson %s: %s"), path,
				    _("is a directory, expected a lesson file"));
	case AV_FILE_OTHER:
		return av_error_set(err, AV_ERR_IO, _("cannot read lesson %s: %s"), path,
				    _("not a regular file (a FIFO, device or socket)"));
	case AV_FILE_TOO_LARGE:
		return av_error_set(err, AV_ERR_RANGE, _("lesson %s is larger than %ld bytes"), path,
				    MAX_LESSON_BYTES);
	case AV_FILE_NOMEM:
		return av_error_set(err, AV_ERR_NOMEM, _("out of memory reading %s"), path);
	case AV_FILE_READ_ERROR:
		return av_error_set(err, AV_ERR_IO, _("cannot read lesson %s: read error"), path);
	case AV_FILE_ERROR:
	default:
		return av_error_set(err, AV_ERR_IO, _("cannot read lesson %s: %s"), path, strerror(errno));
	}
	av_status rc = av_lesson_parse(out, buf, n, path, err);
	free(buf);
	return rc;
}

void av_lesson_free(av_lesson *l)
{
	free(l->steps);
	memset(l, 0, sizeof *l);
}
