/* record.c — the stored data of a document: a compact binary record
 * written at indexing and read back for every hit. */
#include "schema_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- Stored data: a compact binary record --------------------------- *
 *
 *   "VB" 0x04, then in this order: id, type, lang, a byte (1: the language
 *   was detected), title, group, tags (count, then each), products (count,
 *   then each), updated, owner, review_by, valid_until, customer,
 *   channel, date, tenant, a byte (1: the body is HTML), body, text
 *   (empty: the same as body), then the text's spans (vb_schema_spans:
 *   the bytes scanned, the count, and each span, put_span).  "VB" 0x03 is
 *   the same without the spans.
 * Strings are a LEB128 length and the bytes; numbers and counts are
 * LEB128.  Read back by pointer walking: a hit costs no parsing (JSON
 * took half of a search's time). */

#define DATA_MAGIC "VB\x04"
#define DATA_MAGIC_NO_SPANS "VB\x03"

struct buffer {
    char *bytes;
    size_t used, cap;
    bool failed;
};

static void buffer_put(struct buffer *b, const void *bytes, size_t n)
{
    if (b->failed)
        return;
    if (b->used + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        while (cap < b->used + n)
            cap *= 2;
        char *p = realloc(b->bytes, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->bytes = p;
        b->cap = cap;
    }
    memcpy(b->bytes + b->used, bytes, n);
    b->used += n;
}

static void put_number(struct buffer *b, uint64_t v)
{
    unsigned char out[10];
    size_t n = 0;
    do {
        out[n] = (unsigned char)(v & 0x7f);
        v >>= 7;
        if (v)
            out[n] |= 0x80;
        n++;
    } while (v);
    buffer_put(b, out, n);
}

static void put_text(struct buffer *b, const char *s)
{
    size_t n = strlen(s);
    put_number(b, n);
    buffer_put(b, s, n);
}

/* A span as the gap since the last one's end and its length: one byte
 * for most words (gap - 1 in the top two bits, length in the low six),
 * else SPAN_LONG and the two as numbers. */
#define SPAN_LONG 0xC0u

static void put_span(struct buffer *b, size_t gap, size_t len)
{
    if (gap >= 1 && gap <= 3 && len >= 1 && len <= 63) {
        unsigned char c = (unsigned char)((gap - 1) << 6 | len);
        buffer_put(b, &c, 1);
        return;
    }
    unsigned char c = SPAN_LONG;
    buffer_put(b, &c, 1);
    put_number(b, gap);
    put_number(b, len);
}

static void put_byte(struct buffer *b, bool v)
{
    unsigned char c = v ? 1 : 0;
    buffer_put(b, &c, 1);
}

static void put_texts(struct buffer *b, char **items, size_t count)
{
    put_number(b, count);
    for (size_t i = 0; i < count; i++)
        put_text(b, items[i]);
}

/* The stored data of `doc`; *len its length.  NULL when out of memory. */
char *schema_record(const struct vb_document *doc, const char *lang,
                    size_t *len)
{
    struct buffer b = {0};
    buffer_put(&b, DATA_MAGIC, 3);
    put_text(&b, doc->id);
    put_text(&b, doc->type);
    put_text(&b, lang);
    put_byte(&b, doc->lang[0] == '\0');
    put_text(&b, doc->title);
    put_text(&b, doc->group);
    put_texts(&b, doc->tags, doc->tag_count);
    put_texts(&b, doc->products, doc->product_count);
    put_text(&b, doc->updated);
    put_text(&b, doc->owner);
    put_text(&b, doc->review_by);
    put_text(&b, doc->valid_until);
    put_text(&b, doc->customer);
    put_text(&b, doc->channel);
    put_text(&b, doc->date);
    put_text(&b, doc->tenant);
    put_byte(&b, doc->body_format == VB_DOCUMENT_BODY_HTML);
    put_text(&b, doc->body_source);
    /* The plain text only when it differs from the body (it does for
     * Markdown with markup and for HTML). */
    put_text(&b, strcmp(doc->body_text, doc->body_source) == 0
                     ? ""
                     : doc->body_text);
    struct vb_schema_spans spans;
    if (!vb_schema_spans_make(doc->body_text, &spans))
        b.failed = true;
    put_number(&b, spans.scanned_bytes);
    put_number(&b, spans.count);
    for (size_t i = 0, end = 0; i < spans.count; end = spans.at[i++][1])
        put_span(&b, spans.at[i][0] - end, spans.at[i][1] - spans.at[i][0]);
    free(spans.at);
    if (b.failed) {
        free(b.bytes);
        return NULL;
    }
    *len = b.used;
    return b.bytes;
}

/* Reading the binary record: each take_ returns false past the end. */
struct reader {
    const unsigned char *at, *end;
};

static bool take_number(struct reader *r, uint64_t *v)
{
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (r->at == r->end)
            return false;
        unsigned char c = *r->at++;
        *v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80))
            return true;
    }
    return false;
}

static bool take_text(struct reader *r, char **out)
{
    uint64_t n;
    if (!take_number(r, &n) || n > (uint64_t)(r->end - r->at))
        return false;
    *out = malloc((size_t)n + 1);
    if (!*out)
        return false;
    memcpy(*out, r->at, (size_t)n);
    (*out)[n] = '\0';
    r->at += n;
    return true;
}

static bool take_byte(struct reader *r, bool *v)
{
    if (r->at == r->end || *r->at > 1)
        return false;
    *v = *r->at++ == 1;
    return true;
}

static bool take_texts(struct reader *r, char ***items, size_t *count)
{
    uint64_t n;
    *items = NULL;
    *count = 0;
    if (!take_number(r, &n) || n > (uint64_t)(r->end - r->at))
        return false;
    if (n == 0)
        return true;
    *items = calloc((size_t)n, sizeof **items);
    if (!*items)
        return false;
    for (uint64_t i = 0; i < n; i++) {
        if (!take_text(r, &(*items)[i]))
            return false;
        *count = (size_t)i + 1;
    }
    return true;
}

bool vb_schema_spans_make(const char *text, struct vb_schema_spans *out)
{
    *out = (struct vb_schema_spans){.kept = true};
    size_t len = strlen(text);
    if (len > VB_SCHEMA_SPAN_BYTES) {
        len = VB_SCHEMA_SPAN_BYTES;
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--; /* cut on a character boundary */
    }
    out->scanned_bytes = len;
    uint32_t(*at)[2] = malloc(VB_SCHEMA_SPANS_MAX * sizeof *at);
    if (!at)
        return false;
    size_t n = 0, pos = 0, start, end;
    while (n < VB_SCHEMA_SPANS_MAX &&
           vb_scan_token(text, len, &pos, &start, &end)) {
        at[n][0] = (uint32_t)start;
        at[n++][1] = (uint32_t)end;
    }
    if (n == 0) {
        free(at);
        return true;
    }
    uint32_t(*fit)[2] = realloc(at, n * sizeof *at);
    out->at = fit ? fit : at;
    out->count = n;
    return true;
}

/* The spans at the end of a record, checked against its text (they are
 * offsets into it); false when damaged or out of memory. */
static bool take_spans(struct reader *r, const char *text,
                       struct vb_schema_spans *spans)
{
    uint64_t scanned, count;
    if (!take_number(r, &scanned) || !take_number(r, &count) ||
        scanned > strlen(text) || scanned > VB_SCHEMA_SPAN_BYTES ||
        count > VB_SCHEMA_SPANS_MAX || count > (uint64_t)(r->end - r->at))
        return false;
    *spans = (struct vb_schema_spans){.scanned_bytes = (size_t)scanned,
                                      .kept = true};
    if (count == 0)
        return true;
    if (!(spans->at = malloc((size_t)count * sizeof *spans->at)))
        return false;
    uint64_t end = 0;
    for (size_t i = 0; i < count; i++) {
        uint64_t gap, n;
        bool ok = r->at < r->end;
        if (ok && *r->at != SPAN_LONG) {
            gap = (uint64_t)(*r->at >> 6) + 1;
            n = *r->at++ & 0x3Fu;
        } else if (ok) {
            r->at++;
            ok = take_number(r, &gap) && take_number(r, &n);
        }
        if (!ok || n == 0 || gap > scanned - end || n > scanned - end - gap) {
            free(spans->at);
            spans->at = NULL;
            return false;
        }
        spans->at[i][0] = (uint32_t)(end + gap);
        end += gap + n;
        spans->at[i][1] = (uint32_t)end;
    }
    spans->count = (size_t)count;
    return true;
}

enum vb_status vb_schema_decode_spans(const char *data, size_t len,
                                      struct vb_document **out,
                                      struct vb_schema_spans *spans,
                                      struct vb_error *err)
{
    *out = NULL;
    if (spans)
        *spans = (struct vb_schema_spans){0};
    bool has_spans = len >= 3 && memcmp(data, DATA_MAGIC, 3) == 0;
    if (!has_spans && (len < 3 || memcmp(data, DATA_MAGIC_NO_SPANS, 3) != 0))
        return vb_error_set(err, VB_ECORRUPT,
                            "stored document data is not this schema's");
    struct vb_document *doc = calloc(1, sizeof *doc);
    if (!doc)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    struct reader r = {(const unsigned char *)data + 3,
                       (const unsigned char *)data + len};
    bool detected = false, html = false;
    bool ok = take_text(&r, &doc->id) && take_text(&r, &doc->type) &&
              take_text(&r, &doc->lang) && take_byte(&r, &detected) &&
              take_text(&r, &doc->title) && take_text(&r, &doc->group) &&
              take_texts(&r, &doc->tags, &doc->tag_count) &&
              take_texts(&r, &doc->products, &doc->product_count) &&
              take_text(&r, &doc->updated) && take_text(&r, &doc->owner) &&
              take_text(&r, &doc->review_by) &&
              take_text(&r, &doc->valid_until) &&
              take_text(&r, &doc->customer) && take_text(&r, &doc->channel) &&
              take_text(&r, &doc->date) && take_text(&r, &doc->tenant) &&
              take_byte(&r, &html) && take_text(&r, &doc->body_source) &&
              take_text(&r, &doc->body_text) &&
              (doc->source_path = strdup("")) != NULL;
    if (ok && doc->body_text[0] == '\0') {
        free(doc->body_text);
        doc->body_text = strdup(doc->body_source);
        ok = doc->body_text != NULL;
    }
    struct vb_schema_spans kept = {0};
    if (ok && has_spans)
        ok = take_spans(&r, doc->body_text, &kept);
    ok = ok && r.at == r.end;
    doc->body_format = html ? VB_DOCUMENT_BODY_HTML : VB_DOCUMENT_BODY_MARKDOWN;
    ok = ok && doc->id[0] && doc->type[0] && doc->title[0];
    if (!ok) {
        free(kept.at);
        vb_document_free(doc); /* frees what was read; NULLs are fine */
        return vb_error_set(err, VB_ECORRUPT,
                            "stored document data is damaged");
    }
    if (spans)
        *spans = kept;
    else
        free(kept.at);
    *out = doc;
    return VB_OK;
}

enum vb_status vb_schema_decode(const char *data, size_t len,
                                struct vb_document **out, struct vb_error *err)
{
    return vb_schema_decode_spans(data, len, out, NULL, err);
}
