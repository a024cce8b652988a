/* indexer_int.h — private to indexer/: the state of one run and what its
 * files share.  One section per file:
 *   state.c     the run's maps, interned paths, entries and messages;
 *   known.c     what the index holds before the run, erased customers;
 *   sources.c   walking the sources (files, directories, .tenant);
 *   pipeline.c  reading documents and storing them (worker threads);
 *   shards.c    a new index built as shards in parallel, then merged;
 *   indexer.c   the run itself, and removing what is gone;
 *   erase.c     a customer's history erased (GDPR);
 *   write.c     documents written over HTTP (searchd's PUT, DELETE, bulk). */
#ifndef VB_INDEXER_INT_H
#define VB_INDEXER_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include "vb_analysis.h"
#include "vb_document.h"
#include "vb_indexer.h"
#include "vb_schema.h"
#include "vb_xapian.h"

/* Documents being built by the workers at most. */
#define PIPELINE_DEPTH 256
#define WORKERS_MAX VB_INDEXER_JOBS_MAX
/* A new index's shards are dealt documents in blocks of this many, in the
 * order read: neighbours in a source (the language versions of an
 * article, one customer's events) stay neighbours in the merged index. */
#define SHARD_BLOCK 64
/* Text the documents held for the reference length may hold (struct
 * run): as much as PIPELINE_DEPTH documents of VB_DOC_MAX_BYTES, twice
 * (as written and as plain text). */
#define HELD_BYTES_MAX ((size_t)PIPELINE_DEPTH * 2 * VB_DOC_MAX_BYTES)

struct map_slot {
    const char *key; /* borrowed from the value's owner */
    uint32_t len;
    uint32_t hash;
    size_t value;
};

struct map {
    struct map_slot *slots;
    size_t mask, used;
};

/* Fingerprint -> entry index (open addressing; a fingerprint is never 0,
 * which marks a free slot). */
struct fingerprint_map {
    struct fingerprint_slot {
        uint64_t fingerprint;
        size_t entry;
    } * slots;
    size_t mask, used;
};

/* One document id, as indexed before the run and/or as read in it. */
struct entry {
    char *id;
    bool indexed;             /* in the index before this run */
    uint32_t docid;           /* its Xapian id when indexed */
    uint64_t hash;            /* indexed content hash */
    uint64_t fingerprint;     /* indexed fingerprint (0: none) */
    const char *indexed_path; /* interned absolute path, or NULL */
    unsigned indexed_line;
    bool seen;             /* read in this run */
    const char *seen_path; /* interned display path */
    unsigned seen_line;
};

/* One file read in this run. */
struct file {
    char *display; /* as the user would write it (source + relative) */
    char *abs;     /* absolute, for sync records */
    bool problem;  /* something in it was rejected or unreadable */
    /* The tenant of its directory's .tenant (the nearest one), interned,
     * or NULL; tenant_bad: that file is not valid, nothing is read. */
    const char *tenant;
    bool tenant_bad;
};

struct source {
    char *abs;
    bool is_dir;
    bool repeated; /* the same directory or file as an earlier source */
};

/* A document on its way from reading to the index: analysed and built by
 * a worker (the costly part), stored by the one thread that owns the
 * Xapian writer, or, in a new index built as shards (shards.c), by the
 * worker into its own shard. */
struct job {
    struct vb_document *doc;
    size_t entry;
    enum vb_lang lang;
    uint64_t hash, fingerprint;
    const char *display; /* the file, for messages */
    double reference;    /* the index's reference length (vb_schema.h) */
    struct vb_xapian_doc *built;
    enum vb_status status;
    struct vb_error problem;
    bool stored; /* put into a shard by the worker: */
    enum vb_status put_status;
    struct vb_error put_error;
};

/* Jobs waiting for a worker. */
struct ring {
    struct job *jobs[PIPELINE_DEPTH];
    size_t head, count;
};

struct worker {
    struct pipeline *pipeline;
    int index;
};

struct pipeline {
    pthread_mutex_t lock;
    pthread_cond_t work_ready, done_ready;
    /* One ring for every worker, or one per worker when each writes a
     * shard: block k of SHARD_BLOCK jobs goes to shard k mod shards,
     * whoever is faster, so the same sources give the same index. */
    struct ring rings[WORKERS_MAX];
    size_t ring_count;
    uint64_t submitted;
    struct job *done[PIPELINE_DEPTH];
    size_t done_count;
    size_t in_flight; /* submitted, not yet collected */
    bool closing;
    pthread_t threads[WORKERS_MAX];
    struct worker workers[WORKERS_MAX];
    int thread_count;
    const struct vb_analysis_data *analysis;
    enum vb_status start_status; /* a worker that could not start */
    /* Worker i's shard (run.shards), or NULL: the run's writer stores. */
    struct vb_xapian_writer *shards[WORKERS_MAX];
};

struct run {
    const struct vb_indexer_options *opt;
    struct vb_indexer_summary *sum;
    struct vb_error *err;
    enum vb_status status; /* first fatal error */

    struct source *sources;
    size_t source_count;
    struct file *files;
    size_t file_count, file_cap;
    struct map file_by_abs; /* abs path -> file index */
    struct map visited;     /* "dev:inode" of directories and files read */

    struct entry *entries;
    size_t entry_count, entry_cap;
    struct map entry_by_id;
    /* Indexed documents by the fingerprint of the bytes they were read
     * from: a rerun knows an unchanged record without parsing it. */
    struct fingerprint_map entry_by_fingerprint;

    char **paths; /* interned strings */
    size_t path_count, path_cap;
    struct map path_by_text;

    struct vb_analysis_data *analysis;
    struct vb_analyzer *analyzer; /* when there are no workers */
    struct pipeline *pipeline;    /* NULL on a single core */
    struct vb_xapian_writer *writer;
    struct vb_xapian_reader *reader; /* the writer's view, or a reader */
    struct file *current;            /* the file being read */
    uint64_t current_seed;           /* its records' fingerprint seed */
    /* The fingerprint of the record being read, until on_document takes
     * it (0: none). */
    uint64_t record_fingerprint;
    /* The entry after the last record known by its fingerprint: the
     * records of an unchanged file come in the order they were stored. */
    size_t next_known;
    char *erased_list;               /* VB_SCHEMA_METADATA_ERASED */
    /* The index directory was missing or empty before this run: a run
     * that fails removes what it wrote there. */
    bool fresh_index, made_index_dir;
    /* shards.c: a new index written as shards (shard_count 0: not), in
     * build_dir. */
    struct vb_xapian_writer *shards[WORKERS_MAX];
    size_t shard_count;
    char *build_dir;
    /* The reference length documents are built with (vb_schema.h): the
     * index's, or, for a new index and with --full, 0 until the first
     * VB_SCHEMA_LENGTH_SAMPLE documents read (all, when fewer; fewer when
     * their text reaches HELD_BYTES_MAX) have fixed it.  Until then they
     * wait in `held`, in the order read; held_length is the sum of their
     * lengths, held_bytes of their text. */
    double reference;
    struct job **held;
    size_t held_count, held_cap, held_bytes;
    double held_length;
    struct map erased; /* customer (in erased_list) -> erasure day YYYYMMDD */
    uint64_t read;     /* documents read so far */
    struct timespec started;
};

/* ---- state.c ----------------------------------------------------------- */

/* The slot of key[0..len), or NULL. */
struct map_slot *ix_map_find(struct map *m, const char *key, size_t len);
/* Adds key -> value (the key is borrowed, and not in the map yet); false
 * when out of memory. */
bool ix_map_insert(struct map *m, const char *key, size_t len, size_t value);
/* Room for n keys in all; false when out of memory. */
bool ix_map_reserve(struct map *m, size_t n);
void ix_map_free(struct map *m);
void ix_fingerprint_free(struct fingerprint_map *m);
/* The entry of `fingerprint`, or SIZE_MAX. */
size_t ix_fingerprint_find(const struct fingerprint_map *m,
                           uint64_t fingerprint);
/* Seconds since the run started. */
double ix_elapsed(const struct run *r);
/* Sets the run's status to VB_ENOMEM (with a message) and returns it. */
enum vb_status ix_out_of_memory(struct run *r);
/* Room for one more item in *items (count used of *cap); false when out
 * of memory. */
bool ix_grow(void **items, size_t *cap, size_t count, size_t item_size);
/* The one copy of text[0..len) for this run, NULL when out of memory. */
const char *ix_intern(struct run *r, const char *text, size_t len);
/* A new entry for `id`, in no map yet; NULL when out of memory. */
struct entry *ix_entry_append(struct run *r, const char *id, size_t len);
/* Entries [first, entry_count) put in entry_by_id and, those with a
 * fingerprint, entry_by_fingerprint, in one batch; an id already there
 * keeps its entry (a document stored twice: the other one, in no map, is
 * never seen, so the run removes it).  False when out of memory. */
bool ix_index_entries(struct run *r, size_t first);
/* The entry of document `id`, added when `create`; NULL when absent or
 * out of memory. */
struct entry *ix_entry_get(struct run *r, const char *id, size_t len,
                           bool create);
/* A line for the run's report (options->report). */
void ix_report(struct run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Is `path` (absolute) a file source or under a directory source? */
bool ix_covered(const struct run *r, const char *path);

/* ---- known.c ----------------------------------------------------------- */

/* The index's documents (sync records) and erased customers, into r. */
enum vb_status ix_load_index(struct run *r);
/* Whether `doc` is an event of an erased customer dated up to the day of
 * the erasure. */
bool ix_erased_event(struct run *r, const struct vb_document *doc);

/* ---- sources.c --------------------------------------------------------- */

/* dir + "/" + name, malloc'd; NULL when out of memory. */
char *ix_join(const char *dir, const char *name);
/* The run's sources resolved and walked into r->files. */
enum vb_status ix_collect_sources(struct run *r);

/* ---- pipeline.c -------------------------------------------------------- */

/* The threads the run may use: options->jobs, else the processors
 * online (at least 1). */
int ix_jobs(const struct run *r);
/* Starts the workers: one per shard when the run writes shards, else one
 * fewer than the cores (none on one core). */
enum vb_status ix_pipeline_start(struct run *r);
/* Stops the workers; documents still held (a run that failed) are
 * dropped. */
void ix_pipeline_stop(struct run *r);
/* Every file of r->files read and its documents stored. */
enum vb_status ix_read_files(struct run *r);
/* Gives `doc` the tenant `tenant` when it names none: VB_OK, VB_EDENIED
 * when it names another, VB_ENOMEM.  A directory's .tenant and a writer
 * working for one client both decide this way. */
enum vb_status ix_adopt_tenant(struct vb_document *doc, const char *tenant);
/* The language of `doc`: its own, or detected from its title and body
 * (*detected; VB_LANG_UNKNOWN when there is nothing to detect from, and
 * *failed when memory ran out). */
enum vb_lang ix_document_lang(const struct vb_document *doc, bool *detected,
                              bool *failed);

/* ---- shards.c ---------------------------------------------------------- */

/* After the index is loaded, before the pipeline starts: when it holds
 * nothing yet and there are several cores, opens a shard per core
 * (r->shards), which the workers write. */
enum vb_status ix_shards_begin(struct run *r);
/* After every document is stored and the pipeline stopped: the shards
 * committed, merged into a compacted index, published in place of the
 * empty one.  Closes r->writer. */
enum vb_status ix_shards_publish(struct run *r);
/* Removes the shards of a run that failed (or any left by a killed run). */
void ix_shards_discard(struct run *r);

/* ---- indexer.c --------------------------------------------------------- */

/* Whether `dir` holds only a Xapian index's files (*ok); with
 * `remove_them`, they are removed (the others left). */
enum vb_status ix_index_files(struct run *r, const char *dir, bool remove_them,
                              bool *ok);

/* Opens the writer (creating the index with `create`), waiting up to
 * `wait_ms` while another process holds the lock: a daemon's write over
 * HTTP holds it for milliseconds, another indexer run for longer. */
enum vb_status ix_open_writer_waiting(const char *dir, bool create,
                                      unsigned wait_ms,
                                      struct vb_xapian_writer **out,
                                      struct vb_error *err);

#endif
