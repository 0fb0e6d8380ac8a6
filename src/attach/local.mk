# src/attach: target access (live process by ptrace, core file, heap image), one interface.
libheapsnap_a_SOURCES += \
	src/attach/target.c src/attach/target.h \
	src/attach/target_modules.c src/attach/target_modules.h \
	src/attach/dwfl_setup.c src/attach/dwfl_setup.h \
	src/attach/proc_files.c src/attach/proc_files.h \
	src/attach/live.c src/attach/live.h \
	src/attach/core.c src/attach/core.h src/attach/core_backend.h \
	src/attach/core_notes.c src/attach/core_memory.c src/attach/core_files.c \
	src/attach/core_maps.c src/attach/core_process.c src/attach/core_dwfl.c
# Heap images: a walk's reads recorded to a file and served back (fuzzing, replay).
libheapsnap_a_SOURCES += \
	src/attach/image.h src/attach/image_format.h \
	src/attach/image_record.c src/attach/image_open.c
