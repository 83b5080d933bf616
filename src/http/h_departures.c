/* h_departures: departure screening, outcomes, the checkpoint queue, and
 * rulesets (upload, activate, backtest). */
#include <string.h>
#include <strings.h>

#include "http/handlers.h"
#include "http/http.h"
#include "services/manifests.h"
#include "services/rulesets.h"
#include "services/screening.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/timeutil.h"

static void answer(struct http_req *r, int rc, int status, json_t *out, struct buf *why)
{
    if (rc < 0)
        http_fail(r, rc, why);
    else
        http_reply(r, status, out);
    buf_free(why);
}

/* The committer's callback: the screening's write is durable or failed. */
static void departure_written(void *arg)
{
    http_resume(arg);
}

static void departure_answer(struct http_req *r, void *pending)
{
    json_t *out = NULL;
    int rc = screening_departure_finish(pending, &out);
    if (rc < 0)
        http_fail(r, rc, NULL);
    else
        http_reply(r, 201, out);
}

/* The worker does not wait for the durable write: the answer is deferred
 * until the group commit that holds it has ended (an error if it failed). */
void h_departure_create(struct http_req *r)
{
    struct buf why;
    struct dep_job *pending = NULL;
    buf_init(&why, 1024);
    int rc = screening_departure_start(r->svc, &r->actor, r->json, NULL, departure_written, r,
                                       &pending, &why);
    if (rc < 0)
        http_fail(r, rc, &why);
    else
        http_defer(r, departure_answer, pending);
    buf_free(&why);
}

void h_departure_outcome(struct http_req *r)
{
    int64_t id;
    struct buf why;
    json_t *out = NULL;
    if (http_param_id(r, 0, &id) < 0) {
        http_problem(r, 404, "no such departure screening");
        return;
    }
    buf_init(&why, 512);
    int rc = screening_outcome(r->svc, &r->actor, id, r->json, &out, &why);
    answer(r, rc, 200, out, &why);
}

void h_departure_get(struct http_req *r)
{
    int64_t id;
    json_t *out = NULL;
    if (http_param_id(r, 0, &id) < 0) {
        http_problem(r, 404, "no such departure screening");
        return;
    }
    int rc = screening_get(r->svc, &r->actor, id, &out);
    if (rc == 0 && out == NULL)
        rc = ERR_NOTFOUND;
    if (rc == ERR_NOTFOUND)
        http_problem(r, 404, "no such departure screening");
    else if (rc == ERR_FORBIDDEN)
        http_problem(r, 403, "this screening belongs to another post");
    else if (rc < 0)
        http_fail(r, rc, NULL);
    else
        http_reply(r, 200, out);
}

void h_departure_queue(struct http_req *r)
{
    struct buf why;
    json_t *out = NULL;
    buf_init(&why, 512);
    int rc = screening_queue(r->svc, &r->actor, http_query(r, "date"),
                             http_query(r, "checkpoint"), http_query(r, "recommendation"), &out,
                             &why);
    answer(r, rc, 200, out, &why);
}

void h_ruleset_upload(struct http_req *r)
{
    static const char *const allowed[] = {"kind", "source", "note", NULL};
    struct buf why;
    const char *kind, *src, *note;
    json_t *out = NULL;
    buf_init(&why, 8192);
    int rc = json_only_keys(r->json, allowed, &why);
    if (rc == 0)
        rc = json_get_str(r->json, "kind", true, 16, &kind, &why);
    if (rc == 0)
        rc = json_get_str(r->json, "source", true, 256 * 1024, &src, &why);
    if (rc == 0)
        rc = json_get_str(r->json, "note", false, LIMIT_NOTE, &note, &why);
    if (rc == 0)
        rc = rulesets_upload(r->svc, &r->actor, kind, src, strlen(src), note, &out, &why);
    /* the same source again: 200 with the ruleset as it is, not a new one */
    answer(r, rc, json_is_true(json_object_get(out, "already_uploaded")) ? 200 : 201, out, &why);
}

void h_ruleset_list(struct http_req *r)
{
    const char *kind = http_query(r, "kind");
    json_t *out = NULL;
    if (kind != NULL && strcmp(kind, "departure") != 0 && strcmp(kind, "application") != 0) {
        http_problem(r, 400, "parameter 'kind': must be departure or application");
        return;
    }
    int rc = rulesets_list(r->svc, kind ? kind : "departure", &out);
    if (rc < 0)
        http_fail(r, rc, NULL);
    else
        http_reply(r, 200, json_pack("{so}", "rulesets", out));
}

void h_ruleset_get(struct http_req *r)
{
    int64_t id;
    json_t *out = NULL;
    int rc = http_param_id(r, 0, &id) < 0 ? ERR_NOTFOUND : rulesets_get(r->svc, id, &out);
    if (rc == ERR_NOTFOUND)
        http_problem(r, 404, "no such ruleset");
    else if (rc < 0)
        http_fail(r, rc, NULL);
    else
        http_reply(r, 200, out);
}

void h_ruleset_activate(struct http_req *r)
{
    int64_t id;
    struct buf why;
    if (http_param_id(r, 0, &id) < 0) {
        http_problem(r, 404, "no such ruleset");
        return;
    }
    buf_init(&why, 256);
    int rc = rulesets_activate(r->svc, &r->actor, id, &why);
    answer(r, rc, 200, json_pack("{sI ss}", "id", (json_int_t)id, "state", "active"), &why);
}

void h_ruleset_backtest(struct http_req *r)
{
    static const char *const allowed[] = {"from", "to", NULL};
    int64_t id, from, to;
    struct buf why;
    const char *f, *t;
    json_t *out = NULL;
    if (http_param_id(r, 0, &id) < 0) {
        http_problem(r, 404, "no such ruleset");
        return;
    }
    buf_init(&why, 512);
    int rc = json_only_keys(r->json, allowed, &why);
    if (rc == 0)
        rc = json_get_str(r->json, "from", true, 32, &f, &why);
    if (rc == 0)
        rc = json_get_str(r->json, "to", true, 32, &t, &why);
    if (rc == 0 && (time_parse_date(f, &from) < 0 || time_parse_date(t, &to) < 0)) {
        buf_puts(&why, "fields 'from' and 'to': expected dates YYYY-MM-DD (to is inclusive)");
        rc = ERR_INVALID;
    }
    if (rc == 0 && to < from) {
        buf_puts(&why, "field 'to': is before 'from'");
        rc = ERR_INVALID;
    }
    if (rc == 0)
        rc = rulesets_backtest(r->svc, &r->actor, id, from * 86400000, (to + 1) * 86400000,
                               &out, &why);
    answer(r, rc, 200, out, &why);
}

/* The manifest form a Content-Type declares: JSON, PAXLST (EDIFACT, or
 * teletype text), or either, told by the body (no type, or the form type
 * curl sends by default); -1 for another type. */
static int manifest_form_of(const char *ct)
{
    static const struct {
        const char *type;
        int form;
    } types[] = {{"application/json", MANIFEST_JSON},
                 {"application/edifact", MANIFEST_PAXLST},
                 {"text/plain", MANIFEST_PAXLST},
                 {"application/x-www-form-urlencoded", MANIFEST_ANY},
                 {"application/octet-stream", MANIFEST_ANY}};
    size_t n = strcspn(ct, ";");
    while (n > 0 && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
        n--;
    if (n == 0)
        return MANIFEST_ANY;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strlen(types[i].type) == n && strncasecmp(ct, types[i].type, n) == 0)
            return types[i].form;
    return -1;
}

void h_manifest(struct http_req *r)
{
    struct buf why;
    int form = manifest_form_of(r->content_type);
    if (form < 0) {
        http_problem(r, 415,
                     "Content-Type '%.60s': send application/json (a JSON manifest) or "
                     "application/edifact (PAXLST)",
                     r->content_type);
        return;
    }
    buf_init(&why, 1024);
    int rc = manifests_screen_as(r->svc, &r->actor, r->body.data ? r->body.data : "",
                                 r->body.len, (enum manifest_form)form,
                                 http_query(r, "checkpoint"), MANIFEST_DOCUMENT, &r->raw, &why);
    if (rc < 0) {
        buf_reset(&r->raw);
        http_fail(r, rc, &why);
    } else {
        r->status = 201;
        r->raw_type = "application/json";
    }
    buf_free(&why);
}
