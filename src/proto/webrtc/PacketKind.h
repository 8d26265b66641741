#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace ocellus::proto::webrtc {

// What a datagram arriving on the shared WebRTC UDP port carries. RFC 7983 §7 demultiplexes
// by the first byte; RFC 5761 §4 tells RTP from RTCP on a muxed port by the second:
//
//                  +----------------+
//                  |        [0..3] -+--> STUN
//                  |      [16..19] -+--> ZRTP
//   packet -->     |      [20..63] -+--> DTLS
//                  |      [64..79] -+--> TURN channel
//                  |    [128..191] -+--> RTP / RTCP (second byte 192..223 → RTCP)
//                  +----------------+
//
// Anything else (4..15, 80..127, 192..255, an empty datagram) is Unknown and must be dropped.
enum class PacketKind : std::uint8_t { Unknown, Stun, Zrtp, Dtls, TurnChannel, Rtp, Rtcp };

// Classifies by the first one or two bytes; never reads more, never fails. A one-byte packet
// in the RTP/RTCP range is Unknown: no RTP or RTCP header is that short.
PacketKind classifyPacket(std::span<const std::uint8_t> datagram);

std::string_view packetKindName(PacketKind kind);

}  // namespace ocellus::proto::webrtc
