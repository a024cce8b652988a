/* lemma.c — French and English beyond Snowball: a word's term is the
 * Snowball stem of its lemma ("pouvez", "peut", "pourrait" -> "pouvoir";
 * "went" -> "go"; "children" -> "child").
 *
 * The lexicons are blobs built at build time by tools/gen_lemma_lexicon.c
 * from Debian's hunspell dictionaries (hunspell-fr, hunspell-en-us),
 * WordNet's exception lists (wordnet-base) and data/fr_irregular.txt, and
 * linked into the library (lemma_lexicon.cmake).  A blob holds only the
 * forms where the lemma's stem differs from Snowball's own answer; every
 * other word goes to Snowball, so nothing that matched before stops
 * matching.  Lookups allocate nothing and read the blob bounds-checked. */
#include "analysis_int.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

#include "tools/lemma_lexicon_format.h"

/* The blobs, from the generated lemma_lexicon_blob.c. */
extern const unsigned char vb_fr_lexicon_blob[], vb_fr_lexicon_blob_end[];
extern const unsigned char vb_en_lexicon_blob[], vb_en_lexicon_blob_end[];

struct vb_lemma_lexicon {
    const unsigned char *slots; /* slot_count little-endian u32 */
    uint32_t slot_mask;
    const unsigned char *records;
    uint32_t records_size;
};

static uint32_t read_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

enum vb_status vb_lemma_lexicon_new(enum vb_lang lang,
                                    struct vb_lemma_lexicon **out,
                                    struct vb_error *err)
{
    *out = NULL;
    const unsigned char *blob, *end;
    if (lang == VB_LANG_FR) {
        blob = vb_fr_lexicon_blob;
        end = vb_fr_lexicon_blob_end;
    } else if (lang == VB_LANG_EN) {
        blob = vb_en_lexicon_blob;
        end = vb_en_lexicon_blob_end;
    } else {
        return vb_error_set(err, VB_EINVAL, "no lemma lexicon for %s",
                            vb_lang_code(lang));
    }
    size_t size = (size_t)(end - blob);
    uint32_t slot_count = size >= 16 ? read_u32(blob + 8) : 0;
    if (size < 16 || read_u32(blob) != LEMMA_BLOB_MAGIC ||
        read_u32(blob + 4) != LEMMA_BLOB_VERSION || slot_count == 0 ||
        (slot_count & (slot_count - 1)) != 0 ||
        (size - 16) / 4 < slot_count ||
        size - 16 - (size_t)slot_count * 4 != read_u32(blob + 12))
        return vb_error_set(err, VB_ECORRUPT,
                            "%s lemma lexicon: bad built-in data (%zu bytes)",
                            vb_lang_code(lang), size);
    struct vb_lemma_lexicon *lexicon = calloc(1, sizeof *lexicon);
    if (!lexicon)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    lexicon->slots = blob + 16;
    lexicon->slot_mask = slot_count - 1;
    lexicon->records = blob + 16 + (size_t)slot_count * 4;
    lexicon->records_size = read_u32(blob + 12);
    *out = lexicon;
    return VB_OK;
}

void vb_lemma_lexicon_free(struct vb_lemma_lexicon *lexicon)
{
    free(lexicon);
}

size_t vb_lemma_lexicon_bytes(const struct vb_lemma_lexicon *lexicon)
{
    return lexicon ? 16 + ((size_t)lexicon->slot_mask + 1) * 4 +
                         lexicon->records_size
                   : 0;
}

/* The record of word[0..len), or NULL. */
static const unsigned char *find(const struct vb_lemma_lexicon *lex,
                                 const char *word, size_t len)
{
    if (len == 0 || len >= LEMMA_WORD_MAX)
        return NULL;
    uint32_t h =
        vb_lemma_hash((const unsigned char *)word, len) & lex->slot_mask;
    for (uint32_t probes = 0; probes <= lex->slot_mask; probes++) {
        uint32_t slot = read_u32(lex->slots + (size_t)h * 4);
        if (slot == 0)
            return NULL;
        size_t off = slot - 1;
        const unsigned char *r = lex->records + off;
        if (off + 1 < lex->records_size && r[0] == len &&
            off + 1 + len + 2 <= lex->records_size &&
            memcmp(r + 1, word, len) == 0 &&
            off + 1 + len + 1 + r[1 + len] + 1 <= lex->records_size)
            return r;
        h = (h + 1) & lex->slot_mask;
    }
    return NULL;
}

size_t vb_lemma_stem(const struct vb_lemma_lexicon *lexicon,
                     struct sb_stemmer *snowball, const char *word,
                     size_t len, char *out, size_t cap,
                     enum vb_stem_source *source)
{
    const unsigned char *r = lexicon ? find(lexicon, word, len) : NULL;
    if (r) {
        size_t n = r[1 + len];
        if (n >= cap)
            return 0;
        memcpy(out, r + 2 + len, n);
        out[n] = '\0';
        if (source)
            *source = r[2 + len + n] == LEMMA_SOURCE_IRREGULAR
                          ? VB_STEM_IRREGULAR
                          : VB_STEM_LEXICON;
        return n;
    }
    const sb_symbol *stem =
        sb_stemmer_stem(snowball, (const sb_symbol *)word, (int)len);
    if (!stem)
        return 0;
    size_t n = (size_t)sb_stemmer_length(snowball);
    if (n >= cap)
        return 0;
    memcpy(out, stem, n);
    out[n] = '\0';
    if (source)
        *source = VB_STEM_SNOWBALL;
    return n;
}
