/* Contract 5 against the real daemon: tokens and roles on every route,
 * customer tickets (valid, expired, tampered in each field, for another
 * customer, after the secret rotates), the audit log (rows, filters,
 * CSV, retention, a log that cannot be written), erasure, the Host check,
 * CORS, rate limits, the refusals off loopback, HTTPS, and secrets kept
 * out of every answer.  Real processes, real HTTP(S), real SQLite. */
#define _GNU_SOURCE /* prlimit */
#include <ctype.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <nettle/base64.h>
#include <nettle/hmac.h>
#include <sqlite3.h>

#include "test_searchd_util.h"
#include "testutil.h"
#include "vb_searchd.h"

#define AGENT_SECRET "agent-token-secret-0123456789"
#define EDITOR_SECRET "editor-token-secret-0123456789"
#define ADMIN_SECRET "admin-token-secret-0123456789"
#define TICKET_SECRET "ticket-secret-0123456789abcdef0123456789"
#define OTHER_TICKET_SECRET "another-ticket-secret-0123456789abcdefgh"
#define ARTICLE_ID "proc-e-factuur-nl"
#define HISTORY_ID "hist-C000123-0018"

static char out[65536], err[65536];
static char dir[256]; /* this test's scratch directory */

/* ---- Set-up ---------------------------------------------------------------- */

/* The `token = ...` line for a secret, from the program itself. */
static void token_line(const char *name, const char *role, const char *secret,
                       char *line, size_t cap)
{
    char command[512];
    snprintf(command, sizeof command,
             "printf %%s '%s' | '%s' --hash-token %s %s", secret,
             VB_SEARCHD_PATH, name, role);
    FILE *p = popen(command, "r");
    ck_assert(p);
    ck_assert(fgets(line, (int)cap, p));
    ck_assert_int_eq(pclose(p), 0);
}

/* Writes DIR/searchd.conf with three tokens, the ticket secret and the
 * audit log in DIR, plus `extra` lines. */
static void write_config(const char *extra)
{
    char path[512], conf[4096], agent[256], editor[256], admin[256];
    token_line("crm", "agent", AGENT_SECRET, agent, sizeof agent);
    token_line("editors", "editor", EDITOR_SECRET, editor, sizeof editor);
    token_line("dpo", "admin", ADMIN_SECRET, admin, sizeof admin);
    snprintf(path, sizeof path, "%s/ticket.secret", dir);
    ck_assert(sd_write_file(path, TICKET_SECRET "\n"));
    snprintf(conf, sizeof conf,
             "%s%s%sticket_secret_file = %s/ticket.secret\n"
             "audit_db = %s/audit.db\n%s",
             agent, editor, admin, dir, dir, extra ? extra : "");
    snprintf(path, sizeof path, "%s/searchd.conf", dir);
    ck_assert(sd_write_file(path, conf));
}

static void setup(void)
{
    ck_assert(sd_temp_dir("vb-access-", dir, sizeof dir));
    write_config(NULL);
}

static void teardown(void)
{
    vb_test_remove_tree(dir);
}

/* Starts the daemon with DIR/searchd.conf and `more` arguments. */
static void start(struct sd_daemon *daemon, const char *const *more)
{
    char conf[512];
    snprintf(conf, sizeof conf, "%s/searchd.conf", dir);
    const char *args[16] = {"--config", conf};
    size_t n = 2;
    for (size_t i = 0; more && more[i]; i++)
        args[n++] = more[i];
    args[n] = NULL;
    ck_assert_msg(sd_start(daemon, args), "searchd did not start");
}

/* ---- Tickets made by the test itself (the CRM's side) ---------------------- */

static void b64url(const void *data, size_t len, char *text)
{
    struct base64_encode_ctx ctx;
    base64url_encode_init(&ctx);
    size_t n = base64_encode_update(&ctx, text, len, data);
    n += base64_encode_final(&ctx, text + n);
    while (n > 0 && text[n - 1] == '=')
        n--;
    text[n] = '\0';
}

/* A ticket for `payload` signed with `secret`. */
static void make_ticket(const char *payload, const char *secret, char *ticket)
{
    unsigned char mac[SHA256_DIGEST_SIZE];
    struct hmac_sha256_ctx ctx;
    hmac_sha256_set_key(&ctx, strlen(secret), (const uint8_t *)secret);
    hmac_sha256_update(&ctx, strlen(payload), (const uint8_t *)payload);
    hmac_sha256_digest(&ctx, sizeof mac, mac);
    b64url(payload, strlen(payload), ticket);
    strcat(ticket, ".");
    b64url(mac, sizeof mac, ticket + strlen(ticket));
}

static void ticket_for(const char *customer, long seconds, char *ticket)
{
    char payload[256];
    snprintf(payload, sizeof payload, "anna:%s:%lld", customer,
             (long long)time(NULL) + seconds);
    make_ticket(payload, TICKET_SECRET, ticket);
}

/* ---- Requests ---------------------------------------------------------------- */

/* One request with an optional token and ticket. */
static int request(int port, const char *method, const char *target,
                   const char *token, const char *ticket, const char *body,
                   struct sd_response *r)
{
    char headers[1024] = "";
    if (token)
        snprintf(headers, sizeof headers, "Authorization: Bearer %s\r\n",
                 token);
    if (ticket)
        snprintf(headers + strlen(headers), sizeof headers - strlen(headers),
                 "X-Vraagbaak-Ticket: %s\r\n", ticket);
    if (body)
        strcat(headers, "Content-Type: application/json\r\n");
    ck_assert_msg(sd_request(port, method, target, headers, body,
                             body ? strlen(body) : 0, r),
                  "no answer to %s %s", method, target);
    return r->status;
}

static int status_of(int port, const char *method, const char *target,
                     const char *token, const char *ticket, const char *body,
                     char *code, size_t code_cap)
{
    struct sd_response r;
    int status = request(port, method, target, token, ticket, body, &r);
    if (code)
        snprintf(code, code_cap, "%s", sd_error_code(&r));
    sd_response_free(&r);
    return status;
}

/* ---- Tokens and roles on every route ---------------------------------------- */

/* A request for each route of the routing table; a route without one
 * fails the test, so that a new route cannot skip the matrix. */
struct probe {
    const char *method, *path; /* as in the routing table */
    const char *target, *body;
    enum { OPEN, AGENT, EDITOR, ADMIN, METRICS } needs;
    int ok; /* the status when allowed; 0: any but 401, 403 and 5xx */
};

static const struct probe probes[] = {
    {"GET", "/v1/search", "/v1/search?q=factuur", NULL, AGENT, 200},
    {"POST", "/v1/search", "/v1/search", "{\"q\":\"factuur\"}", AGENT, 200},
    {"POST", "/v1/suggest", "/v1/suggest", "{\"text\":\"factuur\"}", AGENT,
     200},
    {"GET", "/v1/docs/{id}", "/v1/docs/" ARTICLE_ID, NULL, AGENT, 200},
    /* Created by the first allowed call, replaced by the next; deleted,
     * then not found. */
    {"PUT", "/v1/docs/{id}", "/v1/docs/proc-matrix-nl",
     "{\"type\":\"procedure\",\"lang\":\"nl\",\"title\":\"Matrix\","
     "\"body\":\"Tekst.\"}",
     EDITOR, 0},
    {"DELETE", "/v1/docs/{id}", "/v1/docs/proc-matrix-nl", NULL, EDITOR, 0},
    {"POST", "/v1/docs", "/v1/docs",
     "{\"id\":\"proc-bulk-nl\",\"type\":\"procedure\",\"lang\":\"nl\","
     "\"title\":\"Bulk\"}",
     EDITOR, 200},
    {"GET", "/v1/analyze", "/v1/analyze?text=facturen", NULL, AGENT, 200},
    {"POST", "/v1/analytics/open", "/v1/analytics/open",
     "{\"query\":\"factuur\",\"doc\":\"" ARTICLE_ID "\"}", AGENT, 202},
    {"GET", "/v1/analytics", "/v1/analytics?kind=top", NULL, EDITOR, 200},
    {"POST", "/v1/feedback", "/v1/feedback",
     "{\"doc\":\"" ARTICLE_ID "\",\"reason\":\"unclear\"}", AGENT, 201},
    {"GET", "/v1/feedback", "/v1/feedback", NULL, EDITOR, 200},
    /* The first allowed call resolves flag 1, the next finds it resolved. */
    {"POST", "/v1/feedback/{n}/resolve", "/v1/feedback/1/resolve", "{}",
     EDITOR, 0},
    {"GET", "/v1/review", "/v1/review", NULL, EDITOR, 200},
    {"GET", "/v1/audit", "/v1/audit", NULL, ADMIN, 200},
    {"DELETE", "/v1/customers/{id}", "/v1/customers/C999999", NULL, ADMIN,
     200},
    {"GET", "/v1/health", "/v1/health", NULL, OPEN, 200},
    {"GET", "/v1/health/live", "/v1/health/live", NULL, OPEN, 200},
    {"GET", "/v1/health/ready", "/v1/health/ready", NULL, OPEN, 200},
    {"GET", "/metrics", "/metrics", NULL, METRICS, 200},
    {"GET", "/", "/", NULL, OPEN, 200},
    {"GET", "/widget.js", "/widget.js", NULL, OPEN, 200},
    {"GET", "/editor", "/editor", NULL, OPEN, 200},
    {"GET", "/{file}", "/demo.js", NULL, OPEN, 200},
};

START_TEST(test_access_route_role_matrix)
{
    /* Erasure writes the index: serve a copy. */
    char index[512];
    snprintf(index, sizeof index, "%s/index", dir);
    ck_assert(sd_copy_tree(VB_SEARCHD_TEST_INDEX, index));
    struct sd_daemon d;
    start(&d, (const char *const[]){"--index", index, NULL});

    struct vb_searchd_route routes[64];
    size_t route_count = vb_searchd_routes(routes, 64);
    const char *tokens[] = {NULL, "wrong-token-0123456789abcdef", AGENT_SECRET,
                            EDITOR_SECRET, ADMIN_SECRET};
    const char *who[] = {"no token", "a wrong token", "agent", "editor",
                         "admin"};
    for (size_t i = 0; i < route_count; i++) {
        const struct probe *p = NULL;
        for (size_t k = 0; k < sizeof probes / sizeof *probes; k++)
            if (strcmp(probes[k].method, routes[i].method) == 0 &&
                strcmp(probes[k].path, routes[i].path) == 0)
                p = &probes[k];
        ck_assert_msg(p, "route %s %s is not in the access matrix",
                      routes[i].method, routes[i].path);
        for (int t = 0; t < 5; t++) {
            int role = t - 1; /* -1 none/wrong, 1 agent, 2 editor, 3 admin */
            if (t < 2)
                role = 0;
            int want;
            if (p->needs == OPEN)
                want = p->ok;
            else if (t == 0 || t == 1)
                want = 401;
            else if ((p->needs == ADMIN && role < 3) ||
                     (p->needs == EDITOR && role < 2))
                want = 403;
            else
                want = p->ok;
            char code[64];
            int got = status_of(d.port, p->method, p->target, tokens[t], NULL,
                                p->body, code, sizeof code);
            ck_assert_msg(want ? got == want
                               : got != 401 && got != 403 && got < 500,
                          "%s %s with %s: %d (%s), expected %d", p->method,
                          p->target, who[t], got, code, want);
            if (want == 401)
                ck_assert_str_eq(code, "unauthorized");
            if (want == 403)
                ck_assert_str_eq(code, "forbidden");
        }
    }

    /* 401 says how to authenticate. */
    struct sd_response r;
    ck_assert_int_eq(request(d.port, "GET", "/v1/search?q=x", NULL, NULL,
                             NULL, &r),
                     401);
    char *www = sd_header(&r, "WWW-Authenticate");
    ck_assert_ptr_nonnull(www);
    ck_assert(strncmp(www, "Bearer", 6) == 0);
    free(www);
    sd_response_free(&r);
    ck_assert_int_eq(sd_stop(&d, SIGTERM), 0);

    /* metrics = open: /metrics without a token, nothing else. */
    write_config("metrics = open\n");
    start(&d, NULL);
    ck_assert_int_eq(status_of(d.port, "GET", "/metrics", NULL, NULL, NULL,
                               NULL, 0),
                     200);
    ck_assert_int_eq(status_of(d.port, "GET", "/v1/search?q=x", NULL, NULL,
                               NULL, NULL, 0),
                     401);
    ck_assert_int_eq(sd_stop(&d, SIGTERM), 0);
}
END_TEST

/* ---- Tickets ------------------------------------------------------------------ */

START_TEST(test_access_tickets)
{
    struct sd_daemon d;
    start(&d, NULL);
    char ticket[512], code[64];
    const char *search = "/v1/search?q=klacht&customer=C000123";
    const char *doc = "/v1/docs/" HISTORY_ID "?customer=C000123";

    ticket_for("C000123", 600, ticket);
    ck_assert_int_eq(status_of(d.port, "GET", search, AGENT_SECRET, ticket,
                               NULL, code, sizeof code),
                     200);
    ck_assert_int_eq(status_of(d.port, "GET", doc, AGENT_SECRET, ticket, NULL,
                               code, sizeof code),
                     200);
    ck_assert_int_eq(status_of(d.port, "POST", "/v1/suggest", AGENT_SECRET,
                               ticket,
                               "{\"text\":\"klacht\",\"customer\":\"C000123\"}",
                               code, sizeof code),
                     200);

    /* Missing: history refused, articles never. */
    const char *targets[] = {search, doc};
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(status_of(d.port, "GET", targets[i], AGENT_SECRET,
                                   NULL, NULL, code, sizeof code),
                         403);
        ck_assert_str_eq(code, "ticket_required");
    }
    ck_assert_int_eq(status_of(d.port, "GET", "/v1/search?q=klacht",
                               AGENT_SECRET, NULL, NULL, code, sizeof code),
                     200);
    ck_assert_int_eq(status_of(d.port, "GET", "/v1/docs/" ARTICLE_ID,
                               AGENT_SECRET, NULL, NULL, code, sizeof code),
                     200);

    /* Expired. */
    ticket_for("C000123", -1, ticket);
    ck_assert_int_eq(status_of(d.port, "GET", search, AGENT_SECRET, ticket,
                               NULL, code, sizeof code),
                     403);
    ck_assert_str_eq(code, "ticket_expired");

    /* For another customer. */
    ticket_for("C000124", 600, ticket);
    ck_assert_int_eq(status_of(d.port, "GET", search, AGENT_SECRET, ticket,
                               NULL, code, sizeof code),
                     403);
    ck_assert_str_eq(code, "ticket_wrong_customer");

    /* Tampered in each field: the signed text changed after signing. */
    char good[512];
    ticket_for("C000123", 600, good);
    char *dot = strchr(good, '.');
    char payload[256];
    snprintf(payload, sizeof payload, "anna:C000123:%lld",
             (long long)time(NULL) + 600);
    const char *forged[] = {"eve:C000123:%lld", "anna:C000124:%lld",
                            "anna:C000123:%lld9"};
    for (int i = 0; i < 3; i++) {
        char text[256], b64[512];
        snprintf(text, sizeof text, forged[i], (long long)time(NULL) + 600);
        b64url(text, strlen(text), b64);
        snprintf(ticket, sizeof ticket, "%s%s", b64, dot);
        ck_assert_int_eq(status_of(d.port, "GET", search, AGENT_SECRET, ticket,
                                   NULL, code, sizeof code),
                         403);
        ck_assert_msg(strcmp(code, "ticket_invalid") == 0, "%s: %s", text,
                      code);
    }
    /* The signature changed; garbage; signed with another secret. */
    snprintf(ticket, sizeof ticket, "%s", good);
    ticket[strlen(ticket) - 2] = ticket[strlen(ticket) - 2] == 'A' ? 'B' : 'A';
    const char *bad[] = {ticket, "no-dot-at-all", ".", "!!!.???",
                         "YW5uYQ.YW5uYQ"};
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(status_of(d.port, "GET", search, AGENT_SECRET, bad[i],
                                   NULL, code, sizeof code),
                         403);
        ck_assert_str_eq(code, "ticket_invalid");
    }
    make_ticket(payload, OTHER_TICKET_SECRET, ticket);
    ck_assert_int_eq(status_of(d.port, "GET", search, AGENT_SECRET, ticket,
                               NULL, code, sizeof code),
                     403);
    ck_assert_str_eq(code, "ticket_invalid");
    ck_assert_int_eq(sd_stop(&d, SIGTERM), 0);

    /* Replayed after the secret rotates. */
    char path[512];
    snprintf(path, sizeof path, "%s/ticket.secret", dir);
    ck_assert(sd_write_file(path, OTHER_TICKET_SECRET "\n"));
    start(&d, NULL);
    ck_assert_int_eq(status_of(d.port, "GET", search, AGENT_SECRET, good, NULL,
                               code, sizeof code),
                     403);
    ck_assert_str_eq(code, "ticket_invalid");
    ck_assert_int_eq(sd_stop(&d, SIGTERM), 0);

    /* --mint-ticket signs with the configured secret. */
    char conf[512];
    snprintf(conf, sizeof conf, "%s/searchd.conf", dir);
    ck_assert_int_eq(sd_run((const char *const[]){"--mint-ticket", "anna",
                                                  "C000123", "60", "--config",
                                                  conf, NULL},
                            out, sizeof out, err, sizeof err),
                     0);
    out[strcspn(out, "\n")] = '\0';
    start(&d, NULL);
    ck_assert_int_eq(status_of(d.port, "GET", search, AGENT_SECRET, out, NULL,
                               code, sizeof code),
                     200);
    ck_assert_int_eq(sd_stop(&d, SIGTERM), 0);
}
END_TEST

/* ---- The audit log ------------------------------------------------------------- */

static json_t *audit_json(int port, const char *query)
{
    char target[512];
    snprintf(target, sizeof target, "/v1/audit%s", query);
    struct sd_response r;
    ck_assert_int_eq(request(port, "GET", target, ADMIN_SECRET, NULL, NULL, &r),
                     200);
    json_t *root = sd_json(&r);
    sd_response_free(&r);
    ck_assert_ptr_nonnull(root);
    return root;
}

START_TEST(test_access_audit_rows)
{
    struct sd_daemon d;
    start(&d, NULL);
    char ticket[512];
    ticket_for("C000123", 600, ticket);
    struct sd_response r;
    ck_assert_int_eq(request(d.port, "GET",
                             "/v1/search?q=klacht&customer=C000123&limit=3",
                             AGENT_SECRET, ticket, NULL, &r),
                     200);
    json_t *result = sd_json(&r);
    size_t history_hits = 0;
    json_t *hit;
    size_t i;
    json_array_foreach(json_object_get(result, "hits"), i, hit)
        history_hits += json_is_string(json_object_get(hit, "customer"));
    json_decref(result);
    sd_response_free(&r);
    ck_assert_uint_gt(history_hits, 0);
    ck_assert_int_eq(status_of(d.port, "GET",
                               "/v1/docs/" HISTORY_ID "?customer=C000123",
                               AGENT_SECRET, ticket, NULL, NULL, 0),
                     200);
    /* Articles leave no row. */
    ck_assert_int_eq(status_of(d.port, "GET", "/v1/search?q=klacht",
                               AGENT_SECRET, NULL, NULL, NULL, 0),
                     200);

    json_t *root = audit_json(d.port, "?customer=C000123");
    ck_assert_int_eq(json_integer_value(json_object_get(root, "total")), 2);
    json_t *entries = json_object_get(root, "entries");
    json_t *newest = json_array_get(entries, 0), *first = json_array_get(entries, 1);
    ck_assert_str_eq(json_string_value(json_object_get(newest, "route")),
                     "GET /v1/docs/{id}");
    ck_assert_str_eq(json_string_value(json_object_get(newest, "query")),
                     HISTORY_ID);
    ck_assert_str_eq(json_string_value(json_object_get(first, "route")),
                     "GET /v1/search");
    ck_assert_str_eq(json_string_value(json_object_get(first, "query")),
                     "klacht");
    ck_assert_int_eq(json_integer_value(json_object_get(first, "hits")),
                     (json_int_t)history_hits);
    ck_assert_str_eq(json_string_value(json_object_get(first, "token")), "crm");
    ck_assert_str_eq(json_string_value(json_object_get(first, "agent")), "anna");
    ck_assert_str_eq(json_string_value(json_object_get(first, "customer")),
                     "C000123");
    ck_assert_str_eq(json_string_value(json_object_get(first, "client")),
                     "127.0.0.1");
    const char *time_text = json_string_value(json_object_get(first, "time"));
    ck_assert_msg(time_text && strlen(time_text) == 24 && time_text[23] == 'Z',
                  "time %s", time_text);
    json_decref(root);

    /* Filters and paging. */
    root = audit_json(d.port, "?customer=C000124");
    ck_assert_int_eq(json_integer_value(json_object_get(root, "total")), 0);
    json_decref(root);
    root = audit_json(d.port, "?agent=anna&limit=1");
    ck_assert_int_eq(json_integer_value(json_object_get(root, "total")), 2);
    ck_assert_uint_eq(json_array_size(json_object_get(root, "entries")), 1);
    json_decref(root);
    root = audit_json(d.port, "?from=2000-01-01&to=2000-12-31");
    ck_assert_int_eq(json_integer_value(json_object_get(root, "total")), 0);
    json_decref(root);
    root = audit_json(d.port, "?from=2000-01-01T00:00:00Z&to=2999-01-01");
    ck_assert_int_eq(json_integer_value(json_object_get(root, "total")), 2);
    json_decref(root);
    char code[64];
    const char *wrong[] = {"?from=yesterday", "?to=2026-13-01",
                           "?limit=0", "?agent=a%20b", "?who=x"};
    for (int k = 0; k < 5; k++) {
        char target[128];
        snprintf(target, sizeof target, "/v1/audit%s", wrong[k]);
        ck_assert_int_eq(status_of(d.port, "GET", target, ADMIN_SECRET, NULL,
                                   NULL, code, sizeof code),
                         400);
    }

    /* CSV for the spreadsheet, with the total in a header. */
    ck_assert(sd_request(d.port, "GET", "/v1/audit?customer=C000123",
                         "Authorization: Bearer " ADMIN_SECRET "\r\n"
                         "Accept: text/csv\r\n",
                         NULL, 0, &r));
    ck_assert_int_eq(r.status, 200);
    char *type = sd_header(&r, "Content-Type"), *total = sd_header(&r, "X-Total-Count");
    ck_assert(strncmp(type, "text/csv", 8) == 0);
    ck_assert_str_eq(total, "2");
    ck_assert(strncmp(r.body,
                      "time,token,agent,customer,route,query,hits,client,"
                      "tenant\r\n",
                      58) == 0);
    ck_assert(strstr(r.body, "\"crm\",\"anna\",\"C000123\",\"GET /v1/search\","
                             "\"klacht\""));
    free(type);
    free(total);
    sd_response_free(&r);

    /* Secrets appear nowhere: not in the audit log, the metrics or an
     * error. */
    const char *answers[] = {"/v1/audit", "/metrics"};
    for (int k = 0; k < 2; k++) {
        ck_assert_int_eq(request(d.port, "GET", answers[k], ADMIN_SECRET, NULL,
                                 NULL, &r),
                         200);
        ck_assert(!strstr(r.body, ADMIN_SECRET) && !strstr(r.body, AGENT_SECRET) &&
                  !strstr(r.body, ticket) && !strstr(r.body, TICKET_SECRET));
        sd_response_free(&r);
    }
    ck_assert_int_eq(request(d.port, "GET", "/v1/search?q=x&customer=C000123",
                             "wrong-token-0123456789abcdef", ticket, NULL, &r),
                     401);
    ck_assert(!strstr(r.body, "wrong-token") && !strstr(r.body, ticket));
    sd_response_free(&r);
    ck_assert_int_eq(sd_stop(&d, SIGTERM), 0);
}
END_TEST

START_TEST(test_access_audit_retention)
{
    /* An old row and a recent one, written before the daemon starts. */
    char path[512];
    snprintf(path, sizeof path, "%s/audit.db", dir);
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    long long now_us = (long long)time(NULL) * 1000000;
    char sql[1024];
    snprintf(sql, sizeof sql,
             "CREATE TABLE audit (id INTEGER PRIMARY KEY, time INTEGER NOT "
             "NULL, token TEXT, agent TEXT, customer TEXT NOT NULL, route TEXT "
             "NOT NULL, query TEXT, hits INTEGER NOT NULL, client TEXT);"
             "INSERT INTO audit (time, customer, route, hits) VALUES "
             "(%lld, 'C1', 'GET /v1/search', 1), (%lld, 'C2', 'GET /v1/search', 1);",
             now_us - 40LL * 86400 * 1000000, now_us - 86400LL * 1000000);
    ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    write_config("audit_retention_days = 30\n");
    struct sd_daemon d;
    start(&d, NULL);
    /* The purge runs in the log's own thread: wait for it, bounded. */
    long long deadline = sd_now_ms() + SD_WAIT_SECONDS * 1000LL;
    bool purged = false;
    while (!purged && sd_now_ms() < deadline) {
        struct sd_response r;
        request(d.port, "GET", "/metrics", ADMIN_SECRET, NULL, NULL, &r);
        purged = strstr(r.body, "vraagbaak_audit_rows_purged_total 1\n") != NULL;
        sd_response_free(&r);
        if (!purged)
            sd_sleep_ms(50);
    }
    ck_assert_msg(purged, "the old row was not purged (or not counted)");
    json_t *root = audit_json(d.port, "");
    ck_assert_int_eq(json_integer_value(json_object_get(root, "total")), 1);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(root, "entries"), 0),
                         "customer")),
                     "C2");
    json_decref(root);
    ck_assert_int_eq(sd_stop(&d, SIGTERM), 0);
}
END_TEST

/* SIGHUP: the config file read again.  Tokens change without a restart
 * and without dropping a connection opened before; a config file that
 * does not read changes nothing and is named in the message. */
#define NEW_AGENT_SECRET "agent-token-secret-rotated-98765"

static int search_status(int port, const char *secret)
{
    return status_of(port, "GET", "/v1/search?q=factuur", secret, NULL, NULL,
                     NULL, 0);
}

START_TEST(test_access_reload_on_sighup)
{
    struct sd_daemon d;
    start(&d, NULL);
    ck_assert_int_eq(search_status(d.port, AGENT_SECRET), 200);
    ck_assert_int_eq(search_status(d.port, NEW_AGENT_SECRET), 401);
    /* A keep-alive connection with a request answered before the reload. */
    int kept = sd_connect(d.port);
    ck_assert_int_ge(kept, 0);
    const char *health = "GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    ck_assert(sd_send_all(kept, health, strlen(health)));
    char reply[4096];
    ssize_t got = recv(kept, reply, sizeof reply - 1, 0);
    ck_assert_int_gt(got, 0);

    /* The agent token rotated. */
    char path[512], conf[4096], agent[256], admin[256];
    token_line("crm", "agent", NEW_AGENT_SECRET, agent, sizeof agent);
    token_line("dpo", "admin", ADMIN_SECRET, admin, sizeof admin);
    snprintf(conf, sizeof conf,
             "%s%sticket_secret_file = %s/ticket.secret\n"
             "audit_db = %s/audit.db\n",
             agent, admin, dir, dir);
    snprintf(path, sizeof path, "%s/searchd.conf", dir);
    ck_assert(sd_replace_file(path, conf));
    ck_assert_int_eq(kill(d.pid, SIGHUP), 0);
    int old_status = 200;
    for (int i = 0; i < 200 && old_status != 401; i++) { /* at most 10 s */
        sd_sleep_ms(50);
        old_status = search_status(d.port, AGENT_SECRET);
    }
    ck_assert_int_eq(old_status, 401);
    ck_assert_int_eq(search_status(d.port, NEW_AGENT_SECRET), 200);
    ck_assert_int_eq(status_of(d.port, "GET", "/v1/review", EDITOR_SECRET,
                               NULL, NULL, NULL, 0),
                     401);
    /* The connection from before still answers. */
    ck_assert(sd_send_all(kept, health, strlen(health)));
    got = recv(kept, reply, sizeof reply - 1, 0);
    ck_assert_int_gt(got, 0);
    reply[got] = '\0';
    ck_assert_msg(strncmp(reply, "HTTP/1.1 200", 12) == 0, "%s", reply);
    close(kept);

    /* A broken file: the rotated token keeps working. */
    ck_assert(sd_replace_file(path, "token = half a line\n"));
    ck_assert_int_eq(kill(d.pid, SIGHUP), 0);
    sd_sleep_ms(500);
    ck_assert(sd_alive(&d));
    ck_assert_int_eq(search_status(d.port, NEW_AGENT_SECRET), 200);
    ck_assert_int_eq(sd_stop(&d, SIGTERM), 0);
}
END_TEST

/* History while the log cannot be written: 503; articles keep working. */
static void assert_history_refused(int port, const char *ticket)
{
    char code[64];
    ck_assert_int_eq(status_of(port, "GET",
                               "/v1/search?q=klacht&customer=C000123",
                               AGENT_SECRET, ticket, NULL, code, sizeof code),
                     503);
    ck_assert_str_eq(code, "audit_unavailable");
    ck_assert_int_eq(status_of(port, "GET",
                               "/v1/docs/" HISTORY_ID "?customer=C000123",
                               AGENT_SECRET, ticket, NULL, code, sizeof code),
                     503);
    ck_assert_int_eq(status_of(port, "GET", "/v1/search?q=klacht",
                               AGENT_SECRET, NULL, NULL, code, sizeof code),
                     200);
    ck_assert_int_eq(status_of(port, "GET", "/v1/docs/" ARTICLE_ID,
                               AGENT_SECRET, NULL, NULL, code, sizeof code),
                     200);
}

START_TEST(test_access_audit_unwritable)
{
    char ticket[512];
    ticket_for("C000123", 600, ticket);

    /* A place nobody can write, not even root: the daemon starts, says
     * why in /v1/health, and refuses history. */
    write_config("audit_db = /proc/vraagbaak-audit.db\n");
    struct sd_daemon d;
    start(&d, NULL);
    assert_history_refused(d.port, ticket);
    int health_status = 0;
    json_t *health = sd_get_json(d.port, "/v1/health", &health_status);
    ck_assert_ptr_nonnull(health);
    json_t *warnings = json_object_get(health, "warnings");
    ck_assert_msg(json_array_size(warnings) >= 1 &&
                      strstr(json_string_value(json_array_get(warnings, 0)),
                             "audit log"),
                  "no warning about the audit log in /v1/health");
    json_decref(health);
    /* Alive, not ready: a load balancer sends agents to another node. */
    char ready[64];
    ck_assert_int_eq(status_of(d.port, "GET", "/v1/health/ready", NULL, NULL,
                               NULL, ready, sizeof ready),
                     503);
    ck_assert_str_eq(ready, "audit_unavailable");
    ck_assert_int_eq(status_of(d.port, "GET", "/v1/health/live", NULL, NULL,
                               NULL, NULL, 0),
                     200);
    ck_assert(sd_alive(&d));
    ck_assert_int_eq(sd_stop(&d, SIGTERM), 0);

    /* A full disk, mid-run: the daemon's file size limit drops to one
     * byte, so every write of the log fails as on a full file system. */
    write_config(NULL);
    start(&d, NULL);
    char code[64];
    ck_assert_int_eq(status_of(d.port, "GET",
                               "/v1/search?q=klacht&customer=C000123",
                               AGENT_SECRET, ticket, NULL, code, sizeof code),
                     200);
    struct rlimit full = {1, RLIM_INFINITY}, room = {RLIM_INFINITY, RLIM_INFINITY};
    ck_assert_int_eq(prlimit(d.pid, RLIMIT_FSIZE, &full, NULL), 0);
    for (int k = 0; k < 3; k++)
        assert_history_refused(d.port, ticket);
    ck_assert(sd_alive(&d));
    /* Space again: history comes back, and the log has every row of the
     * answers that were given. */
    ck_assert_int_eq(prlimit(d.pid, RLIMIT_FSIZE, &room, NULL), 0);
    long long deadline = sd_now_ms() + SD_WAIT_SECONDS * 1000LL;
    int status = 0;
    while (sd_now_ms() < deadline &&
           (status = status_of(d.port, "GET",
                               "/v1/search?q=klacht&customer=C000123",
                               AGENT_SECRET, ticket, NULL, NULL, 0)) != 200)
        sd_sleep_ms(100);
    ck_assert_int_eq(status, 200);
    json_t *root = audit_json(d.port, "?customer=C000123");
    ck_assert_int_eq(json_integer_value(json_object_get(root, "total")), 2);
    json_decref(root);
    ck_assert_int_eq(sd_stop(&d, SIGTERM), 0);
}
END_TEST

/* ---- Audit completeness under kill -9 ------------------------------------------ */

#define CLIENTS 4
#define ROUNDS 20
#define ANSWERED_MAX 4096

/* One client thread: history searches with unique queries until the
 * daemon dies; the queries that got a whole 200 are kept. */
struct client {
    int port, id, round;
    const char *ticket;
    char (*answered)[48];
    size_t answered_count;
};

static void *client_main(void *arg)
{
    struct client *c = arg;
    for (int k = 0; c->answered_count < ANSWERED_MAX / CLIENTS; k++) {
        char query[48], target[128];
        snprintf(query, sizeof query, "klacht-r%dc%dn%d", c->round, c->id, k);
        snprintf(target, sizeof target,
                 "/v1/search?q=%s&customer=C000123&limit=1", query);
        char headers[768];
        snprintf(headers, sizeof headers,
                 "Authorization: Bearer " AGENT_SECRET
                 "\r\nX-Vraagbaak-Ticket: %s\r\n",
                 c->ticket);
        struct sd_response r;
        if (!sd_request(c->port, "GET", target, headers, NULL, 0, &r))
            break; /* the daemon is gone */
        bool whole = r.status == 200 && r.body_len > 0 &&
                     r.body[r.body_len - 1] == '}';
        sd_response_free(&r);
        if (!whole)
            break;
        snprintf(c->answered[c->answered_count++], 48, "%s", query);
    }
    return NULL;
}

START_TEST(test_access_audit_survives_kill)
{
    char ticket[512];
    ticket_for("C000123", 3600, ticket);
    unsigned seed = (unsigned)time(NULL);
    static char answered[CLIENTS][ANSWERED_MAX / CLIENTS][48];
    size_t total_answered = 0;
    for (int round = 0; round < ROUNDS; round++) {
        struct sd_daemon d;
        start(&d, NULL);
        struct client clients[CLIENTS];
        pthread_t threads[CLIENTS];
        for (int i = 0; i < CLIENTS; i++) {
            clients[i] = (struct client){.port = d.port, .id = i,
                                         .round = round, .ticket = ticket,
                                         .answered = answered[i]};
            ck_assert_int_eq(pthread_create(&threads[i], NULL, client_main,
                                            &clients[i]),
                             0);
        }
        sd_sleep_ms(30 + (int)(rand_r(&seed) % 300));
        sd_stop(&d, SIGKILL);
        for (int i = 0; i < CLIENTS; i++)
            pthread_join(threads[i], NULL);

        /* After the restart, every answer given has its row. */
        start(&d, NULL);
        char target[128];
        snprintf(target, sizeof target,
                 "?customer=C000123&limit=10000&from=2000-01-01");
        json_t *root = audit_json(d.port, target);
        json_t *entries = json_object_get(root, "entries");
        for (int i = 0; i < CLIENTS; i++)
            for (size_t k = 0; k < clients[i].answered_count; k++) {
                bool found = false;
                json_t *entry;
                size_t e;
                json_array_foreach(entries, e, entry)
                    found |= strcmp(json_string_value(json_object_get(
                                        entry, "query")),
                                    answered[i][k]) == 0;
                ck_assert_msg(found,
                              "round %d (seed %u): '%s' was answered but has "
                              "no audit row",
                              round, seed, answered[i][k]);
            }
        for (int i = 0; i < CLIENTS; i++)
            total_answered += clients[i].answered_count;
        json_decref(root);
        ck_assert_int_eq(sd_stop(&d, SIGTERM), 0);
    }
    ck_assert_msg(total_answered >= ROUNDS, "hardly any load: %zu answers",
                  total_answered);
}
END_TEST

/* ---- Erasure -------------------------------------------------------------------- */

START_TEST(test_access_erasure)
{
    char index[512];
    snprintf(index, sizeof index, "%s/index", dir);
    ck_assert(sd_copy_tree(VB_SEARCHD_TEST_INDEX, index));
    struct sd_daemon d;
    start(&d, (const char *const[]){"--index", index, NULL});
    char ticket[512];
    ticket_for("C000123", 600, ticket);

    struct sd_response r;
    ck_assert_int_eq(request(d.port, "DELETE", "/v1/customers/C000123",
                             ADMIN_SECRET, NULL, NULL, &r),
                     200);
    json_t *root = sd_json(&r);
    json_int_t erased = json_integer_value(json_object_get(root, "erased"));
    ck_assert_int_eq(erased, 20); /* corpus/history: 20 events of C000123 */
    json_decref(root);
    sd_response_free(&r);

    /* Nothing of the customer is found any more. */
    const char *searches[] = {"/v1/search?q=&customer=C000123",
                              "/v1/search?q=klacht&customer=C000123",
                              "/v1/search?q=kla&customer=C000123&type=history"};
    for (int k = 0; k < 3; k++) {
        ck_assert_int_eq(request(d.port, "GET", searches[k], AGENT_SECRET,
                                 ticket, NULL, &r),
                         200);
        ck_assert_msg(!strstr(r.body, "\"customer\":\"C000123\""), "%s: %s",
                      searches[k], r.body);
        sd_response_free(&r);
    }
    ck_assert_int_eq(request(d.port, "POST", "/v1/suggest", AGENT_SECRET, ticket,
                             "{\"text\":\"klacht wachttijd factuur\","
                             "\"customer\":\"C000123\"}",
                             &r),
                     200);
    ck_assert(!strstr(r.body, "\"customer\":\"C000123\""));
    sd_response_free(&r);
    ck_assert_int_eq(status_of(d.port, "GET",
                               "/v1/docs/" HISTORY_ID "?customer=C000123",
                               AGENT_SECRET, ticket, NULL, NULL, 0),
                     404);

    /* The erasure is in the audit log, without content. */
    root = audit_json(d.port, "?customer=C000123");
    json_t *entry = json_array_get(json_object_get(root, "entries"), 4);
    ck_assert_ptr_nonnull(entry);
    ck_assert_str_eq(json_string_value(json_object_get(entry, "route")),
                     "DELETE /v1/customers/{id}");
    ck_assert_str_eq(json_string_value(json_object_get(entry, "token")), "dpo");
    ck_assert_int_eq(json_integer_value(json_object_get(entry, "hits")), 20);
    ck_assert(json_is_null(json_object_get(entry, "query")));
    json_decref(root);

    /* A later indexer run over the same source does not bring it back. */
    char source[512];
    snprintf(source, sizeof source, "%s/corpus", VB_SOURCE_DIR);
    int status = sd_run_program(VB_INDEXER_PATH,
                                (const char *const[]){"--index", index, source,
                                                      NULL},
                                out, sizeof out, err, sizeof err);
    ck_assert_msg(status == 0 || status == 1, "indexer: %d %s", status, err);
    ck_assert_msg(strstr(out, "20 events of erased customers skipped"), "%s",
                  out);
    ck_assert_msg(strstr(err, "customer C000123 was erased"), "%s", err);
    ck_assert_int_eq(request(d.port, "GET", "/v1/search?q=&customer=C000123",
                             AGENT_SECRET, ticket, NULL, &r),
                     200);
    ck_assert(!strstr(r.body, "\"customer\":\"C000123\""));
    sd_response_free(&r);
    ck_assert_int_eq(sd_stop(&d, SIGTERM), 0);
}
END_TEST

/* ---- Host, CORS, rate limits ------------------------------------------------------ */

/* GET `target` with exactly `host` as the Host header. */
static void get_with_host(int port, const char *target, const char *host,
                          const char *headers, struct sd_response *r)
{
    char text[2048];
    snprintf(text, sizeof text,
             "GET %s HTTP/1.1\r\nHost: %s\r\n%sConnection: close\r\n\r\n",
             target, host, headers ? headers : "");
    int fd = sd_connect(port);
    ck_assert_int_ge(fd, 0);
    ck_assert(sd_send_all(fd, text, strlen(text)));
    size_t len;
    bool timed_out;
    char *raw = sd_read_all(fd, &len, &timed_out);
    close(fd);
    ck_assert(!timed_out);
    sd_parse_response(raw, len, r);
}

START_TEST(test_access_host_cors_limits)
{
    write_config("server_name = kb.example.be\n"
                 "cors-origin = *\n"
                 "rate_limit = 1\nrate_burst = 3\n");
    struct sd_daemon d;
    start(&d, NULL);
    struct sd_response r;
    /* DNS rebinding: a name we do not serve gets 421, even for history
     * with a valid token and ticket. */
    char ticket[512];
    ticket_for("C000123", 600, ticket);
    char headers[1024];
    snprintf(headers, sizeof headers,
             "Authorization: Bearer " AGENT_SECRET
             "\r\nX-Vraagbaak-Ticket: %s\r\n",
             ticket);
    get_with_host(d.port, "/v1/search?q=&customer=C000123", "evil.example",
                  headers, &r);
    ck_assert_int_eq(r.status, 421);
    ck_assert_str_eq(sd_error_code(&r), "misdirected_request");
    ck_assert(!strstr(r.body, "C000123\","));
    sd_response_free(&r);
    const char *names[] = {"kb.example.be", "KB.example.be:443", "localhost:1",
                           "127.0.0.1", "[::1]:8080"};
    for (int k = 0; k < 5; k++) {
        get_with_host(d.port, "/v1/health", names[k], NULL, &r);
        ck_assert_msg(r.status == 200, "Host %s: %d", names[k], r.status);
        sd_response_free(&r);
    }

    /* '*' never means the origin "null"; security headers everywhere. */
    ck_assert(sd_request(d.port, "GET", "/v1/health", "Origin: null\r\n", NULL,
                         0, &r));
    ck_assert_ptr_null(sd_header(&r, "Access-Control-Allow-Origin"));
    char *referrer = sd_header(&r, "Referrer-Policy"),
         *nosniff = sd_header(&r, "X-Content-Type-Options");
    ck_assert_str_eq(referrer, "no-referrer");
    ck_assert_str_eq(nosniff, "nosniff");
    free(referrer);
    free(nosniff);
    sd_response_free(&r);
    ck_assert(sd_request(d.port, "GET", "/", NULL, NULL, 0, &r));
    char *csp = sd_header(&r, "Content-Security-Policy");
    ck_assert_ptr_nonnull(csp);
    ck_assert(strstr(csp, "frame-ancestors 'none'") &&
              strstr(csp, "script-src 'self'"));
    free(csp);
    sd_response_free(&r);

    /* A token over its rate: 429 with Retry-After; another token is not
     * slowed by it. */
    int limited = 0;
    for (int k = 0; k < 6 && !limited; k++) {
        request(d.port, "GET", "/v1/search?q=factuur", AGENT_SECRET, NULL,
                NULL, &r);
        if (r.status == 429) {
            limited = k + 1;
            ck_assert_str_eq(sd_error_code(&r), "rate_limited");
            char *retry = sd_header(&r, "Retry-After");
            ck_assert_ptr_nonnull(retry);
            ck_assert_int_ge(atoi(retry), 1);
            free(retry);
        }
        sd_response_free(&r);
    }
    ck_assert_msg(limited >= 4, "no 429 after the burst of 3 (%d)", limited);
    ck_assert_int_eq(status_of(d.port, "GET", "/v1/search?q=factuur",
                               EDITOR_SECRET, NULL, NULL, NULL, 0),
                     200);

    /* A storm of wrong tokens from one address: 401s, then 429s. */
    int first_429 = 0;
    for (int k = 0; k < 40 && !first_429; k++) {
        char wrong[64];
        snprintf(wrong, sizeof wrong, "guess-%08d-0123456789", k);
        char code[64];
        int status = status_of(d.port, "GET", "/v1/search?q=x", wrong, NULL,
                               NULL, code, sizeof code);
        ck_assert(status == 401 || status == 429);
        if (status == 429)
            first_429 = k + 1;
    }
    ck_assert_msg(first_429 > 10, "wrong tokens were not slowed down (%d)",
                  first_429);
    /* The right token from the same address still works. */
    ck_assert_int_eq(status_of(d.port, "GET", "/v1/search?q=x", ADMIN_SECRET,
                               NULL, NULL, NULL, 0),
                     200);
    ck_assert_int_eq(sd_stop(&d, SIGTERM), 0);
}
END_TEST

/* ---- Start-up rules ----------------------------------------------------------------- */

START_TEST(test_access_refusals)
{
    char conf[512], path[512];
    snprintf(conf, sizeof conf, "%s/searchd.conf", dir);
    struct {
        const char *config; /* besides tokens, ticket secret and audit_db */
        const char *expect;
    } cases[] = {
        {"", "server_name"},
        {"server_name = kb.example.be\n", "TLS"},
    };
    for (int k = 0; k < 2; k++) {
        write_config(cases[k].config);
        const char *args[] = {"--index", VB_SEARCHD_TEST_INDEX, "--config",
                              conf, "--listen", "0.0.0.0:0", NULL};
        ck_assert_int_eq(sd_run(args, out, sizeof out, err, sizeof err), 2);
        ck_assert_msg(strstr(err, cases[k].expect) &&
                          strchr(err, '\n') == err + strlen(err) - 1,
                      "expected one line naming %s: %s", cases[k].expect, err);
    }
    /* Without tokens, and without a ticket secret. */
    snprintf(path, sizeof path, "%s/bare.conf", dir);
    ck_assert(sd_write_file(path, "server_name = kb.example.be\ntls = off\n"));
    const char *bare[] = {"--index", VB_SEARCHD_TEST_INDEX, "--config", path,
                          "--listen", "0.0.0.0:0", NULL};
    ck_assert_int_eq(sd_run(bare, out, sizeof out, err, sizeof err), 2);
    ck_assert_msg(strstr(err, "tokens"), "%s", err);
    char agent[256], text[1024];
    token_line("crm", "agent", AGENT_SECRET, agent, sizeof agent);
    snprintf(text, sizeof text, "%sserver_name = kb.example.be\ntls = off\n",
             agent);
    ck_assert(sd_write_file(path, text));
    ck_assert_int_eq(sd_run(bare, out, sizeof out, err, sizeof err), 2);
    ck_assert_msg(strstr(err, "ticket secret"), "%s", err);

    /* Bad token lines and secrets: one line naming the place, never the
     * secret. */
    const char *lines[] = {
        "token = crm agent 1234\n", "token = crm boss " /* 64 hex */
        "0000000000000000000000000000000000000000000000000000000000000000\n",
        "token = crm agent "
        "0000000000000000000000000000000000000000000000000000000000000000 "
        "tenants=Acme\n"};
    for (int k = 0; k < 3; k++) {
        ck_assert(sd_write_file(path, lines[k]));
        ck_assert_int_eq(sd_run(bare, out, sizeof out, err, sizeof err), 2);
        ck_assert_msg(strstr(err, "bare.conf:1: token"), "%s", err);
    }
    ck_assert_int_eq(sd_run((const char *const[]){"--hash-token", "crm",
                                                  "agent", NULL},
                            out, sizeof out, err, sizeof err),
                     2); /* empty standard input: too short */
    ck_assert_msg(strstr(err, "at least 16"), "%s", err);
    snprintf(path, sizeof path, "%s/ticket.secret", dir);
    ck_assert(sd_write_file(path, "short\n"));
    const char *loopback[] = {"--index", VB_SEARCHD_TEST_INDEX, "--config",
                              conf, NULL};
    ck_assert_int_eq(sd_run(loopback, out, sizeof out, err, sizeof err), 2);
    ck_assert_msg(strstr(err, "ticket_secret_file") && strstr(err, "at least 32"),
                  "%s", err);
}
END_TEST

/* ---- HTTPS ---------------------------------------------------------------------------- */

static void make_certificate(const char *name)
{
    char command[1024];
    snprintf(command, sizeof command,
             "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "
             "/CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 "
             "-keyout '%s/%s.key' -out '%s/%s.pem' 2>/dev/null",
             dir, name, dir, name);
    ck_assert_int_eq(system(command), 0);
}

START_TEST(test_access_https)
{
    make_certificate("server");
    make_certificate("other");
    char cert[512], key[512], other_key[512];
    snprintf(cert, sizeof cert, "%s/server.pem", dir);
    snprintf(key, sizeof key, "%s/server.key", dir);
    snprintf(other_key, sizeof other_key, "%s/other.key", dir);

    /* Mismatched, unreadable: one line, exit 2. */
    char conf[512];
    snprintf(conf, sizeof conf, "%s/searchd.conf", dir);
    const char *mismatched[] = {"--index", VB_SEARCHD_TEST_INDEX, "--config",
                                conf, "--tls-cert", cert, "--tls-key",
                                other_key, NULL};
    ck_assert_int_eq(sd_run(mismatched, out, sizeof out, err, sizeof err), 2);
    ck_assert_msg(strstr(err, "does not belong to"), "%s", err);
    const char *missing[] = {"--index", VB_SEARCHD_TEST_INDEX, "--config", conf,
                             "--tls-cert", "/nonexistent.pem", "--tls-key", key,
                             NULL};
    ck_assert_int_eq(sd_run(missing, out, sizeof out, err, sizeof err), 2);
    ck_assert_msg(strstr(err, "tls_cert /nonexistent.pem"), "%s", err);
    const char *half[] = {"--index", VB_SEARCHD_TEST_INDEX, "--config", conf,
                          "--tls-cert", cert, NULL};
    ck_assert_int_eq(sd_run(half, out, sizeof out, err, sizeof err), 2);
    ck_assert_msg(strstr(err, "go together"), "%s", err);

    struct sd_daemon d;
    start(&d, (const char *const[]){"--tls-cert", cert, "--tls-key", key,
                                    NULL});
    ck_assert(strncmp(d.url, "https://", 8) == 0);
    char url[256], auth[128];
    snprintf(url, sizeof url, "https://localhost:%d/v1/search?q=factuur",
             d.port);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", AGENT_SECRET);
    int status = sd_run_program(
        "/usr/bin/curl",
        (const char *const[]){"-sS", "--max-time", "20", "--cacert", cert, "-H",
                              auth, url, NULL},
        out, sizeof out, err, sizeof err);
    ck_assert_msg(status == 0, "curl: %d %s", status, err);
    ck_assert_msg(strstr(out, "\"hits\":[{"), "%.300s", out);

    /* Plain HTTP to the TLS port: no HTTP answer, the connection closed,
     * and the daemon goes on. */
    int fd = sd_connect(d.port);
    ck_assert_int_ge(fd, 0);
    const char plain[] = "GET /v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n";
    sd_send_all(fd, plain, sizeof plain - 1);
    size_t len;
    bool timed_out;
    char *raw = sd_read_all(fd, &len, &timed_out);
    close(fd);
    ck_assert(!timed_out);
    ck_assert_msg(len == 0 || strncmp(raw, "HTTP/", 5) != 0, "%s", raw);
    free(raw);
    snprintf(url, sizeof url, "https://127.0.0.1:%d/v1/health", d.port);
    status = sd_run_program("/usr/bin/curl",
                            (const char *const[]){"-sS", "--max-time", "20",
                                                  "--cacert", cert, url, NULL},
                            out, sizeof out, err, sizeof err);
    ck_assert_msg(status == 0 && strstr(out, "\"status\":\"ok\""), "%d %s %s",
                  status, out, err);
    ck_assert_int_eq(sd_stop(&d, SIGTERM), 0);
}
END_TEST

/* ---- docs/integration.md: the CRM's ticket code works ---------------------------- */

/* The text of the first ```LANG block of docs/integration.md. */
static char *doc_block(const char *lang)
{
    size_t len;
    char *text = vb_test_read_file(VB_SOURCE_DIR "/docs/integration.md", &len);
    ck_assert_ptr_nonnull(text);
    char fence[32];
    snprintf(fence, sizeof fence, "```%s\n", lang);
    char *start = strstr(text, fence);
    ck_assert_msg(start, "no %s block in docs/integration.md", lang);
    start += strlen(fence);
    char *end = strstr(start, "```");
    ck_assert_ptr_nonnull(end);
    *end = '\0';
    char *block = strdup(start);
    free(text);
    return block;
}

START_TEST(test_access_integration_doc)
{
    struct sd_daemon d;
    start(&d, NULL);
    const char *langs[] = {"sh", "python"};
    const char *runners[] = {"/bin/sh", "/usr/bin/python3"};
    for (int k = 0; k < 2; k++) {
        if (access(runners[k], X_OK) != 0)
            continue; /* python3 is not a build dependency */
        char *block = doc_block(langs[k]);
        char script[512];
        snprintf(script, sizeof script, "%s/mint.%s", dir, langs[k]);
        ck_assert(sd_write_file(script, block));
        free(block);
        /* The doc's code reads the secret file and the agent and customer
         * from the environment. */
        char secret[512];
        snprintf(secret, sizeof secret, "%s/ticket.secret", dir);
        setenv("TICKET_SECRET_FILE", secret, 1);
        setenv("AGENT", "anna", 1);
        setenv("CUSTOMER", "C000123", 1);
        int status = sd_run_program(runners[k],
                                    (const char *const[]){script, NULL}, out,
                                    sizeof out, err, sizeof err);
        ck_assert_msg(status == 0, "%s: %d %s", langs[k], status, err);
        out[strcspn(out, "\n")] = '\0';
        char code[64];
        ck_assert_msg(status_of(d.port, "GET",
                                "/v1/search?q=&customer=C000123", AGENT_SECRET,
                                out, NULL, code, sizeof code) == 200,
                      "the %s ticket '%s' was refused: %s", langs[k], out,
                      code);
    }
    ck_assert_int_eq(sd_stop(&d, SIGTERM), 0);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("searchd_access");
    TCase *tc = tcase_create("access");
    tcase_set_timeout(tc, 240);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_access_route_role_matrix);
    tcase_add_test(tc, test_access_tickets);
    tcase_add_test(tc, test_access_audit_rows);
    tcase_add_test(tc, test_access_audit_retention);
    tcase_add_test(tc, test_access_audit_unwritable);
    tcase_add_test(tc, test_access_reload_on_sighup);
    tcase_add_test(tc, test_access_erasure);
    tcase_add_test(tc, test_access_host_cors_limits);
    tcase_add_test(tc, test_access_refusals);
    tcase_add_test(tc, test_access_https);
    tcase_add_test(tc, test_access_integration_doc);
    suite_add_tcase(suite, tc);
    TCase *kill = tcase_create("kill");
    tcase_set_timeout(kill, 480);
    tcase_add_checked_fixture(kill, setup, teardown);
    tcase_add_test(kill, test_access_audit_survives_kill);
    suite_add_tcase(suite, kill);
    return vb_test_run(suite);
}
