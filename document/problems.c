/* problems.c — what is wrong with a document, said with its place:
 * "path:line: message", at most VB_DOC_PROBLEMS_MAX per document, and
 * values quoted safely for a message. */
#include "document_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ==== Lines ============================================================= */

unsigned doc_line_of(const char *data, size_t offset)
{
    unsigned line = 1;
    for (const char *p = data;
         (p = memchr(p, '\n', offset - (size_t)(p - data))); p++)
        line++;
    return line;
}

/* ==== Problems ========================================================== */

void doc_problems_init(struct doc_problems *p, const char *path)
{
    p->path = path;
    p->count = 0;
    p->dropped = 0;
}

void doc_problem(struct doc_problems *p, enum vb_status code, unsigned line,
                 const char *fmt, ...)
{
    if (p->count == VB_DOC_PROBLEMS_MAX) {
        p->dropped++;
        return;
    }
    struct vb_error *e = &p->items[p->count++];
    e->code = code;
    /* Line 0: a problem of the whole file ("path: message"). */
    int n = line ? snprintf(e->msg, sizeof e->msg, "%s:%u: ", p->path, line)
                 : snprintf(e->msg, sizeof e->msg, "%s: ", p->path);
    if (n < 0 || (size_t)n >= sizeof e->msg)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg + n, sizeof e->msg - (size_t)n, fmt, ap);
    va_end(ap);
}

int doc_problems_report(struct doc_problems *p, vb_document_fn fn, void *ctx)
{
    if (p->dropped) {
        struct vb_error *last = &p->items[p->count - 1];
        size_t used = strlen(last->msg);
        snprintf(last->msg + used, sizeof last->msg - used,
                 " (and %zu more problems)", p->dropped);
    }
    return fn(ctx, NULL, p->items, p->count);
}

void doc_quote(char *out, size_t size, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    if (size < 8) {
        if (size)
            out[0] = '\0';
        return;
    }
    size_t room = size - 5; /* quote, "...", quote, NUL */
    out[o++] = '\'';
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t n = 1;
        if (c >= 0xC0)
            n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (i + n > len)
            n = len - i;
        bool escape = c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xC0);
        size_t want = escape ? 4 : n;
        if (o + want > room) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        if (escape) {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
            i++;
        } else {
            memcpy(out + o, s + i, n);
            o += n;
            i += n;
        }
    }
    out[o++] = '\'';
    out[o] = '\0';
}
