/* erase.c — a customer's history erased (the right to erasure): every
 * event of theirs deleted in one revision, and the customer remembered
 * so that a later run does not index the events again. */
#include "indexer_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deletes every document carrying `term` (and `also`, when not NULL), a
 * page at a time (each search sees the writer's state, without the pages
 * deleted before). */
static enum vb_status delete_all(struct vb_xapian_writer *writer,
                                 const char *term, size_t len, const char *also,
                                 size_t also_len, uint64_t *deleted,
                                 struct vb_error *err)
{
    struct vb_xapian_reader *view = vb_xapian_writer_reader(writer);
    struct vb_xapian_query *query = vb_xapian_query_term(term, len, 1, 1);
    if (query && also) { /* and `also` too */
        struct vb_xapian_query *both[2] = {
            query, vb_xapian_query_term(also, also_len, 1, 1)};
        query = both[1] ? vb_xapian_query_and(both, 2) : NULL;
        vb_xapian_query_free(both[0]);
        vb_xapian_query_free(both[1]);
    }
    if (!query)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    struct vb_xapian_search_options options;
    vb_xapian_search_options_init(&options);
    options.limit = 10000;
    options.without_data = true;
    enum vb_status st = VB_OK;
    for (;;) {
        struct vb_xapian_hits *hits = NULL;
        st = vb_xapian_search(view, query, &options, &hits, err);
        size_t n = st == VB_OK ? vb_xapian_hits_count(hits) : 0;
        for (size_t i = 0; st == VB_OK && i < n; i++)
            st = vb_xapian_delete_docid(writer, vb_xapian_hit_docid(hits, i),
                                        err);
        vb_xapian_hits_free(hits);
        if (st != VB_OK || n == 0)
            break;
        *deleted += n;
    }
    vb_xapian_query_free(query);
    return st;
}

/* The erasure list with `customer` on `day` (YYYY-MM-DD), replacing an
 * earlier line of the same customer: a malloc'd string. */
static char *erased_list_with(const char *list, size_t len,
                              const char *customer, const char *day)
{
    size_t clen = strlen(customer);
    char *out = malloc(len + clen + 16);
    if (!out)
        return NULL;
    size_t used = 0;
    for (const char *line = list; line && line < list + len;) {
        const char *end = memchr(line, '\n', (size_t)(list + len - line));
        size_t n = end ? (size_t)(end - line) + 1 : (size_t)(list + len - line);
        if (!(n > clen && memcmp(line, customer, clen) == 0 &&
              line[clen] == ' ')) {
            memcpy(out + used, line, n);
            used += n;
            if (out[used - 1] != '\n')
                out[used++] = '\n';
        }
        line += n;
    }
    used += (size_t)sprintf(out + used, "%s %s\n", customer, day);
    out[used] = '\0';
    return out;
}

enum vb_status vb_indexer_erase_customer(const char *index_dir,
                                         const char *customer,
                                         const char *tenant, uint64_t *erased,
                                         struct vb_error *err)
{
    *erased = 0;
    size_t clen = strlen(customer);
    if (!vb_document_customer_ok(customer, clen))
        return vb_error_set(err, VB_EINVAL,
                            "not a customer id (" VB_DOC_CUSTOMER_RULE ")");
    struct vb_xapian_writer *writer = NULL;
    char *list = NULL, *updated = NULL;
    size_t list_len = 0;
    enum vb_status st = vb_xapian_writer_open(index_dir, false, &writer, err);
    if (st == VB_OK)
        st = vb_schema_check(vb_xapian_writer_reader(writer), err);
    if (st == VB_OK && tenant && !vb_document_tenant_ok(tenant, strlen(tenant)))
        st = vb_error_set(err, VB_EINVAL, "not a tenant name");
    if (st == VB_OK) {
        char term[VB_SCHEMA_TERM_BUF], own[VB_SCHEMA_TERM_BUF];
        size_t n = vb_schema_term(VB_SCHEMA_PREFIX_CUSTOMER, customer, clen,
                                  term, sizeof term);
        size_t own_len =
            tenant ? vb_schema_tenant_term(tenant, own, sizeof own) : 0;
        st = delete_all(writer, term, n, tenant ? own : NULL, own_len, erased,
                        err);
    }
    if (st == VB_OK)
        st = vb_xapian_get_metadata(
            vb_xapian_writer_reader(writer), VB_SCHEMA_METADATA_ERASED,
            strlen(VB_SCHEMA_METADATA_ERASED), &list, &list_len, err);
    if (st == VB_OK) {
        char day[16];
        time_t now = time(NULL);
        struct tm utc;
        gmtime_r(&now, &utc);
        strftime(day, sizeof day, "%Y-%m-%d", &utc);
        /* One client's customer: "tenant/customer" (no customer id has a
         * '/'). */
        char key[VB_DOC_TENANT_MAX + VB_DOC_CUSTOMER_MAX + 2];
        snprintf(key, sizeof key, "%s%s%s", tenant ? tenant : "",
                 tenant ? "/" : "", customer);
        updated = erased_list_with(list, list_len, key, day);
        st = updated ? vb_xapian_set_metadata(writer, VB_SCHEMA_METADATA_ERASED,
                                              strlen(VB_SCHEMA_METADATA_ERASED),
                                              updated, strlen(updated), err)
                     : vb_error_set(err, VB_ENOMEM, "out of memory");
    }
    if (st == VB_OK)
        st = vb_xapian_commit(writer, err);
    if (st != VB_OK)
        *erased = 0;
    free(list);
    free(updated);
    vb_xapian_writer_close(writer);
    return st;
}
