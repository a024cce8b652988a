/* Several clients in one deployment (issue 21) over real HTTP: two
 * tenants whose corpora share most words and differ in a few, and the
 * shared documents.  A word only tenant B's articles hold must never
 * reach a request for tenant A: not in hits, totals, facets, completions,
 * corrections, suggest, translations, documents, the review list or an
 * error message.  The indexer builds the corpus's index itself. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "test_searchd_util.h"
#include "testutil.h"

static char dir[256], index_dir[320];
static struct sd_daemon d;

static void write_doc(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/corpus/%s", dir, rel);
    ck_assert(sd_write_file(path, text));
}

static void setup(void)
{
    ck_assert(sd_temp_dir("vb-tenants-", dir, sizeof dir));
    static const char *const dirs[] = {"corpus", "corpus/shared",
                                       "corpus/acme", "corpus/brico"};
    for (size_t i = 0; i < 4; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, dirs[i]);
        ck_assert_int_eq(mkdir(path, 0700), 0);
    }
    /* Shared: what every client's agents use. */
    write_doc("shared/agressie.md",
              "---\nid: shared-agressie-nl\ntype: procedure\nlang: nl\n"
              "title: Een agressieve beller\n---\n"
              "Blijf rustig, ook bij een retourzending die misloopt.\n");
    /* acme sells vacuum cleaners, brico tools: the same procedures, a
     * few words apart.  The directory says whose they are. */
    write_doc("acme/.tenant", "acme\n");
    write_doc("acme/retour-nl.md",
              "---\nid: acme-retour-nl\ntype: procedure\nlang: nl\n"
              "title: Retourzending melden\ngroup: retour\n"
              "review_by: 2020-01-01\nowner: team-acme\n---\n"
              "De klant stuurt de stofzuiger terug met het retourlabel.\n");
    write_doc("acme/retour-fr.md",
              "---\nid: acme-retour-fr\ntype: procedure\nlang: fr\n"
              "title: Signaler un retour\ngroup: retour\n---\n"
              "Le client renvoie l'aspirateur avec l'étiquette.\n");
    write_doc("brico/.tenant", "brico\n");
    write_doc("brico/retour-nl.md",
              "---\nid: brico-retour-nl\ntype: procedure\nlang: nl\n"
              "title: Retourzending melden\ngroup: retour\n"
              "review_by: 2020-01-01\nowner: team-brico\n---\n"
              "De klant stuurt de kettingzaag terug met het retourlabel.\n");
    write_doc("brico/kettingzaag-nl.md",
              "---\nid: brico-kettingzaag-nl\ntype: product\nlang: nl\n"
              "title: Kettingzaag KZ-40\n---\n"
              "Een kettingzaag met een zwaard van veertig centimeter.\n");
    char corpus[300], out[4096], err[4096];
    snprintf(corpus, sizeof corpus, "%s/corpus", dir);
    snprintf(index_dir, sizeof index_dir, "%s/index", dir);
    int status = sd_run_program(
        VB_INDEXER_PATH,
        (const char *const[]){"--full", "--index", index_dir, corpus, NULL},
        out, sizeof out, err, sizeof err);
    ck_assert_msg(status == 0, "indexer: %d %s", status, err);
    const char *args[] = {"--index", index_dir, NULL};
    ck_assert(sd_start(&d, args));
}

static void teardown(void)
{
    ck_assert_int_eq(sd_stop(&d, SIGTERM), 0);
    vb_test_remove_tree(dir);
}

static json_t *get(const char *target, int want_status)
{
    int status = 0;
    json_t *root = sd_get_json(d.port, target, &status);
    ck_assert_msg(status == want_status, "%s: %d", target, status);
    return root;
}

/* The ids of a search's hits and of their translations, "a b c". */
static void ids_of(json_t *root, char *out, size_t cap)
{
    out[0] = '\0';
    size_t i, j;
    json_t *hit, *t;
    json_array_foreach(json_object_get(root, "hits"), i, hit)
    {
        snprintf(out + strlen(out), cap - strlen(out), "%s ",
                 json_string_value(json_object_get(hit, "id")));
        json_array_foreach(json_object_get(hit, "translations"), j, t)
            snprintf(out + strlen(out), cap - strlen(out), "%s ",
                     json_string_value(json_object_get(t, "id")));
    }
}

/* Nothing of brico's in what a request for acme returns, as text (but
 * for the query it echoes). */
static void no_brico(const char *target, const char *body)
{
    json_t *root = json_loads(body, 0, NULL);
    ck_assert_ptr_nonnull(root);
    json_object_del(root, "query");
    char *text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    ck_assert_msg(!strstr(text, "kettingzaag") && !strstr(text, "brico"),
                  "%s leaks brico: %.400s", target, text);
    free(text);
}

START_TEST(test_tenants_search_sees_own_and_shared)
{
    char ids[1024];
    json_t *root = get("/v1/search?q=retourzending&lang=nl&tenant=acme&facets=1", 200);
    ids_of(root, ids, sizeof ids);
    ck_assert_str_eq(ids, "acme-retour-nl acme-retour-fr shared-agressie-nl ");
    ck_assert_int_eq(json_integer_value(json_object_get(root, "total")), 2);
    json_t *langs = json_object_get(json_object_get(root, "facets"), "lang");
    ck_assert_int_eq(json_integer_value(json_object_get(langs, "nl")), 2);
    json_decref(root);
    root = get("/v1/search?q=retourzending&lang=nl&tenant=brico", 200);
    ids_of(root, ids, sizeof ids);
    ck_assert_str_eq(ids, "brico-retour-nl shared-agressie-nl ");
    json_decref(root);
    /* Without a tenant (a deployment of one client, or an admin): all. */
    root = get("/v1/search?q=retourzending&lang=nl", 200);
    ck_assert_int_eq(json_integer_value(json_object_get(root, "total")), 3);
    json_decref(root);
}
END_TEST

START_TEST(test_tenants_no_word_of_another_tenant_reaches_a_request)
{
    /* The word itself, what the agent types on the way, a typo of it,
     * in a query and in a conversation: nothing for acme, and no "did
     * you mean" that would name it. */
    static const char *const queries[] = {
        "/v1/search?q=kettingzaag&tenant=acme",
        "/v1/search?q=ketting&tenant=acme",
        "/v1/search?q=kettingz&tenant=acme",
        "/v1/search?q=kettingzag&tenant=acme",
        "/v1/search?q=retourzending%20kettingzaag&tenant=acme",
        "/v1/search?q=kz-40&tenant=acme",
        "/v1/docs/brico-kettingzaag-nl?tenant=acme",
        "/v1/review?before=2026-12-31&tenant=acme",
    };
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
        struct sd_response r;
        ck_assert(sd_get(d.port, queries[i], &r));
        ck_assert_msg(r.status == 200 || r.status == 404, "%s: %d", queries[i],
                      r.status);
        if (strstr(queries[i], "/v1/docs/")) {
            /* The same answer as for an id that does not exist. */
            ck_assert_int_eq(r.status, 404);
            ck_assert(strstr(r.body, "no document with id"));
        } else {
            no_brico(queries[i], r.body);
        }
        sd_response_free(&r);
    }
    json_t *root = get("/v1/search?q=kettingzag&tenant=acme", 200);
    ck_assert(json_is_null(json_object_get(root, "suggestion")));
    ck_assert_int_eq(json_integer_value(json_object_get(root, "total")), 0);
    json_decref(root);
    /* For brico the same typo is corrected and the word completed. */
    root = get("/v1/search?q=kettingzag&tenant=brico", 200);
    ck_assert_str_eq(json_string_value(json_object_get(root, "suggestion")),
                     "kettingzaag");
    json_decref(root);
    root = get("/v1/search?q=kettingz&tenant=brico", 200);
    ck_assert_int_ge(json_integer_value(json_object_get(root, "total")), 1);
    json_decref(root);

    /* Suggest: a customer's e-mail naming brico's product. */
    struct sd_response r;
    ck_assert(sd_post_json(d.port, "/v1/suggest",
                           "{\"text\": \"Mijn kettingzaag is stuk, ik wil een "
                           "retourzending.\", \"tenant\": \"acme\"}",
                           &r));
    ck_assert_int_eq(r.status, 200);
    no_brico("suggest", r.body);
    ck_assert(strstr(r.body, "acme-retour-nl"));
    sd_response_free(&r);

    /* The review list: acme's due article and nothing of brico's. */
    root = get("/v1/review?before=2026-12-31&tenant=acme", 200);
    json_t *entries = json_object_get(root, "entries");
    ck_assert_uint_eq(json_array_size(entries), 1);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(entries, 0), "tenant")),
                     "acme");
    json_decref(root);
}
END_TEST

START_TEST(test_tenants_bad_tenant_is_named)
{
    struct sd_response r;
    ck_assert(sd_get(d.port, "/v1/search?q=retour&tenant=Acme", &r));
    ck_assert_int_eq(r.status, 400);
    ck_assert_str_eq(sd_error_code(&r), "invalid_parameter");
    ck_assert(strstr(r.body, "\"parameter\":\"tenant\""));
    sd_response_free(&r);
    /* A tenant with no documents sees the shared ones. */
    json_t *root = get("/v1/search?q=retourzending&tenant=nobody", 200);
    char ids[256];
    ids_of(root, ids, sizeof ids);
    ck_assert_str_eq(ids, "shared-agressie-nl ");
    json_decref(root);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("searchd_tenants");
    TCase *tc = tcase_create("tenants");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_tenants_search_sees_own_and_shared);
    tcase_add_test(tc, test_tenants_no_word_of_another_tenant_reaches_a_request);
    tcase_add_test(tc, test_tenants_bad_tenant_is_named);
    suite_add_tcase(suite, tc);
    return vb_test_run(suite);
}
