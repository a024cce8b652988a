/* watch.c — vraagbaak-indexer --watch: after the first sync, follows the
 * sources with inotify and syncs again after each burst of changes.
 *
 * Every sync is the indexer's ordinary incremental run over all sources
 * (unchanged documents are skipped by their content hash: 0.03 s for the
 * 1,626 documents of the sample corpus), so every way an editor saves a
 * file comes out right without telling them apart: written in place
 * (VS Code), a new file renamed over the old one (emacs, VS Code's atomic
 * save), the old one moved to a backup first (vim), a rename, a delete.
 * Only names the indexer reads (vb_indexer_wanted_name) and directories
 * start a sync: swap files, backups and lock files do not.
 *
 * A burst ends after QUIET_MS without an event, or BURST_MAX_MS after it
 * began, whichever comes first.  A source that is gone (a directory moved
 * away) fails the sync and is looked for every MISSING_POLL_MS; nothing
 * is removed meanwhile, and it is synced when it is back.  The index
 * held by another writer (searchd's PUT) is retried every BUSY_RETRY_MS. */
#define _GNU_SOURCE
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define QUIET_MS 150
#define BURST_MAX_MS 700
#define MISSING_POLL_MS 500
#define BUSY_RETRY_MS 200

#define WATCH_MASK                                                            \
    (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE |   \
     IN_DELETE_SELF | IN_MOVE_SELF)

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Watches directory `path` and every directory under it (not hidden
 * ones, not through symbolic links: the indexer's walk follows only
 * links inside the source, and a change there is a change here too).
 * Adding a watch twice is harmless: inotify returns the same one. */
static void watch_tree(int fd, const char *path, int depth)
{
    if (depth > 64 || inotify_add_watch(fd, path, WATCH_MASK | IN_ONLYDIR) < 0)
        return;
    DIR *d = opendir(path);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char child[PATH_MAX];
        if (snprintf(child, sizeof child, "%s/%s", path, e->d_name) >=
            (int)sizeof child)
            continue;
        struct stat sb;
        if (lstat(child, &sb) == 0 && S_ISDIR(sb.st_mode))
            watch_tree(fd, child, depth + 1);
    }
    closedir(d);
}

/* (Re)watches every source: a directory and what is under it, a file's
 * own directory.  False when a source is missing. */
static bool watch_sources(int fd, const struct vb_indexer_options *opt)
{
    bool all = true;
    for (size_t i = 0; i < opt->source_count; i++) {
        const char *src = opt->sources[i];
        struct stat sb;
        if (stat(src, &sb) != 0) {
            all = false;
            continue;
        }
        if (S_ISDIR(sb.st_mode)) {
            watch_tree(fd, src, 0);
            continue;
        }
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s", src);
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        inotify_add_watch(fd, slash ? (dir[0] ? dir : "/") : ".",
                          WATCH_MASK | IN_ONLYDIR);
    }
    return all;
}

/* Reads the pending events; true when one of them matters. */
static bool drain_events(int fd)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool matters = false;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0)
            return matters; /* EAGAIN: nothing more */
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            p += sizeof *ev + ev->len;
            if (ev->mask & (IN_Q_OVERFLOW | IN_DELETE_SELF | IN_MOVE_SELF |
                            IN_IGNORED))
                matters = true; /* lost events, or a watched place gone */
            else if (ev->len > 0 && (ev->mask & IN_ISDIR))
                matters = matters || ev->name[0] != '.';
            else if (ev->len > 0)
                matters = matters || vb_indexer_wanted_name(ev->name) ||
                          strcmp(ev->name, VB_INDEXER_TENANT_FILE) == 0;
        }
    }
}

/* The previous sync's report lines: a line is printed again only when
 * the sync before did not print it, so a file that stays wrong is said
 * once, not at every save of another file. */
struct said {
    char **lines;
    size_t count, cap;
};

static void said_clear(struct said *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->lines[i]);
    s->count = 0;
}

static bool said_has(const struct said *s, const char *line)
{
    for (size_t i = 0; i < s->count; i++)
        if (strcmp(s->lines[i], line) == 0)
            return true;
    return false;
}

static void said_add(struct said *s, const char *line)
{
    if (s->count == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        char **p = realloc(s->lines, cap * sizeof *p);
        if (!p)
            return; /* then it is said again next time: no harm */
        s->lines = p;
        s->cap = cap;
    }
    char *copy = strdup(line);
    if (copy)
        s->lines[s->count++] = copy;
}

struct watch_state {
    struct said before, now;
    struct said changes; /* this sync's, printed once it is committed */
    char failure[sizeof ((struct vb_error *)0)->msg]; /* the last one said */
    const struct vb_indexer_options *base;
};

static void on_report(void *ctx, const char *line)
{
    struct watch_state *w = ctx;
    if (!said_has(&w->before, line))
        fprintf(stderr, "%s\n", line);
    said_add(&w->now, line);
}

static void on_change(void *ctx, const char *what, const char *id,
                      const char *place)
{
    struct watch_state *w = ctx;
    char line[PATH_MAX + 512];
    snprintf(line, sizeof line, "%s %s (%s)", what, id, place);
    said_add(&w->changes, line);
}

static void log_line(const char *text)
{
    char stamp[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    printf("%s %s\n", stamp, text);
    fflush(stdout);
}

/* One sync.  VB_OK, VB_EBUSY (try again soon), VB_ENOTFOUND (a source is
 * gone: wait for it), or another failure (said, then waited out). */
static enum vb_status sync_once(struct watch_state *w, bool *missing_said)
{
    struct vb_indexer_options opt = *w->base;
    opt.report = on_report;
    opt.progress = NULL;
    opt.changed = on_change;
    opt.ctx = w;
    said_clear(&w->now);
    said_clear(&w->changes);
    struct vb_indexer_summary sum;
    struct vb_error err = {0};
    enum vb_status st = vb_indexer_run(&opt, &sum, &err);
    if (st == VB_OK) {
        *missing_said = false;
        for (size_t i = 0; i < w->changes.count; i++)
            log_line(w->changes.lines[i]);
        /* What this sync said is what the next one need not repeat. */
        struct said t = w->before;
        w->before = w->now;
        w->now = t;
    } else if (st == VB_ENOTFOUND) {
        if (!*missing_said)
            fprintf(stderr,
                    "vraagbaak-indexer: %s; waiting for it to come back\n",
                    err.msg);
        *missing_said = true;
    } else if (st != VB_EBUSY && strcmp(err.msg, w->failure) != 0) {
        fprintf(stderr, "vraagbaak-indexer: %s\n", err.msg);
    }
    /* A failure is said once, not at every retry. */
    snprintf(w->failure, sizeof w->failure, "%s",
             st == VB_OK || st == VB_EBUSY ? "" : err.msg);
    return st;
}

int vb_watch_run(const struct vb_indexer_options *options)
{
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "vraagbaak-indexer: --watch: inotify: %s\n",
                strerror(errno));
        return 2;
    }
    struct sigaction sa = {0};
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    struct watch_state w = {.base = options};
    bool missing = !watch_sources(fd, options), missing_said = false;
    /* The first sync happened before: from now on, only bursts.  A
     * source missing at the start is waited for like one that goes. */
    bool dirty = missing;
    long long burst_start = 0, last_event = 0, retry_at = 0;
    log_line(options->check_only ? "watching (checking only)" : "watching");
    while (!stop_requested) {
        long long now = now_ms();
        int timeout = -1;
        if (dirty) {
            long long due = last_event + QUIET_MS;
            if (burst_start + BURST_MAX_MS < due)
                due = burst_start + BURST_MAX_MS;
            if (retry_at > due)
                due = retry_at;
            timeout = due > now ? (int)(due - now) : 0;
        }
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int ready = poll(&p, 1, timeout);
        if (ready < 0 && errno != EINTR)
            break;
        now = now_ms();
        if (ready > 0 && drain_events(fd)) {
            if (!dirty)
                burst_start = now;
            dirty = true;
            last_event = now;
            continue;
        }
        if (!dirty || now < retry_at)
            continue;
        if (now - last_event < QUIET_MS && now - burst_start < BURST_MAX_MS)
            continue;
        missing = !watch_sources(fd, options);
        enum vb_status st = missing ? VB_ENOTFOUND : VB_OK;
        if (!missing)
            st = sync_once(&w, &missing_said);
        else if (!missing_said) {
            fprintf(stderr, "vraagbaak-indexer: a source is gone; waiting "
                            "for it to come back\n");
            missing_said = true;
        }
        if (st == VB_OK) {
            dirty = false;
        } else {
            /* Busy, gone or failed: keep the burst open and try again. */
            retry_at = now + (st == VB_EBUSY ? BUSY_RETRY_MS : MISSING_POLL_MS);
            burst_start = last_event = retry_at;
        }
    }
    log_line("stopped");
    said_clear(&w.before);
    said_clear(&w.now);
    said_clear(&w.changes);
    free(w.before.lines);
    free(w.now.lines);
    free(w.changes.lines);
    close(fd);
    return 0;
}
