/* store_passports: passport applications, the events of their review and
 * appeal, the history and group look-ups that application screening and
 * departure screening need, and the passport settings (review periods). */
#include <string.h>

#include "store/store.h"
#include "store/store_internal.h"
#include "util/errors.h"
#include "util/timeutil.h"

static const char *nz(const char *s)
{
    return s ? s : "";
}

int store_pp_insert(struct store *st, const struct store_pp *a, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO passport_applications(created_at, day, office, officer, interviewer, nik, "
        "name_key, sex, age_band, province, purpose, destination, sponsor_phone, "
        "sponsor_company, matched, postponed, status, recommendation, score, ruleset_version, "
        "reasons, review_due, updated_at, request, answer, facts) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    const char *txt[] = {a->day, a->office, a->officer, a->interviewer, a->nik, a->name_key,
                         a->sex, a->age_band, a->province, a->purpose, a->destination,
                         a->sponsor_phone, a->sponsor_company};
    c->ops->bind_int(s, 1, a->created_ms);
    for (size_t i = 0; i < sizeof txt / sizeof txt[0]; i++)
        sq_text(c, s, (int)i + 2, nz(txt[i]));
    c->ops->bind_int(s, 15, a->matched);
    c->ops->bind_int(s, 16, a->postponed);
    sq_text(c, s, 17, a->status);
    sq_text(c, s, 18, a->recommendation);
    c->ops->bind_int(s, 19, a->score);
    sq_text(c, s, 20, a->ruleset_version);
    sq_text(c, s, 21, nz(a->reasons));
    if (a->review_due_ms > 0)
        c->ops->bind_int(s, 22, a->review_due_ms);
    else
        c->ops->bind_null(s, 22);
    c->ops->bind_int(s, 23, a->created_ms);
    sq_text(c, s, 24, a->request);
    sq_text(c, s, 25, a->answer);
    sq_text(c, s, 26, a->facts ? a->facts : "{}");
    return sq_insert_id(c, s, id);
}

#define PP_COLS                                                                               \
    "id, created_at, updated_at, score, COALESCE(review_due, 0), COALESCE(appeal_due, 0), "   \
    "day, office, officer, interviewer, nik, sex, age_band, province, purpose, destination, " \
    "status, recommendation, ruleset_version, reasons, rejected_by, answer, postponed, "      \
    "extended"

static int pp_rows(struct store_conn *c, struct db_stmt *s, store_pp_cb cb, void *ctx,
                   int *seen)
{
    int r;
    while ((r = c->ops->step(s)) == 1) {
        const char *t[16];
        for (int i = 0; i < 16; i++)
            t[i] = c->ops->col_text(s, 6 + i, NULL);
        struct store_pp_row a = {
            .id = c->ops->col_int(s, 0),
            .created_ms = c->ops->col_int(s, 1),
            .updated_ms = c->ops->col_int(s, 2),
            .score = c->ops->col_int(s, 3),
            .review_due_ms = c->ops->col_int(s, 4),
            .appeal_due_ms = c->ops->col_int(s, 5),
            .day = t[0], .office = t[1], .officer = t[2], .interviewer = t[3], .nik = t[4],
            .sex = t[5], .age_band = t[6], .province = t[7], .purpose = t[8],
            .destination = t[9], .status = t[10], .recommendation = t[11],
            .ruleset_version = t[12], .reasons = t[13], .rejected_by = t[14], .answer = t[15],
            .postponed = c->ops->col_int(s, 22) != 0,
            .extended = c->ops->col_int(s, 23) != 0,
        };
        (*seen)++;
        r = cb(ctx, &a);
        if (r != 0)
            break;
    }
    c->ops->reset(s);
    return r;
}

int store_pp_get(struct store *st, int64_t id, store_pp_cb cb, void *ctx)
{
    static const char sql[] = "SELECT " PP_COLS " FROM passport_applications WHERE id = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int seen = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, id);
    r = pp_rows(c, s, cb, ctx, &seen);
    return r != 0 ? r : seen ? 0 : ERR_NOTFOUND;
}

static void bind_time(struct store_conn *c, struct db_stmt *s, int idx, int64_t ms)
{
    if (ms > 0)
        c->ops->bind_int(s, idx, ms);
    else
        c->ops->bind_null(s, idx);
}

int store_pp_set_state(struct store *st, int64_t id, const char *status, int64_t review_due_ms,
                       bool extended, int64_t appeal_due_ms, const char *rejected_by,
                       int64_t at_ms)
{
    static const char sql[] =
        "UPDATE passport_applications SET status = ?, review_due = ?, extended = ?, "
        "appeal_due = ?, rejected_by = ?, updated_at = ? WHERE id = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, status);
    bind_time(c, s, 2, review_due_ms);
    c->ops->bind_int(s, 3, extended);
    bind_time(c, s, 4, appeal_due_ms);
    sq_text(c, s, 5, nz(rejected_by));
    c->ops->bind_int(s, 6, at_ms);
    c->ops->bind_int(s, 7, id);
    return sq_done_one(c, s);
}

int store_pp_list(struct store *st, const char *office, const char *status,
                  int64_t due_before_ms, int64_t limit, store_pp_cb cb, void *ctx)
{
    static const char sql[] =
        "SELECT " PP_COLS " FROM passport_applications WHERE (? IS NULL OR status = ?) "
        "AND (? IS NULL OR office = ?) AND (? = 0 OR (review_due IS NOT NULL AND "
        "review_due < ?)) ORDER BY COALESCE(review_due, appeal_due, created_at), id LIMIT ?";
    struct store_conn *c;
    struct db_stmt *s;
    int seen = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, status);
    sq_text(c, s, 2, status);
    sq_text(c, s, 3, office);
    sq_text(c, s, 4, office);
    c->ops->bind_int(s, 5, due_before_ms);
    c->ops->bind_int(s, 6, due_before_ms);
    c->ops->bind_int(s, 7, limit);
    return pp_rows(c, s, cb, ctx, &seen);
}

int store_pp_history(struct store *st, const char *nik, const char *name_key, int64_t since_ms,
                     int64_t *postponements)
{
    /* One look-up in each partial index (the literal "<> ''" lets the
     * planner use them; an OR of the two keys scanned the table), the second
     * leaving out what the first counted. */
    static const char sql[] =
        "SELECT (SELECT COUNT(*) FROM passport_applications WHERE ?2 <> '' AND nik <> '' "
        "AND nik = ?2 AND postponed = 1 AND created_at >= ?1) + "
        "(SELECT COUNT(*) FROM passport_applications WHERE ?3 <> '' AND name_key <> '' "
        "AND name_key = ?3 AND postponed = 1 AND created_at >= ?1 "
        "AND NOT (?2 <> '' AND nik = ?2))";
    struct store_conn *c;
    struct db_stmt *s;
    *postponements = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, since_ms);
    sq_text(c, s, 2, nz(nik));
    sq_text(c, s, 3, nz(name_key));
    r = c->ops->step(s);
    if (r == 1)
        *postponements = c->ops->col_int(s, 0);
    c->ops->reset(s);
    return r < 0 ? r : 0;
}

int store_pp_group(struct store *st, const char *office, int64_t since_ms, const char *phone,
                   const char *company, struct store_pp_group *g)
{
    static const char sql[] =
        "SELECT COUNT(*), COALESCE(MAX(matched), 0) FROM passport_applications "
        "WHERE office = ? AND created_at >= ? AND ("
        "(? <> '' AND sponsor_phone = ?) OR (? <> '' AND sponsor_company = ?))";
    struct store_conn *c;
    struct db_stmt *s;
    memset(g, 0, sizeof *g);
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, office);
    c->ops->bind_int(s, 2, since_ms);
    sq_text(c, s, 3, nz(phone));
    sq_text(c, s, 4, nz(phone));
    sq_text(c, s, 5, nz(company));
    sq_text(c, s, 6, nz(company));
    r = c->ops->step(s);
    if (r == 1) {
        g->others = g->same_sponsor = c->ops->col_int(s, 0);
        g->any_matched = c->ops->col_int(s, 1) != 0;
    }
    c->ops->reset(s);
    return r < 0 ? r : 0;
}

int store_pp_event_insert(struct store *st, const struct store_pp_event *e)
{
    static const char sql[] =
        "INSERT INTO passport_events(app_id, at, day, kind, actor, reason, note, due, due_day, "
        "late) VALUES(?,?,?,?,?,?,?,?,?,?)";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, e->app_id);
    c->ops->bind_int(s, 2, e->at_ms);
    sq_text(c, s, 3, e->day);
    sq_text(c, s, 4, e->kind);
    sq_text(c, s, 5, nz(e->actor));
    sq_text(c, s, 6, nz(e->reason));
    sq_text(c, s, 7, nz(e->note));
    bind_time(c, s, 8, e->due_ms);
    char due_day[16];
    if (e->due_ms > 0) {
        time_format_date(due_day, e->due_ms); /* for statistics by deadline */
        sq_text(c, s, 9, due_day);
    } else {
        c->ops->bind_null(s, 9);
    }
    c->ops->bind_int(s, 10, e->late);
    return sq_done(c, s);
}

int store_pp_events(struct store *st, int64_t app_id, store_pp_event_cb cb, void *ctx)
{
    static const char sql[] =
        "SELECT id, app_id, at, COALESCE(due, 0), day, kind, actor, reason, note, late "
        "FROM passport_events WHERE app_id = ? ORDER BY id";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, app_id);
    while ((r = c->ops->step(s)) == 1) {
        struct store_pp_event e = {
            .id = c->ops->col_int(s, 0),
            .app_id = c->ops->col_int(s, 1),
            .at_ms = c->ops->col_int(s, 2),
            .due_ms = c->ops->col_int(s, 3),
            .day = c->ops->col_text(s, 4, NULL),
            .kind = c->ops->col_text(s, 5, NULL),
            .actor = c->ops->col_text(s, 6, NULL),
            .reason = c->ops->col_text(s, 7, NULL),
            .note = c->ops->col_text(s, 8, NULL),
            .late = c->ops->col_int(s, 9) != 0,
        };
        r = cb(ctx, &e);
        if (r != 0)
            break;
    }
    c->ops->reset(s);
    return r;
}

int store_pp_setting_get(struct store *st, const char *key, int64_t *value)
{
    static const char sql[] = "SELECT value FROM passport_settings WHERE key = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, key);
    r = c->ops->step(s);
    if (r == 1)
        *value = c->ops->col_int(s, 0);
    c->ops->reset(s);
    return r < 0 ? r : r == 1 ? 0 : ERR_NOTFOUND;
}

int store_pp_setting_set(struct store *st, const char *key, int64_t value)
{
    static const char sql[] =
        "INSERT INTO passport_settings(key, value) VALUES(?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, key);
    c->ops->bind_int(s, 2, value);
    return sq_done(c, s);
}
