/* envelope_keys: the node's Ed25519 key pair, its key id, and the two text
 * forms of docs/PROTOCOL.md ("Keys"): the public key line a partner passes
 * to `peer add --public-key`, and the secret key file. Base64 is parsed
 * strictly and re-encoded to make sure the text is canonical. */
#include <sodium.h>
#include <string.h>

#include "domain/envelope.h"
#include "util/buf.h"
#include "util/errors.h"

static const char pub_prefix[] = "lintas-ed25519:";
static const char sec_prefix[] = "lintas-ed25519-secret-v1:";
static const char keyid_key[] = "lintas.keyid.v1";

#define B64_32 44 /* base64 characters of 32 bytes, with padding */

void envelope_keypair_from_seed(struct envelope_keypair *kp,
                                const unsigned char seed[ENVELOPE_SEED_LEN])
{
    crypto_sign_seed_keypair(kp->pk, kp->sk, seed);
}

void envelope_keypair_generate(struct envelope_keypair *kp)
{
    crypto_sign_keypair(kp->pk, kp->sk);
}

void envelope_keypair_wipe(struct envelope_keypair *kp)
{
    sodium_memzero(kp, sizeof *kp);
}

void envelope_key_id(const unsigned char pk[ENVELOPE_PK_LEN], unsigned char id[ENVELOPE_KEYID_LEN])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, pk, ENVELOPE_PK_LEN, (const unsigned char *)keyid_key,
                       sizeof keyid_key - 1);
    memcpy(id, h, ENVELOPE_KEYID_LEN);
}

void envelope_key_id_hex(const unsigned char pk[ENVELOPE_PK_LEN], char out[17])
{
    unsigned char id[ENVELOPE_KEYID_LEN];
    envelope_key_id(pk, id);
    sodium_bin2hex(out, 17, id, sizeof id);
}

/* Appends prefix and the base64 of 32 bytes. */
static int put_b64(struct buf *out, const char *prefix, const unsigned char bin[32])
{
    char b64[B64_32 + 1];
    sodium_bin2base64(b64, sizeof b64, bin, 32, sodium_base64_VARIANT_ORIGINAL);
    size_t old = out->len;
    int r = buf_puts(out, prefix);
    if (r == 0)
        r = buf_append(out, b64, B64_32);
    if (r < 0 && out->data != NULL) {
        out->len = old;
        out->data[old] = '\0';
    }
    sodium_memzero(b64, sizeof b64);
    return r;
}

/* Decodes exactly 44 canonical base64 characters into 32 bytes. */
static int get_b64(const char *s, unsigned char bin[32])
{
    size_t n = 0;
    const char *end = NULL;
    char again[B64_32 + 1];
    int r = ERR_INVALID;
    if (sodium_base642bin(bin, 32, s, B64_32, NULL, &n, &end, sodium_base64_VARIANT_ORIGINAL) !=
            0 ||
        n != 32 || end != s + B64_32)
        goto out;
    sodium_bin2base64(again, sizeof again, bin, 32, sodium_base64_VARIANT_ORIGINAL);
    if (memcmp(again, s, B64_32) != 0)
        goto out;
    r = 0;
out:
    sodium_memzero(again, sizeof again);
    if (r < 0)
        sodium_memzero(bin, 32);
    return r;
}

int envelope_pubkey_format(const unsigned char pk[ENVELOPE_PK_LEN], struct buf *out)
{
    return put_b64(out, pub_prefix, pk);
}

int envelope_pubkey_parse(const char *s, size_t len, unsigned char pk[ENVELOPE_PK_LEN])
{
    size_t plen = sizeof pub_prefix - 1;
    memset(pk, 0, ENVELOPE_PK_LEN);
    if (len != plen + B64_32 || memcmp(s, pub_prefix, plen) != 0)
        return ERR_INVALID;
    if (get_b64(s + plen, pk) < 0)
        return ERR_INVALID;
    if (crypto_core_ed25519_is_valid_point(pk) != 1) {
        memset(pk, 0, ENVELOPE_PK_LEN);
        return ERR_INVALID;
    }
    return 0;
}

int envelope_seckey_format(const struct envelope_keypair *kp, struct buf *out)
{
    unsigned char seed[ENVELOPE_SEED_LEN];
    crypto_sign_ed25519_sk_to_seed(seed, kp->sk);
    int r = put_b64(out, sec_prefix, seed);
    if (r == 0)
        r = buf_putc(out, '\n');
    sodium_memzero(seed, sizeof seed);
    return r;
}

int envelope_seckey_parse(const char *s, size_t len, struct envelope_keypair *kp)
{
    size_t plen = sizeof sec_prefix - 1;
    unsigned char seed[ENVELOPE_SEED_LEN];
    int r = ERR_INVALID;
    envelope_keypair_wipe(kp);
    if (len == plen + B64_32 + 1 && s[len - 1] == '\n')
        len--;
    if (len != plen + B64_32 || memcmp(s, sec_prefix, plen) != 0)
        goto out;
    if (get_b64(s + plen, seed) < 0)
        goto out;
    envelope_keypair_from_seed(kp, seed);
    r = 0;
out:
    sodium_memzero(seed, sizeof seed);
    return r;
}
