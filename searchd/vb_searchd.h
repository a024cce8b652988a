/* vb_searchd.h — Vraagbaak's HTTP layer: the search daemon as a library.
 *
 * Serves Contract 3 (../shared/DESIGN.md) on libmicrohttpd: parses HTTP
 * requests into struct vb_search_request, calls the search engine
 * (search/vb_search.h), writes its results out as JSON, and serves
 * /metrics, the demo page and the widget.  Knows HTTP and JSON, not
 * Snowball or Xapian: what a query means is the engine's business.
 *
 * Two objects:
 *   - struct vb_searchd_config: the options of Contract 2, filled from the
 *     command line and an optional config file (same keys for both).
 *   - struct vb_searchd: a running server.  vb_searchd_open binds the
 *     socket and serves from a pool of internal threads until
 *     vb_searchd_close; the caller's thread is free (main waits for a
 *     signal).  Block SIGINT/SIGTERM before vb_searchd_open if the caller
 *     wants to sigwait() for them: the server's threads inherit the mask. */
#ifndef VB_SEARCHD_H
#define VB_SEARCHD_H

#include <stdbool.h>
#include <stddef.h>

#include "vb_document.h"
#include "vb_error.h"

/* ---- Configuration ---------------------------------------------------- */

#define VB_SEARCHD_LISTEN_DEFAULT "127.0.0.1:8080"
#define VB_SEARCHD_INDEX_DEFAULT "./data/index"
#define VB_SEARCHD_TIMEOUT_DEFAULT 10 /* seconds of client silence */
#define VB_SEARCHD_HEADER_TIMEOUT_DEFAULT 20 /* seconds for a request's headers */
#define VB_SEARCHD_BODY_TIMEOUT_DEFAULT 120  /* and for its body (64 MiB bulk) */
#define VB_SEARCHD_MAX_CONNECTIONS_DEFAULT 256
#define VB_SEARCHD_MAX_PER_CLIENT_DEFAULT 128
#define VB_SEARCHD_THREADS_MAX 256
#define VB_SEARCHD_CORS_ORIGINS_MAX 32
#define VB_SEARCHD_SERVER_NAMES_MAX 32
#define VB_SEARCHD_TOKENS_MAX 1024
/* Token and agent names: [A-Za-z0-9._-]{1,64}, no ':' (tickets join
 * fields with it). */
#define VB_SEARCHD_NAME_MAX 64
/* Per-token rate limit when tokens are configured: requests per second,
 * and how many may come at once after a quiet spell. */
#define VB_SEARCHD_RATE_LIMIT_DEFAULT 100
#define VB_SEARCHD_RATE_BURST_DEFAULT 200
#define VB_SEARCHD_SHARD_TIMEOUT_DEFAULT 1000 /* ms, a remote shard's answer   \
                                               */
#define VB_SEARCHD_AUDIT_RETENTION_DEFAULT 365 /* days */
#define VB_SEARCHD_ANALYTICS_RETENTION_DEFAULT 90 /* days */
#define VB_SEARCHD_TICKET_SECONDS_DEFAULT (8 * 3600)
#define VB_SEARCHD_TICKET_SECONDS_MAX (7 * 24 * 3600)
/* A token's secret: at least this many bytes (a random 32 bytes in
 * base64 is 44). */
#define VB_SEARCHD_TOKEN_SECRET_MIN 16
/* The ticket secret: at least this many bytes. */
#define VB_SEARCHD_TICKET_SECRET_MIN 32

/* What a token may do (Contract 5); each role may do what the ones
 * before it may. */
enum vb_role {
    VB_ROLE_NONE = 0, /* no token: the open routes only */
    VB_ROLE_AGENT,    /* search, suggest, documents, analyze */
    VB_ROLE_EDITOR,   /* also writing documents, analytics, feedback */
    VB_ROLE_ADMIN     /* also the audit log and erasure */
};

/* "agent", "editor", "admin" ("none" for VB_ROLE_NONE).  Static. */
const char *vb_role_name(enum vb_role role);

/* Tenants one token may name (`tenants=a,b`). */
#define VB_SEARCHD_TOKEN_TENANTS_MAX 32

/* One `token = NAME ROLE HASH [tenants=a,b]` line: only the SHA-256 of
 * the secret is ever kept. */
struct vb_searchd_token {
    char name[VB_SEARCHD_NAME_MAX + 1];
    enum vb_role role;
    unsigned char hash[32];
    /* The clients it works for (Contract 1 `tenant`); none: every one,
     * and the shared documents' writes. */
    char tenants[VB_SEARCHD_TOKEN_TENANTS_MAX][VB_DOC_TENANT_MAX + 1];
    size_t tenant_count;
};

struct vb_searchd_config {
    char *index_dir;    /* the index directory */
    char *listen;       /* "HOST:PORT", "[V6]:PORT"; port 0: any free port */
    char *synonyms_dir; /* per-language synonym files, or NULL */
    char *web_dir;      /* static files: / is index.html, /NAME is NAME */
    /* Origins allowed to call the API from a browser ("https://crm.example",
     * or "*" for any); none: no CORS headers at all. */
    char *cors_origins[VB_SEARCHD_CORS_ORIGINS_MAX];
    size_t cors_origin_count;
    unsigned threads;         /* 0: one per online CPU core */
    unsigned timeout_seconds; /* idle client cut off after this long */
    /* A request's headers must all have arrived this long after the
     * connection opened (or the previous answer was sent), and its body
     * this long after its headers; else the connection is closed. */
    unsigned header_timeout_seconds, body_timeout_seconds;
    unsigned max_connections; /* open connections at once */
    /* Open connections from one client address at once (0: no limit of
     * its own): one client trickling headers on hundreds of connections
     * cannot take every slot.  A contact centre behind one NAT address
     * needs it above its number of agents. */
    unsigned max_connections_per_client;

    /* ---- Contract 5: access, tickets, audit ---- */
    struct vb_searchd_token *tokens; /* none: the daemon runs open */
    size_t token_count;
    char *ticket_secret_file; /* NULL: history without tickets (loopback) */
    char *audit_db;           /* NULL: INDEX_DIR.audit.db */
    unsigned audit_retention_days;
    /* ---- Editors: what agents searched, opened and flagged ---- */
    char *analytics_db;       /* NULL: INDEX_DIR.analytics.db */
    unsigned analytics_retention_days;
    char *tls_cert, *tls_key; /* PEM files; both or neither */
    bool tls_off;             /* plain HTTP off loopback, on purpose */
    bool metrics_open;        /* /metrics without a token */
    /* One JSON line per request on standard error (for journald or a
     * log shipper): time, method, route, status, took_us, hits, token
     * and tenant names, error code and parameter; never a query, an id,
     * a token's secret, a ticket or history text. */
    bool log_requests;
    /* Host names the daemon answers to (besides the loopback names when
     * it listens on loopback). */
    char *server_names[VB_SEARCHD_SERVER_NAMES_MAX];
    size_t server_name_count;
    unsigned rate_limit, rate_burst; /* per token; rate_limit 0: none */
    /* An index given as a stub file of remote shards: how long one may
     * take to connect or to answer before it counts as down. */
    unsigned shard_timeout_ms;
};

/* Fills `config` with the defaults: index $VRAAGBAAK_INDEX or
 * VB_SEARCHD_INDEX_DEFAULT, listen VB_SEARCHD_LISTEN_DEFAULT, web_dir
 * `default_web_dir` (may be NULL: no static files), no synonyms, no CORS,
 * threads 0, the timeout and connection defaults above.  VB_ENOMEM on
 * failure (then nothing is left allocated). */
enum vb_status vb_searchd_config_init(struct vb_searchd_config *config,
                                      const char *default_web_dir,
                                      struct vb_error *err);

/* The options that differ between `running` and `next` and take a
 * restart to apply (not reloadable), as "listen, index" in out[0..cap);
 * their number. */
size_t vb_searchd_config_restart_keys(const struct vb_searchd_config *running,
                                      const struct vb_searchd_config *next,
                                      char *out, size_t cap);

/* Frees what the config owns; the struct itself is the caller's. */
void vb_searchd_config_cleanup(struct vb_searchd_config *config);

/* Sets option `key` ("index", "listen", "synonyms", "web", "cors-origin"
 * (adds one), "threads", "timeout", "header-timeout", "body-timeout",
 * "max-connections", "max-connections-per-client",
 * and Contract 5's
 * "token" (adds one), "ticket_secret_file", "audit_db",
 * "audit_retention_days", "analytics_db", "analytics_retention_days",
 * "tls_cert", "tls_key", "tls", "metrics", "log_requests",
 * "server_name" (adds one), "rate_limit", "rate_burst") from the text
 * `value`.  In keys '_' and '-' are the same character, so that
 * --audit-db and `audit_db = ...` both work.  Errors: VB_EINVAL for an
 * unknown key or a bad value, with a one-line message naming the key (no
 * file/line: the caller adds them); never the value of a token. */
enum vb_status vb_searchd_config_set(struct vb_searchd_config *config,
                                     const char *key, const char *value,
                                     struct vb_error *err);

/* Whether key[0..len) names an option of vb_searchd_config_set. */
bool vb_searchd_config_has_key(const char *key, size_t len);

/* Reads a config file: one "key = value" per line, '#' starts a comment
 * line, blank lines are ignored, keys as for vb_searchd_config_set.
 * Errors are "FILE:LINE: message" (VB_EINVAL), or VB_EIO/VB_ENOTFOUND
 * when the file cannot be read. */
enum vb_status vb_searchd_config_load(struct vb_searchd_config *config,
                                      const char *path, struct vb_error *err);

/* ---- Server ----------------------------------------------------------- */

struct vb_searchd;

/* Checks the configuration against the listen address (off loopback:
 * tokens, a ticket secret, a server_name and TLS, unless `tls = off`, are
 * required), reads the TLS certificate and key and the ticket secret,
 * opens the search engine on the index and the audit log, binds the
 * socket and starts serving.  An audit log that cannot be written is not
 * fatal (customer history then gets 503 until it can be): see
 * vb_searchd_problem.  Errors, each with a one-line message: VB_EINVAL
 * (bad address, or a configuration refused for it; an unreadable or
 * mismatched certificate), VB_ENOTFOUND (no index), VB_EIO (port busy or
 * cannot bind), or whatever the engine reports.  On failure *out is
 * NULL. */
enum vb_status vb_searchd_open(const struct vb_searchd_config *config,
                               struct vb_searchd **out, struct vb_error *err);

/* Puts what a running daemon can change in place (SIGHUP): tokens and
 * roles, the ticket secret (reread from its file), rate limits, CORS
 * origins, server names, /metrics access and the request log, from
 * `config`.  Requests in flight finish under the previous settings and
 * no connection is dropped.  On any error (a file that cannot be read,
 * a configuration that off-loopback would refuse) nothing changes.  The
 * other options take effect at the next start. */
enum vb_status vb_searchd_reload(struct vb_searchd *server,
                                 const struct vb_searchd_config *config,
                                 struct vb_error *err);

/* "http://127.0.0.1:8080" (https with TLS): the address actually bound
 * (port 0 resolved).  Borrowed until vb_searchd_close. */
const char *vb_searchd_url(const struct vb_searchd *server);

/* What the operator should know at start-up and in /v1/health, one line
 * each (the audit log cannot be written; the daemon runs open; history is
 * served without tickets), copied into `out` (at most `cap` lines);
 * returns the number of lines. */
size_t vb_searchd_notes(struct vb_searchd *server, char (*out)[256],
                        size_t cap);

/* Stops accepting, finishes or cuts off the open connections, and frees
 * everything.  NULL is a no-op. */
void vb_searchd_close(struct vb_searchd *server);

/* ---- Tokens and tickets (Contract 5) ----------------------------------- */

/* The `token = NAME ROLE HASH` line for a token whose secret is
 * secret[0..len) (a trailing newline is not part of it), into out (at
 * least 256 bytes).  Errors (VB_EINVAL): a bad name or role, a secret
 * shorter than VB_SEARCHD_TOKEN_SECRET_MIN bytes or holding spaces or
 * control characters. */
enum vb_status vb_searchd_token_line(const char *name, const char *role,
                                     const char *secret, size_t len,
                                     char *out, size_t cap,
                                     struct vb_error *err);

/* A customer ticket for `agent` and `customer` of `tenant` (NULL: a
 * deployment of one client), valid `seconds` from now, signed with the
 * config's ticket_secret_file: a malloc'd string in *out.  A ticket that
 * names a tenant serves requests for that tenant only, one that names
 * none only requests for no tenant.  Errors: VB_EINVAL (no ticket secret
 * configured, a bad agent, customer, tenant or validity),
 * VB_EIO/VB_ENOTFOUND (the secret file cannot be read; the message names
 * it). */
enum vb_status vb_searchd_mint_ticket(const struct vb_searchd_config *config,
                                      const char *agent, const char *customer,
                                      const char *tenant, long seconds,
                                      char **out, struct vb_error *err);

/* ---- Routes ----------------------------------------------------------- */

/* One route the server serves: a method and a path pattern, written the
 * way docs/openapi.yaml writes it ("/v1/docs/{id}").  HEAD (for each GET)
 * and OPTIONS (CORS preflight, on every path) are implied. */
struct vb_searchd_route {
    const char *method; /* "GET", "POST"; static storage */
    const char *path;   /* static storage */
};

/* Copies up to `cap` rows of the routing table (what the server
 * dispatches on) into `out` (may be NULL when cap is 0) and returns the
 * number of rows. */
size_t vb_searchd_routes(struct vb_searchd_route *out, size_t cap);

#endif
