# src/trend: trend (groups followed across snapshots, with their statistics).
libheapsnap_a_SOURCES += \
	src/trend/trend_stats.c src/trend/trend_private.h \
	src/trend/trend.c src/trend/trend.h src/trend/trend_render.c
