// The demo target: a small "service" that grows and leaks on purpose, so heapsnap shows what
// grows, who holds it and what leaked. Each tick it caches more session::Buffer objects in the
// global g_sessions (never evicted: growth that something still holds), keeps some request
// strings, churns short-lived cache::Entry objects, and serves requests, each with a
// request::Context and its scratch buffer. During the first LEAKED_REQUESTS requests, every
// LEAK_EVERY-th one forgets its context instead of deleting it: a real leak (the context a
// direct leak, its scratch buffer an indirect one), said on stdout (after the PID) once as many
// requests again have run, so no stale copy of a forgotten pointer is left in a register or
// on the stack for a conservative scan to find:
//   "leaked N request::Context (direct) holding N scratch buffers (indirect)"
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace session {
struct Buffer {
	virtual ~Buffer() = default;
	virtual size_t size() const { return sizeof(data); }
	char data[200];
};
} // namespace session

namespace cache {
struct Entry {
	virtual ~Entry() = default;
	long key = 0;
	double weight = 0;
};
} // namespace cache

namespace request {
struct Context {
	explicit Context(long id) : id(id), scratch(new char[96]()) {}
	virtual ~Context() { delete[] scratch; }
	long id;
	char *scratch;
};
} // namespace request

// The holder of the growing sessions (heapsnap why names it: global g_sessions).
std::vector<session::Buffer *> g_sessions;

enum { LEAK_EVERY = 100, LEAKED_REQUESTS = 1000 };

// Serves one request; returns whether its context was leaked. Not inlined: the pointer lives
// in serve's frame, gone once it returns.
static __attribute__((noinline)) bool serve(long id)
{
	request::Context *ctx = new request::Context(id);

	snprintf(ctx->scratch, 96, "GET /api/v1/items?page=%ld", id);
	if (id < LEAKED_REQUESTS && id % LEAK_EVERY == LEAK_EVERY - 1)
		return true; // the bug: an early return that forgets ctx
	delete ctx;
	return false;
}

int main(int argc, char **argv)
{
	int per_tick = argc > 1 ? atoi(argv[1]) : 200;
	std::vector<std::string> log;
	std::vector<cache::Entry *> live_entries(1000, nullptr);
	long requests = 0, leaked = 0;

	g_sessions.reserve(1 << 20);
	log.reserve(1 << 20);
	printf("%d\n", (int)getpid());
	fflush(stdout);
	for (long tick = 0;; tick++) {
		for (int i = 0; i < per_tick; i++) {
			session::Buffer *b = new session::Buffer;
			memset(b->data, 0, sizeof(b->data));
			g_sessions.push_back(b);
		}
		for (int i = 0; i < per_tick / 4; i++) {
			log.push_back("GET /api/v1/items?page=" + std::to_string(tick * 1000 + i) +
				      " HTTP/1.1 user-agent=demo-client/1.0");
			leaked += serve(requests++);
			if (requests == 2 * LEAKED_REQUESTS) {
				printf("leaked %ld request::Context (direct) holding %ld scratch buffers (indirect)\n",
				       leaked, leaked);
				fflush(stdout);
			}
		}
		for (auto &e : live_entries) {
			delete e;
			e = new cache::Entry;
		}
		std::this_thread::sleep_for(std::chrono::milliseconds(100));
	}
}
