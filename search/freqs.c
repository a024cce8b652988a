/* freqs.c — how many documents hold a term, kept by the searcher for the
 * index revision it reads.
 *
 * A request asks for the same terms again and again (a function word's
 * frequency decides whether it is searched, a long text's words are
 * weighed by their rarity), and every term of a query costs Xapian a
 * B-tree lookup for its statistics and another for its postings, even a
 * term no document holds: a word's stems in the two languages it is not
 * written in mostly are such terms, half of a French question's.  Known
 * here to be absent, they are left out of the query (expand.c), which
 * cannot change a score: BM25 without k2 does not read the query's
 * length.  Direct-mapped by a hash of the term; a term too long for a slot
 * is looked up every time. */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>

#define FREQ_SLOTS 8192
#define FREQ_TERM_MAX 46

struct freq_slot {
    uint64_t revision; /* the searcher's revision + 1; 0: empty */
    uint32_t freq;
    uint8_t len;
    char term[FREQ_TERM_MAX];
};

struct vb_freq_cache {
    struct freq_slot slots[FREQ_SLOTS];
};

struct vb_freq_cache *vb_freq_cache_new(void)
{
    return vb_calloc_resident(1, sizeof(struct vb_freq_cache));
}

void vb_freq_cache_free(struct vb_freq_cache *cache)
{
    free(cache);
}

enum vb_status vb_searcher_term_freq(struct vb_searcher *searcher,
                                     const char *term, size_t len,
                                     uint32_t *freq, struct vb_error *err)
{
    struct vb_freq_cache *c = searcher->freqs;
    uint64_t revision = searcher->revision + 1;
    struct freq_slot *slot = NULL;
    if (len <= FREQ_TERM_MAX) {
        slot = &c->slots[vb_slot_hash(term, len, 0) % FREQ_SLOTS];
        if (slot->revision == revision && slot->len == len &&
            memcmp(slot->term, term, len) == 0) {
            *freq = slot->freq;
            return VB_OK;
        }
    }
    enum vb_status st =
        vb_xapian_term_freq(searcher->reader, term, len, freq, err);
    if (st == VB_OK && slot) {
        slot->revision = revision;
        slot->freq = *freq;
        slot->len = (uint8_t)len;
        memcpy(slot->term, term, len);
    }
    return st;
}
