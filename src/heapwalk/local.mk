# src/heapwalk: walking glibc malloc's heaps from outside, once src/locate has found them.
libheapsnap_a_SOURCES += \
	src/heapwalk/addr_index.c src/heapwalk/addr_index.h \
	src/heapwalk/classify_queue.c src/heapwalk/classify_queue.h \
	src/heapwalk/window.c src/heapwalk/window.h \
	src/heapwalk/walk.c src/heapwalk/walk.h src/heapwalk/walk_private.h \
	src/heapwalk/freelists.c \
	src/heapwalk/walkers.c \
	src/heapwalk/chunks.c \
	src/heapwalk/main_segments.c \
	src/heapwalk/anon_scan.c \
	src/heapwalk/mmapped.c
