/* refdata: embedded reference data into the store. */
#include "services/refdata.h"

#include <string.h>

#include "domain/countries.h"
#include "domain/nik.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/errors.h"
#include "util/refdata_files.h"
#include "util/text.h"

/* Loads offices.csv (code,name,province_code,country) as kind "office" and
 * checkpoints.csv (code,name,kind,province_code,...) as their kinds. */
static int load_posts(struct store *st, const char *file, bool checkpoints, struct buf *why)
{
    const struct refdata_file *f = refdata_file_find(file);
    if (f == NULL) {
        buf_printf(why, "%s: not embedded", file);
        return ERR_INTERNAL;
    }
    struct csv c;
    csv_open(&c, f->data, f->len, ',');
    int r = csv_next(&c); /* header */
    while (r >= 0 && (r = csv_next(&c)) == 1) {
        struct store_post p = {0};
        text_copy(p.code, sizeof p.code, csv_field(&c, 0));
        text_copy(p.name, sizeof p.name, csv_field(&c, 1));
        if (checkpoints) {
            text_copy(p.kind, sizeof p.kind, csv_field(&c, 2));
            text_copy(p.province_code, sizeof p.province_code, csv_field(&c, 3));
            text_copy(p.country, sizeof p.country, "IDN");
        } else {
            text_copy(p.kind, sizeof p.kind, "office");
            text_copy(p.province_code, sizeof p.province_code, csv_field(&c, 2));
            text_copy(p.country, sizeof p.country, csv_field(&c, 3));
        }
        r = store_post_put(st, &p);
    }
    if (r < 0)
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

int refdata_load(struct store *st, struct buf *why)
{
    int r = store_begin(st, true);
    if (r < 0)
        return r;
    r = load_posts(st, "offices.csv", false, why);
    if (r == 0)
        r = load_posts(st, "checkpoints.csv", true, why);
    if (r == 0)
        r = load_codes(st, why);
    if (r == 0)
        r = store_commit(st);
    if (r < 0)
        store_rollback(st);
    return r;
}
