/* roles: names and properties of the seven roles. */
#include "domain/roles.h"

#include <string.h>

#include "util/errors.h"

static const char *const names[ROLE_COUNT] = {
    [ROLE_ADMIN] = "admin",
    [ROLE_PASSPORT_OFFICER] = "passport_officer",
    [ROLE_CHECKPOINT_OFFICER] = "checkpoint_officer",
    [ROLE_SUPERVISOR] = "supervisor",
    [ROLE_ANALYST] = "analyst",
    [ROLE_FOCAL_POINT] = "focal_point",
    [ROLE_CONSULAR_OFFICER] = "consular_officer",
};

const char *role_name(enum role r)
{
    return (unsigned)r < ROLE_COUNT ? names[r] : "unknown";
}

int role_parse(const char *s, enum role *out)
{
    for (int i = 0; i < ROLE_COUNT; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (enum role)i;
            return 0;
        }
    }
    return ERR_INVALID;
}

bool role_needs_office(enum role r)
{
    return r == ROLE_PASSPORT_OFFICER || r == ROLE_CHECKPOINT_OFFICER || r == ROLE_SUPERVISOR;
}

const char *role_all_names(void)
{
    return "admin, passport_officer, checkpoint_officer, supervisor, analyst, focal_point, "
           "consular_officer";
}
