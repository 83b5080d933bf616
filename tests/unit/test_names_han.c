/* Unit tests for domain/names_kana (passport Hepburn romanisation of kana
 * words) and domain/names_han (the Mandarin reading of Han characters, the
 * Korean and Japanese readings of names in Han characters): kana and
 * Mandarin cases got/want, what each script of name gets as readings, bad
 * input and small buffers, and the generated tables (sorted, well formed). */
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

/* The reading of a character that opens a Chinese name, the surname. */
static void test_surname(void **state)
{
    char out[16];
    (void)state;
    assert_int_equal(names_han_surname(0x66FE, out, sizeof out), 4); /* 曾 */
    assert_string_equal(out, "zeng");
    assert_int_equal(names_han_surname(0x89E3, out, sizeof out), 3); /* 解 */
    assert_string_equal(out, "xie");
    assert_int_equal(names_han_surname(0x738B, out, sizeof out), 0); /* 王: as usual */
    assert_string_equal(out, "");
    assert_int_equal(names_han_surname('a', out, sizeof out), 0);
    assert_int_equal(names_han_surname(-1, out, sizeof out), 0);
    assert_int_equal(names_han_surname(0x66FE, out, 4), ERR_LIMIT); /* "zeng" and its NUL */
    assert_string_equal(out, "");
    assert_int_equal(names_han_surname(0x66FE, out, 5), 4);
}

static void test_mandarin(void **state)
{
    static const struct {
        int32_t c;
        const char *want; /* "": no reading */
    } cases[] = {
        {0x738B, "wang"},   /* 王 */
        {0x5F20, "zhang"},  /* 张 */
        {0x5415, "lu"},     /* 吕 lǚ: ü folded to u, as ICU's pinyin is */
        {0x5973, "nu"},     /* 女 nǚ */
        {0x66FE, "ceng"},   /* 曾: the first kMandarin value, as ICU reads it */
        {0x5452, "wu"},     /* 呒: kMandarin wu, ICU fu */
        {0x3400, "qiu"},    /* 㐀, Extension A, first of the table */
        {0x20000, "he"},    /* 𠀀, Extension B, outside the BMP */
        {0x30EDE, "biang"}, /* 𰻞, Extension G, plane 3 */
        {0x20BB7, ""},      /* 𠮷: Han, no kMandarin */
        {0xF90A, ""},       /* compatibility 金: looked up as it is (no NFKC) */
        {0x4E00 - 1, ""},   /* just before the URO, not Han */
        {'A', ""},          /* Latin */
        {0x3005, ""},       /* 々: an iteration mark, not read */
        {-1, ""},           /* not a code point */
        {0x7FFFFFFF, ""},   /* nor this */
    };
    char out[16];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memset(out, 'x', sizeof out);
        int r = names_han_mandarin(cases[i].c, out, sizeof out);
        if (r != (int)strlen(cases[i].want) || strcmp(out, cases[i].want) != 0)
            fail_msg("U+%X: got %d '%s', want '%s'", (unsigned)cases[i].c, r, r >= 0 ? out : "",
                     cases[i].want);
    }
    /* Buffers: the reading and its NUL must fit, else ERR_LIMIT and "". */
    assert_int_equal(names_han_mandarin(0x30EDE, out, 7), 5);
    assert_string_equal(out, "biang");
    assert_int_equal(names_han_mandarin(0x838A, out, 7), 6); /* 莊 zhuang */
    assert_string_equal(out, "zhuang");
    memset(out, 'x', sizeof out);
    assert_int_equal(names_han_mandarin(0x838A, out, 6), ERR_LIMIT);
    assert_int_equal(out[0], '\0');
    assert_int_equal(out[1], 'x'); /* nothing else written */
    assert_int_equal(names_han_mandarin(0x738B, out, 1), ERR_LIMIT);
    assert_int_equal(out[0], '\0');
    assert_int_equal(names_han_mandarin(0x738B, NULL, 0), ERR_LIMIT);
    assert_int_equal(names_han_mandarin(0x20BB7, NULL, 0), 0);
}

/* names_normalise reads Han from the table: 呒 is wu (ICU: fu); a word
 * holding a character beyond the BMP, or one alone, is read per character;
 * a character without a reading still goes to ICU, which leaves it, so the
 * rest of the word is read. */
static void test_mandarin_names(void **state)
{
    struct names_name out[NAMES_MAX_READINGS];
    assert_true(readings("王呒", out, NAMES_MAX_READINGS) >= 1);
    assert_tokens(&out[0], "wang wu");
    assert_true(readings("王", out, NAMES_MAX_READINGS) >= 1);
    assert_tokens(&out[0], "wang");
    assert_true(readings("王𠀀", out, NAMES_MAX_READINGS) >= 1);
    assert_tokens(&out[0], "wang he");
    assert_true(readings("𠮷田 王", out, NAMES_MAX_READINGS) >= 1);
    assert_tokens(&out[0], "tian wang");
    assert_true(readings("吕女", out, NAMES_MAX_READINGS) >= 1);
    assert_tokens(&out[0], "lu nu");
}

static void test_tables(void **state)
{
    assert_true(names_han_zh_syl_n > 400 && names_han_zh_run_n > 2);
    assert_string_equal(names_han_zh_syl[0], "");
    for (size_t i = 1; i < names_han_zh_syl_n; i++) {
        const char *y = names_han_zh_syl[i];
        assert_true(strlen(y) > 0 && strlen(y) < NAMES_HAN_ZH_SYL);
        for (const char *p = y; *p != '\0'; p++)
            assert_true(*p >= 'a' && *p <= 'z');
        if (strcmp(names_han_zh_syl[i - 1], y) >= 0)
            fail_msg("names_han_zh_syl not sorted at %zu", i);
    }
    assert_int_equal(names_han_zh_run[0].off, 0);
    assert_int_equal(names_han_zh_run[names_han_zh_run_n - 1].off, names_han_zh_n);
    for (size_t i = 1; i < names_han_zh_run_n; i++) {
        const struct names_han_zh_run *a = &names_han_zh_run[i - 1], *b = a + 1;
        if (b->off <= a->off || b->first <= a->first + (b->off - a->off) - 1)
            fail_msg("names_han_zh_run bad at %zu", i);
        /* a run starts and ends with a reading */
        assert_true(names_han_zh[a->off] != 0 && names_han_zh[b->off - 1] != 0);
    }
    size_t nzh = 0;
    for (size_t i = 0; i < names_han_zh_n; i++) {
        assert_true(names_han_zh[i] < names_han_zh_syl_n);
        nzh += names_han_zh[i] != 0;
    }
    assert_true(nzh > 40000);

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
        cmocka_unit_test(test_mandarin),      cmocka_unit_test(test_mandarin_names),
        cmocka_unit_test(test_surname),
        cmocka_unit_test(test_tables),
    };
    if (names_norm_new(&norm) != 0)
        return 1;
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    names_norm_free(norm);
    return r;
}
