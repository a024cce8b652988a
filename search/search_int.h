/* search_int.h — private to search/: the engine's and searcher's insides,
 * one section per file. */
#ifndef VB_SEARCH_INT_H
#define VB_SEARCH_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "vb_mem.h"
#include "vb_schema.h"
#include "vb_search.h"
#include "vb_xapian.h"

/* ASCII white space, as query syntax and snippets see it. */
static inline bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* FNV-1a of p[0..n), mixed with `seed`: the slot of a word or a group in
 * the caches a searcher keeps (snippet.c, doccache.c). */
static inline uint32_t vb_slot_hash(const char *p, size_t n, uint32_t seed)
{
    uint32_t h = 2166136261u ^ seed;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    return h;
}

/* ---- vocab.c ---------------------------------------------------------- */

#define VB_VOCAB_TOP 8 /* completions kept per one-letter prefix */

/* The words of one language, sorted by bytes, with document counts. */
struct vb_vocab_lang {
    char *blob;        /* NUL-separated words */
    uint32_t *offsets; /* count + 1 entries: word i is blob + offsets[i] */
    uint32_t *freqs;
    size_t count;
    size_t blob_used, blob_cap; /* while it is built */
    /* The most frequent words per first byte, most frequent first: a
     * one-letter prefix costs no scan of thousands of words. */
    uint32_t top[256][VB_VOCAB_TOP];
    uint8_t top_count[256];
};

/* The words of one tenant's documents (Contract 1 `tenant`). */
struct vb_vocab_tenant {
    char name[VB_DOC_TENANT_MAX + 1];
    struct vb_vocab_lang lang[VB_LANG_COUNT];
};

/* An article whose valid_until is this date ("YYYY-MM-DD", yesterday in
 * local time) or earlier has expired: search leaves it out, and the
 * vocabulary leaves out the words only it holds. */
#define VB_EXPIRY_CUTOFF_SIZE 16
void vb_search_expired_before(char out[VB_EXPIRY_CUTOFF_SIZE]);

/* Xapian docids, grown as they are found. */
struct vb_docids {
    uint32_t *ids;
    size_t count, cap;
};
/* Appends to `out` the documents whose value in `slot` (a day,
 * "YYYY-MM-DD": REVIEW_BY, VALID_UNTIL) is `day` or earlier, in docid
 * order; VB_ENOMEM when `out` cannot grow. */
enum vb_status vb_search_docids_up_to(struct vb_xapian_reader *reader,
                                      uint32_t slot, const char *day,
                                      struct vb_docids *out,
                                      struct vb_error *err);

/* Every document's language (enum vb_lang) by Xapian docid, for one
 * revision (langs.c); VB_LANG_UNKNOWN past `count` or without a LANG
 * value.  Empty over remote shards. */
struct vb_doc_langs {
    uint8_t *lang;
    uint32_t count;
};
enum vb_status vb_doc_langs_read(struct vb_xapian_reader *reader,
                                 struct vb_doc_langs *out,
                                 struct vb_error *err);
void vb_doc_langs_free(struct vb_doc_langs *langs);

static inline enum vb_lang vb_doc_lang(const struct vb_doc_langs *langs,
                                       uint32_t docid)
{
    return docid < langs->count ? (enum vb_lang)langs->lang[docid]
                                : VB_LANG_UNKNOWN;
}

struct vb_vocab {
    atomic_int refs;
    uint64_t revision; /* of the index it was read from */
    size_t shards_down; /* then: read without them (vb_xapian.h) */
    char expired_before[VB_EXPIRY_CUTOFF_SIZE]; /* the cutoff it used */
    struct vb_vocab_lang lang[VB_LANG_COUNT]; /* the shared documents' */
    struct vb_vocab_tenant *tenants;          /* by name */
    size_t tenant_count;
    struct vb_doc_langs doc_langs; /* read with it, for the same revision */
};

/* The words one request may see: the shared documents' and its tenant's
 * (tenant NULL: every tenant's). */
struct vb_vocab_view {
    const struct vb_vocab *vocab;
    const char *tenant;
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

/* Reads the vocabulary terms of the index `reader` sees, without those
 * of articles expired today (their counts are taken off: a word only
 * expired articles hold is neither completed nor offered as a
 * correction, as search would not find it), and the documents' languages
 * (doc_langs) of the same revision. */
enum vb_status vb_vocab_build(struct vb_xapian_reader *reader,
                              struct vb_vocab **out, struct vb_error *err);
/* Drops one reference; the last frees it.  NULL is a no-op. */
void vb_vocab_release(struct vb_vocab *vocab);
/* Documents in `lang` holding `word`; 0 when none. */
uint32_t vb_vocab_freq(const struct vb_vocab_view *view, enum vb_lang lang,
                       const char *word, size_t len);
/* The `max` most frequent words that start with `prefix` and are longer,
 * most frequent first.  Returns how many. */
size_t vb_vocab_complete(const struct vb_vocab_view *view, enum vb_lang lang,
                         const char *prefix, size_t len,
                         struct vb_vocab_match *out, size_t max);
/* Words within `max_edits` (a swap of neighbours counts one) of `word`,
 * but not the word itself: fewest edits first, then most frequent. */
size_t vb_vocab_correct(const struct vb_vocab_view *view, enum vb_lang lang,
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
 * none; a missing file is no error) and, for `tenant` (NULL: none), those
 * in its subdirectory synonyms_dir/TENANT, analysed with the query chain.
 * A problem is reported as "path:line: message". */
enum vb_status vb_thesaurus_build(const struct vb_analysis_data *analysis,
                                  const char *synonyms_dir, const char *tenant,
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

/* The terms a hit is highlighted for, each with the query word it
 * stands for (its stems, parts, completions and corrections are one
 * word: a passage is worth the distinct words it shows). */
struct vb_term_set {
    char (*terms)[VB_TERM_MAX + 1];
    size_t *words; /* an id of the query word of terms[i] */
    size_t count, cap;
};

/* What the analysis of candidate tokens found, kept by a searcher (one
 * thread) between requests, and what it knows of the request's terms. */
struct vb_snippet_cache;
struct vb_snippet_cache *vb_snippet_cache_new(void); /* NULL: no memory */
void vb_snippet_cache_free(struct vb_snippet_cache *cache);
/* Forgets the previous request's terms; call before a request's first
 * snippet. */
void vb_snippet_cache_begin(struct vb_snippet_cache *cache);

/* The tokens a snippet of a text looks at (those of its first bytes):
 * their byte offsets, their first four letters folded (case, Latin-1
 * accents) into a key for the cheap test of whether a token may hold a
 * query term, and for Dutch, whose compound parts lie anywhere in a word,
 * every letter folded the first time a snippet scans that far.  They
 * depend on the text only, so a searcher keeps them with the document
 * (doccache.c). */
struct vb_snippet_tokens {
    uint32_t (*spans)[2]; /* NULL when there are none */
    uint32_t *keys;       /* per token (snippet.c) */
    size_t count;
    size_t scanned_bytes; /* the text's bytes they lie in */
    size_t folded_count;  /* tokens [0, folded_count) are folded */
    char *folded;         /* their folded bytes, one after the other */
    uint16_t *folded_end; /* token i's end in `folded` (its start: i - 1's) */
    uint8_t *fold;        /* per token: how it folded (snippet.c) */
};

/* Finds the tokens of `text` into *out; false when out of memory (*out
 * then empty). */
bool vb_snippet_tokens_make(const char *text, struct vb_snippet_tokens *out);
/* The same from the spans a record keeps, taken over (*spans emptied,
 * freed on failure). */
bool vb_snippet_tokens_adopt(struct vb_schema_spans *spans,
                             struct vb_snippet_tokens *out);
void vb_snippet_tokens_free(struct vb_snippet_tokens *tokens);
/* The memory they take once every token is folded. */
size_t vb_snippet_tokens_bytes(const struct vb_snippet_tokens *tokens);

/* The passage of `text` (in `lang`, its `tokens` as
 * vb_snippet_tokens_make found them) with the most distinct `terms`,
 * HTML-escaped, matches in <mark>, "…" where it is cut: a malloc'd
 * string, NULL when out of memory. */
char *vb_snippet_make(struct vb_analyzer *analyzer,
                      const struct vb_term_set *terms,
                      struct vb_snippet_cache *cache, const char *text,
                      enum vb_lang lang, struct vb_snippet_tokens *tokens);

/* ---- doccache.c ------------------------------------------------------- */

struct vb_searcher;
struct vb_doc_cache;
struct vb_doc_cache *vb_doc_cache_new(void); /* NULL: no memory */
void vb_doc_cache_free(struct vb_doc_cache *cache);
/* The decoded document `docid` of the index revision the searcher reads:
 * borrowed until the end of the request (vb_doc_cache_end_request).
 * VB_ENOTFOUND when it is gone. */
enum vb_status vb_doc_cache_get(struct vb_searcher *searcher, uint32_t docid,
                                const struct vb_document **out,
                                struct vb_error *err);
/* The snippet tokens of document `docid`'s plain text
 * (vb_snippet_tokens_make), found once per kept document; borrowed like
 * the document. */
enum vb_status vb_doc_cache_tokens(struct vb_searcher *searcher, uint32_t docid,
                                   struct vb_snippet_tokens **out,
                                   struct vb_error *err);
/* Frees the documents evicted during the request. */
void vb_doc_cache_end_request(struct vb_doc_cache *cache);
/* Decodes every document of an index small enough for the cache (local,
 * document ids up to its slots, within three quarters of its budget),
 * so that no request pays for a cold one; does nothing for a larger
 * index.  Failures only leave documents to be decoded when asked. */
void vb_doc_cache_preload(struct vb_searcher *searcher);
/* How many documents the cache holds. */
size_t vb_doc_cache_kept(const struct vb_doc_cache *cache);

/* One language version of a translation group. */
#define VB_GROUP_MEMBERS_MAX 8
struct vb_group_member {
    uint32_t docid;
    char id[VB_DOC_ID_MAX + 1];
    char lang[3];
};
/* The members of `group` the searcher keeps for its revision, copied into
 * members[VB_GROUP_MEMBERS_MAX]; *known false when it has not kept them. */
enum vb_status vb_doc_cache_group(struct vb_searcher *searcher,
                                  const char *group,
                                  struct vb_group_member *members,
                                  size_t *count, bool *known,
                                  struct vb_error *err);
/* Keeps the members of `group` (all of them, as the index holds them in
 * the revision the searcher reads). */
void vb_doc_cache_put_group(struct vb_searcher *searcher, const char *group,
                            const struct vb_group_member *members, size_t count);

/* The whole of a short `text` (a title), HTML-escaped, every match in
 * <mark>: a malloc'd string, NULL when out of memory. */
char *vb_snippet_mark(struct vb_analyzer *analyzer,
                      const struct vb_term_set *terms,
                      struct vb_snippet_cache *cache, const char *text,
                      enum vb_lang lang);

/* ---- search.c --------------------------------------------------------- */

struct vb_search_engine {
    char *index_dir;
    char *synonyms_dir; /* NULL: none */
    unsigned shard_timeout_ms;
    struct vb_analysis_data *analysis;
    pthread_mutex_t lock; /* guards problem, vocab and stopping */
    pthread_cond_t wake;  /* tells the watcher to stop */
    struct vb_error problem;
    struct vb_vocab *vocab;
    struct vb_thesaurus *thesaurus; /* the shared synonyms' */
    /* Each tenant with synonyms of its own (synonyms_dir/TENANT/): the
     * shared ones and its own. */
    struct vb_tenant_thesaurus {
        char name[VB_DOC_TENANT_MAX + 1];
        struct vb_thesaurus *thesaurus;
    } *tenant_thesauri;
    size_t tenant_thesaurus_count;
    uint64_t synonyms_stamp; /* of the files it was built from */
    bool stopping;
    pthread_t watcher; /* follows index revisions: rebuilds vocab */
    bool watcher_started;
};

/* The current vocabulary, and the thesaurus of `tenant` (NULL: the
 * shared one), each with a reference the caller releases. */
struct vb_vocab *vb_search_engine_vocab(struct vb_search_engine *engine);
struct vb_thesaurus *vb_search_engine_thesaurus(struct vb_search_engine *engine,
                                                const char *tenant);

struct vb_searcher {
    struct vb_search_engine *engine;
    struct vb_xapian_reader *reader;
    struct vb_analyzer *analyzer;
    struct vb_doc_cache *documents; /* doccache.c */
    struct vb_snippet_cache *snippets; /* snippet.c */
    struct vb_freq_cache *freqs;       /* freqs.c */
    bool remote; /* a shard is remote: a lookup is a round trip */
    /* The revision its reader reads, as of the last vb_searcher_refresh
     * (each request's first step). */
    uint64_t revision;
    /* A request's tokens (VB_QUERY_TOKENS_MAX, 3 MB): allocated by the
     * first request and reused, not mapped and unmapped every time. */
    struct qtoken *tokens;
};

/* freqs.c: documents holding a term, kept for the revision read. */
struct vb_freq_cache;
struct vb_freq_cache *vb_freq_cache_new(void); /* NULL: no memory */
void vb_freq_cache_free(struct vb_freq_cache *cache);
/* Number of documents indexed by `term` (0: none). */
enum vb_status vb_searcher_term_freq(struct vb_searcher *searcher,
                                     const char *term, size_t len,
                                     uint32_t *freq, struct vb_error *err);

/* Moves the searcher's reader to the latest committed revision (noted in
 * searcher->revision). */
enum vb_status vb_searcher_refresh(struct vb_searcher *searcher,
                                   struct vb_error *err);

/* ==== One request: query.c, parse.c, expand.c, plan.c, rank.c, hits.c == */

/* Tokens considered from one request (suggest texts are long). */
#define VB_QUERY_TOKENS_MAX 2048

enum segment_kind { SEG_PLAIN, SEG_PHRASE, SEG_EXCLUDE, SEG_EXCLUDE_PHRASE };

struct qterm {
    char text[VB_TERM_MAX + 1];
    uint8_t len;
    uint8_t kind; /* enum vb_term_kind */
};

/* One token of the request, analysed in each language. */
struct qtoken {
    size_t start, end; /* bytes in the request text */
    int segment;
    enum segment_kind kind;
    char word[VB_TERM_MAX + 1];
    size_t word_len;
    bool stopword; /* a function word (parse.c decides, per request) */
    bool stop_in[VB_LANG_COUNT]; /* a stopword of that language */
    struct qterm terms[VB_LANG_COUNT][VB_TOKEN_TERMS_MAX];
    uint8_t term_count[VB_LANG_COUNT];
    /* Set by vb_query_token: matched through parts, completions or
     * corrections too, not only as typed. */
    bool expanded;
    /* The correction found for it, for the suggestion. */
    const char *correction; /* borrowed from the vocabulary */
    size_t correction_len;
};

struct request_state {
    struct vb_searcher *searcher;
    const struct vb_search_request *req;
    struct vb_vocab *vocab;
    struct vb_vocab_view words; /* what of it the request may see */
    struct vb_thesaurus *thesaurus;
    struct qtoken *tokens;
    size_t token_count;
    int segment; /* index of the segment being analysed */
    enum segment_kind segment_kind;
    size_t segment_offset;
    struct vb_xapian_query **nodes; /* every node made, freed at the end */
    size_t node_count, node_cap;
    bool failed; /* out of memory while building */
    struct vb_term_set highlight;
    bool corrected;
    bool open_phrase; /* q ends inside a phrase: its last word is typed */
    struct vb_xapian_query *excluded; /* -words, or NULL */
    bool quiet; /* building a stopword's query: highlight nothing */
    /* building a function word's query, beside content words: the text
     * field alone (rank.c) */
    bool function_word;
    size_t word; /* the query word being planned, for highlights */
    bool history; /* building the plan for customer history's terms */
    struct vb_snippet_cache *snippets; /* the searcher's */
    uint32_t doc_count;
};

/* One word (or concept, phrase, joined code) of the text. */
struct clause {
    struct vb_xapian_query *q;     /* with every expansion */
    struct vb_xapian_query *typed; /* the words as typed only */
    struct vb_xapian_query *whole; /* as typed, text field; NULL: q */
    size_t first_token;
    bool optional;    /* a function word: adds weight, never required */
    bool single;      /* one plain word (first_token): proximity applies */
    bool domain;      /* says a concept of the term bank or synonyms */
    bool compound;    /* two typed words as the one word articles write */
    double rarity;    /* idf of its rarest whole term, for long texts */
    unsigned repeats; /* times a long text holds the word */
};

struct plan {
    struct clause *clauses;
    size_t count;
    struct vb_xapian_query **excluded; /* one per token at most */
    size_t excluded_count;
};

/* query.c: `q` kept for freeing at the end of the request (NULL, or no
 * memory to keep it: s->failed is set and NULL returned). */
struct vb_xapian_query *vb_query_keep(struct request_state *s,
                                      struct vb_xapian_query *q);
/* Adds a term to highlight in snippets, for query word s->word (unless
 * s->quiet or already there). */
void vb_query_highlight(struct request_state *s, const char *term, size_t len);
/* The word t as typed in the text field alone, its searched terms as one
 * synonym; NULL when vb_query_token, called on it first, expanded it. */
struct vb_xapian_query *vb_query_whole(struct request_state *s,
                                       const struct qtoken *t);

/* parse.c */
enum vb_status vb_query_validate(const struct vb_search_request *req,
                                 struct vb_error *err);
/* Fills s->tokens from the request text (query syntax, or a suggest
 * text as one plain run) and decides the function words. */
enum vb_status vb_query_parse(struct request_state *s, struct vb_error *err);

/* expand.c */
bool vb_query_has_digit(const char *s, size_t n);
/* One index term as it is (a filter, an id, a subject term). */
struct vb_xapian_query *vb_query_term(struct request_state *s,
                                      const char *term, size_t len);
/* A text term, under the history prefix while s->history. */
struct vb_xapian_query *vb_query_word(struct request_state *s,
                                      const char *term, size_t len);
/* A token: its stems in every language, and unless `whole_only` its
 * parts, completions (`as_prefix`) and corrections, each weighted by the
 * model. */
struct vb_xapian_query *vb_query_token(struct request_state *s,
                                       struct qtoken *t, bool as_prefix,
                                       bool whole_only);
/* Tokens [first, first + count) as a phrase (in customer history, which
 * has no positions, all of them in one event). */
struct vb_xapian_query *vb_query_phrase(struct request_state *s, size_t first,
                                        size_t count);
/* Tokens a and b (a < b) as neighbouring content words in this order
 * (their pair term, schema/, in each language); NULL when they have no
 * terms. */
struct vb_xapian_query *vb_query_pair(struct request_state *s, size_t a,
                                      size_t b);
/* After token `token`'s clause: a code or number typed in pieces ("fiber
 * 500") also matches as the joined term, replacing the pieces' clauses. */
void vb_query_joins(struct request_state *s, struct plan *p, size_t token);
/* Tokens a and b typed apart that Dutch articles write as one word ("sim
 * kaart": "simkaart"): that word's stems, or NULL when no article has
 * it. */
struct vb_xapian_query *vb_query_compound(struct request_state *s, size_t a,
                                          size_t b);
/* The end of the longest concept (term bank, synonyms) starting at token
 * `first`, and its id; `first` when none. */
size_t vb_query_match_concept(struct request_state *s, size_t first,
                              size_t end, uint32_t *concept);
/* Tokens [first, end) as typed, or any other way of saying `concept`. */
struct vb_xapian_query *vb_query_concept(struct request_state *s, size_t first,
                                         size_t end, uint32_t concept,
                                         bool typing);

/* plan.c */
/* Documents holding the token's whole term, in the language where most
 * do (in the part of the index being planned). */
uint32_t vb_query_doc_freq(struct request_state *s, const struct qtoken *t);
/* Whether the request searches the customer's history at all. */
bool vb_query_wants_history(const struct vb_search_request *req);
/* The filter for the requested article types (NULL: all). */
struct vb_xapian_query *vb_query_article_types(struct request_state *s);
/* The filter for the request's customer. */
/* The filter of what the request's tenant may see (its documents and
 * the shared ones), NULL without a tenant. */
struct vb_xapian_query *vb_query_visible(struct request_state *s);
struct vb_xapian_query *vb_query_customer(struct request_state *s);
/* The text query of one part of the index (articles, or with `history`
 * the customer's events before the customer filter), exclusions
 * applied; NULL when it has no words to search, *has_words whether the
 * text had any at all. */
struct vb_xapian_query *vb_query_part(struct request_state *s, struct plan *p,
                                      bool history, bool *has_words);

/* rank.c: the model; see its header comment. */
struct vb_rank_model {
    double bm25_k1; /* BM25's b is applied when documents are built */
    double subject; /* the subject field against the text (1) */
    /* An expansion's weight against the word as typed (1). */
    double part, prefix, prefix_of_word, typo, concept, join;
    /* How the clauses of a text add up. */
    double function_word, all_words, proximity;
    unsigned all_words_max; /* content words */
    /* A long text (suggest): the salient words decide. */
    unsigned salient_max, salient_repeats_max;
    double salient_domain;
    /* Customer history. */
    double history, history_typed;
    /* The preferred language. */
    double preferred_lang;
    unsigned preferred_depth, preferred_extra;
};
extern const struct vb_rank_model vb_rank;

/* The scored query of a short text's clauses (see the model). */
struct vb_xapian_query *vb_rank_combine(struct request_state *s,
                                        struct plan *p);
/* Whether the preferred language's documents are boosted. */
bool vb_rank_prefers(const struct vb_search_request *req, bool by_date);
/* How many hits to ask Xapian for when the page needs `room`. */
uint32_t vb_rank_fetch(bool prefer, uint32_t room);
/* A score as the API reports it: on BM25's own scale (the index's
 * frequencies are scaled, vb_schema.h). */
double vb_rank_reported(double score);
/* A hit in the model's order. */
struct vb_ranked {
    uint32_t docid;
    double score;
};
/* The first `room` hits in the model's order into out (room for every
 * hit of `hits`, whose languages are in `langs`, or when it is NULL in
 * their LANG values): how many, or SIZE_MAX when `hits` (`asked` were
 * asked for) cannot prove them: ask for more. */
size_t vb_rank_order(const struct vb_search_request *req, bool prefer,
                     const struct vb_xapian_hits *hits,
                     const struct vb_doc_langs *langs, uint32_t asked,
                     struct vb_ranked *out, size_t room);

/* hits.c: the page of `q` into r (hits, total, facets, suggestion). */
enum vb_status vb_query_page(struct request_state *s, struct vb_xapian_query *q,
                             bool by_date, struct vb_search_result *r,
                             struct vb_error *err);

#endif
