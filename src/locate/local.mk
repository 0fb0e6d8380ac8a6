# src/locate: finding glibc malloc inside a target: which libc, its layout, where its state and
# code lie (by debuginfo, symtab or scan), and whether a thread is inside malloc right now.
libheapsnap_a_SOURCES += src/locate/locate.h src/locate/locate_private.h \
	src/locate/glibc_layout.c src/locate/locate.c src/locate/libc_find.c \
	src/locate/locate_symbols.c src/locate/locate_scan.c src/locate/tls_slots.c \
	src/locate/elf_tables.c src/locate/malloc_code.c src/locate/busy.c
