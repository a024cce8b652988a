/* vb_utf8.c — strict UTF-8 validation. */
#include "vb_utf8.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Whether the eight bytes of `v` are ASCII other than NUL. */
static bool ascii8(uint64_t v)
{
    const uint64_t ones = 0x0101010101010101u, high = ones << 7;
    return ((v | ((v - ones) & ~v)) & high) == 0;
}

enum vb_status vb_utf8_validate(const char *text, size_t len,
                                size_t *bad_offset)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;

    while (i < len) {
        uint64_t eight;
        while (len - i >= 8 && (memcpy(&eight, s + i, 8), ascii8(eight)))
            i += 8;
        if (i == len)
            break;
        unsigned c = s[i];
        if (c >= 0x01 && c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned min, cp;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1, min = 0x80, cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2, min = 0x800, cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3, min = 0x10000, cp = c & 0x07;
        } else {
            goto bad; /* NUL, stray continuation, C0/C1 lead, F5..FF */
        }
        if (len - i <= need)
            goto bad;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                goto bad;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto bad;
        i += need + 1;
    }
    return VB_OK;
bad:
    if (bad_offset)
        *bad_offset = i;
    return VB_EUTF8;
}
