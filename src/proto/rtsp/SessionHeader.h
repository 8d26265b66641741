#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/Result.h"

namespace ocellus::proto::rtsp {

// The Session header (RFC 2326 §12.37): "<id>[;timeout=<seconds>]".
struct SessionHeader {
  std::string id;
  std::optional<std::uint32_t> timeout;  // seconds; 60 when absent (§12.37)

  // Tolerates spaces around ';' and '=' and ignores unknown parameters; an empty id, an id
  // with spaces, quotes or commas, or a timeout that is not a number is Malformed.
  static base::Result<SessionHeader> parse(std::string_view value);
  std::string toString() const;

  bool operator==(const SessionHeader&) const = default;
};

}  // namespace ocellus::proto::rtsp
