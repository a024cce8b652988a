/* validate.c — every rule of Contract 1, in doc_build: the readers
 * (frontmatter.c, json.c) only translate syntax into a struct raw_doc, so
 * Markdown and JSON documents are held to exactly the same rules. */
#include "document_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        vals[field] = doc_copy_bytes("", 0);
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
            doc_field_name(field), (unsigned char)rf->value[bad], bad);
        reported[field] = true;
        vals[field] = doc_copy_bytes("", 0);
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
    const char *name = doc_field_name(field);
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
                    doc_field_name(field), why);
    else
        doc_problem(p, VB_EINVAL, raw->line, "missing required field '%s'%s",
                    doc_field_name(field), why);
}

/* A field whose rule is `ok` (names.c), at most `max` bytes. */
static void check_name_field(struct raw_doc *raw, struct doc_problems *p,
                             enum doc_field field, const char *value,
                             bool (*ok)(const char *, size_t), size_t max,
                             const bool *reported)
{
    if (!value[0] || reported[field] || ok(value, strlen(value)))
        return;
    char quoted[64];
    doc_quote(quoted, sizeof quoted, value, strlen(value));
    if (strlen(value) > max)
        doc_problem(p, VB_ELIMIT, raw->fields[field].line,
                    "'%s' is %zu bytes; the limit is %zu",
                    doc_field_name(field), strlen(value), max);
    else
        doc_problem(
            p, VB_EINVAL, raw->fields[field].line,
            "'%s' %s may only contain letters A-Z a-z, digits, '.', '_' "
            "and '-'",
            doc_field_name(field), quoted);
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
                "'%s' %s is not an ISO 8601 date: %s", doc_field_name(field),
                quoted, why);
}

static void history_only(struct raw_doc *raw, struct doc_problems *p,
                         enum doc_field field, const char *value,
                         const char *type)
{
    if (value[0])
        doc_problem(p, VB_EINVAL, raw->fields[field].line,
                    "'%s' is only allowed for type history, not '%s'",
                    doc_field_name(field), type);
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
        DOC_F_ID,    DOC_F_TYPE,    DOC_F_LANG,      DOC_F_TITLE,
        DOC_F_GROUP, DOC_F_UPDATED, DOC_F_CUSTOMER,  DOC_F_CHANNEL,
        DOC_F_DATE,  DOC_F_OWNER,   DOC_F_REVIEW_BY, DOC_F_VALID_UNTIL,
        DOC_F_TENANT};
    for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++)
        if (!take_scalar(raw, p, scalars[i], vals, reported))
            goto out;

    /* id, type, title: required everywhere. */
    require(raw, p, DOC_F_ID, vals[DOC_F_ID], reported, "");
    check_name_field(raw, p, DOC_F_ID, vals[DOC_F_ID], vb_document_id_ok,
                     VB_DOC_ID_MAX, reported);

    char quoted[64];
    char *type = vals[DOC_F_TYPE];
    ascii_lower(type);
    require(raw, p, DOC_F_TYPE, type, reported,
            " (product, procedure, history or another lower-case word)");
    bool type_ok = type[0] && !reported[DOC_F_TYPE] &&
                   vb_document_type_ok(type, strlen(type));
    if (type[0] && !reported[DOC_F_TYPE] && !type_ok) {
        doc_quote(quoted, sizeof quoted, type, strlen(type));
        doc_problem(p, VB_EINVAL, raw->fields[DOC_F_TYPE].line,
                    "'type' %s must be product, procedure, history or another "
                    "word matching " VB_DOC_TYPE_RULE,
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

    check_name_field(raw, p, DOC_F_GROUP, vals[DOC_F_GROUP], vb_document_id_ok,
                     VB_DOC_ID_MAX, reported);
    check_date_field(raw, p, DOC_F_UPDATED, vals[DOC_F_UPDATED], reported);
    /* The editors' fields: who keeps an article right, and until when. */
    check_name_field(raw, p, DOC_F_OWNER, vals[DOC_F_OWNER], vb_document_id_ok,
                     VB_DOC_ID_MAX, reported);
    check_date_field(raw, p, DOC_F_REVIEW_BY, vals[DOC_F_REVIEW_BY], reported);
    check_date_field(raw, p, DOC_F_VALID_UNTIL, vals[DOC_F_VALID_UNTIL],
                     reported);

    /* The client a document belongs to (none: shared by all). */
    char *tenant = vals[DOC_F_TENANT];
    if (tenant[0] && !reported[DOC_F_TENANT] &&
        !vb_document_tenant_ok(tenant, strlen(tenant))) {
        doc_quote(quoted, sizeof quoted, tenant, strlen(tenant));
        doc_problem(p, VB_EINVAL, raw->fields[DOC_F_TENANT].line,
                    "'tenant' %s must match " VB_DOC_TENANT_RULE
                    " (the client it "
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
                            doc_field_name(articles_only[i]));
    } else if (type_ok) {
        history_only(raw, p, DOC_F_CUSTOMER, vals[DOC_F_CUSTOMER], type);
        history_only(raw, p, DOC_F_CHANNEL, channel, type);
        history_only(raw, p, DOC_F_DATE, vals[DOC_F_DATE], type);
    }
    check_name_field(raw, p, DOC_F_CUSTOMER, vals[DOC_F_CUSTOMER],
                     vb_document_customer_ok, VB_DOC_CUSTOMER_MAX, reported);
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
    doc->body_text = text.data ? dbuf_take(&text) : doc_copy_bytes("", 0);
    doc->body_source = doc_copy_bytes(body ? body : "", body ? body_len : 0);
    doc->source_path = doc_copy_bytes(p->path, strlen(p->path));
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
