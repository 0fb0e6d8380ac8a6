/* Unit tests of trend's statistics against values computed by hand: Theil–Sen medians,
   Mann–Kendall S, exact p-values (1/n! for a strictly increasing series, the Mahonian
   counts for n = 3 and 4) and the tie-corrected normal approximation; and RFC 3339 times. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../diff/tap.h"
#include "trend/trend.h"
#include "trend/trend_private.h"

static void near(double got, double want, double rel, const char *what)
{
	int pass = fabs(got - want) <= rel * fabs(want) + 1e-300;

	tap_ok(pass, what);
	if (!pass)
		printf("# got %.10g, wanted %.10g\n", got, want);
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of the pairwise slopes the plain way: all of them sorted. */
static double median_by_sorting(const double *t, const double *y, size_t n)
{
	double slopes[400];
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			slopes[m++] = (y[j] - y[i]) / (t[j] - t[i]);
	qsort(slopes, m, sizeof(*slopes), by_value);
	return m % 2 ? slopes[m / 2] : (slopes[m / 2 - 1] + slopes[m / 2]) / 2;
}

int main(void)
{
	double t5[] = { 0, 1, 2, 3, 4 }, line[] = { 0, 2, 4, 6, 8 }, outlier[] = { 1, 2, 3, 4, 100 };
	double t3[] = { 0, 1, 2 }, y3[] = { 0, 1, 3 };
	double same_t[] = { 0, 0, 1 }, same_y[] = { 0, 5, 1 };
	double up8[] = { 1, 2, 3, 4, 5, 6, 7, 8 }, down8[] = { 8, 7, 6, 5, 4, 3, 2, 1 };
	double n3[] = { 1, 3, 2 }, n4[] = { 1, 2, 4, 3 }, ties[] = { 1, 1, 2, 2 }, flat[] = { 5, 5, 5, 5, 5 };
	double saw[] = { 1, 2, 3, 1, 2, 3, 1, 2, 3 }, up12[12], up35[35], secs = 0;
	double t20[20], squares[20], shuffled[20];

	near(hs_theil_sen_slope(t5, line, 5), 2, 1e-12, "Theil-Sen of a line is its slope");
	near(hs_theil_sen_slope(t5, outlier, 5), 1, 1e-12, "Theil-Sen ignores one outlier (median of 10 slopes: 1)");
	near(hs_theil_sen_slope(t3, y3, 3), 1.5, 1e-12, "Theil-Sen median of 1, 1.5, 2 is 1.5");
	near(hs_theil_sen_slope(same_t, same_y, 3), -1.5, 1e-12,
	     "Theil-Sen skips pairs at the same time (median of 1 and -4)");
	for (int i = 0; i < 20; i++) {
		t20[i] = i;
		squares[i] = i * i;
		shuffled[i] = (i * 7) % 20; /* a permutation of 0..19 */
	}
	near(hs_theil_sen_slope(t20, squares, 20), 19, 1e-12,
	     "Theil-Sen of i^2 over 0..19: slopes i+j, median of 190 is 19");
	near(hs_theil_sen_slope(t20, shuffled, 20), median_by_sorting(t20, shuffled, 20), 1e-12,
	     "Theil-Sen by selection equals the median of the sorted slopes");
	tap_ok(hs_theil_sen_slope(same_t, same_y, 2) == 0, "Theil-Sen with no pair of distinct times is 0");

	tap_ok(hs_mann_kendall_s(up8, 8) == 28, "S of 8 increasing values is 28");
	tap_ok(hs_mann_kendall_s(down8, 8) == -28, "S of 8 decreasing values is -28");
	tap_ok(hs_mann_kendall_s(saw, 9) == 9, "S of the sawtooth 1,2,3 x3 is 9");
	near(hs_mann_kendall_p(up8, 8), 1.0 / 40320, 1e-9, "exact p of 8 increasing values is 1/8!");
	near(hs_mann_kendall_p(down8, 8), 1, 1e-12, "exact p of 8 decreasing values is 1");
	near(hs_mann_kendall_p(n3, 3), 0.5, 1e-12, "exact p of 1,3,2 is 3/6");
	near(hs_mann_kendall_p(n4, 4), 1.0 / 6, 1e-12, "exact p of 1,2,4,3 is 4/24");
	for (int i = 0; i < 12; i++)
		up12[i] = i;
	near(hs_mann_kendall_p(up12, 12), 1.0 / 479001600, 1e-9, "exact p of 12 increasing values is 1/12!");
	near(hs_mann_kendall_p(ties, 4), 0.12263905840338643, 1e-9,
	     "1,1,2,2: S=4, tie-corrected var 120/18, continuity-corrected normal p");
	near(hs_mann_kendall_p(saw, 9), 0.18703139874544128, 1e-9, "the sawtooth: S=9, var 81, p = Q(8/9)");
	tap_ok(hs_mann_kendall_p(flat, 5) == 1, "a constant series has p 1");
	tap_ok(hs_mann_kendall_p(flat, 1) == 1, "one value has p 1");
	for (int i = 0; i < 35; i++)
		up35[i] = i;
	near(hs_mann_kendall_p(up35, 35), 0.5 * erfc(594 / sqrt(35.0 * 34 * 75 / 18) / sqrt(2.0)), 1e-9,
	     "35 increasing values: normal approximation, S=595");

	tap_ok(hs_parse_rfc3339("1970-01-01T00:01:00Z", &secs) == 0 && secs == 60, "RFC 3339: 60 s after the epoch");
	tap_ok(hs_parse_rfc3339("2026-12-05T15:04:40.250Z", &secs) == 0 && fabs(secs - 1796483080.25) < 1e-6,
	       "RFC 3339 with milliseconds");
	tap_ok(hs_parse_rfc3339("2026-12-05T15:04:40", &secs) < 0, "RFC 3339 without Z is refused");
	tap_ok(hs_parse_rfc3339("2026-12-05T15:04:40.Z", &secs) < 0, "an empty fraction is refused");
	tap_ok(hs_parse_rfc3339("2026-13-05T15:04:40Z", &secs) < 0, "month 13 is refused");
	tap_ok(hs_parse_rfc3339("2026-12-05T15:04:40Zx", &secs) < 0, "text after Z is refused");
	return tap_done();
}
