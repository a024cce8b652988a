/* indexer.c — one synchronising run of the indexer (see vb_indexer.h). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "vb_indexer.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "vb_analysis.h"
#include "vb_document.h"
#include "vb_schema.h"
#include "vb_xapian.h"

#define DIR_DEPTH_MAX 64
#define PROGRESS_EVERY 4096
/* Documents being built by the workers at most. */
#define PIPELINE_DEPTH 256
#define WORKERS_MAX 4

/* ==== A string-keyed hash map (open addressing) ======================== */

struct map_slot {
    const char *key; /* borrowed from the value's owner */
    size_t len;
    size_t value;
};

struct map {
    struct map_slot *slots;
    size_t mask, used;
};

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h ^ (h >> 29);
}

static struct map_slot *map_find(struct map *m, const char *key, size_t len)
{
    if (!m->slots)
        return NULL;
    for (size_t i = hash_bytes(key, len) & m->mask;; i = (i + 1) & m->mask) {
        struct map_slot *s = &m->slots[i];
        if (!s->key)
            return NULL;
        if (s->len == len && memcmp(s->key, key, len) == 0)
            return s;
    }
}

/* Inserts key (which must not be present).  False when out of memory. */
static bool map_insert(struct map *m, const char *key, size_t len, size_t value)
{
    if ((m->used + 1) * 4 >= (m->mask + 1) * 3 || !m->slots) {
        size_t size = m->slots ? (m->mask + 1) * 2 : 1024;
        struct map_slot *slots = calloc(size, sizeof *slots);
        if (!slots)
            return false;
        for (size_t i = 0; m->slots && i <= m->mask; i++) {
            struct map_slot *s = &m->slots[i];
            if (!s->key)
                continue;
            size_t j = hash_bytes(s->key, s->len) & (size - 1);
            while (slots[j].key)
                j = (j + 1) & (size - 1);
            slots[j] = *s;
        }
        free(m->slots);
        m->slots = slots;
        m->mask = size - 1;
    }
    size_t i = hash_bytes(key, len) & m->mask;
    while (m->slots[i].key)
        i = (i + 1) & m->mask;
    m->slots[i] = (struct map_slot){key, len, value};
    m->used++;
    return true;
}

/* ==== Run state ========================================================= */

/* One document id, as indexed before the run and/or as read in it. */
struct entry {
    char *id;
    bool indexed;              /* in the index before this run */
    uint32_t docid;            /* its Xapian id when indexed */
    uint64_t hash;             /* indexed content hash */
    const char *indexed_path;  /* interned absolute path, or NULL */
    unsigned indexed_line;
    bool seen;                 /* read in this run */
    const char *seen_path;     /* interned display path */
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

/* What walk() passes down: the tenant the directories above say. */
struct dir_tenant {
    const char *tenant; /* interned, or NULL */
    bool bad;
};

struct source {
    char *abs;
    bool is_dir;
    bool repeated; /* the same directory or file as an earlier source */
};

/* A document on its way from reading to the index: analysed and built by
 * a worker (the costly part), stored by the one thread that owns the
 * Xapian writer. */
struct job {
    struct vb_document *doc;
    size_t entry;
    enum vb_lang lang;
    uint64_t hash;
    const char *display; /* the file, for messages */
    struct vb_xapian_doc *built;
    enum vb_status status;
    struct vb_error problem;
};

struct pipeline {
    pthread_mutex_t lock;
    pthread_cond_t work_ready, done_ready;
    struct job *todo[PIPELINE_DEPTH];
    size_t todo_head, todo_count;
    struct job *done[PIPELINE_DEPTH];
    size_t done_count;
    size_t in_flight; /* submitted, not yet collected */
    bool closing;
    pthread_t threads[WORKERS_MAX];
    int thread_count;
    const struct vb_analysis_data *analysis;
    enum vb_status start_status; /* a worker that could not start */
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

    char **paths; /* interned strings */
    size_t path_count, path_cap;
    struct map path_by_text;

    struct vb_analysis_data *analysis;
    struct vb_analyzer *analyzer; /* when there are no workers */
    struct pipeline *pipeline;    /* NULL on a single core */
    struct vb_xapian_writer *writer;
    struct vb_xapian_reader *reader; /* the writer's view, or a reader */
    struct file *current;            /* the file being read */
    char *erased_list;               /* VB_SCHEMA_METADATA_ERASED */
    /* The index directory was missing or empty before this run: a run
     * that fails removes what it wrote there. */
    bool fresh_index, made_index_dir;
    struct map erased; /* customer (in erased_list) -> erasure day YYYYMMDD */
    uint64_t read;                   /* documents read so far */
    struct timespec started;
};

static double elapsed(const struct run *r)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - r->started.tv_sec) +
           (double)(now.tv_nsec - r->started.tv_nsec) / 1e9;
}

static enum vb_status out_of_memory(struct run *r)
{
    if (r->status == VB_OK)
        r->status = vb_error_set(r->err, VB_ENOMEM, "out of memory");
    return r->status;
}

static bool grow(void **items, size_t *cap, size_t count, size_t item_size)
{
    if (count < *cap)
        return true;
    size_t n = *cap ? *cap * 2 : 64;
    void *p = realloc(*items, n * item_size);
    if (!p)
        return false;
    *items = p;
    *cap = n;
    return true;
}

static const char *intern(struct run *r, const char *text, size_t len)
{
    struct map_slot *s = map_find(&r->path_by_text, text, len);
    if (s)
        return r->paths[s->value];
    if (!grow((void **)&r->paths, &r->path_cap, r->path_count, sizeof *r->paths))
        return NULL;
    char *copy = strndup(text, len);
    if (!copy)
        return NULL;
    if (!map_insert(&r->path_by_text, copy, len, r->path_count)) {
        free(copy);
        return NULL;
    }
    r->paths[r->path_count++] = copy;
    return copy;
}

static struct entry *entry_get(struct run *r, const char *id, size_t len,
                               bool create)
{
    struct map_slot *s = map_find(&r->entry_by_id, id, len);
    if (s)
        return &r->entries[s->value];
    if (!create)
        return NULL;
    if (!grow((void **)&r->entries, &r->entry_cap, r->entry_count,
              sizeof *r->entries))
        return NULL;
    struct entry *e = &r->entries[r->entry_count];
    *e = (struct entry){0};
    e->id = strndup(id, len);
    if (!e->id || !map_insert(&r->entry_by_id, e->id, len, r->entry_count)) {
        free(e->id);
        return NULL;
    }
    r->entry_count++;
    return e;
}

static void report(struct run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void report(struct run *r, const char *fmt, ...)
{
    if (!r->opt->report)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    r->opt->report(r->opt->ctx, line);
}

/* Is `path` (absolute) a file source or under a directory source? */
static bool covered(const struct run *r, const char *path)
{
    for (size_t i = 0; i < r->source_count; i++) {
        const struct source *s = &r->sources[i];
        size_t n = strlen(s->abs);
        if (strncmp(path, s->abs, n) != 0)
            continue;
        if (path[n] == '\0' ||
            (s->is_dir && (path[n] == '/' || (n == 1 && s->abs[0] == '/'))))
            return true;
    }
    return false;
}

/* ==== What the index holds before the run ============================== */

static int load_sync_record(void *ctx, const struct vb_schema_sync_record *rec)
{
    struct run *r = ctx;
    struct entry *e = entry_get(r, rec->id, rec->id_len, true);
    const char *path = e ? intern(r, rec->source_path, rec->source_path_len)
                         : NULL;
    if (!path) {
        out_of_memory(r);
        return 1;
    }
    e->indexed = true;
    e->docid = rec->docid;
    e->hash = rec->hash;
    e->indexed_path = path;
    e->indexed_line = rec->source_line;
    return 0;
}

/* For --full: every id, whatever its schema version wrote besides. */
static int load_id_term(void *ctx, const char *term, size_t len, uint32_t freq)
{
    (void)freq;
    struct run *r = ctx;
    size_t plen = strlen(VB_SCHEMA_PREFIX_ID);
    struct entry *e = entry_get(r, term + plen, len - plen, true);
    if (!e) {
        out_of_memory(r);
        return 1;
    }
    e->indexed = true;
    e->docid = VB_SCHEMA_DOCID_UNKNOWN;
    return 0;
}

/* ==== Erased customers ================================================= */

/* "2026-12-05..." as 20261205; 0 when it does not start with a date. */
static size_t day_number(const char *date)
{
    if (strlen(date) < 10 || date[4] != '-' || date[7] != '-')
        return 0;
    size_t day = 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7) {
            if (date[i] < '0' || date[i] > '9')
                return 0;
            day = day * 10 + (size_t)(date[i] - '0');
        }
    return day;
}

/* Reads the erased customers of the index into r->erased. */
static enum vb_status load_erased(struct run *r)
{
    size_t len = 0;
    enum vb_status st = vb_xapian_get_metadata(
        r->reader, VB_SCHEMA_METADATA_ERASED,
        strlen(VB_SCHEMA_METADATA_ERASED), &r->erased_list, &len, r->err);
    for (char *line = r->erased_list; st == VB_OK && line && *line;) {
        char *end = strchr(line, '\n');
        char *space = memchr(line, ' ', end ? (size_t)(end - line) : strlen(line));
        if (space && !map_find(&r->erased, line, (size_t)(space - line)) &&
            !map_insert(&r->erased, line, (size_t)(space - line),
                        day_number(space + 1)))
            st = out_of_memory(r);
        line = end ? end + 1 : line + strlen(line);
    }
    return st;
}

/* Whether `doc` is an event of an erased customer dated up to the day of
 * the erasure. */
static bool erased_event(struct run *r, const struct vb_document *doc)
{
    if (r->erased.used == 0 || !doc->customer[0])
        return false;
    struct map_slot *slot =
        map_find(&r->erased, doc->customer, strlen(doc->customer));
    if (!slot && doc->tenant[0]) {
        char key[VB_DOC_TENANT_MAX + VB_DOC_CUSTOMER_MAX + 2];
        int n = snprintf(key, sizeof key, "%s/%s", doc->tenant, doc->customer);
        slot = map_find(&r->erased, key, (size_t)n);
    }
    if (!slot)
        return false;
    size_t day = day_number(doc->date);
    return day == 0 || day <= slot->value;
}

static enum vb_status load_index(struct run *r)
{
    enum vb_status st = load_erased(r);
    if (st != VB_OK)
        return st;
    if (r->opt->full && vb_schema_check(r->reader, NULL) != VB_OK) {
        /* Another layout: its sync records may not read, its ids do. */
        st = vb_xapian_for_each_term(r->reader, VB_SCHEMA_PREFIX_ID,
                                     strlen(VB_SCHEMA_PREFIX_ID), load_id_term,
                                     r, r->err);
    } else {
        /* With the sync records, --full too knows each document's file,
         * and keeps the documents of a file that has a problem in this
         * run (it vanished after the walk, a line went bad), as an
         * incremental run does. */
        st = vb_schema_check(r->reader, r->err);
        if (st == VB_OK)
            st = vb_schema_for_each_sync_record(r->reader, load_sync_record, r,
                                                r->err);
    }
    return st != VB_OK ? st : r->status;
}

/* ==== Walking the sources ============================================== */

bool vb_indexer_wanted_name(const char *name)
{
    if (name[0] == '.' || strcasecmp(name, "README.md") == 0)
        return false;
    const char *dot = strrchr(name, '.');
    return dot && (strcasecmp(dot, ".md") == 0 || strcasecmp(dot, ".jsonl") == 0);
}

static char *join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    bool slash = a > 0 && dir[a - 1] == '/';
    char *p = malloc(a + b + 2);
    if (p)
        snprintf(p, a + b + 2, "%s%s%s", dir, slash ? "" : "/", name);
    return p;
}

static enum vb_status add_file(struct run *r, const char *display,
                               const char *abs, struct dir_tenant t)
{
    if (map_find(&r->file_by_abs, abs, strlen(abs)))
        return VB_OK; /* named twice (a file inside a source directory) */
    if (!grow((void **)&r->files, &r->file_cap, r->file_count, sizeof *r->files))
        return out_of_memory(r);
    struct file *f = &r->files[r->file_count];
    f->display = strdup(display);
    f->abs = strdup(abs);
    f->problem = false;
    f->tenant = t.tenant;
    f->tenant_bad = t.bad;
    if (!f->display || !f->abs ||
        !map_insert(&r->file_by_abs, f->abs, strlen(f->abs), r->file_count)) {
        free(f->display);
        free(f->abs);
        return out_of_memory(r);
    }
    r->file_count++;
    return VB_OK;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* True the first time a directory or file (by device and inode) is seen
 * in this run: symbolic links may lead to one place twice, or in a loop. */
static bool first_visit(struct run *r, const struct stat *sb)
{
    char key[48];
    int n = snprintf(key, sizeof key, "%llu:%llu",
                     (unsigned long long)sb->st_dev,
                     (unsigned long long)sb->st_ino);
    if (map_find(&r->visited, key, (size_t)n))
        return false;
    const char *copy = intern(r, key, (size_t)n);
    if (!copy || !map_insert(&r->visited, copy, (size_t)n, 0))
        out_of_memory(r);
    return true;
}

/* Whether the real path of `abs` (a symbolic link) lies under `root`
 * (the source directory given, itself a real path). */
static bool inside(const char *abs, const char *root)
{
    char *real = realpath(abs, NULL);
    size_t n = strlen(root);
    bool in = real && strncmp(real, root, n) == 0 &&
              (real[n] == '/' || real[n] == '\0');
    free(real);
    return in;
}

/* Walks directory `abs` of source directory `root`.  Symbolic links are
 * followed only when they lead to a place under `root`: a corpus is what
 * its editors put in it, not /etc/passwd through a link. */
/* The directory's .tenant (VB_INDEXER_TENANT_FILE), when it has one: the
 * tenant of every file under it that does not name its own. */
static struct dir_tenant dir_tenant(struct run *r, const char *display,
                                    const char *abs, struct dir_tenant above)
{
    char *path = join(abs, VB_INDEXER_TENANT_FILE);
    FILE *f = path ? fopen(path, "r") : NULL;
    free(path);
    if (!f)
        return above;
    char line[VB_DOC_TENANT_MAX + 8] = "";
    bool got = fgets(line, sizeof line, f) != NULL;
    int more = fgetc(f);
    fclose(f);
    size_t n = strcspn(line, "\r\n");
    while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
    line[n] = '\0';
    bool rest_blank = more == EOF || more == '\n' || more == '\r';
    if (!got || !rest_blank || !vb_document_tenant_ok(line, n)) {
        report(r,
               "%s/%s:1: a tenant name (" VB_DOC_TENANT_RULE
               ") on one line; the "
               "files under %s are not read until it is",
               display, VB_INDEXER_TENANT_FILE, display);
        return (struct dir_tenant){NULL, true};
    }
    const char *t = intern(r, line, n);
    if (!t)
        out_of_memory(r);
    return (struct dir_tenant){t, false};
}

static enum vb_status walk(struct run *r, const char *display, const char *abs,
                           const char *root, int depth, struct dir_tenant t)
{
    if (depth > DIR_DEPTH_MAX) {
        report(r, "%s: directories nested deeper than %d levels are not read",
               display, DIR_DEPTH_MAX);
        return VB_OK;
    }
    t = dir_tenant(r, display, abs, t);
    DIR *dir = opendir(abs);
    if (!dir) {
        report(r, "%s: cannot read directory: %s", display, strerror(errno));
        r->sum->rejected++;
        return VB_OK;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    enum vb_status st = VB_OK;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (!grow((void **)&names, &cap, count, sizeof *names) ||
            !(names[count] = strdup(de->d_name))) {
            st = out_of_memory(r);
            break;
        }
        count++;
    }
    closedir(dir);
    if (count > 1)
        qsort(names, count, sizeof *names, compare_names);
    for (size_t i = 0; i < count && st == VB_OK; i++) {
        char *d = join(display, names[i]), *a = join(abs, names[i]);
        struct stat sb;
        if (!d || !a)
            st = out_of_memory(r);
        else if (lstat(a, &sb) != 0)
            ; /* vanished: nothing to read */
        else if (S_ISLNK(sb.st_mode) && !inside(a, root))
            report(r,
                   "%s: note: a symbolic link to a place outside %s; not "
                   "followed",
                   d, root);
        else if (stat(a, &sb) != 0)
            ; /* a dangling link */
        else if (S_ISDIR(sb.st_mode) && first_visit(r, &sb))
            st = walk(r, d, a, root, depth + 1, t);
        else if (S_ISREG(sb.st_mode) && vb_indexer_wanted_name(names[i]) &&
                 first_visit(r, &sb))
            st = add_file(r, d, a, t);
        free(d);
        free(a);
    }
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    return st;
}

static enum vb_status collect_sources(struct run *r)
{
    const struct vb_indexer_options *o = r->opt;
    r->sources = calloc(o->source_count, sizeof *r->sources);
    if (!r->sources)
        return out_of_memory(r);
    for (size_t i = 0; i < o->source_count; i++) {
        struct stat sb;
        char *abs = realpath(o->sources[i], NULL);
        if (!abs || stat(abs, &sb) != 0) {
            free(abs);
            return vb_error_set(r->err, VB_ENOTFOUND, "%s: %s", o->sources[i],
                                strerror(errno));
        }
        r->sources[r->source_count++] = (struct source){abs, S_ISDIR(sb.st_mode), false};
        if (!first_visit(r, &sb))
            r->sources[r->source_count - 1].repeated = true;
        if (!S_ISDIR(sb.st_mode) && !S_ISREG(sb.st_mode))
            return vb_error_set(r->err, VB_EINVAL,
                                "%s: not a file or directory", o->sources[i]);
    }
    for (size_t i = 0; i < r->source_count; i++) {
        if (r->sources[i].repeated)
            continue;
        /* A file named alone gets the .tenant of its own directory. */
        struct dir_tenant none = {NULL, false};
        enum vb_status st;
        if (r->sources[i].is_dir) {
            st = walk(r, o->sources[i], r->sources[i].abs, r->sources[i].abs,
                      0, none);
        } else {
            char *dir = strdup(r->sources[i].abs), *shown = strdup(o->sources[i]);
            if (!dir || !shown) {
                free(dir);
                free(shown);
                return out_of_memory(r);
            }
            char *slash = strrchr(dir, '/'), *shown_slash = strrchr(shown, '/');
            if (slash)
                *slash = '\0';
            if (shown_slash)
                *shown_slash = '\0';
            st = add_file(r, o->sources[i], r->sources[i].abs,
                          dir_tenant(r, shown_slash ? shown : ".",
                                     dir[0] ? dir : "/", none));
            free(dir);
            free(shown);
        }
        if (st != VB_OK)
            return st;
    }
    return VB_OK;
}

/* ==== Reading and storing documents ==================================== */

static void progress(struct run *r)
{
    r->read++;
    if (r->opt->progress && r->read % PROGRESS_EVERY == 0) {
        r->sum->seconds = elapsed(r);
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
    j->status = vb_schema_build(analyzer, j->doc, j->lang, j->hash, &j->built,
                                &j->problem);
}

/* Stores a built job and frees it; false on a fatal error (in r->status).
 * Only the thread that owns the writer calls it. */
static bool finish_job(struct run *r, struct job *j)
{
    struct entry *e = &r->entries[j->entry];
    enum vb_status st = j->status;
    if (st == VB_OK && !r->opt->check_only && r->status == VB_OK)
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
        report(r, "%s:%u: %s", j->display, j->doc->source_line,
               j->problem.msg);
        r->sum->rejected++;
        struct map_slot *f = map_find(&r->file_by_abs, j->doc->source_path,
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

static void *worker(void *arg)
{
    struct pipeline *p = arg;
    struct vb_analyzer *analyzer = NULL;
    enum vb_status st = vb_analyzer_new(p->analysis, &analyzer, NULL);
    pthread_mutex_lock(&p->lock);
    if (st != VB_OK)
        p->start_status = st;
    for (;;) {
        while (p->todo_count == 0 && !p->closing)
            pthread_cond_wait(&p->work_ready, &p->lock);
        if (p->todo_count == 0)
            break;
        struct job *j = p->todo[p->todo_head];
        p->todo_head = (p->todo_head + 1) % PIPELINE_DEPTH;
        p->todo_count--;
        pthread_mutex_unlock(&p->lock);
        if (analyzer)
            build_job(analyzer, j);
        else
            j->status = VB_ENOMEM;
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

/* Hands a job to the workers (or builds it here on a single core). */
static bool submit(struct run *r, struct job *j)
{
    struct pipeline *p = r->pipeline;
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
    p->todo[(p->todo_head + p->todo_count) % PIPELINE_DEPTH] = j;
    p->todo_count++;
    p->in_flight++;
    pthread_cond_signal(&p->work_ready);
    pthread_mutex_unlock(&p->lock);
    return ok;
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

static enum vb_status pipeline_start(struct run *r)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int workers = cores > WORKERS_MAX ? WORKERS_MAX : (int)cores - 1;
    if (workers < 1)
        return vb_analyzer_new(r->analysis, &r->analyzer, r->err);
    struct pipeline *p = calloc(1, sizeof *p);
    if (!p)
        return out_of_memory(r);
    p->analysis = r->analysis;
    if (pthread_mutex_init(&p->lock, NULL) != 0) {
        free(p);
        return out_of_memory(r);
    }
    pthread_cond_init(&p->work_ready, NULL);
    pthread_cond_init(&p->done_ready, NULL);
    r->pipeline = p;
    for (int i = 0; i < workers; i++) {
        if (pthread_create(&p->threads[i], NULL, worker, p) != 0)
            break;
        p->thread_count++;
    }
    if (p->thread_count == 0)
        return vb_error_set(r->err, VB_ENOMEM, "cannot start a thread");
    return VB_OK;
}

static void pipeline_stop(struct run *r)
{
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

/* Stores one valid document (through the pipeline); false on a fatal
 * error.  Takes ownership of doc. */
static bool store(struct run *r, struct vb_document *doc, struct entry *e,
                  enum vb_lang lang, uint64_t hash)
{
    if (e->indexed && !r->opt->full && e->hash == hash &&
        e->indexed_path && strcmp(e->indexed_path, doc->source_path) == 0 &&
        e->indexed_line == doc->source_line) {
        r->sum->unchanged++;
        vb_document_free(doc);
        return true;
    }
    struct job *j = calloc(1, sizeof *j);
    if (!j) {
        vb_document_free(doc);
        out_of_memory(r);
        return false;
    }
    j->doc = doc;
    j->entry = (size_t)(e - r->entries);
    j->lang = lang;
    j->hash = hash;
    j->display = r->current->display;
    return submit(r, j);
}

/* Gives `doc` the tenant `tenant` when it names none: VB_OK, VB_EDENIED
 * when it names another, VB_ENOMEM.  A directory's .tenant and a writer
 * working for one client both decide this way. */
static enum vb_status adopt_tenant(struct vb_document *doc, const char *tenant)
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
static enum vb_lang document_lang(const struct vb_document *doc,
                                  bool *detected, bool *failed)
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
    progress(r);
    if (!doc) {
        for (size_t i = 0; i < problem_count; i++)
            report(r, "%s", problems[i].msg);
        reject(r);
        return 0;
    }
    int stop = 0;
    /* Its directory says whose it is, unless it says so itself; a
     * directory whose .tenant is wrong has nothing read (indexing its
     * documents as shared would show them to every client). */
    const struct file *file = r->current;
    if (file->tenant_bad) {
        report(r, "%s:%u: not indexed: the .tenant above it is not valid",
               file->display, doc->source_line);
        reject(r);
        goto out;
    }
    enum vb_status adopted = file->tenant ? adopt_tenant(doc, file->tenant)
                                          : VB_OK;
    if (adopted == VB_EDENIED) {
        report(r,
               "%s:%u: 'tenant' %s differs from %s, which its directory's "
               ".tenant says; remove one",
               file->display, doc->source_line, doc->tenant, file->tenant);
        reject(r);
        goto out;
    }
    if (adopted == VB_ENOMEM) {
        out_of_memory(r);
        stop = 1;
        goto out;
    }
    size_t id_len = strlen(doc->id);
    struct entry *e = entry_get(r, doc->id, id_len, true);
    if (!e) {
        out_of_memory(r);
        stop = 1;
        goto out;
    }
    if (e->seen) {
        report(r, "%s:%u: duplicate id %s: also at %s:%u (kept there)",
               r->current->display, doc->source_line, doc->id, e->seen_path,
               e->seen_line);
        reject(r);
        goto out;
    }
    if (erased_event(r, doc)) {
        report(r,
               "%s:%u: note: customer %s was erased; event %s not indexed "
               "(remove it from the source)",
               r->current->display, doc->source_line, doc->customer, doc->id);
        r->sum->erased++;
        goto out;
    }
    e->seen = true;
    e->seen_path = r->current->display;
    e->seen_line = doc->source_line;
    if (e->indexed && !r->opt->full && e->indexed_path &&
        !covered(r, e->indexed_path)) {
        report(r,
               "%s:%u: duplicate id %s: already indexed from %s:%u, which is "
               "not among this run's sources",
               r->current->display, doc->source_line, doc->id, e->indexed_path,
               e->indexed_line);
        reject(r);
        e->seen = false; /* leave the indexed one alone */
        goto out;
    }

    bool detected = false, failed = false;
    enum vb_lang lang = document_lang(doc, &detected, &failed);
    if (failed) {
        out_of_memory(r);
        stop = 1;
        goto out;
    }
    if (detected || lang == VB_LANG_UNKNOWN) {
        if (lang == VB_LANG_UNKNOWN) {
            report(r,
                   "%s:%u: no 'lang' given and no words to detect it from; "
                   "add lang: nl, fr or en",
                   r->current->display, doc->source_line);
            reject(r);
            goto out;
        }
        report(r, "%s:%u: note: no 'lang' given; detected %s",
               r->current->display, doc->source_line, vb_lang_code(lang));
        r->sum->detected++;
    }

    uint64_t hash = vb_document_content_hash(doc);
    /* Sync records hold absolute paths, so that `corpus` and `./corpus`
     * are the same place. */
    char *abs = strdup(r->current->abs);
    if (!abs) {
        out_of_memory(r);
        stop = 1;
        goto out;
    }
    free(doc->source_path);
    doc->source_path = abs;
    return store(r, doc, e, lang, hash) ? 0 : 1;
out:
    vb_document_free(doc);
    return stop;
}

static enum vb_status read_files(struct run *r)
{
    for (size_t i = 0; i < r->file_count && r->status == VB_OK; i++) {
        struct vb_error problem;
        r->current = &r->files[i];
        enum vb_status st = vb_document_read_file(r->current->display,
                                                  on_document, r, &problem);
        if (st == VB_ENOMEM)
            return vb_error_set(r->err, st, "%s", problem.msg);
        if (st != VB_OK) {
            report(r, "%s", problem.msg);
            reject(r);
        }
    }
    drain(r);
    return r->status;
}

/* ==== Removing what is gone ============================================= */

static bool keep_unseen(struct run *r, const struct entry *e)
{
    /* Written over HTTP (source "api"): no directory sync removes it. */
    if (e->indexed_path && e->indexed_path[0] != '/')
        return true;
    if (!e->indexed_path || !covered(r, e->indexed_path))
        return !r->opt->full; /* from somewhere this run did not look;
                                 --full removes what it did not read */
    struct map_slot *s =
        map_find(&r->file_by_abs, e->indexed_path, strlen(e->indexed_path));
    /* Its file is still there but had a problem: the indexed version
     * stays until the file reads cleanly. */
    return s && r->files[s->value].problem;
}

static enum vb_status remove_unseen(struct run *r)
{
    for (size_t i = 0; i < r->entry_count; i++) {
        struct entry *e = &r->entries[i];
        if (!e->indexed || e->seen || keep_unseen(r, e))
            continue;
        r->sum->removed++;
        if (r->opt->changed) {
            char place[PATH_MAX + 16];
            snprintf(place, sizeof place, "%s:%u",
                     e->indexed_path ? e->indexed_path : "?", e->indexed_line);
            r->opt->changed(r->opt->ctx, "removed", e->id, place);
        }
        if (r->opt->check_only)
            continue;
        enum vb_status st =
            vb_schema_delete(r->writer, e->id, e->docid, NULL, r->err);
        if (st != VB_OK)
            return st;
    }
    return VB_OK;
}

/* ==== The run =========================================================== */

static void run_cleanup(struct run *r)
{
    pipeline_stop(r);
    vb_xapian_writer_close(r->writer); /* discards anything uncommitted */
    if (!r->writer)
        vb_xapian_reader_close(r->reader);
    vb_analyzer_free(r->analyzer);
    vb_analysis_data_free(r->analysis);
    for (size_t i = 0; i < r->source_count; i++)
        free(r->sources[i].abs);
    free(r->sources);
    for (size_t i = 0; i < r->file_count; i++) {
        free(r->files[i].display);
        free(r->files[i].abs);
    }
    free(r->files);
    free(r->file_by_abs.slots);
    free(r->visited.slots);
    for (size_t i = 0; i < r->entry_count; i++)
        free(r->entries[i].id);
    free(r->entries);
    free(r->entry_by_id.slots);
    free(r->erased.slots);
    free(r->erased_list);
    for (size_t i = 0; i < r->path_count; i++)
        free(r->paths[i]);
    free(r->paths);
    free(r->path_by_text.slots);
}

/* Creates the directories above the index directory (mkdir -p), so that
 * the default ./data/index works on a fresh checkout. */
static enum vb_status make_parents(struct run *r, const char *dir)
{
    char *path = strdup(dir);
    if (!path)
        return out_of_memory(r);
    enum vb_status st = VB_OK;
    for (char *p = path + 1; *p && st == VB_OK; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            st = vb_error_set(r->err, VB_EIO, "cannot create %s: %s", path,
                              strerror(errno));
        *p = '/';
    }
    free(path);
    return st;
}

/* Whether `dir` is missing (*missing) or holds nothing. */
static bool dir_empty(const char *dir, bool *missing)
{
    DIR *d = opendir(dir);
    *missing = !d && errno == ENOENT;
    if (!d)
        return *missing;
    struct dirent *de;
    bool empty = true;
    while (empty && (de = readdir(d)) != NULL)
        empty = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0;
    closedir(d);
    return empty;
}

/* After a failed run on a fresh index: removes the files it left (a full
 * disk must not keep half an index that a daemon would take for an
 * empty one), and the directory when the run made it. */
static void remove_fresh_index(struct run *r)
{
    const char *dir = r->opt->index_dir;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *path = join(dir, de->d_name);
        if (path)
            unlink(path);
        free(path);
    }
    closedir(d);
    if (r->made_index_dir)
        rmdir(dir);
}

/* Opens the writer (creating the index with `create`), waiting up to
 * `wait_ms` while another process holds the lock: a daemon's write over
 * HTTP holds it for milliseconds, another indexer run for longer. */
static enum vb_status open_writer_waiting(const char *dir, bool create,
                                          unsigned wait_ms,
                                          struct vb_xapian_writer **out,
                                          struct vb_error *err)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        enum vb_status st = vb_xapian_writer_open(dir, create, out, err);
        if (st != VB_EIO || !strstr(err->msg, "another process"))
            return st;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long long ms = (now.tv_sec - start.tv_sec) * 1000LL +
                       (now.tv_nsec - start.tv_nsec) / 1000000;
        if (ms >= (long long)wait_ms)
            return vb_error_set(err, VB_EBUSY,
                                "index %s is being written by another "
                                "process; try again later",
                                dir);
        struct timespec pause = {0, 20 * 1000000};
        nanosleep(&pause, NULL);
    }
}

static enum vb_status open_index(struct run *r)
{
    const char *dir = r->opt->index_dir;
    if (!r->opt->check_only) {
        r->fresh_index = dir_empty(dir, &r->made_index_dir);
        enum vb_status made = make_parents(r, dir);
        if (made != VB_OK)
            return made;
        /* Another writer: fail at once (Contract 2), the operator
         * decides when to run again. */
        enum vb_status st = open_writer_waiting(dir, true, 0, &r->writer,
                                                r->err);
        if (st == VB_OK)
            r->reader = vb_xapian_writer_reader(r->writer);
        return st;
    }
    /* --check compares with the index when there is one, and writes
     * nothing. */
    enum vb_status st = vb_xapian_reader_open(dir, &r->reader, r->err);
    return st == VB_ENOTFOUND ? VB_OK : st;
}

enum vb_status vb_indexer_run(const struct vb_indexer_options *options,
                              struct vb_indexer_summary *summary,
                              struct vb_error *err)
{
    struct run r = {.opt = options, .sum = summary, .err = err,
                    .status = VB_OK};
    *summary = (struct vb_indexer_summary){0};
    clock_gettime(CLOCK_MONOTONIC, &r.started);
    if (!options->index_dir || options->source_count == 0)
        return vb_error_set(err, VB_EINVAL, "no index directory or no source");

    enum vb_status st = collect_sources(&r);
    if (st == VB_OK)
        st = vb_analysis_data_new(&r.analysis, err);
    if (st == VB_OK)
        st = pipeline_start(&r);
    if (st == VB_OK)
        st = open_index(&r);
    if (st == VB_OK && r.reader)
        st = load_index(&r);
    if (st == VB_OK)
        st = read_files(&r);
    if (st == VB_OK)
        st = remove_unseen(&r);
    bool changed = summary->added || summary->updated || summary->removed;
    if (st == VB_OK && r.writer && changed) {
        st = vb_schema_init(r.writer, err);
        if (st == VB_OK)
            st = vb_xapian_commit(r.writer, err);
    }
    if (st != VB_OK && r.status == VB_OK)
        r.status = st;
    summary->seconds = elapsed(&r);
    bool remove = r.status != VB_OK && r.writer && r.fresh_index;
    run_cleanup(&r); /* closes the writer */
    if (remove)
        remove_fresh_index(&r);
    return r.status;
}

/* ==== Erasure =========================================================== */

/* Deletes every document carrying `term` (and `also`, when not NULL), a
 * page at a time (each search sees the writer's state, without the pages
 * deleted before). */
static enum vb_status delete_all(struct vb_xapian_writer *writer,
                                 const char *term, size_t len,
                                 const char *also, size_t also_len,
                                 uint64_t *deleted, struct vb_error *err)
{
    struct vb_xapian_reader *view = vb_xapian_writer_reader(writer);
    struct vb_xapian_query *query = vb_xapian_query_term(term, len, 1, 1);
    if (query && also) { /* and `also` too */
        struct vb_xapian_query *both[2] = {
            query, vb_xapian_query_term(also, also_len, 1, 1)};
        query = both[1] ? vb_xapian_query_and(both, 2) : NULL;
        vb_xapian_query_free(both[0]);
        vb_xapian_query_free(both[1]);
    }
    if (!query)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    struct vb_xapian_search_options options;
    vb_xapian_search_options_init(&options);
    options.limit = 10000;
    options.without_data = true;
    enum vb_status st = VB_OK;
    for (;;) {
        struct vb_xapian_hits *hits = NULL;
        st = vb_xapian_search(view, query, &options, &hits, err);
        size_t n = st == VB_OK ? vb_xapian_hits_count(hits) : 0;
        for (size_t i = 0; st == VB_OK && i < n; i++)
            st = vb_xapian_delete_docid(writer, vb_xapian_hit_docid(hits, i),
                                        err);
        vb_xapian_hits_free(hits);
        if (st != VB_OK || n == 0)
            break;
        *deleted += n;
    }
    vb_xapian_query_free(query);
    return st;
}

/* The erasure list with `customer` on `day` (YYYY-MM-DD), replacing an
 * earlier line of the same customer: a malloc'd string. */
static char *erased_list_with(const char *list, size_t len,
                              const char *customer, const char *day)
{
    size_t clen = strlen(customer);
    char *out = malloc(len + clen + 16);
    if (!out)
        return NULL;
    size_t used = 0;
    for (const char *line = list; line && line < list + len;) {
        const char *end = memchr(line, '\n', (size_t)(list + len - line));
        size_t n = end ? (size_t)(end - line) + 1 : (size_t)(list + len - line);
        if (!(n > clen && memcmp(line, customer, clen) == 0 &&
              line[clen] == ' ')) {
            memcpy(out + used, line, n);
            used += n;
            if (out[used - 1] != '\n')
                out[used++] = '\n';
        }
        line += n;
    }
    used += (size_t)sprintf(out + used, "%s %s\n", customer, day);
    out[used] = '\0';
    return out;
}

enum vb_status vb_indexer_erase_customer(const char *index_dir,
                                         const char *customer,
                                         const char *tenant, uint64_t *erased,
                                         struct vb_error *err)
{
    *erased = 0;
    size_t clen = strlen(customer);
    if (!vb_document_customer_ok(customer, clen))
        return vb_error_set(err, VB_EINVAL,
                            "not a customer id (" VB_DOC_CUSTOMER_RULE ")");
    struct vb_xapian_writer *writer = NULL;
    char *list = NULL, *updated = NULL;
    size_t list_len = 0;
    enum vb_status st = vb_xapian_writer_open(index_dir, false, &writer, err);
    if (st == VB_OK)
        st = vb_schema_check(vb_xapian_writer_reader(writer), err);
    if (st == VB_OK && tenant && !vb_document_tenant_ok(tenant, strlen(tenant)))
        st = vb_error_set(err, VB_EINVAL, "not a tenant name");
    if (st == VB_OK) {
        char term[VB_SCHEMA_TERM_BUF], own[VB_SCHEMA_TERM_BUF];
        size_t n = vb_schema_term(VB_SCHEMA_PREFIX_CUSTOMER, customer, clen,
                                  term, sizeof term);
        size_t own_len = tenant ? vb_schema_tenant_term(tenant, own, sizeof own)
                                : 0;
        st = delete_all(writer, term, n, tenant ? own : NULL, own_len, erased,
                        err);
    }
    if (st == VB_OK)
        st = vb_xapian_get_metadata(vb_xapian_writer_reader(writer),
                                    VB_SCHEMA_METADATA_ERASED,
                                    strlen(VB_SCHEMA_METADATA_ERASED), &list,
                                    &list_len, err);
    if (st == VB_OK) {
        char day[16];
        time_t now = time(NULL);
        struct tm utc;
        gmtime_r(&now, &utc);
        strftime(day, sizeof day, "%Y-%m-%d", &utc);
        /* One client's customer: "tenant/customer" (no customer id has a
         * '/'). */
        char key[VB_DOC_TENANT_MAX + VB_DOC_CUSTOMER_MAX + 2];
        snprintf(key, sizeof key, "%s%s%s", tenant ? tenant : "",
                 tenant ? "/" : "", customer);
        updated = erased_list_with(list, list_len, key, day);
        st = updated ? vb_xapian_set_metadata(
                           writer, VB_SCHEMA_METADATA_ERASED,
                           strlen(VB_SCHEMA_METADATA_ERASED), updated,
                           strlen(updated), err)
                     : vb_error_set(err, VB_ENOMEM, "out of memory");
    }
    if (st == VB_OK)
        st = vb_xapian_commit(writer, err);
    if (st != VB_OK)
        *erased = 0;
    free(list);
    free(updated);
    vb_xapian_writer_close(writer);
    return st;
}

/* ==== Writes over HTTP ===================================================== */

/* The ETag of the document `id` the writer sees, "" when there is none. */
/* The ETag ("" when there is no such document) and tenant of the stored
 * document `id`. */
static enum vb_status current_etag(struct vb_xapian_writer *writer,
                                   const char *id, char etag[17],
                                   char tenant[VB_DOC_TENANT_MAX + 1],
                                   struct vb_error *err)
{
    etag[0] = '\0';
    tenant[0] = '\0';
    char term[VB_SCHEMA_TERM_BUF];
    size_t n = vb_schema_id_term(id, term, sizeof term);
    char *data = NULL;
    size_t len = 0;
    enum vb_status st = vb_xapian_get_document(vb_xapian_writer_reader(writer),
                                               term, n, NULL, &data, &len, err);
    if (st == VB_ENOTFOUND)
        return VB_OK;
    struct vb_document *doc = NULL;
    if (st == VB_OK)
        st = vb_schema_decode(data, len, &doc, err);
    free(data);
    if (st == VB_OK) {
        vb_document_etag(doc, etag);
        snprintf(tenant, VB_DOC_TENANT_MAX + 1, "%s", doc->tenant);
    }
    vb_document_free(doc);
    return st;
}

/* Whether an op for op->tenant may write: the document it stores is that
 * tenant's (one without a tenant becomes it), and so is the one it
 * replaces or deletes. */
static enum vb_status tenant_may_write(struct vb_indexer_op *op,
                                       const char *id, const char *stored)
{
    if (!op->tenant)
        return VB_OK;
    if (op->existed && strcmp(stored, op->tenant) != 0)
        return vb_error_set(&op->problem, VB_EDENIED,
                            "%s is not a document of tenant %s (ids are "
                            "unique across the deployment)",
                            id, op->tenant);
    switch (op->doc ? adopt_tenant(op->doc, op->tenant) : VB_OK) {
    case VB_EDENIED:
        return vb_error_set(&op->problem, VB_EDENIED,
                            "%s names tenant %s; this writer works for %s", id,
                            op->doc->tenant, op->tenant);
    case VB_ENOMEM:
        return vb_error_set(&op->problem, VB_ENOMEM, "out of memory");
    default:
        return VB_OK;
    }
}

enum vb_status vb_indexer_write(const char *index_dir, const char *source,
                                struct vb_indexer_op *ops, size_t count,
                                unsigned wait_ms, struct vb_error *err)
{
    struct vb_xapian_writer *writer = NULL;
    struct vb_analysis_data *analysis = NULL;
    struct vb_analyzer *analyzer = NULL;
    bool changed = false;
    enum vb_status st =
        open_writer_waiting(index_dir, false, wait_ms, &writer, err);
    if (st == VB_OK)
        st = vb_schema_check(vb_xapian_writer_reader(writer), err);
    if (st == VB_OK)
        st = vb_analysis_data_new(&analysis, err);
    if (st == VB_OK)
        st = vb_analyzer_new(analysis, &analyzer, err);
    for (size_t i = 0; st == VB_OK && i < count; i++) {
        struct vb_indexer_op *op = &ops[i];
        const char *id = op->doc ? op->doc->id : op->id;
        char stored[VB_DOC_TENANT_MAX + 1];
        op->status = current_etag(writer, id, op->etag, stored, &op->problem);
        op->existed = op->etag[0] != '\0';
        if (op->status == VB_OK)
            op->status = tenant_may_write(op, id, stored);
        if (op->status == VB_OK && op->if_match &&
            strcmp(op->if_match, op->etag) != 0) {
            op->status = vb_error_set(&op->problem, VB_ECONFLICT,
                                      "%s has changed since it was read (its "
                                      "ETag is \"%s\", not \"%s\")",
                                      id, op->etag[0] ? op->etag : "-",
                                      op->if_match);
            continue;
        }
        if (op->status != VB_OK)
            continue;
        if (!op->doc) {
            op->status = vb_schema_delete(writer, id,
                                          VB_SCHEMA_DOCID_UNKNOWN, NULL,
                                          &op->problem);
            changed |= op->status == VB_OK && op->existed;
            op->etag[0] = '\0';
            continue;
        }
        bool detected, failed;
        enum vb_lang lang = document_lang(op->doc, &detected, &failed);
        if (failed) {
            op->status = vb_error_set(&op->problem, VB_ENOMEM, "out of memory");
            continue;
        }
        if (lang == VB_LANG_UNKNOWN) {
            op->status = vb_error_set(&op->problem, VB_EINVAL,
                                      "%s: no 'lang' given and no words to "
                                      "detect it from; add lang: nl, fr or en",
                                      id);
            continue;
        }
        free(op->doc->source_path);
        op->doc->source_path = strdup(source);
        op->doc->source_line = 0;
        struct vb_xapian_doc *built = NULL;
        op->status = op->doc->source_path
                         ? vb_schema_build(analyzer, op->doc, lang,
                                           vb_document_content_hash(op->doc),
                                           &built, &op->problem)
                         : vb_error_set(&op->problem, VB_ENOMEM,
                                        "out of memory");
        if (op->status == VB_OK)
            op->status = vb_schema_put(writer, id, VB_SCHEMA_DOCID_UNKNOWN,
                                       built, &op->problem);
        vb_xapian_doc_free(built);
        if (op->status == VB_OK) {
            changed = true;
            /* The ETag as GET will give it: of the document as stored
             * (its language filled in when it was detected). */
            op->status =
                current_etag(writer, id, op->etag, stored, &op->problem);
        }
    }
    /* One revision for the whole request: all of it, or (on a failure to
     * store) none of it. */
    if (st == VB_OK && changed) {
        st = vb_schema_init(writer, err);
        if (st == VB_OK)
            st = vb_xapian_commit(writer, err);
    }
    vb_analyzer_free(analyzer);
    vb_analysis_data_free(analysis);
    vb_xapian_writer_close(writer);
    return st;
}
