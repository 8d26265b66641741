#include "store/sqlite/Migrations.h"

#include <sqlite3.h>

#include <charconv>
#include <optional>
#include <set>
#include <string>

#include "base/Clock.h"
#include "base/Log.h"
#include "embedded/migrationFiles.h"
#include "store/sqlite/SqliteError.h"

namespace ocellus::store::sqlite {

namespace {

// "012_add_x.sql" → 12; nullopt without digits and a '_' after them.
std::optional<int> versionOf(std::string_view name) {
  const auto underscore = name.find('_');
  if (underscore == 0 || underscore == std::string_view::npos) return std::nullopt;
  int version = 0;
  const auto* end = name.data() + underscore;
  auto [ptr, ec] = std::from_chars(name.data(), end, version);
  if (ec != std::errc() || ptr != end || version <= 0) return std::nullopt;
  return version;
}

base::Status exec(sqlite3* db, const char* sql, std::string_view what) {
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return sqliteError(db, rc, what);
  return {};
}

base::Result<std::set<int>> appliedVersions(sqlite3* db) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, "SELECT version FROM schema_migrations", -1, &stmt, nullptr);
  if (rc != SQLITE_OK) return sqliteError(db, rc, "read schema_migrations");
  std::set<int> versions;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) versions.insert(sqlite3_column_int(stmt, 0));
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) return sqliteError(db, rc, "read schema_migrations");
  return versions;
}

base::Status apply(sqlite3* db, const embedded::EmbeddedFile& file, int version) {
  const std::string what = "migration " + std::string(file.name);
  OCELLUS_TRY(exec(db, "BEGIN IMMEDIATE", what));
  // The embedded data is NUL-terminated (EmbeddedFile), so it goes to sqlite3_exec as is.
  base::Status status = exec(db, file.data.data(), what);
  if (status.ok()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db, "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)", -1,
                                &stmt, nullptr);
    if (rc == SQLITE_OK) {
      sqlite3_bind_int(stmt, 1, version);
      sqlite3_bind_int64(stmt, 2, base::wallMillis(base::Clock::system().wallNow()));
      rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    if (rc != SQLITE_OK) status = sqliteError(db, rc, what);
    sqlite3_finalize(stmt);
  }
  if (status.ok()) status = exec(db, "COMMIT", what);
  if (!status.ok() && sqlite3_get_autocommit(db) == 0) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  return status;
}

}  // namespace

std::span<const embedded::EmbeddedFile> bundledMigrations() {
  return migrationFiles();
}

int latestMigrationVersion(std::span<const embedded::EmbeddedFile> migrations) {
  int latest = 0;
  for (const auto& file : migrations) {
    if (auto v = versionOf(file.name); v && *v > latest) latest = *v;
  }
  return latest;
}

base::Status applyMigrations(sqlite3* db, int upToVersion,
                             std::span<const embedded::EmbeddedFile> migrations) {
  const base::Logger log("store");
  int previous = 0;
  for (const auto& file : migrations) {
    const auto version = versionOf(file.name);
    if (!version) {
      return base::makeError(base::ErrorCode::Malformed,
                             "migration " + std::string(file.name) + " has no version");
    }
    if (*version <= previous) {
      return base::makeError(base::ErrorCode::Malformed, "migration " + std::string(file.name) +
                                                             " is out of order (versions must increase)");
    }
    previous = *version;
  }

  OCELLUS_TRY(exec(db,
                   "CREATE TABLE IF NOT EXISTS schema_migrations ("
                   "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
                   "create schema_migrations"));
  auto applied = appliedVersions(db);
  if (!applied.ok()) return applied.error();
  if (!applied->empty() && *applied->rbegin() > previous) {
    return base::makeError(base::ErrorCode::InvalidState,
                           "database schema version " + std::to_string(*applied->rbegin()) +
                               " is newer than this build's " + std::to_string(previous));
  }

  for (const auto& file : migrations) {
    const int version = *versionOf(file.name);
    if (upToVersion != kAllMigrations && version > upToVersion) break;
    if (applied->contains(version)) continue;
    OCELLUS_TRY(apply(db, file, version));
    log.info("applied migration {}", file.name);
  }
  return {};
}

}  // namespace ocellus::store::sqlite
