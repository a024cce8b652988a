#define _DEFAULT_SOURCE /* timegm */
/* api.c — the JSON API of Contract 3: parameters and bodies in, struct
 * vb_search_request to the engine, struct vb_search_result out as JSON.
 *
 * Every input is checked here, before the engine sees it, so that each
 * mistake gets a 4xx naming the parameter: unknown and repeated
 * parameters, invalid UTF-8, sizes, ranges, syntax.  A query string
 * (GET) and a JSON body (POST) go through the same checks: both are first
 * read into struct fields, one raw value per known name. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vb_document.h"
#include "vb_indexer.h"
#include "vb_utf8.h"

#include "searchd_int.h"

/* ---- Fields ------------------------------------------------------------- */

enum field {
    FIELD_Q,
    FIELD_TEXT,
    FIELD_LANG,
    FIELD_TYPE,
    FIELD_CUSTOMER,
    FIELD_LIMIT,
    FIELD_OFFSET,
    FIELD_FACETS,
    FIELD_AGENT,
    FIELD_FROM,
    FIELD_TO,
    FIELD_KIND,
    FIELD_STATE,
    FIELD_QUERY,
    FIELD_DOC,
    FIELD_REASON,
    FIELD_COMMENT,
    FIELD_PARAGRAPH,
    FIELD_BEFORE,
    FIELD_TENANT,
    FIELD_COUNT
};

static const char *const field_names[FIELD_COUNT] = {
    "q",      "text",   "lang",  "type", "customer", "limit",
    "offset", "facets", "agent", "from", "to",       "kind",
    "state",  "query",  "doc",   "reason", "comment", "paragraph",
    "before", "tenant",
};

#define BIT(f) (1u << (f))
#define SEARCH_FIELDS                                                          \
    (BIT(FIELD_Q) | BIT(FIELD_LANG) | BIT(FIELD_TYPE) | BIT(FIELD_CUSTOMER) |  \
     BIT(FIELD_LIMIT) | BIT(FIELD_OFFSET) | BIT(FIELD_FACETS) |               \
     BIT(FIELD_TENANT))
#define SUGGEST_FIELDS                                                         \
    (BIT(FIELD_TEXT) | BIT(FIELD_LANG) | BIT(FIELD_CUSTOMER) |                 \
     BIT(FIELD_LIMIT) | BIT(FIELD_TYPE) | BIT(FIELD_TENANT))
#define ANALYZE_FIELDS (BIT(FIELD_TEXT) | BIT(FIELD_LANG))
#define DOCUMENT_FIELDS (BIT(FIELD_CUSTOMER) | BIT(FIELD_TENANT))
#define AUDIT_FIELDS                                                           \
    (BIT(FIELD_CUSTOMER) | BIT(FIELD_AGENT) | BIT(FIELD_FROM) |                \
     BIT(FIELD_TO) | BIT(FIELD_LIMIT) | BIT(FIELD_OFFSET) | BIT(FIELD_TENANT))
#define ANALYTICS_FIELDS                                                       \
    (BIT(FIELD_KIND) | BIT(FIELD_FROM) | BIT(FIELD_TO) | BIT(FIELD_LIMIT) |   \
     BIT(FIELD_TENANT))
#define OPEN_FIELDS (BIT(FIELD_QUERY) | BIT(FIELD_DOC) | BIT(FIELD_TENANT))
#define FEEDBACK_FIELDS                                                        \
    (BIT(FIELD_DOC) | BIT(FIELD_REASON) | BIT(FIELD_COMMENT) |                 \
     BIT(FIELD_PARAGRAPH) | BIT(FIELD_TENANT))
#define FEEDBACK_LIST_FIELDS                                                   \
    (BIT(FIELD_STATE) | BIT(FIELD_LIMIT) | BIT(FIELD_TENANT))
#define RESOLVE_FIELDS BIT(FIELD_TENANT)
#define WRITE_FIELDS BIT(FIELD_TENANT)
#define COMMENT_MAX 2000 /* bytes of a flag's comment */
#define REVIEW_FIELDS (BIT(FIELD_BEFORE) | BIT(FIELD_TENANT))
#define AUDIT_LIMIT_DEFAULT 100
#define AUDIT_LIMIT_MAX 10000

/* Longest analyze text (bytes), as for suggest. */
#define ANALYZE_TEXT_MAX VB_SEARCH_SUGGEST_MAX
/* Longest type slug and customer/document id (bytes). */
#define TYPE_SLUG_MAX 64
#define ID_MAX 128
/* More query parameters than this is not a mistake but an attack. */
#define QUERY_ARGS_MAX 64

/* One raw value: a string (query parameter, or JSON string), or another
 * JSON value (POST bodies only). */
struct raw_value {
    bool present;
    const char *s; /* NUL-terminated; NULL for non-string JSON values */
    size_t len;
    json_t *json; /* the JSON value (borrowed from the body); NULL for GET */
};

struct fields {
    const char *what; /* "parameter" (query string) or "field" (body) */
    struct raw_value v[FIELD_COUNT];
};

/* Values after checking, ready for the engine. */
struct checked {
    const char *text;
    size_t text_len;
    enum vb_lang lang;
    const char *types[VB_SEARCH_TYPES_MAX];
    size_t type_count;
    const char *customer;
    const char *tenant; /* NULL: every client's documents */
    uint32_t limit, offset;
    bool facets;
};

static const char *json_kind(const json_t *value)
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
    for (int f = 0; f < FIELD_COUNT; f++)
        if (allowed & BIT(f)) {
            int n = snprintf(out + used, cap - used, "%s%s", used ? ", " : "",
                             field_names[f]);
            if (n < 0 || (size_t)n >= cap - used)
                break;
            used += (size_t)n;
        }
    if (!out[0])
        snprintf(out, cap, "none");
}

static int find_field(const char *name, size_t len)
{
    for (int f = 0; f < FIELD_COUNT; f++)
        if (strlen(field_names[f]) == len &&
            memcmp(field_names[f], name, len) == 0)
            return f;
    return -1;
}

/* ---- Reading the query string ------------------------------------------ */

struct arg_scan {
    struct fields *fields;
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
    if (f < 0 || !(scan->allowed & BIT(f))) {
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
    struct raw_value *v = &scan->fields->v[f];
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
static bool read_query(struct vb_request *request, unsigned allowed,
                       struct fields *fields, enum MHD_Result *result)
{
    memset(fields, 0, sizeof *fields);
    fields->what = "parameter";
    struct arg_scan scan = {
        .fields = fields, .allowed = allowed, .duplicate = -1};
    MHD_get_connection_values_n(request->connection, MHD_GET_ARGUMENT_KIND,
                                scan_arg, &scan);
    char known[128];
    list_fields(allowed, known, sizeof known);
    if (scan.too_many) {
        *result =
            vb_respond_error(request, 400, VB_API_INVALID_PARAMETER, NULL,
                             "more than %d query parameters", QUERY_ARGS_MAX);
        return false;
    }
    if (scan.unknown_count > 0) {
        *result = vb_respond_error(
            request, 400, VB_API_UNKNOWN_PARAMETER, scan.first_unknown,
            "unknown parameter%s %s%s (known here: %s)",
            scan.unknown_count > 1 ? "s" : "", scan.unknown,
            scan.unknown_count > 5 ? ", ..." : "", known);
        return false;
    }
    if (scan.duplicate >= 0) {
        *result = vb_respond_error(request, 400, VB_API_DUPLICATE_PARAMETER,
                                   field_names[scan.duplicate],
                                   "parameter '%s' is given more than once",
                                   field_names[scan.duplicate]);
        return false;
    }
    return true;
}

/* ---- Reading a JSON body ----------------------------------------------- */

/* Parses the body as a JSON object into `fields` (values borrowed from
 * *root, which the caller json_decref()s); false when it answered an
 * error. */
static bool read_body(struct vb_request *request, unsigned allowed,
                      struct fields *fields, json_t **root,
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
                                   json_kind(*root));
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
        if (f < 0 || !(allowed & BIT(f))) {
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
        struct raw_value *v = &fields->v[f];
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

/* ---- Checking values ---------------------------------------------------- */

struct check {
    struct vb_request *request;
    const struct fields *fields;
    enum MHD_Result result; /* of the error response, once answered */
    bool failed;
};

static void check_fail(struct check *c, unsigned status, enum vb_api_error code,
                       int field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void check_fail(struct check *c, unsigned status, enum vb_api_error code,
                       int field, const char *fmt, ...)
{
    if (c->failed)
        return;
    char message[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    c->failed = true;
    c->result =
        vb_respond_error(c->request, status, code,
                         field >= 0 ? field_names[field] : NULL, "%s", message);
}

/* Every string value must be valid UTF-8 (JSON strings already are). */
static void check_utf8(struct check *c)
{
    for (int f = 0; f < FIELD_COUNT && !c->failed; f++) {
        const struct raw_value *v = &c->fields->v[f];
        size_t bad;
        if (v->present && v->s && !v->json &&
            vb_utf8_validate(v->s, v->len, &bad) != VB_OK)
            check_fail(c, 400, VB_API_INVALID_UTF8, f,
                       "%s '%s' is not valid UTF-8 (byte %zu%s)",
                       c->fields->what, field_names[f], bad,
                       v->s[bad] == '\0' ? ": a NUL byte" : "");
    }
}

/* A string value; false (and an error) when the field holds another JSON
 * type. */
static bool string_value(struct check *c, int f, const char **s, size_t *len)
{
    const struct raw_value *v = &c->fields->v[f];
    if (!v->s) {
        check_fail(c, 400, VB_API_INVALID_PARAMETER, f,
                   "%s '%s' must be a string, not %s", c->fields->what,
                   field_names[f], json_kind(v->json));
        return false;
    }
    *s = v->s;
    *len = v->len;
    return true;
}

/* The query or suggest text: required, valid, at most `max` bytes. */
static void check_text(struct check *c, int f, size_t max, struct checked *out)
{
    if (c->failed)
        return;
    if (!c->fields->v[f].present) {
        check_fail(c, 400, VB_API_MISSING_PARAMETER, f, "%s '%s' is required",
                   c->fields->what, field_names[f]);
        return;
    }
    if (!string_value(c, f, &out->text, &out->text_len))
        return;
    if (out->text_len > max)
        check_fail(c, 413, VB_API_TOO_LARGE, f,
                   "%s '%s' is %zu bytes long; at most %zu are allowed",
                   c->fields->what, field_names[f], out->text_len, max);
}

static void check_lang(struct check *c, struct checked *out)
{
    out->lang = VB_LANG_UNKNOWN;
    const char *s;
    size_t len;
    if (c->failed || !c->fields->v[FIELD_LANG].present ||
        !string_value(c, FIELD_LANG, &s, &len))
        return;
    out->lang = vb_lang_parse(s, len);
    if (out->lang == VB_LANG_UNKNOWN) {
        char shown[48];
        check_fail(c, 400, VB_API_INVALID_PARAMETER, FIELD_LANG,
                   "%s 'lang' must be nl, fr or en, not '%s'", c->fields->what,
                   vb_quote(shown, sizeof shown, s, len));
    }
}

/* An id of a customer or document: [A-Za-z0-9._-]{1,128}. */
static bool id_syntax_ok(const char *s, size_t len)
{
    return vb_id_syntax_ok(s, len, ID_MAX);
}

static void check_customer(struct check *c, struct checked *out)
{
    out->customer = NULL;
    const char *s;
    size_t len;
    if (c->failed || !c->fields->v[FIELD_CUSTOMER].present ||
        !string_value(c, FIELD_CUSTOMER, &s, &len))
        return;
    if (!id_syntax_ok(s, len)) {
        char shown[64];
        check_fail(c, 400, VB_API_INVALID_PARAMETER, FIELD_CUSTOMER,
                   "%s 'customer' must be a customer id (1 to %d of "
                   "A-Z a-z 0-9 . _ -), not '%s'",
                   c->fields->what, ID_MAX,
                   vb_quote(shown, sizeof shown, s, len));
        return;
    }
    out->customer = s;
}

/* The client the request works for (Contract 1 `tenant`): the
 * parameter, which a token limited to tenants (tenants=) must list; a
 * token limited to one needs none.  NULL: every client's documents (no
 * tokens, or a token for all of them, and no parameter), or a failed
 * check. */
static const char *tenant_of(struct check *c)
{
    const struct vb_searchd_token *token = c->request->token;
    size_t allowed = token ? token->tenant_count : 0;
    const char *s = NULL;
    size_t len = 0;
    if (c->failed)
        return NULL;
    if (c->fields->v[FIELD_TENANT].present &&
        !string_value(c, FIELD_TENANT, &s, &len))
        return NULL;
    if (s && !vb_document_tenant_ok(s, len)) {
        char shown[80];
        check_fail(c, 400, VB_API_INVALID_PARAMETER, FIELD_TENANT,
                   "%s 'tenant' must be a client's name ([a-z0-9-]{1,64}), "
                   "not '%s'",
                   c->fields->what, vb_quote(shown, sizeof shown, s, len));
        return NULL;
    }
    if (!s && allowed == 1)
        return token->tenants[0];
    if (!s && allowed > 1) {
        check_fail(c, 400, VB_API_INVALID_PARAMETER, FIELD_TENANT,
                   "%s 'tenant' is needed: token %s works for %zu clients "
                   "(%s, ...); name the one the agent works for",
                   c->fields->what, token->name, allowed, token->tenants[0]);
        return NULL;
    }
    for (size_t i = 0; s && i < allowed; i++)
        if (strlen(token->tenants[i]) == len &&
            memcmp(token->tenants[i], s, len) == 0)
            return token->tenants[i];
    if (s && allowed > 0) {
        char shown[80];
        check_fail(c, 403, VB_API_FORBIDDEN, FIELD_TENANT,
                   "token %s does not work for tenant '%s'", token->name,
                   vb_quote(shown, sizeof shown, s, len));
        return NULL;
    }
    return s;
}

/* tenant_of into `out`, and the request remembers it (audit rows name
 * it). */
static void request_tenant(struct check *c, struct checked *out)
{
    out->tenant = c->request->tenant = tenant_of(c);
}

static bool slug_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
           ch == '_';
}

/* Adds one type entry s[0..len) (copied into the arena). */
static void add_type(struct check *c, const char *s, size_t len,
                     struct checked *out)
{
    while (len > 0 && *s == ' ')
        s++, len--;
    while (len > 0 && s[len - 1] == ' ')
        len--;
    bool ok = len > 0 && len <= TYPE_SLUG_MAX && s[0] != '-' && s[0] != '_';
    for (size_t i = 0; ok && i < len; i++)
        ok = slug_char(s[i]);
    if (!ok) {
        char shown[80];
        check_fail(c, 400, VB_API_INVALID_PARAMETER, FIELD_TYPE,
                   "%s 'type': '%s' is not a type (lower-case letters, "
                   "digits, '-' and '_', such as product, procedure, "
                   "history)",
                   c->fields->what, vb_quote(shown, sizeof shown, s, len));
        return;
    }
    for (size_t i = 0; i < out->type_count; i++)
        if (strlen(out->types[i]) == len && memcmp(out->types[i], s, len) == 0)
            return;
    if (out->type_count == VB_SEARCH_TYPES_MAX) {
        check_fail(c, 400, VB_API_INVALID_PARAMETER, FIELD_TYPE,
                   "%s 'type' names more than %d types", c->fields->what,
                   VB_SEARCH_TYPES_MAX);
        return;
    }
    char *copy = vb_arena_strndup(c->request->arena, s, len);
    if (!copy) {
        check_fail(c, 503, VB_API_INTERNAL, -1, "out of memory");
        return;
    }
    out->types[out->type_count++] = copy;
}

/* "product,procedure", or in a body also ["product", "procedure"]. */
static void check_types(struct check *c, struct checked *out)
{
    out->type_count = 0;
    const struct raw_value *v = &c->fields->v[FIELD_TYPE];
    if (c->failed || !v->present)
        return;
    if (v->json && json_is_array(v->json)) {
        size_t i;
        json_t *item;
        if (json_array_size(v->json) == 0)
            check_fail(c, 400, VB_API_INVALID_PARAMETER, FIELD_TYPE,
                       "field 'type' is an empty list");
        json_array_foreach(v->json, i, item)
        {
            if (!json_is_string(item)) {
                check_fail(c, 400, VB_API_INVALID_PARAMETER, FIELD_TYPE,
                           "field 'type': item %zu is %s, not a string", i + 1,
                           json_kind(item));
                return;
            }
            add_type(c, json_string_value(item), json_string_length(item), out);
        }
        return;
    }
    const char *s;
    size_t len;
    if (!string_value(c, FIELD_TYPE, &s, &len))
        return;
    size_t start = 0;
    for (size_t i = 0; i <= len && !c->failed; i++)
        if (i == len || s[i] == ',') {
            add_type(c, s + start, i - start, out);
            start = i + 1;
        }
}

/* A whole number from min to max: decimal digits in a query string, an
 * integer in a body. */
static bool number_value(struct check *c, int f, uint32_t min, uint32_t max,
                         uint32_t *out)
{
    const struct raw_value *v = &c->fields->v[f];
    if (c->failed || !v->present)
        return false;
    long long n = -1;
    if (v->json) {
        if (json_is_integer(v->json))
            n = json_integer_value(v->json);
    } else {
        size_t digits = strspn(v->s, "0123456789");
        if (digits == v->len && digits > 0 && digits <= 9)
            n = strtoll(v->s, NULL, 10);
    }
    if (n < (long long)min || n > (long long)max) {
        char shown[48] = "";
        if (!v->json)
            vb_quote(shown, sizeof shown, v->s, v->len);
        else if (json_is_integer(v->json))
            snprintf(shown, sizeof shown, "%lld",
                     (long long)json_integer_value(v->json));
        check_fail(c, 400, VB_API_INVALID_PARAMETER, f,
                   "%s '%s' must be a whole number from %u to %u, not %s%s%s",
                   c->fields->what, field_names[f], min, max,
                   !v->json ? "'" : "",
                   shown[0] || !v->json ? shown : json_kind(v->json),
                   !v->json ? "'" : "");
        return false;
    }
    *out = (uint32_t)n;
    return true;
}

/* 0/1/true/false in a query string; true/false/0/1 in a body. */
static void check_facets(struct check *c, struct checked *out)
{
    out->facets = false;
    const struct raw_value *v = &c->fields->v[FIELD_FACETS];
    if (c->failed || !v->present)
        return;
    int value = -1;
    if (v->json) {
        if (json_is_boolean(v->json))
            value = json_is_true(v->json);
        else if (json_is_integer(v->json) &&
                 (json_integer_value(v->json) == 0 ||
                  json_integer_value(v->json) == 1))
            value = (int)json_integer_value(v->json);
    } else if (strcmp(v->s, "1") == 0 || strcmp(v->s, "true") == 0) {
        value = 1;
    } else if (strcmp(v->s, "0") == 0 || strcmp(v->s, "false") == 0) {
        value = 0;
    }
    if (value < 0) {
        check_fail(c, 400, VB_API_INVALID_PARAMETER, FIELD_FACETS,
                   "%s 'facets' must be %s", c->fields->what,
                   v->json ? "true, false, 0 or 1" : "1, 0, true or false");
        return;
    }
    out->facets = value == 1;
}

/* ---- Engine calls -------------------------------------------------------- */

static bool index_trouble(enum vb_status status)
{
    return status == VB_EIO || status == VB_ECORRUPT || status == VB_EBACKEND ||
           status == VB_ENOTFOUND;
}

/* An engine error as an HTTP answer. */
static enum MHD_Result respond_engine_error(struct vb_request *request,
                                            enum vb_status status,
                                            const struct vb_error *err)
{
    switch (status) {
    case VB_EINVAL:
        return vb_respond_error(request, 400, VB_API_INVALID_PARAMETER, NULL,
                                "%s", err->msg);
    case VB_EUTF8:
        return vb_respond_error(request, 400, VB_API_INVALID_UTF8, NULL, "%s",
                                err->msg);
    case VB_ELIMIT:
        return vb_respond_error(request, 413, VB_API_TOO_LARGE, NULL, "%s",
                                err->msg);
    case VB_ENOMEM:
        return vb_respond_error(request, 503, VB_API_INTERNAL, NULL,
                                "out of memory; try again");
    case VB_EIO:
    case VB_ECORRUPT:
    case VB_EBACKEND:
    case VB_ENOTFOUND:
        return vb_respond_error(request, 503, VB_API_UNAVAILABLE, NULL,
                                "the index cannot be read: %s", err->msg);
    default:
        return vb_respond_error(request, 500, VB_API_INTERNAL, NULL, "%s: %s",
                                vb_status_str(status), err->msg);
    }
}

/* ---- Search results as JSON ------------------------------------------------
 */

/* Each setter steals `value`; a NULL value (out of memory, or a string
 * that is not valid UTF-8) makes it fail. */
static bool put(json_t *object, const char *key, json_t *value)
{
    return json_object_set_new(object, key, value) == 0;
}

static json_t *hit_json(const struct vb_search_hit *hit)
{
    json_t *o = json_object();
    json_t *translations = json_array();
    bool ok = o && translations;
    for (size_t i = 0; ok && i < hit->translation_count; i++) {
        const struct vb_search_translation *t = &hit->translations[i];
        json_t *item = json_object();
        ok = item &&
             put(item, "lang",
                 json_stringn(t->lang, strnlen(t->lang, sizeof t->lang))) &&
             put(item, "id", vb_json_text(t->id)) &&
             json_array_append_new(translations, item) == 0;
        if (!ok)
            json_decref(item);
    }
    ok = ok && put(o, "id", vb_json_text(hit->id)) &&
         put(o, "type", vb_json_text(hit->type)) &&
         put(o, "lang", vb_json_text(hit->lang)) &&
         put(o, "title", vb_json_text(hit->title)) &&
         put(o, "title_html", vb_json_text(hit->title_html)) &&
         put(o, "snippet", vb_json_text(hit->snippet)) &&
         put(o, "score", json_real(isfinite(hit->score) ? hit->score : 0.0)) &&
         put(o, "group", vb_json_text(hit->group)) &&
         put(o, "translations", json_incref(translations)) &&
         put(o, "updated", vb_json_text(hit->updated)) &&
         put(o, "review_by", vb_json_text(hit->review_by)) &&
         put(o, "date", vb_json_text(hit->date)) &&
         put(o, "customer", vb_json_text(hit->customer)) &&
         put(o, "channel", vb_json_text(hit->channel));
    json_decref(translations);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *facets_json(const struct vb_search_result *result)
{
    json_t *facets = json_object();
    /* "type" and "lang" are always there when asked for, even empty. */
    bool ok = facets && put(facets, "type", json_object()) &&
              put(facets, "lang", json_object());
    for (size_t f = 0; ok && f < result->facet_count; f++) {
        const struct vb_search_facet *facet = &result->facets[f];
        if (!facet->field)
            continue;
        json_t *counts = json_object();
        for (size_t j = 0; counts && ok && j < facet->count; j++)
            if (facet->counts[j].value)
                ok = put(counts, facet->counts[j].value,
                         json_integer(facet->counts[j].count));
        ok = ok && put(facets, facet->field, counts);
    }
    if (!ok) {
        json_decref(facets);
        return NULL;
    }
    return facets;
}

static json_t *result_json(const struct checked *in, bool facets,
                           const struct vb_search_result *result)
{
    json_t *root = json_object();
    json_t *hits = json_array();
    bool ok = root && hits;
    for (size_t i = 0; ok && i < result->hit_count; i++)
        ok = json_array_append_new(hits, hit_json(&result->hits[i])) == 0;
    ok = ok && put(root, "query", json_stringn(in->text, in->text_len)) &&
         put(root, "total", json_integer(result->total)) &&
         put(root, "total_exact", json_boolean(result->total_exact)) &&
         put(root, "took_us", json_integer((json_int_t)result->took_us)) &&
         put(root, "suggestion", vb_json_text(result->suggestion)) &&
         put(root, "hits", json_incref(hits));
    if (ok && facets)
        ok = put(root, "facets", facets_json(result));
    json_decref(hits);
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    return root;
}

static enum MHD_Result run_search(struct vb_request *request,
                                  enum vb_search_mode mode,
                                  const struct checked *in)
{
    struct vb_search_request query;
    vb_search_request_init(&query);
    query.mode = mode;
    query.text = in->text;
    query.text_len = in->text_len;
    query.preferred_lang = in->lang;
    for (size_t i = 0; i < in->type_count; i++)
        query.types[i] = in->types[i];
    query.type_count = in->type_count;
    query.customer = in->customer;
    query.tenant = in->tenant;
    query.limit = in->limit;
    query.offset = in->offset;
    query.facets = in->facets;

    char agent[VB_SEARCHD_NAME_MAX + 1] = "";
    enum MHD_Result refused;
    if (in->customer && !vb_request_ticket(request, in->customer, agent,
                                           &refused))
        return refused;

    struct vb_pool *pool = request->server->pool;
    struct vb_worker *worker = NULL;
    struct vb_search_result *result = NULL;
    struct vb_error err = {0};
    enum vb_status status = vb_pool_checkout(pool, &worker, &err);
    if (status != VB_OK)
        return respond_engine_error(request, status, &err);
    status = vb_search_run(worker->searcher, &query, &result, &err);
    vb_pool_checkin(pool, worker, index_trouble(status));
    if (status != VB_OK)
        return respond_engine_error(request, status, &err);

    /* No audit row, no history. */
    if (in->customer) {
        uint64_t history = 0;
        for (size_t i = 0; i < result->hit_count; i++)
            history += result->hits[i].customer != NULL;
        status = vb_request_audit(request, in->customer, agent, in->text,
                                  in->text_len, history, &err);
        if (status != VB_OK) {
            vb_search_result_free(result);
            return vb_respond_error(request, 503, VB_API_AUDIT_UNAVAILABLE,
                                    NULL,
                                    "customer history is not served while "
                                    "the audit log cannot be written (search "
                                    "without 'customer' still works): %s",
                                    err.msg);
        }
    }

    /* What the editors see: agents' article searches only (a history
     * search is about one customer; an editor's or admin's search is a
     * test, not a need), no customer, no text for a suggest. */
    if (!in->customer &&
        (!request->token || request->token->role == VB_ROLE_AGENT))
        vb_analytics_search(request->server->analytics,
                            vb_request_client(request),
                            mode == VB_SEARCH_SUGGEST, in->text, in->text_len,
                            in->lang == VB_LANG_UNKNOWN ? NULL
                                                        : vb_lang_code(in->lang),
                            in->tenant, result->total, result->took_us);
    json_t *root = result_json(in, in->facets, result);
    vb_search_result_free(result);
    if (!root)
        return vb_respond_error(request, 500, VB_API_INTERNAL, NULL,
                                "the search result could not be written as "
                                "JSON (out of memory, or not valid UTF-8)");
    return vb_respond_json(request, 200, root);
}

/* ---- GET and POST /v1/search -----------------------------------------------
 */

enum MHD_Result vb_handle_search(struct vb_request *request)
{
    struct fields fields;
    json_t *body = NULL;
    enum MHD_Result result = MHD_YES;
    bool post = request->route->body_max > 0;
    if (post ? !read_body(request, SEARCH_FIELDS, &fields, &body, &result)
             : !read_query(request, SEARCH_FIELDS, &fields, &result))
        goto out;

    struct check c = {.request = request, .fields = &fields};
    struct checked in = {.limit = VB_SEARCH_LIMIT_DEFAULT};
    check_utf8(&c);
    check_text(&c, FIELD_Q, VB_SEARCH_QUERY_MAX, &in);
    check_lang(&c, &in);
    check_types(&c, &in);
    check_customer(&c, &in);
    request_tenant(&c, &in);
    number_value(&c, FIELD_LIMIT, 1, VB_SEARCH_LIMIT_MAX, &in.limit);
    number_value(&c, FIELD_OFFSET, 0, VB_SEARCH_OFFSET_MAX, &in.offset);
    check_facets(&c, &in);
    if (!c.failed && in.text_len == 0 && !in.customer)
        check_fail(&c, 400, VB_API_INVALID_PARAMETER, FIELD_Q,
                   "%s 'q' is empty: give a query, or a customer to list "
                   "that customer's history",
                   fields.what);
    result = c.failed ? c.result : run_search(request, VB_SEARCH_QUERY, &in);
out:
    json_decref(body);
    return result;
}

/* ---- POST /v1/suggest ------------------------------------------------------
 */

enum MHD_Result vb_handle_suggest(struct vb_request *request)
{
    struct fields fields;
    json_t *body = NULL;
    enum MHD_Result result = MHD_YES;
    if (!read_body(request, SUGGEST_FIELDS, &fields, &body, &result))
        goto out;

    struct check c = {.request = request, .fields = &fields};
    struct checked in = {.limit = VB_SEARCH_LIMIT_DEFAULT};
    check_text(&c, FIELD_TEXT, VB_SEARCH_SUGGEST_MAX, &in);
    check_lang(&c, &in);
    check_types(&c, &in);
    check_customer(&c, &in);
    request_tenant(&c, &in);
    number_value(&c, FIELD_LIMIT, 1, VB_SEARCH_LIMIT_MAX, &in.limit);
    if (!c.failed && in.text_len == 0 && !in.customer)
        check_fail(&c, 400, VB_API_INVALID_PARAMETER, FIELD_TEXT,
                   "field 'text' is empty: give the conversation text, or a "
                   "customer");
    result = c.failed ? c.result : run_search(request, VB_SEARCH_SUGGEST, &in);
out:
    json_decref(body);
    return result;
}

/* ---- GET /v1/docs/{id} -----------------------------------------------------
 */

enum MHD_Result vb_handle_document(struct vb_request *request)
{
    struct fields fields;
    enum MHD_Result result;
    if (!read_query(request, DOCUMENT_FIELDS, &fields, &result))
        return result;
    struct check c = {.request = request, .fields = &fields};
    struct checked in = {0};
    check_utf8(&c);
    check_customer(&c, &in);
    request_tenant(&c, &in);
    if (c.failed)
        return c.result;
    if (!id_syntax_ok(request->path_arg, request->path_arg_len)) {
        char shown[80];
        return vb_respond_error(
            request, 400, VB_API_INVALID_PARAMETER, "id",
            "'%s' is not a document id (1 to %d of A-Z a-z 0-9 . _ -)",
            vb_quote(shown, sizeof shown, request->path_arg,
                     request->path_arg_len),
            ID_MAX);
    }

    char agent[VB_SEARCHD_NAME_MAX + 1] = "";
    if (in.customer && !vb_request_ticket(request, in.customer, agent, &result))
        return result;

    struct vb_pool *pool = request->server->pool;
    struct vb_worker *worker = NULL;
    struct vb_error err = {0};
    char *json = NULL;
    bool history = false;
    enum vb_status status = vb_pool_checkout(pool, &worker, &err);
    if (status != VB_OK)
        return respond_engine_error(request, status, &err);
    char etag[17] = "";
    status = vb_search_get_document(worker->searcher, request->path_arg,
                                    in.customer, in.tenant, &json, &history,
                                    etag, &err);
    vb_pool_checkin(pool, worker,
                    status != VB_ENOTFOUND && index_trouble(status));
    if (status == VB_ENOTFOUND)
        return vb_respond_error(request, 404, VB_API_NOT_FOUND, "id",
                                "no document with id '%s'", request->path_arg);
    if (status != VB_OK)
        return respond_engine_error(request, status, &err);
    if (history) {
        status = vb_request_audit(request, in.customer, agent,
                                  request->path_arg, request->path_arg_len, 1,
                                  &err);
        if (status != VB_OK) {
            free(json);
            return vb_respond_error(request, 503, VB_API_AUDIT_UNAVAILABLE,
                                    NULL,
                                    "customer history is not served while "
                                    "the audit log cannot be written: %s",
                                    err.msg);
        }
    }
    snprintf(request->etag, sizeof request->etag, "%s", etag);
    result = vb_respond_json_text(request, 200, json, strlen(json));
    free(json);
    return result;
}

/* ---- GET /v1/analyze -------------------------------------------------------
 */

struct analyze_ctx {
    const char *text;
    json_t *tokens;
    bool failed;
};

static int add_token(void *ctx_, const struct vb_token *token)
{
    struct analyze_ctx *ctx = ctx_;
    json_t *terms = json_array();
    json_t *o = json_object();
    bool ok = terms && o;
    for (size_t i = 0; ok && i < token->term_count; i++)
        ok =
            json_array_append_new(
                terms, json_stringn(token->terms[i], token->term_lens[i])) == 0;
    ok = ok &&
         put(o, "token",
             json_stringn(ctx->text + token->start,
                          token->end - token->start)) &&
         put(o, "start", json_integer((json_int_t)token->start)) &&
         put(o, "end", json_integer((json_int_t)token->end)) &&
         put(o, "position", json_integer(token->position)) &&
         put(o, "stopword", json_boolean(token->stopword)) &&
         put(o, "stem", json_string(vb_stem_source_name(token->stem_source))) &&
         put(o, "terms", json_incref(terms)) &&
         json_array_append(ctx->tokens, o) == 0;
    json_decref(terms);
    json_decref(o);
    if (!ok) {
        ctx->failed = true;
        return 1;
    }
    return 0;
}

enum MHD_Result vb_handle_analyze(struct vb_request *request)
{
    struct fields fields;
    enum MHD_Result result;
    if (!read_query(request, ANALYZE_FIELDS, &fields, &result))
        return result;
    struct check c = {.request = request, .fields = &fields};
    struct checked in = {0};
    check_utf8(&c);
    check_text(&c, FIELD_TEXT, ANALYZE_TEXT_MAX, &in);
    check_lang(&c, &in);
    if (c.failed)
        return c.result;

    bool detected = in.lang == VB_LANG_UNKNOWN;
    if (detected)
        in.lang = vb_detect_lang(in.text, in.text_len, NULL);

    struct vb_pool *pool = request->server->pool;
    struct vb_worker *worker = NULL;
    struct vb_analyzer *analyzer = NULL;
    struct vb_error err = {0};
    enum vb_status status = vb_pool_checkout(pool, &worker, &err);
    if (status != VB_OK)
        return respond_engine_error(request, status, &err);
    struct analyze_ctx ctx = {.text = in.text, .tokens = json_array()};
    status = vb_worker_analyzer(pool, worker, &analyzer, &err);
    if (status == VB_OK && ctx.tokens)
        status = vb_analyze_text(analyzer, in.text, in.text_len, in.lang,
                                 add_token, &ctx, &err);
    vb_pool_checkin(pool, worker, false);
    if (status != VB_OK) {
        json_decref(ctx.tokens);
        return respond_engine_error(request, status, &err);
    }
    json_t *root = json_object();
    bool ok =
        root && ctx.tokens && !ctx.failed &&
        put(root, "lang",
            in.lang == VB_LANG_UNKNOWN ? json_null()
                                       : json_string(vb_lang_code(in.lang))) &&
        put(root, "detected", json_boolean(detected)) &&
        put(root, "tokens", json_incref(ctx.tokens));
    json_decref(ctx.tokens);
    if (!ok) {
        json_decref(root);
        return vb_respond_error(request, 500, VB_API_INTERNAL, NULL,
                                "the analysis could not be written as JSON");
    }
    return vb_respond_json(request, 200, root);
}

/* ---- GET /v1/health --------------------------------------------------------
 */

enum MHD_Result vb_handle_health(struct vb_request *request)
{
    struct fields fields;
    enum MHD_Result result;
    if (!read_query(request, 0, &fields, &result))
        return result;

    struct vb_searchd *server = request->server;
    struct vb_worker *worker = NULL;
    struct vb_error err = {0};
    uint32_t documents = 0;
    uint64_t revision = 0;
    enum vb_status status = vb_pool_checkout(server->pool, &worker, &err);
    if (status == VB_OK) {
        status =
            vb_searcher_stats(worker->searcher, &documents, &revision, &err);
        vb_pool_checkin(server->pool, worker, index_trouble(status));
    }
    if (status != VB_OK)
        return vb_respond_error(request, 503, VB_API_UNAVAILABLE, NULL,
                                "the index cannot be read: %s", err.msg);
    /* An index without documents (a first build that has not run, or
     * failed) is not one agents can use: say so, not "ok". */
    if (documents == 0)
        return vb_respond_error(request, 503, VB_API_UNAVAILABLE, NULL,
                                "the index holds no documents yet (build it "
                                "with vraagbaak-indexer)");

    json_t *root =
        json_pack("{s:s,s:I,s:I}", "status", "ok", "documents",
                  (json_int_t)documents, "revision", (json_int_t)revision);
    /* A synonym file that could not be read is not fatal (the previous
     * synonyms stay), nor is an audit log that cannot be written (history
     * is refused, articles are served), but the operator should see
     * them. */
    struct vb_error problems[2], audit;
    size_t problem_count = 0;
    if (vb_search_engine_problem(server->engine, &problems[problem_count]))
        problem_count++;
    if (vb_audit_problem(server->audit, &audit))
        snprintf(problems[problem_count++].msg, sizeof problems[0].msg,
                 "the audit log cannot be written, so customer history is "
                 "refused: %.160s",
                 audit.msg);
    json_t *warnings = problem_count ? json_array() : NULL;
    for (size_t i = 0; warnings && i < problem_count; i++)
        json_array_append_new(warnings, json_string(problems[i].msg));
    if (root && warnings)
        json_object_set_new(root, "warnings", warnings);
    else
        json_decref(warnings);
    return vb_respond_json(request, 200, root);
}

/* ---- GET /v1/audit ---------------------------------------------------------
 */

/* "YYYY-MM-DD" or "YYYY-MM-DDThh:mm:ss[.fff]Z" as Unix microseconds; a
 * bare date `to` means the end of that day.  False when it is neither. */
static bool parse_time(const char *s, size_t len, bool end_of_day,
                       int64_t *out)
{
    struct tm tm = {0};
    int consumed = 0;
    char rest[40] = "";
    if (len >= 32 ||
        sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &consumed) != 3 ||
        consumed != 10)
        return false;
    int64_t fraction_us = 0;
    bool date_only = len == 10;
    if (!date_only) {
        int n = 0;
        if (sscanf(s + 10, "T%2d:%2d:%2d%n", &tm.tm_hour, &tm.tm_min,
                   &tm.tm_sec, &n) != 3 ||
            n != 9)
            return false;
        snprintf(rest, sizeof rest, "%.*s", (int)(len - 19), s + 19);
        const char *p = rest;
        if (*p == '.') {
            size_t digits = strspn(p + 1, "0123456789");
            if (digits == 0 || digits > 6)
                return false;
            for (size_t i = 0; i < 6; i++)
                fraction_us = fraction_us * 10 + (i < digits ? p[1 + i] - '0' : 0);
            p += 1 + digits;
        }
        if (strcmp(p, "Z") != 0)
            return false;
    }
    if (tm.tm_year < 1970 || tm.tm_mon < 1 || tm.tm_mon > 12 ||
        tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
        tm.tm_min > 59 || tm.tm_sec > 60)
        return false;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    int64_t seconds = (int64_t)timegm(&tm);
    if (date_only && end_of_day)
        *out = (seconds + 86400) * 1000000 - 1;
    else
        *out = seconds * 1000000 + fraction_us;
    return true;
}

static void check_time(struct check *c, int f, bool end_of_day, int64_t *out)
{
    const char *s;
    size_t len;
    if (c->failed || !c->fields->v[f].present ||
        !string_value(c, f, &s, &len))
        return;
    if (!parse_time(s, len, end_of_day, out)) {
        char shown[48];
        check_fail(c, 400, VB_API_INVALID_PARAMETER, f,
                   "parameter '%s' must be a date (2026-12-05) or a UTC time "
                   "(2026-12-05T14:30:00Z), not '%s'",
                   field_names[f], vb_quote(shown, sizeof shown, s, len));
    }
}

enum MHD_Result vb_handle_audit(struct vb_request *request)
{
    struct fields fields;
    enum MHD_Result result;
    if (!read_query(request, AUDIT_FIELDS, &fields, &result))
        return result;
    struct check c = {.request = request, .fields = &fields};
    struct checked in = {0};
    struct vb_audit_filter filter = {.from_us = INT64_MIN,
                                     .to_us = INT64_MAX,
                                     .limit = AUDIT_LIMIT_DEFAULT};
    check_utf8(&c);
    check_customer(&c, &in);
    request_tenant(&c, &in);
    filter.customer = in.customer;
    filter.tenant = in.tenant;
    const char *agent;
    size_t agent_len;
    if (!c.failed && fields.v[FIELD_AGENT].present &&
        string_value(&c, FIELD_AGENT, &agent, &agent_len)) {
        if (!vb_access_name_ok(agent, agent_len))
            check_fail(&c, 400, VB_API_INVALID_PARAMETER, FIELD_AGENT,
                       "parameter 'agent' must be an agent name (1 to %d of "
                       "A-Z a-z 0-9 . _ -)",
                       VB_SEARCHD_NAME_MAX);
        filter.agent = agent;
    }
    check_time(&c, FIELD_FROM, false, &filter.from_us);
    check_time(&c, FIELD_TO, true, &filter.to_us);
    number_value(&c, FIELD_LIMIT, 1, AUDIT_LIMIT_MAX, &filter.limit);
    number_value(&c, FIELD_OFFSET, 0, UINT32_MAX / 2, &filter.offset);
    if (c.failed)
        return c.result;
    return vb_respond_audit(request, &filter);
}

/* ---- DELETE /v1/customers/{id} ---------------------------------------------
 */

enum MHD_Result vb_handle_erase_customer(struct vb_request *request)
{
    struct fields fields;
    enum MHD_Result result;
    if (!read_query(request, WRITE_FIELDS, &fields, &result))
        return result;
    struct check c = {.request = request, .fields = &fields};
    struct checked in = {0};
    request_tenant(&c, &in);
    if (c.failed)
        return c.result;
    if (!vb_access_name_ok(request->path_arg, request->path_arg_len)) {
        char shown[80];
        return vb_respond_error(
            request, 400, VB_API_INVALID_PARAMETER, "id",
            "'%s' is not a customer id (1 to %d of A-Z a-z 0-9 . _ -)",
            vb_quote(shown, sizeof shown, request->path_arg,
                     request->path_arg_len),
            VB_SEARCHD_NAME_MAX);
    }
    return vb_erase_customer(request, request->path_arg);
}

/* ---- The editors: analytics and feedback ------------------------------------
 */

/* 503 when the analytics database could not be opened. */
static bool analytics_ready(struct vb_request *request,
                            enum MHD_Result *result)
{
    if (request->server->analytics)
        return true;
    *result = vb_respond_error(request, 503, VB_API_UNAVAILABLE, NULL,
                               "the analytics database is not available: %s",
                               request->server->analytics_problem);
    return false;
}

/* A required string field; false (and an error) when absent. */
static bool required_string(struct check *c, int f, const char **s,
                            size_t *len)
{
    if (c->failed)
        return false;
    if (!c->fields->v[f].present) {
        check_fail(c, 400, VB_API_MISSING_PARAMETER, f, "%s '%s' is required",
                   c->fields->what, field_names[f]);
        return false;
    }
    return string_value(c, f, s, len);
}

/* POST /v1/analytics/open {"query", "doc"}: the agent opened a hit. */
enum MHD_Result vb_handle_analytics_open(struct vb_request *request)
{
    struct fields fields;
    json_t *body = NULL;
    enum MHD_Result result = MHD_YES;
    if (!read_body(request, OPEN_FIELDS, &fields, &body, &result) ||
        !analytics_ready(request, &result))
        goto out;
    struct check c = {.request = request, .fields = &fields};
    struct checked in = {0};
    const char *query = NULL, *doc = NULL;
    size_t query_len = 0, doc_len = 0;
    request_tenant(&c, &in);
    if (required_string(&c, FIELD_QUERY, &query, &query_len) &&
        query_len > VB_SEARCH_QUERY_MAX)
        check_fail(&c, 413, VB_API_TOO_LARGE, FIELD_QUERY,
                   "field 'query' is longer than %d bytes",
                   VB_SEARCH_QUERY_MAX);
    if (required_string(&c, FIELD_DOC, &doc, &doc_len) &&
        !id_syntax_ok(doc, doc_len))
        check_fail(&c, 400, VB_API_INVALID_PARAMETER, FIELD_DOC,
                   "field 'doc' is not a document id");
    if (c.failed) {
        result = c.result;
        goto out;
    }
    vb_analytics_opened(request->server->analytics, query, query_len, doc,
                        in.tenant);
    result = vb_respond_json(request, 202, json_pack("{s:b}", "queued", 1));
out:
    json_decref(body);
    return result;
}

struct report_ctx {
    json_t *rows;
    bool failed;
};

static int add_report_row(void *ctx_, const char *query, uint64_t count,
                          int64_t last_us)
{
    struct report_ctx *ctx = ctx_;
    char last[40];
    vb_format_time(last_us, last, sizeof last);
    json_t *row = json_pack("{s:s,s:I,s:s}", "query", query ? query : "",
                            "count", (json_int_t)count, "last", last);
    if (!row || json_array_append_new(ctx->rows, row) != 0)
        ctx->failed = true;
    return ctx->failed;
}

/* GET /v1/analytics?kind=zero-results|top|no-open&from=&to=&limit= */
enum MHD_Result vb_handle_analytics(struct vb_request *request)
{
    static const char *const kinds[] = {"zero-results", "top", "no-open"};
    struct fields fields;
    enum MHD_Result result;
    if (!read_query(request, ANALYTICS_FIELDS, &fields, &result) ||
        !analytics_ready(request, &result))
        return result;
    struct check c = {.request = request, .fields = &fields};
    struct checked in = {0};
    check_utf8(&c);
    request_tenant(&c, &in);
    const char *kind_text = NULL;
    size_t kind_len = 0;
    int kind = -1;
    if (required_string(&c, FIELD_KIND, &kind_text, &kind_len))
        for (int k = 0; k < 3; k++)
            if (strlen(kinds[k]) == kind_len &&
                memcmp(kinds[k], kind_text, kind_len) == 0)
                kind = k;
    if (!c.failed && kind < 0)
        check_fail(&c, 400, VB_API_INVALID_PARAMETER, FIELD_KIND,
                   "parameter 'kind' must be zero-results, top or no-open");
    int64_t to_us = (int64_t)time(NULL) * 1000000;
    int64_t from_us = to_us - 30LL * 86400 * 1000000; /* the last 30 days */
    check_time(&c, FIELD_FROM, false, &from_us);
    check_time(&c, FIELD_TO, true, &to_us);
    uint32_t limit = 50;
    number_value(&c, FIELD_LIMIT, 1, 1000, &limit);
    if (c.failed)
        return c.result;
    struct report_ctx ctx = {.rows = json_array()};
    struct vb_error err = {0};
    enum vb_status st =
        ctx.rows ? vb_analytics_report(request->server->analytics,
                                       (enum vb_analytics_kind)kind, in.tenant,
                                       from_us, to_us, limit, add_report_row,
                                       &ctx, &err)
                 : VB_ENOMEM;
    if (st != VB_OK || ctx.failed) {
        json_decref(ctx.rows);
        return vb_respond_error(request, 503, VB_API_UNAVAILABLE, NULL, "%s",
                                st == VB_OK ? "out of memory" : err.msg);
    }
    char from[40], to[40];
    vb_format_time(from_us, from, sizeof from);
    vb_format_time(to_us, to, sizeof to);
    return vb_respond_json(request, 200,
                           json_pack("{s:s,s:s,s:s,s:o}", "kind", kinds[kind],
                                     "from", from, "to", to, "queries",
                                     ctx.rows));
}

/* POST /v1/feedback {"doc", "reason", "comment"?, "paragraph"?} */
enum MHD_Result vb_handle_feedback_add(struct vb_request *request)
{
    static const char *const reasons[] = {"wrong", "outdated", "unclear"};
    struct fields fields;
    json_t *body = NULL;
    enum MHD_Result result = MHD_YES;
    if (!read_body(request, FEEDBACK_FIELDS, &fields, &body, &result) ||
        !analytics_ready(request, &result))
        goto out;
    struct check c = {.request = request, .fields = &fields};
    struct checked in = {0};
    request_tenant(&c, &in);
    struct vb_feedback f = {.paragraph = -1,
                            .token = request->token ? request->token->name
                                                    : NULL,
                            .tenant = in.tenant};
    size_t doc_len = 0, reason_len = 0, comment_len = 0;
    if (required_string(&c, FIELD_DOC, &f.doc, &doc_len) &&
        !id_syntax_ok(f.doc, doc_len))
        check_fail(&c, 400, VB_API_INVALID_PARAMETER, FIELD_DOC,
                   "field 'doc' is not a document id");
    bool known = false;
    if (required_string(&c, FIELD_REASON, &f.reason, &reason_len))
        for (int k = 0; k < 3; k++)
            known |= strcmp(f.reason, reasons[k]) == 0;
    if (!c.failed && !known)
        check_fail(&c, 400, VB_API_INVALID_PARAMETER, FIELD_REASON,
                   "field 'reason' must be wrong, outdated or unclear");
    if (!c.failed && fields.v[FIELD_COMMENT].present &&
        string_value(&c, FIELD_COMMENT, &f.comment, &comment_len) &&
        comment_len > COMMENT_MAX)
        check_fail(&c, 413, VB_API_TOO_LARGE, FIELD_COMMENT,
                   "field 'comment' is %zu bytes; at most %d", comment_len,
                   COMMENT_MAX);
    uint32_t paragraph;
    if (number_value(&c, FIELD_PARAGRAPH, 0, 100000, &paragraph))
        f.paragraph = paragraph;
    if (c.failed) {
        result = c.result;
        goto out;
    }
    /* A flag is on an article that exists (never on history). */
    struct vb_pool *pool = request->server->pool;
    struct vb_worker *worker = NULL;
    struct vb_error err = {0};
    char *json = NULL;
    bool history = false;
    enum vb_status st = vb_pool_checkout(pool, &worker, &err);
    if (st == VB_OK) {
        st = vb_search_get_document(worker->searcher, f.doc, NULL, in.tenant,
                                    &json, &history, NULL, &err);
        vb_pool_checkin(pool, worker,
                        st != VB_ENOTFOUND && index_trouble(st));
    }
    free(json);
    if (st == VB_ENOTFOUND) {
        result = vb_respond_error(request, 404, VB_API_NOT_FOUND, "doc",
                                  "no article with id '%s'", f.doc);
        goto out;
    }
    if (st != VB_OK) {
        result = respond_engine_error(request, st, &err);
        goto out;
    }
    int64_t id = 0;
    st = vb_feedback_add(request->server->analytics, &f, &id, &err);
    result = st == VB_OK
                 ? vb_respond_json(request, 201,
                                   json_pack("{s:I,s:s}", "id", (json_int_t)id,
                                             "state", "open"))
                 : vb_respond_error(request, 503, VB_API_UNAVAILABLE, NULL,
                                    "%s", err.msg);
out:
    json_decref(body);
    return result;
}

static int add_feedback_row(void *ctx_, const struct vb_feedback *f)
{
    struct report_ctx *ctx = ctx_;
    char time[40], resolved[40];
    vb_format_time(f->time_us, time, sizeof time);
    vb_format_time(f->resolved_us, resolved, sizeof resolved);
    json_t *row = json_pack(
        "{s:I,s:s,s:s,s:s,s:o,s:o,s:o,s:s,s:o,s:o,s:o}", "id",
        (json_int_t)f->id,
        "time", time, "doc", f->doc, "reason", f->reason, "comment",
        f->comment ? json_string(f->comment) : json_null(), "paragraph",
        f->paragraph >= 0 ? json_integer(f->paragraph) : json_null(), "token",
        f->token ? json_string(f->token) : json_null(), "state", f->state,
        "resolved", f->resolved_by || f->resolved_us ? json_string(resolved)
                                                     : json_null(),
        "resolved_by",
        f->resolved_by ? json_string(f->resolved_by) : json_null(), "tenant",
        f->tenant ? json_string(f->tenant) : json_null());
    if (!row || json_array_append_new(ctx->rows, row) != 0)
        ctx->failed = true;
    return ctx->failed;
}

/* GET /v1/feedback?state=open|resolved|all&limit= */
enum MHD_Result vb_handle_feedback_list(struct vb_request *request)
{
    struct fields fields;
    enum MHD_Result result;
    if (!read_query(request, FEEDBACK_LIST_FIELDS, &fields, &result) ||
        !analytics_ready(request, &result))
        return result;
    struct check c = {.request = request, .fields = &fields};
    struct checked in = {0};
    check_utf8(&c);
    request_tenant(&c, &in);
    const char *state = "open";
    size_t state_len;
    if (!c.failed && fields.v[FIELD_STATE].present &&
        string_value(&c, FIELD_STATE, &state, &state_len) &&
        strcmp(state, "open") != 0 && strcmp(state, "resolved") != 0 &&
        strcmp(state, "all") != 0)
        check_fail(&c, 400, VB_API_INVALID_PARAMETER, FIELD_STATE,
                   "parameter 'state' must be open, resolved or all");
    uint32_t limit = 100;
    number_value(&c, FIELD_LIMIT, 1, 1000, &limit);
    if (c.failed)
        return c.result;
    struct report_ctx ctx = {.rows = json_array()};
    struct vb_error err = {0};
    enum vb_status st =
        ctx.rows ? vb_feedback_list(request->server->analytics,
                                    strcmp(state, "all") == 0 ? NULL : state,
                                    in.tenant, limit, add_feedback_row, &ctx,
                                    &err)
                 : VB_ENOMEM;
    if (st != VB_OK || ctx.failed) {
        json_decref(ctx.rows);
        return vb_respond_error(request, 503, VB_API_UNAVAILABLE, NULL, "%s",
                                st == VB_OK ? "out of memory" : err.msg);
    }
    return vb_respond_json(request, 200,
                           json_pack("{s:o}", "entries", ctx.rows));
}

/* POST /v1/feedback/{n}/resolve */
enum MHD_Result vb_handle_feedback_resolve(struct vb_request *request)
{
    struct fields fields;
    json_t *body = NULL;
    enum MHD_Result result = MHD_YES;
    /* The body may be empty or {}: nothing to say. */
    if (request->body_len > 0 &&
        !read_body(request, 0, &fields, &body, &result))
        goto out;
    /* ?tenant=: whose flag it is (a token for one client: its own). */
    struct fields query;
    if (!read_query(request, RESOLVE_FIELDS, &query, &result) ||
        !analytics_ready(request, &result))
        goto out;
    struct check c = {.request = request, .fields = &query};
    struct checked in = {0};
    request_tenant(&c, &in);
    if (c.failed) {
        result = c.result;
        goto out;
    }
    size_t digits = strspn(request->path_arg, "0123456789");
    if (digits == 0 || digits > 12 || digits != request->path_arg_len) {
        char shown[40];
        result = vb_respond_error(
            request, 400, VB_API_INVALID_PARAMETER, "n",
            "'%s' is not a feedback number",
            vb_quote(shown, sizeof shown, request->path_arg,
                     request->path_arg_len));
        goto out;
    }
    int64_t id = strtoll(request->path_arg, NULL, 10);
    struct vb_error err = {0};
    enum vb_status st = vb_feedback_resolve(
        request->server->analytics, id, in.tenant,
        request->token ? request->token->name : NULL, &err);
    if (st == VB_ENOTFOUND)
        result = vb_respond_error(request, 404, VB_API_NOT_FOUND, "n", "%s",
                                  err.msg);
    else if (st != VB_OK)
        result = vb_respond_error(request, 503, VB_API_UNAVAILABLE, NULL, "%s",
                                  err.msg);
    else
        result = vb_respond_json(request, 200,
                                 json_pack("{s:I,s:s}", "id", (json_int_t)id,
                                           "state", "resolved"));
out:
    json_decref(body);
    return result;
}

/* ---- GET /v1/review?before=DATE -------------------------------------------
 */

/* An empty field of the due list is null. */
static json_t *text_or_null(const char *s)
{
    return vb_json_text(s && s[0] ? s : NULL);
}

static int add_due(void *ctx_, const struct vb_search_due_item *item)
{
    struct report_ctx *ctx = ctx_;
    json_t *row = json_pack(
        "{s:s,s:s,s:o,s:o,s:o,s:o,s:b,s:o}", "id", item->id, "title",
        item->title, "lang", text_or_null(item->lang), "owner",
        text_or_null(item->owner), "review_by", text_or_null(item->review_by),
        "valid_until", text_or_null(item->valid_until), "expired",
        item->expired, "tenant", text_or_null(item->tenant));
    if (!row || json_array_append_new(ctx->rows, row) != 0)
        ctx->failed = true;
    return ctx->failed;
}

/* The articles due for review or expiring on or before `before` (default:
 * today), by owner. */
enum MHD_Result vb_handle_review(struct vb_request *request)
{
    struct fields fields;
    enum MHD_Result result;
    if (!read_query(request, REVIEW_FIELDS, &fields, &result))
        return result;
    struct check c = {.request = request, .fields = &fields};
    struct checked in = {0};
    check_utf8(&c);
    request_tenant(&c, &in);
    int64_t before_us = (int64_t)time(NULL) * 1000000;
    check_time(&c, FIELD_BEFORE, true, &before_us);
    if (c.failed)
        return c.result;
    char before[16];
    time_t seconds = (time_t)(before_us / 1000000);
    struct tm day;
    /* A given date stands as given; "today" is the server's. */
    if (fields.v[FIELD_BEFORE].present)
        gmtime_r(&seconds, &day);
    else
        localtime_r(&seconds, &day);
    strftime(before, sizeof before, "%Y-%m-%d", &day);

    struct vb_pool *pool = request->server->pool;
    struct vb_worker *worker = NULL;
    struct vb_error err = {0};
    struct report_ctx ctx = {.rows = json_array()};
    enum vb_status st = ctx.rows ? vb_pool_checkout(pool, &worker, &err)
                                 : vb_error_set(&err, VB_ENOMEM,
                                                "out of memory");
    if (st == VB_OK) {
        st = vb_search_due(worker->searcher, before, in.tenant, add_due, &ctx,
                           &err);
        vb_pool_checkin(pool, worker, index_trouble(st));
    }
    if (st != VB_OK || ctx.failed) {
        json_decref(ctx.rows);
        return st != VB_OK ? respond_engine_error(request, st, &err)
                           : vb_respond_error(request, 500, VB_API_INTERNAL,
                                              NULL, "out of memory");
    }
    return vb_respond_json(request, 200,
                           json_pack("{s:s,s:o}", "before", before, "entries",
                                     ctx.rows));
}

/* ---- PUT and DELETE /v1/docs/{id} (editors, a CMS) -------------------------
 */

/* The If-Match header without its quotes (or a weak W/ prefix); NULL when
 * there is none or it is "*". */
static const char *if_match(struct vb_request *request)
{
    const char *value = MHD_lookup_connection_value(
        request->connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MATCH);
    if (!value || strcmp(value, "*") == 0)
        return NULL;
    if (strncmp(value, "W/", 2) == 0)
        value += 2;
    size_t len = strlen(value);
    if (len >= 2 && value[0] == '"' && value[len - 1] == '"')
        return vb_arena_strndup(request->arena, value + 1, len - 2);
    return value;
}

/* What vb_indexer_write said (about the run, or about one op), as an
 * answer. */
static enum MHD_Result write_failed(struct vb_request *request,
                                    enum vb_status st,
                                    const struct vb_error *err)
{
    switch (st) {
    case VB_EBUSY:
        return vb_respond_busy(request, err->msg);
    case VB_ECONFLICT:
        return vb_respond_error(request, 412, VB_API_PRECONDITION_FAILED,
                                "If-Match", "%s", err->msg);
    case VB_EDENIED:
        return vb_respond_error(request, 403, VB_API_FORBIDDEN, "tenant", "%s",
                                err->msg);
    case VB_EINVAL:
        return vb_respond_error(request, 400, VB_API_INVALID_PARAMETER, NULL,
                                "%s", err->msg);
    default:
        return vb_respond_error(request, 503, VB_API_UNAVAILABLE, NULL,
                                "nothing was written: %s", err->msg);
    }
}

/* The first problem of a document that does not validate. */
struct read_one {
    struct vb_document *doc;
    struct vb_error problem;
    bool rejected;
};

static int take_one(void *ctx, struct vb_document *doc,
                    const struct vb_error *problems, size_t count)
{
    struct read_one *r = ctx;
    if (doc) {
        vb_document_free(r->doc);
        r->doc = doc;
    } else if (!r->rejected && count > 0) {
        r->problem = problems[0];
        r->rejected = true;
    }
    return 0;
}

/* PUT /v1/docs/{id}: a Contract 1 document as one JSON object (its "id",
 * when given, must be the path's), validated as the indexer validates
 * files, stored as one revision; 201 when new, 200 when replaced; the
 * ETag of what is stored.  If-Match: only over that version (412). */
enum MHD_Result vb_handle_document_put(struct vb_request *request)
{
    struct fields fields;
    enum MHD_Result result;
    if (!read_query(request, WRITE_FIELDS, &fields, &result))
        return result;
    struct check c = {.request = request, .fields = &fields};
    struct checked in = {0};
    request_tenant(&c, &in);
    if (c.failed)
        return c.result;
    if (!id_syntax_ok(request->path_arg, request->path_arg_len))
        return vb_respond_error(request, 400, VB_API_INVALID_PARAMETER, "id",
                                "the path does not end in a document id");
    json_error_t jerr;
    json_t *root = json_loadb(request->body ? request->body : "",
                              request->body_len, JSON_REJECT_DUPLICATES,
                              &jerr);
    if (!root || !json_is_object(root)) {
        char text[160];
        vb_quote(text, sizeof text, jerr.text, strlen(jerr.text));
        json_decref(root);
        return vb_respond_error(request, 400, VB_API_INVALID_JSON, NULL,
                                "the body must be one JSON object (a Contract "
                                "1 document): %s",
                                root ? "not an object" : text);
    }
    json_t *id = json_object_get(root, "id");
    if (id && (!json_is_string(id) ||
               strcmp(json_string_value(id), request->path_arg) != 0)) {
        json_decref(root);
        return vb_respond_error(request, 400, VB_API_INVALID_PARAMETER, "id",
                                "field 'id' is not the id in the path");
    }
    if (!id)
        json_object_set_new(root, "id", json_string(request->path_arg));
    char *text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    if (!text)
        return vb_respond_error(request, 500, VB_API_INTERNAL, NULL,
                                "out of memory");
    struct read_one one = {0};
    struct vb_error err = {0};
    enum vb_status st = vb_document_read_json("body", 1, text, strlen(text),
                                              take_one, &one, &err);
    free(text);
    if (st != VB_OK)
        return vb_respond_error(request, 500, VB_API_INTERNAL, NULL, "%s",
                                err.msg);
    if (!one.doc) {
        /* "body:1: 'title' is required": the field is named in it. */
        return vb_respond_error(request, 400, VB_API_INVALID_PARAMETER, NULL,
                                "%s", one.problem.msg);
    }
    struct vb_indexer_op op = {.doc = one.doc, .if_match = if_match(request),
                               .tenant = in.tenant};
    st = vb_indexer_write(request->server->index_dir, "api", &op, 1, 2000,
                          &err);
    vb_document_free(one.doc);
    if (st != VB_OK)
        return write_failed(request, st, &err);
    if (op.status != VB_OK)
        return write_failed(request, op.status, &op.problem);
    snprintf(request->etag, sizeof request->etag, "%s", op.etag);
    return vb_respond_json(request, op.existed ? 200 : 201,
                           json_pack("{s:s,s:s,s:b}", "id", request->path_arg,
                                     "etag", op.etag, "created",
                                     !op.existed));
}

/* DELETE /v1/docs/{id}: 200 when it was there (one revision), 404 when
 * not; If-Match as for PUT. */
enum MHD_Result vb_handle_document_delete(struct vb_request *request)
{
    struct fields fields;
    enum MHD_Result result;
    if (!read_query(request, WRITE_FIELDS, &fields, &result))
        return result;
    struct check c = {.request = request, .fields = &fields};
    struct checked in = {0};
    request_tenant(&c, &in);
    if (c.failed)
        return c.result;
    if (!id_syntax_ok(request->path_arg, request->path_arg_len))
        return vb_respond_error(request, 400, VB_API_INVALID_PARAMETER, "id",
                                "the path does not end in a document id");
    struct vb_indexer_op op = {.id = request->path_arg,
                               .if_match = if_match(request),
                               .tenant = in.tenant};
    struct vb_error err = {0};
    enum vb_status st = vb_indexer_write(request->server->index_dir, "api",
                                         &op, 1, 2000, &err);
    if (st != VB_OK)
        return write_failed(request, st, &err);
    if (op.status != VB_OK)
        return write_failed(request, op.status, &op.problem);
    if (!op.existed)
        return vb_respond_error(request, 404, VB_API_NOT_FOUND, "id",
                                "no document with id '%s'", request->path_arg);
    return vb_respond_json(request, 200,
                           json_pack("{s:s,s:b}", "id", request->path_arg,
                                     "deleted", 1));
}

/* ---- POST /v1/docs: a bulk of documents (JSON Lines) ------------------------
 */

/* Every document line validated on its own (a bad line is reported with
 * its number and message, the others stored), then all of them stored in
 * one revision.  Answered 200 with one item per document line:
 * {"errors": bool, "items": [{"line", "id", "status", "error"?}]}. */
enum MHD_Result vb_handle_documents_bulk(struct vb_request *request)
{
    struct fields fields;
    enum MHD_Result result;
    if (!read_query(request, WRITE_FIELDS, &fields, &result))
        return result;
    struct check c = {.request = request, .fields = &fields};
    struct checked in = {0};
    request_tenant(&c, &in);
    if (c.failed)
        return c.result;
    struct bulk_line {
        unsigned line;
        struct read_one one;
        size_t op; /* index into ops, or SIZE_MAX */
    } *lines = NULL;
    struct vb_indexer_op *ops = NULL;
    size_t line_count = 0, op_count = 0, cap = 0;
    const char *data = request->body ? request->body : "";
    size_t len = request->body_len;
    struct vb_error err = {0};
    enum vb_status st = VB_OK;
    unsigned number = 1;
    for (size_t pos = 0; pos < len && st == VB_OK; number++) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len, n = end - pos;
        const char *text = data + pos;
        pos = end + 1;
        size_t blank = strspn(text, " \t\r");
        if (blank >= n)
            continue;
        if (line_count == cap) {
            cap = cap ? cap * 2 : 256;
            void *grown_lines = realloc(lines, cap * sizeof *lines);
            if (grown_lines)
                lines = grown_lines;
            void *grown_ops = grown_lines ? realloc(ops, cap * sizeof *ops)
                                          : NULL;
            if (grown_ops)
                ops = grown_ops;
            if (!grown_lines || !grown_ops) {
                st = vb_error_set(&err, VB_ENOMEM, "out of memory");
                break;
            }
        }
        struct bulk_line *l = &lines[line_count++];
        *l = (struct bulk_line){.line = number, .op = SIZE_MAX};
        st = vb_document_read_json("line", number, text, n, take_one, &l->one,
                                   &err);
        if (st == VB_OK && l->one.doc) {
            l->op = op_count;
            ops[op_count++] =
                (struct vb_indexer_op){.doc = l->one.doc, .tenant = in.tenant};
        }
    }
    if (st == VB_OK && op_count > 0)
        st = vb_indexer_write(request->server->index_dir, "api", ops, op_count,
                              2000, &err);
    if (st != VB_OK) {
        result = st == VB_ENOMEM
                     ? vb_respond_error(request, 500, VB_API_INTERNAL, NULL,
                                        "%s", err.msg)
                     : write_failed(request, st, &err);
        goto out;
    }
    json_t *items = json_array();
    bool errors = false, ok = items != NULL;
    for (size_t i = 0; ok && i < line_count; i++) {
        const struct bulk_line *l = &lines[i];
        const struct vb_indexer_op *op =
            l->op == SIZE_MAX ? NULL : &ops[l->op];
        json_t *item;
        if (op && op->status == VB_OK)
            item = json_pack("{s:i,s:s,s:i,s:s}", "line", l->line, "id",
                             op->doc->id, "status", op->existed ? 200 : 201,
                             "etag", op->etag);
        else
            item = json_pack("{s:i,s:i,s:s}", "line", l->line, "status",
                             op && op->status == VB_ECONFLICT  ? 412
                             : op && op->status == VB_EDENIED ? 403
                                                              : 400,
                             "error",
                             op ? op->problem.msg : l->one.problem.msg);
        errors |= !(op && op->status == VB_OK);
        ok = item && json_array_append_new(items, item) == 0;
    }
    result = ok ? vb_respond_json(request, 200,
                                  json_pack("{s:b,s:o}", "errors", errors,
                                            "items", items))
                : vb_respond_error(request, 500, VB_API_INTERNAL, NULL,
                                   "out of memory");
    if (!ok)
        json_decref(items);
out:
    for (size_t i = 0; i < line_count; i++)
        vb_document_free(lines[i].one.doc);
    free(lines);
    free(ops);
    return result;
}
