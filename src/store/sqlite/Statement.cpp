#include "store/sqlite/Statement.h"

#include <sqlite3.h>

#include <utility>

#include "store/sqlite/SqliteError.h"

namespace ocellus::store::sqlite {

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  // reset() repeats the last step's error, which step() has already reported.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  *inUse_ = false;
}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), inUse_(other.inUse_), bindRc_(other.bindRc_) {}

Statement& Statement::checkBind(int rc) {
  if (rc != SQLITE_OK && bindRc_ == SQLITE_OK) bindRc_ = rc;
  return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
  return checkBind(sqlite3_bind_int64(stmt_, index, value));
}

Statement& Statement::bind(int index, std::string_view value) {
  return checkBind(
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bindNull(index);
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, std::string_view(*value)) : bindNull(index);
}

Statement& Statement::bindNull(int index) {
  return checkBind(sqlite3_bind_null(stmt_, index));
}

base::Result<bool> Statement::step() {
  sqlite3* db = sqlite3_db_handle(stmt_);
  if (bindRc_ != SQLITE_OK)
    return sqliteError(db, bindRc_, std::string("bind in \"") + sqlite3_sql(stmt_) + "\"");
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return sqliteError(db, rc, std::string("step \"") + sqlite3_sql(stmt_) + "\"");
}

base::Status Statement::run() {
  for (;;) {
    auto row = step();
    if (!row.ok()) return row.error();
    if (!*row) return {};
  }
}

std::int64_t Statement::integer(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::optional<std::int64_t> Statement::optionalInteger(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  return integer(column);
}

std::string Statement::text(int column) const {
  // column_text before column_bytes: the byte count is of the text conversion
  // (https://sqlite.org/c3ref/column_blob.html).
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (data == nullptr) return {};
  return std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::string> Statement::optionalText(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  return text(column);
}

}  // namespace ocellus::store::sqlite
