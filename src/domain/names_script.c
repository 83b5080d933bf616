/* names_script: decoding and output for the script romanisers (see
 * names_script.h). Pure; no allocation. */
#include "domain/names_script.h"

#include <string.h>

size_t names_script_decode(const char *w, size_t len, unsigned lo, unsigned hi, unsigned *cps,
                           size_t max)
{
    const unsigned char *s = (const unsigned char *)w;
    size_t n = 0;
    for (size_t i = 0; i < len; i += 3) {
        if (i + 3 > len || (s[i] & 0xF0) != 0xE0 || (s[i + 1] & 0xC0) != 0x80 ||
            (s[i + 2] & 0xC0) != 0x80)
            return 0;
        unsigned cp = (unsigned)(s[i] & 0x0F) << 12 | (unsigned)(s[i + 1] & 0x3F) << 6 |
                      (unsigned)(s[i + 2] & 0x3F);
        if (cp == 0x200B || cp == 0x200C || cp == 0x200D)
            continue;
        if (cp < lo || cp > hi || n == max)
            return 0;
        cps[n++] = cp;
    }
    return n;
}

bool names_script_put(char *out, size_t outsz, size_t *o, const char *s)
{
    size_t l = strlen(s);
    if (*o + l + 1 > outsz)
        return false;
    memcpy(out + *o, s, l + 1);
    *o += l;
    return true;
}

const void *names_script_lexicon(const void *table, size_t n, size_t stride, const char *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const void *e = (const char *)table + mid * stride;
        const char *k;
        memcpy(&k, e, sizeof k);
        int d = strcmp(k, key);
        if (d == 0)
            return e;
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
