/* audit: appending to and verifying the hash-chained audit trail. */
#include "services/audit.h"

#include <inttypes.h>
#include <string.h>

#include "domain/audit_chain.h"
#include "services/svc.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/text.h"
#include "util/timeutil.h"

int audit_append_as(struct store *st, const char *username, const char *role,
                    const char *request_id, const char *action, const char *otype,
                    const char *oid, const char *outcome, const char *detail)
{
    int64_t seq;
    char prev_hex[65], hash_hex[65];
    unsigned char prev[AUDIT_HASH_LEN], hash[AUDIT_HASH_LEN];
    int r = store_audit_head(st, &seq, prev_hex);
    if (r < 0)
        return r;
    if (text_unhex(prev, sizeof prev, prev_hex) < 0)
        return ERR_CORRUPT;
    struct audit_record rec = {
        .seq = seq + 1,
        .ts_ms = time_now_ms(),
        .username = username ? username : "",
        .role = role ? role : "",
        .action = action,
        .object_type = otype ? otype : "",
        .object_id = oid ? oid : "",
        .request_id = request_id ? request_id : "",
        .outcome = outcome ? outcome : "ok",
        .detail = detail ? detail : "",
    };
    audit_chain_hash(&rec, prev, hash);
    text_hex(hash_hex, hash, sizeof hash);
    return store_audit_insert(st, &rec, prev_hex, hash_hex);
}

int audit_append(struct store *st, const struct actor *who, const char *action,
                 const char *otype, const char *oid, const char *outcome, const char *detail)
{
    return audit_append_as(st, who ? who->username : "", who ? role_name(who->role) : "",
                           who ? who->request_id : "", action, otype, oid, outcome, detail);
}

struct verify_ctx {
    int64_t expect_seq;
    char prev_hex[65];
    int64_t checked;
    int64_t bad_seq;
    struct buf *why;
};

static int verify_row(void *p, const struct store_audit_row *row)
{
    struct verify_ctx *v = p;
    const char *problem = NULL;
    unsigned char prev[AUDIT_HASH_LEN], hash[AUDIT_HASH_LEN];
    char hash_hex[65];
    if (row->seq != v->expect_seq) {
        problem = "sequence gap (a record is missing)";
    } else if (strcmp(row->prev_hash, v->prev_hex) != 0) {
        problem = "does not link to the record before it";
    } else if (text_unhex(prev, sizeof prev, row->prev_hash) < 0) {
        problem = "malformed previous hash";
    } else {
        struct audit_record rec = {
            .seq = row->seq, .ts_ms = row->ts_ms, .username = row->username,
            .role = row->role, .action = row->action, .object_type = row->object_type,
            .object_id = row->object_id, .request_id = row->request_id,
            .outcome = row->outcome, .detail = row->detail,
        };
        audit_chain_hash(&rec, prev, hash);
        text_hex(hash_hex, hash, sizeof hash);
        if (strcmp(hash_hex, row->hash) != 0)
            problem = "content does not match its hash (altered)";
    }
    if (problem != NULL) {
        v->bad_seq = row->seq;
        buf_printf(v->why, "audit record %" PRId64 ": %s", row->seq, problem);
        return ERR_CORRUPT;
    }
    text_copy(v->prev_hex, sizeof v->prev_hex, row->hash);
    v->expect_seq++;
    v->checked++;
    return 0;
}

int audit_verify(struct store *st, int64_t *checked, int64_t *bad_seq, struct buf *why)
{
    struct verify_ctx v = {.expect_seq = 1, .why = why};
    memset(v.prev_hex, '0', 64);
    v.prev_hex[64] = '\0';
    struct store_audit_filter f = {0};
    int r = store_begin(st, false);
    if (r < 0)
        return r;
    r = store_audit_scan(st, &f, verify_row, &v);
    store_rollback(st);
    *checked = v.checked;
    *bad_seq = v.bad_seq;
    return r;
}

static int query_row(void *p, const struct store_audit_row *row)
{
    json_t *arr = p;
    char ts[32];
    time_format_iso(ts, row->ts_ms);
    json_t *o = json_pack("{sI ss ss ss ss ss ss ss ss ss ss}", "seq", (json_int_t)row->seq,
                          "time", ts, "username", row->username, "role", row->role, "action",
                          row->action, "object_type", row->object_type, "object_id",
                          row->object_id, "request_id", row->request_id, "outcome",
                          row->outcome, "detail", row->detail, "hash", row->hash);
    if (o == NULL || json_array_append_new(arr, o) != 0)
        return ERR_NOMEM;
    return 0;
}

int audit_query(struct store *st, const struct store_audit_filter *f, json_t *arr)
{
    int r = store_begin(st, false);
    if (r < 0)
        return r;
    r = store_audit_scan(st, f, query_row, arr);
    store_rollback(st);
    return r;
}
