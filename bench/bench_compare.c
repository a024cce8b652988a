/* bench_compare — one system, one concurrency, one query mix: the load
 * generator and stopwatch of bench/compare.sh.
 *
 * usage: bench_compare SYSTEM TARGET MIX [OPTION]...
 *
 *   SYSTEM TARGET
 *   vb-http 127.0.0.1:PORT  vraagbaak-searchd over HTTP/1.1 keep-alive, one
 *                           connection per client (GET /v1/search, POST
 *                           /v1/suggest), raw sockets; also records the
 *                           server's took_us
 *   vb-lib  INDEX_DIR       the engine in-process (vb_search_run), one
 *                           vb_searcher per client thread; took_us too
 *   pg      CONNINFO        PostgreSQL full-text search through libpq, one
 *                           connection per client
 *   fts5    DATABASE        SQLite FTS5 through its C API, one read-only
 *                           connection per client
 *
 *   --clients N        client threads (1)
 *   --queries N        timed queries: the first N lines of MIX (1000)
 *   --warmup N         untimed queries first, from the end of MIX (200),
 *                      for at most a fifth of --max-seconds
 *   --max-seconds S    stop taking queries after S seconds; the queries
 *                      done by then are reported (300)
 *   --timeout S        one query's limit (HTTP receive, PostgreSQL
 *                      statement_timeout, SQLite progress handler) (60)
 *   --out FILE         append result rows (TSV, see below) to FILE
 *   --rate R           open loop: query i is due R-th of a second apart
 *                      (i / R s after the start), whatever the answers
 *                      before it; a client takes the next query when it is
 *                      free, and a query's latency runs from when it was
 *                      due, so a server that falls behind shows its
 *                      queue (what wrk2 measures).  Without: closed loop,
 *                      each client sends its next query at once
 *
 * MIX lines: kind<TAB>lang<TAB>customer<TAB>text (bench_query_mix).  The
 * peers get the same queries as their authors would write them:
 *
 *   kind      PostgreSQL to_tsquery(cfg, ...)   FTS5 MATCH
 *   words     a & b & c                          "a" "b" "c"
 *   typing    a & b & c:*                        "a" "b" "c"*
 *   typo      as words (no fuzzy matching)       as words
 *   customer  as words, and the customer's       as words, and the
 *             history: customer = $3             customer's history
 *   suggest   a | b | ... (distinct words of 4   "a" OR "b" OR ...
 *             letters or more, at most 32)
 *
 * where cfg is dutch/french/english by the query's lang, simple without;
 * without a customer, history is filtered out (type <> 'history'); ranked
 * by ts_rank (title weight A) or bm25(title 10, body 1); top 10; ids and
 * titles only (no snippets, which Vraagbaak makes).
 *
 * Result rows, one for all queries ("all") and one per kind:
 *   system clients kind queries errors seconds qps p50_us p95_us p99_us
 *   took_p50_us took_p95_us took_p99_us zero_hit_pct
 * latency is each query's wall time at the client; took_* is the
 * server's own took_us (Vraagbaak only; 0 for the peers).  Exit 0; 1 when
 * some queries failed (the first few are printed); 2 when the run could
 * not be done. */
#define _GNU_SOURCE /* strcasestr, memmem */
#include <arpa/inet.h>
#include <errno.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "bench_words.h"
#include "timing.h"
#include "vb_search.h"

#define CLIENTS_MAX 1024
#define SUGGEST_WORDS_MAX 32
#define ERRORS_SHOWN 5

/* ---- The mix ------------------------------------------------------------ */

enum kind {
    KIND_TYPING,
    KIND_WORDS,
    KIND_TYPO,
    KIND_CUSTOMER,
    KIND_SUGGEST,
    KIND_COUNT
};
static const char *const kind_names[KIND_COUNT] = {"typing", "words", "typo",
                                                   "customer", "suggest"};

struct query {
    enum kind kind;
    char lang[3];   /* "nl", "fr", "en" or "" */
    char *customer; /* NULL: none */
    char *text;
    size_t text_len;
    char *payload; /* what the system is sent, built before timing */
    size_t payload_len;
};

struct mix {
    struct query *queries;
    size_t count;
};

static char *dup_span(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static int load_mix(const char *path, struct mix *mix)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "bench_compare: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, size = 0, number = 0;
    ssize_t len;
    int status = 0;
    while ((len = getline(&line, &cap, f)) > 0) {
        number++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len == 0)
            continue;
        char *field[4] = {line, NULL, NULL, NULL};
        for (int k = 1; k < 4; k++) {
            char *tab = field[k - 1] ? strchr(field[k - 1], '\t') : NULL;
            if (tab) {
                *tab = '\0';
                field[k] = tab + 1;
            }
        }
        struct query q = {.kind = KIND_COUNT};
        for (int k = 0; k < KIND_COUNT; k++)
            if (strcmp(field[0], kind_names[k]) == 0)
                q.kind = (enum kind)k;
        if (!field[3] || q.kind == KIND_COUNT || !field[3][0]) {
            fprintf(stderr,
                    "bench_compare: %s:%zu: not kind<TAB>lang<TAB>"
                    "customer<TAB>text with a known kind\n",
                    path, number);
            status = -1;
            break;
        }
        if (strcmp(field[1], "-") != 0)
            snprintf(q.lang, sizeof q.lang, "%s", field[1]);
        if (strcmp(field[2], "-") != 0)
            q.customer = strdup(field[2]);
        q.text_len = strlen(field[3]);
        q.text = dup_span(field[3], q.text_len);
        if (size == mix->count) {
            size = size ? size * 2 : 1024;
            struct query *grown = realloc(mix->queries, size * sizeof *grown);
            if (!grown) {
                status = -1;
                break;
            }
            mix->queries = grown;
        }
        mix->queries[mix->count++] = q;
    }
    free(line);
    fclose(f);
    if (status == 0 && mix->count == 0) {
        fprintf(stderr, "bench_compare: %s: no queries\n", path);
        status = -1;
    }
    return status;
}

/* ---- Growable text ------------------------------------------------------ */

struct text {
    char *data;
    size_t len, cap;
};

static void text_add(struct text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *grown = realloc(t->data, cap);
        if (!grown) {
            fprintf(stderr, "bench_compare: out of memory\n");
            exit(2);
        }
        t->data = grown;
        t->cap = cap;
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

static void text_str(struct text *t, const char *s)
{
    text_add(t, s, strlen(s));
}

/* The query's words as the peers take them: for suggest the distinct
 * words of 4 letters or more (at most SUGGEST_WORDS_MAX), else every word.
 * Joined by `and` (or `or` for suggest), each wrapped in open/close, the
 * last one followed by `prefix` when the kind is typing. */
static void peer_words(const struct query *q, struct text *t, const char *and,
                       const char * or, const char *open, const char *close,
                       const char *prefix)
{
    const char *p = q->text;
    char word[256], seen[SUGGEST_WORDS_MAX][256];
    size_t letters, count = 0;
    bool suggest = q->kind == KIND_SUGGEST;
    while (bench_next_word(&p, word, sizeof word, &letters)) {
        if (suggest) {
            if (letters < 4 || count == SUGGEST_WORDS_MAX)
                continue;
            bool again = false;
            for (size_t k = 0; k < count; k++)
                again = again || strcmp(seen[k], word) == 0;
            if (again)
                continue;
            memcpy(seen[count], word, sizeof word);
        }
        if (count++ > 0)
            text_str(t, suggest ? or : and);
        text_str(t, open);
        text_str(t, word);
        text_str(t, close);
    }
    if (q->kind == KIND_TYPING && count > 0)
        text_str(t, prefix);
}

/* ---- Results ------------------------------------------------------------ */

struct outcome {
    uint64_t latency_us, took_us;
    unsigned hits;
    bool done, failed;
};

struct options {
    const char *system, *target;
    unsigned clients;
    size_t queries, warmup;
    double max_seconds, timeout;
    double rate; /* open loop: queries per second; 0: closed loop */
    struct vb_search_engine *engine; /* vb-lib */
    struct sockaddr_in address;      /* vb-http */
};

/* ---- Backends ----------------------------------------------------------- */

struct backend {
    const char *name;
    /* Builds q->payload; 0 or -1. */
    int (*prepare)(const struct options *o, struct query *q);
    /* One client's connection; NULL with a message in msg. */
    void *(*open)(const struct options *o, char *msg, size_t cap);
    /* Runs one query; 0, or -1 with a message in msg. */
    int (*run)(void *conn, const struct query *q, struct outcome *out,
               char *msg, size_t cap);
    void (*close)(void *conn);
};

/* ---- vb-lib ------------------------------------------------------------- */

static int lib_prepare(const struct options *o, struct query *q)
{
    (void)o;
    (void)q;
    return 0;
}

static void *lib_open(const struct options *o, char *msg, size_t cap)
{
    struct vb_searcher *searcher = NULL;
    struct vb_error err = {0};
    if (vb_searcher_new(o->engine, &searcher, &err) != VB_OK)
        snprintf(msg, cap, "vb_searcher_new: %s", err.msg);
    return searcher;
}

static int lib_run(void *conn, const struct query *q, struct outcome *out,
                   char *msg, size_t cap)
{
    struct vb_search_request req;
    vb_search_request_init(&req);
    req.mode = q->kind == KIND_SUGGEST ? VB_SEARCH_SUGGEST : VB_SEARCH_QUERY;
    req.text = q->text;
    req.text_len = q->text_len;
    req.preferred_lang = vb_lang_parse(q->lang, strlen(q->lang));
    req.customer = q->customer;
    struct vb_search_result *r = NULL;
    struct vb_error err = {0};
    if (vb_search_run(conn, &req, &r, &err) != VB_OK) {
        snprintf(msg, cap, "vb_search_run: %s", err.msg);
        return -1;
    }
    out->took_us = r->took_us;
    out->hits = (unsigned)r->hit_count;
    vb_search_result_free(r);
    return 0;
}

static void lib_close(void *conn)
{
    vb_searcher_free(conn);
}

/* ---- vb-http ------------------------------------------------------------ */

static void url_encode(struct text *t, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' ||
            *p == '~') {
            text_add(t, (const char *)p, 1);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            text_add(t, e, 3);
        }
    }
}

static void json_string(struct text *t, const char *s)
{
    text_str(t, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            char e[2] = {'\\', (char)*p};
            text_add(t, e, 2);
        } else if (*p < 0x20) {
            char e[8];
            snprintf(e, sizeof e, "\\u%04x", *p);
            text_str(t, e);
        } else {
            text_add(t, (const char *)p, 1);
        }
    }
    text_str(t, "\"");
}

static int http_prepare(const struct options *o, struct query *q)
{
    (void)o;
    struct text t = {0};
    if (q->kind == KIND_SUGGEST) {
        struct text body = {0};
        text_str(&body, "{\"text\":");
        json_string(&body, q->text);
        if (q->lang[0]) {
            text_str(&body, ",\"lang\":");
            json_string(&body, q->lang);
        }
        if (q->customer) {
            text_str(&body, ",\"customer\":");
            json_string(&body, q->customer);
        }
        text_str(&body, ",\"limit\":10}");
        char head[256];
        snprintf(head, sizeof head,
                 "POST /v1/suggest HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 "Content-Type: application/json\r\nContent-Length: %zu\r\n"
                 "\r\n",
                 body.len);
        text_str(&t, head);
        text_add(&t, body.data, body.len);
        free(body.data);
    } else {
        text_str(&t, "GET /v1/search?q=");
        url_encode(&t, q->text);
        if (q->lang[0]) {
            text_str(&t, "&lang=");
            url_encode(&t, q->lang);
        }
        if (q->customer) {
            text_str(&t, "&customer=");
            url_encode(&t, q->customer);
        }
        text_str(&t, " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    }
    q->payload = t.data;
    q->payload_len = t.len;
    return 0;
}

struct http_conn {
    int fd;
    struct sockaddr_in address;
    double timeout;
    struct text in;
};

static int http_connect(struct http_conn *c, char *msg, size_t cap)
{
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        snprintf(msg, cap, "socket: %s", strerror(errno));
        return -1;
    }
    int one = 1;
    struct timeval tv = {
        .tv_sec = (time_t)c->timeout,
        .tv_usec =
            (suseconds_t)((c->timeout - (double)(time_t)c->timeout) * 1e6)};
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(c->fd, (const struct sockaddr *)&c->address,
                sizeof c->address) != 0) {
        snprintf(msg, cap, "connect to 127.0.0.1:%u: %s",
                 ntohs(c->address.sin_port), strerror(errno));
        close(c->fd);
        c->fd = -1;
        return -1;
    }
    return 0;
}

static void *http_open(const struct options *o, char *msg, size_t cap)
{
    struct http_conn *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(msg, cap, "out of memory");
        return NULL;
    }
    c->address = o->address;
    c->timeout = o->timeout;
    if (http_connect(c, msg, cap) != 0) {
        free(c);
        return NULL;
    }
    return c;
}

static void http_close(void *conn)
{
    struct http_conn *c = conn;
    if (c->fd >= 0)
        close(c->fd);
    free(c->in.data);
    free(c);
}

/* Sends the request and reads one whole response into c->in.  Returns 0,
 * 1 when the connection was closed before any byte of the response came
 * (the caller may reconnect and retry once), -1 on any other failure. */
static int http_exchange(struct http_conn *c, const struct query *q,
                         size_t *header_len, bool *closing, char *msg,
                         size_t cap)
{
    size_t sent = 0;
    while (sent < q->payload_len) {
        ssize_t n =
            send(c->fd, q->payload + sent, q->payload_len - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (sent == 0 && (errno == EPIPE || errno == ECONNRESET))
                return 1;
            snprintf(msg, cap, "send: %s", strerror(errno));
            return -1;
        }
        sent += (size_t)n;
    }
    c->in.len = 0;
    size_t want = 0; /* header + body, once the header is in */
    bool chunked = false;
    *header_len = 0;
    for (;;) {
        if (c->in.cap - c->in.len < 16384 + 1) {
            size_t grown_cap = c->in.cap * 2 > 32768 ? c->in.cap * 2 : 32768;
            char *grown = realloc(c->in.data, grown_cap);
            if (!grown) {
                snprintf(msg, cap, "out of memory");
                return -1;
            }
            c->in.data = grown;
            c->in.cap = grown_cap;
        }
        ssize_t n =
            recv(c->fd, c->in.data + c->in.len, c->in.cap - c->in.len - 1, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (c->in.len == 0 && (n == 0 || errno == ECONNRESET))
                return 1;
            snprintf(msg, cap, "%s after %zu bytes of the response",
                     n == 0 ? "connection closed"
                     : errno == EAGAIN || errno == EWOULDBLOCK
                         ? "timed out"
                         : strerror(errno),
                     c->in.len);
            return -1;
        }
        c->in.len += (size_t)n;
        c->in.data[c->in.len] = '\0';
        if (*header_len == 0) {
            char *end = memmem(c->in.data, c->in.len, "\r\n\r\n", 4);
            if (!end)
                continue;
            *header_len = (size_t)(end - c->in.data) + 4;
            char saved = c->in.data[*header_len];
            c->in.data[*header_len] = '\0';
            const char *length = strcasestr(c->in.data, "\r\ncontent-length:");
            chunked = strcasestr(c->in.data,
                                 "\r\ntransfer-encoding: chunked") != NULL;
            *closing = strcasestr(c->in.data, "\r\nconnection: close") != NULL;
            c->in.data[*header_len] = saved;
            if (length)
                want = *header_len + strtoull(length + 17, NULL, 10);
            else if (!chunked) {
                snprintf(msg, cap, "response without Content-Length");
                return -1;
            }
        }
        if (!chunked && c->in.len >= want)
            return 0;
        if (chunked && c->in.len >= *header_len + 5 &&
            memcmp(c->in.data + c->in.len - 5, "0\r\n\r\n", 5) == 0)
            return 0;
    }
}

static int http_run(void *conn, const struct query *q, struct outcome *out,
                    char *msg, size_t cap)
{
    struct http_conn *c = conn;
    size_t header_len = 0;
    bool closing = false;
    int got =
        c->fd >= 0 ? http_exchange(c, q, &header_len, &closing, msg, cap) : 1;
    if (got == 1) { /* the server closed an idle connection: once more */
        if (c->fd >= 0)
            close(c->fd);
        if (http_connect(c, msg, cap) != 0)
            return -1;
        got = http_exchange(c, q, &header_len, &closing, msg, cap);
        if (got == 1)
            snprintf(msg, cap, "connection closed without a response");
    }
    if (got != 0) {
        close(c->fd);
        c->fd = -1;
        return -1;
    }
    int status = 0;
    sscanf(c->in.data, "HTTP/1.%*d %d", &status);
    const char *body = c->in.data + header_len;
    if (status != 200) {
        snprintf(msg, cap, "HTTP %d: %.200s", status, body);
        return -1;
    }
    const char *took = strstr(body, "\"took_us\":");
    if (!took) {
        snprintf(msg, cap, "no took_us in the response: %.200s", body);
        return -1;
    }
    out->took_us = strtoull(took + 10, NULL, 10);
    unsigned hits = 0;
    for (const char *p = body; (p = strstr(p, "\"score\":")) != NULL; p += 8)
        hits++;
    out->hits = hits;
    if (closing) {
        close(c->fd);
        c->fd = -1;
    }
    return 0;
}

/* ---- pg ----------------------------------------------------------------- */

static const char pg_articles[] =
    "SELECT id, title, ts_rank(tsv, q) AS rank "
    "FROM docs, to_tsquery($1::regconfig, $2) AS q "
    "WHERE tsv @@ q AND type <> 'history' ORDER BY rank DESC LIMIT 10";
static const char pg_customer[] =
    "SELECT id, title, ts_rank(tsv, q) AS rank "
    "FROM docs, to_tsquery($1::regconfig, $2) AS q "
    "WHERE tsv @@ q AND (type <> 'history' OR customer = $3) "
    "ORDER BY rank DESC LIMIT 10";

static const char *pg_config(const char *lang)
{
    return strcmp(lang, "nl") == 0   ? "dutch"
           : strcmp(lang, "fr") == 0 ? "french"
           : strcmp(lang, "en") == 0 ? "english"
                                     : "simple";
}

static int pg_prepare(const struct options *o, struct query *q)
{
    (void)o;
    struct text t = {0};
    peer_words(q, &t, " & ", " | ", "", "", ":*");
    text_str(&t, ""); /* never NULL */
    q->payload = t.data;
    q->payload_len = t.len;
    return 0;
}

static void pg_ignore_notice(void *arg, const char *message)
{
    (void)arg; /* "text-search query contains only stop words": expected */
    (void)message;
}

static void *pg_open(const struct options *o, char *msg, size_t cap)
{
    PGconn *conn = PQconnectdb(o->target);
    if (PQstatus(conn) != CONNECTION_OK) {
        snprintf(msg, cap, "PostgreSQL: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return NULL;
    }
    PQsetNoticeProcessor(conn, pg_ignore_notice, NULL);
    char set[64];
    snprintf(set, sizeof set, "SET statement_timeout = %.0f",
             o->timeout * 1000);
    PGresult *r[3] = {PQexec(conn, set),
                      PQprepare(conn, "articles", pg_articles, 2, NULL),
                      PQprepare(conn, "customer", pg_customer, 3, NULL)};
    bool ok = true;
    for (int k = 0; k < 3; k++) {
        if (ok && PQresultStatus(r[k]) != PGRES_COMMAND_OK) {
            snprintf(msg, cap, "PostgreSQL: %s", PQresultErrorMessage(r[k]));
            ok = false;
        }
        PQclear(r[k]);
    }
    if (!ok) {
        PQfinish(conn);
        return NULL;
    }
    return conn;
}

static int pg_run(void *conn, const struct query *q, struct outcome *out,
                  char *msg, size_t cap)
{
    const char *values[3] = {pg_config(q->lang), q->payload, q->customer};
    PGresult *r = PQexecPrepared(conn, q->customer ? "customer" : "articles",
                                 q->customer ? 3 : 2, values, NULL, NULL, 0);
    int status = 0;
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
        out->hits = (unsigned)PQntuples(r);
    } else {
        snprintf(msg, cap, "PostgreSQL: %s", PQresultErrorMessage(r));
        msg[strcspn(msg, "\n")] = '\0';
        status = -1;
    }
    PQclear(r);
    return status;
}

static void pg_close(void *conn)
{
    PQfinish(conn);
}

/* ---- fts5 --------------------------------------------------------------- */

static const char fts5_articles[] =
    "SELECT id, title, bm25(docs, 0.0, 0.0, 0.0, 0.0, 10.0, 1.0) AS rank "
    "FROM docs WHERE docs MATCH ?1 AND type <> 'history' "
    "ORDER BY rank LIMIT 10";
static const char fts5_customer[] =
    "SELECT id, title, bm25(docs, 0.0, 0.0, 0.0, 0.0, 10.0, 1.0) AS rank "
    "FROM docs WHERE docs MATCH ?1 AND (type <> 'history' OR customer = ?2) "
    "ORDER BY rank LIMIT 10";

static int fts5_prepare(const struct options *o, struct query *q)
{
    (void)o;
    struct text t = {0};
    peer_words(q, &t, " ", " OR ", "\"", "\"", "*");
    text_str(&t, "");
    q->payload = t.data;
    q->payload_len = t.len;
    return 0;
}

struct fts5_conn {
    sqlite3 *db;
    sqlite3_stmt *articles, *customer;
    double timeout, deadline; /* of the running query */
};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Interrupts a query that runs past --timeout, as statement_timeout does
 * for PostgreSQL. */
static int fts5_progress(void *arg)
{
    const struct fts5_conn *c = arg;
    return now_s() > c->deadline;
}

static void fts5_close(void *conn)
{
    struct fts5_conn *c = conn;
    sqlite3_finalize(c->articles);
    sqlite3_finalize(c->customer);
    sqlite3_close(c->db);
    free(c);
}

static void *fts5_open(const struct options *o, char *msg, size_t cap)
{
    struct fts5_conn *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(msg, cap, "out of memory");
        return NULL;
    }
    c->timeout = o->timeout;
    /* mmap: the usual setting for a read-mostly database; without it every
     * connection reads pages through its own 2 MB cache. */
    if (sqlite3_open_v2(o->target, &c->db,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK ||
        sqlite3_exec(c->db, "PRAGMA mmap_size = 4294967296", NULL, NULL,
                     NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(c->db, fts5_articles, -1, &c->articles, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(c->db, fts5_customer, -1, &c->customer, NULL) !=
            SQLITE_OK) {
        snprintf(msg, cap, "SQLite %s: %s", o->target,
                 c->db ? sqlite3_errmsg(c->db) : "cannot open");
        fts5_close(c);
        return NULL;
    }
    sqlite3_busy_timeout(c->db, (int)(o->timeout * 1000));
    sqlite3_progress_handler(c->db, 10000, fts5_progress, c);
    return c;
}

static int fts5_run(void *conn, const struct query *q, struct outcome *out,
                    char *msg, size_t cap)
{
    struct fts5_conn *c = conn;
    sqlite3_stmt *s = q->customer ? c->customer : c->articles;
    sqlite3_bind_text(s, 1, q->payload, (int)q->payload_len, SQLITE_STATIC);
    if (q->customer)
        sqlite3_bind_text(s, 2, q->customer, -1, SQLITE_STATIC);
    c->deadline = now_s() + c->timeout;
    int rc;
    unsigned rows = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        rows++;
    int status = 0;
    if (rc != SQLITE_DONE) {
        snprintf(msg, cap, "SQLite: %s%s", sqlite3_errmsg(c->db),
                 rc == SQLITE_INTERRUPT ? " (timed out)" : "");
        status = -1;
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    out->hits = rows;
    return status;
}

static const struct backend backends[] = {
    {"vb-http", http_prepare, http_open, http_run, http_close},
    {"vb-lib", lib_prepare, lib_open, lib_run, lib_close},
    {"pg", pg_prepare, pg_open, pg_run, pg_close},
    {"fts5", fts5_prepare, fts5_open, fts5_run, fts5_close},
};

/* ---- The run ------------------------------------------------------------ */

struct run {
    const struct backend *backend;
    const struct options *options;
    struct mix *mix;
    struct outcome *outcomes; /* [options->queries] */
    atomic_size_t next_warmup, next;
    pthread_barrier_t connected, warmed, go;
    double start, deadline, warmup_deadline;
    uint64_t start_us; /* bench_now_us() at start */
    atomic_bool failed_to_open;
    atomic_uint errors_shown;
    pthread_mutex_t print_lock;
};

static void show_error(struct run *run, const struct query *q, const char *msg)
{
    if (atomic_fetch_add(&run->errors_shown, 1) < ERRORS_SHOWN) {
        pthread_mutex_lock(&run->print_lock);
        fprintf(stderr, "bench_compare: %s: %s query '%.60s': %s\n",
                run->backend->name, kind_names[q->kind], q->text, msg);
        pthread_mutex_unlock(&run->print_lock);
    }
}

static void *client(void *arg)
{
    struct run *run = arg;
    const struct options *o = run->options;
    char msg[512] = "";
    void *conn = run->backend->open(o, msg, sizeof msg);
    if (!conn) {
        if (!atomic_exchange(&run->failed_to_open, true))
            fprintf(stderr, "bench_compare: %s: %s\n", run->backend->name, msg);
    }
    pthread_barrier_wait(&run->connected);
    if (atomic_load(&run->failed_to_open)) {
        pthread_barrier_wait(&run->warmed);
        pthread_barrier_wait(&run->go);
        goto out;
    }
    /* Warm-up, untimed, from the end of the mix. */
    for (;;) {
        size_t i = atomic_fetch_add(&run->next_warmup, 1);
        if (i >= o->warmup || now_s() > run->warmup_deadline)
            break;
        const struct query *q = &run->mix->queries[run->mix->count - 1 - i];
        struct outcome ignored = {0};
        run->backend->run(conn, q, &ignored, msg, sizeof msg);
    }
    pthread_barrier_wait(&run->warmed);
    pthread_barrier_wait(&run->go); /* main has set start and deadline */
    for (;;) {
        size_t i = atomic_fetch_add(&run->next, 1);
        if (i >= o->queries || now_s() > run->deadline)
            break;
        const struct query *q = &run->mix->queries[i];
        struct outcome *out = &run->outcomes[i];
        uint64_t t0 = bench_now_us();
        if (o->rate > 0) {
            uint64_t due = run->start_us + (uint64_t)((double)i * 1e6 / o->rate);
            if (due > t0) {
                struct timespec at = {(time_t)(due / 1000000u),
                                      (long)(due % 1000000u) * 1000};
                while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at,
                                       NULL) == EINTR)
                    ;
            }
            t0 = due; /* late: the wait counts */
        }
        if (run->backend->run(conn, q, out, msg, sizeof msg) != 0) {
            out->failed = true;
            show_error(run, q, msg);
        }
        out->latency_us = bench_now_us() - t0;
        out->done = true;
    }
out:
    if (conn)
        run->backend->close(conn);
    return NULL;
}

/* Prints and appends one result row over the outcomes of kind `kind`
 * (KIND_COUNT: all). */
static void report(const struct run *run, int kind, double seconds, FILE *out)
{
    const struct options *o = run->options;
    size_t n = 0, errors = 0, zero = 0;
    uint64_t *lat = malloc((o->queries + 1) * sizeof *lat);
    uint64_t *took = malloc((o->queries + 1) * sizeof *took);
    if (!lat || !took) {
        fprintf(stderr, "bench_compare: out of memory\n");
        exit(2);
    }
    for (size_t i = 0; i < o->queries; i++) {
        const struct outcome *r = &run->outcomes[i];
        if (!r->done || (kind != KIND_COUNT &&
                         run->mix->queries[i].kind != (enum kind)kind))
            continue;
        if (r->failed) {
            errors++;
            continue;
        }
        took[n] = r->took_us;
        zero += r->hits == 0;
        lat[n++] = r->latency_us;
    }
    qsort(lat, n, sizeof *lat, bench_compare_u64);
    qsort(took, n, sizeof *took, bench_compare_u64);
    const char *name = kind == KIND_COUNT ? "all" : kind_names[kind];
    double qps = kind == KIND_COUNT && seconds > 0
                     ? (double)(n + errors) / seconds
                     : 0.0;
    char row[512];
    snprintf(row, sizeof row,
             "%s\t%u\t%s\t%zu\t%zu\t%.3f\t%.1f\t%llu\t%llu\t%llu\t%llu\t%llu\t"
             "%llu\t%.1f\n",
             o->system, o->clients, name, n, errors, seconds, qps,
             (unsigned long long)bench_percentile(lat, n, 0.50),
             (unsigned long long)bench_percentile(lat, n, 0.95),
             (unsigned long long)bench_percentile(lat, n, 0.99),
             (unsigned long long)bench_percentile(took, n, 0.50),
             (unsigned long long)bench_percentile(took, n, 0.95),
             (unsigned long long)bench_percentile(took, n, 0.99),
             n ? 100.0 * (double)zero / (double)n : 0.0);
    printf("  %-8s %6zu queries %4zu errors  p50 %8.2f  p95 %8.2f  p99 %8.2f "
           "ms",
           name, n, errors, (double)bench_percentile(lat, n, 0.50) / 1000,
           (double)bench_percentile(lat, n, 0.95) / 1000,
           (double)bench_percentile(lat, n, 0.99) / 1000);
    if (kind == KIND_COUNT)
        printf("  %8.1f q/s", qps);
    printf("  %5.1f %% no hit\n", n ? 100.0 * (double)zero / (double)n : 0.0);
    if (out)
        fputs(row, out);
    free(lat);
    free(took);
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_compare vb-http|vb-lib|pg|fts5 TARGET MIX "
                    "[--clients N] [--queries N]\n"
                    "       [--warmup N] [--max-seconds S] [--timeout S] "
                    "[--out FILE] [--rate R]\n");
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        usage();
        return 2;
    }
    struct options o = {.system = argv[1],
                        .target = argv[2],
                        .clients = 1,
                        .queries = 1000,
                        .warmup = 200,
                        .max_seconds = 300,
                        .timeout = 60};
    const char *out_path = NULL;
    for (int i = 4; i < argc; i += 2) {
        if (i + 1 >= argc) {
            usage();
            return 2;
        }
        const char *name = argv[i], *value = argv[i + 1];
        if (strcmp(name, "--clients") == 0)
            o.clients = (unsigned)strtoul(value, NULL, 10);
        else if (strcmp(name, "--queries") == 0)
            o.queries = strtoull(value, NULL, 10);
        else if (strcmp(name, "--warmup") == 0)
            o.warmup = strtoull(value, NULL, 10);
        else if (strcmp(name, "--max-seconds") == 0)
            o.max_seconds = strtod(value, NULL);
        else if (strcmp(name, "--timeout") == 0)
            o.timeout = strtod(value, NULL);
        else if (strcmp(name, "--out") == 0)
            out_path = value;
        else if (strcmp(name, "--rate") == 0)
            o.rate = strtod(value, NULL);
        else {
            usage();
            return 2;
        }
    }
    const struct backend *backend = NULL;
    for (size_t k = 0; k < sizeof backends / sizeof *backends; k++)
        if (strcmp(backends[k].name, o.system) == 0)
            backend = &backends[k];
    if (!backend || o.clients < 1 || o.clients > CLIENTS_MAX ||
        o.queries == 0 || o.timeout <= 0 || o.rate < 0) {
        usage();
        return 2;
    }

    static struct mix mix;
    if (load_mix(argv[3], &mix) != 0)
        return 2;
    if (o.queries + o.warmup > mix.count) {
        fprintf(stderr,
                "bench_compare: %s has %zu queries; --queries %zu and "
                "--warmup %zu need %zu\n",
                argv[3], mix.count, o.queries, o.warmup, o.queries + o.warmup);
        return 2;
    }
    if (strcmp(o.system, "vb-http") == 0) {
        unsigned port = 0;
        char host[64];
        if (sscanf(o.target, "%63[^:]:%u", host, &port) != 2 || port == 0 ||
            port > 65535 ||
            inet_pton(AF_INET, host, &o.address.sin_addr) != 1) {
            fprintf(stderr,
                    "bench_compare: vb-http wants IPv4:PORT, not "
                    "'%s'\n",
                    o.target);
            return 2;
        }
        o.address.sin_family = AF_INET;
        o.address.sin_port = htons((uint16_t)port);
    } else if (strcmp(o.system, "fts5") == 0) {
        /* bench_index_fts5 leaves the database in WAL mode, where read-only
         * connections opened at once race to set up the shared-memory
         * index ("database is locked"): switch it to a rollback journal
         * first, which read-only connections share without it. */
        sqlite3 *db = NULL;
        if (sqlite3_open_v2(o.target, &db, SQLITE_OPEN_READWRITE, NULL) !=
                SQLITE_OK ||
            sqlite3_exec(db, "PRAGMA journal_mode = DELETE", NULL, NULL,
                         NULL) != SQLITE_OK) {
            fprintf(stderr, "bench_compare: SQLite %s: %s\n", o.target,
                    db ? sqlite3_errmsg(db) : "cannot open");
            sqlite3_close(db);
            return 2;
        }
        sqlite3_close(db);
    } else if (strcmp(o.system, "vb-lib") == 0) {
        struct vb_search_engine_options eo = {.index_dir = o.target};
        struct vb_error err = {0};
        if (vb_search_engine_new(&eo, &o.engine, &err) != VB_OK) {
            fprintf(stderr, "bench_compare: %s\n", err.msg);
            return 2;
        }
    }
    for (size_t i = 0; i < mix.count; i++)
        if (backend->prepare(&o, &mix.queries[i]) != 0) {
            fprintf(stderr, "bench_compare: out of memory\n");
            return 2;
        }

    static struct run run;
    run.backend = backend;
    run.options = &o;
    run.mix = &mix;
    run.outcomes = calloc(o.queries, sizeof *run.outcomes);
    pthread_t *threads = calloc(o.clients, sizeof *threads);
    if (!run.outcomes || !threads) {
        fprintf(stderr, "bench_compare: out of memory\n");
        return 2;
    }
    pthread_barrier_init(&run.connected, NULL, o.clients + 1);
    pthread_barrier_init(&run.warmed, NULL, o.clients + 1);
    pthread_barrier_init(&run.go, NULL, o.clients + 1);
    pthread_mutex_init(&run.print_lock, NULL);
    for (unsigned t = 0; t < o.clients; t++)
        if (pthread_create(&threads[t], NULL, client, &run) != 0) {
            fprintf(stderr, "bench_compare: cannot start thread %u\n", t);
            return 2;
        }
    run.warmup_deadline = now_s() + o.max_seconds / 5;
    pthread_barrier_wait(&run.connected);
    pthread_barrier_wait(&run.warmed);
    run.start = now_s();
    run.start_us = bench_now_us();
    run.deadline = run.start + o.max_seconds;
    pthread_barrier_wait(&run.go);
    for (unsigned t = 0; t < o.clients; t++)
        pthread_join(threads[t], NULL);
    double seconds = now_s() - run.start;
    if (atomic_load(&run.failed_to_open))
        return 2;

    FILE *out = NULL;
    if (out_path && !(out = fopen(out_path, "a"))) {
        fprintf(stderr, "bench_compare: %s: %s\n", out_path, strerror(errno));
        return 2;
    }
    size_t done = 0, errors = 0;
    for (size_t i = 0; i < o.queries; i++) {
        done += run.outcomes[i].done;
        errors += run.outcomes[i].failed;
    }
    printf("%s, %u client%s%s: %zu of %zu queries in %.2f s%s\n", o.system,
           o.clients, o.clients == 1 ? "" : "s",
           o.rate > 0 ? ", open loop" : "", done, o.queries, seconds,
           done < o.queries ? " (stopped at --max-seconds)" : "");
    if (o.rate > 0)
        printf("  offered %.1f q/s (latency from when each query was due)\n",
               o.rate);
    report(&run, KIND_COUNT, seconds, out);
    for (int k = 0; k < KIND_COUNT; k++)
        report(&run, k, seconds, out);
    if (out && fclose(out) != 0) {
        fprintf(stderr, "bench_compare: %s: cannot write\n", out_path);
        return 2;
    }
    free(threads);
    free(run.outcomes);
    vb_search_engine_free(o.engine);
    return errors ? 1 : 0;
}
