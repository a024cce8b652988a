/* eval_compounds.c — Dutch compound splitting against the gold compound
 * boundaries of the UD Dutch treebanks (Alpino and LassySmall dev), whose
 * lemmas mark them with '_' ("gehoorstoornissen" -> "gehoor_stoornis").
 *
 * Tokens tagged NOUN, ADJ or VERB with an alphabetic form:
 *   recall     = gold compounds (lemma with '_') that vb_nl_split_compound
 *                splits at a gold boundary / all gold compounds whose
 *                first lemma part begins the surface form (a particle
 *                separated from its verb, "ging ... aan" with lemma
 *                "aan_gaan", cannot be split and is counted apart);
 *   precision  = split gold compounds whose boundary is a gold one / all
 *                split gold compounds;
 *   wrong-split rate = words without '_' in their lemma, length >= 6
 *                bytes, that get split at all / all such words.
 * A boundary matches when the modifier (without link) or the head start is
 * at the end of the gold modifier in the surface form, with at most a
 * three-letter link (-s-, -e-, -en-, doubled consonant + -en-) between
 * the parts.
 *
 * Usage: eval_compounds [-v] [DATA_DIR]   (default: VB_SHARED_DATA)
 * Exit status 77 when the data is absent. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conllu.h"
#include "analysis_int.h"

#ifndef VB_SHARED_DATA
#define VB_SHARED_DATA "../shared/data"
#endif

#define SKIP_EXIT 77
#define EXAMPLES 1000

static const char *const files[] = {
    "ud-dev/UD_Dutch-Alpino/nl_alpino-ud-dev.conllu",
    "ud-dev/UD_Dutch-LassySmall/nl_lassysmall-ud-dev.conllu",
};

struct counts {
    long gold, gold_unsplittable, gold_split, gold_right;
    long simple, simple_split;
};

struct examples {
    char missed[EXAMPLES][160], wrong_boundary[EXAMPLES][160],
        wrong_split[EXAMPLES][160];
    int n_missed, n_wrong_boundary, n_wrong_split;
};

static void lower_utf8(char *s)
{
    unsigned char *p = (unsigned char *)s;
    for (; *p; p++) {
        if (*p >= 'A' && *p <= 'Z')
            *p = (unsigned char)(*p + 32);
        else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E &&
                 p[1] != 0x97) {
            p[1] = (unsigned char)(p[1] + 0x20);
            p++;
        }
    }
}

static bool is_alpha_word(const char *s)
{
    if (!*s)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || *p >= 0x80)
            continue;
        return false;
    }
    return true;
}

static void remember(char (*list)[160], int *n, const char *text)
{
    for (int i = 0; i < *n; i++)
        if (!strcmp(list[i], text))
            return;
    if (*n < EXAMPLES)
        snprintf(list[(*n)++], 160, "%s", text);
}

/* Does the split (modifier length m, head start h) fall on a gold
 * boundary of `lemma` (parts separated by '_') in `form`? */
static bool boundary_matches(const char *form, const char *lemma, size_t m,
                             size_t h)
{
    char prefix[512];
    size_t plen = 0;
    for (const char *p = lemma; *p; p++) {
        if (*p == '_') {
            /* the gold modifier prefix[0..plen) must begin the form */
            if (plen <= strlen(form) && !strncmp(form, prefix, plen) &&
                (m == plen || h == plen) && h >= m && h - m <= 3)
                return true;
            continue;
        }
        if (plen + 1 < sizeof prefix)
            prefix[plen++] = *p;
    }
    return false;
}

static void show(char *buf, size_t cap, const char *form, const char *lemma,
                 int n, const struct vb_span *parts)
{
    int o = snprintf(buf, cap, "%s (%s) ->", form, lemma);
    if (n == 0)
        snprintf(buf + o, cap - (size_t)o, " whole");
    for (int i = 0; i < n && o < (int)cap; i++)
        o += snprintf(buf + o, cap - (size_t)o, " [%.*s]", parts[i].len,
                      form + parts[i].start);
}

static bool evaluate_file(const char *path, const struct vb_nl_lexicon *lex,
                          struct counts *c, struct examples *ex)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[8192];
    while (fgets(line, sizeof line, f)) {
        char *col[CONLLU_COLUMNS];
        if (conllu_columns(line, col) == 0)
            continue;
        if (strcmp(col[3], "NOUN") && strcmp(col[3], "ADJ") &&
            strcmp(col[3], "VERB"))
            continue;
        char *form = col[1], *lemma = col[2];
        lower_utf8(form);
        lower_utf8(lemma);
        if (!is_alpha_word(form) || strlen(form) > VB_TERM_MAX)
            continue;
        size_t len = strlen(form);
        struct vb_span parts[4];
        int k = vb_nl_split_compound(lex, form, len, parts, 4);
        char shown[160];
        show(shown, sizeof shown, form, lemma, k, parts);
        size_t used = strlen(shown);
        snprintf(shown + used, sizeof shown - used, " %s", col[3]);
        if (strchr(lemma, '_')) {
            size_t first = strcspn(lemma, "_");
            if (strncmp(form, lemma, first) != 0) {
                c->gold_unsplittable++;
                continue;
            }
            c->gold++;
            if (k >= 2) {
                c->gold_split++;
                size_t m = parts[0].len, h = parts[1].start;
                if (boundary_matches(form, lemma, m, h))
                    c->gold_right++;
                else
                    remember(ex->wrong_boundary, &ex->n_wrong_boundary,
                             shown);
            } else {
                remember(ex->missed, &ex->n_missed, shown);
            }
        } else if (len >= 6) {
            c->simple++;
            if (k >= 2) {
                c->simple_split++;
                remember(ex->wrong_split, &ex->n_wrong_split, shown);
            }
        }
    }
    fclose(f);
    return true;
}

/* The quality floor (--floor): issue 14's targets, which the splitter
 * meets (75.1 % and 1.92 % on 2026-12-06).  The measurement is
 * deterministic, so a change that costs recall or adds false splits past
 * them fails the test. */
#define FLOOR_RECALL 75.0
#define FLOOR_WRONG_SPLIT 2.0

int main(int argc, char **argv)
{
    const char *data_dir = VB_SHARED_DATA;
    bool verbose = false, floor = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-v"))
            verbose = true;
        else if (!strcmp(argv[i], "--floor"))
            floor = true;
        else
            data_dir = argv[i];
    }
    struct vb_nl_lexicon *lex = NULL;
    struct vb_error err;
    if (vb_nl_lexicon_new(&lex, &err) != VB_OK) {
        fprintf(stderr, "eval_compounds: %s\n", err.msg);
        return 1;
    }
    struct counts c = {0};
    static struct examples ex;
    int status = 0;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", data_dir, files[i]);
        if (!evaluate_file(path, lex, &c, &ex)) {
            fprintf(stderr,
                    "eval_compounds: %s is absent; skipping (get "
                    "../shared/data to run this measurement)\n",
                    path);
            status = SKIP_EXIT;
            goto out;
        }
    }
    printf("Dutch compound splitting, UD Alpino + LassySmall dev "
           "(NOUN/ADJ/VERB tokens)\n");
    printf("gold compounds %ld (+%ld whose first part is not in the form, "
           "not counted)\n",
           c.gold, c.gold_unsplittable);
    printf("recall            %6.2f%%  (%ld split at a gold boundary)\n",
           100.0 * (double)c.gold_right / (double)c.gold, c.gold_right);
    printf("precision         %6.2f%%  (of %ld split gold compounds)\n",
           100.0 * (double)c.gold_right / (double)c.gold_split, c.gold_split);
    printf("wrong-split rate  %6.2f%%  (%ld of %ld non-compounds >= 6 "
           "bytes)\n",
           100.0 * (double)c.simple_split / (double)c.simple, c.simple_split,
           c.simple);
    double recall = 100.0 * (double)c.gold_right / (double)c.gold;
    double wrong = 100.0 * (double)c.simple_split / (double)c.simple;
    if (floor && (recall < FLOOR_RECALL || wrong > FLOOR_WRONG_SPLIT)) {
        fprintf(stderr,
                "eval_compounds: below the floor (recall >= %.1f%%, "
                "wrong splits <= %.1f%%)\n",
                FLOOR_RECALL, FLOOR_WRONG_SPLIT);
        status = 1;
    }
    if (verbose) {
        printf("missed compounds:\n");
        for (int i = 0; i < ex.n_missed; i++)
            printf("  %s\n", ex.missed[i]);
        printf("wrong boundary:\n");
        for (int i = 0; i < ex.n_wrong_boundary; i++)
            printf("  %s\n", ex.wrong_boundary[i]);
        printf("split non-compounds:\n");
        for (int i = 0; i < ex.n_wrong_split; i++)
            printf("  %s\n", ex.wrong_split[i]);
    }
out:
    vb_nl_lexicon_free(lex);
    return status;
}
