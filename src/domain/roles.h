/* roles: the roles of lintas users and what kind of post each works at.
 * Pure; thread-safe. */
#ifndef LINTAS_DOMAIN_ROLES_H
#define LINTAS_DOMAIN_ROLES_H

#include <stdbool.h>

enum role {
    ROLE_ADMIN = 0,
    ROLE_PASSPORT_OFFICER,
    ROLE_CHECKPOINT_OFFICER,
    ROLE_SUPERVISOR,
    ROLE_ANALYST,
    ROLE_FOCAL_POINT,
    ROLE_CONSULAR_OFFICER,
    ROLE_COUNT
};

/* Bit for a role in a route's allowed set. */
#define ROLE_BIT(r) (1u << (r))
#define ROLES_ALL ((1u << ROLE_COUNT) - 1u)

/* "admin", "passport_officer", ... (static, never NULL for a valid role). */
const char *role_name(enum role r);
/* Parses a role name; returns 0 and sets *out, or ERR_INVALID. */
int role_parse(const char *s, enum role *out);
/* True when users with this role must be attached to an office or checkpoint. */
bool role_needs_office(enum role r);
/* Comma-separated list of every role name (static). */
const char *role_all_names(void);

#endif
