/* ids: random identifiers. */
#include "util/ids.h"

#include <sodium.h>

#include "util/errors.h"
#include "util/text.h"

int ids_init(void)
{
    return sodium_init() < 0 ? ERR_INTERNAL : 0;
}

void ids_random(void *p, size_t n)
{
    randombytes_buf(p, n);
}

void ids_random_hex(char *out, size_t nbytes)
{
    unsigned char tmp[64];
    if (nbytes > sizeof tmp)
        nbytes = sizeof tmp;
    randombytes_buf(tmp, nbytes);
    text_hex(out, tmp, nbytes);
    sodium_memzero(tmp, sizeof tmp);
}
