/* The fuzzers' input as a file: the readers under test open a path, so each input goes to
   an in-memory file (memfd), named through /proc, rewritten for every input. */
#ifndef HS_FUZZ_INPUT_FILE_H
#define HS_FUZZ_INPUT_FILE_H

#include <stddef.h>
#include <stdint.h>

/* The path of a file holding exactly data[0, size); name names the memfd (for /proc). The
   same file and path every call; aborts when the file cannot be made or written. */
const char *hs_fuzz_input_path(const char *name, const uint8_t *data, size_t size);

#endif
