# src/take: the take pipeline that ties target access, heap walk and classification together.
libheapsnap_a_SOURCES += src/take/take.c src/take/take.h
