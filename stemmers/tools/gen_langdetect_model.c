/* gen_langdetect_model.c — builds the language-detection model that
 * stemmers/langdetect.c compiles in.
 *
 *   gen_langdetect_model DUTCH FRENCH ENGLISH OUT.c
 *
 * DUTCH, FRENCH and ENGLISH are Debian word lists (wdutch, wfrench,
 * wamerican: one word per line, UTF-8, no frequencies).  OUT.c receives:
 *
 *   - vb_ld_letter_class: code point (< 0x250) -> letter id, the alphabet
 *     the model is written in (case-folded, accents kept);
 *   - a character trigram model per language: log P(c | a b) over letter ids
 *     with word boundaries, trained on the word lists (each word counts
 *     once, long words are damped, proper nouns and acronyms are left out,
 *     and accent-less spellings of accented words are added at a low
 *     weight so that "impayee" still looks French), Witten-Bell smoothed
 *     down to bigrams, unigrams and a uniform floor; stored as an
 *     open-addressing hash table of (trigram key, 3 costs in 1/16 nat);
 *   - the function-word model: the hand-written lists below (the most
 *     frequent articles, pronouns, prepositions, conjunctions, auxiliaries
 *     and contractions of each language, most frequent first), given
 *     Zipf-like probabilities by rank, as a hash table of letter-id
 *     strings.
 *
 * The file format is private to langdetect.c: change both together.  The
 * tool is deterministic (same lists, same output), prints errors on stderr
 * and exits 1 when an input is missing. */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "langdetect_format.h"

#define NLANG 3 /* 0 nl, 1 fr, 2 en: the order of enum vb_lang minus one */

/* ---- Alphabet ------------------------------------------------------------
 * Letter ids: 0 is the word boundary, 1..26 are a..z, then the accented
 * letters of the three languages (and their neighbours, so that a Spanish
 * or German word is still seen as Latin text), then the apostrophe, then
 * "another letter" (any other script or rare Latin letter). */
#define ID_BOUNDARY 0
static const char *const accented[] = {
    "à", "á", "â", "ã", "ä", "å", "æ", "ç", "è", "é", "ê", "ë", "ì", "í", "î",
    "ï", "ñ", "ò", "ó", "ô", "õ", "ö", "ø", "ù", "ú", "û", "ü", "ý", "ÿ", "œ",
    "ß"};
#define N_ACCENTED (sizeof accented / sizeof accented[0])
#define ID_APOS (27 + (int)N_ACCENTED)
#define ID_OTHER (ID_APOS + 1)
#define N_IDS (ID_OTHER + 1)
/* Accent-free spelling of each accented letter, for the folded variants. */
static const char *const folded[] = {
    "a", "a", "a",  "a", "a", "a", "ae", "c", "e", "e", "e",
    "e", "i", "i",  "i", "i", "n", "o",  "o", "o", "o", "o",
    "o", "u", "u",  "u", "u", "y", "y",  "oe", "ss"};

#define CLASS_LIMIT 0x250
static unsigned char letter_class[CLASS_LIMIT];

static uint32_t decode_utf8(const unsigned char *s, size_t len, size_t *used)
{
    unsigned c = s[0];
    if (c < 0x80 || len < 2) {
        *used = 1;
        return c;
    }
    if (c < 0xE0) {
        *used = 2;
        return ((c & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    }
    if (c < 0xF0 && len >= 3) {
        *used = 3;
        return ((c & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    }
    *used = len >= 4 ? 4 : len;
    return 0x10000; /* outside the table: "another letter" */
}

static void build_alphabet(void)
{
    for (int c = 'a'; c <= 'z'; c++) {
        letter_class[c] = (unsigned char)(c - 'a' + 1);
        letter_class[c - 'a' + 'A'] = (unsigned char)(c - 'a' + 1);
    }
    /* Every other Latin letter in the table is "another letter" unless it
     * is one of ours. */
    for (uint32_t cp = 0xC0; cp < CLASS_LIMIT; cp++)
        if (cp != 0xD7 && cp != 0xF7)
            letter_class[cp] = ID_OTHER;
    letter_class[0xAA] = letter_class[0xBA] = ID_OTHER; /* ª º */
    for (size_t i = 0; i < N_ACCENTED; i++) {
        size_t used;
        uint32_t cp = decode_utf8((const unsigned char *)accented[i],
                                  strlen(accented[i]), &used);
        if (cp >= CLASS_LIMIT)
            continue; /* cannot happen: all are below U+0250 */
        letter_class[cp] = (unsigned char)(27 + i);
        /* Upper case of Latin-1 letters is 0x20 below; ÿ/Ÿ and œ/Œ differ. */
        if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7)
            letter_class[cp - 0x20] = (unsigned char)(27 + i);
    }
    letter_class[0x178] = letter_class[0xFF];  /* Ÿ */
    letter_class[0x152] = letter_class[0x153]; /* Œ */
    letter_class['\''] = ID_APOS;
}

/* Converts a UTF-8 word to letter ids; returns the count, or 0 when the
 * word has characters outside the alphabet or is too long. */
#define MAX_WORD 48
static int to_ids(const char *word, size_t len, unsigned char *ids)
{
    int n = 0;
    size_t i = 0;
    while (i < len) {
        size_t used;
        uint32_t cp =
            decode_utf8((const unsigned char *)word + i, len - i, &used);
        i += used;
        if (cp == 0x2019)
            cp = '\'';
        if (cp >= CLASS_LIMIT || letter_class[cp] == 0 ||
            letter_class[cp] == ID_OTHER || n == MAX_WORD)
            return 0;
        ids[n++] = letter_class[cp];
    }
    return n;
}

/* ---- Function words -------------------------------------------------------
 * Most frequent first; a word's probability falls with its rank.  Forms
 * with an apostrophe are the pieces langdetect.c looks up: elided French
 * articles and pronouns ("l'", "qu'"), English contractions, whole ("don't")
 * and as suffixes ("'s", "n't", "'re"), Dutch clitics ("'t", "z'n"). */
static const char *const function_words[NLANG][400] = {
    /* Dutch */
    {"de", "van", "een", "het", "en", "in", "is", "dat", "op", "te", "zijn",
     "voor", "met", "die", "niet", "ik", "je", "aan", "er", "hij", "om",
     "ook", "als", "dan", "maar", "bij", "of", "uit", "nog", "wat", "worden",
     "wordt", "door", "naar", "heeft", "ze", "hebben", "tot", "wel", "kan",
     "al", "zich", "was", "over", "werd", "meer", "we", "zo", "u", "geen",
     "nu", "hun", "na", "deze", "dit", "mijn", "heb", "ben", "hem", "haar",
     "zij", "wij", "jij", "moet", "kunnen", "onder", "had", "zou", "zal",
     "wil", "waar", "hoe", "wie", "daar", "hier", "omdat", "toen", "veel",
     "alle", "andere", "mij", "me", "jou", "jouw", "uw", "onze", "ons",
     "jullie", "men", "waren", "hadden", "gaan", "gaat", "ging", "doen",
     "doet", "deed", "gedaan", "komen", "komt", "kwam", "moeten", "moest",
     "kon", "konden", "mag", "mogen", "willen", "wilde", "zullen", "zouden",
     "bent", "geweest", "zei", "zegt", "weet", "weten", "wist", "zien",
     "ziet", "zag", "gezien", "laat", "laten", "maakt", "maken", "gemaakt",
     "krijgen", "krijgt", "kreeg", "tegen", "tussen", "zonder", "sinds",
     "vanaf", "binnen", "buiten", "achter", "boven", "naast", "tijdens",
     "volgens", "via", "per", "dus", "want", "toch", "even", "weer", "pas",
     "zeer", "erg", "heel", "graag", "misschien", "nooit", "altijd", "vaak",
     "soms", "iets", "niets", "iemand", "niemand", "alles", "iedereen",
     "ieder", "elke", "elk", "welke", "welk", "waarom", "wanneer", "hoeveel",
     "waarin", "waarop", "waarvan", "daarom", "daarna", "daarmee", "eerst",
     "mee", "toe", "af", "ja", "nee", "goed", "een", "één", "twee", "drie",
     "nieuwe", "nieuw", "enkele", "allemaal", "samen", "vandaag", "morgen",
     "gisteren", "echt", "beter", "hen", "zelf", "zelfs", "omdat", "terwijl",
     "hoewel", "indien", "tenzij", "zodat", "nadat", "voordat", "totdat",
     "reeds", "slechts", "bijna", "helemaal", "eigenlijk", "natuurlijk",
     "alstublieft", "alsjeblieft", "bedankt", "dank", "dag", "graag", "'t",
     "'s", "m'n", "z'n", "d'r", "zo'n", "vooral", "steeds", "verder",
     "hierin", "ervan", "erop", "eraan", "ermee", "erover", "daarvoor",
     "hierbij", "waarbij", "tevens", "alsook", "ofwel", "noch", "evenals",
     "mits", "hé", "hè", NULL},
    /* French */
    {"de", "la", "le", "et", "les", "des", "l'", "d'", "en", "un", "à", "du",
     "une", "que", "est", "pour", "qui", "dans", "a", "par", "plus", "pas",
     "au", "sur", "ne", "se", "il", "n'", "ce", "qu'", "sont", "avec", "ou",
     "s'", "son", "je", "aux", "elle", "on", "mais", "c'est", "nous", "vous",
     "j'", "c'", "tu", "ils", "elles", "été", "sa", "ses", "leur", "leurs",
     "cette", "ces", "cet", "y", "être", "avoir", "fait", "faire", "comme",
     "tout", "tous", "toute", "toutes", "peut", "même", "aussi", "bien",
     "très", "sans", "entre", "deux", "ont", "avait", "était", "sera",
     "suis", "es", "sommes", "êtes", "ai", "as", "avons", "avez", "mon", "ma",
     "mes", "ton", "ta", "tes", "notre", "nos", "votre", "vos", "lui", "moi",
     "toi", "eux", "me", "m'", "te", "t'", "dont", "où", "quand", "si",
     "donc", "car", "ni", "non", "oui", "après", "avant", "depuis",
     "pendant", "sous", "chez", "vers", "contre", "encore", "déjà",
     "toujours", "jamais", "rien", "personne", "quelque", "quelques",
     "autre", "autres", "chaque", "plusieurs", "peu", "beaucoup", "trop",
     "ici", "là", "alors", "puis", "ainsi", "cela", "ça", "ceci", "celui",
     "celle", "ceux", "celles", "quel", "quelle", "quels", "quelles",
     "pourquoi", "comment", "combien", "jusqu'", "lorsqu'", "puisqu'",
     "aujourd'hui", "va", "vais", "vont", "allez", "fut", "faut", "doit",
     "dois", "doivent", "veux", "veut", "voulez", "peux", "pouvez",
     "peuvent", "sais", "sait", "savez", "vu", "dit", "fais", "font",
     "avaient", "étaient", "serait", "seront", "aurait", "aura", "ait",
     "soit", "merci", "bonjour", "s'il", "plaît", "parce", "selon", "lors",
     "moins", "mieux", "tant", "tellement", "assez", "dès", "afin", "ainsi",
     "également", "notamment", "cependant", "pourtant", "toutefois", "enfin",
     "lorsque", "puisque", "quoi", "laquelle", "lequel", "lesquels",
     "auquel", "duquel", "desquels", "auxquels", "parmi", "malgré", "sauf",
     "voici", "voilà", "chose", "fois", "an", "ans",
     "non", "oui", "madame", "monsieur", "nouveau", "nouvelle", "votre", "ça",
     "qu'il", "qu'elle", "n'est", "j'ai", "d'un", "d'une", "l'on",
     "presque", "surtout", "souvent", "tard", "tôt", "vraiment", "ensuite",
     "hier", "demain", "maintenant", NULL},
    /* English */
    {"the", "of", "and", "to", "a", "in", "is", "it", "you", "that", "i",
     "he", "was", "for", "on", "are", "with", "as", "'s", "his", "they",
     "be", "at", "have", "this", "not", "from", "or", "had", "by", "but",
     "what", "we", "n't", "can", "all", "were", "there", "when", "your",
     "do", "if", "will", "an", "she", "which", "their", "one", "about",
     "would", "so", "up", "out", "them", "her", "him", "has", "been", "my",
     "me", "who", "did", "no", "its", "our", "us", "than", "then", "these",
     "those", "could", "should", "may", "might", "must", "shall", "am",
     "does", "into", "over", "after", "before", "just", "only", "also",
     "very", "more", "most", "any", "some", "here", "where", "why", "how",
     "because", "while", "through", "between", "under", "again", "such",
     "own", "same", "both", "few", "now", "off", "down", "well", "get",
     "got", "make", "made", "know", "think", "see", "go", "going", "went",
     "come", "want", "like", "need", "please", "thanks", "thank", "don't",
     "doesn't", "didn't", "can't", "won't", "isn't", "aren't", "wasn't",
     "weren't", "haven't", "hasn't", "couldn't", "wouldn't", "shouldn't",
     "i'm", "it's", "that's", "there's", "you're", "we're", "they're",
     "i've", "you've", "we've", "i'll", "you'll", "we'll", "let's", "he's",
     "she's", "what's", "i'd", "you'd", "'re", "'ve", "'ll", "'d", "'m",
     "yes", "something", "nothing", "anything", "everything", "someone",
     "anyone", "everyone", "never", "always", "too", "really", "still",
     "even", "much", "every", "another", "other", "each", "many", "said",
     "say", "says", "being", "without", "within", "during", "against",
     "until", "though", "although", "whether", "either", "neither", "yet",
     "upon", "onto", "toward", "towards", "across", "around", "behind",
     "below", "above", "since", "ever", "already", "almost", "often",
     "sometimes", "today", "tomorrow", "yesterday", "there", "their",
     "theirs", "ours", "yours", "mine", "myself", "yourself", "himself",
     "herself", "itself", "themselves", "whom", "whose", "what", "which",
     "hello", "hi", "okay", "ok", "sure", "right", "new", "good", "two",
     "three", "first", "way", "time", "year", "people", "take", "give",
     "tell", "told", "find", "found", "let", "put", "keep", "kept", NULL},
};

/* ---- Training ------------------------------------------------------------ */

#define TRI(a, b, c) (((size_t)(a) * N_IDS + (b)) * N_IDS + (c))
#define BI(a, b) ((size_t)(a) * N_IDS + (b))

struct counts {
    double *tri; /* N_IDS^3 */
};

/* Weight of one word of `n` letters: dictionaries list long derived words
 * (and, for French, every conjugated form) that text rarely uses; damping
 * them keeps the model close to running text. */
static double word_weight(int n)
{
    return n <= 8 ? 1.0 : 8.0 / n;
}

static void count_word(struct counts *cnt, const unsigned char *ids, int n,
                       double w)
{
    unsigned a = ID_BOUNDARY, b = ID_BOUNDARY;
    for (int i = 0; i <= n; i++) {
        unsigned c = i < n ? ids[i] : ID_BOUNDARY;
        cnt->tri[TRI(a, b, c)] += w;
        a = b;
        b = c;
    }
}

/* A small open hash set of id strings, to count each word once. */
struct word_set {
    char **slots;
    size_t cap, used;
};

static uint64_t hash_bytes(const unsigned char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 1099511628211ull;
    return h;
}

/* Returns 1 when the word was new. */
static int set_add(struct word_set *set, const unsigned char *ids, int n)
{
    if ((set->used + 1) * 2 > set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 1 << 16;
        char **slots = calloc(cap, sizeof *slots);
        if (!slots) {
            fprintf(stderr, "gen_langdetect_model: out of memory\n");
            exit(1);
        }
        for (size_t i = 0; i < set->cap; i++) {
            if (!set->slots[i])
                continue;
            size_t len = strlen(set->slots[i]);
            size_t j = hash_bytes((unsigned char *)set->slots[i], len) &
                       (cap - 1);
            while (slots[j])
                j = (j + 1) & (cap - 1);
            slots[j] = set->slots[i];
        }
        free(set->slots);
        set->slots = slots;
        set->cap = cap;
    }
    size_t j = hash_bytes(ids, (size_t)n) & (set->cap - 1);
    while (set->slots[j]) {
        if (strlen(set->slots[j]) == (size_t)n &&
            memcmp(set->slots[j], ids, (size_t)n) == 0)
            return 0;
        j = (j + 1) & (set->cap - 1);
    }
    char *copy = malloc((size_t)n + 1);
    if (!copy) {
        fprintf(stderr, "gen_langdetect_model: out of memory\n");
        exit(1);
    }
    memcpy(copy, ids, (size_t)n);
    copy[n] = 0;
    set->slots[j] = copy;
    set->used++;
    return 1;
}

static void set_free(struct word_set *set)
{
    for (size_t i = 0; i < set->cap; i++)
        free(set->slots[i]);
    free(set->slots);
}

static void add_word(struct counts *cnt, struct word_set *seen,
                     const unsigned char *ids, int n, double w)
{
    if (n > 0 && set_add(seen, ids, n))
        count_word(cnt, ids, n, w * word_weight(n));
}

/* Adds one dictionary entry: lower-case words only (capitalised entries are
 * names and acronyms, shared between languages), split at hyphens, spaces
 * and apostrophes, English possessives dropped; plus its accent-free
 * spelling at a low weight. */
static void train_entry(struct counts *cnt, struct word_set *seen,
                        const char *line, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (isupper((unsigned char)line[i]))
            return;
    if (len >= 2 && line[len - 2] == '\'' && line[len - 1] == 's')
        len -= 2;
    unsigned char ids[MAX_WORD], plain[2 * MAX_WORD];
    size_t start = 0;
    while (start < len) {
        size_t end = start;
        while (end < len && line[end] != '-' && line[end] != ' ' &&
               line[end] != '\'')
            end++;
        int n = to_ids(line + start, end - start, ids);
        int has_upper_other = 0;
        for (size_t k = start; k < end; k++)
            if ((unsigned char)line[k] == 0xC3 && k + 1 < end &&
                (unsigned char)line[k + 1] < 0x9F)
                has_upper_other = 1; /* À..ß: capitalised */
        if (n > 0 && !has_upper_other) {
            add_word(cnt, seen, ids, n, 1.0);
            int m = 0, accented_word = 0;
            for (int k = 0; k < n && m < 2 * MAX_WORD - 2; k++) {
                if (ids[k] >= 27 && ids[k] < ID_APOS) {
                    const char *f = folded[ids[k] - 27];
                    accented_word = 1;
                    for (; *f; f++)
                        plain[m++] = letter_class[(unsigned char)*f];
                } else {
                    plain[m++] = ids[k];
                }
            }
            if (accented_word && m <= MAX_WORD)
                add_word(cnt, seen, plain, m, 0.25);
        }
        start = end + 1;
    }
}

static int train_file(const char *path, struct counts *cnt)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr,
                "gen_langdetect_model: cannot read %s (install wdutch, "
                "wfrench and wamerican)\n",
                path);
        return -1;
    }
    struct word_set seen = {0};
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        train_entry(cnt, &seen, line, len);
    }
    fclose(f);
    set_free(&seen);
    return 0;
}

/* Witten-Bell smoothed conditional probabilities for one language. */
struct model {
    double *p; /* P(c | a b), N_IDS^3 */
};

static void smooth(const struct counts *cnt, struct model *m)
{
    const size_t v = N_IDS;
    double *bi = calloc(v * v, sizeof *bi);
    double uni[N_IDS] = {0};
    double bi_ctx[N_IDS] = {0}, bi_types[N_IDS] = {0};
    double uni_total = 0, uni_types = 0;
    if (!bi) {
        fprintf(stderr, "gen_langdetect_model: out of memory\n");
        exit(1);
    }
    for (size_t a = 0; a < v; a++)
        for (size_t b = 0; b < v; b++)
            for (size_t c = 0; c < v; c++)
                bi[BI(b, c)] += cnt->tri[TRI(a, b, c)];
    for (size_t b = 0; b < v; b++)
        for (size_t c = 0; c < v; c++) {
            double x = bi[BI(b, c)];
            uni[c] += x;
            bi_ctx[b] += x;
            bi_types[b] += x > 0;
        }
    for (size_t c = 0; c < v; c++) {
        uni_total += uni[c];
        uni_types += uni[c] > 0;
    }
    double p_uni[N_IDS], p_bi[N_IDS][N_IDS];
    for (size_t c = 0; c < v; c++)
        p_uni[c] = (uni[c] + uni_types / (double)v) / (uni_total + uni_types);
    for (size_t b = 0; b < v; b++)
        for (size_t c = 0; c < v; c++)
            p_bi[b][c] = bi_ctx[b] > 0 ? (bi[BI(b, c)] + bi_types[b] * p_uni[c]) /
                                            (bi_ctx[b] + bi_types[b])
                                      : p_uni[c];
    for (size_t a = 0; a < v; a++)
        for (size_t b = 0; b < v; b++) {
            double n = 0, t = 0;
            for (size_t c = 0; c < v; c++) {
                double x = cnt->tri[TRI(a, b, c)];
                n += x;
                t += x > 0;
            }
            for (size_t c = 0; c < v; c++)
                m->p[TRI(a, b, c)] =
                    n > 0 ? (cnt->tri[TRI(a, b, c)] + t * p_bi[b][c]) / (n + t)
                          : p_bi[b][c];
        }
    free(bi);
}

/* ---- Output -------------------------------------------------------------- */

/* Costs are -ln P in 1/16 nat, saturated at 255 (P < 1e-7). */
static unsigned cost_of(double p)
{
    double c = -log(p) * 16.0 + 0.5;
    return c >= 255 ? 255 : c < 0 ? 0 : (unsigned)c;
}


#define WORD_KEY 16 /* ids per function word, NUL-padded */
#define WORD_BITS 11

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr,
                "usage: gen_langdetect_model DUTCH FRENCH ENGLISH OUT.c\n");
        return 1;
    }
    build_alphabet();
    const size_t cube = (size_t)N_IDS * N_IDS * N_IDS;
    struct counts cnt[NLANG];
    struct model mod[NLANG];
    for (int l = 0; l < NLANG; l++) {
        cnt[l].tri = calloc(cube, sizeof(double));
        mod[l].p = calloc(cube, sizeof(double));
        if (!cnt[l].tri || !mod[l].p) {
            fprintf(stderr, "gen_langdetect_model: out of memory\n");
            return 1;
        }
        if (train_file(argv[1 + l], &cnt[l]) != 0)
            return 1;
        smooth(&cnt[l], &mod[l]);
    }

    /* Keep the trigrams seen in some language often enough to matter;
     * the rest cost the same in every language and are left out. */
    size_t kept = 0;
    for (size_t k = 0; k < cube; k++) {
        double seen = 0;
        for (int l = 0; l < NLANG; l++)
            seen = cnt[l].tri[k] > seen ? cnt[l].tri[k] : seen;
        if (seen >= 1.0)
            kept++;
    }
    unsigned bits = 1;
    while ((1u << bits) < kept + kept / 3)
        bits++;
    size_t slots = (size_t)1 << bits;
    uint32_t *keys = calloc(slots, sizeof *keys);
    unsigned char(*costs)[NLANG] = calloc(slots, sizeof *costs);
    if (!keys || !costs) {
        fprintf(stderr, "gen_langdetect_model: out of memory\n");
        return 1;
    }
    for (size_t a = 0; a < N_IDS; a++)
        for (size_t b = 0; b < N_IDS; b++)
            for (size_t c = 0; c < N_IDS; c++) {
                size_t k = TRI(a, b, c);
                double seen = 0;
                for (int l = 0; l < NLANG; l++)
                    seen = cnt[l].tri[k] > seen ? cnt[l].tri[k] : seen;
                if (seen < 1.0)
                    continue;
                uint32_t key = (uint32_t)((a << 12) | (b << 6) | c) + 1;
                uint32_t j = vb_ld_tri_slot(key, bits);
                while (keys[j])
                    j = (j + 1) & (uint32_t)(slots - 1);
                keys[j] = key;
                for (int l = 0; l < NLANG; l++)
                    costs[j][l] = (unsigned char)cost_of(mod[l].p[k]);
            }

    /* Function words: P(rank r) = 0.08 / (r + 2), rank counted per
     * language over distinct words. */
    size_t wslots = (size_t)1 << WORD_BITS;
    unsigned char(*wkeys)[WORD_KEY] = calloc(wslots, WORD_KEY);
    double(*wprob)[NLANG] = calloc(wslots, sizeof *wprob);
    double mass[NLANG] = {0};
    size_t wcount = 0;
    if (!wkeys || !wprob) {
        fprintf(stderr, "gen_langdetect_model: out of memory\n");
        return 1;
    }
    for (int l = 0; l < NLANG; l++) {
        int rank = 0;
        for (int i = 0; function_words[l][i]; i++) {
            unsigned char ids[MAX_WORD];
            const char *w = function_words[l][i];
            int n = to_ids(w, strlen(w), ids);
            if (n == 0 || n >= WORD_KEY) {
                fprintf(stderr, "gen_langdetect_model: bad word '%s'\n", w);
                return 1;
            }
            uint32_t j = vb_ld_word_hash(ids, (size_t)n) >> (32 - WORD_BITS);
            while (wkeys[j][0] &&
                   !(memcmp(wkeys[j], ids, (size_t)n) == 0 &&
                     wkeys[j][n] == 0))
                j = (j + 1) & (uint32_t)(wslots - 1);
            if (!wkeys[j][0]) {
                memcpy(wkeys[j], ids, (size_t)n);
                wcount++;
                if (wcount * 2 > wslots) {
                    fprintf(stderr, "gen_langdetect_model: word table full\n");
                    return 1;
                }
            }
            if (wprob[j][l] > 0)
                continue; /* listed twice: the first rank counts */
            wprob[j][l] = 0.08 / (rank + 2);
            mass[l] += wprob[j][l];
            rank++;
        }
    }

    FILE *out = fopen(argv[4], "w");
    if (!out) {
        perror(argv[4]);
        return 1;
    }
    fprintf(out,
            "/* Generated by stemmers/tools/gen_langdetect_model.c from %s, "
            "%s and %s.\n * Do not edit; do not commit. */\n"
            "#include <stdint.h>\n\n",
            argv[1], argv[2], argv[3]);
    fprintf(out,
            "extern const unsigned char vb_ld_letter_class[%d];\n"
            "const unsigned char vb_ld_letter_class[%d] = {",
            CLASS_LIMIT, CLASS_LIMIT);
    for (int i = 0; i < CLASS_LIMIT; i++)
        fprintf(out, "%s%d,", i % 24 ? "" : "\n", letter_class[i]);
    fprintf(out, "};\n\n");
    fprintf(out,
            "extern const unsigned vb_ld_tri_bits;\n"
            "const unsigned vb_ld_tri_bits = %u;\n"
            "/* Trigram entries: bits 0-23 the key + 1 (0: empty slot), then "
            "one\n * cost byte per language (nl, fr, en) in bits 24-31, "
            "32-39, 40-47. */\n"
            "extern const uint64_t vb_ld_tri[%zu];\n"
            "const uint64_t vb_ld_tri[%zu] = {",
            bits, slots, slots);
    for (size_t j = 0; j < slots; j++) {
        uint64_t e = keys[j] ? (uint64_t)keys[j] | (uint64_t)costs[j][0] << 24 |
                                   (uint64_t)costs[j][1] << 32 |
                                   (uint64_t)costs[j][2] << 40
                             : 0;
        fprintf(out, "%s0x%llx,", j % 8 ? "" : "\n", (unsigned long long)e);
    }
    fprintf(out, "};\n\n");
    fprintf(out,
            "extern const unsigned vb_ld_word_bits;\n"
            "const unsigned vb_ld_word_bits = %d;\n"
            "extern const unsigned char vb_ld_word_keys[%zu][%d];\n"
            "const unsigned char vb_ld_word_keys[%zu][%d] = {",
            WORD_BITS, wslots, WORD_KEY, wslots, WORD_KEY);
    for (size_t j = 0; j < wslots; j++) {
        if (!wkeys[j][0])
            continue;
        fprintf(out, "\n[%zu]={", j);
        for (int k = 0; k < WORD_KEY && wkeys[j][k]; k++)
            fprintf(out, "%d,", wkeys[j][k]);
        fprintf(out, "},");
    }
    fprintf(out, "};\n\n/* ln P(word | language), 0 = not listed. */\n"
                 "extern const float vb_ld_word_logp[%zu][3];\n"
                 "const float vb_ld_word_logp[%zu][3] = {",
            wslots, wslots);
    for (size_t j = 0; j < wslots; j++) {
        if (!wkeys[j][0])
            continue;
        fprintf(out, "\n[%zu]={", j);
        for (int l = 0; l < NLANG; l++)
            fprintf(out, "%.6ff,", wprob[j][l] > 0 ? log(wprob[j][l]) : 0.0);
        fprintf(out, "},");
    }
    fprintf(out,
            "};\n\n/* ln(1 - total function-word probability). */\n"
            "extern const float vb_ld_rest_logp[3];\n"
            "const float vb_ld_rest_logp[3] = {%.6ff, %.6ff, %.6ff};\n",
            log(1 - mass[0]), log(1 - mass[1]), log(1 - mass[2]));
    fprintf(out,
            "extern const unsigned char vb_ld_id_apos, vb_ld_id_other;\n"
            "const unsigned char vb_ld_id_apos = %d, vb_ld_id_other = %d;\n",
            ID_APOS, ID_OTHER);
    if (fclose(out) != 0) {
        perror(argv[4]);
        return 1;
    }
    fprintf(stderr, "gen_langdetect_model: %zu trigrams in %zu slots, %zu "
                    "function words\n", kept, slots, wcount);
    for (int l = 0; l < NLANG; l++) {
        free(cnt[l].tri);
        free(mod[l].p);
    }
    free(keys);
    free(costs);
    free(wkeys);
    free(wprob);
    return 0;
}
