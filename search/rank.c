/* rank.c — the ranking model: every weight, and how they add up.
 *
 * The model.  A document's score is BM25 (k1 below) summed over the
 * clauses of the query, on two fields (schema/): the text, where a title
 * occurrence counts VB_SCHEMA_TITLE_WDF times and tags and product codes
 * VB_SCHEMA_TAGS_WDF times, and the subject (title, tags, product codes
 * alone, with their own statistics), weighted `subject`, for the words as
 * typed: a word that is rare in titles weighs more in a title.  One length
 * normalisation for the whole document, BM25's b = VB_SCHEMA_LENGTH_B
 * against the index's reference length, applied when the document is
 * built (vb_schema.h), so Xapian never reads a document's length; the
 * scores it returns are that BM25's times a constant, divided out again
 * for the API (vb_rank_reported).
 *   - A clause is one word as typed: its stems in every language are one
 *     term (a synonym).  Its expansions weigh less than the word itself:
 *     compound and code parts `part`, completions of the word being typed
 *     `prefix` (`prefix_of_word` when what is typed is already a word:
 *     "aanmaning" is more likely "aanmaning" than "aanmaningskosten"),
 *     corrections of an unknown word `typo`, the other ways of
 *     saying a concept `concept`; a code or number typed in pieces and
 *     found joined weighs `join`.  So the word as typed always outweighs
 *     what it was expanded to.
 *   - Two words typed apart that Dutch articles write as one ("sim
 *     kaart", "adres wijziging") also match that word, as if typed.
 *   - Function words and question words ("de", "peut", "how") add
 *     `function_word` of their weight in the text field alone (a title
 *     saying "peut-on" is no reason) and decide nothing: no document is
 *     looked at or ranked first because of them; one in half the
 *     documents or more is left out (its idf is not above zero).  A
 *     query of function words alone is what was asked: both fields.
 *   - A document with every content word gains `all_words` of their
 *     weight again, in the text field alone (where a word as typed
 *     decides presence as well as both fields do, at half the posting
 *     lists); a word typed in part, in pieces or misspelt counts with
 *     its expansions, another way of saying it (a concept) does not.
 *     Not past `all_words_max` content words: a document rarely has
 *     every word of a long question, and its pairs and words decide
 *     alone (no figure moves up to eight; with five, two suites lose
 *     half a point: docs/ranking-history.md).
 *   - Two neighbouring content words of the query that
 *     are neighbouring content words of the document too, in order
 *     (function words between them do not count), add `proximity` of
 *     the two words' weight, in the preferred language's terms when there
 *     is one.  Contributions, not tiers.  The document's pair term
 *     (schema/) says they are neighbours: one posting list, where a
 *     phrase read both words' positions in every candidate (a fifth of
 *     a long question's time).
 *   - A long text (suggest) keeps its `salient_max` most salient words:
 *     rarity in the index times how often the text says them (at most
 *     `salient_repeats_max`), doubled (`salient_domain`) for customer-
 *     service vocabulary.
 *   - The customer's own events weigh `history` times their BM25 score,
 *     and those with every word as typed `history_typed` more: what the
 *     customer on the line did comes before the articles about it.
 *   - The preferred language multiplies by `preferred_lang` the score of
 *     a hit (a translation group's best version) in that language.  Not
 *     inside Xapian's query (a boost there cost a fifth of the search
 *     time): Xapian is asked for `preferred_depth` times the page plus
 *     `preferred_extra` hits, and they are reordered here.  That order is
 *     proven, not hoped: no hit further down scores more than the last
 *     one fetched, boosted; when that could still beat the page's last,
 *     Xapian is asked for sixteen times as many (again, until proven),
 *     among the hits alone that weigh at least the page's last divided by
 *     the boost (vb_rank_order, hits.c).  Four times as many left a third
 *     run to one search in six at 1.1 M documents
 *     (docs/ranking-history.md).
 * Pruning: Xapian's own.  Its matcher skips a document only when the
 * maximum weight it could still reach cannot enter the hits asked for
 * (its OR turns into AND_MAYBE), which cannot change the answer; asking
 * for a few dozen hits, not more, is what lets it skip.  The boost's
 * deeper run gives it a floor proven above (a weight that cannot reach
 * the page, boosted), which it skips the same way.
 *
 * Tuned on the dev halves of ../shared/data/relevance-dev and on
 * corpus/queries.tsv only (bench/relevance.sh). */
#include "search_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const struct vb_rank_model vb_rank = {
    .bm25_k1 = 2.0,
    .subject = 0.35,
    .part = 0.5,
    .prefix = 0.8,
    .prefix_of_word = 0.4,
    .typo = 0.35,
    .concept = 0.7,
    .join = 2.0,
    .function_word = 0.3,
    .all_words = 0.25,
    .all_words_max = 8,
    .proximity = 0.5,
    .salient_max = 10,
    .salient_repeats_max = 4,
    .salient_domain = 2.0,
    .history = 3.0,
    .history_typed = 20.0,
    .preferred_lang = 1.25,
    .preferred_depth = 5,
    .preferred_extra = 10,
};

static struct vb_xapian_query *scaled(struct request_state *s,
                                      struct vb_xapian_query *q, double w)
{
    return w == 1.0 ? q : vb_query_keep(s, vb_xapian_query_scale_weight(q, w));
}

/* The next content clause after clause i, or p->count. */
static size_t next_content(const struct plan *p, size_t i)
{
    size_t j = i + 1;
    while (j < p->count && (p->clauses[j].optional || p->clauses[j].compound))
        j++;
    return j;
}

struct vb_xapian_query *vb_rank_combine(struct request_state *s, struct plan *p)
{
    bool content = false;
    for (size_t i = 0; i < p->count; i++)
        content = content || !p->clauses[i].optional;
    if (!content) /* only function words: they are what was asked */
        for (size_t i = 0; i < p->count; i++)
            p->clauses[i].optional = false;

    struct vb_xapian_query **scored =
        malloc((2 * p->count + 2) * sizeof *scored);
    struct vb_xapian_query **all = malloc((p->count + 1) * sizeof *all);
    struct vb_xapian_query **typed = malloc((p->count + 1) * sizeof *typed);
    if (!scored || !all || !typed) {
        free(scored);
        free(all);
        free(typed);
        s->failed = true;
        return NULL;
    }
    size_t n = 0, a = 0;
    for (size_t i = 0; i < p->count; i++) {
        const struct clause *c = &p->clauses[i];
        /* A function word in half the documents or more discriminates
         * nothing (its BM25 idf is not above zero), and walking its
         * postings cost a sixth of a question's time. */
        if (!c->optional ||
            2 * vb_query_doc_freq(s, &s->tokens[c->first_token]) < s->doc_count)
            scored[n++] =
                scaled(s, c->q, c->optional ? vb_rank.function_word : 1);
        if (!c->optional && !c->compound) {
            typed[a] = c->typed ? c->typed : c->q;
            all[a++] = c->whole ? c->whole : c->q;
        }
    }
    if (a > 1 && a <= vb_rank.all_words_max && vb_rank.all_words > 0)
        scored[n++] = scaled(s, vb_query_keep(s, vb_xapian_query_and(all, a)),
                             vb_rank.all_words);
    /* Customer history has no positions (schema/). */
    for (size_t i = 0; !s->history && i < p->count; i++) {
        const struct clause *x = &p->clauses[i];
        size_t j = next_content(p, i);
        if (x->optional || x->compound || j == p->count)
            continue;
        const struct clause *y = &p->clauses[j];
        if (!x->single || !y->single ||
            s->tokens[x->first_token].segment !=
                s->tokens[y->first_token].segment)
            continue;
        struct vb_xapian_query *near =
            vb_query_pair(s, x->first_token, y->first_token);
        if (near)
            scored[n++] = scaled(s, near, vb_rank.proximity);
    }
    if (s->history && a > 0)
        scored[n++] = scaled(
            s,
            a == 1 ? typed[0] : vb_query_keep(s, vb_xapian_query_and(typed, a)),
            vb_rank.history_typed);
    struct vb_xapian_query *q =
        n == 0   ? NULL /* p->count 0: nothing to search */
        : n == 1 ? scored[0]
                 : vb_query_keep(s, vb_xapian_query_or(scored, n));
    free(scored);
    free(all);
    free(typed);
    return q;
}

bool vb_rank_prefers(const struct vb_search_request *req, bool by_date)
{
    return req->preferred_lang != VB_LANG_UNKNOWN && !by_date;
}

uint32_t vb_rank_fetch(bool prefer, uint32_t room)
{
    return prefer ? room * vb_rank.preferred_depth + vb_rank.preferred_extra
                  : room;
}

double vb_rank_reported(double score)
{
    return score / vb_schema_weight_unit(vb_rank.bm25_k1);
}

static int by_score(const void *a, const void *b)
{
    const struct vb_ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return (x->docid > y->docid) - (x->docid < y->docid); /* as Xapian */
}

/* Whether hit i is in the preferred language. */
static bool preferred(const struct vb_search_request *req,
                      const struct vb_xapian_hits *hits,
                      const struct vb_doc_langs *langs, size_t i)
{
    if (langs)
        return vb_doc_lang(langs, vb_xapian_hit_docid(hits, i)) ==
               req->preferred_lang;
    size_t len;
    const char *lang = vb_xapian_hit_value(hits, i, VB_SCHEMA_SLOT_LANG, &len);
    return lang && vb_lang_parse(lang, len) == req->preferred_lang;
}

size_t vb_rank_order(const struct vb_search_request *req, bool prefer,
                     const struct vb_xapian_hits *hits,
                     const struct vb_doc_langs *langs, uint32_t asked,
                     struct vb_ranked *out, size_t room)
{
    size_t n = vb_xapian_hits_count(hits);
    for (size_t i = 0; i < n; i++) {
        double w = vb_xapian_hit_weight(hits, i);
        if (prefer && preferred(req, hits, langs, i))
            w *= vb_rank.preferred_lang;
        out[i] = (struct vb_ranked){vb_xapian_hit_docid(hits, i), w};
    }
    if (!prefer)
        return n < room ? n : room; /* Xapian's order */
    qsort(out, n, sizeof *out, by_score);
    /* Fewer than asked: every match is here.  Else a hit not fetched
     * weighs at most the last one fetched, boosted at most to `bound`:
     * the page stands when its last hit scores more. */
    if (n >= asked && n > 0) {
        double bound =
            vb_xapian_hit_weight(hits, n - 1) * vb_rank.preferred_lang;
        size_t last = (room < n ? room : n) - 1;
        if (!(out[last].score > bound))
            return SIZE_MAX;
    }
    return n < room ? n : room;
}
