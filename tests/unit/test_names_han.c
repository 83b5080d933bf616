/* Unit tests for domain/names_kana (passport Hepburn romanisation of kana
 * words) and domain/names_han (the Korean and Japanese readings of names
 * in Han characters): kana cases got/want, what each script of name gets
 * as readings, bad input and small buffers, and the generated tables
 * (sorted, well formed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/names.h"
#include "domain/names_han.h"
#include "domain/names_kana.h"
#include "util/errors.h"

static struct names_norm *norm;

static void test_kana_words(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"やまだ", "yamada"},
        {"ヤマダ", "yamada"},
        {"たろう", "taro"},       /* ou -> o */
        {"タロー", "taro"},       /* ー dropped */
        {"おおの", "ono"},        /* oo -> o */
        {"ゆうこ", "yuko"},       /* uu -> u */
        {"いのうえ", "inoue"},    /* うえ stays */
        {"けいこ", "keiko"},      /* ei stays */
        {"にいがた", "niigata"},  /* ii stays */
        {"ほんま", "homma"},      /* n -> m before m */
        {"さんぺい", "sampei"},   /* before p */
        {"なんば", "namba"},      /* before b */
        {"しんいち", "shinichi"}, /* no apostrophe */
        {"けんじ", "kenji"},
        {"はっちょうぼり", "hatchobori"}, /* tch */
        {"はっとり", "hattori"},
        {"いっしき", "isshiki"},
        {"きょうこ", "kyoko"},
        {"しゃ", "sha"},
        {"ちょう", "cho"},
        {"じゅん", "jun"},
        {"ぢゃ", "ja"},
        {"りゅうじ", "ryuji"},
        {"しちつふじずぢづ", "shichitsufujizujizu"},
        {"をゐゑ", "oie"},
        {"ふぁ", "fa"},
        {"ティ", "ti"},
        {"チェ", "che"},
        {"ウィリアム", "wiriamu"},
        {"ヴァ", "va"},
        {"ジョン・スミス", "jon sumisu"},
        {"いすゞ", "isuzu"}, /* iteration mark, voiced */
        {"ｽｽﾞｷ", "suzuki"},  /* halfwidth, voicing mark */
        {"ﾊﾟﾝ", "pan"},
        {"ｲﾁﾛｰ", "ichiro"},
    };
    char out[128];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int r = names_kana_word(cases[i].in, strlen(cases[i].in), out, sizeof out);
        if (r != 1 || strcmp(out, cases[i].want) != 0)
            fail_msg("%s: got %d '%s', want '%s'", cases[i].in, r, r == 1 ? out : "",
                     cases[i].want);
    }
}

static void test_kana_rejects(void **state)
{
    static const char *const bad[] = {
        "山田",             /* Han */
        "やま田",           /* kana and Han */
        "yamada",           /* Latin */
        "やまだ ",          /* a space: not one word */
        "김",               /* Hangul */
        "\xE3\x81",         /* truncated UTF-8 */
        "\xE3\x81\xFF",     /* bad continuation */
        "\xC3\xA9",         /* two-byte code point */
        "\xF0\x9F\x98\x80", /* four-byte code point */
        "\xE3\x82\x9F",     /* ゟ: a digraph, not handled */
        "\xE3\x82\x99",     /* combining voicing mark alone */
        "ゝ",               /* iteration mark with nothing before it */
        "\xEF\xBE\x9E",     /* halfwidth voicing mark alone */
        "",
    };
    char out[64];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (names_kana_word(bad[i], strlen(bad[i]), out, sizeof out) != 0)
            fail_msg("case %zu accepted", i);
    char big[65 * 3 + 1] = "";
    for (size_t i = 0; i < 65; i++)
        memcpy(big + i * 3, "あ", 4);
    assert_int_equal(names_kana_word(big, strlen(big), out, sizeof out), 0); /* > 64 kana */
}

static void test_kana_buffers(void **state)
{
    char out[16];
    const char *w = "やまだ";
    assert_int_equal(names_kana_word(w, strlen(w), out, 7), 1); /* "yamada" + NUL */
    assert_string_equal(out, "yamada");
    assert_int_equal(names_kana_word(w, strlen(w), out, 6), -1);
    assert_int_equal(names_kana_word(w, strlen(w), out, 0), -1);
    /* The longest output per kana (っち -> tchi) at the maximum length. */
    char big[64 * 3 + 1] = "";
    char wide[64 * 4 + 1];
    for (size_t i = 0; i < 32; i++)
        memcpy(big + i * 6, "っち", 7);
    assert_int_equal(names_kana_word(big, strlen(big), wide, sizeof wide), 1);
    assert_int_equal(strlen(wide), 32 * 4);
}

static int readings(const char *s, struct names_name *out, size_t max)
{
    return names_normalise_readings(norm, s, strlen(s), out, max);
}

static void assert_tokens(const struct names_name *n, const char *want)
{
    char got[256];
    names_join(n, got, sizeof got);
    assert_string_equal(got, want);
}

static void test_reading_counts(void **state)
{
    static const struct {
        const char *name;
        int n;
    } cases[] = {
        {"Kim Jong Un", 1}, /* Latin: no Han scan beyond the bytes */
        {"Siti Nurhaliza", 1}, {"José Müller", 1}, {"김정은", 1}, /* Hangul */
        {"やまだ たろう", 1},                                     /* kana alone */
        {"习近平", 1},                            /* simplified: no Korean or Japanese reading */
        {"王伟", 1},           {"金正恩", 2},     /* Mandarin, Korean */
        {"李明", 3},                              /* Mandarin, Korean, Japanese */
        {"山田太郎", 3},       {"中村さくら", 2}, /* kana inside: no Korean reading */
        {"本田圭佑", 2},                          /* 圭佑 not in the dictionary */
    };
    struct names_name out[NAMES_MAX_READINGS];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int r = readings(cases[i].name, out, NAMES_MAX_READINGS);
        if (r != cases[i].n)
            fail_msg("%s: %d readings, want %d", cases[i].name, r, cases[i].n);
        for (int a = 0; a < r; a++) /* no reading repeats another */
            for (int b = 0; b < a; b++) {
                char x[256], y[256];
                names_join(&out[a], x, sizeof x);
                names_join(&out[b], y, sizeof y);
                if (strcmp(x, y) == 0)
                    fail_msg("%s: reading %d repeats %d", cases[i].name, a, b);
            }
    }
}

static void test_reading_texts(void **state)
{
    struct names_name out[NAMES_MAX_READINGS];
    assert_int_equal(readings("金正恩", out, NAMES_MAX_READINGS), 2);
    assert_tokens(&out[0], "jin zheng en");
    assert_tokens(&out[1], "kim jeongeun");
    assert_true(out[1].tok[0].flags & NAMES_TF_HANGUL);
    assert_int_equal(readings("山田太郎", out, NAMES_MAX_READINGS), 3);
    assert_tokens(&out[2], "yamada taro");
    assert_true(out[2].tok[0].flags & NAMES_TF_SYLLABIC);
    assert_false(out[2].tok[0].flags & NAMES_TF_HANGUL);
    assert_int_equal(readings("山田　太郎", out, NAMES_MAX_READINGS), 3); /* ideographic space */
    assert_tokens(&out[2], "yamada taro");
    assert_int_equal(readings("田中花子", out, NAMES_MAX_READINGS), 3);
    assert_tokens(&out[2], "tanaka hanako");
    assert_int_equal(readings("李明", out, NAMES_MAX_READINGS), 3);
    assert_tokens(&out[1], "ri myeong"); /* two characters: surname apart */
    assert_int_equal(readings("YAMADA 太郎", out, NAMES_MAX_READINGS), 3);
    assert_tokens(&out[2], "yamada taro");
    /* A compatibility ideograph (U+F90A) is read as 金 after NFKC. */
    assert_int_equal(readings("\xEF\xA4\x8A正恩", out, NAMES_MAX_READINGS), 2);
    assert_tokens(&out[1], "kim jeongeun");
}

static void test_reading_limits(void **state)
{
    struct names_name out[NAMES_MAX_READINGS];
    char big[LIMIT_NAME + 2];
    assert_int_equal(readings("山田太郎", out, 0), ERR_LIMIT);
    assert_int_equal(readings("山田太郎", out, 1), 1);
    assert_tokens(&out[0], "shan tian tai lang");
    assert_int_equal(readings("山田太郎", out, 2), 2); /* Mandarin and Korean */
    assert_int_equal(readings("李明", out, 2), 2);
    assert_int_equal(readings("\xE5\xB1", out, NAMES_MAX_READINGS), ERR_INVALID);
    assert_int_equal(names_normalise_readings(norm, "山\0田", 7, out, 3), ERR_INVALID);
    assert_int_equal(readings("", out, NAMES_MAX_READINGS), ERR_INVALID);
    assert_int_equal(readings("-- ,", out, NAMES_MAX_READINGS), ERR_INVALID);
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(readings(big, out, NAMES_MAX_READINGS), ERR_LIMIT);
    /* 170 Han characters (510 bytes): the readings would exceed LIMIT_NAME
     * or the word length segmented, and are dropped, not truncated. */
    for (size_t i = 0; i < 170; i++)
        memcpy(big + i * 3, "金", 3);
    big[510] = '\0';
    int r = readings(big, out, NAMES_MAX_READINGS);
    assert_true(r >= 1 && r <= NAMES_MAX_READINGS);
    /* Without a normaliser only the one reading. */
    assert_int_equal(names_normalise_readings(NULL, "Kim", 3, out, 3), 1);
    /* More room than readings. */
    struct names_name many[5];
    assert_int_equal(names_normalise_readings(norm, "李明", 6, many, 5), 3);
}

static void test_tables(void **state)
{
    assert_true(names_han_ko_n > 8000);
    for (size_t i = 0; i < names_han_ko_n; i++) {
        assert_true(names_han_ko[i].hangul >= 0xAC00 && names_han_ko[i].hangul <= 0xD7A3);
        if (i > 0 && names_han_ko[i - 1].han >= names_han_ko[i].han)
            fail_msg("names_han_ko not sorted at U+%X", (unsigned)names_han_ko[i].han);
    }
    const char *t = names_han_ja, *prev = NULL;
    size_t prevlen = 0, n = 0;
    assert_int_equal(strlen(t), names_han_ja_len);
    for (size_t at = 0; at < names_han_ja_len; n++) {
        const char *e = t + at, *semi = strchr(e, ';');
        assert_non_null(semi);
        const char *c1 = memchr(e, ',', (size_t)(semi - e));
        assert_non_null(c1);
        const char *c2 = memchr(c1 + 1, ',', (size_t)(semi - c1 - 1));
        assert_non_null(c2);
        size_t sl = (size_t)(c1 - e);
        assert_true(sl > 0 && c2 > c1 + 1);
        for (const char *d = c2 + 1; d < semi - 1; d++)
            assert_true(*d >= '0' && *d <= '9');
        assert_true(semi[-1] == 's' || semi[-1] == 'g' || semi[-1] == 'b');
        if (prev != NULL) {
            int c = memcmp(prev, e, prevlen < sl ? prevlen : sl);
            if (c > 0 || (c == 0 && prevlen >= sl))
                fail_msg("names_han_ja not sorted at entry %zu", n);
        }
        prev = e, prevlen = sl;
        at = (size_t)(semi - t) + 1;
    }
    assert_true(n > 20000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kana_words),    cmocka_unit_test(test_kana_rejects),
        cmocka_unit_test(test_kana_buffers),  cmocka_unit_test(test_reading_counts),
        cmocka_unit_test(test_reading_texts), cmocka_unit_test(test_reading_limits),
        cmocka_unit_test(test_tables),
    };
    if (names_norm_new(&norm) != 0)
        return 1;
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    names_norm_free(norm);
    return r;
}
