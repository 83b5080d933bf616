/* wl_ofac: the OFAC SDN CSV set to watchlist entries (see wl_ofac.h).
 *
 * alt.csv is read first into a sorted table of (ent_num, alias); sdn.csv is
 * then read row by row and each entry gets its aliases by binary search.
 * The remarks column is split at ';' and the parts that carry evidence are
 * recognised by their leading words: "DOB", "nationality", "citizen",
 * and the identity and travel documents ("Passport", "Diplomatic
 * Passport", "National ID No.", "Cedula No.", "C.U.R.P." and 45 more
 * wordings, see doc_kinds; each may start with "alt."; the words are kept
 * as the document's type, the country in parentheses as its issuer), and
 * "a.k.a. '...'" for weak
 * aliases. OFAC dates read "10 Dec 1948", "Dec 1948", "1948", "circa 1958"
 * (kept as 1957..1959) or "1957 to 1959". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain/wl_ofac.h"
#include "util/csv.h"
#include "util/errors.h"
#include "util/text.h"

struct alias {
    int64_t ent;
    char *name;
    bool weak;
};

struct aliases {
    struct alias *a;
    size_t n, cap;
};

static void aliases_free(struct aliases *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->a[i].name);
    free(t->a);
}

/* Field i trimmed, "" for OFAC's "-0-". Copies into out (size outsz). */
static const char *field(const struct csv *c, size_t i, char *out, size_t outsz)
{
    const char *s = csv_field(c, i);
    text_copy_trimmed(out, outsz, s, strlen(s));
    if (strcmp(out, "-0-") == 0)
        out[0] = '\0';
    return out;
}

static bool skip_row(const struct csv *c)
{
    const char *f = csv_field(c, 0);
    return c->nfields == 1 && (f[0] == '\0' || (f[0] == '\x1a' && f[1] == '\0'));
}

static void err_at(struct wl_error *err, const char *file, size_t line, const char *fld,
                   const char *msg)
{
    snprintf(err->file, sizeof err->file, "%s", file);
    err->line = line;
    snprintf(err->field, sizeof err->field, "%s", fld);
    snprintf(err->message, sizeof err->message, "%s", msg);
}

static int cmp_alias(const void *pa, const void *pb)
{
    const struct alias *a = pa, *b = pb;
    return a->ent < b->ent ? -1 : a->ent > b->ent;
}

static int read_alt(const char *alt, size_t len, const char *name, struct aliases *t,
                    struct wl_error *err)
{
    struct csv c;
    char f[LIMIT_NAME + 1];
    int r;
    csv_open(&c, alt, len, ',');
    while ((r = csv_next(&c)) == 1) {
        int64_t ent;
        if (skip_row(&c))
            continue;
        r = ERR_INVALID;
        if (c.nfields != 5) {
            err_at(err, name, c.line, "", "expected 5 fields");
            goto out;
        }
        if (text_parse_i64(field(&c, 0, f, sizeof f), 1, INT32_MAX, &ent) != 0) {
            err_at(err, name, c.line, "ent_num", "must be a positive integer");
            goto out;
        }
        field(&c, 3, f, sizeof f);
        if (f[0] == '\0')
            continue;
        if (t->n == t->cap) {
            size_t ncap = t->cap == 0 ? 1024 : t->cap * 2;
            struct alias *a = reallocarray(t->a, ncap, sizeof *a);
            if (a == NULL)
                return csv_close(&c), ERR_NOMEM;
            t->a = a, t->cap = ncap;
        }
        t->a[t->n].ent = ent;
        t->a[t->n].weak = false;
        t->a[t->n].name = strdup(f);
        if (t->a[t->n++].name == NULL)
            return csv_close(&c), ERR_NOMEM;
    }
    if (r < 0)
        err_at(err, name, c.line, "", "malformed CSV");
    if (t->n > 0)
        qsort(t->a, t->n, sizeof t->a[0], cmp_alias);
out:
    csv_close(&c);
    return r < 0 ? r : 0;
}

static int check_add(const char *add, size_t len, const char *name, struct wl_error *err)
{
    struct csv c;
    char f[64];
    int r;
    int64_t ent;
    csv_open(&c, add, len, ',');
    while ((r = csv_next(&c)) == 1) {
        if (skip_row(&c))
            continue;
        if (c.nfields != 6) {
            err_at(err, name, c.line, "", "expected 6 fields");
            r = ERR_INVALID;
            break;
        }
        if (text_parse_i64(field(&c, 0, f, sizeof f), 1, INT32_MAX, &ent) != 0) {
            err_at(err, name, c.line, "ent_num", "must be a positive integer");
            r = ERR_INVALID;
            break;
        }
    }
    if (r < 0 && err->file[0] == '\0')
        err_at(err, name, c.line, "", "malformed CSV");
    csv_close(&c);
    return r < 0 ? r : 0;
}

static int month_of(const char *s)
{
    static const char *const m[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; i++)
        if (strncmp(s, m[i], 3) == 0)
            return i + 1;
    return 0;
}

/* One OFAC date ("10 Dec 1948", "Dec 1948", "1948") into ISO text. */
static bool ofac_date(const char *s, char *out, size_t outsz, int *year)
{
    int d = 0, m = 0, y = 0, n = 0;
    const char *p = s;
    while (*p >= '0' && *p <= '9' && n < 4)
        d = d * 10 + (*p++ - '0'), n++;
    if (n == 4 && (*p == '\0' || *p == ' ' || *p == '.')) {
        *year = d;
        snprintf(out, outsz, "%04d", d);
        return true;
    }
    if (n > 2 || d > 31)
        return false;
    if (n > 0 && *p++ != ' ')
        return false;
    if ((m = month_of(p)) == 0)
        return false;
    p += 3;
    while (*p == ' ')
        p++;
    for (n = 0; *p >= '0' && *p <= '9' && n < 4; n++)
        y = y * 10 + (*p++ - '0');
    if (n != 4)
        return false;
    *year = y;
    if (d > 0)
        snprintf(out, outsz, "%04d-%02d-%02d", y, m, d);
    else
        snprintf(out, outsz, "%04d-%02d", y, m);
    return true;
}

static void remark_dob(struct wl_entry *e, const char *v)
{
    char a[32], b[32], rng[32];
    int ya, yb;
    bool circa = strncmp(v, "circa ", 6) == 0;
    if (circa)
        v += 6;
    const char *to = strstr(v, " to ");
    if (!ofac_date(v, a, sizeof a, &ya))
        return;
    if (to != NULL && ofac_date(to + 4, b, sizeof b, &yb) && yb >= ya) {
        snprintf(rng, sizeof rng, "%04d..%04d", ya, yb);
        (void)names_facts_add_dob(&e->facts, ya == yb ? a : rng);
    } else if (circa) {
        snprintf(rng, sizeof rng, "%04d..%04d", ya - 1, ya + 1);
        (void)names_facts_add_dob(&e->facts, rng);
    } else {
        (void)names_facts_add_dob(&e->facts, a);
    }
}

/* Letters and digits a remark's document number needs, and at least one
 * digit: a shorter one ("Birth Certificate Number 365") or one without a
 * digit ("NIT # Provisional") is no document to match on, since a document
 * match is decisive (score 95). */
#define OFAC_DOC_MIN 5

/* Cuts num before the first word of three letters or more, with no digit,
 * that follows a word with a digit: a place or a second document written
 * after the number ("AF465508 Colombia", "A7800002 Border Crossing",
 * "OR801168 and Kuwaiti ..."); words before it ("RL 1794375") and check
 * letters after it ("FN292891 y") stay. Returns the new length. */
static size_t cut_words_after(char *num)
{
    bool seen_digit = false;
    for (char *w = num; *w != '\0';) {
        while (*w == ' ')
            w++;
        size_t n = strcspn(w, " "), digits = 0;
        for (size_t i = 0; i < n; i++)
            digits += w[i] >= '0' && w[i] <= '9';
        if (seen_digit && digits == 0 && n >= 3) {
            *w = '\0';
            break;
        }
        seen_digit = seen_digit || digits > 0;
        w += n;
    }
    return strlen(num);
}

/* "A1234567 (Country) issued 12 Jan 2005 expires 2010" -> a document of
 * this type (as the remark words it) with number and issuing country; the
 * dates that may follow the number, with or without the country, are not
 * part of it, nor is what follows a comma ("D000000483, Diplomatic"). The
 * rest is kept as written, check letters and all ("FN292891 y", "RL
 * 1794375"). */
static void remark_doc(struct wl_entry *e, const char *type, const char *v)
{
    static const char *const after[] = {" issued", " expires"};
    char num[64], country[64] = "";
    size_t l = strcspn(v, "(");
    const char *comma = strstr(v, ", "); /* "D000000483, Diplomatic" */
    if (comma != NULL && (size_t)(comma - v) < l)
        l = (size_t)(comma - v);
    for (size_t i = 0; i < sizeof after / sizeof after[0]; i++) {
        const char *a = strstr(v, after[i]);
        if (a != NULL && (size_t)(a - v) < l)
            l = (size_t)(a - v);
    }
    if (l >= sizeof num)
        return;
    memcpy(num, v, l);
    num[l] = '\0';
    l = cut_words_after(num);
    while (l > 0 && (num[l - 1] == ' ' || num[l - 1] == ','))
        num[--l] = '\0';
    size_t alnum = 0, digits = 0;
    for (size_t i = 0; i < l; i++) {
        char c = num[i];
        digits += c >= '0' && c <= '9';
        alnum += (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
    if (digits == 0 || alnum < OFAC_DOC_MIN)
        return;
    const char *p = strchr(v, '(');
    if (p != NULL) {
        size_t k = strcspn(p + 1, ")");
        if (k < sizeof country)
            memcpy(country, p + 1, k), country[k] = '\0';
    }
    (void)wl_entry_add_doc(e, type, num, country);
}

static void remark_aka(struct wl_entry *e, const char *v)
{
    char name[LIMIT_NAME + 1];
    const char *a = strchr(v, '\''), *b = a != NULL ? strrchr(a + 1, '\'') : NULL;
    if (a == NULL || b == NULL || (size_t)(b - a - 1) > LIMIT_NAME)
        return;
    memcpy(name, a + 1, (size_t)(b - a - 1));
    name[b - a - 1] = '\0';
    (void)wl_entry_add_name(e, name, true);
}

/* The identity and travel documents read from the remarks, as OFAC words
 * them (each may start with "alt."): a wording that starts another comes
 * first ("Passport Booklet" before "Passport", "C.U.R.P. #" before
 * "C.U.R.P."). The first that matches is the document's type, without a
 * trailing colon. Words such as "Phone Number" or "Chinese Commercial
 * Code" are not documents and are left out. */
static const char *const doc_kinds[] = {
    "Passport Booklet:", "Passport Booklet", "Passport No.:", "Passport No.",
    "Diplomatic Passport", "British National Overseas Passport", "Stateless Person Passport",
    "Stateless Person ID Card", "Refugee ID Card", "Bosnian Personal ID No.", "Laissez-Passer",
    "Passport",
    "Travel Document Number", "National ID No.", "National Foreign ID Number",
    "Identification Number", "Turkish Identification Number", "Cedula No.", "C.U.R.P. #",
    "C.U.R.P.", "R.F.C. #", "R.F.C.", "RFC", "D.N.I.", "C.U.I.T.", "C.U.I.P.", "C.U.I.", "I.F.E.",
    "Credencial electoral", "Electoral Registry No.", "Driver's License No.", "NIT #",
    "Tax ID No.", "SSN", "Personal ID Card", "Residency Number", "Birth Certificate Number",
    "LE Number", "Citizen's Card Number", "Kenyan ID No.", "Tazkira National ID Card",
    "Numero de Identidad", "Registration ID", "VisaNumberID", "Immigration No.",
    "Pilot License Number", "Italian Fiscal Code:", "Italian Fiscal Code",
    "Cartilla de Servicio Militar Nacional", "RUC #",
};

static void remark_part(struct wl_entry *e, const char *p)
{
    if (strncmp(p, "alt. ", 5) == 0)
        p += 5;
    if (strncmp(p, "DOB ", 4) == 0)
        remark_dob(e, p + 4);
    else if (strncmp(p, "nationality ", 12) == 0)
        (void)names_facts_add_nat(&e->facts, p + 12);
    else if (strncmp(p, "citizen ", 8) == 0)
        (void)names_facts_add_nat(&e->facts, p + 8);
    else if (strncmp(p, "a.k.a. ", 7) == 0)
        remark_aka(e, p + 7);
    for (size_t i = 0; i < sizeof doc_kinds / sizeof doc_kinds[0]; i++) {
        size_t l = strlen(doc_kinds[i]);
        if (strncmp(p, doc_kinds[i], l) == 0 && p[l] == ' ') {
            char type[48];
            size_t tl = doc_kinds[i][l - 1] == ':' ? l - 1 : l;
            memcpy(type, doc_kinds[i], tl), type[tl] = '\0';
            remark_doc(e, type, p + l + 1);
            break;
        }
    }
}

int wl_ofac_remarks(struct wl_entry *e, const char *remarks)
{
    char part[1024];
    const char *p = remarks;
    while (p != NULL && *p != '\0') {
        size_t l = strcspn(p, ";");
        const char *q = p;
        while (l > 0 && *q == ' ')
            q++, l--;
        size_t k = l < sizeof part ? l : sizeof part - 1;
        memcpy(part, q, k);
        while (k > 0 && (part[k - 1] == '.' || part[k - 1] == ' '))
            k--;
        part[k] = '\0';
        remark_part(e, part);
        p = q + l;
        if (*p == ';')
            p++;
    }
    return 0;
}

static int sdn_row(const struct csv *c, const struct aliases *al, const char *list,
                   const char *name, struct wl_entry *e, struct wl_error *err)
{
    char f[LIMIT_NAME + 1];
    int64_t ent;
    if (c->nfields != 12)
        return err_at(err, name, c->line, "", "expected 12 fields"), ERR_INVALID;
    if (text_parse_i64(field(c, 0, f, sizeof f), 1, INT32_MAX, &ent) != 0)
        return err_at(err, name, c->line, "ent_num", "must be a positive integer"),
               ERR_INVALID;
    if (wl_set_str(&e->id, f) != 0 || wl_set_str(&e->list, list != NULL ? list : "OFAC") != 0 ||
        wl_set_str(&e->source, "ofac") != 0)
        return ERR_NOMEM;
    if (wl_entry_add_name(e, field(c, 1, f, sizeof f), false) != 0 || e->nnames == 0)
        return err_at(err, name, c->line, "SDN_Name", "missing or not valid text"),
               ERR_INVALID;
    e->kind = strcmp(field(c, 2, f, sizeof f), "individual") == 0 ? WL_KIND_PERSON
                                                                   : WL_KIND_ORGANIZATION;
    e->category = WL_CAT_SANCTIONED;
    struct alias key = {.ent = ent};
    const struct alias *hit = al->n > 0 ? bsearch(&key, al->a, al->n, sizeof *al->a, cmp_alias)
                                        : NULL;
    while (hit != NULL && hit > al->a && hit[-1].ent == ent)
        hit--;
    for (; hit != NULL && hit < al->a + al->n && hit->ent == ent; hit++)
        (void)wl_entry_add_name(e, hit->name, hit->weak);
    return wl_ofac_remarks(e, csv_field(c, 11));
}

int wl_parse_ofac_set(const struct wl_ofac_set *set, const char *list, wl_sink_fn sink,
                      void *ctx, struct wl_error *err)
{
    const char *name = set->sdn_name != NULL ? set->sdn_name : "sdn.csv";
    struct aliases al = {0};
    struct csv c;
    struct wl_entry e;
    int r;
    memset(err, 0, sizeof *err);
    wl_entry_init(&e);
    csv_open(&c, set->sdn, set->sdn_len, ',');
    if (set->alt != NULL &&
        (r = read_alt(set->alt, set->alt_len, set->alt_name ? set->alt_name : "alt.csv", &al,
                      err)) != 0)
        goto out;
    if (set->add != NULL &&
        (r = check_add(set->add, set->add_len, set->add_name ? set->add_name : "add.csv",
                       err)) != 0)
        goto out;
    while ((r = csv_next(&c)) == 1) {
        if (skip_row(&c))
            continue;
        wl_entry_init(&e);
        if ((r = sdn_row(&c, &al, list, name, &e, err)) != 0)
            goto out;
        if ((r = sink(ctx, &e)) != 0) {
            err_at(err, name, c.line, "", "the entry was not accepted");
            goto out;
        }
        wl_entry_free(&e);
    }
    if (r < 0)
        err_at(err, name, c.line, "", "malformed CSV");
out:
    wl_entry_free(&e);
    csv_close(&c);
    aliases_free(&al);
    return r;
}

int wl_parse_ofac(const char *sdn, size_t sdn_len, const char *alt, size_t alt_len,
                  const char *add, size_t add_len, const char *list, wl_sink_fn sink, void *ctx,
                  struct wl_error *err)
{
    struct wl_ofac_set set = {.sdn = sdn, .sdn_len = sdn_len, .alt = alt, .alt_len = alt_len,
                              .add = add, .add_len = add_len};
    return wl_parse_ofac_set(&set, list, sink, ctx, err);
}

enum wl_ofac_file wl_ofac_file_by_name(const char *name)
{
    static const char *const names[] = {"sdn.csv", "alt.csv", "add.csv"};
    const char *base = strrchr(name, '/');
    base = base != NULL ? base + 1 : name;
    size_t l = strlen(base);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (l >= 7 && strcasecmp(base + l - 7, names[i]) == 0)
            return (enum wl_ofac_file)(i + 1);
    return WL_OFAC_UNKNOWN;
}

static bool all_digits(const char *s)
{
    while (*s == ' ')
        s++;
    if (*s < '0' || *s > '9')
        return false;
    while (*s >= '0' && *s <= '9')
        s++;
    while (*s == ' ')
        s++;
    return *s == '\0';
}

enum wl_ofac_file wl_ofac_file_by_content(const char *data, size_t len)
{
    struct csv c;
    char f[16];
    enum wl_ofac_file k = WL_OFAC_UNKNOWN;
    csv_open(&c, data, len, ',');
    while (csv_next(&c) == 1) {
        if (skip_row(&c))
            continue;
        if (!all_digits(csv_field(&c, 0)))
            break;
        if (c.nfields == 12)
            k = WL_OFAC_SDN;
        else if (c.nfields == 5) {
            field(&c, 2, f, sizeof f);
            if (strcmp(f, "aka") == 0 || strcmp(f, "fka") == 0 || strcmp(f, "nka") == 0)
                k = WL_OFAC_ALT;
        } else if (c.nfields == 6 && all_digits(csv_field(&c, 1))) {
            k = WL_OFAC_ADD;
        }
        break;
    }
    csv_close(&c);
    return k;
}
