/* The index schema (schema/vb_schema.h): what a document becomes in the
 * index (terms, weights, values, stored data, sync record) and back.  Each
 * test that touches an index works on a fresh one in its own temporary
 * directory, removed afterwards. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "vb_analysis.h"
#include "vb_document.h"
#include "vb_schema.h"
#include "vb_xapian.h"

/* ---- Fixture: a temporary directory and an analyzer ------------------- */

/* base_dir is made by main() and removed after the whole suite (also what
 * a failed test leaves behind); each test gets its own tmp_dir in it. */
static char base_dir[64];
static char tmp_dir[96];
static char index_dir[128];
static struct vb_analysis_data *analysis;
static struct vb_analyzer *analyzer;

static void setup(void)
{
    snprintf(tmp_dir, sizeof tmp_dir, "%s/test-XXXXXX", base_dir);
    ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
    snprintf(index_dir, sizeof index_dir, "%s/index", tmp_dir);
    struct vb_error err = {0};
    ck_assert_msg(vb_analysis_data_new(&analysis, &err) == VB_OK, "%s",
                  err.msg);
    ck_assert_msg(vb_analyzer_new(analysis, &analyzer, &err) == VB_OK, "%s",
                  err.msg);
}

static void teardown(void)
{
    vb_analyzer_free(analyzer);
    vb_analysis_data_free(analysis);
    analyzer = NULL;
    analysis = NULL;
    vb_test_remove_tree(tmp_dir);
}

/* ---- Helpers ----------------------------------------------------------- */

/* A document read from Markdown text; the path names a file in tmp_dir. */
static struct vb_document *markdown(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/kb/%s", tmp_dir, name);
    struct vb_document *doc = NULL;
    struct vb_error err = {0};
    ck_assert_msg(vb_document_parse_markdown(path, text, strlen(text), &doc,
                                             &err) == VB_OK,
                  "%s", err.msg);
    return doc;
}

static struct vb_document *json(const char *name, unsigned line,
                                const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/kb/%s", tmp_dir, name);
    struct vb_document *doc = NULL;
    struct vb_error err = {0};
    ck_assert_msg(vb_document_parse_json(path, line, text, strlen(text), &doc,
                                         &err) == VB_OK,
                  "%s", err.msg);
    return doc;
}

static enum vb_lang doc_lang(const struct vb_document *doc)
{
    return vb_lang_parse(doc->lang, strlen(doc->lang));
}

/* Builds `doc` in `lang` and stores it through `writer`. */
static void put_as(struct vb_xapian_writer *writer,
                   const struct vb_document *doc, enum vb_lang lang)
{
    struct vb_xapian_doc *built = NULL;
    struct vb_error err = {0};
    ck_assert_msg(vb_schema_build(analyzer, doc, lang,
                                  vb_document_content_hash(doc), 0, 100.0,
                                  &built, &err) == VB_OK,
                  "%s", err.msg);
    ck_assert_ptr_nonnull(built);
    ck_assert_msg(vb_schema_put(writer, doc->id, VB_SCHEMA_DOCID_UNKNOWN, built,
                                &err) == VB_OK,
                  "%s", err.msg);
    vb_xapian_doc_free(built);
}

static void put(struct vb_xapian_writer *writer, const struct vb_document *doc)
{
    put_as(writer, doc, doc_lang(doc));
}

static struct vb_xapian_writer *open_writer(void)
{
    struct vb_xapian_writer *writer = NULL;
    struct vb_error err = {0};
    ck_assert_msg(vb_xapian_writer_open(index_dir, true, &writer, &err) ==
                      VB_OK,
                  "%s", err.msg);
    return writer;
}

static void commit(struct vb_xapian_writer *writer)
{
    struct vb_error err = {0};
    ck_assert_msg(vb_xapian_commit(writer, &err) == VB_OK, "%s", err.msg);
}

static struct vb_xapian_reader *open_reader(void)
{
    struct vb_xapian_reader *reader = NULL;
    struct vb_error err = {0};
    ck_assert_msg(vb_xapian_reader_open(index_dir, &reader, &err) == VB_OK,
                  "%s", err.msg);
    return reader;
}

/* Stores the documents (and the schema version) and commits. */
static void store_all(struct vb_document *const *docs, size_t n)
{
    struct vb_xapian_writer *writer = open_writer();
    struct vb_error err = {0};
    ck_assert_msg(vb_schema_init(writer, 100.0, &err) == VB_OK, "%s", err.msg);
    for (size_t i = 0; i < n; i++)
        put(writer, docs[i]);
    commit(writer);
    vb_xapian_writer_close(writer);
}

static uint32_t term_freq(struct vb_xapian_reader *reader, const char *term)
{
    uint32_t freq = 0;
    struct vb_error err = {0};
    ck_assert_msg(vb_xapian_term_freq(reader, term, strlen(term), &freq,
                                      &err) == VB_OK,
                  "%s", err.msg);
    return freq;
}

#define ck_assert_term(reader, term, freq)                                     \
    ck_assert_msg(term_freq(reader, term) == (freq),                           \
                  "term '%s' indexes %u documents, expected %u", term,         \
                  term_freq(reader, term), (unsigned)(freq))

/* terms[0] of the first token of `word` in `lang`: the index term that
 * every inflected form of the word shares. */
static int take_first_term(void *ctx, const struct vb_token *token)
{
    char *out = ctx;
    snprintf(out, 128, "%s", token->terms[0]);
    return 1;
}

static const char *index_term(const char *word, enum vb_lang lang)
{
    static char term[128];
    term[0] = '\0';
    struct vb_error err = {0};
    ck_assert_msg(vb_analyze_text(analyzer, word, strlen(word), lang,
                                  take_first_term, term, &err) == VB_OK,
                  "%s", err.msg);
    ck_assert_msg(term[0], "'%s' yields no term", word);
    return term;
}

/* The value in `slot` of the document with Xapian id `docid` ("" when
 * none), copied into a static buffer. */
struct value_probe {
    uint32_t docid;
    char value[512];
    bool found;
};

static int probe_value(void *ctx, uint32_t docid, const char *value, size_t len)
{
    struct value_probe *p = ctx;
    if (docid != p->docid)
        return 0;
    snprintf(p->value, sizeof p->value, "%.*s", (int)len, value);
    p->found = true;
    return 1;
}

/* The Xapian id of the stored document `id`. */
static uint32_t docid_of(struct vb_xapian_reader *reader, const char *id)
{
    char term[256];
    size_t n = vb_schema_id_term(id, term, sizeof term);
    ck_assert_uint_gt(n, 0);
    uint32_t docid = 0;
    struct vb_error err = {0};
    ck_assert_msg(vb_xapian_get_document(reader, term, n, &docid, NULL, NULL,
                                         &err) == VB_OK,
                  "%s", err.msg);
    return docid;
}

static const char *value_of(struct vb_xapian_reader *reader, const char *id,
                            uint32_t slot)
{
    static struct value_probe probe;
    memset(&probe, 0, sizeof probe);
    probe.docid = docid_of(reader, id);
    struct vb_error err = {0};
    ck_assert_msg(vb_xapian_for_each_value(reader, slot, probe_value, &probe,
                                           &err) == VB_OK,
                  "%s", err.msg);
    return probe.value;
}

/* The raw record of document `id`. */
static char *record_of(struct vb_xapian_reader *reader, const char *id,
                       size_t *len)
{
    char term[256];
    size_t n = vb_schema_id_term(id, term, sizeof term);
    char *data = NULL;
    struct vb_error err = {0};
    ck_assert_msg(vb_xapian_get_document(reader, term, n, NULL, &data, len,
                                         &err) == VB_OK,
                  "%s", err.msg);
    return data;
}

static struct vb_document *stored(struct vb_xapian_reader *reader,
                                  const char *id)
{
    size_t len = 0;
    char *data = record_of(reader, id, &len);
    struct vb_document *doc = NULL;
    struct vb_error err = {0};
    enum vb_status st = vb_schema_decode(data, len, &doc, &err);
    free(data);
    ck_assert_msg(st == VB_OK, "%s: %s", id, err.msg);
    return doc;
}

static const char product_md[] =
    "---\n"
    "id: proc-facturen-nl\n"
    "type: procedure\n"
    "lang: nl\n"
    "title: Facturen betalen\n"
    "group: proc-facturen\n"
    "tags: [betaling, domiciliëring]\n"
    "products: [fiber-500, TV-BASIS]\n"
    "updated: 2026-03-14\n"
    "---\n"
    "De klant wil zijn **rekening** online via domiciliëring regelen.\n"
    "\n"
    "| stap | wat |\n|---|---|\n| 1 | Open *Mijn Account* |\n";

static const char history_json[] =
    "{\"id\": \"hist-c000123-0001\", \"type\": \"history\", \"lang\": \"fr\","
    " \"title\": \"Appel: contestation de facture\", \"customer\": \"C000123\","
    " \"channel\": \"phone\", \"date\": \"2025-12-31T22:00:00-05:30\","
    " \"body_html\": \"<p>Le client conteste la <b>facture</b> &amp; le "
    "d&eacute;lai.</p><script>x()</script>\"}";

/* ==== Sortable dates ==================================================== */

static void expect_date(const char *iso, const char *want)
{
    char buf[32];
    memset(buf, 'x', sizeof buf);
    size_t n = vb_schema_sortable_date(iso, buf, sizeof buf);
    ck_assert_msg(n == strlen(want) && strcmp(buf, want) == 0,
                  "sortable('%s') = '%.*s' (%zu), expected '%s'", iso,
                  (int)(n ? n : 0), buf, n, want);
}

static void expect_no_date(const char *iso)
{
    char buf[32];
    size_t n = vb_schema_sortable_date(iso, buf, sizeof buf);
    ck_assert_msg(n == 0, "sortable('%s') = '%.*s', expected 0", iso, (int)n,
                  buf);
}

START_TEST(test_schema_sortable_date)
{
    expect_date("2026-03-14", "2026-03-14");
    expect_date("2026-03-14T10:42:00Z", "2026-03-14T10:42:00Z");
    expect_date("2026-03-14T10:42:00+01:00", "2026-03-14T09:42:00Z");
    /* -05:30 late on new year's eve: next day, next year, in UTC. */
    expect_date("2025-12-31T22:00:00-05:30", "2026-01-01T03:30:00Z");
    /* +01:00 just after midnight: back to the previous year. */
    expect_date("2026-01-01T00:30:00+01:00", "2025-12-31T23:30:00Z");
    /* Across a leap day, both ways. */
    expect_date("2024-03-01T00:15:00+02:00", "2024-02-29T22:15:00Z");
    expect_date("2024-02-29T23:00:00-01:30", "2024-03-01T00:30:00Z");
    expect_date("2023-03-01T00:15:00+02:00", "2023-02-28T22:15:00Z");
    /* Fractions are dropped, offsets still applied. */
    expect_date("2026-03-14T10:42:00.123Z", "2026-03-14T10:42:00Z");
    expect_date("2026-03-14T10:42:59.999999+01:00", "2026-03-14T09:42:59Z");
    expect_date("2026-03-14T00:00:00+00:00", "2026-03-14T00:00:00Z");
    expect_date("2026-03-14T23:59:59-00:00", "2026-03-14T23:59:59Z");

    expect_no_date("");
    expect_no_date("yesterday");
    expect_no_date("2026");
    expect_no_date("2026-03");
    expect_no_date("2026/03/14");
    expect_no_date("14-03-2026");
    expect_no_date("2026-3-14");
    expect_no_date("2026-03-14 ");
    expect_no_date("2026-03-14T10:42");
    expect_no_date("2026-03-14T10:42:00");      /* no zone */
    expect_no_date("2026-03-14T10:42:00+0100"); /* offset without colon */
    expect_no_date("2026-03-14T10:42:00+01");
    expect_no_date("2026-03-14T10:42:00Zjunk");
    expect_no_date("2026-03-14T10:42:00+01:00junk");
    expect_no_date("2026-03-14 10:42:00Z");
    expect_no_date("２０２６-03-14");

    /* Too small a buffer: 0, never an overflow. */
    char small[20];
    ck_assert_uint_eq(vb_schema_sortable_date("2026-03-14", small, sizeof small),
                      0);

    /* The sortable forms order by time, whatever the offsets. */
    char a[32], b[32], c[32];
    ck_assert_uint_gt(vb_schema_sortable_date("2026-03-14T10:30:00+01:00", a,
                                              sizeof a),
                      0);
    ck_assert_uint_gt(vb_schema_sortable_date("2026-03-14T09:45:00Z", b,
                                              sizeof b),
                      0);
    ck_assert_uint_gt(vb_schema_sortable_date("2026-03-14T05:00:00-05:00", c,
                                              sizeof c),
                      0);
    ck_assert_str_lt(a, b); /* 09:30Z before 09:45Z */
    ck_assert_str_lt(b, c); /* 09:45Z before 10:00Z */
}
END_TEST

/* The header promises 0 for "a string that is not such a date" (as the
 * document module accepts them): the separators of the time and the
 * ranges of its fields must be checked too. */
START_TEST(test_schema_sortable_date_rejects_malformed_times)
{
    expect_no_date("2026-03-14T10x42y00Z");
    expect_no_date("2026-03-14T10:42:00.Z");
    expect_no_date("2026-13-01");
    expect_no_date("2026-02-30");
    expect_no_date("2026-03-14T25:00:00Z");
    expect_no_date("2026-03-14T10:61:00+01:00");
    expect_no_date("2026-03-14T10:42:00+25:00");
}
END_TEST

/* ==== Building and storing a document ================================== */

START_TEST(test_schema_filter_terms)
{
    struct vb_document *docs[2] = {markdown("proc.md", product_md),
                                   json("history.jsonl", 7, history_json)};
    store_all(docs, 2);
    struct vb_xapian_reader *reader = open_reader();

    ck_assert_term(reader, "Qproc-facturen-nl", 1);
    ck_assert_term(reader, "Qhist-c000123-0001", 1);
    ck_assert_term(reader, "XTprocedure", 1);
    ck_assert_term(reader, "XThistory", 1);
    ck_assert_term(reader, "Lnl", 1);
    ck_assert_term(reader, "Lfr", 1);
    ck_assert_term(reader, "Len", 0);
    ck_assert_term(reader, "Gproc-facturen", 1);
    /* Product codes upper case, whatever the document wrote. */
    ck_assert_term(reader, "XPFIBER-500", 1);
    ck_assert_term(reader, "XPTV-BASIS", 1);
    ck_assert_term(reader, "XPfiber-500", 0);
    ck_assert_term(reader, "Kbetaling", 1);
    ck_assert_term(reader, "XCC000123", 1);
    ck_assert_term(reader, "XHphone", 1);
    /* History fields only on history. */
    uint32_t n = 0;
    struct vb_error err = {0};
    ck_assert(vb_xapian_doc_count(reader, &n, &err) == VB_OK);
    ck_assert_uint_eq(n, 2);

    vb_xapian_reader_close(reader);
    vb_document_free(docs[0]);
    vb_document_free(docs[1]);
}
END_TEST

/* The header: VB_SCHEMA_PREFIX_TAG is "tag, case-folded as a word", so a
 * tag filter for "betaling" finds a document tagged "Betaling". */
START_TEST(test_schema_tag_terms_case_folded)
{
    struct vb_document *doc = markdown(
        "tags.md", "---\nid: t1\ntype: product\nlang: nl\ntitle: Glasvezel\n"
                   "tags: [Betaling, SIM-Kaart]\n---\nTekst.\n");
    store_all(&doc, 1);
    struct vb_xapian_reader *reader = open_reader();
    ck_assert_term(reader, "Kbetaling", 1);
    ck_assert_term(reader, "Ksim-kaart", 1);
    ck_assert_term(reader, "KBetaling", 0);
    vb_xapian_reader_close(reader);
    vb_document_free(doc);
}
END_TEST

START_TEST(test_schema_text_and_vocabulary_terms)
{
    struct vb_document *docs[2] = {
        markdown("proc.md", product_md),
        markdown("other.md", "---\nid: proc-2\ntype: procedure\nlang: nl\n"
                             "title: Facturen opvragen\n---\nKopie.\n")};
    store_all(docs, 2);
    struct vb_xapian_reader *reader = open_reader();

    /* Text terms: the analysis chain's terms, no prefix. */
    ck_assert_str_eq(index_term("facturen", VB_LANG_NL), "factuur");
    ck_assert_term(reader, "factuur", 2);
    ck_assert_term(reader, index_term("betalen", VB_LANG_NL), 1);
    ck_assert_term(reader, index_term("rekening", VB_LANG_NL), 1);
    ck_assert_term(reader, index_term("domiciliëring", VB_LANG_NL), 1);
    ck_assert_term(reader, index_term("account", VB_LANG_NL), 1);
    /* Markup is not a word. */
    ck_assert_term(reader, "**rekening**", 0);
    ck_assert_term(reader, "|", 0);
    ck_assert_term(reader, "---", 0);
    /* The vocabulary: "W" + lang + the folded word; its frequency is the
     * number of documents in that language holding the word. */
    ck_assert_term(reader, "Wnlfacturen", 2);
    ck_assert_term(reader, "Wnlbetalen", 1);
    ck_assert_term(reader, "Wnldomiciliering", 1);
    ck_assert_term(reader, "WnlFacturen", 0);
    ck_assert_term(reader, "Wfrfacturen", 0);
    /* Tags and product codes are searchable words too. */
    ck_assert_term(reader, index_term("betaling", VB_LANG_NL), 1);

    vb_xapian_reader_close(reader);
    vb_document_free(docs[0]);
    vb_document_free(docs[1]);
}
END_TEST

START_TEST(test_schema_title_weighs_more_than_body)
{
    /* Same words, same length; only where "storing" stands differs. */
    struct vb_document *docs[2] = {
        markdown("body.md", "---\nid: in-body\ntype: procedure\nlang: nl\n"
                            "title: Melden van problemen\n---\n"
                            "Een storing bij de klant.\n"),
        markdown("title.md", "---\nid: in-title\ntype: procedure\nlang: nl\n"
                             "title: Melden van storing\n---\n"
                             "Een problemen bij de klant.\n")};
    store_all(docs, 2);
    struct vb_xapian_reader *reader = open_reader();
    const char *term = index_term("storing", VB_LANG_NL);
    struct vb_xapian_query *q = vb_xapian_query_term(term, strlen(term), 1, 1);
    ck_assert_ptr_nonnull(q);
    struct vb_xapian_hits *hits = NULL;
    struct vb_error err = {0};
    ck_assert_msg(vb_xapian_search(reader, q, NULL, &hits, &err) == VB_OK, "%s",
                  err.msg);
    ck_assert_uint_eq(vb_xapian_hits_count(hits), 2);
    struct vb_document *first = NULL;
    const char *data = NULL;
    size_t len = 0;
    data = vb_xapian_hit_data(hits, 0, &len);
    ck_assert(vb_schema_decode(data, len, &first, &err) == VB_OK);
    ck_assert_str_eq(first->id, "in-title");
    ck_assert_msg(vb_xapian_hit_weight(hits, 0) > vb_xapian_hit_weight(hits, 1),
                  "title hit %g, body hit %g", vb_xapian_hit_weight(hits, 0),
                  vb_xapian_hit_weight(hits, 1));
    vb_document_free(first);
    vb_xapian_hits_free(hits);
    vb_xapian_query_free(q);
    vb_xapian_reader_close(reader);
    vb_document_free(docs[0]);
    vb_document_free(docs[1]);
}
END_TEST

/* A document's length for BM25: words, a title word 12 times, a tag's or
 * code's twice; letters outside ASCII are letters. */
START_TEST(test_schema_length)
{
    struct vb_document *doc =
        markdown("length.md", "---\nid: length\ntype: procedure\nlang: nl\n"
                              "title: Factuur betalen\n"
                              "tags: [betaling, domiciliëring]\n"
                              "products: [fiber-500, TV-BASIS]\n---\n"
                              "Zo betaal je een factuur, in 2 stappen.\n");
    /* 2 x 12 + 2 x 2 + 4 x 2 + 8 */
    ck_assert_double_eq(vb_schema_length(doc), 44);
    vb_document_free(doc);
}
END_TEST

static double bm25_tf(double tf, double length, double reference, double k1)
{
    double norm = length / reference;
    if (norm < VB_SCHEMA_LENGTH_MIN)
        norm = VB_SCHEMA_LENGTH_MIN;
    double k = 1 - VB_SCHEMA_LENGTH_B + VB_SCHEMA_LENGTH_B * norm;
    return tf * (k1 + 1) / (tf + k1 * k);
}

/* Lengths normalised when documents are built score as BM25 with b on the
 * raw frequencies: one occurrence in a short and in a long text weigh as
 * the formula says (within the rounding of the stored frequencies). */
START_TEST(test_schema_length_normalised)
{
    char body[4096] = "Een storing bij de klant.";
    for (int i = 0; i < 300; i++)
        strcat(body, " extra");
    char text[4200];
    snprintf(text, sizeof text,
             "---\nid: long\ntype: procedure\nlang: nl\n"
             "title: Melding\n---\n%s\n",
             body);
    struct vb_document *docs[2] = {
        markdown("short.md", "---\nid: short\ntype: procedure\nlang: nl\n"
                             "title: Melding\n---\n"
                             "Een storing bij de klant.\n"),
        markdown("long.md", text)};
    store_all(docs, 2); /* reference length 100 */
    struct vb_xapian_reader *reader = open_reader();
    const char *term = index_term("storing", VB_LANG_NL);
    struct vb_xapian_query *q = vb_xapian_query_term(term, strlen(term), 1, 1);
    struct vb_xapian_search_options options;
    vb_xapian_search_options_init(&options);
    vb_schema_weighting(1.2, &options);
    struct vb_xapian_hits *hits = NULL;
    struct vb_error err = {0};
    ck_assert_msg(vb_xapian_search(reader, q, &options, &hits, &err) == VB_OK,
                  "%s", err.msg);
    ck_assert_uint_eq(vb_xapian_hits_count(hits), 2);
    double got = vb_xapian_hit_weight(hits, 0) / vb_xapian_hit_weight(hits, 1);
    double want = bm25_tf(1, vb_schema_length(docs[0]), 100, 1.2) /
                  bm25_tf(1, vb_schema_length(docs[1]), 100, 1.2);
    ck_assert_msg(want > 2, "%g", want); /* the long text weighs less */
    ck_assert_msg(got > want * 0.99 && got < want * 1.01,
                  "short / long: %g, BM25 says %g", got, want);
    /* And on BM25's own scale once divided by the unit: Xapian's idf of a
     * term in both of two documents is log(1 + 0.5 x 0.5 / 2.5). */
    double short_weight =
        vb_xapian_hit_weight(hits, 0) / vb_schema_weight_unit(1.2);
    double bm25 = log(1.1) * bm25_tf(1, vb_schema_length(docs[0]), 100, 1.2);
    ck_assert_msg(short_weight > bm25 * 0.99 && short_weight < bm25 * 1.01,
                  "short: %g, BM25 says %g", short_weight, bm25);
    vb_xapian_hits_free(hits);
    vb_xapian_query_free(q);
    vb_xapian_reader_close(reader);
    vb_document_free(docs[0]);
    vb_document_free(docs[1]);
}
END_TEST

/* A phrase never spans the title and the body. */
START_TEST(test_schema_phrase_stays_within_a_field)
{
    struct vb_document *doc = markdown(
        "p.md", "---\nid: p1\ntype: procedure\nlang: nl\n"
                "title: Factuur betalen\n---\nOnline betalen kan altijd.\n");
    store_all(&doc, 1);
    struct vb_xapian_reader *reader = open_reader();
    char t1[128], t2[128], t3[128];
    snprintf(t1, sizeof t1, "%s", index_term("betalen", VB_LANG_NL));
    snprintf(t2, sizeof t2, "%s", index_term("online", VB_LANG_NL));
    snprintf(t3, sizeof t3, "%s", index_term("factuur", VB_LANG_NL));
    struct vb_xapian_query *a = vb_xapian_query_term(t1, strlen(t1), 1, 1);
    struct vb_xapian_query *b = vb_xapian_query_term(t2, strlen(t2), 1, 2);
    struct vb_xapian_query *c = vb_xapian_query_term(t3, strlen(t3), 1, 1);
    struct vb_xapian_query *d = vb_xapian_query_term(t1, strlen(t1), 1, 2);
    struct vb_xapian_query *across[2] = {a, b}, *within[2] = {c, d};
    struct vb_xapian_query *pa = vb_xapian_query_phrase(across, 2, 0);
    struct vb_xapian_query *pw = vb_xapian_query_phrase(within, 2, 0);
    ck_assert_ptr_nonnull(pa);
    ck_assert_ptr_nonnull(pw);
    struct vb_xapian_hits *hits = NULL;
    struct vb_error err = {0};
    ck_assert(vb_xapian_search(reader, pa, NULL, &hits, &err) == VB_OK);
    ck_assert_uint_eq(vb_xapian_hits_count(hits), 0); /* "betalen online" */
    vb_xapian_hits_free(hits);
    ck_assert(vb_xapian_search(reader, pw, NULL, &hits, &err) == VB_OK);
    ck_assert_uint_eq(vb_xapian_hits_count(hits), 1); /* "factuur betalen" */
    vb_xapian_hits_free(hits);
    struct vb_xapian_query *all[] = {a, b, c, d, pa, pw};
    for (size_t i = 0; i < 6; i++)
        vb_xapian_query_free(all[i]);
    vb_xapian_reader_close(reader);
    vb_document_free(doc);
}
END_TEST

/* A tenant's document (Contract 1 `tenant`): its filter term, its own
 * vocabulary terms, its translation group apart from another client's
 * or the shared one of the same name, and the field stored. */
START_TEST(test_schema_tenant_terms)
{
    struct vb_document *docs[3] = {
        markdown("acme.md", "---\nid: acme-1\ntype: procedure\nlang: nl\n"
                            "title: Retour melden\ngroup: retour\n"
                            "tenant: acme\n---\nDe klant stuurt terug.\n"),
        markdown("brico.md", "---\nid: brico-1\ntype: procedure\nlang: nl\n"
                             "title: Retour melden\ngroup: retour\n"
                             "tenant: brico\n---\nZaagmachine terug.\n"),
        markdown("shared.md", "---\nid: shared-1\ntype: procedure\nlang: nl\n"
                              "title: Agressieve beller\ngroup: retour\n---\n"
                              "Blijf rustig.\n")};
    store_all(docs, 3);
    struct vb_xapian_reader *reader = open_reader();
    ck_assert_term(reader, "XNacme", 1);
    ck_assert_term(reader, "XNbrico", 1);
    ck_assert_term(reader, "XN_", 1);
    /* Vocabulary: the shared documents' under W, each client's apart. */
    ck_assert_term(reader, "XWacme:nlretour", 1);
    ck_assert_term(reader, "XWbrico:nlzaagmachine", 1);
    ck_assert_term(reader, "Wnlzaagmachine", 0);
    ck_assert_term(reader, "Wnlrustig", 1);
    ck_assert_term(reader, "XWacme:nlzaagmachine", 0);
    /* Text terms are shared (the tenant filter keeps them apart). */
    ck_assert_term(reader, index_term("zaagmachine", VB_LANG_NL), 1);
    ck_assert_str_eq(value_of(reader, "acme-1", VB_SCHEMA_SLOT_COLLAPSE),
                     "acme/retour");
    ck_assert_str_eq(value_of(reader, "brico-1", VB_SCHEMA_SLOT_COLLAPSE),
                     "brico/retour");
    ck_assert_str_eq(value_of(reader, "shared-1", VB_SCHEMA_SLOT_COLLAPSE),
                     "retour");
    ck_assert_str_eq(value_of(reader, "acme-1", VB_SCHEMA_SLOT_TENANT), "acme");
    ck_assert_str_eq(value_of(reader, "shared-1", VB_SCHEMA_SLOT_TENANT), "");
    struct vb_document *got = stored(reader, "brico-1");
    ck_assert_str_eq(got->tenant, "brico");
    vb_document_free(got);
    got = stored(reader, "shared-1");
    ck_assert_str_eq(got->tenant, "");
    vb_document_free(got);
    vb_xapian_reader_close(reader);
    for (int i = 0; i < 3; i++)
        vb_document_free(docs[i]);
}
END_TEST

START_TEST(test_schema_values)
{
    struct vb_document *docs[2] = {markdown("proc.md", product_md),
                                   json("history.jsonl", 7, history_json)};
    store_all(docs, 2);
    struct vb_xapian_reader *reader = open_reader();
    const char *p = "proc-facturen-nl", *h = "hist-c000123-0001";
    ck_assert_str_eq(value_of(reader, p, VB_SCHEMA_SLOT_TYPE), "procedure");
    ck_assert_str_eq(value_of(reader, h, VB_SCHEMA_SLOT_TYPE), "history");
    ck_assert_str_eq(value_of(reader, p, VB_SCHEMA_SLOT_LANG), "nl");
    ck_assert_str_eq(value_of(reader, h, VB_SCHEMA_SLOT_LANG), "fr");
    /* Collapse key: the group; none without one (never collapsed). */
    ck_assert_str_eq(value_of(reader, p, VB_SCHEMA_SLOT_COLLAPSE),
                     "proc-facturen");
    ck_assert_str_eq(value_of(reader, h, VB_SCHEMA_SLOT_COLLAPSE), "");
    ck_assert_str_eq(value_of(reader, p, VB_SCHEMA_SLOT_UPDATED), "2026-03-14");
    ck_assert_str_eq(value_of(reader, p, VB_SCHEMA_SLOT_DATE), "");
    ck_assert_str_eq(value_of(reader, h, VB_SCHEMA_SLOT_UPDATED), "");
    ck_assert_str_eq(value_of(reader, h, VB_SCHEMA_SLOT_DATE),
                     "2026-01-01T03:30:00Z");
    vb_xapian_reader_close(reader);
    vb_document_free(docs[0]);
    vb_document_free(docs[1]);
}
END_TEST

/* Sorting by the date slot puts events in time order across offsets. */
START_TEST(test_schema_date_slot_sorts)
{
    const char *lines[3] = {
        "{\"id\":\"e1\",\"type\":\"history\",\"lang\":\"en\",\"title\":\"Call "
        "one\",\"customer\":\"C1\",\"date\":\"2026-03-14T10:30:00+01:00\"}",
        "{\"id\":\"e2\",\"type\":\"history\",\"lang\":\"en\",\"title\":\"Call "
        "two\",\"customer\":\"C1\",\"date\":\"2026-03-14T05:00:00-05:00\"}",
        "{\"id\":\"e3\",\"type\":\"history\",\"lang\":\"en\",\"title\":\"Call "
        "three\",\"customer\":\"C1\",\"date\":\"2026-03-14T09:45:00Z\"}"};
    struct vb_document *docs[3];
    for (unsigned i = 0; i < 3; i++)
        docs[i] = json("h.jsonl", i + 1, lines[i]);
    store_all(docs, 3);
    struct vb_xapian_reader *reader = open_reader();
    struct vb_xapian_query *q = vb_xapian_query_term("XCC1", 4, 1, 1);
    struct vb_xapian_search_options o;
    vb_xapian_search_options_init(&o);
    o.sort_slot = VB_SCHEMA_SLOT_DATE;
    o.sort_descending = true;
    struct vb_xapian_hits *hits = NULL;
    struct vb_error err = {0};
    ck_assert_msg(vb_xapian_search(reader, q, &o, &hits, &err) == VB_OK, "%s",
                  err.msg);
    ck_assert_uint_eq(vb_xapian_hits_count(hits), 3);
    const char *want[3] = {"e2", "e3", "e1"}; /* 10:00Z, 09:45Z, 09:30Z */
    for (size_t i = 0; i < 3; i++) {
        size_t len = 0;
        const char *data = vb_xapian_hit_data(hits, i, &len);
        struct vb_document *d = NULL;
        ck_assert(vb_schema_decode(data, len, &d, &err) == VB_OK);
        ck_assert_str_eq(d->id, want[i]);
        vb_document_free(d);
    }
    vb_xapian_hits_free(hits);
    vb_xapian_query_free(q);
    vb_xapian_reader_close(reader);
    for (int i = 0; i < 3; i++)
        vb_document_free(docs[i]);
}
END_TEST

/* ==== Stored data and sync records ===================================== */

static void expect_same_document(const struct vb_document *got,
                                 const struct vb_document *want,
                                 const char *want_lang)
{
    ck_assert_str_eq(got->id, want->id);
    ck_assert_str_eq(got->type, want->type);
    ck_assert_str_eq(got->lang, want_lang);
    ck_assert_str_eq(got->title, want->title);
    ck_assert_str_eq(got->group, want->group);
    ck_assert_uint_eq(got->tag_count, want->tag_count);
    for (size_t i = 0; i < want->tag_count; i++)
        ck_assert_str_eq(got->tags[i], want->tags[i]);
    ck_assert_uint_eq(got->product_count, want->product_count);
    for (size_t i = 0; i < want->product_count; i++)
        ck_assert_str_eq(got->products[i], want->products[i]);
    ck_assert_str_eq(got->updated, want->updated);
    ck_assert_str_eq(got->customer, want->customer);
    ck_assert_str_eq(got->channel, want->channel);
    ck_assert_str_eq(got->date, want->date);
    ck_assert_str_eq(got->owner, want->owner);
    ck_assert_str_eq(got->review_by, want->review_by);
    ck_assert_str_eq(got->valid_until, want->valid_until);
    ck_assert_str_eq(got->tenant, want->tenant);
    ck_assert_str_eq(got->body_source, want->body_source);
    ck_assert_str_eq(got->body_text, want->body_text);
    ck_assert_int_eq(got->body_format, want->body_format);
    /* Where it came from is in the sync record, not in the stored data. */
    ck_assert_str_eq(got->source_path, "");
    ck_assert_uint_eq(got->source_line, 0);
}

START_TEST(test_schema_stored_data_round_trip)
{
    struct vb_document *docs[4] = {
        markdown("proc.md", product_md),
        json("history.jsonl", 7, history_json),
        markdown("nolang.md", "---\nid: no-lang\ntype: product\n"
                              "title: Le décodeur TV\n---\n"
                              "Le client redémarre le décodeur.\n"),
        /* Plain text body: stored once, decoded as both forms. */
        json("plain.jsonl", 1,
             "{\"id\":\"plain\",\"type\":\"product\",\"lang\":\"en\","
             "\"title\":\"Plain\",\"body\":\"Just words here\"}")};
    ck_assert_int_eq(docs[1]->body_format, VB_DOCUMENT_BODY_HTML);
    ck_assert_ptr_null(strstr(docs[1]->body_text, "<b>"));
    ck_assert_ptr_null(strstr(docs[1]->body_text, "x()"));
    ck_assert_str_eq(docs[2]->lang, "");
    struct vb_xapian_writer *writer = open_writer();
    put(writer, docs[0]);
    put(writer, docs[1]);
    put_as(writer, docs[2], VB_LANG_FR); /* as if detected */
    put(writer, docs[3]);
    commit(writer);
    vb_xapian_writer_close(writer);

    struct vb_xapian_reader *reader = open_reader();
    const char *langs[4] = {"nl", "fr", "fr", "en"};
    for (int i = 0; i < 4; i++) {
        struct vb_document *got = stored(reader, docs[i]->id);
        expect_same_document(got, docs[i], langs[i]);
        /* The decoded document hashes like the original (the content hash
         * ignores source_path/line), except for the detected language. */
        if (i != 2)
            ck_assert_uint_eq(vb_document_content_hash(got),
                              vb_document_content_hash(docs[i]));
        vb_document_free(got);
    }
    ck_assert_term(reader, "Lfr", 2);
    ck_assert_term(reader, "XTproduct", 2);
    vb_xapian_reader_close(reader);
    for (int i = 0; i < 4; i++)
        vb_document_free(docs[i]);
}
END_TEST

/* A record keeps the spans of its text's first 4 KB, as the tokenizer
 * finds them (long words and wide gaps too); a record written before it
 * kept them still reads, without them; spans past the text are refused. */
START_TEST(test_schema_record_keeps_the_snippet_spans)
{
    char body[6000], json_text[6400];
    size_t at = 0;
    for (int i = 0; at < 5000; i++)
        at += (size_t)snprintf(
            body + at, sizeof body - at,
            i % 50 == 7   ? "%s — ; — "
            : i % 40 == 3 ? "Überlangesamengesteldwoorddateenlangewoordvormt"
                            "enlangerdan63bytesis%s "
                          : "één %s ",
            i % 2 ? "déjà-vu" : "l'été");
    snprintf(json_text, sizeof json_text,
             "{\"id\":\"long\",\"type\":\"product\",\"lang\":\"fr\","
             "\"title\":\"Long\",\"body\":\"%s\"}",
             body);
    struct vb_document *docs[2] = {
        json("long.jsonl", 1, json_text),
        json("plain.jsonl", 1,
             "{\"id\":\"plain\",\"type\":\"product\",\"lang\":\"en\","
             "\"title\":\"Plain\",\"body\":\"Just words here\"}")};
    struct vb_xapian_writer *writer = open_writer();
    put(writer, docs[0]);
    put(writer, docs[1]);
    commit(writer);
    vb_xapian_writer_close(writer);
    struct vb_xapian_reader *reader = open_reader();
    for (int d = 0; d < 2; d++) {
        size_t len = 0;
        char *data = record_of(reader, docs[d]->id, &len);
        struct vb_document *got = NULL;
        struct vb_schema_spans spans, want;
        ck_assert(vb_schema_decode_spans(data, len, &got, &spans, NULL) ==
                  VB_OK);
        ck_assert(vb_schema_spans_make(docs[d]->body_text, &want));
        ck_assert(spans.kept);
        ck_assert_uint_gt(spans.count, 2);
        bool wide = false, long_word = false; /* kept the long way */
        for (size_t i = 1; i < want.count; i++) {
            wide = wide || want.at[i][0] - want.at[i - 1][1] > 3;
            long_word = long_word || want.at[i][1] - want.at[i][0] > 63;
        }
        ck_assert(d == 1 || (wide && long_word));
        ck_assert_uint_eq(spans.count, want.count);
        ck_assert_uint_eq(spans.scanned_bytes, want.scanned_bytes);
        for (size_t i = 0; i < spans.count; i++) {
            ck_assert_uint_eq(spans.at[i][0], want.at[i][0]);
            ck_assert_uint_eq(spans.at[i][1], want.at[i][1]);
        }
        /* As the tokenizer finds them in the first 4 KB, cut between
         * characters. */
        size_t scanned = spans.scanned_bytes, pos = 0, start, end, i = 0;
        ck_assert_uint_le(scanned, VB_SCHEMA_SPAN_BYTES);
        ck_assert((got->body_text[scanned] & 0xC0) != 0x80);
        if (d == 0)
            ck_assert_uint_gt(scanned, VB_SCHEMA_SPAN_BYTES - 4);
        while (vb_scan_token(got->body_text, scanned, &pos, &start, &end)) {
            ck_assert_uint_lt(i, spans.count);
            ck_assert_uint_eq(spans.at[i][0], start);
            ck_assert_uint_eq(spans.at[i++][1], end);
        }
        ck_assert_uint_eq(i, spans.count);
        free(want.at);

        /* The same record as schema 11 wrote it before: "VB" 3 and no
         * spans after the text. */
        bool read = false;
        data[2] = 0x03;
        for (size_t cut = len; cut > 3 && !read; cut--) {
            struct vb_document *old = NULL;
            struct vb_schema_spans none = {.kept = true};
            if (vb_schema_decode_spans(data, cut, &old, &none, NULL) != VB_OK)
                continue;
            read = true;
            ck_assert(!none.kept);
            ck_assert_ptr_null(none.at);
            ck_assert_str_eq(old->body_text, got->body_text);
            vb_document_free(old);
        }
        ck_assert(read);
        data[2] = 0x04;
        /* Any byte of the record changed: it reads as damaged, or its
         * spans still lie in its text, in order. */
        size_t insane = 0; /* (checked once: Check's asserts are dear) */
        for (size_t b = 3; b < len; b++) {
            static const unsigned char flips[] = {0x01, 0x40, 0x80, 0xFF};
            for (size_t f = 0; f < sizeof flips; f++) {
                data[b] ^= (char)flips[f];
                struct vb_document *maybe = NULL;
                struct vb_schema_spans some;
                if (vb_schema_decode_spans(data, len, &maybe, &some, NULL) ==
                    VB_OK) {
                    size_t last = 0;
                    bool sane = some.scanned_bytes <= strlen(maybe->body_text);
                    for (size_t k = 0; k < some.count; k++) {
                        sane = sane && last <= some.at[k][0] &&
                               some.at[k][0] < some.at[k][1];
                        last = some.at[k][1];
                    }
                    insane += !(sane && last <= some.scanned_bytes);
                    free(some.at);
                    vb_document_free(maybe);
                }
                data[b] ^= (char)flips[f];
            }
        }
        ck_assert_uint_eq(insane, 0);
        /* The last span made longer than the text. */
        if (d == 1) {
            ck_assert_uint_eq((unsigned char)data[len - 1], 4); /* "here" */
            data[len - 1] = 0x3F;
            struct vb_document *bad = NULL;
            ck_assert_int_eq(vb_schema_decode(data, len, &bad, NULL),
                             VB_ECORRUPT);
            ck_assert_ptr_null(bad);
        }
        free(spans.at);
        vb_document_free(got);
        free(data);
    }
    vb_xapian_reader_close(reader);
    vb_document_free(docs[0]);
    vb_document_free(docs[1]);
}
END_TEST

struct sync_seen {
    int count;
    char id[3][64];
    uint64_t hash[3], fingerprint[3];
    char path[3][256];
    unsigned line[3];
};

static int collect_sync(void *ctx, const struct vb_schema_sync_record *r)
{
    struct sync_seen *s = ctx;
    ck_assert_int_lt(s->count, 3);
    int i = s->count++;
    snprintf(s->id[i], sizeof s->id[i], "%.*s", (int)r->id_len, r->id);
    s->hash[i] = r->hash;
    s->fingerprint[i] = r->fingerprint;
    snprintf(s->path[i], sizeof s->path[i], "%.*s", (int)r->source_path_len,
             r->source_path);
    s->line[i] = r->source_line;
    return 0;
}

START_TEST(test_schema_sync_records)
{
    struct vb_document *docs[2] = {markdown("proc.md", product_md),
                                   json("history.jsonl", 7, history_json)};
    store_all(docs, 2);
    struct vb_xapian_reader *reader = open_reader();
    struct sync_seen seen = {0};
    struct vb_error err = {0};
    ck_assert_msg(vb_schema_for_each_sync_record(reader, collect_sync, &seen,
                                                 &err) == VB_OK,
                  "%s", err.msg);
    ck_assert_int_eq(seen.count, 2);
    for (int i = 0; i < 2; i++) { /* docid order = the order stored */
        ck_assert_str_eq(seen.id[i], docs[i]->id);
        ck_assert(seen.hash[i] == vb_document_content_hash(docs[i]));
        ck_assert_str_eq(seen.path[i], docs[i]->source_path);
        ck_assert_int_eq(seen.path[i][0], '/');
    }
    ck_assert_uint_eq(seen.line[0], 2); /* the "id:" line */
    ck_assert_uint_eq(seen.line[1], 7); /* the JSONL record's line */

    /* Returning non-zero stops the walk. */
    vb_xapian_reader_close(reader);
    vb_document_free(docs[0]);
    vb_document_free(docs[1]);
}
END_TEST

/* A restamp rewrites the sync record alone: fingerprint, place; the
 * terms and stored data stay.  A damaged fingerprint is a damaged record. */
START_TEST(test_schema_restamp)
{
    struct vb_document *docs[2] = {markdown("proc.md", product_md),
                                   json("history.jsonl", 7, history_json)};
    store_all(docs, 2);
    struct vb_xapian_reader *reader = open_reader();
    struct sync_seen before = {0};
    ck_assert(vb_schema_for_each_sync_record(reader, collect_sync, &before,
                                             NULL) == VB_OK);
    ck_assert_uint_eq(before.fingerprint[0], 0); /* built with none */
    uint32_t facturen = term_freq(reader, "Wnlfacturen");
    ck_assert_uint_gt(facturen, 0);
    vb_xapian_reader_close(reader);

    struct vb_xapian_writer *writer = open_writer();
    struct vb_schema_sync_record rec = {
        .docid = 1,
        .id = before.id[0],
        .id_len = strlen(before.id[0]),
        .hash = before.hash[0],
        .fingerprint = 0x0123456789abcdefULL,
        .source_path = "/elders/proc.md",
        .source_path_len = strlen("/elders/proc.md"),
        .source_line = 9,
    };
    struct vb_error err = {0};
    ck_assert_msg(vb_schema_restamp(writer, &rec, &err) == VB_OK, "%s",
                  err.msg);
    rec.docid = 99;
    ck_assert_int_eq(vb_schema_restamp(writer, &rec, &err), VB_ENOTFOUND);
    commit(writer);
    vb_xapian_writer_close(writer);
    reader = open_reader();
    struct sync_seen after = {0};
    ck_assert(vb_schema_for_each_sync_record(reader, collect_sync, &after,
                                             NULL) == VB_OK);
    ck_assert_int_eq(after.count, 2);
    ck_assert_str_eq(after.id[0], before.id[0]);
    ck_assert(after.hash[0] == before.hash[0]);
    ck_assert(after.fingerprint[0] == 0x0123456789abcdefULL);
    ck_assert_str_eq(after.path[0], "/elders/proc.md");
    ck_assert_uint_eq(after.line[0], 9);
    ck_assert_str_eq(after.path[1], before.path[1]); /* the other as it was */
    ck_assert_uint_eq(term_freq(reader, "Wnlfacturen"), facturen);
    char *data = NULL;
    size_t len = 0;
    struct vb_document *back = NULL;
    ck_assert(vb_xapian_document_data(reader, 1, &data, &len, NULL) == VB_OK);
    ck_assert(vb_schema_decode(data, len, &back, NULL) == VB_OK);
    ck_assert_str_eq(back->title, docs[0]->title);
    vb_document_free(back);
    free(data);
    vb_xapian_reader_close(reader);

    writer = open_writer();
    const char *bad = "0123456789abcdef:0123 9 proc-facturen-nl\t/x.md";
    ck_assert(vb_xapian_set_document_value(writer, 1, VB_SCHEMA_SLOT_SYNC, bad,
                                           strlen(bad), NULL) == VB_OK);
    commit(writer);
    vb_xapian_writer_close(writer);
    reader = open_reader();
    struct sync_seen seen = {0};
    ck_assert_int_eq(
        vb_schema_for_each_sync_record(reader, collect_sync, &seen, &err),
        VB_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(err.msg, "document 1"));
    vb_xapian_reader_close(reader);
    vb_document_free(docs[0]);
    vb_document_free(docs[1]);
}
END_TEST

static int stop_at_first(void *ctx, const struct vb_schema_sync_record *r)
{
    (void)r;
    ++*(int *)ctx;
    return 1;
}

START_TEST(test_schema_sync_walk_stops)
{
    struct vb_document *docs[2] = {markdown("proc.md", product_md),
                                   json("history.jsonl", 7, history_json)};
    store_all(docs, 2);
    struct vb_xapian_reader *reader = open_reader();
    int calls = 0;
    ck_assert(vb_schema_for_each_sync_record(reader, stop_at_first, &calls,
                                             NULL) == VB_OK);
    ck_assert_int_eq(calls, 1);
    vb_xapian_reader_close(reader);
    vb_document_free(docs[0]);
    vb_document_free(docs[1]);
}
END_TEST

START_TEST(test_schema_replace_and_delete)
{
    struct vb_document *doc = markdown("proc.md", product_md);
    struct vb_xapian_writer *writer = open_writer();
    put(writer, doc);
    put(writer, doc);
    commit(writer);
    struct vb_xapian_reader *reader = open_reader();
    uint32_t n = 0;
    ck_assert(vb_xapian_doc_count(reader, &n, NULL) == VB_OK);
    ck_assert_uint_eq(n, 1);
    bool deleted = false;
    struct vb_error err = {0};
    ck_assert(vb_schema_delete(writer, doc->id, VB_SCHEMA_DOCID_UNKNOWN,
                               &deleted, &err) == VB_OK);
    ck_assert(deleted);
    ck_assert(vb_schema_delete(writer, doc->id, VB_SCHEMA_DOCID_UNKNOWN,
                               &deleted, &err) == VB_OK);
    ck_assert(!deleted);
    commit(writer);
    ck_assert(vb_xapian_reader_reopen(reader, NULL, &err) == VB_OK);
    ck_assert(vb_xapian_doc_count(reader, &n, NULL) == VB_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_term(reader, "Wnlfacturen", 0);
    vb_xapian_reader_close(reader);
    vb_xapian_writer_close(writer);
    vb_document_free(doc);
}
END_TEST

static int count_term(void *ctx, const char *term, size_t len, uint32_t freq)
{
    (void)term;
    (void)len;
    (void)freq;
    ++*(int *)ctx;
    return 0;
}

/* Customer history adds no vocabulary terms: a completion or "did you
 * mean" must never reveal a word from someone's events.  Its words are
 * still searchable, under their own prefix. */
START_TEST(test_schema_history_stays_out_of_the_vocabulary)
{
    struct vb_document *doc = json("history.jsonl", 7, history_json);
    store_all(&doc, 1);
    struct vb_xapian_reader *reader = open_reader();
    int vocabulary = 0;
    struct vb_error err = {0};
    ck_assert(vb_xapian_for_each_term(reader, VB_SCHEMA_PREFIX_WORD,
                                      strlen(VB_SCHEMA_PREFIX_WORD), count_term,
                                      &vocabulary, &err) == VB_OK);
    ck_assert_int_eq(vocabulary, 0);
    /* Its text terms carry the history prefix: searchable for its
     * customer, never matched by a knowledge-base query. */
    char term[160];
    const char *words[] = {"contestation", "délai"};
    for (size_t i = 0; i < 2; i++) {
        const char *plain = index_term(words[i], VB_LANG_FR);
        snprintf(term, sizeof term, "%s%s", VB_SCHEMA_PREFIX_HISTORY, plain);
        ck_assert_term(reader, term, 1);
        ck_assert_term(reader, plain, 0);
    }
    vb_xapian_reader_close(reader);
    vb_document_free(doc);
}
END_TEST

/* Subject terms: every text term of an article's title, tags and product
 * codes again under VB_SCHEMA_PREFIX_SUBJECT; none from its body, none
 * for customer history. */
static void subject_term(char *out, size_t size, const char *word,
                         enum vb_lang lang)
{
    snprintf(out, size, "%s%s", VB_SCHEMA_PREFIX_SUBJECT,
             index_term(word, lang));
}

START_TEST(test_schema_subject_terms)
{
    struct vb_document *docs[2] = {markdown("proc.md", product_md),
                                   json("history.jsonl", 7, history_json)};
    store_all(docs, 2);
    struct vb_xapian_reader *reader = open_reader();
    char term[160];
    const char *subject[] = {"facturen", "betalen", "betaling", "domiciliëring"};
    for (size_t i = 0; i < 4; i++) {
        subject_term(term, sizeof term, subject[i], VB_LANG_NL);
        ck_assert_term(reader, term, 1);
    }
    /* In the body only. */
    subject_term(term, sizeof term, "rekening", VB_LANG_NL);
    ck_assert_term(reader, term, 0);
    ck_assert_term(reader, index_term("rekening", VB_LANG_NL), 1);
    /* The history event's title words have none. */
    subject_term(term, sizeof term, "contestation", VB_LANG_FR);
    ck_assert_term(reader, term, 0);
    vb_xapian_reader_close(reader);
    vb_document_free(docs[0]);
    vb_document_free(docs[1]);
}
END_TEST

/* Pair terms: two content words that follow each other in a field, in
 * order, function words between them skipped; never across two fields,
 * never for customer history. */
static void pair_term(char *out, size_t size, const char *a, const char *b,
                      enum vb_lang lang)
{
    char first[128];
    snprintf(first, sizeof first, "%s", index_term(a, lang));
    const char *second = index_term(b, lang);
    ck_assert_uint_gt(vb_schema_pair_term(first, strlen(first), second,
                                          strlen(second), out, size),
                      0);
}

START_TEST(test_schema_pair_terms)
{
    struct vb_document *docs[2] = {
        markdown("p.md", "---\nid: p1\ntype: procedure\nlang: nl\n"
                         "title: Factuur betalen\n---\n"
                         "Online betalen van de factuur kan altijd.\n"),
        json("history.jsonl", 7, history_json)};
    store_all(docs, 2);
    struct vb_xapian_reader *reader = open_reader();
    char term[256];
    pair_term(term, sizeof term, "factuur", "betalen", VB_LANG_NL);
    ck_assert_term(reader, term, 1); /* the title */
    pair_term(term, sizeof term, "online", "betalen", VB_LANG_NL);
    ck_assert_term(reader, term, 1);
    /* "van de" are function words: the content words are neighbours. */
    pair_term(term, sizeof term, "betalen", "factuur", VB_LANG_NL);
    ck_assert_term(reader, term, 1);
    pair_term(term, sizeof term, "factuur", "kan", VB_LANG_NL);
    ck_assert_term(reader, term, 0); /* "kan" is a function word */
    pair_term(term, sizeof term, "factuur", "altijd", VB_LANG_NL);
    ck_assert_term(reader, term, 1);
    /* Title then body: "betalen online" is not a pair. */
    pair_term(term, sizeof term, "betalen", "online", VB_LANG_NL);
    ck_assert_term(reader, term, 0);
    /* Not reversed. */
    pair_term(term, sizeof term, "altijd", "factuur", VB_LANG_NL);
    ck_assert_term(reader, term, 0);
    /* The history event ("contestation de facture") has none. */
    pair_term(term, sizeof term, "contestation", "facture", VB_LANG_FR);
    ck_assert_term(reader, term, 0);
    int pairs = 0;
    struct vb_error err = {0};
    ck_assert(vb_xapian_for_each_term(reader, VB_SCHEMA_PREFIX_PAIR,
                                      strlen(VB_SCHEMA_PREFIX_PAIR), count_term,
                                      &pairs, &err) == VB_OK);
    ck_assert_int_eq(pairs, 4);
    /* A pair that does not fit is no pair. */
    char tiny[8];
    ck_assert_uint_eq(vb_schema_pair_term("abc", 3, "def", 3, tiny, 8), 0);
    ck_assert_uint_eq(vb_schema_pair_term("abc", 3, "de", 2, tiny, 8), 7);
    ck_assert_str_eq(tiny, VB_SCHEMA_PREFIX_PAIR "abc de");
    vb_xapian_reader_close(reader);
    vb_document_free(docs[0]);
    vb_document_free(docs[1]);
}
END_TEST

/* Made-up content word number i, the same for the body and the check. */
static void body_word(char out[8], size_t i)
{
    snprintf(out, 8, "q%c%c%cor", 'a' + (int)(i / 676 % 26),
             'a' + (int)(i / 26 % 26), 'a' + (int)(i % 26));
}

/* A body's pair terms stop after its first VB_SCHEMA_BODY_PAIRS; its words
 * are all indexed, and the title's pairs do not count against it. */
START_TEST(test_schema_body_pairs_first_only)
{
    enum { WORDS = VB_SCHEMA_BODY_PAIRS + 40 };
    static char md[64 + WORDS * 8];
    int n = snprintf(md, sizeof md,
                     "---\nid: long\ntype: procedure\n"
                     "lang: en\ntitle: Invoice payment\n---\n");
    for (size_t i = 0; i < WORDS; i++) {
        char w[8];
        body_word(w, i);
        n += snprintf(md + n, sizeof md - (size_t)n, "%s ", w);
    }
    struct vb_document *doc = markdown("long.md", md);
    store_all(&doc, 1);
    struct vb_xapian_reader *reader = open_reader();
    int pairs = 0;
    struct vb_error err = {0};
    ck_assert(vb_xapian_for_each_term(reader, VB_SCHEMA_PREFIX_PAIR,
                                      strlen(VB_SCHEMA_PREFIX_PAIR), count_term,
                                      &pairs, &err) == VB_OK);
    ck_assert_int_eq(pairs, 1 + VB_SCHEMA_BODY_PAIRS);
    char a[8], b[8], c[8], term[256];
    body_word(a, VB_SCHEMA_BODY_PAIRS - 1);
    body_word(b, VB_SCHEMA_BODY_PAIRS);
    body_word(c, VB_SCHEMA_BODY_PAIRS + 1);
    pair_term(term, sizeof term, a, b, VB_LANG_EN);
    ck_assert_term(reader, term, 1); /* the last one kept */
    pair_term(term, sizeof term, b, c, VB_LANG_EN);
    ck_assert_term(reader, term, 0);
    body_word(a, WORDS - 1);
    ck_assert_term(reader, index_term(a, VB_LANG_EN), 1);
    vb_xapian_reader_close(reader);
    vb_document_free(doc);
}
END_TEST

/* The positions of `word`'s index term in the stored document `id`. */
static size_t positions_of(struct vb_xapian_reader *reader, const char *id,
                           const char *word, uint32_t *out, size_t max)
{
    const char *t = index_term(word, VB_LANG_EN);
    size_t count = 0;
    struct vb_error err = {0};
    ck_assert_msg(vb_xapian_document_positions(reader, docid_of(reader, id), t,
                                               strlen(t), out, max, &count,
                                               &err) == VB_OK,
                  "%s", err.msg);
    return count;
}

/* The body starts at VB_SCHEMA_BODY_POSITION whatever the title says, so
 * an edit of the title leaves the body's position lists as they were; a
 * title and tags that reach that far push it after them. */
START_TEST(test_schema_body_positions_fixed)
{
    static const char *const titles[] = {
        "Refund", "Refund of a deposit to a new customer after a move"};
    uint32_t first[4] = {0}, pos[4];
    for (size_t t = 0; t < 2; t++) {
        char md[256];
        snprintf(md, sizeof md,
                 "---\nid: pos\ntype: procedure\nlang: en\ntitle: %s\n---\n"
                 "Deposit the form. Deposit it twice.\n",
                 titles[t]);
        struct vb_document *doc = markdown("pos.md", md);
        store_all(&doc, 1);
        struct vb_xapian_reader *reader = open_reader();
        size_t n = positions_of(reader, "pos", "deposit", pos, 4);
        ck_assert_uint_eq(n, t == 0 ? 2 : 3);
        if (t == 0) {
            ck_assert_uint_eq(pos[0], VB_SCHEMA_BODY_POSITION);
            memcpy(first, pos, sizeof first);
        } else { /* the title's "deposit", then the body's, unmoved */
            ck_assert_uint_lt(pos[0], VB_SCHEMA_BODY_POSITION);
            ck_assert_uint_eq(pos[1], first[0]);
            ck_assert_uint_eq(pos[2], first[1]);
        }
        vb_xapian_reader_close(reader);
        vb_document_free(doc);
    }

    enum { TAGS = 45 }; /* each two words and a gap: past the body's start */
    static char md[256 + TAGS * 24];
    int n = snprintf(md, sizeof md,
                     "---\nid: tagged\ntype: procedure\nlang: en\n"
                     "title: Refund\ntags: [");
    for (size_t i = 0; i < TAGS; i++) { /* distinct tags: "deposit qaaaor" */
        char w[8];
        body_word(w, i);
        n += snprintf(md + n, sizeof md - (size_t)n, "%sdeposit %s",
                      i ? ", " : "", w);
    }
    snprintf(md + n, sizeof md - (size_t)n, "]\n---\nDeposit the form.\n");
    struct vb_document *doc = markdown("tagged.md", md);
    store_all(&doc, 1);
    struct vb_xapian_reader *reader = open_reader();
    static uint32_t all[TAGS + 1];
    ck_assert_uint_eq(positions_of(reader, "tagged", "deposit", all, TAGS + 1),
                      TAGS + 1);
    ck_assert_uint_gt(all[TAGS - 1], VB_SCHEMA_BODY_POSITION);
    ck_assert_uint_ge(all[TAGS], all[TAGS - 1] + VB_SCHEMA_POSITION_GAP);
    vb_xapian_reader_close(reader);
    vb_document_free(doc);
}
END_TEST

/* The docid fast paths: 0 adds a new document without a lookup; a known
 * docid (from the sync record) replaces or deletes that document. */
static int first_docid(void *ctx, const struct vb_schema_sync_record *r)
{
    *(uint32_t *)ctx = r->docid;
    return 1;
}

static uint32_t count_docs(struct vb_xapian_reader *reader)
{
    uint32_t n = 0;
    ck_assert(vb_xapian_doc_count(reader, &n, NULL) == VB_OK);
    return n;
}

START_TEST(test_schema_put_and_delete_by_docid)
{
    struct vb_document *doc = markdown("proc.md", product_md);
    struct vb_document *changed = markdown(
        "proc.md", "---\nid: proc-facturen-nl\ntype: procedure\nlang: nl\n"
                   "title: Facturen opvragen\n---\nEen kopie.\n");
    struct vb_xapian_writer *writer = open_writer();
    struct vb_xapian_doc *built = NULL;
    struct vb_error err = {0};
    ck_assert(vb_schema_build(analyzer, doc, VB_LANG_NL, 1, 0, 100.0, &built,
                              &err) == VB_OK);
    ck_assert_msg(vb_schema_put(writer, doc->id, 0, built, &err) == VB_OK, "%s",
                  err.msg);
    vb_xapian_doc_free(built);
    commit(writer);
    struct vb_xapian_reader *reader = open_reader();
    uint32_t docid = 0;
    ck_assert(vb_schema_for_each_sync_record(reader, first_docid, &docid,
                                             NULL) == VB_OK);
    ck_assert_uint_gt(docid, 0);
    ck_assert_uint_eq(count_docs(reader), 1);

    ck_assert(vb_schema_build(analyzer, changed, VB_LANG_NL, 2, 0, 100.0,
                              &built, &err) == VB_OK);
    ck_assert_msg(vb_schema_put(writer, changed->id, docid, built, &err) ==
                      VB_OK,
                  "%s", err.msg);
    vb_xapian_doc_free(built);
    commit(writer);
    ck_assert(vb_xapian_reader_reopen(reader, NULL, NULL) == VB_OK);
    ck_assert_uint_eq(count_docs(reader), 1);
    struct vb_document *got = stored(reader, doc->id);
    ck_assert_str_eq(got->title, "Facturen opvragen");
    vb_document_free(got);
    ck_assert_term(reader, "Qproc-facturen-nl", 1);
    ck_assert_term(reader, "Wnlbetalen", 0);
    ck_assert_term(reader, "Wnlopvragen", 1);

    bool deleted = false;
    ck_assert_int_eq(vb_schema_delete(writer, doc->id, 0, &deleted, NULL),
                     VB_EINVAL);
    ck_assert(vb_schema_delete(writer, doc->id, docid, &deleted, &err) ==
              VB_OK);
    ck_assert(deleted);
    ck_assert(vb_schema_delete(writer, doc->id, docid, &deleted, &err) ==
              VB_OK);
    ck_assert(!deleted);
    commit(writer);
    ck_assert(vb_xapian_reader_reopen(reader, NULL, NULL) == VB_OK);
    ck_assert_uint_eq(count_docs(reader), 0);
    ck_assert_term(reader, "Qproc-facturen-nl", 0);
    vb_xapian_reader_close(reader);
    vb_xapian_writer_close(writer);
    vb_document_free(doc);
    vb_document_free(changed);
}
END_TEST

START_TEST(test_schema_build_needs_a_language)
{
    struct vb_document *doc = markdown("proc.md", product_md);
    struct vb_xapian_doc *built = (struct vb_xapian_doc *)1;
    struct vb_error err = {0};
    ck_assert_int_eq(vb_schema_build(analyzer, doc, VB_LANG_UNKNOWN, 1, 0,
                                     100.0, &built, &err),
                     VB_EINVAL);
    ck_assert_ptr_null(built);
    ck_assert_str_ne(err.msg, "");
    vb_document_free(doc);
}
END_TEST

START_TEST(test_schema_id_term)
{
    char buf[256];
    ck_assert_uint_eq(vb_schema_id_term("proc-x", buf, sizeof buf), 7);
    ck_assert_str_eq(buf, "Qproc-x");
    ck_assert_uint_eq(vb_schema_id_term("", buf, sizeof buf), 0);
    ck_assert_uint_eq(vb_schema_id_term("proc-x", buf, 7), 0);
    ck_assert_uint_eq(vb_schema_id_term("proc-x", buf, 8), 7);
}
END_TEST

/* A translation group's collapse key: the tenant's groups apart. */
START_TEST(test_schema_group_key)
{
    char buf[32];
    struct vb_document doc = {.tenant = "lumina", .group = "g-factuur"};
    ck_assert_uint_eq(vb_schema_group_key(&doc, buf, sizeof buf), 16);
    ck_assert_str_eq(buf, "lumina/g-factuur");
    ck_assert_uint_eq(vb_schema_group_key(&doc, buf, 16), 0); /* no room */
    ck_assert_uint_eq(vb_schema_group_key(&doc, buf, 17), 16);
    doc.tenant = "";
    ck_assert_uint_eq(vb_schema_group_key(&doc, buf, sizeof buf), 9);
    ck_assert_str_eq(buf, "g-factuur");
    doc.group = "";
    ck_assert_uint_eq(vb_schema_group_key(&doc, buf, sizeof buf), 0);
}
END_TEST

/* ==== Versions and damaged data ======================================== */

START_TEST(test_schema_check_versions)
{
    struct vb_error err = {0};
    /* An empty index without a version passes. */
    struct vb_xapian_writer *writer = open_writer();
    commit(writer);
    struct vb_xapian_reader *reader = open_reader();
    ck_assert_msg(vb_schema_check(reader, &err) == VB_OK, "%s", err.msg);

    ck_assert(vb_schema_init(writer, 100.0, &err) == VB_OK);
    commit(writer);
    ck_assert(vb_xapian_reader_reopen(reader, NULL, &err) == VB_OK);
    ck_assert_msg(vb_schema_check(reader, &err) == VB_OK, "%s", err.msg);
    char *version = NULL;
    size_t len = 0;
    const char *key = VB_SCHEMA_METADATA_VERSION;
    ck_assert(vb_xapian_get_metadata(reader, key, strlen(key), &version, &len,
                                     &err) == VB_OK);
    ck_assert_str_eq(version, VB_SCHEMA_VERSION);
    free(version);

    ck_assert(vb_xapian_set_metadata(writer, key, strlen(key), "0", 1, &err) ==
              VB_OK);
    commit(writer);
    ck_assert(vb_xapian_reader_reopen(reader, NULL, &err) == VB_OK);
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(vb_schema_check(reader, &err), VB_EINVAL);
    ck_assert_int_eq(err.code, VB_EINVAL);
    ck_assert_msg(strstr(err.msg, "--full") != NULL, "%s", err.msg);
    ck_assert_msg(strstr(err.msg, "0") != NULL, "%s", err.msg);
    vb_xapian_reader_close(reader);
    vb_xapian_writer_close(writer);
}
END_TEST

START_TEST(test_schema_decode_rejects_garbage)
{
    static const char *const garbage[] = {
        "",
        "not json",
        "[]",
        "\"id\"",
        "{}",
        "{\"id\":\"x\"}",
        "{\"type\":\"product\",\"title\":\"T\"}",
        "{\"id\":\"x\",\"title\":\"T\"}",
        "{\"id\":\"x\",\"type\":\"product\",\"title\":\"T\",\"body\":7}",
        "{\"id\":1,\"type\":\"product\",\"title\":\"T\"}",
        "{\"id\":\"x\",\"type\":\"product\",\"title\":\"\"}",
        "{\"id\":\"x\",\"type\":\"product\",\"title\":\"T\","
        "\"tags\":\"a\"}",
        "{\"id\":\"x\",\"type\":\"product\",\"title\":\"T\","
        "\"tags\":[1]}",
        "{\"id\":\"x\",\"type\":\"product\",\"title\":\"T\","
        "\"id\":\"y\"}",
        "{\"id\":\"x\",\"type\":\"product\",\"title\":\"T\"",
    };
    for (size_t i = 0; i < sizeof garbage / sizeof *garbage; i++) {
        struct vb_document *doc = (struct vb_document *)1;
        struct vb_error err = {0};
        enum vb_status st =
            vb_schema_decode(garbage[i], strlen(garbage[i]), &doc, &err);
        ck_assert_msg(st == VB_ECORRUPT, "'%s' decoded with status %d",
                      garbage[i], st);
        ck_assert_ptr_null(doc);
        ck_assert_str_ne(err.msg, "");
    }
    /* Binary bytes, and a real record cut short at every length. */
    struct vb_document *real = markdown("proc.md", product_md);
    struct vb_xapian_writer *writer = open_writer();
    put(writer, real);
    commit(writer);
    vb_xapian_writer_close(writer);
    struct vb_xapian_reader *reader = open_reader();
    size_t len = 0;
    char *data = record_of(reader, real->id, &len);
    for (size_t cut = 0; cut < len; cut++) {
        struct vb_document *doc = NULL;
        ck_assert_int_eq(vb_schema_decode(data, cut, &doc, NULL), VB_ECORRUPT);
        ck_assert_ptr_null(doc);
    }
    struct vb_document *whole = NULL;
    ck_assert(vb_schema_decode(data, len, &whole, NULL) == VB_OK);
    vb_document_free(whole);
    const char binary[] = {'{', '\0', '\xff', '"', '}'};
    struct vb_document *doc = NULL;
    ck_assert_int_eq(vb_schema_decode(binary, sizeof binary, &doc, NULL),
                     VB_ECORRUPT);
    free(data);
    vb_xapian_reader_close(reader);
    vb_document_free(real);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("schema");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_schema_sortable_date);
    tcase_add_test(tc, test_schema_sortable_date_rejects_malformed_times);
    tcase_add_test(tc, test_schema_filter_terms);
    tcase_add_test(tc, test_schema_tag_terms_case_folded);
    tcase_add_test(tc, test_schema_text_and_vocabulary_terms);
    tcase_add_test(tc, test_schema_title_weighs_more_than_body);
    tcase_add_test(tc, test_schema_length);
    tcase_add_test(tc, test_schema_length_normalised);
    tcase_add_test(tc, test_schema_phrase_stays_within_a_field);
    tcase_add_test(tc, test_schema_values);
    tcase_add_test(tc, test_schema_tenant_terms);
    tcase_add_test(tc, test_schema_date_slot_sorts);
    tcase_add_test(tc, test_schema_stored_data_round_trip);
    tcase_add_test(tc, test_schema_record_keeps_the_snippet_spans);
    tcase_add_test(tc, test_schema_sync_records);
    tcase_add_test(tc, test_schema_sync_walk_stops);
    tcase_add_test(tc, test_schema_restamp);
    tcase_add_test(tc, test_schema_replace_and_delete);
    tcase_add_test(tc, test_schema_history_stays_out_of_the_vocabulary);
    tcase_add_test(tc, test_schema_subject_terms);
    tcase_add_test(tc, test_schema_pair_terms);
    tcase_add_test(tc, test_schema_body_pairs_first_only);
    tcase_add_test(tc, test_schema_body_positions_fixed);
    tcase_add_test(tc, test_schema_put_and_delete_by_docid);
    tcase_add_test(tc, test_schema_build_needs_a_language);
    tcase_add_test(tc, test_schema_id_term);
    tcase_add_test(tc, test_schema_group_key);
    tcase_add_test(tc, test_schema_check_versions);
    tcase_add_test(tc, test_schema_decode_rejects_garbage);
    suite_add_tcase(s, tc);
    snprintf(base_dir, sizeof base_dir, "/tmp/vb-schema-XXXXXX");
    if (!mkdtemp(base_dir)) {
        perror(base_dir);
        return 1;
    }
    int status = vb_test_run(s);
    vb_test_remove_tree(base_dir);
    return status;
}
