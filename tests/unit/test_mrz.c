/* Unit tests for domain/mrz and domain/countries: formats, check digits,
 * long document numbers, names, dates and centuries, sex, country codes,
 * lenient deviations, the French identity card, OCR suggestions and hostile
 * input. Table-driven: each case gives MRZ text, the mode, and the exact set
 * of "field:code" errors expected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/countries.h"
#include "domain/mrz.h"
#include "util/timeutil.h"

#define TODAY "2026-11-28"

static int64_t day(const char *iso)
{
    int64_t d = 0;
    assert_int_equal(time_parse_date(iso, &d), 0);
    return d;
}

/* Splits text at '\n' and parses it. */
static void parse_at(const char *text, bool lenient, const char *today, struct mrz_result *r)
{
    const char *lines[8];
    size_t lens[8], n = 0;
    const char *p = text;
    while (*p && n < 8) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        lines[n] = p;
        lens[n++] = len;
        p += len + (e ? 1 : 0);
    }
    struct mrz_options opt = {.lenient = lenient, .today = day(today)};
    assert_int_equal(mrz_parse(lines, lens, n, &opt, r), 0);
}

static void parse(const char *text, bool lenient, struct mrz_result *r)
{
    parse_at(text, lenient, TODAY, r);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The errors of r as a sorted, space-separated "field:code" list. */
static void error_set(const struct mrz_result *r, char *out, size_t n)
{
    static char items[MRZ_MAX_ERRORS][48];
    const char *ptr[MRZ_MAX_ERRORS];
    for (size_t i = 0; i < r->n_errors; i++) {
        snprintf(items[i], sizeof items[i], "%s:%s", mrz_field_name(r->errors[i].field),
                 mrz_code_name(r->errors[i].code));
        ptr[i] = items[i];
    }
    qsort(ptr, r->n_errors, sizeof ptr[0], cmp_str);
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < r->n_errors && o < n; i++)
        o += (size_t)snprintf(out + o, n - o, "%s%s", i > 0 ? " " : "", ptr[i]);
}

struct mrz_case {
    const char *name;
    const char *text;
    bool lenient;
    enum mrz_format format;
    const char *errors; /* sorted "field:code" list; "" when valid */
};

#define TD3_UTO1 "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
#define TD1_UTO1 "I<UTOD231458907<<<<<<<<<<<<<<<\n"
#define TD1_UTO3 "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"

static const struct mrz_case cases[] = {
    {"td3 specimen", TD3_UTO1 "L898902C36UTO7408122F1204159ZE184226B<<<<<10", false, MRZ_FORMAT_TD3,
     ""},
    {"td3 bad personal number check digit", TD3_UTO1 "L898902C36UTO7408122F1204159ZE184226B<<<<<20",
     false, MRZ_FORMAT_TD3, "composite:check_digit optional_data:check_digit"},
    {"td3 Germany D<<",
     "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<\n"
     "C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<<0",
     false, MRZ_FORMAT_TD3, ""},
    {"td3 empty personal number, check digit 0",
     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
     "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<08",
     false, MRZ_FORMAT_TD3, ""},
    {"td3 empty personal number, check digit 5",
     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
     "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<53",
     false, MRZ_FORMAT_TD3, "optional_data:check_digit"},
    {"td3 sex X strict",
     "P<GBRSTOKES<<CASSANDRE<<<<<<<<<<<<<<<<<<<<<<\n"
     "2347894037GBR7901232X2301011<<<<<<<<<<<<<<06",
     false, MRZ_FORMAT_TD3, "composite:check_digit document_number:check_digit sex:invalid_value"},
    {"td3 sex X lenient",
     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
     "L898902C36UTO7408122X1204159ZE184226B<<<<<10",
     true, MRZ_FORMAT_TD3, ""},
    {"td3 sex Q",
     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
     "L898902C36UTO7408122Q1204159ZE184226B<<<<<10",
     true, MRZ_FORMAT_TD3, "sex:invalid_value"},
    {"td3 unknown issuing state GB<",
     "P<GB<MARTIN<<SARAH<<<<<<<<<<<<<<<<<<<<<<<<<<\n"
     "980XG47<<9GBR8501019F2612281<<<<<<<<<<<<<<<6",
     false, MRZ_FORMAT_TD3, "issuing_state:unknown_code"},
    {"td3 document code I",
     "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
     "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
     false, MRZ_FORMAT_TD3, "document_code:invalid_value"},
    {"td3 impossible birth day 41",
     "P<GBRUK<SPECIMEN<<ANGELA<ZOE<<<<<<<<<<<<<<<<\n"
     "9250764733GBR8809417F2007162<<<<<<<<<<<<<<08",
     false, MRZ_FORMAT_TD3, "birth_date:check_digit birth_date:invalid_date composite:check_digit"},
    {"td3 leading single filler in name",
     "P<UTO<ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<\n"
     "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
     false, MRZ_FORMAT_TD3, "names:invalid_value"},
    {"td3 leading double filler in name (IND)",
     "P<IND<<FIRST<NAME<<<<<<<<<<<<<<<<<<<<<<<<<<<\n"
     "C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<<0",
     false, MRZ_FORMAT_TD3, ""},
    {"td1 specimen", TD1_UTO1 "7408122F1204159UTO<<<<<<<<<<<6\n" TD1_UTO3, false, MRZ_FORMAT_TD1,
     ""},
    {"td1 composite covers optional data 2", TD1_UTO1 "7408122F1204159UTO<<<<<<<<<<B6\n" TD1_UTO3,
     false, MRZ_FORMAT_TD1, "composite:check_digit"},
    {"td1 long document number (ICAO)",
     "I<UTOD23145890<7349<<<<<<<<<<<\n"
     "3407127M9507122UTO<<<<<<<<<<<2\n"
     "STEVENSON<<PETER<JOHN<<<<<<<<<",
     false, MRZ_FORMAT_TD1, ""},
    {"td1 ten-character number",
     "IDUTO123456789<07<<<<<<<<<<<<<\n"
     "8601012M3001019UTO<<<<<<<<<<<6\n"
     "SPECIMEN<<JANE<<<<<<<<<<<<<<<<",
     false, MRZ_FORMAT_TD1, ""},
    {"td1 BEL variant strict",
     "IDBEL000590240<6013<<<<<<<<<<<\n"
     "8512017F1311048BEL851201002007\n"
     "REINARTZ<<ULRIKE<KATIA<E<<<<<<",
     false, MRZ_FORMAT_TD1, "document_number:check_digit"},
    {"td1 BEL variant lenient",
     "IDBEL000590240<6013<<<<<<<<<<<\n"
     "8512017F1311048BEL851201002007\n"
     "REINARTZ<<ULRIKE<KATIA<E<<<<<<",
     true, MRZ_FORMAT_TD1, ""},
    {"td1 filler check digit, no continuation",
     "I<UTOD23145890<<<<<<<<<<<<<<<<\n"
     "7408122F1204159UTO<<<<<<<<<<<6\n" TD1_UTO3,
     true, MRZ_FORMAT_TD1, "composite:check_digit document_number:check_digit"},
    {"td1 no expiry strict",
     "I<UTOD231458907<<<<<<<<<<<<<<<\n"
     "7408122F<<<<<<0UTO<<<<<<<<<<<6\n" TD1_UTO3,
     false, MRZ_FORMAT_TD1, "expiry_date:invalid_date"},
    {"td1 no expiry lenient",
     "I<UTOD231458907<<<<<<<<<<<<<<<\n"
     "7408122F<<<<<<0UTO<<<<<<<<<<<6\n" TD1_UTO3,
     true, MRZ_FORMAT_TD1, ""},
    {"td1 document code IV",
     "IVUTOD231458907<<<<<<<<<<<<<<<\n"
     "7408122F1204159UTO<<<<<<<<<<<6\n" TD1_UTO3,
     false, MRZ_FORMAT_TD1, "document_code:invalid_value"},
    {"td2 specimen",
     "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
     "D231458907UTO7408122F1204159<<<<<<<6",
     false, MRZ_FORMAT_TD2, ""},
    {"td2 long number",
     "I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<\n"
     "D23145890<UTO3407127M95071227349<<<8",
     false, MRZ_FORMAT_TD2, ""},
    {"td2 document code P",
     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
     "D231458907UTO7408122F1204159<<<<<<<6",
     false, MRZ_FORMAT_TD2, "document_code:invalid_value"},
    {"mrva specimen",
     "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
     "L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
     false, MRZ_FORMAT_MRVA, ""},
    {"mrvb specimen",
     "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
     "L8988901C4XXX4009078F9612109<<<<<<<<",
     false, MRZ_FORMAT_MRVB, ""},
    {"mrvb unknown nationality BOS",
     "VBD<<DEDIC<<SIDNAN<<<<<<<<<<<<<<<<<<\n"
     "D091740530BOS8201135M9708011<2020711",
     false, MRZ_FORMAT_MRVB, "nationality:unknown_code"},
    {"wrong line length", TD1_UTO1 "7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<",
     false, MRZ_FORMAT_UNKNOWN, "lines:length"},
    {"2x35", "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<\nL8988901C4XXX4009078F9612109<<<<<<<", false,
     MRZ_FORMAT_UNKNOWN, "lines:length"},
    {"one line", "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", false, MRZ_FORMAT_UNKNOWN,
     "lines:length"},
    {"no lines", "", false, MRZ_FORMAT_UNKNOWN, "lines:length"},
    {"lower case",
     "p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<<\n"
     "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
     false, MRZ_FORMAT_TD3,
     "charset:charset document_code:invalid_value issuing_state:unknown_code names:charset"},
    {"illegal characters",
     "P<UTOE*IKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
     "L898*02C36UTO740*122F120*159ZE184226B<<<<<10",
     false, MRZ_FORMAT_TD3,
     "birth_date:check_digit birth_date:invalid_date charset:charset composite:check_digit "
     "document_number:check_digit expiry_date:check_digit expiry_date:invalid_date "
     "names:charset"},
    {"french id strict",
     "IDFRABERTHIER<<<<<<<<<<<<<<<<<940120\n"
     "8806923102858CORINNE<<<<<<<6512068F4",
     false, MRZ_FORMAT_UNKNOWN, "lines:invalid_value"},
    {"french id lenient",
     "IDFRABERTHIER<<<<<<<<<<<<<<<<<940120\n"
     "8806923102858CORINNE<<<<<<<6512068F4",
     true, MRZ_FORMAT_UNKNOWN, ""},
    {"french id lenient, bad birth check digit",
     "IDFRABERTHIER<<<<<<<<<<<<<<<<<940120\n"
     "8806923102858CORINNE<<<<<<<6512067F4",
     true, MRZ_FORMAT_UNKNOWN, "birth_date:check_digit composite:check_digit"},
};

static void test_cases(void **state)
{
    char got[512];
    struct mrz_result r;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct mrz_case *c = &cases[i];
        parse(c->text, c->lenient, &r);
        error_set(&r, got, sizeof got);
        if (strcmp(got, c->errors) != 0 || r.format != c->format ||
            r.valid != (c->errors[0] == '\0')) {
            print_error("case '%s': got format %s errors [%s], want %s [%s]\n", c->name,
                        mrz_format_name(r.format), got, mrz_format_name(c->format), c->errors);
            fail();
        }
    }
}

static void test_check_digit(void **state)
{
    assert_int_equal(mrz_check_digit("L898902C3", 9), 6);
    assert_int_equal(mrz_check_digit("740812", 6), 2);
    assert_int_equal(mrz_check_digit("D23145890734", 12), 9);
    assert_int_equal(mrz_check_digit("<<<<<<<<<", 9), 0);
    assert_int_equal(mrz_check_digit("ABC*", 4), -1);
    assert_int_equal(mrz_check_digit("", 0), 0);
    /* every byte: only A-Z, 0-9 and < have a value */
    for (int b = 0; b < 256; b++) {
        char ch = (char)b;
        int v = b >= '0' && b <= '9' ? b - '0' : b >= 'A' && b <= 'Z' ? b - 'A' + 10 : -1;
        if (b == '<')
            v = 0;
        assert_int_equal(mrz_check_digit(&ch, 1), v < 0 ? -1 : v * 7 % 10);
    }
    /* weights 7,3,1 repeat: "1111" = 7+3+1+7; A = 10 */
    assert_int_equal(mrz_check_digit("1111", 4), 8);
    assert_int_equal(mrz_check_digit("1A1B", 4), (7 + 30 + 1 + 77) % 10);
}

static void test_fields_td3(void **state)
{
    struct mrz_result r;
    parse(TD3_UTO1 "L898902C36UTO7408122F1204159ZE184226B<<<<<10", false, &r);
    assert_string_equal(r.document_code, "P");
    assert_string_equal(r.issuing_state, "UTO");
    assert_string_equal(r.document_number, "L898902C3");
    assert_string_equal(r.surname, "ERIKSSON");
    assert_string_equal(r.given_names, "ANNA MARIA");
    assert_string_equal(r.optional_data, "ZE184226B");
    assert_int_equal(r.birth.precision, MRZ_DATE_DAY);
    assert_int_equal(r.birth.year, 1974);
    assert_int_equal(r.expiry.year, 2012);
    assert_int_equal(r.sex, 'F');
    assert_int_equal(r.check_composite, '0');
    assert_false(r.names_truncated);
}

static void test_fields_long_number(void **state)
{
    struct mrz_result r;
    parse("I<UTOD23145890<7349<ABC<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\n"
          "STEVENSON<<PETER<JOHN<<<<<<<<<",
          false, &r);
    assert_string_equal(r.document_number, "D23145890734");
    assert_int_equal(r.check_number, '9');
    assert_string_equal(r.optional_data, "<ABC");
    assert_int_equal(r.birth.year, 1934);
    assert_int_equal(r.expiry.year, 1995);
    /* the composite covers line 1 from column 6, so ABC breaks it */
    assert_int_equal(r.n_errors, 1);
    assert_int_equal(r.errors[0].field, MRZ_FIELD_COMPOSITE);

    parse("IDBEL000590240<6013<<<<<<<<<<<\n8512017F1311048BEL851201002007\n"
          "REINARTZ<<ULRIKE<KATIA<E<<<<<<",
          true, &r);
    assert_true(r.valid);
    assert_int_equal(r.deviations, MRZ_DEV_LONG_NUMBER_FILLER);
    assert_string_equal(r.document_number, "000590240601");
    assert_string_equal(r.optional_data_2, "85120100200");
}

static void test_names(void **state)
{
    struct mrz_result r;
    parse("P<MYSMEGAN<ELLA<RUTH<BIN<ISMAELAR<EZZAHUDDIN\n"
          "A001122338MYS0911267M2010153<<<<<<<<<<<<<<<8",
          false, &r);
    assert_true(r.valid);
    assert_string_equal(r.surname, "MEGAN ELLA RUTH BIN ISMAELAR EZZAHUDDIN");
    assert_string_equal(r.given_names, "");
    assert_true(r.names_truncated);

    parse("P<IND<<FIRST<NAME<<<<<<<<<<<<<<<<<<<<<<<<<<<\n"
          "C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<<0",
          false, &r);
    assert_string_equal(r.surname, "");
    assert_string_equal(r.given_names, "FIRST NAME");

    parse("I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\n"
          "CACADOR<DE<ARAUJO<<ANDRE<ESTEV",
          false, &r);
    assert_string_equal(r.surname, "CACADOR DE ARAUJO");
    assert_string_equal(r.given_names, "ANDRE ESTEV");
    assert_true(r.names_truncated);
}

/* Two-digit years: a birth date is never in the future; an expiry date lies
 * within 50 years of today. */
static void test_centuries(void **state)
{
    static const struct {
        const char *birth, *expiry, *today;
        int birth_year, expiry_year;
    } t[] = {
        {"261127", "700601", "2026-11-28", 2026, 2070},
        {"261129", "761127", "2026-11-28", 1926, 2076},
        {"000229", "761128", "2026-11-28", 2000, 1976},
        {"991231", "950712", "2026-11-28", 1999, 1995},
        {"050101", "490101", "2050-06-01", 2005, 2049},
        {"500602", "010101", "2050-06-01", 1950, 2001},
    };
    char text[160];
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char line2[48] = "L898902C36UTO";
        size_t n = strlen(line2);
        memcpy(line2 + n, t[i].birth, 6);
        line2[n + 6] = (char)('0' + mrz_check_digit(t[i].birth, 6));
        line2[n + 7] = 'F';
        memcpy(line2 + n + 8, t[i].expiry, 6);
        line2[n + 14] = (char)('0' + mrz_check_digit(t[i].expiry, 6));
        memcpy(line2 + n + 15, "ZE184226B<<<<<1", 15);
        char comp[40];
        memcpy(comp, line2, 10);
        memcpy(comp + 10, line2 + 13, 7);
        memcpy(comp + 17, line2 + 21, 22);
        line2[43] = (char)('0' + mrz_check_digit(comp, 39));
        line2[44] = '\0';
        snprintf(text, sizeof text, "%s%s", TD3_UTO1, line2);
        struct mrz_result r;
        parse_at(text, false, t[i].today, &r);
        if (!r.valid || r.birth.year != t[i].birth_year || r.expiry.year != t[i].expiry_year) {
            print_error("%s/%s at %s: valid %d birth %d expiry %d\n", t[i].birth, t[i].expiry,
                        t[i].today, r.valid, r.birth.year, r.expiry.year);
            fail();
        }
    }
}

/* Birth dates with unknown parts give reduced precision. */
static void test_unknown_birth_parts(void **state)
{
    static const struct {
        const char *raw;
        bool ok;
        enum mrz_precision p;
        int year, month;
    } t[] = {
        {"74<<<<", true, MRZ_DATE_YEAR, 1974, 0},   {"7408<<", true, MRZ_DATE_MONTH, 1974, 8},
        {"<<<<<<", true, MRZ_DATE_NONE, 0, 0},      {"2612<<", true, MRZ_DATE_MONTH, 1926, 12},
        {"2611<<", true, MRZ_DATE_MONTH, 2026, 11}, {"74<<12", false, MRZ_DATE_NONE, 0, 0},
        {"<<0812", false, MRZ_DATE_NONE, 0, 0},     {"7413<<", false, MRZ_DATE_NONE, 0, 0},
        {"7<0812", false, MRZ_DATE_NONE, 0, 0},     {"230229", false, MRZ_DATE_NONE, 0, 0},
        {"240229", true, MRZ_DATE_DAY, 2024, 2},    {"880941", false, MRZ_DATE_NONE, 0, 0},
        {"200746", false, MRZ_DATE_NONE, 0, 0},     {"740800", false, MRZ_DATE_NONE, 0, 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char l2[45];
        snprintf(l2, sizeof l2, "L898902C36UTO%s%cF1204159ZE184226B<<<<<10", t[i].raw,
                 (char)('0' + mrz_check_digit(t[i].raw, 6)));
        char text[100];
        snprintf(text, sizeof text, "%s%s", TD3_UTO1, l2);
        struct mrz_result r;
        parse(text, false, &r);
        bool date_error = false;
        for (size_t k = 0; k < r.n_errors; k++)
            date_error = date_error || (r.errors[k].field == MRZ_FIELD_BIRTH_DATE &&
                                        r.errors[k].code == MRZ_CODE_INVALID_DATE);
        if (date_error == t[i].ok || r.birth.precision != t[i].p || r.birth.year != t[i].year ||
            r.birth.month != t[i].month) {
            print_error("birth %s: date error %d precision %d year %d month %d\n", t[i].raw,
                        date_error, r.birth.precision, r.birth.year, r.birth.month);
            fail();
        }
    }
}

static void test_expiry_unknown_parts(void **state)
{
    struct mrz_result r;
    parse(TD3_UTO1 "L898902C36UTO7408122F1204<<4ZE184226B<<<<<10", true, &r);
    assert_false(r.valid);
    assert_int_equal(r.errors[0].field, MRZ_FIELD_EXPIRY_DATE);
    assert_int_equal(r.errors[0].why, MRZ_WHY_DATE_UNKNOWN_PARTS);
}

static void test_french_id(void **state)
{
    struct mrz_result r;
    const char *fr = "IDFRABERTHIER<<<<<<<<<<<<<<<<<940120\n8806923102858CORINNE<<<<<<<6512068F4";
    parse(fr, false, &r);
    assert_int_equal(r.layout, MRZ_LAYOUT_FRENCH_ID);
    assert_int_equal(r.errors[0].why, MRZ_WHY_FRENCH_ID);
    assert_string_equal(r.document_number, "");
    parse(fr, true, &r);
    assert_true(r.valid);
    assert_int_equal(r.deviations, MRZ_DEV_FRENCH_ID);
    assert_string_equal(r.document_number, "880692310285");
    assert_string_equal(r.surname, "BERTHIER");
    assert_string_equal(r.given_names, "CORINNE");
    assert_int_equal(r.birth.year, 1965);
    assert_int_equal(r.sex, 'F');
    /* a genuine TD2 starting IDFRA is still a TD2 */
    char td2[80];
    snprintf(td2, sizeof td2,
             "IDFRAERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n"
             "D231458907UTO7408122F1204159<<<<<<<6");
    parse(td2, false, &r);
    assert_int_equal(r.format, MRZ_FORMAT_TD2);
    assert_int_equal(r.layout, MRZ_LAYOUT_ICAO);
}

static bool has_suggestion(const struct mrz_result *r, enum mrz_field f, const char *to)
{
    for (size_t i = 0; i < r->n_suggestions; i++)
        if (r->suggestions[i].field == f && strcmp(r->suggestions[i].to, to) == 0)
            return true;
    return false;
}

static void test_ocr_suggestions(void **state)
{
    struct mrz_result r;
    parse("P<UT0ERIK55ON<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<\n"
          "L898902C36UTO740BIZZF12041S9ZE184226B<<<<<1O",
          false, &r);
    assert_false(r.valid);
    assert_string_equal(r.birth.raw, "740BIZ"); /* data left as printed */
    assert_true(has_suggestion(&r, MRZ_FIELD_BIRTH_DATE, "7408122"));
    assert_true(has_suggestion(&r, MRZ_FIELD_EXPIRY_DATE, "1204159"));
    assert_true(has_suggestion(&r, MRZ_FIELD_COMPOSITE, "0"));
    assert_true(has_suggestion(&r, MRZ_FIELD_ISSUING_STATE, "UTO"));
    /* a swap that does not make the check pass is not suggested */
    parse(TD3_UTO1 "L898902C36UTO740812ZF1204159ZE184226B<<<<<10", false, &r);
    assert_true(has_suggestion(&r, MRZ_FIELD_BIRTH_DATE, "7408122"));
    parse(TD3_UTO1 "L898902C36UTO740812SF1204159ZE184226B<<<<<10", false, &r);
    assert_false(has_suggestion(&r, MRZ_FIELD_BIRTH_DATE, "7408125"));
    assert_int_equal(r.n_suggestions, 0);
}

/* Hostile input: NUL bytes, bytes above 0x7F, huge lines, many lines. */
static void test_hostile(void **state)
{
    struct mrz_result r;
    struct mrz_options opt = {.today = day(TODAY)};
    char l1[44], l2[44];
    memcpy(l1, "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", 44);
    memcpy(l2, "L898902C36UTO7408122F1204159ZE184226B<<<<<10", 44);
    l2[5] = '\0';
    l1[7] = (char)0xC3;
    const char *lines[2] = {l1, l2};
    size_t lens[2] = {44, 44};
    assert_int_equal(mrz_parse(lines, lens, 2, &opt, &r), 0);
    assert_false(r.valid);
    assert_int_equal(r.errors[0].field, MRZ_FIELD_CHARSET);
    assert_int_equal(r.errors[0].line, 1);
    assert_int_equal(r.errors[0].col, 8);

    size_t big = 3u * 1024 * 1024;
    char *huge = malloc(big);
    assert_non_null(huge);
    memset(huge, '<', big);
    const char *hl[3] = {huge, huge, huge};
    size_t hlen[3] = {big, 30, 30};
    assert_int_equal(mrz_parse(hl, hlen, 3, &opt, &r), 0);
    assert_int_equal(r.format, MRZ_FORMAT_UNKNOWN);
    free(huge);

    const char *many[200];
    size_t mlen[200];
    for (size_t i = 0; i < 200; i++) {
        many[i] = "X";
        mlen[i] = 1;
    }
    assert_int_equal(mrz_parse(many, mlen, 200, &opt, &r), 0);
    assert_int_equal(r.n_lines, 200);
    assert_int_equal(mrz_parse(NULL, NULL, 1, &opt, &r), -2);
}

static void test_countries(void **state)
{
    assert_true(countries_known("D"));
    assert_true(countries_known("D<<"));
    assert_true(countries_known("UTO"));
    assert_true(countries_known("IDN"));
    assert_true(countries_known("XXA"));
    assert_true(countries_known("GBD"));
    assert_true(countries_known("EUE"));
    assert_true(countries_known("XPO"));
    assert_false(countries_known("INP"));
    assert_false(countries_known("GB<"));
    assert_false(countries_known("<GB"));
    assert_false(countries_known("D<E"));
    assert_false(countries_known("deu"));
    assert_false(countries_known("DEUX"));
    assert_false(countries_known(""));
    assert_false(countries_known(NULL));
    assert_string_equal(countries_name("D<<"), "Germany");
    assert_string_equal(countries_name("IDN"), "Indonesia");
    assert_null(countries_name("ZZZ"));
    assert_int_equal(countries_find("UTO", 3)->kind, COUNTRIES_SPECIMEN);
    /* 249 ISO codes plus the ICAO and in-use extras; sorted for the search */
    assert_true(countries_count() >= 249 + 25);
    size_t iso = 0;
    for (size_t i = 0; i < countries_count(); i++) {
        const struct countries_entry *e = countries_at(i);
        iso += e->kind == COUNTRIES_ISO;
        assert_ptr_equal(countries_find(e->code, strlen(e->code)), e);
    }
    assert_int_equal(iso, 249);
    assert_null(countries_at(countries_count()));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_check_digit),
        cmocka_unit_test(test_fields_td3),
        cmocka_unit_test(test_fields_long_number),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_centuries),
        cmocka_unit_test(test_unknown_birth_parts),
        cmocka_unit_test(test_expiry_unknown_parts),
        cmocka_unit_test(test_french_id),
        cmocka_unit_test(test_ocr_suggestions),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_countries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
