/* db: the driver interface that store/ backends implement (internal to
 * store/; nothing above store/ includes this file).
 *
 * A driver is an ops table chosen at open time from the URL. SQL handed to
 * a driver uses '?' placeholders, numbered from 1 in order; the PostgreSQL
 * driver rewrites them to $n. Statements are prepared once per connection
 * and cached by the address of their SQL text, so callers pass string
 * literals. A connection belongs to one thread. */
#ifndef LINTAS_STORE_DB_H
#define LINTAS_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct db_conn;
struct db_stmt;
struct store_opts;

struct db_migration {
    int version;
    const char *name;
    const char *sql; /* one or more statements */
};

struct db_ops {
    const char *name;
    /* Opens a connection; why gets a reason on failure. */
    int (*open)(const char *url, const struct store_opts *opts, struct db_conn **out,
                struct buf *why);
    void (*close)(struct db_conn *c);
    /* Runs SQL without parameters or results (may hold several statements). */
    int (*exec)(struct db_conn *c, const char *sql);
    /* Returns the cached prepared statement for sql, reset and unbound. */
    int (*prepare)(struct db_conn *c, const char *sql, struct db_stmt **out);
    int (*bind_text)(struct db_stmt *s, int idx, const char *v, size_t len);
    int (*bind_int)(struct db_stmt *s, int idx, int64_t v);
    int (*bind_null)(struct db_stmt *s, int idx);
    /* 1: a row is ready; 0: done; <0: error (ERR_EXISTS on a unique
     * violation, ERR_BUSY, ERR_DB). */
    int (*step)(struct db_stmt *s);
    int64_t (*col_int)(struct db_stmt *s, int col);
    /* Borrowed until the next step/reset; "" for NULL. */
    const char *(*col_text)(struct db_stmt *s, int col, size_t *len);
    bool (*col_null)(struct db_stmt *s, int col);
    /* Releases the statement back to the cache. */
    void (*reset)(struct db_stmt *s);
    /* Number of rows changed by the last statement. */
    int64_t (*changes)(struct db_conn *c);
    /* Row id of the last row inserted on this connection. */
    int64_t (*last_id)(struct db_conn *c);
    const char *(*errmsg)(struct db_conn *c);
    int (*begin)(struct db_conn *c, bool write);
    int (*commit)(struct db_conn *c);
    int (*rollback)(struct db_conn *c);
    /* Writes the backend's integrity verdict ("ok" when sound) into out. */
    int (*integrity)(struct db_conn *c, struct buf *out);
    /* Writes a consistent copy of the database to path (a new file) while
     * others keep reading and writing. */
    int (*backup)(struct db_conn *c, const char *path);
    /* The backend's numbered schema migrations, in ascending order. */
    const struct db_migration *(*migrations)(size_t *n);
};

extern const struct db_ops db_sqlite_ops;

#endif
