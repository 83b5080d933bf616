/* Unit tests for domain/names_hebrew (romanisation of personal names in
 * Hebrew script): lexicon words, final forms, niqqud, mixed strings, the
 * letter rules on words outside the lexicon, strings without Hebrew, small
 * buffers, over-long words, and random strings of the Hebrew block that
 * must never write past the buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/names_hebrew.h"

struct tcase {
    const char *in, *want;
};

static void check_cases(const struct tcase *cases, size_t n)
{
    char out[256];
    for (size_t i = 0; i < n; i++) {
        int r = names_hebrew_reading(cases[i].in, strlen(cases[i].in), out, sizeof out);
        if (r != 1 || strcmp(out, cases[i].want) != 0)
            fail_msg("%s: got %d '%s', want '%s'", cases[i].in, r, r == 1 ? out : "",
                     cases[i].want);
    }
}

static void test_lexicon(void **state)
{
    static const struct tcase cases[] = {
        {"משה", "moshe"},
        {"דוד", "david"},
        {"דויד", "david"}, /* full spelling */
        {"אברהם", "avraham"},
        {"יצחק", "yitzhak"},
        {"יעקב", "yaakov"},
        {"יעקוב", "yaakov"},
        {"שרה", "sarah"},
        {"רחל", "rachel"},
        {"לוי", "levi"},
        {"ישראל", "israel"},
        {"אריאל", "ariel"},
        {"שרון", "sharon"},
        {"גולדברג", "goldberg"},
        {"בנימין נתניהו", "benjamin netanyahu"},
        {"בן גוריון", "ben gurion"},
    };
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_folding(void **state)
{
    static const struct tcase cases[] = {
        {"כהן", "cohen"},                              /* final nun */
        {"פרץ", "peretz"},                             /* final tsadi */
        {"יוסף", "yosef"},                             /* final pe */
        {"ברוך", "baruch"},                            /* final kaf */
        {"חיים", "chaim"},                             /* final mem */
        {"מֹשֶׁה", "moshe"},                              /* niqqud dropped for the lexicon */
        {"דָּוִד", "david"},                              /* dagesh, qamats, hiriq */
        {"בֶּן־גּוּרְיוֹן", "ben gurion"},                   /* maqaf separates words */
        {"ג׳ורג׳", "joraj"},                           /* geresh: j */
        {"ג'ורג'", "joraj"},                           /* ASCII apostrophe as geresh */
        {"צה\"ל", "tzahal"},                           /* gershayim dropped */
        {"רבינוביץ'", "rabinovich"},                   /* lexicon, geresh dropped */
        {"\xD7\x9E\xD7\xA9\xD7\x94\xD6\x91", "moshe"}, /* cantillation mark */
    };
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_mixed(void **state)
{
    static const struct tcase cases[] = {
        {"Moshe כהן", "Moshe cohen"},
        {"כהן Moshe", "cohen Moshe"},
        {"  דוד  ", "  david  "},
        {"Levi-כהן, Éva", "Levi-cohen, Éva"}, /* non-Hebrew bytes kept as they are */
        {"משה־כהן", "moshe cohen"},           /* maqaf */
    };
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

/* Words outside the lexicon: the letter rules (see names_hebrew.c). */
static void test_letter_rules(void **state)
{
    static const struct tcase cases[] = {
        {"ברקוני", "barakoni"},      /* a guessed between consonants */
        {"אלמגור", "almagor"},       /* א a; no a after l (a syllable closes) */
        {"שמשוני", "shamashoni"},    /* ש sh, ו o, final י i */
        {"ביאליק", "bielik"},        /* א after a vowel: e */
        {"ליבוביצקי", "livovitzki"}, /* ב v when not initial, צ tz */
        {"גולדנברג", "goldenberg"},  /* stem with e, suffix berg */
        {"מושקוביץ", "moshkovitz"},  /* suffix ovitz */
        {"מושקוביץ'", "moshkovich"}, /* with a geresh: ovich */
        {"צ'רלי", "charali"},        /* צ׳ ch */
        {"נֹחַ", "noach"},             /* pointed: holam, furtive patah */
        {"יְרוּשָׁלַיִם", "yerushalayim"}, /* shva na, shuruq, sin/shin dot */
        {"חוּמוּס", "chumus"},         /* shuruq alone makes the word pointed */
        {"גְּדַלְיָהוּ", "gdalyahu"},      /* pointed: silent shva, final shuruq */
    };
    check_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_no_hebrew(void **state)
{
    static const char *const none[] = {
        "",         "Moshe Cohen", "محمد", "\xD6\x80", /* U+0580, Armenian: not the Hebrew block */
        "\xD7",                                        /* truncated */
        "\xD6\xB8",                                    /* a vowel point with no letter */
    };
    char out[16];
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        memcpy(out, "untouched", 10);
        if (names_hebrew_reading(none[i], strlen(none[i]), out, sizeof out) != 0)
            fail_msg("case %zu: Hebrew found", i);
        assert_string_equal(out, "untouched");
    }
}

static void test_buffers(void **state)
{
    char out[16];
    const char *w = "משה";
    assert_int_equal(names_hebrew_reading(w, strlen(w), out, 6), 1); /* "moshe" + NUL */
    assert_string_equal(out, "moshe");
    assert_int_equal(names_hebrew_reading(w, strlen(w), out, 5), -1);
    assert_string_equal(out, "");
    assert_int_equal(names_hebrew_reading(w, strlen(w), out, 0), -1);
    const char *m = "Moshe כהן";
    assert_int_equal(names_hebrew_reading(m, strlen(m), out, 12), 1);
    assert_int_equal(names_hebrew_reading(m, strlen(m), out, 11), -1);
    assert_int_equal(names_hebrew_reading(m, strlen(m), out, 3), -1); /* in the Latin part */
}

static void test_long_word(void **state)
{
    char in[65 * 2 + 1], out[1024];
    for (size_t i = 0; i < 65; i++)
        memcpy(in + i * 2, "ב", 3);
    assert_int_equal(names_hebrew_reading(in, 65 * 2, out, sizeof out), -1);
    assert_int_equal(names_hebrew_reading(in, 64 * 2, out, sizeof out), 1); /* 64 letters */
    /* The ligature װ is two letters. */
    char lig[33 * 2 + 1];
    for (size_t i = 0; i < 33; i++)
        memcpy(lig + i * 2, "\xD7\xB0", 3);
    assert_int_equal(names_hebrew_reading(lig, 33 * 2, out, sizeof out), -1);
    assert_int_equal(names_hebrew_reading(lig, 32 * 2, out, sizeof out), 1);
}

/* xorshift64: a fixed sequence, so failures repeat. */
static uint64_t next_rand(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static void test_random(void **state)
{
    uint64_t x = 0x9E3779B97F4A7C15u;
    char in[200], out[96 + 1];
    for (int t = 0; t < 10000; t++) {
        size_t len = 0, n = next_rand(&x) % 90;
        for (size_t k = 0; k < n && len + 2 <= sizeof in; k++) {
            uint64_t r = next_rand(&x);
            if (r % 11 == 0) {
                in[len++] = (char)(r % 7 == 0 ? '\'' : ' ');
                continue;
            }
            unsigned c = 0x0590 + (unsigned)(r >> 8) % 0x70;
            in[len++] = (char)(0xC0 | (c >> 6));
            in[len++] = (char)(0x80 | (c & 0x3F));
        }
        if (next_rand(&x) % 5 == 0 && len > 0)
            len--; /* a cut sequence at the end */
        size_t outsz = 1 + next_rand(&x) % 96;
        out[outsz] = 'G'; /* guard byte */
        int r = names_hebrew_reading(in, len, out, outsz);
        assert_int_equal(out[outsz], 'G');
        assert_true(r >= -1 && r <= 1);
        if (r == 1) {
            size_t ol = strlen(out);
            assert_true(ol < outsz);
            for (size_t k = 0; k < ol; k++)
                if (!((out[k] >= 'a' && out[k] <= 'z') || out[k] == ' ' || out[k] == '\'' ||
                      (k + 1 == ol && (out[k] == '\xD6' || out[k] == '\xD7'))))
                    fail_msg("case %d: byte 0x%02x in output", t, (unsigned char)out[k]);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lexicon),   cmocka_unit_test(test_folding),
        cmocka_unit_test(test_mixed),     cmocka_unit_test(test_letter_rules),
        cmocka_unit_test(test_no_hebrew), cmocka_unit_test(test_buffers),
        cmocka_unit_test(test_long_word), cmocka_unit_test(test_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
