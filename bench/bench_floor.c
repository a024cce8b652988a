/* bench_floor — the floor under searchd's server time on a judged suite:
 * Xapian alone answering each query as a plain OR of its content words'
 * stems (the analysis chain's whole term of each word that is not a
 * function word, in the query's language; of every word when all are
 * function words, as searchd does), top 10, in-process, warm (each
 * query is run once before it is timed).  No expansions, no subject
 * field, no proximity, no translation groups, no snippets: whatever the
 * ranking model, Xapian 1.4 reads at least these posting lists, so
 * searchd's took_us cannot go below these percentiles.
 *
 * usage: bench_floor INDEX QUERIES.tsv [NAME]
 *   QUERIES.tsv: id, lang, split, text (bench/relevance.sh's suites) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timing.h"
#include "vb_analysis.h"
#include "vb_schema.h"
#include "vb_xapian.h"

#define WORDS_MAX 256

struct words {
    struct vb_xapian_query *terms[WORDS_MAX];
    size_t count;
    bool function_words; /* take them (a query of nothing else) */
    bool failed;
};

static int take_word(void *ctx, const struct vb_token *t)
{
    struct words *w = ctx;
    if ((t->stopword && !w->function_words) || w->count == WORDS_MAX)
        return 0;
    w->terms[w->count] =
        vb_xapian_query_term(t->terms[0], t->term_lens[0], 1, 0);
    if (!w->terms[w->count])
        w->failed = true;
    else
        w->count++;
    return 0;
}

/* The OR of the content words of `text`, run twice; the second run's
 * microseconds into *took.  False on an error (printed). */
static bool floor_of(struct vb_analyzer *analyzer,
                     struct vb_xapian_reader *reader, const char *text,
                     enum vb_lang lang, uint64_t *took)
{
    struct words w = {.count = 0};
    struct vb_error err = {0};
    size_t len = strlen(text);
    bool ok = vb_analyze_text(analyzer, text, len, lang, take_word, &w, &err) ==
              VB_OK;
    if (ok && w.count == 0) {
        w.function_words = true;
        ok = vb_analyze_text(analyzer, text, len, lang, take_word, &w, &err) ==
             VB_OK;
    }
    ok = ok && !w.failed;
    struct vb_xapian_query *q =
        ok && w.count > 0 ? vb_xapian_query_or(w.terms, w.count) : NULL;
    ok = ok && (q || w.count == 0);
    /* The hits alone: their documents are not read.  BM25 as search
     * scores it, on lengths normalised when the documents were built. */
    struct vb_xapian_search_options options;
    vb_xapian_search_options_init(&options);
    vb_schema_weighting(1.0, &options);
    options.without_data = true;
    *took = 0;
    for (int run = 0; q && ok && run < 2; run++) {
        struct vb_xapian_hits *hits = NULL;
        uint64_t t0 = bench_now_us();
        ok = vb_xapian_search(reader, q, &options, &hits, &err) == VB_OK;
        *took = bench_now_us() - t0;
        vb_xapian_hits_free(hits);
    }
    if (!ok)
        fprintf(stderr, "bench_floor: \"%s\": %s\n", text,
                err.msg[0] ? err.msg : "out of memory");
    vb_xapian_query_free(q);
    for (size_t i = 0; i < w.count; i++)
        vb_xapian_query_free(w.terms[i]);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: bench_floor INDEX QUERIES.tsv [NAME]\n");
        return 2;
    }
    const char *name = argc == 4 ? argv[3] : argv[2];
    FILE *in = fopen(argv[2], "r");
    if (!in) {
        perror(argv[2]);
        return 2;
    }
    struct vb_error err = {0};
    struct vb_analysis_data *data = NULL;
    struct vb_analyzer *analyzer = NULL;
    struct vb_xapian_reader *reader = NULL;
    if (vb_analysis_data_new(&data, &err) != VB_OK ||
        vb_analyzer_new(data, &analyzer, &err) != VB_OK ||
        vb_xapian_reader_open(argv[1], &reader, &err) != VB_OK) {
        fprintf(stderr, "bench_floor: %s\n", err.msg);
        fclose(in);
        vb_analyzer_free(analyzer);
        vb_analysis_data_free(data);
        return 2;
    }
    uint64_t *took = NULL;
    size_t n = 0, cap = 0, line_no = 0;
    bool ok = true;
    char line[8192];
    while (ok && fgets(line, sizeof line, in)) {
        line_no++;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *field[4] = {line, NULL, NULL, NULL};
        for (int f = 1; f < 4 && field[f - 1]; f++) {
            char *tab = strchr(field[f - 1], '\t');
            if (tab)
                *tab = '\0';
            field[f] = tab ? tab + 1 : NULL;
        }
        if (!field[3]) {
            fprintf(stderr, "%s:%zu: expected id, lang, split, text\n", argv[2],
                    line_no);
            ok = false;
            break;
        }
        char *end = strchr(field[3], '\t'); /* a customer after the text */
        if (end)
            *end = '\0';
        enum vb_lang lang = vb_lang_parse(field[1], strlen(field[1]));
        if (lang == VB_LANG_UNKNOWN) {
            fprintf(stderr, "%s:%zu: unknown lang \"%s\"\n", argv[2], line_no,
                    field[1]);
            ok = false;
            break;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            uint64_t *grown = realloc(took, cap * sizeof *took);
            if (!grown) {
                ok = false;
                break;
            }
            took = grown;
        }
        ok = floor_of(analyzer, reader, field[3], lang, &took[n]);
        n++;
    }
    fclose(in);
    vb_xapian_reader_close(reader);
    vb_analyzer_free(analyzer);
    vb_analysis_data_free(data);
    if (!ok) {
        free(took);
        return 1;
    }
    qsort(took, n, sizeof *took, bench_compare_u64);
    printf("%-22s floor, Xapian alone (OR of the stems) p50/p95/p99: "
           "%llu / %llu / %llu (%zu)\n",
           name, (unsigned long long)bench_percentile(took, n, 0.50),
           (unsigned long long)bench_percentile(took, n, 0.95),
           (unsigned long long)bench_percentile(took, n, 0.99), n);
    free(took);
    return 0;
}
