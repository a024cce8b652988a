/* vocab.c — the per-language vocabulary (words as typed, folded, with the
 * number of documents holding them), read from the index's vocabulary
 * terms, for prefix completion and typo correction.  Immutable once built;
 * the engine swaps in a new one when the index revision changes. */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>

struct vocab_build {
    struct vb_vocab_lang *lang;
    size_t prefix_len;
    size_t blob_used, blob_cap;
    bool failed;
};

static int add_word(void *ctx, const char *term, size_t len, uint32_t freq)
{
    struct vocab_build *b = ctx;
    struct vb_vocab_lang *l = b->lang;
    const char *word = term + b->prefix_len;
    size_t n = len - b->prefix_len;
    if (n == 0)
        return 0;
    if (l->count % 1024 == 0) {
        size_t cap = l->count + 1024;
        uint32_t *off = realloc(l->offsets, (cap + 1) * sizeof *off);
        if (off)
            l->offsets = off;
        uint32_t *fr = realloc(l->freqs, cap * sizeof *fr);
        if (fr)
            l->freqs = fr;
        if (!off || !fr) {
            b->failed = true;
            return 1;
        }
    }
    if (b->blob_used + n + 1 > b->blob_cap) {
        size_t cap = b->blob_cap ? b->blob_cap * 2 : 65536;
        while (cap < b->blob_used + n + 1)
            cap *= 2;
        char *blob = cap <= UINT32_MAX ? realloc(l->blob, cap) : NULL;
        if (!blob) {
            b->failed = true;
            return 1;
        }
        l->blob = blob;
        b->blob_cap = cap;
    }
    l->offsets[l->count] = (uint32_t)b->blob_used;
    memcpy(l->blob + b->blob_used, word, n);
    b->blob_used += n;
    l->blob[b->blob_used++] = '\0';
    l->freqs[l->count++] = freq;
    l->offsets[l->count] = (uint32_t)b->blob_used;
    return 0;
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

struct expired {
    const char *before;
    uint32_t *docids;
    size_t count, cap;
    bool failed;
};

static int collect_expired(void *ctx, uint32_t docid, const char *value,
                           size_t len)
{
    struct expired *e = ctx;
    size_t n = strlen(e->before);
    /* "YYYY-MM-DD" order is byte order: expired when <= the cutoff. */
    int c = memcmp(value, e->before, len < n ? len : n);
    if (len == 0 || c > 0 || (c == 0 && len > n))
        return 0;
    if (e->count == e->cap) {
        size_t cap = e->cap ? 2 * e->cap : 64;
        uint32_t *p = realloc(e->docids, cap * sizeof *p);
        if (!p) {
            e->failed = true;
            return 1;
        }
        e->docids = p;
        e->cap = cap;
    }
    e->docids[e->count++] = docid;
    return 0;
}

struct take_off {
    struct vb_vocab_lang *lang;
    size_t prefix_len;
};

static size_t lower_bound(const struct vb_vocab_lang *l, const char *key,
                          size_t key_len);

static int take_off_word(void *ctx, const char *term, size_t len,
                         uint32_t freq)
{
    (void)freq;
    struct take_off *t = ctx;
    struct vb_vocab_lang *l = t->lang;
    const char *word = term + t->prefix_len;
    size_t n = len - t->prefix_len;
    size_t i = lower_bound(l, word, n);
    if (i < l->count && l->offsets[i + 1] - l->offsets[i] - 1 == n &&
        memcmp(l->blob + l->offsets[i], word, n) == 0 && l->freqs[i] > 0)
        l->freqs[i]--;
    return 0;
}

/* Takes the words of expired articles off the counts. */
static enum vb_status without_expired(struct vb_xapian_reader *reader,
                                      struct vb_vocab *v, struct vb_error *err)
{
    struct expired e = {.before = v->expired_before};
    enum vb_status st = vb_xapian_for_each_value(
        reader, VB_SCHEMA_SLOT_VALID_UNTIL, collect_expired, &e, err);
    if (st == VB_OK && e.failed)
        st = vb_error_set(err, VB_ENOMEM, "out of memory");
    for (size_t d = 0; st == VB_OK && d < e.count; d++) {
        for (int lang = VB_LANG_NL; st == VB_OK && lang < VB_LANG_COUNT;
             lang++) {
            char prefix[VB_SCHEMA_TERM_BUF];
            size_t plen = vb_schema_term(VB_SCHEMA_PREFIX_WORD,
                                         vb_lang_code((enum vb_lang)lang), 2,
                                         prefix, sizeof prefix);
            struct take_off t = {.lang = &v->lang[lang], .prefix_len = plen};
            st = vb_xapian_for_each_doc_term(reader, e.docids[d], prefix, plen,
                                             take_off_word, &t, err);
            if (st == VB_ENOTFOUND) /* deleted since: nothing to take off */
                st = VB_OK;
        }
    }
    free(e.docids);
    return st;
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
    for (int lang = VB_LANG_NL; st == VB_OK && lang < VB_LANG_COUNT; lang++) {
        char prefix[VB_SCHEMA_TERM_BUF];
        size_t plen = vb_schema_term(VB_SCHEMA_PREFIX_WORD,
                                     vb_lang_code((enum vb_lang)lang), 2,
                                     prefix, sizeof prefix);
        struct vocab_build b = {.lang = &v->lang[lang], .prefix_len = plen};
        st = vb_xapian_for_each_term(reader, prefix, plen, add_word, &b, err);
        if (st == VB_OK && b.failed)
            st = vb_error_set(err, VB_ENOMEM, "out of memory");
    }
    if (st == VB_OK)
        st = without_expired(reader, v, err);
    if (st != VB_OK) {
        vb_vocab_release(v);
        return st;
    }
    for (int lang = VB_LANG_NL; lang < VB_LANG_COUNT; lang++)
        index_first_letters(&v->lang[lang]);
    *out = v;
    return VB_OK;
}

void vb_vocab_release(struct vb_vocab *v)
{
    if (!v || atomic_fetch_sub(&v->refs, 1) != 1)
        return;
    for (int i = 0; i < VB_LANG_COUNT; i++) {
        free(v->lang[i].blob);
        free(v->lang[i].offsets);
        free(v->lang[i].freqs);
    }
    free(v);
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

uint32_t vb_vocab_freq(const struct vb_vocab *v, enum vb_lang lang,
                       const char *word, size_t len)
{
    const struct vb_vocab_lang *l = &v->lang[lang];
    size_t i = lower_bound(l, word, len), n;
    if (i < l->count) {
        const char *w = word_at(l, i, &n);
        if (n == len && memcmp(w, word, len) == 0)
            return l->freqs[i];
    }
    return 0;
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

size_t vb_vocab_complete(const struct vb_vocab *v, enum vb_lang lang,
                         const char *prefix, size_t len,
                         struct vb_vocab_match *out, size_t max)
{
    const struct vb_vocab_lang *l = &v->lang[lang];
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

/* Scans the words starting with byte `first` for ones within max_edits. */
static size_t scan_bucket(const struct vb_vocab_lang *l, enum vb_lang lang,
                          char first, const char *word, size_t len,
                          unsigned max_edits, struct vb_vocab_match *out,
                          size_t count, size_t max)
{
    for (size_t i = lower_bound(l, &first, 1); i < l->count; i++) {
        size_t n;
        const char *w = word_at(l, i, &n);
        if (w[0] != first)
            break;
        if (n + max_edits < len || n > len + max_edits || l->freqs[i] == 0)
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

size_t vb_vocab_correct(const struct vb_vocab *v, enum vb_lang lang,
                        const char *word, size_t len, unsigned max_edits,
                        struct vb_vocab_match *out, size_t max)
{
    const struct vb_vocab_lang *l = &v->lang[lang];
    if (len == 0 || max == 0)
        return 0;
    /* Typos rarely hit the first letter; a swap of the first two is the
     * common exception, so that bucket is searched too. */
    size_t count = scan_bucket(l, lang, word[0], word, len, max_edits, out, 0,
                               max);
    if (len > 1 && word[1] != word[0])
        count = scan_bucket(l, lang, word[1], word, len, max_edits, out, count,
                            max);
    return count;
}
