/* read.c — documents from files, by extension (Markdown, JSON Lines),
 * and one document from a buffer.  Below it the readers of each syntax
 * (frontmatter.c, json.c); this file only chooses and reads. */
#include "document_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static bool has_extension(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n > e && strcasecmp(path + n - e, ext) == 0;
}

/* Reports "path: file changed while being read" as a problem of the
 * file (its documents read so far stand; the indexer keeps what it had of
 * the rest).  Returns whether to go on. */
static int changed_while_read(const char *path, vb_document_fn fn, void *ctx)
{
    struct doc_problems p;
    doc_problems_init(&p, path);
    doc_problem(&p, VB_EIO, 0, "file changed while being read");
    return doc_problems_report(&p, fn, ctx);
}

/* A Markdown file (at most VB_DOC_MAX_BYTES, `size` by fstat) read whole. */
static enum vb_status read_markdown_file(const char *path, int fd, size_t size,
                                         vb_document_skip_fn skip,
                                         vb_document_fn fn, void *ctx,
                                         struct vb_error *err)
{
    char *text = malloc(size + 1);
    if (!text)
        return vb_error_set(err, VB_ENOMEM, "%s: out of memory", path);
    size_t used = 0;
    ssize_t n = 0;
    /* One byte more than fstat said: a file that grew shows itself. */
    while (used <= size && (n = read(fd, text + used, size + 1 - used)) > 0)
        used += (size_t)n;
    enum vb_status status;
    if (n < 0)
        status = vb_error_set(err, VB_EIO, "%s: cannot read: %s", path,
                              strerror(errno));
    else if (used != size) {
        changed_while_read(path, fn, ctx);
        status = VB_OK;
    } else if (skip && skip(ctx, text, size, 0))
        status = VB_OK;
    else
        status = vb_document_read_markdown(path, text, size, fn, ctx, err);
    free(text);
    return status;
}

/* A JSON Lines file read a piece at a time: memory bounded by the longest
 * line (a line longer than twice the document limit is skipped, with a
 * problem), no fault when the file shrinks under us. */
static enum vb_status read_jsonl_file(const char *path, int fd, size_t size,
                                      vb_document_skip_fn skip,
                                      vb_document_fn fn, void *ctx,
                                      struct vb_error *err)
{
    const size_t line_max = 2 * (size_t)VB_DOC_MAX_BYTES;
    size_t cap = 1 << 20, used = 0, offset = 0, total = 0;
    char *buf = malloc(cap);
    if (!buf)
        return vb_error_set(err, VB_ENOMEM, "%s: out of memory", path);
    enum vb_status status = VB_OK;
    unsigned line = 1;
    bool eof = false, skipping = false, go_on = true;
    while (go_on && !eof) {
        if (used == cap) {
            if (cap >= line_max) {
                /* The line is too long to be a document: say so once and
                 * drop it up to its end. */
                if (!skipping) {
                    struct doc_problems p;
                    doc_problems_init(&p, path);
                    doc_problem(&p, VB_ELIMIT, line,
                                "line longer than %zu bytes; the document "
                                "limit is %u",
                                line_max, VB_DOC_MAX_BYTES);
                    go_on = !doc_problems_report(&p, fn, ctx);
                }
                skipping = true;
                offset += used;
                used = 0;
            } else {
                char *grown = realloc(buf, cap * 2);
                if (!grown) {
                    status =
                        vb_error_set(err, VB_ENOMEM, "%s: out of memory", path);
                    break;
                }
                buf = grown;
                cap *= 2;
            }
        }
        ssize_t n = read(fd, buf + used, cap - used);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            status = vb_error_set(err, VB_EIO, "%s: cannot read: %s", path,
                                  strerror(errno));
            break;
        }
        eof = n == 0;
        used += (size_t)n;
        total += (size_t)n;
        size_t start = 0;
        if (offset == 0 && used >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
            start = 3;
        while (go_on) {
            char *nl = memchr(buf + start, '\n', used - start);
            if (!nl && !(eof && start < used))
                break;
            size_t end = nl ? (size_t)(nl - buf) : used;
            size_t len = end - start;
            if (len && buf[start + len - 1] == '\r')
                len--;
            bool blank_line = true;
            for (size_t i = 0; i < len && blank_line; i++)
                blank_line = buf[start + i] == ' ' || buf[start + i] == '\t';
            if (skipping)
                skipping = false;
            else if (!blank_line &&
                     !(skip && skip(ctx, buf + start, len, line)))
                go_on = doc_jsonl_line(path, line, buf + start, len,
                                       offset + start, fn, ctx, &status, err);
            line++;
            start = end + 1;
            if (!nl)
                break;
        }
        if (start > used)
            start = used;
        memmove(buf, buf + start, used - start);
        offset += start;
        used -= start;
    }
    free(buf);
    if (status == VB_OK && go_on && total != size)
        changed_while_read(path, fn, ctx);
    return status;
}

enum vb_status vb_document_read_file(const char *path, vb_document_fn fn,
                                     void *ctx, struct vb_error *err)
{
    return vb_document_read_file_skipping(path, NULL, fn, ctx, err);
}

enum vb_status vb_document_read_file_skipping(const char *path,
                                              vb_document_skip_fn skip,
                                              vb_document_fn fn, void *ctx,
                                              struct vb_error *err)
{
    bool markdown = has_extension(path, ".md");
    if (!markdown && !has_extension(path, ".jsonl"))
        return vb_error_set(err, VB_EINVAL,
                            "%s: not a corpus file (expected .md or .jsonl)",
                            path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return vb_error_set(err, VB_EIO, "%s: cannot open: %s", path,
                            strerror(errno));
    enum vb_status status;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        status = vb_error_set(err, VB_EIO, "%s: cannot stat: %s", path,
                              strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        status = vb_error_set(err, VB_EIO, "%s: not a regular file", path);
        goto out;
    }
    size_t size = (size_t)st.st_size;
    if (markdown && size > VB_DOC_MAX_BYTES) {
        struct doc_problems p;
        doc_problems_init(&p, path);
        doc_problem(&p, VB_ELIMIT, 1, "document is %zu bytes; the limit is %u",
                    size, VB_DOC_MAX_BYTES);
        doc_problems_report(&p, fn, ctx);
        status = VB_OK;
        goto out;
    }
    /* read(), not mmap: a file truncated or rewritten while we read it (a
     * CRM export replaced in place) must give a problem, not SIGBUS. */
    status = markdown ? read_markdown_file(path, fd, size, skip, fn, ctx, err)
                      : read_jsonl_file(path, fd, size, skip, fn, ctx, err);
out:
    close(fd);
    return status;
}

/* ==== One document ====================================================== */

struct single {
    struct vb_document *doc;
    struct vb_error first;
    size_t more;
};

static int single_fn(void *ctx, struct vb_document *doc,
                     const struct vb_error *problems, size_t count)
{
    struct single *s = ctx;
    if (doc) {
        s->doc = doc;
    } else {
        s->first = problems[0];
        s->more = count - 1;
    }
    return 0;
}

static enum vb_status single_result(struct single *s, enum vb_status status,
                                    struct vb_document **out,
                                    struct vb_error *err)
{
    *out = NULL;
    if (status != VB_OK) {
        vb_document_free(s->doc);
        return status;
    }
    if (s->doc) {
        *out = s->doc;
        return VB_OK;
    }
    if (err) {
        *err = s->first;
        if (s->more) {
            size_t used = strlen(err->msg);
            snprintf(err->msg + used, sizeof err->msg - used,
                     " (and %zu more problems)", s->more);
        }
    }
    return s->first.code;
}

enum vb_status vb_document_parse_markdown(const char *path, const char *data,
                                          size_t len, struct vb_document **out,
                                          struct vb_error *err)
{
    struct single s = {0};
    s.first.code = VB_EINVAL;
    enum vb_status status =
        vb_document_read_markdown(path, data, len, single_fn, &s, err);
    return single_result(&s, status, out, err);
}

enum vb_status vb_document_parse_json(const char *where, unsigned line,
                                      const char *data, size_t len,
                                      struct vb_document **out,
                                      struct vb_error *err)
{
    struct single s = {0};
    s.first.code = VB_EINVAL;
    enum vb_status status =
        vb_document_read_json(where, line, data, len, single_fn, &s, err);
    return single_result(&s, status, out, err);
}
