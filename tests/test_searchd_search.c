/* Search results over HTTP against an index of corpus/ (Contract 3 as the
 * widget and CRM integrations read it): hits with every field, HTML-safe
 * snippets, one hit per translation group in the preferred language,
 * filters, paging, facets, customer history only for the customer named,
 * suggest from a long e-mail, and GET /v1/docs/{id} for a hit.
 *
 * What ranks first for which query is the search engine's to test; these
 * tests hold the HTTP layer to the response contract on real results.
 * Skipped when the test index is empty (no indexer in the build). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_searchd_util.h"
#include "testutil.h"

static struct sd_daemon daemon_;
static int port;

static void start_daemon(void)
{
    ck_assert(sd_start(&daemon_, NULL));
    port = daemon_.port;
}

static void stop_daemon(void)
{
    ck_assert_int_eq(sd_stop(&daemon_, SIGTERM), 0);
}

/* GET `target`, 200, parsed. */
static json_t *search(const char *target)
{
    struct sd_response r;
    ck_assert_msg(sd_get(port, target, &r), "no answer to %s", target);
    ck_assert_msg(r.status == 200, "%s: %d %s", target, r.status, r.body);
    json_t *root = sd_json(&r);
    ck_assert_msg(root, "%s: not JSON", target);
    sd_response_free(&r);
    return root;
}

static json_t *hits_of(json_t *root)
{
    json_t *hits = json_object_get(root, "hits");
    ck_assert(json_is_array(hits));
    return hits;
}

static const char *field(json_t *hit, const char *name)
{
    return json_string_value(json_object_get(hit, name));
}

/* Snippets are HTML-safe: once the <mark> tags are gone, no markup. */
static void assert_html_safe(const char *snippet)
{
    char *copy = strdup(snippet);
    const char *tags[] = {"<mark>", "</mark>"};
    for (size_t t = 0; t < 2; t++)
        for (char *p = strstr(copy, tags[t]); p; p = strstr(copy, tags[t]))
            memmove(p, p + strlen(tags[t]), strlen(p + strlen(tags[t])) + 1);
    ck_assert_msg(!strchr(copy, '<') && !strchr(copy, '>'),
                  "markup in snippet: %s", snippet);
    free(copy);
}

START_TEST(test_searchd_search_hits)
{
    json_t *root = search("/v1/search?q=factuur+betalen&lang=nl");
    json_t *hits = hits_of(root);
    ck_assert_uint_gt(json_array_size(hits), 0);
    ck_assert_uint_le(json_array_size(hits), 10);
    ck_assert_int_ge(json_integer_value(json_object_get(root, "total")),
                     (json_int_t)json_array_size(hits));
    ck_assert_int_ge(json_integer_value(json_object_get(root, "took_us")), 0);
    ck_assert_str_eq(field(root, "query"), "factuur betalen");
    size_t i;
    json_t *hit;
    bool marked = false;
    json_array_foreach(hits, i, hit)
    {
        ck_assert_uint_eq(json_object_size(hit), 14);
        ck_assert_ptr_nonnull(field(hit, "id"));
        ck_assert_ptr_nonnull(field(hit, "title"));
        const char *lang = field(hit, "lang");
        ck_assert(lang && (strcmp(lang, "nl") == 0 || strcmp(lang, "fr") == 0 ||
                           strcmp(lang, "en") == 0));
        assert_html_safe(field(hit, "snippet"));
        assert_html_safe(field(hit, "title_html"));
        marked |= strstr(field(hit, "snippet"), "<mark>") != NULL;
        ck_assert(json_is_number(json_object_get(hit, "score")));
        /* Knowledge articles carry no history fields. */
        ck_assert(json_is_null(json_object_get(hit, "customer")));
        ck_assert(json_is_null(json_object_get(hit, "channel")));
    }
    ck_assert_msg(marked, "no snippet highlights a match");
    json_decref(root);
}
END_TEST

START_TEST(test_searchd_search_translation_groups)
{
    /* One hit per group, in the preferred language where it exists, the
     * other versions in `translations`. */
    const char *langs[] = {"nl", "fr", "en"};
    for (size_t l = 0; l < 3; l++) {
        char target[128];
        snprintf(target, sizeof target,
                 "/v1/search?q=verhuizing+d%%C3%%A9m%%C3%%A9nagement+moving"
                 "&lang=%s&limit=50",
                 langs[l]);
        json_t *root = search(target);
        json_t *hits = hits_of(root);
        size_t i;
        json_t *hit;
        const char *groups[64];
        size_t group_count = 0;
        bool translated = false;
        json_array_foreach(hits, i, hit)
        {
            const char *group = field(hit, "group");
            json_t *translations = json_object_get(hit, "translations");
            if (!group)
                continue;
            for (size_t g = 0; g < group_count; g++)
                ck_assert_msg(strcmp(groups[g], group) != 0,
                              "group %s appears twice", group);
            if (group_count < 64)
                groups[group_count++] = group;
            size_t j;
            json_t *t;
            json_array_foreach(translations, j, t)
            {
                translated = true;
                ck_assert_str_ne(field(t, "id"), field(hit, "id"));
                ck_assert_str_ne(field(t, "lang"), field(hit, "lang"));
                /* When the preferred version exists, it is the hit. */
                ck_assert_msg(strcmp(field(t, "lang"), langs[l]) != 0,
                              "%s shown while its %s version exists",
                              field(hit, "id"), langs[l]);
            }
        }
        ck_assert_msg(translated, "no hit with translations for lang=%s",
                      langs[l]);
        json_decref(root);
    }
}
END_TEST

START_TEST(test_searchd_search_filters_and_paging)
{
    json_t *root = search("/v1/search?q=internet&type=product&limit=20");
    size_t i;
    json_t *hit;
    ck_assert_uint_gt(json_array_size(hits_of(root)), 0);
    json_array_foreach(hits_of(root), i, hit)
        ck_assert_str_eq(field(hit, "type"), "product");
    json_decref(root);

    /* Pages do not overlap. */
    json_t *first = search("/v1/search?q=internet&limit=3&offset=0");
    json_t *second = search("/v1/search?q=internet&limit=3&offset=3");
    ck_assert_uint_eq(json_array_size(hits_of(first)), 3);
    json_t *a, *b;
    size_t j;
    json_array_foreach(hits_of(first), i, a)
        json_array_foreach(hits_of(second), j, b)
            ck_assert_str_ne(field(a, "id"), field(b, "id"));
    json_decref(first);
    json_decref(second);

    /* Facets count the matches by type and language. */
    root = search("/v1/search?q=factuur&facets=1");
    json_t *facets = json_object_get(root, "facets");
    json_t *types = json_object_get(facets, "type");
    ck_assert_uint_gt(json_object_size(types), 0);
    const char *key;
    json_t *count;
    json_object_foreach(types, key, count)
        ck_assert_int_gt(json_integer_value(count), 0);
    ck_assert_uint_gt(json_object_size(json_object_get(facets, "lang")), 0);
    json_decref(root);

    /* One total per query, whatever the page (it was 70 at limit 10, 42
     * at limit 50, 50 at offset 1), exact up to 100 matches, and the
     * number of hits there are. */
    static const char *const queries[] = {"factuur", "internet", "de",
                                          "verhuis"};
    static const char *const pages[] = {"limit=1", "limit=10", "limit=50",
                                        "limit=100", "offset=1",
                                        "offset=20&limit=5", "facets=1",
                                        "offset=150&limit=10", "lang=fr"};
    for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
        json_int_t total = -1;
        int exact = -1;
        for (size_t p = 0; p < sizeof pages / sizeof *pages; p++) {
            char target[128];
            snprintf(target, sizeof target, "/v1/search?q=%s&%s", queries[q],
                     pages[p]);
            root = search(target);
            json_int_t t = json_integer_value(json_object_get(root, "total"));
            json_t *e = json_object_get(root, "total_exact");
            ck_assert_msg(json_is_boolean(e), "%s: no total_exact", target);
            if (total < 0) {
                total = t;
                exact = json_is_true(e);
            }
            ck_assert_msg(t == total, "%s: total %lld, %lld at limit=1",
                          target, (long long)t, (long long)total);
            ck_assert_int_eq(json_is_true(e), exact);
            json_decref(root);
        }
        char target[128];
        snprintf(target, sizeof target, "/v1/search?q=%s&limit=100&offset=%s",
                 queries[q], exact ? "0" : "100");
        root = search(target);
        if (exact) {
            ck_assert_int_le(total, 100);
            ck_assert_int_eq((json_int_t)json_array_size(hits_of(root)), total);
        } else { /* not on the sample corpus: see test_search.c */
            ck_assert_int_eq(total, 100);
            ck_assert_uint_gt(json_array_size(hits_of(root)), 0);
        }
        json_decref(root);
    }

    /* With the preferred language's boost, pages are still slices of one
     * order: eight pages of three are the first 24, in order. */
    for (size_t l = 0; l < 3; l++) {
        static const char *const langs[] = {"nl", "fr", "en"};
        char target[128];
        snprintf(target, sizeof target, "/v1/search?q=internet&lang=%s&limit=24",
                 langs[l]);
        json_t *whole = search(target);
        ck_assert_uint_eq(json_array_size(hits_of(whole)), 24);
        for (size_t page = 0; page < 8; page++) {
            snprintf(target, sizeof target,
                     "/v1/search?q=internet&lang=%s&limit=3&offset=%zu",
                     langs[l], page * 3);
            json_t *part = search(target);
            for (size_t k = 0; k < 3; k++)
                ck_assert_str_eq(
                    field(json_array_get(hits_of(part), k), "id"),
                    field(json_array_get(hits_of(whole), page * 3 + k), "id"));
            json_decref(part);
        }
        json_decref(whole);
    }
}
END_TEST

START_TEST(test_searchd_search_customer_history)
{
    /* An empty q with a customer lists that customer's events. */
    json_t *root = search("/v1/search?q=&customer=C000134&limit=20");
    size_t i;
    json_t *hit;
    ck_assert_uint_gt(json_array_size(hits_of(root)), 0);
    const char *event_id = NULL;
    json_array_foreach(hits_of(root), i, hit)
    {
        ck_assert_str_eq(field(hit, "type"), "history");
        ck_assert_str_eq(field(hit, "customer"), "C000134");
        ck_assert_ptr_nonnull(field(hit, "channel"));
        ck_assert_ptr_nonnull(field(hit, "date"));
        if (!event_id)
            event_id = strdup(field(hit, "id"));
    }
    json_decref(root);

    /* Without the customer, history never shows, whatever type says. */
    root = search("/v1/search?q=factuur&type=history&limit=50");
    ck_assert_uint_eq(json_array_size(hits_of(root)), 0);
    json_decref(root);
    root = search("/v1/search?q=factuur&limit=50");
    json_array_foreach(hits_of(root), i, hit)
        ck_assert_str_ne(field(hit, "type"), "history");
    json_decref(root);

    /* Another customer's events never show. */
    root = search("/v1/search?q=factuur&customer=C000101&limit=50");
    json_array_foreach(hits_of(root), i,
                       hit) if (strcmp(field(hit, "type"), "history") == 0)
        ck_assert_str_eq(field(hit, "customer"), "C000101");
    json_decref(root);

    /* The event as a document: only for its own customer. */
    char target[256];
    struct sd_response r;
    snprintf(target, sizeof target, "/v1/docs/%s?customer=C000134", event_id);
    ck_assert(sd_get(port, target, &r));
    ck_assert_msg(r.status == 200, "%s: %d %s", target, r.status, r.body);
    sd_response_free(&r);
    const char *others[] = {"", "?customer=C000101"};
    for (size_t k = 0; k < 2; k++) {
        snprintf(target, sizeof target, "/v1/docs/%s%s", event_id, others[k]);
        ck_assert(sd_get(port, target, &r));
        ck_assert_msg(r.status == 404, "%s: %d", target, r.status);
        ck_assert_str_eq(sd_error_code(&r), "not_found");
        sd_response_free(&r);
    }
    free((char *)event_id);
}
END_TEST

START_TEST(test_searchd_search_document)
{
    json_t *root = search("/v1/search?q=verhuizing&lang=nl&limit=1");
    json_t *hit = json_array_get(hits_of(root), 0);
    ck_assert_ptr_nonnull(hit);
    char target[256];
    snprintf(target, sizeof target, "/v1/docs/%s", field(hit, "id"));
    struct sd_response r;
    ck_assert(sd_get(port, target, &r));
    ck_assert_int_eq(r.status, 200);
    char *type = sd_header(&r, "Content-Type");
    ck_assert_str_eq(type, "application/json; charset=utf-8");
    free(type);
    json_t *doc = sd_json(&r);
    ck_assert_str_eq(field(doc, "id"), field(hit, "id"));
    ck_assert_str_eq(field(doc, "title"), field(hit, "title"));
    ck_assert_ptr_nonnull(field(doc, "body"));
    json_decref(doc);
    sd_response_free(&r);
    json_decref(root);
}
END_TEST

START_TEST(test_searchd_search_suggest_long_email)
{
    const char *email =
        "Geachte heer, mevrouw,\\n\\nVorige maand ben ik verhuisd van Gent "
        "naar Leuven. Ik heb de verhuizing toen telefonisch doorgegeven, maar "
        "op mijn nieuwe adres werkt het internet nog altijd niet en de "
        "decoder geeft geen beeld. Bovendien kreeg ik deze week een factuur "
        "voor beide adressen tegelijk, en er is ook al een herinnering "
        "gekomen. Kunnen jullie de dubbele factuur rechtzetten en een "
        "technicus sturen? Ik ben overdag bereikbaar op het nummer dat jullie "
        "hebben.\\n\\nMet vriendelijke groeten,\\nAn Peeters";
    char body[2048];
    snprintf(body, sizeof body,
             "{\"text\": \"%s\", \"lang\": \"nl\", \"limit\": 5}", email);
    struct sd_response r;
    ck_assert(sd_post_json(port, "/v1/suggest", body, &r));
    ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
    json_t *root = sd_json(&r);
    json_t *hits = hits_of(root);
    ck_assert_uint_gt(json_array_size(hits), 0);
    ck_assert_uint_le(json_array_size(hits), 5);
    size_t i;
    json_t *hit;
    json_array_foreach(hits, i, hit) assert_html_safe(field(hit, "snippet"));
    json_decref(root);
    sd_response_free(&r);
}
END_TEST

int main(void)
{
#if !VB_SEARCHD_TEST_CORPUS
    fprintf(stderr, "SKIP: the test index is empty (vraagbaak-indexer is not "
                    "part of the build)\n");
    return VB_TEST_SKIP;
#endif
    Suite *suite = suite_create("searchd_search");
    TCase *tc = tcase_create("search");
    tcase_add_unchecked_fixture(tc, start_daemon, stop_daemon);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_searchd_search_hits);
    tcase_add_test(tc, test_searchd_search_translation_groups);
    tcase_add_test(tc, test_searchd_search_filters_and_paging);
    tcase_add_test(tc, test_searchd_search_customer_history);
    tcase_add_test(tc, test_searchd_search_document);
    tcase_add_test(tc, test_searchd_search_suggest_long_email);
    suite_add_tcase(suite, tc);
    return vb_test_run(suite);
}
