#pragma once

#include <span>

#include "base/Result.h"
#include "embedded/EmbeddedFile.h"

struct sqlite3;

namespace ocellus::store::sqlite {

// Schema migrations are numbered SQL files, src/store/migrations/NNN_what.sql, compiled into
// the binary (cmake/Embed.cmake). The number before the first '_' is the version; names sort in
// version order (zero-padded), and a shipped file is never edited: a change is a new file.
// A migration must not contain BEGIN/COMMIT, and since foreign keys are on, a table rebuild
// follows https://sqlite.org/lang_altertable.html#otheralter with PRAGMA defer_foreign_keys.

// Passed as `upToVersion`: apply every migration.
inline constexpr int kAllMigrations = -1;

// The migrations compiled into this build, sorted by name.
std::span<const embedded::EmbeddedFile> bundledMigrations();

// The highest version among `migrations` (0 when there are none).
int latestMigrationVersion(std::span<const embedded::EmbeddedFile> migrations = bundledMigrations());

// Brings `db` up to `upToVersion` (kAllMigrations: the latest): creates
// schema_migrations(version, applied_at) if needed, then applies each migration not recorded
// there, in order, each in its own transaction together with its schema_migrations row, so a
// crash leaves the database at the previous version. Fails with InvalidState when the database
// records a version `migrations` does not know (a newer build wrote it), with Malformed when a
// name has no version or two sort out of order, and with the SQL error of a failing migration.
// `migrations` and `upToVersion` also let tests bring a database up one step at a time.
base::Status applyMigrations(sqlite3* db, int upToVersion = kAllMigrations,
                             std::span<const embedded::EmbeddedFile> migrations = bundledMigrations());

}  // namespace ocellus::store::sqlite
