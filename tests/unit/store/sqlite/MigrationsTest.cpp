#include "store/sqlite/Migrations.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <vector>

#include "store/sqlite/SqliteStore.h"
#include "unit/store/TempDir.h"

namespace ocellus::store::sqlite {
namespace {

using base::ErrorCode;
using embedded::EmbeddedFile;

// A raw connection, for looking at a database from outside the store.
class Connection {
 public:
  explicit Connection(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) ADD_FAILURE() << "open " << path;
  }
  ~Connection() { sqlite3_close(db_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* get() { return db_; }

  // Every row of `sql`, each column as text ("NULL" for NULL).
  std::vector<std::vector<std::string>> rows(const std::string& sql) {
    std::vector<std::vector<std::string>> out;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return out;
    }
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        row.emplace_back(text != nullptr ? text : "NULL");
      }
      out.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    return out;
  }

  std::vector<std::string> column(const std::string& sql) {
    std::vector<std::string> out;
    for (auto& row : rows(sql)) out.push_back(row.at(0));
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

// EmbeddedFile data must be NUL-terminated, as ocellus_embed makes it.
struct Migration {
  std::string name;
  std::string sql;
};

std::vector<EmbeddedFile> filesOf(const std::vector<Migration>& migrations) {
  std::vector<EmbeddedFile> files;
  for (const auto& m : migrations) files.push_back({m.name, std::string_view(m.sql.c_str(), m.sql.size())});
  return files;
}

const std::vector<Migration> kSynthetic = {
    {"001_a.sql", "CREATE TABLE a (x INTEGER);"},
    {"002_b.sql", "ALTER TABLE a ADD COLUMN y TEXT; INSERT INTO a (x, y) VALUES (1, 'one');"},
    {"010_c.sql", "CREATE INDEX a_y ON a (y);"},
};

const std::string kSchema = "SELECT type, name, sql FROM sqlite_master ORDER BY name";
const std::string kVersions = "SELECT version FROM schema_migrations ORDER BY version";

TEST(MigrationsTest, BundledMigrationsAreNumberedFromOneWithoutGaps) {
  const auto files = bundledMigrations();
  ASSERT_FALSE(files.empty());
  EXPECT_EQ(latestMigrationVersion(), static_cast<int>(files.size()));
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::string prefix = std::to_string(i + 1);
    prefix = std::string(prefix.size() < 3 ? 3 - prefix.size() : 0, '0') + prefix + "_";
    EXPECT_EQ(files[i].name.substr(0, 4), prefix) << files[i].name;
    EXPECT_TRUE(files[i].name.ends_with(".sql")) << files[i].name;
    EXPECT_EQ(files[i].data.data()[files[i].data.size()], '\0');  // NUL after the data
  }
  EXPECT_EQ(files.front().name, "001_initial.sql");
  ASSERT_NE(embedded::find(files, "001_initial.sql"), nullptr);
  EXPECT_NE(embedded::find(files, "001_initial.sql")->data.find("CREATE TABLE users"),
            std::string_view::npos);
  EXPECT_EQ(embedded::find(files, "000_none.sql"), nullptr);
}

// The schema a database reaches must not depend on how many opens it took to get there.
TEST(MigrationsTest, FreshAndStepwiseDatabasesHaveTheSameSchema) {
  TempDir dir;
  const std::string stepwise = dir.file("stepwise.db");
  const std::string fresh = dir.file("fresh.db");

  for (int version = 0; version <= latestMigrationVersion(); ++version) {
    Connection db(stepwise);
    auto applied = applyMigrations(db.get(), version);
    ASSERT_TRUE(applied.ok()) << "to version " << version << ": " << applied.error().describe();
    EXPECT_EQ(db.column(kVersions).size(), static_cast<std::size_t>(version));
  }
  // The store finds nothing left to do on the stepwise database, and builds the fresh one at once.
  for (const auto& path : {stepwise, fresh}) {
    auto store = SqliteStore::open(path);
    ASSERT_TRUE(store.ok()) << store.error().describe();
  }

  Connection a(stepwise);
  Connection b(fresh);
  const auto schema = a.rows(kSchema);
  EXPECT_EQ(schema, b.rows(kSchema));
  EXPECT_EQ(a.column(kVersions), b.column(kVersions));
  EXPECT_EQ(b.column(kVersions).size(), static_cast<std::size_t>(latestMigrationVersion()));

  // And the schema is the one we asked for.
  std::vector<std::string> names;
  for (const auto& row : schema) names.push_back(row.at(1));
  for (const char* expected :
       {"users", "cameras", "api_tokens", "api_token_permissions", "api_token_cameras", "refresh_tokens",
        "refresh_tokens_family", "alerts", "alerts_created_at", "audit_log", "audit_log_at", "settings",
        "recordings", "recordings_camera_start", "recordings_unkept_start", "recordings_incomplete_start",
        "snapshots", "user_preferences", "schema_migrations"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
}

// 002 adds columns with defaults: rows written before it read back as cameras that do not
// record and as plain segments.
TEST(MigrationsTest, RowsFromVersionOneTakeTheDefaultsOfTwo) {
  TempDir dir;
  const std::string path = dir.file("t.db");
  {
    Connection db(path);
    ASSERT_TRUE(applyMigrations(db.get(), 1).ok());
    ASSERT_EQ(sqlite3_exec(db.get(),
                           "INSERT INTO cameras (id, name, source, created_at, updated_at) "
                           "VALUES ('cam-1', 'Door', 'publisher', 1, 1);"
                           "INSERT INTO recordings (camera_id, path, start_ms, end_ms, created_at) "
                           "VALUES ('cam-1', 'cam-1/a.mp4', 10, 20, 1);",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
  }
  auto store = SqliteStore::open(path);
  ASSERT_TRUE(store.ok()) << store.error().describe();
  EXPECT_EQ((*store)->cameraById("cam-1")->record, "off");
  auto recording = (*store)->recordingByPath("cam-1/a.mp4");
  ASSERT_TRUE(recording.ok()) << recording.error().describe();
  EXPECT_EQ(recording->kind, "segment");
  EXPECT_EQ(recording->format, "mp4");
  EXPECT_FALSE(recording->complete);
  EXPECT_FALSE(recording->keep);
}

TEST(MigrationsTest, AppliesPendingMigrationsOnceInOrder) {
  TempDir dir;
  Connection db(dir.file("t.db"));
  const auto files = filesOf(kSynthetic);
  EXPECT_EQ(latestMigrationVersion(files), 10);

  ASSERT_TRUE(applyMigrations(db.get(), 2, files).ok());
  EXPECT_EQ(db.column(kVersions), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(db.column("SELECT y FROM a"), std::vector<std::string>{"one"});

  ASSERT_TRUE(applyMigrations(db.get(), kAllMigrations, files).ok());
  EXPECT_EQ(db.column(kVersions), (std::vector<std::string>{"1", "2", "10"}));
  EXPECT_EQ(db.column("SELECT name FROM sqlite_master WHERE name = 'a_y'").size(), 1u);

  // Nothing pending: nothing runs again (002 would insert a second row).
  ASSERT_TRUE(applyMigrations(db.get(), kAllMigrations, files).ok());
  EXPECT_EQ(db.column("SELECT count(*) FROM a"), std::vector<std::string>{"1"});
}

TEST(MigrationsTest, AFailingMigrationRollsBackAloneAndStops) {
  TempDir dir;
  Connection db(dir.file("t.db"));
  const std::vector<Migration> migrations = {
      {"001_a.sql", "CREATE TABLE a (x INTEGER);"},
      {"002_bad.sql", "CREATE TABLE b (x INTEGER); INSERT INTO missing VALUES (1);"},
      {"003_c.sql", "CREATE TABLE c (x INTEGER);"},
  };
  auto applied = applyMigrations(db.get(), kAllMigrations, filesOf(migrations));
  ASSERT_FALSE(applied.ok());
  EXPECT_NE(applied.error().message.find("002_bad.sql"), std::string::npos) << applied.error().message;
  EXPECT_EQ(db.column(kVersions), std::vector<std::string>{"1"});
  EXPECT_EQ(db.column("SELECT name FROM sqlite_master WHERE name IN ('a', 'b', 'c') ORDER BY name"),
            std::vector<std::string>{"a"});
  EXPECT_TRUE(sqlite3_get_autocommit(db.get()));  // no transaction left open
}

TEST(MigrationsTest, RefusesADatabaseFromANewerBuild) {
  TempDir dir;
  Connection db(dir.file("t.db"));
  ASSERT_TRUE(applyMigrations(db.get(), kAllMigrations, filesOf(kSynthetic)).ok());
  const std::vector<Migration> older(kSynthetic.begin(), kSynthetic.begin() + 2);
  auto applied = applyMigrations(db.get(), kAllMigrations, filesOf(older));
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().code, ErrorCode::InvalidState);
}

TEST(MigrationsTest, RefusesNamesWithoutVersionsOrOutOfOrder) {
  TempDir dir;
  Connection db(dir.file("t.db"));
  for (const auto& migrations :
       {std::vector<Migration>{{"initial.sql", "SELECT 1;"}},
        std::vector<Migration>{{"000_zero.sql", "SELECT 1;"}},
        // As ocellus_embed sorts them: "10_" before "2_".
        std::vector<Migration>{{"10_a.sql", "SELECT 1;"}, {"2_b.sql", "SELECT 1;"}}}) {
    auto applied = applyMigrations(db.get(), kAllMigrations, filesOf(migrations));
    ASSERT_FALSE(applied.ok()) << migrations.front().name;
    EXPECT_EQ(applied.error().code, ErrorCode::Malformed);
  }
}

}  // namespace
}  // namespace ocellus::store::sqlite
