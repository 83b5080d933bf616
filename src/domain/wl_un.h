/* wl_un: parser of the UN Security Council consolidated list XML into
 * watchlist entries, with libxml2 reading from memory (no network, no
 * entity expansion, no DTD loading). Individuals become person entries,
 * entities organization entries. Pure: bytes in, entries out through a
 * sink. */
#ifndef LINTAS_DOMAIN_WL_UN_H
#define LINTAS_DOMAIN_WL_UN_H

#include <stddef.h>

#include "domain/watchlist.h"

/* Parses xml[0..len). Each INDIVIDUAL/ENTITY becomes one entry: id = its
 * REFERENCE_NUMBER (DATAID when absent); names = FIRST..FOURTH_NAME joined,
 * NAME_ORIGINAL_SCRIPT and aliases (QUALITY "Low" marks a weak alias);
 * birth dates exact, year-only or ranges; nationalities mapped to ICAO
 * codes (unknown ones skipped); documents with type, number and country;
 * category sanctioned; list = list (NULL: "UN"), source "un". Returns 0,
 * ERR_INVALID with err naming the file, line and field for malformed XML or
 * a record without a name or reference, or the sink's error. libxml2 must
 * have been initialised (xmlInitParser) before threads use this. */
int wl_parse_un(const char *xml, size_t len, const char *file, const char *list,
                wl_sink_fn sink, void *ctx, struct wl_error *err);

#endif
