/* Golden tests for domain/names: tests/golden/names/normalise.txt (input ->
 * tokens with their keys and classes), pairs.txt (name pairs -> score range
 * and reasons, including the token alignment and why each pair matched) and
 * facts.txt (the same with birth dates and nationalities), and the files by
 * script beside them (normalise_arabic.txt, pairs_han.txt, ...). A name with
 * several readings (Han) renders them all, joined by " || ", and a pair
 * scores its best pair of readings. Every line is one case; a failure prints
 * the file, the line, what was expected and got. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/names.h"

static struct names_norm *norm;

static char *trim(char *s)
{
    while (*s == ' ')
        s++;
    size_t l = strlen(s);
    while (l > 0 && (s[l - 1] == ' ' || s[l - 1] == '\n' || s[l - 1] == '\r'))
        s[--l] = '\0';
    return s;
}

/* Splits s at sep into at most max trimmed fields. */
static size_t split(char *s, char sep, char **f, size_t max)
{
    size_t n = 0;
    while (n < max) {
        char *p = strchr(s, sep);
        if (p != NULL)
            *p = '\0';
        f[n++] = trim(s);
        if (p == NULL)
            break;
        s = p + 1;
    }
    return n;
}

static void render(const struct names_name *n, char *out, size_t outsz)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n->ntok && o + 1 < outsz; i++) {
        const struct names_token *t = &n->tok[i];
        const char *cls = (t->flags & NAMES_TF_TITLE)         ? ":title"
                          : (t->flags & NAMES_TF_PARTICLE)    ? ":particle"
                          : (t->flags & NAMES_TF_BIRTH_ORDER) ? ":birth"
                          : (t->flags & NAMES_TF_GENDER)      ? ":gender"
                          : (t->flags & NAMES_TF_INITIAL)     ? ":initial"
                                                              : "";
        bool keyed = strcmp(t->text, t->canon) != 0 && cls[0] == '\0';
        o += (size_t)snprintf(out + o, outsz - o, "%s%s%s%s%s", i ? " " : "", t->text,
                              keyed ? ">" : "", keyed ? t->canon : "", cls);
    }
}

static FILE *open_golden(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "tests/golden/names/%s", name);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        fail_msg("cannot open %s (run from the project root)", path);
    return f;
}

/* Golden files by script beside the main ones: each must exist. */
static const char *const extra[] = {"arabic", "han", "hebrew"};

/* Checks one normalisation file; returns the failures and adds the cases. */
static int normalise_file(const char *name, int *cases)
{
    FILE *f = open_golden(name);
    char line[1024], got[1024];
    int lineno = 0, bad = 0;
    if (f == NULL)
        return 1;
    while (fgets(line, sizeof line, f) != NULL) {
        lineno++;
        char *sep = strstr(line, " => ");
        if (line[0] == '#' || sep == NULL)
            continue;
        *sep = '\0';
        char *in = trim(line), *want = trim(sep + 4);
        struct names_name n[NAMES_MAX_READINGS];
        int r = names_normalise_readings(norm, in, strlen(in), n, NAMES_MAX_READINGS);
        got[0] = '\0';
        for (int k = 0; k < r; k++) { /* other readings after " || " */
            size_t o = strlen(got);
            if (k > 0)
                o += (size_t)snprintf(got + o, sizeof got - o, " || ");
            render(&n[k], got + o, sizeof got - o);
        }
        if (r <= 0)
            snprintf(got, sizeof got, "error %d", r);
        (*cases)++;
        if (strcmp(got, want) != 0) {
            print_error("%s:%d: %s\n  want %s\n  got  %s\n", name, lineno, in, want, got);
            bad++;
        }
    }
    fclose(f);
    return bad;
}

static void test_normalise_golden(void **state)
{
    char name[64];
    int cases = 0, bad = normalise_file("normalise.txt", &cases);
    assert_true(cases > 20);
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
        int before = cases;
        snprintf(name, sizeof name, "normalise_%s.txt", extra[i]);
        bad += normalise_file(name, &cases);
        assert_true(cases > before);
    }
    assert_int_equal(bad, 0);
}

static bool has_reason(const struct names_reasons *rs, const char *want)
{
    for (size_t i = 0; i < rs->n; i++)
        if (strstr(rs->text[i], want) != NULL)
            return true;
    return false;
}

/* Checks one scored case; returns 1 when it fails. */
static int check_case(const char *file, int lineno, const char *q, const struct names_facts *qf,
                      const char *c, const struct names_facts *cf, char *range, char *reasons)
{
    struct names_name a[NAMES_MAX_READINGS], b[NAMES_MAX_READINGS];
    struct names_result r;
    struct names_reasons rs;
    char *want[16], *end;
    int na = names_normalise_readings(norm, q, strlen(q), a, NAMES_MAX_READINGS);
    int nb = names_normalise_readings(norm, c, strlen(c), b, NAMES_MAX_READINGS);
    size_t ai, bi;
    if (na <= 0 || nb <= 0) {
        print_error("%s:%d: cannot normalise\n", file, lineno);
        return 1;
    }
    names_score_readings(a, (size_t)na, qf, b, (size_t)nb, cf, &r, &ai, &bi);
    names_explain(&a[ai], &b[bi], &r, NULL, false, &rs);
    int lo = (int)strtol(range, &end, 10), hi = -1;
    if (end[0] == '.' && end[1] == '.')
        hi = (int)strtol(end + 2, NULL, 10);
    int fail = r.score < lo || r.score > hi;
    size_t nw = reasons[0] != '\0' ? split(reasons, ';', want, 16) : 0;
    for (size_t i = 0; i < nw; i++)
        fail |= !has_reason(&rs, want[i]);
    if (fail) {
        print_error("%s:%d: %s ~ %s: score %d, want %d..%d; reasons:\n", file, lineno, q, c,
                    r.score, lo, hi);
        for (size_t i = 0; i < rs.n; i++)
            print_error("    %s\n", rs.text[i]);
    }
    return fail;
}

/* Checks one pairs file; returns the failures and adds the cases. */
static int pairs_file(const char *name, int *cases)
{
    FILE *f = open_golden(name);
    char line[1024];
    int lineno = 0, bad = 0;
    if (f == NULL)
        return 1;
    while (fgets(line, sizeof line, f) != NULL) {
        char *fl[4] = {0};
        lineno++;
        if (line[0] == '#' || split(line, '|', fl, 4) < 3)
            continue;
        (*cases)++;
        bad += check_case(name, lineno, fl[0], NULL, fl[1], NULL, fl[2],
                          fl[3] != NULL ? fl[3] : (char *)"");
    }
    fclose(f);
    return bad;
}

static void test_pairs_golden(void **state)
{
    char name[64];
    int cases = 0, bad = pairs_file("pairs.txt", &cases);
    assert_true(cases > 25);
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
        int before = cases;
        snprintf(name, sizeof name, "pairs_%s.txt", extra[i]);
        bad += pairs_file(name, &cases);
        assert_true(cases > before);
    }
    assert_int_equal(bad, 0);
}

static void test_facts_golden(void **state)
{
    FILE *f = open_golden("facts.txt");
    char line[1024];
    int lineno = 0, cases = 0, bad = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        char *fl[8] = {0};
        struct names_facts qf = {0}, cf = {0};
        lineno++;
        if (line[0] == '#' || split(line, '|', fl, 8) < 7)
            continue;
        if ((fl[1][0] && names_facts_add_dob(&qf, fl[1])) ||
            (fl[2][0] && names_facts_add_nat(&qf, fl[2])) ||
            (fl[4][0] && names_facts_add_dob(&cf, fl[4])) ||
            (fl[5][0] && names_facts_add_nat(&cf, fl[5]))) {
            print_error("facts.txt:%d: bad date or country\n", lineno);
            bad++;
            continue;
        }
        cases++;
        bad += check_case("facts.txt", lineno, fl[0], &qf, fl[3], &cf, fl[6],
                          fl[7] != NULL ? fl[7] : (char *)"");
    }
    fclose(f);
    assert_true(cases >= 8);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalise_golden),
        cmocka_unit_test(test_pairs_golden),
        cmocka_unit_test(test_facts_golden),
    };
    if (names_norm_new(&norm) != 0)
        return 1;
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    names_norm_free(norm);
    return r;
}
