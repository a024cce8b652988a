/* vb_mem: memory made resident when allocated (common/vb_mem.h). */
#define _DEFAULT_SOURCE /* mincore */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "testutil.h"
#include "vb_mem.h"

/* Pages of [p, p + n) the kernel has not filled yet. */
static size_t pages_missing(const char *p, size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = (uintptr_t)p & ~(uintptr_t)(page - 1);
    size_t count = ((uintptr_t)p + n - from + page - 1) / page;
    unsigned char *in = malloc(count);
    ck_assert_ptr_nonnull(in);
    ck_assert_int_eq(mincore((void *)from, count * page, in), 0);
    size_t missing = 0;
    for (size_t i = 0; i < count; i++)
        missing += !(in[i] & 1);
    free(in);
    return missing;
}

/* Zeroed, every page resident at once (a direct-mapped cache is written
 * at random slots: calloc would fault each page in on a request). */
START_TEST(test_mem_calloc_resident)
{
    static const size_t sizes[][2] = {{1, 1}, {8192, 96}, {3, 700 * 1024}};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t n = sizes[s][0] * sizes[s][1];
        char *p = vb_calloc_resident(sizes[s][0], sizes[s][1]);
        ck_assert_ptr_nonnull(p);
        ck_assert_uint_eq(pages_missing(p, n), 0);
        size_t set = 0; /* (one assert: Check's are dear, 2 MB of them) */
        for (size_t i = 0; i < n; i++)
            set += p[i] != 0;
        ck_assert_uint_eq(set, 0);
        free(p);
    }
    /* A size that does not fit a size_t is refused, not wrapped. */
    ck_assert_ptr_null(vb_calloc_resident(SIZE_MAX / 2, 4));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mem");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_mem_calloc_resident);
    suite_add_tcase(s, tc);
    return vb_test_run(s);
}
