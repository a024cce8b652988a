/* vraagbaak-searchd — the search daemon.  Thin: options in, the server
 * library (vb_searchd.h) started, a signal waited for, an exit status. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vb_searchd.h"

#ifndef VB_WEB_DIR
#define VB_WEB_DIR NULL
#endif

static const char usage[] =
    "Usage: vraagbaak-searchd [OPTION]...\n"
    "Serves Vraagbaak's search API (/v1/...), /metrics, the demo page and\n"
    "the widget over HTTP, from the index built by vraagbaak-indexer.\n"
    "\n"
    "  --index DIR           the index (default $VRAAGBAAK_INDEX, else\n"
    "                        ./data/index)\n"
    "  --listen HOST:PORT    address to listen on (default 127.0.0.1:8080;\n"
    "                        port 0 picks a free port; loopback only until\n"
    "                        authentication exists; IPv6 as [::1]:PORT)\n"
    "  --config FILE         read options from FILE: 'key = value' lines\n"
    "                        with the option names below, without '--';\n"
    "                        options given on the command line win\n"
    "  --synonyms DIR        per-language synonym files (synonyms-nl.txt,\n"
    "                        synonyms-fr.txt, synonyms-en.txt)\n"
    "  --cors-origin ORIGIN  let browser pages from ORIGIN call the API\n"
    "                        (repeatable; '*' for any origin)\n"
    "  --threads N           worker threads (default: one per CPU core)\n"
    "  --timeout SECONDS     cut off a client silent this long (default 10)\n"
    "  --max-connections N   open connections at once (default 256)\n"
    "  --web DIR             static files: / is DIR/index.html, /widget.js\n"
    "                        is DIR/widget.js (default: the source tree's\n"
    "                        web/)\n"
    "  --help, --version\n"
    "\n"
    "The first line on standard output is 'listening on http://HOST:PORT'.\n"
    "SIGINT or SIGTERM stops the daemon (exit status 0).  Exit status 2:\n"
    "bad options, no index, or the address cannot be used; 1: any other\n"
    "failure.\n";

static const char *const value_options[] = {
    "index",   "listen",  "config",          "synonyms", "cors-origin",
    "threads", "timeout", "max-connections", "web",
};

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
    bool known = false;
    for (size_t k = 0; k < sizeof value_options / sizeof *value_options; k++)
        if (strlen(value_options[k]) == *name_len &&
            strncmp(value_options[k], *name, *name_len) == 0)
            known = true;
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

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
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
    if (vb_searchd_config_init(&config, VB_WEB_DIR, &err) != VB_OK) {
        fprintf(stderr, "vraagbaak-searchd: %s\n", err.msg);
        return 1;
    }

    /* Two passes: the config file first, then the other options over it. */
    int status = 2;
    const char *name, *value;
    size_t name_len;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 1; i < argc; i++) {
            if (!take_option(argc, argv, &i, &name, &name_len, &value))
                goto out;
            bool is_config = name_len == 6 && strncmp(name, "config", 6) == 0;
            if (pass == 0 && is_config) {
                if (vb_searchd_config_load(&config, value, &err) != VB_OK) {
                    fprintf(stderr, "vraagbaak-searchd: %s\n", err.msg);
                    goto out;
                }
            } else if (pass == 1 && !is_config) {
                char key[32];
                snprintf(key, sizeof key, "%.*s", (int)name_len, name);
                if (vb_searchd_config_set(&config, key, value, &err) != VB_OK) {
                    fprintf(stderr, "vraagbaak-searchd: --%s\n", err.msg);
                    goto out;
                }
            }
        }
    }

    /* The server's threads inherit this mask, so the signals come to
     * sigwait below and nowhere else. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

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
    printf("listening on %s\n", vb_searchd_url(server));
    fflush(stdout);

    int signal_number;
    sigwait(&stop_signals, &signal_number);
    vb_searchd_close(server);
    status = 0;
out:
    vb_searchd_config_cleanup(&config);
    return status;
}
