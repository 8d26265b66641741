#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/http/HttpRequest.h"
#include "api/http/Method.h"
#include "api/http/Reply.h"
#include "api/http/WsConnection.h"

namespace ocellus::api::http {

// Maps (method, path) to a handler. Patterns are paths whose segments are literals, ":name"
// parameters, or a "*" that takes the rest of the path (possibly empty, possibly with '/'):
// "/api/v1/cameras/:id/status", "/files/recordings/*". Literal segments may follow the "*"
// ("/*/whep"), the last of them may be a parameter ("/*/:file"): then it takes one segment or
// more, and the suffix the rest. Matching works on the decoded
// segments of the request path, empty segments ignored ("/a//b/" is "/a/b"); at each segment
// a literal beats a parameter, which beats the wildcard, and a more specific route that lacks
// the method gives way to a less specific one that has it. HEAD falls back to GET.
//
// Built during start-up on one thread, then read-only: the server calls the const members
// from any of its loops. Handlers run on the server loop (RouteKind::Api) or on the
// connection's own loop (RouteKind::Media) and must not block it.
//
// The router does not police what a parameter or the wildcard contains: a handler that maps
// one to a file must refuse "..", absolute names and the like itself.
// How the server treats a route's requests.
//  Api:   the handler runs on the server loop (the control loop); one access-log line at info.
//  Media: requests that players make several times a second each (LL-HLS parts and blocking
//         playlist reloads): the handler runs in place on the loop of the connection that read
//         the request (a media loop, with HttpServer::Options::connectionLoop), so the request
//         is neither copied nor posted to another thread on its way in, and a thousand players
//         do not queue on one thread. Such a handler must be safe on any loop at once and must
//         not block it; its access line is at debug, as media servers count rather than log
//         per-packet events (STYLE 11).
enum class RouteKind { Api, Media };

class Router {
 public:
  // Answers through `reply`, exactly once, now or later (see Reply). `request` stays valid
  // until then. May throw: an ApiError becomes its error body, anything else 500
  // INTERNAL_ERROR.
  using Handler = std::function<void(HttpRequest& request, Reply reply)>;
  // Called on the server loop once the WebSocket handshake has completed; `request` is the
  // upgrade request and is valid during the call only.
  using WebSocketHandler =
      std::function<void(std::shared_ptr<WsConnection> connection, const HttpRequest& request)>;

  struct Route {
    Method method;
    std::string pattern;
  };

  struct Match {
    enum class Kind { Found, NotFound, MethodNotAllowed };
    Kind kind = Kind::NotFound;
    const Handler* handler = nullptr;  // set when Found; points into the router
    RouteKind routeKind = RouteKind::Api;  // the found route's
    std::map<std::string, std::string, std::less<>> params;
    // Every method some route accepts for this path (with HEAD where GET is, and OPTIONS,
    // which the server answers itself), in enum order: the Allow field of a 405, and of the
    // answer to OPTIONS. Left empty when Found for any other method, which needs no Allow
    // (and the common request then pays for no list).
    std::vector<Method> allowed;
  };

  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Throws std::invalid_argument for a pattern not starting with '/', an empty ":" name, a
  // parameter or second "*" after a "*", or a (method, pattern) already added.
  void add(Method method, std::string_view pattern, Handler handler, RouteKind kind = RouteKind::Api);
  // An exact path ("/ws") answered with a WebSocket upgrade. A GET on it that is not an
  // upgrade gets 426 unless add() also routes it. Throws std::invalid_argument on a duplicate.
  void addWebSocket(std::string path, WebSocketHandler onOpen);

  // rawPath is the path as sent, still percent-encoded (HttpRequest::target before '?').
  Match match(Method method, std::string_view rawPath) const;
  // The handler for an exact (decoded) path, or null.
  const WebSocketHandler* webSocket(std::string_view path) const;

  // HTTP routes in the order they were added (the OpenAPI cross-check walks these).
  std::vector<Route> routes() const;
  std::vector<std::string> webSocketPaths() const;

  // "GET, HEAD, OPTIONS"
  static std::string allowHeader(const std::vector<Method>& methods);

 private:
  struct Node;
  std::unique_ptr<Node> root_;
  std::vector<Route> routes_;
  std::map<std::string, WebSocketHandler, std::less<>> webSockets_;
};

}  // namespace ocellus::api::http
