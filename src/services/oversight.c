/* oversight: rates by group against the overall rate, rule fire and
 * override counts, late reviews and upheld appeals — counted from the same
 * store scans as the statistics, into small fixed tables. */
#include "services/oversight.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/audit.h"
#include "services/stats.h"
#include "services/svc.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/text.h"
#include "util/timeutil.h"

#define MAX_VALUES 128 /* distinct values of one group dimension */
#define MAX_RULES 512  /* rules of both kinds */
#define FLAG_HIGH 1.25
#define FLAG_LOW 0.8
#define FLAG_OVERRIDE 0.5

struct tally {
    char value[72];
    int64_t population, count;
};

/* One rate section: overall, and per value of sex, age band, province. */
struct rates {
    int64_t population, count;
    struct tally dims[3][MAX_VALUES];
    size_t n[3];
};

struct rule_tally {
    char kind[12], rule[72];
    int64_t fired, decided, followed, overridden;
};

struct ov {
    const struct oversight_query *q;
    struct rates post, icpt;
    struct rule_tally *rules;
    size_t nrules;
    int64_t decided, late, missed, missed_open, appeals, upheld;
    json_t *late_by_office; /* {"office": [decided, late]} */
};

static struct tally *tally_of(struct tally *t, size_t *n, const char *value)
{
    for (size_t i = 0; i < *n; i++) {
        if (strcmp(t[i].value, value) == 0)
            return &t[i];
    }
    if (*n == MAX_VALUES)
        return NULL; /* beyond the table: counted in the overall rate only */
    text_copy(t[*n].value, sizeof t[*n].value, value);
    return &t[(*n)++];
}

static void rate_add(struct rates *r, const char *sex, const char *band, const char *prov,
                     bool hit)
{
    const char *vals[3] = {sex, band, prov};
    r->population++;
    r->count += hit;
    for (int d = 0; d < 3; d++) {
        struct tally *t = tally_of(r->dims[d], &r->n[d], vals[d]);
        if (t != NULL) {
            t->population++;
            t->count += hit;
        }
    }
}

static struct rule_tally *rule_of(struct ov *o, const char *kind, const char *rule, size_t len)
{
    for (size_t i = 0; i < o->nrules; i++) {
        struct rule_tally *t = &o->rules[i];
        if (strcmp(t->kind, kind) == 0 && strlen(t->rule) == len &&
            strncmp(t->rule, rule, len) == 0)
            return t;
    }
    if (o->nrules == MAX_RULES || len >= sizeof o->rules[0].rule)
        return NULL;
    struct rule_tally *t = &o->rules[o->nrules++];
    text_copy(t->kind, sizeof t->kind, kind);
    memcpy(t->rule, rule, len);
    t->rule[len] = '\0';
    return t;
}

/* decision: 0 none, 1 followed, 2 overridden. */
static void rules_add(struct ov *o, const char *kind, const char *list, int decision)
{
    for (const char *p = list; *p != '\0';) {
        size_t l = strcspn(p, " ");
        struct rule_tally *t = l ? rule_of(o, kind, p, l) : NULL;
        if (t != NULL) {
            t->fired++;
            t->decided += decision != 0;
            t->followed += decision == 1;
            t->overridden += decision == 2;
        }
        p += l;
        while (*p == ' ')
            p++;
    }
}

static int on_dep(void *ctx, const struct store_stat_dep *d)
{
    struct ov *o = ctx;
    rate_add(&o->icpt, d->sex, d->age_band, d->province, strcmp(d->outcome, "intercepted") == 0);
    /* Followed or overridden as the officer's outcome records it: against
     * the recommendation the rule contributed to (services/departures.c). */
    int decision = d->outcome[0] == '\0' ? 0 : d->overridden ? 2 : 1;
    rules_add(o, "departure", d->rules_fired, decision);
    return 0;
}

static int on_app(void *ctx, const struct store_stat_pp *p)
{
    struct ov *o = ctx;
    rate_add(&o->post, p->sex, p->age_band, p->province, p->postponed);
    int decision = 0;
    if (strcmp(p->status, "released") == 0 || strcmp(p->status, "upheld") == 0)
        decision = 2;
    else if (strcmp(p->status, "rejected") == 0 || strcmp(p->status, "appealed") == 0 ||
             strcmp(p->status, "dismissed") == 0)
        decision = 1;
    rules_add(o, "application", p->reasons, decision);
    return 0;
}

static void office_late(struct ov *o, const char *office, bool late)
{
    json_t *pair = json_object_get(o->late_by_office, office);
    if (pair == NULL) {
        pair = json_pack("[ii]", 0, 0);
        json_object_set_new(o->late_by_office, office, pair);
    }
    json_array_set_new(pair, 0, json_integer(json_integer_value(json_array_get(pair, 0)) + 1));
    json_array_set_new(pair, 1, json_integer(json_integer_value(json_array_get(pair, 1)) + late));
}

static int on_event(void *ctx, const struct store_stat_pp *p)
{
    struct ov *o = ctx;
    if (strcmp(p->kind, "overdue") == 0) {
        o->missed++;
        o->missed_open += !p->late;
    } else if (strcmp(p->kind, "released") == 0 || strcmp(p->kind, "rejected") == 0 ||
               strcmp(p->kind, "extended") == 0) {
        o->decided++;
        o->late += p->late;
        office_late(o, p->office, p->late);
    } else if (strncmp(p->kind, "appeal_", 7) == 0) {
        o->appeals++;
        o->upheld += strcmp(p->kind, "appeal_upheld") == 0;
    }
    return 0;
}

/* ---- rendering ---- */

static json_t *ratio_json(double num, double den)
{
    return den > 0 ? json_real(num / den) : json_null();
}

static json_t *group_json(const struct tally *t, double overall, int64_t min_group)
{
    double rate = t->population ? (double)t->count / (double)t->population : 0;
    bool flag = t->population >= min_group && overall > 0 &&
                (rate / overall >= FLAG_HIGH || rate / overall <= FLAG_LOW);
    json_t *o = json_pack("{ss sI sI so so sb}", "value", t->value, "population",
                          (json_int_t)t->population, "count", (json_int_t)t->count, "rate",
                          ratio_json((double)t->count, (double)t->population), "ratio",
                          overall > 0 ? json_real(rate / overall) : json_null(), "flag", flag);
    if (flag)
        json_object_set_new(o, "direction", json_string(rate > overall ? "higher" : "lower"));
    return o;
}

static int cmp_tally(const void *a, const void *b)
{
    return strcmp(((const struct tally *)a)->value, ((const struct tally *)b)->value);
}

static json_t *rates_json(struct rates *r, int64_t min_group)
{
    static const char *const keys[3] = {"by_sex", "by_age_band", "by_province"};
    double overall = r->population ? (double)r->count / (double)r->population : 0;
    json_t *o = json_pack("{sI sI so}", "population", (json_int_t)r->population, "count",
                          (json_int_t)r->count, "rate",
                          ratio_json((double)r->count, (double)r->population));
    for (int d = 0; d < 3; d++) {
        json_t *arr = json_array();
        qsort(r->dims[d], r->n[d], sizeof r->dims[d][0], cmp_tally);
        for (size_t i = 0; i < r->n[d]; i++)
            json_array_append_new(arr, group_json(&r->dims[d][i], overall, min_group));
        json_object_set_new(o, keys[d], arr);
    }
    return o;
}

static int cmp_rules(const void *a, const void *b)
{
    const struct rule_tally *x = a, *y = b;
    int k = strcmp(x->kind, y->kind);
    if (k != 0)
        return k;
    double rx = x->decided ? (double)x->overridden / (double)x->decided : -1;
    double ry = y->decided ? (double)y->overridden / (double)y->decided : -1;
    if (rx != ry)
        return rx > ry ? -1 : 1;
    return strcmp(x->rule, y->rule);
}

static json_t *rules_json(struct ov *o)
{
    json_t *arr = json_array();
    qsort(o->rules, o->nrules, sizeof o->rules[0], cmp_rules);
    for (size_t i = 0; i < o->nrules; i++) {
        const struct rule_tally *t = &o->rules[i];
        bool flag = t->decided >= o->q->min_group &&
                    (double)t->overridden >= FLAG_OVERRIDE * (double)t->decided;
        json_array_append_new(
            arr, json_pack("{ss ss sI sI sI sI so sb}", "kind", t->kind, "rule", t->rule,
                           "fired", (json_int_t)t->fired, "decided", (json_int_t)t->decided,
                           "followed", (json_int_t)t->followed, "overridden",
                           (json_int_t)t->overridden, "override_rate",
                           ratio_json((double)t->overridden, (double)t->decided), "flag",
                           flag));
    }
    return arr;
}

static json_t *render(struct ov *o)
{
    json_t *offices = json_array(), *pair;
    const char *office;
    json_object_foreach(o->late_by_office, office, pair) {
        json_array_append_new(offices,
                              json_pack("{ss sO sO}", "office", office, "decided",
                                        json_array_get(pair, 0), "late", json_array_get(pair, 1)));
    }
    json_t *reviews = json_pack(
        "{sI sI so sI sI so}", "decided", (json_int_t)o->decided, "late", (json_int_t)o->late,
        "late_rate", ratio_json((double)o->late, (double)o->decided), "deadlines_missed",
        (json_int_t)o->missed, "still_open", (json_int_t)o->missed_open, "by_office", offices);
    json_t *appeals = json_pack("{sI sI sI so}", "decided", (json_int_t)o->appeals, "upheld",
                                (json_int_t)o->upheld, "dismissed",
                                (json_int_t)(o->appeals - o->upheld), "upheld_rate",
                                ratio_json((double)o->upheld, (double)o->appeals));
    return json_pack("{ss ss sI so so so so so}", "from", o->q->from, "to", o->q->to,
                     "min_group", (json_int_t)o->q->min_group, "postponements",
                     rates_json(&o->post, o->q->min_group), "interceptions",
                     rates_json(&o->icpt, o->q->min_group), "rules", rules_json(o), "reviews",
                     reviews, "appeals", appeals);
}

int oversight_parse(const char *from, const char *to, const char *min_group,
                    struct oversight_query *q, struct buf *why)
{
    struct stats_query sq;
    memset(q, 0, sizeof *q);
    int r = stats_parse(from, to, NULL, NULL, &sq, why);
    if (r < 0)
        return r;
    text_copy(q->from, sizeof q->from, sq.from);
    text_copy(q->to, sizeof q->to, sq.to);
    q->min_group = OVERSIGHT_MIN_GROUP;
    if (min_group != NULL && text_parse_i64(min_group, 1, 1000000000, &q->min_group) < 0) {
        buf_puts(why, "parameter 'min_group': expected a whole number from 1");
        return ERR_INVALID;
    }
    return 0;
}

static int scan(struct store *st, struct ov *o)
{
    int r = store_begin(st, false);
    if (r < 0)
        return r;
    r = store_stats_pp_apps(st, o->q->from, o->q->to, on_app, o);
    if (r == 0)
        r = store_stats_departures(st, o->q->from, o->q->to, on_dep, o);
    if (r == 0)
        r = store_stats_pp_events(st, o->q->from, o->q->to, on_event, o);
    if (r == 0)
        r = store_stats_pp_overdue(st, o->q->from, o->q->to, time_now_ms(), on_event, o);
    if (r == 0)
        r = store_commit(st);
    else
        store_rollback(st);
    return r;
}

struct ov_audit {
    const struct actor *who;
    const char *detail;
};

static int write_audit(struct store *st, void *ctx)
{
    struct ov_audit *a = ctx;
    return audit_append(st, a->who, "oversight.query", "oversight", "-", "ok", a->detail);
}

int oversight_report(struct svc *s, const struct actor *who, const struct oversight_query *q,
                     json_t **out, struct buf *why)
{
    struct ov *o = calloc(1, sizeof *o);
    *out = NULL;
    if (o == NULL)
        return ERR_NOMEM;
    o->q = q;
    o->rules = calloc(MAX_RULES, sizeof *o->rules);
    o->late_by_office = json_object();
    int r = o->rules && o->late_by_office ? scan(s->st, o) : ERR_NOMEM;
    if (r == 0) {
        char detail[64];
        snprintf(detail, sizeof detail, "%s..%s", q->from, q->to);
        struct ov_audit a = {who, detail};
        r = svc_write(s, write_audit, &a);
    }
    if (r == 0) {
        *out = render(o);
        r = *out ? 0 : ERR_NOMEM;
    }
    if (r < 0 && why->len == 0)
        buf_printf(why, "oversight: %s", err_str(r));
    json_decref(o->late_by_office);
    free(o->rules);
    free(o);
    return r;
}

/* ---- CSV ---- */

static void csv_num(struct buf *b, const json_t *v)
{
    buf_putc(b, ',');
    if (json_is_integer(v))
        buf_printf(b, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        buf_printf(b, "%.6f", json_real_value(v));
    else if (json_is_boolean(v))
        buf_puts(b, json_is_true(v) ? "yes" : "no");
}

static void csv_text(struct buf *b, const char *s)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            buf_putc(b, '"');
        buf_putc(b, *s);
    }
    if (quote)
        buf_putc(b, '"');
}

static void csv_rates(struct buf *b, const char *section, const json_t *r)
{
    static const char *const keys[3] = {"by_sex", "by_age_band", "by_province"};
    static const char *const dims[3] = {"sex", "age_band", "province"};
    buf_printf(b, "%s,all,all", section);
    csv_num(b, json_object_get(r, "population"));
    buf_putc(b, ',');
    csv_num(b, json_object_get(r, "count"));
    csv_num(b, json_object_get(r, "rate"));
    buf_puts(b, ",1.000000,no\n");
    for (int d = 0; d < 3; d++) {
        size_t i;
        const json_t *g;
        json_array_foreach(json_object_get(r, keys[d]), i, g) {
            buf_printf(b, "%s,%s,", section, dims[d]);
            csv_text(b, json_string_value(json_object_get(g, "value")));
            csv_num(b, json_object_get(g, "population"));
            buf_putc(b, ',');
            csv_num(b, json_object_get(g, "count"));
            csv_num(b, json_object_get(g, "rate"));
            csv_num(b, json_object_get(g, "ratio"));
            csv_num(b, json_object_get(g, "flag"));
            buf_putc(b, '\n');
        }
    }
}

int oversight_csv(const json_t *report, struct buf *b)
{
    buf_puts(b, "section,dimension,value,population,decided,count,rate,ratio,flag\n");
    csv_rates(b, "postponements", json_object_get(report, "postponements"));
    csv_rates(b, "interceptions", json_object_get(report, "interceptions"));
    size_t i;
    const json_t *t;
    json_array_foreach(json_object_get(report, "rules"), i, t) {
        buf_printf(b, "rules,%s,", json_string_value(json_object_get(t, "kind")));
        csv_text(b, json_string_value(json_object_get(t, "rule")));
        csv_num(b, json_object_get(t, "fired"));
        csv_num(b, json_object_get(t, "decided"));
        csv_num(b, json_object_get(t, "overridden"));
        csv_num(b, json_object_get(t, "override_rate"));
        buf_putc(b, ',');
        csv_num(b, json_object_get(t, "flag"));
        buf_putc(b, '\n');
    }
    const json_t *rv = json_object_get(report, "reviews"), *ap = json_object_get(report, "appeals");
    buf_puts(b, "reviews,all,late,");
    csv_num(b, json_object_get(rv, "decided"));
    csv_num(b, json_object_get(rv, "late"));
    csv_num(b, json_object_get(rv, "late_rate"));
    buf_puts(b, ",,\nreviews,all,deadlines_missed,,");
    csv_num(b, json_object_get(rv, "deadlines_missed"));
    buf_puts(b, ",,,\nappeals,all,upheld,");
    csv_num(b, json_object_get(ap, "decided"));
    csv_num(b, json_object_get(ap, "upheld"));
    csv_num(b, json_object_get(ap, "upheld_rate"));
    buf_puts(b, ",,\n");
    return b->len < b->max ? 0 : ERR_LIMIT;
}
