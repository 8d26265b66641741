#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"

namespace ocellus::proto::rtsp {

// One stream of the RTP-Info header of a PLAY response (RFC 2326 §12.33):
// "url=<track URL>;seq=<first sequence number>;rtptime=<RTP timestamp at the range start>".
struct RtpInfo {
  std::string url;
  std::optional<std::uint16_t> seq;
  std::optional<std::uint32_t> rtptime;

  // Entries are comma-separated; each needs a url= without quotes. Unknown parameters are ignored; a seq or
  // rtptime that is not a number in range is Malformed.
  static base::Result<std::vector<RtpInfo>> parseList(std::string_view value);
  static std::string formatList(std::span<const RtpInfo> entries);

  bool operator==(const RtpInfo&) const = default;
};

}  // namespace ocellus::proto::rtsp
