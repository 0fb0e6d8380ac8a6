# src/stat: heapsnap stat, malloc's own figures read by following its lists, and the RSS split.
libheapsnap_a_SOURCES += src/stat/stat.h \
	src/stat/stat.c src/stat/stat_read.c src/stat/stat_mallinfo.c src/stat/stat_malloc_info.c \
	src/stat/stat_mmapped.c src/stat/stat_rss.c src/stat/stat_json.c src/stat/stat_text.c
