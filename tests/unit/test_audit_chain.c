/* Unit tests for domain/audit_chain: chaining, domain separation, and that
 * a change to any field changes the hash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "domain/audit_chain.h"

static struct audit_record sample(void)
{
    struct audit_record r = {
        .seq = 1, .ts_ms = 1700000000000, .username = "admin", .role = "admin",
        .action = "user.add", .object_type = "user", .object_id = "2",
        .request_id = "abc", .outcome = "ok", .detail = "",
    };
    return r;
}

static void test_changes_detected(void **state)
{
    unsigned char zero[AUDIT_HASH_LEN] = {0}, h0[AUDIT_HASH_LEN], h1[AUDIT_HASH_LEN];
    struct audit_record r = sample();
    audit_chain_hash(&r, zero, h0);
    audit_chain_hash(&r, zero, h1);
    assert_memory_equal(h0, h1, AUDIT_HASH_LEN);

    struct audit_record v = sample();
    v.outcome = "denied";
    audit_chain_hash(&v, zero, h1);
    assert_memory_not_equal(h0, h1, AUDIT_HASH_LEN);

    /* Moving a byte between adjacent fields must change the hash. */
    v = sample();
    v.username = "admi";
    v.role = "nadmin";
    audit_chain_hash(&v, zero, h1);
    assert_memory_not_equal(h0, h1, AUDIT_HASH_LEN);

    unsigned char prev[AUDIT_HASH_LEN] = {1};
    audit_chain_hash(&r, prev, h1);
    assert_memory_not_equal(h0, h1, AUDIT_HASH_LEN);
}

static void test_domain_separated(void **state)
{
    /* The unkeyed hash of the same bytes differs from the chain hash. */
    unsigned char zero[AUDIT_HASH_LEN] = {0}, h[AUDIT_HASH_LEN], plain[AUDIT_HASH_LEN];
    struct audit_record r = sample();
    audit_chain_hash(&r, zero, h);
    crypto_generichash(plain, sizeof plain, zero, sizeof zero, NULL, 0);
    assert_memory_not_equal(h, plain, AUDIT_HASH_LEN);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_changes_detected),
        cmocka_unit_test(test_domain_separated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
