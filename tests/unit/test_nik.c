/* Unit tests for domain/nik: one table of NIKs with the fields and the exact
 * errors expected (both sexes, each century, province codes before and after
 * the Papua split, impossible days, zero codes, letters, wrong lengths), the
 * province table, and the services/documents parse request with its NIK
 * cross-check (soft flags, never errors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/nik.h"
#include "services/documents.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/timeutil.h"

struct nik_case {
    const char *nik;
    const char *today;
    const char *errors;   /* "field:code ..." in the order reported; "" when valid */
    const char *birth;    /* "YYYY-MM-DD", or NULL when none is derived */
    char sex;             /* 0 when none is derived */
    const char *province; /* NULL when unknown or not read */
};

#define T "2026-11-28"

static const struct nik_case cases[] = {
    /* worked examples from the sources */
    {"3273010101800002", T, "", "1980-01-01", 'M', "Jawa Barat"},
    /* shared/reference reads this one as 1980-01-01, but its DDMMYY is 01 19 80 */
    {"3273010119800002", T, "birth_date:invalid_date", NULL, 'M', "Jawa Barat"},
    {"3404021011880001", T, "", "1988-11-10", 'M', "Daerah Istimewa Yogyakarta"},
    {"3404025011880001", T, "", "1988-11-10", 'F', "Daerah Istimewa Yogyakarta"},
    {"3101012012990002", T, "", "1999-12-20", 'M', "Daerah Khusus Ibukota Jakarta"},
    {"3101016012990002", T, "", "1999-12-20", 'F', "Daerah Khusus Ibukota Jakarta"},
    {"3276055708900002", T, "", "1990-08-17", 'F', "Jawa Barat"},
    /* centuries: the most recent year not after today */
    {"3273010101050001", T, "", "2005-01-01", 'M', "Jawa Barat"},
    {"3273012811260001", T, "", "2026-11-28", 'M', "Jawa Barat"},
    {"3273012911260001", T, "", "1926-11-29", 'M', "Jawa Barat"},
    {"3273016911260001", T, "", "1926-11-29", 'F', "Jawa Barat"},
    {"3273010101000001", "1999-12-31", "", "1900-01-01", 'M', "Jawa Barat"},
    {"3273010101000001", "2000-01-01", "", "2000-01-01", 'M', "Jawa Barat"},
    /* 29 February: the century decides */
    {"3273016902000001", T, "", "2000-02-29", 'F', "Jawa Barat"},
    {"3273016902010001", T, "birth_date:invalid_date", NULL, 'F', "Jawa Barat"},
    {"3273012902000001", "2000-02-28", "birth_date:invalid_date", NULL, 'M', "Jawa Barat"},
    /* provinces: Papua codes before and after the 2022 split, unknown codes */
    {"9101010101900001", T, "", "1990-01-01", 'M', "Papua"},
    {"9201010101900001", T, "", "1990-01-01", 'M', "Papua Barat"},
    {"9601010101900001", T, "", "1990-01-01", 'M', "Papua Barat Daya"},
    {"6501010101900001", T, "", "1990-01-01", 'M', "Kalimantan Utara"},
    {"3704031011880001", T, "province_code:unknown_code", "1988-11-10", 'M', NULL},
    {"2201012012990002", T, "province_code:unknown_code", "1999-12-20", 'M', NULL},
    {"9701010101900001", T, "province_code:unknown_code", "1990-01-01", 'M', NULL},
    {"0001010101900001", T, "province_code:unknown_code", "1990-01-01", 'M', NULL},
    /* days and months */
    {"3273010001800002", T, "birth_date:invalid_date", NULL, 0, "Jawa Barat"},
    {"3273017201800002", T, "birth_date:invalid_date", NULL, 0, "Jawa Barat"},
    {"3101013212990002", T, "birth_date:invalid_date", NULL, 0, "Daerah Khusus Ibukota Jakarta"},
    {"3101014012990002", T, "birth_date:invalid_date", NULL, 0, "Daerah Khusus Ibukota Jakarta"},
    {"3273017101800002", T, "", "1980-01-31", 'F', "Jawa Barat"},
    {"3273017102800002", T, "birth_date:invalid_date", NULL, 'F', "Jawa Barat"},
    {"3404021013880001", T, "birth_date:invalid_date", NULL, 'M', "Daerah Istimewa Yogyakarta"},
    {"3404021000880001", T, "birth_date:invalid_date", NULL, 'M', "Daerah Istimewa Yogyakarta"},
    /* zero codes and serials */
    {"3273010101800000", T, "serial:invalid_value", "1980-01-01", 'M', "Jawa Barat"},
    {"3200010101800001", T, "regency_code:invalid_value", "1980-01-01", 'M', "Jawa Barat"},
    {"3270010101800001", T, "regency_code:invalid_value", "1980-01-01", 'M', "Jawa Barat"},
    {"3273000101800001", T, "district_code:invalid_value", "1980-01-01", 'M', "Jawa Barat"},
    {"0000000000000000", T,
     "province_code:unknown_code regency_code:invalid_value district_code:invalid_value "
     "birth_date:invalid_date serial:invalid_value",
     NULL, 0, NULL},
    /* letters and lengths */
    {"32730101A9800002", T, "nik:charset", NULL, 0, "Jawa Barat"},
    {"3273010101800O02", T, "nik:charset", "1980-01-01", 'M', "Jawa Barat"},
    {"A273010101800002", T, "nik:charset", "1980-01-01", 'M', NULL},
    {"327301011980002", T, "nik:length", NULL, 0, NULL},
    {"34040210118800001", T, "nik:length", NULL, 0, NULL},
    {"", T, "nik:length", NULL, 0, NULL},
    {"3273010119800002 ", T, "nik:length nik:charset", NULL, 0, NULL},
    {"3273-0101-1980-0002", T, "nik:length nik:charset", NULL, 0, NULL},
};

static void describe(const struct nik_result *r, char *out, size_t n)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < r->n_errors && o < n; i++)
        o += (size_t)snprintf(out + o, n - o, "%s%s:%s", i ? " " : "",
                              nik_field_name(r->errors[i].field), nik_code_name(r->errors[i].code));
}

static void test_table(void **state)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct nik_case *c = &cases[i];
        int64_t today;
        assert_int_equal(time_parse_date(c->today, &today), 0);
        struct nik_result r;
        assert_int_equal(nik_parse(c->nik, strlen(c->nik), today, &r), 0);
        char errs[256], birth[16] = "";
        describe(&r, errs, sizeof errs);
        if (r.birth_valid)
            snprintf(birth, sizeof birth, "%04d-%02d-%02d", r.birth_year, r.birth_month,
                     r.birth_day);
        const char *prov = r.province ? r.province->name : NULL;
        bool ok = strcmp(errs, c->errors) == 0 && r.valid == (c->errors[0] == '\0') &&
                  strcmp(birth, c->birth ? c->birth : "") == 0 && r.sex == c->sex &&
                  ((prov == NULL && c->province == NULL) ||
                   (prov && c->province && strcmp(prov, c->province) == 0));
        if (!ok) {
            print_error("NIK '%s' at %s: got [%s] birth '%s' sex %d province %s\n", c->nik,
                        c->today, errs, birth, r.sex, prov ? prov : "-");
            fail();
        }
    }
}

static void test_components(void **state)
{
    struct nik_result r;
    assert_int_equal(nik_parse("3273010101800002", 16, 0, &r), 0);
    assert_string_equal(r.province_code, "32");
    assert_string_equal(r.regency_code, "3273");
    assert_string_equal(r.district_code, "327301");
    assert_string_equal(r.serial, "0002");
    assert_true(r.city);
    assert_int_equal(nik_parse("3204010101800002", 16, 0, &r), 0);
    assert_false(r.city);
    /* a NUL byte inside is a bad character, not the end of the string */
    assert_int_equal(nik_parse("32730101\0"
                               "9800002",
                               16, 0, &r),
                     0);
    assert_false(r.valid);
    assert_int_equal(r.errors[0].code, NIK_CODE_CHARSET);
    /* long input: echoed only in part */
    char big[5000];
    memset(big, '9', sizeof big);
    assert_int_equal(nik_parse(big, sizeof big, 0, &r), 0);
    assert_int_equal(r.input_len, sizeof big);
    assert_int_equal(strlen(r.input), NIK_ECHO_MAX);
    assert_int_equal(nik_parse(NULL, 3, 0, &r), -2);
    assert_int_equal(nik_parse(NULL, 0, 0, &r), 0);
    assert_false(r.valid);
}

static void test_provinces(void **state)
{
    assert_int_equal(nik_province_count(), 38);
    for (size_t i = 0; i < nik_province_count(); i++) {
        const struct nik_province *p = nik_province_at(i);
        assert_int_equal(strlen(p->code), 2);
        assert_ptr_equal(nik_province_find(p->code), p);
        if (i > 0)
            assert_true(strcmp(nik_province_at(i - 1)->code, p->code) < 0);
    }
    assert_null(nik_province_at(nik_province_count()));
    assert_string_equal(nik_province_find("91")->name, "Papua");
    assert_non_null(nik_province_find("91")->split_note);
    assert_non_null(nik_province_find("92")->split_note);
    assert_string_equal(nik_province_status_name(nik_province_find("93")->status), "current");
    assert_null(nik_province_find("20"));
}

/* Runs one parse request body; returns the code and fills *out or why. */
static int request(const char *body, json_t **out, struct buf *why)
{
    json_t *b = NULL;
    int64_t today;
    assert_int_equal(time_parse_date(T, &today), 0);
    buf_reset(why);
    assert_int_equal(json_decode_object(body, strlen(body), &b, why), 0);
    int r = documents_parse_request(b, today, out, why);
    json_decref(b);
    return r;
}

static const char *flag_codes(json_t *v, char *out, size_t n)
{
    json_t *flags = json_object_get(v, "flags"), *f;
    size_t i, o = 0;
    out[0] = '\0';
    json_array_foreach(flags, i, f) o += (size_t)snprintf(
        out + o, n - o, "%s%s", i ? " " : "", json_string_value(json_object_get(f, "code")));
    return out;
}

#define UTO_L1 "\"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\""
#define UTO_L2 "\"L898902C36UTO7408122F1204159ZE184226B<<<<<10\""

/* Cross-check: different birth date or sex are soft flags, never errors. */
static void test_cross_check(void **state)
{
    static const struct {
        const char *body, *flags;
        bool valid;
    } t[] = {
        {"{\"nik\": \"3404025011880001\", \"birth_date\": \"1988-11-10\", \"sex\": \"F\"}", "",
         true},
        {"{\"nik\": \"3404025011880001\", \"birth_date\": \"1988-11-11\", \"sex\": \"M\"}",
         "birth_date_mismatch sex_mismatch", true},
        {"{\"nik\": \"3404025011880001\", \"birth_date\": \"1888-11-10\"}", "", true},
        {"{\"nik\": \"3404025011880001\", \"birth_date\": \"1988-11\", \"sex\": \"X\"}", "", true},
        {"{\"nik\": \"3404025011880001\", \"birth_date\": \"1988-12\"}", "birth_date_mismatch",
         true},
        {"{\"nik\": \"3404021208740001\", \"mrz\": [" UTO_L1 ", " UTO_L2 "]}", "sex_mismatch",
         true},
        {"{\"nik\": \"3404025208740001\", \"mrz\": [" UTO_L1 ", " UTO_L2 "]}", "", true},
        {"{\"nik\": \"3404025308740001\", \"mrz\": [" UTO_L1 ", " UTO_L2 "]}",
         "birth_date_mismatch", true},
    };
    struct buf why;
    buf_init(&why, 1024);
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        json_t *v = NULL;
        char got[128];
        assert_int_equal(request(t[i].body, &v, &why), 0);
        flag_codes(v, got, sizeof got);
        if (strcmp(got, t[i].flags) != 0 ||
            json_is_true(json_object_get(v, "valid")) != t[i].valid) {
            print_error("%s: flags [%s], want [%s]\n", t[i].body, got, t[i].flags);
            fail();
        }
        json_decref(v);
    }
    buf_free(&why);
}

/* The answers carry the CONTRACT fields; bad bodies name the field. */
static void test_parse_request(void **state)
{
    static const char *const mrz_fields[] = {
        "valid",           "format",      "document_code", "issuing_state",
        "document_number", "nationality", "birth_date",    "sex",
        "expiry_date",     "surname",     "given_names",   "optional_data",
        "optional_data_2", "errors"};
    static const char *const nik_fields[] = {
        "nik",           "valid",      "province_code", "province", "regency_code",
        "district_code", "birth_date", "sex",           "serial",   "errors"};
    struct buf why;
    buf_init(&why, 1024);
    json_t *v = NULL;
    assert_int_equal(request("{\"mrz\": [" UTO_L1 ", " UTO_L2 "], \"lenient\": true}", &v, &why),
                     0);
    for (size_t i = 0; i < sizeof mrz_fields / sizeof mrz_fields[0]; i++)
        assert_non_null(json_object_get(v, mrz_fields[i]));
    assert_string_equal(json_string_value(json_object_get(v, "birth_date")), "1974-08-12");
    assert_true(json_is_true(json_object_get(v, "lenient")));
    assert_null(json_object_get(v, "flags"));
    json_decref(v);
    assert_int_equal(request("{\"nik\": \"3273010101800002\"}", &v, &why), 0);
    for (size_t i = 0; i < sizeof nik_fields / sizeof nik_fields[0]; i++)
        assert_non_null(json_object_get(v, nik_fields[i]));
    assert_string_equal(json_string_value(json_object_get(v, "province")), "Jawa Barat");
    json_decref(v);

    static const struct {
        const char *body, *why;
    } bad[] = {
        {"{}", "body: needs field 'mrz' (an array of lines) or 'nik'"},
        {"{\"mrz\": \"P<UTO\"}", "field 'mrz': must be an array of strings"},
        {"{\"mrz\": [1]}", "field 'mrz': must be an array of strings"},
        {"{\"mrz\": []}", "field 'mrz': must hold 1 to 16 lines"},
        {"{\"nik\": 3273010101800002}", "field 'nik': must be a string of at most 256 bytes"},
        {"{\"nik\": \"1\", \"lenient\": \"yes\"}", "field 'lenient': must be true or false"},
        {"{\"nik\": \"1\", \"colour\": 1}", "field 'colour': unknown field"},
        {"{\"nik\": \"1\", \"birth_date\": \"1990-02-30\"}",
         "field 'birth_date': must be a date YYYY-MM-DD (or YYYY-MM, YYYY)"},
        {"{\"nik\": \"1\", \"sex\": \"male\"}",
         "field 'sex': must be \"M\", \"F\", \"X\" or \"<\""},
        {"{\"mrz\": [\"A\"], \"sex\": \"M\"}",
         "field 'sex': only with 'nik' and without 'mrz' (cross-check data)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = NULL;
        assert_int_equal(request(bad[i].body, &v, &why), ERR_INVALID);
        assert_null(v);
        assert_string_equal(buf_cstr(&why), bad[i].why);
    }
    /* not an object */
    json_t *arr = json_array();
    buf_reset(&why);
    assert_int_equal(documents_parse_request(arr, 0, &v, &why), ERR_INVALID);
    assert_string_equal(buf_cstr(&why), "body: must be a JSON object");
    json_decref(arr);
    buf_free(&why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),         cmocka_unit_test(test_components),
        cmocka_unit_test(test_provinces),     cmocka_unit_test(test_cross_check),
        cmocka_unit_test(test_parse_request),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
