/* vraagbaak-searchd — the search daemon.  Thin: options in, the server
 * library (vb_searchd.h) started, a signal waited for, an exit status. */
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vb_searchd.h"

#ifdef VB_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#else
/* Not under systemd's Type=notify: nobody to tell. */
static int sd_notify(int unset_environment, const char *state)
{
    (void)unset_environment;
    (void)state;
    return 0;
}
#endif

#ifndef VB_WEB_DIR
#define VB_WEB_DIR NULL
#endif

static const char usage[] =
    "Usage: vraagbaak-searchd [OPTION]...\n"
    "Serves Vraagbaak's search API (/v1/...), /metrics, the demo page and\n"
    "the widget over HTTP, from the index built by vraagbaak-indexer.\n"
    "\n"
    "  --index DIR           the index (default $VRAAGBAAK_INDEX, else\n"
    "                        ./data/index); a replica made by\n"
    "                        xapian-replicate, or a stub file of shards\n"
    "                        ('auto PATH', 'remote HOST:PORT' lines)\n"
    "  --shard-timeout MS    a remote shard that does not connect or answer\n"
    "                        in MS ms is down: answers are partial without\n"
    "                        it until it is back (default 1000)\n"
    "  --listen HOST:PORT    address to listen on (default 127.0.0.1:8080;\n"
    "                        port 0 picks a free port; IPv6 as [::1]:PORT;\n"
    "                        off loopback it needs tokens, a ticket secret,\n"
    "                        server_name and TLS: see Contract 5)\n"
    "  --config FILE         read options from FILE: 'key = value' lines\n"
    "                        with the option names below, without '--';\n"
    "                        options given on the command line win\n"
    "  --synonyms DIR        per-language synonym files (synonyms-nl.txt,\n"
    "                        synonyms-fr.txt, synonyms-en.txt)\n"
    "  --cors-origin ORIGIN  let browser pages from ORIGIN call the API\n"
    "                        (repeatable; '*' for any origin)\n"
    "  --threads N           worker threads (default: one per CPU core)\n"
    "  --timeout SECONDS     cut off a client silent this long (default 10)\n"
    "  --header-timeout S --body-timeout S  cut off a client whose request's\n"
    "                        headers are not all in S seconds after it\n"
    "                        connected or got its last answer (default 20),\n"
    "                        or its body S seconds after them (default 120)\n"
    "  --max-connections N   open connections at once (default 256)\n"
    "  --max-connections-per-client N  from one address at once (default\n"
    "                        128; 0: no limit of its own)\n"
    "  --web DIR             static files: / is DIR/index.html, /widget.js\n"
    "                        is DIR/widget.js (default: share/vraagbaak/web\n"
    "                        beside the installed program, else the source\n"
    "                        tree's web/)\n"
    "  Access (usually in the --config file; '_' and '-' are the same):\n"
    "  --token 'NAME ROLE HASH'  a bearer token (repeatable); ROLE agent,\n"
    "                        editor or admin\n"
    "  --ticket-secret-file F  key of the customer tickets (32+ bytes)\n"
    "  --audit-db FILE       the audit log (default INDEX.audit.db)\n"
    "  --audit-retention-days N  keep audit rows this long (default 365)\n"
    "  --analytics-db FILE   searches, opens and flags for the editors\n"
    "                        (default INDEX.analytics.db)\n"
    "  --analytics-retention-days N  keep them this long (default 90)\n"
    "  --tls-cert F --tls-key F  serve HTTPS with this PEM certificate/key\n"
    "  --tls off             plain HTTP off loopback, on purpose\n"
    "  --server-name NAME    a host name clients use (repeatable)\n"
    "  --metrics open        /metrics without a token\n"
    "  --log-requests on     one JSON line per request on standard error\n"
    "                        (no queries, ids, secrets or history)\n"
    "  --rate-limit N --rate-burst N  requests per second per token\n"
    "                        (default 100, burst 200; 0: no limit)\n"
    "\n"
    "  --hash-token NAME ROLE  read a token's secret on standard input and\n"
    "                        print the 'token = ...' line for the config\n"
    "  --mint-ticket AGENT CUSTOMER [SECONDS] [--tenant T]  print a customer\n"
    "                        ticket (default 8 hours; for client T's\n"
    "                        customer), signed with the\n"
    "                        ticket_secret_file of --config FILE\n"
    "  --help, --version\n"
    "\n"
    "The first line on standard output is 'listening on http://HOST:PORT'.\n"
    "SIGHUP rereads the options and the config file: tokens, the ticket\n"
    "secret, rate limits, CORS origins, server names, metrics and the\n"
    "request log change without dropping a connection; a configuration that\n"
    "does not read keeps the running one, and says why on stderr.\n"
    "SIGINT or SIGTERM stops the daemon (exit status 0).  Exit status 2:\n"
    "bad options, no index, or the address cannot be used; 1: any other\n"
    "failure.\n";


/* The static files: those installed beside the program
 * (BIN/../share/vraagbaak/web, so an unpacked package finds its own),
 * else the source tree's (VB_WEB_DIR) for a program run from its build
 * tree. */
static const char *default_web_dir(char buf[PATH_MAX])
{
    ssize_t n = readlink("/proc/self/exe", buf, PATH_MAX - 1);
    if (n > 0) {
        buf[n] = '\0';
        char *slash = strrchr(buf, '/');
        const char *rest = "/../share/vraagbaak/web";
        struct stat st;
        if (slash && (size_t)(slash - buf) + strlen(rest) < PATH_MAX) {
            strcpy(slash, rest);
            if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
                return buf;
        }
    }
    return VB_WEB_DIR;
}

/* Splits argv[*i] ("--name value" or "--name=value"); false with a
 * message when it is not a known option with a value. */
static bool take_option(int argc, char **argv, int *i, const char **name,
                        size_t *name_len, const char **value)
{
    const char *arg = argv[*i];
    if (strncmp(arg, "--", 2) != 0) {
        fprintf(stderr,
                "vraagbaak-searchd: unexpected argument '%s' "
                "(try --help)\n",
                arg);
        return false;
    }
    const char *equals = strchr(arg, '=');
    *name = arg + 2;
    *name_len = equals ? (size_t)(equals - *name) : strlen(*name);
    bool known = (*name_len == 6 && strncmp(*name, "config", 6) == 0) ||
                 vb_searchd_config_has_key(*name, *name_len);
    if (!known) {
        fprintf(stderr,
                "vraagbaak-searchd: unknown option '%s' "
                "(try --help)\n",
                arg);
        return false;
    }
    if (equals) {
        *value = equals + 1;
    } else if (*i + 1 < argc) {
        *value = argv[++*i];
    } else {
        fprintf(stderr, "vraagbaak-searchd: option '%s' needs a value\n", arg);
        return false;
    }
    return true;
}

/* --hash-token NAME ROLE: the secret from standard input. */
static int hash_token(const char *name, const char *role)
{
    char secret[4096];
    size_t len = fread(secret, 1, sizeof secret, stdin);
    if (ferror(stdin) || len == sizeof secret) {
        fprintf(stderr, "vraagbaak-searchd: --hash-token: cannot read the "
                        "secret from standard input (at most 4 KiB)\n");
        return 2;
    }
    char line[256];
    struct vb_error err = {0};
    enum vb_status st =
        vb_searchd_token_line(name, role, secret, len, line, sizeof line, &err);
    memset(secret, 0, sizeof secret);
    if (st != VB_OK) {
        fprintf(stderr, "vraagbaak-searchd: --hash-token: %s\n", err.msg);
        return 2;
    }
    printf("%s\n", line);
    return 0;
}

/* --mint-ticket AGENT CUSTOMER [SECONDS] (--config FILE among the
 * arguments). */
static int mint_ticket(int argc, char **argv, int at)
{
    const char *config_path = NULL, *tenant = NULL,
               *words[3] = {NULL, NULL, NULL};
    int word_count = 0;
    for (int i = 1; i < argc; i++) {
        if (i == at)
            continue;
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            config_path = argv[++i];
        else if (strncmp(argv[i], "--config=", 9) == 0)
            config_path = argv[i] + 9;
        else if (strcmp(argv[i], "--tenant") == 0 && i + 1 < argc)
            tenant = argv[++i];
        else if (strncmp(argv[i], "--tenant=", 9) == 0)
            tenant = argv[i] + 9;
        else if (argv[i][0] != '-' && word_count < 3)
            words[word_count++] = argv[i];
        else {
            fprintf(stderr,
                    "vraagbaak-searchd: usage: --mint-ticket AGENT CUSTOMER "
                    "[SECONDS] [--tenant T] --config FILE\n");
            return 2;
        }
    }
    if (word_count < 2 || !config_path) {
        fprintf(stderr, "vraagbaak-searchd: usage: --mint-ticket AGENT "
                        "CUSTOMER [SECONDS] [--tenant T] --config FILE\n");
        return 2;
    }
    long seconds = VB_SEARCHD_TICKET_SECONDS_DEFAULT;
    if (words[2]) {
        char *end;
        seconds = strtol(words[2], &end, 10);
        if (*end || end == words[2])
            seconds = -1;
    }
    struct vb_searchd_config config;
    struct vb_error err = {0};
    char *ticket = NULL;
    int status = 2;
    if (vb_searchd_config_init(&config, NULL, &err) != VB_OK) {
        fprintf(stderr, "vraagbaak-searchd: %s\n", err.msg);
        return 1;
    }
    if (vb_searchd_config_load(&config, config_path, &err) == VB_OK &&
        vb_searchd_mint_ticket(&config, words[0], words[1], tenant, seconds,
                               &ticket, &err) == VB_OK) {
        printf("%s\n", ticket);
        status = 0;
    } else {
        fprintf(stderr, "vraagbaak-searchd: --mint-ticket: %s\n", err.msg);
    }
    free(ticket);
    vb_searchd_config_cleanup(&config);
    return status;
}

/* The options into `config`: the defaults, the config file first, then
 * the other options over it.  False after a one-line message on stderr
 * (after `when`, e.g. "reload: "); `config` is then still to be cleaned
 * up. */
static bool read_options(int argc, char **argv,
                         struct vb_searchd_config *config, const char *when)
{
    struct vb_error err = {0};
    char installed_web[PATH_MAX];
    if (vb_searchd_config_init(config, default_web_dir(installed_web), &err) !=
        VB_OK) {
        fprintf(stderr, "vraagbaak-searchd: %s%s\n", when, err.msg);
        return false;
    }
    const char *name, *value;
    size_t name_len;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 1; i < argc; i++) {
            if (!take_option(argc, argv, &i, &name, &name_len, &value))
                return false;
            bool is_config = name_len == 6 && strncmp(name, "config", 6) == 0;
            if (pass == 0 && is_config) {
                if (vb_searchd_config_load(config, value, &err) != VB_OK) {
                    fprintf(stderr, "vraagbaak-searchd: %s%s\n", when,
                            err.msg);
                    return false;
                }
            } else if (pass == 1 && !is_config) {
                char key[40];
                snprintf(key, sizeof key, "%.*s", (int)name_len, name);
                if (vb_searchd_config_set(config, key, value, &err) != VB_OK) {
                    fprintf(stderr, "vraagbaak-searchd: %s--%s\n", when,
                            err.msg);
                    return false;
                }
            }
        }
    }
    return true;
}

/* SIGHUP: the options read again and what can change put in place; a
 * configuration that does not read or would be refused leaves the
 * running one as it is, and says why. */
static void reload(int argc, char **argv, struct vb_searchd *server,
                   struct vb_searchd_config *running)
{
    sd_notify(0, "RELOADING=1");
    struct vb_searchd_config next;
    struct vb_error err = {0};
    if (!read_options(argc, argv, &next, "reload: ")) {
        fprintf(stderr, "vraagbaak-searchd: reload: the running "
                        "configuration stays\n");
    } else if (vb_searchd_reload(server, &next, &err) != VB_OK) {
        fprintf(stderr,
                "vraagbaak-searchd: reload: %s; the running configuration "
                "stays\n",
                err.msg);
    } else {
        char later[512];
        if (vb_searchd_config_restart_keys(running, &next, later,
                                           sizeof later) > 0)
            fprintf(stderr,
                    "vraagbaak-searchd: reload: %s changed; that takes a "
                    "restart\n",
                    later);
        fprintf(stderr, "vraagbaak-searchd: reloaded: tokens, ticket secret, "
                        "rate limits, CORS, server names, metrics, request "
                        "log\n");
        vb_searchd_config_cleanup(running);
        *running = next;
        sd_notify(0, "READY=1");
        return;
    }
    vb_searchd_config_cleanup(&next);
    sd_notify(0, "READY=1");
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--hash-token") == 0) {
            if (argc != i + 3) {
                fprintf(stderr, "vraagbaak-searchd: usage: --hash-token NAME "
                                "ROLE (the secret on standard input)\n");
                return 2;
            }
            return hash_token(argv[i + 1], argv[i + 2]);
        }
        if (strcmp(argv[i], "--mint-ticket") == 0)
            return mint_ticket(argc, argv, i);
        if (strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        }
        if (strcmp(argv[i], "--version") == 0) {
            printf("vraagbaak-searchd %s\n", VB_VERSION);
            return 0;
        }
    }

    struct vb_searchd_config config;
    struct vb_error err = {0};
    int status = 2;
    if (!read_options(argc, argv, &config, "")) {
        vb_searchd_config_cleanup(&config);
        return 2;
    }

    /* The server's threads inherit this mask, so the signals come to
     * sigwait below and nowhere else. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* A full file system or a file size limit must fail the write (and
     * the audit log say so), not kill the daemon. */
    signal(SIGXFSZ, SIG_IGN);

    struct vb_searchd *server = NULL;
    enum vb_status opened = vb_searchd_open(&config, &server, &err);
    if (opened != VB_OK) {
        if (opened == VB_ENOTFOUND)
            fprintf(stderr,
                    "vraagbaak-searchd: %s (build it with "
                    "vraagbaak-indexer --index %s SOURCE...)\n",
                    err.msg, config.index_dir);
        else
            fprintf(stderr, "vraagbaak-searchd: %s\n", err.msg);
        status =
            opened == VB_EINVAL || opened == VB_ENOTFOUND || opened == VB_EIO
                ? 2
                : 1;
        goto out;
    }
    char notes[4][256];
    size_t note_count = vb_searchd_notes(server, notes, 4);
    for (size_t i = 0; i < note_count; i++)
        fprintf(stderr, "vraagbaak-searchd: note: %s\n", notes[i]);
    printf("listening on %s\n", vb_searchd_url(server));
    fflush(stdout);
    sd_notify(0, "READY=1");

    int signal_number;
    while (sigwait(&stop_signals, &signal_number) == 0 &&
           signal_number == SIGHUP)
        reload(argc, argv, server, &config);
    sd_notify(0, "STOPPING=1");
    vb_searchd_close(server);
    status = 0;
out:
    vb_searchd_config_cleanup(&config);
    return status;
}
