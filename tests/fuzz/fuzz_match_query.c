/* Fuzz harness: a match query as `lintas match` and POST /api/v1/match
 * read it — the JSON text decoded (bounded), checked and turned into a
 * name query by watchlist_query_from_json, the one validation of both —
 * then run against a tiny index that holds a person, a document and a
 * phone entry. The input's bytes are also read as a phone number and a
 * document number, as the index and the departure sponsor read them. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/name_index.h"
#include "domain/names.h"
#include "domain/watchlist.h"
#include "services/watchlist.h"
#include "util/buf.h"
#include "util/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct name_index *ix;

static void put(const char *id, enum wl_kind kind, const char *name, const char *phone,
                const char *doc)
{
    struct wl_entry e;
    wl_entry_init(&e);
    wl_set_str(&e.id, id);
    e.kind = kind;
    if (name != NULL)
        wl_entry_add_name(&e, name, false);
    if (phone != NULL)
        wl_set_str(&e.phone, phone);
    if (doc != NULL)
        names_facts_add_doc(&e.facts, doc);
    names_facts_add_dob(&e.facts, "1970-01-02");
    names_facts_add_nat(&e.facts, "IDN");
    if (name_index_put(ix, &e) != 0)
        abort();
    wl_entry_free(&e);
}

static void setup(void)
{
    if (ix != NULL)
        return;
    if (name_index_new(&ix) != 0)
        abort();
    put("P1", WL_KIND_PERSON, "Muhammad Sholeh Ibrahim", NULL, "B1234567");
    put("D1", WL_KIND_DOCUMENT, NULL, NULL, "C7654321");
    put("T1", WL_KIND_PHONE, NULL, "+62 811 000 1234", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char out[NAMES_DOC_MAX];
    if (names_phone_normalise(text, out) == 0 && strlen(out) >= NAMES_DOC_MAX)
        abort();
    if (names_doc_normalise(text, out) == 0 && strlen(out) >= NAMES_DOC_MAX)
        abort();
    struct buf why;
    buf_init(&why, 1024);
    json_t *obj = NULL;
    if (json_decode_object(text, size, &obj, &why) == 0) {
        struct name_query q;
        memset(&q, 0, sizeof q);
        buf_reset(&why);
        if (watchlist_query_from_json(obj, &q, &why) == 0) {
            struct name_matches ms;
            q.threshold = 0;
            q.limit = 5;
            q.explain = true;
            (void)name_index_query(ix, &q, &ms);
            name_matches_free(&ms);
        } else if (why.len == 0) {
            abort(); /* a refused query always says why */
        }
        json_decref(obj);
    }
    buf_free(&why);
    free(text);
    return 0;
}
