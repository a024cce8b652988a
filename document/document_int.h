/* document_int.h — private to document/: shared between the readers.
 *
 * Layers, each calling only those below it: read.c chooses a reader by
 * extension; the readers (frontmatter.c, json.c) turn syntax into raw
 * fields (fields.c) and hand them to doc_build (validate.c), which
 * judges them by the name rules (names.c) and reports through
 * problems.c; text.c turns bodies into plain text.  document.c is the
 * record itself.  Sections: growable buffer (text.c), problems
 * (problems.c), raw fields (fields.c), validation (validate.c), text
 * conversion (text.c). */
#ifndef VB_DOCUMENT_INT_H
#define VB_DOCUMENT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <md4c.h>

#include "vb_document.h"
#include "vb_utf8.h"

/* ---- Growable buffer (text.c) ----------------------------------------- */

/* A NUL-terminated byte buffer.  After an allocation failure `oom` is set
 * and further appends do nothing. */
struct dbuf {
    char *data;
    size_t len, cap;
    bool oom;
};

void dbuf_append(struct dbuf *b, const char *s, size_t n);
void dbuf_putc(struct dbuf *b, char c);
/* Appends code point `cp` as UTF-8 (U+FFFD for invalid ones). */
void dbuf_put_cp(struct dbuf *b, unsigned long cp);
/* Takes the buffer's string (never NULL unless oom); the buffer is reset. */
char *dbuf_take(struct dbuf *b);
void dbuf_cleanup(struct dbuf *b);

/* ---- UTF-8 ------------------------------------------------------------- */

/* True when s[0..len) is valid UTF-8 without NUL bytes; otherwise false
 * and *bad is the offset of the first invalid byte. */
static inline bool doc_utf8_valid(const char *s, size_t len, size_t *bad)
{
    return vb_utf8_validate(s, len, bad) == VB_OK;
}

/* 1-based line of byte `offset` in data (counting '\n'). */
unsigned doc_line_of(const char *data, size_t offset);

/* ---- Problems (problems.c) -------------------------------------------- */

struct doc_problems {
    const char *path;
    struct vb_error items[VB_DOC_PROBLEMS_MAX];
    size_t count;   /* stored in items */
    size_t dropped; /* more problems that did not fit */
};

void doc_problems_init(struct doc_problems *p, const char *path);
/* Adds "path:line: message". */
void doc_problem(struct doc_problems *p, enum vb_status code, unsigned line,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Hands the problems to `fn` (doc NULL) after noting dropped ones in the
 * last message.  Returns fn's result. */
int doc_problems_report(struct doc_problems *p, vb_document_fn fn, void *ctx);

/* Writes `s[0..len)` into out[0..size) quoted for a message: control
 * bytes as \xNN, cut at a UTF-8 boundary with "..." when too long. */
void doc_quote(char *out, size_t size, const char *s, size_t len);

/* ---- Raw fields (fields.c) -------------------------------------------- */

enum doc_field {
    DOC_F_ID,
    DOC_F_TYPE,
    DOC_F_LANG,
    DOC_F_TITLE,
    DOC_F_GROUP,
    DOC_F_TAGS,
    DOC_F_PRODUCTS,
    DOC_F_UPDATED,
    DOC_F_CUSTOMER,
    DOC_F_CHANNEL,
    DOC_F_DATE,
    DOC_F_OWNER,
    DOC_F_REVIEW_BY,
    DOC_F_VALID_UNTIL,
    DOC_F_TENANT,
    DOC_F_BODY,      /* JSON only */
    DOC_F_BODY_HTML, /* JSON only */
    DOC_F_COUNT
};

/* A field as the syntax gave it, before validation. */
struct raw_field {
    bool present;  /* the key appeared (even with a null value) */
    bool bad;      /* a problem was already reported for its shape */
    unsigned line; /* line of the key */
    char *value;   /* scalar fields: the string, or NULL for null */
    size_t value_len;
    char **items; /* list fields */
    unsigned *item_lines;
    size_t item_count, item_cap;
};

struct raw_doc {
    struct raw_field fields[DOC_F_COUNT];
    unsigned line;    /* where the document starts */
    bool from_json;   /* body/body_html allowed as fields */
    const char *body; /* Markdown file: the text after the front matter */
    size_t body_len;
};

void raw_doc_init(struct raw_doc *raw, unsigned line, bool from_json);
void raw_doc_cleanup(struct raw_doc *raw);

/* The field named name[0..len), or -1.  body/body_html only from JSON. */
int doc_field_lookup(const char *name, size_t len, bool from_json);
const char *doc_field_name(enum doc_field field);
bool doc_field_is_list(enum doc_field field);

/* Reports an unknown field, suggesting the nearest known name. */
void doc_unknown_field(struct doc_problems *p, unsigned line, const char *name,
                       size_t len, bool from_json);

/* Records a field's key.  Reports a duplicate (returns false: ignore the
 * value).  */
bool raw_field_begin(struct raw_doc *raw, struct doc_problems *p,
                     enum doc_field field, unsigned line);
/* Stores a scalar value (copied); false on allocation failure. */
bool raw_field_set(struct raw_field *f, const char *s, size_t len);
/* Appends a list item (copied); false on allocation failure. */
bool raw_field_add_item(struct raw_field *f, const char *s, size_t len,
                        unsigned line);
/* A NUL-terminated copy of s[0..len), NULL when memory ran out. */
char *doc_copy_bytes(const char *s, size_t len);

/* ---- Validation (validate.c) ----------------------------------------- */

/* Validates `raw` and builds the document.  With no problems *out is the
 * document; otherwise *out is NULL and the problems are in `p`.  Returns
 * VB_ENOMEM (and *out NULL) only when memory ran out. */
enum vb_status doc_build(struct raw_doc *raw, struct doc_problems *p,
                         struct vb_document **out);

/* ---- Readers (json.c; frontmatter.c is vb_document_read_markdown) ---- */

/* One line of a JSON Lines file (json.c): `line` its number, `offset`
 * the file offset of its first byte.  False when reading must stop:
 * the callback asked to, or *status is not VB_OK. */
bool doc_jsonl_line(const char *path, unsigned line, const char *data,
                    size_t len, size_t offset, vb_document_fn fn, void *ctx,
                    enum vb_status *status, struct vb_error *err);

/* ---- Text conversion (text.c) ----------------------------------------- */

/* Plain text of Markdown / HTML source (valid UTF-8) appended to `out`.
 * Always valid UTF-8 (invalid sequences produced by entities become
 * U+FFFD).  False only when memory ran out. */
bool doc_markdown_to_text(const char *src, size_t len, struct dbuf *out);

/* The padded copy md4c parses (doc_md_parse): its callbacks see text of
 * md4c's own in the padding, which they must not show.  The first member
 * of their userdata. */
struct doc_md_copy {
    const char *end, *padded_end;
};

/* md4c's `parser` over a copy of src[0..len) followed by zero bytes (see
 * text.c: md4c 0.4.8 reads past the end of some bodies), with `copy`,
 * the first member of the callbacks' userdata, set to the copy's bounds
 * while it runs.  md_parse's result; -1 when memory ran out. */
int doc_md_parse(const char *src, size_t len, const MD_PARSER *parser,
                 struct doc_md_copy *copy);

/* For a text callback: false for text in the padding (show nothing);
 * otherwise true, *size cut at the end of the body. */
static inline bool doc_md_visible(const struct doc_md_copy *copy,
                                  const char *text, MD_SIZE *size)
{
    if (text >= copy->end && text < copy->padded_end)
        return false;
    if (text < copy->end && *size > (MD_SIZE)(copy->end - text))
        *size = (MD_SIZE)(copy->end - text);
    return true;
}

/* Appends what an entity md4c hands over ("&amp;", "&#123;", "&#x1F;")
 * stands for; an unknown one as written. */
void doc_md_entity(struct dbuf *out, const char *s, size_t n);
bool doc_html_to_text(const char *src, size_t len, struct dbuf *out);

#endif
