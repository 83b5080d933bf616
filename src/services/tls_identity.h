/* tls_identity: a node's TLS identity for the exchange — an ECDSA P-256
 * key and a self-signed certificate, made by `lintas keygen` beside the
 * signing key. Partners trust it by its pin (the SHA-256 of its public key,
 * as libcurl's CURLOPT_PINNEDPUBLICKEY takes it: "sha256//BASE64"), not by
 * a certificate authority. */
#ifndef LINTAS_SERVICES_TLS_IDENTITY_H
#define LINTAS_SERVICES_TLS_IDENTITY_H

struct buf;

/* Writes DIR/tls.key (mode 0600), DIR/tls.crt and DIR/tls.pin, refusing to
 * overwrite a key; pin gets the pin string. ERR_EXISTS, ERR_IO, ERR_INTERNAL
 * with why saying what failed. */
int tls_identity_make(const char *dir, const char *common_name, struct buf *pin,
                      struct buf *why);

#endif
