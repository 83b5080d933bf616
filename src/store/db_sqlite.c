/* db_sqlite: the SQLite driver of store/.
 *
 * Each connection runs in WAL mode with synchronous=FULL unless configured
 * otherwise, foreign keys on and a busy timeout. Write transactions start
 * with BEGIN IMMEDIATE so that writers queue on the lock instead of failing
 * on upgrade. Prepared statements are cached per connection by the address
 * of their SQL text. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/db.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/errors.h"

#define STMT_CACHE 256

struct db_stmt {
    sqlite3_stmt *s;
    struct db_conn *c;
};

struct db_conn {
    sqlite3 *db;
    int last_rc;
    size_t n;
    const char *keys[STMT_CACHE];
    struct db_stmt stmts[STMT_CACHE];
};

/* In sqlite_schema.c. */
const struct db_migration *sqlite_migrations(size_t *n);

static int map_rc(struct db_conn *c, int rc)
{
    c->last_rc = rc;
    switch (rc & 0xFF) {
    case SQLITE_OK:
    case SQLITE_DONE:
        return 0;
    case SQLITE_ROW:
        return 1;
    case SQLITE_CONSTRAINT:
        return rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY ? ERR_EXISTS
                                                                                     : ERR_INVALID;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ERR_BUSY;
    case SQLITE_NOMEM:
        return ERR_NOMEM;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return ERR_CORRUPT;
    default:
        return ERR_DB;
    }
}

static int sqlite_exec(struct db_conn *c, const char *sql)
{
    return map_rc(c, sqlite3_exec(c->db, sql, NULL, NULL, NULL));
}

/* Before the library's first use: no memory statistics (SQLite keeps them
 * under one process-wide mutex taken on every allocation, which the worker
 * and committer threads then contend for; lintas never reads them). When
 * the library is already initialised the call is refused, harmlessly. */
static void sqlite_configure(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int sqlite_open(const char *url, const struct store_opts *opts, struct db_conn **out,
                       struct buf *why)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    (void)pthread_once(&once, sqlite_configure);
    *out = NULL;
    const char *path = url;
    if (strncmp(path, "sqlite:", 7) == 0)
        path += 7;
    struct db_conn *c = calloc(1, sizeof *c);
    if (c == NULL)
        return ERR_NOMEM;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path, &c->db, flags, NULL);
    if (rc != SQLITE_OK) {
        buf_printf(why, "%s: %s", path, c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_timeout(c->db, opts->busy_timeout_ms);
    const char *sync = "FULL";
    if (strcasecmp(opts->synchronous, "normal") == 0)
        sync = "NORMAL";
    else if (strcasecmp(opts->synchronous, "extra") == 0)
        sync = "EXTRA";
    /* No memory-mapped I/O: a connection that begins a read after another
     * has committed unmaps the whole file and faults it back in, which on a
     * busy server cost more than the reads it saves. */
    char sql[256];
    snprintf(sql, sizeof sql,
             "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s; PRAGMA foreign_keys=ON; "
             "PRAGMA temp_store=MEMORY; PRAGMA mmap_size=0; "
             "PRAGMA cache_size=-16384;",
             sync);
    if (sqlite_exec(c, sql) < 0) {
        buf_printf(why, "%s: %s", path, sqlite3_errmsg(c->db));
        goto fail;
    }
    *out = c;
    return 0;
fail:
    sqlite3_close(c->db);
    free(c);
    return ERR_DB;
}

static void sqlite_close(struct db_conn *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n; i++)
        sqlite3_finalize(c->stmts[i].s);
    sqlite3_close(c->db);
    free(c);
}

static int sqlite_prepare(struct db_conn *c, const char *sql, struct db_stmt **out)
{
    *out = NULL;
    for (size_t i = 0; i < c->n; i++) {
        if (c->keys[i] == sql) {
            *out = &c->stmts[i];
            return 0;
        }
    }
    if (c->n == STMT_CACHE)
        return ERR_LIMIT;
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
    if (rc != SQLITE_OK)
        return map_rc(c, rc);
    c->keys[c->n] = sql;
    c->stmts[c->n].s = s;
    c->stmts[c->n].c = c;
    *out = &c->stmts[c->n++];
    return 0;
}

static int sqlite_bind_text(struct db_stmt *s, int idx, const char *v, size_t len)
{
    return map_rc(s->c, sqlite3_bind_text(s->s, idx, v, (int)len, SQLITE_TRANSIENT));
}

static int sqlite_bind_int(struct db_stmt *s, int idx, int64_t v)
{
    return map_rc(s->c, sqlite3_bind_int64(s->s, idx, v));
}

static int sqlite_bind_null(struct db_stmt *s, int idx)
{
    return map_rc(s->c, sqlite3_bind_null(s->s, idx));
}

static int sqlite_step(struct db_stmt *s)
{
    return map_rc(s->c, sqlite3_step(s->s));
}

static int64_t sqlite_col_int(struct db_stmt *s, int col)
{
    return sqlite3_column_int64(s->s, col);
}

static const char *sqlite_col_text(struct db_stmt *s, int col, size_t *len)
{
    const unsigned char *t = sqlite3_column_text(s->s, col);
    int n = sqlite3_column_bytes(s->s, col);
    if (len)
        *len = t ? (size_t)n : 0;
    return t ? (const char *)t : "";
}

static bool sqlite_col_null(struct db_stmt *s, int col)
{
    return sqlite3_column_type(s->s, col) == SQLITE_NULL;
}

static void sqlite_reset(struct db_stmt *s)
{
    sqlite3_reset(s->s);
    sqlite3_clear_bindings(s->s);
}

static int64_t sqlite_changes(struct db_conn *c)
{
    return sqlite3_changes64(c->db);
}

static int64_t sqlite_last_id(struct db_conn *c)
{
    return sqlite3_last_insert_rowid(c->db);
}

static const char *sqlite_errmsg(struct db_conn *c)
{
    return sqlite3_errmsg(c->db);
}

/* Runs one of the transaction-control statements below, prepared once per
 * connection like any other, rather than parsed again on every use. */
static int run_cached(struct db_conn *c, const char *sql)
{
    struct db_stmt *s;
    int r = sqlite_prepare(c, sql, &s);
    if (r < 0)
        return r;
    r = sqlite_step(s);
    sqlite3_reset(s->s);
    return r < 0 ? r : 0;
}

static const char begin_write_sql[] = "BEGIN IMMEDIATE";
static const char begin_read_sql[] = "BEGIN";
static const char commit_sql[] = "COMMIT";
static const char rollback_sql[] = "ROLLBACK";

static int sqlite_begin(struct db_conn *c, bool write)
{
    return run_cached(c, write ? begin_write_sql : begin_read_sql);
}

static int sqlite_commit(struct db_conn *c)
{
    return run_cached(c, commit_sql);
}

static int sqlite_rollback(struct db_conn *c)
{
    if (sqlite3_get_autocommit(c->db))
        return 0;
    return run_cached(c, rollback_sql);
}

static int sqlite_integrity(struct db_conn *c, struct buf *out)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(c->db, "PRAGMA integrity_check", -1, &s, NULL);
    if (rc != SQLITE_OK)
        return map_rc(c, rc);
    bool first = true;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (!first)
            buf_puts(out, "; ");
        buf_puts(out, (const char *)sqlite3_column_text(s, 0));
        first = false;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : map_rc(c, rc);
}

static int sqlite_backup(struct db_conn *c, const char *path)
{
    sqlite3_stmt *s;
    int rc = sqlite3_prepare_v2(c->db, "VACUUM INTO ?", -1, &s, NULL);
    if (rc != SQLITE_OK)
        return map_rc(c, rc);
    sqlite3_bind_text(s, 1, path, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    return map_rc(c, rc);
}

const struct db_ops db_sqlite_ops = {
    .name = "sqlite",
    .open = sqlite_open,
    .close = sqlite_close,
    .exec = sqlite_exec,
    .prepare = sqlite_prepare,
    .bind_text = sqlite_bind_text,
    .bind_int = sqlite_bind_int,
    .bind_null = sqlite_bind_null,
    .step = sqlite_step,
    .col_int = sqlite_col_int,
    .col_text = sqlite_col_text,
    .col_null = sqlite_col_null,
    .reset = sqlite_reset,
    .changes = sqlite_changes,
    .last_id = sqlite_last_id,
    .errmsg = sqlite_errmsg,
    .begin = sqlite_begin,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .integrity = sqlite_integrity,
    .backup = sqlite_backup,
    .migrations = sqlite_migrations,
};
