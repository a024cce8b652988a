/* replay.c — main() for a fuzz target outside libFuzzer: feeds it every
 * file named on the command line, or every file of each directory named
 * (not recursively), once, and says how many. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* A target without an initialiser gets this one. */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    char *data = NULL;
    size_t size = 0, cap = 0;
    for (;;) {
        if (size == cap) {
            cap = cap ? cap * 2 : 4096;
            char *p = realloc(data, cap);
            if (!p) {
                fclose(f);
                free(data);
                fprintf(stderr, "%s: out of memory\n", path);
                return 1;
            }
            data = p;
        }
        size_t n = fread(data + size, 1, cap - size, f);
        size += n;
        if (n == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(data);
        fprintf(stderr, "%s: read error\n", path);
        return 1;
    }
    /* An exact-size copy, so that a read past the end is seen. */
    uint8_t *exact = malloc(size ? size : 1);
    if (!exact) {
        free(data);
        return 1;
    }
    memcpy(exact, data, size);
    free(data);
    LLVMFuzzerTestOneInput(exact, size);
    free(exact);
    return 0;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    LLVMFuzzerInitialize(&argc, &argv);
    size_t inputs = 0;
    int failed = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            return 1;
        }
        if (!S_ISDIR(st.st_mode)) {
            failed |= replay_file(argv[i]);
            inputs++;
            continue;
        }
        /* In name order, so that a failure is the same one every run. */
        struct dirent **names = NULL;
        int n = scandir(argv[i], &names, NULL, NULL);
        if (n < 0) {
            perror(argv[i]);
            return 1;
        }
        char **paths = calloc((size_t)n + 1, sizeof *paths);
        size_t count = 0;
        for (int k = 0; k < n; k++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], names[k]->d_name);
            if (paths && stat(path, &st) == 0 && S_ISREG(st.st_mode))
                paths[count++] = strdup(path);
            free(names[k]);
        }
        free(names);
        if (!paths)
            return 1;
        qsort(paths, count, sizeof *paths, cmp);
        for (size_t k = 0; k < count; k++) {
            if (!paths[k])
                return 1;
            failed |= replay_file(paths[k]);
            inputs++;
            free(paths[k]);
        }
        free(paths);
    }
    printf("%s: %zu inputs replayed\n", argv[0], inputs);
    if (inputs == 0) {
        fprintf(stderr, "%s: no inputs\n", argv[0]);
        return 1;
    }
    return failed;
}
