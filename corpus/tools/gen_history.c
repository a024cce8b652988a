/*
 * gen_history.c - deterministic generator of the Lumina sample customer
 * history (Vraagbaak corpus, Contract 1, JSON Lines).
 *
 * Writes events-2025.jsonl and events-2026.jsonl into --outdir (default ".").
 * Output is byte-identical on every run and platform: a fixed-seed PRNG
 * (splitmix64, seeded per customer from the customer id), integer-only
 * arithmetic, no locale, no clock.
 *
 *   vb-gen-history --outdir corpus/history     write the two .jsonl files
 *   vb-gen-history --customers                 print the README customer table
 *
 * C11, libc only.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NL = 0, FR = 1, EN = 2 };
static const char *const LANG_CODE[3] = {"nl", "fr", "en"};

/* ------------------------------------------------------------------ PRNG */

typedef struct {
    uint64_t s;
} Rng;

static uint64_t rng_next(Rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* uniform-enough integer in [lo, hi] */
static int rng_range(Rng *r, int lo, int hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static int rng_pct(Rng *r, int pct) { return rng_range(r, 0, 99) < pct; }

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

/* ------------------------------------------------------- growable string */

typedef struct {
    char *p;
    size_t n, cap;
} Buf;

static void die(const char *msg)
{
    fprintf(stderr, "vb-gen-history: %s\n", msg);
    exit(1);
}

static void buf_putn(Buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            die("out of memory");
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void buf_puts(Buf *b, const char *s) { buf_putn(b, s, strlen(s)); }
static void buf_putc(Buf *b, char c) { buf_putn(b, &c, 1); }

static char *buf_take(Buf *b)
{
    if (!b->p)
        buf_putn(b, "", 0);
    char *p = b->p;
    b->p = NULL;
    b->n = b->cap = 0;
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (!p)
        die("out of memory");
    memcpy(p, s, n);
    return p;
}

/* ------------------------------------------------------------- calendar */

/* Day index 0 = 2025-01-01 (epoch day 20089). Last generated day: 2026-11-20. */
#define EPOCH_2025 20089
#define LAST_DAY 688

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

static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* 0 = Sunday ... 6 = Saturday */
static int weekday(int day) { return (int)((EPOCH_2025 + day + 4) % 7); }

static int last_sunday(int y, int m)
{
    long e = days_from_civil(y, m, 31);
    int wd = (int)((e + 4) % 7);
    return 31 - wd;
}

/* Belgian civil time: CEST (+02:00) from the last Sunday of March to the
 * last Sunday of October, CET (+01:00) otherwise. Events happen after 03:00
 * local, so a per-day decision is exact for them. */
static int is_summer(int day)
{
    int y, m, d;
    civil_from_days(EPOCH_2025 + day, &y, &m, &d);
    if (m < 3 || m > 10)
        return 0;
    if (m > 3 && m < 10)
        return 1;
    if (m == 3)
        return d >= last_sunday(y, 3);
    return d < last_sunday(y, 10);
}

static const char *const MONTH[3][12] = {
    {"januari", "februari", "maart", "april", "mei", "juni", "juli",
     "augustus", "september", "oktober", "november", "december"},
    {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
     "septembre", "octobre", "novembre", "décembre"},
    {"January", "February", "March", "April", "May", "June", "July",
     "August", "September", "October", "November", "December"},
};

static void fmt_date(char *out, size_t n, int lang, int day)
{
    int y, m, d;
    civil_from_days(EPOCH_2025 + day, &y, &m, &d);
    if (lang == FR && d == 1)
        snprintf(out, n, "1er %s %d", MONTH[FR][m - 1], y);
    else
        snprintf(out, n, "%d %s %d", d, MONTH[lang][m - 1], y);
}

static void fmt_iso(char *out, size_t n, int day, int minute)
{
    int y, m, d;
    civil_from_days(EPOCH_2025 + day, &y, &m, &d);
    snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:00+0%d:00", y, m, d,
             minute / 60, minute % 60, is_summer(day) ? 2 : 1);
}

/* ------------------------------------------------------- number formats */

static void group_thousands(char *out, size_t n, long v, char sep)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%ld", v);
    size_t len = strlen(tmp), j = 0;
    for (size_t i = 0; i < len && j + 2 < n; i++) {
        if (i > 0 && (len - i) % 3 == 0 && sep)
            out[j++] = sep;
        out[j++] = tmp[i];
    }
    out[j] = '\0';
}

/* money in cents: nl "€ 1.234,50", fr "1 234,50 €", en "€1,234.50" */
static void fmt_money(char *out, size_t n, int lang, long cents)
{
    char whole[32];
    long e = cents / 100, c = cents % 100;
    if (lang == NL) {
        group_thousands(whole, sizeof whole, e, '.');
        snprintf(out, n, "€ %s,%02ld", whole, c);
    } else if (lang == FR) {
        group_thousands(whole, sizeof whole, e, ' ');
        snprintf(out, n, "%s,%02ld €", whole, c);
    } else {
        group_thousands(whole, sizeof whole, e, ',');
        snprintf(out, n, "€%s.%02ld", whole, c);
    }
}

/* a number with one decimal, given in tenths: 42 -> "4,2" / "4.2" */
static void fmt_tenths(char *out, size_t n, int lang, int tenths)
{
    snprintf(out, n, "%d%c%d", tenths / 10, lang == EN ? '.' : ',', tenths % 10);
}

static void fmt_int(char *out, size_t n, int lang, long v)
{
    group_thousands(out, n, v, lang == NL ? '.' : lang == FR ? ' ' : ',');
}

/* ------------------------------------------------------------ customers */

typedef struct {
    const char *id, *first, *last;
    int lang;
    const char *street, *postcode, *city;
    const char *products; /* space separated product codes */
    const char *stories;  /* space separated episode keys that always happen */
    const char *partner;  /* next of kin (deceased story), else NULL */
} Customer;

static const Customer CUSTOMERS[] = {
    {"C000101", "Jan", "Peeters", NL, "Kerkstraat 14", "2060", "Antwerpen", "PACK-TRIO FIBER-500 TV-PLUS MOBILE-20GB", "move_missed complaint", NULL},
    {"C000102", "An", "Janssens", NL, "Stationsstraat 3", "9000", "Gent", "FIBER-100 MOBILE-5GB ENERGY-GREEN GAS-FIX", "payplan meter", NULL},
    {"C000103", "Wouter", "Maes", NL, "Dorpsstraat 27", "3500", "Hasselt", "DSL-50 TV-BASIS VOICE-HOME", "outage modem", NULL},
    {"C000104", "Els", "Claes", NL, "Molenstraat 8", "8000", "Brugge", "FIBER-100 ENERGY-GREEN SOLAR-INJECT", "solar meter", NULL},
    {"C000105", "Koen", "Wouters", NL, "Leuvensesteenweg 112", "3000", "Leuven", "FIBER-1000 TV-PLUS TV-SPORT MOBILE-UNLIMITED", "dispute complaint", NULL},
    {"C000106", "Lien", "De Smet", NL, "Veldstraat 41", "9300", "Aalst", "MOBILE-PREPAID", "portin topup", NULL},
    {"C000107", "Pieter", "Vermeulen", NL, "Grote Markt 5", "2800", "Mechelen", "FIBER-500 MOBILE-UNLIMITED ROAM-WORLD", "roaming", NULL},
    {"C000108", "Sara", "Goossens", NL, "Nieuwstraat 19", "2300", "Turnhout", "FIBER-100 TV-BASIS ENERGY-FIX GAS-VAR", "social payplan", NULL},
    {"C000109", "Tom", "Van den Broeck", NL, "Kapelstraat 2", "1800", "Vilvoorde", "FIBER-500 WIFI-EXT SECURE-NET", "wifi", NULL},
    {"C000110", "Nathalie", "Hermans", NL, "Schoolstraat 33", "3800", "Sint-Truiden", "DSL-50 ENERGY-GREEN GAS-FIX", "budget", NULL},
    {"C000111", "Bart", "Jacobs", NL, "Bosstraat 7", "2400", "Mol", "FIBER-100 MOBILE-20GB", "dispute_rejected", NULL},
    {"C000112", "Griet", "Willems", NL, "Hoogstraat 50", "9100", "Sint-Niklaas", "FIBER-1000 ENERGY-DYNAMIC EV-CHARGE", "switch", NULL},
    {"C000113", "Dirk", "Mertens", NL, "Meir 88 bus 4", "2000", "Antwerpen", "FIBER-500 TV-PLUS VOICE-HOME", "deceased", "Hilde Mertens"},
    {"C000114", "Inge", "Lemmens", NL, "Langestraat 61", "8500", "Kortrijk", "PACK-DUO FIBER-100 TV-BASIS", "price cancel", NULL},
    {"C000115", "Stijn", "Michiels", NL, "Diestsestraat 150", "3000", "Leuven", "MOBILE-UNLIMITED ESIM", "simswap", NULL},
    {"C000116", "Hanne", "Verstraeten", NL, "Kortrijksesteenweg 9", "9830", "Sint-Martens-Latem", "FIBER-500 TV-PLUS TV-CINEMA", "gdpr", NULL},
    {"C000117", "Jeroen", "Aerts", NL, "Brugsesteenweg 200", "8800", "Roeselare", "HOMEBOX-4G MOBILE-5GB", "outage", NULL},
    {"C000118", "Eline", "Smets", NL, "Turnhoutsebaan 12", "2140", "Borgerhout", "INTERNET-SOCIAL MOBILE-5GB", "social", NULL},
    {"C000119", "Kristof", "Pauwels", NL, "Zandstraat 4", "8400", "Oostende", "ENERGY-FIX GAS-FIX SOLAR-INJECT", "meter solar", NULL},
    {"C000120", "Ann-Sophie", "Van Damme", NL, "Gentsesteenweg 77", "9200", "Dendermonde", "PACK-ALLIN FIBER-1000 MOBILE-20GB ENERGY-GREEN", "price", NULL},
    {"C000121", "Marc", "Lambrechts", NL, "Tiensestraat 30", "3300", "Tienen", "DSL-50 VOICE-HOME CARE-PLUS", "techvisit outage", NULL},
    {"C000122", "Joke", "De Clercq", NL, "Lindenlaan 15", "2600", "Berchem", "FIBER-500 TV-GO MOBILE-20GB", "payplan", NULL},
    {"C000123", "Yannick", "Vandenberghe", NL, "Ieperstraat 22", "8900", "Ieper", "FIBER-100 TV-BASIS", "move", NULL},
    {"C000124", "Femke", "Hendrickx", NL, "Ringlaan 5", "3600", "Genk", "MOBILE-UNLIMITED MOBILE-5GB", "portin", NULL},
    {"C000125", "Daan", "de Vries", NL, "Lange Gasthuisstraat 9", "2000", "Antwerpen", "FIBER-1000 MOBILE-UNLIMITED", "roaming directdebit", NULL},
    {"C000126", "Sanne", "Bakker", NL, "Grensstraat 2", "2387", "Baarle-Hertog", "FIBER-100 ENERGY-GREEN", "move", NULL},
    {"C000127", "Bram", "Visser", NL, "Kalmthoutsesteenweg 45", "2990", "Wuustwezel", "DSL-50 ENERGY-FIX GAS-VAR", "switch meter", NULL},
    {"C000128", "Lotte", "van Dijk", NL, "Brusselsestraat 101", "1700", "Dilbeek", "FIBER-500 TV-PLUS MOBILE-20GB", "refund", NULL},
    {"C000129", "Thijs", "Smit", NL, "Maastrichtersteenweg 60", "3700", "Tongeren", "MOBILE-20GB ROAM-WORLD", "roaming simswap", NULL},
    {"C000130", "Noor", "Mulder", NL, "Kempenlaan 3", "3920", "Lommel", "FIBER-100 SECURE-NET", "gdpr", NULL},
    {"C000131", "Marie", "Dubois", FR, "Rue de la Station 12", "5000", "Namur", "PACK-TRIO FIBER-500 TV-PLUS MOBILE-20GB", "move_missed", NULL},
    {"C000132", "Jean", "Lambert", FR, "Rue Haute 45", "1000", "Bruxelles", "ENERGY-GREEN GAS-FIX", "payplan meter", NULL},
    {"C000133", "Sophie", "Martin", FR, "Avenue Louise 210 boîte 6", "1050", "Ixelles", "FIBER-1000 MOBILE-UNLIMITED ROAM-WORLD", "roaming", NULL},
    {"C000134", "Luc", "Dupont", FR, "Rue du Moulin 3", "4000", "Liège", "DSL-50 TV-BASIS VOICE-HOME", "outage techvisit", NULL},
    {"C000135", "Isabelle", "Leroy", FR, "Chaussée de Bruxelles 88", "6000", "Charleroi", "ENERGY-GREEN GAS-VAR", "payplan budget social", NULL},
    {"C000136", "Nicolas", "Simon", FR, "Rue des Champs 19", "1300", "Wavre", "FIBER-500 WIFI-EXT TV-PLUS", "wifi", NULL},
    {"C000137", "Claire", "Laurent", FR, "Place Saint-Lambert 4", "4000", "Liège", "FIBER-100 MOBILE-5GB", "dispute", NULL},
    {"C000138", "Olivier", "Lejeune", FR, "Rue de Namur 56", "1400", "Nivelles", "ENERGY-FIX SOLAR-INJECT", "solar", NULL},
    {"C000139", "Amélie", "Renard", FR, "Rue Grande 7", "7000", "Mons", "MOBILE-PREPAID", "topup portin", NULL},
    {"C000140", "Mehdi", "El Amrani", FR, "Chaussée de Gand 140", "1080", "Molenbeek-Saint-Jean", "FIBER-100 MOBILE-UNLIMITED TV-SPORT", "complaint dispute_rejected", NULL},
    {"C000141", "Fatima", "Benali", FR, "Rue Vanderkindere 33", "1180", "Uccle", "FIBER-500 TV-PLUS MOBILE-20GB", "gdpr", NULL},
    {"C000142", "François", "Collard", FR, "Rue de Bastogne 21", "6700", "Arlon", "HOMEBOX-4G VOICE-HOME", "outage", NULL},
    {"C000143", "Hélène", "Mathieu", FR, "Boulevard Tirou 99", "6000", "Charleroi", "DSL-50 ENERGY-GREEN", "deceased", "Thomas Mathieu"},
    {"C000144", "Gaëtan", "Petit", FR, "Rue Saint-Gilles 15", "4000", "Liège", "FIBER-1000 ENERGY-DYNAMIC EV-CHARGE", "switch", NULL},
    {"C000145", "Julie", "Lemaire", FR, "Rue de l'Église 2", "5300", "Andenne", "FIBER-100 TV-BASIS", "price cancel", NULL},
    {"C000146", "Thomas", "Gérard", FR, "Avenue de Tervueren 300", "1150", "Woluwe-Saint-Pierre", "FIBER-500 MOBILE-UNLIMITED ESIM", "simswap", NULL},
    {"C000147", "Nathalie", "Dumont", FR, "Rue du Marché 10", "1420", "Braine-l'Alleud", "PACK-TRIO FIBER-500 TV-PLUS MOBILE-20GB", "price", NULL},
    {"C000148", "Karim", "Haddad", FR, "Rue Brogniez 60", "1070", "Anderlecht", "INTERNET-SOCIAL MOBILE-20GB", "social", NULL},
    {"C000149", "Françoise", "Renson", FR, "Rue des Tanneurs 5", "7500", "Tournai", "ENERGY-GREEN GAS-FIX", "meter directdebit", NULL},
    {"C000150", "Pierre", "Lefèvre", FR, "Rue de la Loi 120", "1040", "Etterbeek", "FIBER-500 TV-PLUS TV-CINEMA", "move", NULL},
    {"C000151", "Chloé", "Wauters", FR, "Rue du Bailli 18", "1050", "Ixelles", "MOBILE-UNLIMITED", "portin", NULL},
    {"C000152", "James", "O'Connor", EN, "Rue Belliard 50", "1040", "Etterbeek", "FIBER-1000 MOBILE-UNLIMITED ROAM-WORLD", "roaming", NULL},
    {"C000153", "Emily", "Clarke", EN, "Avenue de Broqueville 12", "1200", "Woluwe-Saint-Lambert", "FIBER-500 TV-GO", "move_missed", NULL},
    {"C000154", "Priya", "Sharma", EN, "Rue Franklin 8", "1000", "Bruxelles", "FIBER-100 MOBILE-20GB ENERGY-GREEN", "payplan", NULL},
    {"C000155", "Tomasz", "Kowalski", EN, "Brusselsesteenweg 400", "3080", "Tervuren", "DSL-50 MOBILE-5GB", "wifi outage", NULL},
    {"C000156", "Sarah", "Mitchell", EN, "Avenue Molière 140", "1190", "Forest", "PACK-TRIO FIBER-500 TV-PLUS MOBILE-20GB", "dispute", NULL},
    {"C000157", "Lukas", "Becker", EN, "Rue Washington 25", "1050", "Ixelles", "MOBILE-UNLIMITED ESIM", "portin simswap", NULL},
    {"C000158", "Giulia", "Romano", EN, "Rue du Trône 80", "1050", "Ixelles", "FIBER-100 ENERGY-DYNAMIC GAS-VAR", "meter switch", NULL},
    {"C000159", "Daniel", "Okafor", EN, "Leopold III-laan 4", "1930", "Zaventem", "FIBER-500 CARE-PLUS", "gdpr", NULL},
    {"C000160", "Zoë", "Andersen", EN, "Tervurenlaan 15", "3080", "Tervuren", "FIBER-100 MOBILE-PREPAID", "topup cancel", NULL},
};
#define NCUST ((int)(sizeof CUSTOMERS / sizeof CUSTOMERS[0]))

/* ---------------------------------------------------------------- pools */

typedef struct {
    const char *street, *postcode, *city;
} Address;

/* destinations for a move, per customer language */
static const Address NEW_ADDR[3][8] = {
    {{"Vaartstraat 21", "9000", "Gent"}, {"Lindestraat 6 bus 2", "2018", "Antwerpen"},
     {"Populierenlaan 44", "3010", "Kessel-Lo"}, {"Kouter 3", "9800", "Deinze"},
     {"Hazelaarstraat 17", "8310", "Assebroek"}, {"Stropkaai 52", "9000", "Gent"},
     {"Kiezelweg 9", "2220", "Heist-op-den-Berg"}, {"Eikenlaan 130", "3500", "Hasselt"}},
    {{"Rue de Fer 8", "5000", "Namur"}, {"Rue du Midi 45", "1000", "Bruxelles"},
     {"Avenue des Sorbiers 3", "1410", "Waterloo"}, {"Rue Saint-Léonard 210", "4000", "Liège"},
     {"Rue des Carmes 14", "7000", "Mons"}, {"Chaussée d'Alsemberg 512", "1180", "Uccle"},
     {"Rue de la Colline 2", "1348", "Louvain-la-Neuve"}, {"Place Verte 6", "6000", "Charleroi"}},
    {{"Rue Defacqz 19", "1050", "Ixelles"}, {"Avenue de Tervueren 88", "1040", "Etterbeek"},
     {"Rue Vilain XIIII 7", "1000", "Bruxelles"}, {"Avenue Brugmann 250", "1180", "Uccle"},
     {"Hertogenlaan 3", "3080", "Tervuren"}, {"Rue Gray 101", "1040", "Etterbeek"},
     {"Avenue Winston Churchill 41", "1180", "Uccle"}, {"Kasteelstraat 12", "1950", "Kraainem"}},
};

static const char *const AGENTS[] = {
    "Sofie (A2314)", "Kevin (A1187)", "Nadia (A2051)", "Ruben (A1420)",
    "Aurélie (A3102)", "Mathieu (A3318)", "Yasmina (A2764)", "Joris (A1093)",
    "Laura (A2890)", "Samir (A3011)", "Elke (A1559)", "Jonathan (A3420)",
};
static const char *const TECHS[] = {"Bert V.", "Ahmed K.", "Michaël D.", "Steven P.",
                                    "Julien R.", "Wim S.", "Ilias B."};

typedef struct {
    const char *name[3];
    int zone;
} Country;

static const Country COUNTRIES[] = {
    {{"Zwitserland", "la Suisse", "Switzerland"}, 2},
    {{"Turkije", "la Turquie", "Turkey"}, 2},
    {{"Marokko", "le Maroc", "Morocco"}, 2},
    {{"de Verenigde Staten", "les États-Unis", "the United States"}, 3},
    {{"Thailand", "la Thaïlande", "Thailand"}, 3},
    {{"Canada", "le Canada", "Canada"}, 3},
};
#define NCOUNTRY ((int)(sizeof COUNTRIES / sizeof COUNTRIES[0]))

/* ------------------------------------------------------ product helpers */

enum { CAT_NONE, CAT_NET, CAT_TV, CAT_MOB, CAT_PRE, CAT_EN, CAT_ELEC, CAT_FIXED, CAT_ANY };

static int code_in_cat(const char *code, int cat)
{
    switch (cat) {
    case CAT_NET:
        return !strncmp(code, "FIBER-", 6) || !strncmp(code, "DSL-", 4) ||
               !strcmp(code, "HOMEBOX-4G") || !strcmp(code, "INTERNET-SOCIAL");
    case CAT_TV:
        return !strncmp(code, "TV-", 3);
    case CAT_MOB:
        return !strncmp(code, "MOBILE-", 7) && strcmp(code, "MOBILE-PREPAID");
    case CAT_PRE:
        return !strcmp(code, "MOBILE-PREPAID");
    case CAT_EN:
        return !strncmp(code, "ENERGY-", 7) || !strncmp(code, "GAS-", 4);
    case CAT_ELEC:
        return !strncmp(code, "ENERGY-", 7);
    case CAT_FIXED:
        return code_in_cat(code, CAT_NET) || code_in_cat(code, CAT_TV) ||
               !strcmp(code, "VOICE-HOME");
    case CAT_ANY:
        return 1;
    default:
        return 0;
    }
}

/* first product of the customer in category cat, copied into out; 0 if none */
static int first_product(const Customer *c, int cat, char *out, size_t n)
{
    const char *p = c->products;
    while (*p) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char code[40];
        if (len >= sizeof code)
            len = sizeof code - 1;
        memcpy(code, p, len);
        code[len] = '\0';
        if (strncmp(code, "PACK-", 5) && code_in_cat(code, cat)) {
            snprintf(out, n, "%s", code);
            return 1;
        }
        p += len;
        while (*p == ' ')
            p++;
    }
    if (out && n)
        out[0] = '\0';
    return 0;
}

static int has_product(const Customer *c, const char *code)
{
    size_t n = strlen(code);
    const char *p = c->products;
    while ((p = strstr(p, code)) != NULL) {
        if ((p == c->products || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
        p += n;
    }
    return 0;
}

static int has_story(const Customer *c, const char *key)
{
    size_t n = strlen(key);
    const char *p = c->stories;
    while ((p = strstr(p, key)) != NULL) {
        if ((p == c->stories || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
        p += n;
    }
    return 0;
}

/* grid operator by postcode */
static const char *grid_operator(const char *postcode)
{
    int pc = atoi(postcode);
    if (pc >= 1000 && pc < 1300)
        return "Sibelga";
    if ((pc >= 1300 && pc < 1500) || (pc >= 5000 && pc < 8000))
        return "ORES";
    if (pc >= 4000 && pc < 5000)
        return "RESA";
    return "Fluvius";
}

/* ------------------------------------------------------------- episodes */

/*
 * Templates: {name} is replaced by a variable (see run_episode), and
 * [[a|b|c]] picks one alternative at random. Plain-text bodies may contain
 * newlines. html = 2 means the template itself is HTML (variables are
 * escaped); html = 1 means an e-mail that is sent as HTML part of the time.
 */
typedef struct {
    int dmin, dmax;    /* days after the previous step (-1: the plan's months) */
    int prob;          /* percent chance the step is emitted */
    const char *chan;  /* channel, or alternatives "phone|chat" */
    int html;
    const char *extra; /* extra product codes, space separated */
    const char *title[3];
    const char *body[3];
} Step;

typedef struct {
    const char *key;
    int cat;       /* product category for {prod}; customer must have one */
    int random_ok; /* may be picked at random */
    int terminal;  /* always the last episode of a customer */
    int filler;    /* a single routine contact */
    long amin, amax;
    const char *tags[3];
    int nsteps;
    Step steps[7];
} Episode;

#define MOVE_CALL                                                                          \
    {0, 0, 100, "phone", 0, "MODEM-LX6",                                                   \
     {"Verhuizing doorgegeven", "Déménagement communiqué", "Move reported"},               \
     {"{first} belt om een verhuizing door te geven: [[vanaf|met ingang van]] {d2} woont "  \
      "[[de klant|{first}]] op {newaddr}. Beschikbaarheid gecontroleerd: glasvezel is "     \
      "aanwezig op het nieuwe adres. {prod} verhuist mee, geen nieuwe activatiekosten. "   \
      "Installatieafspraak op {d2} [[tussen 8 en 12 uur|tussen 13 en 17 uur]]. [[Klant "    \
      "vraagt of de modem mee mag: ja, de Lumina Box LX6 blijft dezelfde.|Klant wil "      \
      "hetzelfde wifi-wachtwoord houden; kan, want de modem verhuist mee.|Klant gevraagd " \
      "om op de verhuisdag de meterstanden te noteren.]]",                                 \
      "{first} appelle pour signaler un déménagement : à partir du {d2}, [[le client|"     \
      "{first}]] habitera {newaddr}. Disponibilité vérifiée : la fibre est présente à la " \
      "nouvelle adresse. {prod} suit le client, sans nouveaux frais d'activation. "        \
      "Rendez-vous d'installation le {d2} [[entre 8h et 12h|entre 13h et 17h]]. [[Le "     \
      "client demande s'il peut garder son modem : oui, la Lumina Box LX6 déménage aussi.|" \
      "Le client veut garder le même mot de passe wifi ; c'est possible puisque le modem " \
      "suit.|Demandé au client de noter les index des compteurs le jour du déménagement.]]", \
      "{first} calls to report a move: [[from|as of]] {d2} [[the customer|{first}]] will "  \
      "live at {newaddr}. Availability checked: fibre is available at the new address. "   \
      "{prod} moves along, no new activation fee. Installation appointment on {d2} "        \
      "[[between 8 am and 12 noon|between 1 pm and 5 pm]]. [[Customer asks whether the "    \
      "modem can come along: yes, the Lumina Box LX6 stays the same.|Customer wants to "    \
      "keep the same wifi password; fine, since the modem moves too.|Asked the customer "   \
      "to note the meter readings on moving day.]]"}}

#define MOVE_MAIL                                                                          \
    {0, 1, 100, "email", 1, NULL,                                                          \
     {"Bevestiging verhuizing", "Confirmation de votre déménagement",                      \
      "Confirmation of your move"},                                                        \
     {"Beste {first},\n\nWe hebben je verhuizing goed genoteerd. Je nieuwe adres: "         \
      "{newaddr}. Onze technicus komt langs op {d2}. Zorg dat er iemand van 18 jaar of "   \
      "ouder aanwezig is & dat de plek bij de glasvezelaansluiting vrij is.\n\nJe oude "   \
      "aansluiting wordt afgesloten op de dag van de installatie; je betaalt nooit "       \
      "dubbel.\n\nMet vriendelijke groeten,\n{agent}\nLumina Klantendienst",                \
      "Bonjour {first},\n\nNous avons bien enregistré votre déménagement. Nouvelle "       \
      "adresse : {newaddr}. Notre technicien passera le {d2}. Veillez à ce qu'une "        \
      "personne majeure soit présente & que l'accès au point fibre soit dégagé.\n\n"       \
      "L'ancienne ligne sera coupée le jour de l'installation ; vous ne payez jamais "     \
      "deux fois.\n\nBien à vous,\n{agent}\nService clientèle Lumina",                      \
      "Dear {first},\n\nWe have registered your move. New address: {newaddr}. Our "        \
      "technician will visit on {d2}. Please make sure someone aged 18 or over is at "     \
      "home & that the fibre socket can be reached.\n\nYour old line is switched off on "  \
      "the day of the installation, so you never pay twice.\n\nKind regards,\n{agent}\n"    \
      "Lumina Customer Care"}}

#define MOVE_INSTALL(d0, d1)                                                               \
    {d0, d1, 100, "visit", 0, "MODEM-LX6",                                                 \
     {"Installatie op nieuw adres", "Installation à la nouvelle adresse",                  \
      "Installation at the new address"},                                                  \
     {"Technicus {tech} heeft de aansluiting op {newaddr} geactiveerd. Lumina Box LX6 "     \
      "aangesloten, snelheidstest via kabel: {speed} Mbps. [[Klant tevreden.|Wifi in "    \
      "de woonkamer getest: ok.|Wifi-netwerk overgenomen met hetzelfde wachtwoord.]] Oude " \
      "lijn afgesloten.",                                                                  \
      "Le technicien {tech} a activé le raccordement au {newaddr}. Lumina Box LX6 "         \
      "branchée, test de débit par câble : {speed} Mbit/s. [[Client satisfait.|Wifi "     \
      "testé au salon : ok.|Réseau wifi repris avec le même mot de passe.]] Ancienne " \
      "ligne coupée.",                                                                     \
      "Technician {tech} activated the connection at {newaddr}. Lumina Box LX6 "            \
      "connected, wired speed test: {speed} Mbps. [[Customer happy.|Wifi tested "    \
      "in the living room: fine.|Wifi network kept with the same password.]] Old line switched off."}}

static const Episode EPISODES[] = {
    {"move", CAT_FIXED, 0, 0, 0, 0, 0,
     {"verhuizing,installatie", "déménagement,installation", "move,installation"},
     3, {MOVE_CALL, MOVE_MAIL, MOVE_INSTALL(12, 30)}},

    {"move_missed", CAT_FIXED, 0, 0, 0, 30, 30,
     {"verhuizing,gemiste afspraak,klacht,compensatie",
      "déménagement,rendez-vous manqué,plainte,compensation",
      "move,missed appointment,complaint,compensation"},
     6,
     {MOVE_CALL, MOVE_MAIL,
      {12, 30, 100, "phone", 0, NULL,
       {"Technicus niet langsgekomen", "Technicien pas venu", "Technician did not show up"},
       {"{first} belt [[boos|geïrriteerd|zichtbaar ontgoocheld]]: de technicus is vandaag "
        "niet gekomen, terwijl de klant een dag verlof had genomen. Geen sms of telefoon "
        "gekregen. In de planning gezien: de onderaannemer heeft de afspraak verplaatst "
        "zonder te verwittigen. Excuses aangeboden. Nieuwe afspraak op {d4}, eerste "
        "tijdslot. Compensatie van {amount} toegezegd. Ticket {ticket}.",
        "{first} appelle, [[fâché|agacé|très déçu]] : le technicien n'est pas venu "
        "aujourd'hui alors que le client avait pris congé. Aucun SMS ni appel reçu. Dans le "
        "planning : le sous-traitant a déplacé le rendez-vous sans prévenir. Excuses "
        "présentées. Nouveau rendez-vous le {d4}, premier créneau. Compensation de {amount} "
        "promise. Ticket {ticket}.",
        "{first} calls, [[angry|annoyed|clearly disappointed]]: the technician did not turn "
        "up today although the customer had taken a day off. No text or call received. "
        "Planning shows the subcontractor moved the slot without notice. Apologised. New "
        "appointment on {d4}, first slot. Compensation of {amount} promised. Ticket "
        "{ticket}."}},
      {1, 3, 70, "social", 0, NULL,
       {"Klacht via sociale media", "Plainte sur les réseaux sociaux",
        "Complaint on social media"},
       {"Publiek bericht van {first} op Facebook: \"[[Al twee weken zonder internet na mijn "
        "verhuis, de technicus komt gewoon niet opdagen. Top service, Lumina...|Dag verlof "
        "genomen voor niks. Bedankt Lumina!]]\" Social team heeft publiek gereageerd en het "
        "gesprek in privébericht verdergezet. Verwezen naar ticket {ticket}; afspraak van "
        "{d4} bevestigd.",
        "Message public de {first} sur Facebook : « [[Deux semaines sans internet après mon "
        "déménagement, le technicien ne vient tout simplement pas. Merci Lumina...|Un jour "
        "de congé pour rien. Bravo Lumina !]] » L'équipe social media a répondu en public "
        "puis poursuivi en message privé. Renvoi au ticket {ticket} ; rendez-vous du {d4} "
        "confirmé.",
        "Public post by {first} on Facebook: \"[[Two weeks without internet after moving "
        "house and the technician simply doesn't show up. Great service, Lumina...|Took a "
        "day off for nothing. Thanks Lumina!]]\" Social team replied publicly and moved "
        "the conversation to a private message. Referred to ticket {ticket}; appointment "
        "of {d4} confirmed."}},
      MOVE_INSTALL(3, 8),
      {5, 12, 100, "letter", 0, NULL,
       {"Compensatie gemiste afspraak", "Compensation pour rendez-vous manqué",
        "Compensation for missed appointment"},
       {"Brief verstuurd: bevestiging van de compensatie van {amount} voor de gemiste "
        "technicusafspraak. Het bedrag wordt verrekend op de volgende factuur. Referentie "
        "ticket {ticket}.",
        "Courrier envoyé : confirmation de la compensation de {amount} pour le rendez-vous "
        "technicien manqué. Le montant sera déduit de la prochaine facture. Référence "
        "ticket {ticket}.",
        "Letter sent: confirms the {amount} compensation for the missed technician "
        "appointment. The amount is deducted from the next invoice. Reference ticket "
        "{ticket}."}}}},

    {"payplan", CAT_ANY, 1, 0, 0, 240, 1400,
     {"afbetalingsplan,aanmaning,betalingsregeling", "plan de paiement,rappel,échéancier",
      "payment plan,reminder,instalments"},
     6,
     {{0, 0, 100, "letter", 0, NULL,
       {"Betalingsherinnering", "Rappel de paiement", "Payment reminder"},
       {"Eerste herinnering verstuurd voor factuur {inv} van {amount}, vervallen op {due}. "
        "Geen kosten voor deze eerste herinnering. Nieuwe betaaltermijn: 15 dagen.",
        "Premier rappel envoyé pour la facture {inv} de {amount}, échue le {due}. Pas de "
        "frais pour ce premier rappel. Nouveau délai de paiement : 15 jours.",
        "First reminder sent for invoice {inv} of {amount}, due on {due}. No charge for "
        "this first reminder. New payment term: 15 days."}},
      {15, 17, 100, "letter", 0, NULL,
       {"Aanmaning", "Deuxième rappel", "Second reminder"},
       {"Aanmaning verstuurd: factuur {inv} ({amount}) blijft onbetaald. Administratieve "
        "kost van € 7,50 toegevoegd. Zonder betaling binnen 15 dagen gaat het dossier naar "
        "het incassobureau[[ en kan de dienst beperkt worden|]].",
        "Deuxième rappel envoyé : la facture {inv} ({amount}) reste impayée. Frais "
        "administratifs de 7,50 € ajoutés. Sans paiement dans les 15 jours, le dossier "
        "part au bureau de recouvrement[[ et le service peut être limité|]].",
        "Second reminder sent: invoice {inv} ({amount}) is still unpaid. Administration fee "
        "of €7.50 added. Without payment within 15 days the file goes to the collection "
        "agency[[ and the service may be restricted|]]."}},
      {2, 6, 100, "phone", 0, NULL,
       {"Afbetalingsplan aangevraagd", "Demande de plan de paiement",
        "Payment plan requested"},
       {"{first} belt na de aanmaning. [[Klant is recent werkloos geworden.|Onverwachte "
        "kosten na een autopanne.|Klant gaat scheiden en heeft tijdelijk minder inkomen.|"
        "Ziekte-uitkering komt later dan verwacht.]] Kan {amount} niet in één keer betalen. "
        "Afbetalingsplan voorgesteld: {n} maandelijkse termijnen van {inst}, eerste termijn "
        "uiterlijk op {due1}. Klant akkoord. Aanmaningskost van € 7,50 wordt geschrapt als "
        "het plan wordt nageleefd. [[Klant gewezen op het OCMW voor budgetbegeleiding.|"
        "Domiciliëring voorgesteld voor de volgende facturen.|]]",
        "{first} appelle après le deuxième rappel. [[Le client vient de perdre son emploi.|"
        "Frais imprévus après une panne de voiture.|Le client est en instance de divorce, "
        "revenus réduits pour l'instant.|Les indemnités de mutuelle arrivent en retard.]] "
        "Impossible de payer {amount} en une fois. Plan de paiement proposé : {n} "
        "mensualités de {inst}, première échéance au plus tard le {due1}. Client d'accord. "
        "Les frais de rappel de 7,50 € sont annulés si l'échéancier est respecté. [[Client "
        "orienté vers le CPAS pour une guidance budgétaire.|Domiciliation proposée pour "
        "les prochaines factures.|]]",
        "{first} calls after the second reminder. [[Customer recently lost their job.|"
        "Unexpected costs after a car breakdown.|Customer is going through a divorce and "
        "has less income for now.|Sickness benefit is paid later than expected.]] Cannot "
        "pay {amount} at once. Payment plan offered: {n} monthly instalments of {inst}, "
        "first one by {due1} at the latest. Customer agrees. The €7.50 reminder fee is "
        "dropped if the plan is kept. [[Pointed the customer to the CPAS/OCMW for budget "
        "guidance.|Suggested direct debit for future invoices.|]]"}},
      {0, 1, 100, "email", 2, NULL,
       {"Bevestiging afbetalingsplan", "Confirmation de votre plan de paiement",
        "Your payment plan"},
       {"<p>Beste {first},</p><p>Zoals telefonisch afgesproken bevestigen we je "
        "afbetalingsplan voor factuur <strong>{inv}</strong>:</p><ul><li>totaal: "
        "{amount}</li><li>{n} termijnen van {inst}</li><li>eerste betaling uiterlijk op "
        "{due1}</li></ul><p>Betaal telkens op rekening BE68&nbsp;5390&nbsp;0754&nbsp;7034 "
        "met de gestructureerde mededeling <code>+++{ogm}+++</code>. Lopende facturen "
        "betaal je apart.</p><p>Lukt een termijn niet? Bel ons v&oacute;&oacute;r de "
        "vervaldag op 0800&nbsp;40&nbsp;400, menu 4.</p><p>Vriendelijke groeten,<br>"
        "{agent}<br>Lumina Klantendienst &amp; Incasso</p>",
        "<p>Bonjour {first},</p><p>Comme convenu par t&eacute;l&eacute;phone, voici votre "
        "plan de paiement pour la facture <strong>{inv}</strong>&nbsp;:</p><ul><li>total "
        "&nbsp;: {amount}</li><li>{n} mensualit&eacute;s de {inst}</li><li>premier "
        "paiement au plus tard le {due1}</li></ul><p>Versez chaque mensualit&eacute; sur le "
        "compte BE68&nbsp;5390&nbsp;0754&nbsp;7034 avec la communication structur&eacute;e "
        "<code>+++{ogm}+++</code>. Les factures courantes se paient s&eacute;par&eacute;ment."
        "</p><p>Une &eacute;ch&eacute;ance pose probl&egrave;me&nbsp;? Appelez-nous avant la "
        "date au 0800&nbsp;40&nbsp;400, menu 4.</p><p>Cordialement,<br>{agent}<br>Service "
        "client&egrave;le &amp; recouvrement Lumina</p>",
        "<p>Dear {first},</p><p>As agreed on the phone, this confirms your payment plan for "
        "invoice <strong>{inv}</strong>:</p><ul><li>total: {amount}</li><li>{n} instalments "
        "of {inst}</li><li>first payment by {due1} at the latest</li></ul><p>Please pay each "
        "instalment to BE68&nbsp;5390&nbsp;0754&nbsp;7034 with the structured reference "
        "<code>+++{ogm}+++</code>. New invoices are paid separately.</p><p>Can&#39;t make "
        "an instalment? Call us before the due date on 0800&nbsp;40&nbsp;400, option 4.</p>"
        "<p>Kind regards,<br>{agent}<br>Lumina Customer Care &amp; Collections</p>"}},
      {22, 26, 100, "chat", 0, NULL,
       {"Eerste termijn ontvangen?", "Première mensualité reçue ?", "First instalment received?"},
       {"{first} vraagt via chat of de eerste termijn van {inst} goed is aangekomen. "
        "Betaling gevonden en correct aan het plan gekoppeld. Klant gerustgesteld; nog {n1} "
        "termijnen te gaan.",
        "{first} demande par chat si la première mensualité de {inst} est bien arrivée. "
        "Paiement trouvé et correctement lié au plan. Client rassuré ; encore {n1} "
        "mensualités.",
        "{first} asks on chat whether the first instalment of {inst} arrived. Payment found "
        "and matched to the plan. Customer reassured; {n1} instalments to go."}},
      {-1, 0, 100, "letter", 0, NULL,
       {"Afbetalingsplan afgerond", "Plan de paiement soldé", "Payment plan completed"},
       {"Bevestigingsbrief: het afbetalingsplan voor factuur {inv} is volledig afgelost. "
        "Aanmaningskost geschrapt. [[Klant betaalt voortaan via domiciliëring.|Geen "
        "openstaand saldo meer.]]",
        "Courrier de confirmation : le plan de paiement de la facture {inv} est entièrement "
        "soldé. Frais de rappel annulés. [[Le client paie désormais par domiciliation.|Plus "
        "aucun solde ouvert.]]",
        "Confirmation letter: the payment plan for invoice {inv} is fully paid. Reminder fee "
        "cancelled. [[Customer now pays by direct debit.|No open balance left.]]"}}}},

    {"outage", CAT_NET, 1, 0, 0, 0, 0,
     {"storing,technicus,compensatie", "panne,technicien,compensation",
      "outage,technician,compensation"},
     5,
     {{0, 0, 100, "phone|chat", 0, NULL,
       {"Storing gemeld", "Panne signalée", "Outage reported"},
       {"{first} meldt [[geen internet|geen internet en geen tv|een heel trage verbinding "
        "met onderbrekingen]] sinds [[vanochtend|gisterenavond|ongeveer 14 uur]]. Op "
        "afstand gecontroleerd: [[lijn niet bereikbaar|modem synchroniseert niet|veel "
        "fouten op de lijn]]. [[Geen gekende storing in {city}.|Gekende werken aan het "
        "netwerk in {city}.]] Modem herstart, zonder resultaat. Ticket {ticket} aangemaakt.",
        "{first} signale [[plus d'internet|plus d'internet ni de télé|une connexion très "
        "lente avec des coupures]] depuis [[ce matin|hier soir|14h environ]]. Contrôle à "
        "distance : [[ligne injoignable|le modem ne se synchronise pas|beaucoup d'erreurs "
        "sur la ligne]]. [[Pas de panne connue à {city}.|Travaux connus sur le réseau à "
        "{city}.]] Modem redémarré, sans résultat. Ticket {ticket} créé.",
        "{first} reports [[no internet|no internet and no TV|a very slow connection that "
        "keeps dropping]] since [[this morning|last night|about 2 pm]]. Remote check: "
        "[[line unreachable|modem does not sync|many errors on the line]]. [[No known "
        "outage in {city}.|Known network works in {city}.]] Modem restarted, no change. "
        "Ticket {ticket} created."}},
      {0, 0, 100, "email", 1, NULL,
       {"Update storing {ticket}", "Suivi de la panne {ticket}", "Outage update {ticket}"},
       {"Beste {first},\n\nWe werken aan je storing (ticket {ticket}). Onze technische "
        "dienst onderzoekt de lijn & houdt je op de hoogte. Tip: zet je modem niet terug "
        "op fabrieksinstellingen, dat vertraagt de diagnose.\n\nLumina Storingsdienst",
        "Bonjour {first},\n\nNous travaillons sur votre panne (ticket {ticket}). Notre "
        "service technique analyse la ligne & vous tient informé. Conseil : ne remettez pas "
        "le modem en configuration d'usine, cela ralentit le diagnostic.\n\nService "
        "dépannage Lumina",
        "Dear {first},\n\nWe are working on your fault (ticket {ticket}). Our technical "
        "team is checking the line & will keep you posted. Tip: please don't factory-reset "
        "the modem, it slows down the diagnosis.\n\nLumina Fault Desk"}},
      {1, 2, 100, "phone", 0, NULL,
       {"Storing duurt voort", "La panne persiste", "Outage continues"},
       {"Klant belt opnieuw: na meer dan 24 uur nog steeds geen verbinding. [[Klant werkt "
        "thuis en is erg ongerust.|Kinderen hebben examens, klant wil een snelle oplossing.|"
        "Klant dreigt op te zeggen.]] Geëscaleerd naar de tweede lijn; technicus op {d3}. "
        "Overbrugging aangeboden: [[extra mobiele data|een 4G-router in bruikleen "
        "(HOMEBOX-4G)]].",
        "Le client rappelle : toujours pas de connexion après plus de 24 heures. [[Le client "
        "télétravaille et s'inquiète.|Les enfants ont des examens, il veut une solution "
        "rapide.|Le client menace de résilier.]] Escaladé en deuxième ligne ; technicien le "
        "{d3}. Solution temporaire proposée : [[data mobile supplémentaire|un routeur 4G en "
        "prêt (HOMEBOX-4G)]].",
        "Customer calls again: still no connection after more than 24 hours. [[Works from "
        "home and is worried.|Kids have exams, wants a quick fix.|Threatens to cancel.]] "
        "Escalated to second line; technician on {d3}. Offered a stopgap: [[extra mobile "
        "data|a loan 4G router (HOMEBOX-4G)]]."}},
      {1, 3, 100, "visit", 0, NULL,
       {"Interventie technicus", "Intervention du technicien", "Technician visit"},
       {"Technicus {tech} ter plaatse. Oorzaak: [[glasvezelkabel in de straat beschadigd "
        "bij graafwerken|defecte ONT|losse connector in de verdeelkast|vocht in de "
        "aansluitdoos]]. Hersteld; gemeten snelheid {speed} Mbps. Ticket {ticket} gesloten.",
        "Technicien {tech} sur place. Cause : [[câble fibre endommagé dans la rue lors de "
        "travaux|ONT défectueux|connecteur desserré dans l'armoire de rue|humidité dans le "
        "boîtier]]. Réparé ; débit mesuré {speed} Mbit/s. Ticket {ticket} clôturé.",
        "Technician {tech} on site. Cause: [[fibre cable in the street damaged by "
        "roadworks|faulty ONT|loose connector in the street cabinet|moisture in the wall "
        "box]]. Fixed; measured speed {speed} Mbps. Ticket {ticket} closed."}},
      {5, 10, 100, "letter", 0, NULL,
       {"Compensatie storing", "Compensation pour la panne", "Outage compensation"},
       {"Brief: compensatie van {amount} voor de storing van {hours} uur (ticket {ticket}), "
        "volgens de algemene voorwaarden: € 10 per volledige dag na de eerste 24 uur. Wordt "
        "verrekend op de volgende factuur.",
        "Courrier : compensation de {amount} pour la panne de {hours} heures (ticket "
        "{ticket}), selon les conditions générales : 10 € par jour complet après les 24 "
        "premières heures. Déduite de la prochaine facture.",
        "Letter: compensation of {amount} for the {hours}-hour outage (ticket {ticket}), as "
        "per the general terms: €10 per full day after the first 24 hours. Deducted from the "
        "next invoice."}}}},

    {"wifi", CAT_NET, 1, 0, 0, 0, 0,
     {"wifi,wifi-booster,modem", "wifi,répéteur,modem", "wifi,booster,modem"},
     4,
     {{0, 0, 100, "chat", 0, "MODEM-LX6",
       {"Trage wifi", "Wifi lent", "Slow wifi"},
       {"{first} klaagt over trage wifi [[op de bovenverdieping|in de keuken|in het bureau "
        "achteraan|op zolder]]. Lumina Box LX6 op afstand bekeken: [[veel buurnetwerken op "
        "kanaal 6|toestellen verbonden op 2,4 GHz|modem staat in een kast]]. Advies: modem "
        "hoger en vrij zetten, 5 GHz gebruiken. Klant probeert het.",
        "{first} se plaint d'un wifi lent [[à l'étage|dans la cuisine|dans le bureau au "
        "fond|sous les combles]]. Lumina Box LX6 vérifiée à distance : [[beaucoup de réseaux "
        "voisins sur le canal 6|appareils connectés en 2,4 GHz|modem rangé dans une "
        "armoire]]. Conseil : placer le modem en hauteur et à découvert, utiliser le 5 GHz. "
        "Le client essaie.",
        "{first} complains about slow wifi [[upstairs|in the kitchen|in the back office|in "
        "the attic]]. Lumina Box LX6 checked remotely: [[many neighbouring networks on "
        "channel 6|devices connected on 2.4 GHz|modem sits inside a cupboard]]. Advice: "
        "place the modem higher and in the open, use 5 GHz. Customer will try."}},
      {4, 10, 100, "phone", 0, "MODEM-LX6 WIFI-EXT",
       {"Wifi nog steeds traag", "Wifi toujours lent", "Wifi still slow"},
       {"Klant belt terug: wifi nog steeds traag. Snelheidstest via kabel: {speed} Mbps, de "
        "lijn is dus in orde. Probleem is de dekking ([[betonvloer|vloerverwarming|dikke "
        "muren]]). WIFI-EXT besteld [[tegen € 3 per maand|gratis de eerste 3 maanden]].",
        "Le client rappelle : wifi toujours lent. Test par câble : {speed} Mbit/s, la ligne "
        "est donc en ordre. Le problème vient de la couverture ([[dalle en béton|chauffage "
        "par le sol|murs épais]]). WIFI-EXT commandé [[à 3 € par mois|gratuit les 3 premiers "
        "mois]].",
        "Customer calls back: wifi still slow. Wired speed test: {speed} Mbps, so the line "
        "is fine. The problem is coverage ([[concrete floor|underfloor heating|thick "
        "walls]]). WIFI-EXT ordered [[at €3 a month|free for the first 3 months]]."}},
      {1, 2, 100, "email", 1, "WIFI-EXT",
       {"Verzending wifi-booster", "Envoi du répéteur wifi", "Wifi booster shipped"},
       {"Beste {first},\n\nJe Lumina wifi-booster (WIFI-EXT) is onderweg en komt binnen 2 "
        "werkdagen aan. Installeren: stekker in een stopcontact halverwege modem & "
        "probleemzone, WPS-knop op de modem en daarna op de booster indrukken. Het lampje "
        "wordt binnen 2 minuten wit.\n\nLumina Klantendienst",
        "Bonjour {first},\n\nVotre répéteur wifi Lumina (WIFI-EXT) est en route et arrivera "
        "sous 2 jours ouvrables. Installation : branchez-le à mi-chemin entre le modem & la "
        "zone à problème, appuyez sur le bouton WPS du modem puis sur celui du répéteur. Le "
        "voyant devient blanc en moins de 2 minutes.\n\nService clientèle Lumina",
        "Dear {first},\n\nYour Lumina wifi booster (WIFI-EXT) is on its way and arrives "
        "within 2 working days. To install: plug it in halfway between the modem & the "
        "problem area, press WPS on the modem and then on the booster. The light turns white "
        "within 2 minutes.\n\nLumina Customer Care"}},
      {3, 8, 100, "chat", 0, "WIFI-EXT",
       {"Wifi-booster werkt", "Répéteur wifi opérationnel", "Wifi booster working"},
       {"{first} bevestigt dat de booster geïnstalleerd is; [[wifi nu overal goed|nog één "
        "dode zone in de tuin, verder prima|boven nu {speed2} Mbps]]. Case gesloten.",
        "{first} confirme que le répéteur est installé ; [[wifi correct partout|encore une "
        "zone morte au jardin, sinon parfait|à l'étage {speed2} Mbit/s maintenant]]. Dossier "
        "clôturé.",
        "{first} confirms the booster is installed; [[wifi fine everywhere now|one dead spot "
        "left in the garden, otherwise fine|{speed2} Mbps upstairs now]]. Case closed."}}}},

    {"modem", CAT_NET, 1, 0, 0, 0, 0,
     {"modem,vervanging,retour", "modem,remplacement,retour", "modem,replacement,return"},
     4,
     {{0, 0, 100, "phone", 0, "MODEM-LX6",
       {"Modem defect", "Modem défectueux", "Faulty modem"},
       {"{first} meldt dat het lampje van de modem [[rood knippert|niet meer brandt|oranje "
        "blijft]]. Stroom, kabels en reset samen met de klant gecontroleerd. Modem reageert "
        "niet op afstand. Vervangtoestel (Lumina Box LX6) besteld; oude modem binnen 14 "
        "dagen terugsturen met het bpost-label.",
        "{first} signale que le voyant du modem [[clignote en rouge|ne s'allume plus|reste "
        "orange]]. Alimentation, câbles et reset vérifiés avec le client. Le modem ne répond "
        "pas à distance. Remplacement commandé (Lumina Box LX6) ; ancien modem à renvoyer "
        "sous 14 jours avec l'étiquette bpost.",
        "{first} reports the modem light [[blinking red|no longer on at all|stuck on "
        "orange]]. Power, cables and reset checked with the customer. Modem does not answer "
        "remotely. Replacement ordered (Lumina Box LX6); old unit to be returned within 14 "
        "days with the bpost label."}},
      {1, 1, 100, "email", 1, "MODEM-LX6",
       {"Vervangmodem verzonden", "Modem de remplacement envoyé", "Replacement modem shipped"},
       {"Beste {first},\n\nJe nieuwe Lumina Box LX6 is verzonden. Stuur je oude modem binnen "
        "14 dagen terug met het retourlabel in de doos. Let op: een modem die niet "
        "terugkomt, rekenen we aan tegen € 120.\n\nLumina Klantendienst",
        "Bonjour {first},\n\nVotre nouvelle Lumina Box LX6 est partie. Renvoyez l'ancien "
        "modem dans les 14 jours avec l'étiquette retour fournie. Attention : un modem non "
        "restitué est facturé 120 €.\n\nService clientèle Lumina",
        "Dear {first},\n\nYour new Lumina Box LX6 has been shipped. Please send the old modem "
        "back within 14 days using the return label in the box. Note: a modem that is not "
        "returned is charged at €120.\n\nLumina Customer Care"}},
      {18, 22, 100, "phone", 0, "MODEM-LX6",
       {"Retour modem niet ontvangen", "Retour du modem non reçu", "Modem return not received"},
       {"Opvolging: oude modem niet ontvangen in het magazijn. {first} gebeld; zegt het pakket "
        "[[in een bpost-punt|in de rode brievenbus|in de Lumina-winkel]] te hebben "
        "afgegeven. Trackingnummer genoteerd; kost van € 120 voorlopig geblokkeerd.",
        "Suivi : ancien modem non reçu à l'entrepôt. {first} contacté ; le colis a été "
        "déposé [[dans un point bpost|dans la boîte aux lettres rouge|au magasin Lumina]]. "
        "Numéro de suivi noté ; frais de 120 € bloqués en attendant.",
        "Follow-up: old modem not received at the warehouse. Called {first}, who says the "
        "parcel was dropped [[at a bpost point|in the red post box|at the Lumina shop]]. "
        "Tracking number noted; the €120 charge is on hold."}},
      {5, 10, 100, "letter", 0, NULL,
       {"Retour modem bevestigd", "Retour du modem confirmé", "Modem return confirmed"},
       {"Bevestiging: oude modem ontvangen. Geen kosten aangerekend. Dossier gesloten.",
        "Confirmation : ancien modem bien reçu. Aucun frais facturé. Dossier clôturé.",
        "Confirmation: old modem received. No charge. File closed."}}}},

#define DISPUTE_MAIL                                                                       \
    {0, 0, 100, "email", 1, NULL,                                                          \
     {"Betwisting factuur {inv}", "Contestation de la facture {inv}",                      \
      "Dispute of invoice {inv}"},                                                         \
     {"Goedendag,\n\nOp factuur {inv} staat {amount} voor {item}, maar dat heb ik nooit "  \
      "besteld. Ik betaal dat "  \
      "bedrag dus niet. Kunnen jullie dit nakijken & rechtzetten?\n\nMet vriendelijke "    \
      "groet,\n{name}",                                                                    \
      "Bonjour,\n\nSur la facture {inv}, je vois {amount} pour {item}, alors que je n'ai " \
      "jamais rien commandé de tel. Je ne paierai donc pas ce montant. Pouvez-vous vérifier & "    \
      "corriger ?\n\nCordialement,\n{name}",                                                \
      "Hello,\n\nInvoice {inv} shows {amount} for {item}, which I never ordered. I will not pay that amount. "  \
      "Could you look into it & correct it?\n\nRegards,\n{name}"}}

#define DISPUTE_CALL                                                                       \
    {1, 3, 100, "phone", 0, NULL,                                                          \
     {"Betwisting geregistreerd", "Contestation enregistrée", "Dispute registered"},       \
     {"{first} teruggebeld over de betwisting van factuur {inv}. Betwist bedrag ({amount}) " \
      "geblokkeerd: geen herinneringen voor dat deel. De rest van de factuur moet wel "     \
      "betaald worden. Onderzoek door de facturatiedienst, antwoord binnen 10 werkdagen.", \
      "{first} rappelé au sujet de la contestation de la facture {inv}. Montant contesté "   \
      "({amount}) bloqué : pas de rappel pour cette partie. Le reste de la facture doit "    \
      "être payé. Analyse par le service facturation, réponse sous 10 jours ouvrables.",    \
      "Called {first} back about the dispute of invoice {inv}. Disputed amount ({amount}) " \
      "put on hold: no reminders for that part. The rest of the invoice must still be "    \
      "paid. Billing team investigates, answer within 10 working days."}}

    {"dispute", CAT_ANY, 1, 0, 0, 15, 180,
     {"betwisting,factuur,creditnota", "contestation,facture,note de crédit",
      "dispute,invoice,credit note"},
     3,
     {DISPUTE_MAIL, DISPUTE_CALL,
      {5, 12, 100, "letter", 0, NULL,
       {"Creditnota {cn}", "Note de crédit {cn}", "Credit note {cn}"},
       {"Betwisting gegrond: [[per vergissing aangerekend na een promotie|dubbele "
        "aanrekening door een fout bij de migratie|fout in het facturatiesysteem, sinds "
        "hersteld]]. Creditnota {cn} van {amount} opgemaakt, "
        "verrekend met de volgende factuur.",
        "Contestation fondée : [[montant facturé par erreur après une promotion|double "
        "facturation due à une erreur de migration|erreur du système de facturation, "
        "corrigée depuis]]. Note de crédit {cn} de {amount} établie, déduite de "
        "la prochaine facture.",
        "Dispute upheld: [[charged by mistake after a promotion|double charge "
        "caused by a migration error|billing system error, since fixed]]. Credit note {cn} of {amount} issued, set off against the next "
        "invoice."}}}},

    {"dispute_rejected", CAT_ANY, 1, 0, 0, 15, 180,
     {"betwisting,factuur,ombudsman", "contestation,facture,médiation",
      "dispute,invoice,ombudsman"},
     4,
     {DISPUTE_MAIL, DISPUTE_CALL,
      {5, 12, 100, "letter", 0, NULL,
       {"Betwisting ongegrond", "Contestation non fondée", "Dispute rejected"},
       {"Antwoord facturatiedienst: de aanrekening van {amount} is correct; [[de bestelling "
        "werd bevestigd in de MyLumina-app|het staat in het contract dat de klant tekende|de "
        "kost werd bij de bestelling aanvaard]]. Bedrag "
        "blijft verschuldigd, nieuwe betaaltermijn 15 dagen.",
        "Réponse du service facturation : le montant de {amount} est correct ; [[la commande a "
        "été confirmée dans l'app MyLumina|cela figure dans le contrat signé par le client|"
        "les frais ont été acceptés lors de la commande]]. Le montant reste dû, nouveau délai de 15 jours.",
        "Billing team's answer: the {amount} charge is correct; [[the order was confirmed "
        "in the MyLumina app|it is in the contract the customer signed|the fee was accepted "
        "when ordering]]. Amount still due, new 15-day term."}},
      {1, 4, 100, "phone", 0, NULL,
       {"Klant niet akkoord", "Client en désaccord", "Customer disagrees"},
       {"{first} is niet akkoord met het antwoord. Uitgelegd dat een klacht kan bij de "
        "bevoegde ombudsdienst (telecom of energie), gratis, nadat Lumina heeft geantwoord. "
        "[[Klant zal dat doen.|Klant betaalt onder voorbehoud.]]",
        "{first} conteste la réponse. Expliqué qu'il peut saisir le service de médiation "
        "compétent (télécoms ou énergie), gratuitement, puisque Lumina a répondu. [[Le client "
        "va le faire.|Le client paie sous réserve.]]",
        "{first} disagrees with the answer. Explained that a complaint can go to the "
        "relevant ombudsman (telecom or energy), free of charge, now that Lumina has "
        "answered. [[Customer will do so.|Customer pays under protest.]]"}}}},

    {"simswap", CAT_MOB, 1, 0, 0, 10, 10,
     {"sim,sim-wissel,esim,identiteit", "carte sim,remplacement,esim,identité",
      "sim,sim swap,esim,identity"},
     3,
     {{0, 0, 100, "phone|visit", 0, "ESIM",
       {"SIM-kaart vervangen", "Remplacement de la carte SIM", "SIM card replacement"},
       {"{first} [[is de gsm kwijt|werd bestolen op de tram|heeft een beschadigde "
        "SIM-kaart|wil overschakelen naar eSIM]]. Identiteit gecontroleerd (geboortedatum en "
        "laatste 4 cijfers van de rekening {iban}). Nummer {msisdn} [[geblokkeerd en |]]"
        "nieuwe SIM aangevraagd. [[Kost van € 10 aangerekend.|Gratis, kaart defect.]]",
        "{first} [[a perdu son GSM|s'est fait voler son téléphone dans le tram|a une carte "
        "SIM abîmée|veut passer à l'eSIM]]. Identité vérifiée (date de naissance et 4 "
        "derniers chiffres du compte {iban}). Numéro {msisdn} [[bloqué et |]]nouvelle SIM "
        "demandée. [[Frais de 10 € facturés.|Gratuit, carte défectueuse.]]",
        "{first} [[lost the phone|had the phone stolen on the tram|has a damaged SIM card|"
        "wants to switch to eSIM]]. Identity checked (date of birth and last 4 digits of "
        "account {iban}). Number {msisdn} [[blocked and |]]new SIM requested. [[€10 fee "
        "charged.|Free, faulty card.]]"}},
      {0, 1, 100, "email", 1, "ESIM",
       {"Je nieuwe SIM", "Votre nouvelle carte SIM", "Your new SIM"},
       {"Beste {first},\n\n[[Je nieuwe SIM-kaart is onderweg en komt binnen 2 werkdagen "
        "aan.|Je eSIM-QR-code staat klaar in de MyLumina-app onder Mobiel > eSIM.]] Je nummer "
        "{msisdn} blijft hetzelfde. Activeren kan in de app of via 0800 40 400, menu 2.\n\n"
        "Lumina Mobile",
        "Bonjour {first},\n\n[[Votre nouvelle carte SIM est en route et arrivera sous 2 jours "
        "ouvrables.|Votre QR code eSIM est disponible dans l'app MyLumina, rubrique Mobile > "
        "eSIM.]] Votre numéro {msisdn} reste le même. Activation dans l'app ou au 0800 40 "
        "400, menu 2.\n\nLumina Mobile",
        "Dear {first},\n\n[[Your new SIM card is on its way and arrives within 2 working "
        "days.|Your eSIM QR code is ready in the MyLumina app under Mobile > eSIM.]] Your "
        "number {msisdn} stays the same. Activate it in the app or on 0800 40 400, option 2."
        "\n\nLumina Mobile"}},
      {1, 4, 100, "chat", 0, NULL,
       {"Nieuwe SIM actief", "Nouvelle SIM active", "New SIM active"},
       {"Klant bevestigt dat de nieuwe SIM werkt. [[Contacten stonden op de oude kaart; "
        "uitgelegd hoe je ze uit de cloud terugzet.|PIN werkte niet; PUK-code gegeven na "
        "identiteitscontrole.|Alles in orde.]]",
        "Le client confirme que la nouvelle SIM fonctionne. [[Les contacts étaient sur "
        "l'ancienne carte ; expliqué comment les restaurer depuis le cloud.|Le PIN ne "
        "marchait pas ; code PUK communiqué après contrôle d'identité.|Tout est en ordre.]]",
        "Customer confirms the new SIM works. [[Contacts were on the old card; explained how "
        "to restore them from the cloud.|PIN did not work; PUK code given after identity "
        "check.|All fine.]]"}}}},

    {"portin", CAT_MOB, 0, 0, 0, 0, 0,
     {"nummerbehoud,overstap,mobiel", "portabilité,changement d'opérateur,mobile",
      "number porting,switch,mobile"},
     4,
     {{0, 0, 100, "chat", 0, NULL,
       {"Nummeroverdracht aangevraagd", "Demande de portabilité", "Number porting requested"},
       {"{first} stapt over naar Lumina ({prod}) en wil het nummer {msisdn} behouden. Nodig: "
        "het SIM-kaartnummer (ICCID) van de huidige operator en het klantnummer daar. "
        "Gegevens ontvangen; overdracht gepland op {d2}. De oude operator zegt het contract "
        "zelf op.",
        "{first} passe chez Lumina ({prod}) et veut garder le numéro {msisdn}. Il faut le "
        "numéro de carte SIM (ICCID) de l'opérateur actuel et le numéro client chez lui. "
        "Données reçues ; portage prévu le {d2}. L'ancien opérateur résilie lui-même le "
        "contrat.",
        "{first} is switching to Lumina ({prod}) and wants to keep number {msisdn}. Needed: "
        "the SIM card number (ICCID) from the current operator and the customer number "
        "there. Details received; port planned on {d2}. The old operator ends the contract "
        "itself."}},
      {0, 1, 100, "email", 1, NULL,
       {"Bevestiging nummeroverdracht", "Confirmation de portabilité", "Porting confirmation"},
       {"Beste {first},\n\nJe nummer {msisdn} wordt op {d2} overgezet naar Lumina. Die dag "
        "kan je enkele uren onbereikbaar zijn. Steek de Lumina-SIM pas in als je oude SIM "
        "geen bereik meer heeft.\n\nLumina Mobile",
        "Bonjour {first},\n\nVotre numéro {msisdn} sera transféré chez Lumina le {d2}. Vous "
        "pourriez être injoignable quelques heures ce jour-là. Insérez la SIM Lumina dès que "
        "l'ancienne n'a plus de réseau.\n\nLumina Mobile",
        "Dear {first},\n\nYour number {msisdn} moves to Lumina on {d2}. You may be "
        "unreachable for a few hours that day. Insert the Lumina SIM once the old one loses "
        "signal.\n\nLumina Mobile"}},
      {2, 4, 100, "phone", 0, NULL,
       {"Nummeroverdracht mislukt", "Échec de la portabilité", "Porting failed"},
       {"{first} belt: nummer nog niet overgezet. Controle: de donoroperator weigerde het "
        "verzoek, [[klantnummer klopte niet|ICCID had een cijfer te weinig|het nummer stond "
        "op naam van een ouder]]. Gegevens verbeterd; nieuwe datum {d3}.",
        "{first} appelle : le numéro n'est pas encore transféré. Vérification : l'opérateur "
        "donneur a refusé la demande, [[numéro client erroné|ICCID incomplet|le numéro est "
        "au nom d'un parent]]. Données corrigées ; nouvelle date le {d3}.",
        "{first} calls: number not ported yet. Check: the donor operator rejected the "
        "request, [[wrong customer number|ICCID missing a digit|the number is in a parent's "
        "name]]. Details corrected; new date {d3}."}},
      {2, 4, 100, "chat", 0, NULL,
       {"Nummer overgezet", "Numéro transféré", "Number ported"},
       {"Nummer {msisdn} is actief op de Lumina-SIM. Oude SIM werkt niet meer. Klant "
        "[[tevreden|vraagt nog naar de voicemail-instellingen, uitgelegd]].",
        "Le numéro {msisdn} est actif sur la SIM Lumina. L'ancienne SIM ne fonctionne plus. "
        "Client [[satisfait|demande encore le réglage de la messagerie vocale, expliqué]].",
        "Number {msisdn} is live on the Lumina SIM. Old SIM no longer works. Customer "
        "[[happy|asks about voicemail settings, explained]]."}}}},

    {"roaming", CAT_MOB, 1, 0, 0, 60, 420,
     {"roaming,buitenland,factuur", "roaming,étranger,facture", "roaming,abroad,invoice"},
     3,
     {{0, 0, 100, "chat", 0, "ROAM-WORLD",
       {"Roamingvraag: reis naar {country}", "Question roaming : voyage vers {country}",
        "Roaming question: trip to {country}"},
       {"{first} reist [[binnenkort|volgende week|deze zomer]] naar {country} en vraagt wat "
        "bellen en surfen daar kost. Uitgelegd: bestemming buiten de EU (zone {zone}); "
        "zonder pas € 0,50 per MB. ROAM-WORLD voorgesteld: [[1 GB voor € 9,95|3 GB voor "
        "€ 19,95]], 7 dagen geldig. [[Klant activeert de pas in de app.|Klant twijfelt nog.]]",
        "{first} part [[bientôt|la semaine prochaine|cet été]] pour {country} et demande ce "
        "que coûtent les appels et la data là-bas. Expliqué : destination hors UE (zone "
        "{zone}) ; sans pass 0,50 € par Mo. ROAM-WORLD proposé : [[1 Go pour 9,95 €|3 Go pour "
        "19,95 €]], valable 7 jours. [[Le client active le pass dans l'app.|Le client "
        "hésite encore.]]",
        "{first} is travelling to {country} [[soon|next week|this summer]] and asks what "
        "calls and data cost there. Explained: destination outside the EU (zone {zone}); "
        "without a pass €0.50 per MB. Suggested ROAM-WORLD: [[1 GB for €9.95|3 GB for "
        "€19.95]], valid 7 days. [[Customer activates it in the app.|Customer is still "
        "thinking.]]"}},
      {5, 12, 100, "email", 2, "ROAM-WORLD",
       {"Roamingalarm: € 50 bereikt", "Alerte roaming : 50 € atteints",
        "Roaming alert: €50 reached"},
       {"<p>Beste {first},</p><p>Je roamingverbruik buiten de EU heeft <strong>&euro;&nbsp;50 "
        "(excl. btw)</strong> bereikt. Om onverwachte kosten te vermijden is mobiele data "
        "buiten de EU nu geblokkeerd.</p><p>Verder surfen? Antwoord &quot;JA&quot; op de sms "
        "of activeer een ROAM-WORLD-pas in de app.</p><p>Lumina Mobile</p>",
        "<p>Bonjour {first},</p><p>Votre consommation en roaming hors UE a atteint "
        "<strong>50&nbsp;&euro; (HTVA)</strong>. Pour &eacute;viter les mauvaises surprises, "
        "la data mobile hors UE est maintenant bloqu&eacute;e.</p><p>Vous souhaitez "
        "continuer&nbsp;? R&eacute;pondez &laquo;&nbsp;OUI&nbsp;&raquo; au SMS ou activez un "
        "pass ROAM-WORLD dans l&#39;app.</p><p>Lumina Mobile</p>",
        "<p>Dear {first},</p><p>Your roaming usage outside the EU has reached <strong>&euro;50 "
        "(excl. VAT)</strong>. To avoid bill shock, mobile data outside the EU is now "
        "blocked.</p><p>Want to keep browsing? Reply &quot;YES&quot; to the text message or "
        "activate a ROAM-WORLD pass in the app.</p><p>Lumina Mobile</p>"}},
      {7, 20, 100, "phone", 0, "ROAM-WORLD",
       {"Hoge roamingfactuur", "Facture de roaming élevée", "High roaming bill"},
       {"{first} belt over factuur {inv}: {amount} roamingkosten in {country}. [[Pas pas na "
        "aankomst geactiveerd.|Data verbruikt door automatische app-updates.|Klant dacht "
        "dat de bestemming onder de EU-regeling viel.]] Eenmalig commercieel gebaar: 50 % "
        "gecrediteerd ({amount2}). Uitgelegd hoe je data-roaming uitzet.",
        "{first} appelle au sujet de la facture {inv} : {amount} de roaming pendant le séjour ({country}). [[Pass "
        "activé seulement après l'arrivée.|Data consommée par des mises à jour automatiques.|"
        "Le client pensait que la destination relevait du tarif UE.]] Geste commercial "
        "unique : 50 % crédités ({amount2}). Expliqué comment couper la data en roaming.",
        "{first} calls about invoice {inv}: {amount} of roaming charges in {country}. [[Pass "
        "only activated after arrival.|Data used by automatic app updates.|Customer thought "
        "the destination was covered by EU roaming.]] One-off goodwill: 50% credited "
        "({amount2}). Explained how to turn off data roaming."}}}},

    {"meter", CAT_EN, 1, 0, 0, 40, 680,
     {"meterstand,jaarafrekening,voorschot", "relevé d'index,facture de régularisation,acompte",
      "meter reading,annual statement,advance"},
     4,
     {{0, 0, 100, "letter", 0, NULL,
       {"Vraag meterstanden", "Demande de relevé d'index", "Meter reading request"},
       {"Brief: graag de meterstanden doorgeven vóór {d1} voor de jaarafrekening (EAN "
        "{ean}). Kan via MyLumina, de app of 0800 40 400, menu 3.",
        "Courrier : merci de communiquer vos relevés d'index avant le {d1} pour la facture "
        "de régularisation (EAN {ean}). Via MyLumina, l'app ou le 0800 40 400, menu 3.",
        "Letter: please send the meter readings before {d1} for the annual statement (EAN "
        "{ean}). Via MyLumina, the app or 0800 40 400, option 3."}},
      {3, 12, 100, "email|chat", 1, NULL,
       {"Meterstanden doorgegeven", "Index communiqués", "Meter readings sent"},
       {"Meterstanden van {first}: dag {kwh} kWh, nacht {kwh2} kWh, gas {m3} m³. [[Foto van "
        "de meter bijgevoegd.|Geen foto, waarden overgetypt.]]",
        "Index de {first} : jour {kwh} kWh, nuit {kwh2} kWh, gaz {m3} m³. [[Photo du compteur "
        "jointe.|Pas de photo, valeurs recopiées.]]",
        "Readings from {first}: day {kwh} kWh, night {kwh2} kWh, gas {m3} m³. [[Photo of the "
        "meter attached.|No photo, figures typed in.]]"}},
      {1, 3, 60, "phone", 0, NULL,
       {"Meterstand onwaarschijnlijk", "Index improbable", "Implausible reading"},
       {"Validatie: dagstand lager dan vorig jaar. {first} gebeld; [[dag en nacht waren "
        "omgewisseld|het was de meter van de buren (appartementsgebouw)|er stond een cijfer "
        "te veel]]. Gecorrigeerd na een foto per e-mail.",
        "Validation : index jour inférieur à l'an dernier. {first} contacté ; [[jour et nuit "
        "inversés|c'était le compteur du voisin (immeuble à appartements)|un chiffre en "
        "trop]]. Corrigé après réception d'une photo par e-mail.",
        "Validation: day reading lower than last year. Called {first}; [[day and night were "
        "swapped|it was the neighbour's meter (apartment block)|one digit too many]]. "
        "Corrected after a photo by e-mail."}},
      {10, 25, 100, "letter", 0, NULL,
       {"Jaarafrekening energie", "Facture de régularisation", "Annual energy statement"},
       {"Jaarafrekening opgemaakt. [[Terugbetaling van {amount} op rekening {iban} binnen "
        "10 werkdagen.|Te betalen saldo: {amount}, vervaldag binnen 15 dagen.]] Nieuw "
        "voorschot: {inst} per maand.",
        "Facture de régularisation établie. [[Remboursement de {amount} sur le compte {iban} "
        "sous 10 jours ouvrables.|Solde à payer : {amount}, échéance dans 15 jours.]] Nouvel "
        "acompte : {inst} par mois.",
        "Annual statement issued. [[Refund of {amount} to account {iban} within 10 working "
        "days.|Balance due: {amount}, payable within 15 days.]] New advance: {inst} a "
        "month."}}}},

    {"price", CAT_FIXED, 1, 0, 0, 0, 0,
     {"prijswijziging,opzegging,korting", "modification tarifaire,résiliation,réduction",
      "price change,cancellation,discount"},
     4,
     {{0, 0, 100, "letter", 0, NULL,
       {"Aankondiging prijswijziging", "Annonce de modification tarifaire", "Price change notice"},
       {"Brief: de prijs van {prod} gaat van {old} naar {new} per maand vanaf {d3}. De klant "
        "kan kosteloos opzeggen tot de dag vóór de wijziging.",
        "Courrier : le prix de {prod} passe de {old} à {new} par mois à partir du {d3}. Le "
        "client peut résilier sans frais jusqu'à la veille du changement.",
        "Letter: the price of {prod} goes from {old} to {new} a month from {d3}. The "
        "customer may cancel free of charge until the day before the change."}},
      {5, 20, 100, "phone", 0, NULL,
       {"Reactie op prijsstijging", "Réaction à la hausse de prix", "Reaction to price increase"},
       {"{first} [[is boos over|begrijpt niets van|vraagt uitleg bij]] de prijsstijging van "
        "{prod}. Uitgelegd: indexering volgens de algemene voorwaarden. [[Klant overweegt "
        "over te stappen.|Klant vraagt naar een goedkopere formule.]] Getrouwheidskorting "
        "aangeboden: € 5 per maand gedurende 12 maanden. [[Klant aanvaardt.|Klant denkt "
        "erover na en aanvaardt later per e-mail.]]",
        "{first} [[est fâché de|ne comprend pas|demande des explications sur]] la hausse de "
        "prix de {prod}. Expliqué : indexation prévue par les conditions générales. [[Le "
        "client envisage de partir.|Le client cherche une formule moins chère.]] Réduction "
        "fidélité proposée : 5 € par mois pendant 12 mois. [[Le client accepte.|Le client "
        "réfléchit puis accepte par e-mail.]]",
        "{first} [[is angry about|does not understand|wants an explanation of]] the price "
        "increase for {prod}. Explained: indexation under the general terms. [[Customer is "
        "thinking of leaving.|Customer asks for a cheaper plan.]] Loyalty discount offered: "
        "€5 a month for 12 months. [[Customer accepts.|Customer thinks it over and accepts "
        "later by e-mail.]]"}},
      {0, 2, 100, "email", 1, NULL,
       {"Bevestiging getrouwheidskorting", "Confirmation de la réduction fidélité",
        "Loyalty discount confirmed"},
       {"Beste {first},\n\nBedankt om klant te blijven. Vanaf je volgende factuur krijg je "
        "€ 5 korting per maand op {prod}, 12 maanden lang. Je hoeft niets te doen.\n\n"
        "Groeten,\n{agent}",
        "Bonjour {first},\n\nMerci de votre fidélité. Dès votre prochaine facture, vous "
        "bénéficiez de 5 € de réduction par mois sur {prod} pendant 12 mois. Vous n'avez "
        "rien à faire.\n\nCordialement,\n{agent}",
        "Dear {first},\n\nThank you for staying with us. From your next invoice you get €5 "
        "off {prod} every month for 12 months. No action needed.\n\nBest regards,\n{agent}"}},
      {30, 35, 70, "chat", 0, NULL,
       {"Vraag over nieuwe factuur", "Question sur la nouvelle facture",
        "Question about the new invoice"},
       {"{first} ziet de nieuwe prijs {new} op de factuur en vraagt of de korting meegenomen "
        "is. Ja: korting van € 5 staat als aparte lijn onderaan.",
        "{first} voit le nouveau prix {new} sur la facture et demande si la réduction est "
        "appliquée. Oui : la réduction de 5 € figure sur une ligne séparée en bas.",
        "{first} sees the new price {new} on the invoice and asks whether the discount is "
        "included. Yes: the €5 discount is a separate line at the bottom."}}}},

    {"social", CAT_ANY, 0, 0, 0, 20, 140,
     {"sociaal tarief,attest,OCMW", "tarif social,attestation,CPAS", "social tariff,certificate"},
     3,
     {{0, 0, 100, "phone", 0, "INTERNET-SOCIAL",
       {"Vraag sociaal tarief", "Demande de tarif social", "Social tariff request"},
       {"{first} vraagt naar het sociaal tarief. [[Klant heeft een leefloon.|Klant heeft "
        "recht op de verhoogde tegemoetkoming.|Klant krijgt een inkomensgarantie voor "
        "ouderen.]] Uitgelegd: voor energie kent de FOD Economie het sociaal tarief "
        "automatisch toe; voor internet (INTERNET-SOCIAL, € 19 per maand) is een aanvraag "
        "met attest nodig. Formulier doorgestuurd.",
        "{first} demande le tarif social. [[Le client perçoit le revenu d'intégration.|Le "
        "client bénéficie de l'intervention majorée.|Le client touche la garantie de revenus "
        "aux personnes âgées.]] Expliqué : pour l'énergie, le SPF Économie l'octroie "
        "automatiquement ; pour internet (INTERNET-SOCIAL, 19 € par mois), il faut une "
        "demande avec attestation. Formulaire envoyé.",
        "{first} asks about the social tariff. [[Customer receives the living wage.|Customer "
        "is entitled to increased reimbursement.|Customer gets the income guarantee for the "
        "elderly.]] Explained: for energy the FPS Economy grants it automatically; for "
        "internet (INTERNET-SOCIAL, €19 a month) an application with a certificate is "
        "needed. Form sent."}},
      {3, 15, 100, "email", 1, NULL,
       {"Attest ontvangen", "Attestation reçue", "Certificate received"},
       {"{first} stuurt het attest van [[het OCMW|het ziekenfonds|de Federale Pensioendienst]] "
        "als bijlage. Document gecontroleerd en doorgegeven aan de backoffice.",
        "{first} envoie l'attestation [[du CPAS|de la mutuelle|du Service fédéral des "
        "Pensions]] en pièce jointe. Document vérifié et transmis au back-office.",
        "{first} sends the certificate from [[the CPAS/OCMW|the health insurer|the Federal "
        "Pension Service]] as an attachment. Checked and passed to the back office."}},
      {5, 15, 100, "letter", 0, "INTERNET-SOCIAL",
       {"Sociaal tarief toegekend", "Tarif social accordé", "Social tariff granted"},
       {"Bevestiging: sociaal tarief toegepast vanaf {d2}. [[Met terugwerkende kracht; "
        "creditnota {cn} van {amount}.|Overschakeling zonder kosten.]]",
        "Confirmation : tarif social appliqué à partir du {d2}. [[Avec effet rétroactif ; "
        "note de crédit {cn} de {amount}.|Changement sans frais.]]",
        "Confirmation: social tariff applied from {d2}. [[Backdated; credit note {cn} of "
        "{amount}.|Switched at no cost.]]"}}}},

    {"budget", CAT_EN, 0, 0, 0, 380, 1600,
     {"budgetmeter,wanbetaling,noodkrediet", "compteur à budget,défaut de paiement,crédit de secours",
      "budget meter,arrears,emergency credit"},
     4,
     {{0, 0, 100, "letter", 0, NULL,
       {"Procedure budgetmeter", "Procédure de placement d'un compteur à budget",
        "Budget meter procedure"},
       {"Brief: na [[twee|drie]] onbetaalde energiefacturen (samen {amount}) start de "
        "procedure om de budgetmeterfunctie te laten activeren door {dso}. Te vermijden met "
        "een afbetalingsplan binnen 15 dagen.",
        "Courrier : après [[deux|trois]] factures d'énergie impayées (total {amount}), la "
        "procédure de placement d'un compteur à budget par {dso} est lancée. Évitable par un "
        "plan de paiement dans les 15 jours.",
        "Letter: after [[two|three]] unpaid energy invoices (total {amount}) the procedure "
        "to have {dso} activate a budget meter starts. Avoidable with a payment plan within "
        "15 days."}},
      {3, 10, 100, "phone", 0, NULL,
       {"Uitleg budgetmeter", "Explications compteur à budget", "Budget meter explained"},
       {"{first} belt ongerust. Uitgelegd: met de budgetmeter betaal je vooraf; opladen kan "
        "online, in de app van {dso} of via het OCMW. Er blijft altijd een minimale "
        "levering. Klant kiest voor de budgetmeter, een afbetalingsplan is nu niet haalbaar.",
        "{first} appelle, inquiète. Expliqué : avec le compteur à budget on paie d'avance ; "
        "rechargement en ligne, via {dso} ou le CPAS. Une fourniture minimale reste "
        "garantie. Le client choisit le compteur à budget, un plan de paiement n'est pas "
        "réaliste pour l'instant.",
        "{first} calls, worried. Explained: with a budget meter you pay in advance; top up "
        "online, with {dso} or through the CPAS/OCMW. A minimum supply always remains. "
        "Customer opts for the budget meter, a payment plan is not feasible now."}},
      {20, 40, 100, "visit", 0, NULL,
       {"Budgetmeter geplaatst", "Compteur à budget placé", "Budget meter installed"},
       {"Technicus van {dso} heeft de budgetmeter geactiveerd. Klant kreeg uitleg over "
        "opladen. De openstaande schuld van {amount} wordt in kleine bedragen per oplading "
        "afgehouden.",
        "Le technicien de {dso} a placé le compteur à budget. Le client a reçu les "
        "explications pour recharger. La dette de {amount} est récupérée par petites "
        "retenues sur chaque rechargement.",
        "The {dso} technician activated the budget meter. Customer shown how to top up. The "
        "outstanding {amount} is recovered in small amounts on each top-up."}},
      {10, 60, 100, "chat", 0, NULL,
       {"Vraag noodkrediet", "Question crédit de secours", "Emergency credit question"},
       {"{first} vraagt wat er gebeurt als het krediet in het weekend op is. Uitgelegd: het "
        "noodkrediet kan geactiveerd worden en wordt verrekend bij de volgende oplading.",
        "{first} demande ce qui se passe si le crédit est épuisé le week-end. Expliqué : le "
        "crédit de secours peut être activé et sera déduit au prochain rechargement.",
        "{first} asks what happens if the credit runs out at the weekend. Explained: "
        "emergency credit can be activated and is deducted at the next top-up."}}}},

    {"solar", CAT_ELEC, 0, 0, 0, 0, 0,
     {"zonnepanelen,terugleververgoeding,injectie", "panneaux solaires,injection,tarif d'injection",
      "solar panels,feed-in,injection"},
     3,
     {{0, 0, 100, "email", 1, "SOLAR-INJECT",
       {"Vraag terugleververgoeding", "Question sur l'injection", "Question about feed-in"},
       {"Goedendag,\n\nWe hebben sinds kort {kwp} kWp zonnepanelen op het dak. Hoe krijgen "
        "we een vergoeding voor de stroom die we op het net zetten? We hebben een digitale "
        "meter.\n\nGroeten,\n{name}",
        "Bonjour,\n\nNous avons fait installer {kwp} kWc de panneaux solaires. Comment être "
        "rémunérés pour l'électricité que nous injectons sur le réseau ? Nous avons un "
        "compteur communicant.\n\nMerci,\n{name}",
        "Hello,\n\nWe recently had {kwp} kWp of solar panels installed. How do we get paid "
        "for the electricity we feed into the grid? We have a smart meter.\n\nThanks,\n"
        "{name}"}},
      {2, 5, 100, "phone", 0, "SOLAR-INJECT",
       {"Activatie SOLAR-INJECT", "Activation SOLAR-INJECT", "SOLAR-INJECT activated"},
       {"Klant teruggebeld. Digitale meter bevestigd bij {dso}. SOLAR-INJECT actief vanaf "
        "{d1}: variabele terugleververgoeding, nu {cents} cent per kWh. Uitgelegd dat de "
        "vergoeding op de jaarafrekening staat, niet op elk voorschot.",
        "Client rappelé. Compteur communicant confirmé chez {dso}. SOLAR-INJECT actif à "
        "partir du {d1} : tarif d'injection variable, actuellement {cents} centimes par kWh. "
        "Expliqué que la rémunération figure sur la facture de régularisation, pas sur "
        "chaque acompte.",
        "Called the customer back. Smart meter confirmed with {dso}. SOLAR-INJECT active "
        "from {d1}: variable feed-in rate, currently {cents} cents per kWh. Explained the "
        "compensation appears on the annual statement, not on every advance."}},
      {60, 200, 100, "letter", 0, "SOLAR-INJECT",
       {"Afrekening met injectie", "Décompte avec injection", "Statement with feed-in"},
       {"Afrekening: {kwh} kWh geïnjecteerd, vergoeding {amount}. [[Advies: meer verbruik "
        "overdag plannen (wasmachine, vaatwasser).|]]",
        "Décompte : {kwh} kWh injectés, rémunération de {amount}. [[Conseil : décaler la "
        "consommation en journée (lessive, lave-vaisselle).|]]",
        "Statement: {kwh} kWh fed in, compensation {amount}. [[Tip: shift usage to daytime "
        "(washing machine, dishwasher).|]]"}}}},

    {"switch", CAT_ELEC, 1, 0, 0, 0, 0,
     {"energiecontract,overstappen,digitale meter", "contrat d'énergie,changement,compteur communicant",
      "energy contract,switch,smart meter"},
     3,
     {{0, 0, 100, "phone", 0, NULL,
       {"Wissel energiecontract", "Changement de contrat d'énergie", "Energy contract change"},
       {"{first} wil van {prod} naar {prod2}. Digitale meter aanwezig (EAN {ean}). Geen "
        "opzegvergoeding voor particulieren. Nieuw contract start op {d2}, de eerste dag "
        "van de maand na de aanvraag.",
        "{first} souhaite passer de {prod} à {prod2}. Compteur communicant présent (EAN "
        "{ean}). Pas d'indemnité de rupture pour les particuliers. Nouveau contrat au {d2}.",
        "{first} wants to move from {prod} to {prod2}. Smart meter present (EAN {ean}). No "
        "exit fee for households. New contract starts on {d2}."}},
      {0, 1, 100, "email", 1, NULL,
       {"Bevestiging nieuw energiecontract", "Confirmation du nouveau contrat",
        "New energy contract confirmed"},
       {"Beste {first},\n\nJe overstap naar {prod2} is geregeld. Je hebt 14 dagen "
        "bedenktijd. Nieuw maandelijks voorschot: {inst}.\n\nLumina Energie",
        "Bonjour {first},\n\nVotre passage à {prod2} est enregistré. Vous disposez d'un délai "
        "de rétractation de 14 jours. Nouvel acompte mensuel : {inst}.\n\nLumina Énergie",
        "Dear {first},\n\nYour switch to {prod2} is arranged. You have a 14-day cooling-off "
        "period. New monthly advance: {inst}.\n\nLumina Energy"}},
      {20, 45, 100, "chat", 0, NULL,
       {"Vraag over nieuw contract", "Question sur le nouveau contrat",
        "Question about the new contract"},
       {"{first} vraagt [[waar de uurprijzen van morgen staan: in de app onder Energie > "
        "Prijzen, vanaf 14 uur de dag voordien|waarom het voorschot nog het oude bedrag is: "
        "de wijziging geldt vanaf de volgende maand]].",
        "{first} demande [[où trouver les prix horaires du lendemain : dans l'app, Énergie > "
        "Prix, dès 14h la veille|pourquoi l'acompte est encore l'ancien montant : le "
        "changement s'applique le mois suivant]].",
        "{first} asks [[where to find tomorrow's hourly prices: in the app under Energy > "
        "Prices, from 2 pm the day before|why the advance is still the old amount: the "
        "change applies from next month]]."}}}},

    {"gdpr", CAT_ANY, 0, 0, 0, 0, 0,
     {"AVG,GDPR,inzage,privacy", "RGPD,accès,vie privée", "GDPR,access request,privacy"},
     4,
     {{0, 0, 100, "email", 1, NULL,
       {"AVG-inzageverzoek", "Demande d'accès RGPD", "GDPR access request"},
       {"Beste,\n\nOp basis van artikel 15 van de AVG vraag ik een kopie van alle "
        "persoonsgegevens die Lumina over mij bewaart, ook opnames van telefoongesprekken. "
        "[[Ik wil ook weten aan wie jullie mijn gegevens doorgeven.|Graag ook de "
        "bewaartermijnen.]]\n\n{name}",
        "Madame, Monsieur,\n\nEn vertu de l'article 15 du RGPD, je demande une copie de "
        "toutes les données personnelles que Lumina détient à mon sujet, y compris les "
        "enregistrements d'appels. [[Je souhaite aussi savoir à qui vous les "
        "communiquez.|Merci d'indiquer aussi les durées de conservation.]]\n\n{name}",
        "Hello,\n\nUnder Article 15 GDPR I request a copy of all personal data Lumina holds "
        "about me, including call recordings. [[I would also like to know who you share it "
        "with.|Please also state the retention periods.]]\n\n{name}"}},
      {1, 3, 100, "phone", 0, NULL,
       {"Identiteitscontrole AVG", "Contrôle d'identité RGPD", "GDPR identity check"},
       {"Klant gebeld voor identiteitscontrole (klantnummer en gegevens van de eID). Verzoek "
        "doorgestuurd naar het privacyteam (privacy@lumina.example). Termijn: 1 maand, "
        "verlengbaar met 2 maanden.",
        "Client contacté pour le contrôle d'identité (numéro client et données de l'eID). "
        "Demande transmise à l'équipe vie privée (privacy@lumina.example). Délai : 1 mois, "
        "prolongeable de 2 mois.",
        "Called the customer for the identity check (customer number and eID details). "
        "Request passed to the privacy team (privacy@lumina.example). Deadline: 1 month, "
        "extendable by 2 months."}},
      {10, 28, 100, "email", 1, NULL,
       {"Gegevensexport verstuurd", "Export de vos données", "Your data export"},
       {"Beste {first},\n\nJe gegevensexport staat klaar via een beveiligde link, 14 dagen "
        "geldig. Het wachtwoord krijg je per sms op {msisdn}. Gespreksopnames bewaren we "
        "maximaal 30 dagen; er waren er geen meer.\n\nHet privacyteam van Lumina",
        "Bonjour {first},\n\nVotre export de données est disponible via un lien sécurisé, "
        "valable 14 jours. Le mot de passe vous parvient par SMS au {msisdn}. Les "
        "enregistrements d'appels sont conservés 30 jours maximum ; il n'y en avait plus."
        "\n\nL'équipe vie privée de Lumina",
        "Dear {first},\n\nYour data export is ready via a secure link, valid for 14 days. "
        "The password is sent by text to {msisdn}. Call recordings are kept for at most 30 "
        "days; none were left.\n\nThe Lumina privacy team"}},
      {3, 20, 60, "email", 0, NULL,
       {"Verzoek tot verwijdering", "Demande d'effacement", "Erasure request"},
       {"{first} vraagt daarna alle marketinggegevens te wissen (recht op vergetelheid). "
        "Uitgevoerd: marketingprofiel en voorkeuren verwijderd. Facturatiegegevens blijven 7 "
        "jaar bewaard (wettelijke verplichting).",
        "{first} demande ensuite l'effacement de ses données marketing (droit à l'oubli). "
        "Fait : profil marketing et préférences supprimés. Les données de facturation sont "
        "conservées 7 ans (obligation légale).",
        "{first} then asks for all marketing data to be erased (right to be forgotten). "
        "Done: marketing profile and preferences deleted. Billing data is kept for 7 years "
        "(legal obligation)."}}}},

    {"deceased", CAT_ANY, 0, 1, 0, 30, 220,
     {"overlijden,overname,nalatenschap", "décès,reprise,succession", "deceased,transfer,estate"},
     4,
     {{0, 0, 100, "phone", 0, NULL,
       {"Melding overlijden", "Déclaration de décès", "Death notification"},
       {"{partner} belt om het overlijden van {name} te melden. Deelneming betuigd. Gevraagd: "
        "kopie van de overlijdensakte of een attest van erfopvolging. Uitgelegd dat de "
        "contracten kosteloos overgenomen of opgezegd kunnen worden.",
        "{partner} appelle pour signaler le décès de {name}. Condoléances présentées. "
        "Demandé : copie de l'acte de décès ou attestation d'hérédité. Expliqué que les "
        "contrats peuvent être repris ou résiliés sans frais.",
        "{partner} calls to report the death of {name}. Condolences offered. Asked for a "
        "copy of the death certificate or a certificate of inheritance. Explained that the "
        "contracts can be taken over or cancelled free of charge."}},
      {3, 12, 100, "email", 1, NULL,
       {"Documenten overlijden ontvangen", "Documents décès reçus", "Death certificate received"},
       {"Overlijdensakte ontvangen van {partner}. Account gemarkeerd als 'overleden klant': "
        "geen herinneringen en geen marketing meer.",
        "Acte de décès reçu de {partner}. Compte marqué « client décédé » : plus de rappels "
        "ni de marketing.",
        "Death certificate received from {partner}. Account flagged 'deceased customer': no "
        "more reminders or marketing."}},
      {2, 10, 100, "phone", 0, NULL,
       {"Overname contract", "Reprise du contrat", "Contract takeover"},
       {"{partner} neemt de contracten over. Overnameformulier ingevuld; geen kosten, geen "
        "nieuwe installatie. Nieuwe domiciliëring op naam van {partner}.",
        "{partner} reprend les contrats. Formulaire de reprise complété ; sans frais ni "
        "nouvelle installation. Nouvelle domiciliation au nom de {partner}.",
        "{partner} takes over the contracts. Takeover form completed; no fees, no new "
        "installation. New direct debit in the name of {partner}."}},
      {5, 10, 100, "letter", 0, NULL,
       {"Bevestiging overname", "Confirmation de reprise", "Takeover confirmed"},
       {"Bevestiging: contract op naam van {partner} vanaf {d3}. Slotfactuur op naam van "
        "wijlen {name}: saldo {amount}, gericht aan de nalatenschap.",
        "Confirmation : contrat au nom de {partner} à partir du {d3}. Facture de clôture au "
        "nom de feu {name} : solde de {amount}, adressé à la succession.",
        "Confirmation: contract in the name of {partner} from {d3}. Final invoice in the "
        "name of the late {name}: balance {amount}, addressed to the estate."}}}},

    {"cancel", CAT_ANY, 0, 1, 0, 10, 90,
     {"opzegging,retour toestellen,slotfactuur", "résiliation,retour matériel,facture de clôture",
      "cancellation,equipment return,final invoice"},
     4,
     {{0, 0, 100, "phone", 0, NULL,
       {"Opzegging", "Résiliation", "Cancellation"},
       {"{first} zegt alle diensten op: [[verhuist naar het buitenland|gaat samenwonen, de "
        "partner heeft al een abonnement|vond een goedkoper aanbod bij een concurrent]]. "
        "Contract loopt langer dan 6 maanden: geen opzegkosten. [[Retentieaanbod (3 maanden "
        "50 % korting) geweigerd.|Geen retentieaanbod, vertrek naar het buitenland.]] "
        "Einddatum {end}. Toestellen binnen 30 dagen terugbrengen.",
        "{first} résilie tous ses services : [[départ à l'étranger|emménage avec son "
        "partenaire, qui a déjà un abonnement|a trouvé moins cher chez un concurrent]]. "
        "Contrat de plus de 6 mois : pas de frais de résiliation. [[Offre de rétention (3 "
        "mois à -50 %) refusée.|Pas d'offre de rétention, départ à l'étranger.]] Date de fin "
        "le {end}. Matériel à rendre dans les 30 jours.",
        "{first} cancels all services: [[moving abroad|moving in with a partner who already "
        "has a subscription|found a cheaper offer elsewhere]]. Contract older than 6 months: "
        "no cancellation fee. [[Retention offer (3 months at 50% off) declined.|No retention "
        "offer, leaving the country.]] End date {end}. Equipment to be returned within 30 "
        "days."}},
      {0, 1, 100, "email", 1, NULL,
       {"Bevestiging opzegging", "Confirmation de résiliation", "Cancellation confirmed"},
       {"Beste {first},\n\nWe bevestigen de opzegging van je diensten op {end}. Breng je "
        "modem & decoder binnen 30 dagen naar een Lumina-winkel of een bpost-punt. Niet "
        "teruggebrachte toestellen rekenen we aan.\n\nLumina Klantendienst",
        "Bonjour {first},\n\nNous confirmons la résiliation de vos services au {end}. "
        "Rapportez votre modem & décodeur dans les 30 jours dans un magasin Lumina ou un "
        "point bpost. Le matériel non restitué est facturé.\n\nService clientèle Lumina",
        "Dear {first},\n\nWe confirm the cancellation of your services on {end}. Please "
        "return your modem & decoder within 30 days to a Lumina shop or a bpost point. "
        "Equipment not returned is charged.\n\nLumina Customer Care"}},
      {10, 30, 100, "visit", 0, NULL,
       {"Toestellen teruggebracht", "Matériel restitué", "Equipment returned"},
       {"{first} brengt de toestellen terug in de Lumina-winkel. Serienummers gescand, "
        "ontvangstbewijs meegegeven.",
        "{first} rapporte le matériel au magasin Lumina. Numéros de série scannés, reçu "
        "remis.",
        "{first} returns the equipment at the Lumina shop. Serial numbers scanned, receipt "
        "handed over."}},
      {15, 30, 100, "letter", 0, NULL,
       {"Slotfactuur", "Facture de clôture", "Final invoice"},
       {"Slotfactuur verstuurd: abonnement pro rata tot {end}. Tegoed van {amount} "
        "teruggestort op {iban}.",
        "Facture de clôture envoyée : abonnement au prorata jusqu'au {end}. Crédit de {amount} "
        "remboursé sur {iban}.",
        "Final invoice sent: subscription pro rata until {end}. Credit of {amount} refunded "
        "to {iban}."}}}},

    {"techvisit", CAT_FIXED, 1, 0, 0, 75, 75,
     {"installatie,technicus,decoder", "installation,technicien,décodeur",
      "installation,technician,decoder"},
     3,
     {{0, 0, 100, "phone", 0, "TV-PLUS TV-BOX4K INSTALL-PRO",
       {"Bestelling TV-PLUS en installatieafspraak", "Commande TV-PLUS et rendez-vous",
        "TV-PLUS order and appointment"},
       {"{first} bestelt TV-PLUS met 4K-decoder (TV-BOX4K). Installatie door een technicus "
        "(INSTALL-PRO, {amount}, [[gratis in de actie van deze maand|op de volgende "
        "factuur]]). Afspraak op {d2}, [[voormiddag|namiddag]]. Kosteloos annuleren kan tot "
        "24 uur vooraf.",
        "{first} commande TV-PLUS avec décodeur 4K (TV-BOX4K). Installation par technicien "
        "(INSTALL-PRO, {amount}, [[offerte dans l'action du mois|sur la prochaine "
        "facture]]). Rendez-vous le {d2}, [[matin|après-midi]]. Annulation gratuite jusqu'à "
        "24 heures avant.",
        "{first} orders TV-PLUS with the 4K decoder (TV-BOX4K). Installation by a technician "
        "(INSTALL-PRO, {amount}, [[free in this month's promotion|on the next invoice]]). "
        "Appointment on {d2}, [[morning|afternoon]]. Free cancellation up to 24 hours "
        "before."}},
      {0, 1, 100, "email", 1, "INSTALL-PRO",
       {"Bevestiging afspraak", "Confirmation du rendez-vous", "Appointment confirmed"},
       {"Beste {first},\n\nOnze technicus komt op {d2}. Je krijgt de dag ervoor een sms met "
        "een tijdvenster van 2 uur. Verhinderd? Verplaats de afspraak in MyLumina of bel "
        "0800 40 400, menu 5, minstens 24 uur vooraf.\n\nLumina",
        "Bonjour {first},\n\nNotre technicien passera le {d2}. La veille, vous recevrez un "
        "SMS avec une plage de 2 heures. Empêché ? Déplacez le rendez-vous dans MyLumina ou "
        "appelez le 0800 40 400, menu 5, au moins 24 heures à l'avance.\n\nLumina",
        "Dear {first},\n\nOur technician will visit on {d2}. The day before you get a text "
        "with a 2-hour window. Can't make it? Move the appointment in MyLumina or call 0800 "
        "40 400, option 5, at least 24 hours ahead.\n\nLumina"}},
      {5, 14, 100, "visit", 0, "TV-PLUS TV-BOX4K",
       {"Decoder geïnstalleerd", "Décodeur installé", "Decoder installed"},
       {"Technicus {tech}: TV-BOX4K aangesloten [[op de tv in de woonkamer|op twee tv's]], "
        "zenders gescand, uitleg gegeven over opnemen en terugkijken. Duur [[45|60|75]] "
        "minuten.",
        "Technicien {tech} : TV-BOX4K branché [[sur la télé du salon|sur deux téléviseurs]], "
        "chaînes scannées, explications sur l'enregistrement et le replay. Durée [[45|60|75]] "
        "minutes.",
        "Technician {tech}: TV-BOX4K connected [[to the living-room TV|to two TVs]], "
        "channels scanned, showed recording and replay. Took [[45|60|75]] minutes."}}}},

    {"topup", CAT_PRE, 1, 0, 0, 0, 0,
     {"prepaid,opladen,herlaadcode", "prépayé,rechargement,code de recharge",
      "prepaid,top-up,voucher"},
     2,
     {{0, 0, 100, "chat", 0, NULL,
       {"Opladen mislukt", "Rechargement échoué", "Top-up failed"},
       {"{first} probeert [[€ 10|€ 15|€ 25]] op te laden in de app, maar de betaling wordt "
        "geweigerd. Uitgelegd: [[kaart niet geactiveerd voor online betalingen|limiet van "
        "de bankkaart bereikt|de app moet bijgewerkt worden]]. Alternatief: herlaadcode in "
        "de supermarkt of krantenwinkel, of via 0800 40 400, menu 2.",
        "{first} essaie de recharger [[10 €|15 €|25 €]] dans l'app, mais le paiement est "
        "refusé. Expliqué : [[carte non activée pour les paiements en ligne|plafond de la "
        "carte bancaire atteint|l'app doit être mise à jour]]. Alternative : code de "
        "recharge au supermarché ou à la librairie, ou via le 0800 40 400, menu 2.",
        "{first} tries to top up [[€10|€15|€25]] in the app but the payment is declined. "
        "Explained: [[card not enabled for online payments|bank card limit reached|the app "
        "needs an update]]. Alternative: a voucher from the supermarket or newsagent, or via "
        "0800 40 400, option 2."}},
      {0, 2, 100, "phone", 0, NULL,
       {"Belwaarde niet zichtbaar", "Crédit non visible", "Credit not showing"},
       {"Klant kocht een herlaadcode maar ziet het krediet niet. Code gecontroleerd: "
        "[[typfout|0 en O verwisseld]]. Krediet nu zichtbaar; bonus van 1 GB bij opladen "
        "vanaf € 15.",
        "Le client a acheté un code de recharge mais ne voit pas le crédit. Code vérifié : "
        "[[faute de frappe|0 et O inversés]]. Crédit visible ; bonus de 1 Go pour une "
        "recharge dès 15 €.",
        "Customer bought a voucher but the credit is not showing. Code checked: [[typo|0 and "
        "O mixed up]]. Credit now visible; 1 GB bonus on top-ups from €15."}}}},

    {"directdebit", CAT_ANY, 1, 0, 0, 0, 0,
     {"domiciliëring,betaling,mandaat", "domiciliation,paiement,mandat",
      "direct debit,payment,mandate"},
     3,
     {{0, 0, 100, "email", 1, NULL,
       {"Aanvraag domiciliëring", "Demande de domiciliation", "Direct debit request"},
       {"Goedemiddag,\n\nIk wil mijn facturen voortaan via domiciliëring betalen, van "
        "rekening {ibanfull}. Kunnen jullie dat regelen?\n\nBedankt,\n{name}",
        "Bonjour,\n\nJe souhaite désormais payer mes factures par domiciliation, depuis le "
        "compte {ibanfull}. Pouvez-vous l'organiser ?\n\nMerci,\n{name}",
        "Good afternoon,\n\nI would like to pay my invoices by direct debit from now on, from "
        "account {ibanfull}. Could you set that up?\n\nThanks,\n{name}"}},
      {2, 7, 100, "letter", 0, NULL,
       {"Bevestiging domiciliëring", "Confirmation de domiciliation", "Direct debit confirmed"},
       {"Mandaat {mandate} geregistreerd voor rekening {iban}. Eerste inning vanaf de "
        "volgende factuur; de factuur komt nog altijd 10 dagen vóór de afschrijving.",
        "Mandat {mandate} enregistré pour le compte {iban}. Premier prélèvement à partir de "
        "la prochaine facture ; la facture arrive toujours 10 jours avant le débit.",
        "Mandate {mandate} registered for account {iban}. First collection from the next "
        "invoice; the invoice still arrives 10 days before the debit."}},
      {20, 60, 40, "phone", 0, NULL,
       {"Domiciliëring geweigerd", "Domiciliation refusée", "Direct debit rejected"},
       {"Inning van {amount} geweigerd door de bank (onvoldoende saldo). {first} gebeld; "
        "betaalt per overschrijving binnen 5 dagen. Geen kosten de eerste keer.",
        "Prélèvement de {amount} refusé par la banque (provision insuffisante). {first} "
        "contacté ; paiement par virement dans les 5 jours. Pas de frais la première fois.",
        "Collection of {amount} rejected by the bank (insufficient funds). Called {first}; "
        "will pay by transfer within 5 days. No fee the first time."}}}},

    {"refund", CAT_ANY, 1, 0, 0, 25, 160,
     {"terugbetaling,dubbele betaling", "remboursement,paiement en double",
      "refund,double payment"},
     2,
     {{0, 0, 100, "phone", 0, NULL,
       {"Dubbele betaling", "Paiement en double", "Double payment"},
       {"{first} betaalde factuur {inv} ({amount}) twee keer: [[via domiciliëring én via "
        "overschrijving|twee keer in de app na een foutmelding]]. Bevestigd in de "
        "boekhouding. Terugbetaling naar {iban} aangevraagd, binnen 10 werkdagen.",
        "{first} a payé deux fois la facture {inv} ({amount}) : [[par domiciliation et par "
        "virement|deux fois dans l'app après un message d'erreur]]. Confirmé en "
        "comptabilité. Remboursement vers {iban} demandé, sous 10 jours ouvrables.",
        "{first} paid invoice {inv} ({amount}) twice: [[by direct debit and by transfer|twice "
        "in the app after an error message]]. Confirmed by accounting. Refund to {iban} "
        "requested, within 10 working days."}},
      {5, 10, 100, "letter", 0, NULL,
       {"Terugbetaling uitgevoerd", "Remboursement effectué", "Refund made"},
       {"Terugbetaling van {amount} uitgevoerd naar {iban}.",
        "Remboursement de {amount} effectué sur {iban}.",
        "Refund of {amount} paid to {iban}."}}}},

    {"complaint", CAT_ANY, 1, 0, 0, 15, 15,
     {"klacht,wachttijd,tweede lijn", "plainte,temps d'attente,deuxième ligne",
      "complaint,waiting time,second line"},
     3,
     {{0, 0, 100, "social", 0, NULL,
       {"Klacht wachttijd", "Plainte temps d'attente", "Complaint about waiting time"},
       {"{first} op X: \"[[45 minuten in de wachtrij bij Lumina & dan wordt de lijn "
        "verbroken. Serieus?|Drie keer gebeld voor hetzelfde probleem, telkens een ander "
        "verhaal.]]\" Social team nam contact op via privébericht en plande een "
        "terugbelafspraak.",
        "{first} sur X : « [[45 minutes d'attente chez Lumina & puis la ligne coupe. "
        "Sérieusement ?|Trois appels pour le même problème, trois réponses différentes.]] » "
        "L'équipe social media a pris contact en message privé et fixé un rappel.",
        "{first} on X: \"[[45 minutes on hold with Lumina & then they hang up. Seriously?|"
        "Called three times about the same problem, got three different stories.]]\" Social "
        "team reached out by private message and booked a call-back."}},
      {0, 2, 100, "phone", 0, NULL,
       {"Terugbelafspraak klacht", "Rappel suite à la plainte", "Complaint call-back"},
       {"Klant teruggebeld door {agent2} (tweede lijn). [[Oorspronkelijke vraag over de "
        "factuur opgelost.|Dossier samengevat en één aanspreekpunt beloofd.]] Excuses "
        "aangeboden; [[waardebon van {amount}|geen compensatie gevraagd]]. Klacht "
        "geregistreerd onder {ticket}.",
        "Client rappelé par {agent2} (deuxième ligne). [[Question de facture d'origine "
        "résolue.|Dossier résumé et interlocuteur unique promis.]] Excuses présentées ; "
        "[[bon de {amount}|aucune compensation demandée]]. Plainte enregistrée sous "
        "{ticket}.",
        "Customer called back by {agent2} (second line). [[Original invoice question "
        "solved.|Case summarised and a single point of contact promised.]] Apologised; "
        "[[voucher of {amount}|no compensation asked]]. Complaint logged as {ticket}."}},
      {1, 3, 100, "email", 1, NULL,
       {"Tevredenheid na klacht", "Satisfaction après plainte", "Satisfaction after complaint"},
       {"Antwoord op de enquête: [[score 8/10, \"eindelijk iemand die luistert\"|score 4/10, "
        "\"opgelost, maar het duurde veel te lang\"|score 9/10]].",
        "Réponse à l'enquête : [[note 8/10, « enfin quelqu'un qui écoute »|note 4/10, « résolu, "
        "mais beaucoup trop long »|note 9/10]].",
        "Survey answer: [[score 8/10, \"finally someone who listens\"|score 4/10, \"solved, "
        "but it took far too long\"|score 9/10]]."}}}},

    /* ---- routine single contacts (fillers) ---- */
    {"f_firstbill", CAT_ANY, 1, 0, 1, 0, 0, {"factuur,uitleg", "facture,explication", "invoice,explanation"}, 1,
     {{0, 0, 100, "phone", 0, NULL,
       {"Vraag over factuur", "Question sur la facture", "Invoice question"},
       {"{first} begrijpt factuur {inv} niet: [[pro-rata abonnementsgeld vanaf de activatie "
        "plus de volgende maand vooraf|eenmalige activatiekost staat erop|korting ontbreekt "
        "schijnbaar]]. Uitgelegd [[met een voorbeeld|aan de hand van MyLumina]]; klant "
        "begrijpt het nu.",
        "{first} ne comprend pas la facture {inv} : [[abonnement au prorata depuis "
        "l'activation plus le mois suivant à l'avance|frais d'activation uniques|la réduction "
        "semble manquer]]. Expliqué [[avec un exemple|à l'aide de MyLumina]] ; c'est clair "
        "pour le client.",
        "{first} does not understand invoice {inv}: [[pro-rata fee since activation plus next "
        "month in advance|one-off activation fee|the discount seems to be missing]]. "
        "Explained [[with an example|using MyLumina]]; customer now understands."}}}},

    {"f_password", CAT_ANY, 1, 0, 1, 0, 0, {"MyLumina,wachtwoord,login", "MyLumina,mot de passe,connexion", "MyLumina,password,login"}, 1,
     {{0, 0, 100, "chat", 0, NULL,
       {"Wachtwoord MyLumina vergeten", "Mot de passe MyLumina oublié", "Forgot MyLumina password"},
       {"{first} kan niet inloggen op MyLumina. Resetlink gestuurd naar het e-mailadres "
        "{email}. [[Link kwam in de spam terecht.|Werkt meteen.]]",
        "{first} n'arrive pas à se connecter à MyLumina. Lien de réinitialisation envoyé à "
        "l'adresse {email}. [[Le lien était dans les spams.|Fonctionne directement.]]",
        "{first} cannot log in to MyLumina. Reset link sent to {email}. [[It landed in "
        "spam.|Works straight away.]]"}}}},

    {"f_wifipw", CAT_NET, 1, 0, 1, 0, 0, {"wifi-wachtwoord,modem", "mot de passe wifi,modem", "wifi password,modem"}, 1,
     {{0, 0, 100, "chat|phone", 0, "MODEM-LX6",
       {"Wifi-wachtwoord wijzigen", "Changer le mot de passe wifi", "Change wifi password"},
       {"{first} wil het wifi-wachtwoord wijzigen [[na een feestje|omdat de buren het "
        "kennen|voor een gastennetwerk]]. Uitgelegd: app > Wifi > Netwerknaam & wachtwoord; "
        "alle toestellen moeten daarna opnieuw verbinden.",
        "{first} veut changer le mot de passe wifi [[après une fête|parce que les voisins "
        "le connaissent|pour un réseau invité]]. Expliqué : app > Wifi > Nom du réseau & mot "
        "de passe ; tous les appareils doivent ensuite se reconnecter.",
        "{first} wants to change the wifi password [[after a party|because the neighbours "
        "know it|for a guest network]]. Explained: app > Wifi > Network name & password; all "
        "devices must reconnect afterwards."}}}},

    {"f_puk", CAT_MOB, 1, 0, 1, 0, 0, {"PUK-code,sim", "code PUK,sim", "PUK code,sim"}, 1,
     {{0, 0, 100, "phone", 0, NULL,
       {"PUK-code opgevraagd", "Code PUK demandé", "PUK code requested"},
       {"SIM van {first} geblokkeerd na 3 foute PIN-codes. Identiteit gecontroleerd, "
        "PUK-code gegeven. [[Nieuwe PIN ingesteld.|PIN-vraag uitgeschakeld op vraag van de "
        "klant.]]",
        "SIM de {first} bloquée après 3 codes PIN erronés. Identité vérifiée, code PUK "
        "communiqué. [[Nouveau PIN choisi.|Demande de PIN désactivée à la demande du "
        "client.]]",
        "{first}'s SIM blocked after 3 wrong PINs. Identity checked, PUK code given. [[New "
        "PIN set.|PIN prompt switched off at the customer's request.]]"}}}},

    {"f_email", CAT_ANY, 1, 0, 1, 0, 0, {"contactgegevens,e-mailadres", "coordonnées,adresse e-mail", "contact details,e-mail address"}, 1,
     {{0, 0, 100, "email", 1, NULL,
       {"E-mailadres wijzigen", "Modification de l'adresse e-mail", "Change of e-mail address"},
       {"Beste,\n\nMijn e-mailadres verandert. Gelieve voortaan [[mijn werkadres|mijn nieuwe "
        "adres]] te gebruiken voor facturen & meldingen.\n\nAlvast bedankt,\n{name}",
        "Bonjour,\n\nMon adresse e-mail change. Merci d'utiliser désormais [[mon adresse "
        "professionnelle|ma nouvelle adresse]] pour les factures & notifications.\n\nMerci "
        "d'avance,\n{name}",
        "Hello,\n\nMy e-mail address is changing. Please use [[my work address|my new "
        "address]] for invoices & notifications from now on.\n\nThanks in advance,\n{name}"}}}},

    {"f_tvapp", CAT_TV, 1, 0, 1, 0, 0, {"tv-app,smart-tv,inloggen", "app TV,smart TV,connexion", "TV app,smart TV,login"}, 1,
     {{0, 0, 100, "chat", 0, "TV-GO",
       {"TV-app werkt niet", "L'app TV ne fonctionne pas", "TV app not working"},
       {"De Lumina TV-app op de [[smart-tv|tablet|gsm]] van {first} blijft laden. "
        "Oplossing: app bijwerken, afmelden en opnieuw aanmelden. Maximum 4 schermen "
        "tegelijk; er waren er 5 actief.",
        "L'app Lumina TV sur [[la smart TV|la tablette|le GSM]] de {first} reste bloquée au "
        "chargement. Solution : mettre l'app à jour, se déconnecter puis se reconnecter. "
        "Maximum 4 écrans simultanés ; il y en avait 5.",
        "The Lumina TV app on {first}'s [[smart TV|tablet|phone]] keeps loading. Fix: update "
        "the app, sign out and back in. Maximum 4 screens at once; 5 were active."}}}},

    {"f_shop", CAT_ANY, 1, 0, 1, 0, 0, {"winkel,bezoek", "magasin,visite", "shop,visit"}, 1,
     {{0, 0, 100, "visit", 0, NULL,
       {"Bezoek Lumina-winkel", "Visite au magasin Lumina", "Lumina shop visit"},
       {"{first} in de winkel [[voor een nieuwe laadkabel|met vragen over een nieuwe "
        "smartphone|om de factuur te laten uitleggen|om een extra SIM-kaart]]. [[Geholpen aan "
        "de balie.|Afspraak gemaakt met een adviseur.]]",
        "{first} au magasin [[pour un nouveau câble de charge|pour des questions sur un "
        "nouveau smartphone|pour se faire expliquer la facture|pour une carte SIM "
        "supplémentaire]]. [[Aidé au comptoir.|Rendez-vous pris avec un conseiller.]]",
        "{first} in the shop [[for a new charging cable|with questions about a new "
        "smartphone|to have the invoice explained|for an extra SIM card]]. [[Helped at the "
        "counter.|Appointment booked with an adviser.]]"}}}},

    {"f_promo", CAT_ANY, 1, 0, 1, 0, 0, {"aanbod,promotie", "offre,promotion", "offer,promotion"}, 1,
     {{0, 0, 100, "letter", 0, NULL,
       {"Aanbod per brief", "Offre par courrier", "Offer by post"},
       {"Commerciële brief: [[upgrade naar FIBER-1000 met 3 maanden korting|PACK-TRIO met "
        "€ 15 korting per maand|ENERGY-GREEN met welkomstkorting]]. Klant had toestemming "
        "voor direct marketing per post.",
        "Courrier commercial : [[passage à FIBER-1000 avec 3 mois de réduction|PACK-TRIO avec "
        "15 € de réduction par mois|ENERGY-GREEN avec remise de bienvenue]]. Le client avait "
        "accepté le marketing direct par courrier.",
        "Marketing letter: [[upgrade to FIBER-1000 with 3 months off|PACK-TRIO with €15 off "
        "a month|ENERGY-GREEN with a welcome discount]]. Customer had opted in to postal "
        "marketing."}}}},

    {"f_copyinv", CAT_ANY, 1, 0, 1, 0, 0, {"duplicaat,factuur", "duplicata,facture", "duplicate,invoice"}, 1,
     {{0, 0, 100, "email|chat", 1, NULL,
       {"Kopie factuur gevraagd", "Duplicata de facture demandé", "Invoice copy requested"},
       {"{first} vraagt een kopie van factuur {inv} [[voor de boekhouding|voor de "
        "werkgever (thuiswerkvergoeding)|voor de belastingaangifte]]. PDF doorgestuurd; "
        "uitgelegd dat alle facturen van de laatste 24 maanden in MyLumina staan.",
        "{first} demande un duplicata de la facture {inv} [[pour sa comptabilité|pour "
        "l'employeur (télétravail)|pour la déclaration fiscale]]. PDF envoyé ; expliqué que "
        "toutes les factures des 24 derniers mois sont dans MyLumina.",
        "{first} asks for a copy of invoice {inv} [[for the accounts|for the employer's "
        "home-working allowance|for the tax return]]. PDF sent; explained that all invoices "
        "of the last 24 months are in MyLumina."}}}},

    {"f_praise", CAT_ANY, 1, 0, 1, 0, 0, {"compliment,technicus", "compliment,technicien", "compliment,technician"}, 1,
     {{0, 0, 100, "social", 0, NULL,
       {"Compliment via sociale media", "Compliment sur les réseaux sociaux", "Compliment on social media"},
       {"{first} op Instagram: \"[[Supervriendelijke technicus vandaag, alles netjes "
        "opgeruimd. Merci Lumina!|Chat opgelost in 5 minuten, zo kan het ook :)]]\" Social "
        "team bedankte en gaf het compliment door.",
        "{first} sur Instagram : « [[Technicien super sympa aujourd'hui, tout rangé. Merci "
        "Lumina !|Problème réglé en 5 minutes par chat, comme quoi :)]] » L'équipe a remercié "
        "et transmis le compliment.",
        "{first} on Instagram: \"[[Really friendly technician today, left everything tidy. "
        "Thanks Lumina!|Chat sorted it in 5 minutes, well done :)]]\" Social team thanked them "
        "and passed the compliment on."}}}},

    {"f_data", CAT_MOB, 1, 0, 1, 0, 0, {"mobiele data,verbruik", "data mobile,consommation", "mobile data,usage"}, 1,
     {{0, 0, 100, "phone|chat", 0, NULL,
       {"Vraag over datagebruik", "Question sur la consommation data", "Data usage question"},
       {"{first} kreeg een sms dat 80 % van de data van {prod} verbruikt is. Verbruik "
        "bekeken: [[veel video op 4G|hotspot gebruikt voor de laptop|back-up van foto's "
        "zonder wifi]]. [[Extra 5 GB voor € 5 aangeraden.|Upgrade naar MOBILE-UNLIMITED "
        "besproken.|Tips gegeven om via wifi te synchroniseren.]]",
        "{first} a reçu un SMS : 80 % de la data de {prod} est consommée. Consommation "
        "vérifiée : [[beaucoup de vidéo en 4G|partage de connexion pour le portable|"
        "sauvegarde des photos hors wifi]]. [[Recharge de 5 Go pour 5 € conseillée.|Passage "
        "à MOBILE-UNLIMITED évoqué.|Conseils pour synchroniser en wifi.]]",
        "{first} got a text saying 80% of the {prod} data is used. Usage checked: [[lots of "
        "video on 4G|hotspot used for the laptop|photo backup without wifi]]. [[Suggested "
        "an extra 5 GB for €5.|Discussed upgrading to MOBILE-UNLIMITED.|Gave tips to sync "
        "over wifi.]]"}}}},

    {"f_advance", CAT_EN, 1, 0, 1, 0, 0, {"voorschot,energie", "acompte,énergie", "advance,energy"}, 1,
     {{0, 0, 100, "phone", 0, NULL,
       {"Voorschot aanpassen", "Adapter l'acompte", "Adjust advance payment"},
       {"{first} wil het maandelijkse voorschot aanpassen naar {inst} [[wegens een nieuwe "
        "warmtepomp|omdat er minder verbruikt wordt|om een grote afrekening te vermijden]]. "
        "Aangepast vanaf de volgende maand; minimum is 60 % van het geschatte verbruik.",
        "{first} veut adapter l'acompte mensuel à {inst} [[à cause d'une nouvelle pompe à "
        "chaleur|parce que la consommation baisse|pour éviter une grosse régularisation]]. "
        "Modifié à partir du mois prochain ; minimum 60 % de la consommation estimée.",
        "{first} wants the monthly advance changed to {inst} [[because of a new heat pump|as "
        "usage has dropped|to avoid a large annual bill]]. Changed from next month; the "
        "minimum is 60% of estimated usage."}}}},

    {"f_survey", CAT_ANY, 1, 0, 1, 0, 0, {"enquête,tevredenheid", "enquête,satisfaction", "survey,satisfaction"}, 1,
     {{0, 0, 100, "email", 1, NULL,
       {"Antwoord tevredenheidsenquête", "Réponse à l'enquête de satisfaction", "Survey response"},
       {"Score {score}/10 na het laatste contact. Opmerking: \"[[Snel geholpen.|Vriendelijk, "
        "maar ik moest twee keer bellen.|Wachtmuziek < 1 minuut, top.|Graag meer info in het "
        "Nederlands op de site.]]\"",
        "Note {score}/10 après le dernier contact. Commentaire : « [[Aidé rapidement.|Aimable, "
        "mais j'ai dû rappeler.|Attente < 1 minute, parfait.|Plus d'infos en français sur le "
        "site, svp.]] »",
        "Score {score}/10 after the last contact. Comment: \"[[Quick help.|Friendly, but I had "
        "to call twice.|Hold time < 1 minute, great.|More English on the website please.]]\""}}}},

    {"f_channels", CAT_TV, 1, 0, 1, 0, 0, {"zenders,tv", "chaînes,télé", "channels,tv"}, 1,
     {{0, 0, 100, "chat", 0, NULL,
       {"Vraag over zenders", "Question sur les chaînes", "Question about channels"},
       {"{first} zoekt [[een sportzender|de zender van een regionale omroep|BBC One]] in "
        "{prod}. Zenderlijst overlopen; [[zit in TV-PLUS|is te bekijken met de optie "
        "TV-SPORT|staat op kanaal 45]].",
        "{first} cherche [[une chaîne de sport|la télé régionale|BBC One]] dans {prod}. Liste "
        "des chaînes parcourue ; [[incluse dans TV-PLUS|disponible avec l'option TV-SPORT|"
        "sur le canal 45]].",
        "{first} is looking for [[a sports channel|the regional broadcaster|BBC One]] in "
        "{prod}. Went through the channel list; [[it is in TV-PLUS|available with the "
        "TV-SPORT option|on channel 45]]."}}}},
};
#define NEPISODES ((int)(sizeof EPISODES / sizeof EPISODES[0]))

/* ------------------------------------------------------------ variables */

#define MAXVARS 64
typedef struct {
    const char *key[MAXVARS];
    char val[MAXVARS][160];
    int n;
} Vars;

static void var_set(Vars *v, const char *key, const char *val)
{
    for (int i = 0; i < v->n; i++) {
        if (!strcmp(v->key[i], key)) {
            snprintf(v->val[i], sizeof v->val[i], "%s", val);
            return;
        }
    }
    if (v->n == MAXVARS)
        die("too many template variables");
    v->key[v->n] = key;
    snprintf(v->val[v->n], sizeof v->val[v->n], "%s", val);
    v->n++;
}

static const char *var_get(const Vars *v, const char *key, size_t keylen)
{
    for (int i = 0; i < v->n; i++)
        if (strlen(v->key[i]) == keylen && !memcmp(v->key[i], key, keylen))
            return v->val[i];
    return NULL;
}

static void html_escape(Buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': buf_puts(b, "&amp;"); break;
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        case '\'': buf_puts(b, "&#39;"); break;
        default: buf_putc(b, *s);
        }
    }
}

/* Expand {var} and [[a|b|c]] in tpl (len bytes). */
static void expand(Buf *out, const char *tpl, size_t len, const Vars *v, Rng *r, int html)
{
    size_t i = 0;
    while (i < len) {
        if (tpl[i] == '[' && i + 1 < len && tpl[i + 1] == '[') {
            size_t j = i + 2, end = 0;
            for (size_t k = j; k + 1 < len; k++)
                if (tpl[k] == ']' && tpl[k + 1] == ']') {
                    end = k;
                    break;
                }
            if (!end)
                die("unterminated [[ in template");
            int nalt = 1;
            for (size_t k = j; k < end; k++)
                nalt += tpl[k] == '|';
            int pick = rng_range(r, 0, nalt - 1), cur = 0;
            size_t s0 = j;
            for (size_t k = j; k <= end; k++) {
                if (k == end || tpl[k] == '|') {
                    if (cur == pick) {
                        expand(out, tpl + s0, k - s0, v, r, html);
                        break;
                    }
                    cur++;
                    s0 = k + 1;
                }
            }
            i = end + 2;
        } else if (tpl[i] == '{') {
            size_t j = i + 1;
            while (j < len && tpl[j] != '}')
                j++;
            if (j == len)
                die("unterminated { in template");
            const char *val = var_get(v, tpl + i + 1, j - i - 1);
            if (!val) {
                fprintf(stderr, "vb-gen-history: unknown variable {%.*s}\n", (int)(j - i - 1),
                        tpl + i + 1);
                exit(1);
            }
            if (html)
                html_escape(out, val);
            else
                buf_puts(out, val);
            i = j + 1;
        } else {
            buf_putc(out, tpl[i]);
            i++;
        }
    }
}

/* Plain text e-mail to simple HTML with named entities. */
static char *plain_to_html(const char *s)
{
    static const struct {
        const char *utf8, *ent;
    } ENT[] = {
        {"é", "&eacute;"}, {"è", "&egrave;"}, {"ê", "&ecirc;"}, {"ë", "&euml;"},
        {"à", "&agrave;"}, {"â", "&acirc;"},  {"ç", "&ccedil;"}, {"ï", "&iuml;"},
        {"î", "&icirc;"},  {"ô", "&ocirc;"},  {"û", "&ucirc;"},  {"ü", "&uuml;"},
        {"€", "&euro;"},   {"«", "&laquo;"},  {"»", "&raquo;"},  {"É", "&Eacute;"},
    };
    Buf b = {0};
    buf_puts(&b, "<html><body><p>");
    while (*s) {
        int done = 0;
        if (s[0] == '\n' && s[1] == '\n') {
            buf_puts(&b, "</p>\n<p>");
            s += 2;
            continue;
        }
        if (*s == '\n') {
            buf_puts(&b, "<br>\n");
            s++;
            continue;
        }
        for (size_t k = 0; k < sizeof ENT / sizeof ENT[0]; k++) {
            size_t n = strlen(ENT[k].utf8);
            if (!strncmp(s, ENT[k].utf8, n)) {
                buf_puts(&b, ENT[k].ent);
                s += n;
                done = 1;
                break;
            }
        }
        if (done)
            continue;
        char one[2] = {*s, 0};
        html_escape(&b, one);
        s++;
    }
    buf_puts(&b, "</p></body></html>");
    return buf_take(&b);
}

/* --------------------------------------------------------------- events */

typedef struct {
    int cust, day, minute, gen, seq;
    int html;
    const char *channel;
    char *title, *body, *products, *tags;
} Event;

static Event *g_ev;
static int g_nev, g_cap, g_gen;

static Event *new_event(void)
{
    if (g_nev == g_cap) {
        g_cap = g_cap ? g_cap * 2 : 1024;
        g_ev = realloc(g_ev, (size_t)g_cap * sizeof *g_ev);
        if (!g_ev)
            die("out of memory");
    }
    Event *e = &g_ev[g_nev++];
    memset(e, 0, sizeof *e);
    e->gen = g_gen++;
    return e;
}

/* ------------------------------------------------------ customer state */

typedef struct {
    const Customer *c;
    int ci;
    Rng rng;
    char street[80], postcode[8], city[48];
    char msisdn[20], iban_mask[32], iban_full[32], ean[24], email[96];
} Ctx;

static const char *pick(Rng *r, const char *const *arr, int n) { return arr[rng_range(r, 0, n - 1)]; }

static void digits(Rng *r, char *out, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = (char)('0' + rng_range(r, 0, 9));
    out[n] = '\0';
}

static int mod97(const char *num)
{
    int m = 0;
    for (; *num; num++)
        m = (m * 10 + (*num - '0')) % 97;
    return m;
}

static void make_iban(Rng *r, char *full, size_t nf, char *mask, size_t nm)
{
    char bban[16], ten[11], chk[40];
    static const char *const BANKS[] = {"001", "063", "068", "143", "363", "539", "651", "734", "751", "973"};
    snprintf(ten, sizeof ten, "%s", pick(r, BANKS, 10));
    digits(r, ten + 3, 7);
    int c = mod97(ten);
    if (c == 0)
        c = 97;
    snprintf(bban, sizeof bban, "%s%02d", ten, c);
    snprintf(chk, sizeof chk, "%s111400", bban); /* B=11 E=14 00 */
    int ck = 98 - mod97(chk);
    snprintf(full, nf, "BE%02d %.4s %.4s %.4s", ck, bban, bban + 4, bban + 8);
    snprintf(mask, nm, "BExx xxxx xxxx %.4s", bban + 8);
}

static void ascii_lower(char *out, size_t n, const char *s)
{
    static const struct {
        const char *u;
        char a;
    } MAP[] = {{"é", 'e'}, {"è", 'e'}, {"ê", 'e'}, {"ë", 'e'}, {"à", 'a'}, {"â", 'a'},
               {"ç", 'c'}, {"ï", 'i'}, {"î", 'i'}, {"ô", 'o'}, {"ö", 'o'}, {"ü", 'u'},
               {"û", 'u'}, {"É", 'e'}};
    size_t j = 0;
    while (*s && j + 1 < n) {
        int done = 0;
        for (size_t k = 0; k < sizeof MAP / sizeof MAP[0]; k++) {
            size_t l = strlen(MAP[k].u);
            if (!strncmp(s, MAP[k].u, l)) {
                out[j++] = MAP[k].a;
                s += l;
                done = 1;
                break;
            }
        }
        if (done)
            continue;
        char ch = *s++;
        if (ch >= 'A' && ch <= 'Z')
            out[j++] = (char)(ch - 'A' + 'a');
        else if ((ch >= 'a' && ch <= 'z') || ch == '-')
            out[j++] = ch;
    }
    out[j] = '\0';
}

static void ctx_init(Ctx *x, int ci)
{
    static const char *const PREFIX[] = {"0470", "0471", "0472", "0473", "0475", "0476", "0477",
                                         "0478", "0479", "0485", "0486", "0487", "0488", "0489",
                                         "0460", "0466", "0467", "0468", "0491", "0492", "0493",
                                         "0494", "0495", "0496", "0497", "0498", "0499"};
    static const char *const DOMAINS[] = {"mail.example", "post.example", "inbox.example",
                                          "webmail.example"};
    const Customer *c = &CUSTOMERS[ci];
    memset(x, 0, sizeof *x);
    x->c = c;
    x->ci = ci;
    x->rng.s = 0x4C554D494E41ULL ^ hash_str(c->id); /* "LUMINA" */
    snprintf(x->street, sizeof x->street, "%s", c->street);
    snprintf(x->postcode, sizeof x->postcode, "%s", c->postcode);
    snprintf(x->city, sizeof x->city, "%s", c->city);
    char d[8];
    digits(&x->rng, d, 6);
    snprintf(x->msisdn, sizeof x->msisdn, "%s %.2s %.2s %.2s", pick(&x->rng, PREFIX, 27), d, d + 2,
             d + 4);
    make_iban(&x->rng, x->iban_full, sizeof x->iban_full, x->iban_mask, sizeof x->iban_mask);
    char e14[16];
    digits(&x->rng, e14, 14);
    snprintf(x->ean, sizeof x->ean, "5414%s", e14);
    char f[40], l[40];
    ascii_lower(f, sizeof f, c->first);
    ascii_lower(l, sizeof l, c->last);
    snprintf(x->email, sizeof x->email, "%s.%s@%s", f, l, pick(&x->rng, DOMAINS, 4));
}

/* ------------------------------------------------------------- episodes */

static int channel_ok(const char *ch, int day)
{
    int wd = weekday(day);
    if (!strcmp(ch, "letter") || !strcmp(ch, "visit"))
        return wd != 0 && wd != 6;
    if (!strcmp(ch, "phone") || !strcmp(ch, "chat"))
        return wd != 0;
    return 1;
}

static int channel_minute(Rng *r, const char *ch)
{
    if (!strcmp(ch, "letter"))
        return rng_range(r, 8 * 60, 10 * 60);
    if (!strcmp(ch, "visit"))
        return rng_range(r, 8 * 60, 17 * 60);
    if (!strcmp(ch, "email"))
        return rng_range(r, 7 * 60, 22 * 60 + 30);
    if (!strcmp(ch, "social"))
        return rng_range(r, 7 * 60, 23 * 60);
    return rng_range(r, 8 * 60, 19 * 60 + 45);
}

static const char *const CHANNELS[] = {"phone", "email", "chat", "social", "letter", "visit"};

static const char *choose_channel(Rng *r, const char *spec)
{
    char opts[4][16];
    int n = 0;
    const char *p = spec;
    while (*p && n < 4) {
        const char *e = strchr(p, '|');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        snprintf(opts[n++], sizeof opts[0], "%.*s", (int)len, p);
        p += len;
        if (*p == '|')
            p++;
    }
    int k = rng_range(r, 0, n - 1);
    for (size_t i = 0; i < sizeof CHANNELS / sizeof CHANNELS[0]; i++)
        if (!strcmp(CHANNELS[i], opts[k]))
            return CHANNELS[i];
    die("unknown channel in template");
    return NULL;
}

static int episode_len(const Episode *e, int months)
{
    int len = 0;
    for (int i = 1; i < e->nsteps; i++)
        len += (e->steps[i].dmin < 0 ? (months - 1) * 30 + 8 : e->steps[i].dmax) + 3;
    return len + 3;
}

static int speed_for(const Ctx *x, Rng *r)
{
    char net[40];
    first_product(x->c, CAT_NET, net, sizeof net);
    if (!strcmp(net, "FIBER-1000"))
        return rng_range(r, 880, 945);
    if (!strcmp(net, "FIBER-500"))
        return rng_range(r, 462, 498);
    if (!strcmp(net, "FIBER-100") || !strcmp(net, "INTERNET-SOCIAL"))
        return rng_range(r, 91, 99);
    if (!strcmp(net, "DSL-50"))
        return rng_range(r, 38, 51);
    return rng_range(r, 70, 210); /* HOMEBOX-4G */
}

/* append space separated codes to a comma separated list, without duplicates */
static void add_codes(Buf *b, const char *codes)
{
    const char *p = codes;
    while (p && *p) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len) {
            int dup = 0;
            const char *q = b->p;
            while (q && *q) {
                const char *qe = strchr(q, ',');
                size_t ql = qe ? (size_t)(qe - q) : strlen(q);
                if (ql == len && !memcmp(q, p, len))
                    dup = 1;
                q += ql;
                if (*q == ',')
                    q++;
            }
            if (!dup) {
                if (b->n)
                    buf_putc(b, ',');
                buf_putn(b, p, len);
            }
        }
        p += len;
        while (*p == ' ')
            p++;
    }
}

static void set_money(Vars *v, const char *key, int lang, long cents)
{
    char s[40];
    fmt_money(s, sizeof s, lang, cents);
    var_set(v, key, s);
}

static void set_date(Vars *v, const char *key, int lang, int day)
{
    char s[40];
    fmt_date(s, sizeof s, lang, day);
    var_set(v, key, s);
}

static void set_int(Vars *v, const char *key, long n)
{
    char s[24];
    snprintf(s, sizeof s, "%ld", n);
    var_set(v, key, s);
}

static void run_episode(Ctx *x, const Episode *e, int start, int months)
{
    const Customer *c = x->c;
    const int lang = c->lang;
    Rng *r = &x->rng;
    Vars v = {0};
    char s[160], num[32];

    /* ---- identity and address ---- */
    snprintf(s, sizeof s, "%s %s", c->first, c->last);
    var_set(&v, "name", s);
    var_set(&v, "first", c->first);
    var_set(&v, "email", x->email);
    snprintf(s, sizeof s, "%s, %s %s", x->street, x->postcode, x->city);
    var_set(&v, "addr", s);
    var_set(&v, "city", x->city);
    var_set(&v, "msisdn", x->msisdn);
    var_set(&v, "iban", x->iban_mask);
    var_set(&v, "ibanfull", x->iban_full);
    var_set(&v, "ean", x->ean);
    var_set(&v, "dso", grid_operator(x->postcode));
    var_set(&v, "partner", c->partner ? c->partner : "");
    const Address *na = &NEW_ADDR[lang][rng_range(r, 0, 7)];
    if (!strcmp(na->city, x->city))
        na = &NEW_ADDR[lang][(na - NEW_ADDR[lang] + 1) % 8];
    snprintf(s, sizeof s, "%s, %s %s", na->street, na->postcode, na->city);
    var_set(&v, "newaddr", s);

    /* ---- people and references ---- */
    int na_agents = (int)(sizeof AGENTS / sizeof AGENTS[0]);
    var_set(&v, "agent", pick(r, AGENTS, na_agents));
    var_set(&v, "agent2", pick(r, AGENTS, na_agents));
    var_set(&v, "tech", pick(r, TECHS, (int)(sizeof TECHS / sizeof TECHS[0])));
    int y, m, d;
    civil_from_days(EPOCH_2025 + start, &y, &m, &d);
    digits(r, num, 6);
    snprintf(s, sizeof s, "T-%d-%s", y, num);
    var_set(&v, "ticket", s);
    digits(r, num, 7);
    snprintf(s, sizeof s, "F%d-%s", y, num);
    var_set(&v, "inv", s);
    digits(r, num, 6);
    snprintf(s, sizeof s, "CN%d-%s", y, num);
    var_set(&v, "cn", s);
    digits(r, num, 8);
    snprintf(s, sizeof s, "LUM-%s", num);
    var_set(&v, "mandate", s);
    {
        char base[11];
        digits(r, base, 10);
        int ck = mod97(base);
        if (ck == 0)
            ck = 97;
        snprintf(s, sizeof s, "%.3s/%.4s/%.3s%02d", base, base + 3, base + 7, ck);
        var_set(&v, "ogm", s);
    }

    /* ---- products ---- */
    char prod[40], prod2[40] = "";
    if (!first_product(c, e->cat, prod, sizeof prod))
        first_product(c, CAT_ANY, prod, sizeof prod);
    if (!strcmp(e->key, "switch")) {
        if (!strcmp(prod, "ENERGY-DYNAMIC"))
            snprintf(prod2, sizeof prod2, "ENERGY-FIX");
        else if (!strcmp(prod, "ENERGY-FIX"))
            snprintf(prod2, sizeof prod2, "%s", rng_pct(r, 50) ? "ENERGY-GREEN" : "ENERGY-DYNAMIC");
        else
            snprintf(prod2, sizeof prod2, "%s", rng_pct(r, 50) ? "ENERGY-FIX" : "ENERGY-DYNAMIC");
    }
    var_set(&v, "prod", prod);
    var_set(&v, "prod2", prod2);

    /* what a disputed invoice line is about, given what the customer has */
    {
        static const char *const ITEM[][3] = {
            {"TV-SPORT", "l'option TV-SPORT", "TV-SPORT"},
            {"betaalfilms", "des films à la demande", "pay-per-view films"},
            {"roamingkosten", "des frais de roaming", "roaming charges"},
            {"een installatiekost", "des frais d'installation", "an installation fee"},
            {"een wifi-booster", "un répéteur wifi", "a wifi booster"},
            {"een dubbel voorschot", "un acompte en double", "a duplicate advance payment"},
            {"een aansluitingskost", "des frais de raccordement", "a connection fee"},
        };
        int cand[8], nc = 0;
        char tmp[40];
        if (first_product(c, CAT_TV, tmp, sizeof tmp)) {
            cand[nc++] = 0;
            cand[nc++] = 1;
        }
        if (first_product(c, CAT_MOB, tmp, sizeof tmp))
            cand[nc++] = 2;
        if (first_product(c, CAT_NET, tmp, sizeof tmp)) {
            cand[nc++] = 3;
            cand[nc++] = 4;
        }
        if (first_product(c, CAT_EN, tmp, sizeof tmp)) {
            cand[nc++] = 5;
            cand[nc++] = 6;
        }
        if (nc == 0)
            cand[nc++] = 3;
        var_set(&v, "item", ITEM[cand[rng_range(r, 0, nc - 1)]][lang]);
    }

    /* ---- amounts ---- */
    long amount = (long)rng_range(r, (int)e->amin, (int)e->amax) * 100;
    if (e->amin != e->amax)
        amount += rng_range(r, 0, 99);
    long amount2 = amount * rng_range(r, 30, 60) / 100;
    int hours = rng_range(r, 30, 130);
    if (!strcmp(e->key, "outage")) {
        int days = (hours - 24) / 24;
        amount = (long)(days < 1 ? 1 : days) * 1000;
    }
    if (!strcmp(e->key, "roaming"))
        amount2 = amount / 2;
    int kwh_inj = rng_range(r, 1500, 5200), cents_t = rng_range(r, 30, 62);
    if (!strcmp(e->key, "solar"))
        amount = (long)kwh_inj * cents_t / 10;
    long inst_plan = (amount + months - 1) / (months ? months : 1);
    long advance = (long)rng_range(r, 55, 230) * 100;
    long old = (long)rng_range(r, 2900, 8400) / 10 * 10, neu = old + rng_range(r, 1, 4) * 100;
    set_money(&v, "amount", lang, amount);
    set_money(&v, "amount2", lang, amount2);
    set_money(&v, "inst", lang, !strcmp(e->key, "payplan") ? inst_plan : advance);
    set_money(&v, "old", lang, old);
    set_money(&v, "new", lang, neu);
    set_int(&v, "n", months);
    set_int(&v, "n1", months - 1);
    set_int(&v, "hours", hours);
    set_int(&v, "score", rng_range(r, 3, 10));
    set_int(&v, "speed", speed_for(x, r));
    set_int(&v, "speed2", rng_range(r, 120, 380));
    fmt_int(s, sizeof s, lang, rng_range(r, 8000, 52000));
    var_set(&v, "kwh", s);
    fmt_int(s, sizeof s, lang, rng_range(r, 5000, 31000));
    var_set(&v, "kwh2", s);
    fmt_int(s, sizeof s, lang, rng_range(r, 9000, 61000));
    var_set(&v, "m3", s);
    if (!strcmp(e->key, "solar")) {
        fmt_int(s, sizeof s, lang, kwh_inj);
        var_set(&v, "kwh", s);
    }
    fmt_tenths(s, sizeof s, lang, rng_range(r, 32, 88));
    var_set(&v, "kwp", s);
    fmt_tenths(s, sizeof s, lang, cents_t);
    var_set(&v, "cents", s);
    const Country *co = &COUNTRIES[rng_range(r, 0, NCOUNTRY - 1)];
    var_set(&v, "country", co->name[lang]);
    set_int(&v, "zone", co->zone);
    set_date(&v, "due", lang, start - 14);
    set_date(&v, "end", lang, start + rng_range(r, 14, 30));

    /* ---- step dates ---- */
    int sday[8], smin[8];
    const char *schan[8];
    int prevday = -1, prevmin = 0;
    for (int i = 0; i < e->nsteps; i++) {
        const Step *st = &e->steps[i];
        int day;
        if (i == 0)
            day = start;
        else if (st->dmin < 0)
            day = prevday + (months - 1) * 30 + rng_range(r, 3, 8);
        else
            day = prevday + rng_range(r, st->dmin, st->dmax);
        const char *ch = choose_channel(r, st->chan);
        while (!channel_ok(ch, day))
            day++;
        int minute = channel_minute(r, ch);
        if (day == prevday && minute <= prevmin) {
            minute = prevmin + rng_range(r, 10, 90);
            if (minute > 22 * 60) {
                day++;
                while (!channel_ok(ch, day))
                    day++;
                minute = channel_minute(r, ch);
            }
        }
        sday[i] = day;
        smin[i] = minute;
        schan[i] = ch;
        prevday = day;
        prevmin = minute;
        static const char *const DKEY[8] = {"d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7"};
        set_date(&v, DKEY[i], lang, day);
    }
    if (e->nsteps > 3)
        set_date(&v, "due1", lang, sday[3] + 21);
    else
        set_date(&v, "due1", lang, start + 21);

    /* ---- emit ---- */
    for (int i = 0; i < e->nsteps; i++) {
        const Step *st = &e->steps[i];
        int emit = rng_pct(r, st->prob) || st->prob >= 100;
        if (!emit || sday[i] > LAST_DAY)
            continue;
        Event *ev = new_event();
        ev->cust = x->ci;
        ev->day = sday[i];
        ev->minute = smin[i];
        ev->channel = schan[i];
        Buf b = {0};
        expand(&b, st->title[lang], strlen(st->title[lang]), &v, r, 0);
        ev->title = buf_take(&b);
        int html = st->html == 2 || (st->html == 1 && !strcmp(schan[i], "email") && rng_pct(r, 35));
        expand(&b, st->body[lang], strlen(st->body[lang]), &v, r, st->html == 2);
        char *body = buf_take(&b);
        if (html && st->html == 1) {
            ev->body = plain_to_html(body);
            free(body);
        } else {
            ev->body = body;
        }
        ev->html = html;
        add_codes(&b, prod);
        add_codes(&b, st->extra);
        add_codes(&b, prod2);
        ev->products = buf_take(&b);
        ev->tags = xstrdup(e->tags[lang]);
    }

    /* after a move the customer lives at the new address */
    if (!strncmp(e->key, "move", 4)) {
        snprintf(x->street, sizeof x->street, "%s", na->street);
        snprintf(x->postcode, sizeof x->postcode, "%s", na->postcode);
        snprintf(x->city, sizeof x->city, "%s", na->city);
    }
}

/* ------------------------------------------------------------- planning */

static int find_episode(const char *key)
{
    for (int i = 0; i < NEPISODES; i++)
        if (!strcmp(EPISODES[i].key, key))
            return i;
    fprintf(stderr, "vb-gen-history: unknown story '%s'\n", key);
    exit(1);
}

static int eligible(const Customer *c, const Episode *e)
{
    char tmp[40];
    if (e->cat != CAT_ANY && !first_product(c, e->cat, tmp, sizeof tmp))
        return 0;
    if (!strcmp(e->key, "solar") && !has_product(c, "SOLAR-INJECT"))
        return 0;
    return 1;
}

typedef struct {
    int ep, start, months;
} Planned;

static int cmp_planned(const void *a, const void *b)
{
    const Planned *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->ep < y->ep ? -1 : x->ep > y->ep;
}

static void generate_customer(int ci)
{
    Ctx x;
    ctx_init(&x, ci);
    const Customer *c = x.c;
    Rng *r = &x.rng;
    Planned plan[40];
    int np = 0;
    int used[64] = {0};

    /* the customer's own stories */
    const char *p = c->stories;
    while (*p) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char key[32];
        snprintf(key, sizeof key, "%.*s", (int)len, p);
        int ep = find_episode(key);
        plan[np++] = (Planned){ep, 0, 0};
        used[ep] = 1;
        p += len;
        while (*p == ' ')
            p++;
    }
    /* a few more things that happen to everybody */
    int extra = rng_range(r, 2, 4), tries = 0;
    while (extra > 0 && tries++ < 200) {
        int ep = rng_range(r, 0, NEPISODES - 1);
        const Episode *e = &EPISODES[ep];
        if (used[ep] || !e->random_ok || e->filler || !eligible(c, e))
            continue;
        if ((!strcmp(e->key, "dispute") && has_story(c, "dispute_rejected")) ||
            (!strcmp(e->key, "dispute_rejected") && has_story(c, "dispute")))
            continue;
        plan[np++] = (Planned){ep, 0, 0};
        used[ep] = 1;
        extra--;
    }
    /* routine contacts */
    int fill = rng_range(r, 7, 11);
    tries = 0;
    while (fill > 0 && tries++ < 400) {
        int ep = rng_range(r, 0, NEPISODES - 1);
        const Episode *e = &EPISODES[ep];
        if (!e->filler || !eligible(c, e) || used[ep] >= 2)
            continue;
        plan[np++] = (Planned){ep, 0, 0};
        used[ep]++;
        fill--;
    }

    /* place on the calendar: a terminal story ends the customer's history */
    int limit = LAST_DAY;
    for (int i = 0; i < np; i++) {
        const Episode *e = &EPISODES[plan[i].ep];
        plan[i].months = !strcmp(e->key, "payplan") ? rng_range(r, 3, 10) : 0;
        if (e->terminal) {
            int len = episode_len(e, 0);
            plan[i].start = rng_range(r, 430, LAST_DAY - len);
            limit = plan[i].start - 3;
        }
    }
    for (int i = 0; i < np; i++) {
        const Episode *e = &EPISODES[plan[i].ep];
        if (e->terminal)
            continue;
        int len = episode_len(e, plan[i].months);
        int hi = limit - len;
        plan[i].start = rng_range(r, 1, hi < 1 ? 1 : hi);
    }
    qsort(plan, (size_t)np, sizeof plan[0], cmp_planned);

    for (int i = 0; i < np; i++) {
        const Episode *e = &EPISODES[plan[i].ep];
        run_episode(&x, e, plan[i].start, plan[i].months);
    }
}

/* --------------------------------------------------------------- output */

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        switch (ch) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        case '\b': fputs("\\b", f); break;
        case '\f': fputs("\\f", f); break;
        default:
            if (ch < 0x20)
                fprintf(f, "\\u%04x", ch);
            else
                fputc(ch, f);
        }
    }
    fputc('"', f);
}

static void json_list(FILE *f, const char *csv)
{
    fputc('[', f);
    const char *p = csv;
    int first = 1;
    while (p && *p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char item[80];
        snprintf(item, sizeof item, "%.*s", (int)len, p);
        if (!first)
            fputc(',', f);
        json_str(f, item);
        first = 0;
        p += len;
        if (*p == ',')
            p++;
    }
    fputc(']', f);
}

static void write_event(FILE *f, const Event *e)
{
    const Customer *c = &CUSTOMERS[e->cust];
    char id[40], date[40];
    snprintf(id, sizeof id, "hist-%s-%04d", c->id, e->seq);
    fmt_iso(date, sizeof date, e->day, e->minute);
    fputs("{\"id\":", f);
    json_str(f, id);
    fputs(",\"type\":\"history\",\"lang\":", f);
    json_str(f, LANG_CODE[c->lang]);
    fputs(",\"title\":", f);
    json_str(f, e->title);
    fputs(",\"customer\":", f);
    json_str(f, c->id);
    fputs(",\"channel\":", f);
    json_str(f, e->channel);
    fputs(",\"date\":", f);
    json_str(f, date);
    fputs(",\"products\":", f);
    json_list(f, e->products);
    fputs(",\"tags\":", f);
    json_list(f, e->tags);
    fputs(e->html ? ",\"body_html\":" : ",\"body\":", f);
    json_str(f, e->body);
    fputs("}\n", f);
}

static int cmp_cust(const void *a, const void *b)
{
    const Event *x = a, *y = b;
    if (x->cust != y->cust)
        return x->cust < y->cust ? -1 : 1;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    if (x->minute != y->minute)
        return x->minute < y->minute ? -1 : 1;
    return x->gen < y->gen ? -1 : x->gen > y->gen;
}

static int cmp_time(const void *a, const void *b)
{
    const Event *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    if (x->minute != y->minute)
        return x->minute < y->minute ? -1 : 1;
    if (x->cust != y->cust)
        return x->cust < y->cust ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const char *region_name(const char *postcode)
{
    int pc = atoi(postcode);
    if (pc >= 1000 && pc < 1300)
        return "Brussels";
    if ((pc >= 1300 && pc < 1500) || (pc >= 4000 && pc < 8000))
        return "Wallonia";
    return "Flanders";
}

static void print_customers(void)
{
    puts("| id | name | lang | region | address | products | story |");
    puts("|---|---|---|---|---|---|---|");
    for (int i = 0; i < NCUST; i++) {
        const Customer *c = &CUSTOMERS[i];
        printf("| %s | %s %s | %s | %s | %s, %s %s | %s | %s%s%s%s |\n", c->id, c->first,
               c->last, LANG_CODE[c->lang], region_name(c->postcode), c->street, c->postcode,
               c->city, c->products, c->stories, c->partner ? " (next of kin: " : "",
               c->partner ? c->partner : "", c->partner ? ")" : "");
    }
}

int main(int argc, char **argv)
{
    const char *outdir = ".";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--outdir") && i + 1 < argc) {
            outdir = argv[++i];
        } else if (!strcmp(argv[i], "--customers")) {
            print_customers();
            return 0;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            puts("usage: vb-gen-history [--outdir DIR] | --customers\n"
                 "Writes DIR/events-2025.jsonl and DIR/events-2026.jsonl (deterministic).");
            return 0;
        } else {
            fprintf(stderr, "vb-gen-history: unknown argument '%s' (try --help)\n", argv[i]);
            return 2;
        }
    }

    for (int ci = 0; ci < NCUST; ci++)
        generate_customer(ci);

    /* number each customer's events chronologically */
    qsort(g_ev, (size_t)g_nev, sizeof *g_ev, cmp_cust);
    for (int i = 0, seq = 0; i < g_nev; i++) {
        seq = (i > 0 && g_ev[i - 1].cust == g_ev[i].cust) ? seq + 1 : 1;
        g_ev[i].seq = seq;
    }
    qsort(g_ev, (size_t)g_nev, sizeof *g_ev, cmp_time);

    for (int year = 2025; year <= 2026; year++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/events-%d.jsonl", outdir, year);
        FILE *f = fopen(path, "wb");
        if (!f) {
            fprintf(stderr, "vb-gen-history: cannot write %s\n", path);
            return 1;
        }
        int n = 0;
        for (int i = 0; i < g_nev; i++) {
            int is2025 = g_ev[i].day < 365;
            if ((year == 2025) == is2025) {
                write_event(f, &g_ev[i]);
                n++;
            }
        }
        if (fclose(f) != 0) {
            fprintf(stderr, "vb-gen-history: error writing %s\n", path);
            return 1;
        }
        fprintf(stderr, "%s: %d events\n", path, n);
    }
    for (int i = 0; i < g_nev; i++) {
        free(g_ev[i].title);
        free(g_ev[i].body);
        free(g_ev[i].products);
        free(g_ev[i].tags);
    }
    free(g_ev);
    return 0;
}
