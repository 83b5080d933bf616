/* manifest_json: reading the JSON manifest form into struct paxlst_manifest
 * through domain/paxlst_build (so the checks are the PAXLST ones), and
 * rendering persons, flights, problems and the summary as JSON. Field lists
 * are tables (key, model field, offset, size, kind), read in one place. */
#include "domain/manifest_json.h"

#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "domain/paxlst_build.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/limits.h"
#include "util/timeutil.h"

enum jkind { J_TEXT, J_BIRTH, J_DATE, J_TIME };

struct jfield {
    const char *key;
    enum paxlst_field field;
    size_t off; /* into the struct being filled */
    size_t cap; /* bytes, without the NUL */
    enum jkind kind;
};

#define PF(k, f, m, c, kind)                                                                       \
    {                                                                                              \
        k, f, offsetof(struct paxlst_person, m), c, kind                                           \
    }
static const struct jfield person_fields[] = {
    PF("surname", PAXLST_F_SURNAME, surname, PAXLST_NAME_MAX, J_TEXT),
    PF("given_names", PAXLST_F_GIVEN_NAMES, given_names, PAXLST_NAME_MAX, J_TEXT),
    PF("birth_date", PAXLST_F_BIRTH_DATE, birth_date, PAXLST_DATE_MAX, J_BIRTH),
    PF("sex", PAXLST_F_SEX, sex, PAXLST_CODE_MAX, J_TEXT),
    PF("nationality", PAXLST_F_NATIONALITY, nationality, PAXLST_CODE_MAX, J_TEXT),
    PF("place_of_birth", PAXLST_F_BIRTH_PLACE, birth_place, PAXLST_TEXT_MAX, J_TEXT),
    PF("place_of_birth_code", PAXLST_F_BIRTH_PLACE, birth_place_code, PAXLST_CODE_MAX, J_TEXT),
    PF("residence_country", PAXLST_F_RESIDENCE, residence, PAXLST_CODE_MAX, J_TEXT),
    PF("port_of_embarkation", PAXLST_F_EMBARKATION, embarkation, PAXLST_CODE_MAX, J_TEXT),
    PF("port_of_debarkation", PAXLST_F_DEBARKATION, debarkation, PAXLST_CODE_MAX, J_TEXT),
    PF("port_of_first_arrival", PAXLST_F_FIRST_ARRIVAL, first_arrival, PAXLST_CODE_MAX, J_TEXT),
    PF("booking_ref", PAXLST_F_BOOKING_REF, booking_ref, PAXLST_REF_MAX, J_TEXT),
    PF("passenger_ref", PAXLST_F_PASSENGER_REF, passenger_ref, PAXLST_REF_MAX, J_TEXT),
    PF("seat", PAXLST_F_SEAT, seat, PAXLST_REF_MAX, J_TEXT),
    PF("crew_function", PAXLST_F_CREW_FUNCTION, crew_function, PAXLST_REF_MAX, J_TEXT),
    PF("phone", PAXLST_F_PHONE, phone, PAXLST_TEXT_MAX, J_TEXT),
    PF("email", PAXLST_F_EMAIL, email, PAXLST_TEXT_MAX, J_TEXT),
};
#undef PF

/* Document fields: key inside "documents" entries, and the flat key of the
 * primary document. */
#define DF(k, f, m, c, kind)                                                                       \
    {                                                                                              \
        k, f, offsetof(struct paxlst_doc, m), c, kind                                              \
    }
static const struct jfield doc_fields[] = {
    DF("type", PAXLST_F_DOC_TYPE, type, PAXLST_CODE_MAX, J_TEXT),
    DF("number", PAXLST_F_DOC_NUMBER, number, PAXLST_TEXT_MAX, J_TEXT),
    DF("issuer", PAXLST_F_DOC_ISSUER, issuer, PAXLST_CODE_MAX, J_TEXT),
    DF("expiry", PAXLST_F_DOC_EXPIRY, expiry, PAXLST_DATE_MAX, J_DATE),
    DF("issued", PAXLST_F_DOC_ISSUED, issued, PAXLST_DATE_MAX, J_DATE),
};
static const char *const doc_flat_keys[] = {"document_type", "document_number", "document_issuer",
                                            "document_expiry", "document_issued"};
#undef DF

#define AF(k, f, m, c)                                                                             \
    {                                                                                              \
        k, f, offsetof(struct paxlst_address, m), c, J_TEXT                                        \
    }
static const struct jfield address_fields[] = {
    AF("street", PAXLST_F_STREET, street, PAXLST_TEXT_MAX),
    AF("city", PAXLST_F_CITY, city, PAXLST_TEXT_MAX),
    AF("region", PAXLST_F_REGION, region, PAXLST_REF_MAX),
    AF("postcode", PAXLST_F_POSTCODE, postcode, PAXLST_REF_MAX),
    AF("country", PAXLST_F_ADDRESS_COUNTRY, country, PAXLST_CODE_MAX),
};
#undef AF

#define FF(k, f, m, c, kind)                                                                       \
    {                                                                                              \
        k, f, offsetof(struct paxlst_flight, m), c, kind                                           \
    }
static const struct jfield flight_fields[] = {
    FF("carrier", PAXLST_F_CARRIER, carrier, PAXLST_CODE_MAX, J_TEXT),
    FF("flight", PAXLST_F_FLIGHT, flight, PAXLST_REF_MAX, J_TEXT),
    FF("departure_port", PAXLST_F_DEPARTURE_PORT, departure_port, PAXLST_CODE_MAX, J_TEXT),
    FF("departure_time", PAXLST_F_DEPARTURE_TIME, departure_time, PAXLST_DATE_MAX, J_TIME),
    FF("arrival_port", PAXLST_F_ARRIVAL_PORT, arrival_port, PAXLST_CODE_MAX, J_TEXT),
    FF("arrival_time", PAXLST_F_ARRIVAL_TIME, arrival_time, PAXLST_DATE_MAX, J_TIME),
    FF("reporting_party", PAXLST_F_REPORTING_PARTY, reporting_party, PAXLST_NAME_MAX, J_TEXT),
};
#undef FF

#define NFIELDS(t) (sizeof(t) / sizeof((t)[0]))

/* ---- reading ---- */

struct jctx {
    struct paxlst_builder b;
    struct buf *why;
    char path[64]; /* "persons[12]." etc., prefix of error messages */
};

/* "persons[2].role: what"; with key "" the object itself ("persons[2]: what"). */
static int bad(struct jctx *c, const char *key, const char *what)
{
    size_t n = strlen(c->path);
    if (key[0] == '\0' && n > 0 && c->path[n - 1] == '.')
        n--;
    buf_printf(c->why, "%.*s%s: %s", (int)n, c->path, key, what);
    return ERR_INVALID;
}

/* Only keys from the tables, plus extra (NULL-terminated), may appear. */
static int only_keys(struct jctx *c, json_t *obj, const struct jfield *t, size_t n,
                     const char *const *extra)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        bool ok = false;
        for (size_t i = 0; i < n && !ok; i++)
            ok = strcmp(t[i].key, key) == 0;
        for (const char *const *e = extra; e != NULL && *e != NULL && !ok; e++)
            ok = strcmp(*e, key) == 0;
        if (!ok)
            return bad(c, key[0] != '\0' && strlen(key) < 64 ? key : "(key)", "unknown field");
    }
    return 0;
}

static int get_string(struct jctx *c, json_t *obj, const char *key, const char **s, size_t *n)
{
    json_t *v = json_object_get(obj, key);
    *s = NULL;
    *n = 0;
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return bad(c, key, "must be a string or null");
    *s = json_string_value(v);
    *n = json_string_length(v);
    return 0;
}

static bool digits_at(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* Normalises an ISO date (J_DATE), a possibly reduced birth date (J_BIRTH:
 * YYYY, YYYY-MM) or a date-time (J_TIME: YYYY-MM-DD[THH:MM[:SS]]) into out;
 * false when it is none of those. */
static bool iso_value(const char *s, size_t n, enum jkind kind, char out[PAXLST_DATE_MAX + 1])
{
    char tmp[PAXLST_DATE_MAX + 4];
    int64_t days;
    if (kind == J_BIRTH && (n == 4 || n == 7)) {
        bool ok =
            digits_at(s, 4) && (n == 4 || (s[4] == '-' && digits_at(s + 5, 2) && s[5] <= '1' &&
                                           (s[5] == '1' ? s[6] <= '2' : s[6] >= '1')));
        if (ok) {
            memcpy(out, s, n);
            out[n] = '\0';
        }
        return ok && (s[0] != '0' || s[1] != '0');
    }
    if (n != 10 && !(kind == J_TIME && (n == 16 || n == 19)))
        return false;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    if (n >= 16 &&
        (tmp[10] != 'T' || tmp[13] != ':' || !digits_at(tmp + 11, 2) || !digits_at(tmp + 14, 2) ||
         (tmp[11] - '0') * 10 + (tmp[12] - '0') > 23 || tmp[14] > '5'))
        return false;
    if (n == 19 && (tmp[16] != ':' || !digits_at(tmp + 17, 2) || tmp[17] > '5'))
        return false;
    tmp[n > 16 ? 16 : n] = '\0';
    if (!paxlst_iso_days(tmp, &days))
        return false;
    memcpy(out, tmp, strlen(tmp) + 1);
    return true;
}

/* Stores the fields of table t found in obj into base (a person, document,
 * address or flight) of person (or PAXLST_NONE) / flight. keys, when not
 * NULL, replaces the table's keys (flat document keys). */
static int read_fields(struct jctx *c, json_t *obj, const struct jfield *t, size_t n,
                       const char *const *keys, char *base, size_t person, unsigned doc)
{
    for (size_t i = 0; i < n; i++) {
        const char *key = keys != NULL ? keys[i] : t[i].key, *s;
        size_t len;
        if (get_string(c, obj, key, &s, &len) != 0)
            return ERR_INVALID;
        if (s == NULL || len == 0)
            continue;
        char *dst = base + t[i].off;
        size_t flight = person == PAXLST_NONE ? 0 : PAXLST_NONE;
        if (t[i].kind == J_TEXT) {
            paxlst_build_text(&c->b, person, flight, doc, t[i].field, dst, t[i].cap, s, len);
        } else if (!iso_value(s, len, t[i].kind, dst)) {
            dst[0] = '\0';
            paxlst_build_problem(&c->b, person, flight, doc, PAXLST_INVALID_DATE, t[i].field, NULL,
                                 s, len, 0, 0);
        }
    }
    return c->b.err;
}

static int read_documents(struct jctx *c, json_t *pj, size_t i, size_t i_json)
{
    json_t *docs = json_object_get(pj, "documents");
    char saved[sizeof c->path];
    if (docs == NULL || json_is_null(docs)) {
        struct paxlst_person *p = &c->b.m->persons[i];
        bool any = false;
        for (size_t k = 0; k < NFIELDS(doc_fields); k++) {
            json_t *v = json_object_get(pj, doc_flat_keys[k]);
            any = any || (v != NULL && !json_is_null(v));
        }
        if (!any) /* all absent or null: no document */
            return 0;
        p->ndocs = 1;
        return read_fields(c, pj, doc_fields, NFIELDS(doc_fields), doc_flat_keys,
                           (char *)&p->docs[0], i, 1);
    }
    if (!json_is_array(docs))
        return bad(c, "documents", "must be an array");
    /* flat fields may repeat the primary document (as rendered), not differ */
    json_t *first = json_array_get(docs, 0);
    for (size_t k = 0; k < NFIELDS(doc_fields); k++) {
        json_t *v = json_object_get(pj, doc_flat_keys[k]);
        json_t *w = json_is_object(first) ? json_object_get(first, doc_fields[k].key) : NULL;
        if (v != NULL && !json_is_null(v) && (w == NULL || !json_equal(v, w)))
            return bad(c, doc_flat_keys[k], "differs from documents[0]");
    }
    if (json_array_size(docs) > PAXLST_MAX_DOCS)
        return bad(c, "documents", "has more entries than are kept (4)");
    static_assert(PAXLST_MAX_DOCS == 4, "the message above names the maximum");
    memcpy(saved, c->path, sizeof saved);
    for (size_t d = 0; d < json_array_size(docs); d++) {
        json_t *dj = json_array_get(docs, d);
        snprintf(c->path, sizeof c->path, "persons[%zu].documents[%zu].", i_json, d);
        if (!json_is_object(dj))
            return bad(c, "", "must be an object");
        if (only_keys(c, dj, doc_fields, NFIELDS(doc_fields), NULL) != 0)
            return ERR_INVALID;
        struct paxlst_person *p = &c->b.m->persons[i];
        p->ndocs = d + 1;
        if (read_fields(c, dj, doc_fields, NFIELDS(doc_fields), NULL, (char *)&p->docs[d], i,
                        (unsigned)d + 1) != 0)
            return ERR_INVALID;
    }
    memcpy(c->path, saved, sizeof saved);
    return 0;
}

static int read_role(struct jctx *c, json_t *pj, enum paxlst_role *role, bool *transit)
{
    json_t *r = json_object_get(pj, "role"), *t = json_object_get(pj, "in_transit");
    const char *s = json_is_string(r) ? json_string_value(r) : "";
    if (strcmp(s, "passenger") == 0)
        *role = PAXLST_PASSENGER;
    else if (strcmp(s, "crew") == 0)
        *role = PAXLST_CREW;
    else
        return bad(c, "role", "must be \"passenger\" or \"crew\"");
    if (t != NULL && !json_is_null(t) && !json_is_boolean(t))
        return bad(c, "in_transit", "must be true or false");
    *transit = json_is_true(t);
    return 0;
}

static int read_person(struct jctx *c, json_t *pj, size_t idx)
{
    static const char *const extra[] = {"role",
                                        "in_transit",
                                        "documents",
                                        "address",
                                        "document_type",
                                        "document_number",
                                        "document_issuer",
                                        "document_expiry",
                                        "document_issued",
                                        NULL};
    enum paxlst_role role = PAXLST_PASSENGER;
    bool transit = false;
    snprintf(c->path, sizeof c->path, "persons[%zu].", idx);
    if (!json_is_object(pj))
        return bad(c, "", "must be an object");
    if (only_keys(c, pj, person_fields, NFIELDS(person_fields), extra) != 0 ||
        read_role(c, pj, &role, &transit) != 0)
        return ERR_INVALID;
    size_t i = paxlst_build_person(&c->b, 0, role);
    if (i == PAXLST_NONE)
        return c->b.err;
    c->b.m->persons[i].in_transit = transit;
    if (read_fields(c, pj, person_fields, NFIELDS(person_fields), NULL, (char *)&c->b.m->persons[i],
                    i, 0) != 0 ||
        read_documents(c, pj, i, idx) != 0)
        return ERR_INVALID;
    json_t *aj = json_object_get(pj, "address");
    if (aj == NULL || json_is_null(aj))
        return 0;
    snprintf(c->path, sizeof c->path, "persons[%zu].address.", idx);
    if (!json_is_object(aj))
        return bad(c, "", "must be an object");
    if (only_keys(c, aj, address_fields, NFIELDS(address_fields), NULL) != 0)
        return ERR_INVALID;
    return read_fields(c, aj, address_fields, NFIELDS(address_fields), NULL,
                       (char *)&c->b.m->persons[i].address, i, 0);
}

static int read_flight(struct jctx *c, json_t *fj)
{
    static const char *const extra[] = {"list_type", NULL};
    struct paxlst_flight *f = &c->b.m->flights[0];
    snprintf(c->path, sizeof c->path, "flight.");
    if (fj == NULL || json_is_null(fj))
        return 0;
    if (!json_is_object(fj))
        return bad(c, "", "must be an object");
    if (only_keys(c, fj, flight_fields, NFIELDS(flight_fields), extra) != 0)
        return ERR_INVALID;
    json_t *lt = json_object_get(fj, "list_type");
    const char *l = json_is_string(lt) ? json_string_value(lt) : NULL;
    if (lt != NULL && !json_is_null(lt) && l == NULL)
        return bad(c, "list_type", "must be \"passengers\" or \"crew\"");
    if (l != NULL && strcmp(l, "passengers") == 0)
        f->list = PAXLST_LIST_PASSENGERS;
    else if (l != NULL && strcmp(l, "crew") == 0)
        f->list = PAXLST_LIST_CREW;
    else if (l != NULL)
        return bad(c, "list_type", "must be \"passengers\" or \"crew\"");
    return read_fields(c, fj, flight_fields, NFIELDS(flight_fields), NULL, (char *)f, PAXLST_NONE,
                       0);
}

static int read_manifest(struct jctx *c, json_t *root)
{
    static const char *const top[] = {"flight", "persons", NULL};
    c->path[0] = '\0';
    if (only_keys(c, root, NULL, 0, top) != 0)
        return ERR_INVALID;
    json_t *persons = json_object_get(root, "persons");
    if (!json_is_array(persons))
        return bad(c, "persons", "must be an array");
    if (json_array_size(persons) > LIMIT_MANIFEST_PERSONS) {
        buf_printf(c->why, "persons: more than %u", LIMIT_MANIFEST_PERSONS);
        return ERR_LIMIT;
    }
    if (paxlst_build_flight(&c->b) == PAXLST_NONE)
        return c->b.err;
    if (read_flight(c, json_object_get(root, "flight")) != 0)
        return ERR_INVALID;
    for (size_t i = 0; i < json_array_size(persons); i++) {
        int r = read_person(c, json_array_get(persons, i), i);
        if (r != 0)
            return r;
    }
    return c->b.err;
}

int manifest_json_parse(const char *data, size_t len, const struct paxlst_options *opt,
                        struct paxlst_manifest **out, struct buf *why)
{
    int r = ERR_INTERNAL;
    json_t *root = NULL;
    struct jctx c = {.why = why};
    bool started = false;
    *out = NULL;
    if (len > LIMIT_MANIFEST) {
        buf_printf(why, "input: larger than %u bytes", LIMIT_MANIFEST);
        r = ERR_LIMIT;
        goto out;
    }
    r = json_decode_object(data, len, &root, why);
    if (r != 0)
        goto out;
    r = paxlst_build_init(&c.b, opt, PAXLST_FROM_JSON, why);
    if (r != 0)
        goto out;
    started = true;
    c.b.charset = PAXLST_CS_UTF8;
    r = read_manifest(&c, root);
    if (r == 0)
        r = paxlst_build_finish(&c.b, out);
out:
    if (started)
        paxlst_build_abort(&c.b);
    json_decref(root);
    return r;
}

int manifest_parse(const char *data, size_t len, const struct paxlst_options *opt,
                   struct paxlst_manifest **out, struct buf *why)
{
    size_t i = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    if (i < len && data[i] == '{')
        return manifest_json_parse(data + i, len - i, opt, out, why);
    return paxlst_parse(data, len, opt, out, why);
}

/* ---- rendering ---- */

/* Sets key to a new string, or null when s is empty (when nullable), or
 * leaves it out. Returns false on allocation failure. */
static bool put_str(json_t *o, const char *key, const char *s, bool nullable)
{
    if (s[0] == '\0' && !nullable)
        return true;
    return json_object_set_new(o, key, s[0] != '\0' ? json_string(s) : json_null()) == 0;
}

static bool put_int(json_t *o, const char *key, int64_t v)
{
    return json_object_set_new(o, key, json_integer(v)) == 0;
}

json_t *manifest_problem_json(const struct paxlst_problem *p)
{
    char msg[256];
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    paxlst_problem_message(p, msg, sizeof msg);
    bool ok = put_str(o, "field", paxlst_field_name(p->field), false) &&
              put_str(o, "code", paxlst_code_name(p->code), false) &&
              put_str(o, "message", msg, false);
    if (ok && p->doc > 1)
        ok = put_int(o, "document", p->doc);
    if (ok && p->person == PAXLST_NONE && p->flight != PAXLST_NONE)
        ok = put_int(o, "flight", (int64_t)p->flight);
    if (ok && p->segment > 0)
        ok = put_int(o, "segment", (int64_t)p->segment);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *doc_json(const struct paxlst_doc *d)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    for (size_t k = 0; k < NFIELDS(doc_fields); k++) {
        if (!put_str(o, doc_fields[k].key, (const char *)d + doc_fields[k].off, false)) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

/* Adds the fields of table t read from base; core ones as null when empty. */
static bool put_fields(json_t *o, const struct jfield *t, size_t n, const char *const *keys,
                       const char *base, size_t ncore)
{
    for (size_t k = 0; k < n; k++)
        if (!put_str(o, keys != NULL ? keys[k] : t[k].key, base + t[k].off, k < ncore))
            return false;
    return true;
}

static bool put_documents(json_t *o, const struct paxlst_person *p)
{
    static const struct paxlst_doc none;
    const struct paxlst_doc *d = p->ndocs > 0 ? &p->docs[0] : &none;
    if (!put_fields(o, doc_fields, NFIELDS(doc_fields), doc_flat_keys, (const char *)d, 4))
        return false;
    if (p->ndocs < 2)
        return true;
    json_t *a = json_array();
    if (a == NULL || json_object_set_new(o, "documents", a) != 0)
        return false;
    for (size_t k = 0; k < p->ndocs; k++)
        if (json_array_append_new(a, doc_json(&p->docs[k])) != 0)
            return false;
    return true;
}

static bool put_address(json_t *o, const struct paxlst_address *a)
{
    json_t *aj = json_object();
    if (aj == NULL)
        return false;
    if (!put_fields(aj, address_fields, NFIELDS(address_fields), NULL, (const char *)a, 0)) {
        json_decref(aj);
        return false;
    }
    if (json_object_size(aj) == 0) {
        json_decref(aj);
        return true;
    }
    return json_object_set_new(o, "address", aj) == 0;
}

static bool put_problems(json_t *o, const struct paxlst_problem *p, size_t n)
{
    json_t *a = json_array();
    if (a == NULL || json_object_set_new(o, "problems", a) != 0)
        return false;
    for (size_t k = 0; k < n; k++)
        if (json_array_append_new(a, manifest_problem_json(&p[k])) != 0)
            return false;
    return true;
}

json_t *manifest_person_json(const struct paxlst_manifest *m, size_t i)
{
    const struct paxlst_person *p = &m->persons[i];
    const struct paxlst_flight *f = p->flight < m->nflights ? &m->flights[p->flight] : NULL;
    json_t *o = json_object();
    bool ok = o != NULL && put_str(o, "role", paxlst_role_name(p->role), false);
    if (ok && p->in_transit)
        ok = json_object_set_new(o, "in_transit", json_true()) == 0;
    if (ok && f != NULL)
        ok = put_str(o, "carrier", f->carrier, false) && put_str(o, "flight", f->flight, false);
    /* core fields (null when absent), then the primary document, then the rest */
    ok = ok && put_fields(o, person_fields, 5, NULL, (const char *)p, 5) && put_documents(o, p) &&
         put_fields(o, person_fields + 5, NFIELDS(person_fields) - 5, NULL, (const char *)p, 0) &&
         put_address(o, &p->address) &&
         put_problems(o, &m->problems[p->problem_first], p->problem_count);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *leg_json(const struct paxlst_leg *l)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    bool ok = put_str(o, "flight", l->flight, false) && put_str(o, "carrier", l->carrier, false) &&
              put_str(o, "departure_port", l->departure_port, false) &&
              put_str(o, "departure_time", l->departure_time, false) &&
              put_str(o, "arrival_port", l->arrival_port, false) &&
              put_str(o, "arrival_time", l->arrival_time, false);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static bool put_parts(json_t *o, const struct paxlst_flight *f)
{
    if (!f->multipart && f->final_part <= 1 && f->nparts <= 1)
        return true;
    bool complete = f->final_part > 0;
    for (unsigned n = 1; n <= f->final_part; n++)
        complete = complete && ((f->parts_seen[n / 64] >> (n % 64)) & 1u);
    json_t *pj = json_pack("{s:I, s:o, s:b}", "received", (json_int_t)f->nparts, "final",
                           f->final_part > 0 ? json_integer(f->final_part) : json_null(),
                           "complete", complete);
    return pj != NULL && json_object_set_new(o, "parts", pj) == 0;
}

static bool put_legs(json_t *o, const struct paxlst_flight *f)
{
    if (f->nlegs < 2)
        return true;
    json_t *a = json_array();
    if (a == NULL || json_object_set_new(o, "legs", a) != 0)
        return false;
    for (size_t k = 0; k < f->nlegs; k++)
        if (json_array_append_new(a, leg_json(&f->legs[k])) != 0)
            return false;
    return true;
}

json_t *manifest_flight_json(const struct paxlst_manifest *m, size_t k)
{
    const struct paxlst_flight *f = &m->flights[k];
    json_t *o = json_object();
    bool ok = o != NULL && put_fields(o, flight_fields, 6, NULL, (const char *)f, 6) &&
              put_str(o, "list_type", paxlst_list_name(f->list), false) &&
              put_str(o, "document_code", f->document_code, false) &&
              put_str(o, "document_id", f->document_id, false) &&
              put_str(o, "common_ref", f->common_ref, false) &&
              put_str(o, "message_ref", f->message_ref, false) &&
              put_str(o, "transaction_ref", f->transaction_ref, false) &&
              put_str(o, "reporting_party", f->reporting_party, false) &&
              put_str(o, "reporting_phone", f->reporting_phone, false) &&
              put_str(o, "reporting_email", f->reporting_email, false) && put_legs(o, f) &&
              put_parts(o, f);
    if (ok && f->declared_passengers >= 0)
        ok = put_int(o, "declared_passengers", f->declared_passengers);
    if (ok && f->declared_crew >= 0)
        ok = put_int(o, "declared_crew", f->declared_crew);
    ok = ok && put_int(o, "passengers", (int64_t)f->passengers) &&
         put_int(o, "crew", (int64_t)f->crew);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Fields counted per carrier in the summary. */
static const enum paxlst_field tracked[] = {
    PAXLST_F_SURNAME,     PAXLST_F_SEX,        PAXLST_F_BIRTH_DATE,
    PAXLST_F_NATIONALITY, PAXLST_F_DOCUMENT,   PAXLST_F_DOC_TYPE,
    PAXLST_F_DOC_NUMBER,  PAXLST_F_DOC_ISSUER, PAXLST_F_DOC_EXPIRY,
};
#define NTRACKED NFIELDS(tracked)

struct carrier_count {
    const char *carrier;
    size_t persons, with_problems;
    size_t missing[NTRACKED], invalid[NTRACKED];
};

/* Marks which tracked fields of person p are missing or invalid. */
static void person_marks(const struct paxlst_manifest *m, const struct paxlst_person *p,
                         bool missing[NTRACKED], bool invalid[NTRACKED])
{
    for (size_t k = 0; k < p->problem_count; k++) {
        const struct paxlst_problem *pr = &m->problems[p->problem_first + k];
        if (pr->doc > 1 || pr->code == PAXLST_CHARSET || pr->code == PAXLST_OVER_LONG)
            continue;
        for (size_t t = 0; t < NTRACKED; t++) {
            if (pr->field != tracked[t])
                continue;
            if (pr->code == PAXLST_MISSING)
                missing[t] = true;
            else
                invalid[t] = true;
        }
    }
}

static json_t *counts_json(const size_t *v)
{
    json_t *o = json_object();
    for (size_t t = 0; o != NULL && t < NTRACKED; t++) {
        if (json_object_set_new(o, paxlst_field_name(tracked[t]), json_integer((json_int_t)v[t]))) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

static json_t *carriers_json(const struct paxlst_manifest *m)
{
    struct carrier_count cc[PAXLST_MAX_MESSAGES];
    size_t of_flight[PAXLST_MAX_MESSAGES], ncc = 0;
    for (size_t k = 0; k < m->nflights && k < PAXLST_MAX_MESSAGES; k++) {
        size_t c = 0;
        while (c < ncc && strcmp(cc[c].carrier, m->flights[k].carrier) != 0)
            c++;
        if (c == ncc)
            cc[ncc++] = (struct carrier_count){.carrier = m->flights[k].carrier};
        of_flight[k] = c;
    }
    for (size_t i = 0; i < m->npersons; i++) {
        const struct paxlst_person *p = &m->persons[i];
        if (p->flight >= m->nflights || p->flight >= PAXLST_MAX_MESSAGES)
            continue;
        struct carrier_count *c = &cc[of_flight[p->flight]];
        bool missing[NTRACKED] = {false}, invalid[NTRACKED] = {false};
        person_marks(m, p, missing, invalid);
        c->persons++;
        c->with_problems += p->problem_count > 0;
        for (size_t t = 0; t < NTRACKED; t++) {
            c->missing[t] += missing[t];
            c->invalid[t] += invalid[t];
        }
    }
    json_t *a = json_array();
    for (size_t c = 0; a != NULL && c < ncc; c++) {
        json_t *o = json_pack("{s:o, s:I, s:I, s:o, s:o}", "carrier",
                              cc[c].carrier[0] ? json_string(cc[c].carrier) : json_null(),
                              "persons", (json_int_t)cc[c].persons, "persons_with_problems",
                              (json_int_t)cc[c].with_problems, "missing",
                              counts_json(cc[c].missing), "invalid", counts_json(cc[c].invalid));
        if (json_array_append_new(a, o) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *interchange_json(const struct paxlst_manifest *m)
{
    json_t *o = json_object();
    bool ok = o != NULL && put_str(o, "syntax", m->syntax, false) &&
              put_str(o, "sender", m->sender, false) &&
              put_str(o, "recipient", m->recipient, false) &&
              put_str(o, "reference", m->interchange_ref, false) &&
              put_str(o, "group_sender", m->group_sender, false) &&
              put_str(o, "group_recipient", m->group_recipient, false);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *manifest_summary_json(const struct paxlst_manifest *m)
{
    size_t pax = 0, crew = 0, with = 0;
    for (size_t i = 0; i < m->npersons; i++) {
        pax += m->persons[i].role == PAXLST_PASSENGER;
        crew += m->persons[i].role == PAXLST_CREW;
        with += m->persons[i].problem_count > 0;
    }
    json_t *o = json_object(), *flights = json_array();
    bool ok = o != NULL && flights != NULL &&
              put_str(o, "source", m->source == PAXLST_FROM_JSON ? "json" : "edifact", false);
    if (ok && m->source == PAXLST_FROM_EDIFACT)
        ok = json_object_set_new(o, "interchange", interchange_json(m)) == 0;
    ok = ok && json_object_set(o, "flights", flights) == 0;
    for (size_t k = 0; ok && k < m->nflights; k++)
        ok = json_array_append_new(flights, manifest_flight_json(m, k)) == 0;
    ok = ok && put_int(o, "persons", (int64_t)m->npersons) &&
         put_int(o, "passengers", (int64_t)pax) && put_int(o, "crew", (int64_t)crew) &&
         put_int(o, "persons_with_problems", (int64_t)with) &&
         json_object_set_new(o, "carriers", carriers_json(m)) == 0 &&
         put_problems(o, m->problems, m->manifest_problems);
    if (ok && m->problems_dropped > 0)
        ok = put_int(o, "problems_dropped", (int64_t)m->problems_dropped);
    json_decref(flights);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}
