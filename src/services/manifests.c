/* manifests: parse, match every person against the watchlists on every
 * core, then screen every person in one write transaction. */
#include "services/manifests.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/countries.h"
#include "domain/manifest_json.h"
#include "domain/paxlst.h"
#include "services/refdata.h"
#include "services/screening.h"
#include "services/screening_int.h"
#include "services/svc.h"
#include "services/watchlist.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/limits.h"
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

#define MANIFEST_THREADS 8 /* most threads screening one manifest */
#define MANIFEST_MIN 16    /* fewer persons per thread are screened on one */

/* A manifest is screened in five steps, so that the write transaction
 * holds only the writes: its persons' requests are built and matched on
 * every core; what the persons ahead of each in the manifest add to its
 * group is counted; each is screened (history, group, rules, its answer
 * line) on every core; all are recorded in one transaction, and while the
 * committer writes them, their lines are written out as text on every
 * core; once the rows are durable, each line gets its screening's id. */
struct man_job {
    struct svc *s;
    const struct actor *who;
    const struct paxlst_manifest *m;
    const char *checkpoint;
    int64_t today;
    json_t **reqs;              /* per person: its departure request (match_one), or NULL */
    struct dep_matches *pre;    /* per person: its matches and group keys */
    struct dep_job **jobs;      /* per person: its screening, ready to record, or NULL */
    int *rc;                    /* per person: why it has no screening */
    char **why;                 /* per person: the words for rc, or NULL */
    json_t **lines;             /* per person: its answer line, built beside its screening */
    char **texts;               /* per person: its line as JSON text (dump_one), or NULL */
    size_t *tlen;
    int64_t *ids;               /* per person: its screening's id once recorded, or 0 */
    atomic_size_t next;         /* the next person for a worker */
    void (*step)(struct man_job *j, size_t i); /* what the workers do to each person */
    struct store_post post;     /* the checkpoint, when post_ok */
    bool post_ok;
    size_t counts[5]; /* clear, secondary, refuse, protect, not screened */
    /* the write's end, told by the committer (written) */
    pthread_mutex_t wmu;
    pthread_cond_t wcv;
    bool written;
    int wresult;
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

static void match_one(struct man_job *j, size_t i);

static void *worker(void *arg)
{
    struct man_job *j = arg;
    watchlist_sync_skip(j->step == match_one); /* the manifest synced once */
    for (size_t i; (i = atomic_fetch_add(&j->next, 1)) < j->m->npersons;)
        j->step(j, i);
    watchlist_sync_skip(false);
    return NULL;
}

/* Threads that live as long as the process and screen the persons of one
 * manifest at a time: each keeps its own store connection, with its
 * prepared statements and page cache warm, where threads made for each
 * manifest opened a cold connection every time. A manifest that finds the
 * pool busy (another manifest at the same moment) makes threads of its
 * own, as before. */
static struct {
    pthread_mutex_t use; /* held by the manifest using the pool */
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    size_t nthreads;     /* started (never stopped) */
    uint64_t gen;        /* bumped for each job */
    struct man_job *job;
    size_t want, taken;  /* pool threads the job wants, and those that took it */
    size_t running;      /* of those, still working */
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
          PTHREAD_COND_INITIALIZER, 0, 0, NULL, 0, 0, 0};

static void *pool_thread(void *arg)
{
    (void)arg;
    uint64_t seen = 0;
    pthread_mutex_lock(&pool.mu);
    for (;;) {
        while (pool.gen == seen)
            pthread_cond_wait(&pool.work, &pool.mu);
        seen = pool.gen;
        if (pool.taken >= pool.want)
            continue;
        pool.taken++;
        struct man_job *j = pool.job;
        pthread_mutex_unlock(&pool.mu);
        worker(j);
        pthread_mutex_lock(&pool.mu);
        if (--pool.running == 0)
            pthread_cond_signal(&pool.done);
    }
    return NULL;
}

/* Runs the job on extra pool threads besides the caller; false when the
 * pool is busy. */
static bool on_pool(struct man_job *j, size_t extra)
{
    if (pthread_mutex_trylock(&pool.use) != 0)
        return false;
    pthread_mutex_lock(&pool.mu);
    while (pool.nthreads < extra) {
        pthread_t t;
        pthread_attr_t at;
        pthread_attr_init(&at);
        pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
        bool ok = pthread_create(&t, &at, pool_thread, NULL) == 0;
        pthread_attr_destroy(&at);
        if (!ok)
            break;
        pool.nthreads++;
    }
    pool.job = j;
    pool.want = pool.running = extra < pool.nthreads ? extra : pool.nthreads;
    pool.taken = 0;
    pool.gen++;
    pthread_cond_broadcast(&pool.work);
    pthread_mutex_unlock(&pool.mu);
    worker(j);
    pthread_mutex_lock(&pool.mu);
    while (pool.running > 0)
        pthread_cond_wait(&pool.done, &pool.mu);
    pool.job = NULL;
    pthread_mutex_unlock(&pool.mu);
    pthread_mutex_unlock(&pool.use);
    return true;
}

/* Runs step on every person, on as many threads as there are cores. */
static void on_every_core(struct man_job *j, void (*step)(struct man_job *j, size_t i))
{
    size_t n = j->m->npersons;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nt = cores > 1 ? (size_t)cores : 1;
    nt = nt > MANIFEST_THREADS ? MANIFEST_THREADS : nt;
    nt = nt > n / MANIFEST_MIN ? (n / MANIFEST_MIN > 0 ? n / MANIFEST_MIN : 1) : nt;
    j->step = step;
    atomic_init(&j->next, 0);
    if (nt > 1 && on_pool(j, nt - 1))
        return;
    pthread_t th[MANIFEST_THREADS];
    size_t started = 0;
    for (size_t t = 1; t < nt; t++)
        if (pthread_create(&th[started], NULL, worker, j) == 0)
            started++;
    worker(j);
    for (size_t t = 0; t < started; t++)
        pthread_join(th[t], NULL);
}

static void match_one(struct man_job *j, size_t i)
{
    j->reqs[i] = person_request(j->m, i); /* built on the workers too */
    if (j->reqs[i] != NULL)
        screening_prematch(j->s, j->reqs[i], j->today, &j->pre[i]);
}

/* What the persons ahead of each in the manifest add to its group: those
 * sharing its booking, or its sponsor's phone or company (the checkpoint
 * is the manifest's), and whether any of them matched. */
static void count_ahead(struct man_job *j)
{
    for (size_t i = 0; i < j->m->npersons; i++) {
        struct dep_matches *p = &j->pre[i];
        if (!p->parsed)
            continue;
        p->has_ahead = true;
        for (size_t k = 0; k < i; k++) {
            const struct dep_matches *a = &j->pre[k];
            if (!a->parsed)
                continue;
            bool b = p->booking_ref[0] && strcmp(a->booking_ref, p->booking_ref) == 0;
            bool sp = (p->sponsor_phone[0] && strcmp(a->sponsor_phone, p->sponsor_phone) == 0) ||
                      (p->sponsor_company[0] &&
                       strcmp(a->sponsor_company, p->sponsor_company) == 0);
            p->ahead.same_booking += b;
            p->ahead.same_sponsor += sp;
            p->ahead.others += b || sp;
            if ((b || sp) && json_array_size(a->matches) > 0)
                p->ahead.any_matched = true;
        }
    }
}

static json_t *person_line(struct man_job *j, size_t i);

static void screen_one(struct man_job *j, size_t i)
{
    j->pre[i].post = j->post_ok ? &j->post : NULL;
    struct buf why;
    buf_init(&why, 1024);
    j->rc[i] = j->reqs[i] == NULL
                   ? ERR_INVALID
                   : screening_prepare(j->s, j->who, j->reqs[i], j->checkpoint, &j->pre[i],
                                       &j->jobs[i], &why);
    text_one_line(&why); /* several bad fields: one line */
    if (j->rc[i] < 0 && why.len > 0)
        j->why[i] = buf_steal(&why, NULL);
    buf_free(&why);
    j->lines[i] = person_line(j, i);
}

static int alloc_job(struct man_job *j)
{
    size_t n = j->m->npersons ? j->m->npersons : 1;
    j->reqs = calloc(n, sizeof *j->reqs);
    j->pre = calloc(n, sizeof *j->pre);
    j->jobs = calloc(n, sizeof *j->jobs);
    j->rc = calloc(n, sizeof *j->rc);
    j->why = calloc(n, sizeof *j->why);
    j->lines = calloc(n, sizeof *j->lines);
    j->texts = calloc(n, sizeof *j->texts);
    j->tlen = calloc(n, sizeof *j->tlen);
    j->ids = calloc(n, sizeof *j->ids);
    if (j->reqs == NULL || j->pre == NULL || j->jobs == NULL || j->rc == NULL || j->why == NULL ||
        j->lines == NULL || j->texts == NULL || j->tlen == NULL || j->ids == NULL)
        return ERR_NOMEM;
    return 0;
}

static void free_job(struct man_job *j)
{
    for (size_t i = 0; i < j->m->npersons; i++) {
        if (j->reqs != NULL)
            json_decref(j->reqs[i]);
        if (j->pre != NULL)
            dep_matches_free(&j->pre[i]);
        if (j->jobs != NULL && j->jobs[i] != NULL)
            screening_done(j->jobs[i], NULL);
        if (j->why != NULL)
            free(j->why[i]);
        if (j->lines != NULL)
            json_decref(j->lines[i]);
        if (j->texts != NULL)
            free(j->texts[i]);
    }
    free(j->reqs);
    free(j->pre);
    free(j->jobs);
    free(j->rc);
    free(j->why);
    free(j->lines);
    free(j->texts);
    free(j->tlen);
    free(j->ids);
}

/* The write transaction: every screening's row and audit record. */
static int record_all(struct store *st, void *ctx)
{
    struct man_job *j = ctx;
    int r = 0;
    for (size_t i = 0; i < j->m->npersons && r == 0; i++)
        if (j->jobs[i] != NULL)
            r = screening_record(st, j->jobs[i]);
    return r;
}

/* Person i's line of the answer: its manifest data with its screening, or
 * why it has none; NULL when memory ran out. Built by screen_one on the
 * workers, each person's from objects of its own. */
static json_t *person_line(struct man_job *j, size_t i)
{
    static const char *const keep[] = {"recommendation", "score", "reasons", "matches",
                                       "ruleset_version", "protection"};
    json_t *line = manifest_person_json(j->m, i);
    if (line == NULL)
        return NULL;
    if (j->jobs[i] == NULL) {
        json_object_set_new(line, "screening_error",
                            json_string(j->why[i] ? j->why[i] : "not enough data to screen"));
        return line;
    }
    json_t *ans = screening_answer(j->jobs[i]);
    for (size_t k = 0; k < sizeof keep / sizeof keep[0]; k++) {
        json_t *v = json_object_get(ans, keep[k]);
        if (v != NULL && json_object_set(line, keep[k], v) != 0) {
            json_decref(line);
            return NULL;
        }
    }
    return line;
}

/* Before the commit: every person has its line, with its screening or why
 * not (built first, so that nothing but memory can fail once the rows are
 * durable: a client told of an error would send the manifest again), and
 * the recommendations are counted. */
static int count_all(struct man_job *j)
{
    for (size_t i = 0; i < j->m->npersons; i++) {
        if (j->lines[i] == NULL)
            return ERR_NOMEM;
        count_rec(j, json_string_value(json_object_get(j->lines[i], "recommendation")));
    }
    return 0;
}

/* Person i's line as JSON text, the tree freed (on the workers, while the
 * committer writes the rows: the rows are text already, and each line
 * touches only objects of its own or shared read-only with its screening's
 * answer). When memory runs out the tree is kept, to be tried again. */
static void dump_one(struct man_job *j, size_t i)
{
    struct buf b;
    buf_init(&b, LIMIT_RESPONSE);
    if (j->lines[i] != NULL && json_dump_buf(j->lines[i], &b) == 0 && b.len > 0) {
        j->texts[i] = buf_steal(&b, &j->tlen[i]);
        json_decref(j->lines[i]);
        j->lines[i] = NULL;
    }
    buf_free(&b);
}

/* The committer's callback: the rows are durable, or the write failed. */
static void written(void *arg, int result)
{
    struct man_job *j = arg;
    pthread_mutex_lock(&j->wmu);
    j->wresult = result;
    j->written = true;
    pthread_cond_broadcast(&j->wcv);
    pthread_mutex_unlock(&j->wmu);
}

/* Records every screening, and meanwhile writes the lines out. */
static int record_and_dump(struct man_job *j)
{
    int r = svc_write_async(j->s, record_all, j, written, j);
    if (r < 0)
        return r;
    on_every_core(j, dump_one);
    pthread_mutex_lock(&j->wmu);
    while (!j->written)
        pthread_cond_wait(&j->wcv, &j->wmu);
    r = j->wresult;
    pthread_mutex_unlock(&j->wmu);
    return r;
}

/* After the commit: person i's screening's id is kept for its line, and
 * the screening is freed (on the workers). */
static void id_one(struct man_job *j, size_t i)
{
    if (j->texts[i] == NULL)
        dump_one(j, i); /* memory ran out during the write: once more */
    if (j->jobs[i] == NULL)
        return;
    j->ids[i] = screening_id(j->jobs[i]);
    screening_done(j->jobs[i], NULL);
    j->jobs[i] = NULL;
}

/* Person i's line, its screening's id last (as if set on the object). */
static int put_line(const struct man_job *j, size_t i, struct buf *out)
{
    if (j->texts[i] == NULL)
        return ERR_NOMEM;
    if (j->ids[i] <= 0)
        return buf_append(out, j->texts[i], j->tlen[i]);
    int r = buf_append(out, j->texts[i], j->tlen[i] - 1); /* without its '}' */
    return r < 0 ? r : buf_printf(out, ",\"screening_id\":%" PRId64 "}", j->ids[i]);
}

/* The answer: {"persons": [...], "summary": {...}} on one line, or (lines)
 * each person's line and then {"summary": {...}}, a line each. */
static int answer_text(const struct man_job *j, json_t *summary, enum manifest_text how,
                       struct buf *out)
{
    bool lines = how == MANIFEST_LINES;
    size_t total = 64; /* the frame; each line, its id and a separator */
    for (size_t i = 0; i < j->m->npersons; i++)
        total += j->tlen[i] + 40;
    int r = buf_room(out, total); /* at once: a megabyte grown by doubling was copied twice */
    if (r == 0)
        r = buf_puts(out, lines ? "" : "{\"persons\":[");
    for (size_t i = 0; i < j->m->npersons && r == 0; i++) {
        if (i > 0 && !lines)
            r = buf_putc(out, ',');
        if (r == 0)
            r = put_line(j, i, out);
        if (r == 0 && lines)
            r = buf_putc(out, '\n');
    }
    if (r == 0)
        r = buf_puts(out, lines ? "{\"summary\":" : "],\"summary\":");
    if (r == 0)
        r = json_dump_buf(summary, out);
    if (r == 0)
        r = buf_puts(out, "}\n");
    return r;
}

/* A person that could not be screened for its own data is reported; any
 * other error (memory, the database) fails the manifest. */
static int first_hard_error(const struct man_job *j)
{
    for (size_t i = 0; i < j->m->npersons; i++)
        if (j->rc[i] < 0 && j->rc[i] != ERR_INVALID && j->rc[i] != ERR_FORBIDDEN)
            return j->rc[i];
    return 0;
}

/* Why a manifest has no checkpoint to be screened at: its flight's
 * departure port is no checkpoint, or (a supervisor of an office) not one
 * of theirs. */
static int no_checkpoint(struct man_job *j, const struct post_scope *sc, const char *port,
                         struct buf *why)
{
    if (!sc->office) {
        buf_puts(why, "checkpoint: the manifest's departure airport is not a known checkpoint; "
                      "name one (--checkpoint)");
        return ERR_INVALID;
    }
    buf_printf(why, "checkpoint: the flight departs from '%s', not from a checkpoint of %s; "
                    "name one of yours ",
               port, sc->post);
    int r = refdata_office_checkpoints(j->s->st, sc->post, why);
    return r < 0 ? r : ERR_INVALID;
}

/* The checkpoint a whole manifest is screened at, looked up once: the one
 * named; else an officer's (or a checkpoint supervisor's) own; else the
 * flight's departure port when it is a known checkpoint (for the supervisor
 * of an office, one of the office's). One that is unknown, or not the
 * caller's, is the request's error, not each person's. */
static int pick_checkpoint(struct man_job *j, const char *given, struct buf *why)
{
    struct post_scope sc;
    const char *port = j->m->nflights > 0 ? j->m->flights[0].departure_port : "";
    int r = refdata_scope(j->s->st, j->who, &sc);
    if (r < 0)
        return r;
    bool named = given != NULL && *given;
    const char *cp = named ? given : (sc.bound && !sc.office) ? sc.post : port;
    named = named || (sc.bound && !sc.office);
    r = store_post_get(j->s->st, cp, &j->post);
    bool usable = r == 0 && strcmp(j->post.kind, "office") != 0 &&
                  refdata_scope_has(&sc, &j->post);
    if (!usable && !named)
        return r < 0 && r != ERR_NOTFOUND ? r : no_checkpoint(j, &sc, port, why);
    if (!usable)
        return refdata_why_not_here(j->s->st, &sc, cp, r, &j->post, why);
    j->checkpoint = j->post.code;
    j->post_ok = true;
    return 0;
}

int manifests_screen(struct svc *s, const struct actor *who, const char *data, size_t len,
                     const char *checkpoint, enum manifest_text how, struct buf *out,
                     struct buf *why)
{
    return manifests_screen_as(s, who, data, len, MANIFEST_ANY, checkpoint, how, out, why);
}

int manifests_screen_as(struct svc *s, const struct actor *who, const char *data, size_t len,
                        enum manifest_form form, const char *checkpoint, enum manifest_text how,
                        struct buf *out, struct buf *why)
{
    struct paxlst_manifest *m = NULL;
    struct paxlst_options opt = {.today = time_now_ms() / 86400000};
    int r = form == MANIFEST_JSON     ? manifest_json_parse(data, len, &opt, &m, why)
            : form == MANIFEST_PAXLST ? paxlst_parse(data, len, &opt, &m, why)
                                      : manifest_parse(data, len, &opt, &m, why);
    if (r < 0)
        return r == ERR_NOMEM ? r : ERR_INVALID;
    struct man_job j = {.s = s, .who = who, .m = m, .today = opt.today,
                        .wmu = PTHREAD_MUTEX_INITIALIZER, .wcv = PTHREAD_COND_INITIALIZER};
    r = pick_checkpoint(&j, checkpoint, why);
    if (r == 0)
        r = alloc_job(&j);
    if (r == 0 && (r = watchlist_sync(s->wl)) < 0)
        buf_puts(why, "watchlist: the store's change log cannot be read");
    if (r == 0) {
        on_every_core(&j, match_one);
        count_ahead(&j);
        on_every_core(&j, screen_one);
        r = first_hard_error(&j);
    }
    if (r == 0)
        r = count_all(&j);
    if (r == 0)
        r = record_and_dump(&j);
    if (r == 0)
        on_every_core(&j, id_one);
    if (r == 0) {
        json_t *sum = manifest_summary_json(m);
        json_object_set_new(sum, "checkpoint", json_string(j.checkpoint));
        json_object_set_new(sum, "recommendations",
                            json_pack("{sI sI sI sI sI}", "clear", (json_int_t)j.counts[0],
                                      "secondary", (json_int_t)j.counts[1], "refuse",
                                      (json_int_t)j.counts[2], "protect",
                                      (json_int_t)j.counts[3], "not_screened",
                                      (json_int_t)j.counts[4]));
        r = sum != NULL ? answer_text(&j, sum, how, out) : ERR_NOMEM;
        if (r == ERR_LIMIT) { /* the rows are recorded: not the request's fault */
            buf_puts(why, "the answer is larger than an answer may be; the screenings were "
                          "recorded");
            r = ERR_INTERNAL;
        }
        json_decref(sum);
    }
    free_job(&j);
    paxlst_free(m);
    return r;
}
