/* Unit tests for util/: buffers, text, time, CSV and JSON decoding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/csv.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/text.h"
#include "util/timeutil.h"

static void test_buf_limit(void **state)
{
    struct buf b;
    buf_init(&b, 8);
    assert_int_equal(buf_puts(&b, "1234"), 0);
    assert_int_equal(buf_printf(&b, "%d", 5678), 0);
    assert_string_equal(buf_cstr(&b), "12345678");
    assert_int_equal(buf_putc(&b, 'x'), ERR_LIMIT);
    assert_int_equal(b.len, 8);
    buf_free(&b);
    assert_string_equal(buf_cstr(&b), "");
    /* room made at once: the appends that fit move nothing; past max, none */
    buf_init(&b, 100000);
    assert_int_equal(buf_room(&b, 5000), 0);
    const char *at = b.data;
    for (int i = 0; i < 1000; i++)
        assert_int_equal(buf_puts(&b, "abcde"), 0);
    assert_ptr_equal(b.data, at);
    assert_int_equal(b.len, 5000);
    assert_int_equal(buf_room(&b, 95001), ERR_LIMIT);
    assert_int_equal(buf_room(&b, 95000), 0);
    buf_free(&b);
}

static void test_utf8(void **state)
{
    static const struct {
        const char *s;
        size_t len;
        int valid;
    } cases[] = {
        {"abc", 3, 1},
        {"\xC3\xA9", 2, 1},             /* é */
        {"\xE0\xB8\x81", 3, 1},         /* Thai ko kai */
        {"\xF0\x9F\x98\x80", 4, 1},     /* emoji */
        {"\xC0\xAF", 2, 0},             /* overlong */
        {"\xED\xA0\x80", 3, 0},         /* surrogate */
        {"\xF4\x90\x80\x80", 4, 0},     /* above U+10FFFF */
        {"\xC3", 1, 0},                 /* truncated */
        {"a\0b", 3, 0},                 /* NUL */
        {"\xFF", 1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(text_utf8_valid(cases[i].s, cases[i].len), cases[i].valid);
}

static void test_free_text(void **state)
{
    assert_null(text_check_free("Siti Nurhaliza", 14, 64, false));
    assert_null(text_check_free("\xE1\x9E\x80", 3, 64, false));
    assert_string_equal(text_check_free("a\x01", 2, 64, false), "contains a control character");
    assert_string_equal(text_check_free("a\nb", 3, 64, false), "contains a control character");
    assert_null(text_check_free("a\nb", 3, 64, true));
    assert_string_equal(text_check_free("\xC2\x85", 2, 64, false), "contains a control character");
    assert_string_equal(text_check_free("\xFF", 1, 64, false), "is not valid UTF-8");
    assert_string_equal(text_check_free("abcdef", 6, 5, false), "is too long");
}

static void test_escape(void **state)
{
    struct buf b;
    buf_init(&b, 256);
    text_escape(&b, "a\"b\\\n\x01\xFF\xC3\xA9", 9);
    assert_string_equal(buf_cstr(&b), "a\\\"b\\\\\\n\\u0001\\xff\xC3\xA9");
    buf_free(&b);
}

static void test_copy_trimmed(void **state)
{
    char out[6];
    (void)state;
    text_copy_trimmed(out, sizeof out, "  Passport  :x", 12);
    assert_string_equal(out, "Passp"); /* trimmed, then cut to the size */
    text_copy_trimmed(out, sizeof out, " COL ", 5);
    assert_string_equal(out, "COL");
    text_copy_trimmed(out, sizeof out, "    ", 4);
    assert_string_equal(out, "");
    text_copy_trimmed(out, sizeof out, "AB", 0);
    assert_string_equal(out, "");
}

static void test_parse_i64(void **state)
{
    int64_t v;
    assert_int_equal(text_parse_i64("42", 0, 100, &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(text_parse_i64("-1", 0, 100, &v), ERR_INVALID);
    assert_int_equal(text_parse_i64("4x", 0, 100, &v), ERR_INVALID);
    assert_int_equal(text_parse_i64(" 4", 0, 100, &v), ERR_INVALID);
    assert_int_equal(text_parse_i64("", 0, 100, &v), ERR_INVALID);
    assert_int_equal(text_parse_i64("99999999999999999999", 0, INT64_MAX, &v), ERR_INVALID);
}

static void test_dates(void **state)
{
    int64_t d;
    assert_int_equal(time_parse_date("1970-01-01", &d), 0);
    assert_int_equal(d, 0);
    assert_int_equal(time_parse_date("2000-02-29", &d), 0);
    assert_int_equal(time_parse_date("1900-02-29", &d), ERR_INVALID);
    assert_int_equal(time_parse_date("2024-13-01", &d), ERR_INVALID);
    assert_int_equal(time_parse_date("2024-1-01", &d), ERR_INVALID);
    int y, m, dd;
    time_civil_from_days(time_days_from_civil(2026, 11, 28), &y, &m, &dd);
    assert_int_equal(y * 10000 + m * 100 + dd, 20261128);
    char iso[32];
    time_format_iso(iso, 1700000000123);
    assert_string_equal(iso, "2023-11-14T22:13:20.123Z");
    int64_t ms;
    assert_int_equal(time_parse_iso("2023-11-14T22:13:20.123Z", &ms), 0);
    assert_int_equal(ms, 1700000000123);
    assert_int_equal(time_parse_iso("2023-11-14T25:13:20Z", &ms), ERR_INVALID);
}

static void test_csv(void **state)
{
    const char in[] = "\xEF\xBB\xBFid,name\r\n1,\"Doe, \"\"J\"\"\"\n2,\"multi\nline\"\n3,x";
    struct csv c;
    csv_open(&c, in, sizeof in - 1, ',');
    assert_int_equal(csv_next(&c), 1);
    assert_string_equal(csv_field(&c, 0), "id");
    assert_int_equal(csv_next(&c), 1);
    assert_int_equal(c.line, 2);
    assert_string_equal(csv_field(&c, 1), "Doe, \"J\"");
    assert_int_equal(csv_next(&c), 1);
    assert_string_equal(csv_field(&c, 1), "multi\nline");
    assert_int_equal(csv_next(&c), 1);
    assert_int_equal(c.line, 5);
    assert_string_equal(csv_field(&c, 1), "x");
    assert_string_equal(csv_field(&c, 7), "");
    assert_int_equal(csv_next(&c), 0);
    csv_close(&c);

    const char bad[] = "a,\"b\"c\n";
    csv_open(&c, bad, sizeof bad - 1, ',');
    assert_int_equal(csv_next(&c), ERR_INVALID);
    csv_close(&c);
}

static void test_json(void **state)
{
    json_t *v;
    struct buf why;
    buf_init(&why, 512);
    assert_int_equal(json_decode_object("{\"a\":1}", 7, &v, &why), 0);
    json_decref(v);
    assert_int_equal(json_decode_object("[1]", 3, &v, &why), ERR_INVALID);
    assert_non_null(strstr(buf_cstr(&why), "must be a JSON object"));
    buf_reset(&why);
    assert_int_equal(json_decode_object("{\"a\":1,\"a\":2}", 13, &v, &why), ERR_INVALID);
    buf_reset(&why);
    char deep[200];
    memset(deep, '[', sizeof deep);
    assert_int_equal(json_decode_object(deep, sizeof deep, &v, &why), ERR_INVALID);
    assert_non_null(strstr(buf_cstr(&why), "nested deeper"));
    buf_reset(&why);
    assert_int_equal(json_decode_object("{\"name\":5}", 10, &v, &why), 0);
    const char *s;
    assert_int_equal(json_get_str(v, "name", true, 10, &s, &why), ERR_INVALID);
    assert_string_equal(buf_cstr(&why), "field 'name': must be a string");
    json_decref(v);
    buf_free(&why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_limit), cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_free_text), cmocka_unit_test(test_escape),
        cmocka_unit_test(test_copy_trimmed),
        cmocka_unit_test(test_parse_i64), cmocka_unit_test(test_dates),
        cmocka_unit_test(test_csv),       cmocka_unit_test(test_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
