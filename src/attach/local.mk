# src/attach: target access, one interface (attach.h): a live process by ptrace, a core file
# (heap images, a third backend, are in src/image).
libheapsnap_a_SOURCES += src/attach/target.c src/attach/attach.h \
	src/attach/target_modules.c src/attach/dwfl_setup.c \
	src/attach/proc_files.c \
	src/attach/live.c src/attach/live_sparse.c \
	src/attach/core.c src/attach/attach_private.h src/attach/core_notes.c \
	src/attach/core_memory.c src/attach/core_files.c src/attach/core_maps.c \
	src/attach/core_process.c src/attach/core_dwfl.c src/attach/unwind_reads.c \
	src/attach/page_probe.c
