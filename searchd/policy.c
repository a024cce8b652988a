/* policy.c — what a reload (SIGHUP) may change: who may call what
 * (tokens, roles, the ticket secret, rate limits: access.c), which
 * origins and host names are answered, whether /metrics is open and
 * requests are logged.  One immutable struct per configuration; each
 * request holds the one it started with until it completes, so a reload
 * changes nothing under a request in flight and drops no connection.
 * The rest of the configuration (address, index, TLS, databases,
 * threads, limits of libmicrohttpd) is read once, at start. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "searchd_int.h"

void vb_policy_free(struct vb_policy *policy)
{
    if (!policy)
        return;
    vb_access_free(policy->access);
    for (size_t i = 0; i < policy->cors_origin_count; i++)
        free(policy->cors_origins[i]);
    for (size_t i = 0; i < policy->server_name_count; i++)
        free(policy->server_names[i]);
    free(policy);
}

/* The names the Host header may carry: server_name, and on loopback the
 * loopback names and the bound host of `url` ("http://127.0.0.2:8080"
 * -> 127.0.0.2). */
static enum vb_status set_server_names(const struct vb_searchd_config *config,
                                       const char *url, bool loopback,
                                       struct vb_policy *policy,
                                       struct vb_error *err)
{
    const char *loopback_names[] = {"localhost", "127.0.0.1", "[::1]", NULL};
    char bound[80] = "";
    const char *host = strstr(url, "://") + 3;
    size_t n = strcspn(host, host[0] == '[' ? "]" : ":");
    snprintf(bound, sizeof bound, "%.*s", (int)(n + (host[0] == '[')), host);
    loopback_names[3] = bound;
    for (size_t i = 0; i < config->server_name_count + 4; i++) {
        const char *name =
            i < config->server_name_count ? config->server_names[i]
            : loopback ? loopback_names[i - config->server_name_count]
                       : NULL;
        if (!name)
            continue;
        if (!(policy->server_names[policy->server_name_count] = strdup(name)))
            return vb_error_set(err, VB_ENOMEM, "out of memory");
        policy->server_name_count++;
    }
    return VB_OK;
}

enum vb_status vb_policy_new(const struct vb_searchd_config *config,
                             const char *url, bool loopback,
                             struct vb_policy **out, struct vb_error *err)
{
    *out = NULL;
    struct vb_policy *policy = calloc(1, sizeof *policy);
    if (!policy)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    policy->refs = 1;
    policy->metrics_open = config->metrics_open;
    policy->log_requests = config->log_requests;
    enum vb_status status = vb_access_new(config, &policy->access, err);
    for (size_t i = 0; status == VB_OK && i < config->cors_origin_count; i++) {
        policy->cors_any |= strcmp(config->cors_origins[i], "*") == 0;
        if (!(policy->cors_origins[i] = strdup(config->cors_origins[i])))
            status = vb_error_set(err, VB_ENOMEM, "out of memory");
        else
            policy->cors_origin_count = i + 1;
    }
    if (status == VB_OK)
        status = set_server_names(config, url, loopback, policy, err);
    if (status != VB_OK) {
        vb_policy_free(policy);
        return status;
    }
    *out = policy;
    return VB_OK;
}

struct vb_policy *vb_policy_take(struct vb_searchd *server)
{
    pthread_mutex_lock(&server->policy_lock);
    struct vb_policy *policy = server->policy;
    policy->refs++;
    pthread_mutex_unlock(&server->policy_lock);
    return policy;
}

void vb_policy_release(struct vb_searchd *server, struct vb_policy *policy)
{
    if (!policy)
        return;
    pthread_mutex_lock(&server->policy_lock);
    bool last = --policy->refs == 0;
    pthread_mutex_unlock(&server->policy_lock);
    if (last)
        vb_policy_free(policy);
}

enum vb_status vb_searchd_reload(struct vb_searchd *server,
                                 const struct vb_searchd_config *config,
                                 struct vb_error *err)
{
    enum vb_status status = vb_searchd_check_exposure(config, server->loopback,
                                                      err);
    struct vb_policy *next = NULL;
    if (status == VB_OK)
        status = vb_policy_new(config, server->url, server->loopback, &next,
                               err);
    if (status != VB_OK)
        return status;
    pthread_mutex_lock(&server->policy_lock);
    struct vb_policy *previous = server->policy;
    server->policy = next;
    pthread_mutex_unlock(&server->policy_lock);
    /* The server's reference; requests in flight hold theirs. */
    vb_policy_release(server, previous);
    return VB_OK;
}
