/* metrics: counters for GET /metrics in the Prometheus text format —
 * requests by route and status, a latency histogram, and database errors.
 * Lock-free (atomic counters); thread-safe. */
#ifndef LINTAS_HTTP_METRICS_H
#define LINTAS_HTTP_METRICS_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* route_index: index in routes[], or routes_count() for unmatched paths. */
void metrics_observe(size_t route_index, int status, int64_t micros);
void metrics_db_error(void);
/* Appends the exposition text to b. */
int metrics_render(struct buf *b);

#endif
