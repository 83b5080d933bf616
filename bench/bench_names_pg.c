/* bench_names_pg: the same synthetic watchlist and queries in PostgreSQL
 * with pg_trgm (GIN index, `name % $1` at similarity 0.6, best 10 by
 * similarity), against the lintas name index, on one connection / one core.
 *
 *   bench_names_pg DIR [CONNINFO] [-n QUERIES]
 *
 * Loads DIR/watchlist.csv into a table bench_names (dropped first), builds
 * the GIN index, then runs the first QUERIES rows of DIR/queries.csv
 * (default 2000) through both and prints queries/s, p50/p99 and the recall
 * of the planted hits, and the speed ratio. When no server is reachable it
 * says so and exits 0 (skipped). CONNINFO defaults to $PGBENCH_CONNINFO or
 * "dbname=postgres". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "bench_names_load.h"
#include "util/csv.h"

static int exec_ok(PGconn *db, const char *sql)
{
    PGresult *r = PQexec(db, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        fprintf(stderr, "pg: %s: %s", sql, PQerrorMessage(db));
    PQclear(r);
    return ok ? 0 : -1;
}

/* COPY id, name from the watchlist CSV (columns id,name,...). */
static int load(PGconn *db, const char *dir)
{
    char path[1024], line[1024];
    size_t len = 0;
    snprintf(path, sizeof path, "%s/watchlist.csv", dir);
    char *d = bn_read_file(path, &len);
    struct csv c;
    int r = -1;
    if (d == NULL || exec_ok(db, "DROP TABLE IF EXISTS bench_names") != 0 ||
        exec_ok(db, "CREATE EXTENSION IF NOT EXISTS pg_trgm") != 0 ||
        exec_ok(db, "CREATE TABLE bench_names (id text, name text)") != 0)
        goto out;
    PGresult *res = PQexec(db, "COPY bench_names (id, name) FROM STDIN");
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        PQclear(res);
        goto out;
    }
    PQclear(res);
    csv_open(&c, d, len, ',');
    bool head = true;
    while (csv_next(&c) == 1) {
        if (head) {
            head = false;
            continue;
        }
        int n = snprintf(line, sizeof line, "%s\t%s\n", csv_field(&c, 0), csv_field(&c, 1));
        if (n > 0 && (size_t)n < sizeof line && PQputCopyData(db, line, n) != 1)
            break;
    }
    csv_close(&c);
    if (PQputCopyEnd(db, NULL) != 1)
        goto out;
    res = PQgetResult(db);
    r = PQresultStatus(res) == PGRES_COMMAND_OK ? 0 : -1;
    PQclear(res);
    while ((res = PQgetResult(db)) != NULL)
        PQclear(res);
out:
    free(d);
    return r;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *who, double *lat, size_t n, size_t found, size_t planted)
{
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += lat[i];
    qsort(lat, n, sizeof *lat, cmp_d);
    printf("%s: %.0f queries/s, p50 %.1f us, p99 %.1f us, planted hits in the answer %zu/%zu "
           "= %.1f%%\n",
           who, 1e6 * (double)n / total, lat[n / 2], lat[n * 99 / 100], found, planted,
           100.0 * (double)found / (double)(planted ? planted : 1));
}

static double run_pg(PGconn *db, const struct bn_queries *q, size_t n)
{
    double *lat = malloc(n * sizeof *lat), total = 0;
    size_t found = 0, planted = 0;
    PGresult *p = PQprepare(db, "q",
                            "SELECT id FROM bench_names WHERE name % $1 "
                            "ORDER BY similarity(name, $1) DESC LIMIT 10",
                            1, NULL);
    PQclear(p);
    for (size_t i = 0; i < n; i++) {
        const char *v[1] = {q->name[i]};
        double t0 = bn_wall_us();
        PGresult *r = PQexecPrepared(db, "q", 1, v, NULL, NULL, 0);
        lat[i] = bn_wall_us() - t0;
        total += lat[i];
        bool hit = false;
        for (int k = 0; PQresultStatus(r) == PGRES_TUPLES_OK && k < PQntuples(r); k++)
            hit = hit || strcmp(PQgetvalue(r, k, 0), q->expect[i]) == 0;
        planted += q->expect[i][0] != '\0';
        found += hit;
        PQclear(r);
    }
    report("pg_trgm (GIN, similarity >= 0.6, top 10)", lat, n, found, planted);
    free(lat);
    return 1e6 * (double)n / total;
}

static double run_lintas(const char *dir, const struct bn_queries *q, size_t n)
{
    char path[1024];
    struct name_index *x;
    snprintf(path, sizeof path, "%s/watchlist.csv", dir);
    if (name_index_new(&x) != 0)
        return 0;
    if (bn_load_synthetic(path, x) != 0) {
        name_index_free(x);
        return 0;
    }
    double *lat = malloc(n * sizeof *lat), total = 0;
    size_t found = 0, planted = 0;
    for (size_t i = 0; i < n; i++) {
        struct name_query nq = {.name = q->name[i], .birth_date = q->dob[i],
                                .threshold = NAMES_DEFAULT_THRESHOLD, .limit = 10,
                                .today = 20000, .explain = true};
        struct name_matches m;
        double t0 = bn_wall_us();
        int r = name_index_query(x, &nq, &m);
        lat[i] = bn_wall_us() - t0;
        total += lat[i];
        bool hit = false;
        for (size_t k = 0; r == 0 && k < m.n; k++)
            hit = hit || strcmp(m.m[k].entry_id, q->expect[i]) == 0;
        planted += q->expect[i][0] != '\0';
        found += hit;
        name_matches_free(&m);
    }
    report("lintas name index (name + birth date, threshold 70, top 10)", lat, n, found,
           planted);
    free(lat);
    name_index_free(x);
    return 1e6 * (double)n / total;
}

int main(int argc, char **argv)
{
    const char *dir = NULL, *conninfo = getenv("PGBENCH_CONNINFO");
    size_t n = 2000;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            n = strtoul(argv[++i], NULL, 10);
        else if (dir == NULL)
            dir = argv[i];
        else
            conninfo = argv[i];
    }
    if (dir == NULL) {
        fprintf(stderr, "usage: bench_names_pg DIR [CONNINFO] [-n QUERIES]\n");
        return 2;
    }
    PGconn *db = PQconnectdb(conninfo != NULL ? conninfo : "dbname=postgres");
    if (PQstatus(db) != CONNECTION_OK) {
        const char *e = PQerrorMessage(db);
        printf("pg_trgm: skipped: no PostgreSQL server reachable (%.*s)\n",
               (int)strcspn(e, "\n"), e);
        PQfinish(db);
        return 0;
    }
    char path[1024];
    struct bn_queries q = {0};
    snprintf(path, sizeof path, "%s/queries.csv", dir);
    if (bn_each_row(path, bn_query_row, &q) != 0)
        return 1;
    n = n < q.n ? n : q.n;
    double t0 = bn_wall_us();
    if (load(db, dir) != 0 || exec_ok(db, "CREATE INDEX ON bench_names USING gin (name "
                                          "gin_trgm_ops)") != 0 ||
        exec_ok(db, "ANALYZE bench_names") != 0 ||
        exec_ok(db, "SET pg_trgm.similarity_threshold = 0.6") != 0)
        return 1;
    printf("pg_trgm: loaded and indexed in %.1f s\n", (bn_wall_us() - t0) / 1e6);
    double pg = run_pg(db, &q, n);
    double us = run_lintas(dir, &q, n);
    printf("speed ratio lintas / pg_trgm: %.0fx (target >= 100x)\n", pg > 0 ? us / pg : 0);
    exec_ok(db, "DROP TABLE bench_names");
    PQfinish(db);
    return 0;
}
