#pragma once

// Private to src/api: the state shared by ControlPlane.cpp (wiring, system routes, files),
// RestRoutes.cpp (REST resources) and RpcApi.cpp (JSON-RPC over WebSocket).

#include <boost/asio/thread_pool.hpp>
#include <boost/json.hpp>

#include "api/ApiError.h"
#include "api/ControlPlane.h"
#include "api/events/EventBus.h"
#include "api/http/Router.h"
#include "api/recordings/RecordingService.h"
#include "api/recordings/SnapshotService.h"
#include "base/Clock.h"
#include "base/Log.h"

namespace ocellus::api {

struct ControlPlane::Impl {
  Impl(boost::asio::io_context& c, store::Store& s, auth::AuthService& a, media::StreamRegistry& r,
       sources::SourceManager& src, Options o);

  boost::asio::io_context& control;
  store::Store& store;
  auth::AuthService& auth;
  media::StreamRegistry& registry;
  Options options;
  base::Logger log{"api"};
  events::EventBus bus;
  cameras::CameraService cameras;
  boost::asio::thread_pool work{2};  // password hashing: never on the loop
  std::unique_ptr<events::WebhookSender> webhooks;
  std::shared_ptr<http::Router> router;
  std::unique_ptr<http::HttpServer> server;
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);
  std::chrono::steady_clock::time_point startedAt = std::chrono::steady_clock::now();
  bool ready = false;
  std::map<std::string, std::unique_ptr<boost::asio::steady_timer>> offlineTimers;  // camera id → pending alert
  std::map<std::string, std::chrono::steady_clock::time_point> rateAlerted;         // token id → last alert
  std::shared_ptr<void> rpc;  // RpcApi state (RpcApi.cpp)
  // The latest mediaAccess(): replaced on the control loop, read on any (std::atomic_load).
  std::shared_ptr<const media::AccessControl> media;
  std::unique_ptr<recordings::RecordingService> recordings;
  std::unique_ptr<recordings::SnapshotService> snapshots;

  // --- requests
  // The caller's identity from "Authorization: Bearer", "X-API-Key" or (files) a signed URL;
  // throws ApiError 401/403/429. An empty permission only needs a valid credential.
  auth::Identity authenticate(const http::HttpRequest& request);
  auth::Identity require(const http::HttpRequest& request, std::string_view permission);
  // The same without taking a request from an API token's hourly budget: media reads (HLS
  // playlists and parts, WHEP) come by the hundred per minute from one player, and a player
  // with ?token= never counted either. Throws ApiError 401.
  auth::Identity identify(const http::HttpRequest& request);
  void requirePermission(const auth::Identity& identity, std::string_view permission) const;
  void requireCamera(const auth::Identity& identity, const std::string& cameraId) const;
  // The request body as a JSON object; 400 VALIDATION_FAILED when it is not one.
  static boost::json::object body(const http::HttpRequest& request);
  static http::HttpResponse json(int status, const boost::json::value& value);
  static ApiError fromAuth(const auth::AuthError& error);
  http::HttpResponse errorOf(const ApiError& error, const http::HttpRequest& request) const;

  using Sync = std::function<http::HttpResponse(http::HttpRequest&)>;
  // A route whose handler answers at once; ApiError and other exceptions become error bodies.
  void add(http::Router& router, http::Method method, std::string_view pattern, Sync handler);
  // The same, run on the worker pool (handlers that hash passwords).
  void addBlocking(http::Router& router, http::Method method, std::string_view pattern, Sync handler);
  http::HttpResponse run(http::HttpRequest& request, const Sync& handler);
  // A route whose checks (credentials, camera, query) run at once on the loop and return the
  // heavy part (file reads and writes), which then runs on the worker pool.
  using Checked = std::function<Sync(http::HttpRequest&)>;
  void addOffLoop(http::Router& router, http::Method method, std::string_view pattern, Checked check);

  // --- events and alerts
  void raiseAlert(const std::string& type, const std::string& severity, const std::string& message,
                  const std::string& camera);
  void onCameraStatus(const events::Event& event);
  void onRateLimited(const auth::Identity& identity);

  // --- route groups
  void addSystemRoutes(http::Router& router);
  void addFileRoutes(http::Router& router);
  void addRestRoutes(http::Router& router);  // RestRoutes.cpp
  void addRpc(http::Router& router);         // RpcApi.cpp
  void addWebRtcRoutes(http::Router& router);  // WebRtcRoutes.cpp
  void addHlsRoutes(http::Router& router);     // HlsRoutes.cpp
  void addRecordingRoutes(http::Router& router);  // RecordingRoutes.cpp
  void addDashboardRoutes(http::Router& router);  // DashboardRoutes.cpp

  // --- recording, shared by REST and JSON-RPC (RecordingRoutes.cpp); throw ApiError
  static constexpr std::int64_t kMaxSessionSeconds = 7 * 24 * 3600;
  // A recording the caller may see; 404 RECORDING_NOT_FOUND otherwise.
  store::Recording recordingOf(const auth::Identity& identity, std::int64_t id);
  // {recordings, total, limit, offset}.
  boost::json::object listRecordings(const auth::Identity& identity, store::RecordingFilter filter);
  // The file and its row; 409 RECORDING_IN_PROGRESS while it is written.
  void deleteRecording(const auth::Identity& identity, const store::Recording& recording, const std::string& remoteIp);
  base::Result<boost::json::object> storageJson();  // get_storage_info, /analytics/storage/usage
  boost::json::object retentionJson() const;         // the policy set_retention_policy set
  static ApiError sessionError(const base::Error& error, const std::string& camera);
  static ApiError snapshotError(const base::Error& error, const std::string& camera);
  // The player page of a stream and its files (GET /{path}/, /{path}/<file>); WebRtcRoutes.cpp.
  http::HttpResponse playerPage(http::HttpRequest& request);
  // Media reads and publishes over HTTP (WHEP, HLS): the path rules and anonymous policy of
  // ocellus.yml, else a credential with media:read / media:publish and the camera in scope:
  // in a header, or as a ?token= (a JWT or an API token) for players that cannot send headers.
  // Takes nothing from an API token's hourly budget (identify). Throws ApiError 401/403.
  // Thread-safe, as HLS requests are authorized on their connections' loops (a credential may
  // cost a synchronous store lookup, as for an RTSP session).
  void authorizeMedia(const http::HttpRequest& request, const std::string& path, media::MediaAction action);
  // Whether that request would need no credential. Thread-safe.
  bool allowsAnonymousMedia(const http::HttpRequest& request, const std::string& path, media::MediaAction action) const;
  // The HLS playlist URL of `path` for the caller: with ?token=<the caller's credential> when the
  // media policy does not let the request read anonymously. HlsRoutes.cpp.
  std::string hlsPlaylistUrl(const http::HttpRequest& request, const std::string& path) const;
};

// Whether an API token's camera scope (empty: every camera) covers the stream at `path`, the
// path of one of its cameras ("cameras/<id>", or the demo's, which is its id). The one scope
// check of media reads and publishes, over HTTP (authorizeMedia) and RTSP/RTMP/SRT
// (StoreMediaAccess) alike; a path that is no camera's is outside every scope.
bool scopeCoversPath(const std::vector<std::string>& cameraScope, std::string_view path);

// Shared JSON shapes.
boost::json::object userJson(const store::User& user);
boost::json::object tokenJson(const store::ApiToken& token);
boost::json::object alertJson(const store::Alert& alert);
boost::json::object recordingJson(const store::Recording& recording);
boost::json::object snapshotJson(const store::Snapshot& snapshot);
boost::json::object recordingSessionJson(const recordings::RecordingService::Session& session);
std::string isoMs(store::TimeMs ms);

}  // namespace ocellus::api
