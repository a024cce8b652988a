/* analytics.c — what agents searched and opened, and what they flagged,
 * for the editors (issue 16), in SQLite.
 *
 * Searches cost the search path nothing that waits: a request copies its
 * record into a bounded ring and goes on; when the ring is full the record
 * is dropped and counted.  The module's own thread writes what is queued
 * in one transaction (synchronous=NORMAL: analytics may lose the last
 * moments on a power cut, never a search) once a record has waited
 * FLUSH_MS or FLUSH_COUNT are queued, and at the stop, with statements
 * prepared once: woken for every search and preparing and committing
 * for each, it took an eighth of the daemon's CPU.  It folds a query
 * typed letter by letter into one row (a client whose next query extends
 * its previous one within a few seconds replaces it: "f", "fa", "factuur"
 * is one search of "factuur"), and purges rows past the retention period
 * hourly.
 *
 * Data minimisation (AVG): no customer id, ticket, token secret or
 * history text is recorded; a suggest records no text at all (it is a
 * customer's e-mail or chat). */
#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "searchd_int.h"

#define RING 4096
/* A queued record waits at most this long to be written... */
#define FLUSH_MS 200
/* ...unless this many wake the writer sooner. */
#define FLUSH_COUNT (RING / 4)
#define TYPING_SECONDS 5
#define CLIENTS 1024 /* remembered for typing, per client key */
#define PURGE_INTERVAL_SECONDS 3600

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS searches ("
    " id INTEGER PRIMARY KEY, time INTEGER NOT NULL, mode TEXT NOT NULL,"
    " query TEXT, lang TEXT, hits INTEGER NOT NULL, took_us INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS searches_time ON searches(time);"
    "CREATE TABLE IF NOT EXISTS opens ("
    " id INTEGER PRIMARY KEY, time INTEGER NOT NULL, query TEXT NOT NULL,"
    " doc TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS opens_query ON opens(query, time);"
    "CREATE TABLE IF NOT EXISTS feedback ("
    " id INTEGER PRIMARY KEY, time INTEGER NOT NULL, doc TEXT NOT NULL,"
    " reason TEXT NOT NULL, comment TEXT, paragraph INTEGER, token TEXT,"
    " state TEXT NOT NULL DEFAULT 'open', resolved_time INTEGER,"
    " resolved_by TEXT);"
    "CREATE INDEX IF NOT EXISTS feedback_state ON feedback(state, time);";

struct record {
    enum { RECORD_SEARCH, RECORD_OPEN } kind;
    int64_t time_us;
    uint64_t client;
    bool suggest;
    char query[VB_ANALYTICS_QUERY_MAX + 1];
    char lang[3];
    char tenant[VB_DOC_TENANT_MAX + 1]; /* "" for none */
    uint64_t hits, took_us;
    char doc[VB_ANALYTICS_DOC_MAX + 1];
};

/* The last search row of a client, for folding typing. */
struct typing {
    uint64_t client;
    int64_t rowid, time_us;
    char query[VB_ANALYTICS_QUERY_MAX + 1];
    char tenant[VB_DOC_TENANT_MAX + 1];
};

struct vb_analytics {
    char *path;
    int64_t retention_us;
    sqlite3 *db; /* the thread's; feedback calls take `db_lock` */
    pthread_mutex_t db_lock;
    /* The writer's statements, prepared on first use (under db_lock). */
    sqlite3_stmt *statements[3];
    pthread_t thread;
    bool thread_started;

    pthread_mutex_t lock; /* the ring and stop */
    pthread_cond_t wake;
    struct record *ring;
    size_t head, count;
    struct timespec oldest; /* when the first queued record came */
    bool stop;

    struct typing typing[CLIENTS]; /* the thread's only */
    _Atomic uint64_t written, dropped;
};

void vb_analytics_normalise(const char *text, size_t len, char *out,
                            size_t cap)
{
    size_t n = 0;
    bool space = false;
    for (size_t i = 0; i < len && n + 1 < cap; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            space = n > 0;
            continue;
        }
        if (space) {
            if (n + 2 >= cap)
                break;
            out[n++] = ' ';
        }
        space = false;
        out[n++] = (char)(c < 0x80 ? tolower(c) : c);
    }
    /* Cut at the limit: never end inside a UTF-8 sequence. */
    size_t lead = n;
    while (lead > 0 && ((unsigned char)out[lead - 1] & 0xC0) == 0x80)
        lead--;
    if (lead > 0) {
        unsigned char c = (unsigned char)out[lead - 1];
        size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (n - (lead - 1) < need)
            n = lead - 1;
    }
    out[n] = '\0';
}

/* ---- The writer thread ---------------------------------------------------------- */

static void bind_text(sqlite3_stmt *stmt, int i, const char *s)
{
    if (s && *s)
        sqlite3_bind_text(stmt, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(stmt, i);
}

enum statement { INSERT_SEARCH, UPDATE_SEARCH, INSERT_OPEN };

/* The writer's statement, ready to bind; NULL when SQLite refuses it. */
static sqlite3_stmt *statement(struct vb_analytics *a, enum statement which)
{
    static const char *const sql[] = {
        [INSERT_SEARCH] = "INSERT INTO searches (time, query, lang, hits, "
                          "took_us, mode, tenant) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        [UPDATE_SEARCH] = "UPDATE searches SET time = ?1, query = ?2, "
                          "lang = ?3, hits = ?4, took_us = ?5, tenant = ?7 "
                          "WHERE id = ?6",
        /* In parentheses: clang takes two literals closing a list for a
         * missing comma (-Wstring-concatenation). */
        [INSERT_OPEN] = ("INSERT INTO opens (time, query, doc, tenant) "
                         "VALUES (?1, ?2, ?3, ?4)")};
    sqlite3_stmt **stmt = &a->statements[which];
    if (!*stmt &&
        sqlite3_prepare_v3(a->db, sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                           stmt, NULL) != SQLITE_OK)
        *stmt = NULL;
    return *stmt;
}

/* Steps a statement of the writer's and makes it ready for the next. */
static bool run(sqlite3_stmt *stmt)
{
    bool ok = sqlite3_step(stmt) == SQLITE_DONE;
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return ok;
}

/* Writes one search, folding it into the client's previous one when it
 * continues it. */
static bool write_search(struct vb_analytics *a, const struct record *r)
{
    struct typing *t = &a->typing[r->client % CLIENTS];
    size_t previous = strlen(t->query);
    bool continues = !r->suggest && t->client == r->client &&
                     r->time_us - t->time_us < TYPING_SECONDS * 1000000LL &&
                     previous > 0 &&
                     strncmp(r->query, t->query, previous) == 0 &&
                     strcmp(r->tenant, t->tenant) == 0;
    sqlite3_stmt *stmt =
        statement(a, continues ? UPDATE_SEARCH : INSERT_SEARCH);
    if (!stmt)
        return false;
    sqlite3_bind_int64(stmt, 1, r->time_us);
    bind_text(stmt, 2, r->suggest ? NULL : r->query);
    bind_text(stmt, 3, r->lang);
    bind_text(stmt, 7, r->tenant);
    sqlite3_bind_int64(stmt, 4, (sqlite3_int64)r->hits);
    sqlite3_bind_int64(stmt, 5, (sqlite3_int64)r->took_us);
    if (continues)
        sqlite3_bind_int64(stmt, 6, t->rowid);
    else
        sqlite3_bind_text(stmt, 6, r->suggest ? "suggest" : "search", -1,
                          SQLITE_STATIC);
    bool ok = run(stmt);
    if (ok && !r->suggest) {
        if (!continues) {
            t->client = r->client;
            t->rowid = sqlite3_last_insert_rowid(a->db);
        }
        t->time_us = r->time_us;
        snprintf(t->query, sizeof t->query, "%s", r->query);
        snprintf(t->tenant, sizeof t->tenant, "%s", r->tenant);
    }
    return ok;
}

static bool write_open(struct vb_analytics *a, const struct record *r)
{
    sqlite3_stmt *stmt = statement(a, INSERT_OPEN);
    if (!stmt)
        return false;
    sqlite3_bind_int64(stmt, 1, r->time_us);
    sqlite3_bind_text(stmt, 2, r->query, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, r->doc, -1, SQLITE_STATIC);
    bind_text(stmt, 4, r->tenant);
    return run(stmt);
}

static void purge(struct vb_analytics *a)
{
    static const char *const tables[] = {
        "DELETE FROM searches WHERE time < ?",
        "DELETE FROM opens WHERE time < ?",
        "DELETE FROM feedback WHERE state = 'resolved' AND resolved_time < ?"};
    for (size_t i = 0; i < 3; i++) {
        sqlite3_stmt *stmt = NULL;
        if (sqlite3_prepare_v2(a->db, tables[i], -1, &stmt, NULL) != SQLITE_OK)
            continue;
        sqlite3_bind_int64(stmt, 1, vb_store_now_us() - a->retention_us);
        sqlite3_step(stmt);
        sqlite3_finalize(stmt);
    }
}

static void *writer_main(void *arg)
{
    struct vb_analytics *a = arg;
    struct record *batch = malloc(RING * sizeof *batch);
    time_t next_purge = 0;
    pthread_mutex_lock(&a->lock);
    while (batch) {
        /* A record that has waited FLUSH_MS, FLUSH_COUNT of them, the
         * stop, or the next purge. */
        while (!a->stop && a->count < FLUSH_COUNT) {
            struct timespec deadline = {.tv_sec = next_purge}, now;
            if (a->count > 0) {
                struct timespec due = a->oldest;
                due.tv_nsec += FLUSH_MS * 1000000L;
                due.tv_sec += due.tv_nsec / 1000000000L;
                due.tv_nsec %= 1000000000L;
                if (due.tv_sec < deadline.tv_sec)
                    deadline = due;
            }
            clock_gettime(CLOCK_REALTIME, &now);
            if (now.tv_sec > deadline.tv_sec ||
                (now.tv_sec == deadline.tv_sec &&
                 now.tv_nsec >= deadline.tv_nsec))
                break;
            pthread_cond_timedwait(&a->wake, &a->lock, &deadline);
        }
        if (a->stop && a->count == 0)
            break;
        size_t n = 0;
        for (; a->count > 0; a->count--, n++) {
            batch[n] = a->ring[a->head];
            a->head = (a->head + 1) % RING;
        }
        pthread_mutex_unlock(&a->lock);

        pthread_mutex_lock(&a->db_lock);
        if (time(NULL) >= next_purge) {
            purge(a);
            next_purge = time(NULL) + PURGE_INTERVAL_SECONDS;
        }
        uint64_t written = 0;
        if (n > 0) {
            sqlite3_exec(a->db, "BEGIN", NULL, NULL, NULL);
            for (size_t i = 0; i < n; i++)
                written += batch[i].kind == RECORD_SEARCH
                               ? write_search(a, &batch[i])
                               : write_open(a, &batch[i]);
            if (sqlite3_exec(a->db, "COMMIT", NULL, NULL, NULL) !=
                SQLITE_OK) {
                sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
                written = 0;
            }
        }
        pthread_mutex_unlock(&a->db_lock);
        atomic_fetch_add(&a->written, written);
        atomic_fetch_add(&a->dropped, n - written);
        pthread_mutex_lock(&a->lock);
    }
    pthread_mutex_unlock(&a->lock);
    free(batch);
    return NULL;
}

/* ---- Life cycle ------------------------------------------------------------------- */

enum vb_status vb_analytics_open(const char *path, unsigned retention_days,
                                 struct vb_analytics **out,
                                 struct vb_error *err)
{
    *out = NULL;
    struct vb_analytics *a = calloc(1, sizeof *a);
    if (!a || !(a->path = strdup(path)) ||
        !(a->ring = malloc(RING * sizeof *a->ring))) {
        if (a)
            free(a->path);
        free(a);
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    }
    a->retention_us = (int64_t)retention_days * 86400 * 1000000;
    pthread_mutex_init(&a->lock, NULL);
    pthread_mutex_init(&a->db_lock, NULL);
    pthread_cond_init(&a->wake, NULL);
    enum vb_status st =
        vb_store_open("analytics database", path, schema_sql, false, &a->db,
                      err);
    /* The client a row is about (issue 21): added to older databases. */
    static const char *const tables[] = {"searches", "opens", "feedback"};
    for (size_t i = 0; st == VB_OK && i < 3; i++)
        st = vb_store_add_column(a->db, "analytics database", path, tables[i],
                                 "tenant TEXT", err);
    if (st == VB_OK) {
        a->thread_started =
            pthread_create(&a->thread, NULL, writer_main, a) == 0;
        if (!a->thread_started)
            st = vb_error_set(err, VB_ENOMEM,
                              "cannot start the analytics thread");
    }
    if (st != VB_OK) {
        vb_analytics_close(a);
        return st;
    }
    *out = a;
    return VB_OK;
}

void vb_analytics_close(struct vb_analytics *a)
{
    if (!a)
        return;
    if (a->thread_started) {
        pthread_mutex_lock(&a->lock);
        a->stop = true;
        pthread_cond_signal(&a->wake);
        pthread_mutex_unlock(&a->lock);
        pthread_join(a->thread, NULL);
    }
    for (size_t i = 0; i < sizeof a->statements / sizeof *a->statements; i++)
        sqlite3_finalize(a->statements[i]);
    sqlite3_close(a->db);
    pthread_mutex_destroy(&a->lock);
    pthread_mutex_destroy(&a->db_lock);
    pthread_cond_destroy(&a->wake);
    free(a->ring);
    free(a->path);
    free(a);
}

/* ---- Recording (request threads) ------------------------------------------------------ */

static void enqueue(struct vb_analytics *a, const struct record *r)
{
    pthread_mutex_lock(&a->lock);
    if (a->count == RING) {
        atomic_fetch_add(&a->dropped, 1);
    } else {
        if (a->count == 0)
            clock_gettime(CLOCK_REALTIME, &a->oldest);
        a->ring[(a->head + a->count) % RING] = *r;
        a->count++;
        /* The first record sets the writer's deadline; FLUSH_COUNT end
         * its wait at once.  No wake-up per search. */
        if (a->count == 1 || a->count == FLUSH_COUNT)
            pthread_cond_signal(&a->wake);
    }
    pthread_mutex_unlock(&a->lock);
}

void vb_analytics_search(struct vb_analytics *a, uint64_t client, bool suggest,
                         const char *query, size_t len, const char *lang,
                         const char *tenant, uint64_t hits, uint64_t took_us)
{
    if (!a)
        return;
    struct record r = {.kind = RECORD_SEARCH, .time_us = vb_store_now_us(),
                       .client = client, .suggest = suggest, .hits = hits,
                       .took_us = took_us};
    if (!suggest)
        vb_analytics_normalise(query, len, r.query, sizeof r.query);
    snprintf(r.lang, sizeof r.lang, "%s", lang ? lang : "");
    snprintf(r.tenant, sizeof r.tenant, "%s", tenant ? tenant : "");
    enqueue(a, &r);
}

void vb_analytics_opened(struct vb_analytics *a, const char *query, size_t len,
                         const char *doc, const char *tenant)
{
    if (!a)
        return;
    struct record r = {.kind = RECORD_OPEN, .time_us = vb_store_now_us()};
    vb_analytics_normalise(query, len, r.query, sizeof r.query);
    snprintf(r.doc, sizeof r.doc, "%s", doc);
    snprintf(r.tenant, sizeof r.tenant, "%s", tenant ? tenant : "");
    enqueue(a, &r);
}

void vb_analytics_counts(struct vb_analytics *a, uint64_t *written,
                         uint64_t *dropped)
{
    *written = a ? atomic_load(&a->written) : 0;
    *dropped = a ? atomic_load(&a->dropped) : 0;
}

/* ---- Reports (editors) ----------------------------------------------------------------- */

enum vb_status vb_analytics_report(struct vb_analytics *a,
                                   enum vb_analytics_kind kind,
                                   const char *tenant, int64_t from_us,
                                   int64_t to_us, uint32_t limit,
                                   vb_analytics_row_fn fn, void *ctx,
                                   struct vb_error *err)
{
    static const char *const sql[] = {
        [VB_ANALYTICS_ZERO_RESULTS] =
            "SELECT query, count(*), max(time) FROM searches WHERE mode = "
            "'search' AND query IS NOT NULL AND hits = 0 AND time BETWEEN ?1 "
            "AND ?2 AND (?4 IS NULL OR tenant = ?4) GROUP BY query ORDER BY "
            "count(*) DESC, max(time) DESC LIMIT ?3",
        [VB_ANALYTICS_TOP] =
            "SELECT query, count(*), max(time) FROM searches WHERE mode = "
            "'search' AND query IS NOT NULL AND time BETWEEN ?1 AND ?2 AND "
            "(?4 IS NULL OR tenant = ?4) GROUP BY query ORDER BY count(*) "
            "DESC, max(time) DESC LIMIT ?3",
        [VB_ANALYTICS_NO_OPEN] =
            "SELECT s.query, count(*), max(s.time) FROM searches s WHERE "
            "s.mode = 'search' AND s.query IS NOT NULL AND s.hits > 0 AND "
            "s.time BETWEEN ?1 AND ?2 AND (?4 IS NULL OR s.tenant = ?4) AND "
            "NOT EXISTS (SELECT 1 FROM opens o WHERE o.query = s.query AND "
            "o.time BETWEEN ?1 AND ?2 AND o.tenant IS s.tenant) GROUP BY "
            "s.query ORDER BY count(*) DESC, max(s.time) DESC LIMIT ?3",
    };
    pthread_mutex_lock(&a->db_lock);
    sqlite3_stmt *stmt = NULL;
    enum vb_status st = VB_OK;
    if (sqlite3_prepare_v2(a->db, sql[kind], -1, &stmt, NULL) != SQLITE_OK) {
        st = vb_store_error(a->db, "analytics database", a->path, "cannot read",
                            err);
        goto out;
    }
    sqlite3_bind_int64(stmt, 1, from_us);
    sqlite3_bind_int64(stmt, 2, to_us);
    sqlite3_bind_int64(stmt, 3, limit);
    bind_text(stmt, 4, tenant);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        if (fn(ctx, (const char *)sqlite3_column_text(stmt, 0),
               (uint64_t)sqlite3_column_int64(stmt, 1),
               sqlite3_column_int64(stmt, 2)) != 0)
            break;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        st = vb_store_error(a->db, "analytics database", a->path,
                            "cannot read", err);
out:
    sqlite3_finalize(stmt);
    pthread_mutex_unlock(&a->db_lock);
    return st;
}

/* ---- Feedback ---------------------------------------------------------------------------- */

enum vb_status vb_feedback_add(struct vb_analytics *a,
                               const struct vb_feedback *f, int64_t *id,
                               struct vb_error *err)
{
    pthread_mutex_lock(&a->db_lock);
    sqlite3_stmt *stmt = NULL;
    enum vb_status st = VB_OK;
    if (sqlite3_prepare_v2(a->db,
                           "INSERT INTO feedback (time, doc, reason, comment, "
                           "paragraph, token, tenant) VALUES (?, ?, ?, ?, ?, "
                           "?, ?)",
                           -1, &stmt, NULL) != SQLITE_OK) {
        st = vb_store_error(a->db, "analytics database", a->path,
                            "cannot write", err);
        goto out;
    }
    sqlite3_bind_int64(stmt, 1, vb_store_now_us());
    bind_text(stmt, 2, f->doc);
    bind_text(stmt, 3, f->reason);
    bind_text(stmt, 4, f->comment);
    if (f->paragraph >= 0)
        sqlite3_bind_int64(stmt, 5, f->paragraph);
    else
        sqlite3_bind_null(stmt, 5);
    bind_text(stmt, 6, f->token);
    bind_text(stmt, 7, f->tenant);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        st = vb_store_error(a->db, "analytics database", a->path,
                            "cannot write", err);
    else
        *id = sqlite3_last_insert_rowid(a->db);
out:
    sqlite3_finalize(stmt);
    pthread_mutex_unlock(&a->db_lock);
    return st;
}

enum vb_status vb_feedback_list(struct vb_analytics *a, const char *state,
                                const char *tenant, uint32_t limit,
                                vb_feedback_fn fn, void *ctx,
                                struct vb_error *err)
{
    pthread_mutex_lock(&a->db_lock);
    sqlite3_stmt *stmt = NULL;
    enum vb_status st = VB_OK;
    if (sqlite3_prepare_v2(
            a->db,
            "SELECT id, time, doc, reason, comment, paragraph, token, state, "
            "resolved_time, resolved_by, tenant FROM feedback WHERE (?1 IS "
            "NULL OR state = ?1) AND (?3 IS NULL OR tenant = ?3) ORDER BY "
            "time DESC, id DESC LIMIT ?2",
            -1, &stmt, NULL) != SQLITE_OK) {
        st = vb_store_error(a->db, "analytics database", a->path,
                            "cannot read", err);
        goto out;
    }
    bind_text(stmt, 1, state);
    sqlite3_bind_int64(stmt, 2, limit);
    bind_text(stmt, 3, tenant);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct vb_feedback f = {
            .id = sqlite3_column_int64(stmt, 0),
            .time_us = sqlite3_column_int64(stmt, 1),
            .doc = (const char *)sqlite3_column_text(stmt, 2),
            .reason = (const char *)sqlite3_column_text(stmt, 3),
            .comment = (const char *)sqlite3_column_text(stmt, 4),
            .paragraph = sqlite3_column_type(stmt, 5) == SQLITE_NULL
                             ? -1
                             : sqlite3_column_int64(stmt, 5),
            .token = (const char *)sqlite3_column_text(stmt, 6),
            .tenant = (const char *)sqlite3_column_text(stmt, 10),
            .state = (const char *)sqlite3_column_text(stmt, 7),
            .resolved_us = sqlite3_column_int64(stmt, 8),
            .resolved_by = (const char *)sqlite3_column_text(stmt, 9),
        };
        if (fn(ctx, &f) != 0)
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        st = vb_store_error(a->db, "analytics database", a->path,
                            "cannot read", err);
out:
    sqlite3_finalize(stmt);
    pthread_mutex_unlock(&a->db_lock);
    return st;
}

enum vb_status vb_feedback_resolve(struct vb_analytics *a, int64_t id,
                                   const char *tenant, const char *by,
                                   struct vb_error *err)
{
    pthread_mutex_lock(&a->db_lock);
    sqlite3_stmt *stmt = NULL;
    enum vb_status st = VB_OK;
    if (sqlite3_prepare_v2(a->db,
                           "UPDATE feedback SET state = 'resolved', "
                           "resolved_time = ?1, resolved_by = ?2 WHERE id = "
                           "?3 AND state = 'open' AND (?4 IS NULL OR tenant = "
                           "?4)",
                           -1, &stmt, NULL) != SQLITE_OK) {
        st = vb_store_error(a->db, "analytics database", a->path,
                            "cannot write", err);
        goto out;
    }
    sqlite3_bind_int64(stmt, 1, vb_store_now_us());
    bind_text(stmt, 2, by);
    sqlite3_bind_int64(stmt, 3, id);
    bind_text(stmt, 4, tenant);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        st = vb_store_error(a->db, "analytics database", a->path,
                            "cannot write", err);
    else if (sqlite3_changes(a->db) == 0)
        st = vb_error_set(err, VB_ENOTFOUND,
                          "no open feedback with number %lld",
                          (long long)id);
out:
    sqlite3_finalize(stmt);
    pthread_mutex_unlock(&a->db_lock);
    return st;
}
