/* The typing engine's parts: the per-block votes, the reads and casts of pointer slots, the
   typed roots, the sweeps. Private to src/typing. */
#ifndef HS_TYPING_PRIVATE_H
#define HS_TYPING_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/u64map.h"
#include "debuginfo/debuginfo.h"
#include "refs/refs.h"
#include "typing/typing.h"

/* What a pointer says of the block it points to: a key, (type << 1 | pointers) + 1, where
   pointers means the block holds `type *`s (it is a `T *[]`). 0: nothing. */
#define KEY_NONE 0u
static inline uint32_t key_of(uint32_t type, bool pointers)
{
	return ((type << 1) | (pointers ? 1u : 0u)) + 1u;
}
static inline uint32_t key_type(uint32_t key)
{
	return (key - 1) >> 1;
}
static inline bool key_pointers(uint32_t key)
{
	return ((key - 1) & 1u) != 0;
}

/* Pointer words waiting for their block lookups (refs' two-step lookups, so that their
   cache misses overlap). */
#define CAST_QUEUE 256

struct extra_vote {
	uint32_t key, count, next; /* next: index + 1 of the block's next extra vote, 0 none */
};

/* A block's votes: its first candidate key and their count, the key its slots were cast
   with, flags (F_*) and how often its decision changed; side by side, one cache line. */
struct block_votes {
	uint32_t key, count, decided;
	uint8_t flags;
};

/* The sweeps' read window: [lo, hi) is in buf; reach, how far a new one reads ahead; used,
   how many of its bytes blocks needed. */
struct typing_window {
	uint64_t lo, hi, reach, used;
};
/* The most bytes read at once. */
#define TYPING_WINDOW ((uint64_t)1 << 20)

struct hs_typing {
	struct hs_target *t;
	struct hs_debuginfo *di;
	struct Dwfl *dwfl; /* whose modules' TLS and frames count */
	const struct hs_block_index *bi; /* the caller's, during hs_typing_decide */
	size_t nblocks;
	struct block_votes *vote; /* per block */
	size_t vote_cap;
	uint64_t *pending_bits; /* blocks whose votes changed since they were settled */
	size_t pending_cap;
	size_t npending;
	struct { uint32_t *v; size_t n, cap; } chase; /* marked since the last chase */
	/* Blocks with more than one candidate: the others, chained per block. */
	struct extra_vote *extra;
	size_t nextra, extra_cap;
	struct u64map extra_head; /* block + 1 -> index + 1 of its first extra vote */
	uint64_t disagreements, frozen;
	uint8_t *buf;     /* TYPING_WINDOW bytes */
	struct typing_window window;
	size_t span_hint; /* hs_block_index_start's */
	size_t queued;
	uint64_t value[CAST_QUEUE];
	const uint32_t *granule[CAST_QUEUE];
	uint32_t qkey[CAST_QUEUE];
	int8_t qsign[CAST_QUEUE];
};

enum {
	F_EXTRA = 2,      /* has extra votes */
	F_FLIP_ONE = 16,  /* flips counted in the high bits */
};
#define MAX_FLIPS 3

/* votes.c */
void hs_typing_vote(struct hs_typing *ty, uint32_t block, uint32_t key, int sign);
/* The key most votes say (ties: the first in a fixed order), KEY_NONE when no votes. */
uint32_t hs_typing_majority(const struct hs_typing *ty, uint32_t block);

/* cast.c: the pointer slots of memory laid out as key says (nelem elements of the type,
   or words), found in bytes [off, off + len) of the memory at base, vote sign for the
   blocks they point to the start of. */
void hs_typing_cast(struct hs_typing *ty, uint32_t key, uint64_t nelem, const uint8_t *bytes, uint64_t off,
		    uint64_t len, int sign);
/* Finishes the queued lookups and votes. */
void hs_typing_flush(struct hs_typing *ty);
/* The bytes a cast of key over nelem elements needs from the start. */
uint64_t hs_typing_extent(const struct hs_typing *ty, uint32_t key, uint64_t nelem);
/* How many Ts a block of usable bytes holds when a T * points to it: 1, or more for a
   block bigger than malloc gives for one T (a T[]). */
uint64_t hs_typing_elements(const struct hs_typing *ty, uint32_t type, uint64_t usable);
/* The elements of key's layout in a block of usable bytes (words for a T *[]). */
uint64_t hs_typing_nelem(const struct hs_typing *ty, uint32_t key, uint64_t usable);

/* A piece of memory to read and cast. */
struct cast_piece {
	uint64_t addr, len;
	uint64_t nelem, undo_nelem; /* elements of key's and undo's layout */
	uint32_t key, undo;   /* votes cast by key, and taken back by undo (KEY_NONE: none) */
};
/* Reads the pieces (sorted by address) in windows, neighbours together, and casts each
   piece's votes (undo's taken back), a big piece a window at a time. */
void hs_typing_read_pieces(struct hs_typing *ty, struct cast_piece *p, size_t n);
/* Casts piece p's votes (undo's taken back) from its bytes [off, off + len). */
void hs_typing_cast_piece(struct hs_typing *ty, const struct cast_piece *p, const uint8_t *bytes, uint64_t off,
			  uint64_t len);
/* Sorts pieces by address. */
void hs_typing_sort_pieces(struct cast_piece *p, size_t n);

/* roots.c: the typed roots (globals, TLS, frames' locals) cast their votes. */
void hs_typing_roots(struct hs_typing *ty);

/* sweeps.c: until no block's decision changes. */
void hs_typing_sweeps(struct hs_typing *ty);

#endif
