/* cli: the subcommands of the lintas program.
 *
 * Each command takes its own argv (argv[0] is the command name), parses it
 * with getopt_long, and returns the process exit status: 0 success, 1
 * failure, 2 usage error. Errors are one line on stderr, "lintas CMD: ...".
 * Only cli/ and the daemon decide to stop the process. */
#ifndef LINTAS_CLI_CLI_H
#define LINTAS_CLI_CLI_H

#include <stdio.h>

#define EXIT_OK 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2

typedef int (*cli_cmd_fn)(int argc, char **argv);

/* Foundation */
int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_offices(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_backup(int argc, char **argv);

/* Identity documents (cli/cmd_documents.c) */
int cmd_mrz(int argc, char **argv);
int cmd_nik(int argc, char **argv);

/* Watchlists and matching (cli/cmd_watchlist.c, cli/cmd_names.c) */
int cmd_watchlist(int argc, char **argv);
int cmd_compare(int argc, char **argv);

/* Screening (cli/cmd_screen.c) */
int cmd_screen(int argc, char **argv);
int cmd_manifest(int argc, char **argv);
int cmd_rules(int argc, char **argv);

/* Statistics, oversight and the demo year (cli/cmd_stats.c) */
int cmd_stats(int argc, char **argv);
int cmd_oversight(int argc, char **argv);
int cmd_demo_data(int argc, char **argv);

/* Exchange between nodes (cli/cmd_exchange.c) */
int cmd_keygen(int argc, char **argv);
int cmd_agreement(int argc, char **argv);
int cmd_peer(int argc, char **argv);
int cmd_exchange(int argc, char **argv);

/* Prints "lintas CMD: message" and a newline on stderr. */
void cli_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The database URL: --db value if given, else $LINTAS_DB, else NULL. */
const char *cli_db(const char *opt);

#endif
