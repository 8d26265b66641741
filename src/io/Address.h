#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/Result.h"

namespace ocellus::io {

// A listen or connect address as written in the config: ":8554" (all interfaces),
// "127.0.0.1:8554", "[::1]:8554", "localhost:8554".
struct Address {
  std::string host;  // empty: all interfaces
  std::uint16_t port = 0;

  static base::Result<Address> parse(std::string_view text);
  std::string toString() const;
  // The host to bind: "0.0.0.0" when empty.
  std::string bindHost() const { return host.empty() ? "0.0.0.0" : host; }
};

}  // namespace ocellus::io
