/* Unit tests for domain/envelope: key text forms (with the RFC 8032 test
 * key), the envelope against a second encoder written from
 * docs/PROTOCOL.md, every verification reason code, a flipped byte or bit
 * anywhere and every truncation failing verification, clock skew and
 * expiry at their boundaries, batch frames and receipts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "domain/envelope.h"
#include "domain/msgtypes.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/limits.h"

/* RFC 8032, section 7.1, test 1. */
static const char rfc_seed[] = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
static const char rfc_pk[] = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
static const char rfc_sig[] = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                              "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

#define NOW 1767225600000LL /* 2026-01-01T00:00:00Z */
#define PAYLOAD "{\"id\":\"W-1\",\"version\":1,\"name\":\"SITI AMINAH\",\"birth_date\":\"1990\"}"

static struct envelope_keypair key_idn, key_khm, key_other;
static unsigned char agreement[32];

static void unhex(unsigned char *out, size_t n, const char *hex)
{
    assert_int_equal(sodium_hex2bin(out, n, hex, strlen(hex), NULL, NULL, NULL), 0);
}

static int setup(void **state)
{
    unsigned char seed[32];
    unhex(seed, 32, rfc_seed);
    envelope_keypair_from_seed(&key_idn, seed);
    memset(seed, 7, sizeof seed);
    envelope_keypair_from_seed(&key_khm, seed);
    memset(seed, 9, sizeof seed);
    envelope_keypair_from_seed(&key_other, seed);
    memset(agreement, 0xA5, sizeof agreement);
    return 0;
}

/* The receiver KHM knows IDN (key_idn) and THA (key_other); KHM's own key for receipts. */
static int lookup(void *ctx, const char *sender, const unsigned char key_id[8],
                  struct envelope_peer *peer)
{
    const struct envelope_keypair *k = NULL;
    if (strcmp(sender, "IDN") == 0)
        k = &key_idn;
    else if (strcmp(sender, "THA") == 0)
        k = &key_other;
    else if (strcmp(sender, "KHM") == 0)
        k = &key_khm;
    if (k == NULL)
        return ENVELOPE_R_UNKNOWN_SENDER;
    unsigned char id[8];
    envelope_key_id(k->pk, id);
    if (memcmp(id, key_id, 8) != 0)
        return ENVELOPE_R_UNKNOWN_KEY;
    memcpy(peer->pk, k->pk, 32);
    memcpy(peer->agreement, agreement, 32);
    peer->check_agreement = true;
    return ENVELOPE_OK;
}

static struct envelope_verify_opts opts(const char *self, int64_t now)
{
    struct envelope_verify_opts o = {.self = self, .now_ms = now, .lookup = lookup};
    return o;
}

static struct envelope sample(void)
{
    struct envelope e;
    memset(&e, 0, sizeof e);
    memset(e.msg_id, 0x11, sizeof e.msg_id);
    memcpy(e.sender, "IDN", 4);
    memcpy(e.recipient, "KHM", 4);
    memcpy(e.type, "alert.person", 13);
    e.seq = 42;
    e.created_ms = NOW;
    e.expires_ms = NOW + 30LL * 86400 * 1000;
    memcpy(e.agreement, agreement, 32);
    e.payload = (const unsigned char *)PAYLOAD;
    e.payload_len = strlen(PAYLOAD);
    return e;
}

/* ---- A second encoder, written from docs/PROTOCOL.md ----------------------- */

struct raw {
    const char *ns, *sender, *recipient, *type;
    unsigned char id[16], agreement[32], reply[16];
    uint64_t seq, created, expires;
    const void *payload;
    size_t plen;
    const struct envelope_keypair *kp;
};

static void be(unsigned char *p, uint64_t v, int n)
{
    for (int i = n - 1; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)v;
}

static void str8(struct buf *b, const char *s)
{
    unsigned char n = (unsigned char)strlen(s);
    buf_append(b, &n, 1);
    buf_append(b, s, n);
}

static void raw_encode(const struct raw *r, struct buf *out)
{
    static const char ctx[] = "lintas-signature:envelope";
    unsigned char n8[8], n4[4], kid[8], sig[64];
    struct buf b;
    buf_init(&b, 4 * LIMIT_MESSAGE);
    buf_append(&b, "LINTAS-MSG\x01", 11);
    str8(&b, r->ns);
    buf_append(&b, r->id, 16);
    str8(&b, r->sender);
    str8(&b, r->recipient);
    be(n8, r->seq, 8);
    buf_append(&b, n8, 8);
    be(n8, r->created, 8);
    buf_append(&b, n8, 8);
    be(n8, r->expires, 8);
    buf_append(&b, n8, 8);
    buf_append(&b, r->agreement, 32);
    buf_append(&b, r->reply, 16);
    str8(&b, r->type);
    envelope_key_id(r->kp->pk, kid);
    buf_append(&b, kid, 8);
    be(n4, r->plen, 4);
    buf_append(&b, n4, 4);
    buf_append(&b, r->payload, r->plen);
    unsigned char *m = malloc(sizeof ctx + b.len);
    memcpy(m, ctx, sizeof ctx); /* with its NUL: 26 bytes */
    memcpy(m + sizeof ctx, b.data, b.len);
    crypto_sign_detached(sig, NULL, m, sizeof ctx + b.len, r->kp->sk);
    free(m);
    buf_append(&b, sig, 64);
    buf_reset(out);
    buf_append(out, b.data, b.len);
    buf_free(&b);
}

static struct raw raw_sample(void)
{
    struct raw r = {
        .ns = ENVELOPE_NS_DEFAULT, .sender = "IDN", .recipient = "KHM", .type = "alert.person",
        .seq = 42, .created = NOW, .expires = NOW + 30LL * 86400 * 1000, .payload = PAYLOAD,
        .plen = strlen(PAYLOAD), .kp = &key_idn,
    };
    memset(r.id, 0x11, 16);
    memcpy(r.agreement, agreement, 32);
    return r;
}

static int verify_raw(const struct raw *r, const char *self, int64_t now)
{
    struct buf b;
    buf_init(&b, 4 * LIMIT_MESSAGE);
    raw_encode(r, &b);
    struct envelope_verify_opts o = opts(self, now);
    struct envelope e;
    int reason = -1;
    int rc = envelope_verify((const unsigned char *)b.data, b.len, &o, &e, &reason);
    assert_true(rc == 0 ? reason == ENVELOPE_OK : reason != ENVELOPE_OK);
    buf_free(&b);
    return reason;
}

/* ---- Keys ------------------------------------------------------------------ */

static void test_rfc8032_key(void **state)
{
    unsigned char pk[32], sig[64], want[64];
    unhex(pk, 32, rfc_pk);
    assert_memory_equal(key_idn.pk, pk, 32);
    /* The derived secret key signs the empty message as the RFC says. */
    crypto_sign_detached(sig, NULL, (const unsigned char *)"", 0, key_idn.sk);
    unhex(want, 64, rfc_sig);
    assert_memory_equal(sig, want, 64);

    struct buf b;
    buf_init(&b, 256);
    assert_int_equal(envelope_pubkey_format(key_idn.pk, &b), 0);
    assert_string_equal(buf_cstr(&b),
                        "lintas-ed25519:11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
    buf_free(&b);
}

static void test_pubkey_text(void **state)
{
    const char *good = "lintas-ed25519:11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    unsigned char pk[32];
    assert_int_equal(envelope_pubkey_parse(good, strlen(good), pk), 0);
    assert_memory_equal(pk, key_idn.pk, 32);
    static const char *const bad[] = {
        "lintas-ed25519:11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n", /* newline */
        "lintas-ed25519:11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo",    /* no padding */
        "lintas-ed25519:11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURp=",   /* padding bits set */
        "lintas-ed25519: 1qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",   /* space */
        "lintas-ed448:11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",     /* prefix */
        "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",                  /* no prefix */
        "lintas-ed25519:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",   /* small order */
        "lintas-ed25519:11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo=",   /* url alphabet */
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(pk, 1, sizeof pk);
        assert_int_equal(envelope_pubkey_parse(bad[i], strlen(bad[i]), pk), ERR_INVALID);
        assert_true(sodium_is_zero(pk, 32));
    }
}

static void test_seckey_text(void **state)
{
    struct buf b;
    buf_init(&b, 256);
    struct envelope_keypair kp;
    assert_int_equal(envelope_seckey_format(&key_khm, &b), 0);
    assert_true(strncmp(buf_cstr(&b), "lintas-ed25519-secret-v1:", 25) == 0);
    assert_int_equal(b.data[b.len - 1], '\n');
    assert_int_equal(envelope_seckey_parse(b.data, b.len, &kp), 0);
    assert_memory_equal(&kp, &key_khm, sizeof kp);
    /* Without the final newline too. */
    assert_int_equal(envelope_seckey_parse(b.data, b.len - 1, &kp), 0);
    assert_memory_equal(kp.sk, key_khm.sk, 64);
    /* Two newlines, a space, a truncated line: refused, and kp wiped. */
    buf_putc(&b, '\n');
    assert_int_equal(envelope_seckey_parse(b.data, b.len, &kp), ERR_INVALID);
    assert_true(sodium_is_zero((const unsigned char *)&kp, sizeof kp));
    assert_int_equal(envelope_seckey_parse(b.data, 30, &kp), ERR_INVALID);
    b.data[25] = ' ';
    assert_int_equal(envelope_seckey_parse(b.data, b.len - 2, &kp), ERR_INVALID);
    sodium_memzero(b.data, b.len);
    buf_free(&b);
    /* A public key line is not a secret key. */
    const char *pub = "lintas-ed25519:11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    assert_int_equal(envelope_seckey_parse(pub, strlen(pub), &kp), ERR_INVALID);
}

static void test_key_id(void **state)
{
    unsigned char a[8], b[8];
    char hex[17];
    envelope_key_id(key_idn.pk, a);
    envelope_key_id(key_idn.pk, b);
    assert_memory_equal(a, b, 8);
    envelope_key_id(key_khm.pk, b);
    assert_memory_not_equal(a, b, 8);
    envelope_key_id_hex(key_idn.pk, hex);
    assert_int_equal(strlen(hex), 16);
    /* Domain-separated: not the first bytes of the plain hash of the key. */
    unsigned char plain[32];
    crypto_generichash(plain, 32, key_idn.pk, 32, NULL, 0);
    assert_memory_not_equal(a, plain, 8);
}

/* ---- Envelope ------------------------------------------------------------ */

static void test_roundtrip_and_layout(void **state)
{
    struct envelope e = sample(), d;
    struct buf b, r;
    buf_init(&b, LIMIT_MESSAGE);
    buf_init(&r, 4 * LIMIT_MESSAGE);
    assert_int_equal(envelope_sign(&e, &key_idn, &b), 0);
    assert_int_equal(b.len, ENVELOPE_FIXED_LEN + strlen(ENVELOPE_NS_DEFAULT) + 3 + 3 + 12 +
                                strlen(PAYLOAD));
    /* Byte for byte what the specification says. */
    struct raw rw = raw_sample();
    raw_encode(&rw, &r);
    assert_int_equal(b.len, r.len);
    assert_memory_equal(b.data, r.data, b.len);

    struct envelope_verify_opts o = opts("KHM", NOW + 1000);
    int reason = -1;
    assert_int_equal(envelope_verify((const unsigned char *)b.data, b.len, &o, &d, &reason), 0);
    assert_int_equal(reason, ENVELOPE_OK);
    assert_string_equal(d.ns, ENVELOPE_NS_DEFAULT);
    assert_memory_equal(d.msg_id, e.msg_id, 16);
    assert_string_equal(d.sender, "IDN");
    assert_string_equal(d.recipient, "KHM");
    assert_true(d.seq == 42);
    assert_true(d.created_ms == e.created_ms && d.expires_ms == e.expires_ms);
    assert_memory_equal(d.agreement, agreement, 32);
    assert_true(envelope_id_is_zero(d.reply_to));
    assert_string_equal(d.type, "alert.person");
    unsigned char kid[8];
    envelope_key_id(key_idn.pk, kid);
    assert_memory_equal(d.key_id, kid, 8);
    assert_int_equal(d.payload_len, strlen(PAYLOAD));
    assert_memory_equal(d.payload, PAYLOAD, d.payload_len);
    /* The payload is borrowed from the bytes, not copied. */
    assert_true(d.payload >= (const unsigned char *)b.data &&
                d.payload < (const unsigned char *)b.data + b.len);

    /* Signing is deterministic: the same fields give the same bytes. */
    buf_reset(&r);
    assert_int_equal(envelope_sign(&e, &key_idn, &r), 0);
    assert_memory_equal(b.data, r.data, b.len);
    buf_free(&b);
    buf_free(&r);
}

static void test_sign_refuses(void **state)
{
    struct buf b;
    buf_init(&b, LIMIT_MESSAGE);
    buf_puts(&b, "keep");
    struct envelope e = sample();
    e.sender[1] = ' ';
    assert_int_equal(envelope_sign(&e, &key_idn, &b), ERR_INVALID);
    e = sample();
    memcpy(e.type, "alert.nothing", 14);
    assert_int_equal(envelope_sign(&e, &key_idn, &b), ERR_INVALID);
    e = sample();
    e.seq = 0; /* a data type needs a sequence number */
    assert_int_equal(envelope_sign(&e, &key_idn, &b), ERR_INVALID);
    e = sample();
    e.expires_ms = e.created_ms;
    assert_int_equal(envelope_sign(&e, &key_idn, &b), ERR_INVALID);
    e = sample();
    memset(e.msg_id, 0, 16);
    assert_int_equal(envelope_sign(&e, &key_idn, &b), ERR_INVALID);
    e = sample();
    memcpy(e.type, "answer", 7); /* needs a reply-to */
    assert_int_equal(envelope_sign(&e, &key_idn, &b), ERR_INVALID);
    e = sample();
    static unsigned char big[65 * 1024];
    memset(big, ' ', sizeof big);
    e.payload = big;
    e.payload_len = sizeof big; /* alert.person allows 64 KiB */
    assert_int_equal(envelope_sign(&e, &key_idn, &b), ERR_LIMIT);
    assert_string_equal(buf_cstr(&b), "keep"); /* unchanged on error */
    buf_free(&b);
}

static void test_reasons(void **state)
{
    struct raw r = raw_sample();
    assert_int_equal(verify_raw(&r, "KHM", NOW), ENVELOPE_OK);
    assert_int_equal(verify_raw(&r, "THA", NOW), ENVELOPE_R_WRONG_RECIPIENT);

    r = raw_sample();
    r.ns = "lintas-test";
    assert_int_equal(verify_raw(&r, "KHM", NOW), ENVELOPE_R_WRONG_NAMESPACE);
    r = raw_sample();
    r.sender = "MMR";
    assert_int_equal(verify_raw(&r, "KHM", NOW), ENVELOPE_R_UNKNOWN_SENDER);
    r = raw_sample();
    r.kp = &key_other; /* IDN is known, but not with this key */
    assert_int_equal(verify_raw(&r, "KHM", NOW), ENVELOPE_R_UNKNOWN_KEY);
    r = raw_sample();
    r.type = "alert.nothing";
    assert_int_equal(verify_raw(&r, "KHM", NOW), ENVELOPE_R_UNKNOWN_TYPE);
    r = raw_sample();
    r.agreement[0] ^= 1;
    assert_int_equal(verify_raw(&r, "KHM", NOW), ENVELOPE_R_AGREEMENT_MISMATCH);
    r = raw_sample();
    r.type = "answer"; /* no reply-to */
    assert_int_equal(verify_raw(&r, "KHM", NOW), ENVELOPE_R_SCHEMA);
    r.reply[3] = 1;
    assert_int_equal(verify_raw(&r, "KHM", NOW), ENVELOPE_OK);

    /* Malformed in ways the encoder refuses to produce. */
    r = raw_sample();
    r.seq = 0;
    assert_int_equal(verify_raw(&r, "KHM", NOW), ENVELOPE_R_MALFORMED);
    r = raw_sample();
    r.type = "heartbeat"; /* control types have sequence 0 */
    assert_int_equal(verify_raw(&r, "KHM", NOW), ENVELOPE_R_MALFORMED);
    r = raw_sample();
    r.expires = r.created;
    assert_int_equal(verify_raw(&r, "KHM", NOW), ENVELOPE_R_MALFORMED);
    r = raw_sample();
    r.created = (uint64_t)INT64_MAX + 1;
    r.expires = UINT64_MAX;
    assert_int_equal(verify_raw(&r, "KHM", NOW), ENVELOPE_R_MALFORMED);
    r = raw_sample();
    memset(r.id, 0, 16);
    assert_int_equal(verify_raw(&r, "KHM", NOW), ENVELOPE_R_MALFORMED);
    r = raw_sample();
    r.sender = "ID N";
    assert_int_equal(verify_raw(&r, "KHM", NOW), ENVELOPE_R_MALFORMED);
    r = raw_sample();
    r.type = "Alert.person"; /* type names are lower case */
    assert_int_equal(verify_raw(&r, "KHM", NOW), ENVELOPE_R_MALFORMED);
    r = raw_sample();
    r.sender = "";
    assert_int_equal(verify_raw(&r, "KHM", NOW), ENVELOPE_R_MALFORMED);

    /* A payload over its type's limit, inside LIMIT_MESSAGE. */
    static unsigned char big[8 * 1024 + 1];
    memset(big, ' ', sizeof big);
    r = raw_sample();
    r.type = "alert.withdraw";
    r.payload = big;
    r.plen = sizeof big;
    assert_int_equal(verify_raw(&r, "KHM", NOW), ENVELOPE_R_TOO_LARGE);
    r.plen = sizeof big - 1;
    assert_int_equal(verify_raw(&r, "KHM", NOW), ENVELOPE_OK);
}

static void test_byte_level_reasons(void **state)
{
    struct envelope e = sample(), d;
    struct buf b;
    buf_init(&b, 2 * LIMIT_MESSAGE);
    assert_int_equal(envelope_sign(&e, &key_idn, &b), 0);
    unsigned char *p = (unsigned char *)b.data;
    size_t n = b.len;
    struct envelope_verify_opts o = opts("KHM", NOW);
    int reason;

    p[0] = 'X';
    assert_int_equal(envelope_verify(p, n, &o, &d, &reason), ERR_INVALID);
    assert_int_equal(reason, ENVELOPE_R_BAD_MAGIC);
    p[0] = 'L';
    p[10] = 2;
    assert_int_equal(envelope_verify(p, n, &o, &d, &reason), ERR_INVALID);
    assert_int_equal(reason, ENVELOPE_R_UNKNOWN_VERSION);
    p[10] = 1;
    assert_int_equal(envelope_verify(p, n - 1, &o, &d, &reason), ERR_INVALID);
    assert_int_equal(reason, ENVELOPE_R_MALFORMED);
    assert_int_equal(envelope_verify(p, 5, &o, &d, &reason), ERR_INVALID);
    assert_int_equal(reason, ENVELOPE_R_MALFORMED); /* a prefix of the magic */
    buf_putc(&b, 0);
    p = (unsigned char *)b.data;
    assert_int_equal(envelope_verify(p, n + 1, &o, &d, &reason), ERR_INVALID);
    assert_int_equal(reason, ENVELOPE_R_TRAILING_DATA);
    p[n - 1] ^= 0x40; /* the signature */
    assert_int_equal(envelope_verify(p, n, &o, &d, &reason), ERR_INVALID);
    assert_int_equal(reason, ENVELOPE_R_BAD_SIGNATURE);
    p[n - 1] ^= 0x40;
    p[n - 70] ^= 0x01; /* the payload */
    assert_int_equal(envelope_verify(p, n, &o, &d, &reason), ERR_INVALID);
    assert_int_equal(reason, ENVELOPE_R_BAD_SIGNATURE);
    p[n - 70] ^= 0x01;
    assert_int_equal(envelope_verify(p, n, &o, &d, &reason), 0);

    /* Over LIMIT_MESSAGE: refused before anything else is read. */
    unsigned char *huge = calloc(1, LIMIT_MESSAGE + 1);
    memcpy(huge, p, n);
    assert_int_equal(envelope_verify(huge, LIMIT_MESSAGE + 1, &o, &d, &reason), ERR_INVALID);
    assert_int_equal(reason, ENVELOPE_R_TOO_LARGE);
    free(huge);
    buf_free(&b);
}

static void test_every_flip_fails(void **state)
{
    struct envelope e = sample(), d;
    struct buf b;
    buf_init(&b, LIMIT_MESSAGE);
    assert_int_equal(envelope_sign(&e, &key_idn, &b), 0);
    unsigned char *p = (unsigned char *)b.data;
    struct envelope_verify_opts o = opts("KHM", NOW);
    static const unsigned char masks[] = {0x01, 0x02, 0x10, 0x80, 0xFF};
    int reason;
    for (size_t i = 0; i < b.len; i++) {
        for (size_t m = 0; m < sizeof masks; m++) {
            p[i] ^= masks[m];
            int rc = envelope_verify(p, b.len, &o, &d, &reason);
            if (rc == 0)
                fail_msg("flipping byte %zu with 0x%02x still verifies", i, masks[m]);
            assert_int_not_equal(reason, ENVELOPE_OK);
            p[i] ^= masks[m];
        }
    }
    /* Every truncation fails too, and never reads past the end. */
    for (size_t len = 0; len < b.len; len++) {
        unsigned char *cut = malloc(len + 1);
        memcpy(cut, p, len);
        assert_int_equal(envelope_verify(cut, len, &o, &d, &reason), ERR_INVALID);
        free(cut);
    }
    assert_int_equal(envelope_verify(p, b.len, &o, &d, &reason), 0);
    buf_free(&b);
}

static void test_clock(void **state)
{
    struct raw r = raw_sample();
    int64_t skew = (int64_t)LIMIT_CLOCK_SKEW_S * 1000;
    /* created up to 5 minutes in our future: fine; a millisecond more: not. */
    assert_int_equal(verify_raw(&r, "KHM", NOW - skew), ENVELOPE_OK);
    assert_int_equal(verify_raw(&r, "KHM", NOW - skew - 1), ENVELOPE_R_CLOCK_SKEW);
    /* Old messages are fine until they expire (backlogs after an outage drain). */
    assert_int_equal(verify_raw(&r, "KHM", (int64_t)r.expires), ENVELOPE_OK);
    assert_int_equal(verify_raw(&r, "KHM", (int64_t)r.expires + 1), ENVELOPE_R_EXPIRED);

    /* A custom skew, and re-verification of old evidence without time checks. */
    struct buf b;
    buf_init(&b, LIMIT_MESSAGE);
    raw_encode(&r, &b);
    struct envelope d;
    int reason;
    struct envelope_verify_opts o = opts("KHM", NOW - 2000);
    o.skew_ms = 1000;
    assert_int_equal(envelope_verify((const unsigned char *)b.data, b.len, &o, &d, &reason),
                     ERR_INVALID);
    assert_int_equal(reason, ENVELOPE_R_CLOCK_SKEW);
    o = opts("KHM", (int64_t)r.expires + 86400000LL * 365);
    o.skip_time_checks = true;
    assert_int_equal(envelope_verify((const unsigned char *)b.data, b.len, &o, &d, &reason), 0);
    o.skip_time_checks = false;
    assert_int_equal(envelope_verify((const unsigned char *)b.data, b.len, &o, &d, &reason),
                     ERR_INVALID);
    assert_int_equal(reason, ENVELOPE_R_EXPIRED);
    buf_free(&b);
}

static void test_reason_names(void **state)
{
    for (int i = 0; i < ENVELOPE_R_COUNT; i++) {
        const char *n = envelope_reason_name(i);
        assert_string_not_equal(n, "unknown");
        assert_int_equal(envelope_reason_parse(n), i);
        for (int k = 0; k < i; k++)
            assert_string_not_equal(n, envelope_reason_name(k));
    }
    assert_string_equal(envelope_reason_name(ENVELOPE_R_COUNT), "unknown");
    assert_string_equal(envelope_reason_name(-1), "unknown");
    assert_int_equal(envelope_reason_parse("nonsense"), -1);
    assert_string_equal(envelope_reason_name(ENVELOPE_R_BAD_SIGNATURE), "bad_signature");
    assert_int_equal(ENVELOPE_R_SMALL_CELL, 19); /* the numbers are part of the protocol */
}

static void test_ids(void **state)
{
    unsigned char id[16], back[16];
    char hex[33];
    memset(id, 0xAB, sizeof id);
    envelope_id_hex(id, hex);
    assert_string_equal(hex, "abababababababababababababababab");
    assert_int_equal(envelope_id_parse(hex, back), 0);
    assert_memory_equal(id, back, 16);
    assert_int_equal(envelope_id_parse("abab", back), ERR_INVALID);
    assert_int_equal(envelope_id_parse("zbababababababababababababababab", back), ERR_INVALID);
    /* H is plain BLAKE2b-256: b2sum -l 256 of "abc". */
    unsigned char h[32], want[32];
    envelope_hash("abc", 3, h);
    unhex(want, 32, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
    assert_memory_equal(h, want, 32);
}

/* ---- Batches --------------------------------------------------------------- */

static void test_batch(void **state)
{
    struct buf e1, e2, frame;
    buf_init(&e1, LIMIT_MESSAGE);
    buf_init(&e2, LIMIT_MESSAGE);
    buf_init(&frame, ENVELOPE_BATCH_MAX_BYTES);
    struct envelope e = sample();
    assert_int_equal(envelope_sign(&e, &key_idn, &e1), 0);
    e.seq = 43;
    e.msg_id[0] = 0x22;
    assert_int_equal(envelope_sign(&e, &key_idn, &e2), 0);
    struct envelope_slice items[3] = {
        {(const unsigned char *)e1.data, e1.len},
        {(const unsigned char *)e2.data, e2.len},
        {(const unsigned char *)"x", 1}, /* not an envelope: still a frame item */
    };
    assert_int_equal(envelope_batch_encode("IDN", items, 3, &frame), 0);
    assert_memory_equal(frame.data, "LINTAS-BAT\x01\x03IDN\x00\x03", 16);

    char sender[ENVELOPE_NODE_MAX + 1];
    struct envelope_slice got[ENVELOPE_BATCH_MAX];
    size_t n = 0;
    const unsigned char *f = (const unsigned char *)frame.data;
    assert_int_equal(envelope_batch_decode(f, frame.len, sender, got, &n), 0);
    assert_string_equal(sender, "IDN");
    assert_int_equal(n, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(got[i].len, items[i].len);
        assert_memory_equal(got[i].data, items[i].data, items[i].len);
    }
    /* Trailing data, truncation, every flipped header byte: refused whole. */
    buf_putc(&frame, 0);
    f = (const unsigned char *)frame.data;
    assert_int_equal(envelope_batch_decode(f, frame.len, sender, got, &n), ERR_INVALID);
    assert_int_equal(n, 0);
    for (size_t len = 0; len < frame.len - 1; len++)
        assert_int_equal(envelope_batch_decode(f, len, sender, got, &n), ERR_INVALID);
    unsigned char *w = (unsigned char *)frame.data;
    for (size_t i = 0; i < 20; i++) {
        if (i >= 12 && i <= 14)
            continue; /* sender letters: another valid sender */
        w[i] ^= 0x80;
        assert_int_equal(envelope_batch_decode(w, frame.len - 1, sender, got, &n), ERR_INVALID);
        w[i] ^= 0x80;
    }
    w[16] = 0; /* count 0 */
    assert_int_equal(envelope_batch_decode(w, frame.len - 1, sender, got, &n), ERR_INVALID);
    w[15] = 0;
    w[16] = 65; /* count over ENVELOPE_BATCH_MAX */
    assert_int_equal(envelope_batch_decode(w, frame.len - 1, sender, got, &n), ERR_INVALID);

    /* The encoder's limits. */
    struct envelope_slice many[ENVELOPE_BATCH_MAX + 1];
    for (size_t i = 0; i <= ENVELOPE_BATCH_MAX; i++)
        many[i] = items[2];
    buf_reset(&frame);
    assert_int_equal(envelope_batch_encode("IDN", many, ENVELOPE_BATCH_MAX + 1, &frame),
                     ERR_INVALID);
    assert_int_equal(envelope_batch_encode("IDN", many, 0, &frame), ERR_INVALID);
    assert_int_equal(envelope_batch_encode("I DN", many, 1, &frame), ERR_INVALID);
    struct envelope_slice empty = {(const unsigned char *)"", 0};
    assert_int_equal(envelope_batch_encode("IDN", &empty, 1, &frame), ERR_INVALID);
    assert_int_equal(frame.len, 0);
    assert_int_equal(envelope_batch_encode("IDN", many, ENVELOPE_BATCH_MAX, &frame), 0);
    assert_int_equal(envelope_batch_decode((const unsigned char *)frame.data, frame.len, sender,
                                           got, &n), 0);
    assert_int_equal(n, ENVELOPE_BATCH_MAX);
    buf_free(&e1);
    buf_free(&e2);
    buf_free(&frame);
}

/* ---- Receipts -------------------------------------------------------------- */

static struct envelope_receipt receipt_sample(void)
{
    struct envelope_receipt r;
    memset(&r, 0, sizeof r);
    r.status = ENVELOPE_REJECTED;
    r.reason = ENVELOPE_R_FIELD_NOT_ALLOWED;
    memcpy(r.detail, "field 'notes': not allowed", 27);
    memset(r.envelope_hash, 0x5A, 32);
    r.received_ms = NOW + 5;
    r.log_size = 77;
    memset(r.log_head, 0xC3, 32);
    return r;
}

static void test_receipt_payload(void **state)
{
    struct envelope_receipt r = receipt_sample(), p;
    struct buf b, why;
    buf_init(&b, 8192);
    buf_init(&why, 1024);
    assert_int_equal(envelope_receipt_payload(&r, &b), 0);
    const char *want = "{\"status\":\"rejected\",\"reason\":\"field_not_allowed\","
                       "\"detail\":\"field 'notes': not allowed\",\"envelope_hash\":\"5a5a";
    assert_true(strncmp(buf_cstr(&b), want, strlen(want)) == 0);
    assert_int_equal(envelope_receipt_parse((const unsigned char *)b.data, b.len, &p, &why), 0);
    assert_memory_equal(&p, &r, sizeof r);

    /* Status and reason must fit; details are cleaned and bounded. */
    r.status = ENVELOPE_ACCEPTED;
    buf_reset(&b);
    assert_int_equal(envelope_receipt_payload(&r, &b), ERR_INVALID);
    r.reason = ENVELOPE_OK;
    memset(r.detail, 0, sizeof r.detail);
    memcpy(r.detail, "bad\x01\xff", 5);
    assert_int_equal(envelope_receipt_payload(&r, &b), 0);
    assert_non_null(strstr(buf_cstr(&b), "\"detail\":\"bad\\\\u0001\\\\xff\""));
    memset(r.detail, 'a', ENVELOPE_DETAIL_MAX);
    r.detail[ENVELOPE_DETAIL_MAX - 1] = '\n'; /* escaped: grows past the limit, then cut */
    buf_reset(&b);
    assert_int_equal(envelope_receipt_payload(&r, &b), 0);
    assert_int_equal(envelope_receipt_parse((const unsigned char *)b.data, b.len, &p, &why), 0);
    assert_int_equal(strlen(p.detail), ENVELOPE_DETAIL_MAX);

    static const char *const bad[] = {
        "{\"status\":\"accepted\",\"reason\":\"ok\",\"envelope_hash\":\"00\",\"received_at\":1}",
        "{\"status\":\"accepted\",\"reason\":\"bad_signature\",\"envelope_hash\":"
        "\"0000000000000000000000000000000000000000000000000000000000000000\",\"received_at\":1}",
        "{\"status\":\"rejected\",\"reason\":\"ok\",\"envelope_hash\":"
        "\"0000000000000000000000000000000000000000000000000000000000000000\",\"received_at\":1}",
        "{\"status\":\"accepted\",\"reason\":\"ok\",\"envelope_hash\":"
        "\"0000000000000000000000000000000000000000000000000000000000000000\",\"received_at\":1,"
        "\"extra\":1}",
        "{\"status\":\"accepted\",\"reason\":\"ok\",\"received_at\":1}",
        "{\"status\":\"maybe\",\"reason\":\"ok\",\"envelope_hash\":"
        "\"0000000000000000000000000000000000000000000000000000000000000000\",\"received_at\":1}",
        "[]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        buf_reset(&why);
        assert_int_equal(envelope_receipt_parse((const unsigned char *)bad[i], strlen(bad[i]),
                                                &p, &why), ERR_INVALID);
        assert_true(why.len > 0);
    }
    buf_free(&b);
    buf_free(&why);
}

static void test_receipt_envelope(void **state)
{
    /* KHM receives an envelope from IDN and answers with a signed receipt. */
    struct envelope e = sample(), got, rd;
    struct buf env, rec, why;
    buf_init(&env, LIMIT_MESSAGE);
    buf_init(&rec, LIMIT_MESSAGE);
    buf_init(&why, 1024);
    assert_int_equal(envelope_sign(&e, &key_idn, &env), 0);
    struct envelope_verify_opts o = opts("KHM", NOW);
    int reason;
    assert_int_equal(envelope_verify((const unsigned char *)env.data, env.len, &o, &got, &reason),
                     0);
    struct envelope_receipt r = receipt_sample(), p;
    r.status = ENVELOPE_ACCEPTED;
    r.reason = ENVELOPE_OK;
    r.detail[0] = '\0';
    envelope_hash(env.data, env.len, r.envelope_hash);
    unsigned char other_agreement[32];
    memset(other_agreement, 0x3C, 32); /* the receiver's view; not checked on receipts */
    struct envelope_receipt_addr a = {.self = "KHM", .to = got.sender, .reply_to = got.msg_id,
                                      .agreement = other_agreement, .now_ms = NOW + 10};
    assert_int_equal(envelope_receipt_sign(&r, &a, &key_khm, &rec), 0);

    /* IDN verifies it, years later too (the stored receipt is resent unchanged). */
    o = opts("IDN", NOW + 20);
    assert_int_equal(envelope_verify((const unsigned char *)rec.data, rec.len, &o, &rd, &reason),
                     0);
    assert_string_equal(rd.type, "receipt");
    assert_true(rd.seq == 0);
    assert_memory_equal(rd.reply_to, e.msg_id, 16);
    unsigned char rid[16];
    envelope_receipt_id(r.envelope_hash, rid);
    assert_memory_equal(rd.msg_id, rid, 16);
    assert_int_equal(envelope_receipt_parse(rd.payload, rd.payload_len, &p, &why), 0);
    assert_int_equal(p.status, ENVELOPE_ACCEPTED);
    unsigned char h[32];
    envelope_hash(env.data, env.len, h);
    assert_memory_equal(p.envelope_hash, h, 32);
    o = opts("IDN", NOW + 5LL * 365 * 86400 * 1000);
    assert_int_equal(envelope_verify((const unsigned char *)rec.data, rec.len, &o, &rd, &reason),
                     0);

    /* A receipt for bytes that could not be decoded: no reply-to, no agreement. */
    struct envelope_receipt_addr u = {.self = "KHM", .to = "IDN", .now_ms = NOW};
    r.status = ENVELOPE_REJECTED;
    r.reason = ENVELOPE_R_MALFORMED;
    buf_reset(&rec);
    assert_int_equal(envelope_receipt_sign(&r, &u, &key_khm, &rec), 0);
    o = opts("IDN", NOW);
    assert_int_equal(envelope_verify((const unsigned char *)rec.data, rec.len, &o, &rd, &reason),
                     0);
    assert_true(envelope_id_is_zero(rd.reply_to));
    u.to = "not a node";
    assert_int_equal(envelope_receipt_sign(&r, &u, &key_khm, &rec), ERR_INVALID);
    buf_free(&env);
    buf_free(&rec);
    buf_free(&why);
}

static void test_type_table(void **state)
{
    /* Every type name fits the wire character set and limits; control types
     * are exactly receipt and heartbeat; the query answer is due in 12 h. */
    size_t controls = 0;
    for (size_t i = 0; i < msgtypes_count(); i++) {
        const struct msgtypes_type *t = msgtypes_at(i);
        assert_true(strlen(t->name) <= ENVELOPE_TYPE_MAX);
        assert_true(t->max_payload + ENVELOPE_FIXED_LEN + 4 * 64 <= LIMIT_MESSAGE);
        assert_true(t->nfields <= MSGTYPES_MAX_FIELDS);
        assert_ptr_equal(msgtypes_find(t->name, strlen(t->name)), t);
        controls += t->control;
        for (size_t k = 0; k < t->nfields; k++) {
            assert_true(strlen(t->fields[k].path) <= MSGTYPES_PATH_MAX);
            assert_int_equal(msgtypes_field_index(t, t->fields[k].path), (int)k);
        }
    }
    assert_int_equal(controls, 2);
    const struct msgtypes_type *q = msgtypes_find("query", 5);
    assert_non_null(q);
    assert_string_equal(q->reply_type, "answer");
    assert_int_equal(q->reply_due_s, 12 * 3600);
    assert_true(msgtypes_find("answer", 6)->needs_reply_to);
    assert_true(msgtypes_find("receipt", 7)->control);
    assert_null(msgtypes_find("alert", 5));
}

/* docs/PROTOCOL.md, or NULL when not run from the source root. */
static char *read_doc(void)
{
    FILE *f = fopen("docs/PROTOCOL.md", "rb");
    if (f == NULL)
        return NULL;
    char *doc = malloc(1 << 20);
    size_t n = fread(doc, 1, (1 << 20) - 1, f);
    doc[n] = '\0';
    fclose(f);
    return doc;
}

/* docs/PROTOCOL.md names every type, every field of the table and every reason. */
static void test_protocol_doc(void **state)
{
    char *doc = read_doc(), want[128], quoted[128];
    if (doc == NULL)
        skip(); /* run from the source root (meson test does) */
    for (size_t i = 0; i < msgtypes_count(); i++) {
        const struct msgtypes_type *t = msgtypes_at(i);
        snprintf(want, sizeof want, "`%s`", t->name);
        if (strstr(doc, want) == NULL)
            fail_msg("docs/PROTOCOL.md does not name type %s", t->name);
        for (size_t k = 0; k < t->nfields; k++) {
            snprintf(want, sizeof want, "`%s`", t->fields[k].path);
            snprintf(quoted, sizeof quoted, "\"%s\"", t->fields[k].path);
            if (strstr(doc, want) == NULL && strstr(doc, quoted) == NULL)
                fail_msg("docs/PROTOCOL.md does not name field %s of %s", t->fields[k].path,
                         t->name);
        }
    }
    for (int r = 0; r < ENVELOPE_R_COUNT; r++) {
        snprintf(want, sizeof want, "| `%s` |", envelope_reason_name(r));
        if (strstr(doc, want) == NULL)
            fail_msg("docs/PROTOCOL.md does not list reason %s", envelope_reason_name(r));
    }
    free(doc);
}

/* The documented test vector: the same fields signed here give those bytes. */
static void test_protocol_vector(void **state)
{
    char *doc = read_doc();
    if (doc == NULL)
        skip();
    const char *v = strstr(doc, "<!-- vector");
    assert_non_null(v);
    v = strstr(v, "```\n");
    assert_non_null(v);
    struct buf hex, b;
    buf_init(&hex, 4096);
    buf_init(&b, LIMIT_MESSAGE);
    for (v += 4; *v != '\0' && *v != '`'; v++) {
        if (*v != '\n')
            buf_putc(&hex, *v);
    }
    struct envelope e = sample();
    for (int i = 0; i < 16; i++)
        e.msg_id[i] = (unsigned char)i;
    e.seq = 1;
    e.created_ms = 1767225600000LL;
    e.expires_ms = 1769817600000LL;
    memset(e.agreement, 0x11, 32);
    assert_int_equal(envelope_sign(&e, &key_idn, &b), 0);
    char *got = malloc(2 * b.len + 1);
    sodium_bin2hex(got, 2 * b.len + 1, (const unsigned char *)b.data, b.len);
    assert_string_equal(got, buf_cstr(&hex));
    unsigned char h[32];
    char hh[65];
    envelope_hash(b.data, b.len, h);
    sodium_bin2hex(hh, sizeof hh, h, 32);
    assert_non_null(strstr(doc, hh));
    envelope_key_id_hex(key_idn.pk, hh);
    assert_string_equal(hh, "5d852cf1d78b7618"); /* keyed BLAKE2b, checked with Python hashlib */
    free(got);
    buf_free(&hex);
    buf_free(&b);
    free(doc);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc8032_key),
        cmocka_unit_test(test_pubkey_text),
        cmocka_unit_test(test_seckey_text),
        cmocka_unit_test(test_key_id),
        cmocka_unit_test(test_roundtrip_and_layout),
        cmocka_unit_test(test_sign_refuses),
        cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_byte_level_reasons),
        cmocka_unit_test(test_every_flip_fails),
        cmocka_unit_test(test_clock),
        cmocka_unit_test(test_reason_names),
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_batch),
        cmocka_unit_test(test_receipt_payload),
        cmocka_unit_test(test_receipt_envelope),
        cmocka_unit_test(test_type_table),
        cmocka_unit_test(test_protocol_doc),
        cmocka_unit_test(test_protocol_vector),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
