/* routes.c — the routing table: every route of the API with its method,
 * path, what it is counted as, the least role that may call it, the
 * largest body it takes and its handler; and how a path finds its row.
 * The order matters where patterns overlap: the first row whose path
 * matches decides the resource, so literals come before "/{file}". */
#include <stdio.h>
#include <string.h>

#include "searchd_int.h"

#define SEARCH_BODY_MAX (16 * 1024)
#define SUGGEST_BODY_MAX (512 * 1024)
#define SMALL_BODY_MAX (16 * 1024) /* feedback, opens */
#define DOC_BODY_MAX                                                           \
    (4 * 1024 * 1024) /* one document: up to 1 MiB of text,                    \
                         escaped */
#define BULK_BODY_MAX                                                          \
    (64 * 1024 * 1024) /* POST /v1/docs: one JSON line per                     \
                          document */

/* The order matters where patterns overlap: the first row whose path
 * matches decides the resource, so literals come before "/{file}". */
/* The role column is Contract 5's: what each role may do once tokens
 * are configured.  /metrics is VB_ROLE_AGENT unless `metrics = open`. */
static const struct vb_route routes[] = {
    {"GET", "/v1/search", VB_ENDPOINT_SEARCH, VB_ROLE_AGENT, 0,
     vb_handle_search, false},
    {"POST", "/v1/search", VB_ENDPOINT_SEARCH, VB_ROLE_AGENT, SEARCH_BODY_MAX,
     vb_handle_search, false},
    {"POST", "/v1/suggest", VB_ENDPOINT_SUGGEST, VB_ROLE_AGENT,
     SUGGEST_BODY_MAX, vb_handle_suggest, false},
    {"GET", "/v1/docs/{id}", VB_ENDPOINT_DOCS, VB_ROLE_AGENT, 0,
     vb_handle_document, false},
    {"PUT", "/v1/docs/{id}", VB_ENDPOINT_DOCS, VB_ROLE_EDITOR, DOC_BODY_MAX,
     vb_handle_document_put, false},
    {"DELETE", "/v1/docs/{id}", VB_ENDPOINT_DOCS, VB_ROLE_EDITOR, 0,
     vb_handle_document_delete, false},
    /* A bulk of documents is JSON Lines (as Elasticsearch's _bulk). */
    {"POST", "/v1/docs", VB_ENDPOINT_DOCS, VB_ROLE_EDITOR, BULK_BODY_MAX,
     vb_handle_documents_bulk, true},
    {"GET", "/v1/analyze", VB_ENDPOINT_ANALYZE, VB_ROLE_AGENT, 0,
     vb_handle_analyze, false},
    {"POST", "/v1/analytics/open", VB_ENDPOINT_ANALYTICS, VB_ROLE_AGENT,
     SMALL_BODY_MAX, vb_handle_analytics_open, false},
    {"GET", "/v1/analytics", VB_ENDPOINT_ANALYTICS, VB_ROLE_EDITOR, 0,
     vb_handle_analytics, false},
    {"POST", "/v1/feedback", VB_ENDPOINT_FEEDBACK, VB_ROLE_AGENT,
     SMALL_BODY_MAX, vb_handle_feedback_add, false},
    {"GET", "/v1/feedback", VB_ENDPOINT_FEEDBACK, VB_ROLE_EDITOR, 0,
     vb_handle_feedback_list, false},
    {"POST", "/v1/feedback/{n}/resolve", VB_ENDPOINT_FEEDBACK, VB_ROLE_EDITOR,
     SMALL_BODY_MAX, vb_handle_feedback_resolve, false},
    {"GET", "/v1/review", VB_ENDPOINT_FEEDBACK, VB_ROLE_EDITOR, 0,
     vb_handle_review, false},
    {"GET", "/v1/audit", VB_ENDPOINT_AUDIT, VB_ROLE_ADMIN, 0, vb_handle_audit,
     false},
    {"DELETE", "/v1/customers/{id}", VB_ENDPOINT_CUSTOMERS, VB_ROLE_ADMIN, 0,
     vb_handle_erase_customer, false},
    {"GET", "/v1/health", VB_ENDPOINT_HEALTH, VB_ROLE_NONE, 0, vb_handle_health,
     false},
    {"GET", "/v1/health/live", VB_ENDPOINT_HEALTH, VB_ROLE_NONE, 0,
     vb_handle_health_live, false},
    {"GET", "/v1/health/ready", VB_ENDPOINT_HEALTH, VB_ROLE_NONE, 0,
     vb_handle_health_ready, false},
    {"GET", "/metrics", VB_ENDPOINT_METRICS, VB_ROLE_AGENT, 0,
     vb_handle_metrics, false},
    {"GET", "/", VB_ENDPOINT_STATIC, VB_ROLE_NONE, 0, vb_handle_static, false},
    {"GET", "/widget.js", VB_ENDPOINT_STATIC, VB_ROLE_NONE, 0, vb_handle_static,
     false},
    {"GET", "/editor", VB_ENDPOINT_STATIC, VB_ROLE_NONE, 0, vb_handle_static,
     false},
    {"GET", "/{file}", VB_ENDPOINT_STATIC, VB_ROLE_NONE, 0, vb_handle_static,
     false},
};
#define ROUTE_COUNT (sizeof routes / sizeof routes[0])

size_t vb_searchd_routes(struct vb_searchd_route *out, size_t cap)
{
    for (size_t i = 0; i < ROUTE_COUNT && i < cap; i++) {
        out[i].method = routes[i].method;
        out[i].path = routes[i].path;
    }
    return ROUTE_COUNT;
}

bool vb_route_path_matches(const char *pattern, const char *path,
                           const char **arg, size_t *arg_len)
{
    const char *found = NULL;
    size_t found_len = 0;
    while (*pattern && *path) {
        if (*pattern == '{') {
            size_t n = strcspn(path, "/");
            if (n == 0)
                return false;
            if (!found) {
                found = path;
                found_len = n;
            }
            path += n;
            pattern = strchr(pattern, '}');
            if (!pattern)
                return false;
            pattern++;
            continue;
        }
        if (*pattern != *path)
            return false;
        pattern++;
        path++;
    }
    if (*pattern || *path)
        return false;
    if (found) {
        *arg = found;
        *arg_len = found_len;
    }
    return true;
}

void vb_route_allow(const char *pattern, char *out, size_t cap)
{
    bool get = false, post = false, put = false, delete = false;
    for (size_t i = 0; i < ROUTE_COUNT; i++) {
        if (strcmp(routes[i].path, pattern) != 0)
            continue;
        get |= strcmp(routes[i].method, "GET") == 0;
        post |= strcmp(routes[i].method, "POST") == 0;
        put |= strcmp(routes[i].method, "PUT") == 0;
        delete |= strcmp(routes[i].method, "DELETE") == 0;
    }
    snprintf(out, cap, "%s%s%s%sOPTIONS", get ? "GET, HEAD, " : "",
             post ? "POST, " : "", put ? "PUT, " : "",
             delete ? "DELETE, " : "");
}

const struct vb_route *vb_route_resource(const char *path, const char **arg,
                                         size_t *arg_len)
{
    for (size_t i = 0; i < ROUTE_COUNT; i++)
        if (vb_route_path_matches(routes[i].path, path, arg, arg_len))
            return &routes[i];
    return NULL;
}

const struct vb_route *vb_route_method(const char *resource, const char *method)
{
    for (size_t i = 0; i < ROUTE_COUNT; i++)
        if (strcmp(routes[i].path, resource) == 0 &&
            strcmp(routes[i].method, method) == 0)
            return &routes[i];
    return NULL;
}
