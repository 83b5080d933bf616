/* wl_ofac: parser of the OFAC SDN list in its CSV distribution (sdn.csv,
 * alt.csv, add.csv) into watchlist entries. The files have no header row;
 * "-0-" means empty; a DOS end-of-file byte may end them. Birth dates,
 * nationalities, citizenships, passports and national ids, and the "weak"
 * a.k.a.s are only in the remarks column and are extracted from it. Pure:
 * bytes in memory in, entries out through a sink. */
#ifndef LINTAS_DOMAIN_WL_OFAC_H
#define LINTAS_DOMAIN_WL_OFAC_H

#include <stddef.h>

#include "domain/watchlist.h"

/* Parses sdn[0..sdn_len) with the aliases of alt (may be NULL) and checks
 * the shape of add (may be NULL; addresses are not kept). Each SDN row
 * becomes one entry: id = the ent_num, kind person for "individual" and
 * organization otherwise, category sanctioned, list = list (NULL: "OFAC"),
 * source "ofac". Rows are handed to sink in file order. Returns 0, or
 * ERR_INVALID / ERR_LIMIT with err naming the file ("sdn.csv", "alt.csv",
 * "add.csv"), line and field, or the sink's error. */
int wl_parse_ofac(const char *sdn, size_t sdn_len, const char *alt, size_t alt_len,
                  const char *add, size_t add_len, const char *list, wl_sink_fn sink, void *ctx,
                  struct wl_error *err);

/* The three files of the set, with the names their errors use (NULL:
 * "sdn.csv", "alt.csv", "add.csv"). alt and add may be NULL. Borrowed. */
struct wl_ofac_set {
    const char *sdn, *alt, *add;
    size_t sdn_len, alt_len, add_len;
    const char *sdn_name, *alt_name, *add_name;
};

/* wl_parse_ofac with the files' own names in errors. */
int wl_parse_ofac_set(const struct wl_ofac_set *set, const char *list, wl_sink_fn sink,
                      void *ctx, struct wl_error *err);

enum wl_ofac_file {
    WL_OFAC_UNKNOWN = 0,
    WL_OFAC_SDN,
    WL_OFAC_ALT,
    WL_OFAC_ADD,
};

/* Which file of the set name is, from its base name, letter case ignored
 * (ending in "sdn.csv", "alt.csv" or "add.csv"). WL_OFAC_UNKNOWN otherwise. */
enum wl_ofac_file wl_ofac_file_by_name(const char *name);
/* Which file of the set data[0..len) is, from its first row: 12 fields is
 * sdn.csv, 5 fields with "aka", "fka" or "nka" third is alt.csv, 6 fields
 * with a numeric first and second field is add.csv. WL_OFAC_UNKNOWN
 * otherwise. */
enum wl_ofac_file wl_ofac_file_by_content(const char *data, size_t len);

/* Applies one OFAC remarks text to e (dates, nationalities, documents,
 * weak aliases). Unknown parts are ignored. Exposed for tests. */
int wl_ofac_remarks(struct wl_entry *e, const char *remarks);

#endif
