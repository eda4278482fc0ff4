/* attnviz: parse options, build the model, hand it to a front end (the
 * TUI on a terminal, --print or --json otherwise, or `attnviz bench`). */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "attnviz/i18n.h"
#include "attnviz/atomic.h"
#include "attnviz/model.h"
#include "i18n/lang.h"
#include "attnviz/train.h"
#include "attnviz/weights.h"
#include "cli/bench.h"
#include "cli/train.h"
#include "cli/generate.h"
#include "cli/assets.h"
#include "formats/json.h"
#include "cli/options.h"
#include "formats/print.h"
#include "attnviz/diff.h"
#include "attnviz/keys.h"
#include "attnviz/tokenize.h"
#include "cli/lessons.h"
#include "cli/report.h"
#include "formats/export.h"
#include "tui/tui.h"

#define EXIT_OUTPUT REPORT_EXIT_OUTPUT
#define EXIT_USAGE REPORT_EXIT_USAGE

/* Every error line goes through the one sanitizer (cli/report.h). */
static int usage_error(const char *msg)
{
	return report_error("attnviz", msg);
}

/* Load --weights. The file gives the sizes; the ones also given on the
 * command line must agree with it (and only those are named on error). */
static int load_weights(cli_options *o, av_weights *w)
{
	av_error err;
	if (av_weights_load(w, o->weights_path, &err) != AV_OK)
		return usage_error(err.msg);
	char msg[400];
	const char *what = NULL;
	int given = 0, in_file = 0;
	if (o->dim_set && o->cfg.d_model != w->d_model)
		what = "--dim", given = o->cfg.d_model, in_file = w->d_model;
	else if (o->hidden_set && o->cfg.d_hidden != w->d_hidden)
		what = "--hidden", given = o->cfg.d_hidden, in_file = w->d_hidden;
	else if (o->heads_set && o->cfg.heads != w->heads)
		what = "--heads", given = o->cfg.heads, in_file = w->heads;
	if (what) {
		snprintf(msg, sizeof msg,
			 _("%s %d disagrees with %s, which has %s %d: drop %s or use a matching file"),
			 what, given, o->weights_path,
			 what[2] == 'd' ? "d_model" : what[2] == 'h' && what[3] == 'i' ? "d_hidden" : "heads",
			 in_file, what);
		av_weights_free(w);
		return usage_error(msg);
	}
	o->cfg.d_model = w->d_model;
	o->cfg.d_hidden = w->d_hidden;
	o->cfg.heads = w->heads;
	return 0;
}

static int run(cli_options *o);



static int finish(av_model *m, int status)
{
	av_model_destroy(m);
	return status;
}

/* --diff: the same weights on OTHER, compared position by position. Fills
 * *b and *d, or prints the error and returns 2 (b is then not allocated). */
static int prepare_diff(av_model *b, av_diff *d, const av_model *m, const char *other)
{
	av_error err;
	char msg[400];
	if (av_model_create(b, &m->cfg, &m->w, &err) != AV_OK)
		return usage_error(err.msg);
	if (av_model_set_sentence(b, other, &err) != AV_OK ||
	    av_model_diff(d, m, b, &err) != AV_OK) {
		av_model_destroy(b);
		snprintf(msg, sizeof msg, _("--diff: %s"), err.msg);
		return usage_error(msg);
	}
	return 0;
}

/* After writing to stdout: 0, or EXIT_OUTPUT with a line on stderr. */
static int output_status(void)
{
	return report_output_status("attnviz");
}

/* An exact "--lang CODE" or "--lang=CODE" anywhere before "--" is applied
 * before anything is said (errors in other options included) and taken out
 * of argv, so that `attnviz --lang zh bench` works too. Returns 0, or
 * EXIT_USAGE after the error line. */
static int early_lang(int *argc, char **argv)
{
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		const char *code = NULL;
		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < *argc)
			code = argv[++i];
		else if (strncmp(argv[i], "--lang=", 7) == 0)
			code = argv[i] + 7;
		if (!code) {
			argv[out++] = argv[i];
			continue;
		}
		lang_id id;
		char msg[200];
		if (lang_parse(code, &id, msg, sizeof msg))
			return usage_error(msg);
		lang_set(id);
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	/* Numbers are always written with '.', in every front end, so that a
	 * handout, the JSON and the screen agree whatever the user's locale. */
	setlocale(LC_NUMERIC, "C");
	/* Every user-visible string goes through gettext: the build tree's
	 * catalogues when run from it, else the installed ones. */
	lang_init();
	if (early_lang(&argc, argv))
		return EXIT_USAGE;
	if (argc > 1 && strcmp(argv[1], "bench") == 0)
		return bench_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "train") == 0)
		return train_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "generate") == 0)
		return generate_main(argc - 1, argv + 1);

	cli_options o;
	av_error oerr;
	switch (options_parse(&o, argc, argv, &oerr)) {
	case OPTIONS_HELP: options_help(stdout); return output_status();
	case OPTIONS_VERSION: printf("attnviz %s\n", ATTNVIZ_VERSION); return output_status();
	case OPTIONS_ERROR: return usage_error(oerr.msg);
	case OPTIONS_OK: break;
	}
	if (o.lang_set) { /* an abbreviated --lan(g): applied late, but applied */
		lang_set(o.lang);
		if (!o.sentence_set)
			o.sentence = options_default_sentence();
	}

	if (o.list_lessons) {
		if (lessons_list(stdout) == 0)
			return usage_error(_("no lessons found: set ATTNVIZ_ASSETS to a folder with "
					     "lessons/*.lesson"));
		return output_status();
	}

	av_lesson lesson, lesson_other;
	av_error err;
	memset(&lesson, 0, sizeof lesson);
	if (o.lesson_name) {
		if (lessons_load(&lesson, o.lesson_name, &err) != AV_OK)
			return usage_error(err.msg);
		/* the lesson's opening settings, unless given on the command line */
		if (lesson.start.sentence[0] && !o.sentence_set)
			o.sentence = lesson.start.sentence;
		if (lesson.start.mask >= 0 && !o.mask_set)
			o.cfg.mask = (av_mask_kind)lesson.start.mask;
		if (lesson.start.positional >= 0 && !o.positional_set)
			o.cfg.positional = lesson.start.positional;
		o.lesson = &lesson;
		/* for the live language switch, when the lesson exists in both */
		if (lessons_load_other(&lesson_other, o.lesson_name, &err) == AV_OK)
			o.lesson_other = &lesson_other;
	}
	int status = run(&o);
	av_lesson_free(&lesson);
	if (o.lesson_other)
		av_lesson_free(&lesson_other);
	return status;
}

/* Everything after option parsing; o->lesson stays owned by main. */
static int run(cli_options *o_)
{
	cli_options o = *o_;
	char msg[400];
	av_error err;
	if (o.keys_text) {
		o.n_keys = av_keys_parse(o.keys, AV_MAX_KEYS, o.keys_text, strlen(o.keys_text), &err);
		if (o.n_keys < 0) {
			snprintf(msg, sizeof msg, _("--keys: %s"), err.msg);
			return usage_error(msg);
		}
	}
	cli_mode mode = o.mode;
	if (mode == MODE_AUTO && !o.diff_sentence && !o.export_path)
		mode = isatty(STDOUT_FILENO) ? MODE_TUI : MODE_PRINT;
	if (o.quiz && mode != MODE_TUI)
		return usage_error(_("--quiz needs the interactive view, and stdout is not a terminal"));
	if (o.keys_text && mode != MODE_TUI)
		return usage_error(_("--keys needs the interactive view, and stdout is not a terminal "
				     "(add --tui to replay keys on the terminal)"));
	if (o.export_path) {
		export_format fmt;
		av_error xerr;
		if (export_format_of(o.export_path, &fmt, &xerr) != AV_OK)
			return usage_error(xerr.msg);
	}
	/* Every output target is checked before any is written: a refused
	 * --export never leaves a --save-weights file behind. */
	if (o.export_path && av_atomic_check(o.export_path, _("the export"), &err) != AV_OK)
		return usage_error(err.msg);
	if (o.save_weights && av_atomic_check(o.save_weights, _("weights"), &err) != AV_OK)
		return usage_error(err.msg);

	/* With no --seed, --weights, --untrained or sizes: the trained model
	 * of the sentence's language, when it is installed. */
	char model_path[4096], weights_name[64] = "";
	if (!o.weights_path && !o.seed_set && !o.untrained && !o.dim_set && !o.hidden_set &&
	    !o.heads_set) {
		const char *lang = assets_language(o.sentence);
		char rel[64];
		snprintf(rel, sizeof rel, "models/%s.weights", lang);
		if (assets_find(model_path, sizeof model_path, rel) == 0) {
			o.weights_path = model_path;
			snprintf(weights_name, sizeof weights_name, "%s", lang);
		}
	}
	av_weights w;
	int have_weights = 0;
	if (o.weights_path) {
		int rc = load_weights(&o, &w);
		if (rc)
			return rc;
		have_weights = 1;
		if (!weights_name[0]) {
			const char *base = strrchr(o.weights_path, '/');
			/* shown in titles and --print: made safe once, here */
			av_text_sanitize(weights_name, sizeof weights_name,
					 base ? base + 1 : o.weights_path);
		}
		/* a trained model was trained with or without the positional
		 * encoding: use it the same way unless told otherwise */
		if (w.positional >= 0 && !o.positional_set && !(o.lesson && o.lesson->start.positional >= 0))
			o.cfg.positional = w.positional;
	}

	av_model m;
	av_status st = av_model_create(&m, &o.cfg, have_weights ? &w : NULL, &err);
	if (have_weights)
		av_weights_free(&w);
	if (st != AV_OK) {
		if (o.weights_path)
			snprintf(msg, sizeof msg, "%s: %s", o.weights_path, err.msg);
		else
			snprintf(msg, sizeof msg, "%s", err.msg);
		return usage_error(msg);
	}
	snprintf(m.weights_name, sizeof m.weights_name, "%s", weights_name);
	if (av_model_set_sentence(&m, o.sentence, &err) != AV_OK) {
		av_model_destroy(&m);
		return usage_error(err.msg);
	}
	av_model other;
	av_diff diff;
	if (o.diff_sentence) {
		int rc = prepare_diff(&other, &diff, &m, o.diff_sentence);
		if (rc)
			return finish(&m, rc);
	}
	/* Every check has passed: only now write the weights file. */
	if (o.save_weights) {
		av_weights out;
		st = av_model_weights_for_save(&m, &out, &err);
		if (st == AV_OK) {
			st = av_weights_save(&out, o.save_weights, &err);
			av_weights_free(&out);
		}
		if (st != AV_OK) {
			if (o.diff_sentence)
				av_model_destroy(&other);
			return finish(&m, usage_error(err.msg));
		}
	}

	if (o.diff_sentence) {
		print_diff(stdout, &m, &other, &diff);
		int rc = output_status(); /* names a write error, if any */
		av_model_destroy(&other);
		return finish(&m, rc);
	}
	if (o.export_path) {
		av_error xerr;
		if (export_model(&m, o.export_path, &xerr) != AV_OK)
			return finish(&m, usage_error(xerr.msg));
		char safe[1024];
		fprintf(stderr, _("attnviz: wrote %s\n"),
			av_text_sanitize(safe, sizeof safe, o.export_path));
		return finish(&m, 0);
	}

	int status = 0;
	switch (mode) {
	case MODE_JSON:
	case MODE_PRINT:
		if (mode == MODE_PRINT && o.lesson && print_lesson(stdout, o.lesson) != 0)
			status = EXIT_OUTPUT;
		if ((mode == MODE_JSON ? json_write_model(stdout, &m) : print_model(stdout, &m)) != 0 ||
		    status) {
			perror(_("attnviz: writing the output"));
			status = EXIT_OUTPUT;
		}
		break;
	case MODE_TUI:
	case MODE_AUTO:
	{
		tui_options t = {.sentence = o.sentence, .no_color = o.no_color, .ascii = o.ascii,
				 .quiz = o.quiz, .lesson = o.lesson, .lesson_other = o.lesson_other,
				 .n_keys = o.n_keys,
				 .keys = o.keys, .export_svg = export_model, .theme = o.theme,
				 .big = o.big};
		/* T trains on the corpus of the model's language, when installed */
		av_corpus corpus;
		char corpus_path[4096], rel[64];
		snprintf(rel, sizeof rel, "corpus/%s.txt", assets_language(o.sentence));
		if (m.lm_V > 0 && assets_find(corpus_path, sizeof corpus_path, rel) == 0 &&
		    av_corpus_load(&corpus, corpus_path, &err) == AV_OK) {
			av_corpus_split(&corpus, AV_TRAIN_DEFAULT_HELDOUT);
			t.corpus = &corpus;
		}
		status = tui_run(&m, &t);
		if (t.corpus)
			av_corpus_free(&corpus);
		break;
	}
	}
	av_model_destroy(&m);
	return status;
}
