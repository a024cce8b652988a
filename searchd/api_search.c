/* api_search.c — what agents ask: GET and POST /v1/search, POST
 * /v1/suggest, GET /v1/docs/{id}, GET /v1/analyze.  Parameters are
 * checked (checks.c), the engine runs on a searcher from the pool, and
 * the answer is written by render.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vb_document.h"

#include "searchd_int.h"

/* Longest analyze text (bytes), as for suggest. */
#define ANALYZE_TEXT_MAX VB_SEARCH_SUGGEST_MAX

static enum MHD_Result run_search(struct vb_request *request,
                                  enum vb_search_mode mode,
                                  const struct vb_checked *in)
{
    struct vb_search_request query;
    vb_search_request_init(&query);
    query.mode = mode;
    query.text = in->text;
    query.text_len = in->text_len;
    query.preferred_lang = in->lang;
    for (size_t i = 0; i < in->type_count; i++)
        query.types[i] = in->types[i];
    query.type_count = in->type_count;
    query.customer = in->customer;
    query.tenant = in->tenant;
    query.limit = in->limit;
    query.offset = in->offset;
    query.facets = in->facets;

    char agent[VB_SEARCHD_NAME_MAX + 1] = "";
    enum MHD_Result refused;
    if (in->customer &&
        !vb_request_ticket(request, in->customer, agent, &refused))
        return refused;

    struct vb_pool *pool = request->server->pool;
    struct vb_worker *worker = NULL;
    struct vb_search_result *result = NULL;
    struct vb_error err = {0};
    enum vb_status status = vb_pool_checkout(pool, &worker, &err);
    if (status != VB_OK)
        return vb_respond_failure(request, status, &err,
                                  "the index cannot be read");
    status = vb_search_run(worker->searcher, &query, &result, &err);
    vb_pool_checkin(pool, worker, vb_status_index_trouble(status));
    if (status != VB_OK)
        return vb_respond_failure(request, status, &err,
                                  "the index cannot be read");

    /* No audit row, no history. */
    if (in->customer) {
        uint64_t history = 0;
        for (size_t i = 0; i < result->hit_count; i++)
            history += result->hits[i].customer != NULL;
        status = vb_request_audit(request, in->customer, agent, in->text,
                                  in->text_len, history, &err);
        if (status != VB_OK) {
            vb_search_result_free(result);
            return vb_respond_error(request, 503, VB_API_AUDIT_UNAVAILABLE,
                                    NULL,
                                    "customer history is not served while "
                                    "the audit log cannot be written (search "
                                    "without 'customer' still works): %s",
                                    err.msg);
        }
    }

    /* What the editors see: agents' article searches only (a history
     * search is about one customer; an editor's or admin's search is a
     * test, not a need), no customer, no text for a suggest. */
    if (!in->customer &&
        (!request->token || request->token->role == VB_ROLE_AGENT))
        vb_analytics_search(
            request->server->analytics, vb_request_client(request),
            mode == VB_SEARCH_SUGGEST, in->text, in->text_len,
            in->lang == VB_LANG_UNKNOWN ? NULL : vb_lang_code(in->lang),
            in->tenant, result->total, result->took_us);
    request->hits = (long)result->hit_count;
    size_t len;
    char *json =
        vb_render_result(in->text, in->text_len, in->facets, result, &len);
    vb_search_result_free(result);
    if (!json)
        return vb_respond_error(request, 500, VB_API_INTERNAL, NULL,
                                "the search result could not be written as "
                                "JSON (out of memory, or not valid UTF-8)");
    return vb_respond_json_owned(request, 200, json, len);
}

/* ---- GET and POST /v1/search -----------------------------------------------
 */

enum MHD_Result vb_handle_search(struct vb_request *request)
{
    struct vb_fields fields;
    json_t *body = NULL;
    enum MHD_Result result = MHD_YES;
    bool post = request->route->body_max > 0;
    if (post ? !vb_read_body(request, VB_FIELDS_SEARCH, &fields, &body, &result)
             : !vb_read_query(request, VB_FIELDS_SEARCH, &fields, &result))
        goto out;

    struct vb_check c = {.request = request, .fields = &fields};
    struct vb_checked in = {.limit = VB_SEARCH_LIMIT_DEFAULT};
    vb_check_utf8(&c);
    vb_check_text(&c, VB_FIELD_Q, VB_SEARCH_QUERY_MAX, &in);
    vb_check_lang(&c, &in);
    vb_check_types(&c, &in);
    vb_check_customer(&c, &in);
    vb_check_tenant(&c, &in);
    vb_check_number(&c, VB_FIELD_LIMIT, 1, VB_SEARCH_LIMIT_MAX, &in.limit);
    vb_check_number(&c, VB_FIELD_OFFSET, 0, VB_SEARCH_OFFSET_MAX, &in.offset);
    vb_check_facets(&c, &in);
    if (!c.failed && in.text_len == 0 && !in.customer)
        vb_check_fail(&c, 400, VB_API_INVALID_PARAMETER, VB_FIELD_Q,
                      "%s 'q' is empty: give a query, or a customer to list "
                      "that customer's history",
                      fields.what);
    result = c.failed ? c.result : run_search(request, VB_SEARCH_QUERY, &in);
out:
    json_decref(body);
    return result;
}

/* ---- POST /v1/suggest ------------------------------------------------------
 */

enum MHD_Result vb_handle_suggest(struct vb_request *request)
{
    struct vb_fields fields;
    json_t *body = NULL;
    enum MHD_Result result = MHD_YES;
    if (!vb_read_body(request, VB_FIELDS_SUGGEST, &fields, &body, &result))
        goto out;

    struct vb_check c = {.request = request, .fields = &fields};
    struct vb_checked in = {.limit = VB_SEARCH_LIMIT_DEFAULT};
    vb_check_text(&c, VB_FIELD_TEXT, VB_SEARCH_SUGGEST_MAX, &in);
    vb_check_lang(&c, &in);
    vb_check_types(&c, &in);
    vb_check_customer(&c, &in);
    vb_check_tenant(&c, &in);
    vb_check_number(&c, VB_FIELD_LIMIT, 1, VB_SEARCH_LIMIT_MAX, &in.limit);
    if (!c.failed && in.text_len == 0 && !in.customer)
        vb_check_fail(&c, 400, VB_API_INVALID_PARAMETER, VB_FIELD_TEXT,
                      "field 'text' is empty: give the conversation text, or a "
                      "customer");
    result = c.failed ? c.result : run_search(request, VB_SEARCH_SUGGEST, &in);
out:
    json_decref(body);
    return result;
}

/* ---- GET /v1/docs/{id} -----------------------------------------------------
 */

enum MHD_Result vb_handle_document(struct vb_request *request)
{
    struct vb_fields fields;
    enum MHD_Result result;
    if (!vb_read_query(request, VB_FIELDS_DOCUMENT, &fields, &result))
        return result;
    struct vb_check c = {.request = request, .fields = &fields};
    struct vb_checked in = {0};
    vb_check_utf8(&c);
    vb_check_customer(&c, &in);
    vb_check_tenant(&c, &in);
    if (c.failed)
        return c.result;
    if (!vb_document_id_ok(request->path_arg, request->path_arg_len)) {
        char shown[80];
        return vb_respond_error(request, 400, VB_API_INVALID_PARAMETER, "id",
                                "'%s' is not a document id (" VB_DOC_ID_RULE
                                ")",
                                vb_quote(shown, sizeof shown, request->path_arg,
                                         request->path_arg_len));
    }

    char agent[VB_SEARCHD_NAME_MAX + 1] = "";
    if (in.customer && !vb_request_ticket(request, in.customer, agent, &result))
        return result;

    struct vb_pool *pool = request->server->pool;
    struct vb_worker *worker = NULL;
    struct vb_error err = {0};
    struct vb_document *doc = NULL;
    bool expired = false;
    enum vb_status status = vb_pool_checkout(pool, &worker, &err);
    if (status != VB_OK)
        return vb_respond_failure(request, status, &err,
                                  "the index cannot be read");
    status =
        vb_search_get_document(worker->searcher, request->path_arg, in.customer,
                               in.tenant, &doc, &expired, &err);
    vb_pool_checkin(pool, worker,
                    status != VB_ENOTFOUND && vb_status_index_trouble(status));
    if (status == VB_ENOTFOUND)
        return vb_respond_error(request, 404, VB_API_NOT_FOUND, "id",
                                "no document with id '%s'", request->path_arg);
    if (status != VB_OK)
        return vb_respond_failure(request, status, &err,
                                  "the index cannot be read");
    if (doc->customer[0]) { /* history: its reading is audited */
        status =
            vb_request_audit(request, in.customer, agent, request->path_arg,
                             request->path_arg_len, 1, &err);
        if (status != VB_OK) {
            vb_document_free(doc);
            return vb_respond_error(request, 503, VB_API_AUDIT_UNAVAILABLE,
                                    NULL,
                                    "customer history is not served while "
                                    "the audit log cannot be written: %s",
                                    err.msg);
        }
    }
    vb_document_etag(doc, request->etag);
    json_t *root = vb_render_document(doc, expired);
    vb_document_free(doc);
    if (!root)
        return vb_respond_error(request, 500, VB_API_INTERNAL, NULL,
                                "out of memory");
    return vb_respond_json(request, 200, root);
}

/* ---- GET /v1/analyze -------------------------------------------------------
 */

struct analyze_ctx {
    const char *text;
    json_t *tokens;
    bool failed;
};

static int add_token(void *ctx_, const struct vb_token *token)
{
    struct analyze_ctx *ctx = ctx_;
    if (json_array_append_new(ctx->tokens, vb_render_token(ctx->text, token)) !=
        0) {
        ctx->failed = true;
        return 1;
    }
    return 0;
}

enum MHD_Result vb_handle_analyze(struct vb_request *request)
{
    struct vb_fields fields;
    enum MHD_Result result;
    if (!vb_read_query(request, VB_FIELDS_ANALYZE, &fields, &result))
        return result;
    struct vb_check c = {.request = request, .fields = &fields};
    struct vb_checked in = {0};
    vb_check_utf8(&c);
    vb_check_text(&c, VB_FIELD_TEXT, ANALYZE_TEXT_MAX, &in);
    vb_check_lang(&c, &in);
    if (c.failed)
        return c.result;

    bool detected = in.lang == VB_LANG_UNKNOWN;
    if (detected)
        in.lang = vb_detect_lang(in.text, in.text_len, NULL);

    struct vb_pool *pool = request->server->pool;
    struct vb_worker *worker = NULL;
    struct vb_analyzer *analyzer = NULL;
    struct vb_error err = {0};
    enum vb_status status = vb_pool_checkout(pool, &worker, &err);
    if (status != VB_OK)
        return vb_respond_failure(request, status, &err,
                                  "the index cannot be read");
    struct analyze_ctx ctx = {.text = in.text, .tokens = json_array()};
    status = vb_worker_analyzer(pool, worker, &analyzer, &err);
    if (status == VB_OK && ctx.tokens)
        status = vb_analyze_text(analyzer, in.text, in.text_len, in.lang,
                                 add_token, &ctx, &err);
    vb_pool_checkin(pool, worker, false);
    if (status != VB_OK) {
        json_decref(ctx.tokens);
        return vb_respond_failure(request, status, &err,
                                  "the index cannot be read");
    }
    json_t *root = ctx.tokens && !ctx.failed
                       ? vb_render_analysis(in.lang, detected, ctx.tokens)
                       : NULL;
    if (!ctx.tokens || ctx.failed)
        json_decref(ctx.tokens);
    if (!root)
        return vb_respond_error(request, 500, VB_API_INTERNAL, NULL,
                                "the analysis could not be written as JSON");
    return vb_respond_json(request, 200, root);
}
