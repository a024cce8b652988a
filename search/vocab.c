/* vocab.c — the per-language vocabulary (words as typed, folded, with the
 * number of documents holding them), read from the index's vocabulary
 * terms, for prefix completion and typo correction: one part for the
 * shared documents and one per tenant, merged per request (a view), so
 * that a client never gets a word only another client's articles hold.
 * Immutable once built; the engine swaps in a new one when the index
 * revision or the day changes. */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>

/* Appends a word to a language part being built (terms come sorted). */
static bool append_word(struct vb_vocab_lang *l, const char *word, size_t n,
                        uint32_t freq)
{
    if (n == 0)
        return true;
    if (l->count % 1024 == 0) {
        size_t cap = l->count + 1024;
        uint32_t *off = realloc(l->offsets, (cap + 1) * sizeof *off);
        if (off)
            l->offsets = off;
        uint32_t *fr = realloc(l->freqs, cap * sizeof *fr);
        if (fr)
            l->freqs = fr;
        if (!off || !fr)
            return false;
    }
    if (l->blob_used + n + 1 > l->blob_cap) {
        size_t cap = l->blob_cap ? l->blob_cap * 2 : 4096;
        while (cap < l->blob_used + n + 1)
            cap *= 2;
        char *blob = cap <= UINT32_MAX ? realloc(l->blob, cap) : NULL;
        if (!blob)
            return false;
        l->blob = blob;
        l->blob_cap = cap;
    }
    l->offsets[l->count] = (uint32_t)l->blob_used;
    memcpy(l->blob + l->blob_used, word, n);
    l->blob_used += n;
    l->blob[l->blob_used++] = '\0';
    l->freqs[l->count++] = freq;
    l->offsets[l->count] = (uint32_t)l->blob_used;
    return true;
}

static enum vb_lang lang_of(const char *code)
{
    for (int l = VB_LANG_NL; l < VB_LANG_COUNT; l++)
        if (memcmp(code, vb_lang_code((enum vb_lang)l), 2) == 0)
            return (enum vb_lang)l;
    return VB_LANG_UNKNOWN;
}

/* A vocabulary term, taken apart: "W" + lang + word (shared) or "XW" +
 * tenant + ":" + lang + word.  False for anything else. */
struct word_term {
    const char *tenant; /* not NUL-terminated; tenant_len 0: shared */
    size_t tenant_len;
    enum vb_lang lang;
    const char *word;
    size_t len;
};

static bool parse_word_term(const char *term, size_t len, struct word_term *w)
{
    size_t tp = strlen(VB_SCHEMA_PREFIX_TENANT_WORD),
           sp = strlen(VB_SCHEMA_PREFIX_WORD);
    const char *at;
    *w = (struct word_term){0};
    if (len > tp && memcmp(term, VB_SCHEMA_PREFIX_TENANT_WORD, tp) == 0) {
        const char *colon = memchr(term + tp, ':', len - tp);
        if (!colon)
            return false;
        w->tenant = term + tp;
        w->tenant_len = (size_t)(colon - w->tenant);
        at = colon + 1;
    } else if (len > sp && memcmp(term, VB_SCHEMA_PREFIX_WORD, sp) == 0) {
        at = term + sp;
    } else {
        return false;
    }
    if ((size_t)(term + len - at) < 2 || w->tenant_len > VB_DOC_TENANT_MAX)
        return false;
    w->lang = lang_of(at);
    w->word = at + 2;
    w->len = (size_t)(term + len - w->word);
    return w->lang != VB_LANG_UNKNOWN;
}

/* The part of `v` a word term belongs to; tenants are added in the
 * order their terms come (sorted), so a new one is the last. */
static struct vb_vocab_lang *part_for(struct vb_vocab *v,
                                      const struct word_term *w, bool add)
{
    if (w->tenant_len == 0)
        return &v->lang[w->lang];
    for (size_t i = v->tenant_count; i-- > 0;) {
        struct vb_vocab_tenant *t = &v->tenants[i];
        if (strlen(t->name) == w->tenant_len &&
            memcmp(t->name, w->tenant, w->tenant_len) == 0)
            return &t->lang[w->lang];
        if (add)
            break; /* sorted: only the last can match */
    }
    if (!add)
        return NULL;
    struct vb_vocab_tenant *t =
        realloc(v->tenants, (v->tenant_count + 1) * sizeof *t);
    if (!t)
        return NULL;
    v->tenants = t;
    t = &v->tenants[v->tenant_count++];
    memset(t, 0, sizeof *t);
    memcpy(t->name, w->tenant, w->tenant_len);
    return &t->lang[w->lang];
}

struct vocab_build {
    struct vb_vocab *vocab;
    bool failed;
};

static int add_word(void *ctx, const char *term, size_t len, uint32_t freq)
{
    struct vocab_build *b = ctx;
    struct word_term w;
    if (!parse_word_term(term, len, &w))
        return 0; /* not a vocabulary term (another X… prefix) */
    struct vb_vocab_lang *l = part_for(b->vocab, &w, true);
    if (!l || !append_word(l, w.word, w.len, freq)) {
        b->failed = true;
        return 1;
    }
    return 0;
}

static size_t lower_bound(const struct vb_vocab_lang *l, const char *key,
                          size_t key_len);

static int take_off_word(void *ctx, const char *term, size_t len,
                         uint32_t freq)
{
    (void)freq;
    struct word_term w;
    struct vb_vocab_lang *l =
        parse_word_term(term, len, &w) ? part_for(ctx, &w, false) : NULL;
    if (!l)
        return 0;
    size_t i = lower_bound(l, w.word, w.len);
    if (i < l->count && l->offsets[i + 1] - l->offsets[i] - 1 == w.len &&
        memcmp(l->blob + l->offsets[i], w.word, w.len) == 0 && l->freqs[i] > 0)
        l->freqs[i]--;
    return 0;
}

/* Takes the words of expired articles off the counts. */
static enum vb_status without_expired(struct vb_xapian_reader *reader,
                                      struct vb_vocab *v, struct vb_error *err)
{
    struct vb_docids expired = {0};
    enum vb_status st = vb_search_docids_up_to(
        reader, VB_SCHEMA_SLOT_VALID_UNTIL, v->expired_before, &expired, err);
    static const char *const prefixes[] = {VB_SCHEMA_PREFIX_WORD,
                                           VB_SCHEMA_PREFIX_TENANT_WORD};
    for (size_t d = 0; st == VB_OK && d < expired.count; d++)
        for (size_t k = 0; st == VB_OK && k < 2; k++) {
            st = vb_xapian_for_each_doc_term(reader, expired.ids[d], prefixes[k],
                                             strlen(prefixes[k]), take_off_word,
                                             v, err);
            if (st == VB_ENOTFOUND) /* deleted since: nothing to take off */
                st = VB_OK;
        }
    free(expired.ids);
    return st;
}

/* Fills top[][]: for each first byte, the most frequent words (single
 * letters excluded: they complete nothing). */
static void index_first_letters(struct vb_vocab_lang *l)
{
    for (size_t i = 0; i < l->count; i++) {
        size_t len = l->offsets[i + 1] - l->offsets[i] - 1;
        if (len < 2 || l->freqs[i] == 0)
            continue;
        unsigned char c = (unsigned char)l->blob[l->offsets[i]];
        uint32_t *top = l->top[c];
        size_t n = l->top_count[c];
        if (n == VB_VOCAB_TOP && l->freqs[top[n - 1]] >= l->freqs[i])
            continue;
        size_t at = n < VB_VOCAB_TOP ? n : VB_VOCAB_TOP - 1;
        while (at > 0 && l->freqs[top[at - 1]] < l->freqs[i]) {
            top[at] = top[at - 1];
            at--;
        }
        top[at] = (uint32_t)i;
        if (n < VB_VOCAB_TOP)
            l->top_count[c]++;
    }
}

enum vb_status vb_vocab_build(struct vb_xapian_reader *reader,
                              struct vb_vocab **out, struct vb_error *err)
{
    *out = NULL;
    struct vb_vocab *v = calloc(1, sizeof *v);
    if (!v)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    atomic_init(&v->refs, 1);
    vb_search_expired_before(v->expired_before);
    enum vb_status st = vb_xapian_reader_revision(reader, &v->revision, err);
    v->shards_down = vb_xapian_reader_shards_down(reader, NULL, 0);
    static const char *const prefixes[] = {VB_SCHEMA_PREFIX_WORD,
                                           VB_SCHEMA_PREFIX_TENANT_WORD};
    for (size_t k = 0; st == VB_OK && k < 2; k++) {
        struct vocab_build b = {.vocab = v};
        st = vb_xapian_for_each_term(reader, prefixes[k], strlen(prefixes[k]),
                                     add_word, &b, err);
        if (st == VB_OK && b.failed)
            st = vb_error_set(err, VB_ENOMEM, "out of memory");
    }
    if (st == VB_OK)
        st = without_expired(reader, v, err);
    if (st == VB_OK)
        st = vb_doc_langs_read(reader, &v->doc_langs, err);
    if (st != VB_OK) {
        vb_vocab_release(v);
        return st;
    }
    for (int lang = VB_LANG_NL; lang < VB_LANG_COUNT; lang++) {
        index_first_letters(&v->lang[lang]);
        for (size_t t = 0; t < v->tenant_count; t++)
            index_first_letters(&v->tenants[t].lang[lang]);
    }
    *out = v;
    return VB_OK;
}

static void free_lang(struct vb_vocab_lang *l)
{
    free(l->blob);
    free(l->offsets);
    free(l->freqs);
}

void vb_vocab_release(struct vb_vocab *v)
{
    if (!v || atomic_fetch_sub(&v->refs, 1) != 1)
        return;
    for (int i = 0; i < VB_LANG_COUNT; i++) {
        free_lang(&v->lang[i]);
        for (size_t t = 0; t < v->tenant_count; t++)
            free_lang(&v->tenants[t].lang[i]);
    }
    free(v->tenants);
    vb_doc_langs_free(&v->doc_langs);
    free(v);
}

/* The parts a view sees in `lang`, one after the other: the shared
 * words first (*cursor 0), then its tenant's (or every tenant's); NULL
 * after the last. */
static const struct vb_vocab_lang *next_part(const struct vb_vocab_view *view,
                                             enum vb_lang lang, size_t *cursor)
{
    const struct vb_vocab *v = view->vocab;
    if (*cursor == 0) {
        *cursor = 1;
        return &v->lang[lang];
    }
    while (*cursor - 1 < v->tenant_count) {
        const struct vb_vocab_tenant *t = &v->tenants[*cursor - 1];
        (*cursor)++;
        if (!view->tenant || strcmp(view->tenant, t->name) == 0)
            return &t->lang[lang];
    }
    return NULL;
}

static const char *word_at(const struct vb_vocab_lang *l, size_t i, size_t *len)
{
    *len = l->offsets[i + 1] - l->offsets[i] - 1;
    return l->blob + l->offsets[i];
}

/* First index whose word is >= key (byte order), comparing at most
 * key_len bytes when `prefix`. */
static size_t lower_bound(const struct vb_vocab_lang *l, const char *key,
                          size_t key_len)
{
    size_t lo = 0, hi = l->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, n;
        const char *w = word_at(l, mid, &n);
        int c = memcmp(w, key, n < key_len ? n : key_len);
        if (c < 0 || (c == 0 && n < key_len))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static uint32_t part_freq(const struct vb_vocab_lang *l, const char *word,
                          size_t len)
{
    size_t i = lower_bound(l, word, len), n;
    if (i < l->count) {
        const char *w = word_at(l, i, &n);
        if (n == len && memcmp(w, word, len) == 0)
            return l->freqs[i];
    }
    return 0;
}

uint32_t vb_vocab_freq(const struct vb_vocab_view *view, enum vb_lang lang,
                       const char *word, size_t len)
{
    uint32_t total = 0;
    size_t cursor = 0;
    for (const struct vb_vocab_lang *l; (l = next_part(view, lang, &cursor));)
        total += part_freq(l, word, len);
    return total;
}

/* Merges the matches of one part into out[0..count) (at most max): a
 * word already there adds its documents; the order is fewer edits, then
 * more documents.  Returns the new count. */
static size_t merge_matches(struct vb_vocab_match *out, size_t count,
                            size_t max, const struct vb_vocab_match *in,
                            size_t n)
{
    for (size_t k = 0; k < n; k++) {
        struct vb_vocab_match m = in[k];
        for (size_t i = 0; i < count; i++)
            if (out[i].len == m.len && memcmp(out[i].word, m.word, m.len) == 0) {
                m.freq += out[i].freq;
                if (out[i].edits < m.edits)
                    m.edits = out[i].edits;
                memmove(out + i, out + i + 1, (count - i - 1) * sizeof *out);
                count--;
                break;
            }
        size_t at = count;
        while (at > 0 && (out[at - 1].edits > m.edits ||
                          (out[at - 1].edits == m.edits &&
                           out[at - 1].freq < m.freq)))
            at--;
        if (at >= max)
            continue;
        size_t keep = count < max ? count : max - 1;
        memmove(out + at + 1, out + at, (keep - at) * sizeof *out);
        out[at] = m;
        count = keep + 1;
    }
    return count;
}

/* Keeps the `max` most frequent candidates in out[] (descending). */
static size_t keep_best(struct vb_vocab_match *out, size_t count, size_t max,
                        struct vb_vocab_match m)
{
    if (max == 0 || (count == max && out[max - 1].freq >= m.freq))
        return count;
    size_t i = count < max ? count : max - 1;
    while (i > 0 && out[i - 1].freq < m.freq) {
        out[i] = out[i - 1];
        i--;
    }
    out[i] = m;
    return count < max ? count + 1 : max;
}

static size_t complete_part(const struct vb_vocab_lang *l, enum vb_lang lang,
                            const char *prefix, size_t len,
                            struct vb_vocab_match *out, size_t max)
{
    size_t count = 0;
    if (len == 1) {
        unsigned char c = (unsigned char)prefix[0];
        for (size_t k = 0; k < l->top_count[c] && count < max; k++) {
            uint32_t i = l->top[c][k];
            size_t n;
            const char *w = word_at(l, i, &n);
            out[count++] =
                (struct vb_vocab_match){w, n, l->freqs[i], 0, lang};
        }
        return count;
    }
    for (size_t i = lower_bound(l, prefix, len); i < l->count; i++) {
        size_t n;
        const char *w = word_at(l, i, &n);
        if (n < len || memcmp(w, prefix, len) != 0)
            break;
        if (n == len || l->freqs[i] == 0)
            continue; /* the word itself is not a completion */
        count = keep_best(out, count, max,
                          (struct vb_vocab_match){w, n, l->freqs[i], 0, lang});
    }
    return count;
}

/* Optimal string alignment distance (a swap of neighbours is one edit),
 * or max + 1 as soon as it must exceed max. */
static unsigned edit_distance(const char *a, size_t an, const char *b,
                              size_t bn, unsigned max)
{
    enum { W = VB_SCHEMA_WORD_MAX + 2 };
    unsigned rows[3][W];
    unsigned *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    if (an >= W || bn >= W)
        return max + 1;
    for (size_t j = 0; j <= bn; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= an; i++) {
        cur[0] = (unsigned)i;
        unsigned row_min = cur[0];
        for (size_t j = 1; j <= bn; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned d = prev[j - 1] + cost;
            if (prev[j] + 1 < d)
                d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < d)
                d = prev2[j - 2] + 1;
            cur[j] = d;
            if (d < row_min)
                row_min = d;
        }
        if (row_min > max)
            return max + 1;
        unsigned *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[bn];
}

/* The bytes a word holds, one bit each (byte mod 32).  An edit changes at
 * most two bits (a substitution takes one byte out and puts another in;
 * a transposition none): words whose sets differ in more than twice
 * `max` bits are more than `max` edits apart, and the distance need not
 * be computed. */
static uint32_t byte_set(const char *w, size_t n)
{
    uint32_t set = 0;
    for (size_t i = 0; i < n; i++)
        set |= 1u << ((unsigned char)w[i] & 31u);
    return set;
}

/* Scans the words starting with byte `first` for ones within max_edits. */
static size_t scan_bucket(const struct vb_vocab_lang *l, enum vb_lang lang,
                          char first, const char *word, size_t len,
                          unsigned max_edits, struct vb_vocab_match *out,
                          size_t count, size_t max)
{
    uint32_t set = byte_set(word, len);
    for (size_t i = lower_bound(l, &first, 1); i < l->count; i++) {
        size_t n;
        const char *w = word_at(l, i, &n);
        if (w[0] != first)
            break;
        if (n + max_edits < len || n > len + max_edits || l->freqs[i] == 0 ||
            (unsigned)__builtin_popcount(set ^ byte_set(w, n)) > 2 * max_edits)
            continue;
        unsigned d = edit_distance(word, len, w, n, max_edits);
        if (d == 0 || d > max_edits)
            continue;
        /* Fewer edits first, then more documents. */
        struct vb_vocab_match m = {w, n, l->freqs[i], d, lang};
        size_t k = count < max ? count : max;
        size_t at = k;
        while (at > 0 && (out[at - 1].edits > d ||
                          (out[at - 1].edits == d && out[at - 1].freq < m.freq)))
            at--;
        if (at == max)
            continue;
        if (k == max)
            k--;
        memmove(out + at + 1, out + at, (k - at) * sizeof *out);
        out[at] = m;
        count = count < max ? count + 1 : max;
    }
    return count;
}

static size_t correct_part(const struct vb_vocab_lang *l, enum vb_lang lang,
                           const char *word, size_t len, unsigned max_edits,
                           struct vb_vocab_match *out, size_t max)
{
    /* Typos rarely hit the first letter; a swap of the first two is the
     * common exception, so that bucket is searched too. */
    size_t count = scan_bucket(l, lang, word[0], word, len, max_edits, out, 0,
                               max);
    if (len > 1 && word[1] != word[0])
        count = scan_bucket(l, lang, word[1], word, len, max_edits, out, count,
                            max);
    return count;
}

#define PART_MATCHES_MAX 64

size_t vb_vocab_complete(const struct vb_vocab_view *view, enum vb_lang lang,
                         const char *prefix, size_t len,
                         struct vb_vocab_match *out, size_t max)
{
    struct vb_vocab_match part[PART_MATCHES_MAX];
    size_t count = 0, cursor = 0;
    if (max > PART_MATCHES_MAX)
        max = PART_MATCHES_MAX;
    for (const struct vb_vocab_lang *l; (l = next_part(view, lang, &cursor));)
        count = merge_matches(out, count, max, part,
                              complete_part(l, lang, prefix, len, part, max));
    return count;
}

size_t vb_vocab_correct(const struct vb_vocab_view *view, enum vb_lang lang,
                        const char *word, size_t len, unsigned max_edits,
                        struct vb_vocab_match *out, size_t max)
{
    struct vb_vocab_match part[PART_MATCHES_MAX];
    size_t count = 0, cursor = 0;
    if (len == 0 || max == 0)
        return 0;
    if (max > PART_MATCHES_MAX)
        max = PART_MATCHES_MAX;
    for (const struct vb_vocab_lang *l; (l = next_part(view, lang, &cursor));)
        count = merge_matches(
            out, count, max, part,
            correct_part(l, lang, word, len, max_edits, part, max));
    return count;
}
