/* vraagbaak-search: runs one search in-process and prints the hits; for
 * editors asking "what does this query find" without a daemon. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vb_search.h"

static const char usage[] =
    "Usage: vraagbaak-search [--index DIR] [--lang nl|fr|en] [--customer ID]\n"
    "                        [--tenant CLIENT]\n"
    "                        [--type T]... [--limit N] [--suggest] QUERY\n"
    "\n"
    "Runs one search on a Vraagbaak index in this process and prints the\n"
    "hits, as vraagbaak-searchd would rank them: for an editor asking what\n"
    "a query finds, without a daemon.\n"
    "\n"
    "  --index DIR      the index (default $VRAAGBAAK_INDEX, else data/index)\n"
    "  --lang L         the agent's language, preferred among translations\n"
    "  --customer ID    that customer's history too\n"
    "  --tenant CLIENT  the client searched for (its documents and the\n"
    "                   shared ones)\n"
    "  --type T         only documents of type T (repeatable)\n"
    "  --limit N        at most N hits (1 to 100, default 10)\n"
    "  --suggest        QUERY is a conversation's text: its salient words\n"
    "  --help           this text\n"
    "  --version        the version\n";

int main(int argc, char **argv)
{
    struct vb_search_request req;
    vb_search_request_init(&req);
    const char *index = getenv("VRAAGBAAK_INDEX");
    if (!index || !index[0])
        index = "data/index";
    const char *query = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            printf("vraagbaak-search %s\n", VB_VERSION);
            return 0;
        } else if (strcmp(a, "--suggest") == 0) {
            req.mode = VB_SEARCH_SUGGEST;
        } else if (v && strcmp(a, "--index") == 0) {
            index = v, i++;
        } else if (v && strcmp(a, "--lang") == 0) {
            req.preferred_lang = vb_lang_parse(v, strlen(v)), i++;
        } else if (v && strcmp(a, "--customer") == 0) {
            req.customer = v, i++;
        } else if (v && strcmp(a, "--tenant") == 0) {
            req.tenant = v, i++;
        } else if (v && strcmp(a, "--limit") == 0) {
            req.limit = (uint32_t)atoi(v), i++;
        } else if (v && strcmp(a, "--type") == 0 &&
                   req.type_count < VB_SEARCH_TYPES_MAX) {
            req.types[req.type_count++] = v, i++;
        } else if (a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "vraagbaak-search: unknown option %s\n%s", a, usage);
            return 2;
        } else {
            query = a;
        }
    }
    if (!query) {
        fputs(usage, stderr);
        return 2;
    }
    req.text = query;
    req.text_len = strlen(query);

    struct vb_error err = {0};
    struct vb_search_engine_options opt = {.index_dir = index};
    struct vb_search_engine *engine = NULL;
    struct vb_searcher *searcher = NULL;
    struct vb_search_result *r = NULL;
    int status = 2;
    if (vb_search_engine_new(&opt, &engine, &err) != VB_OK ||
        vb_searcher_new(engine, &searcher, &err) != VB_OK ||
        vb_search_run(searcher, &req, &r, &err) != VB_OK) {
        fprintf(stderr, "vraagbaak-search: %s\n", err.msg);
        goto out;
    }
    printf("total %u, %llu us%s%s\n", r->total, (unsigned long long)r->took_us,
           r->suggestion ? ", did you mean: " : "",
           r->suggestion ? r->suggestion : "");
    for (size_t i = 0; i < r->hit_count; i++) {
        const struct vb_search_hit *h = &r->hits[i];
        printf("%6.2f %-32s %-9s %s  %s\n", h->score, h->id, h->type,
               h->lang ? h->lang : "--", h->title);
        for (size_t t = 0; t < h->translation_count; t++)
            printf("       also %s: %s\n", h->translations[t].lang,
                   h->translations[t].id);
        printf("       %s\n", h->snippet);
    }
    status = r->hit_count ? 0 : 1;
out:
    vb_search_result_free(r);
    vb_searcher_free(searcher);
    vb_search_engine_free(engine);
    return status;
}
