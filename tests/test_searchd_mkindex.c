/* test_searchd_mkindex — makes an empty, valid index in DIR with the
 * Xapian bridge, for searchd's tests when vraagbaak-indexer is not part
 * of the build (tests/searchd_tests.cmake picks one or the other). */
#include <stdio.h>

#include "vb_xapian.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_searchd_mkindex DIR\n");
        return 2;
    }
    struct vb_xapian_writer *writer = NULL;
    struct vb_error err = {0};
    if (vb_xapian_writer_open(argv[1], true, &writer, &err) != VB_OK ||
        vb_xapian_commit(writer, &err) != VB_OK) {
        fprintf(stderr, "test_searchd_mkindex: %s\n", err.msg);
        vb_xapian_writer_close(writer);
        return 1;
    }
    vb_xapian_writer_close(writer);
    return 0;
}
