/* accounts: users, roles, passwords, login sessions and lockout.
 *
 * Passwords are hashed with Argon2id (libsodium crypto_pwhash_str). A
 * bearer token is 256 random bits shown once; only its keyed BLAKE2b hash is
 * stored. Failed logins count towards a temporary lock. Every change and
 * every login attempt is audited in the same transaction. Thread-safe. */
#ifndef LINTAS_SERVICES_ACCOUNTS_H
#define LINTAS_SERVICES_ACCOUNTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

struct actor;
struct buf;
struct svc;

#define TOKEN_HEX_LEN 64

struct user_new {
    const char *username;     /* [a-z0-9_.-], at most LIMIT_USERNAME */
    const char *role;         /* a role name */
    const char *office;       /* post code; required for officers and supervisors */
    const char *password;     /* LIMIT_PASSWORD_MIN..LIMIT_PASSWORD_MAX bytes */
    const char *display_name; /* free text; NULL or "" for none */
};

/* Creates a user. ERR_INVALID (why names the field), ERR_EXISTS. */
int accounts_add(struct svc *s, const struct actor *who, const struct user_new *u, int64_t *id,
                 struct buf *why);
/* Sets a new password and revokes the user's sessions; clears any lock. */
int accounts_passwd(struct svc *s, const struct actor *who, const char *username,
                    const char *password, struct buf *why);
/* Disables (or re-enables) a user and revokes their sessions. */
int accounts_set_disabled(struct svc *s, const struct actor *who, const char *username,
                          bool disabled, struct buf *why);
/* Applies a JSON patch with any of display_name, role, office, disabled. */
int accounts_update(struct svc *s, const struct actor *who, int64_t id, json_t *patch,
                    struct buf *why);
/* Reads one user (audited as a read of personal data). */
int accounts_get(struct svc *s, const struct actor *who, int64_t id, struct store_user *out);
/* Lists users (audited). cb is called with each. */
int accounts_list(struct svc *s, const struct actor *who, store_user_cb cb, void *ctx);
/* The public JSON form of a user (no password hash). New reference. */
json_t *accounts_user_json(const struct store_user *u);

/* Checks a password and opens a session. On success token gets
 * TOKEN_HEX_LEN hex characters plus NUL and *expires_ms the expiry.
 * ERR_AUTH (wrong user or password), ERR_LOCKED, ERR_DISABLED. The answer
 * takes the same time whether or not the user exists. */
int accounts_login(struct svc *s, const char *username, const char *password,
                   const char *request_id, char token[TOKEN_HEX_LEN + 1], int64_t *expires_ms);
/* Resolves a bearer token into an actor. ERR_AUTH when unknown, expired,
 * revoked, or the user is disabled. */
int accounts_authenticate(struct svc *s, const char *token, struct actor *out);
/* Revokes the session of token (logout). */
int accounts_logout(struct svc *s, const struct actor *who, const char *token);

/* Forgets the sessions cached by accounts_authenticate (after any change
 * to users or sessions). */
void accounts_cache_flush(void);

/* Hashes a password with the configured Argon2id cost into out. */
int accounts_hash_password(const struct svc *s, const char *password, char out[160]);

#endif
