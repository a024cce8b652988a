/* testutil.h — shared helpers for the Check suites. */
#ifndef VB_TESTUTIL_H
#define VB_TESTUTIL_H

#include <check.h>
#include <stddef.h>

/* Exit status CTest reads as "skipped". */
#define VB_TEST_SKIP 77

/* Path of a file under ../shared/data, in static storage (overwritten by
 * the next call). */
const char *vb_test_data_path(const char *relative);

/* Call from main(), before the suite runs (Check forks per test, so an exit
 * inside a test is a failure).  Returns when ../shared/data/<relative> exists.  Otherwise prints why and
 * exits 77 (skip), or fails with exit 1 when CI=true: CI must run every
 * test. */
void vb_test_require_data(const char *relative);

/* Reads a whole file into a NUL-terminated heap buffer (free() it); NULL
 * and a message on stderr when it cannot be read. */
char *vb_test_read_file(const char *path, size_t *len);

/* Runs `suite` with CK_NORMAL output, returns the process exit status. */
int vb_test_run(Suite *suite);

/* Removes a file or a directory tree (rm -rf); a missing path is fine. */
void vb_test_remove_tree(const char *path);

#endif
