/* The indexer (indexer/vb_indexer.h) through vb_indexer_run: directory
 * sync, rejected documents, sources, --check, --full, and hostile input.
 * Every test builds its own small corpus in a temporary directory (removed
 * afterwards) and runs the indexer on it with a report callback that
 * collects the lines the program would print. */
#define _GNU_SOURCE /* asprintf, vasprintf */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "vb_analysis.h"
#include "vb_document.h"
#include "vb_indexer.h"
#include "vb_schema.h"
#include "vb_xapian.h"

/* ==== Fixture =========================================================== */

/* base_dir is made by main() and removed after the whole suite (also what
 * a failed test leaves behind); each test gets its own tmp_dir in it. */
static char base_dir[64];
static char tmp_dir[96];
static char corpus_dir[128];
static char index_dir[128];

/* What one run did: status, summary, error and every reported line. */
struct result {
    enum vb_status status;
    struct vb_indexer_summary sum;
    struct vb_error err;
    char **lines;
    size_t line_count, line_cap;
    uint64_t progress_calls, last_read;
    size_t abort_after; /* fail the test after this many lines (0: never) */
};

static struct result last;
static const char *reference_from;

static void result_clear(struct result *r)
{
    for (size_t i = 0; i < r->line_count; i++)
        free(r->lines[i]);
    free(r->lines);
    memset(r, 0, sizeof *r);
}

static void setup(void)
{
    reference_from = NULL;
    snprintf(tmp_dir, sizeof tmp_dir, "%s/test-XXXXXX", base_dir);
    ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
    snprintf(corpus_dir, sizeof corpus_dir, "%s/corpus", tmp_dir);
    snprintf(index_dir, sizeof index_dir, "%s/index", tmp_dir);
    ck_assert_int_eq(mkdir(corpus_dir, 0755), 0);
    memset(&last, 0, sizeof last);
}

static void teardown(void)
{
    result_clear(&last);
    vb_test_remove_tree(tmp_dir);
}

/* ==== Files ============================================================== */

/* Writes `len` bytes to tmp_dir/rel, creating parent directories. */
static void write_bytes(const char *rel, const char *data, size_t len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", tmp_dir, rel);
    for (char *p = path + strlen(tmp_dir) + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        ck_assert_msg(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir %s",
                      path);
        *p = '/';
    }
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

static void write_file(const char *rel, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void write_file(const char *rel, const char *fmt, ...)
{
    char *text = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&text, fmt, ap);
    va_end(ap);
    ck_assert_int_ge(n, 0);
    write_bytes(rel, text, (size_t)n);
    free(text);
}

static void remove_file(const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", tmp_dir, rel);
    ck_assert_msg(unlink(path) == 0, "unlink %s", path);
}

static const char *in_tmp(const char *rel)
{
    static char path[4][1024];
    static int turn;
    turn = (turn + 1) % 4;
    snprintf(path[turn], sizeof path[turn], "%s/%s", tmp_dir, rel);
    return path[turn];
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* One Markdown document; the "id:" field is on line 2. */
static void write_md(const char *rel, const char *id, const char *lang,
                     const char *title, const char *body)
{
    write_file(rel, "---\nid: %s\ntype: procedure\n%s%s%stitle: %s\n---\n%s\n",
               id, lang ? "lang: " : "", lang ? lang : "", lang ? "\n" : "",
               title, body);
}

/* A JSONL line for a history event of customer C1. */
static char *event_line(int n, const char *title)
{
    char *line = NULL;
    ck_assert_int_ge(
        asprintf(&line,
                 "{\"id\": \"ev-%d\", \"type\": \"history\", \"lang\": \"nl\", "
                 "\"title\": \"%s\", \"customer\": \"C1\", \"channel\": "
                 "\"phone\", \"date\": \"2026-03-%02dT10:00:00+01:00\", "
                 "\"body\": \"Klant belde over gesprek %d.\"}",
                 n, title, n, n),
        0);
    return line;
}

/* The basic corpus: three Markdown documents and three JSONL events. */
#define BASIC_DOCS 6

static void write_events(const int *numbers, size_t n)
{
    char *text = strdup("");
    for (size_t i = 0; i < n; i++) {
        char title[64];
        snprintf(title, sizeof title, "Telefoongesprek %d", numbers[i]);
        char *line = event_line(numbers[i], title), *joined = NULL;
        ck_assert_int_ge(asprintf(&joined, "%s%s\n", text, line), 0);
        free(line);
        free(text);
        text = joined;
    }
    write_bytes("corpus/history/events.jsonl", text, strlen(text));
    free(text);
}

static void basic_corpus(void)
{
    write_md("corpus/products/prod-fiber-nl.md", "prod-fiber-nl", "nl",
             "Glasvezel 500 Mbps", "Snel internet via glasvezel.");
    write_md("corpus/products/prod-fiber-fr.md", "prod-fiber-fr", "fr",
             "Fibre optique 500 Mbps", "Internet rapide par la fibre.");
    write_md("corpus/procedures/proc-move-en.md", "proc-move-en", "en",
             "Moving house", "Ask the customer for the new address.");
    write_events((const int[]){1, 2, 3}, 3);
    /* Not a corpus file; it also keeps directories from becoming empty
     * when a test removes their documents (an empty directory has its own
     * test: test_indexer_empty_directory). */
    for (int i = 0; i < 3; i++)
        write_file((const char *[]){"corpus/products/notes.txt",
                                    "corpus/procedures/notes.txt",
                                    "corpus/history/notes.txt"}[i],
                   "not a corpus file\n");
}

/* ==== Running the indexer =============================================== */

enum { RUN_CHECK = 1, RUN_FULL = 2 };
/* In flags: this many jobs (vb_indexer_options.jobs), 0: one per core. */
#define RUN_JOBS(n) ((unsigned)(n) << 8)

static void on_report(void *ctx, const char *line)
{
    struct result *r = ctx;
    ck_assert_ptr_nonnull(line);
    if (r->line_count == r->line_cap) {
        r->line_cap = r->line_cap ? r->line_cap * 2 : 64;
        r->lines = realloc(r->lines, r->line_cap * sizeof *r->lines);
        ck_assert_ptr_nonnull(r->lines);
    }
    r->lines[r->line_count++] = strdup(line);
    if (r->abort_after && r->line_count >= r->abort_after)
        ck_abort_msg("%zu report lines and counting (the run does not end); "
                     "the last: %s",
                     r->line_count, line);
}

static void on_progress(void *ctx, const struct vb_indexer_summary *so_far,
                        uint64_t documents_read)
{
    struct result *r = ctx;
    ck_assert_uint_ge(documents_read, r->last_read);
    ck_assert_uint_le(so_far->added + so_far->updated + so_far->unchanged +
                          so_far->rejected,
                      documents_read);
    r->last_read = documents_read;
    r->progress_calls++;
}

/* vb_indexer_options.reference_from of the next runs (`reference_from`,
 * which setup clears). */
static struct result *run_on(const char *index, unsigned flags,
                             const char *const *sources, size_t n)
{
    result_clear(&last);
    struct vb_indexer_options opt = {
        .index_dir = index,
        .reference_from = reference_from,
        .sources = sources,
        .source_count = n,
        .check_only = (flags & RUN_CHECK) != 0,
        .full = (flags & RUN_FULL) != 0,
        .jobs = flags >> 8,
        .report = on_report,
        .progress = on_progress,
        .ctx = &last,
    };
    last.status = vb_indexer_run(&opt, &last.sum, &last.err);
    return &last;
}

#define SOURCES(...) (const char *const[]){__VA_ARGS__}
#define COUNT(...) (sizeof(SOURCES(__VA_ARGS__)) / sizeof(const char *))
/* run(flags, source...) on index_dir. */
#define run(flags, ...) run_on(index_dir, flags, SOURCES(__VA_ARGS__), COUNT(__VA_ARGS__))

static char *lines_text(const struct result *r)
{
    static char text[8192];
    size_t used = 0;
    text[0] = '\0';
    for (size_t i = 0; i < r->line_count && used + 2 < sizeof text; i++)
        used += (size_t)snprintf(text + used, sizeof text - used, "\n  %s",
                                 r->lines[i]);
    return text;
}

/* Evaluates `r` (a run) once and checks its status and counts. */
#define expect_counts(r, a, u, rm, un, rj)                                     \
    do {                                                                       \
        const struct result *r_ = (r);                                         \
        ck_assert_msg(r_->status == VB_OK && r_->sum.added == (uint64_t)(a) &&           \
                          r_->sum.updated == (uint64_t)(u) && r_->sum.removed == (uint64_t)(rm) && \
                          r_->sum.unchanged == (uint64_t)(un) &&                         \
                          r_->sum.rejected == (uint64_t)(rj),                            \
                      "status %d (%s); got %llu added, %llu updated, %llu "    \
                      "removed, %llu unchanged, %llu rejected; expected %d, "  \
                      "%d, %d, %d, %d; reports:%s",                            \
                      r_->status, r_->err.msg,                                 \
                      (unsigned long long)r_->sum.added,                       \
                      (unsigned long long)r_->sum.updated,                     \
                      (unsigned long long)r_->sum.removed,                     \
                      (unsigned long long)r_->sum.unchanged,                   \
                      (unsigned long long)r_->sum.rejected, (int)(a), (int)(u), \
                      (int)(rm), (int)(un), (int)(rj), lines_text(r_));         \
    } while (0)

/* The first reported line containing every one of the NULL-terminated
 * strings, or NULL. */
static const char *find_line(const struct result *r, ...)
{
    for (size_t i = 0; i < r->line_count; i++) {
        va_list ap;
        va_start(ap, r);
        bool all = true;
        for (const char *s; (s = va_arg(ap, const char *)) != NULL;)
            if (!strstr(r->lines[i], s))
                all = false;
        va_end(ap);
        if (all)
            return r->lines[i];
    }
    return NULL;
}

#define expect_line(r, ...)                                                    \
    ck_assert_msg(find_line(r, __VA_ARGS__, (const char *)NULL) != NULL,       \
                  "no report line with all of [%s]; reports:%s",               \
                  #__VA_ARGS__, lines_text(r))

/* Does `line` start with "<path>:<digits>: "? */
static bool is_path_line(const char *line, const char *path)
{
    size_t n = strlen(path);
    if (strncmp(line, path, n) != 0 || line[n] != ':')
        return false;
    const char *p = line + n + 1;
    if (*p < '0' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9')
        p++;
    return p[0] == ':' && p[1] == ' ' && p[2];
}

/* ==== Looking at the index ============================================== */

static struct vb_xapian_reader *reader_on(const char *dir)
{
    struct vb_xapian_reader *reader = NULL;
    struct vb_error err = {0};
    ck_assert_msg(vb_xapian_reader_open(dir, &reader, &err) == VB_OK, "%s",
                  err.msg);
    return reader;
}

static uint32_t doc_count(void)
{
    struct vb_xapian_reader *reader = reader_on(index_dir);
    uint32_t n = 0;
    ck_assert(vb_xapian_doc_count(reader, &n, NULL) == VB_OK);
    vb_xapian_reader_close(reader);
    return n;
}

static uint64_t revision(void)
{
    struct vb_xapian_reader *reader = reader_on(index_dir);
    uint64_t rev = 0;
    ck_assert(vb_xapian_reader_revision(reader, &rev, NULL) == VB_OK);
    vb_xapian_reader_close(reader);
    return rev;
}

static uint32_t term_freq(const char *term)
{
    struct vb_xapian_reader *reader = reader_on(index_dir);
    uint32_t n = 0;
    ck_assert(vb_xapian_term_freq(reader, term, strlen(term), &n, NULL) ==
              VB_OK);
    vb_xapian_reader_close(reader);
    return n;
}

/* The stored document `id` decoded (caller frees), or NULL when absent. */
static struct vb_document *stored(const char *id)
{
    struct vb_xapian_reader *reader = reader_on(index_dir);
    char term[256];
    size_t n = vb_schema_id_term(id, term, sizeof term);
    ck_assert_uint_gt(n, 0);
    char *data = NULL;
    size_t len = 0;
    struct vb_error err = {0};
    enum vb_status st =
        vb_xapian_get_document(reader, term, n, NULL, &data, &len, &err);
    vb_xapian_reader_close(reader);
    if (st == VB_ENOTFOUND)
        return NULL;
    ck_assert_msg(st == VB_OK, "%s", err.msg);
    struct vb_document *doc = NULL;
    st = vb_schema_decode(data, len, &doc, &err);
    free(data);
    ck_assert_msg(st == VB_OK, "%s: %s", id, err.msg);
    return doc;
}

/* Where the sync record says document `id` came from: true when found. */
struct place {
    const char *id;
    char path[1024];
    unsigned line;
    uint64_t fingerprint;
    bool found;
};

static int find_place(void *ctx, const struct vb_schema_sync_record *r)
{
    struct place *p = ctx;
    if (r->id_len != strlen(p->id) || memcmp(r->id, p->id, r->id_len) != 0)
        return 0;
    snprintf(p->path, sizeof p->path, "%.*s", (int)r->source_path_len,
             r->source_path);
    p->line = r->source_line;
    p->fingerprint = r->fingerprint;
    p->found = true;
    return 1;
}

static struct place place_of(const char *id)
{
    struct place p = {.id = id};
    struct vb_xapian_reader *reader = reader_on(index_dir);
    struct vb_error err = {0};
    ck_assert_msg(vb_schema_for_each_sync_record(reader, find_place, &p,
                                                 &err) == VB_OK,
                  "%s", err.msg);
    vb_xapian_reader_close(reader);
    ck_assert_msg(p.found, "no sync record for %s", id);
    return p;
}

#define expect_title(id, want)                                                 \
    do {                                                                       \
        struct vb_document *doc_ = stored(id);                                 \
        ck_assert_msg(doc_ != NULL, "document %s is not in the index", id);    \
        ck_assert_str_eq(doc_->title, want);                                   \
        vb_document_free(doc_);                                                \
    } while (0)

#define expect_absent(id)                                                      \
    do {                                                                       \
        struct vb_document *doc_ = stored(id);                                 \
        ck_assert_msg(doc_ == NULL, "document %s is still in the index", id);  \
        vb_document_free(doc_);                                                \
    } while (0)

/* Number of documents a search for `word` (analysed in `lang`) finds. */
static int take_first_term(void *ctx, const struct vb_token *token)
{
    snprintf(ctx, 128, "%s", token->terms[0]);
    return 1;
}

static size_t search_count(const char *word, enum vb_lang lang)
{
    struct vb_analysis_data *data = NULL;
    struct vb_analyzer *analyzer = NULL;
    ck_assert(vb_analysis_data_new(&data, NULL) == VB_OK);
    ck_assert(vb_analyzer_new(data, &analyzer, NULL) == VB_OK);
    char term[128] = "";
    ck_assert(vb_analyze_text(analyzer, word, strlen(word), lang,
                              take_first_term, term, NULL) == VB_OK);
    vb_analyzer_free(analyzer);
    vb_analysis_data_free(data);
    ck_assert_str_ne(term, "");
    struct vb_xapian_reader *reader = reader_on(index_dir);
    struct vb_xapian_query *q = vb_xapian_query_term(term, strlen(term), 1, 1);
    struct vb_xapian_hits *hits = NULL;
    struct vb_error err = {0};
    ck_assert_msg(vb_xapian_search(reader, q, NULL, &hits, &err) == VB_OK, "%s",
                  err.msg);
    size_t n = vb_xapian_hits_count(hits);
    vb_xapian_hits_free(hits);
    vb_xapian_query_free(q);
    vb_xapian_reader_close(reader);
    return n;
}

/* ==== Sync =============================================================== */

START_TEST(test_indexer_first_run_adds_all_rerun_changes_nothing)
{
    basic_corpus();
    struct result *r = run(0, corpus_dir);
    expect_counts(r, BASIC_DOCS, 0, 0, 0, 0);
    ck_assert_uint_eq(r->sum.detected, 0);
    ck_assert_uint_eq(r->line_count, 0);
    ck_assert_uint_eq(doc_count(), BASIC_DOCS);
    uint64_t rev = revision();
    expect_title("prod-fiber-nl", "Glasvezel 500 Mbps");
    expect_title("ev-2", "Telefoongesprek 2");
    ck_assert_uint_eq(term_freq("XThistory"), 3);

    for (int i = 0; i < 2; i++) {
        r = run(0, corpus_dir);
        expect_counts(r, 0, 0, 0, BASIC_DOCS, 0);
        ck_assert_uint_eq(revision(), rev); /* nothing committed */
        ck_assert_uint_eq(doc_count(), BASIC_DOCS);
    }
}
END_TEST

/* A rerun knows each unchanged record by its bytes (a fingerprint in its
 * sync record) without parsing it: a document without lang is not
 * detected again.  A record that moved to another line, or reads the same
 * from other bytes, keeps its document; only its sync record changes. */
START_TEST(test_indexer_rerun_knows_records_by_their_bytes)
{
    basic_corpus();
    write_md("corpus/procedures/no-lang.md", "no-lang", NULL,
             "Verhuizing doorgeven",
             "De klant verhuist naar een nieuw adres en neemt de aansluiting "
             "mee.");
    struct result *r = run(0, corpus_dir);
    expect_counts(r, BASIC_DOCS + 1, 0, 0, 0, 0);
    ck_assert_uint_eq(r->sum.detected, 1);
    uint64_t ev1 = place_of("ev-1").fingerprint;
    ck_assert_uint_ne(ev1, 0);
    ck_assert_uint_ne(place_of("no-lang").fingerprint, 0);
    uint64_t rev = revision();
    r = run(0, corpus_dir);
    expect_counts(r, 0, 0, 0, BASIC_DOCS + 1, 0);
    ck_assert_uint_eq(r->sum.detected, 0); /* not parsed */
    ck_assert_uint_eq(r->sum.restamped, 0);
    ck_assert_uint_eq(revision(), rev);

    /* A blank line on top: every event one line down, nothing stored
     * again; the sync records say the new lines. */
    char *e1 = event_line(1, "Telefoongesprek 1");
    char *e2 = event_line(2, "Telefoongesprek 2");
    char *e3 = event_line(3, "Telefoongesprek 3");
    write_file("corpus/history/events.jsonl", "\n%s\n%s\n%s\n", e1, e2, e3);
    r = run(0, corpus_dir);
    expect_counts(r, 0, 0, 0, BASIC_DOCS + 1, 0);
    ck_assert_uint_eq(r->sum.restamped, 3);
    ck_assert_uint_eq(revision(), rev + 1);
    ck_assert_uint_eq(place_of("ev-1").line, 2);
    ck_assert_uint_eq(place_of("ev-3").line, 4);
    ck_assert_uint_eq(place_of("ev-1").fingerprint, ev1);
    expect_title("ev-3", "Telefoongesprek 3");
    r = run(0, corpus_dir);
    ck_assert_uint_eq(r->sum.restamped, 0);
    ck_assert_uint_eq(revision(), rev + 1);

    /* ev-2 written with other spacing: the same document from other
     * bytes, parsed once and its new fingerprint kept. */
    char *spaced = NULL;
    ck_assert_int_ge(asprintf(&spaced, "{ %s", e2 + 1), 0);
    write_file("corpus/history/events.jsonl", "\n%s\n%s\n%s\n", e1, spaced, e3);
    r = run(0, corpus_dir);
    expect_counts(r, 0, 0, 0, BASIC_DOCS + 1, 0);
    ck_assert_uint_eq(r->sum.restamped, 1);
    r = run(0, corpus_dir);
    ck_assert_uint_eq(r->sum.restamped, 0);
    ck_assert_uint_eq(r->sum.detected, 0);

    /* The same bytes in a file of another tenant are another document:
     * read, and stored again with that tenant. */
    write_file("corpus/history/.tenant", "acme\n");
    r = run(0, corpus_dir);
    expect_counts(r, 0, 3, 0, BASIC_DOCS - 2, 0);
    struct vb_document *d = stored("ev-2");
    ck_assert_str_eq(d->tenant, "acme");
    vb_document_free(d);

    /* --full parses and stores everything. */
    r = run(RUN_FULL, corpus_dir);
    expect_counts(r, 0, BASIC_DOCS + 1, 0, 0, 0);
    ck_assert_uint_eq(r->sum.detected, 1);
    free(spaced);
    free(e1);
    free(e2);
    free(e3);
}
END_TEST

/* Sync records written before fingerprints (or by a program that did not
 * have the bytes) are given one by the next run, without storing the
 * documents again; the run after that knows them by their bytes. */
struct records {
    struct vb_schema_sync_record rec[16];
    char text[16][1024];
    size_t n;
};

static int copy_record(void *ctx, const struct vb_schema_sync_record *rec)
{
    struct records *rs = ctx;
    ck_assert_uint_lt(rs->n, 16);
    char *text = rs->text[rs->n];
    snprintf(text, sizeof rs->text[0], "%.*s%.*s", (int)rec->id_len, rec->id,
             (int)rec->source_path_len, rec->source_path);
    struct vb_schema_sync_record *copy = &rs->rec[rs->n++];
    *copy = *rec;
    copy->id = text;
    copy->source_path = text + rec->id_len;
    return 0;
}

START_TEST(test_indexer_records_without_fingerprint)
{
    basic_corpus();
    expect_counts(run(0, corpus_dir), BASIC_DOCS, 0, 0, 0, 0);
    struct vb_xapian_writer *writer = NULL;
    struct vb_error err = {0};
    ck_assert(vb_xapian_writer_open(index_dir, false, &writer, &err) == VB_OK);
    struct records rs = {.n = 0};
    ck_assert(vb_schema_for_each_sync_record(vb_xapian_writer_reader(writer),
                                             copy_record, &rs, &err) == VB_OK);
    ck_assert_uint_eq(rs.n, BASIC_DOCS);
    for (size_t i = 0; i < rs.n; i++) {
        rs.rec[i].fingerprint = 0;
        ck_assert_msg(vb_schema_restamp(writer, &rs.rec[i], &err) == VB_OK,
                      "%s", err.msg);
    }
    ck_assert(vb_xapian_commit(writer, &err) == VB_OK);
    vb_xapian_writer_close(writer);
    ck_assert_uint_eq(place_of("prod-fiber-fr").fingerprint, 0);
    ck_assert_uint_eq(place_of("ev-3").line, 3);

    struct result *r = run(0, corpus_dir);
    expect_counts(r, 0, 0, 0, BASIC_DOCS, 0);
    ck_assert_uint_eq(r->sum.restamped, BASIC_DOCS);
    ck_assert_uint_ne(place_of("prod-fiber-fr").fingerprint, 0);
    ck_assert_uint_eq(place_of("ev-3").line, 3);
    expect_title("prod-fiber-fr", "Fibre optique 500 Mbps");
    ck_assert_uint_eq(search_count("fibre", VB_LANG_FR), 1);
    r = run(0, corpus_dir);
    expect_counts(r, 0, 0, 0, BASIC_DOCS, 0);
    ck_assert_uint_eq(r->sum.restamped, 0);
}
END_TEST

/* A document stored twice under one id (which no run writes, but an
 * index may hold): the run keeps the first and removes the other. */
START_TEST(test_indexer_document_stored_twice)
{
    basic_corpus();
    expect_counts(run(0, corpus_dir), BASIC_DOCS, 0, 0, 0, 0);
    char *abs = realpath(in_tmp("corpus/products/prod-fiber-nl.md"), NULL);
    ck_assert_ptr_nonnull(abs);
    char *text = NULL;
    ck_assert_int_ge(asprintf(&text,
                              "---\nid: prod-fiber-nl\ntype: procedure\n"
                              "lang: nl\ntitle: Oud\n---\nOude tekst.\n"),
                     0);
    struct vb_document *doc = NULL;
    struct vb_error err = {0};
    ck_assert(vb_document_parse_markdown(abs, text, strlen(text), &doc, &err) ==
              VB_OK);
    struct vb_analysis_data *data = NULL;
    struct vb_analyzer *analyzer = NULL;
    ck_assert(vb_analysis_data_new(&data, NULL) == VB_OK);
    ck_assert(vb_analyzer_new(data, &analyzer, NULL) == VB_OK);
    struct vb_xapian_doc *built = NULL;
    ck_assert(vb_schema_build(analyzer, doc, VB_LANG_NL,
                              vb_document_content_hash(doc), 0, 100.0, &built,
                              &err) == VB_OK);
    struct vb_xapian_writer *writer = NULL;
    ck_assert(vb_xapian_writer_open(index_dir, false, &writer, &err) == VB_OK);
    /* docid 0: "known to be new", so it is added beside the first. */
    ck_assert(vb_schema_put(writer, doc->id, 0, built, &err) == VB_OK);
    ck_assert(vb_xapian_commit(writer, &err) == VB_OK);
    vb_xapian_writer_close(writer);
    vb_xapian_doc_free(built);
    vb_analyzer_free(analyzer);
    vb_analysis_data_free(data);
    vb_document_free(doc);
    free(text);
    free(abs);
    ck_assert_uint_eq(term_freq("Qprod-fiber-nl"), 2);

    expect_counts(run(0, corpus_dir), 0, 0, 1, BASIC_DOCS, 0);
    ck_assert_uint_eq(term_freq("Qprod-fiber-nl"), 1);
    ck_assert_uint_eq(doc_count(), BASIC_DOCS);
    expect_title("prod-fiber-nl", "Glasvezel 500 Mbps");
}
END_TEST

/* A directory's .tenant gives its documents their tenant; one that names
 * another is rejected; a bad .tenant keeps its files out (as shared they
 * would show to every client); changing it updates the documents. */
START_TEST(test_indexer_directory_tenant)
{
    write_md("corpus/shared/agressie.md", "shared-1", "nl", "Agressieve beller",
             "Blijf rustig.");
    write_file("corpus/acme/.tenant", "acme\n");
    write_md("corpus/acme/retour.md", "acme-1", "nl", "Retour", "Terug.");
    write_md("corpus/acme/sub/garantie.md", "acme-2", "nl", "Garantie", "Twee jaar.");
    write_file("corpus/acme/other.md",
               "---\nid: acme-3\ntype: procedure\nlang: nl\ntitle: X\n"
               "tenant: brico\n---\nT.\n");
    write_file("corpus/bad/.tenant", "Not A Tenant\n");
    write_md("corpus/bad/x.md", "bad-1", "nl", "X", "Y.");
    struct result *r = run(0, corpus_dir);
    expect_counts(r, 3, 0, 0, 0, 2);
    expect_line(r, "acme/other.md:2: 'tenant' brico differs from acme");
    expect_line(r, "bad/.tenant:1: a tenant name");
    expect_line(r, "bad/x.md:2: not indexed");
    struct vb_document *d = stored("acme-2");
    ck_assert_str_eq(d->tenant, "acme");
    vb_document_free(d);
    d = stored("shared-1");
    ck_assert_str_eq(d->tenant, "");
    vb_document_free(d);
    ck_assert_uint_eq(term_freq("XNacme"), 2);
    ck_assert_uint_eq(term_freq("XN_"), 1);

    write_file("corpus/acme/.tenant", "acme-be\n");
    remove_file("corpus/acme/other.md");
    remove_file("corpus/bad/.tenant");
    r = run(0, corpus_dir);
    expect_counts(r, 1, 2, 0, 1, 0);
    ck_assert_uint_eq(term_freq("XNacme-be"), 2);
    ck_assert_uint_eq(term_freq("XNacme"), 0);
    ck_assert_uint_eq(term_freq("XN_"), 2);
}
END_TEST

START_TEST(test_indexer_edited_file_updated)
{
    basic_corpus();
    expect_counts(run(0, corpus_dir), BASIC_DOCS, 0, 0, 0, 0);
    uint64_t rev = revision();
    write_md("corpus/products/prod-fiber-nl.md", "prod-fiber-nl", "nl",
             "Glasvezel 1000 Mbps", "Nog sneller internet via glasvezel.");
    expect_counts(run(0, corpus_dir), 0, 1, 0, BASIC_DOCS - 1, 0);
    ck_assert_uint_eq(revision(), rev + 1);
    ck_assert_uint_eq(doc_count(), BASIC_DOCS);
    expect_title("prod-fiber-nl", "Glasvezel 1000 Mbps");
    ck_assert_uint_eq(search_count("sneller", VB_LANG_NL), 1);
    /* Only the body changes: still a change. */
    write_md("corpus/products/prod-fiber-nl.md", "prod-fiber-nl", "nl",
             "Glasvezel 1000 Mbps", "Nu met gratis modem.");
    expect_counts(run(0, corpus_dir), 0, 1, 0, BASIC_DOCS - 1, 0);
    ck_assert_uint_eq(search_count("sneller", VB_LANG_NL), 0);
    ck_assert_uint_eq(search_count("modem", VB_LANG_NL), 1);
}
END_TEST

START_TEST(test_indexer_deleted_file_removed)
{
    basic_corpus();
    expect_counts(run(0, corpus_dir), BASIC_DOCS, 0, 0, 0, 0);
    remove_file("corpus/procedures/proc-move-en.md");
    expect_counts(run(0, corpus_dir), 0, 0, 1, BASIC_DOCS - 1, 0);
    expect_absent("proc-move-en");
    ck_assert_uint_eq(doc_count(), BASIC_DOCS - 1);
    ck_assert_uint_eq(search_count("address", VB_LANG_EN), 0);
    /* A whole JSONL file gone: its three events go. */
    remove_file("corpus/history/events.jsonl");
    expect_counts(run(0, corpus_dir), 0, 0, 3, 2, 0);
    ck_assert_uint_eq(term_freq("XThistory"), 0);
    ck_assert_uint_eq(doc_count(), 2);
}
END_TEST

START_TEST(test_indexer_jsonl_line_removed)
{
    basic_corpus();
    expect_counts(run(0, corpus_dir), BASIC_DOCS, 0, 0, 0, 0);
    /* The last line goes: that event is removed, the rest unchanged. */
    write_events((const int[]){1, 2}, 2);
    expect_counts(run(0, corpus_dir), 0, 0, 1, BASIC_DOCS - 1, 0);
    expect_absent("ev-3");
    expect_title("ev-1", "Telefoongesprek 1");
    /* The first line goes: ev-2 moves up to line 1, unchanged; only its
     * sync record is rewritten with the new line. */
    write_events((const int[]){2}, 1);
    struct result *r = run(0, corpus_dir);
    expect_counts(r, 0, 0, 1, BASIC_DOCS - 2, 0);
    ck_assert_uint_eq(r->sum.restamped, 1);
    expect_absent("ev-1");
    ck_assert_uint_eq(place_of("ev-2").line, 1);
    expect_title("ev-2", "Telefoongesprek 2");
    ck_assert_uint_eq(doc_count(), BASIC_DOCS - 2);
    /* A line added at the end: added, the others unchanged. */
    write_events((const int[]){2, 7}, 2);
    expect_counts(run(0, corpus_dir), 1, 0, 0, BASIC_DOCS - 2, 0);
}
END_TEST

START_TEST(test_indexer_document_moved_between_files)
{
    basic_corpus();
    expect_counts(run(0, corpus_dir), BASIC_DOCS, 0, 0, 0, 0);
    remove_file("corpus/procedures/proc-move-en.md");
    write_md("corpus/procedures/moved/proc-move-en.md", "proc-move-en", "en",
             "Moving house", "Ask the customer for the new address.");
    /* Same id, same content, another place: unchanged, never removed; its
     * sync record says the new place. */
    struct result *r = run(0, corpus_dir);
    expect_counts(r, 0, 0, 0, BASIC_DOCS, 0);
    ck_assert_uint_eq(r->sum.restamped, 1);
    struct place p = place_of("proc-move-en");
    char want[1024];
    snprintf(want, sizeof want, "%s/procedures/moved/proc-move-en.md",
             corpus_dir);
    ck_assert_str_eq(p.path, want);
    ck_assert_uint_eq(p.line, 2);
    r = run(0, corpus_dir);
    expect_counts(r, 0, 0, 0, BASIC_DOCS, 0);
    ck_assert_uint_eq(r->sum.restamped, 0);
}
END_TEST

/* ==== Bad files never cost what was indexed ============================ */

START_TEST(test_indexer_invalid_file_keeps_indexed_version)
{
    basic_corpus();
    expect_counts(run(0, corpus_dir), BASIC_DOCS, 0, 0, 0, 0);
    uint64_t rev = revision();

    /* Front matter that is not YAML. */
    write_file("corpus/products/prod-fiber-nl.md",
               "---\nid: prod-fiber-nl\ntype: product\nlang: nl\n"
               "title: [Glasvezel 2000\n---\nKapot.\n");
    struct result *r = run(0, corpus_dir);
    expect_counts(r, 0, 0, 0, BASIC_DOCS - 1, 1);
    char path[256];
    snprintf(path, sizeof path, "%s/products/prod-fiber-nl.md", corpus_dir);
    ck_assert_uint_ge(r->line_count, 1);
    for (size_t i = 0; i < r->line_count; i++)
        ck_assert_msg(is_path_line(r->lines[i], path),
                      "not '%s:LINE: message': %s", path, r->lines[i]);
    ck_assert_uint_eq(revision(), rev);
    expect_title("prod-fiber-nl", "Glasvezel 500 Mbps");
    ck_assert_uint_eq(search_count("glasvezel", VB_LANG_NL), 1);

    /* A field that fails validation: the same. */
    write_file("corpus/products/prod-fiber-nl.md",
               "---\nid: prod-fiber-nl\ntype: product\nlang: de\n"
               "title: Glasvezel\n---\nKapot.\n");
    r = run(0, corpus_dir);
    expect_counts(r, 0, 0, 0, BASIC_DOCS - 1, 1);
    ck_assert_msg(is_path_line(r->lines[0], path), "%s", r->lines[0]);
    expect_title("prod-fiber-nl", "Glasvezel 500 Mbps");

    /* One JSONL line broken: that event stays, the others are compared. */
    char *l1 = event_line(1, "Telefoongesprek 1");
    char *l3 = event_line(3, "Telefoongesprek 3 bis");
    write_file("corpus/history/events.jsonl", "%s\n{\"id\": \"ev-2\", \n%s\n",
               l1, l3);
    free(l1);
    free(l3);
    r = run(0, corpus_dir);
    expect_counts(r, 0, 1, 0, BASIC_DOCS - 3, 2);
    snprintf(path, sizeof path, "%s/history/events.jsonl", corpus_dir);
    expect_line(r, path, ":2: ");
    expect_title("ev-2", "Telefoongesprek 2");
    expect_title("ev-3", "Telefoongesprek 3 bis");
    ck_assert_uint_eq(doc_count(), BASIC_DOCS);

    /* Repaired: back to normal. */
    basic_corpus();
    expect_counts(run(0, corpus_dir), 0, 1, 0, BASIC_DOCS - 1, 0);
    expect_title("ev-3", "Telefoongesprek 3");
    expect_counts(run(0, corpus_dir), 0, 0, 0, BASIC_DOCS, 0);
}
END_TEST

START_TEST(test_indexer_new_bad_file_loses_nothing)
{
    basic_corpus();
    expect_counts(run(0, corpus_dir), BASIC_DOCS, 0, 0, 0, 0);
    write_file("corpus/products/new.md", "no front matter at all\n");
    write_bytes("corpus/products/utf8.md",
                "---\nid: bad-utf8\ntype: product\nlang: nl\ntitle: caf\xe9\n"
                "---\nx\n",
                sizeof "---\nid: bad-utf8\ntype: product\nlang: nl\ntitle: "
                       "caf\xe9\n---\nx\n" - 1);
    struct result *r = run(0, corpus_dir);
    expect_counts(r, 0, 0, 0, BASIC_DOCS, 2);
    char p1[256], p2[256];
    snprintf(p1, sizeof p1, "%s/products/new.md", corpus_dir);
    snprintf(p2, sizeof p2, "%s/products/utf8.md", corpus_dir);
    bool seen1 = false, seen2 = false;
    for (size_t i = 0; i < r->line_count; i++) {
        seen1 |= is_path_line(r->lines[i], p1);
        seen2 |= is_path_line(r->lines[i], p2);
    }
    ck_assert_msg(seen1 && seen2, "reports:%s", lines_text(r));
    ck_assert_uint_eq(doc_count(), BASIC_DOCS);
}
END_TEST

/* ==== Sources ============================================================ */

START_TEST(test_indexer_source_spellings_are_one_source)
{
    basic_corpus();
    int cwd = open(".", O_RDONLY | O_DIRECTORY);
    ck_assert_int_ge(cwd, 0);
    ck_assert_int_eq(chdir(tmp_dir), 0);
    expect_counts(run(0, "corpus"), BASIC_DOCS, 0, 0, 0, 0);
    uint64_t rev = revision();
    expect_counts(run(0, "./corpus"), 0, 0, 0, BASIC_DOCS, 0);
    expect_counts(run(0, corpus_dir), 0, 0, 0, BASIC_DOCS, 0);
    expect_counts(run(0, "corpus/"), 0, 0, 0, BASIC_DOCS, 0);
    expect_counts(run(0, "corpus/products/../../corpus"), 0, 0, 0, BASIC_DOCS,
                  0);
    ck_assert_int_eq(chdir("corpus/products"), 0);
    expect_counts(run(0, ".."), 0, 0, 0, BASIC_DOCS, 0);
    ck_assert_int_eq(chdir(tmp_dir), 0);
    /* Named twice, or a directory and a file inside it: read once. */
    expect_counts(run(0, "corpus", "./corpus/"), 0, 0, 0, BASIC_DOCS, 0);
    expect_counts(run(0, "corpus/products/prod-fiber-nl.md", "corpus"), 0, 0,
                  0, BASIC_DOCS, 0);
    /* A single file as the source: only that file is looked at. */
    expect_counts(run(0, "corpus/products/prod-fiber-nl.md"), 0, 0, 0, 1, 0);
    ck_assert_uint_eq(revision(), rev);
    ck_assert_uint_eq(doc_count(), BASIC_DOCS);
    ck_assert_int_eq(fchdir(cwd), 0);
    close(cwd);
}
END_TEST

START_TEST(test_indexer_second_source_keeps_first)
{
    write_md("a/one.md", "a-one", "nl", "Facturen betalen", "Tekst.");
    write_md("a/two.md", "a-two", "nl", "Facturen opvragen", "Tekst.");
    write_md("b/one.md", "b-one", "fr", "Payer les factures", "Texte.");
    write_md("b/sub/two.md", "b-two", "fr", "Demander une facture", "Texte.");
    expect_counts(run(0, in_tmp("a")), 2, 0, 0, 0, 0);
    expect_counts(run(0, in_tmp("b")), 2, 0, 0, 0, 0);
    ck_assert_uint_eq(doc_count(), 4);
    expect_counts(run(0, in_tmp("a")), 0, 0, 0, 2, 0);
    /* Syncing b removes from b only. */
    write_file("b/sub/notes.txt", "keeps b/sub from becoming empty\n");
    remove_file("b/sub/two.md");
    expect_counts(run(0, in_tmp("b")), 0, 0, 1, 1, 0);
    expect_title("a-one", "Facturen betalen");
    expect_title("a-two", "Facturen opvragen");
    ck_assert_uint_eq(doc_count(), 3);
    /* A source that is a sibling with a common name prefix ("a" and "ab")
     * is another source. */
    write_md("ab/three.md", "ab-three", "nl", "Iets anders", "Tekst.");
    expect_counts(run(0, in_tmp("ab")), 1, 0, 0, 0, 0);
    expect_counts(run(0, in_tmp("a")), 0, 0, 0, 2, 0);
    ck_assert_uint_eq(doc_count(), 4);
}
END_TEST

START_TEST(test_indexer_id_taken_by_other_source)
{
    write_md("a/x.md", "shared-id", "nl", "Versie uit A", "Tekst.");
    write_md("b/x.md", "shared-id", "nl", "Versie uit B", "Tekst.");
    write_md("b/y.md", "only-b", "nl", "Alleen in B", "Tekst.");
    expect_counts(run(0, in_tmp("a")), 1, 0, 0, 0, 0);
    struct result *r = run(0, in_tmp("b"));
    expect_counts(r, 1, 0, 0, 0, 1);
    char b_path[256], a_place[256];
    snprintf(b_path, sizeof b_path, "%s/b/x.md", tmp_dir);
    snprintf(a_place, sizeof a_place, "%s/a/x.md:2", tmp_dir);
    ck_assert_uint_eq(r->line_count, 1);
    ck_assert_msg(is_path_line(r->lines[0], b_path), "%s", r->lines[0]);
    expect_line(r, "duplicate id shared-id", a_place);
    expect_title("shared-id", "Versie uit A");
    ck_assert_uint_eq(doc_count(), 2);
    /* Given both sources, a (first) keeps it and b's is the duplicate. */
    r = run(0, in_tmp("a"), in_tmp("b"));
    expect_counts(r, 0, 0, 0, 2, 1);
    expect_line(r, b_path, "duplicate id shared-id", a_place);
    expect_title("shared-id", "Versie uit A");
}
END_TEST

START_TEST(test_indexer_duplicate_ids_in_one_run)
{
    write_md("corpus/a.md", "dup", "nl", "Eerste", "Tekst.");
    write_md("corpus/b.md", "dup", "nl", "Tweede", "Tekst.");
    write_file("corpus/c.jsonl",
               "{\"id\":\"j\",\"type\":\"product\",\"lang\":\"en\","
               "\"title\":\"First line\"}\n\n"
               "{\"id\":\"j\",\"type\":\"product\",\"lang\":\"en\","
               "\"title\":\"Third line\"}\n");
    for (int round = 0; round < 2; round++) {
        struct result *r = run(0, corpus_dir);
        if (round == 0)
            expect_counts(r, 2, 0, 0, 0, 2);
        else
            expect_counts(r, 0, 0, 0, 2, 2);
        char a[256], b[256], c1[256], c3[256];
        snprintf(a, sizeof a, "%s/a.md:2", corpus_dir);
        snprintf(b, sizeof b, "%s/b.md:2: ", corpus_dir);
        snprintf(c1, sizeof c1, "%s/c.jsonl:1", corpus_dir);
        snprintf(c3, sizeof c3, "%s/c.jsonl:3: ", corpus_dir);
        expect_line(r, b, "duplicate id dup", a);
        expect_line(r, c3, "duplicate id j", c1);
        expect_title("dup", "Eerste");
        expect_title("j", "First line");
        ck_assert_uint_eq(doc_count(), 2);
    }
    /* The first copy goes: the second is now the only one. */
    remove_file("corpus/a.md");
    expect_counts(run(0, corpus_dir), 0, 1, 0, 1, 1);
    expect_title("dup", "Tweede");
}
END_TEST

START_TEST(test_indexer_detects_missing_lang)
{
    write_md("corpus/nl.md", "no-lang-nl", NULL, "Verhuizing doorgeven",
             "De klant verhuist naar een nieuw adres en wil de aansluiting "
             "meenemen. Vraag de nieuwe postcode en de datum van de "
             "verhuizing.");
    write_md("corpus/nowords.md", "no-lang-no-words", NULL, "12345 67890",
             "0470 12 34 56");
    write_md("corpus/fr.md", "with-lang", "fr", "Déménagement", "Texte.");
    struct result *r = run(0, corpus_dir);
    expect_counts(r, 2, 0, 0, 0, 1);
    ck_assert_uint_eq(r->sum.detected, 1);
    char nl[256], nowords[256];
    snprintf(nl, sizeof nl, "%s/nl.md", corpus_dir);
    snprintf(nowords, sizeof nowords, "%s/nowords.md", corpus_dir);
    const char *note = find_line(r, nl, "note:", "nl", (const char *)NULL);
    ck_assert_msg(note && is_path_line(note, nl), "reports:%s", lines_text(r));
    const char *refusal = find_line(r, nowords, "lang", (const char *)NULL);
    ck_assert_msg(refusal && is_path_line(refusal, nowords), "reports:%s",
                  lines_text(r));
    ck_assert_ptr_null(strstr(refusal, "note:"));
    struct vb_document *doc = stored("no-lang-nl");
    ck_assert_ptr_nonnull(doc);
    ck_assert_str_eq(doc->lang, "nl");
    vb_document_free(doc);
    ck_assert_uint_eq(term_freq("Lnl"), 1);
    ck_assert_uint_eq(term_freq("Wnlverhuizing"), 1);
    /* Rerun: unchanged, known by its bytes, so not read again (no note);
     * the file without words is rejected again. */
    r = run(0, corpus_dir);
    expect_counts(r, 0, 0, 0, 2, 1);
    ck_assert_uint_eq(r->sum.detected, 0);
}
END_TEST

START_TEST(test_indexer_skips_readme_hidden_and_other_files)
{
    write_md("corpus/valid.md", "valid", "nl", "Geldig", "Tekst.");
    write_md("corpus/README.md", "readme", "nl", "Leesmij", "Tekst.");
    write_md("corpus/sub/readme.md", "readme2", "nl", "Leesmij", "Tekst.");
    write_md("corpus/.hidden.md", "hidden", "nl", "Verborgen", "Tekst.");
    write_md("corpus/.git/x.md", "hidden2", "nl", "Verborgen", "Tekst.");
    write_md("corpus/sub/.cache/y.md", "hidden3", "nl", "Verborgen", "Tekst.");
    write_file("corpus/.hidden.jsonl", "{\"id\":\"h\"}\n");
    write_file("corpus/notes.txt", "not a corpus file\n");
    write_file("corpus/data.json", "{\"id\":\"x\"}\n");
    write_file("corpus/sub/deep/more.jsonl",
               "{\"id\":\"deep\",\"type\":\"product\",\"lang\":\"en\","
               "\"title\":\"Deep\"}\n");
    struct result *r = run(0, corpus_dir);
    expect_counts(r, 2, 0, 0, 0, 0);
    ck_assert_uint_eq(r->line_count, 0);
    expect_title("valid", "Geldig");
    expect_title("deep", "Deep");
    ck_assert_uint_eq(doc_count(), 2);
}
END_TEST

/* ==== --check and --full ================================================= */

START_TEST(test_indexer_check_writes_nothing)
{
    basic_corpus();
    /* On a missing index: reports, creates nothing. */
    struct result *r = run(RUN_CHECK, corpus_dir);
    expect_counts(r, BASIC_DOCS, 0, 0, 0, 0);
    ck_assert_msg(!exists(index_dir), "--check created %s", index_dir);

    expect_counts(run(0, corpus_dir), BASIC_DOCS, 0, 0, 0, 0);
    uint64_t rev = revision();
    expect_counts(run(RUN_CHECK, corpus_dir), 0, 0, 0, BASIC_DOCS, 0);

    /* One edited, one added, one deleted, one bad. */
    write_md("corpus/products/prod-fiber-nl.md", "prod-fiber-nl", "nl",
             "Glasvezel 1000 Mbps", "Sneller.");
    write_md("corpus/products/prod-tv-nl.md", "prod-tv-nl", "nl",
             "Digitale tv", "Televisie.");
    remove_file("corpus/procedures/proc-move-en.md");
    write_file("corpus/products/bad.md", "---\nid: bad\n---\n");
    for (int i = 0; i < 2; i++) {
        r = run(RUN_CHECK, corpus_dir);
        expect_counts(r, 1, 1, 1, BASIC_DOCS - 2, 1);
        ck_assert_uint_eq(revision(), rev);
        ck_assert_uint_eq(doc_count(), BASIC_DOCS);
        expect_title("prod-fiber-nl", "Glasvezel 500 Mbps");
        expect_title("proc-move-en", "Moving house");
        expect_absent("prod-tv-nl");
    }
    char bad[256];
    snprintf(bad, sizeof bad, "%s/products/bad.md", corpus_dir);
    expect_line(r, bad);

    /* --check does not need the write lock. */
    struct vb_xapian_writer *writer = NULL;
    ck_assert(vb_xapian_writer_open(index_dir, false, &writer, NULL) == VB_OK);
    expect_counts(run(RUN_CHECK, corpus_dir), 1, 1, 1, BASIC_DOCS - 2, 1);
    vb_xapian_writer_close(writer);

    /* The real run does what --check said. */
    expect_counts(run(0, corpus_dir), 1, 1, 1, BASIC_DOCS - 2, 1);
    ck_assert_uint_eq(revision(), rev + 1);
    expect_title("prod-fiber-nl", "Glasvezel 1000 Mbps");
}
END_TEST

START_TEST(test_indexer_full_rebuilds)
{
    write_md("a/one.md", "a-one", "nl", "Facturen betalen", "Tekst.");
    write_md("a/two.md", "a-two", "nl", "Facturen opvragen", "Tekst.");
    write_md("b/one.md", "b-one", "fr", "Payer les factures", "Texte.");
    write_md("b/two.md", "b-two", "fr", "Demander une facture", "Texte.");
    expect_counts(run(0, in_tmp("a")), 2, 0, 0, 0, 0);
    expect_counts(run(0, in_tmp("b")), 2, 0, 0, 0, 0);
    uint64_t rev = revision();
    /* --full with a only: a re-stored, b removed. */
    struct result *r = run(RUN_FULL, in_tmp("a"));
    expect_counts(r, 0, 2, 2, 0, 0);
    ck_assert_uint_eq(revision(), rev + 1);
    ck_assert_uint_eq(doc_count(), 2);
    expect_absent("b-one");
    expect_title("a-one", "Facturen betalen");
    /* After --full, a normal run sees it all unchanged. */
    expect_counts(run(0, in_tmp("a")), 0, 0, 0, 2, 0);
    /* --full on a missing index builds it. */
    vb_test_remove_tree(index_dir);
    expect_counts(run(RUN_FULL, in_tmp("a"), in_tmp("b")), 4, 0, 0, 0, 0);
}
END_TEST

/* The index's reference length (schema/vb_schema.h). */
static double reference_of(const char *dir)
{
    struct vb_xapian_reader *reader = reader_on(dir);
    double length = -1;
    struct vb_error err = {0};
    ck_assert_msg(vb_schema_reference(reader, &length, &err) == VB_OK, "%s",
                  err.msg);
    vb_xapian_reader_close(reader);
    return length;
}

/* Writes `count` JSONL articles from number `first` on, each a one-word
 * title (12) and a body of `words` words: length 12 + words. */
static void write_articles(const char *rel, int first, int count, int words)
{
    size_t cap = (size_t)count * (size_t)(120 + 6 * words) + 1, used = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    for (int n = first; n < first + count; n++) {
        used += (size_t)snprintf(text + used, cap - used,
                                 "{\"id\": \"a-%d\", \"type\": \"procedure\", "
                                 "\"lang\": \"nl\", \"title\": \"Titel\", "
                                 "\"body\": \"",
                                 n);
        for (int w = 0; w < words; w++)
            used += (size_t)snprintf(text + used, cap - used, "%sword",
                                     w ? " " : "");
        used += (size_t)snprintf(text + used, cap - used, "\"}\n");
    }
    write_bytes(rel, text, used);
    free(text);
}

/* A new index takes the mean length of its first VB_SCHEMA_LENGTH_SAMPLE
 * documents (all, in a smaller build) as its reference, on one writer
 * and on shards alike; later runs keep it, --full measures again, and
 * --reference-from takes another index's. */
START_TEST(test_indexer_reference_length)
{
    /* The sample, then ten long articles it does not see. */
    write_articles("corpus/a.jsonl", 0, VB_SCHEMA_LENGTH_SAMPLE, 1);
    write_articles("corpus/b.jsonl", VB_SCHEMA_LENGTH_SAMPLE, 10, 500);
    expect_counts(run(RUN_JOBS(2), corpus_dir), VB_SCHEMA_LENGTH_SAMPLE + 10, 0,
                  0, 0, 0);
    ck_assert_double_eq(reference_of(index_dir), 13);
    vb_test_remove_tree(index_dir);
    expect_counts(run(RUN_JOBS(1), corpus_dir), VB_SCHEMA_LENGTH_SAMPLE + 10, 0,
                  0, 0, 0);
    ck_assert_double_eq(reference_of(index_dir), 13);

    /* A smaller build: all of it. */
    remove_file("corpus/a.jsonl");
    write_articles("corpus/a.jsonl", 0, 30, 1);
    expect_counts(run(RUN_FULL, corpus_dir), 0, 40,
                  VB_SCHEMA_LENGTH_SAMPLE - 30, 0, 0);
    ck_assert_double_eq_tol(reference_of(index_dir),
                            (30 * 13.0 + 10 * 512.0) / 40, 0.001);
    /* A rerun with new, longer documents keeps it. */
    write_articles("corpus/c.jsonl", 100000, 5, 900);
    expect_counts(run(0, corpus_dir), 5, 0, 0, 40, 0);
    ck_assert_double_eq_tol(reference_of(index_dir),
                            (30 * 13.0 + 10 * 512.0) / 40, 0.001);

    /* Another index's: an index built with its own is refused without
     * --full; an empty one has none to give. */
    char other[160];
    snprintf(other, sizeof other, "%s/other", tmp_dir);
    write_articles("shard/a.jsonl", 200000, 3, 1);
    const char *shard = in_tmp("shard");
    struct result *r = run_on(other, 0, &shard, 1);
    ck_assert_int_eq(r->status, VB_OK);
    ck_assert_double_eq(reference_of(other), 13);
    reference_from = other;
    r = run(0, corpus_dir);
    ck_assert_int_eq(r->status, VB_EINVAL);
    ck_assert_msg(strstr(r->err.msg, "--full"), "%s", r->err.msg);
    expect_counts(run(RUN_FULL, corpus_dir), 0, 45, 0, 0, 0);
    ck_assert_double_eq(reference_of(index_dir), 13);
    expect_counts(run(0, corpus_dir), 0, 0, 0, 45, 0);
    vb_test_remove_tree(other);
    r = run(RUN_FULL, corpus_dir);
    ck_assert_int_eq(r->status, VB_EINVAL);
    ck_assert_msg(strstr(r->err.msg, "no index"), "%s", r->err.msg);
}
END_TEST

/* Documents written over HTTP into an index that has no reference length
 * yet fix it with their mean length; later writes keep it. */
START_TEST(test_indexer_reference_length_of_writes)
{
    mkdir(corpus_dir, 0755);
    expect_counts(run(0, corpus_dir), 0, 0, 0, 0, 0); /* an empty index */
    ck_assert_double_eq(reference_of(index_dir), 0);
    static const char *const texts[] = {
        "{\"id\": \"w-1\", \"type\": \"procedure\", \"lang\": \"nl\", "
        "\"title\": \"Titel\", \"body\": \"een twee drie\"}",
        "{\"id\": \"w-2\", \"type\": \"procedure\", \"lang\": \"nl\", "
        "\"title\": \"Titel\", \"body\": \"een\"}"};
    struct vb_indexer_op ops[2] = {{.id = "w-1"}, {.id = "w-2"}};
    struct vb_error err = {0};
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < 2; i++)
            ck_assert_msg(vb_document_parse_json("api", 0, texts[i],
                                                 strlen(texts[i]), &ops[i].doc,
                                                 &err) == VB_OK,
                          "%s", err.msg);
        /* The second time, one document alone (as long as the first). */
        size_t n = round == 0 ? 2 : 1;
        ck_assert_msg(vb_indexer_write(index_dir, "api", ops, n, 0, &err) ==
                          VB_OK,
                      "%s", err.msg);
        for (size_t i = 0; i < 2; i++) {
            ck_assert_msg(i >= n || ops[i].status == VB_OK, "%s",
                          ops[i].problem.msg);
            vb_document_free(ops[i].doc);
            ops[i].doc = NULL;
        }
        ck_assert_double_eq(reference_of(index_dir), (15 + 13) / 2.0);
    }
}
END_TEST

START_TEST(test_indexer_other_schema_version_needs_full)
{
    basic_corpus();
    expect_counts(run(0, corpus_dir), BASIC_DOCS, 0, 0, 0, 0);
    struct vb_xapian_writer *writer = NULL;
    struct vb_error err = {0};
    const char *key = VB_SCHEMA_METADATA_VERSION;
    ck_assert(vb_xapian_writer_open(index_dir, false, &writer, &err) == VB_OK);
    ck_assert(vb_xapian_set_metadata(writer, key, strlen(key), "0", 1, &err) ==
              VB_OK);
    ck_assert(vb_xapian_commit(writer, &err) == VB_OK);
    vb_xapian_writer_close(writer);
    uint64_t rev = revision();

    struct result *r = run(0, corpus_dir);
    ck_assert_int_eq(r->status, VB_EINVAL);
    ck_assert_msg(strstr(r->err.msg, "--full") != NULL, "%s", r->err.msg);
    ck_assert_uint_eq(revision(), rev);
    r = run(RUN_CHECK, corpus_dir);
    ck_assert_int_eq(r->status, VB_EINVAL);

    expect_counts(run(RUN_FULL, corpus_dir), 0, BASIC_DOCS, 0, 0, 0);
    struct vb_xapian_reader *reader = reader_on(index_dir);
    char *version = NULL;
    size_t len = 0;
    ck_assert(vb_xapian_get_metadata(reader, key, strlen(key), &version, &len,
                                     NULL) == VB_OK);
    ck_assert_str_eq(version, VB_SCHEMA_VERSION);
    free(version);
    vb_xapian_reader_close(reader);
    expect_counts(run(0, corpus_dir), 0, 0, 0, BASIC_DOCS, 0);
}
END_TEST

/* ==== Runs that cannot be done =========================================== */

START_TEST(test_indexer_missing_source_writes_nothing)
{
    basic_corpus();
    const char *missing = in_tmp("no-such-dir");
    struct result *r = run(0, corpus_dir, missing);
    ck_assert_int_eq(r->status, VB_ENOTFOUND);
    ck_assert_msg(strstr(r->err.msg, "no-such-dir") != NULL, "%s", r->err.msg);
    ck_assert_msg(!exists(index_dir), "a failed run created %s", index_dir);

    expect_counts(run(0, corpus_dir), BASIC_DOCS, 0, 0, 0, 0);
    uint64_t rev = revision();
    remove_file("corpus/procedures/proc-move-en.md");
    r = run(0, corpus_dir, in_tmp("corpus/gone.md"));
    ck_assert_int_eq(r->status, VB_ENOTFOUND);
    ck_assert_uint_eq(revision(), rev);
    ck_assert_uint_eq(doc_count(), BASIC_DOCS);
    r = run(RUN_FULL, corpus_dir, missing);
    ck_assert_int_eq(r->status, VB_ENOTFOUND);
    ck_assert_uint_eq(doc_count(), BASIC_DOCS);
}
END_TEST

START_TEST(test_indexer_locked_index_fails_cleanly)
{
    basic_corpus();
    expect_counts(run(0, corpus_dir), BASIC_DOCS, 0, 0, 0, 0);
    uint64_t rev = revision();
    write_md("corpus/products/prod-tv-nl.md", "prod-tv-nl", "nl",
             "Digitale tv", "Televisie.");
    struct vb_xapian_writer *writer = NULL;
    ck_assert(vb_xapian_writer_open(index_dir, false, &writer, NULL) == VB_OK);
    struct result *r = run(0, corpus_dir);
    ck_assert_int_eq(r->status, VB_EBUSY);
    ck_assert_msg(strstr(r->err.msg, "being written by another process"),
                  "%s", r->err.msg);
    vb_xapian_writer_close(writer);
    ck_assert_uint_eq(revision(), rev);
    expect_counts(run(0, corpus_dir), 1, 0, 0, BASIC_DOCS, 0);
}
END_TEST

/* Regression: an empty directory in a source made walk() call
 * qsort(NULL, 0, ...) (indexer.c), undefined behaviour that aborts the
 * sanitizer build. */
START_TEST(test_indexer_empty_directory)
{
    write_md("corpus/a.md", "a", "nl", "Facturen", "Tekst.");
    ck_assert_int_eq(mkdir(in_tmp("corpus/empty"), 0755), 0);
    ck_assert_int_eq(mkdir(in_tmp("corpus/sub"), 0755), 0);
    ck_assert_int_eq(mkdir(in_tmp("corpus/sub/empty"), 0755), 0);
    expect_counts(run(0, corpus_dir), 1, 0, 0, 0, 0);
    ck_assert_int_eq(mkdir(in_tmp("empty-source"), 0755), 0);
    expect_counts(run(0, in_tmp("empty-source")), 0, 0, 0, 0, 0);
    ck_assert_uint_eq(doc_count(), 1);
}
END_TEST

/* Directory symlinks that point back up the tree: the walk must end, and
 * a document must not turn into duplicates of itself. */
START_TEST(test_indexer_symlink_cycles_terminate)
{
    write_md("corpus/sub/a.md", "only-one", "nl", "Facturen", "Tekst.");
    ck_assert_int_eq(symlink("..", in_tmp("corpus/sub/up")), 0);
    ck_assert_int_eq(symlink("..", in_tmp("corpus/sub/up-again")), 0);
    last.abort_after = 0;
    result_clear(&last);
    struct vb_indexer_options opt = {
        .index_dir = index_dir,
        .sources = SOURCES(corpus_dir),
        .source_count = 1,
        .report = on_report,
        .ctx = &last,
    };
    last.abort_after = 200; /* a walk that ends reports far fewer */
    last.status = vb_indexer_run(&opt, &last.sum, &last.err);
    expect_counts(&last, 1, 0, 0, 0, 0);
    ck_assert_uint_eq(doc_count(), 1);
}
END_TEST

/* ==== Many documents ===================================================== */

START_TEST(test_indexer_large_jsonl_and_progress)
{
    enum { N = 4500 };
    char *text = malloc((size_t)N * 160);
    ck_assert_ptr_nonnull(text);
    size_t used = 0;
    for (int i = 0; i < N; i++)
        used += (size_t)sprintf(text + used,
                                "{\"id\":\"gen-%d\",\"type\":\"history\","
                                "\"lang\":\"en\",\"title\":\"Call %d about "
                                "invoice %d\",\"customer\":\"C%d\","
                                "\"date\":\"2026-01-01\"}\n",
                                i, i, i * 7, i % 50);
    write_bytes("corpus/big.jsonl", text, used);
    free(text);
    struct result *r = run(0, corpus_dir);
    expect_counts(r, N, 0, 0, 0, 0);
    ck_assert_uint_ge(r->progress_calls, 1);
    ck_assert_uint_le(r->last_read, N);
    ck_assert_uint_eq(doc_count(), N);
    ck_assert_uint_eq(term_freq("XCC7"), N / 50);
    expect_counts(run(0, corpus_dir), 0, 0, 0, N, 0);
}
END_TEST

/* ==== A new index written as shards ====================================== */

/* Every term of an index with its frequency, and every sync record, one
 * line each, sorted: what two indexes of the same documents share
 * whatever their document ids. */
struct listing {
    char **lines;
    size_t count, cap;
};

static void listing_add(struct listing *l, char *line)
{
    ck_assert_ptr_nonnull(line);
    if (l->count == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 1024;
        l->lines = realloc(l->lines, l->cap * sizeof *l->lines);
        ck_assert_ptr_nonnull(l->lines);
    }
    l->lines[l->count++] = line;
}

static int list_term(void *ctx, const char *term, size_t len, uint32_t freq)
{
    char *line = NULL;
    ck_assert_int_ge(asprintf(&line, "term %.*s %u", (int)len, term, freq), 0);
    listing_add(ctx, line);
    return 0;
}

static int list_record(void *ctx, const struct vb_schema_sync_record *r)
{
    char *line = NULL;
    ck_assert_int_ge(
        asprintf(&line, "record %.*s %016llx %.*s:%u", (int)r->id_len, r->id,
                 (unsigned long long)r->hash, (int)r->source_path_len,
                 r->source_path, r->source_line),
        0);
    listing_add(ctx, line);
    return 0;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static struct listing list_index(const char *dir)
{
    struct listing l = {0};
    struct vb_xapian_reader *reader = reader_on(dir);
    struct vb_error err = {0};
    ck_assert_msg(vb_xapian_for_each_term(reader, "", 0, list_term, &l, &err) ==
                      VB_OK,
                  "%s", err.msg);
    ck_assert_msg(
        vb_schema_for_each_sync_record(reader, list_record, &l, &err) == VB_OK,
        "%s", err.msg);
    ck_assert_msg(vb_schema_check(reader, &err) == VB_OK, "%s", err.msg);
    vb_xapian_reader_close(reader);
    qsort(l.lines, l.count, sizeof *l.lines, by_text);
    return l;
}

static void listing_free(struct listing *l)
{
    for (size_t i = 0; i < l->count; i++)
        free(l->lines[i]);
    free(l->lines);
}

/* The sample corpus written by one writer and as three shards merged:
 * the same terms with the same frequencies, the same sync records, the
 * schema version, nothing left beside the index; the next run finds
 * every document unchanged, and changes go into the merged index. */
START_TEST(test_indexer_new_index_in_shards_same_as_one_writer)
{
    char serial[160], sharded[160], build[176];
    snprintf(serial, sizeof serial, "%s/serial", tmp_dir);
    snprintf(sharded, sizeof sharded, "%s/sharded", tmp_dir);
    snprintf(build, sizeof build, "%s.build", sharded);
    const char *corpus = VB_SOURCE_DIR "/corpus";
    struct result *r = run_on(serial, RUN_JOBS(1), &corpus, 1);
    ck_assert_msg(r->status == VB_OK, "%s", r->err.msg);
    uint32_t added = r->sum.added;
    ck_assert_uint_gt(added, 1000);
    r = run_on(sharded, RUN_JOBS(3), &corpus, 1);
    ck_assert_msg(r->status == VB_OK, "%s", r->err.msg);
    ck_assert_uint_eq(r->sum.added, added);
    ck_assert(!exists(build));

    struct listing a = list_index(serial), b = list_index(sharded);
    ck_assert_uint_gt(a.count, added);
    ck_assert_uint_eq(a.count, b.count);
    for (size_t i = 0; i < a.count; i++)
        ck_assert_str_eq(a.lines[i], b.lines[i]);
    listing_free(&a);
    listing_free(&b);

    r = run_on(sharded, RUN_JOBS(3), &corpus, 1);
    ck_assert_msg(r->status == VB_OK, "%s", r->err.msg);
    expect_counts(r, 0, 0, 0, added, 0);
    /* An existing index has one writer: an edit lands in it. */
    const char *own = corpus_dir;
    basic_corpus();
    r = run_on(sharded, RUN_JOBS(3), &own, 1);
    ck_assert_msg(r->status == VB_OK, "%s", r->err.msg);
    ck_assert_uint_eq(r->sum.added, BASIC_DOCS);
    ck_assert(!exists(build));
    struct vb_xapian_reader *reader = reader_on(sharded);
    uint32_t n = 0;
    ck_assert(vb_xapian_doc_count(reader, &n, NULL) == VB_OK);
    ck_assert_uint_eq(n, added + BASIC_DOCS); /* the sample's stay */
    vb_xapian_reader_close(reader);
}
END_TEST

/* What a killed run left beside a new index is removed; an index
 * directory that is a link to another is written through the link by
 * one writer (a rename would replace the link). */
START_TEST(test_indexer_new_index_leftovers_and_links)
{
    basic_corpus();
    char build[160], inner[192], target[160];
    snprintf(build, sizeof build, "%s.build", index_dir);
    snprintf(inner, sizeof inner, "%s/shard-0", build);
    ck_assert_int_eq(mkdir(build, 0755), 0);
    ck_assert_int_eq(mkdir(inner, 0755), 0);
    write_file("index.build/shard-0/postlist.glass", "left by a kill\n");
    expect_counts(run(RUN_JOBS(2), corpus_dir), BASIC_DOCS, 0, 0, 0, 0);
    ck_assert(!exists(build));
    ck_assert_uint_eq(doc_count(), BASIC_DOCS);

    snprintf(target, sizeof target, "%s/real-index", tmp_dir);
    ck_assert_int_eq(mkdir(target, 0755), 0);
    char link[160];
    snprintf(link, sizeof link, "%s/linked-index", tmp_dir);
    ck_assert_int_eq(symlink(target, link), 0);
    const char *sources[] = {corpus_dir};
    struct result *r = run_on(link, RUN_JOBS(2), sources, 1);
    ck_assert_msg(r->status == VB_OK, "%s", r->err.msg);
    struct stat st;
    ck_assert_int_eq(lstat(link, &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    struct vb_xapian_reader *reader = reader_on(target);
    uint32_t n = 0;
    ck_assert(vb_xapian_doc_count(reader, &n, NULL) == VB_OK);
    ck_assert_uint_eq(n, BASIC_DOCS);
    vb_xapian_reader_close(reader);
}
END_TEST

/* ==== Hostile input ====================================================== */

/* Is the shared data there?  Without it the test passes with a note,
 * except under CI=true, where it fails (CI must run everything). */
static bool have_data(const char *relative)
{
    struct stat st;
    if (stat(vb_test_data_path(relative), &st) == 0)
        return true;
    const char *ci = getenv("CI");
    ck_assert_msg(!(ci && strcmp(ci, "true") == 0), "missing under CI: %s",
                  vb_test_data_path(relative));
    fprintf(stderr, "note: %s missing; part of the suite not run\n",
            vb_test_data_path(relative));
    return false;
}

static bool only_blanks(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

START_TEST(test_indexer_json_test_suite_lines)
{
    if (!have_data("jsontestsuite/test_parsing"))
        return;
    char dir_path[1024];
    snprintf(dir_path, sizeof dir_path, "%s",
             vb_test_data_path("jsontestsuite/test_parsing"));
    DIR *dir = opendir(dir_path);
    ck_assert_ptr_nonnull(dir);
    char **names = NULL;
    bool *must_report = NULL;
    size_t count = 0;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.' || !strstr(de->d_name, ".json"))
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir_path, de->d_name);
        size_t len = 0;
        char *content = vb_test_read_file(path, &len);
        ck_assert_ptr_nonnull(content);
        /* One JSONL file per case: the case's bytes as the line(s), then
         * a valid document that must be indexed whatever came before. */
        char *valid = NULL;
        int vlen = asprintf(&valid,
                            "%s{\"id\":\"ok-%zu\",\"type\":\"product\","
                            "\"lang\":\"en\",\"title\":\"Valid after %zu\","
                            "\"body\":\"Still indexed.\"}\n",
                            len && content[len - 1] != '\n' ? "\n" : "", count,
                            count);
        ck_assert_int_gt(vlen, 0);
        char *file = malloc(len + (size_t)vlen);
        ck_assert_ptr_nonnull(file);
        memcpy(file, content, len);
        memcpy(file + len, valid, (size_t)vlen);
        char rel[512];
        snprintf(rel, sizeof rel, "corpus/%s.jsonl", de->d_name);
        write_bytes(rel, file, len + (size_t)vlen);
        names = realloc(names, (count + 1) * sizeof *names);
        must_report = realloc(must_report, (count + 1) * sizeof *must_report);
        names[count] = strdup(de->d_name);
        /* Every case is rejected: none is a Contract 1 document (n_ is not
         * JSON, y_ and i_ are not documents), unless it is all blanks. */
        size_t bom = len >= 3 && memcmp(content, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        must_report[count] = !only_blanks(content + bom, len - bom);
        count++;
        free(file);
        free(valid);
        free(content);
    }
    closedir(dir);
    ck_assert_uint_ge(count, 300);

    struct result *r = run(0, corpus_dir);
    ck_assert_msg(r->status == VB_OK, "%s", r->err.msg);
    ck_assert_uint_eq(r->sum.added, count);
    ck_assert_uint_eq(doc_count(), count);
    size_t n_cases = 0;
    for (size_t i = 0; i < count; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s.jsonl", corpus_dir, names[i]);
        bool reported = false;
        for (size_t k = 0; k < r->line_count && !reported; k++)
            reported = is_path_line(r->lines[k], path);
        if (must_report[i])
            ck_assert_msg(reported, "%s: not rejected", names[i]);
        if (names[i][0] == 'n')
            n_cases += must_report[i];
        free(names[i]);
    }
    ck_assert_uint_ge(r->sum.rejected, n_cases);
    ck_assert_uint_ge(n_cases, 180);
    /* Every report is "path:line: message" for one of the files. */
    for (size_t k = 0; k < r->line_count; k++) {
        size_t n = strlen(corpus_dir);
        ck_assert_msg(strncmp(r->lines[k], corpus_dir, n) == 0 &&
                          strstr(r->lines[k], ".jsonl:") != NULL,
                      "%s", r->lines[k]);
    }
    free(names);
    free(must_report);
    /* And a rerun agrees. */
    r = run(0, corpus_dir);
    ck_assert_int_eq(r->status, VB_OK);
    ck_assert_uint_eq(r->sum.unchanged, count);
    ck_assert_uint_eq(r->sum.added + r->sum.updated + r->sum.removed, 0);
}
END_TEST

/* Appends `s` as a JSON string body (without quotes) to buf. */
static size_t json_escape(char *buf, const char *s, size_t len)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)c;
        } else if (c < 0x20) {
            o += (size_t)sprintf(buf + o, "\\u%04x", c);
        } else {
            buf[o++] = (char)c;
        }
    }
    return o;
}

/* The title as the document module keeps it: runs of ASCII whitespace
 * folded to one space, trimmed. */
static void fold_spaces(const char *s, char *out)
{
    size_t o = 0;
    bool space = false;
    for (; *s; s++) {
        if (strchr(" \t\r\n\v\f", *s)) {
            space = o > 0;
            continue;
        }
        if (space)
            out[o++] = ' ';
        space = false;
        out[o++] = *s;
    }
    out[o] = '\0';
}

START_TEST(test_indexer_naughty_titles)
{
    if (!have_data("naughty/blns.txt"))
        return;
    size_t len = 0;
    char *blns = vb_test_read_file(vb_test_data_path("naughty/blns.txt"), &len);
    ck_assert_ptr_nonnull(blns);
    /* Lines as titles, one JSONL document each; every fourth without lang
     * (detected from the body). */
    static const char *const langs[4] = {"nl", "fr", "en", NULL};
    static const char *const bodies[4] = {
        "De klant wil de factuur betalen.",
        "Le client veut payer la facture.",
        "The customer wants to pay the invoice.",
        "De klant belt over een storing van het internet thuis."};
    size_t newlines = 0;
    for (size_t i = 0; i < len; i++)
        newlines += blns[i] == '\n';
    char *jsonl = malloc(len * 6 + (newlines + 1) * 256);
    ck_assert_ptr_nonnull(jsonl);
    char **titles = NULL;
    size_t used = 0, lines = 0;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(blns + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - blns) : len;
        size_t n = end - pos;
        titles = realloc(titles, (lines + 1) * sizeof *titles);
        titles[lines] = strndup(blns + pos, n);
        used += (size_t)sprintf(jsonl + used,
                                "{\"id\":\"blns-%zu\",\"type\":\"product\",%s%s%s"
                                "\"title\":\"",
                                lines, langs[lines % 4] ? "\"lang\":\"" : "",
                                langs[lines % 4] ? langs[lines % 4] : "",
                                langs[lines % 4] ? "\"," : "");
        used += json_escape(jsonl + used, blns + pos, n);
        used += (size_t)sprintf(jsonl + used, "\",\"body\":\"%s\"}\n",
                                bodies[lines % 4]);
        lines++;
        pos = end + 1;
    }
    write_bytes("corpus/blns.jsonl", jsonl, used);
    free(jsonl);
    free(blns);

    struct result *r = run(0, corpus_dir);
    ck_assert_msg(r->status == VB_OK, "%s", r->err.msg);
    ck_assert_uint_eq(r->sum.added + r->sum.rejected, lines);
    ck_assert_uint_gt(r->sum.added, lines / 2);
    ck_assert_uint_eq(doc_count(), r->sum.added);
    char path[256];
    snprintf(path, sizeof path, "%s/blns.jsonl", corpus_dir);
    size_t problems = 0;
    for (size_t k = 0; k < r->line_count; k++) {
        ck_assert_msg(is_path_line(r->lines[k], path), "%s", r->lines[k]);
        problems += strstr(r->lines[k], ": note: ") == NULL;
    }
    ck_assert_uint_ge(problems, r->sum.rejected);
    /* Every line is either indexed, with its title as written (whitespace
     * folded), or reported at its own line. */
    for (size_t i = 0; i < lines; i++) {
        char id[32], where[300];
        snprintf(id, sizeof id, "blns-%zu", i);
        snprintf(where, sizeof where, "%s:%zu: ", path, i + 1);
        struct vb_document *doc = stored(id);
        if (doc) {
            char *want = malloc(strlen(titles[i]) + 1);
            fold_spaces(titles[i], want);
            ck_assert_msg(strcmp(doc->title, want) == 0,
                          "line %zu: title '%s' stored as '%s'", i + 1, want,
                          doc->title);
            free(want);
            vb_document_free(doc);
        } else {
            bool reported = false;
            for (size_t k = 0; k < r->line_count && !reported; k++)
                reported = strncmp(r->lines[k], where, strlen(where)) == 0 &&
                           !strstr(r->lines[k], ": note: ");
            ck_assert_msg(reported, "line %zu ('%s') neither indexed nor "
                                    "reported",
                          i + 1, titles[i]);
        }
        free(titles[i]);
    }
    free(titles);
    /* A rerun changes nothing. */
    uint64_t added = r->sum.added, rejected = r->sum.rejected;
    r = run(0, corpus_dir);
    expect_counts(r, 0, 0, 0, (int)added, (int)rejected);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("indexer");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_indexer_first_run_adds_all_rerun_changes_nothing);
    tcase_add_test(tc, test_indexer_rerun_knows_records_by_their_bytes);
    tcase_add_test(tc, test_indexer_records_without_fingerprint);
    tcase_add_test(tc, test_indexer_document_stored_twice);
    tcase_add_test(tc, test_indexer_edited_file_updated);
    tcase_add_test(tc, test_indexer_directory_tenant);
    tcase_add_test(tc, test_indexer_deleted_file_removed);
    tcase_add_test(tc, test_indexer_jsonl_line_removed);
    tcase_add_test(tc, test_indexer_document_moved_between_files);
    tcase_add_test(tc, test_indexer_invalid_file_keeps_indexed_version);
    tcase_add_test(tc, test_indexer_new_bad_file_loses_nothing);
    tcase_add_test(tc, test_indexer_source_spellings_are_one_source);
    tcase_add_test(tc, test_indexer_second_source_keeps_first);
    tcase_add_test(tc, test_indexer_id_taken_by_other_source);
    tcase_add_test(tc, test_indexer_duplicate_ids_in_one_run);
    tcase_add_test(tc, test_indexer_detects_missing_lang);
    tcase_add_test(tc, test_indexer_skips_readme_hidden_and_other_files);
    tcase_add_test(tc, test_indexer_check_writes_nothing);
    tcase_add_test(tc, test_indexer_full_rebuilds);
    tcase_add_test(tc, test_indexer_other_schema_version_needs_full);
    tcase_add_test(tc, test_indexer_missing_source_writes_nothing);
    tcase_add_test(tc, test_indexer_locked_index_fails_cleanly);
    tcase_add_test(tc, test_indexer_new_index_in_shards_same_as_one_writer);
    tcase_add_test(tc, test_indexer_new_index_leftovers_and_links);
    tcase_add_test(tc, test_indexer_empty_directory);
    tcase_add_test(tc, test_indexer_symlink_cycles_terminate);
    tcase_add_test(tc, test_indexer_large_jsonl_and_progress);
    tcase_add_test(tc, test_indexer_json_test_suite_lines);
    tcase_add_test(tc, test_indexer_naughty_titles);
    tcase_add_test(tc, test_indexer_reference_length);
    tcase_add_test(tc, test_indexer_reference_length_of_writes);
    suite_add_tcase(s, tc);
    snprintf(base_dir, sizeof base_dir, "/tmp/vb-indexer-XXXXXX");
    if (!mkdtemp(base_dir)) {
        perror(base_dir);
        return 1;
    }
    int status = vb_test_run(s);
    vb_test_remove_tree(base_dir);
    return status;
}
