/* search_int.h — private to search/: the engine's and searcher's insides,
 * one section per file. */
#ifndef VB_SEARCH_INT_H
#define VB_SEARCH_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "vb_schema.h"
#include "vb_search.h"

/* ASCII white space, as query syntax and snippets see it. */
static inline bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* ---- vocab.c ---------------------------------------------------------- */

#define VB_VOCAB_TOP 8 /* completions kept per one-letter prefix */

/* The words of one language, sorted by bytes, with document counts. */
struct vb_vocab_lang {
    char *blob;        /* NUL-separated words */
    uint32_t *offsets; /* count + 1 entries: word i is blob + offsets[i] */
    uint32_t *freqs;
    size_t count;
    /* The most frequent words per first byte, most frequent first: a
     * one-letter prefix costs no scan of thousands of words. */
    uint32_t top[256][VB_VOCAB_TOP];
    uint8_t top_count[256];
};

struct vb_vocab {
    atomic_int refs;
    uint64_t revision; /* of the index it was read from */
    struct vb_vocab_lang lang[VB_LANG_COUNT];
};

/* A word found by completion or correction; `word` borrowed from the
 * vocabulary (not NUL-terminated for our purposes: use len). */
struct vb_vocab_match {
    const char *word;
    size_t len;
    uint32_t freq;
    unsigned edits;
    enum vb_lang lang;
};

/* Reads the vocabulary terms of the index `reader` sees. */
enum vb_status vb_vocab_build(struct vb_xapian_reader *reader,
                              struct vb_vocab **out, struct vb_error *err);
/* Drops one reference; the last frees it.  NULL is a no-op. */
void vb_vocab_release(struct vb_vocab *vocab);
/* Documents in `lang` holding `word`; 0 when none. */
uint32_t vb_vocab_freq(const struct vb_vocab *vocab, enum vb_lang lang,
                       const char *word, size_t len);
/* The `max` most frequent words that start with `prefix` and are longer,
 * most frequent first.  Returns how many. */
size_t vb_vocab_complete(const struct vb_vocab *vocab, enum vb_lang lang,
                         const char *prefix, size_t len,
                         struct vb_vocab_match *out, size_t max);
/* Words within `max_edits` (a swap of neighbours counts one) of `word`,
 * but not the word itself: fewest edits first, then most frequent. */
size_t vb_vocab_correct(const struct vb_vocab *vocab, enum vb_lang lang,
                        const char *word, size_t len, unsigned max_edits,
                        struct vb_vocab_match *out, size_t max);

/* ---- thesaurus.c ------------------------------------------------------ */

#define VB_THESAURUS_TERMS_MAX 6          /* words in one entry */
#define VB_THESAURUS_FILE_MAX (1 << 20)   /* bytes in one synonym file */

/* One way to say a concept: the whole-word terms of one entry of the term
 * bank or of a synonym line, in its language (stopwords dropped). */
struct vb_thesaurus_entry {
    uint32_t concept;
    uint32_t first_term; /* index into terms[] */
    uint8_t term_count;
    enum vb_lang lang;
    /* Stems of the accented spelling: found by queries typed with
     * accents, but expanded as the accent-free entry that follows it
     * (what every document carries), so that a concept means the same
     * with or without accents. */
    bool accented;
    const char *key; /* its first term */
};

struct vb_thesaurus {
    atomic_int refs;
    char *blob; /* NUL-terminated terms */
    size_t blob_used;
    uint32_t *terms; /* offsets into blob */
    size_t term_count;
    struct vb_thesaurus_entry *entries; /* concept by concept */
    size_t entry_count;
    uint32_t *concept_start; /* concept_count + 1 */
    size_t concept_count, bank_concepts;
    struct vb_thesaurus_entry **by_key; /* sorted by first term */
};

/* The built-in term bank plus the synonym files in `synonyms_dir` (NULL:
 * none; a missing file is no error), analysed with the query chain.  A
 * problem is reported as "path:line: message". */
enum vb_status vb_thesaurus_build(const struct vb_analysis_data *analysis,
                                  const char *synonyms_dir,
                                  struct vb_thesaurus **out,
                                  struct vb_error *err);
void vb_thesaurus_release(struct vb_thesaurus *thesaurus);
/* Term i of an entry. */
const char *vb_thesaurus_term(const struct vb_thesaurus *thesaurus,
                              const struct vb_thesaurus_entry *entry, size_t i);
/* The entries whose first term is term[0..len): by_key[*first ..
 * *first + returned). */
size_t vb_thesaurus_find(const struct vb_thesaurus *thesaurus,
                         const char *term, size_t len, size_t *first);
/* The path of a language's synonym file in `dir`. */
void vb_synonym_file_path(const char *dir, enum vb_lang lang, char *buf,
                          size_t size);

/* ---- snippet.c -------------------------------------------------------- */

/* The terms a hit is highlighted for (deduplicated by the caller). */
struct vb_term_set {
    char (*terms)[VB_TERM_MAX + 1];
    size_t count, cap;
};

/* What the analysis of candidate tokens found, remembered for one
 * request (words repeat within and across the hits of a page). */
struct vb_snippet_cache;
struct vb_snippet_cache *vb_snippet_cache_new(void); /* NULL: no memory */
void vb_snippet_cache_free(struct vb_snippet_cache *cache);

/* The passage of `text` (in `lang`) with the most distinct `terms`,
 * HTML-escaped, matches in <mark>, "…" where it is cut: a malloc'd
 * string, NULL when out of memory. */
char *vb_snippet_make(struct vb_analyzer *analyzer,
                      const struct vb_term_set *terms,
                      struct vb_snippet_cache *cache, const char *text,
                      enum vb_lang lang);

/* ---- search.c --------------------------------------------------------- */

struct vb_search_engine {
    char *index_dir;
    char *synonyms_dir; /* NULL: none */
    struct vb_analysis_data *analysis;
    pthread_mutex_t lock; /* guards problem, vocab and stopping */
    pthread_cond_t wake;  /* tells the watcher to stop */
    struct vb_error problem;
    struct vb_vocab *vocab;
    struct vb_thesaurus *thesaurus;
    uint64_t synonyms_stamp; /* of the files it was built from */
    bool stopping;
    pthread_t watcher; /* follows index revisions: rebuilds vocab */
    bool watcher_started;
};

/* The current vocabulary and thesaurus, each with a reference the caller
 * releases. */
struct vb_vocab *vb_search_engine_vocab(struct vb_search_engine *engine);
struct vb_thesaurus *vb_search_engine_thesaurus(struct vb_search_engine *engine);

struct vb_searcher {
    struct vb_search_engine *engine;
    struct vb_xapian_reader *reader;
    struct vb_analyzer *analyzer;
};

/* Moves the searcher's reader to the latest committed revision. */
enum vb_status vb_searcher_refresh(struct vb_searcher *searcher,
                                   struct vb_error *err);

#endif
