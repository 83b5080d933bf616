/* Unit tests for domain/exlog: the entry hash against an encoder written
 * from docs/PROTOCOL.md, that any change to an entry changes it, that the
 * verifier names the first modified, deleted, reordered or re-hashed entry,
 * signed checkpoints (round trip, every flipped byte, a forged key), their
 * consistency rule, and the heartbeat payload. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "domain/envelope.h"
#include "domain/exlog.h"
#include "util/buf.h"
#include "util/errors.h"

static struct envelope_keypair key_a, key_b;

static int setup(void **state)
{
    unsigned char seed[32];
    memset(seed, 1, sizeof seed);
    envelope_keypair_from_seed(&key_a, seed);
    memset(seed, 2, sizeof seed);
    envelope_keypair_from_seed(&key_b, seed);
    return 0;
}

static struct exlog_entry sample(uint64_t index)
{
    struct exlog_entry e = {
        .index = index, .time_ms = 1767225600000LL + (int64_t)index, .kind = EXLOG_SEND,
        .peer = "KHM", .type = "alert.person", .detail = "attempt 1",
    };
    memset(e.msg_id, (int)index, sizeof e.msg_id);
    memset(e.hash, 0xEE, sizeof e.hash);
    return e;
}

/* The entry hash, written again from docs/PROTOCOL.md. */
static void spec_hash(const struct exlog_entry *e, const unsigned char prev[32],
                      unsigned char out[32])
{
    unsigned char m[1024];
    size_t n = 0;
    memcpy(m + n, prev, 32);
    n += 32;
    for (int i = 7; i >= 0; i--)
        m[n++] = (unsigned char)(e->index >> (8 * i));
    for (int i = 7; i >= 0; i--)
        m[n++] = (unsigned char)((uint64_t)e->time_ms >> (8 * i));
    for (int i = 3; i >= 0; i--)
        m[n++] = (unsigned char)((uint32_t)e->kind >> (8 * i));
    const char *texts[3] = {e->peer, e->type, e->detail};
    for (int t = 0; t < 3; t++) {
        size_t len = strlen(texts[t]);
        for (int i = 3; i >= 0; i--)
            m[n++] = (unsigned char)(len >> (8 * i));
        memcpy(m + n, texts[t], len);
        n += len;
        if (t == 0) {
            memcpy(m + n, e->msg_id, 16);
            n += 16;
        } else if (t == 1) {
            memcpy(m + n, e->hash, 32);
            n += 32;
        }
    }
    crypto_generichash(out, 32, m, n, (const unsigned char *)"lintas.exlog.v1", 15);
}

static void test_entry_hash(void **state)
{
    unsigned char zero[32] = {0}, h0[32], h1[32], want[32];
    struct exlog_entry e = sample(1);
    exlog_entry_hash(&e, zero, h0);
    spec_hash(&e, zero, want);
    assert_memory_equal(h0, want, 32);

    /* Every field counts. */
    struct exlog_entry v;
    struct exlog_entry variants[8];
    for (int i = 0; i < 8; i++)
        variants[i] = sample(1);
    variants[0].index = 2;
    variants[1].time_ms++;
    variants[2].kind = EXLOG_RECEIVE;
    variants[3].peer = "THA";
    variants[4].msg_id[15] ^= 1;
    variants[5].type = "alert.document";
    variants[6].hash[0] ^= 1;
    variants[7].detail = "attempt 2";
    for (int i = 0; i < 8; i++) {
        exlog_entry_hash(&variants[i], zero, h1);
        assert_memory_not_equal(h0, h1, 32);
    }
    /* Moving a byte across a field boundary changes the hash. */
    v = sample(1);
    v.type = "alert.perso";
    v.detail = "nattempt 1";
    exlog_entry_hash(&v, zero, h1);
    assert_memory_not_equal(h0, h1, 32);
    /* The previous hash counts; NULL texts are "". */
    unsigned char prev[32] = {1};
    exlog_entry_hash(&e, prev, h1);
    assert_memory_not_equal(h0, h1, 32);
    v = sample(1);
    v.detail = NULL;
    exlog_entry_hash(&v, zero, h0);
    v.detail = "";
    exlog_entry_hash(&v, zero, h1);
    assert_memory_equal(h0, h1, 32);
}

#define N 20

struct chain {
    struct exlog_entry e[N];
    unsigned char h[N][32];
};

static void build(struct chain *c)
{
    unsigned char prev[32] = {0};
    for (int i = 0; i < N; i++) {
        c->e[i] = sample((uint64_t)i + 1);
        c->e[i].kind = 1 + i % 11;
        exlog_entry_hash(&c->e[i], prev, c->h[i]);
        memcpy(prev, c->h[i], 32);
    }
}

/* Feeds entries (by position in order[]) and returns the index of the first
 * bad one, or 0 when all verify. */
static uint64_t walk(const struct chain *c, const int *order, int n)
{
    struct exlog_verifier v;
    exlog_verifier_init(&v);
    for (int k = 0; k < n; k++) {
        int i = order[k];
        if (exlog_verifier_step(&v, &c->e[i], c->h[i]) < 0)
            return v.next_index;
    }
    return 0;
}

static void test_verifier(void **state)
{
    struct chain c;
    int order[N];
    build(&c);
    for (int i = 0; i < N; i++)
        order[i] = i;
    assert_int_equal(walk(&c, order, N), 0);

    struct chain t = c;
    t.e[6].detail = "changed"; /* entry 7 modified */
    assert_int_equal(walk(&t, order, N), 7);
    t = c;
    t.h[9][0] ^= 1; /* entry 10's stored hash altered */
    assert_int_equal(walk(&t, order, N), 10);

    int del[N - 1];
    for (int i = 0, k = 0; i < N; i++) {
        if (i != 4)
            del[k++] = i; /* entry 5 deleted */
    }
    assert_int_equal(walk(&c, del, N - 1), 5);
    int swp[N];
    memcpy(swp, order, sizeof swp);
    swp[2] = 3; /* entries 3 and 4 swapped */
    swp[3] = 2;
    assert_int_equal(walk(&c, swp, N), 3);

    /* Renumbering a deleted chain so the indexes agree still breaks the links. */
    t = c;
    for (int i = 4; i < N - 1; i++) {
        t.e[i] = c.e[i + 1];
        t.e[i].index = (uint64_t)i + 1;
        memcpy(t.h[i], c.h[i + 1], 32);
    }
    assert_int_equal(walk(&t, order, N - 1), 5);

    /* The head after 12 entries matches a checkpoint of size 12 only. */
    struct exlog_verifier v;
    exlog_verifier_init(&v);
    for (int i = 0; i < 12; i++)
        assert_int_equal(exlog_verifier_step(&v, &c.e[i], c.h[i]), 0);
    assert_memory_equal(v.head, c.h[11], 32);
    assert_true(v.next_index == 13);
}

static struct exlog_checkpoint ckp(uint64_t size, int64_t t)
{
    struct exlog_checkpoint cp;
    memset(&cp, 0, sizeof cp);
    memcpy(cp.node, "IDN", 4);
    cp.size = size;
    memset(cp.head, (int)size, sizeof cp.head);
    cp.time_ms = t;
    return cp;
}

static void test_checkpoint(void **state)
{
    struct exlog_checkpoint cp = ckp(1234, 1767225600000LL), got;
    struct buf b;
    buf_init(&b, 4096);
    assert_int_equal(exlog_checkpoint_sign(&cp, &key_a, &b), 0);
    assert_int_equal(b.len, 10 + 1 + 1 + 3 + 8 + 32 + 8 + 8 + 64);
    assert_memory_equal(b.data, "LINTAS-CKP\x01\x03IDN", 15);
    const unsigned char *p = (const unsigned char *)b.data;
    assert_int_equal(exlog_checkpoint_verify(p, b.len, key_a.pk, &got), 0);
    assert_string_equal(got.node, "IDN");
    assert_true(got.size == 1234 && got.time_ms == cp.time_ms);
    assert_memory_equal(got.head, cp.head, 32);
    unsigned char kid[8];
    envelope_key_id(key_a.pk, kid);
    assert_memory_equal(got.key_id, kid, 8);
    assert_int_equal(exlog_checkpoint_decode(p, b.len, &got), 0);

    /* Another key does not verify it; nor does a flipped byte anywhere. */
    assert_int_not_equal(exlog_checkpoint_verify(p, b.len, key_b.pk, &got), 0);
    unsigned char *w = (unsigned char *)b.data;
    for (size_t i = 0; i < b.len; i++) {
        w[i] ^= 0x01;
        int rc = exlog_checkpoint_verify(w, b.len, key_a.pk, &got);
        assert_true(rc == ERR_INVALID || rc == ERR_AUTH);
        w[i] ^= 0x01;
    }
    for (size_t len = 0; len < b.len; len++)
        assert_int_equal(exlog_checkpoint_decode(p, len, &got), ERR_INVALID);
    buf_putc(&b, 0);
    p = (const unsigned char *)b.data;
    assert_int_equal(exlog_checkpoint_decode(p, b.len, &got), ERR_INVALID);

    /* The signature covers a context prefix, not the bare bytes. */
    assert_int_equal(crypto_sign_verify_detached(p + b.len - 65, p, b.len - 65, key_a.pk), -1);

    struct exlog_checkpoint bad = cp;
    bad.node[1] = ' ';
    assert_int_equal(exlog_checkpoint_sign(&bad, &key_a, &b), ERR_INVALID);
    bad = cp;
    bad.time_ms = -1;
    assert_int_equal(exlog_checkpoint_sign(&bad, &key_a, &b), ERR_INVALID);
    buf_free(&b);
}

static void test_consistency(void **state)
{
    struct exlog_checkpoint a = ckp(10, 1000), b = ckp(20, 2000);
    assert_int_equal(exlog_checkpoint_consistent(&a, &b), 0);
    assert_int_equal(exlog_checkpoint_consistent(&a, &a), 0);
    assert_int_equal(exlog_checkpoint_consistent(&b, &a), ERR_CORRUPT); /* shrank */
    struct exlog_checkpoint fork = ckp(10, 1500);
    fork.head[0] ^= 1; /* same size, another head: history rewritten */
    assert_int_equal(exlog_checkpoint_consistent(&a, &fork), ERR_CORRUPT);
    struct exlog_checkpoint back = ckp(20, 999);
    assert_int_equal(exlog_checkpoint_consistent(&a, &back), ERR_CORRUPT);
    struct exlog_checkpoint other = ckp(20, 2000);
    memcpy(other.node, "KHM", 4);
    assert_int_equal(exlog_checkpoint_consistent(&a, &other), ERR_CORRUPT);
}

static void test_heartbeat(void **state)
{
    struct exlog_checkpoint cp = ckp(5, 1767225600000LL), got;
    struct buf b, json, back, why;
    buf_init(&b, 4096);
    buf_init(&json, 4096);
    buf_init(&back, 4096);
    buf_init(&why, 1024);
    assert_int_equal(exlog_checkpoint_sign(&cp, &key_a, &b), 0);
    assert_int_equal(exlog_heartbeat_encode((const unsigned char *)b.data, b.len, &json), 0);
    assert_true(strncmp(json.data, "{\"checkpoint\":\"4c494e5441532d434b50", 35) == 0);
    assert_int_equal(exlog_heartbeat_decode((const unsigned char *)json.data, json.len, &back,
                                            &why), 0);
    assert_int_equal(back.len, b.len);
    assert_memory_equal(back.data, b.data, b.len);
    assert_int_equal(exlog_checkpoint_verify((const unsigned char *)back.data, back.len, key_a.pk,
                                             &got), 0);
    static const char *const bad[] = {
        "{}", "{\"checkpoint\":\"abc\"}", "{\"checkpoint\":\"zz\"}", "{\"checkpoint\":\"\"}",
        "{\"checkpoint\":\"00\",\"more\":1}", "{\"checkpoint\":7}", "[\"00\"]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        buf_reset(&back);
        buf_reset(&why);
        assert_int_equal(exlog_heartbeat_decode((const unsigned char *)bad[i], strlen(bad[i]),
                                                &back, &why), ERR_INVALID);
        assert_true(why.len > 0);
    }
    buf_free(&b);
    buf_free(&json);
    buf_free(&back);
    buf_free(&why);
}

static void test_kind_names(void **state)
{
    for (int k = EXLOG_SUBMIT; k <= EXLOG_PEER; k++) {
        const char *n = exlog_kind_name(k);
        assert_string_not_equal(n, "unknown");
        assert_int_equal(exlog_kind_parse(n), k);
    }
    assert_string_equal(exlog_kind_name(0), "unknown");
    assert_string_equal(exlog_kind_name(EXLOG_PEER + 1), "unknown");
    assert_int_equal(exlog_kind_parse("nope"), -1);
    assert_int_equal(EXLOG_APPLY, 6); /* the numbers are chained: they never change */
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entry_hash),
        cmocka_unit_test(test_verifier),
        cmocka_unit_test(test_checkpoint),
        cmocka_unit_test(test_consistency),
        cmocka_unit_test(test_heartbeat),
        cmocka_unit_test(test_kind_names),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
