/* errors: the one list of error codes in lintas.
 *
 * Functions that can fail return int: 0 on success or one of the negative
 * codes below. err_str() gives a short, stable English phrase for each. */
#ifndef LINTAS_UTIL_ERRORS_H
#define LINTAS_UTIL_ERRORS_H

enum {
    ERR_OK = 0,
    ERR_NOMEM = -1,      /* allocation failed */
    ERR_INVALID = -2,    /* input is malformed or breaks a rule */
    ERR_NOTFOUND = -3,   /* no such object */
    ERR_EXISTS = -4,     /* object already exists */
    ERR_LIMIT = -5,      /* a limit from util/limits.h was exceeded */
    ERR_IO = -6,         /* file or socket error (see errno) */
    ERR_DB = -7,         /* the store failed */
    ERR_AUTH = -8,       /* bad credentials or token */
    ERR_FORBIDDEN = -9,  /* authenticated but not allowed */
    ERR_LOCKED = -10,    /* account locked */
    ERR_CONFLICT = -11,  /* state does not allow the operation */
    ERR_INTERNAL = -12,  /* our bug */
    ERR_BUSY = -13,      /* store busy beyond the timeout */
    ERR_CORRUPT = -14,   /* stored data fails an integrity check */
    ERR_DISABLED = -15,  /* account disabled */
    ERR_USAGE = -16,     /* command-line usage error */
};

/* Returns a static string for code; never NULL. Thread-safe. */
const char *err_str(int code);

#endif
