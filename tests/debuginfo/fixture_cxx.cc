// The debuginfo C++ fixture: qualified names as c++filt writes them (ns::Node, ns::Box<int>,
// ns::Outer::Inner), a class with a vtable, a static member. Run, it prints its own ground
// truth (sizeof, offsetof of every pointer member) in tests/debuginfo's format; the test
// reads its types offline from the file.
#include <cstddef>
#include <cstdio>

namespace ns {
struct Node {
	int value;
	Node *next;
};
template <class T> struct Box {
	T *p;
	Node *owner;
};
class Outer {
public:
	struct Inner {
		Node *node;
		Inner *self;
	};
	Inner *inner;
	static Outer *instance;
};
Outer *Outer::instance;
class Shape {
public:
	virtual ~Shape() {}
	Node *anchor;
};
} // namespace ns

ns::Node *g_node;
ns::Box<int> *g_box;
ns::Outer g_outer;
ns::Shape *g_shape;

#define TRUTH_TYPE(T) std::printf("type\t%s\t%zu\n", #T, sizeof(T))
#define TRUTH_SLOT(T, M, target) \
	std::printf("slot\t%s\t%zu\tone\t%s\t1\t0\n", #T, offsetof(T, M), target)

int main()
{
	typedef ns::Box<int> BoxInt;

	g_box = new BoxInt();
	g_shape = new ns::Shape();
	TRUTH_TYPE(ns::Node);
	TRUTH_SLOT(ns::Node, next, "ns::Node");
	std::printf("type\tns::Box<int>\t%zu\n", sizeof(BoxInt));
	std::printf("slot\tns::Box<int>\t%zu\tone\tns::Node\t1\t0\n", offsetof(BoxInt, owner));
	TRUTH_TYPE(ns::Outer);
	TRUTH_SLOT(ns::Outer, inner, "ns::Outer::Inner");
	TRUTH_TYPE(ns::Outer::Inner);
	TRUTH_SLOT(ns::Outer::Inner, node, "ns::Node");
	TRUTH_SLOT(ns::Outer::Inner, self, "ns::Outer::Inner");
	TRUTH_TYPE(ns::Shape);
	std::printf("slot\tns::Shape\t%zu\tone\tns::Node\t1\t0\n", sizeof(void *));
	std::printf("global\tinstance\n");
	std::printf("gslot\tinstance\t0\tone\tns::Outer\t1\t0\n");
	std::printf("global\tg_node\n");
	std::printf("gslot\tg_node\t0\tone\tns::Node\t1\t0\n");
	std::printf("global\tg_box\n");
	std::printf("gslot\tg_box\t0\tone\tns::Box<int>\t1\t0\n");
	std::printf("global\tg_outer\n");
	std::printf("gtype\tg_outer\tns::Outer\n");
	std::printf("global\tg_shape\n");
	std::printf("gslot\tg_shape\t0\tone\tns::Shape\t1\t0\n");
	return 0;
}
