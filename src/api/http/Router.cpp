#include "api/http/Router.h"

#include <algorithm>
#include <bit>
#include <stdexcept>

#include <boost/container/small_vector.hpp>

#include "api/http/Target.h"

namespace ocellus::api::http {

struct Router::Node {
  struct Endpoint {
    Method method;
    Handler handler;
    RouteKind kind;
    std::vector<std::string> paramNames;  // one per ":" segment on the way here, in order
    bool wildcard = false;
  };
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
  std::unique_ptr<Node> param;
  // "*": its endpoints take the rest of the path; its literal children are suffixes such as
  // "/*/whep", where the wildcard takes one segment or more; a suffix may end in one parameter
  // ("/*/:file"), which a literal suffix of the same length beats.
  std::unique_ptr<Node> wildcard;
  std::vector<Endpoint> endpoints;
};

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

void Router::add(Method method, std::string_view pattern, Handler handler, RouteKind kind) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern '" + std::string(pattern) + "' must start with '/'");
  }
  if (method == Method::Other)
    throw std::invalid_argument("route '" + std::string(pattern) + "' needs a known method");
  const auto segments = splitPath(pattern);
  Node* node = root_.get();
  Node::Endpoint endpoint{method, std::move(handler), kind, {}, false};
  bool afterWildcard = false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string_view s = segments[i];
    if (afterWildcard && (s == "*" || (s.front() == ':' && i + 1 != segments.size()))) {
      throw std::invalid_argument("route pattern '" + std::string(pattern) +
                                  "': only literal segments, then at most one parameter, may follow '*'");
    }
    if (s == "*") {
      afterWildcard = true;
      if (!node->wildcard) node->wildcard = std::make_unique<Node>();
      node = node->wildcard.get();
      endpoint.wildcard = true;
    } else if (s.front() == ':') {
      if (s.size() == 1)
        throw std::invalid_argument("route pattern '" + std::string(pattern) + "' has an unnamed parameter");
      if (!node->param) node->param = std::make_unique<Node>();
      node = node->param.get();
      endpoint.paramNames.emplace_back(s.substr(1));
    } else {
      auto it = node->literals.find(s);
      if (it == node->literals.end())
        it = node->literals.emplace(std::string(s), std::make_unique<Node>()).first;
      node = it->second.get();
    }
  }
  for (const auto& e : node->endpoints) {
    if (e.method == method) {
      throw std::invalid_argument("route " + std::string(methodName(method)) + " " + std::string(pattern) +
                                  " is added twice (or clashes with a pattern of the same shape)");
    }
  }
  node->endpoints.push_back(std::move(endpoint));
  routes_.push_back(Route{method, std::string(pattern)});
}

void Router::addWebSocket(std::string path, WebSocketHandler onOpen) {
  if (path.empty() || path.front() != '/')
    throw std::invalid_argument("WebSocket path '" + path + "' must start with '/'");
  if (webSockets_.count(path) != 0)
    throw std::invalid_argument("WebSocket path '" + path + "' is added twice");
  webSockets_.emplace(std::move(path), std::move(onOpen));
}

Router::Match Router::match(Method method, std::string_view rawPath) const {
  Match result;
  // A request path has a few segments: they live on the stack, as views into rawPath unless
  // something is escaped, then into `decoded` (reserved up front, so that no view moves).
  struct Segment {
    std::string_view text;
    bool param = false;  // taken by a ":" on the walk's current way down
  };
  boost::container::small_vector<Segment, 16> segments;
  std::string decoded;
  const bool escaped =
      rawPath.find('%') != std::string_view::npos || rawPath.find('\0') != std::string_view::npos;
  if (escaped) decoded.reserve(rawPath.size());
  bool bad = false;
  forEachSegment(rawPath, [&](std::string_view raw) {
    if (!escaped) {
      segments.push_back(Segment{raw});
    } else if (!bad) {
      const std::size_t from = decoded.size();
      bad = !appendPercentDecoded(decoded, raw);
      segments.push_back(Segment{std::string_view(decoded).substr(from)});
    }
  });
  if (bad) return result;

  // Where the walk reached a node with endpoints: the wildcard, if the route has one, took the
  // segments [from, to) (the parameters before it are the flagged segments below `from`); a
  // parameter after its suffix took the last segment.
  struct Reach {
    std::size_t from = 0;
    std::size_t to = 0;
    bool wildcard = false;
    bool lastParam = false;
  };
  const auto bit = [](Method m) { return 1U << static_cast<unsigned>(m); };
  Method wanted = method;
  unsigned seen = 0;  // a bit per method of the endpoints reached
  const auto reached = [&](const Node& node, const Reach& at) -> bool {
    for (const auto& e : node.endpoints) {
      seen |= bit(e.method);
      if (e.method != wanted) continue;
      result.kind = Match::Kind::Found;
      result.handler = &e.handler;
      result.routeKind = e.kind;
      std::size_t next = 0;
      const auto take = [&](std::string_view value) {
        if (next < e.paramNames.size()) result.params[e.paramNames[next++]] = value;
      };
      for (std::size_t i = 0; i < at.from; ++i) {
        if (segments[i].param) take(segments[i].text);
      }
      if (at.lastParam) take(segments.back().text);
      if (at.wildcard) {
        std::size_t length = at.to - at.from;  // the '/'s, one too many
        for (std::size_t i = at.from; i < at.to; ++i) length += segments[i].text.size();
        std::string rest;
        rest.reserve(length);
        for (std::size_t i = at.from; i < at.to; ++i) {
          if (i > at.from) rest += '/';
          rest += segments[i].text;
        }
        result.params["*"] = std::move(rest);
      }
      return true;
    }
    return false;
  };

  // Visits every node the path reaches that has endpoints, most specific first, until
  // `reached` takes one.
  const std::size_t size = segments.size();
  const auto walk = [&](auto& self, const Node& node, std::size_t index) -> bool {
    if (index == size) {
      if (!node.endpoints.empty() && reached(node, Reach{size, size, false, false})) return true;
    } else {
      const auto it = node.literals.find(segments[index].text);
      if (it != node.literals.end() && self(self, *it->second, index + 1)) return true;
      if (node.param) {
        segments[index].param = true;
        const bool taken = self(self, *node.param, index + 1);
        segments[index].param = false;
        if (taken) return true;
      }
    }
    if (!node.wildcard) return false;
    // Suffix routes first ("/*/whep" before "/*"): the wildcard takes segments [index, split)
    // and the literals after it must take all the others.
    for (std::size_t split = index + 1; split < size; ++split) {
      const Node* suffix = node.wildcard.get();
      const Node* last = nullptr;  // the same suffix ending in a parameter instead
      for (std::size_t i = split; suffix && i < size; ++i) {
        if (i + 1 == size && suffix->param) last = suffix->param.get();
        const auto it = suffix->literals.find(segments[i].text);
        suffix = it == suffix->literals.end() ? nullptr : it->second.get();
      }
      if (suffix && !suffix->endpoints.empty() && reached(*suffix, Reach{index, split, true, false}))
        return true;
      if (last && !last->endpoints.empty() && reached(*last, Reach{index, split, true, true})) return true;
    }
    return !node.wildcard->endpoints.empty() && reached(*node.wildcard, Reach{index, size, true, false});
  };

  bool found = walk(walk, *root_, 0);
  if (!found && method == Method::Head && (seen & bit(Method::Get)) != 0) {
    wanted = Method::Get;
    found = walk(walk, *root_, 0);
  }
  if (found && method != Method::Options) return result;
  // A walk that took nothing has seen every endpoint; the preflight wants them for OPTIONS.
  if (found) {
    wanted = Method::Other;  // no route has it
    walk(walk, *root_, 0);
  }
  if (seen == 0) return result;  // NotFound
  if ((seen & bit(Method::Get)) != 0) seen |= bit(Method::Head);
  seen |= bit(Method::Options);
  result.allowed.reserve(static_cast<std::size_t>(std::popcount(seen)));
  for (unsigned m = 0; m <= static_cast<unsigned>(Method::Other); ++m) {
    if ((seen & (1U << m)) != 0) result.allowed.push_back(static_cast<Method>(m));
  }
  if (!found) result.kind = Match::Kind::MethodNotAllowed;
  return result;
}

const Router::WebSocketHandler* Router::webSocket(std::string_view path) const {
  const auto it = webSockets_.find(path);
  return it == webSockets_.end() ? nullptr : &it->second;
}

std::vector<Router::Route> Router::routes() const {
  return routes_;
}

std::vector<std::string> Router::webSocketPaths() const {
  std::vector<std::string> paths;
  for (const auto& [path, handler] : webSockets_) paths.push_back(path);
  return paths;
}

std::string Router::allowHeader(const std::vector<Method>& methods) {
  std::string out;
  for (const auto m : methods) {
    if (!out.empty()) out += ", ";
    out += methodName(m);
  }
  return out;
}

}  // namespace ocellus::api::http
