# src/attach: target access (live process by ptrace, core file), one interface.
libheapsnap_a_SOURCES += \
	src/attach/target.c src/attach/target.h \
	src/attach/dwfl_setup.c src/attach/dwfl_setup.h \
	src/attach/proc_files.c src/attach/proc_files.h \
	src/attach/live.c src/attach/live.h
