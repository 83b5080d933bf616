/* stats: the figures a ministry reports, for any period — departure
 * screenings and their recommendations, officers' outcomes (interceptions
 * by reason), passport applications, postponements, releases, rejections,
 * extensions, appeals, late reviews and missed review deadlines — broken
 * down by any of month, office, checkpoint, destination, reason, sex, age
 * band and province of origin (from the NIK), with optional small-cell
 * suppression. Counts are exact: each figure is a count of stored records
 * (docs/statistics.md says which record each one counts and on which day).
 *
 * A report is computed in one read transaction (a consistent snapshot)
 * and its query is audited. Thread-safe. */
#ifndef LINTAS_SERVICES_STATS_H
#define LINTAS_SERVICES_STATS_H

#include <jansson.h>
#include <stdint.h>

struct actor;
struct buf;
struct svc;

enum stats_dim {
    STATS_MONTH = 0,
    STATS_OFFICE,
    STATS_CHECKPOINT,
    STATS_DESTINATION,
    STATS_REASON,
    STATS_SEX,
    STATS_AGE_BAND,
    STATS_PROVINCE,
    STATS_NDIMS
};

struct stats_query {
    char from[11], to[11];    /* inclusive YYYY-MM-DD */
    int by[STATS_NDIMS];      /* enum stats_dim, in the order asked */
    size_t nby;
    int64_t min_cell;         /* 0 or 1: no suppression */
};

/* Reads the period and breakdown. from/to: YYYY-MM-DD, or YYYY-MM and YYYY
 * (the whole month or year); by: comma-separated dimension names, or NULL;
 * min_cell: a whole number or NULL. ERR_INVALID with why naming the
 * parameter. */
int stats_parse(const char *from, const char *to, const char *by, const char *min_cell,
                struct stats_query *q, struct buf *why);

/* The report: {"from", "to", "by", "min_cell", "measures", "totals",
 * "rows": [{dimension values..., measure values...}], "suppressed"}. A
 * dimension with no value is null; the reason of a record with none is
 * "none". Suppressed cells (0 < n < min_cell) are null. *out is new. */
int stats_report(struct svc *s, const struct actor *who, const struct stats_query *q,
                 json_t **out, struct buf *why);

/* Renders a report as CSV (header, rows, then a row of totals whose
 * dimension columns say "all") into b. */
int stats_csv(const json_t *report, struct buf *b);

/* Name of a dimension ("month", ...); static. */
const char *stats_dim_name(int dim);

#endif
