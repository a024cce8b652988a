/* metrics.c — request counters, and their text for GET /metrics in the
 * Prometheus text format 0.0.4 (the route is in api_admin.c).  Counters
 * are C11 atomics updated with relaxed ordering: the hot path takes no
 * lock, and a scrape reads each counter once.  Knows no HTTP library. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "searchd_int.h"

static const char *const endpoint_names[VB_ENDPOINT_COUNT] = {
    [VB_ENDPOINT_SEARCH] = "search", [VB_ENDPOINT_SUGGEST] = "suggest",
    [VB_ENDPOINT_DOCS] = "docs",     [VB_ENDPOINT_ANALYZE] = "analyze",
    [VB_ENDPOINT_HEALTH] = "health", [VB_ENDPOINT_METRICS] = "metrics",
    [VB_ENDPOINT_STATIC] = "static", [VB_ENDPOINT_AUDIT] = "audit",
    [VB_ENDPOINT_CUSTOMERS] = "customers",
    [VB_ENDPOINT_ANALYTICS] = "analytics",
    [VB_ENDPOINT_FEEDBACK] = "feedback",   [VB_ENDPOINT_OTHER] = "other",
};

/* Bucket bounds: sub-millisecond resolution where searches live. */
static const uint64_t bucket_bounds_ns[VB_LATENCY_BUCKETS] = {
    100000,  250000,   500000,   1000000,  2500000,
    5000000, 10000000, 25000000, 50000000, 100000000,
};
static const char *const bucket_labels[VB_LATENCY_BUCKETS] = {
    "0.0001", "0.00025", "0.0005", "0.001", "0.0025",
    "0.005",  "0.01",    "0.025",  "0.05",  "0.1",
};

void vb_metrics_init(struct vb_metrics *metrics)
{
    for (int e = 0; e < VB_ENDPOINT_COUNT; e++) {
        for (int c = 0; c < 5; c++)
            atomic_init(&metrics->requests[e][c], 0);
        for (int b = 0; b <= VB_LATENCY_BUCKETS; b++)
            atomic_init(&metrics->latency[e][b], 0);
        atomic_init(&metrics->latency_sum_ns[e], 0);
    }
    for (int i = 0; i < VB_API_ERROR_COUNT; i++)
        atomic_init(&metrics->errors[i], 0);
    metrics->started = time(NULL);
}

void vb_metrics_record(struct vb_metrics *metrics, enum vb_endpoint endpoint,
                       unsigned status, uint64_t elapsed_ns)
{
    if ((unsigned)endpoint >= VB_ENDPOINT_COUNT || status < 100 || status > 599)
        return;
    atomic_fetch_add_explicit(&metrics->requests[endpoint][status / 100 - 1], 1,
                              memory_order_relaxed);
    /* Buckets are stored non-cumulative (one increment per request) and
     * summed when rendered. */
    int b = 0;
    while (b < VB_LATENCY_BUCKETS && elapsed_ns > bucket_bounds_ns[b])
        b++;
    atomic_fetch_add_explicit(&metrics->latency[endpoint][b], 1,
                              memory_order_relaxed);
    atomic_fetch_add_explicit(&metrics->latency_sum_ns[endpoint], elapsed_ns,
                              memory_order_relaxed);
}

void vb_metrics_record_error(struct vb_metrics *metrics, enum vb_api_error code)
{
    if ((unsigned)code < VB_API_ERROR_COUNT)
        atomic_fetch_add_explicit(&metrics->errors[code], 1,
                                  memory_order_relaxed);
}

/* ---- Rendering ---------------------------------------------------------- */

struct text {
    char *data;
    size_t len, cap;
    bool failed;
};

static void text_printf(struct text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void text_printf(struct text *t, const char *fmt, ...)
{
    if (t->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->data + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->failed = true;
            return;
        }
        if ((size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = t->cap * 2 + (size_t)n;
        char *grown = realloc(t->data, cap);
        if (!grown) {
            t->failed = true;
            return;
        }
        t->data = grown;
        t->cap = cap;
    }
}

static uint64_t load(_Atomic uint64_t *counter)
{
    return atomic_load_explicit(counter, memory_order_relaxed);
}

static const char *const status_classes[5] = {"1xx", "2xx", "3xx", "4xx",
                                              "5xx"};

static void render(struct text *t, struct vb_metrics *m,
                   const struct vb_index_state *index,
                   const struct vb_audit_counts *audit,
                   uint64_t analytics_written, uint64_t analytics_dropped)
{
    text_printf(t, "# HELP vraagbaak_http_requests_total HTTP requests "
                   "answered, by endpoint and status class.\n"
                   "# TYPE vraagbaak_http_requests_total counter\n");
    for (int e = 0; e < VB_ENDPOINT_COUNT; e++)
        for (int c = 1; c < 5; c++)
            text_printf(t,
                        "vraagbaak_http_requests_total{endpoint=\"%s\","
                        "status=\"%s\"} %" PRIu64 "\n",
                        endpoint_names[e], status_classes[c],
                        load(&m->requests[e][c]));

    text_printf(t, "# HELP vraagbaak_http_request_duration_seconds Time "
                   "from a request's headers to its queued response.\n"
                   "# TYPE vraagbaak_http_request_duration_seconds "
                   "histogram\n");
    for (int e = 0; e < VB_ENDPOINT_COUNT; e++) {
        uint64_t cumulative = 0;
        for (int b = 0; b < VB_LATENCY_BUCKETS; b++) {
            cumulative += load(&m->latency[e][b]);
            text_printf(t,
                        "vraagbaak_http_request_duration_seconds_bucket{"
                        "endpoint=\"%s\",le=\"%s\"} %" PRIu64 "\n",
                        endpoint_names[e], bucket_labels[b], cumulative);
        }
        cumulative += load(&m->latency[e][VB_LATENCY_BUCKETS]);
        uint64_t sum_ns = load(&m->latency_sum_ns[e]);
        text_printf(t,
                    "vraagbaak_http_request_duration_seconds_bucket{"
                    "endpoint=\"%s\",le=\"+Inf\"} %" PRIu64 "\n"
                    "vraagbaak_http_request_duration_seconds_sum{"
                    "endpoint=\"%s\"} %" PRIu64 ".%09" PRIu64 "\n"
                    "vraagbaak_http_request_duration_seconds_count{"
                    "endpoint=\"%s\"} %" PRIu64 "\n",
                    endpoint_names[e], cumulative, endpoint_names[e],
                    sum_ns / 1000000000u, sum_ns % 1000000000u,
                    endpoint_names[e], cumulative);
    }

    text_printf(t, "# HELP vraagbaak_http_errors_total Error responses, by "
                   "error code.\n"
                   "# TYPE vraagbaak_http_errors_total counter\n");
    for (int i = 0; i < VB_API_ERROR_COUNT; i++)
        text_printf(t, "vraagbaak_http_errors_total{code=\"%s\"} %" PRIu64 "\n",
                    vb_api_error_slug(i), load(&m->errors[i]));

    text_printf(t,
                "# HELP vraagbaak_index_up Whether the index could be "
                "read for this scrape.\n"
                "# TYPE vraagbaak_index_up gauge\n"
                "vraagbaak_index_up %d\n",
                index->up ? 1 : 0);
    if (index->up)
        text_printf(t,
                    "# HELP vraagbaak_index_documents Documents in the "
                    "latest committed index revision.\n"
                    "# TYPE vraagbaak_index_documents gauge\n"
                    "vraagbaak_index_documents %" PRIu32 "\n"
                    "# HELP vraagbaak_index_revision Latest committed "
                    "index revision.\n"
                    "# TYPE vraagbaak_index_revision gauge\n"
                    "vraagbaak_index_revision %" PRIu64 "\n"
                    "# HELP vraagbaak_index_shards_down Remote shards that "
                    "did not answer: searches are partial without them.\n"
                    "# TYPE vraagbaak_index_shards_down gauge\n"
                    "vraagbaak_index_shards_down %zu\n",
                    index->documents, index->revision, index->shards_down);
    text_printf(t,
                "# HELP vraagbaak_audit_rows_written_total Audit log rows "
                "written.\n"
                "# TYPE vraagbaak_audit_rows_written_total counter\n"
                "vraagbaak_audit_rows_written_total %" PRIu64 "\n"
                "# HELP vraagbaak_audit_write_failures_total Audit rows that "
                "could not be written (their history was refused).\n"
                "# TYPE vraagbaak_audit_write_failures_total counter\n"
                "vraagbaak_audit_write_failures_total %" PRIu64 "\n"
                "# HELP vraagbaak_audit_rows_purged_total Audit rows removed "
                "after the retention period.\n"
                "# TYPE vraagbaak_audit_rows_purged_total counter\n"
                "vraagbaak_audit_rows_purged_total %" PRIu64 "\n",
                audit->written, audit->failed, audit->purged);
    text_printf(t,
                "# HELP vraagbaak_analytics_records_written_total Searches "
                "and opens recorded for the editors.\n"
                "# TYPE vraagbaak_analytics_records_written_total counter\n"
                "vraagbaak_analytics_records_written_total %" PRIu64 "\n"
                "# HELP vraagbaak_analytics_records_dropped_total Records "
                "dropped (queue full, or not written) rather than delay a "
                "search.\n"
                "# TYPE vraagbaak_analytics_records_dropped_total counter\n"
                "vraagbaak_analytics_records_dropped_total %" PRIu64 "\n",
                analytics_written, analytics_dropped);
    text_printf(t,
                "# HELP vraagbaak_build_info Version of the daemon.\n"
                "# TYPE vraagbaak_build_info gauge\n"
                "vraagbaak_build_info{version=\"%s\"} 1\n"
                "# HELP process_start_time_seconds Start time of the "
                "process since the Unix epoch.\n"
                "# TYPE process_start_time_seconds gauge\n"
                "process_start_time_seconds %lld\n",
                VB_VERSION, (long long)m->started);
}

char *vb_metrics_render(struct vb_metrics *metrics,
                        const struct vb_index_state *index,
                        const struct vb_audit_counts *audit,
                        uint64_t analytics_written, uint64_t analytics_dropped,
                        size_t *len)
{
    struct text t = {.cap = 16384};
    t.data = malloc(t.cap);
    if (!t.data)
        return NULL;
    render(&t, metrics, index, audit, analytics_written, analytics_dropped);
    if (t.failed) {
        free(t.data);
        return NULL;
    }
    *len = t.len;
    return t.data;
}
