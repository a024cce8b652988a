/* test_searchd_util.c — see test_searchd_util.h. */
#include "test_searchd_util.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef VB_SEARCHD_PATH
#error "VB_SEARCHD_PATH must be defined by the build"
#endif
#ifndef VB_SEARCHD_TEST_INDEX
#error "VB_SEARCHD_TEST_INDEX must be defined by the build"
#endif

/* Milliseconds on the monotonic clock. */
static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* argv for the daemon: the program, then `first` (NULL-terminated), then
 * `args` (NULL-terminated, may be NULL).  malloc'd array of borrowed
 * strings. */
static char **build_argv(const char *const *first, const char *const *args)
{
    size_t n = 1;
    for (size_t i = 0; first && first[i]; i++)
        n++;
    for (size_t i = 0; args && args[i]; i++)
        n++;
    char **argv = calloc(n + 1, sizeof *argv);
    if (!argv)
        return NULL;
    size_t k = 0;
    argv[k++] = (char *)VB_SEARCHD_PATH;
    for (size_t i = 0; first && first[i]; i++)
        argv[k++] = (char *)first[i];
    for (size_t i = 0; args && args[i]; i++)
        argv[k++] = (char *)args[i];
    argv[k] = NULL;
    return argv;
}

/* Waits for `pid` up to `seconds`; returns the status as sd_stop does, or
 * -2 when it is still running. */
static int wait_exit(pid_t pid, int seconds)
{
    long long deadline = now_ms() + seconds * 1000LL;
    for (;;) {
        int status;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status)
                                     : 128 + WTERMSIG(status);
        if (r < 0 && errno != EINTR)
            return -1;
        if (now_ms() > deadline)
            return -2;
        struct timespec pause = {0, 5 * 1000000};
        nanosleep(&pause, NULL);
    }
}

bool sd_start(struct sd_daemon *daemon, const char *const *args)
{
    memset(daemon, 0, sizeof *daemon);
    daemon->pid = -1;
    static const char *const defaults[] = {"--index", VB_SEARCHD_TEST_INDEX,
                                           "--listen", "127.0.0.1:0", NULL};
    char **argv = build_argv(defaults, args);
    int out[2];
    if (!argv || pipe(out) != 0) {
        free(argv);
        return false;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        /* Never outlive the test process, whatever happens to it. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        dup2(out[1], STDOUT_FILENO);
        close(out[0]);
        close(out[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    free(argv);
    close(out[1]);
    if (pid < 0) {
        close(out[0]);
        return false;
    }
    daemon->pid = pid;

    char line[256];
    size_t used = 0;
    long long deadline = now_ms() + SD_WAIT_SECONDS * 1000LL;
    while (used < sizeof line - 1 && !memchr(line, '\n', used)) {
        long long left = deadline - now_ms();
        struct pollfd p = {.fd = out[0], .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            break;
        ssize_t n = read(out[0], line + used, sizeof line - 1 - used);
        if (n <= 0)
            break;
        used += (size_t)n;
    }
    close(out[0]);
    line[used] = '\0';
    const char *prefix = strncmp(line, "listening on https://", 21) == 0
                             ? "listening on https://"
                             : "listening on http://";
    char *newline = strchr(line, '\n');
    if (newline)
        *newline = '\0';
    char *colon = strrchr(line, ':');
    if (strncmp(line, prefix, strlen(prefix)) != 0 || !newline || !colon ||
        colon < line + strlen(prefix)) {
        fprintf(stderr, "sd_start: no 'listening on' line (got '%s')\n", line);
        sd_stop(daemon, SIGKILL);
        return false;
    }
    daemon->port = atoi(colon + 1);
    snprintf(daemon->url, sizeof daemon->url, "%.80s", line + 13);
    return daemon->port > 0;
}

int sd_stop(struct sd_daemon *daemon, int signal_number)
{
    if (daemon->pid <= 0)
        return -1;
    kill(daemon->pid, signal_number ? signal_number : SIGTERM);
    int status = wait_exit(daemon->pid, SD_WAIT_SECONDS);
    if (status == -2) {
        kill(daemon->pid, SIGKILL);
        wait_exit(daemon->pid, SD_WAIT_SECONDS);
        status = -1;
    }
    daemon->pid = -1;
    return status;
}

bool sd_alive(const struct sd_daemon *daemon)
{
    /* The daemon may be the child of another process (a Check fixture
     * started it in the runner, the test runs in a fork), so look at its
     * state in /proc instead of waiting for it: gone, or a zombie, is
     * dead. */
    if (daemon->pid <= 0)
        return false;
    char path[64], stat[256] = "";
    snprintf(path, sizeof path, "/proc/%d/stat", (int)daemon->pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    size_t n = fread(stat, 1, sizeof stat - 1, f);
    fclose(f);
    stat[n] = '\0';
    const char *close_paren = strrchr(stat, ')');
    return close_paren && close_paren[1] == ' ' && close_paren[2] != 'Z' &&
           close_paren[2] != 'X';
}

/* Reads what is ready on `fd` into buf[*used..cap-1); false at EOF. */
static bool drain(int fd, char *buf, size_t cap, size_t *used)
{
    char scratch[4096];
    ssize_t n = read(fd, scratch, sizeof scratch);
    if (n <= 0)
        return false;
    size_t room = cap - 1 - *used;
    size_t take = (size_t)n < room ? (size_t)n : room;
    memcpy(buf + *used, scratch, take);
    *used += take;
    buf[*used] = '\0';
    return true;
}

/* Runs argv (freed here) with NAME=VALUE added to its environment when
 * name is non-NULL, collecting its output; returns its exit status, or -1
 * when it could not run or did not end within SD_WAIT_SECONDS. */
static int run_collect(char **argv, const char *name, const char *value,
                       char *out, size_t out_cap, char *err, size_t err_cap)
{
    int out_pipe[2], err_pipe[2];
    if (!argv || pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
        free(argv);
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (name)
            setenv(name, value, 1);
        /* A program run to completion reads nothing of ours. */
        int null_fd = open("/dev/null", O_RDONLY);
        if (null_fd >= 0)
            dup2(null_fd, STDIN_FILENO);
        dup2(out_pipe[1], STDOUT_FILENO);
        dup2(err_pipe[1], STDERR_FILENO);
        close(out_pipe[0]);
        close(out_pipe[1]);
        close(err_pipe[0]);
        close(err_pipe[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    free(argv);
    close(out_pipe[1]);
    close(err_pipe[1]);
    size_t out_used = 0, err_used = 0;
    out[0] = err[0] = '\0';
    bool out_open = true, err_open = true;
    long long deadline = now_ms() + SD_WAIT_SECONDS * 1000LL;
    while ((out_open || err_open) && now_ms() < deadline) {
        struct pollfd p[2] = {
            {.fd = out_open ? out_pipe[0] : -1, .events = POLLIN},
            {.fd = err_open ? err_pipe[0] : -1, .events = POLLIN}};
        if (poll(p, 2, (int)(deadline - now_ms())) <= 0)
            break;
        if (p[0].revents && !drain(out_pipe[0], out, out_cap, &out_used))
            out_open = false;
        if (p[1].revents && !drain(err_pipe[0], err, err_cap, &err_used))
            err_open = false;
    }
    close(out_pipe[0]);
    close(err_pipe[0]);
    if (pid < 0)
        return -1;
    int status = wait_exit(pid, SD_WAIT_SECONDS);
    if (status == -2) {
        kill(pid, SIGKILL);
        wait_exit(pid, SD_WAIT_SECONDS);
        return -1;
    }
    return status;
}

int sd_run_env(const char *name, const char *value, const char *const *args,
               char *out, size_t out_cap, char *err, size_t err_cap)
{
    return run_collect(build_argv(NULL, args), name, value, out, out_cap, err,
                       err_cap);
}

int sd_run(const char *const *args, char *out, size_t out_cap, char *err,
           size_t err_cap)
{
    return sd_run_env(NULL, NULL, args, out, out_cap, err, err_cap);
}

/* ---- HTTP ---------------------------------------------------------------- */

int sd_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

bool sd_send_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

char *sd_read_all(int fd, size_t *len, bool *timed_out)
{
    size_t cap = 65536, used = 0;
    char *buf = malloc(cap);
    *timed_out = false;
    if (!buf)
        return NULL;
    long long deadline = now_ms() + SD_WAIT_SECONDS * 1000LL;
    for (;;) {
        long long left = deadline - now_ms();
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)left) == 0) {
            *timed_out = true;
            break;
        }
        if (used + 4096 + 1 > cap) {
            char *grown = realloc(buf, cap * 2);
            if (!grown)
                break;
            buf = grown;
            cap *= 2;
        }
        ssize_t n = recv(fd, buf + used, cap - used - 1, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) /* closed, or reset */
            break;
        used += (size_t)n;
    }
    buf[used] = '\0';
    *len = used;
    return buf;
}

void sd_parse_response(char *raw, size_t len, struct sd_response *response)
{
    memset(response, 0, sizeof *response);
    response->raw_len = len;
    char *start = raw;
    size_t left = len;
    for (;;) {
        char *end = left >= 4 ? strstr(start, "\r\n\r\n") : NULL;
        if (!end || strncmp(start, "HTTP/1.", 7) != 0 || left < 12) {
            response->head = strdup("");
            response->body = calloc(1, 1);
            break;
        }
        int status = atoi(start + 9);
        size_t head_len = (size_t)(end - start);
        char *body = end + 4;
        size_t body_len = left - head_len - 4;
        if (status >= 100 && status < 200) { /* interim: skip */
            start = body;
            left = body_len;
            continue;
        }
        response->status = status;
        response->head = strndup(start, head_len);
        response->body = malloc(body_len + 1);
        memcpy(response->body, body, body_len);
        response->body[body_len] = '\0';
        response->body_len = body_len;
        char *length = sd_header(response, "Content-Length");
        if (length) {
            size_t announced = strtoul(length, NULL, 10);
            if (announced < body_len) {
                response->body_len = announced;
                response->body[announced] = '\0';
            }
            free(length);
        }
        break;
    }
    free(raw);
}

bool sd_request(int port, const char *method, const char *target,
                const char *headers, const char *body, size_t body_len,
                struct sd_response *response)
{
    memset(response, 0, sizeof *response);
    int fd = sd_connect(port);
    if (fd < 0)
        return false;
    size_t cap =
        strlen(method) + strlen(target) + (headers ? strlen(headers) : 0) + 256;
    char *head = malloc(cap);
    int n = snprintf(head, cap,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                     "Connection: close\r\n%s",
                     method, target, port, headers ? headers : "");
    if (body)
        n += snprintf(head + n, cap - (size_t)n, "Content-Length: %zu\r\n",
                      body_len);
    n += snprintf(head + n, cap - (size_t)n, "\r\n");
    bool ok = sd_send_all(fd, head, (size_t)n) &&
              (!body || sd_send_all(fd, body, body_len));
    free(head);
    size_t len = 0;
    bool timed_out = false;
    char *raw = ok ? sd_read_all(fd, &len, &timed_out) : NULL;
    close(fd);
    if (!raw)
        return false;
    sd_parse_response(raw, len, response);
    if (response->status == 0) {
        sd_response_free(response); /* no answer: nothing to free */
        return false;
    }
    return true;
}

bool sd_get(int port, const char *target, struct sd_response *response)
{
    return sd_request(port, "GET", target, NULL, NULL, 0, response);
}

bool sd_post_json(int port, const char *target, const char *body,
                  struct sd_response *response)
{
    return sd_request(port, "POST", target,
                      "Content-Type: application/json\r\n", body, strlen(body),
                      response);
}

char *sd_header(const struct sd_response *response, const char *name)
{
    size_t name_len = strlen(name);
    const char *line = response->head ? strstr(response->head, "\r\n") : NULL;
    while (line) {
        line += 2;
        if (strncasecmp(line, name, name_len) == 0 && line[name_len] == ':') {
            const char *value = line + name_len + 1;
            while (*value == ' ')
                value++;
            size_t value_len = strcspn(value, "\r");
            return strndup(value, value_len);
        }
        line = strstr(line, "\r\n");
    }
    return NULL;
}

json_t *sd_json(const struct sd_response *response)
{
    if (!response->body)
        return NULL;
    return json_loadb(response->body, response->body_len, 0, NULL);
}

const char *sd_error_code(const struct sd_response *response)
{
    static char code[64];
    code[0] = '\0';
    json_t *root = sd_json(response);
    json_t *value = json_object_get(json_object_get(root, "error"), "code");
    if (json_is_string(value))
        snprintf(code, sizeof code, "%s", json_string_value(value));
    json_decref(root);
    return code;
}

void sd_response_free(struct sd_response *response)
{
    free(response->head);
    free(response->body);
    memset(response, 0, sizeof *response);
}

char *sd_url_encode(const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = malloc(len * 3 + 1);
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
            c == '~') {
            out[k++] = (char)c;
        } else {
            out[k++] = '%';
            out[k++] = hex[c >> 4];
            out[k++] = hex[c & 15];
        }
    }
    out[k] = '\0';
    return out;
}

/* ---- Files --------------------------------------------------------------- */

bool sd_temp_dir(const char *prefix, char *out, size_t cap)
{
    int n = snprintf(out, cap, "/tmp/%sXXXXXX", prefix);
    return n > 0 && (size_t)n < cap && mkdtemp(out) != NULL;
}

bool sd_write_file(const char *path, const char *content)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fputs(content, f) >= 0;
    return fclose(f) == 0 && ok;
}

/* ---- Other programs, files and searches (behaviour tests) ---------------- */

long long sd_now_ms(void)
{
    return now_ms();
}

void sd_sleep_ms(int ms)
{
    struct timespec pause = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&pause, &pause) != 0 && errno == EINTR)
        ;
}

int sd_run_program(const char *path, const char *const *args, char *out,
                   size_t out_cap, char *err, size_t err_cap)
{
    size_t n = 1;
    for (size_t i = 0; args && args[i]; i++)
        n++;
    char **argv = calloc(n + 1, sizeof *argv);
    if (argv) {
        argv[0] = (char *)path;
        for (size_t i = 0; args && args[i]; i++)
            argv[i + 1] = (char *)args[i];
    }
    return run_collect(argv, NULL, NULL, out, out_cap, err, err_cap);
}

/* Copies one regular file, keeping its permission bits. */
static bool copy_file(const char *from, const char *to, mode_t mode)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return false;
    int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 0777);
    if (out < 0) {
        close(in);
        return false;
    }
    bool ok = true;
    char buf[65536];
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            ok = false;
        if (n <= 0)
            break;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(out, buf + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                ok = false;
                break;
            }
            done += w;
        }
        if (!ok)
            break;
    }
    close(in);
    return close(out) == 0 && ok;
}

bool sd_copy_tree(const char *from, const char *to)
{
    struct stat st;
    if (lstat(from, &st) != 0)
        return false;
    if (S_ISREG(st.st_mode))
        return copy_file(from, to, st.st_mode);
    if (!S_ISDIR(st.st_mode))
        return true; /* links, sockets, ...: not part of a corpus */
    if (mkdir(to, 0755) != 0)
        return false;
    DIR *dir = opendir(from);
    if (!dir)
        return false;
    bool ok = true;
    struct dirent *entry;
    while (ok && (entry = readdir(dir)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        char child_from[4096], child_to[4096];
        int a = snprintf(child_from, sizeof child_from, "%s/%s", from,
                         entry->d_name);
        int b = snprintf(child_to, sizeof child_to, "%s/%s", to, entry->d_name);
        ok = a > 0 && (size_t)a < sizeof child_from && b > 0 &&
             (size_t)b < sizeof child_to && sd_copy_tree(child_from, child_to);
    }
    closedir(dir);
    return ok;
}

bool sd_replace_file(const char *path, const char *content)
{
    char temporary[4096];
    int n =
        snprintf(temporary, sizeof temporary, "%s.tmp%d", path, (int)getpid());
    if (n <= 0 || (size_t)n >= sizeof temporary ||
        !sd_write_file(temporary, content))
        return false;
    if (rename(temporary, path) != 0) {
        unlink(temporary);
        return false;
    }
    return true;
}

json_t *sd_get_json(int port, const char *target, int *status)
{
    struct sd_response r;
    *status = 0;
    if (!sd_get(port, target, &r)) {
        sd_response_free(&r); /* a response without a status line */
        return NULL;
    }
    *status = r.status;
    json_t *root = sd_json(&r);
    sd_response_free(&r);
    return root;
}
