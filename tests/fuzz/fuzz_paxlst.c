/* Fuzz harness: domain/paxlst and domain/manifest_json. Any input must
 * either fail cleanly or give a manifest whose invariants hold (bounded
 * counts, problem ranges inside the array) and that renders to JSON (which
 * jansson only accepts as valid UTF-8). The first byte picks the strict
 * character-set option, so both paths are explored. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/manifest_json.h"
#include "domain/paxlst.h"
#include "util/buf.h"
#include "util/limits.h"
#include "util/text.h"
#include "util/timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct paxlst_manifest *m)
{
    if (m->npersons > LIMIT_MANIFEST_PERSONS || m->nflights > PAXLST_MAX_MESSAGES ||
        m->manifest_problems > m->nproblems)
        abort();
    for (size_t i = 0; i < m->npersons; i++) {
        const struct paxlst_person *p = &m->persons[i];
        if (p->problem_first + p->problem_count > m->nproblems || p->flight >= m->nflights ||
            p->ndocs > PAXLST_MAX_DOCS || p->problem_count > PAXLST_MAX_PERSON_PROBLEMS ||
            !text_utf8_valid(p->surname, strlen(p->surname)))
            abort();
        json_t *j = manifest_person_json(m, i);
        if (j == NULL)
            abort();
        json_decref(j);
    }
    json_t *s = manifest_summary_json(m);
    if (s == NULL)
        abort();
    char *text = json_dumps(s, JSON_COMPACT);
    if (text == NULL)
        abort();
    free(text);
    json_decref(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct paxlst_options opt = {.today = time_days_from_civil(2026, 1, 1),
                                 .strict_charset = size > 0 && (data[0] & 1u)};
    struct paxlst_manifest *m = NULL;
    struct buf why;
    buf_init(&why, 4096);
    if (manifest_parse((const char *)data, size, &opt, &m, &why) == 0)
        check(m);
    else if (m != NULL || why.len == 0)
        abort(); /* a failure leaves no manifest and always says why */
    paxlst_free(m);
    buf_free(&why);
    return 0;
}
