/* watchlist_json: watchlist entries to and from their JSON form, and the
 * index kept in step with the store. */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "services/watchlist.h"
#include "services/watchlist_int.h"
#include "util/buf.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/timeutil.h"

static void set_str(json_t *o, const char *key, const char *v)
{
    if (v != NULL && *v != '\0')
        json_object_set_new(o, key, json_string(v));
}

static void set_date(json_t *o, const char *key, int32_t days)
{
    if (days == WL_NO_DATE)
        return;
    char d[16];
    time_format_date(d, (int64_t)days * 86400000);
    json_object_set_new(o, key, json_string(d));
}

static void add_names(json_t *o, const struct wl_entry *e)
{
    json_t *strong = json_array(), *weak = json_array();
    for (size_t i = 1; i < e->nnames; i++)
        json_array_append_new(e->names[i].weak ? weak : strong, json_string(e->names[i].name));
    if (e->nnames > 0)
        set_str(o, "name", e->names[0].name);
    if (json_array_size(strong))
        json_object_set(o, "aliases", strong);
    if (json_array_size(weak))
        json_object_set(o, "weak_aliases", weak);
    json_decref(strong);
    json_decref(weak);
}

static void add_facts(json_t *o, const struct wl_entry *e)
{
    json_t *dob = json_array(), *nat = json_array(), *docs = json_array();
    for (size_t i = 0; i < e->facts.ndob; i++) {
        char d[32];
        names_date_format(&e->facts.dob[i], d, sizeof d);
        json_array_append_new(dob, json_string(d));
    }
    for (size_t i = 0; i < e->facts.nnat; i++)
        json_array_append_new(nat, json_string(e->facts.nat[i]));
    for (size_t i = 0; i < e->ndocs; i++)
        json_array_append_new(docs, json_string(e->docs[i].number));
    if (e->ndocs == 0) {
        for (size_t i = 0; i < e->facts.ndoc; i++)
            json_array_append_new(docs, json_string(e->facts.doc[i]));
    }
    if (json_array_size(dob))
        json_object_set(o, "birth_date", dob);
    if (json_array_size(nat))
        json_object_set(o, "nationality", nat);
    if (json_array_size(docs))
        json_object_set(o, "document_numbers", docs);
    json_decref(dob);
    json_decref(nat);
    json_decref(docs);
}

json_t *wl_body_json(const struct wl_entry *e)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    set_str(o, "id", e->id);
    set_str(o, "list", e->list);
    set_str(o, "source", e->source);
    set_str(o, "kind", wl_kind_str(e->kind));
    add_names(o, e);
    add_facts(o, e);
    set_str(o, "phone", e->phone);
    set_str(o, "category", wl_category_str(e->category));
    set_str(o, "action", wl_action_str(e->action));
    set_date(o, "valid_from", e->valid_from);
    set_date(o, "valid_until", e->valid_until);
    set_date(o, "review_date", e->review_date);
    set_str(o, "legal_basis", e->legal_basis);
    set_str(o, "owner", e->owner);
    set_str(o, "created_by", e->created_by);
    set_str(o, "notes", e->notes);
    return o;
}

struct one_entry {
    struct wl_entry *e;
    int n;
};

static int take_one(void *ctx, struct wl_entry *e)
{
    struct one_entry *one = ctx;
    if (one->n++ > 0)
        return ERR_INVALID;
    *one->e = *e; /* moved out */
    wl_entry_init(e);
    return 0;
}

int wl_entry_from_json(json_t *obj, const char *list, struct wl_entry *e, struct buf *why)
{
    struct buf line;
    struct wl_error err;
    struct one_entry one = {.e = e};
    wl_entry_init(e);
    buf_init(&line, LIMIT_LINE);
    int r = json_dump_buf(obj, &line);
    if (r < 0) {
        buf_puts(why, "body: entry too large");
        buf_free(&line);
        return ERR_INVALID;
    }
    memset(&err, 0, sizeof err);
    r = wl_parse_jsonl(line.data, line.len, "body", list, NULL, take_one, &one, &err);
    buf_free(&line);
    if (r < 0) {
        if (err.field[0] != '\0')
            buf_printf(why, "field '%s': %s", err.field, err.message);
        else
            buf_printf(why, "entry: %s", err.message[0] ? err.message : err_str(r));
        wl_entry_free(e);
        return ERR_INVALID;
    }
    return 0;
}

void wl_row_from_entry(const struct wl_entry *e, const char *bodytxt, char valid_until[16],
                       struct store_wl_row *row)
{
    memset(row, 0, sizeof *row);
    row->list = e->list ? e->list : "local";
    row->source_id = e->id;
    row->kind = wl_kind_str(e->kind);
    row->category = wl_category_str(e->category);
    row->action = wl_action_str(e->action);
    row->primary_name = e->nnames > 0 ? e->names[0].name : "";
    row->valid_until = NULL;
    if (e->valid_until != WL_NO_DATE) {
        time_format_date(valid_until, (int64_t)e->valid_until * 86400000);
        row->valid_until = valid_until;
    }
    row->body = bodytxt;
    row->created_by = e->created_by;
}

int wl_index_put(struct watchlist *wl, int64_t id, const struct wl_entry *e)
{
    /* The index knows an entry by its store id, which is also the entry_id
     * that matches report; the source id stays in the stored body. */
    char key[24];
    snprintf(key, sizeof key, "%" PRId64, id);
    struct wl_entry view = *e;
    view.id = key;
    int64_t max = atomic_load(&wl->max_id);
    while (id > max && !atomic_compare_exchange_weak(&wl->max_id, &max, id)) {
    }
    return name_index_put(wl->idx, &view);
}

json_t *wl_row_json(const struct store_wl_row *row)
{
    json_error_t jerr;
    json_t *o = json_loads(row->body, 0, &jerr);
    if (o == NULL || !json_is_object(o)) {
        json_decref(o);
        return NULL;
    }
    char id[24], created[32], updated[32];
    snprintf(id, sizeof id, "%" PRId64, row->id);
    time_format_iso(created, row->created_ms);
    time_format_iso(updated, row->updated_ms);
    json_object_set_new(o, "entry_id", json_string(id));
    json_object_set_new(o, "list", json_string(row->list));
    json_object_set_new(o, "created_at", json_string(created));
    json_object_set_new(o, "updated_at", json_string(updated));
    if (row->created_by[0] != '\0')
        json_object_set_new(o, "created_by", json_string(row->created_by));
    return o;
}
