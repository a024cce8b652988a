/* lemma_lexicon_format.h — layout of the French and English lemma
 * lexicon blobs, shared by the build-time generator
 * (tools/gen_lemma_lexicon.c) and its reader (lemma.c).
 *
 * The blob maps a word form to its term: the Snowball stem of its lemma
 * ("pouvez" -> "pouvoir", "went" -> "go", "children" -> "child").  Only
 * forms whose own Snowball stem differs from that term are stored: for
 * every other word Snowball already gives the same answer.
 *
 * Blob (integers little-endian u32):
 *   magic, version, slot_count (power of two), records_size,
 *   slot[slot_count]  (0 = empty, else 1 + offset of a record),
 *   records: u8 form_len, form bytes, u8 term_len, term bytes, u8 source
 * Lookup: open addressing, linear probing, vb_lemma_hash(form) &
 * (slot_count - 1). */
#ifndef VB_LEMMA_LEXICON_FORMAT_H
#define VB_LEMMA_LEXICON_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define LEMMA_BLOB_MAGIC 0x4D4C4256u /* "VBLM" */
#define LEMMA_BLOB_VERSION 1u
#define LEMMA_WORD_MAX 96

/* Where a form's lemma came from (the record's last byte). */
#define LEMMA_SOURCE_LEXICON 1   /* the hunspell dictionary and its affixes */
#define LEMMA_SOURCE_IRREGULAR 2 /* an exception table (WordNet, ours) */

/* FNV-1a, 32 bits. */
static inline uint32_t vb_lemma_hash(const unsigned char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 16777619u;
    }
    return h;
}

#endif
