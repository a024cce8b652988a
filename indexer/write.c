/* write.c — documents written over HTTP (searchd's PUT, DELETE and
 * bulk POST): validated, checked against If-Match and the client's
 * tenant, stored in one revision through the same writer as a run. */
#include "indexer_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The ETag of the document `id` the writer sees, "" when there is none. */
/* The ETag ("" when there is no such document) and tenant of the stored
 * document `id`. */
static enum vb_status current_etag(struct vb_xapian_writer *writer,
                                   const char *id, char etag[17],
                                   char tenant[VB_DOC_TENANT_MAX + 1],
                                   struct vb_error *err)
{
    etag[0] = '\0';
    tenant[0] = '\0';
    char term[VB_SCHEMA_TERM_BUF];
    size_t n = vb_schema_id_term(id, term, sizeof term);
    char *data = NULL;
    size_t len = 0;
    enum vb_status st = vb_xapian_get_document(vb_xapian_writer_reader(writer),
                                               term, n, NULL, &data, &len, err);
    if (st == VB_ENOTFOUND)
        return VB_OK;
    struct vb_document *doc = NULL;
    if (st == VB_OK)
        st = vb_schema_decode(data, len, &doc, err);
    free(data);
    if (st == VB_OK) {
        vb_document_etag(doc, etag);
        snprintf(tenant, VB_DOC_TENANT_MAX + 1, "%s", doc->tenant);
    }
    vb_document_free(doc);
    return st;
}

/* Whether an op for op->tenant may write: the document it stores is that
 * tenant's (one without a tenant becomes it), and so is the one it
 * replaces or deletes. */
static enum vb_status tenant_may_write(struct vb_indexer_op *op, const char *id,
                                       const char *stored)
{
    if (!op->tenant)
        return VB_OK;
    if (op->existed && strcmp(stored, op->tenant) != 0)
        return vb_error_set(&op->problem, VB_EDENIED,
                            "%s is not a document of tenant %s (ids are "
                            "unique across the deployment)",
                            id, op->tenant);
    switch (op->doc ? ix_adopt_tenant(op->doc, op->tenant) : VB_OK) {
    case VB_EDENIED:
        return vb_error_set(&op->problem, VB_EDENIED,
                            "%s names tenant %s; this writer works for %s", id,
                            op->doc->tenant, op->tenant);
    case VB_ENOMEM:
        return vb_error_set(&op->problem, VB_ENOMEM, "out of memory");
    default: return VB_OK;
    }
}

/* An index written over HTTP before it has a reference length (it holds
 * nothing yet): the mean length of this request's documents fixes it, as
 * a run's first documents do (pipeline.c). */
static double first_reference(const struct vb_indexer_op *ops, size_t count)
{
    double length = 0;
    size_t docs = 0;
    for (size_t i = 0; i < count; i++)
        if (ops[i].doc) {
            length += vb_schema_length(ops[i].doc);
            docs++;
        }
    return vb_schema_mean_length(length, docs);
}

enum vb_status vb_indexer_write(const char *index_dir, const char *source,
                                struct vb_indexer_op *ops, size_t count,
                                unsigned wait_ms, struct vb_error *err)
{
    struct vb_xapian_writer *writer = NULL;
    struct vb_analysis_data *analysis = NULL;
    struct vb_analyzer *analyzer = NULL;
    bool changed = false;
    enum vb_status st =
        ix_open_writer_waiting(index_dir, false, wait_ms, &writer, err);
    if (st == VB_OK)
        st = vb_schema_check(vb_xapian_writer_reader(writer), err);
    double reference = 0;
    if (st == VB_OK)
        st = vb_schema_reference(vb_xapian_writer_reader(writer), &reference,
                                 err);
    if (st == VB_OK && reference == 0)
        reference = first_reference(ops, count);
    if (st == VB_OK)
        st = vb_analysis_data_new(&analysis, err);
    if (st == VB_OK)
        st = vb_analyzer_new(analysis, &analyzer, err);
    for (size_t i = 0; st == VB_OK && i < count; i++) {
        struct vb_indexer_op *op = &ops[i];
        const char *id = op->doc ? op->doc->id : op->id;
        char stored[VB_DOC_TENANT_MAX + 1];
        op->status = current_etag(writer, id, op->etag, stored, &op->problem);
        op->existed = op->etag[0] != '\0';
        if (op->status == VB_OK)
            op->status = tenant_may_write(op, id, stored);
        if (op->status == VB_OK && op->if_match &&
            strcmp(op->if_match, op->etag) != 0) {
            op->status =
                vb_error_set(&op->problem, VB_ECONFLICT,
                             "%s has changed since it was read (its "
                             "ETag is \"%s\", not \"%s\")",
                             id, op->etag[0] ? op->etag : "-", op->if_match);
            continue;
        }
        if (op->status != VB_OK)
            continue;
        if (!op->doc) {
            op->status = vb_schema_delete(writer, id, VB_SCHEMA_DOCID_UNKNOWN,
                                          NULL, &op->problem);
            changed |= op->status == VB_OK && op->existed;
            op->etag[0] = '\0';
            continue;
        }
        bool detected, failed;
        enum vb_lang lang = ix_document_lang(op->doc, &detected, &failed);
        if (failed) {
            op->status = vb_error_set(&op->problem, VB_ENOMEM, "out of memory");
            continue;
        }
        if (lang == VB_LANG_UNKNOWN) {
            op->status = vb_error_set(&op->problem, VB_EINVAL,
                                      "%s: no 'lang' given and no words to "
                                      "detect it from; add lang: nl, fr or en",
                                      id);
            continue;
        }
        free(op->doc->source_path);
        op->doc->source_path = strdup(source);
        op->doc->source_line = 0;
        struct vb_xapian_doc *built = NULL;
        op->status =
            op->doc->source_path
                ? vb_schema_build(analyzer, op->doc, lang,
                                  vb_document_content_hash(op->doc), 0,
                                  reference, &built, &op->problem)
                : vb_error_set(&op->problem, VB_ENOMEM, "out of memory");
        if (op->status == VB_OK)
            op->status = vb_schema_put(writer, id, VB_SCHEMA_DOCID_UNKNOWN,
                                       built, &op->problem);
        vb_xapian_doc_free(built);
        if (op->status == VB_OK) {
            changed = true;
            /* The ETag as GET will give it: of the document as stored
             * (its language filled in when it was detected). */
            op->status =
                current_etag(writer, id, op->etag, stored, &op->problem);
        }
    }
    /* One revision for the whole request: all of it, or (on a failure to
     * store) none of it. */
    if (st == VB_OK && changed) {
        st = vb_schema_init(writer, reference, err);
        if (st == VB_OK)
            st = vb_xapian_commit(writer, err);
    }
    vb_analyzer_free(analyzer);
    vb_analysis_data_free(analysis);
    vb_xapian_writer_close(writer);
    return st;
}
