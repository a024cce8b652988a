/* analysis_helpers.h — runs the chain and flattens what it reports, so
 * tests can compare strings.  Header-only; used by the analysis suites. */
#ifndef VB_ANALYSIS_HELPERS_H
#define VB_ANALYSIS_HELPERS_H

#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "vb_analysis.h"

struct flat {
    char out[4096]; /* "tok1:term term|tok2:term" */
    size_t used;
    int tokens;
    char first_term[VB_TERM_MAX + 1];
};

static inline int flatten(void *ctx, const struct vb_token *t)
{
    struct flat *f = ctx;
    if (f->tokens == 0)
        snprintf(f->first_term, sizeof f->first_term, "%s", t->terms[0]);
    f->used += (size_t)snprintf(f->out + f->used, sizeof f->out - f->used,
                                "%s%s%s", f->tokens ? "|" : "",
                                t->stopword ? "*" : "", t->terms[0]);
    for (size_t i = 1; i < t->term_count && f->used < sizeof f->out; i++)
        f->used += (size_t)snprintf(f->out + f->used,
                                    sizeof f->out - f->used, " %s",
                                    t->terms[i]);
    f->tokens++;
    return 0;
}

static struct vb_analysis_data *test_data;
static struct vb_analyzer *test_analyzer;

static inline void setup_analyzer(void)
{
    struct vb_error err;
    ck_assert_int_eq(vb_analysis_data_new(&test_data, &err), VB_OK);
    ck_assert_int_eq(vb_analyzer_new(test_data, &test_analyzer, &err), VB_OK);
}

static inline void teardown_analyzer(void)
{
    vb_analyzer_free(test_analyzer);
    vb_analysis_data_free(test_data);
}

/* The flattened analysis of `text` in `lang`, in static storage. */
static inline const char *analyze(const char *text, enum vb_lang lang)
{
    static struct flat f;
    struct vb_error err;
    memset(&f, 0, sizeof f);
    ck_assert_int_eq(vb_analyze_text(test_analyzer, text, strlen(text), lang,
                                     flatten, &f, &err),
                     VB_OK);
    return f.out;
}

/* terms[0] of the first token of `word` in `lang`, in static storage. */
static inline const char *whole_term(const char *word, enum vb_lang lang)
{
    static char term[2][VB_TERM_MAX + 1];
    static int which;
    struct flat f;
    struct vb_error err;
    memset(&f, 0, sizeof f);
    ck_assert_int_eq(vb_analyze_text(test_analyzer, word, strlen(word), lang,
                                     flatten, &f, &err),
                     VB_OK);
    which ^= 1;
    snprintf(term[which], sizeof term[which], "%s", f.first_term);
    return term[which];
}

/* True when the flattened analysis of `text` holds `term` as a term. */
static inline int has_term(const char *text, enum vb_lang lang, const char *term)
{
    const char *flat = analyze(text, lang);
    size_t n = strlen(term);
    for (const char *p = flat; (p = strstr(p, term)) != NULL; p++) {
        int starts = p == flat || p[-1] == ' ' || p[-1] == '|' || p[-1] == '*';
        int ends = p[n] == '\0' || p[n] == ' ' || p[n] == '|';
        if (starts && ends)
            return 1;
    }
    return 0;
}

#endif
