/* vb_indexer.h — synchronising an index with corpus files (Contract 1, 2).
 *
 * One run reads every source (files and directories, walked recursively in
 * byte order of names; *.md and *.jsonl; hidden entries and README.md files
 * skipped), validates each document, and brings the index in line with
 * what it read, as ONE new revision committed at the end:
 *   - new documents added, changed ones replaced, unchanged ones (same
 *     content hash, same place) skipped;
 *   - documents that came from a file under a source but are no longer
 *     there removed, unless their file had a problem in this run (then the
 *     indexed version stays: a bad file never costs what was indexed);
 *   - a duplicate id (in this run, or indexed from a file outside the
 *     sources) rejected, naming both places.
 * A run that is interrupted (even by SIGKILL) leaves the previous revision:
 * nothing is published before the final commit.  A run that changes
 * nothing commits nothing.
 *
 * Library code: it prints nothing; problems and progress go to callbacks. */
#ifndef VB_INDEXER_H
#define VB_INDEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vb_error.h"

/* What the run did; also filled (as far as it got) when it fails. */
struct vb_indexer_summary {
    uint64_t added, updated, removed, unchanged, rejected;
    uint64_t erased; /* events skipped: their customer was erased */
    uint64_t detected; /* documents read without lang, language detected */
    /* Of the unchanged: those whose sync record was rewritten (moved to
     * another line or file, or read from other bytes). */
    uint64_t restamped;
    double seconds;
};

/* Called for every problem ("path:line: message") and every note
 * ("path:line: note: ...", e.g. a detected language). */
typedef void (*vb_indexer_report_fn)(void *ctx, const char *line);

/* Called now and then (about every 4,096 documents) during a long run. */
typedef void (*vb_indexer_progress_fn)(void *ctx,
                                       const struct vb_indexer_summary *so_far,
                                       uint64_t documents_read);

/* Called for each document the run adds, updates or removes (`what`),
 * with where it was read ("path:line"; for a removal, where it had been
 * read).  Before the commit: the change is published only when the run
 * returns VB_OK. */
typedef void (*vb_indexer_change_fn)(void *ctx, const char *what,
                                     const char *id, const char *place);

#define VB_INDEXER_JOBS_MAX 8

struct vb_indexer_options {
    const char *index_dir;           /* required */
    const char *const *sources;      /* files or directories */
    size_t source_count;             /* >= 1 */
    bool check_only;                 /* validate; open and write nothing */
    bool full;                       /* rebuild: every document re-stored,
                                      * everything not read removed */
    /* Threads that analyse and store (0: one per core; at most
     * VB_INDEXER_JOBS_MAX count).  A new index is written as that many
     * shards in parallel, then merged; an existing one has one writer and
     * jobs - 1 threads analysing. */
    unsigned jobs;
    /* An index whose reference length (vb_schema.h) documents are built
     * with, e.g. another shard of the same deployment, so that every
     * shard scores alike; NULL: measured on the first documents read.  A
     * new index, or with `full` (an index built with another is refused:
     * VB_EINVAL). */
    const char *reference_from;
    vb_indexer_report_fn report;     /* may be NULL */
    vb_indexer_progress_fn progress; /* may be NULL */
    vb_indexer_change_fn changed;    /* may be NULL */
    void *ctx;                       /* for the callbacks */
};

/* Runs the indexer.  Returns VB_OK when the run completed (documents may
 * have been rejected: see summary->rejected).  Otherwise nothing was
 * published and `err` says why: VB_ENOTFOUND (a source does not exist),
 * VB_EBUSY (another writer holds the index: "being written by another
 * process"), VB_EIO (the index cannot be written),
 * VB_EINVAL (an index with another schema version, without --full),
 * VB_ENOMEM, VB_EBACKEND, VB_ECORRUPT. */
enum vb_status vb_indexer_run(const struct vb_indexer_options *options,
                              struct vb_indexer_summary *summary,
                              struct vb_error *err);

/* A directory's default tenant (Contract 1 `tenant`): a file of this name
 * holding one tenant name gives it to every document under the
 * directory that does not name its own (one that names another is
 * rejected).  The nearest one above a file counts. */
#define VB_INDEXER_TENANT_FILE ".tenant"

/* Whether a file of this name (no directory part) is read as a corpus
 * file: *.md and *.jsonl, not hidden, not README.md. */
bool vb_indexer_wanted_name(const char *name);

/* ---- Writes over HTTP (searchd's PUT and DELETE /v1/docs/{id}) -------- */

/* One write: store `doc` (PUT; owned by the caller, which frees it) or
 * delete the document `id` (DELETE, doc NULL), unless `if_match` (may be
 * NULL) differs from the current document's ETag. */
struct vb_indexer_op {
    struct vb_document *doc;
    const char *id;
    const char *if_match;
    /* The client the writer works for (NULL: any, and the shared
     * documents): a document stored without a tenant gets it, one naming
     * another is refused, and so is replacing or deleting a document
     * that is not that tenant's (VB_EDENIED). */
    const char *tenant;
    /* Out: VB_OK, VB_ECONFLICT (if_match differs), VB_EDENIED (another
     * tenant's), VB_EINVAL (no language to index in), or a storage
     * error, with `problem`; whether the
     * document existed before; its ETag after (PUT) or "" (DELETE). */
    enum vb_status status;
    struct vb_error problem;
    bool existed;
    char etag[17]; /* vb_document_etag of the stored document */
};

/* Applies `ops` to the index in `index_dir` as ONE new revision (nothing
 * when none changes anything); documents stored come from `source`
 * ("api"), which no directory sync removes.  Waits up to `wait_ms` for a
 * running indexer's lock, then VB_EBUSY.  Each op's outcome is in the op;
 * the return value is about the index as a whole (VB_ENOTFOUND, VB_EIO,
 * VB_EINVAL for another schema, VB_EBUSY, VB_ENOMEM). */
enum vb_status vb_indexer_write(const char *index_dir, const char *source,
                                struct vb_indexer_op *ops, size_t count,
                                unsigned wait_ms, struct vb_error *err);

/* Erasure (AVG art. 17): removes every history event of `customer` (of
 * `tenant` only, when not NULL: customer ids of two clients may be the
 * same) from the index in `index_dir` in one new revision, and records
 * the customer with today's date (UTC) in the index, so that later runs
 * skip that customer's events dated up to that day (with a note naming
 * the file: the source should lose them too).  *erased gets the number of
 * events removed (0 is not an error).  Errors: VB_ENOTFOUND (no index),
 * VB_EIO (locked by another writer, or cannot be written), VB_EINVAL (a
 * bad customer id or tenant, another schema version), VB_ENOMEM,
 * VB_EBACKEND. */
enum vb_status vb_indexer_erase_customer(const char *index_dir,
                                         const char *customer,
                                         const char *tenant, uint64_t *erased,
                                         struct vb_error *err);

#endif
