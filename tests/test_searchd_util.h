/* test_searchd_util.h — helpers for the searchd integration tests: start
 * and stop the real vraagbaak-searchd, run it as a command, and talk HTTP
 * to it over raw sockets.
 *
 * Every wait is bounded (SD_WAIT_SECONDS at most); nothing sleeps longer
 * than it must, and nothing asserts on how long something took. */
#ifndef TEST_SEARCHD_UTIL_H
#define TEST_SEARCHD_UTIL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "testutil.h"

/* Upper bound of any wait for the daemon (start-up, a response, exit);
 * generous for the sanitizer build. */
#define SD_WAIT_SECONDS 30

struct sd_daemon {
    pid_t pid;
    int port;
    char url[96]; /* as printed: "http://127.0.0.1:PORT" */
};

/* Starts vraagbaak-searchd on 127.0.0.1 port 0 with the test index and
 * `args` (NULL-terminated, may be NULL) after the default ones (so they
 * may override them); reads the "listening on" line.  The daemon dies with the
 * process that started it. False (with a message on stderr) when it did not
 * come up. */
bool sd_start(struct sd_daemon *daemon, const char *const *args);

/* Sends SIGTERM (or `signal_number`) and waits for the daemon; returns
 * its exit status, 128 + signal if a signal killed it, or -1 if it had to
 * be killed after SD_WAIT_SECONDS. */
int sd_stop(struct sd_daemon *daemon, int signal_number);

/* Whether the daemon process is still running (not exited). */
bool sd_alive(const struct sd_daemon *daemon);

/* Runs vraagbaak-searchd with `args` (NULL-terminated) to completion,
 * standard output and error captured (NUL-terminated, truncated to the
 * buffers).  Returns the exit status, or -1 when it had to be killed. */
int sd_run(const char *const *args, char *out, size_t out_cap, char *err,
           size_t err_cap);

/* Same with the environment variable `name` set to `value` for the
 * child. */
int sd_run_env(const char *name, const char *value, const char *const *args,
               char *out, size_t out_cap, char *err, size_t err_cap);

/* ---- HTTP ---------------------------------------------------------------- */

struct sd_response {
    int status; /* of the final response (after any 1xx); 0: none */
    char *head; /* status line and headers, NUL-terminated */
    char *body; /* NUL-terminated (may hold NULs; see body_len) */
    size_t body_len;
    size_t raw_len; /* bytes received in all */
};

/* A TCP connection to 127.0.0.1:port; -1 on failure. */
int sd_connect(int port);

/* Sends all of data; false on error. */
bool sd_send_all(int fd, const void *data, size_t len);

/* Reads until the peer closes or SD_WAIT_SECONDS pass, into a malloc'd
 * buffer (NUL-terminated); *timed_out says whether the wait ran out. */
char *sd_read_all(int fd, size_t *len, bool *timed_out);

/* Parses a raw response: skips 1xx interim responses, splits head and
 * body (cut to Content-Length when given).  `raw` is consumed. */
void sd_parse_response(char *raw, size_t len, struct sd_response *response);

/* One request on a new connection with "Connection: close".  `headers`
 * holds extra header lines, each ending in \r\n (may be NULL).  With a
 * non-NULL body, Content-Length is added.  False when the connection
 * failed or no response came (then `response` holds nothing to free). */
bool sd_request(int port, const char *method, const char *target,
                const char *headers, const char *body, size_t body_len,
                struct sd_response *response);

/* GET `target`. */
bool sd_get(int port, const char *target, struct sd_response *response);

/* POST `body` (NUL-terminated) as application/json. */
bool sd_post_json(int port, const char *target, const char *body,
                  struct sd_response *response);

/* The value of header `name` (case-insensitive) as a malloc'd string, or
 * NULL. */
char *sd_header(const struct sd_response *response, const char *name);

/* The body parsed as JSON, or NULL. */
json_t *sd_json(const struct sd_response *response);

/* The error code slug of an error body ({"error": {"code": ...}}), as a
 * static copy ("" when the body is not the error JSON). */
const char *sd_error_code(const struct sd_response *response);

void sd_response_free(struct sd_response *response);

/* s[0..len) percent-encoded (everything but unreserved characters); a
 * malloc'd string. */
char *sd_url_encode(const char *s, size_t len);

/* Creates a directory under /tmp (mkdtemp of `prefix`XXXXXX) in `out`;
 * false on failure. */
bool sd_temp_dir(const char *prefix, char *out, size_t cap);

/* Writes a file; false on failure. */
bool sd_write_file(const char *path, const char *content);


/* ---- Other programs, files and searches (behaviour tests) ---------------- */

/* Runs the program at `path` with `args` (NULL-terminated, may be NULL;
 * argv[0] is `path`) to completion, standard output and error captured as
 * sd_run does.  Returns the exit status, or -1 when it could not be run or
 * had to be killed after SD_WAIT_SECONDS. */
int sd_run_program(const char *path, const char *const *args, char *out,
                   size_t out_cap, char *err, size_t err_cap);

/* Copies the file or directory tree `from` to `to` (which must not exist);
 * regular files and directories only.  False on failure. */
bool sd_copy_tree(const char *from, const char *to);

/* Writes `content` to `path` through a temporary file renamed over it, so
 * that a reader sees the old file or the new one, never half of it. */
bool sd_replace_file(const char *path, const char *content);

/* GET `target` and parse the body as JSON; *status gets the HTTP status
 * (0: no answer).  NULL when there was no answer or the body is not
 * JSON. */
json_t *sd_get_json(int port, const char *target, int *status);

/* Milliseconds on the monotonic clock, for bounded polling loops. */
long long sd_now_ms(void);

/* Sleeps `ms` milliseconds. */
void sd_sleep_ms(int ms);

#endif
