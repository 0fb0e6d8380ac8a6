/* Thread roots. Per thread: its registers and its stack, from the stack pointer to the end
   of its stack mapping, are
   one root node (as LeakSanitizer, nothing below the stack pointer: a stopped thread's red
   zone holds dead frames' values more often than a leaf function's live ones); its static
   TLS block is another. x86-64 TLS is variant II: the static TLS
   blocks of the modules sit just below the thread pointer (fs_base), glibc's struct pthread
   (the TCB, with pthread_setspecific's first values) just above it. A thread that glibc
   made keeps both at the top of its stack mapping, so its stack root stops where its TLS
   block starts. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "refs/refs_private.h"

/* glibc's struct pthread is 2304 bytes in 2.36; the root covers a page from the thread
   pointer, cut at the mapping's end and at the first heap block. */
#define TCB_SCAN 4096

/* The thread's name (comm) for a live target, else the executable's base name. */
static char *thread_name(struct hs_target *t, pid_t tid)
{
	char path[64], buf[64];
	FILE *f;

	if (strcmp(t->source, "live") == 0) {
		snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)t->pid, (int)tid);
		if ((f = fopen(path, "r")) != NULL) {
			if (fgets(buf, sizeof(buf), f) != NULL) {
				fclose(f);
				buf[strcspn(buf, "\n")] = '\0';
				return hs_xstrdup(buf);
			}
			fclose(f);
		}
	}
	if (t->exe != NULL)
		return hs_xstrdup(strrchr(t->exe, '/') ? strrchr(t->exe, '/') + 1 : t->exe);
	return hs_xstrdup("?");
}

void hs_roots_threads(struct hs_target *t, const struct hs_block_index *bi, uint64_t static_tls,
		      struct root_set *rs, struct covered *cov)
{
	for (size_t i = 0; i < t->nthreads; i++) {
		const struct hs_thread *th = &t->threads[i];
		const struct hs_mapping *stack = hs_target_find_map(t, th->sp);
		const struct hs_mapping *tls_map = th->fs_base ? hs_target_find_map(t, th->fs_base) : NULL;
		uint64_t tls_lo = 0, tls_hi = 0, lo, hi;
		uint32_t stack_root, reg_root;
		char *name = thread_name(t, th->tid);

		if (tls_map != NULL) {
			size_t next = hs_block_index_first_from(bi, th->fs_base);

			tls_lo = th->fs_base - static_tls < tls_map->start ? tls_map->start : th->fs_base - static_tls;
			tls_hi = tls_map->end - th->fs_base < TCB_SCAN ? tls_map->end : th->fs_base + TCB_SCAN;
			/* The main thread's TLS may sit just below malloc's first chunk. */
			if (next < bi->n && bi->block[next].addr - 16 < tls_hi)
				tls_hi = bi->block[next].addr - 16 > th->fs_base ? bi->block[next].addr - 16 : th->fs_base;
		}
		lo = hi = 0;
		if (stack != NULL) {
			lo = th->sp;
			hi = stack->end;
			if (tls_map == stack && tls_lo > th->sp)
				hi = tls_lo;
		}
		stack_root = hs_root_add(rs, HS_ROOT_STACK, hs_xstrdup(name), NULL, th->tid, lo, hi - lo);
		hs_root_add_piece(rs, stack_root, lo, hi, NULL);
		hs_covered_add(cov, stack ? stack->start : 0, stack ? stack->end : 0);
		reg_root = hs_root_add(rs, HS_ROOT_REGISTER, hs_xstrdup(name), NULL, th->tid, 0,
				       sizeof(th->regs));
		rs->node[reg_root] = (int32_t)stack_root;
		hs_root_add_piece(rs, reg_root, 0, sizeof(th->regs), th->regs);
		if (tls_map != NULL) {
			uint32_t tls_root = hs_root_add(rs, HS_ROOT_TLS, hs_xstrdup(name), NULL, th->tid, tls_lo,
							tls_hi - tls_lo);
			hs_root_add_piece(rs, tls_root, tls_lo, tls_hi, NULL);
			hs_covered_add(cov, tls_map->start, tls_map->end);
		}
		free(name);
	}
}
