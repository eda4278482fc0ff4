/* Layout as a pure function: modes, panel placement, scrolling and the
 * too-small threshold, without a terminal. */
#include <check.h>
#include <stdlib.h>

#include "tui/layout.h"

static void assert_inside(const layout *L)
{
	for (int p = 0; p < AV_PANEL_COUNT; p++) {
		const panel_box *b = &L->panel[p];
		if (!b->visible)
			continue;
		ck_assert_int_ge(b->r.x, L->label_w);
		ck_assert_int_le(b->r.x + b->r.w, L->cols);
		ck_assert_int_ge(b->r.y, 2);
		ck_assert_int_le(b->r.y + b->r.h, L->detail_y);
		ck_assert_int_le(b->first_x + b->cells * b->cell_w, b->r.x + b->r.w);
		for (int q = p + 1; q < AV_PANEL_COUNT; q++) {
			const panel_box *o = &L->panel[q];
			if (!o->visible)
				continue;
			bool apart = o->r.x >= b->r.x + b->r.w || b->r.x >= o->r.x + o->r.w ||
				     o->r.y >= b->r.y + b->r.h || b->r.y >= o->r.y + o->r.h;
			ck_assert_msg(apart, "panels %d and %d overlap at %dx%d", p, q, L->cols,
				      L->lines);
		}
	}
	ck_assert_int_eq(L->status_y, L->lines - 1);
	ck_assert_int_eq(L->detail_y, L->lines - 2);
	ck_assert_int_ge(L->info.h, 1);
}

START_TEST(default_80x24_is_compact_with_every_panel)
{
	layout L;
	layout_compute(&L, 80, 24, 6, 4, 4, 3);
	ck_assert_int_eq(L.mode, LAYOUT_COMPACT);
	for (int p = 0; p < AV_PANEL_COUNT; p++) /* the predictions only when asked for */
		ck_assert_msg(L.panel[p].visible == (p != AV_PANEL_PRED), "panel %s",
			      layout_panel_name(p));
	ck_assert_int_eq(L.rows_vis, 6);
	ck_assert_int_eq(L.grid_cols, 6);
	ck_assert_int_eq(L.n_bands, 1);
	ck_assert_int_eq(L.label_w, 6); /* "6 mat " */
	ck_assert_int_eq(L.panel[AV_PANEL_SCORES].cell_w, LAYOUT_CELL_COMPACT);
	ck_assert_int_eq(L.panel[AV_PANEL_MASK].r.w, 12);
	assert_inside(&L);
}
END_TEST

/* The predictions panel: beside z_n at 80x24 and 120x40 with every row;
 * left out when even the reduced set cannot show every row, unless forced. */
START_TEST(predictions_fit_80x24_and_120x40)
{
	layout L;
	layout_compute_want(&L, 80, 24, 6, 16, 16, 3, &(layout_want){.caption_rows = 0, .heat_grid = AV_PANEL_NONE, .pred = LAYOUT_PRED_FITS});
	ck_assert_int_eq(L.mode, LAYOUT_COMPACT);
	for (int p = 0; p < AV_PANEL_COUNT; p++)
		ck_assert_msg(L.panel[p].visible, "80x24: panel %s hidden", layout_panel_name(p));
	ck_assert_int_eq(L.rows_vis, 6);
	ck_assert(!L.pred_left_out);
	ck_assert_int_eq(L.panel[AV_PANEL_PRED].cells, LAYOUT_PRED_CELLS);
	ck_assert_int_eq(L.panel_band[AV_PANEL_PRED], L.panel_band[AV_PANEL_OUTPUT]);
	assert_inside(&L);

	layout_compute_want(&L, 120, 40, 6, 16, 16, 3, &(layout_want){.caption_rows = 0, .heat_grid = AV_PANEL_NONE, .pred = LAYOUT_PRED_FITS});
	ck_assert_int_eq(L.mode, LAYOUT_NUMERIC);
	for (int p = 0; p < AV_PANEL_COUNT; p++)
		ck_assert_msg(L.panel[p].visible, "120x40: panel %s hidden", layout_panel_name(p));
	ck_assert_int_eq(L.rows_vis, 6);
	assert_inside(&L);

	/* 30 tokens at 80x24: no room beside every row; forced, it shows */
	layout_compute_want(&L, 80, 24, 30, 16, 16, 3, &(layout_want){.caption_rows = 0, .heat_grid = AV_PANEL_NONE, .pred = LAYOUT_PRED_FITS});
	ck_assert(L.pred_left_out);
	ck_assert(!L.panel[AV_PANEL_PRED].visible);
	ck_assert_int_ne(L.mode, LAYOUT_TOO_SMALL);
	layout_compute_want(&L, 80, 24, 30, 16, 16, 3, &(layout_want){.caption_rows = 0, .heat_grid = AV_PANEL_NONE, .pred = LAYOUT_PRED_FORCED});
	ck_assert(!L.pred_left_out);
	ck_assert(L.panel[AV_PANEL_PRED].visible);
	ck_assert(L.panel[AV_PANEL_RNN].visible && L.panel[AV_PANEL_SOFTMAX].visible);
	assert_inside(&L);
}
END_TEST

START_TEST(default_120x40_has_numbers_in_cells)
{
	layout L;
	layout_compute(&L, 120, 40, 6, 4, 4, 3);
	ck_assert_int_eq(L.mode, LAYOUT_NUMERIC);
	ck_assert_int_eq(L.panel[AV_PANEL_SOFTMAX].cell_w, LAYOUT_CELL_NUMERIC);
	ck_assert_int_eq(L.panel[AV_PANEL_MASK].cell_w, LAYOUT_CELL_MASK);
	ck_assert_int_eq(L.rows_vis, 6);
	ck_assert_int_eq(L.n_bands, 2);
	assert_inside(&L);
}
END_TEST

START_TEST(sixteen_tokens_fit_120x40_without_scrolling)
{
	layout L;
	layout_compute(&L, 120, 40, 16, 4, 4, 6);
	ck_assert_int_ne(L.mode, LAYOUT_TOO_SMALL);
	ck_assert_int_eq(L.rows_vis, 16);
	ck_assert_int_eq(L.grid_cols, 16);
	for (int p = 0; p < AV_PANEL_PRED; p++)
		ck_assert(L.panel[p].visible);
	assert_inside(&L);
}
END_TEST

/* Nine tokens at 80x24 scroll, so the counters go on full-width lines
 * under the bands (not wrapped in a column beside them); at 120x40 the
 * explanations use the whole width under the grids. */
START_TEST(counters_on_full_width_lines)
{
	layout L;
	int sizes[][3] = {{80, 24, 9}, {80, 24, 6}, {120, 40, 6}, {100, 30, 12}};
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		layout_compute(&L, sizes[k][0], sizes[k][1], sizes[k][2], 4, 4, 4);
		ck_assert_int_ne(L.mode, LAYOUT_TOO_SMALL);
		ck_assert_int_eq(L.info.x, 0);
		ck_assert_int_eq(L.info.w, L.cols);
		ck_assert_int_ge(L.info.h, 2);
		for (int p = 0; p < AV_PANEL_COUNT; p++)
			if (L.panel[p].visible)
				ck_assert_int_le(L.panel[p].r.y + L.panel[p].r.h, L.info.y);
		assert_inside(&L);
	}
}
END_TEST

START_TEST(sixty_four_tokens_scroll)
{
	layout L;
	layout_compute(&L, 80, 24, 64, 4, 4, 6);
	ck_assert_int_eq(L.mode, LAYOUT_COMPACT);
	ck_assert_int_lt(L.rows_vis, 64);
	ck_assert_int_ge(L.rows_vis, 3);
	ck_assert_int_lt(L.grid_cols, 64);
	ck_assert(L.panel[AV_PANEL_RNN].visible && L.panel[AV_PANEL_SCORES].visible &&
		  L.panel[AV_PANEL_MASK].visible && L.panel[AV_PANEL_SOFTMAX].visible);
	assert_inside(&L);
}
END_TEST

START_TEST(big_vectors_are_clipped)
{
	layout L;
	layout_compute(&L, 120, 40, 6, 128, 64, 3);
	ck_assert_int_ne(L.mode, LAYOUT_TOO_SMALL);
	ck_assert_int_eq(L.panel[AV_PANEL_RNN].cells, LAYOUT_VEC_MAX);
	assert_inside(&L);
}
END_TEST

START_TEST(too_small_names_the_need)
{
	layout L;
	layout_compute(&L, 20, 8, 6, 4, 4, 3);
	ck_assert_int_eq(L.mode, LAYOUT_TOO_SMALL);
	ck_assert_int_gt(L.need_w, 20);
	ck_assert_int_gt(L.need_h, 8);
	ck_assert_int_le(L.need_w, 80);
	ck_assert_int_le(L.need_h, 24);
	for (int p = 0; p < AV_PANEL_COUNT; p++)
		ck_assert(!L.panel[p].visible);
	layout_compute(&L, 1, 1, 6, 4, 4, 3);
	ck_assert_int_eq(L.mode, LAYOUT_TOO_SMALL);
	layout_compute(&L, 0, 0, 6, 4, 4, 3);
	ck_assert_int_eq(L.mode, LAYOUT_TOO_SMALL);
}
END_TEST

/* The size the message asks for is enough, for every sentence length, and
 * every size from it up lays out inside the screen. */
START_TEST(need_is_sufficient)
{
	int n = _i;
	layout L;
	layout_compute(&L, 1, 1, n, 4, 4, 6);
	int nw = L.need_w, nh = L.need_h;
	for (int w = nw; w <= nw + 90; w += 7)
		for (int h = nh; h <= nh + 30; h += 3) {
			layout_compute(&L, w, h, n, 4, 4, 6);
			ck_assert_msg(L.mode != LAYOUT_TOO_SMALL, "n=%d %dx%d too small", n, w, h);
			ck_assert_int_ge(L.rows_vis, n < 3 ? n : 3);
			assert_inside(&L);
		}
	layout_compute(&L, nw - 1, nh, n, 4, 4, 6);
	ck_assert_int_eq(L.mode, LAYOUT_TOO_SMALL);
	layout_compute(&L, nw, nh - 1, n, 4, 4, 6);
	ck_assert_int_eq(L.mode, LAYOUT_TOO_SMALL);
}
END_TEST

START_TEST(hit_maps_cells)
{
	layout L;
	layout_compute(&L, 80, 24, 6, 4, 4, 3);
	const panel_box *b = &L.panel[AV_PANEL_MASK];
	int row, col;
	int p = layout_hit(&L, b->r.y + LAYOUT_HEAD_ROWS + 2, b->first_x + 3 * b->cell_w, &row,
			   &col);
	ck_assert_int_eq(p, AV_PANEL_MASK);
	ck_assert_int_eq(row, 2);
	ck_assert_int_eq(col, 3);
	p = layout_hit(&L, b->r.y, b->first_x, &row, &col); /* title row */
	ck_assert_int_eq(p, AV_PANEL_MASK);
	ck_assert_int_eq(row, -1);
	ck_assert_int_eq(layout_hit(&L, 0, 0, &row, &col), -1);
}
END_TEST

/* A lesson's caption panel: its own rows above the detail line, taken
 * from the counters area; the grids keep every row at 80x24. */
START_TEST(caption_rows_above_the_detail_line)
{
	layout L;
	layout_compute_caption(&L, 80, 24, 6, 4, 4, 3, 5);
	ck_assert_int_eq(L.mode, LAYOUT_COMPACT);
	ck_assert_int_eq(L.caption.h, 5);
	ck_assert_int_eq(L.caption.y + L.caption.h, L.detail_y);
	ck_assert_int_eq(L.caption.w, 80);
	ck_assert_int_eq(L.rows_vis, 6);
	ck_assert_int_eq(L.info.y + L.info.h, L.caption.y);
	for (int p = 0; p < AV_PANEL_PRED; p++)
		ck_assert(L.panel[p].visible);
	assert_inside(&L);
	for (int p = 0; p < AV_PANEL_COUNT; p++)
		ck_assert_int_le(L.panel[p].r.y + L.panel[p].r.h, L.caption.y);

	/* 120x40: numbers in cells, the caption under both bands */
	layout_compute_caption(&L, 120, 40, 6, 4, 4, 3, 7);
	ck_assert_int_eq(L.mode, LAYOUT_NUMERIC);
	ck_assert_int_eq(L.caption.h, 7);
	ck_assert_int_eq(L.caption.y + L.caption.h, L.detail_y);
	for (int p = 0; p < AV_PANEL_COUNT; p++)
		ck_assert_int_le(L.panel[p].r.y + L.panel[p].r.h, L.caption.y);

	/* no caption: the same as layout_compute */
	layout M;
	layout_compute_caption(&L, 80, 24, 6, 4, 4, 3, 0);
	layout_compute(&M, 80, 24, 6, 4, 4, 3);
	ck_assert_int_eq(L.caption.h, 0);
	ck_assert_int_eq(L.info.h, M.info.h);
	ck_assert_int_eq(L.band_y[0], M.band_y[0]);
}
END_TEST

/* When the caption does not fit, it shrinks to 2 rows, then to none,
 * rather than hiding the grids. */
START_TEST(caption_shrinks_before_the_grids)
{
	layout L, M;
	layout_compute(&M, 1, 1, 6, 4, 4, 3);
	layout_compute_caption(&L, M.need_w, M.need_h, 6, 4, 4, 3, 8);
	ck_assert_int_ne(L.mode, LAYOUT_TOO_SMALL);
	ck_assert_int_lt(L.caption.h, 8);
	assert_inside(&L);
	layout_compute_caption(&L, 20, 8, 6, 4, 4, 3, 8);
	ck_assert_int_eq(L.mode, LAYOUT_TOO_SMALL);
	for (int h = M.need_h; h <= 40; h++) {
		layout_compute_caption(&L, 80, h, 16, 4, 4, 6, 6);
		ck_assert_int_ne(L.mode, LAYOUT_TOO_SMALL);
		ck_assert_int_ge(L.rows_vis, 3);
		assert_inside(&L);
	}
}
END_TEST

static Suite *layout_suite(void)
{
	Suite *s = suite_create("tui_layout");
	TCase *tc = tcase_create("Sizes");
	tcase_add_test(tc, default_80x24_is_compact_with_every_panel);
	tcase_add_test(tc, default_120x40_has_numbers_in_cells);
	tcase_add_test(tc, predictions_fit_80x24_and_120x40);
	tcase_add_test(tc, sixteen_tokens_fit_120x40_without_scrolling);
	tcase_add_test(tc, sixty_four_tokens_scroll);
	tcase_add_test(tc, counters_on_full_width_lines);
	tcase_add_test(tc, big_vectors_are_clipped);
	suite_add_tcase(s, tc);
	tc = tcase_create("Limits");
	tcase_add_test(tc, too_small_names_the_need);
	tcase_add_loop_test(tc, need_is_sufficient, 1, 65);
	tcase_add_test(tc, hit_maps_cells);
	suite_add_tcase(s, tc);
	tc = tcase_create("Caption");
	tcase_add_test(tc, caption_rows_above_the_detail_line);
	tcase_add_test(tc, caption_shrinks_before_the_grids);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(layout_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
