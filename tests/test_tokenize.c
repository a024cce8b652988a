/* Finding words: offsets, apostrophes, hyphens, ignorable code points. */
#include <string.h>

#include <utf8proc.h>

#include "analysis_int.h"
#include "testutil.h"

/* Tokenises `text` and writes "word|word|..." (raw text of each token,
 * segments joined by '+') into out. */
static const char *tokens(const char *text)
{
    static char out[1024];
    size_t pos = 0, used = 0, len = strlen(text);
    struct vb_raw_token t;
    out[0] = '\0';
    while (vb_next_token(text, len, &pos, &t)) {
        if (used)
            out[used++] = '|';
        for (int i = 0; i < t.segment_count; i++) {
            if (i)
                out[used++] = '+';
            size_t n = t.segments[i].end - t.segments[i].start;
            memcpy(out + used, text + t.segments[i].start, n);
            used += n;
        }
        out[used] = '\0';
    }
    return out;
}

START_TEST(test_tokenize_words_and_offsets)
{
    const char *text = "  Hallo, wereld!";
    size_t pos = 0;
    struct vb_raw_token t;
    ck_assert(vb_next_token(text, strlen(text), &pos, &t));
    ck_assert_uint_eq(t.start, 2);
    ck_assert_uint_eq(t.end, 7);
    ck_assert(vb_next_token(text, strlen(text), &pos, &t));
    ck_assert_uint_eq(t.start, 9);
    ck_assert_uint_eq(t.end, 15);
    ck_assert(!vb_next_token(text, strlen(text), &pos, &t));
    ck_assert(!vb_next_token("", 0, &pos, &t));
    pos = 0;
    ck_assert(!vb_next_token("... -- ''", 9, &pos, &t));
}
END_TEST

START_TEST(test_tokenize_apostrophes_and_hyphens)
{
    ck_assert_str_eq(tokens("l'abonnement"), "l+abonnement");
    ck_assert_str_eq(tokens("l\xe2\x80\x99" "abonnement"), "l+abonnement");
    ck_assert_str_eq(tokens("wifi-wachtwoord e-mail"), "wifi+wachtwoord|e+mail");
    ck_assert_str_eq(tokens("FIBER-500"), "FIBER+500");
    ck_assert_str_eq(tokens("'s avonds"), "s|avonds");
    ck_assert_str_eq(tokens("klant' - prijs--laag"), "klant|prijs|laag");
    ck_assert_str_eq(tokens("a-b-c-d-e-f-g-h-i-j"), "a+b+c+d+e+f+g+h|i+j");
}
END_TEST

START_TEST(test_tokenize_unicode_letters_marks_digits)
{
    ck_assert_str_eq(tokens("électricité, ideeën; één"), "électricité|ideeën|één");
    /* decomposed e + combining acute stays one word */
    ck_assert_str_eq(tokens("e\xcc\x81t\xc3\xa9"), "e\xcc\x81t\xc3\xa9");
    /* soft hyphen and zero-width space inside a word do not break it */
    ck_assert_str_eq(tokens("glas\xc2\xadvezel"), "glas\xc2\xadvezel");
    ck_assert_str_eq(tokens("zero\xe2\x80\x8bwidth"), "zero\xe2\x80\x8bwidth");
    ck_assert_str_eq(tokens("\xe4\xbd\xa0\xe5\xa5\xbd 123"), "\xe4\xbd\xa0\xe5\xa5\xbd|123");
    ck_assert_str_eq(tokens("jan.peeters@lumina.be"), "jan|peeters|lumina|be");
}
END_TEST

/* Every code point from U+0080 to U+07FF (two bytes) between two letters:
 * one token exactly when Unicode calls it a letter, mark or number (or an
 * ignorable), as utf8proc says; the tokenizer decides some on the bytes. */
START_TEST(test_tokenize_two_byte_code_points_agree_with_unicode)
{
    for (utf8proc_int32_t cp = 0x80; cp < 0x800; cp++) {
        char text[8] = "a";
        utf8proc_ssize_t n = utf8proc_encode_char(cp, (utf8proc_uint8_t *)text + 1);
        text[1 + n] = 'b';
        text[2 + n] = '\0';
        const utf8proc_property_t *p = utf8proc_get_property(cp);
        bool word = p->ignorable || (p->category >= UTF8PROC_CATEGORY_LU &&
                                     p->category <= UTF8PROC_CATEGORY_NO);
        bool joiner = cp == 0x02BC || cp == 0x2010 || cp == 0x2011;
        if (joiner)
            continue;
        size_t pos = 0, count = 0;
        struct vb_raw_token t;
        while (vb_next_token(text, strlen(text), &pos, &t))
            count++;
        ck_assert_msg(count == (word ? 1u : 2u), "U+%04X: %zu tokens",
                      (unsigned)cp, count);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tokenize");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_tokenize_words_and_offsets);
    tcase_add_test(tc, test_tokenize_apostrophes_and_hyphens);
    tcase_add_test(tc, test_tokenize_unicode_letters_marks_digits);
    tcase_add_test(tc, test_tokenize_two_byte_code_points_agree_with_unicode);
    suite_add_tcase(s, tc);
    return vb_test_run(s);
}
