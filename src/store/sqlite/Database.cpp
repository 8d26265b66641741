#include "store/sqlite/Database.h"

#include <sqlite3.h>

#include "store/sqlite/SqliteError.h"

namespace ocellus::store::sqlite {

base::Result<std::unique_ptr<Database>> Database::open(const std::string& path) {
  sqlite3* raw = nullptr;
  // NOMUTEX: the connection is only ever used from one thread (the class comment).
  const int rc = sqlite3_open_v2(path.c_str(), &raw,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  // Even a failed open returns a handle to close (https://sqlite.org/c3ref/open.html).
  std::unique_ptr<Database> db(new Database(raw));
  if (rc != SQLITE_OK) return sqliteError(raw, rc, "open " + path);
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);

  // journal_mode answers with the mode in force, which stays "delete" where WAL cannot work
  // (a network file system, https://sqlite.org/wal.html §"Overview").
  {
    auto mode = db->prepare("PRAGMA journal_mode=WAL");
    if (!mode.ok()) return mode.error();
    auto row = mode->step();
    if (!row.ok()) return row.error();
    if (!*row || mode->text(0) != "wal") {
      return base::makeError(base::ErrorCode::Io, "cannot use write-ahead logging for " + path);
    }
  }
  // In WAL mode NORMAL syncs at checkpoints only: a commit survives a crash of the process
  // (it is in the WAL, in the OS's cache) but may be lost with power
  // (https://sqlite.org/pragma.html#pragma_synchronous).
  OCELLUS_TRY(db->exec("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"));
  return db;
}

Database::~Database() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  cache_.clear();
  if (db_ == nullptr) return;
  // Recommended before closing a long-lived connection (https://sqlite.org/pragma.html#pragma_optimize).
  sqlite3_exec(db_, "PRAGMA optimize", nullptr, nullptr, nullptr);
  if (const int rc = sqlite3_close(db_); rc != SQLITE_OK) {
    log_.error("close: {}", sqlite3_errstr(rc));
  }
}

base::Result<Statement> Database::prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    // PERSISTENT: the statement lives for the whole connection
    // (https://sqlite.org/c3ref/c_prepare_normalize.html).
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return sqliteError(db_, rc, "prepare \"" + std::string(sql) + "\"");
    it = cache_.emplace(std::string(sql), Cached{stmt, false}).first;
  }
  if (it->second.inUse) {
    return base::makeError(base::ErrorCode::Internal, "statement already in use: " + std::string(sql));
  }
  it->second.inUse = true;
  return Statement(it->second.stmt, &it->second.inUse);
}

base::Status Database::exec(const std::string& sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);  // the same text as sqlite3_errmsg, which sqliteError reads
  if (rc != SQLITE_OK) return sqliteError(db_, rc, "exec");
  return {};
}

std::int64_t Database::changes() const {
  return sqlite3_changes64(db_);
}

std::int64_t Database::lastInsertRowId() const {
  return sqlite3_last_insert_rowid(db_);
}

base::Status Database::execCached(std::string_view sql) {
  auto stmt = prepare(sql);
  if (!stmt.ok()) return stmt.error();
  return stmt->run();
}

void Database::rollback() {
  // Some errors (SQLITE_FULL, SQLITE_IOERR, …) roll back on their own
  // (https://sqlite.org/lang_transaction.html#response_to_errors_within_a_transaction).
  if (sqlite3_get_autocommit(db_) != 0) return;
  if (auto s = execCached("ROLLBACK"); !s.ok()) log_.error("rollback: {}", s.error().describe());
}

}  // namespace ocellus::store::sqlite
