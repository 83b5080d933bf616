/* rules_dump: readable text forms of a compiled ruleset and of compiler
 * diagnostics. The dump shows what the compiler understood: thresholds,
 * lists, each rule's condition fully parenthesised in prefix form (so
 * precedence is explicit), its effect, its reason split into text and quoted
 * facts, and the order in which fired rules are reported. Golden tests
 * compare it byte for byte. */
#include <inttypes.h>
#include <stdarg.h>

#include "domain/rules_int.h"
#include "util/errors.h"

/* The dump's output: the first error sticks and later writes are skipped. */
struct dump {
    struct buf *b;
    int err;
};

static void d_putc(struct dump *d, char c)
{
    if (d->err == 0)
        d->err = buf_putc(d->b, c);
}

static void d_puts(struct dump *d, const char *s)
{
    if (d->err == 0)
        d->err = buf_puts(d->b, s);
}

static void d_printf(struct dump *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void d_printf(struct dump *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (d->err == 0)
        d->err = buf_vprintf(d->b, fmt, ap);
    va_end(ap);
}

static void put_quoted(struct dump *b, const char *s, size_t len)
{
    d_putc(b, '"');
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"' || s[i] == '\\')
            d_putc(b, '\\');
        d_putc(b, s[i]);
    }
    d_putc(b, '"');
}

static void put_list(const struct rules *rs, struct dump *b, const struct rs_list *l)
{
    d_putc(b, '[');
    for (uint32_t i = 0; i < l->n; i++) {
        if (i > 0)
            d_puts(b, ", ");
        put_quoted(b, rs->items[l->first + i].p, rs->items[l->first + i].len);
    }
    d_putc(b, ']');
}

static const char *op_name(enum rs_op op)
{
    static const char *const names[] = {
        [OP_AND] = "and",
        [OP_OR] = "or",
        [OP_NOT] = "not",
        [OP_EQ] = "=",
        [OP_NE] = "!=",
        [OP_LT] = "<",
        [OP_LE] = "<=",
        [OP_GT] = ">",
        [OP_GE] = ">=",
        [OP_IN] = "in",
        [OP_CONTAINS] = "contains",
        [OP_KNOWN] = "known",
        [OP_MISSING] = "missing",
        [OP_COUNT] = "count",
    };
    return op < sizeof names / sizeof names[0] && names[op] != NULL ? names[op] : "?";
}

static void put_node(const struct rules *rs, struct dump *b, int32_t i)
{
    const struct rs_node *n = &rs->nodes[i];
    const char *field = rs->schema->fields[n->field].name;
    switch (n->op) {
    case OP_FIELD:
        d_puts(b, field);
        return;
    case OP_NUM:
        d_printf(b, "%" PRId64, n->num);
        return;
    case OP_BOOL:
        d_puts(b, n->num ? "true" : "false");
        return;
    case OP_STR:
        put_quoted(b, n->str.p, n->str.len);
        return;
    case OP_LIST:
        if (rs->lists[n->list].name.len > 0)
            d_puts(b, rs->lists[n->list].name.p);
        else
            put_list(rs, b, &rs->lists[n->list]);
        return;
    case OP_KNOWN:
    case OP_MISSING:
    case OP_COUNT:
        d_printf(b, "(%s %s)", op_name(n->op), field);
        return;
    default:
        break;
    }
    d_printf(b, "(%s", op_name(n->op));
    if (n->op == OP_AND || n->op == OP_OR) {
        for (int32_t k = n->a; k >= 0; k = rs->nodes[k].next) {
            d_putc(b, ' ');
            put_node(rs, b, k);
        }
    } else {
        d_putc(b, ' ');
        put_node(rs, b, n->a);
        if (n->b >= 0) {
            d_putc(b, ' ');
            put_node(rs, b, n->b);
        }
    }
    d_putc(b, ')');
}

static void put_rule(const struct rules *rs, struct dump *b, const struct rs_rule *r)
{
    d_printf(b, "rule %s (line %" PRIu32 ")\n  when ", r->name.p, r->line);
    put_node(rs, b, r->root);
    if (r->effect == RULES_EFFECT_SCORE)
        d_printf(b, "\n  then score %" PRId64 "\n  reason", r->weight);
    else
        d_printf(b, "\n  then %s\n  reason", rules_effect_str(r->effect));
    for (uint32_t i = 0; i < r->nparts; i++) {
        const struct rs_part *pt = &rs->parts[r->first_part + i];
        d_putc(b, ' ');
        if (pt->field < 0)
            put_quoted(b, pt->str.p, pt->str.len);
        else
            d_printf(b, "{%s}", rs->schema->fields[pt->field].name);
    }
    d_putc(b, '\n');
}

int rules_dump(const struct rules *rs, struct buf *out)
{
    struct dump dd = {.b = out, .err = 0}, *b = &dd;
    size_t before = out->len;
    d_printf(b, "schema %s\nhash %s\n", rs->schema->name, rs->hash);
    d_printf(b, "threshold secondary %" PRId64 "\nthreshold refuse %" PRId64 "\n",
             rs->thr_secondary, rs->thr_refuse);
    for (size_t i = 0; i < rs->nlists; i++) {
        if (rs->lists[i].name.len == 0)
            continue;
        d_printf(b, "list %s = ", rs->lists[i].name.p);
        put_list(rs, b, &rs->lists[i]);
        d_putc(b, '\n');
    }
    for (size_t i = 0; i < rs->nrules; i++)
        put_rule(rs, b, &rs->rules[i]);
    d_puts(b, "order");
    for (size_t i = 0; i < rs->nrules; i++)
        d_printf(b, " %s", rs->rules[rs->order[i]].name.p);
    d_putc(b, '\n');
    if (dd.err < 0 && out->data != NULL) {
        out->len = before; /* hand back all or nothing */
        out->data[before] = '\0';
    }
    return dd.err;
}

int rules_diags_format(const struct rules_diags *diags, struct buf *b)
{
    int r = 0;
    for (size_t i = 0; i < diags->n && r == 0; i++) {
        const struct rules_diag *g = &diags->d[i];
        r = buf_printf(b, "%" PRIu32 ":%" PRIu32 ": %s: %s\n", g->line, g->col,
                       g->error ? "error" : "warning", g->text);
    }
    size_t total = diags->nerrors + diags->nwarnings;
    if (r == 0 && total > diags->n)
        r = buf_printf(b, "(%zu more not shown)\n", total - diags->n);
    return r;
}
