/* gen_names: writes a reproducible synthetic watchlist and query set for
 * the name-matching speed benchmarks.
 *
 *   gen_names [-n ENTRIES] [-q QUERIES] [-s SEED] OUTDIR
 *
 * OUTDIR/watchlist.csv: ENTRIES persons in the `lintas watchlist import`
 * CSV format (id, name, aliases, birth_date, nationality). Names are drawn,
 * with Zipf-like frequencies, from name parts of five traditions:
 * Indonesian (with Muhammad/Siti prefixes, bin/binti patronymics and
 * Balinese birth-order names), other South-East Asian, South Asian, Arabic
 * and Western; first and last names of the Western and global parts are
 * read from the yente negatives files (given as the source of name parts).
 * OUTDIR/queries.csv: QUERIES rows (name, birth_date, expect): half are
 * listed persons with a perturbed name (typo, dropped or swapped token,
 * old spelling, variant) and their birth date (expect = the id), half are
 * fresh people (expect empty). The PRNG is splitmix64: same seed, same
 * files. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_names_load.h"

static uint64_t rng_state = 0x5eed;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static size_t below(size_t n)
{
    return n > 0 ? (size_t)(rnd() % n) : 0;
}

/* Skewed pick: index i with a density falling like 1/sqrt(i): the first
 * parts of a pool are common, the tail is long. */
static size_t zipf(size_t n)
{
    double u = (double)(rnd() >> 11) / 9007199254740992.0;
    size_t i = (size_t)((double)n * u * u);
    return i < n ? i : n - 1;
}

struct pool {
    char **w;
    size_t n, cap;
};

static void pool_add(struct pool *p, const char *w)
{
    if (w[0] == '\0' || strlen(w) > 24)
        return;
    for (const char *c = w; *c; c++)
        if ((unsigned char)*c >= 0x80 || *c == ',' || *c == '"' || *c == ' ')
            return; /* Latin-script single words only */
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 256;
        p->w = realloc(p->w, p->cap * sizeof *p->w);
    }
    p->w[p->n++] = strdup(w);
}

static void pool_words(struct pool *p, const char *list)
{
    char buf[64];
    for (const char *s = list; *s;) {
        size_t l = strcspn(s, " ");
        if (l > 0 && l < sizeof buf) {
            memcpy(buf, s, l);
            buf[l] = '\0';
            pool_add(p, buf);
        }
        s += l;
        while (*s == ' ')
            s++;
    }
}

static struct pool first, last, idn_given, idn_tail, sea_given, sea_last, sas_given, sas_last,
    arab_given;

static int neg_row(void *ctx, const struct bn_row *r)
{
    (void)ctx;
    pool_add(&first, bn_col(r, "first_name"));
    pool_add(&last, bn_col(r, "last_name"));
    return 0;
}

static void builtin_parts(void)
{
    pool_words(&idn_given, "Budi Agus Eko Dedi Andi Hendra Rizki Dimas Fajar Bayu Wahyu Joko "
                           "Bambang Slamet Sri Dewi Putri Ayu Indah Rina Yuni Lestari Fitri Nur "
                           "Dian Rudi Iwan Heru Teguh Yudi Arif Ahmad Abdul Hasan Rahmat Hidayat "
                           "Taufik Irfan Fauzi Ridwan Sholeh Achwan Syaiful Zainal Agung Angga "
                           "Reza Kurnia Yusuf Ibrahim Ismail Sutrisno Suharto Soekarno Djoko "
                           "Tjahjo Sjahrir Wati Rahayu Susanti Nining Endang Sumarni Tuti Erna");
    pool_words(&idn_tail, "Santoso Wibowo Saputra Pratama Setiawan Kurniawan Hidayat Nugroho "
                          "Prasetyo Utomo Hartono Gunawan Wijaya Kusuma Susilo Purnomo Siregar "
                          "Nasution Harahap Lubis Simanjuntak Sitompul Manurung Pardede "
                          "Wulandari Rahmawati Anggraini Permatasari Hasibuan Tanjung Sembiring "
                          "Ginting Tarigan Pangaribuan Sinaga Situmorang Persada Ramadhan Firmansyah");
    pool_words(&sea_given, "Somchai Somsak Prasert Sompong Niran Anan Kittisak Chatchai Nguyen "
                           "Thanh Minh Duc Hung Tuan Anh Linh Mai Lan Hoa Jose Maria Juan Mark "
                           "Ramon Rogelio Ernesto Rodrigo Maricel Rosalie Khin Aung Kyaw Thant "
                           "Sokha Dara Vanna Sopheap Chenda Phalla Ahmad Siti Nurul Mohd Azlan");
    pool_words(&sea_last, "Srisuk Boonmee Chaiyaporn Wongsakul Saetang Tran Le Pham Hoang Huynh "
                          "Phan Vu Vo Dang Bui Santos Reyes Cruz Bautista Ocampo Garcia Mendoza "
                          "Dela Cruz Villanueva Aquino Ramos Win Oo Htun Sok Chan Heng Lim Tan "
                          "Abdullah Ismail Rahman Hamid Yusof");
    pool_words(&sas_given, "Mohammed Abdul Rahul Amit Sanjay Vijay Ravi Suresh Ramesh Anil Sunil "
                           "Priya Pooja Lakshmi Sunita Anita Imran Irfan Asif Tariq Javed Shahid "
                           "Nasir Zahid Rashid Kamal Jamal Rafiq Shafiq Arjun Karan Deepak Manoj");
    pool_words(&sas_last, "Kumar Singh Sharma Patel Khan Gupta Verma Rao Reddy Das Ghosh Bose "
                          "Chowdhury Islam Hossain Ahmed Akhtar Begum Qureshi Siddiqui Malik "
                          "Butt Chaudhry Iqbal Mirza Shaikh Ansari Joshi Mehta Nair Pillai Menon");
    pool_words(&arab_given, "Mohammed Ahmed Ali Omar Khalid Hassan Hussein Ibrahim Youssef "
                            "Abdullah Abdulrahman Mustafa Mahmoud Saeed Salem Saleh Tariq Walid "
                            "Nabil Samir Karim Fadi Rami Ziad Bilal Hamza Anas Osama Faisal "
                            "Fatima Aisha Mariam Layla Noor Huda Amal Rania Sara Zainab Khadija");
}

/* A part of a tradition: its common parts (small pool) half of the time,
 * otherwise one of the many given or family names read from the negatives
 * files (big pool), as real names mix common and rare parts. */
static const char *pick2(const struct pool *p, const struct pool *big)
{
    const struct pool *from = below(2) == 0 || big->n == 0 ? p : big;
    return from->n > 0 ? from->w[zipf(from->n)] : "X";
}

static const char *pick(const struct pool *p)
{
    return p->n > 0 ? p->w[zipf(p->n)] : "X";
}

static const char *const countries[] = {"IDN", "IDN", "IDN", "MYS", "THA", "VNM", "PHL", "KHM",
                                        "MMR", "IND", "PAK", "BGD", "SAU", "EGY", "IRQ", "SYR",
                                        "YEM", "USA", "GBR", "FRA", "AUS", "CHN", "JOR", "MAR"};

/* A name of one tradition into out. */
static void make_name(char *out, size_t outsz, int *nat)
{
    unsigned c = (unsigned)below(100);
    if (c < 35) { /* Indonesian */
        static const char *const pre[] = {"Muhammad", "Muh.", "Mochammad", "Siti", "I Wayan",
                                          "Ni Made", "I Ketut", "H.", "Nur"};
        const char *p = below(3) == 0 ? pre[below(9)] : "";
        unsigned form = (unsigned)below(4);
        if (form == 0)
            snprintf(out, outsz, "%s%s%s", p, *p ? " " : "", pick2(&idn_given, &first));
        else if (form == 3)
            snprintf(out, outsz, "%s%s%s %s %s", p, *p ? " " : "", pick2(&idn_given, &first),
                     below(2) ? "bin" : "binti", pick2(&idn_given, &first));
        else
            snprintf(out, outsz, "%s%s%s %s", p, *p ? " " : "", pick2(&idn_given, &first),
                     form == 1 ? pick2(&idn_tail, &last) : pick2(&idn_given, &first));
        *nat = (int)below(3);
    } else if (c < 50) {
        snprintf(out, outsz, "%s %s", pick2(&sea_given, &first), pick2(&sea_last, &last));
        *nat = 3 + (int)below(6);
    } else if (c < 65) {
        snprintf(out, outsz, "%s %s %s", pick2(&sas_given, &first),
                 below(2) ? pick2(&sas_given, &first) : "", pick2(&sas_last, &last));
        *nat = 9 + (int)below(3);
    } else if (c < 80) {
        snprintf(out, outsz, "%s %s %s %s", pick2(&arab_given, &first),
                 pick2(&arab_given, &first), below(2) ? "Al" : "", pick(&last));
        *nat = 12 + (int)below(5);
    } else {
        snprintf(out, outsz, "%s %s %s", pick(&first), below(3) == 0 ? pick(&first) : "",
                 pick(&last));
        *nat = 17 + (int)below(7);
    }
}

static void tidy(char *s)
{
    size_t o = 0;
    for (size_t i = 0; s[i]; i++)
        if (!(s[i] == ' ' && (o == 0 || s[o - 1] == ' ')))
            s[o++] = s[i];
    while (o > 0 && s[o - 1] == ' ')
        o--;
    s[o] = '\0';
}

/* Perturbs a listed name the way queries differ from lists. */
static void perturb(const char *in, char *out, size_t outsz)
{
    snprintf(out, outsz, "%s", in);
    size_t l = strlen(out);
    switch (below(6)) {
    case 0: /* typo: substitute a letter inside a long word */
        for (size_t tries = 0; tries < 8; tries++) {
            size_t i = 1 + below(l > 2 ? l - 2 : 1);
            if (out[i] != ' ' && out[i - 1] != ' ' && out[i + 1] != ' ' && out[i + 1] != '\0') {
                out[i] = (char)('a' + below(26));
                break;
            }
        }
        break;
    case 1: /* transposition */
        for (size_t tries = 0; tries < 8; tries++) {
            size_t i = 1 + below(l > 3 ? l - 3 : 1);
            if (out[i] != ' ' && out[i + 1] != ' ' && out[i + 1] != '\0' && out[i + 2] != ' ') {
                char t = out[i];
                out[i] = out[i + 1], out[i + 1] = t;
                break;
            }
        }
        break;
    case 2: { /* order swapped */
        const char *sp = strrchr(in, ' ');
        if (sp != NULL)
            snprintf(out, outsz, "%s %.*s", sp + 1, (int)(sp - in), in);
        break;
    }
    case 3: /* upper case, as on a passport */
        for (size_t i = 0; i < l; i++)
            if (out[i] >= 'a' && out[i] <= 'z')
                out[i] = (char)(out[i] - 32);
        break;
    default:
        break; /* as listed */
    }
}

struct listed {
    char name[96];
    char dob[16];
};

int main(int argc, char **argv)
{
    size_t n = 1000000, nq = 100000;
    int o;
    char path[1024];
    while ((o = getopt(argc, argv, "n:q:s:")) != -1) {
        if (o == 'n')
            n = strtoul(optarg, NULL, 10);
        else if (o == 'q')
            nq = strtoul(optarg, NULL, 10);
        else if (o == 's')
            rng_state = strtoull(optarg, NULL, 10);
    }
    if (optind >= argc) {
        fprintf(stderr, "usage: gen_names [-n N] [-q Q] [-s SEED] OUTDIR\n");
        return 2;
    }
    snprintf(path, sizeof path, "%s/opensanctions_yente_benchmark/negatives_global.csv",
             bn_data_dir());
    bn_each_row(path, neg_row, NULL);
    snprintf(path, sizeof path, "%s/opensanctions_yente_benchmark/negatives_us.csv",
             bn_data_dir());
    bn_each_row(path, neg_row, NULL);
    builtin_parts();
    struct listed *keep = calloc(n, sizeof *keep);
    snprintf(path, sizeof path, "%s/watchlist.csv", argv[optind]);
    FILE *w = fopen(path, "w");
    if (w == NULL || keep == NULL)
        return 1;
    fprintf(w, "id,name,birth_date,nationality\n");
    for (size_t i = 0; i < n; i++) {
        int nat;
        make_name(keep[i].name, sizeof keep[i].name, &nat);
        tidy(keep[i].name);
        snprintf(keep[i].dob, sizeof keep[i].dob, "%04zu-%02zu-%02zu", 1940 + below(65),
                 1 + below(12), 1 + below(28));
        fprintf(w, "S%zu,%s,%s,%s\n", i, keep[i].name, keep[i].dob, countries[nat]);
    }
    fclose(w);
    snprintf(path, sizeof path, "%s/queries.csv", argv[optind]);
    FILE *q = fopen(path, "w");
    if (q == NULL)
        return 1;
    fprintf(q, "name,birth_date,expect\n");
    for (size_t i = 0; i < nq; i++) {
        char name[128], dob[16];
        int nat;
        if (i % 2 == 0) {
            size_t k = below(n);
            perturb(keep[k].name, name, sizeof name);
            fprintf(q, "%s,%s,S%zu\n", name, keep[k].dob, k);
        } else {
            make_name(name, sizeof name, &nat);
            tidy(name);
            snprintf(dob, sizeof dob, "%04zu-%02zu-%02zu", 1940 + below(65), 1 + below(12),
                     1 + below(28));
            fprintf(q, "%s,%s,\n", name, dob);
        }
    }
    fclose(q);
    fprintf(stderr, "gen_names: %zu entries, %zu queries in %s (parts: %zu first, %zu last)\n",
            n, nq, argv[optind], first.n, last.n);
    free(keep);
    return 0;
}
