#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http/HeaderMap.h"
#include "api/http/Method.h"

namespace ocellus::api::http {

// One HTTP request as handlers see it: plain types, no Beast. The server fills everything but
// `params`, which the router fills from the matched pattern. Owned by the connection: a handler
// may keep a reference until it calls its Reply (or drops it); the request stays valid that
// long even when the client has gone.
struct HttpRequest {
  Method method = Method::Get;
  std::string methodName;  // as sent ("GET", or an unknown token when method is Other)
  std::string target;      // as sent: "/files/a%20b.mp4?x=1"
  std::string path;        // percent-decoded path: "/files/a b.mp4"
  std::vector<std::pair<std::string, std::string>> queryParams;  // decoded, in order
  HeaderMap headers;
  std::string body;
  std::string remoteIp;
  std::uint16_t remotePort = 0;
  std::string requestId;      // the client's sane X-Request-Id, else generated; echoed in the response
  bool secure = false;        // arrived over TLS
  unsigned httpVersion = 11;  // 10 or 11
  // Route parameters: ":id" → params["id"], a trailing "*" → params["*"] (the rest of the path,
  // decoded, may be empty or contain '/').
  std::map<std::string, std::string, std::less<>> params;

  // Case-insensitive; the first field of that name.
  std::optional<std::string_view> header(std::string_view name) const { return headers.get(name); }
  // The first query parameter of that name.
  std::optional<std::string_view> queryParam(std::string_view name) const;
  // A route parameter; empty when the pattern has none of that name.
  std::string_view param(std::string_view name) const;
};

}  // namespace ocellus::api::http
