/* langdetect.c — is a text Dutch, French or English?
 *
 * A naive-Bayes word model with two kinds of evidence per word:
 *
 *   P(word | lang) = P_fw(word | lang) + (1 - M_lang) * P_chars(word | lang)
 *
 *   - P_fw: hand-written function-word lists (articles, pronouns,
 *     prepositions, conjunctions, auxiliaries, contractions), most frequent
 *     first, with Zipf-like probabilities by rank; M_lang is their mass.
 *   - P_chars: a character trigram model with word boundaries over a
 *     case-folded, accent-keeping alphabet, trained on Debian's word lists.
 *     Orthographic cues (ij, oe, aa, é, ç, œ, th, wh, -ing) are what its
 *     trigrams learn.
 *
 * Both tables are generated at build time by tools/gen_langdetect_model.c
 * (see langdetect_model.cmake); the layout below must match it.
 *
 * Words are runs of letters with inner apostrophes ("l'abonnement",
 * "don't", "'t").  A run touching a digit is a product code or a number
 * ("FIBER500", "h264", "3ème") and a whitespace-delimited chunk holding
 * "://", "www." or "@" is a URL or an address: neither says anything about
 * the language and both are skipped.  So are words with letters of other
 * scripts, and words over 40 letters.  A capitalised word inside a
 * sentence is probably a name, so its character evidence counts for less.
 * A text with no word left (no letters, only digits, URLs or other
 * scripts) is VB_LANG_UNKNOWN.  Texts over 16 KiB are sampled (four 3 KiB
 * windows spread over the text), which bounds the work per call.
 *
 * The function-word lists live in the generator, next to the rest of the
 * model, so that they compile into a hash table instead of being searched.
 *
 * No allocation, no global mutable state: the model is const data. */
#include "vb_analysis.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include <utf8proc.h>

#include "tools/langdetect_format.h"

/* ---- The generated model ------------------------------------------------ */

#define LD_CLASS_LIMIT 0x250
#define LD_WORD_KEY 16
extern const unsigned char vb_ld_letter_class[LD_CLASS_LIMIT];
extern const unsigned vb_ld_tri_bits;
/* Bits 0-23: trigram key + 1 (0: empty slot); then one cost byte per
 * language (nl, fr, en) in bits 24-31, 32-39 and 40-47. */
extern const uint64_t vb_ld_tri[];
extern const unsigned vb_ld_word_bits;
extern const unsigned char vb_ld_word_keys[][LD_WORD_KEY];
extern const float vb_ld_word_logp[][3];
extern const float vb_ld_rest_logp[3];
extern const unsigned char vb_ld_id_apos, vb_ld_id_other;

#define NLANG 3
/* Trigram costs are in 1/16 nat. */
#define COST_SCALE (1.0 / 16.0)
/* A trigram the model does not hold costs the same in every language. */
#define UNSEEN_COST 192u
/* Char-model log-probability given to pieces with apostrophes ("qu'"),
 * which only the function-word lists know. */
#define APOS_LOGP (-20.0)
#define WORD_MAX 40
/* Weight of the character evidence of a capitalised word inside a
 * sentence: mostly names ("Tom", "Bruxelles", "Proximus"), which say little
 * about the language around them.  Function words keep full weight. */
#define NAME_WEIGHT 0.3
#define SAMPLE_ABOVE (16u * 1024u)
#define SAMPLE_WINDOW (3u * 1024u)
#define SAMPLE_COUNT 4

/* ---- Scoring ------------------------------------------------------------ */

struct detect_state {
    double score[NLANG]; /* ln P(text | lang), up to a shared constant */
    size_t words;        /* words that counted as evidence */
    double weight;       /* of the current word's char-model evidence */
};

/* The function-word entry for ids[0..n), or NULL. */
static const float *word_lookup(const unsigned char *ids, size_t n)
{
    if (n == 0 || n >= LD_WORD_KEY)
        return NULL;
    uint32_t mask = (1u << vb_ld_word_bits) - 1;
    uint32_t j = vb_ld_word_hash(ids, n) >> (32 - vb_ld_word_bits);
    while (vb_ld_word_keys[j][0]) {
        if (vb_ld_word_keys[j][n] == 0 && memcmp(vb_ld_word_keys[j], ids, n) == 0)
            return vb_ld_word_logp[j];
        j = (j + 1) & mask;
    }
    return NULL;
}

/* Adds ln P_chars(ids[0..n) | lang) for each language into logp. */
static void char_model(const unsigned char *ids, size_t n, double *logp)
{
    uint32_t mask = (1u << vb_ld_tri_bits) - 1;
    uint32_t cost[NLANG] = {0, 0, 0};
    unsigned a = 0, b = 0;
    for (size_t i = 0; i <= n; i++) {
        unsigned c = i < n ? ids[i] : 0;
        uint32_t key = ((a << 12) | (b << 6) | c) + 1;
        uint32_t j = vb_ld_tri_slot(key, vb_ld_tri_bits);
        uint64_t entry;
        while ((entry = vb_ld_tri[j]) != 0 && (entry & 0xFFFFFFu) != key)
            j = (j + 1) & mask;
        if (entry) {
            cost[0] += (uint32_t)(entry >> 24) & 0xFFu;
            cost[1] += (uint32_t)(entry >> 32) & 0xFFu;
            cost[2] += (uint32_t)(entry >> 40) & 0xFFu;
        } else {
            for (int l = 0; l < NLANG; l++)
                cost[l] += UNSEEN_COST;
        }
        a = b;
        b = c;
    }
    for (int l = 0; l < NLANG; l++)
        logp[l] = -(double)cost[l] * COST_SCALE;
}

static double log_add(double x, double y)
{
    return x > y ? x + log1p(exp(y - x)) : y + log1p(exp(x - y));
}

/* Scores one piece: ids[0..n) with no apostrophe, or a listed form with
 * one ("l'", "n't", "c'est"). */
static void score_piece(struct detect_state *st, const unsigned char *ids,
                        size_t n, const float *listed)
{
    double chars[NLANG];
    bool has_apos = memchr(ids, vb_ld_id_apos, n) != NULL;
    if (has_apos) {
        for (int l = 0; l < NLANG; l++)
            chars[l] = APOS_LOGP;
    } else {
        char_model(ids, n, chars);
    }
    if (listed) {
        for (int l = 0; l < NLANG; l++) {
            double rest = vb_ld_rest_logp[l] + chars[l];
            st->score[l] += listed[l] != 0.0f ? log_add(listed[l], rest) : rest;
        }
    } else {
        for (int l = 0; l < NLANG; l++)
            st->score[l] += st->weight * (vb_ld_rest_logp[l] + chars[l]);
    }
    st->words++;
}

/* Scores a word that may hold apostrophes: whole if listed, else an elided
 * head ("qu'", "l'") or a contracted tail ("'s", "n't", "'re") if listed,
 * else its letter runs one by one. */
static void score_word(struct detect_state *st, const unsigned char *ids,
                       size_t n)
{
    while (n > 0) {
        const unsigned char *apos = memchr(ids, vb_ld_id_apos, n);
        const float *listed = word_lookup(ids, n);
        if (!apos || listed) {
            score_piece(st, ids, n, listed);
            return;
        }
        size_t p = (size_t)(apos - ids);
        if (p > 0 && (listed = word_lookup(ids, p + 1)) != NULL) {
            score_piece(st, ids, p + 1, listed); /* "l'" in "l'offre" */
            ids += p + 1;
            n -= p + 1;
            continue;
        }
        size_t q = n - 1;
        while (ids[q] != vb_ld_id_apos)
            q--;
        if (q > 0) {
            /* "n't" takes the n from its head: "shouldn't". */
            size_t t = q;
            if (n - q == 2 && ids[q + 1] == 't' - 'a' + 1 && q > 1 &&
                ids[q - 1] == 'n' - 'a' + 1)
                t = q - 1;
            if ((listed = word_lookup(ids + t, n - t)) != NULL) {
                score_word(st, ids, t);
                score_piece(st, ids + t, n - t, listed);
                return;
            }
        }
        /* Unknown combination: the letter runs on their own. */
        if (p > 0)
            score_piece(st, ids, p, word_lookup(ids, p));
        ids += p + 1;
        n -= p + 1;
    }
}

/* ---- Reading the text --------------------------------------------------- */

enum char_kind { KIND_SPACE, KIND_SEPARATOR, KIND_DIGIT, KIND_LETTER,
                 KIND_APOS, KIND_MARK };

/* Decodes one code point at s[0..len) (len >= 1); never reads past len.
 * Bytes that are not valid UTF-8 decode as U+FFFD, one byte at a time. */
static uint32_t decode(const unsigned char *s, size_t len, size_t *used)
{
    unsigned c = s[0];
    *used = 1;
    if (c < 0x80)
        return c;
    size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (need == 0 || need > len)
        return 0xFFFD;
    uint32_t cp = c & (0x3Fu >> (need - 1));
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0xFFFD;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    *used = need;
    return cp;
}

static enum char_kind classify(uint32_t cp, unsigned char *id)
{
    if (cp < LD_CLASS_LIMIT) {
        unsigned char c = vb_ld_letter_class[cp];
        if (c == vb_ld_id_apos)
            return KIND_APOS;
        if (c) {
            *id = c;
            return KIND_LETTER;
        }
        if (cp >= '0' && cp <= '9')
            return KIND_DIGIT;
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
            cp == 0xA0)
            return KIND_SPACE;
        return KIND_SEPARATOR;
    }
    if (cp == 0x2019 || cp == 0x2BC)
        return KIND_APOS;
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
        *id = vb_ld_id_other;
        return KIND_LETTER;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return KIND_MARK;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return KIND_DIGIT;
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
        return KIND_SPACE;
    default:
        return KIND_SEPARATOR;
    }
}

/* Letter id of `base` (a..z id) with combining `mark`, for decomposed
 * input ("e" U+0301 -> "é"); `base` unchanged when there is no such
 * letter in the alphabet. */
static unsigned char compose(unsigned char base, uint32_t mark)
{
    static const struct {
        uint32_t mark;
        const char *pairs; /* base letter, then the composed one */
    } table[] = {
        {0x300, "aàeèiìoòuù"}, {0x301, "aáeéiíoóuúyý"},
        {0x302, "aâeêiîoôuû"}, {0x303, "aãnñoõ"},
        {0x308, "aäeëiïoöuüyÿ"}, {0x327, "cç"},
    };
    if (base < 1 || base > 26)
        return base;
    char letter = (char)('a' + base - 1);
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (table[i].mark != mark)
            continue;
        const unsigned char *p = (const unsigned char *)table[i].pairs;
        while (*p) {
            size_t used;
            uint32_t composed = decode(p + 1, strlen((const char *)p + 1), &used);
            if (*p == (unsigned char)letter)
                return vb_ld_letter_class[composed];
            p += 1 + used;
        }
    }
    return base;
}

/* True when the whitespace-delimited chunk at s[0..len) is a URL or an
 * e-mail address. */
static bool chunk_is_address(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len && s[i] != ' ' && s[i] != '\n' &&
                       s[i] != '\t' && s[i] != '\r';
         i++) {
        if (s[i] == '@')
            return true;
        if (s[i] == ':' && len - i >= 3 && s[i + 1] == '/' && s[i + 2] == '/')
            return true;
        if ((s[i] == 'w' || s[i] == 'W') && len - i >= 4 &&
            (s[i + 1] | 0x20) == 'w' && (s[i + 2] | 0x20) == 'w' &&
            s[i + 3] == '.' && (i == 0 || !((s[i - 1] | 0x20) >= 'a' &&
                                            (s[i - 1] | 0x20) <= 'z')))
            return true;
    }
    return false;
}

/* True when the character s[0..used) is an upper-case letter. */
static bool is_upper(const unsigned char *s, size_t used)
{
    if (used == 1)
        return s[0] >= 'A' && s[0] <= 'Z';
    size_t n;
    uint32_t cp = decode(s, used, &n);
    return utf8proc_isupper((utf8proc_int32_t)cp);
}

/* Tokenises text[0..len) and scores every word into `st`. */
static void scan(struct detect_state *st, const unsigned char *text,
                 size_t len)
{
    unsigned char word[WORD_MAX + 1];
    size_t n = 0;
    bool in_word = false, skip_word = false, digit_before = false;
    bool has_other = false, pending_apos = false;
    bool chunk_start = true, sentence_start = true, capitalised = false;
    size_t i = 0;

    while (i <= len) {
        size_t used = 1;
        unsigned char id = 0;
        enum char_kind kind = KIND_SPACE; /* end of text ends the word */
        if (i < len) {
            if (chunk_start && chunk_is_address(text + i, len - i)) {
                while (i < len && text[i] != ' ' && text[i] != '\n' &&
                       text[i] != '\t' && text[i] != '\r')
                    i++;
                continue;
            }
            kind = classify(decode(text + i, len - i, &used), &id);
            if (kind == KIND_MARK) {
                uint32_t mark = decode(text + i, len - i, &used);
                if (in_word && n > 0 && !pending_apos)
                    word[n - 1] = compose(word[n - 1], mark);
                i += used;
                continue;
            }
        }
        chunk_start = kind == KIND_SPACE;
        if (kind == KIND_LETTER) {
            if (!in_word) {
                in_word = true;
                skip_word = digit_before;
                has_other = false;
                n = 0;
            }
            if (n == 0)
                capitalised = !sentence_start && is_upper(text + i, used);
            if (pending_apos && n < WORD_MAX)
                word[n++] = vb_ld_id_apos;
            pending_apos = false;
            if (n < WORD_MAX)
                word[n++] = id;
            else
                skip_word = true;
            has_other |= id == vb_ld_id_other;
        } else if (kind == KIND_APOS && !pending_apos) {
            /* Inside a word, or a clitic opening one ("'t", "'s"). */
            if (!in_word) {
                in_word = true;
                skip_word = digit_before;
                has_other = false;
                n = 0;
            }
            pending_apos = true;
        } else {
            if (in_word) {
                if (kind == KIND_DIGIT)
                    skip_word = true;
                if (!skip_word && !has_other && n > 0) {
                    st->weight = capitalised ? NAME_WEIGHT : 1.0;
                    score_word(st, word, n);
                }
                in_word = false;
                pending_apos = false;
                sentence_start = false;
            }
            digit_before = kind == KIND_DIGIT;
            if (i < len && (text[i] == '.' || text[i] == '!' ||
                            text[i] == '?' || text[i] == ':' ||
                            text[i] == '\n'))
                sentence_start = true;
        }
        i += used;
    }
}

/* ---- Public entry point ------------------------------------------------- */

enum vb_lang vb_detect_lang(const char *text, size_t len, double *confidence)
{
    struct detect_state st = {{0, 0, 0}, 0, 1.0};
    const unsigned char *s = (const unsigned char *)text;

    if (confidence)
        *confidence = 0.0;
    if (!text || len == 0)
        return VB_LANG_UNKNOWN;
    if (len <= SAMPLE_ABOVE) {
        scan(&st, s, len);
    } else {
        /* Windows start after a space (so on a character and word
         * boundary) and end at one. */
        for (size_t w = 0; w < SAMPLE_COUNT; w++) {
            size_t start = (len - SAMPLE_WINDOW) / (SAMPLE_COUNT - 1) * w;
            size_t end = start + SAMPLE_WINDOW;
            if (start > 0) {
                while (start < end && s[start - 1] != ' ' &&
                       s[start - 1] != '\n')
                    start++;
            }
            while (end < len && end - start < 2 * SAMPLE_WINDOW &&
                   s[end] != ' ' && s[end] != '\n')
                end++;
            while (end < len && end > start && (s[end] & 0xC0) == 0x80)
                end--; /* never cut a character */
            scan(&st, s + start, end - start);
        }
    }
    if (st.words == 0)
        return VB_LANG_UNKNOWN;

    int best = 0, second = 1;
    if (st.score[1] > st.score[0]) {
        best = 1;
        second = 0;
    }
    if (st.score[2] > st.score[best]) {
        second = best;
        best = 2;
    } else if (st.score[2] > st.score[second]) {
        second = 2;
    }
    if (confidence) {
        /* Posterior under a uniform prior, tempered by two because words
         * are not independent; the gap between the top two. */
        double p[NLANG], total = 0;
        for (int l = 0; l < NLANG; l++) {
            p[l] = exp((st.score[l] - st.score[best]) / 2.0);
            total += p[l];
        }
        double c = (p[best] - p[second]) / total;
        *confidence = c < 0 ? 0 : c > 1 ? 1 : c;
    }
    return (enum vb_lang)(best + 1);
}
