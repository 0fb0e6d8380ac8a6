/* Is malloc in the middle of something? A held arena lock says so; so does a thread whose
   stack (unwound through the target's ops: libunwind-ptrace on a live process, libdwfl on
   a core) has a frame in malloc's code, even when it holds no lock (tcache operations, the
   mmap counters). The stacks are unwound once and kept for the snapshot's "threads". */
#include <inttypes.h>
#include <stdio.h>

#include "locate/locate_private.h"

#define MAX_ARENAS 65536

static bool in_malloc_code(const struct hs_malloc_info *m, uint64_t ip)
{
	for (size_t i = 0; i < m->nmalloc_code; i++)
		if (ip >= m->malloc_code[i].lo && ip < m->malloc_code[i].hi)
			return true;
	return false;
}

static int arena_locked(struct hs_target *t, const struct hs_malloc_info *m, char *why, size_t whylen)
{
	uint64_t a = m->main_arena;

	for (int n = 0; n < MAX_ARENAS; n++) {
		uint32_t mutex;
		uint64_t next;

		if (t->ops->read(t, a, &mutex, sizeof(mutex)) != sizeof(mutex) ||
		    hs_target_read_u64(t, a + m->layout->ms_next, &next) != 0) {
			snprintf(why, whylen, "arena 0x%" PRIx64 " is unreadable", a);
			return 1;
		}
		if (mutex != 0) {
			snprintf(why, whylen, "arena 0x%" PRIx64 " is locked", a);
			return 1;
		}
		a = next;
		if (a == m->main_arena)
			return 0;
	}
	snprintf(why, whylen, "the ring of arenas does not close");
	return 1;
}

bool hs_thread_in_malloc(struct hs_target *t, const struct hs_malloc_info *m, size_t thread)
{
	const uint64_t *frames;
	size_t n = hs_target_frames(t, thread, &frames);

	/* A caller's frame holds a return address, which may be just past malloc's last byte
	   when the call was its last instruction: its call instruction is the byte before. */
	for (size_t i = 0; i < n; i++)
		if (in_malloc_code(m, i == 0 ? frames[i] : frames[i] - 1))
			return true;
	return false;
}

int hs_malloc_busy(struct hs_target *t, const struct hs_malloc_info *m, char *why, size_t whylen,
		   size_t *thread)
{
	int locked = arena_locked(t, m, why, whylen);

	*thread = SIZE_MAX;
	/* The thread inside malloc is also the one holding a lock, if any. */
	for (size_t i = 0; i < t->nthreads && *thread == SIZE_MAX; i++)
		if (hs_thread_in_malloc(t, m, i)) {
			snprintf(why, whylen, "thread %d is inside malloc", (int)t->threads[i].tid);
			*thread = i;
		}
	return locked || *thread != SIZE_MAX;
}
