/* test_langdetect.c — vb_detect_lang: Dutch, French or English?
 *
 * The sentences and queries here are written for these tests; the
 * evaluation data (Tatoeba, UD) is measured by bench/eval_langdetect, never
 * used for testing or tuning. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "vb_analysis.h"

/* Detects on an exact-size heap copy, so that ASan catches any read past
 * `len` (the input is not NUL-terminated). */
static enum vb_lang detect(const char *text, size_t len, double *confidence)
{
    char *copy = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(copy);
    if (len)
        memcpy(copy, text, len);
    enum vb_lang lang = vb_detect_lang(copy, len, confidence);
    free(copy);
    return lang;
}

static void expect(const char *text, enum vb_lang want)
{
    double confidence = -1;
    enum vb_lang got = detect(text, strlen(text), &confidence);
    ck_assert_msg(got == want, "\"%s\": got %d, want %d", text, (int)got,
                  (int)want);
    ck_assert(confidence >= 0.0 && confidence <= 1.0);
}

static void expect_all(const char *const *texts, enum vb_lang want)
{
    for (size_t i = 0; texts[i]; i++)
        expect(texts[i], want);
}

START_TEST(test_langdetect_dutch_sentences)
{
    static const char *const texts[] = {
        "Wij hebben uw betaling van vorige maand nog niet ontvangen.",
        "De monteur komt morgen tussen acht en twaalf uur langs om de "
        "glasvezelaansluiting te installeren.",
        "Kunt u mij zeggen waarom mijn factuur deze maand hoger is?",
        "Het modem moet opnieuw worden opgestart voordat de instellingen "
        "gelden.",
        "Ik wil graag mijn abonnement opzeggen omdat ik naar het buitenland "
        "verhuis.",
        NULL};
    expect_all(texts, VB_LANG_NL);
}
END_TEST

START_TEST(test_langdetect_french_sentences)
{
    static const char *const texts[] = {
        "Nous n'avons pas encore reçu votre paiement du mois dernier.",
        "Le technicien passera demain entre huit heures et midi pour "
        "installer le raccordement à la fibre.",
        "Pouvez-vous me dire pourquoi ma facture est plus élevée ce mois-ci ?",
        "Il faut redémarrer le modem avant que les paramètres soient "
        "appliqués.",
        "Je voudrais résilier mon abonnement parce que je déménage à "
        "l'étranger.",
        NULL};
    expect_all(texts, VB_LANG_FR);
}
END_TEST

START_TEST(test_langdetect_english_sentences)
{
    static const char *const texts[] = {
        "We have not yet received your payment for last month.",
        "The engineer will come by tomorrow between eight and noon to install "
        "the fibre connection.",
        "Can you tell me why my bill is higher this month?",
        "The modem has to be restarted before the settings take effect.",
        "I'd like to cancel my subscription because I'm moving abroad.",
        NULL};
    expect_all(texts, VB_LANG_EN);
}
END_TEST

START_TEST(test_langdetect_short_queries)
{
    static const char *const nl[] = {
        "meterstand doorgeven", "factuur betalen", "wachtwoord vergeten",
        "verhuizing doorgeven", "internet werkt niet", "nieuwe klant",
        "hoe betaal ik mijn factuur", "prepaid kaart opladen",
        "glasvezelaansluiting", NULL};
    static const char *const fr[] = {
        "facture impayée", "mot de passe oublié", "changer de forfait",
        "annuler mon abonnement", "ma connexion ne fonctionne pas",
        "nouveau client", "recharger carte prépayée", "déménagement", NULL};
    static const char *const en[] = {
        "cancel my contract", "reset password", "upgrade my plan",
        "where is my invoice", "how do I pay my bill", "new customer",
        "top up prepaid card", "roaming abroad", NULL};
    expect_all(nl, VB_LANG_NL);
    expect_all(fr, VB_LANG_FR);
    expect_all(en, VB_LANG_EN);
}
END_TEST

START_TEST(test_langdetect_accents_missing)
{
    expect("facture impayee", VB_LANG_FR);
    expect("mot de passe oublie", VB_LANG_FR);
    expect("probleme de connexion a la television", VB_LANG_FR);
    expect("desactiver la messagerie vocale", VB_LANG_FR);
    expect("domiciliering stopzetten", VB_LANG_NL);
    expect("een overeenkomst voor een jaar", VB_LANG_NL);
}
END_TEST

START_TEST(test_langdetect_decomposed_accents)
{
    /* "facture impayée" with U+0301 COMBINING ACUTE ACCENT (NFD). */
    expect("facture impaye\xcc\x81" "e", VB_LANG_FR);
    expect("de\xcc\x81me\xcc\x81nagement", VB_LANG_FR);
}
END_TEST

START_TEST(test_langdetect_mixed_case)
{
    expect("FACTURE IMPAYÉE", VB_LANG_FR);
    expect("METERSTAND DOORGEVEN", VB_LANG_NL);
    expect("CANCEL MY CONTRACT", VB_LANG_EN);
    expect("MeTeRsTaNd DoOrGeVeN", VB_LANG_NL);
    expect("Où Est Ma Facture", VB_LANG_FR);
}
END_TEST

START_TEST(test_langdetect_contractions_and_elision)
{
    expect("I don't think it's there", VB_LANG_EN);
    expect("they're sure we've paid", VB_LANG_EN);
    expect("l'abonnement n'est pas activé", VB_LANG_FR);
    expect("qu'il s'agit d'une erreur", VB_LANG_FR);
    expect("'t is z'n auto", VB_LANG_NL);
    /* Typographic apostrophe (U+2019). */
    expect("l\xe2\x80\x99" "abonnement n\xe2\x80\x99" "est pas activé",
           VB_LANG_FR);
}
END_TEST

START_TEST(test_langdetect_codes_and_urls_ignored)
{
    expect("Zie https://www.example.com/help voor de details", VB_LANG_NL);
    expect("Voir http://example.com/the/english/path pour les détails",
           VB_LANG_FR);
    expect("Stuur een mail naar support@example.com met uw klantnummer",
           VB_LANG_NL);
    expect("FIBER-500 TV-BASIS 12345 the router", VB_LANG_EN);
    const char *url = "https://www.example.com/the/of/and";
    ck_assert_int_eq(detect(url, strlen(url), NULL), VB_LANG_UNKNOWN);
}
END_TEST

START_TEST(test_langdetect_no_letters_is_unknown)
{
    static const char *const texts[] = {
        "", " ", "12345", "!!! ???", "€ 12,50", "2026-03-14T10:42:00+01:00",
        "\xf0\x9f\x98\x80\xf0\x9f\x8e\x89", /* emoji */
        "+32 2 123 45 67", "--- *** ---", NULL};
    for (size_t i = 0; texts[i]; i++) {
        double confidence = -1;
        enum vb_lang got = detect(texts[i], strlen(texts[i]), &confidence);
        ck_assert_msg(got == VB_LANG_UNKNOWN, "\"%s\": got %d", texts[i],
                      (int)got);
        ck_assert(confidence == 0.0);
    }
    ck_assert_int_eq(vb_detect_lang(NULL, 0, NULL), VB_LANG_UNKNOWN);
}
END_TEST

START_TEST(test_langdetect_other_scripts_are_unknown)
{
    /* Letters, but none of ours: no evidence for nl, fr or en. */
    expect("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", VB_LANG_UNKNOWN);
    expect("\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82", VB_LANG_UNKNOWN);
    /* ... and they do not spoil the words that are ours. */
    expect("\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 mijn factuur "
           "is te hoog",
           VB_LANG_NL);
}
END_TEST

START_TEST(test_langdetect_confidence_in_range)
{
    double clear = -1, short_query = -1, ambiguous = -1;
    ck_assert_int_eq(
        detect("Le technicien passera demain pour installer le modem.",
               strlen("Le technicien passera demain pour installer le modem."),
               &clear),
        VB_LANG_FR);
    ck_assert(clear > 0.9 && clear <= 1.0);
    detect("facture", strlen("facture"), &short_query);
    ck_assert(short_query >= 0.0 && short_query <= 1.0);
    detect("internet", strlen("internet"), &ambiguous);
    ck_assert(ambiguous >= 0.0 && ambiguous <= 1.0);
    ck_assert(ambiguous < clear);
    /* NULL confidence is allowed. */
    ck_assert_int_eq(vb_detect_lang("the cat is on the mat", strlen("the cat is on the mat"), NULL),
                     VB_LANG_EN);
}
END_TEST

START_TEST(test_langdetect_respects_len)
{
    const char *text = "het is de kat van de buren and the dog of the man";
    ck_assert_int_eq(detect(text, 25, NULL), VB_LANG_NL);
    ck_assert_int_eq(detect(text, 0, NULL), VB_LANG_UNKNOWN);
    /* A cut in the middle of a multi-byte character. */
    ck_assert_int_eq(detect("le café", 6, NULL), VB_LANG_FR);
}
END_TEST

START_TEST(test_langdetect_long_text)
{
    static const char *const paragraphs[] = {
        "De klant belt omdat zijn internetverbinding sinds gisteren "
        "regelmatig wegvalt. Controleer eerst of er een storing in de buurt "
        "is en vraag daarna of het modem al opnieuw is opgestart. ",
        "Le client appelle parce que sa connexion internet se coupe "
        "régulièrement depuis hier. Vérifiez d'abord s'il y a une panne dans "
        "le quartier, puis demandez si le modem a déjà été redémarré. ",
        "The customer calls because their internet connection has kept "
        "dropping since yesterday. First check whether there is an outage in "
        "the area, then ask whether the modem has already been restarted. ",
    };
    static const enum vb_lang want[] = {VB_LANG_NL, VB_LANG_FR, VB_LANG_EN};
    for (int k = 0; k < 3; k++) {
        size_t plen = strlen(paragraphs[k]);
        size_t len = 0, cap = 200 * 1024;
        char *text = malloc(cap);
        ck_assert_ptr_nonnull(text);
        while (len + plen <= cap) {
            memcpy(text + len, paragraphs[k], plen);
            len += plen;
        }
        double confidence = -1;
        ck_assert_int_eq(vb_detect_lang(text, len, &confidence), want[k]);
        ck_assert(confidence > 0.99 && confidence <= 1.0);
        /* Every length around the sampling threshold and window edges. */
        for (size_t cut = 16 * 1024 - 8; cut < 16 * 1024 + 8; cut++)
            ck_assert_int_eq(detect(text, cut, NULL), want[k]);
        free(text);
    }
}
END_TEST

START_TEST(test_langdetect_long_text_with_one_foreign_quote)
{
    /* A Dutch procedure that quotes an English error message. */
    expect("Als de klant de melding \"The server is not responding\" ziet, "
           "moet hij eerst de kabel controleren en daarna het modem opnieuw "
           "opstarten.",
           VB_LANG_NL);
}
END_TEST

START_TEST(test_langdetect_is_pure)
{
    const char *text = "mijn factuur is te hoog";
    double c1 = -1, c2 = -2;
    enum vb_lang a = vb_detect_lang(text, strlen(text), &c1);
    enum vb_lang b = vb_detect_lang(text, strlen(text), &c2);
    ck_assert_int_eq(a, b);
    ck_assert(c1 == c2);
}
END_TEST

START_TEST(test_langdetect_invalid_bytes_do_not_crash)
{
    /* Outside the contract (input must be valid UTF-8), but never a crash
     * or a read past len. */
    static const char *const texts[] = {
        "\xff\xfe de kat", "caf\xc3", "\xe2\x82", "\xf0\x9f\x98",
        "\x80\x80\x80 the", "l\xe2\x80 abonnement", "\xc3\xc3\xc3", NULL};
    for (size_t i = 0; texts[i]; i++) {
        double confidence = -1;
        enum vb_lang got = detect(texts[i], strlen(texts[i]), &confidence);
        ck_assert(got >= VB_LANG_UNKNOWN && got <= VB_LANG_EN);
        ck_assert(confidence >= 0.0 && confidence <= 1.0);
    }
}
END_TEST

START_TEST(test_langdetect_naughty_strings_do_not_crash)
{
    vb_test_require_data("naughty/blns.txt");
    size_t size = 0;
    char *all = vb_test_read_file(vb_test_data_path("naughty/blns.txt"), &size);
    ck_assert_ptr_nonnull(all);
    size_t lines = 0, start = 0;
    for (size_t i = 0; i <= size; i++) {
        if (i < size && all[i] != '\n')
            continue;
        size_t len = i - start;
        const char *line = all + start;
        start = i + 1;
        if (vb_utf8_validate(line, len, NULL) != VB_OK)
            continue;
        double confidence = -1;
        enum vb_lang got = detect(line, len, &confidence);
        ck_assert(got >= VB_LANG_UNKNOWN && got <= VB_LANG_EN);
        ck_assert(confidence >= 0.0 && confidence <= 1.0);
        ck_assert(got != VB_LANG_UNKNOWN || confidence == 0.0);
        lines++;
    }
    ck_assert_uint_gt(lines, 500);
    free(all);
}
END_TEST

static Suite *langdetect_suite(void)
{
    Suite *s = suite_create("langdetect");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_langdetect_dutch_sentences);
    tcase_add_test(tc, test_langdetect_french_sentences);
    tcase_add_test(tc, test_langdetect_english_sentences);
    tcase_add_test(tc, test_langdetect_short_queries);
    tcase_add_test(tc, test_langdetect_accents_missing);
    tcase_add_test(tc, test_langdetect_decomposed_accents);
    tcase_add_test(tc, test_langdetect_mixed_case);
    tcase_add_test(tc, test_langdetect_contractions_and_elision);
    tcase_add_test(tc, test_langdetect_codes_and_urls_ignored);
    tcase_add_test(tc, test_langdetect_no_letters_is_unknown);
    tcase_add_test(tc, test_langdetect_other_scripts_are_unknown);
    tcase_add_test(tc, test_langdetect_confidence_in_range);
    tcase_add_test(tc, test_langdetect_respects_len);
    tcase_add_test(tc, test_langdetect_long_text);
    tcase_add_test(tc, test_langdetect_long_text_with_one_foreign_quote);
    tcase_add_test(tc, test_langdetect_is_pure);
    tcase_add_test(tc, test_langdetect_invalid_bytes_do_not_crash);
    tcase_add_test(tc, test_langdetect_naughty_strings_do_not_crash);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return vb_test_run(langdetect_suite());
}
