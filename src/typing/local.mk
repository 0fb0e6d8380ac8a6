# src/typing: naming blocks by the C/C++ types of the pointers to them (DWARF), issue 19.
libheapsnap_a_SOURCES += src/typing/typing.c src/typing/typing.h src/typing/typing_private.h \
	src/typing/votes.c src/typing/cast.c src/typing/roots.c src/typing/sweeps.c src/typing/apply.c
