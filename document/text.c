/* text.c — the plain text of a body: Markdown through md4c, HTML through
 * libxml2's HTML parser.  The output separates blocks with newlines and
 * table cells with tabs so that no two words of the source ever glue
 * together, and keeps every word a reader sees (link text, image alt text,
 * code) while dropping what a reader does not (URLs, tags, scripts). */
#include "document_int.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <limits.h>
#include <md4c.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ==== Growable buffer =================================================== */

static bool dbuf_reserve(struct dbuf *b, size_t extra)
{
    if (b->oom)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *data = realloc(b->data, cap);
    if (!data) {
        b->oom = true;
        return false;
    }
    b->data = data;
    b->cap = cap;
    return true;
}

void dbuf_append(struct dbuf *b, const char *s, size_t n)
{
    if (!dbuf_reserve(b, n))
        return;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void dbuf_putc(struct dbuf *b, char c)
{
    dbuf_append(b, &c, 1);
}

void dbuf_put_cp(struct dbuf *b, unsigned long cp)
{
    char u[4];
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        u[0] = (char)cp;
        dbuf_append(b, u, 1);
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        dbuf_append(b, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        dbuf_append(b, u, 3);
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        dbuf_append(b, u, 4);
    }
}

char *dbuf_take(struct dbuf *b)
{
    char *data = b->data;
    if (!data && !b->oom)
        data = calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return data;
}

void dbuf_cleanup(struct dbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

static bool last_is_space(const struct dbuf *b)
{
    if (b->len == 0)
        return true;
    char c = b->data[b->len - 1];
    return c == ' ' || c == '\n' || c == '\t';
}

/* Ends the current block: at most one newline, never at the start. */
static void block_break(struct dbuf *b)
{
    while (b->len &&
           (b->data[b->len - 1] == ' ' || b->data[b->len - 1] == '\t'))
        b->data[--b->len] = '\0';
    if (b->len && b->data[b->len - 1] != '\n')
        dbuf_putc(b, '\n');
}

static void cell_break(struct dbuf *b)
{
    if (!last_is_space(b))
        dbuf_putc(b, '\t');
}

/* Drops trailing whitespace, and replaces any invalid UTF-8 (which a
 * library could produce from odd input) with U+FFFD. */
static bool finish(struct dbuf *b, size_t start)
{
    while (b->len > start && strchr(" \t\n", b->data[b->len - 1]))
        b->data[--b->len] = '\0';
    size_t bad;
    if (!b->oom && b->len > start &&
        !doc_utf8_valid(b->data + start, b->len - start, &bad)) {
        struct dbuf fixed = {0};
        const char *s = b->data + start;
        size_t n = b->len - start, i = 0;
        while (i < n) {
            if (doc_utf8_valid(s + i, n - i, &bad)) {
                dbuf_append(&fixed, s + i, n - i);
                break;
            }
            dbuf_append(&fixed, s + i, bad);
            dbuf_put_cp(&fixed, 0xFFFD);
            i += bad + 1;
            while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
                i++;
        }
        b->len = start;
        if (fixed.data)
            dbuf_append(b, fixed.data, fixed.len);
        b->oom |= fixed.oom;
        dbuf_cleanup(&fixed);
    }
    return !b->oom;
}

/* ==== HTML ============================================================== */

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
    xmlInitParser();
}

/* A space separates the words around a form control or an image; a
 * block starts a new line. */
enum html_role { HTML_INLINE, HTML_SPACE, HTML_BLOCK, HTML_CELL, HTML_SKIP };

static enum html_role html_role(const char *name)
{
    static const char *const skip[] = {"script", "style", "template", "head",
                                       "object", "embed", "iframe"};
    static const char *const cells[] = {"td", "th"};
    static const char *const spaces[] = {"img", "input", "button", "select",
                                         "textarea"};
    static const char *const blocks[] = {
        "address", "article", "aside",    "blockquote", "body",   "br",
        "caption", "center",  "dd",       "details",    "dialog", "div",
        "dl",      "dt",      "fieldset", "figcaption", "figure", "footer",
        "form",    "h1",      "h2",       "h3",         "h4",     "h5",
        "h6",      "header",  "hr",       "html",       "legend", "li",
        "main",    "menu",    "nav",      "ol",         "option", "p",
        "pre",     "section", "summary",  "table",      "tbody",  "tfoot",
        "thead",   "tr",      "ul"};
    for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
        if (!strcasecmp(name, skip[i]))
            return HTML_SKIP;
    for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++)
        if (!strcasecmp(name, cells[i]))
            return HTML_CELL;
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
        if (!strcasecmp(name, blocks[i]))
            return HTML_BLOCK;
    for (size_t i = 0; i < sizeof spaces / sizeof spaces[0]; i++)
        if (!strcasecmp(name, spaces[i]))
            return HTML_SPACE;
    return HTML_INLINE;
}

struct html_walk {
    struct dbuf *out;
    int pre; /* inside <pre>: keep whitespace */
};

/* Appends text, folding whitespace runs (incl. no-break spaces) to one
 * space outside <pre>. */
static void html_text(struct html_walk *w, const char *s)
{
    if (w->pre) {
        dbuf_append(w->out, s, strlen(s));
        return;
    }
    while (*s) {
        size_t n = 0;
        bool white = false;
        while (s[n]) {
            unsigned char c = (unsigned char)s[n];
            if (c == ' ' || (c >= '\t' && c <= '\r')) {
                white = true;
                n++;
            } else if (c == 0xC2 && (unsigned char)s[n + 1] == 0xA0) {
                white = true;
                n += 2;
            } else {
                break;
            }
        }
        if (white) {
            if (!last_is_space(w->out))
                dbuf_putc(w->out, ' ');
            s += n;
            continue;
        }
        while (s[n] && !(s[n] == ' ' || (s[n] >= '\t' && s[n] <= '\r') ||
                         ((unsigned char)s[n] == 0xC2 &&
                          (unsigned char)s[n + 1] == 0xA0)))
            n++;
        dbuf_append(w->out, s, n);
        s += n;
    }
}

static bool html_enter(struct html_walk *w, xmlNode *node)
{
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
        if (node->content)
            html_text(w, (const char *)node->content);
        return false;
    }
    if (node->type != XML_ELEMENT_NODE)
        return false;
    const char *name = (const char *)node->name;
    switch (html_role(name)) {
    case HTML_SKIP: return false;
    case HTML_CELL: cell_break(w->out); break;
    case HTML_BLOCK: block_break(w->out); break;
    case HTML_SPACE:
        if (!last_is_space(w->out))
            dbuf_putc(w->out, ' ');
        break;
    case HTML_INLINE: break;
    }
    if (!strcasecmp(name, "pre"))
        w->pre++;
    return true;
}

static void html_leave(struct html_walk *w, xmlNode *node)
{
    if (node->type != XML_ELEMENT_NODE)
        return;
    const char *name = (const char *)node->name;
    enum html_role role = html_role(name);
    if (role == HTML_BLOCK)
        block_break(w->out);
    else if (role == HTML_SPACE && !last_is_space(w->out))
        dbuf_putc(w->out, ' ');
    else if (role == HTML_CELL)
        cell_break(w->out);
    if (!strcasecmp(name, "pre") && w->pre > 0)
        w->pre--;
}

bool doc_html_to_text(const char *src, size_t len, struct dbuf *out)
{
    size_t start = out->len;
    if (len == 0 || len > INT_MAX)
        return finish(out, start);
    pthread_once(&xml_once, xml_init);
    htmlDocPtr html =
        htmlReadMemory(src, (int)len, NULL, "UTF-8",
                       HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                           HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED);
    if (!html) /* only for empty input (or no memory: then the text is lost) */
        return finish(out, start);
    struct html_walk w = {.out = out};
    /* Iterative walk: nesting depth in the input never grows the stack. */
    xmlNode *cur = html->children;
    while (cur) {
        bool descend = html_enter(&w, cur);
        if (descend && cur->children) {
            cur = cur->children;
            continue;
        }
        for (;;) {
            html_leave(&w, cur);
            if (cur->next) {
                cur = cur->next;
                break;
            }
            cur = cur->parent;
            if (!cur || cur == (xmlNode *)html) {
                cur = NULL;
                break;
            }
        }
    }
    xmlFreeDoc(html);
    return finish(out, start);
}

/* ==== Markdown ========================================================== */

struct md_walk {
    struct doc_md_copy copy; /* first: md4c's userdata points here too */
    struct dbuf *out;
    bool in_html_block;
    struct dbuf html; /* an HTML block's source, converted when it ends */
};

static int md_enter_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
    (void)detail;
    struct md_walk *w = userdata;
    switch (type) {
    case MD_BLOCK_DOC: break;
    case MD_BLOCK_HTML:
        block_break(w->out);
        w->in_html_block = true;
        w->html.len = 0;
        break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD: cell_break(w->out); break;
    default: block_break(w->out); break;
    }
    return w->out->oom ? -1 : 0;
}

static int md_leave_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
    (void)detail;
    struct md_walk *w = userdata;
    switch (type) {
    case MD_BLOCK_DOC: break;
    case MD_BLOCK_HTML:
        w->in_html_block = false;
        if (w->html.oom || !doc_html_to_text(w->html.data ? w->html.data : "",
                                             w->html.len, w->out))
            return -1;
        block_break(w->out);
        break;
    case MD_BLOCK_TH:
    case MD_BLOCK_TD: cell_break(w->out); break;
    default: block_break(w->out); break;
    }
    return w->out->oom ? -1 : 0;
}

static int md_span(MD_SPANTYPE type, void *detail, void *userdata)
{
    (void)type;
    (void)detail;
    (void)userdata;
    return 0;
}

/* Does an inline HTML tag ("<br/>", "</p>") separate words? */
static bool tag_separates(const char *s, size_t n)
{
    char name[16];
    size_t i = 1, k = 0;
    if (i < n && s[i] == '/')
        i++;
    while (i < n && k + 1 < sizeof name &&
           ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
            (s[i] >= '0' && s[i] <= '9')))
        name[k++] = s[i++];
    name[k] = '\0';
    return k > 0 && html_role(name) != HTML_INLINE;
}

void doc_md_entity(struct dbuf *out, const char *s, size_t n)
{
    /* md4c hands over "&name;", "&#123;" or "&#x1F;". */
    if (n >= 4 && s[1] == '#') {
        bool hex = s[2] == 'x' || s[2] == 'X';
        unsigned long cp = 0;
        for (size_t i = hex ? 3 : 2; i + 1 < n; i++) {
            int d = s[i] >= '0' && s[i] <= '9'   ? s[i] - '0'
                    : s[i] >= 'a' && s[i] <= 'f' ? s[i] - 'a' + 10
                    : s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 10
                                                 : -1;
            if (d < 0 || (!hex && d > 9))
                break;
            cp = cp * (hex ? 16 : 10) + (unsigned long)d;
            if (cp > 0x10FFFF)
                cp = 0x110000; /* stays invalid, never overflows */
        }
        dbuf_put_cp(out, cp);
        return;
    }
    char name[64];
    if (n >= 3 && n - 2 < sizeof name) {
        memcpy(name, s + 1, n - 2);
        name[n - 2] = '\0';
        pthread_once(&xml_once, xml_init);
        const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
        if (e) {
            if (e->value == 0xA0)
                dbuf_putc(out, ' ');
            else
                dbuf_put_cp(out, e->value);
            return;
        }
    }
    dbuf_append(out, s, n); /* unknown: shown as written, so keep it */
}

static int md_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size,
                   void *userdata)
{
    struct md_walk *w = userdata;
    if (!doc_md_visible(&w->copy, text, &size))
        return 0;
    if (w->in_html_block) {
        dbuf_append(&w->html, text, size);
        return w->html.oom ? -1 : 0;
    }
    switch (type) {
    case MD_TEXT_NULLCHAR: dbuf_put_cp(w->out, 0xFFFD); break;
    case MD_TEXT_BR: block_break(w->out); break;
    case MD_TEXT_SOFTBR:
        if (!last_is_space(w->out))
            dbuf_putc(w->out, ' ');
        break;
    case MD_TEXT_ENTITY: doc_md_entity(w->out, text, size); break;
    case MD_TEXT_HTML:
        if (tag_separates(text, size) && !last_is_space(w->out))
            dbuf_putc(w->out, ' ');
        break;
    case MD_TEXT_NORMAL:
    case MD_TEXT_CODE:
    case MD_TEXT_LATEXMATH:
    default: dbuf_append(w->out, text, size); break;
    }
    return w->out->oom ? -1 : 0;
}

/* md4c 0.4.8 compares the end of an HTML block ("</script>", "</style>",
 * "</pre>", "</textarea>") without checking that the text is that long:
 * a body ending in "</script" read up to ten bytes past its end (found
 * by fuzz/fuzz_markdown; a crash where the body ends a mapped file).  So
 * md4c parses a copy followed by this many zero bytes. */
#define MD4C_OVERREAD_PAD 16

int doc_md_parse(const char *src, size_t len, const MD_PARSER *parser,
                 struct doc_md_copy *copy)
{
    char *padded = len <= UINT_MAX - MD4C_OVERREAD_PAD
                       ? malloc(len + MD4C_OVERREAD_PAD)
                       : NULL;
    if (!padded)
        return -1;
    memcpy(padded, src, len);
    memset(padded + len, 0, MD4C_OVERREAD_PAD);
    copy->end = padded + len;
    copy->padded_end = copy->end + MD4C_OVERREAD_PAD;
    int rc = md_parse(padded, (MD_SIZE)len, parser, copy);
    free(padded);
    copy->end = copy->padded_end = NULL;
    return rc;
}

bool doc_markdown_to_text(const char *text, size_t len, struct dbuf *out)
{
    size_t start = out->len;
    struct md_walk w = {.out = out};
    MD_PARSER parser = {
        .abi_version = 0,
        .flags = MD_DIALECT_GITHUB,
        .enter_block = md_enter_block,
        .leave_block = md_leave_block,
        .enter_span = md_span,
        .leave_span = md_span,
        .text = md_text,
    };
    int rc = doc_md_parse(text, len, &parser, &w.copy);
    bool html_oom = w.html.oom;
    dbuf_cleanup(&w.html);
    if (rc != 0 || html_oom || out->oom) {
        /* md4c fails only when memory runs out (our callbacks fail only
         * then too). */
        out->oom = true;
        return false;
    }
    return finish(out, start);
}
