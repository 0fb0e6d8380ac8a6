# src/take: the take pipeline that ties target access, heap walk and classification together.
libheapsnap_a_SOURCES += src/take/take.h src/take/take_private.h \
	src/take/take.c src/take/take_walk.c src/take/take_live.c src/take/take_core.c \
	src/take/take_signals.c src/take/take_threads.c src/take/take_types.c
