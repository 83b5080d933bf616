/* Benchmark: domain/rules. Compiles the default departure ruleset, then
 * evaluates it over two travellers (scenario (a) of the golden tests, where
 * four rules fire, and an ordinary family holiday, where none does), and
 * also times the whole per-traveller cycle a screening service runs: clear
 * the value set, set about 25 facts by field index, evaluate. Prints
 * compilations/s, evaluations/s and ns per evaluation.
 *
 * usage: bench_rules [RULESET [ITERATIONS]]  (run from the project root) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/rules.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/timeutil.h"

struct fact {
    const char *name;
    char kind; /* n number, s string, b bool, l list */
    int64_t num;
    const char *str;
};

static const struct fact scenario_a[] = {
    {"traveller.age", 'n', 22, NULL},
    {"traveller.document_age_days", 'n', 10, NULL},
    {"traveller.nationality", 's', 0, "IDN"},
    {"traveller.pmi_registered", 'b', 0, NULL},
    {"traveller.nik_province", 's', 0, "32"},
    {"trip.destination", 's', 0, "KHM"},
    {"trip.final_destination", 's', 0, "KHM"},
    {"trip.transit", 'l', 0, NULL},
    {"trip.purpose", 's', 0, "tourism"},
    {"trip.return_ticket", 'b', 0, NULL},
    {"trip.carrier", 's', 0, "Garuda"},
    {"trip.checkpoint_kind", 's', 0, "airport"},
    {"sponsor.name", 's', 0, "Budi Santoso"},
    {"sponsor.phone", 's', 0, "+62 812 0000 0001"},
    {"watchlist.matches", 'n', 0, NULL},
    {"history.window_days", 'n', 730, NULL},
    {"history.departures", 'n', 0, NULL},
    {"history.postponements", 'n', 0, NULL},
    {"history.interceptions", 'n', 0, NULL},
    {"history.refusals", 'n', 0, NULL},
    {"history.past_victim", 'b', 0, NULL},
    {"history.open_consular_case", 'b', 0, NULL},
    {"group.others", 'n', 5, NULL},
    {"group.same_sponsor", 'n', 5, NULL},
    {"group.any_matched", 'b', 0, NULL},
};

static const struct fact family[] = {
    {"traveller.age", 'n', 41, NULL},     {"traveller.document_age_days", 'n', 400, NULL},
    {"trip.destination", 's', 0, "JPN"},  {"trip.final_destination", 's', 0, "JPN"},
    {"trip.purpose", 's', 0, "tourism"},  {"trip.return_ticket", 'b', 1, NULL},
    {"history.departures", 'n', 3, NULL}, {"history.past_victim", 'b', 0, NULL},
    {"group.others", 'n', 3, NULL},       {"group.same_booking", 'n', 3, NULL},
};

/* Field indexes resolved once, as a service would at start-up. */
static int set_all(struct rules_facts *f, const int *idx, const struct fact *fs, size_t n)
{
    static const char *const transit[] = {"SGP"};
    int r = 0;
    for (size_t i = 0; i < n && r == 0; i++) {
        size_t k = (size_t)idx[i];
        switch (fs[i].kind) {
        case 'n':
            r = rules_facts_set_num_at(f, k, fs[i].num);
            break;
        case 'b':
            r = rules_facts_set_bool_at(f, k, fs[i].num != 0);
            break;
        case 'l':
            r = rules_facts_set_list_at(f, k, transit, 1);
            break;
        default:
            r = rules_facts_set_str_at(f, k, fs[i].str, strlen(fs[i].str));
            break;
        }
    }
    return r;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    struct buf b;
    buf_init(&b, RULES_MAX_SOURCE);
    char tmp[4096];
    size_t n;
    int r = 0;
    while (r == 0 && (n = fread(tmp, 1, sizeof tmp, f)) > 0)
        r = buf_append(&b, tmp, n);
    fclose(f);
    if (r < 0) {
        buf_free(&b);
        return NULL;
    }
    return buf_steal(&b, len);
}

static void report(const char *what, long iters, int64_t us)
{
    double s = (double)us / 1e6;
    printf("%-44s %10.0f /s  %8.1f ns each\n", what, (double)iters / s, 1e9 * s / (double)iters);
}

static int bench_eval(const struct rules *rs, const struct fact *fs, size_t n, long iters,
                      const char *label)
{
    const struct rules_schema *sc = rules_schema_of(rs);
    struct rules_facts *f = NULL;
    struct rules_result *res = NULL;
    int idx[64];
    int r = rules_facts_new(sc, &f);
    if (r == 0)
        r = rules_result_new(rs, &res);
    for (size_t i = 0; i < n && r >= 0; i++)
        r = idx[i] = rules_schema_find(sc, fs[i].name);
    if (r >= 0)
        r = set_all(f, idx, fs, n);
    if (r < 0)
        goto out;
    volatile int64_t sink = 0;
    int64_t t0 = time_mono_us();
    for (long i = 0; i < iters; i++) {
        rules_evaluate(rs, f, res);
        sink += rules_result_score(res);
    }
    char what[96];
    snprintf(what, sizeof what, "evaluate, %s (%zu fired, %s)", label, rules_result_count(res),
             rules_recommendation_str(rules_result_recommendation(res)));
    report(what, iters, time_mono_us() - t0);
    t0 = time_mono_us();
    for (long i = 0; i < iters; i++) {
        rules_facts_clear(f);
        set_all(f, idx, fs, n);
        rules_evaluate(rs, f, res);
        sink += rules_result_score(res);
    }
    snprintf(what, sizeof what, "clear + set %zu facts + evaluate, %s", n, label);
    report(what, iters, time_mono_us() - t0);
    (void)sink;
out:
    rules_result_free(res);
    rules_facts_free(f);
    return r < 0 ? r : 0;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "data/rules/departure.rules";
    long iters = argc > 2 ? strtol(argv[2], NULL, 10) : 1000000;
    if (iters <= 0)
        iters = 1000000;
    size_t len;
    char *src = read_all(path, &len);
    if (src == NULL) {
        fprintf(stderr, "bench_rules: cannot read %s\n", path);
        return 1;
    }
    struct rules *rs = NULL;
    long compiles = 200;
    int64_t t0 = time_mono_us();
    for (long i = 0; i < compiles; i++) {
        rules_free(rs);
        rs = NULL;
        if (rules_compile(rules_schema_departure(), src, len, &rs, NULL) != 0) {
            fprintf(stderr, "bench_rules: %s does not compile\n", path);
            free(src);
            return 1;
        }
    }
    printf("ruleset %s: %zu rules, %zu bytes, version %.16s...\n", path, rules_count(rs), len,
           rules_hash(rs));
    report("compile (parse, check, never-fires analysis)", compiles, time_mono_us() - t0);
    int r =
        bench_eval(rs, scenario_a, sizeof scenario_a / sizeof scenario_a[0], iters, "scenario (a)");
    if (r == 0)
        r = bench_eval(rs, family, sizeof family / sizeof family[0], iters, "family holiday");
    if (r != 0)
        fprintf(stderr, "bench_rules: %s\n", err_str(r));
    rules_free(rs);
    free(src);
    return r == 0 ? 0 : 1;
}
