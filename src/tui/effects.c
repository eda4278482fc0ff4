/* The view's effects, run by the app loop after a key: the only place in
 * the TUI that writes a file (through the writer the cli hands in). */
#include "tui/effects.h"

#include "tui/i18n.h"
#include "tui/teach.h"


void effects_run(view *v, const av_model *m, tui_export_fn export_svg)
{
	char path[64];
	av_error err;
	view_effect e = v->effect;
	v->effect = VIEW_EFFECT_NONE;
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
