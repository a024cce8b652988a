/* UTF-8 validation at the boundary of the analysis chain. */
#include <string.h>

#include "testutil.h"
#include "vb_analysis.h"

static void expect_bad(const char *s, size_t len, size_t offset)
{
    size_t bad = (size_t)-1;
    ck_assert_int_eq(vb_utf8_validate(s, len, &bad), VB_EUTF8);
    ck_assert_uint_eq(bad, offset);
}

static void expect_good(const char *s)
{
    ck_assert_int_eq(vb_utf8_validate(s, strlen(s), NULL), VB_OK);
}

START_TEST(test_utf8_accepts_valid_text)
{
    expect_good("");
    expect_good("factuur");
    expect_good("électricité déménagement œuvre");
    expect_good("\xf0\x9f\x98\x80 emoji");      /* U+1F600 */
    expect_good("\xf4\x8f\xbf\xbf");           /* U+10FFFF */
    expect_good("\xef\xbb\xbf" "bom");         /* BOM is valid UTF-8 */
}
END_TEST

START_TEST(test_utf8_rejects_with_offset)
{
    expect_bad("abc\x80", 4, 3);               /* stray continuation */
    expect_bad("ab\xc3", 3, 2);                /* truncated */
    expect_bad("\xc0\xaf", 2, 0);              /* overlong '/' */
    expect_bad("x\xe0\x80\xaf", 4, 1);         /* overlong 3-byte */
    expect_bad("\xed\xa0\x80", 3, 0);          /* surrogate */
    expect_bad("\xf4\x90\x80\x80", 4, 0);      /* above U+10FFFF */
    expect_bad("\xfe\xff", 2, 0);              /* never valid */
    expect_bad("ok\0no", 5, 2);                /* NUL inside */
    expect_bad("\xe2\x82", 2, 0);              /* cut at end */
}
END_TEST

/* Plain ASCII is taken eight bytes at a time: a bad byte (or NUL) at any
 * place in or after a run of it is still found, at its own offset. */
START_TEST(test_utf8_bad_byte_anywhere_in_ascii)
{
    static const char bad[] = {'\x80', '\0', '\xff', '\xc3'};
    char text[41];
    size_t found = 0;
    for (size_t b = 0; b < sizeof bad; b++)
        for (size_t at = 0; at < 40; at++) {
            memset(text, 'a', 40);
            text[40] = '\0';
            text[at] = bad[b];
            size_t offset = (size_t)-1;
            found +=
                vb_utf8_validate(text, 40, &offset) == VB_EUTF8 && offset == at;
        }
    ck_assert_uint_eq(found, 4 * 40);
    memset(text, 'a', 40);
    for (size_t len = 0; len <= 40; len++)
        ck_assert_int_eq(vb_utf8_validate(text, len, NULL), VB_OK);
}
END_TEST

START_TEST(test_utf8_analysis_reports_offset)
{
    struct vb_analysis_data *data;
    struct vb_analyzer *analyzer;
    struct vb_error err;
    ck_assert_int_eq(vb_analysis_data_new(&data, &err), VB_OK);
    ck_assert_int_eq(vb_analyzer_new(data, &analyzer, &err), VB_OK);
    const char text[] = "factuur \xff betalen";
    ck_assert_int_eq(vb_analyze_text(analyzer, text, sizeof text - 1,
                                     VB_LANG_NL, NULL, NULL, &err),
                     VB_EUTF8);
    ck_assert_int_eq(err.code, VB_EUTF8);
    ck_assert_ptr_nonnull(strstr(err.msg, "byte 8"));
    vb_analyzer_free(analyzer);
    vb_analysis_data_free(data);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("utf8");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_utf8_accepts_valid_text);
    tcase_add_test(tc, test_utf8_rejects_with_offset);
    tcase_add_test(tc, test_utf8_bad_byte_anywhere_in_ascii);
    tcase_add_test(tc, test_utf8_analysis_reports_offset);
    suite_add_tcase(s, tc);
    return vb_test_run(s);
}
