/* state.c — a run's state: its string-keyed maps (open addressing),
 * interned paths, document entries and report lines. */
#include "indexer_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h ^ (h >> 29);
}

struct map_slot *ix_map_find(struct map *m, const char *key, size_t len)
{
    if (!m->slots)
        return NULL;
    for (size_t i = hash_bytes(key, len) & m->mask;; i = (i + 1) & m->mask) {
        struct map_slot *s = &m->slots[i];
        if (!s->key)
            return NULL;
        if (s->len == len && memcmp(s->key, key, len) == 0)
            return s;
    }
}

/* Inserts key (which must not be present).  False when out of memory. */
bool ix_map_insert(struct map *m, const char *key, size_t len, size_t value)
{
    if ((m->used + 1) * 4 >= (m->mask + 1) * 3 || !m->slots) {
        size_t size = m->slots ? (m->mask + 1) * 2 : 1024;
        struct map_slot *slots = calloc(size, sizeof *slots);
        if (!slots)
            return false;
        for (size_t i = 0; m->slots && i <= m->mask; i++) {
            struct map_slot *s = &m->slots[i];
            if (!s->key)
                continue;
            size_t j = hash_bytes(s->key, s->len) & (size - 1);
            while (slots[j].key)
                j = (j + 1) & (size - 1);
            slots[j] = *s;
        }
        free(m->slots);
        m->slots = slots;
        m->mask = size - 1;
    }
    size_t i = hash_bytes(key, len) & m->mask;
    while (m->slots[i].key)
        i = (i + 1) & m->mask;
    m->slots[i] = (struct map_slot){key, len, value};
    m->used++;
    return true;
}

double ix_elapsed(const struct run *r)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - r->started.tv_sec) +
           (double)(now.tv_nsec - r->started.tv_nsec) / 1e9;
}

enum vb_status ix_out_of_memory(struct run *r)
{
    if (r->status == VB_OK)
        r->status = vb_error_set(r->err, VB_ENOMEM, "out of memory");
    return r->status;
}

bool ix_grow(void **items, size_t *cap, size_t count, size_t item_size)
{
    if (count < *cap)
        return true;
    size_t n = *cap ? *cap * 2 : 64;
    void *p = realloc(*items, n * item_size);
    if (!p)
        return false;
    *items = p;
    *cap = n;
    return true;
}

const char *ix_intern(struct run *r, const char *text, size_t len)
{
    struct map_slot *s = ix_map_find(&r->path_by_text, text, len);
    if (s)
        return r->paths[s->value];
    if (!ix_grow((void **)&r->paths, &r->path_cap, r->path_count,
                 sizeof *r->paths))
        return NULL;
    char *copy = strndup(text, len);
    if (!copy)
        return NULL;
    if (!ix_map_insert(&r->path_by_text, copy, len, r->path_count)) {
        free(copy);
        return NULL;
    }
    r->paths[r->path_count++] = copy;
    return copy;
}

struct entry *ix_entry_get(struct run *r, const char *id, size_t len,
                           bool create)
{
    struct map_slot *s = ix_map_find(&r->entry_by_id, id, len);
    if (s)
        return &r->entries[s->value];
    if (!create)
        return NULL;
    if (!ix_grow((void **)&r->entries, &r->entry_cap, r->entry_count,
                 sizeof *r->entries))
        return NULL;
    struct entry *e = &r->entries[r->entry_count];
    *e = (struct entry){0};
    e->id = strndup(id, len);
    if (!e->id || !ix_map_insert(&r->entry_by_id, e->id, len, r->entry_count)) {
        free(e->id);
        return NULL;
    }
    r->entry_count++;
    return e;
}

void ix_report(struct run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void ix_report(struct run *r, const char *fmt, ...)
{
    if (!r->opt->report)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    r->opt->report(r->opt->ctx, line);
}

/* Is `path` (absolute) a file source or under a directory source? */
bool ix_covered(const struct run *r, const char *path)
{
    for (size_t i = 0; i < r->source_count; i++) {
        const struct source *s = &r->sources[i];
        size_t n = strlen(s->abs);
        if (strncmp(path, s->abs, n) != 0)
            continue;
        if (path[n] == '\0' ||
            (s->is_dir && (path[n] == '/' || (n == 1 && s->abs[0] == '/'))))
            return true;
    }
    return false;
}
