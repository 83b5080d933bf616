/* sessions: login with lockout, bearer tokens, logout.
 *
 * The slow Argon2id check runs outside any transaction so that logins do
 * not hold the write lock; the outcome (session, counters, lock, audit
 * records) is then written in one transaction. */
#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "services/accounts.h"
#include "services/audit.h"
#include "services/svc.h"
#include "util/errors.h"
#include "util/ids.h"
#include "util/text.h"
#include "util/timeutil.h"

static const char token_key[] = "lintas.session.v1";

static void token_hash(const char *token, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token),
                       (const unsigned char *)token_key, sizeof token_key - 1);
    text_hex(out, h, sizeof h);
}

/* A hash to verify against when the user does not exist, so that the
 * answer takes as long as for a real user. */
static char dummy_hash[160];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static const struct svc *dummy_svc;

static void dummy_init(void)
{
    char pw[33];
    ids_random_hex(pw, 16);
    if (accounts_hash_password(dummy_svc, pw, dummy_hash) < 0)
        dummy_hash[0] = '\0';
}

static void burn_time(const struct svc *s, const char *password)
{
    dummy_svc = s;
    pthread_once(&dummy_once, dummy_init);
    if (dummy_hash[0] != '\0')
    {
        int ignored = crypto_pwhash_str_verify(dummy_hash, password, strlen(password));
        (void)ignored;
    }
}

/* Records a failed attempt for u (may be NULL for an unknown user). */
static int record_failure(struct svc *s, const char *username, const char *request_id,
                          int64_t user_id, int outcome)
{
    int r = store_begin(s->st, true);
    if (r < 0)
        return r;
    char oid[24] = "";
    const char *name = text_is_identifier(username, LIMIT_USERNAME) ? username : "(invalid)";
    struct store_user u;
    bool known = user_id > 0 && store_user_get(s->st, user_id, &u) == 0;
    if (known) {
        snprintf(oid, sizeof oid, "%" PRId64, u.id);
        int64_t now = time_now_ms();
        if (outcome == ERR_AUTH) {
            u.failed_logins++;
            if (u.failed_logins >= s->cfg.lockout_attempts) {
                u.locked_until_ms = now + s->cfg.lockout_s * 1000;
                u.failed_logins = 0;
                r = audit_append_as(s->st, name, u.role, request_id, "user.lock", "user", oid,
                                    "ok", "too many failed logins");
            }
            u.updated_ms = now;
            if (r == 0)
                r = store_user_update(s->st, &u);
        }
    }
    const char *what = outcome == ERR_LOCKED     ? "locked"
                       : outcome == ERR_DISABLED ? "disabled"
                                                 : "failed";
    if (r == 0)
        r = audit_append_as(s->st, name, known ? u.role : "", request_id, "session.create",
                            "user", oid, what, NULL);
    if (r == 0)
        r = store_commit(s->st);
    if (r < 0)
        store_rollback(s->st);
    return r;
}

static int open_session(struct svc *s, int64_t user_id, const char *request_id,
                        char token[TOKEN_HEX_LEN + 1], int64_t *expires_ms)
{
    struct store_user u;
    struct store_session ss = {0};
    int64_t now = time_now_ms();
    ids_random_hex(token, TOKEN_HEX_LEN / 2);
    token_hash(token, ss.token_hash);
    ss.user_id = user_id;
    ss.created_ms = now;
    ss.expires_ms = now + s->cfg.session_ttl_s * 1000;
    int r = store_begin(s->st, true);
    if (r < 0)
        return r;
    r = store_user_get(s->st, user_id, &u);
    if (r == 0 && (u.failed_logins != 0 || u.locked_until_ms != 0)) {
        u.failed_logins = 0;
        u.locked_until_ms = 0;
        u.updated_ms = now;
        r = store_user_update(s->st, &u);
    }
    if (r == 0)
        r = store_session_insert(s->st, &ss);
    char oid[24];
    snprintf(oid, sizeof oid, "%" PRId64, user_id);
    if (r == 0)
        r = audit_append_as(s->st, u.username, u.role, request_id, "session.create", "user",
                            oid, "ok", NULL);
    if (r == 0)
        r = store_commit(s->st);
    if (r < 0) {
        store_rollback(s->st);
        sodium_memzero(token, TOKEN_HEX_LEN + 1);
        return r;
    }
    *expires_ms = ss.expires_ms;
    return 0;
}

int accounts_login(struct svc *s, const char *username, const char *password,
                   const char *request_id, char token[TOKEN_HEX_LEN + 1], int64_t *expires_ms)
{
    struct store_user u;
    token[0] = '\0';
    *expires_ms = 0;
    int r = ERR_AUTH;
    bool found = text_is_identifier(username, LIMIT_USERNAME) &&
                 store_user_get_by_name(s->st, username, &u) == 0;
    if (!found) {
        burn_time(s, password);
        record_failure(s, username, request_id, 0, ERR_AUTH);
        return ERR_AUTH;
    }
    bool ok = crypto_pwhash_str_verify(u.pwhash, password, strlen(password)) == 0;
    if (u.locked_until_ms > time_now_ms())
        r = ERR_LOCKED;
    else if (!ok)
        r = ERR_AUTH;
    else if (u.disabled)
        r = ERR_DISABLED;
    else
        r = 0;
    if (r < 0) {
        int w = record_failure(s, username, request_id, u.id, r);
        return w < 0 ? w : r;
    }
    return open_session(s, u.id, request_id, token, expires_ms);
}

/* A short-lived cache of resolved sessions: every request presents a token,
 * and two look-ups per request are most of what an idle route costs. An
 * entry lives SESSION_CACHE_MS; any change to accounts or sessions made by
 * this process empties the cache at once, and one made by another process
 * (lintas user disable on the command line) takes effect within that time. */
#define SESSION_CACHE_SLOTS 1024
#define SESSION_CACHE_MS 2000

struct cached_session {
    char hash[65];
    struct actor actor;
    int64_t expires_ms, cached_ms;
};

static struct cached_session session_cache[SESSION_CACHE_SLOTS];
static pthread_mutex_t session_cache_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t cache_slot(const char *hash)
{
    size_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v * 16 + (size_t)(hash[i] <= '9' ? hash[i] - '0' : hash[i] - 'a' + 10);
    return v % SESSION_CACHE_SLOTS;
}

void accounts_cache_flush(void)
{
    pthread_mutex_lock(&session_cache_lock);
    memset(session_cache, 0, sizeof session_cache);
    pthread_mutex_unlock(&session_cache_lock);
}

static bool cache_get(const char *hash, struct actor *out)
{
    int64_t now = time_now_ms();
    bool hit = false;
    pthread_mutex_lock(&session_cache_lock);
    struct cached_session *c = &session_cache[cache_slot(hash)];
    if (sodium_memcmp(c->hash, hash, 64) == 0 && c->hash[0] != '\0' &&
        now - c->cached_ms < SESSION_CACHE_MS && c->expires_ms > now) {
        *out = c->actor;
        hit = true;
    }
    pthread_mutex_unlock(&session_cache_lock);
    return hit;
}

static void cache_put(const char *hash, const struct actor *a, int64_t expires_ms)
{
    pthread_mutex_lock(&session_cache_lock);
    struct cached_session *c = &session_cache[cache_slot(hash)];
    memcpy(c->hash, hash, 65);
    c->actor = *a;
    c->expires_ms = expires_ms;
    c->cached_ms = time_now_ms();
    pthread_mutex_unlock(&session_cache_lock);
}

int accounts_authenticate(struct svc *s, const char *token, struct actor *out)
{
    struct store_session ss;
    struct store_user u;
    char h[65];
    memset(out, 0, sizeof *out);
    if (strlen(token) != TOKEN_HEX_LEN)
        return ERR_AUTH;
    token_hash(token, h);
    if (cache_get(h, out))
        return 0;
    int r = store_session_get(s->st, h, &ss);
    if (r == ERR_NOTFOUND)
        return ERR_AUTH;
    if (r < 0)
        return r;
    if (ss.revoked || ss.expires_ms <= time_now_ms())
        return ERR_AUTH;
    r = store_user_get(s->st, ss.user_id, &u);
    if (r == ERR_NOTFOUND || (r == 0 && u.disabled))
        return ERR_AUTH;
    if (r < 0)
        return r;
    enum role role;
    if (role_parse(u.role, &role) < 0)
        return ERR_AUTH;
    out->user_id = u.id;
    text_copy(out->username, sizeof out->username, u.username);
    out->role = role;
    text_copy(out->office, sizeof out->office, u.office);
    cache_put(h, out, ss.expires_ms);
    return 0;
}

int accounts_logout(struct svc *s, const struct actor *who, const char *token)
{
    char h[65], oid[24];
    token_hash(token, h);
    snprintf(oid, sizeof oid, "%" PRId64, who->user_id);
    accounts_cache_flush();
    int r = store_begin(s->st, true);
    if (r < 0)
        return r;
    r = store_session_revoke(s->st, h);
    if (r == 0)
        r = audit_append(s->st, who, "session.delete", "user", oid, "ok", NULL);
    if (r == 0)
        r = store_commit(s->st);
    if (r < 0)
        store_rollback(s->st);
    return r;
}
