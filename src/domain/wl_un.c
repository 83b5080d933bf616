/* wl_un: the UN Security Council consolidated list XML to watchlist entries
 * (see wl_un.h). The document is parsed from memory with libxml2 with the
 * network and entity expansion off, then walked: each INDIVIDUAL or ENTITY
 * element is one entry. Nationality values are English country names
 * ("Iran (Islamic Republic of)"); those that cannot be mapped to an ICAO
 * code are skipped rather than rejected, since the list is not ours to fix. */
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "domain/wl_un.h"
#include "util/errors.h"

static bool is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* Text of the first child element called name, trimmed, into out. */
static const char *child_text(const xmlNode *n, const char *name, char *out, size_t outsz)
{
    out[0] = '\0';
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        if (!is(c, name))
            continue;
        xmlChar *t = xmlNodeGetContent(c);
        if (t == NULL)
            return out;
        const char *s = (const char *)t;
        while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
            s++;
        size_t l = strlen(s);
        while (l > 0 && (s[l - 1] == ' ' || s[l - 1] == '\n' || s[l - 1] == '\t' || s[l - 1] == '\r'))
            l--;
        if (l >= outsz)
            l = outsz - 1;
        memcpy(out, s, l);
        out[l] = '\0';
        xmlFree(t);
        return out;
    }
    return out;
}

static void full_name(const xmlNode *n, char *out, size_t outsz)
{
    static const char *const parts[] = {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"};
    char p[LIMIT_NAME + 1];
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < 4; i++) {
        child_text(n, parts[i], p, sizeof p);
        if (p[0] == '\0')
            continue;
        int w = snprintf(out + o, outsz - o, "%s%s", o > 0 ? " " : "", p);
        if (w < 0 || (size_t)w >= outsz - o)
            break;
        o += (size_t)w;
    }
}

static void un_dob(struct wl_entry *e, const xmlNode *d)
{
    char type[32], date[32], year[16], from[16], to[16], rng[40];
    child_text(d, "TYPE_OF_DATE", type, sizeof type);
    child_text(d, "DATE", date, sizeof date);
    child_text(d, "YEAR", year, sizeof year);
    child_text(d, "FROM_YEAR", from, sizeof from);
    child_text(d, "TO_YEAR", to, sizeof to);
    if (strcmp(type, "BETWEEN") == 0 && from[0] != '\0' && to[0] != '\0') {
        snprintf(rng, sizeof rng, "%s..%s", from, to);
        (void)names_facts_add_dob(&e->facts, rng);
    } else if (date[0] != '\0') {
        (void)names_facts_add_dob(&e->facts, date);
    } else if (year[0] != '\0') {
        (void)names_facts_add_dob(&e->facts, year);
    }
}

/* One INDIVIDUAL_DOCUMENT: its NUMBER, with TYPE_OF_DOCUMENT as written and
 * ISSUING_COUNTRY (or COUNTRY_OF_ISSUE) as the issuer, when that country
 * name maps to a code. */
static void un_doc(struct wl_entry *e, const xmlNode *d)
{
    char type[128], num[128], country[128];
    child_text(d, "NUMBER", num, sizeof num);
    if (num[0] == '\0')
        return;
    child_text(d, "TYPE_OF_DOCUMENT", type, sizeof type);
    child_text(d, "ISSUING_COUNTRY", country, sizeof country);
    if (country[0] == '\0')
        child_text(d, "COUNTRY_OF_ISSUE", country, sizeof country);
    /* a type that is not text (cut inside a character) loses the type,
     * not the document */
    if (wl_entry_add_doc(e, type, num, country) == ERR_INVALID)
        (void)wl_entry_add_doc(e, NULL, num, country);
}

static int un_children(struct wl_entry *e, const xmlNode *n)
{
    char v[LIMIT_NAME + 1], q[32];
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        if (is(c, "INDIVIDUAL_ALIAS") || is(c, "ENTITY_ALIAS")) {
            child_text(c, "ALIAS_NAME", v, sizeof v);
            child_text(c, "QUALITY", q, sizeof q);
            int r = wl_entry_add_name(e, v, strcmp(q, "Low") == 0);
            if (r == ERR_NOMEM)
                return r;
        } else if (is(c, "INDIVIDUAL_DATE_OF_BIRTH")) {
            un_dob(e, c);
        } else if (is(c, "INDIVIDUAL_DOCUMENT")) {
            un_doc(e, c);
        } else if (is(c, "NATIONALITY")) {
            for (const xmlNode *k = c->children; k != NULL; k = k->next) {
                if (!is(k, "VALUE"))
                    continue;
                xmlChar *t = xmlNodeGetContent(k);
                if (t != NULL)
                    (void)names_facts_add_nat(&e->facts, (const char *)t);
                xmlFree(t);
            }
        }
    }
    return 0;
}

static int un_record(const xmlNode *n, bool person, const char *file, const char *list,
                     struct wl_entry *e, struct wl_error *err)
{
    char id[WL_MAX_ID + 1], name[LIMIT_NAME + 1];
    int r;
    child_text(n, "REFERENCE_NUMBER", id, sizeof id);
    if (id[0] == '\0')
        child_text(n, "DATAID", id, sizeof id);
    full_name(n, name, sizeof name);
    snprintf(err->file, sizeof err->file, "%s", file != NULL ? file : "-");
    err->line = (size_t)xmlGetLineNo(n);
    snprintf(err->message, sizeof err->message, "missing or not valid text");
    if (id[0] == '\0')
        return snprintf(err->field, sizeof err->field, "REFERENCE_NUMBER"), ERR_INVALID;
    snprintf(err->field, sizeof err->field, "FIRST_NAME");
    if ((r = wl_entry_add_name(e, name, false)) != 0 || e->nnames == 0)
        return r == ERR_NOMEM ? r : ERR_INVALID;
    child_text(n, "NAME_ORIGINAL_SCRIPT", name, sizeof name);
    if ((r = wl_entry_add_name(e, name, false)) == ERR_NOMEM)
        return r;
    if (wl_set_str(&e->id, id) != 0 || wl_set_str(&e->list, list != NULL ? list : "UN") != 0 ||
        wl_set_str(&e->source, "un") != 0)
        return ERR_NOMEM;
    e->kind = person ? WL_KIND_PERSON : WL_KIND_ORGANIZATION;
    e->category = WL_CAT_SANCTIONED;
    memset(err, 0, sizeof *err);
    return un_children(e, n);
}

static int walk(const xmlNode *root, const char *file, const char *list, wl_sink_fn sink,
                void *ctx, struct wl_error *err)
{
    struct wl_entry e;
    int r = 0;
    for (const xmlNode *g = root->children; g != NULL && r == 0; g = g->next) {
        if (!is(g, "INDIVIDUALS") && !is(g, "ENTITIES"))
            continue;
        bool person = is(g, "INDIVIDUALS");
        for (const xmlNode *n = g->children; n != NULL && r == 0; n = n->next) {
            if (!is(n, person ? "INDIVIDUAL" : "ENTITY"))
                continue;
            wl_entry_init(&e);
            r = un_record(n, person, file, list, &e, err);
            if (r == 0 && (r = sink(ctx, &e)) != 0) {
                snprintf(err->file, sizeof err->file, "%s", file != NULL ? file : "-");
                err->line = (size_t)xmlGetLineNo(n);
                snprintf(err->message, sizeof err->message, "the entry was not accepted");
            }
            wl_entry_free(&e);
        }
    }
    return r;
}

int wl_parse_un(const char *xml, size_t len, const char *file, const char *list,
                wl_sink_fn sink, void *ctx, struct wl_error *err)
{
    int r = ERR_INVALID;
    xmlDoc *doc = NULL;
    memset(err, 0, sizeof *err);
    if (len > INT32_MAX) {
        snprintf(err->message, sizeof err->message, "file too large");
        return ERR_LIMIT;
    }
    doc = xmlReadMemory(xml, (int)len, NULL, NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc == NULL) {
        const xmlError *x = xmlGetLastError();
        snprintf(err->file, sizeof err->file, "%s", file != NULL ? file : "-");
        err->line = x != NULL ? (size_t)x->line : 0;
        snprintf(err->message, sizeof err->message, "malformed XML%s%s",
                 x != NULL && x->message != NULL ? ": " : "",
                 x != NULL && x->message != NULL ? x->message : "");
        size_t l = strlen(err->message);
        if (l > 0 && err->message[l - 1] == '\n')
            err->message[l - 1] = '\0';
        return r;
    }
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (root == NULL || !is(root, "CONSOLIDATED_LIST")) {
        snprintf(err->file, sizeof err->file, "%s", file != NULL ? file : "-");
        snprintf(err->message, sizeof err->message, "not a UN consolidated list");
        goto out;
    }
    r = walk(root, file, list, sink, ctx, err);
out:
    xmlFreeDoc(doc);
    return r;
}
