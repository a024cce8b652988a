#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *vb_test_data_path(const char *relative)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", VB_SHARED_DATA, relative);
    return path;
}

void vb_test_require_data(const char *relative)
{
    struct stat st;
    const char *path = vb_test_data_path(relative);
    if (stat(path, &st) == 0)
        return;
    const char *ci = getenv("CI");
    if (ci && strcmp(ci, "true") == 0) {
        fprintf(stderr, "test data missing under CI: %s\n", path);
        exit(1);
    }
    fprintf(stderr, "SKIP: test data not found: %s\n", path);
    exit(VB_TEST_SKIP);
}

char *vb_test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    char *buf = NULL;
    size_t cap = 0, used = 0;
    for (;;) {
        if (used + 65536 + 1 > cap) {
            cap = cap ? cap * 2 : 1 << 20;
            char *grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = grown;
        }
        size_t n = fread(buf + used, 1, cap - used - 1, f);
        used += n;
        if (n == 0)
            break;
    }
    fclose(f);
    buf[used] = '\0';
    if (len)
        *len = used;
    return buf;
}

int vb_test_run(Suite *suite)
{
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

void vb_test_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    DIR *dir = opendir(path);
    if (dir) {
        struct dirent *entry;
        while ((entry = readdir(dir)) != NULL) {
            if (strcmp(entry->d_name, ".") == 0 ||
                strcmp(entry->d_name, "..") == 0)
                continue;
            char child[4096];
            snprintf(child, sizeof child, "%s/%s", path, entry->d_name);
            vb_test_remove_tree(child);
        }
        closedir(dir);
    }
    rmdir(path);
}
