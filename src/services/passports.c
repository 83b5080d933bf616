/* passports: passport applications — the request, the facts, the rules,
 * the postponement with its deadline, and the record. Review and appeal
 * are in the second half of the file. */
#include "services/passports.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/countries.h"
#include "domain/name_index.h"
#include "domain/names.h"
#include "domain/nik.h"
#include "domain/rules.h"
#include "services/audit.h"
#include "services/person_keys.h"
#include "services/documents.h"
#include "services/rulesets.h"
#include "services/sponsor.h"
#include "services/svc.h"
#include "services/watchlist.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/text.h"
#include "util/timeutil.h"

#define DAY_MS 86400000LL
#define HISTORY_WINDOW_DAYS 730
#define GROUP_WINDOW_MS (7 * DAY_MS)
#define MAX_PREVIOUS 20

static const char *const api_purposes[] = {"tourism", "umrah",    "hajj",    "work", "study",
                                           "family",  "business", "medical", "other", NULL};

/* The standard interview questions (docs/passports.md). */
static const char *const questions[] = {
    "trip_purpose",   "trip_paid_by",  "job_offer",   "recruiter",        "contact_abroad",
    "return_plan",    "documents_held", "family_informed", "previous_work_abroad", NULL};

struct pp_req {
    char office[32];
    char nik[20], surname[128], given[128], birth_date[16], sex[2], residence[4];
    struct nik_result nikr;
    char purpose[16], destination[4];
    char sponsor_name[128], sponsor_company[128], sponsor_phone[32];
    char pmi[64], prev_doc[32], interviewer[LIMIT_USERNAME + 1];
    int64_t previous_passports, age;
    json_t *flags; /* NIK cross-check (new ref) */
};

const char *passports_rules_purpose(const char *purpose)
{
    for (size_t i = 0; api_purposes[i] != NULL; i++) {
        if (strcmp(purpose, api_purposes[i]) == 0)
            return strcmp(purpose, "umrah") == 0 || strcmp(purpose, "hajj") == 0 ? "pilgrimage"
                                                                                   : purpose;
    }
    return NULL;
}

void passports_name_key(const char *surname, const char *given, const char *birth_date,
                        char *out, size_t n)
{
    size_t k = 0;
    const char *parts[] = {surname, "|", given, "|", birth_date};
    for (size_t p = 0; p < 5; p++) {
        for (const char *c = parts[p]; *c && k + 1 < n; c++) {
            char ch = *c;
            bool keep = (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') ||
                        (ch >= 'a' && ch <= 'z') || ch == '|' || ch == '-';
            if (keep)
                out[k++] = ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
        }
    }
    out[k] = '\0';
    if (surname[0] == '\0' || birth_date[0] == '\0')
        out[0] = '\0';
}

/* ---- reading the request ---- */

static int get_text(json_t *o, const char *obj, const char *key, bool required, char *dst,
                    size_t n, struct buf *why)
{
    json_t *x = json_object_get(o, key);
    dst[0] = '\0';
    if (x == NULL || json_is_null(x)) {
        if (required)
            buf_printf(why, "field '%s%s%s': is required", obj, *obj ? "." : "", key);
        return required ? ERR_INVALID : 0;
    }
    const char *v = json_string_value(x);
    const char *bad = v ? text_check_free(v, json_string_length(x), n - 1, false)
                        : "must be a string";
    if (bad == NULL && strlen(v) != json_string_length(x))
        bad = "must not contain NUL";
    if (bad != NULL) {
        buf_printf(why, "field '%s%s%s': %s (at most %zu bytes)", obj, *obj ? "." : "", key, bad,
                   n - 1);
        return ERR_INVALID;
    }
    text_copy(dst, n, v);
    return 0;
}

static int check_object(json_t *o, const char *name, bool required, const char *const *allowed,
                        struct buf *why)
{
    if (o == NULL || json_is_null(o)) {
        if (required)
            buf_printf(why, "field '%s': is required (an object)", name);
        return required ? ERR_INVALID : 1;
    }
    if (!json_is_object(o)) {
        buf_printf(why, "field '%s': must be an object", name);
        return ERR_INVALID;
    }
    struct buf inner;
    buf_init(&inner, 256);
    int r = json_only_keys(o, allowed, &inner);
    if (r < 0)
        buf_printf(why, "in '%s': %s", name, buf_cstr(&inner));
    buf_free(&inner);
    return r;
}

static int read_nik(struct pp_req *q, int64_t today, struct buf *why)
{
    nik_parse(q->nik, strlen(q->nik), today, &q->nikr);
    if (!q->nikr.valid) {
        const char *what = q->nikr.n_errors ? nik_why_text(q->nikr.errors[0].why) : "invalid";
        buf_printf(why, "field 'applicant.nik': not a valid NIK (%s)", what);
        return ERR_INVALID;
    }
    if (q->birth_date[0] == '\0' && q->nikr.birth_valid)
        snprintf(q->birth_date, sizeof q->birth_date, "%04d-%02d-%02d", q->nikr.birth_year,
                 q->nikr.birth_month, q->nikr.birth_day);
    if (q->sex[0] == '\0' && (q->nikr.sex == 'M' || q->nikr.sex == 'F')) {
        q->sex[0] = q->nikr.sex;
        q->sex[1] = '\0';
    }
    struct documents_person p = {.precision = MRZ_DATE_NONE, .sex = q->sex[0]};
    int64_t bd;
    if (q->birth_date[0] && time_parse_date(q->birth_date, &bd) == 0) {
        time_civil_from_days(bd, &p.year, &p.month, &p.day);
        p.precision = MRZ_DATE_DAY;
    }
    q->flags = documents_cross_check(&q->nikr, &p);
    return 0;
}

static int parse_applicant(json_t *a, int64_t today, struct pp_req *q, struct buf *why)
{
    static const char *const allowed[] = {"nik", "surname", "given_names", "birth_date", "sex",
                                          "province", NULL};
    int r = check_object(a, "applicant", true, allowed, why);
    if (r == 0)
        r = get_text(a, "applicant", "nik", true, q->nik, sizeof q->nik, why);
    if (r == 0)
        r = get_text(a, "applicant", "surname", false, q->surname, sizeof q->surname, why);
    if (r == 0)
        r = get_text(a, "applicant", "given_names", false, q->given, sizeof q->given, why);
    if (r == 0)
        r = get_text(a, "applicant", "birth_date", false, q->birth_date, sizeof q->birth_date,
                     why);
    if (r == 0)
        r = get_text(a, "applicant", "sex", false, q->sex, sizeof q->sex, why);
    if (r == 0)
        r = get_text(a, "applicant", "province", false, q->residence, sizeof q->residence, why);
    int64_t d;
    if (r == 0 && q->birth_date[0] && time_parse_date(q->birth_date, &d) < 0) {
        buf_puts(why, "field 'applicant.birth_date': expected a date YYYY-MM-DD");
        r = ERR_INVALID;
    }
    if (r == 0 && q->sex[0] && q->sex[0] != 'M' && q->sex[0] != 'F') {
        buf_puts(why, "field 'applicant.sex': must be M or F");
        r = ERR_INVALID;
    }
    if (r == 0 && q->residence[0] && nik_province_find(q->residence) == NULL) {
        buf_puts(why, "field 'applicant.province': not a known province code (two digits)");
        r = ERR_INVALID;
    }
    if (r == 0 && q->surname[0] == '\0' && q->given[0] == '\0') {
        buf_puts(why, "field 'applicant.surname': give a surname or given_names");
        r = ERR_INVALID;
    }
    return r == 0 ? read_nik(q, today, why) : r;
}

static int parse_sponsor(json_t *sp, struct pp_req *q, struct buf *why)
{
    static const char *const allowed[] = {"name", "company", "phone", NULL};
    char phone[64];
    int r = check_object(sp, "sponsor", false, allowed, why);
    if (r != 0)
        return r < 0 ? r : 0;
    r = get_text(sp, "sponsor", "name", false, q->sponsor_name, sizeof q->sponsor_name, why);
    if (r == 0)
        r = get_text(sp, "sponsor", "company", false, q->sponsor_company,
                     sizeof q->sponsor_company, why);
    if (r == 0)
        r = get_text(sp, "sponsor", "phone", false, phone, sizeof phone, why);
    /* phones compare in their international form, as at departure */
    if (r != 0 || names_phone_normalise(phone, q->sponsor_phone) != 0)
        q->sponsor_phone[0] = '\0';
    return r;
}

static int parse_previous(json_t *arr, struct pp_req *q, struct buf *why)
{
    static const char *const allowed[] = {"number", "issued", "expiry", NULL};
    if (arr == NULL || json_is_null(arr))
        return 0;
    if (!json_is_array(arr) || json_array_size(arr) > MAX_PREVIOUS) {
        buf_printf(why, "field 'previous_passports': must be an array of at most %d objects",
                   MAX_PREVIOUS);
        return ERR_INVALID;
    }
    int64_t newest = -1;
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *p = json_array_get(arr, i);
        char name[48], number[32], issued[16];
        int64_t d = -1;
        snprintf(name, sizeof name, "previous_passports[%zu]", i);
        int r = check_object(p, name, true, allowed, why);
        if (r == 0)
            r = get_text(p, name, "number", false, number, sizeof number, why);
        if (r == 0)
            r = get_text(p, name, "issued", false, issued, sizeof issued, why);
        if (r == 0 && issued[0] && time_parse_date(issued, &d) < 0) {
            buf_printf(why, "field '%s.issued': expected a date YYYY-MM-DD", name);
            r = ERR_INVALID;
        }
        if (r < 0)
            return r;
        if (number[0] && (d >= newest || q->prev_doc[0] == '\0')) {
            newest = d;
            text_copy(q->prev_doc, sizeof q->prev_doc, number);
        }
    }
    q->previous_passports = (int64_t)json_array_size(arr);
    return 0;
}

static int parse_interview(json_t *iv, const struct actor *who, struct pp_req *q,
                           struct buf *why)
{
    static const char *const allowed[] = {"interviewer", "summary", "answers", NULL};
    int r = check_object(iv, "interview", true, allowed, why);
    if (r == 0)
        r = get_text(iv, "interview", "interviewer", false, q->interviewer,
                     sizeof q->interviewer, why);
    if (r == 0 && q->interviewer[0] == '\0')
        text_copy(q->interviewer, sizeof q->interviewer, who->username);
    json_t *x = json_object_get(iv, "summary");
    const char *sv = json_string_value(x);
    if (r == 0 && (sv == NULL || *sv == '\0' || strlen(sv) != json_string_length(x) ||
                   text_check_free(sv, strlen(sv), LIMIT_NOTE, true) != NULL)) {
        buf_printf(why, "field 'interview.summary': is required (text of at most %u bytes)",
                   LIMIT_NOTE);
        r = ERR_INVALID;
    }
    json_t *ans = json_object_get(iv, "answers");
    if (r == 0 && ans != NULL && !json_is_null(ans)) {
        r = check_object(ans, "interview.answers", true, questions, why);
        const char *k;
        json_t *v;
        json_object_foreach(ans, k, v) {
            const char *s = json_string_value(v);
            if (r == 0 && (s == NULL || strlen(s) != json_string_length(v) ||
                           text_check_free(s, strlen(s), 2000, true) != NULL)) {
                buf_printf(why, "field 'interview.answers.%s': must be text of at most 2000 "
                                "bytes",
                           k);
                r = ERR_INVALID;
            }
        }
    }
    return r;
}

static int parse_trip(json_t *body, struct pp_req *q, struct buf *why)
{
    char dest[8];
    int r = get_text(body, "", "purpose", true, q->purpose, sizeof q->purpose, why);
    if (r == 0 && passports_rules_purpose(q->purpose) == NULL) {
        buf_puts(why, "field 'purpose': must be one of tourism, umrah, hajj, work, study, family, "
                      "business, medical, other");
        r = ERR_INVALID;
    }
    if (r == 0)
        r = get_text(body, "", "destination", false, dest, sizeof dest, why);
    if (r == 0 && dest[0] && (strlen(dest) != 3 || !countries_known(dest))) {
        buf_printf(why, "field 'destination': '%s' is not an ICAO 9303 country code", dest);
        r = ERR_INVALID;
    }
    if (r == 0)
        text_copy(q->destination, sizeof q->destination, dest);
    json_t *pmi = json_object_get(body, "pmi_registration");
    if (r == 0 && pmi != NULL && !json_is_null(pmi) && !json_is_string(pmi)) {
        buf_puts(why, "field 'pmi_registration': must be a string (the registration number) "
                      "or null");
        r = ERR_INVALID;
    }
    if (r == 0)
        r = get_text(body, "", "pmi_registration", false, q->pmi, sizeof q->pmi, why);
    return r;
}

static int pp_req_parse(json_t *body, const struct actor *who, int64_t today, struct pp_req *q,
                        struct buf *why)
{
    static const char *const allowed[] = {"office",  "applicant", "purpose",
                                          "destination", "sponsor", "pmi_registration",
                                          "previous_passports", "interview", NULL};
    memset(q, 0, sizeof *q);
    int r = json_only_keys(body, allowed, why);
    if (r == 0)
        r = get_text(body, "", "office", false, q->office, sizeof q->office, why);
    if (r == 0)
        r = parse_applicant(json_object_get(body, "applicant"), today, q, why);
    if (r == 0)
        r = parse_trip(body, q, why);
    if (r == 0)
        r = parse_sponsor(json_object_get(body, "sponsor"), q, why);
    if (r == 0)
        r = parse_previous(json_object_get(body, "previous_passports"), q, why);
    if (r == 0)
        r = parse_interview(json_object_get(body, "interview"), who, q, why);
    q->age = -1;
    if (r == 0 && q->birth_date[0]) {
        int64_t bd;
        int y, m, d;
        if (time_parse_date(q->birth_date, &bd) == 0) {
            time_civil_from_days(bd, &y, &m, &d);
            q->age = rules_age_years(y, m, d, today);
        }
    }
    return r;
}

/* ---- facts ---- */

struct pp_run {
    struct pp_req q;
    struct store_post post;
    char name_key[200], age_band[8];
    json_t *facts, *matches, *sponsor_matches;
    json_t *answer; /* the answer once recorded (new ref) */
    bool matched, past_victim;
};

static void put_str(json_t *o, const char *k, const char *v)
{
    if (v != NULL && v[0] != '\0')
        json_object_set_new(o, k, json_string(v));
}

static int match_people(struct svc *s, struct pp_run *d, int64_t today, struct buf *why)
{
    const struct pp_req *q = &d->q;
    char name[260];
    snprintf(name, sizeof name, "%s%s%s", q->given, q->given[0] && q->surname[0] ? " " : "",
             q->surname);
    struct name_query nq = {.name = name, .birth_date = q->birth_date[0] ? q->birth_date : NULL,
                            .nationality = "IDN",
                            .document_number = q->prev_doc[0] ? q->prev_doc : NULL,
                            .threshold = NAMES_DEFAULT_THRESHOLD,
                            .limit = NAMES_DEFAULT_LIMIT, .today = (int32_t)today,
                            .explain = true};
    int r = s->wl ? watchlist_match(s->wl, &nq, &d->matches, why) : 0;
    if (r == ERR_INVALID) {
        buf_reset(why);
        r = 0;
    }
    if (r == 0)
        r = sponsor_match(s->wl, q->sponsor_name, q->sponsor_company, q->sponsor_phone,
                          (int32_t)today, &d->sponsor_matches, why);
    if (d->matches == NULL)
        d->matches = json_array();
    if (d->sponsor_matches == NULL)
        d->sponsor_matches = json_array();
    return r;
}

static json_t *watchlist_facts(struct pp_run *d)
{
    bool protect;
    json_t *w = watchlist_facts_json(d->matches, &protect);
    d->past_victim = d->past_victim || protect;
    d->matched = json_array_size(d->matches) > 0;
    return w;
}

static json_t *applicant_facts(const struct pp_run *d)
{
    const struct pp_req *q = &d->q;
    json_t *a = json_object();
    if (q->age >= 0)
        json_object_set_new(a, "age", json_integer(q->age));
    put_str(a, "sex", q->sex);
    put_str(a, "nik_province", q->nikr.province_code);
    json_object_set_new(a, "pmi_registered", json_boolean(q->pmi[0] != '\0'));
    json_object_set_new(a, "previous_passports", json_integer(q->previous_passports));
    put_str(a, "purpose", passports_rules_purpose(q->purpose));
    put_str(a, "destination", q->destination);
    return a;
}

static json_t *sponsor_facts(const struct pp_run *d)
{
    const struct pp_req *q = &d->q;
    json_t *s = json_object();
    put_str(s, "name", q->sponsor_name);
    put_str(s, "company", q->sponsor_company);
    put_str(s, "phone", q->sponsor_phone);
    sponsor_facts_add(s, d->sponsor_matches);
    return s;
}

static int history_group_facts(struct svc *s, struct pp_run *d, int64_t now)
{
    const struct pp_req *q = &d->q;
    struct store_dep_history h;
    struct store_pp_group g;
    int64_t post = 0, since = now - (int64_t)HISTORY_WINDOW_DAYS * DAY_MS;
    char doc_key[48] = "";
    if (q->prev_doc[0])
        snprintf(doc_key, sizeof doc_key, "IDN:%s", q->prev_doc);
    int r = store_dep_history(s->st, q->nik, doc_key, d->name_key, since, &h);
    if (r == 0)
        r = store_pp_history(s->st, q->nik, d->name_key, since, &post);
    if (r == 0)
        r = store_pp_group(s->st, d->post.code, now - GROUP_WINDOW_MS, q->sponsor_phone,
                           q->sponsor_company, &g);
    if (r < 0)
        return r;
    json_object_set_new(
        d->facts, "history",
        json_pack("{si sI sI sI sI sb sb}", "window_days", HISTORY_WINDOW_DAYS, "departures",
                  (json_int_t)h.screenings, "postponements", (json_int_t)post, "interceptions",
                  (json_int_t)h.interceptions, "refusals", (json_int_t)h.refusals, "past_victim",
                  d->past_victim, "open_consular_case", false));
    json_object_set_new(d->facts, "group",
                        json_pack("{sI si sI sb}", "others", (json_int_t)g.others,
                                  "same_booking", 0, "same_sponsor", (json_int_t)g.same_sponsor,
                                  "any_matched", g.any_matched));
    json_object_set_new(d->facts, "indicators",
                        json_pack("{sb sb sb}", "sponsor_name", false, "sponsor_company", false,
                                  "sponsor_phone", false));
    return 0;
}

static int gather_facts(struct svc *s, struct pp_run *d, int64_t now, struct buf *why)
{
    int r = match_people(s, d, now / DAY_MS, why);
    if (r < 0)
        return r;
    d->facts = json_object();
    json_object_set_new(d->facts, "applicant", applicant_facts(d));
    json_object_set_new(d->facts, "sponsor", sponsor_facts(d));
    json_object_set_new(d->facts, "watchlist", watchlist_facts(d));
    return history_group_facts(s, d, now);
}

/* ---- evaluation, answer, record ---- */

static int evaluate(const struct ruleset_ref *ref, json_t *facts, struct rules_result **res)
{
    const struct rules *rules = ruleset_rules(ref);
    struct rules_facts *f = NULL;
    int r = rules_facts_from_json(rules_schema_of(rules), facts, &f);
    if (r < 0)
        return ERR_INTERNAL; /* facts come from validated input */
    r = rules_result_new(rules, res);
    if (r == 0)
        r = rules_evaluate(rules, f, *res);
    rules_facts_free(f);
    return r;
}

static json_t *reasons_json(const struct rules_result *res, struct buf *codes)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < rules_result_count(res); i++) {
        const struct rules_hit *h = rules_result_hit(res, i);
        json_array_append_new(arr, json_pack("{ss ss sI ss}", "code", h->rule, "text", h->text,
                                             "weight", (json_int_t)h->weight, "effect",
                                             rules_effect_str(h->effect)));
        buf_printf(codes, "%s%s", i ? " " : "", h->rule);
    }
    return arr;
}

static void iso_or_null(json_t *o, const char *key, int64_t ms)
{
    char ts[32];
    if (ms <= 0) {
        json_object_set_new(o, key, json_null());
        return;
    }
    time_format_iso(ts, ms);
    json_object_set_new(o, key, json_string(ts));
}

static int64_t setting(struct store *st, const char *key, int64_t dflt)
{
    int64_t v;
    return store_pp_setting_get(st, key, &v) == 0 ? v : dflt;
}

struct pp_write {
    const struct actor *who;
    struct store_pp row;
    int64_t id;
};

static int write_application(struct store *st, void *ctx)
{
    struct pp_write *w = ctx;
    char oid[24];
    int r = store_pp_insert(st, &w->row, &w->id);
    struct store_pp_event e = {.app_id = w->id, .at_ms = w->row.created_ms, .day = w->row.day,
                               .kind = w->row.postponed ? "postponed" : "approved",
                               .actor = w->who->username, .reason = w->row.reasons,
                               .due_ms = w->row.review_due_ms};
    if (r == 0)
        r = store_pp_event_insert(st, &e);
    snprintf(oid, sizeof oid, "%" PRId64, w->id);
    if (r == 0)
        r = audit_append(st, w->who, "passport.apply", "passport_application", oid, "ok",
                         w->row.status);
    return r;
}

static json_t *answer_json(const struct pp_run *d, const struct rules_result *res,
                           const char *version, bool postponed, int64_t due, struct buf *codes)
{
    enum rules_recommendation rec = rules_result_recommendation(res);
    json_t *a = json_pack("{ss ss so ss sI ss sO}", "office", d->post.code, "status",
                          postponed ? "postponed" : "approved", "reasons",
                          reasons_json(res, codes), "recommendation",
                          rules_recommendation_str(rec), "score",
                          (json_int_t)rules_result_score(res), "ruleset_version", version,
                          "matches", d->matches);
    if (a == NULL)
        return NULL;
    iso_or_null(a, "review_due", postponed ? due : 0);
    if (rec == RULES_PROTECT)
        json_object_set_new(a, "protection",
                            json_string("likely victim: refer to a protection officer for "
                                        "counselling; the postponement protects, it does not "
                                        "accuse"));
    if (!postponed && rules_result_count(res) > 0)
        json_object_set_new(a, "advice", json_string("the reasons are advice for the officer; "
                                                     "they do not postpone issuance"));
    if (json_array_size(d->sponsor_matches) > 0)
        json_object_set(a, "sponsor_matches", d->sponsor_matches);
    if (d->q.flags != NULL && json_array_size(d->q.flags) > 0)
        json_object_set(a, "flags", d->q.flags);
    json_object_set_new(a, "nik", documents_nik_json(&d->q.nikr));
    return a;
}

static int record(struct svc *s, const struct actor *who, struct pp_run *d, json_t *body,
                  const struct rules_result *res, const char *version, int64_t now)
{
    enum rules_recommendation rec = rules_result_recommendation(res);
    bool postponed = rec == RULES_REFUSE || rec == RULES_PROTECT;
    int64_t due = postponed ? now + setting(s->st, "review_days", PASSPORTS_REVIEW_DAYS) * DAY_MS
                            : 0;
    struct buf codes;
    buf_init(&codes, 16384);
    json_t *answer = answer_json(d, res, version, postponed, due, &codes);
    char day[16], *req = json_dump_str(body);
    char *ans = answer ? json_dump_str(answer) : NULL;
    char *facts = json_dump_str(d->facts);
    time_format_date(day, now);
    struct pp_write w = {.who = who};
    w.row = (struct store_pp){
        .created_ms = now, .day = day, .office = d->post.code, .officer = who->username,
        .interviewer = d->q.interviewer, .nik = d->q.nik, .name_key = d->name_key,
        .sex = d->q.sex, .age_band = d->age_band, .province = d->q.nikr.province_code,
        .purpose = d->q.purpose, .destination = d->q.destination,
        .sponsor_phone = d->q.sponsor_phone, .sponsor_company = d->q.sponsor_company,
        .matched = d->matched, .postponed = postponed,
        .status = postponed ? "postponed" : "approved",
        .recommendation = rules_recommendation_str(rec), .score = rules_result_score(res),
        .ruleset_version = version, .reasons = buf_cstr(&codes), .review_due_ms = due,
        .request = req, .answer = ans, .facts = facts};
    int r = req && ans && facts ? svc_write(s, write_application, &w) : ERR_NOMEM;
    free(req);
    free(ans);
    free(facts);
    buf_free(&codes);
    if (r < 0) {
        json_decref(answer);
        return r;
    }
    json_object_set_new(answer, "id", json_integer(w.id));
    iso_or_null(answer, "created_at", now);
    d->answer = answer;
    return 0;
}

/* Officers and supervisors with an office act for that office only. */
static bool bound(const struct actor *who)
{
    return (who->role == ROLE_PASSPORT_OFFICER || who->role == ROLE_SUPERVISOR) &&
           who->office[0] != '\0';
}

static int resolve_office(struct svc *s, const struct actor *who, struct pp_run *d,
                          struct buf *why)
{
    const char *o = d->q.office[0] ? d->q.office : who->office;
    if (bound(who) && strcmp(o, who->office) != 0) {
        buf_printf(why, "you take applications at %s only, not at %s", who->office, o);
        return ERR_FORBIDDEN;
    }
    if (*o == '\0') {
        buf_puts(why, "field 'office': is required");
        return ERR_INVALID;
    }
    int r = store_post_get(s->st, o, &d->post);
    if (r == ERR_NOTFOUND || (r == 0 && strcmp(d->post.kind, "office") != 0)) {
        buf_printf(why, "field 'office': '%s' is not a known immigration office", o);
        return ERR_INVALID;
    }
    struct store_user u;
    if (r == 0 && store_user_get_by_name(s->st, d->q.interviewer, &u) == ERR_NOTFOUND) {
        buf_printf(why, "field 'interview.interviewer': '%s' is not a known user",
                   d->q.interviewer);
        return ERR_INVALID;
    }
    return r;
}

int passports_apply(struct svc *s, const struct actor *who, json_t *body, json_t **out,
                    struct buf *why)
{
    struct pp_run d;
    struct ruleset_ref *ref = NULL;
    struct rules_result *res = NULL;
    int64_t now = time_now_ms();
    *out = NULL;
    memset(&d, 0, sizeof d);
    int r = pp_req_parse(body, who, now / DAY_MS, &d.q, why);
    if (r == 0)
        r = resolve_office(s, who, &d, why);
    if (r < 0)
        goto out;
    passports_name_key(d.q.surname, d.q.given, d.q.birth_date, d.name_key, sizeof d.name_key);
    text_copy(d.age_band, sizeof d.age_band, person_age_band(d.q.age));
    r = gather_facts(s, &d, now, why);
    if (r == 0)
        r = rulesets_active(s, "application", &ref);
    if (r == ERR_NOTFOUND)
        buf_puts(why, "no active application ruleset (lintas init installs the default)");
    if (r == 0)
        r = evaluate(ref, d.facts, &res);
    if (r == 0)
        r = record(s, who, &d, body, res, ruleset_version(ref), now);
    if (r == 0) {
        *out = d.answer;
        d.answer = NULL; /* transferred */
    }
out:
    rules_result_free(res);
    rulesets_release(ref);
    json_decref(d.facts);
    json_decref(d.answer);
    json_decref(d.matches);
    json_decref(d.sponsor_matches);
    json_decref(d.q.flags);
    return r;
}

/* ---- reading applications back ---- */

struct pp_copy {
    int64_t id, created_ms, updated_ms, review_due_ms, appeal_due_ms;
    char office[32], officer[LIMIT_USERNAME + 8], interviewer[LIMIT_USERNAME + 8];
    char status[16], rejected_by[LIMIT_USERNAME + 8];
    bool extended, postponed;
    json_t *answer;
};

static int copy_pp(void *p, const struct store_pp_row *a)
{
    struct pp_copy *c = p;
    json_error_t e;
    c->id = a->id;
    c->created_ms = a->created_ms;
    c->updated_ms = a->updated_ms;
    c->review_due_ms = a->review_due_ms;
    c->appeal_due_ms = a->appeal_due_ms;
    text_copy(c->office, sizeof c->office, a->office);
    text_copy(c->officer, sizeof c->officer, a->officer);
    text_copy(c->interviewer, sizeof c->interviewer, a->interviewer);
    text_copy(c->status, sizeof c->status, a->status);
    text_copy(c->rejected_by, sizeof c->rejected_by, a->rejected_by);
    c->extended = a->extended;
    c->postponed = a->postponed;
    json_decref(c->answer);
    c->answer = json_loads(a->answer, 0, &e);
    return c->answer ? 0 : ERR_CORRUPT;
}

/* The application as the API shows it: the screening answer with the
 * current state. */
static json_t *app_json(const struct pp_copy *c, int64_t now)
{
    json_t *a = json_deep_copy(c->answer);
    if (a == NULL)
        return NULL;
    json_object_set_new(a, "id", json_integer(c->id));
    json_object_set_new(a, "status", json_string(c->status));
    json_object_set_new(a, "officer", json_string(c->officer));
    json_object_set_new(a, "interviewer", json_string(c->interviewer));
    iso_or_null(a, "created_at", c->created_ms);
    iso_or_null(a, "updated_at", c->updated_ms);
    iso_or_null(a, "review_due", c->review_due_ms);
    iso_or_null(a, "appeal_due", c->appeal_due_ms);
    json_object_set_new(a, "extended", json_boolean(c->extended));
    json_object_set_new(a, "overdue", json_boolean(strcmp(c->status, "postponed") == 0 &&
                                                   c->review_due_ms < now));
    return a;
}

static int event_json(void *p, const struct store_pp_event *e)
{
    json_t *o = json_pack("{ss ss ss}", "kind", e->kind, "by", e->actor, "day", e->day);
    if (o == NULL)
        return ERR_NOMEM;
    iso_or_null(o, "at", e->at_ms);
    put_str(o, "reason", e->reason);
    put_str(o, "note", e->note);
    if (e->due_ms > 0)
        iso_or_null(o, "due", e->due_ms);
    if (e->late)
        json_object_set_new(o, "late", json_true());
    return json_array_append_new(p, o) == 0 ? 0 : ERR_NOMEM;
}

struct get_ctx {
    const struct actor *who;
    int64_t id;
    struct pp_copy c;
    json_t *events;
};

static int read_one(struct store *st, void *ctx)
{
    struct get_ctx *g = ctx;
    char oid[24];
    snprintf(oid, sizeof oid, "%" PRId64, g->id);
    int r = store_pp_get(st, g->id, copy_pp, &g->c);
    if (r == 0 && bound(g->who) && strcmp(g->who->office, g->c.office) != 0)
        r = ERR_FORBIDDEN;
    if (r == 0)
        r = store_pp_events(st, g->id, event_json, g->events);
    if (r == 0)
        r = audit_append(st, g->who, "passport.read", "passport_application", oid, "ok", NULL);
    return r;
}

int passports_get(struct svc *s, const struct actor *who, int64_t id, json_t **out)
{
    struct get_ctx g = {.who = who, .id = id, .events = json_array()};
    *out = NULL;
    int r = svc_write(s, read_one, &g);
    if (r == 0) {
        *out = app_json(&g.c, time_now_ms());
        if (*out == NULL)
            r = ERR_NOMEM;
        else
            json_object_set(*out, "events", g.events);
    }
    json_decref(g.events);
    json_decref(g.c.answer);
    return r;
}

/* ---- review and appeal ---- */

struct decide {
    const struct actor *who;
    int64_t id, now;
    const char *kind, *expect, *status, *reason, *note;
    int64_t review_due, appeal_due;
    bool extended, late;
    const char *rejected_by;
    struct pp_copy c;
};

/* Re-reads the application inside the write so that two reviewers cannot
 * both decide it, then writes the new state, the event and the audit. */
static int write_decision(struct store *st, void *ctx)
{
    struct decide *d = ctx;
    struct pp_copy now = {0};
    char oid[24], day[16];
    int r = store_pp_get(st, d->id, copy_pp, &now);
    if (r == 0 && strcmp(now.status, d->expect) != 0)
        r = ERR_CONFLICT;
    json_decref(now.answer);
    if (r == 0)
        r = store_pp_set_state(st, d->id, d->status, d->review_due, d->extended, d->appeal_due,
                               d->rejected_by, d->now);
    time_format_date(day, d->now);
    struct store_pp_event e = {.app_id = d->id, .at_ms = d->now, .day = day, .kind = d->kind,
                               .actor = d->who->username, .reason = d->reason, .note = d->note,
                               .late = d->late,
                               .due_ms = strcmp(d->kind, "extended") == 0 ? d->review_due : 0};
    if (r == 0)
        r = store_pp_event_insert(st, &e);
    snprintf(oid, sizeof oid, "%" PRId64, d->id);
    if (r == 0)
        r = audit_append(st, d->who, "passport.decide", "passport_application", oid, "ok",
                         d->kind);
    return r;
}

static int read_note(json_t *body, const char *const *allowed, const char **decision,
                     const char **note, const char **reason, struct buf *why)
{
    int r = json_only_keys(body, allowed, why);
    *reason = NULL;
    if (r == 0)
        r = json_get_str(body, "decision", true, 16, decision, why);
    if (r == 0)
        r = json_get_str(body, "note", false, LIMIT_NOTE, note, why);
    if (r == 0 && (*note == NULL || **note == '\0')) {
        buf_puts(why, "field 'note': is required");
        r = ERR_INVALID;
    }
    if (r == 0 && text_check_free(*note, strlen(*note), LIMIT_NOTE, true) != NULL) {
        buf_printf(why, "field 'note': %s", text_check_free(*note, strlen(*note), LIMIT_NOTE,
                                                            true));
        r = ERR_INVALID;
    }
    if (r == 0 && json_object_get(body, "reason") != NULL)
        r = json_get_str(body, "reason", false, 256, reason, why);
    if (r == 0 && *reason && text_check_free(*reason, strlen(*reason), 256, false) != NULL) {
        buf_puts(why, "field 'reason': must be one line of text");
        r = ERR_INVALID;
    }
    return r;
}

/* Loads the application and checks that who may decide it. */
static int load_for_decision(struct svc *s, const struct actor *who, struct decide *d,
                             struct buf *why)
{
    int r = store_pp_get(s->st, d->id, copy_pp, &d->c);
    if (r == ERR_NOTFOUND)
        buf_puts(why, "no such passport application");
    if (r < 0)
        return r;
    if (bound(who) && strcmp(who->office, d->c.office) != 0) {
        buf_printf(why, "this application was made at %s, not at your office", d->c.office);
        return ERR_FORBIDDEN;
    }
    if (strcmp(who->username, d->c.interviewer) == 0) {
        buf_puts(why, "you interviewed this applicant: another supervisor must decide");
        return ERR_FORBIDDEN;
    }
    if (strcmp(d->c.status, d->expect) != 0) {
        buf_printf(why, "the application is %s, not %s", d->c.status, d->expect);
        return ERR_CONFLICT;
    }
    return 0;
}

static int finish(struct svc *s, struct decide *d, json_t **out)
{
    int r = svc_write(s, write_decision, d);
    if (r == 0)
        r = passports_get(s, d->who, d->id, out);
    json_decref(d->c.answer);
    return r;
}

static int review_plan(struct svc *s, struct decide *d, const char *decision, struct buf *why)
{
    d->late = d->now > d->c.review_due_ms;
    d->review_due = d->c.review_due_ms;
    d->extended = d->c.extended;
    if (strcmp(decision, "release") == 0) {
        d->kind = d->status = "released";
        return 0;
    }
    bool reject = strcmp(decision, "reject") == 0;
    if (!reject && strcmp(decision, "extend") != 0) {
        buf_puts(why, "field 'decision': must be release, reject or extend");
        return ERR_INVALID;
    }
    if (d->reason == NULL || *d->reason == '\0') {
        buf_printf(why, "field 'reason': is required to %s", decision);
        return ERR_INVALID;
    }
    if (reject) {
        d->kind = d->status = "rejected";
        d->rejected_by = d->who->username;
        d->appeal_due = d->now + setting(s->st, "appeal_days", PASSPORTS_APPEAL_DAYS) * DAY_MS;
        return 0;
    }
    if (d->c.extended) {
        buf_puts(why, "the review deadline was extended once already");
        return ERR_CONFLICT;
    }
    d->kind = "extended";
    d->status = "postponed";
    d->extended = true;
    int64_t from = d->c.review_due_ms > d->now ? d->c.review_due_ms : d->now;
    d->review_due = from + setting(s->st, "extend_days", PASSPORTS_EXTEND_DAYS) * DAY_MS;
    return 0;
}

int passports_review(struct svc *s, const struct actor *who, int64_t id, json_t *body,
                     json_t **out, struct buf *why)
{
    static const char *const allowed[] = {"decision", "note", "reason", NULL};
    struct decide d = {.who = who, .id = id, .now = time_now_ms(), .expect = "postponed"};
    const char *decision;
    *out = NULL;
    int r = read_note(body, allowed, &decision, &d.note, &d.reason, why);
    if (r == 0)
        r = load_for_decision(s, who, &d, why);
    if (r == 0)
        r = review_plan(s, &d, decision, why);
    if (r < 0) {
        json_decref(d.c.answer);
        return r;
    }
    return finish(s, &d, out);
}

int passports_appeal(struct svc *s, const struct actor *who, int64_t id, json_t *body,
                     json_t **out, struct buf *why)
{
    static const char *const allowed[] = {"statement", NULL};
    struct decide d = {.who = who, .id = id, .now = time_now_ms(), .expect = "rejected",
                       .kind = "appealed", .status = "appealed"};
    *out = NULL;
    int r = json_only_keys(body, allowed, why);
    if (r == 0)
        r = json_get_str(body, "statement", true, LIMIT_NOTE, &d.note, why);
    if (r == 0 && (*d.note == '\0' || text_check_free(d.note, strlen(d.note), LIMIT_NOTE, true))) {
        buf_puts(why, "field 'statement': the applicant's statement is required (text)");
        r = ERR_INVALID;
    }
    if (r == 0)
        r = store_pp_get(s->st, id, copy_pp, &d.c);
    if (r == ERR_NOTFOUND)
        buf_puts(why, "no such passport application");
    if (r == 0 && bound(who) && strcmp(who->office, d.c.office) != 0) {
        buf_printf(why, "this application was made at %s, not at your office", d.c.office);
        r = ERR_FORBIDDEN;
    }
    if (r == 0 && strcmp(d.c.status, "rejected") != 0) {
        buf_printf(why, "only a rejected application can be appealed (it is %s)", d.c.status);
        r = ERR_CONFLICT;
    }
    if (r == 0 && d.now > d.c.appeal_due_ms) {
        buf_puts(why, "the appeal window has closed");
        r = ERR_CONFLICT;
    }
    if (r < 0) {
        json_decref(d.c.answer);
        return r;
    }
    d.rejected_by = d.c.rejected_by;
    d.appeal_due = d.c.appeal_due_ms;
    d.review_due = d.c.review_due_ms;
    d.extended = d.c.extended;
    return finish(s, &d, out);
}

int passports_appeal_decide(struct svc *s, const struct actor *who, int64_t id, json_t *body,
                            json_t **out, struct buf *why)
{
    static const char *const allowed[] = {"decision", "note", NULL};
    struct decide d = {.who = who, .id = id, .now = time_now_ms(), .expect = "appealed"};
    const char *decision;
    *out = NULL;
    int r = read_note(body, allowed, &decision, &d.note, &d.reason, why);
    if (r == 0 && strcmp(decision, "uphold") && strcmp(decision, "dismiss")) {
        buf_puts(why, "field 'decision': must be uphold or dismiss");
        r = ERR_INVALID;
    }
    if (r == 0)
        r = load_for_decision(s, who, &d, why);
    if (r == 0 && strcmp(who->username, d.c.rejected_by) == 0) {
        buf_puts(why, "you rejected this application: a different supervisor decides the "
                      "appeal");
        r = ERR_FORBIDDEN;
    }
    if (r < 0) {
        json_decref(d.c.answer);
        return r;
    }
    bool uphold = strcmp(decision, "uphold") == 0;
    d.kind = uphold ? "appeal_upheld" : "appeal_dismissed";
    d.status = uphold ? "upheld" : "dismissed";
    d.rejected_by = d.c.rejected_by;
    d.appeal_due = d.c.appeal_due_ms;
    d.review_due = d.c.review_due_ms;
    d.extended = d.c.extended;
    return finish(s, &d, out);
}

/* ---- queues and settings ---- */

struct queue_ctx {
    json_t *arr;
    int64_t now;
    struct pp_copy c;
};

static int queue_row(void *p, const struct store_pp_row *a)
{
    struct queue_ctx *q = p;
    int r = copy_pp(&q->c, a);
    json_t *o = r == 0 ? app_json(&q->c, q->now) : NULL;
    if (o == NULL)
        return r < 0 ? r : ERR_NOMEM;
    return json_array_append_new(q->arr, o) == 0 ? 0 : ERR_NOMEM;
}

int passports_queue(struct svc *s, const struct actor *who, const char *queue,
                    const char *office, json_t **out, struct buf *why)
{
    struct queue_ctx q = {.arr = json_array(), .now = time_now_ms()};
    const char *status = "postponed";
    int64_t due_before = 0;
    *out = NULL;
    if (queue == NULL || strcmp(queue, "review") == 0) {
        queue = "review";
    } else if (strcmp(queue, "overdue") == 0) {
        due_before = q.now;
    } else if (strcmp(queue, "appeals") == 0) {
        status = "appealed";
    } else {
        buf_puts(why, "parameter 'queue': must be review, overdue or appeals");
        json_decref(q.arr);
        return ERR_INVALID;
    }
    if (bound(who) && office != NULL && strcmp(office, who->office) != 0) {
        buf_printf(why, "you see the queue of %s only", who->office);
        json_decref(q.arr);
        return ERR_FORBIDDEN;
    }
    if (bound(who))
        office = who->office;
    int r = store_begin(s->st, true);
    if (r == 0)
        r = store_pp_list(s->st, office, status, due_before, 5000, queue_row, &q);
    if (r == 0)
        r = audit_append(s->st, who, "passport.queue", "passport_application",
                         office ? office : "*", "ok", queue);
    if (r == 0)
        r = store_commit(s->st);
    json_decref(q.c.answer);
    if (r < 0) {
        store_rollback(s->st);
        json_decref(q.arr);
        return r;
    }
    *out = q.arr;
    return 0;
}

static const char *const setting_keys[] = {"review_days", "extend_days", "appeal_days", NULL};

int passports_settings(struct svc *s, json_t **out)
{
    static const int64_t dflt[] = {PASSPORTS_REVIEW_DAYS, PASSPORTS_EXTEND_DAYS,
                                   PASSPORTS_APPEAL_DAYS};
    *out = json_object();
    for (size_t i = 0; setting_keys[i] != NULL; i++)
        json_object_set_new(*out, setting_keys[i],
                            json_integer(setting(s->st, setting_keys[i], dflt[i])));
    return 0;
}

struct settings_write {
    const struct actor *who;
    int64_t v[3];
    bool set[3];
};

static int write_settings(struct store *st, void *ctx)
{
    struct settings_write *w = ctx;
    char detail[96];
    int r = 0;
    for (size_t i = 0; i < 3 && r == 0; i++) {
        if (w->set[i])
            r = store_pp_setting_set(st, setting_keys[i], w->v[i]);
    }
    snprintf(detail, sizeof detail, "review %" PRId64 " extend %" PRId64 " appeal %" PRId64,
             w->v[0], w->v[1], w->v[2]);
    if (r == 0)
        r = audit_append(st, w->who, "passport.settings", "passport_settings", "-", "ok",
                         detail);
    return r;
}

int passports_settings_set(struct svc *s, const struct actor *who, json_t *body, json_t **out,
                           struct buf *why)
{
    struct settings_write w = {.who = who};
    *out = NULL;
    int r = json_only_keys(body, setting_keys, why);
    for (size_t i = 0; i < 3 && r == 0; i++) {
        w.set[i] = json_object_get(body, setting_keys[i]) != NULL;
        r = json_get_int(body, setting_keys[i], false, 0, 365, 0, &w.v[i], why);
        if (!w.set[i])
            w.v[i] = setting(s->st, setting_keys[i], 0);
    }
    if (r == 0)
        r = svc_write(s, write_settings, &w);
    return r == 0 ? passports_settings(s, out) : r;
}
