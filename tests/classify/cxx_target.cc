// Target for the C++ classifier test: allocates known numbers of polymorphic objects (in a
// namespace, template instances, multiple and virtual inheritance), non-polymorphic structs
// and some freed objects; announces "obj ADDRESS CLASS" / "notclass ADDRESS" on stdout, then
// "end", and stops itself. "bench N" instead fills the heap with N mixed blocks for timing.
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace ns {
struct Widget {
	virtual ~Widget() {}
	virtual long area() const { return w * h; }
	long w = 3, h = 4;
};
} // namespace ns

template <class T> struct Box {
	virtual ~Box() {}
	virtual T get() const { return v; }
	T v{};
};

struct Left {
	virtual ~Left() {}
	virtual int left() { return 1; }
	long l = 1;
};
struct Right {
	virtual ~Right() {}
	virtual int right() { return 2; }
	long r = 2;
};
struct Both : Left, Right {
	int left() override { return 3; }
	long b = 3;
};

struct Shared {
	virtual ~Shared() {}
	long s = 4;
};
struct Diamond : virtual Shared {
	virtual void touch() {}
	long d = 5;
};

struct Plain {
	long a = 1, b = 2, c = 3;
};
static void callback() {}
struct Callback {
	void (*fn)() = callback;
	long arg = 7;
};
struct Named {
	const char *name = "SECRET-cxx-literal";
	long n = 9;
};

// Kept reachable so the compiler cannot drop the allocations.
static void *volatile keep[4096];
static size_t nkeep;

template <class T> static T *make(const char *announce)
{
	T *p = new T;
	keep[nkeep++] = p;
	if (announce[0] == '!')
		printf("notclass %p\n", (void *)p);
	else
		printf("obj %p %s\n", (void *)p, announce);
	return p;
}

static void known_objects()
{
	for (int i = 0; i < 7; i++)
		make<ns::Widget>("ns::Widget");
	for (int i = 0; i < 5; i++)
		make<Box<int>>("Box<int>");
	for (int i = 0; i < 4; i++)
		make<Box<double>>("Box<double>");
	for (int i = 0; i < 3; i++)
		make<Both>("Both");
	for (int i = 0; i < 2; i++)
		make<Diamond>("Diamond");
	for (int i = 0; i < 6; i++)
		make<Plain>("!");
	for (int i = 0; i < 3; i++)
		make<Callback>("!");
	for (int i = 0; i < 3; i++)
		make<Named>("!");
	// Freed objects: their first word becomes a free-list link, no longer a vptr.
	ns::Widget *freed[6];
	for (auto &w : freed)
		w = new ns::Widget;
	for (auto &w : freed)
		delete w;
}

static uint64_t rng = 88172645463325252ULL;
static uint64_t next_random()
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

// N blocks cycling through 8 shapes: 3 classes, a string, a pointer array, a zeroed block,
// random bytes, a plain struct; the test knows the counts from N.
static void bench(long n)
{
	void **all = static_cast<void **>(malloc(n * sizeof(void *)));
	for (long i = 0; i < n; i++) {
		switch (i % 8) {
		case 0: all[i] = new ns::Widget; break;
		case 1: all[i] = new Box<int>; break;
		case 2: all[i] = new Both; break;
		case 3: all[i] = strdup("SECRET-bench-string-of-32-bytes."); break;
		case 4: {
			void **a = static_cast<void **>(malloc(5 * sizeof(void *)));
			for (int k = 0; k < 5; k++)
				a[k] = all[i - 1 - k];
			all[i] = a;
			break;
		}
		case 5: all[i] = calloc(1, 64); break;
		case 6: {
			uint64_t *r = static_cast<uint64_t *>(malloc(48));
			for (int k = 0; k < 6; k++)
				r[k] = next_random();
			all[i] = r;
			break;
		}
		default: all[i] = new Plain; break;
		}
	}
	keep[0] = all;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "bench") == 0)
		bench(atol(argv[2]));
	else
		known_objects();
	printf("end\n");
	fflush(stdout);
	raise(SIGSTOP);
	pause();
	return 0;
}
