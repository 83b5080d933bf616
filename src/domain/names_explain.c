/* names_explain: the reasons for a score, in words an officer can check.
 *
 * One line for the listed name that matched, one per aligned token pair with
 * the rule that matched it, one per informative token left unmatched, the
 * titles that were ignored, the name similarity, the weak-name cap when it
 * applied, and the birth date, nationality and document evidence with the
 * points each added. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "domain/names.h"

static void add(struct names_reasons *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(struct names_reasons *r, const char *fmt, ...)
{
    va_list ap;
    if (r->n >= NAMES_MAX_REASONS)
        return;
    va_start(ap, fmt);
    vsnprintf(r->text[r->n++], NAMES_REASON_LEN, fmt, ap);
    va_end(ap);
}

static void group_text(const struct names_name *n, size_t i, size_t k, char *out, size_t outsz)
{
    out[0] = '\0';
    for (size_t j = i; j < i + k && j < n->ntok; j++) {
        size_t o = strlen(out);
        snprintf(out + o, outsz - o, "%s%s", j > i ? " " : "", n->tok[j].text);
    }
}

static void why_text(const struct names_name *q, const struct names_name *c,
                     const struct names_pair *p, char *out, size_t outsz)
{
    const struct names_token *a = &q->tok[p->qi], *b = &c->tok[p->ci];
    char sp[64];
    switch (p->why) {
    case NAMES_WHY_VARIANT:
        snprintf(out, outsz, "variant class %s", names_vclass_name(a->vclass));
        break;
    case NAMES_WHY_SPELLING:
        names_spell_words((uint8_t)(a->spell ^ b->spell), sp, sizeof sp);
        if (sp[0] == '\0')
            snprintf(sp, sizeof sp, "j/y");
        snprintf(out, outsz, "old spelling %s", sp);
        break;
    case NAMES_WHY_TYPO:
        snprintf(out, outsz, "typo, %u edit%s", p->dist, p->dist == 1 ? "" : "s");
        break;
    case NAMES_WHY_JOINED:
        snprintf(out, outsz, "joined/split%s", p->dist > 0 ? " with a typo" : "");
        break;
    default:
        snprintf(out, outsz, "%s", names_why_str(p->why));
    }
}

static void explain_tokens(const struct names_name *q, const struct names_name *c,
                           const struct names_align *al, struct names_reasons *out)
{
    bool uq[LIMIT_NAME_TOKENS] = {0}, uc[LIMIT_NAME_TOKENS] = {0};
    char a[128], b[128], w[96];
    for (size_t k = 0; k < al->npair; k++) {
        const struct names_pair *p = &al->pair[k];
        group_text(q, p->qi, p->qn, a, sizeof a);
        group_text(c, p->ci, p->cn, b, sizeof b);
        why_text(q, c, p, w, sizeof w);
        add(out, "'%s' ~ '%s': %s (%.2f)", a, b, w, (double)p->sim);
        for (size_t i = p->qi; i < (size_t)p->qi + p->qn; i++)
            uq[i] = true;
        for (size_t j = p->ci; j < (size_t)p->ci + p->cn; j++)
            uc[j] = true;
    }
    for (size_t i = 0; i < q->ntok; i++) {
        if (q->tok[i].flags & NAMES_TF_TITLE)
            add(out, "title '%s' in query ignored", q->tok[i].text);
        else if (!uq[i] && q->tok[i].weight >= 0.25f)
            add(out, "'%s' in query not matched", q->tok[i].text);
    }
    for (size_t j = 0; j < c->ntok; j++) {
        if (c->tok[j].flags & NAMES_TF_TITLE)
            add(out, "title '%s' in listed name ignored", c->tok[j].text);
        else if (!uc[j] && c->tok[j].weight >= 0.25f)
            add(out, "'%s' in listed name not matched", c->tok[j].text);
    }
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
    add(out, "birth date %s vs listed %s: %s (%+d)", a, b, words[r->dob_kind], r->dob_points);
}

void names_explain(const struct names_name *q, const struct names_name *c,
                   const struct names_result *r, const char *matched_name, bool weak_alias,
                   struct names_reasons *out)
{
    const struct names_align *al = &r->align;
    out->n = 0;
    if (matched_name != NULL)
        add(out, "matched %s '%s'", weak_alias ? "weak alias" : "name", matched_name);
    explain_tokens(q, c, al, out);
    add(out, "name similarity %.2f (query %.0f%% covered, listed name %.0f%%): %d points",
        (double)al->sim, (double)(al->cov_q * 100.0f), (double)(al->cov_c * 100.0f),
        r->name_points);
    if (r->capped)
        add(out, "single, short or common name only: capped at %d without more corroboration",
            r->name_points);
    else if (al->weak)
        add(out, "single, short or common name only: needs birth date, nationality or document");
    explain_dob(r, out);
    if (r->nat_kind == NAMES_NAT_MATCH)
        add(out, "nationality %s matches (%+d)", r->nat, r->nat_points);
    else if (r->nat_kind == NAMES_NAT_MISMATCH)
        add(out, "nationality %s not among listed (%+d)", r->nat, r->nat_points);
    if (r->doc_match)
        add(out, "document number %s matches exactly: decisive", r->doc);
}
