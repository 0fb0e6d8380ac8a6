# tests/fuzz/fuzz.mk: builds the fuzzers with clang, libFuzzer, ASan and UBSan. The Makefile
# runs it (make fuzzers) with the variables below; it is a GNU make file of its own because
# heapsnap's sources are compiled a second time, with clang and the fuzzer's coverage
# instrumentation, into their own objects (tests/fuzz/obj), never mixed with gcc's.
#
#   CLANG         the compiler (configure's CLANG)
#   top_srcdir    the source tree; top_builddir the build tree (config.h)
#   LIB_SOURCES   libheapsnap's files (the Makefile's libheapsnap_a_SOURCES)
#   DEP_CFLAGS    the libraries' include flags; DEP_LIBS the libraries to link
#   WARN_CFLAGS   configure's warning flags (-Werror with --enable-werror)
FUZZERS := tests/fuzz/fuzz_walk tests/fuzz/fuzz_snapshot_read tests/fuzz/fuzz_debuginfo
OBJ := tests/fuzz/obj
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CFLAGS := -std=gnu11 -g -O1 $(WARN_CFLAGS) $(SANITIZE)
CPPFLAGS := -include $(top_builddir)/config.h -I$(top_srcdir)/src -I$(top_builddir) $(DEP_CFLAGS)
LIB_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(filter %.c,$(LIB_SOURCES)))
FUZZ_OBJS := $(patsubst %,$(OBJ)/%.o,$(FUZZERS)) $(OBJ)/tests/fuzz/input_file.o

all: $(FUZZERS)

$(OBJ)/%.o: $(top_srcdir)/%.c
	@mkdir -p $(@D)
	@echo "  CLANG    $@"
	@$(CLANG) $(CPPFLAGS) $(CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c $< -o $@

$(OBJ)/libheapsnap.a: $(LIB_OBJS)
	@rm -f $@
	@ar rcs $@ $^

$(FUZZERS): tests/fuzz/%: $(OBJ)/tests/fuzz/%.o $(OBJ)/tests/fuzz/input_file.o $(OBJ)/libheapsnap.a
	@echo "  CLANGLD  $@"
	@$(CLANG) $(CFLAGS) -fsanitize=fuzzer $^ $(DEP_LIBS) -o $@

-include $(LIB_OBJS:.o=.d) $(FUZZ_OBJS:.o=.d)

.PHONY: all
