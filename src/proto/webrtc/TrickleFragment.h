#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"
#include "proto/webrtc/IceCandidate.h"
#include "proto/webrtc/NegotiatedSession.h"

namespace ocellus::proto::webrtc {

// An "application/trickle-ice-sdpfrag" body (RFC 8840 §9), what WHIP/WHEP clients PATCH to
// trickle candidates or restart ICE (RFC 9725 §4.3.1-§4.3.2) and what the server answers:
//
//   a=ice-ufrag:EsAw                       session level: credentials, ice-options, ice-lite,
//   a=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y     group:BUNDLE, end-of-candidates
//   a=group:BUNDLE 0 1
//   m=audio 9 UDP/TLS/RTP/SAVPF 111        one section per m= line, named by its a=mid
//   a=mid:0
//   a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0
//   a=end-of-candidates
//
// Credentials may sit at either level (RFC 9725's example has them in the m= section). The
// caller compares them with the session's: other ones mean an ICE restart (RFC 8839 §4.4.1.1.1),
// which it may refuse. Plain data; parse/toString round-trip.
struct TrickleFragment {
  static constexpr std::size_t kMaxSize = 16 * 1024;
  static constexpr std::size_t kMaxLines = 256;
  static constexpr std::size_t kMaxSections = 16;
  static constexpr std::size_t kMaxCandidates = 64;  // over all sections

  struct Section {
    // The m= line, which RFC 8840 §9.1 copies from the session; only its position and a=mid
    // identify the section.
    std::string media = "audio";
    std::uint16_t port = 9;
    std::string proto = "UDP/TLS/RTP/SAVPF";
    std::vector<std::string> formats{"0"};
    std::string mid;  // empty when the section has no a=mid
    std::optional<std::string> iceUfrag;
    std::optional<std::string> icePwd;
    std::vector<IceCandidate> candidates;
    bool endOfCandidates = false;

    bool operator==(const Section&) const = default;
  };

  bool iceLite = false;
  std::optional<std::string> iceUfrag;  // session level
  std::optional<std::string> icePwd;
  std::vector<std::string> iceOptions;  // "trickle", ...
  std::vector<std::string> bundle;      // mids of a=group:BUNDLE
  bool endOfCandidates = false;         // session level: no more candidates for any section
  std::vector<Section> sections;
  // Candidates with a transport or type we do not know (IceCandidate::parse Unsupported):
  // skipped, counted here, not kept and not written back.
  std::size_t ignoredCandidates = 0;

  // Accepts CRLF or LF and blank lines; ignores attributes and line types it does not know.
  // Malformed: a line not "<letter>=<value>", an m= line without proto and format, a bad
  // a=mid (not a token, repeated), a candidate that does not parse or sits before any m=,
  // credentials that are not RFC 8839 §5.4 ice-chars or that disagree between sections.
  // TooLarge: over kMaxSize / kMaxLines / kMaxSections / kMaxCandidates.
  static base::Result<TrickleFragment> parse(std::string_view body);
  // Session-level lines (ice-lite, ice-options, credentials, group, end-of-candidates), then
  // each section (m=, a=mid, credentials, candidates, end-of-candidates); CRLF line ends.
  std::string toString() const;

  // The ICE credentials the fragment carries: session level, else the sections' (which agree).
  std::optional<std::string_view> ufrag() const;
  std::optional<std::string_view> pwd() const;
  // Whether the sender says it has no more candidates: a=end-of-candidates at session level
  // or in any section (bundled sections share one transport, RFC 8843 §10).
  bool complete() const;
  const Section* find(std::string_view mid) const;

  // The server's own fragment, e.g. for the 200 answer to an ICE-restart PATCH (RFC 9725
  // §4.3.2): a=ice-lite, the credentials, a=group:BUNDLE with the session's mids, one m= line per
  // negotiated section, and our candidates (and a=end-of-candidates when `complete`) in the
  // first one, the BUNDLE-tagged section whose transport every section shares.
  static TrickleFragment local(const NegotiatedSession& session, std::string ufrag, std::string pwd,
                               std::vector<IceCandidate> candidates, bool complete = true);

  bool operator==(const TrickleFragment&) const = default;
};

}  // namespace ocellus::proto::webrtc
