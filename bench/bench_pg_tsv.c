/* bench_pg_tsv — the PostgreSQL peer's loader input: the same corpus files,
 * read and validated by the same document module as the indexer and the
 * FTS5 peer, written as PostgreSQL COPY text format (tab-separated, \N
 * for NULL, backslash escapes) on standard output, for
 *
 *     bench_pg_tsv FILE... | psql -c '\copy docs (id, type, lang, customer,
 *                                       title, body) from pstdin'
 *
 * Columns: id, type, lang ("" when the document has none), customer (NULL
 * unless history), title, body (the plain text, as the FTS5 peer stores).
 * Prints "pg_tsv documents=N rejected=M" on standard error at the end.
 * Exit 0, 1 when some documents were rejected, 2 when nothing could be
 * done. */
#include <stdio.h>
#include <string.h>

#include "vb_document.h"

struct convert {
    FILE *out;
    unsigned long long documents, rejected;
};

/* One COPY text field: \ \t \n \r escaped, nothing else needs it. */
static void put_field(FILE *out, const char *s, char after)
{
    for (; *s; s++) {
        switch (*s) {
        case '\\': fputs("\\\\", out); break;
        case '\t': fputs("\\t", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        default: fputc(*s, out);
        }
    }
    fputc(after, out);
}

static int on_document(void *ctx, struct vb_document *doc,
                       const struct vb_error *problems, size_t count)
{
    struct convert *c = ctx;
    if (!doc) {
        c->rejected++;
        if (count > 0 && c->rejected <= 5)
            fprintf(stderr, "bench_pg_tsv: %s\n", problems[0].msg);
        return 0;
    }
    put_field(c->out, doc->id, '\t');
    put_field(c->out, doc->type, '\t');
    put_field(c->out, doc->lang, '\t');
    if (doc->customer[0])
        put_field(c->out, doc->customer, '\t');
    else
        fputs("\\N\t", c->out);
    put_field(c->out, doc->title, '\t');
    put_field(c->out, doc->body_text, '\n');
    c->documents++;
    vb_document_free(doc);
    return ferror(c->out) ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_pg_tsv FILE... > DOCS.tsv\n");
        return 2;
    }
    static char buffer[1 << 20];
    setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
    struct convert c = {.out = stdout};
    for (int i = 1; i < argc; i++) {
        struct vb_error err = {0};
        if (vb_document_read_file(argv[i], on_document, &c, &err) != VB_OK) {
            fprintf(stderr, "bench_pg_tsv: %s\n", err.msg);
            return 2;
        }
        if (ferror(stdout))
            break;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "bench_pg_tsv: cannot write the output\n");
        return 2;
    }
    fprintf(stderr, "pg_tsv documents=%llu rejected=%llu\n", c.documents,
            c.rejected);
    return c.rejected ? 1 : 0;
}
