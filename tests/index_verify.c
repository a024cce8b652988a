/* vb-index-verify DIR — checks an index the way the crash test needs it.
 *
 * Opens the latest committed revision of the index in DIR and checks that
 *   - the schema version is this program's (or absent on an empty index);
 *   - every document has an id term, a sync record that parses, and stored
 *     data that decodes (vb_schema_decode) to a document with that id;
 *   - every title ends in the same version marker: " v<digits>" (the
 *     crash test's corpora are all-v1 or all-v2; a mix means a partial
 *     revision was published).
 * Prints one line:
 *   documents=N revision=R ids=I records=S marker=vK|none|mixed marked=M
 * Exit status: 0 consistent, 1 inconsistent (the reason on stderr),
 * 2 the index does not open. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vb_document.h"
#include "vb_schema.h"
#include "vb_xapian.h"

struct ids {
    char **items;
    size_t count, cap;
    int failed;
};

static int collect_id(void *ctx, const char *term, size_t len, uint32_t freq)
{
    struct ids *ids = ctx;
    if (freq != 1) {
        fprintf(stderr, "id term %.*s indexes %u documents\n", (int)len, term,
                freq);
        ids->failed = 1;
    }
    if (ids->count == ids->cap) {
        size_t cap = ids->cap ? ids->cap * 2 : 1024;
        char **items = realloc(ids->items, cap * sizeof *items);
        if (!items) {
            ids->failed = 1;
            return 1;
        }
        ids->items = items;
        ids->cap = cap;
    }
    ids->items[ids->count] = malloc(len + 1);
    if (!ids->items[ids->count]) {
        ids->failed = 1;
        return 1;
    }
    memcpy(ids->items[ids->count], term, len);
    ids->items[ids->count][len] = '\0';
    ids->count++;
    return 0;
}

static int count_record(void *ctx, const struct vb_schema_sync_record *r)
{
    (void)r;
    ++*(size_t *)ctx;
    return 0;
}

/* The version marker at the end of `title` ("v1" from "... v1"), or NULL. */
static const char *marker_of(const char *title, size_t *len)
{
    size_t n = strlen(title), i = n;
    while (i > 0 && title[i - 1] >= '0' && title[i - 1] <= '9')
        i--;
    if (i == n || i < 2 || title[i - 1] != 'v' || title[i - 2] != ' ')
        return NULL;
    *len = n - i + 1;
    return title + i - 1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: vb-index-verify DIR\n");
        return 2;
    }
    struct vb_xapian_reader *reader = NULL;
    struct vb_error err = {0};
    if (vb_xapian_reader_open(argv[1], &reader, &err) != VB_OK) {
        fprintf(stderr, "vb-index-verify: %s\n", err.msg);
        return 2;
    }
    int status = 0;
    uint32_t documents = 0;
    uint64_t revision = 0;
    size_t records = 0, marked = 0;
    char marker[32] = "";
    bool mixed = false;
    struct ids ids = {0};
    if (vb_xapian_doc_count(reader, &documents, &err) != VB_OK ||
        vb_xapian_reader_revision(reader, &revision, &err) != VB_OK ||
        vb_schema_check(reader, &err) != VB_OK ||
        vb_schema_for_each_sync_record(reader, count_record, &records, &err) !=
            VB_OK ||
        vb_xapian_for_each_term(reader, VB_SCHEMA_PREFIX_ID,
                                strlen(VB_SCHEMA_PREFIX_ID), collect_id, &ids,
                                &err) != VB_OK) {
        fprintf(stderr, "vb-index-verify: %s\n", err.msg);
        status = 1;
        goto out;
    }
    if (ids.failed)
        status = 1;
    if (ids.count != documents || records != documents) {
        fprintf(stderr, "%u documents but %zu id terms and %zu sync records\n",
                documents, ids.count, records);
        status = 1;
    }
    for (size_t i = 0; i < ids.count; i++) {
        const char *term = ids.items[i];
        char *data = NULL;
        size_t len = 0;
        struct vb_document *doc = NULL;
        if (vb_xapian_get_document(reader, term, strlen(term), NULL, &data,
                                   &len, &err) != VB_OK ||
            vb_schema_decode(data, len, &doc, &err) != VB_OK) {
            fprintf(stderr, "%s: %s\n", term, err.msg);
            free(data);
            status = 1;
            continue;
        }
        if (strcmp(doc->id, term + strlen(VB_SCHEMA_PREFIX_ID)) != 0) {
            fprintf(stderr, "%s: stored data is document %s\n", term, doc->id);
            status = 1;
        }
        size_t mlen = 0;
        const char *m = marker_of(doc->title, &mlen);
        if (m && mlen < sizeof marker) {
            marked++;
            if (!marker[0])
                snprintf(marker, sizeof marker, "%.*s", (int)mlen, m);
            else if (strlen(marker) != mlen || memcmp(marker, m, mlen) != 0)
                mixed = true;
        }
        vb_document_free(doc);
        free(data);
    }
    if (mixed) {
        fprintf(stderr, "titles carry different version markers\n");
        status = 1;
    }
out:
    printf("documents=%u revision=%llu ids=%zu records=%zu marker=%s "
           "marked=%zu\n",
           documents, (unsigned long long)revision, ids.count, records,
           mixed ? "mixed" : marker[0] ? marker : "none", marked);
    for (size_t i = 0; i < ids.count; i++)
        free(ids.items[i]);
    free(ids.items);
    vb_xapian_reader_close(reader);
    return status;
}
