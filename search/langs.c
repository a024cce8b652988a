/* langs.c — every document's language, by Xapian docid, for one index
 * revision: read with the vocabulary by the engine's watcher thread
 * (vocab.c), shared by the searchers that read the same revision.
 *
 * The preferred language's boost (rank.c) needs the language of every hit
 * Xapian returns, five times a page deep.  Read with the hits from the
 * LANG value stream, that was 6,800 instructions a hit at 100,000
 * documents (a B-tree lookup and a chunk decoded up to the docid); read
 * here once per revision, it is one byte a document (3 ms at 100,000).
 * Not over remote shards, where the whole stream is a round trip per
 * shard: hits.c then reads the values with the hits, as before. */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>

struct read_langs {
    struct vb_doc_langs *langs;
    uint32_t cap;
    bool failed;
};

static int add_lang(void *ctx, uint32_t docid, const char *value, size_t len)
{
    struct read_langs *r = ctx;
    struct vb_doc_langs *l = r->langs;
    if (docid >= r->cap) {
        uint32_t cap = r->cap ? r->cap : 4096;
        while (cap <= docid && cap < UINT32_MAX / 2)
            cap *= 2;
        if (cap <= docid) {
            r->failed = true;
            return 1;
        }
        uint8_t *p = realloc(l->lang, cap);
        if (!p) {
            r->failed = true;
            return 1;
        }
        memset(p + r->cap, VB_LANG_UNKNOWN, cap - r->cap);
        l->lang = p;
        r->cap = cap;
    }
    l->lang[docid] = (uint8_t)vb_lang_parse(value, len);
    if (docid >= l->count)
        l->count = docid + 1;
    return 0;
}

enum vb_status vb_doc_langs_read(struct vb_xapian_reader *reader,
                                 struct vb_doc_langs *out, struct vb_error *err)
{
    *out = (struct vb_doc_langs){0};
    if (vb_xapian_reader_remote(reader))
        return VB_OK;
    struct read_langs r = {.langs = out};
    enum vb_status st = vb_xapian_for_each_value(reader, VB_SCHEMA_SLOT_LANG,
                                                 add_lang, &r, err);
    if (st == VB_OK && r.failed)
        st = vb_error_set(err, VB_ENOMEM, "out of memory");
    if (st != VB_OK)
        vb_doc_langs_free(out);
    return st;
}

void vb_doc_langs_free(struct vb_doc_langs *langs)
{
    free(langs->lang);
    *langs = (struct vb_doc_langs){0};
}
