/* Taking a core file: the same locate, walk and classify as a live take, on memory that
   cannot be retried. What a live take would have waited out (a lock held, a thread inside
   malloc) and memory the core lacks become warnings in the snapshot; a heap that does not
   walk consistently is exit 4. */
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>

#include "attach/attach.h"
#include "image/image.h"
#include "heapwalk/heapwalk.h"
#include "refs/refs.h"
#include "take/take_private.h"

/* When libc's file is what is missing, say which build-id to bring and how. */
static void explain_missing_libc(struct hs_target *t, struct hs_error *err)
{
	struct hs_unfound_module *mods;
	size_t n = hs_target_unfound_modules(t, &mods);

	for (size_t i = 0; i < n; i++) {
		const char *base = strrchr(mods[i].name, '/') ? strrchr(mods[i].name, '/') + 1 : mods[i].name;
		if (strncmp(base, "libc.so", 7) != 0 && strncmp(base, "libc-2.", 7) != 0)
			continue;
		err->kind = HS_OK;
		hs_fail(err, HS_ERR_TARGET, "the core's libc (%s, build-id %s) is not on this machine: "
			"pass --sysroot DIR with that file at DIR%s", mods[i].name,
			mods[i].build_id ? mods[i].build_id : "unknown", mods[i].name);
		break;
	}
	hs_unfound_modules_free(mods, n);
}

static void warn_doubts(struct hs_target *t, const struct hs_malloc_info *m, struct hs_snapshot *snap)
{
	const struct hs_core_gap *gaps;
	size_t ngaps, thread;
	char why[256];

	gaps = hs_core_gaps(t, &ngaps);
	for (size_t i = 0; i < ngaps; i++)
		hs_snapshot_warn(snap, "memory 0x%" PRIx64 "-0x%" PRIx64 " (%s) is missing: %s", gaps[i].start,
				 gaps[i].end, gaps[i].path ? gaps[i].path : "anonymous", gaps[i].reason);
	/* The busy check of a live take, on the core's stacks (unwound by libdwfl): what a live
	   take would wait out cannot be here, so it is said, and the walk goes on. */
	if (hs_malloc_busy(t, m, why, sizeof(why), &thread) && thread == SIZE_MAX)
		hs_snapshot_warn(snap, "when the core was dumped, %s: figures may be caught mid-change", why);
	for (size_t i = 0; i < t->nthreads; i++)
		if (hs_thread_in_malloc(t, m, i))
			hs_snapshot_warn(snap, "thread %d was inside malloc when the core was dumped: "
					 "figures may be caught mid-change", (int)t->threads[i].tid);
}

int hs_take_core(const struct hs_take_options *o, struct hs_snapshot *snap, struct hs_error *err)
{
	double start = hs_take_now_ms();
	struct hs_malloc_info m = { 0 };
	struct hs_target *t, *recording = NULL;
	struct hs_take_types types = { 0 };
	struct stat st;
	int rc;

	if (hs_core_open(o->core, o->exe, o->sysroot, o->debug_dirs, &t, err) < 0)
		return -1;
	rc = hs_malloc_locate(t, o->no_debuginfo, &m, err);
	if (rc < 0)
		explain_missing_libc(t, err);
	if (rc == 0) {
		warn_doubts(t, &m, snap);
		hs_take_types_begin(&types, o, t);
		snap->has_blocks = hs_take_types_keep_blocks(&types, o);
		if (o->save_image != NULL)
			recording = hs_image_record(t);
		struct hs_take_walk *walk;

		rc = hs_take_walk_read(t, recording ? recording : t, &m, snap, err, &walk);
		if (rc == 0)
			rc = hs_take_walk_finish(walk);
		if (rc == 0 && (o->refs || types.di != NULL)) {
			struct hs_block_index index; /* one for both; typing alone fills it lazily */

			(o->refs ? hs_block_index_build : hs_block_index_lazy)(&index, snap);
			hs_take_types_apply(hs_take_types_decide(&types, t, snap, &index), o, snap);
			if (o->refs)
				rc = hs_refs_take(t, &m, snap, &index, err);
			hs_block_index_free(&index);
		}
	}
	if (rc == 0 && recording != NULL)
		rc = hs_image_save(recording, &m, &snap->totals, o->save_image, err);
	hs_target_close(recording);
	if (rc == 0) {
		hs_snapshot_finish_blocks(snap);
		/* The core was written when the process stopped: its time is the snapshot's. */
		struct timespec written;
		if (stat(o->core, &st) == 0)
			written = st.st_mtim;
		else
			clock_gettime(CLOCK_REALTIME, &written);
		hs_take_describe(t, &m, o, written, snap);
		hs_take_threads(t, snap);
		snap->walk.duration_ms = hs_take_now_ms() - start;
	}
	hs_take_types_end(&types);
	hs_target_close(t);
	hs_malloc_info_free(&m);
	return rc;
}
