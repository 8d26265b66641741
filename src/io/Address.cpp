#include "io/Address.h"

#include <charconv>

namespace ocellus::io {

base::Result<Address> Address::parse(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return base::makeError(base::ErrorCode::InvalidArgument,
                           "'" + std::string(text) + "' is not an address; expected HOST:PORT or :PORT");
  }
  Address a;
  std::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  a.host = std::string(host);
  const std::string_view port = text.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    return base::makeError(base::ErrorCode::InvalidArgument,
                           "'" + std::string(text) + "' has no valid port (0-65535) after ':'");
  }
  a.port = static_cast<std::uint16_t>(value);
  return a;
}

std::string Address::toString() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace ocellus::io
