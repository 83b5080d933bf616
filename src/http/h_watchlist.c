/* h_watchlist: watchlist entries, imports and name matching. */
#include <string.h>

#include "domain/name_index.h"
#include "http/handlers.h"
#include "http/http.h"
#include "services/watchlist.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/text.h"
#include "util/timeutil.h"

static void answer(struct http_req *r, int rc, int status, json_t *out, struct buf *why)
{
    if (rc < 0)
        http_fail(r, rc, why);
    else
        http_reply(r, status, out);
    buf_free(why);
}

void h_wl_create(struct http_req *r)
{
    struct buf why;
    json_t *out = NULL;
    buf_init(&why, 1024);
    int rc = watchlist_create(r->svc, &r->actor, r->json, &out, &why);
    answer(r, rc, 201, out, &why);
}

/* The entry_id of the entry that {id} names: its source id (?list=NAME to
 * pick the list, ?by=id for the source id only), or its entry_id
 * (?by=entry_id, or a number that is no entry's source id). Answers the
 * problem itself and returns < 0 when there is none or several. */
static int entry_ref(struct http_req *r, int64_t *id)
{
    const char *list = http_query(r, "list"), *by = http_query(r, "by");
    struct buf why;
    if (by != NULL && strcmp(by, "id") != 0 && strcmp(by, "entry_id") != 0) {
        http_problem(r, 400, "parameter 'by': expected id or entry_id");
        return ERR_INVALID;
    }
    enum watchlist_ref how = by == NULL              ? WATCHLIST_REF_ANY
                             : strcmp(by, "id") == 0 ? WATCHLIST_REF_ID
                                                     : WATCHLIST_REF_ENTRY_ID;
    if (how == WATCHLIST_REF_ENTRY_ID && list != NULL) {
        http_problem(r, 400, "parameter 'list': not with by=entry_id");
        return ERR_INVALID;
    }
    buf_init(&why, 512);
    int rc = watchlist_resolve(r->svc, r->params[0], list, how, id, &why);
    if (rc < 0)
        http_fail(r, rc, &why);
    buf_free(&why);
    return rc;
}

void h_wl_get(struct http_req *r)
{
    int64_t id;
    json_t *out = NULL;
    if (entry_ref(r, &id) < 0)
        return;
    int rc = watchlist_get(r->svc, &r->actor, id, &out);
    if (rc == ERR_NOTFOUND)
        http_problem(r, 404, "no such watchlist entry");
    else if (rc < 0)
        http_fail(r, rc, NULL);
    else
        http_reply(r, 200, out);
}

void h_wl_patch(struct http_req *r)
{
    int64_t id;
    struct buf why;
    json_t *out = NULL;
    if (entry_ref(r, &id) < 0)
        return;
    buf_init(&why, 1024);
    int rc = watchlist_patch(r->svc, &r->actor, id, r->json, &out, &why);
    answer(r, rc, 200, out, &why);
}

void h_wl_delete(struct http_req *r)
{
    int64_t id;
    struct buf why;
    if (entry_ref(r, &id) < 0)
        return;
    buf_init(&why, 256);
    int rc = watchlist_delete(r->svc, &r->actor, id, &why);
    answer(r, rc, 200, json_pack("{ss}", "status", "deleted"), &why);
}

void h_wl_search(struct http_req *r)
{
    const char *q = http_query(r, "q");
    const char *lim = http_query(r, "limit");
    int64_t limit = 100;
    if (lim != NULL && text_parse_i64(lim, 1, 1000, &limit) < 0) {
        http_problem(r, 400, "parameter 'limit': expected 1 to 1000");
        return;
    }
    json_t *out = NULL;
    int rc = watchlist_search(r->svc, &r->actor, q ? q : "", limit, &out);
    if (rc < 0)
        http_fail(r, rc, NULL);
    else
        http_reply(r, 200, json_pack("{so}", "entries", out));
}

void h_wl_import(struct http_req *r)
{
    static const char *const allowed[] = {"format", "list", "files", NULL};
    struct buf why;
    const char *format, *list;
    buf_init(&why, 1024);
    int rc = json_only_keys(r->json, allowed, &why);
    if (rc == 0)
        rc = json_get_str(r->json, "format", true, 16, &format, &why);
    if (rc == 0)
        rc = json_get_str(r->json, "list", false, 128, &list, &why);
    json_t *files = json_object_get(r->json, "files");
    size_t n = json_array_size(files);
    if (rc == 0 && (n == 0 || n > 8)) {
        buf_puts(&why, "field 'files': must be an array of 1 to 8 {\"name\", \"data\"} objects");
        rc = ERR_INVALID;
    }
    struct watchlist_file wf[8];
    for (size_t i = 0; rc == 0 && i < n; i++) {
        json_t *f = json_array_get(files, i);
        const char *name = json_string_value(json_object_get(f, "name"));
        json_t *data = json_object_get(f, "data");
        if (name == NULL || !json_is_string(data)) {
            buf_printf(&why, "field 'files[%zu]': needs a string \"name\" and \"data\"", i);
            rc = ERR_INVALID;
            break;
        }
        wf[i] = (struct watchlist_file){name, json_string_value(data), json_string_length(data)};
    }
    struct watchlist_import_counts counts;
    if (rc == 0)
        rc = watchlist_import(r->svc, &r->actor, format, list, wf, n, &counts, &why);
    answer(r, rc, 201,
           json_pack("{sI sI}", "created", (json_int_t)counts.created, "updated",
                     (json_int_t)counts.updated),
           &why);
}

void h_match(struct http_req *r)
{
    static const char *const allowed[] = {"id", "name", "birth_date", "nationality",
                                          "document_number", "phone", "threshold", "limit",
                                          NULL};
    struct name_query q;
    struct buf why;
    int64_t threshold, limit;
    buf_init(&why, 512);
    int rc = json_only_keys(r->json, allowed, &why);
    if (rc == 0)
        rc = watchlist_query_from_json(r->json, &q, &why);
    if (rc == 0)
        rc = json_get_int(r->json, "threshold", false, 0, 100, NAMES_DEFAULT_THRESHOLD,
                          &threshold, &why);
    if (rc == 0)
        rc = json_get_int(r->json, "limit", false, 1, 100, NAMES_DEFAULT_LIMIT, &limit, &why);
    json_t *matches = NULL;
    if (rc == 0) {
        q.threshold = (int)threshold;
        q.limit = (size_t)limit;
        q.today = (int32_t)(time_now_ms() / 86400000);
        q.explain = true;
        rc = watchlist_match(r->svc->wl, &q, &matches, &why);
    }
    json_t *out = NULL;
    if (rc == 0) {
        json_t *id = json_object_get(r->json, "id");
        out = json_pack("{so}", "matches", matches);
        if (id != NULL)
            json_object_set(out, "id", id);
    }
    answer(r, rc, 200, out, &why);
}
