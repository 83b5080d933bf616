/* rules_eval: evaluation of a compiled ruleset over one facts value set.
 *
 * Conditions use three-valued logic: a comparison that reads an unknown fact
 * is unknown; "not unknown" is unknown; "and" is false when any operand is
 * false, else unknown when any is unknown; "or" is true when any operand is
 * true, else unknown when any is unknown. A rule fires only when its
 * condition is true. Rules are visited in the report order fixed at compile
 * time, so hits come out ordered without sorting; reason texts are rendered
 * into space the result reserved when it was made. Nothing here allocates. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/rules_int.h"
#include "util/errors.h"

enum { TV_FALSE = 0, TV_TRUE = 1, TV_UNKNOWN = 2 };

struct rules_result {
    size_t cap;
    size_t n;
    int64_t score;
    enum rules_recommendation rec;
    struct rules_hit *hits;
    char *text; /* cap * RULES_MAX_REASON bytes */
};

/* A value during evaluation. Lists point at ruleset or facts items. */
struct val {
    bool known;
    int64_t num;
    const char *s;
    size_t len;
    const struct rs_str *items;
    size_t n;
};

static int cond(const struct rules *rs, const struct rules_facts *f, int32_t i);

static void value(const struct rules *rs, const struct rules_facts *f, int32_t i, struct val *v)
{
    const struct rs_node *n = &rs->nodes[i];
    const struct rs_fval *fv;
    const struct rs_list *l;
    memset(v, 0, sizeof *v);
    v->known = true;
    switch (n->op) {
    case OP_NUM:
    case OP_BOOL:
        v->num = n->num;
        break;
    case OP_STR:
        v->s = n->str.p;
        v->len = n->str.len;
        break;
    case OP_LIST:
        l = &rs->lists[n->list];
        v->items = rs->items + l->first;
        v->n = l->n;
        break;
    case OP_FIELD:
    case OP_COUNT:
        fv = &f->v[n->field];
        v->known = fv->known;
        v->num = n->op == OP_COUNT ? (int64_t)fv->n : fv->num;
        v->s = fv->str.p;
        v->len = fv->str.len;
        v->items = f->items + fv->first;
        v->n = fv->n;
        break;
    default: { /* a condition used as a true/false value */
        int t = cond(rs, f, i);
        v->known = t != TV_UNKNOWN;
        v->num = t == TV_TRUE;
        break;
    }
    }
}

static bool member(const char *s, size_t len, const struct rs_str *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (rules_str_eq(items[i].p, items[i].len, s, len))
            return true;
    return false;
}

/* "a in b": a text, or a list of which any item, in list b. */
static bool in_list(const struct val *a, int atype, const struct val *b)
{
    if (atype == RULES_STRING)
        return member(a->s, a->len, b->items, b->n);
    for (size_t i = 0; i < a->n; i++)
        if (member(a->items[i].p, a->items[i].len, b->items, b->n))
            return true;
    return false;
}

static int compare(const struct rules *rs, const struct rules_facts *f, const struct rs_node *n)
{
    struct val a, b;
    value(rs, f, n->a, &a);
    value(rs, f, n->b, &b);
    if (!a.known || !b.known)
        return TV_UNKNOWN;
    int atype = rs->nodes[n->a].type;
    bool eq;
    switch (n->op) {
    case OP_IN:
        return in_list(&a, atype, &b);
    case OP_CONTAINS:
        return member(b.s, b.len, a.items, a.n);
    case OP_LT:
        return a.num < b.num;
    case OP_LE:
        return a.num <= b.num;
    case OP_GT:
        return a.num > b.num;
    case OP_GE:
        return a.num >= b.num;
    default:
        eq = atype == RULES_STRING ? rules_str_eq(a.s, a.len, b.s, b.len) : a.num == b.num;
        return n->op == OP_EQ ? eq : !eq;
    }
}

static int cond(const struct rules *rs, const struct rules_facts *f, int32_t i)
{
    const struct rs_node *n = &rs->nodes[i];
    int t, acc;
    switch (n->op) {
    case OP_AND:
    case OP_OR: {
        int stop = n->op == OP_AND ? TV_FALSE : TV_TRUE;
        acc = n->op == OP_AND ? TV_TRUE : TV_FALSE;
        for (int32_t k = n->a; k >= 0; k = rs->nodes[k].next) {
            t = cond(rs, f, k);
            if (t == stop)
                return stop;
            if (t == TV_UNKNOWN)
                acc = TV_UNKNOWN;
        }
        return acc;
    }
    case OP_NOT:
        t = cond(rs, f, n->a);
        return t == TV_UNKNOWN ? t : !t;
    case OP_KNOWN:
        return f->v[n->field].known;
    case OP_MISSING:
        return !f->v[n->field].known;
    case OP_FIELD:
        return f->v[n->field].known ? f->v[n->field].num != 0 : TV_UNKNOWN;
    case OP_BOOL:
        return n->num != 0;
    default:
        return compare(rs, f, n);
    }
}

/* ---- reasons ---- */

struct out {
    char *p;
    size_t len, cap; /* cap excludes the NUL */
};

static void put(struct out *o, const char *s, size_t len)
{
    if (len > o->cap - o->len) {
        len = o->cap - o->len;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--; /* cut before a character, not inside it */
    }
    memcpy(o->p + o->len, s, len);
    o->len += len;
}

static void put_fact(struct out *o, const struct rules_field *fd, const struct rs_fval *v,
                     const struct rules_facts *f)
{
    char num[32];
    if (!v->known) {
        put(o, "unknown", 7);
        return;
    }
    switch (fd->type) {
    case RULES_NUMBER:
        put(o, num, (size_t)snprintf(num, sizeof num, "%" PRId64, v->num));
        break;
    case RULES_BOOL:
        put(o, v->num ? "yes" : "no", v->num ? 3 : 2);
        break;
    case RULES_STRING:
        put(o, v->str.p, v->str.len);
        break;
    case RULES_LIST:
        if (v->n == 0)
            put(o, "none", 4);
        for (uint32_t i = 0; i < v->n; i++) {
            if (i > 0)
                put(o, ", ", 2);
            put(o, f->items[v->first + i].p, f->items[v->first + i].len);
        }
        break;
    }
}

static void render(const struct rules *rs, const struct rs_rule *r, const struct rules_facts *f,
                   char *dst)
{
    struct out o = {.p = dst, .cap = RULES_MAX_REASON - 1};
    for (uint32_t i = 0; i < r->nparts; i++) {
        const struct rs_part *pt = &rs->parts[r->first_part + i];
        if (pt->field < 0)
            put(&o, pt->str.p, pt->str.len);
        else
            put_fact(&o, &rs->schema->fields[pt->field], &f->v[pt->field], f);
    }
    dst[o.len] = '\0';
}

/* ---- evaluation and results ---- */

int rules_result_new(const struct rules *rs, struct rules_result **out)
{
    *out = NULL;
    struct rules_result *res = calloc(1, sizeof *res);
    if (res == NULL)
        return ERR_NOMEM;
    res->cap = rs->nrules;
    res->hits = calloc(res->cap + 1, sizeof *res->hits);
    res->text = calloc(res->cap + 1, RULES_MAX_REASON);
    if (res->hits == NULL || res->text == NULL) {
        rules_result_free(res);
        return ERR_NOMEM;
    }
    *out = res;
    return 0;
}

void rules_result_free(struct rules_result *res)
{
    if (res == NULL)
        return;
    free(res->hits);
    free(res->text);
    free(res);
}

static enum rules_recommendation from_effect(enum rules_effect e)
{
    switch (e) {
    case RULES_EFFECT_PROTECT:
        return RULES_PROTECT;
    case RULES_EFFECT_REFUSE:
        return RULES_REFUSE;
    case RULES_EFFECT_SECONDARY:
        return RULES_SECONDARY;
    case RULES_EFFECT_SCORE:
    default:
        return RULES_CLEAR;
    }
}

int rules_evaluate(const struct rules *rs, const struct rules_facts *f, struct rules_result *res)
{
    if (f->schema != rs->schema || res->cap < rs->nrules)
        return ERR_INVALID;
    enum rules_recommendation direct = RULES_CLEAR;
    res->n = 0;
    res->score = 0;
    for (size_t k = 0; k < rs->nrules; k++) {
        const struct rs_rule *r = &rs->rules[rs->order[k]];
        if (cond(rs, f, r->root) != TV_TRUE)
            continue;
        struct rules_hit *h = &res->hits[res->n];
        char *text = res->text + res->n * RULES_MAX_REASON;
        render(rs, r, f, text);
        *h = (struct rules_hit){.rule = r->name.p,
                                .text = text,
                                .weight = r->weight,
                                .effect = r->effect,
                                .line = r->line};
        res->score += r->weight;
        if (from_effect(r->effect) > direct)
            direct = from_effect(r->effect);
        res->n++;
    }
    enum rules_recommendation by_score = res->score >= rs->thr_refuse      ? RULES_REFUSE
                                         : res->score >= rs->thr_secondary ? RULES_SECONDARY
                                                                           : RULES_CLEAR;
    res->rec = direct > by_score ? direct : by_score;
    return 0;
}

enum rules_recommendation rules_result_recommendation(const struct rules_result *res)
{
    return res->rec;
}

int64_t rules_result_score(const struct rules_result *res)
{
    return res->score;
}

size_t rules_result_count(const struct rules_result *res)
{
    return res->n;
}

const struct rules_hit *rules_result_hit(const struct rules_result *res, size_t i)
{
    return i < res->n ? &res->hits[i] : NULL;
}

const char *rules_recommendation_str(enum rules_recommendation r)
{
    switch (r) {
    case RULES_SECONDARY:
        return "secondary";
    case RULES_REFUSE:
        return "refuse";
    case RULES_PROTECT:
        return "protect";
    case RULES_CLEAR:
    default:
        return "clear";
    }
}

const char *rules_effect_str(enum rules_effect e)
{
    switch (e) {
    case RULES_EFFECT_SECONDARY:
        return "secondary";
    case RULES_EFFECT_REFUSE:
        return "refuse";
    case RULES_EFFECT_PROTECT:
        return "protect";
    case RULES_EFFECT_SCORE:
    default:
        return "score";
    }
}
