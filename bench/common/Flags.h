#pragma once

// The command line of the in-process benchmarks: "--name value" pairs.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace ocellus::bench {

// Calls `apply(name, value)` for each "--name value" pair; false when a value is missing or
// `apply` refuses a pair (an unknown name, a bad value), for the caller to print its usage.
template <typename Apply>
bool parseFlags(int argc, char** argv, Apply apply) {
  if (argc % 2 == 0) return false;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!apply(std::string_view(argv[i]), argv[i + 1])) return false;
  }
  return true;
}

// "50,100,200" → {50, 100, 200}.
inline std::vector<int> parseList(std::string_view text) {
  std::vector<int> out;
  std::stringstream in{std::string(text)};
  for (std::string item; std::getline(in, item, ',');) out.push_back(std::atoi(item.c_str()));
  return out;
}

// "scheme://host[:port]/rest" → host, port (defaultPort when absent) and "/rest"; nullopt when
// the scheme differs or a part is missing. For the load clients' --url.
struct UrlParts {
  std::string host;
  std::uint16_t port = 0;
  std::string path;  // from the '/' after the authority
};
inline std::optional<UrlParts> parseUrl(std::string_view url, std::string_view scheme, std::uint16_t defaultPort) {
  if (url.substr(0, scheme.size()) != scheme) return std::nullopt;
  url.remove_prefix(scheme.size());
  const auto slash = url.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view hostPort = url.substr(0, slash);
  UrlParts parts{.host = {}, .port = defaultPort, .path = std::string(url.substr(slash))};
  if (const auto colon = hostPort.rfind(':'); colon != std::string_view::npos) {
    parts.port = static_cast<std::uint16_t>(std::atoi(std::string(hostPort.substr(colon + 1)).c_str()));
    hostPort = hostPort.substr(0, colon);
  }
  parts.host = hostPort;
  if (parts.host.empty() || parts.port == 0) return std::nullopt;
  return parts;
}

}  // namespace ocellus::bench
