#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/Result.h"

namespace ocellus::store {

// Times are milliseconds since the Unix epoch (UTC). Optional times are absent when never set.
using TimeMs = std::int64_t;

struct User {
  std::int64_t id = 0;
  std::string username;       // unique
  std::string passwordHash;   // argon2id string (libsodium crypto_pwhash_str format)
  std::string role;           // admin | operator | viewer | api_only
  // RTSP Digest (RFC 7616) needs H(A1) = H(username:realm:password), which cannot be derived
  // from the argon2id hash; kept for realm "ocellus" when the password is set. Hex.
  std::string digestMd5;
  std::string digestSha256;
  bool isActive = true;
  TimeMs createdAt = 0;
  TimeMs updatedAt = 0;
  std::optional<TimeMs> lastLoginAt;
};

// A camera defined through the API (cameras from ocellus.yml are not stored).
struct Camera {
  std::string id;  // "cam-…" or a caller-chosen id; unique
  std::string name;
  std::string company;
  std::string model;
  std::optional<std::string> serialNumber;  // unique when present
  std::string location;
  std::string place;
  std::string source;  // rtsp://… URL, "publisher", or a device path
  bool onDemand = false;
  bool isActive = true;
  std::string streamKey;       // secret RTMP stream key (issue 5); may be empty
  std::string record = "off";  // continuous | off
  TimeMs createdAt = 0;
  TimeMs updatedAt = 0;
};

struct ApiToken {
  std::string id;          // "tok_…", public
  std::string name;
  std::string remark;
  std::string secretHash;  // SHA-256 hex of the secret; the secret itself is never stored
  std::string digestMd5;     // H(A1) for RTSP Digest with username = token id, password = secret
  std::string digestSha256;
  std::vector<std::string> permissions;
  std::vector<std::string> cameraScope;  // camera ids; empty means every camera
  int rateLimitPerHour = 1000;
  std::optional<TimeMs> expiresAt;
  std::optional<TimeMs> lastUsedAt;
  bool isActive = true;
  std::int64_t createdBy = 0;  // user id
  TimeMs createdAt = 0;
};

// One refresh token of a rotation family: using it once is fine, using it twice means it
// leaked, and the whole family is revoked.
struct RefreshToken {
  std::string hash;      // SHA-256 hex of the token
  std::string familyId;  // shared by every token rotated from the same login
  std::int64_t userId = 0;
  TimeMs expiresAt = 0;
  std::optional<TimeMs> usedAt;
  bool revoked = false;
  TimeMs createdAt = 0;
};

struct Alert {
  std::int64_t id = 0;
  std::string type;      // camera_offline | recording_failed | storage_full | api_rate_limit
  std::string severity;  // info | warning | critical
  std::string message;
  std::string camera;    // camera id, or empty
  TimeMs createdAt = 0;
  bool acknowledged = false;
  std::optional<std::int64_t> acknowledgedBy;
  std::optional<TimeMs> acknowledgedAt;
};

struct AlertFilter {
  std::optional<std::string> severity;
  std::optional<std::string> type;
  std::optional<std::string> camera;
  int limit = 100;
  int offset = 0;
};

struct AuditEntry {
  std::int64_t id = 0;
  TimeMs at = 0;
  std::string actor;   // username, "token:<id>" or "anonymous"
  std::string action;  // login, login_failed, token_used, user_created, …
  std::string target;
  std::string remoteIp;
  bool success = true;
  std::string details;  // free text or JSON
};

// One recorded file (DESIGN §5): a segment of continuous recording or the whole file of an
// on-demand session. The recorder writes the row when the file opens (complete = false) and
// updates it as fragments land and when it closes; a restart repairs incomplete rows.
struct Recording {
  std::int64_t id = 0;
  std::string cameraId;
  std::string path;              // relative to data_dir/recordings, '/'-separated; unique
  std::string kind = "segment";  // segment (continuous recording) | session (on demand)
  std::string sessionId;         // the on-demand session, empty for segments
  TimeMs startMs = 0;            // wall clock of the first sample
  TimeMs endMs = 0;              // wall clock at the end of the last sample written
  std::int64_t sizeBytes = 0;
  std::int64_t durationMs = 0;  // media time in the file
  std::string codecs;           // RFC 6381 codec strings, comma-separated
  std::string format = "mp4";
  bool complete = false;  // closed cleanly or repaired after a crash
  bool keep = false;      // retention never deletes it
  TimeMs createdAt = 0;
};

// Rows matching every field that is set. from/to select recordings overlapping [from, to); a row
// whose end is its start (a file just opened) stands for the instant startMs.
struct RecordingFilter {
  std::optional<std::string> camera;
  std::optional<std::string> kind;
  std::optional<TimeMs> from;
  std::optional<TimeMs> to;
  std::optional<bool> keep;
  std::optional<bool> complete;
  bool oldestFirst = false;  // by startMs; newest first otherwise
  int limit = 100;
  int offset = 0;
};

struct RecordingStats {
  std::int64_t count = 0;
  std::int64_t bytes = 0;
};

struct Snapshot {
  std::int64_t id = 0;
  std::string cameraId;
  std::string path;  // relative to data_dir/snapshots; unique
  TimeMs takenMs = 0;
  std::int64_t sizeBytes = 0;
  int width = 0;
  int height = 0;
};

// The one persistence interface (DESIGN §6). Every method is synchronous and thread-safe;
// an implementation may serialize calls on its own thread. Errors: NotFound for a missing
// row, AlreadyExists for a unique-key clash (the message names the column), Io for a
// storage failure. A successful write is durable against a crash of the process (kill -9).
class Store {
 public:
  virtual ~Store() = default;

  // Users
  virtual base::Result<User> createUser(User user) = 0;  // fills id, createdAt, updatedAt
  virtual base::Result<User> userById(std::int64_t id) = 0;
  virtual base::Result<User> userByName(const std::string& username) = 0;
  virtual base::Result<std::vector<User>> listUsers() = 0;
  // By id; sets updatedAt. Leaves createdAt and lastLoginAt (touchLogin's) as stored.
  virtual base::Result<User> updateUser(const User& user) = 0;
  virtual base::Status deleteUser(std::int64_t id) = 0;  // also revokes its refresh tokens
  virtual base::Status touchLogin(std::int64_t id, TimeMs at) = 0;
  // The user's dashboard preferences, JSON text the store does not read; nullopt until set.
  // Deleting the user deletes them.
  virtual base::Result<std::optional<std::string>> preferences(std::int64_t userId) = 0;
  virtual base::Status setPreferences(std::int64_t userId, const std::string& json) = 0;  // NotFound: no user

  // Cameras
  // Fills createdAt and updatedAt; an empty id is InvalidArgument.
  virtual base::Result<Camera> createCamera(Camera camera) = 0;
  virtual base::Result<Camera> cameraById(const std::string& id) = 0;
  virtual base::Result<std::vector<Camera>> listCameras() = 0;
  // By id; sets updatedAt, leaves createdAt.
  virtual base::Result<Camera> updateCamera(const Camera& camera) = 0;
  virtual base::Status deleteCamera(const std::string& id) = 0;

  // API tokens
  // Fills createdAt when 0; an empty id is InvalidArgument.
  virtual base::Result<ApiToken> createToken(ApiToken token) = 0;
  virtual base::Result<ApiToken> tokenById(const std::string& id) = 0;
  virtual base::Result<std::vector<ApiToken>> listTokens() = 0;
  // By id; replaces permissions and camera scope. Leaves createdBy, createdAt and lastUsedAt
  // (touchToken's) as stored.
  virtual base::Result<ApiToken> updateToken(const ApiToken& token) = 0;
  virtual base::Status deleteToken(const std::string& id) = 0;
  virtual base::Status touchToken(const std::string& id, TimeMs at) = 0;

  // Refresh tokens
  // NotFound when the user does not exist; fills createdAt when 0.
  virtual base::Status insertRefreshToken(const RefreshToken& token) = 0;
  virtual base::Result<RefreshToken> refreshTokenByHash(const std::string& hash) = 0;
  // Marks the token used if it was unused and not revoked; false when it was already used or
  // revoked (the caller then revokes the family); NotFound for an unknown hash. Atomic.
  virtual base::Result<bool> consumeRefreshToken(const std::string& hash, TimeMs at) = 0;
  virtual base::Status revokeRefreshFamily(const std::string& familyId) = 0;
  virtual base::Status revokeRefreshTokensOfUser(std::int64_t userId) = 0;

  // Alerts
  virtual base::Result<Alert> createAlert(Alert alert) = 0;  // fills id, and createdAt when 0
  // Newest first; a negative limit or offset is InvalidArgument.
  virtual base::Result<std::vector<Alert>> listAlerts(const AlertFilter& filter) = 0;
  // The first acknowledgement stands: acknowledging again returns the alert unchanged.
  virtual base::Result<Alert> acknowledgeAlert(std::int64_t id, std::int64_t userId, TimeMs at) = 0;

  // Audit log (append-only)
  virtual base::Status appendAudit(AuditEntry entry) = 0;  // fills `at` when 0
  // Newest first; a negative limit or offset is InvalidArgument.
  virtual base::Result<std::vector<AuditEntry>> listAudit(int limit, int offset) = 0;

  // Recordings
  // Fills id, and createdAt when 0; AlreadyExists for a path already indexed.
  virtual base::Result<Recording> createRecording(Recording recording) = 0;
  virtual base::Result<Recording> recordingById(std::int64_t id) = 0;
  virtual base::Result<Recording> recordingByPath(const std::string& path) = 0;
  // A negative limit or offset is InvalidArgument; limit 0 means no limit.
  virtual base::Result<std::vector<Recording>> listRecordings(const RecordingFilter& filter) = 0;
  // Count and summed sizeBytes of every row matching the filter (limit and offset ignored).
  virtual base::Result<RecordingStats> recordingStats(const RecordingFilter& filter) = 0;
  // By id: replaces every field but id, cameraId, path and createdAt.
  virtual base::Result<Recording> updateRecording(const Recording& recording) = 0;
  virtual base::Status deleteRecording(std::int64_t id) = 0;

  // Snapshots
  virtual base::Result<Snapshot> createSnapshot(Snapshot snapshot) = 0;  // fills id
  virtual base::Result<Snapshot> snapshotByPath(const std::string& path) = 0;
  // Newest first, optionally of one camera; a negative limit or offset is InvalidArgument.
  virtual base::Result<std::vector<Snapshot>> listSnapshots(const std::optional<std::string>& camera,
                                                            int limit, int offset) = 0;
  virtual base::Result<RecordingStats> snapshotStats(const std::optional<std::string>& camera) = 0;
  virtual base::Status deleteSnapshot(std::int64_t id) = 0;

  // Small settings (retention policy, …) as key → JSON text.
  virtual base::Result<std::optional<std::string>> setting(const std::string& key) = 0;
  virtual base::Status setSetting(const std::string& key, const std::string& value) = 0;

  // Round trip to the database; /readyz uses it.
  virtual base::Status ping() = 0;
};

}  // namespace ocellus::store
