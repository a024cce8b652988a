/* expand.c — what a typed word is searched as: its stems in each
 * language, compound and code parts, completions of the word being typed,
 * corrections of a misspelt one, the other ways of saying a concept (term
 * bank and editors' synonyms), joined codes and numbers, phrases and
 * neighbouring pairs.  Each expansion is weighted by the ranking model
 * (rank.c); this file decides only what matches. */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>

#define COMPLETIONS_PER_LANG 6
#define COMPLETIONS_MAX 6
#define CORRECTIONS_MAX 3
#define TYPO_MIN_LEN 5       /* one edit from five letters */
#define TYPO_TWO_EDITS_LEN 9 /* two from nine */
/* The most terms one word is searched as (whole terms in every language,
 * then its completions or corrections): the bound of the arrays here. */
#define WORD_TERMS_MAX (3 * VB_LANG_COUNT * VB_TOKEN_TERMS_MAX)

/* Whether no document holds `term` (freqs.c); never said where a lookup
 * is a round trip to a remote shard, nor when the lookup fails. */
static bool held_by_none(struct request_state *s, const char *term, size_t len)
{
    uint32_t docs = 1;
    return !s->searcher->remote &&
           vb_searcher_term_freq(s->searcher, term, len, &docs, NULL) ==
               VB_OK &&
           docs == 0;
}

struct vb_xapian_query *vb_query_term(struct request_state *s, const char *term,
                                      size_t len)
{
    /* A term no document holds is left out. */
    if (held_by_none(s, term, len))
        return vb_query_keep(s, vb_xapian_query_match_nothing());
    return vb_query_keep(s, vb_xapian_query_term(term, len, 1, 0));
}

/* A text term: prefixed when the plan being built is customer history's
 * (its terms carry VB_SCHEMA_PREFIX_HISTORY, see vb_schema.h). */
struct vb_xapian_query *vb_query_word(struct request_state *s, const char *term,
                                      size_t len)
{
    if (!s->history)
        return vb_query_term(s, term, len);
    char prefixed[VB_SCHEMA_TERM_BUF];
    return vb_query_term(s, prefixed,
                         vb_schema_term(VB_SCHEMA_PREFIX_HISTORY, term, len,
                                        prefixed, sizeof prefixed));
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

/* SYNONYM over `subs` (a single query stays itself). */
static struct vb_xapian_query *
synonym(struct request_state *s, struct vb_xapian_query **subs, size_t count)
{
    return count == 1 ? subs[0]
                      : vb_query_keep(s, vb_xapian_query_synonym(subs, count));
}

/* Terms that say one thing, as one: their text terms as one synonym, and
 * in articles their subject terms as another, weighted by the model
 * (rank.c): a word in the title, tags or product codes scores in both
 * fields.  Xapian's max-weight pruning then looks only at the documents
 * with the word in their subject once no document without it can reach
 * the page. */
static struct vb_xapian_query *fields_of(struct request_state *s,
                                         const char **terms, const size_t *lens,
                                         size_t count, bool subject_field,
                                         double text_weight)
{
    struct vb_xapian_query *text[WORD_TERMS_MAX], *subject[WORD_TERMS_MAX];
    if (count == 0)
        return NULL;
    if (count > WORD_TERMS_MAX)
        count = WORD_TERMS_MAX;
    for (size_t i = 0; i < count; i++) {
        text[i] = vb_query_word(s, terms[i], lens[i]);
        if (subject_field) {
            char term[VB_SCHEMA_TERM_BUF];
            size_t n = vb_schema_term(VB_SCHEMA_PREFIX_SUBJECT, terms[i],
                                      lens[i], term, sizeof term);
            subject[i] = vb_query_term(s, term, n);
        }
    }
    struct vb_xapian_query *texts = synonym(s, text, count);
    if (text_weight != 1.0)
        texts =
            vb_query_keep(s, vb_xapian_query_scale_weight(texts, text_weight));
    if (!subject_field)
        return texts;
    struct vb_xapian_query *both[2] = {
        texts,
        vb_query_keep(s, vb_xapian_query_scale_weight(
                             synonym(s, subject, count), vb_rank.subject))};
    return vb_query_keep(s, vb_xapian_query_or(both, 2));
}

/* An expansion (a part, a completion, a correction, another way of
 * saying it): the text field only.  The subject field is for the words
 * as typed: it costs a second posting list per term, and measured on the
 * dev suites the expansions gain nothing from it. */
static struct vb_xapian_query *field_word(struct request_state *s,
                                          const char *term, size_t len)
{
    return fields_of(s, &term, &len, 1, false, 1.0);
}

/* The word as typed (its stems in each language): both fields, the text
 * field's weight times `text_weight`, the terms highlighted in snippets.
 * `typed` false: an expansion. */
static struct vb_xapian_query *synonym_of(struct request_state *s,
                                          const char **terms,
                                          const size_t *lens, size_t count,
                                          bool typed, double text_weight)
{
    for (size_t i = 0; i < count; i++)
        vb_query_highlight(s, terms[i], lens[i]);
    /* A long text's words are many, and a function word decides
     * nothing: the text field alone ranks them. */
    return fields_of(s, terms, lens, count,
                     typed && !s->history && !s->function_word &&
                         s->req->mode == VB_SEARCH_QUERY,
                     text_weight);
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
 * `store`), deduplicated against what is there; *repeats (when not NULL)
 * counts those that were among the `used` terms there at first. */
static size_t stems_of_matches(struct request_state *s,
                               const struct vb_vocab_match *m, size_t count,
                               char (*store)[VB_TERM_MAX + 1],
                               const char **terms, size_t *lens, size_t used,
                               size_t max, size_t *repeats)
{
    size_t first = used;
    for (size_t i = 0; i < count && used < max; i++) {
        struct whole_ctx w = {.len = 0};
        if (vb_analyze_text(s->searcher->analyzer, m[i].word, m[i].len,
                            m[i].lang, take_whole, &w, NULL) != VB_OK ||
            w.len == 0)
            continue;
        for (size_t k = 0; repeats && k < first; k++)
            if (lens[k] == w.len && memcmp(terms[k], w.term, w.len) == 0)
                ++*repeats;
        memcpy(store[used], w.term, w.len + 1);
        used = add_unique(terms, lens, used, max, store[used], w.len);
    }
    return used;
}

/* The stems of matches m[0..count) that are not among the word's own
 * `own_count` terms, into out[] (storage store[]); returns how many.
 * *repeats (when not NULL) counts the matches whose stem is the word's
 * own ("factur" of "facture", "guid" of "guides"). */
static size_t new_stems(struct request_state *s, const struct vb_vocab_match *m,
                        size_t count, char (*store)[VB_TERM_MAX + 1],
                        const char *const *own, const size_t *own_lens,
                        size_t own_count, const char **out, size_t *out_lens,
                        size_t *repeats)
{
    const char *seen[WORD_TERMS_MAX];
    size_t seen_lens[WORD_TERMS_MAX];
    memcpy(seen, own, own_count * sizeof *seen);
    memcpy(seen_lens, own_lens, own_count * sizeof *seen_lens);
    size_t found = stems_of_matches(s, m, count, store, seen, seen_lens,
                                    own_count, WORD_TERMS_MAX, repeats) -
                   own_count;
    memcpy(out, seen + own_count, found * sizeof *out);
    memcpy(out_lens, seen_lens + own_count, found * sizeof *out_lens);
    return found;
}

struct vb_xapian_query *vb_query_compound(struct request_state *s, size_t a,
                                          size_t b)
{
    const struct qtoken *x = &s->tokens[a], *y = &s->tokens[b];
    char joined[VB_TERM_MAX + 1];
    if (x->word_len + y->word_len > VB_TERM_MAX ||
        vb_query_has_digit(x->word, x->word_len) ||
        vb_query_has_digit(y->word, y->word_len))
        return NULL;
    memcpy(joined, x->word, x->word_len);
    memcpy(joined + x->word_len, y->word, y->word_len);
    size_t len = x->word_len + y->word_len;
    joined[len] = '\0';
    /* Dutch writes compounds as one word and agents type them apart.
     * In English and French two words are usually two words, and the
     * articles write both ("free stream" and "freestream" in Cranfield:
     * joining them cost ranks, measured on the dev suites); they are
     * joined only where the articles never write the two apart, next to
     * each other ("git hub", "face book"). */
    struct vb_vocab_match known = {
        .word = joined, .len = len, .lang = VB_LANG_NL};
    known.freq = vb_vocab_freq(&s->words, VB_LANG_NL, joined, len);
    for (int l = VB_LANG_FR; known.freq == 0 && l < VB_LANG_COUNT; l++) {
        if (x->term_count[l] == 0 || y->term_count[l] == 0)
            continue;
        uint32_t freq = vb_vocab_freq(&s->words, (enum vb_lang)l, joined, len);
        if (freq == 0)
            continue;
        char pair[VB_SCHEMA_TERM_BUF];
        size_t pair_len = vb_schema_pair_term(
            x->terms[l][0].text, x->terms[l][0].len, y->terms[l][0].text,
            y->terms[l][0].len, pair, sizeof pair);
        if (pair_len == 0 || !held_by_none(s, pair, pair_len))
            continue;
        known.lang = (enum vb_lang)l;
        known.freq = freq;
    }
    if (known.freq == 0)
        return NULL;
    char store[1][VB_TERM_MAX + 1];
    const char *terms[1];
    size_t lens[1];
    size_t n = stems_of_matches(s, &known, 1, store, terms, lens, 0, 1, NULL);
    return n > 0 ? synonym_of(s, terms, lens, n, true, 1.0) : NULL;
}

bool vb_query_has_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return true;
    return false;
}

static bool known_word(const struct vb_vocab_view *v, const struct qtoken *t)
{
    for (int lang = VB_LANG_NL; lang < VB_LANG_COUNT; lang++)
        if (vb_vocab_freq(v, (enum vb_lang)lang, t->word, t->word_len) > 0)
            return true;
    return false;
}

/* Words in the vocabulary an edit or two from the token's word. */
/* Does the history of the customer on the line hold the token (one of
 * its stems)?  Then it is their word, not a typo: "wachttijd" in their
 * complaint is not corrected to an article's "wachtrij".  Asked of the
 * index for this request only, so no word of one customer's history ever
 * reaches another request. */
static bool customer_says(struct request_state *s, const struct qtoken *t)
{
    if (!vb_query_wants_history(s->req))
        return false;
    bool history = s->history, quiet = s->quiet;
    s->history = s->quiet = true; /* history's terms; nothing to highlight */
    struct vb_xapian_query *both[2] = {
        vb_query_token(s, (struct qtoken *)t, false, true),
        vb_query_customer(s)};
    s->history = history;
    s->quiet = quiet;
    if (!both[0] || !both[1])
        return false;
    struct vb_xapian_query *q = vb_query_keep(s, vb_xapian_query_and(both, 2));
    struct vb_xapian_search_options o;
    vb_xapian_search_options_init(&o);
    o.limit = 1;
    o.without_data = true;
    struct vb_xapian_hits *hits = NULL;
    bool found =
        q &&
        vb_xapian_search(s->searcher->reader, q, &o, &hits, NULL) == VB_OK &&
        vb_xapian_hits_count(hits) > 0;
    vb_xapian_hits_free(hits);
    return found;
}

static size_t corrections(struct request_state *s, struct qtoken *t,
                          struct vb_vocab_match *out)
{
    if (t->word_len < TYPO_MIN_LEN || t->stopword ||
        vb_query_has_digit(t->word, t->word_len) || known_word(&s->words, t) ||
        customer_says(s, t))
        return 0;
    unsigned edits = t->word_len >= TYPO_TWO_EDITS_LEN ? 2 : 1;
    struct vb_vocab_match all[VB_LANG_COUNT * CORRECTIONS_MAX];
    size_t count = 0;
    for (int lang = VB_LANG_NL; lang < VB_LANG_COUNT; lang++) {
        enum vb_lang l = (enum vb_lang)lang;
        count += vb_vocab_correct(&s->words, l, t->word, t->word_len, edits,
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
        if (searched_kind(t, lang, k) &&
            strcmp(t->terms[lang][k].text, term) == 0)
            return true;
    return false;
}

/* The whole terms token t is searched as, in every language, each once,
 * into terms[] and lens[] (WORD_TERMS_MAX of room); returns how many. */
static size_t searched_terms(const struct qtoken *t, const char **terms,
                             size_t *lens)
{
    size_t count = 0;
    for (int l = VB_LANG_NL; l < VB_LANG_COUNT; l++)
        for (size_t k = 0; k < t->term_count[l]; k++)
            if (searched_kind(t, (enum vb_lang)l, k))
                count = add_unique(terms, lens, count, WORD_TERMS_MAX,
                                   t->terms[l][k].text, t->terms[l][k].len);
    return count;
}

struct vb_xapian_query *vb_query_whole(struct request_state *s,
                                       const struct qtoken *t)
{
    if (t->expanded)
        return NULL;
    const char *terms[WORD_TERMS_MAX];
    size_t lens[WORD_TERMS_MAX];
    size_t count = searched_terms(t, terms, lens);
    return fields_of(s, terms, lens, count, false, 1.0);
}

/* The most frequent completions of token t over the three languages (the
 * preferred one counting double) as stems into extra[] (storage store[]),
 * without those among the word's own `count` terms, which *own counts:
 * few terms, each its own, so that Xapian can skip those that cannot
 * reach the page.  Returns how many. */
static size_t completions_of(struct request_state *s, const struct qtoken *t,
                             const char *const *terms, const size_t *lens,
                             size_t count, char (*store)[VB_TERM_MAX + 1],
                             const char **extra, size_t *extra_lens,
                             size_t *own)
{
    struct vb_vocab_match all[VB_LANG_COUNT * COMPLETIONS_PER_LANG];
    size_t found = 0;
    for (int l = VB_LANG_NL; l < VB_LANG_COUNT; l++)
        found +=
            vb_vocab_complete(&s->words, (enum vb_lang)l, t->word, t->word_len,
                              all + found, COMPLETIONS_PER_LANG);
    enum vb_lang pref = s->req->preferred_lang;
    for (size_t i = 1; i < found; i++)
        for (size_t j = i; j > 0; j--) {
            uint64_t a =
                (uint64_t)all[j - 1].freq * (all[j - 1].lang == pref ? 2 : 1);
            uint64_t b = (uint64_t)all[j].freq * (all[j].lang == pref ? 2 : 1);
            if (b <= a)
                break;
            struct vb_vocab_match tmp = all[j - 1];
            all[j - 1] = all[j];
            all[j] = tmp;
        }
    if (found > COMPLETIONS_MAX)
        found = COMPLETIONS_MAX;
    *own = 0;
    return new_stems(s, all, found, store, terms, lens, count, extra,
                     extra_lens, own);
}

/* The query for one token: its whole terms in every language as one
 * synonym; parts (compounds, codes) as a weaker alternative; a completion
 * of the last word being typed; corrections of a misspelt word. */
struct vb_xapian_query *vb_query_token(struct request_state *s,
                                       struct qtoken *t, bool as_prefix,
                                       bool whole_only)
{
    const char *terms[WORD_TERMS_MAX];
    size_t lens[WORD_TERMS_MAX];
    size_t count = searched_terms(t, terms, lens);
    /* Completions of the word being typed, found first: one that is the
     * word itself ("factur" of "facture") adds its weight to the word's
     * text terms rather than being walked a second time. */
    char store[WORD_TERMS_MAX][VB_TERM_MAX + 1];
    const char *extra[WORD_TERMS_MAX];
    size_t extra_lens[WORD_TERMS_MAX], completions = 0, own = 0;
    double prefix_weight = 0;
    if (as_prefix && t->word_len > 0) {
        completions = completions_of(s, t, terms, lens, count, store, extra,
                                     extra_lens, &own);
        prefix_weight =
            known_word(&s->words, t) ? vb_rank.prefix_of_word : vb_rank.prefix;
    }
    bool completed = completions > 0 || own > 0;

    struct vb_xapian_query *alternatives[4];
    size_t n = 0;
    alternatives[n++] = synonym_of(s, terms, lens, count, true,
                                   own > 0 ? 1.0 + prefix_weight : 1.0);
    t->expanded = false;
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
            vb_query_highlight(s, q->text, q->len);
            parts[pc++] = field_word(s, q->text, q->len);
        }
        if (pc > 0)
            part_sets[sets++] =
                vb_query_keep(s, vb_xapian_query_and(parts, pc));
    }
    if (sets > 0)
        alternatives[n++] = vb_query_keep(
            s, vb_xapian_query_scale_weight(
                   sets == 1
                       ? part_sets[0]
                       : vb_query_keep(s, vb_xapian_query_or(part_sets, sets)),
                   vb_rank.part));

    if (completions > 0) {
        struct vb_xapian_query *each[COMPLETIONS_MAX];
        for (size_t i = 0; i < completions; i++) {
            vb_query_highlight(s, extra[i], extra_lens[i]);
            each[i] = field_word(s, extra[i], extra_lens[i]);
        }
        alternatives[n++] = vb_query_keep(
            s,
            vb_xapian_query_scale_weight(
                completions == 1
                    ? each[0]
                    : vb_query_keep(s, vb_xapian_query_or(each, completions)),
                prefix_weight));
    }
    /* A word still being typed that completes to known words is not a
     * typo. */
    if (s->req->mode == VB_SEARCH_QUERY && !completed) {
        struct vb_vocab_match m[CORRECTIONS_MAX];
        size_t c = corrections(s, t, m);
        /* "guides", unknown, corrected to "guide", is the same stem,
         * which the word matches already. */
        size_t extra_count = new_stems(s, m, c, store, terms, lens, count,
                                       extra, extra_lens, NULL);
        if (extra_count > 0) {
            alternatives[n++] = vb_query_keep(
                s,
                vb_xapian_query_scale_weight(
                    synonym_of(s, extra, extra_lens, extra_count, false, 1.0),
                    vb_rank.typo));
            s->corrected = true;
        }
    }
    t->expanded = n > 1 || own > 0;
    if (n == 1)
        return alternatives[0];
    return vb_query_keep(s, vb_xapian_query_or(alternatives, n));
}

/* A phrase: the tokens' whole terms in order, in each language.  Customer
 * history is indexed without positions (vb_schema.h): there a phrase
 * matches as all its words in one event. */
struct vb_xapian_query *vb_query_phrase(struct request_state *s, size_t first,
                                        size_t count)
{
    if (count == 1)
        return vb_query_token(s, &s->tokens[first], false, true);
    if (s->history) {
        struct vb_xapian_query *words[VB_QUERY_TOKENS_MAX];
        for (size_t i = 0; i < count; i++)
            words[i] = vb_query_token(s, &s->tokens[first + i], false, true);
        return vb_query_keep(s, vb_xapian_query_and(words, count));
    }
    struct vb_xapian_query *per_lang[VB_LANG_COUNT];
    size_t langs = 0;
    for (int l = VB_LANG_NL; l < VB_LANG_COUNT; l++) {
        /* A word that is no term in this language (a lone combining mark
         * with a letter, say) makes the phrase impossible in it. */
        bool whole = true;
        for (size_t i = 0; i < count && whole; i++)
            whole = s->tokens[first + i].term_count[l] > 0;
        if (!whole)
            continue;
        /* The same stems in another language: the same phrase. */
        bool same = false;
        for (int o = VB_LANG_NL; o < l && !same; o++) {
            same = true;
            for (size_t i = 0; i < count && same; i++) {
                const struct qtoken *t = &s->tokens[first + i];
                same = t->term_count[o] > 0 &&
                       strcmp(t->terms[l][0].text, t->terms[o][0].text) == 0;
            }
        }
        if (same)
            continue;
        struct vb_xapian_query *subs[VB_QUERY_TOKENS_MAX];
        for (size_t i = 0; i < count; i++) {
            struct qtoken *t = &s->tokens[first + i];
            vb_query_highlight(s, t->terms[l][0].text, t->terms[l][0].len);
            subs[i] = vb_query_word(s, t->terms[l][0].text, t->terms[l][0].len);
        }
        per_lang[langs++] =
            vb_query_keep(s, vb_xapian_query_phrase(subs, count, 0));
    }
    return langs == 1 ? per_lang[0]
                      : vb_query_keep(s, vb_xapian_query_or(per_lang, langs));
}

/* Two words of the query close together in a document, in this order
 * (what was typed between them may be there too), in each language. */
struct vb_xapian_query *vb_query_pair(struct request_state *s, size_t a,
                                      size_t b)
{
    struct vb_xapian_query *per_lang[VB_LANG_COUNT];
    size_t langs = 0;
    const struct qtoken *x = &s->tokens[a], *y = &s->tokens[b];
    char seen[VB_LANG_COUNT][VB_SCHEMA_TERM_BUF];
    /* In the preferred language only, when there is one: a bonus. */
    enum vb_lang pref = s->req->preferred_lang;
    for (int l = VB_LANG_NL; l < VB_LANG_COUNT; l++) {
        if (x->term_count[l] == 0 || y->term_count[l] == 0 ||
            (pref != VB_LANG_UNKNOWN && l != (int)pref))
            continue;
        char *term = seen[langs];
        size_t len = vb_schema_pair_term(
            x->terms[l][0].text, x->terms[l][0].len, y->terms[l][0].text,
            y->terms[l][0].len, term, VB_SCHEMA_TERM_BUF);
        bool same = len == 0;
        for (size_t o = 0; o < langs && !same; o++)
            same = strcmp(seen[o], term) == 0;
        if (same)
            continue;
        /* Weighted as the two words, found by the pair's postings. */
        struct vb_xapian_query *two[2] = {
            vb_query_term(s, x->terms[l][0].text, x->terms[l][0].len),
            vb_query_term(s, y->terms[l][0].text, y->terms[l][0].len)};
        struct vb_xapian_query *both =
            vb_query_keep(s, vb_xapian_query_and(two, 2));
        per_lang[langs++] = vb_query_keep(
            s, vb_xapian_query_filter(both, vb_query_term(s, term, len)));
    }
    if (langs == 0)
        return NULL;
    return langs == 1 ? per_lang[0]
                      : vb_query_keep(s, vb_xapian_query_or(per_lang, langs));
}

/* Digit groups and "word number" are also indexed joined: the tokens the
 * join covers match either one by one or as the joined term. */
void vb_query_joins(struct request_state *s, struct plan *p, size_t token)
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
        struct vb_xapian_query *run[VB_QUERY_TOKENS_MAX];
        size_t n = 0;
        while (p->count > 0 && p->clauses[p->count - 1].first_token >= first)
            run[n++] = p->clauses[--p->count].q;
        if (n == 0)
            continue;
        struct vb_xapian_query *both[2] = {
            n == 1 ? run[0] : vb_query_keep(s, vb_xapian_query_and(run, n)),
            /* The code as one term is what the agent means: worth more
             * than its parts found apart ("fiber" ... "500"). */
            vb_query_keep(
                s, vb_xapian_query_scale_weight(field_word(s, j->text, j->len),
                                                vb_rank.join))};
        vb_query_highlight(s, j->text, j->len);
        p->clauses[p->count++] =
            (struct clause){.q = vb_query_keep(s, vb_xapian_query_or(both, 2)),
                            .first_token = first};
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
size_t vb_query_match_concept(struct request_state *s, size_t first, size_t end,
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
struct vb_xapian_query *vb_query_concept(struct request_state *s, size_t first,
                                         size_t end, uint32_t concept,
                                         bool typing)
{
    struct vb_xapian_query *own[VB_QUERY_TOKENS_MAX], *other[64];
    size_t n = 0, m = 0;
    for (size_t k = first; k < end; k++) {
        bool last = typing && k + 1 == s->token_count;
        if (!s->tokens[k].stopword || last)
            own[n++] = vb_query_token(s, &s->tokens[k], last, false);
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
            vb_query_highlight(s, term, strlen(term));
            words[w] = field_word(s, term, strlen(term));
        }
        other[m++] =
            e->term_count == 1
                ? words[0]
                : vb_query_keep(s, vb_xapian_query_and(words, e->term_count));
    }
    struct vb_xapian_query *typed =
        n == 1 ? own[0] : vb_query_keep(s, vb_xapian_query_and(own, n));
    if (m == 0)
        return typed;
    struct vb_xapian_query *both[2] = {
        typed,
        vb_query_keep(
            s, vb_xapian_query_scale_weight(
                   m == 1 ? other[0]
                          : vb_query_keep(s, vb_xapian_query_synonym(other, m)),
                   vb_rank.concept))};
    return vb_query_keep(s, vb_xapian_query_or(both, 2));
}
