/* h_accounts: sessions (login, logout, who am I) and user management. */
#include <string.h>

#include "http/handlers.h"
#include "http/http.h"
#include "services/accounts.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/text.h"
#include "util/timeutil.h"

void h_session_create(struct http_req *r)
{
    static const char *const allowed[] = {"username", "password", NULL};
    struct buf why;
    const char *user, *pw;
    buf_init(&why, 512);
    int rc = json_only_keys(r->json, allowed, &why);
    if (rc == 0)
        rc = json_get_str(r->json, "username", true, LIMIT_USERNAME * 4, &user, &why);
    if (rc == 0)
        rc = json_get_str(r->json, "password", true, LIMIT_PASSWORD_MAX, &pw, &why);
    if (rc < 0) {
        http_problem(r, 400, "%s", buf_cstr(&why));
        buf_free(&why);
        return;
    }
    buf_free(&why);
    char token[TOKEN_HEX_LEN + 1], exp[32];
    int64_t expires;
    rc = accounts_login(r->svc, user, pw, r->request_id, token, &expires);
    if (rc == ERR_AUTH || rc == ERR_DISABLED) {
        http_problem(r, 401, "wrong username or password");
        return;
    }
    if (rc == ERR_LOCKED) {
        http_problem(r, 423, "the account is locked after too many failed logins; try later");
        return;
    }
    if (rc < 0) {
        http_fail(r, rc, NULL);
        return;
    }
    time_format_iso(exp, expires);
    http_reply(r, 201, json_pack("{ss ss}", "token", token, "expires_at", exp));
    memset(token, 0, sizeof token);
}

void h_session_get(struct http_req *r)
{
    http_reply(r, 200,
               json_pack("{sI ss ss so}", "user_id", (json_int_t)r->actor.user_id, "username",
                         r->actor.username, "role", role_name(r->actor.role), "office",
                         r->actor.office[0] ? json_string(r->actor.office) : json_null()));
}

void h_session_delete(struct http_req *r)
{
    int rc = accounts_logout(r->svc, &r->actor, r->token);
    if (rc < 0) {
        http_fail(r, rc, NULL);
        return;
    }
    http_reply(r, 200, json_pack("{ss}", "status", "revoked"));
}

static int user_to_array(void *ctx, const struct store_user *u)
{
    json_t *o = accounts_user_json(u);
    return o && json_array_append_new(ctx, o) == 0 ? 0 : ERR_NOMEM;
}

void h_users_list(struct http_req *r)
{
    json_t *arr = json_array();
    int rc = accounts_list(r->svc, &r->actor, user_to_array, arr);
    if (rc < 0) {
        json_decref(arr);
        http_fail(r, rc, NULL);
        return;
    }
    http_reply(r, 200, json_pack("{so}", "users", arr));
}

void h_users_create(struct http_req *r)
{
    static const char *const allowed[] = {"username", "role", "office", "password",
                                          "display_name", NULL};
    struct user_new u = {0};
    struct buf why;
    buf_init(&why, 512);
    int rc = json_only_keys(r->json, allowed, &why);
    if (rc == 0)
        rc = json_get_str(r->json, "username", true, LIMIT_USERNAME * 4, &u.username, &why);
    if (rc == 0)
        rc = json_get_str(r->json, "role", true, 64, &u.role, &why);
    if (rc == 0)
        rc = json_get_str(r->json, "office", false, 64, &u.office, &why);
    if (rc == 0)
        rc = json_get_str(r->json, "password", true, LIMIT_PASSWORD_MAX, &u.password, &why);
    if (rc == 0)
        rc = json_get_str(r->json, "display_name", false, LIMIT_DISPLAY_NAME * 4,
                          &u.display_name, &why);
    int64_t id;
    if (rc == 0)
        rc = accounts_add(r->svc, &r->actor, &u, &id, &why);
    if (rc < 0) {
        http_fail(r, rc, &why);
        buf_free(&why);
        return;
    }
    buf_free(&why);
    struct store_user su;
    rc = store_user_get(r->svc->st, id, &su);
    if (rc < 0) {
        http_fail(r, rc, NULL);
        return;
    }
    http_reply(r, 201, accounts_user_json(&su));
}

void h_user_get(struct http_req *r)
{
    int64_t id;
    if (http_param_id(r, 0, &id) < 0) {
        http_problem(r, 404, "no such user");
        return;
    }
    struct store_user u;
    int rc = accounts_get(r->svc, &r->actor, id, &u);
    if (rc == ERR_NOTFOUND) {
        http_problem(r, 404, "no such user");
        return;
    }
    if (rc < 0) {
        http_fail(r, rc, NULL);
        return;
    }
    http_reply(r, 200, accounts_user_json(&u));
}

void h_user_patch(struct http_req *r)
{
    int64_t id;
    if (http_param_id(r, 0, &id) < 0) {
        http_problem(r, 404, "no such user");
        return;
    }
    struct buf why;
    buf_init(&why, 512);
    int rc = accounts_update(r->svc, &r->actor, id, r->json, &why);
    if (rc < 0) {
        http_fail(r, rc, &why);
        buf_free(&why);
        return;
    }
    buf_free(&why);
    struct store_user u;
    rc = store_user_get(r->svc->st, id, &u);
    if (rc < 0) {
        http_fail(r, rc, NULL);
        return;
    }
    http_reply(r, 200, accounts_user_json(&u));
}
