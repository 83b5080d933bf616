/* departures: what happens after a screening — the officer's outcome, the
 * checkpoint queue, and reading one screening back. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/rules.h"
#include "services/audit.h"
#include "services/refdata.h"
#include "services/screening.h"
#include "services/svc.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/text.h"
#include "util/timeutil.h"

/* Most screenings one queue answer lists (truncated says there were more). */
#define QUEUE_MAX 5000

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

/* Officers act at their own checkpoint only, supervisors at theirs or at
 * their office's (refdata_scope): *ok says whether who may read or decide
 * a screening made at checkpoint. */
static int may_act(struct store *st, const struct actor *who, const char *checkpoint, bool *ok)
{
    struct post_scope sc;
    int r = refdata_scope(st, who, &sc);
    if (r == 0)
        r = refdata_scope_has_code(st, &sc, checkpoint, ok);
    return r;
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

/* Whether s holds nothing but blanks: no note at all. */
static bool blank(const char *s)
{
    for (; *s != '\0'; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
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
    if (r == 0 && w->reason != NULL && *w->reason == '\0')
        w->reason = NULL;
    /* statistics break interceptions down by code: one word, as rule names are */
    if (r == 0 && w->reason != NULL && !text_is_identifier(w->reason, 64)) {
        buf_puts(why, "field 'reason_code': must be a code of lower-case letters, digits, '_', "
                      "'-' or '.' (for example trafficking_suspected)");
        r = ERR_INVALID;
    }
    if (r == 0 && strcmp(w->outcome, "intercepted") == 0 && w->reason == NULL) {
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
    bool ok = false;
    if (r == 0)
        r = may_act(s->st, who, c.checkpoint, &ok);
    if (r == 0 && !ok) {
        buf_printf(why, "this screening was made at %s, not at your post (%s)", c.checkpoint,
                   who->office);
        r = ERR_FORBIDDEN;
    }
    if (r == 0 && c.outcome[0] != '\0') {
        buf_printf(why, "the outcome was already recorded (%s)", c.outcome);
        r = ERR_CONFLICT;
    }
    w.overridden = r == 0 && is_override(c.recommendation, w.outcome);
    if (r == 0 && w.overridden && (w.note == NULL || blank(w.note))) {
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

/* Who was screened, from the request as received (or the MRZ reading in
 * the answer): what the officer at the counter matches a line to. */
static json_t *traveller_of(const char *request, json_t *answer)
{
    json_t *req = request != NULL ? json_loads(request, 0, NULL) : NULL;
    json_t *t = json_object_get(req, "traveller"), *doc = json_object_get(answer, "document");
    json_t *out = json_object();
    static const char *const keys[] = {"surname", "given_names", "document_number",
                                       "nationality", "birth_date"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        json_t *v = json_object_get(t, keys[i]);
        if (!json_is_string(v))
            v = json_object_get(doc, keys[i]);
        if (json_is_string(v))
            json_object_set(out, keys[i], v);
    }
    json_decref(req);
    return out;
}

static json_t *queue_json(const struct store_dep_row *row)
{
    json_error_t e;
    json_t *a = json_loads(row->answer, 0, &e);
    if (a == NULL)
        return NULL;
    char ts[32];
    time_format_iso(ts, row->created_ms);
    json_object_set_new(a, "id", json_integer(row->id));
    json_object_set_new(a, "created_at", json_string(ts));
    json_object_set_new(a, "officer", json_string(row->officer));
    json_object_set_new(a, "traveller", traveller_of(row->request, a));
    if (row->flight != NULL && row->flight[0] != '\0')
        json_object_set_new(a, "flight", json_string(row->flight));
    if (row->outcome[0] != '\0')
        json_object_set_new(a, "outcome",
                            json_pack("{ss ss ss ss sb}", "outcome", row->outcome, "reason_code",
                                      row->outcome_reason, "note", row->outcome_note, "by",
                                      row->outcome_by, "overridden", row->overridden));
    return a;
}

/* One screening as GET /departures/{id} gives it (group_key is the
 * queue's: it names a group among the day's screenings). */
static int queue_row(void *p, const struct store_dep_row *row)
{
    json_t *a = queue_json(row);
    if (a == NULL)
        return ERR_CORRUPT;
    return json_array_append_new(p, a) == 0 ? 0 : ERR_NOMEM;
}

/* The day's queue, gathered before it is grouped. */
struct queue {
    json_t **rows;
    char (*keys)[3][132]; /* booking, sponsor phone, sponsor company */
    size_t n, cap;
};

static int queue_add(void *p, const struct store_dep_row *row)
{
    struct queue *q = p;
    if (q->n == q->cap) {
        size_t ncap = q->cap ? q->cap * 2 : 64;
        json_t **r = realloc(q->rows, ncap * sizeof *r);
        if (r != NULL)
            q->rows = r;
        char(*k)[3][132] = realloc(q->keys, ncap * sizeof *k);
        if (k != NULL)
            q->keys = k;
        if (r == NULL || k == NULL)
            return ERR_NOMEM;
        q->cap = ncap;
    }
    json_t *a = queue_json(row);
    if (a == NULL)
        return ERR_CORRUPT;
    snprintf(q->keys[q->n][0], sizeof q->keys[0][0], "%s", row->booking_ref);
    snprintf(q->keys[q->n][1], sizeof q->keys[0][1], "%s", row->sponsor_phone);
    snprintf(q->keys[q->n][2], sizeof q->keys[0][2], "%s", row->sponsor_company);
    q->rows[q->n++] = a;
    return 0;
}

static size_t find(size_t *up, size_t i)
{
    while (up[i] != i)
        i = up[i] = up[up[i]];
    return i;
}

struct by_key_arg {
    const struct queue *q;
    size_t k;
};

static int by_key(const void *pa, const void *pb, void *arg)
{
    const struct by_key_arg *x = arg;
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    int c = strcmp(x->q->keys[a][x->k], x->q->keys[b][x->k]);
    return c != 0 ? c : (a > b) - (a < b);
}

/* Groups the queue: screenings that share a booking, a sponsor phone or a
 * sponsor company, directly or through others, are one group, named by its
 * first screening (group_key "g" + its id) and listed together, groups in
 * the order of their first screening. A screening that shares nothing has
 * no group_key. */
static json_t *group_queue(struct queue *q)
{
    size_t n = q->n, *up = malloc((n + 1) * sizeof *up), *ix = malloc((n + 1) * sizeof *ix);
    size_t *size = calloc(n + 1, sizeof *size);
    json_t *arr = json_array();
    if (up == NULL || ix == NULL || size == NULL || arr == NULL) {
        free(up), free(ix), free(size);
        json_decref(arr);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        up[i] = i;
    for (size_t k = 0; k < 3; k++) {
        for (size_t i = 0; i < n; i++)
            ix[i] = i;
        struct by_key_arg arg = {q, k};
        qsort_r(ix, n, sizeof *ix, by_key, &arg);
        for (size_t i = 1; i < n; i++) {
            const char *x = q->keys[ix[i - 1]][k], *y = q->keys[ix[i]][k];
            if (x[0] != '\0' && strcmp(x, y) == 0) {
                size_t ra = find(up, ix[i - 1]), rb = find(up, ix[i]);
                if (ra != rb)
                    up[ra > rb ? ra : rb] = ra < rb ? ra : rb; /* the root is the first row */
            }
        }
    }
    for (size_t i = 0; i < n; i++)
        size[find(up, i)]++;
    /* rows come in id order: a group's root is its first screening */
    for (size_t i = 0; i < n; i++) {
        if (find(up, i) != i)
            continue;
        char key[32];
        json_int_t first = json_integer_value(json_object_get(q->rows[i], "id"));
        snprintf(key, sizeof key, "g%" PRId64, (int64_t)first);
        for (size_t j = i; j < n; j++) {
            if (find(up, j) != i)
                continue;
            json_object_set_new(q->rows[j], "group_key", size[i] > 1 ? json_string(key)
                                                                      : json_null());
            json_array_append(arr, q->rows[j]);
        }
    }
    free(up), free(ix), free(size);
    return arr;
}

static bool recommendation_known(const char *r)
{
    for (int k = RULES_CLEAR; k <= RULES_PROTECT; k++)
        if (strcmp(r, rules_recommendation_str((enum rules_recommendation)k)) == 0)
            return true;
    return false;
}

/* Which queue who may see, given the checkpoint asked for (NULL: none):
 * an officer's or a checkpoint supervisor's own checkpoint; for a
 * supervisor of an office, the checkpoint asked for when it is one of the
 * office's, else all of them (*office); for others, the checkpoint asked
 * for, if any. Fills *sc, the caller's: *checkpoint and *office may point
 * into it. */
static int queue_scope(struct svc *s, const struct actor *who, struct post_scope *sc,
                       const char **checkpoint, const char **office, struct buf *why)
{
    struct store_post post;
    bool in = false;
    int r = refdata_scope(s->st, who, sc);
    if (r == 0 && *checkpoint != NULL)
        r = refdata_scope_has_code(s->st, sc, *checkpoint, &in);
    if (r < 0)
        return r;
    if (*checkpoint != NULL && !in && !sc->office) {
        buf_printf(why, "you see the queue of %s only", sc->post);
        return ERR_FORBIDDEN;
    }
    if (*checkpoint != NULL && !in) {
        buf_printf(why, "you see the queues of %s's checkpoints only ", sc->post);
        r = refdata_office_checkpoints(s->st, sc->post, why);
        return r < 0 ? r : ERR_FORBIDDEN;
    }
    if (sc->bound && *checkpoint == NULL && sc->office)
        *office = sc->post;
    else if (sc->bound && *checkpoint == NULL)
        *checkpoint = sc->post;
    if (!sc->bound && *checkpoint != NULL && store_post_get(s->st, *checkpoint, &post) != 0) {
        buf_printf(why, "parameter 'checkpoint': '%.40s' is not a known checkpoint", *checkpoint);
        return ERR_INVALID;
    }
    if (!sc->bound && *checkpoint != NULL && strcmp(post.kind, "office") == 0) {
        buf_printf(why, "parameter 'checkpoint': '%.40s' is an office, not a checkpoint; its "
                        "checkpoints ", *checkpoint);
        r = refdata_office_checkpoints(s->st, *checkpoint, why);
        return r < 0 ? r : ERR_INVALID;
    }
    return 0;
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
    if (recommendation != NULL && !recommendation_known(recommendation)) {
        buf_puts(why, "parameter 'recommendation': must be clear, secondary, refuse or protect");
        return ERR_INVALID;
    }
    const char *office = NULL;
    struct post_scope sc;
    int r = queue_scope(s, who, &sc, &checkpoint, &office, why);
    if (r < 0)
        return r;
    struct queue q = {0};
    /* read in a read transaction (the stored requests are parsed here),
     * then the audit record in a short write one */
    r = store_begin(s->st, false);
    if (r == 0) {
        r = store_dep_queue(s->st, checkpoint, office, days * 86400000, (days + 1) * 86400000,
                            recommendation, QUEUE_MAX + 1, queue_add, &q);
        store_rollback(s->st);
    }
    bool truncated = q.n > QUEUE_MAX;
    if (truncated)
        json_decref(q.rows[--q.n]);
    if (r == 0 && (r = store_begin(s->st, true)) == 0) {
        r = audit_append(s->st, who, "departure.queue", "departure",
                         checkpoint ? checkpoint : office ? office : "*", "ok", day);
        if (r == 0)
            r = store_commit(s->st);
        if (r < 0)
            store_rollback(s->st);
    }
    json_t *arr = r == 0 ? group_queue(&q) : NULL;
    if (r == 0 && arr == NULL)
        r = ERR_NOMEM;
    for (size_t i = 0; i < q.n; i++)
        json_decref(q.rows[i]);
    free(q.rows);
    free(q.keys);
    if (r < 0)
        return r;
    *out = json_pack("{so sb}", "departures", arr, "truncated", truncated);
    return *out != NULL ? 0 : ERR_NOMEM;
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
    bool ok = true;
    if (r == 0 && cp != NULL)
        r = may_act(s->st, who, cp, &ok);
    if (r == 0 && !ok)
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
