// HLS and Low-Latency HLS on the HTTP port (DESIGN §4, RFC 8216bis): GET /{path}/index.m3u8
// (multivariant), /{path}/stream.m3u8 (media playlist, with blocking reload), /{path}/init.mp4,
// /{path}/seg{msn}.mp4 and /{path}/part{n}.mp4, all from memory (server/hls). With
// ?ll=0 the multivariant playlist points at the plain playlist (complete segments only) for
// players that do not do LL-HLS. Reads need what WHEP needs (authorizeMedia), or a ?token=
// that every URL the playlists list carries on, since players cannot set headers.
//
// These are media routes (http::RouteKind::Media): a player makes five requests a second, so
// the handlers run on the connection's own loop, and everything they touch is thread-safe:
// authorizeMedia, the HlsServer's map of sessions, and the session, which answers on its
// stream's loop (at once when that is the connection's).
#include <boost/asio/post.hpp>

#include <cctype>
#include <memory>

#include "api/ControlPlaneImpl.h"
#include "proto/hls/ResourceName.h"
#include "server/hls/HlsServer.h"

namespace ocellus::api {

using http::HttpRequest;
using http::HttpResponse;
using http::Method;
namespace phls = proto::hls;
using server::hls::HlsAnswer;

namespace {

constexpr std::string_view kPlaylistCache = "max-age=1";        // live playlists change every part
constexpr std::string_view kMediaCache = "public, max-age=3600";  // seg/part names never name other bytes

std::string percentEncoded(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
  return out;
}

// The delivery directive an error message names ("hls: invalid _HLS_msn 'x'" → "_HLS_msn").
std::string directiveIn(const std::string& message) {
  const auto at = message.find("_HLS_");
  if (at == std::string::npos) return "query";
  const auto end = message.find_first_not_of("_HLSabcdefghijklmnopqrstuvwxyz", at);
  return message.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

HttpResponse toResponse(HlsAnswer answer, const std::string& requestId, const std::string& path) {
  switch (answer.kind) {
    case HlsAnswer::Kind::Ok:
      return HttpResponse::shared(std::move(answer.body), std::move(answer.contentType))
          .setHeader("Cache-Control", std::string(answer.playlist ? kPlaylistCache : kMediaCache));
    case HlsAnswer::Kind::BadRequest:
      return errorResponse(ApiError::validation(answer.field.empty() ? directiveIn(answer.message) : answer.field,
                                                answer.message),
                           requestId);
    case HlsAnswer::Kind::NotFound:
      return errorResponse(ApiError{404, "STREAM_NOT_FOUND", answer.message, boost::json::object{{"path", path}}},
                           requestId);
    case HlsAnswer::Kind::Unavailable:
      return errorResponse(ApiError{503, "STREAM_NODE_UNAVAILABLE", answer.message,
                                    boost::json::object{{"path", path}, {"retry_after_seconds", 1}}},
                           requestId)
          .setHeader("Retry-After", "1")
          .setHeader("Cache-Control", "no-store");
  }
  return errorResponse(ApiError{500, "INTERNAL_ERROR", "internal error", {}}, requestId);
}

}  // namespace

std::string ControlPlane::Impl::hlsPlaylistUrl(const HttpRequest& request, const std::string& path) const {
  std::string url = options.urls.http + "/" + path + "/" + std::string(phls::kMultivariantName);
  if (allowsAnonymousMedia(request, path, media::MediaAction::Read)) return url;
  std::string_view credential;
  if (auto key = request.header("X-API-Key")) credential = *key;
  if (auto h = request.header("Authorization"); h && h->size() > 7) credential = h->substr(7);  // "Bearer "
  return url + "?token=" + percentEncoded(credential);
}

void ControlPlane::Impl::addHlsRoutes(http::Router& router) {
  if (!options.hls) return;
  auto* hls = options.hls;

  // Authorizes, then hands the request over; the answer comes from the stream's loop.
  auto serve = [this, hls](HttpRequest& request, http::Reply reply, const std::string& rawPath, phls::Resource resource) {
    try {
      const auto path = media::StreamRegistry::normalize(rawPath);
      if (path.empty() || path.starts_with("api/")) {
        throw ApiError{404, "NOT_FOUND", "nothing is served at " + request.path, boost::json::object{{"path", request.path}}};
      }
      authorizeMedia(request, path, media::MediaAction::Read);
      server::hls::HlsRequest r;
      r.resource = resource;
      r.lowLatency = request.queryParam("ll") != "0";
      if (auto token = request.queryParam("token")) r.query = "token=" + percentEncoded(*token);
      if (resource.kind == phls::ResourceKind::MediaPlaylist) {
        const auto query = request.target.find('?') == std::string::npos ? std::string_view{}
                                                                         : std::string_view(request.target).substr(request.target.find('?') + 1);
        auto directives = phls::PlaylistRequest::parse(query);
        if (!directives) throw ApiError::validation(directiveIn(directives.error().message), directives.error().message);
        r.directives = *directives;
      }
      // What the answer needs, in one allocation: the request stays valid until the reply, so its
      // id and path are read from it rather than copied into the callback.
      struct Answering {
        http::Reply reply;
        const HttpRequest& request;
        std::string path;
      };
      auto answering = std::make_shared<Answering>(Answering{std::move(reply), request, path});
      hls->serve(path, std::move(r), [answering](HlsAnswer answer) {
        answering->reply(toResponse(std::move(answer), answering->request.requestId, answering->path));
      });
    } catch (const ApiError& e) {
      reply(errorOf(e, request));
    }
  };

  // index.m3u8, stream.m3u8.
  for (const auto& playlist : {std::pair{phls::kMultivariantName, phls::ResourceKind::Multivariant},
                               std::pair{phls::kMediaPlaylistName, phls::ResourceKind::MediaPlaylist}}) {
    router.add(
        Method::Get, "/*/" + std::string(playlist.first),
        [serve, kind = playlist.second](HttpRequest& request, http::Reply reply) {
          serve(request, std::move(reply), std::string(request.param("*")), {kind, 0});
        },
        http::RouteKind::Media);
  }
  // init.mp4, seg{msn}.mp4, part{n}.mp4; any other file is the player page's, which
  // needs the camera registry: on the control loop, with a copy of the request.
  router.add(
      Method::Get, "/*/:file",
      [this, serve](HttpRequest& request, http::Reply reply) {
        const std::string file(request.param("file"));
        auto resource = phls::parseResourceName(file);
        if (resource) return serve(request, std::move(reply), std::string(request.param("*")), *resource);
        request.params["*"] = std::string(request.param("*")) + "/" + file;
        boost::asio::post(control, [this, request, reply = std::move(reply)]() mutable {
          reply(run(request, [this](HttpRequest& r) { return playerPage(r); }));
        });
      },
      http::RouteKind::Media);
}

}  // namespace ocellus::api
