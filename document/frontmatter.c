/* frontmatter.c — Markdown files with YAML front matter.
 *
 * The front matter is read with libyaml's event parser, which never
 * builds a tree: aliases are refused (no "billion laughs"), nested values
 * are skipped after one message, and every key keeps its line. */
#include "document_int.h"

#include <stdio.h>
#include <string.h>
#include <yaml.h>

struct yreader {
    yaml_parser_t parser;
    struct doc_problems *problems;
    struct raw_doc *raw;
    const char *yaml;
    size_t yaml_len;
    unsigned line0; /* file line of the first front-matter line */
    bool oom;
};

static unsigned event_line(const struct yreader *y, const yaml_event_t *ev)
{
    return y->line0 + (unsigned)ev->start_mark.line;
}

/* Next event, or false after reporting the parser's error. */
static bool next_event(struct yreader *y, yaml_event_t *ev)
{
    if (yaml_parser_parse(&y->parser, ev))
        return true;
    const yaml_parser_t *ps = &y->parser;
    if (ps->error == YAML_MEMORY_ERROR) {
        y->oom = true;
        return false;
    }
    const char *problem = ps->problem ? ps->problem : "syntax error";
    if (ps->error == YAML_READER_ERROR) {
        size_t at =
            ps->problem_offset < y->yaml_len ? ps->problem_offset : y->yaml_len;
        doc_problem(y->problems, VB_EINVAL,
                    y->line0 + doc_line_of(y->yaml, at) - 1,
                    "invalid YAML: %s (character U+%04X)", problem,
                    (unsigned)ps->problem_value);
        return false;
    }
    unsigned line = y->line0 + (unsigned)ps->problem_mark.line;
    if (ps->context)
        doc_problem(y->problems, VB_EINVAL, line,
                    "invalid YAML at line %u, column %zu: %s %s", line,
                    ps->problem_mark.column + 1, ps->context, problem);
    else
        doc_problem(y->problems, VB_EINVAL, line,
                    "invalid YAML at line %u, column %zu: %s", line,
                    ps->problem_mark.column + 1, problem);
    return false;
}

/* Skips the rest of a collection whose start event was just read. */
static bool skip_collection(struct yreader *y)
{
    int depth = 1;
    while (depth > 0) {
        yaml_event_t ev;
        if (!next_event(y, &ev))
            return false;
        if (ev.type == YAML_SEQUENCE_START_EVENT ||
            ev.type == YAML_MAPPING_START_EVENT)
            depth++;
        else if (ev.type == YAML_SEQUENCE_END_EVENT ||
                 ev.type == YAML_MAPPING_END_EVENT)
            depth--;
        yaml_event_delete(&ev);
    }
    return true;
}

/* Skips the node that starts with `ev` (already read). */
static bool skip_node(struct yreader *y, const yaml_event_t *ev)
{
    if (ev->type == YAML_SEQUENCE_START_EVENT ||
        ev->type == YAML_MAPPING_START_EVENT)
        return skip_collection(y);
    return true;
}

static bool is_null(const yaml_event_t *ev)
{
    if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *v = (const char *)ev->data.scalar.value;
    return !v[0] || !strcmp(v, "~") || !strcmp(v, "null") ||
           !strcmp(v, "Null") || !strcmp(v, "NULL");
}

static const char *node_kind(const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_SEQUENCE_START_EVENT: return "a list";
    case YAML_MAPPING_START_EVENT: return "a mapping";
    case YAML_ALIAS_EVENT: return "an alias (aliases are not supported)";
    default: return "a value";
    }
}

/* Reads a list value (the SEQUENCE_START was just read). */
static bool read_list(struct yreader *y, enum doc_field field,
                      struct raw_field *rf)
{
    size_t index = 0;
    for (;;) {
        yaml_event_t ev;
        if (!next_event(y, &ev))
            return false;
        bool ok = true;
        index++;
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return true;
        } else if (ev.type == YAML_SCALAR_EVENT) {
            const char *v =
                is_null(&ev) ? "" : (const char *)ev.data.scalar.value;
            size_t n = is_null(&ev) ? 0 : ev.data.scalar.length;
            if (!raw_field_add_item(rf, v, n, event_line(y, &ev))) {
                y->oom = true;
                ok = false;
            }
        } else {
            doc_problem(y->problems, VB_EINVAL, event_line(y, &ev),
                        "'%s' entry %zu must be a string, not %s",
                        doc_field_name(field), index, node_kind(&ev));
            ok = skip_node(y, &ev);
        }
        yaml_event_delete(&ev);
        if (!ok)
            return false;
    }
}

/* Reads the value of a known field (key already recorded). */
static bool read_value(struct yreader *y, enum doc_field field, bool keep)
{
    yaml_event_t ev;
    if (!next_event(y, &ev))
        return false;
    struct raw_field *rf = &y->raw->fields[field];
    bool ok = true;
    if (!keep) {
        ok = skip_node(y, &ev);
    } else if (ev.type == YAML_SCALAR_EVENT) {
        if (is_null(&ev))
            ; /* present, no value */
        else if (doc_field_is_list(field))
            ok = raw_field_add_item(rf, (const char *)ev.data.scalar.value,
                                    ev.data.scalar.length, event_line(y, &ev));
        else
            ok = raw_field_set(rf, (const char *)ev.data.scalar.value,
                               ev.data.scalar.length);
        if (!ok)
            y->oom = true;
    } else if (ev.type == YAML_SEQUENCE_START_EVENT &&
               doc_field_is_list(field)) {
        ok = read_list(y, field, rf);
    } else {
        doc_problem(y->problems, VB_EINVAL, event_line(y, &ev),
                    "'%s' must be %s, not %s", doc_field_name(field),
                    doc_field_is_list(field) ? "a list of strings"
                                             : "a single value",
                    node_kind(&ev));
        rf->bad = true;
        ok = skip_node(y, &ev);
    }
    yaml_event_delete(&ev);
    return ok;
}

/* Reads the mapping of fields (MAPPING_START was just read). */
static bool read_mapping(struct yreader *y)
{
    for (;;) {
        yaml_event_t key;
        if (!next_event(y, &key))
            return false;
        if (key.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&key);
            return true;
        }
        unsigned line = event_line(y, &key);
        bool ok = true;
        if (key.type != YAML_SCALAR_EVENT) {
            doc_problem(y->problems, VB_EINVAL, line,
                        "field names must be plain words, not %s",
                        node_kind(&key));
            ok = skip_node(y, &key) && read_value(y, DOC_F_ID, false);
            yaml_event_delete(&key);
            if (!ok)
                return false;
            continue;
        }
        const char *name = (const char *)key.data.scalar.value;
        size_t len = key.data.scalar.length;
        int field = doc_field_lookup(name, len, false);
        if (field < 0) {
            doc_unknown_field(y->problems, line, name, len, false);
            ok = read_value(y, DOC_F_ID, false);
        } else {
            bool keep = raw_field_begin(y->raw, y->problems,
                                        (enum doc_field)field, line);
            ok = read_value(y, (enum doc_field)field, keep);
        }
        yaml_event_delete(&key);
        if (!ok)
            return false;
    }
}

/* Parses the front matter into y->raw; false when parsing stopped (a
 * problem was reported, or y->oom). */
static bool read_front_matter(struct yreader *y)
{
    yaml_event_t ev;
    if (!next_event(y, &ev)) /* STREAM_START */
        return false;
    yaml_event_delete(&ev);
    if (!next_event(y, &ev))
        return false;
    if (ev.type == YAML_STREAM_END_EVENT) { /* empty front matter */
        yaml_event_delete(&ev);
        return true;
    }
    yaml_event_delete(&ev); /* DOCUMENT_START */
    if (!next_event(y, &ev))
        return false;
    bool ok = true;
    if (ev.type == YAML_MAPPING_START_EVENT) {
        ok = read_mapping(y);
    } else if (ev.type == YAML_SCALAR_EVENT && is_null(&ev)) {
        ; /* only comments */
    } else {
        doc_problem(y->problems, VB_EINVAL, event_line(y, &ev),
                    "front matter must be 'field: value' lines, not %s",
                    ev.type == YAML_SCALAR_EVENT ? "plain text"
                                                 : node_kind(&ev));
        ok = skip_node(y, &ev);
    }
    yaml_event_delete(&ev);
    if (!ok || !next_event(y, &ev)) /* DOCUMENT_END */
        return false;
    yaml_event_delete(&ev);
    if (!next_event(y, &ev))
        return false;
    if (ev.type == YAML_DOCUMENT_START_EVENT) {
        doc_problem(y->problems, VB_EINVAL, event_line(y, &ev),
                    "front matter holds more than one YAML document");
        ok = false;
    }
    yaml_event_delete(&ev);
    return ok;
}

/* libyaml's time grows with the square of the flow nesting depth ('[' and
 * '{'): 60,000 levels take seconds.  No front matter needs more than a
 * few, so deeper input is refused before libyaml sees it.  Comments are
 * skipped; brackets inside quoted strings count too (erring on the safe
 * side: only an absurd title could trip over that). */
#define FLOW_DEPTH_MAX 32

static bool flow_too_deep(const char *s, size_t len, size_t *at)
{
    int depth = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' ||
                         s[i - 1] == '\n')) {
            while (i < len && s[i] != '\n')
                i++;
        } else if (c == '[' || c == '{') {
            if (++depth > FLOW_DEPTH_MAX) {
                *at = i;
                return true;
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return false;
}

/* If the line at data[*pos..) is "---" (trailing blanks and CR allowed),
 * moves *pos past it and returns true. */
static bool delimiter_line(const char *data, size_t len, size_t *pos)
{
    size_t i = *pos;
    if (len - i < 3 || memcmp(data + i, "---", 3) != 0)
        return false;
    i += 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r'))
        i++;
    if (i < len && data[i] != '\n')
        return false;
    *pos = i < len ? i + 1 : i;
    return true;
}

enum vb_status vb_document_read_markdown(const char *path, const char *data,
                                         size_t len, vb_document_fn fn,
                                         void *ctx, struct vb_error *err)
{
    struct doc_problems problems;
    struct raw_doc raw;
    struct vb_document *doc = NULL;
    enum vb_status status = VB_OK;
    doc_problems_init(&problems, path);
    raw_doc_init(&raw, 1, false);

    size_t bad = 0;
    if (len > VB_DOC_MAX_BYTES) {
        doc_problem(&problems, VB_ELIMIT, 1,
                    "document is %zu bytes; the limit is %u", len,
                    VB_DOC_MAX_BYTES);
        goto report;
    }
    if (!doc_utf8_valid(data, len, &bad)) {
        if (data[bad])
            doc_problem(&problems, VB_EUTF8, doc_line_of(data, bad),
                        "invalid UTF-8 at byte offset %zu (byte 0x%02x)", bad,
                        (unsigned char)data[bad]);
        else
            doc_problem(&problems, VB_EUTF8, doc_line_of(data, bad),
                        "NUL byte at byte offset %zu", bad);
        goto report;
    }
    size_t pos = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    if (!delimiter_line(data, len, &pos)) {
        doc_problem(
            &problems, VB_EINVAL, 1,
            "missing front matter: the file must start with a '---' line, "
            "then the fields, then another '---' line");
        goto report;
    }
    size_t yaml_start = pos, yaml_end = 0;
    bool closed = false;
    while (pos < len) {
        size_t line_start = pos;
        if (delimiter_line(data, len, &pos)) {
            yaml_end = line_start;
            closed = true;
            break;
        }
        const char *nl = memchr(data + pos, '\n', len - pos);
        pos = nl ? (size_t)(nl - data) + 1 : len;
    }
    if (!closed) {
        doc_problem(
            &problems, VB_EINVAL, 1,
            "front matter is not closed: no '---' line after the opening one");
        goto report;
    }
    raw.body = data + pos;
    raw.body_len = len - pos;

    size_t deep;
    if (flow_too_deep(data + yaml_start, yaml_end - yaml_start, &deep)) {
        doc_problem(&problems, VB_ELIMIT, doc_line_of(data, yaml_start + deep),
                    "front matter nests '[' and '{' more than %d levels deep",
                    FLOW_DEPTH_MAX);
        goto report;
    }
    struct yreader y = {.problems = &problems,
                        .raw = &raw,
                        .yaml = data + yaml_start,
                        .yaml_len = yaml_end - yaml_start,
                        .line0 = 2};
    if (!yaml_parser_initialize(&y.parser)) {
        status = vb_error_set(err, VB_ENOMEM, "%s: out of memory", path);
        goto out;
    }
    yaml_parser_set_input_string(&y.parser, (const unsigned char *)y.yaml,
                                 y.yaml_len);
    yaml_parser_set_encoding(&y.parser, YAML_UTF8_ENCODING);
    bool parsed = read_front_matter(&y);
    yaml_parser_delete(&y.parser);
    if (y.oom) {
        status = vb_error_set(err, VB_ENOMEM, "%s: out of memory", path);
        goto out;
    }
    if (!parsed)
        goto report; /* fields after a syntax error are unknown: no build */
    if (doc_build(&raw, &problems, &doc) != VB_OK) {
        status = vb_error_set(err, VB_ENOMEM, "%s: out of memory", path);
        goto out;
    }
    if (doc) {
        fn(ctx, doc, NULL, 0);
        doc = NULL;
        goto out;
    }
report:
    doc_problems_report(&problems, fn, ctx);
out:
    raw_doc_cleanup(&raw);
    return status;
}
