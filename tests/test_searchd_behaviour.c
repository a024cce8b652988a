/* What a query means, over real HTTP against an index of corpus/ (issue 4,
 * "Tests"): one test per behaviour an agent relies on mid-call —
 * inflection, compounds, missing accents, French elision, typos with
 * transpositions, prefixes while typing, product codes, phrases,
 * exclusions, translation collapse, cross-language matches through the
 * term bank, synonym files reloaded live, customer isolation, suggest from
 * a long e-mail, and a reindex visible within a second.
 *
 * Every assertion is on hit ids, their order, snippets, `suggestion` or
 * stored documents; never on timings.  The two tests that wait for a
 * change (synonyms, reindex) poll every 50 ms within a bound and print how
 * long the change took.  Skipped when the test index is empty (no indexer
 * in the build). */
#include <ctype.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_searchd_util.h"
#include "testutil.h"

#define POLL_INTERVAL_MS 50

static struct sd_daemon daemon_;
static int port;
/* Temporary files of every test live under this directory, made and
 * removed by the fixture in the runner process: a test that fails (and
 * exits its fork at once) leaves nothing behind. */
static char work_dir[256];

static void start_daemon(void)
{
    ck_assert(sd_temp_dir("vb-behaviour-", work_dir, sizeof work_dir));
    ck_assert(sd_start(&daemon_, NULL));
    port = daemon_.port;
}

static void stop_daemon(void)
{
    ck_assert_int_eq(sd_stop(&daemon_, SIGTERM), 0);
    vb_test_remove_tree(work_dir);
}

/* ==== Helpers ============================================================ */

static const char *field(json_t *object, const char *name)
{
    return json_string_value(json_object_get(object, name));
}

/* GET /v1/search on `on_port` with `q` (encoded here) and `params`
 * ("&lang=nl&limit=5", may be ""); asserts 200 and returns the parsed
 * body. */
static json_t *search_on(int on_port, const char *q, const char *params)
{
    char *encoded = sd_url_encode(q, strlen(q));
    char target[2048];
    snprintf(target, sizeof target, "/v1/search?q=%s%s", encoded, params);
    free(encoded);
    int status = 0;
    json_t *root = sd_get_json(on_port, target, &status);
    ck_assert_msg(status == 200 && root, "%s: status %d", target, status);
    ck_assert_msg(json_is_array(json_object_get(root, "hits")),
                  "%s: no hits array", target);
    return root;
}

static json_t *search(const char *q, const char *params)
{
    return search_on(port, q, params);
}

static json_t *hits_of(json_t *root)
{
    return json_object_get(root, "hits");
}

static size_t hit_count(json_t *root)
{
    return json_array_size(hits_of(root));
}

/* The id of hit `i` ("" past the end). */
static const char *hit_id(json_t *root, size_t i)
{
    const char *id = field(json_array_get(hits_of(root), i), "id");
    return id ? id : "";
}

/* The position of `id` among the hits, or -1. */
static int rank_of(json_t *root, const char *id)
{
    size_t i;
    json_t *hit;
    json_array_foreach(hits_of(root), i, hit)
    {
        if (strcmp(field(hit, "id"), id) == 0)
            return (int)i;
    }
    return -1;
}

/* The hit ids as one line, for failure messages (static storage, valid
 * until the call after next: two may appear in one message). */
static const char *ids_of(json_t *root)
{
    static char lines[2][4096];
    static int turn;
    char *line = lines[turn];
    turn ^= 1;
    size_t used = 0, i;
    json_t *hit;
    line[0] = '\0';
    json_array_foreach(hits_of(root), i, hit)
    {
        int n = snprintf(line + used, sizeof lines[0] - used, "%s%s",
                         i ? " " : "", field(hit, "id"));
        if (n < 0 || (size_t)n >= sizeof lines[0] - used)
            break;
        used += (size_t)n;
    }
    return line[0] ? line : "(no hits)";
}

/* Failures collected over several cases, so that one run reports them
 * all; assert_no_failures fails the test with the lot. */
struct failures {
    char text[8192];
    size_t used;
};

static void failure_add(struct failures *f, const char *format, ...)
{
    if (f->used + 1 >= sizeof f->text)
        return;
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(f->text + f->used, sizeof f->text - f->used, format, ap);
    va_end(ap);
    if (n > 0)
        f->used += (size_t)n < sizeof f->text - f->used
                       ? (size_t)n
                       : sizeof f->text - f->used - 1;
    if (f->used + 2 < sizeof f->text) {
        f->text[f->used++] = '\n';
        f->text[f->used] = '\0';
    }
}

static void assert_no_failures(const struct failures *f)
{
    ck_assert_msg(f->used == 0, "\n%s", f->text);
}

/* Adds a failure unless two results list the same ids in the same order
 * (the first `n` of them). */
static void check_same_hits(struct failures *f, json_t *a, const char *qa,
                            json_t *b, const char *qb, size_t n)
{
    size_t na = hit_count(a) < n ? hit_count(a) : n;
    size_t nb = hit_count(b) < n ? hit_count(b) : n;
    bool same = na > 0 && na == nb;
    for (size_t i = 0; same && i < na; i++)
        same = strcmp(hit_id(a, i), hit_id(b, i)) == 0;
    if (same)
        return;
    failure_add(f, "first %zu hits differ:\n  '%s': %s\n  '%s': %s", n, qa,
                ids_of(a), qb, ids_of(b));
}

/* GET /v1/docs/{id} on `on_port`: the stored document (200 asserted). */
static json_t *document_on(int on_port, const char *id)
{
    char target[512];
    snprintf(target, sizeof target, "/v1/docs/%s", id);
    int status = 0;
    json_t *doc = sd_get_json(on_port, target, &status);
    ck_assert_msg(status == 200 && doc, "%s: status %d", target, status);
    return doc;
}

/* The document's title and body, lower-cased, accents on Latin letters
 * folded (UTF-8 é, ë, è, ... become e, etc.), Markdown punctuation and
 * every other non-alphanumeric byte a space, runs of spaces one space: a
 * text in which words can be found simply.  malloc'd. */
static char *plain_text(json_t *doc)
{
    const char *title = field(doc, "title");
    const char *body = field(doc, "body");
    size_t len = strlen(title ? title : "") + strlen(body ? body : "") + 3;
    char *joined = malloc(len);
    snprintf(joined, len, " %s %s", title ? title : "", body ? body : "");
    char *out = malloc(len + 1);
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)joined; *p; p++) {
        char c = ' ';
        if (p[0] == 0xC3 && p[1]) {
            /* Latin-1 supplement letters: fold to their base letter. */
            static const char fold[64] = "aaaaaaaceeeeiiiidnooooo ouuuuyts"
                                         "aaaaaaaceeeeiiiidnooooo ouuuuyty";
            c = fold[p[1] & 0x3F];
            p++;
        } else if (*p >= 0x80) {
            c = ' ';
        } else if (isalnum(*p)) {
            c = (char)tolower(*p);
        }
        if (c == ' ' && k > 0 && out[k - 1] == ' ')
            continue;
        out[k++] = c;
    }
    out[k] = '\0';
    free(joined);
    return out;
}

/* Whether the stored document `id` (on `on_port`) contains `needle` in
 * plain_text. */
static bool document_contains_on(int on_port, const char *id,
                                 const char *needle)
{
    json_t *doc = document_on(on_port, id);
    char *text = plain_text(doc);
    bool found = strstr(text, needle) != NULL;
    free(text);
    json_decref(doc);
    return found;
}

static bool document_contains(const char *id, const char *needle)
{
    return document_contains_on(port, id, needle);
}

/* Whether some snippet among the first `n` hits marks a word that starts
 * with `prefix` (case-insensitive). */
static bool marks_word_starting(json_t *root, size_t n, const char *prefix)
{
    size_t i;
    json_t *hit;
    json_array_foreach(hits_of(root), i, hit)
    {
        if (i >= n)
            break;
        const char *snippet = field(hit, "snippet");
        for (const char *m = snippet ? strstr(snippet, "<mark>") : NULL; m;
             m = strstr(m + 1, "<mark>"))
            if (strncasecmp(m + 6, prefix, strlen(prefix)) == 0)
                return true;
    }
    return false;
}

/* ==== 1. Inflection ====================================================== */

START_TEST(test_searchd_behaviour_inflection)
{
    /* Plural and singular are one word: the same top article.  The words
     * are given complete (a trailing space) so that only inflection is at
     * play, not the completion of a word still being typed. */
    json_t *plural = search("facturen ", "&lang=nl");
    json_t *singular = search("factuur ", "&lang=nl");
    ck_assert_uint_gt(hit_count(plural), 0);
    ck_assert_msg(strcmp(hit_id(plural, 0), hit_id(singular, 0)) == 0,
                  "top hits differ: 'facturen ' -> %s, 'factuur ' -> %s",
                  hit_id(plural, 0), hit_id(singular, 0));
    json_decref(plural);
    json_decref(singular);

    /* As typed (the last word also a prefix): each one's top article is
     * still among the other's first three. */
    plural = search("facturen", "&lang=nl");
    singular = search("factuur", "&lang=nl");
    int a = rank_of(singular, hit_id(plural, 0));
    int b = rank_of(plural, hit_id(singular, 0));
    ck_assert_msg(a >= 0 && a < 3 && b >= 0 && b < 3,
                  "as typed: 'facturen' -> %s; 'factuur' -> %s", ids_of(plural),
                  ids_of(singular));
    json_decref(plural);
    json_decref(singular);

    /* A participle finds the procedure about the noun. */
    json_t *root = search("verhuisd", "&lang=nl");
    ck_assert_msg(strcmp(hit_id(root, 0), "proc-verhuizing-nl") == 0,
                  "'verhuisd': %s", ids_of(root));
    json_decref(root);
}
END_TEST

/* ==== 2. Compounds ======================================================= */

START_TEST(test_searchd_behaviour_compounds)
{
    /* prod-fiber-1000-nl has "glasvezelaansluiting" and no "aansluiting" of
     * its own (checked on the stored document below). */
    const char *id = "prod-fiber-1000-nl";
    ck_assert(document_contains(id, "glasvezelaansluiting"));
    ck_assert(!document_contains(id, " aansluiting"));

    json_t *root = search("aansluiting", "&lang=nl&limit=20");
    int rank = rank_of(root, id);
    ck_assert_msg(rank >= 0, "'aansluiting' does not find %s: %s", id,
                  ids_of(root));
    const char *snippet =
        field(json_array_get(hits_of(root), (size_t)rank), "snippet");
    ck_assert_msg(strstr(snippet, "<mark>glasvezelaansluiting</mark>"),
                  "compound not highlighted: %s", snippet);
    json_decref(root);
}
END_TEST

/* ==== 3. Missing accents ================================================= */

START_TEST(test_searchd_behaviour_missing_accents)
{
    /* Agents on a keyboard without accents: the same hits, in the same
     * order, as the word written properly. */
    static const char *const pairs[][3] = {
        {"electricite", "électricité", "&lang=fr"},
        {"demenagement", "déménagement", "&lang=fr"},
        {"domiciliering", "domiciliëring", "&lang=nl"},
    };
    struct failures failures = {.used = 0};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        char params[64];
        snprintf(params, sizeof params, "%s&limit=10", pairs[i][2]);
        json_t *bare = search(pairs[i][0], params);
        json_t *accented = search(pairs[i][1], params);
        check_same_hits(&failures, accented, pairs[i][1], bare, pairs[i][0], 5);
        json_decref(bare);
        json_decref(accented);
    }
    assert_no_failures(&failures);
}
END_TEST

/* ==== 4. Elision ========================================================= */

START_TEST(test_searchd_behaviour_elision)
{
    static const char *const pairs[][2] = {
        {"l'électricité", "électricité"},
        {"l\xE2\x80\x99\xC3\xA9lectricit\xC3\xA9", "électricité"}, /* ’ */
        {"d'abonnement", "abonnement"},
    };
    struct failures failures = {.used = 0};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        json_t *elided = search(pairs[i][0], "&lang=fr&limit=10");
        json_t *bare = search(pairs[i][1], "&lang=fr&limit=10");
        check_same_hits(&failures, bare, pairs[i][1], elided, pairs[i][0], 5);
        json_decref(elided);
        json_decref(bare);
    }
    assert_no_failures(&failures);
}
END_TEST

/* ==== 5. Typos =========================================================== */

START_TEST(test_searchd_behaviour_typos)
{
    /* A swap of neighbours is one edit. */
    json_t *root = search("facutur", "&lang=nl");
    ck_assert_msg(hit_count(root) > 0, "'facutur' found nothing");
    ck_assert_msg(json_is_string(json_object_get(root, "suggestion")) &&
                      strcmp(field(root, "suggestion"), "factuur") == 0,
                  "'facutur': suggestion %s",
                  field(root, "suggestion") ? field(root, "suggestion")
                                            : "null");
    /* The hits are invoice documents: the correction is what matched. */
    for (size_t i = 0; i < hit_count(root) && i < 3; i++) {
        const char *snippet =
            field(json_array_get(hits_of(root), i), "snippet");
        ck_assert_msg(
            strstr(snippet, "<mark>factu") || strstr(snippet, "<mark>Factu"),
            "hit %s does not show factuur: %s", hit_id(root, i), snippet);
    }
    json_decref(root);

    root = search("verhuzing", "&lang=nl");
    ck_assert_msg(strcmp(hit_id(root, 0), "proc-verhuizing-nl") == 0,
                  "'verhuzing': %s", ids_of(root));
    ck_assert_msg(field(root, "suggestion") &&
                      strcmp(field(root, "suggestion"), "verhuizing") == 0,
                  "'verhuzing': suggestion %s",
                  field(root, "suggestion") ? field(root, "suggestion")
                                            : "null");
    double corrected = json_number_value(
        json_object_get(json_array_get(hits_of(root), 0), "score"));
    json_decref(root);

    /* Exact matches rank above corrected ones: the same article scores
     * higher for the word spelt right, and a word the index knows gets no
     * suggestion. */
    root = search("verhuizing", "&lang=nl");
    ck_assert_str_eq(hit_id(root, 0), "proc-verhuizing-nl");
    double exact = json_number_value(
        json_object_get(json_array_get(hits_of(root), 0), "score"));
    ck_assert_msg(exact > corrected, "exact %.2f <= corrected %.2f", exact,
                  corrected);
    json_decref(root);
    static const char *const known[] = {"factuur", "verhuizing", "meterstand",
                                        "domiciliëring", "facturen betalen"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        root = search(known[i], "&lang=nl");
        ck_assert_msg(hit_count(root) > 0, "'%s' found nothing", known[i]);
        ck_assert_msg(json_is_null(json_object_get(root, "suggestion")),
                      "'%s' got suggestion '%s'", known[i],
                      field(root, "suggestion"));
        json_decref(root);
    }
}
END_TEST

/* ==== 6. Prefixes ======================================================== */

START_TEST(test_searchd_behaviour_prefixes)
{
    json_t *typing = search("verhui", "&lang=nl&limit=50");
    ck_assert_msg(strcmp(hit_id(typing, 0), "proc-verhuizing-nl") == 0,
                  "'verhui': %s", ids_of(typing));
    ck_assert_msg(marks_word_starting(typing, 1, "verhui"),
                  "completion not highlighted: %s",
                  field(json_array_get(hits_of(typing), 0), "snippet"));
    /* A trailing space: the word is finished, no longer a prefix. */
    json_t *finished = search("verhui ", "&lang=nl&limit=50");
    ck_assert_msg(
        json_integer_value(json_object_get(finished, "total")) <
            json_integer_value(json_object_get(typing, "total")),
        "'verhui ' (%lld hits) matches as much as 'verhui' (%lld)",
        (long long)json_integer_value(json_object_get(finished, "total")),
        (long long)json_integer_value(json_object_get(typing, "total")));
    ck_assert_uint_lt(hit_count(finished), hit_count(typing));
    json_decref(typing);
    json_decref(finished);

    /* The last word completes even at its first letter: "factuur te h"
     * ranks invoices with a word in h (hoog, ...) first, unlike the
     * finished "factuur te h ". */
    typing = search("factuur te h", "&lang=nl&limit=10");
    finished = search("factuur te h ", "&lang=nl&limit=10");
    bool differ = hit_count(typing) != hit_count(finished);
    for (size_t i = 0; !differ && i < hit_count(typing); i++)
        differ = strcmp(hit_id(typing, i), hit_id(finished, i)) != 0;
    ck_assert_msg(differ,
                  "'factuur te h' is not completed: same hits as "
                  "'factuur te h ': %s",
                  ids_of(typing));
    ck_assert_msg(marks_word_starting(typing, 3, "h"),
                  "no completion of 'h' highlighted in the first hits: %s",
                  ids_of(typing));
    json_decref(typing);
    json_decref(finished);
}
END_TEST

/* ==== 7. Product codes =================================================== */

START_TEST(test_searchd_behaviour_product_codes)
{
    static const char *const forms[] = {"FIBER-500", "fiber500", "fiber 500",
                                        "Fiber-500 "};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        json_t *root = search(forms[i], "&lang=nl&limit=5");
        ck_assert_msg(strcmp(hit_id(root, 0), "prod-fiber-500-nl") == 0,
                      "'%s': %s", forms[i], ids_of(root));
        json_decref(root);
    }
}
END_TEST

/* ==== 8. Phrases and exclusions ========================================== */

/* Whether a plain text has "meterstand(en) doorgeven" (the words adjacent,
 * in either inflection of the first one). */
static bool has_phrase(const char *id)
{
    return document_contains(id, "meterstand doorgeven") ||
           document_contains(id, "meterstanden doorgeven");
}

START_TEST(test_searchd_behaviour_phrases)
{
    json_t *phrase = search("\"meterstand doorgeven\"", "&lang=nl&limit=100");
    ck_assert_msg(rank_of(phrase, "proc-meterstand-nl") == 0, "phrase: %s",
                  ids_of(phrase));
    size_t i;
    json_t *hit;
    json_array_foreach(hits_of(phrase), i, hit)
    {
        ck_assert_msg(has_phrase(field(hit, "id")),
                      "%s matches the phrase without the words adjacent",
                      field(hit, "id"));
    }

    /* Without quotes more documents match, some with both words apart:
     * those the phrase left out. */
    json_t *words = search("meterstand doorgeven ", "&lang=nl&limit=100");
    bool apart = false;
    json_array_foreach(hits_of(words), i, hit)
    {
        const char *id = field(hit, "id");
        if (rank_of(phrase, id) < 0 && document_contains(id, "meterstand"))
            apart = true;
    }
    ck_assert_msg(apart, "no document with the words apart: %s", ids_of(words));
    json_decref(words);
    json_decref(phrase);
}
END_TEST

START_TEST(test_searchd_behaviour_exclusions)
{
    json_t *all = search("factuur ", "&lang=nl&limit=100");
    json_t *root = search("factuur -domiciliëring", "&lang=nl&limit=100");
    ck_assert_uint_gt(hit_count(root), 0);
    ck_assert_uint_lt(hit_count(root), hit_count(all));
    ck_assert_int_lt(rank_of(root, "proc-domiciliering-nl"), 0);
    size_t i;
    json_t *hit;
    json_array_foreach(hits_of(root), i, hit)
    {
        /* Folded: domiciliëring, domiciliëringen, domiciliëringsmandaat. */
        ck_assert_msg(!document_contains(field(hit, "id"), "domiciliering"),
                      "'factuur -domiciliëring' shows %s, which contains "
                      "domiciliëring",
                      field(hit, "id"));
    }
    json_decref(root);
    json_decref(all);
}
END_TEST

/* ==== 9. Translation collapse ============================================ */

START_TEST(test_searchd_behaviour_translation_collapse)
{
    /* The query matches all three versions of proc-verhuizing. */
    static const char *const langs[] = {"nl", "fr", "en"};
    for (size_t l = 0; l < 3; l++) {
        char params[64];
        snprintf(params, sizeof params, "&lang=%s&limit=100", langs[l]);
        json_t *root = search("verhuizing déménagement moving", params);
        size_t i;
        json_t *hit;
        int seen = 0;
        json_array_foreach(hits_of(root), i, hit)
        {
            const char *group = field(hit, "group");
            if (!group)
                continue;
            /* One hit per group, for every group. */
            for (size_t j = 0; j < i; j++) {
                const char *other =
                    field(json_array_get(hits_of(root), j), "group");
                ck_assert_msg(!other || strcmp(other, group) != 0,
                              "lang=%s: group %s twice: %s", langs[l], group,
                              ids_of(root));
            }
            if (strcmp(group, "proc-verhuizing") != 0)
                continue;
            seen++;
            char expected[64];
            snprintf(expected, sizeof expected, "proc-verhuizing-%s", langs[l]);
            ck_assert_str_eq(field(hit, "id"), expected);
            ck_assert_str_eq(field(hit, "lang"), langs[l]);
            json_t *translations = json_object_get(hit, "translations");
            ck_assert_uint_eq(json_array_size(translations), 2);
            for (size_t o = 0; o < 3; o++) {
                if (o == l)
                    continue;
                char id[64];
                snprintf(id, sizeof id, "proc-verhuizing-%s", langs[o]);
                bool listed = false;
                size_t k;
                json_t *t;
                json_array_foreach(translations, k, t)
                {
                    if (strcmp(field(t, "id"), id) == 0 &&
                        strcmp(field(t, "lang"), langs[o]) == 0)
                        listed = true;
                }
                ck_assert_msg(listed, "lang=%s: %s not in translations",
                              langs[l], id);
            }
        }
        ck_assert_int_eq(seen, 1);
        json_decref(root);
    }
}
END_TEST

/* ==== 10. Cross-language through the term bank =========================== */

START_TEST(test_searchd_behaviour_cross_language)
{
    json_t *root = search("payment plan", "&lang=nl&limit=10");
    int rank = rank_of(root, "proc-afbetalingsplan-nl");
    ck_assert_msg(rank >= 0 && rank < 3, "'payment plan': %s", ids_of(root));
    json_decref(root);

    root = search("relevé de compteur", "&lang=nl&limit=10");
    ck_assert_msg(rank_of(root, "proc-meterstand-nl") == 0,
                  "'relevé de compteur': %s", ids_of(root));
    json_decref(root);

    /* Articles that exist only in French, found with Dutch words from the
     * term bank (formulewijziging = changement de formule; schadevergoeding
     * = compensation); no Dutch version to show instead. */
    static const char *const cases[][2] = {
        {"formulewijziging", "proc-changement-formule-fr"},
        {"schadevergoeding", "proc-compensation-panne-fr"},
    };
    for (size_t i = 0; i < 2; i++) {
        root = search(cases[i][0], "&lang=nl&limit=10");
        rank = rank_of(root, cases[i][1]);
        ck_assert_msg(rank >= 0 && rank < 3, "'%s': %s", cases[i][0],
                      ids_of(root));
        json_t *hit = json_array_get(hits_of(root), (size_t)rank);
        ck_assert_str_eq(field(hit, "lang"), "fr");
        ck_assert_uint_eq(json_array_size(json_object_get(hit, "translations")),
                          0);
        json_decref(root);
    }
}
END_TEST

/* A fresh directory `name` under the suite's work directory, in `out`. */
static void make_temp_dir(const char *name, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s/%s", work_dir, name);
    ck_assert(n > 0 && (size_t)n < cap);
    ck_assert_msg(mkdir(out, 0755) == 0, "cannot make %s", out);
}

/* ==== 11. Synonyms reloaded live ========================================= */

/* Polls `q` on `on_port` every POLL_INTERVAL_MS for at most `bound_ms`
 * until it has hits (want_hits) or none; returns the result then (or the
 * last one) and the time it took in *took_ms. */
static json_t *poll_search(int on_port, const char *q, const char *params,
                           bool want_hits, int bound_ms, long long *took_ms)
{
    long long start = sd_now_ms();
    for (;;) {
        json_t *root = search_on(on_port, q, params);
        bool has = hit_count(root) > 0;
        *took_ms = sd_now_ms() - start;
        if (has == want_hits || *took_ms >= bound_ms)
            return root;
        json_decref(root);
        sd_sleep_ms(POLL_INTERVAL_MS);
    }
}

/* The warnings of /v1/health as one line, "" when there are none (static
 * buffer). */
static const char *health_warnings(int on_port)
{
    static char line[1024];
    line[0] = '\0';
    int status = 0;
    json_t *health = sd_get_json(on_port, "/v1/health", &status);
    ck_assert_int_eq(status, 200);
    ck_assert_str_eq(field(health, "status"), "ok");
    json_t *warnings = json_object_get(health, "warnings");
    size_t i;
    json_t *w;
    json_array_foreach(warnings, i, w)
    {
        size_t used = strlen(line);
        snprintf(line + used, sizeof line - used, "%s%s", i ? " | " : "",
                 json_string_value(w) ? json_string_value(w) : "?");
    }
    json_decref(health);
    return line;
}

START_TEST(test_searchd_behaviour_synonyms_live)
{
    char dir[256], path[512];
    make_temp_dir("synonyms", dir, sizeof dir);
    char from[512], to[512];
    static const char *const langs[] = {"nl", "fr", "en"};
    for (size_t l = 0; l < 3; l++) {
        snprintf(from, sizeof from, "%s/corpus/synonyms/synonyms-%s.txt",
                 VB_SOURCE_DIR, langs[l]);
        snprintf(to, sizeof to, "%s/synonyms-%s.txt", dir, langs[l]);
        ck_assert(sd_copy_tree(from, to));
    }
    snprintf(path, sizeof path, "%s/synonyms-nl.txt", dir);
    size_t len = 0;
    char *original = vb_test_read_file(path, &len);
    ck_assert_ptr_nonnull(original);

    struct sd_daemon own;
    const char *const args[] = {"--synonyms", dir, NULL};
    ck_assert(sd_start(&own, args));
    ck_assert_str_eq(health_warnings(own.port), "");

    json_t *root = search_on(own.port, "zwibbelstroom", "&lang=nl");
    ck_assert_msg(hit_count(root) == 0, "a made-up word found: %s",
                  ids_of(root));
    json_decref(root);

    /* An editor adds a group; no restart. */
    size_t cap = len + 256;
    char *edited = malloc(cap);
    snprintf(edited, cap, "%s\nzwibbelstroom, elektriciteit\n", original);
    ck_assert(sd_replace_file(path, edited));
    long long took = 0;
    root =
        poll_search(own.port, "zwibbelstroom", "&lang=nl", true, 3000, &took);
    printf("synonyms: new group used after %lld ms\n", took);
    ck_assert_msg(hit_count(root) > 0, "synonym not picked up within 3 s");
    char first[256];
    snprintf(first, sizeof first, "%s", hit_id(root, 0));
    json_decref(root);
    ck_assert_msg(document_contains_on(own.port, first, "elektriciteit"),
                  "'zwibbelstroom' -> %s, which has no elektriciteit", first);

    /* A bad line: the previous synonyms stay, health says what is wrong. */
    snprintf(edited, cap, "%s\nzwibbelstroom, elektriciteit\nzwibbelgas\n",
             original);
    ck_assert(sd_replace_file(path, edited));
    long long start = sd_now_ms();
    const char *warnings = health_warnings(own.port);
    while (!warnings[0] && sd_now_ms() - start < 3000) {
        sd_sleep_ms(POLL_INTERVAL_MS);
        warnings = health_warnings(own.port);
    }
    printf("synonyms: bad line reported after %lld ms: %s\n",
           sd_now_ms() - start, warnings);
    ck_assert_msg(strstr(warnings, "synonyms-nl.txt"),
                  "health does not report the bad file: '%s'", warnings);
    root = search_on(own.port, "zwibbelstroom", "&lang=nl");
    ck_assert_msg(hit_count(root) > 0, "the previous synonyms were dropped");
    ck_assert_str_eq(hit_id(root, 0), first);
    json_decref(root);
    ck_assert(sd_alive(&own));

    ck_assert_int_eq(sd_stop(&own, SIGTERM), 0);
    free(edited);
    free(original);
    vb_test_remove_tree(dir);
}
END_TEST

/* ==== 12. Customer isolation ============================================= */

/* Seconds since the epoch of an ISO 8601 date or date-time
 * ("2026-03-14", "2026-03-14T10:42:00+01:00", "...Z"); asserts the
 * form. */
static long long epoch_seconds(const char *iso)
{
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, consumed = 0;
    ck_assert_msg(sscanf(iso, "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) == 3,
                  "not a date: %s", iso);
    const char *rest = iso + consumed;
    long long offset = 0;
    if (*rest == 'T') {
        int n = 0;
        ck_assert_msg(sscanf(rest, "T%2d:%2d%n", &h, &mi, &n) == 2,
                      "not a time: %s", iso);
        rest += n;
        if (*rest == ':' && sscanf(rest, ":%2d%n", &s, &n) == 1)
            rest += n;
        while (*rest == '.' || isdigit((unsigned char)*rest))
            rest++;
        if (*rest == '+' || *rest == '-') {
            int oh = 0, om = 0;
            ck_assert(sscanf(rest + 1, "%2d:%2d", &oh, &om) == 2);
            offset = (*rest == '+' ? 1 : -1) * (oh * 3600LL + om * 60LL);
        }
    }
    /* Days from civil (Howard Hinnant's algorithm). */
    y -= mo <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long long days = era * 146097 + doe - 719468;
    return days * 86400 + h * 3600LL + mi * 60LL + s - offset;
}

START_TEST(test_searchd_behaviour_customer_isolation)
{
    size_t i;
    json_t *hit;
    int history = 0;
    json_t *root = search("factuur", "&customer=C000123&limit=100");
    json_array_foreach(hits_of(root), i, hit)
    {
        const char *customer = field(hit, "customer");
        bool is_history = strcmp(field(hit, "type"), "history") == 0;
        ck_assert_msg(!is_history || (customer && !strcmp(customer, "C000123")),
                      "%s of customer %s shown for C000123", field(hit, "id"),
                      customer ? customer : "null");
        ck_assert_msg(is_history || !customer, "%s has customer %s",
                      field(hit, "id"), customer);
        history += is_history;
    }
    ck_assert_msg(history > 0, "no history of C000123 for 'factuur': %s",
                  ids_of(root));
    json_decref(root);

    /* Without a customer: no history at all. */
    root = search("factuur", "&limit=100");
    json_array_foreach(hits_of(root), i, hit)
    {
        ck_assert_str_ne(field(hit, "type"), "history");
        ck_assert(json_is_null(json_object_get(hit, "customer")));
    }
    json_decref(root);

    /* An empty q lists the customer's events, newest first. */
    root = search("", "&customer=C000123&limit=100");
    ck_assert_uint_gt(hit_count(root), 1);
    long long previous = 0;
    char event_id[128] = "";
    json_array_foreach(hits_of(root), i, hit)
    {
        ck_assert_str_eq(field(hit, "type"), "history");
        ck_assert_str_eq(field(hit, "customer"), "C000123");
        const char *date = field(hit, "date");
        ck_assert_ptr_nonnull(date);
        long long t = epoch_seconds(date);
        ck_assert_msg(i == 0 || t <= previous,
                      "%s (%s) listed after an older event", field(hit, "id"),
                      date);
        previous = t;
        if (!event_id[0])
            snprintf(event_id, sizeof event_id, "%s", field(hit, "id"));
    }
    json_decref(root);

    /* The event itself: only with its own customer. */
    char target[256];
    int status = 0;
    static const char *const queries[][2] = {{"", "404"},
                                             {"?customer=C000124", "404"},
                                             {"?customer=C000123", "200"}};
    for (size_t k = 0; k < 3; k++) {
        snprintf(target, sizeof target, "/v1/docs/%s%s", event_id,
                 queries[k][0]);
        json_t *doc = sd_get_json(port, target, &status);
        ck_assert_msg(status == atoi(queries[k][1]), "%s: %d", target, status);
        if (status == 200)
            ck_assert_str_eq(field(doc, "customer"), "C000123");
        else
            ck_assert_ptr_null(json_object_get(doc, "body"));
        json_decref(doc);
    }
}
END_TEST

/* ==== 13. Suggest from a long e-mail ===================================== */

static const char email_nl[] =
    "Beste klantendienst,\n\n"
    "Op 1 september ben ik met mijn gezin verhuisd van de Kerkstraat 14 in "
    "Antwerpen naar de Vijverlaan 7 in Mechelen. Ik heb de verhuizing drie "
    "weken op voorhand telefonisch doorgegeven en de medewerker heeft toen "
    "beloofd dat mijn internet, tv en vaste lijn op de verhuisdag zouden "
    "meeverhuizen. Op het nieuwe adres heeft de technicus alles netjes "
    "geïnstalleerd, daar ben ik tevreden over.\n\n"
    "Maar nu kreeg ik gisteren mijn factuur van september en ik schrok me "
    "een hoedje: het bedrag is bijna het dubbele van wat ik normaal betaal. "
    "Als ik de factuur goed lees, rekenen jullie het abonnement nog steeds "
    "aan voor het oude adres én voor het nieuwe adres, en er staan ook "
    "installatiekosten op, terwijl me gezegd werd dat de installatie gratis "
    "was bij een verhuizing. Die factuur is dus veel te hoog en ik ga niet "
    "akkoord met dit bedrag.\n\n"
    "Ik betaal via domiciliëring, dus het geld wordt binnen enkele dagen "
    "automatisch van mijn rekening gehaald. Kunnen jullie het verkeerde deel "
    "van de factuur tegenhouden of terugbetalen? Ik wil deze factuur "
    "officieel betwisten. Graag had ik ook een bevestiging dat mijn oude "
    "adres definitief is afgesloten, zodat ik volgende maand niet opnieuw "
    "voor twee adressen moet betalen.\n\n"
    "Mijn klantnummer is 4021 7789 en u kunt mij overdag bereiken op "
    "0470 12 34 56. Ik hoop dat dit snel in orde komt, want anders dien ik "
    "een klacht in bij de ombudsdienst.\n\n"
    "Met vriendelijke groeten,\nJan Peeters\n";

static const char email_fr[] =
    "Madame, Monsieur,\n\n"
    "Le 1er septembre, j'ai déménagé avec ma famille de la rue de la Station "
    "12 à Namur vers la rue des Champs 19 à Wavre. J'avais signalé mon "
    "déménagement par téléphone trois semaines à l'avance et votre collègue "
    "m'avait promis qu'internet, la télévision et la ligne fixe seraient "
    "transférés le jour même. Le technicien est bien passé à la nouvelle "
    "adresse et tout fonctionne, je n'ai rien à redire à ce sujet.\n\n"
    "En revanche, j'ai reçu hier ma facture de septembre et le montant est "
    "presque le double de ce que je paie d'habitude. Si je lis bien la "
    "facture, vous facturez toujours l'abonnement pour l'ancienne adresse en "
    "plus de la nouvelle, et des frais d'installation ont été ajoutés alors "
    "qu'on m'avait dit que l'installation était gratuite en cas de "
    "déménagement. Cette facture est donc beaucoup trop élevée et je "
    "conteste ce montant.\n\n"
    "Je paie par domiciliation et la somme sera prélevée automatiquement sur "
    "mon compte dans quelques jours. Pouvez-vous bloquer la partie erronée "
    "de la facture ou me la rembourser ? Je souhaite contester officiellement "
    "cette facture. Je voudrais aussi une confirmation que l'ancienne "
    "adresse est bien clôturée, pour ne pas payer deux adresses le mois "
    "prochain.\n\n"
    "Mon numéro de client est 4021 7789 et vous pouvez me joindre en journée "
    "au 0470 12 34 56. J'espère que cela sera réglé rapidement, sinon je "
    "déposerai une plainte auprès du service de médiation.\n\n"
    "Veuillez agréer mes salutations distinguées,\nMarie Dubois\n";

START_TEST(test_searchd_behaviour_suggest_email)
{
    static const struct {
        const char *lang, *text, *moving;
        const char *invoice[3]; /* any one of these: the invoice part */
    } cases[] = {
        {"nl",
         email_nl,
         "proc-verhuizing-nl",
         {"proc-factuur-betwisten-nl", "proc-klacht-nl",
          "proc-terugbetaling-nl"}},
        {"fr",
         email_fr,
         "proc-verhuizing-fr",
         {"proc-factuur-betwisten-fr", "proc-klacht-fr",
          "proc-terugbetaling-fr"}},
    };
    struct failures failures = {.used = 0};
    for (size_t c = 0; c < 2; c++) {
        ck_assert_uint_gt(strlen(cases[c].text), 1300);
        json_t *request = json_pack("{s:s, s:s, s:i}", "text", cases[c].text,
                                    "lang", cases[c].lang, "limit", 5);
        char *body = json_dumps(request, 0);
        json_decref(request);
        struct sd_response r;
        ck_assert(sd_post_json(port, "/v1/suggest", body, &r));
        free(body);
        ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
        json_t *root = sd_json(&r);
        sd_response_free(&r);
        ck_assert_uint_le(hit_count(root), 5);
        printf("suggest (%s e-mail): %s\n", cases[c].lang, ids_of(root));
        if (rank_of(root, cases[c].moving) < 0)
            failure_add(&failures,
                        "%s e-mail about moving: %s not in the top 5: %s",
                        cases[c].lang, cases[c].moving, ids_of(root));
        bool invoice = false;
        for (size_t k = 0; k < 3; k++)
            invoice |= rank_of(root, cases[c].invoice[k]) >= 0;
        if (!invoice)
            failure_add(&failures,
                        "%s e-mail about a too-high invoice: no invoice or "
                        "complaint procedure in the top 5: %s",
                        cases[c].lang, ids_of(root));
        json_decref(root);
    }
    assert_no_failures(&failures);
}
END_TEST

/* ==== 14. Live reindex =================================================== */

/* Runs the indexer on `corpus` into `index`; asserts exit status 0. */
static void run_indexer(const char *index, const char *corpus)
{
    static char out[8192], err[65536];
    const char *const args[] = {"--index", index, corpus, NULL};
    int status =
        sd_run_program(VB_INDEXER_PATH, args, out, sizeof out, err, sizeof err);
    ck_assert_msg(status == 0, "indexer exit %d: %s", status, err);
}

START_TEST(test_searchd_behaviour_live_reindex)
{
    char dir[256], corpus[300], index[300], from[512], to[512];
    make_temp_dir("reindex", dir, sizeof dir);
    snprintf(corpus, sizeof corpus, "%s/corpus", dir);
    snprintf(index, sizeof index, "%s/index", dir);
    ck_assert_int_eq(mkdir(corpus, 0755), 0);
    static const char *const parts[] = {"products", "procedures", "history"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(from, sizeof from, "%s/corpus/%s", VB_SOURCE_DIR, parts[i]);
        snprintf(to, sizeof to, "%s/%s", corpus, parts[i]);
        ck_assert(sd_copy_tree(from, to));
    }
    run_indexer(index, corpus);

    struct sd_daemon own;
    const char *const args[] = {"--index", index, NULL};
    ck_assert(sd_start(&own, args));
    const char *word = "kwispelfluitje ";
    json_t *root = search_on(own.port, word, "&lang=nl");
    ck_assert_uint_eq(hit_count(root), 0);
    json_decref(root);

    /* An editor adds an article and reindexes; the daemon is not told. */
    char path[600];
    snprintf(path, sizeof path, "%s/procedures/proc-kwispelfluitje-nl.md",
             corpus);
    ck_assert(sd_write_file(
        path, "---\n"
              "id: proc-kwispelfluitje-nl\n"
              "type: procedure\n"
              "lang: nl\n"
              "title: Het kwispelfluitje resetten\n"
              "updated: 2026-11-20\n"
              "---\n"
              "# Het kwispelfluitje resetten\n\n"
              "Een klant die belt over een kwispelfluitje dat niet meer "
              "fluit, laat het toestel tien seconden los van de stroom en "
              "start het daarna opnieuw op.\n"));
    run_indexer(index, corpus);
    long long took = 0;
    root = poll_search(own.port, word, "&lang=nl", true, 2000, &took);
    printf("reindex: new article found %lld ms after the indexer ended\n",
           took);
    ck_assert_msg(hit_count(root) > 0, "new article not visible within 2 s");
    ck_assert_str_eq(hit_id(root, 0), "proc-kwispelfluitje-nl");
    json_decref(root);

    /* Deleted and reindexed: gone the same way. */
    ck_assert_int_eq(unlink(path), 0);
    run_indexer(index, corpus);
    root = poll_search(own.port, word, "&lang=nl", false, 2000, &took);
    printf("reindex: deleted article gone %lld ms after the indexer ended\n",
           took);
    ck_assert_msg(hit_count(root) == 0, "deleted article still found: %s",
                  ids_of(root));
    json_decref(root);
    char target[128];
    int status = 0;
    snprintf(target, sizeof target, "/v1/docs/proc-kwispelfluitje-nl");
    json_decref(sd_get_json(own.port, target, &status));
    ck_assert_int_eq(status, 404);

    ck_assert_int_eq(sd_stop(&own, SIGTERM), 0);
    vb_test_remove_tree(dir);
}
END_TEST

int main(void)
{
#if !VB_SEARCHD_TEST_CORPUS
    fprintf(stderr, "SKIP: the test index is empty (vraagbaak-indexer is not "
                    "part of the build)\n");
    return VB_TEST_SKIP;
#endif
    /* Printed progress (poll times) in order with Check's output. */
    setvbuf(stdout, NULL, _IOLBF, 0);
    Suite *suite = suite_create("searchd_behaviour");
    TCase *tc = tcase_create("behaviour");
    tcase_add_unchecked_fixture(tc, start_daemon, stop_daemon);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_searchd_behaviour_inflection);
    tcase_add_test(tc, test_searchd_behaviour_compounds);
    tcase_add_test(tc, test_searchd_behaviour_missing_accents);
    tcase_add_test(tc, test_searchd_behaviour_elision);
    tcase_add_test(tc, test_searchd_behaviour_typos);
    tcase_add_test(tc, test_searchd_behaviour_prefixes);
    tcase_add_test(tc, test_searchd_behaviour_product_codes);
    tcase_add_test(tc, test_searchd_behaviour_phrases);
    tcase_add_test(tc, test_searchd_behaviour_exclusions);
    tcase_add_test(tc, test_searchd_behaviour_translation_collapse);
    tcase_add_test(tc, test_searchd_behaviour_cross_language);
    tcase_add_test(tc, test_searchd_behaviour_synonyms_live);
    tcase_add_test(tc, test_searchd_behaviour_customer_isolation);
    tcase_add_test(tc, test_searchd_behaviour_suggest_email);
    tcase_add_test(tc, test_searchd_behaviour_live_reindex);
    suite_add_tcase(suite, tc);
    return vb_test_run(suite);
}
