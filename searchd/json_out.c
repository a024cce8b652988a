/* json_out.c — JSON text written out: a jansson tree, or an answer
 * written piece by piece (json_out.h).
 *
 * jansson builds every answer but a search's (render.c writes that one
 * with the pieces below); this writes it.  The bytes are exactly
 * those of json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(p))
 * (test_searchd_api compares the two on random trees), in a quarter of
 * the time: json_dumps decodes every character of every string to find
 * the few it must escape (80 instructions a byte, a fifth of a sample
 * query's request).  Here a string is copied with the escapes put in,
 * eight bytes at a time where none needs one, and a real formatted as
 * jansson formats it.  Its strings are valid UTF-8, as json_string() and
 * jansson's other checked constructors make them.  The process runs in
 * the C locale (nothing calls setlocale), so "%g" writes a '.', as
 * jansson makes it write. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vb_utf8.h"

#include "json_out.h"

/* Deeper than any answer; jansson's own parser stops at 2048. */
#define DEPTH_MAX 2048

static bool reserve(struct vb_json_out *o, size_t more)
{
    if (o->failed)
        return false;
    if (o->cap - o->len > more)
        return true; /* room for a NUL too */
    size_t cap = o->cap ? o->cap : 8192; /* most answers fit */
    while (cap - o->len <= more) {
        if (cap > SIZE_MAX / 2) {
            o->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *data = realloc(o->data, cap);
    if (!data) {
        o->failed = true;
        return false;
    }
    o->data = data;
    o->cap = cap;
    return true;
}

static void put(struct vb_json_out *o, const char *s, size_t n)
{
    if (reserve(o, n)) {
        memcpy(o->data + o->len, s, n);
        o->len += n;
    }
}

static void put_char(struct vb_json_out *o, char c)
{
    if (reserve(o, 1))
        o->data[o->len++] = c;
}

/* Whether none of the eight bytes of `v` needs an escape: none below
 * 0x20, none a quote or a backslash (exact as a yes or no, not per
 * byte). */
static bool plain8(uint64_t v)
{
    const uint64_t ones = 0x0101010101010101u, high = ones << 7;
    uint64_t quote = v ^ (ones * '"'), backslash = v ^ (ones * '\\');
    uint64_t control = (v - ones * 0x20) & ~v;
    quote = (quote - ones) & ~quote;
    backslash = (backslash - ones) & ~backslash;
    return ((control | quote | backslash) & high) == 0;
}

/* JSON escapes '"', '\\' and the control characters: jansson writes
 * seven of them in a short form ("\n") and the others as \u00XX, in
 * capitals.  No byte takes more than six.  Text is mostly runs of bytes
 * that need none, copied eight at a time. */
static void put_string(struct vb_json_out *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    if (n > (SIZE_MAX - 2) / 6 || !reserve(o, 6 * n + 2)) {
        o->failed = true;
        return;
    }
    char *d = o->data + o->len;
    *d++ = '"';
    for (size_t i = 0; i < n; i++) {
        uint64_t eight;
        while (i + 8 <= n && (memcpy(&eight, s + i, 8), plain8(eight))) {
            memcpy(d, &eight, 8);
            d += 8;
            i += 8;
        }
        if (i == n)
            break;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *d++ = (char)c;
            continue;
        }
        *d++ = '\\';
        switch (c) {
        case '"': *d++ = '"'; break;
        case '\\': *d++ = '\\'; break;
        case '\b': *d++ = 'b'; break;
        case '\f': *d++ = 'f'; break;
        case '\n': *d++ = 'n'; break;
        case '\r': *d++ = 'r'; break;
        case '\t': *d++ = 't'; break;
        default:
            memcpy(d, "u00", 3);
            d[3] = hex[c >> 4];
            d[4] = hex[c & 15];
            d += 5;
        }
    }
    *d++ = '"';
    o->len = (size_t)(d - o->data);
}

/* A real as jansson writes it: "%.*g" (17 digits for precision 0), ".0"
 * added when that looks like an integer, and the exponent without '+'
 * or leading zeros ("1e300", "-2.5e-7"). */
void vb_json_out_real(struct vb_json_out *o, double value)
{
    char buf[48];
    int n = snprintf(buf, sizeof buf - 2, "%.*g",
                     o->precision ? o->precision : 17, value);
    if (n <= 0 || (size_t)n >= sizeof buf - 2) {
        o->failed = true;
        return;
    }
    if (!strchr(buf, '.') && !strchr(buf, 'e')) {
        memcpy(buf + n, ".0", 3);
        n += 2;
    }
    char *start = strchr(buf, 'e');
    if (start) {
        start++;
        char *end = start + 1;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        memmove(start, end, (size_t)(buf + n - end) + 1);
        n -= (int)(end - start);
    }
    put(o, buf, (size_t)n);
}

static void put_value(struct vb_json_out *o, const json_t *v, int depth)
{
    if (depth > DEPTH_MAX) {
        o->failed = true;
        return;
    }
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        put_char(o, '{');
        bool first = true;
        /* json_object_iter takes a non-const object; it changes nothing. */
        for (void *it = json_object_iter((json_t *)v); it;
             it = json_object_iter_next((json_t *)v, it)) {
            if (!first)
                put_char(o, ',');
            first = false;
            put_string(o, json_object_iter_key(it),
                       json_object_iter_key_len(it));
            put_char(o, ':');
            put_value(o, json_object_iter_value(it), depth + 1);
        }
        put_char(o, '}');
        return;
    }
    case JSON_ARRAY:
        put_char(o, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i > 0)
                put_char(o, ',');
            put_value(o, json_array_get(v, i), depth + 1);
        }
        put_char(o, ']');
        return;
    case JSON_STRING:
        put_string(o, json_string_value(v), json_string_length(v));
        return;
    case JSON_INTEGER: vb_json_out_integer(o, json_integer_value(v)); return;
    case JSON_REAL: vb_json_out_real(o, json_real_value(v)); return;
    case JSON_TRUE: vb_json_out_bool(o, true); return;
    case JSON_FALSE: vb_json_out_bool(o, false); return;
    case JSON_NULL: vb_json_out_text(o, NULL); return;
    }
}

char *vb_json_write(const json_t *root, int precision, size_t *len)
{
    struct vb_json_out o = {.precision = precision};
    put_value(&o, root, 0);
    return vb_json_out_finish(&o, len);
}

void vb_json_out_raw(struct vb_json_out *o, const char *s)
{
    put(o, s, strlen(s));
}

void vb_json_out_string(struct vb_json_out *o, const char *s, size_t n)
{
    if (vb_utf8_validate(s, n, NULL) != VB_OK)
        o->failed = true;
    else
        put_string(o, s, n);
}

void vb_json_out_text(struct vb_json_out *o, const char *s)
{
    if (s)
        vb_json_out_string(o, s, strlen(s));
    else
        put(o, "null", 4);
}

void vb_json_out_integer(struct vb_json_out *o, int64_t value)
{
    char number[32];
    int n = snprintf(number, sizeof number, "%" PRId64, value);
    put(o, number, (size_t)n);
}

void vb_json_out_bool(struct vb_json_out *o, bool value)
{
    if (value)
        put(o, "true", 4);
    else
        put(o, "false", 5);
}

char *vb_json_out_finish(struct vb_json_out *o, size_t *len)
{
    if (!reserve(o, 0)) {
        free(o->data);
        *o = (struct vb_json_out){0};
        return NULL;
    }
    o->data[o->len] = '\0';
    if (len)
        *len = o->len;
    return o->data;
}
