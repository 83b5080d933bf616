/* exchange_verify: what `lintas exchange verify` checks — the exchange log
 * chain entry by entry, each checkpoint this node signed against the entry
 * it names, each peer's checkpoints (signature and consistency with the one
 * before), every stored receipt of a peer (signature, the message it
 * answers, the hash of the bytes we sent) and every stored incoming
 * envelope (signature). The first failure is named. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/envelope.h"
#include "domain/exlog.h"
#include "services/exchange.h"
#include "services/exchange_int.h"
#include "services/svc.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/text.h"

struct own_ck {
    int64_t size;
    char head[65];
};

struct vctx {
    struct exchange *ex;
    struct buf *why;
    struct exlog_verifier v;
    struct own_ck *ck;
    size_t nck, capck, nextck;
    int64_t entries, receipts, envelopes, peer_cks;
    struct exlog_checkpoint lasts[EX_MAX_PEERS * 2];
    size_t nlast;
};

static int log_step(void *ctx, const struct store_ex_log *row)
{
    struct vctx *v = ctx;
    unsigned char stored[EXLOG_HASH_LEN];
    struct exlog_entry e = {.index = (uint64_t)row->idx, .time_ms = row->at_ms,
                            .kind = row->kind, .peer = row->peer, .type = row->type,
                            .detail = row->detail};
    if (envelope_id_parse(row->msg_id, e.msg_id) < 0 ||
        text_unhex(e.hash, sizeof e.hash, row->hash) < 0 ||
        text_unhex(stored, sizeof stored, row->entry_hash) < 0 ||
        exlog_verifier_step(&v->v, &e, stored) < 0) {
        buf_printf(v->why, "exchange log entry %" PRId64 " (%s) does not chain", row->idx,
                   exlog_kind_name(row->kind));
        return ERR_CORRUPT;
    }
    for (; v->nextck < v->nck && v->ck[v->nextck].size <= row->idx; v->nextck++) {
        if (v->ck[v->nextck].size == row->idx && strcmp(v->ck[v->nextck].head, row->entry_hash)) {
            buf_printf(v->why, "our checkpoint of size %" PRId64 " names another head than "
                               "log entry %" PRId64, v->ck[v->nextck].size, row->idx);
            return ERR_CORRUPT;
        }
    }
    v->entries++;
    return 0;
}

static int ck_cmp(const void *a, const void *b)
{
    const struct own_ck *x = a, *y = b;
    return x->size < y->size ? -1 : x->size > y->size;
}

static int check_ckpt(void *ctx, const struct store_ex_ckpt *k)
{
    struct vctx *v = ctx;
    unsigned char *b;
    size_t n;
    struct exlog_checkpoint cp;
    struct ex_peer peer;
    const unsigned char *pk = v->ex->kp.pk;
    if (!k->own && ex_peer_find(v->ex, k->node, &peer) == 0)
        pk = peer.pk;
    else if (!k->own)
        pk = NULL; /* a former peer: its key is gone; consistency is still checked */
    int r = ex_unhex_alloc(k->bytes, &b, &n);
    if (r == 0)
        r = pk ? exlog_checkpoint_verify(b, n, pk, &cp) : exlog_checkpoint_decode(b, n, &cp);
    free(b);
    if (r < 0) {
        buf_printf(v->why, "checkpoint %" PRId64 " of %s does not verify", k->id, k->node);
        return ERR_CORRUPT;
    }
    if (k->own) {
        if (v->nck == v->capck) {
            size_t cap = v->capck ? v->capck * 2 : 64;
            struct own_ck *p = realloc(v->ck, cap * sizeof *p);
            if (p == NULL)
                return ERR_NOMEM;
            v->ck = p;
            v->capck = cap;
        }
        v->ck[v->nck].size = k->size;
        text_copy(v->ck[v->nck++].head, 65, k->head);
        return 0;
    }
    size_t i = 0;
    while (i < v->nlast && strcmp(v->lasts[i].node, cp.node) != 0)
        i++;
    if (i < v->nlast && exlog_checkpoint_consistent(&v->lasts[i], &cp) < 0) {
        buf_printf(v->why, "checkpoint %" PRId64 " of %s is inconsistent with its previous one",
                   k->id, k->node);
        return ERR_CORRUPT;
    }
    if (i < sizeof v->lasts / sizeof v->lasts[0]) {
        v->lasts[i] = cp;
        v->nlast += i == v->nlast;
    }
    v->peer_cks++;
    return 0;
}

static int peer_lookup(void *ctx, const char *sender, const unsigned char key_id[8],
                       struct envelope_peer *peer)
{
    struct ex_peer p;
    if (ex_peer_find(ctx, sender, &p) < 0)
        return ENVELOPE_R_UNKNOWN_SENDER;
    if (memcmp(p.key_id, key_id, ENVELOPE_KEYID_LEN) != 0)
        return ENVELOPE_R_UNKNOWN_KEY;
    memcpy(peer->pk, p.pk, ENVELOPE_PK_LEN);
    peer->check_agreement = false;
    return ENVELOPE_OK;
}

static int check_receipt(void *ctx, const struct store_ex_msg *m)
{
    struct vctx *v = ctx;
    struct ex_peer p;
    if (m->receipt[0] == '\0' || ex_peer_find(v->ex, m->peer, &p) < 0)
        return 0;
    unsigned char *b, id[ENVELOPE_ID_LEN], h[ENVELOPE_HASH_LEN];
    size_t n;
    struct envelope e;
    struct envelope_receipt rc;
    struct buf why;
    int reason = 0, r = ex_unhex_alloc(m->receipt, &b, &n);
    struct envelope_verify_opts o = {.self = v->ex->node_id, .skip_time_checks = true,
                                     .lookup = peer_lookup, .ctx = v->ex};
    buf_init(&why, 256);
    if (r == 0)
        r = envelope_verify(b, n, &o, &e, &reason);
    if (r == 0)
        r = envelope_receipt_parse(e.payload, e.payload_len, &rc, &why);
    if (r == 0 && (envelope_id_parse(m->msg_id, id) < 0 ||
                   text_unhex(h, sizeof h, m->env_hash) < 0 ||
                   memcmp(e.reply_to, id, sizeof id) != 0 ||
                   memcmp(rc.envelope_hash, h, sizeof h) != 0))
        r = ERR_CORRUPT;
    free(b);
    buf_free(&why);
    if (r < 0) {
        buf_printf(v->why, "the receipt stored for message %s to %s does not verify", m->msg_id,
                   m->peer);
        return ERR_CORRUPT;
    }
    v->receipts++;
    return 0;
}

static int check_envelope(void *ctx, const struct store_ex_msg *m)
{
    struct vctx *v = ctx;
    struct ex_peer p;
    if (strcmp(m->state, "rejected") == 0 || ex_peer_find(v->ex, m->peer, &p) < 0)
        return 0;
    unsigned char *b;
    size_t n;
    struct envelope e;
    int reason = 0, r = ex_unhex_alloc(m->envelope, &b, &n);
    struct envelope_verify_opts o = {.self = v->ex->node_id, .skip_time_checks = true,
                                     .lookup = peer_lookup, .ctx = v->ex};
    if (r == 0)
        r = envelope_verify(b, n, &o, &e, &reason);
    free(b);
    if (r < 0) {
        buf_printf(v->why, "the envelope stored for incoming message %s from %s does not "
                           "verify (%s)", m->msg_id, m->peer, envelope_reason_name(reason));
        return ERR_CORRUPT;
    }
    v->envelopes++;
    return 0;
}

int exchange_verify(struct svc *s, struct buf *report, struct buf *why)
{
    struct vctx v = {.ex = s->ex, .why = why};
    exlog_verifier_init(&v.v);
    if (s->ex == NULL)
        return ERR_INTERNAL;
    int r = store_ex_ckpt_list(s->st, NULL, check_ckpt, &v);
    if (r == 0 && v.nck > 0)
        qsort(v.ck, v.nck, sizeof v.ck[0], ck_cmp);
    if (r == 0)
        r = store_ex_log_scan(s->st, log_step, &v);
    if (r == 0 && v.nextck < v.nck) {
        buf_printf(why, "our checkpoint of size %" PRId64 " is beyond the log (%" PRId64
                        " entries)", v.ck[v.nextck].size, v.entries);
        r = ERR_CORRUPT;
    }
    if (r == 0 && s->ex->node_id[0] != '\0') {
        r = store_ex_out_list(s->st, NULL, INT64_MAX, check_receipt, &v);
        if (r == 0)
            r = store_ex_in_list(s->st, NULL, NULL, 0, INT64_MAX, check_envelope, &v);
    }
    if (r == 0)
        buf_printf(report, "exchange log: %" PRId64 " entries chain; our checkpoints: %zu; "
                           "peer checkpoints: %" PRId64 "; receipts: %" PRId64
                           "; incoming envelopes: %" PRId64 "; all verify",
                   v.entries, v.nck, v.peer_cks, v.receipts, v.envelopes);
    else if (r != ERR_CORRUPT && why->len == 0)
        buf_printf(why, "verification could not run: %s", err_str(r));
    free(v.ck);
    return r;
}
