/* indexer.c — one synchronising run of the indexer (see vb_indexer.h):
 * the index opened, the sources collected, their documents read and
 * stored, what is gone removed, one revision committed. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "indexer_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ==== Removing what is gone ============================================= */

static bool keep_unseen(struct run *r, const struct entry *e)
{
    /* Written over HTTP (source "api"): no directory sync removes it. */
    if (e->indexed_path && e->indexed_path[0] != '/')
        return true;
    if (!e->indexed_path || !ix_covered(r, e->indexed_path))
        return !r->opt->full; /* from somewhere this run did not look;
                                 --full removes what it did not read */
    struct map_slot *s =
        ix_map_find(&r->file_by_abs, e->indexed_path, strlen(e->indexed_path));
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
    ix_pipeline_stop(r);
    ix_shards_discard(r);
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
    ix_map_free(&r->file_by_abs);
    ix_map_free(&r->visited);
    for (size_t i = 0; i < r->entry_count; i++)
        free(r->entries[i].id);
    free(r->entries);
    ix_map_free(&r->entry_by_id);
    ix_fingerprint_free(&r->entry_by_fingerprint);
    ix_map_free(&r->erased);
    free(r->erased_list);
    for (size_t i = 0; i < r->path_count; i++)
        free(r->paths[i]);
    free(r->paths);
    ix_map_free(&r->path_by_text);
}

/* Creates the directories above the index directory (mkdir -p), so that
 * the default ./data/index works on a fresh checkout. */
static enum vb_status make_parents(struct run *r, const char *dir)
{
    char *path = strdup(dir);
    if (!path)
        return ix_out_of_memory(r);
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

/* Whether a file of this name belongs to a Xapian index. */
static bool xapian_file(const char *name)
{
    size_t len = strlen(name);
    return strcmp(name, "flintlock") == 0 || strcmp(name, "iamglass") == 0 ||
           (len > 6 && strcmp(name + len - 6, ".glass") == 0) ||
           (len > 4 && strcmp(name + len - 4, ".tmp") == 0);
}

enum vb_status ix_index_files(struct run *r, const char *dir, bool remove_them,
                              bool *ok)
{
    *ok = true;
    DIR *d = opendir(dir);
    if (!d)
        return vb_error_set(r->err, VB_EIO, "cannot read %s: %s", dir,
                            strerror(errno));
    enum vb_status st = VB_OK;
    struct dirent *de;
    while (st == VB_OK && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (!xapian_file(de->d_name)) {
            *ok = false;
            continue;
        }
        if (!remove_them)
            continue;
        char *path = ix_join(dir, de->d_name);
        if (!path)
            st = ix_out_of_memory(r);
        else if (unlink(path) != 0)
            st = vb_error_set(r->err, VB_EIO, "cannot remove %s: %s", path,
                              strerror(errno));
        free(path);
    }
    closedir(d);
    return st;
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
        char *path = ix_join(dir, de->d_name);
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
enum vb_status ix_open_writer_waiting(const char *dir, bool create,
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

/* Whether a process holds the write lock of the index in `dir` (Xapian
 * locks its flintlock file). */
static bool lock_held(const char *dir)
{
    char *path = ix_join(dir, "flintlock");
    int fd = path ? open(path, O_RDWR | O_CLOEXEC) : -1;
    free(path);
    if (fd < 0)
        return false;
    struct flock lock = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    bool held = fcntl(fd, F_GETLK, &lock) != 0 || lock.l_type != F_UNLCK;
    close(fd);
    return held;
}

/* An index whose creation was killed before Xapian wrote its version
 * file (iamglass, written last) holds tables nobody can open, and Xapian
 * takes them for an index: unless a writer is creating it right now,
 * they go, and the directory is new again. */
static enum vb_status clear_unfinished(struct run *r, const char *dir)
{
    char *version = ix_join(dir, "iamglass");
    if (!version)
        return ix_out_of_memory(r);
    struct stat st;
    bool unfinished = lstat(version, &st) != 0 && errno == ENOENT &&
                      stat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
                      !lock_held(dir);
    free(version);
    bool only_xapian = false;
    enum vb_status s =
        unfinished ? ix_index_files(r, dir, false, &only_xapian) : VB_OK;
    if (s == VB_OK && only_xapian)
        s = ix_index_files(r, dir, true, &only_xapian);
    return s;
}

static enum vb_status open_index(struct run *r)
{
    const char *dir = r->opt->index_dir;
    if (!r->opt->check_only) {
        enum vb_status cleared = clear_unfinished(r, dir);
        if (cleared != VB_OK)
            return cleared;
        r->fresh_index = dir_empty(dir, &r->made_index_dir);
        enum vb_status made = make_parents(r, dir);
        if (made != VB_OK)
            return made;
        /* Another writer: fail at once (Contract 2), the operator
         * decides when to run again. */
        enum vb_status st =
            ix_open_writer_waiting(dir, true, 0, &r->writer, r->err);
        if (st == VB_OK)
            r->reader = vb_xapian_writer_reader(r->writer);
        return st;
    }
    /* --check compares with the index when there is one, and writes
     * nothing. */
    enum vb_status st = vb_xapian_reader_open(dir, &r->reader, r->err);
    return st == VB_ENOTFOUND ? VB_OK : st;
}

/* The reference length of the index in opt->reference_from, for a run
 * whose index has none or the same. */
static enum vb_status reference_from(struct run *r)
{
    const char *dir = r->opt->reference_from;
    struct vb_xapian_reader *other = NULL;
    double length = 0;
    enum vb_status st = vb_xapian_reader_open(dir, &other, r->err);
    if (st == VB_OK)
        st = vb_schema_check(other, r->err);
    if (st == VB_OK)
        st = vb_schema_reference(other, &length, r->err);
    vb_xapian_reader_close(other);
    if (st == VB_ENOTFOUND)
        return vb_error_set(r->err, VB_EINVAL, "--reference-from %s: no index",
                            dir);
    if (st != VB_OK)
        return st;
    if (length == 0)
        return vb_error_set(r->err, VB_EINVAL,
                            "--reference-from %s: that index has no "
                            "reference length yet (it holds no document)",
                            dir);
    if (r->reference > 0 && r->reference != length)
        return vb_error_set(r->err, VB_EINVAL,
                            "index %s was built with reference length %.3f, "
                            "%s with %.3f: rebuild it with --full",
                            r->opt->index_dir, r->reference, dir, length);
    r->reference = length;
    return VB_OK;
}

enum vb_status vb_indexer_run(const struct vb_indexer_options *options,
                              struct vb_indexer_summary *summary,
                              struct vb_error *err)
{
    struct run r = {
        .opt = options, .sum = summary, .err = err, .status = VB_OK};
    *summary = (struct vb_indexer_summary){0};
    clock_gettime(CLOCK_MONOTONIC, &r.started);
    if (!options->index_dir || options->source_count == 0)
        return vb_error_set(err, VB_EINVAL, "no index directory or no source");

    enum vb_status st = ix_collect_sources(&r);
    if (st == VB_OK)
        st = vb_analysis_data_new(&r.analysis, err);
    if (st == VB_OK)
        st = open_index(&r);
    if (st == VB_OK && r.reader)
        st = ix_load_index(&r);
    if (st == VB_OK && options->reference_from)
        st = reference_from(&r);
    if (st == VB_OK)
        st = ix_shards_begin(&r);
    if (st == VB_OK)
        st = ix_pipeline_start(&r);
    if (st == VB_OK)
        st = ix_read_files(&r);
    if (st == VB_OK)
        st = remove_unseen(&r);
    bool changed = summary->added || summary->updated || summary->removed ||
                   summary->restamped;
    if (st == VB_OK && r.shard_count > 0 && changed) {
        ix_pipeline_stop(&r); /* every shard written */
        st = ix_shards_publish(&r);
    } else if (st == VB_OK && r.writer && changed) {
        st = vb_schema_init(r.writer, r.reference, err);
        if (st == VB_OK)
            st = vb_xapian_commit(r.writer, err);
    }
    if (st != VB_OK && r.status == VB_OK)
        r.status = st;
    summary->seconds = ix_elapsed(&r);
    bool remove = r.status != VB_OK && r.writer && r.fresh_index;
    run_cleanup(&r); /* closes the writer */
    if (remove)
        remove_fresh_index(&r);
    return r.status;
}
