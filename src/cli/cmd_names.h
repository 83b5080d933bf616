/* cmd_names: `lintas match` and `lintas compare`, the name matcher in batch:
 * watchlist matching of query lines, and the pairwise scorer used to
 * calibrate and evaluate it. main.c wires both into its command table. */
#ifndef LINTAS_CLI_CMD_NAMES_H
#define LINTAS_CLI_CMD_NAMES_H

/* lintas compare [--threshold N] [--no-reasons]: reads JSON lines
 * {"id", "a": {"name", "birth_date", "nationality", "document_number"},
 * "b": {...}} on stdin and prints {"id", "score", "match", "reasons"} per
 * line with the model and scale of `lintas match`; a bad line prints
 * {"id", "error": "line N: ..."} in its place and the next lines are still
 * scored. Returns the exit status: 0, 1 (a bad line, counted on stderr at
 * the end, or an I/O error), 2 (usage). */
int cmd_compare(int argc, char **argv);

/* lintas match --db PATH [--threshold N] [--limit K]: reads query JSON lines
 * (the POST /api/v1/match body plus a required "id") on stdin and prints
 * {"id", "matches": [...]} per line, in input order; a bad line prints
 * {"id", "error": "line N: ..."} in its place and the next lines are still
 * answered. Returns the exit status: 0, 1 (a bad line, the database, or an
 * I/O error), 2 (usage). Replaces cmd_match of cmd_watchlist.c. */
int cmd_names_match(int argc, char **argv);

#endif
