/* Theil–Sen and Mann–Kendall (see trend_private.h). */
#include <math.h>
#include <stdlib.h>

#include "common/xalloc.h"
#include "trend/trend_private.h"

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The k-th smallest of v[0..n) (v reordered): Hoare's selection, linear on average, where
   sorting the n(n-1)/2 pairwise slopes of every row would dominate a long trend. */
static double select_kth(double *v, size_t n, size_t k)
{
	long lo = 0, hi = (long)n - 1, want = (long)k;

	while (lo < hi) {
		double pivot = v[lo + (hi - lo) / 2];
		long i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				double t = v[i];
				v[i++] = v[j];
				v[j--] = t;
			}
		}
		/* Now v[lo..j] <= pivot <= v[i..hi], and what lies between equals pivot. */
		if (want <= j)
			hi = j;
		else if (want >= i)
			lo = i;
		else
			break;
	}
	return v[want];
}

double hs_theil_sen_slope(const double *t, const double *y, size_t n)
{
	double *slopes = hs_xmalloc((n * (n > 0 ? n - 1 : 0) / 2 + 1) * sizeof(*slopes)), median;
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (t[j] != t[i])
				slopes[m++] = (y[j] - y[i]) / (t[j] - t[i]);
	if (m == 0) {
		free(slopes);
		return 0;
	}
	median = select_kth(slopes, m, m / 2);
	if (m % 2 == 0) {
		/* The lower middle is the largest of the m / 2 values left below the upper one. */
		double lower = slopes[0];
		for (size_t i = 1; i < m / 2; i++)
			lower = slopes[i] > lower ? slopes[i] : lower;
		median = (lower + median) / 2;
	}
	free(slopes);
	return median;
}

long hs_mann_kendall_s(const double *y, size_t n)
{
	long s = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			s += (y[j] > y[i]) - (y[j] < y[i]);
	return s;
}

/* P(S >= s) over the n! equally likely orderings of n distinct values. S = N - 2 * inversions
   (N = n(n-1)/2 pairs), so this is P(inversions <= (N - s) / 2); the number of orderings
   with k inversions (the Mahonian numbers) follows I(m, k) = sum_{j<m} I(m-1, k-j). Counts
   reach n! (2.7e32 for 30), so they are kept as doubles: the relative error stays ~1e-15. */
static double exact_p(long s, size_t n)
{
	size_t pairs = n * (n - 1) / 2, max_inv = (size_t)((long)pairs - s) / 2;
	double *count = hs_xcalloc(pairs + 1, sizeof(*count)), *next = hs_xcalloc(pairs + 1, sizeof(*next));
	double below = 0, all = 0;

	count[0] = 1;
	for (size_t m = 2; m <= n; m++) {
		size_t top = m * (m - 1) / 2;
		double window = 0; /* count[k - m + 1] + ... + count[k], kept as k moves */
		for (size_t k = 0; k <= top; k++) {
			window += count[k];
			if (k >= m)
				window -= count[k - m];
			next[k] = window;
		}
		double *swap = count;
		count = next;
		next = swap;
	}
	for (size_t k = 0; k <= pairs; k++) {
		all += count[k];
		if (k <= max_inv)
			below += count[k];
	}
	free(count);
	free(next);
	return below / all;
}

static int has_ties(const double *y, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (y[i] == y[j])
				return 1;
	return 0;
}

/* Var(S) = [n(n-1)(2n+5) - sum over tie groups of t(t-1)(2t+5)] / 18. */
static double tie_corrected_variance(const double *y, size_t n)
{
	double *sorted = hs_xmalloc(n * sizeof(*sorted)), v = (double)n * (n - 1) * (2 * n + 5);

	for (size_t i = 0; i < n; i++)
		sorted[i] = y[i];
	qsort(sorted, n, sizeof(*sorted), compare_doubles);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && sorted[j] == sorted[i]; j++)
			;
		double t = (double)(j - i);
		v -= t * (t - 1) * (2 * t + 5);
	}
	free(sorted);
	return v / 18;
}

double hs_mann_kendall_p(const double *y, size_t n)
{
	long s = hs_mann_kendall_s(y, n);
	double var, z;

	if (n < 2)
		return 1;
	if (n <= HS_MK_EXACT_MAX && !has_ties(y, n))
		return exact_p(s, n);
	var = tie_corrected_variance(y, n);
	if (var <= 0)
		return 1;
	z = s > 0 ? (double)(s - 1) / sqrt(var) : s < 0 ? (double)(s + 1) / sqrt(var) : 0;
	return 0.5 * erfc(z / sqrt(2.0));
}
