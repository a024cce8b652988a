/* hits.c — from a query to a page: the Xapian search, the preferred
 * language's boost (rank.c), stored records read for the page only, the
 * other language versions of each translation group, snippets, facets
 * and the corrected query. */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>

/* The first `limit` hits of `q`, with their LANG value if `with_lang`
 * (rank.c may reorder them by it).  Without a floor, their matches make
 * `total` (exact up to VB_SEARCH_TOTAL_EXACT_MAX) and the facets; with
 * one, only hits that weigh at least `floor` are looked for, and nothing
 * is counted. */
static enum vb_status run(struct request_state *s, struct vb_xapian_query *q,
                          uint32_t limit, bool by_date, bool with_lang,
                          double floor, struct vb_xapian_hits **hits,
                          struct vb_error *err)
{
    static const uint32_t values[] = {VB_SCHEMA_SLOT_LANG};
    static const uint32_t facets[] = {VB_SCHEMA_SLOT_TYPE, VB_SCHEMA_SLOT_LANG};
    struct vb_xapian_search_options o;
    vb_xapian_search_options_init(&o);
    o.limit = limit;
    vb_schema_weighting(vb_rank.bm25_k1, &o);
    /* One hit per translation group; collapsing read every candidate's
     * key (a sixth of Xapian's work), so not where no document has one. */
    uint32_t grouped = 0;
    if (vb_xapian_value_freq(s->searcher->reader, VB_SCHEMA_SLOT_COLLAPSE,
                             &grouped, NULL) != VB_OK ||
        grouped > 0) {
        o.collapse_slot = VB_SCHEMA_SLOT_COLLAPSE;
        o.collapse_max = 1;
    }
    o.value_slots = with_lang ? values : NULL;
    o.value_slot_count = with_lang ? 1 : 0;
    o.without_data = true; /* read for the page only, once ordered */
    o.min_weight = floor;
    o.check_at_least = floor > 0 ? 0 : VB_SEARCH_TOTAL_EXACT_MAX + 1;
    if (s->req->facets && floor == 0) {
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

/* Whether the preferred language's boost can change an order: not when
 * every document or none is in that language. */
static bool boost_matters(struct request_state *s, bool by_date)
{
    if (!vb_rank_prefers(s->req, by_date))
        return false;
    const char *code = vb_lang_code(s->req->preferred_lang);
    char term[VB_SCHEMA_TERM_BUF];
    size_t len = vb_schema_term(VB_SCHEMA_PREFIX_LANG, code, strlen(code),
                                term, sizeof term);
    uint32_t docs = 0;
    return vb_searcher_term_freq(s->searcher, term, len, &docs, NULL) !=
               VB_OK ||
           (docs > 0 && docs < s->doc_count);
}

/* The languages of the documents, when the searcher reads the revision
 * they were read from (langs.c); NULL: read them with the hits. */
static const struct vb_doc_langs *doc_langs(const struct request_state *s)
{
    const struct vb_vocab *v = s->vocab;
    return v->revision == s->searcher->revision && v->doc_langs.lang
               ? &v->doc_langs
               : NULL;
}

/* The hits [0, offset + limit) in the model's order into *ranked
 * (*count of them); *hits is the first run (total, facets). */
static enum vb_status ranked_hits(struct request_state *s,
                                  struct vb_xapian_query *q, bool by_date,
                                  struct vb_xapian_hits **hits,
                                  struct vb_ranked **ranked, size_t *count,
                                  struct vb_error *err)
{
    uint32_t room = s->req->offset + s->req->limit;
    bool prefer = boost_matters(s, by_date);
    uint32_t asked = vb_rank_fetch(prefer, room);
    const struct vb_doc_langs *langs = prefer ? doc_langs(s) : NULL;
    bool with_lang = prefer && !langs;
    enum vb_status st = run(s, q, asked, by_date, with_lang, 0, hits, err);
    struct vb_xapian_hits *from = *hits; /* the run ordered */
    while (st == VB_OK) {
        *ranked = malloc((vb_xapian_hits_count(from) + 1) * sizeof **ranked);
        if (!*ranked) {
            st = vb_error_set(err, VB_ENOMEM, "out of memory");
            break;
        }
        *count =
            vb_rank_order(s->req, prefer, from, langs, asked, *ranked, room);
        if (*count != SIZE_MAX)
            break;
        /* The boost could still bring up a hit not fetched: deeper, but
         * only for hits whose weight, boosted, would beat the page's last
         * (every hit on the page weighs that much).  Xapian skips what
         * cannot reach that floor; without it, the deeper run cost more
         * than the first, and the proof failed for a third of the
         * queries at 100,000 documents. */
        double floor = (*ranked)[room - 1].score / vb_rank.preferred_lang;
        free(*ranked);
        *ranked = NULL;
        if (from != *hits)
            vb_xapian_hits_free(from);
        from = NULL;
        asked = asked > UINT32_MAX / 16 ? UINT32_MAX : asked * 16;
        st = run(s, q, asked, by_date, with_lang, floor, &from, err);
    }
    if (from != *hits)
        vb_xapian_hits_free(from);
    return st;
}

static char *dup_or_null(const char *s)
{
    return s[0] ? strdup(s) : NULL;
}

/* One language version of a translation group on the page, read from
 * value slots (no stored data is decoded for it). */
struct member {
    uint32_t docid;
    char id[VB_DOC_ID_MAX + 1];
    char lang[3];
    char group[VB_SCHEMA_GROUP_KEY_MAX + 1]; /* vb_schema_group_key */
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

/* Appends one member to the page's list. */
static void add_member(struct member *list, size_t *count, uint32_t docid,
                       const char *id, size_t id_len, const char *lang,
                       size_t lang_len, const char *group)
{
    struct member *m = &list[(*count)++];
    m->docid = docid;
    copy_value(m->id, sizeof m->id, id, id_len);
    copy_value(m->lang, sizeof m->lang, lang, lang_len);
    copy_value(m->group, sizeof m->group, group, strlen(group));
}

/* Every language version of the groups of the documents on the page: the
 * searcher's kept lists, and one Xapian search for the groups it has not
 * kept yet (then kept). */
static enum vb_status load_groups(struct request_state *s,
                                  const struct vb_document *const *shown,
                                  size_t count, struct member **members,
                                  size_t *member_count, struct vb_error *err)
{
    struct vb_searcher *searcher = s->searcher;
    const char *missing[VB_SEARCH_LIMIT_MAX];
    struct vb_xapian_query *groups[VB_SEARCH_LIMIT_MAX];
    size_t n = 0;
    *member_count = 0;
    /* Every field is written by add_member: no need to clear it. */
    *members =
        malloc((2 * count * VB_GROUP_MEMBERS_MAX + 1) * sizeof **members);
    if (!*members)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    char keys[VB_SEARCH_LIMIT_MAX][VB_SCHEMA_GROUP_KEY_MAX + 1];
    for (size_t i = 0; i < count; i++) {
        /* A tenant's group is its own: "tenant/group" (schema/). */
        char *group = keys[i];
        group[0] = '\0';
        vb_schema_group_key(shown[i], group, sizeof keys[i]);
        bool again = false; /* one version per group, but be sure */
        for (size_t j = 0; j < i && !again; j++)
            again = strcmp(keys[j], group) == 0;
        if (!group[0] || again)
            continue;
        struct vb_group_member kept[VB_GROUP_MEMBERS_MAX];
        size_t k = 0;
        bool known = false;
        enum vb_status st =
            vb_doc_cache_group(searcher, group, kept, &k, &known, err);
        if (st != VB_OK)
            return st;
        for (size_t j = 0; j < k; j++)
            add_member(*members, member_count, kept[j].docid, kept[j].id,
                       strlen(kept[j].id), kept[j].lang, strlen(kept[j].lang),
                       group);
        if (known)
            continue;
        char term[VB_SCHEMA_TERM_BUF];
        size_t len = vb_schema_term(VB_SCHEMA_PREFIX_GROUP, shown[i]->group,
                                    strlen(shown[i]->group), term, sizeof term);
        missing[n] = group;
        groups[n++] = vb_query_term(s, term, len);
    }
    if (n == 0)
        return s->failed ? vb_error_set(err, VB_ENOMEM, "out of memory")
                         : VB_OK;
    struct vb_xapian_query *q =
        n == 1 ? groups[0] : vb_query_keep(s, vb_xapian_query_or(groups, n));
    struct vb_xapian_query *visible = vb_query_visible(s);
    if (q && visible)
        q = vb_query_keep(s, vb_xapian_query_filter(q, visible));
    if (!q)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    static const uint32_t slots[] = {VB_SCHEMA_SLOT_ID, VB_SCHEMA_SLOT_LANG,
                                     VB_SCHEMA_SLOT_COLLAPSE};
    struct vb_xapian_search_options o;
    vb_xapian_search_options_init(&o);
    o.limit = (uint32_t)(n * VB_GROUP_MEMBERS_MAX);
    o.value_slots = slots;
    o.value_slot_count = 3;
    o.without_data = true;
    struct vb_xapian_hits *hits = NULL;
    enum vb_status st = vb_xapian_search(searcher->reader, q, &o, &hits, err);
    if (st != VB_OK)
        return st;
    size_t h = vb_xapian_hits_count(hits);
    /* A full page may have left members out: keep nothing then. */
    bool complete = h < o.limit;
    for (size_t g = 0; g < n; g++) {
        struct vb_group_member found[VB_GROUP_MEMBERS_MAX];
        size_t k = 0;
        bool fits = true;
        for (size_t i = 0; i < h; i++) {
            size_t group_len, id_len, lang_len;
            const char *v = vb_xapian_hit_value(
                hits, i, VB_SCHEMA_SLOT_COLLAPSE, &group_len);
            if (!v || group_len != strlen(missing[g]) ||
                memcmp(v, missing[g], group_len) != 0)
                continue;
            const char *id =
                vb_xapian_hit_value(hits, i, VB_SCHEMA_SLOT_ID, &id_len);
            const char *lang =
                vb_xapian_hit_value(hits, i, VB_SCHEMA_SLOT_LANG, &lang_len);
            uint32_t docid = vb_xapian_hit_docid(hits, i);
            add_member(*members, member_count, docid, id, id ? id_len : 0, lang,
                       lang ? lang_len : 0, missing[g]);
            if (k == VB_GROUP_MEMBERS_MAX) {
                fits = false;
                continue;
            }
            found[k].docid = docid;
            copy_value(found[k].id, sizeof found[k].id, id, id ? id_len : 0);
            copy_value(found[k].lang, sizeof found[k].lang, lang,
                       lang ? lang_len : 0);
            k++;
        }
        if (complete && fits)
            vb_doc_cache_put_group(searcher, missing[g], found, k);
    }
    vb_xapian_hits_free(hits);
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
                               const struct vb_document *doc, uint32_t docid,
                               double score, const struct member *members,
                               size_t member_count)
{
    struct vb_snippet_tokens *tokens = NULL;
    if (vb_doc_cache_tokens(s->searcher, docid, &tokens, NULL) != VB_OK)
        return VB_ENOMEM;
    h->id = strdup(doc->id);
    h->type = strdup(doc->type);
    h->lang = dup_or_null(doc->lang);
    h->title = strdup(doc->title);
    h->score = vb_rank_reported(score);
    h->group = dup_or_null(doc->group);
    h->updated = dup_or_null(doc->updated);
    h->review_by = dup_or_null(doc->review_by);
    h->date = dup_or_null(doc->date);
    h->customer = dup_or_null(doc->customer);
    h->channel = dup_or_null(doc->channel);
    enum vb_lang lang = vb_lang_parse(doc->lang, strlen(doc->lang));
    h->title_html = vb_snippet_mark(s->searcher->analyzer, &s->highlight,
                                    s->snippets, doc->title, lang);
    h->snippet = vb_snippet_make(s->searcher->analyzer, &s->highlight,
                                 s->snippets, doc->body_text, lang, tokens);
    char key[VB_SCHEMA_GROUP_KEY_MAX + 1];
    if (vb_schema_group_key(doc, key, sizeof key) > 0) {
        h->translations = calloc(member_count + 1, sizeof *h->translations);
        if (!h->translations)
            return VB_ENOMEM;
        for (size_t m = 0; m < member_count; m++) {
            const struct member *o = &members[m];
            if (strcmp(o->group, key) != 0 ||
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
    if (!h->id || !h->type || !h->title || !h->title_html || !h->snippet)
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
                                        const struct vb_document **out,
                                        uint32_t *docid, struct vb_error *err)
{
    *out = NULL;
    enum vb_lang pref = s->req->preferred_lang;
    char key[VB_SCHEMA_GROUP_KEY_MAX + 1];
    if (pref == VB_LANG_UNKNOWN ||
        vb_schema_group_key(doc, key, sizeof key) == 0 ||
        strcmp(doc->lang, vb_lang_code(pref)) == 0)
        return VB_OK;
    for (size_t m = 0; m < member_count; m++) {
        if (strcmp(members[m].group, key) != 0 ||
            strcmp(members[m].lang, vb_lang_code(pref)) != 0)
            continue;
        char term[VB_DOC_ID_MAX + 8];
        size_t n = vb_schema_id_term(members[m].id, term, sizeof term);
        if (s->excluded) {
            /* Never show a version that holds an excluded word. */
            bool excluded = false;
            enum vb_status st =
                matches(s, term, n, s->excluded, &excluded, err);
            if (st != VB_OK || excluded)
                return st;
        }
        *docid = members[m].docid;
        enum vb_status st = vb_doc_cache_get(s->searcher, *docid, out, err);
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
            const char *v =
                vb_xapian_hits_facet_value(hits, f, j, &len, &count);
            facet->counts[j].value = strndup(v, len);
            facet->counts[j].count = count;
            if (!facet->counts[j].value)
                return VB_ENOMEM;
            facet->count++;
        }
    }
    return VB_OK;
}

enum vb_status vb_query_page(struct request_state *s, struct vb_xapian_query *q,
                             bool by_date, struct vb_search_result *r,
                             struct vb_error *err)
{
    const struct vb_search_request *req = s->req;
    struct vb_xapian_hits *hits = NULL;
    const struct vb_document *docs[VB_SEARCH_LIMIT_MAX]; /* borrowed */
    uint32_t docids[VB_SEARCH_LIMIT_MAX];
    double scores[VB_SEARCH_LIMIT_MAX];
    size_t doc_count = 0, h = 0;
    struct vb_ranked *ranked = NULL;
    struct member *members = NULL;
    size_t member_count = 0;

    /* Xapian collapses each translation group to its best version; rank.c
     * orders the hits (the preferred language's boost). */
    enum vb_status st = ranked_hits(s, q, by_date, &hits, &ranked, &h, err);
    for (size_t k = req->offset; st == VB_OK && k < h && doc_count < req->limit;
         k++) {
        const struct vb_document *doc = NULL;
        st = vb_doc_cache_get(s->searcher, ranked[k].docid, &doc, err);
        if (st == VB_ENOTFOUND) { /* deleted since: the next revision */
            st = VB_OK;
            continue;
        }
        if (st != VB_OK)
            break;
        scores[doc_count] = ranked[k].score;
        docids[doc_count] = ranked[k].docid;
        docs[doc_count++] = doc;
    }
    if (st != VB_OK)
        goto out;
    /* Exact up to the bound, then "more than": one number for every page
     * of a query (a heap sized by the page would move an estimate). */
    uint32_t matches = vb_xapian_hits_lower_bound(hits);
    r->total_exact = matches <= VB_SEARCH_TOTAL_EXACT_MAX;
    r->total = r->total_exact ? matches : VB_SEARCH_TOTAL_EXACT_MAX;

    st = load_groups(s, docs, doc_count, &members, &member_count, err);
    if (st != VB_OK)
        goto out;
    r->hits = calloc(doc_count + 1, sizeof *r->hits);
    if (!r->hits) {
        st = vb_error_set(err, VB_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < doc_count; i++) {
        const struct vb_document *preferred = NULL;
        uint32_t preferred_docid = 0;
        st = preferred_version(s, docs[i], members, member_count, &preferred,
                               &preferred_docid, err);
        if (st != VB_OK)
            goto out;
        if (preferred) {
            docs[i] = preferred;
            docids[i] = preferred_docid;
        }
        r->hit_count++;
        if (fill_hit(s, &r->hits[i], docs[i], docids[i], scores[i], members,
                     member_count) != VB_OK) {
            st = vb_error_set(err, VB_ENOMEM, "out of memory");
            goto out;
        }
    }
    if (req->facets && facets_from(r, hits) != VB_OK) {
        st = vb_error_set(err, VB_ENOMEM, "out of memory");
        goto out;
    }
    if (s->corrected) {
        r->suggestion = corrected_text(s);
        if (!r->suggestion)
            st = vb_error_set(err, VB_ENOMEM, "out of memory");
    }
out:
    free(ranked);
    free(members);
    vb_xapian_hits_free(hits);
    return st;
}
