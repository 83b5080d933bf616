/* store_cases: consular cases, the persons in them, their timeline, and the
 * notifications lintas leaves for case officers. */
#include <string.h>

#include "store/store.h"
#include "store/store_internal.h"
#include "util/errors.h"

int store_case_insert(struct store *st, const struct store_case *k, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO cases(reference, status, office, officer, country, body, source, "
        "created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?)";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    const char *t[] = {k->reference, k->status, k->office, k->officer, k->country, k->body,
                       k->source};
    for (int i = 0; i < 7; i++)
        sq_text(c, s, i + 1, t[i] ? t[i] : "");
    c->ops->bind_int(s, 8, k->created_ms);
    c->ops->bind_int(s, 9, k->updated_ms);
    return sq_insert_id(c, s, id);
}

int store_case_update(struct store *st, int64_t id, const char *status, const char *body,
                      int64_t now_ms)
{
    static const char sql[] =
        "UPDATE cases SET status = ?, body = ?, updated_at = ? WHERE id = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, status);
    sq_text(c, s, 2, body);
    c->ops->bind_int(s, 3, now_ms);
    c->ops->bind_int(s, 4, id);
    return sq_done_one(c, s);
}

static int case_rows(struct store_conn *c, struct db_stmt *s, store_case_cb cb, void *ctx,
                     int *seen)
{
    int r;
    while ((r = c->ops->step(s)) == 1) {
        struct store_case k = {
            .id = c->ops->col_int(s, 0),
            .reference = c->ops->col_text(s, 1, NULL),
            .status = c->ops->col_text(s, 2, NULL),
            .office = c->ops->col_text(s, 3, NULL),
            .officer = c->ops->col_text(s, 4, NULL),
            .country = c->ops->col_text(s, 5, NULL),
            .body = c->ops->col_text(s, 6, NULL),
            .source = c->ops->col_text(s, 7, NULL),
            .created_ms = c->ops->col_int(s, 8),
            .updated_ms = c->ops->col_int(s, 9),
        };
        (*seen)++;
        if ((r = cb(ctx, &k)) != 0)
            break;
    }
    c->ops->reset(s);
    return r;
}

#define CASE_COLS                                                                             \
    "id, reference, status, office, officer, country, body, source, created_at, updated_at"

int store_case_get(struct store *st, int64_t id, store_case_cb cb, void *ctx)
{
    static const char sql[] = "SELECT " CASE_COLS " FROM cases WHERE id = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int seen = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, id);
    r = case_rows(c, s, cb, ctx, &seen);
    return r != 0 ? r : seen ? 0 : ERR_NOTFOUND;
}

int store_case_list(struct store *st, const char *status, int64_t limit, store_case_cb cb,
                    void *ctx)
{
    static const char sql[] = "SELECT " CASE_COLS " FROM cases WHERE (? IS NULL OR status = ?) "
                              "ORDER BY updated_at DESC LIMIT ?";
    struct store_conn *c;
    struct db_stmt *s;
    int seen = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, status);
    sq_text(c, s, 2, status);
    c->ops->bind_int(s, 3, limit);
    return case_rows(c, s, cb, ctx, &seen);
}

int store_case_person_add(struct store *st, const struct store_case_person *p, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO case_persons(case_id, role, nik, doc_key, name_key, watchlist_entry, body) "
        "VALUES(?,?,?,?,?,?,?)";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, p->case_id);
    sq_text(c, s, 2, p->role);
    sq_text(c, s, 3, p->nik ? p->nik : "");
    sq_text(c, s, 4, p->doc_key ? p->doc_key : "");
    sq_text(c, s, 5, p->name_key ? p->name_key : "");
    if (p->watchlist_entry > 0)
        c->ops->bind_int(s, 6, p->watchlist_entry);
    else
        c->ops->bind_null(s, 6);
    sq_text(c, s, 7, p->body);
    return sq_insert_id(c, s, id);
}

int store_case_person_set_entry(struct store *st, int64_t person_id, int64_t entry)
{
    static const char sql[] = "UPDATE case_persons SET watchlist_entry = ? WHERE id = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, entry);
    c->ops->bind_int(s, 2, person_id);
    return sq_done(c, s);
}

static int person_rows(struct store_conn *c, struct db_stmt *s, store_case_person_cb cb,
                       void *ctx)
{
    int r;
    while ((r = c->ops->step(s)) == 1) {
        struct store_case_person p = {
            .id = c->ops->col_int(s, 0),
            .case_id = c->ops->col_int(s, 1),
            .role = c->ops->col_text(s, 2, NULL),
            .nik = c->ops->col_text(s, 3, NULL),
            .doc_key = c->ops->col_text(s, 4, NULL),
            .name_key = c->ops->col_text(s, 5, NULL),
            .watchlist_entry = c->ops->col_int(s, 6),
            .body = c->ops->col_text(s, 7, NULL),
            .case_status = c->ops->col_text(s, 8, NULL),
            .case_officer = c->ops->col_text(s, 9, NULL),
        };
        if ((r = cb(ctx, &p)) != 0)
            break;
    }
    c->ops->reset(s);
    return r;
}

#define PERSON_COLS                                                                           \
    "p.id, p.case_id, p.role, p.nik, p.doc_key, p.name_key, COALESCE(p.watchlist_entry, 0), " \
    "p.body, k.status, k.officer"

int store_case_persons(struct store *st, int64_t case_id, store_case_person_cb cb, void *ctx)
{
    static const char sql[] = "SELECT " PERSON_COLS " FROM case_persons p JOIN cases k "
                              "ON k.id = p.case_id WHERE p.case_id = ? ORDER BY p.id";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, case_id);
    return person_rows(c, s, cb, ctx);
}

int store_case_find_person(struct store *st, const char *nik, const char *doc_key,
                           const char *name_key, store_case_person_cb cb, void *ctx)
{
    /* One indexed look-up per key; each branch leaves out the persons an
     * earlier one found (the key columns are NOT NULL), so no temporary
     * table is needed to de-duplicate, and the merge keeps id order. */
    static const char sql[] =
        "SELECT " PERSON_COLS " FROM case_persons p JOIN cases k ON k.id = p.case_id "
        "WHERE ?1 <> '' AND p.nik = ?1 "
        "UNION ALL SELECT " PERSON_COLS " FROM case_persons p JOIN cases k ON k.id = p.case_id "
        "WHERE ?2 <> '' AND p.doc_key = ?2 AND NOT (?1 <> '' AND p.nik = ?1) "
        "UNION ALL SELECT " PERSON_COLS " FROM case_persons p JOIN cases k ON k.id = p.case_id "
        "WHERE ?3 <> '' AND p.name_key = ?3 AND NOT (?1 <> '' AND p.nik = ?1) "
        "AND NOT (?2 <> '' AND p.doc_key = ?2) ORDER BY 1";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, nik ? nik : "");
    sq_text(c, s, 2, doc_key ? doc_key : "");
    sq_text(c, s, 3, name_key ? name_key : "");
    return person_rows(c, s, cb, ctx);
}

int store_case_event_add(struct store *st, int64_t case_id, int64_t at_ms, const char *actor,
                         const char *kind, const char *status, const char *text)
{
    static const char sql[] =
        "INSERT INTO case_events(case_id, at, actor, kind, status, text) VALUES(?,?,?,?,?,?)";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, case_id);
    c->ops->bind_int(s, 2, at_ms);
    sq_text(c, s, 3, actor);
    sq_text(c, s, 4, kind);
    sq_text(c, s, 5, status);
    sq_text(c, s, 6, text ? text : "");
    return sq_done(c, s);
}

int store_case_events(struct store *st, int64_t case_id, store_case_event_cb cb, void *ctx)
{
    static const char sql[] = "SELECT at, actor, kind, COALESCE(status, ''), text "
                              "FROM case_events WHERE case_id = ? ORDER BY id";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, case_id);
    while ((r = c->ops->step(s)) == 1) {
        r = cb(ctx, c->ops->col_int(s, 0), c->ops->col_text(s, 1, NULL),
               c->ops->col_text(s, 2, NULL), c->ops->col_text(s, 3, NULL),
               c->ops->col_text(s, 4, NULL));
        if (r != 0)
            break;
    }
    c->ops->reset(s);
    return r;
}

int store_notify(struct store *st, const char *recipient, const char *kind, const char *otype,
                 const char *oid, const char *text, int64_t at_ms)
{
    static const char sql[] =
        "INSERT INTO notifications(at, recipient, kind, object_type, object_id, text) "
        "VALUES(?,?,?,?,?,?)";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, at_ms);
    sq_text(c, s, 2, recipient);
    sq_text(c, s, 3, kind);
    sq_text(c, s, 4, otype);
    sq_text(c, s, 5, oid);
    sq_text(c, s, 6, text);
    return sq_done(c, s);
}

int store_notifications(struct store *st, const char *recipient, int64_t limit,
                        store_notification_cb cb, void *ctx)
{
    static const char sql[] = "SELECT id, at, kind, object_type, object_id, text FROM "
                              "notifications WHERE recipient = ? ORDER BY id DESC LIMIT ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, recipient);
    c->ops->bind_int(s, 2, limit);
    while ((r = c->ops->step(s)) == 1) {
        r = cb(ctx, c->ops->col_int(s, 0), c->ops->col_int(s, 1), c->ops->col_text(s, 2, NULL),
               c->ops->col_text(s, 3, NULL), c->ops->col_text(s, 4, NULL),
               c->ops->col_text(s, 5, NULL));
        if (r != 0)
            break;
    }
    c->ops->reset(s);
    return r;
}

int store_case_person_set_role(struct store *st, int64_t person_id, const char *role,
                               const char *body)
{
    static const char sql[] = "UPDATE case_persons SET role = ?, body = ? WHERE id = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, role);
    sq_text(c, s, 2, body);
    c->ops->bind_int(s, 3, person_id);
    return sq_done(c, s);
}
