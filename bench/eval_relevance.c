/* eval_relevance — how well searchd ranks judged queries, beside SQLite
 * FTS5 and FTS5 with Snowball stemming computed in the same run from the
 * same documents.
 *
 * usage: eval_relevance --url URL --queries FILE --qrels FILE
 *                       [--docs FILE] [--name NAME] [--tenant T] [--prefixes]
 *                       [--misses] [--floor-mrr X] [--floor-s1 X]
 *                       [--floor-subset X]
 *
 * queries: TSV lines "qid lang subset text [customer]"; qrels: TSV lines
 * "qid docid grade" (grade > 0 is relevant, and its gain in nDCG).  Every
 * query is sent to searchd (GET /v1/search?q=&lang=&limit=10[&customer=])
 * as typed; a hit counts when its id is judged relevant.  With --docs
 * (Contract 1 JSON Lines or Markdown) the peers index the same titles and
 * bodies: FTS5 with `unicode61 remove_diacritics 2`, bm25 with the title
 * weighted 3, the query's words quoted and ORed; and the same with every
 * word Snowball-stemmed in its document's (or query's) language first.
 *
 * Prints, per system: queries, MRR@10, Success@1, Recall@10, nDCG@10;
 * for searchd also MRR@10 per subset and took_us p50/p95/p99 (with
 * --prefixes also over every prefix of each query's last word, as the
 * widget sends them per keystroke).  Customer history must never leak:
 * a hit of history that is not the query's customer's is counted and
 * fails the run.  The floors make it a test: exit 1 when MRR@10,
 * Success@1 or any subset's MRR@10 is below them.  Exit 2: usage or I/O
 * error. */
#include <curl/curl.h>
#include <jansson.h>
#include <libstemmer.h>
#include <math.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "timing.h"
#include "vb_document.h"

#define DEPTH 10

/* ---- Growable text ------------------------------------------------------ */

struct text {
    char *s;
    size_t len, cap;
};

static void text_add(struct text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *p = realloc(t->s, cap);
        if (!p) {
            fprintf(stderr, "eval_relevance: out of memory\n");
            exit(2);
        }
        t->s = p;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

/* ---- Queries and judgments ---------------------------------------------- */

struct judgment {
    char *doc;
    int grade;
};

struct query {
    char *qid, *lang, *subset, *text, *customer;
    struct judgment *relevant;
    size_t relevant_count;
};

struct suite {
    struct query *queries;
    size_t count;
};

static char *dup_span(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        exit(2);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* Splits a TSV line (without its newline) into at most `max` fields. */
static size_t split_tsv(char *line, char **fields, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n < max) {
        fields[n++] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return n;
}

static int load_queries(const char *path, struct suite *s)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "eval_relevance: %s: cannot open\n", path);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, cap_q = 0;
    ssize_t n;
    unsigned lineno = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        char *fields[5];
        size_t k = split_tsv(line, fields, 5);
        if (k < 4) {
            fprintf(stderr,
                    "eval_relevance: %s:%u: expected qid, lang, "
                    "subset, text[, customer]\n",
                    path, lineno);
            free(line);
            fclose(f);
            return -1;
        }
        if (s->count == cap_q) {
            cap_q = cap_q ? cap_q * 2 : 256;
            s->queries = realloc(s->queries, cap_q * sizeof *s->queries);
            if (!s->queries)
                exit(2);
        }
        struct query *q = &s->queries[s->count++];
        memset(q, 0, sizeof *q);
        q->qid = strdup(fields[0]);
        q->lang = strdup(fields[1]);
        q->subset = strdup(fields[2]);
        q->text = strdup(fields[3]);
        q->customer = k == 5 && fields[4][0] ? strdup(fields[4]) : NULL;
    }
    free(line);
    fclose(f);
    return 0;
}

static void free_suite(struct suite *s)
{
    for (size_t i = 0; i < s->count; i++) {
        struct query *q = &s->queries[i];
        free(q->qid);
        free(q->lang);
        free(q->subset);
        free(q->text);
        free(q->customer);
        for (size_t j = 0; j < q->relevant_count; j++)
            free(q->relevant[j].doc);
        free(q->relevant);
    }
    free(s->queries);
}

static struct query *find_query(struct suite *s, const char *qid)
{
    for (size_t i = 0; i < s->count; i++)
        if (strcmp(s->queries[i].qid, qid) == 0)
            return &s->queries[i];
    return NULL;
}

static int load_qrels(const char *path, struct suite *s)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "eval_relevance: %s: cannot open\n", path);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned lineno = 0;
    int rc = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        char *fields[3];
        if (split_tsv(line, fields, 3) != 3) {
            fprintf(stderr, "eval_relevance: %s:%u: expected qid, doc, grade\n",
                    path, lineno);
            rc = -1;
            break;
        }
        struct query *q = find_query(s, fields[0]);
        int grade = atoi(fields[2]);
        if (!q || grade <= 0) /* judged for a query not asked this run */
            continue;
        q->relevant =
            realloc(q->relevant, (q->relevant_count + 1) * sizeof *q->relevant);
        if (!q->relevant)
            exit(2);
        q->relevant[q->relevant_count++] =
            (struct judgment){strdup(fields[1]), grade};
    }
    free(line);
    fclose(f);
    return rc;
}

/* ---- Metrics ------------------------------------------------------------ */

struct scores {
    double mrr, s1, recall, ndcg;
    size_t queries;
};

static int grade_of(const struct query *q, const char *doc)
{
    for (size_t i = 0; i < q->relevant_count; i++)
        if (strcmp(q->relevant[i].doc, doc) == 0)
            return q->relevant[i].grade;
    return 0;
}

static int by_grade_desc(const void *a, const void *b)
{
    return *(const int *)b - *(const int *)a;
}

/* Adds one query's ranking (ids[0..n), best first) to `sc`; returns its
 * reciprocal rank. */
static double score_ranking(const struct query *q, char *const *ids, size_t n,
                            struct scores *sc)
{
    double rr = 0, dcg = 0, idcg = 0;
    size_t found = 0;
    for (size_t i = 0; i < n && i < DEPTH; i++) {
        int g = grade_of(q, ids[i]);
        if (g <= 0)
            continue;
        bool again = false; /* the same id twice counts once */
        for (size_t j = 0; j < i && !again; j++)
            again = strcmp(ids[j], ids[i]) == 0;
        if (again)
            continue;
        if (rr == 0)
            rr = 1.0 / (double)(i + 1);
        found++;
        dcg += (double)g / log2((double)i + 2);
    }
    int grades[256];
    size_t m = q->relevant_count < 256 ? q->relevant_count : 256;
    for (size_t i = 0; i < m; i++)
        grades[i] = q->relevant[i].grade;
    qsort(grades, m, sizeof *grades, by_grade_desc);
    for (size_t i = 0; i < m && i < DEPTH; i++)
        idcg += (double)grades[i] / log2((double)i + 2);
    sc->mrr += rr;
    sc->s1 += rr == 1.0;
    sc->recall +=
        q->relevant_count ? (double)found / (double)q->relevant_count : 0;
    sc->ndcg += idcg > 0 ? dcg / idcg : 0;
    sc->queries++;
    return rr;
}

static void print_scores(const char *suite, const char *system,
                         const struct scores *sc)
{
    double n = sc->queries ? (double)sc->queries : 1;
    printf("%-22s %-18s %5zu  %.3f  %.3f  %.3f  %.3f\n", suite, system,
           sc->queries, sc->mrr / n, sc->s1 / n, sc->recall / n, sc->ndcg / n);
}

/* ---- searchd over HTTP -------------------------------------------------- */

struct http {
    CURL *curl;
    const char *base;
    const char *tenant; /* the client the agents work for, or NULL */
    struct text body;
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
    text_add(ctx, data, size * nmemb);
    return size * nmemb;
}

/* One search: the hit ids in *ids (n of them, malloc'd strings), its
 * took_us; *leaks counts history hits of another customer.  Returns 0, or
 * -1 with a message printed. */
static int http_search(struct http *h, const struct query *q, const char *text,
                       char ***ids, size_t *n, uint64_t *took_us,
                       unsigned *leaks)
{
    struct text url = {0};
    text_add(&url, h->base, strlen(h->base));
    text_add(&url, "/v1/search?limit=10&q=", 22);
    char *enc = curl_easy_escape(h->curl, text, (int)strlen(text));
    text_add(&url, enc, strlen(enc));
    curl_free(enc);
    text_add(&url, "&lang=", 6);
    text_add(&url, q->lang, strlen(q->lang));
    if (q->customer) {
        text_add(&url, "&customer=", 10);
        text_add(&url, q->customer, strlen(q->customer));
    }
    if (h->tenant) {
        text_add(&url, "&tenant=", 8);
        text_add(&url, h->tenant, strlen(h->tenant));
    }
    h->body.len = 0;
    curl_easy_setopt(h->curl, CURLOPT_URL, url.s);
    CURLcode rc = curl_easy_perform(h->curl);
    long status = 0;
    curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &status);
    free(url.s);
    if (rc != CURLE_OK) {
        fprintf(stderr, "eval_relevance: %s: %s\n", q->qid,
                curl_easy_strerror(rc));
        return -1;
    }
    if (status != 200) {
        fprintf(stderr, "eval_relevance: %s: HTTP %ld %s\n", q->qid, status,
                h->body.s ? h->body.s : "");
        return -1;
    }
    json_error_t jerr;
    json_t *root = json_loadb(h->body.s, h->body.len, 0, &jerr);
    json_t *hits = json_object_get(root, "hits");
    if (!json_is_array(hits)) {
        fprintf(stderr, "eval_relevance: %s: bad response: %s\n", q->qid,
                jerr.text);
        json_decref(root);
        return -1;
    }
    *took_us = (uint64_t)json_integer_value(json_object_get(root, "took_us"));
    *n = json_array_size(hits);
    *ids = calloc(*n + 1, sizeof **ids);
    for (size_t i = 0; i < *n; i++) {
        json_t *hit = json_array_get(hits, i);
        const char *id = json_string_value(json_object_get(hit, "id"));
        const char *type = json_string_value(json_object_get(hit, "type"));
        const char *customer =
            json_string_value(json_object_get(hit, "customer"));
        (*ids)[i] = strdup(id ? id : "");
        bool history = type && strcmp(type, "history") == 0;
        if ((history || customer) &&
            (!q->customer || !customer || strcmp(customer, q->customer) != 0)) {
            fprintf(stderr, "eval_relevance: %s: LEAK: history %s of %s\n",
                    q->qid, id, customer ? customer : "nobody");
            (*leaks)++;
        }
    }
    json_decref(root);
    return 0;
}

static void free_ids(char **ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
}

/* ---- Latency ------------------------------------------------------------ */

struct samples {
    uint64_t *v;
    size_t n, cap;
};

static void sample_add(struct samples *s, uint64_t us)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        if (!s->v)
            exit(2);
    }
    s->v[s->n++] = us;
}

/* The p-th percentile (p in percent); sorts the samples. */
static uint64_t percentile(struct samples *s, double p)
{
    qsort(s->v, s->n, sizeof *s->v, bench_compare_u64);
    return bench_percentile(s->v, s->n, p / 100.0);
}

/* ---- The peers: SQLite FTS5, plain and with Snowball -------------------- */

static const char *snowball_name(const char *lang)
{
    if (strcmp(lang, "fr") == 0)
        return "french";
    if (strcmp(lang, "nl") == 0)
        return "dutch";
    return "english";
}

/* The words of `s` (letters, marks, digits), lower-cased; each passed to
 * `fn`. */
static void each_word(const char *s, void (*fn)(void *, const char *, size_t),
                      void *ctx)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(s), i = 0;
    struct text word = {0};
    while (i <= len) {
        utf8proc_int32_t cp = 0;
        utf8proc_ssize_t step =
            i < len ? utf8proc_iterate(p + i, len - i, &cp) : 1;
        if (step < 1) {
            step = 1;
            cp = ' ';
        }
        bool in_word = false;
        if (i < len) {
            utf8proc_category_t c = utf8proc_category(cp);
            in_word =
                (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ND) ||
                c == UTF8PROC_CATEGORY_NL || c == UTF8PROC_CATEGORY_NO;
        }
        if (in_word) {
            utf8proc_uint8_t buf[8];
            utf8proc_ssize_t k =
                utf8proc_encode_char(utf8proc_tolower(cp), buf);
            text_add(&word, (const char *)buf, (size_t)k);
        } else if (word.len > 0) {
            fn(ctx, word.s, word.len);
            word.len = 0;
        }
        i += step;
    }
    free(word.s);
}

struct words_ctx {
    struct text *out;
    struct sb_stemmer *stemmer; /* NULL: as they are */
    bool quote;                 /* a query: "w1" OR "w2" */
};

static void add_word(void *ctx, const char *w, size_t n)
{
    struct words_ctx *c = ctx;
    if (c->stemmer) {
        const sb_symbol *st =
            sb_stemmer_stem(c->stemmer, (const sb_symbol *)w, (int)n);
        if (st) {
            w = (const char *)st;
            n = (size_t)sb_stemmer_length(c->stemmer);
        }
    }
    if (c->out->len > 0)
        text_add(c->out, c->quote ? " OR " : " ", c->quote ? 4 : 1);
    if (c->quote)
        text_add(c->out, "\"", 1);
    text_add(c->out, w, n);
    if (c->quote)
        text_add(c->out, "\"", 1);
}

struct peer {
    const char *name;
    bool stem;
    sqlite3 *db;
    sqlite3_stmt *insert, *search;
    struct sb_stemmer *stemmers[3]; /* nl, fr, en */
};

static struct sb_stemmer *stemmer_for(struct peer *p, const char *lang)
{
    if (!p->stem)
        return NULL;
    int i = strcmp(lang, "nl") == 0 ? 0 : strcmp(lang, "fr") == 0 ? 1 : 2;
    if (!p->stemmers[i])
        p->stemmers[i] = sb_stemmer_new(snowball_name(lang), "UTF_8");
    return p->stemmers[i];
}

static void prepared_text(struct peer *p, const char *lang, const char *s,
                          bool quote, struct text *out)
{
    out->len = 0;
    text_add(out, "", 0);
    struct words_ctx c = {out, stemmer_for(p, lang), quote};
    each_word(s, add_word, &c);
}

static int on_peer_document(void *ctx, struct vb_document *doc,
                            const struct vb_error *problems, size_t count)
{
    (void)count;
    struct peer *p = ctx;
    if (!doc) {
        fprintf(stderr, "eval_relevance: %s\n", problems[0].msg);
        return 0;
    }
    const char *lang = doc->lang[0] ? doc->lang : "en";
    struct text title = {0}, body = {0};
    prepared_text(p, lang, doc->title, false, &title);
    prepared_text(p, lang, doc->body_text, false, &body);
    sqlite3_bind_text(p->insert, 1, doc->id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(p->insert, 2, doc->customer, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(p->insert, 3, title.s, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(p->insert, 4, body.s, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(p->insert);
    sqlite3_reset(p->insert);
    free(title.s);
    free(body.s);
    vb_document_free(doc);
    return rc == SQLITE_DONE ? 0 : 1;
}

static int peer_open(struct peer *p, const char *docs)
{
    if (sqlite3_open(":memory:", &p->db) != SQLITE_OK ||
        sqlite3_exec(p->db,
                     "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, "
                     "customer UNINDEXED, title, body, "
                     "tokenize='unicode61 remove_diacritics 2');"
                     "BEGIN",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(p->db, "INSERT INTO docs VALUES (?, ?, ?, ?)", -1,
                           &p->insert, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(p->db,
                           "SELECT id FROM docs WHERE docs MATCH ?1 AND "
                           "(customer = '' OR customer = ?2) "
                           "ORDER BY bm25(docs, 0, 0, 3.0, 1.0) LIMIT 10",
                           -1, &p->search, NULL) != SQLITE_OK) {
        fprintf(stderr, "eval_relevance: sqlite: %s\n", sqlite3_errmsg(p->db));
        return -1;
    }
    struct vb_error err;
    if (vb_document_read_file(docs, on_peer_document, p, &err) != VB_OK) {
        fprintf(stderr, "eval_relevance: %s\n", err.msg);
        return -1;
    }
    return sqlite3_exec(p->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0
                                                                        : -1;
}

static void peer_close(struct peer *p)
{
    sqlite3_finalize(p->insert);
    sqlite3_finalize(p->search);
    sqlite3_close(p->db);
    for (size_t i = 0; i < 3; i++)
        sb_stemmer_delete(p->stemmers[i]);
}

static void peer_search(struct peer *p, const struct query *q, char ***ids,
                        size_t *n)
{
    struct text match = {0};
    prepared_text(p, q->lang, q->text, true, &match);
    *ids = calloc(DEPTH + 1, sizeof **ids);
    *n = 0;
    if (match.len > 0) {
        sqlite3_bind_text(p->search, 1, match.s, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(p->search, 2, q->customer ? q->customer : "", -1,
                          SQLITE_TRANSIENT);
        while (*n < DEPTH && sqlite3_step(p->search) == SQLITE_ROW)
            (*ids)[(*n)++] =
                strdup((const char *)sqlite3_column_text(p->search, 0));
        sqlite3_reset(p->search);
    }
    free(match.s);
}

/* ---- The run ------------------------------------------------------------ */

struct options {
    const char *url, *queries, *qrels, *docs, *name, *tenant;
    bool prefixes, misses;
    double floor_mrr, floor_s1, floor_subset;
};

static void usage(void)
{
    fprintf(stderr,
            "usage: eval_relevance --url URL --queries FILE --qrels FILE "
            "[--docs FILE] [--name NAME] [--tenant T]\n"
            "                      [--prefixes] [--misses] [--floor-mrr X] "
            "[--floor-s1 X] [--floor-subset X]\n");
}

/* A byte of a word as typing sees it: ASCII letters and digits, and any
 * byte of a non-ASCII character. */
static bool is_word_byte(char c)
{
    unsigned char u = (unsigned char)c;
    return u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') ||
           (u >= 'A' && u <= 'Z');
}

/* Every prefix of the text's last word, as typed key by key (the whole
 * text is sent as typed separately). */
static void run_prefixes(struct http *h, const struct query *q,
                         struct samples *lat, unsigned *leaks, int *failed)
{
    /* The last word ends at its last letter or digit ("... impôts ?"). */
    size_t len = strlen(q->text);
    while (len > 0 && !is_word_byte(q->text[len - 1]))
        len--;
    size_t start = len;
    while (start > 0 && is_word_byte(q->text[start - 1]))
        start--;
    for (size_t end = start + 1; end < len; end++) {
        if (((unsigned char)q->text[end] & 0xC0) == 0x80)
            continue; /* inside a character */
        char *typed = dup_span(q->text, end);
        char **ids = NULL;
        size_t n = 0;
        uint64_t took = 0;
        if (http_search(h, q, typed, &ids, &n, &took, leaks) == 0)
            sample_add(lat, took);
        else
            *failed = 1;
        free_ids(ids, n);
        free(typed);
    }
}

int main(int argc, char **argv)
{
    struct options o = {
        .name = "suite", .floor_mrr = -1, .floor_s1 = -1, .floor_subset = -1};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--prefixes") == 0)
            o.prefixes = true;
        else if (strcmp(a, "--misses") == 0)
            o.misses = true;
        else if (v && strcmp(a, "--url") == 0)
            o.url = argv[++i];
        else if (v && strcmp(a, "--queries") == 0)
            o.queries = argv[++i];
        else if (v && strcmp(a, "--qrels") == 0)
            o.qrels = argv[++i];
        else if (v && strcmp(a, "--docs") == 0)
            o.docs = argv[++i];
        else if (v && strcmp(a, "--name") == 0)
            o.name = argv[++i];
        else if (v && strcmp(a, "--tenant") == 0)
            o.tenant = argv[++i];
        else if (v && strcmp(a, "--floor-mrr") == 0)
            o.floor_mrr = atof(argv[++i]);
        else if (v && strcmp(a, "--floor-s1") == 0)
            o.floor_s1 = atof(argv[++i]);
        else if (v && strcmp(a, "--floor-subset") == 0)
            o.floor_subset = atof(argv[++i]);
        else {
            usage();
            return 2;
        }
    }
    if (!o.url || !o.queries || !o.qrels) {
        usage();
        return 2;
    }
    struct suite s = {0};
    if (load_queries(o.queries, &s) != 0 || load_qrels(o.qrels, &s) != 0)
        return 2;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct http h = {.curl = curl_easy_init(), .base = o.url,
                     .tenant = o.tenant};
    curl_easy_setopt(h.curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h.curl, CURLOPT_WRITEDATA, &h.body);
    curl_easy_setopt(h.curl, CURLOPT_TIMEOUT, 30L);

    struct scores total = {0};
    struct samples typed = {0}, typing = {0};
    unsigned leaks = 0;
    int failed = 0;
    /* Subsets in order of first appearance. */
    const char *subsets[64];
    struct scores per_subset[64] = {{0}};
    size_t subset_count = 0;
    for (size_t i = 0; i < s.count; i++) {
        struct query *q = &s.queries[i];
        char **ids = NULL;
        size_t n = 0;
        uint64_t took = 0;
        if (http_search(&h, q, q->text, &ids, &n, &took, &leaks) != 0) {
            failed = 1;
            continue;
        }
        sample_add(&typed, took);
        size_t k = 0;
        while (k < subset_count && strcmp(subsets[k], q->subset) != 0)
            k++;
        if (k == subset_count && subset_count < 64)
            subsets[subset_count++] = q->subset;
        double rr = score_ranking(q, ids, n, &total);
        if (k < 64)
            score_ranking(q, ids, n, &per_subset[k]);
        if (o.misses && rr < 1.0) {
            printf("miss %s rr=%.2f [%s] %s%s%s ->", q->qid, rr, q->lang,
                   q->text, q->customer ? " customer=" : "",
                   q->customer ? q->customer : "");
            for (size_t j = 0; j < n && j < 3; j++)
                printf(" %s", ids[j]);
            printf(" | want %s\n",
                   q->relevant_count ? q->relevant[0].doc : "?");
        }
        free_ids(ids, n);
        if (o.prefixes)
            run_prefixes(&h, q, &typing, &leaks, &failed);
    }

    printf("%-22s %-18s %5s  %-5s  %-5s  %-5s  %-5s\n", "suite", "system", "n",
           "MRR", "S@1", "R@10", "nDCG");
    print_scores(o.name, "vraagbaak", &total);
    int below = 0;
    double nq = total.queries ? (double)total.queries : 1;
    if (o.floor_mrr >= 0 && total.mrr / nq < o.floor_mrr)
        below = 1;
    if (o.floor_s1 >= 0 && total.s1 / nq < o.floor_s1)
        below = 1;
    if (subset_count > 1)
        for (size_t k = 0; k < subset_count; k++) {
            char label[64];
            snprintf(label, sizeof label, "  %s", subsets[k]);
            print_scores(o.name, label, &per_subset[k]);
            double m = per_subset[k].mrr / (double)per_subset[k].queries;
            if (o.floor_subset >= 0 && m < o.floor_subset)
                below = 1;
        }
    if (o.docs) {
        struct peer peers[2] = {{.name = "fts5"},
                                {.name = "fts5+snowball", .stem = true}};
        for (size_t p = 0; p < 2; p++) {
            if (peer_open(&peers[p], o.docs) != 0)
                return 2;
            struct scores sc = {0};
            for (size_t i = 0; i < s.count; i++) {
                char **ids = NULL;
                size_t n = 0;
                peer_search(&peers[p], &s.queries[i], &ids, &n);
                score_ranking(&s.queries[i], ids, n, &sc);
                free_ids(ids, n);
            }
            print_scores(o.name, peers[p].name, &sc);
            peer_close(&peers[p]);
        }
    }
    printf("%-22s took_us as typed p50/p95/p99: %llu / %llu / %llu (%zu)\n",
           o.name, (unsigned long long)percentile(&typed, 50),
           (unsigned long long)percentile(&typed, 95),
           (unsigned long long)percentile(&typed, 99), typed.n);
    if (o.prefixes)
        printf(
            "%-22s took_us typing    p50/p95/p99: %llu / %llu / %llu (%zu)\n",
            o.name, (unsigned long long)percentile(&typing, 50),
            (unsigned long long)percentile(&typing, 95),
            (unsigned long long)percentile(&typing, 99), typing.n);
    if (leaks)
        printf("%-22s HISTORY LEAKS: %u\n", o.name, leaks);
    curl_easy_cleanup(h.curl);
    free(h.body.s);
    curl_global_cleanup();
    free(typed.v);
    free(typing.v);
    free_suite(&s);
    if (failed)
        return 2;
    return leaks || below ? 1 : 0;
}
