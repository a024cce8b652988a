/* plan.c — the Xapian query of a request: one clause per word or concept
 * of the text (expand.c), the salient words of a long text, exclusions,
 * and which parts of the index are searched (articles of the requested
 * types; only with a customer, that customer's history). */
#include "search_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

uint32_t vb_query_doc_freq(struct request_state *s, const struct qtoken *t)
{
    uint32_t most = 0;
    for (int l = VB_LANG_NL; l < VB_LANG_COUNT; l++) {
        if (t->term_count[l] == 0)
            continue;
        char term[VB_SCHEMA_TERM_BUF];
        size_t len = vb_schema_term(s->history ? VB_SCHEMA_PREFIX_HISTORY : "",
                                    t->terms[l][0].text, t->terms[l][0].len,
                                    term, sizeof term);
        uint32_t f = 0;
        vb_searcher_term_freq(s->searcher, term, len, &f, NULL);
        if (f > most)
            most = f;
    }
    return most;
}

static double rarity(struct request_state *s, const struct qtoken *t)
{
    uint32_t docs = vb_query_doc_freq(s, t);
    if (docs < 2)
        return 0; /* unknown, or once: a typo or a name, not a topic */
    return log((double)(s->doc_count + 1) / (double)docs);
}

/* Customer history only (elsewhere NULL): tokens [first, end) as typed,
 * without expansions but for the completions of the word being typed,
 * all required.  The model ranks the customer's events that have them
 * above the articles. */
static struct vb_xapian_query *
typed_words(struct request_state *s, size_t first, size_t end, bool typing)
{
    if (!s->history)
        return NULL;
    struct vb_xapian_query *words[VB_QUERY_TOKENS_MAX];
    size_t n = 0;
    bool quiet = s->quiet;
    s->quiet = true; /* highlighted already */
    for (size_t k = first; k < end; k++) {
        bool last = typing && k + 1 == s->token_count;
        if (!s->tokens[k].stopword || last)
            words[n++] = vb_query_token(s, &s->tokens[k], last, !last);
    }
    s->quiet = quiet;
    if (n == 0)
        return NULL;
    return n == 1 ? words[0] : vb_query_keep(s, vb_xapian_query_and(words, n));
}

/* After the clause of token k: when it and the word before it (in the
 * same run, both words, not function words) are written as one word in
 * the articles, that word is a clause of its own, as if it had been
 * typed.  The words apart still count. */
static void compound(struct request_state *s, struct plan *p, size_t first,
                     size_t k)
{
    if (k == first || s->history || p->count < 2)
        return;
    const struct clause *a = &p->clauses[p->count - 2],
                        *b = &p->clauses[p->count - 1];
    if (!a->single || !b->single || a->optional || b->optional ||
        a->first_token + 1 != k || b->first_token != k)
        return;
    struct vb_xapian_query *q = vb_query_compound(s, k - 1, k);
    if (q)
        p->clauses[p->count++] =
            (struct clause){.q = q, .first_token = k - 1, .compound = true};
}

static enum vb_status build_plan(struct request_state *s, struct plan *p)
{
    /* A clause per token, and one per pair written as one word; at most
     * one exclusion per token. */
    p->clauses = calloc(2 * s->token_count + 1, sizeof *p->clauses);
    p->excluded = calloc(s->token_count + 1, sizeof *p->excluded);
    if (!p->clauses || !p->excluded)
        return VB_ENOMEM;
    size_t len = s->req->text_len;
    /* The last word is still being typed when nothing follows it: not a
     * space, not a closing quote, not the "?" that ends a question. */
    bool typing = s->req->mode == VB_SEARCH_QUERY && s->token_count > 0 &&
                  s->tokens[s->token_count - 1].end == len;
    /* Function words beside content words only add a little (rank.c);
     * alone they are what was asked. */
    bool content = false;
    for (size_t k = 0; k < s->token_count && !content; k++) {
        const struct qtoken *t = &s->tokens[k];
        content = t->kind == SEG_PHRASE ||
                  (t->kind == SEG_PLAIN &&
                   (!t->stopword || (typing && k + 1 == s->token_count)));
    }
    for (size_t i = 0; i < s->token_count;) {
        struct qtoken *t = &s->tokens[i];
        s->word = i;
        size_t end = i;
        while (end < s->token_count && s->tokens[end].segment == t->segment)
            end++;
        if (t->kind == SEG_PHRASE && typing && s->open_phrase &&
            end == s->token_count && end - i > 1) {
            /* "meterstand door|: the phrase so far, and the word being
             * typed completed after it. */
            struct vb_xapian_query *both[2] = {
                vb_query_phrase(s, i, end - 1 - i),
                vb_query_token(s, &s->tokens[end - 1], true, false)};
            p->clauses[p->count++] = (struct clause){
                .q = vb_query_keep(s, vb_xapian_query_and(both, 2)),
                .first_token = i};
        } else if (t->kind == SEG_PHRASE || t->kind == SEG_EXCLUDE_PHRASE) {
            struct vb_xapian_query *q = vb_query_phrase(s, i, end - i);
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
                size_t span_end = vb_query_match_concept(s, k, end, &concept);
                if (span_end > k) {
                    p->excluded[p->excluded_count++] =
                        vb_query_concept(s, k, span_end, concept, false);
                    k = span_end;
                } else {
                    p->excluded[p->excluded_count++] =
                        vb_query_token(s, &s->tokens[k], false, true);
                    k++;
                }
            }
        } else {
            for (size_t k = i; k < end;) {
                s->word = k;
                uint32_t concept = 0;
                size_t span_end = vb_query_match_concept(s, k, end, &concept);
                if (span_end > k) {
                    struct vb_xapian_query *q =
                        vb_query_concept(s, k, span_end, concept, typing);
                    struct qtoken *tk = &s->tokens[k];
                    p->clauses[p->count++] = (struct clause){
                        .q = q,
                        .whole =
                            span_end == k + 1 ? vb_query_whole(s, tk) : NULL,
                        .typed = typed_words(s, k, span_end, typing),
                        .first_token = k,
                        .domain = true,
                        .single = span_end == k + 1};
                    k = span_end;
                    continue;
                }
                bool last = typing && k + 1 == s->token_count;
                struct qtoken *tk = &s->tokens[k];
                s->quiet = tk->stopword && !last;
                s->function_word = s->quiet && content;
                struct vb_xapian_query *q = vb_query_token(s, tk, last, false);
                p->clauses[p->count++] =
                    (struct clause){.q = q,
                                    .whole = vb_query_whole(s, tk),
                                    .typed = typed_words(s, k, k + 1, typing),
                                    .first_token = k,
                                    .optional = tk->stopword && !last,
                                    .single = true};
                s->quiet = s->function_word = false;
                vb_query_joins(s, p, k);
                compound(s, p, i, k);
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

/* A long text (suggest): the query of its salient words, scored like
 * "more like this" (see the model in rank.c): how often the text says the
 * word (capped) times its rarity in the index, doubled for customer-
 * service vocabulary (a term-bank or synonym concept).  Function words,
 * numbers, one- and two-letter words, words the index does not hold or
 * holds once (typos, names) or everywhere do not count.  Inflections of
 * one word are one.  NULL when none is left. */
static struct vb_xapian_query *salient_query(struct request_state *s,
                                             struct plan *p)
{
    size_t kept = 0;
    for (size_t i = 0; i < p->count; i++) {
        struct clause *c = &p->clauses[i];
        const struct qtoken *t = &s->tokens[c->first_token];
        if (c->optional || t->word_len < 3 ||
            vb_query_has_digit(t->word, t->word_len) ||
            t->term_count[VB_LANG_NL] == 0)
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
        unsigned repeats = c->repeats < vb_rank.salient_repeats_max
                               ? c->repeats
                               : vb_rank.salient_repeats_max;
        c->rarity *=
            (double)repeats * (c->domain ? vb_rank.salient_domain : 1.0);
    }
    qsort(p->clauses, kept, sizeof *p->clauses, by_rarity);
    if (kept > vb_rank.salient_max)
        kept = vb_rank.salient_max;
    /* Highlight what decided, not every word of the e-mail. */
    s->highlight.count = 0;
    struct vb_xapian_query *every[VB_QUERY_TOKENS_MAX];
    for (size_t i = 0; i < kept; i++) {
        struct clause *c = &p->clauses[i];
        const struct qtoken *t = &s->tokens[c->first_token];
        s->word = c->first_token;
        for (int l = VB_LANG_NL; l < VB_LANG_COUNT; l++)
            for (size_t k = 0; k < t->term_count[l]; k++)
                if (t->terms[l][k].kind != VB_TERM_JOIN)
                    vb_query_highlight(s, t->terms[l][k].text,
                                       t->terms[l][k].len);
        /* What the text repeats is what it is about. */
        every[i] =
            c->repeats == 1
                ? c->q
                : vb_query_keep(s, vb_xapian_query_scale_weight(
                                       c->q, 1.0 + log((double)c->repeats)));
    }
    if (kept == 0)
        return NULL;
    return kept == 1 ? every[0]
                     : vb_query_keep(s, vb_xapian_query_or(every, kept));
}

/* Which parts of the index a request searches: articles (of the requested
 * types, or every type but history) and, only with a customer, that
 * customer's history, never anyone else's.  *article_filter is NULL when
 * every article type is wanted (article terms are on articles only). */
bool vb_query_wants_history(const struct vb_search_request *req)
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
struct vb_xapian_query *vb_query_article_types(struct request_state *s)
{
    const struct vb_search_request *req = s->req;
    if (req->type_count == 0)
        return NULL;
    struct vb_xapian_query *allowed[VB_SEARCH_TYPES_MAX];
    size_t n = 0;
    for (size_t i = 0; i < req->type_count; i++) {
        if (strcmp(req->types[i], VB_SCHEMA_TYPE_HISTORY) == 0)
            continue;
        char term[VB_SCHEMA_TERM_BUF];
        size_t len = vb_schema_term(VB_SCHEMA_PREFIX_TYPE, req->types[i],
                                    strlen(req->types[i]), term, sizeof term);
        allowed[n++] = vb_query_term(s, term, len);
    }
    if (n == 0)
        return vb_query_keep(s, vb_xapian_query_match_nothing());
    return n == 1 ? allowed[0]
                  : vb_query_keep(s, vb_xapian_query_or(allowed, n));
}

struct vb_xapian_query *vb_query_visible(struct request_state *s)
{
    const char *tenant = s->req->tenant;
    if (!tenant)
        return NULL;
    char own[VB_SCHEMA_TERM_BUF], shared[VB_SCHEMA_TERM_BUF];
    size_t own_len = vb_schema_tenant_term(tenant, own, sizeof own),
           shared_len = vb_schema_tenant_term("", shared, sizeof shared);
    struct vb_xapian_query *both[2] = {vb_query_term(s, own, own_len),
                                       vb_query_term(s, shared, shared_len)};
    return both[0] && both[1]
               ? vb_query_keep(s, vb_xapian_query_or(both, 2))
               : NULL;
}

struct vb_xapian_query *vb_query_customer(struct request_state *s)
{
    char term[VB_SCHEMA_TERM_BUF];
    size_t len = vb_schema_term(VB_SCHEMA_PREFIX_CUSTOMER, s->req->customer,
                                strlen(s->req->customer), term, sizeof term);
    return vb_query_term(s, term, len);
}

struct vb_xapian_query *vb_query_part(struct request_state *s, struct plan *p,
                                      bool history, bool *has_words)
{
    s->history = history;
    if (build_plan(s, p) != VB_OK)
        return NULL;
    *has_words = p->count > 0 || p->excluded_count > 0;
    if (p->count == 0)
        return NULL;
    struct vb_xapian_query *q = s->req->mode == VB_SEARCH_SUGGEST
                                    ? salient_query(s, p)
                                    : vb_rank_combine(s, p);
    if (!q)
        return NULL;
    if (p->excluded_count > 0) {
        struct vb_xapian_query *ex =
            p->excluded_count == 1
                ? p->excluded[0]
                : vb_query_keep(
                      s, vb_xapian_query_or(p->excluded, p->excluded_count));
        if (!history)
            s->excluded = ex;
        q = vb_query_keep(s, vb_xapian_query_and_not(q, ex));
    }
    return q;
}
