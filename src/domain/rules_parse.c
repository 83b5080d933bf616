/* rules_parse: the parser and type checker of the rules language. A
 * recursive-descent parser over the lexer's tokens builds the ruleset's flat
 * arrays (rules_int.h), resolving fact names against the schema as it goes:
 * unknown facts, protected attributes and type mismatches are errors at the
 * offending token. After a syntax error it skips to the next declaration
 * keyword and goes on, so one compilation reports many errors. */
#include <string.h>

#include "domain/rules_int.h"
#include "util/errors.h"

struct parser {
    struct rs_lexer lx;
    struct rs_token tok;
    struct rules *rs;
    const struct rules_schema *schema;
    struct rules_diags *d;
    const char *src;
    unsigned depth;
    int fatal; /* ERR_NOMEM or ERR_LIMIT: stop parsing */
    bool seen_schema, seen_secondary, seen_refuse;
};

static const char *type_name(int t)
{
    switch (t) {
    case RULES_NUMBER:
        return "a number";
    case RULES_STRING:
        return "a text";
    case RULES_BOOL:
        return "a true/false fact";
    case RULES_LIST:
        return "a list";
    default:
        return "an invalid value";
    }
}

static void next(struct parser *p)
{
    rules_lex_next(&p->lx, &p->tok);
    if (p->tok.t == T_ERROR)
        rules_diag(p->d, true, p->tok.line, p->tok.col, "%s", p->lx.err);
}

/* Reports "expected WHAT, found X" at the current token, unless the lexer
 * has already reported that token. */
static int32_t expected(struct parser *p, const char *what)
{
    if (p->tok.t != T_ERROR) {
        const char *q = p->tok.t >= K_RULE ? "'" : "";
        rules_diag(p->d, true, p->tok.line, p->tok.col, "expected %s, found %s%s%s", what, q,
                   rules_tok_name(p->tok.t), q);
    }
    return -1;
}

static bool accept(struct parser *p, enum rs_tok t)
{
    if (p->tok.t != t)
        return false;
    next(p);
    return true;
}

static void limit_hit(struct parser *p, int r, const char *what, unsigned max)
{
    if (r == ERR_LIMIT)
        rules_diag(p->d, true, p->tok.line, p->tok.col, "too many %s (at most %u)", what, max);
    p->fatal = r;
}

static int pool_add(struct parser *p, const char *s, size_t len, struct rs_str *out)
{
    struct buf *b = &p->rs->pool;
    out->off = (uint32_t)b->len;
    out->len = (uint32_t)len;
    out->p = NULL;
    int r = buf_append(b, s, len);
    if (r == 0)
        r = buf_append(b, "", 1);
    if (r < 0)
        p->fatal = r;
    return r;
}

/* Adds raw quoted text with its \" and \\ escapes undone. */
static int pool_add_unescaped(struct parser *p, const char *raw, size_t len, struct rs_str *out)
{
    struct buf *b = &p->rs->pool;
    out->off = (uint32_t)b->len;
    out->p = NULL;
    int r = 0;
    size_t n = 0;
    for (size_t i = 0; i < len && r == 0; i++, n++) {
        if (raw[i] == '\\')
            i++;
        r = buf_append(b, raw + i, 1);
    }
    if (r == 0)
        r = buf_append(b, "", 1);
    out->len = (uint32_t)n;
    if (r < 0)
        p->fatal = r;
    return r;
}

static const char *pool_str(const struct parser *p, struct rs_str s)
{
    return p->rs->pool.data + s.off;
}

static int32_t node_new(struct parser *p, enum rs_op op, int type, uint32_t line, uint32_t col)
{
    struct rules *rs = p->rs;
    int r = rules_grow((void **)&rs->nodes, &rs->cap_nodes, rs->nnodes + 1, sizeof *rs->nodes,
                       RULES_MAX_NODES);
    if (r < 0) {
        limit_hit(p, r, "expression parts", RULES_MAX_NODES);
        return -1;
    }
    struct rs_node *n = &rs->nodes[rs->nnodes];
    memset(n, 0, sizeof *n);
    n->op = (uint8_t)op;
    n->type = (uint8_t)type;
    n->line = line;
    n->col = col;
    n->a = n->b = n->next = -1;
    return (int32_t)rs->nnodes++;
}

/* Resolves a field name at token t; reports unknown and protected fields.
 * Returns the index, or -1 after an error. */
static int field_ref(struct parser *p, const char *name, size_t len, uint32_t line, uint32_t col)
{
    char tmp[RULES_MAX_NAME + 1];
    if (len > RULES_MAX_NAME) {
        rules_diag(p->d, true, line, col, "unknown fact (name too long)");
        return -1;
    }
    memcpy(tmp, name, len);
    tmp[len] = '\0';
    int idx = rules_schema_find(p->schema, tmp);
    if (idx < 0) {
        rules_diag(p->d, true, line, col, "unknown fact '%s' (not in the %s schema)", tmp,
                   p->schema->name);
        return -1;
    }
    if (p->schema->fields[idx].protected_attr) {
        rules_diag(p->d, true, line, col,
                   "'%s' is a protected attribute: no rule may read it "
                   "(sex, religion and ethnicity are never screening criteria)",
                   tmp);
        return -1;
    }
    return idx;
}

static int find_list(const struct parser *p, const char *name, size_t len)
{
    for (size_t i = 0; i < p->rs->nlists; i++) {
        const struct rs_list *l = &p->rs->lists[i];
        if (l->name.len == len && len > 0 && memcmp(pool_str(p, l->name), name, len) == 0)
            return (int)i;
    }
    return -1;
}

/* Parses "[ "a", "b", ... ]" (current token '[') into a new list. Returns
 * the list index or -1. */
static int parse_list_items(struct parser *p, struct rs_str name, uint32_t line, uint32_t col)
{
    struct rules *rs = p->rs;
    int r = rules_grow((void **)&rs->lists, &rs->cap_lists, rs->nlists + 1, sizeof *rs->lists,
                       RULES_MAX_LISTS);
    if (r < 0) {
        limit_hit(p, r, "lists", RULES_MAX_LISTS);
        return -1;
    }
    struct rs_list l = {.name = name, .first = (uint32_t)rs->nitems, .line = line, .col = col};
    next(p); /* '[' */
    while (p->tok.t == T_STR) {
        if (l.n >= RULES_MAX_LIST_ITEMS) {
            rules_diag(p->d, true, p->tok.line, p->tok.col, "list has more than %u values",
                       RULES_MAX_LIST_ITEMS);
            return -1;
        }
        r = rules_grow((void **)&rs->items, &rs->cap_items, rs->nitems + 1, sizeof *rs->items,
                       (size_t)RULES_MAX_LISTS * RULES_MAX_LIST_ITEMS);
        if (r < 0) {
            limit_hit(p, r, "list values", RULES_MAX_LISTS * RULES_MAX_LIST_ITEMS);
            return -1;
        }
        if (pool_add_unescaped(p, p->src + p->tok.pos, p->tok.len, &rs->items[rs->nitems]) < 0)
            return -1;
        const struct rs_str *it = &rs->items[rs->nitems];
        for (uint32_t i = l.first; i < l.first + l.n; i++) {
            if (rules_str_eq(pool_str(p, rs->items[i]), rs->items[i].len, pool_str(p, *it),
                             it->len)) {
                rules_diag(p->d, false, p->tok.line, p->tok.col, "value \"%s\" appears twice",
                           pool_str(p, *it));
                break;
            }
        }
        rs->nitems++;
        l.n++;
        next(p);
        if (!accept(p, T_COMMA))
            break;
    }
    if (!accept(p, T_RBRACK))
        return expected(p, l.n > 0 ? "',' or ']'" : "a quoted value or ']'");
    rs->lists[rs->nlists] = l;
    return (int)rs->nlists++;
}

static int32_t parse_or(struct parser *p);

/* known(f), missing(f), count(f); current token is the keyword. */
static int32_t parse_call(struct parser *p)
{
    struct rs_token kw = p->tok;
    next(p);
    if (!accept(p, T_LPAREN))
        return expected(p, "'('");
    struct rs_token ft = p->tok;
    if (ft.t != T_IDENT || memchr(p->src + ft.pos, '.', ft.len) == NULL)
        return expected(p, "a fact name such as trip.transit");
    next(p);
    if (!accept(p, T_RPAREN))
        return expected(p, "')'");
    int f = field_ref(p, p->src + ft.pos, ft.len, ft.line, ft.col);
    enum rs_op op = kw.t == K_KNOWN ? OP_KNOWN : kw.t == K_MISSING ? OP_MISSING : OP_COUNT;
    int type = op == OP_COUNT ? RULES_NUMBER : RULES_BOOL;
    if (f >= 0 && op == OP_COUNT && p->schema->fields[f].type != RULES_LIST) {
        rules_diag(p->d, true, ft.line, ft.col, "count() needs a list fact; '%s' is %s",
                   p->schema->fields[f].name, type_name(p->schema->fields[f].type));
        f = -1;
    }
    int32_t n = node_new(p, op, f < 0 ? 0 : type, kw.line, kw.col);
    if (n >= 0)
        p->rs->nodes[n].field = (uint16_t)(f < 0 ? 0 : f);
    return n;
}

/* A name: a fact (with a dot) or a named list. */
static int32_t parse_name(struct parser *p)
{
    struct rs_token t = p->tok;
    const char *s = p->src + t.pos;
    next(p);
    if (memchr(s, '.', t.len) != NULL) {
        int f = field_ref(p, s, t.len, t.line, t.col);
        int32_t n = node_new(p, OP_FIELD, f < 0 ? 0 : p->schema->fields[f].type, t.line, t.col);
        if (n >= 0)
            p->rs->nodes[n].field = (uint16_t)(f < 0 ? 0 : f);
        return n;
    }
    int l = find_list(p, s, t.len);
    if (l < 0)
        rules_diag(p->d, true, t.line, t.col,
                   "unknown list '%.*s' (lists must be declared before the rules that use them)",
                   (int)t.len, s);
    else
        p->rs->lists[l].used = true;
    int32_t n = node_new(p, OP_LIST, l < 0 ? 0 : RULES_LIST, t.line, t.col);
    if (n >= 0)
        p->rs->nodes[n].list = (uint32_t)(l < 0 ? 0 : l);
    return n;
}

static int32_t parse_paren(struct parser *p)
{
    if (++p->depth > RULES_MAX_DEPTH) {
        rules_diag(p->d, true, p->tok.line, p->tok.col, "condition nested deeper than %u levels",
                   RULES_MAX_DEPTH);
        return -1;
    }
    next(p);
    int32_t e = parse_or(p);
    p->depth--;
    if (e < 0)
        return -1;
    if (!accept(p, T_RPAREN))
        return expected(p, "')'");
    return e;
}

static int32_t parse_term(struct parser *p)
{
    struct rs_token t = p->tok;
    int32_t n;
    switch (t.t) {
    case T_LPAREN:
        return parse_paren(p);
    case T_MINUS:
    case T_NUM:
        next(p);
        if (t.t == T_MINUS && p->tok.t != T_NUM)
            return expected(p, "a number after '-'");
        n = node_new(p, OP_NUM, RULES_NUMBER, t.line, t.col);
        if (n >= 0)
            p->rs->nodes[n].num = t.t == T_MINUS ? -p->tok.num : t.num;
        if (t.t == T_MINUS)
            next(p);
        return n;
    case T_STR:
        n = node_new(p, OP_STR, RULES_STRING, t.line, t.col);
        if (n >= 0 && pool_add_unescaped(p, p->src + t.pos, t.len, &p->rs->nodes[n].str) < 0)
            return -1;
        next(p);
        return n;
    case K_TRUE:
    case K_FALSE:
        next(p);
        n = node_new(p, OP_BOOL, RULES_BOOL, t.line, t.col);
        if (n >= 0)
            p->rs->nodes[n].num = t.t == K_TRUE;
        return n;
    case T_LBRACK: {
        int l = parse_list_items(p, (struct rs_str){0}, t.line, t.col);
        if (l < 0)
            return -1;
        p->rs->lists[l].used = true;
        n = node_new(p, OP_LIST, RULES_LIST, t.line, t.col);
        if (n >= 0)
            p->rs->nodes[n].list = (uint32_t)l;
        return n;
    }
    case T_IDENT:
        return parse_name(p);
    case K_KNOWN:
    case K_MISSING:
    case K_COUNT:
        return parse_call(p);
    default:
        return expected(p, "a fact, a value, a list or '('");
    }
}

/* Checks operand types of a comparison; reports at the left operand. */
static bool cmp_types_ok(struct parser *p, enum rs_op op, int32_t a, int32_t b)
{
    const struct rs_node *na = &p->rs->nodes[a], *nb = &p->rs->nodes[b];
    int ta = na->type, tb = nb->type;
    if (ta == 0 || tb == 0)
        return false;
    const char *msg = NULL;
    if (op == OP_IN) {
        if (ta != RULES_STRING && ta != RULES_LIST)
            msg = "'in' needs a text or a list on its left";
        else if (tb != RULES_LIST)
            msg = "'in' needs a list on its right";
    } else if (op == OP_CONTAINS) {
        if (ta != RULES_LIST)
            msg = "'contains' needs a list on its left";
        else if (tb != RULES_STRING)
            msg = "'contains' needs a text on its right";
    } else if (op == OP_EQ || op == OP_NE) {
        if (ta == RULES_LIST || tb == RULES_LIST)
            msg = "lists cannot be compared with = or !=; use 'in' or 'contains'";
        else if (ta != tb) {
            rules_diag(p->d, true, na->line, na->col, "cannot compare %s with %s", type_name(ta),
                       type_name(tb));
            return false;
        }
    } else if (ta != RULES_NUMBER || tb != RULES_NUMBER) {
        msg = "<, <=, > and >= compare numbers only";
    }
    if (msg != NULL)
        rules_diag(p->d, true, na->line, na->col, "%s", msg);
    return msg == NULL;
}

static int32_t parse_cmp(struct parser *p)
{
    int32_t a = parse_term(p);
    if (a < 0)
        return -1;
    enum rs_op op;
    bool negate = false;
    switch (p->tok.t) {
    case T_EQ:
        op = OP_EQ;
        break;
    case T_NE:
        op = OP_NE;
        break;
    case T_LT:
        op = OP_LT;
        break;
    case T_LE:
        op = OP_LE;
        break;
    case T_GT:
        op = OP_GT;
        break;
    case T_GE:
        op = OP_GE;
        break;
    case K_IN:
        op = OP_IN;
        break;
    case K_CONTAINS:
        op = OP_CONTAINS;
        break;
    case K_NOT:
        op = OP_IN;
        negate = true;
        next(p);
        if (p->tok.t != K_IN)
            return expected(p, "'in' after 'not'");
        break;
    default: {
        const struct rs_node *na = &p->rs->nodes[a];
        if (p->tok.t == T_ERROR)
            return -1; /* already reported; do not guess what was meant */
        if (na->type != RULES_BOOL && na->type != 0) {
            rules_diag(p->d, true, na->line, na->col,
                       "%s is not a condition; compare it with something", type_name(na->type));
            p->rs->nodes[a].type = 0;
        }
        return a;
    }
    }
    next(p);
    int32_t b = parse_term(p);
    if (b < 0)
        return -1;
    const struct rs_node *na = &p->rs->nodes[a];
    bool ok = cmp_types_ok(p, op, a, b);
    int32_t n = node_new(p, op, ok ? RULES_BOOL : 0, na->line, na->col);
    if (n < 0)
        return -1;
    p->rs->nodes[n].a = a;
    p->rs->nodes[n].b = b;
    if (!negate)
        return n;
    int32_t m =
        node_new(p, OP_NOT, p->rs->nodes[n].type, p->rs->nodes[n].line, p->rs->nodes[n].col);
    if (m >= 0)
        p->rs->nodes[m].a = n;
    return m;
}

static int32_t parse_not(struct parser *p)
{
    if (p->tok.t != K_NOT)
        return parse_cmp(p);
    struct rs_token t = p->tok;
    if (++p->depth > RULES_MAX_DEPTH) {
        rules_diag(p->d, true, t.line, t.col, "condition nested deeper than %u levels",
                   RULES_MAX_DEPTH);
        return -1;
    }
    next(p);
    int32_t a = parse_not(p);
    p->depth--;
    if (a < 0)
        return -1;
    int32_t n = node_new(p, OP_NOT, p->rs->nodes[a].type, t.line, t.col);
    if (n >= 0)
        p->rs->nodes[n].a = a;
    return n;
}

/* Appends operand c to the and/or node n, taking the operands of c itself
 * when it is a parenthesised node of the same kind; *tail is the last
 * operand so far. */
static int chain_add(struct parser *p, int32_t n, int32_t *tail, int32_t c, unsigned *count)
{
    struct rs_node *nodes = p->rs->nodes;
    int32_t k = nodes[c].op == nodes[n].op ? nodes[c].a : c;
    if (k == c)
        nodes[c].next = -1;
    while (k >= 0) {
        int32_t after = nodes[k].next;
        if (++*count > RULES_MAX_TERMS) {
            rules_diag(p->d, true, nodes[k].line, nodes[k].col,
                       "more than %u conditions joined by and/or", RULES_MAX_TERMS);
            return -1;
        }
        if (*tail < 0)
            nodes[n].a = k;
        else
            nodes[*tail].next = k;
        *tail = k;
        if (nodes[k].type == 0)
            nodes[n].type = 0;
        k = after;
    }
    return 0;
}

/* and_expr / or_expr: operands of level sub joined by kw. */
static int32_t parse_chain(struct parser *p, enum rs_tok kw, enum rs_op op,
                           int32_t (*sub)(struct parser *))
{
    int32_t first = sub(p);
    if (first < 0 || p->tok.t != kw)
        return first;
    int32_t n = node_new(p, op, RULES_BOOL, p->rs->nodes[first].line, p->rs->nodes[first].col);
    int32_t tail = -1;
    unsigned count = 0;
    if (n < 0 || chain_add(p, n, &tail, first, &count) < 0)
        return -1;
    while (accept(p, kw)) {
        int32_t c = sub(p);
        if (c < 0 || chain_add(p, n, &tail, c, &count) < 0)
            return -1;
    }
    return n;
}

static int32_t parse_and(struct parser *p)
{
    return parse_chain(p, K_AND, OP_AND, parse_not);
}

static int32_t parse_or(struct parser *p)
{
    return parse_chain(p, K_OR, OP_OR, parse_and);
}

/* ---- reason templates ---- */

/* Characters (not bytes) in s[0..n). */
static uint32_t chars(const char *s, size_t n)
{
    uint32_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static int part_add(struct parser *p, struct rs_rule *r, int32_t field, const char *s, size_t len)
{
    struct rules *rs = p->rs;
    if (field < 0 && len == 0)
        return 0;
    int e = rules_grow((void **)&rs->parts, &rs->cap_parts, rs->nparts + 1, sizeof *rs->parts,
                       (size_t)RULES_MAX_RULES * (2 * RULES_MAX_PLACEHOLDERS + 1));
    if (e < 0) {
        limit_hit(p, e, "reason parts", RULES_MAX_RULES * (2 * RULES_MAX_PLACEHOLDERS + 1));
        return e;
    }
    struct rs_part *pt = &rs->parts[rs->nparts];
    pt->field = field;
    pt->str = (struct rs_str){0};
    if (field < 0 && pool_add(p, s, len, &pt->str) < 0)
        return p->fatal;
    rs->nparts++;
    r->nparts++;
    return 0;
}

/* Quotes a fact: "{group.name}" up to the next '}'. Returns the bytes used
 * (0 after an error). */
static size_t parse_placeholder(struct parser *p, struct rs_rule *r, const char *s, size_t len,
                                uint32_t line, uint32_t col, unsigned *count)
{
    const char *end = memchr(s, '}', len);
    if (end == NULL) {
        rules_diag(p->d, true, line, col, "'{' without a closing '}' (write '{{' for a brace)");
        return 0;
    }
    size_t n = (size_t)(end - s - 1);
    int f = field_ref(p, s + 1, n, line, col + 1);
    if (++*count > RULES_MAX_PLACEHOLDERS) {
        rules_diag(p->d, true, line, col, "more than %u quoted facts in one reason",
                   RULES_MAX_PLACEHOLDERS);
        return 0;
    }
    if (f >= 0 && part_add(p, r, f, NULL, 0) < 0)
        return 0;
    return n + 2;
}

/* Splits the raw reason text of token t into literal and quoted-fact parts. */
static void parse_reason(struct parser *p, struct rs_rule *r, const struct rs_token *t)
{
    const char *raw = p->src + t->pos;
    char lit[RULES_MAX_STRING];
    size_t nlit = 0;
    unsigned count = 0;
    r->first_part = (uint32_t)p->rs->nparts;
    r->nparts = 0;
    if (t->len == 0)
        rules_diag(p->d, true, t->line, t->col, "the reason text is empty");
    for (size_t i = 0; i < t->len && p->fatal == 0;) {
        uint32_t col = t->col + 1 + chars(raw, i);
        char c = raw[i];
        bool twice = i + 1 < t->len && raw[i + 1] == c;
        if (c == '\\' || ((c == '{' || c == '}') && twice)) {
            lit[nlit++] = raw[i + 1];
            i += 2;
        } else if (c == '}') {
            rules_diag(p->d, true, t->line, col, "'}' without '{' (write '}}' for a brace)");
            i++;
        } else if (c == '{') {
            if (part_add(p, r, -1, lit, nlit) < 0)
                return;
            nlit = 0;
            size_t used = parse_placeholder(p, r, raw + i, t->len - i, t->line, col, &count);
            if (used == 0)
                return;
            i += used;
        } else {
            lit[nlit++] = c;
            i++;
        }
    }
    part_add(p, r, -1, lit, nlit);
}

/* ---- declarations ---- */

static int parse_effect(struct parser *p, struct rs_rule *r)
{
    r->weight = 0;
    switch (p->tok.t) {
    case K_SECONDARY:
        r->effect = RULES_EFFECT_SECONDARY;
        break;
    case K_REFUSE:
        r->effect = RULES_EFFECT_REFUSE;
        break;
    case K_PROTECT:
        r->effect = RULES_EFFECT_PROTECT;
        break;
    case K_SCORE: {
        r->effect = RULES_EFFECT_SCORE;
        next(p);
        bool neg = accept(p, T_MINUS);
        if (p->tok.t != T_NUM)
            return expected(p, "a whole-number weight");
        if (p->tok.num > RULES_MAX_WEIGHT)
            rules_diag(p->d, true, p->tok.line, p->tok.col, "weight must be from -%d to %d",
                       RULES_MAX_WEIGHT, RULES_MAX_WEIGHT);
        else if (p->tok.num == 0)
            rules_diag(p->d, false, p->tok.line, p->tok.col,
                       "weight 0 never changes the score: this rule has no effect");
        r->weight = neg ? -p->tok.num : p->tok.num;
        break;
    }
    default:
        return expected(p, "'score N', 'secondary', 'refuse' or 'protect'");
    }
    next(p);
    return 0;
}

static bool rule_exists(const struct parser *p, const char *s, size_t len)
{
    for (size_t i = 0; i < p->rs->nrules; i++) {
        const struct rs_str *n = &p->rs->rules[i].name;
        if (n->len == len && memcmp(pool_str(p, *n), s, len) == 0)
            return true;
    }
    return false;
}

/* rule NAME [:] when COND then EFFECT reason "TEXT" */
static int parse_rule(struct parser *p)
{
    struct rules *rs = p->rs;
    struct rs_rule r = {.line = p->tok.line, .col = p->tok.col, .root = -1};
    next(p);
    struct rs_token nt = p->tok;
    if (nt.t != T_IDENT || memchr(p->src + nt.pos, '.', nt.len) != NULL)
        return expected(p, "a rule name such as one_way_tourist");
    int e = rules_grow((void **)&rs->rules, &rs->cap_rules, rs->nrules + 1, sizeof *rs->rules,
                       RULES_MAX_RULES);
    if (e < 0) {
        limit_hit(p, e, "rules", RULES_MAX_RULES);
        return -1;
    }
    if (rule_exists(p, p->src + nt.pos, nt.len))
        rules_diag(p->d, true, nt.line, nt.col, "a rule called '%.*s' already exists", (int)nt.len,
                   p->src + nt.pos);
    if (pool_add(p, p->src + nt.pos, nt.len, &r.name) < 0)
        return -1;
    next(p);
    accept(p, T_COLON);
    if (!accept(p, K_WHEN))
        return expected(p, "'when'");
    r.when_line = p->tok.line;
    r.when_col = p->tok.col;
    p->depth = 0;
    r.root = parse_or(p);
    if (r.root < 0)
        return -1;
    if (!accept(p, K_THEN))
        return expected(p, "'then' (or 'and', 'or')");
    if (parse_effect(p, &r) < 0)
        return -1;
    if (!accept(p, K_REASON))
        return expected(p, "'reason'");
    if (p->tok.t != T_STR)
        return expected(p, "a quoted reason text");
    struct rs_token rt = p->tok;
    next(p);
    parse_reason(p, &r, &rt);
    if (p->fatal != 0)
        return -1;
    rs->rules[rs->nrules++] = r;
    return 0;
}

/* list NAME = [ "a", "b" ] */
static int parse_list_decl(struct parser *p)
{
    next(p);
    struct rs_token nt = p->tok;
    if (nt.t != T_IDENT || memchr(p->src + nt.pos, '.', nt.len) != NULL)
        return expected(p, "a list name such as high_risk_destinations");
    next(p);
    if (!accept(p, T_EQ))
        return expected(p, "'='");
    if (p->tok.t != T_LBRACK)
        return expected(p, "'['");
    if (find_list(p, p->src + nt.pos, nt.len) >= 0)
        rules_diag(p->d, true, nt.line, nt.col, "a list called '%.*s' already exists", (int)nt.len,
                   p->src + nt.pos);
    struct rs_str name;
    if (pool_add(p, p->src + nt.pos, nt.len, &name) < 0)
        return -1;
    int l = parse_list_items(p, name, nt.line, nt.col);
    if (l < 0)
        return -1;
    if (p->rs->lists[l].n == 0)
        rules_diag(p->d, false, nt.line, nt.col, "list '%.*s' is empty", (int)nt.len,
                   p->src + nt.pos);
    return 0;
}

/* threshold secondary N | threshold refuse N */
static int parse_threshold(struct parser *p)
{
    next(p);
    struct rs_token which = p->tok;
    if (which.t != K_SECONDARY && which.t != K_REFUSE)
        return expected(p, "'secondary' or 'refuse'");
    next(p);
    if (p->tok.t != T_NUM)
        return expected(p, "a whole number");
    int64_t v = p->tok.num;
    if (v < 1 || v > RULES_MAX_THRESHOLD)
        rules_diag(p->d, true, p->tok.line, p->tok.col, "threshold must be from 1 to %d",
                   RULES_MAX_THRESHOLD);
    bool *seen = which.t == K_SECONDARY ? &p->seen_secondary : &p->seen_refuse;
    if (*seen)
        rules_diag(p->d, true, which.line, which.col, "the %s threshold is set twice",
                   rules_tok_name(which.t));
    *seen = true;
    int k = which.t == K_SECONDARY ? 0 : 1;
    *(k == 0 ? &p->rs->thr_secondary : &p->rs->thr_refuse) = v;
    p->rs->thr_line[k] = which.line;
    p->rs->thr_col[k] = which.col;
    next(p);
    return 0;
}

/* schema NAME: the ruleset says which schema it is written for. */
static int parse_schema(struct parser *p)
{
    next(p);
    struct rs_token nt = p->tok;
    if (nt.t != T_IDENT)
        return expected(p, "a schema name such as departure");
    if (p->seen_schema)
        rules_diag(p->d, true, nt.line, nt.col, "the schema is named twice");
    p->seen_schema = true;
    const char *want = p->schema->name;
    if (strlen(want) != nt.len || memcmp(want, p->src + nt.pos, nt.len) != 0)
        rules_diag(p->d, true, nt.line, nt.col,
                   "this ruleset is written for schema '%.*s' but is compiled for '%s'",
                   (int)nt.len, p->src + nt.pos, want);
    next(p);
    return 0;
}

static bool decl_start(enum rs_tok t)
{
    return t == K_RULE || t == K_LIST || t == K_THRESHOLD || t == K_SCHEMA || t == T_EOF;
}

static void check_thresholds(struct parser *p)
{
    if (!p->seen_secondary)
        rules_diag(p->d, true, p->tok.line, p->tok.col,
                   "missing 'threshold secondary N' (the score that asks for a secondary "
                   "interview)");
    if (!p->seen_refuse)
        rules_diag(p->d, true, p->tok.line, p->tok.col,
                   "missing 'threshold refuse N' (the score that recommends refusal)");
    if (p->seen_secondary && p->seen_refuse && p->rs->thr_refuse <= p->rs->thr_secondary)
        rules_diag(p->d, true, p->rs->thr_line[1], p->rs->thr_col[1],
                   "the refuse threshold (%lld) must be above the secondary threshold (%lld)",
                   (long long)p->rs->thr_refuse, (long long)p->rs->thr_secondary);
}

int rules_parse(struct rules *rs, const char *src, size_t len, struct rules_diags *d)
{
    struct parser p = {.rs = rs, .schema = rs->schema, .d = d, .src = src};
    rules_lex_init(&p.lx, src, len);
    next(&p);
    while (p.tok.t != T_EOF && p.fatal == 0) {
        int r;
        switch (p.tok.t) {
        case K_RULE:
            r = parse_rule(&p);
            break;
        case K_LIST:
            r = parse_list_decl(&p);
            break;
        case K_THRESHOLD:
            r = parse_threshold(&p);
            break;
        case K_SCHEMA:
            r = parse_schema(&p);
            break;
        default:
            r = expected(&p, "'rule', 'list', 'threshold' or 'schema'");
            next(&p);
            break;
        }
        if (r < 0)
            while (!decl_start(p.tok.t))
                next(&p);
    }
    if (p.fatal == ERR_NOMEM)
        return ERR_NOMEM;
    if (p.fatal != 0) {
        if (d->nerrors == 0)
            rules_diag(d, true, p.tok.line, p.tok.col, "the ruleset is too large");
        return ERR_INVALID;
    }
    check_thresholds(&p);
    if (rs->nrules == 0)
        rules_diag(d, false, p.tok.line, p.tok.col, "the ruleset has no rules");
    return d->nerrors > 0 ? ERR_INVALID : 0;
}
