/* eval_langdetect.c — measures vb_detect_lang on held-out sentences.
 *
 *   eval_langdetect [-v] [DATA_DIR]
 *
 * DATA_DIR defaults to VB_SHARED_DATA (../shared/data).  Sentences:
 *   - Tatoeba: tatoeba/tatoeba.nld-eng.nld (nl), tatoeba.fra-eng.fra (fr),
 *     and the .eng sides of both pairs (en);
 *   - Universal Dependencies dev sets: the "# text = " lines of
 *     ud-dev/UD_{Dutch-Alpino,Dutch-LassySmall,French-GSD,French-Sequoia,
 *     English-EWT}/<name>-dev.conllu.
 * Prints accuracy per language and overall, for all sentences and for
 * those of five words or more (words = whitespace-separated chunks holding
 * a letter or digit), a confusion matrix per corpus, the same figures for
 * French with its accents removed, and throughput on the UD text.
 * -v lists the misclassified sentences.  Exits 77 when the data is absent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vb_analysis.h"

#ifndef VB_SHARED_DATA
#define VB_SHARED_DATA "../shared/data"
#endif

struct sentence {
    char *text;
    size_t len;
    enum vb_lang lang;
    int words;
};

struct corpus {
    const char *name;
    struct sentence *items;
    size_t count, cap;
};

static int corpus_add(struct corpus *c, const char *text, size_t len,
                      enum vb_lang lang)
{
    while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        len--;
    if (len == 0)
        return 0;
    if (c->count == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 1024;
        struct sentence *items = realloc(c->items, cap * sizeof *items);
        if (!items)
            return -1;
        c->items = items;
        c->cap = cap;
    }
    struct sentence *s = &c->items[c->count];
    s->text = malloc(len + 1);
    if (!s->text)
        return -1;
    memcpy(s->text, text, len);
    s->text[len] = '\0';
    s->len = len;
    s->lang = lang;
    s->words = 0;
    int in_chunk = 0, counted = 0;
    for (size_t i = 0; i <= len; i++) {
        unsigned char ch = i < len ? (unsigned char)text[i] : ' ';
        if (ch == ' ' || ch == '\t') {
            in_chunk = 0;
            continue;
        }
        if (!in_chunk) {
            in_chunk = 1;
            counted = 0;
        }
        if (!counted && (ch >= 0x80 || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') ||
                         (ch >= '0' && ch <= '9'))) {
            s->words++;
            counted = 1;
        }
    }
    c->count++;
    return 0;
}

/* Reads a file; with `prefix`, only the lines starting with it (prefix
 * removed).  Returns -1 when the file cannot be read. */
static int load(struct corpus *c, const char *dir, const char *rel,
                const char *prefix, enum vb_lang lang)
{
    char path[4096], line[65536];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "eval_langdetect: cannot read %s\n", path);
        return -1;
    }
    size_t plen = prefix ? strlen(prefix) : 0;
    while (fgets(line, sizeof line, f)) {
        if (prefix && strncmp(line, prefix, plen) != 0)
            continue;
        if (corpus_add(c, line + plen, strlen(line + plen), lang) != 0) {
            fclose(f);
            fprintf(stderr, "eval_langdetect: out of memory\n");
            return -1;
        }
    }
    fclose(f);
    return 0;
}

/* Removes the accents of French letters in place (UTF-8 two-byte forms of
 * U+00C0..U+00FF and œ become one or two ASCII bytes). */
static size_t strip_accents(char *s, size_t len)
{
    static const char *const latin1 = /* U+00C0 .. U+00FF */
        "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTs"
        "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char a = (unsigned char)s[i];
        unsigned char b = i + 1 < len ? (unsigned char)s[i + 1] : 0;
        if (a == 0xC3 && b >= 0x80 && b <= 0xBF) {
            s[o++] = latin1[b - 0x80 + 0x00];
            i++;
        } else if (a == 0xC5 && (b == 0x93 || b == 0x92)) {
            s[o++] = b == 0x93 ? 'o' : 'O';
            s[o++] = 'e';
            i++;
        } else {
            s[o++] = s[i];
        }
    }
    s[o] = '\0';
    return o;
}

struct tally {
    long total[VB_LANG_COUNT], correct[VB_LANG_COUNT];
    long long_total[VB_LANG_COUNT], long_correct[VB_LANG_COUNT];
    long confusion[VB_LANG_COUNT][VB_LANG_COUNT];
};

static void run(const struct corpus *c, struct tally *t, int verbose)
{
    for (size_t i = 0; i < c->count; i++) {
        const struct sentence *s = &c->items[i];
        enum vb_lang got = vb_detect_lang(s->text, s->len, NULL);
        int ok = got == s->lang;
        t->total[s->lang]++;
        t->correct[s->lang] += ok;
        if (s->words >= 5) {
            t->long_total[s->lang]++;
            t->long_correct[s->lang] += ok;
        }
        t->confusion[s->lang][got]++;
        if (!ok && verbose)
            printf("  [%s -> %s] %s\n", vb_lang_code(s->lang),
                   got ? vb_lang_code(got) : "??", s->text);
    }
}

static double pct(long a, long b)
{
    return b ? 100.0 * (double)a / (double)b : 0.0;
}

static void report(const char *name, const struct tally *t)
{
    long all = 0, all_ok = 0, lng = 0, lng_ok = 0;
    printf("\n%s\n", name);
    printf("  lang  sentences  accuracy   >=5 words  accuracy   <5 words  "
           "accuracy\n");
    for (int l = 1; l < VB_LANG_COUNT; l++) {
        if (t->total[l] == 0)
            continue;
        long shrt = t->total[l] - t->long_total[l];
        long shrt_ok = t->correct[l] - t->long_correct[l];
        printf("  %-4s  %9ld  %7.2f %%  %9ld  %7.2f %%  %9ld  %7.2f %%\n",
               vb_lang_code(l), t->total[l], pct(t->correct[l], t->total[l]),
               t->long_total[l], pct(t->long_correct[l], t->long_total[l]),
               shrt, pct(shrt_ok, shrt));
        all += t->total[l];
        all_ok += t->correct[l];
        lng += t->long_total[l];
        lng_ok += t->long_correct[l];
    }
    printf("  all   %9ld  %7.2f %%  %9ld  %7.2f %%  %9ld  %7.2f %%\n", all,
           pct(all_ok, all), lng, pct(lng_ok, lng), all - lng,
           pct(all_ok - lng_ok, all - lng));
    printf("  confusion (rows: truth, columns: detected)\n"
           "           nl      fr      en      ??\n");
    for (int l = 1; l < VB_LANG_COUNT; l++)
        if (t->total[l])
            printf("    %s %7ld %7ld %7ld %7ld\n", vb_lang_code(l),
                   t->confusion[l][1], t->confusion[l][2], t->confusion[l][3],
                   t->confusion[l][0]);
}

/* The quality floor (--floor): sentences of five words or more, per
 * language, on each corpus. */
#define FLOOR_LONG_ACCURACY 97.0

static int below_floor(const char *name, const struct tally *t)
{
    int below = 0;
    for (int l = 1; l < VB_LANG_COUNT; l++) {
        double acc = pct(t->long_correct[l], t->long_total[l]);
        if (t->long_total[l] && acc < FLOOR_LONG_ACCURACY) {
            fprintf(stderr, "eval_langdetect: %s %s: %.2f %% on >=5 words, "
                            "floor %.1f %%\n", name, vb_lang_code(l), acc,
                    FLOOR_LONG_ACCURACY);
            below = 1;
        }
    }
    return below;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void corpus_free(struct corpus *c)
{
    for (size_t i = 0; i < c->count; i++)
        free(c->items[i].text);
    free(c->items);
}

int main(int argc, char **argv)
{
    int verbose = 0, floor_only = 0;
    const char *dir = VB_SHARED_DATA;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0)
            verbose = 1;
        else if (strcmp(argv[i], "--floor") == 0)
            floor_only = 1;
        else
            dir = argv[i];
    }
    struct corpus tatoeba = {"Tatoeba", NULL, 0, 0};
    struct corpus ud = {"UD dev", NULL, 0, 0};
    struct corpus fr_plain = {"French without accents", NULL, 0, 0};
    static const struct {
        const char *rel;
        enum vb_lang lang;
    } tatoeba_files[] = {
        {"tatoeba/tatoeba.nld-eng.nld", VB_LANG_NL},
        {"tatoeba/tatoeba.fra-eng.fra", VB_LANG_FR},
        {"tatoeba/tatoeba.nld-eng.eng", VB_LANG_EN},
        {"tatoeba/tatoeba.fra-eng.eng", VB_LANG_EN},
    }, ud_files[] = {
        {"ud-dev/UD_Dutch-Alpino/nl_alpino-ud-dev.conllu", VB_LANG_NL},
        {"ud-dev/UD_Dutch-LassySmall/nl_lassysmall-ud-dev.conllu", VB_LANG_NL},
        {"ud-dev/UD_French-GSD/fr_gsd-ud-dev.conllu", VB_LANG_FR},
        {"ud-dev/UD_French-Sequoia/fr_sequoia-ud-dev.conllu", VB_LANG_FR},
        {"ud-dev/UD_English-EWT/en_ewt-ud-dev.conllu", VB_LANG_EN},
    };
    for (size_t i = 0; i < sizeof tatoeba_files / sizeof tatoeba_files[0]; i++)
        if (load(&tatoeba, dir, tatoeba_files[i].rel, NULL,
                 tatoeba_files[i].lang) != 0)
            goto missing;
    for (size_t i = 0; i < sizeof ud_files / sizeof ud_files[0]; i++)
        if (load(&ud, dir, ud_files[i].rel, "# text = ", ud_files[i].lang) != 0)
            goto missing;
    for (size_t i = 0; i < tatoeba.count + ud.count; i++) {
        const struct sentence *s = i < tatoeba.count
                                       ? &tatoeba.items[i]
                                       : &ud.items[i - tatoeba.count];
        if (s->lang != VB_LANG_FR)
            continue;
        if (corpus_add(&fr_plain, s->text, s->len, VB_LANG_FR) != 0)
            goto missing;
        struct sentence *p = &fr_plain.items[fr_plain.count - 1];
        p->len = strip_accents(p->text, p->len);
    }

    struct tally t_tatoeba = {0}, t_ud = {0}, t_plain = {0};
    if (verbose)
        printf("Misclassified, Tatoeba:\n");
    run(&tatoeba, &t_tatoeba, verbose);
    if (verbose)
        printf("Misclassified, UD:\n");
    run(&ud, &t_ud, verbose);
    run(&fr_plain, &t_plain, 0);
    report("Tatoeba (1000 nl, 1000 fr, 2000 en)", &t_tatoeba);
    report("UD dev sentences", &t_ud);
    report("Tatoeba + UD French, accents removed", &t_plain);
    if (floor_only) {
        int below = below_floor("Tatoeba", &t_tatoeba) |
                    below_floor("UD", &t_ud);
        corpus_free(&tatoeba);
        corpus_free(&ud);
        corpus_free(&fr_plain);
        return below;
    }

    /* Throughput: every UD sentence, one call each, repeated. */
    size_t bytes = 0;
    for (size_t i = 0; i < ud.count; i++)
        bytes += ud.items[i].len;
    volatile unsigned sink = 0;
    int rounds = 0;
    double start = now(), elapsed;
    do {
        for (size_t i = 0; i < ud.count; i++)
            sink += vb_detect_lang(ud.items[i].text, ud.items[i].len, NULL);
        rounds++;
        elapsed = now() - start;
    } while (elapsed < 1.0);
    printf("\nThroughput on UD sentences (one call per sentence): %.1f MB/s, "
           "%.2f us per sentence (%zu sentences, %.1f bytes on average)\n",
           (double)bytes * rounds / elapsed / 1e6,
           elapsed / rounds / (double)ud.count * 1e6, ud.count,
           (double)bytes / (double)ud.count);

    /* Agent-style queries: a few words each. */
    static const char *const queries[] = {
        "facture impayée", "meterstand doorgeven", "cancel my contract",
        "wachtwoord vergeten", "mot de passe oublié", "reset password"};
    const size_t nq = sizeof queries / sizeof queries[0];
    rounds = 0;
    start = now();
    do {
        for (size_t i = 0; i < nq; i++)
            sink += vb_detect_lang(queries[i], strlen(queries[i]), NULL);
        rounds++;
        elapsed = now() - start;
    } while (elapsed < 0.5);
    printf("Short queries (2-3 words): %.2f us per call\n",
           elapsed / rounds / (double)nq * 1e6);

    /* One long text: all UD sentences of one language glued together
     * (sampled by the detector past 16 KiB). */
    size_t cap = 0;
    for (size_t i = 0; i < ud.count; i++)
        if (ud.items[i].lang == VB_LANG_NL)
            cap += ud.items[i].len + 1;
    char *big = malloc(cap + 1);
    if (big) {
        size_t used = 0;
        for (size_t i = 0; i < ud.count; i++) {
            if (ud.items[i].lang != VB_LANG_NL)
                continue;
            memcpy(big + used, ud.items[i].text, ud.items[i].len);
            used += ud.items[i].len;
            big[used++] = ' ';
        }
        double conf = 0;
        enum vb_lang got = VB_LANG_UNKNOWN;
        rounds = 0;
        start = now();
        do {
            got = vb_detect_lang(big, used, &conf);
            rounds++;
            elapsed = now() - start;
        } while (elapsed < 0.5);
        printf("Long text (%zu KiB of Dutch UD): detected %s (confidence "
               "%.2f), %.1f us per call\n",
               used / 1024, got ? vb_lang_code(got) : "??", conf,
               elapsed / rounds * 1e6);
        free(big);
    }
    (void)sink;
    corpus_free(&tatoeba);
    corpus_free(&ud);
    corpus_free(&fr_plain);
    return 0;

missing:
    fprintf(stderr, "eval_langdetect: evaluation data not available under "
                    "%s; skipping\n", dir);
    corpus_free(&tatoeba);
    corpus_free(&ud);
    corpus_free(&fr_plain);
    return 77;
}
