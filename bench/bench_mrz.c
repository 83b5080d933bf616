/* bench_mrz: MRZ and NIK validations per second on one core (one thread).
 * Parses a fixed mix of documents (every format, valid and invalid) in a
 * loop for about two seconds per mix and prints the rate. Target: at least
 * 1,000,000 MRZ validations per second. */
#include <stdio.h>
#include <string.h>

#include "domain/mrz.h"
#include "domain/nik.h"
#include "util/timeutil.h"

struct doc {
    const char *l[3];
    size_t n;
};

static const struct doc valid_docs[] = {
    {{"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
      "L898902C36UTO7408122F1204159ZE184226B<<<<<10"},
     2},
    {{"P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
      "C01X0006H1D<<6408125F1710319<<<<<<<<<<<<<<<0"},
     2},
    {{"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
      "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"},
     3},
    {{"I<UTOD23145890<7349<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<2",
      "STEVENSON<<PETER<JOHN<<<<<<<<<"},
     3},
    {{"I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"}, 2},
    {{"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
      "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"},
     2},
    {{"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"}, 2},
    {{"P<IDNSITI<NURHALIZA<<BINTI<AHMAD<<<<<<<<<<<<",
      "C01X0006H1IDN6408125F1710319<<<<<<<<<<<<<<<0"},
     2},
};

static const struct doc invalid_docs[] = {
    {{"P<UT0ERIK55ON<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<",
      "L898902C36UTO740BIZZF12041S9ZE184226B<<<<<1O"},
     2},
    {{"IDBEL000590240<6013<<<<<<<<<<<", "8512017F1311048BEL851201002007",
      "REINARTZ<<ULRIKE<KATIA<E<<<<<<"},
     3},
    {{"P<GBRSTOKES<<CASSANDRE<<<<<<<<<<<<<<<<<<<<<<",
      "2347894037GBR7901232X2301011<<<<<<<<<<<<<<06"},
     2},
    {{"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
      "ERIKSSON<<ANNA<MARIA<<<<<<<<"},
     3},
};

static double run(const struct doc *docs, size_t ndocs, int64_t today)
{
    struct mrz_options opt = {.today = today};
    struct mrz_result r;
    size_t lens[64][3];
    for (size_t i = 0; i < ndocs; i++)
        for (size_t k = 0; k < docs[i].n; k++)
            lens[i][k] = strlen(docs[i].l[k]);
    volatile size_t sink = 0;
    size_t count = 0;
    int64_t start = time_mono_us(), now = start;
    while (now - start < 2000000) {
        for (int rep = 0; rep < 1000; rep++) {
            const struct doc *d = &docs[count % ndocs];
            mrz_parse(d->l, lens[count % ndocs], d->n, &opt, &r);
            sink += r.valid;
            count++;
        }
        now = time_mono_us();
    }
    (void)sink;
    return (double)count * 1e6 / (double)(now - start);
}

static double run_nik(int64_t today)
{
    static const char *const niks[] = {"3273010119800002", "3404025011880001", "9101010101900001",
                                       "3273010001800002"};
    struct nik_result r;
    volatile size_t sink = 0;
    size_t count = 0;
    int64_t start = time_mono_us(), now = start;
    while (now - start < 1000000) {
        for (int rep = 0; rep < 1000; rep++) {
            nik_parse(niks[count % 4], 16, today, &r);
            sink += r.valid;
            count++;
        }
        now = time_mono_us();
    }
    (void)sink;
    return (double)count * 1e6 / (double)(now - start);
}

int main(void)
{
    int64_t today = time_now_ms() / 86400000;
    double v = run(valid_docs, sizeof valid_docs / sizeof valid_docs[0], today);
    double iv = run(invalid_docs, sizeof invalid_docs / sizeof invalid_docs[0], today);
    double n = run_nik(today);
    printf("mrz: %.0f validations/s (valid documents, one core; target 1000000)\n", v);
    printf("mrz: %.0f validations/s (invalid documents with OCR suggestions)\n", iv);
    printf("nik: %.0f validations/s\n", n);
    return 0;
}
