/* demo_year: a synthetic, seeded year of lintas activity for the demo and
 * for trying the statistics and oversight reports on realistic volumes.
 *
 * It loads, into a database made by `lintas init`: watchlist entries
 * (recruiters, traffickers, lost or stolen documents, protected past
 * victims); a year of departure screenings across the real checkpoints,
 * each evaluated with the active departure ruleset and given an officer's
 * outcome; passport applications at the real offices, evaluated with the
 * active application ruleset, with the reviews, extensions, rejections,
 * appeals and a few missed deadlines that follow postponements; and a few
 * hundred planted trafficking patterns — recruited groups sharing a sponsor
 * and a booking, recruiters escorting them, routes through transit
 * countries, seaports and land borders, and past victims travelling again.
 *
 * The same seed, end day and scale give the same rows (ids aside). Most
 * travellers clear; a small share is postponed or intercepted; a few
 * provinces and destinations dominate. Screenings are written in large
 * transactions without per-row audit records; one audit record describes
 * the load. Not for production databases. */
#ifndef LINTAS_SERVICES_DEMO_YEAR_H
#define LINTAS_SERVICES_DEMO_YEAR_H

#include <stdint.h>

struct actor;
struct buf;
struct svc;

struct demo_year_opts {
    uint64_t seed;     /* default 2025 */
    int64_t end_day;   /* last day, days since 1970-01-01; default yesterday */
    int percent;       /* volume as a percentage of the full year (1-100); default 100 */
    /* Called with a short line at each stage (may be NULL). */
    void (*progress)(void *ctx, const char *what);
    void *progress_ctx;
};

struct demo_year_counts {
    int64_t screenings, applications, postponements, watchlist, patterns;
};

void demo_year_defaults(struct demo_year_opts *o);

/* Loads the demo year into s's store (s->wl is opened when NULL, to take
 * the watchlist entries). ERR_CONFLICT when the database already holds
 * screenings or applications. */
int demo_year_load(struct svc *s, const struct actor *who, const struct demo_year_opts *o,
                   struct demo_year_counts *n, struct buf *why);

#endif
