/* The block mix of heapsnap's benchmarks, shared by bench_target (a real heap) and
   shape_bench (the same blocks in memory): requests of 16 to 512 bytes, filled the way
   program data looks. */
#ifndef HS_BENCH_BLOCK_MIX_H
#define HS_BENCH_BLOCK_MIX_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define MIN_REQUEST 16
#define MAX_REQUEST 512

/* xorshift64*: reproducible, allocation-free. */
static inline uint64_t next_random(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

/* Fills a block of `usable` bytes: a C string (3 in 8), an array of pointers to the
   nearlier blocks before it (2 in 8), zeros (1 in 8), or odd words, which are never
   pointers (integers, floats: what no classifier names). */
static inline void fill_block(uint8_t *b, size_t usable, void *const *earlier, uint64_t nearlier,
			      uint64_t *rng)
{
	static const char words[] = "the quick brown fox jumps over the lazy dog, 0123456789 ";
	uint64_t r = next_random(rng);

	switch (r % 8) {
	case 0: case 1: case 2:
		for (size_t i = 0; i + 1 < usable; i++)
			b[i] = (uint8_t)words[(i + r / 8) % (sizeof(words) - 1)];
		b[usable - 1] = 0;
		break;
	case 3: case 4:
		for (size_t i = 0; i + 8 <= usable; i += 8) {
			void *q = nearlier ? earlier[next_random(rng) % nearlier] : NULL;
			memcpy(b + i, &q, sizeof(q));
		}
		break;
	case 5:
		memset(b, 0, usable);
		break;
	default:
		for (size_t i = 0; i + 8 <= usable; i += 8) {
			uint64_t v = next_random(rng) | 1;
			memcpy(b + i, &v, sizeof(v));
		}
		break;
	}
}

#endif
