#pragma once

#include <string>
#include <string_view>

#include "base/ErrorCode.h"
#include "base/Result.h"

namespace ocellus::proto::webrtc {

// Why an offer could not be answered at all (SdpNegotiator::answer). The kind is what the
// caller branches on: WHIP/WHEP (RFC 9725 §4.2) answer a malformed offer with 400 and one
// they cannot satisfy with 406 or 400, per the API contract; the message names the detail.
struct NegotiationError {
  enum class Kind {
    TooLarge,                 // over SdpNegotiator::kMaxOfferSize, or too many m= sections
    Malformed,                // not SDP, or a line we need cannot be read (bad mid, m= line)
    MissingIceCredentials,    // no a=ice-ufrag / a=ice-pwd, or not RFC 8839 §5.4 ice-chars
    MissingFingerprint,       // no a=fingerprint we can check (RFC 8842 §5.1)
    DtlsRoleConflict,         // a=setup:passive or holdconn: we are always the DTLS server
    BundleRequired,           // no m= section is in an a=group:BUNDLE with an a=mid (RFC 8843)
    RtcpMuxRequired,          // no bundled m= section has a=rtcp-mux (RFC 5761 / RFC 8858)
    DirectionMismatch,        // every section wants what we do not do (WHEP offer sendonly)
    NoCommonCodec,            // no section has a format we send / accept
    NoAcceptableMedia,        // nothing audio or video over UDP/TLS/RTP/SAVPF to answer
    InvalidLocalDescription,  // our own options are unusable (bad ufrag, fingerprint, cname)
  };

  Kind kind = Kind::Malformed;
  std::string message;

  // Whether the offer is at fault (400: malformed, or asks what no WebRTC answerer of ours
  // does), rather than our capabilities (NoCommonCodec, NoAcceptableMedia: 406) or our own
  // options (InvalidLocalDescription: 500).
  bool offerAtFault() const;
  // The code from the one error table: Malformed / TooLarge / Unsupported / InvalidArgument.
  base::ErrorCode code() const;
  base::Error toError() const { return base::makeError(code(), message); }
  std::string describe() const;

  static std::string_view kindName(Kind kind);
};

}  // namespace ocellus::proto::webrtc
