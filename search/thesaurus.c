/* thesaurus.c — words that mean the same: the built-in cross-language term
 * bank (termbank.txt, linked into the library) and the editors' synonym
 * files (synonyms-nl.txt, synonyms-fr.txt, synonyms-en.txt), analysed
 * once with the same chain as queries.  Immutable once built; the engine
 * swaps in a new one when a synonym file changes. */
#include "search_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* termbank.txt, embedded by search/CMakeLists.txt (NUL-terminated). */
extern const char vb_termbank_text[];

#define LINE_MAX_BYTES 4096

struct builder {
    struct vb_thesaurus *t;
    struct vb_analyzer *analyzer;
    size_t entry_cap, term_cap, blob_cap;
    const char *where; /* file name for messages */
    unsigned line;
    struct vb_error *err;
};

/* Collects the whole-word terms of an entry (stopwords dropped, as they
 * are skipped when matching a query). */
struct entry_terms {
    struct builder *b;
    uint32_t count;
    bool keep_stopwords; /* an entry of stopwords only ("ONT" in French) */
    bool variant;        /* take the accent-free spellings' stems */
    bool differs;        /* some token's variant differs from its term */
    bool failed;
};

static bool add_blob(struct builder *b, const char *term, size_t len,
                     uint32_t *offset)
{
    struct vb_thesaurus *t = b->t;
    if (t->blob_used + len + 1 > b->blob_cap) {
        size_t cap = b->blob_cap ? b->blob_cap * 2 : 16384;
        while (cap < t->blob_used + len + 1)
            cap *= 2;
        char *p = realloc(t->blob, cap);
        if (!p)
            return false;
        t->blob = p;
        b->blob_cap = cap;
    }
    *offset = (uint32_t)t->blob_used;
    memcpy(t->blob + t->blob_used, term, len);
    t->blob[t->blob_used + len] = '\0';
    t->blob_used += len + 1;
    return true;
}

/* The variant term of a token (the accent-free spelling's stem), or its
 * whole-word term when it has none. */
static void variant_of(const struct vb_token *token, const char **term,
                       size_t *len)
{
    *term = token->terms[0];
    *len = token->term_lens[0];
    for (size_t i = 1; i < token->term_count; i++)
        if (token->term_kinds[i] == VB_TERM_VARIANT) {
            *term = token->terms[i];
            *len = token->term_lens[i];
            return;
        }
}

static int take_term(void *ctx, const struct vb_token *token)
{
    struct entry_terms *e = ctx;
    struct builder *b = e->b;
    struct vb_thesaurus *t = b->t;
    if (token->stopword && !e->keep_stopwords)
        return 0;
    const char *variant;
    size_t variant_len;
    variant_of(token, &variant, &variant_len);
    e->differs = e->differs || variant_len != token->term_lens[0] ||
                 memcmp(variant, token->terms[0], variant_len) != 0;
    const char *text = e->variant ? variant : token->terms[0];
    size_t len = e->variant ? variant_len : token->term_lens[0];
    if (t->term_count == b->term_cap) {
        size_t cap = b->term_cap ? b->term_cap * 2 : 1024;
        uint32_t *p = realloc(t->terms, cap * sizeof *p);
        if (!p) {
            e->failed = true;
            return 1;
        }
        t->terms = p;
        b->term_cap = cap;
    }
    if (!add_blob(b, text, len, &t->terms[t->term_count])) {
        e->failed = true;
        return 1;
    }
    t->term_count++;
    e->count++;
    return 0;
}

static enum vb_status add_variant_entry(struct builder *b, uint32_t concept,
                                        enum vb_lang lang, const char *text,
                                        size_t len, bool keep_stopwords)
{
    struct vb_thesaurus *t = b->t;
    if (t->entry_count == b->entry_cap) {
        size_t cap = b->entry_cap * 2;
        struct vb_thesaurus_entry *p = realloc(t->entries, cap * sizeof *p);
        if (!p)
            return vb_error_set(b->err, VB_ENOMEM, "out of memory");
        t->entries = p;
        b->entry_cap = cap;
    }
    struct entry_terms e = {.b = b, .keep_stopwords = keep_stopwords,
                            .variant = true};
    uint32_t first = (uint32_t)t->term_count;
    enum vb_status st =
        vb_analyze_text(b->analyzer, text, len, lang, take_term, &e, b->err);
    if (st != VB_OK)
        return st;
    if (e.failed)
        return vb_error_set(b->err, VB_ENOMEM, "out of memory");
    t->entries[t->entry_count++] = (struct vb_thesaurus_entry){
        .concept = concept, .lang = lang, .first_term = first,
        .term_count = (uint8_t)e.count};
    return VB_OK;
}

static enum vb_status add_entry(struct builder *b, uint32_t concept,
                                enum vb_lang lang, const char *text, size_t len)
{
    struct vb_thesaurus *t = b->t;
    while (len > 0 && (*text == ' ' || *text == '\t'))
        text++, len--;
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    if (len == 0)
        return vb_error_set(b->err, VB_EINVAL, "%s:%u: empty term", b->where,
                            b->line);
    if (t->entry_count == b->entry_cap) {
        size_t cap = b->entry_cap ? b->entry_cap * 2 : 512;
        struct vb_thesaurus_entry *p = realloc(t->entries, cap * sizeof *p);
        if (!p)
            return vb_error_set(b->err, VB_ENOMEM, "out of memory");
        t->entries = p;
        b->entry_cap = cap;
    }
    struct entry_terms e = {.b = b};
    uint32_t first = (uint32_t)t->term_count;
    enum vb_status st =
        vb_analyze_text(b->analyzer, text, len, lang, take_term, &e, b->err);
    if (st != VB_OK)
        return vb_error_set(b->err, st, "%s:%u: %s", b->where, b->line,
                            b->err ? b->err->msg : "cannot analyse the term");
    if (!e.failed && e.count == 0) {
        e.keep_stopwords = true;
        st = vb_analyze_text(b->analyzer, text, len, lang, take_term, &e,
                             b->err);
        if (st != VB_OK)
            return st;
    }
    if (e.failed)
        return vb_error_set(b->err, VB_ENOMEM, "out of memory");
    if (e.count == 0)
        return vb_error_set(b->err, VB_EINVAL, "%s:%u: '%.*s' has no word",
                            b->where, b->line, (int)len, text);
    if (e.count > VB_THESAURUS_TERMS_MAX)
        return vb_error_set(b->err, VB_ELIMIT,
                            "%s:%u: '%.*s' has more than %d words", b->where,
                            b->line, (int)len, text, VB_THESAURUS_TERMS_MAX);
    t->entries[t->entry_count++] = (struct vb_thesaurus_entry){
        .concept = concept, .lang = lang, .first_term = first,
        .term_count = (uint8_t)e.count};
    if (e.variant || !e.differs)
        return VB_OK;
    t->entries[t->entry_count - 1].accented = true;
    /* "électricité" stems to "electr", "electricite" to "electricit":
     * the entry is also found from the spelling without accents. */
    return add_variant_entry(b, concept, lang, text, len, e.keep_stopwords);
}

/* Adds each comma-separated term of text[0..len) as an entry. */
static enum vb_status add_list(struct builder *b, uint32_t concept,
                               enum vb_lang lang, const char *text, size_t len,
                               size_t *added)
{
    size_t start = 0;
    *added = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != ',')
            continue;
        enum vb_status st = add_entry(b, concept, lang, text + start, i - start);
        if (st != VB_OK)
            return st;
        (*added)++;
        start = i + 1;
    }
    return VB_OK;
}

/* A term bank line: "en: a, b | nl: c | fr: d". */
static enum vb_status parse_bank_line(struct builder *b, const char *line,
                                      size_t len)
{
    uint32_t concept = (uint32_t)b->t->concept_count;
    bool seen[VB_LANG_COUNT] = {false};
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && line[i] != '|')
            continue;
        const char *field = line + start;
        size_t n = i - start;
        while (n > 0 && *field == ' ')
            field++, n--;
        enum vb_lang lang = n >= 3 && field[2] == ':'
                                ? vb_lang_parse(field, 2)
                                : VB_LANG_UNKNOWN;
        if (lang == VB_LANG_UNKNOWN)
            return vb_error_set(b->err, VB_EINVAL,
                                "%s:%u: expected 'en: ...', 'nl: ...' or "
                                "'fr: ...' at byte %zu",
                                b->where, b->line, start + 1);
        if (seen[lang])
            return vb_error_set(b->err, VB_EINVAL, "%s:%u: '%s' given twice",
                                b->where, b->line, vb_lang_code(lang));
        seen[lang] = true;
        size_t added;
        enum vb_status st = add_list(b, concept, lang, field + 3, n - 3, &added);
        if (st != VB_OK)
            return st;
        start = i + 1;
    }
    for (int l = VB_LANG_NL; l < VB_LANG_COUNT; l++)
        if (!seen[l])
            return vb_error_set(b->err, VB_EINVAL, "%s:%u: no '%s:' field",
                                b->where, b->line,
                                vb_lang_code((enum vb_lang)l));
    b->t->concept_count++;
    return VB_OK;
}

/* A synonym line: "a, b, c" in one language. */
static enum vb_status parse_synonym_line(struct builder *b, enum vb_lang lang,
                                         const char *line, size_t len)
{
    size_t added;
    enum vb_status st =
        add_list(b, (uint32_t)b->t->concept_count, lang, line, len, &added);
    if (st != VB_OK)
        return st;
    if (added < 2)
        return vb_error_set(b->err, VB_EINVAL,
                            "%s:%u: a group needs two or more words separated "
                            "by commas",
                            b->where, b->line);
    b->t->concept_count++;
    return VB_OK;
}

/* Feeds every non-comment line of text to the parser of its kind. */
static enum vb_status parse_text(struct builder *b, const char *text,
                                 size_t len, enum vb_lang synonyms_lang)
{
    size_t bad;
    if (vb_utf8_validate(text, len, &bad) != VB_OK)
        return vb_error_set(b->err, VB_EUTF8,
                            "%s: invalid UTF-8 at byte %zu", b->where, bad);
    b->line = 0;
    size_t start = 0;
    while (start < len) {
        const char *nl = memchr(text + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t n = end - start;
        const char *line = text + start;
        b->line++;
        if (n > 0 && line[n - 1] == '\r')
            n--;
        size_t lead = 0;
        while (lead < n && (line[lead] == ' ' || line[lead] == '\t'))
            lead++;
        if (n > LINE_MAX_BYTES)
            return vb_error_set(b->err, VB_ELIMIT,
                                "%s:%u: line longer than %d bytes", b->where,
                                b->line, LINE_MAX_BYTES);
        if (lead < n && line[lead] != '#') {
            enum vb_status st =
                synonyms_lang == VB_LANG_UNKNOWN
                    ? parse_bank_line(b, line, n)
                    : parse_synonym_line(b, synonyms_lang, line, n);
            if (st != VB_OK)
                return st;
        }
        start = end + 1;
    }
    return VB_OK;
}

static enum vb_status read_whole(const char *path, char **out, size_t *len,
                                 struct vb_error *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT
                   ? VB_ENOTFOUND
                   : vb_error_set(err, VB_EIO, "%s: %s", path, strerror(errno));
    size_t cap = 4096, used = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + used, 1, cap - used, f)) > 0) {
        used += n;
        if (used == cap) {
            if (cap >= VB_THESAURUS_FILE_MAX) {
                free(buf);
                fclose(f);
                return vb_error_set(err, VB_ELIMIT, "%s: larger than %d bytes",
                                    path, VB_THESAURUS_FILE_MAX);
            }
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap *= 2;
        }
    }
    bool failed = ferror(f);
    fclose(f);
    if (!buf)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    if (failed) {
        free(buf);
        return vb_error_set(err, VB_EIO, "%s: cannot read", path);
    }
    *out = buf;
    *len = used;
    return VB_OK;
}

static int by_key(const void *a, const void *b)
{
    const struct vb_thesaurus_entry *x = *(const struct vb_thesaurus_entry *const *)a;
    const struct vb_thesaurus_entry *y = *(const struct vb_thesaurus_entry *const *)b;
    int c = strcmp(x->key, y->key);
    if (c != 0)
        return c;
    return (x->concept > y->concept) - (x->concept < y->concept);
}

/* Entries are added concept by concept: concept c's entries are
 * entries[concept_start[c] .. concept_start[c + 1]).  by_key orders them
 * by their first term for lookups. */
static enum vb_status index_entries(struct vb_thesaurus *t, struct vb_error *err)
{
    t->concept_start = calloc(t->concept_count + 1, sizeof *t->concept_start);
    t->by_key = calloc(t->entry_count + 1, sizeof *t->by_key);
    if (!t->concept_start || !t->by_key)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    for (size_t i = t->entry_count; i-- > 0;)
        t->concept_start[t->entries[i].concept] = (uint32_t)i;
    t->concept_start[t->concept_count] = (uint32_t)t->entry_count;
    for (size_t i = 0; i < t->entry_count; i++) {
        t->entries[i].key = t->blob + t->terms[t->entries[i].first_term];
        t->by_key[i] = &t->entries[i];
    }
    qsort(t->by_key, t->entry_count, sizeof *t->by_key, by_key);
    return VB_OK;
}

void vb_synonym_file_path(const char *dir, enum vb_lang lang, char *buf,
                          size_t size)
{
    snprintf(buf, size, "%s/synonyms-%s.txt", dir, vb_lang_code(lang));
}

/* The synonym files of `dir`, one per language (a missing one is none). */
static enum vb_status read_synonym_files(struct builder *b, const char *dir)
{
    enum vb_status st = VB_OK;
    for (int l = VB_LANG_NL; st == VB_OK && l < VB_LANG_COUNT; l++) {
        char path[4096];
        vb_synonym_file_path(dir, (enum vb_lang)l, path, sizeof path);
        char *text = NULL;
        size_t len = 0;
        st = read_whole(path, &text, &len, b->err);
        if (st == VB_ENOTFOUND) {
            st = VB_OK;
            continue;
        }
        b->where = path;
        if (st == VB_OK)
            st = parse_text(b, text, len, (enum vb_lang)l);
        free(text);
    }
    return st;
}

enum vb_status vb_thesaurus_build(const struct vb_analysis_data *analysis,
                                  const char *synonyms_dir, const char *tenant,
                                  struct vb_thesaurus **out,
                                  struct vb_error *err)
{
    *out = NULL;
    struct vb_thesaurus *t = calloc(1, sizeof *t);
    if (!t)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    atomic_init(&t->refs, 1);
    struct builder b = {.t = t, .err = err};
    enum vb_status st = vb_analyzer_new(analysis, &b.analyzer, err);
    if (st == VB_OK) {
        b.where = "termbank.txt";
        st = parse_text(&b, vb_termbank_text, strlen(vb_termbank_text),
                        VB_LANG_UNKNOWN);
        t->bank_concepts = t->concept_count;
    }
    if (st == VB_OK && synonyms_dir)
        st = read_synonym_files(&b, synonyms_dir);
    if (st == VB_OK && synonyms_dir && tenant) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/%s", synonyms_dir, tenant);
        st = read_synonym_files(&b, dir);
    }
    vb_analyzer_free(b.analyzer);
    if (st == VB_OK)
        st = index_entries(t, err);
    if (st != VB_OK) {
        vb_thesaurus_release(t);
        return st;
    }
    *out = t;
    return VB_OK;
}

void vb_thesaurus_release(struct vb_thesaurus *t)
{
    if (!t || atomic_fetch_sub(&t->refs, 1) != 1)
        return;
    free(t->blob);
    free(t->terms);
    free(t->entries);
    free(t->concept_start);
    free(t->by_key);
    free(t);
}

const char *vb_thesaurus_term(const struct vb_thesaurus *t,
                              const struct vb_thesaurus_entry *e, size_t i)
{
    return t->blob + t->terms[e->first_term + i];
}

size_t vb_thesaurus_find(const struct vb_thesaurus *t, const char *term,
                         size_t len, size_t *first)
{
    size_t lo = 0, hi = t->entry_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *s = t->by_key[mid]->key;
        size_t n = strlen(s);
        int c = memcmp(s, term, n < len ? n : len);
        if (c < 0 || (c == 0 && n < len))
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < t->entry_count && strlen(t->by_key[end]->key) == len &&
           memcmp(t->by_key[end]->key, term, len) == 0)
        end++;
    *first = lo;
    return end - lo;
}
