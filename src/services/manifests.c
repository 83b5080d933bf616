/* manifests: parse, match every person against the watchlists on every
 * core, then screen every person in one write transaction. */
#include "services/manifests.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/countries.h"
#include "domain/manifest_json.h"
#include "domain/paxlst.h"
#include "services/screening.h"
#include "services/screening_int.h"
#include "services/svc.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/text.h"
#include "util/timeutil.h"

/* Country of the airports that departures from Indonesia most often go to
 * or through; manifests name airports, screening rules name countries.
 * (IATA codes; not exhaustive: an unknown airport leaves the destination
 * unknown rather than guessed.) */
static const struct {
    const char *iata, *country;
} airports[] = {
    {"PNH", "KHM"}, {"REP", "KHM"}, {"KTI", "KHM"}, {"KOS", "KHM"}, {"BKK", "THA"},
    {"DMK", "THA"}, {"HKT", "THA"}, {"CNX", "THA"}, {"SGN", "VNM"}, {"HAN", "VNM"},
    {"DAD", "VNM"}, {"RGN", "MMR"}, {"MDL", "MMR"}, {"VTE", "LAO"}, {"LPQ", "LAO"},
    {"KUL", "MYS"}, {"PEN", "MYS"}, {"JHB", "MYS"}, {"BKI", "MYS"}, {"KCH", "MYS"},
    {"SIN", "SGP"}, {"MNL", "PHL"}, {"CEB", "PHL"}, {"HKG", "HKG"}, {"TPE", "TWN"},
    {"NRT", "JPN"}, {"HND", "JPN"}, {"KIX", "JPN"}, {"ICN", "KOR"}, {"PVG", "CHN"},
    {"PEK", "CHN"}, {"CAN", "CHN"}, {"DXB", "ARE"}, {"AUH", "ARE"}, {"DOH", "QAT"},
    {"JED", "SAU"}, {"MED", "SAU"}, {"RUH", "SAU"}, {"IST", "TUR"}, {"SYD", "AUS"},
    {"MEL", "AUS"}, {"PER", "AUS"}, {"DIL", "TLS"}, {"BWN", "BRN"}, {"AMS", "NLD"},
    {"CGK", "IDN"}, {"DPS", "IDN"}, {"SUB", "IDN"}, {"KNO", "IDN"}, {"BTH", "IDN"},
};

static const char *airport_country(const char *iata)
{
    for (size_t i = 0; i < sizeof airports / sizeof airports[0]; i++) {
        if (strcmp(airports[i].iata, iata) == 0)
            return airports[i].country;
    }
    return NULL;
}

static void set_if(json_t *o, const char *k, const char *v)
{
    if (v != NULL && v[0] != '\0')
        json_object_set_new(o, k, json_string(v));
}

/* The departure request for person i; fields the manifest got wrong (they
 * are reported as problems) are left out rather than refused. */
static json_t *person_request(const struct paxlst_manifest *m, size_t i)
{
    const struct paxlst_person *p = &m->persons[i];
    const struct paxlst_flight *f = &m->flights[p->flight];
    const struct paxlst_doc *d = paxlst_primary_doc(p);
    json_t *t = json_object(), *trip = json_object();
    int64_t days;
    set_if(t, "surname", p->surname);
    set_if(t, "given_names", p->given_names);
    if (strlen(p->birth_date) == 10 && time_parse_date(p->birth_date, &days) == 0)
        set_if(t, "birth_date", p->birth_date);
    if (strlen(p->nationality) == 3 && countries_known(p->nationality))
        set_if(t, "nationality", p->nationality);
    if (p->sex[0] == 'M' || p->sex[0] == 'F')
        set_if(t, "sex", p->sex);
    if (d != NULL) {
        set_if(t, "document_number", d->number);
        if (strlen(d->issued) >= 10) {
            char iss[11];
            memcpy(iss, d->issued, 10);
            iss[10] = '\0';
            if (time_parse_date(iss, &days) == 0)
                set_if(t, "document_issued", iss);
        }
    }
    set_if(trip, "carrier", f->carrier);
    set_if(trip, "flight", f->flight);
    const char *dest = airport_country(p->debarkation[0] ? p->debarkation : f->arrival_port);
    set_if(trip, "destination", dest);
    set_if(trip, "booking_ref", p->booking_ref);
    set_if(trip, "purpose", p->role == PAXLST_CREW ? "crew" : NULL);
    if (t == NULL || trip == NULL || (json_object_size(t) == 0)) {
        json_decref(t);
        json_decref(trip);
        return NULL;
    }
    return json_pack("{so so}", "traveller", t, "trip", trip);
}

#define PREMATCH_THREADS 8 /* most threads matching one manifest */
#define PREMATCH_MIN 16    /* fewer persons per thread are matched on one */

struct man_job {
    struct svc *s;
    const struct actor *who;
    const struct paxlst_manifest *m;
    const char *checkpoint;
    int64_t today;
    json_t **reqs;              /* per person: the departure request, or NULL */
    struct dep_matches *pre;    /* per person: its matches, found before the transaction */
    atomic_size_t next;         /* the next person to match (prematch_worker) */
    json_t *persons;
    size_t counts[5]; /* clear, secondary, refuse, protect, not screened */
};

static void count_rec(struct man_job *j, const char *rec)
{
    static const char *const names[] = {"clear", "secondary", "refuse", "protect"};
    for (size_t i = 0; i < 4; i++) {
        if (rec && strcmp(rec, names[i]) == 0) {
            j->counts[i]++;
            return;
        }
    }
    j->counts[4]++;
}

/* Matches persons until none is left; run on several threads at once. */
static void *prematch_worker(void *arg)
{
    struct man_job *j = arg;
    for (size_t i; (i = atomic_fetch_add(&j->next, 1)) < j->m->npersons;)
        if (j->reqs[i] != NULL)
            screening_prematch(j->s, j->reqs[i], j->today, &j->pre[i]);
    return NULL;
}

/* Builds every person's request and finds their watchlist matches outside
 * the write transaction, on as many threads as there are cores (matching is
 * most of a manifest's time, and it reads only the in-memory index). Out
 * of memory here only means the screening matches the person itself. */
static void prematch_all(struct man_job *j)
{
    size_t n = j->m->npersons;
    j->reqs = calloc(n ? n : 1, sizeof *j->reqs);
    j->pre = calloc(n ? n : 1, sizeof *j->pre);
    if (j->reqs == NULL || j->pre == NULL) { /* each person is then built and matched in turn */
        free(j->reqs);
        free(j->pre);
        j->reqs = NULL;
        j->pre = NULL;
        return;
    }
    for (size_t i = 0; i < n; i++)
        j->reqs[i] = person_request(j->m, i);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nt = cores > 1 ? (size_t)cores : 1;
    nt = nt > PREMATCH_THREADS ? PREMATCH_THREADS : nt;
    nt = nt > n / PREMATCH_MIN ? (n / PREMATCH_MIN > 0 ? n / PREMATCH_MIN : 1) : nt;
    pthread_t th[PREMATCH_THREADS];
    size_t started = 0;
    atomic_init(&j->next, 0);
    for (size_t t = 1; t < nt; t++)
        if (pthread_create(&th[started], NULL, prematch_worker, j) == 0)
            started++;
    prematch_worker(j);
    for (size_t t = 0; t < started; t++)
        pthread_join(th[t], NULL);
}

static void prematch_free(struct man_job *j)
{
    for (size_t i = 0; j->reqs != NULL && i < j->m->npersons; i++)
        json_decref(j->reqs[i]);
    for (size_t i = 0; j->pre != NULL && i < j->m->npersons; i++)
        dep_matches_free(&j->pre[i]);
    free(j->reqs);
    free(j->pre);
}

static int screen_person(struct man_job *j, size_t i)
{
    json_t *line = manifest_person_json(j->m, i), *ans = NULL;
    json_t *req = j->reqs != NULL ? json_incref(j->reqs[i]) : person_request(j->m, i);
    struct buf why;
    if (line == NULL) {
        json_decref(req);
        return ERR_NOMEM;
    }
    buf_init(&why, 512);
    int r = req ? screening_run(j->s, j->who, req, j->checkpoint, true,
                                j->pre != NULL ? &j->pre[i] : NULL, &ans, &why)
                : ERR_INVALID;
    if (r == 0) {
        static const char *const keep[] = {"recommendation", "score", "reasons", "matches",
                                           "ruleset_version", "protection"};
        json_object_set(line, "screening_id", json_object_get(ans, "id"));
        for (size_t k = 0; k < sizeof keep / sizeof keep[0]; k++) {
            json_t *v = json_object_get(ans, keep[k]);
            if (v != NULL)
                json_object_set(line, keep[k], v);
        }
        count_rec(j, json_string_value(json_object_get(ans, "recommendation")));
    } else if (r == ERR_INVALID || r == ERR_FORBIDDEN) {
        json_object_set_new(line, "screening_error",
                            json_string(why.len ? buf_cstr(&why) : "not enough data to screen"));
        count_rec(j, NULL);
        r = 0;
    }
    json_decref(ans);
    json_decref(req);
    buf_free(&why);
    if (r == 0)
        r = json_array_append_new(j->persons, line) == 0 ? 0 : ERR_NOMEM;
    else
        json_decref(line);
    return r;
}

static int screen_all(struct store *st, void *ctx)
{
    struct man_job *j = ctx;
    (void)st;
    json_array_clear(j->persons);
    memset(j->counts, 0, sizeof j->counts);
    int r = 0;
    for (size_t i = 0; i < j->m->npersons && r == 0; i++)
        r = screen_person(j, i);
    return r;
}

static const char *pick_checkpoint(struct svc *s, const struct actor *who,
                                   const struct paxlst_manifest *m, const char *given)
{
    if (given != NULL && *given)
        return given;
    if (who->role == ROLE_CHECKPOINT_OFFICER || who->role == ROLE_SUPERVISOR)
        return who->office;
    struct store_post p;
    if (m->nflights > 0 && store_post_get(s->st, m->flights[0].departure_port, &p) == 0)
        return m->flights[0].departure_port;
    return NULL;
}

int manifests_screen(struct svc *s, const struct actor *who, const char *data, size_t len,
                     const char *checkpoint, json_t **out, struct buf *why)
{
    struct paxlst_manifest *m = NULL;
    struct paxlst_options opt = {.today = time_now_ms() / 86400000};
    *out = NULL;
    int r = manifest_parse(data, len, &opt, &m, why);
    if (r < 0)
        return r == ERR_NOMEM ? r : ERR_INVALID;
    struct man_job j = {.s = s, .who = who, .m = m, .today = opt.today, .persons = json_array()};
    j.checkpoint = pick_checkpoint(s, who, m, checkpoint);
    if (j.checkpoint == NULL) {
        buf_puts(why, "checkpoint: the manifest's departure airport is not a known checkpoint; "
                      "name one (--checkpoint)");
        r = ERR_INVALID;
    }
    if (r == 0) {
        prematch_all(&j);
        r = svc_write(s, screen_all, &j);
    }
    if (r == 0) {
        json_t *sum = manifest_summary_json(m);
        json_object_set_new(sum, "checkpoint", json_string(j.checkpoint));
        json_object_set_new(sum, "recommendations",
                            json_pack("{sI sI sI sI sI}", "clear", (json_int_t)j.counts[0],
                                      "secondary", (json_int_t)j.counts[1], "refuse",
                                      (json_int_t)j.counts[2], "protect",
                                      (json_int_t)j.counts[3], "not_screened",
                                      (json_int_t)j.counts[4]));
        *out = json_pack("{sO so}", "persons", j.persons, "summary", sum);
    }
    json_decref(j.persons);
    prematch_free(&j);
    paxlst_free(m);
    return r;
}
