// REST /api/v1 (API-CONTRACT §2; every route is in src/api/openapi.json).

#include <boost/json.hpp>

#include <ctime>
#include <filesystem>

#include "api/ControlPlaneImpl.h"
#include "api/RequestFields.h"
#include "auth/Permissions.h"

namespace ocellus::api {

namespace json = boost::json;
using http::HttpRequest;
using http::HttpResponse;
using http::Method;

namespace {

json::object sessionJson(const auth::LoginResult& session) {
  return {{"access_token", session.accessToken},
          {"refresh_token", session.refreshToken},
          {"expires_in", session.expiresIn},
          {"token_type", "Bearer"},
          {"user", userJson(session.user)}};
}

// The body of GET and POST …/rtmp-url: the camera's publish URLs with its stream key.
json::object rtmpUrls(const ControlPlane::Options& o, const std::string& cam, const json::object& camera) {
  const std::string url(camera.at("rtmp_url").as_string());
  if (url.empty()) {
    throw ApiError{400, "VALIDATION_FAILED", "camera '" + cam + "' is defined in ocellus.yml and has no stream key",
                   json::object{{"camera", cam}}};
  }
  const auto key = url.substr(url.rfind('/') + 1);
  json::object out{{"camera", cam}, {"url", url}, {"rtmp_url", url}, {"stream_key", key}, {"available", o.rtmp}};
  if (!o.urls.rtmps.empty()) out["rtmps_url"] = o.urls.rtmps + url.substr(o.urls.rtmp.size());
  return out;
}

}  // namespace

void ControlPlane::Impl::addRestRoutes(http::Router& router) {
  const std::string v1 = "/api/v1";

  // ---------------------------------------------------------------- auth
  addBlocking(router, Method::Post, v1 + "/auth/login", [this](HttpRequest& r) {
    const auto b = body(r);
    auto result = auth.login(str(b, "username"), str(b, "password"), r.remoteIp,
                             optionalBool(b, "remember_me").value_or(false));
    if (!result) throw fromAuth(result.error());
    return json(200, sessionJson(*result));
  });
  add(router, Method::Post, v1 + "/auth/refresh", [this](HttpRequest& r) {
    auto result = auth.refresh(str(body(r), "refresh_token"), r.remoteIp);
    if (!result) throw fromAuth(result.error());
    return json(200, sessionJson(*result));
  });
  add(router, Method::Post, v1 + "/auth/logout", [this](HttpRequest& r) {
    authenticate(r);
    if (!r.body.empty()) {
      const auto token = str(body(r), "refresh_token", false);
      if (!token.empty()) {
        if (auto s = auth.logout(token, r.remoteIp); !s) throw fromAuth(s.error());
      }
    }
    return HttpResponse::empty(204);
  });
  add(router, Method::Get, v1 + "/auth/me", [this](HttpRequest& r) {
    const auto id = authenticate(r);
    json::array permissions;
    for (const auto& p : id.permissions) permissions.emplace_back(p);
    json::object out{{"kind", id.kind == auth::IdentityKind::ApiToken ? "api_token" : "user"},
                     {"role", id.role},
                     {"permissions", std::move(permissions)},
                     {"camera_scope", json::array(id.cameraScope.begin(), id.cameraScope.end())},
                     {"expires_at", id.expiresAt ? json::value(isoMs(*id.expiresAt)) : json::value(nullptr)}};
    if (auto u = store.userById(id.userId)) out["user"] = userJson(auth::AuthService::publicView(*u));
    if (!id.tokenId.empty()) {
      if (auto t = store.tokenById(id.tokenId)) out["token"] = tokenJson(*t);
    }
    return json(200, out);
  });

  // ---------------------------------------------------------------- cameras
  add(router, Method::Get, v1 + "/cameras", [this](HttpRequest& r) {
    const auto id = require(r, auth::kCamerasRead);
    const auto filter = r.queryParam("status");
    if (filter && *filter != "online" && *filter != "offline" && *filter != "connecting" && *filter != "error") {
      throw ApiError::validation("status", "expected online, offline, connecting or error");
    }
    json::array list;
    for (const auto& cam : cameras.ids()) {
      if (!id.canAccessCamera(cam) || (filter && cameras.status(cam) != *filter)) continue;
      list.push_back(cameras.toJson(cam));
    }
    const auto total = list.size();
    return json(200, json::object{{"cameras", std::move(list)}, {"total", total}});
  });
  add(router, Method::Post, v1 + "/cameras", [this](HttpRequest& r) {
    const auto id = require(r, auth::kCamerasWrite);
    auto created = cameras.create(body(r));
    (void)store.appendAudit({.actor = id.auditActor(), .action = "camera_created",
                             .target = std::string(created.at("id").as_string()), .remoteIp = r.remoteIp,
                             .success = true, .details = {}});
    return json(201, created);
  });
  add(router, Method::Get, v1 + "/cameras/:id", [this](HttpRequest& r) {
    const auto id = require(r, auth::kCamerasRead);
    const std::string cam(r.param("id"));
    requireCamera(id, cam);
    return json(200, cameras.toJson(cam));
  });
  add(router, Method::Put, v1 + "/cameras/:id", [this](HttpRequest& r) {
    const auto id = require(r, auth::kCamerasWrite);
    const std::string cam(r.param("id"));
    requireCamera(id, cam);
    auto updated = cameras.update(cam, body(r));
    (void)store.appendAudit({.actor = id.auditActor(), .action = "camera_updated", .target = cam, .remoteIp = r.remoteIp, .success = true, .details = {}});
    return json(200, updated);
  });
  add(router, Method::Delete, v1 + "/cameras/:id", [this](HttpRequest& r) {
    const auto id = require(r, auth::kCamerasWrite);
    const std::string cam(r.param("id"));
    requireCamera(id, cam);
    cameras.remove(cam);
    (void)store.appendAudit({.actor = id.auditActor(), .action = "camera_deleted", .target = cam, .remoteIp = r.remoteIp, .success = true, .details = {}});
    return HttpResponse::empty(204);
  });
  add(router, Method::Get, v1 + "/cameras/:id/status", [this](HttpRequest& r) {
    const auto id = require(r, auth::kCamerasRead);
    const std::string cam(r.param("id"));
    requireCamera(id, cam);
    auto out = cameras.statusJson(cam);
    const auto full = cameras.toJson(cam);
    for (const char* key : {"id", "stream_status", "is_active", "is_recording", "health"}) out[key] = full.at(key);
    return json(200, out);
  });
  auto analytics = [this](HttpRequest& r) {
    const auto id = require(r, auth::kCamerasRead);
    const std::string cam(r.param("id"));
    requireCamera(id, cam);
    const auto c = cameras.toJson(cam);
    return json(200, json::object{{"camera", cam}, {"status", c.at("stream_status")}, {"metrics", c.at("health")}});
  };
  add(router, Method::Get, v1 + "/cameras/:id/analytics", analytics);
  add(router, Method::Get, v1 + "/analytics/cameras/:id/metrics", analytics);
  add(router, Method::Get, v1 + "/cameras/:id/stream/hls", [this](HttpRequest& r) {
    const auto id = require(r, auth::kStreamsRead);
    const std::string cam(r.param("id"));
    requireCamera(id, cam);
    const auto path = cameras.pathOf(cam);
    return json(200, json::object{{"camera", cam},
                                  {"url", hlsPlaylistUrl(r, path)},
                                  {"low_latency", true},
                                  {"expires_at", nullptr},
                                  {"available", options.hls != nullptr && registry.find(path) != nullptr}});
  });
  add(router, Method::Get, v1 + "/cameras/:id/stream/webrtc", [this](HttpRequest& r) {
    const auto id = require(r, auth::kStreamsRead);
    const std::string cam(r.param("id"));
    requireCamera(id, cam);
    if (!options.webrtc) {
      throw ApiError{503, "STREAM_NODE_UNAVAILABLE", "WebRTC is off on this server (webrtc.enabled: false); use HLS",
                     json::object{{"camera", cam}, {"setting", "webrtc.enabled"}}};
    }
    return json(200, json::object{{"camera", cam},
                                  {"whep_url", options.urls.http + "/" + cameras.pathOf(cam) + "/whep"},
                                  {"ice_servers", json::array{}},
                                  {"available", false}});
  });
  add(router, Method::Get, v1 + "/cameras/:id/rtmp-url", [this](HttpRequest& r) {
    const auto id = require(r, auth::kMediaPublish);
    const std::string cam(r.param("id"));
    requireCamera(id, cam);
    return json(200, rtmpUrls(options, cam, cameras.toJson(cam)));
  });
  add(router, Method::Post, v1 + "/cameras/:id/rtmp-url/rotate", [this](HttpRequest& r) {
    const auto id = require(r, auth::kMediaPublish);
    const std::string cam(r.param("id"));
    requireCamera(id, cam);
    auto body = rtmpUrls(options, cam, cameras.rotateStreamKey(cam));
    log.info("camera '{}': RTMP stream key rotated by {}", cam, id.auditActor());
    if (options.onStreamKeyRotated) options.onStreamKeyRotated(cameras.pathOf(cam));
    return json(200, body);
  });
  // ---------------------------------------------------------------- tokens
  add(router, Method::Get, v1 + "/tokens", [this](HttpRequest& r) {
    require(r, auth::kTokensManage);
    auto tokens = store.listTokens();
    if (!tokens) throw ApiError::storage(tokens.error());
    json::array list;
    for (const auto& t : *tokens) list.push_back(tokenJson(t));
    const auto total = list.size();
    return json(200, json::object{{"tokens", std::move(list)}, {"total", total}});
  });
  add(router, Method::Post, v1 + "/tokens", [this](HttpRequest& r) {
    const auto id = require(r, auth::kTokensManage);
    const auto b = body(r);
    int rate = 1000;
    if (const auto* v = b.if_contains("rate_limit"); v && !v->is_null()) {
      if (!v->is_int64() || v->as_int64() < 1 || v->as_int64() > auth::AuthService::kMaxRateLimitPerHour) {
        throw ApiError::validation("rate_limit", "expected requests per hour, 1 to 3600000");
      }
      rate = static_cast<int>(v->as_int64());
    }
    std::optional<store::TimeMs> expires;
    if (const auto text = str(b, "expires_at", false); !text.empty()) {
      expires = parseTime(text);
      if (!expires) throw ApiError::validation("expires_at", "expected an RFC 3339 time");
    }
    auto created = auth.createToken(id.userId, str(b, "name"), str(b, "remark", false), strings(b, "permissions"),
                                    strings(b, "camera_scope"), rate, expires, id.auditActor());
    if (!created) throw fromAuth(created.error());
    auto out = tokenJson(created->token);
    out["token"] = created->secret;
    return json(201, out);
  });
  add(router, Method::Delete, v1 + "/tokens/:id", [this](HttpRequest& r) {
    const auto id = require(r, auth::kTokensManage);
    const std::string token(r.param("id"));
    if (auto s = auth.revokeToken(token, id.auditActor()); !s) throw fromAuth(s.error());
    if (auto s = store.deleteToken(token); !s && s.error().code != base::ErrorCode::NotFound) {
      throw ApiError::storage(s.error());
    }
    return HttpResponse::empty(204);
  });
  add(router, Method::Put, v1 + "/tokens/:id/permissions", [this](HttpRequest& r) {
    const auto id = require(r, auth::kTokensManage);
    const auto b = body(r);
    if (!b.contains("permissions")) throw ApiError::validation("permissions", "is required");
    auto updated = auth.setTokenPermissions(std::string(r.param("id")), strings(b, "permissions"), id.auditActor());
    if (!updated) throw fromAuth(updated.error());
    auto token = *updated;
    if (b.contains("camera_scope")) {
      token.cameraScope = strings(b, "camera_scope");
      auto saved = store.updateToken(token);
      if (!saved) throw ApiError::storage(saved.error());
      token = *saved;
    }
    return json(200, tokenJson(token));
  });

  // ---------------------------------------------------------------- users
  add(router, Method::Get, v1 + "/users", [this](HttpRequest& r) {
    require(r, auth::kUsersManage);
    auto users = store.listUsers();
    if (!users) throw ApiError::storage(users.error());
    json::array list;
    for (const auto& u : *users) list.push_back(userJson(u));
    const auto total = list.size();
    return json(200, json::object{{"users", std::move(list)}, {"total", total}});
  });
  addBlocking(router, Method::Post, v1 + "/users", [this](HttpRequest& r) {
    const auto id = require(r, auth::kUsersManage);
    const auto b = body(r);
    const bool active = optionalBool(b, "is_active").value_or(true);
    auto created = auth.createUser(str(b, "username"), str(b, "password"), str(b, "role"), id.auditActor());
    if (!created) {
      auto e = fromAuth(created.error());
      if (created.error().failure == auth::AuthFailure::UsernameTaken) {
        e = ApiError::validation("username", "already taken");
      }
      throw e;
    }
    if (!active) {
      auto user = store.userById(created->id);
      if (user) {
        user->isActive = false;
        if (auto saved = store.updateUser(*user)) return json(201, userJson(*saved));
      }
      throw ApiError{500, "INTERNAL_ERROR", "user created but could not be deactivated", {}};
    }
    return json(201, userJson(*created));
  });
  addBlocking(router, Method::Put, v1 + "/users/:id", [this](HttpRequest& r) {
    const auto id = require(r, auth::kUsersManage);
    const auto userId = idParam(r, "USER_NOT_FOUND", "user");
    const auto b = body(r);
    auto user = store.userById(userId);
    if (!user) throw ApiError{404, "USER_NOT_FOUND", "no user " + std::to_string(userId), {}};
    for (const auto& kv : b) {
      const std::string k(kv.key());
      if (k != "role" && k != "password" && k != "is_active") {
        throw ApiError::validation(k, "cannot be changed (role, password, is_active can)");
      }
    }
    if (const auto role = str(b, "role", false); !role.empty()) {
      if (auto s = auth::AuthService::validateRole(role); !s) throw fromAuth(s.error());
      user->role = role;
    }
    user->isActive = optionalBool(b, "is_active").value_or(user->isActive);
    auto saved = store.updateUser(*user);
    if (!saved) throw ApiError::storage(saved.error());
    if (const auto password = str(b, "password", false); !password.empty()) {
      if (auto s = auth.setPassword(userId, password, id.auditActor()); !s) throw fromAuth(s.error());
    }
    if (!saved->isActive) (void)store.revokeRefreshTokensOfUser(userId);
    (void)store.appendAudit({.actor = id.auditActor(), .action = "user_updated", .target = saved->username, .remoteIp = r.remoteIp, .success = true, .details = {}});
    return json(200, userJson(*saved));
  });
  add(router, Method::Delete, v1 + "/users/:id", [this](HttpRequest& r) {
    const auto id = require(r, auth::kUsersManage);
    const auto userId = idParam(r, "USER_NOT_FOUND", "user");
    if (userId == id.userId) throw ApiError::validation("id", "you cannot delete yourself");
    auto user = store.userById(userId);
    if (!user) throw ApiError{404, "USER_NOT_FOUND", "no user " + std::to_string(userId), {}};
    if (auto s = store.deleteUser(userId); !s) throw ApiError::storage(s.error());
    (void)store.appendAudit({.actor = id.auditActor(), .action = "user_deleted", .target = user->username, .remoteIp = r.remoteIp, .success = true, .details = {}});
    return HttpResponse::empty(204);
  });

  // The caller's dashboard preferences, stored whole as the dashboard sends them: any signed-in
  // identity, an API token acting for the user who owns it.
  add(router, Method::Get, v1 + "/users/me/preferences", [this](HttpRequest& r) {
    const auto id = authenticate(r);
    auto stored = store.preferences(id.userId);
    if (!stored) throw ApiError::storage(stored.error());
    return HttpResponse::json(200, stored->value_or("{}"));
  });
  add(router, Method::Put, v1 + "/users/me/preferences", [this](HttpRequest& r) {
    constexpr std::size_t kMaxPreferencesBytes = 16 * 1024;  // a layout and an order, with room to grow
    const auto id = authenticate(r);
    if (r.body.size() > kMaxPreferencesBytes) {
      auto e = ApiError::validation("body", "larger than " + std::to_string(kMaxPreferencesBytes) + " bytes");
      e.details["max_bytes"] = kMaxPreferencesBytes;
      throw e;
    }
    const auto text = json::serialize(body(r));
    if (auto s = store.setPreferences(id.userId, text); !s) throw ApiError::storage(s.error());
    return HttpResponse::json(200, text);
  });

  // ---------------------------------------------------------------- alerts
  add(router, Method::Get, v1 + "/alerts", [this](HttpRequest& r) {
    const auto id = require(r, auth::kAlertsRead);
    store::AlertFilter f;
    if (auto v = r.queryParam("severity")) f.severity = std::string(*v);
    if (auto v = r.queryParam("type")) f.type = std::string(*v);
    if (auto v = r.queryParam("camera")) f.camera = std::string(*v);
    f.limit = static_cast<int>(intParam(r, "limit", 100, 1, 1000));
    f.offset = static_cast<int>(intParam(r, "offset", 0, 0, 1'000'000'000));
    auto alerts = store.listAlerts(f);
    if (!alerts) throw ApiError::storage(alerts.error());
    json::array list;
    for (const auto& a : *alerts) {
      if (!a.camera.empty() && !id.canAccessCamera(a.camera)) continue;
      list.push_back(alertJson(a));
    }
    const auto total = list.size();
    return json(200, json::object{{"alerts", std::move(list)}, {"total", total}, {"limit", f.limit}, {"offset", f.offset}});
  });
  add(router, Method::Post, v1 + "/alerts/:id/ack", [this](HttpRequest& r) {
    const auto id = require(r, auth::kAlertsAck);
    const auto alertId = idParam(r, "ALERT_NOT_FOUND", "alert");
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    auto acked = store.acknowledgeAlert(alertId, id.userId, now);
    if (!acked) {
      if (acked.error().code == base::ErrorCode::NotFound) throw ApiError{404, "ALERT_NOT_FOUND", "no alert " + std::to_string(alertId), {}};
      throw ApiError::storage(acked.error());
    }
    return json(200, alertJson(*acked));
  });

  // ---------------------------------------------------------------- analytics
  add(router, Method::Get, v1 + "/analytics/dashboard", [this](HttpRequest& r) {
    const auto id = require(r, auth::kCamerasRead);
    std::size_t total = 0, online = 0, readers = 0;
    for (const auto& cam : cameras.ids()) {
      if (!id.canAccessCamera(cam)) continue;
      ++total;
      const auto c = cameras.toJson(cam);
      if (c.at("stream_status") == "online") ++online;
      readers += static_cast<std::size_t>(c.at("health").at("readers").to_number<double>());
    }
    store::AlertFilter unacked;
    unacked.limit = 1000;
    std::size_t openAlerts = 0;
    if (auto alerts = store.listAlerts(unacked)) {
      for (const auto& a : *alerts) openAlerts += a.acknowledged ? 0 : 1;
    }
    return json(200, json::object{{"cameras", json::object{{"total", total}, {"online", online}, {"offline", total - online}}},
                                  {"streams", registry.list().size()},
                                  {"readers", readers},
                                  {"open_alerts", openAlerts},
                                  {"uptime_seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - startedAt).count()}});
  });
}

}  // namespace ocellus::api
