/* Fuzz harness: domain/rules, the compiler of the screening rules language.
 *
 * The input is a ruleset source. It is compiled against both built-in
 * schemas; when it compiles, it is dumped and evaluated over an empty value
 * set and a full one, so the evaluator and the reason renderer run over
 * whatever the compiler accepts. Bounded by the module's own maxima
 * (RULES_MAX_SOURCE and the rest in domain/rules.h); inputs past the source
 * limit are skipped here because the compiler refuses them outright. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "domain/rules.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fill(struct rules_facts *f)
{
    static const char *const transit[] = {"VNM", "THA", "KHM"};
    static const char *const cats[] = {"recruiter", "other"};
    rules_facts_set_num(f, "traveller.age", 22);
    rules_facts_set_num(f, "traveller.document_age_days", 10);
    rules_facts_set_bool(f, "traveller.first_passport", true);
    rules_facts_set_str(f, "trip.destination", "VNM");
    rules_facts_set_str(f, "trip.final_destination", "KHM");
    rules_facts_set_list(f, "trip.transit", transit, 3);
    rules_facts_set_str(f, "trip.purpose", "tourism");
    rules_facts_set_bool(f, "trip.return_ticket", false);
    rules_facts_set_str(f, "sponsor.name", "Budi \"B\" {Santoso}");
    rules_facts_set_num(f, "watchlist.score", 91);
    rules_facts_set_list(f, "watchlist.categories", cats, 2);
    rules_facts_set_num(f, "group.same_sponsor", 5);
    rules_facts_set_bool(f, "history.past_victim", false);
    rules_facts_set_num(f, "applicant.age", 17);
    rules_facts_set_str(f, "applicant.destination", "KHM");
}

static void run(const struct rules_schema *sc, const uint8_t *data, size_t size)
{
    struct rules *rs = NULL;
    struct rules_facts *empty = NULL, *full = NULL;
    struct rules_result *res = NULL;
    struct rules_diags *d = malloc(sizeof *d);
    struct buf b;
    buf_init(&b, 1u << 22);
    if (d == NULL)
        goto out;
    if (rules_compile(sc, (const char *)data, size, &rs, d) != 0) {
        rules_diags_format(d, &b);
        goto out;
    }
    rules_dump(rs, &b);
    if (rules_facts_new(sc, &empty) != 0 || rules_facts_new(sc, &full) != 0 ||
        rules_result_new(rs, &res) != 0)
        goto out;
    fill(full);
    if (rules_evaluate(rs, empty, res) != 0 || rules_evaluate(rs, full, res) != 0)
        abort(); /* facts and result were made for rs: must not fail */
    for (size_t i = 0; i < rules_result_count(res); i++)
        if (rules_result_hit(res, i)->text == NULL)
            abort();
out:
    rules_result_free(res);
    rules_facts_free(full);
    rules_facts_free(empty);
    rules_free(rs);
    buf_free(&b);
    free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > RULES_MAX_SOURCE)
        return 0;
    run(rules_schema_departure(), data, size);
    run(rules_schema_application(), data, size);
    return 0;
}
