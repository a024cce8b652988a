/* stopwords.c — per-language function words.
 *
 * Conservative on purpose: negations ("niet", "pas", "not", "geen") and
 * anything that can carry meaning in a customer-service question stay
 * searchable.  Question words and the modal verbs of a question ("hoe",
 * "comment", "peut", "how", "can") are function words here too: they say
 * that something is asked, not what.  Stopwords are still indexed (a query made only of them must
 * find something); the chain flags them so that ranking can ignore them.
 * The lists are accent-folded and sorted (binary search). */
#include "analysis_int.h"

#include <stdlib.h>
#include <string.h>

static const char *const dutch[] = {
    "aan", "al", "als", "bij", "daar", "dan", "dat", "de", "deze", "die",
    "dit", "door", "dus", "een", "en", "er", "haar", "had", "hebben", "heeft",
    "hem", "het", "hier", "hij", "hoe", "hun", "ik", "in", "is", "je", "jij",
    "kan", "kun", "kunnen", "kunt", "maar", "mag", "me", "men", "met", "mij",
    "mijn", "moet", "moeten", "naar", "nog", "of", "om", "ons", "onze", "ook",
    "op", "te", "toch", "u", "uit", "van", "voor", "waar", "waarom",
    "wanneer", "want", "waren", "was", "wat", "we", "wel", "welk", "welke",
    "werd", "wie", "wij", "wil", "wilt", "worden", "wordt", "zal", "ze",
    "zij", "zijn", "zo", "zou",
};

static const char *const french[] = {
    "a", "ai", "as", "au", "aux", "avec", "avez", "avons", "c", "car", "ce",
    "ces", "cet", "cette", "comment", "d", "dans", "de", "des", "dois",
    "doit", "doivent", "donc", "du", "elle", "elles", "en", "est", "et",
    "ete", "eux", "faut", "il", "ils", "j", "je", "l", "la", "le", "les",
    "leur", "leurs", "lui", "m", "ma", "mais", "me", "mes", "mon", "nos",
    "notre", "nous", "on", "ont", "ou", "par", "peut", "peuvent", "pour",
    "pourquoi", "pouvez", "puis", "qu", "quand", "que", "quel", "quelle",
    "quelles", "quels", "qui", "quoi", "s", "sa", "se", "ses", "si", "son",
    "sont", "sur", "t", "ta", "te", "tes", "ton", "un", "une", "vos", "votre",
    "vous", "y",
};

static const char *const english[] = {
    "a", "am", "an", "and", "are", "as", "at", "be", "been", "being", "by",
    "can", "could", "did", "do", "does", "for", "from", "had", "has", "have",
    "he", "her", "here", "his", "how", "i", "if", "in", "is", "it", "its",
    "may", "me", "might", "must", "my", "of", "on", "or", "our", "shall",
    "she", "should", "so", "than", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "those", "to", "us", "was", "we",
    "were", "what", "when", "where", "which", "who", "whom", "whose", "why",
    "will", "with", "would", "you", "your",
};

struct key {
    const char *word;
    size_t len;
};

static int compare(const void *k, const void *element)
{
    const struct key *key = k;
    const char *word = *(const char *const *)element;
    size_t wlen = strlen(word);
    int c = memcmp(key->word, word, key->len < wlen ? key->len : wlen);
    if (c != 0)
        return c;
    return key->len < wlen ? -1 : key->len > wlen;
}

bool vb_is_stopword(enum vb_lang lang, const char *word, size_t len)
{
    const char *const *list;
    size_t count;
    switch (lang) {
    case VB_LANG_NL: list = dutch, count = sizeof dutch / sizeof *dutch; break;
    case VB_LANG_FR: list = french, count = sizeof french / sizeof *french; break;
    case VB_LANG_EN: list = english, count = sizeof english / sizeof *english; break;
    default: return false;
    }
    struct key key = {word, len};
    return bsearch(&key, list, count, sizeof *list, compare) != NULL;
}
