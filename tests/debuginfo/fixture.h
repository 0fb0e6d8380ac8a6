/* The debuginfo fixture's types (tests/debuginfo/fixture.c and fixture2.c): every shape of
   pointer the DWARF reader must find, and the ones it must not (no slot). */
#ifndef FIXTURE_H
#define FIXTURE_H

#include <stdio.h>

/* Automake puts the user's CFLAGS (-O2 by default) after a program's own, so the -O0 build
   asks for -O0 here. */
#ifdef FIXTURE_O0
#pragma GCC optimize("O0")
#endif

struct node {
	int value;
	struct node *next, *prev;        /* linked records */
};

typedef struct node node_t;
typedef node_t node2_t;                 /* a typedef chain */
struct remote;                           /* defined in fixture2.c only */
struct ghost;                            /* defined nowhere */

struct item {
	char name[12];
	node2_t *owner;                      /* through the chain: struct node */
	const struct node *cowner;           /* const pointee */
	struct node *const fixed;            /* const pointer */
	volatile struct node *vnode;
	struct node *volatile vptr;
	void *opaque;                        /* none of these five is a slot */
	char *label;
	int *counts;
	void (*callback)(void);
	struct ghost *ghost;
	struct remote *remote;               /* resolved in the other CU */
};

struct inner {
	long tag;
	struct node *first;
};

typedef struct {                         /* anonymous, named by its typedef */
	struct item *current;
	int len;
} conn_t;

union choice {
	struct node *as_node;
	struct item *as_item;
	long as_long;
};

struct registry {
	int count;
	struct item *items[8];               /* an array of record pointers */
	struct item **index;                 /* T ** */
	struct inner nested;                 /* a nested record */
	struct inner pairs[3];               /* an array of records holding pointers */
	struct node *grid[2][3];             /* multi-dimensional */
	union choice pick;                   /* a union's members all count */
	conn_t conn;
	conn_t *connp;
	unsigned bits : 3;                   /* a bit field: no slot */
};

struct flex {
	struct node *head;
	int n;
	struct item *items[];                /* a flexible array member */
};

/* The ground truth printers both CUs share. */
#define TRUTH_TYPE(f, T) fprintf(f, "type\t%s\t%zu\n", #T, sizeof(T))
#define TRUTH_SLOT(f, T, expr, kind, target, count, stride)                                   \
	fprintf(f, "slot\t%s\t%zu\t%s\t%s\t%u\t%zu\n", #T, (size_t)(expr), kind, target,       \
		(unsigned)(count), (size_t)(stride))

void fixture2_truth(FILE *f);
struct remote *fixture2_remote(void);

#endif
