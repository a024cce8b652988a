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

#include "vb_error.h"

/* ---- Configuration ---------------------------------------------------- */

#define VB_SEARCHD_LISTEN_DEFAULT "127.0.0.1:8080"
#define VB_SEARCHD_INDEX_DEFAULT "./data/index"
#define VB_SEARCHD_TIMEOUT_DEFAULT 10 /* seconds of client silence */
#define VB_SEARCHD_MAX_CONNECTIONS_DEFAULT 256
#define VB_SEARCHD_THREADS_MAX 256
#define VB_SEARCHD_CORS_ORIGINS_MAX 32

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
    unsigned max_connections; /* open connections at once */
};

/* Fills `config` with the defaults: index $VRAAGBAAK_INDEX or
 * VB_SEARCHD_INDEX_DEFAULT, listen VB_SEARCHD_LISTEN_DEFAULT, web_dir
 * `default_web_dir` (may be NULL: no static files), no synonyms, no CORS,
 * threads 0, the timeout and connection defaults above.  VB_ENOMEM on
 * failure (then nothing is left allocated). */
enum vb_status vb_searchd_config_init(struct vb_searchd_config *config,
                                      const char *default_web_dir,
                                      struct vb_error *err);

/* Frees what the config owns; the struct itself is the caller's. */
void vb_searchd_config_cleanup(struct vb_searchd_config *config);

/* Sets option `key` ("index", "listen", "synonyms", "web", "cors-origin"
 * (adds one), "threads", "timeout", "max-connections") from the text
 * `value`.  Errors: VB_EINVAL for an unknown key or a bad value, with a
 * one-line message naming the key (no file/line: the caller adds them). */
enum vb_status vb_searchd_config_set(struct vb_searchd_config *config,
                                     const char *key, const char *value,
                                     struct vb_error *err);

/* Reads a config file: one "key = value" per line, '#' starts a comment
 * line, blank lines are ignored, keys as for vb_searchd_config_set.
 * Errors are "FILE:LINE: message" (VB_EINVAL), or VB_EIO/VB_ENOTFOUND
 * when the file cannot be read. */
enum vb_status vb_searchd_config_load(struct vb_searchd_config *config,
                                      const char *path, struct vb_error *err);

/* ---- Server ----------------------------------------------------------- */

struct vb_searchd;

/* Checks the listen address (only loopback: 127.0.0.0/8 and ::1, after
 * resolving names, because authentication does not exist yet), opens the
 * search engine on the index, binds the socket and starts serving.
 * Errors, each with a one-line message: VB_EINVAL (bad or non-loopback
 * address), VB_ENOTFOUND (no index), VB_EIO (port busy or cannot bind),
 * or whatever the engine reports.  On failure *out is NULL. */
enum vb_status vb_searchd_open(const struct vb_searchd_config *config,
                               struct vb_searchd **out, struct vb_error *err);

/* "http://127.0.0.1:8080": the address actually bound (port 0 resolved).
 * Borrowed until vb_searchd_close. */
const char *vb_searchd_url(const struct vb_searchd *server);

/* Stops accepting, finishes or cuts off the open connections, and frees
 * everything.  NULL is a no-op. */
void vb_searchd_close(struct vb_searchd *server);

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
