/* bench_names_load: file reading, watchlist loading and CSV walking for the
 * name-matching benchmarks (see bench_names_load.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_names_load.h"
#include "domain/wl_ofac.h"
#include "domain/wl_un.h"
#include "util/csv.h"

char *bn_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *d = NULL;
    long sz;
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
        goto out;
    d = malloc((size_t)sz + 1);
    if (d == NULL || fread(d, 1, (size_t)sz, f) != (size_t)sz) {
        free(d);
        d = NULL;
        goto out;
    }
    d[sz] = '\0';
    *len = (size_t)sz;
out:
    fclose(f);
    return d;
}

const char *bn_data_dir(void)
{
    const char *d = getenv("LINTAS_SHARED_DATA");
    return d != NULL ? d : "../shared/data";
}

double bn_wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

double bn_now_us(void)
{
    struct timespec ts;
    static int cpu = -1;
    if (cpu < 0) {
        const char *c = getenv("BENCH_CLOCK");
        cpu = c != NULL && strcmp(c, "cpu") == 0;
    }
    clock_gettime(cpu ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

void bn_cpu_now(struct bn_cpu *c)
{
    unsigned long long v[10] = {0};
    c->steal = c->total = 0;
    FILE *f = fopen("/proc/stat", "r");
    if (f == NULL)
        return;
    /* cpu user nice system idle iowait irq softirq steal guest guest_nice */
    int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
                   &v[4], &v[5], &v[6], &v[7]);
    fclose(f);
    if (n != 8)
        return;
    for (int i = 0; i < 8; i++) /* the time the machine wanted its CPUs */
        c->total += i == 3 || i == 4 ? 0 : v[i];
    c->steal = v[7];
}

double bn_steal_pct(const struct bn_cpu *a, const struct bn_cpu *b)
{
    if (a->total == 0 || b->total <= a->total)
        return -1.0;
    return 100.0 * (double)(b->steal - a->steal) / (double)(b->total - a->total);
}

struct sinkctx {
    struct name_index *x;
    struct bn_list *list;
    const char *prefix;
    bool persons_only;
    size_t n;
};

static int sink(void *ctx, struct wl_entry *e)
{
    struct sinkctx *s = ctx;
    char id[WL_MAX_ID + 16];
    if (s->persons_only && e->kind != WL_KIND_PERSON)
        return 0;
    snprintf(id, sizeof id, "%s:%s", s->prefix, e->id);
    if (wl_set_str(&e->id, id) != 0 || name_index_put(s->x, e) != 0)
        return -1;
    s->n++;
    if (s->list == NULL)
        return 0;
    if (s->list->n == s->list->cap) {
        size_t ncap = s->list->cap ? s->list->cap * 2 : 1024;
        struct wl_entry *p = realloc(s->list->e, ncap * sizeof *p);
        if (p == NULL)
            return -1;
        s->list->e = p, s->list->cap = ncap;
    }
    return wl_entry_copy(&s->list->e[s->list->n++], e);
}

int bn_load_watchlist(struct name_index *x, struct bn_list *list)
{
    char p[1024], msg[600];
    size_t lun = 0, lsdn = 0, lalt = 0;
    struct wl_error err;
    int r = -1;
    snprintf(p, sizeof p, "%s/un_sc_consolidated/UN_consolidated_2026-02-27.xml", bn_data_dir());
    char *un = bn_read_file(p, &lun);
    snprintf(p, sizeof p, "%s/ofac_sdn_2021/sdn.csv", bn_data_dir());
    char *sdn = bn_read_file(p, &lsdn);
    snprintf(p, sizeof p, "%s/ofac_sdn_2021/alt.csv", bn_data_dir());
    char *alt = bn_read_file(p, &lalt);
    if (un == NULL || sdn == NULL || alt == NULL)
        goto out;
    struct sinkctx s = {x, list, "UN", false, 0};
    if (wl_parse_un(un, lun, "UN_consolidated.xml", "UN", sink, &s, &err) != 0) {
        wl_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "UN: %s\n", msg);
        goto out;
    }
    struct sinkctx o = {x, list, "OFAC", true, 0};
    if (wl_parse_ofac(sdn, lsdn, alt, lalt, NULL, 0, "OFAC", sink, &o, &err) != 0) {
        wl_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "OFAC: %s\n", msg);
        goto out;
    }
    fprintf(stderr, "watchlist: %zu UN records, %zu OFAC individuals, %zu names indexed\n", s.n,
            o.n, name_index_names(x));
    r = 0;
out:
    free(un);
    free(sdn);
    free(alt);
    return r;
}

void bn_list_free(struct bn_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        wl_entry_free(&l->e[i]);
    free(l->e);
    memset(l, 0, sizeof *l);
}

const char *bn_col(const struct bn_row *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->head[i], name) == 0)
            return r->val[i];
    return "";
}

int bn_each_row(const char *path, int (*fn)(void *ctx, const struct bn_row *r), void *ctx)
{
    size_t len = 0;
    char *d = bn_read_file(path, &len);
    struct csv c;
    char *head[LIMIT_CSV_FIELDS] = {0};
    const char *val[LIMIT_CSV_FIELDS];
    size_t nh = 0;
    int r = -1;
    if (d == NULL)
        return -1;
    csv_open(&c, d, len, ',');
    while ((r = csv_next(&c)) == 1) {
        const char *f0 = csv_field(&c, 0);
        if (c.nfields == 1 && (f0[0] == '\0' || f0[0] == '#'))
            continue;
        if (f0[0] == '#')
            continue;
        if (nh == 0) {
            for (nh = 0; nh < c.nfields; nh++)
                head[nh] = strdup(csv_field(&c, nh));
            continue;
        }
        for (size_t i = 0; i < nh; i++)
            val[i] = i < c.nfields ? csv_field(&c, i) : "";
        struct bn_row row = {(const char *const *)head, val, nh, c.line};
        if ((r = fn(ctx, &row)) != 0)
            break;
    }
    if (r < 0)
        fprintf(stderr, "%s:%zu: CSV error\n", path, c.line);
    csv_close(&c);
    for (size_t i = 0; i < nh; i++)
        free(head[i]);
    free(d);
    return r < 0 ? -1 : 0;
}

int bn_query_row(void *ctx, const struct bn_row *r)
{
    struct bn_queries *q = ctx;
    if (q->n == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 4096;
        char **n = realloc(q->name, cap * sizeof *n);
        if (n != NULL)
            q->name = n;
        char **d = realloc(q->dob, cap * sizeof *d);
        if (d != NULL)
            q->dob = d;
        char **e = realloc(q->expect, cap * sizeof *e);
        if (e != NULL)
            q->expect = e;
        if (n == NULL || d == NULL || e == NULL)
            return -1;
        q->cap = cap;
    }
    const char *n = bn_col(r, "name")[0] ? bn_col(r, "name") : bn_col(r, "full_name");
    const char *d = bn_col(r, "birth_date")[0] ? bn_col(r, "birth_date")
                                                : bn_col(r, "date_of_birth");
    q->name[q->n] = strdup(n);
    q->dob[q->n] = strdup(d);
    q->expect[q->n] = strdup(bn_col(r, "expect"));
    if (q->name[q->n] == NULL || q->dob[q->n] == NULL || q->expect[q->n] == NULL)
        return -1;
    q->n++;
    return 0;
}

void bn_queries_free(struct bn_queries *q)
{
    for (size_t i = 0; i < q->n; i++) {
        free(q->name[i]);
        free(q->dob[i]);
        free(q->expect[i]);
    }
    free(q->name);
    free(q->dob);
    free(q->expect);
    memset(q, 0, sizeof *q);
}

static int put_synthetic(void *ctx, struct wl_entry *e)
{
    return name_index_put(ctx, e);
}

int bn_load_synthetic(const char *path, struct name_index *x)
{
    size_t len = 0;
    struct wl_error err;
    char *data = bn_read_file(path, &len);
    if (data == NULL)
        return -1;
    int r = wl_parse_csv(data, len, path, "synthetic", "csv", put_synthetic, x, &err);
    free(data);
    if (r != 0) {
        char msg[512];
        wl_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "%s\n", msg);
        return -1;
    }
    return 0;
}
