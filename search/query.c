/* query.c — what a query means: parsing, one query tree per request,
 * tiers (all words before some), collapsing translations, hits. */
#include "search_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Query-mode requests beyond this many tokens are treated as long
 * natural-language text (the salient words decide). */
#define SHORT_QUERY_TOKENS 6
/* Tokens considered from one request (suggest texts are long). */
#define TOKENS_MAX 2048
/* Salient words kept from a long text. */
#define SALIENT_MAX 10
#define COMPLETIONS_PER_LANG 6
#define COMPLETIONS_MAX 6
#define CORRECTIONS_MAX 3
#define TYPO_MIN_LEN 5          /* one edit from five letters */
#define TYPO_TWO_EDITS_LEN 9    /* two from nine */
#define PREFIX_MIN_LEN 1
/* Relative weights: exact and stemmed matches always above the rest. */
#define PART_WEIGHT 0.5
#define PREFIX_WEIGHT 0.8
#define TYPO_WEIGHT 0.35
/* Scores of documents in the preferred language are multiplied by this
 * among the first RERANK_DEPTH hits (RERANK_EXTRA more are fetched so
 * that a boosted one can climb onto the page). */
#define LANG_BOOST 1.25
#define RERANK_DEPTH 100
#define RERANK_EXTRA 10
#define THESAURUS_WEIGHT 0.7
#define JOIN_WEIGHT 2.0
/* Documents with all the words of a short query weigh this many times
 * more than those with some: above any of them. */
#define TIER_BOOST 100.0
#define HISTORY_BOOST 3.0

/* ==== Per-request state ================================================= */

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
    bool stopword;
    struct qterm terms[VB_LANG_COUNT][VB_TOKEN_TERMS_MAX];
    uint8_t term_count[VB_LANG_COUNT];
    /* Corrections and completions found for it, for snippets. */
    const char *correction; /* borrowed from the vocabulary */
    size_t correction_len;
};

struct request_state {
    struct vb_searcher *searcher;
    const struct vb_search_request *req;
    struct vb_vocab *vocab;
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
    bool history; /* building the plan for customer history's terms */
    struct vb_snippet_cache *snippets; /* matches remembered per request */
    uint32_t doc_count;
    /* The terms of the words as typed (stems, completions, corrections;
     * not parts or other ways of saying it) of the required clauses, for
     * the first tier's subject filter; collected while `subject_words`. */
    struct vb_term_set subject;
    bool subject_words;
};

static struct vb_xapian_query *keep(struct request_state *s,
                                    struct vb_xapian_query *q)
{
    if (!q) {
        s->failed = true;
        return NULL;
    }
    if (s->node_count == s->node_cap) {
        size_t cap = s->node_cap ? s->node_cap * 2 : 64;
        struct vb_xapian_query **n = realloc(s->nodes, cap * sizeof *n);
        if (!n) {
            vb_xapian_query_free(q);
            s->failed = true;
            return NULL;
        }
        s->nodes = n;
        s->node_cap = cap;
    }
    s->nodes[s->node_count++] = q;
    return q;
}

static void term_set_add(struct request_state *s, struct vb_term_set *h,
                         const char *term, size_t len)
{
    if (len > VB_TERM_MAX)
        return;
    for (size_t i = 0; i < h->count; i++)
        if (strlen(h->terms[i]) == len && memcmp(h->terms[i], term, len) == 0)
            return;
    if (h->count == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 32;
        void *p = realloc(h->terms, cap * sizeof *h->terms);
        if (!p) {
            s->failed = true;
            return;
        }
        h->terms = p;
        h->cap = cap;
    }
    memcpy(h->terms[h->count], term, len);
    h->terms[h->count][len] = '\0';
    h->count++;
}

static void highlight_add(struct request_state *s, const char *term, size_t len)
{
    if (!s->quiet)
        term_set_add(s, &s->highlight, term, len);
}

static void subject_add(struct request_state *s, const char **terms,
                        const size_t *lens, size_t count)
{
    for (size_t i = 0; s->subject_words && i < count; i++)
        term_set_add(s, &s->subject, terms[i], lens[i]);
}

/* ==== Parsing and analysis ============================================== */

struct analysis_ctx {
    struct request_state *s;
    enum vb_lang lang;
    size_t first;  /* index of the segment's first token */
    size_t index;  /* token being filled in this pass */
};

static int collect_token(void *ctx, const struct vb_token *t)
{
    struct analysis_ctx *a = ctx;
    struct request_state *s = a->s;
    size_t i = a->first + a->index++;
    if (a->lang == VB_LANG_NL) {
        if (s->token_count == TOKENS_MAX)
            return 1;
        struct qtoken *q = &s->tokens[s->token_count++];
        memset(q, 0, sizeof *q);
        q->start = s->segment_offset + t->start;
        q->end = s->segment_offset + t->end;
        q->segment = s->segment;
        q->kind = s->segment_kind;
        memcpy(q->word, t->word, t->word_len + 1);
        q->word_len = t->word_len;
    }
    if (i >= s->token_count)
        return 1; /* tokenisation agrees across languages; be safe */
    struct qtoken *q = &s->tokens[i];
    q->stopword = q->stopword || t->stopword;
    for (size_t k = 0; k < t->term_count; k++) {
        struct qterm *qt = &q->terms[a->lang][k];
        memcpy(qt->text, t->terms[k], t->term_lens[k] + 1);
        qt->len = (uint8_t)t->term_lens[k];
        qt->kind = (uint8_t)t->term_kinds[k];
    }
    q->term_count[a->lang] = (uint8_t)t->term_count;
    return 0;
}

static enum vb_status analyze_segment(struct request_state *s, size_t start,
                                      size_t end, enum segment_kind kind,
                                      struct vb_error *err)
{
    const char *text = s->req->text + start;
    s->segment_kind = kind;
    s->segment_offset = start;
    struct analysis_ctx a = {.s = s, .first = s->token_count};
    for (int lang = VB_LANG_NL; lang < VB_LANG_COUNT; lang++) {
        a.lang = (enum vb_lang)lang;
        a.index = 0;
        enum vb_status st = vb_analyze_text(s->searcher->analyzer, text,
                                            end - start, a.lang, collect_token,
                                            &a, err);
        if (st != VB_OK)
            return st;
    }
    s->segment++;
    return VB_OK;
}

/* Splits q into plain runs, "phrases" and -exclusions (-word, -"phrase").
 * Lenient by design: an unclosed quote runs to the end, as while typing. */
static enum vb_status parse_query(struct request_state *s, struct vb_error *err)
{
    const char *q = s->req->text;
    size_t n = s->req->text_len, i = 0, plain_start = 0;
    bool in_plain = false;
    enum vb_status st = VB_OK;
    while (i < n && st == VB_OK) {
        if (is_space(q[i])) {
            i++;
            continue;
        }
        bool exclude = q[i] == '-' && i + 1 < n && !is_space(q[i + 1]) &&
                       (i == 0 || is_space(q[i - 1]));
        size_t at = exclude ? i + 1 : i;
        if (exclude || q[at] == '"') {
            if (in_plain)
                st = analyze_segment(s, plain_start, i, SEG_PLAIN, err);
            in_plain = false;
            if (st != VB_OK)
                break;
            if (q[at] == '"') {
                const char *close = memchr(q + at + 1, '"', n - at - 1);
                size_t end = close ? (size_t)(close - q) : n;
                st = analyze_segment(s, at + 1, end,
                                     exclude ? SEG_EXCLUDE_PHRASE : SEG_PHRASE,
                                     err);
                s->open_phrase = !close;
                i = close ? end + 1 : n;
            } else {
                size_t end = at;
                while (end < n && !is_space(q[end]) && q[end] != '"')
                    end++;
                st = analyze_segment(s, at, end, SEG_EXCLUDE, err);
                i = end;
            }
            continue;
        }
        if (!in_plain) {
            plain_start = i;
            in_plain = true;
        }
        while (i < n && !is_space(q[i]) && q[i] != '"')
            i++;
    }
    if (st == VB_OK && in_plain)
        st = analyze_segment(s, plain_start, n, SEG_PLAIN, err);
    return st;
}

/* ==== Query pieces ====================================================== */

static struct vb_xapian_query *term_query(struct request_state *s,
                                          const char *term, size_t len)
{
    return keep(s, vb_xapian_query_term(term, len, 1, 0));
}

/* `prefix` + a text term (cut to VB_TERM_MAX bytes) into `out`, which
 * holds VB_TERM_MAX + 8; returns the length. */
static size_t prefixed_term(char *out, const char *prefix, const char *term,
                            size_t len)
{
    size_t plen = strlen(prefix);
    if (len > VB_TERM_MAX)
        len = VB_TERM_MAX;
    memcpy(out, prefix, plen);
    memcpy(out + plen, term, len);
    return plen + len;
}

/* A text term: prefixed when the plan being built is customer history's
 * (its terms carry VB_SCHEMA_PREFIX_HISTORY, see vb_schema.h). */
static struct vb_xapian_query *word_query(struct request_state *s,
                                          const char *term, size_t len)
{
    if (!s->history)
        return term_query(s, term, len);
    char prefixed[VB_TERM_MAX + 8];
    return term_query(
        s, prefixed, prefixed_term(prefixed, VB_SCHEMA_PREFIX_HISTORY, term, len));
}

/* Adds `term` to terms[] unless present; returns the new count. */
static size_t add_unique(const char **terms, size_t *lens, size_t count,
                         size_t max, const char *term, size_t len)
{
    for (size_t i = 0; i < count; i++)
        if (lens[i] == len && memcmp(terms[i], term, len) == 0)
            return count;
    if (count == max)
        return count;
    terms[count] = term;
    lens[count] = len;
    return count + 1;
}

/* SYNONYM over terms (a single term stays a term). */
static struct vb_xapian_query *synonym_of(struct request_state *s,
                                          const char **terms,
                                          const size_t *lens, size_t count)
{
    struct vb_xapian_query *subs[3 * VB_LANG_COUNT * VB_TOKEN_TERMS_MAX];
    if (count == 0)
        return NULL;
    for (size_t i = 0; i < count; i++) {
        subs[i] = word_query(s, terms[i], lens[i]);
        highlight_add(s, terms[i], lens[i]);
    }
    if (count == 1)
        return subs[0];
    return keep(s, vb_xapian_query_synonym(subs, count));
}

/* The whole terms of a word in one language, analysed on its own (for
 * completions and corrections found in the vocabulary). */
struct whole_ctx {
    char term[VB_TERM_MAX + 1];
    size_t len;
};

static int take_whole(void *ctx, const struct vb_token *t)
{
    struct whole_ctx *w = ctx;
    memcpy(w->term, t->terms[0], t->term_lens[0] + 1);
    w->len = t->term_lens[0];
    return 1;
}

/* Completions and corrections come back as stems in `out` (storage
 * `store`), deduplicated against what is there. */
static size_t stems_of_matches(struct request_state *s,
                               const struct vb_vocab_match *m, size_t count,
                               char (*store)[VB_TERM_MAX + 1],
                               const char **terms, size_t *lens, size_t used,
                               size_t max)
{
    for (size_t i = 0; i < count && used < max; i++) {
        struct whole_ctx w = {.len = 0};
        if (vb_analyze_text(s->searcher->analyzer, m[i].word, m[i].len,
                            m[i].lang, take_whole, &w, NULL) != VB_OK ||
            w.len == 0)
            continue;
        memcpy(store[used], w.term, w.len + 1);
        used = add_unique(terms, lens, used, max, store[used], w.len);
    }
    return used;
}

static bool has_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return true;
    return false;
}

static bool known_word(const struct vb_vocab *v, const struct qtoken *t)
{
    for (int lang = VB_LANG_NL; lang < VB_LANG_COUNT; lang++)
        if (vb_vocab_freq(v, (enum vb_lang)lang, t->word, t->word_len) > 0)
            return true;
    return false;
}

/* Words in the vocabulary an edit or two from the token's word. */
static size_t corrections(struct request_state *s, struct qtoken *t,
                          struct vb_vocab_match *out)
{
    if (t->word_len < TYPO_MIN_LEN || t->stopword ||
        has_digit(t->word, t->word_len) || known_word(s->vocab, t))
        return 0;
    unsigned edits = t->word_len >= TYPO_TWO_EDITS_LEN ? 2 : 1;
    struct vb_vocab_match all[VB_LANG_COUNT * CORRECTIONS_MAX];
    size_t count = 0;
    for (int lang = VB_LANG_NL; lang < VB_LANG_COUNT; lang++) {
        enum vb_lang l = (enum vb_lang)lang;
        count += vb_vocab_correct(s->vocab, l, t->word, t->word_len, edits,
                                  all + count, CORRECTIONS_MAX);
    }
    /* Best overall: fewest edits, then the preferred language, then the
     * most documents. */
    enum vb_lang pref = s->req->preferred_lang;
    for (size_t i = 1; i < count; i++)
        for (size_t j = i; j > 0; j--) {
            struct vb_vocab_match *a = &all[j - 1], *b = &all[j];
            bool swap = b->edits < a->edits ||
                        (b->edits == a->edits &&
                         ((b->lang == pref) > (a->lang == pref) ||
                          ((b->lang == pref) == (a->lang == pref) &&
                           b->freq > a->freq)));
            if (!swap)
                break;
            struct vb_vocab_match tmp = *a;
            *a = *b;
            *b = tmp;
        }
    if (count > CORRECTIONS_MAX)
        count = CORRECTIONS_MAX;
    memcpy(out, all, count * sizeof *out);
    if (count > 0) {
        t->correction = out[0].word;
        t->correction_len = out[0].len;
    }
    return count;
}

/* Is term k of the token (in `lang`) one it is searched as: its
 * accent-free spelling's stem when it was typed with accents, else its
 * whole term?  "électricité" and "electricite" are then one query (the
 * variant is what every document carries). */
static bool searched_kind(const struct qtoken *t, enum vb_lang lang, size_t k)
{
    enum vb_term_kind kind = (enum vb_term_kind)t->terms[lang][k].kind;
    if (kind == VB_TERM_VARIANT)
        return true;
    if (kind != VB_TERM_WHOLE)
        return false;
    for (size_t i = 0; i < t->term_count[lang]; i++)
        if (t->terms[lang][i].kind == VB_TERM_VARIANT)
            return false;
    return true;
}

static bool searched_as(const struct qtoken *t, enum vb_lang lang,
                        const char *term)
{
    for (size_t k = 0; k < t->term_count[lang]; k++)
        if (searched_kind(t, lang, k) && strcmp(t->terms[lang][k].text, term) == 0)
            return true;
    return false;
}

/* The query for one token: its whole terms in every language as one
 * synonym; parts (compounds, codes) as a weaker alternative; a completion
 * of the last word being typed; corrections of a misspelt word. */
static struct vb_xapian_query *token_query(struct request_state *s,
                                           struct qtoken *t, bool as_prefix,
                                           bool whole_only)
{
    enum { MAX = 3 * VB_LANG_COUNT * VB_TOKEN_TERMS_MAX };
    const char *terms[MAX];
    size_t lens[MAX], count = 0;
    for (int l = VB_LANG_NL; l < VB_LANG_COUNT; l++)
        for (size_t k = 0; k < t->term_count[l]; k++)
            if (searched_kind(t, (enum vb_lang)l, k))
                count = add_unique(terms, lens, count, MAX, t->terms[l][k].text,
                                   t->terms[l][k].len);
    struct vb_xapian_query *alternatives[4];
    size_t n = 0;
    alternatives[n++] = synonym_of(s, terms, lens, count);
    subject_add(s, terms, lens, count);
    if (whole_only)
        return alternatives[0];

    /* Parts, per language (AND of a language's parts). */
    struct vb_xapian_query *part_sets[VB_LANG_COUNT];
    size_t sets = 0;
    for (int l = VB_LANG_NL; l < VB_LANG_COUNT; l++) {
        struct vb_xapian_query *parts[VB_TOKEN_TERMS_MAX];
        size_t pc = 0;
        for (size_t k = 0; k < t->term_count[l]; k++) {
            struct qterm *q = &t->terms[l][k];
            if (q->kind != VB_TERM_PART)
                continue;
            highlight_add(s, q->text, q->len);
            parts[pc++] = word_query(s, q->text, q->len);
        }
        if (pc > 0)
            part_sets[sets++] = keep(s, vb_xapian_query_and(parts, pc));
    }
    if (sets > 0)
        alternatives[n++] = keep(
            s, vb_xapian_query_scale_weight(
                   sets == 1 ? part_sets[0]
                             : keep(s, vb_xapian_query_or(part_sets, sets)),
                   PART_WEIGHT));

    char store[MAX][VB_TERM_MAX + 1];
    bool completed = false;
    if (as_prefix && t->word_len >= PREFIX_MIN_LEN) {
        /* The most frequent completions over the three languages (the
         * preferred one counting double), each its own term in an OR:
         * few terms, and Xapian can skip the ones that cannot reach the
         * page. */
        struct vb_vocab_match all[VB_LANG_COUNT * COMPLETIONS_PER_LANG];
        size_t found = 0;
        for (int l = VB_LANG_NL; l < VB_LANG_COUNT; l++)
            found += vb_vocab_complete(s->vocab, (enum vb_lang)l, t->word,
                                       t->word_len, all + found,
                                       COMPLETIONS_PER_LANG);
        enum vb_lang pref = s->req->preferred_lang;
        for (size_t i = 1; i < found; i++)
            for (size_t j = i; j > 0; j--) {
                uint64_t a = (uint64_t)all[j - 1].freq * (all[j - 1].lang == pref ? 2 : 1);
                uint64_t b = (uint64_t)all[j].freq * (all[j].lang == pref ? 2 : 1);
                if (b <= a)
                    break;
                struct vb_vocab_match tmp = all[j - 1];
                all[j - 1] = all[j];
                all[j] = tmp;
            }
        if (found > COMPLETIONS_MAX)
            found = COMPLETIONS_MAX;
        const char *extra[MAX];
        size_t extra_lens[MAX];
        size_t extra_count =
            stems_of_matches(s, all, found, store, extra, extra_lens, 0, MAX);
        subject_add(s, extra, extra_lens, extra_count);
        completed = extra_count > 0;
        if (completed) {
            struct vb_xapian_query *each[COMPLETIONS_MAX];
            for (size_t i = 0; i < extra_count; i++) {
                highlight_add(s, extra[i], extra_lens[i]);
                each[i] = word_query(s, extra[i], extra_lens[i]);
            }
            alternatives[n++] = keep(
                s, vb_xapian_query_scale_weight(
                       extra_count == 1
                           ? each[0]
                           : keep(s, vb_xapian_query_or(each, extra_count)),
                       PREFIX_WEIGHT));
        }
    }
    /* A word still being typed that completes to known words is not a
     * typo. */
    if (s->req->mode == VB_SEARCH_QUERY && !completed) {
        struct vb_vocab_match m[CORRECTIONS_MAX];
        size_t c = corrections(s, t, m);
        const char *extra[MAX];
        size_t extra_lens[MAX];
        size_t extra_count =
            stems_of_matches(s, m, c, store, extra, extra_lens, 0, MAX);
        subject_add(s, extra, extra_lens, extra_count);
        if (extra_count > 0) {
            alternatives[n++] = keep(
                s, vb_xapian_query_scale_weight(
                       synonym_of(s, extra, extra_lens, extra_count),
                       TYPO_WEIGHT));
            s->corrected = true;
        }
    }
    if (n == 1)
        return alternatives[0];
    return keep(s, vb_xapian_query_or(alternatives, n));
}

/* A phrase: the tokens' whole terms in order, in each language.  Customer
 * history is indexed without positions (vb_schema.h): there a phrase
 * matches as all its words in one event. */
static struct vb_xapian_query *phrase_query(struct request_state *s,
                                            size_t first, size_t count)
{
    if (count == 1)
        return token_query(s, &s->tokens[first], false, true);
    if (s->history) {
        struct vb_xapian_query *words[TOKENS_MAX];
        for (size_t i = 0; i < count; i++)
            words[i] = token_query(s, &s->tokens[first + i], false, true);
        return keep(s, vb_xapian_query_and(words, count));
    }
    struct vb_xapian_query *per_lang[VB_LANG_COUNT];
    size_t langs = 0;
    for (int l = VB_LANG_NL; l < VB_LANG_COUNT; l++) {
        /* The same stems in another language: the same phrase. */
        bool same = false;
        for (int o = VB_LANG_NL; o < l && !same; o++) {
            same = true;
            for (size_t i = 0; i < count && same; i++) {
                const struct qtoken *t = &s->tokens[first + i];
                same = strcmp(t->terms[l][0].text, t->terms[o][0].text) == 0;
            }
        }
        if (same)
            continue;
        struct vb_xapian_query *subs[TOKENS_MAX];
        for (size_t i = 0; i < count; i++) {
            struct qtoken *t = &s->tokens[first + i];
            highlight_add(s, t->terms[l][0].text, t->terms[l][0].len);
            subs[i] = word_query(s, t->terms[l][0].text, t->terms[l][0].len);
        }
        per_lang[langs++] = keep(s, vb_xapian_query_phrase(subs, count, 0));
    }
    return langs == 1 ? per_lang[0] : keep(s, vb_xapian_query_or(per_lang, langs));
}

/* ==== The query tree ==================================================== */

struct clause {
    struct vb_xapian_query *q;
    size_t first_token;
    bool optional; /* a stopword: adds weight, never required */
    double rarity; /* idf of its rarest whole term, for long texts */
    unsigned repeats; /* times a long text holds the word */
    bool domain;      /* says a concept of the term bank or synonyms */
};

struct plan {
    struct clause *clauses;
    size_t count;
    struct vb_xapian_query *excluded[TOKENS_MAX];
    size_t excluded_count;
};

/* Digit groups and "word number" are also indexed joined: the tokens the
 * join covers match either one by one or as the joined term. */
static void apply_joins(struct request_state *s, struct plan *p, size_t token)
{
    struct qtoken *t = &s->tokens[token];
    for (size_t k = 0; k < t->term_count[VB_LANG_NL]; k++) {
        struct qterm *j = &t->terms[VB_LANG_NL][k];
        if (j->kind != VB_TERM_JOIN)
            continue;
        /* Which earlier tokens of the segment does it cover? */
        size_t tail = t->word_len, first = token;
        bool found = false;
        while (first > 0 && tail < j->len &&
               s->tokens[first - 1].segment == t->segment) {
            first--;
            tail += s->tokens[first].word_len;
            if (tail == j->len) {
                found = true;
                break;
            }
        }
        if (!found)
            continue;
        struct vb_xapian_query *run[TOKENS_MAX];
        size_t n = 0;
        while (p->count > 0 && p->clauses[p->count - 1].first_token >= first)
            run[n++] = p->clauses[--p->count].q;
        if (n == 0)
            continue;
        struct vb_xapian_query *both[2] = {
            n == 1 ? run[0] : keep(s, vb_xapian_query_and(run, n)),
            /* The code as one term is what the agent means: worth more
             * than its parts found apart ("fiber" ... "500"). */
            keep(s, vb_xapian_query_scale_weight(
                        word_query(s, j->text, j->len), JOIN_WEIGHT))};
        highlight_add(s, j->text, j->len);
        p->clauses[p->count++] = (struct clause){
            .q = keep(s, vb_xapian_query_or(both, 2)), .first_token = first};
    }
}

/* ==== Same meaning: term bank and synonyms ============================== */

/* Does `entry` (in its language) match the tokens from `first` on, with
 * stopword tokens between its words skipped?  Returns the end of the
 * match (exclusive), or 0. */
static size_t match_entry(const struct request_state *s,
                          const struct vb_thesaurus_entry *entry, size_t first,
                          size_t end)
{
    size_t k = first;
    for (size_t w = 0; w < entry->term_count; w++) {
        while (w > 0 && k < end && s->tokens[k].stopword)
            k++;
        if (k == end)
            return 0;
        const struct qtoken *t = &s->tokens[k];
        const char *want = vb_thesaurus_term(s->thesaurus, entry, w);
        if (t->term_count[entry->lang] == 0 ||
            strcmp(t->terms[entry->lang][0].text, want) != 0)
            return 0;
        k++;
    }
    return k;
}

/* The longest term-bank or synonym entry that starts at token `first` (in
 * any language the token was analysed in): its end (exclusive) and its
 * concept, or `first` when none. */
static size_t match_concept(struct request_state *s, size_t first, size_t end,
                            uint32_t *concept)
{
    const struct qtoken *t = &s->tokens[first];
    size_t best = first;
    if (!s->thesaurus || t->stopword)
        return first;
    for (int l = VB_LANG_NL; l < VB_LANG_COUNT; l++) {
        if (t->term_count[l] == 0)
            continue;
        size_t at;
        size_t n = vb_thesaurus_find(s->thesaurus, t->terms[l][0].text,
                                     t->terms[l][0].len, &at);
        for (size_t i = at; i < at + n; i++) {
            const struct vb_thesaurus_entry *e = s->thesaurus->by_key[i];
            if (e->lang != (enum vb_lang)l)
                continue;
            size_t stop = match_entry(s, e, first, end);
            if (stop > best) {
                best = stop;
                *concept = e->concept;
            }
        }
    }
    return best;
}

static bool same_entry(const struct vb_thesaurus *t,
                       const struct vb_thesaurus_entry *a,
                       const struct vb_thesaurus_entry *b)
{
    if (a->term_count != b->term_count)
        return false;
    for (size_t w = 0; w < a->term_count; w++)
        if (strcmp(vb_thesaurus_term(t, a, w), vb_thesaurus_term(t, b, w)) != 0)
            return false;
    return true;
}

/* Tokens [first, end) say a concept: they match as typed, or as any other
 * way of saying it, in any language, at a lower weight.  The other ways
 * are one synonym (weighted as one term): measured with callgrind, half
 * the instructions of an OR for a one-word query on 100,000 documents. */
static struct vb_xapian_query *concept_query(struct request_state *s,
                                             size_t first, size_t end,
                                             uint32_t concept, bool typing)
{
    struct vb_xapian_query *own[TOKENS_MAX], *other[64];
    size_t n = 0, m = 0;
    for (size_t k = first; k < end; k++) {
        bool last = typing && k + 1 == s->token_count;
        if (!s->tokens[k].stopword || last)
            own[n++] = token_query(s, &s->tokens[k], last, false);
    }
    /* Each other way of saying it once: "modem" is "modem" in all three
     * languages, and the words as typed are already in `own`. */
    const struct vb_thesaurus *t = s->thesaurus;
    const struct vb_thesaurus_entry *done[64];
    size_t done_count = 0;
    /* From the term bank, each language's first (canonical) word: its
     * other words are often frequent near-synonyms ("rekening" for
     * factuur) that tripled the cost of a one-word search for little
     * recall.  An editor's synonym line counts whole. */
    bool canonical_only = concept < t->bank_concepts;
    bool lang_done[VB_LANG_COUNT] = {false};
    for (uint32_t i = t->concept_start[concept];
         i < t->concept_start[concept + 1] && m < 64; i++) {
        const struct vb_thesaurus_entry *e = &t->entries[i];
        if (e->accented)
            continue; /* its accent-free twin follows */
        if (canonical_only && lang_done[e->lang])
            continue;
        lang_done[e->lang] = true;
        bool repeat = false;
        for (size_t d = 0; d < done_count && !repeat; d++)
            repeat = same_entry(t, done[d], e);
        if (!repeat && e->term_count == 1 && end - first == 1) {
            const struct qtoken *tk = &s->tokens[first];
            const char *term = vb_thesaurus_term(t, e, 0);
            for (int l = VB_LANG_NL; l < VB_LANG_COUNT && !repeat; l++)
                repeat = searched_as(tk, (enum vb_lang)l, term);
        }
        if (repeat)
            continue;
        done[done_count++] = e;
        struct vb_xapian_query *words[VB_THESAURUS_TERMS_MAX];
        for (size_t w = 0; w < e->term_count; w++) {
            const char *term = vb_thesaurus_term(t, e, w);
            highlight_add(s, term, strlen(term));
            words[w] = word_query(s, term, strlen(term));
        }
        other[m++] = e->term_count == 1
                         ? words[0]
                         : keep(s, vb_xapian_query_and(words, e->term_count));
    }
    struct vb_xapian_query *typed =
        n == 1 ? own[0] : keep(s, vb_xapian_query_and(own, n));
    if (m == 0)
        return typed;
    struct vb_xapian_query *both[2] = {
        typed,
        keep(s, vb_xapian_query_scale_weight(
                    m == 1 ? other[0]
                           : keep(s, vb_xapian_query_synonym(other, m)),
                    THESAURUS_WEIGHT))};
    return keep(s, vb_xapian_query_or(both, 2));
}

static double rarity(struct request_state *s, const struct qtoken *t)
{
    uint32_t best = 0;
    for (int l = VB_LANG_NL; l < VB_LANG_COUNT; l++) {
        if (t->term_count[l] == 0)
            continue;
        uint32_t f = 0;
        vb_xapian_term_freq(s->searcher->reader, t->terms[l][0].text,
                            t->terms[l][0].len, &f, NULL);
        if (f > best)
            best = f;
    }
    if (best < 2)
        return 0; /* unknown, or once: a typo or a name, not a topic */
    return log((double)(s->doc_count + 1) / (double)best);
}

static enum vb_status build_plan(struct request_state *s, struct plan *p)
{
    p->clauses = calloc(s->token_count + 1, sizeof *p->clauses);
    if (!p->clauses)
        return VB_ENOMEM;
    const char *text = s->req->text;
    size_t len = s->req->text_len;
    bool typing = s->req->mode == VB_SEARCH_QUERY && len > 0 &&
                  !is_space(text[len - 1]) &&
                  (text[len - 1] != '"' || s->open_phrase);
    /* The articles' words as typed, for the first tier's filter; a
     * suggest text's first tier takes its salient words instead
     * (pairs_in_subject), so its thousands of words are not collected. */
    bool subject = !s->history && s->req->mode == VB_SEARCH_QUERY;
    for (size_t i = 0; i < s->token_count;) {
        struct qtoken *t = &s->tokens[i];
        size_t end = i;
        while (end < s->token_count && s->tokens[end].segment == t->segment)
            end++;
        if (t->kind == SEG_PHRASE && typing && s->open_phrase &&
            end == s->token_count && end - i > 1) {
            /* "meterstand door|: the phrase so far, and the word being
             * typed completed after it. */
            struct vb_xapian_query *both[2] = {
                phrase_query(s, i, end - 1 - i),
                token_query(s, &s->tokens[end - 1], true, false)};
            p->clauses[p->count++] = (struct clause){
                .q = keep(s, vb_xapian_query_and(both, 2)), .first_token = i};
        } else if (t->kind == SEG_PHRASE || t->kind == SEG_EXCLUDE_PHRASE) {
            struct vb_xapian_query *q = phrase_query(s, i, end - i);
            if (t->kind == SEG_PHRASE)
                p->clauses[p->count++] =
                    (struct clause){.q = q, .first_token = i};
            else
                p->excluded[p->excluded_count++] = q;
        } else if (t->kind == SEG_EXCLUDE) {
            /* Excluded in every way of saying it, so that the other
             * language versions of a group do not bring it back. */
            for (size_t k = i; k < end;) {
                uint32_t concept = 0;
                size_t span_end = match_concept(s, k, end, &concept);
                if (span_end > k) {
                    p->excluded[p->excluded_count++] =
                        concept_query(s, k, span_end, concept, false);
                    k = span_end;
                } else {
                    p->excluded[p->excluded_count++] =
                        token_query(s, &s->tokens[k], false, true);
                    k++;
                }
            }
        } else {
            for (size_t k = i; k < end;) {
                uint32_t concept = 0;
                size_t span_end = match_concept(s, k, end, &concept);
                if (span_end > k) {
                    s->subject_words = subject;
                    p->clauses[p->count++] = (struct clause){
                        .q = concept_query(s, k, span_end, concept, typing),
                        .first_token = k, .domain = true};
                    s->subject_words = false;
                    k = span_end;
                    continue;
                }
                bool last = typing && k + 1 == s->token_count;
                struct qtoken *tk = &s->tokens[k];
                s->quiet = tk->stopword && !last;
                s->subject_words = subject && !s->quiet;
                p->clauses[p->count++] = (struct clause){
                    .q = token_query(s, tk, last, false), .first_token = k,
                    .optional = tk->stopword && !last};
                s->quiet = false;
                s->subject_words = false;
                apply_joins(s, p, k);
                k++;
            }
        }
        i = end;
    }
    return s->failed ? VB_ENOMEM : VB_OK;
}

static int by_rarity(const void *a, const void *b)
{
    double x = ((const struct clause *)a)->rarity;
    double y = ((const struct clause *)b)->rarity;
    return (x < y) - (x > y);
}

/* Whether the preferred language is boosted by reranking the first hits
 * (vb_search_run), and how deep in the ranking the page then reaches. */
static bool reranks(const struct vb_search_request *req, bool by_date)
{
    return req->preferred_lang != VB_LANG_UNKNOWN && !by_date &&
           req->offset + req->limit <= RERANK_DEPTH;
}

static uint32_t page_depth(const struct vb_search_request *req, bool by_date)
{
    return req->offset + req->limit + (reranks(req, by_date) ? RERANK_EXTRA : 0);
}

/* A text term's subject term (VB_SCHEMA_PREFIX_SUBJECT, see vb_schema.h);
 * its document frequency is added to *docs. */
static struct vb_xapian_query *subject_term(struct request_state *s,
                                            const char *text, size_t len,
                                            uint64_t *docs)
{
    char term[VB_TERM_MAX + 8];
    size_t n = prefixed_term(term, VB_SCHEMA_PREFIX_SUBJECT, text, len);
    uint32_t freq = 0;
    vb_xapian_term_freq(s->searcher->reader, term, n, &freq, NULL);
    *docs += freq;
    return term_query(s, term, n);
}

/* The documents of `required` (the words that must all be there) that
 * hold one of the words as typed in their subject (title, tags, product
 * codes): a boolean filter on postings a few percent the length of the
 * words' own.  NULL when there are no such words, or too few such
 * documents to fill the page (a small index: the first look would only
 * add to the full one). */
static struct vb_xapian_query *in_subject(struct request_state *s,
                                          struct vb_xapian_query *required)
{
    const struct vb_term_set *words = &s->subject;
    if (words->count == 0)
        return NULL;
    struct vb_xapian_query **subs = malloc(words->count * sizeof *subs);
    if (!subs) {
        s->failed = true;
        return NULL;
    }
    uint64_t docs = 0;
    for (size_t i = 0; i < words->count; i++)
        subs[i] = subject_term(s, words->terms[i], strlen(words->terms[i]),
                               &docs);
    struct vb_xapian_query *subject =
        docs < page_depth(s->req, false) ? NULL
        : words->count == 1              ? subs[0]
                                         : keep(s, vb_xapian_query_or(subs, words->count));
    free(subs);
    return subject ? keep(s, vb_xapian_query_filter(required, subject)) : NULL;
}

/* The subject terms of a long text's salient word (each searched stem,
 * in each language), or NULL when it has none; *docs: the documents that
 * have them, at most. */
static struct vb_xapian_query *clause_subject(struct request_state *s,
                                              const struct qtoken *t,
                                              uint64_t *docs)
{
    *docs = 0;
    struct vb_xapian_query *subs[VB_LANG_COUNT * VB_TOKEN_TERMS_MAX];
    const char *seen[VB_LANG_COUNT * VB_TOKEN_TERMS_MAX];
    size_t lens[VB_LANG_COUNT * VB_TOKEN_TERMS_MAX], n = 0;
    for (int l = VB_LANG_NL; l < VB_LANG_COUNT; l++)
        for (size_t k = 0; k < t->term_count[l]; k++) {
            const struct qterm *q = &t->terms[l][k];
            if (!searched_kind(t, (enum vb_lang)l, k))
                continue;
            size_t before = n;
            n = add_unique(seen, lens, n, sizeof subs / sizeof *subs, q->text,
                           q->len);
            if (n > before)
                subs[n - 1] = subject_term(s, q->text, q->len, docs);
        }
    if (n == 0)
        return NULL;
    return n == 1 ? subs[0] : keep(s, vb_xapian_query_or(subs, n));
}

/* The first tier's filter for a long text: documents with two of its
 * salient words in their subject (an OR over the pairs; Xapian 1.4 has no
 * "at least two of").  NULL with fewer than two, or when the pairs
 * cannot fill the page. */
static struct vb_xapian_query *pairs_in_subject(struct request_state *s,
                                                const struct plan *p,
                                                size_t kept)
{
    struct vb_xapian_query *each[SALIENT_MAX];
    uint64_t docs[SALIENT_MAX], bound = 0;
    struct vb_xapian_query *pairs[SALIENT_MAX * (SALIENT_MAX - 1) / 2];
    size_t n = 0, m = 0;
    for (size_t i = 0; i < kept && i < SALIENT_MAX; i++) {
        struct vb_xapian_query *q = clause_subject(
            s, &s->tokens[p->clauses[i].first_token], &docs[n]);
        if (q)
            each[n++] = q;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            struct vb_xapian_query *two[2] = {each[i], each[j]};
            pairs[m++] = keep(s, vb_xapian_query_and(two, 2));
            bound += docs[i] < docs[j] ? docs[i] : docs[j];
        }
    if (m == 0 || bound < page_depth(s->req, false))
        return NULL;
    return m == 1 ? pairs[0] : keep(s, vb_xapian_query_or(pairs, m));
}

/* The text part of the query: `all` needs every required clause (NULL
 * when that is the same as `any`); `any` needs one; `subject`, when the
 * first tier is wanted, is its filter (see part_query), NULL when there
 * is none. */
static void text_queries(struct request_state *s, struct plan *p,
                         struct vb_xapian_query **all,
                         struct vb_xapian_query **any,
                         struct vb_xapian_query **subject)
{
    struct vb_xapian_query *required[TOKENS_MAX], *every[TOKENS_MAX];
    size_t r = 0, e = 0;
    for (size_t i = 0; i < p->count; i++) {
        every[e++] = p->clauses[i].q;
        if (!p->clauses[i].optional)
            required[r++] = p->clauses[i].q;
    }
    *all = NULL;
    *any = NULL;
    bool want_subject = subject != NULL;
    if (subject)
        *subject = NULL;
    if (e == 0)
        return;
    bool long_text = s->req->mode == VB_SEARCH_SUGGEST || r > SHORT_QUERY_TOKENS;
    if (long_text) {
        /* The salient words decide, scored like "more like this": how
         * often the text says the word (capped) times its rarity in the
         * index, doubled for customer-service vocabulary (a term-bank or
         * synonym concept).  Stopwords, numbers, one- and two-letter words,
         * words the index does not hold or holds once (typos, names) or
         * everywhere do not count.  Inflections of one word are one. */
        size_t kept = 0;
        for (size_t i = 0; i < p->count; i++) {
            struct clause *c = &p->clauses[i];
            const struct qtoken *t = &s->tokens[c->first_token];
            if (c->optional || t->word_len < 3 ||
                has_digit(t->word, t->word_len) || t->term_count[VB_LANG_NL] == 0)
                continue;
            const struct qterm *whole = &t->terms[VB_LANG_NL][0];
            bool seen = false;
            for (size_t k = 0; k < kept && !seen; k++) {
                const struct qtoken *o = &s->tokens[p->clauses[k].first_token];
                const struct qterm *ow = &o->terms[VB_LANG_NL][0];
                if (ow->len == whole->len &&
                    memcmp(ow->text, whole->text, whole->len) == 0) {
                    p->clauses[k].repeats++;
                    seen = true;
                }
            }
            if (seen)
                continue;
            c->rarity = rarity(s, t);
            c->repeats = 1;
            if (c->rarity > 0.1)
                p->clauses[kept++] = *c;
        }
        for (size_t i = 0; i < kept; i++) {
            struct clause *c = &p->clauses[i];
            c->rarity *= (double)(c->repeats < 4 ? c->repeats : 4) *
                         (c->domain ? 2.0 : 1.0);
        }
        qsort(p->clauses, kept, sizeof *p->clauses, by_rarity);
        if (kept > SALIENT_MAX)
            kept = SALIENT_MAX;
        /* What the text repeats is what it is about: it weighs more in
         * the ranking too. */
        for (size_t i = 0; i < kept; i++)
            if (p->clauses[i].repeats > 1)
                p->clauses[i].q = keep(
                    s, vb_xapian_query_scale_weight(
                           p->clauses[i].q,
                           1.0 + log((double)p->clauses[i].repeats)));
        /* Highlight what decided, not every word of the e-mail. */
        s->highlight.count = 0;
        for (size_t i = 0; i < kept; i++) {
            const struct qtoken *t = &s->tokens[p->clauses[i].first_token];
            for (int l = VB_LANG_NL; l < VB_LANG_COUNT; l++)
                for (size_t k = 0; k < t->term_count[l]; k++)
                    if (t->terms[l][k].kind != VB_TERM_JOIN)
                        highlight_add(s, t->terms[l][k].text, t->terms[l][k].len);
            every[i] = p->clauses[i].q;
        }
        if (kept == 0)
            return;
        *any = kept == 1 ? every[0] : keep(s, vb_xapian_query_or(every, kept));
        /* Ten words of an e-mail are in the subjects of a third of the
         * articles: two of them in one subject is what narrows it. */
        if (want_subject)
            *subject = pairs_in_subject(s, p, kept);
        return;
    }
    if (r == 0) { /* only stopwords: they are what the agent asks for */
        memcpy(required, every, e * sizeof *every);
        r = e;
    }
    *any = e == 1 ? every[0] : keep(s, vb_xapian_query_or(every, e));
    struct vb_xapian_query *need = r == 1 ? required[0] : *any;
    if (r > 1) {
        struct vb_xapian_query *and_q = keep(s, vb_xapian_query_and(required, r));
        need = and_q;
        /* Stopwords still add weight among the documents with all words. */
        *all = r < e ? keep(s, vb_xapian_query_and_maybe(and_q, *any)) : and_q;
    }
    if (want_subject)
        *subject = in_subject(s, need);
}

/* Which parts of the index a request searches: articles (of the requested
 * types, or every type but history) and, only with a customer, that
 * customer's history, never anyone else's.  *article_filter is NULL when
 * every article type is wanted (article terms are on articles only). */
static bool wants_history(const struct vb_search_request *req)
{
    if (!req->customer)
        return false;
    if (req->type_count == 0)
        return true;
    for (size_t i = 0; i < req->type_count; i++)
        if (strcmp(req->types[i], VB_SCHEMA_TYPE_HISTORY) == 0)
            return true;
    return false;
}

/* The filter for explicitly requested article types, NULL for all of
 * them, match-nothing when only history was requested. */
static struct vb_xapian_query *article_types(struct request_state *s)
{
    const struct vb_search_request *req = s->req;
    if (req->type_count == 0)
        return NULL;
    struct vb_xapian_query *allowed[VB_SEARCH_TYPES_MAX];
    size_t n = 0;
    for (size_t i = 0; i < req->type_count; i++) {
        if (strcmp(req->types[i], VB_SCHEMA_TYPE_HISTORY) == 0)
            continue;
        char term[VB_DOC_TYPE_MAX + 8];
        int len = snprintf(term, sizeof term, "%s%s", VB_SCHEMA_PREFIX_TYPE,
                           req->types[i]);
        allowed[n++] = term_query(s, term, (size_t)len);
    }
    if (n == 0)
        return keep(s, vb_xapian_query_match_nothing());
    return n == 1 ? allowed[0] : keep(s, vb_xapian_query_or(allowed, n));
}

static struct vb_xapian_query *customer_term(struct request_state *s)
{
    char term[VB_DOC_CUSTOMER_MAX + 8];
    int len = snprintf(term, sizeof term, "%s%s", VB_SCHEMA_PREFIX_CUSTOMER,
                       s->req->customer);
    return term_query(s, term, (size_t)len);
}

/* The text query of one part of the index, both tiers and exclusions:
 * documents with all the words weigh TIER_BOOST times more, so they come
 * first, and Xapian, once the page holds only such documents, stops
 * looking at the others (its OR turns into AND_MAYBE when one side cannot
 * reach the page any more).  NULL when the text has no words to search;
 * *has_words says whether it had any at all. */
static struct vb_xapian_query *part_query(struct request_state *s,
                                          struct plan *p, bool history,
                                          bool *has_words,
                                          struct vb_xapian_query **first)
{
    if (first)
        *first = NULL;
    s->history = history;
    if (build_plan(s, p) != VB_OK)
        return NULL;
    struct vb_xapian_query *all = NULL, *any = NULL, *subject = NULL;
    text_queries(s, p, &all, &any, first ? &subject : NULL);
    *has_words = p->count > 0 || p->excluded_count > 0;
    if (!any)
        return NULL;
    struct vb_xapian_query *q = any;
    if (all) {
        struct vb_xapian_query *both[2] = {
            keep(s, vb_xapian_query_scale_weight(all, TIER_BOOST)), any};
        q = keep(s, vb_xapian_query_or(both, 2));
    }
    if (p->excluded_count > 0) {
        struct vb_xapian_query *ex =
            p->excluded_count == 1
                ? p->excluded[0]
                : keep(s, vb_xapian_query_or(p->excluded, p->excluded_count));
        if (!history)
            s->excluded = ex;
        q = keep(s, vb_xapian_query_and_not(q, ex));
    }
    if (subject) {
        /* The first look (see vb_search_run): the same query, weighed the
         * same, over the documents with every word and one of them, as
         * typed, in the subject (two salient words of a long text). */
        *first = keep(s, vb_xapian_query_filter(q, subject));
    }
    return q;
}

/* ==== Hits ============================================================== */

/* One page from one tier. */
static enum vb_status run_tier(struct request_state *s,
                               struct vb_xapian_query *q, uint32_t offset,
                               uint32_t limit, bool by_date,
                               struct vb_xapian_hits **hits,
                               struct vb_error *err)
{
    static const uint32_t values[] = {VB_SCHEMA_SLOT_LANG};
    static const uint32_t facets[] = {VB_SCHEMA_SLOT_TYPE, VB_SCHEMA_SLOT_LANG};
    struct vb_xapian_search_options o;
    vb_xapian_search_options_init(&o);
    o.offset = offset;
    o.limit = limit;
    o.collapse_slot = VB_SCHEMA_SLOT_COLLAPSE;
    o.collapse_max = 1;
    o.value_slots = values;
    o.value_slot_count = 1;
    o.without_data = true; /* read for the page only, after reranking */
    /* `total` is Xapian's estimate: asking it to count a few hundred
     * matches exactly tripled the time of three-word queries on 100,000
     * documents. */
    if (s->req->facets) {
        o.facet_slots = facets;
        o.facet_slot_count = 2;
        o.check_at_least = 1000;
    }
    if (by_date) {
        o.sort_slot = VB_SCHEMA_SLOT_DATE;
        o.sort_descending = true;
    }
    return vb_xapian_search(s->searcher->reader, q, &o, hits, err);
}

static char *dup_or_null(const char *s)
{
    return s[0] ? strdup(s) : NULL;
}

/* ==== Translations ====================================================== */

/* One language version of a translation group on the page, read from
 * value slots (no stored data is decoded for it). */
struct member {
    char id[VB_DOC_ID_MAX + 1];
    char lang[3];
    char group[VB_DOC_ID_MAX + 1];
};

static void copy_value(char *out, size_t size, const char *v, size_t len)
{
    if (!v)
        len = 0;
    if (len >= size)
        len = size - 1;
    memcpy(out, v ? v : "", len);
    out[len] = '\0';
}

/* Every language version of the groups of the documents on the page. */
static enum vb_status load_groups(struct request_state *s,
                                  struct vb_document **shown, size_t count,
                                  struct member **members,
                                  size_t *member_count, struct vb_error *err)
{
    struct vb_xapian_query *groups[VB_SEARCH_LIMIT_MAX];
    size_t n = 0;
    *members = NULL;
    *member_count = 0;
    for (size_t i = 0; i < count; i++) {
        if (!shown[i]->group[0])
            continue;
        char term[VB_DOC_ID_MAX + 8];
        int len = snprintf(term, sizeof term, "%s%s", VB_SCHEMA_PREFIX_GROUP,
                           shown[i]->group);
        groups[n++] = term_query(s, term, (size_t)len);
    }
    if (n == 0)
        return s->failed ? vb_error_set(err, VB_ENOMEM, "out of memory") : VB_OK;
    struct vb_xapian_query *q =
        n == 1 ? groups[0] : keep(s, vb_xapian_query_or(groups, n));
    if (!q)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    static const uint32_t slots[] = {VB_SCHEMA_SLOT_ID, VB_SCHEMA_SLOT_LANG,
                                     VB_SCHEMA_SLOT_COLLAPSE};
    struct vb_xapian_search_options o;
    vb_xapian_search_options_init(&o);
    o.limit = (uint32_t)(n * 4);
    o.value_slots = slots;
    o.value_slot_count = 3;
    o.without_data = true;
    struct vb_xapian_hits *hits = NULL;
    enum vb_status st = vb_xapian_search(s->searcher->reader, q, &o, &hits, err);
    if (st != VB_OK)
        return st;
    size_t h = vb_xapian_hits_count(hits);
    *members = calloc(h + 1, sizeof **members);
    if (!*members) {
        vb_xapian_hits_free(hits);
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < h; i++) {
        struct member *m = &(*members)[(*member_count)++];
        size_t len;
        const char *v = vb_xapian_hit_value(hits, i, VB_SCHEMA_SLOT_ID, &len);
        copy_value(m->id, sizeof m->id, v, len);
        v = vb_xapian_hit_value(hits, i, VB_SCHEMA_SLOT_LANG, &len);
        copy_value(m->lang, sizeof m->lang, v, len);
        v = vb_xapian_hit_value(hits, i, VB_SCHEMA_SLOT_COLLAPSE, &len);
        copy_value(m->group, sizeof m->group, v, len);
    }
    vb_xapian_hits_free(hits);
    return VB_OK;
}

/* ==== Running a request ================================================= */

static enum vb_status validate(const struct vb_search_request *req,
                               struct vb_error *err)
{
    size_t bad;
    size_t max = req->mode == VB_SEARCH_SUGGEST ? VB_SEARCH_SUGGEST_MAX
                                                : VB_SEARCH_QUERY_MAX;
    const char *field = req->mode == VB_SEARCH_SUGGEST ? "text" : "q";
    if (!req->text)
        return vb_error_set(err, VB_EINVAL, "'%s' is missing", field);
    if (req->text_len > max)
        return vb_error_set(err, VB_ELIMIT, "'%s' is longer than %zu bytes",
                            field, max);
    if (vb_utf8_validate(req->text, req->text_len, &bad) != VB_OK)
        return vb_error_set(err, VB_EUTF8, "'%s' is not valid UTF-8 (byte %zu)",
                            field, bad);
    if (req->limit < 1 || req->limit > VB_SEARCH_LIMIT_MAX)
        return vb_error_set(err, VB_EINVAL, "'limit' must be 1 to %d",
                            VB_SEARCH_LIMIT_MAX);
    if (req->offset > VB_SEARCH_OFFSET_MAX)
        return vb_error_set(err, VB_EINVAL, "'offset' must be 0 to %d",
                            VB_SEARCH_OFFSET_MAX);
    if (req->type_count > VB_SEARCH_TYPES_MAX)
        return vb_error_set(err, VB_EINVAL, "'type' names more than %d types",
                            VB_SEARCH_TYPES_MAX);
    for (size_t i = 0; i < req->type_count; i++) {
        const char *t = req->types[i];
        size_t n = t ? strlen(t) : 0;
        bool ok = n > 0 && n <= VB_DOC_TYPE_MAX && t[0] >= 'a' && t[0] <= 'z';
        for (size_t k = 0; ok && k < n; k++)
            ok = (t[k] >= 'a' && t[k] <= 'z') || (t[k] >= '0' && t[k] <= '9') ||
                 t[k] == '_' || t[k] == '-';
        if (!ok)
            return vb_error_set(err, VB_EINVAL,
                                "'type' entry %zu is not a type name", i + 1);
    }
    if (req->customer) {
        size_t n = strlen(req->customer);
        bool ok = n > 0 && n <= VB_DOC_CUSTOMER_MAX;
        for (size_t k = 0; ok && k < n; k++) {
            char c = req->customer[k];
            ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        }
        if (!ok)
            return vb_error_set(err, VB_EINVAL,
                                "'customer' must be 1 to %d of A-Z a-z 0-9 . _ -",
                                VB_DOC_CUSTOMER_MAX);
    }
    bool blank = true;
    for (size_t i = 0; blank && i < req->text_len; i++)
        blank = is_space(req->text[i]);
    if (blank && !req->customer)
        return vb_error_set(err, VB_EINVAL, "'%s' is empty (allowed only with "
                            "'customer')", field);
    return VB_OK;
}

static char *corrected_text(const struct request_state *s)
{
    const char *text = s->req->text;
    size_t cap = s->req->text_len * 2 + 64, used = 0, at = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (size_t i = 0; i < s->token_count; i++) {
        const struct qtoken *t = &s->tokens[i];
        if (!t->correction)
            continue;
        size_t keep_len = t->start - at;
        if (used + keep_len + t->correction_len + 1 > cap)
            break;
        memcpy(out + used, text + at, keep_len);
        used += keep_len;
        memcpy(out + used, t->correction, t->correction_len);
        used += t->correction_len;
        at = t->end;
    }
    size_t rest = s->req->text_len - at;
    if (used + rest + 1 > cap) {
        free(out);
        return NULL;
    }
    memcpy(out + used, text + at, rest);
    used += rest;
    while (used > 0 && is_space(out[used - 1]))
        used--; /* the suggestion is a query, not what was being typed */
    out[used] = '\0';
    return out;
}

static enum vb_status fill_hit(struct request_state *s, struct vb_search_hit *h,
                               const struct vb_document *doc, double score,
                               const struct member *members, size_t member_count)
{
    h->id = strdup(doc->id);
    h->type = strdup(doc->type);
    h->lang = dup_or_null(doc->lang);
    h->title = strdup(doc->title);
    h->score = score;
    h->group = dup_or_null(doc->group);
    h->updated = dup_or_null(doc->updated);
    h->date = dup_or_null(doc->date);
    h->customer = dup_or_null(doc->customer);
    h->channel = dup_or_null(doc->channel);
    h->snippet = vb_snippet_make(s->searcher->analyzer, &s->highlight,
                                 s->snippets, doc->body_text,
                                 vb_lang_parse(doc->lang, strlen(doc->lang)));
    if (doc->group[0]) {
        h->translations = calloc(member_count + 1, sizeof *h->translations);
        if (!h->translations)
            return VB_ENOMEM;
        for (size_t m = 0; m < member_count; m++) {
            const struct member *o = &members[m];
            if (strcmp(o->group, doc->group) != 0 ||
                strcmp(o->id, doc->id) == 0)
                continue;
            struct vb_search_translation *t =
                &h->translations[h->translation_count++];
            memcpy(t->lang, o->lang, sizeof t->lang);
            t->id = strdup(o->id);
            if (!t->id)
                return VB_ENOMEM;
        }
    }
    if (!h->id || !h->type || !h->title || !h->snippet)
        return VB_ENOMEM;
    return VB_OK;
}

/* Does the document with id term `term` match `q`? */
static enum vb_status matches(const struct request_state *s, const char *term,
                              size_t len, struct vb_xapian_query *q,
                              bool *match, struct vb_error *err)
{
    struct vb_xapian_query *id = vb_xapian_query_term(term, len, 1, 0);
    struct vb_xapian_query *both = vb_xapian_query_filter(q, id);
    struct vb_xapian_hits *hits = NULL;
    struct vb_xapian_search_options o;
    vb_xapian_search_options_init(&o);
    o.limit = 1;
    o.without_data = true;
    enum vb_status st =
        both ? vb_xapian_search(s->searcher->reader, both, &o, &hits, err)
             : vb_error_set(err, VB_ENOMEM, "out of memory");
    *match = st == VB_OK && vb_xapian_hits_count(hits) > 0;
    vb_xapian_hits_free(hits);
    vb_xapian_query_free(both);
    vb_xapian_query_free(id);
    return st;
}

/* The preferred language's version of a hit's translation group, when it
 * is another document: decoded into *out (NULL when the hit itself is
 * the one to show). */
static enum vb_status preferred_version(const struct request_state *s,
                                        const struct vb_document *doc,
                                        const struct member *members,
                                        size_t member_count,
                                        struct vb_document **out,
                                        struct vb_error *err)
{
    *out = NULL;
    enum vb_lang pref = s->req->preferred_lang;
    if (pref == VB_LANG_UNKNOWN || !doc->group[0] ||
        strcmp(doc->lang, vb_lang_code(pref)) == 0)
        return VB_OK;
    for (size_t m = 0; m < member_count; m++) {
        if (strcmp(members[m].group, doc->group) != 0 ||
            strcmp(members[m].lang, vb_lang_code(pref)) != 0)
            continue;
        char term[VB_DOC_ID_MAX + 8];
        size_t n = vb_schema_id_term(members[m].id, term, sizeof term);
        if (s->excluded) {
            /* Never show a version that holds an excluded word. */
            bool excluded = false;
            enum vb_status st = matches(s, term, n, s->excluded, &excluded, err);
            if (st != VB_OK || excluded)
                return st;
        }
        char *data = NULL;
        size_t len = 0;
        enum vb_status st = vb_xapian_get_document(s->searcher->reader, term, n,
                                                   NULL, &data, &len, err);
        if (st == VB_OK)
            st = vb_schema_decode(data, len, out, err);
        free(data);
        return st == VB_ENOTFOUND ? VB_OK : st;
    }
    return VB_OK;
}

static enum vb_status facets_from(struct vb_search_result *r,
                                  const struct vb_xapian_hits *hits)
{
    static const char *const fields[] = {"type", "lang"};
    r->facets = calloc(2, sizeof *r->facets);
    if (!r->facets)
        return VB_ENOMEM;
    r->facet_count = 2;
    for (size_t f = 0; f < 2; f++) {
        struct vb_search_facet *facet = &r->facets[f];
        facet->field = fields[f];
        size_t n = hits ? vb_xapian_hits_facet_size(hits, f) : 0;
        facet->counts = calloc(n + 1, sizeof *facet->counts);
        if (!facet->counts)
            return VB_ENOMEM;
        for (size_t j = 0; j < n; j++) {
            size_t len;
            uint32_t count;
            const char *v = vb_xapian_hits_facet_value(hits, f, j, &len, &count);
            facet->counts[j].value = strndup(v, len);
            facet->counts[j].count = count;
            if (!facet->counts[j].value)
                return VB_ENOMEM;
            facet->count++;
        }
    }
    return VB_OK;
}

enum vb_status vb_search_run(struct vb_searcher *searcher,
                             const struct vb_search_request *req,
                             struct vb_search_result **out,
                             struct vb_error *err)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    *out = NULL;
    enum vb_status st = validate(req, err);
    if (st != VB_OK)
        return st;
    struct request_state s = {.searcher = searcher, .req = req};
    struct plan plan = {0}, history_plan = {0};
    struct vb_xapian_hits *hits = NULL;
    struct vb_document *docs[VB_SEARCH_LIMIT_MAX];
    double scores[VB_SEARCH_LIMIT_MAX];
    size_t doc_count = 0;
    struct member *members = NULL;
    size_t member_count = 0;
    struct vb_search_result *r = calloc(1, sizeof *r);
    s.tokens = malloc(TOKENS_MAX * sizeof *s.tokens);
    s.snippets = vb_snippet_cache_new();
    if (!r || !s.tokens || !s.snippets) {
        st = vb_error_set(err, VB_ENOMEM, "out of memory");
        goto out;
    }
    st = vb_searcher_refresh(searcher, err);
    if (st == VB_OK)
        st = vb_xapian_doc_count(searcher->reader, &s.doc_count, err);
    if (st != VB_OK)
        goto out;
    s.vocab = vb_search_engine_vocab(searcher->engine);
    s.thesaurus = vb_search_engine_thesaurus(searcher->engine);

    if (req->mode == VB_SEARCH_SUGGEST)
        st = analyze_segment(&s, 0, req->text_len, SEG_PLAIN, err);
    else
        st = parse_query(&s, err);
    if (st != VB_OK)
        goto out;
    /* One plan per part of the index (their terms differ), one query. */
    bool words = false, history_words = false, by_date = false;
    struct vb_xapian_query *parts[2];
    size_t part_count = 0;
    struct vb_xapian_query *first_articles = NULL;
    struct vb_xapian_query *articles =
        part_query(&s, &plan, false, &words, &first_articles);
    struct vb_xapian_query *types = article_types(&s);
    if (articles && types) {
        articles = keep(&s, vb_xapian_query_filter(articles, types));
        if (first_articles)
            first_articles =
                keep(&s, vb_xapian_query_filter(first_articles, types));
    }
    if (articles)
        parts[part_count++] = articles;
    if (wants_history(req)) {
        struct vb_xapian_query *events =
            part_query(&s, &history_plan, true, &history_words, NULL);
        if (!events && !words) {
            /* No words, a customer: that customer's history, newest
             * first. */
            events = customer_term(&s);
            by_date = true;
        } else if (events) {
            /* The events of the customer on the line are about this very
             * call: short notes that mention a word once would otherwise
             * rank below every article that has it in its title. */
            events = keep(&s, vb_xapian_query_scale_weight(
                                  keep(&s, vb_xapian_query_filter(
                                               events, customer_term(&s))),
                                  HISTORY_BOOST));
        }
        if (events)
            parts[part_count++] = events;
    }
    s.history = false;
    struct vb_xapian_query *q =
        part_count == 0   ? keep(&s, vb_xapian_query_match_nothing())
        : part_count == 1 ? parts[0]
                          : keep(&s, vb_xapian_query_or(parts, part_count));
    /* The first look: articles with every word and one of them in their
     * subject (two salient words of a long text), and the customer's
     * events as always.  A frequent word is in the body of half the
     * articles but in the subject of a few in a hundred, and Xapian
     * scores every document a query matches: the page is taken from
     * these, ranked by the full query's weights, when they fill it, and
     * from the full query otherwise.  Facets count the full query, so
     * they skip it. */
    struct vb_xapian_query *first_q = NULL;
    if (first_articles && !req->facets) {
        parts[0] = first_articles;
        first_q = part_count == 1 ? parts[0]
                                  : keep(&s, vb_xapian_query_or(parts, part_count));
    }
    if (s.failed) {
        st = vb_error_set(err, VB_ENOMEM, "out of memory");
        goto out;
    }

    /* Xapian collapses each translation group to its best version.  The
     * preferred language is boosted here, on the first pages: the hits
     * are reranked with its documents' scores raised by LANG_BOOST (a
     * boost inside the Xapian query cost a fifth of the search time). */
    bool rerank = reranks(req, by_date);
    uint32_t first = rerank ? 0 : req->offset;
    uint32_t count = rerank ? req->offset + req->limit + RERANK_EXTRA
                            : req->limit;
    bool ran_full = false;
    if (first_q) {
        st = run_tier(&s, first_q, first, count, by_date, &hits, err);
        if (st != VB_OK)
            goto out;
        if (vb_xapian_hits_count(hits) < count) {
            vb_xapian_hits_free(hits);
            hits = NULL;
        }
    }
    if (!hits) {
        st = run_tier(&s, q, first, count, by_date, &hits, err);
        ran_full = true;
    }
    if (st != VB_OK)
        goto out;
    size_t h = vb_xapian_hits_count(hits);
    struct ranked {
        size_t hit;
        double score;
    } *order = calloc(h + 1, sizeof *order);
    if (!order) {
        st = vb_error_set(err, VB_ENOMEM, "out of memory");
        goto out;
    }
    const char *pref = vb_lang_code(req->preferred_lang);
    for (size_t i = 0; i < h; i++) {
        size_t len;
        const char *lang = vb_xapian_hit_value(hits, i, VB_SCHEMA_SLOT_LANG, &len);
        double w = vb_xapian_hit_weight(hits, i);
        bool preferred = rerank && lang && len == 2 && memcmp(lang, pref, 2) == 0;
        order[i] = (struct ranked){i, preferred ? w * LANG_BOOST : w};
    }
    /* Insertion sort: stable, and a page is a few dozen hits. */
    for (size_t i = 1; rerank && i < h; i++)
        for (size_t j = i; j > 0 && order[j].score > order[j - 1].score; j--) {
            struct ranked t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (size_t k = rerank ? req->offset : 0;
         k < h && doc_count < req->limit && st == VB_OK; k++) {
        char *data = NULL;
        size_t len = 0;
        st = vb_xapian_document_data(searcher->reader,
                                     vb_xapian_hit_docid(hits, order[k].hit),
                                     &data, &len, err);
        if (st == VB_ENOTFOUND) { /* deleted since: the next revision */
            st = VB_OK;
            continue;
        }
        struct vb_document *doc = NULL;
        if (st == VB_OK)
            st = vb_schema_decode(data, len, &doc, err);
        free(data);
        if (st != VB_OK)
            break;
        scores[doc_count] = order[k].score;
        docs[doc_count++] = doc;
    }
    free(order);
    if (st != VB_OK)
        goto out;
    r->total = vb_xapian_hits_estimated(hits);
    if (!ran_full) {
        /* The full query matches more: Xapian estimates how many from
         * the term statistics, without matching (no hits asked for, and
         * so before translations are folded). */
        struct vb_xapian_hits *none = NULL;
        struct vb_xapian_search_options o;
        vb_xapian_search_options_init(&o);
        o.limit = 0;
        st = vb_xapian_search(searcher->reader, q, &o, &none, err);
        if (st == VB_OK && vb_xapian_hits_estimated(none) > r->total)
            r->total = vb_xapian_hits_estimated(none);
        vb_xapian_hits_free(none);
        if (st != VB_OK)
            goto out;
    }

    st = load_groups(&s, docs, doc_count, &members, &member_count, err);
    if (st != VB_OK)
        goto out;
    r->hits = calloc(doc_count + 1, sizeof *r->hits);
    if (!r->hits) {
        st = vb_error_set(err, VB_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < doc_count; i++) {
        struct vb_document *preferred = NULL;
        st = preferred_version(&s, docs[i], members, member_count, &preferred,
                               err);
        if (st != VB_OK)
            goto out;
        if (preferred) {
            vb_document_free(docs[i]);
            docs[i] = preferred;
        }
        r->hit_count++;
        if (fill_hit(&s, &r->hits[i], docs[i], scores[i], members,
                     member_count) != VB_OK) {
            st = vb_error_set(err, VB_ENOMEM, "out of memory");
            goto out;
        }
    }
    if (req->facets &&
        facets_from(r, hits) != VB_OK) {
        st = vb_error_set(err, VB_ENOMEM, "out of memory");
        goto out;
    }
    if (s.corrected) {
        r->suggestion = corrected_text(&s);
        if (!r->suggestion) {
            st = vb_error_set(err, VB_ENOMEM, "out of memory");
            goto out;
        }
    }
out:
    for (size_t i = 0; i < doc_count; i++)
        vb_document_free(docs[i]);
    free(members);
    vb_xapian_hits_free(hits);
    for (size_t i = 0; i < s.node_count; i++)
        vb_xapian_query_free(s.nodes[i]);
    free(s.nodes);
    free(s.highlight.terms);
    free(s.subject.terms);
    free(plan.clauses);
    free(history_plan.clauses);
    free(s.tokens);
    vb_snippet_cache_free(s.snippets);
    vb_vocab_release(s.vocab);
    vb_thesaurus_release(s.thesaurus);
    if (st != VB_OK) {
        vb_search_result_free(r);
        return st;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r->took_us = (uint64_t)((t1.tv_sec - t0.tv_sec) * 1000000 +
                            (t1.tv_nsec - t0.tv_nsec) / 1000);
    *out = r;
    return VB_OK;
}

void vb_search_request_init(struct vb_search_request *request)
{
    memset(request, 0, sizeof *request);
    request->mode = VB_SEARCH_QUERY;
    request->text = "";
    request->limit = VB_SEARCH_LIMIT_DEFAULT;
}

void vb_search_result_free(struct vb_search_result *result)
{
    if (!result)
        return;
    for (size_t i = 0; i < result->hit_count; i++) {
        struct vb_search_hit *h = &result->hits[i];
        free(h->id);
        free(h->type);
        free(h->lang);
        free(h->title);
        free(h->snippet);
        free(h->group);
        for (size_t t = 0; t < h->translation_count; t++)
            free(h->translations[t].id);
        free(h->translations);
        free(h->updated);
        free(h->date);
        free(h->customer);
        free(h->channel);
    }
    free(result->hits);
    for (size_t f = 0; f < result->facet_count; f++) {
        for (size_t i = 0; i < result->facets[f].count; i++)
            free(result->facets[f].counts[i].value);
        free(result->facets[f].counts);
    }
    free(result->facets);
    free(result->suggestion);
    free(result);
}
