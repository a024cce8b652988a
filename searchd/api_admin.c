/* api_admin.c — the operator's and the privacy officer's routes: GET
 * /v1/health (and its live and ready forms for orchestration), GET
 * /metrics, GET /v1/audit, DELETE /v1/customers/{id}. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vb_document.h"

#include "searchd_int.h"

#define AUDIT_LIMIT_DEFAULT 100
#define AUDIT_LIMIT_MAX 10000

/* ---- GET /v1/health, /v1/health/live, /v1/health/ready --------------------
 *
 * /v1/health/live: the process answers (a supervisor restarts one that
 * does not).  /v1/health/ready: it can serve everything, history
 * included: the index can be read and holds documents, and the audit log
 * can be written (a load balancer drains a node that cannot).
 * /v1/health: the index, with what is degraded as warnings. */

/* The index's state, read by a searcher of the pool. */
static enum vb_status index_stats(struct vb_searchd *server,
                                  struct vb_index_state *ix,
                                  struct vb_error *err)
{
    *ix = (struct vb_index_state){0};
    struct vb_worker *worker = NULL;
    enum vb_status status = vb_pool_checkout(server->pool, &worker, err);
    if (status == VB_OK) {
        status = vb_searcher_stats(worker->searcher, &ix->documents,
                                   &ix->revision, err);
        if (status == VB_OK)
            ix->shards_down =
                vb_searcher_partial(worker->searcher, &ix->partial);
        vb_pool_checkin(server->pool, worker, vb_status_index_trouble(status));
    }
    ix->up = status == VB_OK;
    return status;
}

/* The index's state; false after answering 503 when it cannot be read or
 * holds no document. */
static bool index_serves(struct vb_request *request, struct vb_index_state *ix,
                         enum MHD_Result *result)
{
    struct vb_error err = {0};
    if (index_stats(request->server, ix, &err) != VB_OK) {
        *result = vb_respond_error(request, 503, VB_API_UNAVAILABLE, NULL,
                                   "the index cannot be read: %s", err.msg);
        return false;
    }
    /* An index without documents (a first build that has not run, or
     * failed) is not one agents can use: say so, not "ok". */
    if (ix->documents == 0 && ix->shards_down) {
        *result = vb_respond_error(request, 503, VB_API_UNAVAILABLE, NULL,
                                   "no shard answers: %s", ix->partial.msg);
        return false;
    }
    if (ix->documents == 0) {
        *result = vb_respond_error(request, 503, VB_API_UNAVAILABLE, NULL,
                                   "the index holds no documents yet (build "
                                   "it with vraagbaak-indexer)");
        return false;
    }
    return true;
}

/* Whether the audit log can be written; otherwise *problem says why. */
static bool audit_writable(struct vb_request *request, struct vb_error *problem)
{
    struct vb_error audit;
    if (!vb_audit_problem(request->server->audit, &audit))
        return true;
    snprintf(problem->msg, sizeof problem->msg,
             "the audit log cannot be written, so customer history is "
             "refused: %.160s",
             audit.msg);
    return false;
}

enum MHD_Result vb_handle_health(struct vb_request *request)
{
    struct vb_fields fields;
    enum MHD_Result result;
    struct vb_index_state ix;
    struct vb_error problems[3];
    size_t problem_count = 0;
    if (!vb_read_query(request, 0, &fields, &result) ||
        !index_serves(request, &ix, &result))
        return result;
    /* A synonym file that could not be read is not fatal (the previous
     * synonyms stay), nor is an audit log that cannot be written (history
     * is refused, articles are served), nor a shard that is down (the
     * answers leave it out, and say so), but the operator should see
     * them. */
    if (ix.shards_down)
        problems[problem_count++] = ix.partial;
    if (vb_search_engine_problem(request->server->engine,
                                 &problems[problem_count]))
        problem_count++;
    if (!audit_writable(request, &problems[problem_count]))
        problem_count++;
    return vb_respond_json(request, 200,
                           vb_render_health("ok", ix.documents, ix.revision,
                                            problems, problem_count));
}

enum MHD_Result vb_handle_health_live(struct vb_request *request)
{
    struct vb_fields fields;
    enum MHD_Result result;
    if (!vb_read_query(request, 0, &fields, &result))
        return result;
    return vb_respond_json(request, 200, vb_render_live());
}

enum MHD_Result vb_handle_health_ready(struct vb_request *request)
{
    struct vb_fields fields;
    enum MHD_Result result;
    struct vb_index_state ix;
    struct vb_error problem;
    if (!vb_read_query(request, 0, &fields, &result) ||
        !index_serves(request, &ix, &result))
        return result;
    if (!audit_writable(request, &problem))
        return vb_respond_error(request, 503, VB_API_AUDIT_UNAVAILABLE, NULL,
                                "not ready: %s", problem.msg);
    return vb_respond_json(
        request, 200,
        vb_render_health("ready", ix.documents, ix.revision, NULL, 0));
}

/* ---- GET /v1/audit ---------------------------------------------------------
 */

enum MHD_Result vb_handle_audit(struct vb_request *request)
{
    struct vb_fields fields;
    enum MHD_Result result;
    if (!vb_read_query(request, VB_FIELDS_AUDIT, &fields, &result))
        return result;
    struct vb_check c = {.request = request, .fields = &fields};
    struct vb_checked in = {0};
    struct vb_audit_filter filter = {
        .from_us = INT64_MIN, .to_us = INT64_MAX, .limit = AUDIT_LIMIT_DEFAULT};
    vb_check_utf8(&c);
    vb_check_customer(&c, &in);
    vb_check_tenant(&c, &in);
    filter.customer = in.customer;
    filter.tenant = in.tenant;
    const char *agent;
    size_t agent_len;
    if (!c.failed && fields.v[VB_FIELD_AGENT].present &&
        vb_check_string(&c, VB_FIELD_AGENT, &agent, &agent_len)) {
        if (!vb_access_name_ok(agent, agent_len))
            vb_check_fail(&c, 400, VB_API_INVALID_PARAMETER, VB_FIELD_AGENT,
                          "parameter 'agent' must be an agent name (1 to %d of "
                          "A-Z a-z 0-9 . _ -)",
                          VB_SEARCHD_NAME_MAX);
        filter.agent = agent;
    }
    vb_check_time(&c, VB_FIELD_FROM, false, &filter.from_us);
    vb_check_time(&c, VB_FIELD_TO, true, &filter.to_us);
    vb_check_number(&c, VB_FIELD_LIMIT, 1, AUDIT_LIMIT_MAX, &filter.limit);
    vb_check_number(&c, VB_FIELD_OFFSET, 0, UINT32_MAX / 2, &filter.offset);
    if (c.failed)
        return c.result;
    return vb_respond_audit(request, &filter);
}

/* ---- DELETE /v1/customers/{id} ---------------------------------------------
 */

enum MHD_Result vb_handle_erase_customer(struct vb_request *request)
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
    if (!vb_document_customer_ok(request->path_arg, request->path_arg_len)) {
        char shown[80];
        return vb_respond_error(
            request, 400, VB_API_INVALID_PARAMETER, "id",
            "'%s' is not a customer id (" VB_DOC_CUSTOMER_RULE ")",
            vb_quote(shown, sizeof shown, request->path_arg,
                     request->path_arg_len));
    }
    return vb_erase_customer(request, request->path_arg);
}

/* ---- GET /metrics ---------------------------------------------------------
 */

enum MHD_Result vb_handle_metrics(struct vb_request *request)
{
    struct vb_searchd *server = request->server;
    struct vb_index_state ix;
    struct vb_error err = {0};
    index_stats(server, &ix, &err);
    struct vb_audit_counts audit;
    vb_audit_get_counts(server->audit, &audit);
    uint64_t written, dropped;
    vb_analytics_counts(server->analytics, &written, &dropped);
    size_t len = 0;
    char *text = vb_metrics_render(&server->metrics, &ix, &audit, written,
                                   dropped, &len);
    if (!text)
        return vb_respond_error(request, 500, VB_API_INTERNAL, NULL,
                                "out of memory");
    struct MHD_Response *response =
        MHD_create_response_from_buffer_with_free_callback(len, text, free);
    if (!response) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
                            "text/plain; version=0.0.4; charset=utf-8");
    MHD_add_response_header(response, MHD_HTTP_HEADER_CACHE_CONTROL,
                            "no-store");
    return vb_respond(request, 200, response);
}
