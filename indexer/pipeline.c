/* pipeline.c — reading documents and storing them: worker threads
 * analyse and build each document (the costly part), the thread that
 * owns the Xapian writer stores them, in the order read. */
#include "indexer_int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#define PROGRESS_EVERY 4096

static void progress(struct run *r)
{
    r->read++;
    if (r->opt->progress && r->read % PROGRESS_EVERY == 0) {
        r->sum->seconds = ix_elapsed(r);
        r->opt->progress(r->opt->ctx, r->sum, r->read);
    }
}

static void reject(struct run *r)
{
    r->sum->rejected++;
    r->current->problem = true;
}

/* Builds a job's document (any thread, with its own analyzer). */
static void build_job(struct vb_analyzer *analyzer, struct job *j)
{
    j->status =
        vb_schema_build(analyzer, j->doc, j->lang, j->hash, j->fingerprint,
                        j->reference, &j->built, &j->problem);
}

/* Stores a built job and frees it; false on a fatal error (in r->status).
 * Only the thread that owns the writer calls it. */
static bool finish_job(struct run *r, struct job *j)
{
    struct entry *e = &r->entries[j->entry];
    enum vb_status st = j->status;
    if (st == VB_OK && j->stored) {
        st = j->put_status;
        if (st != VB_OK)
            *r->err = j->put_error;
    } else if (st == VB_OK && !r->opt->check_only && r->status == VB_OK)
        st = vb_schema_put(r->writer, j->doc->id, e->indexed ? e->docid : 0,
                           j->built, r->err);
    else if (st != VB_OK && st != VB_ENOMEM)
        st = VB_EINVAL; /* the document's own problem, reported below */
    if (st == VB_OK) {
        e->indexed ? r->sum->updated++ : r->sum->added++;
        if (r->opt->changed) {
            char place[PATH_MAX + 16];
            snprintf(place, sizeof place, "%s:%u", j->display,
                     j->doc->source_line);
            r->opt->changed(r->opt->ctx, e->indexed ? "updated" : "added",
                            j->doc->id, place);
        }
    } else if (j->status == VB_ENOMEM) {
        if (r->status == VB_OK)
            r->status = vb_error_set(r->err, VB_ENOMEM, "%s", j->problem.msg);
    } else if (j->status != VB_OK) {
        ix_report(r, "%s:%u: %s", j->display, j->doc->source_line,
                  j->problem.msg);
        r->sum->rejected++;
        struct map_slot *f = ix_map_find(&r->file_by_abs, j->doc->source_path,
                                         strlen(j->doc->source_path));
        if (f)
            r->files[f->value].problem = true;
    } else if (r->status == VB_OK) {
        r->status = st; /* the index failed */
    }
    vb_xapian_doc_free(j->built);
    vb_document_free(j->doc);
    free(j);
    return r->status == VB_OK;
}

/* The ring worker `index` takes its jobs from. */
static struct ring *ring_of(struct pipeline *p, size_t index)
{
    return &p->rings[p->ring_count > 1 ? index : 0];
}

static void *worker(void *arg)
{
    const struct worker *w = arg;
    struct pipeline *p = w->pipeline;
    struct vb_analyzer *analyzer = NULL;
    enum vb_status st = vb_analyzer_new(p->analysis, &analyzer, NULL);
    pthread_mutex_lock(&p->lock);
    if (st != VB_OK)
        p->start_status = st;
    for (;;) {
        struct ring *ring;
        while ((ring = ring_of(p, (size_t)w->index))->count == 0 && !p->closing)
            pthread_cond_wait(&p->work_ready, &p->lock);
        if (ring->count == 0)
            break;
        struct job *j = ring->jobs[ring->head];
        ring->head = (ring->head + 1) % PIPELINE_DEPTH;
        ring->count--;
        /* Set before the first job was handed out (ix_shards_begin). */
        struct vb_xapian_writer *shard = p->shards[w->index];
        pthread_mutex_unlock(&p->lock);
        if (analyzer)
            build_job(analyzer, j);
        else
            j->status = VB_ENOMEM;
        if (j->status == VB_OK && shard) {
            j->put_status =
                vb_schema_put(shard, j->doc->id, 0, j->built, &j->put_error);
            j->stored = true;
        }
        pthread_mutex_lock(&p->lock);
        p->done[p->done_count++] = j;
        pthread_cond_signal(&p->done_ready);
    }
    pthread_mutex_unlock(&p->lock);
    vb_analyzer_free(analyzer);
    return NULL;
}

/* Stores what the workers finished; with `wait`, first waits until
 * something is finished (or nothing is in flight). */
static bool collect(struct run *r, bool wait)
{
    struct pipeline *p = r->pipeline;
    struct job *done[PIPELINE_DEPTH];
    pthread_mutex_lock(&p->lock);
    while (wait && p->done_count == 0 && p->in_flight > 0)
        pthread_cond_wait(&p->done_ready, &p->lock);
    size_t n = p->done_count;
    memcpy(done, p->done, n * sizeof *done);
    p->done_count = 0;
    p->in_flight -= n;
    pthread_mutex_unlock(&p->lock);
    bool ok = true;
    for (size_t i = 0; i < n; i++)
        ok = finish_job(r, done[i]) && ok;
    return ok;
}

/* Hands a job to the workers (or builds it here on a single core), once
 * the reference length is known. */
static bool submit(struct run *r, struct job *j)
{
    struct pipeline *p = r->pipeline;
    j->reference = r->reference;
    if (!p) {
        build_job(r->analyzer, j);
        return finish_job(r, j);
    }
    bool ok = collect(r, false);
    pthread_mutex_lock(&p->lock);
    while (p->in_flight == PIPELINE_DEPTH) {
        pthread_mutex_unlock(&p->lock);
        ok = collect(r, true) && ok;
        pthread_mutex_lock(&p->lock);
    }
    struct ring *ring = &p->rings[p->submitted++ / SHARD_BLOCK % p->ring_count];
    ring->jobs[(ring->head + ring->count) % PIPELINE_DEPTH] = j;
    ring->count++;
    p->in_flight++;
    /* Every worker wakes: with a ring each, only one of them has work. */
    pthread_cond_broadcast(&p->work_ready);
    pthread_mutex_unlock(&p->lock);
    return ok;
}

/* The held documents' mean length becomes the reference, and they go to
 * the workers. */
static bool release(struct run *r)
{
    if (r->held_count == 0)
        return true;
    r->reference = vb_schema_mean_length(r->held_length, r->held_count);
    bool ok = true;
    for (size_t i = 0; i < r->held_count; i++)
        ok = submit(r, r->held[i]) && ok;
    free(r->held);
    r->held = NULL;
    r->held_count = r->held_cap = r->held_bytes = 0;
    return ok;
}

/* Keeps a job until the reference length is known (see struct run). */
static bool hold(struct run *r, struct job *j)
{
    if (!ix_grow((void **)&r->held, &r->held_cap, r->held_count,
                 sizeof *r->held)) {
        vb_document_free(j->doc);
        free(j);
        ix_out_of_memory(r);
        return false;
    }
    r->held[r->held_count++] = j;
    r->held_length += vb_schema_length(j->doc);
    r->held_bytes += strlen(j->doc->title) + strlen(j->doc->body_text) +
                     strlen(j->doc->body_source);
    return (r->held_count < VB_SCHEMA_LENGTH_SAMPLE &&
            r->held_bytes < HELD_BYTES_MAX) ||
           release(r);
}

/* Waits for every job in flight and stores it. */
static bool drain(struct run *r)
{
    bool ok = true;
    while (r->pipeline) {
        pthread_mutex_lock(&r->pipeline->lock);
        size_t left = r->pipeline->in_flight;
        pthread_mutex_unlock(&r->pipeline->lock);
        if (left == 0)
            break;
        ok = collect(r, true) && ok;
    }
    return ok;
}

int ix_jobs(const struct run *r)
{
    if (r->opt->jobs > 0)
        return (int)r->opt->jobs;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores < 1 ? 1 : cores > 1024 ? 1024 : (int)cores;
}

enum vb_status ix_pipeline_start(struct run *r)
{
    /* The thread that reads stores too, unless each worker writes a
     * shard: then the workers take every core. */
    int jobs = ix_jobs(r);
    int workers = r->shard_count > 0   ? (int)r->shard_count
                  : jobs > WORKERS_MAX ? WORKERS_MAX
                                       : jobs - 1;
    if (workers < 1)
        return vb_analyzer_new(r->analysis, &r->analyzer, r->err);
    struct pipeline *p = calloc(1, sizeof *p);
    if (!p)
        return ix_out_of_memory(r);
    p->analysis = r->analysis;
    p->ring_count = r->shard_count > 0 ? r->shard_count : 1;
    for (size_t i = 0; i < r->shard_count; i++)
        p->shards[i] = r->shards[i];
    if (pthread_mutex_init(&p->lock, NULL) != 0) {
        free(p);
        return ix_out_of_memory(r);
    }
    pthread_cond_init(&p->work_ready, NULL);
    pthread_cond_init(&p->done_ready, NULL);
    r->pipeline = p;
    for (int i = 0; i < workers; i++) {
        p->workers[i] = (struct worker){.pipeline = p, .index = i};
        if (pthread_create(&p->threads[i], NULL, worker, &p->workers[i]) != 0)
            break;
        p->thread_count++;
    }
    /* A shard without its worker would never be written. */
    if (p->thread_count == 0 || (size_t)p->thread_count < r->shard_count)
        return vb_error_set(r->err, VB_ENOMEM, "cannot start a thread");
    return VB_OK;
}

void ix_pipeline_stop(struct run *r)
{
    for (size_t i = 0; i < r->held_count; i++) {
        vb_document_free(r->held[i]->doc);
        free(r->held[i]);
    }
    free(r->held);
    r->held = NULL;
    r->held_count = r->held_cap = r->held_bytes = 0;
    struct pipeline *p = r->pipeline;
    if (!p)
        return;
    drain(r);
    pthread_mutex_lock(&p->lock);
    p->closing = true;
    pthread_cond_broadcast(&p->work_ready);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->thread_count; i++)
        pthread_join(p->threads[i], NULL);
    pthread_cond_destroy(&p->work_ready);
    pthread_cond_destroy(&p->done_ready);
    pthread_mutex_destroy(&p->lock);
    free(p);
    r->pipeline = NULL;
}

/* ==== Records known by their bytes ===================================== */

/* A record's fingerprint: its bytes (r->current_seed: read by this
 * version of the document reader, with the tenant its directory gives
 * it).  Never 0. */
static uint64_t fingerprint_of(const struct run *r, const char *data,
                               size_t len)
{
    uint64_t f = XXH3_64bits_withSeed(data, len, r->current_seed);
    return f ? f : 1;
}

/* Rewrites the sync record of unchanged document `e`: read now at
 * path:line with `fingerprint`.  False on a fatal error. */
static bool restamp(struct run *r, struct entry *e, const char *path,
                    unsigned line, uint64_t fingerprint)
{
    r->sum->restamped++;
    if (r->opt->check_only)
        return true;
    struct vb_schema_sync_record rec = {
        .docid = e->docid,
        .id = e->id,
        .id_len = strlen(e->id),
        .hash = e->hash,
        .fingerprint = fingerprint,
        .source_path = path,
        .source_path_len = strlen(path),
        .source_line = line,
    };
    enum vb_status st = vb_schema_restamp(r->writer, &rec, r->err);
    if (st != VB_OK && r->status == VB_OK)
        r->status = st;
    return st == VB_OK;
}

/* Asked about each record before it is parsed.  A record with the
 * fingerprint of a document indexed from this file is that document,
 * unchanged: a rerun reads a million unchanged records without parsing
 * one (with --full every record is parsed). */
static bool known_record(void *ctx, const char *data, size_t len, unsigned line)
{
    struct run *r = ctx;
    if (r->status != VB_OK)
        return true; /* the run has failed: nothing more is stored */
    r->record_fingerprint = fingerprint_of(r, data, len);
    if (r->opt->full || r->current->tenant_bad)
        return false;
    size_t i = r->next_known;
    if (i >= r->entry_count ||
        r->entries[i].fingerprint != r->record_fingerprint)
        i = ix_fingerprint_find(&r->entry_by_fingerprint,
                                r->record_fingerprint);
    struct entry *e = i == SIZE_MAX ? NULL : &r->entries[i];
    /* Seen: the same id read earlier in this run, a duplicate to report. */
    if (!e || e->seen || !e->indexed_path ||
        strcmp(e->indexed_path, r->current->abs) != 0)
        return false;
    r->record_fingerprint = 0;
    r->next_known = i + 1;
    progress(r);
    /* Markdown (line 0): the same bytes, the same line. */
    unsigned at = line ? line : e->indexed_line;
    e->seen = true;
    e->seen_path = r->current->display;
    e->seen_line = at;
    r->sum->unchanged++;
    if (at != e->indexed_line)
        restamp(r, e, e->indexed_path, at, e->fingerprint);
    return true;
}

/* Stores one valid document (through the pipeline), read from bytes with
 * `fingerprint`; false on a fatal error.  Takes ownership of doc. */
static bool store(struct run *r, struct vb_document *doc, struct entry *e,
                  enum vb_lang lang, uint64_t hash, uint64_t fingerprint)
{
    if (e->indexed && !r->opt->full && e->hash == hash &&
        e->docid != VB_SCHEMA_DOCID_UNKNOWN) {
        /* Unchanged: only where it was read, or its bytes, may differ. */
        r->sum->unchanged++;
        bool same = e->indexed_path &&
                    strcmp(e->indexed_path, doc->source_path) == 0 &&
                    e->indexed_line == doc->source_line &&
                    e->fingerprint == fingerprint;
        bool ok = same || restamp(r, e, doc->source_path, doc->source_line,
                                  fingerprint);
        vb_document_free(doc);
        return ok;
    }
    struct job *j = calloc(1, sizeof *j);
    if (!j) {
        vb_document_free(doc);
        ix_out_of_memory(r);
        return false;
    }
    j->doc = doc;
    j->entry = (size_t)(e - r->entries);
    j->lang = lang;
    j->hash = hash;
    j->fingerprint = fingerprint;
    j->display = r->current->display;
    return r->reference > 0 ? submit(r, j) : hold(r, j);
}

/* Gives `doc` the tenant `tenant` when it names none: VB_OK, VB_EDENIED
 * when it names another, VB_ENOMEM.  A directory's .tenant and a writer
 * working for one client both decide this way. */
enum vb_status ix_adopt_tenant(struct vb_document *doc, const char *tenant)
{
    if (doc->tenant[0])
        return strcmp(doc->tenant, tenant) == 0 ? VB_OK : VB_EDENIED;
    char *copy = strdup(tenant);
    if (!copy)
        return VB_ENOMEM;
    free(doc->tenant);
    doc->tenant = copy;
    return VB_OK;
}

/* The language of `doc`: its own, or detected from its title and body
 * (*detected; VB_LANG_UNKNOWN when there is nothing to detect from, and
 * *failed when memory ran out). */
enum vb_lang ix_document_lang(const struct vb_document *doc, bool *detected,
                              bool *failed)
{
    *detected = false;
    *failed = false;
    enum vb_lang lang = vb_lang_parse(doc->lang, strlen(doc->lang));
    if (lang != VB_LANG_UNKNOWN)
        return lang;
    size_t tl = strlen(doc->title), bl = strlen(doc->body_text);
    char *text = malloc(tl + bl + 2);
    if (!text) {
        *failed = true;
        return VB_LANG_UNKNOWN;
    }
    memcpy(text, doc->title, tl);
    text[tl] = '\n';
    memcpy(text + tl + 1, doc->body_text, bl + 1);
    lang = vb_detect_lang(text, tl + 1 + bl, NULL);
    free(text);
    *detected = lang != VB_LANG_UNKNOWN;
    return lang;
}

static int on_document(void *ctx, struct vb_document *doc,
                       const struct vb_error *problems, size_t problem_count)
{
    struct run *r = ctx;
    /* The record known_record was asked about last. */
    uint64_t fingerprint = r->record_fingerprint;
    r->record_fingerprint = 0;
    progress(r);
    if (!doc) {
        for (size_t i = 0; i < problem_count; i++)
            ix_report(r, "%s", problems[i].msg);
        reject(r);
        return 0;
    }
    int stop = 0;
    /* Its directory says whose it is, unless it says so itself; a
     * directory whose .tenant is wrong has nothing read (indexing its
     * documents as shared would show them to every client). */
    const struct file *file = r->current;
    if (file->tenant_bad) {
        ix_report(r, "%s:%u: not indexed: the .tenant above it is not valid",
                  file->display, doc->source_line);
        reject(r);
        goto out;
    }
    enum vb_status adopted =
        file->tenant ? ix_adopt_tenant(doc, file->tenant) : VB_OK;
    if (adopted == VB_EDENIED) {
        ix_report(r,
                  "%s:%u: 'tenant' %s differs from %s, which its directory's "
                  ".tenant says; remove one",
                  file->display, doc->source_line, doc->tenant, file->tenant);
        reject(r);
        goto out;
    }
    if (adopted == VB_ENOMEM) {
        ix_out_of_memory(r);
        stop = 1;
        goto out;
    }
    size_t id_len = strlen(doc->id);
    struct entry *e = ix_entry_get(r, doc->id, id_len, true);
    if (!e) {
        ix_out_of_memory(r);
        stop = 1;
        goto out;
    }
    if (e->seen) {
        ix_report(r, "%s:%u: duplicate id %s: also at %s:%u (kept there)",
                  r->current->display, doc->source_line, doc->id, e->seen_path,
                  e->seen_line);
        reject(r);
        goto out;
    }
    if (ix_erased_event(r, doc)) {
        ix_report(r,
                  "%s:%u: note: customer %s was erased; event %s not indexed "
                  "(remove it from the source)",
                  r->current->display, doc->source_line, doc->customer,
                  doc->id);
        r->sum->erased++;
        goto out;
    }
    e->seen = true;
    e->seen_path = r->current->display;
    e->seen_line = doc->source_line;
    if (e->indexed && !r->opt->full && e->indexed_path &&
        !ix_covered(r, e->indexed_path)) {
        ix_report(
            r,
            "%s:%u: duplicate id %s: already indexed from %s:%u, which is "
            "not among this run's sources",
            r->current->display, doc->source_line, doc->id, e->indexed_path,
            e->indexed_line);
        reject(r);
        e->seen = false; /* leave the indexed one alone */
        goto out;
    }

    bool detected = false, failed = false;
    enum vb_lang lang = ix_document_lang(doc, &detected, &failed);
    if (failed) {
        ix_out_of_memory(r);
        stop = 1;
        goto out;
    }
    if (detected || lang == VB_LANG_UNKNOWN) {
        if (lang == VB_LANG_UNKNOWN) {
            ix_report(r,
                      "%s:%u: no 'lang' given and no words to detect it from; "
                      "add lang: nl, fr or en",
                      r->current->display, doc->source_line);
            reject(r);
            goto out;
        }
        ix_report(r, "%s:%u: note: no 'lang' given; detected %s",
                  r->current->display, doc->source_line, vb_lang_code(lang));
        r->sum->detected++;
    }

    uint64_t hash = vb_document_content_hash(doc);
    /* Sync records hold absolute paths, so that `corpus` and `./corpus`
     * are the same place. */
    char *abs = strdup(r->current->abs);
    if (!abs) {
        ix_out_of_memory(r);
        stop = 1;
        goto out;
    }
    free(doc->source_path);
    doc->source_path = abs;
    return store(r, doc, e, lang, hash, fingerprint) ? 0 : 1;
out:
    vb_document_free(doc);
    return stop;
}

enum vb_status ix_read_files(struct run *r)
{
    for (size_t i = 0; i < r->file_count && r->status == VB_OK; i++) {
        struct vb_error problem;
        r->current = &r->files[i];
        const char *tenant = r->current->tenant ? r->current->tenant : "";
        r->current_seed = XXH3_64bits_withSeed(tenant, strlen(tenant),
                                               VB_DOCUMENT_READER_VERSION);
        enum vb_status st = vb_document_read_file_skipping(
            r->current->display, known_record, on_document, r, &problem);
        if (st == VB_ENOMEM)
            return vb_error_set(r->err, st, "%s", problem.msg);
        if (st != VB_OK) {
            ix_report(r, "%s", problem.msg);
            reject(r);
        }
    }
    if (r->status == VB_OK)
        release(r);
    drain(r);
    return r->status;
}
