/* rules_schema: the built-in fact schemas (departure screening and passport
 * applications), schema validation and lookup, and the small value helpers
 * (domains, case-insensitive equality, ages) the rest of the module shares.
 * The built-in tables are static const data: the schema is the contract
 * between the services that gather facts and the analysts who write rules,
 * and docs/rules.md lists the same fields. */
#include <stdatomic.h>
#include <string.h>

#include "domain/rules.h"
#include "domain/rules_int.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/timeutil.h"

static const char *const purposes[] = {
    "tourism", "family",   "business", "work",    "study", "pilgrimage",
    "medical", "official", "crew",     "transit", "other", NULL,
};
static const char *const categories[] = {
    "trafficker", "recruiter", "facilitator", "protected_victim", "lost_stolen_document", "wanted",
    "sanctioned", "other",     NULL,
};
static const char *const actions[] = {
    "refuse_departure", "secondary_inspection", "notify_focal_point", "protect", NULL,
};
static const char *const checkpoint_kinds[] = {"airport", "seaport", "land", NULL};

/* clang-format off */
#define NUM(n, lo, hi, d) {.name = (n), .type = RULES_NUMBER, .min = (lo), .max = (hi), .doc = (d)}
#define STR(n, d) {.name = (n), .type = RULES_STRING, .doc = (d)}
#define BOOL(n, d) {.name = (n), .type = RULES_BOOL, .doc = (d)}
#define COUNTRY(n, d) {.name = (n), .type = RULES_STRING, .domain = RULES_COUNTRY, .doc = (d)}
#define ENUM(n, v, d) \
    {.name = (n), .type = RULES_STRING, .domain = RULES_ENUM, .values = (v), .doc = (d)}
#define ENUMLIST(n, v, d) \
    {.name = (n), .type = RULES_LIST, .domain = RULES_ENUM, .values = (v), .doc = (d)}
#define PROTECTED(n, d) {.name = (n), .type = RULES_STRING, .protected_attr = true, .doc = (d)}
/* clang-format on */

/* Fields both schemas share: sponsor, watchlist, history, group, indicators. */
#define SHARED_FIELDS                                                                              \
    STR("sponsor.name", "name of the person who sponsors or paid for the trip"),                   \
        STR("sponsor.company", "company of the sponsor"),                                          \
        STR("sponsor.phone", "phone number of the sponsor"),                                       \
        NUM("sponsor.watchlist_score", 0, 100, "best watchlist match score of the sponsor"),       \
        ENUM("sponsor.watchlist_category", categories, "category of that match"),                  \
        STR("sponsor.watchlist_entry_id", "entry id of that match"),                               \
        STR("sponsor.watchlist_name", "the listed name or alias of that match"),                   \
        NUM("watchlist.matches", 0, 2048, "number of watchlist matches of the person"),            \
        NUM("watchlist.score", 0, 100, "score of the best match"),                                 \
        ENUM("watchlist.category", categories, "category of the best match"),                      \
        ENUM("watchlist.action", actions, "action of the best match"),                             \
        STR("watchlist.entry_id", "entry id of the best match"),                                   \
        STR("watchlist.list", "list of the best match"),                                           \
        STR("watchlist.name", "listed name or alias that matched best"),                           \
        ENUMLIST("watchlist.categories", categories, "categories of all matches"),                 \
        ENUMLIST("watchlist.actions", actions, "actions of all matches"),                          \
        NUM("history.window_days", 0, 36500, "days the history counts cover"),                     \
        NUM("history.departures", 0, 100000, "earlier recorded departures"),                       \
        NUM("history.postponements", 0, 100000, "earlier postponed departures or passports"),      \
        NUM("history.interceptions", 0, 100000, "earlier interceptions"),                          \
        NUM("history.refusals", 0, 100000, "earlier refusals"),                                    \
        BOOL("history.past_victim", "the person is a known past victim of trafficking"),           \
        BOOL("history.open_consular_case", "the person has an open consular case"),                \
        NUM("group.others", 0, 5000, "other people linked by booking or sponsor within 24 h"),     \
        NUM("group.same_booking", 0, 5000, "of them, sharing the booking reference"),              \
        NUM("group.same_sponsor", 0, 5000, "of them, sharing the sponsor phone or company"),       \
        BOOL("group.any_matched", "any of them matched the watchlist"),                            \
        BOOL("indicators.sponsor_name", "sponsor name matches a bulletin indicator"),              \
        BOOL("indicators.sponsor_company", "sponsor company matches a bulletin indicator"),        \
        BOOL("indicators.sponsor_phone", "sponsor phone matches a bulletin indicator"),            \
        STR("indicators.bulletin", "the bulletin whose indicator matched")

static const struct rules_field departure_fields[] = {
    NUM("traveller.age", 0, 150, "age in whole years on the departure date"),
    PROTECTED("traveller.sex", "as printed on the document; rules may not read it"),
    PROTECTED("traveller.religion", "rules may not read it"),
    PROTECTED("traveller.ethnicity", "rules may not read it"),
    COUNTRY("traveller.nationality", "nationality (ICAO code)"),
    NUM("traveller.document_age_days", 0, 36500, "days since the document was issued"),
    BOOL("traveller.first_passport", "the document is the person's first passport"),
    STR("traveller.nik_province", "two-digit province code of the NIK"),
    BOOL("traveller.pmi_registered", "a migrant-worker (PMI) registration is present"),
    COUNTRY("trip.destination", "destination of this flight or voyage"),
    COUNTRY("trip.final_destination", "declared final destination"),
    {.name = "trip.transit",
     .type = RULES_LIST,
     .domain = RULES_COUNTRY,
     .doc = "transit points (ICAO codes)"},
    ENUM("trip.purpose", purposes, "declared purpose of travel"),
    BOOL("trip.return_ticket", "a return or onward ticket home is held"),
    STR("trip.carrier", "airline or shipping line"),
    ENUM("trip.checkpoint_kind", checkpoint_kinds, "kind of checkpoint"),
    SHARED_FIELDS,
};

static const struct rules_field application_fields[] = {
    NUM("applicant.age", 0, 150, "age in whole years on the application date"),
    PROTECTED("applicant.sex", "rules may not read it"),
    PROTECTED("applicant.religion", "rules may not read it"),
    PROTECTED("applicant.ethnicity", "rules may not read it"),
    STR("applicant.nik_province", "two-digit province code of the NIK"),
    BOOL("applicant.pmi_registered", "a migrant-worker (PMI) registration is present"),
    NUM("applicant.previous_passports", 0, 100, "passports issued to the applicant before"),
    ENUM("applicant.purpose", purposes, "declared purpose of travel"),
    COUNTRY("applicant.destination", "declared destination (ICAO code)"),
    SHARED_FIELDS,
};

static const struct rules_schema departure_schema = {
    .name = "departure",
    .fields = departure_fields,
    .nfields = sizeof departure_fields / sizeof departure_fields[0],
};

static const struct rules_schema application_schema = {
    .name = "application",
    .fields = application_fields,
    .nfields = sizeof application_fields / sizeof application_fields[0],
};

const struct rules_schema *rules_schema_departure(void)
{
    return &departure_schema;
}

const struct rules_schema *rules_schema_application(void)
{
    return &application_schema;
}

const struct rules_schema *rules_schema_builtin(const char *name)
{
    if (name != NULL && strcmp(name, "departure") == 0)
        return &departure_schema;
    if (name != NULL && strcmp(name, "application") == 0)
        return &application_schema;
    return NULL;
}

int rules_schema_find(const struct rules_schema *schema, const char *name)
{
    for (size_t i = 0; i < schema->nfields; i++)
        if (strcmp(schema->fields[i].name, name) == 0)
            return (int)i;
    return ERR_NOTFOUND;
}

/* "group.name[.more]": lower-case parts of [a-z0-9_], not starting with a
 * digit, at least two. */
static bool field_name_ok(const char *s)
{
    size_t len = strlen(s), parts = 0;
    if (len == 0 || len > RULES_MAX_NAME)
        return false;
    for (size_t i = 0; i < len;) {
        if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z')))
            return false;
        while (i < len &&
               (s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9')))
            i++;
        parts++;
        if (i < len && (s[i] != '.' || i + 1 == len))
            return false;
        i += i < len;
    }
    return parts >= 2;
}

static bool must_be_protected(const char *name)
{
    static const char *const sensitive[] = {"sex", "religion", "ethnicity", "race"};
    const char *last = strrchr(name, '.');
    last = last != NULL ? last + 1 : name;
    for (size_t i = 0; i < sizeof sensitive / sizeof sensitive[0]; i++)
        if (strcmp(last, sensitive[i]) == 0)
            return true;
    return false;
}

static int field_check(const struct rules_field *fd, struct buf *why)
{
    if (fd->name == NULL || !field_name_ok(fd->name)) {
        buf_puts(why, "schema: a field name is not of the form group.name");
        return ERR_INVALID;
    }
    if (fd->type < RULES_NUMBER || fd->type > RULES_LIST) {
        buf_printf(why, "schema: field '%s' has no valid type", fd->name);
        return ERR_INVALID;
    }
    if (fd->type == RULES_NUMBER &&
        (fd->min > fd->max || fd->min < -RULES_MAX_NUMBER || fd->max > RULES_MAX_NUMBER)) {
        buf_printf(why, "schema: field '%s' has a bad range", fd->name);
        return ERR_INVALID;
    }
    bool textual = fd->type == RULES_STRING || fd->type == RULES_LIST;
    if (fd->domain != RULES_ANY &&
        (!textual || fd->domain > RULES_ENUM || (fd->domain == RULES_ENUM && fd->values == NULL))) {
        buf_printf(why, "schema: field '%s' has a bad domain", fd->name);
        return ERR_INVALID;
    }
    if (must_be_protected(fd->name) && !fd->protected_attr) {
        buf_printf(why, "schema: field '%s' must be marked protected", fd->name);
        return ERR_INVALID;
    }
    return 0;
}

/* The built-in schemas are static tables that never change, so each needs
 * checking once per process, not once per facts value set. A caller's own
 * schema may be built anywhere (even on the stack, at an address another
 * schema had before), so it is checked every time. */
static atomic_bool builtin_checked[2];

int rules_schema_check_once(const struct rules_schema *schema)
{
    int i = schema == &departure_schema ? 0 : schema == &application_schema ? 1 : -1;
    if (i >= 0 && atomic_load_explicit(&builtin_checked[i], memory_order_acquire))
        return 0;
    int r = rules_schema_check(schema, NULL);
    if (r == 0 && i >= 0)
        atomic_store_explicit(&builtin_checked[i], true, memory_order_release);
    return r;
}

int rules_schema_check(const struct rules_schema *schema, struct buf *why)
{
    if (schema == NULL || schema->name == NULL || schema->fields == NULL || schema->nfields == 0 ||
        schema->nfields > RULES_MAX_FIELDS) {
        buf_printf(why, "schema: must have 1 to %u fields", RULES_MAX_FIELDS);
        return ERR_INVALID;
    }
    for (size_t i = 0; i < schema->nfields; i++) {
        int r = field_check(&schema->fields[i], why);
        if (r < 0)
            return r;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(schema->fields[i].name, schema->fields[j].name) == 0) {
                buf_printf(why, "schema: field '%s' appears twice", schema->fields[i].name);
                return ERR_INVALID;
            }
        }
    }
    return 0;
}

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool rules_str_eq(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen != blen)
        return false;
    for (size_t i = 0; i < alen; i++)
        if (a[i] != b[i] && ascii_lower(a[i]) != ascii_lower(b[i]))
            return false;
    return true;
}

bool rules_value_in_domain(const struct rules_field *fd, const char *v, size_t len)
{
    switch (fd->domain) {
    case RULES_COUNTRY:
        if (len != 3)
            return false;
        for (size_t i = 0; i < 3; i++) {
            char c = ascii_lower(v[i]);
            if (c < 'a' || c > 'z')
                return false;
        }
        return true;
    case RULES_ENUM:
        for (const char *const *p = fd->values; *p != NULL; p++)
            if (rules_str_eq(*p, strlen(*p), v, len))
                return true;
        return false;
    case RULES_ANY:
    default:
        return true;
    }
}

int64_t rules_age_years(int birth_year, int birth_month, int birth_day, int64_t on_days)
{
    int y, m, d;
    time_civil_from_days(on_days, &y, &m, &d);
    int64_t age = (int64_t)y - birth_year;
    if (m < birth_month || (m == birth_month && d < birth_day))
        age--;
    return age < 0 ? -1 : age;
}
