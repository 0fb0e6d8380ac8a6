# src/common: errors and allocation helpers shared by every stage.
libheapsnap_a_SOURCES += \
	src/common/error.c src/common/error.h \
	src/common/xalloc.c src/common/xalloc.h
libheapsnap_a_SOURCES += src/common/output_file.c src/common/output_file.h
libheapsnap_a_SOURCES += src/common/u64map.c src/common/u64map.h
libheapsnap_a_SOURCES += src/common/big_array.c src/common/big_array.h
libheapsnap_a_SOURCES += src/common/page_pool.c src/common/page_pool.h src/common/under_asan.h
libheapsnap_a_SOURCES += src/common/worker_thread.c src/common/worker_thread.h
libheapsnap_a_SOURCES += src/common/unpreempted.c src/common/unpreempted.h
libheapsnap_a_SOURCES += src/common/sorted_search.h
libheapsnap_a_SOURCES += src/common/demangle.c src/common/demangle.h
libheapsnap_a_SOURCES += src/common/catch_signals.c src/common/catch_signals.h
