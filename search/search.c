/* search.c — the engine and its searchers: opening the index, following
 * its revisions, documents by id.  Query meaning lives in query.c. */
#include "search_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ==== Engine ============================================================ */

enum vb_status vb_search_engine_new(const struct vb_search_engine_options *options,
                                    struct vb_search_engine **out,
                                    struct vb_error *err)
{
    *out = NULL;
    if (!options || !options->index_dir || !options->index_dir[0])
        return vb_error_set(err, VB_EINVAL, "no index directory given");
    struct vb_search_engine *engine = calloc(1, sizeof *engine);
    if (!engine)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    struct vb_xapian_reader *reader = NULL;
    enum vb_status st = VB_ENOMEM;
    engine->index_dir = strdup(options->index_dir);
    if (options->synonyms_dir)
        engine->synonyms_dir = strdup(options->synonyms_dir);
    if (!engine->index_dir || (options->synonyms_dir && !engine->synonyms_dir)) {
        vb_error_set(err, VB_ENOMEM, "out of memory");
        goto out;
    }
    /* Open once now so that a missing or foreign index is reported at
     * start-up, not at the first request. */
    st = vb_xapian_reader_open(engine->index_dir, &reader, err);
    if (st == VB_OK)
        st = vb_schema_check(reader, err);
    if (st == VB_OK)
        st = vb_analysis_data_new(&engine->analysis, err);
    if (st == VB_OK && pthread_mutex_init(&engine->lock, NULL) != 0)
        st = vb_error_set(err, VB_ENOMEM, "cannot create a mutex");
out:
    vb_xapian_reader_close(reader);
    if (st != VB_OK) {
        vb_analysis_data_free(engine->analysis);
        free(engine->index_dir);
        free(engine->synonyms_dir);
        free(engine);
        return st;
    }
    *out = engine;
    return VB_OK;
}

void vb_search_engine_free(struct vb_search_engine *engine)
{
    if (!engine)
        return;
    pthread_mutex_destroy(&engine->lock);
    vb_analysis_data_free(engine->analysis);
    free(engine->index_dir);
    free(engine->synonyms_dir);
    free(engine);
}

const struct vb_analysis_data *vb_search_engine_analysis(
    const struct vb_search_engine *engine)
{
    return engine->analysis;
}

bool vb_search_engine_problem(struct vb_search_engine *engine,
                              struct vb_error *problem)
{
    pthread_mutex_lock(&engine->lock);
    bool has = engine->problem.msg[0] != '\0';
    if (has && problem)
        *problem = engine->problem;
    pthread_mutex_unlock(&engine->lock);
    return has;
}

/* ==== Searcher ========================================================== */

enum vb_status vb_searcher_new(struct vb_search_engine *engine,
                               struct vb_searcher **out, struct vb_error *err)
{
    *out = NULL;
    struct vb_searcher *s = calloc(1, sizeof *s);
    if (!s)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    s->engine = engine;
    enum vb_status st = vb_xapian_reader_open(engine->index_dir, &s->reader, err);
    if (st == VB_OK)
        st = vb_analyzer_new(engine->analysis, &s->analyzer, err);
    if (st != VB_OK) {
        vb_searcher_free(s);
        return st;
    }
    *out = s;
    return VB_OK;
}

void vb_searcher_free(struct vb_searcher *searcher)
{
    if (!searcher)
        return;
    vb_xapian_reader_close(searcher->reader);
    vb_analyzer_free(searcher->analyzer);
    free(searcher);
}

enum vb_status vb_searcher_refresh(struct vb_searcher *searcher,
                                   struct vb_error *err)
{
    return vb_xapian_reader_reopen(searcher->reader, NULL, err);
}

enum vb_status vb_searcher_stats(struct vb_searcher *searcher,
                                 uint32_t *documents, uint64_t *revision,
                                 struct vb_error *err)
{
    enum vb_status st = vb_searcher_refresh(searcher, err);
    if (st == VB_OK)
        st = vb_xapian_doc_count(searcher->reader, documents, err);
    if (st == VB_OK)
        st = vb_xapian_reader_revision(searcher->reader, revision, err);
    return st;
}

/* ==== Documents ========================================================= */

static bool put(json_t *obj, const char *key, json_t *value)
{
    return value && json_object_set_new_nocheck(obj, key, value) == 0;
}

static json_t *string_or_null(const char *s)
{
    return s[0] ? json_string_nocheck(s) : json_null();
}

static json_t *string_array(char **items, size_t count)
{
    json_t *array = json_array();
    for (size_t i = 0; array && i < count; i++)
        if (json_array_append_new(array, json_string_nocheck(items[i])) != 0) {
            json_decref(array);
            return NULL;
        }
    return array;
}

enum vb_status vb_search_get_document(struct vb_searcher *searcher,
                                      const char *id, const char *customer,
                                      char **json, struct vb_error *err)
{
    *json = NULL;
    char term[VB_DOC_ID_MAX + 8];
    if (vb_schema_id_term(id, term, sizeof term) == 0)
        return vb_error_set(err, VB_EINVAL, "invalid document id");
    enum vb_status st = vb_searcher_refresh(searcher, err);
    char *data = NULL;
    size_t len = 0;
    struct vb_document *doc = NULL;
    if (st == VB_OK)
        st = vb_xapian_get_document(searcher->reader, term, strlen(term), NULL,
                                    &data, &len, err);
    if (st == VB_ENOTFOUND)
        vb_error_set(err, VB_ENOTFOUND, "no document with id %s", id);
    if (st == VB_OK)
        st = vb_schema_decode(data, len, &doc, err);
    free(data);
    if (st != VB_OK)
        return st;
    if (doc->customer[0] && (!customer || strcmp(customer, doc->customer) != 0)) {
        vb_document_free(doc);
        return vb_error_set(err, VB_ENOTFOUND, "no document with id %s", id);
    }
    json_t *obj = json_object();
    bool ok = obj && put(obj, "id", json_string_nocheck(doc->id)) &&
              put(obj, "type", json_string_nocheck(doc->type)) &&
              put(obj, "lang", string_or_null(doc->lang)) &&
              put(obj, "title", json_string_nocheck(doc->title)) &&
              put(obj, "group", string_or_null(doc->group)) &&
              put(obj, "tags", string_array(doc->tags, doc->tag_count)) &&
              put(obj, "products",
                  string_array(doc->products, doc->product_count)) &&
              put(obj, "updated", string_or_null(doc->updated)) &&
              put(obj, "customer", string_or_null(doc->customer)) &&
              put(obj, "channel", string_or_null(doc->channel)) &&
              put(obj, "date", string_or_null(doc->date)) &&
              put(obj, "body", json_string_nocheck(doc->body_source)) &&
              put(obj, "body_format",
                  json_string_nocheck(doc->body_format == VB_DOCUMENT_BODY_HTML
                                          ? "html"
                                          : "markdown"));
    if (ok)
        *json = json_dumps(obj, JSON_COMPACT);
    json_decref(obj);
    vb_document_free(doc);
    if (!*json)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    return VB_OK;
}
