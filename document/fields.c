/* fields.c — Contract 1's field names and the raw fields a reader
 * fills in (frontmatter.c, json.c) before validate.c judges them. */
#include "document_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ==== Fields ============================================================ */

static const char *const field_names[DOC_F_COUNT] = {
    [DOC_F_ID] = "id",
    [DOC_F_TYPE] = "type",
    [DOC_F_LANG] = "lang",
    [DOC_F_TITLE] = "title",
    [DOC_F_GROUP] = "group",
    [DOC_F_TAGS] = "tags",
    [DOC_F_PRODUCTS] = "products",
    [DOC_F_UPDATED] = "updated",
    [DOC_F_CUSTOMER] = "customer",
    [DOC_F_CHANNEL] = "channel",
    [DOC_F_DATE] = "date",
    [DOC_F_OWNER] = "owner",
    [DOC_F_REVIEW_BY] = "review_by",
    [DOC_F_VALID_UNTIL] = "valid_until",
    [DOC_F_TENANT] = "tenant",
    [DOC_F_BODY] = "body",
    [DOC_F_BODY_HTML] = "body_html",
};

const char *doc_field_name(enum doc_field field)
{
    return field_names[field];
}

bool doc_field_is_list(enum doc_field field)
{
    return field == DOC_F_TAGS || field == DOC_F_PRODUCTS;
}

static int field_limit(bool from_json)
{
    return from_json ? DOC_F_COUNT : DOC_F_BODY;
}

int doc_field_lookup(const char *name, size_t len, bool from_json)
{
    for (int f = 0; f < field_limit(from_json); f++)
        if (strlen(field_names[f]) == len &&
            memcmp(field_names[f], name, len) == 0)
            return f;
    return -1;
}

/* Optimal string alignment distance, ASCII case-insensitive; capped. */
static size_t edit_distance(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);
    if (alen > 40)
        return 99;
    size_t d[42][42];
    for (size_t i = 0; i <= alen; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= blen; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= alen; i++) {
        for (size_t j = 1; j <= blen; j++) {
            int ca = tolower((unsigned char)a[i - 1]);
            int cb = tolower((unsigned char)b[j - 1]);
            size_t best = d[i - 1][j - 1] + (ca != cb);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                cb == tolower((unsigned char)a[i - 2]) &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[alen][blen];
}

void doc_unknown_field(struct doc_problems *p, unsigned line, const char *name,
                       size_t len, bool from_json)
{
    char quoted[80];
    doc_quote(quoted, sizeof quoted, name, len);
    if (!from_json && (doc_field_lookup(name, len, true) >= 0)) {
        doc_problem(p, VB_EINVAL, line,
                    "field %s is not allowed in front matter: the body goes "
                    "after the closing '---' line",
                    quoted);
        return;
    }
    static const struct {
        const char *alias, *field;
    } aliases[] = {
        {"language", "lang"},    {"langue", "lang"},
        {"taal", "lang"},        {"titre", "title"},
        {"product", "products"}, {"tag", "tags"},
        {"keywords", "tags"},    {"customer_id", "customer"},
        {"html", "body_html"},   {"text", "body"},
    };
    const char *suggest = NULL;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strlen(aliases[i].alias) == len &&
            strncasecmp(aliases[i].alias, name, len) == 0 &&
            doc_field_lookup(aliases[i].field, strlen(aliases[i].field),
                             from_json) >= 0)
            suggest = aliases[i].field;
    size_t best = 99;
    for (int f = 0; !suggest && f < field_limit(from_json); f++) {
        size_t d = edit_distance(name, len, field_names[f]);
        size_t allowed = strlen(field_names[f]) <= 4 ? 1 : 2;
        if (d <= allowed && d < best) {
            best = d;
            suggest = field_names[f];
        }
    }
    if (suggest)
        doc_problem(p, VB_EINVAL, line, "unknown field %s (did you mean '%s'?)",
                    quoted, suggest);
    else
        doc_problem(p, VB_EINVAL, line,
                    "unknown field %s (known: id, type, lang, title, group, "
                    "tags, products, updated, owner, review_by, valid_until, "
                    "customer, channel, date, tenant%s)",
                    quoted, from_json ? ", body, body_html" : "");
}

void raw_doc_init(struct raw_doc *raw, unsigned line, bool from_json)
{
    memset(raw, 0, sizeof *raw);
    raw->line = line;
    raw->from_json = from_json;
}

void raw_doc_cleanup(struct raw_doc *raw)
{
    for (int f = 0; f < DOC_F_COUNT; f++) {
        struct raw_field *rf = &raw->fields[f];
        free(rf->value);
        for (size_t i = 0; i < rf->item_count; i++)
            free(rf->items[i]);
        free(rf->items);
        free(rf->item_lines);
    }
    memset(raw->fields, 0, sizeof raw->fields);
}

bool raw_field_begin(struct raw_doc *raw, struct doc_problems *p,
                     enum doc_field field, unsigned line)
{
    struct raw_field *rf = &raw->fields[field];
    if (rf->present) {
        doc_problem(p, VB_EINVAL, line,
                    "duplicate field '%s' (first at line %u)",
                    field_names[field], rf->line);
        return false;
    }
    rf->present = true;
    rf->line = line;
    return true;
}

char *doc_copy_bytes(const char *s, size_t len)
{
    char *c = malloc(len + 1);
    if (c) {
        if (len)
            memcpy(c, s, len);
        c[len] = '\0';
    }
    return c;
}

bool raw_field_set(struct raw_field *f, const char *s, size_t len)
{
    free(f->value);
    f->value = doc_copy_bytes(s, len);
    f->value_len = len;
    return f->value != NULL;
}

bool raw_field_add_item(struct raw_field *f, const char *s, size_t len,
                        unsigned line)
{
    if (f->item_count == f->item_cap) {
        size_t cap = f->item_cap ? f->item_cap * 2 : 8;
        char **items = realloc(f->items, cap * sizeof *items);
        if (!items)
            return false;
        f->items = items;
        unsigned *lines = realloc(f->item_lines, cap * sizeof *lines);
        if (!lines)
            return false;
        f->item_lines = lines;
        f->item_cap = cap;
    }
    char *c = doc_copy_bytes(s, len);
    if (!c)
        return false;
    f->items[f->item_count] = c;
    f->item_lines[f->item_count] = line;
    f->item_count++;
    return true;
}
