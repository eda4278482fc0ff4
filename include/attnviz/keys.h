/* Keystroke notation shared by --keys and lesson files: every character
 * stands for itself; special keys are written <Name>: <Left> <Right> <Up>
 * <Down> <Home> <End> <PgUp> <PgDn> <Enter> <Esc> <Tab> <BTab> <Space>
 * <Backspace> <Del> and <lt> for a literal '<'. Names are case-insensitive.
 * Keys are code points, or AV_KEY_* (above Unicode) for special keys; the
 * front end maps them to its own key codes. */
#ifndef ATTNVIZ_KEYS_H
#define ATTNVIZ_KEYS_H

#include <stddef.h>
#include "attnviz/status.h"

enum {
	AV_KEY_BASE = 0x110000,
	AV_KEY_LEFT = AV_KEY_BASE,
	AV_KEY_RIGHT,
	AV_KEY_UP,
	AV_KEY_DOWN,
	AV_KEY_HOME,
	AV_KEY_END,
	AV_KEY_PGUP,
	AV_KEY_PGDN,
	AV_KEY_ENTER,
	AV_KEY_ESC,
	AV_KEY_TAB,
	AV_KEY_BTAB,
	AV_KEY_BACKSPACE,
	AV_KEY_DEL,
	AV_KEY_END_OF_LIST
};

#define AV_MAX_KEYS 256

/* Parse len bytes of notation into keys (at most max). Returns the number
 * of keys, or -1 with err naming the offending name or byte offset. */
int av_keys_parse(int *keys, int max, const char *text, size_t len, av_error *err);

/* The notation of one key ("<Right>", "x"); buf of at least 16 bytes. */
const char *av_key_name(int key, char *buf, size_t len);

#endif
