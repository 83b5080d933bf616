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
    {3, "departure screenings and rulesets",
     "CREATE TABLE rulesets("
     "  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, hash TEXT NOT NULL,"
     "  source TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'candidate',"
     "  uploaded_by TEXT NOT NULL, uploaded_at INTEGER NOT NULL,"
     "  activated_by TEXT, activated_at INTEGER, note TEXT NOT NULL DEFAULT '',"
     "  UNIQUE (kind, hash));"
     "CREATE TABLE departures("
     "  id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL, day TEXT NOT NULL,"
     "  checkpoint TEXT NOT NULL, office TEXT NOT NULL DEFAULT '', officer TEXT NOT NULL,"
     "  nik TEXT NOT NULL DEFAULT '', doc_key TEXT NOT NULL DEFAULT '',"
     "  name_key TEXT NOT NULL DEFAULT '', nationality TEXT NOT NULL DEFAULT '',"
     "  sex TEXT NOT NULL DEFAULT '', age_band TEXT NOT NULL DEFAULT '',"
     "  province TEXT NOT NULL DEFAULT '', destination TEXT NOT NULL DEFAULT '',"
     "  final_destination TEXT NOT NULL DEFAULT '', flight TEXT NOT NULL DEFAULT '',"
     "  booking_ref TEXT NOT NULL DEFAULT '', sponsor_phone TEXT NOT NULL DEFAULT '',"
     "  sponsor_company TEXT NOT NULL DEFAULT '', matched INTEGER NOT NULL DEFAULT 0,"
     "  recommendation TEXT NOT NULL, score INTEGER NOT NULL,"
     "  ruleset_version TEXT NOT NULL, rules_fired TEXT NOT NULL DEFAULT '',"
     "  request TEXT NOT NULL, answer TEXT NOT NULL, facts TEXT NOT NULL DEFAULT '{}',"
     "  outcome TEXT, outcome_reason TEXT, outcome_note TEXT, outcome_by TEXT,"
     "  outcome_at INTEGER, overridden INTEGER NOT NULL DEFAULT 0);"
     "CREATE INDEX departures_cp_time ON departures(checkpoint, created_at);"
     "CREATE INDEX departures_nik ON departures(nik, created_at);"
     "CREATE INDEX departures_doc ON departures(doc_key, created_at);"
     "CREATE INDEX departures_name ON departures(name_key, created_at);"
     "CREATE INDEX departures_booking ON departures(checkpoint, booking_ref, created_at);"
     "CREATE INDEX departures_phone ON departures(checkpoint, sponsor_phone, created_at);"
     "CREATE INDEX departures_company ON departures(checkpoint, sponsor_company, created_at);"
     "CREATE INDEX departures_day ON departures(day);"},
};

const struct db_migration *sqlite_migrations(size_t *n)
{
    *n = sizeof migrations / sizeof migrations[0];
    return migrations;
}
