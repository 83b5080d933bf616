/* Unit tests for store/ migrations and services/accounts: idempotent
 * migrations, password hashing, login, lockout, token handling and expiry,
 * and the audit records they leave — on a real SQLite file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "services/accounts.h"
#include "services/audit.h"
#include "services/refdata.h"
#include "services/svc.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/errors.h"

struct fixture {
    char path[64];
    struct svc svc;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/lintas-unit-XXXXXX");
    int fd = mkstemp(f->path);
    close(fd);
    unlink(f->path);
    struct buf why;
    buf_init(&why, 512);
    assert_int_equal(store_open(f->path, NULL, &f->svc.st, &why), 0);
    int applied;
    assert_int_equal(store_migrate(f->svc.st, &applied, &why), 0);
    assert_int_equal(refdata_load(f->svc.st, &why), 0);
    buf_free(&why);
    svc_config_defaults(&f->svc.cfg);
    /* The cheapest Argon2id cost keeps the tests fast; the algorithm is the same. */
    f->svc.cfg.pw_ops = crypto_pwhash_OPSLIMIT_MIN;
    f->svc.cfg.pw_mem = crypto_pwhash_MEMLIMIT_MIN;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->svc.st);
    char p[80];
    unlink(f->path);
    snprintf(p, sizeof p, "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", f->path);
    unlink(p);
    free(f);
    return 0;
}

static int64_t add(struct fixture *f, const char *name, const char *role, const char *office)
{
    struct actor who;
    svc_cli_actor(&who);
    struct user_new u = {.username = name, .role = role, .office = office,
                         .password = "correct-horse-battery"};
    struct buf why;
    buf_init(&why, 256);
    int64_t id = 0;
    int r = accounts_add(&f->svc, &who, &u, &id, &why);
    buf_free(&why);
    return r < 0 ? r : id;
}

static void test_migrations_idempotent(void **state)
{
    struct fixture *f = *state;
    struct buf why;
    buf_init(&why, 256);
    int applied = -1, v = 0;
    assert_true(add(f, "keepme", "analyst", NULL) > 0);
    assert_int_equal(store_migrate(f->svc.st, &applied, &why), 0);
    assert_int_equal(applied, 0);
    assert_int_equal(store_schema_version(f->svc.st, &v), 0);
    assert_int_equal(v, store_schema_latest(f->svc.st));
    /* Reopening and migrating again keeps the data. */
    store_close(f->svc.st);
    assert_int_equal(store_open(f->path, NULL, &f->svc.st, &why), 0);
    assert_int_equal(store_migrate(f->svc.st, &applied, &why), 0);
    assert_int_equal(applied, 0);
    struct store_user u;
    assert_int_equal(store_user_get_by_name(f->svc.st, "keepme", &u), 0);
    buf_free(&why);
}

static void test_password_hash(void **state)
{
    struct fixture *f = *state;
    char h1[160], h2[160];
    assert_int_equal(accounts_hash_password(&f->svc, "correct-horse-battery", h1), 0);
    assert_int_equal(accounts_hash_password(&f->svc, "correct-horse-battery", h2), 0);
    assert_string_not_equal(h1, h2); /* salted */
    assert_non_null(strstr(h1, "$argon2id$"));
    assert_int_equal(crypto_pwhash_str_verify(h1, "correct-horse-battery", 21), 0);
    assert_int_not_equal(crypto_pwhash_str_verify(h1, "correct-horse-batterY", 21), 0);
}

static void test_login_and_tokens(void **state)
{
    struct fixture *f = *state;
    assert_true(add(f, "siti", "checkpoint_officer", "CGK") > 0);
    assert_int_equal(add(f, "siti", "analyst", NULL), ERR_EXISTS);
    assert_int_equal(add(f, "budi", "checkpoint_officer", NULL), ERR_INVALID);
    char tok[TOKEN_HEX_LEN + 1];
    int64_t exp;
    assert_int_equal(accounts_login(&f->svc, "siti", "wrong-password-x", "r1", tok, &exp),
                     ERR_AUTH);
    assert_int_equal(accounts_login(&f->svc, "nobody", "correct-horse-battery", "r2", tok, &exp),
                     ERR_AUTH);
    assert_int_equal(accounts_login(&f->svc, "siti", "correct-horse-battery", "r3", tok, &exp),
                     0);
    assert_int_equal(strlen(tok), TOKEN_HEX_LEN);
    struct actor a;
    assert_int_equal(accounts_authenticate(&f->svc, tok, &a), 0);
    assert_string_equal(a.username, "siti");
    assert_int_equal(a.role, ROLE_CHECKPOINT_OFFICER);
    assert_string_equal(a.office, "CGK");
    /* The token itself is not stored, only its hash. */
    struct store_session s;
    assert_int_equal(store_session_get(f->svc.st, tok, &s), ERR_NOTFOUND);
    char other[TOKEN_HEX_LEN + 1];
    memcpy(other, tok, sizeof other);
    other[0] = other[0] == 'a' ? 'b' : 'a';
    assert_int_equal(accounts_authenticate(&f->svc, other, &a), ERR_AUTH);
    assert_int_equal(accounts_authenticate(&f->svc, "short", &a), ERR_AUTH);
    assert_int_equal(accounts_authenticate(&f->svc, tok, &a), 0);
    assert_int_equal(accounts_logout(&f->svc, &a, tok), 0);
    assert_int_equal(accounts_authenticate(&f->svc, tok, &a), ERR_AUTH);
}

static void test_expiry_and_disable(void **state)
{
    struct fixture *f = *state;
    assert_true(add(f, "made", "analyst", NULL) > 0);
    char tok[TOKEN_HEX_LEN + 1];
    int64_t exp;
    struct actor a;
    f->svc.cfg.session_ttl_s = -1; /* already expired when issued */
    assert_int_equal(accounts_login(&f->svc, "made", "correct-horse-battery", "", tok, &exp), 0);
    assert_int_equal(accounts_authenticate(&f->svc, tok, &a), ERR_AUTH);
    f->svc.cfg.session_ttl_s = 3600;
    assert_int_equal(accounts_login(&f->svc, "made", "correct-horse-battery", "", tok, &exp), 0);
    assert_int_equal(accounts_authenticate(&f->svc, tok, &a), 0);
    struct actor cli;
    svc_cli_actor(&cli);
    struct buf why;
    buf_init(&why, 256);
    assert_int_equal(accounts_set_disabled(&f->svc, &cli, "made", true, &why), 0);
    assert_int_equal(accounts_authenticate(&f->svc, tok, &a), ERR_AUTH);
    assert_int_equal(accounts_login(&f->svc, "made", "correct-horse-battery", "", tok, &exp),
                     ERR_DISABLED);
    buf_free(&why);
}

static void test_lockout(void **state)
{
    struct fixture *f = *state;
    assert_true(add(f, "ketut", "analyst", NULL) > 0);
    char tok[TOKEN_HEX_LEN + 1];
    int64_t exp;
    for (int i = 0; i < 4; i++)
        assert_int_equal(accounts_login(&f->svc, "ketut", "bad-password-123", "", tok, &exp),
                         ERR_AUTH);
    /* A success before the fifth failure resets the count. */
    assert_int_equal(accounts_login(&f->svc, "ketut", "correct-horse-battery", "", tok, &exp), 0);
    for (int i = 0; i < 5; i++)
        assert_int_equal(accounts_login(&f->svc, "ketut", "bad-password-123", "", tok, &exp),
                         ERR_AUTH);
    assert_int_equal(accounts_login(&f->svc, "ketut", "correct-horse-battery", "", tok, &exp),
                     ERR_LOCKED);
    /* An administrator's password reset lifts the lock. */
    struct actor cli;
    svc_cli_actor(&cli);
    struct buf why;
    buf_init(&why, 256);
    assert_int_equal(accounts_passwd(&f->svc, &cli, "ketut", "another-good-password", &why), 0);
    assert_int_equal(accounts_login(&f->svc, "ketut", "another-good-password", "", tok, &exp), 0);
    int64_t n, bad;
    assert_int_equal(audit_verify(f->svc.st, &n, &bad, &why), 0);
    assert_true(n >= 14);
    buf_free(&why);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrations_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_password_hash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_login_and_tokens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expiry_and_disable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lockout, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
