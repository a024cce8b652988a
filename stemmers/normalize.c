/* normalize.c — case folding, compatibility normalisation and accent
 * folding through utf8proc, with an allocation-free ASCII fast path. */
#include "analysis_int.h"

#include <string.h>
#include <utf8proc.h>

static bool is_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* Runs utf8proc with `options` into `out`; see vb_normalize_word. */
static size_t map_word(int32_t *scratch, const char *in, size_t len,
                       utf8proc_option_t options, char *out, size_t cap)
{
    utf8proc_ssize_t n = utf8proc_decompose_custom(
        (const utf8proc_uint8_t *)in, (utf8proc_ssize_t)len, scratch,
        VB_NORM_SCRATCH, options, NULL, NULL);
    if (n < 0 || n > VB_NORM_SCRATCH)
        return (size_t)-1;
    /* Re-encoding happens in place: UTF-8 never needs more than the
     * four bytes per code point the scratch buffer holds. */
    n = utf8proc_reencode(scratch, n, options);
    if (n < 0 || (size_t)n >= cap)
        return (size_t)-1;
    memcpy(out, scratch, (size_t)n);
    out[n] = '\0';
    return (size_t)n;
}

size_t vb_normalize_word(int32_t *scratch, const char *in, size_t len,
                         char *out, size_t cap)
{
    if (is_ascii(in, len)) {
        if (len >= cap)
            return (size_t)-1;
        for (size_t i = 0; i < len; i++) {
            char c = in[i];
            out[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
        }
        out[len] = '\0';
        return len;
    }
    return map_word(scratch, in, len,
                    UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                        UTF8PROC_CASEFOLD | UTF8PROC_IGNORE,
                    out, cap);
}

/* Ligatures and letters with a stroke, which Unicode does not decompose,
 * as their plain-Latin spelling. */
static const struct {
    const char *from, *to;
} spelled_out[] = {
    {"\xc5\x93", "oe"}, {"\xc3\xa6", "ae"}, {"\xc3\xb8", "o"},
    {"\xc5\x82", "l"},  {"\xc4\x91", "d"},
};

size_t vb_fold_accents(int32_t *scratch, const char *in, size_t len,
                       char *out, size_t cap)
{
    if (is_ascii(in, len)) {
        if (len >= cap)
            return (size_t)-1;
        memcpy(out, in, len);
        out[len] = '\0';
        return len;
    }
    char tmp[4 * VB_NORM_SCRATCH];
    size_t n = map_word(scratch, in, len,
                        UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                            UTF8PROC_STRIPMARK,
                        tmp, sizeof tmp);
    if (n == (size_t)-1)
        return n;
    size_t used = 0;
    for (size_t i = 0; i < n;) {
        const char *piece = NULL;
        size_t from_len = 1;
        for (size_t k = 0; k < sizeof spelled_out / sizeof *spelled_out; k++) {
            size_t fl = strlen(spelled_out[k].from);
            if (n - i >= fl && memcmp(tmp + i, spelled_out[k].from, fl) == 0) {
                piece = spelled_out[k].to;
                from_len = fl;
                break;
            }
        }
        size_t piece_len = piece ? strlen(piece) : 1;
        if (used + piece_len >= cap)
            return (size_t)-1;
        memcpy(out + used, piece ? piece : tmp + i, piece_len);
        used += piece_len;
        i += from_len;
    }
    out[used] = '\0';
    return used;
}
