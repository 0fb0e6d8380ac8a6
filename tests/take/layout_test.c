/* Unit test of the 2.27-2.29 tcache layout detection, on a fake in-memory target: a thread
   whose tcache struct sits in a 0x250 chunk keeps the char-counts layout, 0x290 switches to
   the uint16_t backport, any other size is refused; later releases are left alone. */
#include <stdio.h>
#include <string.h>

#include "locate/locate_private.h"

#define FS_BASE 0x7000
#define TPOFF (-0x40)
#define TCACHE 0x10010

static uint64_t chunk_size_word;

/* Memory: the thread's tcache slot at FS_BASE + TPOFF and the chunk header before TCACHE. */
static ssize_t fake_read(struct hs_target *t, uint64_t addr, void *buf, size_t len)
{
	uint64_t v;

	(void)t;
	if (len != 8)
		return -1;
	if (addr == (uint64_t)(FS_BASE + TPOFF))
		v = TCACHE;
	else if (addr == TCACHE - 8)
		v = chunk_size_word;
	else
		return -1;
	memcpy(buf, &v, 8);
	return 8;
}

static int tap_n, failed;

static void check(int cond, const char *what)
{
	printf("%sok %d - %s\n", cond ? "" : "not ", ++tap_n, what);
	failed |= !cond;
}

static int detect(unsigned minor, uint64_t size_word, const struct hs_glibc_layout **out)
{
	static const struct hs_target_ops ops = { .read = fake_read };
	struct hs_thread thread = { .tid = 1, .fs_base = FS_BASE };
	struct hs_target t = { .ops = &ops, .threads = &thread, .nthreads = 1 };
	struct hs_malloc_info m = { .major = 2, .minor = minor, .tcache_tpoff = TPOFF,
				    .have_tcache_slot = true };
	struct hs_error err = { 0 };
	int rc;

	snprintf(m.version, sizeof(m.version), "2.%u", minor);
	m.layout = hs_glibc_layout_for(2, minor);
	chunk_size_word = size_word;
	rc = hs_confirm_tcache_layout(&t, &m, &err);
	*out = m.layout;
	return rc;
}

int main(void)
{
	const struct hs_glibc_layout *l;

	for (unsigned minor = 27; minor <= 29; minor++) {
		char what[100];
		snprintf(what, sizeof(what), "2.%u, chunk 0x250: char counts, entries at 64", minor);
		check(detect(minor, 0x251, &l) == 0 && l->tc_count_bytes == 1 && l->tc_entries == 64, what);
		snprintf(what, sizeof(what), "2.%u, chunk 0x290: uint16_t counts backport, entries at 128", minor);
		check(detect(minor, 0x295, &l) == 0 && l->tc_count_bytes == 2 && l->tc_entries == 128, what);
		snprintf(what, sizeof(what), "2.%u, chunk 0x2a0: refused", minor);
		check(detect(minor, 0x2a1, &l) == -1, what);
	}
	check(detect(36, 0x251, &l) == 0 && l->tc_count_bytes == 2, "2.36 is left alone whatever the chunk");
	check(hs_glibc_layout_for(2, 25) == NULL && hs_glibc_layout_for(2, 44) == NULL,
	      "releases outside 2.26-2.43 have no layout");
	printf("1..%d\n", tap_n);
	return failed;
}
