/* gen_nl_lexicon.c — build-time generator of the Dutch lexicon blob.
 *
 * Usage: gen_nl_lexicon NL_DIC NL_AFF WORDLIST OUT.bin
 *
 * Reads Debian's OpenTaal hunspell dictionary (nl.dic + nl.aff) and the
 * wdutch word list, expands the hunspell suffix and prefix rules, and
 * works out for every word form:
 *   - its part of speech and compound behaviour (hunspell flags),
 *   - its term: the form that all inflections of one lemma share (the
 *     singular of a noun, the base of an adjective, the stem of a verb:
 *     "huizen" -> "huis", "grotere" -> "groot", "verhuisde" -> "verhuis",
 *     "liep" -> "loop", "gelopen" -> "loop").
 *
 * Output: one little-endian blob (see the layout in dutch.c), embedded in
 * the library with .incbin.  This is a host tool: it prints and exits. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nl_lexicon_format.h"

#define HUNSPELL_TOOL "gen_nl_lexicon"
#include "hunspell_affix.h"

/* ---- The word table ----------------------------------------------------
 * Every word form gets one entry.  An entry collects analyses: as a
 * dictionary root with its flags, or derived from a root by a suffix (and
 * maybe a prefix).  Terms are resolved once everything is collected. */

enum analysis_kind {
    AN_ROOT,    /* a .dic entry */
    AN_DERIVED, /* root + suffix (+ separable-verb prefix) */
};

struct analysis {
    int kind;
    int root;        /* entry index of the root (AN_DERIVED) */
    int prefix_len;  /* bytes of separable prefix added in front */
    uint16_t pos;    /* NL_F_NOUN/ADJ/VERB bits of this analysis */
    char rootflags[8]; /* AN_ROOT: selected verb flags "V3","Vi","Ve" */
    int vstem, vinf, vpart;
};

struct entry {
    char *word;
    uint16_t flags;
    struct analysis *an;
    int an_n;
    int term;        /* resolved: entry index whose word is the term, or */
    char *term_str;  /* an explicit string (prefix + term) */
    int state;       /* 0 unresolved, 1 resolving, 2 done */
};

static struct entry *entries;
static int entry_count, entry_cap;
static int *table;
static uint32_t table_size;

static uint32_t hash_bytes(const char *s, size_t n)
{
    return vb_nl_hash((const unsigned char *)s, n);
}

static void table_grow(void);

static int lookup(const char *w)
{
    if (!table)
        return -1;
    size_t n = strlen(w);
    uint32_t h = hash_bytes(w, n) & (table_size - 1);
    while (table[h] >= 0) {
        if (strcmp(entries[table[h]].word, w) == 0)
            return table[h];
        h = (h + 1) & (table_size - 1);
    }
    return -1;
}

static int intern(const char *w)
{
    int e = lookup(w);
    if (e >= 0)
        return e;
    if ((uint32_t)(entry_count + 1) * 2 > table_size)
        table_grow();
    if (entry_count == entry_cap) {
        entry_cap = entry_cap ? entry_cap * 2 : 65536;
        entries = xrealloc(entries, (size_t)entry_cap * sizeof *entries);
    }
    e = entry_count++;
    memset(&entries[e], 0, sizeof entries[e]);
    entries[e].word = xstrdup(w);
    entries[e].term = -1;
    size_t n = strlen(w);
    uint32_t h = hash_bytes(w, n) & (table_size - 1);
    while (table[h] >= 0)
        h = (h + 1) & (table_size - 1);
    table[h] = e;
    return e;
}

static void table_grow(void)
{
    uint32_t size = table_size ? table_size * 2 : 1u << 20;
    int *t = xrealloc(NULL, size * sizeof *t);
    for (uint32_t i = 0; i < size; i++)
        t[i] = -1;
    free(table);
    table = t;
    table_size = size;
    for (int e = 0; e < entry_count; e++) {
        uint32_t h = hash_bytes(entries[e].word, strlen(entries[e].word)) &
                     (size - 1);
        while (table[h] >= 0)
            h = (h + 1) & (size - 1);
        table[h] = e;
    }
}

static void add_analysis(int e, const struct analysis *a)
{
    struct entry *en = &entries[e];
    en->an = xrealloc(en->an, (size_t)(en->an_n + 1) * sizeof *a);
    en->an[en->an_n++] = *a;
}

/* ---- Reading the dictionary ------------------------------------------- */

static uint16_t pos_of_flags(const char *flags)
{
    uint16_t pos = 0;
    for (size_t i = 0; flags[i] && flags[i + 1]; i += 2) {
        char a = flags[i], b = flags[i + 1];
        if ((a == 'Z' && b >= 'a' && b <= 'z') ||
            (a == 'Y' && b >= 'a' && b <= 'g'))
            pos |= NL_F_NOUN;
        else if (a == 'A' && b >= 'a' && b <= 'z')
            pos |= NL_F_ADJ;
        else if (a == 'V')
            pos |= NL_F_VERB;
    }
    return pos;
}

/* Compound flags carried by a form's flags (root flags or the
 * continuation flags of the suffix that made it). */
static uint16_t compound_flags(const char *flags)
{
    uint16_t f = 0;
    if (has_flag(flags, "Ca") || has_flag(flags, "Ce") ||
        has_flag(flags, "CA"))
        f |= NL_F_BEGIN;
    if (has_flag(flags, "Cc"))
        f |= NL_F_END;
    if (has_flag(flags, "Ch") || has_flag(flags, "Cd"))
        f |= NL_F_LINK_S;
    return f;
}

static void add_form(const uint32_t *w, int n, int root, int prefix_len,
                     const struct affix_rule *r, uint16_t root_pos,
                     uint16_t root_flags)
{
    char buf[MAXW * 4 + 1];
    if (utf32_to_8(w, n, buf, sizeof buf) < 0 || !is_plain_word(buf))
        return;
    int e = intern(buf);
    struct analysis a;
    memset(&a, 0, sizeof a);
    a.kind = AN_DERIVED;
    a.root = root;
    a.prefix_len = prefix_len;
    a.pos = root_pos;
    add_analysis(e, &a);
    /* A compound-only form ("betalings") is not a word of its own. */
    int only_compound = r && has_flag(r->cont, "Cx");
    uint16_t f = entries[e].flags;
    if (!only_compound)
        f |= NL_F_WORD | root_pos;
    else
        f |= NL_F_CXONLY;
    if (r)
        f |= compound_flags(r->cont) & NL_F_BEGIN;
    /* An inflected head ("aansluitingen") may end a compound when its root
     * may. */
    if (root_flags & NL_F_END)
        f |= NL_F_END;
    entries[e].flags = f;
}

static void load_dic(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die(strerror(errno), path);
    char line[1024];
    int first = 1;
    while (fgets(line, sizeof line, f)) {
        if (first) { /* the count line */
            first = 0;
            continue;
        }
        line[strcspn(line, "\r\n\t ")] = '\0';
        char *slash = strchr(line, '/');
        const char *flags = "";
        if (slash) {
            *slash = '\0';
            flags = slash + 1;
        }
        if (has_flag(flags, "Fw")) /* forbidden word */
            continue;
        uint32_t w[MAXW], out[MAXW], out2[MAXW];
        int n = utf8_to_32(line, w, MAXW);
        if (n <= 0)
            continue;
        char buf[MAXW * 4 + 1];
        if (utf32_to_8(w, n, buf, sizeof buf) < 0 || !is_plain_word(buf))
            continue;
        uint16_t pos = pos_of_flags(flags);
        uint16_t cflags = compound_flags(flags);
        int e = intern(buf);
        struct analysis a;
        memset(&a, 0, sizeof a);
        a.kind = AN_ROOT;
        a.pos = pos;
        /* Verb stems: V3 (-t), or the separable-prefix flags without being
         * an infinitive or participle ("sluit/PaPb..." takes no -t). */
        int pflags = 0;
        for (size_t i = 0; flags[i] && flags[i + 1]; i += 2)
            if (flags[i] == 'P' && flags[i + 1] >= 'a' && flags[i + 1] <= 't')
                pflags = 1;
        a.vstem = has_flag(flags, "V3") ||
                  (pflags && !has_flag(flags, "Vi") &&
                   !has_flag(flags, "Ve") && strncmp(buf, "ge", 2) != 0 &&
                   buf[strlen(buf) - 1] == 't');
        a.vinf = has_flag(flags, "Vi");
        a.vpart = has_flag(flags, "Ve");
        /* A compound-only root (flag Cx) is not a word of its own. */
        int only_compound = has_flag(flags, "Cx") &&
                            !has_flag(flags, "Cp");
        add_analysis(e, &a);
        entries[e].flags |= NL_F_ROOT | pos | cflags |
                            (only_compound ? NL_F_CXONLY : NL_F_WORD);
        /* Expand suffixes, then prefixes (with and without suffixes). */
        for (size_t i = 0; flags[i] && flags[i + 1]; i += 2) {
            char fl[3] = {flags[i], flags[i + 1], 0};
            struct affix_class *c = find_class(fl);
            if (!c || c->is_pfx)
                continue;
            for (int k = 0; k < c->n; k++) {
                int m = apply_sfx(&c->rules[k], w, n, out);
                if (m <= 0)
                    continue;
                add_form(out, m, e, 0, &c->rules[k], pos, cflags);
                /* Cross products with the word's prefixes. */
                for (size_t j = 0; flags[j] && flags[j + 1]; j += 2) {
                    char pf[3] = {flags[j], flags[j + 1], 0};
                    struct affix_class *p = find_class(pf);
                    if (!p || !p->is_pfx || !p->cross || !c->cross)
                        continue;
                    for (int q = 0; q < p->n; q++) {
                        int m2 = apply_pfx(&p->rules[q], out, m, out2);
                        if (m2 > 0) {
                            char pbuf[64];
                            int plen = utf32_to_8(p->rules[q].add,
                                                  p->rules[q].add_n, pbuf,
                                                  sizeof pbuf);
                            add_form(out2, m2, e, plen, &c->rules[k], pos,
                                     0);
                        }
                    }
                }
            }
        }
        for (size_t j = 0; flags[j] && flags[j + 1]; j += 2) {
            char pf[3] = {flags[j], flags[j + 1], 0};
            struct affix_class *p = find_class(pf);
            if (!p || !p->is_pfx)
                continue;
            for (int q = 0; q < p->n; q++) {
                int m2 = apply_pfx(&p->rules[q], w, n, out2);
                if (m2 > 0) {
                    char pbuf[64];
                    int plen = utf32_to_8(p->rules[q].add, p->rules[q].add_n,
                                          pbuf, sizeof pbuf);
                    /* "aanloop" is a verb stem of its own. */
                    add_form(out2, m2, e, plen, NULL, pos, 0);
                }
            }
        }
    }
    fclose(f);
}

static void load_wordlist(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die(strerror(errno), path);
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!is_plain_word(line) || strlen(line) > 96)
            continue;
        int e = intern(line);
        entries[e].flags |= NL_F_LIST;
        /* Words only in the list get a term too (themselves, or an
         * inflection rule's), but are marked so that compounds among them
         * are still analysed by their head at run time. */
    }
    fclose(f);
}

/* ---- Hand-written linguistic tables ----------------------------------
 * Strong and irregular verbs: infinitive, then its past tense and past
 * participle forms.  Irregular noun plurals: singular, then plural(s). */

static const char *const strong_verbs[] = {
    "bakken gebakken", "bannen gebannen", "barsten borst borsten geborsten",
    "bederven bedierf bedierven bedorven", "bedriegen bedroog bedrogen",
    "beginnen begon begonnen", "bevelen beval bevalen bevolen",
    "bezwijken bezweek bezweken", "bidden bad baden",
    "bieden bood boden geboden", "bijten beet beten gebeten",
    "binden bonden gebonden", "blazen blies bliezen geblazen",
    "blijken bleek bleken gebleken", "blijven bleef bleven gebleven",
    "blinken blonk blonken geblonken", "braden gebraden",
    "breken brak braken gebroken", "brengen bracht brachten gebracht",
    "brouwen gebrouwen", "buigen boog bogen gebogen",
    "delven dolf dolven gedolven", "denken dacht dachten gedacht",
    "dingen dong dongen gedongen", "doen deed deden gedaan",
    "dragen droeg droegen gedragen", "drijven dreef dreven gedreven",
    "dringen drong drongen gedrongen", "drinken dronk dronken gedronken",
    "druipen droop dropen gedropen", "duiken dook doken gedoken",
    "dwingen dwong dwongen gedwongen", "eten at aten gegeten",
    "fluiten floot floten gefloten", "gaan ging gingen gegaan",
    "gelden gold golden gegolden", "genezen genas genazen",
    "genieten genoot genoten", "geven gaf gegeven",
    "gieten gegoten", "glijden gleed gleden gegleden",
    "glimmen glom glommen geglommen", "graven gegraven",
    "grijpen greep grepen gegrepen", "hangen hing hingen gehangen",
    "hebben heb hebt heeft had hadden gehad", "heffen hief hieven geheven",
    "helpen hielp hielpen geholpen", "heten hete heette heetten geheten",
    "houden hield hielden gehouden", "jagen joeg joegen gejaagd",
    "kiezen koos kozen gekozen", "kijken keek keken gekeken",
    "klimmen klom klommen geklommen", "klinken klonk klonken geklonken",
    "knijpen kneep knepen geknepen", "komen kwam kwamen gekomen",
    "kopen kocht kochten gekocht", "krijgen kreeg kregen gekregen",
    "krimpen kromp krompen gekrompen", "kruipen kroop kropen gekropen",
    "kunnen kan kunt kon konden gekund", "lachen lachte lachten gelachen",
    "laden laadde laadden geladen", "laten liet lieten gelaten",
    "lezen las lazen gelezen", "liegen loog logen gelogen",
    "liggen lag gelegen", "lijden",
    "lijken leek leken geleken", "lopen liep liepen gelopen",
    "malen maalde maalden gemalen", "melken molk molken gemolken",
    "meten gemeten", "mijden meed meden gemeden",
    "moeten moest moesten gemoeten", "mogen mag mocht mochten gemogen",
    "nemen nam genomen", "prijzen prees prezen geprezen",
    "raden ried rieden geraden", "rijden reed gereden",
    "rijzen rees rezen gerezen", "roepen riep riepen geroepen",
    "ruiken rook roken geroken", "scheiden gescheiden",
    "schelden schold scholden gescholden", "schenden schond schonden geschonden",
    "schenken schonk schonken geschonken", "scheppen schiep schiepen geschapen",
    "scheren schoor schoren geschoren", "schieten schoot schoten geschoten",
    "schijnen scheen schenen geschenen", "schrijden schreed schreden geschreden",
    "schrijven schreef schreven geschreven", "schrikken schrok schrokken geschrokken",
    "schuiven schoof schoven geschoven", "slaan sloeg sloegen geslagen",
    "slapen sliep sliepen geslapen", "slijten sleet sleten gesleten",
    "slinken slonk slonken geslonken", "sluipen sloop slopen geslopen",
    "sluiten gesloten", "smelten smolt smolten gesmolten",
    "smijten smeet smeten gesmeten", "snijden sneed sneden gesneden",
    "spijten speet speten gespeten", "spinnen spon sponnen gesponnen",
    "splijten spleet spleten gespleten", "spreken sprak spraken gesproken",
    "springen sprong sprongen gesprongen", "spruiten sproot sproten gesproten",
    "staan stond stonden gestaan", "steken stak staken gestoken",
    "stelen gestolen", "sterven stierf stierven gestorven",
    "stijgen steeg stegen gestegen", "stinken stonk stonken gestonken",
    "stoten stootte stootten gestoten", "strijden streed streden gestreden",
    "strijken streek streken gestreken", "treden trad traden getreden",
    "treffen trof troffen getroffen", "trekken trok trokken getrokken",
    "vallen viel vielen gevallen", "vangen ving vingen gevangen",
    "varen gevaren", "vechten vocht vochten gevochten",
    "verbieden verbood verboden", "verdwijnen verdween verdwenen",
    "vergeten vergat vergaten", "verliezen verloor verloren",
    "vinden vond vonden gevonden", "vliegen vloog vlogen gevlogen",
    "vouwen gevouwen", "vragen vroegen gevraagd",
    "vriezen vroor vroren gevroren", "wassen waste wiesen gewassen",
    "wegen woog wogen gewogen", "werpen wierp wierpen geworpen",
    "werven wierf wierven geworven", "weten wist wisten geweten",
    "wijken week weken geweken", "wijzen gewezen",
    "willen wil wilt wou wilde wilden wouden gewild",
    "winden wond wonden gewonden", "winnen won wonnen gewonnen",
    "worden werd werden geworden", "zeggen zei zeiden gezegd",
    "zenden zond zonden gezonden", "zien zag gezien",
    "zijn ben bent is was waren geweest", "zingen zong zongen gezongen",
    "zinken zonk zonken gezonken", "zinnen zon zonnen gezonnen",
    "zitten zat zaten gezeten", "zoeken zocht zochten gezocht",
    "zuigen zoog zogen gezogen", "zullen zal zult zou zouden",
    "zwemmen zwom zwommen gezwommen", "zweren zwoer zwoeren gezworen",
    "zwijgen zweeg zwegen gezwegen", "kopen kocht kochten gekocht",
    "plegen placht plachten", "verzoeken verzocht verzochten",
    "bewegen bewoog bewogen", "wreken gewroken", "zwellen zwol zwollen gezwollen",
    "zuipen zoop zopen gezopen", "snuiten snoot snoten gesnoten",
    "bergen borg borgen geborgen", "zwerven zwierf zwierven gezworven",
    "verwerven verwierf verwierven verworven",
    "ontginnen ontgon ontgonnen", "beginnen begon begonnen",
};

static const char *const irregular_plurals[] = {
    "stad steden", "schip schepen", "lid leden", "smid smeden",
    "gebed gebeden", "kind kinderen", "ei eieren", "blad bladeren",
    "lam lammeren", "kalf kalveren", "rund runderen", "volk volkeren",
    "been beenderen", "lied liederen", "goed goederen", "gelid gelederen",
    "hoen hoenders", "koe koeien", "vlo vlooien", "gemoed gemoederen",
    "spel spelen", "weg wegen", "dag dagen", "slot sloten",
    "god goden", "hertog hertogen", "oorlog oorlogen", "lot loten",
    "dak daken", "gat gaten", "glas glazen", "graf graven",
    "hof hoven", "pad paden", "vat vaten", "bad baden", "bevel bevelen",
    "gebrek gebreken", "verdrag verdragen", "spel spellen",
    "aanbod aanbiedingen", "zegen zegeningen", "lof lofbetuigingen",
};

/* ---- Term resolution -------------------------------------------------- */

static int has_analysis_root(int e)
{
    for (int i = 0; i < entries[e].an_n; i++)
        if (entries[e].an[i].kind == AN_ROOT)
            return 1;
    return 0;
}

static int root_vstem(int e)
{
    if (e < 0)
        return 0;
    for (int i = 0; i < entries[e].an_n; i++)
        if (entries[e].an[i].kind == AN_ROOT && entries[e].an[i].vstem)
            return 1;
    return 0;
}

static int root_vinf(int e)
{
    if (e < 0)
        return 0;
    for (int i = 0; i < entries[e].an_n; i++) {
        const struct analysis *a = &entries[e].an[i];
        if (a->kind == AN_ROOT && a->vinf)
            return 1;
        /* "aanlopen": prefix + infinitive */
        if (a->kind == AN_DERIVED && a->prefix_len > 0 &&
            root_vinf(a->root) &&
            strlen(entries[e].word) ==
                a->prefix_len + strlen(entries[a->root].word))
            return 1;
    }
    return 0;
}

static int is_vstem_any(int e)
{
    if (e < 0)
        return 0;
    if (root_vstem(e))
        return 1;
    for (int i = 0; i < entries[e].an_n; i++) {
        const struct analysis *a = &entries[e].an[i];
        if (a->kind == AN_DERIVED && a->prefix_len > 0 &&
            root_vstem(a->root) &&
            strlen(entries[e].word) ==
                a->prefix_len + strlen(entries[a->root].word))
            return 1;
    }
    return 0;
}

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* The stem of an infinitive: "lopen" -> "loop", "zeggen" -> "zeg",
 * "verhuizen" -> "verhuis", "geven" -> "geef", "gaan" -> "ga", "openen" ->
 * "open"; validated against hunspell's verb stems, else against any known
 * word ("besluiten" -> "besluit").  -1 when none is known. */
static int verb_stem(const char *inf)
{
    size_t n = strlen(inf);
    char base[MAXW * 4 + 4];
    if (n < 3 || n > MAXW * 2)
        return -1;
    size_t k;
    if (n >= 4 && strcmp(inf + n - 2, "en") == 0 && !is_vowel(inf[n - 3]))
        k = n - 2;
    else if (inf[n - 1] == 'n' && is_vowel(inf[n - 2]))
        k = n - 1; /* gaan, doen, zien */
    else
        return -1;
    char cand[4][MAXW * 4 + 4];
    int nc = 0;
    memcpy(base, inf, k);
    base[k] = '\0';
    if (k >= 2 && base[k - 1] == base[k - 2] && !is_vowel(base[k - 1])) {
        /* closed syllable: zegg -> zeg */
        memcpy(cand[nc], base, k - 1);
        cand[nc][k - 1] = '\0';
        nc++;
    } else if (k >= 2 && base[k - 1] == base[k - 2] && base[k - 1] == 'a') {
        /* gaa(n) -> ga, slaa(n) -> sla */
        memcpy(cand[nc], base, k - 1);
        cand[nc][k - 1] = '\0';
        nc++;
    } else if (k >= 2 && !is_vowel(base[k - 1]) && is_vowel(base[k - 2]) &&
               (k < 3 || !is_vowel(base[k - 3]))) {
        /* open syllable: lop -> loop, kop -> koop (before "kop") */
        memcpy(cand[nc], base, k - 1);
        cand[nc][k - 1] = base[k - 2];
        cand[nc][k] = base[k - 1];
        cand[nc][k + 1] = '\0';
        nc++;
    }
    snprintf(cand[nc++], sizeof cand[0], "%s", base);
    for (int i = 0; i < nc; i++) {
        size_t m = strlen(cand[i]);
        if (m && cand[i][m - 1] == 'z')
            cand[i][m - 1] = 's';
        else if (m && cand[i][m - 1] == 'v')
            cand[i][m - 1] = 'f';
    }
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < nc; i++) {
            int e = lookup(cand[i]);
            if (e < 0)
                continue;
            if (pass == 0 ? is_vstem_any(e)
                          : (entries[e].flags & NL_F_WORD) != 0)
                return e;
        }
    return -1;
}

static const char *resolve(int e);

/* Term of a verb given its infinitive (an entry). */
static const char *verb_term_of_inf(int inf)
{
    int s = verb_stem(entries[inf].word);
    return s >= 0 ? entries[s].word : entries[inf].word;
}

static void set_term_str(int e, const char *t)
{
    if (strcmp(t, entries[e].word) == 0) {
        entries[e].term = e;
        return;
    }
    int te = lookup(t);
    if (te >= 0)
        entries[e].term = te;
    else
        entries[e].term_str = xstrdup(t);
}

/* Priority of analyses:
 *   1. a hand-written table (strong verbs, irregular plurals);
 *   2. the word is a noun or adjective in its own right ("kust", "gast",
 *      "ziekte" stay themselves);
 *   3. the word is a verb infinitive or stem: the verb stem;
 *   4. the word is an inflection of a root (suffix, maybe prefix);
 *   5. participles: ge-X-t/d, X-t/d, ge-X-en;
 *   6. otherwise the word itself. */
static const char **table_term; /* per entry: term string from tables */

/* Participle: "gewerkt" -> "werk", "verhuisd" -> "verhuis", "gelopen" ->
 * "loop".  NULL when the word is not one. */
static const char *participle_term(int e)
{
    const char *w = entries[e].word;
    size_t n = strlen(w);
    char cand[MAXW * 4 + 4];
    int is_part = 0;
    for (int i = 0; i < entries[e].an_n; i++)
        if (entries[e].an[i].kind == AN_ROOT && entries[e].an[i].vpart)
            is_part = 1;
    /* A flagless ge- word ("gegokt") is a participle too. */
    if (!is_part && strncmp(w, "ge", 2) == 0 &&
        !(entries[e].flags & (NL_F_NOUN | NL_F_ADJ)))
        is_part = 1;
    if (is_part && n >= 4 && (w[n - 1] == 't' || w[n - 1] == 'd')) {
        /* Without ge- first ("gebeurd" -> "gebeur", not "beur"); then with
         * ge- ("gewerkt" -> "werk"); a stem ending in t/d keeps it
         * ("geacht" -> "acht", "geoogst" -> "oogst"). */
        for (int ge = 0; ge <= 1; ge++) {
            if (ge && strncmp(w, "ge", 2) != 0)
                continue;
            size_t off = ge ? 2 : 0;
            for (size_t keep = 0; keep <= 1; keep++) {
                if (n - 1 + keep <= off + 1)
                    continue;
                const char *y = w + off;
                size_t yl = n - 1 + keep - off;
                const char *first = "";
                /* "geëxposeerd", "geïnitieerd" */
                if (ge && yl > 2 && (unsigned char)y[0] == 0xC3 &&
                    ((unsigned char)y[1] == 0xAB ||
                     (unsigned char)y[1] == 0xAF)) {
                    first = (unsigned char)y[1] == 0xAB ? "e" : "i";
                    y += 2;
                    yl -= 2;
                }
                snprintf(cand, sizeof cand, "%s%.*s", first, (int)yl, y);
                int s = lookup(cand);
                if (s >= 0 && s != e && is_vstem_any(s))
                    return entries[s].word;
            }
        }
    }
    if (n >= 6 && strncmp(w, "ge", 2) == 0 && strcmp(w + n - 2, "en") == 0) {
        int s = lookup(w + 2);
        if (s >= 0 && root_vinf(s))
            return resolve(s);
    }
    return NULL;
}

/* A stem ending a participle: "ge" + stem + t/d (or the stem's own final
 * t/d), with "geë"/"geï" read as ge + e/i ("geëxposeerd").  Writes the
 * candidate stems for `prefix` + stem into the callback's check. */
static const char *separable_participle_term(int e)
{
    const char *w = entries[e].word;
    size_t n = strlen(w);
    char cand[MAXW * 4 + 8];
    if (n < 6 || (w[n - 1] != 't' && w[n - 1] != 'd'))
        return NULL;
    /* prefix length pl: 0 ("geëxposeerd") or >= 2 ("opgericht") */
    for (size_t pl = 0; pl + 4 < n; pl = pl ? pl + 1 : 2) {
        if (strncmp(w + pl, "ge", 2) != 0)
            continue;
        const char *y = w + pl + 2;
        size_t yl = n - pl - 2;
        char first[3] = {0};
        if ((unsigned char)y[0] == 0xC3 && ((unsigned char)y[1] == 0xAB ||
                                            (unsigned char)y[1] == 0xAF)) {
            first[0] = (unsigned char)y[1] == 0xAB ? 'e' : 'i';
            y += 2;
            yl -= 2;
        } else if (pl == 0) {
            continue; /* plain ge- is participle_term's job */
        }
        for (size_t keep = 0; keep <= 1; keep++) {
            if (yl - 1 + keep < 2)
                continue;
            snprintf(cand, sizeof cand, "%.*s%s%.*s", (int)pl, w, first,
                     (int)(yl - 1 + keep), y);
            int s = lookup(cand);
            if (s >= 0 && s != e && is_vstem_any(s))
                return resolve(s);
        }
    }
    return NULL;
}

static int is_adj_form(int e)
{
    return e >= 0 && (entries[e].flags & NL_F_WORD) &&
           (entries[e].flags & NL_F_ADJ);
}

/* Inflections of words hunspell does not list ("anderen", "klassieken",
 * "grotere", "belangen", "hoeveelheden"): strip a suffix and look for a
 * known noun or adjective. */
static const char *separable_participle_term(int e);

static const char *list_inflection_term(int e)
{
    const char *w = entries[e].word;
    size_t n = strlen(w);
    char cand[MAXW * 4 + 8];
    if (n >= 6 && strncmp(w, "ge", 2) == 0 &&
        (w[n - 1] == 't' || w[n - 1] == 'd')) {
        for (size_t keep = 0; keep <= 1; keep++) {
            snprintf(cand, sizeof cand, "%.*s", (int)(n - 3 + keep), w + 2);
            int s = lookup(cand);
            if (s >= 0 && s != e && is_vstem_any(s))
                return resolve(s);
        }
    }
    const char *sep = separable_participle_term(e);
    if (sep)
        return sep;
    if (n >= 8 && strcmp(w + n - 5, "heden") == 0) {
        snprintf(cand, sizeof cand, "%.*sheid", (int)(n - 5), w);
        int s = lookup(cand);
        if (s >= 0 && (entries[s].flags & NL_F_WORD))
            return resolve(s);
    }
    /* adjective + n/s/e: anderen -> andere, klassieken -> klassieke,
     * grotere -> groter */
    if (n >= 5 && (w[n - 1] == 'n' || w[n - 1] == 's' || w[n - 1] == 'e')) {
        snprintf(cand, sizeof cand, "%.*s", (int)(n - 1), w);
        int s = lookup(cand);
        if (is_adj_form(s))
            return resolve(s);
    }
    /* noun plurals: belangen -> belang, -s */
    if (n >= 6 && strcmp(w + n - 2, "en") == 0) {
        snprintf(cand, sizeof cand, "%.*s", (int)(n - 2), w);
        int s = lookup(cand);
        if (s >= 0 && (entries[s].flags & NL_F_NOUN) &&
            (entries[s].flags & NL_F_ROOT))
            return resolve(s);
    }
    if (n >= 5 && w[n - 1] == 's') {
        snprintf(cand, sizeof cand, "%.*s", (int)(n - 1), w);
        int s = lookup(cand);
        if (s >= 0 && (entries[s].flags & NL_F_NOUN) &&
            (entries[s].flags & NL_F_ROOT))
            return resolve(s);
    }
    return NULL;
}

static const char *resolve(int e)
{
    struct entry *en = &entries[e];
    if (en->state == 2)
        return en->term >= 0 ? entries[en->term].word : en->term_str;
    if (en->state == 1) /* cycle: fall back to the word itself */
        return en->word;
    en->state = 1;
    const char *result = NULL;
    char buf[MAXW * 8];
    int noun_adj_root = 0, part_root = 0;
    for (int i = 0; i < en->an_n; i++) {
        const struct analysis *a = &en->an[i];
        if (a->kind == AN_ROOT && (a->pos & (NL_F_NOUN | NL_F_ADJ)) &&
            !a->vpart)
            noun_adj_root = 1;
        if (a->kind == AN_ROOT && a->vpart)
            part_root = 1;
    }

    if (table_term[e]) {
        result = table_term[e];
        goto done;
    }
    /* A participle, unless the word is also a noun or adjective of its own
     * ("bekend") -- a ge- participle is a verb form even when hunspell
     * also lets it take adjective endings ("gedateerd"). */
    if (part_root && (!noun_adj_root || strncmp(en->word, "ge", 2) == 0)) {
        result = participle_term(e);
        if (!result)
            result = separable_participle_term(e); /* "opgezegd" */
        if (result)
            goto done;
    }
    /* A verb infinitive: the verb stem, also when the same word is a noun
     * ("leven", "horen", "gebeuren"): its inflections are the verb's. */
    for (int i = 0; i < en->an_n && !result; i++)
        if (en->an[i].kind == AN_ROOT && en->an[i].vinf) {
            int s = verb_stem(en->word);
            if (s >= 0)
                result = entries[s].word;
        }
    if (result)
        goto done;
    /* The word is a noun or adjective in its own right: itself. */
    if (noun_adj_root || part_root) {
        result = en->word;
        goto done;
    }
    /* Inflected: suffixes first, then separable prefix + root. */
    for (int pass = 0; pass < 2 && !result; pass++)
        for (int i = 0; i < en->an_n && !result; i++) {
            const struct analysis *a = &en->an[i];
            if (a->kind != AN_DERIVED || (a->prefix_len > 0) != pass)
                continue;
            const char *rt = resolve(a->root);
            if (a->prefix_len > 0) {
                snprintf(buf, sizeof buf, "%.*s%s", a->prefix_len, en->word,
                         rt);
                result = buf;
            } else {
                result = rt;
            }
        }
    if (result)
        goto done;
    /* A verb stem or infinitive as a root (no other reading). */
    for (int i = 0; i < en->an_n && !result; i++) {
        const struct analysis *a = &en->an[i];
        if (a->kind == AN_ROOT && a->vinf)
            result = verb_term_of_inf(e);
        else if (a->kind == AN_ROOT && a->vstem)
            result = en->word;
    }
    if (result)
        goto done;
    if (has_analysis_root(e))
        result = participle_term(e);
    if (!result)
        result = separable_participle_term(e);
    /* A root without part-of-speech flags ("meisjes", "kinderen" are
     * listed as words of their own): the rules for list-only words. */
    if (!result)
        result = list_inflection_term(e);
    if (!result)
        result = en->word;
done:
    set_term_str(e, result);
    en->state = 2;
    return en->term >= 0 ? entries[en->term].word : en->term_str;
}

static const char **table_inf; /* per entry: infinitive (strong verbs) */

static void apply_tables(void)
{
    table_term = xrealloc(NULL, (size_t)entry_count * sizeof *table_term);
    table_inf = xrealloc(NULL, (size_t)entry_count * sizeof *table_inf);
    for (int e = 0; e < entry_count; e++) {
        table_term[e] = NULL;
        table_inf[e] = NULL;
    }
    for (size_t i = 0; i < sizeof strong_verbs / sizeof *strong_verbs; i++) {
        char line[256];
        snprintf(line, sizeof line, "%s", strong_verbs[i]);
        char *save = NULL;
        char *inf = strtok_r(line, " ", &save);
        int ie = lookup(inf);
        if (ie < 0)
            continue;
        int s = verb_stem(inf);
        const char *term = xstrdup(s >= 0 ? entries[s].word : inf);
        const char *inf_copy = xstrdup(inf);
        table_term[ie] = term;
        table_inf[ie] = inf_copy;
        for (char *f = strtok_r(NULL, " ", &save); f;
             f = strtok_r(NULL, " ", &save)) {
            int fe = lookup(f);
            if (fe < 0)
                continue;
            table_term[fe] = term;
            table_inf[fe] = inf_copy;
        }
    }
    for (size_t i = 0;
         i < sizeof irregular_plurals / sizeof *irregular_plurals; i++) {
        char line[256];
        snprintf(line, sizeof line, "%s", irregular_plurals[i]);
        char *save = NULL;
        char *sg = strtok_r(line, " ", &save);
        if (lookup(sg) < 0)
            continue;
        const char *term = xstrdup(sg);
        for (char *f = strtok_r(NULL, " ", &save); f;
             f = strtok_r(NULL, " ", &save)) {
            int fe = lookup(f);
            if (fe >= 0)
                table_term[fe] = term;
        }
    }
}

/* Prefixed strong verb forms ("verliep", "deelnam", "opgegeten"):
 * anything + a table form, when that anything + the table infinitive is a
 * known infinitive ("verlopen", "deelnemen", "opeten"). */
static void apply_prefixed_tables(void)
{
    for (int e = 0; e < entry_count; e++) {
        if (table_term[e] || (entries[e].flags & NL_F_NOUN))
            continue;
        int derived = 0;
        for (int i = 0; i < entries[e].an_n; i++)
            if (entries[e].an[i].kind == AN_DERIVED || entries[e].an[i].vinf ||
                entries[e].an[i].vpart)
                derived = 1;
        if (derived)
            continue;
        const char *w = entries[e].word;
        size_t n = strlen(w);
        for (size_t pl = 2; pl + 2 <= n; pl++) {
            int rest = lookup(w + pl);
            if (rest < 0 || !table_inf[rest]) {
                /* inseparable prefix: "ontdaan" = ont + (ge)daan */
                char ge[MAXW * 4 + 4];
                snprintf(ge, sizeof ge, "ge%s", w + pl);
                rest = lookup(ge);
            }
            if (rest < 0 || !table_inf[rest])
                continue;
            /* an adjective only when it is a participle ("aangesloten") */
            if ((entries[e].flags & NL_F_ADJ) &&
                strncmp(entries[rest].word, "ge", 2) != 0)
                continue;
            char inf[MAXW * 4 + 8];
            snprintf(inf, sizeof inf, "%.*s%s", (int)pl, w, table_inf[rest]);
            int ie = lookup(inf);
            if (ie < 0 || !root_vinf(ie))
                continue;
            int s = verb_stem(inf);
            table_term[e] = xstrdup(s >= 0 ? entries[s].word : inf);
            break;
        }
    }
}

/* ---- Output ------------------------------------------------------------ */

static void put_u32(FILE *f, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8),
                          (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
    fwrite(b, 1, 4, f);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s NL_DIC NL_AFF WORDLIST OUT.bin\n",
                argv[0]);
        return 2;
    }
    load_aff(argv[2]);
    load_dic(argv[1]);
    load_wordlist(argv[3]);
    apply_tables();
    apply_prefixed_tables();

    /* Records. */
    size_t rec_cap = 1u << 24, rec_len = 0;
    unsigned char *rec = xrealloc(NULL, rec_cap);
    uint32_t *offsets = xrealloc(NULL, (size_t)entry_count * sizeof *offsets);
    int kept = 0;
    for (int e = 0; e < entry_count; e++) {
        offsets[e] = UINT32_MAX;
        struct entry *en = &entries[e];
        size_t wl = strlen(en->word);
        if (wl > NL_WORD_MAX)
            continue;
        uint16_t flags = en->flags;
        const char *term = en->word;
        if (en->an_n > 0)
            flags |= NL_F_HUNSPELL;
        if (!(flags & NL_F_WORD) && en->an_n == 0 &&
            (table_term[e] || list_inflection_term(e)))
            flags |= NL_F_WORD; /* a list-only word a rule understands */
        if (flags & NL_F_WORD)
            term = resolve(e);
        /* Verb forms (the compound splitter lets a particle precede one:
         * "af|gelopen"). */
        for (int i = 0; i < en->an_n; i++)
            if (en->an[i].kind == AN_ROOT &&
                (en->an[i].vinf || en->an[i].vstem || en->an[i].vpart))
                flags |= NL_F_VERB;
        if (table_inf[e])
            flags |= NL_F_VERB;
        if (flags & NL_F_WORD) {
            /* resolved to a verb stem by a rule ("opgeroepen" -> "oproep") */
            int te = lookup(term);
            if (te >= 0 && te != e && is_vstem_any(te) &&
                !(flags & NL_F_NOUN))
                flags |= NL_F_VERB;
        }
        for (int i = 0; i < en->an_n; i++)
            if (en->an[i].kind == AN_DERIVED && en->an[i].prefix_len > 0)
                flags |= NL_F_SEPARABLE | NL_F_VERB;
        size_t tl = strlen(term);
        size_t common = 0;
        while (common < wl && common < tl && en->word[common] == term[common])
            common++;
        size_t strip = wl - common, add = tl - common;
        if (strip > 255 || add > 255 || tl > NL_WORD_MAX)
            continue;
        if (rec_len + wl + add + 8 > rec_cap) {
            rec_cap *= 2;
            rec = xrealloc(rec, rec_cap);
        }
        offsets[e] = (uint32_t)rec_len;
        rec[rec_len++] = (unsigned char)wl;
        memcpy(rec + rec_len, en->word, wl);
        rec_len += wl;
        rec[rec_len++] = (unsigned char)(flags & 0xFF);
        rec[rec_len++] = (unsigned char)(flags >> 8);
        rec[rec_len++] = (unsigned char)strip;
        rec[rec_len++] = (unsigned char)add;
        memcpy(rec + rec_len, term + common, add);
        rec_len += add;
        kept++;
    }
    uint32_t slots = 1;
    while (slots < (uint32_t)kept + (uint32_t)kept / 3)
        slots <<= 1;
    uint32_t *slot = xrealloc(NULL, slots * sizeof *slot);
    memset(slot, 0, slots * sizeof *slot);
    for (int e = 0; e < entry_count; e++) {
        if (offsets[e] == UINT32_MAX)
            continue;
        uint32_t h = hash_bytes(entries[e].word, strlen(entries[e].word)) &
                     (slots - 1);
        while (slot[h])
            h = (h + 1) & (slots - 1);
        slot[h] = offsets[e] + 1;
    }
    FILE *out = fopen(argv[4], "wb");
    if (!out)
        die(strerror(errno), argv[4]);
    put_u32(out, NL_BLOB_MAGIC);
    put_u32(out, NL_BLOB_VERSION);
    put_u32(out, slots);
    put_u32(out, (uint32_t)rec_len);
    for (uint32_t i = 0; i < slots; i++)
        put_u32(out, slot[i]);
    fwrite(rec, 1, rec_len, out);
    if (fclose(out) != 0)
        die(strerror(errno), argv[4]);
    fprintf(stderr, "gen_nl_lexicon: %d forms, %u slots, %zu bytes\n", kept,
            slots, 16 + (size_t)slots * 4 + rec_len);
    return 0;
}
