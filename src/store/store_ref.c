/* store_ref: reference data — countries, provinces, offices and checkpoints. */
#include "store/store.h"
#include "store/store_internal.h"
#include "util/errors.h"

int store_country_put(struct store *st, const char *code, const char *name, const char *kind)
{
    static const char sql[] =
        "INSERT INTO countries(code, name, kind) VALUES(?,?,?) "
        "ON CONFLICT(code) DO UPDATE SET name = excluded.name, kind = excluded.kind";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, code);
    sq_text(c, s, 2, name);
    sq_text(c, s, 3, kind);
    return sq_done(c, s);
}

int store_country_known(struct store *st, const char *code)
{
    static const char sql[] = "SELECT 1 FROM countries WHERE code = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, code);
    r = c->ops->step(s);
    c->ops->reset(s);
    return r < 0 ? r : r == 1 ? 0 : ERR_NOTFOUND;
}

int store_province_put(struct store *st, const char *code, const char *name, const char *status)
{
    static const char sql[] =
        "INSERT INTO provinces(code, name, status) VALUES(?,?,?) "
        "ON CONFLICT(code) DO UPDATE SET name = excluded.name, status = excluded.status";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, code);
    sq_text(c, s, 2, name);
    sq_text(c, s, 3, status);
    return sq_done(c, s);
}

/* Sets or clears the office a checkpoint belongs to. */
static int post_office_put(struct store *st, const struct store_post *p)
{
    static const char set[] =
        "INSERT INTO checkpoint_offices(checkpoint, office) VALUES(?,?) "
        "ON CONFLICT(checkpoint) DO UPDATE SET office = excluded.office";
    static const char clear[] = "DELETE FROM checkpoint_offices WHERE checkpoint = ?";
    struct store_conn *c;
    struct db_stmt *s;
    bool has = p->office[0] != '\0';
    int r = sq_prepare(st, has ? set : clear, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, p->code);
    if (has)
        sq_text(c, s, 2, p->office);
    return sq_done(c, s);
}

int store_post_put(struct store *st, const struct store_post *p)
{
    static const char sql[] =
        "INSERT INTO posts(code, name, kind, province_code, country) VALUES(?,?,?,?,?) "
        "ON CONFLICT(code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
        "province_code = excluded.province_code, country = excluded.country";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, p->code);
    sq_text(c, s, 2, p->name);
    sq_text(c, s, 3, p->kind);
    sq_text(c, s, 4, p->province_code);
    sq_text(c, s, 5, p->country);
    r = sq_done(c, s);
    return r < 0 ? r : post_office_put(st, p);
}

static void post_row(struct store_conn *c, struct db_stmt *s, struct store_post *p)
{
    sq_copy(c, s, 0, p->code, sizeof p->code);
    sq_copy(c, s, 1, p->name, sizeof p->name);
    sq_copy(c, s, 2, p->kind, sizeof p->kind);
    sq_copy(c, s, 3, p->province_code, sizeof p->province_code);
    sq_copy(c, s, 4, p->country, sizeof p->country);
    sq_copy(c, s, 5, p->office, sizeof p->office);
}

/* A post with its office (p), from posts left-joined to checkpoint_offices (o). */
#define POST_COLS "p.code, p.name, p.kind, p.province_code, p.country, COALESCE(o.office, '')"
#define POST_FROM "posts p LEFT JOIN checkpoint_offices o ON o.checkpoint = p.code"

int store_post_get(struct store *st, const char *code, struct store_post *out)
{
    static const char sql[] = "SELECT " POST_COLS " FROM " POST_FROM " WHERE p.code = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, code);
    r = c->ops->step(s);
    if (r == 1)
        post_row(c, s, out);
    c->ops->reset(s);
    return r < 0 ? r : r == 1 ? 0 : ERR_NOTFOUND;
}

/* Hands each row of s to cb. */
static int post_rows(struct store_conn *c, struct db_stmt *s, store_post_cb cb, void *ctx)
{
    int r;
    while ((r = c->ops->step(s)) == 1) {
        struct store_post p;
        post_row(c, s, &p);
        r = cb(ctx, &p);
        if (r != 0)
            break;
    }
    c->ops->reset(s);
    return r < 0 ? r : 0;
}

int store_post_list(struct store *st, store_post_cb cb, void *ctx)
{
    static const char sql[] = "SELECT " POST_COLS " FROM " POST_FROM " ORDER BY p.kind, p.code";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    return r < 0 ? r : post_rows(c, s, cb, ctx);
}

int store_office_checkpoints(struct store *st, const char *office, store_post_cb cb, void *ctx)
{
    static const char sql[] =
        "SELECT " POST_COLS " FROM " POST_FROM " WHERE o.office = ? ORDER BY p.code";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, office);
    return post_rows(c, s, cb, ctx);
}

int store_posts_have_offices(struct store *st, bool *any)
{
    return sq_exists(st, "SELECT EXISTS(SELECT 1 FROM checkpoint_offices)", any);
}
