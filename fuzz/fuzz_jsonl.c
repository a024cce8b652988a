/* fuzz_jsonl.c — JSON Lines of documents (document/), as the indexer
 * reads a CRM export, and one JSON document as a PUT body carries it:
 * each line a document or problems naming the file and line. */
#include "fuzz.h"

#include <string.h>

#include "vb_document.h"

static int take(void *ctx, struct vb_document *doc,
                const struct vb_error *problems, size_t problem_count)
{
    (void)ctx;
    if (doc) {
        if (problem_count != 0 || !doc->id[0])
            vb_fuzz_fail("a document with problems or no id", NULL);
        vb_document_free(doc);
        return 0;
    }
    if (problem_count == 0)
        vb_fuzz_fail("a rejection without a problem", NULL);
    for (size_t i = 0; i < problem_count; i++)
        if (strncmp(problems[i].msg, "fuzz.jsonl:", 11) != 0)
            vb_fuzz_fail("a problem that does not name the line",
                         problems[i].msg);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vb_error err = {0};
    if (vb_document_read_jsonl("fuzz.jsonl", (const char *)data, size, take,
                               NULL, &err) != VB_OK &&
        err.code != VB_ENOMEM)
        vb_fuzz_fail("vb_document_read_jsonl", err.msg);
    struct vb_document *doc = NULL;
    if (vb_document_parse_json("request body", 1, (const char *)data, size,
                               &doc, &err) == VB_OK)
        vb_document_free(doc);
    else if (doc)
        vb_fuzz_fail("a rejected body with a document", NULL);
    return 0;
}
