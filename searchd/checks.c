#define _DEFAULT_SOURCE /* timegm */
/* checks.c — every parameter value checked before the engine sees it,
 * so that each mistake gets a 4xx naming the parameter: UTF-8, sizes,
 * ranges, syntax, names (by document/'s rules), the client a request
 * works for, dates. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vb_document.h"
#include "vb_utf8.h"

#include "searchd_int.h"

void vb_check_fail(struct vb_check *c, unsigned status, enum vb_api_error code,
                   int field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

void vb_check_fail(struct vb_check *c, unsigned status, enum vb_api_error code,
                   int field, const char *fmt, ...)
{
    if (c->failed)
        return;
    char message[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    c->failed = true;
    c->result = vb_respond_error(c->request, status, code,
                                 field >= 0 ? vb_field_names[field] : NULL,
                                 "%s", message);
}

/* Every string value must be valid UTF-8 (JSON strings already are). */
void vb_check_utf8(struct vb_check *c)
{
    for (int f = 0; f < VB_FIELD_COUNT && !c->failed; f++) {
        const struct vb_raw_value *v = &c->fields->v[f];
        size_t bad;
        if (v->present && v->s && !v->json &&
            vb_utf8_validate(v->s, v->len, &bad) != VB_OK)
            vb_check_fail(c, 400, VB_API_INVALID_UTF8, f,
                          "%s '%s' is not valid UTF-8 (byte %zu%s)",
                          c->fields->what, vb_field_names[f], bad,
                          v->s[bad] == '\0' ? ": a NUL byte" : "");
    }
}

/* A string value; false (and an error) when the field holds another JSON
 * type. */
bool vb_check_string(struct vb_check *c, int f, const char **s, size_t *len)
{
    const struct vb_raw_value *v = &c->fields->v[f];
    if (!v->s) {
        vb_check_fail(c, 400, VB_API_INVALID_PARAMETER, f,
                      "%s '%s' must be a string, not %s", c->fields->what,
                      vb_field_names[f], vb_json_kind(v->json));
        return false;
    }
    *s = v->s;
    *len = v->len;
    return true;
}

/* The query or suggest text: required, valid, at most `max` bytes. */
void vb_check_text(struct vb_check *c, int f, size_t max,
                   struct vb_checked *out)
{
    if (c->failed)
        return;
    if (!c->fields->v[f].present) {
        vb_check_fail(c, 400, VB_API_MISSING_PARAMETER, f,
                      "%s '%s' is required", c->fields->what,
                      vb_field_names[f]);
        return;
    }
    if (!vb_check_string(c, f, &out->text, &out->text_len))
        return;
    if (out->text_len > max)
        vb_check_fail(c, 413, VB_API_TOO_LARGE, f,
                      "%s '%s' is %zu bytes long; at most %zu are allowed",
                      c->fields->what, vb_field_names[f], out->text_len, max);
}

void vb_check_lang(struct vb_check *c, struct vb_checked *out)
{
    out->lang = VB_LANG_UNKNOWN;
    const char *s;
    size_t len;
    if (c->failed || !c->fields->v[VB_FIELD_LANG].present ||
        !vb_check_string(c, VB_FIELD_LANG, &s, &len))
        return;
    out->lang = vb_lang_parse(s, len);
    if (out->lang == VB_LANG_UNKNOWN) {
        char shown[48];
        vb_check_fail(c, 400, VB_API_INVALID_PARAMETER, VB_FIELD_LANG,
                      "%s 'lang' must be nl, fr or en, not '%s'",
                      c->fields->what, vb_quote(shown, sizeof shown, s, len));
    }
}

void vb_check_customer(struct vb_check *c, struct vb_checked *out)
{
    out->customer = NULL;
    const char *s;
    size_t len;
    if (c->failed || !c->fields->v[VB_FIELD_CUSTOMER].present ||
        !vb_check_string(c, VB_FIELD_CUSTOMER, &s, &len))
        return;
    if (!vb_document_customer_ok(s, len)) {
        char shown[64];
        vb_check_fail(
            c, 400, VB_API_INVALID_PARAMETER, VB_FIELD_CUSTOMER,
            "%s 'customer' must be a customer id (" VB_DOC_CUSTOMER_RULE
            "), not '%s'",
            c->fields->what, vb_quote(shown, sizeof shown, s, len));
        return;
    }
    out->customer = s;
}

/* The client the request works for (Contract 1 `tenant`): the
 * parameter, which a token limited to tenants (tenants=) must list; a
 * token limited to one needs none.  NULL: every client's documents (no
 * tokens, or a token for all of them, and no parameter), or a failed
 * check. */
static const char *tenant_of(struct vb_check *c)
{
    const struct vb_searchd_token *token = c->request->token;
    size_t allowed = token ? token->tenant_count : 0;
    const char *s = NULL;
    size_t len = 0;
    if (c->failed)
        return NULL;
    if (c->fields->v[VB_FIELD_TENANT].present &&
        !vb_check_string(c, VB_FIELD_TENANT, &s, &len))
        return NULL;
    if (s && !vb_document_tenant_ok(s, len)) {
        char shown[80];
        vb_check_fail(c, 400, VB_API_INVALID_PARAMETER, VB_FIELD_TENANT,
                      "%s 'tenant' must be a client's name (" VB_DOC_TENANT_RULE
                      "), not '%s'",
                      c->fields->what, vb_quote(shown, sizeof shown, s, len));
        return NULL;
    }
    if (!s && allowed == 1)
        return token->tenants[0];
    if (!s && allowed > 1) {
        vb_check_fail(c, 400, VB_API_INVALID_PARAMETER, VB_FIELD_TENANT,
                      "%s 'tenant' is needed: token %s works for %zu clients "
                      "(%s, ...); name the one the agent works for",
                      c->fields->what, token->name, allowed, token->tenants[0]);
        return NULL;
    }
    for (size_t i = 0; s && i < allowed; i++)
        if (strlen(token->tenants[i]) == len &&
            memcmp(token->tenants[i], s, len) == 0)
            return token->tenants[i];
    if (s && allowed > 0) {
        char shown[80];
        vb_check_fail(c, 403, VB_API_FORBIDDEN, VB_FIELD_TENANT,
                      "token %s does not work for tenant '%s'", token->name,
                      vb_quote(shown, sizeof shown, s, len));
        return NULL;
    }
    return s;
}

/* tenant_of into `out`, and the request remembers it (audit rows name
 * it). */
void vb_check_tenant(struct vb_check *c, struct vb_checked *out)
{
    out->tenant = c->request->tenant = tenant_of(c);
}

/* Adds one type entry s[0..len) (copied into the arena). */
static void add_type(struct vb_check *c, const char *s, size_t len,
                     struct vb_checked *out)
{
    while (len > 0 && *s == ' ')
        s++, len--;
    while (len > 0 && s[len - 1] == ' ')
        len--;
    if (!vb_document_type_ok(s, len)) {
        char shown[80];
        vb_check_fail(c, 400, VB_API_INVALID_PARAMETER, VB_FIELD_TYPE,
                      "%s 'type': '%s' is not a type (" VB_DOC_TYPE_RULE
                      ", such as product, procedure, history)",
                      c->fields->what, vb_quote(shown, sizeof shown, s, len));
        return;
    }
    for (size_t i = 0; i < out->type_count; i++)
        if (strlen(out->types[i]) == len && memcmp(out->types[i], s, len) == 0)
            return;
    if (out->type_count == VB_SEARCH_TYPES_MAX) {
        vb_check_fail(c, 400, VB_API_INVALID_PARAMETER, VB_FIELD_TYPE,
                      "%s 'type' names more than %d types", c->fields->what,
                      VB_SEARCH_TYPES_MAX);
        return;
    }
    char *copy = vb_arena_strndup(c->request->arena, s, len);
    if (!copy) {
        vb_check_fail(c, 503, VB_API_INTERNAL, -1, "out of memory");
        return;
    }
    out->types[out->type_count++] = copy;
}

/* "product,procedure", or in a body also ["product", "procedure"]. */
void vb_check_types(struct vb_check *c, struct vb_checked *out)
{
    out->type_count = 0;
    const struct vb_raw_value *v = &c->fields->v[VB_FIELD_TYPE];
    if (c->failed || !v->present)
        return;
    if (v->json && json_is_array(v->json)) {
        size_t i;
        json_t *item;
        if (json_array_size(v->json) == 0)
            vb_check_fail(c, 400, VB_API_INVALID_PARAMETER, VB_FIELD_TYPE,
                          "field 'type' is an empty list");
        json_array_foreach(v->json, i, item)
        {
            if (!json_is_string(item)) {
                vb_check_fail(c, 400, VB_API_INVALID_PARAMETER, VB_FIELD_TYPE,
                              "field 'type': item %zu is %s, not a string",
                              i + 1, vb_json_kind(item));
                return;
            }
            add_type(c, json_string_value(item), json_string_length(item), out);
        }
        return;
    }
    const char *s;
    size_t len;
    if (!vb_check_string(c, VB_FIELD_TYPE, &s, &len))
        return;
    size_t start = 0;
    for (size_t i = 0; i <= len && !c->failed; i++)
        if (i == len || s[i] == ',') {
            add_type(c, s + start, i - start, out);
            start = i + 1;
        }
}

/* A whole number from min to max: decimal digits in a query string, an
 * integer in a body. */
bool vb_check_number(struct vb_check *c, int f, uint32_t min, uint32_t max,
                     uint32_t *out)
{
    const struct vb_raw_value *v = &c->fields->v[f];
    if (c->failed || !v->present)
        return false;
    long long n = -1;
    if (v->json) {
        if (json_is_integer(v->json))
            n = json_integer_value(v->json);
    } else {
        size_t digits = strspn(v->s, "0123456789");
        if (digits == v->len && digits > 0 && digits <= 9)
            n = strtoll(v->s, NULL, 10);
    }
    if (n < (long long)min || n > (long long)max) {
        char shown[48] = "";
        if (!v->json)
            vb_quote(shown, sizeof shown, v->s, v->len);
        else if (json_is_integer(v->json))
            snprintf(shown, sizeof shown, "%lld",
                     (long long)json_integer_value(v->json));
        vb_check_fail(
            c, 400, VB_API_INVALID_PARAMETER, f,
            "%s '%s' must be a whole number from %u to %u, not %s%s%s",
            c->fields->what, vb_field_names[f], min, max, !v->json ? "'" : "",
            shown[0] || !v->json ? shown : vb_json_kind(v->json),
            !v->json ? "'" : "");
        return false;
    }
    *out = (uint32_t)n;
    return true;
}

/* 0/1/true/false in a query string; true/false/0/1 in a body. */
void vb_check_facets(struct vb_check *c, struct vb_checked *out)
{
    out->facets = false;
    const struct vb_raw_value *v = &c->fields->v[VB_FIELD_FACETS];
    if (c->failed || !v->present)
        return;
    int value = -1;
    if (v->json) {
        if (json_is_boolean(v->json))
            value = json_is_true(v->json);
        else if (json_is_integer(v->json) &&
                 (json_integer_value(v->json) == 0 ||
                  json_integer_value(v->json) == 1))
            value = (int)json_integer_value(v->json);
    } else if (strcmp(v->s, "1") == 0 || strcmp(v->s, "true") == 0) {
        value = 1;
    } else if (strcmp(v->s, "0") == 0 || strcmp(v->s, "false") == 0) {
        value = 0;
    }
    if (value < 0) {
        vb_check_fail(c, 400, VB_API_INVALID_PARAMETER, VB_FIELD_FACETS,
                      "%s 'facets' must be %s", c->fields->what,
                      v->json ? "true, false, 0 or 1" : "1, 0, true or false");
        return;
    }
    out->facets = value == 1;
}

/* "YYYY-MM-DD" or "YYYY-MM-DDThh:mm:ss[.fff]Z" as Unix microseconds; a
 * bare date `to` means the end of that day.  False when it is neither. */
static bool parse_time(const char *s, size_t len, bool end_of_day, int64_t *out)
{
    struct tm tm = {0};
    int consumed = 0;
    char rest[40] = "";
    if (len >= 32 ||
        sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &consumed) != 3 ||
        consumed != 10)
        return false;
    int64_t fraction_us = 0;
    bool date_only = len == 10;
    if (!date_only) {
        int n = 0;
        if (sscanf(s + 10, "T%2d:%2d:%2d%n", &tm.tm_hour, &tm.tm_min,
                   &tm.tm_sec, &n) != 3 ||
            n != 9)
            return false;
        snprintf(rest, sizeof rest, "%.*s", (int)(len - 19), s + 19);
        const char *p = rest;
        if (*p == '.') {
            size_t digits = strspn(p + 1, "0123456789");
            if (digits == 0 || digits > 6)
                return false;
            for (size_t i = 0; i < 6; i++)
                fraction_us =
                    fraction_us * 10 + (i < digits ? p[1 + i] - '0' : 0);
            p += 1 + digits;
        }
        if (strcmp(p, "Z") != 0)
            return false;
    }
    if (tm.tm_year < 1970 || tm.tm_mon < 1 || tm.tm_mon > 12 ||
        tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
        tm.tm_min > 59 || tm.tm_sec > 60)
        return false;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    int64_t seconds = (int64_t)timegm(&tm);
    if (date_only && end_of_day)
        *out = (seconds + 86400) * 1000000 - 1;
    else
        *out = seconds * 1000000 + fraction_us;
    return true;
}

void vb_check_time(struct vb_check *c, int f, bool end_of_day, int64_t *out)
{
    const char *s;
    size_t len;
    if (c->failed || !c->fields->v[f].present ||
        !vb_check_string(c, f, &s, &len))
        return;
    if (!parse_time(s, len, end_of_day, out)) {
        char shown[48];
        vb_check_fail(
            c, 400, VB_API_INVALID_PARAMETER, f,
            "parameter '%s' must be a date (2026-12-05) or a UTC time "
            "(2026-12-05T14:30:00Z), not '%s'",
            vb_field_names[f], vb_quote(shown, sizeof shown, s, len));
    }
}

/* A required string field; false (and an error) when absent. */
bool vb_check_required(struct vb_check *c, int f, const char **s, size_t *len)
{
    if (c->failed)
        return false;
    if (!c->fields->v[f].present) {
        vb_check_fail(c, 400, VB_API_MISSING_PARAMETER, f,
                      "%s '%s' is required", c->fields->what,
                      vb_field_names[f]);
        return false;
    }
    return vb_check_string(c, f, s, len);
}
