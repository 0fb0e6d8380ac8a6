# src/diff: show and diff: grouping, matching blocks across snapshots, ordering, output.
libheapsnap_a_SOURCES += src/diff/diff.h src/diff/diff_private.h \
	src/diff/units.c src/diff/view_options.c src/diff/view_args.c \
	src/diff/type_filter.c src/diff/group_key.c src/diff/root_split.c \
	src/diff/rows.c src/diff/row_order.c src/diff/block_identity.c src/diff/growth_gate.c \
	src/diff/render.c src/diff/render_table.c src/diff/render_json.c src/diff/render_csv.c \
	src/diff/pb_encode.c src/diff/render_pprof.c src/diff/render_openmetrics.c \
	src/diff/render_threads.c src/diff/leaks_view.c
