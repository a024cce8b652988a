/* api_editors.c — what the editors see: searches and opens recorded
 * for them (analytics), flags on articles (feedback), and the articles
 * due for review. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vb_document.h"

#include "searchd_int.h"

#define COMMENT_MAX 2000 /* bytes of a flag's comment */

/* ---- The editors: analytics and feedback ------------------------------------
 */

/* 503 when the analytics database could not be opened. */
static bool analytics_ready(struct vb_request *request, enum MHD_Result *result)
{
    if (request->server->analytics)
        return true;
    *result = vb_respond_error(request, 503, VB_API_UNAVAILABLE, NULL,
                               "the analytics database is not available: %s",
                               request->server->analytics_problem);
    return false;
}

/* POST /v1/analytics/open {"query", "doc"}: the agent opened a hit. */
enum MHD_Result vb_handle_analytics_open(struct vb_request *request)
{
    struct vb_fields fields;
    json_t *body = NULL;
    enum MHD_Result result = MHD_YES;
    if (!vb_read_body(request, VB_FIELDS_OPEN, &fields, &body, &result) ||
        !analytics_ready(request, &result))
        goto out;
    struct vb_check c = {.request = request, .fields = &fields};
    struct vb_checked in = {0};
    const char *query = NULL, *doc = NULL;
    size_t query_len = 0, doc_len = 0;
    vb_check_tenant(&c, &in);
    if (vb_check_required(&c, VB_FIELD_QUERY, &query, &query_len) &&
        query_len > VB_SEARCH_QUERY_MAX)
        vb_check_fail(&c, 413, VB_API_TOO_LARGE, VB_FIELD_QUERY,
                      "field 'query' is longer than %d bytes",
                      VB_SEARCH_QUERY_MAX);
    if (vb_check_required(&c, VB_FIELD_DOC, &doc, &doc_len) &&
        !vb_document_id_ok(doc, doc_len))
        vb_check_fail(&c, 400, VB_API_INVALID_PARAMETER, VB_FIELD_DOC,
                      "field 'doc' is not a document id");
    if (c.failed) {
        result = c.result;
        goto out;
    }
    vb_analytics_opened(request->server->analytics, query, query_len, doc,
                        in.tenant);
    result = vb_respond_json(request, 202, vb_render_queued());
out:
    json_decref(body);
    return result;
}

struct report_ctx {
    json_t *rows;
    bool failed;
};

/* Appends a rendered row (NULL: out of memory); non-zero to stop. */
static int append_row(struct report_ctx *ctx, json_t *row)
{
    if (!row || json_array_append_new(ctx->rows, row) != 0)
        ctx->failed = true;
    return ctx->failed;
}

static int add_report_row(void *ctx_, const char *query, uint64_t count,
                          int64_t last_us)
{
    return append_row(ctx_, vb_render_report_row(query, count, last_us));
}

/* GET /v1/analytics?kind=zero-results|top|no-open&from=&to=&limit= */
enum MHD_Result vb_handle_analytics(struct vb_request *request)
{
    static const char *const kinds[] = {"zero-results", "top", "no-open"};
    struct vb_fields fields;
    enum MHD_Result result;
    if (!vb_read_query(request, VB_FIELDS_ANALYTICS, &fields, &result) ||
        !analytics_ready(request, &result))
        return result;
    struct vb_check c = {.request = request, .fields = &fields};
    struct vb_checked in = {0};
    vb_check_utf8(&c);
    vb_check_tenant(&c, &in);
    const char *kind_text = NULL;
    size_t kind_len = 0;
    int kind = -1;
    if (vb_check_required(&c, VB_FIELD_KIND, &kind_text, &kind_len))
        for (int k = 0; k < 3; k++)
            if (strlen(kinds[k]) == kind_len &&
                memcmp(kinds[k], kind_text, kind_len) == 0)
                kind = k;
    if (!c.failed && kind < 0)
        vb_check_fail(&c, 400, VB_API_INVALID_PARAMETER, VB_FIELD_KIND,
                      "parameter 'kind' must be zero-results, top or no-open");
    /* Now to the microsecond: a search of this second is in. */
    int64_t to_us = vb_store_now_us();
    int64_t from_us = to_us - 30LL * 86400 * 1000000; /* the last 30 days */
    vb_check_time(&c, VB_FIELD_FROM, false, &from_us);
    vb_check_time(&c, VB_FIELD_TO, true, &to_us);
    uint32_t limit = 50;
    vb_check_number(&c, VB_FIELD_LIMIT, 1, 1000, &limit);
    if (c.failed)
        return c.result;
    struct report_ctx ctx = {.rows = json_array()};
    struct vb_error err = {0};
    enum vb_status st =
        ctx.rows ? vb_analytics_report(request->server->analytics,
                                       (enum vb_analytics_kind)kind, in.tenant,
                                       from_us, to_us, limit, add_report_row,
                                       &ctx, &err)
                 : VB_ENOMEM;
    if (st != VB_OK || ctx.failed) {
        json_decref(ctx.rows);
        return vb_respond_error(request, 503, VB_API_UNAVAILABLE, NULL, "%s",
                                st == VB_OK ? "out of memory" : err.msg);
    }
    return vb_respond_json(
        request, 200, vb_render_report(kinds[kind], from_us, to_us, ctx.rows));
}

/* POST /v1/feedback {"doc", "reason", "comment"?, "paragraph"?} */
enum MHD_Result vb_handle_feedback_add(struct vb_request *request)
{
    static const char *const reasons[] = {"wrong", "outdated", "unclear"};
    struct vb_fields fields;
    json_t *body = NULL;
    enum MHD_Result result = MHD_YES;
    if (!vb_read_body(request, VB_FIELDS_FEEDBACK, &fields, &body, &result) ||
        !analytics_ready(request, &result))
        goto out;
    struct vb_check c = {.request = request, .fields = &fields};
    struct vb_checked in = {0};
    vb_check_tenant(&c, &in);
    struct vb_feedback f = {.paragraph = -1,
                            .token =
                                request->token ? request->token->name : NULL,
                            .tenant = in.tenant};
    size_t doc_len = 0, reason_len = 0, comment_len = 0;
    if (vb_check_required(&c, VB_FIELD_DOC, &f.doc, &doc_len) &&
        !vb_document_id_ok(f.doc, doc_len))
        vb_check_fail(&c, 400, VB_API_INVALID_PARAMETER, VB_FIELD_DOC,
                      "field 'doc' is not a document id");
    bool known = false;
    if (vb_check_required(&c, VB_FIELD_REASON, &f.reason, &reason_len))
        for (int k = 0; k < 3; k++)
            known |= strcmp(f.reason, reasons[k]) == 0;
    if (!c.failed && !known)
        vb_check_fail(&c, 400, VB_API_INVALID_PARAMETER, VB_FIELD_REASON,
                      "field 'reason' must be wrong, outdated or unclear");
    if (!c.failed && fields.v[VB_FIELD_COMMENT].present &&
        vb_check_string(&c, VB_FIELD_COMMENT, &f.comment, &comment_len) &&
        comment_len > COMMENT_MAX)
        vb_check_fail(&c, 413, VB_API_TOO_LARGE, VB_FIELD_COMMENT,
                      "field 'comment' is %zu bytes; at most %d", comment_len,
                      COMMENT_MAX);
    uint32_t paragraph;
    if (vb_check_number(&c, VB_FIELD_PARAGRAPH, 0, 100000, &paragraph))
        f.paragraph = paragraph;
    if (c.failed) {
        result = c.result;
        goto out;
    }
    /* A flag is on an article that exists (never on history). */
    struct vb_pool *pool = request->server->pool;
    struct vb_worker *worker = NULL;
    struct vb_error err = {0};
    struct vb_document *doc = NULL;
    bool expired = false;
    enum vb_status st = vb_pool_checkout(pool, &worker, &err);
    if (st == VB_OK) {
        st = vb_search_get_document(worker->searcher, f.doc, NULL, in.tenant,
                                    &doc, &expired, &err);
        vb_pool_checkin(pool, worker,
                        st != VB_ENOTFOUND && vb_status_index_trouble(st));
    }
    vb_document_free(doc);
    if (st == VB_ENOTFOUND) {
        result = vb_respond_error(request, 404, VB_API_NOT_FOUND, "doc",
                                  "no article with id '%s'", f.doc);
        goto out;
    }
    if (st != VB_OK) {
        result =
            vb_respond_failure(request, st, &err, "the index cannot be read");
        goto out;
    }
    int64_t id = 0;
    st = vb_feedback_add(request->server->analytics, &f, &id, &err);
    result = st == VB_OK ? vb_respond_json(request, 201,
                                           vb_render_feedback_state(id, "open"))
                         : vb_respond_error(request, 503, VB_API_UNAVAILABLE,
                                            NULL, "%s", err.msg);
out:
    json_decref(body);
    return result;
}

static int add_feedback_row(void *ctx_, const struct vb_feedback *f)
{
    return append_row(ctx_, vb_render_feedback(f));
}

/* GET /v1/feedback?state=open|resolved|all&limit= */
enum MHD_Result vb_handle_feedback_list(struct vb_request *request)
{
    struct vb_fields fields;
    enum MHD_Result result;
    if (!vb_read_query(request, VB_FIELDS_FEEDBACK_LIST, &fields, &result) ||
        !analytics_ready(request, &result))
        return result;
    struct vb_check c = {.request = request, .fields = &fields};
    struct vb_checked in = {0};
    vb_check_utf8(&c);
    vb_check_tenant(&c, &in);
    const char *state = "open";
    size_t state_len;
    if (!c.failed && fields.v[VB_FIELD_STATE].present &&
        vb_check_string(&c, VB_FIELD_STATE, &state, &state_len) &&
        strcmp(state, "open") != 0 && strcmp(state, "resolved") != 0 &&
        strcmp(state, "all") != 0)
        vb_check_fail(&c, 400, VB_API_INVALID_PARAMETER, VB_FIELD_STATE,
                      "parameter 'state' must be open, resolved or all");
    uint32_t limit = 100;
    vb_check_number(&c, VB_FIELD_LIMIT, 1, 1000, &limit);
    if (c.failed)
        return c.result;
    struct report_ctx ctx = {.rows = json_array()};
    struct vb_error err = {0};
    enum vb_status st =
        ctx.rows
            ? vb_feedback_list(request->server->analytics,
                               strcmp(state, "all") == 0 ? NULL : state,
                               in.tenant, limit, add_feedback_row, &ctx, &err)
            : VB_ENOMEM;
    if (st != VB_OK || ctx.failed) {
        json_decref(ctx.rows);
        return vb_respond_error(request, 503, VB_API_UNAVAILABLE, NULL, "%s",
                                st == VB_OK ? "out of memory" : err.msg);
    }
    return vb_respond_json(request, 200, vb_render_entries(NULL, ctx.rows));
}

/* POST /v1/feedback/{n}/resolve */
enum MHD_Result vb_handle_feedback_resolve(struct vb_request *request)
{
    struct vb_fields fields;
    json_t *body = NULL;
    enum MHD_Result result = MHD_YES;
    /* The body may be empty or {}: nothing to say. */
    if (request->body_len > 0 &&
        !vb_read_body(request, 0, &fields, &body, &result))
        goto out;
    /* ?tenant=: whose flag it is (a token for one client: its own). */
    struct vb_fields query;
    if (!vb_read_query(request, VB_FIELDS_RESOLVE, &query, &result) ||
        !analytics_ready(request, &result))
        goto out;
    struct vb_check c = {.request = request, .fields = &query};
    struct vb_checked in = {0};
    vb_check_tenant(&c, &in);
    if (c.failed) {
        result = c.result;
        goto out;
    }
    size_t digits = strspn(request->path_arg, "0123456789");
    if (digits == 0 || digits > 12 || digits != request->path_arg_len) {
        char shown[40];
        result =
            vb_respond_error(request, 400, VB_API_INVALID_PARAMETER, "n",
                             "'%s' is not a feedback number",
                             vb_quote(shown, sizeof shown, request->path_arg,
                                      request->path_arg_len));
        goto out;
    }
    int64_t id = strtoll(request->path_arg, NULL, 10);
    struct vb_error err = {0};
    enum vb_status st =
        vb_feedback_resolve(request->server->analytics, id, in.tenant,
                            request->token ? request->token->name : NULL, &err);
    if (st == VB_ENOTFOUND)
        result = vb_respond_error(request, 404, VB_API_NOT_FOUND, "n", "%s",
                                  err.msg);
    else if (st != VB_OK)
        result = vb_respond_error(request, 503, VB_API_UNAVAILABLE, NULL, "%s",
                                  err.msg);
    else
        result = vb_respond_json(request, 200,
                                 vb_render_feedback_state(id, "resolved"));
out:
    json_decref(body);
    return result;
}

/* ---- GET /v1/review?before=DATE -------------------------------------------
 */

static int add_due(void *ctx_, const struct vb_search_due_item *item)
{
    return append_row(ctx_, vb_render_due(item));
}

/* The articles due for review or expiring on or before `before` (default:
 * today), by owner. */
enum MHD_Result vb_handle_review(struct vb_request *request)
{
    struct vb_fields fields;
    enum MHD_Result result;
    if (!vb_read_query(request, VB_FIELDS_REVIEW, &fields, &result))
        return result;
    struct vb_check c = {.request = request, .fields = &fields};
    struct vb_checked in = {0};
    vb_check_utf8(&c);
    vb_check_tenant(&c, &in);
    int64_t before_us = (int64_t)time(NULL) * 1000000;
    vb_check_time(&c, VB_FIELD_BEFORE, true, &before_us);
    if (c.failed)
        return c.result;
    char before[16];
    time_t seconds = (time_t)(before_us / 1000000);
    struct tm day;
    /* A given date stands as given; "today" is the server's. */
    if (fields.v[VB_FIELD_BEFORE].present)
        gmtime_r(&seconds, &day);
    else
        localtime_r(&seconds, &day);
    strftime(before, sizeof before, "%Y-%m-%d", &day);

    struct vb_pool *pool = request->server->pool;
    struct vb_worker *worker = NULL;
    struct vb_error err = {0};
    struct report_ctx ctx = {.rows = json_array()};
    enum vb_status st = ctx.rows
                            ? vb_pool_checkout(pool, &worker, &err)
                            : vb_error_set(&err, VB_ENOMEM, "out of memory");
    if (st == VB_OK) {
        st = vb_search_due(worker->searcher, before, in.tenant, add_due, &ctx,
                           &err);
        vb_pool_checkin(pool, worker, vb_status_index_trouble(st));
    }
    if (st != VB_OK || ctx.failed) {
        json_decref(ctx.rows);
        return st != VB_OK ? vb_respond_failure(request, st, &err,
                                                "the index cannot be read")
                           : vb_respond_error(request, 500, VB_API_INTERNAL,
                                              NULL, "out of memory");
    }
    return vb_respond_json(request, 200, vb_render_entries(before, ctx.rows));
}
