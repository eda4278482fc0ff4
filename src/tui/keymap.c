/* The key table: see keymap.h. */
#include "tui/keymap.h"

#include <stdio.h>
#include <string.h>

#include "attnviz/keys.h"
#include "tui/i18n.h"
#include "tui/screen.h"

#define CTRL(c) ((c) & 0x1f)

/* Characters have key < KEY_MIN; curses codes are >= KEY_MIN (0401). */
static const key_binding bindings[] = {
	{KEY_RIGHT, ACT_RIGHT, 0, "→", "Right", KEYS_MAIN},
	{'l', ACT_RIGHT, 0, "l", "l", KEYS_MAIN},
	{' ', ACT_STEP_NEXT, 0, "Space", "Space", KEYS_MAIN},
	{KEY_LEFT, ACT_LEFT, 0, "←", "Left", KEYS_MAIN},
	{'h', ACT_LEFT, 0, "h", "h", KEYS_MAIN},
	{KEY_BACKSPACE, ACT_STEP_PREV, 0, "Backspace", "Backspace", KEYS_MAIN},
	{127, ACT_STEP_PREV, 0, NULL, NULL, KEYS_MAIN},
	{CTRL('h'), ACT_STEP_PREV, 0, NULL, NULL, KEYS_MAIN},
	{KEY_UP, ACT_UP, 0, "↑", "Up", KEYS_MAIN},
	{'k', ACT_UP, 0, "k", "k", KEYS_MAIN},
	{KEY_DOWN, ACT_DOWN, 0, "↓", "Down", KEYS_MAIN},
	{'j', ACT_DOWN, 0, "j", "j", KEYS_MAIN},
	{'g', ACT_STEP_FIRST, 0, "g", "g", KEYS_MAIN},
	{KEY_HOME, ACT_STEP_FIRST, 0, "Home", "Home", KEYS_MAIN},
	{'G', ACT_STEP_LAST, 0, "G", "G", KEYS_MAIN},
	{KEY_END, ACT_STEP_LAST, 0, "End", "End", KEYS_MAIN},
	{'\t', ACT_FOCUS_NEXT, 0, "Tab", "Tab", KEYS_MAIN},
	{KEY_BTAB, ACT_FOCUS_PREV, 0, "S-Tab", "S-Tab", KEYS_MAIN},
	{'\n', ACT_DRILL, 0, "Enter", "Enter", KEYS_MAIN},
	{'\r', ACT_DRILL, 0, NULL, NULL, KEYS_MAIN},
	{KEY_ENTER, ACT_DRILL, 0, NULL, NULL, KEYS_MAIN},
	{'m', ACT_MASK_TOGGLE, 0, "m", "m", KEYS_MAIN},
	{'p', ACT_POSITIONAL, 0, "p", "p", KEYS_MAIN},
	{']', ACT_HEAD_NEXT, 0, "]", "]", KEYS_MAIN},
	{'[', ACT_HEAD_PREV, 0, "[", "[", KEYS_MAIN},
	{'1', ACT_HEAD_SET, 0, "1–8", "1-8", KEYS_MAIN},
	{'2', ACT_HEAD_SET, 1, NULL, NULL, KEYS_MAIN},
	{'3', ACT_HEAD_SET, 2, NULL, NULL, KEYS_MAIN},
	{'4', ACT_HEAD_SET, 3, NULL, NULL, KEYS_MAIN},
	{'5', ACT_HEAD_SET, 4, NULL, NULL, KEYS_MAIN},
	{'6', ACT_HEAD_SET, 5, NULL, NULL, KEYS_MAIN},
	{'7', ACT_HEAD_SET, 6, NULL, NULL, KEYS_MAIN},
	{'8', ACT_HEAD_SET, 7, NULL, NULL, KEYS_MAIN},
	{'e', ACT_EDIT, 0, "e", "e", KEYS_MAIN},
	{'s', ACT_SEED, 0, "s", "s", KEYS_MAIN},
	{'S', ACT_SEED_PREV, 0, "S", "S", KEYS_MAIN},
	{'a', ACT_AUTOPLAY, 0, "a", "a", KEYS_MAIN},
	{'+', ACT_FASTER, 0, "+", "+", KEYS_MAIN},
	{'=', ACT_FASTER, 0, NULL, NULL, KEYS_MAIN},
	{'-', ACT_SLOWER, 0, "-", "-", KEYS_MAIN},
	{'?', ACT_HELP, 0, "?", "?", KEYS_MAIN},
	{KEY_F(1), ACT_HELP, 0, "F1", "F1", KEYS_MAIN},
	{CTRL('l'), ACT_REDRAW, 0, "Ctrl-L", "Ctrl-L", KEYS_MAIN},
	{'t', ACT_MODE_TOGGLE, 0, "t", "t", KEYS_MAIN},
	{'c', ACT_MASK_CYCLE, 0, "c", "c", KEYS_MAIN},
	{'x', ACT_REPLACE_WORD, 0, "x", "x", KEYS_MAIN},
	{'X', ACT_EXPORT, 0, "X", "X", KEYS_MAIN},
	{'n', ACT_LESSON_NEXT, 0, "n", "n", KEYS_MAIN},
	{'N', ACT_LESSON_PREV, 0, "N", "N", KEYS_MAIN},
	{'Q', ACT_QUIZ, 0, "Q", "Q", KEYS_MAIN},
	{'b', ACT_BIG, 0, "b", "b", KEYS_MAIN},
	{'P', ACT_PRED_TOGGLE, 0, "P", "P", KEYS_MAIN},
	{'B', ACT_RACE, 0, "B", "B", KEYS_MAIN},
	{'T', ACT_TRAIN, 0, "T", "T", KEYS_MAIN},
	{'r', ACT_TRAIN_RESET, 0, "r", "r", KEYS_MAIN},
	{'R', ACT_TRAIN_SCRATCH, 0, "R", "R", KEYS_MAIN},
	{'W', ACT_SAVE_WEIGHTS, 0, "W", "W", KEYS_MAIN},
	{'w', ACT_GENERATE, 0, "w", "w", KEYS_MAIN},
	{'M', ACT_GEN_MODEL, 0, "M", "M", KEYS_MAIN},
	{'q', ACT_QUIT, 0, "q", "q", KEYS_MAIN},
	{'L', ACT_LANG_TOGGLE, 0, "L", "L", KEYS_MAIN},
	/* while a quiz is on */
	{'1', ACT_QUIZ_YES, 0, "1", "1", KEYS_QUIZ},
	{'y', ACT_QUIZ_YES, 0, "y", "y", KEYS_QUIZ},
	{'0', ACT_QUIZ_NO, 0, "0", "0", KEYS_QUIZ},
	{'n', ACT_QUIZ_NO, 0, "n", "n", KEYS_QUIZ},
	{'\n', ACT_QUIZ_PICK, 0, "Enter", "Enter", KEYS_QUIZ},
	{'\r', ACT_QUIZ_PICK, 0, NULL, NULL, KEYS_QUIZ},
	{KEY_ENTER, ACT_QUIZ_PICK, 0, NULL, NULL, KEYS_QUIZ},
	{' ', ACT_QUIZ_NEXT, 0, "Space", "Space", KEYS_QUIZ},
	{27, ACT_QUIZ_LEAVE, 0, "Esc", "Esc", KEYS_QUIZ},
};

static const help_entry help_order[] = {
	{{ACT_RIGHT, ACT_DOWN}, N_("next step (RNN panel) / move the cursor (grid)")},
	{{ACT_LEFT, ACT_UP}, N_("previous step (RNN panel) / move the cursor (grid)")},
	{{ACT_STEP_NEXT}, N_("next step: the RNN computes h_t from h_{t-1}")},
	{{ACT_STEP_PREV}, N_("previous step")},
	{{ACT_STEP_FIRST, ACT_STEP_LAST}, N_("first / last step")},
	{{ACT_FOCUS_NEXT, ACT_FOCUS_PREV}, N_("next / previous panel")},
	{{ACT_DRILL}, N_("drill-down: every number behind the selection")},
	{{ACT_MASK_TOGGLE}, N_("mask causal <-> none, recompute")},
	{{ACT_POSITIONAL}, N_("positional encoding on/off, recompute")},
	{{ACT_HEAD_PREV, ACT_HEAD_NEXT, ACT_HEAD_SET}, N_("choose the head (--heads K)")},
	{{ACT_EDIT}, N_("edit the sentence (Enter applies, Esc cancels)")},
	{{ACT_SEED, ACT_SEED_PREV}, N_("next / previous seed (seed + 1 / seed - 1): new weights")},
	{{ACT_AUTOPLAY}, N_("auto-play on/off")},
	{{ACT_FASTER, ACT_SLOWER}, N_("auto-play faster / slower")},
	{{ACT_HELP}, N_("this help (any other key closes it)")},
	{{ACT_QUIT}, N_("quit")},
	{{ACT_MODE_TOGGLE}, N_("training view (all rows at once) / inference view (row by row)")},
	{{ACT_MASK_CYCLE}, N_("mask causal -> none -> strict -> future; ! marks a leak")},
	{{ACT_REPLACE_WORD}, N_("causality test: replace word i of the cursor's row (the step's word in the RNN panel); * marks what changed; in softmax ! (leak) wins over *")},
	{{ACT_EXPORT}, N_("export the current state to attnviz-export-N.svg")},
	{{ACT_LESSON_NEXT, ACT_LESSON_PREV}, N_("next / previous lesson step (--lesson)")},
	{{ACT_PRED_TOGGLE}, N_("predictions panel on/off: target, each model's top word, p, loss; ✗ marks a wrong one")},
	{{ACT_RACE}, N_("the race: attention's next batched stage for every row (Q K V, scores, mask, softmax) while the RNN takes one step")},
	{{ACT_TRAIN}, N_("live training on/off: both models learn, loss curves grow (m/c change the mask meanwhile)")},
	{{ACT_TRAIN_RESET, ACT_TRAIN_SCRATCH}, N_("back to the loaded weights / fresh random weights (learn from scratch)")},
	{{ACT_SAVE_WEIGHTS}, N_("save the trained weights to attnviz-trained-N.weights (X exports the picture)")},
	{{ACT_GENERATE}, N_("generate: the model appends one word to the words up to the step (one dependent step each)")},
	{{ACT_GEN_MODEL}, N_("generate with the RNN / attention")},
	{{ACT_QUIZ}, N_("quiz on/off")},
	{{ACT_BIG}, N_("presenter mode: numbers in wide cells, fewer panels (--big)")},
	{{ACT_QUIZ_YES, ACT_QUIZ_NO}, N_("quiz: answer 1 (yes) / 0 (no)")},
	{{ACT_QUIZ_PICK}, N_("quiz: answer with the cursor's column")},
	{{ACT_QUIZ_NEXT}, N_("quiz: next question")},
	{{ACT_QUIZ_LEAVE}, N_("quiz: leave")},
	{{ACT_REDRAW}, N_("redraw the screen")},
	{{ACT_LANG_TOGGLE}, N_("interface language English <-> Chinese, live")},
};

static action lookup(key_context ctx, int key, bool is_key, int *arg)
{
	for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
		bool b_is_key = bindings[i].key >= KEY_MIN;
		if (bindings[i].ctx == ctx && bindings[i].key == key && b_is_key == is_key) {
			*arg = bindings[i].arg;
			return bindings[i].act;
		}
	}
	return ACT_NONE;
}

action keymap_lookup(int key, bool is_key, int *arg)
{
	*arg = 0;
	return lookup(KEYS_MAIN, key, is_key, arg);
}

action keymap_lookup_in(key_context ctx, int key, bool is_key, int *arg)
{
	*arg = 0;
	action a = ctx == KEYS_QUIZ ? lookup(KEYS_QUIZ, key, is_key, arg) : ACT_NONE;
	return a != ACT_NONE ? a : lookup(KEYS_MAIN, key, is_key, arg);
}

action keymap_action(const view *v, int key, bool is_key, int max_scroll, int *arg)
{
	*arg = 0;
	if (v->ed.active) {
		*arg = key;
		return is_key ? ACT_EDITOR_KEY : ACT_EDITOR_CHAR;
	}
	if (v->help || v->drill) {
		int delta;
		if (keymap_scroll_delta(key, is_key, &delta)) {
			int line = v->drill_scroll + delta;
			if (line > max_scroll)
				line = max_scroll;
			if (line < 0)
				line = 0;
			*arg = line;
			return ACT_POPUP_SCROLL;
		}
		if (v->drill && !v->help && v->quiz.phase == QUIZ_REVEALED) {
			/* after an answer, Space/Enter close it and go on */
			action a = keymap_lookup_in(KEYS_QUIZ, key, is_key, arg);
			if (a == ACT_QUIZ_NEXT || a == ACT_QUIZ_PICK)
				return a;
			*arg = 0;
		}
		return ACT_POPUP_CLOSE;
	}
	return keymap_lookup_in(v->quiz.phase != QUIZ_OFF ? KEYS_QUIZ : KEYS_MAIN, key, is_key, arg);
}

bool keymap_from_av_key(int key, int *ch, bool *is_key)
{
	static const struct {
		int av, code;
		bool is_key;
	} special[] = {
		{AV_KEY_LEFT, KEY_LEFT, true},   {AV_KEY_RIGHT, KEY_RIGHT, true},
		{AV_KEY_UP, KEY_UP, true},       {AV_KEY_DOWN, KEY_DOWN, true},
		{AV_KEY_HOME, KEY_HOME, true},   {AV_KEY_END, KEY_END, true},
		{AV_KEY_PGUP, KEY_PPAGE, true},  {AV_KEY_PGDN, KEY_NPAGE, true},
		{AV_KEY_ENTER, '\n', false},     {AV_KEY_ESC, 27, false},
		{AV_KEY_TAB, '\t', false},       {AV_KEY_BTAB, KEY_BTAB, true},
		{AV_KEY_BACKSPACE, KEY_BACKSPACE, true}, {AV_KEY_DEL, KEY_DC, true},
	};
	if (key >= 0 && key < AV_KEY_BASE) {
		*ch = key;
		*is_key = false;
		return true;
	}
	for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
		if (special[i].av == key) {
			*ch = special[i].code;
			*is_key = special[i].is_key;
			return true;
		}
	return false;
}

const key_binding *keymap_table(int *count)
{
	*count = (int)(sizeof bindings / sizeof bindings[0]);
	return bindings;
}

/* Help lines that name a mark drawn differently without UTF-8: their
 * wording there, with the mark the screen shows (theme's wrong_mark). */
static const struct {
	action act;
	const char *desc;
} help_ascii[] = {
	{ ACT_PRED_TOGGLE, N_("predictions panel on/off: target, each model's top word, p, loss; x marks a wrong one") },
};

const char *keymap_help_desc(const help_entry *e, bool utf8)
{
	for (size_t i = 0; !utf8 && i < sizeof help_ascii / sizeof help_ascii[0]; i++)
		if (help_ascii[i].act == e->act[0])
			return _(help_ascii[i].desc);
	return _(e->desc);
}

const help_entry *keymap_help(int *count)
{
	*count = (int)(sizeof help_order / sizeof help_order[0]);
	return help_order;
}

void keymap_keys_of(char *out, int size, const help_entry *e, bool utf8)
{
	int used = 0;
	out[0] = '\0';
	for (int a = 0; a < 3; a++) {
		if (e->act[a] == ACT_NONE)
			continue;
		for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++) {
			const char *label = utf8 ? bindings[i].label_utf8 : bindings[i].label_ascii;
			if (bindings[i].act != e->act[a] || !label)
				continue;
			int k = snprintf(out + used, (size_t)(size - used), "%s%s", used ? " " : "",
					 label);
			if (k < 0 || k >= size - used)
				return;
			used += k;
		}
	}
}

bool keymap_scroll_delta(int ch, bool is_key, int *delta)
{
	if (is_key) {
		switch (ch) {
		case KEY_DOWN: *delta = 1; return true;
		case KEY_UP: *delta = -1; return true;
		case KEY_NPAGE: *delta = 10; return true;
		case KEY_PPAGE: *delta = -10; return true;
		default: return false;
		}
	}
	switch (ch) {
	case 'j': *delta = 1; return true;
	case 'k': *delta = -1; return true;
	default: return false;
	}
}
