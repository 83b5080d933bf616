/* bench_envelope: exchange envelopes per second on one core (one thread):
 * sign+encode and decode+verify of an alert.person envelope (about 400
 * bytes of payload) and of a 64 KiB bulletin, a 64-envelope batch frame
 * decoded with every item verified, and the agreement's egress+ingress of
 * the alert payload. Each loop runs about two seconds. The design target
 * for the exchange is 1,000 messages/s end to end; the codec should cost a
 * small part of that. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/envelope.h"
#include "domain/policy.h"
#include "util/buf.h"
#include "util/limits.h"
#include "util/timeutil.h"

#define NOW 1767225600000LL
#define RUN_US 2000000

static const char alert[] =
    "{\"id\":\"IDN-WL-2025-000123\",\"version\":1,\"kind\":\"person\",\"name\":\"SITI AMINAH "
    "BINTI ABDULLAH\",\"aliases\":[\"SITI AMINAH\",\"AMINAH ABDULLAH\"],\"birth_date\":"
    "\"1990-05-17\",\"nationality\":\"IDN\",\"document_numbers\":[\"C1234567\",\"X7654321\"],"
    "\"category\":\"recruiter\",\"action\":\"notify_focal_point\",\"valid_until\":\"2027-12-31\","
    "\"notes\":\"Recruits domestic workers through a social media page; sends them on tourist "
    "visas to Phnom Penh. Two victims repatriated in 2025.\"}";

static struct envelope_keypair kp;
static unsigned char agreement[32];

static int lookup(void *ctx, const char *sender, const unsigned char key_id[8],
                  struct envelope_peer *peer)
{
    memcpy(peer->pk, kp.pk, 32);
    memcpy(peer->agreement, agreement, 32);
    peer->check_agreement = true;
    return ENVELOPE_OK;
}

static struct envelope make(const char *type, const void *payload, size_t len)
{
    struct envelope e;
    memset(&e, 0, sizeof e);
    memset(e.msg_id, 0x11, sizeof e.msg_id);
    memcpy(e.sender, "IDN", 4);
    memcpy(e.recipient, "KHM", 4);
    memcpy(e.type, type, strlen(type) + 1);
    e.seq = 1;
    e.created_ms = NOW;
    e.expires_ms = NOW + 30LL * 86400 * 1000;
    memcpy(e.agreement, agreement, 32);
    e.payload = payload;
    e.payload_len = len;
    return e;
}

static double sign_rate(struct envelope *e, struct buf *out)
{
    size_t count = 0;
    int64_t start = time_mono_us(), now = start;
    while (now - start < RUN_US) {
        for (int rep = 0; rep < 100; rep++) {
            buf_reset(out);
            e->seq++;
            if (envelope_sign(e, &kp, out) != 0)
                abort();
            count++;
        }
        now = time_mono_us();
    }
    return (double)count * 1e6 / (double)(now - start);
}

static double verify_rate(const struct buf *b)
{
    struct envelope_verify_opts o = {.self = "KHM", .now_ms = NOW, .lookup = lookup};
    struct envelope e;
    int reason;
    size_t count = 0;
    int64_t start = time_mono_us(), now = start;
    while (now - start < RUN_US) {
        for (int rep = 0; rep < 100; rep++) {
            if (envelope_verify((const unsigned char *)b->data, b->len, &o, &e, &reason) != 0)
                abort();
            count++;
        }
        now = time_mono_us();
    }
    return (double)count * 1e6 / (double)(now - start);
}

/* Envelopes per second through batch decoding plus verification of each item. */
static double batch_rate(void)
{
    struct envelope_slice items[ENVELOPE_BATCH_MAX];
    struct buf envs[ENVELOPE_BATCH_MAX], frame;
    buf_init(&frame, ENVELOPE_BATCH_MAX_BYTES);
    for (size_t i = 0; i < ENVELOPE_BATCH_MAX; i++) {
        struct envelope e = make("alert.person", alert, strlen(alert));
        e.seq = i + 1;
        buf_init(&envs[i], LIMIT_MESSAGE);
        if (envelope_sign(&e, &kp, &envs[i]) != 0)
            abort();
        items[i].data = (const unsigned char *)envs[i].data;
        items[i].len = envs[i].len;
    }
    if (envelope_batch_encode("IDN", items, ENVELOPE_BATCH_MAX, &frame) != 0)
        abort();
    struct envelope_verify_opts o = {.self = "KHM", .now_ms = NOW, .lookup = lookup};
    char sender[ENVELOPE_NODE_MAX + 1];
    size_t count = 0, n;
    int64_t start = time_mono_us(), now = start;
    while (now - start < RUN_US) {
        if (envelope_batch_decode((const unsigned char *)frame.data, frame.len, sender, items,
                                  &n) != 0)
            abort();
        for (size_t i = 0; i < n; i++) {
            struct envelope e;
            int reason;
            if (envelope_verify(items[i].data, items[i].len, &o, &e, &reason) != 0)
                abort();
        }
        count += n;
        now = time_mono_us();
    }
    for (size_t i = 0; i < ENVELOPE_BATCH_MAX; i++)
        buf_free(&envs[i]);
    buf_free(&frame);
    return (double)count * 1e6 / (double)(now - start);
}

static double policy_rate(void)
{
    unsigned char key[32];
    struct buf text, out, why;
    struct policy *p = NULL;
    memset(key, 7, sizeof key);
    buf_init(&text, POLICY_MAX_FILE);
    buf_init(&out, LIMIT_MESSAGE);
    buf_init(&why, 4096);
    if (policy_template("IDN", "KHM", "bench", key, &text) != 0 ||
        policy_parse(text.data, text.len, &p, &why) != 0)
        abort();
    size_t count = 0;
    int64_t start = time_mono_us(), now = start;
    while (now - start < RUN_US) {
        for (int rep = 0; rep < 100; rep++) {
            int reason;
            buf_reset(&out);
            if (policy_egress(p, "IDN", "KHM", "alert.person", alert, strlen(alert), &out, NULL,
                              &why) != 0 ||
                policy_ingress(p, "IDN", "KHM", "alert.person", out.data, out.len, NULL, &reason,
                               &why) != 0)
                abort();
            count++;
        }
        now = time_mono_us();
    }
    policy_free(p);
    buf_free(&text);
    buf_free(&out);
    buf_free(&why);
    return (double)count * 1e6 / (double)(now - start);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    unsigned char seed[32];
    memset(seed, 1, sizeof seed);
    envelope_keypair_from_seed(&kp, seed);
    memset(agreement, 0xA5, sizeof agreement);

    struct buf b;
    buf_init(&b, LIMIT_MESSAGE);
    struct envelope small = make("alert.person", alert, strlen(alert));
    double s1 = sign_rate(&small, &b);
    size_t small_len = b.len;
    double v1 = verify_rate(&b);

    static char bulk[64 * 1024];
    memset(bulk, 'x', sizeof bulk);
    struct envelope big = make("bulletin", bulk, sizeof bulk);
    double s2 = sign_rate(&big, &b);
    double v2 = verify_rate(&b);
    double bt = batch_rate();
    double pe = policy_rate();
    buf_free(&b);

    printf("envelope: %.0f sign+encode/s (alert.person, %zu bytes, one core)\n", s1, small_len);
    printf("envelope: %.0f decode+verify/s (alert.person)\n", v1);
    printf("envelope: %.0f sign+encode/s (64 KiB bulletin)\n", s2);
    printf("envelope: %.0f decode+verify/s (64 KiB bulletin)\n", v2);
    printf("envelope: %.0f envelopes/s through 64-item batch decode + verify\n", bt);
    printf("policy: %.0f egress+ingress/s (alert.person, all fields allowed)\n", pe);
    return 0;
}
