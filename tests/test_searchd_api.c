/* Every route of Contract 3 over real HTTP: status, content type, JSON
 * shape, the error JSON for each kind of mistake (naming the parameter),
 * 404 and 405 with Allow, CORS, /metrics in the Prometheus text format
 * counting what the test did, the static files, and docs/openapi.yaml
 * against the routing table.  One daemon for the whole suite. */
#include <ctype.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_searchd_util.h"
#include "testutil.h"
#include "json_out.h"
#include "searchd_int.h"
#include "vb_searchd.h"

static struct sd_daemon daemon_;
static char web_dir[64];
static int port;

static void start_daemon(void)
{
    ck_assert(sd_temp_dir("vb-searchd-web-", web_dir, sizeof web_dir));
    char path[128];
    snprintf(path, sizeof path, "%s/index.html", web_dir);
    ck_assert(sd_write_file(path, "<!doctype html><title>Vraagbaak</title>\n"));
    snprintf(path, sizeof path, "%s/widget.js", web_dir);
    ck_assert(sd_write_file(path, "export const widget = 1;\n"));
    snprintf(path, sizeof path, "%s/style.css", web_dir);
    ck_assert(sd_write_file(path, "body { margin: 0 }\n"));
    snprintf(path, sizeof path, "%s/.secret", web_dir);
    ck_assert(sd_write_file(path, "hidden\n"));
    const char *args[] = {"--web",
                          web_dir,
                          "--cors-origin",
                          "https://crm.example",
                          "--cors-origin",
                          "http://localhost:3000",
                          NULL};
    ck_assert(sd_start(&daemon_, args));
    port = daemon_.port;
}

static void stop_daemon(void)
{
    /* A clean stop is part of the contract: exit status 0 (and, under
     * the sanitizers, no leak). */
    ck_assert_int_eq(sd_stop(&daemon_, SIGTERM), 0);
    vb_test_remove_tree(web_dir);
}

/* ---- Helpers ------------------------------------------------------------ */

static void assert_json_type(const struct sd_response *r)
{
    char *type = sd_header(r, "Content-Type");
    ck_assert_msg(type && strcmp(type, "application/json; charset=utf-8") == 0,
                  "Content-Type: %s", type ? type : "(none)");
    free(type);
}

/* The error JSON of Contract 3 with `status` and `code`, naming
 * `parameter` when it is non-NULL. */
static void assert_error(const struct sd_response *r, int status,
                         const char *code, const char *parameter)
{
    ck_assert_msg(r->status == status, "status %d, expected %d: %s", r->status,
                  status, r->body);
    assert_json_type(r);
    json_t *root = sd_json(r);
    ck_assert_msg(root, "not JSON: %s", r->body);
    json_t *error = json_object_get(root, "error");
    ck_assert_msg(json_is_object(error), "%s", r->body);
    ck_assert_str_eq(json_string_value(json_object_get(error, "code")), code);
    const char *message = json_string_value(json_object_get(error, "message"));
    ck_assert_msg(message && *message, "%s", r->body);
    if (parameter) {
        const char *named =
            json_string_value(json_object_get(error, "parameter"));
        ck_assert_msg(named && strcmp(named, parameter) == 0,
                      "expected parameter '%s': %s", parameter, r->body);
        ck_assert_msg(strstr(message, parameter),
                      "message does not name "
                      "'%s': %s",
                      parameter, message);
    }
    json_decref(root);
}

static void get_error(const char *target, int status, const char *code,
                      const char *parameter)
{
    struct sd_response r;
    ck_assert_msg(sd_get(port, target, &r), "no response to %s", target);
    assert_error(&r, status, code, parameter);
    sd_response_free(&r);
}

static void post_error(const char *target, const char *body, int status,
                       const char *code, const char *parameter)
{
    struct sd_response r;
    ck_assert_msg(sd_post_json(port, target, body, &r), "no response to %s",
                  body);
    assert_error(&r, status, code, parameter);
    sd_response_free(&r);
}

/* The result shape of Contract 3: every field present, nulls as null. */
static void assert_result_shape(json_t *root, bool facets)
{
    ck_assert(json_is_object(root));
    ck_assert(json_is_string(json_object_get(root, "query")));
    ck_assert(json_is_integer(json_object_get(root, "total")));
    ck_assert(json_is_integer(json_object_get(root, "took_us")));
    json_t *suggestion = json_object_get(root, "suggestion");
    ck_assert(json_is_string(suggestion) || json_is_null(suggestion));
    json_t *hits = json_object_get(root, "hits");
    ck_assert(json_is_array(hits));
    ck_assert_int_ge(json_integer_value(json_object_get(root, "total")),
                     (json_int_t)json_array_size(hits));
    size_t i;
    json_t *hit;
    json_array_foreach(hits, i, hit)
    {
        static const char *const strings[] = {"id", "type", "lang", "title",
                                              "snippet"};
        static const char *const nullable[] = {"group", "updated", "date",
                                               "customer", "channel"};
        for (size_t k = 0; k < 5; k++)
            ck_assert_msg(json_is_string(json_object_get(hit, strings[k])),
                          "hit %zu: %s", i, strings[k]);
        for (size_t k = 0; k < 5; k++) {
            json_t *v = json_object_get(hit, nullable[k]);
            ck_assert_msg(v && (json_is_string(v) || json_is_null(v)),
                          "hit %zu: %s", i, nullable[k]);
        }
        ck_assert(json_is_number(json_object_get(hit, "score")));
        json_t *translations = json_object_get(hit, "translations");
        ck_assert(json_is_array(translations));
        size_t j;
        json_t *t;
        json_array_foreach(translations, j, t)
        {
            ck_assert(json_is_string(json_object_get(t, "lang")));
            ck_assert(json_is_string(json_object_get(t, "id")));
        }
        ck_assert(json_is_string(json_object_get(hit, "title_html")));
        ck_assert(json_is_string(json_object_get(hit, "review_by")) ||
                  json_is_null(json_object_get(hit, "review_by")));
        ck_assert_int_eq(json_object_size(hit), 14);
    }
    json_t *facet_object = json_object_get(root, "facets");
    if (facets) {
        ck_assert(json_is_object(facet_object));
        ck_assert(json_is_object(json_object_get(facet_object, "type")));
        ck_assert(json_is_object(json_object_get(facet_object, "lang")));
    } else {
        ck_assert_msg(facet_object == NULL, "facets without being asked");
    }
}

/* ---- Health ---------------------------------------------------------------
 */

START_TEST(test_searchd_api_health)
{
    struct sd_response r;
    ck_assert(sd_get(port, "/v1/health", &r));
    ck_assert_int_eq(r.status, 200);
    assert_json_type(&r);
    json_t *root = sd_json(&r);
    ck_assert_str_eq(json_string_value(json_object_get(root, "status")), "ok");
    ck_assert(json_is_integer(json_object_get(root, "documents")));
    ck_assert(json_is_integer(json_object_get(root, "revision")));
    json_decref(root);
    sd_response_free(&r);

    get_error("/v1/health?verbose=1", 400, "unknown_parameter", "verbose");

    /* For orchestration: live (the process), ready (everything served). */
    ck_assert(sd_get(port, "/v1/health/live", &r));
    ck_assert_int_eq(r.status, 200);
    root = sd_json(&r);
    ck_assert_str_eq(json_string_value(json_object_get(root, "status")),
                     "live");
    json_decref(root);
    sd_response_free(&r);
    ck_assert(sd_get(port, "/v1/health/ready", &r));
    ck_assert_int_eq(r.status, 200);
    root = sd_json(&r);
    ck_assert_str_eq(json_string_value(json_object_get(root, "status")),
                     "ready");
    ck_assert_int_gt(json_integer_value(json_object_get(root, "documents")), 0);
    json_decref(root);
    sd_response_free(&r);
    get_error("/v1/health/ready?x=1", 400, "unknown_parameter", "x");

    /* HEAD: the same headers, no body. */
    ck_assert(sd_request(port, "HEAD", "/v1/health", NULL, NULL, 0, &r));
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(r.body_len, 0);
    sd_response_free(&r);
}
END_TEST

/* ---- Search ---------------------------------------------------------------
 */

START_TEST(test_searchd_api_search_shape)
{
    const char *targets[] = {"/v1/search?q=factuur",
                             "/v1/search?q=factuur&lang=nl&limit=3&offset=0",
                             "/v1/search?q=factuur&type=procedure,product",
                             "/v1/search?q=%22direct+debit%22+-mobile"};
    for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
        struct sd_response r;
        ck_assert(sd_get(port, targets[i], &r));
        ck_assert_msg(r.status == 200, "%s: %d %s", targets[i], r.status,
                      r.body);
        assert_json_type(&r);
        json_t *root = sd_json(&r);
        assert_result_shape(root, false);
        json_decref(root);
        sd_response_free(&r);
    }
    struct sd_response r;
    ck_assert(sd_get(port, "/v1/search?q=factuur&facets=1", &r));
    ck_assert_int_eq(r.status, 200);
    json_t *root = sd_json(&r);
    assert_result_shape(root, true);
    /* `query` is q as given, decoded. */
    ck_assert_str_eq(json_string_value(json_object_get(root, "query")),
                     "factuur");
    json_decref(root);
    sd_response_free(&r);

    /* An empty q is fine with a customer (their history). */
    ck_assert(sd_get(port, "/v1/search?q=&customer=C000123", &r));
    ck_assert_int_eq(r.status, 200);
    sd_response_free(&r);
}
END_TEST

START_TEST(test_searchd_api_search_post)
{
    struct sd_response r;
    ck_assert(
        sd_post_json(port, "/v1/search",
                     "{\"q\": \"factuur\", \"lang\": \"nl\", \"limit\": 5,"
                     " \"offset\": 0, \"type\": [\"procedure\"], "
                     "\"facets\": true, \"customer\": null}",
                     &r));
    ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
    json_t *root = sd_json(&r);
    assert_result_shape(root, true);
    json_decref(root);
    sd_response_free(&r);

    ck_assert(sd_post_json(port, "/v1/search",
                           "{\"q\":\"factuur\",\"type\":\"product,procedure\","
                           "\"facets\":0}",
                           &r));
    ck_assert_int_eq(r.status, 200);
    root = sd_json(&r);
    assert_result_shape(root, false);
    json_decref(root);
    sd_response_free(&r);

    /* Content-Type with parameters is fine; another type is not. */
    ck_assert(sd_request(port, "POST", "/v1/search",
                         "Content-Type: application/json; charset=utf-8\r\n",
                         "{\"q\":\"x\"}", 9, &r));
    ck_assert_int_eq(r.status, 200);
    sd_response_free(&r);
    ck_assert(sd_request(port, "POST", "/v1/search",
                         "Content-Type: text/plain\r\n", "{\"q\":\"x\"}", 9,
                         &r));
    assert_error(&r, 415, "unsupported_media_type", NULL);
    sd_response_free(&r);
    ck_assert(
        sd_request(port, "POST", "/v1/search", NULL, "{\"q\":\"x\"}", 9, &r));
    assert_error(&r, 415, "unsupported_media_type", NULL);
    sd_response_free(&r);
}
END_TEST

START_TEST(test_searchd_api_search_parameters)
{
    struct {
        const char *target;
        int status;
        const char *code, *parameter;
    } cases[] = {
        {"/v1/search", 400, "missing_parameter", "q"},
        {"/v1/search?lang=nl", 400, "missing_parameter", "q"},
        {"/v1/search?q=", 400, "invalid_parameter", "q"},
        {"/v1/search?q=x&color=red", 400, "unknown_parameter", "color"},
        {"/v1/search?q=x&Q=y", 400, "unknown_parameter", "Q"},
        {"/v1/search?q=x&q=y", 400, "duplicate_parameter", "q"},
        {"/v1/search?q=x&limit=1&limit=2", 400, "duplicate_parameter", "limit"},
        {"/v1/search?q=%FF", 400, "invalid_utf8", "q"},
        {"/v1/search?q=a%00b", 400, "invalid_utf8", "q"},
        {"/v1/search?q=x&customer=%C0%80", 400, "invalid_utf8", "customer"},
        {"/v1/search?q=x&lang=de", 400, "invalid_parameter", "lang"},
        {"/v1/search?q=x&lang=", 400, "invalid_parameter", "lang"},
        {"/v1/search?q=x&lang=nederlands", 400, "invalid_parameter", "lang"},
        {"/v1/search?q=x&limit=0", 400, "invalid_parameter", "limit"},
        {"/v1/search?q=x&limit=101", 400, "invalid_parameter", "limit"},
        {"/v1/search?q=x&limit=-1", 400, "invalid_parameter", "limit"},
        {"/v1/search?q=x&limit=1.5", 400, "invalid_parameter", "limit"},
        {"/v1/search?q=x&limit=+5", 400, "invalid_parameter", "limit"},
        {"/v1/search?q=x&limit=", 400, "invalid_parameter", "limit"},
        {"/v1/search?q=x&limit=99999999999999999999", 400, "invalid_parameter",
         "limit"},
        {"/v1/search?q=x&offset=-1", 400, "invalid_parameter", "offset"},
        {"/v1/search?q=x&offset=10001", 400, "invalid_parameter", "offset"},
        {"/v1/search?q=x&type=Product", 400, "invalid_parameter", "type"},
        {"/v1/search?q=x&type=product,,procedure", 400, "invalid_parameter",
         "type"},
        {"/v1/search?q=x&type=", 400, "invalid_parameter", "type"},
        {"/v1/search?q=x&type=a,b,c,d,e,f,g,h,i", 400, "invalid_parameter",
         "type"},
        {"/v1/search?q=x&type=%3Cscript%3E", 400, "invalid_parameter", "type"},
        {"/v1/search?q=x&customer=C0001%20OR%201", 400, "invalid_parameter",
         "customer"},
        {"/v1/search?q=x&customer=", 400, "invalid_parameter", "customer"},
        /* One rule per kind of name (document/names.c): a customer id of
         * 65 bytes or a type a document could not have is the
         * parameter's fault, said by searchd, not the engine's. */
        {"/v1/search?q=x&customer="
         "C0000000000000000000000000000000000000000000000000000000000000001",
         400, "invalid_parameter", "customer"},
        {"/v1/search?q=x&type=9product", 400, "invalid_parameter", "type"},
        {"/v1/search?q=x&type=abcdefghijabcdefghijabcdefghijabc", 400,
         "invalid_parameter", "type"},
        {"/v1/search?q=x&facets=yes", 400, "invalid_parameter", "facets"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        get_error(cases[i].target, cases[i].status, cases[i].code,
                  cases[i].parameter);

    /* Several unknown parameters are all named. */
    struct sd_response r;
    ck_assert(sd_get(port, "/v1/search?q=x&foo=1&bar=2", &r));
    assert_error(&r, 400, "unknown_parameter", "foo");
    ck_assert_msg(strstr(r.body, "bar"), "%s", r.body);
    /* and the message says which ones the route knows */
    ck_assert_msg(strstr(r.body, "known here: ") && strstr(r.body, "lang") &&
                      strstr(r.body, "customer"),
                  "%s", r.body);
    sd_response_free(&r);

    /* Valid edge values pass. */
    const char *fine[] = {"/v1/search?q=x&limit=1",
                          "/v1/search?q=x&limit=100",
                          "/v1/search?q=x&offset=10000",
                          "/v1/search?q=x&lang=NL",
                          "/v1/search?q=x&facets=false",
                          "/v1/search?q=x&type=product,%20procedure",
                          "/v1/search?q=x+y+",
                          "/v1/search?q=x&type=history&customer=C000123",
                          "/v1/search?q=x&type=abcdefghijabcdefghijabcdefghijab",
                          "/v1/search?q=x&customer="
                          "C000000000000000000000000000000000000000000000000000"
                          "000000000001"};
    for (size_t i = 0; i < sizeof fine / sizeof *fine; i++) {
        ck_assert(sd_get(port, fine[i], &r));
        ck_assert_msg(r.status == 200, "%s: %d %s", fine[i], r.status, r.body);
        sd_response_free(&r);
    }
}
END_TEST

START_TEST(test_searchd_api_query_length)
{
    /* 1 KiB of query is fine, one byte more is refused by name. */
    char q[1100], target[1200];
    memset(q, 'a', sizeof q);
    for (size_t i = 5; i < sizeof q; i += 6)
        q[i] = '+';
    struct sd_response r;
    snprintf(target, sizeof target, "/v1/search?q=%.1024s", q);
    ck_assert(sd_get(port, target, &r));
    ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
    sd_response_free(&r);
    snprintf(target, sizeof target, "/v1/search?q=%.1025s", q);
    get_error(target, 413, "too_large", "q");

    /* The same in a body. */
    char body[1200];
    snprintf(body, sizeof body, "{\"q\":\"%.1025s\"}", q);
    post_error("/v1/search", body, 413, "too_large", "q");
}
END_TEST

START_TEST(test_searchd_api_search_body_errors)
{
    struct {
        const char *body;
        int status;
        const char *code, *parameter;
    } cases[] = {
        {"", 400, "invalid_json", NULL},
        {"{", 400, "invalid_json", NULL},
        {"{\"q\": \"x\",}", 400, "invalid_json", NULL},
        {"[\"q\"]", 400, "invalid_json", NULL},
        {"\"q\"", 400, "invalid_json", NULL},
        {"{\"q\": \"x\", \"q\": \"y\"}", 400, "duplicate_parameter", NULL},
        {"{\"q\": \"x\", \"colour\": 1}", 400, "unknown_parameter", "colour"},
        {"{}", 400, "missing_parameter", "q"},
        {"{\"q\": null}", 400, "missing_parameter", "q"},
        {"{\"q\": 5}", 400, "invalid_parameter", "q"},
        {"{\"q\": \"\"}", 400, "invalid_parameter", "q"},
        {"{\"q\": \"x\", \"limit\": \"10\"}", 400, "invalid_parameter",
         "limit"},
        {"{\"q\": \"x\", \"limit\": 10.5}", 400, "invalid_parameter", "limit"},
        {"{\"q\": \"x\", \"limit\": 1000}", 400, "invalid_parameter", "limit"},
        {"{\"q\": \"x\", \"offset\": -3}", 400, "invalid_parameter", "offset"},
        {"{\"q\": \"x\", \"facets\": \"yes\"}", 400, "invalid_parameter",
         "facets"},
        {"{\"q\": \"x\", \"facets\": 2}", 400, "invalid_parameter", "facets"},
        {"{\"q\": \"x\", \"lang\": 1}", 400, "invalid_parameter", "lang"},
        {"{\"q\": \"x\", \"lang\": \"xx\"}", 400, "invalid_parameter", "lang"},
        {"{\"q\": \"x\", \"type\": [1]}", 400, "invalid_parameter", "type"},
        {"{\"q\": \"x\", \"type\": []}", 400, "invalid_parameter", "type"},
        {"{\"q\": \"x\", \"type\": {}}", 400, "invalid_parameter", "type"},
        {"{\"q\": \"x\", \"customer\": 123}", 400, "invalid_parameter",
         "customer"},
        {"{\"q\": \"\\u0000\"}", 400, "invalid_json", NULL},
        {"{\"q\": \"\\ud800\"}", 400, "invalid_json", NULL},
        {"{\"q\": \"\xff\"}", 400, "invalid_json", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        post_error("/v1/search", cases[i].body, cases[i].status, cases[i].code,
                   cases[i].parameter);

    /* Bad JSON is located by line and column. */
    struct sd_response r;
    ck_assert(sd_post_json(port, "/v1/search",
                           "{\n  \"q\": \"x\"\n  \"limit\": 1\n}", &r));
    assert_error(&r, 400, "invalid_json", NULL);
    ck_assert_msg(strstr(r.body, "line 3"), "%s", r.body);
    ck_assert_msg(strstr(r.body, "column"), "%s", r.body);
    sd_response_free(&r);
}
END_TEST

/* ---- Suggest ---------------------------------------------------------------
 */

START_TEST(test_searchd_api_suggest)
{
    struct sd_response r;
    ck_assert(sd_post_json(port, "/v1/suggest",
                           "{\"text\": \"Goedemiddag, ik ben vorige week "
                           "verhuisd en mijn internet werkt nog niet op het "
                           "nieuwe adres.\", \"lang\": \"nl\", \"limit\": 5}",
                           &r));
    ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
    assert_json_type(&r);
    json_t *root = sd_json(&r);
    assert_result_shape(root, false);
    ck_assert_int_le(json_array_size(json_object_get(root, "hits")), 5);
    json_decref(root);
    sd_response_free(&r);

    post_error("/v1/suggest", "{}", 400, "missing_parameter", "text");
    post_error("/v1/suggest", "{\"text\": [\"a\"]}", 400, "invalid_parameter",
               "text");
    post_error("/v1/suggest", "{\"text\": \"\"}", 400, "invalid_parameter",
               "text");
    post_error("/v1/suggest", "{\"text\": \"x\", \"q\": \"y\"}", 400,
               "unknown_parameter", "q");
    post_error("/v1/suggest", "{\"text\": \"x\", \"offset\": 1}", 400,
               "unknown_parameter", "offset");
    post_error("/v1/suggest", "{\"text\": \"x\", \"limit\": 0}", 400,
               "invalid_parameter", "limit");
    post_error("/v1/suggest", "[]", 400, "invalid_json", NULL);

    /* 64 KiB of text is accepted; one byte more is refused by name. */
    size_t max = 64 * 1024;
    char *body = malloc(max + 64);
    for (int extra = 0; extra < 2; extra++) {
        size_t n = (size_t)sprintf(body, "{\"text\": \"");
        for (size_t i = 0; i < max + (size_t)extra; i++)
            body[n + i] = i % 8 == 7 ? ' ' : 'a' + (char)(i % 7);
        n += max + (size_t)extra;
        strcpy(body + n, "\"}");
        ck_assert(sd_post_json(port, "/v1/suggest", body, &r));
        if (extra == 0)
            ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
        else
            assert_error(&r, 413, "too_large", "text");
        sd_response_free(&r);
    }
    free(body);

    ck_assert(sd_get(port, "/v1/suggest", &r));
    assert_error(&r, 405, "method_not_allowed", NULL);
    sd_response_free(&r);
}
END_TEST

/* ---- Documents --------------------------------------------------------------
 */

START_TEST(test_searchd_api_documents)
{
    get_error("/v1/docs/no-such-document-xyz", 404, "not_found", "id");
    get_error("/v1/docs/no-such-document-xyz?customer=C000123", 404,
              "not_found", "id");
    get_error("/v1/docs/a%20b", 400, "invalid_parameter", "id");
    get_error("/v1/docs/%C3%A9t%C3%A9", 400, "invalid_parameter", "id");
    get_error("/v1/docs/%FF", 400, "invalid_parameter", "id");
    get_error("/v1/docs/x%00y", 400, "invalid_parameter", NULL);
    char long_id[200] = "/v1/docs/";
    memset(long_id + 9, 'a', 129);
    get_error(long_id, 400, "invalid_parameter", "id");
    get_error("/v1/docs/x?customer=a%20b", 400, "invalid_parameter",
              "customer");
    get_error("/v1/docs/x?format=md", 400, "unknown_parameter", "format");
    /* No id, or more than one segment: not a resource. */
    get_error("/v1/docs/", 404, "not_found", NULL);
    get_error("/v1/docs/a/b", 404, "not_found", NULL);
}
END_TEST

/* ---- Analyze
 * ------------------------------------------------------------------ */

START_TEST(test_searchd_api_analyze)
{
    const char *text = "De glasvezelaansluitingen van l'électricité";
    char *encoded = sd_url_encode(text, strlen(text));
    char target[512];
    snprintf(target, sizeof target, "/v1/analyze?text=%s&lang=nl", encoded);
    struct sd_response r;
    ck_assert(sd_get(port, target, &r));
    ck_assert_msg(r.status == 200, "%d %s", r.status, r.body);
    assert_json_type(&r);
    json_t *root = sd_json(&r);
    ck_assert_str_eq(json_string_value(json_object_get(root, "lang")), "nl");
    json_t *tokens = json_object_get(root, "tokens");
    ck_assert(json_is_array(tokens));
    ck_assert_int_ge(json_array_size(tokens), 4);
    size_t i;
    json_t *token;
    json_array_foreach(tokens, i, token)
    {
        json_int_t start = json_integer_value(json_object_get(token, "start"));
        json_int_t end = json_integer_value(json_object_get(token, "end"));
        ck_assert(0 <= start && start < end && end <= (json_int_t)strlen(text));
        /* token is exactly the slice of the text at start..end. */
        const char *slice = json_string_value(json_object_get(token, "token"));
        ck_assert(slice && strlen(slice) == (size_t)(end - start));
        ck_assert(memcmp(slice, text + start, (size_t)(end - start)) == 0);
        ck_assert(json_is_boolean(json_object_get(token, "stopword")));
        json_t *terms = json_object_get(token, "terms");
        ck_assert(json_is_array(terms) && json_array_size(terms) >= 1);
        json_t *kinds = json_object_get(token, "kinds");
        ck_assert(json_is_array(kinds) &&
                  json_array_size(kinds) == json_array_size(terms));
        ck_assert_str_eq(json_string_value(json_array_get(kinds, 0)), "whole");
    }
    /* "De" is a Dutch stopword; the compound is reported split into its
     * parts (the head stemmed). */
    token = json_array_get(tokens, 0);
    ck_assert_str_eq(json_string_value(json_object_get(token, "token")), "De");
    ck_assert(json_is_true(json_object_get(token, "stopword")));
    token = json_array_get(tokens, 1);
    json_t *terms = json_object_get(token, "terms");
    json_t *kinds = json_object_get(token, "kinds");
    ck_assert_int_eq(json_array_size(terms), 3);
    ck_assert_str_eq(json_string_value(json_array_get(terms, 1)), "glasvezel");
    ck_assert_str_eq(json_string_value(json_array_get(kinds, 1)), "part");
    ck_assert_str_eq(json_string_value(json_array_get(terms, 2)),
                     "aansluiting");
    ck_assert_str_eq(json_string_value(json_array_get(kinds, 2)), "part");
    json_decref(root);
    sd_response_free(&r);
    free(encoded);

    /* Without lang the language is detected and reported. */
    const char *french = "Je voudrais payer ma facture d'électricité par "
                         "domiciliation";
    encoded = sd_url_encode(french, strlen(french));
    snprintf(target, sizeof target, "/v1/analyze?text=%s", encoded);
    free(encoded);
    ck_assert(sd_get(port, target, &r));
    ck_assert_int_eq(r.status, 200);
    root = sd_json(&r);
    ck_assert_str_eq(json_string_value(json_object_get(root, "lang")), "fr");
    ck_assert(json_is_true(json_object_get(root, "detected")));
    json_decref(root);
    sd_response_free(&r);

    /* French and English terms are lemmas, and say where they came
     * from. */
    const struct {
        const char *target, *term, *stem;
    } lemmas[] = {
        {"/v1/analyze?text=pouvez&lang=fr", "pouvoir", "lexicon"},
        {"/v1/analyze?text=yeux&lang=fr", "oeil", "irregular"},
        {"/v1/analyze?text=went&lang=en", "go", "irregular"},
        {"/v1/analyze?text=invoices&lang=en", "invoic", "snowball"},
        {"/v1/analyze?text=facturen&lang=nl", "factuur", "dutch"},
    };
    for (size_t k = 0; k < sizeof lemmas / sizeof *lemmas; k++) {
        ck_assert(sd_get(port, lemmas[k].target, &r));
        ck_assert_int_eq(r.status, 200);
        root = sd_json(&r);
        token = json_array_get(json_object_get(root, "tokens"), 0);
        ck_assert_str_eq(
            json_string_value(json_array_get(json_object_get(token, "terms"), 0)),
            lemmas[k].term);
        ck_assert_str_eq(json_string_value(json_object_get(token, "stem")),
                         lemmas[k].stem);
        json_decref(root);
        sd_response_free(&r);
    }

    /* Nothing to detect: lang is null. */
    ck_assert(sd_get(port, "/v1/analyze?text=12345", &r));
    ck_assert_int_eq(r.status, 200);
    root = sd_json(&r);
    ck_assert(json_is_null(json_object_get(root, "lang")));
    json_decref(root);
    sd_response_free(&r);

    /* An empty text has no tokens. */
    ck_assert(sd_get(port, "/v1/analyze?text=&lang=en", &r));
    ck_assert_int_eq(r.status, 200);
    root = sd_json(&r);
    ck_assert_int_eq(json_array_size(json_object_get(root, "tokens")), 0);
    json_decref(root);
    sd_response_free(&r);

    get_error("/v1/analyze", 400, "missing_parameter", "text");
    get_error("/v1/analyze?text=x&lang=de", 400, "invalid_parameter", "lang");
    get_error("/v1/analyze?text=%E9t%E9", 400, "invalid_utf8", "text");
    get_error("/v1/analyze?text=x&q=y", 400, "unknown_parameter", "q");

    /* 64 KiB of text (in the URL) is the limit. */
    size_t max = 64 * 1024;
    char *big = malloc(max + 64);
    int n = sprintf(big, "/v1/analyze?lang=en&text=");
    memset(big + n, 'a', max + 1);
    for (size_t k = 9; k < max + 1; k += 10)
        big[n + k] = '+';
    big[n + max + 1] = '\0';
    get_error(big, 413, "too_large", "text");
    big[n + max] = '\0';
    ck_assert(sd_get(port, big, &r));
    ck_assert_msg(r.status == 200, "%d %.200s", r.status, r.body);
    sd_response_free(&r);
    free(big);
}
END_TEST

/* ---- Routing: 404, 405, keep-alive
 * ------------------------------------------- */

START_TEST(test_searchd_api_not_found_and_methods)
{
    get_error("/v2/search", 404, "not_found", NULL);
    get_error("/v1/search/", 404, "not_found", NULL);
    get_error("/v1", 404, "not_found", NULL);
    get_error("/no-such-file.js", 404, "not_found", NULL);

    struct {
        const char *method, *target, *allow;
    } cases[] = {
        {"DELETE", "/v1/search", "GET, HEAD, POST, OPTIONS"},
        {"PUT", "/v1/search", "GET, HEAD, POST, OPTIONS"},
        {"GET", "/v1/suggest", "POST, OPTIONS"},
        {"POST", "/v1/health", "GET, HEAD, OPTIONS"},
        {"POST", "/v1/docs/proc-x", "GET, HEAD, PUT, DELETE, OPTIONS"},
        {"PATCH", "/v1/docs/proc-x", "GET, HEAD, PUT, DELETE, OPTIONS"},
        {"POST", "/metrics", "GET, HEAD, OPTIONS"},
        {"PATCH", "/", "GET, HEAD, OPTIONS"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sd_response r;
        ck_assert(sd_request(port, cases[i].method, cases[i].target,
                             "Content-Type: application/json\r\n", "{}", 2,
                             &r));
        assert_error(&r, 405, "method_not_allowed", NULL);
        char *allow = sd_header(&r, "Allow");
        ck_assert_msg(allow && strcmp(allow, cases[i].allow) == 0,
                      "%s %s: Allow: %s", cases[i].method, cases[i].target,
                      allow ? allow : "(none)");
        free(allow);
        sd_response_free(&r);
    }
}
END_TEST

START_TEST(test_searchd_api_keep_alive)
{
    /* Two requests on one connection: both answered, in order. */
    int fd = sd_connect(port);
    ck_assert_int_ge(fd, 0);
    const char *requests =
        "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        "GET /v1/nope HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    ck_assert(sd_send_all(fd, requests, strlen(requests)));
    size_t len;
    bool timed_out;
    char *raw = sd_read_all(fd, &len, &timed_out);
    close(fd);
    ck_assert(!timed_out);
    ck_assert_msg(strncmp(raw, "HTTP/1.1 200", 12) == 0, "%s", raw);
    ck_assert_msg(strstr(raw, "HTTP/1.1 404"), "%s", raw);
    free(raw);
}
END_TEST

/* ---- CORS
 * -------------------------------------------------------------------- */

START_TEST(test_searchd_api_cors)
{
    struct sd_response r;
    ck_assert(sd_request(port, "GET", "/v1/health",
                         "Origin: https://crm.example\r\n", NULL, 0, &r));
    ck_assert_int_eq(r.status, 200);
    char *allow_origin = sd_header(&r, "Access-Control-Allow-Origin");
    char *vary = sd_header(&r, "Vary");
    ck_assert_str_eq(allow_origin, "https://crm.example");
    ck_assert_str_eq(vary, "Origin");
    free(allow_origin);
    free(vary);
    sd_response_free(&r);

    /* Errors carry CORS too, or the browser hides them from the page. */
    ck_assert(sd_request(port, "GET", "/v1/search",
                         "Origin: http://localhost:3000\r\n", NULL, 0, &r));
    ck_assert_int_eq(r.status, 400);
    allow_origin = sd_header(&r, "Access-Control-Allow-Origin");
    ck_assert_str_eq(allow_origin, "http://localhost:3000");
    free(allow_origin);
    sd_response_free(&r);

    /* Another origin gets no CORS headers. */
    const char *others[] = {"https://evil.example", "https://crm.example.evil",
                            "null", "http://crm.example"};
    for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
        char header[128];
        snprintf(header, sizeof header, "Origin: %s\r\n", others[i]);
        ck_assert(sd_request(port, "GET", "/v1/health", header, NULL, 0, &r));
        ck_assert_int_eq(r.status, 200);
        ck_assert_ptr_null(sd_header(&r, "Access-Control-Allow-Origin"));
        sd_response_free(&r);
    }

    /* Preflight from an allowed origin. */
    ck_assert(sd_request(port, "OPTIONS", "/v1/suggest",
                         "Origin: https://crm.example\r\n"
                         "Access-Control-Request-Method: POST\r\n"
                         "Access-Control-Request-Headers: content-type\r\n",
                         NULL, 0, &r));
    ck_assert_int_eq(r.status, 204);
    char *methods = sd_header(&r, "Access-Control-Allow-Methods");
    char *headers = sd_header(&r, "Access-Control-Allow-Headers");
    allow_origin = sd_header(&r, "Access-Control-Allow-Origin");
    ck_assert_str_eq(methods, "GET, POST, PUT, DELETE");
    ck_assert_str_eq(headers, "Content-Type, Authorization, "
                              "X-Vraagbaak-Ticket, If-Match");
    ck_assert_str_eq(allow_origin, "https://crm.example");
    free(methods);
    free(headers);
    free(allow_origin);
    sd_response_free(&r);

    /* Preflight from another origin: no CORS headers. */
    ck_assert(sd_request(port, "OPTIONS", "/v1/search",
                         "Origin: https://evil.example\r\n"
                         "Access-Control-Request-Method: POST\r\n",
                         NULL, 0, &r));
    ck_assert_int_lt(r.status, 300);
    ck_assert_ptr_null(sd_header(&r, "Access-Control-Allow-Origin"));
    ck_assert_ptr_null(sd_header(&r, "Access-Control-Allow-Methods"));
    sd_response_free(&r);

    /* OPTIONS on an unknown path is still a 404. */
    ck_assert(sd_request(port, "OPTIONS", "/v1/nope",
                         "Origin: https://crm.example\r\n", NULL, 0, &r));
    assert_error(&r, 404, "not_found", NULL);
    sd_response_free(&r);
}
END_TEST

/* ---- Static files
 * -------------------------------------------------------------- */

START_TEST(test_searchd_api_static_files)
{
    struct {
        const char *target, *type, *cache, *starts;
    } files[] = {
        {"/", "text/html; charset=utf-8", "no-cache", "<!doctype html>"},
        {"/widget.js", "text/javascript; charset=utf-8", "public, max-age=300",
         "export const"},
        {"/style.css", "text/css; charset=utf-8", "public, max-age=300",
         "body"},
        {"/index.html", "text/html; charset=utf-8", "no-cache",
         "<!doctype html>"},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        struct sd_response r;
        ck_assert(sd_get(port, files[i].target, &r));
        ck_assert_msg(r.status == 200, "%s: %d", files[i].target, r.status);
        char *type = sd_header(&r, "Content-Type");
        char *cache = sd_header(&r, "Cache-Control");
        char *etag = sd_header(&r, "ETag");
        ck_assert_str_eq(type, files[i].type);
        ck_assert_str_eq(cache, files[i].cache);
        ck_assert_ptr_nonnull(etag);
        ck_assert(strncmp(r.body, files[i].starts, strlen(files[i].starts)) ==
                  0);
        sd_response_free(&r);

        /* Revalidation by ETag. */
        char header[160];
        snprintf(header, sizeof header, "If-None-Match: %s\r\n", etag);
        ck_assert(
            sd_request(port, "GET", files[i].target, header, NULL, 0, &r));
        ck_assert_int_eq(r.status, 304);
        ck_assert_uint_eq(r.body_len, 0);
        sd_response_free(&r);
        free(type);
        free(cache);
        free(etag);
    }
    /* Missing files, dot files, and paths out of the directory: 404. */
    get_error("/missing.js", 404, "not_found", NULL);
    get_error("/.secret", 404, "not_found", NULL);
    get_error("/..%2Fetc%2Fpasswd", 404, "not_found", NULL);
    get_error("/%2E%2E", 404, "not_found", NULL);
    get_error("/web/widget.js", 404, "not_found", NULL);
}
END_TEST

/* ---- Metrics
 * ------------------------------------------------------------------ */

/* Checks one exposition line by line (Prometheus text format 0.0.4): HELP
 * and TYPE comments, then samples `name{label="value",...} number` of a
 * declared family; histograms have cumulative buckets ending in +Inf that
 * equal _count. */
static void assert_prometheus_text(const char *text)
{
    char families[64][96];
    size_t family_count = 0;
    const char *line = text;
    double last_bucket = -1;
    while (*line) {
        const char *end = strchr(line, '\n');
        ck_assert_msg(end, "last line without newline");
        size_t len = (size_t)(end - line);
        char copy[512];
        ck_assert(len < sizeof copy);
        memcpy(copy, line, len);
        copy[len] = '\0';
        line = end + 1;
        if (strncmp(copy, "# HELP ", 7) == 0)
            continue;
        if (strncmp(copy, "# TYPE ", 7) == 0) {
            char name[96], type[32];
            ck_assert_int_eq(sscanf(copy + 7, "%95s %31s", name, type), 2);
            ck_assert_msg(strcmp(type, "counter") == 0 ||
                              strcmp(type, "gauge") == 0 ||
                              strcmp(type, "histogram") == 0,
                          "%s", copy);
            ck_assert(family_count < 64);
            strcpy(families[family_count++], name);
            continue;
        }
        ck_assert_msg(copy[0] != '#' && copy[0] != '\0', "line: '%s'", copy);
        size_t name_len =
            strspn(copy, "abcdefghijklmnopqrstuvwxyz"
                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:");
        ck_assert_msg(name_len > 0 && !isdigit((unsigned char)copy[0]),
                      "name: '%s'", copy);
        bool declared = false;
        for (size_t f = 0; f < family_count; f++) {
            size_t fl = strlen(families[f]);
            if (strncmp(copy, families[f], fl) == 0 &&
                (name_len == fl ||
                 (name_len > fl && (strcmp(copy + fl, "_bucket") == 0 ||
                                    strncmp(copy + fl, "_bucket", 7) == 0 ||
                                    strncmp(copy + fl, "_sum", 4) == 0 ||
                                    strncmp(copy + fl, "_count", 6) == 0))))
                declared = true;
        }
        ck_assert_msg(declared, "sample of an undeclared family: '%s'", copy);
        const char *rest = copy + name_len;
        if (*rest == '{') {
            const char *close = strchr(rest, '}');
            ck_assert_msg(close, "%s", copy);
            /* label="value" pairs */
            const char *p = rest + 1;
            while (p < close) {
                size_t ln = strspn(p, "abcdefghijklmnopqrstuvwxyz_");
                ck_assert_msg(ln > 0 && p[ln] == '=' && p[ln + 1] == '"',
                              "labels: %s", copy);
                const char *q = strchr(p + ln + 2, '"');
                ck_assert(q && q < close);
                p = q + 1;
                if (*p == ',')
                    p++;
            }
            rest = close + 1;
        }
        ck_assert_msg(*rest == ' ', "%s", copy);
        char *after;
        double value = strtod(rest + 1, &after);
        ck_assert_msg(after != rest + 1 && *after == '\0', "value: '%s'", copy);
        if (strstr(copy, "_bucket{")) {
            ck_assert_msg(value >= last_bucket || strstr(copy, "le=\"0.0001\""),
                          "buckets not cumulative: %s", copy);
            last_bucket = value;
        }
    }
}

/* The value of the sample `series` (exact text up to the value). */
static double sample(const char *text, const char *series)
{
    size_t n = strlen(series);
    for (const char *line = text; line && *line;) {
        if (strncmp(line, series, n) == 0 && line[n] == ' ')
            return strtod(line + n + 1, NULL);
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    ck_abort_msg("no sample %s", series);
    return -1;
}

static char *scrape(void)
{
    struct sd_response r;
    ck_assert(sd_get(port, "/metrics", &r));
    ck_assert_int_eq(r.status, 200);
    char *type = sd_header(&r, "Content-Type");
    ck_assert_str_eq(type, "text/plain; version=0.0.4; charset=utf-8");
    free(type);
    char *body = r.body;
    r.body = NULL;
    sd_response_free(&r);
    return body;
}

START_TEST(test_searchd_api_metrics)
{
    char *before = scrape();
    assert_prometheus_text(before);

    struct sd_response r;
    for (int i = 0; i < 3; i++) {
        ck_assert(sd_get(port, "/v1/health", &r));
        sd_response_free(&r);
    }
    for (int i = 0; i < 2; i++) {
        ck_assert(sd_get(port, "/v1/search?q=factuur", &r));
        sd_response_free(&r);
    }
    ck_assert(sd_get(port, "/v1/search?q=x&bogus=1", &r));
    sd_response_free(&r);
    ck_assert(sd_get(port, "/v1/does-not-exist", &r));
    sd_response_free(&r);

    char *after = scrape();
    assert_prometheus_text(after);
    struct {
        const char *series;
        double delta;
    } expected[] = {
        {"vraagbaak_http_requests_total{endpoint=\"health\",status=\"2xx\"}",
         3},
        {"vraagbaak_http_requests_total{endpoint=\"search\",status=\"2xx\"}",
         2},
        {"vraagbaak_http_requests_total{endpoint=\"search\",status=\"4xx\"}",
         1},
        {"vraagbaak_http_requests_total{endpoint=\"other\",status=\"4xx\"}", 1},
        {"vraagbaak_http_requests_total{endpoint=\"metrics\",status=\"2xx\"}",
         1},
        {"vraagbaak_http_request_duration_seconds_count{endpoint=\"health\"}",
         3},
        {"vraagbaak_http_request_duration_seconds_bucket{endpoint=\"search\","
         "le=\"+Inf\"}",
         2 + 1},
        {"vraagbaak_http_errors_total{code=\"unknown_parameter\"}", 1},
        {"vraagbaak_http_errors_total{code=\"not_found\"}", 1},
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        double delta = sample(after, expected[i].series) -
                       sample(before, expected[i].series);
        ck_assert_msg(delta == expected[i].delta, "%s: +%g, expected +%g",
                      expected[i].series, delta, expected[i].delta);
    }
    ck_assert(sample(after, "vraagbaak_index_up") == 1);
    ck_assert(sample(after, "vraagbaak_index_documents") >= 0);
    ck_assert(sample(after, "vraagbaak_index_revision") >= 0);
    free(before);
    free(after);
}
END_TEST

/* ---- docs/openapi.yaml against the routing table
 * --------------------------------- */

/* The (method, path) operations of openapi.yaml's `paths:` section. */
static size_t openapi_operations(char methods[][8], char paths[][64],
                                 size_t cap)
{
    size_t len;
    char *text = vb_test_read_file(VB_SOURCE_DIR "/docs/openapi.yaml", &len);
    ck_assert_msg(text, "docs/openapi.yaml cannot be read");
    size_t count = 0;
    bool in_paths = false;
    char path[64] = "";
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] != ' ' && line[0] != '#' && line[0] != '\0') {
            in_paths = strncmp(line, "paths:", 6) == 0;
            continue;
        }
        if (!in_paths)
            continue;
        if (line[0] == ' ' && line[1] == ' ' && line[2] == '/') {
            char *colon = strrchr(line, ':');
            ck_assert(colon && (size_t)(colon - line - 2) < sizeof path);
            memcpy(path, line + 2, (size_t)(colon - line - 2));
            path[colon - line - 2] = '\0';
            continue;
        }
        static const char *const verbs[] = {"get",   "post", "put",    "delete",
                                            "patch", "head", "options"};
        for (size_t v = 0; v < 7; v++) {
            size_t n = strlen(verbs[v]);
            if (strncmp(line, "    ", 4) == 0 && line[4] != ' ' &&
                strncmp(line + 4, verbs[v], n) == 0 && line[4 + n] == ':') {
                ck_assert(count < cap && path[0]);
                for (size_t k = 0; k <= n; k++)
                    methods[count][k] =
                        (char)toupper((unsigned char)verbs[v][k]);
                strcpy(paths[count], path);
                count++;
            }
        }
    }
    free(text);
    return count;
}

START_TEST(test_searchd_api_openapi_matches_routes)
{
    struct vb_searchd_route routes[64];
    size_t route_count = vb_searchd_routes(routes, 64);
    ck_assert(route_count > 0 && route_count <= 64);
    char methods[64][8], paths[64][64];
    size_t op_count = openapi_operations(methods, paths, 64);

    for (size_t i = 0; i < route_count; i++) {
        bool found = false;
        for (size_t k = 0; k < op_count; k++)
            found |= strcmp(routes[i].method, methods[k]) == 0 &&
                     strcmp(routes[i].path, paths[k]) == 0;
        ck_assert_msg(found, "%s %s is served but not in docs/openapi.yaml",
                      routes[i].method, routes[i].path);
    }
    for (size_t k = 0; k < op_count; k++) {
        bool found = false;
        for (size_t i = 0; i < route_count; i++)
            found |= strcmp(routes[i].method, methods[k]) == 0 &&
                     strcmp(routes[i].path, paths[k]) == 0;
        ck_assert_msg(found, "%s %s is in docs/openapi.yaml but not served",
                      methods[k], paths[k]);
    }

    /* And the daemon really serves each one: never "no such resource"
     * (404 not_found from routing) nor 405. */
    for (size_t i = 0; i < route_count; i++) {
        char target[128];
        /* Each "{name}" segment becomes a value no handler accepts, so
         * that nothing is written to the index the suites share. */
        const char *brace = strchr(routes[i].path, '{');
        if (brace) {
            const char *close = strchr(brace, '}');
            snprintf(target, sizeof target, "%.*sbad%%20id%s",
                     (int)(brace - routes[i].path), routes[i].path,
                     close + 1);
        } else {
            snprintf(target, sizeof target, "%s", routes[i].path);
        }
        if (strcmp(routes[i].path, "/{file}") == 0)
            snprintf(target, sizeof target, "/demo.js");
        struct sd_response r;
        ck_assert(sd_request(
            port, routes[i].method, target,
            "Content-Type: application/json\r\n",
            strcmp(routes[i].method, "POST") == 0 ? "{}" : NULL, 2, &r));
        ck_assert_msg(r.status != 405 && !strstr(r.body, "no such resource"),
                      "%s %s: %d %s", routes[i].method, target, r.status,
                      r.body);
        sd_response_free(&r);
    }
}
END_TEST

/* ---- An index that cannot be read
 * ------------------------------------------------ */

/* Copies the regular files of directory `from` into `to` (the test index
 * is one flat directory). */
static void copy_directory(const char *from, const char *to)
{
    DIR *dir = opendir(from);
    ck_assert_ptr_nonnull(dir);
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.')
            continue;
        char source[512], target[512];
        snprintf(source, sizeof source, "%s/%s", from, entry->d_name);
        snprintf(target, sizeof target, "%s/%s", to, entry->d_name);
        FILE *in = fopen(source, "rb");
        FILE *out = fopen(target, "wb");
        ck_assert(in && out);
        char buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, in)) > 0)
            ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
        fclose(in);
        ck_assert_int_eq(fclose(out), 0);
    }
    closedir(dir);
}

START_TEST(test_searchd_api_index_unavailable)
{
    char dir[64], index[96], moved[96];
    ck_assert(sd_temp_dir("vb-searchd-gone-", dir, sizeof dir));
    snprintf(index, sizeof index, "%s/index", dir);
    snprintf(moved, sizeof moved, "%s/moved", dir);
    ck_assert_int_eq(mkdir(index, 0755), 0);
    copy_directory(VB_SEARCHD_TEST_INDEX, index);
    struct sd_daemon own;
    const char *args[] = {"--index", index, NULL};
    ck_assert(sd_start(&own, args));
    struct sd_response r;
    ck_assert(sd_get(own.port, "/v1/health", &r));
    ck_assert_int_eq(r.status, 200);
    sd_response_free(&r);

    /* The index disappears: 503 with the error JSON, and /metrics says
     * so; requests that need it fail the same way. */
    ck_assert_int_eq(rename(index, moved), 0);
    ck_assert(sd_get(own.port, "/v1/health", &r));
    assert_error(&r, 503, "index_unavailable", NULL);
    sd_response_free(&r);
    ck_assert(sd_get(own.port, "/v1/search?q=factuur", &r));
    assert_error(&r, 503, "index_unavailable", NULL);
    sd_response_free(&r);
    ck_assert(sd_get(own.port, "/metrics", &r));
    ck_assert_int_eq(r.status, 200);
    ck_assert(sample(r.body, "vraagbaak_index_up") == 0);
    sd_response_free(&r);

    /* It comes back: so does the daemon, without a restart. */
    ck_assert_int_eq(rename(moved, index), 0);
    ck_assert(sd_get(own.port, "/v1/health", &r));
    ck_assert_int_eq(r.status, 200);
    sd_response_free(&r);
    ck_assert_int_eq(sd_stop(&own, SIGTERM), 0);

    /* An index without documents is not "ok" either. */
    char empty_corpus[128], empty_index[128];
    snprintf(empty_corpus, sizeof empty_corpus, "%s/empty-corpus", dir);
    snprintf(empty_index, sizeof empty_index, "%s/empty-index", dir);
    ck_assert_int_eq(mkdir(empty_corpus, 0755), 0);
    char out[4096], err[4096];
    ck_assert_int_eq(sd_run_program(VB_INDEXER_PATH,
                                    (const char *const[]){"--index",
                                                          empty_index,
                                                          empty_corpus, NULL},
                                    out, sizeof out, err, sizeof err),
                     0);
    const char *empty_args[] = {"--index", empty_index, NULL};
    ck_assert(sd_start(&own, empty_args));
    ck_assert(sd_get(own.port, "/v1/health", &r));
    assert_error(&r, 503, "index_unavailable", NULL);
    ck_assert_msg(strstr(r.body, "no documents"), "%s", r.body);
    sd_response_free(&r);
    ck_assert_int_eq(sd_stop(&own, SIGTERM), 0);
    vb_test_remove_tree(dir);
}
END_TEST

/* ---- The JSON writer (json_out.c) ------------------------------------ */

static uint64_t json_rng = 0x9E3779B97F4A7C15u;

static unsigned json_rand(unsigned n)
{
    json_rng ^= json_rng << 13;
    json_rng ^= json_rng >> 7;
    json_rng ^= json_rng << 17;
    return (unsigned)(json_rng % n);
}

/* A string of the bytes JSON treats apart (every control character, the
 * quote, the backslash, the slash, DEL), plain ASCII and UTF-8 of two,
 * three and four bytes, U+2028 and an embedded NUL among them. */
static size_t json_random_text(char *buf, size_t *escapes)
{
    static const char *const pieces[] = {"a",
                                         "Z",
                                         " ",
                                         "0",
                                         "/",
                                         "\"",
                                         "\\",
                                         "\x7f",
                                         "<mark>",
                                         "\xc3\xa9",
                                         "\xe2\x82\xac",
                                         "\xf0\x9f\x98\x80",
                                         "\xe2\x80\xa8",
                                         "\xe2\x80\xa6"};
    size_t len = 0, pieces_n = 4 + json_rand(40);
    for (size_t i = 0; i < pieces_n; i++) {
        unsigned pick = json_rand(sizeof pieces / sizeof *pieces + 32);
        if (pick >= sizeof pieces / sizeof *pieces) {
            buf[len++] = (char)(pick - sizeof pieces / sizeof *pieces);
            (*escapes)++;
        } else {
            size_t n = strlen(pieces[pick]);
            memcpy(buf + len, pieces[pick], n);
            len += n;
            *escapes += pieces[pick][0] == '"' || pieces[pick][0] == '\\';
        }
    }
    return len;
}

static json_t *json_random_value(int depth, size_t *escapes)
{
    static const double reals[] = {0.0,   -0.0,    58.0004, 3.0,
                                   1e300, -2.5e-7, 1e-300,  123456789.125,
                                   0.1,   -1e21,   7e22,    2.0 / 3.0};
    char text[400];
    switch (json_rand(depth > 3 ? 6 : 8)) {
    case 0: return json_null();
    case 1: return json_boolean(json_rand(2));
    case 2: {
        json_int_t v = (json_int_t)json_rand(1u << 31) - (1 << 30);
        if (json_rand(8) == 0)
            v = json_rand(2) ? INT64_MAX : INT64_MIN;
        return json_integer(v);
    }
    case 3: {
        double r = reals[json_rand(sizeof reals / sizeof *reals)];
        return json_real(json_rand(2) ? r : r * json_rand(100000) / 7.0);
    }
    case 4:
    case 5: return json_stringn(text, json_random_text(text, escapes));
    case 6: {
        json_t *a = json_array();
        for (unsigned i = json_rand(5); i > 0; i--)
            json_array_append_new(a, json_random_value(depth + 1, escapes));
        return a;
    }
    default: {
        json_t *o = json_object();
        for (unsigned i = json_rand(6); i > 0; i--) {
            size_t n = json_random_text(text, escapes);
            json_object_setn_new(o, text, n,
                                 json_random_value(depth + 1, escapes));
        }
        return o;
    }
    }
}

/* Byte for byte what json_dumps writes, with and without a precision for
 * reals, on 3,000 random trees. */
START_TEST(test_searchd_api_json_written_as_jansson_writes_it)
{
    size_t differ = 0, escapes = 0, bytes = 0;
    char first_mismatch[256] = "";
    for (int i = 0; i < 3000; i++) {
        json_t *root = json_object();
        json_object_set_new(root, "v", json_random_value(0, &escapes));
        int precision = i % 2 ? 6 : 0;
        char *want =
            json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(precision));
        size_t len = 0;
        char *got = vb_json_write(root, precision, &len);
        size_t at = 0; /* the first byte that differs */
        while (want && got && at < len && want[at] && want[at] == got[at])
            at++;
        if (!want || !got || strlen(want) != len || at < len) {
            size_t from = at > 30 ? at - 30 : 0;
            if (!differ++)
                snprintf(first_mismatch, sizeof first_mismatch,
                         "at byte %zu:\nwant %.60s\ngot  %.60s", at,
                         want ? want + from : "(null)",
                         got ? got + from : "(null)");
        }
        bytes += len;
        free(want);
        free(got);
        json_decref(root);
    }
    ck_assert_msg(differ == 0, "%zu of 3000 differ; first:\n%s", differ,
                  first_mismatch);
    /* Not vacuous: the trees held escapes and sizeable text. */
    ck_assert_uint_gt(escapes, 10000);
    ck_assert_uint_gt(bytes, 300000);
}
END_TEST

/* ---- The search answer, written without a tree (render.c) ----------- */

/* A random C string for a field of a hit: NULL now and then (null), the
 * text pieces above otherwise, without their NUL bytes. */
static char *json_random_field(size_t *escapes)
{
    if (json_rand(5) == 0)
        return NULL;
    char text[400];
    size_t n = json_random_text(text, escapes);
    for (size_t i = 0; i < n; i++)
        if (text[i] == '\0')
            text[i] = '0';
    char *s = malloc(n + 1);
    memcpy(s, text, n);
    s[n] = '\0';
    return s;
}

static json_t *json_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* What the answer means, as the tree jansson would write: the oracle. */
static json_t *result_tree(const char *query, size_t query_len, bool facets,
                           const struct vb_search_result *r)
{
    json_t *hits = json_array();
    for (size_t i = 0; i < r->hit_count; i++) {
        const struct vb_search_hit *h = &r->hits[i];
        json_t *translations = json_array();
        for (size_t k = 0; k < h->translation_count; k++)
            json_array_append_new(
                translations,
                json_pack("{s:s%,s:o}", "lang", h->translations[k].lang,
                          strnlen(h->translations[k].lang, 3), "id",
                          json_or_null(h->translations[k].id)));
        json_array_append_new(
            hits,
            json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:f,s:o,s:o,s:o,s:o,s:o,"
                      "s:o,s:o}",
                      "id", json_or_null(h->id), "type", json_or_null(h->type),
                      "lang", json_or_null(h->lang), "title",
                      json_or_null(h->title), "title_html",
                      json_or_null(h->title_html), "snippet",
                      json_or_null(h->snippet), "score", h->score, "group",
                      json_or_null(h->group), "translations", translations,
                      "updated", json_or_null(h->updated), "review_by",
                      json_or_null(h->review_by), "date", json_or_null(h->date),
                      "customer", json_or_null(h->customer), "channel",
                      json_or_null(h->channel)));
    }
    json_t *root =
        json_pack("{s:s%,s:i,s:b,s:I,s:o,s:o}", "query", query, query_len,
                  "total", (int)r->total, "total_exact", r->total_exact,
                  "took_us", (json_int_t)r->took_us, "suggestion",
                  json_or_null(r->suggestion), "hits", hits);
    if (r->shards_down_count) {
        json_t *down = json_array();
        for (size_t i = 0; i < r->shards_down_count; i++)
            json_array_append_new(down, json_string(r->shards_down[i]));
        json_object_set_new(root, "partial", json_true());
        json_object_set_new(root, "shards_down", down);
    }
    if (facets) {
        json_t *f = json_pack("{s:{},s:{}}", "type", "lang");
        for (size_t i = 0; i < r->facet_count; i++) {
            json_t *counts = json_object();
            for (size_t k = 0; k < r->facets[i].count; k++)
                json_object_set_new(counts, r->facets[i].counts[k].value,
                                    json_integer(r->facets[i].counts[k].count));
            json_object_set_new(f, r->facets[i].field, counts);
        }
        json_object_set_new(root, "facets", f);
    }
    return root;
}

static void free_result_fields(struct vb_search_result *r)
{
    for (size_t i = 0; i < r->hit_count; i++) {
        struct vb_search_hit *h = &r->hits[i];
        char *fields[] = {h->id,         h->type,    h->lang,     h->title,
                          h->title_html, h->snippet, h->group,    h->updated,
                          h->review_by,  h->date,    h->customer, h->channel};
        for (size_t k = 0; k < sizeof fields / sizeof *fields; k++)
            free(fields[k]);
        for (size_t k = 0; k < h->translation_count; k++)
            free(h->translations[k].id);
        free(h->translations);
    }
    free(r->hits);
    free(r->suggestion);
    for (size_t i = 0; i < r->shards_down_count; i++)
        free(r->shards_down[i]);
    free(r->shards_down);
    for (size_t i = 0; i < r->facet_count; i++) {
        for (size_t k = 0; k < r->facets[i].count; k++)
            free(r->facets[i].counts[k].value);
        free(r->facets[i].counts);
    }
    free(r->facets);
}

/* Byte for byte what json_dumps writes of the same answer as a tree, on
 * 2,000 random answers (every field null or text with escapes, scores,
 * translations, partial answers, facets); and no answer at all for a
 * text that is not valid UTF-8. */
START_TEST(test_searchd_api_search_answer_written_as_its_tree)
{
    static const char *const langs[] = {"nl", "fr", "en", "x"};
    static const char *const values[] = {"procedure", "product", "nl",
                                         "fr",        "history", "en"};
    size_t differ = 0, escapes = 0, bytes = 0;
    char first_mismatch[256] = "";
    for (int i = 0; i < 2000; i++) {
        struct vb_search_result r = {.total = json_rand(200),
                                     .total_exact = json_rand(2),
                                     .took_us = json_rand(100000),
                                     .suggestion = json_random_field(&escapes),
                                     .hit_count = json_rand(11)};
        r.hits = calloc(r.hit_count + 1, sizeof *r.hits);
        for (size_t k = 0; k < r.hit_count; k++) {
            struct vb_search_hit *h = &r.hits[k];
            char **fields[] = {&h->id,    &h->type,       &h->lang,
                               &h->title, &h->title_html, &h->snippet,
                               &h->group, &h->updated,    &h->review_by,
                               &h->date,  &h->customer,   &h->channel};
            for (size_t f = 0; f < sizeof fields / sizeof *fields; f++)
                *fields[f] = json_random_field(&escapes);
            h->score = json_rand(8) ? json_rand(1u << 30) / 4096.0 : 0.0;
            h->translation_count = json_rand(3);
            h->translations =
                calloc(h->translation_count + 1, sizeof *h->translations);
            for (size_t t = 0; t < h->translation_count; t++) {
                snprintf(h->translations[t].lang, 3, "%s", langs[json_rand(4)]);
                h->translations[t].id = json_random_field(&escapes);
            }
        }
        if (json_rand(6) == 0) {
            r.shards_down_count = 1 + json_rand(2);
            r.shards_down = calloc(r.shards_down_count, sizeof *r.shards_down);
            for (size_t k = 0; k < r.shards_down_count; k++)
                r.shards_down[k] = strdup(k ? "remote 10.0.0.2:7777" : "s\"1");
        }
        bool facets = json_rand(2);
        if (facets) {
            r.facet_count = json_rand(3);
            r.facets = calloc(r.facet_count + 1, sizeof *r.facets);
            for (size_t f = 0; f < r.facet_count; f++) {
                r.facets[f].field = f ? "lang" : json_rand(2) ? "type" : "lang";
                r.facets[f].count = json_rand(4);
                r.facets[f].counts =
                    calloc(r.facets[f].count + 1, sizeof *r.facets[f].counts);
                for (size_t k = 0; k < r.facets[f].count; k++)
                    r.facets[f].counts[k] = (struct vb_search_facet_count){
                        strdup(values[(k + f) % 6]), json_rand(5000)};
            }
        }
        char query[400];
        size_t query_len = json_random_text(query, &escapes);
        for (size_t k = 0; k < query_len; k++)
            if (query[k] == '\0')
                query[k] = ' ';

        json_t *tree = result_tree(query, query_len, facets, &r);
        char *want =
            tree ? json_dumps(tree, JSON_COMPACT | JSON_REAL_PRECISION(6))
                 : NULL;
        size_t len = 0;
        char *got = vb_render_result(query, query_len, facets, &r, &len);
        size_t at = 0;
        while (want && got && at < len && want[at] && want[at] == got[at])
            at++;
        if (!want || !got || strlen(want) != len || at < len) {
            size_t from = at > 30 ? at - 30 : 0;
            if (!differ++)
                snprintf(first_mismatch, sizeof first_mismatch,
                         "at byte %zu:\nwant %.60s\ngot  %.60s", at,
                         want ? want + from : "(null)",
                         got ? got + from : "(null)");
        }
        bytes += len;
        free(want);
        free(got);
        json_decref(tree);
        free_result_fields(&r);
    }
    ck_assert_msg(differ == 0, "%zu of 2000 differ; first:\n%s", differ,
                  first_mismatch);
    ck_assert_uint_gt(escapes, 50000);
    ck_assert_uint_gt(bytes, 5000000);

    /* A title cut inside a character: no answer, not invalid JSON. */
    char title[] = "caf\xc3";
    struct vb_search_hit hit = {.title = title};
    struct vb_search_result bad = {.hits = &hit, .hit_count = 1};
    size_t len = 0;
    ck_assert_ptr_null(vb_render_result("q", 1, false, &bad, &len));
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("searchd_api");
    TCase *tc = tcase_create("api");
    tcase_add_unchecked_fixture(tc, start_daemon, stop_daemon);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_searchd_api_health);
    tcase_add_test(tc, test_searchd_api_search_shape);
    tcase_add_test(tc, test_searchd_api_search_post);
    tcase_add_test(tc, test_searchd_api_search_parameters);
    tcase_add_test(tc, test_searchd_api_query_length);
    tcase_add_test(tc, test_searchd_api_search_body_errors);
    tcase_add_test(tc, test_searchd_api_suggest);
    tcase_add_test(tc, test_searchd_api_documents);
    tcase_add_test(tc, test_searchd_api_analyze);
    tcase_add_test(tc, test_searchd_api_not_found_and_methods);
    tcase_add_test(tc, test_searchd_api_keep_alive);
    tcase_add_test(tc, test_searchd_api_cors);
    tcase_add_test(tc, test_searchd_api_static_files);
    tcase_add_test(tc, test_searchd_api_metrics);
    tcase_add_test(tc, test_searchd_api_openapi_matches_routes);
    suite_add_tcase(suite, tc);
    TCase *own = tcase_create("own_daemon");
    tcase_set_timeout(own, 120);
    tcase_add_test(own, test_searchd_api_index_unavailable);
    suite_add_tcase(suite, own);
    TCase *json = tcase_create("json");
    tcase_add_test(json, test_searchd_api_json_written_as_jansson_writes_it);
    tcase_add_test(json, test_searchd_api_search_answer_written_as_its_tree);
    suite_add_tcase(suite, json);
    return vb_test_run(suite);
}
