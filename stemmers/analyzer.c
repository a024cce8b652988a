/* analyzer.c — the analysis chain: from a raw token to its index terms.
 *
 * For each token found by tokenize.c:
 *   1. normalise every segment (NFKC, case folding);
 *   2. drop a French elided article or pronoun (l', d', qu', jusqu', ...)
 *      and an English possessive 's; join the rest of the apostrophes
 *      ("auto's" -> "autos");
 *   3. terms[0]: the whole word (hyphens joined), stemmed, accents folded;
 *   4. expansions: hyphenated parts, letter/digit parts of product codes,
 *      Dutch compound parts, the stem of the accent-free spelling, and
 *      joins across tokens for digit groups ("0470 12 34 56") and product
 *      codes written apart ("fiber 500").
 *
 * Accents are folded after stemming: Snowball's French rules need them. */
#include "analysis_int.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

/* Longest normalised word the chain looks at, in bytes. */
#define WORD_MAX VB_TERM_MAX
/* Longest run of joined digit groups ("0470 12 34 56" -> 10 digits). */
#define DIGIT_RUN_MAX 32

struct vb_analysis_data {
    struct vb_nl_lexicon *nl_lexicon;
    struct vb_lemma_lexicon *lemma_lexicon[VB_LANG_COUNT]; /* fr, en */
};

enum token_kind { KIND_NONE, KIND_LETTERS, KIND_DIGITS, KIND_MIXED };

/* What the chain works out for a word of a language, kept by the
 * analyzer: its term (the stem, accents folded), its accent-folded
 * spelling and whether that is a function word, and in Dutch its
 * compound split.  Dutch lexicon lookups and compound splitting, a French
 * or English lexicon lookup with Snowball behind it (3,400 instructions a
 * French word), folding accents and looking up function words were most
 * of the chain's work, and a text says the same words again and again.
 * Direct-mapped by word; longer words are worked out every time. */
#define MEMO_SLOTS 8192
#define MEMO_WORD 24
#define MEMO_TERM 32
#define MEMO_UNKNOWN 0xFF
struct memo {
    uint8_t len;        /* of word; 0: empty */
    uint8_t term_len;   /* MEMO_UNKNOWN: not worked out yet */
    uint8_t source;     /* enum vb_stem_source of the term */
    uint8_t folded_len; /* MEMO_UNKNOWN: not worked out yet */
    bool stopword;      /* of folded */
    int8_t parts;       /* Dutch: -1 not worked out yet, else 0 or 2 */
    char word[MEMO_WORD];
    char term[MEMO_TERM];
    char folded[MEMO_WORD];
    struct vb_span span[2];
};

struct vb_analyzer {
    const struct vb_analysis_data *data;
    struct sb_stemmer *snowball[VB_LANG_COUNT]; /* [VB_LANG_UNKNOWN] NULL */
    int32_t scratch[VB_NORM_SCRATCH];

    /* The token being reported; terms point into term_buf. */
    struct vb_token token;
    char term_buf[VB_TOKEN_TERMS_MAX][VB_TERM_MAX + 1];

    /* The previous token, for joins across tokens. */
    enum token_kind prev_kind;
    bool prev_stopword;
    size_t prev_end;
    char prev_word[WORD_MAX + 1]; /* accent-folded, unstemmed */
    char word[WORD_MAX + 1];      /* the current token's token.word */
    enum vb_term_kind kind;       /* of the terms being added */
    enum vb_stem_source source;   /* of the last term made */
    char digit_run[DIGIT_RUN_MAX + 1];
    size_t digit_run_len;
    struct memo *memo[VB_LANG_COUNT]; /* MEMO_SLOTS each, made on first use */
};

/* ---- Languages ------------------------------------------------------- */

static const char *const lang_codes[VB_LANG_COUNT] = {"", "nl", "fr", "en"};
static const char *const snowball_names[VB_LANG_COUNT] = {NULL, "dutch",
                                                          "french", "english"};

const char *vb_stem_source_name(enum vb_stem_source source)
{
    static const char *const names[] = {"none", "snowball", "lexicon",
                                        "irregular", "dutch"};
    return (unsigned)source <= VB_STEM_DUTCH ? names[source] : "none";
}

const char *vb_term_kind_name(enum vb_term_kind kind)
{
    static const char *const names[] = {"whole", "variant", "part", "join"};
    return (unsigned)kind <= VB_TERM_JOIN ? names[kind] : "whole";
}

const char *vb_lang_code(enum vb_lang lang)
{
    return (unsigned)lang < VB_LANG_COUNT ? lang_codes[lang] : "";
}

enum vb_lang vb_lang_parse(const char *code, size_t len)
{
    if (!code || len != 2)
        return VB_LANG_UNKNOWN;
    char lower[2] = {(char)(code[0] | 0x20), (char)(code[1] | 0x20)};
    for (int l = VB_LANG_NL; l < VB_LANG_COUNT; l++)
        if (memcmp(lower, lang_codes[l], 2) == 0)
            return (enum vb_lang)l;
    return VB_LANG_UNKNOWN;
}

/* ---- Life cycle ------------------------------------------------------ */

enum vb_status vb_analysis_data_new(struct vb_analysis_data **out,
                                    struct vb_error *err)
{
    *out = NULL;
    struct vb_analysis_data *data = calloc(1, sizeof *data);
    if (!data)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    enum vb_status status = vb_nl_lexicon_new(&data->nl_lexicon, err);
    if (status == VB_OK)
        status = vb_lemma_lexicon_new(VB_LANG_FR,
                                      &data->lemma_lexicon[VB_LANG_FR], err);
    if (status == VB_OK)
        status = vb_lemma_lexicon_new(VB_LANG_EN,
                                      &data->lemma_lexicon[VB_LANG_EN], err);
    if (status != VB_OK) {
        vb_analysis_data_free(data);
        return status;
    }
    *out = data;
    return VB_OK;
}

void vb_analysis_data_free(struct vb_analysis_data *data)
{
    if (!data)
        return;
    vb_nl_lexicon_free(data->nl_lexicon);
    for (int l = 0; l < VB_LANG_COUNT; l++)
        vb_lemma_lexicon_free(data->lemma_lexicon[l]);
    free(data);
}

enum vb_status vb_analyzer_new(const struct vb_analysis_data *data,
                               struct vb_analyzer **out, struct vb_error *err)
{
    *out = NULL;
    struct vb_analyzer *a = calloc(1, sizeof *a);
    if (!a)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    a->data = data;
    for (int l = VB_LANG_NL; l < VB_LANG_COUNT; l++) {
        a->snowball[l] = sb_stemmer_new(snowball_names[l], "UTF_8");
        if (!a->snowball[l]) {
            vb_analyzer_free(a);
            return vb_error_set(err, VB_ENOMEM,
                                "cannot create Snowball stemmer '%s'",
                                snowball_names[l]);
        }
    }
    *out = a;
    return VB_OK;
}

void vb_analyzer_free(struct vb_analyzer *a)
{
    if (!a)
        return;
    for (int l = 0; l < VB_LANG_COUNT; l++)
        if (a->snowball[l])
            sb_stemmer_delete(a->snowball[l]);
    for (int l = 0; l < VB_LANG_COUNT; l++)
        free(a->memo[l]);
    free(a);
}

/* The memo slot of a word of `lang`, emptied for it when it held
 * another; NULL when the word is too long or there is no memory. */
static struct memo *memo_slot(struct vb_analyzer *a, enum vb_lang lang,
                              const char *word, size_t len)
{
    if (len == 0 || len > MEMO_WORD)
        return NULL;
    if (!a->memo[lang] &&
        !(a->memo[lang] = vb_calloc_resident(MEMO_SLOTS, sizeof(struct memo))))
        return NULL;
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)word[i]) * 16777619u;
    struct memo *m = &a->memo[lang][h % MEMO_SLOTS];
    if (m->len != len || memcmp(m->word, word, len) != 0) {
        m->len = (uint8_t)len;
        memcpy(m->word, word, len);
        m->term_len = MEMO_UNKNOWN;
        m->folded_len = MEMO_UNKNOWN;
        m->parts = -1;
    }
    return m;
}

/* The stem of a normalised word without digits in `lang` (not unknown)
 * into out[0..cap); sets a->source.  0 when it does not fit. */
static size_t stem_word(struct vb_analyzer *a, enum vb_lang lang,
                        const char *word, size_t len, char *out, size_t cap)
{
    if (lang == VB_LANG_NL) {
        a->source = VB_STEM_DUTCH;
        return vb_nl_stem(a->data->nl_lexicon, a->snowball[VB_LANG_NL], word,
                          len, out, cap);
    }
    return vb_lemma_stem(a->data->lemma_lexicon[lang], a->snowball[lang], word,
                         len, out, cap, &a->source);
}

/* vb_nl_split_compound into parts[0..2), remembered. */
static int nl_split(struct vb_analyzer *a, const char *word, size_t len,
                    struct vb_span parts[2])
{
    struct memo *m = memo_slot(a, VB_LANG_NL, word, len);
    if (m && m->parts >= 0) {
        memcpy(parts, m->span, (size_t)m->parts * sizeof *parts);
        return m->parts;
    }
    int n = vb_nl_split_compound(a->data->nl_lexicon, word, len, parts, 2);
    if (m) {
        memcpy(m->span, parts, (size_t)n * sizeof *parts);
        m->parts = (int8_t)n;
    }
    return n;
}

/* ---- Terms ----------------------------------------------------------- */

static bool has_digit(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return true;
    return false;
}

static enum token_kind kind_of(const char *s, size_t len)
{
    size_t digits = 0;
    for (size_t i = 0; i < len; i++)
        digits += s[i] >= '0' && s[i] <= '9';
    return digits == 0 ? KIND_LETTERS : digits == len ? KIND_DIGITS
                                                      : KIND_MIXED;
}

size_t vb_stem_snowball(struct vb_analyzer *a, enum vb_lang lang,
                        const char *word, size_t len, char *out, size_t cap)
{
    if (lang == VB_LANG_UNKNOWN || (unsigned)lang >= VB_LANG_COUNT)
        return 0;
    const sb_symbol *stem = sb_stemmer_stem(a->snowball[lang],
                                            (const sb_symbol *)word, (int)len);
    if (!stem)
        return 0;
    size_t n = (size_t)sb_stemmer_length(a->snowball[lang]);
    if (n >= cap)
        return 0;
    memcpy(out, stem, n);
    out[n] = '\0';
    return n;
}

/* Stems one normalised word in `lang` and folds its accents into
 * out[0..VB_TERM_MAX]; returns the length, 0 when it does not fit.
 * Words with digits (codes, numbers) are folded, not stemmed. */
static size_t make_term(struct vb_analyzer *a, enum vb_lang lang,
                        const char *word, size_t len, char *out)
{
    char stem[VB_TERM_MAX + 1];
    const char *source = word;
    size_t source_len = len;
    struct memo *m = NULL;

    a->source = VB_STEM_NONE;
    if (lang != VB_LANG_UNKNOWN && !has_digit(word, len)) {
        m = memo_slot(a, lang, word, len);
        if (m && m->term_len != MEMO_UNKNOWN) {
            memcpy(out, m->term, m->term_len);
            out[m->term_len] = '\0';
            a->source = (enum vb_stem_source)m->source;
            return m->term_len;
        }
        source_len = stem_word(a, lang, word, len, stem, sizeof stem);
        if (source_len == 0)
            return 0;
        source = stem;
    }
    size_t n = vb_fold_accents(a->scratch, source, source_len, out,
                               VB_TERM_MAX + 1);
    if (n == (size_t)-1)
        return 0;
    if (m && n > 0 && n <= MEMO_TERM) {
        memcpy(m->term, out, n);
        m->term_len = (uint8_t)n;
        m->source = (uint8_t)a->source;
    }
    return n;
}

/* Adds a finished term to the current token unless it is empty, already
 * there, or the token is full. */
static void add_term(struct vb_analyzer *a, const char *term, size_t len)
{
    struct vb_token *t = &a->token;
    if (len == 0 || t->term_count == VB_TOKEN_TERMS_MAX)
        return;
    for (size_t i = 0; i < t->term_count; i++)
        if (t->term_lens[i] == len && memcmp(t->terms[i], term, len) == 0)
            return;
    char *slot = a->term_buf[t->term_count];
    memmove(slot, term, len);
    slot[len] = '\0';
    t->terms[t->term_count] = slot;
    t->term_lens[t->term_count] = len;
    t->term_kinds[t->term_count] = a->kind;
    t->term_count++;
}

/* make_term + add_term. */
static void add_word(struct vb_analyzer *a, enum vb_lang lang,
                     const char *word, size_t len)
{
    char term[VB_TERM_MAX + 1];
    add_term(a, term, make_term(a, lang, word, len, term));
}

/* Adds the stems of a Dutch compound's parts. */
static void add_compound_parts(struct vb_analyzer *a, const char *word,
                               size_t len)
{
    struct vb_span parts[2];
    int n = nl_split(a, word, len, parts);
    for (int i = 0; i < n; i++)
        add_word(a, VB_LANG_NL, word + parts[i].start, parts[i].len);
}

/* Adds the letter and digit runs of a product code ("fiber500"). */
static void add_code_parts(struct vb_analyzer *a, enum vb_lang lang,
                           const char *word, size_t len)
{
    size_t run = 0;
    for (size_t i = 1; i <= len; i++) {
        bool boundary = i == len || has_digit(word + i, 1) !=
                                        has_digit(word + i - 1, 1);
        if (!boundary)
            continue;
        if (i - run >= 2 || has_digit(word + run, 1))
            add_word(a, lang, word + run, i - run);
        run = i;
    }
}

/* ---- Joins across tokens ---------------------------------------------- */

/* True when the bytes between two tokens are one separator from `seps`. */
static bool single_separator(const char *gap, size_t len, bool punctuation)
{
    static const char *const spaces[] = {" ", "\xc2\xa0", "\xe2\x80\xaf"};
    for (size_t i = 0; i < sizeof spaces / sizeof *spaces; i++)
        if (len == strlen(spaces[i]) && memcmp(gap, spaces[i], len) == 0)
            return true;
    return punctuation && len == 1 && (*gap == '.' || *gap == '/');
}

/* Digit groups written apart meet their joined spelling: each group of a
 * run adds the digits so far ("0470 12" adds "047012").  A number right
 * after a word that is not a stopword adds the product code ("fiber 500"
 * adds "fiber500"). */
static void add_joins(struct vb_analyzer *a, const char *text, size_t start,
                      const char *word, size_t len, enum token_kind kind)
{
    bool adjacent = a->prev_kind != KIND_NONE && start > a->prev_end;
    const char *gap = text + a->prev_end;
    size_t gap_len = start - a->prev_end;

    if (kind != KIND_DIGITS) {
        a->digit_run_len = 0;
        return;
    }
    if (adjacent && a->prev_kind == KIND_DIGITS &&
        single_separator(gap, gap_len, true) && a->digit_run_len > 0 &&
        a->digit_run_len + len <= DIGIT_RUN_MAX) {
        memcpy(a->digit_run + a->digit_run_len, word, len);
        a->digit_run_len += len;
        add_term(a, a->digit_run, a->digit_run_len);
    } else {
        a->digit_run_len = len <= DIGIT_RUN_MAX ? len : 0;
        memcpy(a->digit_run, word, a->digit_run_len);
    }
    if (adjacent && a->prev_kind == KIND_LETTERS && !a->prev_stopword &&
        single_separator(gap, gap_len, false)) {
        char code[2 * WORD_MAX + 2];
        size_t prev_len = strlen(a->prev_word);
        memcpy(code, a->prev_word, prev_len);
        memcpy(code + prev_len, word, len);
        if (prev_len + len <= VB_TERM_MAX)
            add_term(a, code, prev_len + len);
    }
}

/* ---- Tokens ----------------------------------------------------------- */

static const char *const elisions[] = {"l",  "d",     "j",      "n",
                                       "s",  "c",     "m",      "t",
                                       "qu", "jusqu", "lorsqu", "puisqu"};

static bool is_elision(const char *word, size_t len)
{
    for (size_t i = 0; i < sizeof elisions / sizeof *elisions; i++)
        if (strlen(elisions[i]) == len && memcmp(elisions[i], word, len) == 0)
            return true;
    return false;
}

/* French subject and object pronouns after a hyphen ("peut-on",
 * "existe-t-il", "est-ce", "dites-nous"), with the euphonic "t": part of
 * the verb's inflection, not of a word, so "peut-on" is searched as
 * "peut" and not as a rare joined "peuton". */
static const char *const clitics[] = {"ce",  "elle", "elles", "en",   "il",
                                      "ils", "je",   "la",    "le",   "les",
                                      "leur", "lui", "moi",   "nous", "on",
                                      "t",   "toi",  "tu",    "vous", "y"};

static bool is_clitic(const char *word, size_t len)
{
    for (size_t i = 0; i < sizeof clitics / sizeof *clitics; i++)
        if (strlen(clitics[i]) == len && memcmp(clitics[i], word, len) == 0)
            return true;
    return false;
}

/* Normalised segments of one raw token, grouped into hyphen-separated
 * units once apostrophes are resolved. */
struct units {
    int count;
    size_t start; /* byte offset of the first kept segment */
    char text[VB_SEGMENTS_MAX][WORD_MAX + 1];
    size_t len[VB_SEGMENTS_MAX];
};

/* Returns false when a segment is too long to be a word. */
static bool build_units(struct vb_analyzer *a, const char *text,
                        const struct vb_raw_token *raw, enum vb_lang lang,
                        struct units *u)
{
    char seg[VB_SEGMENTS_MAX][WORD_MAX + 1];
    size_t seg_len[VB_SEGMENTS_MAX];
    int first = 0, last = raw->segment_count - 1;

    for (int i = 0; i < raw->segment_count; i++) {
        seg_len[i] = vb_normalize_word(a->scratch,
                                       text + raw->segments[i].start,
                                       raw->segments[i].end -
                                           raw->segments[i].start,
                                       seg[i], sizeof seg[i]);
        if (seg_len[i] == (size_t)-1)
            return false;
    }
    if (last > 0 && raw->segments[1].joiner_before == '\'' &&
        is_elision(seg[0], seg_len[0]))
        first = 1;
    /* English possessive and Dutch plural 's: "customer's", "auto's". */
    if (lang != VB_LANG_FR && last > first &&
        raw->segments[last].joiner_before == '\'' && seg_len[last] == 1 &&
        seg[last][0] == 's')
        last--;

    /* "rendez-vous" is a noun, not a verb and its pronoun. */
    bool noun = last == first + 1 && seg_len[first] == 6 &&
                memcmp(seg[first], "rendez", 6) == 0;
    while (lang == VB_LANG_FR && !noun && last > first &&
           raw->segments[last].joiner_before == '-' &&
           is_clitic(seg[last], seg_len[last]))
        last--;

    u->count = 0;
    u->start = raw->segments[first].start;
    for (int i = first; i <= last; i++) {
        bool glue = i > first && raw->segments[i].joiner_before == '\'';
        if (!glue) {
            u->len[u->count] = 0;
            u->count++;
        }
        int k = u->count - 1;
        if (u->len[k] + seg_len[i] > WORD_MAX)
            return false;
        memcpy(u->text[k] + u->len[k], seg[i], seg_len[i]);
        u->len[k] += seg_len[i];
        u->text[k][u->len[k]] = '\0';
    }
    return true;
}

/* Builds the terms of one raw token into a->token.  Returns false when the
 * token is to be skipped (too long). */
static bool analyze_token(struct vb_analyzer *a, const char *text,
                          const struct vb_raw_token *raw, enum vb_lang lang)
{
    struct units u;
    char word[WORD_MAX + 1], folded[WORD_MAX + 1];
    size_t word_len = 0;

    if (!build_units(a, text, raw, lang, &u))
        return false;
    for (int i = 0; i < u.count; i++) {
        if (word_len + u.len[i] > WORD_MAX)
            return false;
        memcpy(word + word_len, u.text[i], u.len[i]);
        word_len += u.len[i];
    }
    word[word_len] = '\0';
    struct vb_token *t = &a->token;
    size_t folded_len;
    struct memo *m = memo_slot(a, lang, word, word_len);
    if (m && m->folded_len != MEMO_UNKNOWN) {
        folded_len = m->folded_len;
        memcpy(folded, m->folded, folded_len);
        folded[folded_len] = '\0';
        t->stopword = m->stopword;
    } else {
        folded_len =
            vb_fold_accents(a->scratch, word, word_len, folded, sizeof folded);
        if (folded_len == (size_t)-1)
            return false;
        t->stopword = vb_is_stopword(lang, folded, folded_len);
        if (m && folded_len <= MEMO_WORD) {
            memcpy(m->folded, folded, folded_len);
            m->folded_len = (uint8_t)folded_len;
            m->stopword = t->stopword;
        }
    }

    t->start = u.start;
    t->end = raw->end;
    t->lang = lang;
    t->term_count = 0;

    a->kind = VB_TERM_WHOLE;
    add_word(a, lang, word, word_len);
    if (t->term_count == 0)
        return false;
    t->stem_source = a->source;

    enum token_kind kind = kind_of(word, word_len);
    a->kind = VB_TERM_PART;
    if (u.count > 1) {
        for (int i = 0; i < u.count; i++) {
            if (u.len[i] < 2 && !has_digit(u.text[i], u.len[i]))
                continue;
            add_word(a, lang, u.text[i], u.len[i]);
            if (lang == VB_LANG_NL && !has_digit(u.text[i], u.len[i]))
                add_compound_parts(a, u.text[i], u.len[i]);
        }
    } else if (kind == KIND_MIXED) {
        add_code_parts(a, lang, word, word_len);
    } else if (kind == KIND_LETTERS && lang == VB_LANG_NL) {
        add_compound_parts(a, word, word_len);
    }
    a->kind = VB_TERM_VARIANT;
    if (kind == KIND_LETTERS && folded_len != word_len)
        add_word(a, lang, folded, folded_len);
    a->kind = VB_TERM_JOIN;
    add_joins(a, text, t->start, word, word_len, kind);

    a->prev_kind = kind;
    a->prev_stopword = t->stopword;
    a->prev_end = t->end;
    memcpy(a->prev_word, folded, folded_len + 1);
    memcpy(a->word, folded, folded_len + 1);
    t->word = a->word;
    t->word_len = folded_len;
    return true;
}

enum vb_status vb_analyze_text(struct vb_analyzer *a, const char *text,
                               size_t len, enum vb_lang lang, vb_token_fn fn,
                               void *ctx, struct vb_error *err)
{
    size_t bad;
    if (vb_utf8_validate(text, len, &bad) != VB_OK)
        return vb_error_set(err, VB_EUTF8, "invalid UTF-8 at byte %zu", bad);
    if (lang == VB_LANG_UNKNOWN)
        lang = vb_detect_lang(text, len, NULL);

    a->prev_kind = KIND_NONE;
    a->digit_run_len = 0;
    uint32_t position = 0;
    size_t pos = 0;
    struct vb_raw_token raw;
    while (vb_next_token(text, len, &pos, &raw)) {
        if (!analyze_token(a, text, &raw, lang)) {
            a->prev_kind = KIND_NONE;
            continue;
        }
        a->token.position = position++;
        if (fn(ctx, &a->token) != 0)
            break;
    }
    return VB_OK;
}
