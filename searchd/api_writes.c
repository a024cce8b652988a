/* api_writes.c — editors and a CMS write documents: PUT and DELETE
 * /v1/docs/{id}, and POST /v1/docs with a bulk of JSON Lines.  Each is
 * validated by document/ and written as one index revision by the
 * indexer, as the files are. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vb_document.h"
#include "vb_indexer.h"

#include "searchd_int.h"

/* ---- PUT and DELETE /v1/docs/{id} (editors, a CMS) -------------------------
 */

/* The If-Match header without its quotes (or a weak W/ prefix); NULL when
 * there is none or it is "*". */
static const char *if_match(struct vb_request *request)
{
    const char *value = MHD_lookup_connection_value(
        request->connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MATCH);
    if (!value || strcmp(value, "*") == 0)
        return NULL;
    if (strncmp(value, "W/", 2) == 0)
        value += 2;
    size_t len = strlen(value);
    if (len >= 2 && value[0] == '"' && value[len - 1] == '"')
        return vb_arena_strndup(request->arena, value + 1, len - 2);
    return value;
}

/* The first problem of a document that does not validate. */
struct read_one {
    struct vb_document *doc;
    struct vb_error problem;
    bool rejected;
};

static int take_one(void *ctx, struct vb_document *doc,
                    const struct vb_error *problems, size_t count)
{
    struct read_one *r = ctx;
    if (doc) {
        vb_document_free(r->doc);
        r->doc = doc;
    } else if (!r->rejected && count > 0) {
        r->problem = problems[0];
        r->rejected = true;
    }
    return 0;
}

/* PUT /v1/docs/{id}: a Contract 1 document as one JSON object (its "id",
 * when given, must be the path's), validated as the indexer validates
 * files, stored as one revision; 201 when new, 200 when replaced; the
 * ETag of what is stored.  If-Match: only over that version (412). */
enum MHD_Result vb_handle_document_put(struct vb_request *request)
{
    struct vb_fields fields;
    enum MHD_Result result;
    if (!vb_read_query(request, VB_FIELDS_WRITE, &fields, &result))
        return result;
    struct vb_check c = {.request = request, .fields = &fields};
    struct vb_checked in = {0};
    vb_check_tenant(&c, &in);
    if (c.failed)
        return c.result;
    if (!vb_document_id_ok(request->path_arg, request->path_arg_len))
        return vb_respond_error(request, 400, VB_API_INVALID_PARAMETER, "id",
                                "the path does not end in a document id");
    json_error_t jerr;
    json_t *root = json_loadb(request->body ? request->body : "",
                              request->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root || !json_is_object(root)) {
        char text[160];
        vb_quote(text, sizeof text, jerr.text, strlen(jerr.text));
        json_decref(root);
        return vb_respond_error(request, 400, VB_API_INVALID_JSON, NULL,
                                "the body must be one JSON object (a Contract "
                                "1 document): %s",
                                root ? "not an object" : text);
    }
    json_t *id = json_object_get(root, "id");
    if (id && (!json_is_string(id) ||
               strcmp(json_string_value(id), request->path_arg) != 0)) {
        json_decref(root);
        return vb_respond_error(request, 400, VB_API_INVALID_PARAMETER, "id",
                                "field 'id' is not the id in the path");
    }
    if (!id)
        json_object_set_new(root, "id", json_string(request->path_arg));
    char *text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    if (!text)
        return vb_respond_error(request, 500, VB_API_INTERNAL, NULL,
                                "out of memory");
    struct read_one one = {0};
    struct vb_error err = {0};
    enum vb_status st = vb_document_read_json("body", 1, text, strlen(text),
                                              take_one, &one, &err);
    free(text);
    if (st != VB_OK)
        return vb_respond_error(request, 500, VB_API_INTERNAL, NULL, "%s",
                                err.msg);
    if (!one.doc) {
        /* "body:1: 'title' is required": the field is named in it. */
        return vb_respond_error(request, 400, VB_API_INVALID_PARAMETER, NULL,
                                "%s", one.problem.msg);
    }
    struct vb_indexer_op op = {
        .doc = one.doc, .if_match = if_match(request), .tenant = in.tenant};
    st =
        vb_indexer_write(request->server->index_dir, "api", &op, 1, 2000, &err);
    vb_document_free(one.doc);
    if (st != VB_OK)
        return vb_respond_failure(request, st, &err, "nothing was written");
    if (op.status != VB_OK)
        return vb_respond_failure(request, op.status, &op.problem,
                                  "nothing was written");
    snprintf(request->etag, sizeof request->etag, "%s", op.etag);
    return vb_respond_json(
        request, op.existed ? 200 : 201,
        vb_render_written(request->path_arg, op.etag, !op.existed));
}

/* DELETE /v1/docs/{id}: 200 when it was there (one revision), 404 when
 * not; If-Match as for PUT. */
enum MHD_Result vb_handle_document_delete(struct vb_request *request)
{
    struct vb_fields fields;
    enum MHD_Result result;
    if (!vb_read_query(request, VB_FIELDS_WRITE, &fields, &result))
        return result;
    struct vb_check c = {.request = request, .fields = &fields};
    struct vb_checked in = {0};
    vb_check_tenant(&c, &in);
    if (c.failed)
        return c.result;
    if (!vb_document_id_ok(request->path_arg, request->path_arg_len))
        return vb_respond_error(request, 400, VB_API_INVALID_PARAMETER, "id",
                                "the path does not end in a document id");
    struct vb_indexer_op op = {.id = request->path_arg,
                               .if_match = if_match(request),
                               .tenant = in.tenant};
    struct vb_error err = {0};
    enum vb_status st =
        vb_indexer_write(request->server->index_dir, "api", &op, 1, 2000, &err);
    if (st != VB_OK)
        return vb_respond_failure(request, st, &err, "nothing was written");
    if (op.status != VB_OK)
        return vb_respond_failure(request, op.status, &op.problem,
                                  "nothing was written");
    if (!op.existed)
        return vb_respond_error(request, 404, VB_API_NOT_FOUND, "id",
                                "no document with id '%s'", request->path_arg);
    return vb_respond_json(request, 200, vb_render_deleted(request->path_arg));
}

/* ---- POST /v1/docs: a bulk of documents (JSON Lines) ------------------------
 */

/* Every document line validated on its own (a bad line is reported with
 * its number and message, the others stored), then all of them stored in
 * one revision.  Answered 200 with one item per document line:
 * {"errors": bool, "items": [{"line", "id", "status", "error"?}]}. */
enum MHD_Result vb_handle_documents_bulk(struct vb_request *request)
{
    struct vb_fields fields;
    enum MHD_Result result;
    if (!vb_read_query(request, VB_FIELDS_WRITE, &fields, &result))
        return result;
    struct vb_check c = {.request = request, .fields = &fields};
    struct vb_checked in = {0};
    vb_check_tenant(&c, &in);
    if (c.failed)
        return c.result;
    struct bulk_line {
        unsigned line;
        struct read_one one;
        size_t op; /* index into ops, or SIZE_MAX */
    } *lines = NULL;
    struct vb_indexer_op *ops = NULL;
    size_t line_count = 0, op_count = 0, cap = 0;
    const char *data = request->body ? request->body : "";
    size_t len = request->body_len;
    struct vb_error err = {0};
    enum vb_status st = VB_OK;
    unsigned number = 1;
    for (size_t pos = 0; pos < len && st == VB_OK; number++) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len, n = end - pos;
        const char *text = data + pos;
        pos = end + 1;
        size_t blank = strspn(text, " \t\r");
        if (blank >= n)
            continue;
        if (line_count == cap) {
            cap = cap ? cap * 2 : 256;
            void *grown_lines = realloc(lines, cap * sizeof *lines);
            if (grown_lines)
                lines = grown_lines;
            void *grown_ops =
                grown_lines ? realloc(ops, cap * sizeof *ops) : NULL;
            if (grown_ops)
                ops = grown_ops;
            if (!grown_lines || !grown_ops) {
                st = vb_error_set(&err, VB_ENOMEM, "out of memory");
                break;
            }
        }
        struct bulk_line *l = &lines[line_count++];
        *l = (struct bulk_line){.line = number, .op = SIZE_MAX};
        st = vb_document_read_json("line", number, text, n, take_one, &l->one,
                                   &err);
        if (st == VB_OK && l->one.doc) {
            l->op = op_count;
            ops[op_count++] =
                (struct vb_indexer_op){.doc = l->one.doc, .tenant = in.tenant};
        }
    }
    if (st == VB_OK && op_count > 0)
        st = vb_indexer_write(request->server->index_dir, "api", ops, op_count,
                              2000, &err);
    if (st != VB_OK) {
        result =
            st == VB_ENOMEM
                ? vb_respond_error(request, 500, VB_API_INTERNAL, NULL, "%s",
                                   err.msg)
                : vb_respond_failure(request, st, &err, "nothing was written");
        goto out;
    }
    json_t *items = json_array();
    bool errors = false, ok = items != NULL;
    for (size_t i = 0; ok && i < line_count; i++) {
        const struct bulk_line *l = &lines[i];
        const struct vb_indexer_op *op = l->op == SIZE_MAX ? NULL : &ops[l->op];
        json_t *item;
        if (op && op->status == VB_OK) {
            item = vb_render_bulk_item(l->line, op->doc->id,
                                       op->existed ? 200 : 201, op->etag, NULL);
        } else {
            /* A refused line is 400 (the document is wrong) unless it is
             * another client's or changed since (errors.c's 403, 412). */
            struct vb_api_failure f =
                vb_api_failure_of(op ? op->status : VB_EINVAL);
            unsigned status = f.code == VB_API_FORBIDDEN ||
                                      f.code == VB_API_PRECONDITION_FAILED
                                  ? f.http
                                  : 400;
            item =
                vb_render_bulk_item(l->line, NULL, status, NULL,
                                    op ? op->problem.msg : l->one.problem.msg);
        }
        errors |= !(op && op->status == VB_OK);
        ok = item && json_array_append_new(items, item) == 0;
    }
    result = ok ? vb_respond_json(request, 200, vb_render_bulk(errors, items))
                : vb_respond_error(request, 500, VB_API_INTERNAL, NULL,
                                   "out of memory");
    if (!ok)
        json_decref(items);
out:
    for (size_t i = 0; i < line_count; i++)
        vb_document_free(lines[i].one.doc);
    free(lines);
    free(ops);
    return result;
}
