/* A persistent pool of worker threads for the fast kernels: created once,
 * parked between jobs (a short spin, then a condition variable), each job
 * run on the caller plus up to threads - 1 workers, joined cleanly by
 * av_pool_free. Starting a thread per call costs tens of microseconds on a
 * VM; waking a parked worker a few. Not for nested use: a task must not
 * call av_pool_run on its own pool. On Linux a worker that joins a job on
 * the CPU its caller runs on restricts itself to the process's other CPUs
 * (the main thread's affinity): two threads of one job on one CPU run no
 * faster than one. */
#ifndef ATTNVIZ_POOL_H
#define ATTNVIZ_POOL_H

/* Most threads a pool runs a job on (caller included). */
#define AV_POOL_MAX_THREADS 64

typedef struct av_pool av_pool;

/* One job's work for thread tid (0 is the caller, 0 <= tid < threads). */
typedef void av_pool_task(void *arg, int tid);

/* A pool that runs jobs on up to threads threads (1 .. AV_POOL_MAX_THREADS,
 * clamped): threads - 1 workers, started now and parked. When the system
 * refuses a thread, the pool has fewer (av_pool_threads says how many);
 * NULL only when out of memory. */
av_pool *av_pool_create(int threads);

/* Threads a job may run on: the caller plus the workers started. */
int av_pool_threads(const av_pool *pool);

/* Run a job: task(arg, 0) on the calling thread and task(arg, tid) on
 * each worker that joins in time, tids 1, 2, ... in the order they join,
 * fewer than min(threads, the pool's) in all; returns when every task
 * started has returned. A worker joins only while task(arg, 0) is running,
 * so the tasks must share out the work themselves (e.g. an atomic counter)
 * and task(arg, 0) must return only when no work is left to take: then a
 * worker the scheduler has not run yet never delays the job. pool may be
 * NULL (then task(arg, 0) only). One job at a time per pool: a second
 * caller meanwhile runs its task alone on its own thread. */
void av_pool_run(av_pool *pool, av_pool_task *task, void *arg, int threads);

/* Stop and join the workers, free the pool; NULL does nothing. */
void av_pool_free(av_pool *pool);

#endif
