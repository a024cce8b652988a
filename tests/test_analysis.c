/* The analysis chain end to end: what meets what. */
#include "analysis_helpers.h"

#define SAME(a, b, lang) ck_assert_str_eq(whole_term(a, lang), whole_term(b, lang))
#define DIFFERENT(a, b, lang) ck_assert_str_ne(whole_term(a, lang), whole_term(b, lang))

START_TEST(test_analysis_inflections_meet)
{
    SAME("facturen", "factuur", VB_LANG_NL);
    SAME("aansluitingen", "aansluiting", VB_LANG_NL);
    SAME("verhuisd", "verhuizen", VB_LANG_NL);
    SAME("factures", "facture", VB_LANG_FR);
    SAME("résiliations", "résiliation", VB_LANG_FR);
    SAME("invoices", "invoice", VB_LANG_EN);
    SAME("cancelled", "cancelling", VB_LANG_EN);
    DIFFERENT("factuur", "fractuur", VB_LANG_NL);
}
END_TEST

START_TEST(test_analysis_case_and_compatibility_forms)
{
    SAME("FACTUUR", "factuur", VB_LANG_NL);
    SAME("Électricité", "électricité", VB_LANG_FR);
    SAME("\xef\xac\x81" "ber", "fiber", VB_LANG_EN);     /* ﬁ ligature */
    SAME("Stra\xc3\x9f" "e", "strasse", VB_LANG_EN);    /* ß folds to ss */
    SAME("e\xcc\x81lectricite\xcc\x81", "électricité", VB_LANG_FR); /* NFD */
    SAME("ĳzer", "ijzer", VB_LANG_NL);
}
END_TEST

START_TEST(test_analysis_accents_folded_after_stemming)
{
    /* The whole-word term carries no accents ... */
    ck_assert_ptr_null(strchr(whole_term("déménagement", VB_LANG_FR), '\xc3'));
    /* ... and a query typed without accents meets the accented word,
     * through terms[0] or the accent-free expansion. */
    const char *plain = whole_term("electricite", VB_LANG_FR);
    ck_assert(has_term("électricité", VB_LANG_FR, plain));
    plain = whole_term("demenagement", VB_LANG_FR);
    ck_assert(has_term("déménagement", VB_LANG_FR, plain));
    ck_assert(has_term("ideeën", VB_LANG_NL, whole_term("ideeen", VB_LANG_NL)));
    SAME("coeur", "c\xc5\x93ur", VB_LANG_FR);
}
END_TEST

START_TEST(test_analysis_french_elision)
{
    SAME("l'abonnement", "abonnement", VB_LANG_FR);
    SAME("l\xe2\x80\x99" "abonnement", "abonnement", VB_LANG_FR);
    SAME("d'électricité", "électricité", VB_LANG_FR);
    SAME("qu'il", "il", VB_LANG_FR);
    SAME("jusqu'au", "au", VB_LANG_FR);
    SAME("lorsqu'on", "on", VB_LANG_FR);
    SAME("puisqu'elle", "elle", VB_LANG_FR);
    SAME("J'ai", "ai", VB_LANG_FR);
    ck_assert_str_eq(analyze("l'abonnement", VB_LANG_FR), whole_term("abonnement", VB_LANG_FR));
}
END_TEST

START_TEST(test_analysis_other_apostrophes)
{
    SAME("customer's", "customer", VB_LANG_EN);
    SAME("auto's", "auto", VB_LANG_NL);
    SAME("aujourd'hui", "aujourdhui", VB_LANG_FR);
}
END_TEST

START_TEST(test_analysis_hyphens_give_parts_and_joined)
{
    const char *email = whole_term("email", VB_LANG_EN);
    ck_assert_str_eq(whole_term("e-mail", VB_LANG_EN), email);
    ck_assert(has_term("e-mail", VB_LANG_EN, whole_term("mail", VB_LANG_EN)));
    ck_assert(has_term("wifi-wachtwoord", VB_LANG_NL, "wifi"));
    ck_assert(has_term("wifi-wachtwoord", VB_LANG_NL,
                       whole_term("wachtwoord", VB_LANG_NL)));
    ck_assert(has_term("wifi-wachtwoord", VB_LANG_NL,
                       whole_term("wifiwachtwoord", VB_LANG_NL)));
}
END_TEST

START_TEST(test_analysis_product_codes_meet)
{
    for (enum vb_lang l = VB_LANG_UNKNOWN; l < VB_LANG_COUNT; l++) {
        ck_assert_str_eq(whole_term("FIBER-500", l), "fiber500");
        ck_assert_str_eq(whole_term("fiber500", l), "fiber500");
        ck_assert(has_term("fiber 500", l, "fiber500"));
        /* the parts are there too, so "fiber" alone finds the code */
        ck_assert(has_term("FIBER-500", l, whole_term("fiber", l)));
        ck_assert(has_term("fiber500", l, whole_term("fiber", l)));
        ck_assert(has_term("fiber500", l, "500"));
    }
    /* a number after a stopword is not glued to it */
    ck_assert(!has_term("de 500", VB_LANG_NL, "de500"));
}
END_TEST

START_TEST(test_analysis_digit_groups_meet)
{
    ck_assert(has_term("0470 12 34 56", VB_LANG_NL, "0470123456"));
    ck_assert(has_term("0470/12.34.56", VB_LANG_NL, "0470123456"));
    ck_assert(has_term("0470-12-34-56", VB_LANG_NL, "0470123456"));
    ck_assert(has_term("0470\xc2\xa0" "12\xc2\xa0" "34\xc2\xa0" "56", VB_LANG_FR, "0470123456"));
    ck_assert_str_eq(whole_term("0470123456", VB_LANG_NL), "0470123456");
    ck_assert(has_term("BE68 5390 0754 7034", VB_LANG_NL, "539007547034"));
    /* two spaces are a real gap */
    ck_assert(!has_term("0470  12", VB_LANG_NL, "047012"));
}
END_TEST

START_TEST(test_analysis_stopwords_flagged_not_dropped)
{
    char expected[64];
    snprintf(expected, sizeof expected, "*de|%s", whole_term("factuur", VB_LANG_NL));
    ck_assert_str_eq(analyze("de factuur", VB_LANG_NL), expected);
    ck_assert_str_eq(analyze("the", VB_LANG_EN), "*the");
    ck_assert_str_eq(analyze("les", VB_LANG_FR), "*le");
    /* negations carry meaning */
    ck_assert_ptr_null(strchr(analyze("niet", VB_LANG_NL), '*'));
    ck_assert_ptr_null(strchr(analyze("pas", VB_LANG_FR), '*'));
    ck_assert_ptr_null(strchr(analyze("not", VB_LANG_EN), '*'));
}
END_TEST

START_TEST(test_analysis_dutch_compounds)
{
    const char *flat = analyze("glasvezelaansluitingen", VB_LANG_NL);
    ck_assert(has_term("glasvezelaansluitingen", VB_LANG_NL, whole_term("glasvezel", VB_LANG_NL)));
    ck_assert(has_term("glasvezelaansluitingen", VB_LANG_NL, whole_term("aansluiting", VB_LANG_NL)));
    ck_assert_ptr_nonnull(flat);
    ck_assert(has_term("betalingsregeling", VB_LANG_NL, whole_term("betaling", VB_LANG_NL)));
    ck_assert(has_term("betalingsregeling", VB_LANG_NL, whole_term("regeling", VB_LANG_NL)));
    /* a simplex word stays whole */
    ck_assert_str_eq(analyze("bestelling", VB_LANG_NL), whole_term("bestelling", VB_LANG_NL));
}
END_TEST

struct positions {
    size_t start[8], end[8];
    uint32_t position[8];
    int n;
};

static int record(void *ctx, const struct vb_token *t)
{
    struct positions *p = ctx;
    if (p->n < 8) {
        p->start[p->n] = t->start;
        p->end[p->n] = t->end;
        p->position[p->n] = t->position;
        p->n++;
    }
    return 0;
}

START_TEST(test_analysis_offsets_and_positions)
{
    struct positions p = {0};
    const char *text = "Qu'il paie l'abonnement!";
    struct vb_error err;
    ck_assert_int_eq(vb_analyze_text(test_analyzer, text, strlen(text),
                                     VB_LANG_FR, record, &p, &err), VB_OK);
    ck_assert_int_eq(p.n, 3);
    ck_assert_uint_eq(p.start[0], 3);  /* "il": the elided "Qu'" is not part */
    ck_assert_uint_eq(p.end[0], 5);
    ck_assert_uint_eq(p.start[2], 13); /* "abonnement" */
    ck_assert_uint_eq(p.end[2], 23);
    ck_assert_uint_eq(p.position[2], 2);
}
END_TEST

static int stop_after_one(void *ctx, const struct vb_token *t)
{
    (void)t;
    ++*(int *)ctx;
    return 1;
}

START_TEST(test_analysis_callback_can_stop)
{
    int calls = 0;
    struct vb_error err;
    ck_assert_int_eq(vb_analyze_text(test_analyzer, "een twee drie", 13,
                                     VB_LANG_NL, stop_after_one, &calls, &err),
                     VB_OK);
    ck_assert_int_eq(calls, 1);
}
END_TEST

START_TEST(test_analysis_long_tokens_skipped)
{
    char text[512];
    memset(text, 'a', 300);
    strcpy(text + 300, " factuur");
    ck_assert_str_eq(analyze(text, VB_LANG_NL), whole_term("factuur", VB_LANG_NL));
}
END_TEST

static int lang_of(void *ctx, const struct vb_token *t)
{
    *(enum vb_lang *)ctx = t->lang;
    return 0;
}

START_TEST(test_analysis_unknown_language_is_detected)
{
    struct vb_error err;
    enum vb_lang seen = VB_LANG_UNKNOWN;
    const char *fr = "Le client souhaite résilier son abonnement d'électricité.";
    ck_assert_int_eq(vb_analyze_text(test_analyzer, fr, strlen(fr),
                                     VB_LANG_UNKNOWN, lang_of, &seen, &err), VB_OK);
    ck_assert_int_eq(seen, VB_LANG_FR);
    ck_assert_int_eq(vb_lang_parse("NL", 2), VB_LANG_NL);
    ck_assert_int_eq(vb_lang_parse("de", 2), VB_LANG_UNKNOWN);
    ck_assert_str_eq(vb_lang_code(VB_LANG_EN), "en");
}
END_TEST

/* Search completes and corrects the word as typed (folded, unstemmed) and
 * builds queries from the kind of each term. */
struct kinds {
    char out[1024];
    size_t used;
};

static int describe_kinds(void *ctx, const struct vb_token *t)
{
    static const char marks[] = {'=', '~', '+', '&'};
    struct kinds *k = ctx;
    k->used += (size_t)snprintf(k->out + k->used, sizeof k->out - k->used,
                                "%s[%s]", k->used ? " " : "", t->word);
    for (size_t i = 0; i < t->term_count; i++)
        k->used += (size_t)snprintf(k->out + k->used, sizeof k->out - k->used,
                                    "%c%s", marks[t->term_kinds[i]],
                                    t->terms[i]);
    return 0;
}

static const char *kinds_of(const char *text, enum vb_lang lang)
{
    static struct kinds k;
    struct vb_error err;
    memset(&k, 0, sizeof k);
    ck_assert_int_eq(vb_analyze_text(test_analyzer, text, strlen(text), lang,
                                     describe_kinds, &k, &err),
                     VB_OK);
    return k.out;
}

/* describe_kinds, where the token's stem came from, and whether it is a
 * function word. */
static int describe_told(void *ctx, const struct vb_token *t)
{
    struct kinds *k = ctx;
    describe_kinds(ctx, t);
    k->used += (size_t)snprintf(k->out + k->used, sizeof k->out - k->used,
                                " <%s%s>", vb_stem_source_name(t->stem_source),
                                t->stopword ? " function word" : "");
    return 0;
}

/* What the chain says of a word in one analysis: its terms with their
 * kinds, where its stem came from, and whether it is a function word. */
static const char *told_of(const char *word, enum vb_lang lang)
{
    static struct kinds k;
    struct vb_error err;
    memset(&k, 0, sizeof k);
    ck_assert_int_eq(vb_analyze_text(test_analyzer, word, strlen(word), lang,
                                     describe_told, &k, &err),
                     VB_OK);
    return k.out;
}

/* An analyzer remembers what it worked out for a word (term, folded
 * spelling, function word or not, Dutch compound split): 1,500 words of each
 * language twice, hundreds of them sharing a remembered place, get from one
 * analyzer exactly the terms, stem sources and function-word flags a fresh
 * analyzer gives each. */
START_TEST(test_analysis_remembered_words_stay_right)
{
    static const struct {
        enum vb_lang lang;
        const char *bases[6];
        const char *ends[5];
    } langs[] = {
        {VB_LANG_NL,
         {"glasvezel", "betalings", "fiets", "aansluiting", "huis", "door"},
         {"", "en", "regeling", "je", "gaat"}},
        {VB_LANG_FR,
         {"factur", "pouv", "résili", "comment", "abonn", "recev"},
         {"", "ez", "ait", "ons", "er"}},
        {VB_LANG_EN,
         {"bought", "invoic", "pay", "how", "child", "went"},
         {"", "s", "ing", "ed", "ren"}},
    };
    struct vb_analyzer *fresh = NULL;
    struct vb_error err;
    char word[64], expected[1200];
    for (size_t l = 0; l < sizeof langs / sizeof *langs; l++) {
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 1500; i++) {
                snprintf(word, sizeof word, "%s%c%c%s", langs[l].bases[i % 6],
                         'a' + i / 6 % 26, 'a' + i / 156 % 26,
                         langs[l].ends[i % 5]);
                if (i % 7 == 0) /* real words too */
                    snprintf(word, sizeof word, "%s%s", langs[l].bases[i % 6],
                             langs[l].ends[i / 7 % 5]);
                ck_assert_int_eq(vb_analyzer_new(test_data, &fresh, &err),
                                 VB_OK);
                struct vb_analyzer *kept = test_analyzer;
                test_analyzer = fresh;
                snprintf(expected, sizeof expected, "%s",
                         told_of(word, langs[l].lang));
                test_analyzer = kept;
                vb_analyzer_free(fresh);
                ck_assert_str_eq(told_of(word, langs[l].lang), expected);
            }
        }
    }
}
END_TEST

/* French and English: the forms of one lemma share one term (issue 14's
 * examples), from the lemma lexicons; other words are Snowball's. */
START_TEST(test_analysis_lemmas_join_inflections)
{
    static const struct {
        enum vb_lang lang;
        const char *forms[5];
    } groups[] = {
        {VB_LANG_FR, {"peut", "pouvez", "pourrait", "pouvoir", NULL}},
        {VB_LANG_FR, {"doit", "devez", "devoir", NULL}},
        {VB_LANG_FR, {"fait", "faites", "faire", NULL}},
        {VB_LANG_FR, {"vais", "allez", "aller", NULL}},
        {VB_LANG_FR, {"reçu", "recevoir", "reçoivent", NULL}},
        {VB_LANG_FR, {"œil", "yeux", NULL}},
        {VB_LANG_FR, {"travail", "travaux", NULL}},
        {VB_LANG_FR, {"résilié", "résilier", "résilions", NULL}},
        {VB_LANG_EN, {"went", "go", "goes", "gone", NULL}},
        {VB_LANG_EN, {"bought", "buy", "buying", NULL}},
        {VB_LANG_EN, {"children", "child", NULL}},
        {VB_LANG_EN, {"paid", "pay", "pays", NULL}},
        {VB_LANG_EN, {"better", "good", "best", NULL}},
    };
    for (size_t g = 0; g < sizeof groups / sizeof *groups; g++) {
        char first[64];
        snprintf(first, sizeof first, "%s",
                 whole_term(groups[g].forms[0], groups[g].lang));
        for (size_t k = 1; groups[g].forms[k]; k++)
            ck_assert_msg(strcmp(whole_term(groups[g].forms[k],
                                            groups[g].lang),
                                 first) == 0,
                          "%s (%s) and %s (%s) apart", groups[g].forms[0],
                          first, groups[g].forms[k],
                          whole_term(groups[g].forms[k], groups[g].lang));
    }
    /* Derivations stay lemmas of their own; words the lexicon does not
     * change are Snowball's stems. */
    ck_assert_str_ne(whole_term("listens", VB_LANG_EN),
                     whole_term("list", VB_LANG_EN));
    ck_assert_str_ne(whole_term("seller", VB_LANG_EN),
                     whole_term("sell", VB_LANG_EN));
    ck_assert_str_eq(whole_term("invoices", VB_LANG_EN), "invoic");
    ck_assert_str_eq(whole_term("factures", VB_LANG_FR), "factur");
}
END_TEST

START_TEST(test_analysis_word_and_term_kinds)
{
    ck_assert_str_eq(kinds_of("l'Électricité", VB_LANG_FR),
                     "[electricite]=electr~electricit");
    ck_assert_str_eq(kinds_of("Glasvezelaansluitingen", VB_LANG_NL),
                     "[glasvezelaansluitingen]=glasvezelaansluiting"
                     "+glasvezel+aansluiting");
    ck_assert_str_eq(kinds_of("FIBER-500", VB_LANG_EN),
                     "[fiber500]=fiber500+fiber+500");
    ck_assert_str_eq(kinds_of("0470 12", VB_LANG_NL),
                     "[0470]=0470 [12]=12&047012");
    ck_assert_str_eq(kinds_of("fiber 500", VB_LANG_EN),
                     "[fiber]=fiber [500]=500&fiber500");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("analysis");
    TCase *tc = tcase_create("chain");
    tcase_add_checked_fixture(tc, setup_analyzer, teardown_analyzer);
    tcase_add_test(tc, test_analysis_inflections_meet);
    tcase_add_test(tc, test_analysis_case_and_compatibility_forms);
    tcase_add_test(tc, test_analysis_accents_folded_after_stemming);
    tcase_add_test(tc, test_analysis_french_elision);
    tcase_add_test(tc, test_analysis_other_apostrophes);
    tcase_add_test(tc, test_analysis_hyphens_give_parts_and_joined);
    tcase_add_test(tc, test_analysis_product_codes_meet);
    tcase_add_test(tc, test_analysis_digit_groups_meet);
    tcase_add_test(tc, test_analysis_stopwords_flagged_not_dropped);
    tcase_add_test(tc, test_analysis_dutch_compounds);
    tcase_add_test(tc, test_analysis_offsets_and_positions);
    tcase_add_test(tc, test_analysis_callback_can_stop);
    tcase_add_test(tc, test_analysis_long_tokens_skipped);
    tcase_add_test(tc, test_analysis_unknown_language_is_detected);
    tcase_add_test(tc, test_analysis_word_and_term_kinds);
    tcase_add_test(tc, test_analysis_lemmas_join_inflections);
    suite_add_tcase(s, tc);
    /* Three thousand analyzers: long under the sanitizers. */
    TCase *memo = tcase_create("memo");
    tcase_set_timeout(memo, 120);
    tcase_add_checked_fixture(memo, setup_analyzer, teardown_analyzer);
    tcase_add_test(memo, test_analysis_remembered_words_stay_right);
    suite_add_tcase(s, memo);
    return vb_test_run(s);
}
