/* exchange_recv: the receiving side of the exchange. A batch frame is
 * split into envelopes; each is verified with the sender's key and the
 * agreement hash in force (envelope_verify) and, when it is data, checked
 * against the agreement again (policy_ingress) — all before any
 * transaction. Then, in one transaction for the whole batch, each envelope
 * that passed the signature check is looked up in the inbox (a duplicate
 * gets its stored receipt, byte for byte) or stored with its log entries,
 * the channel state and its signed receipt; frames that fail
 * authentication get a signed rejection and a log entry but never enter
 * the inbox. Receipts are sent only after that transaction committed. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/envelope.h"
#include "domain/exlog.h"
#include "domain/msgtypes.h"
#include "domain/policy.h"
#include "services/exchange.h"
#include "services/exchange_int.h"
#include "services/svc.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/log.h"
#include "util/text.h"

struct item {
    struct envelope_slice in;
    struct envelope env;
    int reason;
    bool decoded, authed, heartbeat;
    char detail[ENVELOPE_DETAIL_MAX + 1];
    unsigned char hash[ENVELOPE_HASH_LEN];
    struct ex_peer peer;
    bool has_peer;
    struct buf receipt;
};

struct recv {
    struct exchange *ex;
    char batch_sender[ENVELOPE_NODE_MAX + 1];
    struct item items[ENVELOPE_BATCH_MAX];
    size_t n;
    int64_t now;
    bool accepted_any;
};

struct lookup_ctx {
    struct exchange *ex;
    struct item *it;
};

static int lookup(void *ctx, const char *sender, const unsigned char key_id[ENVELOPE_KEYID_LEN],
                  struct envelope_peer *peer)
{
    struct lookup_ctx *lc = ctx;
    if (ex_peer_find(lc->ex, sender, &lc->it->peer) < 0)
        return ENVELOPE_R_UNKNOWN_SENDER;
    if (memcmp(lc->it->peer.key_id, key_id, ENVELOPE_KEYID_LEN) != 0)
        return ENVELOPE_R_UNKNOWN_KEY;
    lc->it->has_peer = true;
    memcpy(peer->pk, lc->it->peer.pk, ENVELOPE_PK_LEN);
    memcpy(peer->agreement, lc->it->peer.agreement, ENVELOPE_HASH_LEN);
    peer->check_agreement = true;
    return ENVELOPE_OK;
}

/* Verification and ingress, outside any transaction. */
static int check_item(struct recv *rv, struct item *it)
{
    struct lookup_ctx lc = {rv->ex, it};
    struct envelope_verify_opts o = {.self = rv->ex->node_id, .now_ms = rv->now,
                                     .lookup = lookup, .ctx = &lc};
    envelope_hash(it->in.data, it->in.len, it->hash);
    int r = envelope_verify(it->in.data, it->in.len, &o, &it->env, &it->reason);
    if (r == ERR_NOMEM)
        return r;
    it->decoded = it->env.sender[0] != '\0';
    it->authed = it->has_peer && it->reason != ENVELOPE_R_BAD_SIGNATURE;
    if (it->reason != ENVELOPE_OK || !it->authed)
        return 0;
    const struct msgtypes_type *t = msgtypes_find(it->env.type, strlen(it->env.type));
    if (t->control) {
        it->heartbeat = strcmp(t->name, "heartbeat") == 0;
        if (!it->heartbeat) {
            it->reason = ENVELOPE_R_SCHEMA;
            text_copy(it->detail, sizeof it->detail, "a receipt is not sent to the inbound URL");
        }
        return 0;
    }
    struct buf why;
    buf_init(&why, ENVELOPE_DETAIL_MAX);
    int reason = ENVELOPE_OK;
    r = policy_ingress(it->peer.pol, it->env.sender, rv->ex->node_id, t->name,
                       (const char *)it->env.payload, it->env.payload_len, NULL, &reason, &why);
    if (r == ERR_NOMEM) {
        buf_free(&why);
        return r;
    }
    if (r < 0) {
        it->reason = reason != ENVELOPE_OK ? reason : ENVELOPE_R_SCHEMA;
        text_copy(it->detail, sizeof it->detail, buf_cstr(&why));
    }
    buf_free(&why);
    return 0;
}

static int sign_receipt(struct recv *rv, struct item *it, int status, uint64_t log_size,
                        const unsigned char *head)
{
    struct envelope_receipt rc = {.status = status, .reason = it->reason,
                                  .received_ms = rv->now, .log_size = log_size};
    if (status != ENVELOPE_REJECTED)
        rc.reason = ENVELOPE_OK;
    text_copy(rc.detail, sizeof rc.detail,
              it->detail[0] ? it->detail : status == ENVELOPE_REJECTED
                                               ? envelope_reason_name(it->reason)
                                               : "");
    memcpy(rc.envelope_hash, it->hash, ENVELOPE_HASH_LEN);
    if (head != NULL)
        memcpy(rc.log_head, head, ENVELOPE_HASH_LEN);
    const char *to = it->decoded && ex_node_id_ok(it->env.sender)
                         ? it->env.sender
                         : rv->batch_sender;
    struct envelope_receipt_addr a = {
        .self = rv->ex->node_id, .to = to, .now_ms = rv->now,
        .reply_to = it->decoded ? it->env.msg_id : NULL,
        .agreement = it->has_peer ? it->peer.agreement : NULL};
    buf_reset(&it->receipt);
    return envelope_receipt_sign(&rc, &a, &rv->ex->kp, &it->receipt);
}

/* A frame that failed before its signature was checked (or failed it). */
static int reject_unauthenticated(struct store *st, struct recv *rv, struct item *it)
{
    const char *reason = envelope_reason_name(it->reason);
    log_msg(LOG_WARN, "exchange: rejected a frame claiming to be from %s: %s",
            it->decoded ? it->env.sender : rv->batch_sender, reason);
    int r = ex_log(st, rv->now, EXLOG_REJECT, it->decoded ? it->env.sender : rv->batch_sender,
                   it->decoded ? it->env.msg_id : NULL, it->decoded ? it->env.type : "",
                   it->hash, reason);
    return r == 0 ? sign_receipt(rv, it, ENVELOPE_REJECTED, 0, NULL) : r;
}

static int heartbeat_in(struct store *st, struct recv *rv, struct item *it);

struct stored {
    struct buf *out;
    bool found;
};

static int stored_receipt(void *ctx, const struct store_ex_msg *m)
{
    struct stored *sr = ctx;
    unsigned char *b;
    size_t n;
    int r = ex_unhex_alloc(m->receipt, &b, &n);
    if (r == 0) {
        buf_reset(sr->out);
        r = buf_append(sr->out, b, n);
        free(b);
    }
    sr->found = true;
    return r;
}

static int store_new(struct store *st, struct recv *rv, struct item *it)
{
    const struct envelope *e = &it->env;
    bool ok = it->reason == ENVELOPE_OK;
    char id_hex[33], reply_hex[33] = "", hh[65], head_hex[65];
    unsigned char head[ENVELOPE_HASH_LEN];
    int64_t idx;
    envelope_id_hex(e->msg_id, id_hex);
    if (!envelope_id_is_zero(e->reply_to))
        envelope_id_hex(e->reply_to, reply_hex);
    ex_hex(hh, it->hash, sizeof it->hash);
    int r = ex_log(st, rv->now, ok ? EXLOG_RECEIVE : EXLOG_REJECT, e->sender, e->msg_id, e->type,
                   it->hash, ok ? "" : envelope_reason_name(it->reason));
    if (r == 0 && ok)
        r = store_ex_channel_in(st, e->sender, (int64_t)e->seq);
    if (r == 0)
        r = store_ex_log_head(st, &idx, head_hex);
    if (r == 0 && text_unhex(head, sizeof head, head_hex) < 0)
        r = ERR_CORRUPT;
    if (r == 0)
        r = sign_receipt(rv, it, ok ? ENVELOPE_ACCEPTED : ENVELOPE_REJECTED, (uint64_t)idx,
                         ok ? head : NULL);
    char *env_hex = malloc(it->in.len * 2 + 1), *rc_hex = malloc(it->receipt.len * 2 + 1);
    char *payload = strndup((const char *)e->payload, ok ? e->payload_len : 0);
    if (r == 0 && (env_hex == NULL || rc_hex == NULL || payload == NULL))
        r = ERR_NOMEM;
    if (r == 0) {
        ex_hex(env_hex, it->in.data, it->in.len);
        ex_hex(rc_hex, it->receipt.data, it->receipt.len);
        const struct msgtypes_type *t = msgtypes_find(e->type, strlen(e->type));
        struct store_ex_msg m = {
            .msg_id = id_hex, .peer = e->sender, .seq = (int64_t)e->seq, .type = e->type,
            .reply_to = reply_hex, .created_ms = e->created_ms, .expires_ms = e->expires_ms,
            .envelope = env_hex, .env_hash = hh, .payload = payload,
            .state = ok ? "received" : "rejected",
            .reason = envelope_reason_name(it->reason), .detail = it->detail,
            .receipt = rc_hex, .at_ms = rv->now,
            .due_ms = ok && t && t->reply_due_s > 0 ? e->created_ms + t->reply_due_s * 1000 : 0};
        r = store_ex_in_insert(st, &m, NULL);
    }
    unsigned char rh[ENVELOPE_HASH_LEN];
    envelope_hash(it->receipt.data, it->receipt.len, rh);
    if (r == 0)
        r = ex_log(st, rv->now, EXLOG_RECEIPT_OUT, e->sender, e->msg_id, "receipt", rh,
                   ok ? "accepted" : "rejected");
    rv->accepted_any = rv->accepted_any || (r == 0 && ok);
    free(env_hex);
    free(rc_hex);
    free(payload);
    return r;
}

static int write_batch(struct store *st, void *ctx)
{
    struct recv *rv = ctx;
    int r = 0;
    for (size_t i = 0; r == 0 && i < rv->n; i++) {
        struct item *it = &rv->items[i];
        char id_hex[33];
        if (!it->authed) {
            r = reject_unauthenticated(st, rv, it);
            continue;
        }
        if (it->heartbeat) {
            r = heartbeat_in(st, rv, it);
            continue;
        }
        envelope_id_hex(it->env.msg_id, id_hex);
        struct stored sr = {&it->receipt, false};
        r = store_ex_in_get(st, it->env.sender, id_hex, stored_receipt, &sr);
        if (r == ERR_NOTFOUND)
            r = store_new(st, rv, it);
    }
    return r;
}

/* ---- heartbeats: a peer's checkpoint ---- */

struct last_ckpt {
    struct exlog_checkpoint cp;
    bool found;
};

static int last_peer_ckpt(void *ctx, const struct store_ex_ckpt *k)
{
    struct last_ckpt *lc = ctx;
    unsigned char *b;
    size_t n;
    if (k->own || ex_unhex_alloc(k->bytes, &b, &n) < 0)
        return 0;
    if (exlog_checkpoint_decode(b, n, &lc->cp) == 0)
        lc->found = true;
    free(b);
    return 0;
}

static int heartbeat_in(struct store *st, struct recv *rv, struct item *it)
{
    struct buf cpb, why;
    struct exlog_checkpoint cp;
    struct last_ckpt last = {.found = false};
    buf_init(&cpb, EXLOG_CHECKPOINT_MAX);
    buf_init(&why, 256);
    int r = exlog_heartbeat_decode(it->env.payload, it->env.payload_len, &cpb, &why);
    if (r == 0 && (exlog_checkpoint_verify((const unsigned char *)cpb.data, cpb.len, it->peer.pk,
                                           &cp) < 0 ||
                   strcmp(cp.node, it->env.sender) != 0))
        r = ERR_INVALID;
    if (r == 0)
        r = store_ex_ckpt_list(st, it->env.sender, last_peer_ckpt, &last);
    if (r == 0 && last.found && exlog_checkpoint_consistent(&last.cp, &cp) < 0) {
        log_msg(LOG_ERROR, "exchange: %s sent a checkpoint inconsistent with its last one "
                           "(size %" PRIu64 " after %" PRIu64 ")",
                it->env.sender, cp.size, last.cp.size);
        r = ERR_INVALID;
    }
    int err = 0;
    if (r == ERR_INVALID) {
        it->reason = ENVELOPE_R_SCHEMA;
        text_copy(it->detail, sizeof it->detail, why.len ? buf_cstr(&why) : "bad checkpoint");
        err = ex_log(st, rv->now, EXLOG_REJECT, it->env.sender, NULL, "heartbeat", it->hash,
                     it->detail);
    } else if (r == 0) {
        char *hex = malloc(cpb.len * 2 + 1), head[65];
        err = hex ? 0 : ERR_NOMEM;
        if (err == 0) {
            ex_hex(hex, cpb.data, cpb.len);
            ex_hex(head, cp.head, sizeof cp.head);
            struct store_ex_ckpt k = {.node = cp.node, .own = false, .size = (int64_t)cp.size,
                                      .head = head, .at_ms = cp.time_ms, .bytes = hex};
            bool same = last.found && last.cp.size == cp.size && last.cp.time_ms == cp.time_ms;
            err = same ? 0 : store_ex_ckpt_insert(st, &k);
        }
        char detail[64];
        snprintf(detail, sizeof detail, "size %" PRIu64, cp.size);
        if (err == 0)
            err = ex_log(st, rv->now, EXLOG_CHECKPOINT_IN, it->env.sender, NULL, "heartbeat",
                         it->hash, detail);
        free(hex);
    } else {
        err = r;
    }
    buf_free(&cpb);
    buf_free(&why);
    if (err == 0)
        err = sign_receipt(rv, it, it->reason == ENVELOPE_OK ? ENVELOPE_ACCEPTED
                                                             : ENVELOPE_REJECTED, 0, NULL);
    return err;
}

/* ---- the endpoint ---- */

static void answer(struct recv *rv, struct buf *out, int *status)
{
    struct envelope_slice rs[ENVELOPE_BATCH_MAX];
    for (size_t i = 0; i < rv->n; i++) {
        rs[i].data = (const unsigned char *)rv->items[i].receipt.data;
        rs[i].len = rv->items[i].receipt.len;
    }
    *status = envelope_batch_encode(rv->ex->node_id, rs, rv->n, out) == 0 ? 200 : 503;
}

void exchange_receive(struct svc *s, const unsigned char *body, size_t len, struct buf *out,
                      int *status)
{
    struct exchange *ex = s->ex;
    struct envelope_slice in[ENVELOPE_BATCH_MAX];
    struct recv *rv = calloc(1, sizeof *rv);
    *status = 503;
    if (ex == NULL || !ex->has_key || rv == NULL) {
        free(rv);
        return;
    }
    rv->ex = ex;
    if (envelope_batch_decode(body, len, rv->batch_sender, in, &rv->n) < 0) {
        *status = 400;
        free(rv);
        return;
    }
    ex_peers_refresh(ex, false);
    rv->now = ex_now(ex);
    int r = 0;
    for (size_t i = 0; i < rv->n; i++) {
        rv->items[i].in = in[i];
        buf_init(&rv->items[i].receipt, 8192);
        if (r == 0)
            r = check_item(rv, &rv->items[i]);
    }
    if (r == 0)
        r = svc_write(s, write_batch, rv);
    if (r == 0)
        answer(rv, out, status);
    else
        log_msg(LOG_WARN, "exchange: a batch from %s could not be stored (%s); answered 503",
                rv->batch_sender, err_str(r));
    if (r == 0 && rv->accepted_any)
        ex_kick(ex);
    for (size_t i = 0; i < rv->n; i++)
        buf_free(&rv->items[i].receipt);
    free(rv);
}
