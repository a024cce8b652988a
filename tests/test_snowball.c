/* Golden-file conformance: the chain's Snowball step reproduces every line
 * of Snowball 2.2.0's own vocabularies (../shared/data/snowball-2.2.0). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis_int.h"
#include "testutil.h"

static void check_language(const char *name, enum vb_lang lang)
{
    char voc_rel[128], out_rel[128];
    snprintf(voc_rel, sizeof voc_rel, "snowball-2.2.0/%s/voc.txt", name);
    snprintf(out_rel, sizeof out_rel, "snowball-2.2.0/%s/output.txt", name);

    char *voc = vb_test_read_file(vb_test_data_path(voc_rel), NULL);
    char *expected = vb_test_read_file(vb_test_data_path(out_rel), NULL);
    ck_assert_ptr_nonnull(voc);
    ck_assert_ptr_nonnull(expected);

    struct vb_analysis_data *data;
    struct vb_analyzer *analyzer;
    struct vb_error err;
    ck_assert_int_eq(vb_analysis_data_new(&data, &err), VB_OK);
    ck_assert_int_eq(vb_analyzer_new(data, &analyzer, &err), VB_OK);

    size_t lines = 0, mismatches = 0;
    char *word_save, *stem_save;
    char *word = strtok_r(voc, "\n", &word_save);
    char *want = strtok_r(expected, "\n", &stem_save);
    for (; word && want; word = strtok_r(NULL, "\n", &word_save),
                         want = strtok_r(NULL, "\n", &stem_save)) {
        char got[256];
        size_t n = vb_stem_snowball(analyzer, lang, word, strlen(word), got,
                                    sizeof got);
        lines++;
        if (n == 0 || strcmp(got, want) != 0) {
            if (mismatches++ < 10)
                fprintf(stderr, "%s: '%s' -> '%s', expected '%s'\n", name,
                        word, n ? got : "(error)", want);
        }
    }
    ck_assert_ptr_null(word); /* both files end together */
    ck_assert_ptr_null(want);
    fprintf(stderr, "%s: %zu words, %zu mismatches\n", name, lines,
            mismatches);
    ck_assert_uint_gt(lines, 20000);
    ck_assert_uint_eq(mismatches, 0);

    vb_analyzer_free(analyzer);
    vb_analysis_data_free(data);
    free(voc);
    free(expected);
}

START_TEST(test_snowball_dutch_vocabulary)
{
    check_language("dutch", VB_LANG_NL);
}
END_TEST

START_TEST(test_snowball_french_vocabulary)
{
    check_language("french", VB_LANG_FR);
}
END_TEST

START_TEST(test_snowball_english_vocabulary)
{
    check_language("english", VB_LANG_EN);
}
END_TEST

int main(void)
{
    vb_test_require_data("snowball-2.2.0");
    Suite *s = suite_create("snowball");
    TCase *tc = tcase_create("golden");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_snowball_dutch_vocabulary);
    tcase_add_test(tc, test_snowball_french_vocabulary);
    tcase_add_test(tc, test_snowball_english_vocabulary);
    suite_add_tcase(s, tc);
    return vb_test_run(s);
}
