/* vraagbaak-analyze — shows what the analysis chain makes of a text, for
 * content editors asking "why does this not match?".  Thin: arguments in,
 * vb_analyze_text, lines out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vb_analysis.h"

static const char usage[] =
    "Usage: vraagbaak-analyze [--lang nl|fr|en] [TEXT...]\n"
    "Prints each token of TEXT (or of standard input) with its byte offsets\n"
    "and the index terms the analysis chain makes of it: terms[0] is the\n"
    "whole word, further terms are compound parts and other expansions.\n"
    "\n"
    "  --lang L   analyse as Dutch, French or English (without it the\n"
    "             language is detected)\n"
    "  --help     this text\n"
    "  --version  the version\n";

struct output {
    const char *text;
};

static int print_token(void *ctx, const struct vb_token *t)
{
    const struct output *out = ctx;
    printf("%4u %5zu-%-5zu %-24.*s", t->position, t->start, t->end,
           (int)(t->end - t->start), out->text + t->start);
    for (size_t i = 0; i < t->term_count; i++)
        printf(" %s", t->terms[i]);
    puts(t->stopword ? "  (stopword)" : "");
    return 0;
}

static char *read_stdin(size_t *len)
{
    size_t cap = 1 << 16, used = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + used, 1, cap - used, stdin)) > 0) {
        used += n;
        if (used == cap) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown)
                free(buf);
            buf = grown;
        }
    }
    *len = used;
    return buf;
}

int main(int argc, char **argv)
{
    enum vb_lang lang = VB_LANG_UNKNOWN;
    int first = 1;
    for (; first < argc && argv[first][0] == '-' && argv[first][1]; first++) {
        const char *arg = argv[first];
        if (strcmp(arg, "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(arg, "--version") == 0) {
            printf("vraagbaak-analyze %s\n", VB_VERSION);
            return 0;
        } else if (strcmp(arg, "--lang") == 0 && first + 1 < argc) {
            const char *code = argv[++first];
            lang = vb_lang_parse(code, strlen(code));
            if (lang == VB_LANG_UNKNOWN) {
                fprintf(stderr, "vraagbaak-analyze: unknown language '%s' "
                                "(expected nl, fr or en)\n", code);
                return 2;
            }
        } else if (strcmp(arg, "--") == 0) {
            first++;
            break;
        } else {
            fprintf(stderr, "vraagbaak-analyze: unknown option '%s' "
                            "(try --help)\n", arg);
            return 2;
        }
    }

    struct vb_analysis_data *data = NULL;
    struct vb_analyzer *analyzer = NULL;
    struct vb_error err;
    int status = 1;
    char *text = NULL;
    size_t len = 0;
    if (vb_analysis_data_new(&data, &err) != VB_OK ||
        vb_analyzer_new(data, &analyzer, &err) != VB_OK) {
        fprintf(stderr, "vraagbaak-analyze: %s\n", err.msg);
        goto out;
    }
    if (first == argc) {
        text = read_stdin(&len);
    } else {
        for (int i = first; i < argc; i++)
            len += strlen(argv[i]) + 1;
        text = malloc(len + 1);
        if (text) {
            text[0] = '\0';
            for (int i = first; i < argc; i++) {
                strcat(text, argv[i]);
                if (i + 1 < argc)
                    strcat(text, " ");
            }
            len = strlen(text);
        }
    }
    if (!text) {
        fprintf(stderr, "vraagbaak-analyze: out of memory\n");
        goto out;
    }
    enum vb_lang used = lang;
    if (used == VB_LANG_UNKNOWN && vb_utf8_validate(text, len, NULL) == VB_OK) {
        double confidence;
        used = vb_detect_lang(text, len, &confidence);
        printf("language: %s (detected, confidence %.2f)\n",
               used == VB_LANG_UNKNOWN ? "unknown" : vb_lang_code(used),
               confidence);
    }
    struct output out_ctx = {text};
    if (vb_analyze_text(analyzer, text, len, used, print_token, &out_ctx,
                        &err) != VB_OK) {
        fprintf(stderr, "vraagbaak-analyze: %s\n", err.msg);
        goto out;
    }
    status = 0;
out:
    free(text);
    vb_analyzer_free(analyzer);
    vb_analysis_data_free(data);
    return status;
}
