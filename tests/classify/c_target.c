/* Target for the C classifier test: allocates known strings (ASCII and UTF-8), pointer
   arrays, zero-filled blocks, an open FILE with its buffer, and blocks that must stay
   "unknown" (random bytes, a short string in a big buffer, a struct with one pointer, a
   pointer array with a stray integer inside); announces "obj ADDRESS NAME" lines, "end",
   then stops itself. Its data carries the marker SECRET, which no type name may contain. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *volatile keep[256];
static size_t nkeep;
static int global_counter;

static void *announce(void *p, const char *name)
{
	keep[nkeep++] = p;
	printf("obj %p %s\n", p, name);
	return p;
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void *random_block(size_t n)
{
	uint8_t *p = malloc(n);
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)next_random();
	/* Not text from byte 0, whatever the generator says. */
	p[0] = 0x01;
	return p;
}

static void strings(void)
{
	static const size_t lengths[] = { 12, 15, 16, 23, 24, 40, 63, 100, 255, 256, 1000, 5000 };
	char buf[6000];

	for (size_t i = 0; i < sizeof(lengths) / sizeof(*lengths); i++) {
		int n = snprintf(buf, sizeof(buf), "SECRET-%zu-", i);
		for (size_t k = (size_t)n; k < lengths[i]; k++)
			buf[k] = (char)('a' + k % 26);
		buf[lengths[i]] = '\0';
		announce(strdup(buf), "char[] (string)");
	}
	announce(strdup("SECRET caf\xc3\xa9 na\xc3\xafve \xe2\x9c\x93 \xf0\x9f\x98\x80 done\n"), "char[] (string)");
	/* A string buffer mostly used: 700 characters in 800 bytes. */
	char *mostly = malloc(800);
	memset(mostly, 'x', 700);
	memcpy(mostly, "SECRET", 6);
	mostly[700] = '\0';
	announce(mostly, "char[] (string)");
}

static void pointer_arrays(void)
{
	static const size_t counts[] = { 3, 5, 7, 31, 64, 600 };

	for (size_t i = 0; i < sizeof(counts) / sizeof(*counts); i++) {
		void **a = malloc(counts[i] * sizeof(void *));
		for (size_t k = 0; k < counts[i]; k++)
			a[k] = k % 5 == 4 ? NULL : k % 3 == 0 ? (void *)&global_counter
				: k % 3 == 1 ? (void *)keep[k % nkeep] : (void *)"SECRET-literal";
		announce(a, "void*[] (pointer array)");
	}
}

static void zero_blocks(void)
{
	static const size_t sizes[] = { 24, 40, 200, 5000, 100000 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++)
		announce(calloc(1, sizes[i]), "zero-filled");
}

static void stdio_objects(void)
{
	FILE *f = fopen("/dev/null", "r");

	if (f == NULL)
		exit(1);
	fgetc(f); /* allocates the read buffer */
	announce(f, "glibc:FILE");
	announce(f->_IO_buf_base, "glibc:stdio buffer");
	/* stdout is a pipe: fully buffered, its buffer allocated by the first printf. */
	announce(stdout->_IO_buf_base, "glibc:stdio buffer");
}

static void unknown_blocks(void)
{
	static const size_t sizes[] = { 24, 40, 72, 500, 3000 };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++)
		announce(random_block(sizes[i]), "unknown");
	char *sparse = random_block(1000);
	strcpy(sparse, "SECRET-short");
	announce(sparse, "unknown");
	struct { void *p; long a, b, c; } *one = malloc(sizeof(*one));
	one->p = &global_counter;
	one->a = 5, one->b = 6, one->c = 7;
	announce(one, "unknown");
	void **stray = malloc(16 * sizeof(void *));
	for (size_t k = 0; k < 16; k++)
		stray[k] = (void *)&global_counter;
	stray[5] = (void *)12345;
	announce(stray, "unknown");
}

int main(void)
{
	stdio_objects();
	strings();
	zero_blocks();
	pointer_arrays();
	unknown_blocks();
	printf("end\n");
	fflush(stdout);
	raise(SIGSTOP);
	pause();
	return 0;
}
