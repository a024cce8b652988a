/* gen_lemma_lexicon.c — build-time generator of the French and English
 * lemma lexicons.
 *
 * Usage: gen_lemma_lexicon LANG DIC AFF OUT.bin [EXCEPTIONS...]
 *   LANG        french | english (the Snowball stemmer's name)
 *   DIC, AFF    the hunspell dictionary (hunspell-fr, hunspell-en-us)
 *   EXCEPTIONS  files of "FORM LEMMA [LEMMA...]" lines that win over the
 *               dictionary: WordNet's verb.exc/noun.exc/adj.exc
 *               (wordnet-base) for English, stemmers/data/fr_irregular.txt
 *               for French
 *
 * Every dictionary entry is a lemma; its suffix rules give its forms
 * ("pouvoir" -> "peut", "pouvez", "pourrait"; "pay" -> "pays", "paying").
 * A form's term is the Snowball stem of its lemma.  A form that several
 * lemmas make gets, in this order: the exception table's lemma; one of
 * the language's core verbs (être, avoir, aller, ...: their forms are the
 * most frequent and the most irregular); itself when it is an entry of
 * its own ("est" the noun is not touched unless "être" claims it); the
 * lemma all candidates agree on after stemming; else nothing (Snowball
 * decides, as before).  Only forms whose own Snowball stem differs from
 * their term are written: the rest need no entry.
 *
 * Output: one little-endian blob (tools/lemma_lexicon_format.h), embedded
 * in the library with .incbin.  A host tool: it prints and exits. */
#include <libstemmer.h>

#define HUNSPELL_TOOL "gen_lemma_lexicon"
#include "hunspell_affix.h"
#include "lemma_lexicon_format.h"

/* ---- Forms and their lemmas --------------------------------------------- */

struct form {
    char *text;
    int *lemmas; /* indices into forms[] of the lemma entries */
    int lemma_count;
    int exception; /* lemma from an exception table, or -1 */
    int root;      /* a dictionary entry that stands on its own */
};

static struct form *forms;
static int form_count, form_cap;
static int *slots;
static uint32_t slot_count;

static uint32_t hash_text(const char *s)
{
    return vb_lemma_hash((const unsigned char *)s, strlen(s));
}

static void rehash(void)
{
    uint32_t size = slot_count ? slot_count * 2 : 1u << 20;
    int *t = xrealloc(NULL, size * sizeof *t);
    memset(t, 0xff, size * sizeof *t);
    for (int i = 0; i < form_count; i++) {
        uint32_t h = hash_text(forms[i].text) & (size - 1);
        while (t[h] >= 0)
            h = (h + 1) & (size - 1);
        t[h] = i;
    }
    free(slots);
    slots = t;
    slot_count = size;
}

/* The form `text`, added when missing. */
static int intern(const char *text)
{
    if ((uint32_t)(form_count + 1) * 2 > slot_count)
        rehash();
    uint32_t h = hash_text(text) & (slot_count - 1);
    while (slots[h] >= 0) {
        if (strcmp(forms[slots[h]].text, text) == 0)
            return slots[h];
        h = (h + 1) & (slot_count - 1);
    }
    if (form_count == form_cap) {
        form_cap = form_cap ? form_cap * 2 : 1 << 16;
        forms = xrealloc(forms, (size_t)form_cap * sizeof *forms);
    }
    forms[form_count] = (struct form){.text = xstrdup(text), .exception = -1};
    slots[h] = form_count;
    return form_count++;
}

static void add_lemma(int form, int lemma)
{
    struct form *f = &forms[form];
    for (int i = 0; i < f->lemma_count; i++)
        if (f->lemmas[i] == lemma)
            return;
    f->lemmas = xrealloc(f->lemmas, (size_t)(f->lemma_count + 1) * sizeof(int));
    f->lemmas[f->lemma_count++] = lemma;
}

/* en_US's suffix flags mix inflection (S plural, D past, G -ing, T
 * superlative, R comparative) with derivation (Y -ly, B -able, N -ion,
 * R/Z agent nouns, ...), and a derived word is a lemma of its own
 * ("highly", "seller").  Only inflection is followed; R only on entries
 * that also take T (adjectives: "larger"), not on verbs ("seller"). */
static int english;

static int inflection_flag(const char *flags, const char *flag)
{
    if (!english)
        return 1; /* French: Dicollecte's suffixes are all inflection */
    if (strchr("SDGT", flag[0]))
        return 1;
    return flag[0] == 'R' && strchr(flags, 'T') != NULL;
}

/* ---- Reading the dictionary ----------------------------------------------- */

static void load_dic(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die(strerror(errno), path);
    char line[1024];
    if (!fgets(line, sizeof line, f)) /* the entry count */
        die("empty dictionary", path);
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, " \t\r\n")] = '\0';
        char *slash = strchr(line, '/');
        const char *flags = "";
        if (slash) {
            *slash = '\0';
            flags = slash + 1;
        }
        if (!is_plain_word(line) || strlen(line) >= LEMMA_WORD_MAX)
            continue;
        if (forbidden_flag[0] && has_flag(flags, forbidden_flag))
            continue;
        int lemma = intern(line);
        if (!needaffix_flag[0] || !has_flag(flags, needaffix_flag)) {
            forms[lemma].root = 1;
            add_lemma(lemma, lemma);
        }
        uint32_t w[MAXW], out[MAXW];
        int n = utf8_to_32(line, w, MAXW);
        if (n <= 0)
            continue;
        for (size_t i = 0; flags[i]; i += (size_t)flag_width) {
            char flag[3] = {flags[i], flag_width == 2 ? flags[i + 1] : 0, 0};
            if (!flag[0] || (flag_width == 2 && !flag[1]))
                break;
            const struct affix_class *c = find_class(flag);
            if (!c || c->is_pfx || !inflection_flag(flags, flag))
                continue;
            for (int k = 0; k < c->n; k++) {
                int m = apply_sfx(&c->rules[k], w, n, out);
                char text[4 * MAXW + 1];
                if (m <= 0 || utf32_to_8(out, m, text, sizeof text) < 0 ||
                    !is_plain_word(text) || strlen(text) >= LEMMA_WORD_MAX)
                    continue;
                add_lemma(intern(text), lemma);
            }
        }
    }
    fclose(f);
}

/* "FORM LEMMA [LEMMA...]" lines: the first lemma wins over the
 * dictionary.  WordNet joins multi-word entries with '_': skipped. */
static void load_exceptions(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die(strerror(errno), path);
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        char form[256], lemma[256];
        if (sscanf(line, "%255s %255s", form, lemma) != 2 ||
            !is_plain_word(form) || !is_plain_word(lemma) ||
            strlen(form) >= LEMMA_WORD_MAX || strlen(lemma) >= LEMMA_WORD_MAX)
            continue;
        int e = intern(form);
        if (forms[e].exception < 0)
            forms[e].exception = intern(lemma);
    }
    fclose(f);
}

/* ---- Terms ------------------------------------------------------------------ */

/* The verbs whose forms win when several lemmas make the same form. */
static const char *const core_french[] = {
    "être",  "avoir",  "aller",  "faire", "pouvoir", "devoir", "vouloir",
    "savoir", "venir", "dire",   "voir",  "prendre", "mettre", "recevoir",
    "falloir", NULL};
static const char *const core_english[] = {"be", "have", "do", "go", NULL};

static struct sb_stemmer *stemmer;

/* The Snowball stem of `word`, into out (cap bytes). */
static void stem(const char *word, char *out, size_t cap)
{
    const sb_symbol *s =
        sb_stemmer_stem(stemmer, (const sb_symbol *)word, (int)strlen(word));
    size_t n = s ? (size_t)sb_stemmer_length(stemmer) : 0;
    if (!s || n >= cap)
        die("cannot stem", word);
    memcpy(out, s, n);
    out[n] = '\0';
}

static int is_core(const char *const *core, const char *word)
{
    for (int i = 0; core[i]; i++)
        if (strcmp(core[i], word) == 0)
            return 1;
    return 0;
}

/* The lemma of form `e`, or -1 when Snowball should decide; *source gets
 * where it came from. */
static int choose_lemma(int e, const char *const *core, int *source)
{
    const struct form *f = &forms[e];
    *source = LEMMA_SOURCE_LEXICON;
    if (f->exception >= 0) {
        *source = LEMMA_SOURCE_IRREGULAR;
        return f->exception;
    }
    if (f->lemma_count == 0)
        return -1;
    for (int i = 0; i < f->lemma_count; i++)
        if (is_core(core, forms[f->lemmas[i]].text))
            return f->lemmas[i];
    if (f->root)
        return e;
    char first[256], other[256];
    stem(forms[f->lemmas[0]].text, first, sizeof first);
    for (int i = 1; i < f->lemma_count; i++) {
        stem(forms[f->lemmas[i]].text, other, sizeof other);
        if (strcmp(first, other) != 0)
            return -1;
    }
    return f->lemmas[0];
}

/* ---- The blob ------------------------------------------------------------------ */

static void put_u32(FILE *out, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8),
                          (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
    fwrite(b, 1, 4, out);
}

int main(int argc, char **argv)
{
    if (argc < 5)
        die("usage: gen_lemma_lexicon LANG DIC AFF OUT.bin [EXCEPTIONS...]",
            NULL);
    stemmer = sb_stemmer_new(argv[1], "UTF_8");
    if (!stemmer)
        die("no Snowball stemmer for", argv[1]);
    english = strcmp(argv[1], "english") == 0;
    const char *const *core = english ? core_english : core_french;
    load_aff(argv[3]);
    load_dic(argv[2]);
    for (int i = 5; i < argc; i++)
        load_exceptions(argv[i]);

    /* The records: forms whose term differs from their own stem. */
    char *records = NULL;
    size_t records_len = 0, records_cap = 0;
    uint32_t *offsets = xrealloc(NULL, (size_t)form_count * sizeof *offsets);
    int kept = 0, irregular = 0;
    for (int e = 0; e < form_count; e++) {
        offsets[e] = 0;
        int source;
        int lemma = choose_lemma(e, core, &source);
        if (lemma < 0)
            continue;
        char term[256], own[256];
        stem(forms[lemma].text, term, sizeof term);
        stem(forms[e].text, own, sizeof own);
        if (strcmp(term, own) == 0)
            continue;
        size_t fl = strlen(forms[e].text), tl = strlen(term);
        if (records_len + fl + tl + 3 > records_cap) {
            records_cap = records_cap ? records_cap * 2 : 1 << 20;
            records = xrealloc(records, records_cap);
        }
        offsets[e] = (uint32_t)records_len + 1;
        records[records_len++] = (char)fl;
        memcpy(records + records_len, forms[e].text, fl);
        records_len += fl;
        records[records_len++] = (char)tl;
        memcpy(records + records_len, term, tl);
        records_len += tl;
        records[records_len++] = (char)source;
        kept++;
        irregular += source == LEMMA_SOURCE_IRREGULAR;
    }

    uint32_t size = 1;
    while (size < (uint32_t)kept * 2 + 2)
        size *= 2;
    uint32_t *table = xrealloc(NULL, size * sizeof *table);
    memset(table, 0, size * sizeof *table);
    for (int e = 0; e < form_count; e++) {
        if (!offsets[e])
            continue;
        uint32_t h = hash_text(forms[e].text) & (size - 1);
        while (table[h])
            h = (h + 1) & (size - 1);
        table[h] = offsets[e];
    }
    FILE *out = fopen(argv[4], "wb");
    if (!out)
        die(strerror(errno), argv[4]);
    put_u32(out, LEMMA_BLOB_MAGIC);
    put_u32(out, LEMMA_BLOB_VERSION);
    put_u32(out, size);
    put_u32(out, (uint32_t)records_len);
    for (uint32_t i = 0; i < size; i++)
        put_u32(out, table[i]);
    fwrite(records, 1, records_len, out);
    if (fclose(out) != 0)
        die("cannot write", argv[4]);
    printf("gen_lemma_lexicon %s: %d forms read, %d stored (%d irregular), "
           "%u slots, %zu bytes\n",
           argv[1], form_count, kept, irregular, size,
           16 + size * 4 + records_len);
    sb_stemmer_delete(stemmer);
    return 0;
}
