/* bench_words.h — what a "word" is for the comparison benchmark
 * (bench_query_mix makes queries of such words, bench_compare hands them
 * to the peers): a run of Latin letters (ASCII, Latin-1 and Latin
 * Extended-A letters), lower-cased.  Letters only, so the words go into
 * PostgreSQL's to_tsquery and FTS5's MATCH without escaping.  Header-only,
 * file-local functions; input must be valid UTF-8. */
#ifndef BENCH_WORDS_H
#define BENCH_WORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at p (valid UTF-8); its byte length in *len. */
static inline uint32_t bench_decode(const unsigned char *p, size_t *len)
{
    if (p[0] < 0x80) {
        *len = 1;
        return p[0];
    }
    if ((p[0] & 0xe0) == 0xc0) {
        *len = 2;
        return (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
    }
    if ((p[0] & 0xf0) == 0xe0) {
        *len = 3;
        return (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 |
               (p[2] & 0x3f);
    }
    *len = 4;
    return (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
           (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
}

/* Writes c as UTF-8 (c < 0x10000) into out; returns the byte count. */
static inline size_t bench_encode(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xc0 | c >> 6);
        out[1] = (char)(0x80 | (c & 0x3f));
        return 2;
    }
    out[0] = (char)(0xe0 | c >> 12);
    out[1] = (char)(0x80 | (c >> 6 & 0x3f));
    out[2] = (char)(0x80 | (c & 0x3f));
    return 3;
}

static inline bool bench_is_letter(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= 0xc0 && c <= 0x17f && c != 0xd7 && c != 0xf7);
}

static inline uint32_t bench_lower(uint32_t c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7))
        return c + 0x20;
    /* Latin Extended-A pairs (upper even, lower odd), Œ → œ among them. */
    if (((c >= 0x100 && c <= 0x137) || (c >= 0x14a && c <= 0x177)) &&
        c % 2 == 0 && c != 0x130)
        return c + 1;
    return c;
}

/* Finds the next word at or after *p: writes it lower-cased and
 * NUL-terminated into out (cap bytes; longer words are skipped), its
 * letter count in *letters, and moves *p past it.  False at the end. */
static inline bool bench_next_word(const char **p, char *out, size_t cap,
                                   size_t *letters)
{
    const unsigned char *s = (const unsigned char *)*p;
    while (*s) {
        size_t len, used = 0, count = 0;
        uint32_t c = bench_decode(s, &len);
        if (!bench_is_letter(c)) {
            s += len;
            continue;
        }
        bool fits = true;
        while (*s && bench_is_letter(c = bench_decode(s, &len))) {
            if (used + 4 < cap)
                used += bench_encode(bench_lower(c), out + used);
            else
                fits = false;
            count++;
            s += len;
        }
        if (fits) {
            out[used] = '\0';
            *letters = count;
            *p = (const char *)s;
            return true;
        }
    }
    *p = (const char *)s;
    return false;
}

#endif
