/* Unit tests of the small pieces of show/diff: byte formatting in every unit, parsing of
   units and byte amounts, size classes and key texts, key order, percentages, globs. */
#include <stdint.h>
#include <stdlib.h>

#include "diff/diff.h"
#include "tests/diff/tap.h"

static const char *fmt(const char *unit, int64_t v, int is_signed, int with_unit)
{
	static char buf[64];
	struct hs_unit u;

	if (hs_unit_parse(unit, &u) < 0)
		return "no such unit";
	if (is_signed)
		hs_unit_format_signed(&u, v, with_unit, buf, sizeof(buf));
	else
		hs_unit_format(&u, (uint64_t)v, with_unit, buf, sizeof(buf));
	return buf;
}

static void formatting(void)
{
	tap_str(fmt("auto", 0, 0, 1), "0 B", "auto: 0 bytes");
	tap_str(fmt("auto", 1023, 0, 1), "1023 B", "auto: 1023 bytes stay bytes");
	tap_str(fmt("auto", 1024, 0, 1), "1.00 KiB", "auto: 1024 bytes are 1.00 KiB");
	tap_str(fmt("auto", 1536, 0, 1), "1.50 KiB", "auto: two decimals below 10");
	tap_str(fmt("auto", 10239, 0, 1), "10.0 KiB", "auto: 9.999 KiB rounds to 10.0, one decimal");
	tap_str(fmt("auto", 65536, 0, 1), "64.0 KiB", "auto: one decimal below 100");
	tap_str(fmt("auto", 102399, 0, 1), "100 KiB", "auto: 99.999 KiB rounds to 100, no decimal");
	tap_str(fmt("auto", 535822336, 0, 1), "511 MiB", "auto: MiB");
	tap_str(fmt("auto", INT64_C(5) << 30, 0, 1), "5.00 GiB", "auto: GiB");
	tap_str(fmt("auto", INT64_C(2) << 40, 0, 1), "2048 GiB", "auto: GiB is the largest unit");
	tap_str(fmt("auto", 0, 1, 1), "+0 B", "signed: zero has a plus sign");
	tap_str(fmt("auto", -300, 1, 1), "-300 B", "signed: negative bytes");
	tap_str(fmt("auto", -1536, 1, 1), "-1.50 KiB", "signed: negative KiB picks its unit by magnitude");
	tap_str(fmt("auto", 4428 * 1024, 1, 1), "+4.32 MiB", "signed: positive MiB");
	tap_str(fmt("auto", INT64_MIN, 1, 1), "-8589934592 GiB", "signed: the most negative value");
	tap_str(fmt("B", 1536, 0, 1), "1536 B", "B: plain bytes");
	tap_str(fmt("B", 1536, 0, 0), "1536", "B without the unit: a bare integer");
	tap_str(fmt("KiB", 512, 0, 1), "0.50 KiB", "KiB: below one unit");
	tap_str(fmt("MiB", 3 << 20, 1, 0), "+3.00", "MiB signed without the unit");
	tap_str(fmt("GiB", INT64_C(3) << 29, 0, 1), "1.50 GiB", "GiB");
	tap_str(fmt("kB", 1500, 0, 1), "1.50 kB", "kB is 1000 bytes");
	tap_str(fmt("MB", 2500000, 0, 1), "2.50 MB", "MB is 10^6 bytes");
	tap_str(fmt("GB", 7000000000, 1, 1), "+7.00 GB", "GB is 10^9 bytes");
}

static void units(void)
{
	struct hs_unit u;

	tap_ok(hs_unit_parse("kib", &u) == 0 && u.bytes == 1024 && strcmp(u.name, "KiB") == 0,
	       "unit names are case-insensitive (kib is KiB)");
	tap_ok(hs_unit_parse("KB", &u) == 0 && u.bytes == 1000 && strcmp(u.name, "kB") == 0, "KB is kB");
	tap_ok(hs_unit_parse("AUTO", &u) == 0 && u.bytes == 0, "AUTO is auto");
	tap_ok(hs_unit_parse("furlong", &u) < 0, "an unknown unit is refused");
	tap_ok(hs_unit_parse("", &u) < 0, "an empty unit is refused");
	tap_ok(hs_unit_parse("KiBs", &u) < 0, "a unit with a suffix is refused");
}

static uint64_t bytes_of(const char *text, int *rc)
{
	uint64_t v = 12345;

	*rc = hs_parse_bytes(text, &v);
	return v;
}

static void amounts(void)
{
	int rc;

	tap_ok(bytes_of("4096", &rc) == 4096 && rc == 0, "4096 is 4096 bytes");
	tap_ok(bytes_of("4KiB", &rc) == 4096 && rc == 0, "4KiB is 4096 bytes");
	tap_ok(bytes_of("1.5 MiB", &rc) == 1572864 && rc == 0, "1.5 MiB (with a space) is 1572864 bytes");
	tap_ok(bytes_of("2kb", &rc) == 2000 && rc == 0, "2kb is 2000 bytes");
	tap_ok(bytes_of("0", &rc) == 0 && rc == 0, "0 is 0 bytes");
	bytes_of("", &rc);
	tap_ok(rc < 0, "an empty amount is refused");
	bytes_of("-5", &rc);
	tap_ok(rc < 0, "a negative amount is refused");
	bytes_of("5x", &rc);
	tap_ok(rc < 0, "an amount with an unknown unit is refused");
	bytes_of("1.", &rc);
	tap_ok(rc < 0, "a dot without decimals is refused");
	bytes_of("5auto", &rc);
	tap_ok(rc < 0, "auto is no unit of an amount");
	bytes_of("9223372036854775808", &rc);
	tap_ok(rc < 0, "2^63 bytes is refused");
	bytes_of("9000000000 GiB", &rc);
	tap_ok(rc < 0, "an amount overflowing 2^63 through its unit is refused");
}

static const char *key(enum hs_group_by by, const char *name, const char *kind, uint64_t size)
{
	static char buf[128];
	struct hs_key k = hs_group_key(by, name, kind, size);
	char *text = hs_key_text(by, &k);

	snprintf(buf, sizeof(buf), "%s", text);
	free(text);
	return buf;
}

static void keys(void)
{
	struct hs_key a = hs_group_key(HS_BY_SIZE, "x", "y", 48), b = hs_group_key(HS_BY_SIZE, "x", "y", 1024);
	struct hs_key c = hs_group_key(HS_BY_TYPE_SIZE, "ns::A", "y", 2000);
	struct hs_key d = hs_group_key(HS_BY_TYPE_SIZE, "ns::B", "y", 16);

	tap_str(key(HS_BY_SIZECLASS, "t", "k", 0), "0", "size class of 0");
	tap_str(key(HS_BY_SIZECLASS, "t", "k", 1), "1", "size class of 1");
	tap_str(key(HS_BY_SIZECLASS, "t", "k", 2), "2", "size class of 2");
	tap_str(key(HS_BY_SIZECLASS, "t", "k", 3), "3-4", "size class of 3");
	tap_str(key(HS_BY_SIZECLASS, "t", "k", 4), "3-4", "size class of 4");
	tap_str(key(HS_BY_SIZECLASS, "t", "k", 24), "17-32", "size class of 24");
	tap_str(key(HS_BY_SIZECLASS, "t", "k", 513), "513-1024", "size class of 513");
	tap_str(key(HS_BY_SIZECLASS, "t", "k", 1024), "513-1024", "size class of 1024");
	tap_str(key(HS_BY_SIZECLASS, "t", "k", 1025), "1025-2048", "size class of 1025");
	tap_str(key(HS_BY_SIZECLASS, "t", "k", (UINT64_C(1) << 53) - 1),
		"4503599627370497-9007199254740992", "size class of 2^53 - 1");
	tap_str(key(HS_BY_TYPE, "ns::Widget", "vtable", 24), "ns::Widget", "type key");
	tap_str(key(HS_BY_SIZE, "ns::Widget", "vtable", 24), "24", "size key");
	tap_str(key(HS_BY_TYPE_SIZE, "ns::Widget", "vtable", 24), "ns::Widget|24", "type,size key");
	tap_str(key(HS_BY_KIND, "ns::Widget", "vtable", 24), "vtable", "kind key");
	tap_ok(hs_key_compare(&a, &b) < 0 && hs_key_compare(&b, &a) > 0, "size keys order as numbers (48 < 1024)");
	tap_ok(hs_key_compare(&c, &d) < 0, "type,size keys order by type first");
	tap_ok(hs_key_compare(&a, &a) == 0, "a key equals itself");
}

static const char *pct(int64_t diff, uint64_t old)
{
	static char buf[32];

	hs_format_pct(diff, old, buf, sizeof(buf));
	return buf;
}

static void percentages(void)
{
	tap_str(pct(0, 0), "+0.0%", "no change from nothing");
	tap_str(pct(5, 0), "new", "growth from nothing is new");
	tap_str(pct(-50, 100), "-50.0%", "a fall of half");
	tap_str(pct(307, 100), "+307%", "no decimal from 100% on");
	tap_str(pct(-100, 100), "-100%", "gone");
	tap_str(pct(999, 10000), "+10.0%", "rounding to one decimal");
	tap_str(pct(0, 7), "+0.0%", "no change keeps its sign");
}

static void globs(void)
{
	struct hs_view_options o;
	char why[256];

	hs_view_options_init(&o);
	tap_ok(hs_view_option(&o, HS_OPT_FILTER, "std::map<int\\, int>,ns::*", why, sizeof(why)) == 0 &&
		       o.nfilters == 2,
	       "an escaped comma stays inside its glob");
	tap_ok(hs_type_kept(&o, "std::map<int, int>"), "a glob with an escaped comma matches the comma");
	tap_ok(hs_type_kept(&o, "ns::Widget"), "the second glob of a list matches");
	tap_ok(!hs_type_kept(&o, "py:dict"), "a name matching no --filter glob is dropped");
	tap_ok(hs_view_option(&o, HS_OPT_EXCLUDE, "ns::W*", why, sizeof(why)) == 0 && !hs_type_kept(&o, "ns::Widget"),
	       "--exclude wins over --filter");
	tap_ok(hs_view_option(&o, HS_OPT_FILTER, "a,", why, sizeof(why)) < 0, "a trailing empty glob is refused");
	tap_ok(hs_view_option(&o, HS_OPT_UNIT, "Mib", why, sizeof(why)) == 0 && strcmp(o.unit.name, "MiB") == 0,
	       "--unit=Mib sets MiB");
	tap_ok(hs_view_option(&o, HS_OPT_FAIL_IF_GROWTH, "12.5%", why, sizeof(why)) == 0 &&
		       o.fail_if_growth.percent && o.fail_if_growth.pct == 12.5,
	       "--fail-if-growth=12.5% is a percentage");
	tap_ok(hs_view_option(&o, HS_OPT_FAIL_IF_GROWTH, "%", why, sizeof(why)) < 0, "--fail-if-growth=% is refused");
	tap_ok(hs_view_option(&o, HS_OPT_LIMIT, "18446744073709551616", why, sizeof(why)) < 0,
	       "a --limit past 2^64 is refused");
	hs_view_options_free(&o);
}

int main(void)
{
	formatting();
	units();
	amounts();
	keys();
	percentages();
	globs();
	return tap_done();
}
