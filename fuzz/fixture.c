/* fixture.c — the sample corpus's index, built once per fuzzing process. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vb_indexer.h"

static char dir[] = "/tmp/vb-fuzz-XXXXXX";
static char index_dir[sizeof dir + 8];

_Noreturn void vb_fuzz_fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz: %s: %s\n", what, detail ? detail : "");
    abort();
}

static void remove_fixture(void)
{
    char command[sizeof dir + 16];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    if (system(command) != 0)
        fprintf(stderr, "fuzz: could not remove %s\n", dir);
}

const char *vb_fuzz_fixture_index(void)
{
    if (index_dir[0])
        return index_dir;
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
