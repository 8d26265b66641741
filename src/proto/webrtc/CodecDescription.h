#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "codec/Codec.h"
#include "format/sdp/RtpMap.h"

namespace ocellus::proto::webrtc {

// A codec as WebRTC negotiation sees it: what a source stream carries (WHEP, we send it) or
// what we take from a publisher (WHIP, we receive it), matched against the formats of an offer.
//
// fmtp holds media type parameters with lower-case keys, as format::sdp::MediaDescription::fmtp
// returns them. What each codec compares:
//   H264  packetization-mode (RFC 6184 §8.1: 0 when absent) must be equal; profile-level-id
//         must be compatible (H264ProfileLevelId::decodes: the offered profile decodes ours when
//         we send, ours decodes the offered one when we receive). Leave profile-level-id out of
//         ours to take any profile (a WHIP ingest that only forwards). The answer carries the
//         offered profile at the lower of the two levels, or at ours when the offer has
//         level-asymmetry-allowed=1 (§8.2.2).
//   H265  profile-space (default 0) equal; profile-id (RFC 7798 §7.1: 1, Main, when absent)
//         equal, except that a Main 10 decoder takes Main; leave profile-id out to take any.
//   VP9   profile-id (default 0), AV1 profile (default 0): equal when ours names one.
//   others (VP8, opus, PCMU, PCMA): name, clock rate and channels only.
// Names compare without case (RFC 4855 §3); clock rate and channels must be equal (opus is
// always opus/48000/2, RFC 7587 §7).
struct CodecDescription {
  static constexpr std::size_t kMaxFmtpParameters = 16;  // echoed into an answer at most

  codec::MediaKind kind = codec::MediaKind::Video;
  std::string name;  // encoding name as in a=rtpmap: "H264", "opus", ...
  std::uint32_t clockRate = 90000;
  std::uint16_t channels = 1;
  std::map<std::string, std::string> fmtp;

  static CodecDescription h264(std::string_view profileLevelId = "42e01f", int packetizationMode = 1);
  static CodecDescription h265(int profileId = 1);
  static CodecDescription vp8();
  static CodecDescription vp9();
  static CodecDescription av1();
  static CodecDescription opus();
  static CodecDescription pcmu();
  static CodecDescription pcma();

  // Whether an offered format fits this codec. weSend: we send this codec and the offer lists
  // what the browser decodes (WHEP); otherwise the browser sends and we receive (WHIP).
  // On a match, the fmtp parameters for the answer: the offered ones that are plain tokens
  // (at most kMaxFmtpParameters), with the H.264 profile-level-id and level settled as above.
  std::optional<std::map<std::string, std::string>> match(
      const format::sdp::RtpMap& offered, const std::map<std::string, std::string>& offeredFmtp,
      bool weSend) const;

  // "k1=v1;k2=v2", the a=fmtp value after the payload type (empty when there is none).
  static std::string formatFmtp(const std::map<std::string, std::string>& parameters);

  bool operator==(const CodecDescription&) const = default;
};

}  // namespace ocellus::proto::webrtc
