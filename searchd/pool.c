/* pool.c — searchers for the worker threads.
 *
 * Why a free list and not thread-local searchers: libmicrohttpd owns its
 * threads, so a thread-local searcher could not be freed at shutdown
 * without hooks into those threads, and the number of threads would be
 * tied to the threading mode.  A free list bounds the searchers by the
 * number of requests in flight at once (at most the thread-pool size),
 * frees them all at shutdown, and lets a request drop a searcher that hit
 * an index error.  The lock is held for two pointer moves per request;
 * with a handful of threads it is never contended long enough to matter
 * next to a search. */
#include <pthread.h>
#include <stdlib.h>

#include "searchd_int.h"

struct vb_pool {
    pthread_mutex_t lock;
    struct vb_worker *free_list;
    struct vb_search_engine *engine;
};

enum vb_status vb_pool_new(struct vb_search_engine *engine,
                           struct vb_pool **out, struct vb_error *err)
{
    *out = NULL;
    struct vb_pool *pool = calloc(1, sizeof *pool);
    if (!pool)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    if (pthread_mutex_init(&pool->lock, NULL) != 0) {
        free(pool);
        return vb_error_set(err, VB_ENOMEM, "cannot create a mutex");
    }
    pool->engine = engine;
    *out = pool;
    return VB_OK;
}

static void worker_free(struct vb_worker *worker)
{
    vb_analyzer_free(worker->analyzer);
    vb_searcher_free(worker->searcher);
    free(worker);
}

void vb_pool_free(struct vb_pool *pool)
{
    if (!pool)
        return;
    struct vb_worker *worker = pool->free_list;
    while (worker) {
        struct vb_worker *next = worker->next;
        worker_free(worker);
        worker = next;
    }
    pthread_mutex_destroy(&pool->lock);
    free(pool);
}

enum vb_status vb_pool_checkout(struct vb_pool *pool, struct vb_worker **out,
                                struct vb_error *err)
{
    pthread_mutex_lock(&pool->lock);
    struct vb_worker *worker = pool->free_list;
    if (worker)
        pool->free_list = worker->next;
    pthread_mutex_unlock(&pool->lock);
    if (worker) {
        worker->next = NULL;
        *out = worker;
        return VB_OK;
    }

    /* Made outside the lock: opening a reader touches the disk. */
    *out = NULL;
    worker = calloc(1, sizeof *worker);
    if (!worker)
        return vb_error_set(err, VB_ENOMEM, "out of memory");
    enum vb_status status =
        vb_searcher_new(pool->engine, &worker->searcher, err);
    if (status != VB_OK) {
        free(worker);
        return status;
    }
    *out = worker;
    return VB_OK;
}

void vb_pool_checkin(struct vb_pool *pool, struct vb_worker *worker,
                     bool broken)
{
    if (!worker)
        return;
    if (broken) {
        worker_free(worker);
        return;
    }
    pthread_mutex_lock(&pool->lock);
    worker->next = pool->free_list;
    pool->free_list = worker;
    pthread_mutex_unlock(&pool->lock);
}

enum vb_status vb_worker_analyzer(struct vb_pool *pool,
                                  struct vb_worker *worker,
                                  struct vb_analyzer **out,
                                  struct vb_error *err)
{
    if (!worker->analyzer) {
        enum vb_status status = vb_analyzer_new(
            vb_search_engine_analysis(pool->engine), &worker->analyzer, err);
        if (status != VB_OK) {
            *out = NULL;
            return status;
        }
    }
    *out = worker->analyzer;
    return VB_OK;
}
