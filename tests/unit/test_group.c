/* Unit tests for store/store_group: many threads' writes share
 * transactions, every acknowledged write is committed, and a failing write
 * undoes only its own changes; submitted writes are told their result once,
 * in order, after their transaction ended, and an error when it failed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>

#include <cmocka.h>

#include "services/audit.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/text.h"

#define THREADS 8
#define PER_THREAD 50

struct job {
    char name[32];
};

static int insert_user(struct store *st, void *ctx)
{
    struct job *j = ctx;
    struct store_user u = {0};
    text_copy(u.username, sizeof u.username, j->name);
    text_copy(u.role, sizeof u.role, "analyst");
    text_copy(u.pwhash, sizeof u.pwhash, "x");
    int64_t id;
    int r = audit_append_as(st, "test", "admin", "", "user.add", "user", j->name, "ok", NULL);
    if (r == 0)
        r = store_user_insert(st, &u, &id);
    return r;
}

struct worker {
    struct store_group *g;
    int t;
    int ok, failed;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        struct job j;
        /* Every tenth write reuses a name that thread 0 already wrote. */
        if (i % 10 == 9 && w->t > 0)
            snprintf(j.name, sizeof j.name, "t0_%d", 0);
        else
            snprintf(j.name, sizeof j.name, "t%d_%d", w->t, i);
        int r = store_group_write(w->g, insert_user, &j);
        if (r == 0)
            w->ok++;
        else
            w->failed++;
    }
    return NULL;
}

static int count_rows(void *ctx, const struct store_user *u)
{
    (*(int *)ctx)++;
    return 0;
}

static void test_group_commit(void **state)
{
    char path[] = "/tmp/lintas-group-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    struct buf why;
    buf_init(&why, 256);
    struct store *st;
    int applied;
    assert_int_equal(store_open(path, NULL, &st, &why), 0);
    assert_int_equal(store_migrate(st, &applied, &why), 0);
    /* thread 0's first name must exist before the others collide with it */
    struct store_group *g = store_group_new(st);
    struct job first = {"t0_0"};
    assert_int_equal(store_group_write(g, insert_user, &first), 0);
    pthread_t th[THREADS];
    struct worker w[THREADS];
    for (int t = 0; t < THREADS; t++) {
        w[t] = (struct worker){.g = g, .t = t};
        pthread_create(&th[t], NULL, work, &w[t]);
    }
    int ok = 1, failed = 0;
    for (int t = 0; t < THREADS; t++) {
        pthread_join(th[t], NULL);
        ok += w[t].ok;
        failed += w[t].failed;
    }
    uint64_t batches, jobs;
    store_group_stats(g, &batches, &jobs);
    store_group_free(g);
    /* t0_0 again from thread 0 itself at i == 0, plus the 7 threads x 5 collisions */
    assert_int_equal(failed, 1 + (THREADS - 1) * (PER_THREAD / 10));
    assert_int_equal(jobs, 1 + THREADS * PER_THREAD);
    assert_true(batches < jobs); /* writes shared transactions */
    int rows = 0;
    assert_int_equal(store_user_list(st, count_rows, &rows), 0);
    assert_int_equal(rows, ok);
    int64_t checked, bad;
    assert_int_equal(audit_verify(st, &checked, &bad, &why), 0);
    assert_int_equal(checked, ok); /* failed writes left no audit record */
    store_close(st);
    unlink(path);
    buf_free(&why);
}

/* ---- store_group_submit ---- */

struct told {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool open;      /* the gate write may go on */
    int results[8]; /* by job, 1 until told */
    int order[8], n;
};

/* Holds the committer inside its transaction until the gate opens, so that
 * the writes submitted meanwhile share the next transaction. */
static int gate(struct store *st, void *ctx)
{
    (void)st;
    struct told *t = ctx;
    pthread_mutex_lock(&t->lock);
    while (!t->open)
        pthread_cond_wait(&t->cond, &t->lock);
    pthread_mutex_unlock(&t->lock);
    return 0;
}

/* Ends the group's transaction under the other writes of its batch, as a
 * failing commit would. */
static int sabotage(struct store *st, void *ctx)
{
    (void)ctx;
    store_rollback(st);
    return 0;
}

struct sub {
    struct told *t;
    int i;
    struct job j;
};

static void on_done(void *arg, int result)
{
    struct sub *s = arg;
    pthread_mutex_lock(&s->t->lock);
    s->t->results[s->i] = result;
    s->t->order[s->t->n++] = s->i;
    pthread_cond_broadcast(&s->t->cond);
    pthread_mutex_unlock(&s->t->lock);
}

static int users(struct store *st)
{
    int rows = 0;
    assert_int_equal(store_user_list(st, count_rows, &rows), 0);
    return rows;
}

static void test_group_submit(void **state)
{
    (void)state;
    char path[] = "/tmp/lintas-group-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    struct buf why;
    buf_init(&why, 256);
    struct store *st;
    int applied;
    assert_int_equal(store_open(path, NULL, &st, &why), 0);
    assert_int_equal(store_migrate(st, &applied, &why), 0);
    int before = users(st);
    struct store_group *g = store_group_new(st);
    struct told t = {.n = 0};
    pthread_mutex_init(&t.lock, NULL);
    pthread_cond_init(&t.cond, NULL);
    for (int i = 0; i < 8; i++)
        t.results[i] = 1;
    struct sub subs[8];
    for (int i = 0; i < 8; i++) {
        subs[i] = (struct sub){.t = &t, .i = i};
        snprintf(subs[i].j.name, sizeof subs[i].j.name, "s%d", i);
    }
    /* The gate, then s1, s2 (a duplicate of s1: fails alone) and s3 in the
     * same transaction or the next; later the gate again, then s5, the
     * sabotage and s7 in one transaction. */
    snprintf(subs[2].j.name, sizeof subs[2].j.name, "s1");
    assert_int_equal(store_group_submit(g, gate, &t, on_done, &subs[0]), 0);
    assert_int_equal(store_group_submit(g, insert_user, &subs[1].j, on_done, &subs[1]), 0);
    assert_int_equal(store_group_submit(g, insert_user, &subs[2].j, on_done, &subs[2]), 0);
    assert_int_equal(store_group_submit(g, insert_user, &subs[3].j, on_done, &subs[3]), 0);
    pthread_mutex_lock(&t.lock);
    assert_int_equal(t.n, 0); /* nothing is told before its commit */
    t.open = true;
    pthread_cond_broadcast(&t.cond);
    while (t.n < 4)
        pthread_cond_wait(&t.cond, &t.lock);
    t.open = false;
    pthread_mutex_unlock(&t.lock);
    assert_int_equal(t.results[0], 0);
    assert_int_equal(t.results[1], 0);
    assert_true(t.results[2] < 0);
    assert_int_equal(t.results[3], 0);
    for (int i = 0; i < 4; i++)
        assert_int_equal(t.order[i], i);
    assert_int_equal(users(st), before + 2); /* durable once told */

    assert_int_equal(store_group_submit(g, gate, &t, on_done, &subs[4]), 0);
    assert_int_equal(store_group_submit(g, insert_user, &subs[5].j, on_done, &subs[5]), 0);
    assert_int_equal(store_group_submit(g, sabotage, NULL, on_done, &subs[6]), 0);
    assert_int_equal(store_group_submit(g, insert_user, &subs[7].j, on_done, &subs[7]), 0);
    pthread_mutex_lock(&t.lock);
    t.open = true;
    pthread_cond_broadcast(&t.cond);
    pthread_mutex_unlock(&t.lock);
    store_group_free(g); /* runs what is queued, tells every write, then stops */
    assert_int_equal(t.n, 8);
    /* the gate may share their transaction (the committer lingers) */
    for (int i = 5; i < 8; i++)
        assert_true(t.results[i] < 0); /* their transaction did not commit */
    assert_int_equal(users(st), before + 2);
    pthread_mutex_destroy(&t.lock);
    pthread_cond_destroy(&t.cond);
    store_close(st);
    unlink(path);
    buf_free(&why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_group_commit),
        cmocka_unit_test(test_group_submit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
