/* sqlite_schema: the numbered schema migrations of the SQLite backend.
 *
 * Migrations are append-only: a released migration is never edited; a
 * change is a new migration with the next number. Each runs in its own
 * transaction (store_migrate). */
#include <stddef.h>

#include "store/db.h"

const struct db_migration *sqlite_migrations(size_t *n);

static const struct db_migration migrations[] = {
    {1, "reference data, users, sessions, audit",
     "CREATE TABLE countries("
     "  code TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL);"
     "CREATE TABLE provinces("
     "  code TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL);"
     "CREATE TABLE posts("
     "  code TEXT PRIMARY KEY, name TEXT NOT NULL,"
     "  kind TEXT NOT NULL CHECK (kind IN ('office','airport','seaport','land')),"
     "  province_code TEXT NOT NULL DEFAULT '', country TEXT NOT NULL DEFAULT 'IDN');"
     "CREATE TABLE users("
     "  id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE,"
     "  display_name TEXT NOT NULL DEFAULT '', role TEXT NOT NULL,"
     "  office TEXT REFERENCES posts(code), pwhash TEXT NOT NULL,"
     "  disabled INTEGER NOT NULL DEFAULT 0, failed_logins INTEGER NOT NULL DEFAULT 0,"
     "  locked_until INTEGER NOT NULL DEFAULT 0,"
     "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
     "CREATE TABLE sessions("
     "  token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),"
     "  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,"
     "  revoked INTEGER NOT NULL DEFAULT 0);"
     "CREATE INDEX sessions_user ON sessions(user_id);"
     "CREATE TABLE audit("
     "  seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, username TEXT NOT NULL,"
     "  role TEXT NOT NULL, action TEXT NOT NULL, object_type TEXT NOT NULL,"
     "  object_id TEXT NOT NULL, request_id TEXT NOT NULL, outcome TEXT NOT NULL,"
     "  detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
     "CREATE INDEX audit_ts ON audit(ts);"
     "CREATE INDEX audit_user ON audit(username, seq);"
     "CREATE INDEX audit_object ON audit(object_type, object_id, seq);"},
    {2, "watchlist entries",
     "CREATE TABLE watchlist_entries("
     "  id INTEGER PRIMARY KEY, list TEXT NOT NULL, source_id TEXT NOT NULL,"
     "  kind TEXT NOT NULL, category TEXT NOT NULL, action TEXT NOT NULL,"
     "  primary_name TEXT NOT NULL DEFAULT '', valid_until TEXT,"
     "  body TEXT NOT NULL, created_by TEXT NOT NULL DEFAULT '',"
     "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
     "  UNIQUE (list, source_id));"
     "CREATE INDEX watchlist_name ON watchlist_entries(primary_name);"},
};

const struct db_migration *sqlite_migrations(size_t *n)
{
    *n = sizeof migrations / sizeof migrations[0];
    return migrations;
}
