/* demo_year: the synthetic demo year. A seeded splitmix64 generator draws
 * people, trips and applications day by day in time order, so that each
 * screening sees the history the earlier days made; planted patterns are
 * scheduled up front. Every screening and application is evaluated with
 * the real active ruleset over facts written as JSON, and stored with the
 * same columns the services write. */
#include "services/demo_year.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/rules.h"
#include "services/audit.h"
#include "services/passports.h"
#include "services/rulesets.h"
#include "services/svc.h"
#include "services/watchlist.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/text.h"
#include "util/timeutil.h"

#define DAY_MS 86400000LL
#define DAYS 365
#define FULL_SCREENINGS 208000
#define FULL_APPLICATIONS 51500
#define POOL 150000
#define N_RECRUITERS 120
#define N_GROUPS 170
#define N_TRANSIT 60
#define N_VICTIMS 50
#define N_ESCORTS 20
#define BATCH 20000 /* rows per transaction */

/* ---- random numbers (splitmix64) ---- */

struct rng {
    uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint32_t below(struct rng *r, uint32_t n)
{
    return (uint32_t)(((rnd(r) >> 32) * (uint64_t)n) >> 32);
}

static double unit(struct rng *r)
{
    return (double)(rnd(r) >> 11) * (1.0 / 9007199254740992.0);
}

static bool chance(struct rng *r, double p)
{
    return unit(r) < p;
}

static int between(struct rng *r, int lo, int hi)
{
    return lo + (int)below(r, (uint32_t)(hi - lo + 1));
}

struct wv {
    const char *v;
    int w;
};

static const char *pick(struct rng *r, const struct wv *t, size_t n)
{
    int total = 0;
    for (size_t i = 0; i < n; i++)
        total += t[i].w;
    int x = (int)below(r, (uint32_t)total);
    for (size_t i = 0; i < n; i++) {
        if (x < t[i].w)
            return t[i].v;
        x -= t[i].w;
    }
    return t[n - 1].v;
}

#define PICK(r, t) pick((r), (t), sizeof(t) / sizeof((t)[0]))

/* ---- reference tables ---- */

static const struct wv provinces[] = {
    {"32", 180}, {"35", 170}, {"33", 150}, {"52", 90}, {"53", 55}, {"31", 70}, {"36", 50},
    {"12", 60},  {"18", 45},  {"51", 30},  {"73", 30}, {"21", 20}, {"61", 20}, {"34", 20},
    {"16", 15},  {"14", 15},  {"13", 15},  {"64", 8},  {"71", 7},  {"81", 5},  {"91", 5},
};
/* Where recruiters find their victims [TIP; DGI releases]. */
static const struct wv target_provinces[] = {
    {"52", 30}, {"53", 25}, {"32", 20}, {"35", 15}, {"12", 10}, {"18", 8}, {"61", 7}, {"33", 8},
};
static const struct wv checkpoints[] = {
    {"CGK", 300}, {"DPS", 110}, {"SUB", 75}, {"KNO", 60}, {"YIA", 30}, {"UPG", 25},
    {"BTH", 25},  {"LOP", 15},  {"SRG", 15}, {"KJT", 8},  {"PLM", 8},  {"MDC", 8},
    {"BPN", 8},   {"PKU", 10},  {"PDG", 8},  {"SEA-BATAM-CENTRE", 60}, {"SEA-SEKUPANG", 18},
    {"SEA-TANJUNG-BALAI-KARIMUN", 20}, {"SEA-DUMAI", 15}, {"SEA-TUNON-TAKA", 18},
    {"SEA-BENOA", 6}, {"SEA-BELAWAN", 6}, {"PLBN-ENTIKONG", 22}, {"PLBN-MOTAAIN", 10},
    {"PLBN-SKOUW", 4},
};
static const struct wv tourism[] = {
    {"SGP", 200}, {"MYS", 180}, {"THA", 90}, {"JPN", 80}, {"KOR", 60}, {"AUS", 50},
    {"CHN", 45},  {"HKG", 40},  {"VNM", 35}, {"TUR", 25}, {"NLD", 15}, {"ARE", 15},
    {"KHM", 6},   {"PHL", 10},  {"TWN", 15}, {"USA", 10}, {"FRA", 8},  {"IND", 8},
};
static const struct wv work[] = {
    {"MYS", 300}, {"TWN", 250}, {"HKG", 200}, {"KOR", 90}, {"JPN", 80}, {"SAU", 40},
    {"SGP", 30},  {"ARE", 10},
};
static const struct wv study[] = {{"AUS", 30}, {"JPN", 20}, {"MYS", 25}, {"NLD", 10},
                                  {"GBR", 10}, {"USA", 10}, {"CHN", 10}, {"KOR", 8}};
static const struct wv family[] = {{"MYS", 30}, {"SGP", 20}, {"SAU", 10}, {"AUS", 10},
                                   {"NLD", 8},  {"HKG", 8},  {"TWN", 8}};
static const struct wv business[] = {{"SGP", 30}, {"CHN", 25}, {"MYS", 20}, {"JPN", 10},
                                     {"ARE", 8},  {"KOR", 8},  {"HKG", 8}};
static const struct wv purposes[] = {
    {"tourism", 560}, {"pilgrimage", 140}, {"family", 90}, {"business", 100}, {"study", 40},
    {"medical", 10},  {"other", 20},       {"work", 18},
};
static const struct wv scam_hubs[] = {{"KHM", 60}, {"MMR", 25}, {"LAO", 15}};
static const struct wv gateways[] = {{"THA", 40}, {"VNM", 25}, {"MYS", 20}, {"KHM", 15}};
static const struct wv group_cps[] = {{"CGK", 45}, {"KNO", 15}, {"SUB", 12}, {"DPS", 8},
                                      {"YIA", 6},  {"SEA-BATAM-CENTRE", 10}, {"LOP", 4}};
static const struct wv transit_cps[] = {{"PLBN-ENTIKONG", 35}, {"SEA-TUNON-TAKA", 30},
                                        {"SEA-DUMAI", 15}, {"SEA-BATAM-CENTRE", 20}};
static const struct wv carriers_air[] = {{"GA", 30}, {"QZ", 20}, {"JT", 15}, {"SQ", 10},
                                         {"MH", 8},  {"AK", 10}, {"VJ", 5},  {"TR", 5}};
static const struct wv carriers_sea[] = {{"Batam Fast", 40}, {"Majestic", 30},
                                         {"Sindo Ferry", 20}, {"Pelni", 10}};
static const struct wv icpt_reasons[] = {{"non_procedural_worker", 50}, {"suspected_tppo", 30},
                                         {"inconsistent_purpose", 12}, {"document_fraud", 8}};

static const char *const given_m[] = {
    "AGUS", "BUDI", "DEDI", "EKO", "FAJAR", "HADI", "IRFAN", "JOKO", "RIZKY", "SLAMET",
    "WAHYU", "YUSUF", "ANDI", "BAGUS", "DIMAS", "GILANG", "HERU", "ILHAM", "MUHAMMAD", "ARIF"};
static const char *const given_f[] = {
    "SITI", "DEWI", "SRI", "RINA", "NURUL", "AYU", "FITRI", "INDAH", "LESTARI", "MAYA",
    "PUTRI", "RATNA", "SARI", "WULAN", "YULI", "ANISA", "DIAN", "EKA", "LINA", "NOVI"};
static const char *const surnames[] = {
    "SANTOSO", "WIJAYA", "SAPUTRA", "HIDAYAT", "PRATAMA", "KURNIAWAN", "SETIAWAN", "NUGROHO",
    "RAHMAN", "SUSANTO", "HARAHAP", "NASUTION", "SIREGAR", "LUBIS", "SIMANJUNTAK", "PANJAITAN",
    "MANURUNG", "TANJUNG", "HASIBUAN", "WIBOWO", "PURNOMO", "SULISTYO", "HARTONO", "GUNAWAN",
    "LAKSONO", "BATUBARA", "TAMBUNAN", "RANGKUTI", "DAULAY", "MARPAUNG", "NDRURU", "BENU",
    "LAKA", "TALLO", "NENO", "AMTIRAN", "ISMAIL", "MUSTOFA", "FIRMANSYAH", "RAMADHAN"};
#define N_GM (sizeof given_m / sizeof given_m[0])
#define N_SUR (sizeof surnames / sizeof surnames[0])

/* ---- people ---- */

enum pkind { P_NORMAL = 0, P_PMI, P_VICTIM, P_RECRUITER };

struct person {
    char nik[17];
    char province[3];
    char sex;
    uint8_t kind;
    uint8_t given, surname, passports;
    int16_t wl;         /* index into the demo watchlist, or -1 */
    int32_t birth;      /* days since the epoch */
    int32_t issued;     /* day of the newest passport, -1 for none */
    uint16_t departures, interceptions, refusals, postponements;
};

struct wl_demo {
    char source_id[16], name[96], birth[16], category[24], action[24];
    char entry_id[24]; /* the store id, once imported */
};

struct recruiter {
    char name[96], company[96], phone[16];
    int wl; /* -1 when not listed */
};

enum pattern_kind { PAT_GROUP = 0, PAT_TRANSIT, PAT_VICTIM, PAT_ESCORT };

struct pattern {
    enum pattern_kind kind;
    int dep_day, app_day; /* day offsets */
    int recruiter, escort; /* indices or -1 */
    int first, size;       /* persons [first, first + size) */
    char cp[32], office[32], dest[4], final_dest[4], transit[4], booking[12], purpose[12];
    int screened, applied, matched;
};

static const char *const shared_names[] = {
    "sponsor.name", "sponsor.company", "sponsor.phone", "sponsor.watchlist_score",
    "sponsor.watchlist_category", "sponsor.watchlist_entry_id", "sponsor.watchlist_name",
    "watchlist.matches",
    "watchlist.score", "watchlist.category", "watchlist.action", "watchlist.entry_id",
    "watchlist.list", "watchlist.name", "watchlist.categories", "watchlist.actions",
    "history.window_days", "history.departures", "history.postponements",
    "history.interceptions", "history.refusals", "history.past_victim",
    "history.open_consular_case", "group.others", "group.same_booking", "group.same_sponsor",
    "group.any_matched", "indicators.sponsor_name", "indicators.sponsor_company",
    "indicators.sponsor_phone"};
enum {
    S_SP_NAME, S_SP_COMPANY, S_SP_PHONE, S_SP_WLSCORE, S_SP_WLCAT, S_SP_WLID, S_SP_WLNAME,
    S_WL_MATCHES,
    S_WL_SCORE, S_WL_CAT, S_WL_ACT, S_WL_ID, S_WL_LIST, S_WL_NAME, S_WL_CATS, S_WL_ACTS,
    S_H_WINDOW, S_H_DEP, S_H_POST, S_H_ICPT, S_H_REF, S_H_VICTIM, S_H_CONSULAR, S_G_OTHERS,
    S_G_BOOKING, S_G_SPONSOR, S_G_MATCHED, S_I_NAME, S_I_COMPANY, S_I_PHONE, S_N
};
static const char *const dep_names[] = {
    "traveller.age", "traveller.nationality", "traveller.document_age_days",
    "traveller.first_passport", "traveller.nik_province", "traveller.pmi_registered",
    "trip.destination", "trip.final_destination", "trip.transit", "trip.purpose",
    "trip.return_ticket", "trip.carrier", "trip.checkpoint_kind"};
enum {
    D_AGE, D_NAT, D_DOCAGE, D_FIRST, D_PROV, D_PMI, D_DEST, D_FINAL, D_TRANSIT, D_PURPOSE,
    D_RETURN, D_CARRIER, D_CPKIND, D_N
};
static const char *const app_names[] = {"applicant.age", "applicant.nik_province",
                                        "applicant.pmi_registered", "applicant.previous_passports",
                                        "applicant.purpose", "applicant.destination"};
enum { A_AGE, A_PROV, A_PMI, A_PREV, A_PURPOSE, A_DEST, A_N };

struct fx {
    struct rules_facts *f;
    int shared[S_N], own[D_N];
    int err;
};

struct gen {
    struct svc *s;
    const struct actor *who;
    struct rng r;
    int64_t day0, now_ms;
    double scale;
    struct person *people;
    size_t npeople, nnormal;
    struct wl_demo wl[256];
    size_t nwl;
    struct recruiter rec[N_RECRUITERS];
    struct pattern *pat;
    size_t npat;
    struct store_post posts[128];
    size_t nposts;
    struct ruleset_ref *dep_rs, *app_rs;
    struct fx dep_fx, app_fx;
    struct rules_result *dep_res, *app_res;
    struct buf req, ans, facts, tmp;
    int64_t in_txn;
    struct demo_year_counts *n;
    const struct demo_year_opts *o;
};

static void say(struct gen *g, const char *what)
{
    if (g->o->progress != NULL)
        g->o->progress(g->o->progress_ctx, what);
}

static void make_person(struct gen *g, struct person *p, const char *province, int age_lo,
                        int age_hi, char sex)
{
    struct rng *r = &g->r;
    memset(p, 0, sizeof *p);
    p->sex = sex ? sex : chance(r, 0.52) ? 'F' : 'M';
    text_copy(p->province, sizeof p->province, province ? province : PICK(r, provinces));
    p->given = (uint8_t)below(r, N_GM);
    p->surname = (uint8_t)below(r, N_SUR);
    p->birth = (int32_t)(g->day0 + DAYS / 2 - between(r, age_lo, age_hi) * 365 - between(r, 0, 364));
    p->issued = -1;
    p->wl = -1;
    int y, m, d;
    time_civil_from_days(p->birth, &y, &m, &d);
    char nik[64];
    snprintf(nik, sizeof nik, "%s%02d%02d%02d%02d%02d%04u", p->province, between(r, 1, 9),
             between(r, 1, 12), d + (p->sex == 'F' ? 40 : 0), m, y % 100,
             (unsigned)between(r, 1, 9999));
    text_copy(p->nik, sizeof p->nik, nik);
}

static void person_name(const struct person *p, char *out, size_t n)
{
    snprintf(out, n, "%s %s", p->sex == 'F' ? given_f[p->given] : given_m[p->given],
             surnames[p->surname]);
}

static const char *given_of(const struct person *p)
{
    return p->sex == 'F' ? given_f[p->given] : given_m[p->given];
}

static void birth_str(const struct person *p, char out[16])
{
    time_format_date(out, (int64_t)p->birth * DAY_MS);
}

static int64_t age_on(const struct person *p, int64_t day)
{
    int y, m, d;
    time_civil_from_days(p->birth, &y, &m, &d);
    return rules_age_years(y, m, d, day);
}

static const char *band(int64_t age)
{
    return age < 18 ? "0-17" : age < 25 ? "18-24" : age < 35 ? "25-34" : age < 45 ? "35-44"
                                                               : age < 60 ? "45-59" : "60+";
}

/* ---- JSON text helpers ---- */

static void jstr(struct buf *b, const char *s)
{
    buf_putc(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            buf_printf(b, "\\%c", c);
        else if (c < 0x20)
            buf_printf(b, "\\u%04x", c);
        else
            buf_putc(b, (char)c);
    }
    buf_putc(b, '"');
}

static void jkv(struct buf *b, const char *k, const char *v, bool comma)
{
    buf_printf(b, "%s\"%s\":", comma ? "," : "", k);
    jstr(b, v);
}

/* ---- the watchlist ---- */

static void add_wl(struct gen *g, const char *name, const char *birth, const char *cat,
                   const char *act)
{
    if (g->nwl == sizeof g->wl / sizeof g->wl[0])
        return;
    struct wl_demo *w = &g->wl[g->nwl];
    snprintf(w->source_id, sizeof w->source_id, "DEMO-%04zu", g->nwl + 1);
    text_copy(w->name, sizeof w->name, name);
    text_copy(w->birth, sizeof w->birth, birth);
    text_copy(w->category, sizeof w->category, cat);
    text_copy(w->action, sizeof w->action, act);
    g->nwl++;
}

static int find_ids(void *ctx, const struct store_wl_row *row)
{
    struct gen *g = ctx;
    for (size_t i = 0; i < g->nwl; i++) {
        if (strcmp(g->wl[i].source_id, row->source_id) == 0 && strcmp(row->list, "demo") == 0)
            snprintf(g->wl[i].entry_id, sizeof g->wl[i].entry_id, "%" PRId64, row->id);
    }
    return 0;
}

static int import_watchlist(struct gen *g, struct buf *why)
{
    struct buf b;
    buf_init(&b, 1u << 20);
    for (size_t i = 0; i < g->nwl; i++) {
        const struct wl_demo *w = &g->wl[i];
        buf_putc(&b, '{');
        jkv(&b, "id", w->source_id, false);
        jkv(&b, "kind", "person", true);
        jkv(&b, "name", w->name, true);
        if (w->birth[0])
            jkv(&b, "birth_date", w->birth, true);
        jkv(&b, "nationality", "IDN", true);
        jkv(&b, "category", w->category, true);
        jkv(&b, "action", w->action, true);
        jkv(&b, "notes", "synthetic demo entry", true);
        buf_puts(&b, "}\n");
    }
    struct watchlist_file f = {"demo-watchlist.jsonl", b.data ? b.data : "", b.len};
    struct watchlist_import_counts c;
    int r = g->s->wl ? 0 : watchlist_open(g->s->st, &g->s->wl, why);
    if (r == 0)
        r = watchlist_import(g->s, g->who, "jsonl", "demo", &f, 1, &c, why);
    buf_free(&b);
    if (r == 0)
        r = store_wl_scan(g->s->st, find_ids, g);
    g->n->watchlist = (int64_t)g->nwl;
    return r;
}

/* Listed people: recruiters (some), traffickers who escort groups, past
 * victims (protected), and others wanted for unrelated reasons. */
static void plan_watchlist(struct gen *g)
{
    struct rng *r = &g->r;
    for (int i = 0; i < N_RECRUITERS; i++) {
        struct recruiter *rc = &g->rec[i];
        struct person p;
        make_person(g, &p, "31", 30, 55, chance(r, 0.3) ? 'F' : 'M');
        person_name(&p, rc->name, sizeof rc->name);
        snprintf(rc->company, sizeof rc->company, "PT %s %s", surnames[below(r, N_SUR)],
                 chance(r, 0.5) ? "Karya Global" : "Mandiri Sejahtera");
        snprintf(rc->phone, sizeof rc->phone, "62812%08u", (unsigned)below(r, 100000000));
        rc->wl = -1;
        if (i % 2 == 0) {
            char bd[16];
            birth_str(&p, bd);
            rc->wl = (int)g->nwl;
            add_wl(g, rc->name, bd, "recruiter",
                   i % 4 == 0 ? "refuse_departure" : "secondary_inspection");
        }
    }
    for (size_t i = g->nnormal; i < g->npeople; i++) {
        struct person *p = &g->people[i];
        char name[96], bd[16];
        person_name(p, name, sizeof name);
        birth_str(p, bd);
        p->wl = (int16_t)g->nwl;
        if (p->kind == P_VICTIM)
            add_wl(g, name, bd, "protected_victim", "protect");
        else
            add_wl(g, name, bd, "trafficker", "refuse_departure");
    }
}

/* ---- facts shared by both kinds ---- */

struct side {
    const char *sponsor_name, *sponsor_company, *sponsor_phone;
    int sponsor_wl, person_wl;       /* watchlist indices or -1 */
    int64_t others, same_booking, same_sponsor;
    bool any_matched, pattern;
};

static void facts_shared(struct gen *g, const struct person *p, const struct side *sd,
                         struct buf *b)
{
    buf_puts(b, ",\"sponsor\":{");
    bool c = false;
    if (sd->sponsor_name) {
        jkv(b, "name", sd->sponsor_name, false);
        jkv(b, "company", sd->sponsor_company, true);
        jkv(b, "phone", sd->sponsor_phone, true);
        c = true;
    }
    if (sd->sponsor_wl >= 0 && g->wl[sd->sponsor_wl].entry_id[0]) {
        buf_printf(b, "%s\"watchlist_score\":92,", c ? "," : "");
        jkv(b, "watchlist_category", g->wl[sd->sponsor_wl].category, false);
        jkv(b, "watchlist_entry_id", g->wl[sd->sponsor_wl].entry_id, true);
        jkv(b, "watchlist_name", g->wl[sd->sponsor_wl].name, true);
    }
    buf_puts(b, "},\"watchlist\":{");
    const struct wl_demo *w = sd->person_wl >= 0 ? &g->wl[sd->person_wl] : NULL;
    if (w != NULL) {
        buf_puts(b, "\"matches\":1,\"score\":95");
        jkv(b, "category", w->category, true);
        jkv(b, "action", w->action, true);
        jkv(b, "entry_id", w->entry_id, true);
        jkv(b, "list", "demo", true);
        jkv(b, "name", w->name, true);
        buf_printf(b, ",\"categories\":[\"%s\"],\"actions\":[\"%s\"]}", w->category, w->action);
    } else {
        buf_puts(b, "\"matches\":0,\"categories\":[],\"actions\":[]}");
    }
    buf_printf(b,
               ",\"history\":{\"window_days\":730,\"departures\":%u,\"postponements\":%u,"
               "\"interceptions\":%u,\"refusals\":%u,\"past_victim\":%s,"
               "\"open_consular_case\":false}",
               p->departures, p->postponements, p->interceptions, p->refusals,
               w && strcmp(w->category, "protected_victim") == 0 ? "true" : "false");
    buf_printf(b,
               ",\"group\":{\"others\":%" PRId64 ",\"same_booking\":%" PRId64
               ",\"same_sponsor\":%" PRId64 ",\"any_matched\":%s}",
               sd->others, sd->same_booking, sd->same_sponsor, sd->any_matched ? "true" : "false");
    buf_puts(b, ",\"indicators\":{\"sponsor_name\":false,\"sponsor_company\":false,"
                "\"sponsor_phone\":false}}");
}

static void matches_json(struct gen *g, const struct side *sd, struct buf *b)
{
    buf_puts(b, "\"matches\":[");
    if (sd->person_wl >= 0) {
        const struct wl_demo *w = &g->wl[sd->person_wl];
        buf_putc(b, '{');
        jkv(b, "entry_id", w->entry_id, false);
        jkv(b, "list", "demo", true);
        jkv(b, "name", w->name, true);
        buf_puts(b, ",\"score\":95");
        jkv(b, "category", w->category, true);
        jkv(b, "action", w->action, true);
        buf_puts(b, ",\"kind\":\"person\",\"reasons\":[\"name and birth date agree\"]}");
    }
    buf_putc(b, ']');
}

/* The rule facts are set by field index (resolved once per schema) rather
 * than read back from the facts text: the text is what is stored; this is
 * the fast path to the same values. */
static int fx_open(struct fx *x, struct ruleset_ref *ref, const char *const *own, size_t nown)
{
    const struct rules_schema *sc = rules_schema_of(ruleset_rules(ref));
    for (size_t i = 0; i < S_N; i++)
        x->shared[i] = rules_schema_find(sc, shared_names[i]);
    for (size_t i = 0; i < nown; i++)
        x->own[i] = rules_schema_find(sc, own[i]);
    for (size_t i = 0; i < S_N; i++)
        if (x->shared[i] < 0)
            return ERR_INTERNAL;
    for (size_t i = 0; i < nown; i++)
        if (x->own[i] < 0)
            return ERR_INTERNAL;
    return rules_facts_new(sc, &x->f);
}

static void fstr(struct fx *x, int idx, const char *v)
{
    if (v != NULL && *v != '\0' && rules_facts_set_str_at(x->f, (size_t)idx, v, strlen(v)) < 0)
        x->err = ERR_INTERNAL;
}

static void fnum(struct fx *x, int idx, int64_t v)
{
    if (rules_facts_set_num_at(x->f, (size_t)idx, v) < 0)
        x->err = ERR_INTERNAL;
}

static void fbool(struct fx *x, int idx, bool v)
{
    if (rules_facts_set_bool_at(x->f, (size_t)idx, v) < 0)
        x->err = ERR_INTERNAL;
}

static void flist(struct fx *x, int idx, const char *v)
{
    const char *items[1] = {v};
    if (rules_facts_set_list_at(x->f, (size_t)idx, items, v && *v ? 1 : 0) < 0)
        x->err = ERR_INTERNAL;
}

static void fx_shared(struct gen *g, struct fx *x, const struct person *p, const struct side *sd)
{
    const int *ix = x->shared;
    fstr(x, ix[S_SP_NAME], sd->sponsor_name);
    fstr(x, ix[S_SP_COMPANY], sd->sponsor_company);
    fstr(x, ix[S_SP_PHONE], sd->sponsor_phone);
    if (sd->sponsor_wl >= 0 && g->wl[sd->sponsor_wl].entry_id[0]) {
        fnum(x, ix[S_SP_WLSCORE], 92);
        fstr(x, ix[S_SP_WLCAT], g->wl[sd->sponsor_wl].category);
        fstr(x, ix[S_SP_WLID], g->wl[sd->sponsor_wl].entry_id);
        fstr(x, ix[S_SP_WLNAME], g->wl[sd->sponsor_wl].name);
    }
    const struct wl_demo *w = sd->person_wl >= 0 ? &g->wl[sd->person_wl] : NULL;
    fnum(x, ix[S_WL_MATCHES], w ? 1 : 0);
    flist(x, ix[S_WL_CATS], w ? w->category : NULL);
    flist(x, ix[S_WL_ACTS], w ? w->action : NULL);
    if (w != NULL) {
        fnum(x, ix[S_WL_SCORE], 95);
        fstr(x, ix[S_WL_CAT], w->category);
        fstr(x, ix[S_WL_ACT], w->action);
        fstr(x, ix[S_WL_ID], w->entry_id);
        fstr(x, ix[S_WL_LIST], "demo");
        fstr(x, ix[S_WL_NAME], w->name);
    }
    fnum(x, ix[S_H_WINDOW], 730);
    fnum(x, ix[S_H_DEP], p->departures);
    fnum(x, ix[S_H_POST], p->postponements);
    fnum(x, ix[S_H_ICPT], p->interceptions);
    fnum(x, ix[S_H_REF], p->refusals);
    fbool(x, ix[S_H_VICTIM], w && strcmp(w->category, "protected_victim") == 0);
    fbool(x, ix[S_H_CONSULAR], false);
    fnum(x, ix[S_G_OTHERS], sd->others);
    fnum(x, ix[S_G_BOOKING], sd->same_booking);
    fnum(x, ix[S_G_SPONSOR], sd->same_sponsor);
    fbool(x, ix[S_G_MATCHED], sd->any_matched);
    fbool(x, ix[S_I_NAME], false);
    fbool(x, ix[S_I_COMPANY], false);
    fbool(x, ix[S_I_PHONE], false);
}

static int fx_evaluate(struct fx *x, struct ruleset_ref *ref, struct rules_result *res)
{
    int r = x->err ? x->err : rules_evaluate(ruleset_rules(ref), x->f, res);
    x->err = 0;
    rules_facts_clear(x->f);
    return r < 0 ? ERR_INTERNAL : 0;
}

static void reasons_json(const struct rules_result *res, const char *key, struct buf *b,
                         struct buf *fired)
{
    buf_printf(b, "\"reasons\":[");
    buf_reset(fired);
    for (size_t i = 0; i < rules_result_count(res); i++) {
        const struct rules_hit *h = rules_result_hit(res, i);
        buf_printf(b, "%s{\"%s\":", i ? "," : "", key);
        jstr(b, h->rule);
        jkv(b, "text", h->text, true);
        buf_printf(b, ",\"weight\":%" PRId64 ",\"effect\":\"%s\"}", h->weight,
                   rules_effect_str(h->effect));
        buf_printf(fired, "%s%s", i ? " " : "", h->rule);
    }
    buf_putc(b, ']');
}

/* Commits every BATCH rows so that no transaction grows without bound. */
static int row_done(struct gen *g)
{
    if (++g->in_txn < BATCH)
        return 0;
    g->in_txn = 0;
    int r = store_commit(g->s->st);
    return r < 0 ? r : store_begin(g->s->st, true);
}

/* ---- departures ---- */

struct trip {
    const char *cp, *purpose, *carrier;
    char kind[16], dest[4], final_dest[4], transit[4], flight[16], booking[12];
    char office[32]; /* the checkpoint's office, as a screening records it */
    bool return_ticket;
};

static void dep_request(const struct person *p, size_t idx, const struct trip *t,
                        const struct side *sd, int64_t day, struct buf *b)
{
    char bd[16], issued[16], dd[16], doc[16];
    birth_str(p, bd);
    time_format_date(issued, (int64_t)p->issued * DAY_MS);
    time_format_date(dd, day * DAY_MS);
    snprintf(doc, sizeof doc, "%c%07zu", 'A' + (p->passports % 20), idx % 10000000);
    buf_printf(b, "{\"checkpoint\":\"%s\",\"traveller\":{", t->cp);
    jkv(b, "surname", surnames[p->surname], false);
    jkv(b, "given_names", given_of(p), true);
    buf_printf(b, ",\"birth_date\":\"%s\",\"sex\":\"%c\",\"nationality\":\"IDN\",\"nik\":\"%s\","
                  "\"document_number\":\"%s\",\"document_issued\":\"%s\"}",
               bd, p->sex, p->nik, doc, issued);
    buf_printf(b, ",\"trip\":{\"carrier\":\"%s\",\"flight\":\"%s\",\"destination\":\"%s\","
                  "\"final_destination\":\"%s\",\"transit\":[%s%s%s],\"purpose\":\"%s\","
                  "\"return_ticket\":%s,\"departure_date\":\"%s\",\"booking_ref\":\"%s\"}",
               t->carrier, t->flight, t->dest, t->final_dest, t->transit[0] ? "\"" : "",
               t->transit, t->transit[0] ? "\"" : "", t->purpose,
               t->return_ticket ? "true" : "false", dd, t->booking);
    if (sd->sponsor_name) {
        buf_puts(b, ",\"sponsor\":{");
        jkv(b, "name", sd->sponsor_name, false);
        jkv(b, "company", sd->sponsor_company, true);
        jkv(b, "phone", sd->sponsor_phone, true);
        buf_putc(b, '}');
    }
    buf_putc(b, '}');
}

static void dep_facts(struct gen *g, const struct person *p, const struct trip *t,
                      const struct side *sd, int64_t day, struct buf *b)
{
    buf_printf(b,
               "{\"traveller\":{\"age\":%" PRId64 ",\"nationality\":\"IDN\",\"sex\":\"%c\","
               "\"document_age_days\":%" PRId64 ",\"first_passport\":%s,"
               "\"nik_province\":\"%s\",\"pmi_registered\":%s}",
               age_on(p, day), p->sex, day - p->issued, p->passports <= 1 ? "true" : "false",
               p->province, p->kind == P_PMI ? "true" : "false");
    buf_printf(b,
               ",\"trip\":{\"destination\":\"%s\",\"final_destination\":\"%s\","
               "\"transit\":[%s%s%s],\"purpose\":\"%s\",\"return_ticket\":%s,"
               "\"carrier\":\"%s\",\"checkpoint_kind\":\"%s\"}",
               t->dest, t->final_dest, t->transit[0] ? "\"" : "", t->transit,
               t->transit[0] ? "\"" : "", t->purpose, t->return_ticket ? "true" : "false",
               t->carrier[0] ? t->carrier : "-", t->kind);
    facts_shared(g, p, sd, b);
}

static void dep_fx(struct gen *g, const struct person *p, const struct trip *t,
                   const struct side *sd, int64_t day)
{
    struct fx *x = &g->dep_fx;
    fnum(x, x->own[D_AGE], age_on(p, day));
    fstr(x, x->own[D_NAT], "IDN");
    fnum(x, x->own[D_DOCAGE], day - p->issued);
    fbool(x, x->own[D_FIRST], p->passports <= 1);
    fstr(x, x->own[D_PROV], p->province);
    fbool(x, x->own[D_PMI], p->kind == P_PMI);
    fstr(x, x->own[D_DEST], t->dest);
    fstr(x, x->own[D_FINAL], t->final_dest);
    flist(x, x->own[D_TRANSIT], t->transit);
    fstr(x, x->own[D_PURPOSE], t->purpose);
    fbool(x, x->own[D_RETURN], t->return_ticket);
    fstr(x, x->own[D_CARRIER], t->carrier[0] ? t->carrier : "-");
    fstr(x, x->own[D_CPKIND], t->kind);
    fx_shared(g, x, p, sd);
}

/* What the officer did: mostly what the system recommended, with the
 * human judgement that makes overrides (docs/statistics.md). */
static const char *officer_outcome(struct gen *g, const char *rec, bool pattern,
                                   const char **reason)
{
    struct rng *r = &g->r;
    double u = unit(r);
    *reason = "";
    if (strcmp(rec, "protect") == 0) {
        *reason = "victim_referral";
        return u < 0.9 ? "referred" : "departed";
    }
    if (strcmp(rec, "refuse") == 0) {
        *reason = pattern ? "suspected_tppo" : PICK(r, icpt_reasons);
        return u < 0.85 ? "intercepted" : u < 0.9 ? "referred" : "departed";
    }
    if (strcmp(rec, "secondary") == 0) {
        *reason = pattern ? (chance(r, 0.6) ? "suspected_tppo" : "non_procedural_worker")
                          : PICK(r, icpt_reasons);
        double pi = pattern ? 0.6 : 0.06;
        return u < pi ? "intercepted" : u < pi + 0.02 ? "referred" : "departed";
    }
    *reason = pattern ? "non_procedural_worker" : "document_fraud";
    return u < (pattern ? 0.25 : 0.002) ? "intercepted" : "departed";
}

static bool is_override(const char *rec, const char *outcome)
{
    return (strcmp(rec, "refuse") == 0 && strcmp(outcome, "departed") == 0) ||
           (strcmp(rec, "clear") == 0 && strcmp(outcome, "intercepted") == 0) ||
           (strcmp(rec, "protect") == 0 && strcmp(outcome, "referred") != 0);
}

static int dep_record(struct gen *g, struct person *p, const struct trip *t,
                      const struct side *sd, int64_t day, const char *fired)
{
    char dstr[16], name_key[200], bd[16], officer[48];
    int64_t at = day * DAY_MS + between(&g->r, 3 * 3600, 22 * 3600) * 1000LL;
    enum rules_recommendation rec = rules_result_recommendation(g->dep_res);
    const char *recs = rules_recommendation_str(rec);
    time_format_date(dstr, at);
    birth_str(p, bd);
    passports_name_key(surnames[p->surname], given_of(p), bd, name_key, sizeof name_key);
    snprintf(officer, sizeof officer, "cp%d-%s", between(&g->r, 1, 4), t->cp);
    struct store_dep row = {
        .created_ms = at, .day = dstr, .checkpoint = t->cp,
        .office = t->office[0] ? t->office : t->cp, .officer = officer,
        .nik = p->nik, .name_key = name_key, .nationality = "IDN", .sex = p->sex == 'F' ? "F" : "M",
        .age_band = band(age_on(p, day)), .province = p->province, .destination = t->final_dest,
        .final_destination = t->final_dest, .flight = t->flight, .booking_ref = t->booking,
        .sponsor_phone = sd->sponsor_phone, .sponsor_company = sd->sponsor_company,
        .matched = sd->person_wl >= 0, .recommendation = recs,
        .score = rules_result_score(g->dep_res), .ruleset_version = ruleset_version(g->dep_rs),
        .rules_fired = fired, .request = buf_cstr(&g->req), .answer = buf_cstr(&g->ans),
        .facts = buf_cstr(&g->facts)};
    int64_t id;
    int r = store_dep_insert(g->s->st, &row, &id);
    const char *reason, *out = officer_outcome(g, recs, sd->pattern, &reason);
    bool over = is_override(recs, out);
    if (r == 0)
        r = store_dep_set_outcome(g->s->st, id, out, strcmp(out, "departed") ? reason : "",
                                  over ? "officer judgement after interview" : "", officer,
                                  at + between(&g->r, 60, 1800) * 1000LL, over);
    p->departures++;
    p->refusals += rec == RULES_REFUSE;
    p->interceptions += strcmp(out, "intercepted") == 0;
    g->n->screenings++;
    return r == 0 ? row_done(g) : r;
}

/* Screens one traveller; *intercepted tells the caller (groups). */
static int departure(struct gen *g, size_t idx, const struct trip *t, const struct side *sd,
                     int64_t day)
{
    struct person *p = &g->people[idx];
    if (p->issued < 0 || p->passports == 0) {
        p->passports = 1;
        p->issued = (int32_t)(day - between(&g->r, 20, 1500));
    }
    buf_reset(&g->req);
    buf_reset(&g->ans);
    buf_reset(&g->facts);
    dep_request(p, idx, t, sd, day, &g->req);
    dep_facts(g, p, t, sd, day, &g->facts);
    dep_fx(g, p, t, sd, day);
    int r = fx_evaluate(&g->dep_fx, g->dep_rs, g->dep_res);
    if (r < 0)
        return r;
    enum rules_recommendation rec = rules_result_recommendation(g->dep_res);
    buf_printf(&g->ans, "{\"checkpoint\":\"%s\",\"recommendation\":\"%s\",\"score\":%" PRId64 ",",
               t->cp, rules_recommendation_str(rec), rules_result_score(g->dep_res));
    reasons_json(g->dep_res, "rule", &g->ans, &g->tmp);
    buf_putc(&g->ans, ',');
    matches_json(g, sd, &g->ans);
    buf_printf(&g->ans, ",\"ruleset_version\":\"%s\",\"group\":{\"others\":%" PRId64
                        ",\"same_booking\":%" PRId64 ",\"same_sponsor\":%" PRId64 "}}",
               ruleset_version(g->dep_rs), sd->others, sd->same_booking, sd->same_sponsor);
    char *fired = strdup(buf_cstr(&g->tmp));
    r = fired ? dep_record(g, p, t, sd, day, fired) : ERR_NOMEM;
    free(fired);
    return r;
}

static void trip_for(struct gen *g, struct trip *t, const char *cp, const char *purpose,
                     const char *dest)
{
    memset(t, 0, sizeof *t);
    t->cp = cp;
    t->purpose = purpose;
    text_copy(t->kind, sizeof t->kind, "airport");
    for (size_t i = 0; i < g->nposts; i++) {
        if (strcmp(g->posts[i].code, cp) == 0) {
            text_copy(t->kind, sizeof t->kind, g->posts[i].kind);
            text_copy(t->office, sizeof t->office, g->posts[i].office);
        }
    }
    bool air = strcmp(t->kind, "airport") == 0;
    t->carrier = air ? PICK(&g->r, carriers_air)
                     : strcmp(t->kind, "seaport") == 0 ? PICK(&g->r, carriers_sea) : "";
    if (air)
        snprintf(t->flight, sizeof t->flight, "%s%d", t->carrier, between(&g->r, 100, 999));
    text_copy(t->dest, sizeof t->dest, dest);
    text_copy(t->final_dest, sizeof t->final_dest, dest);
    t->return_ticket = true;
}

/* ---- passport applications ---- */

struct app {
    const char *office, *api_purpose, *purpose, *dest;
    const char *pmi;
};

static void app_request(const struct person *p, const struct app *a, const struct side *sd,
                        const char *interviewer, struct buf *b)
{
    char bd[16];
    birth_str(p, bd);
    buf_printf(b, "{\"office\":\"%s\",\"applicant\":{\"nik\":\"%s\"", a->office, p->nik);
    jkv(b, "surname", surnames[p->surname], true);
    jkv(b, "given_names", given_of(p), true);
    buf_printf(b, ",\"birth_date\":\"%s\",\"sex\":\"%c\"},\"purpose\":\"%s\"", bd, p->sex,
               a->api_purpose);
    if (a->dest[0])
        buf_printf(b, ",\"destination\":\"%s\"", a->dest);
    if (sd->sponsor_name) {
        buf_puts(b, ",\"sponsor\":{");
        jkv(b, "name", sd->sponsor_name, false);
        jkv(b, "company", sd->sponsor_company, true);
        jkv(b, "phone", sd->sponsor_phone, true);
        buf_putc(b, '}');
    }
    if (a->pmi)
        jkv(b, "pmi_registration", a->pmi, true);
    buf_printf(b, ",\"previous_passports\":%s,\"interview\":{\"interviewer\":\"%s\","
                  "\"summary\":\"standard interview (synthetic)\"}}",
               p->passports ? "[{\"number\":\"-\"}]" : "[]", interviewer);
}

struct timeline {
    int64_t id, created, due, now;
    const char *office;
    bool pattern, extended;
    char sup1[48], sup2[48];
};

static int event(struct gen *g, struct timeline *t, int64_t at, const char *kind,
                 const char *actor, const char *reason, const char *note, int64_t due,
                 bool late)
{
    char day[16];
    time_format_date(day, at);
    struct store_pp_event e = {.app_id = t->id, .at_ms = at, .day = day, .kind = kind,
                               .actor = actor, .reason = reason, .note = note, .due_ms = due,
                               .late = late};
    return store_pp_event_insert(g->s->st, &e);
}

/* The appeal that may follow a rejection at time at. */
static int appeal(struct gen *g, struct timeline *t, int64_t at, const char **status)
{
    struct rng *r = &g->r;
    int64_t appeal_due = at + 30 * DAY_MS;
    int rc = store_pp_set_state(g->s->st, t->id, "rejected", t->due, t->extended, appeal_due, t->sup1,
                                at);
    if (rc < 0 || !chance(r, 0.35))
        return rc;
    int64_t filed = at + between(r, 1, 20) * DAY_MS + between(r, 0, 36000) * 1000LL;
    if (filed >= t->now)
        return 0;
    rc = event(g, t, filed, "appealed", "po1", "", "the applicant's statement (synthetic)", 0,
               false);
    *status = "appealed";
    int64_t dec = filed + between(r, 3, 12) * DAY_MS;
    if (rc < 0 || dec >= t->now)
        return rc < 0 ? rc : store_pp_set_state(g->s->st, t->id, "appealed", t->due, t->extended,
                                                appeal_due, t->sup1, filed);
    bool upheld = chance(r, t->pattern ? 0.12 : 0.4);
    rc = event(g, t, dec, upheld ? "appeal_upheld" : "appeal_dismissed", t->sup2, "",
               upheld ? "the statement and documents answer the concern"
                      : "the reasons for the rejection stand",
               0, false);
    *status = upheld ? "upheld" : "dismissed";
    return rc < 0 ? rc : store_pp_set_state(g->s->st, t->id, *status, t->due, t->extended, appeal_due,
                                            t->sup1, dec);
}

/* What happens after a postponement, cut at t->now: most reviews on time,
 * some extended once, some late, a few forgotten (overdue). */
static int review(struct gen *g, struct timeline *t, bool *released)
{
    struct rng *r = &g->r;
    double u = unit(r);
    int64_t at, due = t->due;
    bool extended = false;
    if (u < 0.08) {
        int64_t ext = t->created + between(r, 5, 13) * DAY_MS;
        if (ext >= t->now)
            return 0;
        due = t->due + 14 * DAY_MS;
        int rc = event(g, t, ext, "extended", t->sup1, "awaiting documents",
                       "asked for the employer's papers", due, false);
        if (rc < 0 || (rc = store_pp_set_state(g->s->st, t->id, "postponed", due, true, 0, "",
                                               ext)) < 0)
            return rc;
        extended = t->extended = true;
        at = ext + between(r, 1, 13) * DAY_MS;
    } else if (u < 0.14) {
        at = t->due + between(r, 1, 6) * DAY_MS;
    } else if (u < 0.16) {
        at = t->due + between(r, 20, 40) * DAY_MS;
    } else {
        at = t->created + between(r, 1, 13) * DAY_MS;
    }
    at += between(r, 0, 28800) * 1000LL;
    if (at >= t->now)
        return 0;
    bool release = chance(r, t->pattern ? 0.3 : 0.7);
    *released = release;
    int rc = event(g, t, at, release ? "released" : "rejected", t->sup1,
                   release ? "" : "risk_confirmed",
                   release ? "documents and interview answer the concern"
                           : "recruitment through an unregistered agent confirmed",
                   0, at > due);
    t->due = due;
    const char *status = release ? "released" : "rejected";
    if (rc == 0 && release)
        rc = store_pp_set_state(g->s->st, t->id, status, due, extended, 0, "", at);
    if (rc == 0 && !release)
        rc = appeal(g, t, at, &status);
    *released = release || strcmp(status, "upheld") == 0;
    return rc;
}

static void app_facts(struct gen *g, const struct person *p, const struct app *a,
                      const struct side *sd, int64_t day, struct buf *b)
{
    buf_printf(b,
               "{\"applicant\":{\"age\":%" PRId64 ",\"sex\":\"%c\",\"nik_province\":\"%s\","
               "\"pmi_registered\":%s,\"previous_passports\":%u,\"purpose\":\"%s\"",
               age_on(p, day), p->sex, p->province, a->pmi ? "true" : "false", p->passports,
               a->purpose);
    if (a->dest[0])
        buf_printf(b, ",\"destination\":\"%s\"", a->dest);
    buf_putc(b, '}');
    facts_shared(g, p, sd, b);
}

static void app_fx(struct gen *g, const struct person *p, const struct app *a,
                   const struct side *sd, int64_t day)
{
    struct fx *x = &g->app_fx;
    fnum(x, x->own[A_AGE], age_on(p, day));
    fstr(x, x->own[A_PROV], p->province);
    fbool(x, x->own[A_PMI], a->pmi != NULL);
    fnum(x, x->own[A_PREV], p->passports);
    fstr(x, x->own[A_PURPOSE], a->purpose);
    fstr(x, x->own[A_DEST], a->dest);
    fx_shared(g, x, p, sd);
}

static int app_record(struct gen *g, struct person *p, const struct app *a,
                      const struct side *sd, int64_t day, const char *fired, int64_t *id,
                      int64_t *at, int64_t *due)
{
    char dstr[16], name_key[200], bd[16], officer[48];
    enum rules_recommendation rec = rules_result_recommendation(g->app_res);
    bool postponed = rec == RULES_REFUSE || rec == RULES_PROTECT;
    *at = day * DAY_MS + between(&g->r, 8 * 3600, 15 * 3600) * 1000LL;
    *due = postponed ? *at + 14 * DAY_MS : 0;
    time_format_date(dstr, *at);
    birth_str(p, bd);
    passports_name_key(surnames[p->surname], given_of(p), bd, name_key, sizeof name_key);
    snprintf(officer, sizeof officer, "po1-%s", a->office);
    struct store_pp row = {
        .created_ms = *at, .day = dstr, .office = a->office, .officer = officer,
        .interviewer = officer, .nik = p->nik, .name_key = name_key,
        .sex = p->sex == 'F' ? "F" : "M", .age_band = band(age_on(p, day)),
        .province = p->province, .purpose = a->api_purpose, .destination = a->dest,
        .sponsor_phone = sd->sponsor_phone, .sponsor_company = sd->sponsor_company,
        .matched = sd->person_wl >= 0, .postponed = postponed,
        .status = postponed ? "postponed" : "approved",
        .recommendation = rules_recommendation_str(rec),
        .score = rules_result_score(g->app_res), .ruleset_version = ruleset_version(g->app_rs),
        .reasons = fired, .review_due_ms = *due, .request = buf_cstr(&g->req),
        .answer = buf_cstr(&g->ans), .facts = buf_cstr(&g->facts)};
    int r = store_pp_insert(g->s->st, &row, id);
    struct timeline t = {.id = *id, .created = *at, .due = *due};
    if (r == 0)
        r = event(g, &t, *at, postponed ? "postponed" : "approved", officer, fired, "", *due,
                  false);
    return r;
}

/* Screens and records one application; *issued tells whether the passport
 * was issued (at once, or after a review or an appeal). */
static int application(struct gen *g, size_t idx, const struct app *a, const struct side *sd,
                       int64_t day, bool *issued)
{
    struct person *p = &g->people[idx];
    char interviewer[48];
    snprintf(interviewer, sizeof interviewer, "po1-%s", a->office);
    buf_reset(&g->req);
    buf_reset(&g->ans);
    buf_reset(&g->facts);
    app_request(p, a, sd, interviewer, &g->req);
    app_facts(g, p, a, sd, day, &g->facts);
    app_fx(g, p, a, sd, day);
    int r = fx_evaluate(&g->app_fx, g->app_rs, g->app_res);
    if (r < 0)
        return r;
    enum rules_recommendation rec = rules_result_recommendation(g->app_res);
    bool postponed = rec == RULES_REFUSE || rec == RULES_PROTECT;
    buf_printf(&g->ans, "{\"office\":\"%s\",\"status\":\"%s\",", a->office,
               postponed ? "postponed" : "approved");
    reasons_json(g->app_res, "code", &g->ans, &g->tmp);
    buf_printf(&g->ans, ",\"recommendation\":\"%s\",\"score\":%" PRId64
                        ",\"ruleset_version\":\"%s\",",
               rules_recommendation_str(rec), rules_result_score(g->app_res),
               ruleset_version(g->app_rs));
    matches_json(g, sd, &g->ans);
    buf_putc(&g->ans, '}');
    char *fired = strdup(buf_cstr(&g->tmp));
    int64_t id = 0, at = 0, due = 0;
    r = fired ? app_record(g, p, a, sd, day, fired, &id, &at, &due) : ERR_NOMEM;
    free(fired);
    *issued = !postponed;
    if (r == 0 && postponed) {
        struct timeline t = {.id = id, .created = at, .due = due, .now = g->now_ms,
                             .office = a->office, .pattern = sd->pattern};
        snprintf(t.sup1, sizeof t.sup1, "sup1-%s", a->office);
        snprintf(t.sup2, sizeof t.sup2, "sup2-%s", a->office);
        p->postponements++;
        g->n->postponements++;
        r = review(g, &t, issued);
    }
    if (*issued) {
        p->passports++;
        p->issued = (int32_t)day;
    }
    g->n->applications++;
    return r == 0 ? row_done(g) : r;
}

/* ---- background activity ---- */

static const char *office_of(struct gen *g, const char *province)
{
    const char *found[16];
    size_t n = 0;
    for (size_t i = 0; i < g->nposts && n < 16; i++) {
        if (strcmp(g->posts[i].kind, "office") == 0 &&
            strcmp(g->posts[i].province_code, province) == 0 &&
            strcmp(g->posts[i].code, "DITJENIM") != 0)
            found[n++] = g->posts[i].code;
    }
    return n ? found[below(&g->r, (uint32_t)n)] : "KANIM-JKS";
}

static const char *dest_for(struct gen *g, const char *purpose)
{
    struct rng *r = &g->r;
    if (strcmp(purpose, "pilgrimage") == 0)
        return "SAU";
    if (strcmp(purpose, "work") == 0)
        return PICK(r, work);
    if (strcmp(purpose, "study") == 0)
        return PICK(r, study);
    if (strcmp(purpose, "family") == 0)
        return PICK(r, family);
    if (strcmp(purpose, "business") == 0)
        return PICK(r, business);
    return PICK(r, tourism);
}

static const char *sea_land_dest(struct gen *g, const char *cp)
{
    if (strncmp(cp, "PLBN-", 5) == 0)
        return strcmp(cp, "PLBN-ENTIKONG") == 0 ? "MYS"
               : strcmp(cp, "PLBN-SKOUW") == 0  ? "PNG"
                                                : "TLS";
    if (strcmp(cp, "SEA-BENOA") == 0)
        return "AUS";
    if (strcmp(cp, "SEA-BATAM-CENTRE") == 0 || strcmp(cp, "SEA-SEKUPANG") == 0 ||
        strcmp(cp, "SEA-TANJUNG-BALAI-KARIMUN") == 0)
        return chance(&g->r, 0.55) ? "SGP" : "MYS";
    return "MYS";
}

static int background_departure(struct gen *g, int64_t day)
{
    struct rng *r = &g->r;
    size_t idx = below(r, (uint32_t)g->nnormal);
    struct person *p = &g->people[idx];
    const char *cp = PICK(r, checkpoints);
    const char *purpose = p->kind == P_PMI ? "work" : PICK(r, purposes);
    struct trip t;
    bool air = strncmp(cp, "SEA-", 4) != 0 && strncmp(cp, "PLBN-", 5) != 0;
    if (!air && strcmp(purpose, "pilgrimage") == 0)
        purpose = "tourism";
    trip_for(g, &t, cp, purpose, air ? dest_for(g, purpose) : sea_land_dest(g, cp));
    double ret = strcmp(purpose, "work") == 0 ? 0.35 : strcmp(purpose, "study") == 0 ? 0.6
                                                                                     : 0.95;
    t.return_ticket = chance(r, ret);
    struct side sd = {.sponsor_wl = -1, .person_wl = -1};
    char company[96];
    if (p->kind == P_PMI && chance(r, 0.6)) {
        snprintf(company, sizeof company, "PT %s Tenaga Kerja", surnames[p->surname]);
        sd.sponsor_name = "HRD";
        sd.sponsor_company = company;
        sd.sponsor_phone = "622150000";
    }
    return departure(g, idx, &t, &sd, day);
}

static int background_application(struct gen *g, int64_t day)
{
    struct rng *r = &g->r;
    size_t idx = below(r, (uint32_t)g->nnormal);
    struct person *p = &g->people[idx];
    const char *purpose = p->kind == P_PMI ? "work" : PICK(r, purposes);
    struct app a = {.office = office_of(g, p->province), .purpose = purpose,
                    .api_purpose = purpose};
    a.dest = dest_for(g, purpose);
    if (strcmp(purpose, "pilgrimage") == 0)
        a.api_purpose = chance(r, 0.8) ? "umrah" : "hajj";
    char pmi[24];
    if (p->kind == P_PMI) {
        snprintf(pmi, sizeof pmi, "PMI-%08u", (unsigned)below(r, 100000000));
        a.pmi = pmi;
    }
    struct side sd = {.sponsor_wl = -1, .person_wl = -1};
    bool issued;
    return application(g, idx, &a, &sd, day, &issued);
}

/* ---- planted patterns ---- */

static size_t add_people(struct gen *g, int n, const char *province, int lo, int hi)
{
    size_t first = g->npeople;
    for (int i = 0; i < n; i++)
        make_person(g, &g->people[g->npeople++], province, lo, hi, 0);
    return first;
}

static void plan_group(struct gen *g, struct pattern *pt, size_t nesc)
{
    struct rng *r = &g->r;
    const char *prov = PICK(r, target_provinces);
    pt->kind = PAT_GROUP;
    pt->recruiter = (int)below(r, N_RECRUITERS);
    pt->escort = chance(r, 0.25) && nesc ? (int)(g->nnormal + N_VICTIMS + below(r, (uint32_t)nesc))
                                         : -1;
    pt->size = between(r, 3, 9);
    pt->first = (int)add_people(g, pt->size, prov, 18, 30);
    pt->dep_day = between(r, 40, DAYS - 1);
    pt->app_day = pt->dep_day - between(r, 14, 35);
    text_copy(pt->office, sizeof pt->office, office_of(g, prov));
    text_copy(pt->cp, sizeof pt->cp, PICK(r, group_cps));
    bool work_ = chance(r, 0.4);
    text_copy(pt->purpose, sizeof pt->purpose, work_ ? "work" : "tourism");
    text_copy(pt->final_dest, sizeof pt->final_dest, PICK(r, scam_hubs));
    text_copy(pt->dest, sizeof pt->dest,
              strncmp(pt->cp, "SEA-", 4) == 0 ? "MYS" : PICK(r, gateways));
    if (strcmp(pt->dest, pt->final_dest) != 0)
        text_copy(pt->transit, sizeof pt->transit, pt->dest);
    snprintf(pt->booking, sizeof pt->booking, "BK%06u", (unsigned)below(r, 1000000));
}

static size_t scaled(const struct gen *g, int n)
{
    size_t k = (size_t)(n * g->scale + 0.5);
    return k ? k : 1;
}

static int plan_patterns(struct gen *g)
{
    struct rng *r = &g->r;
    /* A smaller year gets proportionally fewer patterns (at least one each). */
    size_t ng = scaled(g, N_GROUPS), nt = ng + scaled(g, N_TRANSIT);
    size_t nv = nt + scaled(g, N_VICTIMS), total = nv + scaled(g, N_ESCORTS);
    g->pat = calloc(total, sizeof *g->pat);
    if (g->pat == NULL)
        return ERR_NOMEM;
    size_t nesc = g->npeople - g->nnormal - N_VICTIMS;
    for (size_t i = 0; i < total; i++) {
        struct pattern *pt = &g->pat[g->npat++];
        pt->recruiter = pt->escort = -1;
        if (i < ng) {
            plan_group(g, pt, nesc);
            continue;
        }
        pt->dep_day = between(r, 5, DAYS - 1);
        pt->app_day = -1;
        pt->size = 1;
        if (i < nt) {
            pt->kind = PAT_TRANSIT;
            pt->size = between(r, 1, 3);
            pt->first = (int)add_people(g, pt->size, PICK(r, target_provinces), 18, 35);
            pt->app_day = pt->dep_day - between(r, 20, 60);
            text_copy(pt->office, sizeof pt->office, office_of(g, g->people[pt->first].province));
            text_copy(pt->cp, sizeof pt->cp, PICK(r, transit_cps));
            text_copy(pt->dest, sizeof pt->dest, "MYS");
        } else if (i < nv) {
            pt->kind = PAT_VICTIM;
            pt->first = (int)(g->nnormal + (i - nt));
            text_copy(pt->cp, sizeof pt->cp, PICK(r, group_cps));
            text_copy(pt->dest, sizeof pt->dest, chance(r, 0.5) ? "MYS" : "THA");
        } else {
            pt->kind = PAT_ESCORT;
            pt->first = (int)(g->nnormal + N_VICTIMS + below(r, (uint32_t)nesc));
            text_copy(pt->cp, sizeof pt->cp, "CGK");
            text_copy(pt->dest, sizeof pt->dest, "THA");
        }
        text_copy(pt->final_dest, sizeof pt->final_dest,
                  pt->kind == PAT_ESCORT ? "KHM" : pt->dest);
        text_copy(pt->purpose, sizeof pt->purpose, "tourism");
        if (pt->app_day < 0 && pt->kind != PAT_VICTIM && pt->kind != PAT_ESCORT)
            pt->app_day = 0;
    }
    g->n->patterns = (int64_t)g->npat;
    return 0;
}

static void pattern_side(struct gen *g, const struct pattern *pt, struct side *sd)
{
    memset(sd, 0, sizeof *sd);
    sd->sponsor_wl = sd->person_wl = -1;
    sd->pattern = true;
    if (pt->recruiter >= 0) {
        const struct recruiter *rc = &g->rec[pt->recruiter];
        sd->sponsor_name = rc->name;
        sd->sponsor_company = rc->company;
        sd->sponsor_phone = rc->phone;
        sd->sponsor_wl = rc->wl;
    }
}

static int pattern_apply(struct gen *g, struct pattern *pt, int64_t day)
{
    struct side sd;
    pattern_side(g, pt, &sd);
    bool work_ = strcmp(pt->purpose, "work") == 0;
    struct app a = {.office = pt->office, .purpose = pt->purpose, .api_purpose = pt->purpose,
                    .dest = pt->kind == PAT_GROUP && !work_ ? pt->final_dest
                            : work_                        ? "MYS"
                                                           : pt->dest};
    int r = 0;
    for (int i = 0; i < pt->size && r == 0; i++) {
        bool issued;
        sd.others = sd.same_sponsor = pt->recruiter >= 0 ? pt->applied : 0;
        r = application(g, (size_t)pt->first + (size_t)i, &a, &sd, day, &issued);
        pt->applied++;
    }
    return r;
}

static int pattern_depart(struct gen *g, struct pattern *pt, int64_t day)
{
    struct side sd;
    struct trip t;
    pattern_side(g, pt, &sd);
    trip_for(g, &t, pt->cp, pt->purpose, pt->dest);
    text_copy(t.final_dest, sizeof t.final_dest, pt->final_dest);
    text_copy(t.transit, sizeof t.transit, pt->transit);
    text_copy(t.booking, sizeof t.booking, pt->booking);
    t.return_ticket = false;
    int r = 0;
    if (pt->escort >= 0) {
        sd.person_wl = g->people[pt->escort].wl;
        r = departure(g, (size_t)pt->escort, &t, &sd, day);
        sd.person_wl = -1;
        pt->screened++;
        pt->matched = 1;
    }
    for (int i = 0; i < pt->size && r == 0; i++) {
        size_t idx = (size_t)pt->first + (size_t)i;
        struct person *p = &g->people[idx];
        if (pt->kind == PAT_GROUP && p->passports == 0)
            continue; /* postponed and not released: does not travel */
        if (pt->kind == PAT_VICTIM || pt->kind == PAT_ESCORT)
            sd.person_wl = p->wl;
        sd.others = sd.same_booking = pt->screened;
        sd.same_sponsor = pt->recruiter >= 0 ? pt->screened : 0;
        sd.any_matched = pt->matched;
        r = departure(g, idx, &t, &sd, day);
        pt->screened++;
    }
    return r;
}

/* ---- the year ---- */

/* More travel in the school holidays (July) and at the year's end. */
static double season(int64_t day)
{
    int y, m, d;
    time_civil_from_days(day, &y, &m, &d);
    static const double month_w[12] = {0.95, 0.85, 0.9, 0.95, 1.0, 1.1,
                                       1.2,  1.05, 0.95, 0.95, 0.95, 1.15};
    return month_w[m - 1];
}

static int run_day(struct gen *g, int k, double *dep_acc, double *app_acc)
{
    int64_t day = g->day0 + k;
    double w = season(day);
    *app_acc += FULL_APPLICATIONS * g->scale * w / DAYS;
    *dep_acc += FULL_SCREENINGS * g->scale * w / DAYS;
    int r = 0;
    for (; *app_acc >= 1 && r == 0; *app_acc -= 1)
        r = background_application(g, day);
    for (size_t i = 0; i < g->npat && r == 0; i++) {
        if (g->pat[i].app_day == k)
            r = pattern_apply(g, &g->pat[i], day);
    }
    for (size_t i = 0; i < g->npat && r == 0; i++) {
        if (g->pat[i].dep_day == k)
            r = pattern_depart(g, &g->pat[i], day);
    }
    for (; *dep_acc >= 1 && r == 0; *dep_acc -= 1)
        r = background_departure(g, day);
    return r;
}

static int post_cb(void *ctx, const struct store_post *p)
{
    struct gen *g = ctx;
    if (g->nposts < sizeof g->posts / sizeof g->posts[0])
        g->posts[g->nposts++] = *p;
    return 0;
}

static int stop_at_first(void *ctx, const struct store_stat_dep *d)
{
    (void)d;
    *(bool *)ctx = true;
    return 1;
}

static int prepare(struct gen *g, struct buf *why)
{
    bool any = false;
    int r = store_stats_departures(g->s->st, "0000-01-01", "9999-12-31", stop_at_first, &any);
    if (r >= 0 && any) {
        buf_puts(why, "the database already holds screenings: load the demo year into a new "
                      "database");
        return ERR_CONFLICT;
    }
    r = store_post_list(g->s->st, post_cb, g);
    if (r == 0)
        r = rulesets_active(g->s, "departure", &g->dep_rs);
    if (r == 0)
        r = rulesets_active(g->s, "application", &g->app_rs);
    if (r == ERR_NOTFOUND)
        buf_puts(why, "no active rulesets (run lintas init first)");
    if (r == 0)
        r = rules_result_new(ruleset_rules(g->dep_rs), &g->dep_res);
    if (r == 0)
        r = rules_result_new(ruleset_rules(g->app_rs), &g->app_res);
    if (r == 0)
        r = fx_open(&g->dep_fx, g->dep_rs, dep_names, D_N);
    if (r == 0)
        r = fx_open(&g->app_fx, g->app_rs, app_names, A_N);
    return r;
}

static int make_people(struct gen *g)
{
    size_t pool = (size_t)(POOL * g->scale);
    if (pool < 2000)
        pool = 2000;
    g->people = calloc(pool + 4000, sizeof *g->people);
    if (g->people == NULL)
        return ERR_NOMEM;
    for (size_t i = 0; i < pool; i++) {
        struct person *p = &g->people[g->npeople++];
        bool minor = chance(&g->r, 0.08);
        make_person(g, p, NULL, minor ? 1 : 18, minor ? 17 : 70, 0);
        if (!minor && chance(&g->r, 0.06))
            p->kind = P_PMI;
    }
    g->nnormal = g->npeople;
    for (int i = 0; i < N_VICTIMS; i++) {
        struct person *p = &g->people[g->npeople++];
        make_person(g, p, PICK(&g->r, target_provinces), 19, 35, 0);
        p->kind = P_VICTIM;
        p->passports = 1;
        p->issued = (int32_t)(g->day0 - between(&g->r, 300, 1500));
    }
    for (int i = 0; i < 30; i++) {
        struct person *p = &g->people[g->npeople++];
        make_person(g, p, PICK(&g->r, provinces), 28, 55, 'M');
        p->kind = P_RECRUITER;
    }
    return 0;
}

static int load(struct gen *g, struct buf *why)
{
    int r = prepare(g, why);
    if (r == 0)
        r = make_people(g);
    if (r == 0) {
        plan_watchlist(g);
        say(g, "watchlist: recruiters, traffickers and protected past victims");
        r = import_watchlist(g, why);
    }
    if (r == 0)
        r = plan_patterns(g);
    if (r == 0)
        r = store_begin(g->s->st, true);
    double dep_acc = 0, app_acc = 0;
    for (int k = 0; k < DAYS && r == 0; k++) {
        r = run_day(g, k, &dep_acc, &app_acc);
        if (r == 0 && (k + 1) % 61 == 0) {
            char msg[96];
            snprintf(msg, sizeof msg, "day %d of %d: %" PRId64 " screenings, %" PRId64
                                      " applications",
                     k + 1, DAYS, g->n->screenings, g->n->applications);
            say(g, msg);
        }
    }
    char detail[160];
    snprintf(detail, sizeof detail, "demo year: %" PRId64 " screenings, %" PRId64
                                    " applications, %" PRId64 " patterns",
             g->n->screenings, g->n->applications, g->n->patterns);
    if (r == 0)
        r = audit_append(g->s->st, g->who, "demo.load", "database", "-", "ok", detail);
    if (r == 0)
        r = store_commit(g->s->st);
    else
        store_rollback(g->s->st);
    return r;
}

void demo_year_defaults(struct demo_year_opts *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 2025;
    o->end_day = time_now_ms() / DAY_MS - 1;
    o->percent = 100;
}

int demo_year_load(struct svc *s, const struct actor *who, const struct demo_year_opts *o,
                   struct demo_year_counts *n, struct buf *why)
{
    struct gen *g = calloc(1, sizeof *g);
    memset(n, 0, sizeof *n);
    if (g == NULL)
        return ERR_NOMEM;
    g->s = s;
    g->who = who;
    g->o = o;
    g->n = n;
    g->r.s = o->seed;
    g->day0 = o->end_day - DAYS + 1;
    g->now_ms = time_now_ms();
    if (g->now_ms < (o->end_day + 1) * DAY_MS)
        g->now_ms = (o->end_day + 1) * DAY_MS;
    g->scale = (o->percent > 0 ? o->percent : 100) / 100.0;
    buf_init(&g->req, 1u << 16);
    buf_init(&g->ans, 1u << 18);
    buf_init(&g->facts, 1u << 16);
    buf_init(&g->tmp, 1u << 16);
    int r = load(g, why);
    rules_result_free(g->dep_res);
    rules_result_free(g->app_res);
    rules_facts_free(g->dep_fx.f);
    rules_facts_free(g->app_fx.f);
    rulesets_release(g->dep_rs);
    rulesets_release(g->app_rs);
    buf_free(&g->req);
    buf_free(&g->ans);
    buf_free(&g->facts);
    buf_free(&g->tmp);
    free(g->people);
    free(g->pat);
    free(g);
    return r;
}
