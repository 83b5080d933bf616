/* screening: departure screening — facts, rules, recommendation, record. */
#include "services/screening.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/name_index.h"
#include "domain/rules.h"
#include "services/audit.h"
#include "services/cases.h"
#include "services/exchange.h"
#include "services/person_keys.h"
#include "services/refdata.h"
#include "services/rulesets.h"
#include "services/screening_int.h"
#include "services/sponsor.h"
#include "services/svc.h"
#include "services/watchlist.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/text.h"
#include "util/timeutil.h"

#define HISTORY_WINDOW_DAYS 730
#define GROUP_WINDOW_MS (24 * 3600 * 1000LL)

struct dep_run {
    struct dep_req q;
    const struct dep_matches *pre; /* matches found before, or NULL */
    struct store_post post;
    json_t *facts, *matches, *sponsor_matches;
    bool matched, past_victim;
    struct store_dep_group group;
    char doc_key[48], name_key[200], age_band[8];
    int64_t age;
};

/* ---- facts ---- */

static int64_t age_on(const char *birth, int64_t on_days)
{
    int y = 0, m = 7, d = 1; /* a year alone is read as mid-year */
    size_t l = strlen(birth);
    if (l < 4)
        return -1;
    for (int i = 0; i < 4; i++)
        y = y * 10 + (birth[i] - '0');
    if (l >= 7)
        m = (birth[5] - '0') * 10 + (birth[6] - '0');
    if (l >= 10)
        d = (birth[8] - '0') * 10 + (birth[9] - '0');
    return rules_age_years(y, m, d, on_days);
}

static void put_str(json_t *o, const char *k, const char *v)
{
    if (v != NULL && v[0] != '\0')
        json_object_set_new(o, k, json_string(v));
}

static json_t *traveller_facts(struct dep_run *d)
{
    const struct dep_req *q = &d->q;
    json_t *t = json_object();
    if (d->age >= 0)
        json_object_set_new(t, "age", json_integer(d->age));
    put_str(t, "nationality", q->nationality);
    put_str(t, "sex", q->sex[0] == 'M' || q->sex[0] == 'F' ? q->sex : NULL);
    if (q->doc_issued_days >= 0 && q->departure_days >= q->doc_issued_days)
        json_object_set_new(t, "document_age_days",
                            json_integer(q->departure_days - q->doc_issued_days));
    if (q->first_passport >= 0)
        json_object_set_new(t, "first_passport", json_boolean(q->first_passport));
    if (q->has_nik && q->nikr.read && q->nikr.province != NULL)
        put_str(t, "nik_province", q->nikr.province_code);
    json_object_set_new(t, "pmi_registered", json_boolean(q->pmi));
    return t;
}

static json_t *trip_facts(struct dep_run *d)
{
    const struct dep_req *q = &d->q;
    json_t *t = json_object(), *tr = json_array();
    put_str(t, "destination", q->destination);
    put_str(t, "final_destination", q->final_destination[0] ? q->final_destination
                                                             : q->destination);
    for (size_t i = 0; i < q->ntransit; i++)
        json_array_append_new(tr, json_string(q->transit[i]));
    json_object_set_new(t, "transit", tr);
    put_str(t, "purpose", q->purpose);
    if (q->return_ticket >= 0)
        json_object_set_new(t, "return_ticket", json_boolean(q->return_ticket));
    put_str(t, "carrier", q->carrier);
    put_str(t, "checkpoint_kind", d->post.kind);
    return t;
}

/* The best match's fields, and the categories and actions of all. */
static json_t *watchlist_facts(struct dep_run *d)
{
    bool protect;
    json_t *w = watchlist_facts_json(d->matches, &protect);
    d->past_victim = d->past_victim || protect;
    d->matched = json_array_size(d->matches) > 0;
    return w;
}

static json_t *sponsor_facts(struct dep_run *d)
{
    const struct dep_req *q = &d->q;
    json_t *s = json_object();
    put_str(s, "name", q->sponsor_name);
    put_str(s, "company", q->sponsor_company);
    put_str(s, "phone", q->sponsor_phone);
    sponsor_facts_add(s, d->sponsor_matches);
    return s;
}

static int history_facts(struct svc *s, struct dep_run *d, json_t **out)
{
    struct store_dep_history h;
    struct cases_person_facts cf;
    int rc = cases_person_facts(s->st, d->q.has_nik ? d->q.nik : "", d->doc_key, d->name_key,
                                &cf);
    if (rc < 0)
        return rc;
    d->past_victim = d->past_victim || cf.past_victim;
    int64_t since = time_now_ms() - (int64_t)HISTORY_WINDOW_DAYS * 86400000;
    int r = store_dep_history(s->st, d->q.has_nik ? d->q.nik : "", d->doc_key, d->name_key,
                              since, &h);
    int64_t postponed = 0; /* passport postponements of the same NIK or person */
    if (r == 0)
        r = store_pp_history(s->st, d->q.has_nik ? d->q.nik : "", d->name_key, since, &postponed);
    if (r < 0)
        return r;
    *out = json_pack("{si sI sI sI sI sb sb}", "window_days", HISTORY_WINDOW_DAYS,
                     "departures", (json_int_t)h.screenings, "postponements",
                     (json_int_t)postponed, "interceptions", (json_int_t)h.interceptions, "refusals",
                     (json_int_t)h.refusals, "past_victim", d->past_victim,
                     "open_consular_case", cf.open_case);
    return *out ? 0 : ERR_NOMEM;
}

static int group_facts(struct svc *s, struct dep_run *d, json_t **out)
{
    const struct dep_req *q = &d->q;
    int r = store_dep_group(s->st, d->post.code, time_now_ms() - GROUP_WINDOW_MS,
                            q->booking_ref, q->sponsor_phone, q->sponsor_company, &d->group);
    if (r < 0)
        return r;
    if (d->pre != NULL && d->pre->has_ahead) { /* ahead in the manifest, not yet stored */
        d->group.others += d->pre->ahead.others;
        d->group.same_booking += d->pre->ahead.same_booking;
        d->group.same_sponsor += d->pre->ahead.same_sponsor;
        d->group.any_matched = d->group.any_matched || d->pre->ahead.any_matched;
    }
    *out = json_pack("{sI sI sI sb}", "others", (json_int_t)d->group.others, "same_booking",
                     (json_int_t)d->group.same_booking, "same_sponsor",
                     (json_int_t)d->group.same_sponsor, "any_matched", d->group.any_matched);
    return *out ? 0 : ERR_NOMEM;
}

/* Matches the traveller and the sponsor against the watchlists. */
static int match_people(struct svc *s, struct dep_run *d, struct buf *why)
{
    const struct dep_req *q = &d->q;
    if (d->pre != NULL && d->pre->matches != NULL && d->pre->sponsor_matches != NULL &&
        d->pre->day == q->departure_days) {
        d->matches = json_incref(d->pre->matches);
        d->sponsor_matches = json_incref(d->pre->sponsor_matches);
        return 0;
    }
    char name[260];
    snprintf(name, sizeof name, "%s %s", q->given, q->surname);
    struct name_query nq = {
        .name = name[0] != ' ' || name[1] != '\0' ? name : NULL,
        .birth_date = q->birth_date[0] ? q->birth_date : NULL,
        .nationality = q->nationality[0] ? q->nationality : NULL,
        .document_number = q->doc_number[0] ? q->doc_number : NULL,
        .threshold = NAMES_DEFAULT_THRESHOLD,
        .limit = NAMES_DEFAULT_LIMIT,
        .today = (int32_t)q->departure_days,
        .explain = true,
    };
    if (strlen(name) <= 1)
        nq.name = NULL;
    int r = watchlist_match(s->wl, &nq, &d->matches, why);
    if (r == ERR_INVALID) {
        buf_reset(why);
        d->matches = json_array(); /* nothing usable to match: no match */
        r = 0;
    }
    if (r < 0)
        return r;
    return sponsor_match(s->wl, q->sponsor_name, q->sponsor_company, q->sponsor_phone,
                         (int32_t)q->departure_days, &d->sponsor_matches, why);
}

static int gather_facts(struct svc *s, struct dep_run *d, struct buf *why)
{
    int r = match_people(s, d, why);
    json_t *hist = NULL, *grp = NULL;
    d->facts = json_object();
    if (r == 0) {
        json_object_set_new(d->facts, "traveller", traveller_facts(d));
        json_object_set_new(d->facts, "trip", trip_facts(d));
        json_object_set_new(d->facts, "sponsor", sponsor_facts(d));
        json_object_set_new(d->facts, "watchlist", watchlist_facts(d));
        r = history_facts(s, d, &hist);
    }
    if (r == 0) {
        json_object_set_new(d->facts, "history", hist);
        r = group_facts(s, d, &grp);
    }
    if (r == 0) {
        json_object_set_new(d->facts, "group", grp);
        /* Bulletin indicators from partner countries feed these (exchange). */
        json_t *ind = NULL;
        r = exchange_indicator_facts(s, d->q.sponsor_name, d->q.sponsor_company,
                                     d->q.sponsor_phone, &ind);
        if (r == 0)
            json_object_set_new(d->facts, "indicators", ind);
    }
    return r;
}

/* ---- evaluation and the answer ---- */

static json_t *reasons_json(const struct rules_result *res)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < rules_result_count(res); i++) {
        const struct rules_hit *h = rules_result_hit(res, i);
        json_array_append_new(arr, json_pack("{ss ss sI ss}", "rule", h->rule, "text", h->text,
                                             "weight", (json_int_t)h->weight, "effect",
                                             rules_effect_str(h->effect)));
    }
    return arr;
}

static int evaluate(const struct ruleset_ref *ref, json_t *facts, struct rules_result **res,
                    struct buf *why)
{
    const struct rules *rules = ruleset_rules(ref);
    struct rules_facts *f = NULL;
    int r = rules_facts_from_json_why(rules_schema_of(rules), facts, &f, why);
    if (r < 0) {
        /* Facts come from validated input; a refusal here is our bug. */
        return ERR_INTERNAL;
    }
    r = rules_result_new(rules, res);
    if (r == 0)
        r = rules_evaluate(rules, f, *res);
    rules_facts_free(f);
    return r;
}

static json_t *answer_json(const struct dep_run *d, const struct rules_result *res,
                           const char *version)
{
    enum rules_recommendation rec = rules_result_recommendation(res);
    json_t *a = json_pack("{ss ss sI so sO ss}", "checkpoint", d->post.code, "recommendation",
                          rules_recommendation_str(rec), "score",
                          (json_int_t)rules_result_score(res), "reasons", reasons_json(res),
                          "matches", d->matches, "ruleset_version", version);
    if (a == NULL)
        return NULL;
    if (rec == RULES_PROTECT)
        json_object_set_new(a, "protection",
                            json_string("likely victim: route to a protection officer for "
                                        "counselling and consular follow-up; not a suspect"));
    if (json_array_size(d->sponsor_matches) > 0)
        json_object_set(a, "sponsor_matches", d->sponsor_matches);
    json_object_set_new(a, "group", json_pack("{sI sI sI}", "others",
                                              (json_int_t)d->group.others, "same_booking",
                                              (json_int_t)d->group.same_booking, "same_sponsor",
                                              (json_int_t)d->group.same_sponsor));
    if (d->q.document != NULL)
        json_object_set(a, "document", d->q.document);
    if (d->q.nik_flags != NULL && json_array_size(d->q.nik_flags) > 0)
        json_object_set(a, "flags", d->q.nik_flags);
    if (d->q.has_nik)
        json_object_set_new(a, "nik", documents_nik_json(&d->q.nikr));
    return a;
}

/* ---- recording ---- */

struct dep_write {
    const struct actor *who;
    struct store_dep row;
    int64_t id;
};

static int write_departure(struct store *st, void *ctx)
{
    struct dep_write *w = ctx;
    char oid[24];
    int r = store_dep_insert(st, &w->row, &w->id);
    snprintf(oid, sizeof oid, "%" PRId64, w->id);
    if (r == 0)
        r = audit_append(st, w->who, "departure.screen", "departure", oid, "ok",
                         w->row.recommendation);
    if (r == 0) {
        char what[160];
        snprintf(what, sizeof what, "screened for departure at %s (screening %s: %s)",
                 w->row.checkpoint, oid, w->row.recommendation);
        r = cases_notify_screened(st, w->row.nik, w->row.doc_key, w->row.name_key, what);
    }
    return r;
}

static char *facts_rules_fired(const struct rules_result *res)
{
    struct buf b;
    buf_init(&b, 8192);
    for (size_t i = 0; i < rules_result_count(res); i++) {
        if (i)
            buf_putc(&b, ' ');
        buf_puts(&b, rules_result_hit(res, i)->rule);
    }
    return buf_steal(&b, NULL);
}

/* A screening evaluated and ready to be recorded: what its write and its
 * answer need, owned (the row points into it). */
struct dep_job {
    struct dep_run d;
    struct actor who;
    struct ruleset_ref *ref;
    struct rules_result *res;
    json_t *answer;
    struct dep_write w;
    char day[16];
    char *req, *ans, *facts, *fired;
    int64_t now;
    /* screening_departure_start */
    int result;
    void (*done)(void *arg);
    void *arg;
};

static void dep_job_free(struct dep_job *j)
{
    free(j->req);
    free(j->ans);
    free(j->facts);
    free(j->fired);
    json_decref(j->answer);
    rules_result_free(j->res);
    rulesets_release(j->ref);
    json_decref(j->d.facts);
    json_decref(j->d.matches);
    json_decref(j->d.sponsor_matches);
    dep_req_free(&j->d.q);
}

/* Fills j->w, the row to write, from the evaluated screening. */
static int record_prepare(struct dep_job *j, json_t *body)
{
    struct dep_run *d = &j->d;
    const struct rules_result *res = j->res;
    const char *version = ruleset_version(j->ref);
    j->req = json_dump_str(body);
    j->ans = json_dump_str(j->answer);
    j->facts = json_dump_str(d->facts);
    j->fired = facts_rules_fired(res);
    j->now = time_now_ms();
    time_format_date(j->day, j->now);
    j->w = (struct dep_write){.who = &j->who};
    j->w.row = (struct store_dep){
        .created_ms = j->now, .day = j->day, .checkpoint = d->post.code, .office = d->post.office,
        .officer = j->who.username, .nik = d->q.has_nik ? d->q.nik : "", .doc_key = d->doc_key,
        .name_key = d->name_key, .nationality = d->q.nationality, .sex = d->q.sex,
        .age_band = d->age_band,
        .province = d->q.has_nik && d->q.nikr.province ? d->q.nikr.province_code : "",
        .destination = d->q.final_destination[0] ? d->q.final_destination : d->q.destination,
        .final_destination = d->q.final_destination, .flight = d->q.flight,
        .booking_ref = d->q.booking_ref, .sponsor_phone = d->q.sponsor_phone,
        .sponsor_company = d->q.sponsor_company, .matched = d->matched,
        .recommendation = rules_recommendation_str(rules_result_recommendation(res)),
        .score = rules_result_score(res), .ruleset_version = version, .rules_fired = j->fired,
        .request = j->req, .answer = j->ans, .facts = j->facts,
    };
    return j->req && j->ans && j->facts && j->fired ? 0 : ERR_NOMEM;
}

/* Once the row is written: the answer gets its id and time, and is handed
 * over to *out. */
static void record_finish(struct dep_job *j, json_t **out)
{
    json_object_set_new(j->answer, "id", json_integer(j->w.id));
    char ts[32];
    time_format_iso(ts, j->now);
    json_object_set_new(j->answer, "created_at", json_string(ts));
    *out = j->answer;
    j->answer = NULL;
}

/* ---- use cases ---- */

/* A supervisor of an office names the checkpoint they screen at. */
static int office_checkpoint_required(struct svc *s, const struct post_scope *sc,
                                      struct buf *why)
{
    buf_printf(why, "field 'checkpoint': is required: you supervise %s; name one of its "
                    "checkpoints ",
               sc->post);
    int r = refdata_office_checkpoints(s->st, sc->post, why);
    return r < 0 ? r : ERR_INVALID;
}

/* Resolves the checkpoint (refdata_scope): officers, and supervisors
 * placed at a checkpoint, screen at their own (the default) and at no
 * other; supervisors of an office name one of its checkpoints; others name
 * any. */
static int resolve_checkpoint(struct svc *s, const struct actor *who, struct dep_run *d,
                              const char *override, struct buf *why)
{
    struct post_scope sc;
    const char *cp = override && *override ? override : d->q.checkpoint;
    if (d->pre != NULL && d->pre->post != NULL && strcmp(d->pre->post->code, cp) == 0) {
        d->post = *d->pre->post; /* a manifest's: looked up and checked once for its persons */
        return 0;
    }
    int r = refdata_scope(s->st, who, &sc);
    if (r < 0)
        return r;
    if (sc.bound && !sc.office && *cp == '\0')
        cp = sc.post;
    if (*cp == '\0' && sc.office)
        return office_checkpoint_required(s, &sc, why);
    if (*cp == '\0') {
        buf_puts(why, "field 'checkpoint': is required");
        return ERR_INVALID;
    }
    r = store_post_get(s->st, cp, &d->post);
    if (r == ERR_NOTFOUND || (r == 0 && (strcmp(d->post.kind, "office") == 0 ||
                                         !refdata_scope_has(&sc, &d->post))))
        return refdata_why_not_here(s->st, &sc, cp, r, &d->post, why);
    return r;
}

/* Screens up to the record: on success j holds the answer and the row to
 * write. */
static int screen(struct svc *s, const struct actor *who, json_t *body, const char *checkpoint,
                  const struct dep_matches *pre, struct dep_job *j,
                  struct buf *why)
{
    struct dep_run *d = &j->d;
    d->pre = pre;
    int64_t today = time_now_ms() / 86400000;
    j->who = *who;
    bool read_txn = false;
    int r = dep_req_parse(body, today, &d->q, why);
    if (r < 0)
        goto out;
    /* All the reads of one screening, the checkpoint's included, see one
     * snapshot, and pay for one read transaction instead of one per
     * statement. */
    read_txn = store_begin(s->st, false) == 0;
    r = resolve_checkpoint(s, who, d, checkpoint, why);
    if (r < 0)
        goto out;
    person_doc_key(d->q.nationality, d->q.doc_number, d->doc_key, sizeof d->doc_key);
    person_name_key(d->q.surname, d->q.given, d->q.birth_date, d->name_key, sizeof d->name_key);
    d->age = d->q.birth_date[0] ? age_on(d->q.birth_date, d->q.departure_days) : -1;
    text_copy(d->age_band, sizeof d->age_band, person_age_band(d->age));
    r = gather_facts(s, d, why);
    if (r == 0)
        r = rulesets_active(s, "departure", &j->ref);
    if (read_txn)
        store_rollback(s->st);
    read_txn = false;
    if (r == ERR_NOTFOUND)
        buf_puts(why, "no active departure ruleset (lintas init installs the default)");
    if (r == 0)
        r = evaluate(j->ref, d->facts, &j->res, why);
    if (r < 0)
        goto out;
    j->answer = answer_json(d, j->res, ruleset_version(j->ref));
    r = j->answer ? record_prepare(j, body) : ERR_NOMEM;
out:
    if (read_txn)
        store_rollback(s->st);
    return r;
}

void screening_prematch(struct svc *s, json_t *body, int64_t today, struct dep_matches *out)
{
    struct dep_run d;
    struct buf why;
    memset(&d, 0, sizeof d);
    memset(out, 0, sizeof *out);
    buf_init(&why, 128);
    if (dep_req_parse(body, today, &d.q, &why) == 0) {
        out->parsed = true; /* its group keys count even when matching fails */
        text_copy(out->booking_ref, sizeof out->booking_ref, d.q.booking_ref);
        text_copy(out->sponsor_phone, sizeof out->sponsor_phone, d.q.sponsor_phone);
        text_copy(out->sponsor_company, sizeof out->sponsor_company, d.q.sponsor_company);
        if (match_people(s, &d, &why) == 0) {
            out->matches = d.matches;
            out->sponsor_matches = d.sponsor_matches;
            out->day = d.q.departure_days;
            d.matches = d.sponsor_matches = NULL;
        }
    }
    json_decref(d.matches);
    json_decref(d.sponsor_matches);
    dep_req_free(&d.q);
    buf_free(&why);
}

void dep_matches_free(struct dep_matches *m)
{
    json_decref(m->matches);
    json_decref(m->sponsor_matches);
    memset(m, 0, sizeof *m);
}


int screening_prepare(struct svc *s, const struct actor *who, json_t *body,
                      const char *checkpoint, const struct dep_matches *pre,
                      struct dep_job **job, struct buf *why)
{
    struct dep_job *j = calloc(1, sizeof *j);
    *job = NULL;
    if (j == NULL)
        return ERR_NOMEM;
    int r = screen(s, who, body, checkpoint, pre, j, why);
    if (r < 0) {
        dep_job_free(j);
        free(j);
        return r;
    }
    *job = j;
    return 0;
}

json_t *screening_answer(const struct dep_job *job)
{
    return job->answer;
}

int screening_record(struct store *st, struct dep_job *job)
{
    return write_departure(st, &job->w);
}

int64_t screening_id(const struct dep_job *job)
{
    return job->w.id;
}

void screening_done(struct dep_job *job, json_t **out)
{
    if (out != NULL)
        record_finish(job, out);
    dep_job_free(job);
    free(job);
}

int screening_departure(struct svc *s, const struct actor *who, json_t *body,
                        const char *checkpoint, json_t **out, struct buf *why)
{
    struct dep_job j;
    *out = NULL;
    memset(&j, 0, sizeof j);
    int r = screen(s, who, body, checkpoint, NULL, &j, why);
    if (r == 0)
        r = svc_write(s, write_departure, &j.w);
    if (r == 0)
        record_finish(&j, out);
    dep_job_free(&j);
    return r;
}

/* The committer's callback: the write of j is durable, or failed. */
static void departure_written(void *arg, int result)
{
    struct dep_job *j = arg;
    j->result = result;
    j->done(j->arg);
}

int screening_departure_start(struct svc *s, const struct actor *who, json_t *body,
                              const char *checkpoint, void (*done)(void *arg), void *arg,
                              struct dep_job **pending, struct buf *why)
{
    struct dep_job *j;
    *pending = NULL;
    int r = screening_prepare(s, who, body, checkpoint, NULL, &j, why);
    if (r < 0)
        return r;
    j->done = done;
    j->arg = arg;
    *pending = j; /* before the write: done may come before the return */
    r = svc_write_async(s, write_departure, &j->w, departure_written, j);
    if (r < 0) {
        *pending = NULL;
        screening_done(j, NULL);
    }
    return r;
}

int screening_departure_finish(struct dep_job *pending, json_t **out)
{
    int r = pending->result;
    *out = NULL;
    if (r == 0)
        record_finish(pending, out);
    dep_job_free(pending);
    free(pending);
    return r;
}
