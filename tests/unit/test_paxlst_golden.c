/* Golden tests for domain/paxlst: every sample in ../shared/data/paxlst is
 * parsed and each person line and the summary line are compared with
 * tests/golden/paxlst/<sample>.jsonl. The expected files were written by
 * hand from the samples' README and the files themselves (see the README
 * next to them). Problems are compared as a multiset of (field, code,
 * document); their wording, segment numbers and flight index are not part
 * of the golden. Also checks that each ediclean original gives the same
 * persons as its cleaned reference, and that no sample lacks a golden. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <jansson.h>

#include "domain/manifest_json.h"
#include "domain/paxlst.h"
#include "util/buf.h"
#include "util/timeutil.h"

#define SAMPLES "../shared/data/paxlst"
#define GOLDEN "tests/golden/paxlst"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *p = malloc(cap);
    size_t k;
    while (p != NULL && (k = fread(p + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            char *q = realloc(p, cap *= 2);
            if (q == NULL) {
                free(p);
                p = NULL;
            }
            p = q;
        }
    }
    fclose(f);
    if (p != NULL)
        p[n < cap ? n : cap - 1] = '\0';
    *len = n;
    return p;
}

static struct paxlst_options golden_options(void)
{
    return (struct paxlst_options){.today = time_days_from_civil(2026, 1, 1)};
}

static struct paxlst_manifest *parse_sample(const char *name)
{
    char path[512];
    size_t len = 0;
    snprintf(path, sizeof path, "%s/%s", SAMPLES, name);
    char *data = slurp(path, &len);
    if (data == NULL)
        fail_msg("cannot read %s", path);
    struct paxlst_options opt = golden_options();
    struct paxlst_manifest *m = NULL;
    struct buf why;
    buf_init(&why, 1024);
    int r = paxlst_parse(data, len, &opt, &m, &why);
    if (r != 0)
        fail_msg("%s: parse failed (%d): %s", name, r, buf_cstr(&why));
    buf_free(&why);
    free(data);
    return m;
}

static int compare_sort_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replaces obj["problems"] by null and returns the problems as a sorted
 * list of "field|code|document" lines (a new string). */
static char *take_problems(json_t *obj)
{
    json_t *a = json_object_get(obj, "problems");
    size_t n = json_is_array(a) ? json_array_size(a) : 0;
    char **keys = calloc(n + 1, sizeof *keys);
    struct buf out;
    buf_init(&out, 1 << 20);
    for (size_t i = 0; i < n; i++) {
        json_t *p = json_array_get(a, i);
        json_t *d = json_object_get(p, "document");
        char line[160];
        snprintf(line, sizeof line, "%s|%s|%lld", json_string_value(json_object_get(p, "field")),
                 json_string_value(json_object_get(p, "code")),
                 d != NULL ? (long long)json_integer_value(d) : 1LL);
        keys[i] = strdup(line);
    }
    qsort(keys, n, sizeof *keys, compare_sort_strings);
    for (size_t i = 0; i < n; i++) {
        buf_printf(&out, "%s\n", keys[i]);
        free(keys[i]);
    }
    free(keys);
    if (a != NULL)
        json_object_set_new(obj, "problems", json_null());
    return buf_steal(&out, NULL);
}

/* Compares one actual object with the expected one; prints both on a
 * difference. Returns 0 when equal. */
static int compare(const char *where, json_t *want, json_t *got)
{
    char *pw = take_problems(want), *pg = take_problems(got);
    json_t *sw = json_object_get(want, "summary"), *sg = json_object_get(got, "summary");
    char *spw = NULL, *spg = NULL;
    if (sw != NULL && sg != NULL) {
        spw = take_problems(sw);
        spg = take_problems(sg);
    }
    int diff =
        !json_equal(want, got) || strcmp(pw, pg) != 0 || (spw != NULL && strcmp(spw, spg) != 0);
    if (diff) {
        char *a = json_dumps(want, JSON_SORT_KEYS | JSON_COMPACT);
        char *b = json_dumps(got, JSON_SORT_KEYS | JSON_COMPACT);
        fprintf(stderr, "%s:\n want %s\n got  %s\n want problems:\n%s%s got problems:\n%s%s\n",
                where, a, b, pw, spw ? spw : "", pg, spg ? spg : "");
        free(a);
        free(b);
    }
    free(pw);
    free(pg);
    free(spw);
    free(spg);
    return diff;
}

static int check_sample(const char *name)
{
    char path[512];
    size_t len = 0, line = 0;
    int diffs = 0;
    snprintf(path, sizeof path, "%s/%s.jsonl", GOLDEN, name);
    char *golden = slurp(path, &len);
    if (golden == NULL)
        fail_msg("no golden file %s", path);
    struct paxlst_manifest *m = parse_sample(name);
    for (char *l = golden, *nl; *l != '\0'; l = nl) {
        nl = strchr(l, '\n');
        nl = nl != NULL ? (*nl = '\0', nl + 1) : l + strlen(l);
        if (*l == '\0')
            continue;
        json_error_t e;
        json_t *want = json_loads(l, 0, &e);
        if (want == NULL)
            fail_msg("%s line %zu: bad JSON: %s", path, line + 1, e.text);
        json_t *got = NULL;
        if (json_object_get(want, "summary") != NULL)
            got = json_pack("{s:o}", "summary", manifest_summary_json(m));
        else if (line < m->npersons)
            got = manifest_person_json(m, line);
        char where[600];
        snprintf(where, sizeof where, "%s line %zu", path, line + 1);
        if (got == NULL) {
            fprintf(stderr, "%s: parser has no person %zu\n", where, line + 1);
            diffs++;
        } else {
            diffs += compare(where, want, got);
        }
        json_decref(want);
        json_decref(got);
        line++;
    }
    if (line != m->npersons + 1) {
        fprintf(stderr, "%s: %zu golden lines, parser gave %zu persons + summary\n", path, line,
                m->npersons);
        diffs++;
    }
    paxlst_free(m);
    free(golden);
    return diffs;
}

static void test_every_sample_has_golden(void **state)
{
    DIR *d = opendir(SAMPLES);
    assert_non_null(d);
    struct dirent *e;
    char **names = calloc(256, sizeof *names);
    size_t n = 0;
    while ((e = readdir(d)) != NULL && n < 256) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0)
            continue;
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, compare_sort_strings);
    int diffs = 0;
    for (size_t i = 0; i < n; i++) {
        diffs += check_sample(names[i]);
        free(names[i]);
    }
    free(names);
    assert_true(n >= 14);
    assert_int_equal(diffs, 0);
}

/* The cleaned reference of an ediclean capture holds the same persons. */
static void test_ediclean_same_persons(void **state)
{
    static const char *const pairs[][2] = {
        {"ediclean_original_A.txt", "ediclean_reference_A.txt"},
        {"ediclean_original_B.txt", "ediclean_reference_B.txt"},
        {"ediclean_original_F.txt", "ediclean_reference_F.txt"},
    };
    for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
        struct paxlst_manifest *a = parse_sample(pairs[k][0]);
        struct paxlst_manifest *b = parse_sample(pairs[k][1]);
        assert_int_equal(a->npersons, b->npersons);
        assert_true(a->npersons > 0);
        for (size_t i = 0; i < a->npersons; i++) {
            json_t *ja = manifest_person_json(a, i), *jb = manifest_person_json(b, i);
            char *pa = take_problems(ja), *pb = take_problems(jb);
            assert_true(json_equal(ja, jb));
            assert_string_equal(pa, pb);
            free(pa);
            free(pb);
            json_decref(ja);
            json_decref(jb);
        }
        paxlst_free(a);
        paxlst_free(b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_sample_has_golden),
        cmocka_unit_test(test_ediclean_same_persons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
