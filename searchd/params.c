/* params.c — a request's parameters read into struct vb_fields: the
 * query string (GET) or a JSON object body (POST) go the same way, one
 * raw value per known name, so that checks.c holds both to the same
 * rules.  Unknown, repeated and surplus parameters are refused here,
 * each naming the parameter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "searchd_int.h"

/* More query parameters than this is not a mistake but an attack. */
#define QUERY_ARGS_MAX 64

const char *const vb_field_names[VB_FIELD_COUNT] = {
    "q",      "text",   "lang",    "type",      "customer", "limit",  "offset",
    "facets", "agent",  "from",    "to",        "kind",     "state",  "query",
    "doc",    "reason", "comment", "paragraph", "before",   "tenant",
};

const char *vb_json_kind(const json_t *value)
{
    switch (json_typeof(value)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a real number";
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    case JSON_NULL: return "null";
    }
    return "a value";
}

/* "q, lang, type" for the fields in `allowed`. */
static void list_fields(unsigned allowed, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = '\0';
    for (int f = 0; f < VB_FIELD_COUNT; f++)
        if (allowed & VB_FIELD_BIT(f)) {
            int n = snprintf(out + used, cap - used, "%s%s", used ? ", " : "",
                             vb_field_names[f]);
            if (n < 0 || (size_t)n >= cap - used)
                break;
            used += (size_t)n;
        }
    if (!out[0])
        snprintf(out, cap, "none");
}

static int find_field(const char *name, size_t len)
{
    for (int f = 0; f < VB_FIELD_COUNT; f++)
        if (strlen(vb_field_names[f]) == len &&
            memcmp(vb_field_names[f], name, len) == 0)
            return f;
    return -1;
}

/* ---- Reading the query string ------------------------------------------ */

struct arg_scan {
    struct vb_fields *fields;
    unsigned allowed;
    size_t count;
    bool too_many;
    size_t unknown_count;
    char unknown[200];         /* quoted names, comma-separated */
    const char *first_unknown; /* raw, for "parameter" */
    int duplicate;             /* a field given twice, or -1 */
};

static enum MHD_Result scan_arg(void *cls, enum MHD_ValueKind kind,
                                const char *key, size_t key_len,
                                const char *value, size_t value_len)
{
    (void)kind;
    struct arg_scan *scan = cls;
    /* "?q=x&&" or a trailing "&": nothing was given, nothing to refuse. */
    if (key_len == 0 && (!value || value_len == 0))
        return MHD_YES;
    if (++scan->count > QUERY_ARGS_MAX) {
        scan->too_many = true;
        return MHD_NO;
    }
    int f = find_field(key, key_len);
    if (f < 0 || !(scan->allowed & VB_FIELD_BIT(f))) {
        if (scan->unknown_count++ == 0)
            scan->first_unknown = key;
        size_t used = strlen(scan->unknown);
        if (scan->unknown_count <= 5 && used + 8 < sizeof scan->unknown) {
            char quoted[64];
            vb_quote(quoted, sizeof quoted, key, key_len);
            snprintf(scan->unknown + used, sizeof scan->unknown - used,
                     "%s'%s'", used ? ", " : "", quoted);
        }
        return MHD_YES;
    }
    struct vb_raw_value *v = &scan->fields->v[f];
    if (v->present) {
        if (scan->duplicate < 0)
            scan->duplicate = f;
        return MHD_YES;
    }
    v->present = true;
    v->s = value ? value : "";
    v->len = value ? value_len : 0;
    return MHD_YES;
}

/* Reads the query string into `fields`; false when it answered an
 * error (too many, unknown or repeated parameters). */
bool vb_read_query(struct vb_request *request, unsigned allowed,
                   struct vb_fields *fields, enum MHD_Result *result)
{
    memset(fields, 0, sizeof *fields);
    fields->what = "parameter";
    struct arg_scan scan = {
        .fields = fields, .allowed = allowed, .duplicate = -1};
    MHD_get_connection_values_n(request->connection, MHD_GET_ARGUMENT_KIND,
                                scan_arg, &scan);
    if (scan.too_many) {
        *result =
            vb_respond_error(request, 400, VB_API_INVALID_PARAMETER, NULL,
                             "more than %d query parameters", QUERY_ARGS_MAX);
        return false;
    }
    if (scan.unknown_count > 0) {
        char known[128]; /* only for the message */
        list_fields(allowed, known, sizeof known);
        *result = vb_respond_error(
            request, 400, VB_API_UNKNOWN_PARAMETER, scan.first_unknown,
            "unknown parameter%s %s%s (known here: %s)",
            scan.unknown_count > 1 ? "s" : "", scan.unknown,
            scan.unknown_count > 5 ? ", ..." : "", known);
        return false;
    }
    if (scan.duplicate >= 0) {
        *result = vb_respond_error(request, 400, VB_API_DUPLICATE_PARAMETER,
                                   vb_field_names[scan.duplicate],
                                   "parameter '%s' is given more than once",
                                   vb_field_names[scan.duplicate]);
        return false;
    }
    return true;
}

/* ---- Reading a JSON body ----------------------------------------------- */

/* Parses the body as a JSON object into `fields` (values borrowed from
 * *root, which the caller json_decref()s); false when it answered an
 * error. */
bool vb_read_body(struct vb_request *request, unsigned allowed,
                  struct vb_fields *fields, json_t **root,
                  enum MHD_Result *result)
{
    memset(fields, 0, sizeof *fields);
    fields->what = "field";
    json_error_t jerr;
    *root = json_loadb(request->body ? request->body : "", request->body_len,
                       JSON_REJECT_DUPLICATES, &jerr);
    if (!*root) {
        char text[160];
        vb_quote(text, sizeof text, jerr.text, strlen(jerr.text));
        if (json_error_code(&jerr) == json_error_out_of_memory) {
            *result = vb_respond_error(request, 503, VB_API_INTERNAL, NULL,
                                       "out of memory");
        } else if (json_error_code(&jerr) == json_error_duplicate_key) {
            *result =
                vb_respond_error(request, 400, VB_API_DUPLICATE_PARAMETER, NULL,
                                 "the body has a key twice, at line "
                                 "%d, column %d: %s",
                                 jerr.line, jerr.column, text);
        } else {
            *result = vb_respond_error(request, 400, VB_API_INVALID_JSON, NULL,
                                       "the body is not valid JSON: line %d, "
                                       "column %d: %s",
                                       jerr.line, jerr.column, text);
        }
        return false;
    }
    if (!json_is_object(*root)) {
        *result = vb_respond_error(request, 400, VB_API_INVALID_JSON, NULL,
                                   "the body must be a JSON object, not %s",
                                   vb_json_kind(*root));
        return false;
    }
    const char *key;
    json_t *value;
    size_t unknown_count = 0;
    const char *first_unknown = NULL;
    char unknown[200] = "";
    json_object_foreach(*root, key, value)
    {
        int f = find_field(key, strlen(key));
        if (f < 0 || !(allowed & VB_FIELD_BIT(f))) {
            if (unknown_count++ == 0)
                first_unknown = key;
            size_t used = strlen(unknown);
            if (unknown_count <= 5 && used + 8 < sizeof unknown) {
                char quoted[64];
                vb_quote(quoted, sizeof quoted, key, strlen(key));
                snprintf(unknown + used, sizeof unknown - used, "%s'%s'",
                         used ? ", " : "", quoted);
            }
            continue;
        }
        struct vb_raw_value *v = &fields->v[f];
        /* null is the same as leaving the field out. */
        if (json_is_null(value))
            continue;
        v->present = true;
        v->json = value;
        if (json_is_string(value)) {
            v->s = json_string_value(value);
            v->len = json_string_length(value);
        }
    }
    if (unknown_count > 0) {
        char known[128];
        list_fields(allowed, known, sizeof known);
        *result = vb_respond_error(request, 400, VB_API_UNKNOWN_PARAMETER,
                                   first_unknown,
                                   "unknown field%s %s%s (known here: %s)",
                                   unknown_count > 1 ? "s" : "", unknown,
                                   unknown_count > 5 ? ", ..." : "", known);
        return false;
    }
    return true;
}
