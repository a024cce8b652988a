/* known.c — what the index holds before a run: its documents' sync
 * records, and the customers whose history was erased (an export read
 * again must not bring their events back). */
#include "indexer_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int load_sync_record(void *ctx, const struct vb_schema_sync_record *rec)
{
    struct run *r = ctx;
    const char *path = ix_intern(r, rec->source_path, rec->source_path_len);
    struct entry *e = path ? ix_entry_append(r, rec->id, rec->id_len) : NULL;
    if (!e) {
        ix_out_of_memory(r);
        return 1;
    }
    e->indexed = true;
    e->docid = rec->docid;
    e->hash = rec->hash;
    e->fingerprint = rec->fingerprint;
    e->indexed_path = path;
    e->indexed_line = rec->source_line;
    return 0;
}

/* For --full: every id, whatever its schema version wrote besides. */
static int load_id_term(void *ctx, const char *term, size_t len, uint32_t freq)
{
    (void)freq;
    struct run *r = ctx;
    size_t plen = strlen(VB_SCHEMA_PREFIX_ID);
    struct entry *e = ix_entry_get(r, term + plen, len - plen, true);
    if (!e) {
        ix_out_of_memory(r);
        return 1;
    }
    e->indexed = true;
    e->docid = VB_SCHEMA_DOCID_UNKNOWN;
    return 0;
}

/* ==== Erased customers ================================================= */

/* "2026-12-05..." as 20261205; 0 when it does not start with a date. */
static size_t day_number(const char *date)
{
    if (strlen(date) < 10 || date[4] != '-' || date[7] != '-')
        return 0;
    size_t day = 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7) {
            if (date[i] < '0' || date[i] > '9')
                return 0;
            day = day * 10 + (size_t)(date[i] - '0');
        }
    return day;
}

/* Reads the erased customers of the index into r->erased. */
static enum vb_status load_erased(struct run *r)
{
    size_t len = 0;
    enum vb_status st = vb_xapian_get_metadata(
        r->reader, VB_SCHEMA_METADATA_ERASED, strlen(VB_SCHEMA_METADATA_ERASED),
        &r->erased_list, &len, r->err);
    for (char *line = r->erased_list; st == VB_OK && line && *line;) {
        char *end = strchr(line, '\n');
        char *space =
            memchr(line, ' ', end ? (size_t)(end - line) : strlen(line));
        if (space && !ix_map_find(&r->erased, line, (size_t)(space - line)) &&
            !ix_map_insert(&r->erased, line, (size_t)(space - line),
                           day_number(space + 1)))
            st = ix_out_of_memory(r);
        line = end ? end + 1 : line + strlen(line);
    }
    return st;
}

/* Whether `doc` is an event of an erased customer dated up to the day of
 * the erasure. */
bool ix_erased_event(struct run *r, const struct vb_document *doc)
{
    if (r->erased.used == 0 || !doc->customer[0])
        return false;
    struct map_slot *slot =
        ix_map_find(&r->erased, doc->customer, strlen(doc->customer));
    if (!slot && doc->tenant[0]) {
        char key[VB_DOC_TENANT_MAX + VB_DOC_CUSTOMER_MAX + 2];
        int n = snprintf(key, sizeof key, "%s/%s", doc->tenant, doc->customer);
        slot = ix_map_find(&r->erased, key, (size_t)n);
    }
    if (!slot)
        return false;
    size_t day = day_number(doc->date);
    return day == 0 || day <= slot->value;
}

/* Room for every indexed document (and some new ones) at once: growing
 * the entries and their map as they come costs a third of loading a
 * million of them. */
static enum vb_status reserve(struct run *r)
{
    uint32_t count = 0;
    enum vb_status st = vb_xapian_doc_count(r->reader, &count, r->err);
    if (st != VB_OK)
        return st;
    size_t n = (size_t)count + count / 8 + 64;
    if (n > r->entry_cap) {
        struct entry *entries = realloc(r->entries, n * sizeof *entries);
        if (!entries)
            return ix_out_of_memory(r);
        r->entries = entries;
        r->entry_cap = n;
    }
    if (!ix_map_reserve(&r->entry_by_id, n))
        return ix_out_of_memory(r);
    return VB_OK;
}

enum vb_status ix_load_index(struct run *r)
{
    enum vb_status st = reserve(r);
    if (st == VB_OK)
        st = load_erased(r);
    if (st != VB_OK)
        return st;
    if (r->opt->full && vb_schema_check(r->reader, NULL) != VB_OK) {
        /* Another layout: its sync records may not read, its ids do. */
        st = vb_xapian_for_each_term(r->reader, VB_SCHEMA_PREFIX_ID,
                                     strlen(VB_SCHEMA_PREFIX_ID), load_id_term,
                                     r, r->err);
    } else {
        /* With the sync records, --full too knows each document's file,
         * and keeps the documents of a file that has a problem in this
         * run (it vanished after the walk, a line went bad), as an
         * incremental run does. */
        st = vb_schema_check(r->reader, r->err);
        /* --full measures the documents again (struct run). */
        if (st == VB_OK && !r->opt->full)
            st = vb_schema_reference(r->reader, &r->reference, r->err);
        size_t first = r->entry_count;
        if (st == VB_OK)
            st = vb_schema_for_each_sync_record(r->reader, load_sync_record, r,
                                                r->err);
        if (st == VB_OK && r->status == VB_OK && !ix_index_entries(r, first))
            st = ix_out_of_memory(r);
    }
    return st != VB_OK ? st : r->status;
}
