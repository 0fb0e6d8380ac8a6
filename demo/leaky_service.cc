// The demo target: a small "service" that leaks on purpose, so two heapsnap snapshots a few
// seconds apart show what grows. Each tick it caches more session::Buffer objects (never
// evicted), keeps some request strings, and churns short-lived cache::Entry objects.
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

int main(int argc, char **argv)
{
	int per_tick = argc > 1 ? atoi(argv[1]) : 200;
	std::vector<session::Buffer *> leaked;
	std::vector<std::string> log;
	std::vector<cache::Entry *> live_entries(1000, nullptr);

	leaked.reserve(1 << 20);
	log.reserve(1 << 20);
	printf("%d\n", (int)getpid());
	fflush(stdout);
	for (long tick = 0;; tick++) {
		for (int i = 0; i < per_tick; i++) {
			session::Buffer *b = new session::Buffer;
			memset(b->data, 0, sizeof(b->data));
			leaked.push_back(b);
		}
		for (int i = 0; i < per_tick / 4; i++)
			log.push_back("GET /api/v1/items?page=" + std::to_string(tick * 1000 + i) +
				      " HTTP/1.1 user-agent=demo-client/1.0");
		for (auto &e : live_entries) {
			delete e;
			e = new cache::Entry;
		}
		std::this_thread::sleep_for(std::chrono::milliseconds(100));
	}
}
