/* manifest_json: the JSON form of a passenger/crew manifest, both ways.
 *
 * In: {"flight": {...}, "persons": [{"role": "passenger"|"crew", "surname",
 * "given_names", "birth_date", "sex", "nationality", "document_number",
 * "document_type", "document_issuer", "document_expiry", ...}]} is read into
 * the same struct paxlst_manifest as a PAXLST message, with the same checks,
 * so both feed the same screening (docs/manifests.md has every field). A
 * structural fault (not JSON, unknown key, wrong type, bad role, too many
 * persons) fails with the field named; missing or doubtful data becomes a
 * problem on the person, as for PAXLST.
 *
 * Out: one JSON object per person (the per-person line of `lintas manifest`
 * before screening adds its answer), per flight, per problem, and a summary
 * with counts per carrier of persons with missing or invalid data.
 *
 * Pure; jansson is the only dependency. Thread-safe on distinct manifests. */
#ifndef LINTAS_DOMAIN_MANIFEST_JSON_H
#define LINTAS_DOMAIN_MANIFEST_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "domain/paxlst.h"

struct buf;

/* Reads the JSON form from data[0..len) (at most LIMIT_MANIFEST bytes and
 * LIMIT_MANIFEST_PERSONS persons). On success *out is a new manifest (free
 * with paxlst_free). ERR_INVALID (reason naming the field, e.g.
 * "persons[2].role: must be \"passenger\" or \"crew\"" in why), ERR_LIMIT,
 * ERR_NOMEM; *out is NULL on error. */
int manifest_json_parse(const char *data, size_t len, const struct paxlst_options *opt,
                        struct paxlst_manifest **out, struct buf *why);

/* Reads either form: JSON when the first byte that is not blank (after an
 * optional UTF-8 BOM) is '{', else PAXLST (paxlst_parse). Same contract. */
int manifest_parse(const char *data, size_t len, const struct paxlst_options *opt,
                   struct paxlst_manifest **out, struct buf *why);

/* Person i of m (i < m->npersons) as a new JSON object: "role", "in_transit"
 * (only when true), "carrier", "flight", the core fields "surname",
 * "given_names", "birth_date", "sex", "nationality", "document_number",
 * "document_type", "document_issuer", "document_expiry" (null when absent),
 * the other fields only when present, "documents" when there are several,
 * and "problems" (always, maybe empty). NULL on allocation failure. */
json_t *manifest_person_json(const struct paxlst_manifest *m, size_t i);

/* Flight k of m (k < m->nflights) as a new JSON object. NULL on failure. */
json_t *manifest_flight_json(const struct paxlst_manifest *m, size_t k);

/* One problem as a new object {"field", "code", "message"} plus "document"
 * (its 1-based number, when it is not the primary document), "flight"
 * (index, for manifest problems) and "segment" (EDIFACT) when known. */
json_t *manifest_problem_json(const struct paxlst_problem *p);

/* The manifest as a whole, as a new object: "source", "interchange"
 * (EDIFACT), "flights", "persons", "passengers", "crew",
 * "persons_with_problems", "carriers" (per carrier: persons, persons with
 * problems, and per core field the number of persons whose value is
 * "missing" or "invalid"), "problems" (the manifest's own) and
 * "problems_dropped" (when any were). NULL on allocation failure. */
json_t *manifest_summary_json(const struct paxlst_manifest *m);

#endif
