/* Running one task on several threads. The calling thread does not work:
 * it waits and calls `poll` every few milliseconds, so the binding can
 * check for Ctrl-C and update a progress bar while the GIL is released
 * only around the waits. */
#ifndef NC_POOL_H
#define NC_POOL_H

#include <stdatomic.h>

#include "util/status.h"

typedef void (*nc_task_fn)(void *ctx, int worker);
/* Returns nonzero to ask the workers to stop (they see *cancel set). */
typedef int (*nc_poll_fn)(void *poll_ctx);

typedef struct {
    int nworkers;
    nc_poll_fn poll;      /* may be NULL: then worker 0 runs on the caller */
    void *poll_ctx;
    int poll_ms;          /* interval, default 50 */
    atomic_int *cancel;   /* set to 1 when poll asks to stop */
} nc_pool_opts;

/* Runs fn(ctx, k) for k in 0..nworkers-1 and returns when all finished.
 * If a thread cannot be started its share runs on the caller, so the work
 * is always done; NC_EINTR if poll asked to stop. */
nc_status nc_parallel(const nc_pool_opts *o, nc_task_fn fn, void *ctx);

#endif
