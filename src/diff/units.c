/* Units for byte amounts (see diff.h). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diff/diff.h"

static const struct hs_unit units[] = {
	{ "auto", 0 },
	{ "B", 1 },
	{ "KiB", UINT64_C(1) << 10 },
	{ "MiB", UINT64_C(1) << 20 },
	{ "GiB", UINT64_C(1) << 30 },
	{ "kB", 1000 },
	{ "MB", 1000000 },
	{ "GB", 1000000000 },
};

#define NUNITS (sizeof(units) / sizeof(units[0]))

int hs_unit_parse(const char *text, struct hs_unit *u)
{
	for (size_t i = 0; i < NUNITS; i++)
		if (strcasecmp(text, units[i].name) == 0) {
			*u = units[i];
			return 0;
		}
	return -1;
}

const char *hs_unit_names(void)
{
	return "auto, B, KiB, MiB, GiB, kB, MB, GB";
}

/* auto: the largest IEC unit that keeps the value at 1 or more. */
static const struct hs_unit *unit_for(const struct hs_unit *u, uint64_t magnitude)
{
	const struct hs_unit *best = &units[1];

	if (u->bytes != 0)
		return u;
	for (size_t i = 2; i <= 4; i++)
		if (magnitude >= units[i].bytes)
			best = &units[i];
	return best;
}

static void format(const struct hs_unit *u, uint64_t magnitude, const char *sign, bool with_unit,
		   char *buf, size_t n)
{
	const struct hs_unit *use = unit_for(u, magnitude);
	const char *space = with_unit ? " " : "";
	const char *name = with_unit ? use->name : "";
	double v = (double)magnitude / (double)use->bytes;

	if (use->bytes == 1)
		snprintf(buf, n, "%s%llu%s%s", sign, (unsigned long long)magnitude, space, name);
	else
		snprintf(buf, n, "%s%.*f%s%s", sign, v < 9.995 ? 2 : v < 99.95 ? 1 : 0, v, space, name);
}

void hs_unit_format(const struct hs_unit *u, uint64_t bytes, bool with_unit, char *buf, size_t n)
{
	format(u, bytes, "", with_unit, buf, n);
}

void hs_unit_format_signed(const struct hs_unit *u, int64_t bytes, bool with_unit, char *buf,
			   size_t n)
{
	uint64_t magnitude = bytes < 0 ? -(uint64_t)bytes : (uint64_t)bytes;

	format(u, magnitude, bytes < 0 ? "-" : "+", with_unit, buf, n);
}

int hs_parse_bytes(const char *text, uint64_t *out)
{
	const char *p = text, *unit;
	struct hs_unit u = units[1];
	double whole = 0, frac = 0, scale = 1, v;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++)
		whole = whole * 10 + (*p - '0');
	if (*p == '.') {
		if (!isdigit((unsigned char)*++p))
			return -1;
		for (; isdigit((unsigned char)*p); p++)
			frac += (*p - '0') * (scale /= 10);
	}
	unit = p + (*p == ' ');
	if (*unit != '\0' && (hs_unit_parse(unit, &u) < 0 || u.bytes == 0))
		return -1;
	v = round((whole + frac) * (double)u.bytes);
	if (!(v < 9223372036854775808.0))
		return -1;
	*out = (uint64_t)v;
	return 0;
}
