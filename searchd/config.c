/* config.c — the options of Contract 2, from the command line (main.c)
 * and from a config file of "key = value" lines: one setter for both, so
 * that a key means the same thing in either place. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vb_searchd.h"

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
    config->max_connections = VB_SEARCHD_MAX_CONNECTIONS_DEFAULT;
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

enum vb_status vb_searchd_config_set(struct vb_searchd_config *config,
                                     const char *key, const char *value,
                                     struct vb_error *err)
{
    if (strcmp(key, "index") == 0)
        return set_string(&config->index_dir, key, value, err);
    if (strcmp(key, "listen") == 0)
        return set_string(&config->listen, key, value, err);
    if (strcmp(key, "synonyms") == 0)
        return set_string(&config->synonyms_dir, key, value, err);
    if (strcmp(key, "web") == 0)
        return set_string(&config->web_dir, key, value, err);
    if (strcmp(key, "threads") == 0)
        return set_number(&config->threads, key, value, 1,
                          VB_SEARCHD_THREADS_MAX, err);
    if (strcmp(key, "timeout") == 0)
        return set_number(&config->timeout_seconds, key, value, 1, 3600, err);
    if (strcmp(key, "max-connections") == 0)
        return set_number(&config->max_connections, key, value, 1, 65536, err);
    if (strcmp(key, "cors-origin") == 0) {
        if (!origin_syntax_ok(value))
            return vb_error_set(err, VB_EINVAL,
                                "cors-origin: expected '*' or an origin such "
                                "as https://crm.example or "
                                "http://localhost:3000, not '%.64s'",
                                value);
        if (config->cors_origin_count == VB_SEARCHD_CORS_ORIGINS_MAX)
            return vb_error_set(err, VB_EINVAL,
                                "cors-origin: at most %d origins",
                                VB_SEARCHD_CORS_ORIGINS_MAX);
        char *copy = strdup(value);
        if (!copy)
            return vb_error_set(err, VB_ENOMEM, "out of memory");
        config->cors_origins[config->cors_origin_count++] = copy;
        return VB_OK;
    }
    return vb_error_set(err, VB_EINVAL,
                        "unknown option '%.64s' (known: index, listen, "
                        "synonyms, web, cors-origin, threads, timeout, "
                        "max-connections)",
                        key);
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
