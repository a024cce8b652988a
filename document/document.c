/* document.c — the document record, validation, problems, file reading.
 *
 * The readers (frontmatter.c, json.c) only translate syntax into a
 * struct raw_doc; every rule of Contract 1 lives in doc_build below, so
 * Markdown and JSON documents are held to exactly the same rules. */
#include "document_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ==== Lines ============================================================= */

unsigned doc_line_of(const char *data, size_t offset)
{
    unsigned line = 1;
    for (const char *p = data;
         (p = memchr(p, '\n', offset - (size_t)(p - data))); p++)
        line++;
    return line;
}

/* ==== Problems ========================================================== */

void doc_problems_init(struct doc_problems *p, const char *path)
{
    p->path = path;
    p->count = 0;
    p->dropped = 0;
}

void doc_problem(struct doc_problems *p, enum vb_status code, unsigned line,
                 const char *fmt, ...)
{
    if (p->count == VB_DOC_PROBLEMS_MAX) {
        p->dropped++;
        return;
    }
    struct vb_error *e = &p->items[p->count++];
    e->code = code;
    /* Line 0: a problem of the whole file ("path: message"). */
    int n = line ? snprintf(e->msg, sizeof e->msg, "%s:%u: ", p->path, line)
                 : snprintf(e->msg, sizeof e->msg, "%s: ", p->path);
    if (n < 0 || (size_t)n >= sizeof e->msg)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg + n, sizeof e->msg - (size_t)n, fmt, ap);
    va_end(ap);
}

int doc_problems_report(struct doc_problems *p, vb_document_fn fn, void *ctx)
{
    if (p->dropped) {
        struct vb_error *last = &p->items[p->count - 1];
        size_t used = strlen(last->msg);
        snprintf(last->msg + used, sizeof last->msg - used,
                 " (and %zu more problems)", p->dropped);
    }
    return fn(ctx, NULL, p->items, p->count);
}

void doc_quote(char *out, size_t size, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    if (size < 8) {
        if (size)
            out[0] = '\0';
        return;
    }
    size_t room = size - 5; /* quote, "...", quote, NUL */
    out[o++] = '\'';
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t n = 1;
        if (c >= 0xC0)
            n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (i + n > len)
            n = len - i;
        bool escape = c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xC0);
        size_t want = escape ? 4 : n;
        if (o + want > room) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        if (escape) {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
            i++;
        } else {
            memcpy(out + o, s + i, n);
            o += n;
            i += n;
        }
    }
    out[o++] = '\'';
    out[o] = '\0';
}

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

bool vb_document_tenant_ok(const char *s, size_t len)
{
    if (!s || len == 0 || len > VB_DOC_TENANT_MAX)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
              s[i] == '-'))
            return false;
    return true;
}

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

static char *copy_bytes(const char *s, size_t len)
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
    f->value = copy_bytes(s, len);
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
    char *c = copy_bytes(s, len);
    if (!c)
        return false;
    f->items[f->item_count] = c;
    f->item_lines[f->item_count] = line;
    f->item_count++;
    return true;
}

/* ==== Validation ======================================================== */

/* Folds runs of ASCII whitespace to one space and trims, into a new
 * string.  Returns 1 with *bad set when another control character occurs,
 * -1 when memory ran out, 0 otherwise. */
static int fold_line(const char *s, size_t len, char **out, size_t *bad)
{
    *out = NULL;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && !(c >= '\t' && c <= '\r')) || c == 0x7F) {
            *bad = i;
            return 1;
        }
    }
    char *r = malloc(len + 1);
    if (!r)
        return -1;
    size_t o = 0;
    bool space = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || (c >= '\t' && c <= '\r')) {
            space = o > 0;
            continue;
        }
        if (space)
            r[o++] = ' ';
        space = false;
        r[o++] = (char)c;
    }
    r[o] = '\0';
    *out = r;
    return 0;
}

static bool is_name_char(unsigned char c)
{
    return isalnum(c) || c == '.' || c == '_' || c == '-';
}

/* [A-Za-z0-9._-]{1,max} */
static bool valid_name(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_name_char((unsigned char)s[i]))
            return false;
    return true;
}

/* [a-z][a-z0-9_-]{0,31} */
static bool valid_slug(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > VB_DOC_TYPE_MAX || !(s[0] >= 'a' && s[0] <= 'z'))
        return false;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-'))
            return false;
    }
    return true;
}

static void ascii_lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

static bool digits(const char *s, size_t n, int *value)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *value = v;
    return true;
}

/* Checks an ISO 8601 date or date-time; NULL when valid, else the reason
 * (written into buf). */
static const char *check_datetime(const char *s, char *buf, size_t size)
{
    static const char shape[] =
        "expected YYYY-MM-DD or YYYY-MM-DDThh:mm:ss followed by Z or +hh:mm";
    size_t n = strlen(s);
    int year, month, day, hour, minute, second;
    if (n < 10 || !digits(s, 4, &year) || s[4] != '-' ||
        !digits(s + 5, 2, &month) || s[7] != '-' || !digits(s + 8, 2, &day))
        return shape;
    if (year < 1)
        return "year 0000 is out of range";
    if (month < 1 || month > 12) {
        snprintf(buf, size, "month %02d is out of range (01-12)", month);
        return buf;
    }
    static const int mdays[12] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int last = mdays[month - 1] + (month == 2 && leap);
    if (day < 1 || day > last) {
        snprintf(buf, size, "day %02d is out of range for %04d-%02d (01-%02d)",
                 day, year, month, last);
        return buf;
    }
    if (n == 10)
        return NULL;
    if (n < 19 || s[10] != 'T' || !digits(s + 11, 2, &hour) || s[13] != ':' ||
        !digits(s + 14, 2, &minute) || s[16] != ':' ||
        !digits(s + 17, 2, &second))
        return shape;
    if (hour > 23) {
        snprintf(buf, size, "hour %02d is out of range (00-23)", hour);
        return buf;
    }
    if (minute > 59) {
        snprintf(buf, size, "minute %02d is out of range (00-59)", minute);
        return buf;
    }
    if (second > 59) {
        snprintf(buf, size, "second %02d is out of range (00-59)", second);
        return buf;
    }
    size_t i = 19;
    if (s[i] == '.') {
        size_t start = ++i;
        while (s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == start || i - start > 9)
            return "fraction of a second must have 1 to 9 digits";
    }
    if (s[i] == '\0')
        return "a date-time needs a time zone: Z or +hh:mm / -hh:mm after the "
               "seconds";
    if (s[i] == 'Z' && s[i + 1] == '\0')
        return NULL;
    int oh, om;
    if ((s[i] != '+' && s[i] != '-') || n - i != 6 ||
        !digits(s + i + 1, 2, &oh) || s[i + 3] != ':' ||
        !digits(s + i + 4, 2, &om))
        return "a date-time needs a time zone: Z or +hh:mm / -hh:mm after the "
               "seconds";
    if (oh > 23 || om > 59) {
        snprintf(buf, size, "offset %s is out of range", s + i);
        return buf;
    }
    return NULL;
}

/* Folds a scalar field into vals[field] ("" when absent or null).  Returns
 * false only when memory ran out; reports a control character. */
static bool take_scalar(struct raw_doc *raw, struct doc_problems *p,
                        enum doc_field field, char **vals, bool *reported)
{
    struct raw_field *rf = &raw->fields[field];
    reported[field] = rf->bad;
    if (!rf->present || rf->bad || !rf->value) {
        vals[field] = copy_bytes("", 0);
        return vals[field] != NULL;
    }
    size_t bad = 0;
    int r = fold_line(rf->value, rf->value_len, &vals[field], &bad);
    if (r < 0)
        return false;
    if (r > 0) {
        doc_problem(
            p, VB_EINVAL, rf->line,
            "'%s' contains control character U+%04X at byte %zu of the value",
            field_names[field], (unsigned char)rf->value[bad], bad);
        reported[field] = true;
        vals[field] = copy_bytes("", 0);
        return vals[field] != NULL;
    }
    return true;
}

/* Validates and folds a list field into doc's array.  False on OOM. */
static bool take_list(struct raw_doc *raw, struct doc_problems *p,
                      enum doc_field field, char ***items_out,
                      size_t *count_out)
{
    struct raw_field *rf = &raw->fields[field];
    const char *name = field_names[field];
    *items_out = NULL;
    *count_out = 0;
    if (!rf->present || rf->item_count == 0)
        return true;
    if (rf->item_count > VB_DOC_LIST_MAX) {
        doc_problem(p, VB_ELIMIT, rf->line,
                    "'%s' has %zu entries; the limit is %d", name,
                    rf->item_count, VB_DOC_LIST_MAX);
        return true;
    }
    char **items = calloc(rf->item_count, sizeof *items);
    if (!items)
        return false;
    size_t count = 0;
    for (size_t i = 0; i < rf->item_count; i++) {
        unsigned line = rf->item_lines[i];
        size_t bad = 0;
        char *folded;
        int r = fold_line(rf->items[i], strlen(rf->items[i]), &folded, &bad);
        if (r < 0)
            goto oom;
        if (r > 0) {
            doc_problem(p, VB_EINVAL, line,
                        "'%s' entry %zu contains control character U+%04X",
                        name, i + 1, (unsigned char)rf->items[i][bad]);
            continue;
        }
        size_t n = strlen(folded);
        if (n == 0) {
            doc_problem(p, VB_EINVAL, line, "'%s' entry %zu is empty", name,
                        i + 1);
            free(folded);
            continue;
        }
        if (n > VB_DOC_TAG_MAX) {
            doc_problem(p, VB_ELIMIT, line,
                        "'%s' entry %zu is %zu bytes; the limit is %d", name,
                        i + 1, n, VB_DOC_TAG_MAX);
            free(folded);
            continue;
        }
        bool dup = false;
        for (size_t k = 0; k < count && !dup; k++)
            dup = strcmp(items[k], folded) == 0;
        if (dup) {
            free(folded);
            continue;
        }
        items[count++] = folded;
    }
    if (count == 0) {
        free(items);
        return true;
    }
    *items_out = items;
    *count_out = count;
    return true;
oom:
    for (size_t k = 0; k < count; k++)
        free(items[k]);
    free(items);
    return false;
}

static void require(struct raw_doc *raw, struct doc_problems *p,
                    enum doc_field field, const char *value,
                    const bool *reported, const char *why)
{
    if (value[0] || reported[field])
        return;
    struct raw_field *rf = &raw->fields[field];
    if (rf->present)
        doc_problem(p, VB_EINVAL, rf->line, "'%s' is empty%s",
                    field_names[field], why);
    else
        doc_problem(p, VB_EINVAL, raw->line, "missing required field '%s'%s",
                    field_names[field], why);
}

static void check_name_field(struct raw_doc *raw, struct doc_problems *p,
                             enum doc_field field, const char *value,
                             size_t max, const bool *reported)
{
    if (!value[0] || reported[field] || valid_name(value, max))
        return;
    char quoted[64];
    doc_quote(quoted, sizeof quoted, value, strlen(value));
    if (strlen(value) > max)
        doc_problem(p, VB_ELIMIT, raw->fields[field].line,
                    "'%s' is %zu bytes; the limit is %zu", field_names[field],
                    strlen(value), max);
    else
        doc_problem(
            p, VB_EINVAL, raw->fields[field].line,
            "'%s' %s may only contain letters A-Z a-z, digits, '.', '_' "
            "and '-'",
            field_names[field], quoted);
}

static void check_date_field(struct raw_doc *raw, struct doc_problems *p,
                             enum doc_field field, const char *value,
                             const bool *reported)
{
    if (!value[0] || reported[field])
        return;
    char buf[96];
    const char *why = check_datetime(value, buf, sizeof buf);
    if (!why)
        return;
    char quoted[64];
    doc_quote(quoted, sizeof quoted, value, strlen(value));
    doc_problem(p, VB_EINVAL, raw->fields[field].line,
                "'%s' %s is not an ISO 8601 date: %s", field_names[field],
                quoted, why);
}

static void history_only(struct raw_doc *raw, struct doc_problems *p,
                         enum doc_field field, const char *value,
                         const char *type)
{
    if (value[0])
        doc_problem(p, VB_EINVAL, raw->fields[field].line,
                    "'%s' is only allowed for type history, not '%s'",
                    field_names[field], type);
}

enum vb_status doc_build(struct raw_doc *raw, struct doc_problems *p,
                         struct vb_document **out)
{
    enum vb_status status = VB_ENOMEM;
    char *vals[DOC_F_COUNT] = {0};
    bool reported[DOC_F_COUNT] = {0};
    struct dbuf text = {0};
    struct vb_document *doc = calloc(1, sizeof *doc);
    *out = NULL;
    if (!doc)
        goto out;

    static const enum doc_field scalars[] = {
        DOC_F_ID,       DOC_F_TYPE,     DOC_F_LANG,     DOC_F_TITLE,
        DOC_F_GROUP,    DOC_F_UPDATED,  DOC_F_CUSTOMER, DOC_F_CHANNEL,
        DOC_F_DATE,     DOC_F_OWNER,    DOC_F_REVIEW_BY, DOC_F_VALID_UNTIL,
        DOC_F_TENANT};
    for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++)
        if (!take_scalar(raw, p, scalars[i], vals, reported))
            goto out;

    /* id, type, title: required everywhere. */
    require(raw, p, DOC_F_ID, vals[DOC_F_ID], reported, "");
    check_name_field(raw, p, DOC_F_ID, vals[DOC_F_ID], VB_DOC_ID_MAX, reported);

    char quoted[64];
    char *type = vals[DOC_F_TYPE];
    ascii_lower(type);
    require(raw, p, DOC_F_TYPE, type, reported,
            " (product, procedure, history or another lower-case word)");
    bool type_ok = type[0] && !reported[DOC_F_TYPE] && valid_slug(type);
    if (type[0] && !reported[DOC_F_TYPE] && !type_ok) {
        doc_quote(quoted, sizeof quoted, type, strlen(type));
        doc_problem(p, VB_EINVAL, raw->fields[DOC_F_TYPE].line,
                    "'type' %s must be product, procedure, history or another "
                    "word matching [a-z][a-z0-9_-]{0,31}",
                    quoted);
    }

    require(raw, p, DOC_F_TITLE, vals[DOC_F_TITLE], reported, "");
    if (strlen(vals[DOC_F_TITLE]) > VB_DOC_TITLE_MAX)
        doc_problem(p, VB_ELIMIT, raw->fields[DOC_F_TITLE].line,
                    "'title' is %zu bytes; the limit is %d",
                    strlen(vals[DOC_F_TITLE]), VB_DOC_TITLE_MAX);

    char *lang = vals[DOC_F_LANG];
    ascii_lower(lang);
    if (lang[0] && strcmp(lang, "nl") && strcmp(lang, "fr") &&
        strcmp(lang, "en")) {
        doc_quote(quoted, sizeof quoted, lang, strlen(lang));
        doc_problem(
            p, VB_EINVAL, raw->fields[DOC_F_LANG].line,
            "'lang' %s must be nl, fr or en (or be left out to detect it)",
            quoted);
    }

    check_name_field(raw, p, DOC_F_GROUP, vals[DOC_F_GROUP], VB_DOC_ID_MAX,
                     reported);
    check_date_field(raw, p, DOC_F_UPDATED, vals[DOC_F_UPDATED], reported);
    /* The editors' fields: who keeps an article right, and until when. */
    check_name_field(raw, p, DOC_F_OWNER, vals[DOC_F_OWNER], VB_DOC_ID_MAX,
                     reported);
    check_date_field(raw, p, DOC_F_REVIEW_BY, vals[DOC_F_REVIEW_BY], reported);
    check_date_field(raw, p, DOC_F_VALID_UNTIL, vals[DOC_F_VALID_UNTIL],
                     reported);

    /* The client a document belongs to (none: shared by all). */
    char *tenant = vals[DOC_F_TENANT];
    if (tenant[0] && !reported[DOC_F_TENANT] &&
        !vb_document_tenant_ok(tenant, strlen(tenant))) {
        doc_quote(quoted, sizeof quoted, tenant, strlen(tenant));
        doc_problem(p, VB_EINVAL, raw->fields[DOC_F_TENANT].line,
                    "'tenant' %s must match [a-z0-9-]{1,64} (the client it "
                    "belongs to; leave it out for a document every client "
                    "shares)",
                    quoted);
    }

    /* History fields. */
    char *channel = vals[DOC_F_CHANNEL];
    ascii_lower(channel);
    if (type_ok && strcmp(type, "history") == 0) {
        require(raw, p, DOC_F_CUSTOMER, vals[DOC_F_CUSTOMER], reported,
                " (type history needs the customer the event belongs to)");
        require(raw, p, DOC_F_DATE, vals[DOC_F_DATE], reported,
                " (type history needs the date of the event)");
        static const enum doc_field articles_only[] = {
            DOC_F_OWNER, DOC_F_REVIEW_BY, DOC_F_VALID_UNTIL};
        for (size_t i = 0; i < 3; i++)
            if (vals[articles_only[i]][0])
                doc_problem(p, VB_EINVAL, raw->fields[articles_only[i]].line,
                            "'%s' is for articles, not for type history",
                            field_names[articles_only[i]]);
    } else if (type_ok) {
        history_only(raw, p, DOC_F_CUSTOMER, vals[DOC_F_CUSTOMER], type);
        history_only(raw, p, DOC_F_CHANNEL, channel, type);
        history_only(raw, p, DOC_F_DATE, vals[DOC_F_DATE], type);
    }
    check_name_field(raw, p, DOC_F_CUSTOMER, vals[DOC_F_CUSTOMER],
                     VB_DOC_CUSTOMER_MAX, reported);
    check_date_field(raw, p, DOC_F_DATE, vals[DOC_F_DATE], reported);
    static const char *const channels[] = {"phone",  "email",  "chat",
                                           "social", "letter", "visit"};
    bool channel_ok = !channel[0];
    for (size_t i = 0; i < 6 && !channel_ok; i++)
        channel_ok = strcmp(channel, channels[i]) == 0;
    if (!channel_ok) {
        doc_quote(quoted, sizeof quoted, channel, strlen(channel));
        doc_problem(
            p, VB_EINVAL, raw->fields[DOC_F_CHANNEL].line,
            "'channel' %s must be phone, email, chat, social, letter or visit",
            quoted);
    }

    if (!take_list(raw, p, DOC_F_TAGS, &doc->tags, &doc->tag_count) ||
        !take_list(raw, p, DOC_F_PRODUCTS, &doc->products, &doc->product_count))
        goto out;

    /* The body. */
    const char *body = raw->body;
    size_t body_len = raw->body_len;
    doc->body_format = VB_DOCUMENT_BODY_MARKDOWN;
    struct raw_field *md = &raw->fields[DOC_F_BODY];
    struct raw_field *html = &raw->fields[DOC_F_BODY_HTML];
    if (md->value && html->value) {
        doc_problem(p, VB_EINVAL, html->line,
                    "both 'body' and 'body_html' are given; use one of them");
    } else if (md->value) {
        body = md->value;
        body_len = md->value_len;
    } else if (html->value) {
        body = html->value;
        body_len = html->value_len;
        doc->body_format = VB_DOCUMENT_BODY_HTML;
    }
    size_t bad = 0;
    if (body && !doc_utf8_valid(body, body_len, &bad)) {
        /* The readers validate their input; this catches an escaped NUL. */
        doc_problem(p, VB_EUTF8, raw->line,
                    "the body contains invalid UTF-8 or a NUL at byte %zu",
                    bad);
    }

    if (p->count) {
        status = VB_OK; /* rejected, not failed */
        goto out;
    }

    if (body) {
        bool ok = doc->body_format == VB_DOCUMENT_BODY_HTML
                      ? doc_html_to_text(body, body_len, &text)
                      : doc_markdown_to_text(body, body_len, &text);
        if (!ok)
            goto out;
    }
    doc->body_text = text.data ? dbuf_take(&text) : copy_bytes("", 0);
    doc->body_source = copy_bytes(body ? body : "", body ? body_len : 0);
    doc->source_path = copy_bytes(p->path, strlen(p->path));
    if (!doc->body_text || !doc->body_source || !doc->source_path)
        goto out;
    doc->source_line = raw->from_json || !raw->fields[DOC_F_ID].present
                           ? raw->line
                           : raw->fields[DOC_F_ID].line;
    doc->id = vals[DOC_F_ID];
    doc->type = vals[DOC_F_TYPE];
    doc->lang = vals[DOC_F_LANG];
    doc->title = vals[DOC_F_TITLE];
    doc->group = vals[DOC_F_GROUP];
    doc->updated = vals[DOC_F_UPDATED];
    doc->customer = vals[DOC_F_CUSTOMER];
    doc->channel = vals[DOC_F_CHANNEL];
    doc->date = vals[DOC_F_DATE];
    doc->owner = vals[DOC_F_OWNER];
    doc->review_by = vals[DOC_F_REVIEW_BY];
    doc->valid_until = vals[DOC_F_VALID_UNTIL];
    doc->tenant = vals[DOC_F_TENANT];
    memset(vals, 0, sizeof vals);
    *out = doc;
    doc = NULL;
    status = VB_OK;
out:
    for (int f = 0; f < DOC_F_COUNT; f++)
        free(vals[f]);
    dbuf_cleanup(&text);
    vb_document_free(doc);
    return status;
}

/* ==== The record ======================================================== */

void vb_document_free(struct vb_document *doc)
{
    if (!doc)
        return;
    free(doc->id);
    free(doc->type);
    free(doc->lang);
    free(doc->title);
    free(doc->group);
    for (size_t i = 0; i < doc->tag_count; i++)
        free(doc->tags[i]);
    free(doc->tags);
    for (size_t i = 0; i < doc->product_count; i++)
        free(doc->products[i]);
    free(doc->products);
    free(doc->updated);
    free(doc->owner);
    free(doc->tenant);
    free(doc->review_by);
    free(doc->valid_until);
    free(doc->customer);
    free(doc->channel);
    free(doc->date);
    free(doc->body_text);
    free(doc->body_source);
    free(doc->source_path);
    free(doc);
}

/* FNV-1a over length-prefixed fields, finished with MurmurHash3's fmix64
 * so that every input bit reaches every output bit. */
struct hasher {
    uint64_t h;
};

static void hash_bytes(struct hasher *s, const void *data, size_t len)
{
    const unsigned char *b = data;
    for (size_t i = 0; i < len; i++) {
        s->h ^= b[i];
        s->h *= 0x100000001b3ULL;
    }
}

static void hash_u64(struct hasher *s, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i)); /* same on every endianness */
    hash_bytes(s, b, 8);
}

static void hash_str(struct hasher *s, const char *str)
{
    size_t n = str ? strlen(str) : 0;
    hash_u64(s, n);
    hash_bytes(s, str ? str : "", n);
}

uint64_t vb_document_content_hash(const struct vb_document *doc)
{
    struct hasher s = {0xcbf29ce484222325ULL};
    hash_str(&s, "vb_document v1");
    if (!doc)
        return s.h;
    const char *fields[] = {doc->id,          doc->type,      doc->lang,
                            doc->title,       doc->group,     doc->updated,
                            doc->customer,    doc->channel,   doc->date,
                            doc->body_text,   doc->body_source, doc->owner,
                            doc->review_by,   doc->valid_until, doc->tenant};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        hash_str(&s, fields[i]);
    hash_u64(&s, doc->tag_count);
    for (size_t i = 0; i < doc->tag_count; i++)
        hash_str(&s, doc->tags[i]);
    hash_u64(&s, doc->product_count);
    for (size_t i = 0; i < doc->product_count; i++)
        hash_str(&s, doc->products[i]);
    hash_u64(&s, (uint64_t)doc->body_format);
    uint64_t h = s.h;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* ==== Reading files ===================================================== */

static bool has_extension(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n > e && strcasecmp(path + n - e, ext) == 0;
}

/* Reports "path: file changed while being read" as a problem of the
 * file (its documents read so far stand; the indexer keeps what it had of
 * the rest).  Returns whether to go on. */
static int changed_while_read(const char *path, vb_document_fn fn, void *ctx)
{
    struct doc_problems p;
    doc_problems_init(&p, path);
    doc_problem(&p, VB_EIO, 0, "file changed while being read");
    return doc_problems_report(&p, fn, ctx);
}

/* A Markdown file (at most VB_DOC_MAX_BYTES, `size` by fstat) read whole. */
static enum vb_status read_markdown_file(const char *path, int fd, size_t size,
                                         vb_document_fn fn, void *ctx,
                                         struct vb_error *err)
{
    char *text = malloc(size + 1);
    if (!text)
        return vb_error_set(err, VB_ENOMEM, "%s: out of memory", path);
    size_t used = 0;
    ssize_t n = 0;
    /* One byte more than fstat said: a file that grew shows itself. */
    while (used <= size && (n = read(fd, text + used, size + 1 - used)) > 0)
        used += (size_t)n;
    enum vb_status status;
    if (n < 0)
        status = vb_error_set(err, VB_EIO, "%s: cannot read: %s", path,
                              strerror(errno));
    else if (used != size) {
        changed_while_read(path, fn, ctx);
        status = VB_OK;
    } else
        status = vb_document_read_markdown(path, text, size, fn, ctx, err);
    free(text);
    return status;
}

/* A JSON Lines file read a piece at a time: memory bounded by the longest
 * line (a line longer than twice the document limit is skipped, with a
 * problem), no fault when the file shrinks under us. */
static enum vb_status read_jsonl_file(const char *path, int fd, size_t size,
                                      vb_document_fn fn, void *ctx,
                                      struct vb_error *err)
{
    const size_t line_max = 2 * (size_t)VB_DOC_MAX_BYTES;
    size_t cap = 1 << 20, used = 0, offset = 0, total = 0;
    char *buf = malloc(cap);
    if (!buf)
        return vb_error_set(err, VB_ENOMEM, "%s: out of memory", path);
    enum vb_status status = VB_OK;
    unsigned line = 1;
    bool eof = false, skipping = false, go_on = true;
    while (go_on && !eof) {
        if (used == cap) {
            if (cap >= line_max) {
                /* The line is too long to be a document: say so once and
                 * drop it up to its end. */
                if (!skipping) {
                    struct doc_problems p;
                    doc_problems_init(&p, path);
                    doc_problem(&p, VB_ELIMIT, line,
                                "line longer than %zu bytes; the document "
                                "limit is %u",
                                line_max, VB_DOC_MAX_BYTES);
                    go_on = !doc_problems_report(&p, fn, ctx);
                }
                skipping = true;
                offset += used;
                used = 0;
            } else {
                char *grown = realloc(buf, cap * 2);
                if (!grown) {
                    status = vb_error_set(err, VB_ENOMEM, "%s: out of memory",
                                          path);
                    break;
                }
                buf = grown;
                cap *= 2;
            }
        }
        ssize_t n = read(fd, buf + used, cap - used);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            status = vb_error_set(err, VB_EIO, "%s: cannot read: %s", path,
                                  strerror(errno));
            break;
        }
        eof = n == 0;
        used += (size_t)n;
        total += (size_t)n;
        size_t start = 0;
        if (offset == 0 && used >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
            start = 3;
        while (go_on) {
            char *nl = memchr(buf + start, '\n', used - start);
            if (!nl && !(eof && start < used))
                break;
            size_t end = nl ? (size_t)(nl - buf) : used;
            size_t len = end - start;
            if (len && buf[start + len - 1] == '\r')
                len--;
            bool blank_line = true;
            for (size_t i = 0; i < len && blank_line; i++)
                blank_line = buf[start + i] == ' ' || buf[start + i] == '\t';
            if (skipping)
                skipping = false;
            else if (!blank_line)
                go_on = doc_jsonl_line(path, line, buf + start, len,
                                       offset + start, fn, ctx, &status, err);
            line++;
            start = end + 1;
            if (!nl)
                break;
        }
        if (start > used)
            start = used;
        memmove(buf, buf + start, used - start);
        offset += start;
        used -= start;
    }
    free(buf);
    if (status == VB_OK && go_on && total != size)
        changed_while_read(path, fn, ctx);
    return status;
}

enum vb_status vb_document_read_file(const char *path, vb_document_fn fn,
                                     void *ctx, struct vb_error *err)
{
    bool markdown = has_extension(path, ".md");
    if (!markdown && !has_extension(path, ".jsonl"))
        return vb_error_set(err, VB_EINVAL,
                            "%s: not a corpus file (expected .md or .jsonl)",
                            path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return vb_error_set(err, VB_EIO, "%s: cannot open: %s", path,
                            strerror(errno));
    enum vb_status status;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        status = vb_error_set(err, VB_EIO, "%s: cannot stat: %s", path,
                              strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        status = vb_error_set(err, VB_EIO, "%s: not a regular file", path);
        goto out;
    }
    size_t size = (size_t)st.st_size;
    if (markdown && size > VB_DOC_MAX_BYTES) {
        struct doc_problems p;
        doc_problems_init(&p, path);
        doc_problem(&p, VB_ELIMIT, 1, "document is %zu bytes; the limit is %u",
                    size, VB_DOC_MAX_BYTES);
        doc_problems_report(&p, fn, ctx);
        status = VB_OK;
        goto out;
    }
    /* read(), not mmap: a file truncated or rewritten while we read it (a
     * CRM export replaced in place) must give a problem, not SIGBUS. */
    status = markdown ? read_markdown_file(path, fd, size, fn, ctx, err)
                      : read_jsonl_file(path, fd, size, fn, ctx, err);
out:
    close(fd);
    return status;
}

/* ==== One document ====================================================== */

struct single {
    struct vb_document *doc;
    struct vb_error first;
    size_t more;
};

static int single_fn(void *ctx, struct vb_document *doc,
                     const struct vb_error *problems, size_t count)
{
    struct single *s = ctx;
    if (doc) {
        s->doc = doc;
    } else {
        s->first = problems[0];
        s->more = count - 1;
    }
    return 0;
}

static enum vb_status single_result(struct single *s, enum vb_status status,
                                    struct vb_document **out,
                                    struct vb_error *err)
{
    *out = NULL;
    if (status != VB_OK) {
        vb_document_free(s->doc);
        return status;
    }
    if (s->doc) {
        *out = s->doc;
        return VB_OK;
    }
    if (err) {
        *err = s->first;
        if (s->more) {
            size_t used = strlen(err->msg);
            snprintf(err->msg + used, sizeof err->msg - used,
                     " (and %zu more problems)", s->more);
        }
    }
    return s->first.code;
}

enum vb_status vb_document_parse_markdown(const char *path, const char *data,
                                          size_t len, struct vb_document **out,
                                          struct vb_error *err)
{
    struct single s = {0};
    s.first.code = VB_EINVAL;
    enum vb_status status =
        vb_document_read_markdown(path, data, len, single_fn, &s, err);
    return single_result(&s, status, out, err);
}

enum vb_status vb_document_parse_json(const char *where, unsigned line,
                                      const char *data, size_t len,
                                      struct vb_document **out,
                                      struct vb_error *err)
{
    struct single s = {0};
    s.first.code = VB_EINVAL;
    enum vb_status status =
        vb_document_read_json(where, line, data, len, single_fn, &s, err);
    return single_result(&s, status, out, err);
}

void vb_document_etag(const struct vb_document *doc, char etag[17])
{
    snprintf(etag, 17, "%016llx",
             (unsigned long long)vb_document_content_hash(doc));
}
