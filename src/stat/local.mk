# src/stat: heapsnap stat, malloc's own figures (a linear pass over the chunk headers, the short lists followed), and the RSS split.
libheapsnap_a_SOURCES += \
	src/stat/stat.h \
	src/stat/stat.c \
	src/stat/stat_read.c \
	src/stat/stat_pass.c \
	src/stat/stat_pages.c \
	src/stat/stat_mallinfo.c \
	src/stat/stat_malloc_info.c \
	src/stat/stat_mmapped.c \
	src/stat/stat_rss.c \
	src/stat/stat_json.c \
	src/stat/stat_text.c
