/* bench_analysis — throughput of the whole analysis chain on one core.
 *
 * Text: the sentences of the Universal Dependencies development treebanks
 * (real Dutch, French and English).  For each language it runs
 *   - Vraagbaak: vb_analyze_text with the language given (tokens, folding,
 *     stopwords, stemming, Dutch lemmas and compounds, joins), and with
 *     the language left to detection;
 *   - the peer: the minimal chain a team would write instead, utf8proc
 *     case folding + libstemmer on whitespace-separated words;
 * and prints MB/s and per-sentence latency percentiles.  Single thread.
 *
 * Usage: bench_analysis [seconds-per-run]   (default 2) */
#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

#include "vb_analysis.h"

#define MAX_SENTENCES 20000

struct text {
    char *buf;                   /* all sentences, '\n'-separated */
    size_t len;
    size_t starts[MAX_SENTENCES];
    size_t lens[MAX_SENTENCES];
    size_t count;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int load_sentences(const char *const *files, struct text *t)
{
    size_t cap = 1 << 20;
    t->buf = malloc(cap);
    t->len = t->count = 0;
    if (!t->buf)
        return -1;
    for (; *files; files++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/ud-dev/%s", VB_SHARED_DATA, *files);
        FILE *f = fopen(path, "r");
        if (!f) {
            fprintf(stderr, "bench_analysis: cannot open %s\n", path);
            return -1;
        }
        char line[65536];
        while (fgets(line, sizeof line, f) && t->count < MAX_SENTENCES) {
            if (strncmp(line, "# text = ", 9) != 0)
                continue;
            size_t n = strcspn(line + 9, "\n");
            if (t->len + n + 1 > cap) {
                char *grown = realloc(t->buf, cap *= 2);
                if (!grown) {
                    fclose(f);
                    return -1;
                }
                t->buf = grown;
            }
            memcpy(t->buf + t->len, line + 9, n);
            t->starts[t->count] = t->len;
            t->lens[t->count++] = n;
            t->len += n;
            t->buf[t->len++] = '\n';
        }
        fclose(f);
    }
    return 0;
}

static int count_terms(void *ctx, const struct vb_token *token)
{
    *(size_t *)ctx += token->term_count;
    return 0;
}

/* The peer: split on ASCII whitespace and punctuation, case-fold with
 * utf8proc, stem with libstemmer.  No elision, compounds, codes or
 * accent folding. */
static size_t peer_analyze(struct sb_stemmer *stemmer, const char *s,
                           size_t len)
{
    size_t terms = 0, i = 0;
    while (i < len) {
        while (i < len && strchr(" \t\n.,;:!?()\"'", s[i]))
            i++;
        size_t start = i;
        while (i < len && !strchr(" \t\n.,;:!?()\"'", s[i]))
            i++;
        if (i == start)
            continue;
        utf8proc_uint8_t *folded = NULL;
        utf8proc_ssize_t n = utf8proc_map(
            (const utf8proc_uint8_t *)s + start, (utf8proc_ssize_t)(i - start),
            &folded, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
        if (n > 0 && sb_stemmer_stem(stemmer, folded, (int)n))
            terms++;
        free(folded);
    }
    return terms;
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

struct result {
    double mb_per_s, p50_us, p99_us;
};

enum system { SYSTEM_VRAAGBAAK, SYSTEM_VRAAGBAAK_DETECT, SYSTEM_PEER };

/* Runs `sys` over every sentence, pass after pass, for about `seconds`;
 * the first pass also records per-sentence latency.  Each pass of
 * Vraagbaak's chain has a new analyzer, made inside the timing: an
 * analyzer remembers the Dutch words it has worked out, and a pass must
 * meet the text as new text, not as the words of the pass before. */
static struct result run(enum system sys, const struct vb_analysis_data *data,
                         struct sb_stemmer *stemmer, enum vb_lang lang,
                         const struct text *t, double seconds)
{
    static double latency[MAX_SENTENCES];
    size_t bytes = 0, terms = 0, pass = 0;
    struct vb_analyzer *analyzer = NULL;
    double start = now(), elapsed;
    do {
        if (sys != SYSTEM_PEER) {
            vb_analyzer_free(analyzer);
            if (vb_analyzer_new(data, &analyzer, NULL) != VB_OK) {
                fprintf(stderr, "bench_analysis: out of memory\n");
                exit(1);
            }
        }
        for (size_t i = 0; i < t->count; i++) {
            const char *s = t->buf + t->starts[i];
            double t0 = pass == 0 ? now() : 0;
            if (sys == SYSTEM_PEER)
                terms += peer_analyze(stemmer, s, t->lens[i]);
            else
                vb_analyze_text(analyzer, s, t->lens[i],
                                sys == SYSTEM_VRAAGBAAK ? lang
                                                        : VB_LANG_UNKNOWN,
                                count_terms, &terms, NULL);
            if (pass == 0)
                latency[i] = (now() - t0) * 1e6;
            bytes += t->lens[i];
        }
        pass++;
        elapsed = now() - start;
    } while (elapsed < seconds);
    vb_analyzer_free(analyzer);
    qsort(latency, t->count, sizeof *latency, compare_double);
    struct result r = {(double)bytes / elapsed / 1e6,
                       latency[t->count / 2],
                       latency[t->count * 99 / 100]};
    if (terms == 0)
        fprintf(stderr, "bench_analysis: no terms produced\n");
    return r;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 2.0;
    static const char *const nl_files[] = {
        "UD_Dutch-Alpino/nl_alpino-ud-dev.conllu",
        "UD_Dutch-LassySmall/nl_lassysmall-ud-dev.conllu", NULL};
    static const char *const fr_files[] = {
        "UD_French-GSD/fr_gsd-ud-dev.conllu",
        "UD_French-Sequoia/fr_sequoia-ud-dev.conllu", NULL};
    static const char *const en_files[] = {
        "UD_English-EWT/en_ewt-ud-dev.conllu", NULL};
    static const struct {
        enum vb_lang lang;
        const char *snowball;
        const char *const *files;
    } langs[] = {{VB_LANG_NL, "dutch", nl_files},
                 {VB_LANG_FR, "french", fr_files},
                 {VB_LANG_EN, "english", en_files}};

    struct vb_analysis_data *data;
    struct vb_analyzer *analyzer;
    struct vb_error err;
    double t0 = now();
    if (vb_analysis_data_new(&data, &err) != VB_OK ||
        vb_analyzer_new(data, &analyzer, &err) != VB_OK) { /* the set-up */
        fprintf(stderr, "bench_analysis: %s\n", err.msg);
        return 1;
    }
    double setup_ms = (now() - t0) * 1e3;
    vb_analyzer_free(analyzer);

    printf("Analysis chain throughput, one core, UD dev sentences "
           "(%.1f s per run; set-up %.2f ms)\n\n", seconds, setup_ms);
    printf("%-4s %-30s %9s %9s %9s %8s\n", "lang", "system", "MB/s",
           "p50 us", "p99 us", "vs peer");
    for (size_t l = 0; l < sizeof langs / sizeof *langs; l++) {
        static struct text t;
        if (load_sentences(langs[l].files, &t) != 0)
            return 77;
        struct sb_stemmer *stemmer = sb_stemmer_new(langs[l].snowball, "UTF_8");
        struct result peer =
            run(SYSTEM_PEER, data, stemmer, langs[l].lang, &t, seconds);
        struct result ours =
            run(SYSTEM_VRAAGBAAK, data, stemmer, langs[l].lang, &t, seconds);
        struct result detect = run(SYSTEM_VRAAGBAAK_DETECT, data, stemmer,
                                   langs[l].lang, &t, seconds);
        const char *code = vb_lang_code(langs[l].lang);
        printf("%-4s %-30s %9.1f %9.2f %9.2f %8s\n", code,
               "peer: utf8proc + libstemmer", peer.mb_per_s, peer.p50_us,
               peer.p99_us, "1.00x");
        printf("%-4s %-30s %9.1f %9.2f %9.2f %7.2fx\n", code,
               "Vraagbaak, lang given", ours.mb_per_s, ours.p50_us,
               ours.p99_us, ours.mb_per_s / peer.mb_per_s);
        printf("%-4s %-30s %9.1f %9.2f %9.2f %7.2fx\n", code,
               "Vraagbaak, lang detected", detect.mb_per_s, detect.p50_us,
               detect.p99_us, detect.mb_per_s / peer.mb_per_s);
        printf("     (%zu sentences, %.2f MB)\n", t.count, (double)t.len / 1e6);
        sb_stemmer_delete(stemmer);
        free(t.buf);
    }
    vb_analysis_data_free(data);
    return 0;
}
