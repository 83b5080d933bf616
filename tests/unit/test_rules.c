/* Unit and golden tests for domain/rules: schemas, facts, the compiler's
 * errors and warnings, evaluation semantics (three-valued logic, lists,
 * precedence, thresholds, report order, reason texts), limits, and the golden
 * files in tests/golden/rules (see the README there). Run from the project
 * root. Set LINTAS_GOLDEN_UPDATE=1 to rewrite the .out files of compile
 * goldens (then review the diff: a golden is only as good as its review). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/rules.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/text.h"

#define GOLDEN_DIR "tests/golden/rules"

static const char header[] = "threshold secondary 40\n"
                             "threshold refuse 100\n"
                             "list hubs = [\"KHM\", \"MMR\", \"LAO\"]\n";

/* ---- helpers ---- */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    struct buf b;
    buf_init(&b, 4u * RULES_MAX_SOURCE);
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        assert_int_equal(buf_append(&b, tmp, n), 0);
    fclose(f);
    if (b.data == NULL)
        buf_puts(&b, "");
    return buf_steal(&b, len);
}

static struct rules *compile_ok(const struct rules_schema *sc, const char *src)
{
    struct rules *rs = NULL;
    struct rules_diags d;
    int r = rules_compile(sc, src, strlen(src), &rs, &d);
    if (r != 0) {
        struct buf b;
        buf_init(&b, 1 << 16);
        rules_diags_format(&d, &b);
        print_error("compile failed (%d):\n%s\n%s", r, src, buf_cstr(&b));
        buf_free(&b);
    }
    assert_int_equal(r, 0);
    return rs;
}

/* Compiles src and returns its diagnostics as text. */
static char *diags_of(const struct rules_schema *sc, const char *src, size_t len, int *rc)
{
    struct rules *rs = NULL;
    struct rules_diags d;
    *rc = rules_compile(sc, src, len, &rs, &d);
    struct buf b;
    buf_init(&b, 1 << 16);
    rules_diags_format(&d, &b);
    buf_puts(&b, "");
    rules_free(rs);
    return buf_steal(&b, NULL);
}

static struct rules_facts *facts_json(const struct rules_schema *sc, const char *js)
{
    json_error_t e;
    json_t *j = json_loads(js, 0, &e);
    assert_non_null(j);
    struct rules_facts *f = NULL;
    struct buf why;
    buf_init(&why, 512);
    int r = rules_facts_from_json_why(sc, j, &f, &why);
    if (r != 0)
        print_error("facts %s: %s\n", js, buf_cstr(&why));
    assert_int_equal(r, 0);
    buf_free(&why);
    json_decref(j);
    return f;
}

/* "rule1,rule2" of the hits, in order. */
static void hit_names(const struct rules_result *res, char *out, size_t n)
{
    out[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < rules_result_count(res); i++)
        used += (size_t)snprintf(out + used, n - used, "%s%s", i ? "," : "",
                                 rules_result_hit(res, i)->rule);
}

/* ---- schemas ---- */

static void test_schema_builtin(void **state)
{
    const struct rules_schema *d = rules_schema_departure();
    const struct rules_schema *a = rules_schema_application();
    assert_int_equal(rules_schema_check(d, NULL), 0);
    assert_int_equal(rules_schema_check(a, NULL), 0);
    assert_ptr_equal(rules_schema_builtin("departure"), d);
    assert_ptr_equal(rules_schema_builtin("application"), a);
    assert_null(rules_schema_builtin("other"));
    static const char *const protected_names[] = {
        "traveller.sex",
        "traveller.religion",
        "traveller.ethnicity",
    };
    for (size_t i = 0; i < 3; i++) {
        int k = rules_schema_find(d, protected_names[i]);
        assert_true(k >= 0);
        assert_true(d->fields[k].protected_attr);
    }
    assert_true(a->fields[rules_schema_find(a, "applicant.sex")].protected_attr);
    assert_int_equal(rules_schema_find(d, "traveller.nope"), ERR_NOTFOUND);
}

static void test_schema_custom(void **state)
{
    static const struct rules_field ok[] = {
        {.name = "a.n", .type = RULES_NUMBER, .min = 0, .max = 10},
        {.name = "a.sex", .type = RULES_STRING, .protected_attr = true},
    };
    static const struct rules_field unprotected[] = {
        {.name = "person.religion", .type = RULES_STRING},
    };
    static const struct rules_field dup[] = {
        {.name = "a.b", .type = RULES_BOOL},
        {.name = "a.b", .type = RULES_BOOL},
    };
    static const struct rules_field badname[] = {{.name = "Nodot", .type = RULES_BOOL}};
    static const struct rules_field badrange[] = {
        {.name = "a.n", .type = RULES_NUMBER, .min = 5, .max = 1},
    };
    static const struct rules_field badenum[] = {
        {.name = "a.s", .type = RULES_STRING, .domain = RULES_ENUM},
    };
    const struct {
        struct rules_schema s;
        int want;
    } cases[] = {
        {{"ok", ok, 2}, 0},
        {{"unprotected", unprotected, 1}, ERR_INVALID},
        {{"dup", dup, 2}, ERR_INVALID},
        {{"badname", badname, 1}, ERR_INVALID},
        {{"badrange", badrange, 1}, ERR_INVALID},
        {{"badenum", badenum, 1}, ERR_INVALID},
        {{"empty", ok, 0}, ERR_INVALID},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct buf why;
        buf_init(&why, 256);
        assert_int_equal(rules_schema_check(&cases[i].s, &why), cases[i].want);
        assert_true(cases[i].want == 0 || why.len > 0);
        buf_free(&why);
    }
    /* A caller-supplied schema is usable end to end, and protects a.sex. */
    struct rules_schema s = {"ok", ok, 2};
    struct rules *rs = compile_ok(&s, "threshold secondary 1\nthreshold refuse 2\n"
                                      "rule r when a.n >= 5 then score 2 reason \"n={a.n}\"\n");
    int rc;
    char *msg = diags_of(&s,
                         "threshold secondary 1\nthreshold refuse 2\n"
                         "rule r when a.sex = \"F\" then refuse reason \"x\"\n",
                         strlen("threshold secondary 1\nthreshold refuse 2\n"
                                "rule r when a.sex = \"F\" then refuse reason \"x\"\n"),
                         &rc);
    assert_int_equal(rc, ERR_INVALID);
    assert_non_null(strstr(msg, "3:13: error: 'a.sex' is a protected attribute"));
    free(msg);
    struct rules_facts *f = NULL;
    struct rules_result *res = NULL;
    assert_int_equal(rules_facts_new(&s, &f), 0);
    assert_int_equal(rules_result_new(rs, &res), 0);
    assert_int_equal(rules_facts_set_num(f, "a.n", 7), 0);
    assert_int_equal(rules_evaluate(rs, f, res), 0);
    assert_int_equal(rules_result_recommendation(res), RULES_REFUSE);
    assert_string_equal(rules_result_hit(res, 0)->text, "n=7");
    rules_result_free(res);
    rules_facts_free(f);
    rules_free(rs);
}

/* ---- facts ---- */

static void test_facts_setters(void **state)
{
    struct rules_facts *f = NULL;
    assert_int_equal(rules_facts_new(rules_schema_departure(), &f), 0);
    const char *transit[] = {"vnm", "THA"};
    const char *bad_transit[] = {"VNM", "Thailand"};
    const char *long_items[RULES_MAX_FACT_ITEMS + 1];
    for (size_t i = 0; i < RULES_MAX_FACT_ITEMS + 1; i++)
        long_items[i] = "SGP";
    char big[RULES_MAX_STRING + 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';

    assert_int_equal(rules_facts_set_num(f, "traveller.age", 22), 0);
    assert_int_equal(rules_facts_set_num(f, "traveller.age", 151), ERR_INVALID);
    assert_int_equal(rules_facts_set_num(f, "traveller.age", -1), ERR_INVALID);
    assert_int_equal(rules_facts_set_str(f, "traveller.age", "22"), ERR_INVALID);
    assert_int_equal(rules_facts_set_num(f, "traveller.height", 1), ERR_NOTFOUND);
    assert_int_equal(rules_facts_set_str(f, "trip.destination", "khm"), 0);
    assert_int_equal(rules_facts_set_str(f, "trip.final_destination", "Cambodia"), ERR_INVALID);
    assert_int_equal(rules_facts_set_str(f, "trip.final_destination", "KH1"), ERR_INVALID);
    assert_int_equal(rules_facts_set_str(f, "trip.purpose", "Tourism"), 0);
    assert_int_equal(rules_facts_set_str(f, "trip.checkpoint_kind", "harbour"), ERR_INVALID);
    assert_int_equal(rules_facts_set_str(f, "sponsor.name", "Budi\nSantoso"), ERR_INVALID);
    assert_int_equal(rules_facts_set_str(f, "sponsor.name", "\xC3\x28"), ERR_INVALID);
    assert_int_equal(rules_facts_set_str(f, "sponsor.name", big), ERR_LIMIT);
    assert_int_equal(rules_facts_set_str(f, "sponsor.name", "Siti Nurhal\xC3\xADza"), 0);
    assert_int_equal(rules_facts_set_list(f, "trip.transit", transit, 2), 0);
    assert_int_equal(rules_facts_set_list(f, "trip.transit", bad_transit, 2), ERR_INVALID);
    assert_int_equal(rules_facts_set_list(f, "trip.transit", long_items, RULES_MAX_FACT_ITEMS + 1),
                     ERR_LIMIT);
    assert_int_equal(rules_facts_set_bool(f, "trip.return_ticket", false), 0);
    assert_int_equal(rules_facts_set_str(f, "traveller.sex", "F"), 0);

    int64_t n;
    const char *s;
    size_t k;
    bool bv;
    assert_int_equal(rules_facts_get_num(f, "traveller.age", &n), 0);
    assert_int_equal(n, 22);
    assert_int_equal(rules_facts_get_str(f, "trip.destination", &s), 0);
    assert_string_equal(s, "KHM"); /* country codes are stored upper case */
    assert_int_equal(rules_facts_get_str(f, "trip.purpose", &s), 0);
    assert_string_equal(s, "tourism"); /* enumerated values in the schema's spelling */
    assert_int_equal(rules_facts_get_list(f, "trip.transit", &k), 0);
    assert_int_equal(k, 2); /* the refused list left the earlier value alone */
    assert_int_equal(rules_facts_get_list_item(f, "trip.transit", 0, &s), 0);
    assert_string_equal(s, "VNM");
    assert_int_equal(rules_facts_get_list_item(f, "trip.transit", 2, &s), ERR_NOTFOUND);
    assert_int_equal(rules_facts_get_bool(f, "trip.return_ticket", &bv), 0);
    assert_false(bv);
    assert_int_equal(rules_facts_get_num(f, "history.departures", &n), ERR_NOTFOUND);
    assert_int_equal(rules_facts_get_num(f, "trip.destination", &n), ERR_INVALID);
    assert_true(rules_facts_known(f, "traveller.age"));
    assert_int_equal(rules_facts_unset(f, "traveller.age"), 0);
    assert_false(rules_facts_known(f, "traveller.age"));
    rules_facts_clear(f);
    assert_false(rules_facts_known(f, "trip.destination"));
    rules_facts_free(f);
    rules_facts_free(NULL);
}

static void test_facts_arena_limit(void **state)
{
    struct rules_facts *f = NULL;
    assert_int_equal(rules_facts_new(rules_schema_departure(), &f), 0);
    char s[RULES_MAX_STRING + 1];
    memset(s, 'a', RULES_MAX_STRING);
    s[RULES_MAX_STRING] = '\0';
    int r = 0;
    size_t sets = 0;
    while (r == 0 && sets < 1000) {
        r = rules_facts_set_str(f, "sponsor.name", s);
        sets++;
    }
    assert_int_equal(r, ERR_LIMIT); /* overwriting does not reclaim space ... */
    assert_true(sets >= RULES_FACTS_ARENA / (RULES_MAX_STRING + 1));
    rules_facts_clear(f); /* ... clearing does */
    assert_int_equal(rules_facts_set_str(f, "sponsor.name", s), 0);
    rules_facts_free(f);
}

static void test_facts_json_errors(void **state)
{
    static const struct {
        const char *js;
        const char *why;
    } cases[] = {
        {"{\"traveller\": {\"height\": 170}}", "field 'traveller.height': unknown fact"},
        {"{\"traveller.age\": \"22\"}", "field 'traveller.age': wrong type"},
        {"{\"traveller.age\": 22.5}", "field 'traveller.age': wrong type"},
        {"{\"trip\": {\"transit\": [\"VNM\", 3]}}", "field 'trip.transit': items must be"},
        {"{\"trip\": {\"destination\": \"Vietnam\"}}", "field 'trip.destination': wrong"},
        {"{\"group\": {\"any_matched\": 1}}", "field 'group.any_matched': wrong type"},
        {"[1]", "facts: must be a JSON object"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *j = json_loads(cases[i].js, JSON_DECODE_ANY, NULL);
        assert_non_null(j);
        struct rules_facts *f = (struct rules_facts *)&f;
        struct buf why;
        buf_init(&why, 512);
        assert_int_not_equal(rules_facts_from_json_why(rules_schema_departure(), j, &f, &why), 0);
        assert_null(f);
        if (strstr(buf_cstr(&why), cases[i].why) == NULL)
            fail_msg("%s: got '%s', want '%s'", cases[i].js, buf_cstr(&why), cases[i].why);
        buf_free(&why);
        json_decref(j);
    }
    /* Flat dotted keys and nested objects mean the same; null stays unknown. */
    struct rules_facts *f = facts_json(rules_schema_departure(),
                                       "{\"traveller.age\": 30, \"trip\": {\"purpose\": null}}");
    int64_t n;
    assert_int_equal(rules_facts_get_num(f, "traveller.age", &n), 0);
    assert_int_equal(n, 30);
    assert_false(rules_facts_known(f, "trip.purpose"));
    rules_facts_free(f);
}

static void test_age_years(void **state)
{
    /* 2025-03-01 is day 20148 since 1970-01-01. */
    assert_int_equal(rules_age_years(2003, 3, 1, 20148), 22);
    assert_int_equal(rules_age_years(2003, 3, 2, 20148), 21);
    assert_int_equal(rules_age_years(2025, 3, 2, 20148), -1);
}

/* ---- hash ---- */

static void test_hash(void **state)
{
    char h[RULES_HASH_HEX + 1];
    rules_hash_source("", 0, h);
    /* BLAKE2b-256 of the empty string. */
    assert_string_equal(h, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
    const char *src = "threshold secondary 1\nthreshold refuse 2\n"
                      "rule r when traveller.age > 1 then score 1 reason \"x\"\n";
    struct rules *rs = compile_ok(rules_schema_departure(), src);
    rules_hash_source(src, strlen(src), h);
    assert_string_equal(rules_hash(rs), h);
    assert_int_equal(strlen(rules_hash(rs)), RULES_HASH_HEX);
    /* One more byte (even a comment) is another version. */
    char other[256];
    snprintf(other, sizeof other, "%s#\n", src);
    struct rules *rs2 = compile_ok(rules_schema_departure(), other);
    assert_string_not_equal(rules_hash(rs), rules_hash(rs2));
    assert_int_equal(rules_count(rs), 1);
    assert_ptr_equal(rules_schema_of(rs), rules_schema_departure());
    rules_free(rs2);
    rules_free(rs);
}

/* ---- compile errors and warnings ---- */

static void test_compile_errors(void **state)
{
    static const struct {
        const char *src;
        const char *want; /* a line of the diagnostics */
    } cases[] = {
        {"rule r when traveller.sex = \"M\" then refuse reason \"x\"",
         "1:13: error: 'traveller.sex' is a protected attribute"},
        {"rule r when known(traveller.ethnicity) then refuse reason \"x\"",
         "1:19: error: 'traveller.ethnicity' is a protected attribute"},
        {"rule r when traveller.age > 1 then refuse reason \"is {traveller.religion}\"",
         "1:55: error: 'traveller.religion' is a protected attribute"},
        {"rule r when traveller.age > 1 then refuse reason \"a {trip.nope} b\"",
         "1:54: error: unknown fact 'trip.nope'"},
        {"rule r when traveller.age = \"1\" then refuse reason \"x\"",
         "1:13: error: cannot compare a number with a text"},
        {"rule r when traveller.age > \"1\" then refuse reason \"x\"",
         "1:13: error: <, <=, > and >= compare numbers only"},
        {"rule r when trip.destination > 1 then refuse reason \"x\"",
         "1:13: error: <, <=, > and >= compare numbers only"},
        {"rule r when trip.transit = \"KHM\" then refuse reason \"x\"",
         "1:13: error: lists cannot be compared"},
        {"rule r when traveller.age in hubs then refuse reason \"x\"",
         "1:13: error: 'in' needs a text or a list on its left"},
        {"rule r when count(trip.purpose) > 1 then refuse reason \"x\"",
         "1:19: error: count() needs a list fact"},
        {"rule r when trip.purpose then refuse reason \"x\"",
         "1:13: error: a text is not a condition"},
        {"rule r when trip.return_ticket then score 1001 reason \"x\"",
         "1:43: error: weight must be from -1000 to 1000"},
        {"rule r when trip.return_ticket then refuse reason \"\"",
         "1:51: error: the reason text is empty"},
        {"rule r when trip.return_ticket then refuse reason \"a\\n\"",
         "1:53: error: unknown escape in text"},
        {"rule r when trip.return_ticket then refuse reason \"open",
         "1:51: error: unterminated text"},
        {"rule r when trip.return_ticket 30 then refuse reason \"x\"",
         "1:32: error: expected 'then' (or 'and', 'or'), found a number"},
        {"rule r when 30x > 1 then refuse reason \"x\"", "1:13: error: malformed number"},
        {"rule r when trip.return_ticket then refuse reason \"x\"\nrule r when "
         "trip.return_ticket then refuse reason \"y\"",
         "2:6: error: a rule called 'r' already exists"},
        {"rule r when trip.return_ticket then refuse reason \"x\"\n\xC3\x28",
         "2:1: error: the text is not valid UTF-8"},
        {"schema application\n", "1:8: error: this ruleset is written for schema 'application'"},
        {"list hubs = [\"A\"]\n", "1:6: error: a list called 'hubs' already exists"},
        {"threshold secondary 0\n", "1:21: error: threshold must be from 1 to 100000"},
        {"threshold refuse 40\n", "1:11: error: the refuse threshold is set twice"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char src[1024];
        int n = snprintf(src, sizeof src, "%s%s\n", header, cases[i].src);
        /* The header is three lines: expected lines move down by three. */
        char want[256];
        char *colon;
        unsigned long line = strtoul(cases[i].want, &colon, 10);
        snprintf(want, sizeof want, "%lu%s", line + 3, colon);
        int rc;
        char *got = diags_of(rules_schema_departure(), src, (size_t)n, &rc);
        if (rc != ERR_INVALID || strstr(got, want) == NULL)
            fail_msg("case %zu: rc %d\nwant: %s\ngot:\n%s", i, rc, want, got);
        free(got);
    }
}

static void test_compile_limits(void **state)
{
    struct buf b;
    buf_init(&b, 4u * RULES_MAX_SOURCE);
    int rc;
    char *got;

    buf_puts(&b, header);
    for (unsigned i = 0; i <= RULES_MAX_RULES; i++)
        buf_printf(&b, "rule r%u when trip.return_ticket then score 1 reason \"x\"\n", i);
    got = diags_of(rules_schema_departure(), b.data, b.len, &rc);
    assert_int_equal(rc, ERR_INVALID);
    assert_non_null(strstr(got, "too many rules (at most 256)"));
    free(got);

    buf_reset(&b);
    buf_puts(&b, header);
    buf_puts(&b, "rule deep when ");
    for (unsigned i = 0; i <= RULES_MAX_DEPTH; i++)
        buf_puts(&b, "(");
    buf_puts(&b, "trip.return_ticket");
    for (unsigned i = 0; i <= RULES_MAX_DEPTH; i++)
        buf_puts(&b, ")");
    buf_puts(&b, " then refuse reason \"x\"\n");
    got = diags_of(rules_schema_departure(), b.data, b.len, &rc);
    assert_int_equal(rc, ERR_INVALID);
    assert_non_null(strstr(got, "nested deeper than 24 levels"));
    free(got);

    buf_reset(&b);
    buf_puts(&b, header);
    buf_puts(&b, "rule wide when trip.return_ticket");
    for (unsigned i = 0; i < RULES_MAX_TERMS; i++)
        buf_puts(&b, " and trip.return_ticket");
    buf_puts(&b, " then refuse reason \"x\"\n");
    got = diags_of(rules_schema_departure(), b.data, b.len, &rc);
    assert_int_equal(rc, ERR_INVALID);
    assert_non_null(strstr(got, "more than 64 conditions"));
    free(got);

    buf_reset(&b);
    buf_puts(&b, header);
    buf_puts(&b, "list big = [");
    for (unsigned i = 0; i <= RULES_MAX_LIST_ITEMS; i++)
        buf_printf(&b, "\"v%u\", ", i);
    buf_puts(&b, "]\n");
    got = diags_of(rules_schema_departure(), b.data, b.len, &rc);
    assert_int_equal(rc, ERR_INVALID);
    assert_non_null(strstr(got, "list has more than 512 values"));
    free(got);

    buf_reset(&b);
    for (size_t i = 0; i <= RULES_MAX_SOURCE; i++)
        buf_putc(&b, '#');
    got = diags_of(rules_schema_departure(), b.data, b.len, &rc);
    assert_int_equal(rc, ERR_LIMIT);
    assert_non_null(strstr(got, "larger than"));
    free(got);

    static const char bom[] = "\xEF\xBB\xBFthreshold secondary 1\nthreshold refuse 2\n";
    got = diags_of(rules_schema_departure(), bom, sizeof bom - 1, &rc);
    assert_int_equal(rc, 0); /* the mark is skipped; lines and columns are unchanged */
    assert_string_equal(got, "3:1: warning: the ruleset has no rules\n");
    free(got);

    got = diags_of(rules_schema_departure(), "rule\0", 5, &rc);
    assert_int_equal(rc, ERR_INVALID);
    assert_non_null(strstr(got, "1:5: error: the text is not valid UTF-8 or holds a NUL"));
    free(got);
    buf_free(&b);
}

static void test_default_rulesets(void **state)
{
    static const struct {
        const char *path;
        const char *schema;
    } sets[] = {
        {"data/rules/departure.rules", "departure"},
        {"data/rules/application.rules", "application"},
    };
    for (size_t i = 0; i < 2; i++) {
        size_t len;
        char *src = read_file(sets[i].path, &len);
        assert_non_null(src);
        struct rules *rs = NULL;
        struct rules_diags d;
        assert_int_equal(rules_compile(rules_schema_builtin(sets[i].schema), src, len, &rs, &d), 0);
        if (d.n != 0) {
            struct buf b;
            buf_init(&b, 1 << 16);
            rules_diags_format(&d, &b);
            fail_msg("%s: expected no warnings:\n%s", sets[i].path, buf_cstr(&b));
        }
        assert_true(rules_count(rs) >= 10);
        rules_free(rs);
        free(src);
    }
}

/* ---- evaluation semantics ---- */

struct eval_case {
    const char *rules; /* after the header */
    const char *facts;
    enum rules_recommendation rec;
    int64_t score;
    const char *fired;
};

static const struct eval_case eval_cases[] = {
    /* unknown facts never fire; three-valued and/or/not */
    {"rule r when traveller.age < 18 then score 10 reason \"x\"", "{}", RULES_CLEAR, 0, ""},
    {"rule r when traveller.age < 18 then score 10 reason \"x\"", "{\"traveller.age\": 17}",
     RULES_CLEAR, 10, "r"},
    {"rule r when not trip.return_ticket then score 50 reason \"x\"", "{}", RULES_CLEAR, 0, ""},
    {"rule r when not trip.return_ticket then score 50 reason \"x\"",
     "{\"trip.return_ticket\": false}", RULES_SECONDARY, 50, "r"},
    {"rule r when trip.return_ticket or traveller.age > 10 then score 1 reason \"x\"",
     "{\"traveller.age\": 20}", RULES_CLEAR, 1, "r"},
    {"rule r when not (traveller.age > 10 and trip.return_ticket) then score 1 reason \"x\"",
     "{\"traveller.age\": 5}", RULES_CLEAR, 1, "r"},
    {"rule r when not (traveller.age > 10 and trip.return_ticket) then score 1 reason \"x\"",
     "{\"traveller.age\": 20}", RULES_CLEAR, 0, ""},
    {"rule r when not (traveller.age > 10 or trip.return_ticket) then score 1 reason \"x\"",
     "{\"traveller.age\": 5}", RULES_CLEAR, 0, ""},
    /* lists, membership, case */
    {"rule r when trip.destination in hubs then score 1 reason \"x\"",
     "{\"trip.destination\": \"khm\"}", RULES_CLEAR, 1, "r"},
    {"rule r when sponsor.company = \"pt maju\" then score 1 reason \"x\"",
     "{\"sponsor.company\": \"PT Maju\"}", RULES_CLEAR, 1, "r"},
    {"rule r when trip.destination not in hubs then score 1 reason \"x\"",
     "{\"trip.destination\": \"JPN\"}", RULES_CLEAR, 1, "r"},
    {"rule r when trip.destination not in hubs then score 1 reason \"x\"",
     "{\"trip.destination\": \"MMR\"}", RULES_CLEAR, 0, ""},
    {"rule r when trip.destination not in hubs then score 1 reason \"x\"", "{}", RULES_CLEAR, 0,
     ""},
    {"rule r when trip.transit in hubs then score 1 reason \"x\"",
     "{\"trip.transit\": [\"SGP\", \"LAO\"]}", RULES_CLEAR, 1, "r"},
    {"rule r when trip.transit in hubs then score 1 reason \"x\"", "{\"trip.transit\": [\"SGP\"]}",
     RULES_CLEAR, 0, ""},
    {"rule r when trip.transit in hubs then score 1 reason \"x\"", "{\"trip.transit\": []}",
     RULES_CLEAR, 0, ""},
    {"rule r when trip.transit contains \"SGP\" then score 1 reason \"x\"",
     "{\"trip.transit\": [\"SGP\"]}", RULES_CLEAR, 1, "r"},
    {"rule r when trip.transit contains trip.final_destination then score 1 reason \"x\"",
     "{\"trip\": {\"transit\": [\"VNM\"], \"final_destination\": \"VNM\"}}", RULES_CLEAR, 1, "r"},
    {"rule r when hubs contains trip.destination then score 1 reason \"x\"",
     "{\"trip.destination\": \"LAO\"}", RULES_CLEAR, 1, "r"},
    {"rule r when trip.purpose in [\"work\", \"business\"] then score 1 reason \"x\"",
     "{\"trip.purpose\": \"Business\"}", RULES_CLEAR, 1, "r"},
    {"rule r when trip.destination in trip.transit then score 1 reason \"x\"",
     "{\"trip\": {\"transit\": [\"VNM\"], \"destination\": \"VNM\"}}", RULES_CLEAR, 1, "r"},
    {"rule r when count(trip.transit) >= 2 then score 1 reason \"x\"",
     "{\"trip.transit\": [\"SGP\", \"VNM\"]}", RULES_CLEAR, 1, "r"},
    {"rule r when count(trip.transit) >= 0 then score 1 reason \"x\"", "{}", RULES_CLEAR, 0, ""},
    {"rule r when count(trip.transit) = 0 then score 1 reason \"x\"", "{\"trip.transit\": []}",
     RULES_CLEAR, 1, "r"},
    /* known / missing, fact against fact, booleans, numbers */
    {"rule r when missing(trip.final_destination) then score 1 reason \"x\"", "{}", RULES_CLEAR, 1,
     "r"},
    {"rule r when known(sponsor.phone) then score 1 reason \"x\"", "{\"sponsor.phone\": \"+62 1\"}",
     RULES_CLEAR, 1, "r"},
    {"rule r when trip.destination != trip.final_destination then score 1 reason \"x\"",
     "{\"trip\": {\"destination\": \"VNM\", \"final_destination\": \"KHM\"}}", RULES_CLEAR, 1, "r"},
    {"rule r when trip.destination != trip.final_destination then score 1 reason \"x\"",
     "{\"trip\": {\"destination\": \"VNM\"}}", RULES_CLEAR, 0, ""},
    {"rule r when trip.return_ticket == false then score 1 reason \"x\"",
     "{\"trip.return_ticket\": false}", RULES_CLEAR, 1, "r"},
    {"rule r when traveller.age > -1 then score 1 reason \"x\"", "{\"traveller.age\": 0}",
     RULES_CLEAR, 1, "r"},
    {"rule r when (trip.return_ticket or traveller.age > 1) = true then score 1 reason \"x\"",
     "{\"traveller.age\": 5}", RULES_CLEAR, 1, "r"},
    /* thresholds, precedence, report order */
    {"rule a when traveller.age >= 0 then score 40 reason \"x\"", "{\"traveller.age\": 1}",
     RULES_SECONDARY, 40, "a"},
    {"rule a when traveller.age >= 0 then score 39 reason \"x\"", "{\"traveller.age\": 1}",
     RULES_CLEAR, 39, "a"},
    {"rule a when traveller.age >= 0 then score 100 reason \"x\"", "{\"traveller.age\": 1}",
     RULES_REFUSE, 100, "a"},
    {"rule a when traveller.age >= 0 then score 50 reason \"x\"\n"
     "rule b when traveller.age >= 0 then score -20 reason \"x\"",
     "{\"traveller.age\": 1}", RULES_CLEAR, 30, "a,b"},
    {"rule low when traveller.age >= 0 then score 10 reason \"x\"\n"
     "rule neg when traveller.age >= 0 then score -5 reason \"x\"\n"
     "rule hi1 when traveller.age >= 0 then score 30 reason \"x\"\n"
     "rule sec when traveller.age >= 0 then secondary reason \"x\"\n"
     "rule hi2 when traveller.age >= 0 then score 30 reason \"x\"",
     "{\"traveller.age\": 1}", RULES_SECONDARY, 65, "sec,hi1,hi2,low,neg"},
    {"rule s when traveller.age >= 0 then score 200 reason \"x\"\n"
     "rule b when traveller.age >= 0 then secondary reason \"x\"\n"
     "rule a when traveller.age >= 0 then refuse reason \"x\"\n"
     "rule p when history.past_victim then protect reason \"x\"",
     "{\"traveller.age\": 1, \"history.past_victim\": true}", RULES_PROTECT, 200, "p,a,b,s"},
    {"rule b when traveller.age >= 0 then secondary reason \"x\"\n"
     "rule a when traveller.age >= 0 then score 120 reason \"x\"",
     "{\"traveller.age\": 1}", RULES_REFUSE, 120, "b,a"},
};

static void test_eval_semantics(void **state)
{
    for (size_t i = 0; i < sizeof eval_cases / sizeof eval_cases[0]; i++) {
        const struct eval_case *c = &eval_cases[i];
        char src[2048];
        snprintf(src, sizeof src, "%s%s\n", header, c->rules);
        struct rules *rs = NULL;
        struct rules_diags d;
        if (rules_compile(rules_schema_departure(), src, strlen(src), &rs, &d) != 0)
            fail_msg("case %zu does not compile: %s", i, src);
        struct rules_facts *f = facts_json(rules_schema_departure(), c->facts);
        struct rules_result *res = NULL;
        assert_int_equal(rules_result_new(rs, &res), 0);
        assert_int_equal(rules_evaluate(rs, f, res), 0);
        char names[512];
        hit_names(res, names, sizeof names);
        if (rules_result_recommendation(res) != c->rec || rules_result_score(res) != c->score ||
            strcmp(names, c->fired) != 0)
            fail_msg("case %zu (%s over %s): got %s %lld [%s], want %s %lld [%s]", i, c->rules,
                     c->facts, rules_recommendation_str(rules_result_recommendation(res)),
                     (long long)rules_result_score(res), names, rules_recommendation_str(c->rec),
                     (long long)c->score, c->fired);
        rules_result_free(res);
        rules_facts_free(f);
        rules_free(rs);
    }
}

static void test_reason_texts(void **state)
{
    const char *src = "threshold secondary 40\nthreshold refuse 100\n"
                      "rule r when traveller.age >= 0 then score 1 reason "
                      "\"{trip.transit}|{trip.carrier}|{trip.return_ticket}|{traveller.age}|"
                      "{{b}}|\\\"q\\\"|{group.any_matched}\"\n"
                      "rule e when traveller.age >= 0 then score 1 reason \"t={trip.transit}\"\n";
    struct rules *rs = compile_ok(rules_schema_departure(), src);
    struct rules_facts *f =
        facts_json(rules_schema_departure(), "{\"traveller.age\": 22, \"trip.transit\": [\"vnm\", "
                                             "\"THA\"], \"trip.return_ticket\": true}");
    struct rules_result *res = NULL;
    assert_int_equal(rules_result_new(rs, &res), 0);
    assert_int_equal(rules_evaluate(rs, f, res), 0);
    assert_int_equal(rules_result_count(res), 2);
    assert_string_equal(rules_result_hit(res, 0)->text,
                        "VNM, THA|unknown|yes|22|{b}|\"q\"|unknown");
    assert_int_equal(rules_result_hit(res, 0)->line, 3);
    assert_int_equal(rules_result_hit(res, 0)->effect, RULES_EFFECT_SCORE);
    assert_null(rules_result_hit(res, 2));
    const char *none[1] = {NULL};
    assert_int_equal(rules_facts_set_list(f, "trip.transit", none, 0), 0);
    assert_int_equal(rules_evaluate(rs, f, res), 0);
    assert_string_equal(rules_result_hit(res, 1)->text, "t=none");
    rules_result_free(res);
    rules_facts_free(f);
    rules_free(rs);
}

/* A reason longer than RULES_MAX_REASON is cut at a character boundary. */
static void test_reason_truncation(void **state)
{
    struct buf b;
    buf_init(&b, 4096);
    buf_puts(&b, "threshold secondary 40\nthreshold refuse 100\n"
                 "rule r when traveller.age >= 0 then score 1 reason \"");
    for (unsigned i = 0; i < RULES_MAX_PLACEHOLDERS; i++)
        buf_puts(&b, "{sponsor.name}");
    buf_puts(&b, "\"\n");
    struct rules *rs = compile_ok(rules_schema_departure(), buf_cstr(&b));
    struct rules_facts *f = NULL;
    assert_int_equal(rules_facts_new(rules_schema_departure(), &f), 0);
    char name[RULES_MAX_STRING];
    for (size_t i = 0; i + 2 < RULES_MAX_STRING; i += 2)
        memcpy(name + i, "\xC3\xA9", 2); /* é */
    name[RULES_MAX_STRING - 2] = 'x';    /* 255 bytes: a character straddles the cut */
    name[RULES_MAX_STRING - 1] = '\0';
    assert_int_equal(rules_facts_set_str(f, "sponsor.name", name), 0);
    assert_int_equal(rules_facts_set_num(f, "traveller.age", 1), 0);
    struct rules_result *res = NULL;
    assert_int_equal(rules_result_new(rs, &res), 0);
    assert_int_equal(rules_evaluate(rs, f, res), 0);
    const char *t = rules_result_hit(res, 0)->text;
    assert_true(strlen(t) <= RULES_MAX_REASON - 1);
    assert_true(strlen(t) >= RULES_MAX_REASON - 4);
    assert_true(text_utf8_valid(t, strlen(t)));
    rules_result_free(res);
    rules_facts_free(f);
    rules_free(rs);
    buf_free(&b);
}

static void test_eval_mismatch(void **state)
{
    const char *src = "threshold secondary 40\nthreshold refuse 100\n"
                      "rule r when history.past_victim then protect reason \"x\"\n";
    struct rules *rs = compile_ok(rules_schema_departure(), src);
    struct rules *rs2 = compile_ok(rules_schema_application(), src);
    struct rules_facts *fa = NULL;
    struct rules_result *res = NULL, *res0 = NULL;
    assert_int_equal(rules_facts_new(rules_schema_application(), &fa), 0);
    assert_int_equal(rules_result_new(rs, &res), 0);
    assert_int_equal(rules_evaluate(rs, fa, res), ERR_INVALID);
    assert_int_equal(rules_evaluate(rs2, fa, res), 0);
    struct rules *none = compile_ok(rules_schema_application(),
                                    "threshold secondary 40\nthreshold refuse 100\n"
                                    "rule r when history.past_victim then protect reason \"x\"\n"
                                    "rule s when history.past_victim then protect reason \"y\"\n");
    assert_int_equal(rules_result_new(rs2, &res0), 0);
    assert_int_equal(rules_evaluate(none, fa, res0), ERR_INVALID); /* result too small */
    rules_free(none);
    rules_result_free(res0);
    rules_result_free(res);
    rules_facts_free(fa);
    rules_free(rs2);
    rules_free(rs);
    rules_free(NULL);
    rules_result_free(NULL);
}

/* ---- golden files ---- */

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of GOLDEN_DIR ending in suffix; NULL-terminated, caller frees. */
static char **golden_list(const char *suffix, size_t *count)
{
    DIR *dir = opendir(GOLDEN_DIR);
    assert_non_null(dir);
    char **names = calloc(256, sizeof *names);
    size_t n = 0, sl = strlen(suffix);
    struct dirent *e;
    while ((e = readdir(dir)) != NULL && n < 255) {
        size_t l = strlen(e->d_name);
        if (l > sl && strcmp(e->d_name + l - sl, suffix) == 0)
            names[n++] = strdup(e->d_name);
    }
    closedir(dir);
    qsort(names, n, sizeof *names, cmp_names);
    *count = n;
    return names;
}

static void free_list(char **names)
{
    for (size_t i = 0; names[i] != NULL; i++)
        free(names[i]);
    free(names);
}

/* Compile goldens: NAME.rules -> NAME.out (diagnostics, then the dump when
 * it compiles). Files named app_* use the application schema. */
static void test_golden_compile(void **state)
{
    size_t n;
    char **names = golden_list(".rules", &n);
    assert_true(n >= 5);
    bool update = getenv("LINTAS_GOLDEN_UPDATE") != NULL;
    for (size_t i = 0; i < n; i++) {
        char path[512], outp[512];
        snprintf(path, sizeof path, GOLDEN_DIR "/%s", names[i]);
        snprintf(outp, sizeof outp, GOLDEN_DIR "/%.*s.out", (int)(strlen(names[i]) - 6), names[i]);
        size_t len;
        char *src = read_file(path, &len);
        assert_non_null(src);
        const struct rules_schema *sc = strncmp(names[i], "app_", 4) == 0
                                            ? rules_schema_application()
                                            : rules_schema_departure();
        struct rules *rs = NULL;
        struct rules_diags d;
        int rc = rules_compile(sc, src, len, &rs, &d);
        struct buf got;
        buf_init(&got, 1 << 20);
        rules_diags_format(&d, &got);
        buf_printf(&got, "result %s\n", rc == 0 ? "ok" : err_str(rc));
        if (rs != NULL)
            assert_int_equal(rules_dump(rs, &got), 0);
        if (update) {
            FILE *f = fopen(outp, "wb");
            assert_non_null(f);
            fwrite(got.data, 1, got.len, f);
            fclose(f);
        }
        size_t wlen;
        char *want = read_file(outp, &wlen);
        if (want == NULL)
            fail_msg("%s: missing (run with LINTAS_GOLDEN_UPDATE=1 and review)", outp);
        if (wlen != got.len || memcmp(want, got.data, wlen) != 0)
            fail_msg("%s differs.\n--- want\n%s--- got\n%s", outp, want, buf_cstr(&got));
        free(want);
        buf_free(&got);
        rules_free(rs);
        free(src);
    }
    free_list(names);
}

static void check_expect(const char *name, const struct rules_result *res, json_t *expect)
{
    const char *rec = json_string_value(json_object_get(expect, "recommendation"));
    json_t *reasons = json_object_get(expect, "reasons");
    assert_non_null(rec);
    assert_true(json_is_array(reasons));
    if (strcmp(rec, rules_recommendation_str(rules_result_recommendation(res))) != 0)
        fail_msg("%s: recommendation %s, want %s", name,
                 rules_recommendation_str(rules_result_recommendation(res)), rec);
    if (json_integer_value(json_object_get(expect, "score")) != rules_result_score(res))
        fail_msg("%s: score %lld, want %lld", name, (long long)rules_result_score(res),
                 (long long)json_integer_value(json_object_get(expect, "score")));
    if (json_array_size(reasons) != rules_result_count(res))
        fail_msg("%s: %zu reasons, want %zu", name, rules_result_count(res),
                 json_array_size(reasons));
    for (size_t i = 0; i < rules_result_count(res); i++) {
        const struct rules_hit *h = rules_result_hit(res, i);
        json_t *w = json_array_get(reasons, i);
        const char *rule = json_string_value(json_object_get(w, "rule"));
        const char *text = json_string_value(json_object_get(w, "text"));
        json_int_t weight = json_integer_value(json_object_get(w, "weight"));
        if (rule == NULL || text == NULL || strcmp(rule, h->rule) != 0 ||
            strcmp(text, h->text) != 0 || weight != h->weight)
            fail_msg("%s: reason %zu is %s \"%s\" %lld, want %s \"%s\" %lld", name, i, h->rule,
                     h->text, (long long)h->weight, rule ? rule : "?", text ? text : "?",
                     (long long)weight);
    }
}

/* Evaluation goldens: eval_*.json = {ruleset, schema, facts, expect}. */
static void test_golden_eval(void **state)
{
    size_t n;
    char **names = golden_list(".json", &n);
    assert_true(n >= 4);
    for (size_t i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, GOLDEN_DIR "/%s", names[i]);
        json_error_t e;
        json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
        if (j == NULL)
            fail_msg("%s: %s", path, e.text);
        const struct rules_schema *sc =
            rules_schema_builtin(json_string_value(json_object_get(j, "schema")));
        const char *rpath = json_string_value(json_object_get(j, "ruleset"));
        assert_non_null(sc);
        assert_non_null(rpath);
        size_t len;
        char *src = read_file(rpath, &len);
        assert_non_null(src);
        struct rules *rs = NULL;
        assert_int_equal(rules_compile(sc, src, len, &rs, NULL), 0);
        struct rules_facts *f = NULL;
        struct buf why;
        buf_init(&why, 512);
        if (rules_facts_from_json_why(sc, json_object_get(j, "facts"), &f, &why) != 0)
            fail_msg("%s: facts: %s", path, buf_cstr(&why));
        struct rules_result *res = NULL;
        assert_int_equal(rules_result_new(rs, &res), 0);
        assert_int_equal(rules_evaluate(rs, f, res), 0);
        check_expect(names[i], res, json_object_get(j, "expect"));
        assert_int_equal(rules_evaluate(rs, f, res), 0); /* deterministic when repeated */
        check_expect(names[i], res, json_object_get(j, "expect"));
        rules_result_free(res);
        rules_facts_free(f);
        buf_free(&why);
        rules_free(rs);
        free(src);
        json_decref(j);
    }
    free_list(names);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_builtin),
        cmocka_unit_test(test_schema_custom),
        cmocka_unit_test(test_facts_setters),
        cmocka_unit_test(test_facts_arena_limit),
        cmocka_unit_test(test_facts_json_errors),
        cmocka_unit_test(test_age_years),
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_compile_limits),
        cmocka_unit_test(test_default_rulesets),
        cmocka_unit_test(test_eval_semantics),
        cmocka_unit_test(test_reason_texts),
        cmocka_unit_test(test_reason_truncation),
        cmocka_unit_test(test_eval_mismatch),
        cmocka_unit_test(test_golden_compile),
        cmocka_unit_test(test_golden_eval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
