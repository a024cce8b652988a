/* Synthetic benchmark data (corpus/tools/gen_synthetic.c): every generated
 * document passes the project's own reader, and the data has the promised
 * shape (counts, types, languages, translation groups, customers).
 *
 * The directory to check comes from the environment:
 *   VB_SYNTHETIC_DIR=DIR with VB_SYNTHETIC_ARTICLES, VB_SYNTHETIC_EVENTS and
 *     VB_SYNTHETIC_CUSTOMERS: check DIR (tests/synthetic_generator.sh);
 *   otherwise VB_SYNTHETIC_GENERATOR=PATH (and VB_SYNTHETIC_CORPUS=DIR):
 *     generate 3000 articles, 20000 events for 500 customers into a
 *     temporary directory, check it and remove it (the CTest test);
 *   neither: skipped. */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "vb_document.h"

/* ==== What to check ===================================================== */

static char g_dir[4096];
static unsigned long g_articles, g_events, g_customers;

static const char *const LANGS[] = {"nl", "fr", "en"};

static int lang_index(const char *lang)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(lang, LANGS[i]) == 0)
            return i;
    return -1;
}

static void data_path(char *out, size_t n, const char *file)
{
    snprintf(out, n, "%s/%s", g_dir, file);
}

/* ==== Reading ============================================================ */

/* What the reader reported for one file, kept small: a few strings per
 * document, not the documents. */
struct entry {
    char *id;
    char *group; /* articles */
    int lang;
    bool product;
    size_t body_bytes;
    unsigned long customer; /* history: the number in S0000123 */
};

struct summary {
    struct entry *entries;
    size_t accepted, cap;
    size_t rejected;
    size_t
        bad_fields; /* documents whose fields break the generator's promises */
};

static void note_bad(struct summary *s, const struct vb_document *doc,
                     const char *why)
{
    if (s->bad_fields++ < 5)
        fprintf(stderr, "%s:%u: %s: %s\n", doc->source_path, doc->source_line,
                doc->id, why);
}

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool year_in(const char *date, int first, int last)
{
    int year = atoi(date);
    return strlen(date) >= 10 && year >= first && year <= last;
}

static int collect(void *ctx, struct vb_document *doc,
                   const struct vb_error *problems, size_t count)
{
    struct summary *s = ctx;
    if (!doc) {
        for (size_t i = 0; i < count && s->rejected < 5; i++)
            fprintf(stderr, "rejected: %s\n", problems[i].msg);
        s->rejected++;
        return 0;
    }
    if (s->accepted == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->entries = realloc(s->entries, s->cap * sizeof *s->entries);
        ck_assert_ptr_nonnull(s->entries);
    }
    struct entry *e = &s->entries[s->accepted++];
    memset(e, 0, sizeof *e);
    e->id = strdup(doc->id);
    e->group = strdup(doc->group);
    e->lang = lang_index(doc->lang);
    e->product = strcmp(doc->type, "product") == 0;
    e->body_bytes = strlen(doc->body_source);
    if (e->lang < 0)
        note_bad(s, doc, "lang is not nl, fr or en");
    if (strcmp(doc->type, "history") == 0) {
        char *end;
        e->customer =
            doc->customer[0] == 'S' ? strtoul(doc->customer + 1, &end, 10) : 0;
        if (strlen(doc->customer) != 8 || e->customer < 1 ||
            e->customer > g_customers)
            note_bad(s, doc, "customer out of range");
        if (!has_prefix(doc->id, "syn-ev-"))
            note_bad(s, doc, "id is not syn-ev-...");
        if (!year_in(doc->date, 2025, 2026) || strlen(doc->date) != 25)
            note_bad(s, doc, "date is not a 2025-2026 date-time with offset");
        if (doc->channel[0] == '\0')
            note_bad(s, doc, "no channel");
        if (e->body_bytes < 100 || e->body_bytes > 1000)
            note_bad(s, doc, "body is not 100-1000 bytes");
        if (doc->product_count == 0 || doc->tag_count == 0)
            note_bad(s, doc, "no products or no tags");
    } else {
        if (!e->product && strcmp(doc->type, "procedure") != 0)
            note_bad(s, doc, "type is neither product nor procedure");
        if (!has_prefix(doc->id, e->product ? "syn-prod-" : "syn-proc-"))
            note_bad(s, doc, "id does not match the type");
        if (!year_in(doc->updated, 2024, 2026))
            note_bad(s, doc, "updated is not a 2024-2026 date");
        if (doc->product_count == 0 || doc->tag_count < 2)
            note_bad(s, doc, "fewer than 1 product or 2 tags");
        if (!strstr(doc->body_source, "\n## ") || e->body_bytes > 16 * 1024)
            note_bad(s, doc, "body without a heading, or over 16 KB");
    }
    vb_document_free(doc);
    return 0;
}

static struct summary read_summary(const char *file)
{
    char path[4200];
    data_path(path, sizeof path, file);
    struct summary s = {0};
    struct vb_error err = {0};
    enum vb_status st = vb_document_read_file(path, collect, &s, &err);
    ck_assert_msg(st == VB_OK, "%s", err.msg);
    return s;
}

static void summary_free(struct summary *s)
{
    for (size_t i = 0; i < s->accepted; i++) {
        free(s->entries[i].id);
        free(s->entries[i].group);
    }
    free(s->entries);
    memset(s, 0, sizeof *s);
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->id, ((const struct entry *)b)->id);
}

static int by_group(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->group,
                  ((const struct entry *)b)->group);
}

static int by_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

static size_t duplicate_ids(struct summary *s)
{
    qsort(s->entries, s->accepted, sizeof *s->entries, by_id);
    size_t dup = 0;
    for (size_t i = 1; i < s->accepted; i++)
        dup += strcmp(s->entries[i - 1].id, s->entries[i].id) == 0;
    return dup;
}

/* ==== Tests ============================================================== */

START_TEST(test_synthetic_articles_validate)
{
    struct summary s = read_summary("articles.jsonl");
    ck_assert_uint_eq(s.rejected, 0);
    ck_assert_uint_eq(s.bad_fields, 0);
    ck_assert_uint_eq(s.accepted, g_articles);
    ck_assert_uint_eq(duplicate_ids(&s), 0);
    summary_free(&s);
}
END_TEST

START_TEST(test_synthetic_articles_shape)
{
    struct summary s = read_summary("articles.jsonl");
    ck_assert_uint_gt(s.accepted, 100);
    size_t per_lang[3] = {0}, products = 0;
    size_t *sizes = malloc(s.accepted * sizeof *sizes);
    ck_assert_ptr_nonnull(sizes);
    for (size_t i = 0; i < s.accepted; i++) {
        ck_assert_int_ge(s.entries[i].lang, 0);
        per_lang[s.entries[i].lang]++;
        products += s.entries[i].product;
        sizes[i] = s.entries[i].body_bytes;
    }
    /* ~50 % nl, ~33 % fr, ~17 % en; ~30 % product sheets */
    ck_assert_uint_gt(per_lang[0] * 100, s.accepted * 40);
    ck_assert_uint_lt(per_lang[0] * 100, s.accepted * 60);
    ck_assert_uint_gt(per_lang[1] * 100, s.accepted * 25);
    ck_assert_uint_lt(per_lang[1] * 100, s.accepted * 42);
    ck_assert_uint_gt(per_lang[2] * 100, s.accepted * 10);
    ck_assert_uint_lt(per_lang[2] * 100, s.accepted * 25);
    ck_assert_uint_gt(products * 100, s.accepted * 20);
    ck_assert_uint_lt(products * 100, s.accepted * 40);

    /* realistic lengths: median 1.5-2.5 KB give or take, a long tail */
    qsort(sizes, s.accepted, sizeof *sizes, by_size);
    size_t median = sizes[s.accepted / 2], largest = sizes[s.accepted - 1];
    ck_assert_uint_ge(median, 1200);
    ck_assert_uint_le(median, 3000);
    ck_assert_uint_ge(largest, 3 * median);
    free(sizes);

    /* at least 25 % of the articles are in a group with 2+ languages */
    qsort(s.entries, s.accepted, sizeof *s.entries, by_group);
    size_t grouped = 0;
    for (size_t i = 0; i < s.accepted;) {
        size_t j = i;
        unsigned langs = 0;
        while (j < s.accepted &&
               strcmp(s.entries[j].group, s.entries[i].group) == 0)
            langs |= 1u << s.entries[j++].lang;
        if (s.entries[i].group[0] && (langs & (langs - 1)))
            grouped += j - i;
        i = j;
    }
    ck_assert_uint_ge(grouped * 100, s.accepted * 25);
    summary_free(&s);
}
END_TEST

START_TEST(test_synthetic_history_validate)
{
    struct summary s = read_summary("history.jsonl");
    ck_assert_uint_eq(s.rejected, 0);
    ck_assert_uint_eq(s.bad_fields, 0);
    ck_assert_uint_eq(s.accepted, g_events);
    ck_assert_uint_eq(duplicate_ids(&s), 0);
    summary_free(&s);
}
END_TEST

START_TEST(test_synthetic_history_customers)
{
    struct summary s = read_summary("history.jsonl");
    ck_assert_uint_gt(s.accepted, 0);
    size_t *events = calloc(g_customers + 1, sizeof *events);
    int *lang = malloc((g_customers + 1) * sizeof *lang);
    ck_assert_ptr_nonnull(events);
    ck_assert_ptr_nonnull(lang);
    size_t lang_changes = 0, per_lang[3] = {0};
    for (size_t i = 0; i < s.accepted; i++) {
        const struct entry *e = &s.entries[i];
        ck_assert_int_ge(e->lang, 0);
        ck_assert_uint_ge(e->customer, 1);
        ck_assert_uint_le(e->customer, g_customers);
        if (events[e->customer]++ == 0)
            lang[e->customer] = e->lang;
        else
            lang_changes += lang[e->customer] != e->lang;
        per_lang[e->lang]++;
    }
    /* a customer speaks one language; all three are there */
    ck_assert_uint_eq(lang_changes, 0);
    for (int l = 0; l < 3; l++)
        ck_assert_uint_gt(per_lang[l], 0);
    /* skewed: the busiest customer has far more than the average */
    size_t busiest = 0;
    for (size_t c = 1; c <= g_customers; c++)
        if (events[c] > busiest)
            busiest = events[c];
    ck_assert_uint_ge(busiest, 3 * s.accepted / g_customers);
    free(events);
    free(lang);
    summary_free(&s);
}
END_TEST

/* ==== Setting up ========================================================= */

static unsigned long env_count(const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v) {
        fprintf(stderr, "%s is not set\n", name);
        exit(EXIT_FAILURE);
    }
    return strtoul(v, NULL, 10);
}

/* Runs the generator into g_dir; exits on failure (before any test). */
static void generate(const char *generator, const char *corpus)
{
    char articles[32], events[32], customers[32];
    snprintf(articles, sizeof articles, "%lu", g_articles);
    snprintf(events, sizeof events, "%lu", g_events);
    snprintf(customers, sizeof customers, "%lu", g_customers);
    char *argv[16];
    int argc = 0;
    argv[argc++] = (char *)generator;
    argv[argc++] = "--articles";
    argv[argc++] = articles;
    argv[argc++] = "--events";
    argv[argc++] = events;
    argv[argc++] = "--customers";
    argv[argc++] = customers;
    argv[argc++] = "--outdir";
    argv[argc++] = g_dir;
    if (corpus) {
        argv[argc++] = "--corpus";
        argv[argc++] = (char *)corpus;
    }
    argv[argc] = NULL;
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(EXIT_FAILURE);
    }
    if (pid == 0) {
        execv(generator, argv);
        perror(generator);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        fprintf(stderr, "%s failed\n", generator);
        exit(EXIT_FAILURE);
    }
}

static void remove_generated(void)
{
    char path[4200];
    data_path(path, sizeof path, "articles.jsonl");
    remove(path);
    data_path(path, sizeof path, "history.jsonl");
    remove(path);
    rmdir(g_dir);
}

int main(void)
{
    const char *dir = getenv("VB_SYNTHETIC_DIR");
    const char *generator = getenv("VB_SYNTHETIC_GENERATOR");
    bool made = false;
    if (dir && *dir) {
        snprintf(g_dir, sizeof g_dir, "%s", dir);
        g_articles = env_count("VB_SYNTHETIC_ARTICLES");
        g_events = env_count("VB_SYNTHETIC_EVENTS");
        g_customers = env_count("VB_SYNTHETIC_CUSTOMERS");
    } else if (generator && *generator) {
        const char *tmp = getenv("TMPDIR");
        snprintf(g_dir, sizeof g_dir, "%s/vb-synthetic.XXXXXX",
                 tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(g_dir)) {
            perror(g_dir);
            return EXIT_FAILURE;
        }
        made = true;
        g_articles = 3000;
        g_events = 20000;
        g_customers = 500;
        generate(generator, getenv("VB_SYNTHETIC_CORPUS"));
    } else {
        fprintf(stderr,
                "SKIP: set VB_SYNTHETIC_DIR or VB_SYNTHETIC_GENERATOR\n");
        return VB_TEST_SKIP;
    }

    Suite *s = suite_create("synthetic");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_synthetic_articles_validate);
    tcase_add_test(tc, test_synthetic_articles_shape);
    tcase_add_test(tc, test_synthetic_history_validate);
    tcase_add_test(tc, test_synthetic_history_customers);
    suite_add_tcase(s, tc);
    int rc = vb_test_run(s);
    if (made)
        remove_generated();
    return rc;
}
