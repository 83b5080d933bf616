/* cases: consular cases — create, read, update, persons, protection. */
#include "services/cases.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/countries.h"
#include "domain/watchlist.h"
#include "services/audit.h"
#include "services/person_keys.h"
#include "services/svc.h"
#include "services/watchlist.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/ids.h"
#include "util/json.h"
#include "util/text.h"
#include "util/timeutil.h"

static const char *const statuses[] = {"reported",  "located",     "in_shelter",
                                       "exit_permit_pending", "repatriated", "closed", NULL};
static const char *const roles[] = {"victim", "suspect", "witness", "other", NULL};
static const char *const case_fields[] = {"situation", "location", "recruitment_method",
                                          "control_methods", "consent_to_share", "referral",
                                          "exploitation_type", "notes", NULL};

static bool in_list(const char *const *l, const char *s)
{
    for (; s != NULL && *l != NULL; l++) {
        if (strcmp(*l, s) == 0)
            return true;
    }
    return false;
}

/* Checks that obj's strings are clean text (no control characters). */
static int clean_strings(json_t *v, const char *path, struct buf *why, int depth)
{
    if (depth > 4) {
        buf_printf(why, "field '%s': nested too deeply", path);
        return ERR_INVALID;
    }
    if (json_is_string(v)) {
        const char *bad = text_check_free(json_string_value(v), json_string_length(v),
                                          LIMIT_NOTE, true);
        if (bad != NULL || strlen(json_string_value(v)) != json_string_length(v)) {
            buf_printf(why, "field '%s': %s", path, bad ? bad : "contains a NUL character");
            return ERR_INVALID;
        }
    } else if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) {
            if (clean_strings(x, path, why, depth + 1) < 0)
                return ERR_INVALID;
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            if (clean_strings(x, path, why, depth + 1) < 0)
                return ERR_INVALID;
        }
    }
    return 0;
}

/* The case body: only the case fields, each clean. New ref in *out. */
static int case_body(json_t *in, json_t *base, json_t **out, struct buf *why)
{
    json_t *b = base ? json_deep_copy(base) : json_object();
    for (const char *const *f = case_fields; *f != NULL; f++) {
        json_t *v = json_object_get(in, *f);
        if (v == NULL)
            continue;
        if (clean_strings(v, *f, why, 0) < 0) {
            json_decref(b);
            return ERR_INVALID;
        }
        if (json_is_null(v))
            json_object_del(b, *f);
        else
            json_object_set(b, *f, v);
    }
    json_t *consent = json_object_get(b, "consent_to_share");
    if (consent != NULL && !json_is_boolean(consent)) {
        buf_puts(why, "field 'consent_to_share': must be true or false");
        json_decref(b);
        return ERR_INVALID;
    }
    *out = b;
    return 0;
}

/* ---- persons ---- */

struct person_in {
    const char *role, *surname, *given, *birth_date, *nationality, *nik, *doc, *sex;
};

static int read_person(json_t *p, struct person_in *pi, struct buf *why)
{
    static const char *const allowed[] = {"role", "surname", "given_names", "birth_date",
                                          "sex", "nationality", "nik", "document_number",
                                          "notes", NULL};
    memset(pi, 0, sizeof *pi);
    if (!json_is_object(p)) {
        buf_puts(why, "field 'persons': each person must be an object");
        return ERR_INVALID;
    }
    int r = json_only_keys(p, allowed, why);
    if (r == 0)
        r = json_get_str(p, "role", true, 16, &pi->role, why);
    if (r == 0 && !in_list(roles, pi->role)) {
        buf_puts(why, "field 'role': must be victim, suspect, witness or other");
        r = ERR_INVALID;
    }
    const struct {
        const char *key;
        const char **dst;
        size_t max;
    } f[] = {{"surname", &pi->surname, 128},   {"given_names", &pi->given, 128},
             {"birth_date", &pi->birth_date, 10}, {"nationality", &pi->nationality, 3},
             {"nik", &pi->nik, 16},             {"document_number", &pi->doc, 32},
             {"sex", &pi->sex, 1}};
    for (size_t i = 0; r == 0 && i < sizeof f / sizeof f[0]; i++)
        r = json_get_str(p, f[i].key, false, f[i].max, f[i].dst, why);
    if (r == 0 && pi->nationality && !countries_known(pi->nationality)) {
        buf_puts(why, "field 'nationality': not an ICAO 9303 country code");
        r = ERR_INVALID;
    }
    if (r == 0 && !pi->surname && !pi->given) {
        buf_puts(why, "field 'surname': a person needs a name");
        r = ERR_INVALID;
    }
    if (r == 0)
        r = clean_strings(p, "persons", why, 0);
    return r;
}

/* The watchlist entry that protects a victim or flags a suspect. */
static json_t *person_entry(const char *ref, int64_t pid, const struct person_in *pi,
                            bool victim)
{
    char id[96], name[260];
    snprintf(id, sizeof id, "case-%s-%" PRId64, ref, pid);
    snprintf(name, sizeof name, "%s%s%s", pi->given ? pi->given : "",
             pi->given && pi->surname ? " " : "", pi->surname ? pi->surname : "");
    json_t *e = json_pack("{ss ss ss ss ss ss ss}", "id", id, "list", "cases", "kind", "person",
                          "name", name, "category", victim ? "protected_victim" : "trafficker",
                          "action", victim ? "protect" : "secondary_inspection", "notes",
                          victim ? "repatriated victim of trafficking (consular case)"
                                 : "suspect in a consular case");
    if (pi->birth_date)
        json_object_set_new(e, "birth_date", json_string(pi->birth_date));
    if (pi->nationality)
        json_object_set_new(e, "nationality", json_string(pi->nationality));
    if (pi->doc)
        json_object_set_new(e, "document_numbers", json_pack("[s]", pi->doc));
    return e;
}

/* Entries written inside the transaction, indexed after the commit. */
struct pending {
    size_t n;
    int64_t ids[64];
    struct wl_entry e[64];
};

static int protect_person(struct svc *s, const struct actor *who, const char *ref, int64_t pid,
                          const struct person_in *pi, bool victim, struct pending *pd,
                          struct buf *why)
{
    if (pd->n == sizeof pd->ids / sizeof pd->ids[0])
        return ERR_LIMIT;
    json_t *body = person_entry(ref, pid, pi, victim);
    int r = watchlist_write_in_txn(s, who, body, &pd->ids[pd->n], &pd->e[pd->n], why);
    json_decref(body);
    if (r == 0)
        r = store_case_person_set_entry(s->st, pid, pd->ids[pd->n]);
    if (r == 0)
        pd->n++;
    return r;
}

static void pending_index(struct svc *s, struct pending *pd, bool committed)
{
    for (size_t i = 0; i < pd->n; i++) {
        if (committed)
            watchlist_index(s, pd->ids[i], &pd->e[i]);
        wl_entry_free(&pd->e[i]);
    }
    pd->n = 0;
}

static int add_person(struct svc *s, const struct actor *who, int64_t case_id, const char *ref,
                      const char *status, json_t *pj, struct pending *pd, struct buf *why)
{
    struct person_in pi;
    char nk[200], dk[48], oid[24];
    int r = read_person(pj, &pi, why);
    if (r < 0)
        return r;
    person_name_key(pi.surname, pi.given, pi.birth_date, nk, sizeof nk);
    person_doc_key(pi.nationality, pi.doc, dk, sizeof dk);
    char *body = json_dumps(pj, JSON_COMPACT);
    struct store_case_person p = {.case_id = case_id, .role = pi.role, .nik = pi.nik,
                                  .doc_key = dk, .name_key = nk, .body = body};
    int64_t pid;
    r = body ? store_case_person_add(s->st, &p, &pid) : ERR_NOMEM;
    free(body);
    snprintf(oid, sizeof oid, "%" PRId64, case_id);
    if (r == 0)
        r = audit_append(s->st, who, "case.person.add", "case", oid, "ok", pi.role);
    bool home = strcmp(status, "repatriated") == 0 || strcmp(status, "closed") == 0;
    if (r == 0 && strcmp(pi.role, "suspect") == 0)
        r = protect_person(s, who, ref, pid, &pi, false, pd, why);
    else if (r == 0 && strcmp(pi.role, "victim") == 0 && home)
        r = protect_person(s, who, ref, pid, &pi, true, pd, why);
    return r;
}

/* ---- use cases ---- */

static int finish(struct svc *s, int r, struct pending *pd)
{
    if (r == 0)
        r = store_commit(s->st);
    if (r < 0)
        store_rollback(s->st);
    pending_index(s, pd, r == 0);
    return r;
}

int cases_create(struct svc *s, const struct actor *who, json_t *body, json_t **out,
                 struct buf *why)
{
    static const char *const allowed[] = {"situation", "location", "recruitment_method",
                                          "control_methods", "consent_to_share", "referral",
                                          "exploitation_type", "notes", "persons", "status",
                                          "reference", NULL};
    struct pending *pd = calloc(1, sizeof *pd);
    json_t *cb = NULL;
    const char *status = "reported", *ref = NULL;
    char refbuf[24], *btxt = NULL;
    int64_t id = 0;
    *out = NULL;
    int r = pd ? json_only_keys(body, allowed, why) : ERR_NOMEM;
    if (r == 0)
        r = json_get_str(body, "status", false, 32, &status, why);
    if (r == 0 && status == NULL)
        status = "reported";
    if (r == 0 && !in_list(statuses, status)) {
        buf_puts(why, "field 'status': must be reported, located, in_shelter, "
                      "exit_permit_pending, repatriated or closed");
        r = ERR_INVALID;
    }
    if (r == 0)
        r = json_get_str(body, "reference", false, 64, &ref, why);
    if (r == 0 && ref == NULL) {
        ids_random_hex(refbuf, 6);
        ref = refbuf;
    }
    json_t *persons = json_object_get(body, "persons");
    if (r == 0 && persons != NULL && (!json_is_array(persons) || json_array_size(persons) > 32)) {
        buf_puts(why, "field 'persons': must be an array of at most 32 persons");
        r = ERR_INVALID;
    }
    if (r == 0)
        r = case_body(body, NULL, &cb, why);
    if (r == 0 && (btxt = json_dumps(cb, JSON_COMPACT)) == NULL)
        r = ERR_NOMEM;
    if (r < 0)
        goto out;
    json_t *loc = json_object_get(cb, "location");
    const char *country = json_string_value(json_object_get(loc, "country"));
    int64_t now = time_now_ms();
    struct store_case k = {.reference = ref, .status = status, .office = who->office,
                           .officer = who->username, .country = country, .body = btxt,
                           .source = json_object_get(cb, "referral") ? "referral" : "local",
                           .created_ms = now, .updated_ms = now};
    char oid[24];
    if ((r = store_begin(s->st, true)) < 0)
        goto out;
    r = store_case_insert(s->st, &k, &id);
    if (r == ERR_EXISTS)
        buf_puts(why, "field 'reference': a case with this reference exists");
    snprintf(oid, sizeof oid, "%" PRId64, id);
    if (r == 0)
        r = store_case_event_add(s->st, id, now, who->username, "opened", status, NULL);
    if (r == 0)
        r = audit_append(s->st, who, "case.create", "case", oid, "ok", status);
    for (size_t i = 0; r == 0 && i < json_array_size(persons); i++)
        r = add_person(s, who, id, ref, status, json_array_get(persons, i), pd, why);
    r = finish(s, r, pd);
    if (r == 0)
        r = cases_get(s, who, id, out);
out:
    json_decref(cb);
    free(btxt);
    free(pd);
    return r;
}

struct case_copy {
    int64_t id;
    char status[32], reference[72];
    json_t *body;
    json_t *json;
};

static int copy_case(void *p, const struct store_case *k)
{
    struct case_copy *c = p;
    json_error_t e;
    c->id = k->id;
    text_copy(c->status, sizeof c->status, k->status);
    text_copy(c->reference, sizeof c->reference, k->reference);
    c->body = json_loads(k->body, 0, &e);
    if (c->body == NULL)
        return ERR_CORRUPT;
    char created[32], updated[32];
    time_format_iso(created, k->created_ms);
    time_format_iso(updated, k->updated_ms);
    c->json = json_deep_copy(c->body);
    json_object_set_new(c->json, "id", json_integer(k->id));
    json_object_set_new(c->json, "reference", json_string(k->reference));
    json_object_set_new(c->json, "status", json_string(k->status));
    json_object_set_new(c->json, "office", json_string(k->office));
    json_object_set_new(c->json, "officer", json_string(k->officer));
    json_object_set_new(c->json, "source", json_string(k->source));
    json_object_set_new(c->json, "created_at", json_string(created));
    json_object_set_new(c->json, "updated_at", json_string(updated));
    return 0;
}

static int person_json(void *p, const struct store_case_person *cp)
{
    json_error_t e;
    json_t *o = json_loads(cp->body, 0, &e);
    if (o == NULL)
        return ERR_CORRUPT;
    json_object_set_new(o, "person_id", json_integer(cp->id));
    if (cp->watchlist_entry > 0) {
        char id[24];
        snprintf(id, sizeof id, "%" PRId64, cp->watchlist_entry);
        json_object_set_new(o, "watchlist_entry_id", json_string(id));
    }
    return json_array_append_new(p, o) == 0 ? 0 : ERR_NOMEM;
}

static int event_json(void *p, int64_t at, const char *actor, const char *kind,
                      const char *status, const char *text)
{
    char ts[32];
    time_format_iso(ts, at);
    json_t *o = json_pack("{ss ss ss}", "at", ts, "by", actor, "kind", kind);
    if (status[0])
        json_object_set_new(o, "status", json_string(status));
    if (text[0])
        json_object_set_new(o, "text", json_string(text));
    return json_array_append_new(p, o) == 0 ? 0 : ERR_NOMEM;
}

int cases_get(struct svc *s, const struct actor *who, int64_t id, json_t **out)
{
    struct case_copy c = {0};
    json_t *persons = json_array(), *events = json_array();
    char oid[24];
    *out = NULL;
    snprintf(oid, sizeof oid, "%" PRId64, id);
    int r = store_begin(s->st, true);
    if (r < 0)
        return r;
    r = store_case_get(s->st, id, copy_case, &c);
    if (r == 0)
        r = store_case_persons(s->st, id, person_json, persons);
    if (r == 0)
        r = store_case_events(s->st, id, event_json, events);
    if (r == 0)
        r = audit_append(s->st, who, "case.read", "case", oid, "ok", NULL);
    r = r == 0 ? store_commit(s->st) : r;
    if (r < 0) {
        store_rollback(s->st);
        json_decref(persons);
        json_decref(events);
        json_decref(c.json);
    } else {
        json_object_set_new(c.json, "persons", persons);
        json_object_set_new(c.json, "timeline", events);
        *out = c.json;
    }
    json_decref(c.body);
    return r;
}

static int list_case(void *p, const struct store_case *k)
{
    struct case_copy c = {0};
    int r = copy_case(&c, k);
    json_decref(c.body);
    if (r == 0 && json_array_append_new(p, c.json) != 0)
        r = ERR_NOMEM;
    return r;
}

int cases_list(struct svc *s, const struct actor *who, const char *status, json_t **out,
               struct buf *why)
{
    json_t *arr = json_array();
    *out = NULL;
    if (status != NULL && !in_list(statuses, status)) {
        buf_puts(why, "parameter 'status': not a case status");
        json_decref(arr);
        return ERR_INVALID;
    }
    int r = store_begin(s->st, true);
    if (r == 0)
        r = store_case_list(s->st, status, 1000, list_case, arr);
    if (r == 0)
        r = audit_append(s->st, who, "case.list", "case", "*", "ok", status);
    r = r == 0 ? store_commit(s->st) : r;
    if (r < 0) {
        store_rollback(s->st);
        json_decref(arr);
        return r;
    }
    *out = arr;
    return 0;
}

/* Victims of a case that has just reached repatriated become protected. */
struct protect_ctx {
    struct svc *s;
    const struct actor *who;
    const char *ref;
    struct pending *pd;
    struct buf *why;
    int64_t pending_ids[64];
    char *bodies[64];
    size_t n;
};

static int collect_victim(void *p, const struct store_case_person *cp)
{
    struct protect_ctx *pc = p;
    if (strcmp(cp->role, "victim") != 0 || cp->watchlist_entry > 0 || pc->n == 64)
        return 0;
    pc->pending_ids[pc->n] = cp->id;
    pc->bodies[pc->n] = strdup(cp->body);
    return pc->bodies[pc->n++] ? 0 : ERR_NOMEM;
}

static int protect_victims(struct protect_ctx *pc, int64_t case_id)
{
    int r = store_case_persons(pc->s->st, case_id, collect_victim, pc);
    for (size_t i = 0; i < pc->n; i++) {
        json_error_t e;
        json_t *pj = r == 0 ? json_loads(pc->bodies[i], 0, &e) : NULL;
        struct person_in pi;
        if (r == 0)
            r = pj && read_person(pj, &pi, pc->why) == 0 ? 0 : ERR_CORRUPT;
        if (r == 0)
            r = protect_person(pc->s, pc->who, pc->ref, pc->pending_ids[i], &pi, true, pc->pd,
                               pc->why);
        json_decref(pj);
        free(pc->bodies[i]);
    }
    return r;
}

int cases_update(struct svc *s, const struct actor *who, int64_t id, json_t *patch,
                 json_t **out, struct buf *why)
{
    static const char *const allowed[] = {"situation", "location", "recruitment_method",
                                          "control_methods", "consent_to_share", "referral",
                                          "exploitation_type", "notes", "status", "note", NULL};
    struct case_copy c = {0};
    struct pending *pd = calloc(1, sizeof *pd);
    const char *status = NULL, *note = NULL;
    json_t *nb = NULL;
    char *btxt = NULL, oid[24];
    *out = NULL;
    int r = pd ? json_only_keys(patch, allowed, why) : ERR_NOMEM;
    if (r == 0)
        r = json_get_str(patch, "status", false, 32, &status, why);
    if (r == 0)
        r = json_get_str(patch, "note", false, LIMIT_NOTE, &note, why);
    if (r == 0 && status && !in_list(statuses, status)) {
        buf_puts(why, "field 'status': not a case status");
        r = ERR_INVALID;
    }
    if (r == 0 && note && text_check_free(note, strlen(note), LIMIT_NOTE, true)) {
        buf_puts(why, "field 'note': contains a control character or invalid UTF-8");
        r = ERR_INVALID;
    }
    if (r < 0 || (r = store_begin(s->st, true)) < 0)
        goto out;
    r = store_case_get(s->st, id, copy_case, &c);
    if (r == ERR_NOTFOUND)
        buf_puts(why, "no such case");
    if (r == 0)
        r = case_body(patch, c.body, &nb, why);
    if (r == 0 && (btxt = json_dumps(nb, JSON_COMPACT)) == NULL)
        r = ERR_NOMEM;
    const char *ns = status ? status : c.status;
    int64_t now = time_now_ms();
    snprintf(oid, sizeof oid, "%" PRId64, id);
    if (r == 0)
        r = store_case_update(s->st, id, ns, btxt, now);
    if (r == 0 && (status || note))
        r = store_case_event_add(s->st, id, now, who->username, status ? "status" : "note",
                                 status, note);
    if (r == 0)
        r = audit_append(s->st, who, "case.update", "case", oid, "ok", status);
    bool home = strcmp(ns, "repatriated") == 0 || strcmp(ns, "closed") == 0;
    if (r == 0 && home) {
        struct protect_ctx pc = {s, who, c.reference, pd, why, {0}, {0}, 0};
        r = protect_victims(&pc, id);
    }
    r = finish(s, r, pd);
    if (r == 0)
        r = cases_get(s, who, id, out);
    goto done;
out:
    if (r < 0 && pd != NULL)
        pending_index(s, pd, false);
done:
    json_decref(c.body);
    json_decref(c.json);
    json_decref(nb);
    free(btxt);
    free(pd);
    return r;
}

int cases_add_person(struct svc *s, const struct actor *who, int64_t id, json_t *person,
                     json_t **out, struct buf *why)
{
    struct case_copy c = {0};
    struct pending *pd = calloc(1, sizeof *pd);
    *out = NULL;
    int r = pd ? store_begin(s->st, true) : ERR_NOMEM;
    if (r < 0) {
        free(pd);
        return r;
    }
    r = store_case_get(s->st, id, copy_case, &c);
    if (r == ERR_NOTFOUND)
        buf_puts(why, "no such case");
    if (r == 0)
        r = add_person(s, who, id, c.reference, c.status, person, pd, why);
    if (r == 0)
        r = store_case_event_add(s->st, id, time_now_ms(), who->username, "person", NULL,
                                 json_string_value(json_object_get(person, "role")));
    r = finish(s, r, pd);
    if (r == 0)
        r = cases_get(s, who, id, out);
    json_decref(c.body);
    json_decref(c.json);
    free(pd);
    return r;
}

static int note_json(void *p, int64_t id, int64_t at, const char *kind, const char *otype,
                     const char *oid, const char *text)
{
    char ts[32];
    time_format_iso(ts, at);
    return json_array_append_new(p, json_pack("{sI ss ss ss ss ss}", "id", (json_int_t)id,
                                              "at", ts, "kind", kind, "object_type", otype,
                                              "object_id", oid, "text", text)) == 0
               ? 0
               : ERR_NOMEM;
}

int cases_notifications(struct svc *s, const struct actor *who, json_t **out)
{
    json_t *arr = json_array();
    int r = store_notifications(s->st, who->username, 200, note_json, arr);
    if (r < 0) {
        json_decref(arr);
        arr = NULL;
    }
    *out = arr;
    return r;
}

/* ---- for screening ---- */

static int facts_row(void *p, const struct store_case_person *cp)
{
    struct cases_person_facts *f = p;
    if (strcmp(cp->role, "victim") != 0)
        return 0;
    if (strcmp(cp->case_status, "repatriated") == 0 || strcmp(cp->case_status, "closed") == 0)
        f->past_victim = true;
    else
        f->open_case = true;
    return 0;
}

int cases_person_facts(struct store *st, const char *nik, const char *doc_key,
                       const char *name_key, struct cases_person_facts *f)
{
    memset(f, 0, sizeof *f);
    return store_case_find_person(st, nik, doc_key, name_key, facts_row, f);
}

struct notify_ctx {
    struct store *st;
    const char *what;
    int64_t last_case;
};

static int notify_row(void *p, const struct store_case_person *cp)
{
    struct notify_ctx *n = p;
    char oid[24], text[512];
    if (cp->case_id == n->last_case)
        return 0;
    n->last_case = cp->case_id;
    snprintf(oid, sizeof oid, "%" PRId64, cp->case_id);
    snprintf(text, sizeof text, "a %s of case %" PRId64 " was %s", cp->role, cp->case_id,
             n->what);
    return store_notify(n->st, cp->case_officer, "case.person_seen", "case", oid, text,
                        time_now_ms());
}

int cases_notify_screened(struct store *st, const char *nik, const char *doc_key,
                          const char *name_key, const char *what)
{
    struct notify_ctx n = {st, what, 0};
    return store_case_find_person(st, nik, doc_key, name_key, notify_row, &n);
}

struct one_person {
    int64_t pid, entry;
    char *body;
};

static int find_pid(void *p, const struct store_case_person *cp)
{
    struct one_person *o = p;
    if (cp->id != o->pid)
        return 0;
    o->entry = cp->watchlist_entry;
    o->body = strdup(cp->body);
    return o->body ? 1 : ERR_NOMEM;
}

int cases_set_role(struct svc *s, const struct actor *who, int64_t id, int64_t pid,
                   const char *role, json_t **out, struct buf *why)
{
    struct case_copy c = {0};
    struct one_person o = {.pid = pid};
    struct pending *pd = calloc(1, sizeof *pd);
    json_t *pj = NULL;
    char oid[24];
    *out = NULL;
    if (!in_list(roles, role)) {
        buf_puts(why, "field 'role': must be victim, suspect, witness or other");
        free(pd);
        return ERR_INVALID;
    }
    int r = pd ? store_begin(s->st, true) : ERR_NOMEM;
    if (r < 0) {
        free(pd);
        return r;
    }
    r = store_case_get(s->st, id, copy_case, &c);
    if (r == 0)
        r = store_case_persons(s->st, id, find_pid, &o);
    if (r == 0) {
        buf_puts(why, "no such person in this case");
        r = ERR_NOTFOUND;
    } else if (r == 1) {
        r = 0;
    }
    /* The old role's watchlist entry goes; the new role gets its own. */
    if (r == 0 && o.entry > 0) {
        char eid[24];
        snprintf(eid, sizeof eid, "%" PRId64, o.entry);
        r = store_wl_delete(s->st, o.entry);
        r = r == ERR_NOTFOUND ? 0 : r;
        if (r == 0)
            r = audit_append(s->st, who, "watchlist.delete", "watchlist_entry", eid, "ok",
                             "case role changed");
    }
    json_error_t e;
    if (r == 0 && (pj = json_loads(o.body, 0, &e)) == NULL)
        r = ERR_CORRUPT;
    if (r == 0)
        json_object_set_new(pj, "role", json_string(role));
    char *nbody = r == 0 ? json_dumps(pj, JSON_COMPACT) : NULL;
    if (r == 0)
        r = nbody ? store_case_person_set_role(s->st, pid, role, nbody) : ERR_NOMEM;
    free(nbody);
    if (r == 0)
        r = store_case_person_set_entry(s->st, pid, 0);
    struct person_in pi;
    bool home = strcmp(c.status, "repatriated") == 0 || strcmp(c.status, "closed") == 0;
    if (r == 0)
        r = read_person(pj, &pi, why);
    if (r == 0 && strcmp(role, "suspect") == 0)
        r = protect_person(s, who, c.reference, pid, &pi, false, pd, why);
    else if (r == 0 && strcmp(role, "victim") == 0 && home)
        r = protect_person(s, who, c.reference, pid, &pi, true, pd, why);
    snprintf(oid, sizeof oid, "%" PRId64, id);
    if (r == 0)
        r = store_case_event_add(s->st, id, time_now_ms(), who->username, "role", NULL, role);
    if (r == 0)
        r = audit_append(s->st, who, "case.person.role", "case", oid, "ok", role);
    if (r == 0)
        r = store_commit(s->st);
    if (r < 0)
        store_rollback(s->st);
    if (r == 0 && o.entry > 0) {
        /* Before the new entry is indexed: it may reuse the old store id. */
        char eid[24];
        snprintf(eid, sizeof eid, "%" PRId64, o.entry);
        watchlist_unindex(s, eid);
    }
    pending_index(s, pd, r == 0);
    if (r == 0)
        r = cases_get(s, who, id, out);
    json_decref(pj);
    json_decref(c.body);
    json_decref(c.json);
    free(o.body);
    free(pd);
    return r;
}
