/* Recording and reporting errors: the one place that turns an error into a line on stderr. */
#include <stdarg.h>
#include <stdio.h>

#include "common/error.h"

int hs_fail(struct hs_error *err, enum hs_err_kind kind, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || err->kind != HS_OK)
		return -1;
	err->kind = kind;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int hs_report(const struct hs_error *err)
{
	fprintf(stderr, "heapsnap: %s\n", err->msg);
	return err->kind;
}
