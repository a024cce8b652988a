/* searchd_int.h — private to searchd/: one section per file.
 *
 * The life of a request: server.c matches the route in the routing table
 * and keeps the per-request state (struct vb_request, allocated in the
 * request's arena, freed when libmicrohttpd reports the request complete);
 * it reads a POST body up to the route's limit; then the route's handler
 * (api_*.c, static.c) reads and checks the input (params.c, checks.c),
 * calls the engine with a searcher checked out of the pool (pool.c), has
 * render.c write the JSON, and answers through one of the response
 * functions of http.c, which add the common headers (CORS,
 * caching, content type) and count the answer in the metrics. */
#ifndef VB_SEARCHD_INT_H
#define VB_SEARCHD_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <time.h>

#include <jansson.h>
#include <microhttpd.h>
#include <sqlite3.h>

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

/* ==== access.c: tokens, roles, tickets, rate limits =================== */

/* Room for a ticket secret read from its file. */
#define VB_ACCESS_SECRET_MAX 1024

/* VB_ROLE_NONE for anything but "agent", "editor", "admin". */
enum vb_role vb_role_parse(const char *text);

/* Whether s[0..len) is a token or agent name: a document id's characters
 * (vb_document_id_ok), at most VB_SEARCHD_NAME_MAX bytes. */
bool vb_access_name_ok(const char *s, size_t len);

/* 64 hex digits into 32 bytes; false when it is not that. */
bool vb_access_hash_parse(const char *hex, unsigned char hash[32]);

/* The tokens, the ticket secret and the rate-limit state of a running
 * daemon.  Thread-safe. */
struct vb_access;

/* Copies the tokens and reads the ticket secret (errors as for
 * vb_searchd_mint_ticket).  On failure *out is NULL. */
enum vb_status vb_access_new(const struct vb_searchd_config *config,
                             struct vb_access **out, struct vb_error *err);
void vb_access_free(struct vb_access *access);

/* No token configured: every route is open. */
bool vb_access_open(const struct vb_access *access);

/* A ticket secret is configured: history needs tickets. */
bool vb_access_tickets_required(const struct vb_access *access);

/* The token whose secret is secret[0..len), or NULL; compares against
 * every configured hash in constant time.  Borrowed from `access`. */
const struct vb_searchd_token *vb_access_token(const struct vb_access *access,
                                               const char *secret, size_t len);

/* Takes one request from `token`'s bucket; false (and the seconds to
 * wait) when the token is over its rate. */
bool vb_access_rate_take(struct vb_access *access,
                         const struct vb_searchd_token *token,
                         unsigned *retry_after);

/* Counts a wrong token from `addr`; false (and the seconds to wait) when
 * that address has sent too many lately. */
bool vb_access_failure_take(struct vb_access *access,
                            const struct sockaddr *addr, unsigned *retry_after);

enum vb_ticket_check {
    VB_TICKET_OK,
    VB_TICKET_INVALID, /* not base64url, not signed with our secret, ... */
    VB_TICKET_EXPIRED,
    VB_TICKET_WRONG_CUSTOMER,
    VB_TICKET_WRONG_TENANT
};

/* Checks `ticket` for `customer` of `tenant` (NULL: none); the agent it
 * names goes to `agent` ("" when the ticket is invalid).  Only with
 * tickets required. */
enum vb_ticket_check vb_access_check_ticket(const struct vb_access *access,
                                            const char *ticket,
                                            const char *customer,
                                            const char *tenant,
                                            char agent[VB_SEARCHD_NAME_MAX + 1]);

/* ==== store.c: the daemon's SQLite files ============================== */

/* Opens (creating it mode 0600 when missing) the database `path` for
 * writing, in WAL mode (synchronous FULL or NORMAL), with `schema` run
 * once.  `what` names it in messages ("audit log").  Errors: VB_EIO. */
/* Now, as the rows of the daemon's databases write time: Unix
 * microseconds. */
int64_t vb_store_now_us(void);
/* Adds `column` ("name TYPE") to `table` of a database made by an older
 * version; nothing when it is there already. */
enum vb_status vb_store_add_column(sqlite3 *db, const char *what,
                                   const char *path, const char *table,
                                   const char *column, struct vb_error *err);
enum vb_status vb_store_open(const char *what, const char *path,
                             const char *schema, bool full_sync,
                             sqlite3 **out, struct vb_error *err);

/* VB_EIO with "WHAT PATH: ACTION: SQLite's message". */
enum vb_status vb_store_error(sqlite3 *db, const char *what, const char *path,
                              const char *action, struct vb_error *err);

/* ==== audit.c: the audit log (SQLite) ================================== */

/* One row: who looked at which customer's history, and how. */
struct vb_audit_entry {
    int64_t time_us;      /* Unix microseconds; 0 when writing: now */
    const char *token;    /* token name; NULL when the daemon runs open */
    const char *agent;    /* from the ticket; NULL without one */
    const char *customer; /* required */
    const char *route;    /* "GET /v1/search", "DELETE /v1/customers/{id}" */
    const char *query;    /* query text or document id; may be NULL */
    uint64_t hits;        /* history hits returned (events erased) */
    const char *client;   /* client address; may be NULL */
    const char *tenant;   /* the client company worked for; may be NULL */
};

struct vb_audit_filter {
    const char *customer, *agent; /* NULL: any */
    const char *tenant;           /* NULL: every client's rows */
    int64_t from_us, to_us;       /* inclusive */
    uint32_t limit, offset;
};

struct vb_audit_counts {
    uint64_t written, failed, purged;
};

struct vb_audit;

/* The audit log in `path` (created 0600 when missing; WAL,
 * synchronous=FULL), with rows older than `retention_days` purged at
 * start and every hour by the log's own thread.  A database that cannot
 * be opened is not an error here: every write then fails (and retries
 * the open) and vb_audit_problem says why.  Errors: VB_ENOMEM. */
enum vb_status vb_audit_open(const char *path, unsigned retention_days,
                             struct vb_audit **out, struct vb_error *err);

/* Stops the thread and closes the database; NULL is a no-op. */
void vb_audit_close(struct vb_audit *audit);

/* Writes one row and returns once it is durable (rows of concurrent
 * callers are committed together).  Errors: VB_EIO with SQLite's
 * message (disk full, read-only, ...). */
enum vb_status vb_audit_write(struct vb_audit *audit,
                              const struct vb_audit_entry *entry,
                              struct vb_error *err);

/* Why the log could not be written last time; false when it could. */
bool vb_audit_problem(struct vb_audit *audit, struct vb_error *problem);

/* Called for each row, newest first; the strings are borrowed for the
 * call.  Return non-zero to stop. */
typedef int (*vb_audit_row_fn)(void *ctx, const struct vb_audit_entry *row);

/* The rows that match `filter`, newest first, and their number in
 * *total.  Errors: VB_EIO. */
enum vb_status vb_audit_query(struct vb_audit *audit,
                              const struct vb_audit_filter *filter,
                              vb_audit_row_fn fn, void *ctx, uint64_t *total,
                              struct vb_error *err);

void vb_audit_get_counts(struct vb_audit *audit, struct vb_audit_counts *out);

/* ==== analytics.c: searches, opens and feedback for the editors ======= */

#define VB_ANALYTICS_QUERY_MAX 256 /* bytes of a query kept */
#define VB_ANALYTICS_DOC_MAX 128

struct vb_analytics;

/* The analytics database `path` (created 0600; WAL), with its writer
 * thread; searches and opens older than `retention_days` (and feedback
 * resolved before then) are purged hourly.  Errors: VB_EIO, VB_ENOMEM. */
enum vb_status vb_analytics_open(const char *path, unsigned retention_days,
                                 struct vb_analytics **out,
                                 struct vb_error *err);
void vb_analytics_close(struct vb_analytics *analytics);

/* The form queries are recorded in: lower case (ASCII), white space
 * collapsed, at most cap - 1 bytes, never cut inside a character. */
void vb_analytics_normalise(const char *text, size_t len, char *out,
                            size_t cap);

/* Queues one search (a suggest: no text) from `client` (a key of the
 * client's address and token, to fold typing); never waits: a full queue
 * drops it, counted.  NULL analytics: nothing. */
void vb_analytics_search(struct vb_analytics *analytics, uint64_t client,
                         bool suggest, const char *query, size_t len,
                         const char *lang, const char *tenant, uint64_t hits,
                         uint64_t took_us);

/* Queues "the agent opened `doc` from the results of `query`". */
void vb_analytics_opened(struct vb_analytics *analytics, const char *query,
                         size_t len, const char *doc, const char *tenant);

void vb_analytics_counts(struct vb_analytics *analytics, uint64_t *written,
                         uint64_t *dropped);

enum vb_analytics_kind {
    VB_ANALYTICS_ZERO_RESULTS, /* searched, nothing found */
    VB_ANALYTICS_TOP,          /* searched most */
    VB_ANALYTICS_NO_OPEN       /* found something, nothing opened */
};

typedef int (*vb_analytics_row_fn)(void *ctx, const char *query,
                                   uint64_t count, int64_t last_us);

/* The queries of `kind` between from_us and to_us, most frequent first,
 * at most `limit`.  Errors: VB_EIO. */
/* Rows of searches made for `tenant` only (NULL: every one). */
enum vb_status vb_analytics_report(struct vb_analytics *analytics,
                                   enum vb_analytics_kind kind,
                                   const char *tenant, int64_t from_us,
                                   int64_t to_us, uint32_t limit,
                                   vb_analytics_row_fn fn, void *ctx,
                                   struct vb_error *err);

/* One flag on an article. */
struct vb_feedback {
    int64_t id, time_us;
    const char *doc, *reason, *comment; /* comment may be NULL */
    int64_t paragraph;                  /* -1: none */
    const char *token;                  /* who flagged (token name) */
    const char *tenant;                 /* for whom, or NULL */
    const char *state;                  /* "open", "resolved" */
    int64_t resolved_us;
    const char *resolved_by;
};

/* Stores a flag (written before it returns); its number in *id. */
enum vb_status vb_feedback_add(struct vb_analytics *analytics,
                               const struct vb_feedback *feedback, int64_t *id,
                               struct vb_error *err);

typedef int (*vb_feedback_fn)(void *ctx, const struct vb_feedback *feedback);

/* Flags in `state` ("open", "resolved"; NULL: all) made for `tenant`
 * (NULL: every one), newest first. */
enum vb_status vb_feedback_list(struct vb_analytics *analytics,
                                const char *state, const char *tenant,
                                uint32_t limit, vb_feedback_fn fn, void *ctx,
                                struct vb_error *err);

/* Marks open flag `id` (of `tenant`, when not NULL) resolved by `by`.
 * VB_ENOTFOUND when there is no such open flag. */
enum vb_status vb_feedback_resolve(struct vb_analytics *analytics, int64_t id,
                                   const char *tenant, const char *by,
                                   struct vb_error *err);

/* ==== errors.c: what an error is called, and answered with ============ */

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
    VB_API_UNAUTHORIZED,        /* 401: no token, or a wrong one */
    VB_API_FORBIDDEN,           /* 403: the token's role may not */
    VB_API_TICKET_REQUIRED,     /* 403: history without a ticket */
    VB_API_TICKET_EXPIRED,      /* 403 */
    VB_API_TICKET_INVALID,      /* 403: not ours, or tampered with */
    VB_API_TICKET_WRONG_CUSTOMER, /* 403: a ticket for another customer */
    VB_API_RATE_LIMITED,        /* 429 */
    VB_API_MISDIRECTED,         /* 421: a Host we do not serve */
    VB_API_AUDIT_UNAVAILABLE,   /* 503: no audit row, no history */
    VB_API_PRECONDITION_FAILED, /* 412: If-Match differs */
    VB_API_TICKET_WRONG_TENANT, /* 403: a ticket for another client's
                                 * customer */
    VB_API_ERROR_COUNT
};

/* "invalid_parameter", ...  Static storage. */
const char *vb_api_error_slug(enum vb_api_error code);

/* How a failed call of the engine, the indexer or a database is
 * answered: the HTTP status, the code, and the parameter at fault
 * (NULL: none). */
struct vb_api_failure {
    unsigned http;
    enum vb_api_error code;
    const char *parameter;
};
struct vb_api_failure vb_api_failure_of(enum vb_status status);

/* Whether `status` from a searcher says its index is in trouble (the
 * pool then reopens it). */
bool vb_status_index_trouble(enum vb_status status);


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
    VB_ENDPOINT_AUDIT,
    VB_ENDPOINT_CUSTOMERS, /* erasure */
    VB_ENDPOINT_ANALYTICS,
    VB_ENDPOINT_FEEDBACK,
    VB_ENDPOINT_OTHER,     /* no route: 404 */
    VB_ENDPOINT_COUNT
};

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

/* What /v1/health and /metrics say of the index (api_admin.c). */
struct vb_index_state {
    bool up; /* it could be read */
    uint32_t documents;
    uint64_t revision;
    size_t shards_down;      /* an index over remote shards */
    struct vb_error partial; /* names them; msg "" when none */
};

/* The scrape of GET /metrics: every counter, the index's state and the
 * audit and analytics writers' counts, as Prometheus text (malloc'd,
 * *len bytes); NULL when out of memory. */
char *vb_metrics_render(struct vb_metrics *metrics,
                        const struct vb_index_state *index,
                        const struct vb_audit_counts *audit,
                        uint64_t analytics_written, uint64_t analytics_dropped,
                        size_t *len);

/* ==== deadline.c: a request must arrive in time ======================= */

struct vb_deadlines;
struct vb_deadline; /* one connection's */

enum vb_deadline_phase {
    VB_DEADLINE_HEADERS, /* the (next) request's headers are awaited */
    VB_DEADLINE_BODY,    /* its body */
    VB_DEADLINE_NONE     /* all arrived: the answer is being made */
};

/* Starts the watchdog for up to `connections` connections at once. */
enum vb_status vb_deadlines_start(unsigned header_seconds,
                                  unsigned body_seconds, size_t connections,
                                  struct vb_deadlines **out,
                                  struct vb_error *err);
void vb_deadlines_stop(struct vb_deadlines *d); /* NULL: no-op */
/* A connection on socket `fd` opened: its headers are awaited.  NULL when
 * every slot is taken (that connection then has no deadline). */
struct vb_deadline *vb_deadline_open(struct vb_deadlines *d, int fd);
/* Before its socket is closed (NULL: no-op). */
void vb_deadline_close(struct vb_deadlines *d, struct vb_deadline *slot);
/* What the connection now waits for, from now on (NULL: no-op). */
void vb_deadline_await(struct vb_deadlines *d, struct vb_deadline *slot,
                       enum vb_deadline_phase phase);

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

/* ==== policy.c: what a reload may change ============================== */

/* Who may call what, which origins and host names are answered, /metrics
 * and the request log: immutable once made; a request holds the one it
 * started with (vb_policy_take at its first callback, release when it
 * completes), a reload puts a new one in place. */
struct vb_policy {
    unsigned refs; /* the server's, and each request's (policy_lock) */
    struct vb_access *access;
    char *cors_origins[VB_SEARCHD_CORS_ORIGINS_MAX];
    size_t cors_origin_count;
    bool cors_any;
    bool metrics_open;
    bool log_requests;
    /* Host names answered (server_name, plus the loopback names on
     * loopback). */
    char *server_names[VB_SEARCHD_SERVER_NAMES_MAX + 4];
    size_t server_name_count;
};

/* A policy from `config` for a daemon at `url` (on loopback or not),
 * with one reference; NULL and an error when the token or ticket files
 * cannot be read. */
enum vb_status vb_policy_new(const struct vb_searchd_config *config,
                             const char *url, bool loopback,
                             struct vb_policy **out, struct vb_error *err);
void vb_policy_free(struct vb_policy *policy);
struct vb_policy *vb_policy_take(struct vb_searchd *server);
/* Drops a reference; the last one frees the policy.  NULL is a no-op. */
void vb_policy_release(struct vb_searchd *server, struct vb_policy *policy);

/* ==== server.c, routes.c, request.c: the daemon, its routes, a request = */

/* What off-loopback requires (Contract 5); the first thing missing, in a
 * one-line message. */
enum vb_status vb_searchd_check_exposure(const struct vb_searchd_config *config,
                                         bool loopback, struct vb_error *err);

struct vb_searchd {
    struct MHD_Daemon *daemon;
    struct vb_search_engine *engine;
    struct vb_pool *pool;
    struct vb_metrics metrics;
    pthread_mutex_t policy_lock;
    struct vb_policy *policy; /* the current one (policy_lock) */
    struct vb_audit *audit;
    struct vb_analytics *analytics; /* NULL when its database failed */
    struct vb_deadlines *deadlines;
    char analytics_problem[256];
    char *index_dir;
    char *web_dir;
    bool loopback; /* listening on a loopback address */
    char *tls_cert, *tls_key; /* PEM text, for libmicrohttpd */
    char url[96];
};

struct vb_request;
typedef enum MHD_Result (*vb_handler_fn)(struct vb_request *request);

struct vb_route {
    const char *method;
    const char *path; /* a trailing "{name}" segment matches one segment */
    enum vb_endpoint endpoint;
    /* The least role that may call it once tokens are configured;
     * VB_ROLE_NONE: open to all. */
    enum vb_role role;
    size_t body_max; /* largest POST body accepted (bytes); 0: no body */
    vb_handler_fn handler;
    bool json_lines; /* its body may be application/x-ndjson too */
};

struct vb_request {
    struct vb_arena *arena; /* holds this struct too */
    struct vb_searchd *server;
    struct vb_policy *policy; /* the one it started with (a reference) */
    struct vb_deadline *deadline; /* its connection's slot (deadline.c) */
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
    size_t target_len;        /* of the raw request target */
    size_t target_separators; /* its '&' */
    /* The token the request came with (NULL when the daemon runs open);
     * borrowed from the server's access state. */
    const struct vb_searchd_token *token;
    /* The client the request works for (Contract 1 `tenant`), once its
     * handler checked it; NULL: every client.  Audit rows name it. */
    const char *tenant;
    /* The document's ETag for the response (GET, PUT /v1/docs/{id});
     * "" for none. */
    char etag[20];
    struct timespec started;
    unsigned status; /* of the queued response; 0 before */
    /* For the request log: the error answered (with its parameter, a
     * static name), and the hits of a search (-1: not a search). */
    int error; /* enum vb_api_error, or -1 */
    const char *error_parameter;
    long hits;
    /* The POST body, read up to route->body_max (for routes without a
     * body, body_len counts the bytes dropped). */
    char *body;
    size_t body_len, body_cap;
};

/* routes.c: the row of the first route whose path matches `path` (its
 * "{name}" segment in *arg), or NULL; the row for a resource and method,
 * or NULL; the methods of a resource for an Allow header. */
const struct vb_route *vb_route_resource(const char *path, const char **arg,
                                         size_t *arg_len);
const struct vb_route *vb_route_method(const char *resource,
                                       const char *method);
void vb_route_allow(const char *resource, char *out, size_t cap);
/* Whether `path` matches `pattern`; a "{name}" segment matches one
 * non-empty segment, returned in *arg (the first one, when there are
 * several). */
bool vb_route_path_matches(const char *pattern, const char *path,
                           const char **arg, size_t *arg_len);

/* request.c: libmicrohttpd's callbacks (cls is the struct vb_searchd). */
void *vb_request_on_uri(void *cls, const char *uri,
                        struct MHD_Connection *connection);
void vb_request_on_connection(void *cls, struct MHD_Connection *connection,
                              void **socket_context,
                              enum MHD_ConnectionNotificationCode code);
void vb_request_on_completed(void *cls, struct MHD_Connection *connection,
                             void **con_cls,
                             enum MHD_RequestTerminationCode toe);
enum MHD_Result vb_request_on_request(void *cls,
                                      struct MHD_Connection *connection,
                                      const char *url, const char *method,
                                      const char *version,
                                      const char *upload_data,
                                      size_t *upload_data_size, void **con_cls);

/* ==== listen.c: the listening socket and TLS ========================== */

struct addrinfo;
/* Splits "HOST:PORT" or "[V6]:PORT" and resolves it (freeaddrinfo *out);
 * *loopback says whether every address it resolves to is a loopback
 * one. */
enum vb_status vb_listen_resolve(const char *address, struct addrinfo **out,
                                 bool *loopback, struct vb_error *err);
/* Binds the first address of `list` that this machine has (a busy port is
 * an error at once), listening, into *fd_out; its URL into url. */
enum vb_status vb_listen_bind(const char *address,
                              const struct addrinfo *list, bool tls,
                              int *fd_out, char *url, size_t url_cap,
                              struct vb_error *err);
/* Reads config's certificate and key into server and checks, with
 * GnuTLS, that they are PEM and belong together. */
enum vb_status vb_tls_load(const struct vb_searchd_config *config,
                           struct vb_searchd *server, struct vb_error *err);

/* ==== http.c: responses ================================================ */

/* Queues `response` with `status`, adding the common headers (CORS for an
 * allowed origin, nosniff), counts it in the metrics, and releases
 * `response`.  All other responders end here. */
enum MHD_Result vb_respond(struct vb_request *request, unsigned status,
                           struct MHD_Response *response);

/* A JSON string of `s`, or null for NULL: every "absent" field of the
 * API is null.  NULL (out of memory, or not UTF-8) makes the setter that
 * takes it fail. */
json_t *vb_json_text(const char *s);

/* `root` (stolen) as compact JSON with `Content-Type: application/json;
 * charset=utf-8` and `Cache-Control: no-store`. */
enum MHD_Result vb_respond_json(struct vb_request *request, unsigned status,
                                json_t *root);

/* `json` (malloc'd text of `len` bytes) as the answer; it is freed. */
enum MHD_Result vb_respond_json_owned(struct vb_request *request,
                                      unsigned status, char *json, size_t len);
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

/* A failed call (engine, indexer) as an answer, as errors.c maps
 * `status`: a fault of the request says err->msg; a fault of the server
 * says `what_failed` ("the index cannot be read") and err->msg. */
enum MHD_Result vb_respond_failure(struct vb_request *request,
                                   enum vb_status status,
                                   const struct vb_error *err,
                                   const char *what_failed);

/* 401 with WWW-Authenticate: Bearer (no token, or `had_token`: a wrong
 * one). */
enum MHD_Result vb_respond_unauthorized(struct vb_request *request,
                                        bool had_token);

/* 503 index_unavailable with Retry-After: 1 (the index is being written
 * by another process). */
enum MHD_Result vb_respond_busy(struct vb_request *request,
                                const char *message);

/* 429 with Retry-After: `retry_after` seconds; `why` is the message. */
enum MHD_Result vb_respond_too_many(struct vb_request *request,
                                    unsigned retry_after, const char *why);

/* 405 with an Allow header listing `allow`. */
enum MHD_Result vb_respond_method_not_allowed(struct vb_request *request,
                                              const char *allow);

/* Writes s[0..len) into dst (always NUL-terminated, at most cap bytes) as
 * printable, valid UTF-8 for an error message: control characters and
 * invalid bytes become \xNN, and a text longer than the buffer is cut
 * with "...".  Size the buffer to how much of the text is worth showing.
 * Returns dst. */
char *vb_quote(char *dst, size_t cap, const char *s, size_t len);

/* Unix microseconds as "2026-12-05T14:03:12.345Z" (cap >= 32). */
void vb_format_time(int64_t us, char *out, size_t cap);

/* A key for the client of `request`: its address and token. */
uint64_t vb_request_client(struct vb_request *request);

/* Nanoseconds since `since` (CLOCK_MONOTONIC). */
uint64_t vb_elapsed_ns(const struct timespec *since);

/* ==== params.c: a request's parameters, read ========================== */

/* The parameters and body fields of the API, one name each. */
enum vb_field {
    VB_FIELD_Q,
    VB_FIELD_TEXT,
    VB_FIELD_LANG,
    VB_FIELD_TYPE,
    VB_FIELD_CUSTOMER,
    VB_FIELD_LIMIT,
    VB_FIELD_OFFSET,
    VB_FIELD_FACETS,
    VB_FIELD_AGENT,
    VB_FIELD_FROM,
    VB_FIELD_TO,
    VB_FIELD_KIND,
    VB_FIELD_STATE,
    VB_FIELD_QUERY,
    VB_FIELD_DOC,
    VB_FIELD_REASON,
    VB_FIELD_COMMENT,
    VB_FIELD_PARAGRAPH,
    VB_FIELD_BEFORE,
    VB_FIELD_TENANT,
    VB_FIELD_COUNT
};

/* "q", "text", ...: the name of each field. */
extern const char *const vb_field_names[VB_FIELD_COUNT];

/* Which fields a route accepts. */
#define VB_FIELD_BIT(f) (1u << (f))
#define VB_FIELDS_SEARCH                                                       \
    (VB_FIELD_BIT(VB_FIELD_Q) | VB_FIELD_BIT(VB_FIELD_LANG) |                  \
     VB_FIELD_BIT(VB_FIELD_TYPE) | VB_FIELD_BIT(VB_FIELD_CUSTOMER) |           \
     VB_FIELD_BIT(VB_FIELD_LIMIT) | VB_FIELD_BIT(VB_FIELD_OFFSET) |            \
     VB_FIELD_BIT(VB_FIELD_FACETS) | VB_FIELD_BIT(VB_FIELD_TENANT))
#define VB_FIELDS_SUGGEST                                                      \
    (VB_FIELD_BIT(VB_FIELD_TEXT) | VB_FIELD_BIT(VB_FIELD_LANG) |               \
     VB_FIELD_BIT(VB_FIELD_CUSTOMER) | VB_FIELD_BIT(VB_FIELD_LIMIT) |          \
     VB_FIELD_BIT(VB_FIELD_TYPE) | VB_FIELD_BIT(VB_FIELD_TENANT))
#define VB_FIELDS_ANALYZE                                                      \
    (VB_FIELD_BIT(VB_FIELD_TEXT) | VB_FIELD_BIT(VB_FIELD_LANG))
#define VB_FIELDS_DOCUMENT                                                     \
    (VB_FIELD_BIT(VB_FIELD_CUSTOMER) | VB_FIELD_BIT(VB_FIELD_TENANT))
#define VB_FIELDS_AUDIT                                                        \
    (VB_FIELD_BIT(VB_FIELD_CUSTOMER) | VB_FIELD_BIT(VB_FIELD_AGENT) |          \
     VB_FIELD_BIT(VB_FIELD_FROM) | VB_FIELD_BIT(VB_FIELD_TO) |                 \
     VB_FIELD_BIT(VB_FIELD_LIMIT) | VB_FIELD_BIT(VB_FIELD_OFFSET) |            \
     VB_FIELD_BIT(VB_FIELD_TENANT))
#define VB_FIELDS_ANALYTICS                                                    \
    (VB_FIELD_BIT(VB_FIELD_KIND) | VB_FIELD_BIT(VB_FIELD_FROM) |               \
     VB_FIELD_BIT(VB_FIELD_TO) | VB_FIELD_BIT(VB_FIELD_LIMIT) |                \
     VB_FIELD_BIT(VB_FIELD_TENANT))
#define VB_FIELDS_OPEN                                                         \
    (VB_FIELD_BIT(VB_FIELD_QUERY) | VB_FIELD_BIT(VB_FIELD_DOC) |               \
     VB_FIELD_BIT(VB_FIELD_TENANT))
#define VB_FIELDS_FEEDBACK                                                     \
    (VB_FIELD_BIT(VB_FIELD_DOC) | VB_FIELD_BIT(VB_FIELD_REASON) |              \
     VB_FIELD_BIT(VB_FIELD_COMMENT) | VB_FIELD_BIT(VB_FIELD_PARAGRAPH) |       \
     VB_FIELD_BIT(VB_FIELD_TENANT))
#define VB_FIELDS_FEEDBACK_LIST                                                \
    (VB_FIELD_BIT(VB_FIELD_STATE) | VB_FIELD_BIT(VB_FIELD_LIMIT) |             \
     VB_FIELD_BIT(VB_FIELD_TENANT))
#define VB_FIELDS_RESOLVE VB_FIELD_BIT(VB_FIELD_TENANT)
#define VB_FIELDS_WRITE VB_FIELD_BIT(VB_FIELD_TENANT)
#define VB_FIELDS_REVIEW                                                       \
    (VB_FIELD_BIT(VB_FIELD_BEFORE) | VB_FIELD_BIT(VB_FIELD_TENANT))

/* One raw value: a string (query parameter, or JSON string), or another
 * JSON value (POST bodies only). */
struct vb_raw_value {
    bool present;
    const char *s; /* NUL-terminated; NULL for non-string JSON values */
    size_t len;
    json_t *json; /* the JSON value (borrowed from the body); NULL for GET */
};

struct vb_fields {
    const char *what; /* "parameter" (query string) or "field" (body) */
    struct vb_raw_value v[VB_FIELD_COUNT];
};

/* "an object", "a string", ...: what a JSON value is, for a message. */
const char *vb_json_kind(const json_t *value);

/* The query string into *fields, accepting the fields in `allowed`.
 * False when it answered (unknown, repeated, too many parameters), with
 * the answer in *result. */
bool vb_read_query(struct vb_request *request, unsigned allowed,
                   struct vb_fields *fields, enum MHD_Result *result);

/* The JSON object body into *fields; *body holds the parsed document the
 * fields borrow from (json_decref it when done).  False when it
 * answered, as vb_read_query. */
bool vb_read_body(struct vb_request *request, unsigned allowed,
                  struct vb_fields *fields, json_t **body,
                  enum MHD_Result *result);

/* ==== checks.c: a request's parameters, checked ======================= */

/* Values after checking, ready for the engine. */
struct vb_checked {
    const char *text;
    size_t text_len;
    enum vb_lang lang;
    const char *types[VB_SEARCH_TYPES_MAX];
    size_t type_count;
    const char *customer;
    const char *tenant; /* NULL: every client's documents */
    uint32_t limit, offset;
    bool facets;
};

/* The checks of one request: after the first failure the others do
 * nothing, and `result` is the error answer already queued. */
struct vb_check {
    struct vb_request *request;
    const struct vb_fields *fields;
    enum MHD_Result result; /* of the error response, once answered */
    bool failed;
};

/* Answers the error (`field` its parameter, or -1) unless one was. */
void vb_check_fail(struct vb_check *c, unsigned status, enum vb_api_error code,
                   int field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Every string value is valid UTF-8. */
void vb_check_utf8(struct vb_check *c);
/* Field f as a string (false, after an error, when it is another JSON
 * value). */
bool vb_check_string(struct vb_check *c, int f, const char **s, size_t *len);
/* Field f as a string that must be there. */
bool vb_check_required(struct vb_check *c, int f, const char **s,
                       size_t *len);
/* The text of a search or suggestion (`q` or `text`), at most max bytes. */
void vb_check_text(struct vb_check *c, int f, size_t max,
                   struct vb_checked *out);
void vb_check_lang(struct vb_check *c, struct vb_checked *out);
void vb_check_customer(struct vb_check *c, struct vb_checked *out);
/* The client the request works for, which its token must allow; the
 * request remembers it (audit rows name it). */
void vb_check_tenant(struct vb_check *c, struct vb_checked *out);
void vb_check_types(struct vb_check *c, struct vb_checked *out);
/* A whole number from min to max into *out, when the field is there;
 * true when it was there and good. */
bool vb_check_number(struct vb_check *c, int f, uint32_t min, uint32_t max,
                     uint32_t *out);
void vb_check_facets(struct vb_check *c, struct vb_checked *out);
/* A date or UTC time as Unix microseconds (a bare date as `to`: the end
 * of that day). */
void vb_check_time(struct vb_check *c, int f, bool end_of_day, int64_t *out);

/* ==== api_search.c, api_admin.c, api_editors.c, api_writes.c: routes == */

enum MHD_Result vb_handle_search(struct vb_request *request);
enum MHD_Result vb_handle_suggest(struct vb_request *request);
enum MHD_Result vb_handle_document(struct vb_request *request);
enum MHD_Result vb_handle_analyze(struct vb_request *request);

enum MHD_Result vb_handle_health(struct vb_request *request);
enum MHD_Result vb_handle_health_live(struct vb_request *request);
enum MHD_Result vb_handle_health_ready(struct vb_request *request);
enum MHD_Result vb_handle_metrics(struct vb_request *request);
enum MHD_Result vb_handle_audit(struct vb_request *request);
enum MHD_Result vb_handle_erase_customer(struct vb_request *request);

enum MHD_Result vb_handle_analytics_open(struct vb_request *request);
enum MHD_Result vb_handle_analytics(struct vb_request *request);
enum MHD_Result vb_handle_feedback_add(struct vb_request *request);
enum MHD_Result vb_handle_feedback_list(struct vb_request *request);
enum MHD_Result vb_handle_feedback_resolve(struct vb_request *request);
enum MHD_Result vb_handle_review(struct vb_request *request);

enum MHD_Result vb_handle_document_put(struct vb_request *request);
enum MHD_Result vb_handle_document_delete(struct vb_request *request);
enum MHD_Result vb_handle_documents_bulk(struct vb_request *request);

/* ==== render.c: every JSON shape of the answers ======================= */

/* A search's answer as JSON text, NUL-terminated, its length in *len;
 * NULL when out of memory or a text is not valid UTF-8. */
char *vb_render_result(const char *query, size_t query_len, bool facets,
                       const struct vb_search_result *result, size_t *len);
/* The others return a new JSON value (NULL when out of memory, or a text
 * that is not valid UTF-8) and steal the json_t arguments given. */
json_t *vb_render_document(const struct vb_document *doc, bool expired);
json_t *vb_render_token(const char *text, const struct vb_token *token);
json_t *vb_render_analysis(enum vb_lang lang, bool detected, json_t *tokens);
/* {"status": "live"}. */
json_t *vb_render_live(void);
/* {"status" ("ok", "ready"), "documents", "revision", "warnings"?}. */
json_t *vb_render_health(const char *status, uint32_t documents,
                         uint64_t revision, const struct vb_error *warnings,
                         size_t count);
json_t *vb_render_report_row(const char *query, uint64_t count,
                             int64_t last_us);
json_t *vb_render_report(const char *kind, int64_t from_us, int64_t to_us,
                         json_t *rows);
json_t *vb_render_feedback(const struct vb_feedback *f);
json_t *vb_render_feedback_state(int64_t id, const char *state);
json_t *vb_render_queued(void);
/* {"before", "entries"}, or {"entries"} when before is NULL. */
json_t *vb_render_entries(const char *before, json_t *rows);
json_t *vb_render_due(const struct vb_search_due_item *item);
json_t *vb_render_audit_row(const struct vb_audit_entry *row);
/* Unlike the others, does not steal `entries`. */
json_t *vb_render_audit(json_t *entries, uint64_t total);
json_t *vb_render_erased(const char *customer, uint64_t erased);
json_t *vb_render_written(const char *id, const char *etag, bool created);
json_t *vb_render_deleted(const char *id);
/* One line of a bulk: `error` NULL for a stored document. */
json_t *vb_render_bulk_item(unsigned line, const char *id, unsigned status,
                            const char *etag, const char *error);
json_t *vb_render_bulk(bool errors, json_t *items);
json_t *vb_render_error(enum vb_api_error code, const char *parameter,
                        const char *message);

/* ==== privacy.c: tickets, audit rows, the audit log, erasure ========== */

/* The audit rows that match `filter`, as JSON ({"entries", "total"}) or,
 * for Accept: text/csv, as CSV with the total in X-Total-Count. */
enum MHD_Result vb_respond_audit(struct vb_request *request,
                                 const struct vb_audit_filter *filter);

/* Erases `customer`'s history (a valid id) and records it in the audit
 * log: {"customer", "erased": N}. */
enum MHD_Result vb_erase_customer(struct vb_request *request,
                                  const char *customer);

/* Writes the audit row of a request that touched `customer`'s history
 * (`query` and `hits` as for struct vb_audit_entry; the token, the agent
 * of the ticket and the client from the request).  VB_EIO (with the
 * reason) when it cannot: the caller must then not send the history. */
enum vb_status vb_request_audit(struct vb_request *request,
                                const char *customer, const char *agent,
                                const char *query, size_t query_len,
                                uint64_t hits, struct vb_error *err);

/* Checks the X-Vraagbaak-Ticket of a request for `customer`'s history
 * (always true when tickets are not required, with agent ""); false when
 * it answered 403. */
bool vb_request_ticket(struct vb_request *request, const char *customer,
                       char agent[VB_SEARCHD_NAME_MAX + 1],
                       enum MHD_Result *result);

/* ==== static.c: files from web/ ======================================= */

enum MHD_Result vb_handle_static(struct vb_request *request);

#endif
