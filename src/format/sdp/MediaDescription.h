#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "format/sdp/Fields.h"
#include "format/sdp/RtpMap.h"

namespace ocellus::format::sdp {

// One "m=" section (RFC 4566 §5.14) with the lines that follow it.
struct MediaDescription {
  std::string media = "video";  // "video", "audio", "application", ...
  std::uint16_t port = 0;
  std::uint16_t portCount = 1;  // "m=video 5004/2 ..." (layered multicast)
  std::string proto = "RTP/AVP";
  std::vector<std::string> formats;  // RTP payload types as written ("96")
  std::optional<Connection> connection;
  std::vector<Line> lines;  // i=, b=, k=, unknown types; in RFC 4566 order
  std::vector<Attribute> attributes;

  // The formats that are RTP payload types (0..127), in m= line order.
  std::vector<std::uint8_t> payloadTypes() const;
  // The a=rtpmap for a payload type, else its RFC 3551 static assignment, else nullopt.
  std::optional<RtpMap> rtpmap(std::uint8_t payloadType) const;
  // The a=fmtp parameters of a payload type, "k1=v1; k2=v2" (RFC 4566 §6). Keys are
  // lower-cased (media type parameter names are case-insensitive), values kept as written;
  // a parameter without '=' maps to an empty value. Empty when there is no a=fmtp line.
  std::map<std::string, std::string> fmtp(std::uint8_t payloadType) const;
  // The a=control value (RFC 2326 C.1.1), empty when absent; resolve it against Content-Base.
  std::string_view control() const;
  // RFC 4566 §6: the media-level direction attribute, else the session-level one passed in.
  Direction direction(Direction inherited = Direction::SendRecv) const;
  std::optional<std::string_view> attribute(std::string_view name) const {
    return findAttribute(attributes, name);
  }

  bool operator==(const MediaDescription&) const = default;
};

}  // namespace ocellus::format::sdp
