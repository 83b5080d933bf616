/* store_exchange: persistence of the exchange between nodes — this node's
 * settings, its peers with their agreements, the per-channel sequence
 * counters, the outbox and inbox of signed envelopes (kept as hex), the
 * hash-chained exchange log, checkpoints, and what the appliers keep:
 * partner alerts, bulletin indicators and referral cases. */
#include <string.h>

#include "store/store.h"
#include "store/store_internal.h"
#include "util/errors.h"

static int changed_or_notfound(struct store_conn *c, struct db_stmt *s)
{
    int r = sq_done(c, s);
    if (r == 0 && c->ops->changes(c->db) == 0)
        r = ERR_NOTFOUND;
    return r;
}

/* ---- node settings ---- */

int store_ex_node_get(struct store *st, const char *key, char *out, size_t n)
{
    static const char sql[] = "SELECT value FROM ex_node WHERE key = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, key);
    r = c->ops->step(s);
    if (r == 1)
        sq_copy(c, s, 0, out, n);
    c->ops->reset(s);
    return r < 0 ? r : r == 1 ? 0 : ERR_NOTFOUND;
}

int store_ex_node_set(struct store *st, const char *key, const char *value)
{
    static const char sql[] = "INSERT INTO ex_node(key, value) VALUES(?, ?) "
                              "ON CONFLICT(key) DO UPDATE SET value = excluded.value";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, key);
    sq_text(c, s, 2, value);
    return sq_done(c, s);
}

/* ---- peers ---- */

int store_ex_peer_put(struct store *st, const struct store_ex_peer *p)
{
    static const char sql[] =
        "INSERT INTO ex_peers(node_id, url, public_key, key_id, agreement, agreement_hash, "
        "tls_pin, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(node_id) DO UPDATE SET url = excluded.url, public_key = "
        "excluded.public_key, key_id = excluded.key_id, agreement = excluded.agreement, "
        "agreement_hash = excluded.agreement_hash, tls_pin = excluded.tls_pin, "
        "updated_at = excluded.updated_at";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    const char *t[] = {p->node_id, p->url, p->public_key, p->key_id, p->agreement,
                       p->agreement_hash, p->tls_pin ? p->tls_pin : ""};
    for (int i = 0; i < 7; i++)
        sq_text(c, s, i + 1, t[i]);
    c->ops->bind_int(s, 8, p->created_ms);
    c->ops->bind_int(s, 9, p->updated_ms);
    return sq_done(c, s);
}

int store_ex_peer_delete(struct store *st, const char *node_id)
{
    static const char sql[] = "DELETE FROM ex_peers WHERE node_id = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, node_id);
    return changed_or_notfound(c, s);
}

static int peer_rows(struct store_conn *c, struct db_stmt *s, store_ex_peer_cb cb, void *ctx,
                     int *seen)
{
    int r;
    while ((r = c->ops->step(s)) == 1) {
        struct store_ex_peer p = {
            .node_id = c->ops->col_text(s, 0, NULL),
            .url = c->ops->col_text(s, 1, NULL),
            .public_key = c->ops->col_text(s, 2, NULL),
            .key_id = c->ops->col_text(s, 3, NULL),
            .agreement = c->ops->col_text(s, 4, NULL),
            .agreement_hash = c->ops->col_text(s, 5, NULL),
            .tls_pin = c->ops->col_text(s, 6, NULL),
            .created_ms = c->ops->col_int(s, 7),
            .updated_ms = c->ops->col_int(s, 8),
        };
        (*seen)++;
        if ((r = cb(ctx, &p)) != 0)
            break;
    }
    c->ops->reset(s);
    return r;
}

#define PEER_COLS                                                                             \
    "node_id, url, public_key, key_id, agreement, agreement_hash, tls_pin, created_at, "      \
    "updated_at"

int store_ex_peer_get(struct store *st, const char *node_id, store_ex_peer_cb cb, void *ctx)
{
    static const char sql[] = "SELECT " PEER_COLS " FROM ex_peers WHERE node_id = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int seen = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, node_id);
    r = peer_rows(c, s, cb, ctx, &seen);
    return r != 0 ? r : seen ? 0 : ERR_NOTFOUND;
}

int store_ex_peer_list(struct store *st, store_ex_peer_cb cb, void *ctx)
{
    static const char sql[] = "SELECT " PEER_COLS " FROM ex_peers ORDER BY node_id";
    struct store_conn *c;
    struct db_stmt *s;
    int seen = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    return peer_rows(c, s, cb, ctx, &seen);
}

/* ---- channels ---- */

int store_ex_next_seq(struct store *st, const char *peer, int64_t *seq)
{
    static const char sql[] =
        "INSERT INTO ex_channels(peer, out_seq) VALUES(?, 1) ON CONFLICT(peer) DO UPDATE "
        "SET out_seq = out_seq + 1 RETURNING out_seq";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, peer);
    return sq_returning_id(c, s, seq);
}

int store_ex_channel_in(struct store *st, const char *peer, int64_t seq)
{
    static const char sql[] =
        "INSERT INTO ex_channels(peer, in_max_seq, in_count) VALUES(?, ?, 1) "
        "ON CONFLICT(peer) DO UPDATE SET in_max_seq = max(in_max_seq, excluded.in_max_seq), "
        "in_count = in_count + 1";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, peer);
    c->ops->bind_int(s, 2, seq);
    return sq_done(c, s);
}

/* ---- outbox ---- */

int store_ex_out_insert(struct store *st, const struct store_ex_msg *m)
{
    static const char sql[] =
        "INSERT INTO ex_outbox(msg_id, peer, seq, type, reply_to, created_at, expires_at, "
        "envelope, env_hash, state, submitted_by, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, m->msg_id);
    sq_text(c, s, 2, m->peer);
    c->ops->bind_int(s, 3, m->seq);
    sq_text(c, s, 4, m->type);
    sq_text(c, s, 5, m->reply_to ? m->reply_to : "");
    c->ops->bind_int(s, 6, m->created_ms);
    c->ops->bind_int(s, 7, m->expires_ms);
    sq_text(c, s, 8, m->envelope);
    sq_text(c, s, 9, m->env_hash);
    sq_text(c, s, 10, m->state);
    sq_text(c, s, 11, m->by ? m->by : "");
    c->ops->bind_int(s, 12, m->updated_ms);
    return sq_done(c, s);
}

/* The first eleven columns, which the outbox and the inbox share (OUT_COLS
 * and IN_COLS start alike). */
static void common_cols(struct store_conn *c, struct db_stmt *s, struct store_ex_msg *m)
{
    m->id = c->ops->col_int(s, 0);
    m->msg_id = c->ops->col_text(s, 1, NULL);
    m->peer = c->ops->col_text(s, 2, NULL);
    m->seq = c->ops->col_int(s, 3);
    m->type = c->ops->col_text(s, 4, NULL);
    m->reply_to = c->ops->col_text(s, 5, NULL);
    m->created_ms = c->ops->col_int(s, 6);
    m->expires_ms = c->ops->col_int(s, 7);
    m->envelope = c->ops->col_text(s, 8, NULL);
    m->env_hash = c->ops->col_text(s, 9, NULL);
    m->state = c->ops->col_text(s, 10, NULL);
}

#define OUT_COLS                                                                              \
    "id, msg_id, peer, seq, type, reply_to, created_at, expires_at, envelope, env_hash, "    \
    "state, attempts, reason, detail, receipt, submitted_by, updated_at"

static int out_rows(struct store_conn *c, struct db_stmt *s, store_ex_msg_cb cb, void *ctx,
                    int *seen)
{
    int r;
    while ((r = c->ops->step(s)) == 1) {
        struct store_ex_msg m = {
            .attempts = c->ops->col_int(s, 11),
            .reason = c->ops->col_text(s, 12, NULL),
            .detail = c->ops->col_text(s, 13, NULL),
            .receipt = c->ops->col_text(s, 14, NULL),
            .by = c->ops->col_text(s, 15, NULL),
            .updated_ms = c->ops->col_int(s, 16),
        };
        common_cols(c, s, &m);
        (*seen)++;
        if ((r = cb(ctx, &m)) != 0)
            break;
    }
    c->ops->reset(s);
    return r;
}

int store_ex_out_queued(struct store *st, const char *peer, int64_t limit, store_ex_msg_cb cb,
                        void *ctx)
{
    static const char sql[] = "SELECT " OUT_COLS " FROM ex_outbox WHERE peer = ? AND "
                              "state = 'queued' ORDER BY seq LIMIT ?";
    struct store_conn *c;
    struct db_stmt *s;
    int seen = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, peer);
    c->ops->bind_int(s, 2, limit);
    return out_rows(c, s, cb, ctx, &seen);
}

int store_ex_out_finish(struct store *st, const char *msg_id, const char *state,
                        const char *reason, const char *detail, const char *receipt,
                        int64_t now_ms)
{
    static const char sql[] =
        "UPDATE ex_outbox SET state = ?, reason = ?, detail = ?, receipt = ?, updated_at = ? "
        "WHERE msg_id = ? AND state = 'queued'";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, state);
    sq_text(c, s, 2, reason ? reason : "");
    sq_text(c, s, 3, detail ? detail : "");
    sq_text(c, s, 4, receipt ? receipt : "");
    c->ops->bind_int(s, 5, now_ms);
    sq_text(c, s, 6, msg_id);
    return changed_or_notfound(c, s);
}

int store_ex_out_attempt(struct store *st, const char *msg_id, int64_t now_ms)
{
    static const char sql[] = "UPDATE ex_outbox SET attempts = attempts + 1, updated_at = ? "
                              "WHERE msg_id = ? AND state = 'queued'";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, now_ms);
    sq_text(c, s, 2, msg_id);
    return sq_done(c, s);
}

int store_ex_out_get(struct store *st, const char *msg_id, store_ex_msg_cb cb, void *ctx)
{
    static const char sql[] = "SELECT " OUT_COLS " FROM ex_outbox WHERE msg_id = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int seen = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, msg_id);
    r = out_rows(c, s, cb, ctx, &seen);
    return r != 0 ? r : seen ? 0 : ERR_NOTFOUND;
}

int store_ex_out_list(struct store *st, const char *state, int64_t limit, store_ex_msg_cb cb,
                      void *ctx)
{
    static const char sql[] = "SELECT " OUT_COLS " FROM ex_outbox WHERE (? IS NULL OR "
                              "state = ?) ORDER BY id DESC LIMIT ?";
    struct store_conn *c;
    struct db_stmt *s;
    int seen = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, state);
    sq_text(c, s, 2, state);
    c->ops->bind_int(s, 3, limit);
    return out_rows(c, s, cb, ctx, &seen);
}

/* ---- inbox ---- */

int store_ex_in_insert(struct store *st, const struct store_ex_msg *m, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO ex_inbox(sender, msg_id, seq, type, reply_to, created_at, expires_at, "
        "envelope, env_hash, payload, state, reason, detail, receipt, due_at, updated_at) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    const char *t[] = {m->peer, m->msg_id};
    for (int i = 0; i < 2; i++)
        sq_text(c, s, i + 1, t[i]);
    c->ops->bind_int(s, 3, m->seq);
    sq_text(c, s, 4, m->type);
    sq_text(c, s, 5, m->reply_to ? m->reply_to : "");
    c->ops->bind_int(s, 6, m->created_ms);
    c->ops->bind_int(s, 7, m->expires_ms);
    const char *u[] = {m->envelope, m->env_hash, m->payload, m->state, m->reason, m->detail,
                       m->receipt};
    for (int i = 0; i < 7; i++)
        sq_text(c, s, i + 8, u[i] ? u[i] : "");
    c->ops->bind_int(s, 15, m->due_ms);
    c->ops->bind_int(s, 16, m->at_ms);
    int64_t got;
    r = sq_insert_id(c, s, &got);
    if (r == 0 && id != NULL)
        *id = got;
    return r;
}

#define IN_COLS                                                                               \
    "id, msg_id, sender, seq, type, reply_to, created_at, expires_at, envelope, env_hash, "  \
    "state, reason, detail, receipt, payload, due_at, answered_at, result, updated_at"

static int in_rows(struct store_conn *c, struct db_stmt *s, store_ex_msg_cb cb, void *ctx,
                   int *seen)
{
    int r;
    while ((r = c->ops->step(s)) == 1) {
        struct store_ex_msg m = {
            .reason = c->ops->col_text(s, 11, NULL),
            .detail = c->ops->col_text(s, 12, NULL),
            .receipt = c->ops->col_text(s, 13, NULL),
            .payload = c->ops->col_text(s, 14, NULL),
            .due_ms = c->ops->col_int(s, 15),
            .answered_ms = c->ops->col_int(s, 16),
            .result = c->ops->col_text(s, 17, NULL),
            .updated_ms = c->ops->col_int(s, 18),
        };
        common_cols(c, s, &m);
        m.at_ms = m.updated_ms;
        (*seen)++;
        if ((r = cb(ctx, &m)) != 0)
            break;
    }
    c->ops->reset(s);
    return r;
}

int store_ex_in_get(struct store *st, const char *sender, const char *msg_id,
                    store_ex_msg_cb cb, void *ctx)
{
    static const char sql[] = "SELECT " IN_COLS " FROM ex_inbox WHERE sender = ? AND msg_id = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int seen = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, sender);
    sq_text(c, s, 2, msg_id);
    r = in_rows(c, s, cb, ctx, &seen);
    return r != 0 ? r : seen ? 0 : ERR_NOTFOUND;
}

int store_ex_in_list(struct store *st, const char *state, const char *type, int64_t after_id,
                     int64_t limit, store_ex_msg_cb cb, void *ctx)
{
    static const char sql[] = "SELECT " IN_COLS " FROM ex_inbox WHERE (? IS NULL OR state = ?) "
                              "AND (? IS NULL OR type = ?) AND id > ? ORDER BY id LIMIT ?";
    struct store_conn *c;
    struct db_stmt *s;
    int seen = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, state);
    sq_text(c, s, 2, state);
    sq_text(c, s, 3, type);
    sq_text(c, s, 4, type);
    c->ops->bind_int(s, 5, after_id);
    c->ops->bind_int(s, 6, limit);
    return in_rows(c, s, cb, ctx, &seen);
}

int store_ex_in_apply(struct store *st, int64_t id, const char *state, const char *result,
                      int64_t now_ms)
{
    static const char sql[] = "UPDATE ex_inbox SET state = ?, result = ?, updated_at = ? "
                              "WHERE id = ? AND state = 'received'";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, state);
    sq_text(c, s, 2, result ? result : "");
    c->ops->bind_int(s, 3, now_ms);
    c->ops->bind_int(s, 4, id);
    return changed_or_notfound(c, s);
}

int store_ex_in_answered(struct store *st, const char *msg_id, int64_t now_ms)
{
    static const char sql[] = "UPDATE ex_inbox SET answered_at = ? WHERE msg_id = ? AND "
                              "type = 'query' AND answered_at = 0";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, now_ms);
    sq_text(c, s, 2, msg_id);
    return changed_or_notfound(c, s);
}

/* ---- the exchange log ---- */

int store_ex_log_head(struct store *st, int64_t *idx, char hash_hex[65])
{
    static const char sql[] = "SELECT idx, entry_hash FROM ex_log ORDER BY idx DESC LIMIT 1";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    r = c->ops->step(s);
    if (r == 1) {
        *idx = c->ops->col_int(s, 0);
        sq_copy(c, s, 1, hash_hex, 65);
    } else {
        *idx = 0;
        memset(hash_hex, '0', 64);
        hash_hex[64] = '\0';
    }
    c->ops->reset(s);
    return r < 0 ? r : 0;
}

int store_ex_log_insert(struct store *st, const struct store_ex_log *e)
{
    static const char sql[] = "INSERT INTO ex_log(idx, at, kind, peer, msg_id, type, hash, "
                              "detail, entry_hash) VALUES(?,?,?,?,?,?,?,?,?)";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, e->idx);
    c->ops->bind_int(s, 2, e->at_ms);
    c->ops->bind_int(s, 3, e->kind);
    const char *t[] = {e->peer, e->msg_id, e->type, e->hash, e->detail, e->entry_hash};
    for (int i = 0; i < 6; i++)
        sq_text(c, s, i + 4, t[i] ? t[i] : "");
    return sq_done(c, s);
}

int store_ex_log_scan(struct store *st, store_ex_log_cb cb, void *ctx)
{
    static const char sql[] = "SELECT idx, at, kind, peer, msg_id, type, hash, detail, "
                              "entry_hash FROM ex_log ORDER BY idx";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    while ((r = c->ops->step(s)) == 1) {
        struct store_ex_log e = {
            .idx = c->ops->col_int(s, 0),
            .at_ms = c->ops->col_int(s, 1),
            .kind = (int)c->ops->col_int(s, 2),
            .peer = c->ops->col_text(s, 3, NULL),
            .msg_id = c->ops->col_text(s, 4, NULL),
            .type = c->ops->col_text(s, 5, NULL),
            .hash = c->ops->col_text(s, 6, NULL),
            .detail = c->ops->col_text(s, 7, NULL),
            .entry_hash = c->ops->col_text(s, 8, NULL),
        };
        if ((r = cb(ctx, &e)) != 0)
            break;
    }
    c->ops->reset(s);
    return r;
}

/* ---- checkpoints ---- */

int store_ex_ckpt_insert(struct store *st, const struct store_ex_ckpt *k)
{
    static const char sql[] = "INSERT INTO ex_checkpoints(node, own, size, head, at, bytes) "
                              "VALUES(?,?,?,?,?,?)";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, k->node);
    c->ops->bind_int(s, 2, k->own ? 1 : 0);
    c->ops->bind_int(s, 3, k->size);
    sq_text(c, s, 4, k->head);
    c->ops->bind_int(s, 5, k->at_ms);
    sq_text(c, s, 6, k->bytes);
    return sq_done(c, s);
}

int store_ex_ckpt_list(struct store *st, const char *node, store_ex_ckpt_cb cb, void *ctx)
{
    static const char sql[] = "SELECT id, node, own, size, head, at, bytes FROM ex_checkpoints "
                              "WHERE (? IS NULL OR node = ?) ORDER BY id";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, node);
    sq_text(c, s, 2, node);
    while ((r = c->ops->step(s)) == 1) {
        struct store_ex_ckpt k = {
            .id = c->ops->col_int(s, 0),
            .node = c->ops->col_text(s, 1, NULL),
            .own = c->ops->col_int(s, 2) != 0,
            .size = c->ops->col_int(s, 3),
            .head = c->ops->col_text(s, 4, NULL),
            .at_ms = c->ops->col_int(s, 5),
            .bytes = c->ops->col_text(s, 6, NULL),
        };
        if ((r = cb(ctx, &k)) != 0)
            break;
    }
    c->ops->reset(s);
    return r;
}

/* ---- what the appliers keep ---- */

int store_ex_alert_get(struct store *st, const char *peer, const char *alert_id,
                       int64_t *version, int64_t *entry, bool *withdrawn)
{
    static const char sql[] =
        "SELECT version, entry, withdrawn FROM ex_alerts WHERE peer = ? AND alert_id = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, peer);
    sq_text(c, s, 2, alert_id);
    r = c->ops->step(s);
    if (r == 1) {
        *version = c->ops->col_int(s, 0);
        *entry = c->ops->col_int(s, 1);
        *withdrawn = c->ops->col_int(s, 2) != 0;
    }
    c->ops->reset(s);
    return r < 0 ? r : r == 1 ? 0 : ERR_NOTFOUND;
}

int store_ex_alert_put(struct store *st, const char *peer, const char *alert_id,
                       int64_t version, int64_t entry, bool withdrawn)
{
    static const char sql[] =
        "INSERT INTO ex_alerts(peer, alert_id, version, entry, withdrawn) VALUES(?,?,?,?,?) "
        "ON CONFLICT(peer, alert_id) DO UPDATE SET version = excluded.version, "
        "entry = excluded.entry, withdrawn = excluded.withdrawn";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, peer);
    sq_text(c, s, 2, alert_id);
    c->ops->bind_int(s, 3, version);
    c->ops->bind_int(s, 4, entry);
    c->ops->bind_int(s, 5, withdrawn ? 1 : 0);
    return sq_done(c, s);
}

int store_ex_ind_version(struct store *st, const char *peer, const char *indicator_id,
                         int64_t *version)
{
    static const char sql[] =
        "SELECT version FROM ex_indicators WHERE peer = ? AND indicator_id = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, peer);
    sq_text(c, s, 2, indicator_id);
    r = c->ops->step(s);
    *version = r == 1 ? c->ops->col_int(s, 0) : 0;
    c->ops->reset(s);
    return r < 0 ? r : 0;
}

int store_ex_ind_put(struct store *st, const struct store_ex_ind *i)
{
    static const char sql[] =
        "INSERT INTO ex_indicators(peer, indicator_id, version, kind, norm, bulletin_id, "
        "revoked, valid_until) VALUES(?,?,?,?,?,?,?,?) ON CONFLICT(peer, indicator_id) DO "
        "UPDATE SET version = excluded.version, kind = excluded.kind, norm = excluded.norm, "
        "bulletin_id = excluded.bulletin_id, revoked = excluded.revoked, "
        "valid_until = excluded.valid_until";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, i->peer);
    sq_text(c, s, 2, i->indicator_id);
    c->ops->bind_int(s, 3, i->version);
    sq_text(c, s, 4, i->kind);
    sq_text(c, s, 5, i->norm ? i->norm : "");
    sq_text(c, s, 6, i->bulletin_id);
    c->ops->bind_int(s, 7, i->revoked ? 1 : 0);
    sq_text(c, s, 8, i->valid_until ? i->valid_until : "");
    return sq_done(c, s);
}

int store_ex_ind_find(struct store *st, const char *kind, const char *norm, const char *today,
                      char *bulletin, size_t n)
{
    static const char sql[] =
        "SELECT bulletin_id FROM ex_indicators WHERE kind = ? AND norm = ? AND revoked = 0 "
        "AND (valid_until = '' OR valid_until >= ?) ORDER BY version DESC LIMIT 1";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, kind);
    sq_text(c, s, 2, norm);
    sq_text(c, s, 3, today);
    r = c->ops->step(s);
    if (r == 1)
        sq_copy(c, s, 0, bulletin, n);
    c->ops->reset(s);
    return r < 0 ? r : r == 1 ? 0 : ERR_NOTFOUND;
}

int store_ex_ref_get(struct store *st, const char *peer, const char *referral_id,
                     int64_t *case_id)
{
    static const char sql[] =
        "SELECT case_id FROM ex_referrals WHERE peer = ? AND referral_id = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, peer);
    sq_text(c, s, 2, referral_id);
    r = c->ops->step(s);
    if (r == 1)
        *case_id = c->ops->col_int(s, 0);
    c->ops->reset(s);
    return r < 0 ? r : r == 1 ? 0 : ERR_NOTFOUND;
}

int store_ex_ref_put(struct store *st, const char *peer, const char *referral_id,
                     int64_t case_id)
{
    static const char sql[] = "INSERT OR REPLACE INTO ex_referrals(peer, referral_id, case_id) "
                              "VALUES(?,?,?)";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, peer);
    sq_text(c, s, 2, referral_id);
    c->ops->bind_int(s, 3, case_id);
    return sq_done(c, s);
}

int store_ex_ind_any(struct store *st, bool *any)
{
    return sq_exists(st, "SELECT EXISTS(SELECT 1 FROM ex_indicators)", any);
}
