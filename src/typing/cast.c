/* Reading pointer slots and voting with them. Memory (a root, a typed block) is read in
   windows, neighbours together; the words at its type's pointer slots are queued, their
   block lookups started together (refs' index), and each word equal to a live block's start
   votes for the slot's type on that block, when the block is big enough to hold it. */
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "typing/typing_private.h"

/* A window: the most bytes read at once; neighbours closer than GAP are read together. */
#define WINDOW TYPING_WINDOW
#define GAP ((uint64_t)16 << 10)
/* User addresses of malloc's blocks are 16-byte aligned on x86-64. */
#define BLOCK_ALIGN 16

void hs_typing_flush(struct hs_typing *ty)
{
	uint32_t found[CAST_QUEUE];

	hs_block_index_finish(ty->bi, ty->value, ty->granule, found, ty->queued);
	for (size_t k = 0; k < ty->queued; k++) {
		uint32_t b = found[k], key = ty->qkey[k];
		uint64_t usable, need;

		if (b == HS_NO_BLOCK || ty->bi->block[b].addr != ty->value[k])
			continue;
		usable = ty->bi->block[b].end - ty->bi->block[b].addr;
		need = key_pointers(key) ? 8 : hs_debuginfo_type(ty->di, key_type(key))->size;
		if (usable >= need) /* a type never goes to a block smaller than it */
			hs_typing_vote(ty, b, key, ty->qsign[k]);
	}
	ty->queued = 0;
}

static void queue(struct hs_typing *ty, uint64_t value, uint32_t key, int sign)
{
	const uint32_t *granule;

	if (value % BLOCK_ALIGN != 0 || (granule = hs_block_index_start(ty->bi, value, &ty->span_hint)) == NULL)
		return;
	ty->value[ty->queued] = value;
	ty->granule[ty->queued] = granule;
	ty->qkey[ty->queued] = key;
	ty->qsign[ty->queued] = (int8_t)sign;
	if (++ty->queued == CAST_QUEUE)
		hs_typing_flush(ty);
}

static uint64_t word_at(const uint8_t *bytes)
{
	uint64_t w;
	memcpy(&w, bytes, sizeof(w));
	return w;
}

/* One slot of every element in [e_lo, e_hi) whose words lie in [off, end). */
static void cast_slot(struct hs_typing *ty, const struct hs_cslot *s, uint64_t size, uint64_t e_lo, uint64_t e_hi,
		      const uint8_t *bytes, uint64_t off, uint64_t end, int sign)
{
	uint32_t key = key_of(s->target, s->kind == HS_CSLOT_TO_POINTERS);

	for (uint64_t e = e_lo; e < e_hi; e++) {
		uint64_t first, c = 0;

		if (__builtin_mul_overflow(e, size, &first) || __builtin_add_overflow(first, s->offset, &first))
			return;
		if (first < off && s->stride != 0)
			c = (off - first + s->stride - 1) / s->stride;
		for (; c < s->count; c++) {
			uint64_t at;

			if (__builtin_mul_overflow(c, s->stride, &at) || __builtin_add_overflow(at, first, &at) ||
			    at > end || end - at < 8)
				break;
			if (at >= off)
				queue(ty, word_at(bytes + (at - off)), key, sign);
			if (s->stride == 0)
				break;
		}
	}
}

void hs_typing_cast(struct hs_typing *ty, uint32_t key, uint64_t nelem, const uint8_t *bytes, uint64_t off,
		    uint64_t len, int sign)
{
	const struct hs_ctype *type = hs_debuginfo_type(ty->di, key_type(key));
	const struct hs_cslot *slots = hs_debuginfo_slots(ty->di);
	uint64_t end = off + len, e_lo, e_hi;

	if (key_pointers(key)) { /* a T *[]: every word is a T * */
		for (uint64_t at = (off + 7) & ~(uint64_t)7; at + 8 <= end && at / 8 < nelem; at += 8)
			queue(ty, word_at(bytes + (at - off)), key_of(key_type(key), false), sign);
		return;
	}
	if (type->size == 0 || type->nslots == 0)
		return;
	if (nelem == 1) { /* one T: no division */
		e_lo = 0;
		e_hi = 1;
	} else {
		e_lo = off / type->size;
		e_hi = end / type->size + 1;
		if (e_hi > nelem)
			e_hi = nelem;
	}
	for (uint32_t k = 0; k < type->nslots; k++)
		cast_slot(ty, &slots[type->first_slot + k], type->size, e_lo, e_hi, bytes, off, end, sign);
}

uint64_t hs_typing_extent(const struct hs_typing *ty, uint32_t key, uint64_t nelem)
{
	const struct hs_ctype *type = hs_debuginfo_type(ty->di, key_type(key));
	const struct hs_cslot *slots = hs_debuginfo_slots(ty->di);
	uint64_t last = 0;

	if (key_pointers(key))
		return nelem > UINT64_MAX / 8 ? UINT64_MAX : nelem * 8;
	if (nelem > 1)
		return nelem > UINT64_MAX / type->size ? UINT64_MAX : nelem * type->size;
	for (uint32_t k = 0; k < type->nslots; k++) {
		const struct hs_cslot *s = &slots[type->first_slot + k];
		uint64_t at;

		if (s->count == 0)
			continue;
		if (__builtin_mul_overflow((uint64_t)s->count - 1, s->stride, &at) ||
		    __builtin_add_overflow(at, s->offset + 8, &at))
			return type->size;
		if (at > last)
			last = at;
	}
	return last < type->size ? last : type->size;
}

/* An mmapped chunk's usable size is at least malloc's smallest mmap threshold (128 KiB) less
   its header, and it is rounded up to pages. */
#define MMAPPED_MIN (((uint64_t)128 << 10) - 16)
#define PAGE ((uint64_t)4096)

/* What malloc(size) gives as usable size in an arena (chunks of 16-byte steps, at least 32
   bytes, 8 of them malloc's). */
static uint64_t usable_for(uint64_t size)
{
	uint64_t chunk = (size + 8 + 15) & ~(uint64_t)15;
	return (chunk < 32 ? 32 : chunk) - 8;
}

/* Whether malloc gives exactly usable bytes for some count of size-byte elements: in an
   arena, usable_for(k * size); in an mmapped chunk, k * size and the chunk's 16 bytes
   rounded up to pages. */
static bool array_sized(uint64_t usable, uint64_t size, uint64_t k)
{
	uint64_t bytes = k * size;

	if (usable >= MMAPPED_MIN && usable - bytes < PAGE)
		return true;
	for (; k >= 2 && usable - bytes < 32; k--, bytes -= size)
		if (usable_for(bytes) == usable)
			return true;
	return false;
}

uint64_t hs_typing_elements(const struct hs_typing *ty, uint32_t type, uint64_t usable)
{
	const struct hs_ctype *t = hs_debuginfo_type(ty->di, type);
	uint64_t k;

	if (t->flexible || t->size == 0 || usable <= usable_for(t->size) || (k = usable / t->size) < 2)
		return 1;
	/* A block bigger than one T that no count of Ts fills as malloc would (a T with
	   trailing data of its own) is one T. */
	return array_sized(usable, t->size, k) ? k : 1;
}

uint64_t hs_typing_nelem(const struct hs_typing *ty, uint32_t key, uint64_t usable)
{
	return key_pointers(key) ? usable / 8 : hs_typing_elements(ty, key_type(key), usable);
}

void hs_typing_cast_piece(struct hs_typing *ty, const struct cast_piece *p, const uint8_t *bytes, uint64_t off,
			  uint64_t len)
{
	if (p->undo != KEY_NONE)
		hs_typing_cast(ty, p->undo, p->undo_nelem, bytes, off, len, -1);
	if (p->key != KEY_NONE)
		hs_typing_cast(ty, p->key, p->nelem, bytes, off, len, 1);
}

static int cmp_piece(const void *a, const void *b)
{
	const struct cast_piece *x = a, *y = b;
	return (x->addr > y->addr) - (x->addr < y->addr);
}

void hs_typing_sort_pieces(struct cast_piece *p, size_t n)
{
	qsort(p, n, sizeof(*p), cmp_piece);
}

static void visit_read(struct hs_typing *ty, const struct cast_piece *p, uint64_t from)
{
	while (from < p->len) {
		uint64_t want = p->len - from < WINDOW ? p->len - from : WINDOW;
		ssize_t got = ty->t->ops->read(ty->t, p->addr + from, ty->buf, want);

		if (got <= 0)
			return;
		hs_typing_cast_piece(ty, p, ty->buf, from, (uint64_t)got);
		if ((uint64_t)got < want)
			return;
		from += want;
	}
}

void hs_typing_read_pieces(struct hs_typing *ty, struct cast_piece *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint64_t lo = p[i].addr, hi = lo + p[i].len;
		size_t j = i + 1;
		ssize_t got;

		if (p[i].len > WINDOW) {
			visit_read(ty, &p[i++], 0);
			continue;
		}
		while (j < n && p[j].len <= WINDOW && p[j].addr + p[j].len - lo <= WINDOW && p[j].addr <= hi + GAP) {
			if (p[j].addr + p[j].len > hi)
				hi = p[j].addr + p[j].len;
			j++;
		}
		got = ty->t->ops->read(ty->t, lo, ty->buf, hi - lo);
		if (got < 0)
			got = 0;
		for (size_t k = i; k < j; k++) {
			if (p[k].addr + p[k].len <= lo + (uint64_t)got)
				hs_typing_cast_piece(ty, &p[k], ty->buf + (p[k].addr - lo), 0, p[k].len);
			else /* past an unreadable page: read it alone, as far as it goes */
				visit_read(ty, &p[k], 0);
		}
		i = j;
	}
}
