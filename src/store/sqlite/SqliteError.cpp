#include "store/sqlite/SqliteError.h"

#include <sqlite3.h>

#include <string>

namespace ocellus::store::sqlite {

namespace {

// "UNIQUE constraint failed: cameras.serial_number" → "serial_number";
// "UNIQUE constraint failed: t.a, t.b" → "a, b". Anything else comes back whole.
std::string clashingColumns(std::string_view message) {
  constexpr std::string_view kMarker = "constraint failed: ";
  const auto at = message.find(kMarker);
  if (at == std::string_view::npos) return std::string(message);
  std::string_view rest = message.substr(at + kMarker.size());
  std::string out;
  while (!rest.empty()) {
    const auto comma = rest.find(", ");
    std::string_view column = rest.substr(0, comma);
    if (const auto dot = column.find('.'); dot != std::string_view::npos) column.remove_prefix(dot + 1);
    if (!out.empty()) out += ", ";
    out += column;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 2);
  }
  return out;
}

}  // namespace

base::Error sqliteError(sqlite3* db, int rc, std::string_view what) {
  // The connection's message belongs to its last call; fall back to the generic text when it
  // does not describe this code (the code came from elsewhere, or there is no connection).
  std::string message = sqlite3_errstr(rc);
  if (db != nullptr && sqlite3_extended_errcode(db) == rc) message = sqlite3_errmsg(db);

  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return base::makeError(base::ErrorCode::AlreadyExists, clashingColumns(message) + " already exists");
  }
  std::string text(what);
  text += ": ";
  text += message;
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      return base::makeError(base::ErrorCode::InvalidArgument, std::move(text));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return base::makeError(base::ErrorCode::Busy, std::move(text));
    default:
      return base::makeError(base::ErrorCode::Io, std::move(text));
  }
}

}  // namespace ocellus::store::sqlite
