/* Unit tests for util/json_dump: its text is byte for byte jansson's
 * compact text (json_dumps with JSON_COMPACT | JSON_ENCODE_ANY) over
 * JSONTestSuite, the naughty strings and random values, and it fails
 * cleanly. Run from the project root with ../shared beside it. */
#include <dirent.h>
#include <float.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/errors.h"
#include "util/json.h"

#define SUITE "../shared/data/jsontestsuite/test_parsing"
#define NAUGHTY "../shared/data/blns.json"

/* Fails the test unless json_dump_str(v) equals jansson's text of v. */
static void assert_same(const json_t *v, const char *what)
{
    char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    char *got = json_dump_str(v);
    assert_non_null(want);
    assert_non_null(got);
    if (strcmp(want, got) != 0)
        fail_msg("%s: jansson %s\n  json_dump %s", what, want, got);
    free(want);
    free(got);
}

static void test_suite(void **state)
{
    (void)state;
    DIR *d = opendir(SUITE);
    if (d == NULL)
        fail_msg("cannot open %s (run from the project root, ../shared beside it)", SUITE);
    size_t compared = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", SUITE, e->d_name);
        json_error_t err;
        json_t *v = json_load_file(path, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
        if (v == NULL)
            continue; /* the files jansson refuses: nothing to write */
        assert_same(v, e->d_name);
        json_decref(v);
        compared++;
    }
    closedir(d);
    print_message("json_dump: %zu JSONTestSuite files compared\n", compared);
    assert_true(compared >= 90); /* jansson reads 98 of the 318 */
}

static void test_naughty(void **state)
{
    (void)state;
    json_error_t err;
    json_t *v = json_load_file(NAUGHTY, 0, &err);
    if (v == NULL)
        fail_msg("cannot read %s: %s", NAUGHTY, err.text);
    assert_true(json_array_size(v) > 500);
    assert_same(v, "blns.json");
    json_t *o = json_object(); /* each string as a key too */
    for (size_t i = 0; i < json_array_size(v); i++)
        json_object_set(o, json_string_value(json_array_get(v, i)), json_array_get(v, i));
    assert_same(o, "blns.json as keys");
    json_decref(o);
    json_decref(v);
}

static uint64_t rnd_state = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

/* A random string: ASCII, control characters, NUL, " and \, and two-,
 * three- and four-byte characters. */
static json_t *rnd_string(void)
{
    static const char *const parts[] = {"a", "Z", " ", "\"", "\\", "/", "\n", "\r", "\t", "\b",
                                        "\f", "\x01", "\x1f", "\x7f", "é", "ğ", "ก", "金",
                                        "\xe2\x80\xa8", "😀", "ן"};
    char s[128];
    size_t n = 0, k = rnd() % 12;
    for (size_t i = 0; i < k; i++) {
        if (rnd() % 9 == 0) {
            s[n++] = '\0';
            continue;
        }
        const char *p = parts[rnd() % (sizeof parts / sizeof parts[0])];
        memcpy(s + n, p, strlen(p));
        n += strlen(p);
    }
    return json_stringn(s, n);
}

static json_t *rnd_real(void)
{
    static const double fixed[] = {0.0,    -0.0,   1.5,    1e300,  1e-300, 0.1,     1e21,
                                   1e22,   5e-324, -2.5e-7, 100.0, 1e16,   123456.789, DBL_MAX,
                                   -DBL_MIN, 1e-5, 1e+5};
    if (rnd() % 2)
        return json_real(fixed[rnd() % (sizeof fixed / sizeof fixed[0])]);
    double x;
    do {
        uint64_t bits = rnd();
        memcpy(&x, &bits, sizeof x);
    } while (x != x || x - x != 0.0); /* neither NaN nor infinite */
    return json_real(x);
}

static json_t *rnd_value(int depth)
{
    switch (rnd() % (depth > 4 ? 6 : 8)) {
    case 0:
        return json_null();
    case 1:
        return json_boolean(rnd() % 2);
    case 2: {
        static const json_int_t edge[] = {0, -1, 9, 10, INT64_MAX, INT64_MIN, -1000000007};
        return json_integer(rnd() % 2 ? (json_int_t)rnd() : edge[rnd() % 7]);
    }
    case 3:
        return rnd_real();
    case 4:
    case 5:
        return rnd_string();
    case 6: {
        json_t *a = json_array();
        for (size_t i = rnd() % 5; i > 0; i--)
            json_array_append_new(a, rnd_value(depth + 1));
        return a;
    }
    default: {
        json_t *o = json_object();
        for (size_t i = rnd() % 5; i > 0; i--) {
            json_t *k = rnd_string();
            json_object_setn_new(o, json_string_value(k), json_string_length(k),
                                 rnd_value(depth + 1));
            json_decref(k);
        }
        return o;
    }
    }
}

static void test_random(void **state)
{
    (void)state;
    for (int i = 0; i < 20000; i++) {
        json_t *v = rnd_value(0);
        char what[32];
        snprintf(what, sizeof what, "random value %d", i);
        assert_same(v, what);
        json_decref(v);
    }
}

static void test_errors(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 10);
    assert_int_equal(buf_puts(&b, "ab"), 0);
    json_t *v = json_pack("{ss}", "name", "a long enough value");
    assert_int_equal(json_dump_buf(v, &b), ERR_LIMIT);
    assert_string_equal(buf_cstr(&b), "ab"); /* nothing half-written */
    json_decref(v);
    v = json_pack("[i]", 7);
    assert_int_equal(json_dump_buf(v, &b), 0);
    assert_string_equal(buf_cstr(&b), "ab[7]");
    json_decref(v);
    buf_free(&b);
    json_t *deep = json_array(), *cur = deep; /* deeper than the dumper goes */
    for (int i = 0; i < 600; i++) {
        json_t *next = json_array();
        json_array_append_new(cur, next);
        cur = next;
    }
    assert_null(json_dump_str(deep));
    json_decref(deep);
    assert_int_equal(json_dump_buf(NULL, &b), ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suite),
        cmocka_unit_test(test_naughty),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
