/* audit_chain: domain-separated hash chaining of audit records. */
#include "domain/audit_chain.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char audit_key[] = "lintas.audit.v1";

static void put_field(crypto_generichash_state *st, const char *s, size_t len)
{
    unsigned char n[8];
    uint64_t v = len;
    for (int i = 7; i >= 0; i--) {
        n[i] = (unsigned char)(v & 0xFF);
        v >>= 8;
    }
    crypto_generichash_update(st, n, sizeof n);
    crypto_generichash_update(st, (const unsigned char *)s, len);
}

static void put_str(crypto_generichash_state *st, const char *s)
{
    if (s == NULL)
        s = "";
    put_field(st, s, strlen(s));
}

static void put_int(crypto_generichash_state *st, int64_t v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%" PRId64, v);
    put_field(st, tmp, (size_t)n);
}

void audit_chain_hash(const struct audit_record *rec, const unsigned char prev[AUDIT_HASH_LEN],
                      unsigned char out[AUDIT_HASH_LEN])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, (const unsigned char *)audit_key, sizeof audit_key - 1,
                            AUDIT_HASH_LEN);
    crypto_generichash_update(&st, prev, AUDIT_HASH_LEN);
    put_int(&st, rec->seq);
    put_int(&st, rec->ts_ms);
    put_str(&st, rec->username);
    put_str(&st, rec->role);
    put_str(&st, rec->action);
    put_str(&st, rec->object_type);
    put_str(&st, rec->object_id);
    put_str(&st, rec->request_id);
    put_str(&st, rec->outcome);
    put_str(&st, rec->detail);
    crypto_generichash_final(&st, out, AUDIT_HASH_LEN);
}
