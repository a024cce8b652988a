/* sync.c — the sync record each document carries (content hash, source
 * line, id and path): what lets the indexer skip unchanged documents and
 * remove what is gone. */
#include "schema_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sync record value: "<16 hex digits of hash> <line> <id>\t<path>". */
char *schema_sync_value(const struct vb_document *doc, uint64_t hash,
                        size_t *len)
{
    size_t size =
        16 + 1 + 10 + 1 + strlen(doc->id) + 1 + strlen(doc->source_path) + 1;
    char *value = malloc(size);
    if (!value)
        return NULL;
    int n = snprintf(value, size, "%016" PRIx64 " %u %s\t%s", hash,
                     doc->source_line, doc->id, doc->source_path);
    *len = (size_t)n;
    return value;
}

struct sync_walk {
    vb_schema_sync_fn fn;
    void *ctx;
    enum vb_status status;
    struct vb_error *err;
};

static int parse_sync(void *ctx, uint32_t docid, const char *value, size_t len)
{
    struct sync_walk *w = ctx;
    struct vb_schema_sync_record r = {.docid = docid};
    const char *end = value + len;
    const char *p = value;
    uint64_t hash = 0;
    int digits = 0;
    for (; p < end && digits < 16; p++, digits++) {
        char c = *p;
        int v = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                       : -1;
        if (v < 0)
            break;
        hash = hash << 4 | (uint64_t)v;
    }
    unsigned line = 0;
    bool ok = digits == 16 && p < end && *p++ == ' ';
    const char *line_start = p;
    while (ok && p < end && *p >= '0' && *p <= '9' && line < 100000000u)
        line = line * 10 + (unsigned)(*p++ - '0');
    ok = ok && p > line_start && p < end && *p++ == ' ';
    const char *tab = ok ? memchr(p, '\t', (size_t)(end - p)) : NULL;
    if (!tab || tab == p) {
        w->status =
            vb_error_set(w->err, VB_ECORRUPT,
                         "document %u has a damaged sync record", docid);
        return 1;
    }
    r.hash = hash;
    r.source_line = line;
    r.id = p;
    r.id_len = (size_t)(tab - p);
    r.source_path = tab + 1;
    r.source_path_len = (size_t)(end - tab - 1);
    return w->fn(w->ctx, &r);
}

enum vb_status vb_schema_for_each_sync_record(struct vb_xapian_reader *reader,
                                              vb_schema_sync_fn fn, void *ctx,
                                              struct vb_error *err)
{
    struct sync_walk w = {.fn = fn, .ctx = ctx, .status = VB_OK, .err = err};
    enum vb_status st = vb_xapian_for_each_value(reader, VB_SCHEMA_SLOT_SYNC,
                                                 parse_sync, &w, err);
    return st != VB_OK ? st : w.status;
}
