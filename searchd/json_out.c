/* json_out.c — a jansson tree written out as JSON text.
 *
 * jansson builds every answer; this writes it.  The bytes are exactly
 * those of json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(p))
 * (test_searchd_api compares the two on random trees), in a quarter of
 * the time: json_dumps decodes every character of every string to find
 * the few it must escape (80 instructions a byte, a fifth of a sample
 * query's request).  Here a string is copied byte by byte with the
 * escapes put in, and a real formatted as jansson formats it.  Its
 * strings are valid UTF-8, as json_string() and jansson's other checked
 * constructors make them.  The process runs in the C locale (nothing
 * calls setlocale), so "%g" writes a '.', as jansson makes it write. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"

/* Deeper than any answer; jansson's own parser stops at 2048. */
#define DEPTH_MAX 2048

struct out {
    char *data;
    size_t len, cap;
    int precision;
    bool failed;
};

static bool reserve(struct out *o, size_t more)
{
    if (o->failed)
        return false;
    if (o->cap - o->len > more)
        return true; /* room for a NUL too */
    size_t cap = o->cap ? o->cap : 1024;
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

static void put(struct out *o, const char *s, size_t n)
{
    if (reserve(o, n)) {
        memcpy(o->data + o->len, s, n);
        o->len += n;
    }
}

static void put_char(struct out *o, char c)
{
    if (reserve(o, 1))
        o->data[o->len++] = c;
}

/* JSON escapes '"', '\\' and the control characters: jansson writes
 * seven of them in a short form ("\n") and the others as \u00XX, in
 * capitals.  No byte takes more than six. */
static void put_string(struct out *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    if (n > (SIZE_MAX - 2) / 6 || !reserve(o, 6 * n + 2)) {
        o->failed = true;
        return;
    }
    char *d = o->data + o->len;
    *d++ = '"';
    for (size_t i = 0; i < n; i++) {
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
static void put_real(struct out *o, double value)
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

static void put_value(struct out *o, const json_t *v, int depth)
{
    if (depth > DEPTH_MAX) {
        o->failed = true;
        return;
    }
    char number[32];
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
    case JSON_INTEGER: {
        int n = snprintf(number, sizeof number, "%" JSON_INTEGER_FORMAT,
                         json_integer_value(v));
        put(o, number, (size_t)n);
        return;
    }
    case JSON_REAL: put_real(o, json_real_value(v)); return;
    case JSON_TRUE: put(o, "true", 4); return;
    case JSON_FALSE: put(o, "false", 5); return;
    case JSON_NULL: put(o, "null", 4); return;
    }
}

char *vb_json_write(const json_t *root, int precision, size_t *len)
{
    struct out o = {.precision = precision};
    put_value(&o, root, 0);
    if (!reserve(&o, 0)) {
        free(o.data);
        return NULL;
    }
    o.data[o.len] = '\0';
    if (len)
        *len = o.len;
    return o.data;
}
