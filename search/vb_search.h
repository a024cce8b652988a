/* vb_search.h — what a query means: Vraagbaak's search engine.
 *
 * Turns an agent's query (or a whole piece of conversation, for suggest)
 * into ranked, collapsed, highlighted hits from the index, through the
 * index schema (vb_schema.h) and the analysis chain.  Knows nothing of
 * HTTP: searchd parses requests into struct vb_search_request and writes
 * struct vb_search_result out as JSON.
 *
 * Two objects:
 *   - struct vb_search_engine: one per process and index directory.  Holds
 *     the shared, immutable resources (analysis data, term bank, synonym
 *     files, the vocabulary used for prefixes and typo correction) and
 *     replaces them when the index or a synonym file changes.  Thread-safe.
 *   - struct vb_searcher: one per thread, with its own reader of the index.
 *     Each call first moves to the latest committed index revision (cheap
 *     when nothing changed), so changes are visible without a restart.
 *     Never share one between threads. */
#ifndef VB_SEARCH_H
#define VB_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vb_analysis.h" /* enum vb_lang */
#include "vb_error.h"

/* Limits of Contract 3; the engine rejects larger requests with
 * VB_ELIMIT, and searchd should reject them before calling. */
#define VB_SEARCH_QUERY_MAX 1024          /* q, bytes */
#define VB_SEARCH_SUGGEST_MAX (64 * 1024) /* suggest text, bytes */
#define VB_SEARCH_LIMIT_MAX 100           /* hits per page */
#define VB_SEARCH_LIMIT_DEFAULT 10
#define VB_SEARCH_OFFSET_MAX 10000        /* deeper paging is refused */
#define VB_SEARCH_TOTAL_EXACT_MAX 100     /* see vb_search_result.total */
#define VB_SEARCH_TYPES_MAX 8             /* entries in the type filter */
#define VB_SEARCH_SHARDS_NAMED 32         /* shards down named in a result */

/* ---- Engine ----------------------------------------------------------- */

struct vb_search_engine;

struct vb_search_engine_options {
    const char *index_dir; /* required */
    /* Directory holding per-language synonym files (synonyms-nl.txt,
     * synonyms-fr.txt, synonyms-en.txt), or NULL for none.  Re-read when
     * a file changes; a bad file keeps the previous synonyms and its
     * problem is reported by vb_search_engine_problem. */
    const char *synonyms_dir;
    /* An index given as a stub file of remote shards (vb_xapian.h): how
     * long one may take to connect or answer before it is down, in
     * milliseconds; 0: VB_XAPIAN_SHARD_TIMEOUT_MS. */
    unsigned shard_timeout_ms;
};

/* Opens the engine on an existing index.  No index in index_dir:
 * VB_ENOTFOUND with the path in the message.  On failure *out is NULL. */
enum vb_status vb_search_engine_new(const struct vb_search_engine_options *options,
                                    struct vb_search_engine **out,
                                    struct vb_error *err);

/* Frees the engine; NULL is a no-op.  All its searchers must be freed
 * first. */
void vb_search_engine_free(struct vb_search_engine *engine);

/* The latest problem with a synonym file ("path:line: message"), copied
 * into `problem`; false when there is none.  For searchd's log and
 * health.  Thread-safe. */
bool vb_search_engine_problem(struct vb_search_engine *engine,
                              struct vb_error *problem);

/* The analysis resources the engine uses (for GET /v1/analyze, so that it
 * shows exactly what search does).  Borrowed for the engine's lifetime. */
const struct vb_analysis_data *vb_search_engine_analysis(
    const struct vb_search_engine *engine);

/* ---- Searcher --------------------------------------------------------- */

struct vb_searcher;

/* A per-thread searcher with its own index reader.  On failure *out is
 * NULL. */
enum vb_status vb_searcher_new(struct vb_search_engine *engine,
                               struct vb_searcher **out, struct vb_error *err);

/* Frees the searcher; NULL is a no-op. */
void vb_searcher_free(struct vb_searcher *searcher);

/* Documents and revision of the latest committed index (moves the
 * searcher there first). */
enum vb_status vb_searcher_stats(struct vb_searcher *searcher,
                                 uint32_t *documents, uint64_t *revision,
                                 struct vb_error *err);

/* How many shards of an index over remote shards are down (after the
 * searcher's last call); when some are, `problem` names them, for the
 * operator. */
size_t vb_searcher_partial(const struct vb_searcher *searcher,
                           struct vb_error *problem);

/* Runs one search so that the searcher's first request does not pay for
 * opening the index's tables, paging in the lexicons and first filling
 * its caches, and decodes every document of an index small enough for
 * the searcher's document cache (4,096 ids, 24 MB).  A failure is left
 * for that request to report. */
void vb_searcher_warm(struct vb_searcher *searcher);

/* ---- Search ----------------------------------------------------------- */

enum vb_search_mode {
    /* q as typed: words, "phrases", -exclusions; short keyword queries
     * need all words; the last word is also a prefix unless q ends with
     * white space. */
    VB_SEARCH_QUERY = 0,
    /* A whole piece of conversation (e-mail, chat, transcript): no query
     * syntax, the salient words decide, not every word must match. */
    VB_SEARCH_SUGGEST = 1
};

/* A request as searchd parsed it.  Strings are borrowed for the call; all
 * must be valid UTF-8 (the engine validates them again and returns
 * VB_EUTF8 naming the field). */
struct vb_search_request {
    enum vb_search_mode mode;
    const char *text;         /* q or the suggest text; may be empty only
                               * with a customer */
    size_t text_len;
    enum vb_lang preferred_lang; /* VB_LANG_UNKNOWN: none */
    /* Type filter: these types only (e.g. "product", "procedure",
     * "history").  type_count 0: every type except history, plus the
     * customer's history when `customer` is set. */
    const char *types[VB_SEARCH_TYPES_MAX];
    size_t type_count;
    const char *customer;     /* NULL: no customer; history is then never
                               * returned, whatever `types` says */
    /* The client the agent works for (Contract 1 `tenant`): only its
     * documents and the shared ones are seen, in hits, counts, facets,
     * completions, corrections and translations.  NULL: every one's. */
    const char *tenant;
    uint32_t limit;           /* 1..VB_SEARCH_LIMIT_MAX */
    uint32_t offset;          /* 0..VB_SEARCH_OFFSET_MAX */
    bool facets;              /* count type and lang over the matches */
};

/* Sets the defaults: VB_SEARCH_QUERY, empty text, no language, no
 * filters, limit VB_SEARCH_LIMIT_DEFAULT, offset 0, no facets. */
void vb_search_request_init(struct vb_search_request *request);

struct vb_search_translation {
    char lang[3]; /* "nl", "fr", "en" */
    char *id;
};

/* One hit.  Every string is owned by the result, NUL-terminated UTF-8;
 * NULL means absent (JSON null). */
struct vb_search_hit {
    char *id, *type, *lang, *title;
    char *title_html; /* the title HTML-escaped, matches in <mark>…</mark> */
    char *snippet; /* HTML-escaped text; only <mark>…</mark> is markup */
    double score;
    char *group;
    struct vb_search_translation *translations; /* other language versions */
    size_t translation_count;
    char *updated, *date, *customer, *channel;
    char *review_by; /* an article due for review after this date, or NULL */
};

struct vb_search_facet_count {
    char *value;
    uint32_t count;
};

/* Facet counts over the matches for one field ("type" or "lang"). */
struct vb_search_facet {
    const char *field; /* static: "type" or "lang" */
    struct vb_search_facet_count *counts;
    size_t count;
};

struct vb_search_result {
    /* Matches, after collapsing translations, exact up to
     * VB_SEARCH_TOTAL_EXACT_MAX; beyond, that number and total_exact
     * false ("more than").  The same for every page of a query. */
    uint32_t total;
    bool total_exact;
    uint64_t took_us;   /* time spent inside vb_search_run */
    char *suggestion;   /* a corrected query, or NULL */
    struct vb_search_hit *hits;
    size_t hit_count;
    struct vb_search_facet *facets; /* NULL unless request->facets */
    size_t facet_count;
    /* An index over remote shards, some of which did not answer: their
     * names (as the stub file gives them).  The hits, total and facets
     * are then those of the other shards: a partial answer. */
    char **shards_down;
    size_t shards_down_count;
};

/* Runs `request`.  On success *out holds the result (free with
 * vb_search_result_free).  Errors: VB_EINVAL (a bad field, named in
 * `err`: an empty text without customer, a limit out of range, a type
 * filter entry that is not a type slug), VB_EUTF8, VB_ELIMIT (text too
 * long), VB_ENOMEM, VB_EBACKEND/VB_EIO/VB_ECORRUPT (the index).  On
 * failure *out is NULL. */
enum vb_status vb_search_run(struct vb_searcher *searcher,
                             const struct vb_search_request *request,
                             struct vb_search_result **out,
                             struct vb_error *err);

/* Frees a result; NULL is a no-op. */
void vb_search_result_free(struct vb_search_result *result);

/* ---- Documents -------------------------------------------------------- */

struct vb_document; /* vb_document.h */

/* The whole stored document `id` in *doc (release it with
 * vb_document_free; its body_source is the body as written), and in
 * *expired whether its valid_until has passed (search no longer finds
 * it).  No such document: VB_ENOTFOUND, *doc NULL.  A history event is
 * only returned when `customer` names its customer (otherwise
 * VB_ENOTFOUND, so that ids do not reveal that an event exists), nor
 * another tenant's document when `tenant` is set (NULL: every one's). */
enum vb_status vb_search_get_document(struct vb_searcher *searcher,
                                      const char *id, const char *customer,
                                      const char *tenant,
                                      struct vb_document **doc, bool *expired,
                                      struct vb_error *err);

/* ---- The editors' review list ------------------------------------------ */

/* An article due for review or expiring ("" for a field it lacks);
 * borrowed for the call. */
struct vb_search_due_item {
    const char *id, *title, *lang, *owner, *review_by, *valid_until, *tenant;
    bool expired; /* valid_until is before today */
};

typedef int (*vb_search_due_fn)(void *ctx,
                                const struct vb_search_due_item *item);

/* Calls `fn` for each article whose review_by or valid_until is on or
 * before `before` ("YYYY-MM-DD"), by owner (those without one last), then
 * date; only `tenant`'s and the shared ones when it is set.  Return
 * non-zero from `fn` to stop.  Errors: the index's. */
enum vb_status vb_search_due(struct vb_searcher *searcher, const char *before,
                             const char *tenant, vb_search_due_fn fn,
                             void *ctx, struct vb_error *err);

#endif
