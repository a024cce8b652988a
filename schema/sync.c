/* sync.c — the sync record each document carries (content hash, source
 * line, id and path): what lets the indexer skip unchanged documents and
 * remove what is gone. */
#include "schema_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sync record value: "<16 hex digits of hash>[:<16 hex digits of
 * fingerprint>] <line> <id>\t<path>"; records without a fingerprint are
 * read as 0 (written before fingerprints, or over HTTP). */
char *schema_sync_value(const struct vb_schema_sync_record *rec, size_t *len)
{
    size_t size =
        16 + 17 + 1 + 10 + 1 + rec->id_len + 1 + rec->source_path_len + 1;
    char *value = malloc(size);
    if (!value)
        return NULL;
    int n = snprintf(value, size, "%016" PRIx64, rec->hash);
    if (rec->fingerprint)
        n += snprintf(value + n, size - (size_t)n, ":%016" PRIx64,
                      rec->fingerprint);
    n += snprintf(value + n, size - (size_t)n, " %u %.*s\t%.*s",
                  rec->source_line, (int)rec->id_len, rec->id,
                  (int)rec->source_path_len, rec->source_path);
    *len = (size_t)n;
    return value;
}

enum vb_status vb_schema_restamp(struct vb_xapian_writer *writer,
                                 const struct vb_schema_sync_record *rec,
                                 struct vb_error *err)
{
    size_t len = 0;
    char *value = schema_sync_value(rec, &len);
    if (!value)
        return vb_error_set(err, VB_ENOMEM, "%.*s: out of memory",
                            (int)rec->id_len, rec->id);
    enum vb_status st = vb_xapian_set_document_value(
        writer, rec->docid, VB_SCHEMA_SLOT_SYNC, value, len, err);
    free(value);
    return st;
}

/* Each byte's value as a lowercase hex digit, 16 for the others: a
 * million records' 32 digits are read without a branch per digit. */
static const unsigned char hex_value[256] = {
    ['0'] = 0 + 1,  ['1'] = 1 + 1,  ['2'] = 2 + 1,  ['3'] = 3 + 1,
    ['4'] = 4 + 1,  ['5'] = 5 + 1,  ['6'] = 6 + 1,  ['7'] = 7 + 1,
    ['8'] = 8 + 1,  ['9'] = 9 + 1,  ['a'] = 10 + 1, ['b'] = 11 + 1,
    ['c'] = 12 + 1, ['d'] = 13 + 1, ['e'] = 14 + 1, ['f'] = 15 + 1,
};

/* Reads 16 lowercase hex digits at *p (before end) into *out. */
static bool hex16(const char **p, const char *end, uint64_t *out)
{
    if (end - *p < 16)
        return false;
    uint64_t v = 0;
    unsigned bad = 0;
    for (int i = 0; i < 16; i++) {
        unsigned d = hex_value[(unsigned char)(*p)[i]];
        bad |= d == 0;
        v = v << 4 | (uint64_t)(d - 1);
    }
    *p += 16;
    *out = v;
    return !bad;
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
    bool ok = hex16(&p, end, &r.hash);
    if (ok && p < end && *p == ':') {
        p++;
        ok = hex16(&p, end, &r.fingerprint);
    }
    unsigned line = 0;
    ok = ok && p < end && *p++ == ' ';
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
