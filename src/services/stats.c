/* stats: counting departure screenings and passport application events
 * into cells keyed by the requested dimensions (an open-addressing hash
 * table), then rendering the cells as JSON rows or CSV. */
#include "services/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/audit.h"
#include "services/svc.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/text.h"
#include "util/timeutil.h"

enum measure {
    M_SCREENINGS = 0, M_CLEAR, M_SECONDARY, M_REFUSE, M_PROTECT,
    M_DEPARTED, M_INTERCEPTED, M_REFERRED, M_NO_OUTCOME, M_OVERRIDDEN,
    M_APPLICATIONS, M_APPROVED, M_POSTPONED, M_RELEASED, M_REJECTED, M_EXTENDED,
    M_APPEALS, M_APPEALS_UPHELD, M_APPEALS_DISMISSED, M_REVIEWS_LATE, M_OVERDUE,
    M_COUNT
};

static const char *const measure_names[M_COUNT] = {
    "screenings", "clear", "secondary", "refuse", "protect",
    "departed", "intercepted", "referred", "no_outcome", "overridden",
    "applications", "approved", "postponed", "released", "rejected", "extended",
    "appeals", "appeals_upheld", "appeals_dismissed", "reviews_late", "overdue",
};

static const char *const dim_names[STATS_NDIMS] = {
    "month", "office", "checkpoint", "destination", "reason", "sex", "age_band", "province",
};

const char *stats_dim_name(int dim)
{
    return dim >= 0 && dim < STATS_NDIMS ? dim_names[dim] : "";
}

#define KEY_MAX 1024

struct cell {
    char *key; /* dimension values joined by \x1f; NULL: empty slot */
    int64_t n[M_COUNT];
};

struct agg {
    const struct stats_query *q;
    struct cell *cells;
    size_t cap, used;
    int64_t totals[M_COUNT];
    bool by_reason;
    int err;
};

/* ---- the table ---- */

static uint64_t hash_key(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int grow(struct agg *a)
{
    size_t ncap = a->cap ? a->cap * 2 : 1024;
    struct cell *nc = calloc(ncap, sizeof *nc);
    if (nc == NULL)
        return ERR_NOMEM;
    for (size_t i = 0; i < a->cap; i++) {
        if (a->cells[i].key == NULL)
            continue;
        size_t j = hash_key(a->cells[i].key) & (ncap - 1);
        while (nc[j].key != NULL)
            j = (j + 1) & (ncap - 1);
        nc[j] = a->cells[i];
    }
    free(a->cells);
    a->cells = nc;
    a->cap = ncap;
    return 0;
}

static struct cell *find_cell(struct agg *a, const char *key)
{
    if ((a->used + 1) * 2 > a->cap && grow(a) < 0)
        return NULL;
    size_t j = hash_key(key) & (a->cap - 1);
    while (a->cells[j].key != NULL) {
        if (strcmp(a->cells[j].key, key) == 0)
            return &a->cells[j];
        j = (j + 1) & (a->cap - 1);
    }
    a->cells[j].key = strdup(key);
    if (a->cells[j].key == NULL)
        return NULL;
    a->used++;
    return &a->cells[j];
}

static void agg_free(struct agg *a)
{
    for (size_t i = 0; i < a->cap; i++)
        free(a->cells[i].key);
    free(a->cells);
    a->cells = NULL;
    a->cap = a->used = 0;
}

static void add_key(struct agg *a, const char *const vals[STATS_NDIMS], enum measure m)
{
    char key[KEY_MAX];
    size_t k = 0;
    for (size_t i = 0; i < a->q->nby; i++) {
        const char *v = vals[a->q->by[i]];
        size_t l = strlen(v);
        if (k + l + 2 > sizeof key)
            l = sizeof key - k - 2;
        memcpy(key + k, v, l);
        k += l;
        key[k++] = '\x1f';
    }
    key[k] = '\0';
    struct cell *c = find_cell(a, key);
    if (c == NULL)
        a->err = ERR_NOMEM;
    else
        c->n[m]++;
}

/* Counts one record for measure m. With the reason dimension the record
 * is counted once under each of its reasons (space-separated; "none" when
 * there are none); totals count it once. */
static void count(struct agg *a, const char *vals[STATS_NDIMS], const char *reasons,
                  enum measure m)
{
    a->totals[m]++;
    if (!a->by_reason) {
        add_key(a, vals, m);
        return;
    }
    const char *p = reasons ? reasons : "";
    while (*p == ' ')
        p++;
    if (*p == '\0') {
        vals[STATS_REASON] = "none";
        add_key(a, vals, m);
        return;
    }
    while (*p != '\0') {
        char tok[128];
        size_t l = strcspn(p, " ");
        size_t c = l < sizeof tok - 1 ? l : sizeof tok - 1;
        memcpy(tok, p, c);
        tok[c] = '\0';
        vals[STATS_REASON] = tok;
        add_key(a, vals, m);
        p += l;
        while (*p == ' ')
            p++;
    }
}

/* ---- the records ---- */

static int on_departure(void *ctx, const struct store_stat_dep *d)
{
    struct agg *a = ctx;
    char month[8];
    text_copy(month, sizeof month, d->day);
    const char *vals[STATS_NDIMS] = {month, d->office, d->checkpoint, d->destination, "",
                                     d->sex, d->age_band, d->province};
    count(a, vals, d->rules_fired, M_SCREENINGS);
    static const char *const recs[] = {"clear", "secondary", "refuse", "protect"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(d->recommendation, recs[i]) == 0)
            count(a, vals, d->rules_fired, (enum measure)(M_CLEAR + i));
    }
    enum measure m = M_NO_OUTCOME;
    if (strcmp(d->outcome, "departed") == 0)
        m = M_DEPARTED;
    else if (strcmp(d->outcome, "intercepted") == 0)
        m = M_INTERCEPTED;
    else if (strcmp(d->outcome, "referred") == 0)
        m = M_REFERRED;
    count(a, vals, d->outcome_reason, m);
    if (d->overridden)
        count(a, vals, d->outcome_reason, M_OVERRIDDEN);
    return a->err;
}

static int on_pp_event(void *ctx, const struct store_stat_pp *p)
{
    static const struct {
        const char *kind;
        enum measure m;
    } kinds[] = {{"approved", M_APPROVED},         {"postponed", M_POSTPONED},
                 {"released", M_RELEASED},         {"rejected", M_REJECTED},
                 {"extended", M_EXTENDED},         {"appealed", M_APPEALS},
                 {"appeal_upheld", M_APPEALS_UPHELD}, {"appeal_dismissed", M_APPEALS_DISMISSED},
                 {"overdue", M_OVERDUE}};
    struct agg *a = ctx;
    char month[8];
    text_copy(month, sizeof month, p->day);
    const char *vals[STATS_NDIMS] = {month, p->office, "", p->destination, "",
                                     p->sex, p->age_band, p->province};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (strcmp(p->kind, kinds[i].kind) != 0)
            continue;
        if (kinds[i].m == M_APPROVED || kinds[i].m == M_POSTPONED)
            count(a, vals, p->reasons, M_APPLICATIONS);
        count(a, vals, p->reasons, kinds[i].m);
        if (p->late && kinds[i].m != M_OVERDUE)
            count(a, vals, p->reasons, M_REVIEWS_LATE);
    }
    return a->err;
}

/* ---- parsing ---- */

static int parse_day(const char *s, bool end, char out[11])
{
    int64_t days;
    char tmp[16];
    size_t l = s ? strlen(s) : 0;
    if (l == 10 && time_parse_date(s, &days) == 0) {
        text_copy(out, 11, s);
        return 0;
    }
    if (l != 4 && l != 7)
        return ERR_INVALID;
    if (l == 4)
        snprintf(tmp, sizeof tmp, "%s-%s", s, end ? "12-31" : "01-01");
    else
        snprintf(tmp, sizeof tmp, "%s-01", s);
    if (time_parse_date(tmp, &days) < 0)
        return ERR_INVALID;
    if (l == 7 && end) {
        int y, m, d;
        time_civil_from_days(days, &y, &m, &d);
        snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, time_days_in_month(y, m));
    }
    text_copy(out, 11, tmp);
    return 0;
}

static int parse_by(const char *by, struct stats_query *q, struct buf *why)
{
    const char *p = by;
    while (p != NULL && *p != '\0') {
        size_t l = strcspn(p, ",");
        int found = -1;
        for (int d = 0; d < STATS_NDIMS; d++) {
            if (strlen(dim_names[d]) == l && strncmp(p, dim_names[d], l) == 0)
                found = d;
        }
        for (size_t i = 0; found >= 0 && i < q->nby; i++) {
            if (q->by[i] == found)
                found = -2;
        }
        if (found < 0) {
            buf_printf(why, "parameter 'by': '%.*s' is %s; use month, office, checkpoint, "
                            "destination, reason, sex, age_band, province",
                       (int)(l > 40 ? 40 : l), p, found == -2 ? "given twice" : "unknown");
            return ERR_INVALID;
        }
        q->by[q->nby++] = found;
        p += l;
        if (*p == ',')
            p++;
    }
    return 0;
}

int stats_parse(const char *from, const char *to, const char *by, const char *min_cell,
                struct stats_query *q, struct buf *why)
{
    memset(q, 0, sizeof *q);
    if (parse_day(from, false, q->from) < 0) {
        buf_puts(why, "parameter 'from': expected a date YYYY-MM-DD (or YYYY-MM, YYYY)");
        return ERR_INVALID;
    }
    if (parse_day(to, true, q->to) < 0) {
        buf_puts(why, "parameter 'to': expected a date YYYY-MM-DD (or YYYY-MM, YYYY)");
        return ERR_INVALID;
    }
    if (strcmp(q->from, q->to) > 0) {
        buf_puts(why, "parameter 'to': is before 'from'");
        return ERR_INVALID;
    }
    if (min_cell != NULL && text_parse_i64(min_cell, 0, 1000000, &q->min_cell) < 0) {
        buf_puts(why, "parameter 'min_cell': expected a whole number 0-1000000");
        return ERR_INVALID;
    }
    return parse_by(by, q, why);
}

/* ---- rendering ---- */

static int cmp_cells(const void *x, const void *y)
{
    const struct cell *a = *(const struct cell *const *)x, *b = *(const struct cell *const *)y;
    return strcmp(a->key, b->key);
}

static json_t *value_json(int64_t v, int64_t min_cell, int64_t *suppressed)
{
    if (min_cell > 1 && v > 0 && v < min_cell) {
        (*suppressed)++;
        return json_null();
    }
    return json_integer(v);
}

static json_t *row_json(const struct stats_query *q, const struct cell *c, int64_t *suppressed)
{
    json_t *o = json_object();
    const char *p = c->key;
    for (size_t i = 0; i < q->nby; i++) {
        size_t l = strcspn(p, "\x1f");
        json_object_set_new(o, dim_names[q->by[i]],
                            l ? json_stringn(p, l) : json_null());
        p += l + 1;
    }
    for (int m = 0; m < M_COUNT; m++)
        json_object_set_new(o, measure_names[m], value_json(c->n[m], q->min_cell, suppressed));
    return o;
}

static json_t *render(const struct agg *a)
{
    const struct stats_query *q = a->q;
    int64_t suppressed = 0;
    json_t *by = json_array(), *ms = json_array(), *totals = json_object(), *rows = json_array();
    for (size_t i = 0; i < q->nby; i++)
        json_array_append_new(by, json_string(dim_names[q->by[i]]));
    for (int m = 0; m < M_COUNT; m++) {
        json_array_append_new(ms, json_string(measure_names[m]));
        json_object_set_new(totals, measure_names[m],
                            value_json(a->totals[m], q->min_cell, &suppressed));
    }
    struct cell **order = calloc(a->used ? a->used : 1, sizeof *order);
    size_t n = 0;
    for (size_t i = 0; order != NULL && i < a->cap; i++) {
        if (a->cells[i].key != NULL)
            order[n++] = &a->cells[i];
    }
    if (order != NULL)
        qsort(order, n, sizeof *order, cmp_cells);
    for (size_t i = 0; i < n && q->nby > 0; i++)
        json_array_append_new(rows, row_json(q, order[i], &suppressed));
    free(order);
    return json_pack("{ss ss so sI so so so sI}", "from", q->from, "to", q->to, "by", by,
                     "min_cell", (json_int_t)q->min_cell, "measures", ms, "totals", totals,
                     "rows", rows, "suppressed", (json_int_t)suppressed);
}

static int scan_all(struct store *st, struct agg *a)
{
    int r = store_begin(st, false);
    if (r < 0)
        return r;
    r = store_stats_departures(st, a->q->from, a->q->to, on_departure, a);
    if (r == 0)
        r = store_stats_pp_events(st, a->q->from, a->q->to, on_pp_event, a);
    if (r == 0)
        r = store_stats_pp_overdue(st, a->q->from, a->q->to, time_now_ms(), on_pp_event, a);
    if (r == 0)
        r = store_commit(st);
    else
        store_rollback(st);
    return r;
}

struct query_audit {
    const struct actor *who;
    const char *detail;
};

static int write_audit(struct store *st, void *ctx)
{
    struct query_audit *qa = ctx;
    return audit_append(st, qa->who, "stats.query", "stats", "-", "ok", qa->detail);
}

int stats_report(struct svc *s, const struct actor *who, const struct stats_query *q,
                 json_t **out, struct buf *why)
{
    struct agg a = {.q = q};
    *out = NULL;
    for (size_t i = 0; i < q->nby; i++)
        a.by_reason = a.by_reason || q->by[i] == STATS_REASON;
    int r = scan_all(s->st, &a);
    if (r == 0) {
        char detail[256];
        snprintf(detail, sizeof detail, "%s..%s by %zu dimensions, min_cell %lld", q->from,
                 q->to, q->nby, (long long)q->min_cell);
        struct query_audit qa = {who, detail};
        r = svc_write(s, write_audit, &qa);
    }
    if (r == 0) {
        *out = render(&a);
        r = *out ? 0 : ERR_NOMEM;
    }
    if (r < 0 && why->len == 0)
        buf_printf(why, "statistics: %s", err_str(r));
    agg_free(&a);
    return r;
}

/* ---- CSV ---- */

static void csv_cell(struct buf *b, const json_t *v)
{
    if (json_is_integer(v)) {
        buf_printf(b, "%lld", (long long)json_integer_value(v));
        return;
    }
    const char *s = json_string_value(v);
    if (s == NULL)
        return;
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

int stats_csv(const json_t *report, struct buf *b)
{
    const json_t *by = json_object_get(report, "by"), *ms = json_object_get(report, "measures");
    const json_t *rows = json_object_get(report, "rows");
    size_t nb = json_array_size(by), nm = json_array_size(ms);
    for (size_t i = 0; i < nb + nm; i++) {
        const json_t *name = i < nb ? json_array_get(by, i) : json_array_get(ms, i - nb);
        buf_printf(b, "%s%s", i ? "," : "", json_string_value(name));
    }
    buf_putc(b, '\n');
    for (size_t r = 0; r <= json_array_size(rows); r++) {
        bool total = r == json_array_size(rows);
        const json_t *row = total ? json_object_get(report, "totals") : json_array_get(rows, r);
        for (size_t i = 0; i < nb + nm; i++) {
            if (i)
                buf_putc(b, ',');
            if (i < nb && total)
                buf_puts(b, "all");
            else if (i < nb)
                csv_cell(b, json_object_get(row, json_string_value(json_array_get(by, i))));
            else
                csv_cell(b, json_object_get(row, json_string_value(json_array_get(ms, i - nb))));
        }
        buf_putc(b, '\n');
    }
    return b->len < b->max ? 0 : ERR_LIMIT;
}
