/* schema_int.h — private to schema/, between its files:
 *   terms.c   term and key spellings, sortable dates;
 *   schema.c  a document into an index document (terms, values) and the
 *             index's schema version;
 *   record.c  the stored data: a compact binary record, and back;
 *   sync.c    the sync record each document carries, and reading them. */
#ifndef VB_SCHEMA_INT_H
#define VB_SCHEMA_INT_H

#include "vb_schema.h"

/* record.c: the stored data of `doc` (its language `lang`), malloc'd, *len
 * its length; NULL when out of memory. */
char *schema_record(const struct vb_document *doc, const char *lang,
                    size_t *len);

/* sync.c: the sync record value of `rec` (its docid aside), malloc'd,
 * *len its length; NULL when out of memory. */
char *schema_sync_value(const struct vb_schema_sync_record *rec, size_t *len);

/* terms.c: whether s[0..n) are all ASCII digits. */
bool schema_all_digits(const char *s, int n);

#endif
