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

/* Applies one OFAC remarks text to e (dates, nationalities, documents,
 * weak aliases). Unknown parts are ignored. Exposed for tests. */
int wl_ofac_remarks(struct wl_entry *e, const char *remarks);

#endif
