/* Bad input over real HTTP: the Big List of Naughty Strings and Kuhn's
 * UTF-8 stress test as q and as analyze text, the JSON test suite as POST
 * bodies, llhttp's malformed requests replayed on raw sockets, oversized
 * bodies, headers and URLs, and stalled clients.  Whatever comes in, the
 * daemon answers 200 or a clear 4xx (never 5xx), or closes the
 * connection, and keeps serving the next client. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "test_searchd_util.h"
#include "testutil.h"
#include "vb_utf8.h"

static struct sd_daemon daemon_;
static char empty_web_dir[64];
static int port;

static void start_daemon(void)
{
    /* An empty web directory: every path outside the API is a 404, so a
     * replayed request can only get 4xx (or 204 to OPTIONS). */
    ck_assert(sd_temp_dir("vb-searchd-empty-web-", empty_web_dir,
                          sizeof empty_web_dir));
    const char *args[] = {"--web", empty_web_dir, "--timeout", "3", NULL};
    ck_assert(sd_start(&daemon_, args));
    port = daemon_.port;
}

static void stop_daemon(void)
{
    ck_assert_int_eq(sd_stop(&daemon_, SIGTERM), 0);
    vb_test_remove_tree(empty_web_dir);
}

/* The daemon still answers a normal request on a new connection. */
static void assert_still_serving(const char *after)
{
    ck_assert_msg(sd_alive(&daemon_), "the daemon died after %s", after);
    struct sd_response r;
    ck_assert_msg(sd_get(port, "/v1/health", &r), "no answer after %s", after);
    ck_assert_msg(r.status == 200, "health %d after %s", r.status, after);
    sd_response_free(&r);
}

/* 200 with JSON, or a 4xx with the error JSON; never 5xx. */
static void assert_clear_answer(const struct sd_response *r, const char *what)
{
    ck_assert_msg(r->status == 200 || (r->status >= 400 && r->status < 500),
                  "%s: status %d: %.300s", what, r->status, r->body);
    json_t *root = sd_json(r);
    ck_assert_msg(root, "%s: not JSON: %.300s", what, r->body);
    if (r->status >= 400)
        ck_assert_msg(sd_error_code(r)[0], "%s: no error code: %.300s", what,
                      r->body);
    json_decref(root);
}

/* Lines of a file: pointers into `text` (newlines replaced by NULs). */
static size_t split_lines(char *text, size_t len, char **lines, size_t *lens,
                          size_t cap)
{
    size_t count = 0, start = 0;
    for (size_t i = 0; i <= len && count < cap; i++)
        if (i == len || text[i] == '\n') {
            if (i == len && start == len)
                break;
            lines[count] = text + start;
            lens[count] = i - start;
            count++;
            if (i < len)
                text[i] = '\0';
            start = i + 1;
        }
    return count;
}

/* ---- Naughty strings -------------------------------------------------------
 */

START_TEST(test_searchd_badinput_naughty_strings)
{
    size_t len;
    char *text = vb_test_read_file(vb_test_data_path("naughty/blns.txt"), &len);
    ck_assert_ptr_nonnull(text);
    static char *lines[2048];
    static size_t lens[2048];
    size_t count = split_lines(text, len, lines, lens, 2048);
    ck_assert_uint_gt(count, 500);
    for (size_t i = 0; i < count; i++) {
        char *encoded = sd_url_encode(lines[i], lens[i]);
        char *target = malloc(strlen(encoded) + 64);
        char what[64];
        struct sd_response r;

        sprintf(target, "/v1/search?q=%s", encoded);
        snprintf(what, sizeof what, "blns line %zu as q", i + 1);
        ck_assert_msg(sd_get(port, target, &r), "%s: no answer", what);
        assert_clear_answer(&r, what);
        sd_response_free(&r);

        sprintf(target, "/v1/analyze?text=%s", encoded);
        snprintf(what, sizeof what, "blns line %zu as text", i + 1);
        ck_assert_msg(sd_get(port, target, &r), "%s: no answer", what);
        assert_clear_answer(&r, what);
        sd_response_free(&r);

        /* And in a body, where the JSON layer carries it. */
        json_t *body = json_pack("{s:s%}", "text", lines[i], lens[i]);
        if (body) {
            char *json = json_dumps(body, 0);
            snprintf(what, sizeof what, "blns line %zu as suggest", i + 1);
            ck_assert_msg(sd_post_json(port, "/v1/suggest", json, &r),
                          "%s: no answer", what);
            assert_clear_answer(&r, what);
            sd_response_free(&r);
            free(json);
            json_decref(body);
        }
        free(target);
        free(encoded);
    }
    free(text);
    assert_still_serving("the naughty strings");
}
END_TEST

/* ---- Kuhn's UTF-8 decoder stress test -------------------------------------
 */

START_TEST(test_searchd_badinput_kuhn_utf8)
{
    size_t len;
    char *text =
        vb_test_read_file(vb_test_data_path("utf8/UTF-8-test.txt"), &len);
    ck_assert_ptr_nonnull(text);
    static char *lines[1024];
    static size_t lens[1024];
    size_t count = split_lines(text, len, lines, lens, 1024);
    size_t invalid = 0;
    for (size_t i = 0; i < count; i++) {
        char *encoded = sd_url_encode(lines[i], lens[i]);
        char *target = malloc(strlen(encoded) + 64);
        sprintf(target, "/v1/search?q=%s", encoded);
        struct sd_response r;
        char what[64];
        snprintf(what, sizeof what, "UTF-8-test.txt line %zu", i + 1);
        ck_assert_msg(sd_get(port, target, &r), "%s: no answer", what);
        assert_clear_answer(&r, what);
        if (vb_utf8_validate(lines[i], lens[i], NULL) != VB_OK) {
            invalid++;
            ck_assert_msg(r.status == 400 &&
                              strcmp(sd_error_code(&r), "invalid_utf8") == 0,
                          "%s: invalid UTF-8 answered %d %s", what, r.status,
                          r.body);
            json_t *root = sd_json(&r);
            const char *parameter = json_string_value(
                json_object_get(json_object_get(root, "error"), "parameter"));
            ck_assert_msg(parameter && strcmp(parameter, "q") == 0, "%s: %s",
                          what, r.body);
            json_decref(root);
        } else {
            ck_assert_msg(strcmp(sd_error_code(&r), "invalid_utf8") != 0,
                          "%s: valid UTF-8 refused: %s", what, r.body);
        }
        sd_response_free(&r);
        free(target);
        free(encoded);
    }
    ck_assert_uint_gt(invalid, 50);
    free(text);
    assert_still_serving("the UTF-8 stress test");
}
END_TEST

/* ---- JSON test suite
 * ---------------------------------------------------------- */

START_TEST(test_searchd_badinput_json_test_suite)
{
    const char *dir_path = vb_test_data_path("jsontestsuite/test_parsing");
    char dir_copy[4096];
    snprintf(dir_copy, sizeof dir_copy, "%s", dir_path);
    DIR *dir = opendir(dir_copy);
    ck_assert_ptr_nonnull(dir);
    struct dirent *entry;
    size_t files = 0;
    while ((entry = readdir(dir)) != NULL) {
        const char *name = entry->d_name;
        if (name[0] == '.' || !strstr(name, ".json"))
            continue;
        char path[4600];
        snprintf(path, sizeof path, "%s/%s", dir_copy, name);
        size_t len;
        char *body = vb_test_read_file(path, &len);
        ck_assert_ptr_nonnull(body);
        files++;
        const char *targets[] = {"/v1/search", "/v1/suggest"};
        size_t limits[] = {16 * 1024, 512 * 1024};
        for (size_t t = 0; t < 2; t++) {
            struct sd_response r;
            char what[512];
            snprintf(what, sizeof what, "%s to %s", name, targets[t]);
            ck_assert_msg(sd_request(port, "POST", targets[t],
                                     "Content-Type: application/json\r\n", body,
                                     len, &r),
                          "%s: no answer", what);
            assert_clear_answer(&r, what);
            if (name[0] == 'n')
                ck_assert_msg(
                    r.status == 400 || (r.status == 413 && len > limits[t]),
                    "%s: must be refused, got %d %s", what, r.status, r.body);
            sd_response_free(&r);
        }
        free(body);
    }
    closedir(dir);
    ck_assert_uint_gt(files, 300);
    assert_still_serving("the JSON test suite");
}
END_TEST

/* ---- Malformed HTTP, replayed
 * ------------------------------------------------- */

/* Turns a fenced block into request bytes the way llhttp's fixtures mean
 * them: lines joined by CRLF, then the escapes \r, \n, \t, \\ and \xNN.
 * Returns the length; `out` has room for 2 * len + 1. */
static size_t unescape_block(const char *block, size_t len, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = block[i];
        if (c == '\n') {
            out[n++] = '\r';
            out[n++] = '\n';
        } else if (c == '\\' && i + 1 < len) {
            char e = block[i + 1];
            if (e == 'r') {
                out[n++] = '\r';
                i++;
            } else if (e == 'n') {
                out[n++] = '\n';
                i++;
            } else if (e == 't') {
                out[n++] = '\t';
                i++;
            } else if (e == '\\') {
                out[n++] = '\\';
                i++;
            } else if (e == 'x' && i + 3 < len) {
                char hex[3] = {block[i + 2], block[i + 3], 0};
                out[n++] = (char)strtol(hex, NULL, 16);
                i += 3;
            } else {
                out[n++] = c;
            }
        } else {
            out[n++] = c;
        }
    }
    return n;
}

/* Every status line in what came back (pipelined requests get several). */
static void check_statuses(const char *raw, size_t len, const char *request,
                           const char *what, size_t *answered)
{
    for (const char *p = raw; p && p < raw + len;) {
        p = strstr(p, "HTTP/1.");
        if (!p)
            break;
        if (p == raw || (p >= raw + 2 && p[-1] == '\n' && p[-2] == '\r')) {
            int status = atoi(p + 9);
            if (status >= 200) {
                (*answered)++;
                /* 505 HTTP Version Not Supported is libmicrohttpd's own
                 * answer to "HTTP/5.6": a client error that HTTP numbers
                 * among the 5xx, not a failure of the server. */
                ck_assert_msg(
                    (status >= 400 && status < 500) || status == 505 ||
                        (status == 204 && strncmp(request, "OPTIONS", 7) == 0),
                    "%s: %d for %.200s", what, status, request);
            }
        }
        p += 7;
    }
}

START_TEST(test_searchd_badinput_malformed_http)
{
    const char *dir_path = vb_test_data_path("http-requests/request");
    char dir_copy[4096];
    snprintf(dir_copy, sizeof dir_copy, "%s", dir_path);
    DIR *dir = opendir(dir_copy);
    ck_assert_ptr_nonnull(dir);
    struct dirent *entry;
    size_t blocks = 0, answered = 0;
    while ((entry = readdir(dir)) != NULL) {
        if (!strstr(entry->d_name, ".md"))
            continue;
        char path[4600];
        snprintf(path, sizeof path, "%s/%s", dir_copy, entry->d_name);
        size_t len;
        char *text = vb_test_read_file(path, &len);
        ck_assert_ptr_nonnull(text);
        const char *fence = "```http\n";
        for (char *p = strstr(text, fence); p; p = strstr(p, fence)) {
            char *start = p + strlen(fence);
            char *end = strstr(start, "\n```");
            ck_assert_ptr_nonnull(end);
            size_t block_len = (size_t)(end - start);
            char *request = malloc(2 * block_len + 1);
            size_t request_len = unescape_block(start, block_len, request);
            request[request_len] = '\0';
            blocks++;

            char what[512];
            snprintf(what, sizeof what, "%s block %zu", entry->d_name, blocks);
            int fd = sd_connect(port);
            ck_assert_msg(fd >= 0, "%s: cannot connect", what);
            /* The daemon may close before all of it is sent: fine. */
            sd_send_all(fd, request, request_len);
            shutdown(fd, SHUT_WR);
            size_t raw_len;
            bool timed_out;
            char *raw = sd_read_all(fd, &raw_len, &timed_out);
            close(fd);
            ck_assert_msg(!timed_out, "%s: the daemon hung", what);
            check_statuses(raw, raw_len, request, what, &answered);
            free(raw);
            free(request);
            assert_still_serving(what);
            p = end + 4;
        }
        free(text);
    }
    closedir(dir);
    ck_assert_uint_gt(blocks, 100);
    ck_assert_uint_gt(answered, 50);
}
END_TEST

/* ---- Query syntax
 * ------------------------------------------------------------------------ */

/* Quotes, minus signs and combining marks where a parser does not expect
 * them: every one is a search (200), never an error of ours.  The first
 * was 503 "out of memory": a combining accent after a quote made a token
 * with no French term, and the phrase an empty word. */
START_TEST(test_searchd_badinput_query_syntax)
{
    static const char *const queries[] = {
        "%22%CC%81S%20X%20", "%22%CC%81S%20X", "%22%CC%81%20S%20X%20",
        "%CC%81", "%CC%81%CC%81%CC%81", "%22%CC%81%22", "%22", "%22%22",
        "%22%20%22", "-", "--", "-%22", "-%22%CC%81S%20X%22", "%22-x%20y%22",
        "%22a%22%22b%22%22c", "x%20-", "%22%E2%80%8B%22%20a",
        "%22%CC%81S%20X%20%22%20-%CC%81", "%27%CC%81s%20x%20",
        "l%27%CC%81%20d%27"};
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
        const char *params[] = {"", "&lang=fr", "&lang=en", "&customer=C000123"};
        for (size_t k = 0; k < 4; k++) {
            char target[256];
            snprintf(target, sizeof target, "/v1/search?q=%s%s", queries[i],
                     params[k]);
            struct sd_response r;
            ck_assert_msg(sd_get(port, target, &r), "no answer: %s", target);
            ck_assert_msg(r.status == 200, "%s: %d %s", target, r.status,
                          r.body);
            sd_response_free(&r);
        }
    }
}
END_TEST

/* Two statements of a body's length: refused (request smuggling once a
 * proxy sits in front); the same length twice is one statement. */
START_TEST(test_searchd_badinput_ambiguous_framing)
{
    static const struct {
        const char *request;
        int status;
    } cases[] = {
        {"GET /v1/search?q=x HTTP/1.1\r\nHost: localhost\r\n"
         "Content-Length: 0\r\nContent-Length: 5\r\n\r\nhello",
         400},
        {"POST /v1/search HTTP/1.1\r\nHost: localhost\r\n"
         "Content-Type: application/json\r\nContent-Length: 12\r\n"
         "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
         400},
        {"POST /v1/search HTTP/1.1\r\nHost: localhost\r\n"
         "Content-Type: application/json\r\nContent-Length: 11\r\n"
         "Content-Length: 11\r\n\r\n{\"q\":\"abc\"}",
         200},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int fd = sd_connect(port);
        ck_assert_int_ge(fd, 0);
        ck_assert(sd_send_all(fd, cases[i].request, strlen(cases[i].request)));
        shutdown(fd, SHUT_WR);
        size_t len;
        bool timed_out;
        char *raw = sd_read_all(fd, &len, &timed_out);
        close(fd);
        ck_assert(!timed_out);
        struct sd_response r;
        sd_parse_response(raw, len, &r);
        ck_assert_msg(r.status == cases[i].status, "case %zu: %d %s", i,
                      r.status, r.body);
        if (r.status == 400)
            ck_assert_str_eq(sd_error_code(&r), "invalid_parameter");
        sd_response_free(&r);
    }
}
END_TEST

/* ---- Sizes
 * ------------------------------------------------------------------------ */

START_TEST(test_searchd_badinput_oversized)
{
    /* An announced body over the limit is refused before it is sent. */
    const char *heads[] = {
        "POST /v1/suggest HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
        "application/json\r\nContent-Length: 600000\r\n\r\n",
        "POST /v1/search HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
        "application/json\r\nContent-Length: 20000\r\n\r\n",
        "POST /v1/search HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
        "application/json\r\nContent-Length: 99999999999999999\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof heads / sizeof *heads; i++) {
        int fd = sd_connect(port);
        ck_assert(sd_send_all(fd, heads[i], strlen(heads[i])));
        size_t len;
        bool timed_out;
        char *raw = sd_read_all(fd, &len, &timed_out);
        close(fd);
        ck_assert_msg(!timed_out, "no answer without the body: %s", heads[i]);
        struct sd_response r;
        sd_parse_response(raw, len, &r);
        ck_assert_msg(r.status == 413 || r.status == 400, "%d for %s", r.status,
                      heads[i]);
        if (i < 2)
            ck_assert_str_eq(sd_error_code(&r), "too_large");
        sd_response_free(&r);
    }

    /* A chunked body that grows too large: the connection is closed
     * (libmicrohttpd cannot answer mid-body), never a 2xx. */
    int fd = sd_connect(port);
    const char *head = "POST /v1/suggest HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                       "application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    ck_assert(sd_send_all(fd, head, strlen(head)));
    static char chunk[8192 + 16];
    int n = sprintf(chunk, "2000\r\n");
    memset(chunk + n, 'a', 8192);
    memcpy(chunk + n + 8192, "\r\n", 2);
    for (int i = 0; i < 80; i++)
        if (!sd_send_all(fd, chunk, (size_t)n + 8192 + 2))
            break;
    shutdown(fd, SHUT_WR);
    size_t len;
    bool timed_out;
    char *raw = sd_read_all(fd, &len, &timed_out);
    close(fd);
    ck_assert(!timed_out);
    struct sd_response r;
    sd_parse_response(raw, len, &r);
    ck_assert_msg(r.status == 0 || r.status == 413 || r.status == 400,
                  "chunked oversized body: %d", r.status);
    sd_response_free(&r);

    /* Too many parameters, a huge header, a huge URL: 4xx, not 5xx. */
    char *target = malloc(1024);
    strcpy(target, "/v1/search?q=x");
    for (int i = 0; i < 70; i++)
        sprintf(target + strlen(target), "&p%d=1", i);
    ck_assert(sd_get(port, target, &r));
    ck_assert_int_eq(r.status, 400);
    sd_response_free(&r);
    free(target);

    size_t huge = 300 * 1024;
    char *header = malloc(huge + 32);
    strcpy(header, "Cookie: ");
    memset(header + 8, 'c', huge);
    strcpy(header + 8 + huge, "\r\n");
    fd = sd_connect(port);
    char *request = malloc(huge + 128);
    int m = sprintf(request, "GET /v1/health HTTP/1.1\r\nHost: localhost\r\n%s\r\n",
                    header);
    sd_send_all(fd, request, (size_t)m);
    shutdown(fd, SHUT_WR);
    raw = sd_read_all(fd, &len, &timed_out);
    close(fd);
    ck_assert(!timed_out);
    sd_parse_response(raw, len, &r);
    /* In the JSON error format, not libmicrohttpd's HTML. */
    ck_assert_msg(r.status == 431, "huge header: %d", r.status);
    ck_assert_str_eq(sd_error_code(&r), "too_large");
    sd_response_free(&r);

    fd = sd_connect(port);
    m = sprintf(request, "GET /v1/search?q=");
    memset(request + m, 'q', huge);
    m += (int)huge;
    m += sprintf(request + m, " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    sd_send_all(fd, request, (size_t)m);
    shutdown(fd, SHUT_WR);
    raw = sd_read_all(fd, &len, &timed_out);
    close(fd);
    ck_assert(!timed_out);
    sd_parse_response(raw, len, &r);
    ck_assert_msg(r.status == 414, "huge URL: %d", r.status);
    ck_assert_str_eq(sd_error_code(&r), "too_large");
    sd_response_free(&r);

    /* 5,000 empty parameters (10 KB): answered, in JSON. */
    m = sprintf(request, "/v1/search?q=x");
    memset(request + m, '&', 5000);
    request[m + 5000] = '\0';
    ck_assert(sd_get(port, request, &r));
    ck_assert_int_eq(r.status, 414);
    ck_assert_str_eq(sd_error_code(&r), "too_large");
    sd_response_free(&r);
    free(request);
    free(header);
    assert_still_serving("oversized requests");
}
END_TEST

/* ---- Stalled clients
 * ---------------------------------------------------------------- */

/* Waits (bounded) for the server to close `fd`; true when it did. */
static bool closed_by_server(int fd)
{
    size_t len;
    bool timed_out;
    char *raw = sd_read_all(fd, &len, &timed_out);
    free(raw);
    return !timed_out;
}

/* A TCP connection to 127.0.0.1:port from the loopback address `from`
 * (another client, as the daemon sees it); -1 on failure. */
static int connect_from(const char *from, int to_port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in src = {.sin_family = AF_INET}, dst = src;
    inet_pton(AF_INET, from, &src.sin_addr);
    inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
    dst.sin_port = htons((uint16_t)to_port);
    if (fd < 0 || bind(fd, (struct sockaddr *)&src, sizeof src) != 0 ||
        connect(fd, (struct sockaddr *)&dst, sizeof dst) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* One client trickling headers on more connections than the daemon has:
 * it gets its share (max-connections-per-client), and another client is
 * still served. */
START_TEST(test_searchd_badinput_connection_hog)
{
    struct sd_daemon d;
    const char *args[] = {"--max-connections", "40",
                          "--max-connections-per-client", "16", "--timeout",
                          "60", NULL};
    ck_assert(sd_start(&d, args));
    enum { HOG = 60 };
    int fds[HOG];
    for (int i = 0; i < HOG; i++) {
        fds[i] = connect_from("127.0.0.2", d.port);
        if (fds[i] >= 0)
            sd_send_all(fds[i], "GET /v1/health HTTP/1.1\r\nHost: x",
                        strlen("GET /v1/health HTTP/1.1\r\nHost: x"));
    }
    for (int i = 0; i < 10; i++) {
        struct sd_response r;
        ck_assert_msg(sd_get(d.port, "/v1/health", &r),
                      "another client was not served (try %d)", i);
        ck_assert_int_eq(r.status, 200);
        sd_response_free(&r);
    }
    for (int i = 0; i < HOG; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    ck_assert_int_eq(sd_stop(&d, SIGTERM), 0);
}
END_TEST

START_TEST(test_searchd_badinput_slow_clients)
{
    /* Its own daemon, with a one-second time-out. */
    struct sd_daemon slow_daemon;
    const char *args[] = {"--timeout", "1", "--threads", "2", NULL};
    ck_assert(sd_start(&slow_daemon, args));
    int slow_port = slow_daemon.port;

    /* Half a request line, half the headers, half a body, and nothing. */
    const char *stalls[] = {
        "GET /v1/hea",
        "GET /v1/health HTTP/1.1\r\nHost: localhost\r\nAccept: ",
        "POST /v1/search HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
        "application/json\r\nContent-Length: 100\r\n\r\n{\"q\":",
        "",
    };
    enum { STALLS = sizeof stalls / sizeof *stalls };
    int fds[STALLS];
    for (size_t i = 0; i < STALLS; i++) {
        fds[i] = sd_connect(slow_port);
        ck_assert_int_ge(fds[i], 0);
        ck_assert(sd_send_all(fds[i], stalls[i], strlen(stalls[i])));
    }
    /* Many idle connections on top. */
    int idle[40];
    for (size_t i = 0; i < 40; i++)
        idle[i] = sd_connect(slow_port);

    /* Meanwhile other clients are served. */
    for (int i = 0; i < 20; i++) {
        struct sd_response r;
        ck_assert(sd_get(slow_port, "/v1/health", &r));
        ck_assert_int_eq(r.status, 200);
        sd_response_free(&r);
    }

    /* And the stalled ones are cut off by the time-out. */
    for (size_t i = 0; i < STALLS; i++) {
        ck_assert_msg(closed_by_server(fds[i]),
                      "stalled client %zu was not cut off", i);
        close(fds[i]);
    }
    for (size_t i = 0; i < 40; i++) {
        if (idle[i] >= 0) {
            ck_assert(closed_by_server(idle[i]));
            close(idle[i]);
        }
    }
    struct sd_response r;
    ck_assert(sd_get(slow_port, "/v1/health", &r));
    ck_assert_int_eq(r.status, 200);
    sd_response_free(&r);
    ck_assert_int_eq(sd_stop(&slow_daemon, SIGTERM), 0);
}
END_TEST

/* Sends `lines` one after another, a quarter of a second apart, until the
 * server closes the connection; returns how many it took (all of them:
 * never closed). */
static int trickle_until_closed(int fd, const char *const *lines, int count)
{
    for (int i = 0; i < count; i++) {
        char byte;
        ssize_t n = recv(fd, &byte, 1, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
            return i;
        if (send(fd, lines[i], strlen(lines[i]), MSG_NOSIGNAL) < 0)
            return i;
        sd_sleep_ms(250);
    }
    return count;
}

/* A client that is never silent for long but never finishes its request:
 * one header line, or ten bytes of body, every quarter of a second.  The
 * idle time-out (30 s here) never fires; the request deadline (1 s for
 * the headers, 1 s for the body) does, long before 10 s of trickling,
 * while other clients are served and a kept-alive client that pauses
 * between its requests is not cut off. */
START_TEST(test_searchd_badinput_request_deadline)
{
    struct sd_daemon d;
    const char *args[] = {"--timeout", "30", "--header-timeout", "1",
                          "--body-timeout", "1", NULL};
    ck_assert(sd_start(&d, args));
    enum { LINES = 40 };
    char header_lines[LINES][32];
    const char *headers[LINES], *body[LINES];
    for (int i = 0; i < LINES; i++) {
        snprintf(header_lines[i], sizeof header_lines[i], "X-Line-%d: a\r\n", i);
        headers[i] = header_lines[i];
        body[i] = "          ";
    }
    int fd = sd_connect(d.port);
    ck_assert_int_ge(fd, 0);
    const char *line = "GET /v1/health HTTP/1.1\r\nHost: localhost\r\n";
    ck_assert(sd_send_all(fd, line, strlen(line)));
    int sent = trickle_until_closed(fd, headers, LINES);
    ck_assert_msg(sent < LINES, "headers trickled for 10 s were not cut off");
    close(fd);

    fd = sd_connect(d.port);
    ck_assert_int_ge(fd, 0);
    const char *post = "POST /v1/search HTTP/1.1\r\nHost: localhost\r\n"
                       "Content-Type: application/json\r\n"
                       "Content-Length: 1000\r\n\r\n";
    ck_assert(sd_send_all(fd, post, strlen(post)));
    sent = trickle_until_closed(fd, body, LINES);
    ck_assert_msg(sent < LINES, "a body trickled for 10 s was not cut off");
    close(fd);

    /* Two requests on one connection, half a second apart: both answered
     * (the deadline starts again after each answer). */
    fd = sd_connect(d.port);
    ck_assert_int_ge(fd, 0);
    const char *get = "GET /v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n";
    for (int i = 0; i < 2; i++) {
        ck_assert(sd_send_all(fd, get, strlen(get)));
        char buf[16] = {0};
        ck_assert_int_eq(recv(fd, buf, 12, MSG_WAITALL), 12);
        ck_assert_str_eq(buf, "HTTP/1.1 200");
        char rest[4096];
        while (recv(fd, rest, sizeof rest, MSG_DONTWAIT) > 0)
            ;
        sd_sleep_ms(500);
    }
    close(fd);
    struct sd_response r;
    ck_assert(sd_get(d.port, "/v1/health", &r));
    ck_assert_int_eq(r.status, 200);
    sd_response_free(&r);
    ck_assert_int_eq(sd_stop(&d, SIGTERM), 0);
}
END_TEST

int main(void)
{
    vb_test_require_data("naughty/blns.txt");
    vb_test_require_data("utf8/UTF-8-test.txt");
    vb_test_require_data("jsontestsuite/test_parsing");
    vb_test_require_data("http-requests/request");

    Suite *suite = suite_create("searchd_badinput");
    TCase *tc = tcase_create("badinput");
    tcase_add_unchecked_fixture(tc, start_daemon, stop_daemon);
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, test_searchd_badinput_naughty_strings);
    tcase_add_test(tc, test_searchd_badinput_kuhn_utf8);
    tcase_add_test(tc, test_searchd_badinput_json_test_suite);
    tcase_add_test(tc, test_searchd_badinput_malformed_http);
    tcase_add_test(tc, test_searchd_badinput_oversized);
    tcase_add_test(tc, test_searchd_badinput_query_syntax);
    tcase_add_test(tc, test_searchd_badinput_ambiguous_framing);
    tcase_add_test(tc, test_searchd_badinput_slow_clients);
    tcase_add_test(tc, test_searchd_badinput_connection_hog);
    tcase_add_test(tc, test_searchd_badinput_request_deadline);
    suite_add_tcase(suite, tc);
    return vb_test_run(suite);
}
