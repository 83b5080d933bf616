/* watchlist_int: what the watchlist service files share (internal). */
#ifndef LINTAS_SERVICES_WATCHLIST_INT_H
#define LINTAS_SERVICES_WATCHLIST_INT_H

#include <jansson.h>

#include "domain/name_index.h"
#include "domain/watchlist.h"
#include "store/store.h"

struct watchlist {
    struct name_index *idx;
};

/* The stored body of e: a JSON object with the CSV field names. New ref. */
json_t *wl_body_json(const struct wl_entry *e);
/* Parses a body (or an API object) into e via the JSON-lines reader, so the
 * API, imports and the store share one set of rules. why gets
 * "field 'x': message". */
int wl_entry_from_json(json_t *obj, const char *list, struct wl_entry *e, struct buf *why);
/* Fills a store row from e (strings borrowed from e, body from bodytxt). */
void wl_row_from_entry(const struct wl_entry *e, const char *bodytxt, char valid_until[16],
                       struct store_wl_row *row);
/* Puts e into the index under the store id. */
int wl_index_put(struct watchlist *wl, int64_t id, const struct wl_entry *e);
/* The API form of a stored row: the body plus entry_id, created_at, ... */
json_t *wl_row_json(const struct store_wl_row *row);

#endif
