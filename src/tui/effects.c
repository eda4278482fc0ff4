/* The view's effects, run by the app loop after a key: the only place in
 * the TUI that writes a file (through the writer the cli hands in). */
#include "tui/effects.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "attnviz/weights.h"
#include "tui/i18n.h"
#include "tui/teach.h"

/* "attnviz-trained-N.weights" naming no file yet; -1 when none is free. */
static int trained_path(char *out, size_t size)
{
	for (int k = 1; k <= 9999; k++) {
		snprintf(out, size, "attnviz-trained-%d.weights", k);
		if (access(out, F_OK) != 0 && errno == ENOENT)
			return 0;
	}
	return -1;
}

/* W: the weights in use (after live training, the trained ones), with the
 * mask and positional encoding they were trained under; written
 * atomically by the core. */
static void save_weights(view *v, const av_model *m)
{
	char path[64];
	av_error err;
	av_weights w;
	if (trained_path(path, sizeof path) != 0) {
		view_message(v, true, "%s", _("save: no free name attnviz-trained-N.weights in this directory"));
		return;
	}
	if (av_model_weights_for_save(m, &w, &err) != AV_OK) {
		view_message(v, true, "%s", err.msg);
		return;
	}
	w.trained_mask = (int)m->cfg.mask;
	w.positional = m->cfg.positional;
	av_status st = av_weights_save(&w, path, &err);
	av_weights_free(&w);
	if (st != AV_OK)
		view_message(v, true, "%s", err.msg);
	else
		/* the file named once: at 80 columns the line keeps its end */
		view_message(v, false, _("saved %s (%d steps, mask %s): --weights loads it"), path,
			     m->w.trained_steps, av_mask_name(m->cfg.mask));
}


void effects_run(view *v, const av_model *m, tui_export_fn export_svg)
{
	char path[64];
	av_error err;
	view_effect e = v->effect;
	v->effect = VIEW_EFFECT_NONE;
	if (e == VIEW_EFFECT_SAVE_WEIGHTS) {
		save_weights(v, m);
		return;
	}
	if (e != VIEW_EFFECT_EXPORT)
		return;
	if (!export_svg) {
		view_message(v, true, "%s", _("export: not available here"));
		return;
	}
	if (teach_export_path(path, sizeof path) != 0) {
		view_message(v, true, _("export: no free name attnviz-export-N.svg in this directory"));
		return;
	}
	if (export_svg(m, path, &err) != AV_OK)
		view_message(v, true, "%s", err.msg);
	else
		view_message(v, false, _("exported %s (this sentence, mask %s, every head)"), path,
			     av_mask_name(m->cfg.mask));
}
