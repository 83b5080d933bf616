/* departures: what happens after a screening — the officer's outcome, the
 * checkpoint queue, and reading one screening back. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/audit.h"
#include "services/screening.h"
#include "services/svc.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/text.h"
#include "util/timeutil.h"

struct dep_copy {
    int64_t id, created_ms;
    char checkpoint[32], recommendation[16], outcome[16];
    json_t *answer;
};

static int copy_dep(void *p, const struct store_dep_row *row)
{
    struct dep_copy *c = p;
    json_error_t e;
    c->id = row->id;
    c->created_ms = row->created_ms;
    text_copy(c->checkpoint, sizeof c->checkpoint, row->checkpoint);
    text_copy(c->recommendation, sizeof c->recommendation, row->recommendation);
    text_copy(c->outcome, sizeof c->outcome, row->outcome);
    c->answer = json_loads(row->answer, 0, &e);
    return c->answer ? 0 : ERR_CORRUPT;
}

/* An outcome against the recommendation: the officer must say why. */
static bool is_override(const char *rec, const char *outcome)
{
    return (strcmp(rec, "refuse") == 0 && strcmp(outcome, "departed") == 0) ||
           (strcmp(rec, "clear") == 0 && strcmp(outcome, "intercepted") == 0) ||
           (strcmp(rec, "protect") == 0 && strcmp(outcome, "referred") != 0);
}

/* Officers act at their own post only. */
static bool may_act(const struct actor *who, const char *checkpoint)
{
    if (who->role != ROLE_CHECKPOINT_OFFICER && who->role != ROLE_SUPERVISOR)
        return true;
    return strcmp(who->office, checkpoint) == 0;
}

struct outcome_write {
    const struct actor *who;
    int64_t id;
    const char *outcome, *reason, *note;
    bool overridden;
};

static int write_outcome(struct store *st, void *ctx)
{
    struct outcome_write *w = ctx;
    char oid[24], detail[64];
    snprintf(oid, sizeof oid, "%" PRId64, w->id);
    snprintf(detail, sizeof detail, "%s%s", w->outcome, w->overridden ? " (override)" : "");
    int r = store_dep_set_outcome(st, w->id, w->outcome, w->reason, w->note, w->who->username,
                                  time_now_ms(), w->overridden);
    if (r == 0)
        r = audit_append(st, w->who, "departure.outcome", "departure", oid, "ok", detail);
    return r;
}

static int read_outcome(json_t *body, struct outcome_write *w, struct buf *why)
{
    static const char *const allowed[] = {"outcome", "reason_code", "note", NULL};
    int r = json_only_keys(body, allowed, why);
    if (r == 0)
        r = json_get_str(body, "outcome", true, 16, &w->outcome, why);
    if (r == 0)
        r = json_get_str(body, "reason_code", false, 64, &w->reason, why);
    if (r == 0)
        r = json_get_str(body, "note", false, LIMIT_NOTE, &w->note, why);
    if (r == 0 && strcmp(w->outcome, "departed") && strcmp(w->outcome, "intercepted") &&
        strcmp(w->outcome, "referred")) {
        buf_puts(why, "field 'outcome': must be departed, intercepted or referred");
        r = ERR_INVALID;
    }
    if (r == 0 && w->note && text_check_free(w->note, strlen(w->note), LIMIT_NOTE, true)) {
        buf_printf(why, "field 'note': %s",
                   text_check_free(w->note, strlen(w->note), LIMIT_NOTE, true));
        r = ERR_INVALID;
    }
    if (r == 0 && strcmp(w->outcome, "intercepted") == 0 && (!w->reason || !*w->reason)) {
        buf_puts(why, "field 'reason_code': is required for an interception");
        r = ERR_INVALID;
    }
    return r;
}

int screening_outcome(struct svc *s, const struct actor *who, int64_t id, json_t *body,
                      json_t **out, struct buf *why)
{
    struct dep_copy c = {0};
    struct outcome_write w = {.who = who, .id = id};
    *out = NULL;
    int r = read_outcome(body, &w, why);
    if (r == 0)
        r = store_dep_get(s->st, id, copy_dep, &c);
    if (r == ERR_NOTFOUND)
        buf_puts(why, "no such departure screening");
    if (r == 0 && !may_act(who, c.checkpoint)) {
        buf_printf(why, "this screening was made at %s, not at your post", c.checkpoint);
        r = ERR_FORBIDDEN;
    }
    if (r == 0 && c.outcome[0] != '\0') {
        buf_printf(why, "the outcome was already recorded (%s)", c.outcome);
        r = ERR_CONFLICT;
    }
    w.overridden = r == 0 && is_override(c.recommendation, w.outcome);
    if (r == 0 && w.overridden && (w.note == NULL || *w.note == '\0')) {
        buf_printf(why, "field 'note': is required when the outcome (%s) goes against the "
                        "recommendation (%s)",
                   w.outcome, c.recommendation);
        r = ERR_INVALID;
    }
    if (r == 0)
        r = svc_write(s, write_outcome, &w);
    if (r == 0)
        *out = json_pack("{sI ss ss ss sb}", "id", (json_int_t)id, "recommendation",
                         c.recommendation, "outcome", w.outcome, "reason_code",
                         w.reason ? w.reason : "", "overridden", w.overridden);
    json_decref(c.answer);
    return r;
}

static int queue_row(void *p, const struct store_dep_row *row)
{
    json_error_t e;
    json_t *a = json_loads(row->answer, 0, &e);
    if (a == NULL)
        return ERR_CORRUPT;
    char ts[32];
    time_format_iso(ts, row->created_ms);
    json_object_set_new(a, "id", json_integer(row->id));
    json_object_set_new(a, "created_at", json_string(ts));
    json_object_set_new(a, "officer", json_string(row->officer));
    const char *gk = row->booking_ref[0] ? row->booking_ref : row->sponsor_phone;
    json_object_set_new(a, "group_key", json_string(gk));
    if (row->outcome[0] != '\0')
        json_object_set_new(a, "outcome",
                            json_pack("{ss ss ss}", "outcome", row->outcome, "reason_code",
                                      row->outcome_reason, "by", row->outcome_by));
    return json_array_append_new(p, a) == 0 ? 0 : ERR_NOMEM;
}

int screening_queue(struct svc *s, const struct actor *who, const char *day,
                    const char *checkpoint, const char *recommendation, json_t **out,
                    struct buf *why)
{
    int64_t days;
    *out = NULL;
    if (day == NULL)
        days = time_now_ms() / 86400000;
    else if (time_parse_date(day, &days) < 0) {
        buf_puts(why, "parameter 'date': expected YYYY-MM-DD");
        return ERR_INVALID;
    }
    bool bound = who->role == ROLE_CHECKPOINT_OFFICER || who->role == ROLE_SUPERVISOR;
    if (bound && checkpoint != NULL && strcmp(checkpoint, who->office) != 0) {
        buf_printf(why, "you see the queue of %s only", who->office);
        return ERR_FORBIDDEN;
    }
    if (bound)
        checkpoint = who->office;
    json_t *arr = json_array();
    int r = store_begin(s->st, true);
    if (r == 0)
        r = store_dep_queue(s->st, checkpoint, NULL, days * 86400000, (days + 1) * 86400000,
                            recommendation, 5000, queue_row, arr);
    if (r == 0)
        r = audit_append(s->st, who, "departure.queue", "departure", checkpoint ? checkpoint : "*",
                         "ok", day);
    if (r == 0)
        r = store_commit(s->st);
    if (r < 0) {
        store_rollback(s->st);
        json_decref(arr);
        return r;
    }
    *out = arr;
    return 0;
}

int screening_get(struct svc *s, const struct actor *who, int64_t id, json_t **out)
{
    json_t *arr = json_array();
    char oid[24];
    *out = NULL;
    snprintf(oid, sizeof oid, "%" PRId64, id);
    int r = store_begin(s->st, true);
    if (r == 0)
        r = store_dep_get(s->st, id, queue_row, arr);
    json_t *one = json_array_get(arr, 0);
    const char *cp = one ? json_string_value(json_object_get(one, "checkpoint")) : NULL;
    if (r == 0 && cp != NULL && !may_act(who, cp))
        r = ERR_FORBIDDEN;
    if (r == 0)
        r = audit_append(s->st, who, "departure.read", "departure", oid, "ok", NULL);
    if (r == 0)
        r = store_commit(s->st);
    if (r < 0)
        store_rollback(s->st);
    else
        *out = json_incref(one);
    json_decref(arr);
    return r;
}
