#include "util/pool.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "util/alloc.h"

typedef struct {
    nc_task_fn fn;
    void *ctx;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int running;
} pool_state;

typedef struct {
    pool_state *ps;
    int worker;
} thread_arg;

static void *thread_main(void *p)
{
    thread_arg *a = p;
    a->ps->fn(a->ps->ctx, a->worker);
    pthread_mutex_lock(&a->ps->mu);
    a->ps->running--;
    pthread_cond_signal(&a->ps->cv);
    pthread_mutex_unlock(&a->ps->mu);
    return NULL;
}

nc_status nc_parallel(const nc_pool_opts *o, nc_task_fn fn, void *ctx)
{
    int n = o->nworkers < 1 ? 1 : o->nworkers;
    if (!o->poll && n == 1) {
        fn(ctx, 0);
        return NC_OK;
    }
    pool_state ps = {fn, ctx, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
    pthread_t *th = nc_calloc((size_t)n, sizeof *th);
    thread_arg *args = nc_calloc((size_t)n, sizeof *args);
    char *started = nc_calloc((size_t)n, 1);
    if (!th || !args || !started) {
        nc_free(th);
        nc_free(args);
        nc_free(started);
        return NC_ENOMEM;
    }
    /* without a poll function the caller takes worker 0's share itself */
    int first = o->poll ? 0 : 1;
    for (int k = first; k < n; k++) {
        args[k] = (thread_arg){&ps, k};
        pthread_mutex_lock(&ps.mu);
        ps.running++;
        pthread_mutex_unlock(&ps.mu);
        if (pthread_create(&th[k], NULL, thread_main, &args[k]) == 0) {
            started[k] = 1;
        } else {
            pthread_mutex_lock(&ps.mu);
            ps.running--;
            pthread_mutex_unlock(&ps.mu);
        }
    }
    for (int k = 0; k < n; k++)
        if (!started[k])
            fn(ctx, k);
    int stopped = 0;
    pthread_mutex_lock(&ps.mu);
    while (ps.running > 0) {
        if (o->poll) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            long ms = o->poll_ms > 0 ? o->poll_ms : 50;
            ts.tv_nsec += ms * 1000000L;
            ts.tv_sec += ts.tv_nsec / 1000000000L;
            ts.tv_nsec %= 1000000000L;
            int rc = pthread_cond_timedwait(&ps.cv, &ps.mu, &ts);
            if (rc == ETIMEDOUT || ps.running > 0) {
                pthread_mutex_unlock(&ps.mu);
                if (!stopped && o->poll(o->poll_ctx)) {
                    stopped = 1;
                    if (o->cancel)
                        atomic_store(o->cancel, 1);
                }
                pthread_mutex_lock(&ps.mu);
            }
        } else {
            pthread_cond_wait(&ps.cv, &ps.mu);
        }
    }
    pthread_mutex_unlock(&ps.mu);
    for (int k = 0; k < n; k++)
        if (started[k])
            pthread_join(th[k], NULL);
    pthread_mutex_destroy(&ps.mu);
    pthread_cond_destroy(&ps.cv);
    nc_free(th);
    nc_free(args);
    nc_free(started);
    if (o->poll && o->poll(o->poll_ctx))
        stopped = 1;
    return stopped ? NC_EINTR : NC_OK;
}
