/* refdata_files: reference-data files compiled into the binary.
 *
 * The table is generated at build time by scripts/embed.py from data/ and
 * ends with an entry whose name is NULL. */
#ifndef LINTAS_UTIL_REFDATA_FILES_H
#define LINTAS_UTIL_REFDATA_FILES_H

#include <stddef.h>

struct refdata_file {
    const char *name; /* base name, e.g. "checkpoints.csv" */
    size_t len;
    const char *data; /* exactly len bytes (and a NUL after them) */
};

extern const struct refdata_file refdata_files[];

/* Returns the file called name, or NULL. */
const struct refdata_file *refdata_file_find(const char *name);

#endif
