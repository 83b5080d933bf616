/* screening_req: reads and validates a departure screening request —
 * traveller (MRZ or document fields, NIK), trip and sponsor — naming the
 * field of any problem. */
#include <string.h>

#include "domain/countries.h"
#include "domain/mrz.h"
#include "domain/names.h"
#include "services/documents.h"
#include "services/screening_int.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/text.h"
#include "util/timeutil.h"

static const char *const purposes[] = {"tourism", "family",     "business", "work",
                                       "study",   "pilgrimage", "medical",  "official",
                                       "crew",    "transit",    "other",    NULL};

static int str_field(json_t *o, const char *obj, const char *key, char *dst, size_t n,
                     struct buf *why)
{
    const char *v;
    json_t *x = json_object_get(o, key);
    if (x == NULL || json_is_null(x))
        return 0;
    if (!json_is_string(x) || json_string_length(x) >= n || json_string_length(x) !=
                                                                 strlen(json_string_value(x))) {
        buf_printf(why, "field '%s.%s': must be a string of at most %zu bytes", obj, key, n - 1);
        return ERR_INVALID;
    }
    v = json_string_value(x);
    if (text_check_free(v, strlen(v), n - 1, false) != NULL) {
        buf_printf(why, "field '%s.%s': %s", obj, key, text_check_free(v, strlen(v), n - 1, false));
        return ERR_INVALID;
    }
    text_copy(dst, n, v);
    return 0;
}

static int country_field(json_t *o, const char *obj, const char *key, char dst[4],
                         struct buf *why)
{
    char tmp[8] = "";
    int r = str_field(o, obj, key, tmp, sizeof tmp, why);
    if (r < 0 || tmp[0] == '\0')
        return r;
    if (!countries_known(tmp) || strlen(tmp) > 3) {
        buf_printf(why, "field '%s.%s': '%s' is not an ICAO 9303 country code", obj, key, tmp);
        return ERR_INVALID;
    }
    text_copy(dst, 4, tmp);
    return 0;
}

static int date_field(json_t *o, const char *obj, const char *key, int64_t *days,
                      struct buf *why)
{
    char tmp[16] = "";
    *days = -1;
    int r = str_field(o, obj, key, tmp, sizeof tmp, why);
    if (r < 0 || tmp[0] == '\0')
        return r;
    if (time_parse_date(tmp, days) < 0) {
        buf_printf(why, "field '%s.%s': expected a date YYYY-MM-DD", obj, key);
        return ERR_INVALID;
    }
    return 0;
}

static int tri_field(json_t *o, const char *obj, const char *key, int *out, struct buf *why)
{
    json_t *x = json_object_get(o, key);
    *out = -1;
    if (x == NULL || json_is_null(x))
        return 0;
    if (!json_is_boolean(x)) {
        buf_printf(why, "field '%s.%s': must be true or false", obj, key);
        return ERR_INVALID;
    }
    *out = json_is_true(x);
    return 0;
}

/* Folds the result fr of one field's check into *r: a bad field's message
 * (already in why) is ended with a newline so that the next bad field's
 * can follow (the HTTP layer lists them in an errors array), and checking
 * goes on; any other error (memory) stops it. */
static bool keep(int *r, int fr, struct buf *why)
{
    if (fr == 0)
        return true;
    if (*r == 0 || *r == ERR_INVALID)
        *r = fr;
    if (fr == ERR_INVALID && why->len > 0 && why->data[why->len - 1] != '\n')
        buf_putc(why, '\n');
    return fr == ERR_INVALID;
}

/* Reads the MRZ into q->document and the document fields it carries. */
static int read_mrz(json_t *mrz, int64_t today, struct dep_req *q, struct buf *why)
{
    const char *lines[DOCUMENTS_MAX_MRZ_LINES];
    size_t lens[DOCUMENTS_MAX_MRZ_LINES];
    size_t n = json_array_size(mrz);
    if (!json_is_array(mrz) || n == 0 || n > DOCUMENTS_MAX_MRZ_LINES) {
        buf_puts(why, "field 'traveller.mrz': must be an array of 2 or 3 strings");
        return ERR_INVALID;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *l = json_array_get(mrz, i);
        if (!json_is_string(l) || json_string_length(l) > 256) {
            buf_puts(why, "field 'traveller.mrz': must be an array of strings");
            return ERR_INVALID;
        }
        lines[i] = json_string_value(l);
        lens[i] = json_string_length(l);
    }
    struct mrz_result res;
    struct mrz_options opt = {.lenient = false, .today = today};
    int r = mrz_parse(lines, lens, n, &opt, &res);
    if (r < 0)
        return r;
    if (res.format == MRZ_FORMAT_UNKNOWN) {
        buf_puts(why, "field 'traveller.mrz': not a machine-readable zone (2 lines of 44 or 36 "
                      "characters, or 3 of 30)");
        return ERR_INVALID;
    }
    q->document = documents_mrz_json(&res);
    documents_person_from_mrz(&res, &q->docp);
    text_copy(q->doc_number, sizeof q->doc_number, res.document_number);
    text_copy(q->surname, sizeof q->surname, res.surname);
    text_copy(q->given, sizeof q->given, res.given_names);
    if (countries_known(res.nationality))
        text_copy(q->nationality, sizeof q->nationality, res.nationality);
    if (res.sex == 'M' || res.sex == 'F') {
        q->sex[0] = res.sex;
        q->sex[1] = '\0';
    }
    const char *bd = json_string_value(json_object_get(q->document, "birth_date"));
    if (bd != NULL)
        text_copy(q->birth_date, sizeof q->birth_date, bd);
    return 0;
}

static int parse_traveller(json_t *t, int64_t today, struct dep_req *q, struct buf *why)
{
    static const char *const allowed[] = {
        "mrz", "document_number", "document_issued", "surname", "given_names", "birth_date",
        "sex", "nationality", "nik", "pmi_registration", "first_passport", NULL};
    if (!json_is_object(t)) {
        buf_puts(why, "field 'traveller': is required (an object)");
        return ERR_INVALID;
    }
    int r = 0;
    keep(&r, json_only_keys(t, allowed, why), why);
    json_t *mrz = json_object_get(t, "mrz");
    bool mrz_ok = true;
    if (mrz != NULL && !json_is_null(mrz) && !keep(&r, read_mrz(mrz, today, q, why), why))
        return r;
    mrz_ok = r == 0;
    /* Fields given beside an MRZ fill only what it did not. */
    char tmp[128];
    const struct {
        const char *key;
        char *dst;
        size_t n;
    } fields[] = {{"document_number", q->doc_number, sizeof q->doc_number},
                  {"surname", q->surname, sizeof q->surname},
                  {"given_names", q->given, sizeof q->given},
                  {"birth_date", q->birth_date, sizeof q->birth_date},
                  {"nik", q->nik, sizeof q->nik}};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        tmp[0] = '\0';
        int fr = str_field(t, "traveller", fields[i].key, tmp, fields[i].n, why);
        if (!keep(&r, fr, why))
            return r;
        if (fr == 0 && tmp[0] != '\0' && fields[i].dst[0] == '\0')
            text_copy(fields[i].dst, fields[i].n, tmp);
    }
    if (q->nationality[0] == '\0' &&
        !keep(&r, country_field(t, "traveller", "nationality", q->nationality, why), why))
        return r;
    if (q->sex[0] == '\0') {
        char sx[8] = "";
        int fr = str_field(t, "traveller", "sex", sx, sizeof sx, why);
        if (fr == 0 && sx[0] != '\0' && (sx[1] != '\0' || strchr("MFUX", sx[0]) == NULL)) {
            buf_printf(why, "field 'traveller.sex': '%s' is not M, F, U or X", sx);
            fr = ERR_INVALID;
        }
        if (!keep(&r, fr, why))
            return r;
        if (fr == 0)
            text_copy(q->sex, sizeof q->sex, sx);
    }
    if (!keep(&r, date_field(t, "traveller", "document_issued", &q->doc_issued_days, why), why) ||
        !keep(&r, tri_field(t, "traveller", "first_passport", &q->first_passport, why), why))
        return r;
    json_t *pmi = json_object_get(t, "pmi_registration");
    q->pmi = pmi != NULL && (json_is_true(pmi) ||
                             (json_is_string(pmi) && json_string_length(pmi) > 0));
    if (q->birth_date[0] != '\0') {
        int64_t d;
        size_t bl = strlen(q->birth_date);
        if (bl == 10 ? time_parse_date(q->birth_date, &d) < 0 : (bl != 4 && bl != 7)) {
            buf_puts(why, "field 'traveller.birth_date': expected YYYY-MM-DD (or YYYY, YYYY-MM)");
            keep(&r, ERR_INVALID, why);
        }
    }
    if (r == 0 && mrz_ok && q->surname[0] == '\0' && q->given[0] == '\0' &&
        q->doc_number[0] == '\0') {
        buf_puts(why, mrz != NULL && !json_is_null(mrz)
                          ? "field 'traveller.mrz': holds no name and no document number"
                          : "field 'traveller': give an mrz, or a name or document_number");
        keep(&r, ERR_INVALID, why);
    }
    if (r == 0 && q->nik[0] != '\0') {
        q->has_nik = true;
        nik_parse(q->nik, strlen(q->nik), today, &q->nikr);
        /* Soft flags only: a NIK's date is sometimes wrong, and it is never reissued. */
        if (q->document != NULL)
            q->nik_flags = documents_cross_check(&q->nikr, &q->docp);
    }
    return r;
}

static int parse_trip(json_t *t, struct dep_req *q, int64_t today, struct buf *why)
{
    static const char *const allowed[] = {"carrier", "flight", "destination", "final_destination",
                                          "transit", "purpose", "return_ticket",
                                          "departure_date", "booking_ref", NULL};
    if (t == NULL || json_is_null(t))
        return 0;
    if (!json_is_object(t)) {
        buf_puts(why, "field 'trip': must be an object");
        return ERR_INVALID;
    }
    int r = 0;
    if (!keep(&r, json_only_keys(t, allowed, why), why) ||
        !keep(&r, str_field(t, "trip", "carrier", q->carrier, sizeof q->carrier, why), why) ||
        !keep(&r, str_field(t, "trip", "flight", q->flight, sizeof q->flight, why), why) ||
        !keep(&r, str_field(t, "trip", "booking_ref", q->booking_ref, sizeof q->booking_ref, why),
              why) ||
        !keep(&r, country_field(t, "trip", "destination", q->destination, why), why) ||
        !keep(&r, country_field(t, "trip", "final_destination", q->final_destination, why),
              why) ||
        !keep(&r, tri_field(t, "trip", "return_ticket", &q->return_ticket, why), why) ||
        !keep(&r, date_field(t, "trip", "departure_date", &q->departure_days, why), why))
        return r;
    if (q->departure_days < 0)
        q->departure_days = today;
    int pr = str_field(t, "trip", "purpose", q->purpose, sizeof q->purpose, why);
    if (!keep(&r, pr, why))
        return r;
    bool known = q->purpose[0] == '\0';
    for (size_t i = 0; !known && purposes[i] != NULL; i++)
        known = strcmp(purposes[i], q->purpose) == 0;
    if (pr == 0 && !known) {
        buf_puts(why, "field 'trip.purpose': must be one of tourism, family, business, work, "
                      "study, pilgrimage, medical, official, crew, transit, other");
        keep(&r, ERR_INVALID, why);
    }
    json_t *tr = json_object_get(t, "transit");
    if (tr != NULL && !json_is_null(tr)) {
        if (!json_is_array(tr) || json_array_size(tr) > DEP_MAX_TRANSIT) {
            buf_printf(why, "field 'trip.transit': must be an array of at most %d country codes",
                       DEP_MAX_TRANSIT);
            keep(&r, ERR_INVALID, why);
            return r;
        }
        for (size_t i = 0; i < json_array_size(tr); i++) {
            const char *c = json_string_value(json_array_get(tr, i));
            if (c == NULL || strlen(c) > 3 || !countries_known(c)) {
                buf_printf(why, "field 'trip.transit[%zu]': not an ICAO 9303 country code", i);
                keep(&r, ERR_INVALID, why);
                return r;
            }
            text_copy(q->transit[q->ntransit++], 4, c);
        }
    }
    return r;
}

static int parse_sponsor(json_t *t, struct dep_req *q, struct buf *why)
{
    static const char *const allowed[] = {"name", "company", "phone", NULL};
    if (t == NULL || json_is_null(t))
        return 0;
    if (!json_is_object(t)) {
        buf_puts(why, "field 'sponsor': must be an object");
        return ERR_INVALID;
    }
    char phone[64] = "";
    int r = 0;
    if (!keep(&r, json_only_keys(t, allowed, why), why) ||
        !keep(&r, str_field(t, "sponsor", "name", q->sponsor_name, sizeof q->sponsor_name, why),
              why) ||
        !keep(&r,
              str_field(t, "sponsor", "company", q->sponsor_company, sizeof q->sponsor_company,
                        why),
              why) ||
        !keep(&r, str_field(t, "sponsor", "phone", phone, sizeof phone, why), why))
        return r;
    /* Phones are compared in their international form: "+62 812-000",
     * "62812000" and "0812000" agree. One with no digit is no phone. */
    if (names_phone_normalise(phone, q->sponsor_phone) != 0)
        q->sponsor_phone[0] = '\0';
    return r;
}

int dep_req_parse(json_t *body, int64_t today, struct dep_req *q, struct buf *why)
{
    static const char *const allowed[] = {"checkpoint", "traveller", "trip", "sponsor", NULL};
    memset(q, 0, sizeof *q);
    q->doc_issued_days = -1;
    q->departure_days = -1;
    int r = 0;
    const char *cp = NULL;
    if (!keep(&r, json_only_keys(body, allowed, why), why) ||
        !keep(&r, json_get_str(body, "checkpoint", false, sizeof q->checkpoint - 1, &cp, why),
              why))
        goto out;
    if (cp != NULL)
        text_copy(q->checkpoint, sizeof q->checkpoint, cp);
    /* every bad field is reported, each on a line of its own */
    if (!keep(&r, parse_traveller(json_object_get(body, "traveller"), today, q, why), why) ||
        !keep(&r, parse_trip(json_object_get(body, "trip"), q, today, why), why) ||
        !keep(&r, parse_sponsor(json_object_get(body, "sponsor"), q, why), why))
        goto out;
    if (q->departure_days < 0)
        q->departure_days = today;
out:
    while (why->len > 0 && why->data[why->len - 1] == '\n') /* the last one's end */
        why->data[--why->len] = '\0';
    return r;
}

void dep_req_free(struct dep_req *q)
{
    json_decref(q->document);
    json_decref(q->nik_flags);
    q->document = q->nik_flags = NULL;
}
