/* watchlist: watchlist entries, their validation and the CSV / JSON-lines
 * import parsers (see watchlist.h). Both formats share one field setter,
 * so a column and a JSON key with the same name mean the same thing;
 * multi-valued fields are '|'-separated in CSV and may be arrays in JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "domain/watchlist.h"
#include "util/csv.h"
#include "util/errors.h"
#include "util/json.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/timeutil.h"

static const char *const kinds[] = {"", "person", "organization", "document", "phone", "address"};
static const char *const categories[] = {"",
                                         "trafficker",
                                         "recruiter",
                                         "facilitator",
                                         "protected_victim",
                                         "lost_stolen_document",
                                         "wanted",
                                         "sanctioned",
                                         "other"};
static const char *const actions[] = {"", "refuse_departure", "secondary_inspection",
                                      "notify_focal_point", "protect"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define WL_WHY_MAX 192 /* bytes of a composed field error message */

static const char *enum_str(const char *const *t, size_t n, int v)
{
    return v > 0 && (size_t)v < n ? t[v] : "";
}

static int enum_parse(const char *const *t, size_t n, const char *s, int *out)
{
    for (size_t i = 1; s != NULL && i < n; i++)
        if (strcmp(s, t[i]) == 0)
            return *out = (int)i, 0;
    return ERR_INVALID;
}

const char *wl_kind_str(int v) { return enum_str(kinds, COUNT(kinds), v); }
const char *wl_category_str(int v) { return enum_str(categories, COUNT(categories), v); }
const char *wl_action_str(int v) { return enum_str(actions, COUNT(actions), v); }
int wl_kind_parse(const char *s, int *o) { return enum_parse(kinds, COUNT(kinds), s, o); }
int wl_category_parse(const char *s, int *o)
{
    return enum_parse(categories, COUNT(categories), s, o);
}
int wl_action_parse(const char *s, int *o) { return enum_parse(actions, COUNT(actions), s, o); }

void wl_entry_init(struct wl_entry *e)
{
    memset(e, 0, sizeof *e);
    e->valid_from = e->valid_until = e->review_date = WL_NO_DATE;
}

void wl_entry_free(struct wl_entry *e)
{
    if (e == NULL)
        return;
    free(e->id), free(e->list), free(e->source), free(e->phone);
    free(e->legal_basis), free(e->owner), free(e->created_by), free(e->notes);
    for (size_t i = 0; i < e->nnames; i++)
        free(e->names[i].name);
    free(e->names);
    for (size_t i = 0; i < e->ndocs; i++)
        free(e->docs[i].type), free(e->docs[i].number);
    free(e->docs);
    wl_entry_init(e);
}

int wl_set_str(char **field, const char *s)
{
    free(*field);
    *field = NULL;
    if (s == NULL || s[0] == '\0')
        return 0;
    size_t l = strlen(s) + 1;
    *field = malloc(l);
    if (*field == NULL)
        return ERR_NOMEM;
    memcpy(*field, s, l);
    return 0;
}

int wl_entry_copy(struct wl_entry *dst, const struct wl_entry *src)
{
    int r = ERR_NOMEM;
    wl_entry_init(dst);
    dst->kind = src->kind, dst->category = src->category, dst->action = src->action;
    dst->facts = src->facts;
    dst->valid_from = src->valid_from, dst->valid_until = src->valid_until;
    dst->review_date = src->review_date;
    if (wl_set_str(&dst->id, src->id) || wl_set_str(&dst->list, src->list) ||
        wl_set_str(&dst->source, src->source) || wl_set_str(&dst->phone, src->phone) ||
        wl_set_str(&dst->legal_basis, src->legal_basis) || wl_set_str(&dst->owner, src->owner) ||
        wl_set_str(&dst->created_by, src->created_by) || wl_set_str(&dst->notes, src->notes))
        goto out;
    for (size_t i = 0; i < src->nnames; i++)
        if (wl_entry_add_name(dst, src->names[i].name, src->names[i].weak) != 0)
            goto out;
    dst->facts.ndoc = 0;
    for (size_t i = 0; i < src->ndocs; i++)
        if (wl_entry_add_doc(dst, src->docs[i].type, src->docs[i].number, src->docs[i].country))
            goto out;
    dst->facts = src->facts;
    r = 0;
out:
    if (r != 0)
        wl_entry_free(dst);
    return r;
}

int wl_entry_add_name(struct wl_entry *e, const char *name, bool weak)
{
    size_t l = name != NULL ? strlen(name) : 0;
    while (l > 0 && (name[0] == ' ' || name[0] == '\t'))
        name++, l--;
    while (l > 0 && (name[l - 1] == ' ' || name[l - 1] == '\t'))
        l--;
    if (l == 0)
        return 0;
    if (l > LIMIT_NAME)
        return ERR_LIMIT;
    if (text_check_free(name, l, LIMIT_NAME, false) != NULL)
        return ERR_INVALID;
    for (size_t i = 0; i < e->nnames; i++)
        if (strlen(e->names[i].name) == l && memcmp(e->names[i].name, name, l) == 0)
            return 0;
    if (e->nnames >= WL_MAX_NAMES)
        return ERR_LIMIT;
    struct wl_name *n = reallocarray(e->names, e->nnames + 1, sizeof *n);
    if (n == NULL)
        return ERR_NOMEM;
    e->names = n;
    char *c = malloc(l + 1);
    if (c == NULL)
        return ERR_NOMEM;
    memcpy(c, name, l);
    c[l] = '\0';
    e->names[e->nnames++] = (struct wl_name){c, weak};
    return 0;
}

/* Whether two parts of a document agree: equal (letter case aside), or one
 * is missing. */
static bool part_agrees(const char *a, const char *b)
{
    return a == NULL || a[0] == '\0' || b == NULL || b[0] == '\0' || strcasecmp(a, b) == 0;
}

static bool in_facts(const struct names_facts *f, const char *norm)
{
    for (size_t i = 0; i < f->ndoc; i++)
        if (strcmp(f->doc[i], norm) == 0)
            return true;
    return false;
}

/* The document of e with the number norm whose type and country agree
 * with these, or NULL. */
static struct wl_document *same_doc(struct wl_entry *e, const char *norm, const char *type,
                                    const char *country)
{
    char d[NAMES_DOC_MAX];
    for (size_t i = 0; i < e->ndocs; i++) {
        struct wl_document *x = &e->docs[i];
        if (names_doc_normalise(x->number, d) == 0 && strcmp(d, norm) == 0 &&
            part_agrees(x->type, type) && part_agrees(x->country, country))
            return x;
    }
    return NULL;
}

int wl_entry_add_doc(struct wl_entry *e, const char *type, const char *number,
                     const char *country)
{
    char norm[NAMES_DOC_MAX], code[4] = "";
    size_t tl = type != NULL ? strlen(type) : 0, nl = number != NULL ? strlen(number) : 0;
    if (tl > WL_MAX_DOC_TYPE)
        return ERR_LIMIT;
    if ((tl > 0 && text_check_free(type, tl, WL_MAX_DOC_TYPE, false) != NULL) ||
        (nl > 0 && text_check_free(number, nl, nl, false) != NULL))
        return ERR_INVALID;
    int r = names_doc_normalise(number, norm);
    if (r != 0)
        return r;
    if (country != NULL && country[0] != '\0')
        (void)names_country_code(country, code);
    struct wl_document *d = same_doc(e, norm, type, code);
    if (d != NULL) {
        if ((d->type == NULL && tl > 0 && wl_set_str(&d->type, type) != 0))
            return ERR_NOMEM;
        if (d->country[0] == '\0')
            memcpy(d->country, code, sizeof code);
        return 0;
    }
    /* what is matched is what is kept: a number past NAMES_MAX_DOC, or a
     * document past WL_MAX_DOCS, is neither */
    if (e->ndocs >= WL_MAX_DOCS)
        return 0;
    if ((r = names_facts_add_doc(&e->facts, number)) != 0)
        return r;
    if (!in_facts(&e->facts, norm))
        return 0;
    /* a number written with more than WL_MAX_DOC_NUMBER bytes (separators)
     * is kept in its normal form */
    if (nl > WL_MAX_DOC_NUMBER)
        number = norm;
    d = reallocarray(e->docs, e->ndocs + 1, sizeof *d);
    if (d == NULL)
        return ERR_NOMEM;
    e->docs = d;
    d = &e->docs[e->ndocs];
    memset(d, 0, sizeof *d);
    if (wl_set_str(&d->type, type) != 0 || wl_set_str(&d->number, number) != 0) {
        free(d->type);
        return ERR_NOMEM;
    }
    memcpy(d->country, code, sizeof code);
    e->ndocs++;
    return 0;
}

int wl_entry_validate(const struct wl_entry *e, const char **field)
{
    *field = "id";
    if (e->id == NULL || strlen(e->id) > WL_MAX_ID ||
        text_check_free(e->id, strlen(e->id), WL_MAX_ID, false) != NULL)
        return ERR_INVALID;
    *field = "kind";
    if (e->kind <= WL_KIND_NONE || e->kind > WL_KIND_ADDRESS)
        return ERR_INVALID;
    *field = "name";
    if ((e->kind == WL_KIND_PERSON || e->kind == WL_KIND_ORGANIZATION ||
         e->kind == WL_KIND_ADDRESS) && e->nnames == 0)
        return ERR_INVALID;
    *field = "document_numbers";
    if (e->kind == WL_KIND_DOCUMENT && e->facts.ndoc == 0)
        return ERR_INVALID;
    *field = "phone";
    if (e->kind == WL_KIND_PHONE && (e->phone == NULL || e->phone[0] == '\0'))
        return ERR_INVALID;
    *field = "valid_until";
    if (e->valid_from != WL_NO_DATE && e->valid_until != WL_NO_DATE &&
        e->valid_until < e->valid_from)
        return ERR_INVALID;
    *field = "";
    return 0;
}

bool wl_entry_active(const struct wl_entry *e, int32_t today)
{
    if (e->valid_from != WL_NO_DATE && today < e->valid_from)
        return false;
    return e->valid_until == WL_NO_DATE || today <= e->valid_until;
}

void wl_error_format(const struct wl_error *err, char *out, size_t outsz)
{
    char where[300] = "", fld[80] = "";
    if (err->file[0] != '\0' && err->line > 0)
        snprintf(where, sizeof where, "%s:%zu: ", err->file, err->line);
    else if (err->file[0] != '\0')
        snprintf(where, sizeof where, "%s: ", err->file);
    if (err->field[0] != '\0')
        snprintf(fld, sizeof fld, "field '%s': ", err->field);
    snprintf(out, outsz, "%s%s%s", where, fld, err->message);
}

static int add_primary(struct wl_entry *e, const char *val)
{
    size_t before = e->nnames;
    int r = wl_entry_add_name(e, val, false);
    if (r != 0 || e->nnames == before)
        return r;
    struct wl_name p = e->names[e->nnames - 1];
    memmove(e->names + 1, e->names, (e->nnames - 1) * sizeof *e->names);
    e->names[0] = p;
    return 0;
}

static int set_date(int32_t *out, const char *val, const char **why)
{
    int64_t d;
    if (time_parse_date(val, &d) != 0) {
        *why = "must be a date YYYY-MM-DD";
        return ERR_INVALID;
    }
    *out = (int32_t)d;
    return 0;
}

/* Reads v as an ICAO 9303 code (letter case free) into code. Two-letter
 * codes and country names are refused with the code to use; what ("" or
 * "issuer: ") starts the message, which tmp (WL_WHY_MAX bytes) holds. */
static int country_strict(const char *v, const char *what, char code[4], const char **why,
                          char *tmp)
{
    char up[4] = "";
    size_t l = strlen(v), letters = 0;
    for (size_t i = 0; i < l; i++)
        letters += (v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= 'a' && v[i] <= 'z');
    for (size_t i = 0; i < l && i < 3; i++)
        up[i] = (char)(v[i] >= 'a' && v[i] <= 'z' ? v[i] - 32 : v[i]);
    up[l < 3 ? l : 3] = '\0';
    *why = tmp;
    if (names_country_code(v, code) != 0) {
        snprintf(tmp, WL_WHY_MAX, "%sunknown country code '%.32s'", what, v);
        return ERR_INVALID;
    }
    /* The code itself ("IDN", "idn", "D"), or an ISO alpha-3 alias of it
     * ("DEU" for D), as accepted before. */
    if (letters == l && (l == 3 || strcmp(up, code) == 0))
        return 0;
    snprintf(tmp, WL_WHY_MAX, "%s'%.64s': use the ICAO %s code (%s)", what, v,
             strlen(code) == 3 ? "three-letter" : "9303", code);
    return ERR_INVALID;
}

/* Adds one nationality, which must be an ICAO 9303 code (country_strict). */
static int add_nat(struct wl_entry *e, const char *v, const char **why, char *tmp)
{
    char code[4];
    int r = country_strict(v, "", code, why, tmp);
    return r != 0 ? r : names_facts_add_nat(&e->facts, code);
}

/* Adds a document of the "documents" field from its parts (NUL-terminated;
 * type and issuer may be ""). */
static int doc_parts(struct wl_entry *e, const char *type, const char *issuer, const char *number,
                     const char **why, char *tmp)
{
    char code[4] = "", norm[NAMES_DOC_MAX];
    int r;
    *why = tmp;
    if (number[0] == '\0') {
        snprintf(tmp, WL_WHY_MAX, "a document without its number");
        return ERR_INVALID;
    }
    if (text_check_free(number, strlen(number), WL_MAX_DOC_NUMBER, false) != NULL ||
        names_doc_normalise(number, norm) != 0) {
        snprintf(tmp, WL_WHY_MAX,
                 "document number '%.64s': not printable text of at most %u bytes with 1 to "
                 "%u letters or digits",
                 number, (unsigned)WL_MAX_DOC_NUMBER, (unsigned)NAMES_DOC_MAX - 1);
        return ERR_INVALID;
    }
    if (text_check_free(type, strlen(type), WL_MAX_DOC_TYPE, false) != NULL) {
        snprintf(tmp, WL_WHY_MAX, "document type '%.64s': not printable text of at most %u bytes",
                 type, (unsigned)WL_MAX_DOC_TYPE);
        return ERR_INVALID;
    }
    if (issuer[0] != '\0' && (r = country_strict(issuer, "issuer: ", code, why, tmp)) != 0)
        return r;
    *why = "out of memory"; /* all that is left to fail */
    return wl_entry_add_doc(e, type, number, code);
}

#define WL_DOC_ITEM_MAX (WL_MAX_DOC_TYPE + WL_MAX_DOC_NUMBER + 16) /* bytes of one item */

/* Adds one "TYPE:ISSUER:NUMBER" item (see watchlist.h): the number after
 * the last ':', the issuer before it, the type the rest. */
static int doc_item(struct wl_entry *e, const char *item, size_t len, const char **why, char *tmp)
{
    char type[WL_DOC_ITEM_MAX + 1], issuer[WL_DOC_ITEM_MAX + 1], number[WL_DOC_ITEM_MAX + 1];
    size_t c2 = len, c1;
    *why = tmp;
    if (len > WL_DOC_ITEM_MAX) {
        snprintf(tmp, WL_WHY_MAX, "a document of more than %u bytes", (unsigned)WL_DOC_ITEM_MAX);
        return ERR_INVALID;
    }
    while (c2 > 0 && item[c2 - 1] != ':')
        c2--;
    c1 = c2 > 0 ? c2 - 1 : 0;
    while (c1 > 0 && item[c1 - 1] != ':')
        c1--;
    if (c2 == 0 || c1 == 0) {
        snprintf(tmp, WL_WHY_MAX,
                 "'%.*s': expected TYPE:ISSUER:NUMBER (type and issuer may "
                 "be empty: ::B1234567)",
                 (int)(len < 64 ? len : 64), item);
        return ERR_INVALID;
    }
    text_copy_trimmed(type, sizeof type, item, c1 - 1);
    text_copy_trimmed(issuer, sizeof issuer, item + c1, c2 - 1 - c1);
    text_copy_trimmed(number, sizeof number, item + c2, len - c2);
    return doc_parts(e, type, issuer, number, why, tmp);
}

/* The "documents" text: '|'-separated items, empty ones skipped. */
static int set_docs(struct wl_entry *e, const char *val, const char **why, char *tmp)
{
    const char *p = val;
    for (;;) {
        const char *bar = strchr(p, '|');
        size_t l = bar != NULL ? (size_t)(bar - p) : strlen(p), k = 0;
        while (k < l && p[k] == ' ')
            k++;
        if (k < l) {
            int r = doc_item(e, p, l, why, tmp);
            if (r != 0)
                return r;
        }
        if (bar == NULL)
            return 0;
        p = bar + 1;
    }
}

/* Applies one value of a multi-valued field. */
static int set_one(struct wl_entry *e, const char *key, const char *v, const char **why,
                   char *tmp)
{
    int r;
    if (strcmp(key, "aliases") == 0 || strcmp(key, "weak_aliases") == 0) {
        r = wl_entry_add_name(e, v, key[0] == 'w');
        *why = r == ERR_LIMIT ? "too many names or a name too long" : "is not valid text";
    } else if (strcmp(key, "birth_date") == 0) {
        r = names_facts_add_dob_strict(&e->facts, v);
        *why = "must be a valid date YYYY, YYYY-MM, YYYY-MM-DD or a range YYYY..YYYY";
    } else if (strcmp(key, "nationality") == 0) {
        r = add_nat(e, v, why, tmp);
    } else {
        r = wl_entry_add_doc(e, NULL, v, NULL);
        *why = "document number is not valid text, or has no letter or digit, or more than 31";
    }
    /* ERR_NOTFOUND from a helper is a bad value here, not an unknown key. */
    return r == ERR_NOTFOUND ? ERR_INVALID : r;
}

static bool is_multi(const char *key)
{
    return strcmp(key, "aliases") == 0 || strcmp(key, "weak_aliases") == 0 ||
           strcmp(key, "birth_date") == 0 || strcmp(key, "nationality") == 0 ||
           strcmp(key, "document_numbers") == 0;
}

static int set_multi(struct wl_entry *e, const char *key, const char *val, const char **why,
                     char *tmp)
{
    char part[LIMIT_NAME + 1];
    const char *p = val;
    for (;;) {
        const char *bar = strchr(p, '|');
        size_t l = bar != NULL ? (size_t)(bar - p) : strlen(p);
        while (l > 0 && *p == ' ')
            p++, l--;
        while (l > 0 && p[l - 1] == ' ')
            l--;
        if (l > LIMIT_NAME) {
            *why = "value too long";
            return ERR_LIMIT;
        }
        memcpy(part, p, l);
        part[l] = '\0';
        if (l > 0) {
            int r = set_one(e, key, part, why, tmp);
            if (r != 0)
                return r;
        }
        if (bar == NULL)
            return 0;
        p = bar + 1;
    }
}

static char **str_field(struct wl_entry *e, const char *key)
{
    static const char *const keys[] = {"id", "list", "source", "phone", "legal_basis",
                                       "owner", "created_by", "notes"};
    char **fields[] = {&e->id, &e->list, &e->source, &e->phone, &e->legal_basis,
                       &e->owner, &e->created_by, &e->notes};
    for (size_t i = 0; i < COUNT(keys); i++)
        if (strcmp(key, keys[i]) == 0)
            return fields[i];
    return NULL;
}

/* Sets field key from text val. ERR_NOTFOUND for an unknown key; otherwise
 * 0 or an error with *why saying what is wrong (static text, or tmp of
 * WL_WHY_MAX bytes). */
static int set_field(struct wl_entry *e, const char *key, const char *val, const char **why,
                     char *tmp)
{
    char **s;
    *why = "is not valid";
    if (is_multi(key))
        return set_multi(e, key, val, why, tmp);
    if (strcmp(key, "documents") == 0)
        return set_docs(e, val, why, tmp);
    if (strcmp(key, "name") == 0) {
        *why = "is not valid text or is too long";
        return add_primary(e, val);
    }
    if (strcmp(key, "kind") == 0)
        return *why = "must be person, organization, document, phone or address",
               wl_kind_parse(val, &e->kind);
    if (strcmp(key, "category") == 0)
        return *why = "unknown category", wl_category_parse(val, &e->category);
    if (strcmp(key, "action") == 0)
        return *why = "unknown action", wl_action_parse(val, &e->action);
    if (strcmp(key, "valid_from") == 0)
        return set_date(&e->valid_from, val, why);
    if (strcmp(key, "valid_until") == 0)
        return set_date(&e->valid_until, val, why);
    if (strcmp(key, "review_date") == 0)
        return set_date(&e->review_date, val, why);
    if ((s = str_field(e, key)) != NULL) {
        size_t max = strcmp(key, "notes") == 0 || strcmp(key, "legal_basis") == 0 ? WL_MAX_FIELD
                                                                                   : WL_MAX_ID;
        *why = "is not valid text or is too long";
        if (text_check_free(val, strlen(val), max, strcmp(key, "notes") == 0) != NULL)
            return ERR_INVALID;
        return wl_set_str(s, val);
    }
    return ERR_NOTFOUND;
}

static void set_err(struct wl_error *err, const char *file, size_t line, const char *field,
                    const char *msg)
{
    snprintf(err->file, sizeof err->file, "%s", file != NULL ? file : "-");
    err->line = line;
    snprintf(err->field, sizeof err->field, "%s", field != NULL ? field : "");
    snprintf(err->message, sizeof err->message, "%s", msg);
}

/* Defaults, list and source, validation, then the sink. */
static int finish(struct wl_entry *e, const char *file, size_t line, const char *list,
                  const char *source, wl_sink_fn sink, void *ctx, struct wl_error *err)
{
    const char *field;
    if (e->kind == WL_KIND_NONE)
        e->kind = WL_KIND_PERSON;
    if ((list != NULL && e->list == NULL && wl_set_str(&e->list, list) != 0) ||
        (source != NULL && e->source == NULL && wl_set_str(&e->source, source) != 0))
        return ERR_NOMEM;
    if (wl_entry_validate(e, &field) != 0) {
        set_err(err, file, line, field, field[0] == 'i' ? "required, printable, at most 128 bytes"
                                                        : "missing or inconsistent");
        return ERR_INVALID;
    }
    int r = sink(ctx, e);
    if (r != 0)
        set_err(err, file, line, "", "the entry was not accepted");
    return r;
}

static const char *const csv_columns[] = {
    "id",           "kind",       "name",        "aliases",
    "weak_aliases", "birth_date", "nationality", "document_numbers",
    "category",     "action",     "valid_from",  "valid_until",
    "review_date",  "notes",      "list",        "source",
    "legal_basis",  "owner",      "created_by",  "phone",
    "documents",
};

static int csv_header(struct csv *c, const char *file, int *col, struct wl_error *err)
{
    bool has_id = false;
    for (size_t i = 0; i < c->nfields; i++) {
        const char *h = csv_field(c, i);
        col[i] = -1;
        for (size_t k = 0; k < COUNT(csv_columns); k++)
            if (strcmp(h, csv_columns[k]) == 0)
                col[i] = (int)k;
        for (size_t j = 0; j < i && col[i] >= 0; j++)
            if (col[j] == col[i]) {
                set_err(err, file, c->line, h, "duplicate column");
                return ERR_INVALID;
            }
        if (col[i] < 0) {
            set_err(err, file, c->line, h, "unknown column");
            return ERR_INVALID;
        }
        has_id = has_id || col[i] == 0;
    }
    if (!has_id) {
        set_err(err, file, c->line, "id", "required column missing");
        return ERR_INVALID;
    }
    return 0;
}

int wl_parse_csv(const char *data, size_t len, const char *file, const char *list,
                 const char *source, wl_sink_fn sink, void *ctx, struct wl_error *err)
{
    struct csv c;
    struct wl_entry e;
    int col[LIMIT_CSV_FIELDS], r;
    size_t ncol = 0;
    memset(err, 0, sizeof *err);
    wl_entry_init(&e);
    csv_open(&c, data, len, ',');
    r = csv_next(&c);
    if (r <= 0) {
        set_err(err, file, c.line, "", r == 0 ? "empty file: a header row is required"
                                              : "malformed CSV");
        r = ERR_INVALID;
        goto out;
    }
    ncol = c.nfields;
    if ((r = csv_header(&c, file, col, err)) != 0)
        goto out;
    while ((r = csv_next(&c)) == 1) {
        if (c.nfields == 1 && csv_field(&c, 0)[0] == '\0')
            continue;
        if (c.nfields != ncol) {
            set_err(err, file, c.line, "", "wrong number of fields");
            r = ERR_INVALID;
            goto out;
        }
        wl_entry_init(&e);
        for (size_t i = 0; i < ncol; i++) {
            const char *v = csv_field(&c, i), *why;
            char tmp[WL_WHY_MAX];
            if (v[0] == '\0')
                continue;
            if ((r = set_field(&e, csv_columns[col[i]], v, &why, tmp)) != 0) {
                set_err(err, file, c.line, csv_columns[col[i]], why);
                r = r == ERR_NOMEM ? r : ERR_INVALID;
                goto out;
            }
        }
        if ((r = finish(&e, file, c.line, list, source, sink, ctx, err)) != 0)
            goto out;
        wl_entry_free(&e);
    }
    if (r < 0)
        set_err(err, file, c.line, "", r == ERR_LIMIT ? "row too long or too many fields"
                                                      : "malformed CSV");
out:
    wl_entry_free(&e);
    csv_close(&c);
    return r;
}

static bool known_key(const char *key)
{
    for (size_t k = 0; k < COUNT(csv_columns); k++)
        if (strcmp(key, csv_columns[k]) == 0)
            return true;
    return false;
}

#define DOCS_SHAPE                                                                                 \
    "must be a string TYPE:ISSUER:NUMBER|... or an array of objects {\"number\", \"type\", "       \
    "\"issuer\"}"

/* One document of a JSON "documents" array: an object {"number" (required),
 * "type", "issuer"} (strings or null), or a "TYPE:ISSUER:NUMBER" string. */
static int json_doc(struct wl_entry *e, json_t *it, const char **why, char *tmp)
{
    static const char *const keys[] = {"number", "type", "issuer"};
    const char *part[3] = {"", "", ""}, *k;
    json_t *x;
    if (json_is_string(it))
        return doc_item(e, json_string_value(it), strlen(json_string_value(it)), why, tmp);
    *why = DOCS_SHAPE;
    if (!json_is_object(it))
        return ERR_INVALID;
    json_object_foreach(it, k, x) {
        size_t i = 0;
        while (i < COUNT(keys) && strcmp(k, keys[i]) != 0)
            i++;
        *why = tmp;
        if (i == COUNT(keys)) {
            snprintf(tmp, WL_WHY_MAX, "unknown key '%.32s' in a document (number, type, issuer)",
                     k);
            return ERR_INVALID;
        }
        if (json_is_null(x))
            continue;
        if (!json_is_string(x)) {
            snprintf(tmp, WL_WHY_MAX, "the '%s' of a document must be a string", keys[i]);
            return ERR_INVALID;
        }
        part[i] = json_string_value(x);
    }
    return doc_parts(e, part[1], part[2], part[0], why, tmp);
}

static int json_docs(struct wl_entry *e, json_t *arr, const char **why, char *tmp)
{
    size_t i;
    json_t *it;
    json_array_foreach(arr, i, it) {
        int r = json_doc(e, it, why, tmp);
        if (r != 0)
            return r;
    }
    return 0;
}

/* Sets key from a JSON value: ERR_NOTFOUND for an unknown key, whatever its
 * value; otherwise 0 or an error with *why (static or tmp). */
static int json_value(struct wl_entry *e, const char *key, json_t *v, const char **why,
                      char *tmp)
{
    if (!known_key(key))
        return ERR_NOTFOUND;
    if (json_is_null(v))
        return 0;
    if (json_is_string(v))
        return set_field(e, key, json_string_value(v), why, tmp);
    if (json_is_array(v) && strcmp(key, "documents") == 0)
        return json_docs(e, v, why, tmp);
    if (json_is_array(v) && is_multi(key)) {
        size_t i;
        json_t *it;
        json_array_foreach(v, i, it) {
            if (!json_is_string(it)) {
                *why = "must be an array of strings";
                return ERR_INVALID;
            }
            int r = set_one(e, key, json_string_value(it), why, tmp);
            if (r != 0)
                return r;
        }
        return 0;
    }
    *why = strcmp(key, "documents") == 0 ? DOCS_SHAPE
           : is_multi(key)               ? "must be a string or an array of strings"
                                         : "must be a string";
    return ERR_INVALID;
}

static int json_line(const char *p, size_t l, const char *file, size_t line, struct wl_entry *e,
                     struct wl_error *err)
{
    json_t *obj = NULL, *v;
    const char *key, *why;
    struct buf b;
    int r;
    buf_init(&b, 512);
    r = json_decode_object(p, l, &obj, &b);
    if (r != 0) {
        set_err(err, file, line, "", b.len > 0 ? buf_cstr(&b) : "not a JSON object");
        goto out;
    }
    json_object_foreach(obj, key, v) {
        char tmp[WL_WHY_MAX];
        r = json_value(e, key, v, &why, tmp);
        if (r == ERR_NOTFOUND)
            why = "unknown field";
        if (r != 0) {
            set_err(err, file, line, key, why);
            r = r == ERR_NOMEM ? r : ERR_INVALID;
            goto out;
        }
    }
    if (e->id == NULL) {
        set_err(err, file, line, "id", "required");
        r = ERR_INVALID;
    }
out:
    json_decref(obj);
    buf_free(&b);
    return r;
}

int wl_parse_jsonl(const char *data, size_t len, const char *file, const char *list,
                   const char *source, wl_sink_fn sink, void *ctx, struct wl_error *err)
{
    struct wl_entry e;
    size_t line = 0, pos = 0;
    int r = 0;
    memset(err, 0, sizeof *err);
    wl_entry_init(&e);
    while (pos < len) {
        const char *p = data + pos, *nl = memchr(p, '\n', len - pos);
        size_t l = nl != NULL ? (size_t)(nl - p) : len - pos;
        pos += l + (nl != NULL);
        line++;
        if (l > LIMIT_LINE) {
            set_err(err, file, line, "", "line too long");
            r = ERR_LIMIT;
            break;
        }
        if (l > 0 && p[l - 1] == '\r')
            l--;
        size_t k = 0;
        while (k < l && (p[k] == ' ' || p[k] == '\t'))
            k++;
        if (k == l)
            continue;
        wl_entry_init(&e);
        if ((r = json_line(p, l, file, line, &e, err)) != 0 ||
            (r = finish(&e, file, line, list, source, sink, ctx, err)) != 0)
            break;
        wl_entry_free(&e);
    }
    wl_entry_free(&e);
    return r;
}
