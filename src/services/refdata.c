/* refdata: embedded reference data into the store, and who works where. */
#include "services/refdata.h"

#include <string.h>

#include "domain/countries.h"
#include "domain/nik.h"
#include "services/svc.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/errors.h"
#include "util/refdata_files.h"
#include "util/text.h"

/* A checkpoint's office must be one of offices.csv, loaded before it:
 * ERR_INVALID when it is not. */
static int check_office(struct store *st, const struct store_post *p)
{
    struct store_post o;
    int r = store_post_get(st, p->office, &o);
    if (r == 0 && strcmp(o.kind, "office") != 0)
        r = ERR_NOTFOUND;
    return r == ERR_NOTFOUND ? ERR_INVALID : r;
}

/* The post on the current row of offices.csv (code,name,province_code,
 * country) or of checkpoints.csv (code,name,kind,province_code,iata,
 * unlocode,regency,office). */
static void read_post(const struct csv *c, bool checkpoint, struct store_post *p)
{
    *p = (struct store_post){0};
    text_copy(p->code, sizeof p->code, csv_field(c, 0));
    text_copy(p->name, sizeof p->name, csv_field(c, 1));
    if (checkpoint) {
        text_copy(p->kind, sizeof p->kind, csv_field(c, 2));
        text_copy(p->province_code, sizeof p->province_code, csv_field(c, 3));
        text_copy(p->country, sizeof p->country, "IDN");
        text_copy(p->office, sizeof p->office, csv_field(c, 7));
    } else {
        text_copy(p->kind, sizeof p->kind, "office");
        text_copy(p->province_code, sizeof p->province_code, csv_field(c, 2));
        text_copy(p->country, sizeof p->country, csv_field(c, 3));
    }
}

/* Loads offices.csv as kind "office", or checkpoints.csv as their kinds. */
static int load_posts(struct store *st, const char *file, bool checkpoints, struct buf *why)
{
    const struct refdata_file *f = refdata_file_find(file);
    if (f == NULL) {
        buf_printf(why, "%s: not embedded", file);
        return ERR_INTERNAL;
    }
    struct csv c;
    struct store_post p = {0};
    bool bad_office = false;
    csv_open(&c, f->data, f->len, ',');
    int r = csv_next(&c); /* header */
    while (r >= 0 && (r = csv_next(&c)) == 1) {
        read_post(&c, checkpoints, &p);
        r = checkpoints ? check_office(st, &p) : 0;
        bad_office = r == ERR_INVALID;
        if (r == 0)
            r = store_post_put(st, &p);
    }
    if (bad_office)
        buf_printf(why, "%s: line %zu: office '%s' is not in offices.csv", file, c.line, p.office);
    else if (r < 0)
        buf_printf(why, "%s: line %zu: %s", file, c.line, err_str(r));
    csv_close(&c);
    return r < 0 ? r : 0;
}

/* Countries (ICAO 9303) and NIK province codes come from the domain
 * tables, so that the database and the parsers agree. */
static int load_codes(struct store *st, struct buf *why)
{
    int r = 0;
    for (size_t i = 0; i < countries_count() && r == 0; i++) {
        const struct countries_entry *c = countries_at(i);
        r = store_country_put(st, c->code, c->name, countries_kind_name(c->kind));
    }
    for (size_t i = 0; i < nik_province_count() && r == 0; i++) {
        const struct nik_province *p = nik_province_at(i);
        r = store_province_put(st, p->code, p->name, nik_province_status_name(p->status));
    }
    if (r < 0)
        buf_printf(why, "country and province codes: %s", err_str(r));
    return r;
}

/* Screenings recorded before checkpoints had offices carry no office, or
 * their checkpoint's code: the first load of the offices gives them their
 * checkpoint's office, once (later loads would read the whole table for
 * nothing). */
static int backfill_offices(struct store *st, bool had_offices, struct buf *why)
{
    int64_t changed;
    if (had_offices)
        return 0;
    int r = store_dep_backfill_office(st, &changed);
    if (r < 0)
        buf_printf(why, "giving earlier screenings their checkpoint's office: %s", err_str(r));
    return r;
}

int refdata_load(struct store *st, struct buf *why)
{
    bool had_offices = false;
    int r = store_begin(st, true);
    if (r < 0)
        return r;
    r = store_posts_have_offices(st, &had_offices);
    if (r == 0)
        r = load_posts(st, "offices.csv", false, why);
    if (r == 0)
        r = load_posts(st, "checkpoints.csv", true, why);
    if (r == 0)
        r = backfill_offices(st, had_offices, why);
    if (r == 0)
        r = load_codes(st, why);
    if (r == 0)
        r = store_commit(st);
    if (r < 0)
        store_rollback(st);
    return r;
}

json_t *refdata_post_json(const struct store_post *p)
{
    json_t *o = json_pack("{ss ss ss ss ss}", "code", p->code, "name", p->name, "kind", p->kind,
                          "province_code", p->province_code, "country", p->country);
    if (o != NULL && p->office[0] != '\0')
        json_object_set_new(o, "office", json_string(p->office));
    return o;
}

/* ---- who works where ---- */

int refdata_scope(struct store *st, const struct actor *who, struct post_scope *sc)
{
    struct store_post p;
    *sc = (struct post_scope){0};
    if (who->role != ROLE_CHECKPOINT_OFFICER && who->role != ROLE_SUPERVISOR)
        return 0;
    sc->bound = true;
    text_copy(sc->post, sizeof sc->post, who->office);
    if (who->role == ROLE_CHECKPOINT_OFFICER)
        return 0; /* an officer at an office screens nowhere (resolve_checkpoint says why) */
    int r = store_post_get(st, who->office, &p);
    if (r == ERR_NOTFOUND)
        return 0; /* a post that is not known: no checkpoint is in it */
    sc->office = r == 0 && strcmp(p.kind, "office") == 0;
    return r;
}

bool refdata_scope_has(const struct post_scope *sc, const struct store_post *cp)
{
    if (!sc->bound)
        return true;
    if (sc->office)
        return cp->office[0] != '\0' && strcmp(cp->office, sc->post) == 0;
    return strcmp(cp->code, sc->post) == 0;
}

int refdata_scope_has_code(struct store *st, const struct post_scope *sc, const char *cp,
                           bool *in)
{
    struct store_post p;
    *in = !sc->bound || (!sc->office && strcmp(cp, sc->post) == 0);
    if (!sc->bound || !sc->office)
        return 0;
    int r = store_post_get(st, cp, &p);
    if (r == 0)
        *in = refdata_scope_has(sc, &p);
    return r == ERR_NOTFOUND ? 0 : r;
}

struct code_list {
    struct buf *out;
    size_t n;
};

static int list_code(void *ctx, const struct store_post *p)
{
    struct code_list *l = ctx;
    /* a message cut short at its buffer's limit is still a message */
    (void)buf_printf(l->out, "%s%s", l->n++ > 0 ? ", " : "", p->code);
    return 0;
}

int refdata_office_checkpoints(struct store *st, const char *office, struct buf *out)
{
    struct code_list l = {out, 0};
    (void)buf_putc(out, '(');
    int r = store_office_checkpoints(st, office, list_code, &l);
    if (r == 0 && l.n == 0)
        (void)buf_puts(out, "none");
    (void)buf_putc(out, ')');
    return r;
}

int refdata_why_not_here(struct store *st, const struct post_scope *sc, const char *cp,
                         int found, const struct store_post *post, struct buf *why)
{
    int r = 0;
    if (found < 0 && found != ERR_NOTFOUND)
        return found;
    /* placed at a checkpoint: that one and no other, whatever cp is */
    if (sc->bound && !sc->office && strcmp(cp, sc->post) != 0) {
        struct store_post own;
        if (store_post_get(st, sc->post, &own) == 0 && strcmp(own.kind, "office") == 0) {
            buf_printf(why, "you are placed at %s, an office, and screen nowhere: a checkpoint "
                            "officer is placed at a checkpoint (an administrator sets the post)",
                       sc->post);
            return ERR_FORBIDDEN;
        }
        buf_printf(why, "you screen at %s only, not at %s", sc->post, cp);
        return ERR_FORBIDDEN;
    }
    if (found == ERR_NOTFOUND) {
        buf_printf(why, "field 'checkpoint': '%s' is not a known checkpoint (lintas offices)", cp);
        return ERR_INVALID;
    }
    if (strcmp(post->kind, "office") == 0) {
        buf_printf(why, "field 'checkpoint': '%s' is an office, not a checkpoint", cp);
        if (sc->office) {
            buf_puts(why, "; name one of yours ");
            r = refdata_office_checkpoints(st, sc->post, why);
        } else {
            /* unbound, or a checkpoint officer placed at this office */
            buf_puts(why, sc->bound ? " (a checkpoint officer is placed at a checkpoint)"
                                    : " (lintas offices)");
        }
        return r < 0 ? r : ERR_INVALID;
    }
    if (!sc->office) {
        buf_printf(why, "you screen at %s only, not at %s", sc->post, cp);
        return ERR_FORBIDDEN;
    }
    buf_printf(why, "you screen at the checkpoints of %s only ", sc->post);
    r = refdata_office_checkpoints(st, sc->post, why);
    buf_printf(why, ", not at %s (of %s)", cp, post->office[0] ? post->office : "no office");
    return r < 0 ? r : ERR_FORBIDDEN;
}
