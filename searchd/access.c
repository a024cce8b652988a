/* access.c — who may ask (Contract 5): bearer tokens, roles, customer
 * tickets and rate limits.  The cryptography is nettle's (SHA-256,
 * HMAC-SHA256, URL-safe base64, constant-time comparison); nothing here
 * knows HTTP: server.c and api.c turn the answers into status codes.
 *
 * Secrets never leave this file in a message: errors name the token, the
 * file or the field, never the bytes. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <netinet/in.h>
#include <nettle/base64.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <nettle/sha2.h>

#include "searchd_int.h"

/* A ticket longer than this is not one of ours. */
#define TICKET_MAX 512
/* A wrong token from one address: this many at once, then this many per
 * second, before 429 instead of 401. */
#define FAILURE_BURST 20.0
#define FAILURE_RATE 2.0
#define FAILURE_SLOTS 256

/* ---- Names, roles, hashes ------------------------------------------------ */

static const char *const role_names[] = {
    [VB_ROLE_NONE] = "none",
    [VB_ROLE_AGENT] = "agent",
    [VB_ROLE_EDITOR] = "editor",
    [VB_ROLE_ADMIN] = "admin",
};

const char *vb_role_name(enum vb_role role)
{
    return (unsigned)role <= VB_ROLE_ADMIN ? role_names[role] : "none";
}

enum vb_role vb_role_parse(const char *text)
{
    for (int r = VB_ROLE_AGENT; r <= VB_ROLE_ADMIN; r++)
        if (strcmp(text, role_names[r]) == 0)
            return (enum vb_role)r;
    return VB_ROLE_NONE;
}

bool vb_access_name_ok(const char *s, size_t len)
{
    return len <= VB_SEARCHD_NAME_MAX && vb_document_id_ok(s, len);
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool vb_access_hash_parse(const char *hex, unsigned char hash[32])
{
    if (strlen(hex) != 64)
        return false;
    for (size_t i = 0; i < 32; i++) {
        int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        hash[i] = (unsigned char)(hi << 4 | lo);
    }
    return true;
}

static void sha256(const char *data, size_t len, unsigned char out[32])
{
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, len, (const uint8_t *)data);
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
}

enum vb_status vb_searchd_token_line(const char *name, const char *role,
                                     const char *secret, size_t len, char *out,
                                     size_t cap, struct vb_error *err)
{
    if (!vb_access_name_ok(name, strlen(name)))
        return vb_error_set(err, VB_EINVAL,
                            "the token name must be 1 to %d of A-Z a-z 0-9 . "
                            "_ -",
                            VB_SEARCHD_NAME_MAX);
    if (vb_role_parse(role) == VB_ROLE_NONE)
        return vb_error_set(err, VB_EINVAL,
                            "the role must be agent, editor or admin");
    while (len > 0 && (secret[len - 1] == '\n' || secret[len - 1] == '\r'))
        len--;
    if (len < VB_SEARCHD_TOKEN_SECRET_MIN)
        return vb_error_set(err, VB_EINVAL,
                            "the secret on standard input is %zu bytes; at "
                            "least %d are needed (make one with: openssl "
                            "rand -base64 32)",
                            len, VB_SEARCHD_TOKEN_SECRET_MIN);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)secret[i];
        if (c <= ' ' || c == 0x7F)
            return vb_error_set(err, VB_EINVAL,
                                "the secret holds a space or control "
                                "character at byte %zu; a token is one word",
                                i);
    }
    unsigned char hash[32];
    sha256(secret, len, hash);
    char hex[65];
    for (size_t i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", hash[i]);
    snprintf(out, cap, "token = %s %s %s", name, role, hex);
    return VB_OK;
}

/* ---- URL-safe base64 ------------------------------------------------------ */

/* Unpadded URL-safe base64 of data[0..len) into out (NUL-terminated;
 * cap >= BASE64_ENCODE_LENGTH(len) + 3). */
static void base64url_encode(const void *data, size_t len, char *out)
{
    struct base64_encode_ctx ctx;
    base64url_encode_init(&ctx);
    size_t n = base64_encode_update(&ctx, out, len, data);
    n += base64_encode_final(&ctx, out + n);
    while (n > 0 && out[n - 1] == '=')
        n--;
    out[n] = '\0';
}

/* Decodes URL-safe base64 (padding optional) s[0..len) into out (cap
 * bytes); false when it is not base64url or does not fit. */
static bool base64url_decode(const char *s, size_t len, unsigned char *out,
                             size_t cap, size_t *out_len)
{
    char padded[TICKET_MAX + 4];
    if (len > TICKET_MAX || len == 0)
        return false;
    memcpy(padded, s, len);
    while (len % 4 != 0)
        padded[len++] = '=';
    if (BASE64_DECODE_LENGTH(len) > cap)
        return false;
    struct base64_decode_ctx ctx;
    base64url_decode_init(&ctx);
    size_t n = cap;
    if (!base64_decode_update(&ctx, &n, out, len, padded) ||
        !base64_decode_final(&ctx))
        return false;
    *out_len = n;
    return true;
}

/* ---- Tickets --------------------------------------------------------------- */

static void ticket_mac(const unsigned char *secret, size_t secret_len,
                       const char *payload, size_t len,
                       unsigned char mac[SHA256_DIGEST_SIZE])
{
    struct hmac_sha256_ctx ctx;
    hmac_sha256_set_key(&ctx, secret_len, secret);
    hmac_sha256_update(&ctx, len, (const uint8_t *)payload);
    hmac_sha256_digest(&ctx, SHA256_DIGEST_SIZE, mac);
}

/* Reads the ticket secret: the file's bytes without trailing white space
 * (so that `openssl rand -hex 32 > FILE` and `$(cat FILE)` in a shell
 * agree), at least VB_SEARCHD_TICKET_SECRET_MIN of them. */
static enum vb_status read_secret(const char *path, unsigned char *out,
                                  size_t cap, size_t *len,
                                  struct vb_error *err)
{
    FILE *file = fopen(path, "rb");
    if (!file)
        return vb_error_set(err, errno == ENOENT ? VB_ENOTFOUND : VB_EIO,
                            "ticket_secret_file %s: %s", path,
                            strerror(errno));
    size_t n = fread(out, 1, cap, file);
    bool longer = n == cap && fgetc(file) != EOF;
    bool failed = ferror(file);
    fclose(file);
    if (failed)
        return vb_error_set(err, VB_EIO, "ticket_secret_file %s: read error",
                            path);
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r' ||
                     out[n - 1] == ' ' || out[n - 1] == '\t'))
        n--;
    if (longer)
        return vb_error_set(err, VB_EINVAL,
                            "ticket_secret_file %s: longer than %zu bytes",
                            path, cap);
    if (n < VB_SEARCHD_TICKET_SECRET_MIN)
        return vb_error_set(err, VB_EINVAL,
                            "ticket_secret_file %s: %zu bytes; at least %d "
                            "are needed (make one with: openssl rand -hex 32 "
                            "> %s)",
                            path, n, VB_SEARCHD_TICKET_SECRET_MIN, path);
    *len = n;
    return VB_OK;
}

enum vb_status vb_searchd_mint_ticket(const struct vb_searchd_config *config,
                                      const char *agent, const char *customer,
                                      const char *tenant, long seconds,
                                      char **out, struct vb_error *err)
{
    *out = NULL;
    if (!config->ticket_secret_file)
        return vb_error_set(err, VB_EINVAL,
                            "no ticket_secret_file in the configuration "
                            "(give --config FILE)");
    if (!vb_access_name_ok(agent, strlen(agent)))
        return vb_error_set(err, VB_EINVAL,
                            "the agent must be 1 to %d of A-Z a-z 0-9 . _ -",
                            VB_SEARCHD_NAME_MAX);
    if (!vb_document_customer_ok(customer, strlen(customer)))
        return vb_error_set(err, VB_EINVAL,
                            "the customer must be a customer id "
                            "(" VB_DOC_CUSTOMER_RULE ")");
    if (tenant && !vb_document_tenant_ok(tenant, strlen(tenant)))
        return vb_error_set(err, VB_EINVAL,
                            "the tenant must match " VB_DOC_TENANT_RULE);
    if (seconds < 1 || seconds > VB_SEARCHD_TICKET_SECONDS_MAX)
        return vb_error_set(err, VB_EINVAL,
                            "the validity must be 1 to %d seconds",
                            VB_SEARCHD_TICKET_SECONDS_MAX);
    unsigned char secret[VB_ACCESS_SECRET_MAX];
    size_t secret_len = 0;
    enum vb_status st = read_secret(config->ticket_secret_file, secret,
                                    sizeof secret, &secret_len, err);
    if (st != VB_OK)
        return st;
    /* AGENT:CUSTOMER[@TENANT]:EXPIRY (no name holds '@' or ':'). */
    char payload[2 * VB_SEARCHD_NAME_MAX + VB_DOC_TENANT_MAX + 32];
    int n = snprintf(payload, sizeof payload, "%s:%s%s%s:%lld", agent,
                     customer, tenant ? "@" : "", tenant ? tenant : "",
                     (long long)time(NULL) + seconds);
    unsigned char mac[SHA256_DIGEST_SIZE];
    ticket_mac(secret, secret_len, payload, (size_t)n, mac);
    memset(secret, 0, sizeof secret);
    char *ticket = malloc(TICKET_MAX);
    if (!ticket)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    base64url_encode(payload, (size_t)n, ticket);
    size_t used = strlen(ticket);
    ticket[used++] = '.';
    base64url_encode(mac, sizeof mac, ticket + used);
    *out = ticket;
    return VB_OK;
}

/* ---- The access state of a running daemon --------------------------------- */

struct bucket {
    double tokens;
    int64_t last_ns; /* 0: never used (full) */
};

struct failure_slot {
    unsigned char key[16];
    bool used;
    struct bucket bucket;
};

struct vb_access {
    struct vb_searchd_token *tokens;
    struct bucket *buckets; /* one per token */
    size_t token_count;
    double rate, burst; /* rate 0: no limit */
    unsigned char secret[VB_ACCESS_SECRET_MAX];
    size_t secret_len; /* 0: tickets are not required */
    pthread_mutex_t lock; /* buckets and failures */
    struct failure_slot failures[FAILURE_SLOTS];
};

enum vb_status vb_access_new(const struct vb_searchd_config *config,
                             struct vb_access **out, struct vb_error *err)
{
    *out = NULL;
    struct vb_access *access = calloc(1, sizeof *access);
    if (!access)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    pthread_mutex_init(&access->lock, NULL);
    enum vb_status st = VB_OK;
    if (config->token_count > 0) {
        access->tokens = calloc(config->token_count, sizeof *access->tokens);
        access->buckets = calloc(config->token_count, sizeof *access->buckets);
        if (!access->tokens || !access->buckets) {
            st = vb_error_set(err, VB_ENOMEM, "out of memory");
            goto out;
        }
        memcpy(access->tokens, config->tokens,
               config->token_count * sizeof *access->tokens);
        access->token_count = config->token_count;
    }
    access->rate = config->rate_limit;
    access->burst = config->rate_burst;
    if (config->ticket_secret_file)
        st = read_secret(config->ticket_secret_file, access->secret,
                         sizeof access->secret, &access->secret_len, err);
out:
    if (st != VB_OK) {
        vb_access_free(access);
        return st;
    }
    *out = access;
    return VB_OK;
}

void vb_access_free(struct vb_access *access)
{
    if (!access)
        return;
    pthread_mutex_destroy(&access->lock);
    free(access->tokens);
    free(access->buckets);
    memset(access->secret, 0, sizeof access->secret);
    free(access);
}

bool vb_access_open(const struct vb_access *access)
{
    return access->token_count == 0;
}

bool vb_access_tickets_required(const struct vb_access *access)
{
    return access->secret_len > 0;
}

const struct vb_searchd_token *vb_access_token(const struct vb_access *access,
                                               const char *secret, size_t len)
{
    unsigned char hash[32];
    sha256(secret, len, hash);
    /* Every configured hash is compared, in constant time each, so that
     * neither the bytes nor the position of a match show in the time. */
    const struct vb_searchd_token *found = NULL;
    for (size_t i = 0; i < access->token_count; i++)
        if (memeql_sec(hash, access->tokens[i].hash, sizeof hash))
            found = &access->tokens[i];
    return found;
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Takes one request from `b`; false with the seconds to wait when it is
 * empty.  Caller holds the lock. */
static bool bucket_take(struct bucket *b, double rate, double burst,
                        int64_t now, unsigned *retry_after)
{
    if (b->last_ns == 0) {
        b->tokens = burst;
    } else {
        b->tokens += (double)(now - b->last_ns) / 1e9 * rate;
        if (b->tokens > burst)
            b->tokens = burst;
    }
    b->last_ns = now;
    if (b->tokens >= 1.0) {
        b->tokens -= 1.0;
        return true;
    }
    *retry_after = (unsigned)ceil((1.0 - b->tokens) / rate);
    if (*retry_after < 1)
        *retry_after = 1;
    return false;
}

bool vb_access_rate_take(struct vb_access *access,
                         const struct vb_searchd_token *token,
                         unsigned *retry_after)
{
    if (access->rate <= 0)
        return true;
    size_t i = (size_t)(token - access->tokens);
    pthread_mutex_lock(&access->lock);
    bool ok = bucket_take(&access->buckets[i], access->rate, access->burst,
                          now_ns(), retry_after);
    pthread_mutex_unlock(&access->lock);
    return ok;
}

bool vb_access_failure_take(struct vb_access *access,
                            const struct sockaddr *addr, unsigned *retry_after)
{
    /* The key: an IPv4 address, or an IPv6 address's /64 (one host
     * usually owns a whole /64). */
    unsigned char key[16] = {0};
    if (addr && addr->sa_family == AF_INET) {
        memcpy(key, &((const struct sockaddr_in *)addr)->sin_addr, 4);
    } else if (addr && addr->sa_family == AF_INET6) {
        memcpy(key, &((const struct sockaddr_in6 *)addr)->sin6_addr, 8);
        key[15] = 6;
    }
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < sizeof key; i++)
        h = (h ^ key[i]) * 16777619u;
    pthread_mutex_lock(&access->lock);
    struct failure_slot *slot = &access->failures[h % FAILURE_SLOTS];
    if (!slot->used || memcmp(slot->key, key, sizeof key) != 0) {
        memcpy(slot->key, key, sizeof key);
        slot->used = true;
        slot->bucket = (struct bucket){0};
    }
    bool ok = bucket_take(&slot->bucket, FAILURE_RATE, FAILURE_BURST, now_ns(),
                          retry_after);
    pthread_mutex_unlock(&access->lock);
    return ok;
}

enum vb_ticket_check vb_access_check_ticket(const struct vb_access *access,
                                            const char *ticket,
                                            const char *customer,
                                            const char *tenant,
                                            char agent[VB_SEARCHD_NAME_MAX + 1])
{
    agent[0] = '\0';
    size_t len = strlen(ticket);
    const char *dot = memchr(ticket, '.', len);
    if (!dot || len > TICKET_MAX)
        return VB_TICKET_INVALID;
    char payload[TICKET_MAX];
    unsigned char mac[64];
    size_t payload_len = 0, mac_len = 0;
    if (!base64url_decode(ticket, (size_t)(dot - ticket),
                          (unsigned char *)payload, sizeof payload - 1,
                          &payload_len) ||
        !base64url_decode(dot + 1, len - (size_t)(dot + 1 - ticket), mac,
                          sizeof mac, &mac_len) ||
        mac_len != SHA256_DIGEST_SIZE)
        return VB_TICKET_INVALID;
    unsigned char expected[SHA256_DIGEST_SIZE];
    ticket_mac(access->secret, access->secret_len, payload, payload_len,
               expected);
    if (!memeql_sec(mac, expected, sizeof expected))
        return VB_TICKET_INVALID;

    /* Signed by us: AGENT:CUSTOMER:EXPIRY. */
    payload[payload_len] = '\0';
    char *first = memchr(payload, ':', payload_len);
    char *last = strrchr(payload, ':');
    if (!first || last == first)
        return VB_TICKET_INVALID;
    size_t agent_len = (size_t)(first - payload);
    const char *ticket_customer = first + 1;
    size_t customer_len = (size_t)(last - ticket_customer);
    const char *at = memchr(ticket_customer, '@', customer_len);
    const char *ticket_tenant = at ? at + 1 : NULL;
    size_t tenant_len = at ? (size_t)(last - ticket_tenant) : 0;
    if (at)
        customer_len = (size_t)(at - ticket_customer);
    const char *expiry = last + 1;
    size_t digits = strspn(expiry, "0123456789");
    if (!vb_access_name_ok(payload, agent_len) ||
        !vb_document_customer_ok(ticket_customer, customer_len) ||
        (at && !vb_document_tenant_ok(ticket_tenant, tenant_len)) ||
        digits == 0 || digits > 12 || expiry[digits] != '\0')
        return VB_TICKET_INVALID;
    memcpy(agent, payload, agent_len);
    agent[agent_len] = '\0';
    if (strtoll(expiry, NULL, 10) < (long long)time(NULL))
        return VB_TICKET_EXPIRED;
    if (strlen(customer) != customer_len ||
        memcmp(customer, ticket_customer, customer_len) != 0)
        return VB_TICKET_WRONG_CUSTOMER;
    if (!tenant != !at ||
        (at && (strlen(tenant) != tenant_len ||
                memcmp(tenant, ticket_tenant, tenant_len) != 0)))
        return VB_TICKET_WRONG_TENANT;
    return VB_TICKET_OK;
}
