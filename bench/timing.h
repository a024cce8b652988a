/* timing.h — what the benchmarks share to time requests and summarise
 * them: a monotonic clock in microseconds, and percentiles by nearest
 * rank, so that every figure they print beside another (searchd's
 * took_us and its floor in bench/relevance.sh) is the same statistic.
 * Header-only, file-local functions. */
#ifndef BENCH_TIMING_H
#define BENCH_TIMING_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

static inline uint64_t bench_now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

/* For qsort over uint64_t, ascending. */
static inline int bench_compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The p-quantile (0 < p <= 1) of v[0..n), sorted ascending, by nearest
 * rank: the smallest value with at least p of the values at or below
 * it.  0 when there is none. */
static inline uint64_t bench_percentile(const uint64_t *v, size_t n, double p)
{
    if (n == 0)
        return 0;
    size_t rank = (size_t)(p * (double)n + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return v[rank - 1];
}

#endif
