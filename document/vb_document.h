/* vb_document.h — corpus documents: reading, validating, plain text.
 *
 * Turns the inputs of DESIGN.md "Contract 1: corpus documents" into
 * validated struct vb_document records:
 *
 *   - a Markdown file with YAML front matter ("---" ... "---"), one
 *     document per file (vb_document_read_markdown);
 *   - a JSON Lines file, one document per line (vb_document_read_jsonl);
 *   - a single JSON object, e.g. the body of PUT /v1/docs/{id}
 *     (vb_document_read_json / vb_document_parse_json).
 *
 * Each document carries its body twice: body_source as written (Markdown
 * or HTML, for display) and body_text, the plain text to index (Markdown
 * markup removed, HTML tags stripped, entities decoded, script and style
 * dropped, blocks and table cells separated by whitespace so words never
 * glue together).
 *
 * Every problem is reported as "path:line: message", where line is the
 * line of the offending field in the front matter, the line of the JSONL
 * record, or the line the caller passes for a single JSON object.  All
 * problems of one document are reported together (up to
 * VB_DOC_PROBLEMS_MAX); a bad JSONL line rejects that line only.
 *
 * Field rules (beyond the contract's, decided here):
 *   - Absent optional fields, and fields given as null (YAML "~", "null"
 *     or nothing; JSON null), are empty strings / empty lists.
 *   - Single-line fields (all but the body) have each run of whitespace
 *     (space, tab, CR, LF, VT, FF) folded to one space and are trimmed;
 *     any other control character (U+0000-U+001F, U+007F) is an error.
 *   - type, lang and channel are ASCII-lowercased before they are checked
 *     ("NL" is accepted as "nl").
 *   - group follows the id syntax.  tags and products are lists of
 *     strings; a single string is accepted as a one-element list; exact
 *     duplicates are dropped; each entry is 1..VB_DOC_TAG_MAX bytes.
 *   - customer, channel and date belong to type history only: on any
 *     other type they are an error (a customer's data must never end up in
 *     a document every agent can find).  For history, customer and date
 *     are required, channel is optional.
 *   - updated and date accept YYYY-MM-DD or YYYY-MM-DDThh:mm:ss[.frac]
 *     followed by Z or +hh:mm / -hh:mm; ranges are checked (month, day of
 *     month with leap years, hour, minute, second 00-59, offset).
 *   - In Markdown files the body is everything after the closing "---";
 *     body/body_html keys in the front matter are unknown fields.  In JSON,
 *     "body" is Markdown (plain text is Markdown too), "body_html" is HTML;
 *     giving both is an error; giving neither leaves the body empty.
 *   - A leading UTF-8 byte order mark is skipped.  CRLF line ends work.
 *   - Unknown fields are errors and the message suggests the nearest known
 *     name ("unknown field 'titel' (did you mean 'title'?)").
 *
 * Nothing here knows about Xapian, HTTP, analysis or language detection.
 * All functions are thread-safe (no shared mutable state). */
#ifndef VB_DOCUMENT_H
#define VB_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vb_error.h"

/* ---- Limits ----------------------------------------------------------- */

/* A Markdown file, a JSONL line or a single JSON object, in bytes. */
#define VB_DOC_MAX_BYTES (1024u * 1024u)
#define VB_DOC_ID_MAX 128      /* id and group, bytes: [A-Za-z0-9._-] */
#define VB_DOC_TYPE_MAX 32     /* type, bytes: [a-z][a-z0-9_-]{0,31} */
#define VB_DOC_TITLE_MAX 512   /* title, bytes after whitespace folding */
#define VB_DOC_LIST_MAX 64     /* entries in tags, and in products */
#define VB_DOC_TAG_MAX 128     /* one tag or product code, bytes */
#define VB_DOC_CUSTOMER_MAX 64 /* customer, bytes: [A-Za-z0-9._-] */
#define VB_DOC_TENANT_MAX 64   /* tenant, bytes: [a-z0-9-] */
#define VB_DOC_PROBLEMS_MAX 16 /* problems reported per document */

/* ---- The document ----------------------------------------------------- */

enum vb_document_body_format {
    VB_DOCUMENT_BODY_MARKDOWN = 0, /* Markdown file, or JSON "body" */
    VB_DOCUMENT_BODY_HTML = 1      /* JSON "body_html" */
};

/* One validated document.  Every string is owned by the document, valid
 * UTF-8, NUL-terminated and never NULL; "" means absent.  Treat the
 * record as read-only and release it with vb_document_free. */
struct vb_document {
    char *id;    /* [A-Za-z0-9._-]{1,128} */
    char *type;  /* product, procedure, history or another slug */
    char *lang;  /* "nl", "fr", "en", or "" (the indexer detects it) */
    char *title; /* non-empty */
    char *group; /* translation group, id syntax, or "" */
    char **tags; /* tag_count strings; NULL when tag_count is 0 */
    size_t tag_count;
    char **products; /* product_count strings; NULL when 0 */
    size_t product_count;
    char *updated;     /* ISO 8601 date or date-time, or "" */
    char *owner;       /* articles: who keeps it right (id syntax), or "" */
    char *review_by;   /* articles: due for review after this date, or "" */
    char *valid_until; /* articles: not found by search after this date */
    char *customer;    /* history only */
    char *channel;     /* history only: phone|email|chat|social|letter|visit */
    char *date;        /* history only: ISO 8601 date or date-time */
    char *tenant;      /* the client it belongs to ([a-z0-9-]{1,64}), or
                        * "": the deployment's own, shared by every one */
    char *body_text;   /* plain text to index */
    char *body_source; /* the body as written, for display */
    enum vb_document_body_format body_format;
    char *source_path;    /* the path (or "where") the caller passed */
    unsigned source_line; /* line of the "id:" field (Markdown), the
                           * record's line (JSONL), or the caller's line */
};

/* ---- Names ------------------------------------------------------------ */

/* Whether s[0..len) is a valid name of each kind: the one rule for
 * documents, requests, tokens, directory defaults and erasure (names.c).
 * NULL is not a name.  The VB_DOC_*_RULE strings say each rule for a
 * message. */
#define VB_DOC_ID_RULE "1 to 128 of A-Z a-z 0-9 . _ -"
#define VB_DOC_CUSTOMER_RULE "1 to 64 of A-Z a-z 0-9 . _ -"
#define VB_DOC_TYPE_RULE "[a-z][a-z0-9_-]{0,31}"
#define VB_DOC_TENANT_RULE "[a-z0-9-]{1,64}"
bool vb_document_id_ok(const char *s, size_t len); /* also group, owner */
bool vb_document_customer_ok(const char *s, size_t len);
bool vb_document_type_ok(const char *s, size_t len);
bool vb_document_tenant_ok(const char *s, size_t len);

/* The body as HTML for display (display.c): Markdown rendered to a
 * fixed set of elements (p, h3-h6, ul, ol, li, blockquote, pre, code, em,
 * strong, del, a, br, hr, table, thead, tbody, tr, th, td), raw HTML as
 * text, links only to http:, https: and mailto:, headings from h3 without
 * a skipped level, table alignment as data-align; an HTML body as its
 * text, a <p class="plain"> per line.  Every text is escaped.  A malloc'd
 * string in *html (free()); VB_ENOMEM is the only failure. */
enum vb_status vb_document_display_html(const struct vb_document *doc,
                                        char **html, struct vb_error *err);

/* Frees the document and everything it owns; NULL is a no-op. */
void vb_document_free(struct vb_document *doc);

/* A 64-bit hash of every field (body_source, body_text and body_format
 * included; source_path and source_line excluded, so moving a document
 * between files does not count as a change).  Equal documents hash
 * equally on every platform and every run; stored hashes stay comparable
 * until the text conversion changes (the hash then changes too, which
 * makes the indexer refresh body_text).  Not cryptographic. */
uint64_t vb_document_content_hash(const struct vb_document *doc);

/* ---- Reading with a callback ------------------------------------------ */

/* Called once per document read.  Exactly one of two cases:
 *   - doc != NULL: a valid document; ownership passes to the callee, which
 *     must eventually vb_document_free it.  problems is NULL, count 0.
 *   - doc == NULL: one rejected document (or JSONL line, or file);
 *     problems[0..problem_count) are its problems, problem_count >= 1,
 *     each msg "path:line: message" (truncated to fit struct vb_error).
 *     Borrowed: valid only during the call.
 * Return 0 to go on, anything else to stop reading (the reader then
 * returns VB_OK). */
typedef int (*vb_document_fn)(void *ctx, struct vb_document *doc,
                              const struct vb_error *problems,
                              size_t problem_count);

/* Reads one Markdown document with front matter from data[0..len)
 * (need not be NUL-terminated) and calls `fn` exactly once, unless an
 * allocation fails.  `path` names the file in messages and in
 * doc->source_path.  Returns VB_OK when `fn` was called (whether the
 * document was valid or not); VB_ENOMEM (with `err`) when memory ran out,
 * in which case `fn` may not have been called. */
enum vb_status vb_document_read_markdown(const char *path, const char *data,
                                         size_t len, vb_document_fn fn,
                                         void *ctx, struct vb_error *err);

/* Reads JSON Lines from data[0..len): one JSON object per line, blank
 * lines skipped, CRLF accepted.  Calls `fn` once per non-blank line, in
 * order; a bad line is reported and the next line is read.  Returns VB_OK
 * when every line was handled or `fn` asked to stop; VB_ENOMEM (with
 * `err`) when memory ran out. */
enum vb_status vb_document_read_jsonl(const char *path, const char *data,
                                      size_t len, vb_document_fn fn, void *ctx,
                                      struct vb_error *err);

/* Reads one JSON object (which may span lines) from data[0..len) and calls
 * `fn` once.  `where` names the input in messages ("request body") and
 * `line` is the number of its first line (1 for a whole body); JSON syntax
 * errors report their own line and column relative to that.  Returns as
 * vb_document_read_markdown. */
enum vb_status vb_document_read_json(const char *where, unsigned line,
                                     const char *data, size_t len,
                                     vb_document_fn fn, void *ctx,
                                     struct vb_error *err);

/* Reads the file at `path` and dispatches on its extension
 * (case-insensitive): ".md" to vb_document_read_markdown, ".jsonl" to
 * vb_document_read_jsonl.  A Markdown file larger than VB_DOC_MAX_BYTES
 * is reported through `fn` as a rejected document without being read.
 * Returns VB_EIO when the file cannot be opened or read or is not a
 * regular file, VB_EINVAL for another extension, VB_ENOMEM; each with
 * "path: reason" in `err`, and `fn` not called. */
enum vb_status vb_document_read_file(const char *path, vb_document_fn fn,
                                     void *ctx, struct vb_error *err);

/* Asked before each record of a file is read: data[0..len) are its bytes
 * as in the file (a JSON Lines line without its line end, a whole
 * Markdown file), `line` the JSON Lines record's line (its document's
 * source_line), 0 for a Markdown file (its document's line is that of its
 * id field, known once parsed).  Return true to skip it: `fn` is not
 * called for it; otherwise `fn` is called for it next, once.  A caller that
 * remembers records by their bytes (the indexer's fingerprints) skips what it
 * has read before; it must also remember VB_DOCUMENT_READER_VERSION. */
typedef bool (*vb_document_skip_fn)(void *ctx, const char *data, size_t len,
                                    unsigned line);

/* Changes whenever the same bytes may read into a different document
 * (field rules, the body's text), so that records remembered by their
 * bytes are read again.  test_document checks a set of documents' content
 * hashes against the ones this version gives. */
#define VB_DOCUMENT_READER_VERSION 1

/* As vb_document_read_file, asking `skip` (NULL: nothing is skipped)
 * about each record first.  A Markdown file larger than VB_DOC_MAX_BYTES
 * is reported without asking. */
enum vb_status vb_document_read_file_skipping(const char *path,
                                              vb_document_skip_fn skip,
                                              vb_document_fn fn, void *ctx,
                                              struct vb_error *err);

/* ---- Reading one document --------------------------------------------- */

/* As vb_document_read_markdown / vb_document_read_json, for callers that
 * want one result: on success *out is the document (owned by the caller)
 * and VB_OK is returned.  On rejection *out is NULL, the status is the
 * first problem's code (VB_EINVAL, VB_EUTF8 or VB_ELIMIT) and `err` holds
 * the first problem's "path:line: message", followed by " (and N more
 * problems)" when there were more and it fits. */
enum vb_status vb_document_parse_markdown(const char *path, const char *data,
                                          size_t len, struct vb_document **out,
                                          struct vb_error *err);
enum vb_status vb_document_parse_json(const char *where, unsigned line,
                                      const char *data, size_t len,
                                      struct vb_document **out,
                                      struct vb_error *err);

/* The ETag of a document (HTTP): its content hash as 16 hex digits. */
void vb_document_etag(const struct vb_document *doc, char etag[17]);

#endif
