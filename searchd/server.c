/* server.c — the daemon: its configuration opened into a running
 * libmicrohttpd with the limits below (the routes are in routes.c, a
 * request's life in request.c, the socket and TLS in listen.c).
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
 *     more); a request target of at most TARGET_MAX bytes (request.c) (a 64 KiB analyze
 *     text, percent-encoded) and TARGET_SEPARATORS_MAX '&', and
 *     HEADERS_MAX bytes of headers, else 414 or 431 in JSON.  The 1 MiB of
 *     memory libmicrohttpd gets per connection holds all that; a request
 *     beyond it gets libmicrohttpd's own HTML 414/431, or, for some
 *     20,000 '&', the connection closed;
 *   - POST bodies up to the route's limit (16 KiB for search, 512 KiB for
 *     suggest: 64 KiB of text even when every character is a \uXXXX
 *     escape); a larger Content-Length is refused with 413 before any of
 *     the body is read, and a chunked body that grows too large gets the
 *     connection closed (libmicrohttpd cannot answer mid-body). */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "searchd_int.h"

/* What libmicrohttpd may use per connection; it zeroes all of it after
 * each request (README, "Oversized requests"). */
#define HEADER_MEMORY (1024 * 1024)

static unsigned default_threads(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1)
        return 1;
    return cores > 64 ? 64 : (unsigned)cores;
}

enum vb_status vb_searchd_check_exposure(const struct vb_searchd_config *config,
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
        vb_listen_resolve(config->listen, &addresses, &loopback, err);
    if (status == VB_OK)
        status = vb_searchd_check_exposure(config, loopback, err);
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
    pthread_mutex_init(&server->policy_lock, NULL);
    bool tls = config->tls_cert != NULL;
    if (tls && (status = vb_tls_load(config, server, err)) != VB_OK)
        goto fail;

    struct vb_search_engine_options options = {
        .index_dir = config->index_dir,
        .synonyms_dir = config->synonyms_dir,
        .shard_timeout_ms = config->shard_timeout_ms,
    };
    status = vb_search_engine_new(&options, &server->engine, err);
    if (status != VB_OK)
        goto fail;
    status = vb_pool_new(server->engine, &server->pool, err);
    if (status != VB_OK)
        goto fail;
    /* Open the readers now, so that an unreadable index is a start-up
     * error rather than a first-request one, and warm them: a searcher's
     * first search took several times a later one's.  One for each
     * thread that can search at once on this machine's cores; the pool
     * makes more when more requests come at once. */
    unsigned cores = default_threads();
    unsigned threads = config->threads ? config->threads : cores;
    unsigned warm = threads < cores ? threads : cores;
    struct vb_worker *warmed[64];
    unsigned checked_out = 0;
    while (checked_out < warm) {
        status = vb_pool_checkout(server->pool, &warmed[checked_out], err);
        if (status != VB_OK)
            break;
        vb_searcher_warm(warmed[checked_out++]->searcher);
    }
    while (checked_out > 0)
        vb_pool_checkin(server->pool, warmed[--checked_out], false);
    if (status != VB_OK)
        goto fail;

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
    status = vb_listen_bind(config->listen, addresses, tls, &fd, server->url,
                         sizeof server->url, err);
    if (status == VB_OK)
        status = vb_policy_new(config, server->url, loopback, &server->policy,
                               err);
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
    unsigned flags = MHD_USE_POLL_INTERNAL_THREAD | (tls ? MHD_USE_TLS : 0);
    server->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, vb_request_on_request, server, MHD_OPTION_LISTEN_SOCKET,
        (MHD_socket)fd, MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_TIMEOUT, config->timeout_seconds,
        MHD_OPTION_CONNECTION_LIMIT, config->max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        config->max_connections_per_client,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HEADER_MEMORY,
        MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_URI_LOG_CALLBACK, vb_request_on_uri,
        server, MHD_OPTION_NOTIFY_COMPLETED, vb_request_on_completed, server,
        MHD_OPTION_NOTIFY_CONNECTION, vb_request_on_connection, server,
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
    if (n < cap && vb_access_open(server->policy->access))
        snprintf(out[n++], 256,
                 "no tokens configured: every route is open (loopback "
                 "only)");
    if (n < cap && !vb_access_tickets_required(server->policy->access))
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
     * connection; vb_request_on_completed frees what requests still held. */
    if (server->daemon)
        MHD_stop_daemon(server->daemon);
    vb_deadlines_stop(server->deadlines);
    vb_pool_free(server->pool);
    vb_search_engine_free(server->engine);
    vb_audit_close(server->audit);
    vb_analytics_close(server->analytics);
    vb_policy_release(server, server->policy);
    pthread_mutex_destroy(&server->policy_lock);
    free(server->tls_cert);
    free(server->tls_key);
    free(server->index_dir);
    free(server->web_dir);
    free(server);
}

