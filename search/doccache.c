/* doccache.c — a searcher's decoded documents and translation groups,
 * kept between requests.
 *
 * A hit's stored record is zlib-compressed by Xapian and holds the whole
 * body: inflating and decoding it was a fifth of a short query's work, for
 * the same popular articles again and again.  Each searcher (one per
 * thread, so no locks) keeps the documents it decoded, direct-mapped by
 * Xapian docid, with their sync record (content hash, id, source) and
 * their snippet tokens (the spans the record keeps; a record written
 * before it kept them is tokenised when a snippet first needs it).  A new
 * revision keeps them: a replaced document keeps its docid, so a document
 * kept from an older revision is used again only once its sync record is
 * found unchanged (one value read instead of the record's inflating,
 * decoding and snippet tokens: editors publish revisions all day, and
 * each one emptied every searcher's documents).  A document evicted during a
 * request may still be on that request's page: it is freed when the
 * request ends (vb_doc_cache_end_request).  The language versions of a
 * translation group are kept too, by group, for the revision they were
 * listed in: listing them was a second Xapian search per request, a sixth
 * of a short query's work.  An index whose documents all fit is decoded
 * whole when the searcher is warmed (vb_doc_cache_preload): a cold French
 * fiche cost 90,000 instructions, a quarter of a question's, and a fresh
 * searcher met mostly cold ones. */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>

#define SLOTS 4096
/* Bytes the cache may hold (documents' text and their snippet tokens);
 * beyond, it starts again empty. */
#define BUDGET (32u * 1024u * 1024u)

struct slot {
    uint32_t docid; /* 0: empty (Xapian docids start at 1) */
    uint64_t revision; /* the last revision it was known current in */
    char *stamp;       /* its sync record value (NULL: none) */
    size_t stamp_len;
    struct vb_document *doc;
    struct vb_snippet_tokens tokens; /* its snippet tokens, once asked */
    bool tokens_ready;
    size_t bytes;
};

#define GROUP_SLOTS 256

struct group_slot {
    bool used;
    uint8_t count;
    char group[VB_SCHEMA_GROUP_KEY_MAX + 1]; /* vb_schema_group_key */
    struct vb_group_member members[VB_GROUP_MEMBERS_MAX];
};

struct vb_doc_cache {
    uint64_t revision;
    bool revision_known;
    size_t bytes;
    struct slot slots[SLOTS];
    struct group_slot groups[GROUP_SLOTS];
    struct slot *evicted; /* freed at the end of the request */
    size_t evicted_count, evicted_cap;
};

struct vb_doc_cache *vb_doc_cache_new(void)
{
    return vb_calloc_resident(1, sizeof(struct vb_doc_cache));
}

/* Moves a slot's document to the evicted list; false when out of memory
 * (the document is then freed at once: only safe outside a request). */
static bool evict(struct vb_doc_cache *c, struct slot *slot)
{
    if (!slot->doc)
        return true;
    if (c->evicted_count == c->evicted_cap) {
        size_t cap = c->evicted_cap ? c->evicted_cap * 2 : 16;
        struct slot *p = realloc(c->evicted, cap * sizeof *p);
        if (!p)
            return false;
        c->evicted = p;
        c->evicted_cap = cap;
    }
    c->evicted[c->evicted_count++] = *slot;
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
    for (size_t i = 0; i < cache->evicted_count; i++) {
        vb_document_free(cache->evicted[i].doc);
        vb_snippet_tokens_free(&cache->evicted[i].tokens);
        free(cache->evicted[i].stamp);
    }
    cache->evicted_count = 0;
}

void vb_doc_cache_free(struct vb_doc_cache *cache)
{
    if (!cache)
        return;
    for (size_t i = 0; i < SLOTS; i++) {
        vb_document_free(cache->slots[i].doc);
        vb_snippet_tokens_free(&cache->slots[i].tokens);
        free(cache->slots[i].stamp);
    }
    vb_doc_cache_end_request(cache);
    free(cache->evicted);
    free(cache);
}

static size_t text_bytes(const struct vb_document *d)
{
    return sizeof *d + strlen(d->title) + strlen(d->body_text) +
           strlen(d->body_source) + 256;
}

/* Notes the revision the searcher reads; a new one forgets the
 * translation groups (their members may have changed) and leaves the
 * documents to be checked one by one (vb_doc_cache_get). */
static enum vb_status follow_revision(struct vb_searcher *searcher,
                                      struct vb_error *err)
{
    struct vb_doc_cache *c = searcher->documents;
    uint64_t revision = 0;
    enum vb_status st =
        vb_xapian_reader_revision(searcher->reader, &revision, err);
    if (st != VB_OK || (c->revision_known && revision == c->revision))
        return st;
    memset(c->groups, 0, sizeof c->groups);
    c->revision = revision;
    c->revision_known = true;
    return VB_OK;
}

static struct group_slot *group_slot(struct vb_doc_cache *c, const char *group)
{
    return &c->groups[vb_slot_hash(group, strlen(group), 0) % GROUP_SLOTS];
}

enum vb_status vb_doc_cache_group(struct vb_searcher *searcher,
                                  const char *group,
                                  struct vb_group_member *members,
                                  size_t *count, bool *known,
                                  struct vb_error *err)
{
    *known = false;
    *count = 0;
    enum vb_status st = follow_revision(searcher, err);
    if (st != VB_OK)
        return st;
    const struct group_slot *g = group_slot(searcher->documents, group);
    if (!g->used || strcmp(g->group, group) != 0)
        return VB_OK;
    memcpy(members, g->members, g->count * sizeof *members);
    *count = g->count;
    *known = true;
    return VB_OK;
}

void vb_doc_cache_put_group(struct vb_searcher *searcher, const char *group,
                            const struct vb_group_member *members, size_t count)
{
    size_t len = strlen(group);
    if (count > VB_GROUP_MEMBERS_MAX || len > VB_SCHEMA_GROUP_KEY_MAX)
        return; /* not kept: listed again next time */
    struct group_slot *g = group_slot(searcher->documents, group);
    g->used = true;
    g->count = (uint8_t)count;
    memcpy(g->group, group, len + 1);
    memcpy(g->members, members, count * sizeof *members);
}

enum vb_status vb_doc_cache_get(struct vb_searcher *searcher, uint32_t docid,
                                const struct vb_document **out,
                                struct vb_error *err)
{
    struct vb_doc_cache *c = searcher->documents;
    *out = NULL;
    enum vb_status st = follow_revision(searcher, err);
    if (st != VB_OK)
        return st;
    struct slot *slot = &c->slots[docid % SLOTS];
    char *stamp = NULL;
    size_t stamp_len = 0;
    if (slot->docid == docid && slot->revision == c->revision) {
        *out = slot->doc;
        return VB_OK;
    }
    st = vb_xapian_document_value(searcher->reader, docid, VB_SCHEMA_SLOT_SYNC,
                                  &stamp, &stamp_len, err);
    if (st != VB_OK)
        return st;
    if (slot->docid == docid && stamp && slot->stamp &&
        stamp_len == slot->stamp_len &&
        memcmp(stamp, slot->stamp, stamp_len) == 0) {
        free(stamp); /* unchanged since an older revision */
        slot->revision = c->revision;
        *out = slot->doc;
        return VB_OK;
    }
    char *data = NULL;
    size_t len = 0;
    st = vb_xapian_document_data(searcher->reader, docid, &data, &len, err);
    struct vb_document *doc = NULL;
    struct vb_schema_spans spans = {0};
    if (st == VB_OK)
        st = vb_schema_decode_spans(data, len, &doc, &spans, err);
    free(data);
    struct vb_snippet_tokens tokens = {0};
    bool tokens_ready = spans.kept;
    if (st == VB_OK && tokens_ready &&
        !vb_snippet_tokens_adopt(&spans, &tokens))
        st = vb_error_set(err, VB_ENOMEM, "out of memory");
    if (st != VB_OK) {
        vb_document_free(doc);
        free(stamp);
        return st;
    }
    size_t bytes =
        text_bytes(doc) + (tokens_ready ? vb_snippet_tokens_bytes(&tokens) : 0);
    if (!evict(c, slot) || (c->bytes + bytes > BUDGET && !evict_all(c))) {
        vb_snippet_tokens_free(&tokens);
        vb_document_free(doc);
        free(stamp);
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    }
    *slot = (struct slot){.docid = docid,
                          .revision = c->revision,
                          .stamp = stamp,
                          .stamp_len = stamp_len,
                          .doc = doc,
                          .tokens = tokens,
                          .tokens_ready = tokens_ready,
                          .bytes = bytes};
    c->bytes += bytes;
    *out = doc;
    return VB_OK;
}

void vb_doc_cache_preload(struct vb_searcher *searcher)
{
    struct vb_doc_cache *c = searcher->documents;
    uint32_t last = 0;
    if (vb_xapian_reader_remote(searcher->reader) ||
        vb_xapian_last_docid(searcher->reader, &last, NULL) != VB_OK ||
        last > SLOTS)
        return;
    for (uint32_t docid = 1; docid <= last && c->bytes < BUDGET - BUDGET / 4;
         docid++) {
        const struct vb_document *doc = NULL;
        struct vb_error err = {0};
        /* A deleted document's id is VB_ENOTFOUND: nothing to keep. */
        (void)vb_doc_cache_get(searcher, docid, &doc, &err);
    }
    vb_doc_cache_end_request(c);
}

size_t vb_doc_cache_kept(const struct vb_doc_cache *cache)
{
    size_t n = 0;
    for (size_t i = 0; i < SLOTS; i++)
        n += cache->slots[i].doc != NULL;
    return n;
}

enum vb_status vb_doc_cache_tokens(struct vb_searcher *searcher, uint32_t docid,
                                   struct vb_snippet_tokens **out,
                                   struct vb_error *err)
{
    const struct vb_document *doc = NULL;
    *out = NULL;
    enum vb_status st = vb_doc_cache_get(searcher, docid, &doc, err);
    if (st != VB_OK)
        return st;
    struct slot *slot = &searcher->documents->slots[docid % SLOTS];
    if (!slot->tokens_ready) {
        if (!vb_snippet_tokens_make(doc->body_text, &slot->tokens))
            return vb_error_set(err, VB_ENOMEM, "out of memory");
        slot->tokens_ready = true;
        /* Counted in the budget as they will be once folded; the next
         * document put in makes room. */
        size_t bytes = vb_snippet_tokens_bytes(&slot->tokens);
        slot->bytes += bytes;
        searcher->documents->bytes += bytes;
    }
    *out = &slot->tokens;
    return VB_OK;
}
