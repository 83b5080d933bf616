/* store_departures: departure screenings, the officer's outcome, and the
 * history and group look-ups that screening needs; and stored rulesets. */
#include <string.h>

#include "store/store.h"
#include "store/store_internal.h"
#include "util/errors.h"

int store_dep_insert(struct store *st, const struct store_dep *d, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO departures(created_at, day, checkpoint, office, officer, nik, doc_key, "
        "name_key, nationality, sex, age_band, province, destination, final_destination, "
        "flight, booking_ref, sponsor_phone, sponsor_company, matched, recommendation, score, "
        "ruleset_version, rules_fired, request, answer, facts) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    const char *txt[] = {d->day, d->checkpoint, d->office, d->officer, d->nik, d->doc_key,
                         d->name_key, d->nationality, d->sex, d->age_band, d->province,
                         d->destination, d->final_destination, d->flight, d->booking_ref,
                         d->sponsor_phone, d->sponsor_company};
    c->ops->bind_int(s, 1, d->created_ms);
    for (size_t i = 0; i < sizeof txt / sizeof txt[0]; i++)
        sq_text(c, s, (int)i + 2, txt[i] ? txt[i] : "");
    c->ops->bind_int(s, 19, d->matched);
    sq_text(c, s, 20, d->recommendation);
    c->ops->bind_int(s, 21, d->score);
    sq_text(c, s, 22, d->ruleset_version);
    sq_text(c, s, 23, d->rules_fired ? d->rules_fired : "");
    sq_text(c, s, 24, d->request);
    sq_text(c, s, 25, d->answer);
    sq_text(c, s, 26, d->facts ? d->facts : "{}");
    return sq_insert_id(c, s, id);
}

#define DEP_COLS                                                                              \
    "id, created_at, checkpoint, office, officer, recommendation, score, ruleset_version, "   \
    "answer, COALESCE(outcome, ''), COALESCE(outcome_reason, ''), COALESCE(outcome_note, ''), " \
    "COALESCE(outcome_by, ''), COALESCE(outcome_at, 0), booking_ref, sponsor_phone, "         \
    "sponsor_company, rules_fired, request, overridden, flight"

static int dep_rows(struct store_conn *c, struct db_stmt *s, store_dep_cb cb, void *ctx,
                    int *seen)
{
    int r;
    while ((r = c->ops->step(s)) == 1) {
        struct store_dep_row d = {
            .id = c->ops->col_int(s, 0),
            .created_ms = c->ops->col_int(s, 1),
            .checkpoint = c->ops->col_text(s, 2, NULL),
            .office = c->ops->col_text(s, 3, NULL),
            .officer = c->ops->col_text(s, 4, NULL),
            .recommendation = c->ops->col_text(s, 5, NULL),
            .score = c->ops->col_int(s, 6),
            .ruleset_version = c->ops->col_text(s, 7, NULL),
            .answer = c->ops->col_text(s, 8, NULL),
            .outcome = c->ops->col_text(s, 9, NULL),
            .outcome_reason = c->ops->col_text(s, 10, NULL),
            .outcome_note = c->ops->col_text(s, 11, NULL),
            .outcome_by = c->ops->col_text(s, 12, NULL),
            .outcome_ms = c->ops->col_int(s, 13),
            .booking_ref = c->ops->col_text(s, 14, NULL),
            .sponsor_phone = c->ops->col_text(s, 15, NULL),
            .sponsor_company = c->ops->col_text(s, 16, NULL),
            .rules_fired = c->ops->col_text(s, 17, NULL),
            .request = c->ops->col_text(s, 18, NULL),
            .overridden = c->ops->col_int(s, 19) != 0,
            .flight = c->ops->col_text(s, 20, NULL),
        };
        (*seen)++;
        r = cb(ctx, &d);
        if (r != 0)
            break;
    }
    c->ops->reset(s);
    return r;
}

int store_dep_get(struct store *st, int64_t id, store_dep_cb cb, void *ctx)
{
    static const char sql[] = "SELECT " DEP_COLS " FROM departures WHERE id = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int seen = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, id);
    r = dep_rows(c, s, cb, ctx, &seen);
    return r != 0 ? r : seen ? 0 : ERR_NOTFOUND;
}

int store_dep_queue(struct store *st, const char *checkpoint, const char *office,
                    int64_t from_ms, int64_t to_ms, const char *recommendation, int64_t limit,
                    store_dep_cb cb, void *ctx)
{
    /* Without a checkpoint and an office, every row of the period is read
     * (there is no index on the time alone); with one, the checkpoints'
     * index is searched. An office's checkpoints are read from
     * checkpoint_offices, not from the rows' office column, which older
     * rows lack. */
#define QUEUE_TAIL                                                                            \
    "AND created_at >= ?3 AND created_at < ?4 AND (?5 IS NULL OR recommendation = ?5) "      \
    "ORDER BY id LIMIT ?6"
    static const char at_checkpoint[] =
        "SELECT " DEP_COLS " FROM departures WHERE checkpoint = ?1 "
        "AND (?2 IS NULL OR checkpoint IN (SELECT checkpoint FROM checkpoint_offices "
        "WHERE office = ?2)) " QUEUE_TAIL;
    static const char at_office[] =
        "SELECT " DEP_COLS " FROM departures "
        "WHERE checkpoint IN (SELECT checkpoint FROM checkpoint_offices WHERE office = ?2) "
        QUEUE_TAIL;
    static const char anywhere[] = "SELECT " DEP_COLS " FROM departures WHERE 1 " QUEUE_TAIL;
#undef QUEUE_TAIL
    struct store_conn *c;
    struct db_stmt *s;
    int seen = 0;
    const char *sql = checkpoint ? at_checkpoint : office ? at_office : anywhere;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, checkpoint);
    sq_text(c, s, 2, office);
    c->ops->bind_int(s, 3, from_ms);
    c->ops->bind_int(s, 4, to_ms);
    sq_text(c, s, 5, recommendation);
    c->ops->bind_int(s, 6, limit);
    return dep_rows(c, s, cb, ctx, &seen);
}

int store_dep_set_outcome(struct store *st, int64_t id, const char *outcome, const char *reason,
                          const char *note, const char *by, int64_t at_ms, bool overridden)
{
    static const char sql[] =
        "UPDATE departures SET outcome = ?, outcome_reason = ?, outcome_note = ?, "
        "outcome_by = ?, outcome_at = ?, overridden = ? WHERE id = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, outcome);
    sq_text(c, s, 2, reason ? reason : "");
    sq_text(c, s, 3, note ? note : "");
    sq_text(c, s, 4, by);
    c->ops->bind_int(s, 5, at_ms);
    c->ops->bind_int(s, 6, overridden);
    c->ops->bind_int(s, 7, id);
    return sq_done_one(c, s);
}

int store_dep_backfill_office(struct store *st, int64_t *changed)
{
    static const char sql[] =
        "UPDATE departures SET office = (SELECT o.office FROM checkpoint_offices o "
        "WHERE o.checkpoint = departures.checkpoint) "
        "WHERE (office = '' OR office = checkpoint) AND checkpoint IN "
        "(SELECT checkpoint FROM checkpoint_offices)";
    struct store_conn *c;
    struct db_stmt *s;
    *changed = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r == 0)
        r = sq_done(c, s);
    if (r == 0)
        *changed = c->ops->changes(c->db);
    return r;
}

/* The history aggregates, over the rows a branch below selects. */
#define HISTORY_AGG                                                                           \
    "COUNT(*), "                                                                              \
    "COALESCE(SUM(recommendation = 'refuse' AND outcome = 'intercepted'), 0), "               \
    "COALESCE(SUM(recommendation = 'secondary'), 0), "                                        \
    "COALESCE(SUM(outcome = 'intercepted' AND recommendation <> 'refuse'), 0), "              \
    "COALESCE(SUM(outcome = 'referred'), 0), "                                                \
    "COALESCE(SUM(recommendation = 'protect'), 0) "

int store_dep_history(struct store *st, const char *nik, const char *doc_key,
                      const char *name_key, int64_t since_ms, struct store_dep_history *h)
{
    /* One indexed look-up per person key (an OR across the keys would scan
     * the table); empty keys are skipped. Each branch leaves out the rows an
     * earlier branch counted, so the three are disjoint and their sums are
     * the figures of the union, without a temporary table to de-duplicate
     * it (the key columns are NOT NULL). */
    static const char sql[] =
        "SELECT " HISTORY_AGG "FROM departures WHERE ?1 <> '' AND nik = ?1 AND nik <> ''"
        " AND created_at >= ?4"
        " UNION ALL SELECT " HISTORY_AGG "FROM departures WHERE ?2 <> '' AND doc_key = ?2"
        " AND created_at >= ?4 AND NOT (?1 <> '' AND nik = ?1)"
        " UNION ALL SELECT " HISTORY_AGG "FROM departures WHERE ?3 <> '' AND name_key = ?3"
        " AND created_at >= ?4 AND NOT (?1 <> '' AND nik = ?1)"
        " AND NOT (?2 <> '' AND doc_key = ?2)";
    struct store_conn *c;
    struct db_stmt *s;
    memset(h, 0, sizeof *h);
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, nik ? nik : "");
    sq_text(c, s, 2, doc_key ? doc_key : "");
    sq_text(c, s, 3, name_key ? name_key : "");
    c->ops->bind_int(s, 4, since_ms);
    for (int i = 0; i < 3 && (r = c->ops->step(s)) == 1; i++) {
        h->screenings += c->ops->col_int(s, 0);
        h->refusals += c->ops->col_int(s, 1);
        h->secondaries += c->ops->col_int(s, 2);
        h->interceptions += c->ops->col_int(s, 3);
        h->referrals += c->ops->col_int(s, 4);
        h->protections += c->ops->col_int(s, 5);
    }
    c->ops->reset(s);
    return r < 0 ? r : 0;
}

int store_dep_group(struct store *st, const char *checkpoint, int64_t since_ms,
                    const char *booking_ref, const char *phone, const char *company,
                    struct store_dep_group *g)
{
    /* Three indexed look-ups at the checkpoint: B (same booking), P (same
     * sponsor phone), C (same sponsor company), each also counting its rows
     * that fall in the sets after it. Then, without a temporary table:
     * same_sponsor = |P u C| = |P| + |C| - |P n C|, and
     * others = |B u P u C| = |B| + |P u C| - |B n (P u C)|. */
    static const char sql[] =
        "SELECT 0, COUNT(*), COALESCE(MAX(matched), 0), COALESCE(SUM((?3 <> '' AND "
        " sponsor_phone = ?3) OR (?4 <> '' AND sponsor_company = ?4)), 0) FROM departures"
        " WHERE ?2 <> '' AND checkpoint = ?1 AND booking_ref = ?2 AND booking_ref <> ''"
        " AND created_at >= ?5"
        " UNION ALL SELECT 1, COUNT(*), COALESCE(MAX(matched), 0), COALESCE(SUM(?4 <> '' AND "
        " sponsor_company = ?4), 0) FROM departures"
        " WHERE ?3 <> '' AND checkpoint = ?1 AND sponsor_phone = ?3 AND sponsor_phone <> ''"
        " AND created_at >= ?5"
        " UNION ALL SELECT 2, COUNT(*), COALESCE(MAX(matched), 0), 0 FROM departures"
        " WHERE ?4 <> '' AND checkpoint = ?1 AND sponsor_company = ?4 AND sponsor_company <> ''"
        " AND created_at >= ?5";
    struct store_conn *c;
    struct db_stmt *s;
    int64_t n[3] = {0, 0, 0}, overlap[3] = {0, 0, 0};
    memset(g, 0, sizeof *g);
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, checkpoint);
    sq_text(c, s, 2, booking_ref ? booking_ref : "");
    sq_text(c, s, 3, phone ? phone : "");
    sq_text(c, s, 4, company ? company : "");
    c->ops->bind_int(s, 5, since_ms);
    for (int i = 0; i < 3 && (r = c->ops->step(s)) == 1; i++) {
        int64_t set = c->ops->col_int(s, 0);
        if (set < 0 || set > 2)
            continue;
        n[set] = c->ops->col_int(s, 1);
        g->any_matched = g->any_matched || c->ops->col_int(s, 2) != 0;
        overlap[set] = c->ops->col_int(s, 3);
    }
    c->ops->reset(s);
    if (r < 0)
        return r;
    g->same_booking = n[0];
    g->same_sponsor = n[1] + n[2] - overlap[1];
    g->others = n[0] + g->same_sponsor - overlap[0];
    return 0;
}

/* ---- rulesets ---- */

int store_ruleset_put(struct store *st, const char *kind, const char *hash, const char *source,
                      const char *by, int64_t at_ms, const char *note, int64_t *id)
{
    static const char sql[] =
        "INSERT INTO rulesets(kind, hash, source, state, uploaded_by, uploaded_at, note) "
        "VALUES(?,?,?,'candidate',?,?,?) ON CONFLICT(kind, hash) DO UPDATE SET note = note "
        "RETURNING id";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, kind);
    sq_text(c, s, 2, hash);
    sq_text(c, s, 3, source);
    sq_text(c, s, 4, by);
    c->ops->bind_int(s, 5, at_ms);
    sq_text(c, s, 6, note ? note : "");
    return sq_returning_id(c, s, id);
}

int store_ruleset_activate(struct store *st, int64_t id, const char *by, int64_t at_ms)
{
    static const char retire[] =
        "UPDATE rulesets SET state = 'retired' WHERE state = 'active' AND "
        "kind = (SELECT kind FROM rulesets WHERE id = ?)";
    static const char act[] =
        "UPDATE rulesets SET state = 'active', activated_by = ?, activated_at = ? WHERE id = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int r = sq_prepare(st, retire, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, id);
    r = sq_done(c, s);
    if (r < 0)
        return r;
    r = sq_prepare(st, act, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, by);
    c->ops->bind_int(s, 2, at_ms);
    c->ops->bind_int(s, 3, id);
    return sq_done_one(c, s);
}

static int ruleset_rows(struct store_conn *c, struct db_stmt *s, store_ruleset_cb cb, void *ctx,
                        int *seen)
{
    int r;
    while ((r = c->ops->step(s)) == 1) {
        struct store_ruleset_row row = {
            .id = c->ops->col_int(s, 0),
            .kind = c->ops->col_text(s, 1, NULL),
            .hash = c->ops->col_text(s, 2, NULL),
            .source = c->ops->col_text(s, 3, NULL),
            .state = c->ops->col_text(s, 4, NULL),
            .uploaded_by = c->ops->col_text(s, 5, NULL),
            .uploaded_ms = c->ops->col_int(s, 6),
            .activated_by = c->ops->col_text(s, 7, NULL),
            .activated_ms = c->ops->col_int(s, 8),
            .note = c->ops->col_text(s, 9, NULL),
        };
        (*seen)++;
        r = cb(ctx, &row);
        if (r != 0)
            break;
    }
    c->ops->reset(s);
    return r;
}

#define RS_COLS                                                                               \
    "id, kind, hash, source, state, uploaded_by, uploaded_at, COALESCE(activated_by, ''), "   \
    "COALESCE(activated_at, 0), note"

int store_ruleset_get(struct store *st, int64_t id, store_ruleset_cb cb, void *ctx)
{
    static const char sql[] = "SELECT " RS_COLS " FROM rulesets WHERE id = ?";
    struct store_conn *c;
    struct db_stmt *s;
    int seen = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, id);
    r = ruleset_rows(c, s, cb, ctx, &seen);
    return r != 0 ? r : seen ? 0 : ERR_NOTFOUND;
}

int store_ruleset_active(struct store *st, const char *kind, store_ruleset_cb cb, void *ctx)
{
    static const char sql[] =
        "SELECT " RS_COLS " FROM rulesets WHERE kind = ? AND state = 'active'";
    struct store_conn *c;
    struct db_stmt *s;
    int seen = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, kind);
    r = ruleset_rows(c, s, cb, ctx, &seen);
    return r != 0 ? r : seen ? 0 : ERR_NOTFOUND;
}

int store_ruleset_list(struct store *st, const char *kind, store_ruleset_cb cb, void *ctx)
{
    static const char sql[] = "SELECT " RS_COLS " FROM rulesets WHERE kind = ? ORDER BY id";
    struct store_conn *c;
    struct db_stmt *s;
    int seen = 0;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    sq_text(c, s, 1, kind);
    return ruleset_rows(c, s, cb, ctx, &seen);
}

int store_dep_scan_facts(struct store *st, int64_t from_ms, int64_t to_ms, const char *kind,
                         store_facts_cb cb, void *ctx)
{
    static const char sql[] =
        "SELECT id, recommendation, facts FROM departures WHERE created_at >= ? "
        "AND created_at < ? ORDER BY id";
    struct store_conn *c;
    struct db_stmt *s;
    (void)kind;
    int r = sq_prepare(st, sql, &c, &s);
    if (r < 0)
        return r;
    c->ops->bind_int(s, 1, from_ms);
    c->ops->bind_int(s, 2, to_ms);
    while ((r = c->ops->step(s)) == 1) {
        r = cb(ctx, c->ops->col_int(s, 0), c->ops->col_text(s, 1, NULL),
               c->ops->col_text(s, 2, NULL));
        if (r != 0)
            break;
    }
    c->ops->reset(s);
    return r;
}
