/* errors: names for the codes in errors.h. */
#include "util/errors.h"

const char *err_str(int code)
{
    switch (code) {
    case ERR_OK: return "ok";
    case ERR_NOMEM: return "out of memory";
    case ERR_INVALID: return "invalid input";
    case ERR_NOTFOUND: return "not found";
    case ERR_EXISTS: return "already exists";
    case ERR_LIMIT: return "limit exceeded";
    case ERR_IO: return "input/output error";
    case ERR_DB: return "database error";
    case ERR_AUTH: return "authentication failed";
    case ERR_FORBIDDEN: return "forbidden";
    case ERR_LOCKED: return "account locked";
    case ERR_CONFLICT: return "conflict";
    case ERR_INTERNAL: return "internal error";
    case ERR_BUSY: return "database busy";
    case ERR_CORRUPT: return "integrity check failed";
    case ERR_DISABLED: return "account disabled";
    case ERR_USAGE: return "usage error";
    default: return "unknown error";
    }
}
