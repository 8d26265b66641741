#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "base/Log.h"
#include "base/Result.h"
#include "store/sqlite/Statement.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ocellus::store::sqlite {

// One SQLite connection and its cache of prepared statements. Not thread-safe: one thread opens,
// uses and destroys it (SqliteStore's). Statements it lends must not outlive it.
class Database {
 public:
  // How long a statement waits for a lock another process holds (the sqlite3 shell, a backup).
  static constexpr int kBusyTimeoutMs = 5000;

  // Opens or creates the file at `path` (its folder must exist) in WAL mode with
  // synchronous=NORMAL, foreign keys on and the busy timeout above.
  static base::Result<std::unique_ptr<Database>> open(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sqlite3* handle() { return db_; }

  // The cached statement for `sql`, prepared on first use and reused after. One use at a time:
  // asking for a statement whose previous use is still alive is an Internal error.
  base::Result<Statement> prepare(std::string_view sql);
  // Runs one or more statements without caching them (pragmas, migrations).
  base::Status exec(const std::string& sql);

  // Rows changed by the last INSERT, UPDATE or DELETE; the last inserted rowid.
  std::int64_t changes() const;
  std::int64_t lastInsertRowId() const;

  // Runs `body` (returning a Result) inside BEGIN IMMEDIATE … COMMIT: the write lock is taken
  // up front, so a write never fails half-way for a lock. An error from `body` or from COMMIT,
  // or an exception, rolls back.
  template <typename F>
  std::invoke_result_t<F&> write(F&& body) {
    return transaction("BEGIN IMMEDIATE", body);
  }
  // Runs `body` inside BEGIN … COMMIT, so several queries see one snapshot.
  template <typename F>
  std::invoke_result_t<F&> read(F&& body) {
    return transaction("BEGIN", body);
  }

 private:
  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool inUse = false;
  };

  explicit Database(sqlite3* db) : db_(db) {}
  base::Status execCached(std::string_view sql);
  void rollback();

  template <typename F>
  std::invoke_result_t<F&> transaction(std::string_view begin, F& body) {
    if (auto s = execCached(begin); !s.ok()) return s.error();
    try {
      auto result = body();
      if (!result.ok()) {
        rollback();
        return result;
      }
      if (auto s = execCached("COMMIT"); !s.ok()) {
        rollback();
        return s.error();
      }
      return result;
    } catch (...) {
      rollback();
      throw;
    }
  }

  sqlite3* db_;
  std::map<std::string, Cached, std::less<>> cache_;
  base::Logger log_{"store"};
};

}  // namespace ocellus::store::sqlite
