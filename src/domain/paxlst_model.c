/* paxlst_model: the manifest model shared by the EDIFACT and JSON readers:
 * bounded growth of the flight, person and problem arrays, conversion of
 * incoming text to clean UTF-8, the whole-manifest checks, and the wording of
 * problems. */
#include "domain/paxlst.h"
#include "domain/paxlst_build.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/countries.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/limits.h"
#include "util/text.h"
#include "util/timeutil.h"

#define EXPIRY_FAR_YEARS 20 /* a document valid longer than this after departure is implausible */

struct field_info {
    const char *name;  /* stable JSON name */
    const char *label; /* for messages */
    const char *seg;   /* where EDIFACT carries it, for messages */
    unsigned std;      /* standard length; 0 means only the field's capacity */
};

static const struct field_info fields[PAXLST_F_COUNT] = {
    [PAXLST_F_ROLE] = {"role", "role", "NAD qualifier", 0},
    [PAXLST_F_SURNAME] = {"surname", "surname", "NAD", PAXLST_STD_LEN},
    [PAXLST_F_GIVEN_NAMES] = {"given_names", "given names", "NAD", PAXLST_STD_LEN},
    [PAXLST_F_SEX] = {"sex", "sex", "ATT+2", 0},
    [PAXLST_F_BIRTH_DATE] = {"birth_date", "birth date", "DTM+329", 0},
    [PAXLST_F_NATIONALITY] = {"nationality", "nationality", "NAT", 0},
    [PAXLST_F_BIRTH_PLACE] = {"place_of_birth", "place of birth", "LOC+180", PAXLST_STD_LEN},
    [PAXLST_F_RESIDENCE] = {"residence_country", "country of residence", "LOC+174", 0},
    [PAXLST_F_EMBARKATION] = {"port_of_embarkation", "port of embarkation", "LOC+178", 0},
    [PAXLST_F_DEBARKATION] = {"port_of_debarkation", "port of debarkation", "LOC+179", 0},
    [PAXLST_F_FIRST_ARRIVAL] = {"port_of_first_arrival", "port of first arrival", "LOC+22", 0},
    [PAXLST_F_BOOKING_REF] = {"booking_ref", "booking reference", "RFF+AVF", PAXLST_STD_LEN},
    [PAXLST_F_PASSENGER_REF] = {"passenger_ref", "passenger reference", "RFF+ABO", PAXLST_STD_LEN},
    [PAXLST_F_SEAT] = {"seat", "seat", "RFF+SEA", PAXLST_STD_LEN},
    [PAXLST_F_CREW_FUNCTION] = {"crew_function", "crew function", "EMP", PAXLST_STD_LEN},
    [PAXLST_F_PHONE] = {"phone", "phone", "COM", 0},
    [PAXLST_F_EMAIL] = {"email", "e-mail", "COM", 0},
    [PAXLST_F_STREET] = {"address.street", "street", "NAD", PAXLST_STD_LEN},
    [PAXLST_F_CITY] = {"address.city", "city", "NAD", PAXLST_STD_LEN},
    [PAXLST_F_REGION] = {"address.region", "region", "NAD", PAXLST_STD_LEN},
    [PAXLST_F_POSTCODE] = {"address.postcode", "postcode", "NAD", 17},
    [PAXLST_F_ADDRESS_COUNTRY] = {"address.country", "address country", "NAD", 0},
    [PAXLST_F_DOCUMENT] = {"document", "travel document", "DOC", 0},
    [PAXLST_F_DOC_TYPE] = {"document_type", "document type", "DOC", 0},
    [PAXLST_F_DOC_NUMBER] = {"document_number", "document number", "DOC", PAXLST_STD_LEN},
    [PAXLST_F_DOC_ISSUER] = {"document_issuer", "document issuing state", "LOC+91", 0},
    [PAXLST_F_DOC_EXPIRY] = {"document_expiry", "document expiry date", "DTM+36", 0},
    [PAXLST_F_DOC_ISSUED] = {"document_issued", "document issue date", "DTM+182", 0},
    [PAXLST_F_FLIGHT] = {"flight", "flight number", "TDT", PAXLST_STD_LEN},
    [PAXLST_F_CARRIER] = {"carrier", "carrier", "TDT", 0},
    [PAXLST_F_DEPARTURE_PORT] = {"departure_port", "departure airport", "LOC+125", 0},
    [PAXLST_F_ARRIVAL_PORT] = {"arrival_port", "arrival airport", "LOC+87", 0},
    [PAXLST_F_DEPARTURE_TIME] = {"departure_time", "departure time", "DTM+189", 0},
    [PAXLST_F_ARRIVAL_TIME] = {"arrival_time", "arrival time", "DTM+232", 0},
    [PAXLST_F_REPORTING_PARTY] = {"reporting_party", "reporting party", "NAD+MS", PAXLST_STD_LEN},
    [PAXLST_F_REFERENCE] = {"reference", "reference", "UNH/RFF", PAXLST_STD_LEN},
    [PAXLST_F_PARTS] = {"parts", "message parts", "UNH", 0},
    [PAXLST_F_LEGS] = {"legs", "flight legs", "TDT", 0},
    [PAXLST_F_SENDER] = {"sender", "sender", "UNB/UNG", PAXLST_STD_LEN},
    [PAXLST_F_RECIPIENT] = {"recipient", "recipient", "UNB/UNG", PAXLST_STD_LEN},
    [PAXLST_F_UNA] = {"UNA", "UNA", "UNA", 0},
    [PAXLST_F_UNB] = {"UNB", "UNB", "UNB", 0},
    [PAXLST_F_UNG] = {"UNG", "UNG", "UNG", 0},
    [PAXLST_F_UNH] = {"UNH", "UNH", "UNH", 0},
    [PAXLST_F_BGM] = {"BGM", "BGM", "BGM", 0},
    [PAXLST_F_CNT] = {"CNT", "CNT control total", "CNT", 0},
    [PAXLST_F_UNT] = {"UNT", "UNT segment count", "UNT", 0},
    [PAXLST_F_UNE] = {"UNE", "UNE message count", "UNE", 0},
    [PAXLST_F_UNZ] = {"UNZ", "UNZ count", "UNZ", 0},
    [PAXLST_F_SEGMENT] = {"segment", "segment", "", 0},
    [PAXLST_F_INPUT] = {"input", "input", "", 0},
    [PAXLST_F_PERSONS] = {"persons", "persons", "", 0},
};

static const char *const code_names[PAXLST_CODE_COUNT] = {
    [PAXLST_MISSING] = "missing",
    [PAXLST_INVALID_DATE] = "invalid_date",
    [PAXLST_IMPLAUSIBLE_DATE] = "implausible_date",
    [PAXLST_EXPIRED] = "expired",
    [PAXLST_INCONSISTENT] = "inconsistent",
    [PAXLST_UNKNOWN_CODE] = "unknown_code",
    [PAXLST_INVALID_VALUE] = "invalid_value",
    [PAXLST_CHARSET] = "charset",
    [PAXLST_OVER_LONG] = "over_long",
    [PAXLST_DUPLICATE] = "duplicate",
    [PAXLST_COUNT_MISMATCH] = "count_mismatch",
    [PAXLST_REFERENCE_MISMATCH] = "reference_mismatch",
    [PAXLST_INCOMPLETE] = "incomplete",
    [PAXLST_MALFORMED] = "malformed",
    [PAXLST_UNEXPECTED] = "unexpected",
    [PAXLST_UNKNOWN_SEGMENT] = "unknown_segment",
    [PAXLST_TOO_MANY] = "too_many",
    [PAXLST_ENVELOPE] = "envelope",
    [PAXLST_TRAILING_DATA] = "trailing_data",
};

const char *paxlst_role_name(enum paxlst_role r)
{
    return r == PAXLST_CREW ? "crew" : "passenger";
}

const char *paxlst_list_name(enum paxlst_list l)
{
    switch (l) {
    case PAXLST_LIST_PASSENGERS:
        return "passengers";
    case PAXLST_LIST_CREW:
        return "crew";
    case PAXLST_LIST_OTHER:
        return "other";
    default:
        return "unknown";
    }
}

const char *paxlst_code_name(enum paxlst_code c)
{
    return (unsigned)c < PAXLST_CODE_COUNT ? code_names[c] : "unknown";
}

const char *paxlst_field_name(enum paxlst_field f)
{
    return (unsigned)f < PAXLST_F_COUNT ? fields[f].name : "unknown";
}

const struct paxlst_doc *paxlst_primary_doc(const struct paxlst_person *p)
{
    return p->ndocs > 0 ? &p->docs[0] : NULL;
}

void paxlst_free(struct paxlst_manifest *m)
{
    if (m == NULL)
        return;
    free(m->flights);
    free(m->persons);
    free(m->problems);
    free(m);
}

/* ---- building ---- */

int paxlst_build_init(struct paxlst_builder *b, const struct paxlst_options *opt,
                      enum paxlst_source source, struct buf *why)
{
    *b = (struct paxlst_builder){.opt = opt, .why = why, .charset = PAXLST_CS_UNOA};
    b->m = calloc(1, sizeof *b->m);
    if (b->m == NULL)
        return ERR_NOMEM;
    b->m->source = source;
    return 0;
}

void paxlst_build_abort(struct paxlst_builder *b)
{
    paxlst_free(b->m);
    b->m = NULL;
}

void paxlst_build_fail(struct paxlst_builder *b, int err, const char *fmt, ...)
{
    if (b->err != 0)
        return;
    b->err = err;
    if (b->why != NULL) {
        va_list ap;
        va_start(ap, fmt);
        buf_vprintf(b->why, fmt, ap);
        va_end(ap);
    }
}

/* Makes room for one more element of size sz in *arr (count n, capacity
 * *cap), doubling; false (b->err = ERR_NOMEM) on failure. */
static bool grow(struct paxlst_builder *b, void **arr, size_t n, size_t *cap, size_t sz)
{
    if (n < *cap)
        return true;
    size_t ncap = *cap == 0 ? 8 : *cap * 2;
    void *p = reallocarray(*arr, ncap, sz);
    if (p == NULL) {
        paxlst_build_fail(b, ERR_NOMEM, "out of memory");
        return false;
    }
    memset((char *)p + *cap * sz, 0, (ncap - *cap) * sz);
    *arr = p;
    *cap = ncap;
    return true;
}

size_t paxlst_build_flight(struct paxlst_builder *b)
{
    struct paxlst_manifest *m = b->m;
    if (b->err != 0)
        return PAXLST_NONE;
    if (m->nflights >= PAXLST_MAX_MESSAGES) {
        paxlst_build_fail(b, ERR_LIMIT, "input: more than %u messages", PAXLST_MAX_MESSAGES);
        return PAXLST_NONE;
    }
    if (!grow(b, (void **)&m->flights, m->nflights, &m->cap_flights, sizeof *m->flights))
        return PAXLST_NONE;
    struct paxlst_flight *f = &m->flights[m->nflights];
    memset(f, 0, sizeof *f);
    f->declared_passengers = -1;
    f->declared_crew = -1;
    return m->nflights++;
}

size_t paxlst_build_person(struct paxlst_builder *b, size_t flight, enum paxlst_role role)
{
    struct paxlst_manifest *m = b->m;
    if (b->err != 0)
        return PAXLST_NONE;
    if (m->npersons >= LIMIT_MANIFEST_PERSONS) {
        paxlst_build_fail(b, ERR_LIMIT, "manifest: more than %u persons", LIMIT_MANIFEST_PERSONS);
        return PAXLST_NONE;
    }
    if (!grow(b, (void **)&m->persons, m->npersons, &m->cap_persons, sizeof *m->persons))
        return PAXLST_NONE;
    struct paxlst_person *p = &m->persons[m->npersons];
    memset(p, 0, sizeof *p);
    p->role = role;
    p->flight = flight;
    p->segment = b->segment;
    if (flight < m->nflights) {
        if (role == PAXLST_CREW)
            m->flights[flight].crew++;
        else
            m->flights[flight].passengers++;
    }
    return m->npersons++;
}

/* ---- text ---- */

/* The UNOA repertoire: A-Z, 0-9, space and . , - ( ) / = ' + : ? ! " % & * ; < > */
static bool in_unoa(unsigned char c)
{
    static const uint32_t bits[4] = {
        0x00000000u, /* 0x00-0x1F: controls */
        0xFFFFFFE7u, /* 0x20-0x3F: all but # and $ */
        0x07FFFFFEu, /* 0x40-0x5F: A-Z */
        0x00000000u, /* 0x60-0x7F: no lower case */
    };
    return c < 0x80 && ((bits[c >> 5] >> (c & 31)) & 1u);
}

/* Length of the UTF-8 sequence at s[0..n) when it is one well-formed
 * character, else 0. */
static size_t utf8_char(const unsigned char *s, size_t n)
{
    size_t k = s[0] < 0xC2 ? 0 : s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : s[0] < 0xF5 ? 4 : 0;
    if (k == 0 || k > n)
        return 0;
    return text_utf8_valid((const char *)s, k) ? k : 0;
}

struct conv {
    char *dst;
    size_t cap;
    size_t len;   /* bytes written */
    size_t chars; /* characters in the whole value, written or not */
    bool cut;
    bool charset; /* a byte outside the repertoire */
};

static void put_bytes(struct conv *c, const char *p, size_t n)
{
    c->chars++;
    if (c->cut || c->len + n > c->cap) {
        c->cut = true;
        return;
    }
    memcpy(c->dst + c->len, p, n);
    c->len += n;
}

static void put_codepoint(struct conv *c, unsigned cp)
{
    char u[3];
    if (cp < 0x80) {
        u[0] = (char)cp;
        put_bytes(c, u, 1);
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        put_bytes(c, u, 2);
    } else {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        put_bytes(c, u, 3);
    }
}

/* Converts s[0..n) (already trimmed) into c according to cs. */
static void convert(struct conv *c, enum paxlst_charset cs, const unsigned char *s, size_t n)
{
    int as_utf8 = cs == PAXLST_CS_UTF8 ? 1 : cs == PAXLST_CS_LATIN1 ? 0 : -1; /* -1: not known */
    for (size_t i = 0; i < n;) {
        unsigned char ch = s[i];
        if (ch < 0x20 || ch == 0x7F) {
            c->charset = true;
            put_codepoint(c, ' ');
            i++;
        } else if (ch < 0x80) {
            if (cs == PAXLST_CS_UNOA && !in_unoa(ch))
                c->charset = true;
            put_codepoint(c, ch);
            i++;
        } else if (as_utf8 < 0) {
            /* the first byte above ASCII: is the whole value UTF-8? */
            as_utf8 = text_utf8_valid((const char *)s, n);
        } else if (as_utf8 && utf8_char(s + i, n - i) > 0) {
            size_t k = utf8_char(s + i, n - i);
            if (cs != PAXLST_CS_UTF8)
                c->charset = true;
            put_bytes(c, (const char *)s + i, k);
            i += k;
        } else if (cs == PAXLST_CS_LATIN1 && ch >= 0xA0) {
            put_codepoint(c, ch);
            i++;
        } else {
            /* C1 controls, undecodable 8859 bytes, stray bytes: Latin-1 when
             * printable there, else U+FFFD. */
            c->charset = true;
            put_codepoint(c, ch >= 0xA0 && cs != PAXLST_CS_8BIT ? ch : 0xFFFD);
            i++;
        }
    }
    while (c->len > 0 && c->dst[c->len - 1] == ' ')
        c->len--;
    c->dst[c->len] = '\0';
}

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

static const char *charset_name(enum paxlst_charset cs)
{
    static const char *const names[] = {"UNOA", "UNOB", "ISO 8859-1", "ISO 8859", "UTF-8"};
    return names[cs];
}

bool paxlst_build_text(struct paxlst_builder *b, size_t person, size_t flight, unsigned doc,
                       enum paxlst_field f, char *dst, size_t cap, const char *src, size_t len)
{
    struct conv c = {.dst = dst, .cap = cap};
    trim(&src, &len);
    convert(&c, b->charset, (const unsigned char *)src, len);
    if (c.charset) {
        if (b->opt->strict_charset)
            paxlst_build_fail(b, ERR_INVALID, "segment %zu (%s): %s has bytes outside %s",
                              b->segment, b->segment_tag ? b->segment_tag : "-", fields[f].label,
                              charset_name(b->charset));
        paxlst_build_problem(b, person, flight, doc, PAXLST_CHARSET, f, charset_name(b->charset),
                             src, len, 0, 0);
    }
    unsigned std = fields[f].std;
    if (c.cut || (std > 0 && c.chars > std)) {
        paxlst_build_problem(b, person, flight, doc, PAXLST_OVER_LONG, f, NULL, src, len,
                             (int64_t)c.chars, std > 0 ? (int64_t)std : (int64_t)cap);
        struct paxlst_manifest *m = b->m;
        if (c.cut && m->nproblems > 0 && m->problems[m->nproblems - 1].code == PAXLST_OVER_LONG)
            m->problems[m->nproblems - 1].truncated = true;
    }
    return c.len > 0;
}

/* ---- problems ---- */

void paxlst_build_problem(struct paxlst_builder *b, size_t person, size_t flight, unsigned doc,
                          enum paxlst_code code, enum paxlst_field field, const char *detail,
                          const char *value, size_t vlen, int64_t a, int64_t bb)
{
    struct paxlst_manifest *m = b->m;
    if (b->err == ERR_NOMEM || m == NULL)
        return;
    if (person != PAXLST_NONE) {
        struct paxlst_person *p = &m->persons[person];
        if (field <= PAXLST_F_PERSON_LAST && doc <= 1)
            p->flagged |= UINT64_C(1) << field;
        if (++p->nproblems > PAXLST_MAX_PERSON_PROBLEMS) {
            m->problems_dropped++;
            return;
        }
        if (flight == PAXLST_NONE)
            flight = p->flight;
    } else if (++m->manifest_problems > PAXLST_MAX_MANIFEST_PROBLEMS) {
        m->problems_dropped++;
        return;
    }
    if (!grow(b, (void **)&m->problems, m->nproblems, &m->cap_problems, sizeof *m->problems))
        return;
    struct paxlst_problem *pr = &m->problems[m->nproblems++];
    *pr = (struct paxlst_problem){.code = code,
                                  .field = field,
                                  .person = person,
                                  .flight = flight,
                                  .doc = doc,
                                  .segment = b->segment,
                                  .detail = detail,
                                  .a = a,
                                  .b = bb};
    if (pr->segment > 0 && b->segment_tag != NULL) {
        text_copy(pr->tag, sizeof pr->tag, b->segment_tag);
    } else if (person != PAXLST_NONE && m->persons[person].segment > 0) {
        pr->segment = m->persons[person].segment; /* a whole-person check: point at its NAD */
        text_copy(pr->tag, sizeof pr->tag, "NAD");
    }
    if (value != NULL && vlen > 0) {
        struct conv c = {.dst = pr->value, .cap = PAXLST_EXCERPT_MAX};
        convert(&c, PAXLST_CS_UNOB, (const unsigned char *)value, vlen);
    }
}

/* ---- whole-manifest checks ---- */

bool paxlst_iso_days(const char *s, int64_t *days)
{
    int v[3] = {0, 0, 0};
    static const size_t pos[3] = {0, 5, 8}, len[3] = {4, 2, 2};
    if (strlen(s) < 10 || s[4] != '-' || s[7] != '-' || (s[10] != '\0' && s[10] != 'T'))
        return false;
    for (size_t k = 0; k < 3; k++) {
        for (size_t i = pos[k]; i < pos[k] + len[k]; i++) {
            if (s[i] < '0' || s[i] > '9')
                return false;
            v[k] = v[k] * 10 + (s[i] - '0');
        }
    }
    if (!time_valid_date(v[0], v[1], v[2]))
        return false;
    *days = time_days_from_civil(v[0], v[1], v[2]);
    return true;
}

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_port(const char *s)
{
    return is_upper(s[0]) && is_upper(s[1]) && is_upper(s[2]) && s[3] == '\0';
}

/* Airline designator at the start of a flight id: two characters (not both
 * digits) or three letters, then 1-4 digits and an optional letter. */
static size_t designator_len(const char *s, size_t n)
{
    for (size_t k = 2; k <= 3; k++) {
        if (n < k + 1)
            continue;
        bool ok = k == 2
                      ? (is_upper(s[0]) || is_digit(s[0])) && (is_upper(s[1]) || is_digit(s[1])) &&
                            !(is_digit(s[0]) && is_digit(s[1]))
                      : is_upper(s[0]) && is_upper(s[1]) && is_upper(s[2]);
        size_t d = k;
        while (d < n && is_digit(s[d]))
            d++;
        if (ok && d > k && d - k <= 4 && (d == n || (d + 1 == n && is_upper(s[d]))))
            return k;
    }
    return 0;
}

static void derive_carrier(struct paxlst_flight *f)
{
    size_t k = designator_len(f->flight, strlen(f->flight));
    const char *from = f->flight;
    if (k == 0) {
        size_t n = strcspn(f->common_ref, "/ ");
        k = designator_len(f->common_ref, n);
        from = f->common_ref;
    }
    if (k > 0) {
        memcpy(f->carrier, from, k);
        f->carrier[k] = '\0';
    }
}

static void finish_flight(struct paxlst_builder *b, size_t k)
{
    struct paxlst_flight *f = &b->m->flights[k];
    if (f->nlegs > 0) {
        f->main_leg = 0;
        for (size_t i = 0; i < f->nlegs; i++) {
            if (f->legs[i].border) {
                f->main_leg = i;
                break;
            }
        }
        const struct paxlst_leg *l = &f->legs[f->main_leg];
        text_copy(f->flight, sizeof f->flight, l->flight);
        text_copy(f->departure_port, sizeof f->departure_port, l->departure_port);
        text_copy(f->arrival_port, sizeof f->arrival_port, l->arrival_port);
        text_copy(f->departure_time, sizeof f->departure_time, l->departure_time);
        text_copy(f->arrival_time, sizeof f->arrival_time, l->arrival_time);
        text_copy(f->carrier, sizeof f->carrier, l->carrier);
        for (size_t i = 0; i < f->nlegs && f->carrier[0] == '\0'; i++)
            text_copy(f->carrier, sizeof f->carrier, f->legs[i].carrier);
    }
    if (f->carrier[0] == '\0')
        derive_carrier(f);
    static const enum paxlst_field required[] = {PAXLST_F_FLIGHT, PAXLST_F_CARRIER,
                                                 PAXLST_F_DEPARTURE_PORT, PAXLST_F_ARRIVAL_PORT,
                                                 PAXLST_F_DEPARTURE_TIME};
    const char *value[] = {f->flight, f->carrier, f->departure_port, f->arrival_port,
                           f->departure_time};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (value[i][0] == '\0')
            paxlst_build_problem(b, PAXLST_NONE, k, 0, PAXLST_MISSING, required[i], NULL, NULL, 0,
                                 0, 0);
    if (f->departure_port[0] != '\0' && !is_port(f->departure_port))
        paxlst_build_problem(b, PAXLST_NONE, k, 0, PAXLST_INVALID_VALUE, PAXLST_F_DEPARTURE_PORT,
                             "is not a three-letter airport code", f->departure_port,
                             strlen(f->departure_port), 0, 0);
    if (f->arrival_port[0] != '\0' && !is_port(f->arrival_port))
        paxlst_build_problem(b, PAXLST_NONE, k, 0, PAXLST_INVALID_VALUE, PAXLST_F_ARRIVAL_PORT,
                             "is not a three-letter airport code", f->arrival_port,
                             strlen(f->arrival_port), 0, 0);
}

/* The day checks are made against: departure, else arrival, else today. */
static int64_t reference_day(const struct paxlst_builder *b, size_t flight)
{
    int64_t d;
    if (flight < b->m->nflights) {
        const struct paxlst_flight *f = &b->m->flights[flight];
        if (paxlst_iso_days(f->departure_time, &d) || paxlst_iso_days(f->arrival_time, &d))
            return d;
    }
    return b->opt->today;
}

static void check_code(struct paxlst_builder *b, size_t i, unsigned doc, enum paxlst_field f,
                       const char *v)
{
    if (v[0] != '\0' && !countries_known(v))
        paxlst_build_problem(b, i, PAXLST_NONE, doc, PAXLST_UNKNOWN_CODE, f,
                             "is not an ICAO 9303 country code", v, strlen(v), 0, 0);
}

static void check_port(struct paxlst_builder *b, size_t i, enum paxlst_field f, const char *v)
{
    if (v[0] != '\0' && !is_port(v))
        paxlst_build_problem(b, i, PAXLST_NONE, 0, PAXLST_INVALID_VALUE, f,
                             "is not a three-letter airport code", v, strlen(v), 0, 0);
}

static void check_missing(struct paxlst_builder *b, size_t i, unsigned doc, enum paxlst_field f,
                          const char *v)
{
    const struct paxlst_person *p = &b->m->persons[i];
    bool flagged = doc <= 1 && (p->flagged & (UINT64_C(1) << f)) != 0;
    if (v[0] == '\0' && !flagged)
        paxlst_build_problem(b, i, PAXLST_NONE, doc, PAXLST_MISSING, f, NULL, NULL, 0, 0, 0);
}

static void check_codes(struct paxlst_builder *b, size_t i)
{
    const struct paxlst_person *p = &b->m->persons[i];
    check_code(b, i, 0, PAXLST_F_NATIONALITY, p->nationality);
    check_code(b, i, 0, PAXLST_F_RESIDENCE, p->residence);
    check_code(b, i, 0, PAXLST_F_ADDRESS_COUNTRY, p->address.country);
    for (size_t d = 0; d < p->ndocs; d++)
        check_code(b, i, (unsigned)d + 1, PAXLST_F_DOC_ISSUER, p->docs[d].issuer);
    if (p->sex[0] != '\0' && (p->sex[1] != '\0' || strchr("MFUX", p->sex[0]) == NULL))
        paxlst_build_problem(b, i, PAXLST_NONE, 0, PAXLST_UNKNOWN_CODE, PAXLST_F_SEX,
                             "is not M, F, U or X", p->sex, strlen(p->sex), 0, 0);
    check_port(b, i, PAXLST_F_EMBARKATION, p->embarkation);
    check_port(b, i, PAXLST_F_DEBARKATION, p->debarkation);
    check_port(b, i, PAXLST_F_FIRST_ARRIVAL, p->first_arrival);
}

static void check_missing_all(struct paxlst_builder *b, size_t i)
{
    const struct paxlst_person *p = &b->m->persons[i];
    check_missing(b, i, 0, PAXLST_F_SURNAME, p->surname);
    check_missing(b, i, 0, PAXLST_F_SEX, p->sex);
    check_missing(b, i, 0, PAXLST_F_BIRTH_DATE, p->birth_date);
    check_missing(b, i, 0, PAXLST_F_NATIONALITY, p->nationality);
    if (p->ndocs == 0) {
        check_missing(b, i, 0, PAXLST_F_DOCUMENT, "");
        return;
    }
    check_missing(b, i, 1, PAXLST_F_DOC_TYPE, p->docs[0].type);
    check_missing(b, i, 1, PAXLST_F_DOC_NUMBER, p->docs[0].number);
    check_missing(b, i, 1, PAXLST_F_DOC_ISSUER, p->docs[0].issuer);
    check_missing(b, i, 1, PAXLST_F_DOC_EXPIRY, p->docs[0].expiry);
    for (size_t d = 1; d < p->ndocs; d++)
        check_missing(b, i, (unsigned)d + 1, PAXLST_F_DOC_NUMBER, p->docs[d].number);
}

static void date_problem(struct paxlst_builder *b, size_t i, unsigned doc, enum paxlst_code code,
                         enum paxlst_field f, const char *detail, const char *v)
{
    paxlst_build_problem(b, i, PAXLST_NONE, doc, code, f, detail, v, strlen(v), 0, 0);
}

static void check_doc_dates(struct paxlst_builder *b, size_t i, size_t d, int64_t ref,
                            bool has_birth, int64_t birth)
{
    const struct paxlst_doc *doc = &b->m->persons[i].docs[d];
    unsigned dn = (unsigned)d + 1;
    int64_t exp = 0, iss = 0;
    bool has_exp = paxlst_iso_days(doc->expiry, &exp);
    bool has_iss = paxlst_iso_days(doc->issued, &iss);
    if (has_exp) {
        int y, mo, da;
        time_civil_from_days(ref, &y, &mo, &da);
        int64_t far = time_days_from_civil(y + EXPIRY_FAR_YEARS, mo, mo == 2 && da == 29 ? 28 : da);
        if (has_birth && exp <= birth)
            date_problem(b, i, dn, PAXLST_INCONSISTENT, PAXLST_F_DOC_EXPIRY,
                         "is not after the birth date", doc->expiry);
        else if (exp < ref)
            date_problem(b, i, dn, PAXLST_EXPIRED, PAXLST_F_DOC_EXPIRY, NULL, doc->expiry);
        else if (exp > far)
            date_problem(b, i, dn, PAXLST_IMPLAUSIBLE_DATE, PAXLST_F_DOC_EXPIRY,
                         "is more than 20 years after the departure", doc->expiry);
    }
    if (has_iss && iss > ref)
        date_problem(b, i, dn, PAXLST_IMPLAUSIBLE_DATE, PAXLST_F_DOC_ISSUED,
                     "is after the departure", doc->issued);
    else if (has_iss && has_exp && iss > exp)
        date_problem(b, i, dn, PAXLST_INCONSISTENT, PAXLST_F_DOC_ISSUED, "is after the expiry date",
                     doc->issued);
}

static void check_dates(struct paxlst_builder *b, size_t i)
{
    const struct paxlst_person *p = &b->m->persons[i];
    int64_t ref = reference_day(b, p->flight);
    int64_t birth = 0;
    bool has_birth = paxlst_iso_days(p->birth_date, &birth);
    if (has_birth && (birth > ref || birth > b->opt->today)) {
        date_problem(b, i, 0, PAXLST_IMPLAUSIBLE_DATE, PAXLST_F_BIRTH_DATE,
                     "is after the departure (or today)", p->birth_date);
        has_birth = false;
    }
    for (size_t d = 0; d < p->ndocs; d++)
        check_doc_dates(b, i, d, ref, has_birth, birth);
}

struct dup_slot {
    size_t person; /* PAXLST_NONE when free */
    size_t doc;
};

static uint64_t doc_hash(const struct paxlst_person *p, size_t d)
{
    uint64_t h = 1469598103934665603u ^ (uint64_t)p->flight;
    for (const char *s = p->docs[d].number; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    h = (h ^ 0xFF) * 1099511628211u;
    for (const char *s = p->docs[d].issuer; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static bool same_doc(const struct paxlst_person *p, size_t d, const struct paxlst_person *q,
                     size_t e)
{
    return p->flight == q->flight && strcmp(p->docs[d].number, q->docs[e].number) == 0 &&
           strcmp(p->docs[d].issuer, q->docs[e].issuer) == 0;
}

/* Flags every person whose document (number and issuer) also belongs to
 * another person on the same flight. Linear: one hash table. */
static void check_duplicates(struct paxlst_builder *b)
{
    struct paxlst_manifest *m = b->m;
    size_t ndocs = 0, size = 16;
    for (size_t i = 0; i < m->npersons; i++)
        ndocs += m->persons[i].ndocs;
    while (size < 2 * ndocs)
        size *= 2;
    struct dup_slot *t = malloc(size * sizeof *t);
    bool *flagged = calloc(m->npersons + 1, sizeof *flagged);
    if (t == NULL || flagged == NULL) {
        paxlst_build_fail(b, ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < size; k++)
        t[k].person = PAXLST_NONE;
    for (size_t i = 0; i < m->npersons; i++) {
        for (size_t d = 0; d < m->persons[i].ndocs; d++) {
            const struct paxlst_person *p = &m->persons[i];
            if (p->docs[d].number[0] == '\0')
                continue;
            size_t k = doc_hash(p, d) & (size - 1);
            while (t[k].person != PAXLST_NONE &&
                   !same_doc(p, d, &m->persons[t[k].person], t[k].doc))
                k = (k + 1) & (size - 1);
            if (t[k].person == PAXLST_NONE) {
                t[k] = (struct dup_slot){.person = i, .doc = d};
                continue;
            }
            size_t o = t[k].person;
            if (o == i)
                continue;
            const char *num = p->docs[d].number;
            paxlst_build_problem(b, i, PAXLST_NONE, (unsigned)d + 1, PAXLST_DUPLICATE,
                                 PAXLST_F_DOC_NUMBER, NULL, num, strlen(num), (int64_t)o + 1, 0);
            if (!flagged[o]) {
                flagged[o] = true;
                num = m->persons[o].docs[t[k].doc].number;
                paxlst_build_problem(b, o, PAXLST_NONE, (unsigned)t[k].doc + 1, PAXLST_DUPLICATE,
                                     PAXLST_F_DOC_NUMBER, NULL, num, strlen(num), (int64_t)i + 1,
                                     0);
            }
        }
    }
out:
    free(t);
    free(flagged);
}

/* Orders problems: the manifest's first, then each person's, keeping the
 * order in which they were found (a stable counting sort). */
static void sort_problems(struct paxlst_builder *b)
{
    struct paxlst_manifest *m = b->m;
    size_t nb = m->npersons + 1;
    size_t *start = calloc(nb + 1, sizeof *start);
    struct paxlst_problem *out = malloc((m->nproblems + 1) * sizeof *out);
    if (start == NULL || out == NULL) {
        paxlst_build_fail(b, ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < m->nproblems; k++) {
        size_t p = m->problems[k].person;
        start[(p == PAXLST_NONE ? 0 : p + 1) + 1]++;
    }
    for (size_t k = 1; k <= nb; k++)
        start[k] += start[k - 1];
    m->manifest_problems = start[1];
    for (size_t i = 0; i < m->npersons; i++) {
        m->persons[i].problem_first = start[i + 1];
        m->persons[i].problem_count = start[i + 2] - start[i + 1];
    }
    for (size_t k = 0; k < m->nproblems; k++) {
        size_t p = m->problems[k].person;
        out[start[p == PAXLST_NONE ? 0 : p + 1]++] = m->problems[k];
    }
    free(m->problems);
    m->problems = out;
    m->cap_problems = m->nproblems + 1;
    out = NULL;
done:
    free(out);
    free(start);
}

int paxlst_build_finish(struct paxlst_builder *b, struct paxlst_manifest **out)
{
    *out = NULL;
    b->segment = 0;
    b->segment_tag = NULL;
    for (size_t k = 0; k < b->m->nflights && b->err == 0; k++)
        finish_flight(b, k);
    for (size_t i = 0; i < b->m->npersons && b->err == 0; i++) {
        check_codes(b, i);
        check_dates(b, i);
        check_missing_all(b, i);
    }
    if (b->err == 0)
        check_duplicates(b);
    if (b->err == 0 && b->m->problems_dropped > 0) {
        b->m->manifest_problems = 0; /* this notice always fits */
        paxlst_build_problem(b, PAXLST_NONE, PAXLST_NONE, 0, PAXLST_TOO_MANY, PAXLST_F_PERSONS,
                             "problems beyond the per-person and per-manifest maxima dropped", NULL,
                             0, (int64_t)b->m->problems_dropped, 0);
    }
    if (b->err == 0)
        sort_problems(b);
    if (b->err != 0) {
        paxlst_build_abort(b);
        return b->err;
    }
    *out = b->m;
    b->m = NULL;
    return 0;
}

/* ---- wording ---- */

struct out_text {
    char *s;
    size_t n;
    size_t len;
};

static void say(struct out_text *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct out_text *o, const char *fmt, ...)
{
    if (o->len + 1 >= o->n)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(o->s + o->len, o->n - o->len, fmt, ap);
    va_end(ap);
    if (k > 0)
        o->len = (size_t)k >= o->n - o->len ? o->n - 1 : o->len + (size_t)k;
}

static void say_body(struct out_text *o, const struct paxlst_problem *p)
{
    const struct field_info *fi = &fields[p->field < PAXLST_F_COUNT ? p->field : 0];
    const char *d = p->detail != NULL ? p->detail : "";
    switch (p->code) {
    case PAXLST_MISSING:
        say(o, "%s missing", fi->label);
        if (p->segment > 0 && fi->seg[0] != '\0')
            say(o, " (no %s)", fi->seg);
        break;
    case PAXLST_INVALID_DATE:
        say(o, "%s '%s' is not a valid date", fi->label, p->value);
        break;
    case PAXLST_EXPIRED:
        say(o, "%s %s is before the departure", fi->label, p->value);
        break;
    case PAXLST_CHARSET:
        say(o, "%s '%s' has bytes outside %s", fi->label, p->value, d);
        break;
    case PAXLST_OVER_LONG:
        say(o, "%s has %lld characters, more than the %lld allowed (%s)", fi->label,
            (long long)p->a, (long long)p->b, p->truncated ? "cut" : "kept in full");
        break;
    case PAXLST_DUPLICATE:
        if (p->a > 0)
            say(o, "%s '%s' is also given for person %lld on this flight", fi->label, p->value,
                (long long)p->a);
        else
            say(o, "%s given again as '%s'; %s", fi->label, p->value, d);
        break;
    case PAXLST_COUNT_MISMATCH:
        say(o, "%s declares %lld, counted %lld%s%s", fi->label, (long long)p->a, (long long)p->b,
            d[0] ? "; " : "", d);
        break;
    case PAXLST_REFERENCE_MISMATCH:
        say(o, "%s reference '%s' %s", fi->label, p->value, d);
        break;
    case PAXLST_TRAILING_DATA:
        say(o, "%lld bytes after the interchange ignored", (long long)p->a);
        break;
    case PAXLST_TOO_MANY:
        say(o, "%s: %s", fi->label, d);
        if (p->a > 0)
            say(o, " (%lld)", (long long)p->a);
        break;
    case PAXLST_INCOMPLETE:
    case PAXLST_MALFORMED:
    case PAXLST_UNEXPECTED:
    case PAXLST_UNKNOWN_SEGMENT:
    case PAXLST_ENVELOPE:
        say(o, "%s", d);
        if (p->value[0] != '\0')
            say(o, ": '%s'", p->value);
        break;
    default: /* implausible, inconsistent, unknown code, invalid value */
        say(o, "%s '%s' %s", fi->label, p->value, d);
        break;
    }
}

void paxlst_problem_message(const struct paxlst_problem *p, char *out, size_t n)
{
    struct out_text o = {.s = out, .n = n};
    if (n == 0)
        return;
    out[0] = '\0';
    if (p->segment > 0)
        say(&o, "segment %zu (%s): ", p->segment, p->tag[0] ? p->tag : "?");
    if (p->doc > 1)
        say(&o, "document %u: ", p->doc);
    say_body(&o, p);
}
