/* doccache.c — a searcher's decoded documents, kept between requests.
 *
 * A hit's stored record is zlib-compressed by Xapian and holds the whole
 * body: inflating and decoding it was a fifth of a short query's work, for
 * the same popular articles again and again.  Each searcher (one per
 * thread, so no locks) keeps the documents it decoded, direct-mapped by
 * Xapian docid, for the index revision it reads; a new revision empties
 * it (a replaced document keeps its docid).  A document evicted during a
 * request may still be on that request's page: it is freed when the
 * request ends (vb_doc_cache_end_request). */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>

#define SLOTS 256
/* Bytes of text the cache may hold; beyond, it starts again empty. */
#define BUDGET (32u * 1024u * 1024u)

struct slot {
    uint32_t docid; /* 0: empty (Xapian docids start at 1) */
    struct vb_document *doc;
    size_t bytes;
};

struct vb_doc_cache {
    uint64_t revision;
    bool revision_known;
    size_t bytes;
    struct slot slots[SLOTS];
    struct vb_document **evicted; /* freed at the end of the request */
    size_t evicted_count, evicted_cap;
};

struct vb_doc_cache *vb_doc_cache_new(void)
{
    return calloc(1, sizeof(struct vb_doc_cache));
}

/* Moves a slot's document to the evicted list; false when out of memory
 * (the document is then freed at once: only safe outside a request). */
static bool evict(struct vb_doc_cache *c, struct slot *slot)
{
    if (!slot->doc)
        return true;
    if (c->evicted_count == c->evicted_cap) {
        size_t cap = c->evicted_cap ? c->evicted_cap * 2 : 16;
        struct vb_document **p = realloc(c->evicted, cap * sizeof *p);
        if (!p)
            return false;
        c->evicted = p;
        c->evicted_cap = cap;
    }
    c->evicted[c->evicted_count++] = slot->doc;
    c->bytes -= slot->bytes;
    *slot = (struct slot){0};
    return true;
}

static bool evict_all(struct vb_doc_cache *c)
{
    for (size_t i = 0; i < SLOTS; i++)
        if (!evict(c, &c->slots[i]))
            return false;
    return true;
}

void vb_doc_cache_end_request(struct vb_doc_cache *cache)
{
    if (!cache)
        return;
    for (size_t i = 0; i < cache->evicted_count; i++)
        vb_document_free(cache->evicted[i]);
    cache->evicted_count = 0;
}

void vb_doc_cache_free(struct vb_doc_cache *cache)
{
    if (!cache)
        return;
    for (size_t i = 0; i < SLOTS; i++)
        vb_document_free(cache->slots[i].doc);
    vb_doc_cache_end_request(cache);
    free(cache->evicted);
    free(cache);
}

static size_t text_bytes(const struct vb_document *d)
{
    return sizeof *d + strlen(d->title) + strlen(d->body_text) +
           strlen(d->body_source) + 256;
}

enum vb_status vb_doc_cache_get(struct vb_searcher *searcher, uint32_t docid,
                                const struct vb_document **out,
                                struct vb_error *err)
{
    struct vb_doc_cache *c = searcher->documents;
    *out = NULL;
    uint64_t revision = 0;
    enum vb_status st =
        vb_xapian_reader_revision(searcher->reader, &revision, err);
    if (st != VB_OK)
        return st;
    if (!c->revision_known || revision != c->revision) {
        if (!evict_all(c))
            return vb_error_set(err, VB_ENOMEM, "out of memory");
        c->revision = revision;
        c->revision_known = true;
    }
    struct slot *slot = &c->slots[docid % SLOTS];
    if (slot->docid == docid) {
        *out = slot->doc;
        return VB_OK;
    }
    char *data = NULL;
    size_t len = 0;
    st = vb_xapian_document_data(searcher->reader, docid, &data, &len, err);
    struct vb_document *doc = NULL;
    if (st == VB_OK)
        st = vb_schema_decode(data, len, &doc, err);
    free(data);
    if (st != VB_OK)
        return st;
    size_t bytes = text_bytes(doc);
    if (!evict(c, slot) || (c->bytes + bytes > BUDGET && !evict_all(c))) {
        vb_document_free(doc);
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    }
    *slot = (struct slot){.docid = docid, .doc = doc, .bytes = bytes};
    c->bytes += bytes;
    *out = doc;
    return VB_OK;
}
