/* Small reads of target memory for metadata (vtables, typeinfo, type objects): each is done
   once per distinct address, the caller caches what it concludes. */
#include "attach/attach.h"
#include "classify/classify_private.h"

bool hs_peek(struct hs_classifier *c, uint64_t addr, void *buf, size_t len)
{
	return c->t->ops->read(c->t, addr, buf, len) == (ssize_t)len;
}

long hs_peek_string(struct hs_classifier *c, uint64_t addr, char *buf, size_t cap)
{
	/* One read of cap bytes: it comes back short when the string ends near the end of its
	   mapping, which is fine as long as the NUL was inside what came back. */
	ssize_t n = c->t->ops->read(c->t, addr, buf, cap);
	char *nul;

	if (n <= 0 || (nul = memchr(buf, '\0', (size_t)n)) == NULL)
		return -1;
	return nul - buf;
}
