/* fuzz_markdown.c — a corpus file with front matter and a Markdown body
 * (document/), as the indexer reads it: a document or problems that name
 * the file and line, never a crash; and its display HTML (display.c) made
 * only of the allowed elements and attributes, whatever the body says. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "vb_document.h"

/* Whether every tag of `html` is an allowed element with allowed
 * attributes (values are escaped, so a '>' or '<' inside one is a
 * fault too). */
static bool only_allowed_tags(const char *html)
{
    static const char *const tags[] = {
        "p",     "h3",    "h4",    "h5",     "h6",  "ul", "ol",        "li",
        "pre",   "code",  "em",    "strong", "del", "a",  "br",        "hr",
        "table", "thead", "tbody", "tr",     "th",  "td", "blockquote"};
    static const char *const attributes[] = {
        "href", "target", "rel", "start", "scope", "data-align", "class"};
    for (const char *p = strchr(html, '<'); p; p = strchr(p, '<')) {
        p += 1 + (p[1] == '/');
        size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
        bool known = false;
        for (size_t i = 0; i < sizeof tags / sizeof *tags && !known; i++)
            known = strlen(tags[i]) == n && strncmp(p, tags[i], n) == 0;
        if (!known)
            return false;
        p += n;
        while (*p == ' ') {
            p++;
            size_t a = strcspn(p, "=");
            known = false;
            for (size_t i = 0; i < sizeof attributes / sizeof *attributes; i++)
                known |= strlen(attributes[i]) == a &&
                         strncmp(p, attributes[i], a) == 0;
            if (!known || p[a] != '=' || p[a + 1] != '"')
                return false;
            const char *close = strchr(p + a + 2, '"');
            if (!close ||
                strcspn(p + a + 2, "<>") < (size_t)(close - p - a - 2))
                return false;
            p = close + 1;
        }
        if (*p != '>')
            return false;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vb_document *doc = NULL;
    struct vb_error err = {0};
    enum vb_status st = vb_document_parse_markdown(
        "fuzz.md", (const char *)data, size, &doc, &err);
    if (st == VB_OK) {
        if (!doc || !doc->id[0] || !doc->title[0])
            vb_fuzz_fail("a document without id or title", NULL);
        char etag[17];
        vb_document_etag(doc, etag);
        char *html = NULL;
        if (vb_document_display_html(doc, &html, &err) == VB_OK &&
            !only_allowed_tags(html))
            vb_fuzz_fail("display HTML with a tag or attribute outside the "
                         "allow-list",
                         html);
        free(html);
        vb_document_free(doc);
    } else if (doc || strncmp(err.msg, "fuzz.md", 7) != 0) {
        if (st != VB_ENOMEM)
            vb_fuzz_fail("a rejection that does not name the file", err.msg);
    }
    return 0;
}
