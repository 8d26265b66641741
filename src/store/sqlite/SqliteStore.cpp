#include "store/sqlite/SqliteStore.h"

#include <exception>
#include <future>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/Clock.h"
#include "base/Log.h"
#include "store/sqlite/Database.h"
#include "store/sqlite/Migrations.h"

namespace ocellus::store::sqlite {

namespace {

using base::ErrorCode;
using base::makeError;

TimeMs nowMs() {
  return base::wallMillis(base::Clock::system().wallNow());
}

base::Error notFound(std::string what) {
  return makeError(ErrorCode::NotFound, std::move(what) + " not found");
}

std::string quoted(const std::string& id) {
  return "'" + id + "'";
}

// ---- users

constexpr std::string_view kSelectUser =
    "SELECT id, username, password_hash, role, digest_md5, digest_sha256, is_active, created_at, updated_at, "
    "last_login_at FROM users ";

User userFrom(const Statement& s) {
  User u;
  u.id = s.integer(0);
  u.username = s.text(1);
  u.passwordHash = s.text(2);
  u.role = s.text(3);
  u.digestMd5 = s.text(4);
  u.digestSha256 = s.text(5);
  u.isActive = s.boolean(6);
  u.createdAt = s.integer(7);
  u.updatedAt = s.integer(8);
  u.lastLoginAt = s.optionalInteger(9);
  return u;
}

base::Result<User> loadUser(Database& db, std::int64_t id) {
  auto s = db.prepare(std::string(kSelectUser) + "WHERE id = ?1");
  if (!s.ok()) return s.error();
  s->bind(1, id);
  auto row = s->step();
  if (!row.ok()) return row.error();
  if (!*row) return notFound("user " + std::to_string(id));
  return userFrom(*s);
}

// ---- cameras

constexpr std::string_view kSelectCamera =
    "SELECT id, name, company, model, serial_number, location, place, source, on_demand, is_active, "
    "stream_key, record, created_at, updated_at FROM cameras ";

Camera cameraFrom(const Statement& s) {
  Camera c;
  c.id = s.text(0);
  c.name = s.text(1);
  c.company = s.text(2);
  c.model = s.text(3);
  c.serialNumber = s.optionalText(4);
  c.location = s.text(5);
  c.place = s.text(6);
  c.source = s.text(7);
  c.onDemand = s.boolean(8);
  c.isActive = s.boolean(9);
  c.streamKey = s.text(10);
  c.record = s.text(11);
  c.createdAt = s.integer(12);
  c.updatedAt = s.integer(13);
  return c;
}

base::Result<Camera> loadCamera(Database& db, const std::string& id) {
  auto s = db.prepare(std::string(kSelectCamera) + "WHERE id = ?1");
  if (!s.ok()) return s.error();
  s->bind(1, id);
  auto row = s->step();
  if (!row.ok()) return row.error();
  if (!*row) return notFound("camera " + quoted(id));
  return cameraFrom(*s);
}

// ---- API tokens

constexpr std::string_view kSelectToken =
    "SELECT id, name, remark, secret_hash, digest_md5, digest_sha256, rate_limit_per_hour, expires_at, "
    "last_used_at, is_active, created_by, created_at FROM api_tokens ";

ApiToken tokenFrom(const Statement& s) {
  ApiToken t;
  t.id = s.text(0);
  t.name = s.text(1);
  t.remark = s.text(2);
  t.secretHash = s.text(3);
  t.digestMd5 = s.text(4);
  t.digestSha256 = s.text(5);
  t.rateLimitPerHour = static_cast<int>(s.integer(6));
  t.expiresAt = s.optionalInteger(7);
  t.lastUsedAt = s.optionalInteger(8);
  t.isActive = s.boolean(9);
  t.createdBy = s.integer(10);
  t.createdAt = s.integer(11);
  return t;
}

// Reads (token_id, value) rows, ordered by token and position, into `into(token_id)`.
template <typename Into>
base::Status readTokenList(Database& db, std::string_view sql, const std::string* tokenId, Into into) {
  auto s = db.prepare(sql);
  if (!s.ok()) return s.error();
  if (tokenId != nullptr) s->bind(1, *tokenId);
  for (;;) {
    auto row = s->step();
    if (!row.ok()) return row.error();
    if (!*row) return {};
    if (std::vector<std::string>* list = into(s->text(0))) list->push_back(s->text(1));
  }
}

base::Status loadTokenLists(Database& db, ApiToken& token) {
  OCELLUS_TRY(readTokenList(
      db, "SELECT token_id, permission FROM api_token_permissions WHERE token_id = ?1 ORDER BY position",
      &token.id, [&](const std::string&) { return &token.permissions; }));
  return readTokenList(
      db, "SELECT token_id, camera_id FROM api_token_cameras WHERE token_id = ?1 ORDER BY position",
      &token.id, [&](const std::string&) { return &token.cameraScope; });
}

base::Result<ApiToken> loadToken(Database& db, const std::string& id) {
  ApiToken token;
  {
    auto s = db.prepare(std::string(kSelectToken) + "WHERE id = ?1");
    if (!s.ok()) return s.error();
    s->bind(1, id);
    auto row = s->step();
    if (!row.ok()) return row.error();
    if (!*row) return notFound("token " + quoted(id));
    token = tokenFrom(*s);
  }
  OCELLUS_TRY(loadTokenLists(db, token));
  return token;
}

base::Status insertTokenList(Database& db, std::string_view sql, const std::string& tokenId,
                             const std::vector<std::string>& values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    auto s = db.prepare(sql);
    if (!s.ok()) return s.error();
    s->bind(1, tokenId).bind(2, static_cast<std::int64_t>(i)).bind(3, values[i]);
    OCELLUS_TRY(s->run());
  }
  return {};
}

base::Status insertTokenLists(Database& db, const ApiToken& token) {
  OCELLUS_TRY(insertTokenList(
      db, "INSERT INTO api_token_permissions (token_id, position, permission) VALUES (?1, ?2, ?3)", token.id,
      token.permissions));
  return insertTokenList(db,
                         "INSERT INTO api_token_cameras (token_id, position, camera_id) VALUES (?1, ?2, ?3)",
                         token.id, token.cameraScope);
}

// ---- refresh tokens

RefreshToken refreshTokenFrom(const Statement& s) {
  RefreshToken t;
  t.hash = s.text(0);
  t.familyId = s.text(1);
  t.userId = s.integer(2);
  t.expiresAt = s.integer(3);
  t.usedAt = s.optionalInteger(4);
  t.revoked = s.boolean(5);
  t.createdAt = s.integer(6);
  return t;
}

// ---- alerts and audit

constexpr std::string_view kSelectAlert =
    "SELECT id, type, severity, message, camera, created_at, acknowledged, acknowledged_by, acknowledged_at "
    "FROM alerts ";

Alert alertFrom(const Statement& s) {
  Alert a;
  a.id = s.integer(0);
  a.type = s.text(1);
  a.severity = s.text(2);
  a.message = s.text(3);
  a.camera = s.text(4);
  a.createdAt = s.integer(5);
  a.acknowledged = s.boolean(6);
  a.acknowledgedBy = s.optionalInteger(7);
  a.acknowledgedAt = s.optionalInteger(8);
  return a;
}

AuditEntry auditFrom(const Statement& s) {
  AuditEntry e;
  e.id = s.integer(0);
  e.at = s.integer(1);
  e.actor = s.text(2);
  e.action = s.text(3);
  e.target = s.text(4);
  e.remoteIp = s.text(5);
  e.success = s.boolean(6);
  e.details = s.text(7);
  return e;
}

base::Status checkPage(int limit, int offset) {
  if (limit < 0 || offset < 0) {
    return makeError(ErrorCode::InvalidArgument, "negative limit or offset (" + std::to_string(limit) + ", " +
                                                     std::to_string(offset) + ")");
  }
  return {};
}

// Collects every row of `s` through `from`.
template <typename T, typename From>
base::Result<std::vector<T>> collect(Statement& s, From from) {
  std::vector<T> out;
  for (;;) {
    auto row = s.step();
    if (!row.ok()) return row.error();
    if (!*row) return out;
    out.push_back(from(s));
  }
}

// NotFound unless user `id` exists; for rows that name a user without a foreign key to it, or
// to tell a missing user from another constraint failure.
base::Status requireUser(Database& db, std::int64_t id) {
  auto s = db.prepare("SELECT 1 FROM users WHERE id = ?1");
  if (!s.ok()) return s.error();
  s->bind(1, id);
  auto row = s->step();
  if (!row.ok()) return row.error();
  if (!*row) return notFound("user " + std::to_string(id));
  return {};
}

// The text in the first column of the row `sql` selects once `bind` has bound it; nullopt
// when there is no row.
template <typename Bind>
base::Result<std::optional<std::string>> selectText(Database& db, std::string_view sql, Bind bind) {
  auto s = db.prepare(sql);
  if (!s.ok()) return s.error();
  bind(*s);
  auto row = s->step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(s->text(0));
}

// Sets `value` (and updated_at) in the row of `table` whose `keyColumn` is `key`, adding the row
// if there is none: the key → value tables (settings, user_preferences).
template <typename Key>
base::Status upsertValue(Database& db, std::string_view table, std::string_view keyColumn, const Key& key,
                         const std::string& value) {
  const std::string t(table), k(keyColumn);
  auto s = db.prepare("INSERT INTO " + t + " (" + k + ", value, updated_at) VALUES (?1, ?2, ?3) ON CONFLICT (" + k +
                      ") DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at");
  if (!s.ok()) return s.error();
  s->bind(1, key).bind(2, value).bind(3, nowMs());
  return s->run();
}

// Runs an UPDATE or DELETE that must touch a row; NotFound naming `what` when it touched none.
template <typename Bind>
base::Status changeOne(Database& db, std::string_view sql, Bind bind, const std::string& what) {
  auto s = db.prepare(sql);
  if (!s.ok()) return s.error();
  bind(*s);
  OCELLUS_TRY(s->run());
  if (db.changes() == 0) return notFound(what);
  return {};
}

// ---- recordings and snapshots

constexpr std::string_view kSelectRecording =
    "SELECT id, camera_id, path, kind, session_id, start_ms, end_ms, size_bytes, duration_ms, codecs, "
    "format, complete, keep, created_at FROM recordings ";

Recording recordingFrom(const Statement& s) {
  Recording r;
  r.id = s.integer(0);
  r.cameraId = s.text(1);
  r.path = s.text(2);
  r.kind = s.text(3);
  r.sessionId = s.text(4);
  r.startMs = s.integer(5);
  r.endMs = s.integer(6);
  r.sizeBytes = s.integer(7);
  r.durationMs = s.integer(8);
  r.codecs = s.text(9);
  r.format = s.text(10);
  r.complete = s.boolean(11);
  r.keep = s.boolean(12);
  r.createdAt = s.integer(13);
  return r;
}

// The WHERE clause of `filter`. Its text depends only on which fields are set, so there are few
// shapes, each prepared once and cached; a field left unset leaves its column out, so the planner
// picks the index the set fields call for (camera and start, or start alone). keep and complete
// are literals so the partial indexes of 002_recordings.sql apply. Placeholders keep fixed
// numbers (bindRecordingFilter).
std::string recordingWhere(const RecordingFilter& filter) {
  std::vector<std::string_view> terms;
  if (filter.camera) terms.emplace_back("camera_id = ?1");
  if (filter.kind) terms.emplace_back("kind = ?2");
  // Overlapping [from, to). A row whose end is its start (a file just opened, nothing written
  // yet) stands for the instant startMs, so it is listed when that instant is in range.
  if (filter.from) terms.emplace_back("(end_ms > ?3 OR start_ms >= ?3)");
  if (filter.to) terms.emplace_back("start_ms < ?4");
  if (filter.keep) terms.emplace_back(*filter.keep ? "keep = 1" : "keep = 0");
  if (filter.complete) terms.emplace_back(*filter.complete ? "complete = 1" : "complete = 0");
  std::string sql;
  for (const auto term : terms) {
    sql += sql.empty() ? "WHERE " : " AND ";
    sql += term;
  }
  return sql + " ";
}

void bindRecordingFilter(Statement& s, const RecordingFilter& filter) {
  if (filter.camera) s.bind(1, *filter.camera);
  if (filter.kind) s.bind(2, *filter.kind);
  if (filter.from) s.bind(3, *filter.from);
  if (filter.to) s.bind(4, *filter.to);
}

// The one recording `where` selects once `bind` has bound it; NotFound naming `what` otherwise.
template <typename Bind>
base::Result<Recording> loadRecording(Database& db, std::string_view where, Bind bind,
                                      const std::string& what) {
  auto s = db.prepare(std::string(kSelectRecording) + std::string(where));
  if (!s.ok()) return s.error();
  bind(*s);
  auto row = s->step();
  if (!row.ok()) return row.error();
  if (!*row) return notFound(what);
  return recordingFrom(*s);
}

base::Result<Recording> loadRecording(Database& db, std::int64_t id) {
  return loadRecording(
      db, "WHERE id = ?1", [&](Statement& s) { s.bind(1, id); }, "recording " + std::to_string(id));
}

// count(*) and the summed size of the rows `s` selects.
base::Result<RecordingStats> statsFrom(Statement& s) {
  auto row = s.step();
  if (!row.ok()) return row.error();
  return RecordingStats{s.integer(0), s.integer(1)};
}

constexpr std::string_view kSelectSnapshot =
    "SELECT id, camera_id, path, taken_ms, size_bytes, width, height FROM snapshots ";

Snapshot snapshotFrom(const Statement& s) {
  Snapshot p;
  p.id = s.integer(0);
  p.cameraId = s.text(1);
  p.path = s.text(2);
  p.takenMs = s.integer(3);
  p.sizeBytes = s.integer(4);
  p.width = static_cast<int>(s.integer(5));
  p.height = static_cast<int>(s.integer(6));
  return p;
}

}  // namespace

// ---- the thread

SqliteStore::SqliteStore() : thread_([this] { loop(); }) {}

SqliteStore::~SqliteStore() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void SqliteStore::loop() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) break;  // stopping, and every queued call has run
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
  db_.reset();  // the connection closes on the thread that used it
}

template <typename F>
auto SqliteStore::run(F&& job) {
  using R = std::invoke_result_t<F&>;
  std::promise<R> promise;
  auto future = promise.get_future();
  // The caller waits below, so the job may hold references to its frame.
  std::function<void()> wrapped = [&] {
    try {
      promise.set_value(job());
    } catch (...) {
      promise.set_exception(std::current_exception());
    }
  };
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(wrapped));
  }
  wake_.notify_one();
  return future.get();
}

base::Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path) {
  std::unique_ptr<SqliteStore> store(new SqliteStore());
  auto opened = store->run([&]() -> base::Status {
    auto db = Database::open(path);
    if (!db.ok()) return db.error();
    OCELLUS_TRY(applyMigrations((*db)->handle()));
    store->db_ = std::move(*db);
    return {};
  });
  if (!opened.ok()) return opened.error();
  base::Logger("store").info("opened {} (schema version {})", path, latestMigrationVersion());
  return store;
}

// ---- users

base::Result<User> SqliteStore::createUser(User user) {
  return run([&]() -> base::Result<User> {
    return db_->write([&]() -> base::Result<User> {
      user.createdAt = user.updatedAt = nowMs();
      auto s = db_->prepare(
          "INSERT INTO users (username, password_hash, role, digest_md5, digest_sha256, is_active, "
          "created_at, updated_at, last_login_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
      if (!s.ok()) return s.error();
      s->bind(1, user.username)
          .bind(2, user.passwordHash)
          .bind(3, user.role)
          .bind(4, user.digestMd5)
          .bind(5, user.digestSha256)
          .bind(6, user.isActive)
          .bind(7, user.createdAt)
          .bind(8, user.updatedAt)
          .bind(9, user.lastLoginAt);
      OCELLUS_TRY(s->run());
      user.id = db_->lastInsertRowId();
      return user;
    });
  });
}

base::Result<User> SqliteStore::userById(std::int64_t id) {
  return run([&] { return loadUser(*db_, id); });
}

base::Result<User> SqliteStore::userByName(const std::string& username) {
  return run([&]() -> base::Result<User> {
    auto s = db_->prepare(std::string(kSelectUser) + "WHERE username = ?1");
    if (!s.ok()) return s.error();
    s->bind(1, username);
    auto row = s->step();
    if (!row.ok()) return row.error();
    if (!*row) return notFound("user " + quoted(username));
    return userFrom(*s);
  });
}

base::Result<std::vector<User>> SqliteStore::listUsers() {
  return run([&]() -> base::Result<std::vector<User>> {
    auto s = db_->prepare(std::string(kSelectUser) + "ORDER BY id");
    if (!s.ok()) return s.error();
    return collect<User>(*s, userFrom);
  });
}

base::Result<User> SqliteStore::updateUser(const User& user) {
  return run([&]() -> base::Result<User> {
    return db_->write([&]() -> base::Result<User> {
      OCELLUS_TRY(changeOne(
          *db_,
          "UPDATE users SET username = ?2, password_hash = ?3, role = ?4, digest_md5 = ?5, "
          "digest_sha256 = ?6, is_active = ?7, updated_at = ?8 WHERE id = ?1",
          [&](Statement& s) {
            s.bind(1, user.id)
                .bind(2, user.username)
                .bind(3, user.passwordHash)
                .bind(4, user.role)
                .bind(5, user.digestMd5)
                .bind(6, user.digestSha256)
                .bind(7, user.isActive)
                .bind(8, nowMs());
          },
          "user " + std::to_string(user.id)));
      return loadUser(*db_, user.id);
    });
  });
}

base::Status SqliteStore::deleteUser(std::int64_t id) {
  return run([&] {
    return db_->write([&]() -> base::Status {
      OCELLUS_TRY(changeOne(
          *db_, "DELETE FROM users WHERE id = ?1", [&](Statement& s) { s.bind(1, id); },
          "user " + std::to_string(id)));
      auto s = db_->prepare("UPDATE refresh_tokens SET revoked = 1 WHERE user_id = ?1 AND revoked = 0");
      if (!s.ok()) return s.error();
      s->bind(1, id);
      return s->run();
    });
  });
}

base::Status SqliteStore::touchLogin(std::int64_t id, TimeMs at) {
  return run([&] {
    return db_->write([&] {
      return changeOne(
          *db_, "UPDATE users SET last_login_at = ?2 WHERE id = ?1",
          [&](Statement& s) { s.bind(1, id).bind(2, at); }, "user " + std::to_string(id));
    });
  });
}

base::Result<std::optional<std::string>> SqliteStore::preferences(std::int64_t userId) {
  return run([&] {
    return selectText(*db_, "SELECT value FROM user_preferences WHERE user_id = ?1",
                        [&](Statement& s) { s.bind(1, userId); });
  });
}

base::Status SqliteStore::setPreferences(std::int64_t userId, const std::string& json) {
  return run([&] {
    return db_->write([&]() -> base::Status {
      OCELLUS_TRY(requireUser(*db_, userId));
      return upsertValue(*db_, "user_preferences", "user_id", userId, json);
    });
  });
}

// ---- cameras

base::Result<Camera> SqliteStore::createCamera(Camera camera) {
  if (camera.id.empty()) return makeError(ErrorCode::InvalidArgument, "camera id is empty");
  return run([&]() -> base::Result<Camera> {
    return db_->write([&]() -> base::Result<Camera> {
      camera.createdAt = camera.updatedAt = nowMs();
      auto s = db_->prepare(
          "INSERT INTO cameras (id, name, company, model, serial_number, location, place, source, on_demand, "
          "is_active, stream_key, record, created_at, updated_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
      if (!s.ok()) return s.error();
      s->bind(1, camera.id)
          .bind(2, camera.name)
          .bind(3, camera.company)
          .bind(4, camera.model)
          .bind(5, camera.serialNumber)
          .bind(6, camera.location)
          .bind(7, camera.place)
          .bind(8, camera.source)
          .bind(9, camera.onDemand)
          .bind(10, camera.isActive)
          .bind(11, camera.streamKey)
          .bind(12, camera.record)
          .bind(13, camera.createdAt)
          .bind(14, camera.updatedAt);
      OCELLUS_TRY(s->run());
      return camera;
    });
  });
}

base::Result<Camera> SqliteStore::cameraById(const std::string& id) {
  return run([&] { return loadCamera(*db_, id); });
}

base::Result<std::vector<Camera>> SqliteStore::listCameras() {
  return run([&]() -> base::Result<std::vector<Camera>> {
    auto s = db_->prepare(std::string(kSelectCamera) + "ORDER BY created_at, id");
    if (!s.ok()) return s.error();
    return collect<Camera>(*s, cameraFrom);
  });
}

base::Result<Camera> SqliteStore::updateCamera(const Camera& camera) {
  return run([&]() -> base::Result<Camera> {
    return db_->write([&]() -> base::Result<Camera> {
      OCELLUS_TRY(changeOne(
          *db_,
          "UPDATE cameras SET name = ?2, company = ?3, model = ?4, serial_number = ?5, location = ?6, "
          "place = ?7, source = ?8, on_demand = ?9, is_active = ?10, stream_key = ?11, record = ?12, "
          "updated_at = ?13 WHERE id = ?1",
          [&](Statement& s) {
            s.bind(1, camera.id)
                .bind(2, camera.name)
                .bind(3, camera.company)
                .bind(4, camera.model)
                .bind(5, camera.serialNumber)
                .bind(6, camera.location)
                .bind(7, camera.place)
                .bind(8, camera.source)
                .bind(9, camera.onDemand)
                .bind(10, camera.isActive)
                .bind(11, camera.streamKey)
                .bind(12, camera.record)
                .bind(13, nowMs());
          },
          "camera " + quoted(camera.id)));
      return loadCamera(*db_, camera.id);
    });
  });
}

base::Status SqliteStore::deleteCamera(const std::string& id) {
  return run([&] {
    return db_->write([&] {
      return changeOne(
          *db_, "DELETE FROM cameras WHERE id = ?1", [&](Statement& s) { s.bind(1, id); },
          "camera " + quoted(id));
    });
  });
}

// ---- API tokens

base::Result<ApiToken> SqliteStore::createToken(ApiToken token) {
  if (token.id.empty()) return makeError(ErrorCode::InvalidArgument, "token id is empty");
  return run([&]() -> base::Result<ApiToken> {
    return db_->write([&]() -> base::Result<ApiToken> {
      if (token.createdAt == 0) token.createdAt = nowMs();
      {
        auto s = db_->prepare(
            "INSERT INTO api_tokens (id, name, remark, secret_hash, digest_md5, digest_sha256, "
            "rate_limit_per_hour, expires_at, last_used_at, is_active, created_by, created_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
        if (!s.ok()) return s.error();
        s->bind(1, token.id)
            .bind(2, token.name)
            .bind(3, token.remark)
            .bind(4, token.secretHash)
            .bind(5, token.digestMd5)
            .bind(6, token.digestSha256)
            .bind(7, token.rateLimitPerHour)
            .bind(8, token.expiresAt)
            .bind(9, token.lastUsedAt)
            .bind(10, token.isActive)
            .bind(11, token.createdBy)
            .bind(12, token.createdAt);
        OCELLUS_TRY(s->run());
      }
      OCELLUS_TRY(insertTokenLists(*db_, token));
      return token;
    });
  });
}

base::Result<ApiToken> SqliteStore::tokenById(const std::string& id) {
  return run([&] { return db_->read([&] { return loadToken(*db_, id); }); });
}

base::Result<std::vector<ApiToken>> SqliteStore::listTokens() {
  return run([&]() -> base::Result<std::vector<ApiToken>> {
    return db_->read([&]() -> base::Result<std::vector<ApiToken>> {
      std::vector<ApiToken> tokens;
      {
        auto s = db_->prepare(std::string(kSelectToken) + "ORDER BY created_at, id");
        if (!s.ok()) return s.error();
        auto all = collect<ApiToken>(*s, tokenFrom);
        if (!all.ok()) return all.error();
        tokens = std::move(*all);
      }
      std::map<std::string, ApiToken*, std::less<>> byId;
      for (auto& t : tokens) byId.emplace(t.id, &t);
      auto find = [&](const std::string& id) -> ApiToken* {
        auto it = byId.find(id);
        return it == byId.end() ? nullptr : it->second;
      };
      OCELLUS_TRY(readTokenList(
          *db_, "SELECT token_id, permission FROM api_token_permissions ORDER BY token_id, position", nullptr,
          [&](const std::string& id) {
            ApiToken* t = find(id);
            return t != nullptr ? &t->permissions : nullptr;
          }));
      OCELLUS_TRY(
          readTokenList(*db_, "SELECT token_id, camera_id FROM api_token_cameras ORDER BY token_id, position",
                        nullptr, [&](const std::string& id) {
                          ApiToken* t = find(id);
                          return t != nullptr ? &t->cameraScope : nullptr;
                        }));
      return tokens;
    });
  });
}

base::Result<ApiToken> SqliteStore::updateToken(const ApiToken& token) {
  return run([&]() -> base::Result<ApiToken> {
    return db_->write([&]() -> base::Result<ApiToken> {
      OCELLUS_TRY(changeOne(
          *db_,
          "UPDATE api_tokens SET name = ?2, remark = ?3, secret_hash = ?4, digest_md5 = ?5, "
          "digest_sha256 = ?6, rate_limit_per_hour = ?7, expires_at = ?8, is_active = ?9 WHERE id = ?1",
          [&](Statement& s) {
            s.bind(1, token.id)
                .bind(2, token.name)
                .bind(3, token.remark)
                .bind(4, token.secretHash)
                .bind(5, token.digestMd5)
                .bind(6, token.digestSha256)
                .bind(7, token.rateLimitPerHour)
                .bind(8, token.expiresAt)
                .bind(9, token.isActive);
          },
          "token " + quoted(token.id)));
      for (const char* sql : {"DELETE FROM api_token_permissions WHERE token_id = ?1",
                              "DELETE FROM api_token_cameras WHERE token_id = ?1"}) {
        auto s = db_->prepare(sql);
        if (!s.ok()) return s.error();
        s->bind(1, token.id);
        OCELLUS_TRY(s->run());
      }
      OCELLUS_TRY(insertTokenLists(*db_, token));
      return loadToken(*db_, token.id);
    });
  });
}

base::Status SqliteStore::deleteToken(const std::string& id) {
  return run([&] {
    return db_->write([&] {
      // Permissions and camera scope go with it (ON DELETE CASCADE).
      return changeOne(
          *db_, "DELETE FROM api_tokens WHERE id = ?1", [&](Statement& s) { s.bind(1, id); },
          "token " + quoted(id));
    });
  });
}

base::Status SqliteStore::touchToken(const std::string& id, TimeMs at) {
  return run([&] {
    return db_->write([&] {
      return changeOne(
          *db_, "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1",
          [&](Statement& s) { s.bind(1, id).bind(2, at); }, "token " + quoted(id));
    });
  });
}

// ---- refresh tokens

base::Status SqliteStore::insertRefreshToken(const RefreshToken& token) {
  return run([&] {
    return db_->write([&]() -> base::Status {
      OCELLUS_TRY(requireUser(*db_, token.userId));
      auto s = db_->prepare(
          "INSERT INTO refresh_tokens (hash, family_id, user_id, expires_at, used_at, revoked, created_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
      if (!s.ok()) return s.error();
      s->bind(1, token.hash)
          .bind(2, token.familyId)
          .bind(3, token.userId)
          .bind(4, token.expiresAt)
          .bind(5, token.usedAt)
          .bind(6, token.revoked)
          .bind(7, token.createdAt != 0 ? token.createdAt : nowMs());
      return s->run();
    });
  });
}

base::Result<RefreshToken> SqliteStore::refreshTokenByHash(const std::string& hash) {
  return run([&]() -> base::Result<RefreshToken> {
    auto s = db_->prepare(
        "SELECT hash, family_id, user_id, expires_at, used_at, revoked, created_at FROM refresh_tokens "
        "WHERE hash = ?1");
    if (!s.ok()) return s.error();
    s->bind(1, hash);
    auto row = s->step();
    if (!row.ok()) return row.error();
    // The hash is a credential's fingerprint: it stays out of messages and logs.
    if (!*row) return notFound("refresh token");
    return refreshTokenFrom(*s);
  });
}

base::Result<bool> SqliteStore::consumeRefreshToken(const std::string& hash, TimeMs at) {
  return run([&]() -> base::Result<bool> {
    return db_->write([&]() -> base::Result<bool> {
      // One statement decides, so two racing consumers cannot both win.
      {
        auto s = db_->prepare(
            "UPDATE refresh_tokens SET used_at = ?2 WHERE hash = ?1 AND used_at IS NULL AND revoked = 0");
        if (!s.ok()) return s.error();
        s->bind(1, hash).bind(2, at);
        OCELLUS_TRY(s->run());
        if (db_->changes() == 1) return true;
      }
      auto s = db_->prepare("SELECT 1 FROM refresh_tokens WHERE hash = ?1");
      if (!s.ok()) return s.error();
      s->bind(1, hash);
      auto row = s->step();
      if (!row.ok()) return row.error();
      if (!*row) return notFound("refresh token");
      return false;
    });
  });
}

base::Status SqliteStore::revokeRefreshFamily(const std::string& familyId) {
  return run([&] {
    return db_->write([&]() -> base::Status {
      auto s = db_->prepare("UPDATE refresh_tokens SET revoked = 1 WHERE family_id = ?1 AND revoked = 0");
      if (!s.ok()) return s.error();
      s->bind(1, familyId);
      return s->run();
    });
  });
}

base::Status SqliteStore::revokeRefreshTokensOfUser(std::int64_t userId) {
  return run([&] {
    return db_->write([&]() -> base::Status {
      auto s = db_->prepare("UPDATE refresh_tokens SET revoked = 1 WHERE user_id = ?1 AND revoked = 0");
      if (!s.ok()) return s.error();
      s->bind(1, userId);
      return s->run();
    });
  });
}

// ---- alerts

base::Result<Alert> SqliteStore::createAlert(Alert alert) {
  return run([&]() -> base::Result<Alert> {
    return db_->write([&]() -> base::Result<Alert> {
      if (alert.createdAt == 0) alert.createdAt = nowMs();
      auto s = db_->prepare(
          "INSERT INTO alerts (type, severity, message, camera, created_at, acknowledged, acknowledged_by, "
          "acknowledged_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
      if (!s.ok()) return s.error();
      s->bind(1, alert.type)
          .bind(2, alert.severity)
          .bind(3, alert.message)
          .bind(4, alert.camera)
          .bind(5, alert.createdAt)
          .bind(6, alert.acknowledged)
          .bind(7, alert.acknowledgedBy)
          .bind(8, alert.acknowledgedAt);
      OCELLUS_TRY(s->run());
      alert.id = db_->lastInsertRowId();
      return alert;
    });
  });
}

base::Result<std::vector<Alert>> SqliteStore::listAlerts(const AlertFilter& filter) {
  OCELLUS_TRY(checkPage(filter.limit, filter.offset));
  return run([&]() -> base::Result<std::vector<Alert>> {
    auto s = db_->prepare(std::string(kSelectAlert) +
                          "WHERE (?1 IS NULL OR severity = ?1) AND (?2 IS NULL OR type = ?2) "
                          "AND (?3 IS NULL OR camera = ?3) "
                          "ORDER BY created_at DESC, id DESC LIMIT ?4 OFFSET ?5");
    if (!s.ok()) return s.error();
    s->bind(1, filter.severity)
        .bind(2, filter.type)
        .bind(3, filter.camera)
        .bind(4, filter.limit)
        .bind(5, filter.offset);
    return collect<Alert>(*s, alertFrom);
  });
}

base::Result<Alert> SqliteStore::acknowledgeAlert(std::int64_t id, std::int64_t userId, TimeMs at) {
  return run([&]() -> base::Result<Alert> {
    return db_->write([&]() -> base::Result<Alert> {
      // The first acknowledgement stands; acknowledging again changes nothing.
      {
        auto s = db_->prepare(
            "UPDATE alerts SET acknowledged = 1, acknowledged_by = ?2, acknowledged_at = ?3 "
            "WHERE id = ?1 AND acknowledged = 0");
        if (!s.ok()) return s.error();
        s->bind(1, id).bind(2, userId).bind(3, at);
        OCELLUS_TRY(s->run());
      }
      auto s = db_->prepare(std::string(kSelectAlert) + "WHERE id = ?1");
      if (!s.ok()) return s.error();
      s->bind(1, id);
      auto row = s->step();
      if (!row.ok()) return row.error();
      if (!*row) return notFound("alert " + std::to_string(id));
      return alertFrom(*s);
    });
  });
}

// ---- audit

base::Status SqliteStore::appendAudit(AuditEntry entry) {
  return run([&] {
    return db_->write([&]() -> base::Status {
      auto s = db_->prepare(
          "INSERT INTO audit_log (at, actor, action, target, remote_ip, success, details) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
      if (!s.ok()) return s.error();
      s->bind(1, entry.at != 0 ? entry.at : nowMs())
          .bind(2, entry.actor)
          .bind(3, entry.action)
          .bind(4, entry.target)
          .bind(5, entry.remoteIp)
          .bind(6, entry.success)
          .bind(7, entry.details);
      return s->run();
    });
  });
}

base::Result<std::vector<AuditEntry>> SqliteStore::listAudit(int limit, int offset) {
  OCELLUS_TRY(checkPage(limit, offset));
  return run([&]() -> base::Result<std::vector<AuditEntry>> {
    auto s = db_->prepare(
        "SELECT id, at, actor, action, target, remote_ip, success, details FROM audit_log "
        "ORDER BY at DESC, id DESC LIMIT ?1 OFFSET ?2");
    if (!s.ok()) return s.error();
    s->bind(1, limit).bind(2, offset);
    return collect<AuditEntry>(*s, auditFrom);
  });
}

// ---- recordings

base::Result<Recording> SqliteStore::createRecording(Recording recording) {
  if (recording.cameraId.empty() || recording.path.empty()) {
    return makeError(ErrorCode::InvalidArgument, "recording camera or path is empty");
  }
  return run([&]() -> base::Result<Recording> {
    return db_->write([&]() -> base::Result<Recording> {
      if (recording.createdAt == 0) recording.createdAt = nowMs();
      auto s = db_->prepare(
          "INSERT INTO recordings (camera_id, path, kind, session_id, start_ms, end_ms, size_bytes, "
          "duration_ms, codecs, format, complete, keep, created_at) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
      if (!s.ok()) return s.error();
      s->bind(1, recording.cameraId)
          .bind(2, recording.path)
          .bind(3, recording.kind)
          .bind(4, recording.sessionId)
          .bind(5, recording.startMs)
          .bind(6, recording.endMs)
          .bind(7, recording.sizeBytes)
          .bind(8, recording.durationMs)
          .bind(9, recording.codecs)
          .bind(10, recording.format)
          .bind(11, recording.complete)
          .bind(12, recording.keep)
          .bind(13, recording.createdAt);
      OCELLUS_TRY(s->run());
      recording.id = db_->lastInsertRowId();
      return recording;
    });
  });
}

base::Result<Recording> SqliteStore::recordingById(std::int64_t id) {
  return run([&] { return loadRecording(*db_, id); });
}

base::Result<Recording> SqliteStore::recordingByPath(const std::string& path) {
  return run([&] {
    return loadRecording(
        *db_, "WHERE path = ?1", [&](Statement& s) { s.bind(1, path); }, "recording " + quoted(path));
  });
}

base::Result<std::vector<Recording>> SqliteStore::listRecordings(const RecordingFilter& filter) {
  OCELLUS_TRY(checkPage(filter.limit, filter.offset));
  return run([&]() -> base::Result<std::vector<Recording>> {
    // The rowid breaks ties in the order of start_ms's indexes, which end with it.
    auto s =
        db_->prepare(std::string(kSelectRecording) + recordingWhere(filter) +
                     (filter.oldestFirst ? "ORDER BY start_ms, id " : "ORDER BY start_ms DESC, id DESC ") +
                     "LIMIT ?5 OFFSET ?6");
    if (!s.ok()) return s.error();
    bindRecordingFilter(*s, filter);
    // A negative LIMIT is no limit in SQLite (https://sqlite.org/lang_select.html#limitoffset).
    s->bind(5, filter.limit == 0 ? -1 : filter.limit).bind(6, filter.offset);
    return collect<Recording>(*s, recordingFrom);
  });
}

base::Result<RecordingStats> SqliteStore::recordingStats(const RecordingFilter& filter) {
  return run([&]() -> base::Result<RecordingStats> {
    auto s = db_->prepare("SELECT count(*), coalesce(sum(size_bytes), 0) FROM recordings " +
                          recordingWhere(filter));
    if (!s.ok()) return s.error();
    bindRecordingFilter(*s, filter);
    return statsFrom(*s);
  });
}

base::Result<Recording> SqliteStore::updateRecording(const Recording& recording) {
  return run([&]() -> base::Result<Recording> {
    return db_->write([&]() -> base::Result<Recording> {
      OCELLUS_TRY(changeOne(
          *db_,
          "UPDATE recordings SET kind = ?2, session_id = ?3, start_ms = ?4, end_ms = ?5, size_bytes = ?6, "
          "duration_ms = ?7, codecs = ?8, format = ?9, complete = ?10, keep = ?11 WHERE id = ?1",
          [&](Statement& s) {
            s.bind(1, recording.id)
                .bind(2, recording.kind)
                .bind(3, recording.sessionId)
                .bind(4, recording.startMs)
                .bind(5, recording.endMs)
                .bind(6, recording.sizeBytes)
                .bind(7, recording.durationMs)
                .bind(8, recording.codecs)
                .bind(9, recording.format)
                .bind(10, recording.complete)
                .bind(11, recording.keep);
          },
          "recording " + std::to_string(recording.id)));
      return loadRecording(*db_, recording.id);
    });
  });
}

base::Status SqliteStore::deleteRecording(std::int64_t id) {
  return run([&] {
    return db_->write([&] {
      return changeOne(
          *db_, "DELETE FROM recordings WHERE id = ?1", [&](Statement& s) { s.bind(1, id); },
          "recording " + std::to_string(id));
    });
  });
}

// ---- snapshots

base::Result<Snapshot> SqliteStore::createSnapshot(Snapshot snapshot) {
  if (snapshot.cameraId.empty() || snapshot.path.empty()) {
    return makeError(ErrorCode::InvalidArgument, "snapshot camera or path is empty");
  }
  return run([&]() -> base::Result<Snapshot> {
    return db_->write([&]() -> base::Result<Snapshot> {
      auto s = db_->prepare(
          "INSERT INTO snapshots (camera_id, path, taken_ms, size_bytes, width, height) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
      if (!s.ok()) return s.error();
      s->bind(1, snapshot.cameraId)
          .bind(2, snapshot.path)
          .bind(3, snapshot.takenMs)
          .bind(4, snapshot.sizeBytes)
          .bind(5, snapshot.width)
          .bind(6, snapshot.height);
      OCELLUS_TRY(s->run());
      snapshot.id = db_->lastInsertRowId();
      return snapshot;
    });
  });
}

base::Result<Snapshot> SqliteStore::snapshotByPath(const std::string& path) {
  return run([&]() -> base::Result<Snapshot> {
    auto s = db_->prepare(std::string(kSelectSnapshot) + "WHERE path = ?1");
    if (!s.ok()) return s.error();
    s->bind(1, path);
    auto row = s->step();
    if (!row.ok()) return row.error();
    if (!*row) return notFound("snapshot " + quoted(path));
    return snapshotFrom(*s);
  });
}

base::Result<std::vector<Snapshot>> SqliteStore::listSnapshots(const std::optional<std::string>& camera,
                                                               int limit, int offset) {
  OCELLUS_TRY(checkPage(limit, offset));
  return run([&]() -> base::Result<std::vector<Snapshot>> {
    auto s = db_->prepare(
        std::string(kSelectSnapshot) +
        "WHERE (?1 IS NULL OR camera_id = ?1) ORDER BY taken_ms DESC, id DESC LIMIT ?2 OFFSET ?3");
    if (!s.ok()) return s.error();
    s->bind(1, camera).bind(2, limit).bind(3, offset);
    return collect<Snapshot>(*s, snapshotFrom);
  });
}

base::Result<RecordingStats> SqliteStore::snapshotStats(const std::optional<std::string>& camera) {
  return run([&]() -> base::Result<RecordingStats> {
    auto s = db_->prepare(
        "SELECT count(*), coalesce(sum(size_bytes), 0) FROM snapshots WHERE (?1 IS NULL OR camera_id = ?1)");
    if (!s.ok()) return s.error();
    s->bind(1, camera);
    return statsFrom(*s);
  });
}

base::Status SqliteStore::deleteSnapshot(std::int64_t id) {
  return run([&] {
    return db_->write([&] {
      return changeOne(
          *db_, "DELETE FROM snapshots WHERE id = ?1", [&](Statement& s) { s.bind(1, id); },
          "snapshot " + std::to_string(id));
    });
  });
}

// ---- settings

base::Result<std::optional<std::string>> SqliteStore::setting(const std::string& key) {
  return run([&] {
    return selectText(*db_, "SELECT value FROM settings WHERE key = ?1", [&](Statement& s) { s.bind(1, key); });
  });
}

base::Status SqliteStore::setSetting(const std::string& key, const std::string& value) {
  return run([&] {
    return db_->write([&] { return upsertValue(*db_, "settings", "key", key, value); });
  });
}

// ---- health

base::Status SqliteStore::ping() {
  return run([&]() -> base::Status {
    auto s = db_->prepare("SELECT 1");
    if (!s.ok()) return s.error();
    auto row = s->step();
    if (!row.ok()) return row.error();
    return {};
  });
}

base::Status SqliteStore::checkIntegrity() {
  constexpr int kMaxReported = 10;
  return run([&]() -> base::Status {
    std::string problems;
    int count = 0;
    auto report = [&](const std::string& line) {
      if (count++ < kMaxReported) problems += (problems.empty() ? "" : "; ") + line;
    };
    {
      // One row "ok" when sound, else up to N rows describing problems
      // (https://sqlite.org/pragma.html#pragma_integrity_check).
      auto s = db_->prepare("PRAGMA integrity_check(10)");
      if (!s.ok()) return s.error();
      for (;;) {
        auto row = s->step();
        if (!row.ok()) return row.error();
        if (!*row) break;
        if (const std::string line = s->text(0); line != "ok") report(line);
      }
    }
    // One row (table, rowid, parent, fkid) per violation.
    auto s = db_->prepare("PRAGMA foreign_key_check");
    if (!s.ok()) return s.error();
    for (;;) {
      auto row = s->step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      report("foreign key violation: " + s->text(0) + " rowid " + s->text(1) + " references a missing " +
             s->text(2));
    }
    if (count == 0) return {};
    return makeError(ErrorCode::Io, "integrity check: " + problems);
  });
}

}  // namespace ocellus::store::sqlite
