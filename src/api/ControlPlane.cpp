#include "api/ControlPlane.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <filesystem>

#include "api/ControlPlaneImpl.h"
#include "api/system/Prometheus.h"
#include "auth/Permissions.h"
#include "base/Metrics.h"
#include "embedded/apiDocuments.h"

namespace ocellus::api {

namespace json = boost::json;
using http::HttpRequest;
using http::HttpResponse;
using http::Method;

std::string isoMs(store::TimeMs ms) {
  return isoTimestamp(base::WallTime(std::chrono::milliseconds(ms)));
}

json::object userJson(const store::User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"role", u.role},
          {"is_active", u.isActive},
          {"created_at", isoMs(u.createdAt)},
          {"updated_at", isoMs(u.updatedAt)},
          {"last_login_at", u.lastLoginAt ? json::value(isoMs(*u.lastLoginAt)) : json::value(nullptr)}};
}

json::object tokenJson(const store::ApiToken& t) {
  json::array permissions(t.permissions.begin(), t.permissions.end());
  json::array scope(t.cameraScope.begin(), t.cameraScope.end());
  return {{"id", t.id},
          {"name", t.name},
          {"remark", t.remark},
          {"permissions", std::move(permissions)},
          {"camera_scope", std::move(scope)},
          {"rate_limit", t.rateLimitPerHour},
          {"expires_at", t.expiresAt ? json::value(isoMs(*t.expiresAt)) : json::value(nullptr)},
          {"last_used_at", t.lastUsedAt ? json::value(isoMs(*t.lastUsedAt)) : json::value(nullptr)},
          {"is_active", t.isActive},
          {"created_at", isoMs(t.createdAt)}};
}

json::object alertJson(const store::Alert& a) {
  return {{"id", a.id},
          {"type", a.type},
          {"severity", a.severity},
          {"message", a.message},
          {"camera", a.camera},
          {"timestamp", isoMs(a.createdAt)},
          {"acknowledged", a.acknowledged},
          {"acknowledged_at", a.acknowledgedAt ? json::value(isoMs(*a.acknowledgedAt)) : json::value(nullptr)},
          {"acknowledged_by", a.acknowledgedBy ? json::value(*a.acknowledgedBy) : json::value(nullptr)}};
}

ControlPlane::Impl::Impl(boost::asio::io_context& c, store::Store& s, auth::AuthService& a, media::StreamRegistry& r,
                         sources::SourceManager& src, Options o)
    : control(c), store(s), auth(a), registry(r), options(std::move(o)), cameras(c, s, r, src, bus, options.urls) {
  auto recordingOptions = options.recording;
  recordingOptions.dataDir = options.dataDir;
  recordings = std::make_unique<recordings::RecordingService>(
      control, store, registry, io::FileSystem::real(), std::move(recordingOptions),
      [this](const std::string& camera, json::object params) {
        bus.publish(events::Event{.topic = events::kRecordingStatus, .method = "recording_status_update",
                                  .params = std::move(params), .camera = camera});
      },
      [this](const std::string& type, const std::string& severity, const std::string& message, const std::string& camera) {
        raiseAlert(type, severity, message, camera);
      });
  snapshots = std::make_unique<recordings::SnapshotService>(control, store, registry, io::FileSystem::real(), options.dataDir);
  cameras.setRecordingHooks({.apply = [this](const std::map<std::string, std::string>& continuous) {
                               recordings->setContinuous(continuous);
                             },
                             .isRecording = [this](const std::string& id) { return recordings->isRecording(id); }});
}

// ------------------------------------------------------------------------------ requests

ApiError ControlPlane::Impl::fromAuth(const auth::AuthError& e) {
  json::object details;
  if (!e.field.empty()) details["field"] = e.field;
  if (e.retryAfterSeconds > 0) details["retry_after_seconds"] = e.retryAfterSeconds;
  return ApiError{e.httpStatus(), std::string(e.apiCode()), e.message, std::move(details)};
}

HttpResponse ControlPlane::Impl::errorOf(const ApiError& error, const HttpRequest& request) const {
  auto response = errorResponse(error, request.requestId);
  if (const auto* retry = error.details.if_contains("retry_after_seconds"); retry && retry->is_int64()) {
    response.setHeader("Retry-After", std::to_string(retry->as_int64()));
  }
  if (error.status == 401) response.setHeader("WWW-Authenticate", "Bearer realm=\"ocellus\"");
  return response;
}

auth::Identity ControlPlane::Impl::identify(const HttpRequest& request) {
  std::string_view credential;
  if (auto h = request.header("Authorization")) {
    constexpr std::string_view bearer = "Bearer ";
    if (h->size() <= bearer.size() || !std::equal(bearer.begin(), bearer.end(), h->begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      throw ApiError{401, "AUTH_TOKEN_INVALID", "Authorization must be 'Bearer <token>'", {}};
    }
    credential = h->substr(bearer.size());
  } else if (auto k = request.header("X-API-Key")) {
    credential = *k;
  }
  auto identity = auth.authenticate(credential);
  if (!identity) throw fromAuth(identity.error());
  return std::move(identity).value();
}

auth::Identity ControlPlane::Impl::authenticate(const HttpRequest& request) {
  auto identity = identify(request);
  if (const auto decision = auth.checkRateLimit(identity); !decision.allowed) {
    onRateLimited(identity);
    throw ApiError{429, "RATE_LIMIT_EXCEEDED",
                   "API token '" + identity.tokenId + "' is over its limit of " +
                       std::to_string(identity.rateLimitPerHour) + " requests per hour",
                   json::object{{"retry_after_seconds", decision.retryAfterSeconds()}}};
  }
  return identity;
}

auth::Identity ControlPlane::Impl::require(const HttpRequest& request, std::string_view permission) {
  auto identity = authenticate(request);
  requirePermission(identity, permission);
  return identity;
}

void ControlPlane::Impl::requirePermission(const auth::Identity& identity, std::string_view permission) const {
  if (!permission.empty() && !identity.can(permission)) {
    throw ApiError{403, "AUTH_INSUFFICIENT_PERMISSIONS",
                   "this needs the permission '" + std::string(permission) + "', which role '" + identity.role +
                       (identity.tokenId.empty() ? "'" : "' (or this API token)") + " does not have",
                   json::object{{"required", permission}}};
  }
}

void ControlPlane::Impl::requireCamera(const auth::Identity& identity, const std::string& cameraId) const {
  if (!identity.canAccessCamera(cameraId)) {
    throw ApiError{403, "AUTH_INSUFFICIENT_PERMISSIONS", "this API token is not scoped to camera '" + cameraId + "'",
                   json::object{{"camera", cameraId}}};
  }
}

json::object ControlPlane::Impl::body(const HttpRequest& request) {
  boost::system::error_code ec;
  auto value = json::parse(request.body, ec);
  if (ec) throw ApiError::validation("body", "not valid JSON (" + ec.message() + ")");
  if (!value.is_object()) throw ApiError::validation("body", "expected a JSON object");
  return std::move(value.as_object());
}

HttpResponse ControlPlane::Impl::json(int status, const json::value& value) {
  return HttpResponse::json(status, json::serialize(value));
}

HttpResponse ControlPlane::Impl::run(HttpRequest& request, const Sync& handler) {
  try {
    return handler(request);
  } catch (const ApiError& e) {
    return errorOf(e, request);
  } catch (const std::exception& e) {
    log.error("{} {}: {}", request.methodName, request.path, e.what());
    return errorOf(ApiError{500, "INTERNAL_ERROR", "internal error", {}}, request);
  }
}

void ControlPlane::Impl::add(http::Router& router, Method method, std::string_view pattern, Sync handler) {
  router.add(method, pattern, [this, handler = std::move(handler)](HttpRequest& request, http::Reply reply) {
    reply(run(request, handler));
  });
}

void ControlPlane::Impl::addBlocking(http::Router& router, Method method, std::string_view pattern, Sync handler) {
  auto shared = std::make_shared<Sync>(std::move(handler));
  router.add(method, pattern, [this, shared](HttpRequest& request, http::Reply reply) {
    // The request stays valid until the reply is called (HttpRequest.h).
    boost::asio::post(work, [this, shared, &request, reply = std::move(reply)]() mutable {
      reply(run(request, *shared));
    });
  });
}

void ControlPlane::Impl::addOffLoop(http::Router& router, Method method, std::string_view pattern, Checked check) {
  auto shared = std::make_shared<Checked>(std::move(check));
  router.add(method, pattern, [this, shared](HttpRequest& request, http::Reply reply) {
    std::optional<Sync> heavy;
    auto checked = run(request, [&](HttpRequest& r) {
      heavy = (*shared)(r);
      return HttpResponse::empty(204);
    });
    if (!heavy) return reply(std::move(checked));
    // The request stays valid until the reply is called (HttpRequest.h).
    boost::asio::post(work, [this, &request, heavy = std::move(*heavy), reply = std::move(reply)]() mutable {
      reply(run(request, heavy));
    });
  });
}

// ------------------------------------------------------------------------------ alerts

void ControlPlane::Impl::raiseAlert(const std::string& type, const std::string& severity, const std::string& message,
                                    const std::string& camera) {
  store::Alert alert;
  alert.type = type;
  alert.severity = severity;
  alert.message = message;
  alert.camera = camera;
  alert.createdAt = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch()).count();
  auto stored = store.createAlert(alert);
  if (!stored) {
    log.error("alert '{}' not stored: {}", type, stored.error().message);
    return;
  }
  log.warn("alert {}: {}", type, message);
  bus.publish(events::Event{.topic = events::kAlerts, .method = "alert", .params = alertJson(*stored), .camera = camera});
}

void ControlPlane::Impl::onCameraStatus(const events::Event& event) {
  const auto& p = event.params.as_object();
  const std::string camera(p.at("device").as_string());
  const std::string status(p.at("status").as_string());
  if (status == "online") {
    offlineTimers.erase(camera);
    return;
  }
  if ((status != "offline" && status != "error") || offlineTimers.count(camera)) return;
  auto timer = std::make_unique<boost::asio::steady_timer>(control, options.cameraOfflineDelay);
  timer->async_wait([this, alive = std::weak_ptr<bool>(alive), camera](const boost::system::error_code& ec) {
    auto a = alive.lock();
    if (ec || !a || !*a) return;
    offlineTimers.erase(camera);
    if (!cameras.exists(camera) || cameras.status(camera) == "online") return;
    raiseAlert("camera_offline", "warning",
               "camera '" + camera + "' has been " + cameras.status(camera) + " for " +
                   std::to_string(options.cameraOfflineDelay.count()) + " s",
               camera);
  });
  offlineTimers[camera] = std::move(timer);
}

void ControlPlane::Impl::onRateLimited(const auth::Identity& identity) {
  // One alert per token per 10 minutes: a client hammering the API must not flood the alerts.
  auto post = [this, alive = std::weak_ptr<bool>(alive), tokenId = identity.tokenId] {
    auto a = alive.lock();
    if (!a || !*a) return;
    const auto now = std::chrono::steady_clock::now();
    auto it = rateAlerted.find(tokenId);
    if (it != rateAlerted.end() && now - it->second < std::chrono::minutes(10)) return;
    rateAlerted[tokenId] = now;
    raiseAlert("api_rate_limit", "warning", "API token '" + tokenId + "' exceeded its rate limit", "");
  };
  boost::asio::post(control, std::move(post));
}

// ------------------------------------------------------------------------------ system

void ControlPlane::Impl::addSystemRoutes(http::Router& router) {
  add(router, Method::Get, "/healthz", [](HttpRequest&) { return json(200, json::object{{"status", "ok"}}); });
  add(router, Method::Get, "/readyz", [this](HttpRequest&) {
    if (!ready) throw ApiError{503, "NOT_READY", "starting", {}};
    if (auto s = store.ping(); !s) throw ApiError{503, "NOT_READY", "store: " + s.error().message, {}};
    return json(200, json::object{{"status", "ready"}, {"checks", json::object{{"store", "ok"}, {"http", "ok"}}}});
  });
  add(router, Method::Get, "/metrics", [this](HttpRequest& request) {
    require(request, auth::kSystemRead);
    std::vector<system::Gauge> gauges;
    gauges.push_back({"ocellus_uptime_seconds", "Seconds since the server started", "",
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - startedAt).count()});
    gauges.push_back({"ocellus_sessions", "Open sessions per protocol", "protocol=\"http\"",
                      static_cast<double>(server ? server->connectionCount() : 0)});
    if (options.sessionCounts) {
      for (const auto& [protocol, n] : options.sessionCounts()) {
        gauges.push_back({"ocellus_sessions", "Open sessions per protocol",
                          "protocol=\"" + system::escapeLabel(protocol) + "\"", n});
      }
    }
    const auto rec = recordings->figures();
    gauges.push_back({"ocellus_recording_open_files", "Recording files being written", "", static_cast<double>(rec.openFiles)});
    gauges.push_back({"ocellus_recording_bytes_written", "Bytes of recordings written since the start", "",
                      static_cast<double>(rec.disk.bytesWritten)});
    gauges.push_back({"ocellus_recording_fragments_dropped", "Recording fragments dropped because the disk was slower than the input", "",
                      static_cast<double>(rec.disk.fragmentsDropped)});
    gauges.push_back({"ocellus_recording_writes", "Recording fragments appended (and synced) since the start", "",
                      static_cast<double>(rec.writes)});
    gauges.push_back({"ocellus_recording_write_seconds", "Time spent appending (and syncing) those fragments", "",
                      static_cast<double>(rec.writeMicros) / 1e6});
    for (const auto& id : cameras.ids()) {
      gauges.push_back({"ocellus_camera_online", "1 when the camera is online",
                        "camera=\"" + system::escapeLabel(id) + "\"", cameras.status(id) == "online" ? 1.0 : 0.0});
    }
    return HttpResponse::text(200, system::prometheusText(registry, gauges), "text/plain; version=0.0.4; charset=utf-8");
  });
  add(router, Method::Get, "/api/v1/openapi.json", [](HttpRequest&) {
    const auto* doc = embedded::find(apiDocuments(), "openapi.json");
    return HttpResponse::json(200, std::string(doc->data));
  });
}

// ------------------------------------------------------------------------------ files

void ControlPlane::Impl::addFileRoutes(http::Router& router) {
  for (std::string kind : {"recordings", "snapshots"}) {
    add(router, Method::Get, "/files/" + kind + "/*", [this, kind](HttpRequest& request) {
      const std::string name(request.param("*"));
      // A signed URL (…?expires=&sig=) stands for the credential; else Bearer or X-API-Key.
      const bool signedUrl = request.queryParam("sig").has_value();
      if (signedUrl) {
        const auto q = request.target.find('?');
        auto ok = auth.verifySignedUrl(request.path, q == std::string::npos ? "" : request.target.substr(q + 1));
        if (!ok) throw fromAuth(ok.error());
      } else {
        require(request, kind == "recordings" ? auth::kRecordingsRead : auth::kSnapshotsRead);
      }
      const ApiError notFound{404, "FILE_NOT_FOUND", "no such file", json::object{{"file", name}}};
      namespace fs = std::filesystem;
      std::error_code ec;
      const auto root = fs::weakly_canonical(fs::path(options.dataDir) / kind, ec);
      if (ec || name.empty() || name.find('\0') != std::string::npos) throw notFound;
      // Resolve symlinks and "..": whatever the name says, the file must be inside the folder.
      const auto file = fs::canonical(root / name, ec);
      if (ec || !fs::is_regular_file(file, ec)) throw notFound;
      const auto rel = file.lexically_relative(root);
      if (rel.empty() || *rel.begin() == "..") throw notFound;
      return HttpResponse::file(file.string(), {}, http::attachment(file.filename().string()));
    });
  }
}

// ------------------------------------------------------------------------------ ControlPlane

ControlPlane::ControlPlane(boost::asio::io_context& control, store::Store& store, auth::AuthService& auth,
                           media::StreamRegistry& registry, sources::SourceManager& sources, Options options)
    : impl_(std::make_unique<Impl>(control, store, auth, registry, sources, std::move(options))) {}

ControlPlane::~ControlPlane() {
  stop();
  *impl_->alive = false;
  impl_->work.join();
}

base::Status ControlPlane::start(std::vector<cameras::FixedCamera> fixed) {
  auto& d = *impl_;
  d.bus.subscribe([&d](const events::Event& e) {
    if (e.topic == events::kCameraStatus) d.onCameraStatus(e);
  });
  if (!d.options.webhooks.empty()) d.webhooks = std::make_unique<events::WebhookSender>(d.control, d.bus, d.options.webhooks);
  d.recordings->start();
  try {
    d.cameras.start(std::move(fixed));
  } catch (const std::exception& e) {
    return base::makeError(base::ErrorCode::Io, e.what());
  } catch (const ApiError& e) {
    return base::makeError(base::ErrorCode::Io, e.message);
  }
  d.router = std::make_shared<http::Router>();
  d.addSystemRoutes(*d.router);
  d.addFileRoutes(*d.router);
  d.addRestRoutes(*d.router);
  d.addRpc(*d.router);
  d.addWebRtcRoutes(*d.router);
  d.addHlsRoutes(*d.router);
  d.addRecordingRoutes(*d.router);
  d.addDashboardRoutes(*d.router);
  d.server = std::make_unique<http::HttpServer>(d.control, d.router, d.options.http);
  OCELLUS_TRY(d.server->start());
  d.ready = true;
  return {};
}

void ControlPlane::setFixedCameras(std::vector<cameras::FixedCamera> fixed) { impl_->cameras.setFixed(std::move(fixed)); }

void ControlPlane::stop() {
  auto& d = *impl_;
  d.ready = false;
  if (d.server) d.server->stop();
  if (d.webhooks) d.webhooks->stop();
  d.offlineTimers.clear();
  d.recordings->stop();
}

std::uint16_t ControlPlane::httpPort() const { return impl_->server ? impl_->server->port() : 0; }

std::vector<http::Router::Route> ControlPlane::routes() const {
  if (!impl_->router) return {};
  auto routes = impl_->router->routes();
  for (auto& path : impl_->router->webSocketPaths()) routes.push_back({http::Method::Get, std::move(path)});
  return routes;
}

void ControlPlane::onSourceState(const std::string& cameraId, sources::SourceState state, const std::string& detail) {
  impl_->cameras.onSourceState(cameraId, state, detail);
}

void ControlPlane::onPublish(const std::string& path, bool published) {
  impl_->cameras.onPublish(path, published);
  impl_->recordings->onPublish(path, published);
}

// ------------------------------------------------------------------------------ media access

namespace {

// ocellus.yml first (path rules, anonymous policy, its media users), then the store's users
// and API tokens. Store lookups are short synchronous calls to the store thread; they happen
// once per RTSP session, not per packet.
class StoreMediaAccess final : public media::AccessControl {
 public:
  StoreMediaAccess(std::shared_ptr<const media::AccessControl> config, store::Store& store, auth::AuthService& auth)
      : config_(std::move(config)), store_(store), auth_(auth) {}

  bool pathAllows(const media::MediaRequest& r) const override { return config_->pathAllows(r); }
  bool allowsAnonymous(const media::MediaRequest& r) const override { return config_->allowsAnonymous(r); }

  std::optional<std::string> checkPassword(std::string_view user, std::string_view password) const override {
    if (auto p = config_->checkPassword(user, password)) return p;
    return principal(auth_.verifyPassword(user, password));
  }

  std::optional<std::string> checkToken(std::string_view token) const override {
    return principal(auth_.authenticate(token));
  }

  std::optional<std::string> digestHa1(std::string_view user, bool sha256) const override {
    if (auto h = config_->digestHa1(user, sha256)) return h;
    if (auto u = store_.userByName(std::string(user)); u && u->isActive && auth::mayLogInWithPassword(u->role)) {
      return sha256 ? u->digestSha256 : u->digestMd5;
    }
    if (auto t = store_.tokenById(std::string(user)); t && t->isActive) return sha256 ? t->digestSha256 : t->digestMd5;
    return std::nullopt;
  }

  bool permits(std::string_view principal, const media::MediaRequest& r) const override {
    if (config_->digestHa1(principal, false)) return config_->permits(principal, r);
    const auto permission = r.action == media::MediaAction::Read ? auth::kMediaRead : auth::kMediaPublish;
    if (auto u = store_.userByName(std::string(principal)); u && u->isActive) {
      return auth::permissionsOf(u->role).count(permission) > 0;
    }
    auto t = store_.tokenById(std::string(principal));
    if (!t || !t->isActive) return false;
    if (std::find(t->permissions.begin(), t->permissions.end(), permission) == t->permissions.end()) return false;
    return scopeCoversPath(t->cameraScope, r.path);
  }

 private:
  // What permits() takes: the user name, or the token id for an API token.
  static std::optional<std::string> principal(const auth::AuthResult<auth::Identity>& identity) {
    if (!identity) return std::nullopt;
    return identity->tokenId.empty() ? identity->username : identity->tokenId;
  }

  std::shared_ptr<const media::AccessControl> config_;
  store::Store& store_;
  auth::AuthService& auth_;
};

}  // namespace

bool scopeCoversPath(const std::vector<std::string>& cameraScope, std::string_view path) {
  if (cameraScope.empty()) return true;
  return std::any_of(cameraScope.begin(), cameraScope.end(), [path](const std::string& cam) {
    return path == cam || (path.starts_with("cameras/") && path.substr(8) == cam);
  });
}

std::function<std::optional<std::string>(std::string_view)> ControlPlane::streamKeyLookup() const {
  return [keys = impl_->cameras.streamKeys()](std::string_view key) { return keys->lookup(key); };
}

std::shared_ptr<const media::AccessControl> ControlPlane::mediaAccess(std::shared_ptr<const media::AccessControl> config) {
  auto access = std::make_shared<const StoreMediaAccess>(std::move(config), impl_->store, impl_->auth);
  std::atomic_store(&impl_->media, std::shared_ptr<const media::AccessControl>(access));
  return access;
}

}  // namespace ocellus::api
