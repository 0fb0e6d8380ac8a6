# src/snapshot: the snapshot model, its JSON writer and reader.
libheapsnap_a_SOURCES += \
	src/snapshot/snapshot.c src/snapshot/snapshot.h
libheapsnap_a_SOURCES += src/snapshot/snapshot_write.c src/snapshot/snapshot_write.h
