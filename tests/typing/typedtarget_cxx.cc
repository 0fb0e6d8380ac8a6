// Ground truth for DWARF typing of C++ (issue 19; tests/typing/types.sh and core.sh):
// namespace classes without a vtable (ns::Node, the template ns::Box<int>), their arrays and
// pointer arrays, and a class with a vtable reached through a base pointer, whose blocks keep
// the vtable's name (ns::Circle, kind vtable) over DWARF's (ns::Shape).
//
// Usage: typedtarget_cxx TRUTH. Writes the truth file (format: tests/typing/check_types.py),
// prints "ready" and waits.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <unistd.h>

namespace ns {

struct Node;

template <class T> struct Box {
	T value;
	Node *owner;
	Box *other;
};

struct Node {
	Node *next;
	Box<int> *box;
	long value;
};

class Shape {
public:
	Node *anchor = nullptr;
	virtual ~Shape() {}
	virtual double area() const { return 0; }
};

class Circle : public Shape {
public:
	double radius = 1;
	double area() const override { return 3.14159 * radius * radius; }
};

} // namespace ns

ns::Node *g_nodes;
ns::Node *g_node_array;   // new ns::Node[4]
ns::Node **g_node_index;  // new ns::Node *[4]
ns::Box<int> *g_box;
ns::Shape *g_shape;       // an ns::Circle
void *g_raw;

static FILE *truth;

static void expect(const void *p, const char *name)
{
	fprintf(truth, "0x%jx %s\n", (uintmax_t)(uintptr_t)p, name);
}

int main(int argc, char **argv)
{
	if (argc != 2 || (truth = fopen(argv[1], "w")) == nullptr) {
		fprintf(stderr, "usage: typedtarget_cxx TRUTH\n");
		return 2;
	}
	g_box = new ns::Box<int>{ 7, nullptr, nullptr };
	expect(g_box, "ns::Box<int>");
	for (int i = 0; i < 4; i++) {
		ns::Node *n = new ns::Node{ g_nodes, i == 0 ? g_box : nullptr, i };
		expect(n, "ns::Node");
		g_nodes = n;
	}
	g_box->owner = g_nodes;
	g_box->other = new ns::Box<int>{ 8, nullptr, nullptr }; // reached through g_box alone
	expect(g_box->other, "ns::Box<int>");
	g_node_array = new ns::Node[4]();
	expect(g_node_array, "ns::Node[]");
	g_node_array[3].next = new ns::Node{ nullptr, nullptr, 40 }; // through the array alone
	expect(g_node_array[3].next, "ns::Node");
	g_node_index = new ns::Node *[4];
	expect(g_node_index, "ns::Node *[]");
	ns::Node *n = g_nodes;
	for (int i = 0; i < 4; i++, n = n->next)
		g_node_index[i] = n;
	g_shape = new ns::Circle;
	g_shape->anchor = g_nodes;
	expect(g_shape, "ns::Circle");
	g_raw = new char[64];
	memset(g_raw, 'x', 64);
	expect(g_raw, "-");
	fprintf(truth, "kind vtable ns::Circle\nnone ns::Shape\nnone ns::Box<int>[]\n");
	if (fclose(truth) != 0)
		return 1;
	puts("ready");
	fflush(stdout);
	for (;;)
		pause();
}
