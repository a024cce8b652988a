/* json.c — JSON Lines files and single JSON objects, read with jansson. */
#include "document_int.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static const char *json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "a value";
}

/* Copies one field's value into `rf`.  False only on allocation failure. */
static bool take_value(struct doc_problems *p, enum doc_field field,
                       struct raw_field *rf, json_t *value)
{
    const char *name = doc_field_name(field);
    if (json_is_null(value))
        return true;
    if (json_is_string(value)) {
        if (doc_field_is_list(field))
            return raw_field_add_item(rf, json_string_value(value),
                                      json_string_length(value), rf->line);
        return raw_field_set(rf, json_string_value(value),
                             json_string_length(value));
    }
    if (json_is_array(value) && doc_field_is_list(field)) {
        size_t i;
        json_t *item;
        json_array_foreach(value, i, item)
        {
            if (json_is_string(item)) {
                if (!raw_field_add_item(rf, json_string_value(item),
                                        json_string_length(item), rf->line))
                    return false;
            } else if (json_is_null(item)) {
                if (!raw_field_add_item(rf, "", 0, rf->line))
                    return false;
            } else {
                doc_problem(p, VB_EINVAL, rf->line,
                            "'%s' entry %zu must be a string, not %s", name,
                            i + 1, json_kind(item));
            }
        }
        return true;
    }
    doc_problem(p, VB_EINVAL, rf->line, "'%s' must be %s, not %s", name,
                doc_field_is_list(field) ? "a list of strings" : "a string",
                json_kind(value));
    rf->bad = true;
    return true;
}

/* Parses one JSON document from data[0..len) (its first line is `line`,
 * its first byte at `offset` of what the caller calls the input) and
 * calls `fn`.  Returns VB_ENOMEM or VB_OK; *stop gets fn's result. */
static enum vb_status json_document(const char *where, unsigned line,
                                    const char *data, size_t len, size_t offset,
                                    vb_document_fn fn, void *ctx, int *stop,
                                    struct vb_error *err)
{
    struct doc_problems problems;
    struct raw_doc raw;
    struct vb_document *doc = NULL;
    json_t *root = NULL;
    enum vb_status status = VB_OK;
    doc_problems_init(&problems, where);
    raw_doc_init(&raw, line, true);
    *stop = 0;

    size_t bad = 0;
    if (len > VB_DOC_MAX_BYTES) {
        doc_problem(&problems, VB_ELIMIT, line,
                    "document is %zu bytes; the limit is %u", len,
                    VB_DOC_MAX_BYTES);
        goto report;
    }
    if (!doc_utf8_valid(data, len, &bad)) {
        unsigned at = line + doc_line_of(data, bad) - 1;
        if (data[bad])
            doc_problem(&problems, VB_EUTF8, at,
                        "invalid UTF-8 at byte offset %zu (byte 0x%02x)",
                        offset + bad, (unsigned char)data[bad]);
        else
            doc_problem(&problems, VB_EUTF8, at, "NUL byte at byte offset %zu",
                        offset + bad);
        goto report;
    }
    json_error_t jerr;
    root =
        json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!root) {
        if (json_error_code(&jerr) == json_error_out_of_memory) {
            status = vb_error_set(err, VB_ENOMEM, "%s:%u: out of memory", where,
                                  line);
            goto out;
        }
        unsigned at = line + (unsigned)(jerr.line > 0 ? jerr.line - 1 : 0);
        doc_problem(&problems, VB_EINVAL, at,
                    "invalid JSON at line %u, column %d: %s", at,
                    jerr.column > 0 ? jerr.column : 1, jerr.text);
        goto report;
    }
    if (!json_is_object(root)) {
        doc_problem(&problems, VB_EINVAL, line,
                    "expected a JSON object with the document's fields, not %s",
                    json_kind(root));
        goto report;
    }
    const char *key;
    json_t *value;
    json_object_foreach(root, key, value)
    {
        size_t key_len = strlen(key);
        int field = doc_field_lookup(key, key_len, true);
        if (field < 0) {
            doc_unknown_field(&problems, line, key, key_len, true);
            continue;
        }
        /* jansson already rejected duplicate keys; this cannot fail. */
        raw_field_begin(&raw, &problems, (enum doc_field)field, line);
        if (!take_value(&problems, (enum doc_field)field, &raw.fields[field],
                        value)) {
            status = vb_error_set(err, VB_ENOMEM, "%s:%u: out of memory", where,
                                  line);
            goto out;
        }
    }
    if (doc_build(&raw, &problems, &doc) != VB_OK) {
        status =
            vb_error_set(err, VB_ENOMEM, "%s:%u: out of memory", where, line);
        goto out;
    }
    if (doc) {
        *stop = fn(ctx, doc, NULL, 0);
        goto out;
    }
report:
    *stop = doc_problems_report(&problems, fn, ctx);
out:
    json_decref(root);
    raw_doc_cleanup(&raw);
    return status;
}

enum vb_status vb_document_read_json(const char *where, unsigned line,
                                     const char *data, size_t len,
                                     vb_document_fn fn, void *ctx,
                                     struct vb_error *err)
{
    int stop;
    return json_document(where, line, data, len, 0, fn, ctx, &stop, err);
}

bool doc_jsonl_line(const char *path, unsigned line, const char *data,
                    size_t len, size_t offset, vb_document_fn fn, void *ctx,
                    enum vb_status *status, struct vb_error *err)
{
    int stop = 0;
    *status = json_document(path, line, data, len, offset, fn, ctx, &stop, err);
    return *status == VB_OK && !stop;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

enum vb_status vb_document_read_jsonl(const char *path, const char *data,
                                      size_t len, vb_document_fn fn, void *ctx,
                                      struct vb_error *err)
{
    size_t pos = 0;
    unsigned line = 1;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    while (pos < len) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len;
        size_t n = end - pos;
        if (n && data[pos + n - 1] == '\r')
            n--;
        enum vb_status status = VB_OK;
        if (!blank(data + pos, n) &&
            !doc_jsonl_line(path, line, data + pos, n, pos, fn, ctx, &status,
                            err))
            return status;
        pos = end + 1;
        line++;
    }
    return VB_OK;
}
