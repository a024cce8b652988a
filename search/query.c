/* query.c — one search request from start to end: the per-request state
 * (every query node made, the terms to highlight), parsing (parse.c), the
 * plan per part of the index (plan.c), the page (hits.c). */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct vb_xapian_query *vb_query_keep(struct request_state *s,
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

void vb_query_highlight(struct request_state *s, const char *term, size_t len)
{
    struct vb_term_set *h = &s->highlight;
    if (s->quiet || len > VB_TERM_MAX)
        return;
    for (size_t i = 0; i < h->count; i++)
        if (strlen(h->terms[i]) == len && memcmp(h->terms[i], term, len) == 0)
            return;
    if (h->count == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 32;
        void *terms = realloc(h->terms, cap * sizeof *h->terms);
        if (terms)
            h->terms = terms;
        void *words = realloc(h->words, cap * sizeof *h->words);
        if (words)
            h->words = words;
        if (!terms || !words) {
            s->failed = true;
            return;
        }
        h->cap = cap;
    }
    memcpy(h->terms[h->count], term, len);
    h->terms[h->count][len] = '\0';
    h->words[h->count] = s->word;
    h->count++;
}

void vb_search_expired_before(char out[VB_EXPIRY_CUTOFF_SIZE])
{
    time_t t = time(NULL) - 86400;
    struct tm local;
    localtime_r(&t, &local);
    strftime(out, VB_EXPIRY_CUTOFF_SIZE, "%Y-%m-%d", &local);
}

/* `articles` without the expired ones. */
static struct vb_xapian_query *unexpired(struct request_state *s,
                                         struct vb_xapian_query *articles)
{
    char yesterday[VB_EXPIRY_CUTOFF_SIZE];
    vb_search_expired_before(yesterday);
    struct vb_xapian_query *expired = vb_query_keep(
        s, vb_xapian_query_value_le(VB_SCHEMA_SLOT_VALID_UNTIL, yesterday,
                                    strlen(yesterday)));
    return expired ? vb_query_keep(s, vb_xapian_query_and_not(articles, expired))
                   : NULL;
}

/* The shards that did not answer, when the index is spread over remote
 * ones: the answer leaves them out, and says so. */
static enum vb_status shards_down(const struct vb_searcher *searcher,
                                  struct vb_search_result *r,
                                  struct vb_error *err)
{
    const char *names[VB_SEARCH_SHARDS_NAMED];
    size_t n = vb_xapian_reader_shards_down(searcher->reader, names,
                                            VB_SEARCH_SHARDS_NAMED);
    if (n > VB_SEARCH_SHARDS_NAMED)
        n = VB_SEARCH_SHARDS_NAMED;
    if (n && !(r->shards_down = calloc(n, sizeof *r->shards_down)))
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    for (; r->shards_down_count < n; r->shards_down_count++)
        if (!(r->shards_down[r->shards_down_count] =
                  strdup(names[r->shards_down_count])))
            return vb_error_set(err, VB_ENOMEM, "out of memory");
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
    enum vb_status st = vb_query_validate(req, err);
    if (st != VB_OK)
        return st;
    struct request_state s = {.searcher = searcher, .req = req};
    struct plan plan = {0}, history_plan = {0};
    struct vb_search_result *r = calloc(1, sizeof *r);
    if (!searcher->tokens)
        searcher->tokens = malloc(VB_QUERY_TOKENS_MAX * sizeof *s.tokens);
    s.tokens = searcher->tokens;
    s.snippets = searcher->snippets;
    vb_snippet_cache_begin(s.snippets);
    if (!r || !s.tokens) {
        st = vb_error_set(err, VB_ENOMEM, "out of memory");
        goto out;
    }
    st = vb_searcher_refresh(searcher, err);
    if (st == VB_OK)
        st = vb_xapian_doc_count(searcher->reader, &s.doc_count, err);
    if (st != VB_OK)
        goto out;
    s.vocab = vb_search_engine_vocab(searcher->engine);
    s.words = (struct vb_vocab_view){s.vocab, req->tenant};
    s.thesaurus = vb_search_engine_thesaurus(searcher->engine, req->tenant);
    st = vb_query_parse(&s, err);
    if (st != VB_OK)
        goto out;

    /* One plan per part of the index (their terms differ), one query. */
    bool words = false, history_words = false, by_date = false;
    struct vb_xapian_query *parts[2];
    size_t part_count = 0;
    struct vb_xapian_query *articles = vb_query_part(&s, &plan, false, &words);
    struct vb_xapian_query *types = vb_query_article_types(&s);
    if (articles && types)
        articles = vb_query_keep(&s, vb_xapian_query_filter(articles, types));
    struct vb_xapian_query *visible = vb_query_visible(&s);
    if (articles && visible)
        articles = vb_query_keep(&s, vb_xapian_query_filter(articles, visible));
    if (articles)
        articles = unexpired(&s, articles);
    if (articles)
        parts[part_count++] = articles;
    if (vb_query_wants_history(req)) {
        struct vb_xapian_query *events =
            vb_query_part(&s, &history_plan, true, &history_words);
        if (!events && !words) {
            /* No words, a customer: that customer's history, newest
             * first. */
            events = vb_query_customer(&s);
            by_date = true;
        } else if (events) {
            events = vb_query_keep(
                &s, vb_xapian_query_scale_weight(
                        vb_query_keep(&s, vb_xapian_query_filter(
                                              events, vb_query_customer(&s))),
                        vb_rank.history));
        }
        if (events && visible)
            events = vb_query_keep(&s, vb_xapian_query_filter(events, visible));
        if (events)
            parts[part_count++] = events;
    }
    s.history = false;
    struct vb_xapian_query *q =
        part_count == 0 ? vb_query_keep(&s, vb_xapian_query_match_nothing())
        : part_count == 1
            ? parts[0]
            : vb_query_keep(&s, vb_xapian_query_or(parts, part_count));
    st = s.failed ? vb_error_set(err, VB_ENOMEM, "out of memory")
                  : vb_query_page(&s, q, by_date, r, err);
out:
    for (size_t i = 0; i < s.node_count; i++)
        vb_xapian_query_free(s.nodes[i]);
    free(s.nodes);
    free(s.highlight.terms);
    free(s.highlight.words);
    free(plan.clauses);
    free(plan.excluded);
    free(history_plan.clauses);
    free(history_plan.excluded);
    vb_doc_cache_end_request(searcher->documents);
    vb_vocab_release(s.vocab);
    vb_thesaurus_release(s.thesaurus);
    if (st != VB_OK) {
        vb_search_result_free(r);
        return st;
    }
    st = shards_down(searcher, r, err);
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
        free(h->title_html);
        free(h->snippet);
        free(h->group);
        for (size_t t = 0; t < h->translation_count; t++)
            free(h->translations[t].id);
        free(h->translations);
        free(h->updated);
        free(h->review_by);
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
    for (size_t i = 0; i < result->shards_down_count; i++)
        free(result->shards_down[i]);
    free(result->shards_down);
    free(result);
}
