/* cmd_names: `lintas compare`, the pairwise name scorer used to calibrate
 * and evaluate the watchlist matcher. The lead wires cmd_compare into the
 * command table of main.c. */
#ifndef LINTAS_CLI_CMD_NAMES_H
#define LINTAS_CLI_CMD_NAMES_H

/* lintas compare [--threshold N] [--no-reasons]: reads JSON lines
 * {"id", "a": {"name", "birth_date", "nationality", "document_number"},
 * "b": {...}} on stdin and prints {"id", "score", "match", "reasons"} per
 * line with the model and scale of `lintas match`. Returns the exit status:
 * 0, 1 (bad input line or I/O error, named on stderr), 2 (usage). */
int cmd_compare(int argc, char **argv);

#endif
