/* schema.c — a document into an index document: its terms (analysed
 * text per field, pairs of neighbouring words, filters), values and
 * stored data; and the index's schema version.  See vb_schema.h for the
 * layout. */
#include "schema_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest prefixed term we build: prefix (<= 2) + lang (2) + a word or a
 * field of at most VB_DOC_ID_MAX / VB_DOC_TAG_MAX / VB_TERM_MAX bytes. */
#define TERM_BUF 256

enum vb_status vb_schema_init(struct vb_xapian_writer *writer, double reference,
                              struct vb_error *err)
{
    const char *key = VB_SCHEMA_METADATA_VERSION;
    enum vb_status st =
        vb_xapian_set_metadata(writer, key, strlen(key), VB_SCHEMA_VERSION,
                               strlen(VB_SCHEMA_VERSION), err);
    if (st != VB_OK || reference <= 0)
        return st;
    char text[32];
    int n = snprintf(text, sizeof text, "%.17g", reference);
    key = VB_SCHEMA_METADATA_LENGTH;
    return vb_xapian_set_metadata(writer, key, strlen(key), text, (size_t)n,
                                  err);
}

enum vb_status vb_schema_reference(struct vb_xapian_reader *reader,
                                   double *length, struct vb_error *err)
{
    *length = 0;
    const char *key = VB_SCHEMA_METADATA_LENGTH;
    char *text = NULL;
    size_t len = 0;
    enum vb_status st =
        vb_xapian_get_metadata(reader, key, strlen(key), &text, &len, err);
    if (st != VB_OK || !text)
        return st;
    char *end = NULL;
    double value = strtod(text, &end);
    if (end == text || *end != '\0' || !(value > 0 && value < 1e12))
        st = vb_error_set(err, VB_EINVAL,
                          "the index's reference length \"%.32s\" is not a "
                          "length: rebuild it with vraagbaak-indexer --full",
                          text);
    else
        *length = value;
    free(text);
    return st;
}

void vb_schema_weighting(double k1, struct vb_xapian_search_options *options)
{
    options->bm25_k1 = k1 * VB_SCHEMA_WDF_SCALE;
    options->bm25_b = 0;
}

double vb_schema_weight_unit(double k1)
{
    return (k1 * VB_SCHEMA_WDF_SCALE + 1) / (k1 + 1);
}

/* Runs of letters and digits (any byte of a multibyte character counts
 * as a letter) in s, times `weight`. */
static double words(const char *s, double weight)
{
    size_t count = 0;
    bool in_word = false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        bool letter = *p >= 0x80 || (*p >= '0' && *p <= '9') ||
                      ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z');
        count += letter && !in_word;
        in_word = letter;
    }
    return (double)count * weight;
}

double vb_schema_length(const struct vb_document *doc)
{
    double length = words(doc->title, VB_SCHEMA_TITLE_WDF);
    for (size_t i = 0; i < doc->tag_count; i++)
        length += words(doc->tags[i], VB_SCHEMA_TAGS_WDF);
    for (size_t i = 0; i < doc->product_count; i++)
        length += words(doc->products[i], VB_SCHEMA_TAGS_WDF);
    return length + words(doc->body_text, 1);
}

double vb_schema_mean_length(double total, size_t count)
{
    double mean = count ? total / (double)count : 0;
    return mean > 1 ? mean : 1;
}

/* What every within-document frequency of `doc` is multiplied by (see
 * vb_schema.h). */
static double length_factor(const struct vb_document *doc, double reference)
{
    double norm = vb_schema_length(doc) / reference;
    if (norm < VB_SCHEMA_LENGTH_MIN)
        norm = VB_SCHEMA_LENGTH_MIN;
    return VB_SCHEMA_WDF_SCALE /
           (1 - VB_SCHEMA_LENGTH_B + VB_SCHEMA_LENGTH_B * norm);
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
    bool vocabulary;         /* add vocabulary terms */
    bool positions;          /* whole-word terms carry positions */
    const char *text_prefix; /* of text terms, or NULL */
    bool subject;            /* also add each term as a subject term */
    uint32_t base;           /* position of the field's first token */
    uint32_t wdf;            /* per occurrence */
    uint32_t next;           /* first position after the field */
    char previous[TERM_BUF]; /* the field's last content word's term */
    size_t previous_len;     /* 0: none yet */
    size_t pairs_left;       /* pair terms the field may still add */
    enum vb_status status;
    struct vb_error *err;
};

/* The pair of the field's previous content word and this one. */
static enum vb_status add_pair(struct field_feed *f,
                               const struct vb_token *token)
{
    const char *term = token->terms[0];
    size_t len = token->term_lens[0];
    if (f->pairs_left == 0)
        return VB_OK;
    if (f->previous_len > 0) {
        f->pairs_left--;
        char pair[TERM_BUF];
        size_t n = vb_schema_pair_term(f->previous, f->previous_len, term, len,
                                       pair, TERM_BUF);
        if (n > 0)
            f->status =
                vb_xapian_doc_add_term(f->xdoc, pair, n, f->wdf, f->err);
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
            len = vb_schema_term(f->text_prefix, term, len, prefixed_term,
                                 TERM_BUF);
            term = prefixed_term;
        }
        f->status =
            f->positions && token->term_kinds[i] == VB_TERM_WHOLE
                ? vb_xapian_doc_add_posting(f->xdoc, term, len, pos, f->wdf,
                                            f->err)
                : vb_xapian_doc_add_term(f->xdoc, term, len, f->wdf, f->err);
        if (f->status == VB_OK && f->subject) {
            char subject[TERM_BUF];
            size_t n = vb_schema_term(VB_SCHEMA_PREFIX_SUBJECT, term, len,
                                      subject, TERM_BUF);
            if (n > 0)
                f->status =
                    vb_xapian_doc_add_term(f->xdoc, subject, n, 1, f->err);
        }
        if (f->status != VB_OK)
            return 1;
    }
    if (f->positions && !token->stopword && add_pair(f, token) != VB_OK)
        return 1;
    if (f->vocabulary && !token->stopword &&
        token->word_len >= VB_SCHEMA_WORD_MIN &&
        token->word_len <= VB_SCHEMA_WORD_MAX &&
        !schema_all_digits(token->word, (int)token->word_len)) {
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
                                const char *text, size_t len, uint32_t wdf,
                                size_t pairs_max)
{
    f->wdf = wdf;
    f->next = f->base;
    f->previous_len = 0;
    f->pairs_left = pairs_max;
    f->status = VB_OK;
    enum vb_status st =
        vb_analyze_text(analyzer, text, len, lang, feed_token, f, f->err);
    if (st == VB_OK)
        st = f->status;
    f->base = f->next + VB_SCHEMA_POSITION_GAP;
    return st;
}

static enum vb_status add_filter(struct vb_xapian_doc *xdoc, const char *prefix,
                                 const char *value, struct vb_error *err)
{
    if (!value[0])
        return VB_OK;
    char term[TERM_BUF];
    size_t n = vb_schema_term(prefix, value, strlen(value), term, TERM_BUF);
    if (n == 0)
        return vb_error_set(err, VB_ELIMIT,
                            "'%s' is too long for a filter term", value);
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

enum vb_status vb_schema_build(struct vb_analyzer *analyzer,
                               const struct vb_document *doc, enum vb_lang lang,
                               uint64_t hash, uint64_t fingerprint,
                               double reference, struct vb_xapian_doc **out,
                               struct vb_error *err)
{
    *out = NULL;
    if (lang == VB_LANG_UNKNOWN)
        return vb_error_set(err, VB_EINVAL, "%s: no language to index in",
                            doc->id);
    if (!(reference > 0))
        return vb_error_set(err, VB_EINVAL, "%s: no reference length", doc->id);
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
    struct field_feed feed = {.xdoc = xdoc,
                              .lang_code = lang_code,
                              .word_prefix = word_prefix,
                              .base = 1,
                              .vocabulary = !history,
                              .positions = !history,
                              .text_prefix =
                                  history ? VB_SCHEMA_PREFIX_HISTORY : NULL,
                              .subject = !history,
                              .err = err};
    st = feed_text(analyzer, &feed, lang, doc->title, strlen(doc->title),
                   VB_SCHEMA_TITLE_WDF, SIZE_MAX);
    for (size_t i = 0; st == VB_OK && i < doc->tag_count; i++)
        st = feed_text(analyzer, &feed, lang, doc->tags[i],
                       strlen(doc->tags[i]), VB_SCHEMA_TAGS_WDF, SIZE_MAX);
    for (size_t i = 0; st == VB_OK && i < doc->product_count; i++)
        st = feed_text(analyzer, &feed, lang, doc->products[i],
                       strlen(doc->products[i]), VB_SCHEMA_TAGS_WDF, SIZE_MAX);
    feed.subject = false;
    if (feed.base < VB_SCHEMA_BODY_POSITION)
        feed.base = VB_SCHEMA_BODY_POSITION;
    if (st == VB_OK)
        st = feed_text(analyzer, &feed, lang, doc->body_text,
                       strlen(doc->body_text), 1, VB_SCHEMA_BODY_PAIRS);
    if (st != VB_OK)
        goto out;

    st = add_filter(xdoc, VB_SCHEMA_PREFIX_TYPE, doc->type, err);
    if (st == VB_OK) {
        /* Not boolean: with a within-document frequency the language term
         * carries weight, so search can boost the agent's language. */
        char term[TERM_BUF];
        size_t n =
            vb_schema_term(VB_SCHEMA_PREFIX_LANG, lang_code, 2, term, TERM_BUF);
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
    if (st == VB_OK)
        st = vb_xapian_doc_scale_wdf(xdoc, length_factor(doc, reference), err);
    if (st != VB_OK)
        goto out;

    /* Only a translation group's members have a collapse key: Xapian
     * never collapses a document without one, and a search of an index
     * with no groups at all need not collapse (search/hits.c). */
    char collapse[TERM_BUF], date[32];
    size_t collapse_len =
        doc->group[0] ? vb_schema_group_key(doc, collapse, TERM_BUF) : 0;
    st =
        set_value(xdoc, VB_SCHEMA_SLOT_TYPE, doc->type, strlen(doc->type), err);
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
        st = set_value(xdoc, VB_SCHEMA_SLOT_REVIEW_BY, date,
                       day > 10 ? 10 : day, err);
    day = vb_schema_sortable_date(doc->valid_until, date, sizeof date);
    if (st == VB_OK)
        st = set_value(xdoc, VB_SCHEMA_SLOT_VALID_UNTIL, date,
                       day > 10 ? 10 : day, err);
    if (st != VB_OK)
        goto out;

    size_t sync_len = 0, data_len = 0;
    st = VB_ENOMEM;
    data = schema_record(doc, lang_code, &data_len);
    struct vb_schema_sync_record rec = {
        .id = doc->id,
        .id_len = strlen(doc->id),
        .hash = hash,
        .fingerprint = fingerprint,
        .source_path = doc->source_path,
        .source_path_len = strlen(doc->source_path),
        .source_line = doc->source_line,
    };
    sync = schema_sync_value(&rec, &sync_len);
    if (!data || !sync) {
        vb_error_set(err, VB_ENOMEM, "%s: out of memory", doc->id);
        goto out;
    }
    st =
        vb_xapian_doc_set_value(xdoc, VB_SCHEMA_SLOT_SYNC, sync, sync_len, err);
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

enum vb_status vb_schema_delete(struct vb_xapian_writer *writer, const char *id,
                                uint32_t docid, bool *deleted,
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
