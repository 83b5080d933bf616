/* store_audit: the append-only, hash-chained audit table. */
#include <string.h>

#include "domain/audit_chain.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "util/errors.h"

int store_audit_head(struct store *st, int64_t *seq, char hash_hex[65])
{
    static const char sql[] = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";
    struct store_conn *c;
    struct db_stmt *s;
    *seq = 0;
    memset(hash_hex, '0', 64);
    hash_hex[64] = '\0';
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    r = c->ops->step(s);
    if (r == 1) {
        *seq = c->ops->col_int(s, 0);
        sq_copy(c, s, 1, hash_hex, 65);
    }
    c->ops->reset(s);
    return r < 0 ? r : 0;
}

int store_audit_insert(struct store *st, const struct audit_record *a, const char *prev_hex,
                       const char *hash_hex)
{
    static const char sql[] =
        "INSERT INTO audit(seq, ts, username, role, action, object_type, object_id, "
        "request_id, outcome, detail, prev_hash, hash) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, a->seq);
    c->ops->bind_int(s, 2, a->ts_ms);
    sq_text(c, s, 3, a->username);
    sq_text(c, s, 4, a->role);
    sq_text(c, s, 5, a->action);
    sq_text(c, s, 6, a->object_type);
    sq_text(c, s, 7, a->object_id);
    sq_text(c, s, 8, a->request_id);
    sq_text(c, s, 9, a->outcome);
    sq_text(c, s, 10, a->detail);
    sq_text(c, s, 11, prev_hex);
    sq_text(c, s, 12, hash_hex);
    return sq_done(c, s);
}

int store_audit_scan(struct store *st, const struct store_audit_filter *f, store_audit_cb cb,
                     void *ctx)
{
    /* One statement with optional filters: a NULL parameter disables its
     * condition. */
    static const char sql[] =
        "SELECT seq, ts, username, role, action, object_type, object_id, request_id, outcome, "
        "detail, prev_hash, hash FROM audit WHERE seq > ? "
        "AND (? IS NULL OR username = ?) AND (? IS NULL OR object_type = ?) "
        "AND (? IS NULL OR object_id = ?) AND (? = 0 OR ts >= ?) AND (? = 0 OR ts < ?) "
        "ORDER BY seq LIMIT ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, f->after_seq);
    sq_text(c, s, 2, f->username);
    sq_text(c, s, 3, f->username);
    sq_text(c, s, 4, f->object_type);
    sq_text(c, s, 5, f->object_type);
    sq_text(c, s, 6, f->object_id);
    sq_text(c, s, 7, f->object_id);
    c->ops->bind_int(s, 8, f->from_ms);
    c->ops->bind_int(s, 9, f->from_ms);
    c->ops->bind_int(s, 10, f->to_ms);
    c->ops->bind_int(s, 11, f->to_ms);
    c->ops->bind_int(s, 12, f->limit > 0 ? f->limit : -1);
    while ((r = c->ops->step(s)) == 1) {
        struct store_audit_row row = {
            .seq = c->ops->col_int(s, 0),
            .ts_ms = c->ops->col_int(s, 1),
            .username = c->ops->col_text(s, 2, NULL),
            .role = c->ops->col_text(s, 3, NULL),
            .action = c->ops->col_text(s, 4, NULL),
            .object_type = c->ops->col_text(s, 5, NULL),
            .object_id = c->ops->col_text(s, 6, NULL),
            .request_id = c->ops->col_text(s, 7, NULL),
            .outcome = c->ops->col_text(s, 8, NULL),
            .detail = c->ops->col_text(s, 9, NULL),
            .prev_hash = c->ops->col_text(s, 10, NULL),
            .hash = c->ops->col_text(s, 11, NULL),
        };
        r = cb(ctx, &row);
        if (r != 0)
            break;
    }
    c->ops->reset(s);
    return r < 0 ? r : r;
}
