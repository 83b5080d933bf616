/* sponsor: see sponsor.h. */
#include "services/sponsor.h"

#include <string.h>

#include "domain/name_index.h"
#include "domain/names.h"
#include "services/watchlist.h"
#include "util/buf.h"
#include "util/errors.h"

#define SPONSOR_MATCHES 3

/* One query; a query with nothing usable in it finds nothing. */
static int one(struct watchlist *wl, const char *name, const char *phone, int32_t today,
               json_t **out, struct buf *why)
{
    struct name_query q = {.name = name[0] ? name : NULL,
                           .phone = phone[0] ? phone : NULL,
                           .threshold = NAMES_DEFAULT_THRESHOLD,
                           .limit = SPONSOR_MATCHES,
                           .today = today,
                           .explain = true};
    *out = NULL;
    size_t at = why->len;
    int r = watchlist_match(wl, &q, out, why);
    if (r == ERR_INVALID) {
        why->len = at; /* not an error of the request: no match */
        if (why->data != NULL)
            why->data[at] = '\0';
        r = 0;
    }
    return r;
}

static int by_score(const void *pa, const void *pb)
{
    json_t *const *a = pa, *const *b = pb;
    json_int_t x = json_integer_value(json_object_get(*a, "score"));
    json_int_t y = json_integer_value(json_object_get(*b, "score"));
    return (x < y) - (x > y);
}

/* Appends to acc the matches of more that acc does not hold (by entry),
 * then keeps the best SPONSOR_MATCHES. */
static void merge(json_t *acc, json_t *more)
{
    json_t *all[2 * SPONSOR_MATCHES];
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(acc) && n < 2 * SPONSOR_MATCHES; i++)
        all[n++] = json_incref(json_array_get(acc, i));
    for (size_t i = 0; i < json_array_size(more) && n < 2 * SPONSOR_MATCHES; i++) {
        json_t *m = json_array_get(more, i);
        const char *id = json_string_value(json_object_get(m, "entry_id"));
        bool dup = false;
        for (size_t k = 0; k < n && !dup; k++)
            dup = id != NULL &&
                  strcmp(id, json_string_value(json_object_get(all[k], "entry_id"))) == 0;
        if (!dup)
            all[n++] = json_incref(m);
    }
    qsort(all, n, sizeof all[0], by_score);
    json_array_clear(acc);
    for (size_t i = 0; i < n; i++) {
        if (i < SPONSOR_MATCHES)
            json_array_append(acc, all[i]);
        json_decref(all[i]);
    }
}

int sponsor_match(struct watchlist *wl, const char *name, const char *company, const char *phone,
                  int32_t today, json_t **out, struct buf *why)
{
    int r = 0;
    *out = NULL;
    bool was = watchlist_sync_skip(true); /* the traveller's match synced */
    if (wl != NULL && (name[0] || company[0] || phone[0]))
        r = one(wl, name[0] ? name : company, phone, today, out, why);
    if (r == 0 && wl != NULL && name[0] && company[0]) {
        json_t *more = NULL;
        r = one(wl, company, "", today, &more, why);
        if (r == 0 && more != NULL) {
            if (*out == NULL)
                *out = json_array();
            merge(*out, more);
        }
        json_decref(more);
    }
    watchlist_sync_skip(was);
    if (r == 0 && *out == NULL)
        *out = json_array();
    return r;
}

void sponsor_facts_add(json_t *s, json_t *matches)
{
    json_t *best = json_array_get(matches, 0);
    if (best == NULL)
        return;
    json_object_set(s, "watchlist_score", json_object_get(best, "score"));
    static const char *const keys[][2] = {{"watchlist_category", "category"},
                                          {"watchlist_entry_id", "entry_id"},
                                          {"watchlist_name", "name"}};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *v = json_string_value(json_object_get(best, keys[i][1]));
        if (v != NULL && v[0] != '\0')
            json_object_set_new(s, keys[i][0], json_string(v));
    }
}
