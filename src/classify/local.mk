# src/classify: names live blocks (C++ vtables, CPython objects, glibc stdio, byte shapes).
libheapsnap_a_SOURCES += src/classify/classify.h src/classify/classify_private.h \
	src/classify/classify.c src/classify/cxx_vtable.c src/classify/python_object.c \
	src/classify/glibc_stdio.c src/classify/byte_shape.c src/classify/module_symbols.c \
	src/classify/target_peek.c src/classify/range_set.c
