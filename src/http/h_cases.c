/* h_cases: consular cases and the notifications of case officers. */
#include "http/handlers.h"
#include "http/http.h"
#include "services/cases.h"
#include "util/errors.h"
#include "util/json.h"

static void answer(struct http_req *r, int rc, int status, json_t *out, struct buf *why)
{
    if (rc == ERR_NOTFOUND && why->len == 0)
        buf_puts(why, "no such case");
    if (rc < 0)
        http_fail(r, rc, why);
    else
        http_reply(r, status, out);
    buf_free(why);
}

void h_case_create(struct http_req *r)
{
    struct buf why;
    json_t *out = NULL;
    buf_init(&why, 512);
    int rc = cases_create(r->svc, &r->actor, r->json, &out, &why);
    answer(r, rc, 201, out, &why);
}

void h_case_list(struct http_req *r)
{
    struct buf why;
    json_t *out = NULL;
    buf_init(&why, 256);
    int rc = cases_list(r->svc, &r->actor, http_query(r, "status"), &out, &why);
    answer(r, rc, 200, rc == 0 ? json_pack("{so}", "cases", out) : NULL, &why);
}

void h_case_get(struct http_req *r)
{
    struct buf why;
    int64_t id;
    json_t *out = NULL;
    buf_init(&why, 256);
    int rc = http_param_id(r, 0, &id) < 0 ? ERR_NOTFOUND : cases_get(r->svc, &r->actor, id, &out);
    answer(r, rc, 200, out, &why);
}

void h_case_patch(struct http_req *r)
{
    struct buf why;
    int64_t id;
    json_t *out = NULL;
    buf_init(&why, 512);
    int rc = http_param_id(r, 0, &id) < 0
                 ? ERR_NOTFOUND
                 : cases_update(r->svc, &r->actor, id, r->json, &out, &why);
    answer(r, rc, 200, out, &why);
}

void h_case_person(struct http_req *r)
{
    struct buf why;
    int64_t id;
    json_t *out = NULL;
    buf_init(&why, 512);
    int rc = http_param_id(r, 0, &id) < 0
                 ? ERR_NOTFOUND
                 : cases_add_person(r->svc, &r->actor, id, r->json, &out, &why);
    answer(r, rc, 201, out, &why);
}

void h_case_person_role(struct http_req *r)
{
    struct buf why;
    int64_t id, pid;
    const char *role;
    json_t *out = NULL;
    buf_init(&why, 512);
    int rc = json_get_str(r->json, "role", true, 16, &role, &why);
    if (rc == 0 && (http_param_id(r, 0, &id) < 0 || http_param_id(r, 1, &pid) < 0))
        rc = ERR_NOTFOUND;
    if (rc == 0)
        rc = cases_set_role(r->svc, &r->actor, id, pid, role, &out, &why);
    answer(r, rc, 200, out, &why);
}

void h_notifications(struct http_req *r)
{
    json_t *out = NULL;
    int rc = cases_notifications(r->svc, &r->actor, &out);
    if (rc < 0)
        http_fail(r, rc, NULL);
    else
        http_reply(r, 200, json_pack("{so}", "notifications", out));
}
