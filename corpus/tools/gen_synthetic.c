/*
 * gen_synthetic.c - deterministic generator of synthetic Vraagbaak data at
 * scale, for benchmarks (Contract 1, JSON Lines).
 *
 * Writes two files into --outdir (created when it does not exist):
 *
 *   articles.jsonl  knowledge articles: type product (~30 %) and procedure
 *                   (~70 %); nl ~50 %, fr ~33 %, en ~17 %; most belong to a
 *                   translation group with 2 or 3 language versions; Markdown
 *                   bodies (headings, lists, tables, **emphasis**), median
 *                   around 2 KB with a tail up to ~15 KB.
 *   history.jsonl   customer-history events (type history) of customers
 *                   S0000001, S0000002, ...: a few events for most
 *                   customers, many for some; dates over 2025-2026 with the
 *                   Belgian offset of the day; bodies of 150-800 bytes.
 *
 * The words come from the sample corpus itself.  For each language a
 * word-bigram Markov chain is learnt from the Markdown bodies of
 * <corpus>/products/ and <corpus>/procedures/ (documents without lang: are
 * skipped), and a second one from the bodies of <corpus>/history/ *.jsonl
 * for the notes of history events (the article chain stands in when there
 * is no history).  Headings and tags are drawn from the corpus's own
 * headings and tags, so inflections, compounds, accents and elisions are
 * the corpus's, and word frequencies follow its Zipf-like curve.  Product
 * codes, small amounts and ISO dates met in the learnt text are re-drawn;
 * phone numbers, amounts and dates are also mixed in from templates.
 *
 * Output is byte-identical for the same arguments and the same corpus: a
 * splitmix64 PRNG seeded from --seed and a stream per article group and per
 * customer, integer arithmetic only, no locale, no clock in the output,
 * directory entries read in byte order.  Each file is written under a
 * temporary name and renamed into place at the end.  Memory does not grow
 * with --articles or --events (one count per customer is kept, and one
 * customer's events at a time).
 *
 *   vb-gen-synthetic --outdir /tmp/synthetic
 *   vb-gen-synthetic --articles 3000 --events 20000 --customers 500 \
 *                    --seed 7 --corpus corpus --outdir /tmp/small
 *
 * C11 with POSIX (scandir, mkdir, rename, clock_gettime) and jansson.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#ifndef VB_CORPUS_DIR
#define VB_CORPUS_DIR "corpus"
#endif

#define PROGRAM "vb-gen-synthetic"

#define DEFAULT_ARTICLES 100000ULL
#define DEFAULT_EVENTS 1000000ULL
#define DEFAULT_CUSTOMERS 50000ULL
#define DEFAULT_SEED 20250101ULL
#define MAX_ARTICLES 100000000ULL
#define MAX_EVENTS 1000000000ULL
#define MAX_CUSTOMERS 9999999ULL /* ids are S + 7 digits */

enum { NL = 0, FR = 1, EN = 2, NLANG = 3 };
static const char *const LANG_CODE[NLANG] = {"nl", "fr", "en"};

/* ================================================================ errors */

/* Temporary output files to remove when the program dies half-way: the one
 * piece of global mutable state, because die() is reached from anywhere. */
static char *g_temp_paths[2];

static _Noreturn void die(const char *fmt, ...)
{
    va_list ap;
    fputs(PROGRAM ": ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    for (size_t i = 0; i < 2; i++)
        if (g_temp_paths[i])
            remove(g_temp_paths[i]);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die("out of memory");
    return q;
}

static char *xstrndup(const char *s, size_t n)
{
    char *p = xrealloc(NULL, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* ================================================================== PRNG */

struct rng {
    uint64_t state;
};

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* splitmix64 */
static uint64_t rng_next(struct rng *r)
{
    return mix64(r->state += 0x9E3779B97F4A7C15ULL);
}

/* Streams: every article group and every customer has its own generator,
 * derived from the seed and its index only, so a larger run begins with
 * the same article groups as a smaller one. */
enum stream {
    STREAM_GROUP = 1,    /* structure of an article group */
    STREAM_ARTICLE = 2,  /* words of one language version */
    STREAM_CUSTOMER = 3, /* a customer's language, name, products */
    STREAM_WEIGHT = 4,   /* how many events a customer gets */
    STREAM_EVENTS = 5    /* a customer's events */
};

static struct rng rng_stream(uint64_t seed, enum stream stream, uint64_t index)
{
    struct rng r = {mix64(
        mix64(seed ^ ((uint64_t)stream * 0xD1B54A32D192ED03ULL)) + index)};
    return r;
}

static uint64_t rng_below(struct rng *r, uint64_t n)
{
    return n ? rng_next(r) % n : 0;
}

static int rng_range(struct rng *r, int lo, int hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int)rng_below(r, (uint64_t)(hi - lo + 1));
}

static int rng_percent(struct rng *r, int pct)
{
    return (int)rng_below(r, 100) < pct;
}

/* A distribution given by points of its cumulative curve: value `value` at
 * position `at` (per 100 000); linear in between. */
struct quantile {
    int at, value;
};

static int rng_quantile(struct rng *r, const struct quantile *q, size_t n)
{
    int u = (int)rng_below(r, 100000);
    for (size_t i = 0; i + 1 < n; i++) {
        if (u < q[i + 1].at) {
            int64_t span = q[i + 1].at - q[i].at;
            int64_t rise = q[i + 1].value - q[i].value;
            return q[i].value + (int)(rise * (u - q[i].at) / span);
        }
    }
    return q[n - 1].value;
}

/* Body sizes in bytes (targets: the rendered size follows them closely). */
static const struct quantile ARTICLE_BYTES[] = {
    {0, 500},      {10000, 900},  {25000, 1350},  {50000, 1900},  {75000, 2700},
    {90000, 3900}, {97000, 6000}, {99500, 10000}, {100000, 15000}};
static const struct quantile EVENT_BYTES[] = {{0, 150},     {25000, 230},
                                              {50000, 320}, {75000, 440},
                                              {90000, 580}, {100000, 760}};
#define EVENT_BODY_MIN 150
#define EVENT_BODY_MAX 800
#define ARTICLE_BODY_MAX 16000

/* ======================================================= growable string */

struct buf {
    char *data; /* NUL-terminated once anything was added */
    size_t len, cap;
};

static void buf_add(struct buf *b, const void *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->data = xrealloc(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void buf_puts(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static void buf_putc(struct buf *b, char c)
{
    buf_add(b, &c, 1);
}

static void buf_printf(struct buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp)
        die("internal error: formatted text too long");
    buf_add(b, tmp, (size_t)n);
}

static void buf_clear(struct buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static void buf_free(struct buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

/* A list of owned strings; duplicates are kept on purpose (frequent
 * headings and tags of the corpus stay frequent). */
struct pool {
    char **items;
    size_t n, cap;
};

static void pool_add(struct pool *p, const char *s, size_t n)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->items = xrealloc(p->items, p->cap * sizeof *p->items);
    }
    p->items[p->n++] = xstrndup(s, n);
}

static void pool_free(struct pool *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->items[i]);
    free(p->items);
    memset(p, 0, sizeof *p);
}

/* ============================================================= calendar */

static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

/* Articles are updated 2024-01-01..2026-12-31, events happen
 * 2025-01-01..2026-12-31. */
#define UPDATED_DAYS 1096
#define EVENT_DAYS 730

static long epoch_2024(void)
{
    return days_from_civil(2024, 1, 1);
}

static long epoch_2025(void)
{
    return days_from_civil(2025, 1, 1);
}

static int last_sunday(int y, int m)
{
    long e = days_from_civil(y, m, 31);
    int wd = (int)((e + 4) % 7); /* 0 = Sunday; 1970-01-01 was a Thursday */
    return 31 - wd;
}

/* Belgian civil time: +02:00 from the last Sunday of March to the last
 * Sunday of October, +01:00 otherwise.  Events happen between 07:00 and
 * 23:00, so a decision per day is exact for them. */
static int belgian_offset_hours(long epoch_day)
{
    int y, m, d;
    civil_from_days(epoch_day, &y, &m, &d);
    if (m < 3 || m > 10)
        return 1;
    if (m > 3 && m < 10)
        return 2;
    if (m == 3)
        return d >= last_sunday(y, 3) ? 2 : 1;
    return d < last_sunday(y, 10) ? 2 : 1;
}

static const char *const MONTH[NLANG][12] = {
    {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
     "september", "oktober", "november", "december"},
    {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
     "septembre", "octobre", "novembre", "décembre"},
    {"January", "February", "March", "April", "May", "June", "July", "August",
     "September", "October", "November", "December"},
};

/* "14 maart 2026", "1er mars 2026", "14 March 2026" */
static void put_long_date(struct buf *b, int lang, long epoch_day)
{
    int y, m, d;
    civil_from_days(epoch_day, &y, &m, &d);
    if (lang == FR && d == 1)
        buf_printf(b, "1er %s %d", MONTH[FR][m - 1], y);
    else
        buf_printf(b, "%d %s %d", d, MONTH[lang][m - 1], y);
}

static void put_iso_date(struct buf *b, long epoch_day)
{
    int y, m, d;
    civil_from_days(epoch_day, &y, &m, &d);
    buf_printf(b, "%04d-%02d-%02d", y, m, d);
}

/* ======================================================= number formats */

static void put_grouped(struct buf *b, long v, const char *sep)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%ld", v);
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf_puts(b, sep);
        buf_putc(b, digits[i]);
    }
}

/* money in cents: nl "€ 1.234,50", fr "1 234,50 €", en "€1,234.50" */
static void put_money(struct buf *b, int lang, long cents)
{
    long whole = cents / 100, rest = cents % 100;
    if (lang == NL) {
        buf_puts(b, "€ ");
        put_grouped(b, whole, ".");
        buf_printf(b, ",%02ld", rest);
    } else if (lang == FR) {
        put_grouped(b, whole, " ");
        buf_printf(b, ",%02ld €", rest);
    } else {
        buf_puts(b, "€");
        put_grouped(b, whole, ",");
        buf_printf(b, ".%02ld", rest);
    }
}

static long random_cents(struct rng *r)
{
    static const int CENTS[] = {0, 0, 0, 50, 95, 99};
    int euros =
        rng_percent(r, 80) ? rng_range(r, 3, 150) : rng_range(r, 150, 1500);
    int cents =
        rng_percent(r, 80) ? CENTS[rng_below(r, 6)] : rng_range(r, 0, 99);
    return euros * 100L + cents;
}

/* The free customer-service number, a landline or a mobile number. */
static void put_phone(struct buf *b, struct rng *r)
{
    static const int AREA[] = {2, 3, 4, 9, 10, 11, 15, 16, 50, 53};
    int kind = (int)rng_below(r, 10);
    if (kind < 4) {
        buf_puts(b, "0800 40 400");
    } else if (kind < 7) {
        int area = AREA[rng_below(r, sizeof AREA / sizeof AREA[0])];
        if (area < 10)
            buf_printf(b, "0%d %03d %02d %02d", area, rng_range(r, 200, 999),
                       rng_range(r, 0, 99), rng_range(r, 0, 99));
        else
            buf_printf(b, "0%d %02d %02d %02d", area, rng_range(r, 20, 99),
                       rng_range(r, 0, 99), rng_range(r, 0, 99));
    } else {
        buf_printf(b, "04%d%d %02d %02d %02d", rng_range(r, 7, 9),
                   rng_range(r, 0, 9), rng_range(r, 0, 99), rng_range(r, 0, 99),
                   rng_range(r, 0, 99));
    }
}

/* ============================================================ catalogue */

enum category {
    CAT_INTERNET,
    CAT_EQUIPMENT,
    CAT_TV,
    CAT_VOICE,
    CAT_MOBILE,
    CAT_ENERGY,
    CAT_BUNDLE,
    CAT_SERVICE,
    CAT_ANY
};

/* corpus/README.md, "Product catalogue". */
struct product {
    const char *code, *name;
    enum category category;
    long price_cents; /* a month, VAT included; 0: none or not monthly */
};

static const struct product PRODUCTS[] = {
    {"DSL-50", "Lumina DSL 50", CAT_INTERNET, 4400},
    {"FIBER-100", "Lumina Fiber 100", CAT_INTERNET, 4900},
    {"FIBER-500", "Lumina Fiber 500", CAT_INTERNET, 6200},
    {"FIBER-1000", "Lumina Fiber 1000", CAT_INTERNET, 7900},
    {"HOMEBOX-4G", "HomeBox 4G/5G", CAT_INTERNET, 3900},
    {"INTERNET-SOCIAL", "Internet Social", CAT_INTERNET, 1900},
    {"MODEM-LX6", "Lumina Box LX6", CAT_EQUIPMENT, 0},
    {"MODEM-LX5", "Lumina Box LX5", CAT_EQUIPMENT, 0},
    {"WIFI-EXT", "Wifi Booster", CAT_EQUIPMENT, 300},
    {"TV-BOX4K", "TV Box 4K", CAT_EQUIPMENT, 500},
    {"TV-BASIS", "TV Basis", CAT_TV, 2200},
    {"TV-PLUS", "TV Plus", CAT_TV, 3200},
    {"TV-SPORT", "TV Sport", CAT_TV, 2495},
    {"TV-CINEMA", "TV Cinema", CAT_TV, 1250},
    {"TV-GO", "TV Go", CAT_TV, 1200},
    {"VOICE-HOME", "Voice Home", CAT_VOICE, 1000},
    {"MOBILE-5GB", "Mobile 5 GB", CAT_MOBILE, 1500},
    {"MOBILE-20GB", "Mobile 20 GB", CAT_MOBILE, 2500},
    {"MOBILE-UNLIMITED", "Mobile Unlimited", CAT_MOBILE, 3900},
    {"MOBILE-PREPAID", "Lumina Prepaid", CAT_MOBILE, 0},
    {"ROAM-WORLD", "Roam World", CAT_MOBILE, 995},
    {"ESIM", "eSIM", CAT_MOBILE, 0},
    {"ENERGY-GREEN", "Energy Green", CAT_ENERGY, 450},
    {"ENERGY-FIX", "Energy Fix", CAT_ENERGY, 500},
    {"ENERGY-DYNAMIC", "Energy Dynamic", CAT_ENERGY, 450},
    {"GAS-FIX", "Gas Fix", CAT_ENERGY, 500},
    {"GAS-VAR", "Gas Var", CAT_ENERGY, 450},
    {"SOLAR-INJECT", "Solar Inject", CAT_ENERGY, 0},
    {"EV-CHARGE", "EV Charge", CAT_ENERGY, 2400},
    {"PACK-DUO", "Pack Duo", CAT_BUNDLE, 0},
    {"PACK-TRIO", "Pack Trio", CAT_BUNDLE, 10400},
    {"PACK-ALLIN", "Pack All-in", CAT_BUNDLE, 0},
    {"INSTALL-PRO", "Install Pro", CAT_SERVICE, 7500},
    {"INSTALL-DIY", "Install DIY", CAT_SERVICE, 0},
    {"CARE-PLUS", "Care Plus", CAT_SERVICE, 499},
    {"SECURE-NET", "Secure Net", CAT_SERVICE, 300},
};
#define NPRODUCTS (sizeof PRODUCTS / sizeof PRODUCTS[0])

static int is_product_code(const char *s, size_t n)
{
    for (size_t i = 0; i < NPRODUCTS; i++)
        if (strlen(PRODUCTS[i].code) == n && !memcmp(PRODUCTS[i].code, s, n))
            return 1;
    return 0;
}

/* A random product of category cat (any product for CAT_ANY). */
static const struct product *pick_product(struct rng *r, enum category cat)
{
    size_t n = 0;
    for (size_t i = 0; i < NPRODUCTS; i++)
        n += cat == CAT_ANY || PRODUCTS[i].category == cat;
    size_t k = (size_t)rng_below(r, n);
    for (size_t i = 0; i < NPRODUCTS; i++)
        if ((cat == CAT_ANY || PRODUCTS[i].category == cat) && k-- == 0)
            return &PRODUCTS[i];
    return &PRODUCTS[0];
}

/* ============================================================ word model */

/*
 * A word-bigram Markov chain.  Tokens are the corpus's whitespace-separated
 * words with their punctuation attached ("factuur.", "l'accord", "€",
 * "FIBER-500,"); token 0 is the sentence boundary.  Learning records every
 * pair of neighbours; model_finish turns the pairs into a successor list
 * per token (duplicates kept, so drawing one uniformly follows the corpus's
 * frequencies).
 */

#define BOUNDARY 0u
#define TOKEN_MAX_BYTES 60
#define SENTENCE_MAX 48

enum token_flag {
    TOKEN_FINAL = 1,     /* ends a sentence */
    TOKEN_NUMBER = 2,    /* a small number or amount: digits are re-drawn */
    TOKEN_PRODUCT = 4,   /* a product code: replaced by the document's */
    TOKEN_ISODATE = 8,   /* YYYY-MM-DD: re-drawn */
    TOKEN_WORDLIKE = 16, /* starts with a letter or digit */
    TOKEN_DIGITS = 32    /* only digits: "0800", "40" */
};

struct token {
    uint32_t offset;   /* into model.strings */
    uint16_t len;      /* bytes */
    uint16_t core_len; /* bytes without trailing punctuation */
    uint8_t flags;
};

struct pair {
    uint32_t from, to;
};

struct model {
    struct buf strings;
    struct token *tokens;
    size_t ntokens, tokens_cap;
    uint32_t *slots; /* open addressing: token index + 1, 0 = empty */
    size_t nslots;
    struct pair *pairs; /* while learning */
    size_t npairs, pairs_cap;
    uint32_t *first; /* after model_finish: successors of t are */
    uint32_t *next;  /* next[first[t] .. first[t + 1]) */
    uint64_t sentences, sentence_bytes;
};

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static const char *token_text(const struct model *m, uint32_t id)
{
    return m->strings.data + m->tokens[id].offset;
}

/* Bytes of trailing punctuation: . , ; : ! ? ) " ' and » ” ’ in UTF-8. */
static size_t trailing_punct(const char *s, size_t n)
{
    size_t end = n;
    while (end > 0) {
        unsigned char c = (unsigned char)s[end - 1];
        if (strchr(".,;:!?)\"'", c) && c != '\0') {
            end--;
        } else if (end >= 2 && (unsigned char)s[end - 2] == 0xC2 && c == 0xBB) {
            end -= 2; /* » */
        } else if (end >= 3 && (unsigned char)s[end - 3] == 0xE2 &&
                   (unsigned char)s[end - 2] == 0x80 &&
                   (c == 0x9D || c == 0x99)) {
            end -= 3; /* ” ’ */
        } else {
            break;
        }
    }
    return n - end;
}

static int ascii_casecmp_n(const char *a, size_t n, const char *b)
{
    if (strlen(b) != n)
        return 1;
    for (size_t i = 0; i < n; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (x != y)
            return 1;
    }
    return 0;
}

/* Abbreviations whose full stop does not end a sentence. */
static const char *const ABBREVIATIONS[] = {
    "bv.",     "bijv.", "vb.",     "o.a.",   "m.a.w.", "i.p.v.",
    "t.e.m.",  "incl.", "excl.",   "max.",   "min.",   "ca.",
    "cf.",     "zgn.",  "resp.",   "nr.",    "tel.",   "p.ex.",
    "ex.",     "env.",  "c.-à-d.", "e.g.",   "i.e.",   "vs.",
    "approx.", "no.",   "mr.",     "mrs.",   "ms.",    "dr.",
    "st.",     "art.",  "etc.",    "a.u.b.", "s.v.p.", "p.",
};

static int ends_sentence(const char *s, size_t n)
{
    /* look through closing quotes and brackets: «... klaar.» ends too */
    while (n > 0 && strchr(")\"'", s[n - 1]) && s[n - 1] != '\0')
        n--;
    if (n >= 2 && (unsigned char)s[n - 2] == 0xC2 &&
        (unsigned char)s[n - 1] == 0xBB)
        n -= 2;
    if (n == 0)
        return 0;
    if (s[n - 1] == '?' || s[n - 1] == '!')
        return 1;
    if (s[n - 1] != '.')
        return 0;
    for (size_t i = 0; i < sizeof ABBREVIATIONS / sizeof ABBREVIATIONS[0]; i++)
        if (!ascii_casecmp_n(s, n, ABBREVIATIONS[i]))
            return 0;
    return n >= 2;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* [€]d{1,3}([.,]d{1,2})?[%€]? with "€" in UTF-8 (E2 82 AC). */
static int is_small_number(const char *s, size_t n)
{
    static const char EURO[] = "\xE2\x82\xAC";
    size_t i = 0, digits = 0;
    if (n >= 3 && !memcmp(s, EURO, 3))
        i = 3;
    while (i < n && is_digit(s[i]) && digits < 4) {
        i++;
        digits++;
    }
    if (digits == 0 || digits > 3)
        return 0;
    if (i < n && (s[i] == ',' || s[i] == '.') && i + 1 < n &&
        is_digit(s[i + 1])) {
        i++;
        size_t decimals = 0;
        while (i < n && is_digit(s[i]) && decimals < 3) {
            i++;
            decimals++;
        }
        if (decimals > 2)
            return 0;
    }
    if (i < n && s[i] == '%')
        i++;
    else if (i + 3 <= n && !memcmp(s + i, EURO, 3))
        i += 3;
    return i == n;
}

static int is_iso_date(const char *s, size_t n)
{
    if (n != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (i != 4 && i != 7 && !is_digit(s[i]))
            return 0;
    return 1;
}

static int starts_wordlike(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
           (c >= 'a' && c <= 'z') || (c >= 0xC3 && c <= 0xC5);
}

/* Words that would turn into markup, HTML, entities or paths are left out
 * of the model (the corpus has a few on purpose, in its phishing article). */
static int token_acceptable(const char *s, size_t n)
{
    if (n == 0 || n > TOKEN_MAX_BYTES)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F || strchr("|={}[]\\#", c))
            return 0;
        if (n > 1 && (c == '<' || c == '>' || c == '&'))
            return 0;
    }
    char tmp[TOKEN_MAX_BYTES + 1];
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    return !strstr(tmp, "http") && !strstr(tmp, ".md") && !strstr(tmp, "](");
}

static void model_init(struct model *m)
{
    memset(m, 0, sizeof *m);
    m->nslots = 1024;
    m->slots = xrealloc(NULL, m->nslots * sizeof *m->slots);
    memset(m->slots, 0, m->nslots * sizeof *m->slots);
    m->tokens_cap = 1024;
    m->tokens = xrealloc(NULL, m->tokens_cap * sizeof *m->tokens);
    buf_putc(&m->strings, '\0');
    m->tokens[0] = (struct token){0, 0, 0, 0}; /* BOUNDARY */
    m->ntokens = 1;
}

static void model_free(struct model *m)
{
    buf_free(&m->strings);
    free(m->tokens);
    free(m->slots);
    free(m->pairs);
    free(m->first);
    free(m->next);
    memset(m, 0, sizeof *m);
}

static void model_rehash(struct model *m)
{
    size_t nslots = m->nslots * 2;
    uint32_t *slots = xrealloc(NULL, nslots * sizeof *slots);
    memset(slots, 0, nslots * sizeof *slots);
    for (uint32_t id = 1; id < m->ntokens; id++) {
        const struct token *t = &m->tokens[id];
        size_t h = (size_t)hash_bytes(token_text(m, id), t->len) & (nslots - 1);
        while (slots[h])
            h = (h + 1) & (nslots - 1);
        slots[h] = id + 1;
    }
    free(m->slots);
    m->slots = slots;
    m->nslots = nslots;
}

static uint32_t model_intern(struct model *m, const char *s, size_t n)
{
    size_t h = (size_t)hash_bytes(s, n) & (m->nslots - 1);
    while (m->slots[h]) {
        uint32_t id = m->slots[h] - 1;
        const struct token *t = &m->tokens[id];
        if (t->len == n && !memcmp(token_text(m, id), s, n))
            return id;
        h = (h + 1) & (m->nslots - 1);
    }
    if (m->ntokens == m->tokens_cap) {
        m->tokens_cap *= 2;
        m->tokens = xrealloc(m->tokens, m->tokens_cap * sizeof *m->tokens);
    }
    uint32_t id = (uint32_t)m->ntokens++;
    struct token *t = &m->tokens[id];
    t->offset = (uint32_t)m->strings.len;
    t->len = (uint16_t)n;
    t->core_len = (uint16_t)(n - trailing_punct(s, n));
    t->flags = 0;
    buf_add(&m->strings, s, n);
    buf_putc(&m->strings, '\0');
    if (ends_sentence(s, n))
        t->flags |= TOKEN_FINAL;
    if (starts_wordlike(s))
        t->flags |= TOKEN_WORDLIKE;
    if (t->core_len > 0) {
        if (is_product_code(s, t->core_len))
            t->flags |= TOKEN_PRODUCT;
        else if (is_iso_date(s, t->core_len))
            t->flags |= TOKEN_ISODATE;
        else if (is_small_number(s, t->core_len))
            t->flags |= TOKEN_NUMBER;
        size_t d = 0;
        while (d < t->core_len && is_digit(s[d]))
            d++;
        if (d == t->core_len)
            t->flags |= TOKEN_DIGITS;
    }
    m->slots[h] = id + 1;
    if (m->ntokens * 2 > m->nslots)
        model_rehash(m);
    return id;
}

static void model_pair(struct model *m, uint32_t from, uint32_t to)
{
    if (m->npairs == m->pairs_cap) {
        m->pairs_cap = m->pairs_cap ? m->pairs_cap * 2 : 4096;
        m->pairs = xrealloc(m->pairs, m->pairs_cap * sizeof *m->pairs);
    }
    m->pairs[m->npairs++] = (struct pair){from, to};
}

/* Markdown inline markup out: [text](target) becomes text; * and ` go. */
static void strip_inline_markup(struct buf *out, const char *s, size_t n)
{
    buf_clear(out);
    buf_add(out, "", 0);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '[') {
            const char *close = memchr(s + i, ']', n - i);
            const char *paren = NULL;
            if (close && (size_t)(close - s) + 1 < n && close[1] == '(')
                paren = memchr(close, ')', n - (size_t)(close - s));
            if (paren) {
                for (const char *p = s + i + 1; p < close; p++)
                    if (*p != '*' && *p != '`')
                        buf_putc(out, *p);
                i = (size_t)(paren - s);
                continue;
            }
        }
        if (s[i] != '*' && s[i] != '`')
            buf_putc(out, s[i]);
    }
}

/* Learns one line of prose (a paragraph or a list item).  Each sentence
 * becomes boundary, words, boundary. */
static void model_learn(struct model *m, struct buf *scratch, const char *line,
                        size_t len, size_t min_words)
{
    strip_inline_markup(scratch, line, len);
    const char *p = scratch->data ? scratch->data : "";
    const char *end = p + scratch->len;
    size_t words = 0;
    for (const char *q = p; q < end;) {
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        if (q == end)
            break;
        while (q < end && *q != ' ' && *q != '\t')
            q++;
        words++;
    }
    if (words < min_words)
        return;
    uint32_t prev = BOUNDARY;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        const char *w = p;
        while (p < end && *p != ' ' && *p != '\t')
            p++;
        size_t n = (size_t)(p - w);
        if (!token_acceptable(w, n))
            continue;
        uint32_t id = model_intern(m, w, n);
        model_pair(m, prev, id);
        m->sentence_bytes += n + 1;
        prev = id;
        if (m->tokens[id].flags & TOKEN_FINAL) {
            model_pair(m, id, BOUNDARY);
            m->sentences++;
            prev = BOUNDARY;
        }
    }
    if (prev != BOUNDARY) {
        model_pair(m, prev, BOUNDARY);
        m->sentences++;
    }
}

/* Pairs to successor lists (a stable counting sort: the order of the
 * corpus files, hence the output, is kept). */
static void model_finish(struct model *m)
{
    m->first = xrealloc(NULL, (m->ntokens + 1) * sizeof *m->first);
    memset(m->first, 0, (m->ntokens + 1) * sizeof *m->first);
    for (size_t i = 0; i < m->npairs; i++)
        m->first[m->pairs[i].from + 1]++;
    for (size_t t = 0; t < m->ntokens; t++)
        m->first[t + 1] += m->first[t];
    m->next = xrealloc(NULL, m->npairs * sizeof *m->next);
    uint32_t *fill = xrealloc(NULL, m->ntokens * sizeof *fill);
    memcpy(fill, m->first, m->ntokens * sizeof *fill);
    for (size_t i = 0; i < m->npairs; i++)
        m->next[fill[m->pairs[i].from]++] = m->pairs[i].to;
    free(fill);
    free(m->pairs);
    m->pairs = NULL;
    free(m->slots);
    m->slots = NULL;
}

/* A random walk from the boundary to the boundary: one sentence as token
 * ids, at most `max` of them. */
static size_t model_walk(const struct model *m, struct rng *r, uint32_t *ids,
                         size_t max)
{
    uint32_t cur = BOUNDARY;
    size_t n = 0;
    while (n < max) {
        uint32_t lo = m->first[cur], hi = m->first[cur + 1];
        if (lo == hi)
            break;
        uint32_t nx = m->next[lo + (uint32_t)rng_below(r, hi - lo)];
        if (nx == BOUNDARY)
            break;
        ids[n++] = nx;
        cur = nx;
    }
    return n;
}

static size_t model_average_sentence(const struct model *m)
{
    return m->sentences ? (size_t)(m->sentence_bytes / m->sentences) : 80;
}

/* ================================================================ corpus */

struct language {
    struct model article;      /* products/ and procedures/ bodies */
    struct model note;         /* history/ bodies */
    const struct model *notes; /* &note, or &article without history */
    struct pool headings;      /* "## ..." and "### ..." texts */
    struct pool tags;
    size_t documents;
};

struct corpus {
    struct language lang[NLANG];
    struct buf scratch;
    size_t files_read;
};

static int lang_index(const char *s, size_t n)
{
    for (int i = 0; i < NLANG; i++)
        if (n == 2 && (s[0] | 0x20) == LANG_CODE[i][0] &&
            (s[1] | 0x20) == LANG_CODE[i][1])
            return i;
    return -1;
}

static char *read_whole_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open %s: %s", path, strerror(errno));
    struct buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, n);
    if (ferror(f))
        die("cannot read %s: %s", path, strerror(errno));
    fclose(f);
    if (!b.data)
        buf_add(&b, "", 0);
    *len = b.len;
    return b.data;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

static const char *trim(const char *s, const char *end, const char **out_end)
{
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\r'))
        s++;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    *out_end = end;
    return s;
}

/* Strips one pair of surrounding quotes. */
static const char *unquote(const char *s, const char *end, const char **out_end)
{
    if (end - s >= 2 && (*s == '"' || *s == '\'') && end[-1] == *s) {
        s++;
        end--;
    }
    *out_end = end;
    return s;
}

/* tags: [a, b, "c d"] of the front matter. */
static void learn_tags(struct pool *tags, const char *s, const char *end)
{
    s = trim(s, end, &end);
    if (s == end || *s != '[' || end[-1] != ']')
        return;
    s++;
    end--;
    while (s < end) {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        const char *item_end = comma ? comma : end;
        const char *e;
        const char *b = trim(s, item_end, &e);
        b = unquote(b, e, &e);
        if (e > b && e - b <= 128 && token_acceptable(b, 1))
            pool_add(tags, b, (size_t)(e - b));
        s = comma ? comma + 1 : end;
    }
}

/* One line of a Markdown body: headings to the heading pool, prose and list
 * items to the model; tables and code blocks are left out. */
static void learn_body_line(struct corpus *c, struct language *L, const char *s,
                            const char *end, int *in_code)
{
    const char *e;
    s = trim(s, end, &e);
    end = e;
    if (end - s >= 3 && (!memcmp(s, "```", 3) || !memcmp(s, "~~~", 3))) {
        *in_code = !*in_code;
        return;
    }
    if (*in_code || s == end || *s == '|')
        return;
    if (*s == '#') {
        int level = 0;
        while (s < end && *s == '#') {
            s++;
            level++;
        }
        if (level < 2 || level > 3)
            return;
        strip_inline_markup(&c->scratch, s, (size_t)(end - s));
        const char *h =
            trim(c->scratch.data, c->scratch.data + c->scratch.len, &e);
        int ok = e > h && e - h <= 80;
        for (const char *p = h; ok && p < e; p++)
            ok = (unsigned char)*p >= 0x20 && !strchr("<>|&", *p);
        if (ok)
            pool_add(&L->headings, h, (size_t)(e - h));
        return;
    }
    if (*s == '>') {
        s++;
    } else if (end - s >= 2 && strchr("-*+", *s) && s[1] == ' ') {
        s += 2;
    } else {
        const char *d = s;
        while (d < end && is_digit(*d))
            d++;
        if (d > s && d + 1 < end && (*d == '.' || *d == ')') && d[1] == ' ')
            s = d + 2;
    }
    model_learn(&L->article, &c->scratch, s, (size_t)(end - s), 1);
}

static void learn_markdown(struct corpus *c, const char *path)
{
    size_t len;
    char *data = read_whole_file(path, &len);
    const char *p = data, *end = data + len;
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    if (end - p < 4 || memcmp(p, "---", 3) || (p[3] != '\n' && p[3] != '\r')) {
        free(data);
        return; /* not a corpus document */
    }
    const char *opening_end = memchr(p, '\n', (size_t)(end - p));
    if (!opening_end) {
        free(data);
        return;
    }
    p = opening_end + 1;
    int lang = -1, closed = 0;
    const char *tags = NULL, *tags_end = NULL;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = nl ? nl : end;
        const char *e;
        const char *s = trim(p, line_end, &e);
        p = nl ? nl + 1 : end;
        if (e - s == 3 && !memcmp(s, "---", 3)) {
            closed = 1;
            break;
        }
        if (e - s > 5 && !memcmp(s, "lang:", 5)) {
            const char *v = trim(s + 5, e, &e);
            v = unquote(v, e, &e);
            lang = lang_index(v, (size_t)(e - v));
        } else if (e - s > 5 && !memcmp(s, "tags:", 5)) {
            tags = s + 5;
            tags_end = e;
        }
    }
    if (!closed || lang < 0) {
        free(data);
        return; /* no lang: the indexer detects it; we skip it */
    }
    struct language *L = &c->lang[lang];
    if (tags)
        learn_tags(&L->tags, tags, tags_end);
    int in_code = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = nl ? nl : end;
        learn_body_line(c, L, p, line_end, &in_code);
        p = nl ? nl + 1 : end;
    }
    L->documents++;
    c->files_read++;
    free(data);
}

/* history/ *.jsonl: the "body" of each event, line by line; lines of fewer
 * than four words (greetings, signatures) are left out. */
static void learn_history(struct corpus *c, const char *path)
{
    size_t len;
    char *data = read_whole_file(path, &len);
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = nl ? nl : end;
        json_error_t jerr;
        json_t *doc = json_loadb(p, (size_t)(line_end - p), 0, &jerr);
        p = nl ? nl + 1 : end;
        if (!doc)
            continue;
        const char *lang_s = json_string_value(json_object_get(doc, "lang"));
        json_t *body = json_object_get(doc, "body");
        int lang = lang_s ? lang_index(lang_s, strlen(lang_s)) : -1;
        if (lang >= 0 && json_is_string(body)) {
            const char *b = json_string_value(body);
            const char *bend = b + json_string_length(body);
            while (b < bend) {
                const char *bl = memchr(b, '\n', (size_t)(bend - b));
                const char *le = bl ? bl : bend;
                model_learn(&c->lang[lang].note, &c->scratch, b,
                            (size_t)(le - b), 4);
                b = bl ? bl + 1 : bend;
            }
        }
        json_decref(doc);
    }
    c->files_read++;
    free(data);
}

/* Calls learn(c, path) for each regular file in dir whose name ends with
 * suffix, in byte order of the names.  A missing optional dir is fine. */
static void learn_directory(struct corpus *c, const char *dir,
                            const char *suffix, int optional,
                            void (*learn)(struct corpus *, const char *))
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, by_name);
    if (n < 0) {
        if (optional && errno == ENOENT)
            return;
        die("cannot read directory %s: %s", dir, strerror(errno));
    }
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        struct buf path = {0};
        buf_printf(&path, "%s/", dir);
        buf_puts(&path, name);
        struct stat st;
        if (name[0] != '.' && has_suffix(name, suffix) &&
            stat(path.data, &st) == 0 && S_ISREG(st.st_mode))
            learn(c, path.data);
        buf_free(&path);
        free(names[i]);
    }
    free(names);
}

static void corpus_load(struct corpus *c, const char *root)
{
    memset(c, 0, sizeof *c);
    for (int i = 0; i < NLANG; i++) {
        model_init(&c->lang[i].article);
        model_init(&c->lang[i].note);
    }
    static const char *const ARTICLE_DIRS[] = {"products", "procedures"};
    for (size_t i = 0; i < 2; i++) {
        struct buf dir = {0};
        buf_puts(&dir, root);
        buf_putc(&dir, '/');
        buf_puts(&dir, ARTICLE_DIRS[i]);
        learn_directory(c, dir.data, ".md", 0, learn_markdown);
        buf_free(&dir);
    }
    struct buf dir = {0};
    buf_puts(&dir, root);
    buf_puts(&dir, "/history");
    learn_directory(c, dir.data, ".jsonl", 1, learn_history);
    buf_free(&dir);

    for (int i = 0; i < NLANG; i++) {
        struct language *L = &c->lang[i];
        if (L->article.sentences == 0)
            die("%s: no '%s' article text to learn from (products/*.md, "
                "procedures/*.md with lang: %s)",
                root, LANG_CODE[i], LANG_CODE[i]);
        if (L->headings.n == 0)
            pool_add(&L->headings, LANG_CODE[i], 2);
        if (L->tags.n == 0)
            pool_add(&L->tags, LANG_CODE[i], 2);
        model_finish(&L->article);
        model_finish(&L->note);
        L->notes = L->note.sentences ? &L->note : &L->article;
    }
}

static void corpus_free(struct corpus *c)
{
    for (int i = 0; i < NLANG; i++) {
        model_free(&c->lang[i].article);
        model_free(&c->lang[i].note);
        pool_free(&c->lang[i].headings);
        pool_free(&c->lang[i].tags);
    }
    buf_free(&c->scratch);
}

/* ================================================================ prose */

/* What a generated text is about: its language, its words and the products
 * that learnt product codes turn into. */
struct voice {
    struct rng *rng;
    int lang;
    const struct model *model;
    const char *const *products;
    size_t nproducts;
};

/* A token without its trailing punctuation, with product codes, ISO dates
 * and small numbers re-drawn, except when `literal` (a number that continues
 * a phone number or account number: "0800 40 400"). */
static void put_core(struct buf *out, struct voice *v, uint32_t id, int literal)
{
    const struct token *t = &v->model->tokens[id];
    const char *s = token_text(v->model, id);
    if ((t->flags & TOKEN_PRODUCT) && v->nproducts && rng_percent(v->rng, 70)) {
        buf_puts(out, v->products[rng_below(v->rng, v->nproducts)]);
    } else if (t->flags & TOKEN_ISODATE) {
        put_iso_date(out, epoch_2024() + (long)rng_below(v->rng, UPDATED_DAYS));
    } else if ((t->flags & TOKEN_NUMBER) && !literal &&
               rng_percent(v->rng, 50)) {
        int first_digit = 1;
        for (size_t i = 0; i < t->core_len; i++) {
            char ch = s[i];
            if (is_digit(ch)) {
                int keep_zero = first_digit && ch == '0';
                int run = i + 1 < t->core_len && is_digit(s[i + 1]);
                if (!keep_zero)
                    ch = (char)('0' + (first_digit && run
                                           ? rng_range(v->rng, 1, 9)
                                           : rng_range(v->rng, 0, 9)));
                first_digit = 0;
            }
            buf_putc(out, ch);
        }
    } else {
        buf_add(out, s, t->core_len);
    }
}

static void put_suffix(struct buf *out, const struct voice *v, uint32_t id)
{
    const struct token *t = &v->model->tokens[id];
    buf_add(out, token_text(v->model, id) + t->core_len,
            (size_t)(t->len - t->core_len));
}

/* One sentence of the model.  With probability emphasis_pct a run of 1-3
 * words is set in **bold**; lead_bold bolds the first words instead. */
static void put_sentence(struct buf *out, struct voice *v, int emphasis_pct,
                         int lead_bold)
{
    uint32_t ids[SENTENCE_MAX];
    size_t n = 0;
    for (int tries = 0; n == 0 && tries < 8; tries++)
        n = model_walk(v->model, v->rng, ids, SENTENCE_MAX);
    size_t from = SIZE_MAX, to = 0;
    if (lead_bold) {
        from = 0;
        to = 1 + (size_t)rng_below(v->rng, 3);
    } else if (n >= 4 && rng_percent(v->rng, emphasis_pct)) {
        from = (size_t)rng_below(v->rng, n - 1);
        to = from + 1 + (size_t)rng_below(v->rng, 3);
    }
    if (from < n) {
        /* bold whole words only, and end the run at punctuation */
        if (!(v->model->tokens[ids[from]].flags & TOKEN_WORDLIKE))
            from = SIZE_MAX;
        for (size_t i = from; from != SIZE_MAX && i < to && i < n; i++) {
            const struct token *t = &v->model->tokens[ids[i]];
            if (t->core_len == 0 || !(t->flags & TOKEN_WORDLIKE)) {
                to = i;
                break;
            }
            if (t->core_len < t->len) {
                to = i + 1;
                break;
            }
        }
        if (to > n)
            to = n;
        if (from != SIZE_MAX && to <= from)
            from = SIZE_MAX;
    }
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(out, ' ');
        if (i == from)
            buf_puts(out, "**");
        size_t at = out->len;
        put_core(out, v, ids[i],
                 i > 0 && (v->model->tokens[ids[i - 1]].flags & TOKEN_DIGITS));
        /* sentences start with a capital ("eSIM" stays as it is) */
        if (i == 0 && out->len >= at + 2 && out->data[at] >= 'a' &&
            out->data[at] <= 'z' &&
            !(out->data[at + 1] >= 'A' && out->data[at + 1] <= 'Z'))
            out->data[at] = (char)(out->data[at] - 'a' + 'A');
        if (from != SIZE_MAX && i + 1 == to)
            buf_puts(out, "**");
        put_suffix(out, v, ids[i]);
    }
}

/* A short phrase for a title, heading or table cell: the start of a
 * sentence, min..max words, no brackets or quotes, no closing punctuation. */
static void put_phrase(struct buf *out, struct voice *v, int min_words,
                       int max_words, int capitalize)
{
    static const char *const FALLBACK[NLANG] = {"Informatie", "Information",
                                                "Information"};
    uint32_t ids[SENTENCE_MAX];
    size_t start = out->len;
    buf_add(out, "", 0); /* out->data exists from here on */
    for (int tries = 0; tries < 6; tries++) {
        out->len = start;
        out->data[start] = '\0';
        size_t n = model_walk(v->model, v->rng, ids, SENTENCE_MAX);
        int want = rng_range(v->rng, min_words, max_words), words = 0;
        for (size_t i = 0; i < n && words < want; i++) {
            const struct token *t = &v->model->tokens[ids[i]];
            const char *s = token_text(v->model, ids[i]);
            if (!(t->flags & TOKEN_WORDLIKE) || t->core_len == 0 ||
                strpbrk(s, "()\"'") || strstr(s, "\xC2\xAB") ||
                strstr(s, "\xC2\xBB") || strstr(s, "\xE2\x80\x9C") ||
                strstr(s, "\xE2\x80\x9D")) {
                if (words)
                    break;
                continue;
            }
            if (words)
                buf_putc(out, ' ');
            put_core(out, v, ids[i], 0);
            words++;
            if (t->core_len < t->len)
                break; /* punctuation ends the phrase */
        }
        if (words >= min_words)
            break;
    }
    if (out->len == start)
        buf_puts(out, FALLBACK[v->lang]);
    if (capitalize && out->data[start] >= 'a' && out->data[start] <= 'z')
        out->data[start] = (char)(out->data[start] - 'a' + 'A');
}

/* {first}, {gist}, {product}, {phone}, {amount}, {date}, {ticket} and
 * {agent} in a template. */
struct fill {
    const char *first, *gist, *product;
    int year;
};

static const char *const AGENT_NAMES[] = {
    "Sofie", "Kevin", "Nadia", "Ruben", "Aurélie",  "Mathieu", "Yasmina",
    "Joris", "Laura", "Samir", "Elke",  "Jonathan", "Inès",    "Pieter"};

static void expand(struct buf *out, const char *tpl, const struct fill *f,
                   struct rng *r, int lang)
{
    for (const char *p = tpl; *p;) {
        if (*p != '{') {
            const char *brace = strchr(p, '{');
            size_t n = brace ? (size_t)(brace - p) : strlen(p);
            buf_add(out, p, n);
            p += n;
            continue;
        }
        const char *close = strchr(p, '}');
        if (!close)
            die("internal error: unterminated { in template");
        size_t k = (size_t)(close - p - 1);
        const char *key = p + 1;
        p = close + 1;
        if (k == 5 && !memcmp(key, "first", 5)) {
            buf_puts(out, f->first);
        } else if (k == 4 && !memcmp(key, "gist", 4)) {
            buf_puts(out, f->gist);
        } else if (k == 7 && !memcmp(key, "product", 7)) {
            buf_puts(out,
                     f->product ? f->product : pick_product(r, CAT_ANY)->code);
        } else if (k == 5 && !memcmp(key, "phone", 5)) {
            put_phone(out, r);
        } else if (k == 6 && !memcmp(key, "amount", 6)) {
            put_money(out, lang, random_cents(r));
        } else if (k == 4 && !memcmp(key, "date", 4)) {
            put_long_date(out, lang,
                          epoch_2024() + (long)rng_below(r, UPDATED_DAYS));
        } else if (k == 6 && !memcmp(key, "ticket", 6)) {
            buf_printf(out, "T-%d-%06d", f->year, rng_range(r, 1, 999999));
        } else if (k == 5 && !memcmp(key, "agent", 5)) {
            buf_puts(out, AGENT_NAMES[rng_below(r, sizeof AGENT_NAMES /
                                                       sizeof AGENT_NAMES[0])]);
            buf_printf(out, " (A%04d)", rng_range(r, 1000, 3999));
        } else {
            die("internal error: unknown template variable {%.*s}", (int)k,
                key);
        }
    }
}

/* Sentences the corpus uses for phone numbers, amounts, dates, products. */
static const char *const FACTS[NLANG][6] = {
    {"Bel de klantendienst op {phone} (gratis).",
     "Het bedrag van {amount} wordt verrekend op de volgende factuur.",
     "Deze regeling geldt vanaf {date}.", "Van toepassing op {product}.",
     "De klant betaalt {amount} per maand.",
     "Bij twijfel: bel {phone} en vraag naar de tweede lijn."},
    {"Appelez le service clientèle au {phone} (gratuit).",
     "Le montant de {amount} est déduit de la prochaine facture.",
     "Cette règle s'applique à partir du {date}.", "Concerne {product}.",
     "Le client paie {amount} par mois.",
     "En cas de doute : appelez le {phone} et demandez la deuxième ligne."},
    {"Call customer care on {phone} (free).",
     "The amount of {amount} is deducted from the next invoice.",
     "This rule applies from {date}.", "Applies to {product}.",
     "The customer pays {amount} a month.",
     "In case of doubt, call {phone} and ask for the second line."},
};

static void put_fact(struct buf *out, struct voice *v)
{
    struct fill f = {"", "", NULL, 2026};
    if (v->nproducts)
        f.product = v->products[rng_below(v->rng, v->nproducts)];
    expand(out, FACTS[v->lang][rng_below(v->rng, 6)], &f, v->rng, v->lang);
}

/* ============================================================= articles */

enum block_kind {
    BLOCK_PARAGRAPH,
    BLOCK_BULLETS,
    BLOCK_STEPS,
    BLOCK_TABLE,
    BLOCK_NOTE
};

#define PLAN_BLOCKS_MAX 200

/* The shape of an article, shared by the language versions of a group so
 * translations look alike: the same sections, lists and tables. */
struct plan {
    int intro_sentences;
    int spec_rows; /* product sheets: extra rows of the specification table */
    size_t nblocks;
    struct {
        uint8_t kind, count, new_section;
    } blocks[PLAN_BLOCKS_MAX];
};

static void plan_make(struct plan *p, struct rng *r, int product_sheet,
                      size_t sentence_bytes)
{
    size_t target = (size_t)rng_quantile(
        r, ARTICLE_BYTES, sizeof ARTICLE_BYTES / sizeof ARTICLE_BYTES[0]);
    memset(p, 0, sizeof *p);
    p->intro_sentences = rng_range(r, 1, 3);
    size_t estimate = 60 + (size_t)p->intro_sentences * sentence_bytes;
    if (product_sheet) {
        p->spec_rows = rng_range(r, 1, 4);
        estimate += 120 + (size_t)p->spec_rows * 45;
    }
    while ((estimate < target || p->nblocks == 0) &&
           p->nblocks + 3 < PLAN_BLOCKS_MAX) {
        int in_section = rng_range(r, 1, 3);
        estimate += 30;
        for (int j = 0; j < in_section; j++) {
            int u = (int)rng_below(r, 100);
            uint8_t kind, count;
            size_t cost;
            if (u < 42) {
                kind = BLOCK_PARAGRAPH;
                count = (uint8_t)rng_range(r, 2, 5);
                cost = count * sentence_bytes;
            } else if (u < 65) {
                kind = BLOCK_BULLETS;
                count = (uint8_t)rng_range(r, 3, 6);
                cost = count * (sentence_bytes + 3);
            } else if (u < 85) {
                kind = BLOCK_STEPS;
                count = (uint8_t)rng_range(r, 3, 7);
                cost = count * (sentence_bytes + 4);
            } else if (u < 93) {
                kind = BLOCK_TABLE;
                count = (uint8_t)rng_range(r, 3, 6);
                cost = 40 + count * 45;
            } else {
                kind = BLOCK_NOTE;
                count = (uint8_t)rng_range(r, 1, 2);
                cost = 12 + count * sentence_bytes;
            }
            p->blocks[p->nblocks].kind = kind;
            p->blocks[p->nblocks].count = count;
            p->blocks[p->nblocks].new_section = j == 0;
            p->nblocks++;
            estimate += cost + 2;
        }
    }
}

static const char *const TABLE_HEADS[NLANG][4][2] = {
    {{"Situatie", "Wat doe je?"},
     {"Kenmerk", "Waarde"},
     {"Stap", "Termijn"},
     {"Kosten", "Bedrag"}},
    {{"Situation", "Que faire ?"},
     {"Caractéristique", "Valeur"},
     {"Étape", "Délai"},
     {"Frais", "Montant"}},
    {{"Situation", "What to do"},
     {"Feature", "Value"},
     {"Step", "Term"},
     {"Cost", "Amount"}},
};
static const char *const SPEC_HEAD[NLANG][2] = {
    {"Kenmerk", "Waarde"}, {"Caractéristique", "Valeur"}, {"Feature", "Value"}};
static const char *const SPEC_CODE[NLANG] = {"Productcode", "Code produit",
                                             "Product code"};
static const char *const SPEC_PRICE[NLANG][2] = {
    {"Prijs", "per maand"}, {"Prix", "par mois"}, {"Price", "a month"}};
static const char *const NOTE_LABEL[NLANG][3] = {
    {"Let op:", "Opgelet:", "Tip:"},
    {"Attention :", "Important :", "Astuce :"},
    {"Note:", "Important:", "Tip:"}};
static const char *const UNITS[NLANG][4] = {
    {"dagen", "werkdagen", "maanden", "Mbps"},
    {"jours", "jours ouvrables", "mois", "Mbit/s"},
    {"days", "working days", "months", "Mbps"}};

static void put_table_value(struct buf *out, struct voice *v)
{
    int u = (int)rng_below(v->rng, 10);
    if (u < 4)
        put_money(out, v->lang, random_cents(v->rng));
    else if (u < 6)
        buf_printf(out, "%d %s", rng_range(v->rng, 1, 60),
                   UNITS[v->lang][rng_below(v->rng, 4)]);
    else
        put_phrase(out, v, 2, 4, 0);
}

static void put_block(struct buf *out, struct voice *v, int kind, int count)
{
    switch (kind) {
    case BLOCK_PARAGRAPH:
        for (int i = 0; i < count; i++) {
            if (i)
                buf_putc(out, ' ');
            put_sentence(out, v, 12, 0);
        }
        if (rng_percent(v->rng, 20)) {
            buf_putc(out, ' ');
            put_fact(out, v);
        }
        break;
    case BLOCK_BULLETS:
        for (int i = 0; i < count; i++) {
            buf_puts(out, i ? "\n- " : "- ");
            put_sentence(out, v, 8, rng_percent(v->rng, 30));
        }
        break;
    case BLOCK_STEPS:
        for (int i = 0; i < count; i++) {
            buf_printf(out, i ? "\n%d. " : "%d. ", i + 1);
            put_sentence(out, v, 15, 0);
        }
        break;
    case BLOCK_TABLE: {
        const char *const *head = TABLE_HEADS[v->lang][rng_below(v->rng, 4)];
        buf_printf(out, "| %s | %s |\n|---|---|", head[0], head[1]);
        for (int i = 0; i < count; i++) {
            buf_puts(out, "\n| ");
            put_phrase(out, v, 2, 4, 1);
            buf_puts(out, " | ");
            put_table_value(out, v);
            buf_puts(out, " |");
        }
        break;
    }
    default: /* BLOCK_NOTE */
        buf_printf(out, "**%s** ", NOTE_LABEL[v->lang][rng_below(v->rng, 3)]);
        for (int i = 0; i < count; i++) {
            if (i)
                buf_putc(out, ' ');
            put_sentence(out, v, 0, 0);
        }
        if (rng_percent(v->rng, 40)) {
            buf_putc(out, ' ');
            put_fact(out, v);
        }
        break;
    }
}

static void put_heading(struct buf *out, const struct language *L,
                        struct voice *v)
{
    buf_puts(out, "## ");
    if (rng_percent(v->rng, 70))
        buf_puts(out, L->headings.items[rng_below(v->rng, L->headings.n)]);
    else
        put_phrase(out, v, 2, 5, 1);
    buf_puts(out, "\n\n");
}

static void render_article(struct buf *body, const struct language *L,
                           struct voice *v, const struct plan *plan,
                           const char *title, const struct product *sheet)
{
    buf_clear(body);
    buf_printf(body, "# %s\n\n", title);
    for (int i = 0; i < plan->intro_sentences; i++) {
        if (i)
            buf_putc(body, ' ');
        put_sentence(body, v, 10, 0);
    }
    buf_puts(body, "\n\n");
    if (sheet) {
        buf_printf(body, "| %s | %s |\n|---|---|\n| %s | **%s** |\n",
                   SPEC_HEAD[v->lang][0], SPEC_HEAD[v->lang][1],
                   SPEC_CODE[v->lang], sheet->code);
        if (sheet->price_cents) {
            buf_printf(body, "| %s | **", SPEC_PRICE[v->lang][0]);
            put_money(body, v->lang, sheet->price_cents);
            buf_printf(body, " %s** |\n", SPEC_PRICE[v->lang][1]);
        }
        for (int i = 0; i < plan->spec_rows; i++) {
            buf_puts(body, "| ");
            put_phrase(body, v, 2, 3, 1);
            buf_puts(body, " | ");
            put_table_value(body, v);
            buf_puts(body, " |\n");
        }
        buf_putc(body, '\n');
    }
    for (size_t i = 0; i < plan->nblocks && body->len < ARTICLE_BODY_MAX - 1000;
         i++) {
        if (plan->blocks[i].new_section)
            put_heading(body, L, v);
        put_block(body, v, plan->blocks[i].kind, plan->blocks[i].count);
        buf_puts(body, "\n\n");
    }
    while (body->len > 0 && body->data[body->len - 1] == '\n')
        body->len--;
    buf_putc(body, '\n');
}

/* ======================================================= JSON output */

struct output {
    FILE *file;
    struct buf line; /* the document being written */
    char *path, *temp_path;
    uint64_t bytes, documents;
    int slot; /* index into g_temp_paths */
};

static int output_append(const char *data, size_t size, void *ctx)
{
    struct output *o = ctx;
    buf_add(&o->line, data, size);
    return 0;
}

static void output_open(struct output *o, const char *dir, const char *name,
                        int slot)
{
    struct buf b = {0};
    memset(o, 0, sizeof *o);
    buf_printf(&b, "%s/", dir);
    buf_puts(&b, name);
    o->path = xstrndup(b.data, b.len);
    buf_clear(&b);
    buf_printf(&b, "%s/.", dir);
    buf_puts(&b, name);
    buf_printf(&b, ".tmp-%ld", (long)getpid());
    o->temp_path = xstrndup(b.data, b.len);
    buf_free(&b);
    o->slot = slot;
    o->file = fopen(o->temp_path, "wb");
    if (!o->file)
        die("cannot create %s: %s", o->temp_path, strerror(errno));
    g_temp_paths[slot] = o->temp_path;
    setvbuf(o->file, NULL, _IOFBF, 1 << 20);
}

/* Writes doc as one compact line (UTF-8 kept as is) and releases it. */
static void output_document(struct output *o, json_t *doc)
{
    buf_clear(&o->line);
    if (json_dump_callback(doc, output_append, o,
                           JSON_COMPACT | JSON_PRESERVE_ORDER) != 0)
        die("cannot encode a document as JSON");
    buf_putc(&o->line, '\n');
    if (fwrite(o->line.data, 1, o->line.len, o->file) != o->line.len)
        die("cannot write %s: %s", o->temp_path, strerror(errno));
    o->bytes += o->line.len;
    o->documents++;
    json_decref(doc);
}

static void output_commit(struct output *o)
{
    if (fflush(o->file) != 0 || ferror(o->file) || fclose(o->file) != 0) {
        o->file = NULL;
        die("cannot write %s: %s", o->temp_path, strerror(errno));
    }
    o->file = NULL;
    if (rename(o->temp_path, o->path) != 0)
        die("cannot rename %s to %s: %s", o->temp_path, o->path,
            strerror(errno));
    g_temp_paths[o->slot] = NULL;
}

static void output_free(struct output *o)
{
    free(o->path);
    free(o->temp_path);
    buf_free(&o->line);
    memset(o, 0, sizeof *o);
}

static void set_string(json_t *obj, const char *key, const char *s, size_t n)
{
    json_t *v = json_stringn(s, n);
    if (!v || json_object_set_new(obj, key, v) != 0)
        die("cannot encode field '%s' as JSON (invalid UTF-8?)", key);
}

static void set_new(json_t *obj, const char *key, json_t *value)
{
    if (json_object_set_new(obj, key, value) != 0)
        die("out of memory");
}

static void set_cstring(json_t *obj, const char *key, const char *s)
{
    set_string(obj, key, s, strlen(s));
}

static json_t *string_array(const char *const *items, size_t n)
{
    json_t *a = json_array();
    if (!a)
        die("out of memory");
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_string(items[i]);
        if (!v || json_array_append_new(a, v) != 0)
            die("cannot encode '%s' as JSON (invalid UTF-8?)", items[i]);
    }
    return a;
}

static json_t *new_object(void)
{
    json_t *o = json_object();
    if (!o)
        die("out of memory");
    return o;
}

/* ===================================================== article groups */

struct settings {
    uint64_t articles, events, customers, seed;
    /* Clients of one deployment (Contract 1 `tenant`): 0 none; else each
     * customer is one client's, "t01"..., and each article group one
     * client's or (one group in N + 1) shared. */
    uint64_t tenants;
    const char *corpus, *outdir;
};

/* Languages of a translation group, bit i = language i.  Chosen so that
 * articles are ~50 % nl, ~33 % fr, ~17 % en and ~77 % belong to a group of
 * 2 or 3 languages. */
static unsigned pick_languages(struct rng *r)
{
    int u = (int)rng_below(r, 100), v = (int)rng_below(r, 100);
    if (u < 40)
        return v < 75 ? 1u : v < 90 ? 2u : 4u;
    if (u < 85)
        return v < 78 ? 3u : v < 92 ? 5u : 6u;
    return 7u;
}

#define ARTICLE_PRODUCTS_MAX 4
#define ARTICLE_TAGS_MAX 6

struct article_writer {
    const struct settings *set;
    const struct corpus *corpus;
    struct output *out;
    struct buf title, body, id, group;
    size_t sentence_bytes; /* average over the three languages */
};

static void write_article(struct article_writer *w, uint64_t group_no, int lang,
                          unsigned langs, int product_sheet,
                          const struct plan *plan, const char *const *products,
                          size_t nproducts, const struct product *sheet,
                          long updated_day)
{
    const struct language *L = &w->corpus->lang[lang];
    struct rng r = rng_stream(w->set->seed, STREAM_ARTICLE,
                              group_no * NLANG + (uint64_t)lang);
    struct voice v = {&r, lang, &L->article, products, nproducts};
    const char *kind = product_sheet ? "prod" : "proc";

    buf_clear(&w->id);
    buf_printf(&w->id, "syn-%s-%06" PRIu64 "-%s", kind, group_no + 1,
               LANG_CODE[lang]);
    buf_clear(&w->title);
    if (sheet)
        buf_printf(&w->title, "%s: ", sheet->name);
    put_phrase(&w->title, &v, 3, 8, 1);
    render_article(&w->body, L, &v, plan, w->title.data, sheet);

    const char *tags[ARTICLE_TAGS_MAX];
    size_t ntags = 0, want = (size_t)rng_range(&r, 2, ARTICLE_TAGS_MAX);
    for (int tries = 0; ntags < want && tries < 24; tries++) {
        const char *t = L->tags.items[rng_below(&r, L->tags.n)];
        size_t k = 0;
        while (k < ntags && strcmp(tags[k], t))
            k++;
        if (k == ntags)
            tags[ntags++] = t;
    }
    long day = updated_day + rng_range(&r, 0, 45);
    if (day >= epoch_2024() + UPDATED_DAYS)
        day = epoch_2024() + UPDATED_DAYS - 1;
    struct buf updated = {0};
    put_iso_date(&updated, day);

    json_t *doc = new_object();
    set_string(doc, "id", w->id.data, w->id.len);
    if (w->set->tenants && group_no % (w->set->tenants + 1) != w->set->tenants) {
        char tenant[24];
        snprintf(tenant, sizeof tenant, "t%02" PRIu64,
                 group_no % (w->set->tenants + 1) + 1);
        set_cstring(doc, "tenant", tenant);
    }
    set_cstring(doc, "type", product_sheet ? "product" : "procedure");
    set_cstring(doc, "lang", LANG_CODE[lang]);
    set_string(doc, "title", w->title.data, w->title.len);
    if (langs & (langs - 1)) { /* two or more languages */
        buf_clear(&w->group);
        buf_printf(&w->group, "syn-%s-%06" PRIu64, kind, group_no + 1);
        set_string(doc, "group", w->group.data, w->group.len);
    }
    set_new(doc, "tags", string_array(tags, ntags));
    set_new(doc, "products", string_array(products, nproducts));
    set_string(doc, "updated", updated.data, updated.len);
    set_string(doc, "body", w->body.data, w->body.len);
    output_document(w->out, doc);
    buf_free(&updated);
}

static void generate_articles(const struct settings *set,
                              const struct corpus *corpus, struct output *out)
{
    struct article_writer w = {set, corpus, out, {0}, {0}, {0}, {0}, 0};
    for (int i = 0; i < NLANG; i++)
        w.sentence_bytes += model_average_sentence(&corpus->lang[i].article);
    w.sentence_bytes /= NLANG;

    for (uint64_t g = 0; out->documents < set->articles; g++) {
        struct rng r = rng_stream(set->seed, STREAM_GROUP, g);
        int product_sheet = rng_percent(&r, 30);
        unsigned langs = pick_languages(&r);
        struct plan plan;
        plan_make(&plan, &r, product_sheet, w.sentence_bytes);

        const char *products[ARTICLE_PRODUCTS_MAX];
        size_t nproducts = 0;
        const struct product *sheet = NULL;
        enum category cat;
        if (product_sheet) {
            sheet = pick_product(&r, CAT_ANY);
            products[nproducts++] = sheet->code;
            cat = sheet->category;
        } else {
            static const enum category TOPICS[] = {
                CAT_INTERNET, CAT_INTERNET, CAT_TV,     CAT_MOBILE,  CAT_MOBILE,
                CAT_ENERGY,   CAT_ENERGY,   CAT_BUNDLE, CAT_SERVICE, CAT_ANY};
            cat = TOPICS[rng_below(&r, sizeof TOPICS / sizeof TOPICS[0])];
        }
        size_t want = (size_t)rng_range(&r, 1, ARTICLE_PRODUCTS_MAX);
        for (int tries = 0; nproducts < want && tries < 12; tries++) {
            const char *code =
                pick_product(&r, rng_percent(&r, 80) ? cat : CAT_ANY)->code;
            size_t k = 0;
            while (k < nproducts && strcmp(products[k], code))
                k++;
            if (k == nproducts)
                products[nproducts++] = code;
        }
        long updated_day = epoch_2024() + (long)rng_below(&r, UPDATED_DAYS);

        for (int lang = 0; lang < NLANG && out->documents < set->articles;
             lang++)
            if (langs & (1u << lang))
                write_article(&w, g, lang, langs, product_sheet, &plan,
                              products, nproducts, sheet, updated_day);
    }
    buf_free(&w.title);
    buf_free(&w.body);
    buf_free(&w.id);
    buf_free(&w.group);
}

/* ================================================================ events */

enum channel {
    CH_PHONE,
    CH_EMAIL,
    CH_CHAT,
    CH_SOCIAL,
    CH_LETTER,
    CH_VISIT,
    NCHANNEL
};
static const char *const CHANNEL_NAME[NCHANNEL] = {"phone",  "email",  "chat",
                                                   "social", "letter", "visit"};
#define B(ch) (1u << (ch))

/* What customers contact Lumina about (the routine contacts and episodes
 * of gen_history.c, in short).  weight: relative frequency. */
struct topic {
    int weight;
    enum category category;
    unsigned channels;
    const char *title[NLANG];
    const char *gist[NLANG]; /* after "about" / "over" / "concernant" */
    const char *tags[NLANG]; /* comma separated */
};

static const struct topic TOPICS[] = {
    {14,
     CAT_ANY,
     B(CH_PHONE) | B(CH_CHAT) | B(CH_EMAIL),
     {"Kopie factuur gevraagd", "Demande de copie de facture",
      "Invoice copy requested"},
     {"een kopie van de factuur", "une copie de facture",
      "a copy of the invoice"},
     {"factuur,duplicaat", "facture,duplicata", "invoice,duplicate"}},
    {12,
     CAT_ANY,
     B(CH_PHONE) | B(CH_CHAT) | B(CH_EMAIL),
     {"Vraag over de factuur", "Question sur la facture", "Invoice question"},
     {"een bedrag op de factuur", "un montant sur la facture",
      "an amount on the invoice"},
     {"factuur,uitleg", "facture,explication", "invoice,explanation"}},
    {8,
     CAT_ANY,
     B(CH_LETTER) | B(CH_EMAIL),
     {"Betalingsherinnering", "Rappel de paiement", "Payment reminder"},
     {"de betalingsherinnering", "le rappel de paiement",
      "the payment reminder"},
     {"aanmaning,herinnering", "rappel,paiement", "reminder,payment"}},
    {6,
     CAT_ANY,
     B(CH_PHONE) | B(CH_EMAIL),
     {"Afbetalingsplan aangevraagd", "Demande de plan de paiement",
      "Payment plan requested"},
     {"een afbetalingsplan", "un plan de paiement", "a payment plan"},
     {"afbetalingsplan,betalingsregeling", "plan de paiement,échéancier",
      "payment plan,instalments"}},
    {10,
     CAT_INTERNET,
     B(CH_PHONE) | B(CH_CHAT) | B(CH_SOCIAL),
     {"Storing gemeld", "Panne signalée", "Outage reported"},
     {"een storing van het internet", "une panne d'internet",
      "an internet outage"},
     {"storing,internet", "panne,internet", "outage,internet"}},
    {9,
     CAT_INTERNET,
     B(CH_PHONE) | B(CH_CHAT),
     {"Trage wifi", "Wifi lent", "Slow wifi"},
     {"trage wifi in huis", "un wifi trop lent", "slow wifi at home"},
     {"wifi,snelheid,wifi-booster", "wifi,débit,répéteur",
      "wifi,speed,booster"}},
    {6,
     CAT_INTERNET,
     B(CH_PHONE) | B(CH_CHAT) | B(CH_VISIT),
     {"Defecte modem", "Modem défectueux", "Faulty modem"},
     {"een defecte modem", "un modem défectueux", "a faulty modem"},
     {"modem,vervanging", "modem,remplacement", "modem,replacement"}},
    {6,
     CAT_INTERNET,
     B(CH_PHONE) | B(CH_VISIT) | B(CH_EMAIL),
     {"Bezoek technicus", "Visite du technicien", "Technician visit"},
     {"een afspraak met de technicus", "un rendez-vous avec le technicien",
      "an appointment with the technician"},
     {"technicus,afspraak", "technicien,rendez-vous",
      "technician,appointment"}},
    {5,
     CAT_INTERNET,
     B(CH_PHONE) | B(CH_EMAIL),
     {"Verhuizing doorgegeven", "Déménagement communiqué", "Move reported"},
     {"een verhuizing", "un déménagement", "a move"},
     {"verhuizing,installatie", "déménagement,installation",
      "move,installation"}},
    {5,
     CAT_MOBILE,
     B(CH_PHONE) | B(CH_VISIT) | B(CH_CHAT),
     {"Simkaart vervangen", "Remplacement de carte SIM",
      "SIM card replacement"},
     {"een nieuwe simkaart", "une nouvelle carte SIM", "a new SIM card"},
     {"sim,vervanging", "sim,remplacement", "sim,replacement"}},
    {4,
     CAT_MOBILE,
     B(CH_PHONE) | B(CH_CHAT),
     {"Nummerbehoud aangevraagd", "Demande de portabilité",
      "Number porting requested"},
     {"het overzetten van een nummer", "le transfert d'un numéro",
      "porting a number"},
     {"nummerbehoud,overstap", "portabilité,numéro", "number porting,switch"}},
    {4,
     CAT_MOBILE,
     B(CH_PHONE) | B(CH_CHAT) | B(CH_EMAIL),
     {"Vraag over roaming", "Question sur le roaming", "Roaming question"},
     {"bellen en surfen in het buitenland", "le roaming à l'étranger",
      "roaming abroad"},
     {"roaming,buitenland", "roaming,étranger", "roaming,abroad"}},
    {5,
     CAT_MOBILE,
     B(CH_CHAT) | B(CH_PHONE),
     {"Vraag over dataverbruik", "Question sur la consommation de données",
      "Data usage question"},
     {"het dataverbruik", "la consommation de données", "data usage"},
     {"data,verbruik", "données,consommation", "data,usage"}},
    {5,
     CAT_ENERGY,
     B(CH_LETTER) | B(CH_EMAIL) | B(CH_PHONE),
     {"Meterstanden doorgegeven", "Relevé d'index transmis",
      "Meter readings sent"},
     {"de meterstanden", "les index de compteur", "the meter readings"},
     {"meterstand,jaarafrekening", "relevé d'index,décompte annuel",
      "meter reading,annual statement"}},
    {3,
     CAT_ENERGY,
     B(CH_PHONE) | B(CH_EMAIL),
     {"Wijziging energiecontract", "Changement de contrat d'énergie",
      "Energy contract change"},
     {"een ander energiecontract", "un autre contrat d'énergie",
      "another energy contract"},
     {"energie,overstappen", "énergie,changement", "energy,switch"}},
    {4,
     CAT_ANY,
     B(CH_PHONE) | B(CH_LETTER) | B(CH_SOCIAL),
     {"Reactie op prijswijziging", "Réaction à la hausse de prix",
      "Reaction to price increase"},
     {"de prijsstijging", "la hausse de prix", "the price increase"},
     {"prijswijziging,korting", "changement de prix,réduction",
      "price change,discount"}},
    {3,
     CAT_ANY,
     B(CH_PHONE) | B(CH_LETTER) | B(CH_EMAIL),
     {"Opzegging", "Résiliation", "Cancellation"},
     {"het opzeggen van het contract", "la résiliation du contrat",
      "cancelling the contract"},
     {"opzegging,retour", "résiliation,retour", "cancellation,return"}},
    {4,
     CAT_ANY,
     B(CH_PHONE) | B(CH_SOCIAL) | B(CH_EMAIL),
     {"Klacht over wachttijd", "Plainte sur le temps d'attente",
      "Complaint about waiting time"},
     {"de lange wachttijd", "le long temps d'attente", "the long waiting time"},
     {"klacht,wachttijd", "plainte,temps d'attente", "complaint,waiting time"}},
    {4,
     CAT_ANY,
     B(CH_PHONE) | B(CH_EMAIL) | B(CH_LETTER),
     {"Factuur betwist", "Contestation de facture", "Invoice dispute"},
     {"een betwiste factuur", "une facture contestée", "a disputed invoice"},
     {"betwisting,factuur", "contestation,facture", "dispute,invoice"}},
    {3,
     CAT_ANY,
     B(CH_LETTER) | B(CH_EMAIL),
     {"Terugbetaling uitgevoerd", "Remboursement effectué", "Refund made"},
     {"een terugbetaling", "un remboursement", "a refund"},
     {"terugbetaling,creditnota", "remboursement,note de crédit",
      "refund,credit note"}},
    {6,
     CAT_ANY,
     B(CH_CHAT) | B(CH_PHONE),
     {"MyLumina-wachtwoord vergeten", "Mot de passe MyLumina oublié",
      "Forgot MyLumina password"},
     {"het wachtwoord van MyLumina", "le mot de passe MyLumina",
      "the MyLumina password"},
     {"MyLumina,wachtwoord,login", "MyLumina,mot de passe,connexion",
      "MyLumina,password,login"}},
    {5,
     CAT_ANY,
     B(CH_EMAIL) | B(CH_CHAT),
     {"Wijziging e-mailadres", "Changement d'adresse e-mail",
      "Change of e-mail address"},
     {"een nieuw e-mailadres", "une nouvelle adresse e-mail",
      "a new e-mail address"},
     {"contactgegevens,e-mailadres", "coordonnées,adresse e-mail",
      "contact details,e-mail address"}},
    {3,
     CAT_ANY,
     B(CH_PHONE) | B(CH_LETTER),
     {"Domiciliëring aangevraagd", "Demande de domiciliation",
      "Direct debit request"},
     {"betalen via domiciliëring", "le paiement par domiciliation",
      "paying by direct debit"},
     {"domiciliëring,betalen", "domiciliation,paiement",
      "direct debit,payment"}},
    {4,
     CAT_TV,
     B(CH_CHAT) | B(CH_PHONE),
     {"Vraag over zenders", "Question sur les chaînes",
      "Question about channels"},
     {"de zenders van de tv", "les chaînes de télé", "the TV channels"},
     {"tv,zenders", "télé,chaînes", "tv,channels"}},
    {5,
     CAT_ANY,
     B(CH_VISIT),
     {"Bezoek Lumina-winkel", "Visite en boutique Lumina", "Lumina shop visit"},
     {"een vraag aan de balie", "une question au comptoir",
      "a question at the counter"},
     {"winkel,bezoek", "boutique,visite", "shop,visit"}},
    {5,
     CAT_ANY,
     B(CH_EMAIL),
     {"Antwoord op enquête", "Réponse à l'enquête", "Survey response"},
     {"de tevredenheidsenquête", "l'enquête de satisfaction",
      "the satisfaction survey"},
     {"enquête,tevredenheid", "enquête,satisfaction", "survey,satisfaction"}},
    {4,
     CAT_ANY,
     B(CH_SOCIAL),
     {"Compliment via sociale media", "Compliment sur les réseaux sociaux",
      "Compliment on social media"},
     {"de hulp van de klantendienst", "l'aide du service clientèle",
      "the help of customer care"},
     {"compliment,sociale media", "compliment,réseaux sociaux",
      "compliment,social media"}},
    {2,
     CAT_ANY,
     B(CH_EMAIL) | B(CH_LETTER),
     {"Inzageverzoek GDPR", "Demande d'accès RGPD", "GDPR access request"},
     {"een inzage in de persoonsgegevens", "un accès aux données personnelles",
      "access to personal data"},
     {"GDPR,privacy", "RGPD,vie privée", "GDPR,privacy"}},
    {2,
     CAT_ENERGY,
     B(CH_PHONE) | B(CH_EMAIL),
     {"Vraag over zonnepanelen", "Question sur les panneaux solaires",
      "Question about solar panels"},
     {"de zonnepanelen en de terugleververgoeding",
      "les panneaux solaires et l'injection", "solar panels and feed-in"},
     {"zonnepanelen,injectie", "panneaux solaires,injection",
      "solar panels,feed-in"}},
    {4,
     CAT_ANY,
     B(CH_LETTER),
     {"Aanbod per post", "Offre par courrier", "Offer by post"},
     {"een nieuw aanbod", "une nouvelle offre", "a new offer"},
     {"aanbod,promotie", "offre,promotion", "offer,promotion"}},
};
#define NTOPICS (sizeof TOPICS / sizeof TOPICS[0])

static const char *const OPENING[NCHANNEL][NLANG] = {
    [CH_PHONE] = {"{first} belt over {gist}.",
                  "{first} appelle concernant {gist}.",
                  "{first} calls about {gist}."},
    [CH_EMAIL] = {"E-mail van {first} over {gist}.",
                  "E-mail de {first} concernant {gist}.",
                  "E-mail from {first} about {gist}."},
    [CH_CHAT] = {"Chat met {first} over {gist}.",
                 "Chat avec {first} concernant {gist}.",
                 "Chat with {first} about {gist}."},
    [CH_SOCIAL] = {"Bericht van {first} op Facebook over {gist}.",
                   "Message de {first} sur Facebook concernant {gist}.",
                   "Post by {first} on Facebook about {gist}."},
    [CH_LETTER] = {"Brief aan {first} over {gist}.",
                   "Courrier à {first} concernant {gist}.",
                   "Letter to {first} about {gist}."},
    [CH_VISIT] = {"{first} komt langs in de Lumina-winkel voor {gist}.",
                  "{first} passe à la boutique Lumina concernant {gist}.",
                  "{first} visits the Lumina shop about {gist}."},
};
static const char *const GREETING[NLANG] = {
    "Beste {first},", "Bonjour {first},", "Dear {first},"};
static const char *const CLOSING[NLANG] = {
    "Met vriendelijke groeten,\n{agent}\nLumina Klantendienst",
    "Bien à vous,\n{agent}\nService clientèle Lumina",
    "Kind regards,\n{agent}\nLumina Customer Care"};
static const char *const EVENT_EXTRA[NLANG][3] = {
    {"Ticket {ticket}.", "Bedrag: {amount}.", "Behandeld door {agent}."},
    {"Ticket {ticket}.", "Montant : {amount}.", "Traité par {agent}."},
    {"Ticket {ticket}.", "Amount: {amount}.", "Handled by {agent}."}};

static const char *const FIRST_NAMES[NLANG][16] = {
    {"Jan", "An", "Wouter", "Els", "Koen", "Lien", "Pieter", "Sara", "Tom",
     "Griet", "Stijn", "Hanne", "Jeroen", "Femke", "Daan", "Lotte"},
    {"Marie", "Jean", "Sophie", "Luc", "Isabelle", "Nicolas", "Claire",
     "Amélie", "Mehdi", "Fatima", "François", "Hélène", "Gaëtan", "Chloé",
     "Karim", "Julie"},
    {"James", "Emily", "Priya", "Tomasz", "Sarah", "Lukas", "Giulia", "Daniel",
     "Zoë", "Oliver", "Hannah", "Ravi", "Olga", "Sean", "Mei", "Amara"},
};

struct customer {
    int lang;
    const char *first;
    const char *product[CAT_ANY]; /* one subscribed product per category */
};

static void customer_make(const struct settings *set, uint64_t index,
                          struct customer *c)
{
    struct rng r = rng_stream(set->seed, STREAM_CUSTOMER, index);
    int u = (int)rng_below(&r, 6); /* 3 nl : 2 fr : 1 en */
    c->lang = u < 3 ? NL : u < 5 ? FR : EN;
    c->first = FIRST_NAMES[c->lang][rng_below(&r, 16)];
    for (int cat = 0; cat < CAT_ANY; cat++)
        c->product[cat] = pick_product(&r, (enum category)cat)->code;
}

/* Events per customer: most get a few, some many.  Every customer gets one
 * when there are enough events; the rest is shared in proportion to a
 * weight per customer (70 %: 1-6, 24 %: 8-40, 6 %: 50-500), the remainder
 * one by one. */
static uint32_t *share_events(const struct settings *set)
{
    size_t n = (size_t)set->customers;
    uint32_t *count = xrealloc(NULL, (n ? n : 1) * sizeof *count);
    uint32_t *weight = xrealloc(NULL, (n ? n : 1) * sizeof *weight);
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        struct rng r = rng_stream(set->seed, STREAM_WEIGHT, i);
        int u = (int)rng_below(&r, 100);
        weight[i] = (uint32_t)(u < 70   ? rng_range(&r, 1, 6)
                               : u < 94 ? rng_range(&r, 8, 40)
                                        : rng_range(&r, 50, 500));
        total += weight[i];
    }
    uint64_t base = set->events >= n ? 1 : 0;
    uint64_t shared = set->events - base * n, given = 0;
    for (size_t i = 0; i < n; i++) {
        /* weight <= 500 and events <= 1e9: the product fits in 64 bits */
        count[i] = (uint32_t)(base + weight[i] * shared / total);
        given += count[i];
    }
    for (uint64_t k = 0; given < set->events; k++, given++)
        count[(k * 7919u) % n]++;
    free(weight);
    return count;
}

struct planned_event {
    int32_t minute; /* minutes since 2025-01-01 00:00 local time */
    uint16_t topic;
    uint8_t channel;
    uint32_t seq;
};

static int by_time(const void *a, const void *b)
{
    const struct planned_event *x = a, *y = b;
    if (x->minute != y->minute)
        return x->minute < y->minute ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Opening hours per channel, in minutes: [first, last]. */
static int channel_minute(struct rng *r, enum channel ch)
{
    switch (ch) {
    case CH_EMAIL: return rng_range(r, 7 * 60, 22 * 60 + 59);
    case CH_SOCIAL: return rng_range(r, 7 * 60, 22 * 60 + 59);
    case CH_LETTER: return rng_range(r, 9 * 60, 16 * 60 + 59);
    case CH_VISIT: return rng_range(r, 9 * 60 + 30, 17 * 60 + 59);
    default: return rng_range(r, 8 * 60, 19 * 60 + 59);
    }
}

static enum channel pick_channel(struct rng *r, unsigned channels)
{
    int n = 0;
    for (int c = 0; c < NCHANNEL; c++)
        n += (channels >> c) & 1;
    int k = (int)rng_below(r, (uint64_t)n);
    for (int c = 0; c < NCHANNEL; c++)
        if (((channels >> c) & 1) && k-- == 0)
            return (enum channel)c;
    return CH_PHONE;
}

static size_t pick_topic(struct rng *r)
{
    int total = 0;
    for (size_t i = 0; i < NTOPICS; i++)
        total += TOPICS[i].weight;
    int u = (int)rng_below(r, (uint64_t)total);
    for (size_t i = 0; i < NTOPICS; i++) {
        u -= TOPICS[i].weight;
        if (u < 0)
            return i;
    }
    return 0;
}

/* The note of one event: an opening line naming the customer and the topic
 * (or a letter with greeting and signature for some e-mails), sentences of
 * the history model up to the target size, sometimes a ticket, amount or
 * agent. */
/* Appends a piece of text after a space, or straight after a line end. */
static void append_piece(struct buf *body, const struct buf *piece)
{
    if (body->len > 0 && body->data[body->len - 1] != '\n')
        buf_putc(body, ' ');
    buf_add(body, piece->data, piece->len);
}

static void render_event_body(struct buf *body, struct buf *scratch,
                              struct voice *v, enum channel ch,
                              const struct fill *f)
{
    int target = rng_quantile(v->rng, EVENT_BYTES,
                              sizeof EVENT_BYTES / sizeof EVENT_BYTES[0]);
    int as_letter = ch == CH_EMAIL && rng_percent(v->rng, 40);
    size_t room = EVENT_BODY_MAX - (as_letter ? 90 : 0);
    buf_clear(body);
    if (as_letter) {
        expand(body, GREETING[v->lang], f, v->rng, v->lang);
        buf_puts(body, "\n\n");
    } else {
        expand(body, OPENING[ch][v->lang], f, v->rng, v->lang);
    }
    for (int misses = 0; body->len < (size_t)target && misses < 4;) {
        buf_clear(scratch);
        put_sentence(scratch, v, 0, 0);
        if (body->len + scratch->len + 1 > room)
            misses++;
        else
            append_piece(body, scratch);
    }
    /* a ticket, amount or agent now and then, and to reach the minimum */
    int extras = rng_percent(v->rng, 35);
    for (int i = 0; i < 6 && (extras > 0 || body->len < EVENT_BODY_MIN);
         i++, extras--) {
        buf_clear(scratch);
        expand(scratch, EVENT_EXTRA[v->lang][rng_below(v->rng, 3)], f, v->rng,
               v->lang);
        if (body->len + scratch->len + 1 > room)
            break;
        append_piece(body, scratch);
    }
    if (as_letter) {
        buf_puts(body, "\n\n");
        expand(body, CLOSING[v->lang], f, v->rng, v->lang);
    }
}

/* What a contact about "anything" names as its product. */
static const enum category EVERYDAY[] = {CAT_INTERNET, CAT_INTERNET, CAT_MOBILE,
                                         CAT_ENERGY, CAT_TV};

static void generate_events(const struct settings *set,
                            const struct corpus *corpus, struct output *out)
{
    if (set->events == 0)
        return;
    uint32_t *count = share_events(set);
    struct planned_event *plan = NULL;
    size_t plan_cap = 0;
    struct buf body = {0}, scratch = {0}, date = {0}, id = {0}, cid = {0};
    uint64_t event_no = 0;

    for (uint64_t ci = 0; ci < set->customers; ci++) {
        size_t k = count[ci];
        if (k == 0)
            continue;
        struct customer c;
        customer_make(set, ci, &c);
        struct rng r = rng_stream(set->seed, STREAM_EVENTS, ci);
        if (k > plan_cap) {
            plan_cap = k;
            plan = xrealloc(plan, plan_cap * sizeof *plan);
        }
        for (size_t j = 0; j < k; j++) {
            size_t topic = pick_topic(&r);
            enum channel ch = pick_channel(&r, TOPICS[topic].channels);
            int day = (int)rng_below(&r, EVENT_DAYS);
            plan[j].minute = day * 1440 + channel_minute(&r, ch);
            plan[j].topic = (uint16_t)topic;
            plan[j].channel = (uint8_t)ch;
            plan[j].seq = (uint32_t)j;
        }
        qsort(plan, k, sizeof *plan, by_time);
        buf_clear(&cid);
        buf_printf(&cid, "S%07" PRIu64, ci + 1);
        const struct language *L = &corpus->lang[c.lang];

        for (size_t j = 0; j < k; j++) {
            const struct topic *t = &TOPICS[plan[j].topic];
            enum channel ch = (enum channel)plan[j].channel;
            long day = epoch_2025() + plan[j].minute / 1440;
            int minute = plan[j].minute % 1440;
            int y, m, d;
            civil_from_days(day, &y, &m, &d);

            const char *products[2];
            size_t nproducts = 0;
            if (t->category == CAT_ANY)
                products[nproducts++] = c.product[EVERYDAY[rng_below(
                    &r, sizeof EVERYDAY / sizeof EVERYDAY[0])]];
            else
                products[nproducts++] = c.product[t->category];
            if (t->category == CAT_INTERNET && rng_percent(&r, 25))
                products[nproducts++] = "MODEM-LX6";

            struct voice v = {&r, c.lang, L->notes, products, nproducts};
            struct fill f = {c.first, t->gist[c.lang], products[0], y};
            render_event_body(&body, &scratch, &v, ch, &f);

            buf_clear(&date);
            /* local time with Belgium's offset of that day */
            buf_printf(&date, "%04d-%02d-%02dT%02d:%02d:00+%02d:00", y, m, d,
                       minute / 60, minute % 60, belgian_offset_hours(day));

            buf_clear(&id);
            buf_printf(&id, "syn-ev-%07" PRIu64, ++event_no);

            const char *tags[4];
            size_t ntags = 0;
            char tag_copy[160];
            snprintf(tag_copy, sizeof tag_copy, "%s", t->tags[c.lang]);
            for (char *s = tag_copy; s && *s && ntags < 4;) {
                char *comma = strchr(s, ',');
                if (comma)
                    *comma = '\0';
                tags[ntags++] = s;
                s = comma ? comma + 1 : NULL;
            }

            json_t *doc = new_object();
            set_string(doc, "id", id.data, id.len);
            set_cstring(doc, "type", "history");
            set_cstring(doc, "lang", LANG_CODE[c.lang]);
            set_cstring(doc, "title", t->title[c.lang]);
            set_string(doc, "customer", cid.data, cid.len);
            if (set->tenants) {
                char tenant[24];
                snprintf(tenant, sizeof tenant, "t%02" PRIu64,
                         ci % set->tenants + 1);
                set_cstring(doc, "tenant", tenant);
            }
            set_cstring(doc, "channel", CHANNEL_NAME[ch]);
            set_string(doc, "date", date.data, date.len);
            set_new(doc, "products", string_array(products, nproducts));
            set_new(doc, "tags", string_array(tags, ntags));
            set_string(doc, "body", body.data, body.len);
            output_document(out, doc);
        }
    }
    free(plan);
    free(count);
    buf_free(&body);
    buf_free(&scratch);
    buf_free(&date);
    buf_free(&id);
    buf_free(&cid);
}

/* ================================================================= main */

static void usage(FILE *to)
{
    fputs("usage: " PROGRAM " [--articles N] [--events N] [--customers N] "
          "[--seed S]\n"
          "                        [--corpus DIR] --outdir DIR\n"
          "\n"
          "Writes DIR/articles.jsonl and DIR/history.jsonl: synthetic\n"
          "knowledge articles and customer-history events (Contract 1, JSON\n"
          "Lines) whose words are learnt from the sample corpus.  The same\n"
          "arguments and corpus give the same bytes.\n"
          "\n"
          "  --articles N   articles to write (default 100000)\n"
          "  --events N     history events to write (default 1000000)\n"
          "  --customers N  customers the events belong to, S0000001...\n"
          "                 (default 50000)\n"
          "  --seed S       seed, decimal or 0x-hex (default 20250101)\n"
          "  --tenants N    clients of one deployment: each customer and\n"
          "                 article group one client's (t01...), one group\n"
          "                 in N + 1 shared (default 0: no tenant field)\n"
          "  --corpus DIR   corpus to learn from (default " VB_CORPUS_DIR ")\n"
          "  --outdir DIR   where to write; created if missing (required)\n",
          to);
}

static _Noreturn void usage_error(const char *fmt, ...)
{
    va_list ap;
    fputs(PROGRAM ": ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (see --help)\n", stderr);
    exit(2);
}

static uint64_t parse_number(const char *flag, const char *s, uint64_t max)
{
    int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const char *digits = hex ? s + 2 : s;
    int ok = *digits != '\0';
    uint64_t v = 0;
    for (const char *p = digits; ok && *p; p++) {
        int d;
        if (*p >= '0' && *p <= '9')
            d = *p - '0';
        else if (hex && *p >= 'a' && *p <= 'f')
            d = *p - 'a' + 10;
        else if (hex && *p >= 'A' && *p <= 'F')
            d = *p - 'A' + 10;
        else {
            ok = 0;
            break;
        }
        uint64_t base = hex ? 16 : 10;
        if (v > (UINT64_MAX - (uint64_t)d) / base)
            ok = 0;
        else
            v = v * base + (uint64_t)d;
    }
    if (!ok || v > max)
        usage_error("%s: expected a whole number from 0 to %" PRIu64
                    ", got '%s'",
                    flag, max, s);
    return v;
}

static void parse_arguments(int argc, char **argv, struct settings *set)
{
    set->articles = DEFAULT_ARTICLES;
    set->events = DEFAULT_EVENTS;
    set->customers = DEFAULT_CUSTOMERS;
    set->seed = DEFAULT_SEED;
    set->tenants = 0;
    set->corpus = VB_CORPUS_DIR;
    set->outdir = NULL;
    /* each option sets either a number (up to max) or a directory */
    const struct {
        const char *name;
        uint64_t *number, max;
        const char **dir;
    } OPTIONS[] = {
        {"--articles", &set->articles, MAX_ARTICLES, NULL},
        {"--events", &set->events, MAX_EVENTS, NULL},
        {"--customers", &set->customers, MAX_CUSTOMERS, NULL},
        {"--seed", &set->seed, UINT64_MAX, NULL},
        {"--tenants", &set->tenants, 99, NULL},
        {"--corpus", NULL, 0, &set->corpus},
        {"--outdir", NULL, 0, &set->outdir},
    };
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            usage(stdout);
            exit(0);
        }
        size_t k = 0, nopt = sizeof OPTIONS / sizeof OPTIONS[0];
        size_t n = 0;
        while (k < nopt) {
            n = strlen(OPTIONS[k].name);
            if (!strncmp(arg, OPTIONS[k].name, n) &&
                (arg[n] == '\0' || arg[n] == '='))
                break;
            k++;
        }
        if (k == nopt)
            usage_error("unknown option '%s'", arg);
        const char *value;
        if (arg[n] == '=')
            value = arg + n + 1; /* --articles=N */
        else if (i + 1 < argc)
            value = argv[++i];
        else
            usage_error("option '%s' needs a value", OPTIONS[k].name);
        if (OPTIONS[k].number) {
            *OPTIONS[k].number =
                parse_number(OPTIONS[k].name, value, OPTIONS[k].max);
        } else {
            if (*value == '\0')
                usage_error("option '%s' needs a directory", OPTIONS[k].name);
            *OPTIONS[k].dir = value;
        }
    }
    if (!set->outdir)
        usage_error("--outdir DIR is required");
    if (set->events > 0 && set->customers == 0)
        usage_error("--customers must be at least 1 when --events is not 0");
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) +
           (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int main(int argc, char **argv)
{
    struct settings set;
    parse_arguments(argc, argv, &set);

    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0); /* for the summary only */

    struct corpus corpus;
    corpus_load(&corpus, set.corpus);

    struct stat st;
    if (stat(set.outdir, &st) != 0) {
        if (errno != ENOENT || mkdir(set.outdir, 0777) != 0)
            die("cannot create %s: %s", set.outdir, strerror(errno));
    } else if (!S_ISDIR(st.st_mode)) {
        die("%s is not a directory", set.outdir);
    }

    struct output articles, history;
    output_open(&articles, set.outdir, "articles.jsonl", 0);
    output_open(&history, set.outdir, "history.jsonl", 1);
    generate_articles(&set, &corpus, &articles);
    generate_events(&set, &corpus, &history);
    output_commit(&articles);
    output_commit(&history);

    fprintf(stderr,
            PROGRAM ": %s: %" PRIu64 " documents, %" PRIu64
                    " bytes; %s: %" PRIu64 " documents, %" PRIu64
                    " bytes; learnt from %zu corpus files; "
                    "%.1f s\n",
            articles.path, articles.documents, articles.bytes, history.path,
            history.documents, history.bytes, corpus.files_read,
            seconds_since(&t0));
    output_free(&articles);
    output_free(&history);
    corpus_free(&corpus);
    return 0;
}
