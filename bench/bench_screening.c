/* bench_screening: the in-memory part of manifest screening on one core —
 * parse a 500-person manifest, match every person against a large
 * watchlist, build the rule facts as the service does, and evaluate the
 * default departure ruleset — without the store (history and group
 * look-ups and the durable record are measured over HTTP by
 * bench/run-screening.sh).
 *
 *   bench_screening DIR   (DIR from gen_names: watchlist.csv, queries.csv)
 *
 * Prints milliseconds per manifest and persons per second. ROUNDS=N in the
 * environment sets the number of rounds (20 by default); NO_NAT=1 leaves
 * the nationality out of the queries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_names_load.h"
#include "domain/manifest_json.h"
#include "domain/paxlst.h"
#include "domain/rules.h"
#include "util/buf.h"
#include "util/timeutil.h"

#define PERSONS 500
#define ROUNDS 20

struct mq {
    struct buf *b;
    size_t n;
};

static int add_person(void *ctx, const struct bn_row *r)
{
    struct mq *m = ctx;
    if (m->n == PERSONS)
        return 1;
    const char *name = bn_col(r, "name"), *dob = bn_col(r, "birth_date");
    const char *sp = strrchr(name, ' ');
    buf_printf(m->b, "%s{\"role\":\"passenger\",\"surname\":\"%s\",\"given_names\":\"%.*s\"",
               m->n ? "," : "", sp ? sp + 1 : name, sp ? (int)(sp - name) : 0, name);
    if (strlen(dob) == 10)
        buf_printf(m->b, ",\"birth_date\":\"%s\"", dob);
    buf_printf(m->b, ",\"nationality\":\"IDN\",\"document_number\":\"B%07zu\"}", m->n);
    m->n++;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static json_t *facts_of(const struct paxlst_person *p, const struct name_matches *ms)
{
    json_t *w = json_pack("{si}", "matches", (int)ms->n);
    if (ms->n > 0)
        json_object_set_new(w, "score", json_integer(ms->m[0].score));
    return json_pack("{s{ss sb} s{ss ss sb} s{so} so s{si si si si sb sb} s{si si si sb}}",
                     "traveller", "nationality", "IDN", "pmi_registered", 0, "trip",
                     "destination", "MYS", "purpose", "tourism", "return_ticket", 1, "sponsor",
                     "x", json_null(), "watchlist", w, "history", "window_days", 730,
                     "departures", 0, "interceptions", 0, "refusals", 0, "past_victim", 0,
                     "open_consular_case", 0, "group", "others", 0, "same_booking", 0,
                     "same_sponsor", 0, "any_matched", 0);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_screening DIR (from gen_names)\n");
        return 2;
    }
    char path[1024];
    struct name_index *x;
    if (name_index_new(&x) != 0)
        return 1;
    snprintf(path, sizeof path, "%s/watchlist.csv", argv[1]);
    if (bn_load_synthetic(path, x) != 0)
        return 1;
    struct buf man;
    buf_init(&man, 1u << 24);
    buf_puts(&man, "{\"flight\":{\"carrier\":\"GA\",\"flight\":\"GA820\"},\"persons\":[");
    struct mq m = {&man, 0};
    snprintf(path, sizeof path, "%s/queries.csv", argv[1]);
    bn_each_row(path, add_person, &m);
    buf_puts(&man, "]}");
    size_t rlen;
    char *rsrc = bn_read_file("data/rules/departure.rules", &rlen);
    struct rules *rs;
    struct rules_diags diags;
    struct rules_result *res;
    if (rsrc == NULL || rules_compile(rules_schema_departure(), rsrc, rlen, &rs, &diags) != 0 ||
        rules_result_new(rs, &res) != 0)
        return 1;
    double best = 1e18;
    size_t persons = 0, alerts = 0;
    int32_t today = (int32_t)(time_now_ms() / 86400000);
    const char *env = getenv("ROUNDS");
    long rl = env != NULL ? strtol(env, NULL, 10) : ROUNDS;
    int rounds = rl > 0 && rl < 100000 ? (int)rl : ROUNDS;
    double *dts = malloc((size_t)rounds * sizeof *dts);
    if (dts == NULL)
        return 1;
    struct bn_cpu cpu0, cpu1;
    bn_cpu_now(&cpu0);
    for (int round = 0; round < rounds; round++) {
        double t0 = bn_now_us();
        struct paxlst_manifest *pm;
        struct paxlst_options opt = {.today = today};
        struct buf why;
        buf_init(&why, 1024);
        if (manifest_parse(man.data, man.len, &opt, &pm, &why) != 0)
            return 1;
        alerts = 0;
        for (size_t i = 0; i < pm->npersons; i++) {
            const struct paxlst_person *p = &pm->persons[i];
            char name[512];
            snprintf(name, sizeof name, "%s %s", p->given_names, p->surname);
            struct name_query q = {.name = name, .birth_date = p->birth_date[0] ? p->birth_date
                                                                                : NULL,
                                   .nationality = getenv("NO_NAT") ? NULL : p->nationality,
                                   .threshold = 70, .limit = 10,
                                   .today = today, .explain = true};
            struct name_matches ms;
            name_index_query(x, &q, &ms);
            alerts += ms.n > 0;
            json_t *fj = facts_of(p, &ms);
            struct rules_facts *f;
            if (rules_facts_from_json(rules_schema_departure(), fj, &f) == 0) {
                rules_evaluate(rs, f, res);
                rules_facts_free(f);
            }
            json_decref(fj);
            name_matches_free(&ms);
        }
        persons = pm->npersons;
        paxlst_free(pm);
        buf_free(&why);
        double dt = bn_now_us() - t0;
        dts[round] = dt;
        if (dt < best)
            best = dt;
    }
    bn_cpu_now(&cpu1);
    qsort(dts, (size_t)rounds, sizeof *dts, cmp_double);
    double median = dts[rounds / 2];
    free(dts);
    printf("manifest screening in memory: %zu persons, best of %d rounds %.1f ms per manifest, "
           "%.0f persons/s on one core (%zu alerts; watchlist %zu entries)\n",
           persons, rounds, best / 1000, persons / (best / 1e6), alerts, name_index_entries(x));
    printf("  median round %.1f ms, %.0f persons/s\n", median / 1000, persons / (median / 1e6));
    double steal = bn_steal_pct(&cpu0, &cpu1);
    if (steal >= 0)
        printf("  the hypervisor gave %.0f%% of the CPU time wanted meanwhile to other guests (steal)\n",
               steal);
    rules_result_free(res);
    rules_free(rs);
    free(rsrc);
    buf_free(&man);
    name_index_free(x);
    return 0;
}
