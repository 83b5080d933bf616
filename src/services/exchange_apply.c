/* exchange_apply: the applier thread, which turns received messages into
 * effect, each exactly once (inbox state received -> applied, in the same
 * transaction as the effect, or made idempotent by the partner's ids):
 * an alert becomes an entry in the partner's watchlist (the list named
 * after the peer, expiry bounded by the agreement's retention), a
 * withdrawal removes it, the higher version wins; a referral opens a
 * consular case (or notes an update on it); a bulletin's indicators are
 * kept per indicator id and version and feed screening; a query waits in
 * the focal point's queue with its reply deadline. The same thread starts
 * sender threads for peers added while serving. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/envelope.h"
#include "domain/exlog.h"
#include "domain/names.h"
#include "domain/policy.h"
#include "domain/roles.h"
#include "domain/watchlist.h"
#include "services/audit.h"
#include "services/cases.h"
#include "services/exchange.h"
#include "services/exchange_int.h"
#include "services/svc.h"
#include "services/watchlist.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/log.h"
#include "util/text.h"
#include "util/timeutil.h"

struct in_msg {
    int64_t id, received_ms;
    char msg_id[33], peer[ENVELOPE_NODE_MAX + 1], type[ENVELOPE_TYPE_MAX + 1];
    char *payload;
};

struct apply {
    struct svc *s;
    struct exchange *ex;
    struct actor who;
    const struct in_msg *m;
    json_t *p;
    const char *state; /* applied or rejected */
    char result[512];
    /* alerts */
    int64_t entry, unindex;
    struct wl_entry e;
    bool index;
};

static int mark(struct store *st, struct apply *a)
{
    unsigned char id[ENVELOPE_ID_LEN];
    envelope_id_parse(a->m->msg_id, id);
    bool ok = strcmp(a->state, "applied") == 0;
    int r = store_ex_in_apply(st, a->m->id, a->state, a->result, time_now_ms());
    if (r == 0)
        r = ex_log(st, time_now_ms(), ok ? EXLOG_APPLY : EXLOG_REJECT, a->m->peer, id,
                   a->m->type, NULL, a->result);
    if (r == 0)
        r = audit_append(st, &a->who, "exchange.apply", "message", a->m->msg_id,
                         ok ? "ok" : "failed", a->result);
    return r;
}

static int mark_fn(struct store *st, void *ctx)
{
    return mark(st, ctx);
}

/* ---- alerts ---- */

static const char *alert_kind(const char *type, json_t *p)
{
    const char *k = json_string_value(json_object_get(p, "kind"));
    if (k != NULL)
        return k;
    const char *dot = strchr(type, '.');
    return dot != NULL && strcmp(dot + 1, "update") != 0 ? dot + 1 : "person";
}

/* The watchlist entry of a partner alert: the partner's fields, in the
 * list named after the peer, kept at most the agreed retention. */
static json_t *alert_entry(struct apply *a, const char *aid)
{
    static const char *const keys[] = {"name", "aliases", "birth_date", "nationality",
                                       "document_numbers", "category", "action", "notes", NULL};
    char src[96], until[16];
    snprintf(src, sizeof src, "exchange:%s", a->m->peer);
    json_t *e = json_pack("{ss ss ss ss}", "id", aid, "list", a->m->peer, "source", src, "kind",
                          alert_kind(a->m->type, a->p));
    for (const char *const *k = keys; *k != NULL; k++) {
        json_t *v = json_object_get(a->p, *k);
        if (v != NULL && !json_is_null(v))
            json_object_set(e, *k, v);
    }
    if (json_object_get(e, "action") == NULL)
        json_object_set_new(e, "action", json_string("notify_focal_point"));
    struct ex_peer peer;
    struct policy_terms terms = {.retention_days = 365};
    if (ex_peer_find(a->ex, a->m->peer, &peer) == 0)
        policy_terms(peer.pol, a->m->peer, a->ex->node_id, a->m->type, &terms);
    time_format_date(until, a->m->received_ms + (int64_t)terms.retention_days * 86400000);
    const char *vu = json_string_value(json_object_get(a->p, "valid_until"));
    json_object_set_new(e, "valid_until", json_string(vu && strcmp(vu, until) < 0 ? vu : until));
    return e;
}

static int apply_alert(struct store *st, void *ctx)
{
    struct apply *a = ctx;
    const char *aid = json_string_value(json_object_get(a->p, "id"));
    int64_t ver = json_integer_value(json_object_get(a->p, "version"));
    int64_t have = 0, entry = 0;
    bool withdrawn = false;
    int r = store_ex_alert_get(st, a->m->peer, aid, &have, &entry, &withdrawn);
    if (r < 0 && r != ERR_NOTFOUND)
        return r;
    if (r == 0 && ver <= have) {
        snprintf(a->result, sizeof a->result, "version %" PRId64 " is not newer than %" PRId64
                                              ": ignored", ver, have);
        return mark(st, a);
    }
    json_t *body = alert_entry(a, aid);
    struct buf why;
    buf_init(&why, 400);
    r = watchlist_write_in_txn(a->s, &a->who, body, &a->entry, &a->e, &why);
    json_decref(body);
    if (r == ERR_INVALID) {
        a->state = "rejected";
        snprintf(a->result, sizeof a->result, "not a usable watchlist entry: %s", buf_cstr(&why));
        buf_free(&why);
        return mark(st, a);
    }
    buf_free(&why);
    a->index = r == 0;
    if (r == 0)
        r = store_ex_alert_put(st, a->m->peer, aid, ver, a->entry, false);
    snprintf(a->result, sizeof a->result, "watchlist entry %" PRId64 " in list %s", a->entry,
             a->m->peer);
    return r == 0 ? mark(st, a) : r;
}

static int apply_withdraw(struct store *st, void *ctx)
{
    struct apply *a = ctx;
    const char *aid = json_string_value(json_object_get(a->p, "id"));
    int64_t ver = json_integer_value(json_object_get(a->p, "version"));
    int64_t have = 0, entry = 0;
    bool withdrawn = false;
    int r = store_ex_alert_get(st, a->m->peer, aid, &have, &entry, &withdrawn);
    if (r < 0 && r != ERR_NOTFOUND)
        return r;
    if (r == 0 && (withdrawn || ver <= have)) {
        snprintf(a->result, sizeof a->result, "already withdrawn or newer: ignored");
        return mark(st, a);
    }
    if (entry > 0) {
        char oid[24];
        snprintf(oid, sizeof oid, "%" PRId64, entry);
        r = store_wl_delete(st, entry);
        r = r == ERR_NOTFOUND ? 0 : r;
        if (r == 0)
            r = audit_append(st, &a->who, "watchlist.delete", "watchlist_entry", oid, "ok",
                             "withdrawn by the partner");
        a->unindex = entry;
    }
    if (r == 0)
        r = store_ex_alert_put(st, a->m->peer, aid, ver, 0, true);
    snprintf(a->result, sizeof a->result, "alert %s withdrawn%s", aid,
             entry > 0 ? "; watchlist entry removed" : " before it arrived");
    return r == 0 ? mark(st, a) : r;
}

/* ---- bulletins ---- */

/* An indicator's value as it is compared: a phone in its international
 * form (names_phone_normalise), anything else as its letters and digits,
 * upper-cased. */
static void normalise(const char *kind, const char *v, char *out, size_t n)
{
    size_t k = 0;
    char ph[NAMES_DOC_MAX];
    if (strcmp(kind, "phone") == 0) {
        if (names_phone_normalise(v, ph) != 0)
            ph[0] = '\0';
        snprintf(out, n, "%s", ph);
        return;
    }
    for (const unsigned char *p = (const unsigned char *)v; *p && k + 1 < n; p++) {
        if (isalnum(*p) || *p >= 0x80)
            out[k++] = (char)toupper(*p);
    }
    out[k] = '\0';
}

static int apply_bulletin(struct store *st, void *ctx)
{
    struct apply *a = ctx;
    const char *bid = json_string_value(json_object_get(a->p, "bulletin_id"));
    json_t *inds = json_object_get(a->p, "indicators");
    size_t i, took = 0, skipped = 0;
    json_t *it;
    int r = 0;
    json_array_foreach(inds, i, it) {
        const char *iid = json_string_value(json_object_get(it, "indicator_id"));
        const char *kind = json_string_value(json_object_get(it, "kind"));
        const char *val = json_string_value(json_object_get(it, "value"));
        int64_t ver = json_integer_value(json_object_get(it, "version")), have = 0;
        char norm[1100];
        normalise(kind, val ? val : "", norm, sizeof norm);
        r = store_ex_ind_version(st, a->m->peer, iid, &have);
        if (r < 0)
            break;
        if (ver <= have) {
            skipped++;
            continue;
        }
        struct store_ex_ind row = {
            .peer = a->m->peer, .indicator_id = iid, .kind = kind, .norm = norm,
            .bulletin_id = bid, .version = ver,
            .valid_until = json_string_value(json_object_get(it, "valid_until")),
            .revoked = json_is_true(json_object_get(it, "revoked"))};
        /* Before the commit, so that every screening after it looks. */
        atomic_store(&a->s->indicators, SVC_IND_SOME);
        if ((r = store_ex_ind_put(st, &row)) < 0)
            break;
        took++;
    }
    snprintf(a->result, sizeof a->result, "bulletin %s: %zu indicators applied, %zu not newer",
             bid, took, skipped);
    return r == 0 ? mark(st, a) : r;
}

static int apply_other(struct store *st, void *ctx)
{
    struct apply *a = ctx;
    if (strcmp(a->m->type, "query") == 0)
        text_copy(a->result, sizeof a->result, "in the focal point's queue");
    else if (a->result[0] == '\0')
        snprintf(a->result, sizeof a->result, "%s stored", a->m->type);
    return mark(st, a);
}

/* ---- referrals ---- */

static json_t *referral_person(json_t *v)
{
    char given[300];
    const char *first = json_string_value(json_object_get(v, "first_name"));
    const char *mid = json_string_value(json_object_get(v, "middle_name"));
    const char *sur = json_string_value(json_object_get(v, "second_name"));
    const char *nat = json_string_value(json_object_get(v, "nationality"));
    const char *bd = json_string_value(json_object_get(v, "birthdate"));
    const char *g = json_string_value(json_object_get(v, "gender"));
    snprintf(given, sizeof given, "%s%s%s", first ? first : "", first && mid ? " " : "",
             mid ? mid : "");
    if (given[0] == '\0' && sur == NULL)
        return NULL;
    json_t *p = json_pack("{ss}", "role", "victim");
    if (sur)
        json_object_set_new(p, "surname", json_string(sur));
    if (given[0])
        json_object_set_new(p, "given_names", json_string(given));
    if (bd && strlen(bd) <= 10)
        json_object_set_new(p, "birth_date", json_string(bd));
    if (nat && strlen(nat) == 3)
        json_object_set_new(p, "nationality", json_string(nat));
    if (g && (g[0] == 'M' || g[0] == 'F' || g[0] == 'm' || g[0] == 'f'))
        json_object_set_new(p, "sex", json_string(g[0] == 'M' || g[0] == 'm' ? "M" : "F"));
    json_t *docs = json_object_get(v, "document_numbers");
    const char *doc = json_string_value(json_array_get(docs, 0));
    if (doc && strlen(doc) <= 32)
        json_object_set_new(p, "document_number", json_string(doc));
    return p;
}

static json_t *referral_case(const struct apply *a, const char *rid, const char *ref)
{
    static const char *const keys[] = {"referral_id", "status", "referring_organisation",
                                       "outgoing_referral_date", "reason_for_outgoing_referral",
                                       "outgoing_referral_details", NULL};
    json_t *ri = json_pack("{ss ss}", "from", a->m->peer, "message_id", a->m->msg_id);
    for (const char *const *k = keys; *k != NULL; k++) {
        json_t *v = json_object_get(a->p, *k);
        if (v != NULL && !json_is_null(v))
            json_object_set(ri, *k, v);
    }
    json_t *persons = json_array(), *victims = json_object_get(a->p, "victims"), *v;
    size_t i;
    const char *place = NULL;
    json_array_foreach(victims, i, v) {
        json_t *p = referral_person(v);
        if (p != NULL)
            json_array_append_new(persons, p);
        if (place == NULL)
            place = json_string_value(json_object_get(v, "location"));
    }
    json_t *c = json_pack("{ss so so}", "reference", ref, "referral", ri, "persons", persons);
    if (place != NULL)
        json_object_set_new(c, "location", json_pack("{ss}", "place", place));
    const char *details = json_string_value(json_object_get(a->p, "outgoing_referral_details"));
    if (details != NULL)
        json_object_set_new(c, "notes", json_string(details));
    (void)rid;
    return c;
}

struct find_ref {
    const char *ref;
    int64_t id;
};

static int find_case_ref(void *ctx, const struct store_case *k)
{
    struct find_ref *f = ctx;
    if (strcmp(k->reference, f->ref) == 0) {
        f->id = k->id;
        return 1;
    }
    return 0;
}

static int put_ref(struct store *st, void *ctx)
{
    struct apply *a = ctx;
    const char *rid = json_string_value(json_object_get(a->p, "referral_id"));
    int r = store_ex_ref_put(st, a->m->peer, rid, a->entry);
    return r == 0 ? mark(st, a) : r;
}

/* cases_create commits on its own; the case reference made from the
 * partner's referral id makes a second attempt find the first case. */
static int apply_referral(struct apply *a)
{
    const char *rid = json_string_value(json_object_get(a->p, "referral_id"));
    char ref[65];
    snprintf(ref, sizeof ref, "%.20s-%.43s", a->m->peer, rid);
    int64_t cid = 0;
    struct buf why;
    buf_init(&why, 512);
    json_t *out = NULL;
    int r = store_ex_ref_get(a->s->st, a->m->peer, rid, &cid);
    if (r == 0) {
        char note[600];
        const char *st = json_string_value(json_object_get(a->p, "status"));
        snprintf(note, sizeof note, "referral %s updated by %s (status %s)", rid, a->m->peer,
                 st ? st : "unchanged");
        json_t *patch = json_pack("{ss}", "note", note);
        r = cases_update(a->s, &a->who, cid, patch, &out, &why);
        json_decref(patch);
    } else if (r == ERR_NOTFOUND) {
        json_t *body = referral_case(a, rid, ref);
        r = cases_create(a->s, &a->who, body, &out, &why);
        json_decref(body);
        cid = json_integer_value(json_object_get(out, "id"));
        if (r == ERR_EXISTS || (r == ERR_INVALID && strstr(buf_cstr(&why), "exists"))) {
            struct find_ref f = {ref, 0};
            r = store_case_list(a->s->st, NULL, INT64_MAX, find_case_ref, &f);
            r = r < 0 ? r : f.id > 0 ? 0 : ERR_NOTFOUND;
            cid = f.id;
        }
    }
    json_decref(out);
    if (r == ERR_INVALID) {
        a->state = "rejected";
        snprintf(a->result, sizeof a->result, "no case: %s", buf_cstr(&why));
        buf_free(&why);
        return svc_write(a->s, mark_fn, a);
    }
    buf_free(&why);
    if (r < 0)
        return r;
    a->entry = cid;
    snprintf(a->result, sizeof a->result, "consular case %" PRId64, cid);
    return svc_write(a->s, put_ref, a);
}

/* A case update from the partner that referred the case: its status and
 * note go on the case's timeline. */
static int apply_case_update(struct apply *a)
{
    const char *rid = json_string_value(json_object_get(a->p, "referral_id"));
    const char *status = json_string_value(json_object_get(a->p, "status"));
    const char *text = json_string_value(json_object_get(a->p, "note"));
    int64_t cid = 0;
    struct buf why;
    json_t *out = NULL;
    buf_init(&why, 512);
    int r = rid ? store_ex_ref_get(a->s->st, a->m->peer, rid, &cid) : ERR_NOTFOUND;
    if (r == 0) {
        char note[700];
        snprintf(note, sizeof note, "%s reports: %s%s%s", a->m->peer,
                 status ? status : "update", text ? " — " : "", text ? text : "");
        json_t *patch = json_pack("{ss}", "note", note);
        /* The partner's status is the partner's view; ours changes only when
         * our consular officer changes it, except that a closure is passed on. */
        if (status != NULL && strncmp(status, "Closed", 6) == 0)
            json_object_set_new(patch, "status", json_string("closed"));
        r = cases_update(a->s, &a->who, cid, patch, &out, &why);
        json_decref(patch);
        json_decref(out);
    }
    if (r == ERR_NOTFOUND || r == ERR_INVALID) {
        a->state = "rejected";
        snprintf(a->result, sizeof a->result, "no case for referral %s%s%s", rid ? rid : "?",
                 why.len ? ": " : "", buf_cstr(&why));
        buf_free(&why);
        return svc_write(a->s, mark_fn, a);
    }
    buf_free(&why);
    if (r < 0)
        return r;
    snprintf(a->result, sizeof a->result, "consular case %" PRId64 " updated", cid);
    return svc_write(a->s, mark_fn, a);
}

/* ---- the thread ---- */

static int apply_one(struct exchange *ex, const struct in_msg *m)
{
    struct apply a = {.s = ex->svc, .ex = ex, .m = m, .state = "applied"};
    json_error_t je;
    a.who.role = ROLE_FOCAL_POINT;
    snprintf(a.who.username, sizeof a.who.username, "exchange:%.*s",
             (int)(sizeof a.who.username - 10), m->peer);
    a.p = json_loads(m->payload, 0, &je);
    if (a.p == NULL) {
        a.state = "rejected";
        text_copy(a.result, sizeof a.result, "stored payload does not parse");
        return svc_write(ex->svc, mark_fn, &a);
    }
    wl_entry_init(&a.e);
    int r;
    if (strncmp(m->type, "alert.", 6) == 0 && strcmp(m->type, "alert.withdraw") != 0)
        r = svc_write(ex->svc, apply_alert, &a);
    else if (strcmp(m->type, "alert.withdraw") == 0)
        r = svc_write(ex->svc, apply_withdraw, &a);
    else if (strcmp(m->type, "bulletin") == 0)
        r = svc_write(ex->svc, apply_bulletin, &a);
    else if (strcmp(m->type, "referral") == 0)
        r = apply_referral(&a);
    else if (strcmp(m->type, "case.update") == 0)
        r = apply_case_update(&a);
    else
        r = svc_write(ex->svc, apply_other, &a);
    if (r == 0 && a.index)
        watchlist_index(ex->svc, a.entry, &a.e);
    if (r == 0 && a.unindex > 0) {
        char oid[24];
        snprintf(oid, sizeof oid, "%" PRId64, a.unindex);
        watchlist_unindex(ex->svc, oid);
    }
    wl_entry_free(&a.e);
    json_decref(a.p);
    if (r < 0)
        log_msg(LOG_WARN, "exchange: applying %s %s from %s failed (%s); will retry", m->type,
                m->msg_id, m->peer, err_str(r));
    return r;
}

struct pending {
    struct in_msg m[64];
    size_t n;
};

static int take_received(void *ctx, const struct store_ex_msg *row)
{
    struct pending *p = ctx;
    struct in_msg *m = &p->m[p->n];
    m->id = row->id;
    m->received_ms = row->updated_ms;
    text_copy(m->msg_id, sizeof m->msg_id, row->msg_id);
    text_copy(m->peer, sizeof m->peer, row->peer);
    text_copy(m->type, sizeof m->type, row->type);
    m->payload = strdup(row->payload);
    if (m->payload == NULL)
        return ERR_NOMEM;
    p->n++;
    return 0;
}

/* Applies what is waiting; returns how many were taken. */
static size_t apply_pending(struct exchange *ex, struct pending *p)
{
    p->n = 0;
    int r = store_ex_in_list(ex->svc->st, "received", NULL, 0, 64, take_received, p);
    size_t ok = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (r == 0 && apply_one(ex, &p->m[i]) == 0)
            ok++;
        free(p->m[i].payload);
    }
    return ok;
}

void *ex_applier_main(void *arg)
{
    struct exchange *ex = arg;
    struct pending *p = calloc(1, sizeof *p);
    uint64_t gen = 0;
    int64_t last_sync = time_mono_ms();
    while (p != NULL) {
        size_t n = apply_pending(ex, p);
        if (time_mono_ms() - last_sync >= 1000) {
            ex_senders_sync(ex);
            last_sync = time_mono_ms();
        }
        if (n == 64)
            continue;
        if (!ex_wait(ex, n > 0 ? 50 : 500, &gen))
            break;
    }
    free(p);
    return NULL;
}

/* ---- screening ---- */

static bool ind_match(struct store *st, const char *kind, const char *v, const char *today,
                      char *bulletin, size_t n)
{
    char norm[1100];
    if (v == NULL || v[0] == '\0')
        return false;
    normalise(kind, v, norm, sizeof norm);
    if (norm[0] == '\0')
        return false;
    return store_ex_ind_find(st, kind, norm, today, bulletin, n) == 0;
}

/* Whether indicators may exist. The first screening asks the database;
 * a bulletin storing one sets SVC_IND_SOME before its transaction commits,
 * and an answer learnt from an older snapshot never overwrites it. */
static int ind_state(struct svc *s, bool *some)
{
    int v = atomic_load(&s->indicators);
    if (v == SVC_IND_UNKNOWN) {
        bool any = true;
        int r = store_ex_ind_any(s->st, &any);
        if (r < 0)
            return r;
        int expect = SVC_IND_UNKNOWN;
        atomic_compare_exchange_strong(&s->indicators, &expect,
                                       any ? SVC_IND_SOME : SVC_IND_NONE);
        v = atomic_load(&s->indicators);
    }
    *some = v != SVC_IND_NONE;
    return 0;
}

int exchange_indicator_facts(struct svc *s, const char *name, const char *company,
                             const char *phone, json_t **out)
{
    char today[16], bulletin[160] = "";
    bool some;
    int r = ind_state(s, &some);
    if (r < 0)
        return r;
    bool by_phone = false, by_company = false, by_name = false;
    if (some) {
        struct store *st = s->st;
        time_format_date(today, time_now_ms());
        by_phone = ind_match(st, "phone", phone, today, bulletin, sizeof bulletin);
        by_company = ind_match(st, "company", company, today, bulletin, sizeof bulletin);
        by_name = ind_match(st, "company", name, today, bulletin, sizeof bulletin) ||
                  ind_match(st, "social_handle", name, today, bulletin, sizeof bulletin);
    }
    *out = json_pack("{sb sb sb}", "sponsor_name", by_name, "sponsor_company", by_company,
                     "sponsor_phone", by_phone);
    if (*out != NULL && bulletin[0] != '\0')
        json_object_set_new(*out, "bulletin", json_string(bulletin));
    return *out ? 0 : ERR_NOMEM;
}
