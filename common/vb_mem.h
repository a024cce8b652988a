/* vb_mem.h — memory a process fills at random and soon: its pages made
 * resident when it is allocated, not one page fault at a time later.
 *
 * A searcher's caches (documents, snippet words, term frequencies, the
 * analyzer's words) are direct-mapped tables of a few hundred kilobytes
 * each, touched at random slots; calloc gives pages the kernel fills on
 * first write, one fault each (about 90 in each of a new searcher's first
 * requests).  Allocated here, they are faulted in at once, at start-up. */
#ifndef VB_MEM_H
#define VB_MEM_H

#include <stddef.h>

/* calloc(count, size), every page written once; NULL when out of memory. */
void *vb_calloc_resident(size_t count, size_t size);

#endif
