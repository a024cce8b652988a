/* audit.c — the audit log of Contract 5, in SQLite.
 *
 * Durability: WAL with synchronous=FULL, so a row is on disk when its
 * COMMIT returns; the response that showed the history is sent only
 * after that.  One thread of the log's own does every write: request
 * threads queue their row and wait, and the thread commits whatever is
 * queued in one transaction (one fsync for many rows under load: group
 * commit).  The same thread purges rows older than the retention period,
 * at start and every hour.  Reads (/v1/audit) open a connection of
 * their own, which WAL lets run beside the writer.
 *
 * The database holds personal data: store.c creates it mode 0600. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "searchd_int.h"

#define PURGE_INTERVAL_SECONDS 3600
/* After a failed open, wait this long before the next attempt. */
#define REOPEN_INTERVAL_SECONDS 1

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS audit ("
    " id INTEGER PRIMARY KEY,"
    " time INTEGER NOT NULL," /* Unix microseconds */
    " token TEXT, agent TEXT, customer TEXT NOT NULL, route TEXT NOT NULL,"
    " query TEXT, hits INTEGER NOT NULL, client TEXT);"
    "CREATE INDEX IF NOT EXISTS audit_time ON audit(time);"
    "CREATE INDEX IF NOT EXISTS audit_customer ON audit(customer, time);"
    "CREATE INDEX IF NOT EXISTS audit_agent ON audit(agent, time);";

/* A row waiting for the writer; lives on the waiting caller's stack. */
struct pending {
    const struct vb_audit_entry *entry;
    struct pending *next;
    bool done;
    enum vb_status status;
    char message[256];
};

struct vb_audit {
    char *path;
    int64_t retention_us;
    pthread_t thread;
    bool thread_started;

    pthread_mutex_t lock; /* the queue, stop, problem */
    pthread_cond_t wake;  /* the writer: rows queued, or stop */
    pthread_cond_t done;  /* the callers: their rows committed */
    struct pending *queue, **queue_tail;
    bool stop;
    char problem[256]; /* "" when the last write worked */

    sqlite3 *writer;  /* the thread's own */
    time_t next_open; /* after a failed open */

    _Atomic uint64_t written, failed, purged;
};

/* ---- Opening ---------------------------------------------------------------- */

/* ---- The writer thread ------------------------------------------------------ */

/* The log, with the tenant column a log made by an older version lacks. */
static enum vb_status open_log(const char *path, sqlite3 **db,
                               struct vb_error *err)
{
    enum vb_status st = vb_store_open("audit log", path, schema_sql, true, db,
                                      err);
    if (st == VB_OK)
        st = vb_store_add_column(*db, "audit log", path, "audit",
                                 "tenant TEXT", err);
    if (st != VB_OK && *db) {
        sqlite3_close(*db);
        *db = NULL;
    }
    return st;
}

static void bind_text(sqlite3_stmt *stmt, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(stmt, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(stmt, i);
}

/* Commits the rows of `batch` in one transaction. */
static enum vb_status commit_batch(struct vb_audit *audit,
                                   struct pending *batch, struct vb_error *err)
{
    sqlite3 *db = audit->writer;
    sqlite3_stmt *insert = NULL;
    enum vb_status st = VB_OK;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return vb_store_error(db, "audit log", audit->path, "cannot begin", err);
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO audit (time, token, agent, customer, "
                           "route, query, hits, client, tenant) VALUES "
                           "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &insert, NULL) != SQLITE_OK) {
        st = vb_store_error(db, "audit log", audit->path, "cannot prepare", err);
        goto out;
    }
    for (struct pending *p = batch; p; p = p->next) {
        const struct vb_audit_entry *e = p->entry;
        sqlite3_bind_int64(insert, 1, e->time_us ? e->time_us : vb_store_now_us());
        bind_text(insert, 2, e->token);
        bind_text(insert, 3, e->agent);
        bind_text(insert, 4, e->customer);
        bind_text(insert, 5, e->route);
        bind_text(insert, 6, e->query);
        sqlite3_bind_int64(insert, 7, (sqlite3_int64)e->hits);
        bind_text(insert, 8, e->client);
        bind_text(insert, 9, e->tenant);
        if (sqlite3_step(insert) != SQLITE_DONE) {
            st = vb_store_error(db, "audit log", audit->path, "cannot write", err);
            goto out;
        }
        sqlite3_reset(insert);
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        st = vb_store_error(db, "audit log", audit->path, "cannot commit", err);
out:
    sqlite3_finalize(insert);
    if (st != VB_OK && !sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return st;
}

/* A writer connection, opening one when there is none (at most once per
 * REOPEN_INTERVAL_SECONDS after a failure). */
static enum vb_status ensure_writer(struct vb_audit *audit,
                                    struct vb_error *err)
{
    if (audit->writer)
        return VB_OK;
    time_t now = time(NULL);
    if (now < audit->next_open) {
        pthread_mutex_lock(&audit->lock);
        vb_error_set(err, VB_EIO, "%s", audit->problem);
        pthread_mutex_unlock(&audit->lock);
        return VB_EIO;
    }
    enum vb_status st = open_log(audit->path, &audit->writer, err);
    if (st != VB_OK)
        audit->next_open = now + REOPEN_INTERVAL_SECONDS;
    return st;
}

static void purge(struct vb_audit *audit)
{
    struct vb_error err;
    if (ensure_writer(audit, &err) != VB_OK)
        return;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(audit->writer, "DELETE FROM audit WHERE time < ?",
                           -1, &stmt, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_int64(stmt, 1, vb_store_now_us() - audit->retention_us);
    if (sqlite3_step(stmt) == SQLITE_DONE)
        atomic_fetch_add(&audit->purged,
                         (uint64_t)sqlite3_changes(audit->writer));
    sqlite3_finalize(stmt);
}

static void *writer_main(void *arg)
{
    struct vb_audit *audit = arg;
    purge(audit);
    struct timespec next_purge;
    clock_gettime(CLOCK_REALTIME, &next_purge);
    next_purge.tv_sec += PURGE_INTERVAL_SECONDS;

    pthread_mutex_lock(&audit->lock);
    for (;;) {
        while (!audit->queue && !audit->stop)
            if (pthread_cond_timedwait(&audit->wake, &audit->lock,
                                       &next_purge) == ETIMEDOUT)
                break;
        if (audit->stop && !audit->queue)
            break;
        struct pending *batch = audit->queue;
        audit->queue = NULL;
        audit->queue_tail = &audit->queue;
        pthread_mutex_unlock(&audit->lock);

        struct vb_error err = {0};
        enum vb_status st = VB_OK;
        if (batch) {
            st = ensure_writer(audit, &err);
            if (st == VB_OK)
                st = commit_batch(audit, batch, &err);
            if (st != VB_OK && audit->writer) {
                /* Start afresh next time: the file may have been
                 * replaced, or the disk freed. */
                sqlite3_close(audit->writer);
                audit->writer = NULL;
            }
        }
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        if (now.tv_sec >= next_purge.tv_sec) {
            purge(audit);
            next_purge.tv_sec = now.tv_sec + PURGE_INTERVAL_SECONDS;
        }

        pthread_mutex_lock(&audit->lock);
        if (batch)
            snprintf(audit->problem, sizeof audit->problem, "%s",
                     st == VB_OK ? "" : err.msg);
        for (struct pending *p = batch; p; p = p->next) {
            p->status = st;
            snprintf(p->message, sizeof p->message, "%s", err.msg);
            p->done = true;
            atomic_fetch_add(st == VB_OK ? &audit->written : &audit->failed, 1);
        }
        pthread_cond_broadcast(&audit->done);
    }
    pthread_mutex_unlock(&audit->lock);
    return NULL;
}

/* ---- Public ------------------------------------------------------------------ */

enum vb_status vb_audit_open(const char *path, unsigned retention_days,
                             struct vb_audit **out, struct vb_error *err)
{
    *out = NULL;
    struct vb_audit *audit = calloc(1, sizeof *audit);
    if (!audit || !(audit->path = strdup(path))) {
        free(audit);
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    }
    audit->retention_us = (int64_t)retention_days * 86400 * 1000000;
    audit->queue_tail = &audit->queue;
    pthread_mutex_init(&audit->lock, NULL);
    pthread_cond_init(&audit->wake, NULL);
    pthread_cond_init(&audit->done, NULL);
    /* Open now, so that a log that cannot be written is known at
     * start-up. */
    struct vb_error problem;
    if (open_log(path, &audit->writer, &problem) != VB_OK) {
        snprintf(audit->problem, sizeof audit->problem, "%s", problem.msg);
        audit->next_open = time(NULL) + REOPEN_INTERVAL_SECONDS;
    }
    audit->thread_started =
        pthread_create(&audit->thread, NULL, writer_main, audit) == 0;
    if (!audit->thread_started) {
        vb_audit_close(audit);
        return vb_error_set(err, VB_ENOMEM,
                            "cannot start the audit log's thread");
    }
    *out = audit;
    return VB_OK;
}

void vb_audit_close(struct vb_audit *audit)
{
    if (!audit)
        return;
    if (audit->thread_started) {
        pthread_mutex_lock(&audit->lock);
        audit->stop = true;
        pthread_cond_signal(&audit->wake);
        pthread_mutex_unlock(&audit->lock);
        pthread_join(audit->thread, NULL);
    }
    sqlite3_close(audit->writer);
    pthread_mutex_destroy(&audit->lock);
    pthread_cond_destroy(&audit->wake);
    pthread_cond_destroy(&audit->done);
    free(audit->path);
    free(audit);
}

enum vb_status vb_audit_write(struct vb_audit *audit,
                              const struct vb_audit_entry *entry,
                              struct vb_error *err)
{
    struct pending p = {.entry = entry};
    pthread_mutex_lock(&audit->lock);
    *audit->queue_tail = &p;
    audit->queue_tail = &p.next;
    pthread_cond_signal(&audit->wake);
    while (!p.done)
        pthread_cond_wait(&audit->done, &audit->lock);
    pthread_mutex_unlock(&audit->lock);
    if (p.status != VB_OK)
        return vb_error_set(err, p.status, "%s", p.message);
    return VB_OK;
}

bool vb_audit_problem(struct vb_audit *audit, struct vb_error *problem)
{
    pthread_mutex_lock(&audit->lock);
    bool any = audit->problem[0] != '\0';
    if (any)
        vb_error_set(problem, VB_EIO, "%s", audit->problem);
    pthread_mutex_unlock(&audit->lock);
    return any;
}

void vb_audit_get_counts(struct vb_audit *audit, struct vb_audit_counts *out)
{
    out->written = atomic_load(&audit->written);
    out->failed = atomic_load(&audit->failed);
    out->purged = atomic_load(&audit->purged);
}

static const char *column_text(sqlite3_stmt *stmt, int i)
{
    return (const char *)sqlite3_column_text(stmt, i);
}

enum vb_status vb_audit_query(struct vb_audit *audit,
                              const struct vb_audit_filter *filter,
                              vb_audit_row_fn fn, void *ctx, uint64_t *total,
                              struct vb_error *err)
{
    static const char where[] =
        " WHERE (?1 IS NULL OR customer = ?1) AND (?2 IS NULL OR agent = ?2)"
        " AND time >= ?3 AND time <= ?4 AND (?7 IS NULL OR tenant = ?7)";
    *total = 0;
    enum vb_status st = VB_OK;
    sqlite3 *db = NULL;
    sqlite3_stmt *count = NULL, *rows = NULL;
    if (sqlite3_open_v2(audit->path, &db,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        st = vb_store_error(db, "audit log", audit->path, "cannot open", err);
        goto out;
    }
    sqlite3_busy_timeout(db, 5000);
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit%s", where);
    if (sqlite3_prepare_v2(db, sql, -1, &count, NULL) != SQLITE_OK) {
        st = vb_store_error(db, "audit log", audit->path, "cannot read", err);
        goto out;
    }
    snprintf(sql, sizeof sql,
             "SELECT time, token, agent, customer, route, query, hits, client, "
             "tenant FROM audit%s ORDER BY time DESC, id DESC LIMIT ?5 "
             "OFFSET ?6",
             where);
    if (sqlite3_prepare_v2(db, sql, -1, &rows, NULL) != SQLITE_OK) {
        st = vb_store_error(db, "audit log", audit->path, "cannot read", err);
        goto out;
    }
    sqlite3_stmt *both[2] = {count, rows};
    for (int k = 0; k < 2; k++) {
        bind_text(both[k], 1, filter->customer);
        bind_text(both[k], 2, filter->agent);
        sqlite3_bind_int64(both[k], 3, filter->from_us);
        sqlite3_bind_int64(both[k], 4, filter->to_us);
        bind_text(both[k], 7, filter->tenant);
    }
    sqlite3_bind_int64(rows, 5, filter->limit);
    sqlite3_bind_int64(rows, 6, filter->offset);
    if (sqlite3_step(count) != SQLITE_ROW) {
        st = vb_store_error(db, "audit log", audit->path, "cannot read", err);
        goto out;
    }
    *total = (uint64_t)sqlite3_column_int64(count, 0);
    int rc;
    while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
        struct vb_audit_entry row = {
            .time_us = sqlite3_column_int64(rows, 0),
            .token = column_text(rows, 1),
            .agent = column_text(rows, 2),
            .customer = column_text(rows, 3),
            .route = column_text(rows, 4),
            .query = column_text(rows, 5),
            .hits = (uint64_t)sqlite3_column_int64(rows, 6),
            .client = column_text(rows, 7),
            .tenant = column_text(rows, 8),
        };
        if (fn(ctx, &row) != 0)
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        st = vb_store_error(db, "audit log", audit->path, "cannot read", err);
out:
    sqlite3_finalize(count);
    sqlite3_finalize(rows);
    sqlite3_close(db);
    return st;
}
