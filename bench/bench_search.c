/* bench_search — server time (took_us) of the search engine per query
 * kind, in-process (no HTTP), p50/p95/p99 over a fixed, agent-like mix.
 * The peer in the same run is Xapian itself answering the same words as a
 * plain OR of unanalysed terms with no prefixes, typos, collapsing or
 * snippets: the floor any engine on this index pays.
 *
 * usage: bench_search INDEX [ROUNDS]   (ROUNDS: passes over the mix, 20) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timing.h"
#include "vb_schema.h"
#include "vb_search.h"
#include "vb_xapian.h"

enum kind { ONE_WORD, THREE_WORDS, TYPING, TYPO, PHRASE, CUSTOMER,
            CUSTOMER_LIST, SUGGEST, KINDS };

static const char *const kind_names[KINDS] = {
    "one word", "three words", "prefix (typing)", "typo",
    "phrase", "customer + words", "customer, empty q", "suggest (e-mail)"};

static const char *const one_word[] = {
    "factuur", "verhuizing", "domiciliëring", "facture", "déménagement",
    "invoice", "meterstand", "storing", "modem", "opzegging", "simkaart",
    "betalingsregeling", "glasvezel", "roaming", "compteur", "complaint"};
static const char *const three_words[] = {
    "factuur te hoog", "modem werkt niet", "verhuizing energie meterstand",
    "facture trop élevée", "internet ne fonctionne", "payment plan invoice",
    "nummer overzetten operator", "plan de paiement", "tv decoder storing",
    "klacht wachttijd compensatie", "sim kaart kwijt", "mobile data roaming"};
static const char *const typing[] = {
    "fa", "fac", "fact", "factu", "verh", "verhui", "dom", "domicil",
    "mod", "modem w", "factuur te h", "dém", "déména", "inv", "invoi",
    "meters", "glasv", "opzeg", "sim", "roa", "compt", "pay"};
static const char *const typo[] = {
    "facutur", "verhuzing", "domicilering", "meterstnad", "opzegigng",
    "factrue", "demenagement", "invocie", "glasvzel", "betalingsregling",
    "storring", "compteru"};
static const char *const phrase[] = {
    "\"meterstand doorgeven\"", "\"plan de paiement\"", "\"payment plan\"",
    "\"nieuw adres\"", "\"facture d'électricité\"", "\"modem herstarten\""};
static const char *const customer_words[] = {
    "factuur", "klacht", "modem", "betaling", "verhuizing", "facture",
    "plainte", "appel", "e-mail", "afspraak"};
static const char suggest_text[] =
    "Beste,\n\nIk ben op 1 maart verhuisd naar de Kerkstraat 12 in Gent. "
    "Mijn internet (FIBER-500) werkt sindsdien niet meer en ik heb ook een "
    "factuur gekregen voor het oude adres, met een bedrag dat veel te hoog "
    "is. Kunnen jullie de meterstand van de gasmeter en de elektriciteit "
    "overnemen? Ik wil ook graag een afbetalingsplan, want dit bedrag kan "
    "ik niet in één keer betalen. Mijn klantnummer staat hieronder.\n\n"
    "Met vriendelijke groeten,\nAn Peeters";

struct customers {
    char ids[256][VB_DOC_CUSTOMER_MAX + 1];
    size_t count;
    size_t seen;
};

/* Keeps a spread of customers: every so many of the customer terms. */
static int take_customer(void *ctx, const char *term, size_t len, uint32_t freq)
{
    (void)freq;
    struct customers *c = ctx;
    size_t plen = strlen(VB_SCHEMA_PREFIX_CUSTOMER);
    if (c->seen++ % 37 == 0 && c->count < 256 && len - plen <= VB_DOC_CUSTOMER_MAX) {
        memcpy(c->ids[c->count], term + plen, len - plen);
        c->ids[c->count][len - plen] = '\0';
        c->count++;
    }
    return 0;
}

/* The peer: the query's words as raw lower-case terms, OR, top 10. */
static uint64_t peer_search(struct vb_xapian_reader *reader, const char *text)
{
    struct vb_xapian_query *terms[64];
    size_t n = 0;
    char word[128];
    const char *p = text;
    while (*p && n < 64) {
        size_t len = 0;
        while (*p && (*p == ' ' || *p == '"'))
            p++;
        while (*p && *p != ' ' && *p != '"' && len < sizeof word - 1) {
            char c = *p++;
            word[len++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
        }
        if (len > 0)
            terms[n++] = vb_xapian_query_term(word, len, 1, 0);
    }
    uint64_t t0 = bench_now_us();
    struct vb_xapian_query *q = vb_xapian_query_or(terms, n);
    struct vb_xapian_hits *hits = NULL;
    struct vb_xapian_search_options options;
    vb_xapian_search_options_init(&options);
    vb_schema_weighting(1.0, &options); /* lengths normalised when built */
    vb_xapian_search(reader, q, &options, &hits, NULL);
    uint64_t took = bench_now_us() - t0;
    vb_xapian_hits_free(hits);
    vb_xapian_query_free(q);
    for (size_t i = 0; i < n; i++)
        vb_xapian_query_free(terms[i]);
    return took;
}

#define COUNT(a) (sizeof(a) / sizeof *(a))

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_search INDEX [ROUNDS]\n");
        return 2;
    }
    int rounds = argc > 2 ? atoi(argv[2]) : 20;
    struct vb_error err = {0};
    struct vb_search_engine_options opt = {.index_dir = argv[1]};
    struct vb_search_engine *engine = NULL;
    struct vb_searcher *searcher = NULL;
    struct vb_xapian_reader *reader = NULL;
    static struct customers customers;
    if (vb_search_engine_new(&opt, &engine, &err) != VB_OK ||
        vb_searcher_new(engine, &searcher, &err) != VB_OK ||
        vb_xapian_reader_open(argv[1], &reader, &err) != VB_OK ||
        vb_xapian_for_each_term(reader, VB_SCHEMA_PREFIX_CUSTOMER,
                                strlen(VB_SCHEMA_PREFIX_CUSTOMER),
                                take_customer, &customers, &err) != VB_OK) {
        fprintf(stderr, "bench_search: %s\n", err.msg);
        return 2;
    }
    uint32_t docs = 0;
    vb_xapian_doc_count(reader, &docs, NULL);

    size_t cap = (size_t)rounds * 128; /* more than one round of every list */
    uint64_t *took[KINDS], *peer = malloc(cap * sizeof *peer);
    size_t n[KINDS] = {0}, peer_n = 0, failures = 0;
    for (int k = 0; k < KINDS; k++)
        took[k] = malloc(cap * sizeof **took);

    for (int round = 0; round < rounds; round++) {
        for (int k = 0; k < KINDS; k++) {
            const char *const *list = NULL;
            size_t count = 1;
            switch (k) {
            case ONE_WORD: list = one_word; count = COUNT(one_word); break;
            case THREE_WORDS: list = three_words; count = COUNT(three_words); break;
            case TYPING: list = typing; count = COUNT(typing); break;
            case TYPO: list = typo; count = COUNT(typo); break;
            case PHRASE: list = phrase; count = COUNT(phrase); break;
            case CUSTOMER: list = customer_words; count = COUNT(customer_words); break;
            default: break;
            }
            for (size_t i = 0; i < count; i++) {
                struct vb_search_request req;
                vb_search_request_init(&req);
                req.preferred_lang = (i % 3 == 0)   ? VB_LANG_NL
                                     : (i % 3 == 1) ? VB_LANG_FR
                                                    : VB_LANG_EN;
                req.text = list ? list[i] : "";
                if (k == SUGGEST) {
                    req.mode = VB_SEARCH_SUGGEST;
                    req.text = suggest_text;
                }
                if ((k == CUSTOMER || k == CUSTOMER_LIST) && customers.count)
                    req.customer =
                        customers.ids[(i + (size_t)round * 7) % customers.count];
                if (k == CUSTOMER_LIST && !req.customer)
                    continue;
                req.text_len = strlen(req.text);
                struct vb_search_result *r = NULL;
                if (vb_search_run(searcher, &req, &r, &err) != VB_OK) {
                    failures++;
                    continue;
                }
                took[k][n[k]++] = r->took_us;
                vb_search_result_free(r);
                if (k != SUGGEST && k != CUSTOMER_LIST && list)
                    peer[peer_n++] = peer_search(reader, req.text);
            }
        }
    }

    printf("index: %u documents; %d rounds; %zu failures\n\n", docs, rounds,
           failures);
    printf("| query kind | queries | p50 µs | p95 µs | p99 µs |\n");
    printf("|---|---|---|---|---|\n");
    for (int k = 0; k < KINDS; k++) {
        qsort(took[k], n[k], sizeof **took, bench_compare_u64);
        printf("| %s | %zu | %llu | %llu | %llu |\n", kind_names[k], n[k],
               (unsigned long long)bench_percentile(took[k], n[k], 0.50),
               (unsigned long long)bench_percentile(took[k], n[k], 0.95),
               (unsigned long long)bench_percentile(took[k], n[k], 0.99));
    }
    qsort(peer, peer_n, sizeof *peer, bench_compare_u64);
    printf("| peer: raw Xapian OR of the typed words | %zu | %llu | %llu | "
           "%llu |\n",
           peer_n, (unsigned long long)bench_percentile(peer, peer_n, 0.50),
           (unsigned long long)bench_percentile(peer, peer_n, 0.95),
           (unsigned long long)bench_percentile(peer, peer_n, 0.99));
    for (int k = 0; k < KINDS; k++)
        free(took[k]);
    free(peer);
    vb_xapian_reader_close(reader);
    vb_searcher_free(searcher);
    vb_search_engine_free(engine);
    return failures ? 1 : 0;
}
