#include "store/sqlite/SqliteStore.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <set>
#include <thread>

#include "unit/store/TempDir.h"

namespace ocellus::store::sqlite {
namespace {

using base::ErrorCode;

User makeUser(const std::string& name) {
  User u;
  u.username = name;
  u.passwordHash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  u.role = "operator";
  u.digestMd5 = "md5-" + name;
  u.digestSha256 = "sha-" + name;
  return u;
}

Camera makeCamera(const std::string& id, std::optional<std::string> serial = std::nullopt) {
  Camera c;
  c.id = id;
  c.name = "Camera " + id;
  c.company = "Acme";
  c.model = "X1";
  c.serialNumber = std::move(serial);
  c.location = "Lobby";
  c.place = "North wall";
  c.source = "rtsp://10.0.0.2/" + id;
  return c;
}

ApiToken makeToken(const std::string& id) {
  ApiToken t;
  t.id = id;
  t.name = "token " + id;
  t.remark = "for tests";
  t.secretHash = std::string(64, 'a');
  t.digestMd5 = "md5";
  t.digestSha256 = "sha";
  t.permissions = {"streams:read", "cameras:read", "alerts:read"};
  t.cameraScope = {"cam-2", "cam-1"};
  t.rateLimitPerHour = 250;
  t.expiresAt = 4'000'000'000'000;
  t.createdBy = 1;
  return t;
}

// An AlertFilter; nullptr leaves a field unfiltered.
AlertFilter where(const char* severity, const char* type, const char* camera, int limit = 100,
                  int offset = 0) {
  AlertFilter f;
  if (severity != nullptr) f.severity = severity;
  if (type != nullptr) f.type = type;
  if (camera != nullptr) f.camera = camera;
  f.limit = limit;
  f.offset = offset;
  return f;
}

RefreshToken makeRefresh(const std::string& hash, const std::string& family, std::int64_t userId) {
  RefreshToken r;
  r.hash = hash;
  r.familyId = family;
  r.userId = userId;
  r.expiresAt = 4'000'000'000'000;
  return r;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { reopen(); }

  void reopen() {
    store_.reset();
    auto opened = SqliteStore::open(dir_.file("ocellus.db"));
    ASSERT_TRUE(opened.ok()) << opened.error().describe();
    store_ = std::move(*opened);
  }

  // Rows in `table`, read over a second connection (the store's own is on its thread).
  std::int64_t count(const std::string& table) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(dir_.file("ocellus.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
              SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, ("SELECT count(*) FROM " + table).c_str(), -1, &stmt, nullptr),
              SQLITE_OK);
    EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
    const std::int64_t n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return n;
  }

  TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
};

// ---- users

TEST_F(SqliteStoreTest, UserRoundTrip) {
  auto created = store_->createUser(makeUser("alice"));
  ASSERT_TRUE(created.ok()) << created.error().describe();
  EXPECT_GT(created->id, 0);
  EXPECT_GT(created->createdAt, 0);
  EXPECT_EQ(created->updatedAt, created->createdAt);

  auto byId = store_->userById(created->id);
  ASSERT_TRUE(byId.ok());
  EXPECT_EQ(byId->username, "alice");
  EXPECT_EQ(byId->passwordHash, created->passwordHash);
  EXPECT_EQ(byId->role, "operator");
  EXPECT_EQ(byId->digestMd5, "md5-alice");
  EXPECT_EQ(byId->digestSha256, "sha-alice");
  EXPECT_TRUE(byId->isActive);
  EXPECT_EQ(byId->createdAt, created->createdAt);
  EXPECT_FALSE(byId->lastLoginAt);

  auto byName = store_->userByName("alice");
  ASSERT_TRUE(byName.ok());
  EXPECT_EQ(byName->id, created->id);

  ASSERT_TRUE(store_->createUser(makeUser("bob")).ok());
  auto all = store_->listUsers();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].username, "alice");
  EXPECT_EQ((*all)[1].username, "bob");

  User changed = *byId;
  changed.username = "alice2";
  changed.role = "admin";
  changed.isActive = false;
  changed.createdAt = 1;  // ignored: createdAt never changes
  auto updated = store_->updateUser(changed);
  ASSERT_TRUE(updated.ok()) << updated.error().describe();
  EXPECT_EQ(updated->username, "alice2");
  EXPECT_EQ(updated->role, "admin");
  EXPECT_FALSE(updated->isActive);
  EXPECT_EQ(updated->createdAt, created->createdAt);
  EXPECT_GE(updated->updatedAt, created->updatedAt);
  EXPECT_EQ(store_->userByName("alice").error().code, ErrorCode::NotFound);

  ASSERT_TRUE(store_->touchLogin(created->id, 1234).ok());
  EXPECT_EQ(store_->userById(created->id)->lastLoginAt, 1234);

  ASSERT_TRUE(store_->deleteUser(created->id).ok());
  EXPECT_EQ(store_->userById(created->id).error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->listUsers()->size(), 1u);
}

TEST_F(SqliteStoreTest, DuplicateUsernameIsAlreadyExists) {
  ASSERT_TRUE(store_->createUser(makeUser("alice")).ok());
  auto again = store_->createUser(makeUser("alice"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::AlreadyExists);
  EXPECT_EQ(again.error().message, "username already exists");

  auto bob = store_->createUser(makeUser("bob"));
  ASSERT_TRUE(bob.ok());
  User renamed = *bob;
  renamed.username = "alice";
  auto clash = store_->updateUser(renamed);
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().code, ErrorCode::AlreadyExists);
  EXPECT_EQ(store_->userById(bob->id)->username, "bob");  // the failed write left nothing behind
}

TEST_F(SqliteStoreTest, MissingUserIsNotFound) {
  User ghost = makeUser("ghost");
  ghost.id = 42;
  for (const auto& error :
       {store_->userById(42).error(), store_->userByName("nobody").error(), store_->updateUser(ghost).error(),
        store_->deleteUser(42).error(), store_->touchLogin(42, 1).error(), store_->setPreferences(42, "{}").error()}) {
    EXPECT_EQ(error.code, ErrorCode::NotFound) << error.describe();
    EXPECT_NE(error.message.find("user"), std::string::npos) << error.message;
  }
  EXPECT_EQ(store_->userById(42).error().message, "user 42 not found");
}

TEST_F(SqliteStoreTest, DeletedUserIdIsNeverReused) {
  ASSERT_TRUE(store_->createUser(makeUser("a")).ok());
  auto b = store_->createUser(makeUser("b"));
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(store_->deleteUser(b->id).ok());
  auto c = store_->createUser(makeUser("c"));
  ASSERT_TRUE(c.ok());
  EXPECT_GT(c->id, b->id);
}

TEST_F(SqliteStoreTest, PreferencesArePerUserReplacedWholeAndDeletedWithTheUser) {
  auto alice = store_->createUser(makeUser("alice"));
  auto bob = store_->createUser(makeUser("bob"));
  ASSERT_TRUE(alice.ok() && bob.ok());
  auto none = store_->preferences(alice->id);
  ASSERT_TRUE(none.ok()) << none.error().describe();
  EXPECT_FALSE(*none);

  ASSERT_TRUE(store_->setPreferences(alice->id, R"({"live":{"layout":4}})").ok());
  ASSERT_TRUE(store_->setPreferences(bob->id, R"({"live":{"layout":9}})").ok());
  ASSERT_TRUE(store_->setPreferences(alice->id, R"({"live":{"layout":16,"order":["demo"]}})").ok());
  EXPECT_EQ(*store_->preferences(alice->id), R"({"live":{"layout":16,"order":["demo"]}})");
  EXPECT_EQ(*store_->preferences(bob->id), R"({"live":{"layout":9}})");
  EXPECT_EQ(count("user_preferences"), 2);

  ASSERT_TRUE(store_->deleteUser(alice->id).ok());
  EXPECT_EQ(count("user_preferences"), 1);
  EXPECT_FALSE(*store_->preferences(alice->id));
  reopen();
  EXPECT_EQ(*store_->preferences(bob->id), R"({"live":{"layout":9}})");
}

// ---- cameras

TEST_F(SqliteStoreTest, CameraRoundTrip) {
  Camera in = makeCamera("cam-1", "SN-1");
  in.onDemand = true;
  in.streamKey = "k-1";
  in.record = "continuous";
  auto created = store_->createCamera(in);
  ASSERT_TRUE(created.ok()) << created.error().describe();
  EXPECT_GT(created->createdAt, 0);

  auto got = store_->cameraById("cam-1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "Camera cam-1");
  EXPECT_EQ(got->company, "Acme");
  EXPECT_EQ(got->model, "X1");
  EXPECT_EQ(got->serialNumber, "SN-1");
  EXPECT_EQ(got->location, "Lobby");
  EXPECT_EQ(got->place, "North wall");
  EXPECT_EQ(got->source, "rtsp://10.0.0.2/cam-1");
  EXPECT_TRUE(got->onDemand);
  EXPECT_TRUE(got->isActive);
  EXPECT_EQ(got->streamKey, "k-1");
  EXPECT_EQ(got->record, "continuous");
  EXPECT_EQ(got->createdAt, created->createdAt);

  ASSERT_TRUE(store_->createCamera(makeCamera("cam-2")).ok());
  auto all = store_->listCameras();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].record, "continuous");
  EXPECT_FALSE((*all)[1].serialNumber);
  EXPECT_EQ((*all)[1].record, "off");

  Camera changed = *got;
  changed.name = "Front door";
  changed.serialNumber.reset();
  changed.isActive = false;
  changed.record = "off";
  auto updated = store_->updateCamera(changed);
  ASSERT_TRUE(updated.ok()) << updated.error().describe();
  EXPECT_EQ(updated->name, "Front door");
  EXPECT_FALSE(updated->serialNumber);
  EXPECT_FALSE(updated->isActive);
  EXPECT_EQ(updated->record, "off");
  EXPECT_EQ(store_->cameraById("cam-1")->record, "off");
  EXPECT_EQ(updated->createdAt, created->createdAt);

  ASSERT_TRUE(store_->deleteCamera("cam-1").ok());
  EXPECT_EQ(store_->cameraById("cam-1").error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->cameraById("cam-1").error().message, "camera 'cam-1' not found");
  EXPECT_EQ(store_->deleteCamera("cam-1").error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->updateCamera(changed).error().code, ErrorCode::NotFound);
}

TEST_F(SqliteStoreTest, CameraUniqueColumnsAreAlreadyExists) {
  ASSERT_TRUE(store_->createCamera(makeCamera("cam-1", "SN-1")).ok());

  auto serial = store_->createCamera(makeCamera("cam-2", "SN-1"));
  ASSERT_FALSE(serial.ok());
  EXPECT_EQ(serial.error().code, ErrorCode::AlreadyExists);
  EXPECT_EQ(serial.error().message, "serial_number already exists");

  auto id = store_->createCamera(makeCamera("cam-1", "SN-2"));
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code, ErrorCode::AlreadyExists);
  EXPECT_EQ(id.error().message, "id already exists");

  // Cameras without a serial number or a stream key do not clash.
  ASSERT_TRUE(store_->createCamera(makeCamera("cam-3")).ok());
  ASSERT_TRUE(store_->createCamera(makeCamera("cam-4")).ok());

  Camera keyed = makeCamera("cam-5");
  keyed.streamKey = "secret";
  ASSERT_TRUE(store_->createCamera(keyed).ok());
  keyed.id = "cam-6";
  auto key = store_->createCamera(keyed);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().message, "stream_key already exists");

  auto c3 = *store_->cameraById("cam-3");
  c3.serialNumber = "SN-1";
  auto update = store_->updateCamera(c3);
  ASSERT_FALSE(update.ok());
  EXPECT_EQ(update.error().code, ErrorCode::AlreadyExists);
  EXPECT_EQ(update.error().message, "serial_number already exists");
}

TEST_F(SqliteStoreTest, UnknownRecordModeIsInvalid) {
  Camera camera = makeCamera("cam-1");
  camera.record = "sometimes";
  EXPECT_EQ(store_->createCamera(camera).error().code, ErrorCode::InvalidArgument);
  camera.record = "off";
  ASSERT_TRUE(store_->createCamera(camera).ok());
  camera.record = "always";
  EXPECT_EQ(store_->updateCamera(camera).error().code, ErrorCode::InvalidArgument);
  EXPECT_EQ(store_->cameraById("cam-1")->record, "off");
}

TEST_F(SqliteStoreTest, EmptyIdsAreInvalid) {
  EXPECT_EQ(store_->createCamera(makeCamera("")).error().code, ErrorCode::InvalidArgument);
  EXPECT_EQ(store_->createToken(makeToken("")).error().code, ErrorCode::InvalidArgument);
}

// ---- API tokens

TEST_F(SqliteStoreTest, TokenRoundTripKeepsListsInOrder) {
  auto created = store_->createToken(makeToken("tok_1"));
  ASSERT_TRUE(created.ok()) << created.error().describe();
  EXPECT_GT(created->createdAt, 0);

  auto got = store_->tokenById("tok_1");
  ASSERT_TRUE(got.ok()) << got.error().describe();
  EXPECT_EQ(got->name, "token tok_1");
  EXPECT_EQ(got->remark, "for tests");
  EXPECT_EQ(got->secretHash, std::string(64, 'a'));
  EXPECT_EQ(got->digestMd5, "md5");
  EXPECT_EQ(got->digestSha256, "sha");
  EXPECT_EQ(got->permissions, (std::vector<std::string>{"streams:read", "cameras:read", "alerts:read"}));
  EXPECT_EQ(got->cameraScope, (std::vector<std::string>{"cam-2", "cam-1"}));
  EXPECT_EQ(got->rateLimitPerHour, 250);
  EXPECT_EQ(got->expiresAt, 4'000'000'000'000);
  EXPECT_FALSE(got->lastUsedAt);
  EXPECT_TRUE(got->isActive);
  EXPECT_EQ(got->createdBy, 1);
  EXPECT_EQ(got->createdAt, created->createdAt);

  ApiToken bare = makeToken("tok_2");
  bare.permissions.clear();
  bare.cameraScope.clear();
  bare.expiresAt.reset();
  ASSERT_TRUE(store_->createToken(bare).ok());

  auto all = store_->listTokens();
  ASSERT_TRUE(all.ok()) << all.error().describe();
  ASSERT_EQ(all->size(), 2u);
  const auto& first = (*all)[0].id == "tok_1" ? (*all)[0] : (*all)[1];
  const auto& second = (*all)[0].id == "tok_1" ? (*all)[1] : (*all)[0];
  EXPECT_EQ(first.permissions, got->permissions);
  EXPECT_EQ(first.cameraScope, got->cameraScope);
  EXPECT_TRUE(second.permissions.empty());
  EXPECT_TRUE(second.cameraScope.empty());
  EXPECT_FALSE(second.expiresAt);

  ApiToken changed = *got;
  changed.name = "renamed";
  changed.permissions = {"admin"};
  changed.cameraScope = {};
  changed.isActive = false;
  auto updated = store_->updateToken(changed);
  ASSERT_TRUE(updated.ok()) << updated.error().describe();
  EXPECT_EQ(updated->name, "renamed");
  EXPECT_EQ(updated->permissions, std::vector<std::string>{"admin"});
  EXPECT_TRUE(updated->cameraScope.empty());
  EXPECT_FALSE(updated->isActive);
  EXPECT_EQ(updated->createdAt, created->createdAt);

  ASSERT_TRUE(store_->touchToken("tok_1", 777).ok());
  EXPECT_EQ(store_->tokenById("tok_1")->lastUsedAt, 777);

  ASSERT_TRUE(store_->deleteToken("tok_1").ok());
  EXPECT_EQ(store_->tokenById("tok_1").error().code, ErrorCode::NotFound);
  // Its permissions went with it (foreign keys are on).
  EXPECT_EQ(count("api_token_permissions"), 0);
}

TEST_F(SqliteStoreTest, TokenErrors) {
  ASSERT_TRUE(store_->createToken(makeToken("tok_1")).ok());
  auto dup = store_->createToken(makeToken("tok_1"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::AlreadyExists);
  EXPECT_EQ(dup.error().message, "id already exists");
  EXPECT_EQ(count("api_token_permissions"), 3);  // the failed insert added none

  EXPECT_EQ(store_->tokenById("tok_x").error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->updateToken(makeToken("tok_x")).error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->deleteToken("tok_x").error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->touchToken("tok_x", 1).error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->tokenById("tok_x").error().message, "token 'tok_x' not found");
}

// ---- refresh tokens

TEST_F(SqliteStoreTest, RefreshTokenIsConsumedOnce) {
  auto user = store_->createUser(makeUser("alice"));
  ASSERT_TRUE(user.ok());
  ASSERT_TRUE(store_->insertRefreshToken(makeRefresh("h1", "fam-1", user->id)).ok());

  auto got = store_->refreshTokenByHash("h1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->familyId, "fam-1");
  EXPECT_EQ(got->userId, user->id);
  EXPECT_EQ(got->expiresAt, 4'000'000'000'000);
  EXPECT_FALSE(got->usedAt);
  EXPECT_FALSE(got->revoked);
  EXPECT_GT(got->createdAt, 0);

  auto first = store_->consumeRefreshToken("h1", 100);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(*first);
  auto second = store_->consumeRefreshToken("h1", 200);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(*second);
  EXPECT_EQ(store_->refreshTokenByHash("h1")->usedAt, 100);  // the first use stands

  EXPECT_EQ(store_->consumeRefreshToken("nope", 1).error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->refreshTokenByHash("nope").error().code, ErrorCode::NotFound);
}

TEST_F(SqliteStoreTest, RefreshTokenErrors) {
  EXPECT_EQ(store_->insertRefreshToken(makeRefresh("h1", "f", 99)).error().code, ErrorCode::NotFound);
  auto user = store_->createUser(makeUser("alice"));
  ASSERT_TRUE(store_->insertRefreshToken(makeRefresh("h1", "f", user->id)).ok());
  auto dup = store_->insertRefreshToken(makeRefresh("h1", "g", user->id));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::AlreadyExists);
  EXPECT_EQ(dup.error().message, "hash already exists");
}

TEST_F(SqliteStoreTest, RevokingAFamilyLeavesOthers) {
  auto user = store_->createUser(makeUser("alice"));
  ASSERT_TRUE(user.ok());
  for (const char* hash : {"a1", "a2", "a3"})
    ASSERT_TRUE(store_->insertRefreshToken(makeRefresh(hash, "fam-a", user->id)).ok());
  ASSERT_TRUE(store_->insertRefreshToken(makeRefresh("b1", "fam-b", user->id)).ok());

  ASSERT_TRUE(*store_->consumeRefreshToken("a1", 10));
  // a1 presented again: reuse, so the caller revokes the family.
  ASSERT_FALSE(*store_->consumeRefreshToken("a1", 20));
  ASSERT_TRUE(store_->revokeRefreshFamily("fam-a").ok());
  for (const char* hash : {"a1", "a2", "a3"}) EXPECT_TRUE(store_->refreshTokenByHash(hash)->revoked) << hash;
  EXPECT_FALSE(*store_->consumeRefreshToken("a2", 30));
  EXPECT_FALSE(store_->refreshTokenByHash("a2")->usedAt);  // a revoked token is not marked used

  EXPECT_FALSE(store_->refreshTokenByHash("b1")->revoked);
  EXPECT_TRUE(*store_->consumeRefreshToken("b1", 40));
  ASSERT_TRUE(store_->revokeRefreshFamily("no-such-family").ok());
}

TEST_F(SqliteStoreTest, RevokingAUsersTokens) {
  auto alice = store_->createUser(makeUser("alice"));
  auto bob = store_->createUser(makeUser("bob"));
  ASSERT_TRUE(store_->insertRefreshToken(makeRefresh("a", "fa", alice->id)).ok());
  ASSERT_TRUE(store_->insertRefreshToken(makeRefresh("b", "fb", bob->id)).ok());

  ASSERT_TRUE(store_->revokeRefreshTokensOfUser(alice->id).ok());
  EXPECT_TRUE(store_->refreshTokenByHash("a")->revoked);
  EXPECT_FALSE(store_->refreshTokenByHash("b")->revoked);

  // Deleting a user revokes its tokens and keeps them, so a replay reads as revoked.
  ASSERT_TRUE(store_->deleteUser(bob->id).ok());
  auto b = store_->refreshTokenByHash("b");
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->revoked);
  EXPECT_FALSE(*store_->consumeRefreshToken("b", 1));
}

TEST_F(SqliteStoreTest, RacingConsumersHaveOneWinner) {
  auto user = store_->createUser(makeUser("alice"));
  ASSERT_TRUE(store_->insertRefreshToken(makeRefresh("h", "f", user->id)).ok());
  std::atomic<int> winners{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto won = store_->consumeRefreshToken("h", i + 1);
      if (won.ok() && *won) ++winners;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(winners, 1);
}

// ---- alerts

TEST_F(SqliteStoreTest, AlertsFilterPageAndAcknowledge) {
  struct Row {
    const char* type;
    const char* severity;
    const char* camera;
    TimeMs at;
  };
  const Row rows[] = {
      {"camera_offline", "warning", "cam-1", 1000}, {"camera_offline", "critical", "cam-2", 2000},
      {"storage_full", "critical", "", 3000},       {"recording_failed", "warning", "cam-1", 4000},
      {"api_rate_limit", "info", "", 5000},
  };
  std::vector<std::int64_t> ids;
  for (const auto& r : rows) {
    Alert a;
    a.type = r.type;
    a.severity = r.severity;
    a.camera = r.camera;
    a.message = std::string(r.type) + " on " + r.camera;
    a.createdAt = r.at;
    auto created = store_->createAlert(a);
    ASSERT_TRUE(created.ok()) << created.error().describe();
    EXPECT_GT(created->id, 0);
    ids.push_back(created->id);
  }

  auto all = store_->listAlerts({});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ(all->front().createdAt, 5000);  // newest first
  EXPECT_EQ(all->back().createdAt, 1000);
  EXPECT_EQ(all->back().message, "camera_offline on cam-1");

  auto critical = store_->listAlerts(where("critical", nullptr, nullptr));
  ASSERT_EQ(critical->size(), 2u);
  EXPECT_EQ((*critical)[0].type, "storage_full");
  EXPECT_EQ((*critical)[1].camera, "cam-2");

  EXPECT_EQ(store_->listAlerts(where(nullptr, "camera_offline", nullptr))->size(), 2u);
  EXPECT_EQ(store_->listAlerts(where(nullptr, nullptr, "cam-1"))->size(), 2u);
  EXPECT_EQ(store_->listAlerts(where("warning", nullptr, "cam-1"))->size(), 2u);
  EXPECT_EQ(store_->listAlerts(where("info", nullptr, "cam-1"))->size(), 0u);

  auto page = store_->listAlerts(where(nullptr, nullptr, nullptr, 2, 1));
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].createdAt, 4000);
  EXPECT_EQ((*page)[1].createdAt, 3000);
  EXPECT_EQ(store_->listAlerts(where(nullptr, nullptr, nullptr, -1)).error().code,
            ErrorCode::InvalidArgument);

  auto acked = store_->acknowledgeAlert(ids[2], 7, 9000);
  ASSERT_TRUE(acked.ok()) << acked.error().describe();
  EXPECT_TRUE(acked->acknowledged);
  EXPECT_EQ(acked->acknowledgedBy, 7);
  EXPECT_EQ(acked->acknowledgedAt, 9000);
  auto again = store_->acknowledgeAlert(ids[2], 8, 9500);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->acknowledgedBy, 7);  // the first acknowledgement stands
  EXPECT_EQ(again->acknowledgedAt, 9000);
  EXPECT_FALSE(store_->listAlerts(where(nullptr, "camera_offline", nullptr))->front().acknowledged);

  auto missing = store_->acknowledgeAlert(12345, 7, 1);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
  EXPECT_EQ(missing.error().message, "alert 12345 not found");
}

// ---- audit

TEST_F(SqliteStoreTest, AuditAppendsAndListsNewestFirst) {
  for (int i = 1; i <= 5; ++i) {
    AuditEntry e;
    e.at = i * 1000;
    e.actor = i % 2 != 0 ? "alice" : "token:tok_1";
    e.action = "login";
    e.target = "user " + std::to_string(i);
    e.remoteIp = "127.0.0.1";
    e.success = i != 3;
    e.details = R"({"n":)" + std::to_string(i) + "}";
    ASSERT_TRUE(store_->appendAudit(e).ok());
  }
  AuditEntry unstamped;
  unstamped.actor = "anonymous";
  unstamped.action = "login_failed";
  ASSERT_TRUE(store_->appendAudit(unstamped).ok());

  auto all = store_->listAudit(100, 0);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 6u);
  EXPECT_EQ(all->front().actor, "anonymous");  // stamped with the current time
  EXPECT_GT(all->front().at, 5000);
  EXPECT_EQ((*all)[1].at, 5000);
  EXPECT_EQ((*all)[1].details, R"({"n":5})");
  EXPECT_EQ((*all)[3].target, "user 3");
  EXPECT_FALSE((*all)[3].success);
  EXPECT_EQ((*all)[3].remoteIp, "127.0.0.1");

  auto page = store_->listAudit(2, 2);
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].at, 4000);
  EXPECT_EQ((*page)[1].at, 3000);
  EXPECT_EQ(store_->listAudit(10, -1).error().code, ErrorCode::InvalidArgument);
}

// ---- recordings

Recording makeRecording(const std::string& camera, TimeMs start, TimeMs end, std::int64_t size) {
  Recording r;
  r.cameraId = camera;
  r.path = camera + "/" + std::to_string(start) + ".mp4";
  r.startMs = start;
  r.endMs = end;
  r.sizeBytes = size;
  r.durationMs = end - start;
  r.codecs = "avc1.64001f,mp4a.40.2";
  r.complete = true;
  return r;
}

// The start times of `rows`, in their order.
std::vector<TimeMs> startsOf(const base::Result<std::vector<Recording>>& rows) {
  std::vector<TimeMs> starts;
  if (!rows.ok()) {
    ADD_FAILURE() << rows.error().describe();
    return starts;
  }
  for (const auto& r : *rows) starts.push_back(r.startMs);
  return starts;
}

TEST_F(SqliteStoreTest, RecordingRoundTrip) {
  Recording in = makeRecording("cam-1", 1000, 1000, 0);
  in.complete = false;
  auto created = store_->createRecording(in);
  ASSERT_TRUE(created.ok()) << created.error().describe();
  EXPECT_GT(created->id, 0);
  EXPECT_GT(created->createdAt, 0);

  auto byId = store_->recordingById(created->id);
  ASSERT_TRUE(byId.ok()) << byId.error().describe();
  EXPECT_EQ(byId->cameraId, "cam-1");
  EXPECT_EQ(byId->path, "cam-1/1000.mp4");
  EXPECT_EQ(byId->kind, "segment");
  EXPECT_EQ(byId->sessionId, "");
  EXPECT_EQ(byId->startMs, 1000);
  EXPECT_EQ(byId->endMs, 1000);
  EXPECT_EQ(byId->codecs, "avc1.64001f,mp4a.40.2");
  EXPECT_EQ(byId->format, "mp4");
  EXPECT_FALSE(byId->complete);
  EXPECT_FALSE(byId->keep);
  EXPECT_EQ(byId->createdAt, created->createdAt);
  EXPECT_EQ(store_->recordingByPath("cam-1/1000.mp4")->id, created->id);

  // The recorder's updates as fragments land and the file closes; the owner's keep flag.
  Recording changed = *byId;
  changed.kind = "session";
  changed.sessionId = "ses-1";
  changed.endMs = 61'000;
  changed.sizeBytes = 123'456;
  changed.durationMs = 59'990;
  changed.codecs = "hvc1.1.6.L93.B0";
  changed.format = "mkv";
  changed.complete = true;
  changed.keep = true;
  changed.cameraId = "cam-9";  // ignored: a recording never moves
  changed.path = "elsewhere.mp4";
  changed.createdAt = 1;
  auto updated = store_->updateRecording(changed);
  ASSERT_TRUE(updated.ok()) << updated.error().describe();
  EXPECT_EQ(updated->kind, "session");
  EXPECT_EQ(updated->sessionId, "ses-1");
  EXPECT_EQ(updated->endMs, 61'000);
  EXPECT_EQ(updated->sizeBytes, 123'456);
  EXPECT_EQ(updated->durationMs, 59'990);
  EXPECT_EQ(updated->codecs, "hvc1.1.6.L93.B0");
  EXPECT_EQ(updated->format, "mkv");
  EXPECT_TRUE(updated->complete);
  EXPECT_TRUE(updated->keep);
  EXPECT_EQ(updated->cameraId, "cam-1");
  EXPECT_EQ(updated->path, "cam-1/1000.mp4");
  EXPECT_EQ(updated->createdAt, created->createdAt);

  ASSERT_TRUE(store_->deleteRecording(created->id).ok());
  EXPECT_EQ(count("recordings"), 0);
  const std::string missing = "recording " + std::to_string(created->id) + " not found";
  EXPECT_EQ(store_->recordingById(created->id).error().message, missing);
  EXPECT_EQ(store_->deleteRecording(created->id).error().message, missing);
  EXPECT_EQ(store_->updateRecording(changed).error().message, missing);
  EXPECT_EQ(store_->recordingByPath("cam-1/1000.mp4").error().message,
            "recording 'cam-1/1000.mp4' not found");
}

TEST_F(SqliteStoreTest, RecordingErrors) {
  ASSERT_TRUE(store_->createRecording(makeRecording("cam-1", 1000, 2000, 10)).ok());
  auto clash = store_->createRecording(makeRecording("cam-1", 1000, 3000, 10));
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().code, ErrorCode::AlreadyExists);
  EXPECT_EQ(clash.error().message, "path already exists");

  Recording bad = makeRecording("cam-1", 5000, 6000, 10);
  bad.kind = "clip";
  EXPECT_EQ(store_->createRecording(bad).error().code, ErrorCode::InvalidArgument);
  EXPECT_EQ(store_->createRecording(makeRecording("", 5000, 6000, 10)).error().code,
            ErrorCode::InvalidArgument);
  Recording pathless = makeRecording("cam-1", 5000, 6000, 10);
  pathless.path.clear();
  EXPECT_EQ(store_->createRecording(pathless).error().code, ErrorCode::InvalidArgument);
  EXPECT_EQ(count("recordings"), 1);

  RecordingFilter page;
  page.limit = -1;
  EXPECT_EQ(store_->listRecordings(page).error().code, ErrorCode::InvalidArgument);
  page.limit = 10;
  page.offset = -1;
  EXPECT_EQ(store_->listRecordings(page).error().code, ErrorCode::InvalidArgument);
}

class RecordingFilterTest : public SqliteStoreTest {
 protected:
  // cam-1: three back-to-back segments of 1 s from 1000, then a session just opened at 2500
  // (end = start, incomplete). cam-2: one kept segment over 1500–2500, 5 bytes.
  void SetUp() override {
    SqliteStoreTest::SetUp();
    for (TimeMs start : {1000, 2000, 3000}) {
      ASSERT_TRUE(store_->createRecording(makeRecording("cam-1", start, start + 1000, 100)).ok());
    }
    Recording kept = makeRecording("cam-2", 1500, 2500, 5);
    kept.keep = true;
    ASSERT_TRUE(store_->createRecording(kept).ok());
    Recording open = makeRecording("cam-1", 2500, 2500, 0);
    open.path = "cam-1/session.mp4";
    open.kind = "session";
    open.sessionId = "ses-1";
    open.complete = false;
    ASSERT_TRUE(store_->createRecording(open).ok());
  }

  std::vector<TimeMs> starts(RecordingFilter filter) {
    filter.oldestFirst = true;
    return startsOf(store_->listRecordings(filter));
  }
};

TEST_F(RecordingFilterTest, EveryRowNewestFirstByDefault) {
  EXPECT_EQ(startsOf(store_->listRecordings({})), (std::vector<TimeMs>{3000, 2500, 2000, 1500, 1000}));
  EXPECT_EQ(starts({}), (std::vector<TimeMs>{1000, 1500, 2000, 2500, 3000}));
}

TEST_F(RecordingFilterTest, FieldFilters) {
  RecordingFilter camera;
  camera.camera = "cam-2";
  EXPECT_EQ(starts(camera), std::vector<TimeMs>{1500});
  camera.camera = "cam-3";
  EXPECT_TRUE(starts(camera).empty());

  RecordingFilter kind;
  kind.kind = "session";
  EXPECT_EQ(starts(kind), std::vector<TimeMs>{2500});
  kind.kind = "segment";
  kind.camera = "cam-1";
  EXPECT_EQ(starts(kind), (std::vector<TimeMs>{1000, 2000, 3000}));

  RecordingFilter keep;
  keep.keep = true;
  EXPECT_EQ(starts(keep), std::vector<TimeMs>{1500});
  keep.keep = false;
  EXPECT_EQ(starts(keep), (std::vector<TimeMs>{1000, 2000, 2500, 3000}));

  RecordingFilter complete;
  complete.complete = false;
  EXPECT_EQ(starts(complete), std::vector<TimeMs>{2500});
  complete.complete = true;
  complete.keep = false;
  EXPECT_EQ(starts(complete), (std::vector<TimeMs>{1000, 2000, 3000}));
}

TEST_F(RecordingFilterTest, TimeRangeSelectsOverlaps) {
  auto range = [](std::optional<TimeMs> from, std::optional<TimeMs> to) {
    RecordingFilter f;
    f.camera = "cam-1";
    f.from = from;
    f.to = to;
    return f;
  };
  // [from, to) is half-open: a segment ending at `from` or starting at `to` only touches it.
  EXPECT_EQ(starts(range(2000, 3000)), (std::vector<TimeMs>{2000, 2500}));
  EXPECT_EQ(starts(range(1999, 3001)), (std::vector<TimeMs>{1000, 2000, 2500, 3000}));
  EXPECT_EQ(starts(range(2100, 2200)), std::vector<TimeMs>{2000});  // inside one segment
  // The session just opened is the instant 2500.
  EXPECT_EQ(starts(range(2500, 2501)), (std::vector<TimeMs>{2000, 2500}));
  EXPECT_EQ(starts(range(2501, 2600)), std::vector<TimeMs>{2000});
  // Open ends.
  EXPECT_EQ(starts(range(3500, std::nullopt)), std::vector<TimeMs>{3000});
  EXPECT_EQ(starts(range(std::nullopt, 2000)), std::vector<TimeMs>{1000});
  EXPECT_TRUE(starts(range(4000, 9000)).empty());
  EXPECT_TRUE(starts(range(3000, 3000)).empty());
}

TEST_F(RecordingFilterTest, PagesAndStats) {
  RecordingFilter page;
  page.limit = 2;
  EXPECT_EQ(startsOf(store_->listRecordings(page)), (std::vector<TimeMs>{3000, 2500}));
  page.offset = 2;
  EXPECT_EQ(startsOf(store_->listRecordings(page)), (std::vector<TimeMs>{2000, 1500}));
  page.offset = 4;
  EXPECT_EQ(startsOf(store_->listRecordings(page)), std::vector<TimeMs>{1000});
  page.limit = 0;  // no limit
  page.offset = 1;
  EXPECT_EQ(startsOf(store_->listRecordings(page)), (std::vector<TimeMs>{2500, 2000, 1500, 1000}));

  // Equal starts keep creation order, reversed when newest first.
  Recording twin = makeRecording("cam-3", 1000, 1200, 1);
  ASSERT_TRUE(store_->createRecording(twin).ok());
  RecordingFilter at1000;
  at1000.to = 1001;
  at1000.oldestFirst = true;
  auto oldest = store_->listRecordings(at1000);
  ASSERT_EQ(oldest->size(), 2u);
  EXPECT_EQ((*oldest)[0].cameraId, "cam-1");
  EXPECT_EQ((*oldest)[1].cameraId, "cam-3");
  at1000.oldestFirst = false;
  EXPECT_EQ(store_->listRecordings(at1000)->front().cameraId, "cam-3");

  auto all = store_->recordingStats(page);  // limit and offset are ignored
  ASSERT_TRUE(all.ok()) << all.error().describe();
  EXPECT_EQ(all->count, 6);
  EXPECT_EQ(all->bytes, 306);
  RecordingFilter deletable;
  deletable.keep = false;
  deletable.camera = "cam-1";
  deletable.from = 1500;
  EXPECT_EQ(store_->recordingStats(deletable)->count, 4);
  EXPECT_EQ(store_->recordingStats(deletable)->bytes, 300);
  deletable.camera = "nobody";
  EXPECT_EQ(store_->recordingStats(deletable)->count, 0);
  EXPECT_EQ(store_->recordingStats(deletable)->bytes, 0);
}

// ---- snapshots

Snapshot makeSnapshot(const std::string& camera, TimeMs taken) {
  Snapshot p;
  p.cameraId = camera;
  p.path = camera + "/" + std::to_string(taken) + ".jpg";
  p.takenMs = taken;
  p.sizeBytes = 1000 + taken;
  p.width = 1280;
  p.height = 720;
  return p;
}

TEST_F(SqliteStoreTest, Snapshots) {
  for (TimeMs taken : {10, 30, 20}) ASSERT_TRUE(store_->createSnapshot(makeSnapshot("cam-1", taken)).ok());
  auto other = store_->createSnapshot(makeSnapshot("cam-2", 40));
  ASSERT_TRUE(other.ok()) << other.error().describe();
  EXPECT_GT(other->id, 0);

  auto got = store_->snapshotByPath("cam-2/40.jpg");
  ASSERT_TRUE(got.ok()) << got.error().describe();
  EXPECT_EQ(got->id, other->id);
  EXPECT_EQ(got->cameraId, "cam-2");
  EXPECT_EQ(got->takenMs, 40);
  EXPECT_EQ(got->sizeBytes, 1040);
  EXPECT_EQ(got->width, 1280);
  EXPECT_EQ(got->height, 720);

  auto taken = [](const base::Result<std::vector<Snapshot>>& rows) {
    std::vector<TimeMs> out;
    for (const auto& p : *rows) out.push_back(p.takenMs);
    return out;
  };
  EXPECT_EQ(taken(store_->listSnapshots(std::nullopt, 100, 0)), (std::vector<TimeMs>{40, 30, 20, 10}));
  EXPECT_EQ(taken(store_->listSnapshots("cam-1", 100, 0)), (std::vector<TimeMs>{30, 20, 10}));
  EXPECT_EQ(taken(store_->listSnapshots("cam-1", 1, 1)), std::vector<TimeMs>{20});
  EXPECT_EQ(store_->listSnapshots(std::nullopt, -1, 0).error().code, ErrorCode::InvalidArgument);
  EXPECT_EQ(store_->snapshotStats(std::nullopt)->count, 4);
  EXPECT_EQ(store_->snapshotStats(std::nullopt)->bytes, 4100);
  EXPECT_EQ(store_->snapshotStats("cam-1")->bytes, 3060);
  EXPECT_EQ(store_->snapshotStats("cam-9")->count, 0);

  auto clash = store_->createSnapshot(makeSnapshot("cam-1", 10));
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.error().code, ErrorCode::AlreadyExists);
  EXPECT_EQ(clash.error().message, "path already exists");
  EXPECT_EQ(store_->createSnapshot(makeSnapshot("", 50)).error().code, ErrorCode::InvalidArgument);

  ASSERT_TRUE(store_->deleteSnapshot(other->id).ok());
  EXPECT_EQ(store_->deleteSnapshot(other->id).error().code, ErrorCode::NotFound);
  EXPECT_EQ(store_->snapshotByPath("cam-2/40.jpg").error().message, "snapshot 'cam-2/40.jpg' not found");
  EXPECT_EQ(count("snapshots"), 3);
}

// ---- settings, health, persistence

TEST_F(SqliteStoreTest, Settings) {
  auto missing = store_->setting("retention");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(*missing);
  ASSERT_TRUE(store_->setSetting("retention", R"({"days":7})").ok());
  EXPECT_EQ(*store_->setting("retention"), R"({"days":7})");
  ASSERT_TRUE(store_->setSetting("retention", R"({"days":30})").ok());
  EXPECT_EQ(*store_->setting("retention"), R"({"days":30})");
  EXPECT_EQ(count("settings"), 1);
}

TEST_F(SqliteStoreTest, PingAndIntegrity) {
  EXPECT_TRUE(store_->ping().ok());
  auto integrity = store_->checkIntegrity();
  EXPECT_TRUE(integrity.ok()) << integrity.error().describe();
}

TEST_F(SqliteStoreTest, DataSurvivesReopenInWalMode) {
  ASSERT_TRUE(store_->createUser(makeUser("alice")).ok());
  ASSERT_TRUE(store_->createToken(makeToken("tok_1")).ok());
  ASSERT_TRUE(store_->setSetting("k", "1").ok());
  reopen();
  EXPECT_TRUE(store_->userByName("alice").ok());
  EXPECT_EQ(store_->tokenById("tok_1")->permissions.size(), 3u);
  EXPECT_EQ(*store_->setting("k"), "1");

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir_.file("ocellus.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

TEST_F(SqliteStoreTest, OpenFailsOnAMissingFolder) {
  auto opened = SqliteStore::open(dir_.file("no/such/folder/ocellus.db"));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::Io);
}

// ---- threads

TEST_F(SqliteStoreTest, ConcurrentWritersAndReaders) {
  constexpr int kThreads = 8;
  constexpr int kEach = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string name = "user-" + std::to_string(t) + "-" + std::to_string(i);
        auto user = store_->createUser(makeUser(name));
        if (!user.ok()) ++failures;
        AuditEntry e;
        e.actor = name;
        e.action = "user_created";
        if (!store_->appendAudit(e).ok()) ++failures;
        if (!store_->createToken(makeToken("tok_" + name)).ok()) ++failures;
        if (!store_->userByName(name).ok()) ++failures;
        if (!store_->listAlerts({}).ok()) ++failures;
        if (user.ok() && !store_->touchLogin(user->id, i).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, 0);

  auto users = store_->listUsers();
  ASSERT_TRUE(users.ok());
  EXPECT_EQ(users->size(), static_cast<std::size_t>(kThreads * kEach));
  std::set<std::int64_t> ids;
  for (const auto& u : *users) ids.insert(u.id);
  EXPECT_EQ(ids.size(), users->size());
  EXPECT_EQ(store_->listAudit(10'000, 0)->size(), static_cast<std::size_t>(kThreads * kEach));
  auto tokens = store_->listTokens();
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ(tokens->size(), static_cast<std::size_t>(kThreads * kEach));
  for (const auto& t : *tokens) EXPECT_EQ(t.permissions.size(), 3u) << t.id;
}

}  // namespace
}  // namespace ocellus::store::sqlite
