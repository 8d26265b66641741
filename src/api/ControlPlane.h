#pragma once

#include <boost/asio/io_context.hpp>

#include <memory>
#include <string>
#include <vector>

#include "api/cameras/CameraService.h"
#include "api/events/WebhookSender.h"
#include "api/http/HttpServer.h"
#include "api/http/Router.h"
#include "api/recordings/RecordingService.h"
#include "auth/AuthService.h"
#include "media/AccessControl.h"
#include "media/StreamRegistry.h"
#include "server/hls/HlsServer.h"
#include "server/webrtc/WebRtcServer.h"
#include "sources/SourceManager.h"
#include "store/Store.h"

namespace ocellus::api {

// The control plane (DESIGN §6) on one HTTP port: REST /api/v1, JSON-RPC 2.0 at /ws, file
// downloads, /metrics, /healthz, /readyz, the OpenAPI document; the camera registry, the
// event bus, webhooks and alerts behind them.
//
// Lives on the control loop: construct, start, stop and destroy it there (or before the loop
// runs). Password hashing runs on a small worker pool so logins never stall the loop.
class ControlPlane {
 public:
  struct Options {
    std::string dataDir;
    http::HttpServer::Options http;
    cameras::PublicUrls urls;
    std::vector<events::Webhook> webhooks;
    std::chrono::seconds cameraOfflineDelay{30};
    std::string version;
    // Gauges the app measures for /metrics (sessions per protocol, …); called on the loop.
    std::function<std::vector<std::pair<std::string, double>>()> sessionCounts;
    server::webrtc::WebRtcServer* webrtc = nullptr;  // WHEP routes when set; must outlive the control plane
    server::hls::HlsServer* hls = nullptr;           // HLS routes when set; must outlive the control plane
    // STUN/TURN servers for WebRTC clients (Link headers of WHEP/WHIP answers, RFC 9725 §4.6).
    struct IceServer {
      std::vector<std::string> urls;
      std::string username;  // fixed TURN credentials; empty: made from turnSecret
      std::string credential;
    };
    std::vector<IceServer> iceServers;
    std::string turnSecret;
    std::chrono::seconds turnCredentialTtl{86400};
    // RTMP (issue 5): whether the RTMP server runs (rtmp-url "available"), and what to do when a
    // camera's stream key is rotated: disconnect whoever publishes its path with the old key.
    // Called on the control loop; must not block.
    bool rtmp = false;
    std::function<void(const std::string& path)> onStreamKeyRotated;
    // Recording (issue 6): segments, fsync, retention, the recorders' loops; dataDir is ours.
    recordings::RecordingOptions recording;
  };

  ControlPlane(boost::asio::io_context& control, store::Store& store, auth::AuthService& auth,
               media::StreamRegistry& registry, sources::SourceManager& sources, Options options);
  ~ControlPlane();
  ControlPlane(const ControlPlane&) = delete;
  ControlPlane& operator=(const ControlPlane&) = delete;

  // Loads the stored cameras, applies them with `fixed`, and opens the HTTP port.
  base::Status start(std::vector<cameras::FixedCamera> fixed);
  void setFixedCameras(std::vector<cameras::FixedCamera> fixed);
  void stop();
  std::uint16_t httpPort() const;
  // Every route the HTTP server answers once started, WebSocket endpoints as GET, in router
  // pattern form ("/api/v1/cameras/:id", "/files/recordings/*"): what the OpenAPI document lists.
  std::vector<http::Router::Route> routes() const;

  // What the media servers ask (RTSP now, the others as they land): `config` (ocellus.yml
  // rules and media users) first, then the store's users and API tokens. Thread-safe. The
  // HTTP media routes (WHEP) use the latest one made; call it on the control loop.
  std::shared_ptr<const media::AccessControl> mediaAccess(std::shared_ptr<const media::AccessControl> config);

  // The camera path ("cameras/<id>") of an RTMP stream key, nullopt for a wrong or revoked key.
  // Thread-safe and quick (an in-memory index): for RtmpServer::Options::streamKeys.
  std::function<std::optional<std::string>(std::string_view key)> streamKeyLookup() const;

  // Hooks for the media layer: wire them to SourceManager::Options::onCameraState and
  // StreamRegistry::setPublishListener. Any thread.
  void onSourceState(const std::string& cameraId, sources::SourceState state, const std::string& detail);
  void onPublish(const std::string& path, bool published);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ocellus::api
