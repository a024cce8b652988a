/* test_dutch.c — Dutch lemma rules and compound splitting (dutch.c). */
#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "analysis_int.h"
#include "testutil.h"

static struct vb_nl_lexicon *lexicon;
static struct sb_stemmer *snowball;

static void setup(void)
{
    struct vb_error err;
    ck_assert_int_eq(vb_nl_lexicon_new(&lexicon, &err), VB_OK);
    snowball = sb_stemmer_new("dutch", "UTF_8");
    ck_assert_ptr_nonnull(snowball);
}

static void teardown(void)
{
    sb_stemmer_delete(snowball);
    vb_nl_lexicon_free(lexicon);
}

/* The term of `word`, in a static buffer. */
static const char *stem(const char *word)
{
    static char out[VB_TERM_MAX + 1];
    size_t n = vb_nl_stem(lexicon, snowball, word, strlen(word), out,
                          sizeof out);
    ck_assert_uint_gt(n, 0);
    ck_assert_uint_eq(n, strlen(out));
    return out;
}

static void assert_same(const char *a, const char *b)
{
    char first[VB_TERM_MAX + 1];
    snprintf(first, sizeof first, "%s", stem(a));
    ck_assert_msg(strcmp(first, stem(b)) == 0, "%s -> %s but %s -> %s", a,
                  first, b, stem(b));
}

static void assert_differ(const char *a, const char *b)
{
    char first[VB_TERM_MAX + 1];
    snprintf(first, sizeof first, "%s", stem(a));
    ck_assert_msg(strcmp(first, stem(b)) != 0, "%s and %s both -> %s", a, b,
                  first);
}

/* "modifier|head" or "" for no split. */
static void assert_split(const char *word, const char *expected)
{
    struct vb_span parts[4];
    int n = vb_nl_split_compound(lexicon, word, strlen(word), parts, 4);
    char got[256] = "";
    if (n >= 2)
        snprintf(got, sizeof got, "%.*s|%.*s", parts[0].len,
                 word + parts[0].start, parts[1].len, word + parts[1].start);
    ck_assert_msg(strcmp(got, expected) == 0, "%s: got \"%s\", want \"%s\"",
                  word, got, expected);
}

START_TEST(test_dutch_weak_verb_forms_meet)
{
    assert_same("verhuisd", "verhuizen");
    assert_same("verhuist", "verhuizen");
    assert_same("verhuisde", "verhuizen");
    assert_same("gewerkt", "werken");
    assert_same("werkte", "werkt");
    assert_same("opgezegd", "opzeggen");
    assert_same("betaald", "betalen");
}
END_TEST

START_TEST(test_dutch_strong_verb_forms_meet)
{
    assert_same("liep", "lopen");
    assert_same("gelopen", "lopen");
    assert_same("ging", "gaan");
    assert_same("gegaan", "gaat");
    assert_same("afgelopen", "aflopen");
    assert_same("kocht", "kopen");
    assert_same("geschreven", "schrijven");
}
END_TEST

START_TEST(test_dutch_plurals_meet)
{
    assert_same("huizen", "huis");
    assert_same("brieven", "brief");
    assert_same("steden", "stad");
    assert_same("facturen", "factuur");
    assert_same("ideeën", "idee");
    assert_same("kinderen", "kind");
}
END_TEST

START_TEST(test_dutch_diminutives_meet)
{
    assert_same("huisje", "huis");
    assert_same("treintje", "trein");
    assert_same("boompje", "boom");
    assert_same("koninkje", "koning");
}
END_TEST

START_TEST(test_dutch_adjective_forms_meet)
{
    assert_same("grote", "groot");
    assert_same("groter", "groot");
    assert_same("mooiste", "mooi");
}
END_TEST

START_TEST(test_dutch_different_words_stay_apart)
{
    assert_differ("ziekte", "ziek");
    assert_differ("gast", "gas");
    assert_differ("kust", "kussen");
    assert_differ("kust", "kus");
    assert_differ("maten", "meten");
    assert_differ("namen", "nemen");
}
END_TEST

START_TEST(test_dutch_compound_head_is_stemmed)
{
    assert_same("glasvezelaansluitingen", "glasvezelaansluiting");
    char term[VB_TERM_MAX + 1];
    snprintf(term, sizeof term, "%s", stem("glasvezelaansluitingen"));
    ck_assert_str_eq(term, "glasvezelaansluiting");
}
END_TEST

START_TEST(test_dutch_unknown_word_falls_back_to_snowball)
{
    /* not Dutch, not in the lexicon: Snowball's stem */
    const char *word = "xqzzyvolumes";
    const sb_symbol *s = sb_stemmer_stem(snowball, (const sb_symbol *)word,
                                         (int)strlen(word));
    char expected[64];
    snprintf(expected, sizeof expected, "%.*s", sb_stemmer_length(snowball),
             (const char *)s);
    ck_assert_str_eq(stem(word), expected);
}
END_TEST

START_TEST(test_dutch_splits_compounds)
{
    assert_split("glasvezelaansluiting", "glasvezel|aansluiting");
    assert_split("glasvezelaansluitingen", "glasvezel|aansluitingen");
    assert_split("betalingsregeling", "betaling|regeling");
    assert_split("wachtwoord", "wacht|woord");
    assert_split("ziektekostenverzekering", "ziektekosten|verzekering");
    assert_split("factuuradres", "factuur|adres");
}
END_TEST

START_TEST(test_dutch_splits_separable_verbs)
{
    assert_split("opnam", "op|nam");               /* two-byte particle */
    assert_split("opgezet", "op|gezet");           /* a participle */
    assert_split("vrijgelaten", "vrij|gelaten");   /* adjective particle */
    assert_split("plaatsvinden", "plaats|vinden"); /* noun particle, verb */
    assert_split("doorgaat", "door|gaat");         /* built from the particle */
    /* "over", "voor", "door" also make inseparable verbs: a verb that is
     * a dictionary entry of its own stays whole */
    assert_split("overschrijden", "");
    assert_split("ondersteunen", "");
    /* nouns made from a particle and a verb stem stay whole */
    assert_split("aanpak", "");
    assert_split("afloop", "");
    assert_split("aanleg", "");
    assert_split("afval", "");
    /* a particle word that is no verb here */
    assert_split("goederen", "");
}
END_TEST

START_TEST(test_dutch_splits_compounds_no_dictionary_holds)
{
    /* the modifier is itself a compound */
    assert_split("nobelprijswinnaar", "nobelprijs|winnaar");
    /* an adverb before a noun */
    assert_split("tussenklassering", "tussen|klassering");
    /* numerals and adjectives that only exist after a modifier */
    assert_split("zestienjarige", "zestien|jarige");
    assert_split("tweevoudige", "twee|voudige");
    assert_split("franstalige", "frans|talige");
    /* the suffix -schap is no head */
    assert_split("opvolgerschap", "");
}
END_TEST

START_TEST(test_dutch_keeps_simplex_words_whole)
{
    assert_split("bestelling", "");
    assert_split("kantoor", "");
    assert_split("verhuizing", "");
    assert_split("regeling", "");
    assert_split("abonnement", "");
    assert_split("aansluiting", "");
    assert_split("verhaal", "");
}
END_TEST

START_TEST(test_dutch_reads_only_len_bytes)
{
    /* "huizenblok" cut to "huizen": not NUL-terminated at 6 */
    char *word = malloc(6);
    ck_assert_ptr_nonnull(word);
    memcpy(word, "huizen", 6);
    char out[VB_TERM_MAX + 1];
    ck_assert_uint_eq(vb_nl_stem(lexicon, snowball, word, 6, out, sizeof out),
                      4);
    ck_assert_str_eq(out, "huis");
    struct vb_span parts[2];
    ck_assert_int_eq(vb_nl_split_compound(lexicon, word, 6, parts, 2), 0);
    free(word);
}
END_TEST

START_TEST(test_dutch_small_buffer_and_edge_input)
{
    char out[3];
    ck_assert_uint_eq(vb_nl_stem(lexicon, snowball, "huizen", 6, out,
                                 sizeof out),
                      0);
    char big[VB_TERM_MAX + 1];
    ck_assert_uint_eq(vb_nl_stem(lexicon, snowball, "", 0, big, sizeof big),
                      0);
    struct vb_span parts[4];
    ck_assert_int_eq(vb_nl_split_compound(lexicon, "", 0, parts, 4), 0);
    ck_assert_int_eq(vb_nl_split_compound(lexicon, "wachtwoord", 10, parts, 1),
                     0);
    /* a 96-byte word: bounded work, no overflow */
    char longword[VB_TERM_MAX];
    for (size_t i = 0; i < sizeof longword; i++)
        longword[i] = "wachtwoord"[i % 10];
    ck_assert_int_le(vb_nl_split_compound(lexicon, longword, sizeof longword,
                                          parts, 4),
                     2);
    vb_nl_stem(lexicon, snowball, longword, sizeof longword, big, sizeof big);
    /* multi-byte letters are never cut in the middle */
    const char *accented = "ideeënbus";
    int n = vb_nl_split_compound(lexicon, accented, strlen(accented), parts,
                                 4);
    for (int i = 0; i < n; i++)
        ck_assert((accented[parts[i].start] & 0xC0) != 0x80);
}
END_TEST

START_TEST(test_dutch_free_null_is_noop)
{
    vb_nl_lexicon_free(NULL);
}
END_TEST

static Suite *dutch_suite(void)
{
    Suite *s = suite_create("dutch");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_dutch_weak_verb_forms_meet);
    tcase_add_test(tc, test_dutch_strong_verb_forms_meet);
    tcase_add_test(tc, test_dutch_plurals_meet);
    tcase_add_test(tc, test_dutch_diminutives_meet);
    tcase_add_test(tc, test_dutch_adjective_forms_meet);
    tcase_add_test(tc, test_dutch_different_words_stay_apart);
    tcase_add_test(tc, test_dutch_compound_head_is_stemmed);
    tcase_add_test(tc, test_dutch_unknown_word_falls_back_to_snowball);
    tcase_add_test(tc, test_dutch_splits_compounds);
    tcase_add_test(tc, test_dutch_splits_separable_verbs);
    tcase_add_test(tc, test_dutch_splits_compounds_no_dictionary_holds);
    tcase_add_test(tc, test_dutch_keeps_simplex_words_whole);
    tcase_add_test(tc, test_dutch_reads_only_len_bytes);
    tcase_add_test(tc, test_dutch_small_buffer_and_edge_input);
    tcase_add_test(tc, test_dutch_free_null_is_noop);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return vb_test_run(dutch_suite());
}
