/* searchd_int.h — private to searchd/: one section per file.
 *
 * The life of a request: server.c matches the route in the routing table
 * and keeps the per-request state (struct vb_request, allocated in the
 * request's arena, freed when libmicrohttpd reports the request complete);
 * it reads a POST body up to the route's limit; then the route's handler
 * (api.c, static.c, metrics.c) validates the input, calls the engine with
 * a searcher checked out of the pool (pool.c), and answers through one of
 * the response functions of http.c, which add the common headers (CORS,
 * caching, content type) and count the answer in the metrics. */
#ifndef VB_SEARCHD_INT_H
#define VB_SEARCHD_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <time.h>

#include <jansson.h>
#include <microhttpd.h>

#include "vb_analysis.h"
#include "vb_error.h"
#include "vb_search.h"
#include "vb_searchd.h"

/* ==== arena.c: per-request memory ===================================== */

/* Bump allocation in blocks; everything is freed at once when the request
 * completes.  Not thread-safe (a request belongs to one thread at a time). */
struct vb_arena;

/* A new arena whose first block holds `first_block` bytes; NULL when out
 * of memory. */
struct vb_arena *vb_arena_new(size_t first_block);

/* `size` bytes aligned for any type, valid until vb_arena_free; NULL when
 * out of memory. */
void *vb_arena_alloc(struct vb_arena *arena, size_t size);

/* A NUL-terminated copy of s[0..len); NULL when out of memory. */
char *vb_arena_strndup(struct vb_arena *arena, const char *s, size_t len);

/* Frees every block; NULL is a no-op. */
void vb_arena_free(struct vb_arena *arena);

/* ==== metrics.c: counters for /metrics ================================ */

/* What a request was for, as the metrics label it. */
enum vb_endpoint {
    VB_ENDPOINT_SEARCH,
    VB_ENDPOINT_SUGGEST,
    VB_ENDPOINT_DOCS,
    VB_ENDPOINT_ANALYZE,
    VB_ENDPOINT_HEALTH,
    VB_ENDPOINT_METRICS,
    VB_ENDPOINT_STATIC,
    VB_ENDPOINT_OTHER, /* no route: 404 */
    VB_ENDPOINT_COUNT
};

/* The error slugs of {"error": {"code": ...}}, one counter each. */
enum vb_api_error {
    VB_API_INVALID_PARAMETER,   /* 400: a value out of range or malformed */
    VB_API_UNKNOWN_PARAMETER,   /* 400: a parameter or field we do not know */
    VB_API_DUPLICATE_PARAMETER, /* 400: the same parameter twice */
    VB_API_MISSING_PARAMETER,   /* 400: a required parameter is absent */
    VB_API_INVALID_UTF8,        /* 400 */
    VB_API_INVALID_JSON,        /* 400: not JSON, or not an object */
    VB_API_TOO_LARGE,           /* 413 */
    VB_API_UNSUPPORTED_MEDIA,   /* 415: POST body not application/json */
    VB_API_NOT_FOUND,           /* 404 */
    VB_API_METHOD_NOT_ALLOWED,  /* 405 */
    VB_API_UNAVAILABLE,         /* 503: the index cannot be read */
    VB_API_INTERNAL,            /* 500 */
    VB_API_ERROR_COUNT
};

/* "invalid_parameter", ...  Static storage. */
const char *vb_api_error_slug(enum vb_api_error code);

/* Upper bounds of the latency histogram, in microseconds (+Inf after). */
#define VB_LATENCY_BUCKETS 10

/* Plain counters, updated with relaxed atomics: no lock on the hot path.
 * A scrape may see one request counted in `requests` and not yet in the
 * histogram; each series is consistent in itself. */
struct vb_metrics {
    _Atomic uint64_t requests[VB_ENDPOINT_COUNT][5]; /* [status/100 - 1] */
    _Atomic uint64_t latency[VB_ENDPOINT_COUNT][VB_LATENCY_BUCKETS + 1];
    _Atomic uint64_t latency_sum_ns[VB_ENDPOINT_COUNT];
    _Atomic uint64_t errors[VB_API_ERROR_COUNT];
    time_t started;
};

void vb_metrics_init(struct vb_metrics *metrics);

/* Counts one answered request. */
void vb_metrics_record(struct vb_metrics *metrics, enum vb_endpoint endpoint,
                       unsigned status, uint64_t elapsed_ns);

/* Counts one error response. */
void vb_metrics_record_error(struct vb_metrics *metrics,
                             enum vb_api_error code);

/* ==== pool.c: searchers for the worker threads ======================== */

/* A searcher (with its own index reader) and an analyzer, used by one
 * request at a time. */
struct vb_worker {
    struct vb_worker *next; /* free list */
    struct vb_searcher *searcher;
    struct vb_analyzer *analyzer; /* made on first use (GET /v1/analyze) */
};

/* A mutex-protected free list of workers.  A request checks one out and
 * back in; the list grows to the number of requests ever served at once,
 * which libmicrohttpd's thread pool bounds by its number of threads. */
struct vb_pool;

enum vb_status vb_pool_new(struct vb_search_engine *engine,
                           struct vb_pool **out, struct vb_error *err);

/* Frees every worker (all must be checked in) and the pool; NULL is a
 * no-op. */
void vb_pool_free(struct vb_pool *pool);

/* A worker for the calling request: a free one, or a new one.  Errors:
 * what vb_searcher_new reports. */
enum vb_status vb_pool_checkout(struct vb_pool *pool, struct vb_worker **out,
                                struct vb_error *err);

/* Gives the worker back.  With `broken` (its searcher reported an index
 * error), the worker is freed instead, so that the next request starts on
 * a fresh reader. */
void vb_pool_checkin(struct vb_pool *pool, struct vb_worker *worker,
                     bool broken);

/* The analyzer of `worker`, made on first use. */
enum vb_status vb_worker_analyzer(struct vb_pool *pool,
                                  struct vb_worker *worker,
                                  struct vb_analyzer **out,
                                  struct vb_error *err);

/* ==== server.c: the daemon, routing, request state ==================== */

struct vb_searchd {
    struct MHD_Daemon *daemon;
    struct vb_search_engine *engine;
    struct vb_pool *pool;
    struct vb_metrics metrics;
    char *web_dir;
    char *cors_origins[VB_SEARCHD_CORS_ORIGINS_MAX];
    size_t cors_origin_count;
    bool cors_any;
    char url[96];
};

struct vb_request;
typedef enum MHD_Result (*vb_handler_fn)(struct vb_request *request);

struct vb_route {
    const char *method;
    const char *path; /* a trailing "{name}" segment matches one segment */
    enum vb_endpoint endpoint;
    size_t body_max; /* largest POST body accepted (bytes); 0: no body */
    vb_handler_fn handler;
};

struct vb_request {
    struct vb_arena *arena; /* holds this struct too */
    struct vb_searchd *server;
    struct MHD_Connection *connection;
    const char *method;           /* as sent; borrowed for the request */
    const char *url;              /* the path, percent-decoded; borrowed */
    const char *resource;         /* the matching path pattern, or NULL */
    const struct vb_route *route; /* resource and method matched, or NULL */
    enum vb_endpoint endpoint;
    /* The last segment of the path when the route ends in "{name}",
     * percent-decoded by libmicrohttpd; borrowed for the request. */
    const char *path_arg;
    size_t path_arg_len;
    const char *origin; /* the Origin header when it is allowed, or NULL */
    bool path_has_nul;  /* the raw path holds %00 */
    struct timespec started;
    unsigned status; /* of the queued response; 0 before */
    /* The POST body, read up to route->body_max (for routes without a
     * body, body_len counts the bytes dropped). */
    char *body;
    size_t body_len, body_cap;
};

/* ==== http.c: responses ================================================ */

/* Queues `response` with `status`, adding the common headers (CORS for an
 * allowed origin, nosniff), counts it in the metrics, and releases
 * `response`.  All other responders end here. */
enum MHD_Result vb_respond(struct vb_request *request, unsigned status,
                           struct MHD_Response *response);

/* `root` (stolen) as compact JSON with `Content-Type: application/json;
 * charset=utf-8` and `Cache-Control: no-store`. */
enum MHD_Result vb_respond_json(struct vb_request *request, unsigned status,
                                json_t *root);

/* An already serialised JSON text (copied). */
enum MHD_Result vb_respond_json_text(struct vb_request *request,
                                     unsigned status, const char *json,
                                     size_t len);

/* {"error": {"code": slug, "message": ..., "parameter": ...}}: the
 * message from `fmt`, "parameter" only when `parameter` is non-NULL (the
 * parameter or body field at fault).  Everything in the message that came
 * from the client must have gone through vb_quote. */
enum MHD_Result vb_respond_error(struct vb_request *request, unsigned status,
                                 enum vb_api_error code, const char *parameter,
                                 const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* 405 with an Allow header listing `allow`. */
enum MHD_Result vb_respond_method_not_allowed(struct vb_request *request,
                                              const char *allow);

/* Writes s[0..len) into dst (always NUL-terminated, at most cap bytes) as
 * printable, valid UTF-8 for an error message: control characters and
 * invalid bytes become \xNN, and a text longer than the buffer is cut
 * with "...".  Size the buffer to how much of the text is worth showing.
 * Returns dst. */
char *vb_quote(char *dst, size_t cap, const char *s, size_t len);

/* Nanoseconds since `since` (CLOCK_MONOTONIC). */
uint64_t vb_elapsed_ns(const struct timespec *since);

/* ==== api.c: the JSON API ============================================= */

enum MHD_Result vb_handle_search(struct vb_request *request);
enum MHD_Result vb_handle_suggest(struct vb_request *request);
enum MHD_Result vb_handle_document(struct vb_request *request);
enum MHD_Result vb_handle_analyze(struct vb_request *request);
enum MHD_Result vb_handle_health(struct vb_request *request);

/* ==== metrics.c: the endpoint ========================================= */

enum MHD_Result vb_handle_metrics(struct vb_request *request);

/* ==== static.c: files from web/ ======================================= */

enum MHD_Result vb_handle_static(struct vb_request *request);

#endif
