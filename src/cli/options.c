/* Option parsing with getopt_long. Every error names the option, the bad
 * value and what is allowed, in one line. */
#include "cli/options.h"

#include "attnviz/i18n.h"
#include "attnviz/tokenize.h"
#include "i18n/lang.h"
#include "cli/cliarg.h"
#include "tui/tui.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_SEED = 256,
	OPT_DIM,
	OPT_HIDDEN,
	OPT_HEADS,
	OPT_MASK,
	OPT_POSITIONAL,
	OPT_NO_POSITIONAL,
	OPT_WEIGHTS,
	OPT_SAVE_WEIGHTS,
	OPT_PRINT,
	OPT_JSON,
	OPT_TUI,
	OPT_NO_COLOR,
	OPT_ASCII,
	OPT_DIFF,
	OPT_EXPORT,
	OPT_LESSON,
	OPT_LIST_LESSONS,
	OPT_KEYS,
	OPT_QUIZ,
	OPT_LANG,
	OPT_THEME,
	OPT_BIG,
	OPT_UNTRAINED,
};

static const struct option long_options[] = {
	{ "sentence", required_argument, NULL, 's' },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "dim", required_argument, NULL, OPT_DIM },
	{ "hidden", required_argument, NULL, OPT_HIDDEN },
	{ "heads", required_argument, NULL, OPT_HEADS },
	{ "mask", required_argument, NULL, OPT_MASK },
	{ "positional", no_argument, NULL, OPT_POSITIONAL },
	{ "no-positional", no_argument, NULL, OPT_NO_POSITIONAL },
	{ "weights", required_argument, NULL, OPT_WEIGHTS },
	{ "save-weights", required_argument, NULL, OPT_SAVE_WEIGHTS },
	{ "print", no_argument, NULL, OPT_PRINT },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "tui", no_argument, NULL, OPT_TUI },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "ascii", no_argument, NULL, OPT_ASCII },
	{ "diff", required_argument, NULL, OPT_DIFF },
	{ "export", required_argument, NULL, OPT_EXPORT },
	{ "lesson", required_argument, NULL, OPT_LESSON },
	{ "list-lessons", no_argument, NULL, OPT_LIST_LESSONS },
	{ "keys", required_argument, NULL, OPT_KEYS },
	{ "quiz", no_argument, NULL, OPT_QUIZ },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "theme", required_argument, NULL, OPT_THEME },
	{ "big", no_argument, NULL, OPT_BIG },
	{ "untrained", no_argument, NULL, OPT_UNTRAINED },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* The help in paragraphs, each one message for the translators; the
 * option names inside stay as they are in every language. */
static const char *const help_parts[] = {
	N_("Usage: attnviz [OPTION]...\n"
	   "       attnviz bench [BENCH OPTION]...   (see 'attnviz bench --help')\n"
	   "       attnviz train [TRAIN OPTION]... --out FILE   (see 'attnviz train --help')\n"
	   "       attnviz generate --prompt TEXT [OPTION]...   (see 'attnviz generate --help')\n"
	   "Show why self-attention parallelizes and an RNN does not: the RNN's hidden\n"
	   "states h_n = tanh(W_h h_{n-1} + W_e c_n + b) computed one after another, beside\n"
	   "causal attention's scores, 0/1 mask and softmax computed for all rows at once.\n"
	   "On a terminal it opens the interactive view; otherwise it prints (--print).\n"
	   "\n"),
	N_("Input and model:\n"
	   "  -s, --sentence TEXT     the sentence (UTF-8, 1..64 tokens)\n"),
	NULL, /* the default sentence of the interface language */
	N_("      --seed N            random weights and embeddings from seed N (0..2^63-1)\n"
	   "                          instead of the trained model\n"
	   "      --untrained         the random weights of seed 685 instead of the trained\n"
	   "                          model (default: the trained English model, the Chinese\n"
	   "                          one for a Chinese sentence, when neither --seed,\n"
	   "                          --weights nor --dim/--hidden/--heads is given)\n"
	   "      --dim N             d_model, size of each input c_n (1..128, default 4 for\n"
	   "                          random weights; the trained models have 16)\n"
	   "      --hidden N          d_hidden, size of each RNN state h_n (1..128, default: --dim)\n"
	   "      --heads N           attention heads (1..8, must divide --dim, default 1)\n"
	   "      --mask KIND         causal (default: j <= i), none (all ones),\n"
	   "                          strict (j < i) or future (j >= i)\n"
	   "      --positional        add sinusoidal positional encodings to the inputs\n"
	   "      --no-positional     do not (default: off for random weights; a trained\n"
	   "                          model as it was trained, on for the shipped ones)\n"
	   "      --weights FILE      read the weights from FILE (attnviz-weights 1 or 2);\n"
	   "                          the sizes come from the file (--dim/--hidden/--heads,\n"
	   "                          if given, must match it)\n"
	   "      --save-weights FILE write the weights in use to FILE (then run as usual)\n"
	   "\n"),
	N_("Output:\n"
	   "      --print             every matrix as labelled plain text (default off a terminal)\n"
	   "      --json              every number as JSON (format attnviz-dump, version 1)\n"
	   "      --tui               the interactive view, even if stdout is not a terminal\n"
	   "      --no-color          no colours in the interactive view (also: NO_COLOR=1)\n"
	   "      --ascii             ASCII glyphs only (automatic when the locale is not UTF-8)\n"
	   "      --theme BG          dark, light or auto (default: auto, from COLORFGBG; dark\n"
	   "                          when unset): colours readable on that background\n"
	   "      --big               presenter mode for a hall: numbers in wide cells, fewer\n"
	   "                          panels at once (b toggles it)\n"
	   "      --lang CODE         interface language: en or zh_CN (zh); default: from\n"
	   "                          LANGUAGE, LC_ALL, LC_MESSAGES, LANG; L switches it live\n"
	   "\n"),
	N_("Teaching:\n"
	   "      --diff OTHER        compare with OTHER (same number of tokens): the largest\n"
	   "                          change of h_n and of attention row n, position by position\n"
	   "      --export FILE       write the current state to FILE and exit; the extension\n"
	   "                          chooses: .svg (slides), .md (tables), .txt (as --print)\n"
	   "      --lesson NAME|FILE  run a lesson in the interactive view (n/N: next/previous);\n"
	   "                          with --print, its captions as a handout\n"
	   "      --list-lessons      list the installed lessons and exit (alone)\n"
	   "      --keys KEYS         replay keystrokes at start in the interactive view,\n"
	   "                          e.g. 'lll<Enter>' (keys: man page)\n"
	   "      --quiz              start the interactive view in quiz mode\n"
	   "\n"),
	N_("  -h, --help              show this help and exit\n"
	   "  -V, --version           show the version and exit\n"
	   "\n"
	   "Numbers: digits only ('-' where negative is allowed), no blanks, no '+'.\n"
	   "Exit status: 0 on success, 1 on an output error, 2 on bad options or input.\n"
	   "Keys of the interactive view: press ? inside it, or see man attnviz.\n"),
};

const char *options_default_sentence(void)
{
	return lang_current() == LANG_ZH ? AV_DEFAULT_SENTENCE_ZH : AV_DEFAULT_SENTENCE;
}

void options_help(FILE *f)
{
	for (size_t i = 0; i < sizeof help_parts / sizeof help_parts[0]; i++) {
		if (help_parts[i])
			fputs(_(help_parts[i]), f);
		else
			fprintf(f, _("                          default: \"%s\"\n"),
				options_default_sentence());
	}
}

/* --list-lessons only lists: the first model, file or view option given
 * with it, which it would ignore, or NULL. */
static const char *ignored_by_list(const cli_options *o)
{
	return o->export_path      ? "--export"
	       : o->save_weights   ? "--save-weights"
	       : o->diff_sentence  ? "--diff"
	       : o->weights_path   ? "--weights"
	       : o->sentence_set   ? "--sentence"
	       : o->seed_set       ? "--seed"
	       : o->dim_set        ? "--dim"
	       : o->hidden_set     ? "--hidden"
	       : o->heads_set      ? "--heads"
	       : o->mask_set       ? "--mask"
	       : o->positional_set ? "--positional"
	       : o->lesson_name    ? "--lesson"
	       : o->untrained      ? "--untrained"
				   : NULL;
}

/* Options that would be silently ignored together: refuse them. */
static av_status check_conflicts(const cli_options *o, av_error *err)
{
	const char *action = o->diff_sentence ? "--diff" : o->export_path ? "--export"
			     : o->list_lessons   ? "--list-lessons"
						 : NULL;
	const char *other = NULL;
	if (o->list_lessons && ignored_by_list(o))
		action = "--list-lessons", other = ignored_by_list(o);
	else if (o->diff_sentence && o->export_path)
		other = "--export";
	else if (action && o->mode != MODE_AUTO)
		other = o->mode == MODE_PRINT ? "--print" : o->mode == MODE_JSON ? "--json" : "--tui";
	else if (action && o->quiz)
		other = "--quiz";
	else if (action && o->keys_text)
		other = "--keys";
	else if (action && o->lesson_name && !o->list_lessons)
		other = "--lesson";
	else if (o->mode == MODE_JSON && (o->lesson_name || o->keys_text || o->quiz))
		action = "--json", other = o->lesson_name ? "--lesson" : o->keys_text ? "--keys" : "--quiz";
	else if (o->mode == MODE_PRINT && (o->keys_text || o->quiz))
		action = "--print", other = o->keys_text ? "--keys" : "--quiz";
	if (!other)
		return AV_OK;
	return av_error_set(err, AV_ERR_RANGE, _("%s cannot be combined with %s: %s would be ignored"),
			    action, other, other);
}

options_result options_parse(cli_options *o, int argc, char **argv, av_error *err)
{
	memset(o, 0, sizeof *o);
	o->cfg = av_config_default();
	o->sentence = options_default_sentence();
	o->mode = MODE_AUTO;
	const char *no_color = getenv("NO_COLOR");
	o->no_color = no_color && no_color[0] != '\0';
	av_error_clear(err);

	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":s:hV", long_options, NULL)) != -1) {
		switch (c) {
		case 's': o->sentence = optarg, o->sentence_set = true; break;
		case OPT_SEED:
			if (cliarg_u64(&o->cfg.seed, "--seed", optarg, (uint64_t)INT64_MAX, err))
				return OPTIONS_ERROR;
			o->seed_set = true;
			break;
		case OPT_UNTRAINED: o->untrained = true; break;
		case OPT_DIM:
			if (cliarg_int(&o->cfg.d_model, "--dim", optarg, 1, AV_MAX_DIM, err))
				return OPTIONS_ERROR;
			o->dim_set = true;
			break;
		case OPT_HIDDEN:
			if (cliarg_int(&o->cfg.d_hidden, "--hidden", optarg, 1, AV_MAX_DIM, err))
				return OPTIONS_ERROR;
			o->hidden_set = true;
			break;
		case OPT_HEADS:
			if (cliarg_int(&o->cfg.heads, "--heads", optarg, 1, AV_MAX_HEADS, err))
				return OPTIONS_ERROR;
			o->heads_set = true;
			break;
		case OPT_MASK:
			if (av_mask_parse(optarg, &o->cfg.mask)) {
				char shown[64];
				av_error_set(err, AV_ERR_RANGE,
					     _("--mask '%s' is unknown: allowed causal, none, strict, future"),
					     av_text_show(shown, sizeof shown, optarg));
				return OPTIONS_ERROR;
			}
			o->mask_set = true;
			break;
		case OPT_POSITIONAL: o->cfg.positional = true, o->positional_set = true; break;
		case OPT_NO_POSITIONAL: o->cfg.positional = false, o->positional_set = true; break;
		case OPT_WEIGHTS: o->weights_path = optarg; break;
		case OPT_SAVE_WEIGHTS: o->save_weights = optarg; break;
		case OPT_PRINT:
		case OPT_JSON:
		case OPT_TUI: {
			cli_mode want = c == OPT_PRINT ? MODE_PRINT : c == OPT_JSON ? MODE_JSON : MODE_TUI;
			static const char *const names[] = { "", "--print", "--json", "--tui" };
			if (o->mode != MODE_AUTO && o->mode != want) {
				av_error_set(err, AV_ERR_RANGE,
					     _("%s and %s cannot be combined: choose one output"),
					     names[o->mode], names[want]);
				return OPTIONS_ERROR;
			}
			o->mode = want;
			break;
		}
		case OPT_NO_COLOR: o->no_color = true; break;
		case OPT_ASCII: o->ascii = true; break;
		case OPT_DIFF: o->diff_sentence = optarg; break;
		case OPT_EXPORT: o->export_path = optarg; break;
		case OPT_LESSON: o->lesson_name = optarg; break;
		case OPT_LIST_LESSONS: o->list_lessons = true; break;
		case OPT_KEYS: o->keys_text = optarg; break;
		case OPT_QUIZ: o->quiz = true; break;
		case OPT_LANG: /* main applied the exact --lang already; this is --lan... */
			if (lang_parse(optarg, &o->lang, err->msg, sizeof err->msg)) {
				err->code = AV_ERR_RANGE;
				return OPTIONS_ERROR;
			}
			o->lang_set = true;
			break;
		case OPT_BIG: o->big = true; break;
		case OPT_THEME:
			if (strcmp(optarg, "dark") == 0)
				o->theme = THEME_BG_DARK;
			else if (strcmp(optarg, "light") == 0)
				o->theme = THEME_BG_LIGHT;
			else if (strcmp(optarg, "auto") == 0)
				o->theme = THEME_BG_AUTO;
			else {
				char shown[64];
				av_error_set(err, AV_ERR_RANGE,
					     _("--theme '%s' is unknown: allowed dark, light, auto"),
					     av_text_show(shown, sizeof shown, optarg));
				return OPTIONS_ERROR;
			}
			break;
		case 'h': return OPTIONS_HELP;
		case 'V': return OPTIONS_VERSION;
		default:
			cliarg_getopt_error(err, c, long_options, argv, "attnviz");
			return OPTIONS_ERROR;
		}
	}
	if (cliarg_no_operands(err, argc, argv,
			       _(": give the sentence with -s \"...\" (see --help)")) != AV_OK)
		return OPTIONS_ERROR;
	if (check_conflicts(o, err) != AV_OK)
		return OPTIONS_ERROR;
	if (o->weights_path && o->untrained) {
		av_error_set(err, AV_ERR_RANGE,
			     _("--weights cannot be combined with --untrained: the file gives the weights"));
		return OPTIONS_ERROR;
	}
	if (!o->hidden_set)
		o->cfg.d_hidden = o->cfg.d_model;
	/* With --weights the file's shapes fill in what was not given; the model
	 * checks the result. */
	if (!o->weights_path && o->cfg.d_model % o->cfg.heads != 0) {
		av_error_set(err, AV_ERR_RANGE,
			     _("--heads %d does not divide --dim %d: heads must divide dim"), o->cfg.heads,
			     o->cfg.d_model);
		return OPTIONS_ERROR;
	}
	return OPTIONS_OK;
}
