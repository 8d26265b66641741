#include "api/http/Router.h"

#include <algorithm>
#include <optional>
#include <stdexcept>

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
  struct Candidate {
    const Node* node = nullptr;
    std::vector<std::string> values;  // parameter values, in order
    std::optional<std::string> rest;  // the wildcard's share of the path
  };
  Match result;
  std::vector<std::string> segments;
  for (const auto raw : splitPath(rawPath)) {
    auto decoded = percentDecode(raw);
    if (!decoded) return result;
    segments.push_back(std::move(*decoded));
  }

  // Every node the path reaches that has endpoints, most specific first.
  std::vector<Candidate> candidates;
  std::vector<std::string> values;
  auto walk = [&](auto& self, const Node& node, std::size_t index) -> void {
    if (index == segments.size()) {
      if (!node.endpoints.empty()) candidates.push_back(Candidate{&node, values, std::nullopt});
    } else {
      if (const auto it = node.literals.find(segments[index]); it != node.literals.end()) {
        self(self, *it->second, index + 1);
      }
      if (node.param) {
        values.push_back(segments[index]);
        self(self, *node.param, index + 1);
        values.pop_back();
      }
    }
    if (!node.wildcard) return;
    auto joined = [&](std::size_t end) {
      std::string rest;
      for (std::size_t i = index; i < end; ++i) {
        if (i > index) rest += '/';
        rest += segments[i];
      }
      return rest;
    };
    // Suffix routes first ("/*/whep" before "/*"): the wildcard takes segments [index, split)
    // and the literals after it must take all the others.
    for (std::size_t split = index + 1; split < segments.size(); ++split) {
      const Node* suffix = node.wildcard.get();
      const Node* last = nullptr;  // the same suffix ending in a parameter instead
      for (std::size_t i = split; suffix && i < segments.size(); ++i) {
        if (i + 1 == segments.size() && suffix->param) last = suffix->param.get();
        const auto it = suffix->literals.find(segments[i]);
        suffix = it == suffix->literals.end() ? nullptr : it->second.get();
      }
      if (suffix && !suffix->endpoints.empty()) candidates.push_back(Candidate{suffix, values, joined(split)});
      if (last && !last->endpoints.empty()) {
        auto withLast = values;
        withLast.push_back(segments.back());
        candidates.push_back(Candidate{last, std::move(withLast), joined(split)});
      }
    }
    if (!node.wildcard->endpoints.empty()) {
      candidates.push_back(Candidate{node.wildcard.get(), values, joined(segments.size())});
    }
  };
  walk(walk, *root_, 0);
  if (candidates.empty()) return result;

  auto pick = [&](Method wanted) -> bool {
    for (const auto& c : candidates) {
      for (const auto& e : c.node->endpoints) {
        if (e.method != wanted) continue;
        result.kind = Match::Kind::Found;
        result.handler = &e.handler;
        result.routeKind = e.kind;
        for (std::size_t i = 0; i < e.paramNames.size() && i < c.values.size(); ++i) {
          result.params[e.paramNames[i]] = c.values[i];
        }
        if (c.rest) result.params["*"] = *c.rest;
        return true;
      }
    }
    return false;
  };

  std::vector<bool> seen(static_cast<std::size_t>(Method::Other) + 1, false);
  for (const auto& c : candidates) {
    for (const auto& e : c.node->endpoints) seen[static_cast<std::size_t>(e.method)] = true;
  }
  if (seen[static_cast<std::size_t>(Method::Get)]) seen[static_cast<std::size_t>(Method::Head)] = true;
  seen[static_cast<std::size_t>(Method::Options)] = true;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    if (seen[i]) result.allowed.push_back(static_cast<Method>(i));
  }

  if (pick(method) || (method == Method::Head && pick(Method::Get))) return result;
  result.kind = Match::Kind::MethodNotAllowed;
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
