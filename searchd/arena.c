/* arena.c — per-request memory: one arena per request, freed at once
 * when libmicrohttpd reports the request complete. */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "searchd_int.h"

struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    alignas(max_align_t) unsigned char data[];
};

struct vb_arena {
    struct arena_block *head; /* the block being filled */
};

static struct arena_block *block_new(size_t cap)
{
    struct arena_block *block = malloc(sizeof *block + cap);
    if (!block)
        return NULL;
    block->next = NULL;
    block->used = 0;
    block->cap = cap;
    return block;
}

struct vb_arena *vb_arena_new(size_t first_block)
{
    struct arena_block *block = block_new(first_block);
    if (!block)
        return NULL;
    /* The arena handle lives in its own first block. */
    struct vb_arena *arena = (struct vb_arena *)block->data;
    block->used = sizeof *arena;
    arena->head = block;
    return arena;
}

void *vb_arena_alloc(struct vb_arena *arena, size_t size)
{
    const size_t align = alignof(max_align_t);
    if (size > SIZE_MAX / 2)
        return NULL;
    size = (size + align - 1) & ~(align - 1);
    struct arena_block *block = arena->head;
    size_t used = (block->used + align - 1) & ~(align - 1);
    if (used <= block->cap && block->cap - used >= size) {
        block->used = used + size;
        return block->data + used;
    }
    /* A big request gets a block of its own behind the current one, so
     * that the rest of the current block stays usable. */
    size_t cap = size > block->cap ? size : block->cap * 2;
    struct arena_block *fresh = block_new(cap);
    if (!fresh)
        return NULL;
    fresh->used = size;
    if (size > block->cap) {
        fresh->next = block->next;
        block->next = fresh;
    } else {
        fresh->next = block;
        arena->head = fresh;
    }
    return fresh->data;
}

char *vb_arena_strndup(struct vb_arena *arena, const char *s, size_t len)
{
    char *copy = vb_arena_alloc(arena, len + 1);
    if (copy) {
        memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}

void vb_arena_free(struct vb_arena *arena)
{
    if (!arena)
        return;
    /* The handle is inside the last block of the chain (the first one
     * made), so walk without touching it after that block is freed. */
    struct arena_block *block = arena->head;
    while (block) {
        struct arena_block *next = block->next;
        free(block);
        block = next;
    }
}
