/* privacy.c — what touches customer history (Contract 5): the ticket a
 * request must carry, the audit row it must leave before its answer, the
 * audit log for the data protection officer (/v1/audit, JSON or CSV),
 * and erasure (DELETE /v1/customers/{id}).  api.c checks the parameters;
 * the rules are here. */
#include <inttypes.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vb_indexer.h"

#include "searchd_int.h"

/* Longest query text kept in an audit row (a suggest text can be 64 KiB
 * of conversation; the row needs enough to say what was asked). */
#define AUDIT_QUERY_MAX 1024

/* ---- Tickets -------------------------------------------------------------- */

bool vb_request_ticket(struct vb_request *request, const char *customer,
                       char agent[VB_SEARCHD_NAME_MAX + 1],
                       enum MHD_Result *result)
{
    agent[0] = '\0';
    struct vb_access *access = request->policy->access;
    if (!vb_access_tickets_required(access))
        return true;
    const char *ticket = MHD_lookup_connection_value(
        request->connection, MHD_HEADER_KIND, "X-Vraagbaak-Ticket");
    if (!ticket || !*ticket) {
        *result = vb_respond_error(request, 403, VB_API_TICKET_REQUIRED, NULL,
                                   "customer history needs a ticket for "
                                   "this customer from the CRM "
                                   "(X-Vraagbaak-Ticket)");
        return false;
    }
    switch (vb_access_check_ticket(access, ticket, customer, request->tenant,
                                   agent)) {
    case VB_TICKET_OK:
        return true;
    case VB_TICKET_EXPIRED:
        *result = vb_respond_error(request, 403, VB_API_TICKET_EXPIRED, NULL,
                                   "the customer ticket has expired; the CRM "
                                   "must issue a new one");
        return false;
    case VB_TICKET_WRONG_CUSTOMER:
        *result = vb_respond_error(request, 403, VB_API_TICKET_WRONG_CUSTOMER,
                                   "customer",
                                   "the customer ticket is for another "
                                   "customer");
        return false;
    case VB_TICKET_WRONG_TENANT:
        *result = vb_respond_error(request, 403, VB_API_TICKET_WRONG_TENANT,
                                   "tenant",
                                   "the customer ticket is for a customer of "
                                   "another client (tenant)");
        return false;
    case VB_TICKET_INVALID:
        break;
    }
    *result = vb_respond_error(request, 403, VB_API_TICKET_INVALID, NULL,
                               "the customer ticket is not valid (not "
                               "issued with this server's ticket secret, "
                               "or altered)");
    return false;
}

/* ---- Audit rows ------------------------------------------------------------ */

/* The client's address as text ("" when unknown). */
static void client_address(struct vb_request *request, char *out, size_t cap)
{
    out[0] = '\0';
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(
        request->connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr)
        return;
    socklen_t len = info->client_addr->sa_family == AF_INET6
                        ? sizeof(struct sockaddr_in6)
                        : sizeof(struct sockaddr_in);
    if (getnameinfo(info->client_addr, len, out, (socklen_t)cap, NULL, 0,
                    NI_NUMERICHOST) != 0)
        out[0] = '\0';
}

/* How many bytes of text[0..len) fit in `max` without cutting a UTF-8
 * character in two. */
static size_t utf8_cut(const char *text, size_t len, size_t max)
{
    if (len <= max)
        return len;
    while (max > 0 && ((unsigned char)text[max] & 0xC0) == 0x80)
        max--;
    return max;
}

enum vb_status vb_request_audit(struct vb_request *request,
                                const char *customer, const char *agent,
                                const char *query, size_t query_len,
                                uint64_t hits, struct vb_error *err)
{
    char route[64], client[64];
    snprintf(route, sizeof route, "%s %s", request->route->method,
             request->route->path);
    client_address(request, client, sizeof client);
    char *text = NULL;
    if (query) {
        size_t n = utf8_cut(query, query_len, AUDIT_QUERY_MAX);
        text = vb_arena_strndup(request->arena, query, n);
        if (!text)
            return vb_error_set(err, VB_ENOMEM, "out of memory");
    }
    struct vb_audit_entry entry = {
        .token = request->token ? request->token->name : NULL,
        .agent = agent && agent[0] ? agent : NULL,
        .customer = customer,
        .route = route,
        .query = text,
        .hits = hits,
        .client = client[0] ? client : NULL,
        .tenant = request->tenant,
    };
    return vb_audit_write(request->server->audit, &entry, err);
}

/* ---- GET /v1/audit ------------------------------------------------------------ */

struct audit_out {
    bool csv;
    json_t *entries;     /* JSON */
    char *text;          /* CSV */
    size_t len, cap;
    bool failed;
};

static void csv_append(struct audit_out *out, const char *s, size_t n)
{
    if (out->failed)
        return;
    if (out->len + n + 1 > out->cap) {
        size_t cap = (out->cap + n + 1) * 2;
        char *grown = realloc(out->text, cap);
        if (!grown) {
            out->failed = true;
            return;
        }
        out->text = grown;
        out->cap = cap;
    }
    memcpy(out->text + out->len, s, n);
    out->len += n;
    out->text[out->len] = '\0';
}

/* One CSV field (RFC 4180 quoting).  A text that a spreadsheet would
 * take for a formula (= + - @ at the start) gets a leading apostrophe:
 * a query typed by an agent must not run in the DPO's spreadsheet. */
static void csv_field(struct audit_out *out, const char *s, bool last)
{
    if (s) {
        csv_append(out, "\"", 1);
        if (s[0] && strchr("=+-@\t\r", s[0]))
            csv_append(out, "'", 1);
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                csv_append(out, "\"", 1);
            csv_append(out, p, 1);
        }
        csv_append(out, "\"", 1);
    }
    csv_append(out, last ? "\r\n" : ",", last ? 2 : 1);
}

static int add_row(void *ctx, const struct vb_audit_entry *row)
{
    struct audit_out *out = ctx;
    if (out->csv) {
        char time[40], hits[24];
        vb_format_time(row->time_us, time, sizeof time);
        snprintf(hits, sizeof hits, "%" PRIu64, row->hits);
        csv_field(out, time, false);
        csv_field(out, row->token, false);
        csv_field(out, row->agent, false);
        csv_field(out, row->customer, false);
        csv_field(out, row->route, false);
        csv_field(out, row->query, false);
        csv_field(out, hits, false);
        csv_field(out, row->client, false);
        csv_field(out, row->tenant, true);
        return out->failed;
    }
    json_t *o = vb_render_audit_row(row);
    if (!o || json_array_append_new(out->entries, o) != 0)
        out->failed = true;
    return out->failed;
}

/* Whether the client asked for CSV (Accept: text/csv). */
static bool wants_csv(struct vb_request *request)
{
    const char *accept = MHD_lookup_connection_value(
        request->connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    for (const char *p = accept; p && *p; p++)
        if (strncasecmp(p, "text/csv", 8) == 0)
            return true;
    return false;
}

enum MHD_Result vb_respond_audit(struct vb_request *request,
                                 const struct vb_audit_filter *filter)
{
    struct audit_out out = {.csv = wants_csv(request)};
    static const char header[] =
        "time,token,agent,customer,route,query,hits,client,tenant\r\n";
    if (out.csv)
        csv_append(&out, header, sizeof header - 1);
    else
        out.entries = json_array();
    uint64_t total = 0;
    struct vb_error err = {0};
    enum vb_status st = vb_audit_query(request->server->audit, filter, add_row,
                                       &out, &total, &err);
    enum MHD_Result result;
    if (st != VB_OK) {
        result = vb_respond_error(request, 503, VB_API_AUDIT_UNAVAILABLE, NULL,
                                  "%s", err.msg);
    } else if (out.failed || (!out.csv && !out.entries)) {
        result = vb_respond_error(request, 500, VB_API_INTERNAL, NULL,
                                  "out of memory");
    } else if (out.csv) {
        struct MHD_Response *response =
            MHD_create_response_from_buffer_with_free_callback(out.len,
                                                               out.text, free);
        if (!response)
            return MHD_NO;
        out.text = NULL;
        char count[24];
        snprintf(count, sizeof count, "%" PRIu64, total);
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
                                "text/csv; charset=utf-8");
        MHD_add_response_header(response, MHD_HTTP_HEADER_CACHE_CONTROL,
                                "no-store");
        MHD_add_response_header(response, "X-Total-Count", count);
        result = vb_respond(request, 200, response);
    } else {
        json_t *root = vb_render_audit(out.entries, total);
        result = vb_respond_json(request, 200, root);
    }
    json_decref(out.entries);
    free(out.text);
    return result;
}

/* ---- DELETE /v1/customers/{id} ----------------------------------------------- */

enum MHD_Result vb_erase_customer(struct vb_request *request,
                                  const char *customer)
{
    struct vb_searchd *server = request->server;
    uint64_t erased = 0;
    struct vb_error err = {0};
    enum vb_status st = vb_indexer_erase_customer(
        server->index_dir, customer, request->tenant, &erased, &err);
    if (st == VB_EINVAL)
        return vb_respond_error(request, 400, VB_API_INVALID_PARAMETER, "id",
                                "%s", err.msg);
    if (st != VB_OK)
        return vb_respond_error(request, 503, VB_API_UNAVAILABLE, NULL,
                                "nothing was erased: %s", err.msg);
    /* The record of the erasure: who, when, whom, how many; nothing of
     * what was erased. */
    st = vb_request_audit(request, customer, NULL, NULL, 0, erased, &err);
    if (st != VB_OK)
        return vb_respond_error(request, 500, VB_API_AUDIT_UNAVAILABLE, NULL,
                                "%" PRIu64 " events of customer %s were "
                                "erased, but the audit log could not record "
                                "it: %s",
                                erased, customer, err.msg);
    return vb_respond_json(request, 200, vb_render_erased(customer, erased));
}
