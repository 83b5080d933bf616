/* refdata: loads the reference data compiled into lintas (ICAO country
 * codes, NIK province codes, Indonesian immigration offices and
 * checkpoints) into the store. Idempotent: rows are inserted or updated. */
#ifndef LINTAS_SERVICES_REFDATA_H
#define LINTAS_SERVICES_REFDATA_H

struct buf;
struct store;

/* Loads everything in one transaction. why names the file and line of a
 * malformed embedded row (a build defect). */
int refdata_load(struct store *st, struct buf *why);

#endif
