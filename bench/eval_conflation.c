/* eval_conflation.c — how well stemming conflates the inflected forms of
 * one lemma, and how often it merges different lemmas, measured on the
 * Universal Dependencies development treebanks (gold lemmas).
 *
 * For each language (nl, fr, en): unique (form, lemma) items, alphabetic
 * forms only, PUNCT/NUM/SYM/X/PROPN skipped, both lower-cased; Dutch
 * compound marks ("gehoor_stoornis") removed from lemmas.
 *   conflation       = pairs of items with the same lemma (different
 *                      forms) whose terms are equal / all such pairs
 *   over-conflation  = pairs with different lemmas and equal terms / all
 *                      different-lemma pairs; also restricted to pairs
 *                      sharing their first four letters (the hard case).
 * Counted by sorting and grouping, never pair by pair.
 *
 * Systems: "Snowball" (libstemmer on the lower-cased form), "Vraagbaak"
 * (terms[0] of the analysis chain, vb_analyze_text), and for Dutch
 * "nl_stem" (vb_nl_stem alone, before accent folding).
 *
 * Usage: eval_conflation [DATA_DIR]   (default: VB_SHARED_DATA)
 * Exit status 77 when the data is absent. */
#include <libstemmer.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conllu.h"
#include "analysis_int.h"
#include "vb_analysis.h"

#ifndef VB_SHARED_DATA
#define VB_SHARED_DATA "../shared/data"
#endif

#define SKIP_EXIT 77

struct item {
    char *form, *lemma, *term, *prefix;
};

struct item_set {
    struct item *items;
    size_t count, cap;
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "eval_conflation: out of memory\n");
        exit(1);
    }
    return p;
}

static char *xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* Lower-cases ASCII and Latin-1 letters (all the treebanks need) in
 * place. */
static void lower_utf8(char *s)
{
    unsigned char *p = (unsigned char *)s;
    for (; *p; p++) {
        if (*p >= 'A' && *p <= 'Z')
            *p = (unsigned char)(*p + 32);
        else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97) {
            p[1] = (unsigned char)(p[1] + 0x20);
            p++;
        } else if (*p == 0xC5 && (p[1] == 0x92 || p[1] == 0xB8)) {
            /* Œ -> œ; Ÿ -> ÿ */
            if (p[1] == 0x92) {
                p[1] = 0x93;
            } else {
                p[0] = 0xC3;
                p[1] = 0xBF;
            }
            p++;
        }
    }
}

/* Letters only: ASCII letters or any non-ASCII character (accented
 * letters; the treebanks hold no non-ASCII punctuation inside words that
 * matters for these counts). */
static bool is_alpha_word(const char *s)
{
    if (!*s)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
            continue;
        if (*p >= 0x80) {
            /* reject typographic punctuation U+2000..U+206F */
            if (*p == 0xE2 && p[1] == 0x80)
                return false;
            continue;
        }
        return false;
    }
    return true;
}

static int cmp_form_lemma(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    int c = strcmp(x->lemma, y->lemma);
    return c ? c : strcmp(x->form, y->form);
}

/* Reads one CoNLL-U file into `set`; returns false when it is absent. */
static bool read_conllu(const char *path, bool dutch, struct item_set *set)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[8192];
    while (fgets(line, sizeof line, f)) {
        char *col[CONLLU_COLUMNS];
        if (conllu_columns(line, col) == 0)
            continue;
        const char *upos = col[3];
        if (!strcmp(upos, "PUNCT") || !strcmp(upos, "NUM") ||
            !strcmp(upos, "SYM") || !strcmp(upos, "X") ||
            !strcmp(upos, "PROPN"))
            continue;
        char *form = col[1], *lemma = col[2];
        if (!is_alpha_word(form))
            continue;
        char lemma_buf[512];
        size_t k = 0;
        for (const char *q = lemma; *q && k + 1 < sizeof lemma_buf; q++)
            if (!(dutch && *q == '_'))
                lemma_buf[k++] = *q;
        lemma_buf[k] = '\0';
        if (!k || !strcmp(lemma_buf, "_"))
            continue;
        if (set->count == set->cap) {
            set->cap = set->cap ? set->cap * 2 : 4096;
            struct item *grown = realloc(set->items,
                                         set->cap * sizeof *set->items);
            if (!grown) {
                fprintf(stderr, "eval_conflation: out of memory\n");
                exit(1);
            }
            set->items = grown;
        }
        struct item *it = &set->items[set->count++];
        memset(it, 0, sizeof *it);
        it->form = xstrndup(form, strlen(form));
        it->lemma = xstrndup(lemma_buf, k);
        lower_utf8(it->form);
        lower_utf8(it->lemma);
    }
    fclose(f);
    return true;
}

static void dedupe(struct item_set *set)
{
    qsort(set->items, set->count, sizeof *set->items, cmp_form_lemma);
    size_t w = 0;
    for (size_t r = 0; r < set->count; r++) {
        if (w > 0 && !cmp_form_lemma(&set->items[w - 1], &set->items[r])) {
            free(set->items[r].form);
            free(set->items[r].lemma);
            continue;
        }
        set->items[w++] = set->items[r];
    }
    set->count = w;
}

/* First four code points of the form. */
static char *prefix4(const char *s)
{
    size_t i = 0;
    int cps = 0;
    while (s[i] && cps < 4) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        cps++;
    }
    return xstrndup(s, i);
}

/* ---- Counting by grouping ------------------------------------------- */

static int key_mode; /* which key the comparator sorts by */

static int cmp_by_key(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    int c = 0;
    switch (key_mode) {
    case 0: /* lemma, term */
        c = strcmp(x->lemma, y->lemma);
        if (!c)
            c = strcmp(x->term, y->term);
        break;
    case 1: /* term, lemma */
        c = strcmp(x->term, y->term);
        if (!c)
            c = strcmp(x->lemma, y->lemma);
        break;
    case 2: /* prefix, lemma */
        c = strcmp(x->prefix, y->prefix);
        if (!c)
            c = strcmp(x->lemma, y->lemma);
        break;
    default: /* prefix, term, lemma */
        c = strcmp(x->prefix, y->prefix);
        if (!c)
            c = strcmp(x->term, y->term);
        if (!c)
            c = strcmp(x->lemma, y->lemma);
        break;
    }
    return c;
}

static double pairs(size_t n)
{
    return (double)n * (double)(n - (n > 0)) / 2.0;
}

/* Sorted by (outer..., lemma): sum over outer groups of pairs with
 * different lemmas.  `same_outer` tells whether two items share the
 * outer key. */
static double diff_lemma_pairs(const struct item *items, size_t n,
                               bool (*same_outer)(const struct item *,
                                                  const struct item *))
{
    double total = 0;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        double same = 0;
        while (j < n && same_outer(&items[i], &items[j])) {
            size_t k = j;
            while (k < n && same_outer(&items[i], &items[k]) &&
                   !strcmp(items[j].lemma, items[k].lemma))
                k++;
            same += pairs(k - j);
            j = k;
        }
        total += pairs(j - i) - same;
        i = j;
    }
    return total;
}

static bool same_all(const struct item *a, const struct item *b)
{
    (void)a;
    (void)b;
    return true;
}
static bool same_term(const struct item *a, const struct item *b)
{
    return !strcmp(a->term, b->term);
}
static bool same_prefix(const struct item *a, const struct item *b)
{
    return !strcmp(a->prefix, b->prefix);
}
static bool same_prefix_term(const struct item *a, const struct item *b)
{
    return !strcmp(a->prefix, b->prefix) && !strcmp(a->term, b->term);
}

struct scores {
    double same_pairs, same_equal;
    double diff_pairs, diff_equal;
    double hard_pairs, hard_equal;
};

static struct scores score(struct item_set *set)
{
    struct scores s = {0};
    struct item *it = set->items;
    size_t n = set->count;
    key_mode = 0;
    qsort(it, n, sizeof *it, cmp_by_key);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && !strcmp(it[i].lemma, it[j].lemma))
            j++;
        s.same_pairs += pairs(j - i);
        for (size_t k = i; k < j;) {
            size_t m = k;
            while (m < j && !strcmp(it[k].term, it[m].term))
                m++;
            s.same_equal += pairs(m - k);
            k = m;
        }
        i = j;
    }
    s.diff_pairs = diff_lemma_pairs(it, n, same_all);
    key_mode = 1;
    qsort(it, n, sizeof *it, cmp_by_key);
    s.diff_equal = diff_lemma_pairs(it, n, same_term);
    key_mode = 2;
    qsort(it, n, sizeof *it, cmp_by_key);
    s.hard_pairs = diff_lemma_pairs(it, n, same_prefix);
    key_mode = 3;
    qsort(it, n, sizeof *it, cmp_by_key);
    s.hard_equal = diff_lemma_pairs(it, n, same_prefix_term);
    return s;
}

/* ---- Systems ----------------------------------------------------------- */

struct first_term {
    char term[VB_TERM_MAX + 1];
    bool seen;
};

static int take_first(void *ctx, const struct vb_token *token)
{
    struct first_term *ft = ctx;
    snprintf(ft->term, sizeof ft->term, "%s", token->terms[0]);
    ft->seen = true;
    return 1;
}

enum system { SYS_SNOWBALL, SYS_VRAAGBAAK, SYS_NL_STEM };

static void set_terms(struct item_set *set, enum system sys, enum vb_lang lang,
                      struct sb_stemmer *sb, struct vb_analyzer *analyzer,
                      const struct vb_nl_lexicon *lexicon)
{
    for (size_t i = 0; i < set->count; i++) {
        struct item *it = &set->items[i];
        free(it->term);
        char buf[4 * VB_TERM_MAX + 1];
        buf[0] = '\0';
        size_t len = strlen(it->form);
        if (sys == SYS_SNOWBALL) {
            const sb_symbol *st =
                sb_stemmer_stem(sb, (const sb_symbol *)it->form, (int)len);
            snprintf(buf, sizeof buf, "%.*s", sb_stemmer_length(sb),
                     st ? (const char *)st : "");
        } else if (sys == SYS_NL_STEM) {
            if (!vb_nl_stem(lexicon, sb, it->form, len, buf, sizeof buf))
                snprintf(buf, sizeof buf, "%s", it->form);
        } else {
            struct first_term ft = {.seen = false};
            struct vb_error err;
            if (vb_analyze_text(analyzer, it->form, len, lang, take_first,
                                &ft, &err) != VB_OK ||
                !ft.seen)
                snprintf(buf, sizeof buf, "\x01%s", it->form);
            else
                snprintf(buf, sizeof buf, "%s", ft.term);
        }
        it->term = xstrndup(buf, strlen(buf));
    }
}

static void print_row(const char *lang, const char *system,
                      const struct scores *s)
{
    printf("%-3s %-10s conflation %6.2f%%   over-conflation %7.4f%% "
           "(all)  %6.3f%% (same 4-letter prefix)\n",
           lang, system, 100.0 * s->same_equal / s->same_pairs,
           100.0 * s->diff_equal / s->diff_pairs,
           100.0 * s->hard_equal / s->hard_pairs);
}

/* The quality floor (--floor): never conflate less than Snowball, never
 * merge more than one point more of the hard different-lemma pairs, and
 * at least 70 % for Dutch (measured: 77.9 %), 72 % for French (91.6 %
 * with the lemma lexicon) and 70 % for English (77.1 %). */
static bool above_floor(enum vb_lang lang, const struct scores *ours,
                        const struct scores *snowball)
{
    double conflation = ours->same_equal / ours->same_pairs;
    double hard = ours->hard_equal / ours->hard_pairs;
    return conflation >= snowball->same_equal / snowball->same_pairs &&
           hard <= snowball->hard_equal / snowball->hard_pairs + 0.01 &&
           conflation >= (lang == VB_LANG_FR ? 0.72 : 0.70);
}

/* Prints same-lemma pairs that the system fails to conflate, and merged
 * different lemmas, for tuning (with -v). */
static void print_examples(struct item_set *set, int limit)
{
    key_mode = 0;
    qsort(set->items, set->count, sizeof *set->items, cmp_by_key);
    int shown = 0;
    printf("  not conflated (lemma: form=term ...):\n");
    for (size_t i = 0; i < set->count && shown < limit;) {
        size_t j = i;
        while (j < set->count && !strcmp(set->items[i].lemma,
                                         set->items[j].lemma))
            j++;
        bool split = false;
        for (size_t k = i + 1; k < j; k++)
            if (strcmp(set->items[k].term, set->items[i].term))
                split = true;
        if (split && rand() % 4 == 0) {
            printf("    %s:", set->items[i].lemma);
            for (size_t k = i; k < j && k < i + 8; k++)
                printf(" %s=%s", set->items[k].form, set->items[k].term);
            printf("\n");
            shown++;
        }
        i = j;
    }
    key_mode = 1;
    qsort(set->items, set->count, sizeof *set->items, cmp_by_key);
    shown = 0;
    printf("  merged lemmas (term: form/lemma ...):\n");
    for (size_t i = 0; i < set->count && shown < limit;) {
        size_t j = i;
        while (j < set->count && !strcmp(set->items[i].term,
                                         set->items[j].term))
            j++;
        bool merged = false;
        for (size_t k = i + 1; k < j; k++)
            if (strcmp(set->items[k].lemma, set->items[i].lemma) &&
                strcmp(set->items[k].form, set->items[i].form))
                merged = true;
        if (merged && rand() % 4 == 0) {
            printf("    %s:", set->items[i].term);
            for (size_t k = i; k < j && k < i + 6; k++)
                printf(" %s/%s", set->items[k].form, set->items[k].lemma);
            printf("\n");
            shown++;
        }
        i = j;
    }
}

struct language {
    const char *code;
    enum vb_lang lang;
    const char *snowball;
    const char *files[2];
};

static const struct language languages[] = {
    {"nl", VB_LANG_NL, "dutch",
     {"ud-dev/UD_Dutch-Alpino/nl_alpino-ud-dev.conllu",
      "ud-dev/UD_Dutch-LassySmall/nl_lassysmall-ud-dev.conllu"}},
    {"fr", VB_LANG_FR, "french",
     {"ud-dev/UD_French-GSD/fr_gsd-ud-dev.conllu",
      "ud-dev/UD_French-Sequoia/fr_sequoia-ud-dev.conllu"}},
    {"en", VB_LANG_EN, "english",
     {"ud-dev/UD_English-EWT/en_ewt-ud-dev.conllu", NULL}},
};

int main(int argc, char **argv)
{
    const char *data_dir = VB_SHARED_DATA;
    bool verbose = false, floor = false, below = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-v"))
            verbose = true;
        else if (!strcmp(argv[i], "--floor"))
            floor = true;
        else
            data_dir = argv[i];
    }
    struct vb_error err;
    struct vb_analysis_data *data = NULL;
    struct vb_analyzer *analyzer = NULL;
    struct vb_nl_lexicon *lexicon = NULL;
    int status = 1;
    if (vb_analysis_data_new(&data, &err) != VB_OK ||
        vb_analyzer_new(data, &analyzer, &err) != VB_OK ||
        vb_nl_lexicon_new(&lexicon, &err) != VB_OK) {
        fprintf(stderr, "eval_conflation: %s\n", err.msg);
        goto out;
    }
    printf("Conflation of inflected forms, UD dev treebanks (%s)\n",
           data_dir);
    for (size_t l = 0; l < sizeof languages / sizeof *languages; l++) {
        const struct language *lg = &languages[l];
        struct item_set set = {0};
        for (int f = 0; f < 2 && lg->files[f]; f++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", data_dir, lg->files[f]);
            if (!read_conllu(path, lg->lang == VB_LANG_NL, &set)) {
                fprintf(stderr,
                        "eval_conflation: %s is absent; skipping (get "
                        "../shared/data to run this measurement)\n",
                        path);
                status = SKIP_EXIT;
                goto out;
            }
        }
        dedupe(&set);
        for (size_t i = 0; i < set.count; i++)
            set.items[i].prefix = prefix4(set.items[i].form);
        struct sb_stemmer *sb = sb_stemmer_new(lg->snowball, "UTF_8");
        if (!sb) {
            fprintf(stderr, "eval_conflation: no Snowball stemmer %s\n",
                    lg->snowball);
            goto out;
        }
        set_terms(&set, SYS_SNOWBALL, lg->lang, sb, analyzer, lexicon);
        struct scores s = score(&set), snowball = s;
        printf("%-3s %zu items, %.0f same-lemma pairs, %.0f different-lemma "
               "pairs (%.0f sharing 4 letters)\n",
               lg->code, set.count, s.same_pairs, s.diff_pairs, s.hard_pairs);
        print_row(lg->code, "Snowball", &s);
        if (verbose)
            print_examples(&set, 25);
        if (lg->lang == VB_LANG_NL) {
            set_terms(&set, SYS_NL_STEM, lg->lang, sb, analyzer, lexicon);
            s = score(&set);
            print_row(lg->code, "nl_stem", &s);
            if (verbose)
                print_examples(&set, 40);
        }
        set_terms(&set, SYS_VRAAGBAAK, lg->lang, sb, analyzer, lexicon);
        s = score(&set);
        print_row(lg->code, "Vraagbaak", &s);
        struct vb_lemma_lexicon *lemmas = NULL;
        if (lg->lang != VB_LANG_NL &&
            vb_lemma_lexicon_new(lg->lang, &lemmas, &err) == VB_OK)
            printf("%-3s lemma lexicon: %zu bytes of built-in data, read "
                   "in place (nothing allocated)\n",
                   lg->code, vb_lemma_lexicon_bytes(lemmas));
        vb_lemma_lexicon_free(lemmas);
        if (floor && !above_floor(lg->lang, &s, &snowball)) {
            fprintf(stderr, "eval_conflation: %s below the floor\n", lg->code);
            below = true;
        }
        sb_stemmer_delete(sb);
        for (size_t i = 0; i < set.count; i++) {
            free(set.items[i].form);
            free(set.items[i].lemma);
            free(set.items[i].term);
            free(set.items[i].prefix);
        }
        free(set.items);
    }
    status = below ? 1 : 0;
out:
    vb_nl_lexicon_free(lexicon);
    vb_analyzer_free(analyzer);
    vb_analysis_data_free(data);
    return status;
}
