/* store_internal: what the entity files of store/ share: the per-thread
 * connection and small helpers over the driver ops. Internal to store/. */
#ifndef LINTAS_STORE_INTERNAL_H
#define LINTAS_STORE_INTERNAL_H

#include "store/db.h"
#include "store/store.h"

struct store_conn {
    const struct db_ops *ops;
    struct db_conn *db;
    bool in_txn;
};

/* The calling thread's connection to st, opened on first use; NULL when it
 * cannot be opened (the reason is logged). */
struct store_conn *store_conn(struct store *st);

/* Prepares sql on the thread's connection. */
int sq_prepare(struct store *st, const char *sql, struct store_conn **c, struct db_stmt **s);
/* Binds a string, or NULL when v is NULL or "" and null_empty is set. */
int sq_text(struct store_conn *c, struct db_stmt *s, int idx, const char *v);
/* Copies column col into dst of size n (truncating). */
void sq_copy(struct store_conn *c, struct db_stmt *s, int col, char *dst, size_t n);
/* Runs a statement that returns no rows; releases it. */
int sq_done(struct store_conn *c, struct db_stmt *s);
/* The same, for a statement that must change a row: ERR_NOTFOUND when it
 * changed none. */
int sq_done_one(struct store_conn *c, struct db_stmt *s);
/* Runs an INSERT ... RETURNING id; *id gets the id. Releases it. For
 * upserts, whose row may be an old one. */
int sq_returning_id(struct store_conn *c, struct db_stmt *s, int64_t *id);
/* Runs a plain INSERT (no RETURNING); *id gets the new row's id. Releases
 * it. SQLite runs RETURNING as a trigger, and a statement with a trigger
 * opens a statement journal inside a transaction: every page it touches is
 * copied, and on release the in-memory journal is cut back by walking it
 * from the start. In a manifest's transaction that walk grew with every
 * person and was most of the write's time. */
int sq_insert_id(struct store_conn *c, struct db_stmt *s, int64_t *id);
/* Runs sql, a query without parameters, and sets *any when it returns a
 * row whose first column is not 0 ("SELECT EXISTS(...)", "SELECT 1 ...
 * LIMIT 1"). */
int sq_exists(struct store *st, const char *sql, bool *any);

#endif
