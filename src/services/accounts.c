/* accounts: user management, login with lockout, bearer sessions. */
#include "services/accounts.h"

#include <assert.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "services/audit.h"
#include "services/svc.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/ids.h"
#include "util/json.h"
#include "util/text.h"
#include "util/timeutil.h"

void svc_config_defaults(struct svc_config *cfg)
{
    cfg->session_ttl_s = 12 * 3600;
    cfg->lockout_attempts = 5;
    cfg->lockout_s = 15 * 60;
    cfg->pw_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    cfg->pw_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

void svc_cli_actor(struct actor *a)
{
    memset(a, 0, sizeof *a);
    text_copy(a->username, sizeof a->username, "(cli)");
    a->role = ROLE_ADMIN;
}

int accounts_hash_password(const struct svc *s, const char *password, char out[160])
{
    static_assert(crypto_pwhash_STRBYTES <= 160, "pwhash buffer");
    if (crypto_pwhash_str(out, password, strlen(password), s->cfg.pw_ops, s->cfg.pw_mem) != 0)
        return ERR_NOMEM;
    return 0;
}

static int check_password(const char *pw, struct buf *why)
{
    size_t n = strlen(pw);
    if (n < LIMIT_PASSWORD_MIN || n > LIMIT_PASSWORD_MAX) {
        buf_printf(why, "field 'password': must be %u to %u bytes long", LIMIT_PASSWORD_MIN,
                   LIMIT_PASSWORD_MAX);
        return ERR_INVALID;
    }
    if (!text_utf8_valid(pw, n)) {
        buf_puts(why, "field 'password': is not valid UTF-8");
        return ERR_INVALID;
    }
    return 0;
}

static int check_display_name(const char *dn, struct buf *why)
{
    const char *bad = text_check_free(dn, strlen(dn), LIMIT_DISPLAY_NAME, false);
    if (bad != NULL) {
        buf_printf(why, "field 'display_name': %s", bad);
        return ERR_INVALID;
    }
    return 0;
}

/* Validates role and office together; office may be NULL or "". */
static int check_role_office(struct svc *s, const char *role, const char *office,
                             struct buf *why)
{
    enum role r;
    if (role == NULL || role_parse(role, &r) < 0) {
        buf_printf(why, "field 'role': must be one of %s", role_all_names());
        return ERR_INVALID;
    }
    bool has_office = office != NULL && office[0] != '\0';
    if (role_needs_office(r) && !has_office) {
        buf_printf(why, "field 'office': a %s must belong to an office or checkpoint", role);
        return ERR_INVALID;
    }
    if (has_office) {
        struct store_post p;
        int rc = store_post_get(s->st, office, &p);
        if (rc == ERR_NOTFOUND) {
            buf_puts(why, "field 'office': no such office or checkpoint (see lintas offices)");
            return ERR_INVALID;
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

int accounts_add(struct svc *s, const struct actor *who, const struct user_new *u, int64_t *id,
                 struct buf *why)
{
    struct store_user nu = {0};
    *id = 0;
    if (u->username == NULL || !text_is_identifier(u->username, LIMIT_USERNAME)) {
        buf_printf(why, "field 'username': must be 1 to %u characters of a-z 0-9 _ . -",
                   LIMIT_USERNAME);
        return ERR_INVALID;
    }
    int r = check_password(u->password ? u->password : "", why);
    if (r == 0)
        r = check_display_name(u->display_name ? u->display_name : "", why);
    if (r < 0)
        return r;
    text_copy(nu.username, sizeof nu.username, u->username);
    text_copy(nu.display_name, sizeof nu.display_name, u->display_name ? u->display_name : "");
    text_copy(nu.role, sizeof nu.role, u->role ? u->role : "");
    text_copy(nu.office, sizeof nu.office, u->office ? u->office : "");
    nu.created_ms = nu.updated_ms = time_now_ms();
    r = accounts_hash_password(s, u->password, nu.pwhash);
    if (r < 0)
        return r;
    r = store_begin(s->st, true);
    if (r < 0)
        return r;
    r = check_role_office(s, u->role, u->office, why);
    if (r < 0)
        goto out;
    r = store_user_insert(s->st, &nu, id);
    if (r == ERR_EXISTS) {
        buf_printf(why, "field 'username': '%s' is already taken", u->username);
        goto out;
    }
    if (r < 0)
        goto out;
    char oid[24], detail[160];
    snprintf(oid, sizeof oid, "%" PRId64, *id);
    snprintf(detail, sizeof detail, "username=%s role=%s", nu.username, nu.role);
    r = audit_append(s->st, who, "user.add", "user", oid, "ok", detail);
    if (r == 0)
        r = store_commit(s->st);
out:
    if (r < 0)
        store_rollback(s->st);
    sodium_memzero(nu.pwhash, sizeof nu.pwhash);
    return r;
}

/* Loads a user by name inside the open transaction, naming it in why. */
static int load_by_name(struct svc *s, const char *username, struct store_user *u,
                        struct buf *why)
{
    int r = store_user_get_by_name(s->st, username, u);
    if (r == ERR_NOTFOUND)
        buf_puts(why, "no such user");
    return r;
}

static int user_oid(const struct store_user *u, char oid[24])
{
    return snprintf(oid, 24, "%" PRId64, u->id);
}

int accounts_passwd(struct svc *s, const struct actor *who, const char *username,
                    const char *password, struct buf *why)
{
    struct store_user u;
    char hash[160], oid[24];
    int r = check_password(password, why);
    if (r < 0)
        return r;
    r = accounts_hash_password(s, password, hash);
    if (r < 0)
        return r;
    r = store_begin(s->st, true);
    if (r < 0)
        return r;
    r = load_by_name(s, username, &u, why);
    if (r < 0)
        goto out;
    text_copy(u.pwhash, sizeof u.pwhash, hash);
    u.failed_logins = 0;
    u.locked_until_ms = 0;
    u.updated_ms = time_now_ms();
    r = store_user_update(s->st, &u);
    accounts_cache_flush();
    if (r == 0)
        r = store_session_revoke_user(s->st, u.id);
    user_oid(&u, oid);
    if (r == 0)
        r = audit_append(s->st, who, "user.passwd", "user", oid, "ok", NULL);
    if (r == 0)
        r = store_commit(s->st);
out:
    if (r < 0)
        store_rollback(s->st);
    sodium_memzero(hash, sizeof hash);
    return r;
}

int accounts_set_disabled(struct svc *s, const struct actor *who, const char *username,
                          bool disabled, struct buf *why)
{
    struct store_user u;
    char oid[24];
    int r = store_begin(s->st, true);
    if (r < 0)
        return r;
    r = load_by_name(s, username, &u, why);
    if (r < 0)
        goto out;
    u.disabled = disabled;
    u.updated_ms = time_now_ms();
    accounts_cache_flush();
    r = store_user_update(s->st, &u);
    if (r == 0 && disabled)
        r = store_session_revoke_user(s->st, u.id);
    user_oid(&u, oid);
    if (r == 0)
        r = audit_append(s->st, who, disabled ? "user.disable" : "user.enable", "user", oid,
                         "ok", NULL);
    if (r == 0)
        r = store_commit(s->st);
out:
    if (r < 0)
        store_rollback(s->st);
    return r;
}

/* Applies the fields of patch to u; validates each. */
static int apply_patch(struct svc *s, struct store_user *u, json_t *patch, struct buf *why)
{
    static const char *const allowed[] = {"display_name", "role", "office", "disabled", NULL};
    const char *dn, *role, *office;
    bool disabled;
    int r = json_only_keys(patch, allowed, why);
    if (r == 0)
        r = json_get_str(patch, "display_name", false, LIMIT_DISPLAY_NAME * 4, &dn, why);
    if (r == 0)
        r = json_get_str(patch, "role", false, 32, &role, why);
    if (r == 0)
        r = json_get_str(patch, "office", false, 31, &office, why);
    if (r == 0)
        r = json_get_bool(patch, "disabled", false, u->disabled, &disabled, why);
    if (r == 0 && dn != NULL)
        r = check_display_name(dn, why);
    if (r < 0)
        return r;
    if (role != NULL || office != NULL) {
        r = check_role_office(s, role ? role : u->role, office ? office : u->office, why);
        if (r < 0)
            return r;
    }
    if (dn != NULL)
        text_copy(u->display_name, sizeof u->display_name, dn);
    if (role != NULL)
        text_copy(u->role, sizeof u->role, role);
    if (office != NULL)
        text_copy(u->office, sizeof u->office, office);
    u->disabled = disabled;
    return 0;
}

int accounts_update(struct svc *s, const struct actor *who, int64_t id, json_t *patch,
                    struct buf *why)
{
    struct store_user u;
    char oid[24];
    int r = store_begin(s->st, true);
    if (r < 0)
        return r;
    r = store_user_get(s->st, id, &u);
    if (r == ERR_NOTFOUND)
        buf_puts(why, "no such user");
    if (r < 0)
        goto out;
    bool was_disabled = u.disabled;
    r = apply_patch(s, &u, patch, why);
    if (r < 0)
        goto out;
    u.updated_ms = time_now_ms();
    accounts_cache_flush();
    r = store_user_update(s->st, &u);
    if (r == 0 && u.disabled && !was_disabled)
        r = store_session_revoke_user(s->st, u.id);
    user_oid(&u, oid);
    if (r == 0)
        r = audit_append(s->st, who, "user.update", "user", oid, "ok", NULL);
    if (r == 0)
        r = store_commit(s->st);
out:
    if (r < 0)
        store_rollback(s->st);
    return r;
}

int accounts_get(struct svc *s, const struct actor *who, int64_t id, struct store_user *out)
{
    char oid[24];
    int r = store_begin(s->st, true);
    if (r < 0)
        return r;
    r = store_user_get(s->st, id, out);
    snprintf(oid, sizeof oid, "%" PRId64, id);
    if (r == 0)
        r = audit_append(s->st, who, "user.read", "user", oid, "ok", NULL);
    if (r == 0)
        r = store_commit(s->st);
    if (r < 0)
        store_rollback(s->st);
    return r;
}

int accounts_list(struct svc *s, const struct actor *who, store_user_cb cb, void *ctx)
{
    int r = store_begin(s->st, true);
    if (r < 0)
        return r;
    r = store_user_list(s->st, cb, ctx);
    if (r == 0)
        r = audit_append(s->st, who, "user.list", "user", "*", "ok", NULL);
    if (r == 0)
        r = store_commit(s->st);
    if (r < 0)
        store_rollback(s->st);
    return r;
}

json_t *accounts_user_json(const struct store_user *u)
{
    char created[32], locked[32];
    time_format_iso(created, u->created_ms);
    json_t *o = json_pack("{sI ss ss ss so sb ss}", "id", (json_int_t)u->id, "username",
                          u->username, "display_name", u->display_name, "role", u->role,
                          "office", u->office[0] ? json_string(u->office) : json_null(),
                          "disabled", u->disabled, "created_at", created);
    if (o != NULL && u->locked_until_ms > time_now_ms()) {
        time_format_iso(locked, u->locked_until_ms);
        json_object_set_new(o, "locked_until", json_string(locked));
    }
    return o;
}
