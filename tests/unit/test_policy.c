/* Unit tests for domain/policy (agreements) and domain/msgtypes (payload
 * schemas): parsing and its errors, the hash over exact bytes, the
 * template, the transforms, and property tests over random agreements and
 * random payloads: what leaves holds only the allowed fields, transformed
 * as agreed; the receiver accepts it and rejects any extra or untransformed
 * field; an agreement that allows nothing shares nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "domain/envelope.h"
#include "domain/msgtypes.h"
#include "domain/policy.h"
#include "util/buf.h"
#include "util/errors.h"

#define HK "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

/* A small agreement; its b2sum -l 256 was computed outside the program. */
static const char small_agreement[] =
    "{\"lintas_agreement\": 1, \"id\": \"IDN-KHM-2025-1\", \"parties\": [\"IDN\", \"KHM\"],\n"
    " \"hash_key\": \"" HK "\",\n"
    " \"directions\": [{\"from\": \"IDN\", \"to\": \"KHM\", \"types\": {\"alert.person\": {\n"
    "   \"fields\": {\"id\": \"pass\", \"version\": \"pass\", \"name\": \"pass\",\n"
    "              \"birth_date\": \"truncate\", \"document_numbers\": \"mask\",\n"
    "              \"nationality\": \"hash\", \"notes\": \"drop\"},\n"
    "   \"retention_days\": 180}}}]}\n";
static const char small_b2sum[] =
    "7e20dea64ae2db900afe586c4ece4fea96b340304372c5399d43da7883ae4dc3";

static struct policy *parse_ok(const char *text)
{
    struct policy *p = NULL;
    struct buf why;
    buf_init(&why, 4096);
    int rc = policy_parse(text, strlen(text), &p, &why);
    if (rc != 0)
        fail_msg("policy_parse: %s", buf_cstr(&why));
    buf_free(&why);
    return p;
}

/* Parses text expecting failure; returns the message (static). */
static const char *parse_err(const char *text)
{
    static char msg[4096];
    struct policy *p = NULL;
    struct buf why;
    buf_init(&why, 4096);
    int rc = policy_parse(text, strlen(text), &p, &why);
    if (rc == 0)
        fail_msg("policy_parse accepted: %s", text);
    assert_null(p);
    snprintf(msg, sizeof msg, "%s", buf_cstr(&why));
    buf_free(&why);
    return msg;
}

static void hash_key(unsigned char k[32])
{
    for (int i = 0; i < 32; i++)
        k[i] = (unsigned char)i;
}

/* ---- Parsing ---------------------------------------------------------------- */

static void test_small_agreement(void **state)
{
    struct policy *p = parse_ok(small_agreement);
    char hex[65];
    policy_hash_hex(p, hex);
    assert_string_equal(hex, small_b2sum);
    assert_string_equal(policy_id(p), "IDN-KHM-2025-1");
    assert_string_equal(policy_party(p, 0), "IDN");
    assert_string_equal(policy_party(p, 1), "KHM");
    struct policy_terms t;
    assert_int_equal(policy_terms(p, "IDN", "KHM", "alert.person", &t), 0);
    assert_int_equal(t.retention_days, 180);
    assert_false(t.onward_sharing); /* never by default */
    assert_int_equal(t.small_cell_threshold, 0);
    assert_int_equal(policy_terms(p, "KHM", "IDN", "alert.person", &t), ERR_FORBIDDEN);
    assert_int_equal(policy_terms(p, "IDN", "KHM", "query", &t), ERR_FORBIDDEN);
    assert_int_equal(policy_terms(p, "IDN", "THA", "alert.person", &t), ERR_FORBIDDEN);
    assert_int_equal(policy_terms(p, "IDN", "KHM", "receipt", &t), ERR_INVALID);
    assert_int_equal(policy_field(p, "IDN", "KHM", "alert.person", "birth_date"), POLICY_TRUNCATE);
    assert_int_equal(policy_field(p, "IDN", "KHM", "alert.person", "notes"), POLICY_DROP);
    assert_int_equal(policy_field(p, "IDN", "KHM", "alert.person", "aliases"), POLICY_DROP);
    assert_int_equal(policy_field(p, "IDN", "KHM", "alert.person", "nope"), -1);
    policy_free(p);
    policy_free(NULL);

    /* The hash is over the exact bytes: one more space is another agreement. */
    char *copy = malloc(sizeof small_agreement + 1);
    memcpy(copy, small_agreement, sizeof small_agreement);
    copy[sizeof small_agreement - 1] = ' ';
    copy[sizeof small_agreement] = '\0';
    struct policy *q = parse_ok(copy);
    policy_hash_hex(q, hex);
    assert_string_not_equal(hex, small_b2sum);
    unsigned char h[32];
    crypto_generichash(h, 32, (const unsigned char *)copy, strlen(copy), NULL, 0);
    assert_memory_equal(policy_hash(q), h, 32);
    policy_free(q);
    free(copy);
}

#define HEAD                                                                                   \
    "{\"lintas_agreement\":1,\"id\":\"x\",\"parties\":[\"IDN\",\"KHM\"],\"hash_key\":\"" HK "\","
#define DIR(types) HEAD "\"directions\":[{\"from\":\"IDN\",\"to\":\"KHM\",\"types\":{" types "}}]}"
#define PERSON(fields, extra)                                                                  \
    DIR("\"alert.person\":{\"fields\":{\"id\":\"pass\",\"version\":\"pass\"" fields            \
        "},\"retention_days\":30" extra "}")

struct bad_case {
    const char *text;
    const char *want; /* a substring of the error */
};

static void test_parse_errors(void **state)
{
    static const struct bad_case cases[] = {
        {"", "empty"},
        {"[]", "must be a JSON object"},
        {HEAD "\"directions\":[], \"extra\":1}", "'extra': unknown field"},
        {"{\"lintas_agreement\":2,\"id\":\"x\",\"parties\":[\"IDN\",\"KHM\"],\"hash_key\":\"" HK
         "\",\"directions\":[]}", "lintas_agreement"},
        {"{\"lintas_agreement\":1,\"id\":\"x\",\"parties\":[\"IDN\",\"IDN\"],\"hash_key\":\"" HK
         "\",\"directions\":[]}", "parties"},
        {"{\"lintas_agreement\":1,\"id\":\"x\",\"parties\":[\"IDN\",\"KHM\",\"THA\"],"
         "\"hash_key\":\"" HK "\",\"directions\":[]}", "parties"},
        {"{\"lintas_agreement\":1,\"id\":\"x\",\"parties\":[\"IDN\",\"K HM\"],\"hash_key\":\"" HK
         "\",\"directions\":[]}", "parties"},
        {"{\"lintas_agreement\":1,\"id\":\"x\",\"parties\":[\"IDN\",\"KHM\"],\"hash_key\":\"00\","
         "\"directions\":[]}", "hash_key"},
        {"{\"lintas_agreement\":1,\"id\":\"x\",\"parties\":[\"IDN\",\"KHM\"],\"hash_key\":"
         "\"0000000000000000000000000000000000000000000000000000000000000000\","
         "\"directions\":[]}", "hash_key"},
        {"{\"lintas_agreement\":1,\"id\":\"two\\nlines\",\"parties\":[\"IDN\",\"KHM\"],"
         "\"hash_key\":\"" HK "\",\"directions\":[]}", "'id'"},
        {HEAD "\"directions\":[{\"from\":\"IDN\",\"to\":\"THA\",\"types\":{}}]}", "two parties"},
        {HEAD "\"directions\":[{\"from\":\"IDN\",\"to\":\"IDN\",\"types\":{}}]}", "two parties"},
        {HEAD "\"directions\":[{\"from\":\"IDN\",\"to\":\"KHM\",\"types\":{}},"
              "{\"from\":\"IDN\",\"to\":\"KHM\",\"types\":{}}]}", "second entry"},
        {HEAD "\"directions\":[{\"from\":\"IDN\",\"to\":\"KHM\"}]}", "'types'"},
        {DIR("\"alert.martian\":{}"), "'alert.martian' is not a message type"},
        {DIR("\"receipt\":{\"fields\":{},\"retention_days\":1}"), "control message"},
        {PERSON(",\"shoe_size\":\"pass\"", ""), "'shoe_size' is not a field"},
        {PERSON(",\"name\":\"publish\"", ""), "needs one of"},
        {PERSON(",\"name\":\"truncate\"", ""), "cannot take this transform"},
        {PERSON(",\"category\":\"mask\"", ""), "cannot take this transform"},
        {PERSON(",\"category\":\"hash\"", ""), "cannot take this transform"},
        {PERSON(",\"version\":\"hash\"", ""), "duplicate"},
        {PERSON(",\"name\":true", ""), "needs one of"},
        {PERSON("", ",\"small_cell_threshold\":5"), "only for stats"},
        {PERSON("", ",\"onward_sharing\":\"no\""), "onward_sharing"},
        {PERSON("", ",\"retention\":5"), "'retention': unknown field"},
        {DIR("\"alert.person\":{\"fields\":{\"id\":\"pass\",\"version\":\"pass\"}}"),
         "retention_days"},
        {DIR("\"alert.person\":{\"fields\":{\"id\":\"pass\",\"version\":\"pass\"},"
             "\"retention_days\":0}"), "retention_days"},
        {DIR("\"alert.person\":{\"retention_days\":10}"), "'fields'"},
        {DIR("\"alert.person\":{\"fields\":{\"version\":\"pass\"},\"retention_days\":10}"),
         "'id' is required"},
        {DIR("\"alert.person\":{\"fields\":{\"id\":\"pass\",\"version\":\"drop\"},"
             "\"retention_days\":10}"), "'version' is required"},
        {DIR("\"stats\":{\"fields\":{\"period_from\":\"pass\",\"period_to\":\"pass\","
             "\"measure\":\"pass\"},\"retention_days\":10}"), "small_cell_threshold"},
        {DIR("\"referral\":{\"fields\":{\"referral_id\":\"pass\",\"victims\":\"pass\"},"
             "\"retention_days\":10}"), "is a list"},
        {DIR("\"referral\":{\"fields\":{\"referral_id\":\"pass\","
             "\"victims.first_name\":\"pass\"},\"retention_days\":10}"),
         "'victims.victim_id' is required"},
        {PERSON("", "") " trailing", "malformed JSON"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *msg = parse_err(cases[i].text);
        if (strstr(msg, cases[i].want) == NULL)
            fail_msg("case %zu: got \"%s\", want it to mention \"%s\"", i, msg, cases[i].want);
    }
    /* A good one of the same shapes parses (the cases above fail for their reason). */
    policy_free(parse_ok(PERSON(",\"name\":\"pass\",\"birth_date\":\"truncate\"", "")));
    policy_free(parse_ok(DIR("\"referral\":{\"fields\":{\"referral_id\":\"pass\","
                             "\"victims.victim_id\":\"hash\",\"victims.birthdate\":\"truncate\"},"
                             "\"retention_days\":10}")));

    /* Over the size limit. */
    size_t n = POLICY_MAX_FILE + 1;
    char *big = malloc(n);
    memset(big, ' ', n);
    struct policy *p = NULL;
    struct buf why;
    buf_init(&why, 1024);
    assert_int_equal(policy_parse(big, n, &p, &why), ERR_LIMIT);
    buf_free(&why);
    free(big);
}

static void test_template(void **state)
{
    unsigned char k[32];
    hash_key(k);
    struct buf b;
    buf_init(&b, POLICY_MAX_FILE);
    assert_int_equal(policy_template("IDN", "KHM", "IDN-KHM-draft", k, &b), 0);
    assert_int_equal(b.data[b.len - 1], '\n');
    assert_non_null(strstr(buf_cstr(&b), HK));
    struct policy *p = parse_ok(buf_cstr(&b));
    static const char *const dirs[2][2] = {{"IDN", "KHM"}, {"KHM", "IDN"}};
    for (size_t i = 0; i < msgtypes_count(); i++) {
        const struct msgtypes_type *t = msgtypes_at(i);
        for (int d = 0; d < 2; d++) {
            struct policy_terms terms;
            int rc = policy_terms(p, dirs[d][0], dirs[d][1], t->name, &terms);
            if (t->control) {
                assert_int_equal(rc, ERR_INVALID);
                continue;
            }
            assert_int_equal(rc, 0);
            assert_int_equal(terms.retention_days, 365);
            assert_false(terms.onward_sharing);
            assert_int_equal(terms.small_cell_threshold, strcmp(t->name, "stats") == 0 ? 5 : 0);
            for (size_t f = 0; f < t->nfields; f++) {
                if (t->fields[f].kind != MSGTYPES_OBJECTS)
                    assert_int_equal(policy_field(p, dirs[d][0], dirs[d][1], t->name,
                                                  t->fields[f].path), POLICY_PASS);
            }
        }
    }
    policy_free(p);
    buf_reset(&b);
    assert_int_equal(policy_template("IDN", "IDN", "x", k, &b), ERR_INVALID);
    assert_int_equal(policy_template("IDN", "K/H", "x", k, &b), ERR_INVALID);
    assert_int_equal(policy_template("IDN", "KHM", "", k, &b), ERR_INVALID);
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

/* ---- Transforms ------------------------------------------------------------- */

static struct policy *all_pass;

static int setup(void **state)
{
    unsigned char k[32];
    hash_key(k);
    struct buf b;
    buf_init(&b, POLICY_MAX_FILE);
    if (policy_template("IDN", "KHM", "t", k, &b) < 0)
        return -1;
    struct buf why;
    buf_init(&why, 1024);
    int rc = policy_parse(b.data, b.len, &all_pass, &why);
    buf_free(&b);
    buf_free(&why);
    return rc;
}

static int teardown(void **state)
{
    policy_free(all_pass);
    return 0;
}

/* The keyed hash, written again from docs/agreements.md. */
static void expect_hash(const char *value, char out[65])
{
    unsigned char key[32], h[32];
    char norm[8192];
    size_t n = 0;
    hash_key(key);
    memcpy(norm, "lintas.match.v1", 16); /* with its NUL */
    n = 16;
    for (const char *s = value; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '-' || *s == '.' || *s == '/')
            continue;
        norm[n++] = (*s >= 'a' && *s <= 'z') ? (char)(*s - 32) : *s;
    }
    crypto_generichash(h, 32, (const unsigned char *)norm, n, key, 32);
    sodium_bin2hex(out, 65, h, 32);
}

/* The mask, written again: "****" and the last four characters, or "****". */
static void expect_mask(const char *s, char *out, size_t cap)
{
    size_t len = strlen(s), chars = 0, tail = len;
    for (size_t i = 0; i < len; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    if (chars <= 4) {
        snprintf(out, cap, "****");
        return;
    }
    for (size_t kept = 0; kept < 4;) {
        tail--;
        if (((unsigned char)s[tail] & 0xC0) != 0x80)
            kept++;
    }
    snprintf(out, cap, "****%s", s + tail);
}

static void test_transforms(void **state)
{
    struct policy *p = parse_ok(small_agreement);
    const char *in = "{\"notes\":\"secret\",\"id\":\"W-1\",\"version\":3,\"name\":\"Siti\","
                     "\"birth_date\":\"1990-05-17\",\"document_numbers\":[\"L898902C3\",\"AB1\","
                     "\"\xc3\x84\xc3\x96\xc3\x9c\xc3\x9f\xc3\xa9x\"],\"nationality\":\"idn\","
                     "\"zodiac\":\"leo\",\"aliases\":[\"S\"]}";
    struct buf out, dropped, why;
    buf_init(&out, 65536);
    buf_init(&dropped, 4096);
    buf_init(&why, 1024);
    assert_int_equal(policy_egress(p, "IDN", "KHM", "alert.person", in, strlen(in), &out,
                                   &dropped, &why), 0);
    char h[65], want[1024];
    expect_hash("IDN", h);
    snprintf(want, sizeof want,
             "{\"id\":\"W-1\",\"version\":3,\"name\":\"Siti\",\"birth_date\":\"1990\","
             "\"document_numbers\":[\"****02C3\",\"****\",\"****\xc3\x9c\xc3\x9f\xc3\xa9x\"],"
             "\"nationality\":\"%s\"}", h);
    assert_string_equal(buf_cstr(&out), want);
    assert_string_equal(buf_cstr(&dropped), "notes,zodiac,aliases");

    /* The hash ignores case, spaces and punctuation, and depends on the key. */
    char a[65], b[65];
    policy_keyed_hash(p, "l898 902-c3", 11, a);
    policy_keyed_hash(p, "L898902C3", 9, b);
    assert_string_equal(a, b);
    expect_hash("L898902C3", h);
    assert_string_equal(a, h);
    policy_keyed_hash(p, "L898902C4", 9, b);
    assert_string_not_equal(a, b);
    struct policy *q = parse_ok(
        "{\"lintas_agreement\":1,\"id\":\"x\",\"parties\":[\"IDN\",\"KHM\"],\"hash_key\":"
        "\"100102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\",\"directions\":[]}");
    policy_keyed_hash(q, "L898902C3", 9, b);
    assert_string_not_equal(a, b);

    /* The receiver accepts exactly this, and refuses the untransformed date. */
    int reason = -1;
    json_t *obj = NULL;
    buf_reset(&why);
    assert_int_equal(policy_ingress(p, "IDN", "KHM", "alert.person", out.data, out.len, &obj,
                                    &reason, &why), 0);
    assert_int_equal(reason, ENVELOPE_OK);
    assert_string_equal(json_string_value(json_object_get(obj, "birth_date")), "1990");
    json_decref(obj);
    const char *full = "{\"id\":\"W-1\",\"version\":3,\"birth_date\":\"1990-05-17\"}";
    buf_reset(&why);
    assert_int_equal(policy_ingress(p, "IDN", "KHM", "alert.person", full, strlen(full), NULL,
                                    &reason, &why), ERR_FORBIDDEN);
    assert_int_equal(reason, ENVELOPE_R_FIELD_NOT_TRANSFORMED);
    assert_non_null(strstr(buf_cstr(&why), "'birth_date'"));
    const char *clear = "{\"id\":\"W-1\",\"version\":3,\"document_numbers\":[\"L898902C3\"]}";
    buf_reset(&why);
    assert_int_equal(policy_ingress(p, "IDN", "KHM", "alert.person", clear, strlen(clear), NULL,
                                    &reason, &why), ERR_FORBIDDEN);
    assert_int_equal(reason, ENVELOPE_R_FIELD_NOT_TRANSFORMED);
    const char *extra = "{\"id\":\"W-1\",\"version\":3,\"notes\":\"x\"}";
    buf_reset(&why);
    assert_int_equal(policy_ingress(p, "IDN", "KHM", "alert.person", extra, strlen(extra), NULL,
                                    &reason, &why), ERR_FORBIDDEN);
    assert_int_equal(reason, ENVELOPE_R_FIELD_NOT_ALLOWED);
    assert_non_null(strstr(buf_cstr(&why), "'notes'"));
    buf_reset(&why);
    assert_int_equal(policy_ingress(p, "KHM", "IDN", "alert.person", out.data, out.len, NULL,
                                    &reason, &why), ERR_FORBIDDEN);
    assert_int_equal(reason, ENVELOPE_R_TYPE_NOT_ALLOWED);

    policy_free(p);
    policy_free(q);
    buf_free(&out);
    buf_free(&dropped);
    buf_free(&why);
}

static void test_egress_errors(void **state)
{
    struct buf out, why;
    buf_init(&out, 65536);
    buf_init(&why, 1024);
    static const struct bad_case cases[] = {
        {"[1]", "must be a JSON object"},
        {"{\"id\":\"W-1\"}", "'version': is required"},
        {"{\"id\":\"W-1\",\"version\":0}", "'version'"},
        {"{\"id\":\"W-1\",\"version\":1,\"birth_date\":\"1990-02-30\"}", "'birth_date'"},
        {"{\"id\":\"W-1\",\"version\":1,\"category\":\"villain\"}", "'category'"},
        {"{\"id\":\"W-1\",\"version\":1,\"aliases\":\"one\"}", "'aliases'"},
        {"{\"id\":\"W-1\",\"version\":1,\"name\":\"a\\u0000b\"}", "u0000"},
        {"{\"id\":\"W-1\",\"version\":1,\"name\":\"bell\\u0007\"}", "'name'"},
        {"{\"id\":\"W-1\",\"version\":1,\"id\":\"W-2\"}", "duplicate"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf_reset(&why);
        int rc = policy_egress(all_pass, "IDN", "KHM", "alert.person", cases[i].text,
                               strlen(cases[i].text), &out, NULL, &why);
        assert_int_equal(rc, ERR_INVALID);
        if (strstr(buf_cstr(&why), cases[i].want) == NULL)
            fail_msg("case %zu: got \"%s\"", i, buf_cstr(&why));
    }
    const char *ok = "{\"id\":\"W-1\",\"version\":1}";
    assert_int_equal(policy_egress(all_pass, "IDN", "THA", "alert.person", ok, strlen(ok), &out,
                                   NULL, &why), ERR_FORBIDDEN);
    assert_int_equal(policy_egress(all_pass, "IDN", "KHM", "receipt", ok, strlen(ok), &out, NULL,
                                   &why), ERR_INVALID);
    assert_int_equal(out.len, 0);
    buf_free(&out);
    buf_free(&why);
}

static void test_small_cells(void **state)
{
    const char *in = "{\"period_from\":\"2025-01\",\"period_to\":\"2025-03\",\"measure\":"
                     "\"interceptions\",\"dimensions\":[\"checkpoint\"],\"cells\":["
                     "{\"dims\":[\"CGK\"],\"count\":0},{\"dims\":[\"DPS\"],\"count\":1},"
                     "{\"dims\":[\"KNO\"],\"count\":4},{\"dims\":[\"SUB\"],\"count\":5},"
                     "{\"dims\":[\"UPG\"],\"count\":100}]}";
    struct buf out, why;
    buf_init(&out, 65536);
    buf_init(&why, 1024);
    assert_int_equal(policy_egress(all_pass, "KHM", "IDN", "stats", in, strlen(in), &out, NULL,
                                   &why), 0);
    assert_non_null(strstr(buf_cstr(&out), "{\"dims\":[\"CGK\"],\"count\":0},{\"dims\":[\"DPS\"],"
                                           "\"count\":null},{\"dims\":[\"KNO\"],\"count\":null},"
                                           "{\"dims\":[\"SUB\"],\"count\":5}"));
    int reason;
    assert_int_equal(policy_ingress(all_pass, "KHM", "IDN", "stats", out.data, out.len, NULL,
                                    &reason, &why), 0);
    buf_reset(&why);
    assert_int_equal(policy_ingress(all_pass, "KHM", "IDN", "stats", in, strlen(in), NULL,
                                    &reason, &why), ERR_FORBIDDEN);
    assert_int_equal(reason, ENVELOPE_R_SMALL_CELL);
    assert_non_null(strstr(buf_cstr(&why), "cells[1].count"));
    buf_free(&out);
    buf_free(&why);
}

static void test_ingress_names_nested_field(void **state)
{
    struct buf why;
    buf_init(&why, 1024);
    int reason;
    const char *in = "{\"referral_id\":\"R-9\",\"victims\":[{\"victim_id\":\"V1\"},"
                     "{\"victim_id\":\"V2\",\"shoe_size\":41}]}";
    assert_int_equal(policy_ingress(all_pass, "IDN", "KHM", "referral", in, strlen(in), NULL,
                                    &reason, &why), ERR_FORBIDDEN);
    assert_int_equal(reason, ENVELOPE_R_FIELD_NOT_ALLOWED);
    assert_non_null(strstr(buf_cstr(&why), "'victims[1].shoe_size'"));
    const char *missing = "{\"referral_id\":\"R-9\",\"victims\":[{\"first_name\":\"A\"}]}";
    buf_reset(&why);
    assert_int_equal(policy_ingress(all_pass, "IDN", "KHM", "referral", missing, strlen(missing),
                                    NULL, &reason, &why), ERR_INVALID);
    assert_int_equal(reason, ENVELOPE_R_SCHEMA);
    assert_non_null(strstr(buf_cstr(&why), "victims[0].victim_id"));
    const char *notjson = "{\"referral_id\":";
    buf_reset(&why);
    assert_int_equal(policy_ingress(all_pass, "IDN", "KHM", "referral", notjson, strlen(notjson),
                                    NULL, &reason, &why), ERR_INVALID);
    assert_int_equal(reason, ENVELOPE_R_SCHEMA);
    buf_reset(&why);
    assert_int_equal(policy_ingress(all_pass, "IDN", "KHM", "alert.martian", notjson, 3, NULL,
                                    &reason, &why), ERR_INVALID);
    assert_int_equal(reason, ENVELOPE_R_UNKNOWN_TYPE);
    buf_free(&why);
}

static void test_empty_agreement_shares_nothing(void **state)
{
    /* No direction allows anything: every type is refused both ways, at both ends. */
    struct policy *none = parse_ok(HEAD "\"directions\":[]}");
    struct policy *empty = parse_ok(
        HEAD "\"directions\":[{\"from\":\"IDN\",\"to\":\"KHM\",\"types\":{}},"
             "{\"from\":\"KHM\",\"to\":\"IDN\",\"types\":{}}]}");
    struct policy *ps[2] = {none, empty};
    struct buf out, why;
    buf_init(&out, 65536);
    buf_init(&why, 1024);
    const char *in = "{\"id\":\"W-1\",\"version\":1,\"referral_id\":\"R\",\"reference\":\"q\"}";
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < msgtypes_count(); i++) {
            const struct msgtypes_type *t = msgtypes_at(i);
            if (t->control)
                continue;
            int reason;
            assert_int_equal(policy_egress(ps[k], "IDN", "KHM", t->name, in, strlen(in), &out,
                                           NULL, &why), ERR_FORBIDDEN);
            assert_int_equal(policy_ingress(ps[k], "KHM", "IDN", t->name, in, strlen(in), NULL,
                                            &reason, &why), ERR_FORBIDDEN);
            assert_int_equal(reason, ENVELOPE_R_TYPE_NOT_ALLOWED);
        }
    }
    assert_int_equal(out.len, 0);
    /* Allowing only the required fields shares only those. */
    struct policy *min = parse_ok(PERSON("", ""));
    const char *full = "{\"id\":\"W-1\",\"version\":2,\"name\":\"Siti\",\"birth_date\":\"1990\","
                       "\"notes\":\"n\",\"aliases\":[\"a\"],\"valid_until\":\"2027\"}";
    assert_int_equal(policy_egress(min, "IDN", "KHM", "alert.person", full, strlen(full), &out,
                                   NULL, &why), 0);
    assert_string_equal(buf_cstr(&out), "{\"id\":\"W-1\",\"version\":2}");
    policy_free(none);
    policy_free(empty);
    policy_free(min);
    buf_free(&out);
    buf_free(&why);
}

/* ---- Property tests ------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static size_t below(size_t n)
{
    return (size_t)(rnd() % n);
}

static json_t *rand_string(const struct msgtypes_field *f)
{
    static const char *const pieces[] = {"a", "Z", "7", " ", "-", ".", "/", "\xc3\xa9",
                                         "\xc3\x9f", "\xe4\xb8\xad", "q", "0"};
    if (f->values != NULL) {
        size_t n = 0;
        while (f->values[n] != NULL)
            n++;
        return json_string(f->values[below(n)]);
    }
    char s[128];
    size_t len = 0, want = below(14);
    for (size_t i = 0; i < want; i++) {
        const char *p = pieces[below(sizeof pieces / sizeof pieces[0])];
        if (len + strlen(p) >= sizeof s || len + strlen(p) > f->max)
            break;
        memcpy(s + len, p, strlen(p));
        len += strlen(p);
    }
    return json_stringn(s, len);
}

static json_t *rand_date(void)
{
    char s[48];
    unsigned y = 1900 + (unsigned)below(131), m = 1 + (unsigned)below(12);
    unsigned d = 1 + (unsigned)below(28);
    switch (below(3)) {
    case 0: snprintf(s, sizeof s, "%04u", y); break;
    case 1: snprintf(s, sizeof s, "%04u-%02u", y, m); break;
    default: snprintf(s, sizeof s, "%04u-%02u-%02u", y, m, d); break;
    }
    return json_string(s);
}

static json_t *rand_object(const struct msgtypes_type *t, int parent);

static json_t *rand_value(const struct msgtypes_type *t, int i)
{
    const struct msgtypes_field *f = &t->fields[i];
    if (!f->required && below(10) == 0)
        return json_null();
    json_t *a;
    switch (f->kind) {
    case MSGTYPES_STRING: return rand_string(f);
    case MSGTYPES_DATE: return rand_date();
    case MSGTYPES_INT: {
        int64_t span = f->max_int - f->min_int;
        return json_integer(f->min_int + (json_int_t)below(span < 1000 ? (size_t)span + 1 : 1000));
    }
    case MSGTYPES_BOOL: return json_boolean(below(2));
    case MSGTYPES_STRINGS:
        a = json_array();
        for (size_t k = below(4); k > 0; k--)
            json_array_append_new(a, rand_string(f));
        return a;
    default:
        a = json_array();
        for (size_t k = below(4); k > 0; k--)
            json_array_append_new(a, rand_object(t, i));
        return a;
    }
}

static json_t *rand_object(const struct msgtypes_type *t, int parent)
{
    json_t *o = json_object();
    for (size_t i = 0; i < t->nfields; i++) {
        if (msgtypes_parent_index(t, (int)i) != parent)
            continue;
        if (t->fields[i].required || below(10) < 7)
            json_object_set_new(o, t->fields[i].name, rand_value(t, (int)i));
    }
    if (below(3) == 0)
        json_object_set_new(o, below(2) ? "unknown_field" : "zz", json_string("leak"));
    return o;
}

/* A random transform for field f that the agreement accepts. */
static int rand_transform(const struct msgtypes_field *f)
{
    for (;;) {
        int x = (int)below(6); /* 5: not named at all */
        if (x == 5)
            return -1;
        if ((x == POLICY_TRUNCATE && !msgtypes_can_truncate(f)) ||
            (x == POLICY_MASK && !msgtypes_can_mask(f)) ||
            (x == POLICY_HASH && !msgtypes_can_hash(f)))
            continue;
        return x;
    }
}

/* Builds a random agreement text for type t, IDN -> KHM; xf[] gets the
 * effective transform of each field. */
static char *rand_agreement(const struct msgtypes_type *t, int xf[], int *threshold)
{
    json_t *fields = json_object();
    for (size_t i = 0; i < t->nfields; i++) {
        const struct msgtypes_field *f = &t->fields[i];
        xf[i] = POLICY_DROP;
        if (f->kind == MSGTYPES_OBJECTS)
            continue;
        int x = rand_transform(f);
        if (x >= 0) {
            json_object_set_new(fields, f->path, json_string(policy_transform_name(x)));
            xf[i] = x;
        }
    }
    /* Required fields must be sent whenever their object is. */
    for (size_t i = 0; i < t->nfields; i++) {
        int parent = msgtypes_parent_index(t, (int)i);
        bool sent = parent < 0;
        for (size_t k = 0; k < t->nfields && !sent; k++)
            sent = msgtypes_parent_index(t, (int)k) == parent && xf[k] != POLICY_DROP;
        if (t->fields[i].required && sent && xf[i] == POLICY_DROP) {
            json_object_set_new(fields, t->fields[i].path, json_string("pass"));
            xf[i] = POLICY_PASS;
        }
    }
    json_t *terms =
        json_pack("{s:o, s:i}", "fields", fields, "retention_days", 1 + (int)below(999));
    *threshold = 0;
    if (strcmp(t->name, "stats") == 0) {
        *threshold = 1 + (int)below(10);
        json_object_set_new(terms, "small_cell_threshold", json_integer(*threshold));
    }
    json_t *types = json_object();
    json_object_set_new(types, t->name, terms);
    json_t *root = json_pack("{s:i, s:s, s:[s,s], s:s, s:[{s:s, s:s, s:o}]}", "lintas_agreement",
                             1, "id", "random", "parties", "IDN", "KHM", "hash_key", HK,
                             "directions", "from", "IDN", "to", "KHM", "types", types);
    char *text = json_dumps(root, below(2) ? JSON_INDENT(2) : JSON_COMPACT);
    json_decref(root);
    return text;
}

static bool field_sent(const struct msgtypes_type *t, const int xf[], int i)
{
    if (t->fields[i].kind != MSGTYPES_OBJECTS)
        return xf[i] != POLICY_DROP;
    for (size_t k = 0; k < t->nfields; k++) {
        if (msgtypes_parent_index(t, (int)k) == i && xf[k] != POLICY_DROP)
            return true;
    }
    return false;
}

/* The value an allowed leaf must have after the transform. */
static json_t *expected_leaf(int xf, json_t *v)
{
    if (json_is_array(v)) {
        json_t *a = json_array(), *e;
        size_t i;
        json_array_foreach(v, i, e) json_array_append_new(a, expected_leaf(xf, e));
        return a;
    }
    if (xf == POLICY_PASS || json_is_null(v))
        return json_incref(v);
    char buf[256];
    const char *s = json_string_value(v);
    switch (xf) {
    case POLICY_TRUNCATE: return json_stringn(s, 4);
    case POLICY_MASK: expect_mask(s, buf, sizeof buf); return json_string(buf);
    default: expect_hash(s, buf); return json_string(buf);
    }
}

/* Checks out against in: exactly the allowed fields of in, each transformed. */
static void check_egress(const struct msgtypes_type *t, const int xf[], int parent, json_t *in,
                         json_t *out, int threshold)
{
    const char *key;
    json_t *v;
    json_object_foreach(out, key, v) {
        int i = msgtypes_child_index(t, parent, key, strlen(key));
        if (i < 0 || !field_sent(t, xf, i))
            fail_msg("type %s: field '%s' left but is not allowed", t->name, key);
        assert_non_null(json_object_get(in, key));
    }
    json_object_foreach(in, key, v) {
        int i = msgtypes_child_index(t, parent, key, strlen(key));
        json_t *got = json_object_get(out, key);
        if (i < 0 || !field_sent(t, xf, i)) {
            assert_null(got);
            continue;
        }
        if (got == NULL)
            fail_msg("type %s: allowed field '%s' was dropped", t->name, key);
        if (t->fields[i].kind == MSGTYPES_OBJECTS && json_is_array(v)) {
            assert_int_equal(json_array_size(got), json_array_size(v));
            for (size_t k = 0; k < json_array_size(v); k++)
                check_egress(t, xf, i, json_array_get(v, k), json_array_get(got, k), threshold);
            continue;
        }
        json_t *want = expected_leaf(xf[i], v);
        if (strcmp(key, "count") == 0 && json_is_integer(v) && json_integer_value(v) >= 1 &&
            json_integer_value(v) < threshold) {
            json_decref(want);
            want = json_null();
        }
        if (!json_equal(want, got)) {
            char *a = json_dumps(want, JSON_ENCODE_ANY), *b = json_dumps(got, JSON_ENCODE_ANY);
            fail_msg("type %s field '%s' (%s): want %s, got %s", t->name, key,
                     policy_transform_name(xf[i]), a, b);
        }
        json_decref(want);
    }
}

/* A path the agreement does not allow for type t at the top level, or NULL. */
static const char *forbidden_key(const struct msgtypes_type *t, const int xf[])
{
    for (size_t i = 0; i < t->nfields; i++) {
        if (msgtypes_parent_index(t, (int)i) < 0 && !field_sent(t, xf, (int)i) && below(2))
            return t->fields[i].name;
    }
    return "not_a_field";
}

static void one_round(const struct msgtypes_type *t)
{
    int xf[MSGTYPES_MAX_FIELDS], threshold, reason;
    char *text = rand_agreement(t, xf, &threshold);
    struct policy *p = parse_ok(text);
    json_t *in = rand_object(t, -1);
    char *payload = json_dumps(in, JSON_COMPACT);
    struct buf out, why, dropped;
    buf_init(&out, 4u << 20);
    buf_init(&why, 4096);
    buf_init(&dropped, 8192);
    int rc = policy_egress(p, "IDN", "KHM", t->name, payload, strlen(payload), &out, &dropped,
                           &why);
    if (rc != 0)
        fail_msg("egress %s: %s\npayload %s\nagreement %s", t->name, buf_cstr(&why), payload, text);
    json_t *res = json_loadb(out.data, out.len, JSON_REJECT_DUPLICATES, NULL);
    assert_non_null(res);
    check_egress(t, xf, -1, in, res, threshold);

    /* The receiver accepts what left... */
    rc = policy_ingress(p, "IDN", "KHM", t->name, out.data, out.len, NULL, &reason, &why);
    if (rc != 0)
        fail_msg("ingress %s refused egress output: %s\n%s", t->name, buf_cstr(&why), out.data);
    /* ...but not with one more field, which it names. */
    const char *extra = forbidden_key(t, xf);
    json_object_set_new(res, extra, json_string("x"));
    char *more = json_dumps(res, JSON_COMPACT);
    buf_reset(&why);
    rc = policy_ingress(p, "IDN", "KHM", t->name, more, strlen(more), NULL, &reason, &why);
    assert_int_equal(rc, ERR_FORBIDDEN);
    assert_int_equal(reason, ENVELOPE_R_FIELD_NOT_ALLOWED);
    assert_non_null(strstr(buf_cstr(&why), extra));
    /* The other direction is not in this agreement. */
    buf_reset(&why);
    assert_int_equal(policy_ingress(p, "KHM", "IDN", t->name, out.data, out.len, NULL, &reason,
                                    &why), ERR_FORBIDDEN);
    free(more);
    json_decref(res);
    json_decref(in);
    free(payload);
    free(text);
    policy_free(p);
    buf_free(&out);
    buf_free(&why);
    buf_free(&dropped);
}

static void test_property_random(void **state)
{
    rng_state = 20250101;
    size_t ntypes = msgtypes_count();
    for (int round = 0; round < 1500; round++) {
        const struct msgtypes_type *t = msgtypes_at(below(ntypes));
        if (!t->control)
            one_round(t);
    }
}

/* Every field of every type, through the all-pass template and back. */
static void test_property_all_pass(void **state)
{
    rng_state = 7;
    int xf[MSGTYPES_MAX_FIELDS], reason;
    struct buf out, why;
    buf_init(&out, 4u << 20);
    buf_init(&why, 4096);
    for (int round = 0; round < 300; round++) {
        const struct msgtypes_type *t = msgtypes_at(below(msgtypes_count()));
        if (t->control)
            continue;
        for (size_t i = 0; i < t->nfields; i++)
            xf[i] = POLICY_PASS;
        json_t *in = rand_object(t, -1);
        char *payload = json_dumps(in, JSON_COMPACT);
        buf_reset(&out);
        assert_int_equal(policy_egress(all_pass, "KHM", "IDN", t->name, payload, strlen(payload),
                                       &out, NULL, &why), 0);
        json_t *res = json_loadb(out.data, out.len, 0, NULL);
        check_egress(t, xf, -1, in, res, strcmp(t->name, "stats") == 0 ? 5 : 0);
        assert_int_equal(policy_ingress(all_pass, "KHM", "IDN", t->name, out.data, out.len, NULL,
                                        &reason, &why), 0);
        /* What egress outputs is also a valid payload of the type. */
        struct buf sw;
        buf_init(&sw, 1024);
        assert_int_equal(msgtypes_check_payload(t, res, &sw), 0);
        buf_free(&sw);
        json_decref(res);
        json_decref(in);
        free(payload);
    }
    buf_free(&out);
    buf_free(&why);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *data = malloc(1 << 20);
    *len = fread(data, 1, (1 << 20) - 1, f);
    data[*len] = '\0';
    fclose(f);
    return data;
}

/* The example of docs/agreements.md parses and does what the page says. */
static void test_docs_example(void **state)
{
    size_t len;
    char *doc = read_file("docs/agreements.md", &len);
    if (doc == NULL)
        skip(); /* run from the source root (meson test does) */
    char *start = strstr(doc, "<!-- example");
    assert_non_null(start);
    start = strstr(start, "```json\n");
    assert_non_null(start);
    start += 8;
    char *end = strstr(start, "\n```");
    assert_non_null(end);
    end[1] = '\0';
    struct policy *p = parse_ok(start);
    struct policy_terms t;
    assert_int_equal(policy_terms(p, "KHM", "IDN", "bulletin", &t), 0);
    assert_true(t.onward_sharing);
    assert_int_equal(policy_terms(p, "IDN", "KHM", "bulletin", &t), ERR_FORBIDDEN);
    const char *in = "{\"id\": \"W-7\", \"version\": 1, \"name\": \"SITI AMINAH\", \"birth_date\":"
                     " \"1990-05-17\", \"document_numbers\": [\"C1234567\"], \"notes\": \"x\"}";
    struct buf out, why, dropped;
    buf_init(&out, 65536);
    buf_init(&why, 1024);
    buf_init(&dropped, 1024);
    assert_int_equal(policy_egress(p, "IDN", "KHM", "alert.person", in, strlen(in), &out,
                                   &dropped, &why), 0);
    char h[65], want[512];
    policy_keyed_hash(p, "C1234567", 8, h);
    snprintf(want, sizeof want, "{\"id\":\"W-7\",\"version\":1,\"name\":\"SITI AMINAH\","
             "\"birth_date\":\"1990\",\"document_numbers\":[\"%s\"]}", h);
    assert_string_equal(buf_cstr(&out), want);
    assert_string_equal(buf_cstr(&dropped), "notes");
    int reason;
    assert_int_equal(policy_ingress(p, "IDN", "KHM", "alert.person", in, strlen(in), NULL,
                                    &reason, &why), ERR_FORBIDDEN);
    policy_free(p);
    buf_free(&out);
    buf_free(&why);
    buf_free(&dropped);
    free(doc);
}

static void test_dates(void **state)
{
    static const char *const good[] = {"1990", "1990-05", "1990-05-17", "2024-02-29", "0001"};
    static const char *const bad[] = {"0000", "1990-13", "1990-00", "1990-02-30", "2023-02-29",
                                      "1990-5-17", "199", "1990/05/17", "1990-05-17T00", ""};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(msgtypes_valid_date(good[i], strlen(good[i])));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(msgtypes_valid_date(bad[i], strlen(bad[i])));
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_agreement),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_template),
        cmocka_unit_test(test_transforms),
        cmocka_unit_test(test_egress_errors),
        cmocka_unit_test(test_small_cells),
        cmocka_unit_test(test_ingress_names_nested_field),
        cmocka_unit_test(test_empty_agreement_shares_nothing),
        cmocka_unit_test(test_property_random),
        cmocka_unit_test(test_property_all_pass),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_docs_example),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
