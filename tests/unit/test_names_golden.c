/* Golden tests for domain/names: tests/golden/names/normalise.txt (input ->
 * tokens with their keys and classes), pairs.txt (name pairs -> score range
 * and reasons, including the token alignment and why each pair matched) and
 * facts.txt (the same with birth dates and nationalities). Every line is one
 * case; a failure prints the file, the line, what was expected and got. */
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

static void test_normalise_golden(void **state)
{
    FILE *f = open_golden("normalise.txt");
    char line[1024], got[1024];
    int lineno = 0, cases = 0, bad = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        lineno++;
        char *sep = strstr(line, " => ");
        if (line[0] == '#' || sep == NULL)
            continue;
        *sep = '\0';
        char *in = trim(line), *want = trim(sep + 4);
        struct names_name n;
        int r = names_normalise(norm, in, strlen(in), &n);
        if (r == 0)
            render(&n, got, sizeof got);
        else
            snprintf(got, sizeof got, "error %d", r);
        cases++;
        if (strcmp(got, want) != 0) {
            print_error("normalise.txt:%d: %s\n  want %s\n  got  %s\n", lineno, in, want, got);
            bad++;
        }
    }
    fclose(f);
    assert_true(cases > 20);
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
    struct names_name a, b;
    struct names_result r;
    struct names_reasons rs;
    char *want[16], *end;
    if (names_normalise(norm, q, strlen(q), &a) != 0 || names_normalise(norm, c, strlen(c), &b)) {
        print_error("%s:%d: cannot normalise\n", file, lineno);
        return 1;
    }
    names_score(&a, qf, &b, cf, &r);
    names_explain(&a, &b, &r, NULL, false, &rs);
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

static void test_pairs_golden(void **state)
{
    FILE *f = open_golden("pairs.txt");
    char line[1024];
    int lineno = 0, cases = 0, bad = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        char *fl[4];
        lineno++;
        if (line[0] == '#' || split(line, '|', fl, 4) < 3)
            continue;
        cases++;
        bad += check_case("pairs.txt", lineno, fl[0], NULL, fl[1], NULL, fl[2],
                          fl[3] != NULL ? fl[3] : (char *)"");
    }
    fclose(f);
    assert_true(cases > 25);
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
