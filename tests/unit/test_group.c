/* Unit tests for store/store_group: many threads' writes share
 * transactions, every acknowledged write is committed, and a failing write
 * undoes only its own changes. */
#include <setjmp.h>
#include <stdarg.h>
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_group_commit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
