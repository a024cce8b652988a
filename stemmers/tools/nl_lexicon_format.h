/* nl_lexicon_format.h — layout of the Dutch lexicon blob, shared by the
 * build-time generator (tools/gen_nl_lexicon.c) and its reader (dutch.c).
 *
 * Blob (all integers little-endian u32):
 *   magic, version, slot_count (power of two), records_size,
 *   slot[slot_count]  (0 = empty, else 1 + offset of a record),
 *   records:
 *     u8 word_len, word bytes, u16 flags (LE), u8 strip, u8 add_len,
 *     add bytes
 *   The term of a word is word[0 .. word_len - strip) + add.
 * Lookup: open addressing, linear probing, vb_nl_hash(word) & (slots-1). */
#ifndef VB_NL_LEXICON_FORMAT_H
#define VB_NL_LEXICON_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define NL_BLOB_MAGIC 0x4C4E4256u /* "VBNL" */
#define NL_BLOB_VERSION 1u
#define NL_WORD_MAX 96

/* Entry flags. */
#define NL_F_WORD 0x0001u   /* a standalone word with a term */
#define NL_F_NOUN 0x0002u
#define NL_F_ADJ 0x0004u
#define NL_F_VERB 0x0008u
#define NL_F_BEGIN 0x0010u  /* may begin a compound (hunspell Ca) */
#define NL_F_END 0x0020u    /* may end a compound (hunspell Cc, or an
                               inflection of such a word) */
#define NL_F_LINK_S 0x0040u /* takes a linking -s- as a modifier */
#define NL_F_CXONLY 0x0080u /* exists only inside compounds ("betalings") */
#define NL_F_ROOT 0x0100u   /* a hunspell dictionary entry */
#define NL_F_LIST 0x0200u   /* in the wdutch word list */
#define NL_F_HUNSPELL 0x0400u /* known to hunspell (root or affixed form);
                                 otherwise only in the word list */
#define NL_F_SEPARABLE 0x0800u /* a separable verb form: particle +
                                  verb ("aanlopen", "afgelopen") */

/* FNV-1a, 32 bits. */
static inline uint32_t vb_nl_hash(const unsigned char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 16777619u;
    }
    return h;
}

#endif
