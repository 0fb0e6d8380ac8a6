/* Memory reads for libunwind-ptrace, which would otherwise read the stopped threads' stacks
   and the unwind tables one word at a time with PTRACE_PEEKDATA (2500 system calls, 5 ms,
   for 5 idle threads): here whole pages are read through the target and kept for the
   duration of one check. */
#ifndef HS_UNWIND_READS_H
#define HS_UNWIND_READS_H

#include <libunwind-ptrace.h>

#include "attach/target.h"

/* An address space with libunwind-ptrace's accessors, but for memory, which is read
   through the target set by hs_unwind_reads_begin on the calling thread. */
unw_addr_space_t hs_unwind_create_addr_space(void);
/* From now on, on this thread, the accessors read t's memory through a page cache; until
   hs_unwind_reads_end, during which t must not run. */
void hs_unwind_reads_begin(struct hs_target *t);
void hs_unwind_reads_end(void);

#endif
