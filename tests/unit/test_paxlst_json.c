/* Unit tests for domain/manifest_json: the JSON manifest form is read into
 * the same model as PAXLST (checked by feeding every shared PAXLST sample's
 * persons back in as JSON), structural faults name their field, and the
 * renderers produce what the contract needs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>

#include "domain/manifest_json.h"
#include "domain/paxlst.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/limits.h"
#include "util/timeutil.h"

#define SAMPLES "../shared/data/paxlst"

static struct paxlst_options opts(void)
{
    return (struct paxlst_options){.today = time_days_from_civil(2026, 1, 1)};
}

static struct paxlst_manifest *json_ok(const char *s)
{
    struct paxlst_options o = opts();
    struct paxlst_manifest *m = NULL;
    struct buf why;
    buf_init(&why, 1024);
    int r = manifest_json_parse(s, strlen(s), &o, &m, &why);
    if (r != 0)
        fail_msg("parse failed: %d %s", r, buf_cstr(&why));
    buf_free(&why);
    return m;
}

static size_t count(const struct paxlst_manifest *m, size_t person, enum paxlst_field f,
                    enum paxlst_code c)
{
    size_t first = 0, n = m->manifest_problems, k = 0;
    if (person != PAXLST_NONE) {
        first = m->persons[person].problem_first;
        n = m->persons[person].problem_count;
    }
    for (size_t i = first; i < first + n; i++)
        if (m->problems[i].field == f && m->problems[i].code == c)
            k++;
    return k;
}

static void test_json_basic(void **state)
{
    struct paxlst_manifest *m = json_ok(
        "{\"flight\": {\"carrier\": \"GA\", \"flight\": \"GA880\", \"departure_port\": \"CGK\","
        " \"departure_time\": \"2025-05-01T10:00\", \"arrival_port\": \"NRT\","
        " \"list_type\": \"passengers\"},"
        " \"persons\": ["
        "  {\"role\": \"passenger\", \"surname\": \"Siti Nurhaliza\", \"given_names\": null,"
        "   \"birth_date\": \"1998-04-12\", \"sex\": \"F\", \"nationality\": \"IDN\","
        "   \"document_number\": \"C1234567\", \"document_type\": \"P\","
        "   \"document_issuer\": \"IDN\", \"document_expiry\": \"2029-01-01\","
        "   \"port_of_embarkation\": \"CGK\", \"booking_ref\": \"ABC123\","
        "   \"address\": {\"city\": \"Surabaya\", \"country\": \"IDN\"}},"
        "  {\"role\": \"crew\", \"surname\": \"\xE0\xB8\x81\", \"in_transit\": true,"
        "   \"documents\": [{\"type\": \"P\", \"number\": \"X1\", \"issuer\": \"THA\","
        "                   \"expiry\": \"2020-01-01\"}, {\"type\": \"AC\", \"number\": \"C9\"}]}"
        " ]}");
    assert_int_equal(m->source, PAXLST_FROM_JSON);
    assert_int_equal(m->npersons, 2);
    assert_int_equal(m->nproblems, m->persons[1].problem_count);
    assert_int_equal(m->persons[0].problem_count, 0);
    assert_string_equal(m->persons[0].surname, "Siti Nurhaliza"); /* no UNOA rule in JSON */
    assert_string_equal(m->persons[0].address.city, "Surabaya");
    assert_string_equal(m->flights[0].carrier, "GA");
    assert_int_equal(m->flights[0].list, PAXLST_LIST_PASSENGERS);
    const struct paxlst_person *c = &m->persons[1];
    assert_int_equal(c->role, PAXLST_CREW);
    assert_true(c->in_transit);
    assert_int_equal(c->ndocs, 2);
    assert_int_equal(count(m, 1, PAXLST_F_DOC_EXPIRY, PAXLST_EXPIRED), 1);
    assert_int_equal(count(m, 1, PAXLST_F_BIRTH_DATE, PAXLST_MISSING), 1);
    assert_int_equal(count(m, 1, PAXLST_F_NATIONALITY, PAXLST_MISSING), 1);
    assert_int_equal(count(m, 1, PAXLST_F_SEX, PAXLST_MISSING), 1);
    json_t *j = manifest_person_json(m, 1);
    assert_int_equal(json_array_size(json_object_get(j, "documents")), 2);
    assert_string_equal(json_string_value(json_object_get(j, "document_number")), "X1");
    assert_true(json_is_null(json_object_get(j, "birth_date")));
    assert_true(json_is_true(json_object_get(j, "in_transit")));
    json_decref(j);
    j = manifest_summary_json(m);
    assert_string_equal(json_string_value(json_object_get(j, "source")), "json");
    assert_null(json_object_get(j, "interchange"));
    assert_int_equal(json_integer_value(json_object_get(j, "crew")), 1);
    /* the flight has no arrival time: not required; nothing else is missing */
    assert_int_equal(json_array_size(json_object_get(j, "problems")), 0);
    json_decref(j);
    paxlst_free(m);
}

static void test_json_errors(void **state)
{
    static const struct {
        const char *in;
        int r;
        const char *why;
    } cases[] = {
        {"[]", ERR_INVALID, "body: must be a JSON object"},
        {"{}", ERR_INVALID, "persons: must be an array"},
        {"{\"persons\": [], \"extra\": 1}", ERR_INVALID, "extra: unknown field"},
        {"{\"persons\": [{\"role\": \"pilot\"}]}", ERR_INVALID,
         "persons[0].role: must be \"passenger\" or \"crew\""},
        {"{\"persons\": [{}]}", ERR_INVALID, "persons[0].role: must be"},
        {"{\"persons\": [{\"role\": \"crew\", \"surnme\": \"X\"}]}", ERR_INVALID,
         "persons[0].surnme: unknown field"},
        {"{\"persons\": [{\"role\": \"crew\", \"surname\": 5}]}", ERR_INVALID,
         "persons[0].surname: must be a string or null"},
        {"{\"persons\": [{\"role\": \"crew\"}, {\"role\": \"crew\", \"sex\": []}]}", ERR_INVALID,
         "persons[1].sex: must be a string or null"},
        {"{\"persons\": [{\"role\": \"crew\", \"document_number\": \"1\", \"documents\": []}]}",
         ERR_INVALID, "persons[0].document_number: differs from documents[0]"},
        {"{\"persons\": [{\"role\": \"crew\", \"document_number\": \"1\","
         " \"documents\": [{\"number\": \"2\"}]}]}",
         ERR_INVALID, "persons[0].document_number: differs from documents[0]"},
        {"{\"persons\": [{\"role\": \"crew\", \"documents\": [{\"num\": \"1\"}]}]}", ERR_INVALID,
         "persons[0].documents[0].num: unknown field"},
        {"{\"persons\": [{\"role\": \"crew\", \"documents\": {}}]}", ERR_INVALID,
         "persons[0].documents: must be an array"},
        {"{\"persons\": [{\"role\": \"crew\", \"documents\": [{},{},{},{},{}]}]}", ERR_INVALID,
         "persons[0].documents: has more entries"},
        {"{\"flight\": [], \"persons\": []}", ERR_INVALID, "flight: must be an object"},
        {"{\"flight\": {\"list_type\": \"cargo\"}, \"persons\": []}", ERR_INVALID,
         "flight.list_type: must be"},
        {"{\"flight\": {\"gate\": \"A1\"}, \"persons\": []}", ERR_INVALID,
         "flight.gate: unknown field"},
        {"{\"persons\": [{\"role\": \"crew\", \"in_transit\": \"yes\"}]}", ERR_INVALID,
         "persons[0].in_transit: must be true or false"},
        {"{\"persons\": [{\"role\": \"crew\", \"address\": {\"zip\": \"1\"}}]}", ERR_INVALID,
         "persons[0].address.zip: unknown field"},
        {"{\"persons\": [1]}", ERR_INVALID, "persons[0]: must be an object"},
        {"{\"persons\": [], \"persons\": []}", ERR_INVALID, "duplicate"},
        {"{\"persons\": [{\"role\": \"crew\", \"surname\": \"a\\u0000b\"}]}", ERR_INVALID, ""},
    };
    struct paxlst_options o = opts();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct paxlst_manifest *m = (struct paxlst_manifest *)&o;
        struct buf why;
        buf_init(&why, 1024);
        int r = manifest_json_parse(cases[i].in, strlen(cases[i].in), &o, &m, &why);
        if (r != cases[i].r || strstr(buf_cstr(&why), cases[i].why) == NULL)
            fail_msg("case %zu: got %d '%s'", i, r, buf_cstr(&why));
        assert_null(m);
        buf_free(&why);
    }
}

static void test_json_limits(void **state)
{
    struct buf b;
    buf_init(&b, LIMIT_MANIFEST);
    buf_puts(&b, "{\"persons\": [");
    for (unsigned i = 0; i <= LIMIT_MANIFEST_PERSONS; i++)
        buf_puts(&b, i ? ",{\"role\":\"crew\"}" : "{\"role\":\"crew\"}");
    buf_puts(&b, "]}");
    struct paxlst_options o = opts();
    struct paxlst_manifest *m = NULL;
    struct buf why;
    buf_init(&why, 1024);
    assert_int_equal(manifest_json_parse(b.data, b.len, &o, &m, &why), ERR_LIMIT);
    assert_null(m);
    buf_free(&b);
    buf_free(&why);
}

static void test_json_values(void **state)
{
    static const struct {
        const char *field, *value, *stored;
        enum paxlst_code code; /* PAXLST_CODE_COUNT: none */
    } cases[] = {
        {"birth_date", "1990", "1990", PAXLST_CODE_COUNT},
        {"birth_date", "1990-07", "1990-07", PAXLST_CODE_COUNT},
        {"birth_date", "1990-13", "", PAXLST_INVALID_DATE},
        {"birth_date", "1990-02-30", "", PAXLST_INVALID_DATE},
        {"birth_date", "2099-01-01", "2099-01-01", PAXLST_IMPLAUSIBLE_DATE},
        {"birth_date", "01/02/1990", "", PAXLST_INVALID_DATE},
        {"nationality", "XXA", "XXA", PAXLST_CODE_COUNT},
        {"nationality", "Indonesia", "Indonesia", PAXLST_UNKNOWN_CODE},
        {"sex", "female", "female", PAXLST_UNKNOWN_CODE},
        {"port_of_embarkation", "WIII", "WIII", PAXLST_INVALID_VALUE},
        {"surname", "A\tB", "A B", PAXLST_CHARSET},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char in[512];
        snprintf(in, sizeof in,
                 "{\"flight\": {\"departure_time\": \"2025-05-01T10:00:00\"},"
                 " \"persons\": [{\"role\": \"passenger\", \"%s\": \"%s\"}]}",
                 cases[i].field, strcmp(cases[i].value, "A\tB") == 0 ? "A\\tB" : cases[i].value);
        struct paxlst_manifest *m = json_ok(in);
        assert_string_equal(m->flights[0].departure_time, "2025-05-01T10:00");
        json_t *j = manifest_person_json(m, 0);
        const char *got = json_string_value(json_object_get(j, cases[i].field));
        assert_string_equal(got != NULL ? got : "", cases[i].stored);
        json_t *probs = json_object_get(j, "problems");
        size_t hits = 0;
        for (size_t k = 0; k < json_array_size(probs); k++) {
            json_t *p = json_array_get(probs, k);
            hits += strcmp(json_string_value(json_object_get(p, "field")), cases[i].field) == 0 &&
                    strcmp(json_string_value(json_object_get(p, "code")),
                           paxlst_code_name(cases[i].code)) == 0;
        }
        if (hits != (cases[i].code == PAXLST_CODE_COUNT ? 0u : 1u))
            fail_msg("case %zu: %zu hits", i, hits);
        json_decref(j);
        paxlst_free(m);
    }
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    struct buf b;
    buf_init(&b, LIMIT_MANIFEST);
    char tmp[4096];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_append(&b, tmp, k);
    fclose(f);
    return buf_steal(&b, len);
}

/* Problems that only the EDIFACT form can have. */
static bool edifact_only(json_t *p)
{
    const char *code = json_string_value(json_object_get(p, "code"));
    const char *field = json_string_value(json_object_get(p, "field"));
    return strcmp(code, "charset") == 0 || strcmp(field, "role") == 0 ||
           (strcmp(code, "duplicate") == 0 && strcmp(field, "document_number") != 0);
}

static char *comparable(json_t *person)
{
    json_t *c = json_deep_copy(person), *probs = json_array();
    json_t *in = json_object_get(c, "problems");
    for (size_t k = 0; k < json_array_size(in); k++) {
        json_t *p = json_array_get(in, k);
        if (!edifact_only(p))
            json_array_append_new(probs,
                                  json_pack("{s:O, s:O}", "field", json_object_get(p, "field"),
                                            "code", json_object_get(p, "code")));
    }
    json_object_set_new(c, "problems", probs);
    char *s = json_dumps(c, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(c);
    return s;
}

/* Every PAXLST sample's persons, written out as the JSON form and read back,
 * give the same persons with the same data problems. */
static void check_round_trip(const char *name)
{
    char path[512];
    size_t len;
    snprintf(path, sizeof path, "%s/%s", SAMPLES, name);
    char *data = slurp(path, &len);
    assert_non_null(data);
    struct paxlst_options o = opts();
    struct paxlst_manifest *e = NULL, *j = NULL;
    struct buf why;
    buf_init(&why, 1024);
    assert_int_equal(manifest_parse(data, len, &o, &e, &why), 0);
    json_t *flight = manifest_flight_json(e, 0), *persons = json_array();
    static const char *const keep[] = {"carrier",        "flight",       "departure_port",
                                       "departure_time", "arrival_port", "arrival_time"};
    json_t *fj = json_object();
    for (size_t k = 0; k < 6; k++)
        if (json_is_string(json_object_get(flight, keep[k])))
            json_object_set(fj, keep[k], json_object_get(flight, keep[k]));
    for (size_t i = 0; i < e->npersons; i++) {
        json_t *p = manifest_person_json(e, i);
        json_object_del(p, "problems");
        json_object_del(p, "carrier");
        json_object_del(p, "flight");
        json_array_append_new(persons, p);
    }
    json_t *root = json_pack("{s:o, s:o}", "flight", fj, "persons", persons);
    char *text = json_dumps(root, 0);
    int r = manifest_parse(text, strlen(text), &o, &j, &why);
    if (r != 0)
        fail_msg("%s: JSON form rejected: %s", name, buf_cstr(&why));
    assert_int_equal(j->npersons, e->npersons);
    for (size_t i = 0; i < e->npersons; i++) {
        json_t *a = manifest_person_json(e, i), *b = manifest_person_json(j, i);
        json_object_del(a, "carrier");
        json_object_del(b, "carrier");
        char *sa = comparable(a), *sb = comparable(b);
        if (strcmp(sa, sb) != 0)
            fail_msg("%s person %zu:\n edifact %s\n json    %s", name, i, sa, sb);
        free(sa);
        free(sb);
        json_decref(a);
        json_decref(b);
    }
    free(text);
    json_decref(root);
    json_decref(flight);
    paxlst_free(e);
    paxlst_free(j);
    buf_free(&why);
    free(data);
}

static void test_same_model_as_edifact(void **state)
{
    DIR *d = opendir(SAMPLES);
    assert_non_null(d);
    struct dirent *ent;
    size_t n = 0;
    while ((ent = readdir(d)) != NULL) {
        if (ent->d_name[0] == '.' || strcmp(ent->d_name, "README.md") == 0)
            continue;
        check_round_trip(ent->d_name);
        n++;
    }
    closedir(d);
    assert_true(n >= 14);
}

static void test_autodetect(void **state)
{
    struct paxlst_options o = opts();
    struct paxlst_manifest *m = NULL;
    struct buf why;
    buf_init(&why, 1024);
    const char *js = "\xEF\xBB\xBF \n{\"persons\": [{\"role\": \"crew\"}]}";
    assert_int_equal(manifest_parse(js, strlen(js), &o, &m, &why), 0);
    assert_int_equal(m->source, PAXLST_FROM_JSON);
    paxlst_free(m);
    const char *edi = "UNH+1+PAXLST'NAD+FM+++A'UNT+3+1'";
    assert_int_equal(manifest_parse(edi, strlen(edi), &o, &m, &why), 0);
    assert_int_equal(m->source, PAXLST_FROM_EDIFACT);
    assert_int_equal(m->persons[0].role, PAXLST_CREW);
    paxlst_free(m);
    buf_free(&why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_basic),
        cmocka_unit_test(test_json_errors),
        cmocka_unit_test(test_json_limits),
        cmocka_unit_test(test_json_values),
        cmocka_unit_test(test_same_model_as_edifact),
        cmocka_unit_test(test_autodetect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
