#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/Result.h"

namespace ocellus::proto::webrtc {

// RFC 4571 §2 framing, which ICE-TCP puts around every STUN, DTLS, RTP and RTCP packet
// (RFC 6544 §3):
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   ---------------------------------------------------------------
//   |             LENGTH            |  STUN, DTLS, RTP or RTCP ...
//   ---------------------------------------------------------------
//
// Sans-I/O: the reader is fed what the socket read, in any split, and hands out whole frames;
// prefix() is the writer's half. A frame is at most kMaxFrame bytes, the UDP port's datagram
// bound (WebRtcPort::kMaxDatagram): WebRTC sizes its packets for a path MTU over TCP too. Empty
// frames carry nothing any of the four protocols can be, so both limits mean the peer is not
// speaking RFC 4571 (or has lost the framing) and the connection must go. One executor.
class TcpFraming {
 public:
  static constexpr std::size_t kPrefixSize = 2;
  static constexpr std::size_t kMaxFrame = 2048;

  // The LENGTH field of a frame of `length` bytes (1..kMaxFrame; the caller checks).
  static std::array<std::uint8_t, kPrefixSize> prefix(std::size_t length);

  // Appends bytes read from the connection. Invalidates the last frame next() returned. Bounded:
  // the buffer never holds more than one incomplete frame besides what was just appended (a
  // caller drains next() after each append).
  void append(std::span<const std::uint8_t> bytes);
  // The next whole frame (mutable: SRTP decrypts in place), valid until the next append() or
  // next(); nullopt until more bytes arrive. Malformed for a zero LENGTH, TooLarge for one above
  // kMaxFrame: the stream is broken and every later call returns the same error.
  base::Result<std::optional<std::span<std::uint8_t>>> next();
  // Bytes received and not yet handed out as frames.
  std::size_t buffered() const { return buffer_.size() - start_; }

 private:
  std::vector<std::uint8_t> buffer_;
  std::size_t start_ = 0;  // the first byte not handed out
  std::optional<base::Error> broken_;
};

}  // namespace ocellus::proto::webrtc
