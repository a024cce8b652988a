/* langdetect_format.h — the hashes shared by the language-detection model
 * generator (gen_langdetect_model.c) and its reader (langdetect.c).  Both
 * sides must compute the same slots, so they live here once. */
#ifndef VB_LANGDETECT_FORMAT_H
#define VB_LANGDETECT_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* Slot of a packed trigram key in a table of 2^bits entries. */
static inline uint32_t vb_ld_tri_slot(uint32_t key, unsigned bits)
{
    return (key * 2654435761u) >> (32 - bits);
}

/* FNV-1a over the letter ids of a function word. */
static inline uint32_t vb_ld_word_hash(const unsigned char *ids, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ ids[i]) * 16777619u;
    return h;
}

#endif
