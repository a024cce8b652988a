/* request.c — the life of a request in libmicrohttpd's callbacks: its
 * state from the raw target on (arena, deadline), the checks made as soon
 * as its headers are in (route, framing, target and header sizes, Host,
 * token and role, body type and announced length), its body, and the
 * answer chosen once it is all in (404, 405, OPTIONS and CORS, or the
 * route's handler). */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "searchd_int.h"

/* Our own limits, well inside libmicrohttpd's memory (server.c), so that
 * what exceeds them gets a JSON answer, not libmicrohttpd's HTML one. */
#define TARGET_MAX (256 * 1024)   /* a 64 KiB analyze text, encoded */
#define TARGET_SEPARATORS_MAX 256 /* '&': each costs libmicrohttpd memory */
#define HEADERS_MAX (64 * 1024)

/* ---- CORS ------------------------------------------------------------------
 */

static bool origin_allowed(const struct vb_policy *policy, const char *origin)
{
    /* "null" is the origin of sandboxed frames and file: pages, which
     * any site can make: '*' does not mean those. */
    if (policy->cors_any)
        return strcmp(origin, "null") != 0;
    for (size_t i = 0; i < policy->cors_origin_count; i++)
        if (strcasecmp(policy->cors_origins[i], origin) == 0)
            return true;
    return false;
}

/* OPTIONS on a known resource: the methods, and for a preflight from an
 * allowed origin the CORS answer (other origins get no CORS headers, so
 * the browser refuses the call). */
static enum MHD_Result respond_options(struct vb_request *request,
                                       const char *allow)
{
    struct MHD_Response *response =
        MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!response)
        return MHD_NO;
    MHD_add_response_header(response, MHD_HTTP_HEADER_ALLOW, allow);
    const char *wanted = MHD_lookup_connection_value(
        request->connection, MHD_HEADER_KIND, "Access-Control-Request-Method");
    if (request->origin && wanted) {
        MHD_add_response_header(response, "Access-Control-Allow-Methods",
                                "GET, POST, PUT, DELETE");
        MHD_add_response_header(response, "Access-Control-Allow-Headers",
                                "Content-Type, Authorization, "
                                "X-Vraagbaak-Ticket, If-Match");
        MHD_add_response_header(response, "Access-Control-Max-Age", "600");
    }
    return vb_respond(request, 204, response);
}

/* ---- Request state ----------------------------------------------------------
 */

/* Called by libmicrohttpd with the raw request target before anything
 * else; what it returns becomes the request's state (*con_cls), freed in
 * vb_request_on_completed.  The raw target is the only place where an encoded
 * NUL in the path can be seen: the decoded path is a C string. */
void *vb_request_on_uri(void *cls, const char *uri,
                        struct MHD_Connection *connection)
{
    (void)connection;
    struct vb_arena *arena = vb_arena_new(4096);
    if (!arena)
        return NULL;
    struct vb_request *request = vb_arena_alloc(arena, sizeof *request);
    memset(request, 0, sizeof *request);
    request->arena = arena;
    request->server = cls;
    request->policy = vb_policy_take(request->server);
    request->endpoint = VB_ENDPOINT_OTHER;
    request->error = -1;
    request->hits = -1;
    clock_gettime(CLOCK_MONOTONIC, &request->started);
    request->target_len = strlen(uri);
    for (const char *p = strchr(uri, '&'); p; p = strchr(p + 1, '&'))
        request->target_separators++;
    size_t path_len = strcspn(uri, "?");
    for (size_t i = 0; i + 2 < path_len; i++)
        if (uri[i] == '%' && uri[i + 1] == '0' && uri[i + 2] == '0')
            request->path_has_nul = true;
    return request;
}

/* The deadline slot of a connection (deadline.c), or NULL. */
static struct vb_deadline *deadline_of(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}

/* A connection opens or closes: its deadline slot. */
void vb_request_on_connection(void *cls, struct MHD_Connection *connection,
                              void **socket_context,
                              enum MHD_ConnectionNotificationCode code)
{
    struct vb_searchd *server = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *info = MHD_get_connection_info(
            connection, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context =
            info ? vb_deadline_open(server->deadlines, info->connect_fd) : NULL;
    } else {
        vb_deadline_close(server->deadlines, *socket_context);
        *socket_context = NULL;
    }
}

void vb_request_on_completed(void *cls, struct MHD_Connection *connection,
                             void **con_cls,
                             enum MHD_RequestTerminationCode toe)
{
    (void)toe;
    struct vb_searchd *server = cls;
    /* Kept alive: the next request's headers are awaited. */
    vb_deadline_await(server->deadlines, deadline_of(connection),
                      VB_DEADLINE_HEADERS);
    struct vb_request *request = *con_cls;
    if (request) {
        vb_policy_release(server, request->policy);
        vb_arena_free(request->arena);
    }
    *con_cls = NULL;
}

/* Whether the request's Content-Type is application/json (parameters
 * such as charset allowed). */
static bool content_type_is(struct MHD_Connection *connection,
                            const char *wanted)
{
    const char *type = MHD_lookup_connection_value(
        connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!type)
        return false;
    while (*type == ' ' || *type == '\t')
        type++;
    size_t n = strlen(wanted);
    if (strncasecmp(type, wanted, n) != 0)
        return false;
    char next = type[n];
    return next == '\0' || next == ';' || next == ' ' || next == '\t';
}

uint64_t vb_request_client(struct vb_request *request)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(
        request->connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const unsigned char *p = NULL;
    size_t n = 0;
    if (info && info->client_addr && info->client_addr->sa_family == AF_INET) {
        p = (const unsigned char *)&(
                (const struct sockaddr_in *)info->client_addr)
                ->sin_addr;
        n = 4;
    } else if (info && info->client_addr &&
               info->client_addr->sa_family == AF_INET6) {
        p = (const unsigned char *)&(
                (const struct sockaddr_in6 *)info->client_addr)
                ->sin6_addr;
        n = 16;
    }
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211u;
    for (const char *t = request->token ? request->token->name : ""; *t; t++)
        h = (h ^ (unsigned char)*t) * 1099511628211u;
    return h;
}

/* ---- Host and access ---------------------------------------------------- */

/* Whether the Host header names this server (DNS rebinding: a page on
 * evil.example whose name now resolves to us sends Host: evil.example).
 * No Host at all (HTTP/1.0) is let through: a browser always sends one. */
static bool host_allowed(const struct vb_policy *policy,
                         struct MHD_Connection *connection)
{
    const char *host = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
                                                   MHD_HTTP_HEADER_HOST);
    if (!host)
        return true;
    size_t len = strlen(host);
    /* Drop the port: after "]" for an IPv6 literal, else after the one
     * colon. */
    const char *colon = host[0] == '[' ? strstr(host, "]:") : strchr(host, ':');
    if (colon)
        len = (size_t)(colon - host) + (host[0] == '[' ? 1 : 0);
    if (len > 0 && host[len - 1] == '.') /* "localhost." */
        len--;
    for (size_t i = 0; i < policy->server_name_count; i++)
        if (strlen(policy->server_names[i]) == len &&
            strncasecmp(policy->server_names[i], host, len) == 0)
            return true;
    return false;
}

/* Whether the request may go on; sets request->token from the
 * Authorization header.  When it may not, the answer is queued and
 * *result is its status: 401 without a token or with a wrong one (429
 * when that address sent many wrong ones), 403 when the token's role may
 * not call the route, 429 when the token is over its rate. */
static bool authorize(struct vb_request *request, enum MHD_Result *result)
{
    const struct vb_policy *policy = request->policy;
    enum vb_role needed = request->route->role;
    if (request->route->endpoint == VB_ENDPOINT_METRICS && policy->metrics_open)
        needed = VB_ROLE_NONE;
    if (needed == VB_ROLE_NONE || vb_access_open(policy->access))
        return true;

    const char *header = MHD_lookup_connection_value(
        request->connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    const struct vb_searchd_token *token = NULL;
    if (header && strncasecmp(header, "Bearer ", 7) == 0) {
        const char *secret = header + 7;
        while (*secret == ' ')
            secret++;
        size_t len = strlen(secret);
        while (len > 0 && secret[len - 1] == ' ')
            len--;
        token = vb_access_token(policy->access, secret, len);
    }
    unsigned retry_after = 0;
    if (!token) {
        /* Only a wrong token counts against the address: guessing, not
         * forgetting. */
        const union MHD_ConnectionInfo *info = MHD_get_connection_info(
            request->connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        bool slowed =
            header && !vb_access_failure_take(policy->access,
                                              info ? info->client_addr : NULL,
                                              &retry_after);
        *result = slowed ? vb_respond_too_many(request, retry_after,
                                               "too many requests with a "
                                               "wrong token from this address")
                         : vb_respond_unauthorized(request, header != NULL);
        return false;
    }
    request->token = token;
    if (token->role < needed) {
        *result = vb_respond_error(request, 403, VB_API_FORBIDDEN, NULL,
                                   "token '%s' (role %s) may not call %s %s; "
                                   "it needs the role %s",
                                   token->name, vb_role_name(token->role),
                                   request->route->method, request->route->path,
                                   vb_role_name(needed));
        return false;
    }
    if (!vb_access_rate_take(policy->access, token, &retry_after)) {
        *result = vb_respond_too_many(request, retry_after,
                                      "token over its rate limit");
        return false;
    }
    return true;
}

/* Counts the Content-Length and Transfer-Encoding headers. */
struct framing {
    unsigned lengths, encodings;
    const char *first_length;
    bool lengths_differ;
};

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind,
                                     const char *key, const char *value)
{
    (void)kind;
    struct framing *f = cls;
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
        if (f->lengths++ == 0)
            f->first_length = value;
        else if (strcmp(f->first_length, value) != 0)
            f->lengths_differ = true;
    } else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
        f->encodings++;
    }
    return MHD_YES;
}

/* A request whose body length two headers state differently is refused:
 * a proxy in front may read it one way and us the other (request
 * smuggling). */
static bool framing_ambiguous(struct MHD_Connection *connection)
{
    struct framing f = {0};
    MHD_get_connection_values(connection, MHD_HEADER_KIND, count_framing, &f);
    return f.lengths_differ || (f.lengths > 0 && f.encodings > 0) ||
           f.encodings > 1;
}

/* The first call for a request (headers read): find the route.  Only a
 * body we will refuse is answered now (413, 415), because an answer
 * queued this early makes libmicrohttpd close the connection; everything
 * else is answered in dispatch(), after the body, keeping the connection
 * alive for the next request. */
static enum MHD_Result add_header_bytes(void *cls, enum MHD_ValueKind kind,
                                        const char *key, size_t key_len,
                                        const char *value, size_t value_len)
{
    (void)kind;
    (void)key;
    (void)value;
    *(size_t *)cls += key_len + value_len + 4; /* ": " and CRLF */
    return MHD_YES;
}

static enum MHD_Result begin_request(struct vb_request *request)
{
    const struct vb_policy *policy = request->policy;
    struct MHD_Connection *connection = request->connection;
    const char *origin = MHD_lookup_connection_value(
        connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_ORIGIN);
    if (origin && origin_allowed(policy, origin))
        request->origin = origin;

    const struct vb_route *row = vb_route_resource(
        request->url, &request->path_arg, &request->path_arg_len);
    if (row) {
        request->resource = row->path;
        /* Until a method matches, count it under the resource. */
        request->endpoint = row->endpoint;
    }
    if (framing_ambiguous(connection))
        return vb_respond_error(request, 400, VB_API_INVALID_PARAMETER, NULL,
                                "the body's length is stated twice "
                                "(Content-Length and Transfer-Encoding, or "
                                "two different Content-Length headers)");
    if (request->target_len > TARGET_MAX ||
        request->target_separators > TARGET_SEPARATORS_MAX)
        return vb_respond_error(request, 414, VB_API_TOO_LARGE, NULL,
                                "the request target is %zu bytes with %zu "
                                "'&'; at most %d bytes and %d '&' are allowed",
                                request->target_len, request->target_separators,
                                TARGET_MAX, TARGET_SEPARATORS_MAX);
    size_t header_bytes = 0;
    MHD_get_connection_values_n(connection, MHD_HEADER_KIND, add_header_bytes,
                                &header_bytes);
    if (header_bytes > HEADERS_MAX)
        return vb_respond_error(request, 431, VB_API_TOO_LARGE, NULL,
                                "the request's headers are %zu bytes; at most "
                                "%d are allowed",
                                header_bytes, HEADERS_MAX);
    if (!host_allowed(policy, connection)) {
        char shown[96];
        const char *host = MHD_lookup_connection_value(
            connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
        return vb_respond_error(
            request, 421, VB_API_MISDIRECTED, NULL,
            "this server does not answer to the name "
            "'%s' (see server_name)",
            vb_quote(shown, sizeof shown, host, strlen(host)));
    }
    if (!request->resource)
        return MHD_YES;
    /* A segment inside the path is not NUL-terminated where it ends. */
    if (request->path_arg &&
        !(request->path_arg = vb_arena_strndup(
              request->arena, request->path_arg, request->path_arg_len)))
        return MHD_NO;
    const char *method = request->method;
    if (strcmp(method, MHD_HTTP_METHOD_HEAD) == 0)
        method = MHD_HTTP_METHOD_GET;
    request->route = vb_route_method(request->resource, method);
    if (!request->route)
        return MHD_YES;
    /* Checked before any body is read: a caller without access does not
     * get to send one.  Answering now closes the connection, which is
     * right for such a caller. */
    enum MHD_Result refused;
    if (!authorize(request, &refused))
        return refused;
    if (request->route->body_max == 0)
        return MHD_YES;

    bool lines = request->route->json_lines;
    if (!content_type_is(connection, "application/json") &&
        !(lines && content_type_is(connection, "application/x-ndjson")))
        return vb_respond_error(request, 415, VB_API_UNSUPPORTED_MEDIA, NULL,
                                "the body must be JSON, sent with "
                                "Content-Type: application/json%s",
                                lines ? " or application/x-ndjson" : "");
    /* Refuse an announced body that is too large before reading any of
     * it. */
    const char *length = MHD_lookup_connection_value(
        connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (length) {
        char *end;
        errno = 0;
        unsigned long long announced = strtoull(length, &end, 10);
        if (errno == 0 && end != length && announced > request->route->body_max)
            return vb_respond_error(request, 413, VB_API_TOO_LARGE, NULL,
                                    "the body is %llu bytes; at most %zu are "
                                    "accepted here",
                                    announced, request->route->body_max);
        if (errno == 0 && end != length && announced > 0) {
            request->body = vb_arena_alloc(request->arena, announced + 1);
            if (!request->body)
                return MHD_NO;
            request->body_cap = announced + 1;
        }
    }
    return MHD_YES;
}

/* Appends a piece of the body; false when out of memory. */
static bool append_body(struct vb_request *request, const char *data,
                        size_t len)
{
    size_t need = request->body_len + len + 1;
    if (need > request->body_cap) {
        size_t cap = request->body_cap ? request->body_cap * 2 : 8192;
        if (cap < need)
            cap = need;
        if (cap > request->route->body_max + 1)
            cap = request->route->body_max + 1;
        char *grown = vb_arena_alloc(request->arena, cap);
        if (!grown)
            return false;
        if (request->body_len)
            memcpy(grown, request->body, request->body_len);
        request->body = grown;
        request->body_cap = cap;
    }
    memcpy(request->body + request->body_len, data, len);
    request->body_len += len;
    request->body[request->body_len] = '\0';
    return true;
}

/* The whole request is in: answer it. */
static enum MHD_Result dispatch(struct vb_request *request)
{
    if (request->path_has_nul)
        return vb_respond_error(request, 400, VB_API_INVALID_PARAMETER, NULL,
                                "the path contains an encoded NUL byte");
    if (!request->resource) {
        char shown[256];
        return vb_respond_error(
            request, 404, VB_API_NOT_FOUND, NULL, "no such resource: '%s'",
            vb_quote(shown, sizeof shown, request->url, strlen(request->url)));
    }
    char allow[64];
    vb_route_allow(request->resource, allow, sizeof allow);
    if (strcmp(request->method, MHD_HTTP_METHOD_OPTIONS) == 0)
        return respond_options(request, allow);
    if (!request->route)
        return vb_respond_method_not_allowed(request, allow);
    return request->route->handler(request);
}

/* A body where none is expected (a GET with a body, or a method we do not
 * serve) is read and dropped, up to this much; beyond it the connection
 * is closed. */
#define DISCARD_MAX (64 * 1024)

enum MHD_Result vb_request_on_request(void *cls,
                                      struct MHD_Connection *connection,
                                      const char *url, const char *method,
                                      const char *version,
                                      const char *upload_data,
                                      size_t *upload_data_size, void **con_cls)
{
    (void)cls;
    (void)version;
    struct vb_request *request = *con_cls;
    if (!request)
        return MHD_NO; /* vb_request_on_uri ran out of memory */
    if (!request->connection) {
        /* The headers are in; the body, if any, is awaited. */
        request->deadline = deadline_of(connection);
        vb_deadline_await(request->server->deadlines, request->deadline,
                          VB_DEADLINE_BODY);
        request->connection = connection;
        request->method = method;
        request->url = url;
        return begin_request(request);
    }
    if (request->status != 0) {
        /* Answered early (413, 415): drop whatever still comes. */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        size_t len = *upload_data_size;
        *upload_data_size = 0;
        if (!request->route || request->route->body_max == 0) {
            request->body_len += len;
            return request->body_len <= DISCARD_MAX ? MHD_YES : MHD_NO;
        }
        if (request->body_len + len > request->route->body_max) {
            /* A chunked body (no announced length) grew too large.
             * libmicrohttpd cannot take an answer in the middle of a body,
             * so close the connection rather than read the rest. */
            vb_metrics_record_error(&request->server->metrics,
                                    VB_API_TOO_LARGE);
            return MHD_NO;
        }
        return append_body(request, upload_data, len) ? MHD_YES : MHD_NO;
    }
    vb_deadline_await(request->server->deadlines, request->deadline,
                      VB_DEADLINE_NONE);
    return dispatch(request);
}
