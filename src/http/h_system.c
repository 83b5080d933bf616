/* h_system: health, metrics, offices and the audit trail. */
#include <string.h>

#include "http/handlers.h"
#include "http/http.h"
#include "http/metrics.h"
#include "services/audit.h"
#include "services/refdata.h"
#include "store/store.h"
#include "util/errors.h"
#include "util/text.h"
#include "util/timeutil.h"

void h_healthz(struct http_req *r)
{
    http_reply(r, 200, json_pack("{ss}", "status", "ok"));
}

void h_metrics(struct http_req *r)
{
    metrics_render(&r->raw);
    if (r->svc->group != NULL) {
        uint64_t batches, jobs;
        store_group_stats(r->svc->group, &batches, &jobs);
        buf_printf(&r->raw,
                   "# HELP lintas_db_commits_total Durable write transactions (group commits).\n"
                   "# TYPE lintas_db_commits_total counter\nlintas_db_commits_total %llu\n"
                   "# HELP lintas_db_writes_total Writes committed through the group committer.\n"
                   "# TYPE lintas_db_writes_total counter\nlintas_db_writes_total %llu\n",
                   (unsigned long long)batches, (unsigned long long)jobs);
    }
    r->status = 200;
    r->raw_type = "text/plain; version=0.0.4; charset=utf-8";
}

static int post_json(void *ctx, const struct store_post *p)
{
    json_t *o = refdata_post_json(p);
    return o && json_array_append_new(ctx, o) == 0 ? 0 : ERR_NOMEM;
}

void h_offices(struct http_req *r)
{
    json_t *arr = json_array();
    int rc = store_post_list(r->svc->st, post_json, arr);
    if (rc < 0) {
        json_decref(arr);
        http_fail(r, rc, NULL);
        return;
    }
    http_reply(r, 200, json_pack("{so}", "offices", arr));
}

/* Reads a time bound given as a date or an ISO timestamp. */
static int time_arg(struct http_req *r, const char *name, int64_t *ms)
{
    const char *v = http_query(r, name);
    *ms = 0;
    if (v == NULL)
        return 0;
    if (time_parse_iso(v, ms) < 0) {
        http_problem(r, 400, "parameter '%s': expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", name);
        return ERR_INVALID;
    }
    return 0;
}

void h_audit(struct http_req *r)
{
    struct store_audit_filter f = {0};
    f.username = http_query(r, "user");
    f.object_type = http_query(r, "object_type");
    f.object_id = http_query(r, "object_id");
    const char *after = http_query(r, "after");
    const char *limit = http_query(r, "limit");
    if (time_arg(r, "from", &f.from_ms) < 0 || time_arg(r, "to", &f.to_ms) < 0)
        return;
    if (after != NULL && text_parse_i64(after, 0, INT64_MAX, &f.after_seq) < 0) {
        http_problem(r, 400, "parameter 'after': expected a record number");
        return;
    }
    f.limit = 100;
    if (limit != NULL && text_parse_i64(limit, 1, LIMIT_AUDIT_PAGE, &f.limit) < 0) {
        http_problem(r, 400, "parameter 'limit': expected 1 to %u", LIMIT_AUDIT_PAGE);
        return;
    }
    json_t *arr = json_array();
    int rc = audit_query(r->svc->st, &f, arr);
    if (rc < 0) {
        json_decref(arr);
        http_fail(r, rc, NULL);
        return;
    }
    http_reply(r, 200, json_pack("{so}", "records", arr));
}
