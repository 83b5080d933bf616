/* ids: random identifiers and secrets from the operating system's CSPRNG
 * (libsodium randombytes). Thread-safe once sodium_init() has run. */
#ifndef LINTAS_UTIL_IDS_H
#define LINTAS_UTIL_IDS_H

#include <stddef.h>

/* Initialises the random source; returns 0 or ERR_INTERNAL. Idempotent. */
int ids_init(void);
/* Writes nbytes random bytes as 2*nbytes hex characters plus NUL into out. */
void ids_random_hex(char *out, size_t nbytes);
/* Fills p with n random bytes. */
void ids_random(void *p, size_t n);

#endif
