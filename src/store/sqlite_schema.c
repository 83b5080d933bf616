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
    {4, "passport applications, their review events and settings",
     "CREATE TABLE passport_settings(key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
     "INSERT INTO passport_settings(key, value) VALUES('review_days', 14),"
     "  ('extend_days', 14), ('appeal_days', 30);"
     "CREATE TABLE passport_applications("
     "  id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL, day TEXT NOT NULL,"
     "  office TEXT NOT NULL, officer TEXT NOT NULL, interviewer TEXT NOT NULL DEFAULT '',"
     "  nik TEXT NOT NULL DEFAULT '', name_key TEXT NOT NULL DEFAULT '',"
     "  sex TEXT NOT NULL DEFAULT '', age_band TEXT NOT NULL DEFAULT '',"
     "  province TEXT NOT NULL DEFAULT '', purpose TEXT NOT NULL DEFAULT '',"
     "  destination TEXT NOT NULL DEFAULT '', sponsor_phone TEXT NOT NULL DEFAULT '',"
     "  sponsor_company TEXT NOT NULL DEFAULT '', matched INTEGER NOT NULL DEFAULT 0,"
     "  postponed INTEGER NOT NULL, status TEXT NOT NULL, recommendation TEXT NOT NULL,"
     "  score INTEGER NOT NULL, ruleset_version TEXT NOT NULL, reasons TEXT NOT NULL DEFAULT '',"
     "  review_due INTEGER, extended INTEGER NOT NULL DEFAULT 0, appeal_due INTEGER,"
     "  rejected_by TEXT NOT NULL DEFAULT '', updated_at INTEGER NOT NULL,"
     "  request TEXT NOT NULL, answer TEXT NOT NULL, facts TEXT NOT NULL DEFAULT '{}');"
     "CREATE INDEX passport_apps_day ON passport_applications(day);"
     "CREATE INDEX passport_apps_nik ON passport_applications(nik) WHERE nik <> '';"
     "CREATE INDEX passport_apps_name ON passport_applications(name_key) WHERE name_key <> '';"
     "CREATE INDEX passport_apps_office ON passport_applications(office, created_at);"
     "CREATE INDEX passport_apps_open ON passport_applications(status, review_due);"
     "CREATE TABLE passport_events("
     "  id INTEGER PRIMARY KEY, app_id INTEGER NOT NULL REFERENCES passport_applications(id),"
     "  at INTEGER NOT NULL, day TEXT NOT NULL, kind TEXT NOT NULL, actor TEXT NOT NULL,"
     "  reason TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '',"
     "  due INTEGER, due_day TEXT, late INTEGER NOT NULL DEFAULT 0);"
     "CREATE INDEX passport_events_app ON passport_events(app_id, id);"
     "CREATE INDEX passport_events_day ON passport_events(day);"
     "CREATE INDEX passport_events_due ON passport_events(due_day) WHERE due IS NOT NULL;"},
    {5, "consular cases of citizens trafficked abroad, and notifications",
     "CREATE TABLE cases("
     "  id INTEGER PRIMARY KEY, reference TEXT NOT NULL UNIQUE, status TEXT NOT NULL,"
     "  office TEXT NOT NULL DEFAULT '', officer TEXT NOT NULL, country TEXT NOT NULL DEFAULT '',"
     "  body TEXT NOT NULL, source TEXT NOT NULL DEFAULT 'local',"
     "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
     "CREATE INDEX cases_status ON cases(status, updated_at);"
     "CREATE TABLE case_persons("
     "  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
     "  role TEXT NOT NULL, nik TEXT NOT NULL DEFAULT '', doc_key TEXT NOT NULL DEFAULT '',"
     "  name_key TEXT NOT NULL DEFAULT '', watchlist_entry INTEGER, body TEXT NOT NULL);"
     "CREATE INDEX case_persons_case ON case_persons(case_id);"
     "CREATE INDEX case_persons_nik ON case_persons(nik);"
     "CREATE INDEX case_persons_doc ON case_persons(doc_key);"
     "CREATE INDEX case_persons_name ON case_persons(name_key);"
     "CREATE TABLE case_events("
     "  id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),"
     "  at INTEGER NOT NULL, actor TEXT NOT NULL, kind TEXT NOT NULL, status TEXT,"
     "  text TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX case_events_case ON case_events(case_id, id);"
     "CREATE TABLE notifications("
     "  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, recipient TEXT NOT NULL,"
     "  kind TEXT NOT NULL, object_type TEXT NOT NULL, object_id TEXT NOT NULL,"
     "  text TEXT NOT NULL, read_at INTEGER);"
     "CREATE INDEX notifications_recipient ON notifications(recipient, id);"},
    {6, "exchange between nodes: peers, outbox, inbox, the exchange log and checkpoints",
     "CREATE TABLE ex_node(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
     "CREATE TABLE ex_peers("
     "  node_id TEXT PRIMARY KEY, url TEXT NOT NULL, public_key TEXT NOT NULL,"
     "  key_id TEXT NOT NULL, agreement TEXT NOT NULL, agreement_hash TEXT NOT NULL,"
     "  tls_pin TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL,"
     "  updated_at INTEGER NOT NULL);"
     "CREATE TABLE ex_channels("
     "  peer TEXT PRIMARY KEY, out_seq INTEGER NOT NULL DEFAULT 0,"
     "  in_max_seq INTEGER NOT NULL DEFAULT 0, in_count INTEGER NOT NULL DEFAULT 0);"
     "CREATE TABLE ex_outbox("
     "  id INTEGER PRIMARY KEY, msg_id TEXT NOT NULL UNIQUE, peer TEXT NOT NULL,"
     "  seq INTEGER NOT NULL, type TEXT NOT NULL, reply_to TEXT NOT NULL DEFAULT '',"
     "  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, envelope TEXT NOT NULL,"
     "  env_hash TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
     "  reason TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '',"
     "  receipt TEXT NOT NULL DEFAULT '', submitted_by TEXT NOT NULL,"
     "  updated_at INTEGER NOT NULL);"
     "CREATE INDEX ex_outbox_queue ON ex_outbox(peer, state, seq);"
     "CREATE INDEX ex_outbox_state ON ex_outbox(state, id);"
     "CREATE TABLE ex_inbox("
     "  id INTEGER PRIMARY KEY, sender TEXT NOT NULL, msg_id TEXT NOT NULL,"
     "  seq INTEGER NOT NULL, type TEXT NOT NULL, reply_to TEXT NOT NULL DEFAULT '',"
     "  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,"
     "  envelope TEXT NOT NULL, env_hash TEXT NOT NULL, payload TEXT NOT NULL DEFAULT '',"
     "  state TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '',"
     "  receipt TEXT NOT NULL DEFAULT '', due_at INTEGER NOT NULL DEFAULT 0,"
     "  answered_at INTEGER NOT NULL DEFAULT 0, result TEXT NOT NULL DEFAULT '',"
     "  updated_at INTEGER NOT NULL, UNIQUE (sender, msg_id));"
     "CREATE INDEX ex_inbox_state ON ex_inbox(state, id);"
     "CREATE INDEX ex_inbox_msg ON ex_inbox(msg_id);"
     "CREATE TABLE ex_log("
     "  idx INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind INTEGER NOT NULL,"
     "  peer TEXT NOT NULL, msg_id TEXT NOT NULL, type TEXT NOT NULL, hash TEXT NOT NULL,"
     "  detail TEXT NOT NULL, entry_hash TEXT NOT NULL);"
     "CREATE TABLE ex_checkpoints("
     "  id INTEGER PRIMARY KEY, node TEXT NOT NULL, own INTEGER NOT NULL,"
     "  size INTEGER NOT NULL, head TEXT NOT NULL, at INTEGER NOT NULL, bytes TEXT NOT NULL);"
     "CREATE INDEX ex_checkpoints_node ON ex_checkpoints(node, id);"
     "CREATE TABLE ex_alerts("
     "  peer TEXT NOT NULL, alert_id TEXT NOT NULL, version INTEGER NOT NULL,"
     "  entry INTEGER NOT NULL DEFAULT 0, withdrawn INTEGER NOT NULL DEFAULT 0,"
     "  PRIMARY KEY (peer, alert_id));"
     "CREATE TABLE ex_indicators("
     "  peer TEXT NOT NULL, indicator_id TEXT NOT NULL, version INTEGER NOT NULL,"
     "  kind TEXT NOT NULL, norm TEXT NOT NULL, bulletin_id TEXT NOT NULL,"
     "  revoked INTEGER NOT NULL DEFAULT 0, valid_until TEXT NOT NULL DEFAULT '',"
     "  PRIMARY KEY (peer, indicator_id));"
     "CREATE INDEX ex_indicators_norm ON ex_indicators(kind, norm);"
     "CREATE TABLE ex_referrals("
     "  peer TEXT NOT NULL, referral_id TEXT NOT NULL, case_id INTEGER NOT NULL,"
     "  PRIMARY KEY (peer, referral_id));"},
    /* A screening's history and group look-ups read only these indexes:
     * without the aggregated columns in them, each row counted was a table
     * look-up, and outcome, stored after the request, answer and facts,
     * meant reading the row's overflow pages. */
    {7, "covering indexes for a screening's history and group look-ups",
     "DROP INDEX departures_nik;"
     "CREATE INDEX departures_nik ON departures(nik, created_at, recommendation, outcome);"
     "DROP INDEX departures_doc;"
     "CREATE INDEX departures_doc ON departures(doc_key, created_at, nik, recommendation,"
     "  outcome);"
     "DROP INDEX departures_name;"
     "CREATE INDEX departures_name ON departures(name_key, created_at, nik, doc_key,"
     "  recommendation, outcome);"
     "DROP INDEX departures_booking;"
     "CREATE INDEX departures_booking ON departures(checkpoint, booking_ref, created_at, matched,"
     "  sponsor_phone, sponsor_company);"
     "DROP INDEX departures_phone;"
     "CREATE INDEX departures_phone ON departures(checkpoint, sponsor_phone, created_at, matched,"
     "  sponsor_company);"
     "DROP INDEX departures_company;"
     "CREATE INDEX departures_company ON departures(checkpoint, sponsor_company, created_at,"
     "  matched);"},
    /* The API addresses an entry by its source id, in any list. */
    {8, "watchlist entries by source id",
     "CREATE INDEX watchlist_source ON watchlist_entries(source_id);"},
    /* Every write of a watchlist entry appends the entry's id here in its
     * own transaction, so that a server brings its in-memory index up to
     * date with what another process (lintas watchlist import) wrote. seq
     * only grows: the log is pruned from the front and its newest row is
     * always kept (store_wl_changes_prune). */
    {9, "watchlist change log",
     "CREATE TABLE watchlist_changes("
     "  seq INTEGER PRIMARY KEY, entry_id INTEGER NOT NULL, at INTEGER NOT NULL);"},
    /* Each checkpoint belongs to the office responsible for it, so that a
     * supervisor of an office sees its checkpoints. A table of its own
     * rather than a column of posts: both are posts. It is filled by the
     * reference data (lintas init), not here: until then an office's
     * supervisors see no checkpoint. */
    {10, "the office responsible for each checkpoint",
     "CREATE TABLE checkpoint_offices("
     "  checkpoint TEXT PRIMARY KEY REFERENCES posts(code),"
     "  office TEXT NOT NULL REFERENCES posts(code));"
     "CREATE INDEX checkpoint_offices_office ON checkpoint_offices(office);"},
    /* Look-ups by NIK, booking and sponsor never ask for an empty key, and
     * most rows have one: a manifest's persons carry no NIK and no sponsor,
     * many travellers no sponsor. Partial indexes leave those rows out, so
     * that recording a screening writes three to four index entries fewer;
     * the look-ups name the condition (store_departures.c) so that the
     * planner can use them. */
    {11, "departure look-up indexes without the rows of an empty key",
     "DROP INDEX departures_nik;"
     "CREATE INDEX departures_nik ON departures(nik, created_at, recommendation, outcome)"
     "  WHERE nik <> '';"
     "DROP INDEX departures_booking;"
     "CREATE INDEX departures_booking ON departures(checkpoint, booking_ref, created_at, matched,"
     "  sponsor_phone, sponsor_company) WHERE booking_ref <> '';"
     "DROP INDEX departures_phone;"
     "CREATE INDEX departures_phone ON departures(checkpoint, sponsor_phone, created_at, matched,"
     "  sponsor_company) WHERE sponsor_phone <> '';"
     "DROP INDEX departures_company;"
     "CREATE INDEX departures_company ON departures(checkpoint, sponsor_company, created_at,"
     "  matched) WHERE sponsor_company <> '';"},
};

const struct db_migration *sqlite_migrations(size_t *n)
{
    *n = sizeof migrations / sizeof migrations[0];
    return migrations;
}
