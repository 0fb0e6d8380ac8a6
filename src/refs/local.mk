# src/refs: take --refs, the conservative reference scan (roots, scan, graph passes).
libheapsnap_a_SOURCES += src/refs/refs.c src/refs/refs.h src/refs/refs_private.h \
	src/refs/block_index.c src/refs/scan.c src/refs/scan_worker.c src/refs/graph.c src/refs/roots.c \
	src/refs/roots_threads.c src/refs/roots_modules.c src/refs/roots_mappings.c
