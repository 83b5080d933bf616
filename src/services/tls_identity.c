/* tls_identity: key, self-signed certificate and pin with GnuTLS. */
#include "services/tls_identity.h"

#include <errno.h>
#include <fcntl.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/errors.h"
#include "util/ids.h"

static int write_file(const char *dir, const char *name, const void *data, size_t len,
                      mode_t mode, struct buf *why)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        buf_printf(why, "%s: %s", path, strerror(errno));
        return errno == EEXIST ? ERR_EXISTS : ERR_IO;
    }
    ssize_t n = write(fd, data, len);
    int r = n == (ssize_t)len && fsync(fd) == 0 ? 0 : ERR_IO;
    close(fd);
    if (r < 0)
        buf_printf(why, "%s: cannot write", path);
    return r;
}

/* The pin of crt's public key: "sha256//" and the base64 SHA-256 of the DER
 * SubjectPublicKeyInfo. */
static int make_pin(gnutls_x509_crt_t crt, struct buf *pin)
{
    gnutls_pubkey_t pub;
    gnutls_datum_t der = {NULL, 0};
    unsigned char h[32];
    char b64[64];
    int r = ERR_INTERNAL;
    if (gnutls_pubkey_init(&pub) < 0)
        return r;
    if (gnutls_pubkey_import_x509(pub, crt, 0) >= 0 &&
        gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &der) >= 0 &&
        gnutls_hash_fast(GNUTLS_DIG_SHA256, der.data, der.size, h) >= 0) {
        sodium_bin2base64(b64, sizeof b64, h, sizeof h, sodium_base64_VARIANT_ORIGINAL);
        r = buf_printf(pin, "sha256//%s", b64);
    }
    gnutls_free(der.data);
    gnutls_pubkey_deinit(pub);
    return r;
}

static int make_cert(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key, const char *cn)
{
    unsigned char serial[16];
    time_t now = time(NULL);
    ids_random(serial, sizeof serial);
    serial[0] &= 0x7F; /* a positive serial number */
    if (gnutls_x509_crt_set_version(crt, 3) < 0 ||
        gnutls_x509_crt_set_serial(crt, serial, sizeof serial) < 0 ||
        gnutls_x509_crt_set_activation_time(crt, now - 3600) < 0 ||
        gnutls_x509_crt_set_expiration_time(crt, now + 10L * 365 * 86400) < 0 ||
        gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, cn,
                                      (unsigned)strlen(cn)) < 0 ||
        gnutls_x509_crt_set_key(crt, key) < 0 ||
        gnutls_x509_crt_set_basic_constraints(crt, 0, -1) < 0 ||
        gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE) < 0 ||
        gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, cn, (unsigned)strlen(cn),
                                             GNUTLS_FSAN_SET) < 0 ||
        gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0) < 0)
        return ERR_INTERNAL;
    return 0;
}

int tls_identity_make(const char *dir, const char *common_name, struct buf *pin,
                      struct buf *why)
{
    gnutls_x509_privkey_t key = NULL;
    gnutls_x509_crt_t crt = NULL;
    gnutls_datum_t kpem = {NULL, 0}, cpem = {NULL, 0};
    int r = ERR_INTERNAL;
    if (gnutls_global_init() < 0 || gnutls_x509_privkey_init(&key) < 0 ||
        gnutls_x509_crt_init(&crt) < 0)
        goto out;
    if (gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA,
                                     GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0) < 0 ||
        make_cert(crt, key, common_name) < 0 ||
        gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &kpem) < 0 ||
        gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &cpem) < 0 || make_pin(crt, pin) < 0)
        goto out;
    r = write_file(dir, "tls.key", kpem.data, kpem.size, 0600, why);
    if (r == 0)
        r = write_file(dir, "tls.crt", cpem.data, cpem.size, 0644, why);
    if (r == 0) {
        struct buf line;
        buf_init(&line, 256);
        buf_printf(&line, "%s\n", buf_cstr(pin));
        r = write_file(dir, "tls.pin", line.data, line.len, 0644, why);
        buf_free(&line);
    }
out:
    if (r == ERR_INTERNAL && why->len == 0)
        buf_puts(why, "cannot make the TLS key and certificate (GnuTLS)");
    if (kpem.data != NULL) {
        sodium_memzero(kpem.data, kpem.size);
        gnutls_free(kpem.data);
    }
    gnutls_free(cpem.data);
    if (crt != NULL)
        gnutls_x509_crt_deinit(crt);
    if (key != NULL)
        gnutls_x509_privkey_deinit(key);
    gnutls_global_deinit();
    return r;
}
