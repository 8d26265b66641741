#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/Result.h"

namespace ocellus::proto::hls {

// The delivery directives of a media playlist request (RFC 8216bis §6.2.5.1): _HLS_msn and
// _HLS_part ask for a blocking reload (§6.2.5.2), _HLS_skip for a delta update (§6.2.5.1).
// parse() takes the query string without '?'; other parameters are ignored. A directive with
// an invalid value, given twice, or _HLS_part without _HLS_msn is an InvalidArgument error
// naming the parameter, which the server answers with 400.
struct PlaylistRequest {
  enum class Skip : std::uint8_t { No, Yes, V2 };

  std::optional<std::uint64_t> msn;
  std::optional<std::uint32_t> part;
  Skip skip = Skip::No;

  static base::Result<PlaylistRequest> parse(std::string_view query);
  bool blocking() const { return msn.has_value(); }
};

}  // namespace ocellus::proto::hls
