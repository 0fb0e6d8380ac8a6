/* Heap images: what one heap walk read from a target, kept in a file, and a backend of the
   target access that serves reads from such a file. An image holds every byte range the walk
   read (nothing else of the target's memory), the mappings and threads, where malloc was
   located and the totals the walk produced, so the walker can be run again on it without
   the process: to replay a take exactly, and as the input of the walker's fuzzer
   (tests/fuzz). Reads outside the recorded ranges fail like unmapped memory.

   An image joins three stages' output (target memory, the located malloc, the walk's
   totals), so this file, unlike the other backends, knows heapwalk's and the snapshot's
   types. The file format is described in docs/fuzzing.md and image_private.h; an image is
   untrusted input: every count, length and offset in it is checked before use. */
#ifndef HS_IMAGE_H
#define HS_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "attach/attach.h"
#include "common/error.h"
#include "locate/locate.h"
#include "snapshot/snapshot.h"

/* The most memory an image holds: a walk that reads more cannot be saved. */
#define HS_IMAGE_MAX_BYTES (64u << 20)

/* Wraps inner in a target that reads through it and keeps a copy of every range read (up to
   HS_IMAGE_MAX_BYTES). The recording borrows inner's mappings and threads and does not own
   inner: close the recording (hs_target_close) before inner. */
struct hs_target *hs_image_record(struct hs_target *inner);

/* Writes the recording as an image file (mode 0600, atomically): its ranges, inner's
   mappings and threads as they are now, what m says of malloc, and the totals the walk
   produced. Errors are HS_ERR_OUTPUT. */
int hs_image_save(struct hs_target *recording, const struct hs_malloc_info *m,
		  const struct hs_totals *walked, const char *path, struct hs_error *err);

/* Opens an image file as a target and fills m (free it with hs_malloc_info_free). Errors
   are HS_ERR_TARGET. */
int hs_image_open(const char *path, struct hs_target **out, struct hs_malloc_info *m,
		  struct hs_error *err);

/* The same from bytes in memory, which must outlive the target: its reads come from them. */
int hs_image_open_buffer(const uint8_t *buf, size_t len, struct hs_target **out,
			 struct hs_malloc_info *m, struct hs_error *err);

/* A recorded range of an image target. */
struct hs_image_range {
	uint64_t addr, len;
	const uint8_t *bytes; /* NULL when the range is all zeros (not stored) */
};

/* The ranges of an image target, sorted by address, not overlapping, some touching (*n = 0
   and NULL for other targets). */
const struct hs_image_range *hs_image_ranges(const struct hs_target *t, size_t *n);

/* The totals the recorded walk produced, or NULL when t is no image target. */
const struct hs_totals *hs_image_recorded_totals(const struct hs_target *t);

#endif
