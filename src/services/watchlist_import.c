/* watchlist_import: all-or-nothing imports of the CSV, JSON-lines, OFAC SDN
 * and UN consolidated list formats.
 *
 * Pass one parses every file and writes every entry inside one
 * transaction; any bad row rolls the whole import back, and its error names
 * the file, line and field. After the commit, pass two parses the files
 * again (parsing is deterministic, so the entries come in the same order)
 * and puts each entry into the index under the store id pass one recorded. */
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
#include "util/timeutil.h"

struct import_ctx {
    struct svc *s;
    const struct actor *who;
    int64_t now;
    bool second_pass;
    int64_t *ids;
    size_t n, cap;
    size_t pos;
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
    if (ic->n == ic->cap) {
        size_t cap = ic->cap ? ic->cap * 2 : 1024;
        int64_t *p = reallocarray(ic->ids, cap, sizeof *p);
        if (p == NULL)
            return ERR_NOMEM;
        ic->ids = p;
        ic->cap = cap;
    }
    ic->ids[ic->n++] = id;
    if (created)
        ic->counts->created++;
    else
        ic->counts->updated++;
    return 0;
}

static int sink(void *p, struct wl_entry *e)
{
    struct import_ctx *ic = p;
    if (!ic->second_pass)
        return write_entry(ic, e);
    if (ic->pos >= ic->n)
        return ERR_INTERNAL;
    return wl_index_put(ic->s->wl, ic->ids[ic->pos++], e);
}

static const struct watchlist_file *find_file(const struct watchlist_file *files, size_t n,
                                              const char *suffix)
{
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(files[i].name), sl = strlen(suffix);
        if (l >= sl && strcmp(files[i].name + l - sl, suffix) == 0)
            return &files[i];
    }
    return NULL;
}

static int parse_all(struct import_ctx *ic, const char *format, const char *list,
                     const struct watchlist_file *files, size_t nfiles, struct wl_error *err)
{
    int r = 0;
    if (strcmp(format, "ofac") == 0) {
        const struct watchlist_file *sdn = find_file(files, nfiles, "sdn.csv");
        const struct watchlist_file *alt = find_file(files, nfiles, "alt.csv");
        const struct watchlist_file *add = find_file(files, nfiles, "add.csv");
        if (sdn == NULL) {
            snprintf(err->message, sizeof err->message,
                     "the ofac format needs sdn.csv (with alt.csv and add.csv if present)");
            return ERR_INVALID;
        }
        return wl_parse_ofac(sdn->data, sdn->len, alt ? alt->data : NULL, alt ? alt->len : 0,
                             add ? add->data : NULL, add ? add->len : 0, list, sink, ic, err);
    }
    for (size_t i = 0; i < nfiles && r == 0; i++) {
        const struct watchlist_file *f = &files[i];
        if (strcmp(format, "csv") == 0)
            r = wl_parse_csv(f->data, f->len, f->name, list, "csv", sink, ic, err);
        else if (strcmp(format, "jsonl") == 0)
            r = wl_parse_jsonl(f->data, f->len, f->name, list, "jsonl", sink, ic, err);
        else if (strcmp(format, "un") == 0)
            r = wl_parse_un(f->data, f->len, f->name, list, sink, ic, err);
        else {
            snprintf(err->message, sizeof err->message,
                     "unknown format '%s' (csv, jsonl, ofac, un)", format);
            r = ERR_INVALID;
        }
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
        free(ic.ids);
        return r == ERR_LIMIT ? ERR_INVALID : r;
    }
    ic.second_pass = true;
    memset(&err, 0, sizeof err);
    r = parse_all(&ic, format, list, files, nfiles, &err);
    free(ic.ids);
    return r;
}
