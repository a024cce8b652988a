/* vraagbaak-searchd as an operator runs it (Contract 2): --help,
 * --version, one-line errors with exit status 2 for a wrong flag, a
 * missing index, a busy port and a non-loopback address; the config file
 * with FILE:LINE errors; SIGINT/SIGTERM stop it with status 0; the
 * request log (--log-requests) that says nothing a client typed. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "test_searchd_util.h"
#include "testutil.h"

static char out[65536], err[65536];

/* stderr is exactly one line starting with the program's name. */
static void assert_one_line_error(const char *must_contain)
{
    size_t len = strlen(err);
    ck_assert_msg(len > 0 && err[len - 1] == '\n', "stderr: '%s'", err);
    ck_assert_msg(strchr(err, '\n') == err + len - 1,
                  "more than one line on stderr: '%s'", err);
    ck_assert_msg(strncmp(err, "vraagbaak-searchd: ", 19) == 0, "stderr: '%s'",
                  err);
    if (must_contain)
        ck_assert_msg(strstr(err, must_contain), "expected '%s' in '%s'",
                      must_contain, err);
}

static int run(const char *const *args)
{
    return sd_run(args, out, sizeof out, err, sizeof err);
}

START_TEST(test_searchd_cli_help)
{
    const char *args[] = {"--help", NULL};
    ck_assert_int_eq(run(args), 0);
    ck_assert_msg(strncmp(out, "Usage: vraagbaak-searchd", 24) == 0, "%s", out);
    for (const char *const *option =
             (const char *const[]){"--index", "--listen", "--config",
                                   "--synonyms", "--cors-origin", "--threads",
                                   "--timeout", "--web", NULL};
         *option; option++)
        ck_assert_msg(strstr(out, *option), "--help does not mention %s",
                      *option);
    ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(test_searchd_cli_version)
{
    const char *args[] = {"--version", NULL};
    ck_assert_int_eq(run(args), 0);
    ck_assert_str_eq(out, "vraagbaak-searchd " VB_VERSION "\n");
    ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(test_searchd_cli_wrong_flags)
{
    struct {
        const char *args[4];
        const char *mentions;
    } cases[] = {
        {{"--bogus", NULL}, "--bogus"},
        {{"-x", NULL}, "-x"},
        {{"stray", NULL}, "stray"},
        {{"--index", NULL}, "needs a value"},
        {{"--threads", "0", NULL}, "threads"},
        {{"--threads", "many", NULL}, "threads"},
        {{"--timeout", "-1", NULL}, "timeout"},
        {{"--max-connections", "99999999999", NULL}, "max-connections"},
        {{"--cors-origin", "ftp://crm.example", NULL}, "cors-origin"},
        {{"--cors-origin", "https://crm.example/path", NULL}, "cors-origin"},
        {{"--listen", "nonsense", NULL}, "listen address"},
        {{"--listen", "127.0.0.1:99999", NULL}, "listen address"},
        {{"--listen", "::1:8080", NULL}, "listen address"},
        {{"--index", "", NULL}, "empty"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int status = run(cases[i].args);
        ck_assert_msg(status == 2, "%s: exit %d", cases[i].args[0], status);
        assert_one_line_error(cases[i].mentions);
        ck_assert_str_eq(out, "");
    }
}
END_TEST

START_TEST(test_searchd_cli_missing_index)
{
    const char *args[] = {"--index", "/tmp/vb-searchd-no-such-index",
                          "--listen", "127.0.0.1:0", NULL};
    ck_assert_int_eq(run(args), 2);
    assert_one_line_error("/tmp/vb-searchd-no-such-index");
    ck_assert_str_eq(out, "");

    /* The default comes from $VRAAGBAAK_INDEX. */
    const char *no_index[] = {"--listen", "127.0.0.1:0", NULL};
    ck_assert_int_eq(sd_run_env("VRAAGBAAK_INDEX", "/tmp/vb-searchd-env-index",
                                no_index, out, sizeof out, err, sizeof err),
                     2);
    assert_one_line_error("/tmp/vb-searchd-env-index");
}
END_TEST

START_TEST(test_searchd_cli_busy_port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    ck_assert_int_eq(listen(fd, 1), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
    char listen_arg[64];
    snprintf(listen_arg, sizeof listen_arg, "127.0.0.1:%d",
             ntohs(addr.sin_port));
    const char *args[] = {"--index", VB_SEARCHD_TEST_INDEX, "--listen",
                          listen_arg, NULL};
    ck_assert_int_eq(run(args), 2);
    assert_one_line_error("address already in use");
    close(fd);
}
END_TEST

START_TEST(test_searchd_cli_refuses_non_loopback)
{
    const char *addresses[] = {"0.0.0.0:0", "192.0.2.1:8080", "[::]:0",
                               "[2001:db8::1]:8080", "10.0.0.1:0"};
    for (size_t i = 0; i < sizeof addresses / sizeof *addresses; i++) {
        const char *args[] = {"--index", VB_SEARCHD_TEST_INDEX, "--listen",
                              addresses[i], NULL};
        ck_assert_msg(run(args) == 2, "%s accepted", addresses[i]);
        assert_one_line_error("not a loopback address");
    }
}
END_TEST

START_TEST(test_searchd_cli_loopback_names)
{
    /* Names are resolved first: localhost is loopback. */
    struct sd_daemon daemon;
    const char *args[] = {"--listen", "localhost:0", NULL};
    ck_assert(sd_start(&daemon, args));
    ck_assert_msg(strncmp(daemon.url, "http://127.0.0.1:", 17) == 0 ||
                      strncmp(daemon.url, "http://[::1]:", 13) == 0,
                  "%s", daemon.url);
    ck_assert_int_eq(sd_stop(&daemon, SIGTERM), 0);

    const char *other_loopback[] = {"--listen", "127.0.0.2:0", NULL};
    ck_assert(sd_start(&daemon, other_loopback));
    ck_assert_int_eq(sd_stop(&daemon, SIGTERM), 0);
}
END_TEST

START_TEST(test_searchd_cli_signals_stop_cleanly)
{
    int signals[] = {SIGTERM, SIGINT};
    for (size_t i = 0; i < 2; i++) {
        struct sd_daemon daemon;
        ck_assert(sd_start(&daemon, NULL));
        struct sd_response r;
        ck_assert(sd_get(daemon.port, "/v1/health", &r));
        ck_assert_int_eq(r.status, 200);
        sd_response_free(&r);
        /* An idle client does not hold up the stop. */
        int idle = sd_connect(daemon.port);
        ck_assert_int_ge(idle, 0);
        ck_assert_int_eq(sd_stop(&daemon, signals[i]), 0);
        close(idle);
    }
}
END_TEST

/* --log-requests on: one JSON line per request on stderr, with the
 * route, status, time, hits, error and parameter, and never the query,
 * the customer, a document id or a ticket.  Off by default. */
static void logged_requests(bool on, char *log, size_t cap)
{
    char path[] = "/tmp/vb-requests-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    int saved = dup(STDERR_FILENO);
    ck_assert_int_eq(dup2(fd, STDERR_FILENO), STDERR_FILENO);
    const char *args[] = {"--log-requests", "on", NULL};
    struct sd_daemon daemon;
    bool started = sd_start(&daemon, on ? args : NULL);
    dup2(saved, STDERR_FILENO); /* the daemon keeps the file */
    close(saved);
    ck_assert(started);
    const char *targets[] = {
        "/v1/search?q=geheimwoord+factuur",
        "/v1/search?q=klacht&customer=C000123",
        "/v1/search?q=x&ticket-ish=zzsecret",
        "/v1/docs/proc-verhuizing-nl",
        "/nergens/geheimpad",
    };
    for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
        struct sd_response r;
        ck_assert(sd_get(daemon.port, targets[i], &r));
        sd_response_free(&r);
    }
    ck_assert_int_eq(sd_stop(&daemon, SIGTERM), 0);
    ssize_t n = pread(fd, log, cap - 1, 0);
    log[n > 0 ? n : 0] = '\0';
    close(fd);
    unlink(path);
}

START_TEST(test_searchd_cli_request_log)
{
    static char log[65536];
    logged_requests(true, log, sizeof log);
    size_t lines = 0;
    bool search = false, refused = false, missing = false;
    for (char *line = strtok(log, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] != '{')
            continue; /* the start-up notes */
        json_error_t error;
        json_t *o = json_loads(line, 0, &error);
        ck_assert_msg(o, "not JSON: %s", line);
        lines++;
        ck_assert_msg(json_is_string(json_object_get(o, "time")) &&
                          json_is_string(json_object_get(o, "method")) &&
                          json_is_integer(json_object_get(o, "status")) &&
                          json_is_integer(json_object_get(o, "took_us")),
                      "%s", line);
        const char *route = json_string_value(json_object_get(o, "route"));
        int status = (int)json_integer_value(json_object_get(o, "status"));
        if (route && strcmp(route, "/v1/search") == 0 && status == 200)
            search = json_is_integer(json_object_get(o, "hits"));
        if (status == 400)
            refused = strcmp(json_string_value(json_object_get(o, "parameter")),
                             "ticket-ish") == 0;
        if (status == 404)
            missing = json_is_null(json_object_get(o, "route"));
        ck_assert_msg(!strstr(line, "geheim") && !strstr(line, "C000123") &&
                          !strstr(line, "verhuizing") &&
                          !strstr(line, "zzsecret") && !strstr(line, "klacht"),
                      "the log says what a client typed: %s", line);
        json_decref(o);
    }
    ck_assert_uint_eq(lines, 5);
    ck_assert_msg(search && refused && missing, "%d %d %d", search, refused,
                  missing);

    logged_requests(false, log, sizeof log);
    ck_assert_msg(!strchr(log, '{'), "a request log without asking: %s", log);
}
END_TEST

#ifdef VB_HAVE_SYSTEMD
/* Under systemd (Type=notify): READY=1 once the daemon listens, then
 * STOPPING=1 when it is told to stop, on $NOTIFY_SOCKET. */
START_TEST(test_searchd_cli_tells_systemd)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/vb-notify-%d", (int)getpid());
    unlink(path);
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(fd, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    struct timeval wait = {.tv_sec = 30};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    setenv("NOTIFY_SOCKET", path, 1);
    struct sd_daemon daemon;
    bool started = sd_start(&daemon, NULL);
    unsetenv("NOTIFY_SOCKET");
    ck_assert(started);
    char message[256];
    ssize_t n = recv(fd, message, sizeof message - 1, 0);
    ck_assert_int_gt(n, 0);
    message[n] = '\0';
    ck_assert_msg(strstr(message, "READY=1"), "got '%s'", message);
    ck_assert_int_eq(sd_stop(&daemon, SIGTERM), 0);
    n = recv(fd, message, sizeof message - 1, 0);
    ck_assert_int_gt(n, 0);
    message[n] = '\0';
    ck_assert_msg(strstr(message, "STOPPING=1"), "got '%s'", message);
    close(fd);
    unlink(path);
}
END_TEST
#endif

START_TEST(test_searchd_cli_config_file)
{
    char dir[64], path[128], body[512];
    ck_assert(sd_temp_dir("vb-searchd-cli-", dir, sizeof dir));
    snprintf(path, sizeof path, "%s/searchd.conf", dir);

    /* A good file: everything from it. */
    snprintf(body, sizeof body,
             "# vraagbaak-searchd\n\nindex = %s\n  listen=127.0.0.1:0  \n"
             "threads = 2\ntimeout = 5\ncors-origin = https://crm.example\n",
             VB_SEARCHD_TEST_INDEX);
    ck_assert(sd_write_file(path, body));
    struct sd_daemon daemon;
    const char *args[] = {"--config", path, NULL};
    ck_assert(sd_start(&daemon, args));
    ck_assert_int_eq(sd_stop(&daemon, SIGTERM), 0);

    /* The command line wins over the file. */
    ck_assert(sd_write_file(path, "listen = 0.0.0.0:0\n"));
    const char *overridden[] = {"--config", path, "--listen", "127.0.0.1:0",
                                NULL};
    ck_assert(sd_start(&daemon, overridden));
    ck_assert_int_eq(sd_stop(&daemon, SIGTERM), 0);

    /* Errors name the file and line. */
    struct {
        const char *text;
        const char *where;
        const char *what;
    } bad[] = {
        {"threads = 2\nthread = 3\n", ":2: ", "unknown option 'thread'"},
        {"# comment\n\ntimeout = soon\n", ":3: ", "timeout"},
        {"listen\n", ":1: ", "expected 'key = value'"},
        {"index =\n", ":1: ", "empty"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert(sd_write_file(path, bad[i].text));
        const char *bad_args[] = {"--config", path, NULL};
        ck_assert_int_eq(run(bad_args), 2);
        char expected[256];
        snprintf(expected, sizeof expected, "%s%s", path, bad[i].where);
        assert_one_line_error(expected);
        assert_one_line_error(bad[i].what);
    }
    snprintf(path, sizeof path, "%s/missing.conf", dir);
    const char *missing[] = {"--config", path, NULL};
    ck_assert_int_eq(run(missing), 2);
    assert_one_line_error("missing.conf");
    vb_test_remove_tree(dir);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("searchd_cli");
    TCase *tc = tcase_create("cli");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_searchd_cli_help);
    tcase_add_test(tc, test_searchd_cli_version);
    tcase_add_test(tc, test_searchd_cli_wrong_flags);
    tcase_add_test(tc, test_searchd_cli_missing_index);
    tcase_add_test(tc, test_searchd_cli_busy_port);
    tcase_add_test(tc, test_searchd_cli_refuses_non_loopback);
    tcase_add_test(tc, test_searchd_cli_loopback_names);
    tcase_add_test(tc, test_searchd_cli_signals_stop_cleanly);
    tcase_add_test(tc, test_searchd_cli_config_file);
    tcase_add_test(tc, test_searchd_cli_request_log);
#ifdef VB_HAVE_SYSTEMD
    tcase_add_test(tc, test_searchd_cli_tells_systemd);
#endif
    suite_add_tcase(suite, tc);
    return vb_test_run(suite);
}
