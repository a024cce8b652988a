/* dutch.c — Dutch beyond Snowball: lexicon-validated lemma rules and
 * compound splitting.
 *
 * The lexicon is a blob built at build time by tools/gen_nl_lexicon.c
 * from Debian's OpenTaal hunspell dictionary (nl.dic/nl.aff) and the
 * wdutch word list, and linked into the library (nl_lexicon.cmake).  The
 * generator expands hunspell's affix rules and resolves, for every known
 * word form, the term all inflections of its lemma share (plural ->
 * singular, inflected adjective -> base, verb form -> verb stem, strong
 * past tenses and irregular plurals from hand-written tables).  At run
 * time a known word is one hash lookup; an unknown word is analysed as
 * modifier + known head ("glasvezelaansluitingen" -> "glasvezel" +
 * "aansluitingen" -> "glasvezel" + "aansluiting"); anything else goes to
 * Snowball.
 *
 * Nothing here allocates after vb_nl_lexicon_new; the blob is read in
 * place (little-endian integers decoded byte by byte, so the blob is the
 * same on every host). */
#include "analysis_int.h"

#include <libstemmer.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tools/nl_lexicon_format.h"

/* The blob, from the generated nl_lexicon_blob.c. */
extern const unsigned char vb_nl_lexicon_blob[];
extern const unsigned char vb_nl_lexicon_blob_end[];

struct vb_nl_lexicon {
    const unsigned char *slots;   /* slot_count little-endian u32 */
    uint32_t slot_mask;
    const unsigned char *records; /* records_size bytes */
    uint32_t records_size;
};

/* One looked-up word: a view into the blob. */
struct nl_entry {
    uint16_t flags;
    uint8_t word_len, strip, add_len;
    const unsigned char *add;
};

static uint32_t read_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* ---- Life cycle ------------------------------------------------------ */

enum vb_status vb_nl_lexicon_new(struct vb_nl_lexicon **out,
                                 struct vb_error *err)
{
    *out = NULL;
    const unsigned char *blob = vb_nl_lexicon_blob;
    size_t size = (size_t)(vb_nl_lexicon_blob_end - vb_nl_lexicon_blob);
    if (size < 16 || read_u32(blob) != NL_BLOB_MAGIC ||
        read_u32(blob + 4) != NL_BLOB_VERSION)
        return vb_error_set(err, VB_ECORRUPT,
                            "Dutch lexicon: bad header in built-in data");
    uint32_t slot_count = read_u32(blob + 8);
    uint32_t records_size = read_u32(blob + 12);
    if (slot_count == 0 || (slot_count & (slot_count - 1)) != 0 ||
        (size - 16) / 4 < slot_count ||
        size - 16 - (size_t)slot_count * 4 != records_size)
        return vb_error_set(err, VB_ECORRUPT,
                            "Dutch lexicon: sizes in built-in data do not "
                            "add up (%zu bytes)", size);
    struct vb_nl_lexicon *lexicon = calloc(1, sizeof *lexicon);
    if (!lexicon)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    lexicon->slots = blob + 16;
    lexicon->slot_mask = slot_count - 1;
    lexicon->records = blob + 16 + (size_t)slot_count * 4;
    lexicon->records_size = records_size;
    *out = lexicon;
    return VB_OK;
}

void vb_nl_lexicon_free(struct vb_nl_lexicon *lexicon)
{
    free(lexicon);
}

/* ---- Lookup ----------------------------------------------------------- */

/* Finds word[0..len) in the lexicon.  Bounds-checked against the blob so
 * that a damaged blob cannot make us read outside it. */
static bool lexicon_find(const struct vb_nl_lexicon *lex, const char *word,
                         size_t len, struct nl_entry *entry)
{
    if (len == 0 || len > NL_WORD_MAX)
        return false;
    uint32_t h = vb_nl_hash((const unsigned char *)word, len) &
                 lex->slot_mask;
    for (uint32_t probes = 0; probes <= lex->slot_mask; probes++) {
        uint32_t slot = read_u32(lex->slots + (size_t)h * 4);
        if (slot == 0)
            return false;
        size_t off = slot - 1;
        if (off < lex->records_size) {
            const unsigned char *r = lex->records + off;
            size_t word_len = r[0];
            if (word_len == len &&
                off + 1 + word_len + 4 <= lex->records_size &&
                memcmp(r + 1, word, len) == 0) {
                const unsigned char *p = r + 1 + word_len;
                entry->flags = (uint16_t)(p[0] | p[1] << 8);
                entry->word_len = (uint8_t)word_len;
                entry->strip = p[2];
                entry->add_len = p[3];
                entry->add = p + 4;
                if (off + 1 + word_len + 4 + entry->add_len >
                        lex->records_size ||
                    entry->strip > word_len)
                    return false;
                return true;
            }
        }
        h = (h + 1) & lex->slot_mask;
    }
    return false;
}

static bool lexicon_has(const struct vb_nl_lexicon *lex, const char *word,
                        size_t len, uint16_t all_of)
{
    struct nl_entry e;
    return lexicon_find(lex, word, len, &e) && (e.flags & all_of) == all_of;
}

/* Is the term (lemma) of `word` (found as `entry`) a dictionary entry of
 * its own ("culturen" -> "cultuur")? */
static bool term_is_root(const struct vb_nl_lexicon *lex, const char *word,
                         const struct nl_entry *entry)
{
    char term[NL_WORD_MAX + 1];
    size_t keep = entry->word_len - entry->strip;
    if (keep + entry->add_len > NL_WORD_MAX)
        return false;
    memcpy(term, word, keep);
    memcpy(term + keep, entry->add, entry->add_len);
    return lexicon_has(lex, term, keep + entry->add_len, NL_F_ROOT);
}

/* Writes prefix[0..prefix_len) + the term of `entry` (whose word is
 * `word`) into out; returns the length or 0 when it does not fit. */
static size_t write_term(const char *prefix, size_t prefix_len,
                         const char *word, const struct nl_entry *entry,
                         char *out, size_t cap)
{
    size_t keep = entry->word_len - entry->strip;
    size_t total = prefix_len + keep + entry->add_len;
    if (total + 1 > cap)
        return 0;
    memcpy(out, prefix, prefix_len);
    memcpy(out + prefix_len, word, keep);
    memcpy(out + prefix_len + keep, entry->add, entry->add_len);
    out[total] = '\0';
    return total;
}

/* ---- Compounds ---------------------------------------------------------
 * A split is modifier + [link] + head, where
 *   - the head is a known word that hunspell lets end a compound, or an
 *     inflection of one ("aansluitingen"), or an adjective that only
 *     exists after a modifier ("zestien|jarige");
 *   - the modifier is a word hunspell lets begin a compound (this includes
 *     its -en plural and compound-only -s forms like "betalings"), a
 *     word of the wdutch list (which holds many compounds, "glasvezel"),
 *     a known noun followed by a linking -s-/-e-/-en-, a numeral, or a
 *     compound of its own that no dictionary holds ("nobelprijs|winnaar").
 * Verb particles and prepositions ("aan", "op", "voor") only count as a
 * modifier before a verb form ("aan|sluiten", "op|gesloten"; but
 * "aansluiting" is one word), or before a noun in a word no dictionary
 * holds ("tussen|klassering").
 * Whole words the dictionary lists as entries of their own split only
 * into long parts (struct whole_word).  Measured by bench/eval_compounds
 * against the compound boundaries of the UD Dutch dev treebanks.
 * Bounded: one lookup per head position and a few per modifier, so
 * O(len) lookups, each O(len); a compound modifier adds one nested split
 * (no deeper) per head position that holds a known head. */

#define MIN_PART 3 /* bytes */
/* Both parts of a split dictionary entry are at least this long. */
#ifndef UNIT_PART_MIN
#define UNIT_PART_MIN 5
#endif

/* Separable verb particles: a modifier only before a verb form. */
static const char *const particles[] = {
    "aan",    "af",     "bij",     "door",   "in",     "mee",   "na",
    "om",     "onder",  "op",      "over",   "toe",    "uit",   "voor",
    "weg",    "terug",  "samen",   "tegen",  "vast",   "los",   "achter",
    "binnen", "buiten", "neer",    "rond",   "open",   "dicht", "heen",
    "voorbij", "tussen", "boven",  "thuis",  "mede",   "teleur", "kapot"};

/* Words that make separable verbs too ("vrij|laten", "plaats|vinden",
 * "voort|zetten"), but also words and compounds of their own
 * ("goederen", "vrijdag"): a particle only where the whole word is a
 * verb form. */
static const char *const verb_particles[] = {
    "voort",  "vrij",   "bekend",  "plaats",  "terecht", "klaar",  "stil",
    "goed",   "schoon", "bezig",   "overeen", "uiteen",  "vooraf", "omver",
    "aaneen", "deel",   "gebruik", "dood",    "kennis"};

/* Never a modifier: inseparable prefixes and function words that happen
 * to be words ("ver|haal", "be|stel", "mis|bruik" are derivations). */
static const char *const non_modifiers[] = {
    "be",  "ge",  "ver", "ont", "her", "er",  "on",   "mis",  "te",
    "der", "tot", "met", "van", "naar", "per", "als", "niet", "wel",
    "dan", "een", "ter", "ten", "des", "het", "de",   "zo",   "hier",
    "daar", "waar", "zijn", "haar", "hun", "mijn", "ons", "wat", "wie",
    "trans"};

/* Heads that are really suffixes ("roem|loos", "eet|baar"). */
static const char *const non_heads[] = {
    "loos", "loze", "baar", "bare", "zaam", "zame", "lijk", "lijke", "achtig",
    "achtige", "ing", "ingen", "heid", "heden", "tje", "tjes", "je", "jes",
    "ster", "sters", "aar", "aars", "erij", "ische", "isch", "tig", "tigste",
    "tal", "ste", "de",
    /* adjective suffixes that are words too ("belang|rijke",
     * "regel|matig", "waarde|volle"), and ordinals ("veer|tiende") */
    "rijke", "rijker", "rijkste", "matig", "matige", "volle", "volste",
    "tiende", "tiendes",
    /* the suffix -schap ("opvolger|schap"), not the shelf */
    "schap", "schappen"};

/* Numerals: modifiers of their own ("zestien|jarige", "drie|honkslag"). */
static const char *const numerals[] = {
    "twee",     "drie",     "vier",    "vijf",      "zes",      "zeven",
    "acht",     "negen",    "tien",    "elf",       "twaalf",   "dertien",
    "veertien", "vijftien", "zestien", "zeventien", "achttien", "negentien",
    "twintig",  "dertig",   "veertig", "vijftig",   "zestig",   "zeventig",
    "tachtig",  "negentig", "honderd", "duizend"};

/* Adjective heads that exist only after a modifier ("zestien|jarige",
 * "twee|voudig", "frans|talig"): heads although no dictionary entry. */
static const char *const bound_heads[] = {
    "jarig", "jarige", "jarigen",      "voudig",      "voudige",
    "talig", "talige", "taligen",      "delig",       "delige",
    "daags", "daagse", "dimensionaal", "dimensionale"};

static bool in_list(const char *const *list, size_t count, const char *word,
                    size_t len)
{
    /* runs for every cut of every word: the first byte decides most */
    if (len == 0)
        return false;
    for (size_t i = 0; i < count; i++) {
        const char *s = list[i];
        if (s[0] != word[0])
            continue;
        size_t j = 1;
        while (j < len && s[j] == word[j])
            j++;
        if (j == len && s[len] == '\0')
            return true;
    }
    return false;
}

static bool is_bound_head(const char *word, size_t len)
{
    return in_list(bound_heads, sizeof bound_heads / sizeof *bound_heads, word,
                   len);
}

static bool is_ambiguous_particle(const char *word, size_t len)
{
    static const char *const ambiguous[] = {"over", "voor",  "onder",
                                            "door", "om",    "achter",
                                            "mis",  "voorbij", "vol"};
    return in_list(ambiguous, sizeof ambiguous / sizeof *ambiguous, word,
                   len);
}

static bool is_particle(const char *word, size_t len)
{
    return in_list(particles, sizeof particles / sizeof *particles, word,
                   len);
}

/* Modifier check.  Returns the length of the modifier proper (without the
 * link) or 0 when word[0..len) is not a valid modifier.  A particle is
 * reported through *particle. */
static size_t modifier_len(const struct vb_nl_lexicon *lex, const char *word,
                           size_t len, bool *particle)
{
    struct nl_entry e;
    *particle = false;
    if (len < 2)
        return 0;
    if (is_particle(word, len)) {
        *particle = true;
        return len;
    }
    if (len < MIN_PART ||
        in_list(non_modifiers, sizeof non_modifiers / sizeof *non_modifiers,
                word, len))
        return 0;
    if (in_list(numerals, sizeof numerals / sizeof *numerals, word, len))
        return len;
    /* A plural or linking form: report the noun without the link
     * ("vrouwen|toernooi" -> "vrouw", "vechters|mentaliteit" ->
     * "vechter"). */
    if (len > MIN_PART + 2 && word[len - 1] == 'n' && word[len - 2] == 'e' &&
        lexicon_has(lex, word, len - 2, NL_F_NOUN | NL_F_ROOT) &&
        lexicon_has(lex, word, len, NL_F_BEGIN))
        return len - 2;
    if (len > MIN_PART + 1 && word[len - 1] == 's' &&
        lexicon_has(lex, word, len - 1, NL_F_NOUN | NL_F_ROOT))
        return len - 1;
    if (lexicon_find(lex, word, len, &e)) {
        if ((e.flags & (NL_F_BEGIN | NL_F_WORD | NL_F_NOUN)) ==
                (NL_F_BEGIN | NL_F_WORD | NL_F_NOUN) &&
            e.strip == 0 && e.add_len == 0)
            return len;
        /* A plural as modifier: report its singular when only a link
         * separates them ("varkens" -> "varken", "poppen" -> "pop"). */
        if ((e.flags & (NL_F_BEGIN | NL_F_WORD | NL_F_NOUN)) ==
                (NL_F_BEGIN | NL_F_WORD | NL_F_NOUN) &&
            e.add_len == 0 && e.strip <= 3) {
            size_t keep = len - e.strip;
            const char *link = word + keep;
            if ((e.strip == 1 && (*link == 's' || *link == 'n')) ||
                (e.strip == 2 && !memcmp(link, "en", 2)) ||
                (e.strip == 3 && !memcmp(link + 1, "en", 2) &&
                 link[0] == word[keep - 1]))
                return keep;
        }
        if (e.flags & NL_F_BEGIN) {
            if ((e.flags & NL_F_CXONLY) && word[len - 1] == 's')
                return len - 1;
            /* "kinder|tijd": the compound form of "kind" */
            if ((e.flags & NL_F_CXONLY) && len > MIN_PART + 2 &&
                !memcmp(word + len - 2, "er", 2) &&
                lexicon_has(lex, word, len - 2, NL_F_NOUN | NL_F_WORD))
                return len - 2;
            return len;
        }
        /* Hunspell's compound flags are incomplete ("kop|groep"): a noun
         * of its own of four bytes or more will do (never "bes|telling"). */
        if ((e.flags & (NL_F_NOUN | NL_F_ROOT | NL_F_WORD)) ==
                (NL_F_NOUN | NL_F_ROOT | NL_F_WORD) &&
            len >= 4)
            return len;
        /* A list-only word (no hunspell entry): usually itself a compound
         * ("glasvezel"); long enough to trust. */
        if (!(e.flags & NL_F_HUNSPELL) && (e.flags & NL_F_LIST) && len >= 5)
            return len;
    }
    /* Linking -s-: "betaling" + s, "overheid" + s. */
    if (len > MIN_PART && word[len - 1] == 's' &&
        lexicon_find(lex, word, len - 1, &e) &&
        (e.flags & (NL_F_LINK_S | NL_F_NOUN)) && (e.flags & NL_F_BEGIN))
        return len - 1;
    /* Linking -e-: "paddestoel". */
    if (len > MIN_PART + 1 && word[len - 1] == 'e' &&
        lexicon_has(lex, word, len - 1, NL_F_NOUN | NL_F_BEGIN))
        return len - 1;
    return 0;
}

/* Head check: a known word; returns its flags, 0 when it cannot be a
 * head. */
static uint16_t head_flags(const struct vb_nl_lexicon *lex, const char *word,
                           size_t len)
{
    struct nl_entry e;
    if (is_bound_head(word, len))
        return NL_F_WORD | NL_F_ADJ | NL_F_END;
    if (len < MIN_PART || !lexicon_find(lex, word, len, &e) ||
        !(e.flags & NL_F_WORD) ||
        in_list(non_heads, sizeof non_heads / sizeof *non_heads, word, len))
        return 0;
    return e.flags;
}

/* What the dictionary says about the whole word. */
struct whole_word {
    bool known; /* hunspell knows it (not only the word list) */
    bool noun, verb;
    bool separable; /* hunspell builds it from a verb particle */
    /* a separable verb form with no noun reading ("afgelopen"; not
     * "aanpak", which can begin a compound) */
    bool verb_only;
    /* a separable verb that is no dictionary entry of its own
     * ("doorgaan", "overnemen"; not "overschrijden", "omringen") */
    bool particle_verb;
    /* A word the dictionary lists as an entry of its own ("bestelling",
     * "kantoor", "doelpunt") is a lexical unit: split only into two long
     * parts ("betaling|s|regeling", "glasvezel|aansluiting") or particle +
     * verb.  This keeps simplex words whole at the price of leaving some
     * short lexicalised compounds unsplit (measured by
     * bench/eval_compounds).  Inflections of such entries are guarded
     * the same way ("culturen" is not "cult|uren"), so a word and its
     * inflections split alike. */
    bool lexical_unit;
};

static struct whole_word whole_word_of(const struct vb_nl_lexicon *lex,
                                       const char *word, size_t len)
{
    struct whole_word w = {0};
    struct nl_entry e;
    if (!lexicon_find(lex, word, len, &e) || !(e.flags & NL_F_HUNSPELL))
        return w;
    bool root = (e.flags & NL_F_ROOT) || term_is_root(lex, word, &e);
    w.known = true;
    w.noun = e.flags & NL_F_NOUN;
    w.verb = e.flags & NL_F_VERB;
    w.separable = e.flags & NL_F_SEPARABLE;
    w.verb_only =
        w.separable && !(e.flags & (NL_F_NOUN | NL_F_BEGIN | NL_F_END));
    w.particle_verb = w.separable && !root;
    w.lexical_unit = root;
    return w;
}

/* One way to cut the word: modifier word[0..mod) + link + head
 * word[start..len). */
struct cut {
    size_t start, mod;
    uint16_t head;   /* the head's flags */
    bool particle;   /* the modifier is a verb particle or adverb */
    bool ge_head;    /* the head begins with "ge" (a participle?) */
    bool bound_head; /* "jarig", "voudig", ... */
};

/* Particle + head: a separable verb ("aan|sluiten", "af|gelopen",
 * "op|nam"), or an adverb before a noun in a word the dictionary does not
 * hold ("tussen|klassering", "mede|auteur"). */
static bool particle_cut_ok(const struct vb_nl_lexicon *lex, const char *word,
                            size_t len, const struct whole_word *w,
                            const struct cut *c)
{
    size_t head_len = len - c->start;
    if (!w->known && c->start >= 4 && head_len >= 4 &&
        (c->head & (NL_F_END | NL_F_NOUN)))
        return true;
    /* A separable participle is a verb even where the dictionary also
     * lists it as a noun ("aan|gehouden", "mee|gemaakt"). */
    bool participle =
        c->ge_head &&
        (w->separable || (!w->noun && (c->head & (NL_F_VERB | NL_F_ADJ))));
    if (participle)
        return true;
    /* Verbs only: "aan|sluiten" is a split, "aansluiting", "aanval",
     * "voorsprong" are one word. */
    if (w->noun || !(c->head & NL_F_VERB))
        return false;
    /* A particle before a bare verb stem written as one word is a noun
     * made from the verb ("aanpak", "afloop", "invoer"): the verb's own
     * stem form stands apart ("ik pak het aan"). */
    struct nl_entry head;
    if (!w->verb_only && lexicon_find(lex, word + c->start, head_len, &head) &&
        head.strip == 0 && head.add_len == 0)
        return false;
    /* "over", "voor", "onder", "door", "om", "achter" also make
     * inseparable verbs ("overschrijden", "voorzien"): besides their
     * participles ("om|gehangen", above), split only a verb the
     * dictionary builds from the particle alone ("door|gaat"). */
    return !is_ambiguous_particle(word, c->start) || w->particle_verb;
}

/* Modifier + head, the modifier not a particle. */
static bool modifier_cut_ok(size_t len, const struct whole_word *w,
                            const struct cut *c)
{
    size_t head_len = len - c->start;
    /* Hunspell's compound-end flags are incomplete
     * ("muziek|conservatorium", "carnaval|vermomming"): in a word the
     * dictionary does not hold, a noun of five bytes or more after a
     * modifier of five or more will do. */
    bool long_noun =
        !w->known && (c->head & NL_F_NOUN) && c->mod >= 5 && head_len >= 5;
    if (!(c->head & NL_F_END) && !long_noun)
        return false;
    return !w->lexical_unit || c->bound_head ||
           (c->mod >= UNIT_PART_MIN && head_len >= UNIT_PART_MIN);
}

static bool split_word(const struct vb_nl_lexicon *lex, const char *word,
                       size_t len, bool nested, size_t *mod_len,
                       size_t *head_start);

/* A modifier that is itself a compound the lexicon does not hold, with or
 * without a linking -s- ("nobelprijs|winnaar",
 * "provincieraads|verkiezingen"): its own split ends in a noun.  Returns
 * the modifier's length without the link, or 0. */
static size_t compound_modifier_len(const struct vb_nl_lexicon *lex,
                                    const char *word, size_t len)
{
    for (size_t link = 0; link <= 1; link++) {
        size_t m = len - link, inner_mod, inner_head;
        if (m < 2 * MIN_PART || (link && word[m] != 's') ||
            lexicon_has(lex, word, m, NL_F_HUNSPELL))
            continue;
        if (split_word(lex, word, m, true, &inner_mod, &inner_head) &&
            lexicon_has(lex, word + inner_head, m - inner_head, NL_F_NOUN))
            return m;
    }
    return 0;
}

/* The modifier of a cut at `start` (0: none); sets c->particle. */
static size_t cut_modifier(const struct vb_nl_lexicon *lex, const char *word,
                           bool nested, const struct whole_word *w,
                           struct cut *c)
{
    size_t m = modifier_len(lex, word, c->start, &c->particle);
    if (m > 0 && c->particle)
        return m;
    if ((w->verb || c->ge_head) &&
        in_list(verb_particles, sizeof verb_particles / sizeof *verb_particles,
                word, c->start)) {
        c->particle = true;
        return c->start;
    }
    if (m == 0 && !w->known && c->start >= 2 * MIN_PART && !nested)
        m = compound_modifier_len(lex, word, c->start);
    /* Before a bound head any word will do ("frans|talig": the dictionary
     * writes "Frans"). */
    if (m == 0 && c->bound_head && !w->known && c->start >= 4)
        m = c->start;
    return m;
}

/* Finds the best split of word[0..len): sets the modifier length (without
 * link) and the head start.  A nested call (for a compound modifier) does
 * not look for compound modifiers again. */
static bool split_word(const struct vb_nl_lexicon *lex, const char *word,
                       size_t len, bool nested, size_t *mod_len,
                       size_t *head_start)
{
    /* a two-byte particle and a head: "op|nam" */
    if (len < 2 + MIN_PART || len > NL_WORD_MAX)
        return false;
    struct whole_word w = whole_word_of(lex, word, len);
    int best_score = -1;
    for (size_t start = MIN_PART - 1; start + MIN_PART <= len; start++) {
        /* only split between characters, never inside UTF-8 sequences */
        if (((unsigned char)word[start] & 0xC0) == 0x80)
            continue;
        struct cut c = {.start = start};
        c.head = head_flags(lex, word + start, len - start);
        if (!c.head)
            continue;
        c.ge_head = len - start > 4 && !memcmp(word + start, "ge", 2);
        c.bound_head = is_bound_head(word + start, len - start);
        c.mod = cut_modifier(lex, word, nested, &w, &c);
        if (c.mod == 0 || !(c.particle ? particle_cut_ok(lex, word, len, &w, &c)
                                       : modifier_cut_ok(len, &w, &c)))
            continue;
        size_t head_len = len - start;
        /* Prefer parts of four bytes or more, then the longest head:
         * "meester|stuk" over "meesters|tuk", "week|einde" over
         * "week|e|inde". */
        size_t shorter = c.mod < head_len ? c.mod : head_len;
        int score = (shorter >= 4 || c.particle ? 1000 : 0) + (int)head_len;
        if (score > best_score) {
            best_score = score;
            *mod_len = c.mod;
            *head_start = start;
        }
    }
    return best_score >= 0;
}

static bool find_split(const struct vb_nl_lexicon *lex, const char *word,
                       size_t len, size_t *mod_len, size_t *head_start)
{
    return split_word(lex, word, len, false, mod_len, head_start);
}

int vb_nl_split_compound(const struct vb_nl_lexicon *lexicon,
                         const char *word, size_t len, struct vb_span *parts,
                         int max_parts)
{
    if (!lexicon || !word || max_parts < 2)
        return 0;
    size_t mod_len, head_start;
    if (!find_split(lexicon, word, len, &mod_len, &head_start))
        return 0;
    parts[0].start = 0;
    parts[0].len = (uint16_t)mod_len;
    parts[1].start = (uint16_t)head_start;
    parts[1].len = (uint16_t)(len - head_start);
    return 2;
}

/* ---- Stemming ---------------------------------------------------------- */

static size_t copy_word(const char *word, size_t len, char *out, size_t cap)
{
    if (len + 1 > cap)
        return 0;
    memcpy(out, word, len);
    out[len] = '\0';
    return len;
}

size_t vb_nl_stem(const struct vb_nl_lexicon *lexicon,
                  struct sb_stemmer *snowball, const char *word, size_t len,
                  char *out, size_t cap)
{
    struct nl_entry e;
    if (!word || !out || cap == 0)
        return 0;
    if (lexicon && len <= NL_WORD_MAX) {
        bool known = lexicon_find(lexicon, word, len, &e) &&
                     (e.flags & NL_F_WORD);
        if (known && (e.flags & NL_F_HUNSPELL))
            return write_term("", 0, word, &e, out, cap);
        /* A compound: the modifier stays as written, the head is stemmed
         * ("glasvezelaansluitingen" -> "glasvezelaansluiting").  Words
         * only in the word list are mostly compounds: analyse them the
         * same way so that their inflections (which the list may lack)
         * meet them. */
        size_t mod_len, head_start;
        struct nl_entry head;
        /* (a bound head has no entry of its own: Snowball conflates
         * "zestienjarig" and "zestienjarige") */
        if (find_split(lexicon, word, len, &mod_len, &head_start) &&
            !is_bound_head(word + head_start, len - head_start) &&
            lexicon_find(lexicon, word + head_start, len - head_start, &head))
            return write_term(word, head_start, word + head_start, &head,
                              out, cap);
        if (known)
            return write_term("", 0, word, &e, out, cap);
    }
    if (!snowball)
        return copy_word(word, len, out, cap);
    const sb_symbol *stem =
        sb_stemmer_stem(snowball, (const sb_symbol *)word, (int)len);
    if (!stem)
        return 0;
    return copy_word((const char *)stem, (size_t)sb_stemmer_length(snowball),
                     out, cap);
}
