/* store_group: group commit. Writes from many request threads are run by
 * one committer thread per store, many to a transaction, so that they share
 * one fsync when load is high; each caller returns only after the
 * transaction holding its write has committed durably
 * (store_group_write), or is told so by a callback from the committer
 * (store_group_submit) and so need not wait.
 *
 * Each write runs inside its own SAVEPOINT, so a failing write rolls back
 * only its own changes. Writes in one batch run in the order they arrived,
 * on the committer's connection. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/store_internal.h"
#include "util/errors.h"
#include "util/log.h"
#include "util/timeutil.h"

#include <time.h>

#define GROUP_MAX 512 /* writes in one transaction */
/* Under load (the previous transaction ended less than BUSY_US ago) the
 * committer waits up to LINGER_US for more writes before it commits, so
 * that many writes share one fsync; when idle it commits at once. It stops
 * waiting as soon as every request that said it may write
 * (store_group_expect) has queued its write, since no more can come from
 * them; when none said so, it waits for LINGER_JOBS writes. */
#define BUSY_US 3000
#define LINGER_US 1000
#define LINGER_JOBS 8

struct group_job {
    store_write_fn fn;
    void *ctx;
    store_done_fn on_done; /* submitted: called, then the job freed */
    void *arg;
    int result;
    bool done;
    struct group_job *next;
};

struct store_group {
    pthread_mutex_t lock;
    pthread_cond_t work;    /* jobs queued, or stopping */
    pthread_cond_t done;    /* a batch finished */
    struct group_job *head, *tail;
    bool stopping;
    bool started;
    pthread_t thread;
    struct store *st;
    size_t expected;        /* requests under way that may queue a write */
    /* figures for benchmarks */
    uint64_t batches, jobs;
};

static const char savepoint_sql[] = "SAVEPOINT w";
static const char rollback_to_sql[] = "ROLLBACK TO w";
static const char release_sql[] = "RELEASE w";

/* Runs one savepoint statement, prepared once on the committer's
 * connection. */
static int savepoint_step(struct store_conn *c, const char *sql)
{
    struct db_stmt *s;
    int r = c->ops->prepare(c->db, sql, &s);
    if (r < 0)
        return r;
    r = c->ops->step(s);
    c->ops->reset(s);
    return r < 0 ? r : 0;
}

static int run_batch(struct store *st, struct group_job *batch)
{
    struct store_conn *c = store_conn(st);
    if (c == NULL)
        return ERR_DB;
    int r = store_begin(st, true);
    if (r < 0)
        return r;
    for (struct group_job *j = batch; j != NULL; j = j->next) {
        r = savepoint_step(c, savepoint_sql);
        if (r < 0)
            break;
        j->result = j->fn(st, j->ctx);
        if (j->result < 0)
            r = savepoint_step(c, rollback_to_sql);
        if (r == 0)
            r = savepoint_step(c, release_sql);
        if (r < 0)
            break;
    }
    if (r == 0)
        r = store_commit(st);
    else
        store_rollback(st);
    return r;
}

static size_t queued(const struct store_group *g)
{
    size_t n = 0;
    for (const struct group_job *j = g->head; j != NULL && n < GROUP_MAX; j = j->next)
        n++;
    return n;
}

/* Waits (lock held) until the writes that can still come soon are queued
 * (see LINGER_JOBS above) or LINGER_US has passed. */
static void linger(struct store_group *g)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += LINGER_US * 1000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    for (;;) {
        size_t want = g->expected > 0 ? g->expected : LINGER_JOBS;
        if (g->stopping || queued(g) >= want)
            break;
        if (pthread_cond_timedwait(&g->work, &g->lock, &until) != 0)
            break;
    }
}

static void *committer(void *arg)
{
    struct store_group *g = arg;
    int64_t last_end = 0;
    pthread_mutex_lock(&g->lock);
    for (;;) {
        while (g->head == NULL && !g->stopping)
            pthread_cond_wait(&g->work, &g->lock);
        if (g->head == NULL && g->stopping)
            break;
        if (time_mono_us() - last_end < BUSY_US)
            linger(g);
        /* Take up to GROUP_MAX jobs. */
        struct group_job *batch = g->head, *last = g->head;
        size_t n = 1;
        while (last->next != NULL && n < GROUP_MAX) {
            last = last->next;
            n++;
        }
        g->head = last->next;
        if (g->head == NULL)
            g->tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&g->lock);
        int r = run_batch(g->st, batch);
        last_end = time_mono_us();
        /* Submitted jobs are told outside the lock, in order; a waiting
         * caller's job lives on its stack and is not touched once done. */
        struct group_job *told = NULL, **tail = &told;
        pthread_mutex_lock(&g->lock);
        g->batches++;
        g->jobs += n;
        for (struct group_job *j = batch; j != NULL;) {
            struct group_job *next = j->next;
            if (r < 0)
                j->result = r; /* the transaction did not commit */
            if (j->on_done != NULL) {
                j->next = NULL;
                *tail = j;
                tail = &j->next;
            } else {
                j->done = true;
            }
            j = next;
        }
        pthread_cond_broadcast(&g->done);
        pthread_mutex_unlock(&g->lock);
        while (told != NULL) {
            struct group_job *next = told->next;
            told->on_done(told->arg, told->result);
            free(told);
            told = next;
        }
        pthread_mutex_lock(&g->lock);
    }
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

struct store_group *store_group_new(struct store *st)
{
    struct store_group *g = calloc(1, sizeof *g);
    if (g == NULL)
        return NULL;
    g->st = st;
    pthread_mutex_init(&g->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* linger() waits on the monotonic clock */
    pthread_cond_init(&g->work, &ca);
    pthread_condattr_destroy(&ca);
    pthread_cond_init(&g->done, NULL);
    return g;
}

void store_group_free(struct store_group *g)
{
    if (g == NULL)
        return;
    pthread_mutex_lock(&g->lock);
    g->stopping = true;
    pthread_cond_broadcast(&g->work);
    bool started = g->started;
    pthread_mutex_unlock(&g->lock);
    if (started)
        pthread_join(g->thread, NULL);
    pthread_mutex_destroy(&g->lock);
    pthread_cond_destroy(&g->work);
    pthread_cond_destroy(&g->done);
    free(g);
}

/* Appends job to the queue (lock held), starting the committer with the
 * first one. */
static int enqueue(struct store_group *g, struct group_job *job)
{
    if (g->stopping)
        return ERR_CONFLICT;
    if (!g->started) {
        if (pthread_create(&g->thread, NULL, committer, g) != 0)
            return ERR_NOMEM;
        g->started = true;
    }
    if (g->tail != NULL)
        g->tail->next = job;
    else
        g->head = job;
    g->tail = job;
    pthread_cond_signal(&g->work);
    return 0;
}

int store_group_write(struct store_group *g, store_write_fn fn, void *ctx)
{
    struct group_job job = {.fn = fn, .ctx = ctx};
    pthread_mutex_lock(&g->lock);
    int r = enqueue(g, &job);
    while (r == 0 && !job.done)
        pthread_cond_wait(&g->done, &g->lock);
    pthread_mutex_unlock(&g->lock);
    return r < 0 ? r : job.result;
}

int store_group_submit(struct store_group *g, store_write_fn fn, void *ctx, store_done_fn done,
                       void *arg)
{
    struct group_job *job = calloc(1, sizeof *job);
    if (job == NULL)
        return ERR_NOMEM;
    *job = (struct group_job){.fn = fn, .ctx = ctx, .on_done = done, .arg = arg};
    pthread_mutex_lock(&g->lock);
    int r = enqueue(g, job);
    pthread_mutex_unlock(&g->lock);
    if (r < 0)
        free(job);
    return r;
}

void store_group_expect(struct store_group *g, int delta)
{
    pthread_mutex_lock(&g->lock);
    if (delta > 0)
        g->expected++;
    else if (delta < 0 && g->expected > 0)
        g->expected--;
    if (delta < 0)
        pthread_cond_signal(&g->work); /* a lingering committer may go now */
    pthread_mutex_unlock(&g->lock);
}

void store_group_stats(struct store_group *g, uint64_t *batches, uint64_t *jobs)
{
    pthread_mutex_lock(&g->lock);
    *batches = g->batches;
    *jobs = g->jobs;
    pthread_mutex_unlock(&g->lock);
}
