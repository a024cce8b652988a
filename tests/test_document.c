/* Corpus documents (Contract 1): parsing, validation with path:line
 * messages, plain text of Markdown and HTML bodies, hostile inputs. */
#define _DEFAULT_SOURCE /* mkdtemp, d_type */
#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "vb_document.h"

/* ==== Helpers =========================================================== */

#define MAX_DOCS 8
#define MAX_PROBLEMS 64

/* Everything the readers reported. */
struct collect {
    struct vb_document *docs[MAX_DOCS];
    size_t ndocs;    /* documents seen (only the first MAX_DOCS kept) */
    size_t rejected; /* callbacks with doc == NULL */
    size_t calls;
    struct vb_error problems[MAX_PROBLEMS];
    size_t nproblems;
    size_t bad_counts; /* callbacks that broke the contract */
};

static int collect_fn(void *ctx, struct vb_document *doc,
                      const struct vb_error *problems, size_t count)
{
    struct collect *c = ctx;
    c->calls++;
    if (doc) {
        if (problems || count)
            c->bad_counts++;
        if (c->ndocs < MAX_DOCS)
            c->docs[c->ndocs] = doc;
        else
            vb_document_free(doc);
        c->ndocs++;
        return 0;
    }
    if (!problems || count == 0 || count > VB_DOC_PROBLEMS_MAX)
        c->bad_counts++;
    c->rejected++;
    for (size_t i = 0; i < count && c->nproblems < MAX_PROBLEMS; i++)
        c->problems[c->nproblems++] = problems[i];
    return 0;
}

static void collect_free(struct collect *c)
{
    for (size_t i = 0; i < c->ndocs && i < MAX_DOCS; i++)
        vb_document_free(c->docs[i]);
    memset(c, 0, sizeof *c);
}

static struct collect read_md(const char *text)
{
    struct collect c = {0};
    struct vb_error err = {0};
    ck_assert_int_eq(vb_document_read_markdown("kb/test.md", text, strlen(text),
                                               collect_fn, &c, &err),
                     VB_OK);
    ck_assert_uint_eq(c.calls, 1);
    ck_assert_uint_eq(c.bad_counts, 0);
    return c;
}

static struct collect read_jsonl(const char *text, size_t len)
{
    struct collect c = {0};
    struct vb_error err = {0};
    ck_assert_int_eq(
        vb_document_read_jsonl("export.jsonl", text, len, collect_fn, &c, &err),
        VB_OK);
    ck_assert_uint_eq(c.bad_counts, 0);
    return c;
}

/* The problem that starts with `prefix` and contains `needle`, or NULL. */
static const struct vb_error *
find_problem(const struct collect *c, const char *prefix, const char *needle)
{
    for (size_t i = 0; i < c->nproblems; i++)
        if (strncmp(c->problems[i].msg, prefix, strlen(prefix)) == 0 &&
            strstr(c->problems[i].msg, needle))
            return &c->problems[i];
    return NULL;
}

static void dump(const struct collect *c)
{
    for (size_t i = 0; i < c->nproblems; i++)
        fprintf(stderr, "  problem: %s\n", c->problems[i].msg);
}

/* The Markdown document is rejected with a problem "prefix...needle...". */
static void expect_md_problem(const char *text, const char *prefix,
                              const char *needle, enum vb_status code)
{
    struct collect c = read_md(text);
    if (c.ndocs != 0 || !find_problem(&c, prefix, needle))
        dump(&c);
    ck_assert_uint_eq(c.ndocs, 0);
    const struct vb_error *e = find_problem(&c, prefix, needle);
    ck_assert_msg(e != NULL, "no problem '%s...%s'", prefix, needle);
    ck_assert_int_eq(e->code, code);
    collect_free(&c);
}

static void expect_jsonl_problem(const char *line, const char *prefix,
                                 const char *needle, enum vb_status code)
{
    struct collect c = read_jsonl(line, strlen(line));
    if (c.ndocs != 0 || !find_problem(&c, prefix, needle))
        dump(&c);
    ck_assert_uint_eq(c.ndocs, 0);
    ck_assert_uint_eq(c.rejected, 1);
    const struct vb_error *e = find_problem(&c, prefix, needle);
    ck_assert_msg(e != NULL, "no problem '%s...%s'", prefix, needle);
    ck_assert_int_eq(e->code, code);
    collect_free(&c);
}

/* A product front matter with `extra` lines appended before the end. */
static char *product_md(const char *extra, const char *body)
{
    static char buf[8192];
    snprintf(buf, sizeof buf,
             "---\nid: prod-x\ntype: product\ntitle: Product X\n%s---\n%s",
             extra, body);
    return buf;
}

static char *history_md(const char *extra)
{
    static char buf[8192];
    snprintf(buf, sizeof buf,
             "---\nid: hist-1\ntype: history\ntitle: Call\n%s---\nbody\n",
             extra);
    return buf;
}

/* ==== Valid documents =================================================== */

START_TEST(test_document_markdown_product)
{
    struct collect c =
        read_md("---\n"
                "id: prod-fiber-500-nl        # a comment\n"
                "type: product\n"
                "lang: nl\n"
                "title: \"Fiber 500: snel internet\"\n"
                "group: prod-fiber-500\n"
                "tags: [glasvezel, internet]\n"
                "products:\n"
                "  - FIBER-500\n"
                "  - TV-BASIS\n"
                "updated: 2026-03-14\n"
                "---\n"
                "# Fiber 500\n\nSnel **internet** voor het hele gezin.\n");
    dump(&c);
    ck_assert_uint_eq(c.ndocs, 1);
    struct vb_document *d = c.docs[0];
    ck_assert_str_eq(d->id, "prod-fiber-500-nl");
    ck_assert_str_eq(d->type, "product");
    ck_assert_str_eq(d->lang, "nl");
    ck_assert_str_eq(d->title, "Fiber 500: snel internet");
    ck_assert_str_eq(d->group, "prod-fiber-500");
    ck_assert_uint_eq(d->tag_count, 2);
    ck_assert_str_eq(d->tags[0], "glasvezel");
    ck_assert_str_eq(d->tags[1], "internet");
    ck_assert_uint_eq(d->product_count, 2);
    ck_assert_str_eq(d->products[1], "TV-BASIS");
    ck_assert_str_eq(d->updated, "2026-03-14");
    ck_assert_str_eq(d->customer, "");
    ck_assert_str_eq(d->channel, "");
    ck_assert_str_eq(d->date, "");
    ck_assert_str_eq(d->body_text,
                     "Fiber 500\nSnel internet voor het hele gezin.");
    ck_assert_str_eq(d->body_source,
                     "# Fiber 500\n\nSnel **internet** voor het hele gezin.\n");
    ck_assert_int_eq(d->body_format, VB_DOCUMENT_BODY_MARKDOWN);
    ck_assert_str_eq(d->source_path, "kb/test.md");
    ck_assert_uint_eq(d->source_line, 2);
    collect_free(&c);
}
END_TEST

/* The client a document belongs to: [a-z0-9-]{1,64}, on articles and
 * history alike; none: shared by every client. */
START_TEST(test_document_tenant)
{
    struct collect c = read_md("---\nid: acme-1\ntype: procedure\nlang: nl\n"
                               "title: X\ntenant: acme-be\n---\nTekst.\n");
    ck_assert_uint_eq(c.ndocs, 1);
    ck_assert_str_eq(c.docs[0]->tenant, "acme-be");
    collect_free(&c);
    c = read_md("---\nid: shared-1\ntype: procedure\ntitle: Y\n---\nT.\n");
    ck_assert_str_eq(c.docs[0]->tenant, "");
    collect_free(&c);
    static const char *const bad[] = {"Acme", "acme_be", "acme be",
                                      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char text[512];
        snprintf(text, sizeof text,
                 "---\nid: t-1\ntype: procedure\ntitle: Z\ntenant: %s\n---\nT.\n",
                 bad[i]);
        c = read_md(text);
        ck_assert_uint_eq(c.ndocs, 0);
        ck_assert_msg(c.nproblems == 1 && strstr(c.problems[0].msg, ":5: 'tenant'") &&
                          strstr(c.problems[0].msg, "[a-z0-9-]{1,64}"),
                      "%s: %s", bad[i], c.nproblems ? c.problems[0].msg : "");
        collect_free(&c);
    }
    ck_assert(vb_document_tenant_ok("acme", 4));
    ck_assert(!vb_document_tenant_ok("", 0));
    ck_assert(!vb_document_tenant_ok("_", 1));
}
END_TEST

/* How an article looks (display.c): the allowed elements only, raw HTML
 * and unsafe links as text, headings from h3 without a skipped level,
 * alignment as data-align; an HTML body as its text by line. */
static char *display(const char *text)
{
    struct vb_document *doc = NULL;
    struct vb_error err = {0};
    ck_assert_msg(vb_document_parse_markdown("kb/d.md", text, strlen(text),
                                             &doc, &err) == VB_OK,
                  "%s", err.msg);
    char *html = NULL;
    ck_assert_int_eq(vb_document_display_html(doc, &html, &err), VB_OK);
    vb_document_free(doc);
    return html;
}

START_TEST(test_document_display_html)
{
    char *html = display(
        "---\nid: d\ntype: procedure\ntitle: T\n---\n"
        "# Kop\n\nTekst <img src=x onerror=alert(1)> en <script>x</script>.\n\n"
        "<div onclick=\"alert(3)\">blok</div>\n\n"
        "[veilig](https://a.example/?b=1&c=2) [mail](mailto:k@a.example) "
        "[js](javascript:alert(4)) [JS](JavaScript:alert(4)) [rel](/r) "
        "[x](<javascript:alert(5)>) [sp](https://a.example/\"onmouseover=x)\n\n"
        "- **vet** en *schuin* en `code <b>`\n- tweede\n  1. genest\n\n"
        "3. drie\n\n"
        "> citaat\n\n| a | b |\n|---|:-:|\n| 1 | <i>2</i> |\n\n"
        "```\n<script>alert(6)</script>\n```\n\n"
        "#### Diep &amp; ![alt *tekst*](https://x.example/i.png) &#x41;\n");
    ck_assert_str_eq(
        html,
        "<h3>Kop</h3><p>Tekst &lt;img src=x onerror=alert(1)&gt; en "
        "&lt;script&gt;x&lt;/script&gt;.</p>"
        "<p>&lt;div onclick=&quot;alert(3)&quot;&gt;blok&lt;/div&gt;</p>"
        "<p><a href=\"https://a.example/?b=1&amp;c=2\" target=\"_blank\" "
        "rel=\"noopener noreferrer\">veilig</a> <a href=\"mailto:k@a.example\" "
        "target=\"_blank\" rel=\"noopener noreferrer\">mail</a> js JS rel x "
        "<a href=\"https://a.example/&quot;onmouseover=x\" target=\"_blank\" "
        "rel=\"noopener noreferrer\">sp</a></p>"
        "<ul><li><strong>vet</strong> en <em>schuin</em> en "
        "<code>code &lt;b&gt;</code></li><li>tweede<ol><li>genest</li></ol>"
        "</li></ul><ol start=\"3\"><li>drie</li></ol>"
        "<blockquote><p>citaat</p></blockquote>"
        "<table><thead><tr><th scope=\"col\">a</th><th scope=\"col\" "
        "data-align=\"center\">b</th></tr></thead><tbody><tr><td>1</td>"
        "<td data-align=\"center\">&lt;i&gt;2&lt;/i&gt;</td></tr></tbody>"
        "</table><pre><code>&lt;script&gt;alert(6)&lt;/script&gt;</code>"
        "</pre><h4>Diep &amp; alt tekst A</h4>");
    free(html);

    /* A level-1 heading after a level-3 one stays h3; "######" is h6
     * only after h4 and h5. */
    html = display("---\nid: d\ntype: procedure\ntitle: T\n---\n"
                   "### Een\n\n# Twee\n\n###### Drie\n");
    ck_assert_str_eq(html, "<h3>Een</h3><h3>Twee</h3><h4>Drie</h4>");
    free(html);

    struct vb_document *doc = NULL;
    struct vb_error err = {0};
    const char *mail = "{\"id\":\"m\",\"type\":\"procedure\",\"title\":\"M\","
                       "\"body_html\":\"<p>Beste klant,</p><p>Zie <img "
                       "src=x onerror=alert(7)> &quot;hier&quot;<script>"
                       "alert(8)</script> &amp; &lt;b&gt;</p><style>*{}"
                       "</style>\"}";
    ck_assert_int_eq(
        vb_document_parse_json("api", 1, mail, strlen(mail), &doc, &err),
        VB_OK);
    ck_assert_int_eq(vb_document_display_html(doc, &html, &err), VB_OK);
    ck_assert_str_eq(html, "<p class=\"plain\">Beste klant,</p>"
                           "<p class=\"plain\">Zie &quot;hier&quot; &amp; "
                           "&lt;b&gt;</p>");
    free(html);
    vb_document_free(doc);
}
END_TEST

/* The one rule per kind of name, at its limits (document/names.c). */
START_TEST(test_document_name_rules)
{
    char long_name[VB_DOC_ID_MAX + 2];
    memset(long_name, 'a', sizeof long_name);
    ck_assert(vb_document_id_ok(long_name, VB_DOC_ID_MAX));
    ck_assert(!vb_document_id_ok(long_name, VB_DOC_ID_MAX + 1));
    ck_assert(vb_document_customer_ok(long_name, VB_DOC_CUSTOMER_MAX));
    ck_assert(!vb_document_customer_ok(long_name, VB_DOC_CUSTOMER_MAX + 1));
    ck_assert(vb_document_type_ok(long_name, VB_DOC_TYPE_MAX));
    ck_assert(!vb_document_type_ok(long_name, VB_DOC_TYPE_MAX + 1));
    ck_assert(vb_document_tenant_ok(long_name, VB_DOC_TENANT_MAX));
    ck_assert(!vb_document_tenant_ok(long_name, VB_DOC_TENANT_MAX + 1));

    ck_assert(vb_document_id_ok("Proc-1_a.b", 10));
    ck_assert(vb_document_customer_ok("C000123", 7));
    ck_assert(!vb_document_id_ok("a b", 3));
    ck_assert(!vb_document_id_ok("a/b", 3));
    ck_assert(!vb_document_id_ok("a\0b", 3));
    ck_assert(!vb_document_id_ok("", 0));
    ck_assert(!vb_document_id_ok(NULL, 0));
    ck_assert(!vb_document_customer_ok("C 1", 3));
    ck_assert(vb_document_type_ok("product", 7));
    ck_assert(vb_document_type_ok("faq_2-b", 7));
    ck_assert(!vb_document_type_ok("Product", 7));
    ck_assert(!vb_document_type_ok("2faq", 4));
    ck_assert(!vb_document_type_ok("-faq", 4));
    ck_assert(!vb_document_type_ok("fa.q", 4));
    ck_assert(!vb_document_tenant_ok("Acme", 4));
    ck_assert(!vb_document_tenant_ok("ac_me", 5));
}
END_TEST

/* The editors' fields: who keeps an article right, until when; not on
 * history, and dates must be dates. */
START_TEST(test_document_editor_fields)
{
    struct collect c =
        read_md("---\n"
                "id: proc-x-nl\ntype: procedure\nlang: nl\ntitle: X\n"
                "owner: team-billing\nreview_by: 2026-09-14\n"
                "valid_until: 2026-12-31T23:00:00+01:00\n"
                "---\nTekst.\n");
    ck_assert_uint_eq(c.ndocs, 1);
    ck_assert_str_eq(c.docs[0]->owner, "team-billing");
    ck_assert_str_eq(c.docs[0]->review_by, "2026-09-14");
    ck_assert_str_eq(c.docs[0]->valid_until, "2026-12-31T23:00:00+01:00");
    collect_free(&c);

    c = read_md("---\nid: proc-y-nl\ntype: procedure\ntitle: Y\n---\nT.\n");
    ck_assert_uint_eq(c.ndocs, 1);
    ck_assert_str_eq(c.docs[0]->owner, "");
    ck_assert_str_eq(c.docs[0]->review_by, "");
    ck_assert_str_eq(c.docs[0]->valid_until, "");
    collect_free(&c);

    static const struct {
        const char *lines, *problem;
    } bad[] = {
        {"review_by: next week\n", "'review_by'"},
        {"valid_until: 2026-13-01\n", "'valid_until'"},
        {"owner: team billing\n", "'owner'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char text[512];
        snprintf(text, sizeof text,
                 "---\nid: proc-z-nl\ntype: procedure\ntitle: Z\n%s---\nT.\n",
                 bad[i].lines);
        c = read_md(text);
        ck_assert_uint_eq(c.ndocs, 0);
        ck_assert_msg(c.nproblems >= 1 && strstr(c.problems[0].msg, bad[i].problem),
                      "%s: %s", bad[i].lines, c.nproblems ? c.problems[0].msg : "");
        collect_free(&c);
    }
    c = read_md("---\nid: hist-1\ntype: history\ntitle: H\ncustomer: C1\n"
                "date: 2026-01-01\nowner: team-a\n---\nT.\n");
    ck_assert_uint_eq(c.ndocs, 0);
    ck_assert(strstr(c.problems[0].msg, "'owner' is for articles"));
    collect_free(&c);
}
END_TEST

START_TEST(test_document_markdown_procedure_without_lang)
{
    /* lang absent: empty (the indexer detects it); CRLF and a BOM work;
     * a single string is a one-element list; case of type/lang folded. */
    struct collect c =
        read_md("\xEF\xBB\xBF---\r\nid: proc-a\r\ntype: Procedure\r\n"
                "title:   Een   factuur\tbetalen \r\ntags: facturen\r\n"
                "---\r\nBetaal de factuur.\r\n");
    dump(&c);
    ck_assert_uint_eq(c.ndocs, 1);
    ck_assert_str_eq(c.docs[0]->lang, "");
    ck_assert_str_eq(c.docs[0]->type, "procedure");
    ck_assert_str_eq(c.docs[0]->title, "Een factuur betalen");
    ck_assert_uint_eq(c.docs[0]->tag_count, 1);
    ck_assert_str_eq(c.docs[0]->tags[0], "facturen");
    ck_assert_str_eq(c.docs[0]->body_text, "Betaal de factuur.");
    collect_free(&c);
}
END_TEST

START_TEST(test_document_markdown_history_and_other_type)
{
    struct collect c = read_md(history_md("customer: C000123\nchannel: Phone\n"
                                          "date: 2026-03-14T10:42:00+01:00\n"));
    dump(&c);
    ck_assert_uint_eq(c.ndocs, 1);
    ck_assert_str_eq(c.docs[0]->customer, "C000123");
    ck_assert_str_eq(c.docs[0]->channel, "phone");
    ck_assert_str_eq(c.docs[0]->date, "2026-03-14T10:42:00+01:00");
    collect_free(&c);

    c = read_md("---\nid: faq.1\ntype: faq\ntitle: Vraag\nlang: EN\n---\n");
    dump(&c);
    ck_assert_uint_eq(c.ndocs, 1);
    ck_assert_str_eq(c.docs[0]->type, "faq");
    ck_assert_str_eq(c.docs[0]->lang, "en");
    ck_assert_str_eq(c.docs[0]->body_text, "");
    collect_free(&c);
}
END_TEST

START_TEST(test_document_jsonl_each_type)
{
    const char *text =
        "{\"id\":\"prod-1\",\"type\":\"product\",\"title\":\"P\",\"tags\":["
        "\"a\",\"b\",\"a\"],"
        "\"body\":\"Een **vet** woord\"}\n"
        "\n"
        "{\"id\":\"proc-1\",\"type\":\"procedure\",\"lang\":\"fr\",\"title\":"
        "\"Q\","
        "\"group\":null,\"updated\":\"2026-01-31T23:59:59.123Z\"}\r\n"
        "{\"id\":\"hist-1\",\"type\":\"history\",\"title\":\"H\",\"customer\":"
        "\"C1\","
        "\"channel\":\"email\",\"date\":\"2024-02-29\",\"body_html\":\"<p>Caf&"
        "eacute;</p>\"}";
    struct collect c = read_jsonl(text, strlen(text));
    dump(&c);
    ck_assert_uint_eq(c.ndocs, 3);
    ck_assert_uint_eq(c.rejected, 0);
    ck_assert_str_eq(c.docs[0]->id, "prod-1");
    ck_assert_uint_eq(c.docs[0]->source_line, 1);
    ck_assert_uint_eq(c.docs[0]->tag_count, 2); /* duplicate dropped */
    ck_assert_str_eq(c.docs[0]->body_text, "Een vet woord");
    ck_assert_str_eq(c.docs[1]->lang, "fr");
    ck_assert_str_eq(c.docs[1]->group, "");
    ck_assert_uint_eq(c.docs[1]->source_line, 3);
    ck_assert_str_eq(c.docs[2]->body_text, "Café");
    ck_assert_str_eq(c.docs[2]->body_source, "<p>Caf&eacute;</p>");
    ck_assert_int_eq(c.docs[2]->body_format, VB_DOCUMENT_BODY_HTML);
    ck_assert_uint_eq(c.docs[2]->source_line, 4);
    ck_assert_str_eq(c.docs[2]->source_path, "export.jsonl");
    collect_free(&c);
}
END_TEST

START_TEST(test_document_json_single_object)
{
    const char *body = "{\n  \"id\": \"x\",\n  \"type\": \"product\",\n  "
                       "\"title\": \"T\"\n}\n";
    struct vb_document *doc = NULL;
    struct vb_error err = {0};
    ck_assert_int_eq(vb_document_parse_json("request body", 1, body,
                                            strlen(body), &doc, &err),
                     VB_OK);
    ck_assert_str_eq(doc->id, "x");
    vb_document_free(doc);

    const char *bad = "{\"id\": \"x\", \"type\": \"product\"}";
    ck_assert_int_eq(
        vb_document_parse_json("request body", 1, bad, strlen(bad), &doc, &err),
        VB_EINVAL);
    ck_assert_ptr_null(doc);
    ck_assert_str_eq(err.msg, "request body:1: missing required field 'title'");

    const char *broken = "{\n  \"id\": \"x\",\n  \"type\": product\n}";
    ck_assert_int_eq(vb_document_parse_json("request body", 1, broken,
                                            strlen(broken), &doc, &err),
                     VB_EINVAL);
    ck_assert_msg(strncmp(err.msg,
                          "request body:3: invalid JSON at line 3, column",
                          46) == 0,
                  "%s", err.msg);

    /* Several problems: the first, and how many more. */
    const char *many = "{\"titel\": \"x\", \"lang\": \"de\"}";
    ck_assert_int_eq(vb_document_parse_json("request body", 1, many,
                                            strlen(many), &doc, &err),
                     VB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "more problems)"));
}
END_TEST

START_TEST(test_document_corpus_is_valid)
{
    /* The sample corpus shipped with the project passes every rule. */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", __FILE__);
    char *slash = strrchr(dir, '/');
    if (!slash)
        return; /* relative __FILE__: nothing to find */
    *slash = '\0';
    static const char *const subdirs[] = {"procedures", "products", "history"};
    size_t files = 0;
    struct collect c = {0};
    for (size_t s = 0; s < 3; s++) {
        char path[4300];
        snprintf(path, sizeof path, "%s/../corpus/%s", dir, subdirs[s]);
        DIR *d = opendir(path);
        if (!d)
            continue;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            char file[4600];
            snprintf(file, sizeof file, "%s/%s", path, e->d_name);
            struct vb_error err = {0};
            ck_assert_int_eq(vb_document_read_file(file, collect_fn, &c, &err),
                             VB_OK);
            files++;
        }
        closedir(d);
    }
    dump(&c);
    ck_assert_uint_eq(c.rejected, 0);
    ck_assert_uint_eq(c.bad_counts, 0);
    if (files)
        ck_assert_uint_gt(c.ndocs, files);
    collect_free(&c);
}
END_TEST

/* ==== One failing case per rule ========================================= */

START_TEST(test_document_requires_id_type_title)
{
    expect_md_problem("---\ntype: product\ntitle: T\n---\n",
                      "kb/test.md:1: ", "missing required field 'id'",
                      VB_EINVAL);
    expect_md_problem("---\nid: a\ntitle: T\n---\n",
                      "kb/test.md:1: ", "missing required field 'type'",
                      VB_EINVAL);
    expect_md_problem("---\nid: a\ntype: product\n---\n",
                      "kb/test.md:1: ", "missing required field 'title'",
                      VB_EINVAL);
    expect_md_problem("---\nid: a\ntype: product\ntitle: \"  \"\n---\n",
                      "kb/test.md:4: ", "'title' is empty", VB_EINVAL);
    expect_md_problem("---\nid: a\ntype: product\ntitle:\n---\n",
                      "kb/test.md:4: ", "'title' is empty", VB_EINVAL);
    expect_jsonl_problem("{\"type\":\"product\",\"title\":\"T\"}",
                         "export.jsonl:1: ", "missing required field 'id'",
                         VB_EINVAL);
}
END_TEST

START_TEST(test_document_id_syntax)
{
    expect_md_problem(
        "---\ntype: product\nid: proc verhuizing\ntitle: T\n---\n",
        "kb/test.md:3: ", "'id' 'proc verhuizing' may only contain", VB_EINVAL);
    char text[512];
    char id[130];
    memset(id, 'a', 129);
    id[129] = '\0';
    snprintf(text, sizeof text, "---\ntype: product\ntitle: T\nid: %s\n---\n",
             id);
    expect_md_problem(text,
                      "kb/test.md:4: ", "'id' is 129 bytes; the limit is 128",
                      VB_ELIMIT);
    id[128] = '\0';
    snprintf(text, sizeof text, "---\ntype: product\ntitle: T\nid: %s\n---\n",
             id);
    struct collect c = read_md(text);
    ck_assert_uint_eq(c.ndocs, 1);
    collect_free(&c);
    expect_jsonl_problem(
        "{\"id\":42,\"type\":\"product\",\"title\":\"T\"}",
        "export.jsonl:1: ", "'id' must be a string, not an integer", VB_EINVAL);
}
END_TEST

START_TEST(test_document_type_syntax)
{
    expect_md_problem(
        "---\nid: a\ntitle: T\ntype: 9lives\n---\n", "kb/test.md:4: ",
        "'type' '9lives' must be product, procedure, history or another",
        VB_EINVAL);
    expect_md_problem("---\nid: a\ntitle: T\ntype: [product]\n---\n",
                      "kb/test.md:4: ",
                      "'type' must be a single value, not a list", VB_EINVAL);
}
END_TEST

START_TEST(test_document_title_limit)
{
    char title[600];
    memset(title, 'x', 513);
    title[513] = '\0';
    char line[800];
    snprintf(line, sizeof line,
             "{\"id\":\"a\",\"type\":\"product\",\"title\":\"%s\"}", title);
    expect_jsonl_problem(line, "export.jsonl:1: ",
                         "'title' is 513 bytes; the limit is 512", VB_ELIMIT);
}
END_TEST

START_TEST(test_document_lang_values)
{
    expect_md_problem(product_md("lang: de\n", ""),
                      "kb/test.md:5: ", "'lang' 'de' must be nl, fr or en",
                      VB_EINVAL);
}
END_TEST

START_TEST(test_document_channel_values)
{
    expect_md_problem(
        history_md("customer: C1\ndate: 2026-01-01\nchannel: fax\n"),
        "kb/test.md:7: ", "'channel' 'fax' must be phone, email, chat",
        VB_EINVAL);
}
END_TEST

START_TEST(test_document_history_needs_customer_and_date)
{
    expect_md_problem(history_md("date: 2026-01-01\n"),
                      "kb/test.md:1: ", "missing required field 'customer'",
                      VB_EINVAL);
    expect_md_problem(history_md("customer: C1\n"),
                      "kb/test.md:1: ", "missing required field 'date'",
                      VB_EINVAL);
    expect_md_problem(history_md("customer: C 1\ndate: 2026-01-01\n"),
                      "kb/test.md:5: ", "'customer' 'C 1' may only contain",
                      VB_EINVAL);
    char text[512];
    char id[70];
    memset(id, '7', 65);
    id[65] = '\0';
    snprintf(text, sizeof text, "customer: %s\ndate: 2026-01-01\n", id);
    expect_md_problem(history_md(text), "kb/test.md:5: ",
                      "'customer' is 65 bytes; the limit is 64", VB_ELIMIT);
}
END_TEST

START_TEST(test_document_history_fields_only_on_history)
{
    expect_md_problem(
        product_md("customer: C000123\n", ""), "kb/test.md:5: ",
        "'customer' is only allowed for type history, not 'product'",
        VB_EINVAL);
    expect_md_problem(product_md("channel: phone\n", ""), "kb/test.md:5: ",
                      "'channel' is only allowed for type history", VB_EINVAL);
    expect_md_problem(product_md("date: 2026-01-01\n", ""), "kb/test.md:5: ",
                      "'date' is only allowed for type history", VB_EINVAL);
}
END_TEST

START_TEST(test_document_dates)
{
    static const struct {
        const char *value, *needle;
    } bad[] = {
        {"2026-02-29", "day 29 is out of range for 2026-02 (01-28)"},
        {"1900-02-29", "day 29 is out of range"},
        {"2026-13-01", "month 13 is out of range"},
        {"2026-00-10", "month 00 is out of range"},
        {"2026-04-31", "day 31 is out of range"},
        {"2026-03-14T24:00:00Z", "hour 24 is out of range"},
        {"2026-03-14T10:60:00Z", "minute 60 is out of range"},
        {"2026-03-14T10:42:60Z", "second 60 is out of range"},
        {"2026-03-14T10:42:00", "needs a time zone"},
        {"2026-03-14T10:42+01:00", "expected YYYY-MM-DD"},
        {"2026-03-14T10:42:00+1:00", "needs a time zone"},
        {"2026-03-14T10:42:00+24:00", "offset +24:00 is out of range"},
        {"14/03/2026", "expected YYYY-MM-DD"},
        {"2026-3-14", "expected YYYY-MM-DD"},
        {"2026-03-14 10:42:00Z", "expected YYYY-MM-DD"},
        {"2026-03-14T10:42:00.Z", "fraction"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char extra[128];
        snprintf(extra, sizeof extra, "customer: C1\ndate: \"%s\"\n",
                 bad[i].value);
        expect_md_problem(history_md(extra), "kb/test.md:6: ", bad[i].needle,
                          VB_EINVAL);
    }
    static const char *const good[] = {"2024-02-29",
                                       "2000-02-29",
                                       "2026-12-31",
                                       "2026-03-14T00:00:00Z",
                                       "2026-03-14T23:59:59-05:30",
                                       "2026-03-14T10:42:00.5+01:00"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char extra[128];
        snprintf(extra, sizeof extra, "customer: C1\ndate: %s\nupdated: %s\n",
                 good[i], good[i]);
        struct collect c = read_md(history_md(extra));
        if (c.ndocs != 1)
            dump(&c);
        ck_assert_uint_eq(c.ndocs, 1);
        collect_free(&c);
    }
    expect_md_problem(product_md("updated: 2026-02-30\n", ""), "kb/test.md:5: ",
                      "'updated' '2026-02-30' is not an ISO 8601 date",
                      VB_EINVAL);
}
END_TEST

START_TEST(test_document_lists)
{
    expect_md_problem(product_md("tags:\n  - a\n  - [b, c]\n", ""),
                      "kb/test.md:7: ",
                      "'tags' entry 2 must be a string, not a list", VB_EINVAL);
    expect_md_problem(product_md("tags: {a: b}\n", ""), "kb/test.md:5: ",
                      "'tags' must be a list of strings, not a mapping",
                      VB_EINVAL);
    expect_md_problem(product_md("products:\n  - A\n  -\n  - B\n", ""),
                      "kb/test.md:7: ", "'products' entry 2 is empty",
                      VB_EINVAL);
    char extra[2048] = "tags: [";
    for (int i = 0; i < 65; i++) {
        char t[16];
        snprintf(t, sizeof t, "%st%d", i ? ", " : "", i);
        strcat(extra, t);
    }
    strcat(extra, "]\n");
    expect_md_problem(product_md(extra, ""), "kb/test.md:5: ",
                      "'tags' has 65 entries; the limit is 64", VB_ELIMIT);
    expect_jsonl_problem(
        "{\"id\":\"a\",\"type\":\"product\",\"title\":\"T\",\"tags\":[1]}",
        "export.jsonl:1: ", "'tags' entry 1 must be a string, not an integer",
        VB_EINVAL);
}
END_TEST

START_TEST(test_document_unknown_fields)
{
    expect_md_problem(
        "---\nid: a\ntype: product\ntitel: T\n---\n",
        "kb/test.md:4: ", "unknown field 'titel' (did you mean 'title'?)",
        VB_EINVAL);
    expect_md_problem(product_md("Lang: nl\n", ""), "kb/test.md:5: ",
                      "unknown field 'Lang' (did you mean 'lang'?)", VB_EINVAL);
    expect_md_problem(product_md("colour: red\n", ""),
                      "kb/test.md:5: ", "unknown field 'colour' (known: id,",
                      VB_EINVAL);
    expect_md_problem(product_md("body: hi\n", ""),
                      "kb/test.md:5: ", "'body' is not allowed in front matter",
                      VB_EINVAL);
    expect_jsonl_problem(
        "{\"id\":\"a\",\"type\":\"product\",\"title\":\"T\",\"prodcts\":[]}",
        "export.jsonl:1: ",
        "unknown field 'prodcts' (did you mean 'products'?)", VB_EINVAL);
}
END_TEST

START_TEST(test_document_reports_all_problems)
{
    struct collect c =
        read_md("---\nid: a b\ntype: product\ntitel: T\nlang: xx\n"
                "customer: C1\n---\n");
    ck_assert_uint_eq(c.rejected, 1);
    ck_assert_ptr_nonnull(find_problem(&c, "kb/test.md:2: ", "'id'"));
    ck_assert_ptr_nonnull(
        find_problem(&c, "kb/test.md:4: ", "unknown field 'titel'"));
    ck_assert_ptr_nonnull(
        find_problem(&c, "kb/test.md:1: ", "missing required field 'title'"));
    ck_assert_ptr_nonnull(find_problem(&c, "kb/test.md:5: ", "'lang'"));
    ck_assert_ptr_nonnull(find_problem(&c, "kb/test.md:6: ", "'customer'"));
    ck_assert_uint_eq(c.nproblems, 5);
    collect_free(&c);

    /* More problems than fit: the last message says how many more. */
    char text[4096] = "---\n";
    for (int i = 0; i < 20; i++) {
        char line[32];
        snprintf(line, sizeof line, "x%d: 1\n", i);
        strcat(text, line);
    }
    strcat(text, "---\n");
    c = read_md(text);
    ck_assert_uint_eq(c.nproblems, VB_DOC_PROBLEMS_MAX);
    ck_assert_ptr_nonnull(
        strstr(c.problems[VB_DOC_PROBLEMS_MAX - 1].msg, "more problems)"));
    collect_free(&c);
}
END_TEST

START_TEST(test_document_duplicate_keys)
{
    expect_md_problem("---\nid: a\ntype: product\ntitle: T\ntitle: U\n---\n",
                      "kb/test.md:5: ",
                      "duplicate field 'title' (first at line 4)", VB_EINVAL);
    expect_jsonl_problem(
        "\n{\"id\":\"a\",\"type\":\"product\",\"title\":\"T\",\"title\":\"U\"}",
        "export.jsonl:2: ", "column", VB_EINVAL);
    expect_jsonl_problem(
        "{\"id\":\"a\",\"type\":\"product\",\"title\":\"T\",\"title\":\"U\"}",
        "export.jsonl:1: ", "duplicate object key near '\"title\"'", VB_EINVAL);
}
END_TEST

START_TEST(test_document_bad_syntax)
{
    expect_md_problem("---\nid: a\ntype: product\ntitle: [unclosed\n---\n",
                      "kb/test.md:", "invalid YAML at line", VB_EINVAL);
    expect_md_problem("---\nid: a\n  type: product\ntitle: x: y\n---\n",
                      "kb/test.md:3: ", "invalid YAML at line 3, column",
                      VB_EINVAL);
    expect_md_problem("---\nid: &x a\ntype: *x\ntitle: T\n---\n",
                      "kb/test.md:3: ", "alias", VB_EINVAL);
    expect_md_problem("---\n- a\n- b\n---\n", "kb/test.md:2: ",
                      "front matter must be 'field: value' lines", VB_EINVAL);
    expect_md_problem("---\nid: a\n---\n---\nx: 1\n",
                      "kb/test.md:1: ", "missing required field 'type'",
                      VB_EINVAL);
    /* libyaml is quadratic in flow nesting: refused before it parses. */
    char deep[4096] = "---\nid: a\ntype: product\ntitle: T\ntags: ";
    for (int i = 0; i < 2000; i++)
        strcat(deep, "[");
    strcat(deep, "\n---\n");
    expect_md_problem(deep, "kb/test.md:5: ", "more than 32 levels deep",
                      VB_ELIMIT);
    expect_jsonl_problem("{\"id\":\"a\",}",
                         "export.jsonl:1: ", "invalid JSON at line 1, column",
                         VB_EINVAL);
    expect_jsonl_problem("[1, 2]", "export.jsonl:1: ", "expected a JSON object",
                         VB_EINVAL);
}
END_TEST

START_TEST(test_document_front_matter_delimiters)
{
    expect_md_problem("# Just Markdown\n",
                      "kb/test.md:1: ", "missing front matter", VB_EINVAL);
    expect_md_problem("", "kb/test.md:1: ", "missing front matter", VB_EINVAL);
    expect_md_problem("---\nid: a\ntype: product\ntitle: T\n",
                      "kb/test.md:1: ", "front matter is not closed",
                      VB_EINVAL);
    expect_md_problem("--- \nid: a\n",
                      "kb/test.md:1: ", "front matter is not closed",
                      VB_EINVAL);
}
END_TEST

START_TEST(test_document_size_limits)
{
    size_t n = VB_DOC_MAX_BYTES + 1;
    char *big = malloc(n + 64);
    ck_assert_ptr_nonnull(big);
    strcpy(big, "---\nid: a\ntype: product\ntitle: T\n---\n");
    size_t used = strlen(big);
    memset(big + used, 'x', n - used);
    big[n] = '\0';
    expect_md_problem(big, "kb/test.md:1: ",
                      "document is 1048577 bytes; the limit is 1048576",
                      VB_ELIMIT);
    /* A JSONL line that is too long is rejected; the next line is read. */
    char *lines = malloc(n + 200);
    ck_assert_ptr_nonnull(lines);
    memset(lines, ' ', n);
    lines[0] = '{';
    lines[n - 1] = '}';
    strcpy(lines + n,
           "\n{\"id\":\"a\",\"type\":\"product\",\"title\":\"T\"}\n");
    struct collect c = read_jsonl(lines, strlen(lines));
    ck_assert_uint_eq(c.ndocs, 1);
    ck_assert_uint_eq(c.docs[0]->source_line, 2);
    ck_assert_ptr_nonnull(
        find_problem(&c, "export.jsonl:1: ", "the limit is 1048576"));
    collect_free(&c);
    free(lines);
    free(big);
}
END_TEST

START_TEST(test_document_body_and_body_html)
{
    expect_jsonl_problem(
        "{\"id\":\"a\",\"type\":\"product\",\"title\":\"T\",\"body\":\"x\","
        "\"body_html\":\"<p>y</p>\"}",
        "export.jsonl:1: ", "both 'body' and 'body_html'", VB_EINVAL);
}
END_TEST

START_TEST(test_document_invalid_utf8)
{
    expect_md_problem("---\nid: a\ntype: product\ntitle: caf\xe9\n---\n",
                      "kb/test.md:4: ",
                      "invalid UTF-8 at byte offset 34 (byte 0xe9)", VB_EUTF8);
    const char line[] =
        "{\"id\":\"a\",\"type\":\"product\",\"title\":\"T\"}\n"
        "{\"id\":\"b\",\"type\":\"product\",\"title\":\"\xc0\xaf\"}\n";
    struct collect c = read_jsonl(line, sizeof line - 1);
    ck_assert_uint_eq(c.ndocs, 1);
    ck_assert_ptr_nonnull(find_problem(
        &c, "export.jsonl:2: ", "invalid UTF-8 at byte offset 76 (byte 0xc0)"));
    collect_free(&c);
    /* A NUL byte (even escaped in YAML) never reaches a document. */
    const char nul[] = "---\nid: a\ntype: product\ntitle: T\0\n---\n";
    struct vb_document *doc;
    struct vb_error err;
    ck_assert_int_eq(vb_document_parse_markdown("kb/test.md", nul,
                                                sizeof nul - 1, &doc, &err),
                     VB_EUTF8);
    ck_assert_str_eq(err.msg, "kb/test.md:4: NUL byte at byte offset 32");
    expect_md_problem("---\nid: a\ntype: product\ntitle: \"T\\0x\"\n---\n",
                      "kb/test.md:4: ",
                      "'title' contains control character U+0000", VB_EINVAL);
}
END_TEST

START_TEST(test_document_utf8_stress_file)
{
    /* Markus Kuhn's stress test as a body: rejected with a position. */
    size_t len;
    char *body =
        vb_test_read_file(vb_test_data_path("utf8/UTF-8-test.txt"), &len);
    ck_assert_ptr_nonnull(body);
    const char head[] = "---\nid: a\ntype: product\ntitle: T\n---\n";
    char *text = malloc(sizeof head + len);
    memcpy(text, head, sizeof head - 1);
    memcpy(text + sizeof head - 1, body, len);
    struct vb_document *doc;
    struct vb_error err;
    ck_assert_int_eq(vb_document_parse_markdown(
                         "kuhn.md", text, sizeof head - 1 + len, &doc, &err),
                     VB_EUTF8);
    ck_assert_ptr_null(doc);
    /* its first bad byte is the NUL of "U-00000000" */
    ck_assert_ptr_nonnull(strstr(err.msg, "NUL byte at byte offset"));
    free(text);
    free(body);
}
END_TEST

/* ==== Plain text of bodies ============================================== */

START_TEST(test_document_markdown_markup_removed)
{
    struct collect c = read_md(product_md(
        "", "## Facturen\n\n"
            "Betaal je **factuur** via [hier](https://x.be) of *online*.\n"
            "Gebruik `code` en ~~oud~~.\n\n"
            "- een\n- twee\n\n"
            "1. drie\n2. vier\n\n"
            "| Situatie | Wat doe je? |\n|---|---|\n| verhuis | bel ons |\n\n"
            "> citaat\n\n"
            "```\nfenced\n```\n\n"
            "![logo](img.png) &eacute;&amp;&#233;&#x1F600;&bogus;\n"
            "a<br>b <span>in</span>line\n\n"
            "<div>\n<p>blok</p><script>x()</script>\n</div>\n"));
    dump(&c);
    ck_assert_uint_eq(c.ndocs, 1);
    const char *t = c.docs[0]->body_text;
    ck_assert_str_eq(
        t, "Facturen\n"
           "Betaal je factuur via hier of online. Gebruik code en oud.\n"
           "een\ntwee\ndrie\nvier\n"
           "Situatie\tWat doe je?\nverhuis\tbel ons\n"
           "citaat\nfenced\n"
           "logo é&é\xF0\x9F\x98\x80&bogus; a b inline\n"
           "blok");
    collect_free(&c);
}
END_TEST

START_TEST(test_document_html_to_text)
{
    const char *line =
        "{\"id\":\"a\",\"type\":\"product\",\"title\":\"T\",\"body_html\":"
        "\"<html><head><title>x</title><style>p{color:red}</style></head><body>"
        "<h1>Caf&eacute; &amp; co</h1><p>een<br>twee&nbsp;drie</p>"
        "<script>alert('x')</script><table><tr><td>cel1</td><td>cel2</td></"
        "tr></table>"
        "<ul><li>a</li><li>b</li></ul><p>in<b>line</b> <!-- comment --> "
        "&lt;tag&gt; "
        "&#233;&#x20AC;</p><pre>  pre\\n  kept</pre><div>unclosed <p>tags\"}";
    struct collect c = read_jsonl(line, strlen(line));
    dump(&c);
    ck_assert_uint_eq(c.ndocs, 1);
    ck_assert_str_eq(c.docs[0]->body_text,
                     "Café & co\neen\ntwee drie\ncel1\tcel2\na\nb\n"
                     "inline <tag> é€\n  pre\n  kept\nunclosed\ntags");
    collect_free(&c);
}
END_TEST

/* ==== Hash and files ==================================================== */

START_TEST(test_document_content_hash)
{
    const char *a = "{\"id\":\"a\",\"type\":\"product\",\"title\":\"T\","
                    "\"tags\":[\"x\",\"y\"]}\n"
                    "{\"title\":\"T\",\"id\":\"a\",\"type\":\"product\","
                    "\"tags\":[\"x\",\"y\"]}\n"
                    "{\"id\":\"a\",\"type\":\"product\",\"title\":\"T\","
                    "\"tags\":[\"xy\"]}\n"
                    "{\"id\":\"a\",\"type\":\"product\",\"title\":\"T\","
                    "\"tags\":[\"x\",\"y\"],"
                    "\"body\":\"b\"}\n"
                    "{\"id\":\"a\",\"type\":\"product\",\"title\":\"T\","
                    "\"tags\":[\"x\",\"y\"],"
                    "\"body_html\":\"b\"}\n";
    struct collect c = read_jsonl(a, strlen(a));
    ck_assert_uint_eq(c.ndocs, 5);
    uint64_t h[5];
    for (int i = 0; i < 5; i++)
        h[i] = vb_document_content_hash(c.docs[i]);
    ck_assert_uint_eq(h[0], h[1]); /* same content, other line and order */
    ck_assert_uint_ne(h[0], h[2]); /* list boundaries count */
    ck_assert_uint_ne(h[0], h[3]);
    ck_assert_uint_ne(h[3], h[4]); /* Markdown vs HTML */
    collect_free(&c);
}
END_TEST

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

START_TEST(test_document_read_file)
{
    char dir[] = "/tmp/vb_test_document_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char md[256], jsonl[256], txt[256], missing[256], subdir[256], empty[256];
    snprintf(md, sizeof md, "%s/a.MD", dir);
    snprintf(jsonl, sizeof jsonl, "%s/b.jsonl", dir);
    snprintf(txt, sizeof txt, "%s/c.txt", dir);
    snprintf(missing, sizeof missing, "%s/none.md", dir);
    snprintf(subdir, sizeof subdir, "%s/d.md", dir);
    snprintf(empty, sizeof empty, "%s/e.jsonl", dir);
    write_file(md, "---\nid: a\ntype: product\ntitle: T\n---\nx\n");
    write_file(
        jsonl,
        "{\"id\":\"b\",\"type\":\"product\",\"title\":\"T\"}\nnot json\n");
    write_file(txt, "x");
    write_file(empty, "");
    ck_assert_int_eq(mkdir(subdir, 0700), 0);

    struct collect c = {0};
    struct vb_error err = {0};
    ck_assert_int_eq(vb_document_read_file(md, collect_fn, &c, &err), VB_OK);
    ck_assert_int_eq(vb_document_read_file(jsonl, collect_fn, &c, &err), VB_OK);
    ck_assert_int_eq(vb_document_read_file(empty, collect_fn, &c, &err), VB_OK);
    ck_assert_uint_eq(c.ndocs, 2);
    ck_assert_str_eq(c.docs[0]->source_path, md);
    ck_assert_uint_eq(c.rejected, 1);
    char prefix[300];
    snprintf(prefix, sizeof prefix, "%s:2: ", jsonl);
    ck_assert_ptr_nonnull(find_problem(&c, prefix, "invalid JSON"));

    ck_assert_int_eq(vb_document_read_file(txt, collect_fn, &c, &err),
                     VB_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "expected .md or .jsonl"));
    ck_assert_int_eq(vb_document_read_file(missing, collect_fn, &c, &err),
                     VB_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "cannot open: No such file"));
    ck_assert_int_eq(vb_document_read_file(subdir, collect_fn, &c, &err),
                     VB_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "not a regular file"));
    ck_assert_uint_eq(c.calls, 3);
    collect_free(&c);

    unlink(md);
    unlink(jsonl);
    unlink(txt);
    unlink(empty);
    rmdir(subdir);
    rmdir(dir);
}
END_TEST

/* What the skip hook was asked, and which line it skips. */
struct asked {
    char bytes[4][256];
    unsigned line[4];
    size_t n;
    unsigned skip_line; /* UINT_MAX: none */
};

static bool ask(void *ctx, const char *data, size_t len, unsigned line)
{
    struct asked *a = ctx;
    ck_assert_uint_lt(a->n, 4);
    ck_assert_uint_lt(len, sizeof a->bytes[0]);
    memcpy(a->bytes[a->n], data, len);
    a->bytes[a->n][len] = '\0';
    a->line[a->n++] = line;
    return line == a->skip_line;
}

static int collect_asked(void *ctx, struct vb_document *doc,
                         const struct vb_error *problems, size_t count)
{
    struct asked *a = ctx;
    (void)problems;
    (void)count;
    /* Called for the record asked about last, never for a skipped one. */
    ck_assert_uint_gt(a->n, 0);
    ck_assert_uint_ne(a->line[a->n - 1], a->skip_line);
    ck_assert_ptr_nonnull(doc);
    ck_assert_uint_eq(doc->source_line,
                      a->line[a->n - 1] ? a->line[a->n - 1] : 2);
    vb_document_free(doc);
    return 0;
}

/* The skip hook sees each record's bytes as in the file (no byte order
 * mark, no line end) and its line; a skipped record is not read. */
START_TEST(test_document_read_file_skipping)
{
    char dir[] = "/tmp/vb_test_document_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char md[256], jsonl[256];
    snprintf(md, sizeof md, "%s/a.md", dir);
    snprintf(jsonl, sizeof jsonl, "%s/b.jsonl", dir);
    const char *doc = "---\nid: a\ntype: product\ntitle: T\n---\nx\n";
    write_file(md, doc);
    write_file(
        jsonl,
        "\xEF\xBB\xBF{\"id\":\"b\",\"type\":\"product\",\"title\":\"T\"}\r\n"
        "{\"id\":\"c\",\"type\":\"product\",\"title\":\"T\"}\n \n"
        "{\"id\":\"d\",\"type\":\"product\",\"title\":\"T\"}");
    struct vb_error err = {0};
    struct asked a = {.skip_line = 2};
    ck_assert_int_eq(
        vb_document_read_file_skipping(jsonl, ask, collect_asked, &a, &err),
        VB_OK);
    ck_assert_uint_eq(a.n, 3);
    ck_assert_str_eq(a.bytes[0],
                     "{\"id\":\"b\",\"type\":\"product\",\"title\":\"T\"}");
    ck_assert_str_eq(a.bytes[2],
                     "{\"id\":\"d\",\"type\":\"product\",\"title\":\"T\"}");
    ck_assert_uint_eq(a.line[0], 1);
    ck_assert_uint_eq(a.line[1], 2);
    ck_assert_uint_eq(a.line[2], 4);

    /* A Markdown file is one record, at line 0 (its document's line is its
     * id field's); skipped, it reads nothing. */
    a = (struct asked){.skip_line = UINT_MAX};
    ck_assert_int_eq(
        vb_document_read_file_skipping(md, ask, collect_asked, &a, &err),
        VB_OK);
    ck_assert_uint_eq(a.n, 1);
    ck_assert_str_eq(a.bytes[0], doc);
    ck_assert_uint_eq(a.line[0], 0);
    a = (struct asked){.skip_line = 0};
    ck_assert_int_eq(
        vb_document_read_file_skipping(md, ask, collect_asked, &a, &err),
        VB_OK);
    ck_assert_uint_eq(a.n, 1);
    unlink(md);
    unlink(jsonl);
    rmdir(dir);
}
END_TEST

/* Records remembered by their bytes stay right only while the same bytes
 * read into the same documents: when this test fails, reading changed, so
 * raise VB_DOCUMENT_READER_VERSION and write the new hashes here. */
START_TEST(test_document_reader_version)
{
    const char *md =
        "---\nid: v-md\ntype: procedure\nlang: nl\ntitle:  Verhuizing\t "
        "melden\ntags: [verhuis, Verhuis, adres]\nupdated: 2026-01-02\n"
        "---\n# Kop\n\nTekst met *nadruk*, `code` en een [link](https://x.be)."
        "\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n- een\n- twee\n\n&amp; &eacute;"
        " <b>html</b>\n";
    const char *json =
        "{\"id\":\"v-json\",\"type\":\"history\",\"lang\":\"FR\","
        "\"title\":\"Appel\\u00e9 \\n deux\",\"customer\":\"C1\","
        "\"date\":\"2026-03-01T10:00:00+01:00\",\"products\":\"GAS\","
        "\"body_html\":\"<p>Un &lt;b&gt; caf&eacute;<script>x()</script>"
        "</p><table><tr><td>a</td><td>b</td></tr></table>\"}";
    struct collect c = read_md(md);
    ck_assert_uint_eq(c.ndocs, 1);
    uint64_t h_md = vb_document_content_hash(c.docs[0]);
    collect_free(&c);
    c = read_jsonl(json, strlen(json));
    ck_assert_uint_eq(c.ndocs, 1);
    uint64_t h_json = vb_document_content_hash(c.docs[0]);
    collect_free(&c);
#if VB_DOCUMENT_READER_VERSION == 1
    const uint64_t want_md = 0xfc75549af19ab280, want_json = 0xe24fce94a18dd300;
#else
#error "record this version's hashes"
#endif
    ck_assert_msg(h_md == want_md && h_json == want_json,
                  "version %d reads to %#llx and %#llx",
                  VB_DOCUMENT_READER_VERSION, (unsigned long long)h_md,
                  (unsigned long long)h_json);
}
END_TEST

static int stop_after_first(void *ctx, struct vb_document *doc,
                            const struct vb_error *problems, size_t count)
{
    (void)problems;
    (void)count;
    ++*(int *)ctx;
    vb_document_free(doc);
    return 1;
}

START_TEST(test_document_callback_stops)
{
    static const char text[] =
        "{\"id\":\"a\",\"type\":\"p\",\"title\":\"T\"}\n"
        "{\"id\":\"b\",\"type\":\"p\",\"title\":\"T\"}\n";
    int calls = 0;
    struct vb_error err;
    ck_assert_int_eq(vb_document_read_jsonl("x.jsonl", text, sizeof text - 1,
                                            stop_after_first, &calls, &err),
                     VB_OK);
    ck_assert_int_eq(calls, 1);
}
END_TEST

/* ==== Hostile inputs ==================================================== */

/* Appends s as a JSON string literal. */
static size_t json_quote(char *out, const char *s, size_t n)
{
    size_t o = 0;
    out[o++] = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') {
            out[o++] = '\\';
            out[o++] = (char)ch;
        } else if (ch < 0x20) {
            o += (size_t)sprintf(out + o, "\\u%04x", ch);
        } else {
            out[o++] = (char)ch;
        }
    }
    out[o++] = '"';
    return o;
}

/* Appends s as a YAML double-quoted scalar, escaping what YAML does not
 * allow raw (C0, DEL, C1 controls, BOM, U+FFFE/U+FFFF). */
static size_t yaml_quote(char *out, const char *s, size_t n)
{
    size_t o = 0;
    out[o++] = '"';
    for (size_t i = 0; i < n;) {
        const unsigned char *u = (const unsigned char *)s + i;
        unsigned long cp;
        size_t len;
        if (u[0] < 0x80) {
            cp = u[0], len = 1;
        } else if (u[0] < 0xE0) {
            cp = ((u[0] & 0x1Ful) << 6) | (u[1] & 0x3F), len = 2;
        } else if (u[0] < 0xF0) {
            cp = ((u[0] & 0x0Ful) << 12) | ((u[1] & 0x3Ful) << 6) |
                 (u[2] & 0x3F),
            len = 3;
        } else {
            cp = ((u[0] & 0x07ul) << 18) | ((u[1] & 0x3Ful) << 12) |
                 ((u[2] & 0x3Ful) << 6) | (u[3] & 0x3F),
            len = 4;
        }
        if (cp == '"' || cp == '\\') {
            out[o++] = '\\';
            out[o++] = (char)cp;
        } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFEFF ||
                   cp == 0xFFFE || cp == 0xFFFF) {
            o += (size_t)sprintf(out + o, "\\u%04lx", cp);
        } else {
            memcpy(out + o, s + i, len);
            o += len;
        }
        i += len;
    }
    out[o++] = '"';
    return o;
}

START_TEST(test_document_naughty_strings)
{
    size_t len;
    char *blns = vb_test_read_file(vb_test_data_path("naughty/blns.txt"), &len);
    ck_assert_ptr_nonnull(blns);
    size_t lines = 0, md_docs = 0, jsonl_docs = 0, failures = 0;
    char first_failure[512] = "";
    char *buf = malloc(64 * 1024);
    char *line = blns;
    while (line < blns + len) {
        char *nl = memchr(line, '\n', (size_t)(blns + len - line));
        size_t n = nl ? (size_t)(nl - line) : (size_t)(blns + len - line);
        lines++;
        char path[64];
        struct collect c = {0};
        struct vb_error err = {0};

        /* As title and body of a Markdown file. */
        size_t o = (size_t)sprintf(
            buf, "---\nid: blns-%zu\ntype: procedure\ntitle: ", lines);
        o += yaml_quote(buf + o, line, n);
        o += (size_t)sprintf(buf + o, "\n---\n");
        memcpy(buf + o, line, n);
        o += n;
        snprintf(path, sizeof path, "blns-%zu.md", lines);
        enum vb_status st =
            vb_document_read_markdown(path, buf, o, collect_fn, &c, &err);
        char prefix[80];
        snprintf(prefix, sizeof prefix, "%s:", path);
        bool ok = st == VB_OK && c.calls == 1 && c.bad_counts == 0 &&
                  (c.ndocs == 1 ? c.docs[0]->title[0] != '\0'
                                : strncmp(c.problems[0].msg, prefix,
                                          strlen(prefix)) == 0);
        md_docs += c.ndocs;
        if (!ok && !failures++)
            snprintf(first_failure, sizeof first_failure, "md line %zu: %s",
                     lines, c.nproblems ? c.problems[0].msg : "no callback");
        collect_free(&c);

        /* As title and body of a JSONL line. */
        o = (size_t)sprintf(
            buf,
            "{\"id\":\"blns-%zu\",\"type\":\"procedure\",\"title\":", lines);
        o += json_quote(buf + o, line, n);
        o += (size_t)sprintf(buf + o, ",\"body\":");
        o += json_quote(buf + o, line, n);
        buf[o++] = '}';
        st = vb_document_read_jsonl("blns.jsonl", buf, o, collect_fn, &c, &err);
        ok = st == VB_OK && c.calls == 1 && c.bad_counts == 0 &&
             (c.ndocs == 1
                  ? c.docs[0]->title[0] != '\0'
                  : strncmp(c.problems[0].msg, "blns.jsonl:1: ", 14) == 0);
        jsonl_docs += c.ndocs;
        if (!ok && !failures++)
            snprintf(first_failure, sizeof first_failure, "jsonl line %zu: %s",
                     lines, c.nproblems ? c.problems[0].msg : "no callback");
        collect_free(&c);
        line += n + 1;
    }
    free(buf);
    free(blns);
    ck_assert_msg(failures == 0, "%zu failures; first: %s", failures,
                  first_failure);
    /* Blank lines and the few with control characters are rejected; the
     * rest must come through (the escaping above is right). */
    ck_assert_msg(md_docs * 10 > lines * 8, "only %zu of %zu as Markdown",
                  md_docs, lines);
    ck_assert_msg(jsonl_docs * 10 > lines * 8, "only %zu of %zu as JSONL",
                  jsonl_docs, lines);
}
END_TEST

static bool is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

START_TEST(test_document_json_test_suite)
{
    const char *dirpath = vb_test_data_path("jsontestsuite/test_parsing");
    char dirname[4096];
    snprintf(dirname, sizeof dirname, "%s", dirpath);
    DIR *d = opendir(dirname);
    ck_assert_ptr_nonnull(d);
    size_t files = 0, failures = 0, docs = 0;
    char first_failure[1024] = "";
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *name = e->d_name;
        if (name[0] != 'n' && name[0] != 'y' && name[0] != 'i')
            continue;
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", dirname, name);
        size_t len;
        char *data = vb_test_read_file(path, &len);
        if (!data) {
            failures++;
            continue;
        }
        files++;
        struct collect c = {0};
        struct vb_error err = {0};
        enum vb_status st;
        /* Whole-file objects: with newlines, or nothing but blanks after
         * a BOM (a JSONL reader sees no line at all in those). */
        size_t bom = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        if (memchr(data, '\n', len) || is_blank(data + bom, len - bom))
            st =
                vb_document_read_json(name, 1, data, len, collect_fn, &c, &err);
        else
            st = vb_document_read_jsonl(name, data, len, collect_fn, &c, &err);
        char prefix[300];
        snprintf(prefix, sizeof prefix, "%s:", name);
        bool ok = st == VB_OK && c.calls == 1 && c.bad_counts == 0;
        if (ok && c.ndocs == 0)
            ok = strncmp(c.problems[0].msg, prefix, strlen(prefix)) == 0;
        if (ok && name[0] == 'n')
            ok = c.ndocs == 0 && (strstr(c.problems[0].msg, "column") ||
                                  strstr(c.problems[0].msg, "byte offset"));
        docs += c.ndocs;
        if (!ok && !failures++)
            snprintf(first_failure, sizeof first_failure, "%s: %s", name,
                     c.nproblems ? c.problems[0].msg : "no problem reported");
        collect_free(&c);
        free(data);
    }
    closedir(d);
    ck_assert_uint_gt(files, 300);
    ck_assert_msg(failures == 0, "%zu failures; first: %s", failures,
                  first_failure);
    ck_assert_uint_eq(docs, 0); /* none of them has id, type and title */
}
END_TEST

START_TEST(test_document_jsonl_good_and_bad_lines)
{
    const char text[] = "{\"id\":\"a\",\"type\":\"product\",\"title\":\"A\"}\n"
                        "{\"id\":\"b\",\"type\":\"product\"}\n"
                        "garbage\n"
                        "   \n"
                        "{\"id\":\"c\",\"type\":\"product\",\"title\":\"C\"}\n"
                        "{\"id\":\"d\",\"type\":\"product\",\"title\":\"D\","
                        "\"body\":\"\xff\"}\n"
                        "{\"id\":\"e\",\"type\":\"product\",\"title\":\"E\"}";
    struct collect c = read_jsonl(text, sizeof text - 1);
    ck_assert_uint_eq(c.ndocs, 3);
    ck_assert_uint_eq(c.rejected, 3);
    ck_assert_str_eq(c.docs[0]->id, "a");
    ck_assert_str_eq(c.docs[1]->id, "c");
    ck_assert_uint_eq(c.docs[1]->source_line, 5);
    ck_assert_str_eq(c.docs[2]->id, "e");
    ck_assert_uint_eq(c.docs[2]->source_line, 7);
    ck_assert_ptr_nonnull(
        find_problem(&c, "export.jsonl:2: ", "missing required field 'title'"));
    ck_assert_ptr_nonnull(
        find_problem(&c, "export.jsonl:3: ", "invalid JSON at line 3, column"));
    ck_assert_ptr_nonnull(
        find_problem(&c, "export.jsonl:6: ", "invalid UTF-8 at byte offset"));
    collect_free(&c);
}
END_TEST

/* A body that ends where its file's mapping ends (a page not readable
 * right after it), in an unfinished HTML block: md4c 0.4.8 read past the
 * end looking for "</script>" and the reader crashed (found by
 * fuzz/fuzz_markdown).  The document is read, the block's words kept. */
START_TEST(test_document_markdown_ends_at_a_page_end)
{
    static const char *const endings[] = {
        "<script>alert(1)</script", "<style>a{}</style", "<pre>kabel</pr",
        "<textarea>modem</textare", "kabel <b>modem</b"};
    long page = sysconf(_SC_PAGESIZE);
    char *map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_ptr_ne(map, MAP_FAILED);
    ck_assert_int_eq(mprotect(map + page, (size_t)page, PROT_NONE), 0);
    for (size_t i = 0; i < sizeof endings / sizeof *endings; i++) {
        char text[256];
        int n = snprintf(text, sizeof text,
                         "---\nid: p\ntype: procedure\nlang: nl\n"
                         "title: Kabel\n---\nDe kabel.\n\n%s",
                         endings[i]);
        char *data = map + page - n; /* the last byte ends the page */
        memcpy(data, text, (size_t)n);
        struct vb_document *doc = NULL;
        struct vb_error err = {0};
        ck_assert_msg(vb_document_parse_markdown("p.md", data, (size_t)n, &doc,
                                                 &err) == VB_OK,
                      "%s: %s", endings[i], err.msg);
        ck_assert_ptr_nonnull(strstr(doc->body_text, "De kabel."));
        vb_document_free(doc);
    }
    munmap(map, (size_t)page * 2);
}
END_TEST

int main(void)
{
    vb_test_require_data("naughty/blns.txt");
    vb_test_require_data("jsontestsuite/test_parsing");
    vb_test_require_data("utf8/UTF-8-test.txt");
    Suite *s = suite_create("document");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_document_markdown_product);
    tcase_add_test(tc, test_document_name_rules);
    tcase_add_test(tc, test_document_display_html);
    tcase_add_test(tc, test_document_editor_fields);
    tcase_add_test(tc, test_document_tenant);
    tcase_add_test(tc, test_document_markdown_procedure_without_lang);
    tcase_add_test(tc, test_document_markdown_history_and_other_type);
    tcase_add_test(tc, test_document_jsonl_each_type);
    tcase_add_test(tc, test_document_json_single_object);
    tcase_add_test(tc, test_document_corpus_is_valid);
    tcase_add_test(tc, test_document_requires_id_type_title);
    tcase_add_test(tc, test_document_id_syntax);
    tcase_add_test(tc, test_document_type_syntax);
    tcase_add_test(tc, test_document_title_limit);
    tcase_add_test(tc, test_document_lang_values);
    tcase_add_test(tc, test_document_channel_values);
    tcase_add_test(tc, test_document_history_needs_customer_and_date);
    tcase_add_test(tc, test_document_history_fields_only_on_history);
    tcase_add_test(tc, test_document_dates);
    tcase_add_test(tc, test_document_lists);
    tcase_add_test(tc, test_document_unknown_fields);
    tcase_add_test(tc, test_document_reports_all_problems);
    tcase_add_test(tc, test_document_duplicate_keys);
    tcase_add_test(tc, test_document_bad_syntax);
    tcase_add_test(tc, test_document_front_matter_delimiters);
    tcase_add_test(tc, test_document_size_limits);
    tcase_add_test(tc, test_document_body_and_body_html);
    tcase_add_test(tc, test_document_invalid_utf8);
    tcase_add_test(tc, test_document_utf8_stress_file);
    tcase_add_test(tc, test_document_markdown_markup_removed);
    tcase_add_test(tc, test_document_markdown_ends_at_a_page_end);
    tcase_add_test(tc, test_document_html_to_text);
    tcase_add_test(tc, test_document_content_hash);
    tcase_add_test(tc, test_document_read_file_skipping);
    tcase_add_test(tc, test_document_reader_version);
    tcase_add_test(tc, test_document_read_file);
    tcase_add_test(tc, test_document_callback_stops);
    tcase_add_test(tc, test_document_naughty_strings);
    tcase_add_test(tc, test_document_json_test_suite);
    tcase_add_test(tc, test_document_jsonl_good_and_bad_lines);
    suite_add_tcase(s, tc);
    return vb_test_run(s);
}
