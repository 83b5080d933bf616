/* Fuzz harness: domain/envelope decoding and verification, batch frames,
 * receipts, key texts, and exlog checkpoints and heartbeats. The first
 * input byte picks a target. Besides "no crash", it checks oracles: an
 * envelope that verifies is exactly what envelope_sign() makes of its
 * decoded fields (the encoding is canonical); an envelope built from the
 * input and signed verifies, and stops verifying when any byte is flipped;
 * a parsed receipt survives payload -> parse unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "domain/envelope.h"
#include "domain/exlog.h"
#include "domain/msgtypes.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW 1767225600000LL

static struct envelope_keypair k_idn, k_khm;
static unsigned char agreement[ENVELOPE_HASH_LEN];

static void init(void)
{
    static int done;
    if (done)
        return;
    unsigned char seed[32];
    if (sodium_init() < 0)
        abort();
    memset(seed, 1, sizeof seed);
    envelope_keypair_from_seed(&k_idn, seed);
    memset(seed, 2, sizeof seed);
    envelope_keypair_from_seed(&k_khm, seed);
    memset(agreement, 0xA5, sizeof agreement);
    done = 1;
}

static int lookup(void *ctx, const char *sender, const unsigned char key_id[8],
                  struct envelope_peer *peer)
{
    const struct envelope_keypair *k = strcmp(sender, "IDN") == 0   ? &k_idn
                                       : strcmp(sender, "KHM") == 0 ? &k_khm
                                                                    : NULL;
    unsigned char id[8];
    if (k == NULL)
        return ENVELOPE_R_UNKNOWN_SENDER;
    envelope_key_id(k->pk, id);
    if (memcmp(id, key_id, 8) != 0)
        return ENVELOPE_R_UNKNOWN_KEY;
    memcpy(peer->pk, k->pk, 32);
    memcpy(peer->agreement, agreement, 32);
    peer->check_agreement = true;
    return ENVELOPE_OK;
}

static struct envelope_verify_opts opts(int64_t now)
{
    struct envelope_verify_opts o = {.self = "KHM", .now_ms = now, .lookup = lookup};
    return o;
}

/* Verifies; when the envelope is good, signing its fields again must give
 * the same bytes. */
static void verify_canonical(const uint8_t *d, size_t n)
{
    struct envelope_verify_opts o = opts(NOW);
    struct envelope e;
    int reason = -1;
    int rc = envelope_verify(d, n, &o, &e, &reason);
    if ((rc == 0) != (reason == ENVELOPE_OK) || reason < 0 || reason >= ENVELOPE_R_COUNT)
        abort();
    if (rc != 0)
        return;
    const struct envelope_keypair *k = strcmp(e.sender, "IDN") == 0 ? &k_idn : &k_khm;
    struct buf b;
    buf_init(&b, LIMIT_MESSAGE);
    if (envelope_sign(&e, k, &b) != 0 || b.len != n || memcmp(b.data, d, n) != 0)
        abort();
    buf_free(&b);
}

static void fuzz_batch(const uint8_t *d, size_t n)
{
    char sender[ENVELOPE_NODE_MAX + 1];
    struct envelope_slice items[ENVELOPE_BATCH_MAX];
    size_t count = 0;
    if (envelope_batch_decode(d, n, sender, items, &count) != 0)
        return;
    for (size_t i = 0; i < count; i++)
        verify_canonical(items[i].data, items[i].len);
    struct buf b;
    buf_init(&b, ENVELOPE_BATCH_MAX_BYTES);
    if (envelope_batch_encode(sender, items, count, &b) != 0 || b.len != n ||
        memcmp(b.data, d, n) != 0)
        abort();
    buf_free(&b);
}

static int64_t take(const uint8_t **d, size_t *n)
{
    uint32_t v = 0;
    for (int i = 0; i < 4 && *n > 0; i++, (*d)++, (*n)--)
        v = (v << 8) | **d;
    return (int64_t)v;
}

/* Builds an envelope from the input, signs it, verifies it, flips a byte. */
static void fuzz_build(const uint8_t *d, size_t n)
{
    if (n < 12)
        return;
    const struct msgtypes_type *t = msgtypes_at(d[0] % msgtypes_count());
    bool wrong_agreement = d[1] & 1, to_other = d[1] & 2;
    d += 2;
    n -= 2;
    int64_t created = NOW + take(&d, &n) - 2000000000LL;
    int64_t life = 1 + take(&d, &n);
    size_t flip = (size_t)take(&d, &n);
    struct envelope e;
    memset(&e, 0, sizeof e);
    memset(e.msg_id, 0x42, sizeof e.msg_id);
    memcpy(e.sender, "IDN", 4);
    memcpy(e.recipient, to_other ? "THA" : "KHM", 4);
    memcpy(e.type, t->name, strlen(t->name) + 1);
    e.seq = t->control ? 0 : 7;
    e.created_ms = created;
    e.expires_ms = created + life;
    memcpy(e.agreement, agreement, sizeof agreement);
    e.agreement[0] ^= (unsigned char)wrong_agreement;
    memset(e.reply_to, 0x17, sizeof e.reply_to);
    e.payload = d;
    e.payload_len = n < t->max_payload ? n : t->max_payload;
    struct buf b;
    buf_init(&b, LIMIT_MESSAGE);
    if (envelope_sign(&e, &k_idn, &b) != 0)
        abort();
    struct envelope_verify_opts o = opts(NOW);
    struct envelope got;
    int reason;
    int rc = envelope_verify((const unsigned char *)b.data, b.len, &o, &got, &reason);
    bool in_time = created - NOW <= LIMIT_CLOCK_SKEW_S * 1000LL && NOW <= e.expires_ms;
    bool should = in_time && !to_other && (!wrong_agreement || t->control);
    if ((rc == 0) != should)
        abort();
    if (rc == 0 && (got.payload_len != e.payload_len ||
                    memcmp(got.payload, e.payload, e.payload_len) != 0 || got.seq != e.seq))
        abort();
    o.skip_time_checks = true;
    o.self = to_other ? "THA" : "KHM";
    if (envelope_verify((const unsigned char *)b.data, b.len, &o, &got, &reason) !=
        (wrong_agreement && !t->control ? ERR_INVALID : 0))
        abort();
    unsigned char *w = (unsigned char *)b.data;
    w[flip % b.len] ^= (unsigned char)(1u << (flip >> 29));
    if (envelope_verify(w, b.len, &o, &got, &reason) == 0)
        abort();
    buf_free(&b);
}

static void fuzz_receipt(const uint8_t *d, size_t n)
{
    struct envelope_receipt r, again;
    struct buf why, json;
    buf_init(&why, 4096);
    buf_init(&json, 8192);
    if (envelope_receipt_parse(d, n, &r, &why) == 0) {
        if (envelope_receipt_payload(&r, &json) != 0 ||
            envelope_receipt_parse((const unsigned char *)json.data, json.len, &again, &why) != 0)
            abort();
        if (r.status != again.status || r.reason != again.reason ||
            memcmp(r.envelope_hash, again.envelope_hash, 32) != 0 ||
            r.received_ms != again.received_ms || r.log_size != again.log_size)
            abort();
    }
    buf_free(&why);
    buf_free(&json);
}

static void fuzz_texts(const uint8_t *d, size_t n)
{
    unsigned char pk[32];
    struct envelope_keypair kp;
    struct exlog_checkpoint cp;
    struct buf b, why;
    buf_init(&b, 4096);
    buf_init(&why, 4096);
    if (envelope_pubkey_parse((const char *)d, n, pk) == 0) {
        if (envelope_pubkey_format(pk, &b) != 0 || b.len != n || memcmp(b.data, d, n) != 0)
            abort();
    }
    envelope_seckey_parse((const char *)d, n, &kp);
    envelope_keypair_wipe(&kp);
    exlog_checkpoint_verify(d, n, k_idn.pk, &cp);
    buf_reset(&b);
    if (exlog_heartbeat_decode(d, n, &b, &why) == 0)
        exlog_checkpoint_decode((const unsigned char *)b.data, b.len, &cp);
    buf_free(&b);
    buf_free(&why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    init();
    if (size == 0)
        return 0;
    uint8_t mode = data[0];
    data++;
    size--;
    switch (mode % 5) {
    case 0: verify_canonical(data, size); break;
    case 1: fuzz_batch(data, size); break;
    case 2: fuzz_build(data, size); break;
    case 3: fuzz_receipt(data, size); break;
    default: fuzz_texts(data, size); break;
    }
    return 0;
}
