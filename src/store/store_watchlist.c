/* store_watchlist: watchlist entries, stored as one JSON body per entry
 * with the columns needed to find, deduplicate and bound them. */
#include <string.h>

#include "store/store.h"
#include "store/store_internal.h"
#include "util/errors.h"

#define WL_COLS                                                                               \
    "id, list, source_id, kind, category, action, primary_name, valid_until, body, "          \
    "created_by, created_at, updated_at"

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
    return sq_insert_id(c, s, id);
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
    return sq_done_one(c, s);
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
    return sq_done_one(c, s);
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
