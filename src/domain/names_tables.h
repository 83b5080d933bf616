/* names_tables: the word lists behind name normalisation (internal to the
 * names module): titles and degrees, particles, Balinese birth-order names,
 * given-name variant classes, frequent name parts and countries. The lists
 * are const, sorted, and searched by binary search; a unit test checks that
 * each stays sorted. */
#ifndef LINTAS_DOMAIN_NAMES_TABLES_H
#define LINTAS_DOMAIN_NAMES_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where a title may appear. */
enum {
    NAMES_TITLE_ANY = 1,     /* anywhere: drs, prof, haji, sheikh */
    NAMES_TITLE_LEADING = 2, /* only before the first name word: h */
    NAMES_TITLE_SUFFIX = 3,  /* degree after the name (s.h., jr) when dotted,
                                after a comma, or last */
};

struct names_word {
    const char *w;
    uint8_t v; /* meaning depends on the table */
};

struct names_table {
    const char *name;
    const struct names_word *words;
    size_t n;
};

/* Each returns the table's value for word w (length len), or 0 when absent. */
uint8_t names_tab_title(const char *w, size_t len);
uint8_t names_tab_particle(const char *w, size_t len);   /* 1, or a vclass id */
uint8_t names_tab_birth_order(const char *w, size_t len); /* 1 birth order, 2 gender */
uint8_t names_tab_vclass(const char *w, size_t len);     /* class id */

/* Class ids from here on group a given name with its nicknames and foreign
 * spellings (Bill ~ William, Bibi ~ Benjamin, Aleksandr ~ Alexander). Their
 * members are not very common by membership (Theodore stays a name word of
 * full weight), and a nickname, whose keys are the head's, is compared by
 * typo on its own letters only (Ron is not Donald's typo) and never by
 * truncation (Bob is not cut from Robertson). */
#define NAMES_VCLASS_GIVEN_FIRST 27
uint8_t names_tab_common(const char *w, size_t len);     /* 1 common, 2 very common */
const char *names_tab_vclass_head(uint8_t id);          /* "muhammad" */
const char *names_tab_vclass_label(uint8_t id);         /* "MUHAMMAD" */

/* Country: alpha-3 for an alpha-2 code, an alpha-3 code, or a lowercase
 * English name; NULL when unknown. */
const char *names_tab_country(const char *lower, size_t len);

/* Key i of the country table in order, NULL past the end (for the test). */
const char *names_tab_country_key(size_t i);

/* All tables, for the sortedness test. */
const struct names_table *names_tab_all(size_t *n);

#endif
