/* bench_query_mix — the query mix of bench/compare.sh: what agents type,
 * drawn from the generated documents themselves, deterministic for one
 * seed and one input.
 *
 * usage: bench_query_mix [--seed N] [--queries N] ARTICLES.jsonl
 *                        HISTORY.jsonl > MIX.tsv
 *
 * Reads the articles and events with the project's document reader, keeps
 * a seeded reservoir sample of each (4,000 documents), and writes one
 * query a line:
 *
 *     kind<TAB>lang<TAB>customer<TAB>text
 *
 * lang is the source document's language ("-" when it has none), customer
 * "-" unless the kind is customer.  Kinds and their shares:
 *
 *   typing   40 %  1-3 words of one article, near each other in its text;
 *                  the last one cut short (3 to length-1 letters), as an
 *                  agent's query is sent while typing
 *   words    25 %  the same, every word whole
 *   typo     10 %  the same, whole words, one word of 5 letters or more
 *                  with one neighbour swap or one deleted letter
 *   customer 15 %  1-2 whole words of one event of a sampled customer,
 *                  with that customer's id
 *   suggest  10 %  3-5 consecutive sentences of one article (a pasted
 *                  e-mail), at most 800 bytes, white space folded, with
 *                  at least 8 words
 *
 * Words are as bench_words.h says (Latin letters only, lower case), 4
 * letters or more; so every peer can take them as they are
 * (no query syntax to escape).  Exit 0, or 2 with a message. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_words.h"
#include "vb_document.h"

#define SAMPLE_MAX 4000
#define SUGGEST_MAX_BYTES 800
#define SUGGEST_WORDS_MIN 8 /* of 4 letters or more */
#define WORD_MIN_LETTERS 4
#define WORDS_MAX 4096 /* words looked at per sampled document */

/* ---- Random numbers (splitmix64, as vb-gen-synthetic) ------------------ */

static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Uniform in [0, n); n > 0. */
static size_t pick(uint64_t *state, size_t n)
{
    return (size_t)(next_random(state) % n);
}

/* ---- The samples ------------------------------------------------------- */

struct sampled {
    char lang[3];
    char *customer; /* events only */
    char *text;     /* title, then the plain body */
};

struct sample {
    struct sampled items[SAMPLE_MAX];
    size_t count;
    unsigned long long seen;
    uint64_t *random;
};

static void sampled_clear(struct sampled *s)
{
    free(s->customer);
    free(s->text);
    memset(s, 0, sizeof *s);
}

/* Reservoir sampling (algorithm R): every document has the same chance. */
static int on_document(void *ctx, struct vb_document *doc,
                       const struct vb_error *problems, size_t count)
{
    (void)problems;
    (void)count;
    struct sample *s = ctx;
    if (!doc)
        return 0;
    size_t slot = SAMPLE_MAX;
    if (s->count < SAMPLE_MAX)
        slot = s->count++;
    else {
        uint64_t r = next_random(s->random) % (s->seen + 1);
        if (r < SAMPLE_MAX)
            slot = (size_t)r;
    }
    s->seen++;
    if (slot < SAMPLE_MAX) {
        struct sampled *item = &s->items[slot];
        sampled_clear(item);
        snprintf(item->lang, sizeof item->lang, "%s", doc->lang);
        if (doc->customer[0])
            item->customer = strdup(doc->customer);
        size_t tl = strlen(doc->title), bl = strlen(doc->body_text);
        item->text = malloc(tl + bl + 3);
        if (!item->text || (doc->customer[0] && !item->customer)) {
            vb_document_free(doc);
            return 1;
        }
        memcpy(item->text, doc->title, tl);
        memcpy(item->text + tl, ". ", 2);
        memcpy(item->text + tl + 2, doc->body_text, bl + 1);
    }
    vb_document_free(doc);
    return 0;
}

static int read_sample(const char *path, struct sample *s)
{
    struct vb_error err = {0};
    if (vb_document_read_file(path, on_document, s, &err) != VB_OK) {
        fprintf(stderr, "bench_query_mix: %s\n", err.msg);
        return -1;
    }
    if (s->count == 0) {
        fprintf(stderr, "bench_query_mix: %s: no valid documents\n", path);
        return -1;
    }
    return 0;
}

/* ---- Words ------------------------------------------------------------- */

/* A word as code points (enough for typos and cut prefixes). */
struct word {
    uint32_t cp[64];
    size_t n;
};

/* Splits text into words of WORD_MIN_LETTERS letters or more (longer
 * than 64 letters: dropped).  Returns the count, at most `max`. */
static size_t split_words(const char *text, struct word *words, size_t max)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t count = 0;
    struct word w = {.n = 0};
    bool too_long = false;
    for (;;) {
        size_t len = 1;
        uint32_t c = *p ? bench_decode(p, &len) : 0;
        if (c && bench_is_letter(c)) {
            if (w.n < 64)
                w.cp[w.n++] = bench_lower(c);
            else
                too_long = true;
        } else {
            if (w.n >= WORD_MIN_LETTERS && !too_long && count < max)
                words[count++] = w;
            w.n = 0;
            too_long = false;
            if (!c)
                break;
        }
        p += len;
    }
    return count;
}

static void put_word(const struct word *w, size_t n, FILE *out)
{
    char utf8[4];
    for (size_t i = 0; i < n && i < w->n; i++)
        fwrite(utf8, 1, bench_encode(w->cp[i], utf8), out);
}

/* ---- Queries ----------------------------------------------------------- */

static struct word words[WORDS_MAX];

/* 1-3 words (or up to `max_words`) from one sampled text, in text order,
 * starting at a random word and taking each of the next words with even
 * odds, so they sit near each other.  Returns the count (0: no words). */
static size_t pick_words(const struct sampled *item, uint64_t *r,
                         size_t max_words, struct word *out)
{
    size_t count = split_words(item->text, words, WORDS_MAX);
    if (count == 0)
        return 0;
    size_t roll = pick(r, 100), want = roll < 35 ? 1 : roll < 75 ? 2 : 3;
    if (want > max_words)
        want = max_words;
    size_t at = pick(r, count), n = 0;
    while (n < want && at < count) {
        out[n++] = words[at];
        at += 1 + pick(r, 2);
    }
    return n;
}

static void put_lang(const struct sampled *item, FILE *out)
{
    fputs(item->lang[0] ? item->lang : "-", out);
}

/* One neighbour swap or one deleted letter, not at the first letter (as
 * people mistype), in the first word of 5 letters or more from a random
 * start.  False when no word is long enough. */
static bool make_typo(struct word *q, size_t n, uint64_t *r)
{
    size_t start = pick(r, n);
    for (size_t k = 0; k < n; k++) {
        struct word *w = &q[(start + k) % n];
        if (w->n < 5)
            continue;
        size_t at = 1 + pick(r, w->n - 2); /* 1 .. n-2 */
        if (pick(r, 2) == 0) {
            uint32_t t = w->cp[at];
            w->cp[at] = w->cp[at + 1];
            w->cp[at + 1] = t;
            if (w->cp[at] == w->cp[at + 1]) /* "tt": a swap is no typo */
                memmove(&w->cp[at], &w->cp[at + 1],
                        (w->n-- - at - 1) * sizeof *w->cp);
        } else {
            memmove(&w->cp[at], &w->cp[at + 1],
                    (w->n-- - at - 1) * sizeof *w->cp);
        }
        return true;
    }
    return false;
}

/* 3-5 sentences from a random sentence start, white space folded, cut at
 * a word boundary before SUGGEST_MAX_BYTES, into buf (NUL-terminated).
 * Returns how many words it holds: near the end of a text it may be only
 * a few, and the caller tries another. */
static size_t make_suggest(const struct sampled *item, uint64_t *r,
                           char buf[SUGGEST_MAX_BYTES + 8])
{
    const char *text = item->text;
    size_t len = strlen(text), starts[512], count = 1;
    starts[0] = 0;
    for (size_t i = 0; i + 1 < len && count < 512; i++)
        if ((text[i] == '.' || text[i] == '?' || text[i] == '!') &&
            (text[i + 1] == ' ' || text[i + 1] == '\n'))
            starts[count++] = i + 2;
    size_t from = starts[pick(r, count)];
    size_t sentences = 3 + pick(r, 3), seen = 0, written = 0;
    bool space = false;
    size_t last_space = 0;
    for (size_t i = from; i < len && written < SUGGEST_MAX_BYTES; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
            c == '\v') {
            space = written > 0;
            continue;
        }
        if (space) {
            last_space = written;
            buf[written++] = ' ';
            space = false;
        }
        buf[written++] = (char)c;
        if ((c == '.' || c == '?' || c == '!') && ++seen == sentences)
            break;
    }
    if (written >= SUGGEST_MAX_BYTES && last_space > 0)
        written = last_space; /* never a cut word, never a cut code point */
    buf[written] = '\0';
    return split_words(buf, words, WORDS_MAX);
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_query_mix [--seed N] [--queries N] "
                    "ARTICLES.jsonl HISTORY.jsonl > MIX.tsv\n");
}

static struct sample articles, events;

int main(int argc, char **argv)
{
    uint64_t seed = 6;
    unsigned long queries = 10000;
    int i = 1;
    for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        if (strcmp(argv[i], "--seed") == 0)
            seed = strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--queries") == 0)
            queries = strtoul(argv[i + 1], NULL, 10);
        else {
            usage();
            return 2;
        }
    }
    if (argc - i != 2 || queries == 0) {
        usage();
        return 2;
    }
    uint64_t sampling = seed ^ 0x5eed5eed5eed5eedu, r = seed;
    articles.random = &sampling;
    events.random = &sampling;
    if (read_sample(argv[i], &articles) != 0 ||
        read_sample(argv[i + 1], &events) != 0)
        return 2;

    FILE *out = stdout;
    unsigned long written = 0, attempts = 0;
    while (written < queries) {
        if (++attempts > queries * 20) {
            fprintf(stderr, "bench_query_mix: the documents have too few "
                            "words to make queries from\n");
            return 2;
        }
        size_t roll = pick(&r, 100);
        struct word q[3];
        if (roll < 15) { /* customer */
            const struct sampled *ev = &events.items[pick(&r, events.count)];
            size_t n = ev->customer ? pick_words(ev, &r, 2, q) : 0;
            if (n == 0)
                continue;
            fputs("customer\t", out);
            put_lang(ev, out);
            fprintf(out, "\t%s\t", ev->customer);
            for (size_t k = 0; k < n; k++) {
                if (k)
                    fputc(' ', out);
                put_word(&q[k], q[k].n, out);
            }
        } else if (roll < 25) { /* suggest */
            const struct sampled *a = &articles.items[pick(&r, articles.count)];
            char text[SUGGEST_MAX_BYTES + 8];
            if (make_suggest(a, &r, text) < SUGGEST_WORDS_MIN)
                continue;
            fputs("suggest\t", out);
            put_lang(a, out);
            fprintf(out, "\t-\t%s", text);
        } else {
            const struct sampled *a = &articles.items[pick(&r, articles.count)];
            size_t n = pick_words(a, &r, 3, q);
            if (n == 0)
                continue;
            bool typing = roll < 65, typo = roll >= 90;
            if (typo && !make_typo(q, n, &r))
                continue;
            size_t cut = q[n - 1].n;
            if (typing)
                cut = 3 + pick(&r, q[n - 1].n - 3); /* 3 .. n-1 letters */
            fputs(typing ? "typing\t" : typo ? "typo\t" : "words\t", out);
            put_lang(a, out);
            fputs("\t-\t", out);
            for (size_t k = 0; k < n; k++) {
                if (k)
                    fputc(' ', out);
                put_word(&q[k], k + 1 == n ? cut : q[k].n, out);
            }
        }
        fputc('\n', out);
        written++;
    }
    for (size_t k = 0; k < articles.count; k++)
        sampled_clear(&articles.items[k]);
    for (size_t k = 0; k < events.count; k++)
        sampled_clear(&events.items[k]);
    if (fflush(out) != 0 || ferror(out)) {
        fprintf(stderr, "bench_query_mix: cannot write the mix\n");
        return 2;
    }
    return 0;
}
