# src/diff: show and diff: grouping, matching blocks across snapshots, ordering, output.
libheapsnap_a_SOURCES += \
	src/diff/units.c src/diff/units.h \
	src/diff/view_options.c src/diff/view_options.h \
	src/diff/view_args.c src/diff/view_args.h \
	src/diff/type_filter.c src/diff/type_filter.h \
	src/diff/group_key.c src/diff/group_key.h \
	src/diff/root_split.c src/diff/root_split.h \
	src/diff/comparison.h src/diff/rows.c src/diff/row_order.c \
	src/diff/block_identity.c src/diff/block_identity.h \
	src/diff/growth_gate.c src/diff/growth_gate.h \
	src/diff/render.c src/diff/render.h \
	src/diff/render_table.c src/diff/render_json.c src/diff/render_csv.c \
	src/diff/pb_encode.c src/diff/pb_encode.h src/diff/render_pprof.c \
	src/diff/render_openmetrics.c src/diff/openmetrics_file.h \
	src/diff/render_threads.c \
	src/diff/leaks_view.c src/diff/leaks_view.h
