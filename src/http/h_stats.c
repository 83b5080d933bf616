/* h_stats: GET /api/v1/stats (the `lintas stats` answer, JSON or CSV with
 * format=csv) and GET /api/v1/oversight (the `lintas oversight` answer). */
#include <string.h>

#include "http/handlers.h"
#include "http/http.h"
#include "services/oversight.h"
#include "services/stats.h"
#include "util/errors.h"

static bool want_csv(struct http_req *r, struct buf *why, int *rc)
{
    const char *f = http_query(r, "format");
    if (f != NULL && strcmp(f, "csv") != 0 && strcmp(f, "json") != 0) {
        buf_puts(why, "parameter 'format': must be json or csv");
        *rc = ERR_INVALID;
    }
    return f != NULL && strcmp(f, "csv") == 0;
}

static void reply(struct http_req *r, int rc, json_t *out, bool csv,
                  int (*to_csv)(const json_t *, struct buf *), struct buf *why)
{
    if (rc == 0 && csv) {
        rc = to_csv(out, &r->raw);
        r->status = 200;
        r->raw_type = "text/csv; charset=utf-8";
        json_decref(out);
        out = NULL;
    }
    if (rc < 0) {
        buf_reset(&r->raw);
        http_fail(r, rc, why);
    } else if (!csv) {
        http_reply(r, 200, out);
    }
    buf_free(why);
}

void h_stats(struct http_req *r)
{
    struct stats_query q;
    struct buf why;
    json_t *out = NULL;
    buf_init(&why, 512);
    int rc = 0;
    bool csv = want_csv(r, &why, &rc);
    if (rc == 0)
        rc = stats_parse(http_query(r, "from"), http_query(r, "to"), http_query(r, "by"),
                         http_query(r, "min_cell"), &q, &why);
    if (rc == 0)
        rc = stats_report(r->svc, &r->actor, &q, &out, &why);
    reply(r, rc, out, csv, stats_csv, &why);
}

void h_oversight(struct http_req *r)
{
    struct oversight_query q;
    struct buf why;
    json_t *out = NULL;
    buf_init(&why, 512);
    int rc = 0;
    bool csv = want_csv(r, &why, &rc);
    if (rc == 0)
        rc = oversight_parse(http_query(r, "from"), http_query(r, "to"),
                             http_query(r, "min_group"), &q, &why);
    if (rc == 0)
        rc = oversight_report(r->svc, &r->actor, &q, &out, &why);
    reply(r, rc, out, csv, oversight_csv, &why);
}
