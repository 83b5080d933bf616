/* names_explain: the reasons for a score, in words an officer can check.
 *
 * One line for the listed name that matched, one per aligned token pair with
 * the rule that matched it, one per informative token left unmatched, the
 * titles that were ignored, the name similarity, the weak-name cap when it
 * applied, and the birth date, nationality and document evidence with the
 * points each added. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "domain/names.h"

/* One reason line being written: bounded by NAMES_REASON_LEN, cut short
 * (never overflowed) when a part does not fit. Built piece by piece
 * rather than with printf: a query emits up to ten matches of a dozen
 * lines each, and the format parser and float printing were a tenth of
 * a query's time. */
struct line {
    char *p;
    size_t n;
};

static struct line line_new(struct names_reasons *r)
{
    if (r->n >= NAMES_MAX_REASONS)
        return (struct line){NULL, 0};
    struct line l = {r->text[r->n++], 0};
    l.p[0] = '\0';
    return l;
}

static void put(struct line *l, const char *s)
{
    if (l->p == NULL)
        return;
    size_t k = strlen(s);
    if (k > NAMES_REASON_LEN - 1 - l->n)
        k = NAMES_REASON_LEN - 1 - l->n;
    memcpy(l->p + l->n, s, k);
    l->n += k;
    l->p[l->n] = '\0';
}

/* v in decimal, with a sign when plus is set (printf's %d and %+d). */
static void put_int(struct line *l, long v, bool plus)
{
    char b[24];
    size_t i = sizeof b;
    unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
    b[--i] = '\0';
    do
        b[--i] = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        b[--i] = '-';
    else if (plus)
        b[--i] = '+';
    put(l, b + i);
}

/* v with `dec` decimals (0 or 2), rounded as printf's %.2f and %.0f round
 * the exact value: v * 100 is exact in a double for a float v, and rint
 * rounds a tie to even as printf does. */
static void put_fixed(struct line *l, double v, int dec)
{
    if (!isfinite(v)) { /* never produced by the scorer (its values are clamped) */
        put(l, isnan(v) ? "nan" : v < 0 ? "-inf" : "inf");
        return;
    }
    double scaled = rint(dec == 2 ? v * 100.0 : v);
    long u = (long)fabs(scaled);
    if (scaled < 0 || (scaled == 0 && signbit(v)))
        put(l, "-");
    if (dec == 0) {
        put_int(l, u, false);
        return;
    }
    char frac[4] = {'.', (char)('0' + u % 100 / 10), (char)('0' + u % 10), '\0'};
    put_int(l, u / 100, false);
    put(l, frac);
}

static void group_text(const struct names_name *n, size_t i, size_t k, struct line *l)
{
    for (size_t j = i; j < i + k && j < n->ntok; j++) {
        if (j > i)
            put(l, " ");
        put(l, n->tok[j].text);
    }
}

static void why_text(const struct names_name *q, const struct names_name *c,
                     const struct names_pair *p, struct line *l)
{
    const struct names_token *a = &q->tok[p->qi], *b = &c->tok[p->ci];
    char sp[64];
    switch (p->why) {
    case NAMES_WHY_VARIANT:
        put(l, "variant class ");
        put(l, names_vclass_name(a->vclass));
        break;
    case NAMES_WHY_SPELLING:
        names_spell_words((uint8_t)(a->spell ^ b->spell), sp, sizeof sp);
        put(l, "old spelling ");
        put(l, sp[0] != '\0' ? sp : "j/y");
        break;
    case NAMES_WHY_TYPO:
        put(l, "typo, ");
        put_int(l, p->dist, false);
        put(l, p->dist == 1 ? " edit" : " edits");
        break;
    case NAMES_WHY_JOINED:
        put(l, p->dist > 0 ? "joined/split with a typo" : "joined/split");
        break;
    default:
        put(l, names_why_str(p->why));
    }
}

/* "<before>'<text>'<after>" */
static void quoted(struct names_reasons *out, const char *before, const char *text,
                   const char *after)
{
    struct line l = line_new(out);
    put(&l, before);
    put(&l, "'");
    put(&l, text);
    put(&l, "'");
    put(&l, after);
}

static void explain_tokens(const struct names_name *q, const struct names_name *c,
                           const struct names_align *al, struct names_reasons *out)
{
    bool uq[LIMIT_NAME_TOKENS] = {0}, uc[LIMIT_NAME_TOKENS] = {0};
    for (size_t k = 0; k < al->npair; k++) {
        const struct names_pair *p = &al->pair[k];
        struct line l = line_new(out);
        put(&l, "'");
        group_text(q, p->qi, p->qn, &l);
        put(&l, "' ~ '");
        group_text(c, p->ci, p->cn, &l);
        put(&l, "': ");
        why_text(q, c, p, &l);
        put(&l, " (");
        put_fixed(&l, (double)p->sim, 2);
        put(&l, ")");
        for (size_t i = p->qi; i < (size_t)p->qi + p->qn; i++)
            uq[i] = true;
        for (size_t j = p->ci; j < (size_t)p->ci + p->cn; j++)
            uc[j] = true;
    }
    for (size_t i = 0; i < q->ntok; i++) {
        if (q->tok[i].flags & NAMES_TF_TITLE)
            quoted(out, "title ", q->tok[i].text, " in query ignored");
        else if (!uq[i] && q->tok[i].weight >= 0.25f)
            quoted(out, "", q->tok[i].text, " in query not matched");
    }
    for (size_t j = 0; j < c->ntok; j++) {
        if (c->tok[j].flags & NAMES_TF_TITLE)
            quoted(out, "title ", c->tok[j].text, " in listed name ignored");
        else if (!uc[j] && c->tok[j].weight >= 0.25f)
            quoted(out, "", c->tok[j].text, " in listed name not matched");
    }
}

/* "<before><v><after> (<points, signed>)" */
static void with_points(struct names_reasons *out, const char *before, const char *v,
                        const char *after, int pts)
{
    struct line l = line_new(out);
    put(&l, before);
    put(&l, v);
    put(&l, after);
    put(&l, " (");
    put_int(&l, pts, true);
    put(&l, ")");
}

static void explain_dob(const struct names_result *r, struct names_reasons *out)
{
    static const char *const words[] = {
        [NAMES_DOB_EXACT] = "exact", [NAMES_DOB_SWAP] = "day and month swapped",
        [NAMES_DOB_YEAR] = "same year", [NAMES_DOB_RANGE] = "within the listed range",
        [NAMES_DOB_NEAR] = "one year off", [NAMES_DOB_SAME_YEAR_DIFF] = "same year, other day",
        [NAMES_DOB_MISMATCH] = "different",
    };
    char a[24], b[24];
    if (r->dob_kind == NAMES_DOB_NONE)
        return;
    names_date_format(&r->dob_q, a, sizeof a);
    names_date_format(&r->dob_c, b, sizeof b);
    struct line l = line_new(out);
    put(&l, "birth date ");
    put(&l, a);
    put(&l, " vs listed ");
    put(&l, b);
    put(&l, ": ");
    put(&l, words[r->dob_kind]);
    put(&l, " (");
    put_int(&l, r->dob_points, true);
    put(&l, ")");
}

void names_explain(const struct names_name *q, const struct names_name *c,
                   const struct names_result *r, const char *matched_name, bool weak_alias,
                   struct names_reasons *out)
{
    const struct names_align *al = &r->align;
    out->n = 0;
    if (matched_name != NULL)
        quoted(out, weak_alias ? "matched weak alias " : "matched name ", matched_name, "");
    explain_tokens(q, c, al, out);
    struct line l = line_new(out);
    put(&l, "name similarity ");
    put_fixed(&l, (double)al->sim, 2);
    put(&l, " (query ");
    put_fixed(&l, (double)(al->cov_q * 100.0f), 0);
    put(&l, "% covered, listed name ");
    put_fixed(&l, (double)(al->cov_c * 100.0f), 0);
    put(&l, "%): ");
    put_int(&l, r->name_points, false);
    put(&l, " points");
    if (r->capped) {
        l = line_new(out);
        put(&l, "single, short or common name only: capped at ");
        put_int(&l, r->name_points, false);
        put(&l, " without more corroboration");
    } else if (al->weak) {
        l = line_new(out);
        put(&l, "single, short or common name only: needs birth date, nationality or document");
    }
    explain_dob(r, out);
    if (r->nat_kind == NAMES_NAT_MATCH && (r->nat_lifts || !al->weak))
        with_points(out, "nationality ", r->nat, " matches", r->nat_points);
    else if (r->nat_kind == NAMES_NAT_MATCH)
        with_points(out, "nationality ", r->nat,
                    " matches, but is too common on the list to corroborate a weak name",
                    r->nat_points);
    else if (r->nat_kind == NAMES_NAT_MISMATCH)
        with_points(out, "nationality ", r->nat, " not among listed", r->nat_points);
    if (r->doc_match) {
        l = line_new(out);
        put(&l, "document number ");
        put(&l, r->doc);
        put(&l, " matches exactly: decisive");
    }
}
