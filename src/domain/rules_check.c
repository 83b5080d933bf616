/* rules_check: warnings about rules that can never fire, for analysts.
 *
 * Two passes per rule. The first looks at each comparison alone: a constant
 * outside the fact's domain (a number out of range, a text that is not a
 * country code or not one of the enumerated values), a membership test
 * against an empty list. The second decides whether the whole condition can
 * be true at all: it expands the condition into disjunctive normal form
 * (negations pushed down; bounded: at most DNF_MAX conjunctions of CUBE_MAX
 * comparisons) and checks each conjunction for contradictions per fact:
 * number intervals with exclusions, true/false, sets of allowed and excluded
 * texts, known versus missing. Comparisons it does not understand (fact
 * against fact, say) count as satisfiable, and a condition too large to
 * expand, or met after the compilation's work budget is spent, is assumed
 * satisfiable: the warning is sound but not complete.
 * Also: unused lists and thresholds that no sum of weights can reach. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/rules_int.h"

#define CUBE_MAX 32
#define DNF_MAX 64
#define WORK_BUDGET 4000000L /* steps (comparisons) per compilation */

struct lit {
    int32_t node;
    bool neg;
};

struct cube {
    unsigned n;
    struct lit l[CUBE_MAX];
};

struct dnf {
    unsigned n;
    bool overflow;
    struct cube c[DNF_MAX];
};

struct ctx {
    const struct rules *rs;
    const struct rules_schema *sc;
    struct rules_diags *d;
    long budget;
};

enum ckind { C_KNOWN = 1, C_MISSING, C_NUM, C_BOOL, C_STR, C_FALSE };

/* One constraint on one fact, from one comparison. */
struct con {
    enum ckind kind;
    int key;                   /* 2 * field, + 1 for count(field) */
    enum rs_op op;             /* C_NUM: the comparison, negation applied */
    int64_t num;               /* C_NUM constant, C_BOOL value */
    bool pos;                  /* C_STR: one of vals (true) or none of them */
    const struct rs_str *vals; /* C_STR */
    uint32_t nvals;
};

static const struct rs_node *node(const struct ctx *c, int32_t i)
{
    return &c->rs->nodes[i];
}

static bool is_fact(const struct rs_node *n)
{
    return n->op == OP_FIELD || n->op == OP_COUNT;
}

static const struct rs_str *list_items(const struct ctx *c, const struct rs_node *n,
                                       uint32_t *count)
{
    const struct rs_list *l = &c->rs->lists[n->list];
    *count = l->n;
    return c->rs->items + l->first;
}

static bool list_has(struct ctx *c, const struct rs_str *v, uint32_t n, const char *s, size_t len)
{
    for (uint32_t i = 0; i < n; i++) {
        c->budget--;
        if (rules_str_eq(v[i].p, v[i].len, s, len))
            return true;
    }
    return false;
}

/* ---- pass 1: each comparison alone ---- */

static void describe_domain(const struct rules_field *fd, char *out, size_t n)
{
    if (fd->domain == RULES_COUNTRY) {
        snprintf(out, n, "a three-letter country code such as KHM");
        return;
    }
    size_t used = (size_t)snprintf(out, n, "one of:");
    for (const char *const *v = fd->values; *v != NULL && used < n; v++)
        used += (size_t)snprintf(out + used, n - used, " %s", *v);
}

static void warn_value(struct ctx *c, const struct rs_node *at, const struct rules_field *fd,
                       const char *v, const char *where)
{
    char dom[120];
    describe_domain(fd, dom, sizeof dom);
    rules_diag(c->d, false, at->line, at->col, "\"%.40s\"%s is not a possible value of %s (%s)", v,
               where, fd->name, dom);
}

/* Whether some x in [lo, hi] makes "x op k" true. */
static bool num_possible(enum rs_op op, int64_t k, int64_t lo, int64_t hi)
{
    switch (op) {
    case OP_LT:
        return lo < k;
    case OP_LE:
        return lo <= k;
    case OP_GT:
        return hi > k;
    case OP_GE:
        return hi >= k;
    case OP_EQ:
        return lo <= k && k <= hi;
    default:
        return !(lo == k && hi == k);
    }
}

static enum rs_op flip(enum rs_op op)
{
    switch (op) {
    case OP_LT:
        return OP_GT;
    case OP_LE:
        return OP_GE;
    case OP_GT:
        return OP_LT;
    case OP_GE:
        return OP_LE;
    default:
        return op;
    }
}

static const char *op_text(enum rs_op op)
{
    static const char *const t[] = {[OP_EQ] = "=",  [OP_NE] = "!=", [OP_LT] = "<",
                                    [OP_LE] = "<=", [OP_GT] = ">",  [OP_GE] = ">="};
    return op <= OP_GE && t[op] != NULL ? t[op] : "?";
}

static void check_number(struct ctx *c, const struct rs_node *n, const struct rs_node *f,
                         const struct rs_node *k, enum rs_op op)
{
    const struct rules_field *fd = &c->sc->fields[f->field];
    int64_t lo = f->op == OP_COUNT ? 0 : fd->min;
    int64_t hi = f->op == OP_COUNT ? (int64_t)RULES_MAX_FACT_ITEMS : fd->max;
    if (!num_possible(op, k->num, lo, hi))
        rules_diag(c->d, false, n->line, n->col,
                   "%s%s%s is always from %lld to %lld, so '%s %lld' is never true",
                   f->op == OP_COUNT ? "count(" : "", fd->name, f->op == OP_COUNT ? ")" : "",
                   (long long)lo, (long long)hi, op_text(op), (long long)k->num);
}

/* Membership of fact f (text or list) in the constant list node l. */
static void check_member(struct ctx *c, const struct rs_node *f, const struct rs_node *l)
{
    const struct rules_field *fd = &c->sc->fields[f->field];
    const struct rs_list *li = &c->rs->lists[l->list];
    char where[RULES_MAX_NAME + 16];
    if (li->n == 0) {
        rules_diag(c->d, false, l->line, l->col, "the list is empty, so this test is never true");
        return;
    }
    snprintf(where, sizeof where, " in list %s", li->name.len > 0 ? li->name.p : "[...]");
    for (uint32_t i = 0; i < li->n; i++) {
        const struct rs_str *v = &c->rs->items[li->first + i];
        if (!rules_value_in_domain(fd, v->p, v->len))
            warn_value(c, l, fd, v->p, where);
    }
}

static void check_cmp(struct ctx *c, const struct rs_node *n)
{
    const struct rs_node *a = node(c, n->a), *b = node(c, n->b);
    enum rs_op op = (enum rs_op)n->op;
    if (op >= OP_EQ && op <= OP_GE) {
        if (is_fact(a) && b->op == OP_NUM)
            check_number(c, n, a, b, op);
        else if (is_fact(b) && a->op == OP_NUM)
            check_number(c, n, b, a, flip(op));
        else if (a->op == OP_FIELD && b->op == OP_STR &&
                 !rules_value_in_domain(&c->sc->fields[a->field], b->str.p, b->str.len))
            warn_value(c, b, &c->sc->fields[a->field], b->str.p, "");
        else if (b->op == OP_FIELD && a->op == OP_STR &&
                 !rules_value_in_domain(&c->sc->fields[b->field], a->str.p, a->str.len))
            warn_value(c, a, &c->sc->fields[b->field], a->str.p, "");
    } else if (op == OP_IN && b->op == OP_LIST && a->op == OP_FIELD) {
        check_member(c, a, b);
    } else if (op == OP_IN && b->op == OP_LIST && node(c, n->b)->op == OP_LIST &&
               c->rs->lists[b->list].n == 0) {
        rules_diag(c->d, false, b->line, b->col, "the list is empty, so this test is never true");
    } else if (op == OP_CONTAINS && a->op == OP_LIST && b->op == OP_FIELD) {
        check_member(c, b, a);
    } else if ((op == OP_CONTAINS && a->op == OP_FIELD && b->op == OP_STR) ||
               (op == OP_IN && a->op == OP_STR && b->op == OP_FIELD)) {
        const struct rs_node *f = a->op == OP_FIELD ? a : b, *s = a->op == OP_STR ? a : b;
        if (!rules_value_in_domain(&c->sc->fields[f->field], s->str.p, s->str.len))
            warn_value(c, s, &c->sc->fields[f->field], s->str.p, "");
    }
}

static void check_atoms(struct ctx *c, int32_t i)
{
    const struct rs_node *n = node(c, i);
    if (n->op == OP_AND || n->op == OP_OR) {
        for (int32_t k = n->a; k >= 0; k = node(c, k)->next)
            check_atoms(c, k);
    } else if (n->op == OP_NOT) {
        check_atoms(c, n->a);
    } else if (n->op >= OP_EQ && n->op <= OP_CONTAINS) {
        check_cmp(c, n);
        if (node(c, n->a)->type == RULES_BOOL && node(c, n->a)->op != OP_FIELD)
            check_atoms(c, n->a);
        if (node(c, n->b)->type == RULES_BOOL && node(c, n->b)->op != OP_FIELD)
            check_atoms(c, n->b);
    }
}

/* ---- pass 2: can the whole condition be true? ---- */

/* Value of a comparison between constants: 1, 0, or -1 when not constant. */
static int const_value(struct ctx *c, const struct rs_node *n)
{
    const struct rs_node *a = node(c, n->a), *b = node(c, n->b);
    bool ka = a->op == OP_NUM || a->op == OP_STR || a->op == OP_BOOL || a->op == OP_LIST;
    bool kb = b->op == OP_NUM || b->op == OP_STR || b->op == OP_BOOL || b->op == OP_LIST;
    if (!ka || !kb)
        return -1;
    uint32_t cnt;
    const struct rs_str *v;
    switch (n->op) {
    case OP_IN:
        if (a->op != OP_STR)
            return -1;
        v = list_items(c, b, &cnt);
        return list_has(c, v, cnt, a->str.p, a->str.len);
    case OP_CONTAINS:
        v = list_items(c, a, &cnt);
        return list_has(c, v, cnt, b->str.p, b->str.len);
    case OP_EQ:
    case OP_NE: {
        bool eq = a->op == OP_STR ? rules_str_eq(a->str.p, a->str.len, b->str.p, b->str.len)
                                  : a->num == b->num;
        return eq == (n->op == OP_EQ);
    }
    default:
        return num_possible((enum rs_op)n->op, b->num, a->num, a->num);
    }
}

static enum rs_op negate_op(enum rs_op op)
{
    switch (op) {
    case OP_LT:
        return OP_GE;
    case OP_LE:
        return OP_GT;
    case OP_GT:
        return OP_LE;
    case OP_GE:
        return OP_LT;
    case OP_EQ:
        return OP_NE;
    default:
        return OP_EQ;
    }
}

static void add(struct con *cs, unsigned *n, struct con c)
{
    cs[(*n)++] = c;
}

/* Text membership: fact f must (pos) or must not be one of vals. */
static void add_str(struct con *cs, unsigned *n, const struct rs_node *f, bool pos,
                    const struct rs_str *vals, uint32_t nvals)
{
    add(cs, n,
        (struct con){.kind = C_STR, .key = 2 * f->field, .pos = pos, .vals = vals, .nvals = nvals});
}

/* A list fact has some item in vals (only the impossible case matters). */
static void add_any(struct ctx *c, struct con *cs, unsigned *n, const struct rs_node *f,
                    const struct rs_str *vals, uint32_t nvals)
{
    const struct rules_field *fd = &c->sc->fields[f->field];
    for (uint32_t i = 0; i < nvals; i++)
        if (rules_value_in_domain(fd, vals[i].p, vals[i].len))
            return;
    add(cs, n, (struct con){.kind = C_FALSE});
}

static void extract_cmp(struct ctx *c, const struct rs_node *n, bool neg, struct con *cs,
                        unsigned *k)
{
    const struct rs_node *a = node(c, n->a), *b = node(c, n->b);
    int cv = const_value(c, n);
    if (cv >= 0) {
        if (cv == neg)
            add(cs, k, (struct con){.kind = C_FALSE});
        return;
    }
    enum rs_op op = (enum rs_op)n->op;
    uint32_t cnt;
    if (op >= OP_EQ && op <= OP_GE && (is_fact(a) || is_fact(b)) &&
        (a->op == OP_NUM || b->op == OP_NUM)) {
        const struct rs_node *f = is_fact(a) ? a : b, *v = is_fact(a) ? b : a;
        enum rs_op o = is_fact(a) ? op : flip(op);
        add(cs, k,
            (struct con){.kind = C_NUM,
                         .key = 2 * f->field + (f->op == OP_COUNT),
                         .op = neg ? negate_op(o) : o,
                         .num = v->num});
    } else if ((op == OP_EQ || op == OP_NE) && (a->op == OP_BOOL || b->op == OP_BOOL) &&
               (a->op == OP_FIELD || b->op == OP_FIELD)) {
        const struct rs_node *f = a->op == OP_FIELD ? a : b, *v = a->op == OP_FIELD ? b : a;
        bool val = (v->num != 0) == ((op == OP_EQ) != neg);
        add(cs, k, (struct con){.kind = C_BOOL, .key = 2 * f->field, .num = val});
    } else if ((op == OP_EQ || op == OP_NE) && (a->op == OP_STR || b->op == OP_STR) &&
               (a->op == OP_FIELD || b->op == OP_FIELD)) {
        const struct rs_node *f = a->op == OP_FIELD ? a : b, *v = a->op == OP_FIELD ? b : a;
        add_str(cs, k, f, (op == OP_EQ) != neg, &v->str, 1);
    } else if (op == OP_IN && a->op == OP_FIELD && b->op == OP_LIST) {
        const struct rs_str *v = list_items(c, b, &cnt);
        if (a->type == RULES_STRING)
            add_str(cs, k, a, !neg, v, cnt);
        else if (!neg)
            add_any(c, cs, k, a, v, cnt);
    } else if (op == OP_CONTAINS && a->op == OP_LIST && b->op == OP_FIELD) {
        const struct rs_str *v = list_items(c, a, &cnt);
        add_str(cs, k, b, !neg, v, cnt);
    } else if (!neg && ((op == OP_CONTAINS && a->op == OP_FIELD && b->op == OP_STR) ||
                        (op == OP_IN && a->op == OP_STR && b->op == OP_FIELD))) {
        const struct rs_node *f = a->op == OP_FIELD ? a : b, *v = a->op == OP_STR ? a : b;
        add_any(c, cs, k, f, &v->str, 1);
    }
}

/* Constraints of one literal: at most three (two facts known, one more). */
static void extract(struct ctx *c, struct lit l, struct con *cs, unsigned *k)
{
    const struct rs_node *n = node(c, l.node);
    switch (n->op) {
    case OP_KNOWN:
    case OP_MISSING:
        add(cs, k,
            (struct con){.kind = (n->op == OP_KNOWN) != l.neg ? C_KNOWN : C_MISSING,
                         .key = 2 * n->field});
        return;
    case OP_FIELD:
        add(cs, k, (struct con){.kind = C_BOOL, .key = 2 * n->field, .num = !l.neg});
        return;
    default:
        break;
    }
    if (n->op < OP_EQ || n->op > OP_CONTAINS)
        return;
    const struct rs_node *ops[2] = {node(c, n->a), node(c, n->b)};
    for (int i = 0; i < 2; i++)
        if (is_fact(ops[i]))
            add(cs, k, (struct con){.kind = C_KNOWN, .key = 2 * ops[i]->field});
    extract_cmp(c, n, l.neg, cs, k);
}

static bool num_sat(const struct ctx *c, const struct con *cs, unsigned n, int key)
{
    const struct rules_field *fd = &c->sc->fields[key / 2];
    int64_t lo = key % 2 ? 0 : fd->min, hi = key % 2 ? (int64_t)RULES_MAX_FACT_ITEMS : fd->max;
    int64_t excl[3 * CUBE_MAX];
    unsigned nexcl = 0;
    for (unsigned i = 0; i < n; i++) {
        if (cs[i].kind != C_NUM || cs[i].key != key)
            continue;
        int64_t v = cs[i].num;
        switch (cs[i].op) {
        case OP_LT:
            hi = hi < v - 1 ? hi : v - 1;
            break;
        case OP_LE:
            hi = hi < v ? hi : v;
            break;
        case OP_GT:
            lo = lo > v + 1 ? lo : v + 1;
            break;
        case OP_GE:
            lo = lo > v ? lo : v;
            break;
        case OP_EQ:
            lo = lo > v ? lo : v;
            hi = hi < v ? hi : v;
            break;
        default:
            excl[nexcl++] = v;
            break;
        }
    }
    if (lo > hi)
        return false;
    if (hi - lo >= (int64_t)nexcl)
        return true;
    for (int64_t v = lo; v <= hi; v++) {
        bool out = false;
        for (unsigned i = 0; i < nexcl && !out; i++)
            out = excl[i] == v;
        if (!out)
            return true;
    }
    return false;
}

/* Whether candidate text s satisfies every text constraint on key. */
static bool str_fits(struct ctx *c, const struct con *cs, unsigned n, int key, const char *s,
                     size_t len)
{
    if (!rules_value_in_domain(&c->sc->fields[key / 2], s, len))
        return false;
    for (unsigned i = 0; i < n; i++)
        if (cs[i].kind == C_STR && cs[i].key == key &&
            list_has(c, cs[i].vals, cs[i].nvals, s, len) != cs[i].pos)
            return false;
    return true;
}

static bool str_sat(struct ctx *c, const struct con *cs, unsigned n, int key)
{
    const struct rules_field *fd = &c->sc->fields[key / 2];
    const struct con *first = NULL;
    for (unsigned i = 0; i < n && first == NULL; i++)
        if (cs[i].kind == C_STR && cs[i].key == key && cs[i].pos)
            first = &cs[i];
    if (first != NULL) {
        for (uint32_t i = 0; i < first->nvals && c->budget > 0; i++)
            if (str_fits(c, cs, n, key, first->vals[i].p, first->vals[i].len))
                return true;
        return c->budget <= 0;
    }
    if (fd->domain != RULES_ENUM)
        return true;
    for (const char *const *v = fd->values; *v != NULL && c->budget > 0; v++)
        if (str_fits(c, cs, n, key, *v, strlen(*v)))
            return true;
    return c->budget <= 0;
}

static bool key_sat(struct ctx *c, const struct con *cs, unsigned n, unsigned at)
{
    int key = cs[at].key, field = key / 2;
    bool known = false, missing = false, t = false, f = false;
    for (unsigned i = 0; i < n; i++) {
        if (cs[i].kind == C_FALSE)
            return false;
        if (cs[i].key / 2 != field)
            continue;
        missing |= cs[i].kind == C_MISSING;
        known |= cs[i].kind != C_MISSING;
        t |= cs[i].kind == C_BOOL && cs[i].num;
        f |= cs[i].kind == C_BOOL && !cs[i].num;
    }
    if ((known && missing) || (t && f))
        return false;
    if (cs[at].kind == C_NUM)
        return num_sat(c, cs, n, key);
    if (cs[at].kind == C_STR)
        return str_sat(c, cs, n, key);
    return true;
}

static bool cube_sat(struct ctx *c, const struct cube *q)
{
    struct con cs[3 * CUBE_MAX];
    unsigned n = 0;
    for (unsigned i = 0; i < q->n; i++)
        extract(c, q->l[i], cs, &n);
    c->budget -= (long)n * n + 1; /* key_sat is quadratic in the constraints */
    for (unsigned i = 0; i < n; i++)
        if (!key_sat(c, cs, n, i))
            return false;
    return true;
}

static void dnf_add(struct ctx *c, struct dnf *d, const struct cube *q)
{
    if (c->budget <= 0) {
        d->overflow = true; /* out of work: undecided, so assumed satisfiable */
        return;
    }
    if (!cube_sat(c, q))
        return;
    if (d->n >= DNF_MAX) {
        d->overflow = true;
        return;
    }
    d->c[d->n++] = *q;
}

/* d = d AND e, keeping the satisfiable conjunctions. */
static void dnf_product(struct ctx *c, struct dnf *d, const struct dnf *e, struct cube *tmp)
{
    struct dnf *acc = malloc(sizeof *acc);
    if (acc == NULL) {
        d->overflow = true;
        return;
    }
    acc->n = 0;
    acc->overflow = d->overflow || e->overflow;
    for (unsigned i = 0; i < d->n && !acc->overflow; i++) {
        for (unsigned j = 0; j < e->n && !acc->overflow; j++) {
            if (d->c[i].n + e->c[j].n > CUBE_MAX) {
                acc->overflow = true;
                break;
            }
            *tmp = d->c[i];
            memcpy(tmp->l + tmp->n, e->c[j].l, e->c[j].n * sizeof tmp->l[0]);
            tmp->n += e->c[j].n;
            dnf_add(c, acc, tmp);
        }
    }
    *d = *acc;
    free(acc);
}

/* The satisfiable conjunctions of node i (negated when neg) into d. */
static void dnf_of(struct ctx *c, int32_t i, bool neg, struct dnf *d)
{
    const struct rs_node *n = node(c, i);
    struct cube q = {0};
    d->n = 0;
    d->overflow = c->budget <= 0;
    if (d->overflow)
        return;
    if (n->op == OP_NOT) {
        dnf_of(c, n->a, !neg, d);
    } else if (n->op == OP_AND || n->op == OP_OR) {
        bool conj = (n->op == OP_AND) != neg;
        struct dnf *e = malloc(sizeof *e);
        if (e == NULL) {
            d->overflow = true;
            return;
        }
        if (conj)
            d->c[d->n++] = q; /* the empty conjunction: true */
        for (int32_t k = n->a; k >= 0 && !d->overflow; k = node(c, k)->next) {
            dnf_of(c, k, neg, e);
            if (conj) {
                dnf_product(c, d, e, &q);
            } else {
                for (unsigned j = 0; j < e->n; j++)
                    dnf_add(c, d, &e->c[j]);
                d->overflow |= e->overflow;
            }
        }
        free(e);
    } else if (n->op == OP_BOOL) {
        if ((n->num != 0) != neg)
            d->c[d->n++] = q;
    } else {
        q.n = 1;
        q.l[0] = (struct lit){.node = i, .neg = neg};
        dnf_add(c, d, &q);
    }
}

/* Whether the rule's condition can be true (true also when undecided). */
static bool can_fire(struct ctx *c, const struct rs_rule *r)
{
    struct dnf *d = malloc(sizeof *d);
    if (d == NULL)
        return true;
    dnf_of(c, r->root, false, d);
    bool sat = d->n > 0 || d->overflow;
    free(d);
    return sat;
}

/* ---- the whole ruleset ---- */

static void check_thresholds(struct ctx *c, int64_t reach)
{
    const struct rules *rs = c->rs;
    if (reach < rs->thr_secondary)
        rules_diag(c->d, false, rs->thr_line[0], rs->thr_col[0],
                   "the score rules add up to at most %lld, below the secondary threshold %lld",
                   (long long)reach, (long long)rs->thr_secondary);
    else if (reach < rs->thr_refuse)
        rules_diag(c->d, false, rs->thr_line[1], rs->thr_col[1],
                   "the score rules add up to at most %lld, below the refuse threshold %lld",
                   (long long)reach, (long long)rs->thr_refuse);
}

void rules_check(const struct rules *rs, struct rules_diags *d)
{
    struct ctx c = {.rs = rs, .sc = rs->schema, .d = d, .budget = WORK_BUDGET};
    int64_t reach = 0;
    bool scored = false;
    for (size_t i = 0; i < rs->nrules; i++) {
        const struct rs_rule *r = &rs->rules[i];
        check_atoms(&c, r->root);
        bool fires = can_fire(&c, r);
        if (!fires)
            rules_diag(d, false, r->when_line, r->when_col,
                       "rule '%s' can never fire: no facts make its condition true", r->name.p);
        scored |= r->effect == RULES_EFFECT_SCORE;
        if (fires && r->effect == RULES_EFFECT_SCORE && r->weight > 0)
            reach += r->weight;
    }
    for (size_t i = 0; i < rs->nlists; i++)
        if (!rs->lists[i].used && rs->lists[i].name.len > 0)
            rules_diag(d, false, rs->lists[i].line, rs->lists[i].col, "list '%s' is never used",
                       rs->lists[i].name.p);
    if (scored)
        check_thresholds(&c, reach);
}
