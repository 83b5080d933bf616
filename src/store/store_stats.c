/* store_stats: the scans that statistics and oversight reports aggregate —
 * departure screenings with their outcomes, passport application events
 * with the application's dimensions, missed review deadlines, and the
 * applications of a period. Each scan streams rows to a callback; the
 * services layer counts them. */
#include "store/store.h"
#include "store/store_internal.h"
#include "util/errors.h"

int store_stats_departures(struct store *st, const char *from_day, const char *to_day,
                           store_stat_dep_cb cb, void *ctx)
{
    static const char sql[] =
        "SELECT day, checkpoint, office, destination, sex, age_band, province, recommendation, "
        "rules_fired, COALESCE(outcome, ''), COALESCE(outcome_reason, ''), overridden "
        "FROM departures WHERE day >= ? AND day <= ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, from_day);
    sq_text(c, s, 2, to_day);
    while ((r = c->ops->step(s)) == 1) {
        struct store_stat_dep d = {
            .day = c->ops->col_text(s, 0, NULL),
            .checkpoint = c->ops->col_text(s, 1, NULL),
            .office = c->ops->col_text(s, 2, NULL),
            .destination = c->ops->col_text(s, 3, NULL),
            .sex = c->ops->col_text(s, 4, NULL),
            .age_band = c->ops->col_text(s, 5, NULL),
            .province = c->ops->col_text(s, 6, NULL),
            .recommendation = c->ops->col_text(s, 7, NULL),
            .rules_fired = c->ops->col_text(s, 8, NULL),
            .outcome = c->ops->col_text(s, 9, NULL),
            .outcome_reason = c->ops->col_text(s, 10, NULL),
            .overridden = c->ops->col_int(s, 11) != 0,
        };
        r = cb(ctx, &d);
        if (r != 0)
            break;
    }
    c->ops->reset(s);
    return r;
}

/* Rows of the passport scans all have these columns in this order. */
static int pp_scan(struct store_conn *c, struct db_stmt *s, store_stat_pp_cb cb, void *ctx)
{
    int r;
    while ((r = c->ops->step(s)) == 1) {
        struct store_stat_pp p = {
            .kind = c->ops->col_text(s, 0, NULL),
            .day = c->ops->col_text(s, 1, NULL),
            .office = c->ops->col_text(s, 2, NULL),
            .destination = c->ops->col_text(s, 3, NULL),
            .sex = c->ops->col_text(s, 4, NULL),
            .age_band = c->ops->col_text(s, 5, NULL),
            .province = c->ops->col_text(s, 6, NULL),
            .reasons = c->ops->col_text(s, 7, NULL),
            .status = c->ops->col_text(s, 8, NULL),
            .late = c->ops->col_int(s, 9) != 0,
            .postponed = c->ops->col_int(s, 10) != 0,
        };
        r = cb(ctx, &p);
        if (r != 0)
            break;
    }
    c->ops->reset(s);
    return r;
}

#define APP_DIMS "a.office, a.destination, a.sex, a.age_band, a.province, a.reasons, a.status"

int store_stats_pp_events(struct store *st, const char *from_day, const char *to_day,
                          store_stat_pp_cb cb, void *ctx)
{
    static const char sql[] =
        "SELECT e.kind, e.day, " APP_DIMS ", e.late, a.postponed FROM passport_events e "
        "JOIN passport_applications a ON a.id = e.app_id WHERE e.day >= ? AND e.day <= ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, from_day);
    sq_text(c, s, 2, to_day);
    return pp_scan(c, s, cb, ctx);
}

int store_stats_pp_overdue(struct store *st, const char *from_day, const char *to_day,
                           int64_t now_ms, store_stat_pp_cb cb, void *ctx)
{
    /* A deadline is met when the first review decision after the event that
     * set it came no later than the deadline. */
    static const char sql[] =
        "SELECT 'overdue', e.due_day, " APP_DIMS ", "
        "EXISTS(SELECT 1 FROM passport_events d WHERE d.app_id = e.app_id AND d.id > e.id "
        "  AND d.kind IN ('released', 'rejected', 'extended')), a.postponed "
        "FROM passport_events e JOIN passport_applications a ON a.id = e.app_id "
        "WHERE e.due IS NOT NULL AND e.due_day >= ? AND e.due_day <= ? AND e.due < ? "
        "AND NOT EXISTS(SELECT 1 FROM passport_events d WHERE d.app_id = e.app_id "
        "  AND d.id > e.id AND d.kind IN ('released', 'rejected', 'extended') "
        "  AND d.at <= e.due)";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, from_day);
    sq_text(c, s, 2, to_day);
    c->ops->bind_int(s, 3, now_ms);
    return pp_scan(c, s, cb, ctx);
}

int store_stats_pp_apps(struct store *st, const char *from_day, const char *to_day,
                        store_stat_pp_cb cb, void *ctx)
{
    static const char sql[] =
        "SELECT 'application', a.day, " APP_DIMS ", 0, a.postponed "
        "FROM passport_applications a WHERE a.day >= ? AND a.day <= ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, from_day);
    sq_text(c, s, 2, to_day);
    return pp_scan(c, s, cb, ctx);
}
