/* search.c — the engine and its searchers: opening the index, following
 * its revisions, documents by id.  Query meaning lives in query.c. */
#include "search_int.h"

#include <dirent.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* How often the watcher looks for a new index revision. */
#define WATCH_INTERVAL_MS 200

/* ==== Engine ============================================================ */

struct vb_vocab *vb_search_engine_vocab(struct vb_search_engine *engine)
{
    pthread_mutex_lock(&engine->lock);
    struct vb_vocab *v = engine->vocab;
    atomic_fetch_add(&v->refs, 1);
    pthread_mutex_unlock(&engine->lock);
    return v;
}

struct vb_thesaurus *vb_search_engine_thesaurus(struct vb_search_engine *engine,
                                                const char *tenant)
{
    pthread_mutex_lock(&engine->lock);
    struct vb_thesaurus *t = engine->thesaurus;
    for (size_t i = 0; tenant && i < engine->tenant_thesaurus_count; i++)
        if (strcmp(engine->tenant_thesauri[i].name, tenant) == 0)
            t = engine->tenant_thesauri[i].thesaurus;
    atomic_fetch_add(&t->refs, 1);
    pthread_mutex_unlock(&engine->lock);
    return t;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(a, b); /* each a char[VB_DOC_TENANT_MAX + 1] */
}

/* The tenants with a synonyms subdirectory, sorted: names[] get them
 * (at most cap); their count. */
static size_t synonym_tenants(const char *dir,
                              char (*names)[VB_DOC_TENANT_MAX + 1], size_t cap)
{
    DIR *d = dir ? opendir(dir) : NULL;
    size_t n = 0;
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        char path[4096];
        struct stat sb;
        size_t name_len = strlen(e->d_name); /* tenant_ok: at most the max */
        int len = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (len > 0 && (size_t)len < sizeof path && n < cap &&
            vb_document_tenant_ok(e->d_name, name_len) &&
            stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            memcpy(names[n++], e->d_name, name_len + 1);
    }
    if (d)
        closedir(d);
    qsort(names, n, sizeof *names, compare_names);
    return n;
}

#define SYNONYM_TENANTS_MAX 256

/* A fingerprint of the synonym files (modification times and sizes), the
 * shared ones and each tenant's, so that an edit is noticed without
 * reading them. */
static uint64_t synonyms_stamp(const char *dir)
{
    uint64_t stamp = 0; /* unsigned: the arithmetic wraps, by design */
    char(*names)[VB_DOC_TENANT_MAX + 1] =
        malloc(SYNONYM_TENANTS_MAX * sizeof *names);
    size_t n = names ? synonym_tenants(dir, names, SYNONYM_TENANTS_MAX) : 0;
    for (size_t k = 0; dir && k <= n; k++) {
        char sub[4096];
        snprintf(sub, sizeof sub, "%s%s%s", dir, k ? "/" : "",
                 k ? names[k - 1] : "");
        for (int l = VB_LANG_NL; l < VB_LANG_COUNT; l++) {
            char path[4096];
            struct stat sb;
            vb_synonym_file_path(sub, (enum vb_lang)l, path, sizeof path);
            if (stat(path, &sb) == 0)
                stamp = stamp * 1000003u +
                        (uint64_t)sb.st_mtim.tv_sec * 1000000000u +
                        (uint64_t)sb.st_mtim.tv_nsec +
                        (uint64_t)sb.st_size * 7919u;
            else
                stamp = stamp * 1000003u + (uint64_t)l + k;
        }
    }
    free(names);
    return stamp;
}

static void free_tenant_thesauri(struct vb_tenant_thesaurus *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        vb_thesaurus_release(list[i].thesaurus);
    free(list);
}

/* The shared thesaurus and every tenant's, from `dir`; all or nothing. */
static enum vb_status build_thesauri(const struct vb_analysis_data *analysis,
                                     const char *dir,
                                     struct vb_thesaurus **shared,
                                     struct vb_tenant_thesaurus **tenants,
                                     size_t *count, struct vb_error *err)
{
    *shared = NULL;
    *tenants = NULL;
    *count = 0;
    char(*names)[VB_DOC_TENANT_MAX + 1] =
        malloc(SYNONYM_TENANTS_MAX * sizeof *names);
    size_t n = names ? synonym_tenants(dir, names, SYNONYM_TENANTS_MAX) : 0;
    struct vb_tenant_thesaurus *list = names ? calloc(n + 1, sizeof *list) : NULL;
    if (!list) {
        free(names);
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    }
    enum vb_status st = vb_thesaurus_build(analysis, dir, NULL, shared, err);
    size_t built = 0;
    for (; st == VB_OK && built < n; built++) {
        memcpy(list[built].name, names[built], sizeof list[built].name);
        st = vb_thesaurus_build(analysis, dir, names[built],
                                &list[built].thesaurus, err);
    }
    free(names);
    if (st != VB_OK) {
        free_tenant_thesauri(list, built);
        vb_thesaurus_release(*shared);
        *shared = NULL;
        return st;
    }
    *tenants = list;
    *count = n;
    return VB_OK;
}

/* Re-reads the synonym files when they changed.  A bad file keeps the
 * synonyms in use and its problem is reported (vb_search_engine_problem)
 * until it is fixed. */
static void refresh_synonyms(struct vb_search_engine *engine)
{
    uint64_t stamp = synonyms_stamp(engine->synonyms_dir);
    if (stamp == engine->synonyms_stamp)
        return;
    engine->synonyms_stamp = stamp;
    struct vb_thesaurus *fresh = NULL;
    struct vb_tenant_thesaurus *tenants = NULL;
    size_t count = 0;
    struct vb_error err = {0};
    enum vb_status st = build_thesauri(engine->analysis, engine->synonyms_dir,
                                       &fresh, &tenants, &count, &err);
    pthread_mutex_lock(&engine->lock);
    if (st == VB_OK) {
        struct vb_thesaurus *old = engine->thesaurus;
        struct vb_tenant_thesaurus *old_tenants = engine->tenant_thesauri;
        size_t old_count = engine->tenant_thesaurus_count;
        engine->thesaurus = fresh;
        engine->tenant_thesauri = tenants;
        engine->tenant_thesaurus_count = count;
        engine->problem = (struct vb_error){0};
        pthread_mutex_unlock(&engine->lock);
        vb_thesaurus_release(old);
        free_tenant_thesauri(old_tenants, old_count);
        return;
    }
    engine->problem = err;
    pthread_mutex_unlock(&engine->lock);
}

/* Rebuilds the vocabulary when the index moved on, or the day did.  A failure keeps the
 * old one (search still works, with older completions) and is retried at
 * the next tick. */
static void refresh_vocab(struct vb_search_engine *engine,
                          struct vb_xapian_reader *reader)
{
    bool changed = false;
    struct vb_error err;
    if (vb_xapian_reader_reopen(reader, &changed, &err) != VB_OK)
        return;
    /* A new day expires articles without a new revision. */
    char cutoff[VB_EXPIRY_CUTOFF_SIZE];
    vb_search_expired_before(cutoff);
    /* A vocabulary read while shards were down is read again once they
     * answer (and the other way round), whichever reader saw it first. */
    size_t down = vb_xapian_reader_shards_down(reader, NULL, 0);
    pthread_mutex_lock(&engine->lock);
    changed = changed || !engine->vocab || engine->vocab->shards_down != down ||
              strcmp(engine->vocab->expired_before, cutoff) != 0;
    pthread_mutex_unlock(&engine->lock);
    if (!changed)
        return;
    struct vb_vocab *fresh = NULL;
    if (vb_vocab_build(reader, &fresh, &err) != VB_OK)
        return;
    pthread_mutex_lock(&engine->lock);
    struct vb_vocab *old = engine->vocab;
    engine->vocab = fresh;
    pthread_mutex_unlock(&engine->lock);
    vb_vocab_release(old);
}

static void *watch(void *arg)
{
    struct vb_search_engine *engine = arg;
    struct vb_xapian_reader *reader = NULL;
    if (vb_xapian_reader_open_shards(engine->index_dir,
                                     engine->shard_timeout_ms, &reader,
                                     NULL) != VB_OK)
        return NULL;
    pthread_mutex_lock(&engine->lock);
    while (!engine->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += WATCH_INTERVAL_MS * 1000000L;
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        int rc = 0;
        while (!engine->stopping && rc != ETIMEDOUT)
            rc = pthread_cond_timedwait(&engine->wake, &engine->lock, &until);
        if (engine->stopping)
            break;
        pthread_mutex_unlock(&engine->lock);
        refresh_vocab(engine, reader);
        if (engine->synonyms_dir)
            refresh_synonyms(engine);
        pthread_mutex_lock(&engine->lock);
    }
    pthread_mutex_unlock(&engine->lock);
    vb_xapian_reader_close(reader);
    return NULL;
}

enum vb_status vb_search_engine_new(const struct vb_search_engine_options *options,
                                    struct vb_search_engine **out,
                                    struct vb_error *err)
{
    *out = NULL;
    if (!options || !options->index_dir || !options->index_dir[0])
        return vb_error_set(err, VB_EINVAL, "no index directory given");
    struct vb_search_engine *engine = calloc(1, sizeof *engine);
    if (!engine)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    struct vb_xapian_reader *reader = NULL;
    enum vb_status st = VB_ENOMEM;
    engine->index_dir = strdup(options->index_dir);
    engine->shard_timeout_ms = options->shard_timeout_ms
                                   ? options->shard_timeout_ms
                                   : VB_XAPIAN_SHARD_TIMEOUT_MS;
    if (options->synonyms_dir)
        engine->synonyms_dir = strdup(options->synonyms_dir);
    if (!engine->index_dir || (options->synonyms_dir && !engine->synonyms_dir)) {
        vb_error_set(err, VB_ENOMEM, "out of memory");
        goto out;
    }
    /* Open once now so that a missing or foreign index is reported at
     * start-up, not at the first request. */
    st = vb_xapian_reader_open_shards(engine->index_dir,
                                      engine->shard_timeout_ms, &reader, err);
    if (st == VB_OK)
        st = vb_schema_check(reader, err);
    if (st == VB_OK)
        st = vb_analysis_data_new(&engine->analysis, err);
    if (st == VB_OK)
        st = vb_vocab_build(reader, &engine->vocab, err);
    if (st == VB_OK) {
        /* A bad synonym file does not stop the daemon: it starts with the
         * term bank alone and reports the problem until it is fixed. */
        engine->synonyms_stamp = synonyms_stamp(engine->synonyms_dir);
        st = build_thesauri(engine->analysis, engine->synonyms_dir,
                            &engine->thesaurus, &engine->tenant_thesauri,
                            &engine->tenant_thesaurus_count, &engine->problem);
        if (st != VB_OK && st != VB_ENOMEM && engine->synonyms_dir)
            st = vb_thesaurus_build(engine->analysis, NULL, NULL,
                                    &engine->thesaurus, err);
        else if (st != VB_OK && err)
            *err = engine->problem;
    }
    if (st == VB_OK && pthread_mutex_init(&engine->lock, NULL) != 0)
        st = vb_error_set(err, VB_ENOMEM, "cannot create a mutex");
    if (st == VB_OK && pthread_cond_init(&engine->wake, NULL) != 0) {
        pthread_mutex_destroy(&engine->lock);
        st = vb_error_set(err, VB_ENOMEM, "cannot create a condition");
    }
    if (st == VB_OK) {
        engine->watcher_started =
            pthread_create(&engine->watcher, NULL, watch, engine) == 0;
        if (!engine->watcher_started) {
            pthread_cond_destroy(&engine->wake);
            pthread_mutex_destroy(&engine->lock);
            st = vb_error_set(err, VB_ENOMEM, "cannot start a thread");
        }
    }
out:
    vb_xapian_reader_close(reader);
    if (st != VB_OK) {
        vb_vocab_release(engine->vocab);
        vb_thesaurus_release(engine->thesaurus);
        free_tenant_thesauri(engine->tenant_thesauri,
                             engine->tenant_thesaurus_count);
        vb_analysis_data_free(engine->analysis);
        free(engine->index_dir);
        free(engine->synonyms_dir);
        free(engine);
        return st;
    }
    *out = engine;
    return VB_OK;
}

void vb_search_engine_free(struct vb_search_engine *engine)
{
    if (!engine)
        return;
    pthread_mutex_lock(&engine->lock);
    engine->stopping = true;
    pthread_cond_signal(&engine->wake);
    pthread_mutex_unlock(&engine->lock);
    pthread_join(engine->watcher, NULL);
    pthread_cond_destroy(&engine->wake);
    pthread_mutex_destroy(&engine->lock);
    vb_vocab_release(engine->vocab);
    vb_thesaurus_release(engine->thesaurus);
    free_tenant_thesauri(engine->tenant_thesauri,
                         engine->tenant_thesaurus_count);
    vb_analysis_data_free(engine->analysis);
    free(engine->index_dir);
    free(engine->synonyms_dir);
    free(engine);
}

const struct vb_analysis_data *vb_search_engine_analysis(
    const struct vb_search_engine *engine)
{
    return engine->analysis;
}

bool vb_search_engine_problem(struct vb_search_engine *engine,
                              struct vb_error *problem)
{
    pthread_mutex_lock(&engine->lock);
    bool has = engine->problem.msg[0] != '\0';
    if (has && problem)
        *problem = engine->problem;
    pthread_mutex_unlock(&engine->lock);
    return has;
}

/* ==== Searcher ========================================================== */

enum vb_status vb_searcher_new(struct vb_search_engine *engine,
                               struct vb_searcher **out, struct vb_error *err)
{
    *out = NULL;
    struct vb_searcher *s = calloc(1, sizeof *s);
    if (!s)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    s->engine = engine;
    enum vb_status st = vb_xapian_reader_open_shards(
        engine->index_dir, engine->shard_timeout_ms, &s->reader, err);
    if (st == VB_OK)
        st = vb_analyzer_new(engine->analysis, &s->analyzer, err);
    if (st == VB_OK && (!(s->documents = vb_doc_cache_new()) ||
                        !(s->snippets = vb_snippet_cache_new()) ||
                        !(s->freqs = vb_freq_cache_new())))
        st = vb_error_set(err, VB_ENOMEM, "out of memory");
    if (st == VB_OK) {
        s->remote = vb_xapian_reader_remote(s->reader);
        st = vb_xapian_reader_revision(s->reader, &s->revision, err);
    }
    if (st != VB_OK) {
        vb_searcher_free(s);
        return st;
    }
    *out = s;
    return VB_OK;
}

void vb_searcher_free(struct vb_searcher *searcher)
{
    if (!searcher)
        return;
    vb_xapian_reader_close(searcher->reader);
    vb_analyzer_free(searcher->analyzer);
    vb_doc_cache_free(searcher->documents);
    vb_snippet_cache_free(searcher->snippets);
    vb_freq_cache_free(searcher->freqs);
    free(searcher->tokens);
    free(searcher);
}

enum vb_status vb_searcher_refresh(struct vb_searcher *searcher,
                                   struct vb_error *err)
{
    enum vb_status st = vb_xapian_reader_reopen(searcher->reader, NULL, err);
    if (st == VB_OK)
        st = vb_xapian_reader_revision(searcher->reader, &searcher->revision,
                                       err);
    return st;
}

void vb_searcher_warm(struct vb_searcher *searcher)
{
    vb_doc_cache_preload(searcher);
    /* "a" as being typed: the most frequent words that start with it, in
     * every language, their postings, hits and snippets. */
    struct vb_search_request req;
    vb_search_request_init(&req);
    req.text = "a";
    req.text_len = 1;
    struct vb_search_result *r = NULL;
    struct vb_error err = {0};
    if (vb_search_run(searcher, &req, &r, &err) == VB_OK)
        vb_search_result_free(r);
}

enum vb_status vb_searcher_stats(struct vb_searcher *searcher,
                                 uint32_t *documents, uint64_t *revision,
                                 struct vb_error *err)
{
    enum vb_status st = vb_searcher_refresh(searcher, err);
    if (st == VB_OK)
        st = vb_xapian_doc_count(searcher->reader, documents, err);
    if (st == VB_OK)
        *revision = searcher->revision;
    return st;
}

size_t vb_searcher_partial(const struct vb_searcher *searcher,
                           struct vb_error *problem)
{
    const char *names[VB_SEARCH_SHARDS_NAMED];
    size_t n = vb_xapian_reader_shards_down(searcher->reader, names,
                                            VB_SEARCH_SHARDS_NAMED);
    if (n == 0)
        return 0;
    size_t used = 0, cap = sizeof problem->msg;
    int w = snprintf(problem->msg, cap,
                     "%zu shard%s down, answers are partial without %s:", n,
                     n == 1 ? "" : "s", n == 1 ? "it" : "them");
    for (size_t i = 0; w > 0 && i < n && i < VB_SEARCH_SHARDS_NAMED; i++) {
        used += (size_t)w;
        if (used >= cap)
            break;
        w = snprintf(problem->msg + used, cap - used, " %s", names[i]);
    }
    problem->code = VB_EIO;
    return n;
}

/* ==== Documents ========================================================= */

/* Whether `valid_until` (a date or date-time, or "") has passed. */
static bool expired(const char *valid_until)
{
    char cutoff[VB_EXPIRY_CUTOFF_SIZE];
    vb_search_expired_before(cutoff);
    return valid_until[0] && strncmp(valid_until, cutoff, 10) <= 0;
}

/* Whether a request for `tenant` (NULL: every one) may see `doc`. */
static bool tenant_sees(const char *tenant, const struct vb_document *doc)
{
    return !tenant || !doc->tenant[0] || strcmp(tenant, doc->tenant) == 0;
}

enum vb_status vb_search_get_document(struct vb_searcher *searcher,
                                      const char *id, const char *customer,
                                      const char *tenant,
                                      struct vb_document **out, bool *expired_,
                                      struct vb_error *err)
{
    *out = NULL;
    *expired_ = false;
    char term[VB_DOC_ID_MAX + 8];
    if (vb_schema_id_term(id, term, sizeof term) == 0)
        return vb_error_set(err, VB_EINVAL, "invalid document id");
    enum vb_status st = vb_searcher_refresh(searcher, err);
    char *data = NULL;
    size_t len = 0;
    struct vb_document *doc = NULL;
    if (st == VB_OK)
        st = vb_xapian_get_document(searcher->reader, term, strlen(term), NULL,
                                    &data, &len, err);
    if (st == VB_ENOTFOUND)
        vb_error_set(err, VB_ENOTFOUND, "no document with id %s", id);
    if (st == VB_OK)
        st = vb_schema_decode(data, len, &doc, err);
    free(data);
    if (st != VB_OK)
        return st;
    if ((doc->customer[0] &&
         (!customer || strcmp(customer, doc->customer) != 0)) ||
        !tenant_sees(tenant, doc)) {
        vb_document_free(doc);
        return vb_error_set(err, VB_ENOTFOUND, "no document with id %s", id);
    }
    *expired_ = expired(doc->valid_until);
    *out = doc;
    return VB_OK;
}

/* ---- The editors' review list ------------------------------------------ */

struct day_scan {
    const char *day; /* "YYYY-MM-DD" */
    struct vb_docids *out;
    bool failed;
};

static int collect_up_to(void *ctx, uint32_t docid, const char *value,
                         size_t len)
{
    struct day_scan *d = ctx;
    struct vb_docids *out = d->out;
    if (len < 10 || strncmp(value, d->day, 10) > 0)
        return 0;
    if (out->count == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 256;
        uint32_t *grown = realloc(out->ids, cap * sizeof *grown);
        if (!grown) {
            d->failed = true;
            return 1;
        }
        out->ids = grown;
        out->cap = cap;
    }
    out->ids[out->count++] = docid;
    return 0;
}

enum vb_status vb_search_docids_up_to(struct vb_xapian_reader *reader,
                                      uint32_t slot, const char *day,
                                      struct vb_docids *out,
                                      struct vb_error *err)
{
    struct day_scan scan = {.day = day, .out = out};
    enum vb_status st =
        vb_xapian_for_each_value(reader, slot, collect_up_to, &scan, err);
    if (st == VB_OK && scan.failed)
        st = vb_error_set(err, VB_ENOMEM, "out of memory");
    return st;
}

static int compare_docids(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* By owner ("" last), then the earlier of the two dates. */
static int compare_due(const void *a, const void *b)
{
    const struct vb_document *x = *(struct vb_document *const *)a,
                             *y = *(struct vb_document *const *)b;
    if (!x->owner[0] != !y->owner[0])
        return x->owner[0] ? -1 : 1;
    int c = strcmp(x->owner, y->owner);
    if (c)
        return c;
    const char *dx = x->review_by[0] ? x->review_by : x->valid_until;
    const char *dy = y->review_by[0] ? y->review_by : y->valid_until;
    return strcmp(dx, dy);
}

enum vb_status vb_search_due(struct vb_searcher *searcher, const char *before,
                             const char *tenant, vb_search_due_fn fn,
                             void *ctx, struct vb_error *err)
{
    struct vb_docids scan = {0};
    struct vb_document **docs = NULL;
    size_t doc_count = 0;
    enum vb_status st = vb_searcher_refresh(searcher, err);
    if (st == VB_OK)
        st = vb_search_docids_up_to(searcher->reader, VB_SCHEMA_SLOT_REVIEW_BY,
                                    before, &scan, err);
    if (st == VB_OK)
        st = vb_search_docids_up_to(searcher->reader,
                                    VB_SCHEMA_SLOT_VALID_UNTIL, before, &scan,
                                    err);
    if (st != VB_OK)
        goto out;
    qsort(scan.ids, scan.count, sizeof *scan.ids, compare_docids);
    docs = calloc(scan.count + 1, sizeof *docs);
    if (!docs) {
        st = vb_error_set(err, VB_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < scan.count && st == VB_OK; i++) {
        if (i > 0 && scan.ids[i] == scan.ids[i - 1])
            continue;
        char *data = NULL;
        size_t len = 0;
        st = vb_xapian_document_data(searcher->reader, scan.ids[i], &data,
                                     &len, err);
        if (st == VB_ENOTFOUND) { /* deleted meanwhile */
            st = VB_OK;
            continue;
        }
        if (st == VB_OK)
            st = vb_schema_decode(data, len, &docs[doc_count], err);
        free(data);
        if (st == VB_OK && !tenant_sees(tenant, docs[doc_count])) {
            vb_document_free(docs[doc_count]);
            docs[doc_count] = NULL;
        } else if (st == VB_OK) {
            doc_count++;
        }
    }
    if (st != VB_OK)
        goto out;
    qsort(docs, doc_count, sizeof *docs, compare_due);
    for (size_t i = 0; i < doc_count; i++) {
        const struct vb_document *d = docs[i];
        struct vb_search_due_item item = {
            .id = d->id, .title = d->title, .lang = d->lang,
            .owner = d->owner, .review_by = d->review_by,
            .valid_until = d->valid_until, .tenant = d->tenant,
            .expired = expired(d->valid_until)};
        if (fn(ctx, &item) != 0)
            break;
    }
out:
    for (size_t i = 0; i < doc_count; i++)
        vb_document_free(docs[i]);
    free(docs);
    free(scan.ids);
    return st;
}
