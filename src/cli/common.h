/* common: what several commands share — opening and migrating the store,
 * reading secrets from files, and printing JSON lines. */
#ifndef LINTAS_CLI_COMMON_H
#define LINTAS_CLI_COMMON_H

#include <jansson.h>
#include <stdbool.h>

#include "services/svc.h"
#include "store/store.h"

/* Opens the store at db (applies migrations when migrate is set) and fills
 * svc with default configuration. Only the commands "init" and "demo" (cmd)
 * may create a missing SQLite file; for any other command a missing file is
 * an error and nothing is written. Prints the error and returns EXIT_FAIL or
 * EXIT_USAGE on failure, 0 on success. */
int cli_open(const char *cmd, const char *db, const struct store_opts *opts, bool migrate,
             struct svc *svc);
/* Releases what cli_open made (and the watchlist, when opened). */
void cli_close(struct svc *svc);
/* Reads a password from the first line of path (trailing CR/LF removed)
 * into out (size n). 0, or prints the error and returns EXIT_FAIL. */
int cli_read_secret(const char *cmd, const char *path, char *out, size_t n);
/* Prints v compactly and a newline to stdout; steals the reference. */
void cli_print_json(json_t *v);

#endif
