/* hunspell_affix.h — the hunspell affix engine of the build-time lexicon
 * generators (gen_nl_lexicon, gen_lemma_lexicon): reading an .aff file's
 * PFX/SFX classes with their conditions, and applying a rule to a word.
 * Host tools only: it prints and exits on errors.  Define HUNSPELL_TOOL
 * (the program's name, for messages) before including it. */
#ifndef VB_HUNSPELL_AFFIX_H
#define VB_HUNSPELL_AFFIX_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Small utilities ------------------------------------------------- */

static void die(const char *msg, const char *arg)
{
    fprintf(stderr, HUNSPELL_TOOL ": %s%s%s\n", msg, arg ? ": " : "",
            arg ? arg : "");
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die("out of memory", NULL);
    return q;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = xrealloc(NULL, n);
    memcpy(d, s, n);
    return d;
}

/* UTF-8 <-> UTF-32 for the affix engine (conditions are per character). */
static int utf8_to_32(const char *s, uint32_t *out, int cap)
{
    int n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t c;
        int extra;
        if (*p < 0x80) {
            c = *p;
            extra = 0;
        } else if ((*p & 0xE0) == 0xC0) {
            c = *p & 0x1F;
            extra = 1;
        } else if ((*p & 0xF0) == 0xE0) {
            c = *p & 0x0F;
            extra = 2;
        } else {
            c = *p & 0x07;
            extra = 3;
        }
        p++;
        for (int i = 0; i < extra && (*p & 0xC0) == 0x80; i++, p++)
            c = (c << 6) | (*p & 0x3F);
        if (n >= cap)
            return -1;
        out[n++] = c;
    }
    return n;
}

/* Writes UTF-8; the ligature ĳ/Ĳ becomes "ij"/"IJ" (ICONV/OCONV in nl.aff:
 * our input always spells it with two letters; no other language's
 * dictionary holds it). */
static int utf32_to_8(const uint32_t *s, int n, char *out, int cap)
{
    int o = 0;
    for (int i = 0; i < n; i++) {
        uint32_t c = s[i];
        char buf[4];
        int k;
        if (c == 0x133 || c == 0x132) {
            if (o + 2 >= cap)
                return -1;
            out[o++] = c == 0x133 ? 'i' : 'I';
            out[o++] = c == 0x133 ? 'j' : 'J';
            continue;
        }
        if (c < 0x80) {
            buf[0] = (char)c;
            k = 1;
        } else if (c < 0x800) {
            buf[0] = (char)(0xC0 | (c >> 6));
            buf[1] = (char)(0x80 | (c & 0x3F));
            k = 2;
        } else if (c < 0x10000) {
            buf[0] = (char)(0xE0 | (c >> 12));
            buf[1] = (char)(0x80 | ((c >> 6) & 0x3F));
            buf[2] = (char)(0x80 | (c & 0x3F));
            k = 3;
        } else {
            buf[0] = (char)(0xF0 | (c >> 18));
            buf[1] = (char)(0x80 | ((c >> 12) & 0x3F));
            buf[2] = (char)(0x80 | ((c >> 6) & 0x3F));
            buf[3] = (char)(0x80 | (c & 0x3F));
            k = 4;
        }
        if (o + k >= cap)
            return -1;
        memcpy(out + o, buf, (size_t)k);
        o += k;
    }
    out[o] = '\0';
    return o;
}

/* A word we keep: lower-case letters only (ASCII a-z or any non-ASCII
 * letter; hunspell's lists hold no non-letter non-ASCII characters except
 * punctuation we reject here). */
static int is_plain_word(const char *w)
{
    if (!*w)
        return 0;
    for (const unsigned char *p = (const unsigned char *)w; *p; p++) {
        if (*p >= 'a' && *p <= 'z')
            continue;
        if (*p >= 0x80) {
            /* reject typographic apostrophes and the like (U+2019 etc.) */
            if (*p == 0xE2)
                return 0;
            continue;
        }
        return 0;
    }
    return 1;
}

/* ---- Affix rules ------------------------------------------------------ */

#define MAXW 128

struct cond_item {
    int neg;      /* [^...] */
    int any;      /* . */
    int n;        /* members */
    uint32_t set[40];
};

struct affix_rule {
    uint32_t strip[16];
    int strip_n;
    uint32_t add[32];
    int add_n;
    struct cond_item cond[8];
    int cond_n;
    char cont[64];     /* continuation flags, pairs of chars */
    char tag[16];      /* "NN2", "VB3", ... first ts: tag */
};

/* Flags are two characters with "FLAG long" in the .aff file (nl, fr),
 * one otherwise (en_US). */
static int flag_width = 1;
/* FULLSTRIP: a suffix rule may strip the whole word ("être" -> "suis"). */
static int full_strip;
/* The NEEDAFFIX flag (an entry that is not a word by itself) and the
 * FORBIDDENWORD flag; "" when the .aff file names none. */
static char needaffix_flag[3], forbidden_flag[3];

struct affix_class {
    char flag[3];
    int is_pfx;
    int cross;
    struct affix_rule *rules;
    int n;
};

static struct affix_class classes[1024];
static int class_count;

static struct affix_class *find_class(const char *flag)
{
    for (int i = 0; i < class_count; i++)
        if (classes[i].flag[0] == flag[0] &&
            (flag_width == 1 || classes[i].flag[1] == flag[1]))
            return &classes[i];
    return NULL;
}

static int parse_cond(const char *s, struct affix_rule *r)
{
    uint32_t u[64];
    int n = utf8_to_32(s, u, 64);
    r->cond_n = 0;
    if (n == 1 && u[0] == '.')
        return 0; /* "." alone: no condition */
    for (int i = 0; i < n;) {
        if (r->cond_n >= 8)
            return -1;
        struct cond_item *c = &r->cond[r->cond_n++];
        memset(c, 0, sizeof *c);
        if (u[i] == '[') {
            i++;
            if (i < n && u[i] == '^') {
                c->neg = 1;
                i++;
            }
            while (i < n && u[i] != ']') {
                if (c->n < 40)
                    c->set[c->n++] = u[i];
                i++;
            }
            i++;
        } else if (u[i] == '.') {
            c->any = 1;
            i++;
        } else {
            c->set[c->n++] = u[i++];
        }
    }
    return 0;
}

static int cond_item_match(const struct cond_item *c, uint32_t ch)
{
    if (c->any)
        return 1;
    int in = 0;
    for (int i = 0; i < c->n; i++)
        if (c->set[i] == ch)
            in = 1;
    return c->neg ? !in : in;
}

static void load_aff(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die(strerror(errno), path);
    char line[1024];
    struct affix_class *cur = NULL;
    while (fgets(line, sizeof line, f)) {
        char *tok[8];
        int nt = 0;
        char *save = NULL;
        for (char *t = strtok_r(line, " \t\r\n", &save); t && nt < 8;
             t = strtok_r(NULL, " \t\r\n", &save))
            tok[nt++] = t;
        if (nt >= 2 && strcmp(tok[0], "FLAG") == 0)
            flag_width = strcmp(tok[1], "long") == 0 ? 2 : 1;
        if (nt >= 1 && strcmp(tok[0], "FULLSTRIP") == 0)
            full_strip = 1;
        if (nt >= 2 && strcmp(tok[0], "NEEDAFFIX") == 0)
            snprintf(needaffix_flag, sizeof needaffix_flag, "%s", tok[1]);
        if (nt >= 2 && strcmp(tok[0], "FORBIDDENWORD") == 0)
            snprintf(forbidden_flag, sizeof forbidden_flag, "%s", tok[1]);
        if (nt < 4)
            continue;
        int pfx = strcmp(tok[0], "PFX") == 0;
        if (!pfx && strcmp(tok[0], "SFX") != 0)
            continue;
        if ((int)strlen(tok[1]) != flag_width)
            continue;
        if ((tok[2][0] == 'Y' || tok[2][0] == 'N') && tok[2][1] == '\0' &&
            !find_class(tok[1])) {
            if (class_count >= 1024)
                die("too many affix classes", path);
            cur = &classes[class_count++];
            memcpy(cur->flag, tok[1], (size_t)flag_width);
            cur->is_pfx = pfx;
            cur->cross = tok[2][0] == 'Y';
            continue;
        }
        cur = find_class(tok[1]);
        if (!cur || nt < 5)
            continue;
        struct affix_rule r;
        memset(&r, 0, sizeof r);
        if (strcmp(tok[2], "0") != 0)
            r.strip_n = utf8_to_32(tok[2], r.strip, 16);
        char *slash = strchr(tok[3], '/');
        if (slash) {
            *slash = '\0';
            snprintf(r.cont, sizeof r.cont, "%s", slash + 1);
        }
        if (strcmp(tok[3], "0") != 0)
            r.add_n = utf8_to_32(tok[3], r.add, 32);
        if (r.strip_n < 0 || r.add_n < 0 || parse_cond(tok[4], &r) < 0)
            continue;
        for (int i = 5; i < nt; i++)
            if (strncmp(tok[i], "ts:", 3) == 0) {
                snprintf(r.tag, sizeof r.tag, "%s", tok[i] + 3);
                break;
            }
        /* Forms ending in a hyphen only exist inside hyphenated
         * compounds: our input never holds them. */
        if (r.add_n > 0 && r.add[r.add_n - 1] == '-')
            continue;
        cur->rules = xrealloc(cur->rules, (size_t)(cur->n + 1) * sizeof r);
        cur->rules[cur->n++] = r;
    }
    fclose(f);
}

/* Applies a suffix rule; returns the new length or -1. */
static int apply_sfx(const struct affix_rule *r, const uint32_t *w, int n,
                     uint32_t *out)
{
    if (r->cond_n > n || r->strip_n > n || (r->strip_n == n && !full_strip))
        return -1;
    for (int i = 0; i < r->cond_n; i++)
        if (!cond_item_match(&r->cond[i], w[n - r->cond_n + i]))
            return -1;
    for (int i = 0; i < r->strip_n; i++)
        if (w[n - r->strip_n + i] != r->strip[i])
            return -1;
    int k = n - r->strip_n;
    if (k + r->add_n > MAXW)
        return -1;
    memcpy(out, w, (size_t)k * sizeof *w);
    memcpy(out + k, r->add, (size_t)r->add_n * sizeof *w);
    return k + r->add_n;
}

__attribute__((unused)) static int apply_pfx(const struct affix_rule *r, const uint32_t *w, int n,
                     uint32_t *out)
{
    if (r->cond_n > n || r->strip_n >= n)
        return -1;
    for (int i = 0; i < r->cond_n; i++)
        if (!cond_item_match(&r->cond[i], w[i]))
            return -1;
    for (int i = 0; i < r->strip_n; i++)
        if (w[i] != r->strip[i])
            return -1;
    int k = n - r->strip_n;
    if (k + r->add_n > MAXW)
        return -1;
    memcpy(out, r->add, (size_t)r->add_n * sizeof *w);
    memcpy(out + r->add_n, w + r->strip_n, (size_t)k * sizeof *w);
    return k + r->add_n;
}

static int has_flag(const char *flags, const char *f)
{
    size_t w = (size_t)flag_width;
    for (size_t i = 0; flags[i] && (w == 1 || flags[i + 1]); i += w)
        if (flags[i] == f[0] && (w == 1 || flags[i + 1] == f[1]))
            return 1;
    return 0;
}

#endif
