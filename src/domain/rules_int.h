/* rules_int: the inside of the rules module, shared by its .c files only.
 *
 * A compiled ruleset is a few flat arrays: expression nodes (operands by
 * index), lists and their items, rules and the parts of their reason
 * templates, and one string pool that holds every name and literal
 * NUL-terminated. While compiling, strings are pool offsets; once the pool
 * stops growing rules_finish() turns them into pointers. Nothing here is part
 * of the module's contract. */
#ifndef LINTAS_DOMAIN_RULES_INT_H
#define LINTAS_DOMAIN_RULES_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/rules.h"
#include "util/buf.h"

/* A string of the ruleset or of a facts value set. */
struct rs_str {
    const char *p; /* set by rules_finish (ruleset) or on set (facts) */
    uint32_t off;  /* pool offset while compiling */
    uint32_t len;
};

enum rs_op {
    OP_AND = 1, /* children: a, then .next links; n-ary */
    OP_OR,
    OP_NOT, /* a */
    OP_EQ,  /* a, b */
    OP_NE,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_IN,       /* a (string or list) in b (list) */
    OP_CONTAINS, /* a (list) contains b (string) */
    OP_KNOWN,    /* field */
    OP_MISSING,  /* field */
    OP_FIELD,    /* field */
    OP_COUNT,    /* number of items of list field */
    OP_NUM,      /* num */
    OP_STR,      /* str */
    OP_BOOL,     /* num (0 or 1) */
    OP_LIST,     /* list */
};

struct rs_node {
    uint8_t op;   /* enum rs_op */
    uint8_t type; /* enum rules_type of the value; RULES_BOOL for conditions */
    uint16_t field;
    uint32_t line, col;
    int32_t a, b; /* operands, -1 when none */
    int32_t next; /* next operand of the enclosing and/or, -1 at the end */
    uint32_t list;
    int64_t num;
    struct rs_str str;
};

struct rs_list {
    struct rs_str name; /* len 0 for an inline list */
    uint32_t first, n;  /* items[first .. first+n) */
    uint32_t line, col;
    bool used;
};

struct rs_part {
    int32_t field; /* -1: literal text in str */
    struct rs_str str;
};

struct rs_rule {
    struct rs_str name;
    uint32_t line, col;
    uint32_t when_line, when_col;
    int32_t root;
    enum rules_effect effect;
    int64_t weight;
    uint32_t first_part, nparts;
};

struct rules {
    const struct rules_schema *schema;
    char hash[RULES_HASH_HEX + 1];
    int64_t thr_secondary, thr_refuse;
    uint32_t thr_line[2], thr_col[2]; /* where they are set: [0] secondary, [1] refuse */
    struct buf pool;
    struct rs_node *nodes;
    size_t nnodes, cap_nodes;
    struct rs_list *lists;
    size_t nlists, cap_lists;
    struct rs_str *items;
    size_t nitems, cap_items;
    struct rs_rule *rules;
    size_t nrules, cap_rules;
    struct rs_part *parts;
    size_t nparts, cap_parts;
    uint32_t *order; /* report order: indices into rules */
};

/* One value of a facts set. */
struct rs_fval {
    bool known;
    int64_t num;       /* numbers and bools */
    struct rs_str str; /* strings */
    uint32_t first, n; /* lists: items[first .. first+n) */
};

struct rules_facts {
    const struct rules_schema *schema;
    struct rs_fval *v; /* schema->nfields */
    size_t vcap;       /* values v has room for (a spare set may have more) */
    size_t arena_used;
    size_t nitems;
    struct rs_str items[RULES_FACTS_ITEMS];
    char arena[RULES_FACTS_ARENA];
};

/* rules_schema_check without a message, remembered for the built-in
 * schemas once one has passed (they are static and never change).
 * Thread-safe. */
int rules_schema_check_once(const struct rules_schema *schema);

/* Adds a diagnostic (formatted like printf) to d, counting it even when
 * d->d is full. */
void rules_diag(struct rules_diags *d, bool error, uint32_t line, uint32_t col, const char *fmt,
                ...) __attribute__((format(printf, 5, 6)));

/* Grows *p (of *cap elements of size elem) to hold need elements, at most
 * max. ERR_LIMIT, ERR_NOMEM. */
int rules_grow(void **p, size_t *cap, size_t need, size_t elem, size_t max);

/* Parses src into rs (allocated, schema and hash set). Errors go to d. */
int rules_parse(struct rules *rs, const char *src, size_t len, struct rules_diags *d);
/* Turns pool offsets into pointers and computes the report order. */
int rules_finish(struct rules *rs);
/* Adds warnings for rules that can never fire and other dead weight. */
void rules_check(const struct rules *rs, struct rules_diags *d);

/* ASCII-case-insensitive equality of two byte strings. */
bool rules_str_eq(const char *a, size_t alen, const char *b, size_t blen);
/* True when v is an allowed value of field fd (domain check, no type check). */
bool rules_value_in_domain(const struct rules_field *fd, const char *v, size_t len);

/* ---- lexer (rules_lex.c) ---- */

enum rs_tok {
    T_EOF = 0,
    T_ERROR, /* message in lexer.err */
    T_IDENT, /* a name; may contain dots (a field) */
    T_NUM,   /* non-negative integer in tok.num */
    T_STR,   /* pos/len: raw text between the quotes, escapes not undone */
    T_LPAREN,
    T_RPAREN,
    T_LBRACK,
    T_RBRACK,
    T_COMMA,
    T_COLON,
    T_MINUS,
    T_EQ, /* = or == */
    T_NE,
    T_LT,
    T_LE,
    T_GT,
    T_GE,
    /* keywords */
    K_RULE,
    K_LIST,
    K_THRESHOLD,
    K_SCHEMA,
    K_WHEN,
    K_THEN,
    K_SCORE,
    K_REASON,
    K_AND,
    K_OR,
    K_NOT,
    K_IN,
    K_CONTAINS,
    K_KNOWN,
    K_MISSING,
    K_COUNT,
    K_TRUE,
    K_FALSE,
    K_SECONDARY,
    K_REFUSE,
    K_PROTECT,
};

struct rs_token {
    enum rs_tok t;
    uint32_t line, col;
    size_t pos, len; /* bytes of the source */
    int64_t num;
};

struct rs_lexer {
    const char *src;
    size_t len, pos;
    uint32_t line, col;
    char err[RULES_DIAG_TEXT];
};

void rules_lex_init(struct rs_lexer *lx, const char *src, size_t len);
/* Reads the next token into t. On T_ERROR, lx->err says why and the lexer
 * has moved past the offending character. */
void rules_lex_next(struct rs_lexer *lx, struct rs_token *t);
/* A short English name of a token kind, for messages ("a name", "'('"). */
const char *rules_tok_name(enum rs_tok t);

#endif
