/* bench_names_speed: speed and size of the name index on one core.
 *
 *   bench_names_speed DIR     (DIR from gen_names: watchlist.csv, queries.csv)
 *
 * Prints: parse + index time of the synthetic watchlist (CSV import parser
 * and name_index_put, as `lintas watchlist import` minus the store), the
 * index's memory (its own accounting and the process RSS growth), then
 * queries/s and latency percentiles for the name + birth date queries, with
 * the share of planted hits found above the default threshold and of fresh
 * people that raised an alert. Then the same latencies on the real UN +
 * OFAC list with the yente positives and negatives as queries.
 *
 * BENCH_DUMP=FILE appends each query's matches (entry:score) to FILE, to
 * compare the answers of two builds; BENCH_SLOW=US lists slower queries;
 * BENCH_NAT=XXX gives every query that nationality; BENCH_REPEAT=N runs the
 * real-list queries N times (for a profile of the queries alone);
 * BENCH_QUERIES=FILE takes the real-list queries from FILE instead (a CSV
 * with name and birth_date columns, such as the slow ones to profile). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_names_load.h"
#include "domain/watchlist.h"

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f) != NULL)
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    fclose(f);
    return kb;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Runs the queries; prints q/s and percentiles; hits/false alerts when the
 * expect column is present. */
static void run(struct name_index *x, const struct bn_queries *q, const char *label)
{
    double *lat = malloc(q->n * sizeof *lat);
    size_t planted = 0, found = 0, fresh = 0, alerts = 0, cands = 0, scored = 0;
    double total = 0;
    FILE *dump = getenv("BENCH_DUMP") != NULL ? fopen(getenv("BENCH_DUMP"), "a") : NULL;
    struct bn_cpu cpu0, cpu1;
    bn_cpu_now(&cpu0);
    for (size_t i = 0; i < q->n; i++) {
        struct name_query nq = {.name = q->name[i], .birth_date = q->dob[i],
                                .threshold = NAMES_DEFAULT_THRESHOLD, .limit = 10,
                                .today = 20000, .explain = true,
                                .nationality = getenv("BENCH_NAT")};
        struct name_matches m;
        double t0 = bn_now_us();
        int r = name_index_query(x, &nq, &m);
        lat[i] = bn_now_us() - t0;
        total += lat[i];
        if (r != 0) {
            nq.birth_date = NULL; /* a malformed date in the data set */
            r = name_index_query(x, &nq, &m);
        }
        cands += m.candidates, scored += m.scored;
        if (dump != NULL) { /* to compare two builds' answers */
            fprintf(dump, "%zu %s|", i, q->name[i]);
            for (size_t k = 0; r == 0 && k < m.n; k++)
                fprintf(dump, " %s:%d", m.m[k].entry_id, m.m[k].score);
            fputc('\n', dump);
        }
        bool hit = false;
        for (size_t k = 0; r == 0 && k < m.n; k++)
            hit = hit || strcmp(m.m[k].entry_id, q->expect[i]) == 0;
        if (q->expect[i][0] != '\0')
            planted++, found += hit;
        else
            fresh++, alerts += r == 0 && m.n > 0;
        name_matches_free(&m);
    }
    bn_cpu_now(&cpu1);
    if (getenv("BENCH_SLOW") != NULL) /* the slowest queries, for profiling */
        for (size_t i = 0; i < q->n; i++)
            if (lat[i] > strtod(getenv("BENCH_SLOW"), NULL))
                fprintf(stderr, "slow %.0f us: %s (%s)\n", lat[i], q->name[i], q->dob[i]);
    qsort(lat, q->n, sizeof *lat, cmp_d);
    printf("%s: %zu queries, %.0f queries/s, p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.0f "
           "us\n",
           label, q->n, 1e6 * (double)q->n / total, lat[q->n / 2], lat[q->n * 99 / 100],
           lat[q->n * 999 / 1000], lat[q->n - 1]);
    double top1 = 0, top10 = 0; /* how much of the time the slowest queries take */
    for (size_t i = q->n - q->n / 10; i < q->n; i++)
        top10 += lat[i], top1 += i >= q->n - q->n / 100 ? lat[i] : 0;
    printf("  the slowest 1%% of queries take %.0f%% of the time, the slowest 10%% %.0f%%\n",
           100 * top1 / total, 100 * top10 / total);
    printf("  per query: %.0f candidates kept, %.0f scored (at most %u)\n",
           (double)cands / (double)q->n, (double)scored / (double)q->n, LIMIT_CANDIDATES);
    double steal = bn_steal_pct(&cpu0, &cpu1);
    if (steal >= 0)
        printf("  the hypervisor gave %.0f%% of the CPU time wanted meanwhile to other guests (steal)\n",
               steal);
    if (planted > 0)
        printf("  planted hits found above threshold: %zu/%zu = %.2f%%; fresh people with an "
               "alert: %zu/%zu = %.2f%%\n",
               found, planted, 100.0 * (double)found / (double)planted, alerts, fresh,
               100.0 * (double)alerts / (double)(fresh ? fresh : 1));
    if (dump != NULL)
        fclose(dump);
    free(lat);
}

static void real_list(void)
{
    struct name_index *x;
    struct bn_queries q = {0};
    char path[1024];
    if (name_index_new(&x) != 0 || bn_load_watchlist(x, NULL) != 0)
        return;
    if (getenv("BENCH_QUERIES") != NULL) {
        if (bn_each_row(getenv("BENCH_QUERIES"), bn_query_row, &q) != 0)
            return;
    } else {
        snprintf(path, sizeof path, "%s/opensanctions_yente_benchmark/positives_un_treated.csv",
                 bn_data_dir());
        bn_each_row(path, bn_query_row, &q);
        snprintf(path, sizeof path, "%s/opensanctions_yente_benchmark/negatives_global.csv",
                 bn_data_dir());
        bn_each_row(path, bn_query_row, &q);
    }
    struct bn_queries head = q;
    head.n = q.n < 20000 ? q.n : 20000;
    /* BENCH_REPEAT=N runs them N times, so that a profile is the queries' */
    long rounds = getenv("BENCH_REPEAT") != NULL ? strtol(getenv("BENCH_REPEAT"), NULL, 10) : 1;
    for (long k = 0; k < (rounds > 0 ? rounds : 1); k++)
        run(x, &head, "real list (UN + OFAC individuals, yente positives + global negatives)");
    bn_queries_free(&q);
    name_index_free(x);
}

int main(int argc, char **argv)
{
    char path[1024];
    struct name_index *x;
    struct bn_queries q = {0};
    if (argc < 2) {
        fprintf(stderr, "usage: bench_names_speed DIR | --real\n");
        return 2;
    }
    if (strcmp(argv[1], "--real") == 0) { /* the real list alone */
        real_list();
        return 0;
    }
    snprintf(path, sizeof path, "%s/watchlist.csv", argv[1]);
    if (name_index_new(&x) != 0)
        return 1;
    long rss0 = rss_kb();
    double t0 = bn_now_us();
    if (bn_load_synthetic(path, x) != 0)
        return 1;
    double build = (bn_now_us() - t0) / 1e6;
    long rss1 = rss_kb();
    printf("synthetic watchlist: %zu entries, %zu names; parse+index %.1f s (target <= 60 s); "
           "index memory %.0f MiB by its accounting, RSS growth %.0f MiB (target <= 1024)\n",
           name_index_entries(x), name_index_names(x), build,
           (double)name_index_memory(x) / 1048576.0, (double)(rss1 - rss0) / 1024.0);
    snprintf(path, sizeof path, "%s/queries.csv", argv[1]);
    if (bn_each_row(path, bn_query_row, &q) != 0)
        return 1;
    run(x, &q, "synthetic 1M, name + birth date, half planted");
    bn_queries_free(&q);
    name_index_free(x);
    real_list();
    return 0;
}
