/* Bad and hostile input through the whole chain: the Big List of Naughty
 * Strings, Markus Kuhn's UTF-8 stress test, random bytes and huge texts.
 * Nothing may crash, hang, leak or emit an invalid term. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "analysis_helpers.h"

/* Every term must be non-empty valid UTF-8 within the size limit, and
 * offsets inside the text.  Checked with plain conditions and asserted
 * once per text: Check's ck_assert does I/O on every call, which in a
 * per-token callback would dominate the run time. */
struct checked {
    size_t text_len;
    size_t tokens;
    size_t bad_tokens;
};

static bool token_ok(const struct vb_token *t, size_t text_len)
{
    if (t->start > t->end || t->end > text_len || t->term_count < 1 ||
        t->term_count > VB_TOKEN_TERMS_MAX)
        return false;
    for (size_t i = 0; i < t->term_count; i++) {
        if (t->term_lens[i] == 0 || t->term_lens[i] > VB_TERM_MAX ||
            strlen(t->terms[i]) != t->term_lens[i] ||
            vb_utf8_validate(t->terms[i], t->term_lens[i], NULL) != VB_OK)
            return false;
    }
    return true;
}

static int check_token(void *ctx, const struct vb_token *t)
{
    struct checked *c = ctx;
    c->tokens++;
    if (!token_ok(t, c->text_len) && c->bad_tokens++ == 0)
        fprintf(stderr, "bad token at byte %zu\n", t->start);
    return 0;
}

/* Runs `text` in every language; returns the status for VB_LANG_UNKNOWN. */
static enum vb_status run_all(const char *text, size_t len)
{
    struct vb_error err;
    enum vb_status first = VB_OK;
    for (int l = 0; l < VB_LANG_COUNT; l++) {
        struct checked c = {len, 0, 0};
        enum vb_status st = vb_analyze_text(test_analyzer, text, len,
                                            (enum vb_lang)l, check_token, &c,
                                            &err);
        if (l == 0)
            first = st;
        if (st != first || c.bad_tokens != 0)
            ck_abort_msg("lang %d: status %d (first %d), %zu bad tokens", l,
                         st, first, c.bad_tokens);
    }
    return first;
}

START_TEST(test_badinput_naughty_strings)
{
    size_t len;
    char *all = vb_test_read_file(vb_test_data_path("naughty/blns.txt"), &len);
    ck_assert_ptr_nonnull(all);
    size_t lines = 0, rejected = 0;
    for (char *line = all, *next; line < all + len; line = next + 1) {
        next = memchr(line, '\n', (size_t)(all + len - line));
        if (!next)
            next = all + len;
        if (run_all(line, (size_t)(next - line)) != VB_OK)
            rejected++;
        lines++;
    }
    fprintf(stderr, "blns: %zu lines, %zu rejected as invalid UTF-8\n", lines,
            rejected);
    ck_assert_uint_gt(lines, 500);
    free(all);
}
END_TEST

START_TEST(test_badinput_kuhn_utf8_stress)
{
    size_t len;
    char *all = vb_test_read_file(vb_test_data_path("utf8/UTF-8-test.txt"), &len);
    ck_assert_ptr_nonnull(all);
    /* The whole file is malformed somewhere: rejected, with a position. */
    struct vb_error err;
    size_t bad;
    ck_assert_int_eq(vb_utf8_validate(all, len, &bad), VB_EUTF8);
    ck_assert_int_eq(vb_analyze_text(test_analyzer, all, len, VB_LANG_EN,
                                     check_token, NULL, &err), VB_EUTF8);
    ck_assert_ptr_nonnull(strstr(err.msg, "byte"));
    /* Line by line: valid lines are analysed, invalid ones rejected. */
    size_t valid = 0, invalid = 0;
    for (char *line = all, *next; line < all + len; line = next + 1) {
        next = memchr(line, '\n', (size_t)(all + len - line));
        if (!next)
            next = all + len;
        if (run_all(line, (size_t)(next - line)) == VB_OK)
            valid++;
        else
            invalid++;
    }
    fprintf(stderr, "UTF-8-test: %zu valid lines, %zu rejected\n", valid, invalid);
    ck_assert_uint_gt(valid, 100);
    ck_assert_uint_gt(invalid, 50);
    free(all);
}
END_TEST

/* splitmix64: deterministic random bytes. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

START_TEST(test_badinput_random_bytes)
{
    /* Random bytes biased towards the interesting ones: UTF-8 lead and
     * continuation bytes, apostrophes, hyphens, digits, spaces. */
    static const unsigned char alphabet[] = "aZ09 -'./\xc3\xa9\xe2\x80\x99\xcc\x81\xf0\x9f\x98\x80\xc2\xad\xff";
    uint64_t state = 42;
    char text[256];
    for (int round = 0; round < 20000; round++) {
        size_t len = next_random(&state) % sizeof text;
        for (size_t i = 0; i < len; i++) {
            uint64_t r = next_random(&state);
            text[i] = (r & 1) ? (char)alphabet[(r >> 1) % (sizeof alphabet - 1)]
                              : (char)(r >> 8);
        }
        run_all(text, len);
    }
}
END_TEST

START_TEST(test_badinput_huge_text)
{
    /* 4 MiB of words: must finish (no quadratic behaviour) */
    size_t len = 4u << 20;
    char *text = malloc(len);
    ck_assert_ptr_nonnull(text);
    static const char words[] = "glasvezelaansluiting l'abonnement 0470 12 34 56 fiber-500 ";
    for (size_t i = 0; i < len; i++)
        text[i] = words[i % (sizeof words - 1)];
    struct checked c = {len, 0, 0};
    struct vb_error err;
    ck_assert_int_eq(vb_analyze_text(test_analyzer, text, len, VB_LANG_NL,
                                     check_token, &c, &err), VB_OK);
    ck_assert_uint_eq(c.bad_tokens, 0);
    ck_assert_uint_gt(c.tokens, 400000);
    /* one endless "word" and one endless run of joiners */
    memset(text, 'x', len);
    ck_assert_int_eq(run_all(text, len), VB_OK);
    for (size_t i = 0; i < len; i++)
        text[i] = (i & 1) ? '-' : 'a';
    ck_assert_int_eq(run_all(text, len), VB_OK);
    free(text);
}
END_TEST

int main(void)
{
    vb_test_require_data("naughty/blns.txt");
    vb_test_require_data("utf8/UTF-8-test.txt");
    Suite *s = suite_create("badinput");
    TCase *tc = tcase_create("hostile");
    tcase_set_timeout(tc, 600);
    tcase_add_checked_fixture(tc, setup_analyzer, teardown_analyzer);
    tcase_add_test(tc, test_badinput_naughty_strings);
    tcase_add_test(tc, test_badinput_kuhn_utf8_stress);
    tcase_add_test(tc, test_badinput_random_bytes);
    tcase_add_test(tc, test_badinput_huge_text);
    suite_add_tcase(s, tc);
    return vb_test_run(s);
}
