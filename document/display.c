/* display.c — how an article looks: its body as HTML for the widget, in
 * one place.  Markdown is parsed by md4c (as for the indexed text, so the
 * words shown are the words found) and written as a fixed set of
 * elements; whatever the body holds, nothing else comes out:
 *   - raw HTML in Markdown is text (md4c's NOHTML), escaped;
 *   - links only to http:, https: and mailto: (target=_blank,
 *     rel="noopener noreferrer"); any other link is its text; images are
 *     their alt text;
 *   - headings start at <h3> (the article's title is the pane's <h2>) and
 *     never skip a level;
 *   - a table cell's alignment is data-align (no style attribute: the
 *     page's Content-Security-Policy allows none);
 *   - an HTML body (a mail) is its plain text, a paragraph per line.
 * Every text and attribute value is escaped. */
#include "document_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void put_escaped(struct dbuf *out, const char *s, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        const char *entity = s[i] == '&'    ? "&amp;"
                             : s[i] == '<'  ? "&lt;"
                             : s[i] == '>'  ? "&gt;"
                             : s[i] == '"'  ? "&quot;"
                             : s[i] == '\'' ? "&#39;"
                                            : NULL;
        if (!entity)
            continue;
        dbuf_append(out, s + from, i - from);
        dbuf_append(out, entity, strlen(entity));
        from = i + 1;
    }
    dbuf_append(out, s + from, n - from);
}

static void put(struct dbuf *out, const char *s)
{
    dbuf_append(out, s, strlen(s));
}

/* ==== Markdown ========================================================== */

#define LINKS_MAX 32 /* nesting of links whose tag was (not) written */

struct render {
    struct doc_md_copy copy; /* first: md4c's userdata points here too */
    struct dbuf *out;
    unsigned heading;      /* level of the last heading, from 2 */
    unsigned open_heading; /* the level written for the open one */
    bool link_written[LINKS_MAX];
    size_t links;
    unsigned in_image; /* inside an image: its text is the alt text */
};

/* An attribute's text with its entities decoded, into `out`. */
static void attribute_text(const MD_ATTRIBUTE *a, struct dbuf *out)
{
    for (unsigned i = 0; a->substr_offsets && a->substr_offsets[i] < a->size;
         i++) {
        const char *s = a->text + a->substr_offsets[i];
        size_t n = a->substr_offsets[i + 1] - a->substr_offsets[i];
        if (a->substr_types[i] == MD_TEXT_ENTITY)
            doc_md_entity(out, s, n);
        else if (a->substr_types[i] == MD_TEXT_NULLCHAR)
            dbuf_put_cp(out, 0xFFFD);
        else
            dbuf_append(out, s, n);
    }
}

/* http:, https: or mailto:, with something after it and no control
 * character or space inside. */
static bool safe_href(const char *s, size_t n)
{
    static const char *const schemes[] = {"http://", "https://", "mailto:"};
    bool scheme = false;
    for (size_t i = 0; i < 3 && !scheme; i++) {
        size_t k = strlen(schemes[i]);
        scheme = n > k && strncasecmp(s, schemes[i], k) == 0;
    }
    for (size_t i = 0; scheme && i < n; i++)
        scheme = (unsigned char)s[i] > 0x20 && s[i] != 0x7F;
    return scheme;
}

static void open_link(struct render *r, const MD_SPAN_A_DETAIL *a)
{
    struct dbuf href = {0};
    attribute_text(&a->href, &href);
    bool ok = !href.oom && href.data && safe_href(href.data, href.len);
    if (ok) {
        put(r->out, "<a href=\"");
        put_escaped(r->out, href.data, href.len);
        put(r->out, "\" target=\"_blank\" rel=\"noopener noreferrer\">");
    }
    r->out->oom |= href.oom;
    dbuf_cleanup(&href);
    if (r->links < LINKS_MAX)
        r->link_written[r->links] = ok;
    r->links++;
}

static void close_link(struct render *r)
{
    if (r->links == 0)
        return;
    r->links--;
    if (r->links < LINKS_MAX && r->link_written[r->links])
        put(r->out, "</a>");
}

static const char *alignment(MD_ALIGN align)
{
    switch (align) {
    case MD_ALIGN_LEFT: return " data-align=\"left\"";
    case MD_ALIGN_CENTER: return " data-align=\"center\"";
    case MD_ALIGN_RIGHT: return " data-align=\"right\"";
    default: return "";
    }
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
    struct render *r = userdata;
    struct dbuf *out = r->out;
    switch (type) {
    case MD_BLOCK_DOC: break;
    case MD_BLOCK_QUOTE: put(out, "<blockquote>"); break;
    case MD_BLOCK_UL: put(out, "<ul>"); break;
    case MD_BLOCK_OL: {
        unsigned start = ((const MD_BLOCK_OL_DETAIL *)detail)->start;
        if (start == 1) {
            put(out, "<ol>");
        } else {
            char tag[32];
            snprintf(tag, sizeof tag, "<ol start=\"%u\">", start);
            put(out, tag);
        }
        break;
    }
    case MD_BLOCK_LI: put(out, "<li>"); break;
    case MD_BLOCK_HR: put(out, "<hr>"); break;
    case MD_BLOCK_H: {
        unsigned level = ((const MD_BLOCK_H_DETAIL *)detail)->level + 2;
        if (level > r->heading + 1)
            level = r->heading + 1;
        if (level < 3)
            level = 3;
        if (level > 6)
            level = 6;
        r->heading = r->open_heading = level;
        char tag[8];
        snprintf(tag, sizeof tag, "<h%u>", level);
        put(out, tag);
        break;
    }
    case MD_BLOCK_CODE: put(out, "<pre><code>"); break;
    case MD_BLOCK_HTML: put(out, "<p>"); break; /* not with NOHTML */
    case MD_BLOCK_P: put(out, "<p>"); break;
    case MD_BLOCK_TABLE: put(out, "<table>"); break;
    case MD_BLOCK_THEAD: put(out, "<thead>"); break;
    case MD_BLOCK_TBODY: put(out, "<tbody>"); break;
    case MD_BLOCK_TR: put(out, "<tr>"); break;
    case MD_BLOCK_TH:
        put(out, "<th scope=\"col\"");
        put(out, alignment(((const MD_BLOCK_TD_DETAIL *)detail)->align));
        put(out, ">");
        break;
    case MD_BLOCK_TD:
        put(out, "<td");
        put(out, alignment(((const MD_BLOCK_TD_DETAIL *)detail)->align));
        put(out, ">");
        break;
    }
    return out->oom ? -1 : 0;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
    (void)detail;
    struct render *r = userdata;
    struct dbuf *out = r->out;
    switch (type) {
    case MD_BLOCK_DOC: break;
    case MD_BLOCK_QUOTE: put(out, "</blockquote>"); break;
    case MD_BLOCK_UL: put(out, "</ul>"); break;
    case MD_BLOCK_OL: put(out, "</ol>"); break;
    case MD_BLOCK_LI: put(out, "</li>"); break;
    case MD_BLOCK_HR: break;
    case MD_BLOCK_H: {
        char tag[8];
        snprintf(tag, sizeof tag, "</h%u>", r->open_heading);
        put(out, tag);
        break;
    }
    case MD_BLOCK_CODE:
        /* md4c ends the code with its last line's "\n": not a line. */
        if (out->len && out->data[out->len - 1] == '\n')
            out->data[--out->len] = '\0';
        put(out, "</code></pre>");
        break;
    case MD_BLOCK_HTML:
    case MD_BLOCK_P: put(out, "</p>"); break;
    case MD_BLOCK_TABLE: put(out, "</table>"); break;
    case MD_BLOCK_THEAD: put(out, "</thead>"); break;
    case MD_BLOCK_TBODY: put(out, "</tbody>"); break;
    case MD_BLOCK_TR: put(out, "</tr>"); break;
    case MD_BLOCK_TH: put(out, "</th>"); break;
    case MD_BLOCK_TD: put(out, "</td>"); break;
    }
    return out->oom ? -1 : 0;
}

static int enter_span(MD_SPANTYPE type, void *detail, void *userdata)
{
    struct render *r = userdata;
    if (r->in_image) {
        r->in_image += type == MD_SPAN_IMG;
        return 0;
    }
    switch (type) {
    case MD_SPAN_EM: put(r->out, "<em>"); break;
    case MD_SPAN_STRONG: put(r->out, "<strong>"); break;
    case MD_SPAN_CODE: put(r->out, "<code>"); break;
    case MD_SPAN_DEL: put(r->out, "<del>"); break;
    case MD_SPAN_A: open_link(r, detail); break;
    case MD_SPAN_IMG: r->in_image = 1; break;
    default: break; /* not enabled */
    }
    return r->out->oom ? -1 : 0;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *userdata)
{
    (void)detail;
    struct render *r = userdata;
    if (r->in_image) {
        r->in_image -= type == MD_SPAN_IMG;
        return 0;
    }
    switch (type) {
    case MD_SPAN_EM: put(r->out, "</em>"); break;
    case MD_SPAN_STRONG: put(r->out, "</strong>"); break;
    case MD_SPAN_CODE: put(r->out, "</code>"); break;
    case MD_SPAN_DEL: put(r->out, "</del>"); break;
    case MD_SPAN_A: close_link(r); break;
    default: break;
    }
    return r->out->oom ? -1 : 0;
}

static int text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE size,
                void *userdata)
{
    struct render *r = userdata;
    if (!doc_md_visible(&r->copy, s, &size))
        return 0;
    switch (type) {
    case MD_TEXT_NULLCHAR: put(r->out, "\xEF\xBF\xBD"); break;
    case MD_TEXT_BR: put(r->out, r->in_image ? " " : "<br>"); break;
    case MD_TEXT_SOFTBR: put(r->out, "\n"); break;
    case MD_TEXT_ENTITY: {
        struct dbuf decoded = {0};
        doc_md_entity(&decoded, s, size);
        put_escaped(r->out, decoded.data ? decoded.data : "", decoded.len);
        r->out->oom |= decoded.oom;
        dbuf_cleanup(&decoded);
        break;
    }
    default: put_escaped(r->out, s, size); break;
    }
    return r->out->oom ? -1 : 0;
}

static bool markdown_html(const char *src, size_t len, struct dbuf *out)
{
    struct render r = {.out = out, .heading = 2};
    MD_PARSER parser = {
        .abi_version = 0,
        .flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_NOHTML,
        .enter_block = enter_block,
        .leave_block = leave_block,
        .enter_span = enter_span,
        .leave_span = leave_span,
        .text = text,
    };
    return doc_md_parse(src, len, &parser, &r.copy) == 0 && !out->oom;
}

/* ==== An HTML body ======================================================== */

/* Its text (as indexed), one paragraph per line. */
static void text_paragraphs(const char *s, struct dbuf *out)
{
    while (*s) {
        size_t n = strcspn(s, "\n");
        if (n) {
            put(out, "<p class=\"plain\">");
            put_escaped(out, s, n);
            put(out, "</p>");
        }
        s += n + (s[n] == '\n');
    }
}

enum vb_status vb_document_display_html(const struct vb_document *doc,
                                        char **html, struct vb_error *err)
{
    *html = NULL;
    struct dbuf out = {0};
    bool ok = true;
    if (doc->body_format == VB_DOCUMENT_BODY_HTML)
        text_paragraphs(doc->body_text, &out);
    else
        ok = markdown_html(doc->body_source, strlen(doc->body_source), &out);
    if (ok && !out.oom)
        *html = out.data ? dbuf_take(&out) : doc_copy_bytes("", 0);
    dbuf_cleanup(&out);
    if (!*html)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    return VB_OK;
}
