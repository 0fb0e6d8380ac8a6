# src/snapshot: the snapshot model, its JSON writer and reader.
libheapsnap_a_SOURCES += src/snapshot/snapshot.h src/snapshot/snapshot_private.h \
	src/snapshot/snapshot.c src/snapshot/block_log.c src/snapshot/snapshot_write.c \
	src/snapshot/json_scan.c src/snapshot/group_index.c src/snapshot/printable.c \
	src/snapshot/snapshot_fields.c src/snapshot/snapshot_read.c \
	src/snapshot/snapshot_blocks.c src/snapshot/snapshot_refs_read.c
