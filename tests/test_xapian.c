/* The Xapian bridge (xapian/vb_xapian.h): every test works on a fresh index
 * in its own temporary directory under /tmp, removed afterwards. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "vb_xapian.h"

/* ---- Fixture: a temporary directory ---------------------------------- */

static char tmp_dir[64];
static char index_dir[128];

static void setup(void)
{
    strcpy(tmp_dir, "/tmp/vb-xapian-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
    snprintf(index_dir, sizeof index_dir, "%s/index", tmp_dir);
}

static void teardown(void)
{
    vb_test_remove_tree(tmp_dir);
}

/* ---- Helpers ----------------------------------------------------------- */

enum { SLOT_TYPE = 0, SLOT_GROUP = 1, SLOT_DATE = 2 };

static struct vb_xapian_writer *open_writer(void)
{
    struct vb_xapian_writer *writer = NULL;
    struct vb_error err = {0};
    ck_assert_msg(vb_xapian_writer_open(index_dir, true, &writer, &err) ==
                      VB_OK, "%s", err.msg);
    return writer;
}

static struct vb_xapian_reader *open_reader(void)
{
    struct vb_xapian_reader *reader = NULL;
    struct vb_error err = {0};
    ck_assert_msg(vb_xapian_reader_open(index_dir, &reader, &err) == VB_OK,
                  "%s", err.msg);
    return reader;
}

/* Stores document `id` (id term "Q<id>"): `words` as postings at
 * positions 1.., "T<type>" as a boolean term, type/group/date as values,
 * "data:<id>" as data. */
static void put(struct vb_xapian_writer *writer, const char *id,
                const char *type, const char *group, const char *date,
                const char *words)
{
    struct vb_error err = {0};
    struct vb_xapian_doc *doc = vb_xapian_doc_new();
    ck_assert_ptr_nonnull(doc);
    char buf[256], term[64];
    snprintf(buf, sizeof buf, "%s", words);
    uint32_t position = 1;
    for (char *save = NULL, *w = strtok_r(buf, " ", &save); w;
         w = strtok_r(NULL, " ", &save))
        ck_assert_int_eq(vb_xapian_doc_add_posting(doc, w, strlen(w),
                                                   position++, 1, &err),
                         VB_OK);
    snprintf(term, sizeof term, "T%s", type);
    ck_assert_int_eq(vb_xapian_doc_add_boolean_term(doc, term, strlen(term),
                                                    &err), VB_OK);
    ck_assert_int_eq(vb_xapian_doc_set_value(doc, SLOT_TYPE, type,
                                             strlen(type), &err), VB_OK);
    ck_assert_int_eq(vb_xapian_doc_set_value(doc, SLOT_GROUP, group,
                                             strlen(group), &err), VB_OK);
    ck_assert_int_eq(vb_xapian_doc_set_value(doc, SLOT_DATE, date,
                                             strlen(date), &err), VB_OK);
    snprintf(buf, sizeof buf, "data:%s", id);
    ck_assert_int_eq(vb_xapian_doc_set_data(doc, buf, strlen(buf), &err),
                     VB_OK);
    snprintf(term, sizeof term, "Q%s", id);
    ck_assert_msg(vb_xapian_replace(writer, term, strlen(term), doc, NULL,
                                    &err) == VB_OK, "%s", err.msg);
    vb_xapian_doc_free(doc);
}

static void commit(struct vb_xapian_writer *writer)
{
    struct vb_error err = {0};
    ck_assert_msg(vb_xapian_commit(writer, &err) == VB_OK, "%s", err.msg);
}

static uint32_t doc_count(struct vb_xapian_reader *reader)
{
    uint32_t count = 99;
    ck_assert_int_eq(vb_xapian_doc_count(reader, &count, NULL), VB_OK);
    return count;
}

static struct vb_xapian_query *term(const char *t)
{
    struct vb_xapian_query *q = vb_xapian_query_term(t, strlen(t), 1, 0);
    ck_assert_ptr_nonnull(q);
    return q;
}

/* Runs `query` and writes the data of the hits ("data:" stripped) as a
 * space-separated list into `out`, in result order.  Returns the hits
 * (free them). */
static struct vb_xapian_hits *
search(struct vb_xapian_reader *reader, const struct vb_xapian_query *query,
       const struct vb_xapian_search_options *options, char *out, size_t cap)
{
    struct vb_xapian_hits *hits = NULL;
    struct vb_error err = {0};
    ck_assert_ptr_nonnull(query);
    ck_assert_msg(vb_xapian_search(reader, query, options, &hits, &err) ==
                      VB_OK, "%s", err.msg);
    out[0] = '\0';
    for (size_t i = 0; i < vb_xapian_hits_count(hits); i++) {
        const char *data = vb_xapian_hit_data(hits, i, NULL);
        ck_assert_ptr_nonnull(data);
        if (i)
            strncat(out, " ", cap - strlen(out) - 1);
        strncat(out, data + 5, cap - strlen(out) - 1);
    }
    return hits;
}

/* The standard small corpus: two groups in two languages. */
static void put_corpus(struct vb_xapian_writer *writer)
{
    put(writer, "d1", "procedure", "g1", "2026-01-10", "factuur betalen online");
    put(writer, "d2", "product", "g2", "2026-03-01", "factuur online bekijken");
    put(writer, "d3", "procedure", "g1", "2026-02-05",
        "betalen factuur per domiciliering");
    put(writer, "d4", "procedure", "g3", "2025-12-24", "verhuizing doorgeven");
    commit(writer);
}

/* ---- Tests --------------------------------------------------------------- */

START_TEST(test_xapian_round_trip)
{
    struct vb_error err = {0};
    struct vb_xapian_writer *writer = open_writer();
    put(writer, "a", "procedure", "ga", "2026-01-01", "factuur betalen");
    put(writer, "b", "product", "gb", "2026-01-02", "glasvezel");
    commit(writer);
    vb_xapian_writer_close(writer);

    struct vb_xapian_reader *reader = open_reader();
    ck_assert_uint_eq(doc_count(reader), 2);
    char *data = NULL;
    size_t len = 0;
    uint32_t docid = 0;
    ck_assert_int_eq(vb_xapian_get_document(reader, "Qa", 2, &docid, &data,
                                            &len, &err), VB_OK);
    ck_assert_str_eq(data, "data:a");
    ck_assert_uint_eq(len, 6);
    ck_assert_uint_ne(docid, 0);
    free(data);

    /* Values come back with hits for the slots asked for. */
    struct vb_xapian_search_options options;
    vb_xapian_search_options_init(&options);
    uint32_t slots[] = {SLOT_TYPE, SLOT_DATE};
    options.value_slots = slots;
    options.value_slot_count = 2;
    struct vb_xapian_query *q = term("glasvezel");
    char list[128];
    struct vb_xapian_hits *hits = search(reader, q, &options, list,
                                         sizeof list);
    ck_assert_str_eq(list, "b");
    ck_assert_str_eq(vb_xapian_hit_value(hits, 0, SLOT_TYPE, &len), "product");
    ck_assert_uint_eq(len, 7);
    ck_assert_str_eq(vb_xapian_hit_value(hits, 0, SLOT_DATE, NULL),
                     "2026-01-02");
    ck_assert_ptr_null(vb_xapian_hit_value(hits, 0, SLOT_GROUP, NULL));
    ck_assert_ptr_null(vb_xapian_hit_value(hits, 1, SLOT_TYPE, NULL));
    ck_assert(vb_xapian_hit_weight(hits, 0) > 0);
    vb_xapian_hits_free(hits);

    /* How many documents have a value in a slot, without reading them. */
    uint32_t freq = 7;
    ck_assert_int_eq(vb_xapian_value_freq(reader, SLOT_GROUP, &freq, &err),
                     VB_OK);
    ck_assert_uint_eq(freq, 2);
    ck_assert_int_eq(vb_xapian_value_freq(reader, 9, &freq, &err), VB_OK);
    ck_assert_uint_eq(freq, 0);

    /* One value of one document. */
    char *value = NULL;
    ck_assert_int_eq(
        vb_xapian_document_value(reader, docid, SLOT_TYPE, &value, &len, &err),
        VB_OK);
    ck_assert_str_eq(value, "procedure");
    ck_assert_uint_eq(len, 9);
    free(value);
    ck_assert_int_eq(
        vb_xapian_document_value(reader, docid, 9, &value, &len, &err), VB_OK);
    ck_assert_ptr_null(value);
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(
        vb_xapian_document_value(reader, 999, SLOT_TYPE, &value, &len, &err),
        VB_ENOTFOUND);

    /* Delete one, and a missing one (not an error). */
    writer = open_writer();
    bool deleted = false;
    ck_assert_int_eq(vb_xapian_delete(writer, "Qa", 2, &deleted, &err), VB_OK);
    ck_assert(deleted);
    ck_assert_int_eq(vb_xapian_delete(writer, "Qzz", 3, &deleted, &err),
                     VB_OK);
    ck_assert(!deleted);
    commit(writer);
    bool changed = false;
    ck_assert_int_eq(vb_xapian_reader_reopen(reader, &changed, &err), VB_OK);
    ck_assert(changed);
    ck_assert_uint_eq(doc_count(reader), 1);
    data = (char *)"sentinel";
    ck_assert_int_eq(vb_xapian_get_document(reader, "Qa", 2, NULL, &data,
                                            NULL, &err), VB_ENOTFOUND);
    ck_assert_ptr_null(data);
    ck_assert_ptr_nonnull(strstr(err.msg, "Qa"));
    ck_assert_ptr_nonnull(strstr(err.msg, index_dir));

    vb_xapian_query_free(q);
    vb_xapian_reader_close(reader);
    vb_xapian_writer_close(writer);
}
END_TEST

START_TEST(test_xapian_replace_keeps_one_document)
{
    struct vb_error err = {0};
    struct vb_xapian_writer *writer = open_writer();
    for (int round = 0; round < 3; round++) {
        struct vb_xapian_doc *doc = vb_xapian_doc_new();
        char data[16];
        snprintf(data, sizeof data, "v%d", round);
        ck_assert_int_eq(vb_xapian_doc_set_data(doc, data, strlen(data),
                                                &err), VB_OK);
        ck_assert_int_eq(vb_xapian_doc_add_term(doc, "woord", 5, 1, &err),
                         VB_OK);
        /* No id term added by the caller: the bridge adds it. */
        ck_assert_int_eq(vb_xapian_replace(writer, "Qx", 2, doc, NULL, &err),
                         VB_OK);
        vb_xapian_doc_free(doc);
    }
    commit(writer);
    struct vb_xapian_reader *reader = open_reader();
    ck_assert_uint_eq(doc_count(reader), 1);
    uint32_t freq = 0;
    ck_assert_int_eq(vb_xapian_term_freq(reader, "Qx", 2, &freq, &err), VB_OK);
    ck_assert_uint_eq(freq, 1);
    ck_assert_int_eq(vb_xapian_term_freq(reader, "woord", 5, &freq, &err),
                     VB_OK);
    ck_assert_uint_eq(freq, 1);
    char *data = NULL;
    ck_assert_int_eq(vb_xapian_get_document(reader, "Qx", 2, NULL, &data,
                                            NULL, &err), VB_OK);
    ck_assert_str_eq(data, "v2");
    free(data);

    /* A term Xapian cannot store is bad input, reported at replace. */
    char long_term[300];
    memset(long_term, 'a', sizeof long_term);
    struct vb_xapian_doc *doc = vb_xapian_doc_new();
    ck_assert_int_eq(vb_xapian_doc_add_term(doc, long_term, sizeof long_term,
                                            1, &err), VB_OK);
    ck_assert_int_eq(vb_xapian_replace(writer, "Qy", 2, doc, NULL, &err),
                     VB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "too long"));
    vb_xapian_doc_free(doc);
    vb_xapian_reader_close(reader);
    vb_xapian_writer_close(writer);
}
END_TEST

/* A value set on a stored document changes that value alone. */
START_TEST(test_xapian_set_document_value)
{
    struct vb_error err = {0};
    struct vb_xapian_writer *writer = open_writer();
    put(writer, "a", "product", "g1", "2026-01-01", "glasvezel modem");
    put(writer, "b", "product", "g2", "2026-01-02", "glasvezel");
    commit(writer);
    ck_assert_msg(vb_xapian_set_document_value(writer, 1, SLOT_GROUP, "g9", 2,
                                               &err) == VB_OK,
                  "%s", err.msg);
    ck_assert_int_eq(
        vb_xapian_set_document_value(writer, 7, SLOT_GROUP, "g9", 2, &err),
        VB_ENOTFOUND);
    commit(writer);
    struct vb_xapian_reader *reader = open_reader();
    char *value = NULL, *data = NULL;
    size_t len = 0;
    ck_assert(vb_xapian_document_value(reader, 1, SLOT_GROUP, &value, &len,
                                       NULL) == VB_OK);
    ck_assert_str_eq(value, "g9");
    free(value);
    ck_assert(vb_xapian_document_value(reader, 1, SLOT_DATE, &value, &len,
                                       NULL) == VB_OK);
    ck_assert_str_eq(value, "2026-01-01");
    free(value);
    ck_assert(vb_xapian_document_data(reader, 1, &data, &len, NULL) == VB_OK);
    ck_assert_str_eq(data, "data:a");
    free(data);
    uint32_t freq = 0;
    ck_assert(vb_xapian_term_freq(reader, "modem", 5, &freq, NULL) == VB_OK);
    ck_assert_uint_eq(freq, 1);
    ck_assert(vb_xapian_term_freq(reader, "glasvezel", 9, &freq, NULL) ==
              VB_OK);
    ck_assert_uint_eq(freq, 2);
    char found[64];
    struct vb_xapian_query *q = term("modem");
    vb_xapian_hits_free(search(reader, q, NULL, found, sizeof found));
    vb_xapian_query_free(q);
    ck_assert_str_eq(found, "a");
    vb_xapian_reader_close(reader);
    vb_xapian_writer_close(writer);
}
END_TEST

START_TEST(test_xapian_commit_publishes_revision)
{
    struct vb_error err = {0};
    struct vb_xapian_writer *writer = open_writer();
    put(writer, "a", "procedure", "ga", "2026-01-01", "factuur");
    commit(writer);
    struct vb_xapian_reader *reader = open_reader();
    uint64_t before = 0, after = 0;
    ck_assert_int_eq(vb_xapian_reader_revision(reader, &before, &err), VB_OK);

    /* Uncommitted: invisible to the reader, visible to the writer's view. */
    put(writer, "b", "procedure", "gb", "2026-01-01", "betalen");
    bool changed = true;
    ck_assert_int_eq(vb_xapian_reader_reopen(reader, &changed, &err), VB_OK);
    ck_assert(!changed);
    ck_assert_uint_eq(doc_count(reader), 1);
    ck_assert_uint_eq(doc_count(vb_xapian_writer_reader(writer)), 2);

    commit(writer);
    ck_assert_int_eq(vb_xapian_reader_reopen(reader, &changed, &err), VB_OK);
    ck_assert(changed);
    ck_assert_int_eq(vb_xapian_reader_revision(reader, &after, &err), VB_OK);
    ck_assert_uint_gt(after, before);
    ck_assert_uint_eq(doc_count(reader), 2);

    /* Closing without commit discards the batch. */
    put(writer, "c", "procedure", "gc", "2026-01-01", "verhuizen");
    ck_assert_int_eq(vb_xapian_set_metadata(writer, "k", 1, "v", 1, &err),
                     VB_OK);
    vb_xapian_writer_close(writer);
    writer = open_writer();
    ck_assert_uint_eq(doc_count(vb_xapian_writer_reader(writer)), 2);
    char *value = NULL;
    ck_assert_int_eq(vb_xapian_get_metadata(vb_xapian_writer_reader(writer),
                                            "k", 1, &value, NULL, &err),
                     VB_OK);
    ck_assert_ptr_null(value);
    ck_assert_int_eq(vb_xapian_reader_reopen(reader, &changed, &err), VB_OK);
    ck_assert(!changed);
    vb_xapian_writer_close(writer);
    vb_xapian_reader_close(reader);
}
END_TEST

START_TEST(test_xapian_second_writer_is_locked_out)
{
    struct vb_error err = {0};
    struct vb_xapian_writer *writer = open_writer();
    struct vb_xapian_writer *second = (struct vb_xapian_writer *)&err;
    enum vb_status status = vb_xapian_writer_open(index_dir, true, &second,
                                                  &err);
    ck_assert_int_eq(status, VB_EIO);
    ck_assert_int_eq(err.code, VB_EIO);
    ck_assert_ptr_null(second);
    char expected[256];
    snprintf(expected, sizeof expected,
             "index %s is being written by another process", index_dir);
    ck_assert_msg(strstr(err.msg, expected) != NULL, "message: %s", err.msg);
    /* Readers are not blocked by the writer. */
    struct vb_xapian_reader *reader = open_reader();
    vb_xapian_reader_close(reader);
    vb_xapian_writer_close(writer);
    /* The lock goes with the writer. */
    writer = open_writer();
    vb_xapian_writer_close(writer);
}
END_TEST

START_TEST(test_xapian_missing_index_is_not_found)
{
    struct vb_error err = {0};
    struct vb_xapian_reader *reader = NULL;
    ck_assert_int_eq(vb_xapian_reader_open(index_dir, &reader, &err),
                     VB_ENOTFOUND);
    ck_assert_ptr_null(reader);
    ck_assert_msg(strstr(err.msg, index_dir) != NULL, "message: %s", err.msg);

    struct vb_xapian_writer *writer = NULL;
    ck_assert_int_eq(vb_xapian_writer_open(index_dir, false, &writer, &err),
                     VB_ENOTFOUND);
    ck_assert_ptr_null(writer);
    ck_assert_msg(strstr(err.msg, index_dir) != NULL, "message: %s", err.msg);
    /* An empty directory is no index either. */
    ck_assert_int_eq(mkdir(index_dir, 0700), 0);
    ck_assert_int_eq(vb_xapian_reader_open(index_dir, &reader, &err),
                     VB_ENOTFOUND);
}
END_TEST

/* Overwrites `name` in the index directory with `size` pseudo-random bytes
 * (fixed seed: the same bytes every run). */
static void scribble(const char *name, size_t size, unsigned seed)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", index_dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    for (size_t i = 0; i < size; i++) {
        seed = seed * 1103515245u + 12345u;
        fputc((int)(seed >> 16) & 0xff, f);
    }
    fclose(f);
}

START_TEST(test_xapian_garbage_is_an_error_not_a_crash)
{
    struct vb_error err = {0};
    struct vb_xapian_reader *reader = NULL;
    struct vb_xapian_writer *writer = NULL;

    /* A version file of random bytes. */
    ck_assert_int_eq(mkdir(index_dir, 0700), 0);
    scribble("iamglass", 512, 1);
    enum vb_status status = vb_xapian_reader_open(index_dir, &reader, &err);
    ck_assert_int_eq(status, VB_ECORRUPT);
    ck_assert_ptr_null(reader);
    ck_assert_msg(strstr(err.msg, index_dir) != NULL, "message: %s", err.msg);
    vb_test_remove_tree(index_dir);

    /* The same in a real index: the writer refuses too (it must not
     * create a fresh index over existing tables). */
    writer = open_writer();
    put(writer, "a", "procedure", "g", "2026-01-01", "factuur");
    commit(writer);
    vb_xapian_writer_close(writer);
    scribble("iamglass", 512, 3);
    writer = (struct vb_xapian_writer *)&err;
    status = vb_xapian_writer_open(index_dir, true, &writer, &err);
    ck_assert_int_ne(status, VB_OK);
    ck_assert_ptr_null(writer);
    ck_assert_msg(strstr(err.msg, index_dir) != NULL, "message: %s", err.msg);
    ck_assert_int_eq(vb_xapian_reader_open(index_dir, &reader, &err),
                     VB_ECORRUPT);
    vb_test_remove_tree(index_dir);

    /* A real index whose posting table is then replaced by random bytes:
     * the error may come at open or at search, but it must come. */
    writer = open_writer();
    for (int i = 0; i < 50; i++) {
        char id[16];
        snprintf(id, sizeof id, "d%d", i);
        put(writer, id, "procedure", "g", "2026-01-01", "factuur betalen");
    }
    commit(writer);
    vb_xapian_writer_close(writer);
    scribble("postlist.glass", 8192 * 4, 2);
    status = vb_xapian_reader_open(index_dir, &reader, &err);
    if (status == VB_OK) {
        struct vb_xapian_query *q = term("factuur");
        struct vb_xapian_hits *hits = NULL;
        struct vb_xapian_search_options options;
        vb_xapian_search_options_init(&options);
        options.check_at_least = 1000;
        status = vb_xapian_search(reader, q, &options, &hits, &err);
        ck_assert_ptr_null(hits);
        vb_xapian_query_free(q);
        vb_xapian_reader_close(reader);
    }
    ck_assert_int_ne(status, VB_OK);
    ck_assert_msg(err.code == VB_ECORRUPT || err.code == VB_EBACKEND ||
                      err.code == VB_EIO, "code %d: %s", err.code, err.msg);
    ck_assert_msg(strstr(err.msg, index_dir) != NULL, "message: %s", err.msg);
}
END_TEST

START_TEST(test_xapian_search_operators)
{
    struct vb_xapian_writer *writer = open_writer();
    put_corpus(writer);
    struct vb_xapian_reader *reader = open_reader();
    struct vb_xapian_search_options options;
    vb_xapian_search_options_init(&options);
    options.check_at_least = 100; /* exact totals */
    char list[128];
    struct vb_xapian_hits *hits;

    struct vb_xapian_query *factuur = term("factuur"), *betalen = term("betalen"),
                           *verhuizing = term("verhuizing"),
                           *product = term("Tproduct");

    /* AND */
    struct vb_xapian_query *pair[] = {factuur, betalen};
    struct vb_xapian_query *q_and = vb_xapian_query_and(pair, 2);
    hits = search(reader, q_and, &options, list, sizeof list);
    ck_assert_uint_eq(vb_xapian_hits_estimated(hits), 2);
    ck_assert_uint_eq(vb_xapian_hits_lower_bound(hits), 2);
    ck_assert(strcmp(list, "d1 d3") == 0 || strcmp(list, "d3 d1") == 0);
    vb_xapian_hits_free(hits);

    /* OR, and paging through it */
    struct vb_xapian_query *either[] = {factuur, verhuizing};
    struct vb_xapian_query *q_or = vb_xapian_query_or(either, 2);
    hits = search(reader, q_or, &options, list, sizeof list);
    ck_assert_uint_eq(vb_xapian_hits_estimated(hits), 4);
    ck_assert_uint_eq(vb_xapian_hits_count(hits), 4);
    vb_xapian_hits_free(hits);
    options.offset = 3;
    options.limit = 5;
    hits = search(reader, q_or, &options, list, sizeof list);
    ck_assert_uint_eq(vb_xapian_hits_count(hits), 1);
    ck_assert_uint_eq(vb_xapian_hits_estimated(hits), 4);
    vb_xapian_hits_free(hits);
    options.offset = 0;
    options.limit = 10;

    /* Phrase: order matters ("betalen factuur" in d3 is not it). */
    struct vb_xapian_query *p1 = vb_xapian_query_term("factuur", 7, 1, 1);
    struct vb_xapian_query *p2 = vb_xapian_query_term("betalen", 7, 1, 2);
    struct vb_xapian_query *words[] = {p1, p2};
    struct vb_xapian_query *q_phrase = vb_xapian_query_phrase(words, 2, 0);
    hits = search(reader, q_phrase, &options, list, sizeof list);
    ck_assert_str_eq(list, "d1");
    ck_assert_uint_eq(vb_xapian_hits_estimated(hits), 1);
    vb_xapian_hits_free(hits);

    /* Filter: weight from the words, the type only filters. */
    struct vb_xapian_query *q_filter = vb_xapian_query_filter(factuur, product);
    hits = search(reader, q_filter, &options, list, sizeof list);
    ck_assert_str_eq(list, "d2");
    vb_xapian_hits_free(hits);

    /* AND NOT */
    struct vb_xapian_query *q_not = vb_xapian_query_and_not(factuur, betalen);
    hits = search(reader, q_not, &options, list, sizeof list);
    ck_assert_str_eq(list, "d2");
    vb_xapian_hits_free(hits);

    /* SYNONYM matches either, like OR. */
    struct vb_xapian_query *q_syn = vb_xapian_query_synonym(either, 2);
    hits = search(reader, q_syn, &options, list, sizeof list);
    ck_assert_uint_eq(vb_xapian_hits_estimated(hits), 4);
    vb_xapian_hits_free(hits);

    /* Scale weight: "verhuizing" boosted by 100 comes first in an OR. */
    struct vb_xapian_query *boosted = vb_xapian_query_scale_weight(verhuizing,
                                                                   100.0);
    struct vb_xapian_query *mixed[] = {factuur, boosted};
    struct vb_xapian_query *q_boost = vb_xapian_query_or(mixed, 2);
    hits = search(reader, q_boost, &options, list, sizeof list);
    ck_assert_uint_eq(vb_xapian_hits_count(hits), 4);
    ck_assert_str_eq(vb_xapian_hit_data(hits, 0, NULL), "data:d4");
    vb_xapian_hits_free(hits);

    /* Collapse on the translation group: d1 and d3 share g1. */
    struct vb_xapian_query *q_or2 = vb_xapian_query_or(pair, 2);
    options.collapse_slot = SLOT_GROUP;
    hits = search(reader, q_or2, &options, list, sizeof list);
    ck_assert_uint_eq(vb_xapian_hits_count(hits), 2);
    ck_assert_uint_eq(vb_xapian_hits_estimated(hits), 2);
    uint32_t collapsed = 0;
    for (size_t i = 0; i < vb_xapian_hits_count(hits); i++)
        collapsed += vb_xapian_hit_collapse_count(hits, i);
    ck_assert_uint_eq(collapsed, 1);
    vb_xapian_hits_free(hits);
    options.collapse_slot = VB_XAPIAN_NO_SLOT;

    /* Sort by date, newest first. */
    options.sort_slot = SLOT_DATE;
    options.sort_descending = true;
    hits = search(reader, q_or, &options, list, sizeof list);
    ck_assert_str_eq(list, "d2 d3 d1 d4");
    vb_xapian_hits_free(hits);
    options.sort_descending = false;
    hits = search(reader, q_or, &options, list, sizeof list);
    ck_assert_str_eq(list, "d4 d1 d3 d2");
    vb_xapian_hits_free(hits);
    options.sort_slot = VB_XAPIAN_NO_SLOT;

    /* No match at all is zero hits. */
    struct vb_xapian_query *none = term("onbekend");
    hits = search(reader, none, &options, list, sizeof list);
    ck_assert_uint_eq(vb_xapian_hits_count(hits), 0);
    ck_assert_uint_eq(vb_xapian_hits_estimated(hits), 0);
    vb_xapian_hits_free(hits);

    struct vb_xapian_query *all_queries[] = {
        factuur, betalen, verhuizing, product, q_and, q_or, p1, p2, q_phrase,
        q_filter, q_not, q_syn, boosted, q_boost, q_or2, none};
    for (size_t i = 0; i < sizeof all_queries / sizeof all_queries[0]; i++)
        vb_xapian_query_free(all_queries[i]);
    vb_xapian_reader_close(reader);
    vb_xapian_writer_close(writer);
}
END_TEST

/* Stores `id` with `words` at positions 1.. and the boolean term "Tx",
 * every within-document frequency multiplied by `factor`. */
static void put_scaled(struct vb_xapian_writer *writer, const char *id,
                       const char *words, double factor)
{
    struct vb_error err = {0};
    struct vb_xapian_doc *doc = vb_xapian_doc_new();
    ck_assert_ptr_nonnull(doc);
    char buf[256], term[64];
    snprintf(buf, sizeof buf, "%s", words);
    uint32_t position = 1;
    for (char *save = NULL, *w = strtok_r(buf, " ", &save); w;
         w = strtok_r(NULL, " ", &save))
        ck_assert_int_eq(
            vb_xapian_doc_add_posting(doc, w, strlen(w), position++, 1, &err),
            VB_OK);
    ck_assert_int_eq(vb_xapian_doc_add_boolean_term(doc, "Tx", 2, &err), VB_OK);
    ck_assert_msg(vb_xapian_doc_scale_wdf(doc, factor, &err) == VB_OK, "%s",
                  err.msg);
    snprintf(buf, sizeof buf, "data:%s", id);
    ck_assert_int_eq(vb_xapian_doc_set_data(doc, buf, strlen(buf), &err),
                     VB_OK);
    snprintf(term, sizeof term, "Q%s", id);
    ck_assert_msg(
        vb_xapian_replace(writer, term, strlen(term), doc, NULL, &err) == VB_OK,
        "%s", err.msg);
    vb_xapian_doc_free(doc);
}

/* Scaled frequencies are what BM25 scores (without length normalisation,
 * b = 0); positions and boolean terms stay as they were. */
START_TEST(test_xapian_scale_wdf)
{
    struct vb_xapian_writer *writer = open_writer();
    put_scaled(writer, "halved", "storing storing storing storing melding",
               0.5);
    put_scaled(writer, "same", "storing storing melding", 1);
    put_scaled(writer, "quarter", "storing storing melding", 0.25);
    put_scaled(writer, "tripled", "storing melding", 3);
    commit(writer);
    vb_xapian_writer_close(writer);
    struct vb_xapian_reader *reader = open_reader();
    struct vb_xapian_search_options options;
    vb_xapian_search_options_init(&options);
    options.bm25_b = 0;
    char list[128];
    struct vb_xapian_query *storing = term("storing");
    struct vb_xapian_hits *hits =
        search(reader, storing, &options, list, sizeof list);
    ck_assert_uint_eq(vb_xapian_hits_count(hits), 4);
    double weight[4] = {0};
    static const char *const ids[] = {"halved", "same", "quarter", "tripled"};
    for (size_t i = 0; i < 4; i++)
        for (size_t k = 0; k < 4; k++)
            if (strcmp(vb_xapian_hit_data(hits, i, NULL) + 5, ids[k]) == 0)
                weight[k] = vb_xapian_hit_weight(hits, i);
    /* 4 x 0.5 = 2 = 2 x 1; 2 x 0.25 rounds to the least, 1; 1 x 3 = 3. */
    ck_assert_msg(weight[0] == weight[1], "halved %g, same %g", weight[0],
                  weight[1]);
    ck_assert_msg(weight[2] < weight[1] && weight[1] < weight[3],
                  "quarter %g, same %g, tripled %g", weight[2], weight[1],
                  weight[3]);
    vb_xapian_hits_free(hits);
    /* Positions: "storing melding" at 4-5 in the halved document. */
    struct vb_xapian_query *words[] = {
        vb_xapian_query_term("storing", 7, 1, 1),
        vb_xapian_query_term("melding", 7, 1, 2)};
    struct vb_xapian_query *phrase = vb_xapian_query_phrase(words, 2, 0);
    hits = search(reader, phrase, &options, list, sizeof list);
    ck_assert_msg(strstr(list, "halved") && strstr(list, "quarter"), "%s",
                  list);
    vb_xapian_hits_free(hits);
    struct vb_xapian_query *filter = term("Tx");
    hits = search(reader, filter, &options, list, sizeof list);
    ck_assert_uint_eq(vb_xapian_hits_count(hits), 4);
    ck_assert(vb_xapian_hit_weight(hits, 0) == 0); /* still boolean */
    vb_xapian_hits_free(hits);
    struct vb_error err = {0};
    struct vb_xapian_doc *doc = vb_xapian_doc_new();
    ck_assert_int_eq(vb_xapian_doc_scale_wdf(doc, 0, &err), VB_EINVAL);
    vb_xapian_doc_free(doc);
    vb_xapian_query_free(filter);
    vb_xapian_query_free(phrase);
    vb_xapian_query_free(words[0]);
    vb_xapian_query_free(words[1]);
    vb_xapian_query_free(storing);
    vb_xapian_reader_close(reader);
}
END_TEST

START_TEST(test_xapian_facets_count_values)
{
    struct vb_xapian_writer *writer = open_writer();
    put_corpus(writer);
    struct vb_xapian_reader *reader = open_reader();
    struct vb_xapian_search_options options;
    vb_xapian_search_options_init(&options);
    uint32_t facet_slots[] = {SLOT_TYPE, SLOT_GROUP};
    options.facet_slots = facet_slots;
    options.facet_slot_count = 2;
    options.limit = 0;
    options.check_at_least = 100;
    /* Every document: d1-d3 say factuur, d4 verhuizing. */
    struct vb_xapian_query *words[] = {term("factuur"), term("verhuizing")};
    struct vb_xapian_query *all = vb_xapian_query_or(words, 2);
    char list[64];
    struct vb_xapian_hits *hits = search(reader, all, &options, list,
                                         sizeof list);
    ck_assert_uint_eq(vb_xapian_hits_count(hits), 0);
    ck_assert_uint_eq(vb_xapian_hits_estimated(hits), 4);

    ck_assert_uint_eq(vb_xapian_hits_facet_size(hits, 0), 2);
    size_t len = 0;
    uint32_t count = 0;
    ck_assert_str_eq(vb_xapian_hits_facet_value(hits, 0, 0, &len, &count),
                     "procedure");
    ck_assert_uint_eq(count, 3);
    ck_assert_uint_eq(len, 9);
    ck_assert_str_eq(vb_xapian_hits_facet_value(hits, 0, 1, &len, &count),
                     "product");
    ck_assert_uint_eq(count, 1);
    ck_assert_ptr_null(vb_xapian_hits_facet_value(hits, 0, 2, &len, &count));
    ck_assert_uint_eq(count, 0);

    ck_assert_uint_eq(vb_xapian_hits_facet_size(hits, 1), 3);
    ck_assert_str_eq(vb_xapian_hits_facet_value(hits, 1, 0, NULL, &count),
                     "g1");
    ck_assert_uint_eq(count, 2);
    ck_assert_uint_eq(vb_xapian_hits_facet_size(hits, 2), 0);
    vb_xapian_hits_free(hits);
    vb_xapian_query_free(all);
    vb_xapian_query_free(words[0]);
    vb_xapian_query_free(words[1]);
    vb_xapian_reader_close(reader);
    vb_xapian_writer_close(writer);
}
END_TEST

START_TEST(test_xapian_metadata_round_trip)
{
    struct vb_error err = {0};
    struct vb_xapian_writer *writer = open_writer();
    const char hash[] = "sha\0256";
    ck_assert_int_eq(vb_xapian_set_metadata(writer, "schema", 6, "3", 1, &err),
                     VB_OK);
    ck_assert_int_eq(vb_xapian_set_metadata(writer, "hash:docs/a.md", 14, hash,
                                            sizeof hash - 1, &err), VB_OK);
    ck_assert_int_eq(vb_xapian_set_metadata(writer, "", 0, "x", 1, &err),
                     VB_EINVAL);
    /* The writer's view sees it before the commit. */
    char *value = NULL;
    size_t len = 0;
    ck_assert_int_eq(vb_xapian_get_metadata(vb_xapian_writer_reader(writer),
                                            "schema", 6, &value, &len, &err),
                     VB_OK);
    ck_assert_str_eq(value, "3");
    free(value);
    commit(writer);

    struct vb_xapian_reader *reader = open_reader();
    ck_assert_int_eq(vb_xapian_get_metadata(reader, "hash:docs/a.md", 14,
                                            &value, &len, &err), VB_OK);
    ck_assert_uint_eq(len, sizeof hash - 1);
    ck_assert_mem_eq(value, hash, len);
    free(value);
    ck_assert_int_eq(vb_xapian_get_metadata(reader, "absent", 6, &value, &len,
                                            &err), VB_OK);
    ck_assert_ptr_null(value);
    ck_assert_uint_eq(len, 0);

    /* An empty value deletes the key. */
    ck_assert_int_eq(vb_xapian_set_metadata(writer, "schema", 6, NULL, 0, &err),
                     VB_OK);
    commit(writer);
    ck_assert_int_eq(vb_xapian_reader_reopen(reader, NULL, &err), VB_OK);
    ck_assert_int_eq(vb_xapian_get_metadata(reader, "schema", 6, &value, &len,
                                            &err), VB_OK);
    ck_assert_ptr_null(value);
    vb_xapian_reader_close(reader);
    vb_xapian_writer_close(writer);
}
END_TEST

struct term_list {
    char text[256];
    int calls;
    int stop_after;
};

static int collect_term(void *ctx, const char *t, size_t len, uint32_t freq)
{
    struct term_list *list = ctx;
    char item[96];
    snprintf(item, sizeof item, "%s%.*s=%u", list->calls ? " " : "", (int)len,
             t, (unsigned)freq);
    strncat(list->text, item, sizeof list->text - strlen(list->text) - 1);
    list->calls++;
    return list->stop_after && list->calls >= list->stop_after;
}

static void add_source_doc(struct vb_xapian_writer *writer, const char *id,
                           const char *source)
{
    struct vb_error err = {0};
    struct vb_xapian_doc *doc = vb_xapian_doc_new();
    ck_assert_int_eq(vb_xapian_doc_add_boolean_term(doc, source, strlen(source),
                                                    &err), VB_OK);
    ck_assert_int_eq(vb_xapian_replace(writer, id, strlen(id), doc, NULL, &err),
                     VB_OK);
    vb_xapian_doc_free(doc);
}

START_TEST(test_xapian_for_each_term_with_prefix)
{
    struct vb_error err = {0};
    struct vb_xapian_writer *writer = open_writer();
    add_source_doc(writer, "Qb", "Sdocs/");
    add_source_doc(writer, "Qa", "Sdocs/");
    add_source_doc(writer, "Qc", "Sother/");
    commit(writer);
    struct vb_xapian_reader *reader = open_reader();

    struct term_list list = {0};
    ck_assert_int_eq(vb_xapian_for_each_term(reader, "Q", 1, collect_term,
                                             &list, &err), VB_OK);
    ck_assert_str_eq(list.text, "Qa=1 Qb=1 Qc=1");

    memset(&list, 0, sizeof list);
    ck_assert_int_eq(vb_xapian_for_each_term(reader, "S", 1, collect_term,
                                             &list, &err), VB_OK);
    ck_assert_str_eq(list.text, "Sdocs/=2 Sother/=1");

    /* Stopping early is not an error. */
    memset(&list, 0, sizeof list);
    list.stop_after = 1;
    ck_assert_int_eq(vb_xapian_for_each_term(reader, "Q", 1, collect_term,
                                             &list, &err), VB_OK);
    ck_assert_str_eq(list.text, "Qa=1");

    /* No match: no call.  The writer's view sees uncommitted terms. */
    memset(&list, 0, sizeof list);
    ck_assert_int_eq(vb_xapian_for_each_term(reader, "Z", 1, collect_term,
                                             &list, &err), VB_OK);
    ck_assert_int_eq(list.calls, 0);
    add_source_doc(writer, "Qd", "Sother/");
    memset(&list, 0, sizeof list);
    ck_assert_int_eq(vb_xapian_for_each_term(vb_xapian_writer_reader(writer),
                                             "Q", 1, collect_term, &list,
                                             &err), VB_OK);
    ck_assert_str_eq(list.text, "Qa=1 Qb=1 Qc=1 Qd=1");

    /* One document's terms: docids 1..3 in the order added (Qb, Qa, Qc). */
    memset(&list, 0, sizeof list);
    ck_assert_int_eq(vb_xapian_for_each_doc_term(reader, 3, "S", 1,
                                                 collect_term, &list, &err),
                     VB_OK);
    ck_assert_str_eq(list.text, "Sother/=1");
    memset(&list, 0, sizeof list);
    ck_assert_int_eq(vb_xapian_for_each_doc_term(reader, 1, "", 0,
                                                 collect_term, &list, &err),
                     VB_OK);
    ck_assert_str_eq(list.text, "Qb=1 Sdocs/=2");
    memset(&list, 0, sizeof list);
    ck_assert_int_eq(vb_xapian_for_each_doc_term(reader, 1, "Z", 1,
                                                 collect_term, &list, &err),
                     VB_OK);
    ck_assert_int_eq(list.calls, 0);
    ck_assert_int_eq(vb_xapian_for_each_doc_term(reader, 99, "", 0,
                                                 collect_term, &list, &err),
                     VB_ENOTFOUND);
    vb_xapian_reader_close(reader);
    vb_xapian_writer_close(writer);
}
END_TEST

/* Stores 2000 documents "Qr<i>" with 200 bytes of data each. */
static void rewrite_all(struct vb_xapian_writer *writer, int round)
{
    struct vb_error err = {0};
    char data[200];
    memset(data, 'A' + round, sizeof data);
    for (int i = 0; i < 2000; i++) {
        char id[32];
        snprintf(id, sizeof id, "Qr%d", i);
        struct vb_xapian_doc *doc = vb_xapian_doc_new();
        ck_assert_int_eq(vb_xapian_doc_add_posting(doc, "factuur", 7, 1, 1,
                                                   &err), VB_OK);
        ck_assert_int_eq(vb_xapian_doc_add_posting(doc, id + 1, strlen(id + 1),
                                                   2, 1, &err), VB_OK);
        ck_assert_int_eq(vb_xapian_doc_set_data(doc, data, sizeof data, &err),
                         VB_OK);
        ck_assert_int_eq(vb_xapian_replace(writer, id, strlen(id), doc, NULL,
                                           &err), VB_OK);
        vb_xapian_doc_free(doc);
    }
    commit(writer);
}

START_TEST(test_xapian_stale_reader_search_reopens)
{
    /* A reader left on an old revision while the writer rewrites every
     * document several times: Xapian reuses the old revision's blocks and
     * reports DatabaseModifiedError; the search must reopen the reader to
     * the latest revision and succeed (regression guard for the retry). */
    struct vb_error err = {0};
    struct vb_xapian_writer *writer = open_writer();
    rewrite_all(writer, 0);
    struct vb_xapian_reader *reader = open_reader();
    uint64_t before = 0, after = 0;
    ck_assert_int_eq(vb_xapian_reader_revision(reader, &before, &err), VB_OK);
    for (int round = 1; round < 8; round++)
        rewrite_all(writer, round);

    struct vb_xapian_search_options options;
    vb_xapian_search_options_init(&options);
    options.limit = 2000;
    struct vb_xapian_query *q = term("factuur");
    struct vb_xapian_hits *hits = NULL;
    ck_assert_msg(vb_xapian_search(reader, q, &options, &hits, &err) == VB_OK,
                  "%s", err.msg);
    ck_assert_uint_eq(vb_xapian_hits_count(hits), 2000);
    ck_assert_int_eq(vb_xapian_reader_revision(reader, &after, &err), VB_OK);
    ck_assert_uint_gt(after, before);
    /* Every hit's data comes from the one revision searched. */
    for (size_t i = 0; i < 2000; i++)
        ck_assert_int_eq(vb_xapian_hit_data(hits, i, NULL)[0], 'A' + 7);
    vb_xapian_hits_free(hits);
    vb_xapian_query_free(q);
    vb_xapian_reader_close(reader);
    vb_xapian_writer_close(writer);
}
END_TEST

START_TEST(test_xapian_null_tolerance)
{
    struct vb_error err = {0};
    vb_xapian_writer_close(NULL);
    vb_xapian_reader_close(NULL);
    vb_xapian_doc_free(NULL);
    vb_xapian_query_free(NULL);
    vb_xapian_hits_free(NULL);
    vb_xapian_search_options_init(NULL);
    ck_assert_ptr_null(vb_xapian_writer_reader(NULL));

    ck_assert_int_eq(vb_xapian_writer_open(NULL, true, NULL, &err), VB_EINVAL);
    ck_assert_int_eq(vb_xapian_reader_open(NULL, NULL, NULL), VB_EINVAL);
    ck_assert_int_eq(vb_xapian_commit(NULL, &err), VB_EINVAL);
    ck_assert_int_eq(vb_xapian_replace(NULL, "Qa", 2, NULL, NULL, &err),
                     VB_EINVAL);
    ck_assert_int_eq(vb_xapian_delete(NULL, "Qa", 2, NULL, &err), VB_EINVAL);
    ck_assert_int_eq(vb_xapian_set_metadata(NULL, "k", 1, "v", 1, &err),
                     VB_EINVAL);
    uint32_t n = 7;
    ck_assert_int_eq(vb_xapian_doc_count(NULL, &n, &err), VB_EINVAL);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(vb_xapian_term_freq(NULL, "a", 1, &n, &err), VB_EINVAL);
    ck_assert_int_eq(vb_xapian_reader_reopen(NULL, NULL, &err), VB_EINVAL);
    ck_assert_int_eq(vb_xapian_for_each_term(NULL, "", 0, collect_term, NULL,
                                             &err), VB_EINVAL);
    ck_assert_int_eq(vb_xapian_doc_add_posting(NULL, "a", 1, 1, 1, &err),
                     VB_EINVAL);
    ck_assert_int_eq(err.code, VB_EINVAL);

    struct vb_xapian_doc *doc = vb_xapian_doc_new();
    ck_assert_int_eq(vb_xapian_doc_add_term(doc, "", 0, 1, &err), VB_EINVAL);
    ck_assert_int_eq(vb_xapian_doc_set_value(doc, VB_XAPIAN_NO_SLOT, "x", 1,
                                             &err), VB_EINVAL);
    vb_xapian_doc_free(doc);

    /* Query constructors: NULL in, NULL out. */
    struct vb_xapian_query *a = term("a");
    struct vb_xapian_query *with_null[] = {a, NULL};
    ck_assert_ptr_null(vb_xapian_query_term("", 0, 1, 0));
    ck_assert_ptr_null(vb_xapian_query_term(NULL, 3, 1, 0));
    ck_assert_ptr_null(vb_xapian_query_and(with_null, 2));
    ck_assert_ptr_null(vb_xapian_query_or(NULL, 2));
    ck_assert_ptr_null(vb_xapian_query_filter(a, NULL));
    ck_assert_ptr_null(vb_xapian_query_and_not(NULL, a));
    ck_assert_ptr_null(vb_xapian_query_scale_weight(a, -1.0));
    ck_assert_ptr_null(vb_xapian_query_scale_weight(NULL, 1.0));
    struct vb_xapian_query *empty_or = vb_xapian_query_or(NULL, 0);
    ck_assert_ptr_nonnull(empty_or);
    vb_xapian_query_free(empty_or);
    vb_xapian_query_free(a);

    /* Hit accessors on NULL. */
    size_t len = 5;
    ck_assert_uint_eq(vb_xapian_hits_count(NULL), 0);
    ck_assert_ptr_null(vb_xapian_hit_data(NULL, 0, &len));
    ck_assert_uint_eq(len, 0);
    ck_assert_ptr_null(vb_xapian_hit_value(NULL, 0, 0, NULL));
    ck_assert_uint_eq(vb_xapian_hits_facet_size(NULL, 0), 0);
}
END_TEST

/* Writes `text` to tmp_dir/name; the path into `path`. */

/* Two committed indexes merged by compaction: every document and term
 * frequency of both, document ids renumbered (the first source's
 * first); a missing source or an existing output is an error. */
START_TEST(test_xapian_compact_merges_sources)
{
    struct vb_error err = {0};
    char a[160], b[160], out[160];
    snprintf(a, sizeof a, "%s/a", tmp_dir);
    snprintf(b, sizeof b, "%s/b", tmp_dir);
    snprintf(out, sizeof out, "%s/merged", tmp_dir);
    const char *dirs[] = {a, b};
    const char *ids[2][2] = {{"Qa1", "Qa2"}, {"Qb1", "Qb2"}};
    for (int i = 0; i < 2; i++) {
        struct vb_xapian_writer *writer = NULL;
        ck_assert_int_eq(vb_xapian_writer_open(dirs[i], true, &writer, &err),
                         VB_OK);
        add_source_doc(writer, ids[i][0], "Sdocs/");
        add_source_doc(writer, ids[i][1], i == 0 ? "Sdocs/" : "Sother/");
        commit(writer);
        vb_xapian_writer_close(writer);
    }
    ck_assert_msg(vb_xapian_compact(dirs, 2, out, &err) == VB_OK, "%s",
                  err.msg);
    struct vb_xapian_reader *reader = NULL;
    ck_assert_int_eq(vb_xapian_reader_open(out, &reader, &err), VB_OK);
    ck_assert_uint_eq(doc_count(reader), 4);
    struct term_list list = {0};
    ck_assert_int_eq(
        vb_xapian_for_each_term(reader, "", 0, collect_term, &list, &err),
        VB_OK);
    ck_assert_str_eq(list.text, "Qa1=1 Qa2=1 Qb1=1 Qb2=1 Sdocs/=3 Sother/=1");
    uint32_t docid = 0;
    ck_assert_int_eq(
        vb_xapian_get_document(reader, "Qb1", 3, &docid, NULL, NULL, &err),
        VB_OK);
    ck_assert_uint_eq(docid, 3);
    vb_xapian_reader_close(reader);

    ck_assert_int_eq(vb_xapian_compact(dirs, 2, out, &err), VB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "exists"));
    const char *missing[] = {a, "/nonexistent/vb-index"};
    char again[160];
    snprintf(again, sizeof again, "%s/again", tmp_dir);
    ck_assert_int_ne(vb_xapian_compact(missing, 2, again, &err), VB_OK);
    ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/vb-index"));
    ck_assert_int_eq(vb_xapian_compact(NULL, 0, out, &err), VB_EINVAL);
}
END_TEST

static void write_stub(const char *name, const char *text, char *path,
                       size_t cap)
{
    snprintf(path, cap, "%s/%s", tmp_dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* An index over shards named by a stub file: local shards are searched as
 * one; a remote shard that does not answer is down, its place empty, and
 * named; a bad line is an error naming it; nothing writes to a stub. */
START_TEST(test_xapian_stub_of_shards)
{
    struct vb_error err = {0};
    char shard[160], stub[160], out[256];
    /* Two local shards: index (d1..d4) and index2 (e1). */
    struct vb_xapian_writer *writer = open_writer();
    put_corpus(writer);
    vb_xapian_writer_close(writer);
    snprintf(shard, sizeof shard, "%s/index2", tmp_dir);
    ck_assert_int_eq(vb_xapian_writer_open(shard, true, &writer, &err), VB_OK);
    put(writer, "e1", "procedure", "g9", "2026-04-01", "factuur factuur");
    commit(writer);
    vb_xapian_writer_close(writer);

    write_stub("two", "# two shards\nauto index\n\nglass index2\n", stub,
               sizeof stub);
    struct vb_xapian_reader *reader = NULL;
    ck_assert_msg(vb_xapian_reader_open(stub, &reader, &err) == VB_OK, "%s",
                  err.msg);
    ck_assert_uint_eq(doc_count(reader), 5);
    struct vb_xapian_query *q = term("factuur");
    vb_xapian_hits_free(search(reader, q, NULL, out, sizeof out));
    vb_xapian_query_free(q);
    ck_assert_msg(strncmp(out, "e1 ", 3) == 0 && strstr(out, "d1") &&
                      strstr(out, "d2") && strstr(out, "d3"),
                  "%s", out);
    ck_assert_uint_eq(vb_xapian_reader_shards_down(reader, NULL, 0), 0);
    uint64_t revision = 0;
    ck_assert_int_eq(vb_xapian_reader_revision(reader, &revision, &err), VB_OK);
    bool changed = true;
    ck_assert_int_eq(vb_xapian_reader_reopen(reader, &changed, &err), VB_OK);
    ck_assert(!changed);
    /* A new revision of one shard is a change of the whole. */
    ck_assert_int_eq(vb_xapian_writer_open(shard, false, &writer, &err), VB_OK);
    put(writer, "e2", "procedure", "g9", "2026-04-02", "verhuizing");
    commit(writer);
    vb_xapian_writer_close(writer);
    ck_assert_int_eq(vb_xapian_reader_reopen(reader, &changed, &err), VB_OK);
    ck_assert(changed);
    ck_assert_uint_eq(doc_count(reader), 6);
    uint64_t after = 0;
    ck_assert_int_eq(vb_xapian_reader_revision(reader, &after, &err), VB_OK);
    ck_assert_uint_gt(after, revision);
    vb_xapian_reader_close(reader);

    /* Nothing listens on port 1 of the loopback: that shard is down at
     * once, the others answer, and the reader says which one is missing. */
    write_stub("remote", "auto index\nremote 127.0.0.1:1\n", stub, sizeof stub);
    ck_assert_msg(vb_xapian_reader_open_shards(stub, 200, &reader, &err) ==
                      VB_OK,
                  "%s", err.msg);
    ck_assert_uint_eq(doc_count(reader), 4);
    const char *names[2] = {NULL, NULL};
    ck_assert_uint_eq(vb_xapian_reader_shards_down(reader, names, 2), 1);
    ck_assert_str_eq(names[0], "127.0.0.1:1");
    q = term("verhuizing");
    vb_xapian_hits_free(search(reader, q, NULL, out, sizeof out));
    vb_xapian_query_free(q);
    ck_assert_str_eq(out, "d4");
    char *value = NULL;
    ck_assert_int_eq(vb_xapian_reader_reopen(reader, NULL, &err), VB_OK);
    ck_assert_int_eq(vb_xapian_get_metadata(reader, "k", 1, &value, NULL, &err),
                     VB_OK);
    free(value);
    vb_xapian_reader_close(reader);

    /* Bad lines: an error that names the file and the line. */
    static const struct {
        const char *text, *expect;
    } bad[] = {
        {"auto index\nmirror index2\n", "bad:2: unknown shard type 'mirror'"},
        {"remote host-without-port\n", "bad:1: remote shard"},
        {"remote 10.0.0.1:99999\n",
         "bad:1: remote shard '10.0.0.1:99999': bad port"},
        {"auto\n", "bad:1: 'auto' without a path"},
        {"# nothing\n\n", "names no shard"},
        {"auto no-such-index\n", "no-such-index"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        write_stub("bad", bad[k].text, stub, sizeof stub);
        reader = (struct vb_xapian_reader *)&err;
        ck_assert_int_ne(vb_xapian_reader_open(stub, &reader, &err), VB_OK);
        ck_assert_ptr_null(reader);
        ck_assert_msg(strstr(err.msg, bad[k].expect), "%s: %s", bad[k].expect,
                      err.msg);
    }

    /* A stub is read only. */
    writer = (struct vb_xapian_writer *)&err;
    write_stub("two", "auto index\n", stub, sizeof stub);
    ck_assert_int_eq(vb_xapian_writer_open(stub, false, &writer, &err),
                     VB_EINVAL);
    ck_assert_ptr_null(writer);
    ck_assert_msg(strstr(err.msg, "stub file of shards"), "%s", err.msg);
    /* So is a replica (xapian-replicate's directory with its stub). */
    char replica[160];
    snprintf(replica, sizeof replica, "%s/replica", tmp_dir);
    ck_assert_int_eq(mkdir(replica, 0700), 0);
    write_stub("replica/XAPIANDB", "auto ../index\n", stub, sizeof stub);
    ck_assert_msg(vb_xapian_reader_open(replica, &reader, &err) == VB_OK, "%s",
                  err.msg);
    ck_assert_uint_eq(doc_count(reader), 4);
    vb_xapian_reader_close(reader);
    ck_assert_int_eq(vb_xapian_writer_open(replica, false, &writer, &err),
                     VB_EINVAL);
    ck_assert_msg(strstr(err.msg, "is a replica"), "%s", err.msg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("xapian");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_xapian_round_trip);
    tcase_add_test(tc, test_xapian_replace_keeps_one_document);
    tcase_add_test(tc, test_xapian_set_document_value);
    tcase_add_test(tc, test_xapian_commit_publishes_revision);
    tcase_add_test(tc, test_xapian_second_writer_is_locked_out);
    tcase_add_test(tc, test_xapian_missing_index_is_not_found);
    tcase_add_test(tc, test_xapian_garbage_is_an_error_not_a_crash);
    tcase_add_test(tc, test_xapian_search_operators);
    tcase_add_test(tc, test_xapian_facets_count_values);
    tcase_add_test(tc, test_xapian_metadata_round_trip);
    tcase_add_test(tc, test_xapian_for_each_term_with_prefix);
    tcase_add_test(tc, test_xapian_stale_reader_search_reopens);
    tcase_add_test(tc, test_xapian_null_tolerance);
    tcase_add_test(tc, test_xapian_scale_wdf);
    tcase_add_test(tc, test_xapian_stub_of_shards);
    tcase_add_test(tc, test_xapian_compact_merges_sources);
    suite_add_tcase(s, tc);
    return vb_test_run(s);
}
