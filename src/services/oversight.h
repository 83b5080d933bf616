/* oversight: whether the practice discriminates, and whether it keeps its
 * own rules. For a period it reports the rate of passport postponements
 * (among applications) and of interceptions (among departure screenings)
 * by sex, age band and province of origin against the overall rate, with
 * their ratio, flagging groups outside the four-fifths band (ratio >= 1.25
 * or <= 0.8) once a group has min_group people; for each screening rule
 * how often it fired and how often officers followed or overrode it,
 * flagging rules overridden in at least half of their decided cases; and
 * the reviews decided late, the deadlines missed, and the appeals upheld.
 * One read transaction; the query is audited. Thread-safe. */
#ifndef LINTAS_SERVICES_OVERSIGHT_H
#define LINTAS_SERVICES_OVERSIGHT_H

#include <jansson.h>
#include <stdint.h>

struct actor;
struct buf;
struct svc;

#define OVERSIGHT_MIN_GROUP 20 /* default: smaller groups are shown, never flagged */

struct oversight_query {
    char from[11], to[11]; /* inclusive YYYY-MM-DD */
    int64_t min_group;
};

/* from/to as stats_parse reads them; min_group a whole number or NULL. */
int oversight_parse(const char *from, const char *to, const char *min_group,
                    struct oversight_query *q, struct buf *why);

/* {"from", "to", "min_group", "postponements": {"population", "count",
 * "rate", "by_sex": [{"value", "population", "count", "rate", "ratio",
 * "flag"}], "by_age_band": [...], "by_province": [...]}, "interceptions":
 * {...}, "rules": [{"kind", "rule", "fired", "decided", "followed",
 * "overridden", "override_rate", "flag"}], "reviews": {...}, "appeals":
 * {...}}. *out is new. */
int oversight_report(struct svc *s, const struct actor *who, const struct oversight_query *q,
                     json_t **out, struct buf *why);

/* One CSV table: section,dimension,value,population,decided,count,rate,
 * ratio,flag (docs/statistics.md). */
int oversight_csv(const json_t *report, struct buf *b);

#endif
