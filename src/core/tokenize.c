/* Tokenizer: UTF-8 text -> tokens, with the rules of tokenize.h. A token is
 * a run of word characters, or a single punctuation mark, or a single CJK
 * ideograph. The UTF-8 decoder rejects overlong forms, surrogates and code
 * points above U+10FFFF. */
#include "attnviz/tokenize.h"
#include "attnviz/i18n.h"

#include <stdbool.h>
#include <string.h>

int av_utf8_decode(const char *s, size_t len, unsigned *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	if (len == 0)
		return 0;
	unsigned c = p[0];
	int need;
	unsigned min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		need = 1, min = 0x80, c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2, min = 0x800, c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3, min = 0x10000, c &= 0x07;
	} else {
		return 0;
	}
	if (len < (size_t)need + 1)
		return 0;
	for (int k = 1; k <= need; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[k] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return need + 1;
}

int av_utf8_encode(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp <= 0x10FFFF) {
		out[0] = (char)(0xF0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[3] = (char)(0x80 | (cp & 0x3F));
		return 4;
	}
	return 0;
}

static int is_space(unsigned c)
{
	return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0xA0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
	       c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

static int is_punct(unsigned c)
{
	if (c < 0x80)
		return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) ||
		       (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
	return c == 0xA1 || c == 0xA7 || c == 0xAB || c == 0xB6 || c == 0xB7 || c == 0xBB ||
	       c == 0xBF || (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205E) ||
	       (c >= 0x3001 && c <= 0x3003) || (c >= 0x3008 && c <= 0x3011) ||
	       (c >= 0x3014 && c <= 0x301F) || c == 0x30FB || (c >= 0xFE10 && c <= 0xFE19) ||
	       (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF01 && c <= 0xFF0F) ||
	       (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
	       (c >= 0xFF5B && c <= 0xFF65);
}

static int is_ideograph(unsigned c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || c == 0x3007 ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
}

/* Width of one code point in terminal columns. */
static int cp_width(unsigned c)
{
	if (c == 0 || (c >= 0x0300 && c <= 0x036F) || c == 0x200B || c == 0x200D ||
	    (c >= 0xFE00 && c <= 0xFE0F))
		return 0;
	if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
	    (c >= 0x3041 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
	    (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
	    (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) ||
	    (c >= 0x1F300 && c <= 0x1F64F) || (c >= 0x1F900 && c <= 0x1F9FF) ||
	    (c >= 0x20000 && c <= 0x3FFFD))
		return 2;
	return 1;
}

int av_utf8_width(const char *s)
{
	int w = 0;
	size_t len = strlen(s);
	while (len > 0) {
		unsigned cp;
		int k = av_utf8_decode(s, len, &cp);
		if (k == 0) {
			w += 1, k = 1;
		} else {
			w += cp_width(cp);
		}
		s += k, len -= (size_t)k;
	}
	return w;
}

int av_is_control(unsigned cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

/* The one sanitizer: s into out (cap bytes), every control character and
 * invalid byte as '?'. When the result would pass limit bytes or not fit,
 * it is cut on a code point and "..." marks the cut. */
static const char *text_safe(char *out, size_t cap, const char *s, size_t len, size_t limit)
{
	size_t pos = 0, used = 0, whole = 0;
	if (cap == 0)
		return out;
	/* the sanitized length of all of s: cut only when it does not fit */
	while (pos < len) {
		unsigned cp;
		int k = av_utf8_decode(s + pos, len - pos, &cp);
		whole += k == 0 || av_is_control(cp) ? 1 : (size_t)k;
		pos += k ? (size_t)k : 1;
	}
	bool cut = whole >= cap || whole > limit;
	size_t room = cut ? (cap >= 4 ? cap - 4 : 0) : whole; /* bytes before "..." */
	if (cut && room > limit)
		room = limit;
	pos = 0;
	while (pos < len) {
		unsigned cp;
		int k = av_utf8_decode(s + pos, len - pos, &cp);
		int bad = k == 0 || av_is_control(cp);
		size_t need = bad ? 1 : (size_t)k;
		if (used + need > room)
			break;
		if (bad)
			out[used++] = '?', pos += k ? (size_t)k : 1;
		else
			memcpy(out + used, s + pos, need), used += need, pos += need;
	}
	if (cut && used + 4 <= cap)
		memcpy(out + used, "...", 3), used += 3;
	out[used] = '\0';
	return out;
}

const char *av_text_show(char *out, size_t cap, const char *s)
{
	return text_safe(out, cap, s, strlen(s), 40);
}

const char *av_text_show_len(char *out, size_t cap, const char *s, size_t len)
{
	return text_safe(out, cap, s, len, 40);
}

const char *av_text_sanitize(char *out, size_t cap, const char *s)
{
	return text_safe(out, cap, s, strlen(s), (size_t)-1);
}

typedef struct {
	av_tokens *out;
	int len;   /* bytes in the open token, -1 when none is open */
	int start; /* its byte offset */
	int total; /* tokens seen, including those past the limit */
} tok_state;

/* Close the open token, if any. */
static void tok_close(tok_state *st)
{
	if (st->len < 0)
		return;
	if (st->total < AV_MAX_TOKENS) {
		av_tokens *o = st->out;
		o->text[o->n][st->len] = '\0';
		o->offset[o->n] = st->start;
		o->n++;
	}
	st->total++;
	st->len = -1;
}

/* Append bytes to the open token (opening one at offset). */
static av_status tok_append(tok_state *st, const char *bytes, int k, int offset, av_error *err)
{
	if (st->len < 0) {
		st->len = 0;
		st->start = offset;
	}
	if (st->total < AV_MAX_TOKENS) {
		if (st->len + k > AV_MAX_TOKEN_BYTES - 1)
			return av_error_set(err, AV_ERR_TOKEN_TOO_LONG,
					    _("token %d (at byte %d) is longer than %d bytes"),
					    st->total + 1, st->start, AV_MAX_TOKEN_BYTES - 1);
		char *dst = st->out->text[st->out->n] + st->len;
		for (int b = 0; b < k; b++) {
			char ch = bytes[b];
			dst[b] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
		}
	}
	st->len += k;
	return AV_OK;
}

av_status av_tokenize(av_tokens *out, const char *text, size_t len, av_error *err)
{
	tok_state st = { out, -1, 0, 0 };
	av_status rc = AV_OK;
	out->n = 0;
	if (len > (size_t)1 << 30)
		return av_error_set(err, AV_ERR_RANGE, _("text of %zu bytes is too long"), len);
	for (size_t pos = 0; pos < len;) {
		unsigned cp;
		int k = av_utf8_decode(text + pos, len - pos, &cp);
		if (k == 0 || cp == 0) {
			out->n = 0;
			return av_error_set(err, AV_ERR_UTF8,
					    k == 0 ? _("invalid UTF-8 at byte offset %zu (byte 0x%02X)")
						   : "NUL character at byte offset %zu (byte 0x%02X)",
					    pos, (unsigned char)text[pos]);
		}
		if (is_space(cp)) {
			tok_close(&st);
		} else if (av_is_control(cp)) {
			/* an escape or other control would reach terminals and SVG */
			out->n = 0;
			return av_error_set(err, AV_ERR_UTF8,
					    _("control character U+%04X at byte offset %zu: only printable "
					    "text is allowed"),
					    cp, pos);
		} else if (is_punct(cp) || is_ideograph(cp)) {
			tok_close(&st);
			rc = tok_append(&st, text + pos, k, (int)pos, err);
			tok_close(&st);
		} else {
			rc = tok_append(&st, text + pos, k, (int)pos, err);
		}
		if (rc != AV_OK) {
			out->n = 0;
			return rc;
		}
		pos += (size_t)k;
	}
	tok_close(&st);
	if (st.total == 0) {
		out->n = 0;
		return av_error_set(err, AV_ERR_EMPTY, _("the sentence is empty: give at least one word"));
	}
	if (st.total > AV_MAX_TOKENS) {
		out->n = 0;
		return av_error_set(err, AV_ERR_TOO_MANY_TOKENS,
				    _("the sentence has %d tokens; at most %d are allowed"), st.total,
				    AV_MAX_TOKENS);
	}
	return AV_OK;
}
