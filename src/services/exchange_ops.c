/* exchange_ops: what operators and focal points do with the exchange —
 * add, remove and list peers; submit a message (egress policy, signature,
 * outbox row and log entry in one transaction); list the outbox and inbox
 * with their states and the queries awaiting an answer. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/envelope.h"
#include "domain/exlog.h"
#include "domain/msgtypes.h"
#include "domain/policy.h"
#include "services/audit.h"
#include "services/exchange.h"
#include "services/exchange_int.h"
#include "services/svc.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/ids.h"
#include "util/json.h"
#include "util/text.h"
#include "util/timeutil.h"

/* ---- peers ---- */

struct peer_write {
    const struct actor *who;
    struct store_ex_peer row;
};

static int write_peer(struct store *st, void *ctx)
{
    struct peer_write *w = ctx;
    char detail[200];
    int r = store_ex_peer_put(st, &w->row);
    snprintf(detail, sizeof detail, "key %s agreement %.16s", w->row.key_id,
             w->row.agreement_hash);
    if (r == 0)
        r = ex_log(st, time_now_ms(), EXLOG_PEER, w->row.node_id, NULL, "", NULL, detail);
    if (r == 0)
        r = audit_append(st, w->who, "exchange.peer.add", "peer", w->row.node_id, "ok", detail);
    return r;
}

static int check_url(const char *url, struct buf *why)
{
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
        buf_puts(why, "--url: must start with http:// or https://");
        return ERR_INVALID;
    }
    if (strlen(url) >= EX_URL_MAX || text_check_free(url, strlen(url), EX_URL_MAX, false)) {
        buf_puts(why, "--url: too long or not clean text");
        return ERR_INVALID;
    }
    return 0;
}

static int check_agreement(struct exchange *ex, const struct exchange_peer_in *p,
                           char hash_hex[65], struct buf *why)
{
    struct policy *pol = NULL;
    struct buf pw;
    buf_init(&pw, 1024);
    int r = policy_parse(p->agreement, p->agreement_len, &pol, &pw);
    if (r < 0) {
        buf_printf(why, "agreement: %s", buf_cstr(&pw));
        buf_free(&pw);
        return r;
    }
    buf_free(&pw);
    const char *a = policy_party(pol, 0), *b = policy_party(pol, 1);
    bool ok = (strcmp(a, p->node_id) == 0 && (ex->node_id[0] == '\0' ||
                                              strcmp(b, ex->node_id) == 0)) ||
              (strcmp(b, p->node_id) == 0 && (ex->node_id[0] == '\0' ||
                                              strcmp(a, ex->node_id) == 0));
    if (!ok) {
        buf_printf(why, "agreement: its parties are %s and %s, not this node (%s) and %s", a, b,
                   ex->node_id[0] ? ex->node_id : "unknown", p->node_id);
        r = ERR_INVALID;
    }
    policy_hash_hex(pol, hash_hex);
    policy_free(pol);
    return r;
}

int exchange_peer_add(struct svc *s, const struct actor *who, const struct exchange_peer_in *p,
                      struct buf *why)
{
    unsigned char pk[ENVELOPE_PK_LEN];
    char key_id[17], hash_hex[65];
    if (!ex_node_id_ok(p->node_id)) {
        buf_puts(why, "--node-id: letters, digits, '.', '_' or '-', at most 64");
        return ERR_INVALID;
    }
    if (envelope_pubkey_parse(p->public_key, strlen(p->public_key), pk) < 0) {
        buf_puts(why, "--public-key: expected the line 'lintas-ed25519:<base64>' from keygen");
        return ERR_INVALID;
    }
    if (p->tls_pin != NULL && p->tls_pin[0] != '\0' &&
        text_check_free(p->tls_pin, strlen(p->tls_pin), 120, false) != NULL) {
        buf_puts(why, "--tls-pin: expected sha256//<base64>");
        return ERR_INVALID;
    }
    int r = check_url(p->url, why);
    if (r == 0)
        r = check_agreement(s->ex, p, hash_hex, why);
    if (r < 0)
        return r;
    envelope_key_id_hex(pk, key_id);
    char *agreement = strndup(p->agreement, p->agreement_len);
    if (agreement == NULL)
        return ERR_NOMEM;
    int64_t now = time_now_ms();
    struct peer_write w = {.who = who,
                           .row = {.node_id = p->node_id, .url = p->url,
                                   .public_key = p->public_key, .key_id = key_id,
                                   .agreement = agreement, .agreement_hash = hash_hex,
                                   .tls_pin = p->tls_pin, .created_ms = now,
                                   .updated_ms = now}};
    r = svc_write(s, write_peer, &w);
    free(agreement);
    if (r == 0 && s->ex != NULL)
        ex_peers_refresh(s->ex, true);
    return r;
}

struct peer_rm {
    const struct actor *who;
    const char *id;
};

static int remove_peer(struct store *st, void *ctx)
{
    struct peer_rm *w = ctx;
    int r = store_ex_peer_delete(st, w->id);
    if (r == 0)
        r = ex_log(st, time_now_ms(), EXLOG_PEER, w->id, NULL, "", NULL, "removed");
    if (r == 0)
        r = audit_append(st, w->who, "exchange.peer.remove", "peer", w->id, "ok", NULL);
    return r;
}

int exchange_peer_remove(struct svc *s, const struct actor *who, const char *node_id,
                         struct buf *why)
{
    struct peer_rm w = {who, node_id};
    int r = svc_write(s, remove_peer, &w);
    if (r == ERR_NOTFOUND)
        buf_printf(why, "no peer '%s'", node_id);
    if (r == 0 && s->ex != NULL)
        ex_peers_refresh(s->ex, true);
    return r;
}

static int peer_json(void *ctx, const struct store_ex_peer *p)
{
    json_array_append_new(ctx, json_pack("{ss ss ss ss ss ss}", "node_id", p->node_id, "url",
                                         p->url, "public_key", p->public_key, "key_id",
                                         p->key_id, "agreement_hash", p->agreement_hash,
                                         "tls_pin", p->tls_pin));
    return 0;
}

int exchange_peer_list(struct svc *s, json_t **out)
{
    *out = json_array();
    int r = store_ex_peer_list(s->st, peer_json, *out);
    if (r < 0) {
        json_decref(*out);
        *out = NULL;
    }
    return r;
}

/* ---- submit ---- */

struct submit {
    struct exchange *ex;
    const struct actor *who;
    const struct msgtypes_type *t;
    const struct ex_peer *peer;
    struct envelope env;
    const char *dropped;
    char id_hex[33], reply_hex[33];
};

static int write_submit(struct store *st, void *ctx)
{
    struct submit *m = ctx;
    struct buf eb;
    int64_t seq;
    int r = store_ex_next_seq(st, m->peer->id, &seq);
    if (r < 0)
        return r;
    m->env.seq = (uint64_t)seq;
    buf_init(&eb, LIMIT_MESSAGE + 1024);
    r = envelope_sign(&m->env, &m->ex->kp, &eb);
    unsigned char h[ENVELOPE_HASH_LEN];
    char hh[65], *hex = NULL;
    if (r == 0) {
        envelope_hash(eb.data, eb.len, h);
        ex_hex(hh, h, sizeof h);
        hex = malloc(eb.len * 2 + 1);
        r = hex ? 0 : ERR_NOMEM;
    }
    if (r == 0) {
        ex_hex(hex, eb.data, eb.len);
        struct store_ex_msg row = {.msg_id = m->id_hex, .peer = m->peer->id, .seq = seq,
                                   .type = m->t->name, .reply_to = m->reply_hex,
                                   .created_ms = m->env.created_ms,
                                   .expires_ms = m->env.expires_ms, .envelope = hex,
                                   .env_hash = hh, .state = "queued", .by = m->who->username,
                                   .updated_ms = m->env.created_ms};
        r = store_ex_out_insert(st, &row);
    }
    if (r == 0)
        r = ex_log(st, m->env.created_ms, EXLOG_SUBMIT, m->peer->id, m->env.msg_id, m->t->name,
                   h, m->dropped[0] ? m->dropped : "");
    if (r == 0)
        r = audit_append(st, m->who, "exchange.send", "message", m->id_hex, "ok", m->t->name);
    if (r == 0 && strcmp(m->t->name, "answer") == 0) {
        r = store_ex_in_answered(st, m->reply_hex, m->env.created_ms);
        r = r == ERR_NOTFOUND ? 0 : r;
    }
    free(hex);
    buf_free(&eb);
    return r;
}

static int submit_check(struct exchange *ex, const struct exchange_msg_in *m,
                        struct ex_peer *peer, const struct msgtypes_type **t, struct buf *why)
{
    if (ex == NULL || !ex->has_key || ex->node_id[0] == '\0') {
        buf_puts(why, "this node has no identity (serve with --node-id and --keys)");
        return ERR_CONFLICT;
    }
    ex_peers_refresh(ex, false);
    if (m->to == NULL || ex_peer_find(ex, m->to, peer) < 0) {
        buf_printf(why, "field 'to': '%s' is not a peer of this node", m->to ? m->to : "");
        return ERR_INVALID;
    }
    *t = m->type ? msgtypes_find(m->type, strlen(m->type)) : NULL;
    if (*t == NULL || (*t)->control) {
        buf_printf(why, "field 'type': '%s' is not a data message type", m->type ? m->type : "");
        return ERR_INVALID;
    }
    if ((*t)->needs_reply_to && (m->reply_to == NULL || m->reply_to[0] == '\0')) {
        buf_printf(why, "field 'reply_to': an %s must name the message it answers", (*t)->name);
        return ERR_INVALID;
    }
    return 0;
}

int exchange_submit(struct svc *s, const struct actor *who, const struct exchange_msg_in *m,
                    char msg_id[33], struct buf *why)
{
    struct exchange *ex = s->ex;
    struct ex_peer peer;
    struct submit sm = {.ex = ex, .who = who, .peer = &peer};
    int r = submit_check(ex, m, &peer, &sm.t, why);
    if (r < 0)
        return r;
    if (m->reply_to != NULL && m->reply_to[0] != '\0' &&
        envelope_id_parse(m->reply_to, sm.env.reply_to) < 0) {
        buf_puts(why, "field 'reply_to': expected a message id (32 hex characters)");
        return ERR_INVALID;
    }
    struct buf payload, dropped;
    buf_init(&payload, LIMIT_MESSAGE);
    buf_init(&dropped, 4096);
    r = policy_egress(peer.pol, ex->node_id, peer.id, sm.t->name, m->payload, m->len, &payload,
                      &dropped, why);
    if (r == 0) {
        text_copy(sm.env.sender, sizeof sm.env.sender, ex->node_id);
        text_copy(sm.env.recipient, sizeof sm.env.recipient, peer.id);
        text_copy(sm.env.type, sizeof sm.env.type, sm.t->name);
        ids_random(sm.env.msg_id, ENVELOPE_ID_LEN);
        sm.env.created_ms = ex_now(ex);
        int64_t life = m->lifetime_s > 0 ? m->lifetime_s : sm.t->lifetime_s;
        sm.env.expires_ms = sm.env.created_ms + life * 1000;
        memcpy(sm.env.agreement, peer.agreement, ENVELOPE_HASH_LEN);
        sm.env.payload = (const unsigned char *)payload.data;
        sm.env.payload_len = payload.len;
        sm.dropped = buf_cstr(&dropped);
        envelope_id_hex(sm.env.msg_id, sm.id_hex);
        if (!envelope_id_is_zero(sm.env.reply_to))
            envelope_id_hex(sm.env.reply_to, sm.reply_hex);
        r = svc_write(s, write_submit, &sm);
    }
    if (r == 0) {
        memcpy(msg_id, sm.id_hex, 33);
        ex_kick(ex);
    } else if (r == ERR_INVALID && why->len == 0) {
        buf_puts(why, "the message does not fit the envelope (field lengths)");
    }
    buf_free(&payload);
    buf_free(&dropped);
    return r;
}

/* ---- listing ---- */

struct list_ctx {
    json_t *arr;
    const char *direction;
    int64_t last_id, now;
};

static int out_json(void *ctx, const struct store_ex_msg *m)
{
    struct list_ctx *lc = ctx;
    json_t *o = json_pack("{ss ss ss ss ss sI sI sI ss ss sI}", "id", m->msg_id, "direction",
                          "out", "peer", m->peer, "type", m->type, "state", m->state, "seq",
                          (json_int_t)m->seq, "created_ms", (json_int_t)m->created_ms,
                          "expires_ms", (json_int_t)m->expires_ms, "reason", m->reason,
                          "detail", m->detail, "attempts", (json_int_t)m->attempts);
    if (o != NULL && m->reply_to[0] != '\0')
        json_object_set_new(o, "reply_to", json_string(m->reply_to));
    json_array_insert_new(lc->arr, 0, o);
    return 0;
}

static int in_json(void *ctx, const struct store_ex_msg *m)
{
    struct list_ctx *lc = ctx;
    json_t *o = json_pack("{ss ss ss ss ss sI sI ss ss ss}", "id", m->msg_id, "direction", "in",
                          "peer", m->peer, "type", m->type, "state", m->state, "seq",
                          (json_int_t)m->seq, "created_ms", (json_int_t)m->created_ms, "reason",
                          m->reason, "detail", m->detail, "result", m->result);
    if (o != NULL && m->reply_to[0] != '\0')
        json_object_set_new(o, "reply_to", json_string(m->reply_to));
    if (o != NULL && m->due_ms > 0) {
        json_object_set_new(o, "due_ms", json_integer(m->due_ms));
        json_object_set_new(o, "answered", json_boolean(m->answered_ms > 0));
        json_object_set_new(o, "overdue", json_boolean(m->answered_ms == 0 && lc->now > m->due_ms));
    }
    json_array_append_new(lc->arr, o);
    lc->last_id = m->id;
    return 0;
}

int exchange_list(struct svc *s, const char *direction, const char *state, json_t *arr)
{
    struct list_ctx lc = {.now = time_now_ms()};
    int r = 0;
    if (direction == NULL || strcmp(direction, "out") == 0) {
        lc.arr = json_array();
        r = store_ex_out_list(s->st, state, INT64_MAX, out_json, &lc);
        json_array_extend(arr, lc.arr);
        json_decref(lc.arr);
    }
    lc.arr = arr;
    if (r == 0 && (direction == NULL || strcmp(direction, "in") == 0)) {
        size_t before;
        do {
            before = json_array_size(arr);
            r = store_ex_in_list(s->st, state, NULL, lc.last_id, 1000, in_json, &lc);
        } while (r == 0 && json_array_size(arr) - before == 1000);
    }
    return r;
}

int exchange_queries(struct svc *s, bool open_only, json_t *arr)
{
    struct list_ctx lc = {.arr = json_array(), .now = time_now_ms()};
    int r = store_ex_in_list(s->st, NULL, "query", 0, 100000, in_json, &lc);
    size_t i;
    json_t *q;
    json_array_foreach(lc.arr, i, q) {
        if (!open_only || !json_is_true(json_object_get(q, "answered")))
            json_array_append(arr, q);
    }
    json_decref(lc.arr);
    return r;
}

/* ---- reads by focal points, audited ---- */

struct audit_read {
    const struct actor *who;
    const char *action, *oid;
};

static int write_audit(struct store *st, void *ctx)
{
    struct audit_read *a = ctx;
    return audit_append(st, a->who, a->action, "exchange", a->oid, "ok", NULL);
}

int exchange_audit(struct svc *s, const struct actor *who, const char *action, const char *oid)
{
    struct audit_read a = {who, action, oid ? oid : ""};
    return svc_write(s, write_audit, &a);
}

static int find_query(void *ctx, const struct store_ex_msg *m)
{
    struct list_ctx *lc = ctx;
    if (strcmp(m->msg_id, lc->direction) != 0)
        return 0;
    lc->arr = json_pack("{ss ss}", "peer", m->peer, "msg_id", m->msg_id);
    return 1;
}

int exchange_query_sender(struct svc *s, const char *msg_id, char peer[65])
{
    struct list_ctx lc = {.direction = msg_id};
    int r = store_ex_in_list(s->st, NULL, "query", 0, INT64_MAX, find_query, &lc);
    if (r < 0)
        return r;
    if (lc.arr == NULL)
        return ERR_NOTFOUND;
    text_copy(peer, 65, json_string_value(json_object_get(lc.arr, "peer")));
    json_decref(lc.arr);
    return 0;
}
