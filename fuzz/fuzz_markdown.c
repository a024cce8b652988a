/* fuzz_markdown.c — a corpus file with front matter and a Markdown body
 * (document/), as the indexer reads it: a document or problems that name
 * the file and line, never a crash. */
#include "fuzz.h"

#include <string.h>

#include "vb_document.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vb_document *doc = NULL;
    struct vb_error err = {0};
    enum vb_status st = vb_document_parse_markdown(
        "fuzz.md", (const char *)data, size, &doc, &err);
    if (st == VB_OK) {
        if (!doc || !doc->id[0] || !doc->title[0])
            vb_fuzz_fail("a document without id or title", NULL);
        char etag[17];
        vb_document_etag(doc, etag);
        vb_document_free(doc);
    } else if (doc || strncmp(err.msg, "fuzz.md", 7) != 0) {
        if (st != VB_ENOMEM)
            vb_fuzz_fail("a rejection that does not name the file", err.msg);
    }
    return 0;
}
