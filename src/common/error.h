/* Errors carried up from any layer: a kind that maps to the CLI's exit code and a one-line
   message "what went wrong: what to do". Only the CLI front prints them. */
#ifndef HS_ERROR_H
#define HS_ERROR_H

enum hs_err_kind {
	HS_OK = 0,
	HS_ERR_GATE = 1,   /* a diff threshold tripped */
	HS_ERR_USAGE = 2,  /* bad command line */
	HS_ERR_TARGET = 3, /* target or input cannot be read */
	HS_ERR_WALK = 4,   /* heap could not be walked consistently */
	HS_ERR_OUTPUT = 5, /* output could not be written */
};

struct hs_error {
	enum hs_err_kind kind;
	char msg[1024];
};

/* Records the error (first one wins) and returns -1, so callers can `return hs_fail(...)`. */
int hs_fail(struct hs_error *err, enum hs_err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prints "heapsnap: MSG" on stderr and returns the exit code for the error's kind. */
int hs_report(const struct hs_error *err);

#endif
