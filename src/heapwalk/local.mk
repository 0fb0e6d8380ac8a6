# src/heapwalk: glibc malloc from the outside: locating its state, walking its heaps.
libheapsnap_a_SOURCES += \
	src/heapwalk/glibc_layout.c src/heapwalk/glibc_layout.h \
	src/heapwalk/locate.c src/heapwalk/locate.h \
	src/heapwalk/libc_find.c \
	src/heapwalk/locate_symbols.c \
	src/heapwalk/locate_scan.c \
	src/heapwalk/tls_slots.c \
	src/heapwalk/elf_tables.c src/heapwalk/elf_tables.h \
	src/heapwalk/malloc_code.c
libheapsnap_a_SOURCES += \
	src/heapwalk/addr_index.c src/heapwalk/addr_index.h \
	src/heapwalk/classify_queue.c src/heapwalk/classify_queue.h \
	src/heapwalk/window.c src/heapwalk/window.h \
	src/heapwalk/walk.c src/heapwalk/walk.h src/heapwalk/walk_private.h \
	src/heapwalk/freelists.c \
	src/heapwalk/second_walker.c \
	src/heapwalk/chunks.c \
	src/heapwalk/main_segments.c \
	src/heapwalk/anon_scan.c \
	src/heapwalk/mmapped.c \
	src/heapwalk/busy.c \
	src/heapwalk/unwind_reads.c src/heapwalk/unwind_reads.h
