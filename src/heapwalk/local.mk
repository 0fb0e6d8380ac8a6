# src/heapwalk: walking glibc malloc's heaps from outside, once src/locate has found them: the
# walk plan and its walkers (walk.c, walkers.c), what they read through (window.c) and name
# blocks with (classify_queue.c), and the free lists followed afterwards (freelists.c).
libheapsnap_a_SOURCES += src/heapwalk/heapwalk.h src/heapwalk/heapwalk_private.h \
	src/heapwalk/walk.c src/heapwalk/walkers.c src/heapwalk/chunks.c src/heapwalk/main_segments.c \
	src/heapwalk/anon_scan.c src/heapwalk/mmapped.c src/heapwalk/freelists.c \
	src/heapwalk/addr_index.c src/heapwalk/classify_queue.c src/heapwalk/window.c
