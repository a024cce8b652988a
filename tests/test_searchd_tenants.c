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
                                       "corpus/acme", "corpus/brico",
                                       "synonyms", "synonyms/acme"};
    for (size_t i = 0; i < 6; i++) {
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
    /* The same customer number at both clients: two different people. */
    write_doc("acme/events.jsonl",
              "{\"id\": \"acme-ev-1\", \"type\": \"history\", \"lang\": "
              "\"nl\", \"title\": \"Retour stofzuiger\", \"customer\": "
              "\"C1\", \"date\": \"2026-11-01\", \"body\": \"Belde over "
              "de retour.\"}\n");
    write_doc("brico/events.jsonl",
              "{\"id\": \"brico-ev-1\", \"type\": \"history\", \"lang\": "
              "\"nl\", \"title\": \"Retour kettingzaag\", \"customer\": "
              "\"C1\", \"date\": \"2026-11-02\", \"body\": \"Belde over "
              "de retour.\"}\n");
    char corpus[300], out[4096], err[4096];
    snprintf(corpus, sizeof corpus, "%s/corpus", dir);
    snprintf(index_dir, sizeof index_dir, "%s/index", dir);
    int status = sd_run_program(
        VB_INDEXER_PATH,
        (const char *const[]){"--full", "--index", index_dir, corpus, NULL},
        out, sizeof out, err, sizeof err);
    ck_assert_msg(status == 0, "indexer: %d %s", status, err);
    /* Editors' synonyms: the shared ones, and acme's own. */
    char synonyms[320], path[400];
    snprintf(synonyms, sizeof synonyms, "%s/synonyms", dir);
    snprintf(path, sizeof path, "%s/synonyms-nl.txt", synonyms);
    ck_assert(sd_write_file(path, "scheldende beller, agressieve beller\n"));
    snprintf(path, sizeof path, "%s/acme/synonyms-nl.txt", synonyms);
    ck_assert(sd_write_file(path, "zuigmachine, stofzuiger\n"));
    const char *args[] = {"--index", index_dir, "--synonyms", synonyms, NULL};
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

/* An editor's synonyms for one client serve that client's requests; the
 * shared ones serve every client. */
START_TEST(test_tenants_synonyms_per_tenant)
{
    char ids[512];
    json_t *root = get("/v1/search?q=zuigmachine&tenant=acme", 200);
    ids_of(root, ids, sizeof ids);
    ck_assert_msg(strstr(ids, "acme-retour-nl"), "%s", ids);
    json_decref(root);
    root = get("/v1/search?q=zuigmachine&tenant=brico", 200);
    ck_assert_int_eq(json_integer_value(json_object_get(root, "total")), 0);
    json_decref(root);
    for (int k = 0; k < 2; k++) {
        root = get(k ? "/v1/search?q=scheldende%20beller&tenant=brico"
                     : "/v1/search?q=scheldende%20beller&tenant=acme",
                   200);
        ids_of(root, ids, sizeof ids);
        ck_assert_msg(strstr(ids, "shared-agressie-nl"), "%s", ids);
        json_decref(root);
    }
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

/* ---- With tokens: who may work for whom ------------------------------ */

#define ACME_AGENT "acme-agent-secret-0123456789"
#define ACME_EDITOR "acme-editor-secret-0123456789"
#define ACME_ADMIN "acme-admin-secret-01234567890"
#define BOTH_AGENT "both-agent-secret-01234567890"
#define BRICO_EDITOR "brico-editor-secret-012345678"
#define ALL_ADMIN "all-admin-secret-0123456789012"

static struct sd_daemon t; /* the daemon with tokens */

static void token_line(const char *name, const char *role, const char *secret,
                       const char *tenants, char *out, size_t cap)
{
    char command[512], line[256];
    snprintf(command, sizeof command,
             "printf %%s '%s' | '%s' --hash-token %s %s", secret,
             VB_SEARCHD_PATH, name, role);
    FILE *p = popen(command, "r");
    ck_assert(p);
    ck_assert(fgets(line, sizeof line, p));
    ck_assert_int_eq(pclose(p), 0);
    line[strcspn(line, "\n")] = '\0';
    size_t n = strlen(out);
    snprintf(out + n, cap - n, "%s%s%s\n", line, tenants ? " tenants=" : "",
             tenants ? tenants : "");
}

static void setup_tokens(void)
{
    setup();
    char conf[8192] = "", path[512];
    token_line("acme-crm", "agent", ACME_AGENT, "acme", conf, sizeof conf);
    token_line("acme-kb", "editor", ACME_EDITOR, "acme", conf, sizeof conf);
    token_line("acme-dpo", "admin", ACME_ADMIN, "acme", conf, sizeof conf);
    token_line("outsourcer", "agent", BOTH_AGENT, "acme,brico", conf,
               sizeof conf);
    token_line("brico-kb", "editor", BRICO_EDITOR, "brico", conf, sizeof conf);
    token_line("dpo", "admin", ALL_ADMIN, NULL, conf, sizeof conf);
    snprintf(path, sizeof path, "%s/ticket.secret", dir);
    ck_assert(sd_write_file(path, "0123456789abcdef0123456789abcdef\n"));
    size_t n = strlen(conf);
    snprintf(conf + n, sizeof conf - n,
             "ticket_secret_file = %s/ticket.secret\naudit_db = %s/audit.db\n"
             "analytics_db = %s/analytics.db\n",
             dir, dir, dir);
    snprintf(path, sizeof path, "%s/searchd.conf", dir);
    ck_assert(sd_write_file(path, conf));
    const char *args[] = {"--index", index_dir, "--config", path, NULL};
    ck_assert(sd_start(&t, args));
}

static void teardown_tokens(void)
{
    ck_assert_int_eq(sd_stop(&t, SIGTERM), 0);
    teardown();
}

/* A request with `secret` as bearer token (and a ticket); the status. */
static int call(const char *method, const char *target, const char *secret,
                const char *ticket, const char *body, char **text)
{
    char headers[512] = "";
    if (secret)
        snprintf(headers, sizeof headers, "Authorization: Bearer %s\r\n",
                 secret);
    if (ticket)
        snprintf(headers + strlen(headers), sizeof headers - strlen(headers),
                 "X-Vraagbaak-Ticket: %s\r\n", ticket);
    if (body)
        snprintf(headers + strlen(headers), sizeof headers - strlen(headers),
                 "Content-Type: application/json\r\n");
    struct sd_response r;
    ck_assert(sd_request(t.port, method, target, headers, body,
                         body ? strlen(body) : 0, &r));
    int status = r.status;
    if (text)
        *text = strdup(r.body ? r.body : "");
    sd_response_free(&r);
    return status;
}

static void mint(const char *customer, const char *tenant, char *out,
                 size_t cap)
{
    char command[1024];
    snprintf(command, sizeof command,
             "'%s' --mint-ticket anna %s 600 %s%s --config %s/searchd.conf",
             VB_SEARCHD_PATH, customer, tenant ? "--tenant " : "",
             tenant ? tenant : "", dir);
    FILE *p = popen(command, "r");
    ck_assert(p);
    ck_assert(fgets(out, (int)cap, p));
    ck_assert_int_eq(pclose(p), 0);
    out[strcspn(out, "\n")] = '\0';
}

START_TEST(test_tenants_token_matrix)
{
    static const struct {
        const char *target, *secret;
        int status;
    } cases[] = {
        {"/v1/search?q=retourzending", NULL, 401},
        /* One tenant: implied; another is refused. */
        {"/v1/search?q=retourzending", ACME_AGENT, 200},
        {"/v1/search?q=retourzending&tenant=acme", ACME_AGENT, 200},
        {"/v1/search?q=retourzending&tenant=brico", ACME_AGENT, 403},
        {"/v1/docs/brico-retour-nl?tenant=brico", ACME_AGENT, 403},
        {"/v1/docs/brico-retour-nl", ACME_AGENT, 404},
        /* Several: name one. */
        {"/v1/search?q=retourzending", BOTH_AGENT, 400},
        {"/v1/search?q=retourzending&tenant=brico", BOTH_AGENT, 200},
        {"/v1/analytics?kind=top", ACME_EDITOR, 200},
        {"/v1/analytics?kind=top&tenant=brico", ACME_EDITOR, 403},
        {"/v1/feedback", BRICO_EDITOR, 200},
        {"/v1/review?tenant=acme", BRICO_EDITOR, 403},
        {"/v1/audit", ACME_ADMIN, 200},
        {"/v1/audit?tenant=brico", ACME_ADMIN, 403},
        {"/v1/audit?tenant=brico", ALL_ADMIN, 200},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *text = NULL;
        int status = call("GET", cases[i].target, cases[i].secret, NULL, NULL,
                          &text);
        ck_assert_msg(status == cases[i].status, "%s with %s: %d, not %d: %s",
                      cases[i].target, cases[i].secret ? cases[i].secret : "-",
                      status, cases[i].status, text);
        if (cases[i].secret && strcmp(cases[i].secret, ACME_AGENT) == 0 &&
            status == 200)
            no_brico(cases[i].target, text);
        free(text);
    }
}
END_TEST

START_TEST(test_tenants_writes_stay_with_their_tenant)
{
    char *text = NULL;
    /* Without a tenant the editor's document becomes acme's. */
    ck_assert_int_eq(call("PUT", "/v1/docs/acme-garantie-nl", ACME_EDITOR, NULL,
                          "{\"type\": \"procedure\", \"lang\": \"nl\", "
                          "\"title\": \"Garantie\", \"body\": "
                          "\"Twee jaar garantie op de stofzuiger.\"}",
                          NULL),
                     201);
    ck_assert_int_eq(call("GET", "/v1/docs/acme-garantie-nl", ACME_AGENT, NULL,
                          NULL, &text),
                     200);
    ck_assert(strstr(text, "\"tenant\":\"acme\""));
    free(text);
    ck_assert_int_eq(call("GET", "/v1/docs/acme-garantie-nl?tenant=brico",
                          BOTH_AGENT, NULL, NULL, NULL),
                     404);
    /* Another tenant's document, a shared one, or one naming another
     * tenant: refused, nothing written. */
    static const char *const body =
        "{\"type\": \"procedure\", \"lang\": \"nl\", \"title\": \"X\"}";
    ck_assert_int_eq(call("PUT", "/v1/docs/brico-retour-nl", ACME_EDITOR, NULL,
                          body, NULL),
                     403);
    ck_assert_int_eq(call("PUT", "/v1/docs/shared-agressie-nl", ACME_EDITOR,
                          NULL, body, NULL),
                     403);
    ck_assert_int_eq(call("PUT", "/v1/docs/acme-x-nl", ACME_EDITOR, NULL,
                          "{\"type\": \"procedure\", \"lang\": \"nl\", "
                          "\"title\": \"X\", \"tenant\": \"brico\"}",
                          NULL),
                     403);
    ck_assert_int_eq(call("DELETE", "/v1/docs/brico-retour-nl", ACME_EDITOR,
                          NULL, NULL, NULL),
                     403);
    ck_assert_int_eq(call("GET", "/v1/docs/brico-retour-nl", BRICO_EDITOR, NULL,
                          NULL, &text),
                     200);
    ck_assert(strstr(text, "Retourzending melden"));
    free(text);
}
END_TEST

START_TEST(test_tenants_history_tickets_analytics_feedback_audit)
{
    char ticket[512], *text = NULL;
    /* Customer C1 of acme: acme's event only, with a ticket naming acme. */
    mint("C1", "acme", ticket, sizeof ticket);
    ck_assert_int_eq(call("GET", "/v1/search?q=retour&customer=C1", ACME_AGENT,
                          ticket, NULL, &text),
                     200);
    ck_assert(strstr(text, "acme-ev-1"));
    no_brico("history", text);
    free(text);
    /* The same ticket for brico's C1, or a ticket naming no client. */
    ck_assert_int_eq(call("GET", "/v1/search?q=retour&customer=C1&tenant=brico",
                          BOTH_AGENT, ticket, NULL, &text),
                     403);
    ck_assert_msg(strstr(text, "\"code\":\"ticket_wrong_tenant\""), "%s", text);
    free(text);
    mint("C1", NULL, ticket, sizeof ticket);
    ck_assert_int_eq(call("GET", "/v1/search?q=retour&customer=C1", ACME_AGENT,
                          ticket, NULL, NULL),
                     403);

    /* What acme's agents searched and flagged is acme's editors' only. */
    ck_assert_int_eq(call("GET", "/v1/search?q=onvindbaarwoord", ACME_AGENT,
                          NULL, NULL, NULL),
                     200);
    ck_assert_int_eq(call("POST", "/v1/feedback", ACME_AGENT, NULL,
                          "{\"doc\": \"acme-retour-nl\", \"reason\": "
                          "\"outdated\"}",
                          NULL),
                     201);
    ck_assert_int_eq(call("POST", "/v1/feedback", ACME_AGENT, NULL,
                          "{\"doc\": \"brico-retour-nl\", \"reason\": "
                          "\"outdated\"}",
                          NULL),
                     404);
    bool seen = false;
    for (int i = 0; i < 100 && !seen; i++) {
        call("GET", "/v1/analytics?kind=zero-results", ACME_EDITOR, NULL, NULL,
             &text);
        seen = strstr(text, "onvindbaarwoord") != NULL;
        free(text);
        sd_sleep_ms(50);
    }
    ck_assert(seen);
    call("GET", "/v1/analytics?kind=zero-results", BRICO_EDITOR, NULL, NULL,
         &text);
    ck_assert(!strstr(text, "onvindbaarwoord"));
    free(text);
    call("GET", "/v1/feedback", BRICO_EDITOR, NULL, NULL, &text);
    ck_assert_msg(strstr(text, "\"entries\":[]"), "%s", text);
    free(text);
    ck_assert_int_eq(call("POST", "/v1/feedback/1/resolve", BRICO_EDITOR, NULL,
                          "{}", NULL),
                     404);
    ck_assert_int_eq(call("POST", "/v1/feedback/1/resolve", ACME_EDITOR, NULL,
                          "{}", NULL),
                     200);

    /* The audit log names the tenant; acme's admin sees acme's rows. */
    call("GET", "/v1/audit", ACME_ADMIN, NULL, NULL, &text);
    ck_assert(strstr(text, "\"tenant\":\"acme\""));
    free(text);
    call("GET", "/v1/audit?tenant=brico", ALL_ADMIN, NULL, NULL, &text);
    ck_assert_msg(strstr(text, "\"entries\":[]"), "%s", text);
    free(text);
    /* Erasure by acme's admin: acme's C1 only. */
    ck_assert_int_eq(call("DELETE", "/v1/customers/C1", ACME_ADMIN, NULL, NULL,
                          &text),
                     200);
    ck_assert_msg(strstr(text, "\"erased\":1"), "%s", text);
    free(text);
    mint("C1", "brico", ticket, sizeof ticket);
    ck_assert_int_eq(call("GET", "/v1/search?q=&customer=C1&tenant=brico",
                          BOTH_AGENT, ticket, NULL, &text),
                     200);
    ck_assert_msg(strstr(text, "brico-ev-1"), "%s", text);
    free(text);
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
    tcase_add_test(tc, test_tenants_synonyms_per_tenant);
    suite_add_tcase(suite, tc);
    TCase *tokens = tcase_create("tokens");
    tcase_set_timeout(tokens, 120);
    tcase_add_checked_fixture(tokens, setup_tokens, teardown_tokens);
    tcase_add_test(tokens, test_tenants_token_matrix);
    tcase_add_test(tokens, test_tenants_writes_stay_with_their_tenant);
    tcase_add_test(tokens, test_tenants_history_tickets_analytics_feedback_audit);
    suite_add_tcase(suite, tokens);
    return vb_test_run(suite);
}
