/* store_watchlist: watchlist entries, stored as one JSON body per entry
 * with the columns needed to find, deduplicate and bound them, and the
 * change log that every write of an entry appends to in its transaction. */
#include <string.h>

#include "store/store.h"
#include "store/store_internal.h"
#include "util/errors.h"
#include "util/timeutil.h"

#define WL_COLS                                                                               \
    "id, list, source_id, kind, category, action, primary_name, valid_until, body, "          \
    "created_by, created_at, updated_at"

/* Appends entry id to the change log, inside the caller's transaction.
 * The new seq is MAX(seq) + 1: the newest row is never pruned, so seq never
 * goes back. */
static int log_change(struct store *st, int64_t id)
{
    static const char sql[] = "INSERT INTO watchlist_changes(entry_id, at) VALUES(?, ?)";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, id);
    c->ops->bind_int(s, 2, time_now_ms());
    return sq_done(c, s);
}

static void bind_row(struct store_conn *c, struct db_stmt *s, const struct store_wl_row *w)
{
    sq_text(c, s, 1, w->list);
    sq_text(c, s, 2, w->source_id);
    sq_text(c, s, 3, w->kind);
    sq_text(c, s, 4, w->category);
    sq_text(c, s, 5, w->action);
    sq_text(c, s, 6, w->primary_name ? w->primary_name : "");
    sq_text(c, s, 7, w->valid_until);
    sq_text(c, s, 8, w->body);
    sq_text(c, s, 9, w->created_by ? w->created_by : "");
}

int store_wl_upsert(struct store *st, const struct store_wl_row *w, int64_t *id, bool *created)
{
    static const char find[] = "SELECT id FROM watchlist_entries WHERE list = ? AND source_id = ?";
    static const char ins[] =
        "INSERT INTO watchlist_entries(list, source_id, kind, category, action, primary_name, "
        "valid_until, body, created_by, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?)";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, find, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, w->list);
    sq_text(c, s, 2, w->source_id);
    r = c->ops->step(s);
    int64_t existing = r == 1 ? c->ops->col_int(s, 0) : 0;
    c->ops->reset(s);
    if (r < 0)
        return r;
    *created = existing == 0;
    if (existing != 0) {
        struct store_wl_row u = *w;
        u.id = existing;
        *id = existing;
        return store_wl_update(st, &u);
    }
    r = sq_prepare(st, ins, &c, &s);
    if (r < 0)
        return r;
    bind_row(c, s, w);
    c->ops->bind_int(s, 10, w->created_ms);
    c->ops->bind_int(s, 11, w->updated_ms);
    r = sq_insert_id(c, s, id);
    return r < 0 ? r : log_change(st, *id);
}

int store_wl_update(struct store *st, const struct store_wl_row *w)
{
    /* created_by and created_at keep their first values. */
    static const char sql[] =
        "UPDATE watchlist_entries SET list = ?, source_id = ?, kind = ?, category = ?, "
        "action = ?, primary_name = ?, valid_until = ?, body = ?, "
        "created_by = CASE WHEN created_by = '' THEN ? ELSE created_by END, "
        "updated_at = ? "
        "WHERE id = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    bind_row(c, s, w);
    c->ops->bind_int(s, 10, w->updated_ms);
    c->ops->bind_int(s, 11, w->id);
    r = sq_done_one(c, s);
    return r < 0 ? r : log_change(st, w->id);
}

int store_wl_delete(struct store *st, int64_t id)
{
    static const char sql[] = "DELETE FROM watchlist_entries WHERE id = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, id);
    r = sq_done_one(c, s);
    return r < 0 ? r : log_change(st, id);
}

static int each_row(struct store_conn *c, struct db_stmt *s, store_wl_cb cb, void *ctx,
                    int *seen)
{
    int r;
    while ((r = c->ops->step(s)) == 1) {
        struct store_wl_row w = {
            .id = c->ops->col_int(s, 0),
            .list = c->ops->col_text(s, 1, NULL),
            .source_id = c->ops->col_text(s, 2, NULL),
            .kind = c->ops->col_text(s, 3, NULL),
            .category = c->ops->col_text(s, 4, NULL),
            .action = c->ops->col_text(s, 5, NULL),
            .primary_name = c->ops->col_text(s, 6, NULL),
            .valid_until = c->ops->col_null(s, 7) ? NULL : c->ops->col_text(s, 7, NULL),
            .body = c->ops->col_text(s, 8, NULL),
            .created_by = c->ops->col_text(s, 9, NULL),
            .created_ms = c->ops->col_int(s, 10),
            .updated_ms = c->ops->col_int(s, 11),
        };
        (*seen)++;
        r = cb(ctx, &w);
        if (r != 0)
            break;
    }
    c->ops->reset(s);
    return r;
}

int store_wl_get(struct store *st, int64_t id, store_wl_cb cb, void *ctx)
{
    static const char sql[] = "SELECT " WL_COLS " FROM watchlist_entries WHERE id = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int seen = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, id);
    r = each_row(c, s, cb, ctx, &seen);
    return r != 0 ? r : seen == 0 ? ERR_NOTFOUND : 0;
}

int store_wl_scan(struct store *st, store_wl_cb cb, void *ctx)
{
    static const char sql[] = "SELECT " WL_COLS " FROM watchlist_entries ORDER BY id";
    struct store_conn *c;
    struct db_stmt *s;
    int seen = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    return each_row(c, s, cb, ctx, &seen);
}

int store_wl_search(struct store *st, const char *text, int64_t limit, store_wl_cb cb,
                    void *ctx)
{
    static const char sql[] =
        "SELECT " WL_COLS " FROM watchlist_entries WHERE instr(lower(primary_name), lower(?)) > 0 "
        "OR instr(lower(source_id), lower(?)) > 0 OR instr(lower(body), lower(?)) > 0 "
        "ORDER BY id LIMIT ?";
    struct store_conn *c;
    struct db_stmt *s;
    int seen = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, text);
    sq_text(c, s, 2, text);
    sq_text(c, s, 3, text);
    c->ops->bind_int(s, 4, limit);
    return each_row(c, s, cb, ctx, &seen);
}

int store_wl_by_source(struct store *st, const char *source_id, const char *list, int64_t limit,
                       store_wl_cb cb, void *ctx)
{
    static const char sql[] = "SELECT " WL_COLS " FROM watchlist_entries WHERE source_id = ?1 "
                              "AND (?2 IS NULL OR list = ?2) ORDER BY id LIMIT ?3";
    struct store_conn *c;
    struct db_stmt *s;
    int seen = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, source_id);
    if (list != NULL)
        sq_text(c, s, 2, list);
    else
        c->ops->bind_null(s, 2);
    c->ops->bind_int(s, 3, limit);
    return each_row(c, s, cb, ctx, &seen);
}

/* ---- the change log ---- */

int store_wl_changes_max(struct store *st, int64_t *seq)
{
    /* One step down the right edge of the table's b-tree. */
    static const char sql[] = "SELECT MAX(seq) FROM watchlist_changes";
    struct store_conn *c;
    struct db_stmt *s;
    *seq = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    r = c->ops->step(s);
    if (r == 1 && !c->ops->col_null(s, 0))
        *seq = c->ops->col_int(s, 0);
    c->ops->reset(s);
    return r < 0 ? r : 0;
}

int store_wl_changes(struct store *st, int64_t after, int64_t upto, store_wl_change_cb cb,
                     void *ctx)
{
    static const char sql[] = "SELECT seq, entry_id FROM watchlist_changes "
                              "WHERE seq > ? AND seq <= ? ORDER BY seq";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, after);
    c->ops->bind_int(s, 2, upto);
    while ((r = c->ops->step(s)) == 1) {
        r = cb(ctx, c->ops->col_int(s, 0), c->ops->col_int(s, 1));
        if (r != 0)
            break;
    }
    c->ops->reset(s);
    return r;
}

int store_wl_changes_prune(struct store *st, int64_t before_ms, int64_t *deleted)
{
    /* A prefix of the log (up to its newest row older than before_ms, so
     * that a clock set back cannot punch a hole in it), never the newest
     * row. The first sub-query reads the whole log: pruning runs once per
     * import, and an index on at would cost every write. */
    static const char sql[] =
        "DELETE FROM watchlist_changes WHERE "
        "seq <= (SELECT MAX(seq) FROM watchlist_changes WHERE at < ?) AND "
        "seq < (SELECT MAX(seq) FROM watchlist_changes)";
    struct store_conn *c;
    struct db_stmt *s;
    *deleted = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, before_ms);
    r = sq_done(c, s);
    if (r == 0)
        *deleted = c->ops->changes(c->db);
    return r;
}
