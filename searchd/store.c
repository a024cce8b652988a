/* store.c — the daemon's own SQLite files (the audit log; analytics and
 * feedback), opened one way: created mode 0600 when missing (they hold
 * personal data), WAL, a busy timeout, their schema. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "searchd_int.h"

enum vb_status vb_store_error(sqlite3 *db, const char *what, const char *path,
                              const char *action, struct vb_error *err)
{
    return vb_error_set(err, VB_EIO, "%s %s: %s: %s", what, path, action,
                        db ? sqlite3_errmsg(db) : "out of memory");
}

enum vb_status vb_store_open(const char *what, const char *path,
                             const char *schema, bool full_sync,
                             sqlite3 **out, struct vb_error *err)
{
    *out = NULL;
    /* Created here, not by SQLite, to get mode 0600; the -wal and -shm
     * files take the database's mode. */
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return vb_error_set(err, VB_EIO, "%s %s: %s", what, path,
                            strerror(errno));
    close(fd);
    sqlite3 *db = NULL;
    enum vb_status st = VB_OK;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        st = vb_store_error(db, what, path, "cannot open", err);
        goto out;
    }
    sqlite3_busy_timeout(db, 5000);
    char *message = NULL;
    if (sqlite3_exec(db,
                     full_sync ? "PRAGMA journal_mode=WAL; "
                                 "PRAGMA synchronous=FULL;"
                               : "PRAGMA journal_mode=WAL; "
                                 "PRAGMA synchronous=NORMAL;",
                     NULL, NULL, &message) != SQLITE_OK ||
        sqlite3_exec(db, schema, NULL, NULL, &message) != SQLITE_OK) {
        st = vb_error_set(err, VB_EIO, "%s %s: %s", what, path,
                          message ? message : sqlite3_errmsg(db));
        sqlite3_free(message);
    }
out:
    if (st != VB_OK)
        sqlite3_close(db);
    else
        *out = db;
    return st;
}

enum vb_status vb_store_add_column(sqlite3 *db, const char *what,
                                   const char *path, const char *table,
                                   const char *column, struct vb_error *err)
{
    char sql[256];
    snprintf(sql, sizeof sql, "ALTER TABLE %s ADD COLUMN %s", table, column);
    char *message = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &message);
    bool there = rc != SQLITE_OK && message &&
                 strstr(message, "duplicate column name") != NULL;
    sqlite3_free(message);
    if (rc == SQLITE_OK || there)
        return VB_OK;
    return vb_store_error(db, what, path, "cannot add a column to", err);
}

int64_t vb_store_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
