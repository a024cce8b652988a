/* vb_xapian.h — the thin C bridge to Xapian 1.4.
 *
 * Plain C over opaque handles; the C++ lives in the .cc files beside it.  The
 * bridge holds no policy: it stores the terms, values and data C gives it
 * and runs the queries C builds.  It does not analyse text, choose term
 * prefixes, rank beyond Xapian's BM25, or decide how results are paged.
 *
 * Handles:
 *   - struct vb_xapian_writer: the one writer of an index directory
 *     (Xapian::WritableDatabase).  Holds the directory's write lock.
 *   - struct vb_xapian_reader: a read-only snapshot of one committed
 *     revision (Xapian::Database); vb_xapian_reader_reopen moves it on.
 *     A writer also lends out a reader view of its own uncommitted state.
 *   - struct vb_xapian_doc: a document being built in C.
 *   - struct vb_xapian_query: a node of a query tree built in C.
 *   - struct vb_xapian_hits: the result of one search, fully copied out.
 *
 * Errors: every function that can fail returns an enum vb_status and fills
 * `err` (which may be NULL) with a message naming the index directory and
 * carrying Xapian's own description.  No C++ exception ever leaves the
 * bridge.  The mapping:
 *   DatabaseLockError      -> VB_EIO, "index DIR is being written by another
 *                             process", or "index DIR cannot be written:
 *                             REASON" when the lock file cannot be created
 *                             (read-only file system, no permission)
 *   DatabaseNotFoundError  -> VB_ENOTFOUND (no index in DIR)
 *   DatabaseOpeningError   -> VB_EIO (incl. DatabaseVersionError)
 *   DatabaseCorruptError   -> VB_ECORRUPT
 *   InvalidArgumentError   -> VB_EINVAL (e.g. a term longer than 245 bytes,
 *                             reported when the document is stored)
 *   std::bad_alloc         -> VB_ENOMEM
 *   any other Xapian::Error, std::exception or unknown -> VB_EBACKEND
 * Out-parameters are set to NULL/0 on failure.
 *
 * Memory: bytes handed back as `char **` are malloc'd copies with a NUL
 * after the last byte (so text can be used as a C string); free() them.
 * `const char *` results are borrowed from the handle that returned them,
 * valid until that handle is freed.  Every _free/_close accepts NULL.
 *
 * Strings travel as pointer + length and may contain any bytes, including
 * NUL, except where Xapian forbids them (terms must be 1..245 bytes;
 * metadata keys must be non-empty).
 *
 * Thread safety: no handle may be used by two threads at once.  Use one
 * reader per thread (opening one is cheap); the writer, its reader view
 * and its documents belong to one thread.  Query trees and hits are plain
 * memory and may be handed between threads, never shared concurrently.
 * Readers in other threads or processes never block on the writer. */
#ifndef VB_XAPIAN_H
#define VB_XAPIAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Inside the guard: vb_error.h is plain C without its own, and the bridge
 * (C++) must see vb_error_set with C linkage. */
#include "vb_error.h"

/* "No value slot" (Xapian::BAD_VALUENO), e.g. for collapse_slot. */
#define VB_XAPIAN_NO_SLOT UINT32_MAX

struct vb_xapian_writer;
struct vb_xapian_reader;
struct vb_xapian_doc;
struct vb_xapian_query;
struct vb_xapian_hits;

/* ==== Writer ============================================================ */

/* Opens the index in `dir` for writing and takes its write lock.  With
 * `create`, a missing index (and the directory itself; its parent must
 * exist) is created; without, a missing index is VB_ENOTFOUND.  If another
 * writer (in this or another process) holds the lock: VB_EIO with "index
 * DIR is being written by another process".  A stub file of shards and a
 * replica made by xapian-replicate are read only: VB_EINVAL.
 *
 * Batching: all changes go into one batch that becomes visible to readers,
 * atomically, only at vb_xapian_commit.  For bulk indexing, commit every
 * few thousand documents: fewer commits index faster; the batch size is
 * the caller's decision.  Memory stays bounded within a batch because
 * Xapian writes posting lists out (unpublished) every
 * XAPIAN_FLUSH_THRESHOLD documents (environment, default 10000). */
enum vb_status vb_xapian_writer_open(const char *dir, bool create,
                                     struct vb_xapian_writer **out,
                                     struct vb_error *err);

/* Releases the write lock and frees the writer.  Changes not yet committed
 * are DISCARDED (also after a failed commit): only vb_xapian_commit
 * publishes.  NULL is a no-op.  The writer's reader view dies with it. */
void vb_xapian_writer_close(struct vb_xapian_writer *writer);

/* Publishes every change since the last commit as one new revision
 * (atomic, durable when it returns VB_OK).  On failure (disk full, say)
 * nothing of the batch is published and the caller should treat the batch
 * as lost: close the writer (which discards what is left of it), reopen
 * and redo the batch. */
enum vb_status vb_xapian_commit(struct vb_xapian_writer *writer,
                                struct vb_error *err);

/* Merges the committed indexes sources[0..n) into a new, compacted index
 * in `output` (Xapian's compaction: every table written once, full
 * blocks), which must not exist yet (VB_EINVAL); its parent must.  Document ids
 * are renumbered: those of sources[0] first, then sources[1]'s, and so on.
 * Metadata are not carried over.  On failure `output` may hold part of an
 * index: the caller removes it. */
enum vb_status vb_xapian_compact(const char *const *sources, size_t n,
                                 const char *output, struct vb_error *err);

/* Stores `doc` as the one document carrying `id_term` (the caller chooses
 * the term and its prefix, e.g. "Qproc-x"): replaces the documents that
 * carry it, or adds a new one.  The id term is added to `doc` as a boolean
 * term when the caller has not added it, so the next replace finds it.
 * `doc` stays owned by the caller and may be freed right after.  When
 * `docid` is non-NULL it receives the Xapian document id. */
enum vb_status vb_xapian_replace(struct vb_xapian_writer *writer,
                                 const char *id_term, size_t id_term_len,
                                 struct vb_xapian_doc *doc, uint32_t *docid,
                                 struct vb_error *err);

/* Adds `doc` as a new document carrying `id_term`, without looking for
 * an existing one: the caller knows the id is not in the index (the fast
 * path for bulk indexing; vb_xapian_replace looks the term up first).
 * A document that was there after all ends up twice. */
enum vb_status vb_xapian_add(struct vb_xapian_writer *writer,
                             const char *id_term, size_t id_term_len,
                             struct vb_xapian_doc *doc, uint32_t *docid,
                             struct vb_error *err);

/* Replaces document `docid` (which the caller knows, e.g. from a value
 * stream) with `doc`, which must carry its id term.  A docid that does
 * not exist is added under that id. */
enum vb_status vb_xapian_replace_docid(struct vb_xapian_writer *writer,
                                       uint32_t docid,
                                       struct vb_xapian_doc *doc,
                                       struct vb_error *err);

/* Sets value `slot` of document `docid` to value[0..len), leaving its
 * terms, other values and data as they are (Xapian then rewrites the
 * value alone: tens of microseconds, not a document's postings).  A docid
 * that does not exist is VB_ENOTFOUND. */
enum vb_status vb_xapian_set_document_value(struct vb_xapian_writer *writer,
                                            uint32_t docid, uint32_t slot,
                                            const char *value, size_t len,
                                            struct vb_error *err);

/* Deletes document `docid`; a docid that does not exist is
 * VB_ENOTFOUND. */
enum vb_status vb_xapian_delete_docid(struct vb_xapian_writer *writer,
                                      uint32_t docid, struct vb_error *err);

/* Deletes the documents carrying `id_term`.  A missing document is not an
 * error: returns VB_OK, and `*deleted` (when non-NULL) says whether there
 * was one. */
enum vb_status vb_xapian_delete(struct vb_xapian_writer *writer,
                                const char *id_term, size_t id_term_len,
                                bool *deleted, struct vb_error *err);

/* Sets user metadata `key` (non-empty) to `value`; an empty value deletes
 * the key.  Part of the current batch like any other change. */
enum vb_status vb_xapian_set_metadata(struct vb_xapian_writer *writer,
                                      const char *key, size_t key_len,
                                      const char *value, size_t value_len,
                                      struct vb_error *err);

/* A reader view of the writer's current state, uncommitted changes
 * included: every reader function works on it (doc count, metadata,
 * for_each_term, get_document, search).  Borrowed: valid until the writer
 * is closed; vb_xapian_reader_close on it is a no-op, reopen changes
 * nothing.  Same thread as the writer.  Never NULL for a non-NULL writer. */
struct vb_xapian_reader *vb_xapian_writer_reader(struct vb_xapian_writer *writer);

/* ==== Documents ========================================================= */

/* A new empty document; NULL only when out of memory. */
struct vb_xapian_doc *vb_xapian_doc_new(void);

/* Frees the document; NULL is a no-op. */
void vb_xapian_doc_free(struct vb_xapian_doc *doc);

/* Adds `term` at word `position` (for phrases) and adds `wdf_inc` to its
 * within-document frequency.  Errors (empty term): VB_EINVAL. */
enum vb_status vb_xapian_doc_add_posting(struct vb_xapian_doc *doc,
                                         const char *term, size_t len,
                                         uint32_t position, uint32_t wdf_inc,
                                         struct vb_error *err);

/* Adds `term` without a position (it cannot take part in phrases). */
enum vb_status vb_xapian_doc_add_term(struct vb_xapian_doc *doc,
                                      const char *term, size_t len,
                                      uint32_t wdf_inc, struct vb_error *err);

/* Adds a term that only filters (wdf 0: it does not change the document's
 * length or weight), e.g. a type, language or customer term. */
enum vb_status vb_xapian_doc_add_boolean_term(struct vb_xapian_doc *doc,
                                              const char *term, size_t len,
                                              struct vb_error *err);

/* Multiplies the within-document frequency of every term that has one by
 * `factor` (> 0), rounded to the nearest, at least 1; terms without one
 * (boolean terms) and every position stay as they are. */
enum vb_status vb_xapian_doc_scale_wdf(struct vb_xapian_doc *doc, double factor,
                                       struct vb_error *err);

/* Sets value slot `slot` (not VB_XAPIAN_NO_SLOT) to `bytes`; empty clears
 * it.  Values are what sorting, collapsing and facets read. */
enum vb_status vb_xapian_doc_set_value(struct vb_xapian_doc *doc, uint32_t slot,
                                       const char *bytes, size_t len,
                                       struct vb_error *err);

/* Sets the document's stored data (returned with hits and by
 * vb_xapian_get_document), replacing any previous data. */
enum vb_status vb_xapian_doc_set_data(struct vb_xapian_doc *doc,
                                      const char *bytes, size_t len,
                                      struct vb_error *err);

/* ==== Reader ============================================================ */

/* Opens the latest committed revision of the index in `dir` for reading.
 * No index there: VB_ENOTFOUND with the path in the message; an unreadable
 * or foreign directory: VB_EIO; a damaged one: VB_ECORRUPT or VB_EIO.
 * `dir` may be a replica made by xapian-replicate (followed when it is
 * copied anew), or a stub file of shards (Xapian's format: `auto PATH`,
 * `remote HOST:PORT` lines): a remote shard that does not answer within
 * VB_XAPIAN_SHARD_TIMEOUT_MS is down, an empty stand-in takes its place,
 * and it is tried again now and then (vb_xapian_reader_reopen); a bad
 * line is VB_EIO naming it. */
#define VB_XAPIAN_SHARD_TIMEOUT_MS 1000
enum vb_status vb_xapian_reader_open(const char *dir,
                                     struct vb_xapian_reader **out,
                                     struct vb_error *err);

/* The same, with `shard_timeout_ms` as a remote shard's bound on
 * connecting and on each operation. */
enum vb_status vb_xapian_reader_open_shards(const char *dir,
                                            unsigned shard_timeout_ms,
                                            struct vb_xapian_reader **out,
                                            struct vb_error *err);

/* The shards of a stub file that are down now (0 for an index
 * directory); the first `cap` of their names, as the stub file writes
 * them, into names[] (valid until the next call on the reader). */
size_t vb_xapian_reader_shards_down(const struct vb_xapian_reader *reader,
                                    const char **names, size_t cap);

/* Whether a shard of the reader is remote (each lookup a round trip). */
bool vb_xapian_reader_remote(const struct vb_xapian_reader *reader);

/* Frees the reader; NULL (and a writer's view) is a no-op. */
void vb_xapian_reader_close(struct vb_xapian_reader *reader);

/* Moves the reader to the latest committed revision.  `*changed` (when
 * non-NULL) says whether the revision is now a different one.  Cheap when
 * nothing changed: searchd may call it before every request. */
enum vb_status vb_xapian_reader_reopen(struct vb_xapian_reader *reader,
                                       bool *changed, struct vb_error *err);

/* The revision the reader sees (grows by one per commit); the last
 * committed one for a writer's view.  Over a stub file of shards, which
 * have no one revision, a count of the changes this reader has seen
 * (a shard's new revision, a shard going down or coming back). */
enum vb_status vb_xapian_reader_revision(struct vb_xapian_reader *reader,
                                         uint64_t *revision,
                                         struct vb_error *err);

/* Number of documents the reader sees. */
enum vb_status vb_xapian_doc_count(struct vb_xapian_reader *reader,
                                   uint32_t *count, struct vb_error *err);

/* The highest document id in use (0 for an empty index). */
enum vb_status vb_xapian_last_docid(struct vb_xapian_reader *reader,
                                    uint32_t *docid, struct vb_error *err);

/* Number of documents indexed by `term` (0 for an unknown term). */
enum vb_status vb_xapian_term_freq(struct vb_xapian_reader *reader,
                                   const char *term, size_t len,
                                   uint32_t *freq, struct vb_error *err);

/* How many documents have a value in `slot` (Xapian's statistics: no
 * document is read). */
enum vb_status vb_xapian_value_freq(struct vb_xapian_reader *reader,
                                    uint32_t slot, uint32_t *freq,
                                    struct vb_error *err);

/* The stored data of the document carrying `id_term`: a malloc'd copy in
 * *data (free()), its length in *data_len, its Xapian id in *docid (each
 * out-parameter may be NULL).  No such document: VB_ENOTFOUND. */
enum vb_status vb_xapian_get_document(struct vb_xapian_reader *reader,
                                      const char *id_term, size_t id_term_len,
                                      uint32_t *docid, char **data,
                                      size_t *data_len, struct vb_error *err);

/* The stored data of document `docid` (as a hit gives it): a malloc'd
 * copy in *data (free()), its length in *len.  No such document:
 * VB_ENOTFOUND. */
enum vb_status vb_xapian_document_data(struct vb_xapian_reader *reader,
                                       uint32_t docid, char **data,
                                       size_t *len, struct vb_error *err);

/* The value in `slot` of document `docid`: a malloc'd copy in *value
 * (free(); NULL with *len 0 when the document has none).  No such
 * document: VB_ENOTFOUND. */
enum vb_status vb_xapian_document_value(struct vb_xapian_reader *reader,
                                        uint32_t docid, uint32_t slot,
                                        char **value, size_t *len,
                                        struct vb_error *err);

/* The positions of `term` in document `docid`, in order: the first `max`
 * of them into positions[], how many there are in *count (0 when the
 * term is not in the document or has no positions). */
enum vb_status vb_xapian_document_positions(struct vb_xapian_reader *reader,
                                            uint32_t docid, const char *term,
                                            size_t term_len,
                                            uint32_t *positions, size_t max,
                                            size_t *count,
                                            struct vb_error *err);

/* User metadata `key`: a malloc'd copy in *value (free()) and its length.
 * Xapian does not distinguish an absent key from an empty value: both
 * return VB_OK with *value NULL and *value_len 0. */
enum vb_status vb_xapian_get_metadata(struct vb_xapian_reader *reader,
                                      const char *key, size_t key_len,
                                      char **value, size_t *value_len,
                                      struct vb_error *err);

/* Called for each term, in byte order.  `term` is borrowed for the call;
 * `term_freq` is the number of documents it indexes.  Return 0 to go on,
 * anything else to stop (the iteration then returns VB_OK). */
typedef int (*vb_xapian_term_fn)(void *ctx, const char *term, size_t len,
                                 uint32_t term_freq);

/* Calls `fn` for every term starting with `prefix[0..prefix_len)` (all
 * terms when prefix_len is 0).  If the index moved on under a long
 * iteration (Xapian's DatabaseModifiedError), returns VB_EBACKEND and the
 * caller should reopen and iterate again: `fn` may already have seen some
 * terms, so it is not retried here. */
enum vb_status vb_xapian_for_each_term(struct vb_xapian_reader *reader,
                                       const char *prefix, size_t prefix_len,
                                       vb_xapian_term_fn fn, void *ctx,
                                       struct vb_error *err);

/* Calls `fn` for every term of document `docid` starting with
 * `prefix[0..prefix_len)`, in byte order (term_freq as above).  A
 * document that is not there: VB_ENOTFOUND. */
enum vb_status vb_xapian_for_each_doc_term(struct vb_xapian_reader *reader,
                                           uint32_t docid, const char *prefix,
                                           size_t prefix_len,
                                           vb_xapian_term_fn fn, void *ctx,
                                           struct vb_error *err);

/* Called for each document that has a value in the slot, in document-id
 * order; `value` is borrowed for the call.  Return 0 to go on, anything
 * else to stop. */
typedef int (*vb_xapian_value_fn)(void *ctx, uint32_t docid, const char *value,
                                  size_t len);

/* Calls `fn` for every document's value in `slot` (a sequential read of
 * the value stream: the cheap way to visit one field of every document).
 * DatabaseModifiedError: VB_EBACKEND, as for vb_xapian_for_each_term. */
enum vb_status vb_xapian_for_each_value(struct vb_xapian_reader *reader,
                                        uint32_t slot, vb_xapian_value_fn fn,
                                        void *ctx, struct vb_error *err);

/* ==== Queries =========================================================== */

/* Query constructors return a new node, or NULL when out of memory or
 * when an argument is invalid (an empty term, a NULL subquery, a negative
 * factor).  A NULL subquery makes the combining constructor return NULL,
 * so a caller may build a whole tree and check only its root.
 *
 * Subqueries are borrowed, not consumed: the new node keeps its own
 * reference to them.  The caller frees every node it created, in any
 * order, with vb_xapian_query_free. */

/* Matches documents indexed by `term`.  `wqf` is the within-query
 * frequency (1 normally), `position` the term's place in the query. */
struct vb_xapian_query *vb_xapian_query_term(const char *term, size_t len,
                                             uint32_t wqf, uint32_t position);

/* Matches no document. */
struct vb_xapian_query *vb_xapian_query_match_nothing(void);

/* OP_AND, OP_OR, OP_SYNONYM (the subqueries weighted as if one term) over
 * subs[0..n).  With n == 0 they match nothing. */
struct vb_xapian_query *vb_xapian_query_and(struct vb_xapian_query *const *subs,
                                            size_t n);
struct vb_xapian_query *vb_xapian_query_or(struct vb_xapian_query *const *subs,
                                           size_t n);
struct vb_xapian_query *vb_xapian_query_synonym(
    struct vb_xapian_query *const *subs, size_t n);

/* OP_PHRASE: the subqueries (terms with positions) in this order within
 * `window` positions (0: exactly adjacent, window = n). */
struct vb_xapian_query *vb_xapian_query_phrase(
    struct vb_xapian_query *const *subs, size_t n, uint32_t window);

/* OP_VALUE_LE: documents whose value in `slot` is set and sorts at or
 * before bytes[0..len) (byte order); weight 0. */
struct vb_xapian_query *vb_xapian_query_value_le(uint32_t slot,
                                                 const char *bytes,
                                                 size_t len);

/* OP_AND_NOT: matches `a` but not `b`; weight from `a`. */
struct vb_xapian_query *vb_xapian_query_and_not(const struct vb_xapian_query *a,
                                                const struct vb_xapian_query *b);

/* OP_FILTER: matches `a` and `b`; weight from `a` only (b is a filter). */
struct vb_xapian_query *vb_xapian_query_filter(const struct vb_xapian_query *a,
                                               const struct vb_xapian_query *b);

/* OP_SCALE_WEIGHT: `q` with its weight multiplied by `factor` (>= 0). */
struct vb_xapian_query *vb_xapian_query_scale_weight(
    const struct vb_xapian_query *q, double factor);

/* Frees the node (not the subqueries it references); NULL is a no-op. */
void vb_xapian_query_free(struct vb_xapian_query *q);

/* ==== Search ============================================================ */

struct vb_xapian_search_options {
    uint32_t offset;          /* hits to skip */
    uint32_t limit;           /* hits to return (0: counts and facets only) */
    /* Examine at least this many matches: totals (and facet counts) are
     * exact when it is >= the number of matches.  0: Xapian decides. */
    uint32_t check_at_least;
    /* Keep at most collapse_max hits per distinct value of this slot
     * (a translation group, say).  VB_XAPIAN_NO_SLOT: no collapsing. */
    uint32_t collapse_slot;
    uint32_t collapse_max;    /* >= 1 */
    /* Order by this slot's value (bytes), then relevance, instead of by
     * relevance.  VB_XAPIAN_NO_SLOT: by relevance. */
    uint32_t sort_slot;
    bool sort_descending;     /* largest value first (newest date first) */
    /* Copy these value slots out with every hit (vb_xapian_hit_value). */
    const uint32_t *value_slots;
    size_t value_slot_count;
    /* Count the values of these slots over the examined matches. */
    const uint32_t *facet_slots;
    size_t facet_slot_count;
    /* Leave the stored data out of the hits (vb_xapian_hit_data gives "");
     * for callers that look at values first and read the data of a few
     * hits with vb_xapian_document_data. */
    bool without_data;
    /* Leave out documents that weigh less than this (0: none); Xapian's
     * matcher skips what cannot reach it. */
    double min_weight;
    double bm25_k1;           /* BM25 term-frequency saturation */
    double bm25_b;            /* BM25 document-length normalisation */
};

/* Fills `options` with the defaults: offset 0, limit 10, check_at_least 0,
 * no collapsing (collapse_max 1), relevance order, no values or facets,
 * data included, Xapian's BM25 defaults (k1 = 1, b = 0.5). */
void vb_xapian_search_options_init(struct vb_xapian_search_options *options);

/* Runs `query` on `reader` with `options` (NULL: the defaults) and
 * returns a page of hits, everything copied out, in *out (free with
 * vb_xapian_hits_free).  If the revision the reader sees is overwritten
 * while searching (Xapian's DatabaseModifiedError), the reader is reopened
 * to the latest revision and the search run once more; a second failure is
 * VB_EBACKEND.  An empty index or no match is VB_OK with zero hits. */
enum vb_status vb_xapian_search(struct vb_xapian_reader *reader,
                                const struct vb_xapian_query *query,
                                const struct vb_xapian_search_options *options,
                                struct vb_xapian_hits **out,
                                struct vb_error *err);

/* Frees the hits and everything borrowed from them; NULL is a no-op. */
void vb_xapian_hits_free(struct vb_xapian_hits *hits);

/* Number of hits in this page (<= limit). */
size_t vb_xapian_hits_count(const struct vb_xapian_hits *hits);

/* Xapian's estimate of the number of matches (after collapsing). */
uint32_t vb_xapian_hits_estimated(const struct vb_xapian_hits *hits);
/* At least this many match.  With options.check_at_least N, a count
 * below N is exact: the matcher looked at every match. */
uint32_t vb_xapian_hits_lower_bound(const struct vb_xapian_hits *hits);

/* Per hit i (0 <= i < count).  Pointers are borrowed from `hits`. */
uint32_t vb_xapian_hit_docid(const struct vb_xapian_hits *hits, size_t i);
double vb_xapian_hit_weight(const struct vb_xapian_hits *hits, size_t i);
/* How many other matches were collapsed into this hit (0 without
 * collapsing). */
uint32_t vb_xapian_hit_collapse_count(const struct vb_xapian_hits *hits,
                                      size_t i);
/* The stored data (NUL-terminated; *len may be NULL). */
const char *vb_xapian_hit_data(const struct vb_xapian_hits *hits, size_t i,
                               size_t *len);
/* The value in `slot` (NUL-terminated; "" when the document has none), or
 * NULL when `slot` was not in options.value_slots or i is out of range. */
const char *vb_xapian_hit_value(const struct vb_xapian_hits *hits, size_t i,
                                uint32_t slot, size_t *len);

/* Facets, per requested slot f (index into options.facet_slots): the
 * number of distinct values, and value j with its count, in byte order of
 * the values.  Documents without a value in the slot are not counted. */
size_t vb_xapian_hits_facet_size(const struct vb_xapian_hits *hits, size_t f);
const char *vb_xapian_hits_facet_value(const struct vb_xapian_hits *hits,
                                       size_t f, size_t j, size_t *len,
                                       uint32_t *count);

#ifdef __cplusplus
}
#endif

#endif
