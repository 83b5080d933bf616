/* bench_names_load: helpers shared by the name-matching benchmarks: reading
 * whole files, loading the UN + OFAC watchlist into a name_index, and
 * walking the benchmark CSV files. Benchmarks only; not part of lintas. */
#ifndef LINTAS_BENCH_NAMES_LOAD_H
#define LINTAS_BENCH_NAMES_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/name_index.h"
#include "domain/watchlist.h"

/* Reads a whole file; returns NULL (and prints why) on failure. Caller frees. */
char *bn_read_file(const char *path, size_t *len);

/* The directory of the shared data ($LINTAS_SHARED_DATA or ../shared/data). */
const char *bn_data_dir(void);

/* Loaded entries are also kept here for the benchmarks that inspect them. */
struct bn_list {
    struct wl_entry *e;
    size_t n, cap;
};

/* Loads the UN consolidated list (all records) and the OFAC 2021 individuals
 * (with alt.csv aliases) into x and into list (may be NULL). Ids become
 * "UN:<reference>" and "OFAC:<ent_num>". Returns 0 or prints the error. */
int bn_load_watchlist(struct name_index *x, struct bn_list *list);
void bn_list_free(struct bn_list *l);

/* Calls fn for each data row of a CSV file with a header; fields are looked
 * up by column name with bn_col(). */
struct bn_row {
    const char *const *head;
    const char *const *val;
    size_t n;
    size_t line;
};
const char *bn_col(const struct bn_row *r, const char *name);
int bn_each_row(const char *path, int (*fn)(void *ctx, const struct bn_row *r), void *ctx);

/* Queries of a benchmark CSV file (gen_names' queries.csv, the yente
 * files): name (or full_name), birth date (birth_date or date_of_birth;
 * "" when none) and the expected entry id (expect; "" when none), read with
 * bn_each_row(path, bn_query_row, &q). */
struct bn_queries {
    size_t n, cap;
    char **name, **dob, **expect;
};
int bn_query_row(void *ctx, const struct bn_row *r);
void bn_queries_free(struct bn_queries *q);

/* Parses a watchlist CSV (gen_names' watchlist.csv) into x, as list
 * "synthetic". Returns 0, or prints the error and returns -1. */
int bn_load_synthetic(const char *path, struct name_index *x);

/* Monotonic microseconds; with BENCH_CLOCK=cpu in the environment, the
 * calling thread's CPU time instead (on a shared machine, time the thread
 * was not running is then left out of latencies). */
double bn_now_us(void);

/* The machine's CPU time counters from /proc/stat (all zero when it cannot
 * be read): the time stolen and the time its CPUs were wanted (busy or
 * stolen; idle and iowait left out). Between two readings, bn_steal_pct
 * gives the share of the wanted time that the hypervisor gave to other
 * guests (steal): on a shared virtual machine it explains much of the
 * drift between runs, so the benchmarks print it beside their figures. */
struct bn_cpu {
    unsigned long long steal, total;
};
void bn_cpu_now(struct bn_cpu *c);
/* Percent of the wanted time stolen from a to b; -1 when unknown. */
double bn_steal_pct(const struct bn_cpu *a, const struct bn_cpu *b);
/* Microseconds on the monotonic clock whatever BENCH_CLOCK says (a query
 * answered by another process, as PostgreSQL answers, uses no CPU time of
 * this thread). */
double bn_wall_us(void);

#endif
