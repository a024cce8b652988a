/* state.c — a run's state: its string-keyed maps (open addressing),
 * interned paths, document entries and report lines. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, madvise */
#include "indexer_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <xxhash.h>

/* Tables this large are mapped on their own, on huge pages where the
 * kernel gives them: a million documents' map probed at random otherwise
 * costs a page fault and a TLB miss per probe. */
#define TABLE_MAPPED (2u << 20)

/* Zeroed room for a table of `bytes`; NULL when out of memory. */
static void *table_alloc(size_t bytes)
{
    if (bytes < TABLE_MAPPED)
        return calloc(1, bytes);
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    madvise(p, bytes, MADV_HUGEPAGE); /* a hint: fine where refused */
    return p;
}

static void table_free(void *p, size_t bytes)
{
    if (p && bytes >= TABLE_MAPPED)
        munmap(p, bytes);
    else
        free(p);
}

/* The slot of key[0..len) with hash h: where it is, or the free slot
 * where it would go. */
static size_t probe(const struct map *m, const char *key, size_t len,
                    uint32_t h)
{
    size_t i = h & m->mask;
    for (;; i = (i + 1) & m->mask) {
        const struct map_slot *s = &m->slots[i];
        /* The hash first: a slot of another key costs no memcmp (nor the
         * cache miss of reading its key). */
        if (!s->key ||
            (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
            return i;
    }
}

static uint32_t hash_key(const char *key, size_t len)
{
    return (uint32_t)XXH3_64bits(key, len);
}

/* The slots a table of `slots` (0: none yet) needs for `n` entries: the
 * same when they fit under three quarters full, else at least twice as
 * many. */
static size_t table_slots(size_t slots, size_t n)
{
    if (slots && n * 4 < slots * 3)
        return slots;
    size_t size = slots ? slots * 2 : 1024;
    while (n * 4 >= size * 3)
        size *= 2;
    return size;
}

bool ix_map_reserve(struct map *m, size_t n)
{
    size_t slots = m->slots ? m->mask + 1 : 0;
    size_t size = table_slots(slots, n);
    if (size == slots)
        return true;
    struct map grown = {table_alloc(size * sizeof *grown.slots), size - 1,
                        m->used};
    if (!grown.slots)
        return false;
    for (size_t i = 0; m->slots && i <= m->mask; i++)
        if (m->slots[i].key)
            grown.slots[probe(&grown, m->slots[i].key, m->slots[i].len,
                              m->slots[i].hash)] = m->slots[i];
    ix_map_free(m);
    *m = grown;
    return true;
}

void ix_map_free(struct map *m)
{
    if (m->slots)
        table_free(m->slots, (m->mask + 1) * sizeof *m->slots);
    *m = (struct map){0};
}

struct map_slot *ix_map_find(struct map *m, const char *key, size_t len)
{
    if (!m->slots)
        return NULL;
    struct map_slot *s = &m->slots[probe(m, key, len, hash_key(key, len))];
    return s->key ? s : NULL;
}

bool ix_map_insert(struct map *m, const char *key, size_t len, size_t value)
{
    if (!ix_map_reserve(m, m->used + 1))
        return false;
    uint32_t h = hash_key(key, len);
    m->slots[probe(m, key, len, h)] =
        (struct map_slot){key, (uint32_t)len, h, value};
    m->used++;
    return true;
}

/* Fingerprints are xxHash values: their low bits spread well. */
static size_t fingerprint_slot(const struct fingerprint_map *m, uint64_t f)
{
    size_t i = (size_t)f & m->mask;
    while (m->slots[i].fingerprint && m->slots[i].fingerprint != f)
        i = (i + 1) & m->mask;
    return i;
}

/* Room for n fingerprints in all; false when out of memory. */
static bool fingerprint_reserve(struct fingerprint_map *m, size_t n)
{
    size_t slots = m->slots ? m->mask + 1 : 0;
    size_t size = table_slots(slots, n);
    if (size == slots)
        return true;
    struct fingerprint_map grown = {table_alloc(size * sizeof *grown.slots),
                                    size - 1, m->used};
    if (!grown.slots)
        return false;
    for (size_t i = 0; m->slots && i <= m->mask; i++)
        if (m->slots[i].fingerprint)
            grown.slots[fingerprint_slot(&grown, m->slots[i].fingerprint)] =
                m->slots[i];
    ix_fingerprint_free(m);
    *m = grown;
    return true;
}

void ix_fingerprint_free(struct fingerprint_map *m)
{
    if (m->slots)
        table_free(m->slots, (m->mask + 1) * sizeof *m->slots);
    *m = (struct fingerprint_map){0};
}

/* Adds fingerprint -> entry; a fingerprint already there keeps its
 * entry.  False when out of memory. */
static bool fingerprint_insert(struct fingerprint_map *m, uint64_t fingerprint,
                               size_t entry)
{
    if (!fingerprint_reserve(m, m->used + 1))
        return false;
    struct fingerprint_slot *s = &m->slots[fingerprint_slot(m, fingerprint)];
    if (!s->fingerprint) {
        *s = (struct fingerprint_slot){fingerprint, entry};
        m->used++;
    }
    return true;
}

size_t ix_fingerprint_find(const struct fingerprint_map *m,
                           uint64_t fingerprint)
{
    if (!m->slots || !fingerprint)
        return SIZE_MAX;
    const struct fingerprint_slot *s =
        &m->slots[fingerprint_slot(m, fingerprint)];
    return s->fingerprint ? s->entry : SIZE_MAX;
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

struct entry *ix_entry_append(struct run *r, const char *id, size_t len)
{
    if (!ix_grow((void **)&r->entries, &r->entry_cap, r->entry_count,
                 sizeof *r->entries))
        return NULL;
    struct entry *e = &r->entries[r->entry_count];
    *e = (struct entry){.id = strndup(id, len)};
    if (!e->id)
        return NULL;
    r->entry_count++;
    return e;
}

/* How many entries ahead ix_index_entries fetches slots. */
#define PREFETCH_AHEAD 16

bool ix_index_entries(struct run *r, size_t first)
{
    size_t n = r->entry_count - first;
    uint32_t *hashes = malloc((n ? n : 1) * sizeof *hashes);
    if (!hashes || !ix_map_reserve(&r->entry_by_id, r->entry_by_id.used + n) ||
        !fingerprint_reserve(&r->entry_by_fingerprint,
                                r->entry_by_fingerprint.used + n)) {
        free(hashes);
        return false;
    }
    struct entry *es = r->entries + first;
    for (size_t i = 0; i < n; i++)
        hashes[i] = hash_key(es[i].id, strlen(es[i].id));
    struct map *ids = &r->entry_by_id;
    struct fingerprint_map *fps = &r->entry_by_fingerprint;
    for (size_t i = 0; i < n; i++) {
        if (i + PREFETCH_AHEAD < n) {
            const struct entry *ahead = &es[i + PREFETCH_AHEAD];
            __builtin_prefetch(
                &ids->slots[hashes[i + PREFETCH_AHEAD] & ids->mask], 1);
            __builtin_prefetch(&fps->slots[ahead->fingerprint & fps->mask], 1);
        }
        size_t len = strlen(es[i].id);
        struct map_slot *s = &ids->slots[probe(ids, es[i].id, len, hashes[i])];
        if (s->key)
            continue; /* stored twice: the first stays, the run removes the
                         other (in no map, it is never seen) */
        *s = (struct map_slot){es[i].id, (uint32_t)len, hashes[i], first + i};
        ids->used++;
        if (es[i].fingerprint &&
            !fingerprint_insert(fps, es[i].fingerprint, first + i)) {
            free(hashes);
            return false;
        }
    }
    free(hashes);
    return true;
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
