/* rules: the screening rules language — schema of facts, compiler, evaluator.
 *
 * Analysts write rulesets as text (docs/rules.md): named lists of values,
 * two score thresholds, and rules of the form "when CONDITION then
 * CONTRIBUTION reason TEXT". A ruleset is compiled against a fact schema (a
 * table of typed field names, some marked protected) into an immutable
 * struct rules; a caller fills a struct rules_facts for one traveller or
 * applicant and evaluates it into a struct rules_result: total score,
 * recommendation and the fired rules with their reason texts, in a fixed
 * order. The compiler refuses rules that read protected attributes (sex,
 * religion, ethnicity) and warns about rules that can never fire.
 *
 * Pure: no I/O, no clock, no globals. A compiled ruleset is read-only and may
 * be shared by any number of threads; facts and results belong to one thread
 * at a time. Evaluation does not allocate. */
#ifndef LINTAS_DOMAIN_RULES_H
#define LINTAS_DOMAIN_RULES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

/* Module maxima. A source or fact set beyond them is refused (ERR_LIMIT or a
 * compile error), never truncated silently. */
#define RULES_MAX_SOURCE (256u * 1024u)  /* bytes of one ruleset source */
#define RULES_MAX_RULES 256u             /* rules in one ruleset */
#define RULES_MAX_LISTS 128u             /* named plus inline lists */
#define RULES_MAX_LIST_ITEMS 512u        /* values in one list */
#define RULES_MAX_DEPTH 24u              /* nesting of not / parentheses */
#define RULES_MAX_NODES 16384u           /* expression nodes in one ruleset */
#define RULES_MAX_TERMS 64u              /* operands of one and/or chain */
#define RULES_MAX_STRING 256u            /* bytes of a string literal or string fact */
#define RULES_MAX_NAME 64u               /* bytes of a rule, list or field name */
#define RULES_MAX_REASON 512u            /* bytes of one rendered reason text */
#define RULES_MAX_PLACEHOLDERS 16u       /* {field} quotes in one reason */
#define RULES_MAX_WEIGHT 1000            /* |score weight| of one rule */
#define RULES_MAX_THRESHOLD 100000       /* a score threshold */
#define RULES_MAX_NUMBER 1000000000000LL /* |number literal| and |number fact| */
#define RULES_MAX_FIELDS 128u            /* fields in one schema */
#define RULES_MAX_FACT_ITEMS 32u         /* items in one list-of-strings fact */
#define RULES_FACTS_ITEMS 256u           /* list items held by one facts value set */
#define RULES_FACTS_ARENA (16u * 1024u)  /* string bytes held by one facts value set */
#define RULES_MAX_DIAGS 64u              /* diagnostics kept by one compilation */
#define RULES_DIAG_TEXT 192u             /* bytes of one diagnostic message */
#define RULES_HASH_HEX 64u               /* hex digits of a ruleset hash */

/* ---- fact schema ------------------------------------------------------- */

enum rules_type {
    RULES_NUMBER = 1, /* whole number (int64) */
    RULES_STRING,     /* UTF-8 text, at most RULES_MAX_STRING bytes */
    RULES_BOOL,
    RULES_LIST, /* list of strings, at most RULES_MAX_FACT_ITEMS */
};

/* How the values of a string or list field are constrained. */
enum rules_domain {
    RULES_ANY = 0, /* free text */
    RULES_COUNTRY, /* ICAO 9303 three-letter code, A-Z (stored upper case) */
    RULES_ENUM,    /* one of values[] (compared ignoring ASCII case) */
};

struct rules_field {
    const char *name; /* "group.name", lower case [a-z0-9_], at least one dot */
    enum rules_type type;
    bool protected_attr;       /* rules may not read it (sex, religion, ethnicity) */
    enum rules_domain domain;  /* strings and lists only */
    const char *const *values; /* RULES_ENUM: NULL-terminated allowed values */
    int64_t min, max;          /* numbers only: the range of possible values */
    const char *doc;           /* one line for docs and tools; may be NULL */
};

/* A schema is a caller-supplied table; the built-in ones are static. The
 * schema is borrowed by every ruleset and facts value set made from it and
 * must outlive them. Facts and rulesets go together only when made from the
 * same schema object. */
struct rules_schema {
    const char *name; /* e.g. "departure" */
    const struct rules_field *fields;
    size_t nfields;
};

/* The built-in schemas (docs/rules.md lists their fields). Static; never
 * free them. Thread-safe. */
const struct rules_schema *rules_schema_departure(void);
const struct rules_schema *rules_schema_application(void);
/* The built-in schema called name, or NULL. */
const struct rules_schema *rules_schema_builtin(const char *name);

/* Checks a schema: 1..RULES_MAX_FIELDS fields, well-formed unique names,
 * valid types and domains, min <= max, and every field whose last name part
 * is sex, religion, ethnicity or race marked protected. 0, or ERR_INVALID
 * with a message in why (may be NULL). rules_compile and rules_facts_new
 * call it. */
int rules_schema_check(const struct rules_schema *schema, struct buf *why);
/* Index of the field called name in schema, or ERR_NOTFOUND. */
int rules_schema_find(const struct rules_schema *schema, const char *name);

/* ---- compilation ------------------------------------------------------- */

struct rules;

struct rules_diag {
    bool error;                 /* false: a warning */
    uint32_t line, col;         /* 1-based; col counts characters */
    char text[RULES_DIAG_TEXT]; /* English, no trailing newline */
};

/* Diagnostics of one compilation, in source order of discovery. At most
 * RULES_MAX_DIAGS are kept; nerrors and nwarnings count all of them. */
struct rules_diags {
    size_t n;
    size_t nerrors, nwarnings;
    struct rules_diag d[RULES_MAX_DIAGS];
};

/* Compiles src[0..len) against schema. On success *out is a new ruleset
 * (free with rules_free) and diags (when not NULL) holds its warnings. On
 * failure *out is NULL and the return is ERR_INVALID (diags holds the
 * errors, each with line and column), ERR_LIMIT (source larger than
 * RULES_MAX_SOURCE; also a diagnostic) or ERR_NOMEM. The source is not
 * kept; its hash is. Thread-safe. */
int rules_compile(const struct rules_schema *schema, const char *src, size_t len,
                  struct rules **out, struct rules_diags *diags);
/* Frees a ruleset; NULL is a no-op. */
void rules_free(struct rules *rs);

/* The ruleset's version: BLAKE2b-256 (libsodium crypto_generichash, no key)
 * of the exact source bytes, as RULES_HASH_HEX lowercase hex digits.
 * Borrowed; lives as long as rs. */
const char *rules_hash(const struct rules *rs);
/* The same hash of any source text, into out (RULES_HASH_HEX + 1 bytes). */
void rules_hash_source(const char *src, size_t len, char out[RULES_HASH_HEX + 1]);
/* The schema rs was compiled against (borrowed). */
const struct rules_schema *rules_schema_of(const struct rules *rs);
/* Number of rules in rs. */
size_t rules_count(const struct rules *rs);

/* Appends a readable dump of the compiled form (thresholds, lists, each
 * rule's condition fully parenthesised, report order) to b. */
int rules_dump(const struct rules *rs, struct buf *b);
/* Appends diagnostics as "LINE:COL: error|warning: TEXT\n" lines to b. */
int rules_diags_format(const struct rules_diags *diags, struct buf *b);

/* ---- facts ------------------------------------------------------------- */

struct rules_facts;

/* A new value set for schema with every field unknown. ERR_INVALID when the
 * schema fails rules_schema_check, ERR_NOMEM. Free with rules_facts_free. */
int rules_facts_new(const struct rules_schema *schema, struct rules_facts **out);
void rules_facts_free(struct rules_facts *f);
/* Makes every field unknown again and reclaims all string space. */
void rules_facts_clear(struct rules_facts *f);

/* Setters copy their input. They fail with ERR_NOTFOUND for an unknown
 * field, ERR_INVALID for the wrong type, a value outside the field's domain
 * (range, country code, enumerated values), text that is not valid UTF-8 or
 * holds control characters, and ERR_LIMIT when a string is longer than
 * RULES_MAX_STRING, a list has more than RULES_MAX_FACT_ITEMS items or the
 * value set's space (RULES_FACTS_ARENA, RULES_FACTS_ITEMS) is used up; the
 * field is then unchanged. Overwriting a value does not reclaim its space
 * until rules_facts_clear. Protected fields may be set; rules cannot read
 * them. Country codes are stored upper case, enumerated values in the
 * schema's spelling. */
int rules_facts_set_num(struct rules_facts *f, const char *name, int64_t v);
int rules_facts_set_str(struct rules_facts *f, const char *name, const char *s);
int rules_facts_set_bool(struct rules_facts *f, const char *name, bool v);
int rules_facts_set_list(struct rules_facts *f, const char *name, const char *const *items,
                         size_t n);
int rules_facts_unset(struct rules_facts *f, const char *name);
/* The same by field index (from rules_schema_find), for hot paths; an index
 * out of range is ERR_NOTFOUND. */
int rules_facts_set_num_at(struct rules_facts *f, size_t idx, int64_t v);
int rules_facts_set_str_at(struct rules_facts *f, size_t idx, const char *s, size_t len);
int rules_facts_set_bool_at(struct rules_facts *f, size_t idx, bool v);
int rules_facts_set_list_at(struct rules_facts *f, size_t idx, const char *const *items, size_t n);

/* Getters: 0 and the value; ERR_NOTFOUND when the field does not exist or
 * its value is unknown; ERR_INVALID for the wrong type. Strings are
 * borrowed until the field is set again or the facts are cleared or freed. */
int rules_facts_get_num(const struct rules_facts *f, const char *name, int64_t *out);
int rules_facts_get_str(const struct rules_facts *f, const char *name, const char **out);
int rules_facts_get_bool(const struct rules_facts *f, const char *name, bool *out);
int rules_facts_get_list(const struct rules_facts *f, const char *name, size_t *n);
int rules_facts_get_list_item(const struct rules_facts *f, const char *name, size_t i,
                              const char **out);
/* True when the field exists and its value is known. */
bool rules_facts_known(const struct rules_facts *f, const char *name);

/* Builds a value set from JSON: an object whose keys are field names, either
 * flat ("traveller.age": 22) or nested by name part ({"traveller": {"age":
 * 22}}). Numbers must be integers, lists arrays of strings; null leaves a
 * field unknown. Unknown fields, wrong types and values the setters refuse
 * are errors. obj is borrowed. On success *out is new (free with
 * rules_facts_free); on failure *out is NULL and the return is ERR_INVALID,
 * ERR_LIMIT or ERR_NOMEM. */
int rules_facts_from_json(const struct rules_schema *schema, json_t *obj, struct rules_facts **out);
/* The same, with a message naming the offending field appended to why
 * (may be NULL). */
int rules_facts_from_json_why(const struct rules_schema *schema, json_t *obj,
                              struct rules_facts **out, struct buf *why);

/* Whole years from a birth date to a day (days since 1970-01-01, as
 * util/timeutil counts them); a helper for callers that set ages. Returns
 * -1 when on_days is before birth. */
int64_t rules_age_years(int birth_year, int birth_month, int birth_day, int64_t on_days);

/* ---- evaluation -------------------------------------------------------- */

/* Precedence: protect > refuse > secondary > clear. A fired protect rule
 * makes the recommendation protect whatever the score and other rules say;
 * otherwise the recommendation is the highest of the direct outcomes fired
 * and the one the total score reaches (score >= refuse threshold: refuse;
 * >= secondary threshold: secondary). */
enum rules_recommendation {
    RULES_CLEAR = 0,
    RULES_SECONDARY,
    RULES_REFUSE,
    RULES_PROTECT,
};

/* What a rule contributes when it fires. */
enum rules_effect {
    RULES_EFFECT_SCORE = 0,
    RULES_EFFECT_SECONDARY,
    RULES_EFFECT_REFUSE,
    RULES_EFFECT_PROTECT,
};

/* One fired rule. Strings are borrowed: rule from the ruleset, text from the
 * result (valid until the next evaluation into it or its free). */
struct rules_hit {
    const char *rule; /* the rule's name, e.g. "one_way_tourist" */
    const char *text; /* the reason with quoted facts substituted */
    int64_t weight;   /* score weight; 0 for direct outcomes */
    enum rules_effect effect;
    uint32_t line; /* line of the rule in the source */
};

struct rules_result;

/* A result able to hold an evaluation of rs (sized by its rule count).
 * ERR_NOMEM. Free with rules_result_free. */
int rules_result_new(const struct rules *rs, struct rules_result **out);
void rules_result_free(struct rules_result *res);

/* Evaluates rs over f into res, replacing what res held. A condition fires
 * only when it is true; comparisons with unknown facts are unknown (see
 * docs/rules.md), so a missing fact never makes a rule fire. Hits come in
 * the ruleset's report order: protect, refuse, secondary rules, then score
 * rules by weight (highest first), ties in source order. ERR_INVALID when f
 * was not made from rs's schema or res not from a ruleset with as many
 * rules. Does not allocate; rs may be shared between threads. */
int rules_evaluate(const struct rules *rs, const struct rules_facts *f, struct rules_result *res);

enum rules_recommendation rules_result_recommendation(const struct rules_result *res);
int64_t rules_result_score(const struct rules_result *res);
size_t rules_result_count(const struct rules_result *res);
/* The i-th hit (i < rules_result_count), borrowed; NULL out of range. */
const struct rules_hit *rules_result_hit(const struct rules_result *res, size_t i);

/* "clear", "secondary", "refuse", "protect"; static. */
const char *rules_recommendation_str(enum rules_recommendation r);
/* "score", "secondary", "refuse", "protect"; static. */
const char *rules_effect_str(enum rules_effect e);

#endif
