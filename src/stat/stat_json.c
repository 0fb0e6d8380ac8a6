/* stat --format=json: the mallinfo2 figures in total and per arena, malloc_info's per-arena
   figures, the RSS attribution and the pause, as one JSON object (jansson). */
#include <jansson.h>

#include "stat/stat.h"

static json_t *mallinfo_object(const struct hs_mallinfo2 *mi)
{
	return json_pack("{sI sI sI sI sI sI sI sI sI sI}", "arena", (json_int_t)mi->arena,
			 "ordblks", (json_int_t)mi->ordblks, "smblks", (json_int_t)mi->smblks,
			 "hblks", (json_int_t)mi->hblks, "hblkhd", (json_int_t)mi->hblkhd,
			 "usmblks", (json_int_t)mi->usmblks, "fsmblks", (json_int_t)mi->fsmblks,
			 "uordblks", (json_int_t)mi->uordblks, "fordblks", (json_int_t)mi->fordblks,
			 "keepcost", (json_int_t)mi->keepcost);
}

static json_t *arena_object(const struct hs_malloc_stats *s, size_t i)
{
	const struct hs_stat_arena *a = &s->arenas[i];
	struct hs_mallinfo2 mi;
	json_t *o;

	hs_stat_mallinfo(s, i, &mi);
	o = json_pack("{sI sI so sI sI sI sI sI}", "nr", (json_int_t)i, "address", (json_int_t)a->addr,
		      "mallinfo2", mallinfo_object(&mi), "top", (json_int_t)a->top_size,
		      "system_current", (json_int_t)a->system_mem, "system_max", (json_int_t)a->max_system_mem,
		      "aspace_total", (json_int_t)(i == 0 ? a->system_mem : a->heap_size),
		      "aspace_mprotect", (json_int_t)(i == 0 ? a->system_mem : a->heap_mprotect_size));
	if (i != 0)
		json_object_set_new(o, "subheaps", json_integer((json_int_t)a->heap_count));
	if (s->rss.available)
		json_object_set_new(o, "rss", json_pack("{sI sI sI}", "live", (json_int_t)a->rss_live,
							 "free", (json_int_t)a->rss_free, "metadata",
							 (json_int_t)a->rss_meta));
	return o;
}

int hs_stat_print_json(const struct hs_malloc_stats *s, FILE *fp)
{
	struct hs_mallinfo2 mi;
	json_t *root, *arenas = json_array();
	char version[16], advice[512];
	int rc;

	snprintf(version, sizeof(version), "%u.%u", s->major, s->minor);
	hs_stat_mallinfo(s, SIZE_MAX, &mi);
	for (size_t i = 0; i < s->narenas; i++)
		json_array_append_new(arenas, arena_object(s, i));
	root = json_pack("{ss so so s{si sI}}", "glibc", version, "mallinfo2", mallinfo_object(&mi),
			 "arenas", arenas, "mmap", "count", (int)s->n_mmaps, "size", (json_int_t)s->mmapped_mem);
	if (s->rss.available) {
		json_object_set_new(root, "rss", json_pack("{sI sI sI sI sI sI sI}", "total", (json_int_t)s->rss.total,
			"live", (json_int_t)s->rss.live, "free", (json_int_t)s->rss.free,
			"metadata", (json_int_t)s->rss.meta, "rest", (json_int_t)s->rss.rest,
			"mmapped", (json_int_t)s->rss.mmapped, "mmapped_chunks_found",
			(json_int_t)s->rss.mmapped_found));
		json_object_set_new(root, "pause_ms", json_real(s->pause_ms));
		json_object_set_new(root, "retries", json_integer(s->retries));
	} else {
		json_object_set_new(root, "rss", json_null());
	}
	if (hs_stat_advice(s, advice, sizeof(advice)) != NULL)
		json_object_set_new(root, "advice", json_string(advice));
	rc = json_dumpf(root, fp, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	fputc('\n', fp);
	json_decref(root);
	return rc == 0 && !ferror(fp) ? 0 : -1;
}
