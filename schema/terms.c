/* terms.c — how terms and keys are spelled (prefixes, pairs, groups,
 * tenants, ids) and dates made sortable: the one place that spells a
 * term prefix, for the indexer and the engine alike. */
#include "schema_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t vb_schema_term(const char *prefix, const char *value, size_t len,
                      char *buf, size_t size)
{
    size_t plen = strlen(prefix);
    if (plen + len >= size)
        return 0;
    memcpy(buf, prefix, plen);
    memcpy(buf + plen, value, len);
    buf[plen + len] = '\0';
    return plen + len;
}

size_t vb_schema_pair_term(const char *a, size_t a_len, const char *b,
                           size_t b_len, char *buf, size_t size)
{
    size_t plen = strlen(VB_SCHEMA_PREFIX_PAIR);
    if (plen + a_len + 1 + b_len >= size)
        return 0;
    memcpy(buf, VB_SCHEMA_PREFIX_PAIR, plen);
    memcpy(buf + plen, a, a_len);
    buf[plen + a_len] = ' ';
    memcpy(buf + plen + a_len + 1, b, b_len);
    buf[plen + a_len + 1 + b_len] = '\0';
    return plen + a_len + 1 + b_len;
}

size_t vb_schema_group_key(const struct vb_document *doc, char *buf,
                           size_t size)
{
    if (!doc->group[0])
        return 0;
    /* tenant "/" group, or the group alone: built by hand, as a page
     * builds a dozen of them (snprintf was a thousand instructions). */
    size_t t = strlen(doc->tenant), g = strlen(doc->group), n = t + (t > 0) + g;
    if (n >= size)
        return 0;
    memcpy(buf, doc->tenant, t);
    if (t > 0)
        buf[t] = '/';
    memcpy(buf + t + (t > 0), doc->group, g + 1);
    return n;
}

size_t vb_schema_tenant_term(const char *tenant, char *buf, size_t size)
{
    const char *t = tenant[0] ? tenant : VB_SCHEMA_TENANT_SHARED;
    return vb_schema_term(VB_SCHEMA_PREFIX_TENANT, t, strlen(t), buf, size);
}

size_t vb_schema_word_prefix(const char *tenant, const char *lang_code,
                             char *buf, size_t size)
{
    if (!tenant[0])
        return vb_schema_term(VB_SCHEMA_PREFIX_WORD, lang_code,
                              strlen(lang_code), buf, size);
    int n = snprintf(buf, size, "%s%s:%s", VB_SCHEMA_PREFIX_TENANT_WORD, tenant,
                     lang_code);
    return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

size_t vb_schema_id_term(const char *id, char *buf, size_t size)
{
    size_t n = strlen(id);
    size_t plen = strlen(VB_SCHEMA_PREFIX_ID);
    if (n == 0 || plen + n + 1 > size)
        return 0;
    memcpy(buf, VB_SCHEMA_PREFIX_ID, plen);
    memcpy(buf + plen, id, n + 1);
    return plen + n;
}

static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

bool schema_all_digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil algorithm), and back. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static bool valid_day(int year, int month, int day)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
    if (year < 1 || month < 1 || month > 12 || day < 1)
        return false;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= mdays[month - 1] + (month == 2 && leap);
}

size_t vb_schema_sortable_date(const char *iso, char *buf, size_t size)
{
    size_t n = strlen(iso);
    if (size < 21 || n < 10 || !schema_all_digits(iso, 4) || iso[4] != '-' ||
        !schema_all_digits(iso + 5, 2) || iso[7] != '-' ||
        !schema_all_digits(iso + 8, 2) ||
        !valid_day(num(iso, 4), num(iso + 5, 2), num(iso + 8, 2)))
        return 0;
    if (n == 10) {
        memcpy(buf, iso, 10);
        buf[10] = '\0';
        return 10;
    }
    if (n < 20 || iso[10] != 'T' || !schema_all_digits(iso + 11, 2) ||
        iso[13] != ':' || !schema_all_digits(iso + 14, 2) || iso[16] != ':' ||
        !schema_all_digits(iso + 17, 2) || num(iso + 11, 2) > 23 ||
        num(iso + 14, 2) > 59 || num(iso + 17, 2) > 59)
        return 0;
    size_t i = 19;
    if (iso[i] == '.') {
        size_t digits_start = ++i;
        while (iso[i] >= '0' && iso[i] <= '9')
            i++;
        if (i == digits_start || i - digits_start > 9)
            return 0;
    }
    int64_t offset_min = 0;
    if (iso[i] == '+' || iso[i] == '-') {
        if (n - i != 6 || !schema_all_digits(iso + i + 1, 2) ||
            iso[i + 3] != ':' || !schema_all_digits(iso + i + 4, 2) ||
            num(iso + i + 1, 2) > 23 || num(iso + i + 4, 2) > 59)
            return 0;
        offset_min = num(iso + i + 1, 2) * 60 + num(iso + i + 4, 2);
        if (iso[i] == '-')
            offset_min = -offset_min;
    } else if (!(iso[i] == 'Z' && iso[i + 1] == '\0')) {
        return 0;
    }
    int64_t seconds =
        days_from_civil(num(iso, 4), num(iso + 5, 2), num(iso + 8, 2)) * 86400 +
        num(iso + 11, 2) * 3600 + num(iso + 14, 2) * 60 + num(iso + 17, 2) -
        offset_min * 60;
    int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
    int64_t rest = seconds - days * 86400;
    int64_t year;
    int month, day;
    civil_from_days(days, &year, &month, &day);
    if (year < 0 || year > 9999)
        return 0;
    int len = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)year,
                       month, day, (int)(rest / 3600), (int)(rest / 60 % 60),
                       (int)(rest % 60));
    return len > 0 && (size_t)len < size ? (size_t)len : 0;
}
