#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"
#include "codec/Codec.h"
#include "proto/webrtc/CodecDescription.h"
#include "proto/webrtc/IceCandidate.h"
#include "proto/webrtc/NegotiatedSession.h"
#include "proto/webrtc/NegotiationError.h"

namespace ocellus::proto::webrtc {

// A track we send in a WHEP session: one per answered sending m= section, taken in order by
// the sections of its kind.
struct LocalTrack {
  codec::MediaKind kind = codec::MediaKind::Video;
  std::uint32_t ssrc = 0;
  std::optional<std::uint32_t> rtxSsrc;  // answered as a=ssrc-group:FID when RTX is answered
  std::string streamId;                  // RFC 8830 msid stream id (1-64 token chars); "-" when empty
  std::string trackId;                   // msid track id; no a=msid when empty
};

// What we bring to an answer.
struct AnswerOptions {
  // WHEP: we send; the offer must be recvonly or sendrecv and is answered sendonly.
  // WHIP: we receive; the offer must be sendonly or sendrecv and is answered recvonly.
  enum class Role { Send, Receive };

  Role role = Role::Send;
  // What we have (Send) or take (Receive), audio and video mixed. The browser's order of
  // preference decides among them: each section takes its first offered format that matches
  // any of these (CodecDescription::match).
  std::vector<CodecDescription> codecs;
  // Our order of `codecs` decides instead: the first of ours that an offered format matches.
  // A WHIP ingest prefers what every reader carries (H.264 before VP8, which a browser offers
  // first) and still takes VP8 from a browser that offers nothing else.
  bool preferOurOrder = false;
  std::string iceUfrag;     // RFC 8839 §5.4: 4-256 ice-chars
  std::string icePwd;       // 22-256 ice-chars
  std::string fingerprint;  // "sha-256 AB:CD:...", our DTLS certificate's (RFC 8122 §5)
  // Our candidates, written into every answered section; may be empty when they are trickled
  // later. The first UDP one with an IP address becomes the m=/c= default (RFC 8839 §4.2.1.2),
  // else "9" and "IN IP4 0.0.0.0" (JSEP RFC 8829 §5.3.1).
  std::vector<IceCandidate> candidates;
  bool candidatesComplete = true;  // a=end-of-candidates (RFC 8840 §8.2): ICE-lite knows them all
  std::vector<LocalTrack> tracks;  // Send only
  std::string cname;               // RTCP CNAME of what we send (RFC 7022); random when empty
  // RTX (RFC 4588): answer the offered rtx payload type of the chosen format. Needs a
  // LocalTrack::rtxSsrc to send it.
  bool rtx = false;
  // Feedback beyond nack, nack pli and ccm fir, which are always kept when offered.
  bool transportCc = false;  // "transport-cc": only with its header extension on the allow-list
  bool googRemb = false;
  // Header extension URIs to keep when offered (RFC 8285), by default none: we send packets
  // packetized once per stream and shared by every reader, so we cannot write per-session
  // extensions, and an offered-and-answered extension obliges the sender to use it. Demux
  // does not need urn:ietf:params:rtp-hdrext:sdes:mid: the answer signals our SSRCs, and a
  // WHIP offer signals the browser's (or the payload types tell the bundled sections apart,
  // RFC 8843 §9.2). A WHIP ingest may list it (and transport-cc) since it only receives them.
  std::vector<std::string> headerExtensions;
  std::size_t maxReceiveSectionsPerKind = 1;  // Receive: further sections of a kind: NoTrack
  std::optional<std::uint64_t> sessionId;     // o= sess-id; random when absent (tests fix it)
};

// Answers a browser's WebRTC offer as the ICE-lite (RFC 8445 §2.5), DTLS-passive, BUNDLE-only,
// rtcp-mux-only endpoint the server is (JSEP RFC 8829 §5.3, BUNDLE RFC 8843, rtcp-mux RFC 5761 /
// RFC 8858). Stateless and sans-I/O: text in, text and a description of the result out.
//
// Each offered m= section is either accepted (same media and mid, one payload type, plus its
// RTX when answered) or rejected with port 0, keeping its m= line and a=mid (JSEP §5.3.1);
// rejections are reported with a reason. Transport parameters (ICE credentials, fingerprint,
// setup) are read from the first accepted section in BUNDLE order (the answerer-tagged one,
// RFC 8843 §7.3.1), falling back to the session level.
class SdpNegotiator {
 public:
  static constexpr std::size_t kMaxOfferSize = 64 * 1024;  // checked before parsing
  static constexpr std::size_t kMaxMediaSections = 32;
  static constexpr std::size_t kMaxMidSize = 64;
  static constexpr std::size_t kMaxLocalCandidates = 16;
  static constexpr std::size_t kMaxRemoteSsrcs = 16;  // per section; further ones are ignored

  // The answer, or why there is none: an error naming the first thing wrong (see
  // NegotiationError::Kind). A section-level problem only rejects that section; it becomes an
  // error when no section is left.
  static base::Result<NegotiatedSession, NegotiationError> answer(std::string_view offer,
                                                                  const AnswerOptions& options);
};

}  // namespace ocellus::proto::webrtc
