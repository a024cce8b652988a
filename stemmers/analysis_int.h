/* analysis_int.h — private interfaces between the files of stemmers/.
 * Not installed, not included outside stemmers/, tests/ and bench/.
 * One section per source file. */
#ifndef VB_ANALYSIS_INT_H
#define VB_ANALYSIS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "vb_analysis.h"
#include "vb_mem.h"

struct sb_stemmer;

/* A piece of a word: byte offset and length inside that word. */
struct vb_span {
    uint16_t start, len;
};

/* ---- analyzer.c ------------------------------------------------------- */

/* The Snowball step alone: stems lower-case NFC `word` with libstemmer's
 * stemmer for `lang` (not VB_LANG_UNKNOWN) into out[0..cap), NUL
 * terminated; returns the length, 0 on failure.  Accents are kept. */
size_t vb_stem_snowball(struct vb_analyzer *analyzer, enum vb_lang lang,
                        const char *word, size_t len, char *out, size_t cap);

/* ---- tokenize.c: finding words ------------------------------------------ */

/* A token may hold up to this many segments (pieces between apostrophes
 * and hyphens); a longer chain is cut into several tokens. */
#define VB_SEGMENTS_MAX 8

/* One word as found in the text: letters, marks and digits, with single
 * apostrophes (' ’ ‘ ʼ) and hyphens (- ‐ ‑) between them.  Default-ignorable
 * code points (soft hyphen, zero-width joiner) inside a word do not break
 * it.  Offsets are bytes into the text. */
struct vb_raw_token {
    size_t start, end;
    int segment_count;
    struct {
        size_t start, end;
        char joiner_before; /* 0 for the first, '\'' or '-' */
    } segments[VB_SEGMENTS_MAX];
};

/* Finds the first token at or after text[*pos] (valid UTF-8).  Returns
 * false when there is none; otherwise fills `token` and moves *pos past
 * it. */
bool vb_next_token(const char *text, size_t len, size_t *pos,
                   struct vb_raw_token *token);

/* ---- normalize.c: Unicode normalisation -------------------------------- */

/* Code points of scratch space the normalisers need; a word that needs more
 * (after decomposition) is reported as too long. */
#define VB_NORM_SCRATCH 1024

/* NFKC + full case folding of one word, dropping default-ignorable code
 * points (soft hyphen, zero-width joiners).  `in` is valid UTF-8.  Writes
 * NUL-terminated UTF-8 into out[0..cap) and returns its length, or
 * (size_t)-1 when it does not fit.  `scratch` holds VB_NORM_SCRATCH code
 * points. */
size_t vb_normalize_word(int32_t *scratch, const char *in, size_t len,
                         char *out, size_t cap);

/* Removes accents and other combining marks from normalised text and
 * spells out the ligatures that have no decomposition (œ -> oe, æ -> ae,
 * ø -> o, ł -> l, đ -> d).  Same conventions as vb_normalize_word. */
size_t vb_fold_accents(int32_t *scratch, const char *in, size_t len,
                       char *out, size_t cap);

/* ---- stopwords.c ------------------------------------------------------ */

/* True when the accent-folded, case-folded `word` is a function word of
 * `lang` ("de", "het", "le", "les", "the").  Conservative lists: words
 * that carry meaning in a customer-service question are never stopwords. */
bool vb_is_stopword(enum vb_lang lang, const char *word, size_t len);

/* ---- lemma.c: French and English beyond Snowball ------------------- */

/* A lemma lexicon (built into the library at build time).  Immutable;
 * may be shared between threads. */
struct vb_lemma_lexicon;

/* The built-in lexicon of `lang` (VB_LANG_FR or VB_LANG_EN). */
enum vb_status vb_lemma_lexicon_new(enum vb_lang lang,
                                    struct vb_lemma_lexicon **out,
                                    struct vb_error *err);
void vb_lemma_lexicon_free(struct vb_lemma_lexicon *lexicon);

/* Bytes of built-in data the lexicon reads (mapped, not allocated). */
size_t vb_lemma_lexicon_bytes(const struct vb_lemma_lexicon *lexicon);

/* Writes the whole-word term of one word into out[0..cap) (NUL
 * terminated) and returns its length, 0 when it does not fit: the stem of
 * its lemma when the lexicon knows the word, else Snowball's stem
 * (`snowball`, the caller's, one per thread).  `word` as for vb_nl_stem.
 * *source (may be NULL) says which. */
size_t vb_lemma_stem(const struct vb_lemma_lexicon *lexicon,
                     struct sb_stemmer *snowball, const char *word,
                     size_t len, char *out, size_t cap,
                     enum vb_stem_source *source);

/* ---- dutch.c: Dutch beyond Snowball ----------------------------------- */

/* The Dutch lexicon (word list built into the library at build time from
 * Debian's Dutch dictionaries).  Immutable after construction; may be
 * shared between threads. */
struct vb_nl_lexicon;

enum vb_status vb_nl_lexicon_new(struct vb_nl_lexicon **out,
                                 struct vb_error *err);
void vb_nl_lexicon_free(struct vb_nl_lexicon *lexicon);

/* Writes the whole-word term of one Dutch word into out[0..cap) (NUL
 * terminated) and returns its length, or 0 when it does not fit.  `word` is
 * lower case NFC, letters only (no apostrophes, hyphens or digits),
 * accents kept.  Runs Dutch rules (participles, past tenses, diminutives,
 * irregular forms, s/z and f/v alternations) validated against the lexicon
 * around Snowball's `dutch` stemmer `snowball` (owned by the caller, one
 * per thread).  Accent folding is the caller's job. */
size_t vb_nl_stem(const struct vb_nl_lexicon *lexicon,
                  struct sb_stemmer *snowball, const char *word, size_t len,
                  char *out, size_t cap);

/* Splits a Dutch compound into its constituents: "glasvezelaansluiting"
 * -> "glasvezel" + "aansluiting", "betalingsregeling" -> "betaling" +
 * "regeling" (the linking -s-/-e-/-en- is left out of the spans).
 * Writes at most `max_parts` spans into `parts` (spans into `word`) and
 * returns how many; 0 when the word is not a compound of known words.
 * Input as for vb_nl_stem. */
int vb_nl_split_compound(const struct vb_nl_lexicon *lexicon,
                         const char *word, size_t len, struct vb_span *parts,
                         int max_parts);

#endif
