/* bench_names_bounds: checks the index's score bounds on the synthetic
 * watchlist. A query's answer with a limit of 10 must give the same scores,
 * place by place, as the first ten of its answer with a limit of 100: the
 * candidates are the same, and only the bound decides which are scored. A
 * bound below the score it bounds shows up as a higher score that the
 * limit of 10 did not reach.
 *
 *   bench_names_bounds DIR [QUERIES]   (DIR from gen_names; 20,000 queries)
 *
 * Runs the queries without a nationality and with IDN; prints each query
 * that differs and the counts. Exit status 1 when any differs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_names_load.h"
#include "domain/watchlist.h"

/* Queries with a limit of 10 and of 100; returns the number that differ. */
static size_t check(struct name_index *x, const struct bn_queries *q, size_t nq, const char *nat)
{
    size_t bad = 0;
    for (size_t i = 0; i < nq && i < q->n; i++) {
        struct name_query a = {.name = q->name[i], .birth_date = q->dob[i][0] ? q->dob[i] : NULL,
                               .nationality = nat, .threshold = NAMES_DEFAULT_THRESHOLD,
                               .limit = 10, .today = 20000};
        struct name_matches ma, mb;
        if (name_index_query(x, &a, &ma) != 0) {
            a.birth_date = NULL; /* a malformed date in the data set */
            name_matches_free(&ma);
            if (name_index_query(x, &a, &ma) != 0) {
                name_matches_free(&ma);
                continue;
            }
        }
        struct name_query b = a;
        b.limit = 100;
        if (name_index_query(x, &b, &mb) == 0) {
            size_t k = 0;
            while (k < ma.n && k < mb.n && ma.m[k].score == mb.m[k].score)
                k++;
            if (k < ma.n || (ma.n < 10 && mb.n > ma.n)) {
                bad++;
                printf("  differs: %s (%s)%s%s: place %zu, limit 10 %s %d, limit 100 %s %d\n",
                       q->name[i], q->dob[i], nat ? " " : "", nat ? nat : "", k + 1,
                       k < ma.n ? ma.m[k].entry_id : "-", k < ma.n ? ma.m[k].score : 0,
                       k < mb.n ? mb.m[k].entry_id : "-", k < mb.n ? mb.m[k].score : 0);
            }
        }
        name_matches_free(&ma);
        name_matches_free(&mb);
    }
    return bad;
}

int main(int argc, char **argv)
{
    char path[1024];
    struct name_index *x;
    struct bn_queries q = {0};
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: bench_names_bounds DIR [QUERIES] (DIR from gen_names)\n");
        return 2;
    }
    size_t nq = argc == 3 ? strtoul(argv[2], NULL, 10) : 20000;
    if (name_index_new(&x) != 0)
        return 1;
    snprintf(path, sizeof path, "%s/watchlist.csv", argv[1]);
    if (bn_load_synthetic(path, x) != 0)
        return 1;
    snprintf(path, sizeof path, "%s/queries.csv", argv[1]);
    if (bn_each_row(path, bn_query_row, &q) != 0)
        return 1;
    size_t plain = check(x, &q, nq, NULL), idn = check(x, &q, nq, "IDN");
    printf("bounds: %zu queries at limits 10 and 100 on %zu entries: %zu differ without a "
           "nationality, %zu with IDN (target 0)\n",
           nq < q.n ? nq : q.n, name_index_entries(x), plain, idn);
    bn_queries_free(&q);
    name_index_free(x);
    return plain + idn > 0;
}
