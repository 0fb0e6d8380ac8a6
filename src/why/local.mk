# src/why: heapsnap why, the chain of holders from a root to a block (reference data).
libheapsnap_a_SOURCES += src/why/why.h src/why/why_private.h src/why/why_load.c src/why/why_chain.c \
	src/why/why_glob.c src/why/why_render.c src/why/why_stacks.c
