/* Unit tests for domain/edifact and domain/paxlst: service strings and
 * escaping, envelopes and line ends, dates and centuries, missing data,
 * control counts, multi-part assembly, over-long values, character sets,
 * limits and hostile input. Fixtures are built around one clean passenger
 * so that each test changes one thing and checks what that changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/edifact.h"
#include "domain/manifest_json.h"
#include "domain/paxlst.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/limits.h"
#include "util/text.h"
#include "util/timeutil.h"

/* A passenger with every required field, valid on a 2021-01-01 flight. */
#define CLEAN_PAX                                                                                  \
    "NAD+FL+++SANTOSO:BUDI'ATT+2++M'DTM+329:900101'NAT+2+IDN'"                                     \
    "DOC+P:110:111+A1234567'DTM+36:300101'LOC+91+IDN'"

#define HEADER_SEGS 7 /* UNH BGM TDT LOC DTM LOC DTM */

static struct paxlst_options opts(void)
{
    return (struct paxlst_options){.today = time_days_from_civil(2026, 1, 1)};
}

/* Segments in s: terminators not preceded by the release character. */
static int count_segments(const char *s)
{
    int n = 0;
    for (; *s; s++) {
        if (*s == '?' && s[1] != '\0')
            s++;
        else if (*s == '\'')
            n++;
    }
    return n;
}

/* An interchange in character set cs with one message around body (the
 * segments after the leg), with a correct UNT count. New string. */
static char *msg_cs(const char *cs, const char *body)
{
    struct buf b;
    buf_init(&b, LIMIT_MANIFEST * 2u);
    buf_printf(&b, "UNB+%s:4+S+R+210101:0000+REF1'", cs);
    buf_puts(&b, "UNH+M1+PAXLST:D:05B:UN:IATA+XX100/210101/1000+01:F'BGM+745'TDT+20+XX100+++XX'"
                 "LOC+125+CGK'DTM+189:2101011000:201'LOC+87+SIN'DTM+232:2101011300:201'");
    buf_puts(&b, body);
    buf_printf(&b, "UNT+%d+M1'UNZ+1+REF1'", HEADER_SEGS + count_segments(body) + 1);
    return buf_steal(&b, NULL);
}

static char *msg(const char *body)
{
    return msg_cs("UNOA", body);
}

static int parse_opt(const char *s, size_t len, const struct paxlst_options *o,
                     struct paxlst_manifest **m)
{
    struct buf why;
    buf_init(&why, 1024);
    int r = paxlst_parse(s, len, o, m, &why);
    if (r != 0 && why.len == 0)
        fail_msg("error %d without a reason", r);
    buf_free(&why);
    return r;
}

static struct paxlst_manifest *parse_ok(const char *s)
{
    struct paxlst_options o = opts();
    struct paxlst_manifest *m = NULL;
    struct buf why;
    buf_init(&why, 1024);
    int r = paxlst_parse(s, strlen(s), &o, &m, &why);
    if (r != 0)
        fail_msg("parse failed: %d %s", r, buf_cstr(&why));
    buf_free(&why);
    return m;
}

/* Number of problems of person (PAXLST_NONE: the manifest) with field and
 * code (PAXLST_CODE_COUNT: any code). */
static size_t count(const struct paxlst_manifest *m, size_t person, enum paxlst_field f,
                    enum paxlst_code c)
{
    size_t first = 0, n = m->manifest_problems, k = 0;
    if (person != PAXLST_NONE) {
        first = m->persons[person].problem_first;
        n = m->persons[person].problem_count;
    }
    for (size_t i = first; i < first + n; i++)
        if (m->problems[i].field == f && (c == PAXLST_CODE_COUNT || m->problems[i].code == c))
            k++;
    return k;
}

static void test_clean_passenger(void **state)
{
    char *s = msg(CLEAN_PAX);
    struct paxlst_manifest *m = parse_ok(s);
    assert_int_equal(m->npersons, 1);
    assert_int_equal(m->nproblems, 0);
    const struct paxlst_person *p = &m->persons[0];
    assert_string_equal(p->surname, "SANTOSO");
    assert_string_equal(p->given_names, "BUDI");
    assert_string_equal(p->birth_date, "1990-01-01");
    assert_string_equal(p->docs[0].expiry, "2030-01-01");
    assert_string_equal(m->flights[0].carrier, "XX");
    assert_string_equal(m->flights[0].departure_time, "2021-01-01T10:00");
    paxlst_free(m);
    free(s);
}

/* ---- service strings, release character, line ends, envelopes ---- */

static void test_separators(void **state)
{
    static const struct {
        const char *in;
        const char *surname, *given;
    } cases[] = {
        {"UNB+UNOA:4+S+R+210101:0000+R1'UNH+1+PAXLST'BGM+745'TDT+20+XX1'"
         "NAD+FL+++O?'BRIEN:ANN?+MARIE?:?"
         "?'UNT+5+1'UNZ+1+R1'",
         "O'BRIEN", "ANN+MARIE:?"},
        {"UNA:(.) -UNB(UNOA:4(S(R(210101:0000(R1-UNH(1(PAXLST-BGM(745-TDT(20(XX1-"
         "NAD(FL(((SMITH)-JONES:JOHN-UNT(5(1-UNZ(1(R1-",
         "SMITH-JONES", "JOHN"},
        {"UNA:-.? 'UNB-UNOA:4-S-R-210101:0000-R1'UNH-1-PAXLST'BGM-745'TDT-20-XX1'"
         "NAD-FL---DE?-LA CRUZ:MARIA'UNT-5-1'UNZ-1-R1'",
         "DE-LA CRUZ", "MARIA"},
        {"UNA:*.? $UNB*UNOA:4*S*R*210101:0000*R1$UNH*1*PAXLST$BGM*745$TDT*20*XX1$"
         "NAD*FL***NG:WEI LI$UNT*5*1$UNZ*1*R1$",
         "NG", "WEI LI"},
        {"UNA:+.? #UNB+UNOA:4+S+R+210101:0000+R1#UNH+1+PAXLST#BGM+745#TDT+20+XX1#"
         "NAD+FL+++SITI'S:AMINAH#UNT+5+1#UNZ+1+R1#",
         "SITI'S", "AMINAH"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct paxlst_manifest *m = parse_ok(cases[i].in);
        assert_int_equal(m->npersons, 1);
        assert_string_equal(m->persons[0].surname, cases[i].surname);
        assert_string_equal(m->persons[0].given_names, cases[i].given);
        assert_int_equal(count(m, PAXLST_NONE, PAXLST_F_UNT, PAXLST_CODE_COUNT), 0);
        assert_int_equal(count(m, PAXLST_NONE, PAXLST_F_SEGMENT, PAXLST_CODE_COUNT), 0);
        paxlst_free(m);
    }
}

static void test_una_rejects_clashes(void **state)
{
    struct edifact_seps s;
    assert_null(edifact_parse_una((const unsigned char *)":+.? '", &s));
    assert_true(s.has_release);
    assert_false(s.has_rep);
    assert_null(edifact_parse_una((const unsigned char *)":+.?*'", &s));
    assert_true(s.has_rep);
    assert_non_null(edifact_parse_una((const unsigned char *)"++.? '", &s));
    assert_non_null(edifact_parse_una((const unsigned char *)":A.? '", &s));
    assert_null(edifact_parse_una((const unsigned char *)":+.?:'", &s)); /* repetition clash */
    assert_false(s.has_rep);
    assert_non_null(edifact_parse_una((const unsigned char *)":+.+ '", &s));
    assert_non_null(edifact_parse_una((const unsigned char *)":+.? \n", &s));
}

/* Renders every person; used to compare two parses of the same data. */
static char *persons_text(const struct paxlst_manifest *m)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    for (size_t i = 0; i < m->npersons; i++) {
        json_t *j = manifest_person_json(m, i);
        json_object_del(j, "problems");
        char *s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
        buf_printf(&b, "%s\n", s);
        free(s);
        json_decref(j);
    }
    return buf_steal(&b, NULL);
}

static char *replace_all(const char *s, const char *from, const char *to)
{
    struct buf b;
    buf_init(&b, 1 << 22);
    size_t fl = strlen(from);
    for (const char *p = s; *p;) {
        if (strncmp(p, from, fl) == 0) {
            buf_puts(&b, to);
            p += fl;
        } else {
            buf_putc(&b, *p++);
        }
    }
    return buf_steal(&b, NULL);
}

static char *wrap_at(const char *s, size_t cols)
{
    struct buf b;
    buf_init(&b, 1 << 22);
    for (size_t i = 0; s[i]; i++) {
        if (i > 0 && i % cols == 0)
            buf_puts(&b, "\r\n");
        buf_putc(&b, s[i]);
    }
    return buf_steal(&b, NULL);
}

static void test_line_ends_and_envelopes(void **state)
{
    char *base = msg(CLEAN_PAX "NAD+FL+++O?'NEIL:MARY'ATT+2++F'DTM+329:850505'NAT+2+IRL'"
                               "DOC+P+X1'DTM+36:290101'LOC+91+IRL'");
    struct paxlst_manifest *ref = parse_ok(base);
    char *want = persons_text(ref);
    assert_int_equal(ref->npersons, 2);
    assert_string_equal(ref->persons[1].surname, "O'NEIL");
    char *lf = replace_all(base, "'", "'\n"), *crlf = replace_all(base, "'", "'\r\n");
    char *cr = replace_all(base, "'", "'\r"), *sp = replace_all(base, "'", "' ");
    /* the release character stays glued to what it releases */
    char *lf_fixed = replace_all(lf, "?'\n", "?'"), *crlf_fixed = replace_all(crlf, "?'\r\n", "?'");
    char *cr_fixed = replace_all(cr, "?'\r", "?'"), *sp_fixed = replace_all(sp, "?' ", "?'");
    char *w64 = wrap_at(base, 64), *w69 = wrap_at(base, 69);
    struct buf env;
    buf_init(&env, 1 << 22);
    buf_puts(&env, "\xEF\xBB\xBF\x01QP FESR43F VIEGPXH\r\n.HDQCRA9 130631\r\n\x02");
    buf_puts(&env, w64);
    buf_puts(&env, "\r\n\x03 27AUG21 0031Z *3872\r\n\f");
    const char *variants[] = {lf_fixed, crlf_fixed, cr_fixed, sp_fixed, w64, w69, buf_cstr(&env)};
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
        struct paxlst_manifest *m = parse_ok(variants[i]);
        char *got = persons_text(m);
        assert_string_equal(got, want);
        assert_int_equal(count(m, PAXLST_NONE, PAXLST_F_UNT, PAXLST_CODE_COUNT), 0);
        assert_int_equal(count(m, PAXLST_NONE, PAXLST_F_SEGMENT, PAXLST_CODE_COUNT), 0);
        size_t trailing = count(m, PAXLST_NONE, PAXLST_F_INPUT, PAXLST_TRAILING_DATA);
        assert_int_equal(trailing, variants[i] == buf_cstr(&env) ? 1 : 0);
        free(got);
        paxlst_free(m);
    }
    buf_free(&env);
    char *all[] = {base,     want,       lf,       crlf,     cr,  sp,
                   lf_fixed, crlf_fixed, cr_fixed, sp_fixed, w64, w69};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        free(all[i]);
    paxlst_free(ref);
}

static void test_find_start(void **state)
{
    static const struct {
        const char *in;
        size_t at;
    } cases[] = {
        {"UNB+UNOA:4'", 0},           {"QP ABC\r\n.HDQ 1\r\nUNA:+.? 'UNB", 16},
        {"UNBELIEVABLE\nUNH+1'", 13}, {"  \x01\x02UNH+1'", 4},
        {"text UNB+x'", 5},          /* no line starts so: anywhere */
        {"UNAVAILABLE\nUNB+1'", 12}, /* "UNAVAI" is no service string */
        {"nothing here", 12},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(edifact_find_start(cases[i].in, strlen(cases[i].in), 0), cases[i].at);
}

/* ---- dates ---- */

static void test_dates(void **state)
{
    static const struct {
        const char *dep;    /* DTM+189 value */
        const char *birth;  /* DTM+329 composite after the qualifier */
        const char *expiry; /* DTM+36 composite */
        const char *want_birth, *want_expiry;
    } cases[] = {
        {"2101011000", "900101", "300101", "1990-01-01", "2030-01-01"},
        {"0807101500", "100101", "100101", "1910-01-01", "2010-01-01"}, /* never after departure */
        {"0807101500", "050101", "090916", "2005-01-01", "2009-09-16"},
        {"2101011000", "19350919:102", "20301231:102", "1935-09-19", "2030-12-31"},
        {"2101011000", "000229", "610218", "2000-02-29", "2061-02-18"},
        {"2101011000", "991332", "770101", "", "1977-01-01"}, /* today + 50 = 2076 */
        {"2101011000", "9001", "ABCDEF", "", ""},
        {"2101011000", " 900101 ", " 300101", "1990-01-01", "2030-01-01"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char body[512];
        snprintf(body, sizeof body,
                 "UNB+UNOA:4+S+R+210101:0000+R1'UNH+1+PAXLST'BGM+745'TDT+20+XX1'LOC+125+CGK'"
                 "DTM+189:%s:201'LOC+87+SIN'NAD+FL+++A:B'DTM+329:%s'DOC+P+1'DTM+36:%s'"
                 "UNT+11+1'UNZ+1+R1'",
                 cases[i].dep, cases[i].birth, cases[i].expiry);
        struct paxlst_manifest *m = parse_ok(body);
        assert_string_equal(m->persons[0].birth_date, cases[i].want_birth);
        assert_string_equal(m->persons[0].docs[0].expiry, cases[i].want_expiry);
        assert_int_equal(count(m, 0, PAXLST_F_BIRTH_DATE, PAXLST_INVALID_DATE),
                         cases[i].want_birth[0] == '\0');
        assert_int_equal(count(m, 0, PAXLST_F_BIRTH_DATE, PAXLST_MISSING), 0);
        paxlst_free(m);
    }
}

static void test_document_checks(void **state)
{
    char *s = msg("NAD+FL+++A:ONE'ATT+2++F'DTM+329:900101'NAT+2+IDN'DOC+P+D1'DTM+36:200101'"
                  "LOC+91+IDN'" /* expired */
                  "NAD+FL+++B:TWO'ATT+2++F'DTM+329:900101'NAT+2+IDN'DOC+P+D1'DTM+36:300101'"
                  "LOC+91+IDN'" /* same doc */
                  "NAD+FL+++C:THREE'ATT+2++M'DTM+329:19900101:102'NAT+2+IDN'DOC+P+D3'"
                  "DTM+36:19850101:102'LOC+91+IDN'" /* before birth */
                  "NAD+FL+++D:FOUR'ATT+2++M'DTM+329:900101'NAT+2+IDN'DOC+P+D4'DTM+36:600101'"
                  "DTM+182:220101'LOC+91+IDN'"); /* far expiry, issued after departure */
    struct paxlst_manifest *m = parse_ok(s);
    assert_int_equal(m->npersons, 4);
    assert_int_equal(count(m, 0, PAXLST_F_DOC_EXPIRY, PAXLST_EXPIRED), 1);
    assert_int_equal(count(m, 0, PAXLST_F_DOC_NUMBER, PAXLST_DUPLICATE), 1);
    assert_int_equal(count(m, 1, PAXLST_F_DOC_NUMBER, PAXLST_DUPLICATE), 1);
    assert_int_equal(count(m, 1, PAXLST_F_DOC_EXPIRY, PAXLST_CODE_COUNT), 0);
    assert_int_equal(count(m, 2, PAXLST_F_DOC_EXPIRY, PAXLST_INCONSISTENT), 1);
    assert_int_equal(count(m, 3, PAXLST_F_DOC_EXPIRY, PAXLST_IMPLAUSIBLE_DATE), 1);
    assert_int_equal(count(m, 3, PAXLST_F_DOC_ISSUED, PAXLST_IMPLAUSIBLE_DATE), 1);
    assert_int_equal(count(m, 2, PAXLST_F_DOC_NUMBER, PAXLST_DUPLICATE), 0);
    paxlst_free(m);
    free(s);
}

/* ---- missing data, reported per person and counted per carrier ---- */

static void test_missing_data(void **state)
{
    char *s = msg(CLEAN_PAX "NAD+FL+++NODATA'"
                            "NAD+FM+++CREW:ONE'ATT+2++X'DTM+329:800101'NAT+2+ZZZ'DOC+P+C1'");
    struct paxlst_manifest *m = parse_ok(s);
    assert_int_equal(m->npersons, 3);
    assert_int_equal(m->persons[0].problem_count, 0);
    static const enum paxlst_field gone[] = {PAXLST_F_SEX, PAXLST_F_BIRTH_DATE,
                                             PAXLST_F_NATIONALITY, PAXLST_F_DOCUMENT};
    for (size_t k = 0; k < 4; k++)
        assert_int_equal(count(m, 1, gone[k], PAXLST_MISSING), 1);
    assert_int_equal(count(m, 1, PAXLST_F_GIVEN_NAMES, PAXLST_CODE_COUNT), 0); /* mononym */
    assert_int_equal(m->persons[1].problem_count, 4);
    assert_int_equal(m->persons[2].role, PAXLST_CREW);
    assert_int_equal(count(m, 2, PAXLST_F_NATIONALITY, PAXLST_UNKNOWN_CODE), 1);
    assert_int_equal(count(m, 2, PAXLST_F_DOC_ISSUER, PAXLST_MISSING), 1);
    assert_int_equal(count(m, 2, PAXLST_F_DOC_EXPIRY, PAXLST_MISSING), 1);
    assert_int_equal(count(m, 2, PAXLST_F_SEX, PAXLST_CODE_COUNT), 0); /* X is allowed */
    json_t *sum = manifest_summary_json(m);
    json_t *c = json_array_get(json_object_get(sum, "carriers"), 0);
    assert_string_equal(json_string_value(json_object_get(c, "carrier")), "XX");
    assert_int_equal(json_integer_value(json_object_get(c, "persons")), 3);
    assert_int_equal(json_integer_value(json_object_get(c, "persons_with_problems")), 2);
    json_t *miss = json_object_get(c, "missing"), *inv = json_object_get(c, "invalid");
    assert_int_equal(json_integer_value(json_object_get(miss, "birth_date")), 1);
    assert_int_equal(json_integer_value(json_object_get(miss, "document")), 1);
    assert_int_equal(json_integer_value(json_object_get(miss, "nationality")), 1);
    assert_int_equal(json_integer_value(json_object_get(miss, "document_expiry")), 1);
    assert_int_equal(json_integer_value(json_object_get(inv, "nationality")), 1);
    assert_int_equal(json_integer_value(json_object_get(sum, "crew")), 1);
    json_decref(sum);
    paxlst_free(m);
    free(s);
}

/* ---- control counts, references, envelopes ---- */

static void test_control_counts(void **state)
{
    static const struct {
        const char *in;
        enum paxlst_field field;
        enum paxlst_code code;
    } cases[] = {
        {"UNB+UNOA:4+S+R+1:1+R1'UNH+1+PAXLST'BGM+745'UNT+9+1'UNZ+1+R1'", PAXLST_F_UNT,
         PAXLST_COUNT_MISMATCH},
        {"UNB+UNOA:4+S+R+1:1+R1'UNH+1+PAXLST'BGM+745'UNT+3+2'UNZ+1+R1'", PAXLST_F_UNT,
         PAXLST_REFERENCE_MISMATCH},
        {"UNB+UNOA:4+S+R+1:1+R1'UNH+1+PAXLST'BGM+745'UNT+x+1'UNZ+1+R1'", PAXLST_F_UNT,
         PAXLST_MALFORMED},
        {"UNB+UNOA:4+S+R+1:1+R1'UNH+1+PAXLST'BGM+745'UNT+3+1'UNZ+2+R1'", PAXLST_F_UNZ,
         PAXLST_COUNT_MISMATCH},
        {"UNB+UNOA:4+S+R+1:1+R1'UNH+1+PAXLST'BGM+745'UNT+3+1'UNZ+1+R2'", PAXLST_F_UNZ,
         PAXLST_REFERENCE_MISMATCH},
        {"UNB+UNOA:4+S+R+1:1+R1'UNG+PAXLST+S+R+1:1+G1'UNH+1+PAXLST'UNT+2+1'UNE+1+G2'UNZ+1+R1'",
         PAXLST_F_UNE, PAXLST_REFERENCE_MISMATCH},
        {"UNB+UNOA:4+S+R+1:1+R1'UNG+PAXLST+S+R+1:1+G1'UNH+1+PAXLST'UNT+2+1'UNE+3+G1'UNZ+1+R1'",
         PAXLST_F_UNE, PAXLST_COUNT_MISMATCH},
        {"UNB+UNOA:4+S+R+1:1+R1'UNH+1+PAXLST'NAD+FL+++A'CNT+42:5'UNT+4+1'UNZ+1+R1'", PAXLST_F_CNT,
         PAXLST_COUNT_MISMATCH},
        {"UNB+UNOA:4+S+R+1:1+R1'UNH+1+PAXLST'NAD+FL+++A'CNT+42+1'UNT+4+1'UNZ+1+R1'", PAXLST_F_CNT,
         PAXLST_MALFORMED},
        {"UNB+UNOA:4+S+R+1:1+R1'UNH+1+PAXLST'UNT+2+1'", PAXLST_F_UNZ, PAXLST_ENVELOPE},
        {"UNB+UNOA:4+S+R+1:1+R1'UNH+1+PAXLST'BGM+745'UNZ+1+R1'", PAXLST_F_UNT, PAXLST_ENVELOPE},
        {"UNH+1+PAXLST'UNT+2+1'UNE+1+1'", PAXLST_F_UNE, PAXLST_ENVELOPE},
        {"UNH+1+PAXLST'UNT+2+1'", PAXLST_F_UNB, PAXLST_ENVELOPE},
        {"UNB+UNOA:4+S+R+1:1+R1'UNH+1+PAXLST'UNT+2+1'UNZ+1+R1'junk", PAXLST_F_INPUT,
         PAXLST_TRAILING_DATA},
        {"UNB+UNOA:4+S+R+1:1+R1'UNH+1+PAXLST'XYZ+1'UNT+3+1'UNZ+1+R1'", PAXLST_F_SEGMENT,
         PAXLST_UNKNOWN_SEGMENT},
        {"UNB+UNOA:4+S+R+1:1+R1'UNH+1+PAXLST'b?d+1'UNT+3+1'UNZ+1+R1'", PAXLST_F_SEGMENT,
         PAXLST_MALFORMED},
        {"UNB+UNOA:4+S+R+1:1+R1'UNG +PAXLST'UNH+1+PAXLST'UNT+2+1'UNE+1+'UNZ+1+R1'",
         PAXLST_F_SEGMENT, PAXLST_MALFORMED},
        {"UNB+UNOA:4+S+R+1:1+R1'UNH+1+CUSRES'UNT+2+1'UNZ+1+R1'", PAXLST_F_UNH, PAXLST_UNKNOWN_CODE},
        {"UNB+UNOA:4+S+R+1:1+R1'UNH+1+PAXLST'UNT+2+1'NAD+FL+++A'UNZ+1+R1'", PAXLST_F_SEGMENT,
         PAXLST_UNEXPECTED},
        {"UNB+UNOA:4+S+R+1:1+R1'UNH+1+PAXLST'UNT+2+1'UNZ+1+R1", PAXLST_F_SEGMENT, PAXLST_MALFORMED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct paxlst_manifest *m = parse_ok(cases[i].in);
        if (count(m, PAXLST_NONE, cases[i].field, cases[i].code) != 1)
            fail_msg("case %zu: want %s %s once", i, paxlst_field_name(cases[i].field),
                     paxlst_code_name(cases[i].code));
        paxlst_free(m);
    }
}

static void test_cnt_total_or_part(void **state)
{
    /* CNT may hold this message's count or the assembled flight's total */
    char *s = msg(CLEAN_PAX "CNT+42:1'");
    struct paxlst_manifest *m = parse_ok(s);
    assert_int_equal(count(m, PAXLST_NONE, PAXLST_F_CNT, PAXLST_CODE_COUNT), 0);
    assert_int_equal(m->flights[0].declared_passengers, 1);
    paxlst_free(m);
    free(s);
}

/* ---- multi-part messages ---- */

static char *part(const char *car, const char *seq, const char *persons)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    buf_printf(&b,
               "UNH+M%s+PAXLST:D:05B:UN:IATA+%s+%s'BGM+745'TDT+20+GA880+++GA'"
               "LOC+125+CGK'DTM+189:2101011000:201'LOC+87+NRT'%s",
               seq, car, seq, persons);
    buf_printf(&b, "UNT+%d+M%s'", 6 + count_segments(persons) + 1, seq);
    return buf_steal(&b, NULL);
}

static char *interchange(const char *const *parts, size_t n)
{
    struct buf b;
    buf_init(&b, 1 << 22);
    buf_puts(&b, "UNB+UNOA:4+GA+ID+210101:0000+R1'");
    for (size_t i = 0; i < n; i++)
        buf_puts(&b, parts[i]);
    buf_printf(&b, "UNZ+%zu+R1'", n);
    return buf_steal(&b, NULL);
}

static void test_multipart(void **state)
{
    char *p1 = part("GA880/210101/1000", "01:C", CLEAN_PAX);
    char *p2 = part("GA880/210101/1000", "02", "NAD+FL+++B:C'");
    char *p3 = part("GA880/210101/1000", "03:F", "NAD+FL+++D:E'");
    char *q1 = part("QZ1/210101/1000", "01:F", "NAD+FM+++F:G'");
    /* parts out of order, with another flight in between */
    const char *all[] = {p3, q1, p1, p2};
    char *s = interchange(all, 4);
    struct paxlst_manifest *m = parse_ok(s);
    assert_int_equal(m->nflights, 2);
    assert_int_equal(m->npersons, 4);
    assert_int_equal(m->flights[0].passengers, 3);
    assert_int_equal(m->flights[0].nparts, 3);
    assert_int_equal(m->flights[0].final_part, 3);
    assert_int_equal(m->flights[1].crew, 1);
    assert_int_equal(count(m, PAXLST_NONE, PAXLST_F_PARTS, PAXLST_CODE_COUNT), 0);
    json_t *f = manifest_flight_json(m, 0);
    assert_true(json_is_true(json_object_get(json_object_get(f, "parts"), "complete")));
    json_decref(f);
    json_t *sum = manifest_summary_json(m);
    assert_int_equal(json_array_size(json_object_get(sum, "carriers")), 1); /* both are GA */
    json_decref(sum);
    paxlst_free(m);
    free(s);
    /* part 2 missing */
    const char *gap[] = {p1, p3};
    s = interchange(gap, 2);
    m = parse_ok(s);
    assert_int_equal(count(m, PAXLST_NONE, PAXLST_F_PARTS, PAXLST_INCOMPLETE), 1);
    assert_string_equal(m->problems[0].value, "2");
    paxlst_free(m);
    free(s);
    /* the same part twice */
    const char *dup[] = {p1, p1, p2, p3};
    s = interchange(dup, 4);
    m = parse_ok(s);
    assert_int_equal(count(m, PAXLST_NONE, PAXLST_F_PARTS, PAXLST_DUPLICATE), 1);
    assert_int_equal(count(m, PAXLST_NONE, PAXLST_F_PARTS, PAXLST_INCOMPLETE), 0);
    paxlst_free(m);
    free(s);
    free(p1);
    free(p2);
    free(p3);
    free(q1);
}

/* ---- over-long values and segments ---- */

static void test_over_long(void **state)
{
    char name40[41], name300[301], body[2048];
    memset(name40, 'A', 40);
    name40[40] = '\0';
    memset(name300, 'B', 300);
    name300[300] = '\0';
    snprintf(body, sizeof body, "NAD+FL+++%s:%s'ATT+2++M'DOC+P+%s'", name40, name300, name300);
    char *s = msg(body);
    struct paxlst_manifest *m = parse_ok(s);
    const struct paxlst_person *p = &m->persons[0];
    assert_string_equal(p->surname, name40);
    assert_int_equal(strlen(p->given_names), PAXLST_NAME_MAX);
    assert_int_equal(strlen(p->docs[0].number), PAXLST_TEXT_MAX);
    assert_int_equal(count(m, 0, PAXLST_F_SURNAME, PAXLST_OVER_LONG), 1);
    assert_int_equal(count(m, 0, PAXLST_F_GIVEN_NAMES, PAXLST_OVER_LONG), 1);
    assert_int_equal(count(m, 0, PAXLST_F_DOC_NUMBER, PAXLST_OVER_LONG), 1);
    const struct paxlst_problem *pr = &m->problems[p->problem_first];
    assert_int_equal(pr->field, PAXLST_F_SURNAME);
    assert_false(pr->truncated);
    assert_int_equal(pr->a, 40);
    assert_true(pr[1].truncated);
    paxlst_free(m);
    free(s);
    /* a segment larger than the reader keeps */
    struct buf big;
    buf_init(&big, 1 << 20);
    buf_puts(&big, "NAD+FL+++");
    for (size_t i = 0; i < 3 * EDIFACT_SEGMENT_MAX; i++)
        buf_putc(&big, 'C');
    buf_puts(&big, ":D+");
    for (size_t i = 0; i < 200; i++)
        buf_puts(&big, "E+");
    buf_puts(&big, "'");
    s = msg(buf_cstr(&big));
    m = parse_ok(s);
    assert_int_equal(m->npersons, 1);
    assert_int_equal(strlen(m->persons[0].surname), PAXLST_NAME_MAX);
    assert_int_equal(count(m, PAXLST_NONE, PAXLST_F_SEGMENT, PAXLST_TOO_MANY), 2);
    paxlst_free(m);
    free(s);
    buf_free(&big);
}

/* ---- character sets ---- */

static void test_charset(void **state)
{
    static const struct {
        const char *cs, *name, *want;
        bool flagged;
    } cases[] = {
        {"UNOA", "Steur", "Steur", true},
        {"UNOB", "Steur", "Steur", false},
        {"UNOA", "MUELLER", "MUELLER", false},
        {"UNOA", "M\xC3\x9CLLER", "M\xC3\x9CLLER", true}, /* UTF-8 in a UNOA interchange */
        {"UNOC", "M\xDCLLER", "M\xC3\x9CLLER", false},    /* ISO 8859-1 converted */
        {"UNOA", "M\xDCLLER", "M\xC3\x9CLLER", true},     /* stray Latin-1 byte */
        {"UNOA", "A\tB", "A B", true},                    /* control character */
        {"UNOY", "\xE0\xB8\x81", "\xE0\xB8\x81", false},  /* UTF-8 declared */
        {"UNOY", "A\x80Z", "A\xEF\xBF\xBDZ", true},       /* invalid UTF-8 */
        {"UNOD", "A\xB1Z", "A\xEF\xBF\xBDZ", true},       /* 8859-2: not decoded */
        {"UNOA", "O@HOST", "O@HOST", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char body[256];
        snprintf(body, sizeof body, "NAD+FL+++%s:X'", cases[i].name);
        char *s = msg_cs(cases[i].cs, body);
        struct paxlst_manifest *m = parse_ok(s);
        assert_string_equal(m->persons[0].surname, cases[i].want);
        assert_true(text_utf8_valid(m->persons[0].surname, strlen(m->persons[0].surname)));
        if (count(m, 0, PAXLST_F_SURNAME, PAXLST_CHARSET) != (cases[i].flagged ? 1u : 0u))
            fail_msg("case %zu: charset flag", i);
        paxlst_free(m);
        /* the strict path refuses what the lenient one flags */
        struct paxlst_options o = opts();
        o.strict_charset = true;
        m = NULL;
        int r = parse_opt(s, strlen(s), &o, &m);
        assert_int_equal(r, cases[i].flagged ? ERR_INVALID : 0);
        if (r == 0)
            assert_string_equal(m->persons[0].surname, cases[i].want);
        else
            assert_null(m);
        paxlst_free(m);
        free(s);
    }
}

/* ---- persons: roles, attributes, places, legs ---- */

static void test_person_segments(void **state)
{
    char *s =
        msg("NAD+DDU+++T:U'ATT+2++F*M'LOC+178+CGK'LOC+179+NRT'LOC+22+NRT'LOC+174+IDN'"
            "LOC+180+SBY:::SURABAYA'RFF+AVF:PNR1'RFF+SEA:12A'RFF+ABO:X9'COM+62 811:TE+A.AT.B:EM'"
            "LOC+91+IDN'NAT+2+IDN'NAT+2+ IDN 'NAT+2+MYS'"
            "DOC+P+1'DOC+V+2'DOC+I+3'DOC+A+4'DOC+C+5'"
            "NAD+XX+++V:W'EMP+1+CR1:110:111'"
            "TDT+20+LATE'");
    struct paxlst_manifest *m = parse_ok(s);
    const struct paxlst_person *p = &m->persons[0];
    assert_true(p->in_transit);
    assert_int_equal(p->role, PAXLST_PASSENGER);
    assert_string_equal(p->sex, "F");
    assert_int_equal(count(m, 0, PAXLST_F_SEX, PAXLST_INCONSISTENT), 1);
    assert_string_equal(p->embarkation, "CGK");
    assert_string_equal(p->debarkation, "NRT");
    assert_string_equal(p->first_arrival, "NRT");
    assert_string_equal(p->residence, "IDN");
    assert_string_equal(p->birth_place, "SURABAYA");
    assert_string_equal(p->birth_place_code, "SBY");
    assert_string_equal(p->booking_ref, "PNR1");
    assert_string_equal(p->seat, "12A");
    assert_string_equal(p->passenger_ref, "X9");
    assert_string_equal(p->phone, "62 811");
    assert_string_equal(p->email, "A.AT.B");
    assert_string_equal(p->nationality, "IDN");
    assert_int_equal(count(m, 0, PAXLST_F_NATIONALITY, PAXLST_DUPLICATE), 1);
    assert_int_equal(count(m, PAXLST_NONE, PAXLST_F_SEGMENT, PAXLST_UNEXPECTED), 2);
    assert_int_equal(p->ndocs, PAXLST_MAX_DOCS);
    assert_int_equal(count(m, 0, PAXLST_F_DOCUMENT, PAXLST_TOO_MANY), 1);
    const struct paxlst_person *q = &m->persons[1];
    assert_int_equal(count(m, 1, PAXLST_F_ROLE, PAXLST_UNKNOWN_CODE), 1);
    assert_string_equal(q->crew_function, "CR1");
    paxlst_free(m);
    free(s);
}

static void test_legs(void **state)
{
    const char *in =
        "UNB+UNOA:4+S+R+1:1+R1'UNH+1+PAXLST'BGM+250'"
        "TDT+20+QQ877+++QQ'LOC+92+MIA'DTM+189:0807101500:201'LOC+92+IAD'DTM+232:0807101755:201'"
        "TDT+20+QQ827'LOC+125+IAD'DTM+189:0808102000:201'LOC+87+CDG'DTM+232:0808110630:201'"
        "NAD+FM+++A:B'UNT+14+1'UNZ+1+R1'";
    struct paxlst_manifest *m = parse_ok(in);
    const struct paxlst_flight *f = &m->flights[0];
    assert_int_equal(f->nlegs, 2);
    assert_int_equal(f->main_leg, 1);
    assert_true(f->legs[0].routing);
    assert_string_equal(f->legs[0].arrival_port, "IAD");
    assert_string_equal(f->flight, "QQ827");
    assert_string_equal(f->carrier, "QQ"); /* from the other leg */
    assert_string_equal(f->departure_time, "2008-08-10T20:00");
    assert_int_equal(f->list, PAXLST_LIST_CREW);
    assert_int_equal(m->persons[0].role, PAXLST_CREW);
    assert_int_equal(count(m, PAXLST_NONE, PAXLST_F_UNT, PAXLST_CODE_COUNT), 0);
    paxlst_free(m);
}

static void test_designator(void **state)
{
    static const struct {
        const char *flight, *car, *want;
    } cases[] = {
        {"GA880", "", "GA"},
        {"A92707", "", "A9"},
        {"3K123", "", "3K"},
        {"AAL123", "", "AAL"},
        {"ZZ1234A", "", "ZZ"},
        {"12345", "", ""},
        {"", "OK688/071008/1310", "OK"},
        {"", "", ""},
        {"LONGFLIGHT", "", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char in[512];
        snprintf(in, sizeof in, "UNH+1+PAXLST+%s+01:F'BGM+745'TDT+20+%s'NAD+FL+++A'UNT+5+1'",
                 cases[i].car, cases[i].flight);
        struct paxlst_manifest *m = parse_ok(in);
        assert_string_equal(m->flights[0].carrier, cases[i].want);
        assert_int_equal(count(m, PAXLST_NONE, PAXLST_F_CARRIER, PAXLST_MISSING),
                         cases[i].want[0] == '\0');
        paxlst_free(m);
    }
}

/* The empty elements the samples' README describes for the Astra minimal
 * fragment (whose bytes actually carry values there): TDT+20', LOC+125',
 * DTM+189::201', ATT+2', DTM+329'. Empty is missing, never invalid. */
static void test_empty_elements(void **state)
{
    struct paxlst_manifest *m =
        parse_ok("UNH+1+PAXLST:D:02B:UN:IATA++01:F'BGM+745'NAD+MS+++CDGKOAF'TDT+20'LOC+125'"
                 "DTM+189::201'LOC+87+BCN'DTM+232:0710081310:201'NAD+FL+++STRANSKY'ATT+2'"
                 "DTM+329'CNT+42:1'UNT+13+1'UNE+1+1'");
    static const enum paxlst_field flight_missing[] = {
        PAXLST_F_FLIGHT, PAXLST_F_CARRIER, PAXLST_F_DEPARTURE_PORT, PAXLST_F_DEPARTURE_TIME};
    for (size_t k = 0; k < 4; k++)
        assert_int_equal(count(m, PAXLST_NONE, flight_missing[k], PAXLST_MISSING), 1);
    assert_int_equal(count(m, PAXLST_NONE, PAXLST_F_ARRIVAL_PORT, PAXLST_CODE_COUNT), 0);
    assert_int_equal(count(m, PAXLST_NONE, PAXLST_F_UNT, PAXLST_CODE_COUNT), 0);
    assert_int_equal(count(m, PAXLST_NONE, PAXLST_F_CNT, PAXLST_CODE_COUNT), 0);
    assert_int_equal(count(m, 0, PAXLST_F_SEX, PAXLST_MISSING), 1);
    assert_int_equal(count(m, 0, PAXLST_F_BIRTH_DATE, PAXLST_MISSING), 1);
    assert_int_equal(count(m, 0, PAXLST_F_BIRTH_DATE, PAXLST_INVALID_DATE), 0);
    assert_string_equal(m->persons[0].surname, "STRANSKY");
    paxlst_free(m);
}

/* ---- limits and hostile input ---- */

static void test_limits(void **state)
{
    struct paxlst_options o = opts();
    struct paxlst_manifest *m = (struct paxlst_manifest *)&o; /* must be cleared */
    assert_int_equal(parse_opt("", 0, &o, &m), ERR_INVALID);
    assert_null(m);
    assert_int_equal(parse_opt("hello world", 11, &o, &m), ERR_INVALID);
    assert_int_equal(parse_opt("UNB+UNOA:4+S+R'UNZ+0+R'", 23, &o, &m), ERR_INVALID);
    assert_int_equal(parse_opt("UNH+1+PAXLST'\0'", 15, &o, &m), ERR_INVALID);
    /* too many persons */
    struct buf b;
    buf_init(&b, LIMIT_MANIFEST);
    buf_puts(&b, "UNH+1+PAXLST'");
    for (unsigned i = 0; i <= LIMIT_MANIFEST_PERSONS; i++)
        buf_puts(&b, "NAD+FL+++A'");
    assert_int_equal(parse_opt(b.data, b.len, &o, &m), ERR_LIMIT);
    assert_null(m);
    /* exactly the limit is fine */
    buf_reset(&b);
    buf_puts(&b, "UNH+1+PAXLST'");
    for (unsigned i = 0; i < LIMIT_MANIFEST_PERSONS; i++)
        buf_puts(&b, "NAD+FL+++A'");
    assert_int_equal(parse_opt(b.data, b.len, &o, &m), 0);
    assert_int_equal(m->npersons, LIMIT_MANIFEST_PERSONS);
    paxlst_free(m);
    /* too many messages */
    buf_reset(&b);
    for (unsigned i = 0; i <= PAXLST_MAX_MESSAGES; i++)
        buf_puts(&b, "UNH+1+PAXLST'UNT+2+1'");
    assert_int_equal(parse_opt(b.data, b.len, &o, &m), ERR_LIMIT);
    buf_free(&b);
    /* too large */
    char *huge = malloc(LIMIT_MANIFEST + 1u);
    memset(huge, ' ', LIMIT_MANIFEST + 1u);
    memcpy(huge, "UNH+1'", 6);
    assert_int_equal(parse_opt(huge, LIMIT_MANIFEST + 1u, &o, &m), ERR_LIMIT);
    free(huge);
}

/* Inputs built to make a naive reader loop, recurse or go quadratic. Each
 * must finish (ok or an error) and any manifest must render. */
static void test_hostile(void **state)
{
    static const char *const unit[] = {
        "'",
        "+",
        ":",
        "?",
        "?'",
        "UNA",
        "UNA:+.? '",
        "UNZ'x\n",
        "UNH+1+PAXLST'",
        "NAD+FL+++A'",
        "UNB'",
        "DOC+P'",
        "TDT'",
        "U",
        "\r\n",
        "UNH+1+PAXLST+C+01:C'",
    };
    struct paxlst_options o = opts();
    for (size_t i = 0; i < sizeof unit / sizeof unit[0]; i++) {
        struct buf b;
        buf_init(&b, 2u << 20);
        buf_puts(&b, "UNH+1+PAXLST'");
        while (b.len + strlen(unit[i]) < (1u << 20) && buf_puts(&b, unit[i]) == 0) {
        }
        int64_t t0 = time_mono_ms();
        struct paxlst_manifest *m = NULL;
        int r = parse_opt(b.data, b.len, &o, &m);
        int64_t ms = time_mono_ms() - t0;
        if (ms > 20000)
            fail_msg("unit %zu took %lld ms", i, (long long)ms);
        if (r == 0) {
            json_t *j = manifest_summary_json(m);
            assert_non_null(j);
            json_decref(j);
            for (size_t k = 0; k < m->npersons && k < 10; k++) {
                j = manifest_person_json(m, k);
                assert_non_null(j);
                json_decref(j);
            }
        }
        paxlst_free(m);
        buf_free(&b);
    }
}

/* Inputs the fuzzer found; each once broke an invariant. */
static void test_fuzz_regressions(void **state)
{
    static const struct {
        const char *in;
        size_t len;
    } cases[] = {
        /* a non-UTF-8 byte in the UNB syntax identifier made the summary unrenderable */
        {"UNB+UN\xe4"
         "A:4+S+R+1:1+R1'UNH+1+PAXLST'NAD+FL+++A'UNT+3+1'UNZ+1+R1'",
         0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in);
        struct paxlst_options o = opts();
        struct paxlst_manifest *m = NULL;
        assert_int_equal(parse_opt(cases[i].in, len, &o, &m), 0);
        json_t *j = manifest_summary_json(m);
        assert_non_null(j);
        json_decref(j);
        for (size_t k = 0; k < m->npersons; k++) {
            j = manifest_person_json(m, k);
            assert_non_null(j);
            json_decref(j);
        }
        paxlst_free(m);
    }
}

static void test_problem_cap(void **state)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    buf_puts(&b, "NAD+FL+++A:B'");
    for (int i = 0; i < 100; i++)
        buf_printf(&b, "NAT+2+N%02d'", i);
    char *s = msg(buf_cstr(&b));
    struct paxlst_manifest *m = parse_ok(s);
    assert_int_equal(m->persons[0].problem_count, PAXLST_MAX_PERSON_PROBLEMS);
    assert_true(m->problems_dropped > 0);
    assert_int_equal(count(m, PAXLST_NONE, PAXLST_F_PERSONS, PAXLST_TOO_MANY), 1);
    paxlst_free(m);
    free(s);
    buf_free(&b);
}

static void test_messages(void **state)
{
    struct paxlst_manifest *m =
        parse_ok("UNB+UNOA:4+S+R+1:1+R1'UNH+1+PAXLST'BGM+745'UNT+9+1'UNZ+1+R1'");
    char text[256];
    size_t k = 0;
    while (k < m->manifest_problems && m->problems[k].field != PAXLST_F_UNT)
        k++;
    assert_true(k < m->manifest_problems);
    paxlst_problem_message(&m->problems[k], text, sizeof text);
    assert_string_equal(text, "segment 4 (UNT): UNT segment count declares 9, counted 3");
    paxlst_problem_message(&m->problems[k], text, 12);
    assert_string_equal(text, "segment 4 (");
    json_t *j = manifest_problem_json(&m->problems[k]);
    assert_string_equal(json_string_value(json_object_get(j, "code")), "count_mismatch");
    assert_int_equal(json_integer_value(json_object_get(j, "segment")), 4);
    json_decref(j);
    paxlst_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean_passenger),
        cmocka_unit_test(test_separators),
        cmocka_unit_test(test_una_rejects_clashes),
        cmocka_unit_test(test_line_ends_and_envelopes),
        cmocka_unit_test(test_find_start),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_document_checks),
        cmocka_unit_test(test_missing_data),
        cmocka_unit_test(test_control_counts),
        cmocka_unit_test(test_cnt_total_or_part),
        cmocka_unit_test(test_multipart),
        cmocka_unit_test(test_over_long),
        cmocka_unit_test(test_charset),
        cmocka_unit_test(test_person_segments),
        cmocka_unit_test(test_legs),
        cmocka_unit_test(test_designator),
        cmocka_unit_test(test_empty_elements),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_fuzz_regressions),
        cmocka_unit_test(test_problem_cap),
        cmocka_unit_test(test_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
