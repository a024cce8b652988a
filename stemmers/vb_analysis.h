/* vb_analysis.h — Vraagbaak's text analysis chain.
 *
 * One chain turns document text into index terms and query text into query
 * terms, so that "facturen" and "factuur", "l'abonnement" and "abonnement",
 * "électricité" and "electricite" meet in the same term:
 *
 *   UTF-8 validation -> tokenisation (apostrophes, French elision, hyphens,
 *   product codes, digit groups) -> NFKC + case folding -> stopword flag ->
 *   stemming (Snowball, plus Dutch rules and a lexicon) -> Dutch compound
 *   splitting -> accent folding.
 *
 * Two objects:
 *   - struct vb_analysis_data: the immutable resources (Dutch lexicon).
 *     Built once per process; safe to share between threads.
 *   - struct vb_analyzer: per-thread working state (Snowball stemmers,
 *     scratch buffers).  Cheap to create; never share one between threads.
 *
 * Nothing here knows about Xapian or HTTP. */
#ifndef VB_ANALYSIS_H
#define VB_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vb_error.h"
#include "vb_utf8.h" /* vb_utf8_validate */

enum vb_lang {
    VB_LANG_UNKNOWN = 0,
    VB_LANG_NL = 1,
    VB_LANG_FR = 2,
    VB_LANG_EN = 3
};
#define VB_LANG_COUNT 4

/* "nl", "fr", "en", or "" for VB_LANG_UNKNOWN.  Static storage. */
const char *vb_lang_code(enum vb_lang lang);

/* Parses "nl"/"fr"/"en" (case-insensitive, exactly two bytes).  Returns
 * VB_LANG_UNKNOWN for anything else. */
enum vb_lang vb_lang_parse(const char *code, size_t len);

/* ---- Resources -------------------------------------------------------- */

struct vb_analysis_data;

/* Builds the shared resources.  On failure *out is NULL and nothing is
 * left allocated. */
enum vb_status vb_analysis_data_new(struct vb_analysis_data **out,
                                    struct vb_error *err);

/* Frees the resources; NULL is a no-op.  No analyzer made from `data` may
 * be used afterwards. */
void vb_analysis_data_free(struct vb_analysis_data *data);

/* ---- Analyzer --------------------------------------------------------- */

struct vb_analyzer;

/* Creates a per-thread analyzer that borrows `data` (which must outlive
 * it).  On failure *out is NULL. */
enum vb_status vb_analyzer_new(const struct vb_analysis_data *data,
                               struct vb_analyzer **out, struct vb_error *err);

/* Frees the analyzer; NULL is a no-op. */
void vb_analyzer_free(struct vb_analyzer *analyzer);

/* The longest term the chain emits, in bytes, without the NUL. */
#define VB_TERM_MAX 96
/* At most this many terms per token (whole word + expansions). */
#define VB_TOKEN_TERMS_MAX 8

/* What a term stands for within its token. */
enum vb_term_kind {
    VB_TERM_WHOLE = 0,   /* terms[0]: the whole token, stemmed */
    VB_TERM_VARIANT = 1, /* another spelling of the whole token (the
                          * accent-free spelling's stem) */
    VB_TERM_PART = 2,    /* a part: compound part, hyphenated part, the
                          * letters or digits of a product code */
    VB_TERM_JOIN = 3     /* the token joined with the tokens before it:
                          * digit groups ("0470 12" -> "047012"), a word
                          * and a number ("fiber 500" -> "fiber500") */
};

/* "whole", "variant", "part", "join".  Static. */
const char *vb_term_kind_name(enum vb_term_kind kind);

/* Where a token's whole-word term came from, for /v1/analyze. */
enum vb_stem_source {
    VB_STEM_NONE = 0,  /* not stemmed: a number or code, or no language */
    VB_STEM_SNOWBALL,  /* Snowball alone */
    VB_STEM_LEXICON,   /* fr/en: the lemma lexicon (hunspell + affixes) */
    VB_STEM_IRREGULAR, /* fr/en: an irregular form (WordNet, our table) */
    VB_STEM_DUTCH      /* nl: the Dutch lexicon and rules around Snowball */
};

/* "none", "snowball", "lexicon", "irregular", "dutch".  Static. */
const char *vb_stem_source_name(enum vb_stem_source source);

/* One token as reported to the callback.  All pointers are borrowed and
 * valid only during the callback. */
struct vb_token {
    size_t start, end;   /* byte offsets of the token in the input text */
    uint32_t position;   /* 0, 1, 2, ... per token, for phrases */
    enum vb_lang lang;   /* the language the terms were made for */
    bool stopword;       /* a function word of `lang` ("de", "le", "the") */
    size_t term_count;   /* >= 1 */
    /* terms[0] is the term for the whole token: two inflected forms of one
     * word share it.  Further terms are expansions: compound parts,
     * hyphenated parts and the joined form, digit groups joined, and the
     * accent-free spelling's stem when it differs.  NUL-terminated,
     * at most VB_TERM_MAX bytes, lower case, accent-folded, no duplicates. */
    const char *terms[VB_TOKEN_TERMS_MAX];
    size_t term_lens[VB_TOKEN_TERMS_MAX];
    enum vb_term_kind term_kinds[VB_TOKEN_TERMS_MAX];
    /* The token as written but normalised, before stemming: case- and
     * accent-folded, elided article and possessive 's removed, hyphens
     * dropped ("l'Électricité" -> "electricite").  What a half-typed word
     * is a prefix of, and what a misspelt word is a few edits from. */
    const char *word;
    size_t word_len;
    enum vb_stem_source stem_source; /* of terms[0] */
};

/* Called once per token, in text order.  Return 0 to go on, anything else
 * to stop the analysis (vb_analyze_text then returns VB_OK). */
typedef int (*vb_token_fn)(void *ctx, const struct vb_token *token);

/* Analyses `text[0..len)` in `lang` and reports every token to `fn`.
 *
 * With VB_LANG_UNKNOWN the language is detected first (vb_detect_lang) and
 * reported in each token.  The text must be valid UTF-8: otherwise returns
 * VB_EUTF8 with the byte offset in `err` and calls `fn` for nothing.
 * Tokens longer than VB_TERM_MAX bytes after normalisation are skipped
 * (they are never words an agent types).  Thread safety: one analyzer per
 * thread. */
enum vb_status vb_analyze_text(struct vb_analyzer *analyzer, const char *text,
                               size_t len, enum vb_lang lang, vb_token_fn fn,
                               void *ctx, struct vb_error *err);

/* Finds the next token of `text` (valid UTF-8) at or after *pos, split
 * exactly as vb_analyze_text splits it, without analysing it: its byte
 * span in *start, *end, and *pos moved past it.  Returns false when there
 * is none.  For callers that look for a few words in a long text
 * (snippets) and analyse only the tokens that may match.  Thread-safe. */
bool vb_scan_token(const char *text, size_t len, size_t *pos, size_t *start,
                   size_t *end);

/* ---- Language detection ----------------------------------------------- */

/* Detects whether `text` (valid UTF-8) is Dutch, French or English.
 * Returns VB_LANG_UNKNOWN when the text holds no evidence: no letters, or
 * letters only in URLs, e-mail addresses, product codes or scripts other
 * than Latin.
 * When `confidence` is non-NULL it receives a value in [0, 1]: how far the
 * best language is ahead of the runner-up.  Pure function of its input;
 * thread-safe. */
enum vb_lang vb_detect_lang(const char *text, size_t len, double *confidence);

#endif
