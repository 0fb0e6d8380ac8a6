/* The heap-image file format (see image.h, docs/fuzzing.md), shared by the writer
   (image_record.c) and the reader (image_open.c). Every number is little-endian; there is no
   padding and nothing after the last range.

     header, HEADER_BYTES:
       0   8  magic "HSHEAPIM"
       8   4  format version (IMAGE_VERSION)
       12  4  flags: IMAGE_HAVE_TCACHE_SLOT
       16  4  glibc major        20  4  glibc minor (the layout follows from them)
       24  8  libc_lo            32  8  libc_hi (libc's mapped range)
       40  8  main_arena         48  8  mp (mp_'s address)
       56  8  tcache_tpoff (signed)
       64  4  mappings           68  4  threads        72  4  ranges     76  4  zero
       80  112 the walk's totals: 14 numbers in struct hs_totals' order
     each mapping, MAP_BYTES + path length:
       start, end, offset, inode (8 each), perms (4, HS_MAP_*), path length (4, 0 when
       anonymous), then the path without NUL; sorted by start, not overlapping
     each thread, THREAD_BYTES: tid (4), zero (4), fs_base, sp, pc (8 each)
     each range, RANGE_BYTES (+ len): address (8), len (8), then len bytes; or, when len has
       IMAGE_ZERO_RANGE set, len & ~IMAGE_ZERO_RANGE bytes of zeros that are not stored (most
       of a heap is zeros: top's tail, untouched pages). Sorted by address, len > 0, not
       overlapping; touching ranges read as one. */
#ifndef HS_IMAGE_FORMAT_H
#define HS_IMAGE_FORMAT_H

#include <stdint.h>
#include <string.h>

#include "snapshot/snapshot.h"

#define IMAGE_MAGIC "HSHEAPIM"
#define IMAGE_VERSION 1
#define IMAGE_HAVE_TCACHE_SLOT 1u
#define IMAGE_NTOTALS HS_TOTALS_NFIELDS /* in hs_totals_fields order */
#define IMAGE_ZERO_RANGE (1ull << 63)

#define HEADER_BYTES 192
#define MAP_BYTES 40
#define THREAD_BYTES 32
#define RANGE_BYTES 16
/* Longer paths than Linux allows (PATH_MAX) mean a damaged image. */
#define IMAGE_MAX_PATH 4096

static inline void put_u32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static inline void put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static inline uint32_t get_u32(const uint8_t *p)
{
	uint32_t v = 0;
	for (int i = 3; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static inline uint64_t get_u64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

#endif
