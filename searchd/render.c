/* render.c — every JSON shape searchd answers with, in one file: what
 * a search, a document, an analysis, the health, the editors' lists and
 * the audit log look like to a client (Contract 3, docs/openapi.yaml).
 * The routes decide what to answer; this file only writes it.  An
 * absent value is always null (vb_json_text, vb_json_out_text), never
 * "". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vb_document.h"

#include "json_out.h"

#include "searchd_int.h"

/* Each setter steals `value`; a NULL value (out of memory, or a string
 * that is not valid UTF-8) makes it fail. */
static bool put(json_t *object, const char *key, json_t *value)
{
    return json_object_set_new(object, key, value) == 0;
}

/* ---- GET and POST /v1/search, /v1/suggest ------------------------------
 *
 * Written piece by piece (json_out.h), not as a tree: the same bytes as
 * the tree of the same keys in this order would give (test_searchd_api
 * holds it to that), at a fifth of a request's instructions less. */

static void hit_json(struct vb_json_out *o, const struct vb_search_hit *hit)
{
    vb_json_out_raw(o, "{\"id\":");
    vb_json_out_text(o, hit->id);
    vb_json_out_raw(o, ",\"type\":");
    vb_json_out_text(o, hit->type);
    vb_json_out_raw(o, ",\"lang\":");
    vb_json_out_text(o, hit->lang);
    vb_json_out_raw(o, ",\"title\":");
    vb_json_out_text(o, hit->title);
    vb_json_out_raw(o, ",\"title_html\":");
    vb_json_out_text(o, hit->title_html);
    vb_json_out_raw(o, ",\"snippet\":");
    vb_json_out_text(o, hit->snippet);
    vb_json_out_raw(o, ",\"score\":");
    vb_json_out_real(o, isfinite(hit->score) ? hit->score : 0.0);
    vb_json_out_raw(o, ",\"group\":");
    vb_json_out_text(o, hit->group);
    vb_json_out_raw(o, ",\"translations\":[");
    for (size_t i = 0; i < hit->translation_count; i++) {
        const struct vb_search_translation *t = &hit->translations[i];
        vb_json_out_raw(o, i ? ",{\"lang\":" : "{\"lang\":");
        vb_json_out_string(o, t->lang, strnlen(t->lang, sizeof t->lang));
        vb_json_out_raw(o, ",\"id\":");
        vb_json_out_text(o, t->id);
        vb_json_out_raw(o, "}");
    }
    vb_json_out_raw(o, "],\"updated\":");
    vb_json_out_text(o, hit->updated);
    vb_json_out_raw(o, ",\"review_by\":");
    vb_json_out_text(o, hit->review_by);
    vb_json_out_raw(o, ",\"date\":");
    vb_json_out_text(o, hit->date);
    vb_json_out_raw(o, ",\"customer\":");
    vb_json_out_text(o, hit->customer);
    vb_json_out_raw(o, ",\"channel\":");
    vb_json_out_text(o, hit->channel);
    vb_json_out_raw(o, "}");
}

/* One facet's counts, {} when the result has none for `field` (the last
 * one when it has several, as setting a key again replaces it).  Its
 * values are distinct: a match spy's. */
static void facet_json(struct vb_json_out *o,
                       const struct vb_search_result *result, const char *field)
{
    const struct vb_search_facet *facet = NULL;
    for (size_t f = 0; f < result->facet_count; f++)
        if (result->facets[f].field &&
            strcmp(result->facets[f].field, field) == 0)
            facet = &result->facets[f];
    vb_json_out_raw(o, "{");
    bool first = true;
    for (size_t j = 0; facet && j < facet->count; j++) {
        if (!facet->counts[j].value)
            continue;
        vb_json_out_raw(o, first ? "" : ",");
        first = false;
        vb_json_out_text(o, facet->counts[j].value);
        vb_json_out_raw(o, ":");
        vb_json_out_integer(o, facet->counts[j].count);
    }
    vb_json_out_raw(o, "}");
}

char *vb_render_result(const char *query, size_t query_len, bool facets,
                       const struct vb_search_result *result, size_t *len)
{
    /* Six significant digits are plenty for a score. */
    struct vb_json_out o = {.precision = 6};
    vb_json_out_raw(&o, "{\"query\":");
    vb_json_out_string(&o, query, query_len);
    vb_json_out_raw(&o, ",\"total\":");
    vb_json_out_integer(&o, result->total);
    vb_json_out_raw(&o, ",\"total_exact\":");
    vb_json_out_bool(&o, result->total_exact);
    vb_json_out_raw(&o, ",\"took_us\":");
    vb_json_out_integer(&o, (int64_t)result->took_us);
    vb_json_out_raw(&o, ",\"suggestion\":");
    vb_json_out_text(&o, result->suggestion);
    vb_json_out_raw(&o, ",\"hits\":[");
    for (size_t i = 0; i < result->hit_count; i++) {
        vb_json_out_raw(&o, i ? "," : "");
        hit_json(&o, &result->hits[i]);
    }
    vb_json_out_raw(&o, "]");
    /* Only over remote shards, some of which did not answer. */
    if (result->shards_down_count) {
        vb_json_out_raw(&o, ",\"partial\":true,\"shards_down\":[");
        for (size_t i = 0; i < result->shards_down_count; i++) {
            vb_json_out_raw(&o, i ? "," : "");
            vb_json_out_text(&o, result->shards_down[i]);
        }
        vb_json_out_raw(&o, "]");
    }
    if (facets) {
        /* "type" and "lang" are always there when asked for, even
         * empty. */
        vb_json_out_raw(&o, ",\"facets\":{\"type\":");
        facet_json(&o, result, "type");
        vb_json_out_raw(&o, ",\"lang\":");
        facet_json(&o, result, "lang");
        vb_json_out_raw(&o, "}");
    }
    vb_json_out_raw(&o, "}");
    return vb_json_out_finish(&o, len);
}

/* ---- GET /v1/docs/{id} ----------------------------------------------------
 */

static json_t *list(char **items, size_t count)
{
    json_t *array = json_array();
    for (size_t i = 0; array && i < count; i++)
        if (json_array_append_new(array, json_string(items[i])) != 0) {
            json_decref(array);
            return NULL;
        }
    return array;
}

/* A document's optional field: "" (absent) is null. */
static json_t *field(const char *s)
{
    return vb_json_text(s[0] ? s : NULL);
}

json_t *vb_render_document(const struct vb_document *doc, bool expired)
{
    /* How it looks is document/'s (display.c), the same for every
     * client. */
    char *html = NULL;
    if (vb_document_display_html(doc, &html, NULL) != VB_OK)
        return NULL;
    json_t *o = json_object();
    bool ok = o && put(o, "id", json_string(doc->id)) &&
              put(o, "type", json_string(doc->type)) &&
              put(o, "lang", field(doc->lang)) &&
              put(o, "title", json_string(doc->title)) &&
              put(o, "group", field(doc->group)) &&
              put(o, "tags", list(doc->tags, doc->tag_count)) &&
              put(o, "products", list(doc->products, doc->product_count)) &&
              put(o, "updated", field(doc->updated)) &&
              put(o, "owner", field(doc->owner)) &&
              put(o, "review_by", field(doc->review_by)) &&
              put(o, "valid_until", field(doc->valid_until)) &&
              put(o, "expired", json_boolean(expired)) &&
              put(o, "customer", field(doc->customer)) &&
              put(o, "channel", field(doc->channel)) &&
              put(o, "date", field(doc->date)) &&
              put(o, "tenant", field(doc->tenant)) &&
              put(o, "body", json_string(doc->body_source)) &&
              put(o, "body_format",
                  json_string(doc->body_format == VB_DOCUMENT_BODY_HTML
                                  ? "html"
                                  : "markdown")) &&
              put(o, "display_html", json_string(html));
    free(html);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* ---- GET /v1/analyze ------------------------------------------------------
 */

json_t *vb_render_token(const char *text, const struct vb_token *token)
{
    json_t *terms = json_array();
    json_t *kinds = json_array();
    json_t *o = json_object();
    bool ok = terms && kinds && o;
    for (size_t i = 0; ok && i < token->term_count; i++) {
        const char *kind = vb_term_kind_name(token->term_kinds[i]);
        ok =
            json_array_append_new(
                terms, json_stringn(token->terms[i], token->term_lens[i])) == 0;
        ok = ok && json_array_append_new(kinds, json_string(kind)) == 0;
    }
    ok = ok &&
         put(o, "token",
             json_stringn(text + token->start, token->end - token->start)) &&
         put(o, "start", json_integer((json_int_t)token->start)) &&
         put(o, "end", json_integer((json_int_t)token->end)) &&
         put(o, "position", json_integer(token->position)) &&
         put(o, "stopword", json_boolean(token->stopword)) &&
         put(o, "stem", json_string(vb_stem_source_name(token->stem_source))) &&
         put(o, "terms", json_incref(terms)) &&
         put(o, "kinds", json_incref(kinds));
    json_decref(terms);
    json_decref(kinds);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *vb_render_analysis(enum vb_lang lang, bool detected, json_t *tokens)
{
    json_t *root = json_object();
    bool ok = root &&
              put(root, "lang",
                  lang == VB_LANG_UNKNOWN ? json_null()
                                          : json_string(vb_lang_code(lang))) &&
              put(root, "detected", json_boolean(detected)) &&
              put(root, "tokens", tokens);
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    return root;
}

/* ---- GET /v1/health -------------------------------------------------------
 */

json_t *vb_render_live(void)
{
    return json_pack("{s:s}", "status", "live");
}

json_t *vb_render_health(const char *status, uint32_t documents,
                         uint64_t revision, const struct vb_error *warnings,
                         size_t count)
{
    json_t *root =
        json_pack("{s:s,s:I,s:I}", "status", status, "documents",
                  (json_int_t)documents, "revision", (json_int_t)revision);
    json_t *list = count ? json_array() : NULL;
    for (size_t i = 0; list && i < count; i++)
        json_array_append_new(list, json_string(warnings[i].msg));
    if (root && list)
        json_object_set_new(root, "warnings", list);
    else
        json_decref(list);
    return root;
}

/* ---- The editors' lists ----------------------------------------------------
 */

json_t *vb_render_report_row(const char *query, uint64_t count, int64_t last_us)
{
    char last[40];
    vb_format_time(last_us, last, sizeof last);
    return json_pack("{s:s,s:I,s:s}", "query", query ? query : "", "count",
                     (json_int_t)count, "last", last);
}

json_t *vb_render_report(const char *kind, int64_t from_us, int64_t to_us,
                         json_t *rows)
{
    char from[40], to[40];
    vb_format_time(from_us, from, sizeof from);
    vb_format_time(to_us, to, sizeof to);
    return json_pack("{s:s,s:s,s:s,s:o}", "kind", kind, "from", from, "to", to,
                     "queries", rows);
}

json_t *vb_render_feedback(const struct vb_feedback *f)
{
    char time[40], resolved[40];
    vb_format_time(f->time_us, time, sizeof time);
    vb_format_time(f->resolved_us, resolved, sizeof resolved);
    return json_pack(
        "{s:I,s:s,s:s,s:s,s:o,s:o,s:o,s:s,s:o,s:o,s:o}", "id",
        (json_int_t)f->id, "time", time, "doc", f->doc, "reason", f->reason,
        "comment", vb_json_text(f->comment), "paragraph",
        f->paragraph >= 0 ? json_integer(f->paragraph) : json_null(), "token",
        vb_json_text(f->token), "state", f->state, "resolved",
        vb_json_text(f->resolved_by || f->resolved_us ? resolved : NULL),
        "resolved_by", vb_json_text(f->resolved_by), "tenant",
        vb_json_text(f->tenant));
}

json_t *vb_render_feedback_state(int64_t id, const char *state)
{
    return json_pack("{s:I,s:s}", "id", (json_int_t)id, "state", state);
}

json_t *vb_render_queued(void)
{
    return json_pack("{s:b}", "queued", 1);
}

json_t *vb_render_entries(const char *before, json_t *rows)
{
    return before ? json_pack("{s:s,s:o}", "before", before, "entries", rows)
                  : json_pack("{s:o}", "entries", rows);
}

json_t *vb_render_due(const struct vb_search_due_item *item)
{
    return json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:b,s:o}", "id", item->id,
                     "title", item->title, "lang", field(item->lang), "owner",
                     field(item->owner), "review_by", field(item->review_by),
                     "valid_until", field(item->valid_until), "expired",
                     item->expired, "tenant", field(item->tenant));
}

/* ---- The audit log ----------------------------------------------------------
 */

json_t *vb_render_audit_row(const struct vb_audit_entry *row)
{
    char time[40];
    vb_format_time(row->time_us, time, sizeof time);
    return json_pack(
        "{s:s,s:o,s:o,s:o,s:o,s:o,s:I,s:o,s:o}", "time", time, "token",
        vb_json_text(row->token), "agent", vb_json_text(row->agent), "customer",
        vb_json_text(row->customer), "route", vb_json_text(row->route), "query",
        vb_json_text(row->query), "hits", (json_int_t)row->hits, "client",
        vb_json_text(row->client), "tenant", vb_json_text(row->tenant));
}

json_t *vb_render_audit(json_t *entries, uint64_t total)
{
    return json_pack("{s:O,s:I}", "entries", entries, "total",
                     (json_int_t)total);
}

json_t *vb_render_erased(const char *customer, uint64_t erased)
{
    return json_pack("{s:s,s:I}", "customer", customer, "erased",
                     (json_int_t)erased);
}

/* ---- Writes
 * ------------------------------------------------------------------ */

json_t *vb_render_written(const char *id, const char *etag, bool created)
{
    return json_pack("{s:s,s:s,s:b}", "id", id, "etag", etag, "created",
                     created);
}

json_t *vb_render_deleted(const char *id)
{
    return json_pack("{s:s,s:b}", "id", id, "deleted", 1);
}

json_t *vb_render_bulk_item(unsigned line, const char *id, unsigned status,
                            const char *etag, const char *error)
{
    return error ? json_pack("{s:i,s:i,s:s}", "line", line, "status", status,
                             "error", error)
                 : json_pack("{s:i,s:s,s:i,s:s}", "line", line, "id", id,
                             "status", status, "etag", etag);
}

json_t *vb_render_bulk(bool errors, json_t *items)
{
    return json_pack("{s:b,s:o}", "errors", errors, "items", items);
}

/* ---- Errors
 * ------------------------------------------------------------------ */

json_t *vb_render_error(enum vb_api_error code, const char *parameter,
                        const char *message)
{
    /* The message can only be invalid UTF-8 if vsnprintf cut a character
     * in two; json_string then fails and a fixed text must do. */
    json_t *text = json_string(message);
    if (!text)
        text = json_string("(message not available)");
    json_t *root = json_pack("{s:{s:s,s:o}}", "error", "code",
                             vb_api_error_slug(code), "message", text);
    /* A parameter name that is not valid UTF-8 is only in the message
     * (quoted). */
    json_t *name = root && parameter ? json_string(parameter) : NULL;
    if (name)
        json_object_set_new(json_object_get(root, "error"), "parameter", name);
    return root;
}
