/* What tests/core/core-target puts in its memory and reports, shared with the tests that
   read its core. */
#ifndef HS_CORE_TARGET_H
#define HS_CORE_TARGET_H

#define CORE_TARGET_THREADS 2
#define CORE_TARGET_HEAP_BYTES "heapsnap core test: a heap block"
#define CORE_TARGET_MMAP_BYTES "heapsnap core test: an anonymous mapping"
#define CORE_TARGET_STACK_BYTES "heapsnap core test: the stack of thread "
#define CORE_TARGET_RODATA_BYTES "heapsnap core test: read-only data of the executable"

/* Lines on stdout, numbers in hex:
     heap ADDR / mmap ADDR / rodata ADDR / malloc ADDR
     thread INDEX TID FS_BASE STACK_ADDR (one per thread in any order, index 0 the main
                                         thread; the bytes at STACK_ADDR are
                                         CORE_TARGET_STACK_BYTES followed by the index)
     ready                              (then it waits to be dumped and killed) */

#endif
