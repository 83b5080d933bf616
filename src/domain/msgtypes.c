/* msgtypes: the exchange message type table and payload schema checks.
 * The table is the single place that says what a partner may send; it is
 * documented field by field in docs/PROTOCOL.md, and a unit test checks that
 * every type and field named there exists here. */
#include "domain/msgtypes.h"

#include <string.h>

#include "util/buf.h"
#include "util/errors.h"
#include "util/limits.h"
#include "util/text.h"
#include "util/timeutil.h"

#define KIB 1024u
#define DAY_S (24 * 3600)

#define STR(p, n, mx, req)                                                                     \
    { .path = p, .name = n, .kind = MSGTYPES_STRING, .required = req, .max = mx }
#define ENUM(p, n, vals, req)                                                                  \
    { .path = p, .name = n, .kind = MSGTYPES_STRING, .required = req, .max = 64, .values = vals }
#define DATE(p, n, req) { .path = p, .name = n, .kind = MSGTYPES_DATE, .required = req, .max = 10 }
#define INT(p, n, lo, hi, req)                                                                 \
    { .path = p, .name = n, .kind = MSGTYPES_INT, .required = req, .min_int = lo, .max_int = hi }
#define BOOL(p, n, req) { .path = p, .name = n, .kind = MSGTYPES_BOOL, .required = req }
#define STRS(p, n, cnt, mx)                                                                    \
    { .path = p, .name = n, .kind = MSGTYPES_STRINGS, .max = mx, .count = cnt }
#define OBJS(p, n, cnt) { .path = p, .name = n, .kind = MSGTYPES_OBJECTS, .count = cnt }

#define INT_MAX_JSON 9007199254740991LL /* 2^53 - 1: exact in every JSON reader */

static const char *const kind_person[] = {"person", NULL};
static const char *const kind_document[] = {"document", NULL};
static const char *const kind_org[] = {"organization", NULL};
static const char *const kind_any[] = {"person", "document", "organization", NULL};
static const char *const categories[] = {
    "trafficker", "recruiter", "facilitator", "protected_victim", "lost_stolen_document",
    "wanted", "sanctioned", "other", NULL,
};
static const char *const actions[] = {
    "refuse_departure", "secondary_inspection", "notify_focal_point", "protect", NULL,
};
static const char *const case_status[] = {"Active", "FollowUp", "Closed", "ClosedReferred", NULL};
static const char *const referral_reasons[] = {
    "AdditionalServicesRequired", "MigrationOrChangeOfLocation", "Other", NULL,
};
static const char *const indicator_kinds[] = {
    "company", "phone", "address", "social_handle", "url", "email", NULL,
};
static const char *const receipt_status[] = {"accepted", "duplicate", "rejected", NULL};

/* The fields of a watchlist entry (CONTRACT.md) shared by the alert types. */
#define ALERT_FIELDS(kinds, kind_req)                                                          \
    STR("id", "id", 128, true), INT("version", "version", 1, INT_MAX_JSON, true),              \
        ENUM("kind", "kind", kinds, kind_req), STR("name", "name", LIMIT_NAME, false),         \
        STRS("aliases", "aliases", 64, LIMIT_NAME)
#define ALERT_TAIL                                                                             \
    STR("nationality", "nationality", 64, false),                                             \
        STRS("document_numbers", "document_numbers", 32, 64),                                 \
        ENUM("category", "category", categories, false),                                      \
        ENUM("action", "action", actions, false), DATE("valid_until", "valid_until", false),  \
        STR("notes", "notes", LIMIT_NOTE, false)

static const struct msgtypes_field f_alert_person[] = {
    ALERT_FIELDS(kind_person, false), DATE("birth_date", "birth_date", false), ALERT_TAIL,
};
static const struct msgtypes_field f_alert_document[] = {
    ALERT_FIELDS(kind_document, false), DATE("birth_date", "birth_date", false), ALERT_TAIL,
};
static const struct msgtypes_field f_alert_org[] = {
    ALERT_FIELDS(kind_org, false), ALERT_TAIL,
};
static const struct msgtypes_field f_alert_update[] = {
    ALERT_FIELDS(kind_any, true), DATE("birth_date", "birth_date", false), ALERT_TAIL,
};
static const struct msgtypes_field f_alert_withdraw[] = {
    STR("id", "id", 128, true),
    INT("version", "version", 1, INT_MAX_JSON, true),
    STR("reason", "reason", LIMIT_NOTE, false),
};

static const struct msgtypes_field f_query[] = {
    STR("reference", "reference", 128, true),
    STR("question", "question", LIMIT_NOTE, false),
    BOOL("urgent", "urgent", false),
    STR("name", "name", LIMIT_NAME, false),
    STRS("aliases", "aliases", 64, LIMIT_NAME),
    DATE("birth_date", "birth_date", false),
    STR("nationality", "nationality", 64, false),
    STRS("document_numbers", "document_numbers", 32, 64),
    STR("phone", "phone", 64, false),
    STR("organization", "organization", LIMIT_NAME, false),
};

static const struct msgtypes_field f_answer[] = {
    STR("reference", "reference", 128, true),
    BOOL("found", "found", true),
    STR("answer", "answer", LIMIT_NOTE, false),
    OBJS("matches", "matches", 50),
    STR("matches.entry_id", "entry_id", 128, false),
    STR("matches.name", "name", LIMIT_NAME, false),
    DATE("matches.birth_date", "birth_date", false),
    STR("matches.nationality", "nationality", 64, false),
    STRS("matches.document_numbers", "document_numbers", 32, 64),
    ENUM("matches.category", "category", categories, false),
    INT("matches.score", "score", 0, 100, false),
};

static const struct msgtypes_field f_referral[] = {
    STR("referral_id", "referral_id", 128, true),
    ENUM("status", "status", case_status, false),
    STR("referring_organisation", "referring_organisation", LIMIT_NAME, false),
    DATE("outgoing_referral_date", "outgoing_referral_date", false),
    ENUM("reason_for_outgoing_referral", "reason_for_outgoing_referral", referral_reasons, false),
    STR("outgoing_referral_details", "outgoing_referral_details", LIMIT_NOTE, false),
    OBJS("victims", "victims", 32),
    STR("victims.victim_id", "victim_id", 128, true),
    STR("victims.first_name", "first_name", LIMIT_NAME, false),
    STR("victims.middle_name", "middle_name", LIMIT_NAME, false),
    STR("victims.second_name", "second_name", LIMIT_NAME, false),
    DATE("victims.birthdate", "birthdate", false),
    STR("victims.gender", "gender", 64, false),
    STR("victims.nationality", "nationality", 64, false),
    STR("victims.mobile_phone", "mobile_phone", 64, false),
    STRS("victims.document_numbers", "document_numbers", 32, 64),
    STRS("victims.method_of_recruitment", "method_of_recruitment", 32, 128),
    STRS("victims.methods_of_control", "methods_of_control", 32, 128),
    STRS("victims.type_of_labour_exploitation", "type_of_labour_exploitation", 32, 128),
    STRS("victims.type_of_sex_exploitation", "type_of_sex_exploitation", 32, 128),
    STRS("victims.recruitment_websites_and_apps", "recruitment_websites_and_apps", 32, 128),
    STRS("victims.vulnerabilities", "vulnerabilities", 32, 128),
    BOOL("victims.agreement_to_manage_personal_data", "agreement_to_manage_personal_data", false),
    STR("victims.location", "location", LIMIT_NAME, false),
    STR("victims.needs", "needs", LIMIT_NOTE, false),
};

static const struct msgtypes_field f_case_update[] = {
    STR("referral_id", "referral_id", 128, true),
    STR("victim_id", "victim_id", 128, false),
    ENUM("status", "status", case_status, true),
    DATE("incoming_referral_date", "incoming_referral_date", false),
    STR("reason_for_case_closure", "reason_for_case_closure", LIMIT_NOTE, false),
    STR("note", "note", LIMIT_NOTE, false),
};

static const struct msgtypes_field f_bulletin[] = {
    STR("bulletin_id", "bulletin_id", 128, true),
    INT("version", "version", 1, INT_MAX_JSON, true),
    STR("title", "title", LIMIT_NAME, false),
    OBJS("indicators", "indicators", 1000),
    STR("indicators.indicator_id", "indicator_id", 128, true),
    INT("indicators.version", "version", 1, INT_MAX_JSON, true),
    ENUM("indicators.kind", "kind", indicator_kinds, true),
    STR("indicators.value", "value", 1024, false),
    STR("indicators.platform", "platform", 64, false),
    STR("indicators.country", "country", 64, false),
    INT("indicators.confidence", "confidence", 0, 100, false),
    DATE("indicators.valid_until", "valid_until", false),
    BOOL("indicators.revoked", "revoked", false),
    STR("indicators.description", "description", LIMIT_NOTE, false),
};

static const struct msgtypes_field f_stats[] = {
    DATE("period_from", "period_from", true),
    DATE("period_to", "period_to", true),
    STR("measure", "measure", 64, true),
    STRS("dimensions", "dimensions", 8, 64),
    OBJS("cells", "cells", 10000),
    STRS("cells.dims", "dims", 8, 128),
    INT("cells.count", "count", 0, INT_MAX_JSON, false),
};

static const struct msgtypes_field f_receipt[] = {
    ENUM("status", "status", receipt_status, true),
    STR("reason", "reason", 64, true),
    STR("detail", "detail", 512, false),
    STR("envelope_hash", "envelope_hash", 64, true),
    INT("received_at", "received_at", 0, INT64_MAX, true),
    INT("log_size", "log_size", 0, INT64_MAX, false),
    STR("log_head", "log_head", 64, false),
};

static const struct msgtypes_field f_heartbeat[] = {
    STR("checkpoint", "checkpoint", 1024, true),
};

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define DATA(nm, f, maxp, summ)                                                                \
    {                                                                                          \
        .name = nm, .max_payload = maxp, .lifetime_s = 30 * DAY_S, .fields = f,               \
        .nfields = N(f), .summary = summ                                                       \
    }

static const struct msgtypes_type types[] = {
    DATA("alert.person", f_alert_person, 64 * KIB, "a person on the sender's watchlist"),
    DATA("alert.document", f_alert_document, 64 * KIB, "a lost, stolen or misused document"),
    DATA("alert.organization", f_alert_org, 64 * KIB, "a recruiter company or organisation"),
    DATA("alert.update", f_alert_update, 64 * KIB, "a new version of an alert (replaces it)"),
    DATA("alert.withdraw", f_alert_withdraw, 8 * KIB, "an alert is withdrawn"),
    {.name = "query", .max_payload = 32 * KIB, .lifetime_s = 30 * DAY_S, .reply_type = "answer",
     .reply_due_s = 12 * 3600, .fields = f_query, .nfields = N(f_query),
     .summary = "a question to the partner's focal point, answer due in 12 hours"},
    {.name = "answer", .needs_reply_to = true, .max_payload = 256 * KIB,
     .lifetime_s = 30 * DAY_S, .fields = f_answer, .nfields = N(f_answer),
     .summary = "the answer to a query (reply-to names the query)"},
    DATA("referral", f_referral, 256 * KIB, "victims referred for protection (HTCDS fields)"),
    DATA("case.update", f_case_update, 32 * KIB, "progress of a referred case"),
    DATA("bulletin", f_bulletin, LIMIT_MESSAGE - KIB, "versioned, revocable indicators"),
    DATA("stats", f_stats, LIMIT_MESSAGE - KIB, "aggregate counts with small cells suppressed"),
    {.name = "receipt", .control = true, .needs_reply_to = false, .max_payload = 4 * KIB,
     .lifetime_s = 3650LL * DAY_S, .fields = f_receipt, .nfields = N(f_receipt),
     .summary = "the signed answer to one envelope: accepted, duplicate or rejected"},
    {.name = "heartbeat", .control = true, .max_payload = 4 * KIB, .lifetime_s = 3600,
     .fields = f_heartbeat, .nfields = N(f_heartbeat),
     .summary = "a signed checkpoint of the sender's exchange log"},
};

size_t msgtypes_count(void)
{
    return N(types);
}

const struct msgtypes_type *msgtypes_at(size_t i)
{
    return i < N(types) ? &types[i] : NULL;
}

const struct msgtypes_type *msgtypes_find(const char *name, size_t len)
{
    for (size_t i = 0; i < N(types); i++) {
        if (strlen(types[i].name) == len && memcmp(types[i].name, name, len) == 0)
            return &types[i];
    }
    return NULL;
}

int msgtypes_field_index(const struct msgtypes_type *t, const char *path)
{
    for (size_t i = 0; i < t->nfields; i++) {
        if (strcmp(t->fields[i].path, path) == 0)
            return (int)i;
    }
    return -1;
}

int msgtypes_parent_index(const struct msgtypes_type *t, int i)
{
    const char *p = t->fields[i].path;
    const char *dot = strchr(p, '.');
    if (dot == NULL)
        return -1;
    size_t plen = (size_t)(dot - p);
    for (size_t k = 0; k < t->nfields; k++) {
        const char *q = t->fields[k].path;
        if (strlen(q) == plen && memcmp(q, p, plen) == 0)
            return (int)k;
    }
    return -1;
}

int msgtypes_child_index(const struct msgtypes_type *t, int parent, const char *key, size_t len)
{
    for (size_t i = 0; i < t->nfields; i++) {
        const struct msgtypes_field *f = &t->fields[i];
        if (strlen(f->name) != len || memcmp(f->name, key, len) != 0)
            continue;
        if (msgtypes_parent_index(t, (int)i) == parent)
            return (int)i;
    }
    return -1;
}

bool msgtypes_can_truncate(const struct msgtypes_field *f)
{
    return f->kind == MSGTYPES_DATE;
}

bool msgtypes_can_mask(const struct msgtypes_field *f)
{
    return (f->kind == MSGTYPES_STRING && f->values == NULL) || f->kind == MSGTYPES_STRINGS;
}

bool msgtypes_can_hash(const struct msgtypes_field *f)
{
    return (f->kind == MSGTYPES_STRING && f->values == NULL) || f->kind == MSGTYPES_STRINGS ||
           f->kind == MSGTYPES_DATE;
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
    }
    return true;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

bool msgtypes_valid_date(const char *s, size_t len)
{
    if (len != 4 && len != 7 && len != 10)
        return false;
    if (!digits(s, 4) || num(s, 4) < 1)
        return false;
    if (len == 4)
        return true;
    if (s[4] != '-' || !digits(s + 5, 2))
        return false;
    int month = num(s + 5, 2);
    if (month < 1 || month > 12)
        return false;
    if (len == 7)
        return true;
    if (s[7] != '-' || !digits(s + 8, 2))
        return false;
    return time_valid_date(num(s, 4), month, num(s + 8, 2));
}

static int bad(struct buf *why, const char *path, const char *msg)
{
    buf_printf(why, "field '%s': %s", path, msg);
    return ERR_INVALID;
}

static int check_string(const struct msgtypes_field *f, const json_t *v, size_t max,
                        struct buf *why)
{
    if (!json_is_string(v))
        return bad(why, f->path, "must be a string");
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    const char *e = text_check_free(s, len, max, true);
    if (e != NULL)
        return bad(why, f->path, e);
    if (f->kind == MSGTYPES_DATE && !msgtypes_valid_date(s, len))
        return bad(why, f->path, "must be a date YYYY-MM-DD, YYYY-MM or YYYY");
    if (f->values != NULL) {
        for (const char *const *a = f->values; *a != NULL; a++) {
            if (strlen(*a) == len && memcmp(*a, s, len) == 0)
                return 0;
        }
        return bad(why, f->path, "is not one of the allowed values");
    }
    return 0;
}

int msgtypes_check_value(const struct msgtypes_field *f, const json_t *v, struct buf *why)
{
    if (json_is_null(v))
        return 0;
    switch (f->kind) {
    case MSGTYPES_STRING:
    case MSGTYPES_DATE:
        return check_string(f, v, f->max, why);
    case MSGTYPES_INT:
        if (!json_is_integer(v) || json_integer_value(v) < f->min_int ||
            json_integer_value(v) > f->max_int)
            return bad(why, f->path, "must be an integer in its range");
        return 0;
    case MSGTYPES_BOOL:
        return json_is_boolean(v) ? 0 : bad(why, f->path, "must be true or false");
    case MSGTYPES_STRINGS:
    case MSGTYPES_OBJECTS: {
        if (!json_is_array(v))
            return bad(why, f->path, "must be an array");
        if (json_array_size(v) > f->count)
            return bad(why, f->path, "has too many elements");
        size_t i;
        const json_t *e;
        json_array_foreach(v, i, e) {
            if (f->kind == MSGTYPES_OBJECTS && !json_is_object(e))
                return bad(why, f->path, "must be an array of objects");
            if (f->kind == MSGTYPES_STRINGS && check_string(f, e, f->max, why) < 0)
                return ERR_INVALID;
        }
        return 0;
    }
    default:
        return bad(why, f->path, "has an unknown kind");
    }
}

static int check_object(const struct msgtypes_type *t, int parent, json_t *obj, struct buf *why)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        int i = msgtypes_child_index(t, parent, key, strlen(key));
        if (i < 0) {
            buf_puts(why, "field '");
            if (parent >= 0) {
                buf_puts(why, t->fields[parent].path);
                buf_putc(why, '.');
            }
            text_escape(why, key, strlen(key));
            buf_puts(why, "': unknown field");
            return ERR_INVALID;
        }
        const struct msgtypes_field *f = &t->fields[i];
        if (msgtypes_check_value(f, v, why) < 0)
            return ERR_INVALID;
        if (f->kind == MSGTYPES_OBJECTS && json_is_array(v)) {
            size_t k;
            json_t *e;
            json_array_foreach(v, k, e) {
                if (check_object(t, i, e, why) < 0)
                    return ERR_INVALID;
            }
        }
    }
    for (size_t i = 0; i < t->nfields; i++) {
        const struct msgtypes_field *f = &t->fields[i];
        if (!f->required || msgtypes_parent_index(t, (int)i) != parent)
            continue;
        const json_t *got = json_object_get(obj, f->name);
        if (got == NULL || json_is_null(got))
            return bad(why, f->path, "is required");
    }
    return 0;
}

int msgtypes_check_payload(const struct msgtypes_type *t, json_t *obj, struct buf *why)
{
    if (!json_is_object(obj)) {
        buf_puts(why, "payload: must be a JSON object");
        return ERR_INVALID;
    }
    return check_object(t, -1, obj, why);
}
