/* documents: JSON rendering of MRZ and NIK readings, the NIK cross-check,
 * and the POST /api/v1/documents/parse body. Objects are built with
 * jansson; a helper records the first failed insertion so that each
 * builder checks for memory exhaustion once, at its end. */
#include "services/documents.h"

#include <stdio.h>
#include <string.h>

#include "domain/countries.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/limits.h"
#include "util/timeutil.h"

/* Builder state: ok turns false at the first failed insertion. */
struct jb {
    json_t *obj;
    bool ok;
};

static void put(struct jb *b, const char *key, json_t *v)
{
    if (v == NULL || b->obj == NULL || json_object_set_new(b->obj, key, v) != 0)
        b->ok = false;
}

static void push(struct jb *b, json_t *arr, json_t *v)
{
    if (v == NULL || arr == NULL || json_array_append_new(arr, v) != 0)
        b->ok = false;
}

/* A JSON string of s[0..len) with every byte outside printable ASCII
 * shown as '?': document text may be anything. */
static json_t *text(const char *s, size_t len)
{
    char tmp[128];
    if (len > sizeof tmp)
        len = sizeof tmp;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        tmp[i] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
    }
    return json_stringn(tmp, len);
}

static json_t *ctext(const char *s)
{
    return text(s, strlen(s));
}

/* A printed character for a message: 'c', or 0xHH when not printable. */
static void show_char(char out[8], char ch)
{
    unsigned char u = (unsigned char)ch;
    if (u >= 0x20 && u < 0x7f)
        snprintf(out, 8, "'%c'", ch);
    else
        snprintf(out, 8, "0x%02X", u);
}

static void date_text(char out[16], enum mrz_precision p, int y, int m, int d)
{
    if (p == MRZ_DATE_DAY)
        snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
    else if (p == MRZ_DATE_MONTH)
        snprintf(out, 16, "%04d-%02d", y, m);
    else if (p == MRZ_DATE_YEAR)
        snprintf(out, 16, "%04d", y);
    else
        out[0] = '\0';
}

static json_t *date_json(const struct mrz_date *d)
{
    char s[16];
    date_text(s, d->precision, d->year, d->month, d->day);
    return s[0] ? json_string(s) : json_null();
}

/* The message of one MRZ error: the phrase of its why, and the details. */
static void mrz_message(struct buf *m, const struct mrz_result *r, const struct mrz_error *e)
{
    char got[8], want[8];
    buf_puts(m, mrz_why_text(e->why));
    show_char(got, e->got);
    show_char(want, e->want);
    switch (e->why) {
    case MRZ_WHY_CHECK_MISMATCH:
    case MRZ_WHY_LONG_NUMBER_FILLER:
    case MRZ_WHY_PERSONAL_EMPTY:
        buf_printf(m, ": printed %s, computed %s", got, want);
        break;
    case MRZ_WHY_CHECK_NOT_DIGIT:
        buf_printf(m, ": printed %s", got);
        if (e->want)
            buf_printf(m, ", computed %s", want);
        break;
    case MRZ_WHY_CHARSET:
        buf_printf(m, ": %s at line %u, column %u", got, (unsigned)e->line, (unsigned)e->col);
        break;
    case MRZ_WHY_SEX:
    case MRZ_WHY_NAME_CHARSET:
        buf_printf(m, ": %s", got);
        break;
    case MRZ_WHY_SHAPE:
        buf_printf(m, "; got %zu line%s", r->n_lines, r->n_lines == 1 ? "" : "s");
        for (size_t i = 0; i < r->n_lines && i < MRZ_MAX_LINE_LENS; i++)
            buf_printf(m, "%s%zu",
                       i == 0                ? " of "
                       : i + 1 == r->n_lines ? " and "
                                             : ", ",
                       r->line_len[i]);
        if (r->n_lines > 0)
            buf_puts(m, r->n_lines > MRZ_MAX_LINE_LENS ? ", ... characters" : " characters");
        break;
    default:
        break;
    }
}

static json_t *mrz_errors(struct jb *b, const struct mrz_result *r)
{
    json_t *arr = json_array();
    struct buf m;
    buf_init(&m, 1024);
    for (size_t i = 0; i < r->n_errors && arr; i++) {
        const struct mrz_error *e = &r->errors[i];
        buf_reset(&m);
        mrz_message(&m, r, e);
        push(b, arr,
             json_pack("{s:s, s:s, s:s}", "field", mrz_field_name(e->field), "code",
                       mrz_code_name(e->code), "message", buf_cstr(&m)));
    }
    buf_free(&m);
    return arr;
}

static const char *deviation_field(enum mrz_deviation d)
{
    switch (d) {
    case MRZ_DEV_LONG_NUMBER_FILLER:
        return "document_number";
    case MRZ_DEV_NO_EXPIRY:
        return "expiry_date";
    case MRZ_DEV_SEX_X:
        return "sex";
    case MRZ_DEV_FRENCH_ID:
        break;
    }
    return "lines";
}

static json_t *mrz_deviations(struct jb *b, const struct mrz_result *r)
{
    static const enum mrz_deviation all[] = {MRZ_DEV_LONG_NUMBER_FILLER, MRZ_DEV_NO_EXPIRY,
                                             MRZ_DEV_SEX_X, MRZ_DEV_FRENCH_ID};
    json_t *arr = json_array();
    for (size_t i = 0; i < sizeof all / sizeof all[0] && arr; i++) {
        if (!(r->deviations & all[i]))
            continue;
        push(b, arr,
             json_pack("{s:s, s:s, s:s}", "code", mrz_deviation_name(all[i]), "field",
                       deviation_field(all[i]), "message", mrz_deviation_text(all[i])));
    }
    return arr;
}

static json_t *mrz_suggestions(struct jb *b, const struct mrz_result *r)
{
    json_t *arr = json_array();
    struct buf m;
    buf_init(&m, 1024);
    for (size_t i = 0; i < r->n_suggestions && arr; i++) {
        const struct mrz_suggestion *s = &r->suggestions[i];
        buf_reset(&m);
        if (s->field == MRZ_FIELD_NAMES)
            buf_puts(&m, "OCR: digits in the name may be misread letters (0->O, 1->I, 8->B, "
                         "5->S, 2->Z); no check digit confirms it");
        else if (s->field == MRZ_FIELD_ISSUING_STATE || s->field == MRZ_FIELD_NATIONALITY)
            buf_puts(&m, "OCR: reading the digits as letters gives a known code");
        else
            buf_puts(&m, "OCR: reading O, I, B, S, Z as 0, 1, 8, 5, 2 makes the check pass");
        json_t *o = json_object();
        struct jb sb = {o, true};
        put(&sb, "field", json_string(mrz_field_name(s->field)));
        put(&sb, "from", ctext(s->from));
        put(&sb, "to", ctext(s->to));
        put(&sb, "verified", json_boolean(s->verified));
        put(&sb, "message", json_string(buf_cstr(&m)));
        if (!sb.ok)
            b->ok = false;
        push(b, arr, o);
    }
    buf_free(&m);
    return arr;
}

static json_t *check_digits(struct jb *b, const struct mrz_result *r)
{
    static const char *const keys[] = {"document_number", "birth_date", "expiry_date",
                                       "optional_data", "composite"};
    const char cds[] = {r->check_number, r->check_birth, r->check_expiry, r->check_optional,
                        r->check_composite};
    json_t *o = json_object();
    struct jb cb = {o, true};
    for (size_t i = 0; i < 5; i++)
        if (cds[i] != 0)
            put(&cb, keys[i], text(&cds[i], 1));
    if (!cb.ok)
        b->ok = false;
    return o;
}

static json_t *country_name(const char *code, bool read)
{
    const char *n = read ? countries_name(code) : NULL;
    return n ? json_string(n) : json_null();
}

/* The fields read at ICAO positions; null for a document of unknown shape. */
static void mrz_fields(struct jb *b, const struct mrz_result *r)
{
    bool read = r->format != MRZ_FORMAT_UNKNOWN || (r->deviations & MRZ_DEV_FRENCH_ID);
    bool expiry = read && !(r->deviations & MRZ_DEV_FRENCH_ID);
#define FIELD(key, s) put(b, key, read ? ctext(s) : json_null())
    FIELD("document_code", r->document_code);
    FIELD("issuing_state", r->issuing_state);
    FIELD("document_number", r->document_number);
    FIELD("nationality", r->nationality);
    put(b, "birth_date", read ? date_json(&r->birth) : json_null());
    put(b, "sex", read && r->sex ? text(&r->sex, 1) : json_null());
    put(b, "expiry_date", expiry ? date_json(&r->expiry) : json_null());
    FIELD("surname", r->surname);
    FIELD("given_names", r->given_names);
    FIELD("optional_data", r->optional_data);
    FIELD("optional_data_2", r->optional_data_2);
#undef FIELD
    put(b, "names_truncated", json_boolean(read && r->names_truncated));
    put(b, "birth_date_raw", read ? ctext(r->birth.raw) : json_null());
    put(b, "expiry_date_raw", expiry ? ctext(r->expiry.raw) : json_null());
    put(b, "issuing_state_name", country_name(r->issuing_state, read));
    put(b, "nationality_name", country_name(r->nationality, read));
    put(b, "check_digits", read ? check_digits(b, r) : json_null());
}

json_t *documents_mrz_json(const struct mrz_result *r)
{
    struct jb b = {json_object(), true};
    put(&b, "valid", json_boolean(r->valid));
    put(&b, "format", json_string(mrz_format_name(r->format)));
    if (r->layout == MRZ_LAYOUT_FRENCH_ID)
        put(&b, "layout", json_string("french_national_id"));
    mrz_fields(&b, r);
    put(&b, "errors", mrz_errors(&b, r));
    put(&b, "lenient", json_boolean(r->lenient));
    put(&b, "deviations", mrz_deviations(&b, r));
    put(&b, "suggestions", mrz_suggestions(&b, r));
    if (!b.ok) {
        json_decref(b.obj);
        return NULL;
    }
    return b.obj;
}

static json_t *nik_errors(struct jb *b, const struct nik_result *r)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < r->n_errors && arr; i++) {
        const struct nik_error *e = &r->errors[i];
        push(b, arr,
             json_pack("{s:s, s:s, s:s}", "field", nik_field_name(e->field), "code",
                       nik_code_name(e->code), "message", nik_why_text(e->why)));
    }
    return arr;
}

json_t *documents_nik_json(const struct nik_result *r)
{
    struct jb b = {json_object(), true};
    size_t shown = r->input_len < NIK_ECHO_MAX ? r->input_len : NIK_ECHO_MAX;
    put(&b, "nik", text(r->input, shown));
    put(&b, "valid", json_boolean(r->valid));
    put(&b, "province_code", r->read ? ctext(r->province_code) : json_null());
    put(&b, "province", r->province ? json_string(r->province->name) : json_null());
    put(&b, "regency_code", r->read ? ctext(r->regency_code) : json_null());
    put(&b, "district_code", r->read ? ctext(r->district_code) : json_null());
    char d[16];
    date_text(d, r->birth_valid ? MRZ_DATE_DAY : MRZ_DATE_NONE, r->birth_year, r->birth_month,
              r->birth_day);
    put(&b, "birth_date", d[0] ? json_string(d) : json_null());
    put(&b, "sex", r->sex ? text(&r->sex, 1) : json_null());
    put(&b, "serial", r->read ? ctext(r->serial) : json_null());
    put(&b, "errors", nik_errors(&b, r));
    bool kind = r->read && r->regency_code[2] >= '0' && r->regency_code[2] <= '9' &&
                r->regency_code[3] >= '0' && r->regency_code[3] <= '9';
    put(&b, "regency_kind", kind ? json_string(r->city ? "city" : "regency") : json_null());
    if (r->province && r->province->split_note)
        put(&b, "province_note", json_string(r->province->split_note));
    if (!b.ok) {
        json_decref(b.obj);
        return NULL;
    }
    return b.obj;
}

void documents_person_from_mrz(const struct mrz_result *r, struct documents_person *p)
{
    memset(p, 0, sizeof *p);
    p->precision = r->birth.precision;
    p->year = r->birth.year;
    p->month = r->birth.month;
    p->day = r->birth.day;
    p->sex = r->sex;
}

static bool birth_agrees(const struct nik_result *n, const struct documents_person *p)
{
    int dy = n->birth_year - p->year;
    if (dy % 100 != 0)
        return false;
    if (p->precision >= MRZ_DATE_MONTH && p->month != n->birth_month)
        return false;
    return p->precision < MRZ_DATE_DAY || p->day == n->birth_day;
}

static void flag(struct jb *b, json_t *arr, const char *code, const char *field,
                 const char *message, const char *nik, const char *doc)
{
    push(b, arr,
         json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", code, "field", field, "message", message,
                   "nik", nik, "document", doc));
}

json_t *documents_cross_check(const struct nik_result *nik, const struct documents_person *doc)
{
    struct jb b = {NULL, true};
    json_t *arr = json_array();
    if (arr == NULL)
        return NULL;
    if (nik->birth_valid && doc->precision != MRZ_DATE_NONE && !birth_agrees(nik, doc)) {
        char a[16], d[16];
        date_text(a, MRZ_DATE_DAY, nik->birth_year, nik->birth_month, nik->birth_day);
        date_text(d, doc->precision, doc->year, doc->month, doc->day);
        flag(&b, arr, "birth_date_mismatch", "birth_date",
             "the NIK's birth date differs from the document's (a NIK never changes, so an "
             "error made at registration stays; check, do not refuse on this alone)",
             a, d);
    }
    bool nik_sex = nik->sex == 'M' || nik->sex == 'F';
    bool doc_sex = doc->sex == 'M' || doc->sex == 'F';
    if (nik_sex && doc_sex && nik->sex != doc->sex) {
        char a[2] = {nik->sex, 0}, d[2] = {doc->sex, 0};
        flag(&b, arr, "sex_mismatch", "sex",
             "the sex encoded in the NIK (day + 40 for women) differs from the document's", a, d);
    }
    if (!b.ok) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

int documents_mrz(const char *const *lines, const size_t *lens, size_t n_lines, bool lenient,
                  int64_t today, json_t **out)
{
    struct mrz_options opt = {.lenient = lenient, .today = today};
    struct mrz_result r;
    *out = NULL;
    int rc = mrz_parse(lines, lens, n_lines, &opt, &r);
    if (rc != 0)
        return rc;
    *out = documents_mrz_json(&r);
    return *out ? 0 : ERR_NOMEM;
}

int documents_nik(const char *s, size_t len, int64_t today, json_t **out)
{
    struct nik_result r;
    *out = NULL;
    int rc = nik_parse(s, len, today, &r);
    if (rc != 0)
        return rc;
    *out = documents_nik_json(&r);
    return *out ? 0 : ERR_NOMEM;
}

/* The request, checked: borrowed pointers into the body. */
struct parse_req {
    json_t *mrz; /* array of strings, or NULL */
    const char *nik;
    size_t nik_len;
    bool lenient;
    bool has_person;
    struct documents_person person;
};

static int check_mrz_field(json_t *v, struct buf *why)
{
    size_t n = json_array_size(v), total = 0;
    if (!json_is_array(v)) {
        buf_puts(why, "field 'mrz': must be an array of strings");
        return ERR_INVALID;
    }
    if (n == 0 || n > DOCUMENTS_MAX_MRZ_LINES) {
        buf_printf(why, "field 'mrz': must hold 1 to %u lines", DOCUMENTS_MAX_MRZ_LINES);
        return ERR_INVALID;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *s = json_array_get(v, i);
        if (!json_is_string(s)) {
            buf_puts(why, "field 'mrz': must be an array of strings");
            return ERR_INVALID;
        }
        total += json_string_length(s);
        if (total > LIMIT_MRZ_INPUT) {
            buf_printf(why, "field 'mrz': longer than %u bytes", LIMIT_MRZ_INPUT);
            return ERR_INVALID;
        }
    }
    return 0;
}

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD", a real date. */
static int parse_birth_field(const char *s, struct documents_person *p)
{
    size_t n = strlen(s);
    int v[3] = {0, 0, 0};
    static const size_t ends[3] = {4, 7, 10};
    if (n != 4 && n != 7 && n != 10)
        return ERR_INVALID;
    for (size_t i = 0, k = 0; i < n; i++) {
        if (i == ends[k]) {
            if (s[i] != '-')
                return ERR_INVALID;
            k++;
        } else if (s[i] >= '0' && s[i] <= '9') {
            v[k] = v[k] * 10 + (s[i] - '0');
        } else {
            return ERR_INVALID;
        }
    }
    p->year = v[0];
    p->month = v[1];
    p->day = v[2];
    p->precision = n == 10 ? MRZ_DATE_DAY : n == 7 ? MRZ_DATE_MONTH : MRZ_DATE_YEAR;
    if (p->year < 1 || (n >= 7 && (p->month < 1 || p->month > 12)))
        return ERR_INVALID;
    if (n == 10 && !time_valid_date(p->year, p->month, p->day))
        return ERR_INVALID;
    return 0;
}

static int read_person(json_t *body, struct parse_req *q, struct buf *why)
{
    const char *birth, *sex;
    int r = json_get_str(body, "birth_date", false, 16, &birth, why);
    if (r == 0)
        r = json_get_str(body, "sex", false, 4, &sex, why);
    if (r != 0)
        return r;
    if (birth == NULL && sex == NULL)
        return 0;
    if (q->mrz != NULL || q->nik == NULL) {
        buf_printf(why, "field '%s': only with 'nik' and without 'mrz' (cross-check data)",
                   birth ? "birth_date" : "sex");
        return ERR_INVALID;
    }
    q->has_person = true;
    if (birth != NULL && parse_birth_field(birth, &q->person) != 0) {
        buf_puts(why, "field 'birth_date': must be a date YYYY-MM-DD (or YYYY-MM, YYYY)");
        return ERR_INVALID;
    }
    if (sex != NULL && strcmp(sex, "M") != 0 && strcmp(sex, "F") != 0 && strcmp(sex, "X") != 0 &&
        strcmp(sex, "<") != 0) {
        buf_puts(why, "field 'sex': must be \"M\", \"F\", \"X\" or \"<\"");
        return ERR_INVALID;
    }
    q->person.sex = sex ? sex[0] : 0;
    return 0;
}

static int read_request(json_t *body, struct parse_req *q, struct buf *why)
{
    static const char *const keys[] = {"mrz", "nik", "lenient", "birth_date", "sex", NULL};
    memset(q, 0, sizeof *q);
    if (!json_is_object(body)) {
        buf_puts(why, "body: must be a JSON object");
        return ERR_INVALID;
    }
    int r = json_only_keys(body, keys, why);
    if (r == 0)
        r = json_get_bool(body, "lenient", false, false, &q->lenient, why);
    if (r != 0)
        return r;
    json_t *m = json_object_get(body, "mrz"), *n = json_object_get(body, "nik");
    if (m != NULL && !json_is_null(m)) {
        if ((r = check_mrz_field(m, why)) != 0)
            return r;
        q->mrz = m;
    }
    if (n != NULL && !json_is_null(n)) {
        if (!json_is_string(n) || json_string_length(n) > DOCUMENTS_MAX_NIK) {
            buf_printf(why, "field 'nik': must be a string of at most %u bytes", DOCUMENTS_MAX_NIK);
            return ERR_INVALID;
        }
        q->nik = json_string_value(n);
        q->nik_len = json_string_length(n);
    }
    if (q->mrz == NULL && q->nik == NULL) {
        buf_puts(why, "body: needs field 'mrz' (an array of lines) or 'nik'");
        return ERR_INVALID;
    }
    return read_person(body, q, why);
}

static int parse_mrz_part(const struct parse_req *q, int64_t today, struct mrz_result *r)
{
    const char *lines[DOCUMENTS_MAX_MRZ_LINES];
    size_t lens[DOCUMENTS_MAX_MRZ_LINES];
    size_t n = json_array_size(q->mrz);
    for (size_t i = 0; i < n; i++) {
        json_t *s = json_array_get(q->mrz, i);
        lines[i] = json_string_value(s);
        lens[i] = json_string_length(s);
    }
    struct mrz_options opt = {.lenient = q->lenient, .today = today};
    return mrz_parse(lines, lens, n, &opt, r);
}

int documents_parse_request(json_t *body, int64_t today_days, json_t **out, struct buf *why)
{
    struct parse_req q;
    struct mrz_result mrz;
    struct nik_result nik;
    json_t *res = NULL, *sub = NULL;
    int r = read_request(body, &q, why);
    *out = NULL;
    if (r != 0)
        goto out;
    r = ERR_NOMEM;
    if (q.nik != NULL && nik_parse(q.nik, q.nik_len, today_days, &nik) != 0)
        goto out;
    if (q.mrz != NULL) {
        if (parse_mrz_part(&q, today_days, &mrz) != 0 || !(res = documents_mrz_json(&mrz)))
            goto out;
        if (q.nik != NULL) {
            documents_person_from_mrz(&mrz, &q.person);
            q.has_person = true;
            if (!(sub = documents_nik_json(&nik)) || json_object_set_new(res, "nik", sub) != 0)
                goto out;
        }
    } else if (!(res = documents_nik_json(&nik))) {
        goto out;
    }
    if (q.has_person) {
        json_t *flags = documents_cross_check(&nik, &q.person);
        if (flags == NULL || json_object_set_new(res, "flags", flags) != 0)
            goto out;
    }
    *out = res;
    res = NULL; /* transferred */
    r = 0;
out:
    json_decref(res);
    return r;
}
