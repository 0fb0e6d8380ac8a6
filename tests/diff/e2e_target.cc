// The live target of the end-to-end diff test: holds known numbers of two C++ classes, then,
// at each "step" line on its control FIFO, allocates `grow::Widget`s, deletes
// `shrink::Gadget`s and adds C strings, exactly the counts given on its command line, and
// allocates nothing else (the control line is read into a stack buffer with read(2); its
// bookkeeping lives in static storage, not in the heap).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace grow {
struct Widget {
	virtual ~Widget() = default;
	long id = 0;
	char pad[40] = {};
};
} // namespace grow

namespace shrink {
struct Gadget {
	virtual ~Gadget() = default;
	double weight = 1.0;
	char pad[88] = {};
};
} // namespace shrink

enum { MAX_OBJECTS = 100000 };
static grow::Widget *widgets[MAX_OBJECTS];
static shrink::Gadget *gadgets[MAX_OBJECTS];
static char *strings[MAX_OBJECTS];
static int nwidgets, ngadgets, nstrings;

static void say(int fd, const char *what)
{
	if (write(fd, what, strlen(what)) < 0)
		_exit(3);
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: e2e_target FIFO REPORT WIDGETS_PER_STEP GADGETS_PER_STEP STRINGS_PER_STEP\n");
		return 2;
	}
	int per_widget = atoi(argv[3]), per_gadget = atoi(argv[4]), per_string = atoi(argv[5]);
	if (per_widget < 0 || per_gadget < 0 || per_string < 0 ||
	    10 * (per_widget + per_gadget + per_string) > MAX_OBJECTS)
		return 2;
	for (int i = 0; i < 10 * per_gadget; i++)
		gadgets[ngadgets++] = new shrink::Gadget;
	for (int i = 0; i < per_widget; i++)
		widgets[nwidgets++] = new grow::Widget;
	int report = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int control = open(argv[1], O_RDWR);
	say(report, "ready\n");
	for (;;) {
		char line[64];
		ssize_t n = read(control, line, sizeof(line));
		if (n <= 0)
			return 0;
		for (int i = 0; i < per_widget && nwidgets < MAX_OBJECTS; i++)
			widgets[nwidgets++] = new grow::Widget;
		for (int i = 0; i < per_gadget && ngadgets > 0; i++)
			delete gadgets[--ngadgets];
		for (int i = 0; i < per_string && nstrings < MAX_OBJECTS; i++) {
			char *s = static_cast<char *>(malloc(48));
			snprintf(s, 48, "request %06d from the end-to-end test", i);
			strings[nstrings++] = s;
		}
		say(report, "stepped\n");
	}
}
