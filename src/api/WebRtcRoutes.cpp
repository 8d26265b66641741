// WHEP playback and WHIP publishing on the HTTP port (DESIGN §4; RFC 9725 and the WHEP draft):
// POST /{path}/whep or /{path}/whip with an SDP offer answers 201 with the SDP answer and a
// Location; PATCH there takes trickle ICE (application/trickle-ice-sdpfrag: an ICE-lite server
// needs nothing from it, so it is checked and acknowledged); DELETE ends the session. Reads and
// publishes need what RTSP needs (media:read / media:publish, the path rules and anonymous
// policy of ocellus.yml). Also the player page of a stream. With webrtc.enabled false the routes
// stay (the API is the same whatever the configuration) and answer 404, naming the setting.
#include <algorithm>

#include "api/ControlPlaneImpl.h"
#include "auth/Permissions.h"
#include "auth/TurnCredentials.h"
#include "embedded/playerFiles.h"
#include "media/StreamRegistry.h"
#include "proto/webrtc/TrickleFragment.h"

namespace ocellus::api {

using http::HttpRequest;
using http::HttpResponse;
using http::Method;

namespace {

constexpr std::string_view kSessionsPrefix = "/webrtc/sessions/";

bool hasMediaType(const HttpRequest& request, std::string_view type) {
  const auto value = request.header("Content-Type");
  if (!value) return false;
  const auto semicolon = value->find(';');
  auto base = value->substr(0, semicolon);
  while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
  return http::HeaderMap::equalsIgnoreCase(base, type);
}

void requireMediaType(const HttpRequest& request, std::string_view type) {
  if (!hasMediaType(request, type)) {
    throw ApiError{415, "VALIDATION_FAILED", "the body must be " + std::string(type),
                   boost::json::object{{"field", "Content-Type"}, {"expected", type}}};
  }
}

std::string quotedString(std::string_view value) {
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The Link header of a WHEP/WHIP answer (RFC 9725 §4.6): one link-value per ICE server URL;
// TURN URLs carry credentials, fixed ones or per-session ones from the TURN REST secret.
std::string iceServerLinks(const ControlPlane::Options& o) {
  std::string links;
  std::optional<auth::TurnCredential> made;
  for (const auto& server : o.iceServers) {
    for (const auto& url : server.urls) {
      std::string link = "<" + url + ">; rel=\"ice-server\"";
      if (url.starts_with("turn:") || url.starts_with("turns:")) {
        std::string user = server.username, credential = server.credential;
        if (user.empty() && !o.turnSecret.empty()) {
          if (!made) {
            const auto expiry = std::chrono::duration_cast<std::chrono::seconds>(
                                    std::chrono::system_clock::now().time_since_epoch() + o.turnCredentialTtl).count();
            made = auth::TurnCredential::make(o.turnSecret, "ocellus", expiry);
          }
          user = made->username;
          credential = made->password;
        }
        if (!user.empty()) {
          link += "; username=" + quotedString(user) + "; credential=" + quotedString(credential) + "; credential-type=\"password\"";
        }
      }
      links += (links.empty() ? "" : ", ") + link;
    }
  }
  return links;
}

// The answer of every WebRTC route when webrtc.enabled is false.
ApiError webRtcDisabled(const HttpRequest& request) {
  return ApiError{404, "NOT_FOUND", "WebRTC is off on this server (webrtc.enabled: false); play over HLS instead",
                  boost::json::object{{"path", request.path}, {"setting", "webrtc.enabled"}}};
}

bool loopbackIp(std::string_view ip) { return ip.starts_with("127.") || ip == "::1" || ip.starts_with("::ffff:127."); }

}  // namespace

bool ControlPlane::Impl::allowsAnonymousMedia(const HttpRequest& request, const std::string& path,
                                              media::MediaAction action) const {
  const media::MediaRequest r{action, path, request.remoteIp, loopbackIp(request.remoteIp)};
  const auto access = std::atomic_load(&media);
  return access && access->pathAllows(r) && access->allowsAnonymous(r);
}

void ControlPlane::Impl::authorizeMedia(const HttpRequest& request, const std::string& path, media::MediaAction action) {
  const auto access = std::atomic_load(&media);
  media::MediaRequest r{action, path, request.remoteIp, loopbackIp(request.remoteIp)};
  if (!access || !access->pathAllows(r)) {
    throw ApiError{403, "AUTH_INSUFFICIENT_PERMISSIONS",
                   "path '" + path + "' does not allow " + (action == media::MediaAction::Read ? "reading" : "publishing"),
                   boost::json::object{{"path", path}}};
  }
  const bool credentials = request.header("Authorization") || request.header("X-API-Key");
  const auto token = request.queryParam("token");
  if (!credentials && !token && access->allowsAnonymous(r)) return;
  if (!credentials && token) {
    const auto principal = access->checkToken(*token);
    if (!principal) {
      throw ApiError{401, "AUTH_TOKEN_INVALID", "the token in the URL is not valid", boost::json::object{{"field", "token"}}};
    }
    if (!access->permits(*principal, r)) {
      throw ApiError{403, "AUTH_INSUFFICIENT_PERMISSIONS", "this token may not read '" + path + "'",
                     boost::json::object{{"path", path}}};
    }
    return;
  }
  const auto identity = identify(request);
  requirePermission(identity, action == media::MediaAction::Read ? auth::kMediaRead : auth::kMediaPublish);
  if (!scopeCoversPath(identity.cameraScope, path)) {
    throw ApiError{403, "AUTH_INSUFFICIENT_PERMISSIONS", "this API token is not scoped to '" + path + "'",
                   boost::json::object{{"path", path}}};
  }
}

// The player page of a stream, /{path}/ (src/api/web/player), and its files, /{path}/<file>.
// Only for a published path or a camera: any other GET that reaches here is a 404, so a
// mistyped API URL still gets a JSON error, not a page.
HttpResponse ControlPlane::Impl::playerPage(HttpRequest& request) {
  const auto path = media::StreamRegistry::normalize(request.param("*"));
  std::string stream = path;
  std::string file = "index.html";
  const auto* asset = embedded::find(playerFiles(), path.substr(path.rfind('/') + 1));
  if (asset && path.find('/') != std::string::npos) {
    stream = path.substr(0, path.rfind('/'));
    file = std::string(asset->name);
  }
  const auto ids = cameras.ids();
  const bool known = registry.find(stream) != nullptr || std::any_of(ids.begin(), ids.end(), [&](const auto& id) {
                       return id == stream || cameras.pathOf(id) == stream;
                     });
  if (stream.empty() || stream.starts_with("api/") || !known) {
    throw ApiError{404, "NOT_FOUND", "nothing is served at " + request.path, boost::json::object{{"path", request.path}}};
  }
  if (!options.webrtc) throw webRtcDisabled(request);
  // Relative URLs in the page (whep, player.js) need the trailing slash.
  if (file == "index.html" && !request.path.ends_with("/")) {
    return HttpResponse::empty(308).setHeader("Location", request.path + "/");
  }
  const auto* f = embedded::find(playerFiles(), file);
  return HttpResponse::text(200, std::string(f->data), std::string(http::contentTypeFor(file)))
      .setHeader("Cache-Control", "no-cache");
}

void ControlPlane::Impl::addWebRtcRoutes(http::Router& router) {
  // The server, checked first: with WebRTC off every route is a 404, credentials or not.
  auto enabled = [webrtc = options.webrtc](const HttpRequest& request) -> server::webrtc::WebRtcServer& {
    if (!webrtc) throw webRtcDisabled(request);
    return *webrtc;
  };

  add(router, Method::Get, "/*", [this](HttpRequest& request) { return playerPage(request); });

  // 201 with the answer, or the refusal as the contract's error body.
  auto created = [this](const std::string& path, base::Result<server::webrtc::WebRtcServer::Answer,
                                                          server::webrtc::WebRtcServer::Refusal> answer) {
    if (!answer) {
      using Kind = server::webrtc::WebRtcServer::Refusal::Kind;
      const auto& refusal = answer.error();
      switch (refusal.kind) {
        case Kind::NoStream:
          throw ApiError{404, "STREAM_NOT_FOUND", refusal.message, boost::json::object{{"path", path}}};
        case Kind::PathInUse:
          throw ApiError{409, "VALIDATION_FAILED", refusal.message,
                         boost::json::object{{"field", "path"}, {"reason", "path_in_use"}, {"path", path}}};
        case Kind::NoCommonCodec:
          throw ApiError{406, "VALIDATION_FAILED", refusal.message,
                         boost::json::object{{"field", "body"}, {"reason", "no_common_codec"}, {"path", path}}};
        case Kind::BadOffer:
          throw ApiError{400, "VALIDATION_FAILED", "SDP offer: " + refusal.message,
                         boost::json::object{{"field", "body"}}};
        case Kind::Internal:
          throw ApiError{500, "INTERNAL_ERROR", refusal.message, boost::json::object{}};
      }
    }
    auto response = HttpResponse::text(201, answer->sdp, "application/sdp");
    response.setHeader("Location", std::string(kSessionsPrefix) + answer->sessionId);
    response.setHeader("ETag", "\"" + answer->sessionId + "\"");
    response.setHeader("Access-Control-Expose-Headers", "Location, ETag, Link");
    if (auto links = iceServerLinks(options); !links.empty()) response.setHeader("Link", std::move(links));
    return response;
  };
  auto offer = [](const HttpRequest& request) -> const std::string& {
    requireMediaType(request, "application/sdp");
    if (request.body.empty()) throw ApiError::validation("body", "an SDP offer is required");
    return request.body;
  };
  add(router, Method::Post, "/*/whep", [this, enabled, created, offer](HttpRequest& request) {
    auto& webrtc = enabled(request);
    const auto path = media::StreamRegistry::normalize(request.param("*"));
    authorizeMedia(request, path, media::MediaAction::Read);
    return created(path, webrtc.createPlayer(path, offer(request)));
  });
  add(router, Method::Post, "/*/whip", [this, enabled, created, offer](HttpRequest& request) {
    auto& webrtc = enabled(request);
    const auto path = media::StreamRegistry::normalize(request.param("*"));
    authorizeMedia(request, path, media::MediaAction::Publish);
    return created(path, webrtc.createPublisher(path, offer(request), "webrtc publisher " + request.remoteIp));
  });

  auto session = [enabled](HttpRequest& request) {
    const std::string id(request.param("id"));
    if (!enabled(request).hasSession(id)) {
      throw ApiError{404, "SESSION_NOT_FOUND", "no WebRTC session '" + id + "'", boost::json::object{{"id", id}}};
    }
    return id;
  };
  add(router, Method::Patch, "/webrtc/sessions/:id", [session](HttpRequest& request) {
    session(request);
    requireMediaType(request, "application/trickle-ice-sdpfrag");
    auto fragment = proto::webrtc::TrickleFragment::parse(request.body);
    if (!fragment) throw ApiError::validation("body", "trickle ICE fragment: " + fragment.error().message);
    return HttpResponse::empty(204);
  });
  // A session the server ended (its stream stopped) a moment ago is as ended as the client
  // wants: 200, so a player stopping after the fact sees no error.
  add(router, Method::Delete, "/webrtc/sessions/:id", [session, enabled](HttpRequest& request) {
    auto& webrtc = enabled(request);
    const std::string id(request.param("id"));
    if (!webrtc.recentlyEnded(id)) webrtc.closeSession(session(request));
    return HttpResponse::empty(200);
  });
}

}  // namespace ocellus::api
