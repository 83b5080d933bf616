/* Fuzz harness: domain/names normalisation, tokenisation, pair scoring and
 * explanation, the readings of Han names (names_normalise_readings, with
 * room for one to four readings), the kana romaniser, date parsing, and
 * queries against a tiny index, without and with a birth date and a
 * nationality taken from the input's last bytes. The input is split at the
 * first NUL or newline into two names. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/name_index.h"
#include "domain/names.h"
#include "domain/names_kana.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct names_norm *norm;
static struct name_index *ix;

static void setup(void)
{
    struct wl_entry e;
    if (norm != NULL)
        return;
    if (names_norm_new(&norm) != 0 || name_index_new(&ix) != 0)
        abort();
    wl_entry_init(&e);
    wl_set_str(&e.id, "F1");
    e.kind = WL_KIND_PERSON;
    wl_entry_add_name(&e, "Muhammad Sholeh Ibrahim", false);
    wl_entry_add_name(&e, "Abu Sholeh", true);
    names_facts_add_dob(&e.facts, "1970-01-02");
    name_index_put(ix, &e);
    wl_entry_free(&e);
    /* entries whose dates and nationalities exercise the date and
     * nationality + year keys: a full date, a partial one, a short range, a
     * range too wide to key, none */
    static const char *const more[][4] = {
        {"F2", "Siti Rahmawati", "1985-03-04", "IDN"}, {"F3", "Budi", "1990", "IDN"},
        {"F4", "Agus Salim", "1960..1963", "MYS"},     {"F5", "Maria Santos", "1940..1990", ""},
        {"F6", "Nguyen Van An", "", "VNM"},           {"F7", "Budi Santoso", "1990-12-03", "IDN"},
    };
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++) {
        wl_entry_init(&e);
        wl_set_str(&e.id, more[i][0]);
        e.kind = WL_KIND_PERSON;
        wl_entry_add_name(&e, more[i][1], false);
        if (more[i][2][0] != '\0')
            names_facts_add_dob(&e.facts, more[i][2]);
        if (more[i][3][0] != '\0')
            names_facts_add_nat(&e.facts, more[i][3]);
        name_index_put(ix, &e);
        wl_entry_free(&e);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    size_t cut = 0;
    struct names_name a, b;
    struct names_result r;
    struct names_reasons rs;
    struct names_date d;
    char *z;
    setup();
    while (cut < size && data[cut] != '\n' && data[cut] != 0)
        cut++;
    int ra = names_normalise(norm, s, cut, &a);
    int rb = cut < size ? names_normalise(norm, s + cut + 1, size - cut - 1, &b) : -1;
    if (ra == 0 && rb == 0) {
        names_score(&a, NULL, &b, NULL, &r);
        names_explain(&a, &b, &r, "x", false, &rs);
        if (r.score < 0 || r.score > 100)
            abort();
    }
    struct names_name ra_[4], rb_[NAMES_MAX_READINGS];
    size_t room = size > 0 ? (size_t)data[size - 1] % 4 + 1 : 1;
    int na = names_normalise_readings(norm, s, cut, ra_, room);
    int nb = cut < size ? names_normalise_readings(norm, s + cut + 1, size - cut - 1, rb_,
                                                   NAMES_MAX_READINGS)
                        : -1;
    if ((na > 0 && (size_t)na > room) || (na > 0) != (ra == 0))
        abort(); /* the first reading is names_normalise's */
    if (na > 0 && nb > 0) {
        size_t qi, ci;
        names_score_readings(ra_, (size_t)na, NULL, rb_, (size_t)nb, NULL, &r, &qi, &ci);
        if (r.score < 0 || r.score > 100 || qi >= (size_t)na || ci >= (size_t)nb)
            abort();
    }
    char kana[64];
    int kr = names_kana_word(s, cut, kana, (size_t)(size % sizeof kana));
    if (kr == 1 && strlen(kana) >= size % sizeof kana)
        abort();
    z = malloc(cut + 1);
    if (z == NULL)
        return 0;
    memcpy(z, s, cut);
    z[cut] = '\0';
    (void)names_date_parse(z, &d);
    struct name_query q = {.name = z, .birth_date = NULL, .threshold = 0, .limit = 3,
                           .explain = true};
    struct name_matches m;
    if (name_index_query(ix, &q, &m) == 0 && m.n > 0 && m.m[0].score > 100)
        abort();
    name_matches_free(&m);
    /* again with a birth date and a nationality taken from the input's last
     * bytes (the date and nationality + year keys, the year round), at the
     * default threshold and at one a weak name reaches */
    if (size >= 3) {
        static const char *const nats[] = {"IDN", "MYS", "VNM", "PHL"};
        char dob[16];
        unsigned v = data[size - 1] | (unsigned)data[size - 2] << 8;
        if (v % 3 == 0)
            snprintf(dob, sizeof dob, "%u", 1940 + v % 60);
        else
            snprintf(dob, sizeof dob, "%u-%02u-%02u", 1940 + v % 60, 1 + v / 60 % 12,
                     1 + v / 720 % 28);
        q.birth_date = dob;
        q.nationality = nats[data[size - 3] % 4];
        q.threshold = data[size - 3] & 4 ? NAMES_DEFAULT_THRESHOLD : 50;
        q.limit = 1 + data[size - 3] % 10;
        if (name_index_query(ix, &q, &m) == 0 && m.n > 0 && m.m[0].score > 100)
            abort();
        name_matches_free(&m);
    }
    free(z);
    return 0;
}
