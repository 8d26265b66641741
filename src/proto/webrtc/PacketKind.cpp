#include "proto/webrtc/PacketKind.h"

namespace ocellus::proto::webrtc {

PacketKind classifyPacket(std::span<const std::uint8_t> datagram) {
  if (datagram.empty()) return PacketKind::Unknown;
  const std::uint8_t first = datagram[0];
  if (first <= 3) return PacketKind::Stun;
  if (first >= 16 && first <= 19) return PacketKind::Zrtp;
  if (first >= 20 && first <= 63) return PacketKind::Dtls;
  if (first >= 64 && first <= 79) return PacketKind::TurnChannel;
  if (first >= 128 && first <= 191) {
    if (datagram.size() < 2) return PacketKind::Unknown;
    // RFC 5761 §4: with the RTCP packet types SR 200 .. APP 204 (and the feedback types 205,
    // 206, XR 207) the M bit plus payload type of an RTP header would read 192..223, so RTP
    // sessions that share a port with RTCP must not use payload types 64..95.
    const std::uint8_t second = datagram[1];
    return second >= 192 && second <= 223 ? PacketKind::Rtcp : PacketKind::Rtp;
  }
  return PacketKind::Unknown;
}

std::string_view packetKindName(PacketKind kind) {
  switch (kind) {
    case PacketKind::Stun:
      return "stun";
    case PacketKind::Zrtp:
      return "zrtp";
    case PacketKind::Dtls:
      return "dtls";
    case PacketKind::TurnChannel:
      return "turn-channel";
    case PacketKind::Rtp:
      return "rtp";
    case PacketKind::Rtcp:
      return "rtcp";
    case PacketKind::Unknown:
      break;
  }
  return "unknown";
}

}  // namespace ocellus::proto::webrtc
