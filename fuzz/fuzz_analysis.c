/* fuzz_analysis.c — the analysis chain (stemmers/) on any bytes: the
 * first byte picks the language (nl, fr, en or detected), the rest is the
 * text.  Text that is not UTF-8 must be refused (VB_EUTF8), never read
 * past; every token must lie inside the text, with terms no longer than
 * VB_TERM_MAX. */
#include "fuzz.h"

#include <string.h>

#include "vb_analysis.h"

static struct vb_analysis_data *data;
static struct vb_analyzer *analyzer;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct vb_error err = {0};
    if (vb_analysis_data_new(&data, &err) != VB_OK ||
        vb_analyzer_new(data, &analyzer, &err) != VB_OK)
        vb_fuzz_fail("analysis data", err.msg);
    return 0;
}

struct check {
    size_t len;
};

static int check_token(void *ctx, const struct vb_token *t)
{
    const struct check *c = ctx;
    if (t->start > t->end || t->end > c->len)
        vb_fuzz_fail("token outside the text", NULL);
    if (t->term_count < 1 || t->term_count > VB_TOKEN_TERMS_MAX)
        vb_fuzz_fail("term count", NULL);
    for (size_t i = 0; i < t->term_count; i++)
        if (t->term_lens[i] == 0 || t->term_lens[i] > VB_TERM_MAX ||
            strlen(t->terms[i]) != t->term_lens[i])
            vb_fuzz_fail("term length", t->terms[i]);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    if (size == 0)
        return 0;
    static const enum vb_lang langs[] = {VB_LANG_NL, VB_LANG_FR, VB_LANG_EN,
                                         VB_LANG_UNKNOWN};
    enum vb_lang lang = langs[bytes[0] % 4];
    const char *text = (const char *)bytes + 1;
    struct check c = {size - 1};
    struct vb_error err = {0};
    enum vb_status st =
        vb_analyze_text(analyzer, text, c.len, lang, check_token, &c, &err);
    if (st != VB_OK && st != VB_EUTF8 && st != VB_ELIMIT)
        vb_fuzz_fail("vb_analyze_text", err.msg);
    if (st == VB_OK) {
        double confidence = 0;
        vb_detect_lang(text, c.len, &confidence);
        size_t pos = 0, start, end;
        while (vb_scan_token(text, c.len, &pos, &start, &end))
            if (start >= end || end > c.len)
                vb_fuzz_fail("vb_scan_token", NULL);
    }
    return 0;
}
