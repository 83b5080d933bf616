/* backtest: runs a candidate ruleset over the facts stored with past
 * departure screenings and counts how the recommendations would change. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/rules.h"
#include "services/audit.h"
#include "services/rulesets.h"
#include "services/svc.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/errors.h"

#define SAMPLE_MAX 20

struct bt_ctx {
    const struct rules *rules;
    struct rules_result *res;
    int64_t screenings, changed, unreadable;
    int64_t trans[4][4];
    json_t *sample;
};

static int rec_index(const char *s)
{
    static const char *const names[] = {"clear", "secondary", "refuse", "protect"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(s, names[i]) == 0)
            return i;
    }
    return -1;
}

static int bt_row(void *p, int64_t id, const char *rec, const char *facts_txt)
{
    struct bt_ctx *bt = p;
    json_error_t jerr;
    json_t *fj = json_loads(facts_txt, 0, &jerr);
    struct rules_facts *facts = NULL;
    int was = rec_index(rec);
    if (fj == NULL || was < 0 ||
        rules_facts_from_json(rules_schema_of(bt->rules), fj, &facts) < 0) {
        json_decref(fj);
        bt->unreadable++;
        return 0;
    }
    json_decref(fj);
    int r = rules_evaluate(bt->rules, facts, bt->res);
    rules_facts_free(facts);
    if (r < 0)
        return r;
    int now = (int)rules_result_recommendation(bt->res);
    bt->screenings++;
    bt->trans[was][now]++;
    if (was == now)
        return 0;
    bt->changed++;
    if (json_array_size(bt->sample) < SAMPLE_MAX) {
        json_t *fired = json_array();
        for (size_t i = 0; i < rules_result_count(bt->res); i++)
            json_array_append_new(fired, json_string(rules_result_hit(bt->res, i)->rule));
        json_array_append_new(bt->sample,
                              json_pack("{sI ss ss so}", "departure_id", (json_int_t)id, "was",
                                        rec, "would_be",
                                        rules_recommendation_str(
                                            rules_result_recommendation(bt->res)),
                                        "rules", fired));
    }
    return 0;
}

struct src_copy {
    char *src;
    char kind[16];
};

static int take_src(void *p, const struct store_ruleset_row *row)
{
    struct src_copy *c = p;
    c->src = strdup(row->source);
    snprintf(c->kind, sizeof c->kind, "%s", row->kind);
    return c->src ? 0 : ERR_NOMEM;
}

static json_t *bt_json(const struct bt_ctx *bt)
{
    static const char *const names[] = {"clear", "secondary", "refuse", "protect"};
    json_t *tr = json_object();
    for (int a = 0; a < 4; a++) {
        for (int b = 0; b < 4; b++) {
            char key[32];
            if (bt->trans[a][b] == 0)
                continue;
            snprintf(key, sizeof key, "%s->%s", names[a], names[b]);
            json_object_set_new(tr, key, json_integer(bt->trans[a][b]));
        }
    }
    return json_pack("{sI sI sI so sO}", "screenings", (json_int_t)bt->screenings, "changed",
                     (json_int_t)bt->changed, "unreadable", (json_int_t)bt->unreadable,
                     "transitions", tr, "sample", bt->sample);
}

int rulesets_backtest(struct svc *s, const struct actor *who, int64_t id, int64_t from_ms,
                      int64_t to_ms, json_t **out, struct buf *why)
{
    struct src_copy sc = {0};
    struct bt_ctx bt = {0};
    struct rules *rules = NULL;
    struct rules_diags diags;
    char oid[24];
    *out = NULL;
    int r = store_ruleset_get(s->st, id, take_src, &sc);
    if (r == ERR_NOTFOUND)
        buf_puts(why, "no such ruleset");
    if (r == 0 && strcmp(sc.kind, "departure") != 0) {
        buf_puts(why, "backtests run over departure screenings: the ruleset must be of kind "
                      "departure");
        r = ERR_INVALID;
    }
    if (r == 0 && rules_compile(rules_schema_departure(), sc.src, strlen(sc.src), &rules,
                                &diags) < 0)
        r = ERR_CORRUPT;
    if (r == 0)
        r = rules_result_new(rules, &bt.res);
    bt.rules = rules;
    bt.sample = json_array();
    if (r == 0 && (r = store_begin(s->st, false)) == 0) {
        r = store_dep_scan_facts(s->st, from_ms, to_ms, "departure", bt_row, &bt);
        store_rollback(s->st);
    }
    snprintf(oid, sizeof oid, "%" PRId64, id);
    if (r == 0 && (r = store_begin(s->st, true)) == 0) {
        r = audit_append(s->st, who, "ruleset.backtest", "ruleset", oid, "ok", NULL);
        r = r == 0 ? store_commit(s->st) : r;
        if (r < 0)
            store_rollback(s->st);
    }
    if (r == 0)
        *out = bt_json(&bt);
    json_decref(bt.sample);
    rules_result_free(bt.res);
    rules_free(rules);
    free(sc.src);
    return r;
}
