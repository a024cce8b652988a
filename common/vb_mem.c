/* vb_mem.c — see vb_mem.h. */
#include "vb_mem.h"

#include <stdint.h>
#include <stdlib.h>

void *vb_calloc_resident(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    char *p = calloc(count, size);
    if (!p)
        return NULL;
    /* A write per page (a read would map the shared zero page); volatile,
     * so that it is not dropped as a store of what calloc gave. */
    volatile char *v = p;
    size_t n = count * size;
    for (size_t at = 0; at < n; at += 4096)
        v[at] = 0;
    if (n > 0)
        v[n - 1] = 0; /* the last page, where p is not page-aligned */
    return p;
}
