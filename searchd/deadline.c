/* deadline.c — a whole request must arrive in time, not only each byte.
 *
 * libmicrohttpd's time-out is for silence: a client sending one header
 * line every few seconds held a connection for a minute.  Here each
 * connection gets a deadline: its request's headers within
 * `header_timeout` seconds of the connection opening (or of the previous
 * answer on a kept-alive connection), then its body within
 * `body_timeout`.  A watchdog thread shuts down the socket of a
 * connection past its deadline; libmicrohttpd then sees the end of the
 * stream and closes the connection.  No answer is possible:
 * libmicrohttpd cannot take a response in the middle of a request.
 *
 * The slots are a fixed array (one per connection libmicrohttpd may
 * hold); a deadline is an atomic, so the request path never takes the
 * lock, only opening and closing a connection do. */
#include "searchd_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>

struct vb_deadline {
    int fd;                        /* -1: a free slot */
    _Atomic int_least64_t due_ms;  /* 0: nothing awaited */
    bool cut;                      /* shut down already */
};

struct vb_deadlines {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    bool stopping;
    int_least64_t header_ms, body_ms;
    size_t count;
    struct vb_deadline slots[];
};

static int_least64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int_least64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Every quarter of a second: shuts down what is late. */
static void *watch(void *arg)
{
    struct vb_deadlines *d = arg;
    pthread_mutex_lock(&d->lock);
    while (!d->stopping) {
        int_least64_t now = now_ms();
        for (size_t i = 0; i < d->count; i++) {
            struct vb_deadline *s = &d->slots[i];
            int_least64_t due = atomic_load(&s->due_ms);
            if (s->fd >= 0 && due != 0 && due <= now && !s->cut) {
                shutdown(s->fd, SHUT_RDWR);
                s->cut = true;
            }
        }
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += 250 * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&d->wake, &d->lock, &until);
    }
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

enum vb_status vb_deadlines_start(unsigned header_seconds,
                                  unsigned body_seconds, size_t connections,
                                  struct vb_deadlines **out,
                                  struct vb_error *err)
{
    *out = NULL;
    struct vb_deadlines *d =
        calloc(1, sizeof *d + connections * sizeof d->slots[0]);
    if (!d)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    d->header_ms = (int_least64_t)header_seconds * 1000;
    d->body_ms = (int_least64_t)body_seconds * 1000;
    d->count = connections;
    for (size_t i = 0; i < connections; i++)
        d->slots[i].fd = -1;
    /* The watchdog waits on the monotonic clock, as it measures. */
    pthread_condattr_t attr;
    bool ok = pthread_condattr_init(&attr) == 0;
    ok = ok && pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
         pthread_cond_init(&d->wake, &attr) == 0;
    if (ok)
        pthread_condattr_destroy(&attr);
    ok = ok && pthread_mutex_init(&d->lock, NULL) == 0 &&
         pthread_create(&d->thread, NULL, watch, d) == 0;
    if (!ok) {
        free(d);
        return vb_error_set(err, VB_ENOMEM,
                            "cannot start the request deadline thread");
    }
    *out = d;
    return VB_OK;
}

void vb_deadlines_stop(struct vb_deadlines *d)
{
    if (!d)
        return;
    pthread_mutex_lock(&d->lock);
    d->stopping = true;
    pthread_cond_signal(&d->wake);
    pthread_mutex_unlock(&d->lock);
    pthread_join(d->thread, NULL);
    pthread_cond_destroy(&d->wake);
    pthread_mutex_destroy(&d->lock);
    free(d);
}

struct vb_deadline *vb_deadline_open(struct vb_deadlines *d, int fd)
{
    struct vb_deadline *slot = NULL;
    pthread_mutex_lock(&d->lock);
    for (size_t i = 0; i < d->count && !slot; i++)
        if (d->slots[i].fd < 0)
            slot = &d->slots[i];
    if (slot) {
        slot->fd = fd;
        slot->cut = false;
        atomic_store(&slot->due_ms, now_ms() + d->header_ms);
    }
    pthread_mutex_unlock(&d->lock);
    return slot; /* NULL: more connections than slots; no deadline */
}

void vb_deadline_close(struct vb_deadlines *d, struct vb_deadline *slot)
{
    if (!slot)
        return;
    pthread_mutex_lock(&d->lock);
    atomic_store(&slot->due_ms, 0);
    slot->fd = -1;
    pthread_mutex_unlock(&d->lock);
}

void vb_deadline_await(struct vb_deadlines *d, struct vb_deadline *slot,
                       enum vb_deadline_phase phase)
{
    if (!slot)
        return;
    int_least64_t due = phase == VB_DEADLINE_HEADERS ? now_ms() + d->header_ms
                        : phase == VB_DEADLINE_BODY  ? now_ms() + d->body_ms
                                                     : 0;
    atomic_store(&slot->due_ms, due);
}
