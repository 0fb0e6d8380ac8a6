# src/attach: target access, one interface (target.h): a live process by ptrace, a core file
# (heap images, a third backend, are in src/image).
libheapsnap_a_SOURCES += src/attach/target.c src/attach/target.h \
	src/attach/target_modules.c src/attach/target_modules.h src/attach/dwfl_setup.c \
	src/attach/dwfl_setup.h src/attach/proc_files.c src/attach/proc_files.h \
	src/attach/live.c src/attach/live.h \
	src/attach/core.c src/attach/core.h src/attach/attach_private.h src/attach/core_notes.c \
	src/attach/core_memory.c src/attach/core_files.c src/attach/core_maps.c \
	src/attach/core_process.c src/attach/core_dwfl.c src/attach/unwind_reads.c
