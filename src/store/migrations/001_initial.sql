-- 001: the initial schema. Applied once, in its own transaction, by applyMigrations
-- (src/store/sqlite/Migrations.h), which records it in schema_migrations. Never edit a
-- migration that has shipped: add the next numbered file instead.
--
-- Times are milliseconds since the Unix epoch (UTC); booleans are 0/1.

-- users.id is AUTOINCREMENT so a deleted user's id is never given to a new user: access tokens
-- and audit lines that name an old id must not start to mean someone else.
CREATE TABLE users (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  username      TEXT    NOT NULL UNIQUE,
  password_hash TEXT    NOT NULL,
  role          TEXT    NOT NULL,
  digest_md5    TEXT    NOT NULL DEFAULT '',
  digest_sha256 TEXT    NOT NULL DEFAULT '',
  is_active     INTEGER NOT NULL DEFAULT 1,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  last_login_at INTEGER
);

-- Cameras defined through the API. In SQLite a primary key other than INTEGER PRIMARY KEY accepts
-- NULL (https://sqlite.org/lang_createtable.html#the_primary_key), hence NOT NULL on text keys.
CREATE TABLE cameras (
  id            TEXT    NOT NULL PRIMARY KEY,
  name          TEXT    NOT NULL,
  company       TEXT    NOT NULL DEFAULT '',
  model         TEXT    NOT NULL DEFAULT '',
  serial_number TEXT    UNIQUE,  -- NULL when unknown; NULLs never clash
  location      TEXT    NOT NULL DEFAULT '',
  place         TEXT    NOT NULL DEFAULT '',
  source        TEXT    NOT NULL,
  on_demand     INTEGER NOT NULL DEFAULT 0,
  is_active     INTEGER NOT NULL DEFAULT 1,
  stream_key    TEXT    NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
-- A publisher is found by its stream key, so two cameras must not share one.
CREATE UNIQUE INDEX cameras_stream_key ON cameras (stream_key) WHERE stream_key <> '';

-- API tokens. created_by is not a foreign key: a token outlives the user who made it.
CREATE TABLE api_tokens (
  id                  TEXT    NOT NULL PRIMARY KEY,
  name                TEXT    NOT NULL,
  remark              TEXT    NOT NULL DEFAULT '',
  secret_hash         TEXT    NOT NULL,
  digest_md5          TEXT    NOT NULL DEFAULT '',
  digest_sha256       TEXT    NOT NULL DEFAULT '',
  rate_limit_per_hour INTEGER NOT NULL,
  expires_at          INTEGER,
  last_used_at        INTEGER,
  is_active           INTEGER NOT NULL DEFAULT 1,
  created_by          INTEGER NOT NULL,
  created_at          INTEGER NOT NULL
);

-- A token's permissions and camera scope, in the caller's order. Camera ids are not foreign
-- keys: cameras from ocellus.yml are not in the cameras table.
CREATE TABLE api_token_permissions (
  token_id   TEXT    NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  permission TEXT    NOT NULL,
  PRIMARY KEY (token_id, position)
) WITHOUT ROWID;

CREATE TABLE api_token_cameras (
  token_id  TEXT    NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  camera_id TEXT    NOT NULL,
  PRIMARY KEY (token_id, position)
) WITHOUT ROWID;

-- Refresh tokens by rotation family. user_id is deliberately not a foreign key: deleting a user
-- revokes its tokens and keeps the rows, so a replayed token of a deleted user is still
-- recognised as revoked rather than unknown.
CREATE TABLE refresh_tokens (
  hash       TEXT    NOT NULL PRIMARY KEY,
  family_id  TEXT    NOT NULL,
  user_id    INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER,
  revoked    INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- acknowledged_by is a user id, not a foreign key: the record of who acknowledged outlives them.
CREATE TABLE alerts (
  id              INTEGER PRIMARY KEY,
  type            TEXT    NOT NULL,
  severity        TEXT    NOT NULL,
  message         TEXT    NOT NULL,
  camera          TEXT    NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  acknowledged    INTEGER NOT NULL DEFAULT 0,
  acknowledged_by INTEGER,
  acknowledged_at INTEGER
);
-- Lists are newest first; the rowid that ends every index breaks ties in the same order.
CREATE INDEX alerts_created_at ON alerts (created_at);

-- Append-only.
CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  actor     TEXT    NOT NULL,
  action    TEXT    NOT NULL,
  target    TEXT    NOT NULL DEFAULT '',
  remote_ip TEXT    NOT NULL DEFAULT '',
  success   INTEGER NOT NULL,
  details   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Small settings as key → JSON text.
CREATE TABLE settings (
  key        TEXT    NOT NULL PRIMARY KEY,
  value      TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
);

-- The recording index, written by the recorder (not used by the Store interface yet).
-- camera_id is not a foreign key: cameras from ocellus.yml record too.
CREATE TABLE recordings (
  id         INTEGER PRIMARY KEY,
  camera_id  TEXT    NOT NULL,
  path       TEXT    NOT NULL UNIQUE,
  start_ms   INTEGER NOT NULL,
  end_ms     INTEGER NOT NULL,
  size_bytes INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
-- Playback: one camera's segments over a time range.
CREATE INDEX recordings_camera_start ON recordings (camera_id, start_ms);
-- Retention: the oldest segments across every camera.
CREATE INDEX recordings_start ON recordings (start_ms);

CREATE TABLE snapshots (
  id         INTEGER PRIMARY KEY,
  camera_id  TEXT    NOT NULL,
  path       TEXT    NOT NULL UNIQUE,
  taken_ms   INTEGER NOT NULL,
  size_bytes INTEGER NOT NULL DEFAULT 0,
  width      INTEGER NOT NULL DEFAULT 0,
  height     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX snapshots_camera_taken ON snapshots (camera_id, taken_ms);
