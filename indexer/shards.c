/* shards.c — a new index written in parallel.
 *
 * Xapian has one writer per database, and on a new index that writer is
 * the indexer's wall: its in-memory inversion of every posting takes four
 * fifths of the run, on one core, while analysis needs a fraction of
 * another.  So an index that holds nothing yet is written as one shard
 * per job (vb_indexer_options.jobs, default one per core) in DIR.build
 * beside it, each by its own worker, which analyses and stores the
 * documents dealt to it (in blocks of SHARD_BLOCK read in a row, block k
 * to shard k mod shards: the same sources give the same index, whichever
 * worker is faster).  Once every document is stored, Xapian's compaction
 * merges the shards into DIR.build/index (every table written once, in
 * full blocks: a smaller index than one writer leaves), the schema is
 * written into it, and it takes the empty index's place with one exchange
 * of the two directories.
 *
 * Until then the index directory holds the empty index it held before,
 * and the run holds its write lock throughout: a run killed at any moment
 * leaves an empty index (as a single writer's uncommitted run does), and
 * the next run removes what is left in DIR.build. */
#define _GNU_SOURCE /* nftw, renameat2 */
#include "indexer_int.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* DIR.build for the index directory DIR (trailing slashes ignored). */
static char *build_dir_of(const char *index_dir)
{
    size_t len = strlen(index_dir);
    while (len > 1 && index_dir[len - 1] == '/')
        len--;
    char *dir = malloc(len + sizeof ".build");
    if (!dir)
        return NULL;
    memcpy(dir, index_dir, len);
    memcpy(dir + len, ".build", sizeof ".build");
    return dir;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* Removes `dir` and everything under it (symbolic links not followed). */
static void remove_tree(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void ix_shards_discard(struct run *r)
{
    for (size_t i = 0; i < r->shard_count; i++)
        vb_xapian_writer_close(r->shards[i]); /* discards what is pending */
    r->shard_count = 0;
    if (r->build_dir)
        remove_tree(r->build_dir);
    free(r->build_dir);
    r->build_dir = NULL;
}

/* DIR.build/shard-i, malloc'd; NULL when out of memory. */
static char *shard_path(const struct run *r, size_t i)
{
    char name[32];
    snprintf(name, sizeof name, "shard-%zu", i);
    return ix_join(r->build_dir, name);
}

/* The shards' number: the jobs asked for (default one per core), at most
 * WORKERS_MAX. */
static size_t shards_wanted(const struct run *r)
{
    int jobs = ix_jobs(r);
    return jobs > WORKERS_MAX ? WORKERS_MAX : (size_t)jobs;
}

/* Whether the index directory can be replaced by a directory made beside
 * it with one rename: a directory itself (not a link to one), holding only
 * the empty index's files, on the file system of `build`. */
static enum vb_status replaceable(struct run *r, const char *build, bool *ok)
{
    struct stat index_st, build_st;
    *ok = lstat(r->opt->index_dir, &index_st) == 0 &&
          S_ISDIR(index_st.st_mode) && stat(build, &build_st) == 0 &&
          index_st.st_dev == build_st.st_dev;
    return *ok ? ix_index_files(r, r->opt->index_dir, false, ok) : VB_OK;
}

enum vb_status ix_shards_begin(struct run *r)
{
    if (!r->writer || r->opt->check_only)
        return VB_OK;
    char *dir = build_dir_of(r->opt->index_dir);
    if (!dir)
        return ix_out_of_memory(r);
    /* Left by a killed run: this run holds the index's lock, so no other
     * is building it. */
    remove_tree(dir);
    uint32_t docs = 0;
    enum vb_status st = vb_xapian_doc_count(r->reader, &docs, r->err);
    size_t n = shards_wanted(r);
    /* Only a new index: documents to replace, or erased customers to
     * remember, need the one writer. */
    if (st != VB_OK || docs > 0 || n < 2 ||
        (r->erased_list && r->erased_list[0])) {
        free(dir);
        return st;
    }
    if (mkdir(dir, 0777) != 0) {
        st = vb_error_set(r->err, VB_EIO, "cannot create %s: %s", dir,
                          strerror(errno));
        free(dir);
        return st;
    }
    r->build_dir = dir;
    bool ok = false;
    st = replaceable(r, dir, &ok);
    for (size_t i = 0; st == VB_OK && ok && i < n; i++) {
        char *path = shard_path(r, i);
        st = path ? vb_xapian_writer_open(path, true, &r->shards[i], r->err)
                  : ix_out_of_memory(r);
        free(path);
        if (st == VB_OK)
            r->shard_count = i + 1;
    }
    if (st != VB_OK || !ok)
        ix_shards_discard(r); /* the one writer, then */
    return st;
}

/* Puts the merged index in the index directory's place, the run still
 * holding the empty index's lock: one exchange of the two directories,
 * or where the file system cannot exchange, the empty index's files
 * removed and the merged index renamed over the directory.  Either way a
 * reader finds the empty index or the merged one, and a writer waiting
 * for the lock finds the merged one. */
static enum vb_status swap_in(struct run *r, const char *merged)
{
    const char *dir = r->opt->index_dir;
    if (renameat2(AT_FDCWD, merged, AT_FDCWD, dir, RENAME_EXCHANGE) == 0)
        return VB_OK;
    if (errno != EINVAL && errno != ENOSYS)
        return vb_error_set(r->err, VB_EIO, "cannot move %s to %s: %s", merged,
                            dir, strerror(errno));
    bool ok = false;
    enum vb_status st = ix_index_files(r, dir, true, &ok);
    if (st == VB_OK && rename(merged, dir) != 0)
        st = vb_error_set(r->err, VB_EIO, "cannot move %s to %s: %s", merged,
                          dir, strerror(errno));
    return st;
}

enum vb_status ix_shards_publish(struct run *r)
{
    const char *paths[WORKERS_MAX];
    char *names[WORKERS_MAX] = {NULL};
    size_t n = r->shard_count;
    enum vb_status st = VB_OK;
    for (size_t i = 0; i < n; i++) {
        if (st == VB_OK)
            st = vb_xapian_commit(r->shards[i], r->err);
        vb_xapian_writer_close(r->shards[i]);
        r->shards[i] = NULL;
        names[i] = shard_path(r, i);
        paths[i] = names[i];
        if (!names[i] && st == VB_OK)
            st = ix_out_of_memory(r);
    }
    r->shard_count = 0;
    char *merged = ix_join(r->build_dir, "index");
    if (!merged && st == VB_OK)
        st = ix_out_of_memory(r);
    if (st == VB_OK)
        st = vb_xapian_compact(paths, n, merged, r->err);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    struct vb_xapian_writer *writer = NULL;
    if (st == VB_OK)
        st = vb_xapian_writer_open(merged, false, &writer, r->err);
    if (st == VB_OK)
        st = vb_schema_init(writer, r->reference, r->err);
    if (st == VB_OK)
        st = vb_xapian_commit(writer, r->err);
    vb_xapian_writer_close(writer);
    if (st == VB_OK)
        st = swap_in(r, merged);
    if (st == VB_OK) {
        /* The empty index (now in merged's place, or gone): closing its
         * writer, which kept other writers waiting until now, writes
         * nothing.  After a failure the run's cleanup closes it, and
         * removes the new index's directory as after any failed run. */
        vb_xapian_writer_close(r->writer);
        r->writer = NULL;
        r->reader = NULL; /* the writer's view */
    }
    free(merged);
    ix_shards_discard(r);
    return st;
}
