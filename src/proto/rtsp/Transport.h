#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"

namespace ocellus::proto::rtsp {

// "a-b" in client_port, server_port, port and interleaved; a single number gives last == first.
struct PortRange {
  std::uint16_t first = 0;
  std::uint16_t last = 0;

  bool operator==(const PortRange&) const = default;
};

// One transport-spec of the Transport header (RFC 2326 §12.39), RTP/AVP over UDP or TCP.
struct Transport {
  enum class Lower { Udp, Tcp };
  enum class Mode { Play, Record };

  Lower lower = Lower::Udp;  // "RTP/AVP" and "RTP/AVP/UDP" are UDP, "RTP/AVP/TCP" is TCP
  bool multicast = false;    // "unicast" is the default
  std::optional<std::string> destination;
  std::optional<std::string> source;
  std::optional<PortRange> interleaved;  // channels, at most 255
  std::optional<PortRange> clientPort;
  std::optional<PortRange> serverPort;
  std::optional<PortRange> port;  // multicast
  std::optional<std::uint8_t> ttl;
  std::optional<std::uint32_t> ssrc;
  std::optional<Mode> mode;  // play when absent (§12.39)

  // Parses one transport-spec. Another profile (RTP/SAVP, RAW/RAW/UDP, ...) is Unsupported;
  // a known parameter with a bad value is Malformed; unknown parameters are ignored. mode is
  // case-insensitive, quoted or not, and "receive" (sent by ffmpeg) means record.
  static base::Result<Transport> parse(std::string_view spec);
  // Parses the whole header: comma-separated alternatives in the client's order of preference,
  // leaving out the Unsupported ones (empty when none is usable: answer 461). Malformed if any is.
  static base::Result<std::vector<Transport>> parseList(std::string_view header);
  // "RTP/AVP[/TCP];unicast;...": parameters in a fixed order, ssrc as 8 upper-case hex digits,
  // mode unquoted lower-case as most implementations write it.
  std::string toString() const;

  bool operator==(const Transport&) const = default;
};

}  // namespace ocellus::proto::rtsp
