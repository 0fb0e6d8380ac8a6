/* The debuginfo fixture's second unit: the one definition of struct remote, which the first
   unit only declares, so a pointer to it there resolves to this definition. */
#include <stddef.h>
#include <stdlib.h>

#include "fixture.h"

struct remote {
	long id;
	struct node *link;
};

static struct remote the_remote;

/* fixture.c has another struct twin of this size. */
struct twin {
	long a;
	struct item *b;
};

struct twin *g_other_twin;

struct remote *fixture2_remote(void)
{
	the_remote.link = calloc(1, sizeof(struct node));
	return &the_remote;
}

void fixture2_truth(FILE *f)
{
	TRUTH_TYPE(f, struct twin);
	TRUTH_SLOT(f, struct twin, offsetof(struct twin, b), "one", "struct item", 1, 0);
	TRUTH_TYPE(f, struct remote);
	TRUTH_SLOT(f, struct remote, offsetof(struct remote, link), "one", "struct node", 1, 0);
	fprintf(f, "global\tthe_remote\t%p\n", (void *)&the_remote);
	fprintf(f, "gtype\tthe_remote\tstruct remote\n");
}
