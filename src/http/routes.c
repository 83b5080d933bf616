/* routes: the route table and path matching.
 *
 * Every route lintas serves is one line below, so what the server accepts,
 * and from whom, can be read in one place (and is checked by tests). */
#include "http/routes.h"

#include <string.h>

#include "domain/roles.h"
#include "http/handlers.h"
#include "util/limits.h"
#include "util/text.h"

#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define ANY ROLES_ALL
#define JSON ROUTE_JSON_BODY
#define DFLT LIMIT_BODY_DEFAULT
#define SMALLJ (64u * 1024u)
/* Who keeps the watchlists (headquarters), who reads them, who screens. */
#define WL_EDIT (ROLE_BIT(ROLE_ANALYST) | ROLE_BIT(ROLE_FOCAL_POINT))
#define WL_READ (WL_EDIT | ROLE_BIT(ROLE_SUPERVISOR))
#define POST_OFFICERS (ROLE_BIT(ROLE_CHECKPOINT_OFFICER) | ROLE_BIT(ROLE_SUPERVISOR))
#define RULES_READ (ROLE_BIT(ROLE_ANALYST) | ROLE_BIT(ROLE_SUPERVISOR))
#define FOCAL ROLE_BIT(ROLE_FOCAL_POINT)
#define CASES (ROLE_BIT(ROLE_CONSULAR_OFFICER) | ROLE_BIT(ROLE_FOCAL_POINT))
/* Passport offices: officers take applications, supervisors review them. */
#define PP_STAFF (ROLE_BIT(ROLE_PASSPORT_OFFICER) | ROLE_BIT(ROLE_SUPERVISOR))
#define PP_READ (PP_STAFF | ROLE_BIT(ROLE_ANALYST))
/* Who reads the figures: headquarters and supervisors. */
#define STATS_READ (RULES_READ | ROLE_BIT(ROLE_FOCAL_POINT) | ADMIN)
#define SCREEN                                                                                 \
    (ROLE_BIT(ROLE_PASSPORT_OFFICER) | ROLE_BIT(ROLE_CHECKPOINT_OFFICER) |                    \
     ROLE_BIT(ROLE_SUPERVISOR) | ROLE_BIT(ROLE_ANALYST) | ROLE_BIT(ROLE_FOCAL_POINT))

const struct route routes[] = {
    {"GET", "/healthz", h_healthz, 0, 0, ROUTE_PUBLIC, "healthz"},
    {"GET", "/metrics", h_metrics, 0, 0, ROUTE_PUBLIC, "metrics"},
    {"POST", "/api/v1/sessions", h_session_create, 0, LIMIT_BODY_UNAUTH, ROUTE_PUBLIC | JSON,
     "sessions.create"},
    {"GET", "/api/v1/sessions/current", h_session_get, ANY, 0, 0, "sessions.current"},
    {"DELETE", "/api/v1/sessions/current", h_session_delete, ANY, 0, 0, "sessions.delete"},
    {"GET", "/api/v1/users", h_users_list, ADMIN, 0, 0, "users.list"},
    {"POST", "/api/v1/users", h_users_create, ADMIN, DFLT, JSON, "users.create"},
    {"GET", "/api/v1/users/{id}", h_user_get, ADMIN, 0, 0, "users.get"},
    {"PATCH", "/api/v1/users/{id}", h_user_patch, ADMIN, DFLT, JSON, "users.patch"},
    {"POST", "/api/v1/documents/parse", h_documents_parse, ANY, DFLT, JSON, "documents.parse"},
    {"POST", "/api/v1/watchlist/entries", h_wl_create, WL_EDIT, DFLT, JSON, "watchlist.create"},
    {"GET", "/api/v1/watchlist/entries", h_wl_search, WL_READ, 0, 0, "watchlist.search"},
    {"GET", "/api/v1/watchlist/entries/{id}", h_wl_get, WL_READ, 0, 0, "watchlist.get"},
    {"PATCH", "/api/v1/watchlist/entries/{id}", h_wl_patch, WL_EDIT, DFLT, JSON,
     "watchlist.patch"},
    {"DELETE", "/api/v1/watchlist/entries/{id}", h_wl_delete, WL_EDIT, 0, 0,
     "watchlist.delete"},
    {"POST", "/api/v1/watchlist/imports", h_wl_import, WL_EDIT, LIMIT_BODY_MAX, JSON,
     "watchlist.import"},
    {"POST", "/api/v1/match", h_match, SCREEN, SMALLJ, JSON, "match"},
    {"POST", "/api/v1/departures", h_departure_create, POST_OFFICERS, SMALLJ, JSON,
     "departures.create"},
    {"GET", "/api/v1/departures", h_departure_queue, POST_OFFICERS | ROLE_BIT(ROLE_ANALYST), 0,
     0, "departures.queue"},
    {"GET", "/api/v1/departures/{id}", h_departure_get, POST_OFFICERS | ROLE_BIT(ROLE_ANALYST),
     0, 0, "departures.get"},
    {"POST", "/api/v1/departures/{id}/outcome", h_departure_outcome, POST_OFFICERS, SMALLJ,
     JSON, "departures.outcome"},
    {"POST", "/api/v1/manifests", h_manifest, POST_OFFICERS | ROLE_BIT(ROLE_ANALYST),
     LIMIT_MANIFEST, ROUTE_RAW_BODY, "manifests.screen"},
    {"POST", "/api/v1/rulesets", h_ruleset_upload, ROLE_BIT(ROLE_ANALYST), DFLT, JSON,
     "rulesets.upload"},
    {"GET", "/api/v1/rulesets", h_ruleset_list, RULES_READ, 0, 0, "rulesets.list"},
    {"GET", "/api/v1/rulesets/{id}", h_ruleset_get, RULES_READ, 0, 0, "rulesets.get"},
    {"POST", "/api/v1/rulesets/{id}/activate", h_ruleset_activate, ROLE_BIT(ROLE_SUPERVISOR),
     SMALLJ, 0, "rulesets.activate"},
    {"POST", "/api/v1/rulesets/{id}/backtest", h_ruleset_backtest, RULES_READ, SMALLJ, JSON,
     "rulesets.backtest"},
    {"POST", "/api/v1/cases", h_case_create, CASES, SMALLJ, JSON, "cases.create"},
    {"GET", "/api/v1/cases", h_case_list, CASES, 0, 0, "cases.list"},
    {"GET", "/api/v1/cases/{id}", h_case_get, CASES, 0, 0, "cases.get"},
    {"PATCH", "/api/v1/cases/{id}", h_case_patch, CASES, SMALLJ, JSON, "cases.patch"},
    {"POST", "/api/v1/cases/{id}/persons", h_case_person, CASES, SMALLJ, JSON,
     "cases.person"},
    {"PATCH", "/api/v1/cases/{id}/persons/{id}", h_case_person_role, CASES, SMALLJ, JSON,
     "cases.person.role"},
    {"GET", "/api/v1/notifications", h_notifications, ANY, 0, 0, "notifications.list"},
    {"POST", "/api/v1/passport-applications", h_passport_create, PP_STAFF, SMALLJ, JSON,
     "passports.create"},
    {"GET", "/api/v1/passport-applications", h_passport_queue, PP_READ, 0, 0, "passports.queue"},
    {"GET", "/api/v1/passport-applications/{id}", h_passport_get, PP_READ, 0, 0,
     "passports.get"},
    {"POST", "/api/v1/passport-applications/{id}/review", h_passport_review,
     ROLE_BIT(ROLE_SUPERVISOR), SMALLJ, JSON, "passports.review"},
    {"POST", "/api/v1/passport-applications/{id}/appeal", h_passport_appeal, PP_STAFF, SMALLJ,
     JSON, "passports.appeal"},
    {"POST", "/api/v1/passport-applications/{id}/appeal/decision", h_passport_appeal_decide,
     ROLE_BIT(ROLE_SUPERVISOR), SMALLJ, JSON, "passports.appeal.decide"},
    {"GET", "/api/v1/passport-settings", h_passport_settings_get, PP_READ | ADMIN, 0, 0,
     "passports.settings.get"},
    {"PUT", "/api/v1/passport-settings", h_passport_settings_put, ADMIN, SMALLJ, JSON,
     "passports.settings.put"},
    {"GET", "/api/v1/stats", h_stats, STATS_READ, 0, 0, "stats.get"},
    {"GET", "/api/v1/oversight", h_oversight, RULES_READ, 0, 0, "oversight.get"},
    {"GET", "/api/v1/offices", h_offices, ANY, 0, 0, "offices.list"},
    {"GET", "/api/v1/audit", h_audit, ADMIN, 0, 0, "audit.list"},
    /* Exchange: the inbound endpoint is authenticated by envelope signatures. */
    {"POST", "/api/v1/exchange/inbound", h_ex_inbound, 0, 16u * 1024u * 1024u,
     ROUTE_PUBLIC | ROUTE_RAW_BODY, "exchange.inbound"},
    {"POST", "/api/v1/exchange/messages", h_ex_send, FOCAL, 2u * 1024u * 1024u, JSON,
     "exchange.send"},
    {"GET", "/api/v1/exchange/messages", h_ex_list, FOCAL, 0, 0, "exchange.list"},
    {"GET", "/api/v1/exchange/dead-letters", h_ex_dead_letters, FOCAL | ADMIN, 0, 0,
     "exchange.dead_letters"},
    {"GET", "/api/v1/exchange/queries", h_ex_queries, FOCAL, 0, 0, "exchange.queries"},
    {"POST", "/api/v1/exchange/queries/{id}/answer", h_ex_answer, FOCAL, 2u * 1024u * 1024u,
     JSON, "exchange.answer"},
    {NULL, NULL, NULL, 0, 0, 0, NULL},
};

size_t routes_count(void)
{
    return sizeof routes / sizeof routes[0] - 1;
}

/* Matches path against pattern, capturing {id} segments. */
static bool match(const char *pattern, const char *path, const char **params, size_t max_params,
                  char *pbuf, size_t pn)
{
    size_t np = 0, used = 0;
    const char *p = pattern, *s = path;
    while (*p != '\0') {
        if (p[0] == '{') {
            const char *close = strchr(p, '}');
            size_t seg = strcspn(s, "/");
            if (close == NULL || seg == 0 || seg > ROUTE_MAX_SEGMENT || np == max_params ||
                used + seg + 1 > pn)
                return false;
            memcpy(pbuf + used, s, seg);
            pbuf[used + seg] = '\0';
            params[np++] = pbuf + used;
            used += seg + 1;
            p = close + 1;
            s += seg;
        } else {
            if (*p != *s)
                return false;
            p++;
            s++;
        }
    }
    return *s == '\0';
}

enum route_match routes_find(const char *method, const char *path, const struct route **out,
                             const char **params, size_t max_params, char *pbuf, size_t pn,
                             char *allow, size_t allow_n)
{
    bool path_seen = false;
    size_t alen = 0;
    *out = NULL;
    if (allow_n > 0)
        allow[0] = '\0';
    for (const struct route *rt = routes; rt->method != NULL; rt++) {
        if (!match(rt->pattern, path, params, max_params, pbuf, pn))
            continue;
        if (strcmp(rt->method, method) == 0) {
            *out = rt;
            return ROUTE_FOUND;
        }
        size_t ml = strlen(rt->method);
        if (alen + ml + 3 < allow_n) {
            if (alen > 0) {
                memcpy(allow + alen, ", ", 2);
                alen += 2;
            }
            memcpy(allow + alen, rt->method, ml);
            alen += ml;
            allow[alen] = '\0';
        }
        path_seen = true;
    }
    return path_seen ? ROUTE_NO_METHOD : ROUTE_NO_PATH;
}
