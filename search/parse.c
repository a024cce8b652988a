/* parse.c — what was typed: validation of a request, the query syntax
 * (plain words, "phrases", -exclusions), each token analysed in every
 * language, and which tokens are function words. */
#include "search_int.h"

#include <string.h>

struct analysis_ctx {
    struct request_state *s;
    enum vb_lang lang;
    size_t first; /* index of the segment's first token */
    size_t index; /* token being filled in this pass */
};

static int collect_token(void *ctx, const struct vb_token *t)
{
    struct analysis_ctx *a = ctx;
    struct request_state *s = a->s;
    size_t i = a->first + a->index++;
    if (a->lang == VB_LANG_NL) {
        if (s->token_count == VB_QUERY_TOKENS_MAX)
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
    q->stop_in[a->lang] = t->stopword;
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
        enum vb_status st =
            vb_analyze_text(s->searcher->analyzer, text, end - start, a.lang,
                            collect_token, &a, err);
        if (st != VB_OK)
            return st;
    }
    s->segment++;
    return VB_OK;
}

/* Which tokens are function words.  A word that is one in the preferred
 * language is; a word that is one in another language only when the
 * preferred language's articles do not use it as a word ("door" is a
 * Dutch function word and an English noun; "mon" typed by a Dutch agent
 * is French).  Without a preferred language, a function word in any. */
static void function_words(struct request_state *s)
{
    enum vb_lang pref = s->req->preferred_lang;
    for (size_t i = 0; i < s->token_count; i++) {
        struct qtoken *t = &s->tokens[i];
        bool any = false;
        for (int l = VB_LANG_NL; l < VB_LANG_COUNT; l++)
            any = any || t->stop_in[l];
        if (pref == VB_LANG_UNKNOWN || t->stop_in[pref] || !any)
            t->stopword = any;
        else
            t->stopword =
                vb_vocab_freq(&s->words, pref, t->word, t->word_len) == 0;
    }
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

enum vb_status vb_query_validate(const struct vb_search_request *req,
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
        if (!vb_document_type_ok(t, t ? strlen(t) : 0))
            return vb_error_set(err, VB_EINVAL,
                                "'type' entry %zu is not a type name", i + 1);
    }
    if (req->customer &&
        !vb_document_customer_ok(req->customer, strlen(req->customer)))
        return vb_error_set(err, VB_EINVAL,
                            "'customer' must be " VB_DOC_CUSTOMER_RULE);
    if (req->tenant && !vb_document_tenant_ok(req->tenant, strlen(req->tenant)))
        return vb_error_set(err, VB_EINVAL,
                            "'tenant' must match " VB_DOC_TENANT_RULE);
    bool blank = true;
    for (size_t i = 0; blank && i < req->text_len; i++)
        blank = is_space(req->text[i]);
    if (blank && !req->customer)
        return vb_error_set(err, VB_EINVAL,
                            "'%s' is empty (allowed only with "
                            "'customer')",
                            field);
    return VB_OK;
}

enum vb_status vb_query_parse(struct request_state *s, struct vb_error *err)
{
    enum vb_status st =
        s->req->mode == VB_SEARCH_SUGGEST
            ? analyze_segment(s, 0, s->req->text_len, SEG_PLAIN, err)
            : parse_query(s, err);
    if (st == VB_OK)
        function_words(s);
    return st;
}
