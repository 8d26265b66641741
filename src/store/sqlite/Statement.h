#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/Result.h"

struct sqlite3_stmt;

namespace ocellus::store::sqlite {

// One use of a prepared statement borrowed from Database's cache: bind, step, read columns.
// Going out of scope resets the statement and clears its bindings, so the next use finds it
// fresh and no read transaction is left open behind it. Used on the database's thread only; must
// not outlive the Database that lent it. Parameters and columns are numbered as in SQLite:
// parameters from 1 (?1, ?2, …), columns from 0.
class Statement {
 public:
  // `inUse` is the cache's flag for this statement; it is cleared when this use ends.
  Statement(sqlite3_stmt* stmt, bool* inUse) : stmt_(stmt), inUse_(inUse) {}
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;

  // A failed bind is kept and reported by the next step() or run(). Text is copied.
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value ? 1 : 0)); }
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  // Without this overload a literal would convert to bool before string_view.
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::optional<std::int64_t>& value);
  Statement& bind(int index, const std::optional<std::string>& value);
  Statement& bindNull(int index);

  // Steps once: true when a row is ready to read, false when the statement is done.
  base::Result<bool> step();
  // Steps to the end, ignoring any rows (INSERT, UPDATE, DELETE).
  base::Status run();

  // Columns of the current row.
  std::int64_t integer(int column) const;
  std::optional<std::int64_t> optionalInteger(int column) const;
  bool boolean(int column) const { return integer(column) != 0; }
  std::string text(int column) const;
  std::optional<std::string> optionalText(int column) const;

 private:
  Statement& checkBind(int rc);

  sqlite3_stmt* stmt_;
  bool* inUse_;
  int bindRc_ = 0;  // SQLITE_OK
};

}  // namespace ocellus::store::sqlite
