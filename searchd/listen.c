/* listen.c — where the daemon listens: the address resolved and bound
 * (loopback or not, which decides what Contract 5 requires), and the TLS
 * certificate and key checked before libmicrohttpd gets them. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/gnutls.h>

#include "searchd_int.h"

/* ---- Listening socket -----------------------------------------------------
 */

static bool is_loopback(const struct sockaddr *addr)
{
    if (addr->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
        return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    }
    if (addr->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)addr;
        if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
            return true;
        return IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) &&
               in6->sin6_addr.s6_addr[12] == 127;
    }
    return false;
}

/* Splits "HOST:PORT" or "[V6]:PORT" and resolves it; *loopback says
 * whether every address it resolves to is a loopback one. */
enum vb_status vb_listen_resolve(const char *address, struct addrinfo **out,
                                 bool *loopback, struct vb_error *err)
{
    *out = NULL;
    *loopback = true;
    char host[256];
    const char *port;
    if (address[0] == '[') {
        const char *close = strchr(address, ']');
        if (!close || close[1] != ':' ||
            (size_t)(close - address) > sizeof host)
            return vb_error_set(
                err, VB_EINVAL,
                "bad listen address '%s' (expected [ADDR]:PORT)", address);
        memcpy(host, address + 1, (size_t)(close - address - 1));
        host[close - address - 1] = '\0';
        port = close + 2;
    } else {
        const char *colon = strrchr(address, ':');
        if (!colon || strchr(address, ':') != colon ||
            (size_t)(colon - address) >= sizeof host)
            return vb_error_set(err, VB_EINVAL,
                                "bad listen address '%s' (expected HOST:PORT, "
                                "or [ADDR]:PORT for IPv6)",
                                address);
        memcpy(host, address, (size_t)(colon - address));
        host[colon - address] = '\0';
        port = colon + 1;
    }
    size_t digits = strspn(port, "0123456789");
    if (host[0] == '\0' || digits == 0 || digits > 5 || port[digits] != '\0' ||
        strtoul(port, NULL, 10) > 65535)
        return vb_error_set(err, VB_EINVAL,
                            "bad listen address '%s' (expected HOST:PORT with "
                            "a port from 0 to 65535)",
                            address);

    struct addrinfo hints = {0};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    struct addrinfo *list = NULL;
    int rc = getaddrinfo(host, port, &hints, &list);
    if (rc != 0)
        return vb_error_set(err, VB_EINVAL, "cannot resolve '%s': %s", host,
                            gai_strerror(rc));
    for (struct addrinfo *ai = list; ai; ai = ai->ai_next)
        if (!is_loopback(ai->ai_addr))
            *loopback = false;
    *out = list;
    return VB_OK;
}

/* Binds the first address that this machine has; a busy port is an error
 * at once (not a reason to try the next address). */
enum vb_status vb_listen_bind(const char *address, const struct addrinfo *list,
                              bool tls, int *fd_out, char *url, size_t url_cap,
                              struct vb_error *err)
{
    *fd_out = -1;
    int last_errno = EADDRNOTAVAIL;
    for (const struct addrinfo *ai = list; ai; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                        ai->ai_protocol);
        if (fd < 0) {
            last_errno = errno;
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (ai->ai_family == AF_INET6)
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
            listen(fd, SOMAXCONN) != 0) {
            last_errno = errno;
            close(fd);
            if (last_errno == EADDRINUSE || last_errno == EACCES)
                break;
            continue;
        }
        int flags = fcntl(fd, F_GETFL);
        fcntl(fd, F_SETFL, flags | O_NONBLOCK);

        struct sockaddr_storage bound;
        socklen_t bound_len = sizeof bound;
        char host[INET6_ADDRSTRLEN] = "", port[8] = "";
        if (getsockname(fd, (struct sockaddr *)&bound, &bound_len) != 0 ||
            getnameinfo((struct sockaddr *)&bound, bound_len, host, sizeof host,
                        port, sizeof port,
                        NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
            close(fd);
            return vb_error_set(
                err, VB_EIO, "cannot read the address bound for %s", address);
        }
        snprintf(url, url_cap,
                 bound.ss_family == AF_INET6 ? "%s://[%s]:%s" : "%s://%s:%s",
                 tls ? "https" : "http", host, port);
        *fd_out = fd;
        return VB_OK;
    }
    return vb_error_set(err, VB_EIO, "cannot listen on %s: %s", address,
                        last_errno == EADDRINUSE
                            ? "address already in use (another server "
                              "runs on that port?)"
                            : strerror(last_errno));
}

/* ---- TLS --------------------------------------------------------------------
 */

/* Reads a PEM file whole (at most 1 MiB) into a malloc'd string. */
static enum vb_status read_pem(const char *key, const char *path, char **out,
                               struct vb_error *err)
{
    *out = NULL;
    FILE *file = fopen(path, "rb");
    if (!file)
        return vb_error_set(err, VB_EINVAL, "%s %s: %s", key, path,
                            strerror(errno));
    size_t cap = 1 << 20, len = 0;
    char *text = malloc(cap + 1);
    if (text)
        len = fread(text, 1, cap, file);
    bool failed = !text || ferror(file) || (len == cap && fgetc(file) != EOF);
    fclose(file);
    if (failed || len == 0) {
        free(text);
        return vb_error_set(err, VB_EINVAL, "%s %s: %s", key, path,
                            !text ? "out of memory"
                            : len == 0
                                ? "empty file"
                                : "cannot be read, or larger than 1 MiB");
    }
    text[len] = '\0';
    *out = text;
    return VB_OK;
}

/* Reads the certificate and key and checks, with GnuTLS itself, that
 * they are PEM and belong together: libmicrohttpd would only say that it
 * could not start. */
enum vb_status vb_tls_load(const struct vb_searchd_config *config,
                           struct vb_searchd *server, struct vb_error *err)
{
    enum vb_status st =
        read_pem("tls_cert", config->tls_cert, &server->tls_cert, err);
    if (st == VB_OK)
        st = read_pem("tls_key", config->tls_key, &server->tls_key, err);
    if (st != VB_OK)
        return st;
    gnutls_certificate_credentials_t credentials;
    if (gnutls_certificate_allocate_credentials(&credentials) < 0)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    gnutls_datum_t cert = {(unsigned char *)server->tls_cert,
                           (unsigned)strlen(server->tls_cert)};
    gnutls_datum_t key = {(unsigned char *)server->tls_key,
                          (unsigned)strlen(server->tls_key)};
    int rc = gnutls_certificate_set_x509_key_mem(credentials, &cert, &key,
                                                 GNUTLS_X509_FMT_PEM);
    gnutls_certificate_free_credentials(credentials);
    if (rc == GNUTLS_E_CERTIFICATE_KEY_MISMATCH)
        return vb_error_set(err, VB_EINVAL,
                            "tls_key %s does not belong to tls_cert %s",
                            config->tls_key, config->tls_cert);
    if (rc < 0)
        return vb_error_set(err, VB_EINVAL,
                            "tls_cert %s / tls_key %s: not a PEM certificate "
                            "and its private key (%s)",
                            config->tls_cert, config->tls_key,
                            gnutls_strerror(rc));
    return VB_OK;
}
