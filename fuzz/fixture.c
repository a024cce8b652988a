/* fixture.c — the sample corpus's index, built once per fuzzing process
 * in $TMPDIR (default /tmp) and removed at exit. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "fuzz.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vb_indexer.h"

static char dir[4096];
static char index_dir[sizeof dir + 8];

_Noreturn void vb_fuzz_fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz: %s: %s\n", what, detail ? detail : "");
    abort();
}

static int remove_one(const char *path, const struct stat *st, int type,
                      struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    if (remove(path) != 0)
        fprintf(stderr, "fuzz: could not remove %s\n", path);
    return 0;
}

static void remove_fixture(void)
{
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *vb_fuzz_fixture_index(void)
{
    if (index_dir[0])
        return index_dir;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/vb-fuzz-XXXXXX",
             tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(dir))
        vb_fuzz_fail("mkdtemp", dir);
    atexit(remove_fixture);
    snprintf(index_dir, sizeof index_dir, "%s/index", dir);
    const char *sources[] = {VB_FUZZ_CORPUS};
    struct vb_indexer_options o = {
        .index_dir = index_dir, .sources = sources, .source_count = 1};
    struct vb_indexer_summary summary;
    struct vb_error err = {0};
    if (vb_indexer_run(&o, &summary, &err) != VB_OK)
        vb_fuzz_fail("indexing the sample corpus", err.msg);
    return index_dir;
}
