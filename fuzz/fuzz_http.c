/* fuzz_http.c — the daemon's HTTP handling, end to end: searchd runs in
 * this process on a loopback port over the sample corpus's index, and
 * each input is one request sent to it.  The input's first line is the
 * request line without the version ("GET /v1/search?q=factuur"), the rest
 * the body, sent with its Content-Length as JSON: so the fuzzer works on
 * routes, parameters and JSON bodies, through the same functions a client
 * reaches.  Every request must be answered, within the time the daemon
 * gives a client, with a status line, and never with 500 (a handler that
 * failed on input it should have refused). */
#include "fuzz.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "vb_searchd.h"

static struct vb_searchd *server;
static int port;

static void stop(void)
{
    vb_searchd_close(server);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct vb_searchd_config config;
    struct vb_error err = {0};
    const char *index = vb_fuzz_fixture_index();
    char audit[512], analytics[512];
    snprintf(audit, sizeof audit, "%s.audit.db", index);
    snprintf(analytics, sizeof analytics, "%s.analytics.db", index);
    if (vb_searchd_config_init(&config, NULL, &err) != VB_OK ||
        vb_searchd_config_set(&config, "index", index, &err) != VB_OK ||
        vb_searchd_config_set(&config, "listen", "127.0.0.1:0", &err) != VB_OK ||
        vb_searchd_config_set(&config, "threads", "2", &err) != VB_OK ||
        vb_searchd_config_set(&config, "timeout", "2", &err) != VB_OK ||
        vb_searchd_open(&config, &server, &err) != VB_OK)
        vb_fuzz_fail("starting searchd", err.msg);
    vb_searchd_config_cleanup(&config);
    const char *url = vb_searchd_url(server);
    const char *colon = strrchr(url, ':');
    port = colon ? atoi(colon + 1) : 0;
    if (port <= 0)
        vb_fuzz_fail("searchd's address", url);
    atexit(stop);
    return 0;
}

/* Where every thread of the daemon is, when a request gets no answer:
 * the finding is the stack, not the input alone (gdb, when installed). */
static void where_stuck(void)
{
    char command[128];
    snprintf(command, sizeof command,
             "gdb -p %d -batch -ex 'thread apply all bt' >&2 2>/dev/null",
             (int)getpid());
    if (system(command) != 0)
        fprintf(stderr, "fuzz: no stacks (gdb)\n");
}

/* The last requests sent, written out (hang-NN, oldest first) when one
 * gets no answer: a daemon that stops answering got there through them. */
#define HISTORY 256
static struct {
    uint8_t *data;
    size_t size;
} history[HISTORY];
static size_t sent;

static void remember(const uint8_t *data, size_t size)
{
    size_t slot = sent++ % HISTORY;
    free(history[slot].data);
    history[slot].data = malloc(size ? size : 1);
    history[slot].size = history[slot].data ? size : 0;
    if (history[slot].data)
        memcpy(history[slot].data, data, size);
}

static void write_history(void)
{
    size_t first = sent > HISTORY ? sent - HISTORY : 0;
    for (size_t i = first; i < sent; i++) {
        char name[32];
        snprintf(name, sizeof name, "hang-%03zu", i - first);
        FILE *f = fopen(name, "wb");
        if (!f)
            return;
        fwrite(history[i % HISTORY].data, 1, history[i % HISTORY].size, f);
        fclose(f);
    }
    fprintf(stderr, "fuzz: the last %zu requests are in hang-*\n",
            sent - first);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) +
           (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void send_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* the daemon may close early on a bad request */
        data += n;
        len -= (size_t)n;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    remember(data, size);
    const char *input = (const char *)data;
    const char *nl = memchr(input, '\n', size);
    size_t line_len = nl ? (size_t)(nl - input) : size;
    const char *body = nl ? nl + 1 : input + size;
    size_t body_len = size - (size_t)(body - input);

    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        vb_fuzz_fail("socket", NULL);
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* Far longer than the daemon's own 2 s for an idle client: a
     * request still open after that is stuck (a write's fsync on a
     * loaded machine takes a second or two, not thirty). */
    struct timeval limit = {.tv_sec = 30};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    int c;
    do
        c = connect(fd, (struct sockaddr *)&addr, sizeof addr);
    while (c != 0 && errno == EINTR);
    if (c != 0 && errno != EISCONN)
        vb_fuzz_fail("connect", NULL);
    char head[256];
    int n = snprintf(head, sizeof head,
                     " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Content-Type: application/json\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                     body_len);
    send_all(fd, input, line_len);
    send_all(fd, head, (size_t)n);
    send_all(fd, body, body_len);

    char response[64];
    size_t got = 0;
    struct timespec started;
    clock_gettime(CLOCK_MONOTONIC, &started);
    for (;;) {
        char buf[4096];
        ssize_t r = recv(fd, buf, sizeof buf, 0);
        if (r == 0)
            break;
        /* libFuzzer's alarm for -timeout interrupts the wait. */
        if (r < 0 && errno == EINTR && seconds_since(&started) < 30)
            continue;
        if (r < 0) {
            where_stuck();
            write_history();
            vb_fuzz_fail("no answer within 30 s", NULL);
        }
        size_t take = (size_t)r < sizeof response - 1 - got
                          ? (size_t)r
                          : sizeof response - 1 - got;
        memcpy(response + got, buf, take);
        got += take;
    }
    close(fd);
    response[got] = '\0';
    if (got == 0)
        return 0; /* closed without an answer: libmicrohttpd on garbage */
    if (strncmp(response, "HTTP/1.", 7) != 0)
        vb_fuzz_fail("not an HTTP answer", response);
    if (strncmp(response + 8, " 500", 4) == 0)
        vb_fuzz_fail("500", response);
    return 0;
}
