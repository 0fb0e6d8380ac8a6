/* src/trend's private header: the statistics of `heapsnap trend`: a Theil–Sen slope (the
   median of the pairwise slopes, robust to the sawtooth of caches and pools) and a one-sided
   Mann–Kendall test for a monotonic increase. Both take a series in time order. */
#ifndef HS_TREND_PRIVATE_H
#define HS_TREND_PRIVATE_H

#include <stddef.h>

/* The median of (y[j] - y[i]) / (t[j] - t[i]) over the pairs i < j with t[j] != t[i], in
   units of y per unit of t; 0 when no pair has distinct times. */
double hs_theil_sen_slope(const double *t, const double *y, size_t n);

/* The Mann–Kendall S statistic: pairs i < j with y[j] > y[i], minus those with y[j] < y[i]. */
long hs_mann_kendall_s(const double *y, size_t n);

/* The one-sided p-value of S for an increase, i.e. P(S >= observed) when the series has no
   trend. Exact (the distribution of S over all orderings) when there are no ties and
   n <= HS_MK_EXACT_MAX; otherwise the normal approximation with the variance corrected for
   ties and a continuity correction. 1 when n < 2 or every value is the same. */
double hs_mann_kendall_p(const double *y, size_t n);

#define HS_MK_EXACT_MAX 30

#endif
