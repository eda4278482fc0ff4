/* `attnviz generate`: read the prompt into the decoder (the RNN's state,
 * attention's K/V cache), then draw one token at a time and print each with
 * its probability, and the number of dependent steps that took. */
#include "cli/generate.h"
#include "attnviz/i18n.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attnviz/generate.h"
#include "attnviz/model.h"
#include "attnviz/tokenize.h"
#include "attnviz/weights.h"
#include "cli/cliarg.h"
#include "cli/report.h"
#include "cli/assets.h"
#include "tui/i18n.h"

#define EXIT_USAGE 2

enum { OPT_PROMPT = 256, OPT_MODEL, OPT_TOKENS, OPT_TEMPERATURE, OPT_TOP_K, OPT_SEED, OPT_WEIGHTS };

static const struct option long_options[] = {
	{ "prompt", required_argument, NULL, OPT_PROMPT },
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "tokens", required_argument, NULL, OPT_TOKENS },
	{ "temperature", required_argument, NULL, OPT_TEMPERATURE },
	{ "top-k", required_argument, NULL, OPT_TOP_K },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "weights", required_argument, NULL, OPT_WEIGHTS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *const generate_help = N_(	"Usage: attnviz generate --prompt TEXT [OPTION]...\n"
	"Continue TEXT one token at a time with a trained model and print each token\n"
	"with its probability. The attention model keeps a cache of the K and V rows\n"
	"seen so far (row t from the cache, never a recompute of the whole grid); the\n"
	"RNN keeps h_t. Either way each token waits for the one before: generation is\n"
	"sequential, the parallel rows of attention are a training-time property.\n"
	"\n"
	"  --prompt TEXT       the start (1..63 tokens; words outside the vocabulary\n"
	"                      read as <unk>)\n"
	"  --model NAME        attention (default) or rnn\n"
	"  --tokens N          tokens to add, 1..63, at most 64 in all (default 8)\n"
	"  --temperature T     0 (always the most probable) .. 10 (default 0.8)\n"
	"  --top-k K           draw among the K most probable only, 0..4096 (default 0: all)\n"
	"  --seed S            the draws, 0..2^63-1 (default 685)\n"
	"  --weights FILE      a version-2 file from attnviz train (default: the\n"
	"                      installed trained model of the prompt's language)\n"
	"  -h, --help          show this help and exit\n"
	"\n"
	"Exit status: 0 on success, 1 on an output error, 2 on bad options or input.\n");

typedef struct {
	const char *prompt, *weights;
	bool rnn;
	int tokens, top_k;
	double temperature;
	uint64_t seed;
} gen_options;

static int parse(gen_options *o, int argc, char **argv, av_error *err, bool *help)
{
	memset(o, 0, sizeof *o);
	o->tokens = 8;
	o->temperature = 0.8;
	o->seed = AV_DEFAULT_SEED;
	*help = false;
	optind = 1;
	opterr = 0;
	int c;
	char shown[64];
	while ((c = getopt_long(argc, argv, ":h", long_options, NULL)) != -1) {
		int bad = 0;
		switch (c) {
		case OPT_PROMPT: o->prompt = optarg; break;
		case OPT_MODEL:
			if (strcmp(optarg, "rnn") == 0 || strcmp(optarg, "attention") == 0) {
				o->rnn = optarg[0] == 'r';
			} else {
				av_error_set(err, AV_ERR_RANGE, _("--model '%s' is unknown: allowed attention, rnn"),
					 av_text_show(shown, sizeof shown, optarg));
				bad = 1;
			}
			break;
		case OPT_TOKENS: bad = cliarg_int(&o->tokens, "--tokens", optarg, 1, AV_MAX_TOKENS - 1, err) != AV_OK; break;
		case OPT_TEMPERATURE: bad = cliarg_double(&o->temperature, "--temperature", optarg, 0, 10, err) != AV_OK; break;
		case OPT_TOP_K: bad = cliarg_int(&o->top_k, "--top-k", optarg, 0, AV_MAX_VOCAB, err) != AV_OK; break;
		case OPT_SEED: bad = cliarg_u64(&o->seed, "--seed", optarg, (uint64_t)INT64_MAX, err) != AV_OK; break;
		case OPT_WEIGHTS: o->weights = optarg; break;
		case 'h': *help = true; return 0;
		default: cliarg_getopt_error(err, c, long_options, argv, "attnviz generate"); return -1;
		}
		if (bad)
			return -1;
	}
	if (cliarg_no_operands(err, argc, argv, _(": give the text with --prompt")) != AV_OK)
		return -1;
	if (!o->prompt) {
		av_error_set(err, AV_ERR_RANGE, _("--prompt TEXT is required: the words to continue"));
		return -1;
	}
	return 0;
}

int generate_main(int argc, char **argv)
{
	gen_options o;
	char path[4096], name[64];
	bool help;
	av_error perr;
	if (parse(&o, argc, argv, &perr, &help))
		return report_error("attnviz generate", perr.msg);
	if (help) {
		fputs(_(generate_help), stdout);
		return report_output_status("attnviz generate");
	}
	av_error e;
	av_tokens toks;
	if (av_tokenize(&toks, o.prompt, strlen(o.prompt), &e) != AV_OK) {
		report_errorf("attnviz generate", _("--prompt: %s"), e.msg);
		return EXIT_USAGE;
	}
	if (toks.n + o.tokens > AV_MAX_TOKENS) {
		report_errorf("attnviz generate", _("--prompt has %d tokens and --tokens %d: at most %d "
				"in all"),
			toks.n, o.tokens, AV_MAX_TOKENS);
		return EXIT_USAGE;
	}
	const char *lang = assets_language(o.prompt);
	if (!o.weights) {
		char rel[64];
		snprintf(rel, sizeof rel, "models/%s.weights", lang);
		if (assets_find(path, sizeof path, rel)) {
			report_errorf("attnviz generate", _("no trained model models/%s.weights installed: "
					"give --weights FILE (from attnviz train)"),
				lang);
			return EXIT_USAGE;
		}
		o.weights = path;
		snprintf(name, sizeof name, "%s", lang);
	} else {
		const char *base = strrchr(o.weights, '/');
		av_text_sanitize(name, sizeof name, base ? base + 1 : o.weights); /* printed */
	}
	av_weights w;
	if (av_weights_load(&w, o.weights, &e) != AV_OK) {
		report_errorf("attnviz generate", "%s", e.msg);
		return EXIT_USAGE;
	}
	if (av_weights_check_values(&w, &e) != AV_OK) {
		report_errorf("attnviz generate", "%s: %s", o.weights, e.msg);
		av_weights_free(&w);
		return EXIT_USAGE;
	}
	if (w.vocab_size == 0) {
		report_errorf("attnviz generate", _("%s has no language model (a version-1 file): give "
				"a file written by attnviz train"),
			o.weights);
		av_weights_free(&w);
		return EXIT_USAGE;
	}
	av_lm lm;
	av_decoder dec;
	av_vocab vocab;
	int status = EXIT_USAGE;
	av_mask_kind mask = w.trained_mask >= 0 ? (av_mask_kind)w.trained_mask : AV_MASK_CAUSAL;
	if (av_lm_create(&lm, w.vocab_size, w.d_model, w.d_hidden, w.heads, mask,
			 w.positional == 1, &e) != AV_OK) {
		report_errorf("attnviz generate", "%s: %s", o.weights, e.msg);
		av_weights_free(&w);
		return EXIT_USAGE;
	}
	av_lm_from_weights(&lm, &w, NULL);
	av_vocab_init(&vocab, NULL);
	for (int i = 1; i < w.vocab_size; i++)
		av_vocab_add(&vocab, &(int){ 0 }, w.vocab[i], NULL);
	if (av_decoder_create(&dec, &lm, &e) != AV_OK) {
		report_errorf("attnviz generate", "%s", e.msg);
		goto out_lm;
	}
	const char *sep = strcmp(lang, "zh") == 0 ? "" : " ";
	printf(_("attnviz generate: the %s model (trained: %s, %d steps), mask %s, temperature %g, "
	       "top-k %d, seed %llu\n"),
	       o.rnn ? "rnn" : _("attention"), name, w.trained_steps, av_mask_name(mask), o.temperature,
	       o.top_k, (unsigned long long)o.seed);
	printf(ngettext("prompt (%d token):", "prompt (%d tokens):", (unsigned long)toks.n), toks.n);
	int unknown = 0;
	int ids[AV_MAX_TOKENS], n = 0;
	for (int t = 0; t < toks.n; t++) {
		ids[n] = av_vocab_id(&vocab, toks.text[t]);
		unknown += ids[n] == AV_UNK_ID;
		printf(" %s%s", toks.text[t], ids[n] == AV_UNK_ID ? " (<unk>)" : "");
		av_decoder_push(&dec, ids[n++]);
	}
	putchar('\n');
	if (unknown)
		printf(unknown == 1 ? _("  %d word outside the vocabulary of %d read as <unk>\n")
				    : _("  %d words outside the vocabulary of %d read as <unk>\n"),
		       unknown, w.vocab_size);
	av_rng r = av_rng_stream(o.seed, "generate");
	for (int k = 0; k < o.tokens; k++) {
		const float *prob = o.rnn ? dec.rnn_prob : dec.attn_prob;
		int id = av_sample(prob, lm.V, (float)o.temperature, o.top_k, &r);
		/* pad by display columns: a CJK word is two columns a character */
		int pad = 12 - av_utf8_width(w.vocab[id]);
		printf("  %2d  %s%*s p = %.3f\n", n + 1, w.vocab[id], pad > 0 ? pad : 0, "",
		       (double)prob[id]);
		ids[n++] = id;
		if (k + 1 < o.tokens)
			av_decoder_push(&dec, id);
	}
	printf("\n");
	for (int t = 0; t < n; t++)
		printf("%s%s", t ? sep : "", t < toks.n ? toks.text[t] : w.vocab[ids[t]]);
	printf(_("\n\ndependent steps used: %d, one per token fed to the decoder (%d of the prompt,\n"
	       "%d generated), each waiting for the one before%s.\n"
	       "Generation is sequential for both models: attention's parallel rows are a\n"
	       "training-time property.\n"),
	       toks.n + o.tokens - 1, toks.n, o.tokens - 1,
	       o.rnn ? "" : _("; attention's K/V cache grew by one row a step"));
	status = report_output_status("attnviz generate");
	av_decoder_destroy(&dec);
out_lm:
	av_vocab_free(&vocab);
	av_lm_destroy(&lm);
	av_weights_free(&w);
	return status;
}
