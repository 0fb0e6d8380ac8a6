/* Is malloc in the middle of something? A held arena lock says so; so does a thread whose
   stack (unwound with libunwind-ptrace from the stopped thread's registers, memory read
   through unwind_reads.c) has a frame in malloc's code, even when it holds no lock (tcache
   operations, the mmap counters). */
#include <inttypes.h>
#include <libunwind-ptrace.h>
#include <stdio.h>
#include <string.h>

#include "locate/locate_private.h"

/* Deep enough for any malloc call chain inside a deep application stack. */
#define MAX_FRAMES 256
#define MAX_ARENAS 65536

static int in_malloc_code(const struct hs_malloc_info *m, uint64_t ip)
{
	for (size_t i = 0; i < m->nmalloc_code; i++)
		if (ip >= m->malloc_code[i].lo && ip < m->malloc_code[i].hi)
			return 1;
	return 0;
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

static int thread_in_malloc(unw_addr_space_t as, const struct hs_malloc_info *m, const struct hs_thread *th)
{
	void *upt;
	unw_cursor_t cursor;
	int found = in_malloc_code(m, th->pc);

	if (found || (upt = _UPT_create(th->tid)) == NULL)
		return found;
	if (unw_init_remote(&cursor, as, upt) == 0) {
		for (int n = 0; n < MAX_FRAMES && unw_step(&cursor) > 0; n++) {
			unw_word_t ip;
			if (unw_get_reg(&cursor, UNW_REG_IP, &ip) == 0 && in_malloc_code(m, ip)) {
				found = 1;
				break;
			}
		}
	}
	_UPT_destroy(upt);
	return found;
}

int hs_malloc_busy(struct hs_target *t, const struct hs_malloc_info *m, char *why, size_t whylen,
		   size_t *thread)
{
	int locked = arena_locked(t, m, why, whylen);
	unw_addr_space_t as;

	*thread = SIZE_MAX;
	if (strcmp(t->source, "live") != 0)
		return locked; /* a core's stacks are not unwound here: its doubts become warnings */
	as = hs_unwind_create_addr_space();
	if (as == NULL)
		return 1;
	hs_unwind_reads_begin(t);
	/* The thread inside malloc is also the one holding a lock, if any. */
	for (size_t i = 0; i < t->nthreads && *thread == SIZE_MAX; i++)
		if (thread_in_malloc(as, m, &t->threads[i])) {
			snprintf(why, whylen, "thread %d is inside malloc", (int)t->threads[i].tid);
			*thread = i;
		}
	hs_unwind_reads_end();
	unw_destroy_addr_space(as);
	return locked || *thread != SIZE_MAX;
}
