/* config.c — the options of Contracts 2 and 5, from the command line
 * (main.c) and from a config file of "key = value" lines: one setter for
 * both, so that a key means the same thing in either place. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "searchd_int.h"

enum vb_status vb_searchd_config_init(struct vb_searchd_config *config,
                                      const char *default_web_dir,
                                      struct vb_error *err)
{
    memset(config, 0, sizeof *config);
    const char *index = getenv("VRAAGBAAK_INDEX");
    if (!index || !*index)
        index = VB_SEARCHD_INDEX_DEFAULT;
    config->index_dir = strdup(index);
    config->listen = strdup(VB_SEARCHD_LISTEN_DEFAULT);
    config->web_dir = default_web_dir ? strdup(default_web_dir) : NULL;
    config->timeout_seconds = VB_SEARCHD_TIMEOUT_DEFAULT;
    config->header_timeout_seconds = VB_SEARCHD_HEADER_TIMEOUT_DEFAULT;
    config->body_timeout_seconds = VB_SEARCHD_BODY_TIMEOUT_DEFAULT;
    config->max_connections = VB_SEARCHD_MAX_CONNECTIONS_DEFAULT;
    config->max_connections_per_client = VB_SEARCHD_MAX_PER_CLIENT_DEFAULT;
    config->audit_retention_days = VB_SEARCHD_AUDIT_RETENTION_DEFAULT;
    config->analytics_retention_days = VB_SEARCHD_ANALYTICS_RETENTION_DEFAULT;
    config->rate_limit = VB_SEARCHD_RATE_LIMIT_DEFAULT;
    config->rate_burst = VB_SEARCHD_RATE_BURST_DEFAULT;
    config->shard_timeout_ms = VB_SEARCHD_SHARD_TIMEOUT_DEFAULT;
    if (!config->index_dir || !config->listen ||
        (default_web_dir && !config->web_dir)) {
        vb_searchd_config_cleanup(config);
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    }
    return VB_OK;
}

void vb_searchd_config_cleanup(struct vb_searchd_config *config)
{
    free(config->index_dir);
    free(config->listen);
    free(config->synonyms_dir);
    free(config->web_dir);
    for (size_t i = 0; i < config->cors_origin_count; i++)
        free(config->cors_origins[i]);
    free(config->tokens);
    free(config->ticket_secret_file);
    free(config->audit_db);
    free(config->analytics_db);
    free(config->tls_cert);
    free(config->tls_key);
    for (size_t i = 0; i < config->server_name_count; i++)
        free(config->server_names[i]);
    memset(config, 0, sizeof *config);
}

static enum vb_status set_string(char **field, const char *key,
                                 const char *value, struct vb_error *err)
{
    if (!*value)
        return vb_error_set(err, VB_EINVAL, "%s: empty value", key);
    char *copy = strdup(value);
    if (!copy)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    free(*field);
    *field = copy;
    return VB_OK;
}

static enum vb_status set_number(unsigned *field, const char *key,
                                 const char *value, unsigned min, unsigned max,
                                 struct vb_error *err)
{
    size_t digits = strspn(value, "0123456789");
    unsigned long n = 0;
    if (digits > 0 && digits <= 9 && value[digits] == '\0')
        n = strtoul(value, NULL, 10);
    if (digits == 0 || digits > 9 || value[digits] != '\0' || n < min ||
        n > max)
        return vb_error_set(err, VB_EINVAL,
                            "%s: expected a whole number from %u to %u, not "
                            "'%.64s'",
                            key, min, max, value);
    *field = (unsigned)n;
    return VB_OK;
}

/* "*", or scheme://host[:port] as browsers send it in Origin. */
static bool origin_syntax_ok(const char *origin)
{
    if (strcmp(origin, "*") == 0)
        return true;
    const char *host;
    if (strncmp(origin, "http://", 7) == 0)
        host = origin + 7;
    else if (strncmp(origin, "https://", 8) == 0)
        host = origin + 8;
    else
        return false;
    size_t n;
    if (*host == '[') {
        n = strspn(host + 1, "0123456789abcdefABCDEF:.");
        if (host[1 + n] != ']')
            return false;
        host += n + 2;
    } else {
        n = strspn(host, "abcdefghijklmnopqrstuvwxyz"
                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");
        if (n == 0)
            return false;
        host += n;
    }
    if (*host == ':') {
        n = strspn(host + 1, "0123456789");
        if (n == 0 || n > 5)
            return false;
        host += n + 1;
    }
    return *host == '\0';
}

/* "on"/"off" (also yes/no, true/false, 1/0). */
static enum vb_status set_switch(bool *field, const char *key,
                                 const char *value, const char *on,
                                 const char *off, struct vb_error *err)
{
    if (strcmp(value, on) == 0) {
        *field = true;
        return VB_OK;
    }
    if (strcmp(value, off) == 0) {
        *field = false;
        return VB_OK;
    }
    return vb_error_set(err, VB_EINVAL, "%s: expected '%s' or '%s', not '%.64s'",
                        key, on, off, value);
}

/* A host name as browsers send it in Host (without the port): letters,
 * digits, dots and hyphens, or an IPv6 literal in brackets. */
static bool server_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 253)
        return false;
    if (name[0] == '[')
        return n > 2 && name[n - 1] == ']' &&
               strspn(name + 1, "0123456789abcdefABCDEF:.") == n - 2;
    return strspn(name, "abcdefghijklmnopqrstuvwxyz"
                        "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") == n;
}

/* "NAME ROLE HASH [tenants=a,b]": the hash is 64 hex digits. */
static enum vb_status add_token(struct vb_searchd_config *config,
                                const char *value, struct vb_error *err)
{
    char name[VB_SEARCHD_NAME_MAX + 2], role[16], hash[72];
    int used = 0;
    int fields = sscanf(value, "%65s %15s %71s%n", name, role, hash, &used);
    if (fields < 3)
        return vb_error_set(err, VB_EINVAL,
                            "token: expected 'NAME ROLE HASH' (make the "
                            "line with vraagbaak-searchd --hash-token NAME "
                            "ROLE)");
    const char *extra = value + used;
    while (*extra == ' ' || *extra == '\t')
        extra++;
    struct vb_searchd_token token = {0};
    if (!vb_access_name_ok(name, strlen(name)))
        return vb_error_set(err, VB_EINVAL,
                            "token: the name must be 1 to %d of A-Z a-z 0-9 "
                            ". _ -",
                            VB_SEARCHD_NAME_MAX);
    token.role = vb_role_parse(role);
    if (token.role == VB_ROLE_NONE)
        return vb_error_set(err, VB_EINVAL,
                            "token %s: the role must be agent, editor or "
                            "admin",
                            name);
    if (!vb_access_hash_parse(hash, token.hash))
        return vb_error_set(err, VB_EINVAL,
                            "token %s: the hash must be 64 hexadecimal "
                            "digits, as --hash-token prints it",
                            name);
    if (*extra) {
        /* tenants=a,b: the clients the token works for. */
        size_t n = strcspn(extra, " \t");
        if (strncmp(extra, "tenants=", 8) != 0 || extra[n + strspn(extra + n, " \t")])
            return vb_error_set(err, VB_EINVAL,
                                "token %s: unexpected text after the hash "
                                "(only tenants=a,b may follow)",
                                name);
        for (const char *t = extra + 8; t < extra + n;) {
            size_t len = strcspn(t, ",");
            if (t + len > extra + n)
                len = (size_t)(extra + n - t);
            if (!vb_document_tenant_ok(t, len))
                return vb_error_set(err, VB_EINVAL,
                                    "token %s: tenants= lists client names "
                                    "(" VB_DOC_TENANT_RULE
                                    ") separated by commas",
                                    name);
            if (token.tenant_count == VB_SEARCHD_TOKEN_TENANTS_MAX)
                return vb_error_set(err, VB_EINVAL,
                                    "token %s: at most %d tenants", name,
                                    VB_SEARCHD_TOKEN_TENANTS_MAX);
            memcpy(token.tenants[token.tenant_count], t, len);
            token.tenants[token.tenant_count++][len] = '\0';
            t += len + 1;
        }
        if (token.tenant_count == 0)
            return vb_error_set(err, VB_EINVAL,
                                "token %s: tenants= names no client", name);
    }
    for (size_t i = 0; i < config->token_count; i++) {
        if (strcmp(config->tokens[i].name, name) == 0)
            return vb_error_set(err, VB_EINVAL,
                                "token %s: the name is given twice", name);
        if (memcmp(config->tokens[i].hash, token.hash, sizeof token.hash) == 0)
            return vb_error_set(err, VB_EINVAL,
                                "token %s: the same secret as token %s", name,
                                config->tokens[i].name);
    }
    if (config->token_count == VB_SEARCHD_TOKENS_MAX)
        return vb_error_set(err, VB_EINVAL, "token: at most %d tokens",
                            VB_SEARCHD_TOKENS_MAX);
    struct vb_searchd_token *grown = realloc(
        config->tokens, (config->token_count + 1) * sizeof *config->tokens);
    if (!grown)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    memcpy(token.name, name, strlen(name) + 1); /* checked: it fits */
    grown[config->token_count++] = token;
    config->tokens = grown;
    return VB_OK;
}

static enum vb_status add_cors_origin(struct vb_searchd_config *config,
                                      const char *value, struct vb_error *err)
{
    if (!origin_syntax_ok(value))
        return vb_error_set(err, VB_EINVAL,
                            "cors-origin: expected '*' or an origin such as "
                            "https://crm.example or http://localhost:3000, "
                            "not '%.64s'",
                            value);
    if (config->cors_origin_count == VB_SEARCHD_CORS_ORIGINS_MAX)
        return vb_error_set(err, VB_EINVAL, "cors-origin: at most %d origins",
                            VB_SEARCHD_CORS_ORIGINS_MAX);
    char *copy = strdup(value);
    if (!copy)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    config->cors_origins[config->cors_origin_count++] = copy;
    return VB_OK;
}

static enum vb_status add_server_name(struct vb_searchd_config *config,
                                      const char *value, struct vb_error *err)
{
    if (!server_name_ok(value))
        return vb_error_set(err, VB_EINVAL,
                            "server_name: expected a host name such as "
                            "kb.example.be (no port, no scheme), not '%.64s'",
                            value);
    if (config->server_name_count == VB_SEARCHD_SERVER_NAMES_MAX)
        return vb_error_set(err, VB_EINVAL, "server_name: at most %d names",
                            VB_SEARCHD_SERVER_NAMES_MAX);
    char *copy = strdup(value);
    if (!copy)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    config->server_names[config->server_name_count++] = copy;
    return VB_OK;
}

static enum vb_status set_tls(struct vb_searchd_config *config,
                              const char *value, struct vb_error *err)
{
    bool on = true;
    enum vb_status st = set_switch(&on, "tls", value, "on", "off", err);
    config->tls_off = !on;
    return st;
}

static enum vb_status set_metrics(struct vb_searchd_config *config,
                                  const char *value, struct vb_error *err)
{
    return set_switch(&config->metrics_open, "metrics", value, "open",
                      "token", err);
}

static enum vb_status set_log_requests(struct vb_searchd_config *config,
                                       const char *value, struct vb_error *err)
{
    return set_switch(&config->log_requests, "log_requests", value, "on",
                      "off", err);
}

/* Every option, the one list of them: its name (in a config file, and
 * after "--" on the command line; '_' and '-' are the same), and how its
 * value is read: a text, a whole number from min to max, or by a
 * function of its own. */
#define FIELD(member) offsetof(struct vb_searchd_config, member)
static const struct option {
    const char *name;
    enum { TEXT, NUMBER, OTHER } kind;
    size_t field; /* TEXT: a char *; NUMBER: an unsigned */
    unsigned min, max;
    enum vb_status (*set)(struct vb_searchd_config *config,
                          const char *value, struct vb_error *err);
} options[] = {
    {"index", TEXT, FIELD(index_dir), 0, 0, NULL},
    {"listen", TEXT, FIELD(listen), 0, 0, NULL},
    {"synonyms", TEXT, FIELD(synonyms_dir), 0, 0, NULL},
    {"web", TEXT, FIELD(web_dir), 0, 0, NULL},
    {"cors-origin", OTHER, 0, 0, 0, add_cors_origin},
    {"threads", NUMBER, FIELD(threads), 1, VB_SEARCHD_THREADS_MAX, NULL},
    {"timeout", NUMBER, FIELD(timeout_seconds), 1, 3600, NULL},
    {"header-timeout", NUMBER, FIELD(header_timeout_seconds), 1, 3600, NULL},
    {"body-timeout", NUMBER, FIELD(body_timeout_seconds), 1, 3600, NULL},
    {"max-connections", NUMBER, FIELD(max_connections), 1, 65536, NULL},
    {"max-connections-per-client", NUMBER, FIELD(max_connections_per_client), 0,
     65536, NULL},
    {"token", OTHER, 0, 0, 0, add_token},
    {"ticket-secret-file", TEXT, FIELD(ticket_secret_file), 0, 0, NULL},
    {"audit-db", TEXT, FIELD(audit_db), 0, 0, NULL},
    {"audit-retention-days", NUMBER, FIELD(audit_retention_days), 1, 100000,
     NULL},
    {"analytics-db", TEXT, FIELD(analytics_db), 0, 0, NULL},
    {"analytics-retention-days", NUMBER, FIELD(analytics_retention_days), 1,
     100000, NULL},
    {"tls-cert", TEXT, FIELD(tls_cert), 0, 0, NULL},
    {"tls-key", TEXT, FIELD(tls_key), 0, 0, NULL},
    {"tls", OTHER, 0, 0, 0, set_tls},
    {"metrics", OTHER, 0, 0, 0, set_metrics},
    {"log-requests", OTHER, 0, 0, 0, set_log_requests},
    {"server-name", OTHER, 0, 0, 0, add_server_name},
    {"rate-limit", NUMBER, FIELD(rate_limit), 0, 1000000, NULL},
    {"rate-burst", NUMBER, FIELD(rate_burst), 1, 1000000, NULL},
    {"shard-timeout", NUMBER, FIELD(shard_timeout_ms), 10, 60000, NULL},
};
#undef FIELD
#define OPTION_COUNT (sizeof options / sizeof *options)

/* The option named key[0..len), '_' and '-' being the same; NULL. */
static const struct option *option_named(const char *key, size_t len)
{
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        const char *name = options[i].name;
        size_t c = 0;
        while (c < len && name[c] && (key[c] == '_' ? '-' : key[c]) == name[c])
            c++;
        if (c == len && name[c] == '\0')
            return &options[i];
    }
    return NULL;
}

bool vb_searchd_config_has_key(const char *key, size_t len)
{
    return option_named(key, len) != NULL;
}

enum vb_status vb_searchd_config_set(struct vb_searchd_config *config,
                                     const char *key, const char *value,
                                     struct vb_error *err)
{
    const struct option *o = option_named(key, strlen(key));
    if (!o) {
        char known[1024];
        size_t used = 0;
        for (size_t i = 0; i < OPTION_COUNT && used < sizeof known; i++)
            used += (size_t)snprintf(known + used, sizeof known - used, "%s%s",
                                     i ? ", " : "", options[i].name);
        return vb_error_set(err, VB_EINVAL,
                            "unknown option '%.64s' (known: %s)", key, known);
    }
    char *base = (char *)config;
    switch (o->kind) {
    case TEXT:
        return set_string((char **)(base + o->field), key, value, err);
    case NUMBER:
        return set_number((unsigned *)(base + o->field), key, value, o->min,
                          o->max, err);
    default:
        return o->set(config, value, err);
    }
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
                     s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

enum vb_status vb_searchd_config_load(struct vb_searchd_config *config,
                                      const char *path, struct vb_error *err)
{
    FILE *file = fopen(path, "r");
    if (!file)
        return vb_error_set(err, errno == ENOENT ? VB_ENOTFOUND : VB_EIO,
                            "%s: %s", path, strerror(errno));
    enum vb_status status = VB_OK;
    char *line = NULL;
    size_t cap = 0;
    unsigned number = 0;
    while (getline(&line, &cap, file) >= 0) {
        number++;
        if (strlen(line) > 4096) {
            status = vb_error_set(err, VB_EINVAL, "%s:%u: line too long", path,
                                  number);
            break;
        }
        char *text = trim(line);
        if (*text == '\0' || *text == '#')
            continue;
        char *equals = strchr(text, '=');
        if (!equals) {
            status = vb_error_set(
                err, VB_EINVAL, "%s:%u: expected 'key = value'", path, number);
            break;
        }
        *equals = '\0';
        char *key = trim(text), *value = trim(equals + 1);
        struct vb_error problem;
        status = vb_searchd_config_set(config, key, value, &problem);
        if (status != VB_OK) {
            vb_error_set(err, status, "%s:%u: %s", path, number, problem.msg);
            break;
        }
    }
    if (status == VB_OK && ferror(file))
        status = vb_error_set(err, VB_EIO, "%s: read error", path);
    free(line);
    fclose(file);
    return status;
}

/* What a running daemon puts in place on SIGHUP (vb_searchd_reload);
 * every other option waits for a restart. */
static bool reloadable(const char *name)
{
    static const char *const names[] = {
        "token",       "ticket-secret-file", "rate-limit", "rate-burst",
        "cors-origin", "server-name",        "metrics",    "log-requests"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}

static bool same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

size_t vb_searchd_config_restart_keys(const struct vb_searchd_config *running,
                                      const struct vb_searchd_config *next,
                                      char *out, size_t cap)
{
    size_t count = 0, used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        const struct option *o = &options[i];
        const char *a = (const char *)running + o->field,
                   *b = (const char *)next + o->field;
        bool differ =
            o->kind == TEXT ? !same_text(*(char *const *)a, *(char *const *)b)
            : o->kind == NUMBER ? *(const unsigned *)a != *(const unsigned *)b
            : strcmp(o->name, "tls") == 0 ? running->tls_off != next->tls_off
                                          : false;
        if (!differ || reloadable(o->name))
            continue;
        int n = snprintf(out + used, cap - used, "%s%s", count ? ", " : "",
                         o->name);
        if (n > 0 && (size_t)n < cap - used)
            used += (size_t)n;
        count++;
    }
    return count;
}
