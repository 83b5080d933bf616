/* Unit tests for domain/names: the word tables, every normalisation and
 * variant rule (titles, particles, Balinese names, variant classes, old
 * spellings, typos, initials, joined tokens, free order), the weak-name
 * rule and its corroboration, dates, countries and document numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/names.h"
#include "domain/names_tables.h"
#include "util/errors.h"

static struct names_norm *norm;

static void norm_ok(const char *s, struct names_name *n)
{
    int r = names_normalise(norm, s, strlen(s), n);
    if (r != 0)
        fail_msg("cannot normalise '%s': %d", s, r);
}

static void test_tables_sorted(void **state)
{
    size_t n;
    const struct names_table *t = names_tab_all(&n);
    assert_true(n >= 5);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 1; j < t[i].n; j++)
            if (strcmp(t[i].words[j - 1].w, t[i].words[j].w) >= 0)
                fail_msg("table %s not sorted at '%s'", t[i].name, t[i].words[j].w);
    for (size_t j = 1; names_tab_country_key(j) != NULL; j++)
        assert_true(strcmp(names_tab_country_key(j - 1), names_tab_country_key(j)) < 0);
}

static uint8_t why_of(const char *a, const char *b, float *sim)
{
    struct names_name x, y;
    uint8_t why, dist;
    norm_ok(a, &x);
    norm_ok(b, &y);
    *sim = names_token_sim(&x.tok[x.ntok - 1], &y.tok[y.ntok - 1], &why, &dist);
    return why;
}

static void test_token_rules(void **state)
{
    static const struct {
        const char *a, *b;
        int why;
    } cases[] = {
        {"Soekarno", "Sukarno", NAMES_WHY_SPELLING},       /* oe/u */
        {"Djoko", "Joko", NAMES_WHY_SPELLING},             /* dj/j */
        {"Tjahjo", "Cahyo", NAMES_WHY_SPELLING},           /* tj/c + j/y */
        {"Sjahrir", "Syahrir", NAMES_WHY_SPELLING},        /* sj/sy */
        {"Njoman Arsa", "Nyoman Arsa", NAMES_WHY_EXACT},   /* last tokens */
        {"Achwan", "Akhwan", NAMES_WHY_SPELLING},          /* ch/kh */
        {"Jusuf", "Yusuf", NAMES_WHY_SPELLING},            /* j/y */
        {"Mochammad", "Muhammad", NAMES_WHY_VARIANT},
        {"Moh.", "Mohammed", NAMES_WHY_VARIANT},
        {"Muh", "Muhamad", NAMES_WHY_VARIANT},
        {"Mhd", "Mohamad", NAMES_WHY_VARIANT},
        {"Noor", "Nur", NAMES_WHY_VARIANT},
        {"Nurul", "Nur", NAMES_WHY_VARIANT},
        {"Abd.", "Abdul", NAMES_WHY_VARIANT},
        {"Sitti", "Siti", NAMES_WHY_VARIANT},
        {"Achmad", "Ahmad", NAMES_WHY_VARIANT},
        {"Hassan", "Hasan", NAMES_WHY_TRANSLIT},           /* doubled letter */
        {"Mahmoud", "Mahmud", NAMES_WHY_VARIANT},
        {"Fatima", "Fatimah", NAMES_WHY_VARIANT},
        {"Aminah", "Amina", NAMES_WHY_TRANSLIT},           /* final h */
        {"Pershada", "Persada", NAMES_WHY_TYPO},           /* insertion */
        {"Ibrahim", "Ibarhim", NAMES_WHY_TYPO},            /* transposition */
        {"Sholeh", "Soleh", NAMES_WHY_TYPO},
        {"Budi M.", "Budi Muhammad", NAMES_WHY_INITIAL},
        {"Moham", "Mohammadi", NAMES_WHY_PREFIX},          /* truncated MRZ name */
        {"bin", "ben", NAMES_WHY_VARIANT},                 /* patronymic particle */
        {"Ali Budi", "Ali Agus", 0},
        {"Li", "Lee", NAMES_WHY_TRANSLIT},                 /* ee/i */
        {"Lim", "Kim", 0},                                 /* short: no typo allowed */
        {"Chen", "Chan", NAMES_WHY_TYPO},                  /* four letters: one edit */
        {"Bill", "William", NAMES_WHY_VARIANT},            /* nickname */
        {"Bibi", "Benjamin", NAMES_WHY_VARIANT},
        {"Aleksandr", "Alexander", NAMES_WHY_VARIANT},     /* foreign spelling */
        {"Ron", "Donald", 0},    /* a nickname's typos are its own letters' */
        {"Bill", "Williams", 0}, /* not William's */
        {"Bell", "Bill", NAMES_WHY_TYPO},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        float sim;
        uint8_t why = why_of(cases[i].a, cases[i].b, &sim);
        if (why != cases[i].why)
            fail_msg("%s ~ %s: why %d, want %d", cases[i].a, cases[i].b, why, cases[i].why);
        if ((why == 0) != (sim == 0.0f))
            fail_msg("%s ~ %s: sim %f inconsistent with why", cases[i].a, cases[i].b, (double)sim);
    }
}

static void test_classes(void **state)
{
    struct names_name n;
    norm_ok("H. Drs. Ir. Made Wirawan bin Ketut, S.H.", &n);
    assert_int_equal(n.ntok, 8);
    assert_true(n.tok[0].flags & NAMES_TF_TITLE);                         /* H. */
    assert_true(n.tok[1].flags & NAMES_TF_TITLE);                         /* Drs. */
    assert_true(n.tok[2].flags & NAMES_TF_TITLE);                         /* Ir. */
    assert_true(n.tok[3].flags & NAMES_TF_BIRTH_ORDER);                   /* Made */
    assert_true(n.tok[5].flags & NAMES_TF_PARTICLE);                      /* bin */
    assert_true(n.tok[6].flags & NAMES_TF_BIRTH_ORDER);                   /* Ketut */
    assert_true(n.tok[7].flags & NAMES_TF_TITLE);                         /* S.H. */
    assert_float_equal(n.tok[0].weight, 0.0, 1e-6);
    assert_true(n.tok[4].weight > n.tok[3].weight);
    norm_ok("I Wayan Sudirta", &n);
    assert_true(n.tok[0].flags & NAMES_TF_GENDER); /* "I" is a word here */
    norm_ok("Budi I Santoso", &n);
    assert_true(n.tok[1].flags & NAMES_TF_INITIAL); /* ... and an initial here */
    norm_ok("Haji", &n); /* a title alone stays a name */
    assert_false(n.tok[0].flags & NAMES_TF_TITLE);
    norm_ok("Budi H. Santoso", &n); /* H. inside a name is an initial */
    assert_true(n.tok[1].flags & NAMES_TF_INITIAL);
    norm_ok("Theodore Bill", &n); /* a nickname class does not make a name very common */
    assert_float_equal(n.tok[0].weight, 1.0, 1e-6);
    assert_false(n.tok[0].flags & NAMES_TF_VCOMMON);
    assert_true(n.tok[1].flags & NAMES_TF_VCOMMON); /* William is, so is Bill */
    assert_string_equal(n.tok[1].canon, "william");
}

static int score(const char *a, const char *b)
{
    struct names_name x, y;
    struct names_result r;
    norm_ok(a, &x);
    norm_ok(b, &y);
    names_score(&x, NULL, &y, NULL, &r);
    return r.score;
}

static void test_order_split_join(void **state)
{
    assert_int_equal(score("Fauzi Ahmad Ridwan", "Ahmad Ridwan Fauzi"), 100);
    assert_int_equal(score("SALEK, ABDULHAI", "Abdulhai Salek"), 100);
    assert_true(score("Abdurrahman Wahid", "Abdur Rahman Wahid") >= 95);
    assert_true(score("Abdur Rahman Wahid", "Abdurrahman Wahid") >= 95);
    assert_true(score("Muhammad Hasni Khan Zarkari", "Muhammadhasni Khan Zarkari") >= 90);
    assert_true(score("Budi Santoso", "Agus Salim") < 20);
}

/* Hangul is romanised syllable-wise without ICU: a customary surname
 * apart, the given name one token; Revised Romanization eo/eu meet the
 * McCune-Reischauer o/u of the lists, and Kim/Gim, Park/Pak/Bak,
 * Lee/Rhee are variant classes. Korean j and y stay different names. */
static void test_korean(void **state)
{
    struct names_name n;
    (void)state;
    norm_ok("\xEA\xB9\x80\xEC\xA0\x95\xEC\x9D\x80", &n); /* Kim Jeong-eun */
    assert_int_equal(n.ntok, 2);
    assert_string_equal(n.tok[0].text, "kim");
    assert_string_equal(n.tok[1].text, "jeongeun");
    assert_true(n.tok[1].flags & NAMES_TF_SYLLABIC);
    norm_ok("\xEB\xB0\x95 \xEC\x9D\xB4", &n); /* one-syllable words: surnames */
    assert_string_equal(n.tok[0].text, "park");
    assert_string_equal(n.tok[1].text, "lee");
    assert_true(score("\xEA\xB9\x80\xEC\xA0\x95\xEC\x9D\x80", "Kim Jong Un") >= 90);
    assert_true(score("\xEB\xB0\x95\xEC\xA7\x80\xEC\x84\xB1", "Park Ji Sung") >= 80);
    assert_true(score("Gim Jong Un", "Kim Jong Un") >= 90);
    assert_true(score("Pak Pong Ju", "Park Pong Ju") >= 90);
    assert_true(score("Rhee Syngman", "Lee Syngman") >= 90);
    /* Yeong-sik is not Jong-sik, Eun-yeong is not Yeong-eun */
    assert_true(score("\xEA\xB9\x80\xEC\x98\x81\xEC\x8B\x9D", "Kim Jong Sik") <
                NAMES_DEFAULT_THRESHOLD);
    assert_true(score("\xEA\xB9\x80\xEC\x9D\x80\xEC\x98\x81", "Kim Yeong Eun") <
                NAMES_DEFAULT_THRESHOLD);
    /* a lone Korean surname is still a weak name */
    assert_true(score("\xEA\xB9\x80", "Kim") < NAMES_DEFAULT_THRESHOLD);
}

/* A word of Han ideographs is read one character at a time (each through
 * the transliteration cache, the second time from it): one token a
 * syllable, as ICU writes a whole word. */
static void test_han(void **state)
{
    struct names_name n;
    (void)state;
    for (int rep = 0; rep < 2; rep++) {
        norm_ok("\xE6\xAF\x9B\xE6\xB3\xBD\xE4\xB8\x9C", &n); /* Mao Zedong */
        assert_int_equal(n.ntok, 3);
        assert_string_equal(n.tok[0].text, "mao");
        assert_string_equal(n.tok[1].text, "ze");
        assert_string_equal(n.tok[2].text, "dong");
        assert_true(n.tok[0].flags & NAMES_TF_SYLLABIC);
    }
    assert_true(score("\xE6\xAF\x9B\xE6\xB3\xBD\xE4\xB8\x9C", "Mao Ze Dong") >= 90);
}

static void test_weak_names(void **state)
{
    struct names_name x, y;
    struct names_result r;
    struct names_facts fq = {0}, fc = {0};
    /* A mononym alone never reaches the default threshold ... */
    assert_true(score("Sukarno", "Sukarno") < NAMES_DEFAULT_THRESHOLD);
    assert_true(score("Siti", "Siti Aminah") < NAMES_DEFAULT_THRESHOLD);
    assert_true(score("Muhammad Ali", "Muhammad Ali") < NAMES_DEFAULT_THRESHOLD);
    assert_true(score("Wayan Sudirta", "Wayan Sudirta") < NAMES_DEFAULT_THRESHOLD);
    /* ... a full birth date corroborates it ... */
    norm_ok("Sukarno", &x);
    norm_ok("Soekarno", &y);
    assert_int_equal(names_facts_add_dob(&fq, "1901-06-06"), 0);
    assert_int_equal(names_facts_add_dob(&fc, "1901-06-06"), 0);
    names_score(&x, &fq, &y, &fc, &r);
    assert_true(r.score >= NAMES_DEFAULT_THRESHOLD);
    /* ... a year alone does not ... */
    fq.ndob = 0;
    assert_int_equal(names_facts_add_dob(&fq, "1901"), 0);
    names_score(&x, &fq, &y, &fc, &r);
    assert_true(r.score < NAMES_DEFAULT_THRESHOLD);
    /* ... and a document number is decisive whatever the name. */
    assert_int_equal(names_facts_add_doc(&fq, "a-123 456"), 0);
    assert_int_equal(names_facts_add_doc(&fc, "A123456"), 0);
    norm_ok("Someone Else", &x);
    names_score(&x, &fq, &y, &fc, &r);
    assert_true(r.doc_match);
    assert_true(r.score >= 95);
}

static void test_dates(void **state)
{
    struct names_date a, b;
    assert_int_equal(names_date_parse("1970-05-03", &a), 0);
    assert_int_equal(a.year, 1970), assert_int_equal(a.month, 5), assert_int_equal(a.day, 3);
    assert_int_equal(names_date_parse("1969-7-16", &a), 0);
    assert_int_equal(a.month, 7), assert_int_equal(a.day, 16);
    assert_int_equal(names_date_parse("1974-01-32", &a), 0); /* impossible day dropped */
    assert_int_equal(a.month, 1), assert_int_equal(a.day, 0);
    assert_int_equal(names_date_parse("1970..1974", &a), 0);
    assert_int_equal(a.year_to, 1974);
    assert_int_equal(names_date_parse("70-01-01", &a), ERR_INVALID);
    assert_int_equal(names_date_parse("1970-01-01x", &a), ERR_INVALID);
    assert_int_equal(names_date_parse("", &a), ERR_INVALID);
    names_date_parse("1970-05-03", &a);
    names_date_parse("1970-03-05", &b);
    assert_int_equal(names_date_compare(&a, &b), NAMES_DOB_SWAP);
    names_date_parse("1970", &b);
    assert_int_equal(names_date_compare(&a, &b), NAMES_DOB_YEAR);
    names_date_parse("1971-05-03", &b);
    assert_int_equal(names_date_compare(&a, &b), NAMES_DOB_NEAR);
    names_date_parse("1968..1972", &b);
    assert_int_equal(names_date_compare(&a, &b), NAMES_DOB_RANGE);
    names_date_parse("1980", &b);
    assert_int_equal(names_date_compare(&a, &b), NAMES_DOB_MISMATCH);
    /* the text of a date, against printf's, for every shape and the edges
     * (years 0-9999 written by hand, others by printf), and cut short */
    char got[32], want[32];
    uint32_t seed = 99;
    for (int n = 0; n < 20000; n++) {
        seed = seed * 1103515245u + 12345u;
        struct names_date d = {(int16_t)((int)(seed >> 8) % 12000 - 1000), 0,
                               (int8_t)((seed >> 4) % 14), (int8_t)((seed >> 12) % 33)};
        d.year_to = (int16_t)(d.year + (n % 3 == 0 ? (int)(seed >> 20) % 5 : 0));
        if (n % 7 == 0)
            d.month = (int8_t)(100 + n % 20), d.day = (int8_t)(n % 120);
        if (d.year == 0)
            snprintf(want, sizeof want, "?");
        else if (d.year_to > d.year)
            snprintf(want, sizeof want, "%04d..%04d", d.year, d.year_to);
        else if (d.month == 0)
            snprintf(want, sizeof want, "%04d", d.year);
        else if (d.day == 0)
            snprintf(want, sizeof want, "%04d-%02d", d.year, d.month);
        else
            snprintf(want, sizeof want, "%04d-%02d-%02d", d.year, d.month, d.day);
        names_date_format(&d, got, sizeof got);
        assert_string_equal(got, want);
        size_t cut = (size_t)(n % 9) + 1; /* a buffer too small keeps the start */
        names_date_format(&d, got, cut);
        assert_int_equal(strncmp(got, want, cut - 1), 0);
        assert_int_equal(strlen(got), strlen(want) < cut ? strlen(want) : cut - 1);
    }
}

static void test_countries_docs(void **state)
{
    char c[4], d[NAMES_DOC_MAX];
    assert_int_equal(names_country_code("IDN", c), 0), assert_string_equal(c, "IDN");
    assert_int_equal(names_country_code("id", c), 0), assert_string_equal(c, "IDN");
    assert_int_equal(names_country_code("Indonesia", c), 0), assert_string_equal(c, "IDN");
    assert_int_equal(names_country_code("Iran (Islamic Republic of)", c), 0);
    assert_string_equal(c, "IRN");
    assert_int_equal(names_country_code("Democratic People's Republic of Korea", c), 0);
    assert_string_equal(c, "PRK");
    assert_int_equal(names_country_code("Germany", c), 0), assert_string_equal(c, "D");
    assert_int_equal(names_country_code("Atlantis", c), ERR_NOTFOUND);
    assert_int_equal(names_doc_normalise(" b-12 345.6 ", d), 0), assert_string_equal(d, "B123456");
    assert_int_equal(names_doc_normalise("--", d), ERR_INVALID);
}

/* One number written five ways gives one international form; the trunk
 * prefix 0 is Indonesia's, "00" and "+" start a country code. */
static void test_phone_normalise(void **state)
{
    static const char *const same[] = {"+62 811-000-1234", "0062 811 000 1234",
                                       "62 811 0001234", "+62 (0)811 000 1234",
                                       "0811 000 1234", "(0811) 000.1234"};
    char p[NAMES_DOC_MAX], big[NAMES_DOC_MAX + 2];
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        assert_int_equal(names_phone_normalise(same[i], p), 0);
        assert_string_equal(p, "628110001234");
    }
    assert_int_equal(names_phone_normalise("+855 12 345 678", p), 0);
    assert_string_equal(p, "85512345678");
    assert_int_equal(names_phone_normalise("00855 12 345 678", p), 0);
    assert_string_equal(p, "85512345678");
    assert_int_equal(names_phone_normalise("812 345", p), 0), assert_string_equal(p, "812345");
    assert_int_equal(names_phone_normalise("tel: -", p), ERR_INVALID);
    assert_int_equal(names_phone_normalise("+", p), ERR_INVALID);
    assert_int_equal(names_phone_normalise("00", p), ERR_INVALID);
    assert_int_equal(names_phone_normalise(NULL, p), ERR_INVALID);
    memset(big, '1', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(names_phone_normalise(big, p), ERR_INVALID);
    big[NAMES_DOC_MAX - 1] = '\0'; /* the most digits that fit */
    assert_int_equal(names_phone_normalise(big, p), 0);
    big[0] = '0'; /* the country code makes it one too long */
    assert_int_equal(names_phone_normalise(big, p), ERR_INVALID);
}

static void test_bad_input(void **state)
{
    struct names_name n;
    char big[LIMIT_NAME + 2];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(names_normalise(norm, big, strlen(big), &n), ERR_LIMIT);
    assert_int_equal(names_normalise(norm, "\xff\xfe", 2, &n), ERR_INVALID);
    assert_int_equal(names_normalise(norm, "a\0b", 3, &n), ERR_INVALID);
    assert_int_equal(names_normalise(norm, "... --- 123", 11, &n), ERR_INVALID);
    assert_int_equal(names_normalise(norm, "", 0, &n), ERR_INVALID);
    /* 20 words keep LIMIT_NAME_TOKENS and say so */
    const char *many = "a b c d e f g h i j k l m n o p q r s t";
    assert_int_equal(names_normalise(norm, many, strlen(many), &n), 0);
    assert_int_equal(n.ntok, LIMIT_NAME_TOKENS);
    assert_true(n.truncated);
}

/* Optimal string alignment distance, the plain table. */
static unsigned osa_distance(const char *a, size_t la, const char *b, size_t lb)
{
    static unsigned d[NAMES_TOKEN_MAX * 2 + 1][NAMES_TOKEN_MAX * 2 + 1];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            unsigned v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            v = d[i - 1][j] + 1 < v ? d[i - 1][j] + 1 : v;
            v = d[i][j - 1] + 1 < v ? d[i][j - 1] + 1 : v;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

static void test_edit_distance(void **state)
{
    assert_int_equal(names_edit_distance("kitten", 6, "sitting", 7, 5), 3);
    assert_int_equal(names_edit_distance("ab", 2, "ba", 2, 5), 1);
    assert_int_equal(names_edit_distance("abc", 3, "abc", 3, 0), 0);
    assert_int_equal(names_edit_distance("abcdef", 6, "ghijkl", 6, 2), 3); /* capped: max+1 */
    /* against a plain table over random words of a small alphabet: the
     * shortcuts (lengths, letters missing from the other word, a row above
     * the cap) give the same answer */
    uint32_t seed = 12345;
    for (int n = 0; n < 20000; n++) {
        char a[10], b[10];
        size_t la, lb;
        seed = seed * 1103515245u + 12345u;
        la = 1 + (seed >> 16) % 9;
        seed = seed * 1103515245u + 12345u;
        lb = 1 + (seed >> 16) % 9;
        for (size_t i = 0; i < la; i++)
            seed = seed * 1103515245u + 12345u, a[i] = (char)('a' + (seed >> 16) % 5);
        for (size_t i = 0; i < lb; i++)
            seed = seed * 1103515245u + 12345u, b[i] = (char)('a' + (seed >> 16) % 5);
        unsigned max = (unsigned)(n % 4), want = osa_distance(a, la, b, lb);
        assert_int_equal(names_edit_distance(a, la, b, lb, max), want > max ? max + 1 : want);
    }
    /* long words, both sides of the 64 letters the bit-vector method holds
     * (the shorter word is its pattern; longer ones take the table), with
     * an uncapped budget so that the whole distance is compared; words of
     * two or three letters cross often (transpositions) */
    for (int n = 0; n < 6000; n++) {
        char a[NAMES_TOKEN_MAX * 2], b[NAMES_TOKEN_MAX * 2];
        seed = seed * 1103515245u + 12345u;
        size_t la = (seed >> 16) % (NAMES_TOKEN_MAX * 2);
        seed = seed * 1103515245u + 12345u;
        size_t lb = la + (seed >> 16) % 5 > 2 ? la + (seed >> 16) % 5 - 2 : 0;
        lb = lb < NAMES_TOKEN_MAX * 2 ? lb : NAMES_TOKEN_MAX * 2 - 1;
        unsigned k = 2 + (unsigned)n % 2;
        for (size_t i = 0; i < la; i++)
            seed = seed * 1103515245u + 12345u, a[i] = (char)('a' + (seed >> 16) % k);
        for (size_t i = 0; i < lb; i++) { /* a copy of a with a few edits, or fresh */
            seed = seed * 1103515245u + 12345u;
            b[i] = i < la && (seed >> 16) % 8 != 0 ? a[i] : (char)('a' + (seed >> 20) % k);
        }
        if (lb >= 2 && n % 3 == 0) { /* two letters crossed */
            size_t i = (seed >> 8) % (lb - 1);
            char t = b[i];
            b[i] = b[i + 1], b[i + 1] = t;
        }
        unsigned want = osa_distance(a, la, b, lb);
        assert_int_equal(names_edit_distance(a, la, b, lb, 200), want);
        assert_int_equal(names_edit_distance(b, lb, a, la, 200), want);
    }
}


/* The sim matrix names_align builds (titles 0), and the alignment's
 * similarity against names_align_bound. */
static float bound_and_sim(const struct names_name *q, const struct names_name *c, float *sim_out)
{
    float sim[LIMIT_NAME_TOKENS][LIMIT_NAME_TOKENS] = {{0}};
    uint8_t why[LIMIT_NAME_TOKENS][LIMIT_NAME_TOKENS] = {{0}};
    uint8_t dist[LIMIT_NAME_TOKENS][LIMIT_NAME_TOKENS] = {{0}};
    struct names_view qv, cv;
    struct names_align al;
    names_view_of(q, &qv);
    names_view_of(c, &cv);
    for (size_t i = 0; i < q->ntok; i++)
        for (size_t j = 0; j < c->ntok; j++)
            sim[i][j] = (q->tok[i].flags | c->tok[j].flags) & NAMES_TF_TITLE
                            ? 0.0f
                            : names_token_sim(&q->tok[i], &c->tok[j], &why[i][j], &dist[i][j]);
    names_align_view(&qv, &cv, sim, why, dist, &al);
    *sim_out = al.sim;
    return names_align_bound(&qv, &cv, sim);
}

/* names_align_bound is never below the similarity the alignment gives:
 * every pair of a list of names that join, split, abbreviate, misspell
 * and nearly miss each other, and of their letters mutated at random; and
 * it is well below 1 for names that share little (a bound of 1 would pass
 * the first part). */
static void test_align_bound(void **state)
{
    static const char *names[] = {
        "Abdur Rahman Wahid", "Abdurrahman Wahid", "ABDURRAHMAN", "Abd. Rahman bin Wahid",
        "Muhammad Sholeh Ibrahim", "Muh Sholeh Ibrahim", "M. Soleh Ibrohim", "H. Muhammad Soleh",
        "Arefullaha Ref", "Arefullah Aref", "Chang Myongc-Hin", "Chang Myong-Chin", "Dr Drissi",
        "Kim Jong Un", "Kim Jongun", "Jong-Un Kim", "I Wayan Sudirta", "Ni Made Sudirta",
        "Siti Nurhaliza binti Tarudin", "Siti Nur Haliza", "Djoko Amtiran", "Joko Amtiran",
        "Soekarno", "Sukarno Putra", "Daniel Lad", "Daniela", "Danielle", "Daniel Le",
        "Katherine Eko", "Kate Eko", "Mary Marisol", "Iwan Marisol", "Wibowo S.", "Wibowo Santoso",
        "Hj. Nur Aini", "Noor Aini", "Oleksandr Oleksandrovych", "Angga Dimas Pershada",
        "Angga Dimas Persada", "Persadha", "Budi Budi", "Budi Santoso", "Ivan Hartono", "Iwan",
        "Mohammed Ibrahim Al David", "Muh Susan", "Clarissa Lane", "Lance", "Fridrich Buchenberg",
        "FridrichBuchenberg", "Nguyen Van An", "Van An Nguyen", "Mochammad Achwan", "Achwan",
    };
    size_t n = sizeof names / sizeof names[0];
    struct names_name *all = calloc(n * 4, sizeof *all);
    assert_non_null(all);
    uint32_t seed = 777;
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        norm_ok(names[k], &all[m++]);
        for (int v = 0; v < 3; v++) { /* a letter dropped, doubled or changed */
            char b[128];
            size_t l = strlen(names[k]);
            memcpy(b, names[k], l + 1);
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 16) % l;
            if (v == 0)
                memmove(b + at, b + at + 1, l - at);
            else if (v == 1 && l + 1 < sizeof b)
                memmove(b + at + 1, b + at, l - at + 1);
            else if (b[at] != ' ')
                b[at] = (char)('a' + (seed >> 20) % 26);
            if (names_normalise(norm, b, strlen(b), &all[m]) == 0 && all[m].ntok > 0)
                m++;
        }
    }
    size_t low = 0;
    for (size_t a = 0; a < m; a++)
        for (size_t b = 0; b < m; b++) {
            float sim, bound = bound_and_sim(&all[a], &all[b], &sim);
            if (bound + 1e-6f < sim)
                fail_msg("bound %.4f below the similarity %.4f (pair %zu, %zu)", bound, sim, a,
                         b);
            low += bound < 0.5f;
        }
    print_message("align bound: %zu of %zu pairs below 0.5\n", low, m * m);
    assert_true(low > m * m / 3);
    float sim;
    struct names_name x, y;
    norm_ok("Clarissa Lane", &x);
    norm_ok("Lance", &y);
    assert_true(bound_and_sim(&x, &y, &sim) < 0.62f); /* the misspelling counts */
    norm_ok("Budi Santoso", &x);
    norm_ok("Budi Hartono Wijaya", &y);
    assert_true(bound_and_sim(&x, &y, &sim) < 0.5f); /* and the words on both sides unmatched */
    free(all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_sorted),  cmocka_unit_test(test_token_rules),
        cmocka_unit_test(test_classes),        cmocka_unit_test(test_order_split_join),
        cmocka_unit_test(test_weak_names),     cmocka_unit_test(test_dates),
        cmocka_unit_test(test_countries_docs),
        cmocka_unit_test(test_phone_normalise), cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_edit_distance),  cmocka_unit_test(test_korean),
        cmocka_unit_test(test_han),            cmocka_unit_test(test_align_bound),
    };
    if (names_norm_new(&norm) != 0)
        return 1;
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    names_norm_free(norm);
    return r;
}
