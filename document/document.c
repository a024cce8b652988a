/* document.c — the document record: freeing it, its content hash and
 * its ETag. */
#include "document_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vb_document_free(struct vb_document *doc)
{
    if (!doc)
        return;
    free(doc->id);
    free(doc->type);
    free(doc->lang);
    free(doc->title);
    free(doc->group);
    for (size_t i = 0; i < doc->tag_count; i++)
        free(doc->tags[i]);
    free(doc->tags);
    for (size_t i = 0; i < doc->product_count; i++)
        free(doc->products[i]);
    free(doc->products);
    free(doc->updated);
    free(doc->owner);
    free(doc->tenant);
    free(doc->review_by);
    free(doc->valid_until);
    free(doc->customer);
    free(doc->channel);
    free(doc->date);
    free(doc->body_text);
    free(doc->body_source);
    free(doc->source_path);
    free(doc);
}

/* FNV-1a over length-prefixed fields, finished with MurmurHash3's fmix64
 * so that every input bit reaches every output bit. */
struct hasher {
    uint64_t h;
};

static void hash_bytes(struct hasher *s, const void *data, size_t len)
{
    const unsigned char *b = data;
    for (size_t i = 0; i < len; i++) {
        s->h ^= b[i];
        s->h *= 0x100000001b3ULL;
    }
}

static void hash_u64(struct hasher *s, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i)); /* same on every endianness */
    hash_bytes(s, b, 8);
}

static void hash_str(struct hasher *s, const char *str)
{
    size_t n = str ? strlen(str) : 0;
    hash_u64(s, n);
    hash_bytes(s, str ? str : "", n);
}

uint64_t vb_document_content_hash(const struct vb_document *doc)
{
    struct hasher s = {0xcbf29ce484222325ULL};
    hash_str(&s, "vb_document v1");
    if (!doc)
        return s.h;
    const char *fields[] = {doc->id,        doc->type,        doc->lang,
                            doc->title,     doc->group,       doc->updated,
                            doc->customer,  doc->channel,     doc->date,
                            doc->body_text, doc->body_source, doc->owner,
                            doc->review_by, doc->valid_until, doc->tenant};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        hash_str(&s, fields[i]);
    hash_u64(&s, doc->tag_count);
    for (size_t i = 0; i < doc->tag_count; i++)
        hash_str(&s, doc->tags[i]);
    hash_u64(&s, doc->product_count);
    for (size_t i = 0; i < doc->product_count; i++)
        hash_str(&s, doc->products[i]);
    hash_u64(&s, (uint64_t)doc->body_format);
    uint64_t h = s.h;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

void vb_document_etag(const struct vb_document *doc, char etag[17])
{
    snprintf(etag, 17, "%016llx",
             (unsigned long long)vb_document_content_hash(doc));
}
