/* metrics: atomic counters rendered in Prometheus text format. */
#include "http/metrics.h"

#include <stdatomic.h>

#include "http/routes.h"
#include "util/buf.h"

#define MAX_ROUTES 128
static const int statuses[] = {200, 201, 204, 400, 401, 403, 404, 405, 409, 413, 415, 423,
                               429, 500, 503, 0};
#define N_STATUS (sizeof statuses / sizeof statuses[0])
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                0.1,    0.25,  0.5,    1.0,   2.5,  5.0};
#define N_BOUNDS (sizeof bounds / sizeof bounds[0])

static atomic_uint_fast64_t requests[MAX_ROUTES + 1][N_STATUS];
static atomic_uint_fast64_t hist[N_BOUNDS + 1];
static atomic_uint_fast64_t hist_sum_us;
static atomic_uint_fast64_t hist_count;
static atomic_uint_fast64_t db_errors;

static size_t status_slot(int status)
{
    for (size_t i = 0; i + 1 < N_STATUS; i++) {
        if (statuses[i] == status)
            return i;
    }
    return N_STATUS - 1;
}

void metrics_observe(size_t route_index, int status, int64_t micros)
{
    if (route_index > MAX_ROUTES)
        route_index = MAX_ROUTES;
    atomic_fetch_add(&requests[route_index][status_slot(status)], 1);
    double s = (double)micros / 1e6;
    size_t b = 0;
    while (b < N_BOUNDS && s > bounds[b])
        b++;
    atomic_fetch_add(&hist[b], 1);
    atomic_fetch_add(&hist_sum_us, (uint64_t)(micros > 0 ? micros : 0));
    atomic_fetch_add(&hist_count, 1);
}

void metrics_db_error(void)
{
    atomic_fetch_add(&db_errors, 1);
}

int metrics_render(struct buf *b)
{
    size_t nr = routes_count();
    buf_puts(b, "# HELP lintas_http_requests_total HTTP requests by route and status.\n"
                "# TYPE lintas_http_requests_total counter\n");
    for (size_t i = 0; i <= nr && i <= MAX_ROUTES; i++) {
        const char *name = i < nr ? routes[i].name : "unmatched";
        for (size_t k = 0; k < N_STATUS; k++) {
            uint64_t v = atomic_load(&requests[i][k]);
            if (v == 0)
                continue;
            if (statuses[k] != 0)
                buf_printf(b, "lintas_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
                           name, statuses[k], (unsigned long long)v);
            else
                buf_printf(b, "lintas_http_requests_total{route=\"%s\",status=\"other\"} %llu\n",
                           name, (unsigned long long)v);
        }
    }
    buf_puts(b, "# HELP lintas_http_request_duration_seconds Time to answer a request.\n"
                "# TYPE lintas_http_request_duration_seconds histogram\n");
    uint64_t cum = 0;
    for (size_t i = 0; i < N_BOUNDS; i++) {
        cum += atomic_load(&hist[i]);
        buf_printf(b, "lintas_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", bounds[i],
                   (unsigned long long)cum);
    }
    cum += atomic_load(&hist[N_BOUNDS]);
    buf_printf(b, "lintas_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
               (unsigned long long)cum);
    buf_printf(b, "lintas_http_request_duration_seconds_sum %.6f\n",
               (double)atomic_load(&hist_sum_us) / 1e6);
    buf_printf(b, "lintas_http_request_duration_seconds_count %llu\n",
               (unsigned long long)atomic_load(&hist_count));
    buf_printf(b, "# HELP lintas_db_errors_total Store errors seen while answering.\n"
                  "# TYPE lintas_db_errors_total counter\nlintas_db_errors_total %llu\n",
               (unsigned long long)atomic_load(&db_errors));
    return 0;
}
