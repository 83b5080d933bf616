/* refdata: embedded reference data into the store. */
#include "services/refdata.h"

#include <string.h>

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

int refdata_load(struct store *st, struct buf *why)
{
    int r = store_begin(st, true);
    if (r < 0)
        return r;
    r = load_posts(st, "offices.csv", false, why);
    if (r == 0)
        r = load_posts(st, "checkpoints.csv", true, why);
    if (r == 0)
        r = store_commit(st);
    if (r < 0)
        store_rollback(st);
    return r;
}
