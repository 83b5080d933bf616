/* envelope_batch: the batch frame that carries several envelopes in one
 * HTTP request or answer, and the receipt a receiver signs for each
 * envelope (docs/PROTOCOL.md, "Batches" and "Receipts"). */
#include <jansson.h>
#include <sodium.h>
#include <string.h>

#include "domain/envelope.h"
#include "domain/envelope_int.h"
#include "domain/msgtypes.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/limits.h"
#include "util/text.h"

static const char batch_magic[ENVELOPE_MAGIC_LEN] = {'L', 'I', 'N', 'T', 'A', 'S',
                                                     '-', 'B', 'A', 'T'};
static const char receipt_id_key[] = "lintas.receipt-id.v1";
static const char *const status_names[] = {NULL, "accepted", "duplicate", "rejected"};

/* ---- Batches -------------------------------------------------------------- */

int envelope_batch_encode(const char *sender, const struct envelope_slice *items, size_t n,
                          struct buf *out)
{
    size_t old = out->len, total = ENVELOPE_MAGIC_LEN + 2 + strlen(sender) + 2;
    unsigned char ver = ENVELOPE_VERSION, cnt[2], len4[4];
    int r = ERR_INVALID;
    if (!envelope_text_ok(sender, strlen(sender), ENVELOPE_NODE_MAX, ENVELOPE_CLS_NODE) ||
        n < 1 || n > ENVELOPE_BATCH_MAX)
        goto out;
    for (size_t i = 0; i < n; i++) {
        if (items[i].len < 1 || items[i].len > LIMIT_MESSAGE)
            goto out;
        total += 4 + items[i].len;
    }
    if (total > ENVELOPE_BATCH_MAX_BYTES) {
        r = ERR_LIMIT;
        goto out;
    }
    cnt[0] = (unsigned char)(n >> 8);
    cnt[1] = (unsigned char)n;
    if ((r = buf_append(out, batch_magic, sizeof batch_magic)) < 0 ||
        (r = buf_append(out, &ver, 1)) < 0 || (r = envelope_put_str8(out, sender)) < 0 ||
        (r = buf_append(out, cnt, 2)) < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        uint32_t l = (uint32_t)items[i].len;
        len4[0] = (unsigned char)(l >> 24);
        len4[1] = (unsigned char)(l >> 16);
        len4[2] = (unsigned char)(l >> 8);
        len4[3] = (unsigned char)l;
        if ((r = buf_append(out, len4, 4)) < 0 || (r = buf_append(out, items[i].data, l)) < 0)
            goto out;
    }
    r = 0;
out:
    if (r < 0 && out->data != NULL) {
        out->len = old;
        out->data[old] = '\0';
    }
    return r;
}

int envelope_batch_decode(const unsigned char *data, size_t len,
                          char sender[ENVELOPE_NODE_MAX + 1],
                          struct envelope_slice items[ENVELOPE_BATCH_MAX], size_t *n)
{
    struct envelope_cursor c = {.p = data, .len = len, .off = 0};
    unsigned char magic[ENVELOPE_MAGIC_LEN], ver, cnt[2];
    *n = 0;
    sender[0] = '\0';
    if (len > ENVELOPE_BATCH_MAX_BYTES || !envelope_get(&c, magic, sizeof magic) ||
        memcmp(magic, batch_magic, sizeof magic) != 0 || !envelope_get(&c, &ver, 1) ||
        ver != ENVELOPE_VERSION ||
        !envelope_get_str8(&c, sender, ENVELOPE_NODE_MAX, ENVELOPE_CLS_NODE) ||
        !envelope_get(&c, cnt, 2))
        goto bad;
    size_t count = ((size_t)cnt[0] << 8) | cnt[1];
    if (count < 1 || count > ENVELOPE_BATCH_MAX)
        goto bad;
    for (size_t i = 0; i < count; i++) {
        uint32_t l;
        if (!envelope_get_u32(&c, &l) || l < 1 || l > LIMIT_MESSAGE || c.len - c.off < l)
            goto bad;
        items[i].data = data + c.off;
        items[i].len = l;
        c.off += l;
    }
    if (c.off != len)
        goto bad;
    *n = count;
    return 0;
bad:
    sender[0] = '\0';
    return ERR_INVALID;
}

/* ---- Receipts ------------------------------------------------------------- */

void envelope_receipt_id(const unsigned char envelope_hash[ENVELOPE_HASH_LEN],
                         unsigned char id[ENVELOPE_ID_LEN])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, envelope_hash, ENVELOPE_HASH_LEN,
                       (const unsigned char *)receipt_id_key, sizeof receipt_id_key - 1);
    memcpy(id, h, ENVELOPE_ID_LEN);
}

static bool status_reason_ok(int status, int reason)
{
    if (reason < 0 || reason >= ENVELOPE_R_COUNT)
        return false;
    switch (status) {
    case ENVELOPE_ACCEPTED: return reason == ENVELOPE_OK;
    case ENVELOPE_REJECTED: return reason != ENVELOPE_OK;
    case ENVELOPE_DUPLICATE: return true;
    default: return false;
    }
}

/* Makes detail safe and short: escaped when it is not clean text, then cut
 * at a character boundary to ENVELOPE_DETAIL_MAX bytes. */
static int clean_detail(const char *d, struct buf *out)
{
    size_t len = strlen(d);
    int r = text_check_free(d, len, (size_t)-1, false) == NULL ? buf_append(out, d, len)
                                                               : text_escape(out, d, len);
    if (r < 0)
        return r;
    if (out->len > ENVELOPE_DETAIL_MAX) {
        size_t cut = ENVELOPE_DETAIL_MAX;
        while (cut > 0 && ((unsigned char)out->data[cut] & 0xC0) == 0x80)
            cut--;
        out->len = cut;
        out->data[cut] = '\0';
    }
    return 0;
}

int envelope_receipt_payload(const struct envelope_receipt *r, struct buf *out)
{
    char hash[2 * ENVELOPE_HASH_LEN + 1], head[2 * ENVELOPE_HASH_LEN + 1];
    struct buf detail;
    buf_init(&detail, 4 * ENVELOPE_DETAIL_MAX + 8);
    json_t *o = NULL;
    int rc = ERR_INVALID;
    if (!status_reason_ok(r->status, r->reason) || r->received_ms < 0 ||
        r->log_size > (uint64_t)INT64_MAX)
        goto out;
    if ((rc = clean_detail(r->detail, &detail)) < 0)
        goto out;
    text_hex(hash, r->envelope_hash, ENVELOPE_HASH_LEN);
    text_hex(head, r->log_head, ENVELOPE_HASH_LEN);
    o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "status", status_names[r->status],
                  "reason", envelope_reason_name(r->reason), "detail", buf_cstr(&detail),
                  "envelope_hash", hash, "received_at", (json_int_t)r->received_ms, "log_size",
                  (json_int_t)r->log_size, "log_head", head);
    if (o == NULL) {
        rc = ERR_NOMEM;
        goto out;
    }
    rc = json_dump_buf(o, out);
out:
    json_decref(o);
    buf_free(&detail);
    return rc;
}

static int get_hash(json_t *o, const char *key, bool required, unsigned char out[32],
                    struct buf *why)
{
    const char *s;
    memset(out, 0, 32);
    if (json_get_str(o, key, required, 64, &s, why) < 0)
        return ERR_INVALID;
    if (s != NULL && (strlen(s) != 64 || text_unhex(out, 32, s) < 0)) {
        buf_printf(why, "field '%s': must be 64 hex characters", key);
        return ERR_INVALID;
    }
    return 0;
}

static int parse_status(json_t *o, struct envelope_receipt *out, struct buf *why)
{
    const char *st, *rs;
    if (json_get_str(o, "status", true, 16, &st, why) < 0 ||
        json_get_str(o, "reason", true, 64, &rs, why) < 0)
        return ERR_INVALID;
    out->status = 0;
    for (int i = ENVELOPE_ACCEPTED; i <= ENVELOPE_REJECTED; i++) {
        if (strcmp(st, status_names[i]) == 0)
            out->status = i;
    }
    out->reason = envelope_reason_parse(rs);
    if (!status_reason_ok(out->status, out->reason)) {
        buf_puts(why, "field 'status': unknown, or does not fit the reason");
        return ERR_INVALID;
    }
    return 0;
}

int envelope_receipt_parse(const unsigned char *json, size_t len, struct envelope_receipt *out,
                           struct buf *why)
{
    static const char *const keys[] = {"status", "reason", "detail", "envelope_hash",
                                       "received_at", "log_size", "log_head", NULL};
    json_t *o = NULL;
    const char *detail;
    int64_t v;
    int r = ERR_INVALID;
    memset(out, 0, sizeof *out);
    if (len > 4096) {
        buf_puts(why, "receipt: payload too large");
        goto out;
    }
    if (json_decode_object((const char *)json, len, &o, why) < 0 ||
        json_only_keys(o, keys, why) < 0 || parse_status(o, out, why) < 0 ||
        json_get_str(o, "detail", false, ENVELOPE_DETAIL_MAX, &detail, why) < 0 ||
        get_hash(o, "envelope_hash", true, out->envelope_hash, why) < 0 ||
        get_hash(o, "log_head", false, out->log_head, why) < 0 ||
        json_get_int(o, "received_at", true, 0, INT64_MAX, 0, &out->received_ms, why) < 0 ||
        json_get_int(o, "log_size", false, 0, INT64_MAX, 0, &v, why) < 0)
        goto out;
    out->log_size = (uint64_t)v;
    if (detail != NULL)
        memcpy(out->detail, detail, strlen(detail) + 1);
    r = 0;
out:
    json_decref(o);
    if (r < 0)
        memset(out, 0, sizeof *out);
    return r;
}

int envelope_receipt_sign(const struct envelope_receipt *r, const struct envelope_receipt_addr *a,
                          const struct envelope_keypair *kp, struct buf *out)
{
    const struct msgtypes_type *t = msgtypes_find("receipt", 7);
    struct envelope e;
    struct buf payload;
    buf_init(&payload, t->max_payload);
    memset(&e, 0, sizeof e);
    int rc = ERR_INVALID;
    const char *ns = a->ns != NULL ? a->ns : ENVELOPE_NS_DEFAULT;
    if (a->self == NULL || a->to == NULL || strlen(ns) > ENVELOPE_NS_MAX ||
        strlen(a->self) > ENVELOPE_NODE_MAX || strlen(a->to) > ENVELOPE_NODE_MAX ||
        a->now_ms < 0 || a->now_ms > INT64_MAX - t->lifetime_s * 1000)
        goto out;
    if ((rc = envelope_receipt_payload(r, &payload)) < 0)
        goto out;
    memcpy(e.ns, ns, strlen(ns) + 1);
    memcpy(e.sender, a->self, strlen(a->self) + 1);
    memcpy(e.recipient, a->to, strlen(a->to) + 1);
    memcpy(e.type, "receipt", 8);
    envelope_receipt_id(r->envelope_hash, e.msg_id);
    if (a->reply_to != NULL)
        memcpy(e.reply_to, a->reply_to, ENVELOPE_ID_LEN);
    if (a->agreement != NULL)
        memcpy(e.agreement, a->agreement, ENVELOPE_HASH_LEN);
    e.created_ms = a->now_ms;
    e.expires_ms = a->now_ms + t->lifetime_s * 1000;
    e.payload = (const unsigned char *)payload.data;
    e.payload_len = payload.len;
    rc = envelope_sign(&e, kp, out);
out:
    buf_free(&payload);
    return rc;
}
