# src/debuginfo: C and C++ types from DWARF (libdw): the type table with its pointer slots,
# typed globals, TLS and frame variables (debuginfo.h), for the typing engine.
libheapsnap_a_SOURCES += src/debuginfo/debuginfo.h src/debuginfo/debuginfo_private.h \
	src/debuginfo/debuginfo.c src/debuginfo/die_util.c src/debuginfo/module_pass.c \
	src/debuginfo/name_index.c src/debuginfo/type_names.c src/debuginfo/type_table.c \
	src/debuginfo/type_layout.c src/debuginfo/var_location.c src/debuginfo/tls_block.c \
	src/debuginfo/frame_vars.c
