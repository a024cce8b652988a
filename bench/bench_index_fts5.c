/* bench_index_fts5 — the indexing peer: the same corpus files, read and
 * validated by the same document module, stored in SQLite FTS5 (title and
 * body, unicode61 tokenizer with diacritics removed, one transaction) the
 * way a team would do it without Vraagbaak.  Prints documents per second
 * and the database size, for bench/index-figures.sh.
 *
 * usage: bench_index_fts5 DATABASE FILE... */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "vb_document.h"

struct load {
    sqlite3_stmt *insert;
    unsigned long long documents, rejected;
    int failed;
};

static int on_document(void *ctx, struct vb_document *doc,
                       const struct vb_error *problems, size_t count)
{
    (void)problems;
    (void)count;
    struct load *l = ctx;
    if (!doc) {
        l->rejected++;
        return 0;
    }
    sqlite3_bind_text(l->insert, 1, doc->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(l->insert, 2, doc->type, -1, SQLITE_STATIC);
    sqlite3_bind_text(l->insert, 3, doc->lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(l->insert, 4, doc->customer, -1, SQLITE_STATIC);
    sqlite3_bind_text(l->insert, 5, doc->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(l->insert, 6, doc->body_text, -1, SQLITE_STATIC);
    if (sqlite3_step(l->insert) != SQLITE_DONE)
        l->failed = 1;
    sqlite3_reset(l->insert);
    l->documents++;
    vb_document_free(doc);
    return l->failed;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_index_fts5 DATABASE FILE...\n");
        return 2;
    }
    remove(argv[1]);
    sqlite3 *db = NULL;
    if (sqlite3_open(argv[1], &db) != SQLITE_OK) {
        fprintf(stderr, "bench_index_fts5: %s: cannot open\n", argv[1]);
        return 2;
    }
    const char *schema =
        "PRAGMA journal_mode=WAL;"
        "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, type UNINDEXED,"
        " lang UNINDEXED, customer UNINDEXED, title, body,"
        " tokenize='unicode61 remove_diacritics 2');"
        "BEGIN;";
    struct load l = {0};
    double start = now();
    if (sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO docs VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                           -1, &l.insert, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_index_fts5: %s\n", sqlite3_errmsg(db));
        return 2;
    }
    for (int i = 2; i < argc && !l.failed; i++) {
        struct vb_error err;
        if (vb_document_read_file(argv[i], on_document, &l, &err) != VB_OK) {
            fprintf(stderr, "bench_index_fts5: %s\n", err.msg);
            return 2;
        }
    }
    sqlite3_finalize(l.insert);
    if (l.failed || sqlite3_exec(db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_index_fts5: %s\n", sqlite3_errmsg(db));
        return 2;
    }
    sqlite3_close(db);
    double seconds = now() - start;
    struct stat sb;
    long long bytes = stat(argv[1], &sb) == 0 ? (long long)sb.st_size : -1;
    printf("fts5 documents=%llu rejected=%llu seconds=%.2f docs_per_s=%.0f "
           "bytes=%lld\n",
           l.documents, l.rejected, seconds,
           seconds > 0 ? (double)l.documents / seconds : 0.0, bytes);
    return 0;
}
