/* attnviz: parse options, build the model, hand it to a front end (the
 * TUI on a terminal, --print or --json otherwise, or `attnviz bench`). */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "attnviz/model.h"
#include "attnviz/weights.h"
#include "cli/bench.h"
#include "out/json.h"
#include "cli/options.h"
#include "out/print.h"
#include "tui/tui.h"

#define EXIT_OUTPUT 1
#define EXIT_USAGE 2

static int usage_error(const char *msg)
{
	fprintf(stderr, "attnviz: %s\n", msg);
	return EXIT_USAGE;
}

/* Load --weights; shapes not given on the command line come from the file. */
static int load_weights(cli_options *o, av_weights *w)
{
	av_error err;
	if (av_weights_load(w, o->weights_path, &err) != AV_OK)
		return usage_error(err.msg);
	if (!o->dim_set)
		o->cfg.d_model = w->d_model;
	if (!o->hidden_set)
		o->cfg.d_hidden = o->dim_set ? o->cfg.d_model : w->d_hidden;
	if (!o->heads_set)
		o->cfg.heads = w->heads;
	if (w->d_model != o->cfg.d_model || w->d_hidden != o->cfg.d_hidden ||
	    w->heads != o->cfg.heads) {
		char msg[400];
		snprintf(msg, sizeof msg,
			 "%s has d_model %d, d_hidden %d, heads %d, but the options ask for "
			 "--dim %d --hidden %d --heads %d: drop those options or use matching ones",
			 o->weights_path, w->d_model, w->d_hidden, w->heads, o->cfg.d_model,
			 o->cfg.d_hidden, o->cfg.heads);
		av_weights_free(w);
		return usage_error(msg);
	}
	return 0;
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	if (argc > 1 && strcmp(argv[1], "bench") == 0)
		return bench_main(argc - 1, argv + 1);

	cli_options o;
	char msg[400];
	switch (options_parse(&o, argc, argv, msg, sizeof msg)) {
	case OPTIONS_HELP: fputs(options_help(), stdout); return 0;
	case OPTIONS_VERSION: printf("attnviz %s\n", ATTNVIZ_VERSION); return 0;
	case OPTIONS_ERROR:
		fprintf(stderr, "attnviz: %s\n", msg);
		return EXIT_USAGE;
	case OPTIONS_OK: break;
	}

	av_weights w;
	int have_weights = 0;
	if (o.weights_path) {
		int rc = load_weights(&o, &w);
		if (rc)
			return rc;
		have_weights = 1;
	}

	av_model m;
	av_error err;
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
	if (av_model_set_sentence(&m, o.sentence, &err) != AV_OK) {
		av_model_destroy(&m);
		return usage_error(err.msg);
	}
	if (o.save_weights) {
		av_weights out;
		st = av_model_weights_for_save(&m, &out, &err);
		if (st == AV_OK) {
			st = av_weights_save(&out, o.save_weights, &err);
			av_weights_free(&out);
		}
		if (st != AV_OK) {
			av_model_destroy(&m);
			return usage_error(err.msg);
		}
	}

	int status = 0;
	cli_mode mode = o.mode;
	if (mode == MODE_AUTO)
		mode = isatty(STDOUT_FILENO) ? MODE_TUI : MODE_PRINT;
	switch (mode) {
	case MODE_JSON:
	case MODE_PRINT:
		if ((mode == MODE_JSON ? json_write_model(stdout, &m) : print_model(stdout, &m)) != 0) {
			perror("attnviz: writing the output");
			status = EXIT_OUTPUT;
		}
		break;
	case MODE_TUI:
	case MODE_AUTO:
		status = tui_run(&m, &o);
		break;
	}
	av_model_destroy(&m);
	return status;
}
