/* store_users: user accounts and login sessions. */
#include "store/store.h"
#include "store/store_internal.h"
#include "util/errors.h"

#define USER_COLS                                                                              \
    "id, username, display_name, role, COALESCE(office, ''), pwhash, disabled, failed_logins, " \
    "locked_until, created_at, updated_at"

static void user_row(struct store_conn *c, struct db_stmt *s, struct store_user *u)
{
    u->id = c->ops->col_int(s, 0);
    sq_copy(c, s, 1, u->username, sizeof u->username);
    sq_copy(c, s, 2, u->display_name, sizeof u->display_name);
    sq_copy(c, s, 3, u->role, sizeof u->role);
    sq_copy(c, s, 4, u->office, sizeof u->office);
    sq_copy(c, s, 5, u->pwhash, sizeof u->pwhash);
    u->disabled = c->ops->col_int(s, 6) != 0;
    u->failed_logins = (int)c->ops->col_int(s, 7);
    u->locked_until_ms = c->ops->col_int(s, 8);
    u->created_ms = c->ops->col_int(s, 9);
    u->updated_ms = c->ops->col_int(s, 10);
}

int store_user_insert(struct store *st, const struct store_user *u, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO users(username, display_name, role, office, pwhash, disabled, "
        "failed_logins, locked_until, created_at, updated_at) VALUES(?,?,?,?,?,?,0,0,?,?)";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, u->username);
    sq_text(c, s, 2, u->display_name);
    sq_text(c, s, 3, u->role);
    sq_text(c, s, 4, u->office[0] ? u->office : NULL);
    sq_text(c, s, 5, u->pwhash);
    c->ops->bind_int(s, 6, u->disabled);
    c->ops->bind_int(s, 7, u->created_ms);
    c->ops->bind_int(s, 8, u->updated_ms);
    return sq_insert_id(c, s, id);
}

static int user_get_one(struct store *st, const char *sql, int64_t id, const char *name,
                        struct store_user *out)
{
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    if (name != NULL)
        sq_text(c, s, 1, name);
    else
        c->ops->bind_int(s, 1, id);
    r = c->ops->step(s);
    if (r == 1)
        user_row(c, s, out);
    c->ops->reset(s);
    return r < 0 ? r : r == 1 ? 0 : ERR_NOTFOUND;
}

int store_user_get(struct store *st, int64_t id, struct store_user *out)
{
    static const char sql[] = "SELECT " USER_COLS " FROM users WHERE id = ?";
    return user_get_one(st, sql, id, NULL, out);
}

int store_user_get_by_name(struct store *st, const char *username, struct store_user *out)
{
    static const char sql[] = "SELECT " USER_COLS " FROM users WHERE username = ?";
    return user_get_one(st, sql, 0, username, out);
}

int store_user_update(struct store *st, const struct store_user *u)
{
    static const char sql[] =
        "UPDATE users SET display_name = ?, role = ?, office = ?, pwhash = ?, disabled = ?, "
        "failed_logins = ?, locked_until = ?, updated_at = ? WHERE id = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, u->display_name);
    sq_text(c, s, 2, u->role);
    sq_text(c, s, 3, u->office[0] ? u->office : NULL);
    sq_text(c, s, 4, u->pwhash);
    c->ops->bind_int(s, 5, u->disabled);
    c->ops->bind_int(s, 6, u->failed_logins);
    c->ops->bind_int(s, 7, u->locked_until_ms);
    c->ops->bind_int(s, 8, u->updated_ms);
    c->ops->bind_int(s, 9, u->id);
    return sq_done_one(c, s);
}

int store_user_list(struct store *st, store_user_cb cb, void *ctx)
{
    static const char sql[] = "SELECT " USER_COLS " FROM users ORDER BY id";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    while ((r = c->ops->step(s)) == 1) {
        struct store_user u;
        user_row(c, s, &u);
        r = cb(ctx, &u);
        if (r != 0)
            break;
    }
    c->ops->reset(s);
    return r < 0 ? r : 0;
}

int store_session_insert(struct store *st, const struct store_session *ss)
{
    static const char sql[] =
        "INSERT INTO sessions(token_hash, user_id, created_at, expires_at, revoked) "
        "VALUES(?,?,?,?,0)";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, ss->token_hash);
    c->ops->bind_int(s, 2, ss->user_id);
    c->ops->bind_int(s, 3, ss->created_ms);
    c->ops->bind_int(s, 4, ss->expires_ms);
    return sq_done(c, s);
}

int store_session_get(struct store *st, const char *token_hash, struct store_session *out)
{
    static const char sql[] =
        "SELECT token_hash, user_id, created_at, expires_at, revoked FROM sessions "
        "WHERE token_hash = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, token_hash);
    r = c->ops->step(s);
    if (r == 1) {
        sq_copy(c, s, 0, out->token_hash, sizeof out->token_hash);
        out->user_id = c->ops->col_int(s, 1);
        out->created_ms = c->ops->col_int(s, 2);
        out->expires_ms = c->ops->col_int(s, 3);
        out->revoked = c->ops->col_int(s, 4) != 0;
    }
    c->ops->reset(s);
    return r < 0 ? r : r == 1 ? 0 : ERR_NOTFOUND;
}

int store_session_revoke(struct store *st, const char *token_hash)
{
    static const char sql[] = "UPDATE sessions SET revoked = 1 WHERE token_hash = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, token_hash);
    return sq_done(c, s);
}

int store_session_revoke_user(struct store *st, int64_t user_id)
{
    static const char sql[] = "UPDATE sessions SET revoked = 1 WHERE user_id = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, user_id);
    return sq_done(c, s);
}
