/* The worker pool of attnviz/pool.h. Each job bumps a generation counter
 * under the mutex and broadcasts; a parked worker wakes on the condition
 * variable, one still spinning sees the counter change without a system
 * call. A worker joins the job under the mutex (taking the next tid) only
 * while the caller has not finished its own share; the caller then closes
 * the job and waits only for the workers that joined. On a loaded machine
 * a worker the scheduler has not run yet thus never delays the caller.
 * On Linux a worker that finds itself on the caller's CPU when it joins a
 * job moves to the others (see worker_leave_caller_cpu). */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* sched_getcpu, pthread_setaffinity_np */
#endif
#include "attnviz/pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#if defined(__linux__)
#include <unistd.h> /* getpid */
#endif

/* How long a worker (or the waiting caller) spins before parking: about a
 * few wake-ups' worth, so that jobs called back to back (a bench loop, a
 * training step's heads) skip the futex, while an idle pool costs nothing. */
#define SPIN_NS 50000L

struct av_pool {
	pthread_mutex_t mu;
	pthread_cond_t wake; /* a new job or stop */
	pthread_cond_t done; /* the last worker in a job left it */
	pthread_mutex_t busy; /* held by the caller of the job in progress */
	int workers;         /* started */
	pthread_t ids[AV_POOL_MAX_THREADS - 1];
	/* The job, under mu: open while the caller runs its own share; a worker
	 * that wakes after that leaves the job alone (its task may be gone). */
	av_pool_task *task;
	void *arg;
	int active;  /* threads the job may use, the caller included */
	int joined;  /* workers that took part, tids 1 .. joined */
	int running; /* of them, still in the task */
	bool open;
	atomic_uint gen; /* bumped for every job and for stop */
	bool stop;
	int caller_cpu; /* the CPU the job's caller ran on when it opened the job, or -1 */
#if defined(__linux__)
	cpu_set_t allowed; /* the CPUs the process may run on, at creation */
#endif
};

static long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static inline void cpu_relax(void)
{
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
	__builtin_ia32_pause();
#endif
}

/* Spin up to SPIN_NS until *gen differs from seen; true if it did. */
static bool spin_for_gen(const atomic_uint *gen, unsigned seen)
{
	long deadline = now_ns() + SPIN_NS;
	for (int i = 0;; i++) {
		if (atomic_load_explicit(gen, memory_order_acquire) != seen)
			return true;
		cpu_relax();
		if ((i & 63) == 63 && now_ns() > deadline)
			return false;
	}
}

/* The CPU the calling thread runs on, or -1 when unknown. */
static int current_cpu(void)
{
#if defined(__linux__)
	return sched_getcpu();
#else
	return -1;
#endif
}

/* Called by a worker joining a job: when it runs on the CPU of the job's
 * caller, restrict it to the process's other CPUs. The scheduler places a
 * woken worker near its waker, and on a machine where other programs run
 * (even niced ones) it may keep both threads on one CPU for tens of
 * milliseconds, its balancing interval when every CPU is busy: the job then
 * takes as long as on one thread, or longer. Measured on the 2-vCPU VM
 * (n = 2048, d = 64, another user's compiler niced on the other CPU): the
 * caller and the worker on CPU 0 for whole calls, each at half speed. The
 * restriction stays until a later job finds the two together again. */
static void worker_leave_caller_cpu(av_pool *pool)
{
#if defined(__linux__)
	int caller = pool->caller_cpu;
	if (caller < 0 || current_cpu() != caller || !CPU_ISSET(caller, &pool->allowed) ||
	    CPU_COUNT(&pool->allowed) < 2)
		return;
	cpu_set_t others = pool->allowed;
	CPU_CLR(caller, &others);
	pthread_setaffinity_np(pthread_self(), sizeof others, &others); /* best effort */
#else
	(void)pool;
#endif
}

static void *worker_main(void *p)
{
	av_pool *pool = p;
	unsigned seen = 0;
	for (;;) {
		if (!spin_for_gen(&pool->gen, seen)) {
			pthread_mutex_lock(&pool->mu);
			while (atomic_load(&pool->gen) == seen && !pool->stop)
				pthread_cond_wait(&pool->wake, &pool->mu);
			pthread_mutex_unlock(&pool->mu);
		}
		pthread_mutex_lock(&pool->mu);
		seen = atomic_load(&pool->gen);
		if (pool->stop) {
			pthread_mutex_unlock(&pool->mu);
			return NULL;
		}
		if (!pool->open || pool->joined + 1 >= pool->active) { /* too late or not needed */
			pthread_mutex_unlock(&pool->mu);
			continue;
		}
		int tid = ++pool->joined;
		pool->running++;
		av_pool_task *task = pool->task;
		void *arg = pool->arg;
		pthread_mutex_unlock(&pool->mu);

		worker_leave_caller_cpu(pool);
		task(arg, tid);

		pthread_mutex_lock(&pool->mu);
		if (--pool->running == 0 && !pool->open)
			pthread_cond_signal(&pool->done);
		pthread_mutex_unlock(&pool->mu);
	}
}

av_pool *av_pool_create(int threads)
{
	if (threads < 1)
		threads = 1;
	if (threads > AV_POOL_MAX_THREADS)
		threads = AV_POOL_MAX_THREADS;
	av_pool *pool = calloc(1, sizeof *pool);
	if (!pool)
		return NULL;
	pthread_mutex_init(&pool->mu, NULL);
	pthread_mutex_init(&pool->busy, NULL);
	pthread_cond_init(&pool->wake, NULL);
	pthread_cond_init(&pool->done, NULL);
	atomic_init(&pool->gen, 0);
	pool->caller_cpu = -1;
#if defined(__linux__)
	/* the process's CPUs: its main thread's (taskset's), not the creating
	 * thread's, which the workers inherit but may have been pinned */
	if (sched_getaffinity(getpid(), sizeof pool->allowed, &pool->allowed) != 0)
		CPU_ZERO(&pool->allowed); /* unknown: workers stay where they are */
#endif
	for (int k = 1; k < threads; k++) {
		if (pthread_create(&pool->ids[pool->workers], NULL, worker_main, pool) != 0)
			break; /* fewer threads: the jobs still run */
		pool->workers++;
	}
	return pool;
}

int av_pool_threads(const av_pool *pool)
{
	return pool ? pool->workers + 1 : 1;
}

void av_pool_run(av_pool *pool, av_pool_task *task, void *arg, int threads)
{
	if (!pool || threads <= 1 || pool->workers == 0 || pthread_mutex_trylock(&pool->busy) != 0) {
		task(arg, 0);
		return;
	}
	pthread_mutex_lock(&pool->mu);
	pool->task = task;
	pool->arg = arg;
	pool->active = threads;
	pool->joined = 0;
	pool->running = 0;
	pool->open = true;
	pool->caller_cpu = current_cpu();
	atomic_store_explicit(&pool->gen, atomic_load(&pool->gen) + 1, memory_order_release);
	pthread_cond_broadcast(&pool->wake);
	pthread_mutex_unlock(&pool->mu);

	task(arg, 0); /* returns when no work is left to take */

	/* Close the job: a worker not yet in it stays out, so a busy machine
	 * that has not scheduled a worker by now costs nothing; wait only for
	 * the workers still finishing what they took (spin a little first). */
	pthread_mutex_lock(&pool->mu);
	pool->open = false;
	long deadline = now_ns() + SPIN_NS;
	while (pool->running > 0 && now_ns() < deadline) {
		pthread_mutex_unlock(&pool->mu);
		for (int i = 0; i < 64; i++)
			cpu_relax();
		pthread_mutex_lock(&pool->mu);
	}
	while (pool->running > 0)
		pthread_cond_wait(&pool->done, &pool->mu);
	pthread_mutex_unlock(&pool->mu);
	pthread_mutex_unlock(&pool->busy);
}

void av_pool_free(av_pool *pool)
{
	if (!pool)
		return;
	pthread_mutex_lock(&pool->mu);
	pool->stop = true;
	atomic_fetch_add(&pool->gen, 1);
	pthread_cond_broadcast(&pool->wake);
	pthread_mutex_unlock(&pool->mu);
	for (int k = 0; k < pool->workers; k++)
		pthread_join(pool->ids[k], NULL);
	pthread_cond_destroy(&pool->wake);
	pthread_cond_destroy(&pool->done);
	pthread_mutex_destroy(&pool->mu);
	pthread_mutex_destroy(&pool->busy);
	free(pool);
}
