/* tokenize.c — splits valid UTF-8 text into words with byte offsets. */
#include "analysis_int.h"

#include <utf8proc.h>

enum char_class { CHAR_OTHER, CHAR_WORD, CHAR_IGNORABLE, CHAR_APOSTROPHE,
                  CHAR_HYPHEN };

static enum char_class classify(utf8proc_int32_t cp)
{
    if (cp < 0x80) {
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
            (cp >= '0' && cp <= '9'))
            return CHAR_WORD;
        if (cp == '\'')
            return CHAR_APOSTROPHE;
        if (cp == '-')
            return CHAR_HYPHEN;
        return CHAR_OTHER;
    }
    switch (cp) {
    case 0x2018: case 0x2019: case 0x02BC: return CHAR_APOSTROPHE;
    case 0x2010: case 0x2011: return CHAR_HYPHEN;
    }
    const utf8proc_property_t *prop = utf8proc_get_property(cp);
    if (prop->ignorable)
        return CHAR_IGNORABLE;
    switch (prop->category) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return CHAR_WORD;
    default:
        return CHAR_OTHER;
    }
}

/* ASCII letters and digits: the common case, decided on the byte (the
 * classes are those of classify()). */
#define W(c) [c] = true
static const bool ascii_word_byte[256] = {
    W('0'), W('1'), W('2'), W('3'), W('4'), W('5'), W('6'), W('7'), W('8'),
    W('9'), W('A'), W('B'), W('C'), W('D'), W('E'), W('F'), W('G'), W('H'),
    W('I'), W('J'), W('K'), W('L'), W('M'), W('N'), W('O'), W('P'), W('Q'),
    W('R'), W('S'), W('T'), W('U'), W('V'), W('W'), W('X'), W('Y'), W('Z'),
    W('a'), W('b'), W('c'), W('d'), W('e'), W('f'), W('g'), W('h'), W('i'),
    W('j'), W('k'), W('l'), W('m'), W('n'), W('o'), W('p'), W('q'), W('r'),
    W('s'), W('t'), W('u'), W('v'), W('w'), W('x'), W('y'), W('z')};
#undef W

static bool ascii_word(unsigned char c)
{
    return ascii_word_byte[c];
}

/* The ASCII bytes between words: every one that is not a letter or
 * digit (none of them starts a word, and none is ignorable). */
static bool ascii_gap(unsigned char c)
{
    return c < 0x80 && !ascii_word_byte[c];
}

/* Decodes the code point at text[pos]; returns its class and byte length. */
static enum char_class next_char(const char *text, size_t len, size_t pos,
                                 size_t *char_len)
{
    unsigned char c = (unsigned char)text[pos];
    if (c < 0x80) {
        *char_len = 1;
        return classify(c);
    }
    /* U+00C0..U+00FF (0xC3 0x80..0xBF), the accented letters of French
     * and Dutch, are all letters but for U+00D7 and U+00F7 (× and ÷). */
    if (c == 0xC3 && pos + 1 < len) {
        unsigned char d = (unsigned char)text[pos + 1];
        if (d >= 0x80 && d <= 0xBF && d != 0x97 && d != 0xB7) {
            *char_len = 2;
            return CHAR_WORD;
        }
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)text + pos,
                                          (utf8proc_ssize_t)(len - pos), &cp);
    if (n <= 0) { /* cannot happen on validated text; be safe anyway */
        *char_len = 1;
        return CHAR_OTHER;
    }
    *char_len = (size_t)n;
    return classify(cp);
}

bool vb_next_token(const char *text, size_t len, size_t *pos,
                   struct vb_raw_token *token)
{
    size_t i = *pos, char_len;

    /* Skip to the first word character. */
    for (;;) {
        while (i < len && ascii_gap((unsigned char)text[i]))
            i++;
        if (i >= len || (unsigned char)text[i] < 0x80 ||
            next_char(text, len, i, &char_len) == CHAR_WORD)
            break;
        i += char_len;
    }
    if (i >= len) {
        *pos = len;
        return false;
    }

    token->start = i;
    token->segment_count = 1;
    token->segments[0].start = i;
    token->segments[0].joiner_before = 0;
    for (;;) {
        /* Extend the current segment over word and ignorable characters. */
        size_t end = i;
        enum char_class cls;
        while (i < len) {
            if ((unsigned char)text[i] < 0x80) {
                if (!ascii_word((unsigned char)text[i]))
                    break; /* no ASCII character is ignorable */
                /* A run of ASCII letters and digits, byte by byte. */
                while (++i < len && ascii_word((unsigned char)text[i]))
                    ;
                end = i;
                continue;
            }
            cls = next_char(text, len, i, &char_len);
            if (cls != CHAR_WORD && cls != CHAR_IGNORABLE)
                break;
            i += char_len;
            if (cls == CHAR_WORD)
                end = i;
        }
        int k = token->segment_count - 1;
        token->segments[k].end = end;
        token->end = end;
        i = end; /* trailing ignorables do not belong to the token */

        /* A single joiner followed by a word character starts a new
         * segment; anything else ends the token. */
        if (i >= len || token->segment_count == VB_SEGMENTS_MAX ||
            (text[i] != '\'' && text[i] != '-' &&
             (unsigned char)text[i] < 0x80))
            break;
        cls = next_char(text, len, i, &char_len);
        if (cls != CHAR_APOSTROPHE && cls != CHAR_HYPHEN)
            break;
        size_t after = i + char_len, after_len;
        if (after >= len ||
            next_char(text, len, after, &after_len) != CHAR_WORD)
            break;
        token->segments[k + 1].start = after;
        token->segments[k + 1].joiner_before =
            cls == CHAR_APOSTROPHE ? '\'' : '-';
        token->segment_count++;
        i = after;
    }
    *pos = token->end;
    return true;
}

bool vb_scan_token(const char *text, size_t len, size_t *pos, size_t *start,
                   size_t *end)
{
    struct vb_raw_token token;
    if (!vb_next_token(text, len, pos, &token))
        return false;
    *start = token.start;
    *end = token.end;
    return true;
}
