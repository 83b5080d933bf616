/* countries: the country and organisation codes that may stand in the issuing
 * state and nationality fields of a machine-readable travel document (ICAO Doc
 * 9303 Part 3): every ISO 3166-1 alpha-3 code, the codes ICAO reserves for
 * Germany ("D"), British nationality classes, the United Nations, other
 * issuing organisations, stateless persons and refugees, the specimen state
 * "UTO", and a few codes in real use that ICAO does not list (Kosovo "RKS"
 * and "XXK") or no longer lists ("ANT", "NTZ"). The table is constant data:
 * every function here is pure and thread-safe. */
#ifndef LINTAS_DOMAIN_COUNTRIES_H
#define LINTAS_DOMAIN_COUNTRIES_H

#include <stdbool.h>
#include <stddef.h>

enum countries_kind {
    COUNTRIES_ISO,          /* ISO 3166-1 alpha-3 */
    COUNTRIES_ICAO_SPECIAL, /* reserved by ICAO 9303 Part 3: D, GBD, UNO, XXA, EUE, ... */
    COUNTRIES_SPECIMEN,     /* UTO, the ICAO specimen state */
    COUNTRIES_IN_USE,       /* printed on genuine documents but not in ICAO 9303 (RKS, XXK) */
    COUNTRIES_HISTORIC,     /* withdrawn codes still found on old documents (ANT, NTZ) */
};

struct countries_entry {
    const char *code; /* as used in an MRZ without fillers: "D", "GBD", "IDN" */
    const char *name; /* English name, UTF-8 */
    enum countries_kind kind;
};

/* Number of entries in the table. */
size_t countries_count(void);
/* Entry i (0 <= i < countries_count()), in MRZ sort order (code padded with
 * '<'); NULL past the end. Borrowed from static storage. */
const struct countries_entry *countries_at(size_t i);

/* Looks up a code as printed in an MRZ: len 1 to 3 bytes, trailing '<'
 * fillers allowed ("D", "D<<", "UTO"). Anything else (lower case, internal
 * fillers, 4+ bytes, NUL) finds nothing. Returns the static entry or NULL. */
const struct countries_entry *countries_find(const char *code, size_t len);

/* True when the NUL-terminated code (as printed, fillers allowed) is in the
 * table, whatever its kind; UTO counts as known. NULL is false. */
bool countries_known(const char *code);
/* English name for the NUL-terminated code, or NULL when unknown. Static. */
const char *countries_name(const char *code);
/* "iso", "icao_special", "specimen", "in_use" or "historic". Static. */
const char *countries_kind_name(enum countries_kind kind);

#endif
