/* watchlist_import: all-or-nothing imports of the CSV, JSON-lines, OFAC SDN
 * and UN consolidated list formats.
 *
 * One pass parses every file and writes every entry inside one
 * transaction; any bad row rolls the whole import back, and its error names
 * the file, line and field. Each write appends to the store's change log,
 * and the same transaction prunes the log's changes older than seven days.
 * After the commit, the index catches up from the log (wl_sync), as a
 * server running on the same database does before its next match when the
 * import was made by `lintas watchlist import`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/wl_ofac.h"
#include "domain/wl_un.h"
#include "services/audit.h"
#include "services/svc.h"
#include "services/watchlist.h"
#include "services/watchlist_int.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/log.h"
#include "util/timeutil.h"

struct import_ctx {
    struct svc *s;
    const struct actor *who;
    int64_t now;
    struct watchlist_import_counts *counts;
};

static int write_entry(struct import_ctx *ic, struct wl_entry *e)
{
    if (e->created_by == NULL)
        wl_set_str(&e->created_by, ic->who->username);
    json_t *body = wl_body_json(e);
    char *txt = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (txt == NULL)
        return ERR_NOMEM;
    char vu[16];
    struct store_wl_row row;
    wl_row_from_entry(e, txt, vu, &row);
    row.created_ms = row.updated_ms = ic->now;
    int64_t id;
    bool created;
    int r = store_wl_upsert(ic->s->st, &row, &id, &created);
    free(txt);
    if (r < 0)
        return r;
    if (created)
        ic->counts->created++;
    else
        ic->counts->updated++;
    return 0;
}

static int sink(void *p, struct wl_entry *e)
{
    return write_entry(p, e);
}

/* Sorts the files of an OFAC import into sdn.csv, alt.csv and add.csv: by
 * name (letter case ignored), else by content; each at most once, and
 * sdn.csv required. */
static int ofac_files(const struct watchlist_file *files, size_t n, struct wl_ofac_set *set,
                      struct wl_error *err)
{
    static const char *const what[] = {"", "sdn.csv", "alt.csv", "add.csv"};
    const struct watchlist_file *got[4] = {NULL};
    memset(set, 0, sizeof *set);
    for (size_t i = 0; i < n; i++) {
        enum wl_ofac_file k = wl_ofac_file_by_name(files[i].name);
        if (k == WL_OFAC_UNKNOWN)
            k = wl_ofac_file_by_content(files[i].data, files[i].len);
        snprintf(err->file, sizeof err->file, "%s", files[i].name);
        if (k == WL_OFAC_UNKNOWN) {
            snprintf(err->message, sizeof err->message,
                     "not a file of the OFAC SDN CSV set: its name does not end in sdn.csv, "
                     "alt.csv or add.csv, and its rows have not their 12, 5 or 6 fields");
            return ERR_INVALID;
        }
        if (got[k] != NULL) {
            snprintf(err->message, sizeof err->message, "a second %s (the first is %.128s)",
                     what[k], got[k]->name);
            return ERR_INVALID;
        }
        got[k] = &files[i];
    }
    err->file[0] = '\0';
    if (got[WL_OFAC_SDN] == NULL) {
        snprintf(err->message, sizeof err->message,
                 "the ofac format needs the SDN file (sdn.csv, rows of 12 fields), with "
                 "alt.csv and add.csv if present");
        return ERR_INVALID;
    }
    set->sdn = got[WL_OFAC_SDN]->data, set->sdn_len = got[WL_OFAC_SDN]->len;
    set->sdn_name = got[WL_OFAC_SDN]->name;
    if (got[WL_OFAC_ALT] != NULL) {
        set->alt = got[WL_OFAC_ALT]->data, set->alt_len = got[WL_OFAC_ALT]->len;
        set->alt_name = got[WL_OFAC_ALT]->name;
    }
    if (got[WL_OFAC_ADD] != NULL) {
        set->add = got[WL_OFAC_ADD]->data, set->add_len = got[WL_OFAC_ADD]->len;
        set->add_name = got[WL_OFAC_ADD]->name;
    }
    return 0;
}

bool watchlist_import_format_known(const char *format)
{
    static const char *const formats[] = {"csv", "jsonl", "ofac", "un"};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (format != NULL && strcmp(format, formats[i]) == 0)
            return true;
    return false;
}

static int parse_all(struct import_ctx *ic, const char *format, const char *list,
                     const struct watchlist_file *files, size_t nfiles, struct wl_error *err)
{
    int r = 0;
    if (strcmp(format, "ofac") == 0) {
        struct wl_ofac_set set;
        r = ofac_files(files, nfiles, &set, err);
        return r != 0 ? r : wl_parse_ofac_set(&set, list, sink, ic, err);
    }
    if (!watchlist_import_format_known(format)) {
        snprintf(err->message, sizeof err->message,
                 "unknown format '%.32s' (csv, jsonl, ofac, un)", format);
        return ERR_INVALID;
    }
    for (size_t i = 0; i < nfiles && r == 0; i++) {
        const struct watchlist_file *f = &files[i];
        if (strcmp(format, "csv") == 0)
            r = wl_parse_csv(f->data, f->len, f->name, list, "csv", sink, ic, err);
        else if (strcmp(format, "jsonl") == 0)
            r = wl_parse_jsonl(f->data, f->len, f->name, list, "jsonl", sink, ic, err);
        else
            r = wl_parse_un(f->data, f->len, f->name, list, sink, ic, err);
    }
    return r;
}

int watchlist_import(struct svc *s, const struct actor *who, const char *format,
                     const char *list, const struct watchlist_file *files, size_t nfiles,
                     struct watchlist_import_counts *counts, struct buf *why)
{
    struct import_ctx ic = {.s = s, .who = who, .now = time_now_ms(), .counts = counts};
    struct wl_error err;
    memset(&err, 0, sizeof err);
    memset(counts, 0, sizeof *counts);
    if (list == NULL) {
        list = strcmp(format, "ofac") == 0 ? "OFAC" : strcmp(format, "un") == 0 ? "UN" : "local";
    }
    int r = store_begin(s->st, true);
    if (r < 0)
        return r;
    r = parse_all(&ic, format, list, files, nfiles, &err);
    int64_t pruned = 0;
    if (r == 0)
        r = store_wl_changes_prune(s->st, ic.now - WL_CHANGES_KEEP_MS, &pruned);
    if (r == 0) {
        char detail[256];
        snprintf(detail, sizeof detail, "format=%s list=%s files=%zu created=%zu updated=%zu",
                 format, list, nfiles, counts->created, counts->updated);
        r = audit_append(s->st, who, "watchlist.import", "watchlist", list, "ok", detail);
    }
    if (r == 0)
        r = store_commit(s->st);
    if (r < 0) {
        store_rollback(s->st);
        if (err.message[0] != '\0') {
            char msg[700];
            wl_error_format(&err, msg, sizeof msg);
            buf_puts(why, msg);
        }
        memset(counts, 0, sizeof *counts);
        return r == ERR_LIMIT ? ERR_INVALID : r;
    }
    /* the import is committed: a failure to apply it here is the next
     * match's to retry, not the import's error */
    if (s->wl != NULL && wl_sync(s->wl, true) < 0)
        log_msg(LOG_ERROR, "watchlist: the import is stored but not yet in this index; the "
                           "next match applies it");
    return 0;
}
