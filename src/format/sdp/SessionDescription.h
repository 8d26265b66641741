#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"
#include "format/sdp/Fields.h"
#include "format/sdp/MediaDescription.h"

namespace ocellus::format::sdp {

// "o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>" (RFC 4566 §5.2).
// Ids stay strings: cameras write numbers wider than 64 bits.
struct Origin {
  std::string username = "-";
  std::string sessionId = "0";
  std::string sessionVersion = "0";
  std::string netType = "IN";
  std::string addrType = "IP4";
  std::string address = "0.0.0.0";

  bool operator==(const Origin&) const = default;
};

// "t=<start-time> <stop-time>" (RFC 4566 §5.9); "t=0 0" for a live stream.
struct Timing {
  std::uint64_t start = 0;
  std::uint64_t stop = 0;

  bool operator==(const Timing&) const = default;
};

// A session description (RFC 4566): what RTSP DESCRIBE returns and ANNOUNCE carries.
// Plain data: build one by filling the fields, or parse one.
struct SessionDescription {
  static constexpr std::size_t kMaxSize = 64 * 1024;
  static constexpr std::size_t kMaxLines = 1024;

  Origin origin;
  std::string sessionName = "-";
  std::optional<Connection> connection;
  Timing timing;
  std::vector<Line> lines;  // i=, u=, e=, p=, b=, r=, z=, k=, further t=, unknown types
  std::vector<Attribute> attributes;
  std::vector<MediaDescription> media;

  // Accepts CRLF or LF line ends and blank lines. Structure is strict: the first line must be
  // "v=0", every line "<letter>=<value>", o=/s=/t= only before the first m= and at most once,
  // c= at most once per level, m= with a port and at least one format, a=rtpmap parseable.
  // o=, s= and t= may be missing (cameras omit them) and then keep their defaults.
  // Lines this model does not interpret are kept in `lines`, reordered into RFC 4566 §5 order.
  static base::Result<SessionDescription> parse(std::string_view text);
  // Serializes in RFC 4566 §5 order with CRLF line ends.
  std::string toString() const;

  // The session-level a=control (the aggregate control URL, RFC 2326 C.1.1), empty if absent.
  std::string_view control() const;
  // The session-level direction attribute; sendrecv when absent (RFC 4566 §6).
  Direction direction() const;
  std::optional<std::string_view> attribute(std::string_view name) const {
    return findAttribute(attributes, name);
  }

  bool operator==(const SessionDescription&) const = default;
};

}  // namespace ocellus::format::sdp
