/* fuzz_query.c — the query language and its expansion (search/) against
 * the sample corpus's index: the first byte picks the mode (query or
 * suggest), the preferred language, whether the customer C000123 is on
 * the line and the page; the rest is the text.  Any text gets hits or a
 * clear refusal (VB_EUTF8, VB_EINVAL), never a crash, and never a
 * history event of a customer who is not on the line. */
#include "fuzz.h"

#include <string.h>

#include "vb_search.h"

static struct vb_search_engine *engine;
static struct vb_searcher *searcher;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct vb_search_engine_options o = {.index_dir = vb_fuzz_fixture_index()};
    struct vb_error err = {0};
    if (vb_search_engine_new(&o, &engine, &err) != VB_OK ||
        vb_searcher_new(engine, &searcher, &err) != VB_OK)
        vb_fuzz_fail("opening the index", err.msg);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    uint8_t how = data[0];
    static const enum vb_lang langs[] = {VB_LANG_UNKNOWN, VB_LANG_NL,
                                         VB_LANG_FR, VB_LANG_EN};
    struct vb_search_request req;
    vb_search_request_init(&req);
    req.mode = how & 1 ? VB_SEARCH_SUGGEST : VB_SEARCH_QUERY;
    req.preferred_lang = langs[(how >> 1) & 3];
    req.customer = how & 8 ? "C000123" : NULL;
    req.facets = how & 16;
    req.offset = how & 32 ? 7 : 0;
    req.limit = how & 64 ? 3 : 10;
    req.text = (const char *)data + 1;
    req.text_len = size - 1;
    struct vb_search_result *result = NULL;
    struct vb_error err = {0};
    enum vb_status st = vb_search_run(searcher, &req, &result, &err);
    if (st == VB_OK) {
        for (size_t i = 0; i < result->hit_count; i++) {
            const char *customer = result->hits[i].customer;
            if (customer && customer[0] &&
                (!req.customer || strcmp(customer, req.customer) != 0))
                vb_fuzz_fail("another customer's history", customer);
        }
        vb_search_result_free(result);
    } else if (st != VB_EUTF8 && st != VB_EINVAL && st != VB_ELIMIT) {
        vb_fuzz_fail("vb_search_run", err.msg);
    }
    return 0;
}
