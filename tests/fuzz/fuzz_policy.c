/* Fuzz harness: domain/policy agreement parsing, egress and ingress, and
 * msgtypes payload checks. The first input byte picks a target. Oracles:
 * whatever egress lets out, ingress accepts under the same agreement, and
 * it is a valid payload of its type; a parsed agreement's hash is that of
 * the input bytes. Since jansson is not instrumented, two modes build the
 * JSON (an agreement, a payload of mostly known fields) from the input
 * bytes instead of parsing them, to reach deep into egress and ingress. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "domain/envelope.h"
#include "domain/msgtypes.h"
#include "domain/policy.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An agreement that uses every transform, IDN -> KHM. */
static const char mixed[] =
    "{\"lintas_agreement\":1,\"id\":\"fuzz\",\"parties\":[\"IDN\",\"KHM\"],\"hash_key\":"
    "\"0101010101010101010101010101010101010101010101010101010101010101\",\"directions\":["
    "{\"from\":\"IDN\",\"to\":\"KHM\",\"types\":{"
    "\"alert.person\":{\"fields\":{\"id\":\"hash\",\"version\":\"pass\",\"name\":\"pass\","
    "\"aliases\":\"mask\",\"birth_date\":\"truncate\",\"document_numbers\":\"hash\","
    "\"category\":\"pass\"},\"retention_days\":30},"
    "\"referral\":{\"fields\":{\"referral_id\":\"pass\",\"victims.victim_id\":\"hash\","
    "\"victims.birthdate\":\"truncate\",\"victims.mobile_phone\":\"mask\","
    "\"victims.gender\":\"pass\"},\"retention_days\":30},"
    "\"stats\":{\"fields\":{\"period_from\":\"truncate\",\"period_to\":\"pass\","
    "\"measure\":\"pass\",\"cells.count\":\"pass\",\"cells.dims\":\"hash\"},"
    "\"retention_days\":30,\"small_cell_threshold\":7},"
    "\"bulletin\":{\"fields\":{\"bulletin_id\":\"pass\",\"version\":\"pass\","
    "\"indicators.indicator_id\":\"pass\",\"indicators.version\":\"pass\","
    "\"indicators.kind\":\"pass\",\"indicators.value\":\"hash\"},\"retention_days\":30}"
    "}}]}";

static const char *const samples[] = {
    "{\"id\":\"W-1\",\"version\":1,\"name\":\"A\",\"birth_date\":\"1990-01-02\"}",
    "{\"referral_id\":\"R\",\"victims\":[{\"victim_id\":\"V\",\"birthdate\":\"2001\"}]}",
    ("{\"period_from\":\"2025\",\"period_to\":\"2025\",\"measure\":\"m\","
     "\"cells\":[{\"dims\":[\"a\"],\"count\":3}]}"),
    "{\"reference\":\"q\",\"question\":\"?\"}",
};

static struct policy *all_pass, *mix;

static void init(void)
{
    static int done;
    if (done)
        return;
    unsigned char key[32];
    struct buf b, why;
    if (sodium_init() < 0)
        abort();
    memset(key, 3, sizeof key);
    buf_init(&b, POLICY_MAX_FILE);
    buf_init(&why, 4096);
    if (policy_template("IDN", "KHM", "fuzz", key, &b) != 0 ||
        policy_parse(b.data, b.len, &all_pass, &why) != 0 ||
        policy_parse(mixed, strlen(mixed), &mix, &why) != 0)
        abort();
    buf_free(&b);
    buf_free(&why);
    done = 1;
}

/* Egress, then the oracles on what came out. */
static void through(const struct policy *p, const char *from, const char *to,
                    const struct msgtypes_type *t, const char *json, size_t len)
{
    struct buf out, why;
    buf_init(&out, 4u << 20);
    buf_init(&why, 4096);
    if (policy_egress(p, from, to, t->name, json, len, &out, NULL, &why) == 0) {
        json_t *obj = NULL;
        int reason = -1;
        buf_reset(&why);
        if (policy_ingress(p, from, to, t->name, out.data, out.len, &obj, &reason, &why) != 0)
            abort();
        if (reason != ENVELOPE_OK || obj == NULL)
            abort();
        struct buf sw;
        buf_init(&sw, 4096);
        if (msgtypes_check_payload(t, obj, &sw) != 0)
            abort();
        buf_free(&sw);
        json_decref(obj);
    }
    buf_free(&out);
    buf_free(&why);
}

static void fuzz_agreement(const uint8_t *d, size_t n)
{
    struct policy *p = NULL;
    struct buf why;
    buf_init(&why, 4096);
    if (policy_parse((const char *)d, n, &p, &why) == 0) {
        unsigned char h[32];
        envelope_hash(d, n, h);
        if (memcmp(h, policy_hash(p), 32) != 0)
            abort();
        for (size_t i = 0; i < msgtypes_count(); i++) {
            const struct msgtypes_type *t = msgtypes_at(i);
            if (t->control)
                continue;
            for (size_t s = 0; s < sizeof samples / sizeof samples[0]; s++) {
                through(p, policy_party(p, 0), policy_party(p, 1), t, samples[s],
                        strlen(samples[s]));
                through(p, policy_party(p, 1), policy_party(p, 0), t, samples[s],
                        strlen(samples[s]));
            }
        }
        policy_free(p);
    }
    buf_free(&why);
}

static void fuzz_payload(const uint8_t *d, size_t n)
{
    if (n < 1)
        return;
    const struct msgtypes_type *t = msgtypes_at(d[0] % msgtypes_count());
    const char *json = (const char *)d + 1;
    n--;
    if (t->control)
        return;
    through(all_pass, "IDN", "KHM", t, json, n);
    through(mix, "IDN", "KHM", t, json, n);
    /* Ingress on raw input: no crash, a reason whenever it refuses. */
    struct buf why;
    buf_init(&why, 4096);
    int reason = -1;
    int rc = policy_ingress(mix, "IDN", "KHM", t->name, json, n, NULL, &reason, &why);
    if ((rc == 0) != (reason == ENVELOPE_OK) || (rc != 0 && why.len == 0))
        abort();
    buf_free(&why);
}

/* ---- Structure-aware modes: JSON built from the input bytes -------------- */

struct src {
    const uint8_t *p;
    size_t n;
};

static unsigned next(struct src *s)
{
    if (s->n == 0)
        return 0;
    s->n--;
    return *s->p++;
}

static json_t *gen_string(struct src *s)
{
    static const char *const words[] = {"1990-05-17", "1990", "2024-02", "****AB12", "IDN",
                                        "person", "trafficker", "Active", "phone", "",
                                        "\xc3\xa9\xe4\xb8\xad", "a\tb", "0123456789abcdef"};
    unsigned k = next(s);
    if (k < 128)
        return json_string(words[k % (sizeof words / sizeof words[0])]);
    char buf[64];
    size_t len = next(s) % sizeof buf;
    for (size_t i = 0; i < len; i++)
        buf[i] = (char)(32 + next(s) % 95);
    return json_stringn(buf, len);
}

static json_t *gen_object(struct src *s, const struct msgtypes_type *t, int parent, int depth);

static json_t *gen_value(struct src *s, const struct msgtypes_type *t, int i, int depth)
{
    json_t *a;
    switch (next(s) % 9) {
    case 0: return json_null();
    case 1: return json_integer((json_int_t)next(s) - 20);
    case 2: return json_boolean(next(s) & 1);
    case 3:
        a = json_array();
        for (unsigned k = next(s) % 4; k > 0; k--)
            json_array_append_new(a, gen_string(s));
        return a;
    case 4:
        a = json_array();
        for (unsigned k = next(s) % 4; k > 0 && depth < 2; k--)
            json_array_append_new(a, gen_object(s, t, i, depth + 1));
        return a;
    default: return gen_string(s);
    }
}

/* An object of type t's fields under parent (mostly known keys). */
static json_t *gen_object(struct src *s, const struct msgtypes_type *t, int parent, int depth)
{
    json_t *o = json_object();
    for (unsigned k = next(s) % 12; k > 0 && s->n > 0; k--) {
        unsigned b = next(s);
        const char *key = "unknown";
        int i = (int)(b % t->nfields);
        if (b < 240 && msgtypes_parent_index(t, i) == parent)
            key = t->fields[i].name;
        else if (b < 240)
            continue;
        json_object_set_new(o, key, gen_value(s, t, i, depth));
    }
    return o;
}

static void fuzz_structured_payload(struct src *s)
{
    const struct msgtypes_type *t = msgtypes_at(next(s) % msgtypes_count());
    if (t->control)
        return;
    json_t *o = gen_object(s, t, -1, 0);
    char *json = json_dumps(o, JSON_COMPACT);
    if (json != NULL) {
        through(all_pass, "IDN", "KHM", t, json, strlen(json));
        through(mix, "IDN", "KHM", t, json, strlen(json));
        struct buf why;
        buf_init(&why, 4096);
        int reason;
        policy_ingress(mix, "IDN", "KHM", t->name, json, strlen(json), NULL, &reason, &why);
        buf_free(&why);
    }
    free(json);
    json_decref(o);
}

static void fuzz_structured_agreement(struct src *s)
{
    static const char *const xfs[] = {"pass", "drop", "truncate", "mask", "hash", "nope"};
    json_t *dirs = json_array();
    for (int d = 0; d < 2; d++) {
        if (next(s) & 1)
            continue;
        json_t *types = json_object();
        for (size_t i = 0; i < msgtypes_count(); i++) {
            const struct msgtypes_type *t = msgtypes_at(i);
            if ((next(s) & 3) != 0 || (t->control && (next(s) & 7) != 0))
                continue;
            json_t *fields = json_object();
            for (size_t f = 0; f < t->nfields; f++) {
                unsigned b = next(s);
                if (b % 7 < 6)
                    json_object_set_new(fields, t->fields[f].path, json_string(xfs[b % 6]));
            }
            json_t *terms = json_pack("{s:o, s:i}", "fields", fields, "retention_days",
                                      (int)next(s));
            if (next(s) & 1)
                json_object_set_new(terms, "small_cell_threshold", json_integer(next(s) % 12));
            json_object_set_new(types, t->name, terms);
        }
        json_array_append_new(dirs, json_pack("{s:s, s:s, s:o}", "from", d ? "KHM" : "IDN", "to",
                                              d ? "IDN" : "KHM", "types", types));
    }
    json_t *root = json_pack("{s:i, s:s, s:[s,s], s:s, s:o}", "lintas_agreement", 1, "id", "f",
                             "parties", "IDN", "KHM", "hash_key",
                             "0202020202020202020202020202020202020202020202020202020202020202",
                             "directions", dirs);
    char *text = json_dumps(root, JSON_COMPACT);
    struct policy *p = NULL;
    struct buf why;
    buf_init(&why, 4096);
    if (text != NULL && policy_parse(text, strlen(text), &p, &why) == 0) {
        const struct msgtypes_type *t = msgtypes_at(next(s) % msgtypes_count());
        json_t *o = gen_object(s, t, -1, 0);
        char *json = json_dumps(o, JSON_COMPACT);
        if (!t->control && json != NULL) {
            through(p, "IDN", "KHM", t, json, strlen(json));
            through(p, "KHM", "IDN", t, json, strlen(json));
        }
        free(json);
        json_decref(o);
        policy_free(p);
    }
    buf_free(&why);
    free(text);
    json_decref(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    init();
    if (size == 0)
        return 0;
    struct src s = {data + 1, size - 1};
    switch (data[0] % 4) {
    case 0: fuzz_agreement(data + 1, size - 1); break;
    case 1: fuzz_payload(data + 1, size - 1); break;
    case 2: fuzz_structured_payload(&s); break;
    default: fuzz_structured_agreement(&s); break;
    }
    return 0;
}
