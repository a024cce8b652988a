/* sources.c — the run's sources walked into the list of files to read:
 * directories in name order, each file and directory once (by device and
 * inode), the nearest .tenant of each directory, bounded depth. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "indexer_int.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define DIR_DEPTH_MAX 64

/* What walk() passes down: the tenant the directories above say. */
struct dir_tenant {
    const char *tenant; /* interned, or NULL */
    bool bad;
};

bool vb_indexer_wanted_name(const char *name)
{
    if (name[0] == '.' || strcasecmp(name, "README.md") == 0)
        return false;
    const char *dot = strrchr(name, '.');
    return dot &&
           (strcasecmp(dot, ".md") == 0 || strcasecmp(dot, ".jsonl") == 0);
}

char *ix_join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    bool slash = a > 0 && dir[a - 1] == '/';
    char *p = malloc(a + b + 2);
    if (p)
        snprintf(p, a + b + 2, "%s%s%s", dir, slash ? "" : "/", name);
    return p;
}

static enum vb_status add_file(struct run *r, const char *display,
                               const char *abs, struct dir_tenant t)
{
    if (ix_map_find(&r->file_by_abs, abs, strlen(abs)))
        return VB_OK; /* named twice (a file inside a source directory) */
    if (!ix_grow((void **)&r->files, &r->file_cap, r->file_count,
                 sizeof *r->files))
        return ix_out_of_memory(r);
    struct file *f = &r->files[r->file_count];
    f->display = strdup(display);
    f->abs = strdup(abs);
    f->problem = false;
    f->tenant = t.tenant;
    f->tenant_bad = t.bad;
    if (!f->display || !f->abs ||
        !ix_map_insert(&r->file_by_abs, f->abs, strlen(f->abs),
                       r->file_count)) {
        free(f->display);
        free(f->abs);
        return ix_out_of_memory(r);
    }
    r->file_count++;
    return VB_OK;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* True the first time a directory or file (by device and inode) is seen
 * in this run: symbolic links may lead to one place twice, or in a loop. */
static bool first_visit(struct run *r, const struct stat *sb)
{
    char key[48];
    int n =
        snprintf(key, sizeof key, "%llu:%llu", (unsigned long long)sb->st_dev,
                 (unsigned long long)sb->st_ino);
    if (ix_map_find(&r->visited, key, (size_t)n))
        return false;
    const char *copy = ix_intern(r, key, (size_t)n);
    if (!copy || !ix_map_insert(&r->visited, copy, (size_t)n, 0))
        ix_out_of_memory(r);
    return true;
}

/* Whether the real path of `abs` (a symbolic link) lies under `root`
 * (the source directory given, itself a real path). */
static bool inside(const char *abs, const char *root)
{
    char *real = realpath(abs, NULL);
    size_t n = strlen(root);
    bool in = real && strncmp(real, root, n) == 0 &&
              (real[n] == '/' || real[n] == '\0');
    free(real);
    return in;
}

/* Walks directory `abs` of source directory `root`.  Symbolic links are
 * followed only when they lead to a place under `root`: a corpus is what
 * its editors put in it, not /etc/passwd through a link. */
/* The directory's .tenant (VB_INDEXER_TENANT_FILE), when it has one: the
 * tenant of every file under it that does not name its own. */
static struct dir_tenant dir_tenant(struct run *r, const char *display,
                                    const char *abs, struct dir_tenant above)
{
    char *path = ix_join(abs, VB_INDEXER_TENANT_FILE);
    FILE *f = path ? fopen(path, "r") : NULL;
    free(path);
    if (!f)
        return above;
    char line[VB_DOC_TENANT_MAX + 8] = "";
    bool got = fgets(line, sizeof line, f) != NULL;
    int more = fgetc(f);
    fclose(f);
    size_t n = strcspn(line, "\r\n");
    while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
    line[n] = '\0';
    bool rest_blank = more == EOF || more == '\n' || more == '\r';
    if (!got || !rest_blank || !vb_document_tenant_ok(line, n)) {
        ix_report(r,
                  "%s/%s:1: a tenant name (" VB_DOC_TENANT_RULE
                  ") on one line; the "
                  "files under %s are not read until it is",
                  display, VB_INDEXER_TENANT_FILE, display);
        return (struct dir_tenant){NULL, true};
    }
    const char *t = ix_intern(r, line, n);
    if (!t)
        ix_out_of_memory(r);
    return (struct dir_tenant){t, false};
}

static enum vb_status walk(struct run *r, const char *display, const char *abs,
                           const char *root, int depth, struct dir_tenant t)
{
    if (depth > DIR_DEPTH_MAX) {
        ix_report(r,
                  "%s: directories nested deeper than %d levels are not read",
                  display, DIR_DEPTH_MAX);
        return VB_OK;
    }
    t = dir_tenant(r, display, abs, t);
    DIR *dir = opendir(abs);
    if (!dir) {
        ix_report(r, "%s: cannot read directory: %s", display, strerror(errno));
        r->sum->rejected++;
        return VB_OK;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    enum vb_status st = VB_OK;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (!ix_grow((void **)&names, &cap, count, sizeof *names) ||
            !(names[count] = strdup(de->d_name))) {
            st = ix_out_of_memory(r);
            break;
        }
        count++;
    }
    closedir(dir);
    if (count > 1)
        qsort(names, count, sizeof *names, compare_names);
    for (size_t i = 0; i < count && st == VB_OK; i++) {
        char *d = ix_join(display, names[i]), *a = ix_join(abs, names[i]);
        struct stat sb;
        if (!d || !a)
            st = ix_out_of_memory(r);
        else if (lstat(a, &sb) != 0)
            ; /* vanished: nothing to read */
        else if (S_ISLNK(sb.st_mode) && !inside(a, root))
            ix_report(r,
                      "%s: note: a symbolic link to a place outside %s; not "
                      "followed",
                      d, root);
        else if (stat(a, &sb) != 0)
            ; /* a dangling link */
        else if (S_ISDIR(sb.st_mode) && first_visit(r, &sb))
            st = walk(r, d, a, root, depth + 1, t);
        else if (S_ISREG(sb.st_mode) && vb_indexer_wanted_name(names[i]) &&
                 first_visit(r, &sb))
            st = add_file(r, d, a, t);
        free(d);
        free(a);
    }
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    return st;
}

enum vb_status ix_collect_sources(struct run *r)
{
    const struct vb_indexer_options *o = r->opt;
    r->sources = calloc(o->source_count, sizeof *r->sources);
    if (!r->sources)
        return ix_out_of_memory(r);
    for (size_t i = 0; i < o->source_count; i++) {
        struct stat sb;
        char *abs = realpath(o->sources[i], NULL);
        if (!abs || stat(abs, &sb) != 0) {
            free(abs);
            return vb_error_set(r->err, VB_ENOTFOUND, "%s: %s", o->sources[i],
                                strerror(errno));
        }
        r->sources[r->source_count++] =
            (struct source){abs, S_ISDIR(sb.st_mode), false};
        if (!first_visit(r, &sb))
            r->sources[r->source_count - 1].repeated = true;
        if (!S_ISDIR(sb.st_mode) && !S_ISREG(sb.st_mode))
            return vb_error_set(r->err, VB_EINVAL,
                                "%s: not a file or directory", o->sources[i]);
    }
    for (size_t i = 0; i < r->source_count; i++) {
        if (r->sources[i].repeated)
            continue;
        /* A file named alone gets the .tenant of its own directory. */
        struct dir_tenant none = {NULL, false};
        enum vb_status st;
        if (r->sources[i].is_dir) {
            st = walk(r, o->sources[i], r->sources[i].abs, r->sources[i].abs, 0,
                      none);
        } else {
            char *dir = strdup(r->sources[i].abs),
                 *shown = strdup(o->sources[i]);
            if (!dir || !shown) {
                free(dir);
                free(shown);
                return ix_out_of_memory(r);
            }
            char *slash = strrchr(dir, '/'), *shown_slash = strrchr(shown, '/');
            if (slash)
                *slash = '\0';
            if (shown_slash)
                *shown_slash = '\0';
            st = add_file(r, o->sources[i], r->sources[i].abs,
                          dir_tenant(r, shown_slash ? shown : ".",
                                     dir[0] ? dir : "/", none));
            free(dir);
            free(shown);
        }
        if (st != VB_OK)
            return st;
    }
    return VB_OK;
}
