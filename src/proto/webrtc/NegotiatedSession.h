#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/Codec.h"
#include "format/sdp/Fields.h"
#include "proto/webrtc/CertificateFingerprint.h"
#include "proto/webrtc/CodecDescription.h"

namespace ocellus::proto::webrtc {

// What an answered offer settled (SdpNegotiator::answer): the answer text and everything the
// transport needs from the offer. Plain data; it outlives nothing.

// An SSRC the browser announced (a=ssrc, RFC 5576 §4.1) and its retransmission SSRC
// (a=ssrc-group:FID, RFC 5576 §4.2 / RFC 4588 §8.1). A WHIP sender's media arrive with it.
struct RemoteSsrc {
  std::uint32_t ssrc = 0;
  std::optional<std::uint32_t> rtxSsrc;
  std::string cname;  // a=ssrc:<ssrc> cname:<cname>, empty when absent

  bool operator==(const RemoteSsrc&) const = default;
};

// A kept "a=extmap:<id> <uri>" (RFC 8285 §5).
struct HeaderExtension {
  std::uint8_t id = 0;
  std::string uri;

  bool operator==(const HeaderExtension&) const = default;
};

// One accepted m= section.
struct NegotiatedMedia {
  std::size_t index = 0;  // position of the m= section in offer and answer
  std::string mid;
  codec::MediaKind kind = codec::MediaKind::Video;
  format::sdp::Direction direction = format::sdp::Direction::SendOnly;  // ours, as answered
  std::uint8_t payloadType = 0;
  // The offered format as answered: the offer's spelling of the name, its clock rate and
  // channels, the answered fmtp parameters (for H.264 the answered profile-level-id).
  CodecDescription codec;
  std::size_t localCodecIndex = 0;  // which of AnswerOptions::codecs matched
  // The offer's RTX payload type for the chosen one (a=fmtp:<rtx> apt=<payloadType>, RFC 4588
  // §8.1), answered or not.
  std::optional<std::uint8_t> offeredRtxPayloadType;
  // The same when it was answered (AnswerOptions::rtx): the one to send or expect
  // retransmissions on. nullopt means no retransmission stream.
  std::optional<std::uint8_t> rtxPayloadType;
  std::vector<std::string> rtcpFeedback;  // answered a=rtcp-fb values: "nack", "nack pli", "ccm fir", ...
  std::vector<HeaderExtension> headerExtensions;  // offered extmaps on the allow-list, offered ids
  bool rtcpReducedSize = false;                   // a=rtcp-rsize offered and answered (RFC 5506)
  std::vector<RemoteSsrc> remoteSsrcs;            // announced in the offer, primaries only
  std::optional<std::uint32_t> localSsrc;         // what we send (AnswerOptions::tracks)
  std::optional<std::uint32_t> localRtxSsrc;

  bool operator==(const NegotiatedMedia&) const = default;
};

// Why one m= section was rejected (port 0 in the answer, JSEP RFC 8829 §5.3.1).
enum class RejectReason {
  RejectedInOffer,  // port 0 without a=bundle-only: the browser itself turned it off
  NotRtp,           // not audio/video over UDP/TLS/RTP/SAVPF (data channels, other protocols)
  NotBundled,       // no a=mid or not in the BUNDLE group: we have one transport
  NoRtcpMux,        // RTCP on its own port is not something we offer
  Direction,        // inactive, or sendonly to a sender / recvonly to a receiver
  NoCommonCodec,    // no offered format matches one of ours
  NoTrack,          // no track of this kind left (more sections than we send / take)
};

struct RejectedMedia {
  std::size_t index = 0;
  std::string mid;    // empty when the section had none
  std::string media;  // "video", "audio", "application", ...
  RejectReason reason = RejectReason::NotRtp;
  std::string detail;

  bool operator==(const RejectedMedia&) const = default;
};

struct NegotiatedSession {
  std::string answer;           // the answer SDP, CRLF line ends
  std::uint64_t sessionId = 0;  // the answer's o= sess-id
  std::string remoteIceUfrag;
  std::string remoteIcePwd;
  CertificateFingerprint remoteFingerprint;  // the first one with a supported hash
  // Every usable a=fingerprint of the transport section, in order (RFC 8122 §5 allows several;
  // DtlsEndpoint::expectFingerprint takes each): remoteFingerprint is the first.
  std::vector<CertificateFingerprint> remoteFingerprints;
  bool remoteIceLite = false;           // a=ice-lite in the offer
  bool remoteTrickle = false;           // a=ice-options:trickle (RFC 8840 §5.1)
  std::vector<NegotiatedMedia> media;   // in m= order
  std::vector<RejectedMedia> rejected;  // in m= order

  const NegotiatedMedia* find(std::string_view mid) const {
    for (const auto& m : media) {
      if (m.mid == mid) return &m;
    }
    return nullptr;
  }
};

}  // namespace ocellus::proto::webrtc
