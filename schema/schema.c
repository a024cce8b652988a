/* schema.c — documents into index documents (terms, values, stored data)
 * and stored data back into documents.  See vb_schema.h for the layout. */
#include "vb_schema.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest prefixed term we build: prefix (<= 2) + lang (2) + a word or a
 * field of at most VB_DOC_ID_MAX / VB_DOC_TAG_MAX / VB_TERM_MAX bytes. */
#define TERM_BUF 256

/* ==== Small helpers ===================================================== */

size_t vb_schema_term(const char *prefix, const char *value, size_t len,
                      char *buf, size_t size)
{
    size_t plen = strlen(prefix);
    if (plen + len >= size)
        return 0;
    memcpy(buf, prefix, plen);
    memcpy(buf + plen, value, len);
    buf[plen + len] = '\0';
    return plen + len;
}

size_t vb_schema_pair_term(const char *a, size_t a_len, const char *b,
                           size_t b_len, char *buf, size_t size)
{
    size_t plen = strlen(VB_SCHEMA_PREFIX_PAIR);
    if (plen + a_len + 1 + b_len >= size)
        return 0;
    memcpy(buf, VB_SCHEMA_PREFIX_PAIR, plen);
    memcpy(buf + plen, a, a_len);
    buf[plen + a_len] = ' ';
    memcpy(buf + plen + a_len + 1, b, b_len);
    buf[plen + a_len + 1 + b_len] = '\0';
    return plen + a_len + 1 + b_len;
}

size_t vb_schema_group_key(const struct vb_document *doc, char *buf,
                           size_t size)
{
    if (!doc->group[0])
        return 0;
    int n = snprintf(buf, size, "%s%s%s", doc->tenant, doc->tenant[0] ? "/" : "",
                     doc->group);
    return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

size_t vb_schema_tenant_term(const char *tenant, char *buf, size_t size)
{
    const char *t = tenant[0] ? tenant : VB_SCHEMA_TENANT_SHARED;
    return vb_schema_term(VB_SCHEMA_PREFIX_TENANT, t, strlen(t), buf, size);
}

size_t vb_schema_word_prefix(const char *tenant, const char *lang_code,
                             char *buf, size_t size)
{
    if (!tenant[0])
        return vb_schema_term(VB_SCHEMA_PREFIX_WORD, lang_code,
                              strlen(lang_code), buf, size);
    int n = snprintf(buf, size, "%s%s:%s", VB_SCHEMA_PREFIX_TENANT_WORD,
                     tenant, lang_code);
    return n > 0 && (size_t)n < size ? (size_t)n : 0;
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
    const char *word_prefix; /* of vocabulary terms */
    bool vocabulary;   /* add vocabulary terms */
    bool positions;    /* whole-word terms carry positions */
    const char *text_prefix; /* of text terms, or NULL */
    bool subject;      /* also add each term as a subject term */
    uint32_t base;     /* position of the field's first token */
    uint32_t wdf;      /* per occurrence */
    uint32_t next;     /* first position after the field */
    char previous[TERM_BUF]; /* the field's last content word's term */
    size_t previous_len;     /* 0: none yet */
    enum vb_status status;
    struct vb_error *err;
};

/* The pair of the field's previous content word and this one. */
static enum vb_status add_pair(struct field_feed *f,
                               const struct vb_token *token)
{
    const char *term = token->terms[0];
    size_t len = token->term_lens[0];
    if (f->previous_len > 0) {
        char pair[TERM_BUF];
        size_t n = vb_schema_pair_term(f->previous, f->previous_len, term,
                                       len, pair, TERM_BUF);
        if (n > 0)
            f->status = vb_xapian_doc_add_term(f->xdoc, pair, n, f->wdf,
                                               f->err);
    }
    memcpy(f->previous, term, len);
    f->previous_len = len;
    return f->status;
}

static int feed_token(void *ctx, const struct vb_token *token)
{
    struct field_feed *f = ctx;
    uint32_t pos = f->base + token->position;
    /* Phrases are matched on whole-word terms, so only those carry
     * positions: parts, variants and joins cost no positional data. */
    for (size_t i = 0; i < token->term_count; i++) {
        char prefixed_term[TERM_BUF];
        const char *term = token->terms[i];
        size_t len = token->term_lens[i];
        if (f->text_prefix) {
            len = vb_schema_term(f->text_prefix, term, len, prefixed_term, TERM_BUF);
            term = prefixed_term;
        }
        f->status = f->positions && token->term_kinds[i] == VB_TERM_WHOLE
                        ? vb_xapian_doc_add_posting(f->xdoc, term, len, pos,
                                                    f->wdf, f->err)
                        : vb_xapian_doc_add_term(f->xdoc, term, len, f->wdf,
                                                 f->err);
        if (f->status == VB_OK && f->subject) {
            char subject[TERM_BUF];
            size_t n = vb_schema_term(VB_SCHEMA_PREFIX_SUBJECT, term, len, subject, TERM_BUF);
            if (n > 0)
                f->status = vb_xapian_doc_add_term(f->xdoc, subject, n, 1,
                                                   f->err);
        }
        if (f->status != VB_OK)
            return 1;
    }
    if (f->positions && !token->stopword && add_pair(f, token) != VB_OK)
        return 1;
    if (f->vocabulary && !token->stopword &&
        token->word_len >= VB_SCHEMA_WORD_MIN &&
        token->word_len <= VB_SCHEMA_WORD_MAX &&
        !all_digits(token->word, (int)token->word_len)) {
        char term[TERM_BUF];
        size_t n = strlen(f->word_prefix);
        memcpy(term, f->word_prefix, n);
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
    f->previous_len = 0;
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
    size_t n = vb_schema_term(prefix, value, strlen(value), term, TERM_BUF);
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

/* ---- Stored data: a compact binary record --------------------------- *
 *
 *   "VB" 0x03, then in this order: id, type, lang, a byte (1: the language
 *   was detected), title, group, tags (count, then each), products (count,
 *   then each), updated, customer, channel, date, a byte (1: the body is
 *   HTML), body, text (empty: the same as body).
 * Strings are a LEB128 length and the bytes; counts are LEB128.  Read
 * back by pointer walking: a hit costs no parsing (JSON took half of a
 * search's time). */

#define DATA_MAGIC "VB\x03"

struct buffer {
    char *bytes;
    size_t used, cap;
    bool failed;
};

static void buffer_put(struct buffer *b, const void *bytes, size_t n)
{
    if (b->failed)
        return;
    if (b->used + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        while (cap < b->used + n)
            cap *= 2;
        char *p = realloc(b->bytes, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->bytes = p;
        b->cap = cap;
    }
    memcpy(b->bytes + b->used, bytes, n);
    b->used += n;
}

static void put_number(struct buffer *b, uint64_t v)
{
    unsigned char out[10];
    size_t n = 0;
    do {
        out[n] = (unsigned char)(v & 0x7f);
        v >>= 7;
        if (v)
            out[n] |= 0x80;
        n++;
    } while (v);
    buffer_put(b, out, n);
}

static void put_text(struct buffer *b, const char *s)
{
    size_t n = strlen(s);
    put_number(b, n);
    buffer_put(b, s, n);
}

static void put_byte(struct buffer *b, bool v)
{
    unsigned char c = v ? 1 : 0;
    buffer_put(b, &c, 1);
}

static void put_texts(struct buffer *b, char **items, size_t count)
{
    put_number(b, count);
    for (size_t i = 0; i < count; i++)
        put_text(b, items[i]);
}

/* The stored data of `doc`; *len its length.  NULL when out of memory. */
static char *stored_data(const struct vb_document *doc, const char *lang,
                         size_t *len)
{
    struct buffer b = {0};
    buffer_put(&b, DATA_MAGIC, 3);
    put_text(&b, doc->id);
    put_text(&b, doc->type);
    put_text(&b, lang);
    put_byte(&b, doc->lang[0] == '\0');
    put_text(&b, doc->title);
    put_text(&b, doc->group);
    put_texts(&b, doc->tags, doc->tag_count);
    put_texts(&b, doc->products, doc->product_count);
    put_text(&b, doc->updated);
    put_text(&b, doc->owner);
    put_text(&b, doc->review_by);
    put_text(&b, doc->valid_until);
    put_text(&b, doc->customer);
    put_text(&b, doc->channel);
    put_text(&b, doc->date);
    put_text(&b, doc->tenant);
    put_byte(&b, doc->body_format == VB_DOCUMENT_BODY_HTML);
    put_text(&b, doc->body_source);
    /* The plain text only when it differs from the body (it does for
     * Markdown with markup and for HTML). */
    put_text(&b, strcmp(doc->body_text, doc->body_source) == 0
                     ? ""
                     : doc->body_text);
    if (b.failed) {
        free(b.bytes);
        return NULL;
    }
    *len = b.used;
    return b.bytes;
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
    char word_prefix[TERM_BUF];
    if (vb_schema_word_prefix(doc->tenant, lang_code, word_prefix,
                              sizeof word_prefix) == 0) {
        st = vb_error_set(err, VB_ELIMIT, "%s: tenant name too long", doc->id);
        goto out;
    }
    struct field_feed feed = {
        .xdoc = xdoc, .lang_code = lang_code, .word_prefix = word_prefix,
        .base = 1,
        .vocabulary = !history, .positions = !history,
        .text_prefix = history ? VB_SCHEMA_PREFIX_HISTORY : NULL,
        .subject = !history, .err = err};
    st = feed_text(analyzer, &feed, lang, doc->title, strlen(doc->title),
                   VB_SCHEMA_TITLE_WDF);
    for (size_t i = 0; st == VB_OK && i < doc->tag_count; i++)
        st = feed_text(analyzer, &feed, lang, doc->tags[i],
                       strlen(doc->tags[i]), VB_SCHEMA_TAGS_WDF);
    for (size_t i = 0; st == VB_OK && i < doc->product_count; i++)
        st = feed_text(analyzer, &feed, lang, doc->products[i],
                       strlen(doc->products[i]), VB_SCHEMA_TAGS_WDF);
    feed.subject = false;
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
        size_t n = vb_schema_term(VB_SCHEMA_PREFIX_LANG, lang_code, 2, term, TERM_BUF);
        st = vb_xapian_doc_add_term(xdoc, term, n, 1, err);
    }
    if (st == VB_OK)
        st = add_filter(xdoc, VB_SCHEMA_PREFIX_CUSTOMER, doc->customer, err);
    if (st == VB_OK)
        st = add_filter(xdoc, VB_SCHEMA_PREFIX_CHANNEL, doc->channel, err);
    if (st == VB_OK)
        st = add_filter(xdoc, VB_SCHEMA_PREFIX_GROUP, doc->group, err);
    if (st == VB_OK) {
        char term[TERM_BUF];
        size_t n = vb_schema_tenant_term(doc->tenant, term, TERM_BUF);
        st = n ? vb_xapian_doc_add_boolean_term(xdoc, term, n, err)
               : vb_error_set(err, VB_ELIMIT, "%s: tenant name too long",
                              doc->id);
    }
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
        doc->group[0] ? vb_schema_group_key(doc, collapse, TERM_BUF)
                      : vb_schema_term("=", doc->id, strlen(doc->id), collapse, TERM_BUF);
    st = set_value(xdoc, VB_SCHEMA_SLOT_TYPE, doc->type, strlen(doc->type), err);
    if (st == VB_OK)
        st = set_value(xdoc, VB_SCHEMA_SLOT_ID, doc->id, strlen(doc->id), err);
    if (st == VB_OK)
        st = set_value(xdoc, VB_SCHEMA_SLOT_LANG, lang_code, 2, err);
    if (st == VB_OK)
        st = set_value(xdoc, VB_SCHEMA_SLOT_COLLAPSE, collapse, collapse_len,
                       err);
    if (st == VB_OK)
        st = set_value(xdoc, VB_SCHEMA_SLOT_TENANT, doc->tenant,
                       strlen(doc->tenant), err);
    if (st == VB_OK)
        st = set_value(xdoc, VB_SCHEMA_SLOT_UPDATED, date,
                       vb_schema_sortable_date(doc->updated, date, sizeof date),
                       err);
    if (st == VB_OK)
        st = set_value(xdoc, VB_SCHEMA_SLOT_DATE, date,
                       vb_schema_sortable_date(doc->date, date, sizeof date),
                       err);
    /* The day alone: "after this date" is a matter of days. */
    size_t day = vb_schema_sortable_date(doc->review_by, date, sizeof date);
    if (st == VB_OK)
        st = set_value(xdoc, VB_SCHEMA_SLOT_REVIEW_BY, date, day > 10 ? 10 : day,
                       err);
    day = vb_schema_sortable_date(doc->valid_until, date, sizeof date);
    if (st == VB_OK)
        st = set_value(xdoc, VB_SCHEMA_SLOT_VALID_UNTIL, date,
                       day > 10 ? 10 : day, err);
    if (st != VB_OK)
        goto out;

    size_t sync_len = 0, data_len = 0;
    st = VB_ENOMEM;
    data = stored_data(doc, lang_code, &data_len);
    sync = sync_value(doc, hash, &sync_len);
    if (!data || !sync) {
        vb_error_set(err, VB_ENOMEM, "%s: out of memory", doc->id);
        goto out;
    }
    st = vb_xapian_doc_set_value(xdoc, VB_SCHEMA_SLOT_SYNC, sync, sync_len, err);
    if (st == VB_OK)
        st = vb_xapian_doc_set_data(xdoc, data, data_len, err);
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

/* Reading the binary record: each take_ returns false past the end. */
struct reader {
    const unsigned char *at, *end;
};

static bool take_number(struct reader *r, uint64_t *v)
{
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (r->at == r->end)
            return false;
        unsigned char c = *r->at++;
        *v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80))
            return true;
    }
    return false;
}

static bool take_text(struct reader *r, char **out)
{
    uint64_t n;
    if (!take_number(r, &n) || n > (uint64_t)(r->end - r->at))
        return false;
    *out = malloc((size_t)n + 1);
    if (!*out)
        return false;
    memcpy(*out, r->at, (size_t)n);
    (*out)[n] = '\0';
    r->at += n;
    return true;
}

static bool take_byte(struct reader *r, bool *v)
{
    if (r->at == r->end || *r->at > 1)
        return false;
    *v = *r->at++ == 1;
    return true;
}

static bool take_texts(struct reader *r, char ***items, size_t *count)
{
    uint64_t n;
    *items = NULL;
    *count = 0;
    if (!take_number(r, &n) || n > (uint64_t)(r->end - r->at))
        return false;
    if (n == 0)
        return true;
    *items = calloc((size_t)n, sizeof **items);
    if (!*items)
        return false;
    for (uint64_t i = 0; i < n; i++) {
        if (!take_text(r, &(*items)[i]))
            return false;
        *count = (size_t)i + 1;
    }
    return true;
}

enum vb_status vb_schema_decode(const char *data, size_t len,
                                struct vb_document **out, struct vb_error *err)
{
    *out = NULL;
    if (len < 3 || memcmp(data, DATA_MAGIC, 3) != 0)
        return vb_error_set(err, VB_ECORRUPT,
                            "stored document data is not this schema's");
    struct vb_document *doc = calloc(1, sizeof *doc);
    if (!doc)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    struct reader r = {(const unsigned char *)data + 3,
                       (const unsigned char *)data + len};
    bool detected = false, html = false;
    bool ok = take_text(&r, &doc->id) && take_text(&r, &doc->type) &&
              take_text(&r, &doc->lang) && take_byte(&r, &detected) &&
              take_text(&r, &doc->title) && take_text(&r, &doc->group) &&
              take_texts(&r, &doc->tags, &doc->tag_count) &&
              take_texts(&r, &doc->products, &doc->product_count) &&
              take_text(&r, &doc->updated) && take_text(&r, &doc->owner) &&
              take_text(&r, &doc->review_by) &&
              take_text(&r, &doc->valid_until) &&
              take_text(&r, &doc->customer) &&
              take_text(&r, &doc->channel) && take_text(&r, &doc->date) &&
              take_text(&r, &doc->tenant) && take_byte(&r, &html) && take_text(&r, &doc->body_source) &&
              take_text(&r, &doc->body_text) && r.at == r.end &&
              (doc->source_path = strdup("")) != NULL;
    if (ok && doc->body_text[0] == '\0') {
        free(doc->body_text);
        doc->body_text = strdup(doc->body_source);
        ok = doc->body_text != NULL;
    }
    doc->body_format = html ? VB_DOCUMENT_BODY_HTML : VB_DOCUMENT_BODY_MARKDOWN;
    ok = ok && doc->id[0] && doc->type[0] && doc->title[0];
    if (!ok) {
        vb_document_free(doc); /* frees what was read; NULLs are fine */
        return vb_error_set(err, VB_ECORRUPT,
                            "stored document data is damaged");
    }
    *out = doc;
    return VB_OK;
}
