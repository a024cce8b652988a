/* schema.c — documents into index documents (terms, values, stored data)
 * and stored data back into documents.  See vb_schema.h for the layout. */
#include "vb_schema.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest prefixed term we build: prefix (<= 2) + lang (2) + a word or a
 * field of at most VB_DOC_ID_MAX / VB_DOC_TAG_MAX / VB_TERM_MAX bytes. */
#define TERM_BUF 256

/* ==== Small helpers ===================================================== */

static size_t prefixed(char *buf, const char *prefix, const char *value,
                       size_t value_len)
{
    size_t plen = strlen(prefix);
    if (plen + value_len >= TERM_BUF)
        return 0;
    memcpy(buf, prefix, plen);
    memcpy(buf + plen, value, value_len);
    buf[plen + value_len] = '\0';
    return plen + value_len;
}

size_t vb_schema_id_term(const char *id, char *buf, size_t size)
{
    size_t n = strlen(id);
    size_t plen = strlen(VB_SCHEMA_PREFIX_ID);
    if (n == 0 || plen + n + 1 > size)
        return 0;
    memcpy(buf, VB_SCHEMA_PREFIX_ID, plen);
    memcpy(buf + plen, id, n + 1);
    return plen + n;
}

static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static bool all_digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil algorithm), and back. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static bool valid_day(int year, int month, int day)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
    if (year < 1 || month < 1 || month > 12 || day < 1)
        return false;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= mdays[month - 1] + (month == 2 && leap);
}

size_t vb_schema_sortable_date(const char *iso, char *buf, size_t size)
{
    size_t n = strlen(iso);
    if (size < 21 || n < 10 || !all_digits(iso, 4) || iso[4] != '-' ||
        !all_digits(iso + 5, 2) || iso[7] != '-' || !all_digits(iso + 8, 2) ||
        !valid_day(num(iso, 4), num(iso + 5, 2), num(iso + 8, 2)))
        return 0;
    if (n == 10) {
        memcpy(buf, iso, 10);
        buf[10] = '\0';
        return 10;
    }
    if (n < 20 || iso[10] != 'T' || !all_digits(iso + 11, 2) ||
        iso[13] != ':' || !all_digits(iso + 14, 2) || iso[16] != ':' ||
        !all_digits(iso + 17, 2) || num(iso + 11, 2) > 23 ||
        num(iso + 14, 2) > 59 || num(iso + 17, 2) > 59)
        return 0;
    size_t i = 19;
    if (iso[i] == '.') {
        size_t digits_start = ++i;
        while (iso[i] >= '0' && iso[i] <= '9')
            i++;
        if (i == digits_start || i - digits_start > 9)
            return 0;
    }
    int64_t offset_min = 0;
    if (iso[i] == '+' || iso[i] == '-') {
        if (n - i != 6 || !all_digits(iso + i + 1, 2) || iso[i + 3] != ':' ||
            !all_digits(iso + i + 4, 2) || num(iso + i + 1, 2) > 23 ||
            num(iso + i + 4, 2) > 59)
            return 0;
        offset_min = num(iso + i + 1, 2) * 60 + num(iso + i + 4, 2);
        if (iso[i] == '-')
            offset_min = -offset_min;
    } else if (!(iso[i] == 'Z' && iso[i + 1] == '\0')) {
        return 0;
    }
    int64_t seconds =
        days_from_civil(num(iso, 4), num(iso + 5, 2), num(iso + 8, 2)) * 86400 +
        num(iso + 11, 2) * 3600 + num(iso + 14, 2) * 60 + num(iso + 17, 2) -
        offset_min * 60;
    int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
    int64_t rest = seconds - days * 86400;
    int64_t year;
    int month, day;
    civil_from_days(days, &year, &month, &day);
    if (year < 0 || year > 9999)
        return 0;
    int len = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)year,
                       month, day, (int)(rest / 3600), (int)(rest / 60 % 60),
                       (int)(rest % 60));
    return len > 0 && (size_t)len < size ? (size_t)len : 0;
}

/* ==== Writing =========================================================== */

enum vb_status vb_schema_init(struct vb_xapian_writer *writer,
                              struct vb_error *err)
{
    const char *key = VB_SCHEMA_METADATA_VERSION;
    return vb_xapian_set_metadata(writer, key, strlen(key), VB_SCHEMA_VERSION,
                                  strlen(VB_SCHEMA_VERSION), err);
}

enum vb_status vb_schema_check(struct vb_xapian_reader *reader,
                               struct vb_error *err)
{
    const char *key = VB_SCHEMA_METADATA_VERSION;
    char *version = NULL;
    size_t len = 0;
    enum vb_status st =
        vb_xapian_get_metadata(reader, key, strlen(key), &version, &len, err);
    if (st != VB_OK)
        return st;
    if (version && strcmp(version, VB_SCHEMA_VERSION) != 0)
        st = vb_error_set(err, VB_EINVAL,
                          "the index has schema version %.20s, this program "
                          "uses %s: rebuild it with vraagbaak-indexer --full",
                          version, VB_SCHEMA_VERSION);
    free(version);
    return st;
}

/* State while the analysis chain feeds one field into the document. */
struct field_feed {
    struct vb_xapian_doc *xdoc;
    const char *lang_code;
    bool vocabulary;   /* add vocabulary terms */
    bool positions;    /* whole-word terms carry positions */
    uint32_t base;     /* position of the field's first token */
    uint32_t wdf;      /* per occurrence */
    uint32_t next;     /* first position after the field */
    enum vb_status status;
    struct vb_error *err;
};

static int feed_token(void *ctx, const struct vb_token *token)
{
    struct field_feed *f = ctx;
    uint32_t pos = f->base + token->position;
    /* Phrases are matched on whole-word terms, so only those carry
     * positions: parts, variants and joins cost no positional data. */
    for (size_t i = 0; i < token->term_count; i++) {
        f->status =
            f->positions && token->term_kinds[i] == VB_TERM_WHOLE
                ? vb_xapian_doc_add_posting(f->xdoc, token->terms[i],
                                            token->term_lens[i], pos, f->wdf,
                                            f->err)
                : vb_xapian_doc_add_term(f->xdoc, token->terms[i],
                                         token->term_lens[i], f->wdf, f->err);
        if (f->status != VB_OK)
            return 1;
    }
    if (f->vocabulary && !token->stopword &&
        token->word_len >= VB_SCHEMA_WORD_MIN &&
        token->word_len <= VB_SCHEMA_WORD_MAX &&
        !all_digits(token->word, (int)token->word_len)) {
        char term[TERM_BUF];
        size_t n = prefixed(term, VB_SCHEMA_PREFIX_WORD, f->lang_code, 2);
        memcpy(term + n, token->word, token->word_len);
        n += token->word_len;
        f->status = vb_xapian_doc_add_boolean_term(f->xdoc, term, n, f->err);
        if (f->status != VB_OK)
            return 1;
    }
    f->next = pos + 1;
    return 0;
}

/* Indexes one piece of text as the next field; moves f->base past it. */
static enum vb_status feed_text(struct vb_analyzer *analyzer,
                                struct field_feed *f, enum vb_lang lang,
                                const char *text, size_t len, uint32_t wdf)
{
    f->wdf = wdf;
    f->next = f->base;
    f->status = VB_OK;
    enum vb_status st =
        vb_analyze_text(analyzer, text, len, lang, feed_token, f, f->err);
    if (st == VB_OK)
        st = f->status;
    f->base = f->next + VB_SCHEMA_POSITION_GAP;
    return st;
}

static enum vb_status add_filter(struct vb_xapian_doc *xdoc,
                                 const char *prefix, const char *value,
                                 struct vb_error *err)
{
    if (!value[0])
        return VB_OK;
    char term[TERM_BUF];
    size_t n = prefixed(term, prefix, value, strlen(value));
    if (n == 0)
        return vb_error_set(err, VB_ELIMIT, "'%s' is too long for a filter term",
                            value);
    return vb_xapian_doc_add_boolean_term(xdoc, term, n, err);
}

static enum vb_status set_value(struct vb_xapian_doc *xdoc, uint32_t slot,
                                const char *value, size_t len,
                                struct vb_error *err)
{
    if (len == 0)
        return VB_OK;
    return vb_xapian_doc_set_value(xdoc, slot, value, len, err);
}

/* Adds `key: value` to `obj` unless value is empty.  Returns false when
 * memory ran out. */
static bool put_string(json_t *obj, const char *key, const char *value)
{
    if (!value[0])
        return true;
    return json_object_set_new_nocheck(obj, key, json_string_nocheck(value)) == 0;
}

static bool put_list(json_t *obj, const char *key, char **items, size_t count)
{
    if (count == 0)
        return true;
    json_t *array = json_array();
    if (!array || json_object_set_new_nocheck(obj, key, array) != 0)
        return false;
    for (size_t i = 0; i < count; i++)
        if (json_array_append_new(array, json_string_nocheck(items[i])) != 0)
            return false;
    return true;
}

/* The stored data: a compact JSON object (see vb_schema_decode). */
static char *stored_data(const struct vb_document *doc, const char *lang)
{
    json_t *obj = json_object();
    char *out = NULL;
    if (!obj)
        return NULL;
    bool ok = put_string(obj, "id", doc->id) &&
              put_string(obj, "type", doc->type) &&
              put_string(obj, "lang", lang) &&
              (doc->lang[0] ||
               json_object_set_new_nocheck(obj, "lang_detected", json_true()) ==
                   0) &&
              put_string(obj, "title", doc->title) &&
              put_string(obj, "group", doc->group) &&
              put_list(obj, "tags", doc->tags, doc->tag_count) &&
              put_list(obj, "products", doc->products, doc->product_count) &&
              put_string(obj, "updated", doc->updated) &&
              put_string(obj, "customer", doc->customer) &&
              put_string(obj, "channel", doc->channel) &&
              put_string(obj, "date", doc->date) &&
              put_string(obj, "body", doc->body_source) &&
              (doc->body_format != VB_DOCUMENT_BODY_HTML ||
               put_string(obj, "body_format", "html")) &&
              /* The plain text only when it differs from the body (it
               * does for Markdown with markup and for HTML). */
              (strcmp(doc->body_text, doc->body_source) == 0 ||
               put_string(obj, "text", doc->body_text));
    if (ok)
        out = json_dumps(obj, JSON_COMPACT);
    json_decref(obj);
    return out;
}

/* The sync record value: "<16 hex digits of hash> <line> <id>\t<path>". */
static char *sync_value(const struct vb_document *doc, uint64_t hash,
                        size_t *len)
{
    size_t size = 16 + 1 + 10 + 1 + strlen(doc->id) + 1 +
                  strlen(doc->source_path) + 1;
    char *value = malloc(size);
    if (!value)
        return NULL;
    int n = snprintf(value, size, "%016" PRIx64 " %u %s\t%s", hash,
                     doc->source_line, doc->id, doc->source_path);
    *len = (size_t)n;
    return value;
}

enum vb_status vb_schema_build(struct vb_analyzer *analyzer,
                               const struct vb_document *doc,
                               enum vb_lang lang, uint64_t hash,
                               struct vb_xapian_doc **out,
                               struct vb_error *err)
{
    *out = NULL;
    if (lang == VB_LANG_UNKNOWN)
        return vb_error_set(err, VB_EINVAL, "%s: no language to index in",
                            doc->id);
    const char *lang_code = vb_lang_code(lang);
    struct vb_xapian_doc *xdoc = vb_xapian_doc_new();
    char *data = NULL, *sync = NULL;
    enum vb_status st = VB_ENOMEM;
    if (!xdoc)
        goto out;

    /* Customer history stays out of the vocabulary: completions and
     * "did you mean" must never reveal words from another customer's
     * events.  Its events are short notes, and nine in ten documents at
     * scale: without positions they index a third faster and take half
     * the space, and search matches a phrase there as all its words in
     * one event. */
    bool history = strcmp(doc->type, VB_SCHEMA_TYPE_HISTORY) == 0;
    struct field_feed feed = {.xdoc = xdoc, .lang_code = lang_code, .base = 1,
                              .vocabulary = !history, .positions = !history,
                              .err = err};
    st = feed_text(analyzer, &feed, lang, doc->title, strlen(doc->title),
                   VB_SCHEMA_TITLE_WDF);
    for (size_t i = 0; st == VB_OK && i < doc->tag_count; i++)
        st = feed_text(analyzer, &feed, lang, doc->tags[i],
                       strlen(doc->tags[i]), VB_SCHEMA_TAGS_WDF);
    for (size_t i = 0; st == VB_OK && i < doc->product_count; i++)
        st = feed_text(analyzer, &feed, lang, doc->products[i],
                       strlen(doc->products[i]), VB_SCHEMA_TAGS_WDF);
    if (st == VB_OK)
        st = feed_text(analyzer, &feed, lang, doc->body_text,
                       strlen(doc->body_text), 1);
    if (st != VB_OK)
        goto out;

    st = add_filter(xdoc, VB_SCHEMA_PREFIX_TYPE, doc->type, err);
    if (st == VB_OK) {
        /* Not boolean: with a within-document frequency the language term
         * carries weight, so search can boost the agent's language. */
        char term[TERM_BUF];
        size_t n = prefixed(term, VB_SCHEMA_PREFIX_LANG, lang_code, 2);
        st = vb_xapian_doc_add_term(xdoc, term, n, 1, err);
    }
    if (st == VB_OK)
        st = add_filter(xdoc, VB_SCHEMA_PREFIX_CUSTOMER, doc->customer, err);
    if (st == VB_OK)
        st = add_filter(xdoc, VB_SCHEMA_PREFIX_CHANNEL, doc->channel, err);
    if (st == VB_OK)
        st = add_filter(xdoc, VB_SCHEMA_PREFIX_GROUP, doc->group, err);
    for (size_t i = 0; st == VB_OK && i < doc->product_count; i++) {
        char code[VB_DOC_TAG_MAX + 1];
        size_t n = strlen(doc->products[i]);
        if (n > VB_DOC_TAG_MAX)
            n = VB_DOC_TAG_MAX;
        for (size_t k = 0; k < n; k++) {
            char c = doc->products[i][k];
            code[k] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
        }
        code[n] = '\0';
        st = add_filter(xdoc, VB_SCHEMA_PREFIX_PRODUCT, code, err);
    }
    for (size_t i = 0; st == VB_OK && i < doc->tag_count; i++) {
        char tag[VB_DOC_TAG_MAX + 1];
        size_t n = strlen(doc->tags[i]);
        if (n > VB_DOC_TAG_MAX)
            n = VB_DOC_TAG_MAX;
        for (size_t k = 0; k < n; k++) {
            char c = doc->tags[i][k];
            tag[k] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
        }
        tag[n] = '\0';
        st = add_filter(xdoc, VB_SCHEMA_PREFIX_TAG, tag, err);
    }
    if (st != VB_OK)
        goto out;

    char collapse[TERM_BUF], date[32];
    size_t collapse_len =
        doc->group[0] ? prefixed(collapse, "", doc->group, strlen(doc->group))
                      : prefixed(collapse, "=", doc->id, strlen(doc->id));
    st = set_value(xdoc, VB_SCHEMA_SLOT_TYPE, doc->type, strlen(doc->type), err);
    if (st == VB_OK)
        st = set_value(xdoc, VB_SCHEMA_SLOT_LANG, lang_code, 2, err);
    if (st == VB_OK)
        st = set_value(xdoc, VB_SCHEMA_SLOT_COLLAPSE, collapse, collapse_len,
                       err);
    if (st == VB_OK)
        st = set_value(xdoc, VB_SCHEMA_SLOT_UPDATED, date,
                       vb_schema_sortable_date(doc->updated, date, sizeof date),
                       err);
    if (st == VB_OK)
        st = set_value(xdoc, VB_SCHEMA_SLOT_DATE, date,
                       vb_schema_sortable_date(doc->date, date, sizeof date),
                       err);
    if (st != VB_OK)
        goto out;

    size_t sync_len = 0;
    st = VB_ENOMEM;
    data = stored_data(doc, lang_code);
    sync = sync_value(doc, hash, &sync_len);
    if (!data || !sync) {
        vb_error_set(err, VB_ENOMEM, "%s: out of memory", doc->id);
        goto out;
    }
    st = vb_xapian_doc_set_value(xdoc, VB_SCHEMA_SLOT_SYNC, sync, sync_len, err);
    if (st == VB_OK)
        st = vb_xapian_doc_set_data(xdoc, data, strlen(data), err);
out:
    free(data);
    free(sync);
    if (st != VB_OK) {
        vb_xapian_doc_free(xdoc);
        return st;
    }
    *out = xdoc;
    return VB_OK;
}

enum vb_status vb_schema_put(struct vb_xapian_writer *writer, const char *id,
                             uint32_t docid, struct vb_xapian_doc *built,
                             struct vb_error *err)
{
    char term[TERM_BUF];
    size_t n = vb_schema_id_term(id, term, sizeof term);
    if (n == 0)
        return vb_error_set(err, VB_EINVAL, "invalid document id");
    if (docid == VB_SCHEMA_DOCID_UNKNOWN)
        return vb_xapian_replace(writer, term, n, built, NULL, err);
    enum vb_status st = vb_xapian_doc_add_boolean_term(built, term, n, err);
    if (st != VB_OK)
        return st;
    if (docid == 0)
        return vb_xapian_add(writer, term, n, built, NULL, err);
    return vb_xapian_replace_docid(writer, docid, built, err);
}

enum vb_status vb_schema_delete(struct vb_xapian_writer *writer,
                                const char *id, uint32_t docid, bool *deleted,
                                struct vb_error *err)
{
    char term[TERM_BUF];
    size_t n = vb_schema_id_term(id, term, sizeof term);
    if (n == 0 || docid == 0)
        return vb_error_set(err, VB_EINVAL, "invalid document id");
    if (docid == VB_SCHEMA_DOCID_UNKNOWN)
        return vb_xapian_delete(writer, term, n, deleted, err);
    enum vb_status st = vb_xapian_delete_docid(writer, docid, err);
    if (deleted)
        *deleted = st == VB_OK;
    return st == VB_ENOTFOUND ? VB_OK : st;
}

/* ==== Sync records ====================================================== */

struct sync_walk {
    vb_schema_sync_fn fn;
    void *ctx;
    enum vb_status status;
    struct vb_error *err;
};

static int parse_sync(void *ctx, uint32_t docid, const char *value, size_t len)
{
    struct sync_walk *w = ctx;
    struct vb_schema_sync_record r = {.docid = docid};
    const char *end = value + len;
    const char *p = value;
    uint64_t hash = 0;
    int digits = 0;
    for (; p < end && digits < 16; p++, digits++) {
        char c = *p;
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0)
            break;
        hash = hash << 4 | (uint64_t)v;
    }
    unsigned line = 0;
    bool ok = digits == 16 && p < end && *p++ == ' ';
    const char *line_start = p;
    while (ok && p < end && *p >= '0' && *p <= '9' && line < 100000000u)
        line = line * 10 + (unsigned)(*p++ - '0');
    ok = ok && p > line_start && p < end && *p++ == ' ';
    const char *tab = ok ? memchr(p, '\t', (size_t)(end - p)) : NULL;
    if (!tab || tab == p) {
        w->status = vb_error_set(w->err, VB_ECORRUPT,
                                 "document %u has a damaged sync record", docid);
        return 1;
    }
    r.hash = hash;
    r.source_line = line;
    r.id = p;
    r.id_len = (size_t)(tab - p);
    r.source_path = tab + 1;
    r.source_path_len = (size_t)(end - tab - 1);
    return w->fn(w->ctx, &r);
}

enum vb_status vb_schema_for_each_sync_record(struct vb_xapian_reader *reader,
                                              vb_schema_sync_fn fn, void *ctx,
                                              struct vb_error *err)
{
    struct sync_walk w = {.fn = fn, .ctx = ctx, .status = VB_OK, .err = err};
    enum vb_status st = vb_xapian_for_each_value(reader, VB_SCHEMA_SLOT_SYNC,
                                                 parse_sync, &w, err);
    return st != VB_OK ? st : w.status;
}

/* ==== Reading =========================================================== */

static char *take_string(json_t *obj, const char *key, bool *ok)
{
    json_t *v = json_object_get(obj, key);
    const char *s = "";
    if (v && json_is_string(v))
        s = json_string_value(v);
    else if (v)
        *ok = false;
    char *copy = strdup(s);
    if (!copy)
        *ok = false;
    return copy;
}

static char **take_list(json_t *obj, const char *key, size_t *count, bool *ok)
{
    json_t *v = json_object_get(obj, key);
    *count = 0;
    if (!v)
        return NULL;
    if (!json_is_array(v) || json_array_size(v) == 0) {
        *ok = false;
        return NULL;
    }
    char **items = calloc(json_array_size(v), sizeof *items);
    if (!items) {
        *ok = false;
        return NULL;
    }
    for (size_t i = 0; i < json_array_size(v); i++) {
        json_t *item = json_array_get(v, i);
        items[i] = json_is_string(item) ? strdup(json_string_value(item)) : NULL;
        if (!items[i]) {
            *ok = false;
            break;
        }
        *count = i + 1;
    }
    return items;
}

enum vb_status vb_schema_decode(const char *data, size_t len,
                                struct vb_document **out, struct vb_error *err)
{
    *out = NULL;
    json_t *obj = json_loadb(data, len, JSON_REJECT_DUPLICATES, NULL);
    if (!obj || !json_is_object(obj)) {
        json_decref(obj);
        return vb_error_set(err, VB_ECORRUPT,
                            "stored document data is not Vraagbaak's JSON");
    }
    struct vb_document *doc = calloc(1, sizeof *doc);
    if (!doc) {
        json_decref(obj);
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    }
    bool ok = true;
    doc->id = take_string(obj, "id", &ok);
    doc->type = take_string(obj, "type", &ok);
    doc->lang = take_string(obj, "lang", &ok);
    doc->title = take_string(obj, "title", &ok);
    doc->group = take_string(obj, "group", &ok);
    doc->tags = take_list(obj, "tags", &doc->tag_count, &ok);
    doc->products = take_list(obj, "products", &doc->product_count, &ok);
    doc->updated = take_string(obj, "updated", &ok);
    doc->customer = take_string(obj, "customer", &ok);
    doc->channel = take_string(obj, "channel", &ok);
    doc->date = take_string(obj, "date", &ok);
    doc->body_source = take_string(obj, "body", &ok);
    doc->body_text = json_object_get(obj, "text")
                         ? take_string(obj, "text", &ok)
                         : strdup(doc->body_source ? doc->body_source : "");
    if (!doc->body_text)
        ok = false;
    doc->source_path = strdup(""); /* in the sync record, not here */
    if (!doc->source_path)
        ok = false;
    json_t *format = json_object_get(obj, "body_format");
    doc->body_format = format ? VB_DOCUMENT_BODY_HTML : VB_DOCUMENT_BODY_MARKDOWN;
    ok = ok && doc->id[0] && doc->type[0] && doc->title[0];
    json_decref(obj);
    if (!ok) {
        vb_document_free(doc);
        return vb_error_set(err, VB_ECORRUPT,
                            "stored document data is missing fields");
    }
    *out = doc;
    return VB_OK;
}
