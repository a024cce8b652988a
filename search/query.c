/* query.c — what a query means.  Being written: for now every search
 * reports that the engine is not ready. */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>

void vb_search_request_init(struct vb_search_request *request)
{
    memset(request, 0, sizeof *request);
    request->mode = VB_SEARCH_QUERY;
    request->text = "";
    request->limit = VB_SEARCH_LIMIT_DEFAULT;
}

enum vb_status vb_search_run(struct vb_searcher *searcher,
                             const struct vb_search_request *request,
                             struct vb_search_result **out,
                             struct vb_error *err)
{
    (void)searcher;
    (void)request;
    *out = NULL;
    return vb_error_set(err, VB_EBACKEND, "search is not implemented yet");
}

void vb_search_result_free(struct vb_search_result *result)
{
    if (!result)
        return;
    for (size_t i = 0; i < result->hit_count; i++) {
        struct vb_search_hit *h = &result->hits[i];
        free(h->id);
        free(h->type);
        free(h->lang);
        free(h->title);
        free(h->snippet);
        free(h->group);
        for (size_t t = 0; t < h->translation_count; t++)
            free(h->translations[t].id);
        free(h->translations);
        free(h->updated);
        free(h->date);
        free(h->customer);
        free(h->channel);
    }
    free(result->hits);
    for (size_t f = 0; f < result->facet_count; f++) {
        for (size_t i = 0; i < result->facets[f].count; i++)
            free(result->facets[f].counts[i].value);
        free(result->facets[f].counts);
    }
    free(result->facets);
    free(result->suggestion);
    free(result);
}
