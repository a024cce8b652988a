/* snippet.c — the passage of a hit that shows why it matched: the window
 * of the text with the most distinct query terms, HTML-escaped, matches in
 * <mark>.  Only tokens that may hold a term are analysed, and a word's
 * analysis is kept by the searcher between requests. */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>

/* A word's terms, as the analysis chain makes them, kept by the searcher
 * between requests: candidate tokens of the same articles come back
 * request after request (an agent typing a word sends each prefix), and
 * analysing a Dutch word (lexicon, compound parts) is the snippet's
 * dearest step.  Direct-mapped; a word too long for a slot is analysed
 * every time. */
#define WORD_SLOTS 4096
#define WORD_MAX 32
#define WORD_TERMS_BYTES 96

struct word_entry {
    bool used;
    uint8_t lang, len, term_count;
    char word[WORD_MAX];
    uint8_t term_lens[VB_TOKEN_TERMS_MAX];
    char terms[WORD_TERMS_BYTES]; /* the terms one after the other */
};

/* Distinct query words in a passage that make it good enough to stop. */
#define SNIPPET_ENOUGH_WORDS 4

struct vb_snippet_cache {
    struct word_entry words[WORD_SLOTS];
    /* The term each token of the text being scanned matches (index + 1,
     * or 0): one buffer per searcher, not per hit. */
    int *match;
    uint32_t *match_at; /* the tokens that match, in order */
    /* Of the request's terms (the same for every hit), set by
     * vb_snippet_cache_begin and prepare(): */
    bool prepared;
    /* their first bytes: most tokens are dismissed on their first letter; */
    bool firsts[256];
    /* then on their first three (hashed), which a term of three bytes or
     * more starts with; terms shorter than that by their first byte; */
    uint8_t heads[512];
    bool short_firsts[256];
    /* the first three bytes of those of four bytes or more, hashed: where
     * a compound part may start inside a Dutch word; */
    uint8_t starts[512];
    /* their first four bytes (or fewer, all of a shorter term) as token
     * keys, hashed: a kept token of another language is dismissed on its
     * key alone; key_lengths has bit n - 1 set when a term's key is n
     * bytes long; */
    uint8_t key_bits[512];
    unsigned key_lengths;
    /* and the first two bytes of a key that a term can match (the bits
     * of the key's low 16 bits): one test dismisses most tokens; */
    uint8_t key_pairs[65536 / 8];
    size_t *lens; /* their lengths */
};

struct vb_snippet_cache *vb_snippet_cache_new(void)
{
    struct vb_snippet_cache *cache = vb_calloc_resident(1, sizeof *cache);
    if (!cache)
        return NULL;
    cache->match = malloc(VB_SCHEMA_SPANS_MAX * sizeof *cache->match);
    cache->match_at = malloc(VB_SCHEMA_SPANS_MAX * sizeof *cache->match_at);
    if (!cache->match || !cache->match_at) {
        vb_snippet_cache_free(cache);
        return NULL;
    }
    return cache;
}

void vb_snippet_cache_free(struct vb_snippet_cache *cache)
{
    if (!cache)
        return;
    free(cache->lens);
    free(cache->match);
    free(cache->match_at);
    free(cache);
}

void vb_snippet_cache_begin(struct vb_snippet_cache *cache)
{
    free(cache->lens);
    cache->lens = NULL;
    cache->prepared = false;
    memset(cache->firsts, 0, sizeof cache->firsts);
    memset(cache->heads, 0, sizeof cache->heads);
    memset(cache->short_firsts, 0, sizeof cache->short_firsts);
    memset(cache->starts, 0, sizeof cache->starts);
    memset(cache->key_bits, 0, sizeof cache->key_bits);
    memset(cache->key_pairs, 0, sizeof cache->key_pairs);
    cache->key_lengths = 0;
}

static void append(char **out, size_t *used, size_t *cap, const char *s,
                   size_t n, bool *failed)
{
    if (*failed)
        return;
    if (*used + n + 1 > *cap) {
        size_t c = *cap ? *cap * 2 : 256;
        while (c < *used + n + 1)
            c *= 2;
        char *p = realloc(*out, c);
        if (!p) {
            *failed = true;
            return;
        }
        *out = p;
        *cap = c;
    }
    memcpy(*out + *used, s, n);
    *used += n;
    (*out)[*used] = '\0';
}

/* What html_escape does with a byte: copies it, keeps it unless white
 * space follows (a space), makes a run of white space one space (the
 * other white space), or writes its entity (HTML_ENTITY + its index in
 * `entities`). */
enum { HTML_COPY, HTML_SPACE, HTML_WHITE, HTML_ENTITY };
static const char *const entities[] = {"&amp;", "&lt;", "&gt;", "&quot;",
                                       "&#39;"};
static const unsigned char html_kind[256] = {
    [' '] = HTML_SPACE,      ['\t'] = HTML_WHITE,     ['\n'] = HTML_WHITE,
    ['\r'] = HTML_WHITE,     ['\f'] = HTML_WHITE,     ['\v'] = HTML_WHITE,
    ['&'] = HTML_ENTITY,     ['<'] = HTML_ENTITY + 1, ['>'] = HTML_ENTITY + 2,
    ['"'] = HTML_ENTITY + 3, ['\''] = HTML_ENTITY + 4};

/* Escapes text for HTML; runs of white space (line breaks, tabs of
 * tables) become one space, as a snippet is one line.  One table look-up
 * a byte: most bytes are copied as they are. */
static void html_escape(char **out, size_t *used, size_t *cap, const char *s,
                        size_t n, bool *failed)
{
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned kind = html_kind[(unsigned char)s[i]];
        if (kind == HTML_COPY ||
            (kind == HTML_SPACE && (i + 1 == n || !is_space(s[i + 1]))))
            continue;
        append(out, used, cap, s + from, i - from, failed);
        if (kind >= HTML_ENTITY) {
            const char *rep = entities[kind - HTML_ENTITY];
            append(out, used, cap, rep, strlen(rep), failed);
            from = i + 1;
            continue;
        }
        size_t end = i;
        while (end < n && is_space(s[end]))
            end++;
        append(out, used, cap, " ", 1, failed);
        from = end;
        i = end - 1;
    }
    append(out, used, cap, s + from, n - from, failed);
}

/* ==== Snippets ========================================================== */

/* The passage is looked for in the text's first VB_SCHEMA_SPAN_BYTES
 * (the spans a record keeps): where a long document says what it is
 * about, and a bound on the work per hit. */
#define SNIPPET_TOKENS 28

struct snippet_scan {
    int *match; /* index of the matched term + 1, 0 for none */
    size_t count;
};

/* The slot of a word (its bytes and language). */
static struct word_entry *word_slot(struct vb_snippet_cache *cache,
                                    enum vb_lang lang, const char *word,
                                    size_t len)
{
    return &cache->words[vb_slot_hash(word, len, (uint32_t)lang) % WORD_SLOTS];
}

struct analysed {
    struct word_entry *entry; /* filled when the terms fit */
    const struct vb_term_set *terms;
    const size_t *lens;
    int match; /* when they do not fit: the match, found directly */
};

/* Keeps the token's terms in the entry (or, when they do not fit, looks
 * for the match itself). */
static int keep_terms(void *ctx, const struct vb_token *t)
{
    struct analysed *a = ctx;
    struct word_entry *e = a->entry;
    size_t used = 0;
    bool fits = e != NULL;
    for (size_t k = 0; fits && k < t->term_count; k++) {
        fits = used + t->term_lens[k] <= WORD_TERMS_BYTES;
        if (fits) {
            memcpy(e->terms + used, t->terms[k], t->term_lens[k]);
            e->term_lens[k] = (uint8_t)t->term_lens[k];
            used += t->term_lens[k];
        }
    }
    if (fits) {
        e->term_count = (uint8_t)t->term_count;
        e->used = true;
        return 1;
    }
    if (e)
        e->used = false;
    a->entry = NULL;
    for (size_t k = 0; k < t->term_count; k++)
        for (size_t i = 0; i < a->terms->count; i++)
            if (a->lens[i] == t->term_lens[k] &&
                memcmp(a->terms->terms[i], t->terms[k], t->term_lens[k]) == 0) {
                a->match = (int)i + 1;
                return 1;
            }
    return 1;
}

/* The first request term among a kept word's terms (index + 1), or 0. */
static int entry_match(const struct word_entry *e,
                       const struct vb_term_set *terms, const size_t *lens)
{
    const char *term = e->terms;
    for (size_t k = 0; k < e->term_count; term += e->term_lens[k++])
        for (size_t i = 0; i < terms->count; i++)
            if (lens[i] == e->term_lens[k] &&
                memcmp(terms->terms[i], term, lens[i]) == 0)
                return (int)i + 1;
    return 0;
}

/* Cheap test before analysing a token: could it hold a query term?  Terms
 * are lower-case ASCII after folding and start like the words they come
 * from ("factuur" in "facturen"), or, as compound parts, occur whole
 * inside them ("aansluiting" in "glasvezelaansluiting"); so an ASCII
 * token is a candidate only when it starts with a term's first letters or
 * contains a whole term.  A token with other characters is always
 * analysed. */
static unsigned start_hash(const char *p)
{
    return ((unsigned char)p[0] * 31u * 31u + (unsigned char)p[1] * 31u +
            (unsigned char)p[2]) &
           4095u;
}

static bool has_bit(const uint8_t *bits, unsigned h)
{
    return bits[h >> 3] & (1u << (h & 7));
}

static void set_bit(uint8_t *bits, unsigned h)
{
    bits[h >> 3] |= (uint8_t)(1u << (h & 7));
}

/* How a token folded for the cheap test. */
enum fold {
    FOLD_DONE,    /* lower[0..n): its folded letters */
    FOLD_ANALYSE, /* a letter that does not fold (æ, ß, Cyrillic, ...):
                     let the chain decide */
    FOLD_NEVER    /* longer than any term: the chain skips it too */
};

/* Folds the letters of `word` that the cheap test reads: all of them in
 * Dutch, whose compound parts occur inside words, elsewhere the first
 * four.  lower has room for VB_TERM_MAX bytes. */
static enum fold fold_token(const char *word, size_t len, enum vb_lang lang,
                            char *lower, size_t *n)
{
    /* Latin-1 letters U+00C0..U+00FF (UTF-8 C3 80..C3 BF) without their
     * accents, lower case; 0: analyse the token. */
    static const char latin1[64] = "aaaaaa0ceeeeiiii0nooooo0ouuuuy00"
                                   "aaaaaa0ceeeeiiii0nooooo0ouuuuy0y";
    size_t n_lower = 0;
    *n = 0;
    if (len > VB_TERM_MAX)
        return FOLD_NEVER;
    size_t folded_max = lang == VB_LANG_NL ? len : 4;
    for (size_t i = 0; i < len && n_lower < folded_max; i++) {
        unsigned char c = (unsigned char)word[i];
        if (c == 0xC3 && i + 1 < len &&
            ((unsigned char)word[i + 1] & 0xC0) == 0x80) {
            char folded = latin1[(unsigned char)word[++i] & 0x3F];
            if (folded == '0')
                return FOLD_ANALYSE;
            lower[n_lower++] = folded;
            continue;
        }
        if (c >= 0x80)
            return FOLD_ANALYSE;
        lower[n_lower++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    *n = n_lower;
    return FOLD_DONE;
}

/* The cheap test on a token folded by fold_token (and not dismissed by
 * its first letter). */
static bool may_match_folded(const struct vb_term_set *terms,
                             const struct vb_snippet_cache *cache,
                             enum vb_lang lang, enum fold fold,
                             const char *lower, size_t len)
{
    if (fold != FOLD_DONE)
        return fold == FOLD_ANALYSE;
    size_t starts = lang == VB_LANG_NL && len >= 4 ? len - 3 : 1;
    for (size_t at = 0; at < starts; at++) {
        if (!cache->firsts[(unsigned char)lower[at]])
            continue;
        if (at > 0) {
            if (!has_bit(cache->starts, start_hash(lower + at)))
                continue;
        } else if (!cache->short_firsts[(unsigned char)lower[0]]) {
            /* Only a term of three bytes or more can start it. */
            if (len < 3)
                continue;
            if (!has_bit(cache->heads, start_hash(lower)))
                continue;
        }
        for (size_t i = 0; i < terms->count; i++) {
            const char *term = terms->terms[i];
            size_t n = cache->lens[i];
            if (term[0] != lower[at])
                continue;
            if (at == 0) {
                size_t key = n < 4 ? n : 4;
                if (key <= len && memcmp(lower, term, key) == 0)
                    return true;
            } else if (n >= 4 && at + n <= len &&
                       memcmp(lower + at, term, n) == 0) {
                return true;
            }
        }
    }
    return false;
}

/* True when the first letter dismisses the token (not in Dutch). */
static bool dismissed(const struct vb_snippet_cache *cache, enum vb_lang lang,
                      unsigned char first)
{
    return lang != VB_LANG_NL && first < 0x80 &&
           !cache->firsts[first >= 'A' && first <= 'Z' ? first - 'A' + 'a'
                                                       : first];
}

static bool may_match(const struct vb_term_set *terms,
                      const struct vb_snippet_cache *cache, enum vb_lang lang,
                      const char *word, size_t len)
{
    if (dismissed(cache, lang, (unsigned char)word[0]))
        return false;
    char lower[VB_TERM_MAX];
    size_t n;
    enum fold fold = fold_token(word, len, lang, lower, &n);
    return may_match_folded(terms, cache, lang, fold, lower, n);
}

/* A token's key: its first four letters folded as fold_token folds them
 * outside Dutch, one byte each from the lowest (zero bytes after a
 * shorter token); or one of these two. */
#define KEY_NEVER 0u            /* FOLD_NEVER */
#define KEY_ANALYSE 0xFEFEFEFEu /* FOLD_ANALYSE (folded bytes are ASCII) */
#define KEY_UNSET 0xFFFFFFFFu   /* not folded yet (every byte 0xFF) */

static uint32_t token_key(const char *word, size_t len)
{
    char lower[VB_TERM_MAX];
    size_t n;
    enum fold fold = fold_token(word, len, VB_LANG_EN, lower, &n);
    if (fold != FOLD_DONE)
        return fold == FOLD_NEVER ? KEY_NEVER : KEY_ANALYSE;
    uint32_t key = 0;
    for (size_t i = 0; i < n; i++)
        key |= (uint32_t)(unsigned char)lower[i] << (8 * i);
    return key;
}

/* The first n bytes of a key (n 1 to 4). */
static uint32_t key_head(uint32_t key, unsigned n)
{
    return n == 4 ? key : key & ((1u << (8 * n)) - 1);
}

static unsigned key_hash(uint32_t key)
{
    return (key * 2654435761u) >> 20; /* 12 bits */
}

bool vb_snippet_tokens_adopt(struct vb_schema_spans *spans,
                             struct vb_snippet_tokens *out)
{
    *out = (struct vb_snippet_tokens){0};
    uint32_t *keys = NULL;
    if (spans->count > 0 && !(keys = malloc(spans->count * sizeof *keys))) {
        free(spans->at);
        *spans = (struct vb_schema_spans){0};
        return false;
    }
    if (keys)
        memset(keys, 0xFF, spans->count * sizeof *keys); /* KEY_UNSET */
    out->spans = spans->at;
    out->keys = keys;
    out->count = spans->count;
    out->scanned_bytes = spans->scanned_bytes;
    *spans = (struct vb_schema_spans){0};
    return true;
}

bool vb_snippet_tokens_make(const char *text, struct vb_snippet_tokens *out)
{
    struct vb_schema_spans spans;
    if (!vb_schema_spans_make(text, &spans)) {
        *out = (struct vb_snippet_tokens){0};
        return false;
    }
    return vb_snippet_tokens_adopt(&spans, out);
}

size_t vb_snippet_tokens_bytes(const struct vb_snippet_tokens *t)
{
    return sizeof *t +
           t->count * (sizeof *t->spans + sizeof *t->keys +
                       sizeof *t->folded_end + sizeof *t->fold) +
           t->scanned_bytes + 1;
}

/* Folds the kept tokens up to token i (snippets scan from the first);
 * false when out of memory.  Folded, a token is at most as long as
 * written, and the tokens lie in the first VB_SCHEMA_SPAN_BYTES: the
 * offsets fit 16 bits. */
static bool fold_up_to(struct vb_snippet_tokens *t, const char *text, size_t i)
{
    if (!t->fold) {
        t->folded = malloc(t->scanned_bytes + 1);
        t->folded_end = malloc(t->count * sizeof *t->folded_end);
        t->fold = malloc(t->count);
        if (!t->folded || !t->folded_end || !t->fold) {
            free(t->folded);
            free(t->folded_end);
            free(t->fold);
            t->folded = NULL;
            t->folded_end = NULL;
            t->fold = NULL;
            return false;
        }
    }
    for (; t->folded_count <= i; t->folded_count++) {
        size_t k = t->folded_count, from = k > 0 ? t->folded_end[k - 1] : 0;
        size_t folded_len;
        t->fold[k] = (uint8_t)fold_token(
            text + t->spans[k][0], t->spans[k][1] - t->spans[k][0], VB_LANG_NL,
            t->folded + from, &folded_len);
        t->folded_end[k] = (uint16_t)(from + folded_len);
    }
    return true;
}

void vb_snippet_tokens_free(struct vb_snippet_tokens *tokens)
{
    free(tokens->spans);
    free(tokens->keys);
    free(tokens->folded);
    free(tokens->folded_end);
    free(tokens->fold);
    *tokens = (struct vb_snippet_tokens){0};
}

/* What the cache needs to know of the request's terms, once. */
static bool prepare(struct vb_snippet_cache *cache,
                    const struct vb_term_set *terms)
{
    if (cache->prepared)
        return true;
    cache->lens = calloc(terms->count + 1, sizeof *cache->lens);
    if (!cache->lens)
        return false;
    for (size_t i = 0; i < terms->count; i++) {
        const char *term = terms->terms[i];
        cache->firsts[(unsigned char)term[0]] = true;
        cache->lens[i] = strlen(term);
        unsigned key_len = cache->lens[i] < 4 ? (unsigned)cache->lens[i] : 4;
        if (key_len > 0) {
            uint32_t key = key_head(token_key(term, key_len), key_len);
            set_bit(cache->key_bits, key_hash(key));
            cache->key_lengths |= 1u << (key_len - 1);
            /* A one-letter term: a token of any second byte. */
            if (key_len > 1)
                set_bit(cache->key_pairs, key & 0xFFFFu);
            else
                for (unsigned second = 0; second < 256; second++)
                    set_bit(cache->key_pairs, key | second << 8);
        }
        if (cache->lens[i] < 3) {
            cache->short_firsts[(unsigned char)term[0]] = true;
            continue;
        }
        unsigned h = start_hash(term);
        set_bit(cache->heads, h);
        if (cache->lens[i] >= 4)
            set_bit(cache->starts, h);
    }
    cache->prepared = true;
    return true;
}

/* The term a token that may hold one matches (index + 1), or 0. */
static int analysed_match(struct vb_analyzer *analyzer,
                          const struct vb_term_set *terms,
                          struct vb_snippet_cache *cache, enum vb_lang lang,
                          const char *token, size_t len)
{
    struct word_entry *e = NULL;
    if (len <= WORD_MAX) {
        e = word_slot(cache, lang, token, len);
        if (e->used && e->lang == lang && e->len == len &&
            memcmp(e->word, token, len) == 0)
            return entry_match(e, terms, cache->lens);
        e->used = false;
        e->lang = (uint8_t)lang;
        e->len = (uint8_t)len;
        memcpy(e->word, token, len);
    }
    struct analysed a = {.entry = e, .terms = terms, .lens = cache->lens};
    vb_analyze_text(analyzer, token, len, lang, keep_terms, &a, NULL);
    return a.entry ? entry_match(a.entry, terms, cache->lens) : a.match;
}

/* The term a token of `text` matches (index + 1), or 0. */
static int token_match(struct vb_analyzer *analyzer,
                       const struct vb_term_set *terms,
                       struct vb_snippet_cache *cache, enum vb_lang lang,
                       const char *token, size_t len)
{
    if (!may_match(terms, cache, lang, token, len))
        return 0;
    return analysed_match(analyzer, terms, cache, lang, token, len);
}

/* may_match for a kept token of a language other than Dutch, from its
 * key: most are dismissed on its hash, and the rest are tested as
 * may_match tests them. */
static bool key_may_match(const struct vb_term_set *terms,
                          const struct vb_snippet_cache *cache,
                          enum vb_lang lang, uint32_t key, const char *token)
{
    if (key == KEY_NEVER)
        return false;
    if (key == KEY_ANALYSE)
        return !dismissed(cache, lang, (unsigned char)token[0]);
    if (!has_bit(cache->key_pairs, key & 0xFFFFu))
        return false;
    bool hit = false;
    for (unsigned n = 4; n >= 1 && !hit; n--)
        hit = (cache->key_lengths & (1u << (n - 1))) &&
              has_bit(cache->key_bits, key_hash(key_head(key, n)));
    if (!hit)
        return false;
    char lower[4];
    size_t len = 0;
    while (len < 4 && (key >> (8 * len)) & 0xFFu) {
        lower[len] = (char)((key >> (8 * len)) & 0xFFu);
        len++;
    }
    return may_match_folded(terms, cache, lang, FOLD_DONE, lower, len);
}

/* The same for token i of a kept text.  A Dutch token's every letter is
 * looked at (compound parts), so it is folded once and kept; elsewhere
 * the first letter dismisses most tokens before any folding. */
static int kept_token_match(struct vb_analyzer *analyzer,
                            const struct vb_term_set *terms,
                            struct vb_snippet_cache *cache, enum vb_lang lang,
                            const char *text, struct vb_snippet_tokens *t,
                            size_t i)
{
    const char *token = text + t->spans[i][0];
    size_t len = t->spans[i][1] - t->spans[i][0];
    if (lang != VB_LANG_NL) {
        /* Keyed the first time its first letter does not dismiss it. */
        if (t->keys[i] == KEY_UNSET) {
            if (dismissed(cache, lang, (unsigned char)token[0]))
                return 0;
            t->keys[i] = token_key(token, len);
        }
        return key_may_match(terms, cache, lang, t->keys[i], token)
                   ? analysed_match(analyzer, terms, cache, lang, token, len)
                   : 0;
    }
    if (!fold_up_to(t, text, i))
        return token_match(analyzer, terms, cache, lang, token, len);
    size_t from = i > 0 ? t->folded_end[i - 1] : 0;
    if (!may_match_folded(terms, cache, lang, (enum fold)t->fold[i],
                          t->folded + from, t->folded_end[i] - from))
        return 0;
    return analysed_match(analyzer, terms, cache, lang, token, len);
}

char *vb_snippet_mark(struct vb_analyzer *analyzer,
                      const struct vb_term_set *terms,
                      struct vb_snippet_cache *cache, const char *text,
                      enum vb_lang lang)
{
    char *out = NULL;
    size_t len = strlen(text), used = 0, cap = 0, at = 0, pos = 0, start, end;
    bool failed = !prepare(cache, terms);
    while (!failed && vb_scan_token(text, len, &pos, &start, &end)) {
        if (!token_match(analyzer, terms, cache, lang, text + start,
                         end - start))
            continue;
        html_escape(&out, &used, &cap, text + at, start - at, &failed);
        append(&out, &used, &cap, "<mark>", 6, &failed);
        html_escape(&out, &used, &cap, text + start, end - start, &failed);
        append(&out, &used, &cap, "</mark>", 7, &failed);
        at = end;
    }
    html_escape(&out, &used, &cap, text + at, len - at, &failed);
    if (failed) {
        free(out);
        return NULL;
    }
    return out ? out : strdup("");
}

/* The candidate windows of a text being scanned (see vb_snippet_make). */
struct windows {
    const int *match;   /* per token scanned: the term matched + 1, or 0 */
    uint32_t *hits;     /* the tokens that match, in order */
    size_t matches;     /* of them */
    const size_t *word; /* per term: its word's id */
    unsigned *seen;     /* per word: the window that last counted it */
    unsigned stamp;
    int enough;
    size_t next; /* next window: 0 the top, k the one at hits[k - 1] */
    size_t best; /* the best window's first token */
    int best_score;
};

/* Scores, in order, the windows not scored yet that end by token `end`
 * (when `complete`: those SNIPPET_TOKENS long; else every one left, cut
 * at `end`), until one shows enough words. */
static void score_windows(struct windows *w, size_t end, bool complete)
{
    for (; w->next <= w->matches && w->best_score < w->enough; w->next++) {
        size_t first = w->next == 0 ? 0 : w->hits[w->next - 1];
        if (w->next > 0 && first == 0)
            continue; /* a match at the top: scored as the top */
        size_t last = first + SNIPPET_TOKENS;
        if (last > end) {
            if (complete)
                return;
            last = end;
        }
        int distinct = 0;
        w->stamp++;
        for (size_t k = w->next == 0 ? 0 : w->next - 1;
             k < w->matches && w->hits[k] < last; k++) {
            size_t id = w->word[w->match[w->hits[k]] - 1];
            if (w->seen[id] != w->stamp) {
                w->seen[id] = w->stamp;
                distinct++;
            }
        }
        if (distinct > w->best_score) {
            w->best_score = distinct;
            w->best = first;
        }
    }
}

/* The passage of the text with the most distinct query words, escaped,
 * matches in <mark>. */
char *vb_snippet_make(struct vb_analyzer *analyzer,
                      const struct vb_term_set *terms,
                      struct vb_snippet_cache *cache, const char *text,
                      enum vb_lang lang, struct vb_snippet_tokens *tokens)
{
    const uint32_t(*spans)[2] = (const uint32_t(*)[2])tokens->spans;
    size_t span_count = tokens->count;
    struct snippet_scan sc = {.match = cache->match};
    /* word[i]: a small id of the query word of term i; seen[w]: the
     * window that last counted word w (1, 2, ...). */
    size_t *word = calloc(terms->count + 1, sizeof *word);
    unsigned *seen = calloc(terms->count + 1, sizeof *seen);
    char *out = NULL;
    size_t used = 0, cap = 0, words = 0;
    bool failed = !word || !seen;
    failed = failed || !prepare(cache, terms);
    for (size_t i = 0; !failed && i < terms->count; i++) {
        size_t k = 0;
        while (k < i && terms->words[k] != terms->words[i])
            k++;
        word[i] = k < i ? word[k] : words++;
    }
    /* Windows of SNIPPET_TOKENS tokens that start at the top or at a
     * match: the best has the most distinct words, then comes first.
     * Scanning stops once a window shows every word, or
     * SNIPPET_ENOUGH_WORDS of a longer question: such a passage says why
     * the hit matched, and looking further through long answers was half
     * the time of a question.  A window is scored once complete, in
     * order; between two matches nothing can change a score, so windows
     * are scored when the next match is found (or the text ends), over
     * the matches alone. */
    struct windows w = {
        .match = sc.match,
        .hits = cache->match_at,
        .word = word,
        .seen = seen,
        .enough =
            (int)(words < SNIPPET_ENOUGH_WORDS ? words : SNIPPET_ENOUGH_WORDS),
        .best_score = -1};
    while (!failed && sc.count < span_count) {
        int match = kept_token_match(analyzer, terms, cache, lang, text, tokens,
                                     sc.count);
        sc.match[sc.count] = match;
        if (match) {
            /* The windows that ended before it are complete. */
            score_windows(&w, sc.count, true);
            if (w.best_score >= w.enough)
                break;
            w.hits[w.matches++] = (uint32_t)sc.count;
        }
        sc.count++;
    }
    if (!failed)
        score_windows(&w, sc.count, false);
    size_t best = w.best;
    free(word);
    free(seen);
    if (!failed && sc.count > 0) {
        /* Start a few tokens before the first match, for context. */
        size_t first = best >= 3 && sc.match[best] ? best - 3 : best;
        size_t last = first + SNIPPET_TOKENS < sc.count ? first + SNIPPET_TOKENS
                                                        : sc.count;
        size_t from = spans[first][0];
        if (from > 0)
            append(&out, &used, &cap, "… ", strlen("… "), &failed);
        size_t at = from;
        for (size_t k = first; k < last; k++) {
            if (!sc.match[k])
                continue;
            html_escape(&out, &used, &cap, text + at, spans[k][0] - at,
                        &failed);
            append(&out, &used, &cap, "<mark>", 6, &failed);
            html_escape(&out, &used, &cap, text + spans[k][0],
                        spans[k][1] - spans[k][0], &failed);
            append(&out, &used, &cap, "</mark>", 7, &failed);
            at = spans[k][1];
        }
        size_t to = spans[last - 1][1];
        html_escape(&out, &used, &cap, text + at, to - at, &failed);
        if (text[to] != '\0')
            append(&out, &used, &cap, " …", strlen(" …"), &failed);
    }
    if (failed) {
        free(out);
        return NULL;
    }
    return out ? out : strdup("");
}
