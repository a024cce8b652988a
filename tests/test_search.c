/* test_search — the search engine in-process (search/): the term bank,
 * synonym files, vocabulary completion and correction, query syntax
 * leniency, customer isolation.  The HTTP behaviour is in the searchd
 * suites. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../search/search_int.h"
#include "testutil.h"
#include "vb_indexer.h"

static char index_dir[] = "/tmp/vb-test-search-XXXXXX";
static struct vb_search_engine *engine;
static struct vb_searcher *searcher;

/* Runs the indexer on the files in `src` into the index `dir`, as a
 * content editor's run would; its summary. */
static struct vb_indexer_summary index_sources(const char *src, const char *dir)
{
    const char *sources[] = {src};
    struct vb_indexer_options o = {
        .index_dir = dir, .sources = sources, .source_count = 1};
    struct vb_indexer_summary sum;
    struct vb_error err = {0};
    ck_assert_msg(vb_indexer_run(&o, &sum, &err) == VB_OK, "%s", err.msg);
    return sum;
}

static void setup_index(void)
{
    ck_assert_ptr_nonnull(mkdtemp(index_dir));
    char dir[sizeof index_dir + 8];
    snprintf(dir, sizeof dir, "%s/index", index_dir);
    ck_assert_uint_eq(index_sources(VB_SOURCE_DIR "/corpus", dir).rejected, 0);
}

/* The engine runs a watcher thread: it is opened in each test's own
 * (forked) process, never inherited across a fork. */
static void open_engine(void)
{
    char dir[sizeof index_dir + 8];
    snprintf(dir, sizeof dir, "%s/index", index_dir);
    struct vb_error err = {0};
    struct vb_search_engine_options eo = {.index_dir = dir};
    ck_assert_msg(vb_search_engine_new(&eo, &engine, &err) == VB_OK, "%s",
                  err.msg);
    ck_assert_msg(vb_searcher_new(engine, &searcher, &err) == VB_OK, "%s",
                  err.msg);
}

static void close_engine(void)
{
    vb_searcher_free(searcher);
    vb_search_engine_free(engine);
}

static void teardown_index(void)
{
    vb_test_remove_tree(index_dir);
}

static struct vb_search_result *run_request(struct vb_searcher *s,
                                            const struct vb_search_request *req)
{
    struct vb_search_result *r = NULL;
    struct vb_error err = {0};
    ck_assert_msg(vb_search_run(s, req, &r, &err) == VB_OK, "%s: %s",
                  req->text, err.msg);
    return r;
}

static struct vb_search_result *run(const char *q, enum vb_lang lang,
                                    const char *customer)
{
    struct vb_search_request req;
    vb_search_request_init(&req);
    req.text = q;
    req.text_len = strlen(q);
    req.preferred_lang = lang;
    req.customer = customer;
    return run_request(searcher, &req);
}

/* Hit `id` of r, NULL when it is not among the hits. */
static const struct vb_search_hit *hit_of(const struct vb_search_result *r,
                                          const char *id)
{
    for (size_t i = 0; i < r->hit_count; i++)
        if (strcmp(r->hits[i].id, id) == 0)
            return &r->hits[i];
    return NULL;
}

static bool has_hit(const struct vb_search_result *r, const char *id)
{
    return hit_of(r, id) != NULL;
}

/* The score of hit `id`, 0 when it is not among the hits. */
static double score_of(const struct vb_search_result *r, const char *id)
{
    const struct vb_search_hit *hit = hit_of(r, id);
    return hit ? hit->score : 0;
}

/* ---- The document cache ------------------------------------------------ */

/* The sample corpus fits a searcher's document cache: warming decodes
 * every document, and what it decoded is what a cold searcher shows. */
START_TEST(test_search_small_index_decoded_when_warmed)
{
    uint32_t docs = 0;
    ck_assert(vb_xapian_doc_count(searcher->reader, &docs, NULL) == VB_OK);
    ck_assert_uint_gt(docs, 1000);
    ck_assert_uint_eq(vb_doc_cache_kept(searcher->documents), 0);
    vb_searcher_warm(searcher);
    ck_assert_uint_eq(vb_doc_cache_kept(searcher->documents), docs);

    struct vb_searcher *cold = NULL;
    struct vb_error err = {0};
    ck_assert_msg(vb_searcher_new(engine, &cold, &err) == VB_OK, "%s", err.msg);
    static const char *const queries[] = {"factuur betalen", "verhuizing",
                                          "mon internet ne marche pas",
                                          "klacht wachttijd"};
    size_t differ = 0, hits = 0;
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        struct vb_search_request req;
        vb_search_request_init(&req);
        req.text = queries[q];
        req.text_len = strlen(queries[q]);
        req.customer = "C000123";
        struct vb_search_result *warm = run_request(searcher, &req);
        struct vb_search_result *fresh = run_request(cold, &req);
        differ += warm->hit_count != fresh->hit_count;
        for (size_t i = 0; i < warm->hit_count && i < fresh->hit_count; i++) {
            const struct vb_search_hit *a = &warm->hits[i],
                                       *b = &fresh->hits[i];
            differ += strcmp(a->id, b->id) != 0 ||
                      strcmp(a->title, b->title) != 0 ||
                      strcmp(a->title_html, b->title_html) != 0 ||
                      strcmp(a->snippet, b->snippet) != 0;
            hits++;
        }
        vb_search_result_free(warm);
        vb_search_result_free(fresh);
    }
    vb_searcher_free(cold);
    ck_assert_uint_eq(differ, 0);
    ck_assert_uint_gt(hits, 20);
}
END_TEST

/* ---- The term bank ----------------------------------------------------- */

START_TEST(test_search_termbank_loads_every_concept_in_three_languages)
{
    struct vb_thesaurus *t = vb_search_engine_thesaurus(engine, NULL);
    ck_assert_uint_ge(t->bank_concepts, 300);
    for (size_t c = 0; c < t->bank_concepts; c++) {
        bool lang[VB_LANG_COUNT] = {false};
        for (uint32_t i = t->concept_start[c]; i < t->concept_start[c + 1]; i++)
            lang[t->entries[i].lang] = true;
        ck_assert_msg(lang[VB_LANG_NL] && lang[VB_LANG_FR] && lang[VB_LANG_EN],
                      "concept %zu lacks a language", c);
    }
    vb_thesaurus_release(t);
}
END_TEST

START_TEST(test_search_termbank_crosses_languages)
{
    struct vb_search_result *r = run("plan de paiement", VB_LANG_NL, NULL);
    ck_assert_uint_gt(r->hit_count, 0);
    ck_assert_str_eq(r->hits[0].id, "proc-afbetalingsplan-nl");
    vb_search_result_free(r);
    r = run("meter reading", VB_LANG_FR, NULL);
    ck_assert(has_hit(r, "proc-meterstand-fr"));
    vb_search_result_free(r);
}
END_TEST

/* ---- Synonym files ------------------------------------------------------ */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_search_synonym_files_are_read_and_reported)
{
    char dir[] = "/tmp/vb-test-syn-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[sizeof dir + 32];
    snprintf(path, sizeof path, "%s/synonyms-nl.txt", dir);
    struct vb_analysis_data *data = NULL;
    struct vb_thesaurus *t = NULL;
    struct vb_error err = {0};
    ck_assert(vb_analysis_data_new(&data, &err) == VB_OK);

    write_file(path, "# comment\nzwibbel, elektriciteit\n\n");
    ck_assert_msg(vb_thesaurus_build(data, dir, NULL, &t, &err) == VB_OK, "%s",
                  err.msg);
    size_t first;
    ck_assert_uint_eq(vb_thesaurus_find(t, "zwibbel", 7, &first), 1);
    ck_assert_uint_eq(t->concept_count, t->bank_concepts + 1);
    vb_thesaurus_release(t);

    write_file(path, "zwibbel, elektriciteit\nalleen\n");
    ck_assert(vb_thesaurus_build(data, dir, NULL, &t, &err) == VB_EINVAL);
    ck_assert_ptr_null(t);
    ck_assert_msg(strstr(err.msg, "synonyms-nl.txt:2:") != NULL, "%s", err.msg);

    write_file(path, "zwibbel, \xff\xfe\n");
    ck_assert(vb_thesaurus_build(data, dir, NULL, &t, &err) == VB_EUTF8);
    ck_assert_msg(strstr(err.msg, "byte 9") != NULL, "%s", err.msg);

    vb_analysis_data_free(data);
    unlink(path);
    rmdir(dir);
}
END_TEST

/* ---- Vocabulary ---------------------------------------------------------- */

START_TEST(test_search_vocabulary_completes_and_corrects)
{
    struct vb_vocab *vocab = vb_search_engine_vocab(engine);
    struct vb_vocab_view all = {vocab, NULL}, *v = &all;
    struct vb_vocab_match m[8];
    size_t n = vb_vocab_complete(v, VB_LANG_NL, "verhui", 6, m, 8);
    bool found = false;
    for (size_t i = 0; i < n; i++) {
        ck_assert(m[i].len > 6 && memcmp(m[i].word, "verhui", 6) == 0);
        if (i > 0)
            ck_assert_uint_ge(m[i - 1].freq, m[i].freq);
        found = found || (m[i].len == 9 && memcmp(m[i].word, "verhuizen", 9) == 0) ||
                (m[i].len == 10 && memcmp(m[i].word, "verhuizing", 10) == 0);
    }
    ck_assert(found);
    /* A swap of neighbours is one edit. */
    n = vb_vocab_correct(v, VB_LANG_NL, "facutur", 7, 1, m, 3);
    ck_assert_uint_ge(n, 1);
    ck_assert_uint_eq(m[0].len, 7);
    ck_assert(memcmp(m[0].word, "factuur", 7) == 0);
    ck_assert_uint_eq(m[0].edits, 1);
    /* Two letters replaced by two others: four bytes differ between the
     * words, which two edits can explain (the byte-set filter of
     * vocab.c must keep it). */
    n = vb_vocab_correct(v, VB_LANG_NL, "fbdtuur", 7, 2, m, 8);
    found = false;
    for (size_t i = 0; i < n; i++)
        found =
            found || (m[i].len == 7 && memcmp(m[i].word, "factuur", 7) == 0 &&
                      m[i].edits == 2);
    ck_assert(found);
    /* The word itself is no correction; history words are not there. */
    ck_assert_uint_gt(vb_vocab_freq(v, VB_LANG_NL, "factuur", 7), 0);
    vb_vocab_release(vocab);
}
END_TEST

/* ---- Query syntax --------------------------------------------------------- */

START_TEST(test_search_query_syntax_is_lenient_while_typing)
{
    static const char *const queries[] = {
        "\"meterstand door", "\"", "-", "- -", "\"\"", "-\"\"", "---x",
        "factuur -", "\"a\" \"b", "   ", "-factuur"};
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
        struct vb_search_request req;
        vb_search_request_init(&req);
        req.text = queries[i];
        req.text_len = strlen(queries[i]);
        struct vb_search_result *r = NULL;
        struct vb_error err = {0};
        enum vb_status st = vb_search_run(searcher, &req, &r, &err);
        /* Blank queries are refused without a customer; the rest run. */
        ck_assert_msg(st == VB_OK || (st == VB_EINVAL && strstr(err.msg, "empty")),
                      "%s: %s", queries[i], err.msg);
        vb_search_result_free(r);
    }
    struct vb_search_result *r = run("\"meterstand door", VB_LANG_NL, NULL);
    ck_assert(has_hit(r, "proc-meterstand-nl"));
    vb_search_result_free(r);
}
END_TEST

START_TEST(test_search_history_only_for_its_customer)
{
    struct vb_search_result *r = run("factuur", VB_LANG_NL, "C000123");
    bool history = false;
    for (size_t i = 0; i < r->hit_count; i++)
        if (strcmp(r->hits[i].type, "history") == 0) {
            history = true;
            ck_assert_str_eq(r->hits[i].customer, "C000123");
        }
    ck_assert(history);
    vb_search_result_free(r);
    r = run("factuur", VB_LANG_NL, NULL);
    for (size_t i = 0; i < r->hit_count; i++)
        ck_assert_str_ne(r->hits[i].type, "history");
    vb_search_result_free(r);
    /* Completions never come from history: a word only events hold. */
    struct vb_vocab *vocab = vb_search_engine_vocab(engine);
    struct vb_vocab_view all = {vocab, NULL};
    ck_assert_uint_eq(vb_vocab_freq(&all, VB_LANG_NL, "yannick", 7), 0);
    vb_vocab_release(vocab);
}
END_TEST

/* The title shows the match too, escaped, with <mark> as the only markup
 * (the phishing articles' titles hold HTML). */
START_TEST(test_search_title_marks_the_query_words)
{
    struct vb_search_result *r = run("factuur betwisten", VB_LANG_NL, NULL);
    ck_assert_uint_ge(r->hit_count, 1);
    ck_assert_str_eq(r->hits[0].id, "proc-factuur-betwisten-nl");
    ck_assert_str_eq(r->hits[0].title_html,
                     "Betwisting van een <mark>factuur</mark> behandelen");
    vb_search_result_free(r);
    r = run("phishing valse facturen", VB_LANG_NL, NULL);
    ck_assert_uint_ge(r->hit_count, 1);
    ck_assert_str_eq(r->hits[0].id, "proc-phishing-nl");
    ck_assert_ptr_null(strstr(r->hits[0].title_html, "<img"));
    ck_assert_ptr_null(strstr(r->hits[0].title_html, "<script"));
    ck_assert_ptr_nonnull(strstr(r->hits[0].title_html, "&lt;script&gt;"));
    ck_assert_ptr_nonnull(
        strstr(r->hits[0].title_html, "<mark>valse</mark> <mark>facturen</mark>"));
    vb_search_result_free(r);
}
END_TEST

/* Regression (issue 13): for C000123, who complained about a waiting
 * time, "klacht wachttijd" showed ten articles and "Bedoelde je: klacht
 * wachtrij?", with their own event out of sight.  Their event comes
 * first and their word is not corrected; for another customer it is. */
START_TEST(test_search_customer_event_first_and_not_corrected)
{
    struct vb_search_result *r = run("klacht wachttijd", VB_LANG_NL, "C000123");
    ck_assert_uint_ge(r->hit_count, 1);
    ck_assert_str_eq(r->hits[0].id, "hist-C000123-0017");
    ck_assert_ptr_null(r->suggestion);
    vb_search_result_free(r);
    r = run("klacht wachttijd", VB_LANG_NL, "C000150");
    ck_assert_ptr_nonnull(r->suggestion);
    for (size_t i = 0; i < r->hit_count; i++)
        ck_assert(!r->hits[i].customer ||
                  strcmp(r->hits[i].customer, "C000150") == 0);
    vb_search_result_free(r);
}
END_TEST

/* ---- The ranking model ------------------------------------------------ */

/* Their own small index: one directory of Markdown articles. */
static char model_dir[] = "/tmp/vb-test-model-XXXXXX";

/* A procedure in `dir`/`id`.md; `group` NULL: none. */
static void write_article(const char *dir, const char *id, const char *lang,
                          const char *group, const char *title,
                          const char *body)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s.md", dir, id);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "---\nid: %s\ntype: procedure\nlang: %s\n", id, lang);
    if (group)
        fprintf(f, "group: %s\n", group);
    fprintf(f, "title: %s\n---\n%s\n", title, body);
    ck_assert_int_eq(fclose(f), 0);
}

/* An engine and a searcher on the index in `dir`. */
static void open_searcher(const char *dir, struct vb_search_engine **e,
                          struct vb_searcher **s)
{
    struct vb_error err = {0};
    struct vb_search_engine_options eo = {.index_dir = dir};
    ck_assert_msg(vb_search_engine_new(&eo, e, &err) == VB_OK, "%s", err.msg);
    ck_assert_msg(vb_searcher_new(*e, s, &err) == VB_OK, "%s", err.msg);
}

static struct vb_search_result *run_limit(struct vb_searcher *s, const char *q,
                                          uint32_t limit,
                                          enum vb_search_mode mode)
{
    struct vb_search_request req;
    vb_search_request_init(&req);
    req.mode = mode;
    req.text = q;
    req.text_len = strlen(q);
    req.limit = limit;
    req.preferred_lang = VB_LANG_FR;
    return run_request(s, &req);
}

/* The first `n` hits of a and b are the same, in the same order. */
static void assert_same_head(const struct vb_search_result *a,
                             const struct vb_search_result *b, size_t n)
{
    ck_assert_uint_ge(a->hit_count, n);
    ck_assert_uint_ge(b->hit_count, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_str_eq(a->hits[i].id, b->hits[i].id);
}

START_TEST(test_search_model_function_words_and_pruning)
{
    ck_assert_ptr_nonnull(mkdtemp(model_dir));
    char src[sizeof model_dir + 8], dir[sizeof model_dir + 8];
    snprintf(src, sizeof src, "%s/src", model_dir);
    snprintf(dir, sizeof dir, "%s/index", model_dir);
    ck_assert_int_eq(mkdir(src, 0700), 0);
    /* Regression (issue 13): "Dans quelle réserve peut-on s'engager ?"
     * put first the fiche whose title says "peut-on", because that word
     * put it in the first tier. */
    write_article(src, "procuration", "fr", NULL, "Vote par procuration, peut-on voter pour un autre ?",
                  "La procuration permet de voter pour un autre électeur.");
    write_article(src, "comment-voter", "fr", NULL, "Comment voter",
                  "Par procuration ou en personne.");
    write_article(src, "reserve", "fr", NULL, "Réserve militaire",
                  "Vous pouvez vous engager dans la réserve opérationnelle "
                  "ou dans la réserve citoyenne.");
    /* A word many articles have in their title, and some only in their
     * body: a first page must be the head of a longer one. */
    for (int i = 0; i < 25; i++) {
        char id[16];
        snprintf(id, sizeof id, "a%02d", i);
        write_article(src, id, "nl", NULL, "Zwembad afsluiten", "Een korte tekst.");
    }
    write_article(src, "a25", "nl", NULL, "Andere dingen",
                  "Het zwembad, het zwembad, het zwembad en het zwembad.");
    write_article(src, "a26", "nl", NULL, "Nog iets",
                  "Zwembad afsluiten: het zwembad lekt al weken, afsluiten "
                  "lukt niet online.");
    /* The same words, and only in one are the two asked for neighbours
     * ("du" between them is a function word). */
    write_article(src, "prox1-far", "fr", NULL, "Note",
                  "Le remboursement du taux est possible. Le prêt anticipé "
                  "reste fixe.");
    write_article(src, "prox2-near", "fr", NULL, "Note",
                  "Le remboursement du prêt anticipé est possible. Le taux "
                  "reste fixe.");
    for (int i = 27; i < 170; i++) {
        char id[16];
        snprintf(id, sizeof id, "a%02d", i);
        write_article(src, id, "nl", NULL, "Glasvezel aansluiten", "Een modem en een router.");
    }
    index_sources(src, dir);
    struct vb_search_engine *e = NULL;
    struct vb_searcher *s = NULL;
    open_searcher(dir, &e, &s);

    struct vb_search_result *r = run_limit(
        s, "Dans quelle réserve peut-on s'engager ?", 10, VB_SEARCH_QUERY);
    ck_assert_uint_ge(r->hit_count, 1);
    ck_assert_str_eq(r->hits[0].id, "reserve");
    vb_search_result_free(r);
    /* Only function words: they are what was asked, and they find. */
    r = run_limit(s, "peut-on", 10, VB_SEARCH_QUERY);
    ck_assert_uint_ge(r->hit_count, 1);
    ck_assert_str_eq(r->hits[0].id, "procuration");
    vb_search_result_free(r);

    /* Beside a content word a function word adds a little of its weight
     * in the text field alone: its place in a title does not count.
     * Alone it is what was asked, and its title counts (both fields). */
    r = run_limit(s, "comment ?", 10, VB_SEARCH_QUERY);
    double alone = score_of(r, "comment-voter");
    vb_search_result_free(r);
    /* Scores on BM25's own scale (rank.c): one word, in both fields, is
     * at most (k1 + 1) x (1 + subject) x its idf, a few units here, not
     * the hundreds of the index's scaled frequencies. */
    ck_assert_msg(alone > 0 && alone < (vb_rank.bm25_k1 + 1) *
                                           (1 + vb_rank.subject) * 10,
                  "%g", alone);
    r = run_limit(s, "réserve comment ?", 10, VB_SEARCH_QUERY);
    ck_assert_str_eq(r->hits[0].id, "reserve");
    double beside = score_of(r, "comment-voter");
    vb_search_result_free(r);
    ck_assert_double_gt(beside, 0);
    /* vb_rank.function_word of the text field's weight only, less than
     * that share of both fields' */
    ck_assert_msg(beside < vb_rank.function_word * alone * 0.95,
                  "%g beside a content word, %g alone", beside, alone);

    /* Neighbours in the query and in the article: a bonus. */
    r = run_limit(s, "remboursement prêt", 10, VB_SEARCH_QUERY);
    ck_assert_uint_eq(r->hit_count, 2);
    ck_assert_str_eq(r->hits[0].id, "prox2-near");
    ck_assert_double_gt(r->hits[0].score, r->hits[1].score);
    vb_search_result_free(r);

    /* Xapian's pruning cannot change the answer: the page of ten is the
     * head of the page of a hundred, for a word and for a long text. */
    static const char mail[] =
        "Goedendag, ik wil mijn zwembad afsluiten. Het zwembad lekt al weken "
        "en afsluiten lukt niet online.";
    const struct {
        const char *text;
        enum vb_search_mode mode;
    } cases[] = {{"zwembad", VB_SEARCH_QUERY},
                 {"zwembad afsluiten", VB_SEARCH_QUERY},
                 {mail, VB_SEARCH_SUGGEST}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        struct vb_search_result *ten = run_limit(s, cases[c].text, 10, cases[c].mode);
        struct vb_search_result *all = run_limit(s, cases[c].text, 100, cases[c].mode);
        assert_same_head(ten, all, 10);
        ck_assert_uint_ge(all->hit_count, 27);
        vb_search_result_free(ten);
        vb_search_result_free(all);
    }

    /* `total` is one number whatever the page: exact up to 100 matches
     * (27 have "zwembad"), else 100 and not exact (143 have "glasvezel"),
     * and the hits past 100 are still there. */
    const struct {
        const char *text;
        uint32_t total;
        bool exact;
    } totals[] = {{"zwembad", 27, true}, {"glasvezel", 100, false}};
    for (size_t c = 0; c < sizeof totals / sizeof *totals; c++) {
        static const uint32_t limits[] = {1, 10, 100};
        for (size_t l = 0; l < 3; l++) {
            r = run_limit(s, totals[c].text, limits[l], VB_SEARCH_QUERY);
            ck_assert_uint_eq(r->total, totals[c].total);
            ck_assert_int_eq(r->total_exact, totals[c].exact);
            vb_search_result_free(r);
        }
    }
    struct vb_search_request req;
    vb_search_request_init(&req);
    req.text = "glasvezel";
    req.text_len = strlen(req.text);
    req.offset = 100;
    req.limit = 100;
    r = run_request(s, &req);
    ck_assert_uint_eq(r->hit_count, 43);
    vb_search_result_free(r);

    vb_searcher_free(s);
    vb_search_engine_free(e);
    vb_test_remove_tree(model_dir);
}
END_TEST

/* Two words typed apart that the articles write as one (issue 13):
 * Dutch always ("sim kaart" is "simkaart"); English and French only
 * where no article writes the two apart next to each other ("git hub"
 * is "github", but "free stream" and "freestream" both occur, so "free
 * stream" does not find the article that has only "freestream"). */
static char join_dir[] = "/tmp/vb-test-join-XXXXXX";

START_TEST(test_search_words_typed_apart_joined)
{
    ck_assert_ptr_nonnull(mkdtemp(join_dir));
    char src[sizeof join_dir + 8], dir[sizeof join_dir + 8];
    snprintf(src, sizeof src, "%s/src", join_dir);
    snprintf(dir, sizeof dir, "%s/index", join_dir);
    ck_assert_int_eq(mkdir(src, 0700), 0);
    write_article(src, "strike", "en", NULL, "Strikethrough on GitHub",
                  "Use two tildes around the words in GitHub Markdown.");
    write_article(src, "velocity", "en", NULL, "Free stream velocity",
                  "The free stream velocity ahead of the wing.");
    write_article(src, "turbulence", "en", NULL, "Turbulence",
                  "Freestream turbulence raises the transition.");
    write_article(src, "sim", "nl", NULL, "Simkaart kwijt",
                  "Blokkeer de simkaart meteen.");
    index_sources(src, dir);
    struct vb_search_engine *e = NULL;
    struct vb_searcher *s = NULL;
    open_searcher(dir, &e, &s);

    static const struct {
        const char *text, *first;
        uint32_t total;
    } cases[] = {{"git hub", "strike", 1},
                 {"sim kaart", "sim", 1},
                 {"free stream", "velocity", 1}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        struct vb_search_result *r =
            run_limit(s, cases[c].text, 10, VB_SEARCH_QUERY);
        ck_assert_msg(r->total == cases[c].total, "%s: %u hits", cases[c].text,
                      (unsigned)r->total);
        ck_assert_str_eq(r->hits[0].id, cases[c].first);
        vb_search_result_free(r);
    }
    vb_searcher_free(s);
    vb_search_engine_free(e);
    vb_test_remove_tree(join_dir);
}
END_TEST

/* A word the index does not know, corrected to one with its own stem
 * ("guides" to "guide"), matches what the word matches already: the
 * correction adds no weight, and there is nothing to suggest. */
static char stem_dir[] = "/tmp/vb-test-stem-XXXXXX";

START_TEST(test_search_correction_to_its_own_stem_adds_nothing)
{
    ck_assert_ptr_nonnull(mkdtemp(stem_dir));
    char src[sizeof stem_dir + 8], dir[sizeof stem_dir + 8];
    snprintf(src, sizeof src, "%s/src", stem_dir);
    snprintf(dir, sizeof dir, "%s/index", stem_dir);
    ck_assert_int_eq(mkdir(src, 0700), 0);
    write_article(src, "guide", "en", NULL, "Flight guide",
                  "The guide explains the flight plan.");
    write_article(src, "other", "en", NULL, "Landing",
                  "Nothing about it here.");
    index_sources(src, dir);
    struct vb_search_engine *e = NULL;
    struct vb_searcher *s = NULL;
    open_searcher(dir, &e, &s);

    struct vb_search_result *r = run_limit(s, "guide", 10, VB_SEARCH_QUERY);
    double known = score_of(r, "guide");
    vb_search_result_free(r);
    r = run_limit(s, "guides", 10, VB_SEARCH_QUERY);
    ck_assert(known > 0);
    ck_assert_msg(score_of(r, "guide") == known, "guides %g, guide %g",
                  score_of(r, "guide"), known);
    ck_assert_ptr_null(r->suggestion);
    vb_search_result_free(r);
    vb_searcher_free(s);
    vb_search_engine_free(e);
    vb_test_remove_tree(stem_dir);
}
END_TEST

/* The preferred language's boost reorders Xapian's hits: a hit ranked
 * past the first run's depth may still belong on the page, boosted.  The
 * French article weighs a little less than each of the 80 Dutch ones (a
 * longer text), so it comes 81st unboosted, and first for an agent who
 * prefers French.  Fails when the deeper run looks only for hits that
 * weigh as much as the page's last, unboosted (tried).  Rewritten in
 * Dutch, it must lose the boost at once, whether or not the engine has
 * read the new revision's languages yet (a race the test cannot force). */
static char boost_dir[] = "/tmp/vb-test-boost-XXXXXX";

START_TEST(test_search_boost_reaches_past_the_first_run)
{
    ck_assert_ptr_nonnull(mkdtemp(boost_dir));
    char src[sizeof boost_dir + 8], dir[sizeof boost_dir + 8];
    snprintf(src, sizeof src, "%s/src", boost_dir);
    snprintf(dir, sizeof dir, "%s/index", boost_dir);
    ck_assert_int_eq(mkdir(src, 0700), 0);
    for (int i = 0; i < 80; i++) {
        char id[16];
        snprintf(id, sizeof id, "nl%02d", i);
        write_article(src, id, "nl", NULL, "Zwembad afsluiten",
                      "Een korte tekst.");
    }
    for (int i = 0; i < 200; i++) {
        char id[16];
        snprintf(id, sizeof id, "other%03d", i);
        write_article(src, id, "nl", NULL, "Iets anders", "Een korte tekst.");
    }
    write_article(src, "fr-pool", "fr", NULL, "Zwembad afsluiten",
                  "Un texte bien plus long que les autres, avec des mots en "
                  "plus, encore des mots, toujours plus de mots, et une "
                  "phrase de plus pour finir.");
    struct vb_indexer_summary sum = index_sources(src, dir);
    struct vb_search_engine *e = NULL;
    struct vb_searcher *s = NULL;
    open_searcher(dir, &e, &s);

    struct vb_search_request req;
    vb_search_request_init(&req);
    req.text = "zwembad";
    req.text_len = strlen(req.text);
    req.limit = 100;
    struct vb_search_result *plain = run_request(s, &req);
    ck_assert_uint_eq(plain->total, 81);
    ck_assert_str_eq(plain->hits[80].id, "fr-pool");
    ck_assert_double_gt(plain->hits[80].score * vb_rank.preferred_lang,
                        plain->hits[0].score);

    struct vb_search_result *ten = run_limit(s, "zwembad", 10, VB_SEARCH_QUERY);
    struct vb_search_result *all =
        run_limit(s, "zwembad", 100, VB_SEARCH_QUERY);
    ck_assert_str_eq(ten->hits[0].id, "fr-pool");
    assert_same_head(ten, all, 10);
    vb_search_result_free(plain);
    vb_search_result_free(ten);
    vb_search_result_free(all);

    /* Rewritten in Dutch: the next search reads the new revision. */
    write_article(src, "fr-pool", "nl", NULL, "Zwembad afsluiten",
                  "Een veel langere tekst dan de andere, met meer woorden, "
                  "nog meer woorden, altijd meer woorden, en een zin om te "
                  "eindigen.");
    sum = index_sources(src, dir);
    ck_assert_uint_eq(sum.updated, 1);
    ten = run_limit(s, "zwembad", 10, VB_SEARCH_QUERY);
    ck_assert(!has_hit(ten, "fr-pool"));
    vb_search_result_free(ten);
    vb_searcher_free(s);
    vb_search_engine_free(e);
    vb_test_remove_tree(boost_dir);
}
END_TEST

/* Every document's language by docid, as the engine reads it once per
 * revision (langs.c): one per document, nothing past the last docid. */
static char langs_dir[] = "/tmp/vb-test-langs-XXXXXX";

START_TEST(test_search_doc_langs_by_docid)
{
    ck_assert_ptr_nonnull(mkdtemp(langs_dir));
    char src[sizeof langs_dir + 8], dir[sizeof langs_dir + 8];
    snprintf(src, sizeof src, "%s/src", langs_dir);
    snprintf(dir, sizeof dir, "%s/index", langs_dir);
    ck_assert_int_eq(mkdir(src, 0700), 0);
    write_article(src, "a-nl", "nl", NULL, "Zwembad", "Het zwembad is open.");
    write_article(src, "b-fr", "fr", NULL, "Piscine",
                  "La piscine est ouverte.");
    write_article(src, "c-en", "en", NULL, "Pool", "The pool is open.");
    write_article(src, "d-nl", "nl", NULL, "Sporthal", "De sporthal is open.");
    struct vb_error err = {0};
    index_sources(src, dir);
    struct vb_xapian_reader *reader = NULL;
    ck_assert_msg(vb_xapian_reader_open(dir, &reader, &err) == VB_OK, "%s",
                  err.msg);
    struct vb_doc_langs langs;
    ck_assert_msg(vb_doc_langs_read(reader, &langs, &err) == VB_OK, "%s",
                  err.msg);
    ck_assert_uint_eq(langs.count, 5); /* docids 1 to 4 */
    unsigned seen[VB_LANG_COUNT] = {0};
    for (uint32_t docid = 0; docid < langs.count; docid++)
        seen[vb_doc_lang(&langs, docid)]++;
    ck_assert_uint_eq(seen[VB_LANG_UNKNOWN], 1); /* docid 0 */
    ck_assert_uint_eq(seen[VB_LANG_NL], 2);
    ck_assert_uint_eq(seen[VB_LANG_FR], 1);
    ck_assert_uint_eq(seen[VB_LANG_EN], 1);
    ck_assert_int_eq(vb_doc_lang(&langs, 5), VB_LANG_UNKNOWN);
    ck_assert_int_eq(vb_doc_lang(&langs, UINT32_MAX), VB_LANG_UNKNOWN);
    vb_doc_langs_free(&langs);
    ck_assert_ptr_null(langs.lang);
    vb_xapian_reader_close(reader);
    vb_test_remove_tree(langs_dir);
}
END_TEST

/* A searcher keeps a group's language versions between requests, for the
 * revision it reads: a version added by a reindex shows at once. */
static char group_dir[] = "/tmp/vb-test-groups-XXXXXX";

static void write_version(const char *dir, const char *lang, const char *title)
{
    char id[16];
    snprintf(id, sizeof id, "pool-%s", lang);
    write_article(dir, id, lang, "pool", title, "Zwembad zwembad piscine pool.");
}

static size_t translation_count(struct vb_searcher *s)
{
    struct vb_search_result *r = run_limit(s, "zwembad", 10, VB_SEARCH_QUERY);
    ck_assert_uint_eq(r->hit_count, 1);
    size_t n = r->hits[0].translation_count;
    vb_search_result_free(r);
    return n;
}

START_TEST(test_search_kept_groups_follow_the_index)
{
    ck_assert_ptr_nonnull(mkdtemp(group_dir));
    char src[sizeof group_dir + 8], dir[sizeof group_dir + 8];
    snprintf(src, sizeof src, "%s/src", group_dir);
    snprintf(dir, sizeof dir, "%s/index", group_dir);
    ck_assert_int_eq(mkdir(src, 0700), 0);
    write_version(src, "nl", "Zwembad");
    write_version(src, "fr", "Piscine");
    index_sources(src, dir);
    struct vb_search_engine *e = NULL;
    struct vb_searcher *s = NULL;
    open_searcher(dir, &e, &s);
    ck_assert_uint_eq(translation_count(s), 1);
    ck_assert_uint_eq(translation_count(s), 1); /* now from what it kept */
    write_version(src, "en", "Pool");
    index_sources(src, dir);
    ck_assert_uint_eq(translation_count(s), 2);
    vb_searcher_free(s);
    vb_search_engine_free(e);
    vb_test_remove_tree(group_dir);
}
END_TEST

/* A searcher keeps decoded documents across revisions, but never one that
 * changed: a reindex that rewrites an article shows its new title and text
 * at once, and one that removes an article leaves it out.  A word it found
 * in no document is found once a reindex adds it. */
static char kept_dir[] = "/tmp/vb-test-kept-XXXXXX";

START_TEST(test_search_kept_documents_follow_the_index)
{
    ck_assert_ptr_nonnull(mkdtemp(kept_dir));
    char src[sizeof kept_dir + 8], dir[sizeof kept_dir + 8],
        gone[sizeof kept_dir + 32];
    snprintf(src, sizeof src, "%s/src", kept_dir);
    snprintf(dir, sizeof dir, "%s/index", kept_dir);
    snprintf(gone, sizeof gone, "%s/bad-b.md", src);
    ck_assert_int_eq(mkdir(src, 0700), 0);
    write_article(src, "bad-a", "nl", NULL, "Zwembad open",
                  "Het zwembad is open van negen tot vijf.");
    write_article(src, "bad-b", "nl", NULL, "Zwembad kassa",
                  "De kassa van het zwembad aanvaardt kaarten.");
    struct vb_indexer_summary sum = index_sources(src, dir);
    struct vb_search_engine *e = NULL;
    struct vb_searcher *s = NULL;
    open_searcher(dir, &e, &s);

    struct vb_search_result *r = run_limit(s, "zwembad", 10, VB_SEARCH_QUERY);
    ck_assert_ptr_nonnull(hit_of(r, "bad-a"));
    ck_assert_str_eq(hit_of(r, "bad-a")->title, "Zwembad open");
    ck_assert_ptr_nonnull(hit_of(r, "bad-b"));
    vb_search_result_free(r);
    /* A word no document holds yet: the searcher notes its terms as
     * absent (freqs.c), for this revision only. */
    r = run_limit(s, "werken ", 10, VB_SEARCH_QUERY);
    ck_assert_uint_eq(r->hit_count, 0);
    vb_search_result_free(r);

    /* bad-a rewritten, bad-b removed: a new revision. */
    write_article(src, "bad-a", "nl", NULL, "Zwembad gesloten",
                  "Het zwembad is gesloten wegens werken.");
    ck_assert_int_eq(unlink(gone), 0);
    sum = index_sources(src, dir);
    ck_assert_uint_eq(sum.updated, 1);
    ck_assert_uint_eq(sum.removed, 1);
    r = run_limit(s, "zwembad", 10, VB_SEARCH_QUERY);
    ck_assert_uint_eq(r->hit_count, 1);
    ck_assert_str_eq(r->hits[0].id, "bad-a");
    ck_assert_str_eq(r->hits[0].title, "Zwembad gesloten");
    ck_assert_ptr_nonnull(strstr(r->hits[0].snippet, "gesloten"));
    vb_search_result_free(r);
    r = run_limit(s, "werken ", 10, VB_SEARCH_QUERY);
    ck_assert_uint_eq(r->hit_count, 1);
    ck_assert_str_eq(r->hits[0].id, "bad-a");
    vb_search_result_free(r);

    /* Unchanged in the next revision: kept, and still right. */
    write_article(src, "bad-c", "nl", NULL, "Sporthal",
                  "De sporthal ligt naast het zwembad.");
    sum = index_sources(src, dir);
    ck_assert_uint_eq(sum.added, 1);
    r = run_limit(s, "zwembad gesloten", 10, VB_SEARCH_QUERY);
    ck_assert_ptr_nonnull(hit_of(r, "bad-a"));
    ck_assert_str_eq(hit_of(r, "bad-a")->title, "Zwembad gesloten");
    ck_assert_ptr_nonnull(strstr(hit_of(r, "bad-a")->snippet, "werken"));
    vb_search_result_free(r);
    vb_searcher_free(s);
    vb_search_engine_free(e);
    vb_test_remove_tree(kept_dir);
}
END_TEST

/* A searcher reads a kept Dutch text's tokens as far as a snippet needs
 * (snippet.c folds them once, on the way): a later query that needs to
 * read further marks what it finds there, compound parts included. */
static char scan_dir[] = "/tmp/vb-test-scan-XXXXXX";

START_TEST(test_search_snippets_read_kept_text_further)
{
    ck_assert_ptr_nonnull(mkdtemp(scan_dir));
    char src[sizeof scan_dir + 8], dir[sizeof scan_dir + 8];
    snprintf(src, sizeof src, "%s/src", scan_dir);
    snprintf(dir, sizeof dir, "%s/index", scan_dir);
    ck_assert_int_eq(mkdir(src, 0700), 0);
    char body[2048] = "Eerst de inleiding over het contract.";
    for (int i = 0; i < 40; i++)
        strcat(body, " Een zin over iets anders dan het onderwerp.");
    strcat(body, " Tot slot de GLASVEZELAANSLUITING in het appartement.");
    write_article(src, "lang-nl", "nl", NULL, "Contract", body);
    index_sources(src, dir);
    struct vb_search_engine *e = NULL;
    struct vb_searcher *s = NULL;
    open_searcher(dir, &e, &s);
    struct vb_search_result *r = run_limit(s, "inleiding", 10, VB_SEARCH_QUERY);
    ck_assert_uint_eq(r->hit_count, 1);
    ck_assert_ptr_nonnull(strstr(r->hits[0].snippet, "<mark>inleiding</mark>"));
    vb_search_result_free(r);
    r = run_limit(s, "aansluiting appartement", 10, VB_SEARCH_QUERY);
    ck_assert_uint_eq(r->hit_count, 1);
    ck_assert_msg(
        strstr(r->hits[0].snippet, "<mark>GLASVEZELAANSLUITING</mark>") &&
            strstr(r->hits[0].snippet, "<mark>appartement</mark>"),
        "%s", r->hits[0].snippet);
    vb_search_result_free(r);
    vb_searcher_free(s);
    vb_search_engine_free(e);
    vb_test_remove_tree(scan_dir);
}
END_TEST

/* A snippet is the window of SNIPPET_TOKENS (28) tokens, starting at the
 * top or at a match, with the most distinct query words (the first of
 * equals), shown from three tokens before its first match; scanning stops
 * at the first window that shows every word, or four of more. */
static int take_first_term(void *ctx, const struct vb_token *t)
{
    snprintf(ctx, VB_TERM_MAX + 1, "%s", t->terms[0]);
    return 1;
}

static char *snippet_of(struct vb_analyzer *analyzer,
                        struct vb_snippet_cache *cache,
                        const struct vb_term_set *terms, const char *text)
{
    struct vb_snippet_tokens tokens;
    ck_assert(vb_snippet_tokens_make(text, &tokens));
    vb_snippet_cache_begin(cache);
    char *out =
        vb_snippet_make(analyzer, terms, cache, text, VB_LANG_EN, &tokens);
    vb_snippet_tokens_free(&tokens);
    ck_assert_ptr_nonnull(out);
    return out;
}

/* `head` + 40 times "plain " + `tail`. */
static char *padded(const char *head, const char *tail)
{
    char *text = malloc(strlen(head) + 40 * 6 + strlen(tail) + 1);
    strcpy(text, head);
    for (int i = 0; i < 40; i++)
        strcat(text, "plain ");
    strcat(text, tail);
    return text;
}

START_TEST(test_search_snippet_window)
{
    struct vb_error err = {0};
    struct vb_analysis_data *data = NULL;
    struct vb_analyzer *analyzer = NULL;
    ck_assert(vb_analysis_data_new(&data, &err) == VB_OK);
    ck_assert(vb_analyzer_new(data, &analyzer, &err) == VB_OK);
    struct vb_snippet_cache *cache = vb_snippet_cache_new();
    ck_assert_ptr_nonnull(cache);
    static const char *const words[] = {"parrot", "walrus", "quokka", "ferret",
                                        "badger"};
    char terms[5][VB_TERM_MAX + 1];
    size_t ids[5];
    for (size_t i = 0; i < 5; i++) {
        ck_assert(vb_analyze_text(analyzer, words[i], strlen(words[i]),
                                  VB_LANG_EN, take_first_term, terms[i],
                                  &err) == VB_OK);
        ids[i] = i;
    }
    struct vb_term_set set = {.terms = terms, .words = ids, .count = 3};

    /* The window with all three words, not the top with one. */
    char *text = padded("parrot ", "parrot walrus quokka end");
    char *out = snippet_of(analyzer, cache, &set, text);
    ck_assert_msg(strncmp(out,
                          "… plain plain plain <mark>parrot</mark> "
                          "<mark>walrus</mark> <mark>quokka</mark> end",
                          strlen("… plain plain plain <mark>parrot</mark> "
                                 "<mark>walrus</mark> <mark>quokka</mark> "
                                 "end")) == 0,
                  "%s", out);
    free(out);
    free(text);

    /* Two words at the top, three further on: further on. */
    text = padded("parrot walrus ", "parrot walrus quokka");
    out = snippet_of(analyzer, cache, &set, text);
    ck_assert_msg(strstr(out, "<mark>quokka</mark>") && out[0] != 'p', "%s",
                  out);
    free(out);
    free(text);

    /* One word in each window: the first of equals, the top. */
    text = padded("parrot ", "walrus");
    out = snippet_of(analyzer, cache, &set, text);
    ck_assert_msg(strncmp(out, "<mark>parrot</mark> plain", 25) == 0 &&
                      !strstr(out, "walrus"),
                  "%s", out);
    free(out);
    free(text);

    /* Every word at the top: the scan stops there, the snippet ends
     * within the first 28 tokens. */
    text = padded("parrot walrus quokka ", "parrot walrus quokka");
    out = snippet_of(analyzer, cache, &set, text);
    ck_assert_msg(strncmp(out,
                          "<mark>parrot</mark> <mark>walrus</mark> "
                          "<mark>quokka</mark> plain",
                          strlen("<mark>parrot</mark> <mark>walrus</mark> "
                                 "<mark>quokka</mark> plain")) == 0,
                  "%s", out);
    const char *cut = strstr(out, " …");
    ck_assert_msg(cut && cut[strlen(" …")] == '\0', "%s", out);
    free(out);
    free(text);

    /* Five words: a window with four of them is enough, so a better one
     * further on is not looked for. */
    set.count = 5;
    text = padded("parrot walrus quokka ferret ",
                  "parrot walrus quokka ferret badger");
    out = snippet_of(analyzer, cache, &set, text);
    ck_assert_msg(strncmp(out, "<mark>parrot</mark>", 19) == 0 &&
                      !strstr(out, "badger"),
                  "%s", out);
    free(out);
    free(text);

    /* HTML's five characters as entities; a run of white space (a tab, a
     * line break, two spaces) one space, a single space kept. */
    set.count = 2;
    out = snippet_of(analyzer, cache, &set,
                     "Tom's  <b>\n\tparrot</b> & \"walrus\" \r\n end");
    ck_assert_str_eq(out, "Tom&#39;s &lt;b&gt; <mark>parrot</mark>&lt;/b&gt; "
                          "&amp; &quot;<mark>walrus</mark>&quot; end");
    free(out);

    vb_snippet_cache_free(cache);
    vb_analyzer_free(analyzer);
    vb_analysis_data_free(data);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("search");
    TCase *tc = tcase_create("engine");
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, setup_index, teardown_index);
    tcase_add_checked_fixture(tc, open_engine, close_engine);
    tcase_add_test(tc, test_search_termbank_loads_every_concept_in_three_languages);
    tcase_add_test(tc, test_search_termbank_crosses_languages);
    tcase_add_test(tc, test_search_synonym_files_are_read_and_reported);
    tcase_add_test(tc, test_search_vocabulary_completes_and_corrects);
    tcase_add_test(tc, test_search_query_syntax_is_lenient_while_typing);
    tcase_add_test(tc, test_search_history_only_for_its_customer);
    tcase_add_test(tc, test_search_customer_event_first_and_not_corrected);
    tcase_add_test(tc, test_search_title_marks_the_query_words);
    tcase_add_test(tc, test_search_small_index_decoded_when_warmed);
    suite_add_tcase(s, tc);
    TCase *model = tcase_create("model");
    tcase_set_timeout(model, 60);
    tcase_add_test(model, test_search_model_function_words_and_pruning);
    tcase_add_test(model, test_search_words_typed_apart_joined);
    tcase_add_test(model, test_search_correction_to_its_own_stem_adds_nothing);
    tcase_add_test(model, test_search_boost_reaches_past_the_first_run);
    tcase_add_test(model, test_search_doc_langs_by_docid);
    tcase_add_test(model, test_search_kept_groups_follow_the_index);
    tcase_add_test(model, test_search_kept_documents_follow_the_index);
    tcase_add_test(model, test_search_snippets_read_kept_text_further);
    tcase_add_test(model, test_search_snippet_window);
    suite_add_tcase(s, model);
    return vb_test_run(s);
}
