#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/Store.h"

namespace ocellus::store::sqlite {

class Database;

// The Store on one SQLite file.
//
// Threading. The store owns one connection and one thread, and only that thread touches the
// connection: it is opened, used and closed there. Every public method posts a job to the
// thread and blocks until the job's result is back, so the store may be called from any
// thread, calls are serialized in arrival order, and no SQLite object is shared between
// threads. Calls are short (indexed lookups, small writes) but they block on the disk and, for
// up to Database::kBusyTimeoutMs, on another process's lock: control-plane code may call them
// directly; the media path never does. Nothing in the store calls out, so a call never re-enters
// the store. The destructor lets queued calls finish, closes the connection on the thread and
// joins it; no call may start once destruction has begun.
//
// Durability. The database is in WAL mode with synchronous=NORMAL: a method that returned
// success has committed its transaction to the write-ahead log in the OS, so the write survives
// a crash or kill -9 of the process and the database reopens consistent; a power failure or
// OS crash may lose the last commits (never corrupt the file), since the WAL is only synced at
// checkpoints (https://sqlite.org/pragma.html#pragma_synchronous). Every write runs in its own
// BEGIN IMMEDIATE … COMMIT, so multi-row writes (a token and its permissions, a user deletion
// and the revocation of its refresh tokens) are all-or-nothing.
//
// Schema. open() applies the pending migrations (Migrations.h) before returning. Statements are
// prepared on first use and cached for the connection's life.
//
// Errors follow Store: NotFound names what was missing ("user 7 not found"), AlreadyExists names
// the column ("username already exists"), InvalidArgument for an empty id or a negative page,
// Busy when another process holds the lock past Database::kBusyTimeoutMs, Io otherwise.
class SqliteStore : public Store {
 public:
  // Opens or creates the database at `path` (the caller creates its folder) and migrates it.
  static base::Result<std::unique_ptr<SqliteStore>> open(const std::string& path);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  base::Result<User> createUser(User user) override;
  base::Result<User> userById(std::int64_t id) override;
  base::Result<User> userByName(const std::string& username) override;
  base::Result<std::vector<User>> listUsers() override;
  base::Result<User> updateUser(const User& user) override;
  base::Status deleteUser(std::int64_t id) override;
  base::Status touchLogin(std::int64_t id, TimeMs at) override;
  base::Result<std::optional<std::string>> preferences(std::int64_t userId) override;
  base::Status setPreferences(std::int64_t userId, const std::string& json) override;

  base::Result<Camera> createCamera(Camera camera) override;
  base::Result<Camera> cameraById(const std::string& id) override;
  base::Result<std::vector<Camera>> listCameras() override;
  base::Result<Camera> updateCamera(const Camera& camera) override;
  base::Status deleteCamera(const std::string& id) override;

  base::Result<ApiToken> createToken(ApiToken token) override;
  base::Result<ApiToken> tokenById(const std::string& id) override;
  base::Result<std::vector<ApiToken>> listTokens() override;
  base::Result<ApiToken> updateToken(const ApiToken& token) override;
  base::Status deleteToken(const std::string& id) override;
  base::Status touchToken(const std::string& id, TimeMs at) override;

  base::Status insertRefreshToken(const RefreshToken& token) override;
  base::Result<RefreshToken> refreshTokenByHash(const std::string& hash) override;
  base::Result<bool> consumeRefreshToken(const std::string& hash, TimeMs at) override;
  base::Status revokeRefreshFamily(const std::string& familyId) override;
  base::Status revokeRefreshTokensOfUser(std::int64_t userId) override;

  base::Result<Alert> createAlert(Alert alert) override;
  base::Result<std::vector<Alert>> listAlerts(const AlertFilter& filter) override;
  base::Result<Alert> acknowledgeAlert(std::int64_t id, std::int64_t userId, TimeMs at) override;

  base::Status appendAudit(AuditEntry entry) override;
  base::Result<std::vector<AuditEntry>> listAudit(int limit, int offset) override;

  base::Result<Recording> createRecording(Recording recording) override;
  base::Result<Recording> recordingById(std::int64_t id) override;
  base::Result<Recording> recordingByPath(const std::string& path) override;
  base::Result<std::vector<Recording>> listRecordings(const RecordingFilter& filter) override;
  base::Result<RecordingStats> recordingStats(const RecordingFilter& filter) override;
  base::Result<Recording> updateRecording(const Recording& recording) override;
  base::Status deleteRecording(std::int64_t id) override;

  base::Result<Snapshot> createSnapshot(Snapshot snapshot) override;
  base::Result<Snapshot> snapshotByPath(const std::string& path) override;
  base::Result<std::vector<Snapshot>> listSnapshots(const std::optional<std::string>& camera, int limit,
                                                    int offset) override;
  base::Result<RecordingStats> snapshotStats(const std::optional<std::string>& camera) override;
  base::Status deleteSnapshot(std::int64_t id) override;

  base::Result<std::optional<std::string>> setting(const std::string& key) override;
  base::Status setSetting(const std::string& key, const std::string& value) override;

  base::Status ping() override;

  // PRAGMA integrity_check and foreign_key_check: Ok when the file is sound, Io listing the
  // first problems otherwise. Reads the whole file: for a maintenance command or a test, not
  // for /readyz.
  base::Status checkIntegrity();

 private:
  SqliteStore();

  // Runs `job` on the store's thread and returns its result; rethrows what it threw.
  template <typename F>
  auto run(F&& job);
  void loop();

  std::unique_ptr<Database> db_;  // opened, used and destroyed on thread_ only

  std::mutex mutex_;  // guards jobs_ and stopping_; held only to queue or take a job
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace ocellus::store::sqlite
