#pragma once

#include <string_view>

#include "base/Result.h"

struct sqlite3;

namespace ocellus::store::sqlite {

// Maps an SQLite result code (extended codes are on, https://sqlite.org/rescode.html) and the
// connection's last message to our one error table:
//   SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY → AlreadyExists, "<column> already exists"
//   other SQLITE_CONSTRAINT_*              → InvalidArgument
//   SQLITE_BUSY / SQLITE_LOCKED            → Busy
//   anything else                          → Io
// `what` says what was being done ("prepare", "migration 001_initial.sql"); it prefixes every
// message but the AlreadyExists one, which callers show as is. `db` may be null.
base::Error sqliteError(sqlite3* db, int rc, std::string_view what);

}  // namespace ocellus::store::sqlite
