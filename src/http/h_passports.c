/* h_passports: passport applications — submit, read, the review, appeal
 * and overdue queues, the supervisor's review, the appeal and its
 * decision, and the review-period settings. */
#include "http/handlers.h"
#include "http/http.h"
#include "services/passports.h"
#include "util/errors.h"

static void answer(struct http_req *r, int rc, int status, json_t *out, struct buf *why)
{
    if (rc < 0) {
        json_decref(out);
        http_fail(r, rc, why);
    } else {
        http_reply(r, status, out);
    }
    buf_free(why);
}

void h_passport_create(struct http_req *r)
{
    struct buf why;
    json_t *out = NULL;
    buf_init(&why, 1024);
    int rc = passports_apply(r->svc, &r->actor, r->json, &out, &why);
    answer(r, rc, 201, out, &why);
}

void h_passport_get(struct http_req *r)
{
    int64_t id;
    json_t *out = NULL;
    int rc = http_param_id(r, 0, &id) < 0 ? ERR_NOTFOUND : passports_get(r->svc, &r->actor, id,
                                                                          &out);
    if (rc == ERR_NOTFOUND)
        http_problem(r, 404, "no such passport application");
    else if (rc == ERR_FORBIDDEN)
        http_problem(r, 403, "this application belongs to another office");
    else if (rc < 0)
        http_fail(r, rc, NULL);
    else
        http_reply(r, 200, out);
}

void h_passport_queue(struct http_req *r)
{
    struct buf why;
    json_t *out = NULL;
    buf_init(&why, 512);
    int rc = passports_queue(r->svc, &r->actor, http_query(r, "queue"), http_query(r, "office"),
                             &out, &why);
    answer(r, rc, 200, rc == 0 ? json_pack("{so}", "applications", out) : NULL, &why);
}

typedef int (*decide_fn)(struct svc *s, const struct actor *who, int64_t id, json_t *body,
                         json_t **out, struct buf *why);

static void decide(struct http_req *r, decide_fn fn)
{
    int64_t id;
    struct buf why;
    json_t *out = NULL;
    if (http_param_id(r, 0, &id) < 0) {
        http_problem(r, 404, "no such passport application");
        return;
    }
    buf_init(&why, 512);
    int rc = fn(r->svc, &r->actor, id, r->json, &out, &why);
    answer(r, rc, 200, out, &why);
}

void h_passport_review(struct http_req *r)
{
    decide(r, passports_review);
}

void h_passport_appeal(struct http_req *r)
{
    decide(r, passports_appeal);
}

void h_passport_appeal_decide(struct http_req *r)
{
    decide(r, passports_appeal_decide);
}

void h_passport_settings_get(struct http_req *r)
{
    json_t *out = NULL;
    int rc = passports_settings(r->svc, &out);
    if (rc < 0)
        http_fail(r, rc, NULL);
    else
        http_reply(r, 200, out);
}

void h_passport_settings_put(struct http_req *r)
{
    struct buf why;
    json_t *out = NULL;
    buf_init(&why, 512);
    int rc = passports_settings_set(r->svc, &r->actor, r->json, &out, &why);
    answer(r, rc, 200, out, &why);
}
