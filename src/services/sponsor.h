/* sponsor: a traveller's or applicant's sponsor matched against the
 * watchlists, and the rule facts of the best match (internal to
 * services/). */
#ifndef LINTAS_SERVICES_SPONSOR_H
#define LINTAS_SERVICES_SPONSOR_H

#include <jansson.h>
#include <stdint.h>

struct buf;
struct watchlist;

/* Matches the sponsor's name, company and phone (any may be ""): the name
 * with the phone, and the company as well when one is given, since a
 * sponsor named as a person may work for a listed recruiter. *out (new
 * reference) gets at most 3 matches, best first, each entry once; an
 * empty array when nothing is given or nothing usable. wl may be NULL
 * (no watchlist open). Called after the traveller's match, which brought
 * the index up to date with the store: these matches do not sync again. */
int sponsor_match(struct watchlist *wl, const char *name, const char *company, const char *phone,
                  int32_t today, json_t **out, struct buf *why);

/* Adds to the `sponsor` facts object s what the best of matches (borrowed)
 * says: watchlist_score, watchlist_category, watchlist_entry_id and
 * watchlist_name. */
void sponsor_facts_add(json_t *s, json_t *matches);

#endif
