/* server.c — the daemon: listening socket, libmicrohttpd, the routing
 * table, request state and POST bodies.
 *
 * Limits and why:
 *   - a client silent for `timeout_seconds` (default 10) is cut off, so a
 *     stalled or slow client cannot hold a connection; and one whose
 *     request's headers have not all arrived `header_timeout_seconds`
 *     (default 20) after it connected or got its previous answer, or
 *     whose body has not arrived `body_timeout_seconds` (default 120)
 *     after its headers, is cut off too (deadline.c): a client trickling
 *     a header line every few seconds is never silent for long;
 *   - at most `max_connections_per_client` of them from one address
 *     (default 128), so that one client cannot take every slot;
 *   - at most `max_connections` connections at once (libmicrohttpd refuses
 *     more); a request target of at most TARGET_MAX bytes (a 64 KiB analyze
 *     text, percent-encoded) and TARGET_SEPARATORS_MAX '&', and
 *     HEADERS_MAX bytes of headers, else 414 or 431 in JSON.  The 1 MiB of
 *     memory libmicrohttpd gets per connection (touched only as used) holds
 *     all that; a request beyond it gets libmicrohttpd's own HTML 414/431,
 *     or, for some 20,000 '&', the connection closed;
 *   - POST bodies up to the route's limit (16 KiB for search, 512 KiB for
 *     suggest: 64 KiB of text even when every character is a \uXXXX
 *     escape); a larger Content-Length is refused with 413 before any of
 *     the body is read, and a chunked body that grows too large gets the
 *     connection closed (libmicrohttpd cannot answer mid-body). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "searchd_int.h"

#define HEADER_MEMORY (1024 * 1024)
/* Our own limits, well inside libmicrohttpd's memory, so that what
 * exceeds them gets a JSON answer, not libmicrohttpd's HTML one. */
#define TARGET_MAX (256 * 1024)   /* a 64 KiB analyze text, encoded */
#define TARGET_SEPARATORS_MAX 256 /* '&': each costs libmicrohttpd memory */
#define HEADERS_MAX (64 * 1024)
#define SEARCH_BODY_MAX (16 * 1024)
#define SUGGEST_BODY_MAX (512 * 1024)
#define SMALL_BODY_MAX (16 * 1024) /* feedback, opens */
#define DOC_BODY_MAX (4 * 1024 * 1024) /* one document: up to 1 MiB of text,
                                          escaped */
#define BULK_BODY_MAX (64 * 1024 * 1024) /* POST /v1/docs: one JSON line per
                                            document */

/* ---- Routing table ------------------------------------------------------- */

/* The order matters where patterns overlap: the first row whose path
 * matches decides the resource, so literals come before "/{file}". */
/* The role column is Contract 5's: what each role may do once tokens
 * are configured.  /metrics is VB_ROLE_AGENT unless `metrics = open`. */
static const struct vb_route routes[] = {
    {"GET", "/v1/search", VB_ENDPOINT_SEARCH, VB_ROLE_AGENT, 0,
     vb_handle_search},
    {"POST", "/v1/search", VB_ENDPOINT_SEARCH, VB_ROLE_AGENT, SEARCH_BODY_MAX,
     vb_handle_search},
    {"POST", "/v1/suggest", VB_ENDPOINT_SUGGEST, VB_ROLE_AGENT,
     SUGGEST_BODY_MAX, vb_handle_suggest},
    {"GET", "/v1/docs/{id}", VB_ENDPOINT_DOCS, VB_ROLE_AGENT, 0,
     vb_handle_document},
    {"PUT", "/v1/docs/{id}", VB_ENDPOINT_DOCS, VB_ROLE_EDITOR, DOC_BODY_MAX,
     vb_handle_document_put},
    {"DELETE", "/v1/docs/{id}", VB_ENDPOINT_DOCS, VB_ROLE_EDITOR, 0,
     vb_handle_document_delete},
    {"POST", "/v1/docs", VB_ENDPOINT_DOCS, VB_ROLE_EDITOR, BULK_BODY_MAX,
     vb_handle_documents_bulk},
    {"GET", "/v1/analyze", VB_ENDPOINT_ANALYZE, VB_ROLE_AGENT, 0,
     vb_handle_analyze},
    {"POST", "/v1/analytics/open", VB_ENDPOINT_ANALYTICS, VB_ROLE_AGENT,
     SMALL_BODY_MAX, vb_handle_analytics_open},
    {"GET", "/v1/analytics", VB_ENDPOINT_ANALYTICS, VB_ROLE_EDITOR, 0,
     vb_handle_analytics},
    {"POST", "/v1/feedback", VB_ENDPOINT_FEEDBACK, VB_ROLE_AGENT,
     SMALL_BODY_MAX, vb_handle_feedback_add},
    {"GET", "/v1/feedback", VB_ENDPOINT_FEEDBACK, VB_ROLE_EDITOR, 0,
     vb_handle_feedback_list},
    {"POST", "/v1/feedback/{n}/resolve", VB_ENDPOINT_FEEDBACK, VB_ROLE_EDITOR,
     SMALL_BODY_MAX, vb_handle_feedback_resolve},
    {"GET", "/v1/review", VB_ENDPOINT_FEEDBACK, VB_ROLE_EDITOR, 0,
     vb_handle_review},
    {"GET", "/v1/audit", VB_ENDPOINT_AUDIT, VB_ROLE_ADMIN, 0, vb_handle_audit},
    {"DELETE", "/v1/customers/{id}", VB_ENDPOINT_CUSTOMERS, VB_ROLE_ADMIN, 0,
     vb_handle_erase_customer},
    {"GET", "/v1/health", VB_ENDPOINT_HEALTH, VB_ROLE_NONE, 0,
     vb_handle_health},
    {"GET", "/metrics", VB_ENDPOINT_METRICS, VB_ROLE_AGENT, 0,
     vb_handle_metrics},
    {"GET", "/", VB_ENDPOINT_STATIC, VB_ROLE_NONE, 0, vb_handle_static},
    {"GET", "/widget.js", VB_ENDPOINT_STATIC, VB_ROLE_NONE, 0,
     vb_handle_static},
    {"GET", "/editor", VB_ENDPOINT_STATIC, VB_ROLE_NONE, 0, vb_handle_static},
    {"GET", "/{file}", VB_ENDPOINT_STATIC, VB_ROLE_NONE, 0, vb_handle_static},
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

/* Whether `path` matches `pattern`; a "{name}" segment matches one
 * non-empty segment, returned in *arg (the first one, when there are
 * several). */
static bool path_matches(const char *pattern, const char *path,
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

/* The methods of resource `pattern` for an Allow header. */
static void allowed_methods(const char *pattern, char *out, size_t cap)
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

/* ---- CORS ------------------------------------------------------------------
 */

static bool origin_allowed(const struct vb_searchd *server, const char *origin)
{
    /* "null" is the origin of sandboxed frames and file: pages, which
     * any site can make: '*' does not mean those. */
    if (server->cors_any)
        return strcmp(origin, "null") != 0;
    for (size_t i = 0; i < server->cors_origin_count; i++)
        if (strcasecmp(server->cors_origins[i], origin) == 0)
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
 * on_completed.  The raw target is the only place where an encoded NUL in
 * the path can be seen: the decoded path is a C string. */
static void *on_uri(void *cls, const char *uri,
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
    request->endpoint = VB_ENDPOINT_OTHER;
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
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(
        connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}

/* A connection opens or closes: its deadline slot. */
static void on_connection(void *cls, struct MHD_Connection *connection,
                          void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct vb_searchd *server = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *info = MHD_get_connection_info(
            connection, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context =
            info ? vb_deadline_open(server->deadlines, info->connect_fd)
                 : NULL;
    } else {
        vb_deadline_close(server->deadlines, *socket_context);
        *socket_context = NULL;
    }
}

static void on_completed(void *cls, struct MHD_Connection *connection,
                         void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)toe;
    struct vb_searchd *server = cls;
    /* Kept alive: the next request's headers are awaited. */
    vb_deadline_await(server->deadlines, deadline_of(connection),
                      VB_DEADLINE_HEADERS);
    struct vb_request *request = *con_cls;
    if (request)
        vb_arena_free(request->arena);
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
        p = (const unsigned char *)&((const struct sockaddr_in *)
                                         info->client_addr)->sin_addr;
        n = 4;
    } else if (info && info->client_addr &&
               info->client_addr->sa_family == AF_INET6) {
        p = (const unsigned char *)&((const struct sockaddr_in6 *)
                                         info->client_addr)->sin6_addr;
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
static bool host_allowed(const struct vb_searchd *server,
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
    for (size_t i = 0; i < server->server_name_count; i++)
        if (strlen(server->server_names[i]) == len &&
            strncasecmp(server->server_names[i], host, len) == 0)
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
    struct vb_searchd *server = request->server;
    enum vb_role needed = request->route->role;
    if (request->route->endpoint == VB_ENDPOINT_METRICS && server->metrics_open)
        needed = VB_ROLE_NONE;
    if (needed == VB_ROLE_NONE || vb_access_open(server->access))
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
        token = vb_access_token(server->access, secret, len);
    }
    unsigned retry_after = 0;
    if (!token) {
        /* Only a wrong token counts against the address: guessing, not
         * forgetting. */
        const union MHD_ConnectionInfo *info = MHD_get_connection_info(
            request->connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        bool slowed = header && !vb_access_failure_take(
                                    server->access,
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
                                   request->route->method,
                                   request->route->path, vb_role_name(needed));
        return false;
    }
    if (!vb_access_rate_take(server->access, token, &retry_after)) {
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
    struct vb_searchd *server = request->server;
    struct MHD_Connection *connection = request->connection;
    const char *origin = MHD_lookup_connection_value(
        connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_ORIGIN);
    if (origin && origin_allowed(server, origin))
        request->origin = origin;

    for (size_t i = 0; i < ROUTE_COUNT && !request->resource; i++)
        if (path_matches(routes[i].path, request->url, &request->path_arg,
                         &request->path_arg_len)) {
            request->resource = routes[i].path;
            /* Until a method matches, count it under the resource. */
            request->endpoint = routes[i].endpoint;
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
                                request->target_len,
                                request->target_separators, TARGET_MAX,
                                TARGET_SEPARATORS_MAX);
    size_t header_bytes = 0;
    MHD_get_connection_values_n(connection, MHD_HEADER_KIND, add_header_bytes,
                                &header_bytes);
    if (header_bytes > HEADERS_MAX)
        return vb_respond_error(request, 431, VB_API_TOO_LARGE, NULL,
                                "the request's headers are %zu bytes; at most "
                                "%d are allowed",
                                header_bytes, HEADERS_MAX);
    if (!host_allowed(server, connection)) {
        char shown[96];
        const char *host = MHD_lookup_connection_value(
            connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
        return vb_respond_error(request, 421, VB_API_MISDIRECTED, NULL,
                                "this server does not answer to the name "
                                "'%s' (see server_name)",
                                vb_quote(shown, sizeof shown, host,
                                         strlen(host)));
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
    for (size_t i = 0; i < ROUTE_COUNT; i++)
        if (strcmp(routes[i].path, request->resource) == 0 &&
            strcmp(routes[i].method, method) == 0)
            request->route = &routes[i];
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

    /* A bulk of documents is JSON Lines (as Elasticsearch's _bulk). */
    if (request->route->body_max == BULK_BODY_MAX
            ? !content_type_is(connection, "application/x-ndjson") &&
                  !content_type_is(connection, "application/json")
            : !content_type_is(connection, "application/json"))
        return vb_respond_error(request, 415, VB_API_UNSUPPORTED_MEDIA, NULL,
                                "the body must be JSON, sent with "
                                "Content-Type: application/json%s",
                                request->route->body_max == BULK_BODY_MAX
                                    ? " or application/x-ndjson"
                                    : "");
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
    allowed_methods(request->resource, allow, sizeof allow);
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

static enum MHD_Result on_request(void *cls, struct MHD_Connection *connection,
                                  const char *url, const char *method,
                                  const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)cls;
    (void)version;
    struct vb_request *request = *con_cls;
    if (!request)
        return MHD_NO; /* on_uri ran out of memory */
    if (!request->connection) {
        /* The headers are in; the body, if any, is awaited. */
        vb_deadline_await(request->server->deadlines, deadline_of(connection),
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
    vb_deadline_await(request->server->deadlines, deadline_of(connection),
                      VB_DEADLINE_NONE);
    return dispatch(request);
}

/* ---- Listening socket -----------------------------------------------------
 */

static bool is_loopback(const struct sockaddr *addr)
{
    if (addr->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (addr->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)addr;
        if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
            return true;
        return IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) &&
               in6->sin6_addr.s6_addr[12] == 127;
    }
    return false;
}

/* Splits "HOST:PORT" or "[V6]:PORT" and resolves it; *loopback says
 * whether every address it resolves to is a loopback one. */
static enum vb_status resolve_listen(const char *address, struct addrinfo **out,
                                     bool *loopback, struct vb_error *err)
{
    *out = NULL;
    *loopback = true;
    char host[256];
    const char *port;
    if (address[0] == '[') {
        const char *close = strchr(address, ']');
        if (!close || close[1] != ':' ||
            (size_t)(close - address) > sizeof host)
            return vb_error_set(
                err, VB_EINVAL,
                "bad listen address '%s' (expected [ADDR]:PORT)", address);
        memcpy(host, address + 1, (size_t)(close - address - 1));
        host[close - address - 1] = '\0';
        port = close + 2;
    } else {
        const char *colon = strrchr(address, ':');
        if (!colon || strchr(address, ':') != colon ||
            (size_t)(colon - address) >= sizeof host)
            return vb_error_set(err, VB_EINVAL,
                                "bad listen address '%s' (expected HOST:PORT, "
                                "or [ADDR]:PORT for IPv6)",
                                address);
        memcpy(host, address, (size_t)(colon - address));
        host[colon - address] = '\0';
        port = colon + 1;
    }
    size_t digits = strspn(port, "0123456789");
    if (host[0] == '\0' || digits == 0 || digits > 5 || port[digits] != '\0' ||
        strtoul(port, NULL, 10) > 65535)
        return vb_error_set(err, VB_EINVAL,
                            "bad listen address '%s' (expected HOST:PORT with "
                            "a port from 0 to 65535)",
                            address);

    struct addrinfo hints = {0};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    struct addrinfo *list = NULL;
    int rc = getaddrinfo(host, port, &hints, &list);
    if (rc != 0)
        return vb_error_set(err, VB_EINVAL, "cannot resolve '%s': %s", host,
                            gai_strerror(rc));
    for (struct addrinfo *ai = list; ai; ai = ai->ai_next)
        if (!is_loopback(ai->ai_addr))
            *loopback = false;
    *out = list;
    return VB_OK;
}

/* Binds the first address that this machine has; a busy port is an error
 * at once (not a reason to try the next address). */
static enum vb_status bind_listen(const char *address,
                                  const struct addrinfo *list, bool tls,
                                  int *fd_out, char *url, size_t url_cap,
                                  struct vb_error *err)
{
    *fd_out = -1;
    int last_errno = EADDRNOTAVAIL;
    for (const struct addrinfo *ai = list; ai; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                        ai->ai_protocol);
        if (fd < 0) {
            last_errno = errno;
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (ai->ai_family == AF_INET6)
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
            listen(fd, SOMAXCONN) != 0) {
            last_errno = errno;
            close(fd);
            if (last_errno == EADDRINUSE || last_errno == EACCES)
                break;
            continue;
        }
        int flags = fcntl(fd, F_GETFL);
        fcntl(fd, F_SETFL, flags | O_NONBLOCK);

        struct sockaddr_storage bound;
        socklen_t bound_len = sizeof bound;
        char host[INET6_ADDRSTRLEN] = "", port[8] = "";
        if (getsockname(fd, (struct sockaddr *)&bound, &bound_len) != 0 ||
            getnameinfo((struct sockaddr *)&bound, bound_len, host, sizeof host,
                        port, sizeof port,
                        NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
            close(fd);
            return vb_error_set(
                err, VB_EIO, "cannot read the address bound for %s", address);
        }
        snprintf(url, url_cap,
                 bound.ss_family == AF_INET6 ? "%s://[%s]:%s" : "%s://%s:%s",
                 tls ? "https" : "http", host, port);
        *fd_out = fd;
        return VB_OK;
    }
    return vb_error_set(err, VB_EIO, "cannot listen on %s: %s", address,
                        last_errno == EADDRINUSE
                            ? "address already in use (another server "
                              "runs on that port?)"
                            : strerror(last_errno));
}

/* ---- Server ---------------------------------------------------------------
 */

static unsigned default_threads(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1)
        return 1;
    return cores > 64 ? 64 : (unsigned)cores;
}

/* ---- TLS -------------------------------------------------------------------- */

/* Reads a PEM file whole (at most 1 MiB) into a malloc'd string. */
static enum vb_status read_pem(const char *key, const char *path, char **out,
                               struct vb_error *err)
{
    *out = NULL;
    FILE *file = fopen(path, "rb");
    if (!file)
        return vb_error_set(err, VB_EINVAL, "%s %s: %s", key, path,
                            strerror(errno));
    size_t cap = 1 << 20, len = 0;
    char *text = malloc(cap + 1);
    if (text)
        len = fread(text, 1, cap, file);
    bool failed = !text || ferror(file) || (len == cap && fgetc(file) != EOF);
    fclose(file);
    if (failed || len == 0) {
        free(text);
        return vb_error_set(err, VB_EINVAL, "%s %s: %s", key, path,
                            !text    ? "out of memory"
                            : len == 0 ? "empty file"
                                       : "cannot be read, or larger than 1 MiB");
    }
    text[len] = '\0';
    *out = text;
    return VB_OK;
}

/* Reads the certificate and key and checks, with GnuTLS itself, that
 * they are PEM and belong together: libmicrohttpd would only say that it
 * could not start. */
static enum vb_status load_tls(const struct vb_searchd_config *config,
                               struct vb_searchd *server, struct vb_error *err)
{
    enum vb_status st =
        read_pem("tls_cert", config->tls_cert, &server->tls_cert, err);
    if (st == VB_OK)
        st = read_pem("tls_key", config->tls_key, &server->tls_key, err);
    if (st != VB_OK)
        return st;
    gnutls_certificate_credentials_t credentials;
    if (gnutls_certificate_allocate_credentials(&credentials) < 0)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    gnutls_datum_t cert = {(unsigned char *)server->tls_cert,
                           (unsigned)strlen(server->tls_cert)};
    gnutls_datum_t key = {(unsigned char *)server->tls_key,
                          (unsigned)strlen(server->tls_key)};
    int rc = gnutls_certificate_set_x509_key_mem(credentials, &cert, &key,
                                                 GNUTLS_X509_FMT_PEM);
    gnutls_certificate_free_credentials(credentials);
    if (rc == GNUTLS_E_CERTIFICATE_KEY_MISMATCH)
        return vb_error_set(err, VB_EINVAL,
                            "tls_key %s does not belong to tls_cert %s",
                            config->tls_key, config->tls_cert);
    if (rc < 0)
        return vb_error_set(err, VB_EINVAL,
                            "tls_cert %s / tls_key %s: not a PEM certificate "
                            "and its private key (%s)",
                            config->tls_cert, config->tls_key,
                            gnutls_strerror(rc));
    return VB_OK;
}

/* ---- Server ------------------------------------------------------------------ */

/* What off-loopback requires (Contract 5); the first thing missing, in a
 * one-line message. */
static enum vb_status check_exposure(const struct vb_searchd_config *config,
                                     bool loopback, struct vb_error *err)
{
    if ((config->tls_cert != NULL) != (config->tls_key != NULL))
        return vb_error_set(err, VB_EINVAL,
                            "tls_cert and tls_key go together: give both, or "
                            "neither");
    if (loopback)
        return VB_OK;
    const char *missing =
        config->token_count == 0
            ? "tokens (token = NAME ROLE HASH lines; make them with "
              "--hash-token NAME ROLE)"
        : !config->ticket_secret_file
            ? "a ticket secret (ticket_secret_file = PATH)"
        : config->server_name_count == 0
            ? "the names clients use to reach it (server_name = NAME)"
        : !config->tls_cert && !config->tls_off
            ? "TLS (tls_cert and tls_key; or tls = off to serve plain HTTP "
              "on purpose)"
            : NULL;
    if (missing)
        return vb_error_set(err, VB_EINVAL,
                            "refusing to listen on %s, which is not a "
                            "loopback address, without %s",
                            config->listen, missing);
    return VB_OK;
}

/* The names the Host header may carry. */
static enum vb_status set_server_names(const struct vb_searchd_config *config,
                                       struct vb_searchd *server,
                                       struct vb_error *err)
{
    const char *loopback_names[] = {"localhost", "127.0.0.1", "[::1]", NULL};
    /* The bound host of the URL ("http://127.0.0.2:8080" -> 127.0.0.2). */
    char bound[80] = "";
    const char *host = strstr(server->url, "://") + 3;
    size_t n = strcspn(host, host[0] == '[' ? "]" : ":");
    snprintf(bound, sizeof bound, "%.*s", (int)(n + (host[0] == '[')), host);
    loopback_names[3] = bound;
    for (size_t i = 0; i < config->server_name_count + 4; i++) {
        const char *name = i < config->server_name_count
                               ? config->server_names[i]
                               : server->loopback
                                     ? loopback_names[i -
                                                      config->server_name_count]
                                     : NULL;
        if (!name)
            continue;
        if (!(server->server_names[server->server_name_count] = strdup(name)))
            return vb_error_set(err, VB_ENOMEM, "out of memory");
        server->server_name_count++;
    }
    return VB_OK;
}

/* INDEX_DIR.SUFFIX: the daemon's databases live next to the index. */
static char *beside_index(const char *index_dir, const char *suffix)
{
    size_t n = strlen(index_dir);
    while (n > 1 && index_dir[n - 1] == '/')
        n--;
    char *path = malloc(n + strlen(suffix) + 1);
    if (path)
        sprintf(path, "%.*s%s", (int)n, index_dir, suffix);
    return path;
}

enum vb_status vb_searchd_open(const struct vb_searchd_config *config,
                               struct vb_searchd **out, struct vb_error *err)
{
    *out = NULL;
    struct addrinfo *addresses = NULL;
    int fd = -1;
    char *audit_path = NULL;
    bool loopback = true;
    enum vb_status status =
        resolve_listen(config->listen, &addresses, &loopback, err);
    if (status == VB_OK)
        status = check_exposure(config, loopback, err);
    if (status != VB_OK) {
        if (addresses)
            freeaddrinfo(addresses);
        return status;
    }

    struct vb_searchd *server = calloc(1, sizeof *server);
    if (!server) {
        status = vb_error_set(err, VB_ENOMEM, "out of memory");
        goto fail;
    }
    vb_metrics_init(&server->metrics);
    server->loopback = loopback;
    server->metrics_open = config->metrics_open;
    bool tls = config->tls_cert != NULL;
    if (tls && (status = load_tls(config, server, err)) != VB_OK)
        goto fail;
    if ((status = vb_access_new(config, &server->access, err)) != VB_OK)
        goto fail;

    struct vb_search_engine_options options = {
        .index_dir = config->index_dir,
        .synonyms_dir = config->synonyms_dir,
    };
    status = vb_search_engine_new(&options, &server->engine, err);
    if (status != VB_OK)
        goto fail;
    status = vb_pool_new(server->engine, &server->pool, err);
    if (status != VB_OK)
        goto fail;
    /* Open one reader now, so that an unreadable index is a start-up
     * error rather than a first-request one. */
    struct vb_worker *worker = NULL;
    status = vb_pool_checkout(server->pool, &worker, err);
    if (status != VB_OK)
        goto fail;
    vb_pool_checkin(server->pool, worker, false);

    audit_path = config->audit_db ? strdup(config->audit_db)
                                  : beside_index(config->index_dir, ".audit.db");
    server->index_dir = strdup(config->index_dir);
    if (!audit_path || !server->index_dir) {
        status = vb_error_set(err, VB_ENOMEM, "out of memory");
        goto fail;
    }
    status = vb_audit_open(audit_path, config->audit_retention_days,
                           &server->audit, err);
    if (status != VB_OK)
        goto fail;
    /* Analytics that cannot be recorded are the editors' loss, not the
     * agents': the daemon serves without them, and says so. */
    char *analytics_path =
        config->analytics_db ? strdup(config->analytics_db)
                             : beside_index(config->index_dir, ".analytics.db");
    struct vb_error problem;
    if (!analytics_path)
        snprintf(server->analytics_problem, sizeof server->analytics_problem,
                 "out of memory");
    else if (vb_analytics_open(analytics_path,
                               config->analytics_retention_days,
                               &server->analytics, &problem) != VB_OK)
        snprintf(server->analytics_problem, sizeof server->analytics_problem,
                 "%s", problem.msg);
    free(analytics_path);

    if (config->web_dir && !(server->web_dir = strdup(config->web_dir))) {
        status = vb_error_set(err, VB_ENOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < config->cors_origin_count; i++) {
        if (strcmp(config->cors_origins[i], "*") == 0) {
            server->cors_any = true;
        }
        server->cors_origins[i] = strdup(config->cors_origins[i]);
        if (!server->cors_origins[i]) {
            status = vb_error_set(err, VB_ENOMEM, "out of memory");
            goto fail;
        }
        server->cors_origin_count = i + 1;
    }

    status = bind_listen(config->listen, addresses, tls, &fd, server->url,
                         sizeof server->url, err);
    if (status == VB_OK)
        status = set_server_names(config, server, err);
    if (status != VB_OK)
        goto fail;

    /* poll(), not epoll: libmicrohttpd 0.9.75's edge-triggered epoll
     * mode misses a client's end of stream that arrives together with
     * its request, and holds such a connection until the time-out. */
    status = vb_deadlines_start(config->header_timeout_seconds,
                                config->body_timeout_seconds,
                                config->max_connections, &server->deadlines,
                                err);
    if (status != VB_OK)
        goto fail;
    unsigned threads = config->threads ? config->threads : default_threads();
    unsigned flags = MHD_USE_POLL_INTERNAL_THREAD | (tls ? MHD_USE_TLS : 0);
    server->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, server, MHD_OPTION_LISTEN_SOCKET,
        (MHD_socket)fd, MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_TIMEOUT, config->timeout_seconds,
        MHD_OPTION_CONNECTION_LIMIT, config->max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        config->max_connections_per_client,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HEADER_MEMORY,
        MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_URI_LOG_CALLBACK, on_uri,
        server, MHD_OPTION_NOTIFY_COMPLETED, on_completed, server,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, server,
        /* Without TLS the list ends here. */
        tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, server->tls_cert,
        MHD_OPTION_HTTPS_MEM_KEY, server->tls_key, MHD_OPTION_END);
    if (!server->daemon) {
        status = vb_error_set(err, VB_EIO, "cannot start the HTTP server on %s",
                              config->listen);
        goto fail;
    }
    freeaddrinfo(addresses);
    free(audit_path);
    *out = server;
    return VB_OK;

fail:
    if (fd >= 0)
        close(fd);
    if (addresses)
        freeaddrinfo(addresses);
    free(audit_path);
    vb_searchd_close(server);
    return status;
}

size_t vb_searchd_notes(struct vb_searchd *server, char (*out)[256],
                        size_t cap)
{
    size_t n = 0;
    struct vb_error problem;
    if (n < cap && server->audit && vb_audit_problem(server->audit, &problem))
        snprintf(out[n++], 256,
                 "the audit log cannot be written, so customer history is "
                 "refused (503) until it can: %.160s",
                 problem.msg);
    if (n < cap && server->analytics_problem[0])
        snprintf(out[n++], 256,
                 "nothing is recorded for the editors: %.190s",
                 server->analytics_problem);
    if (n < cap && vb_access_open(server->access))
        snprintf(out[n++], 256,
                 "no tokens configured: every route is open (loopback "
                 "only)");
    if (n < cap && !vb_access_tickets_required(server->access))
        snprintf(out[n++], 256,
                 "no ticket_secret_file: customer history is served for "
                 "the customer named, without a ticket (loopback only)");
    return n;
}

const char *vb_searchd_url(const struct vb_searchd *server)
{
    return server->url;
}

void vb_searchd_close(struct vb_searchd *server)
{
    if (!server)
        return;
    /* Stops the threads and closes the listening socket and every
     * connection; on_completed frees what requests still held. */
    if (server->daemon)
        MHD_stop_daemon(server->daemon);
    vb_deadlines_stop(server->deadlines);
    vb_pool_free(server->pool);
    vb_search_engine_free(server->engine);
    vb_audit_close(server->audit);
    vb_analytics_close(server->analytics);
    vb_access_free(server->access);
    for (size_t i = 0; i < server->cors_origin_count; i++)
        free(server->cors_origins[i]);
    for (size_t i = 0; i < server->server_name_count; i++)
        free(server->server_names[i]);
    free(server->tls_cert);
    free(server->tls_key);
    free(server->index_dir);
    free(server->web_dir);
    free(server);
}
