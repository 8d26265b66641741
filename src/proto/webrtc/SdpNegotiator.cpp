#include "proto/webrtc/SdpNegotiator.h"

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <set>
#include <utility>
#include <variant>

#include "base/Random.h"
#include "format/sdp/SessionDescription.h"
#include "format/sdp/Text.h"
#include "proto/webrtc/SdpSyntax.h"

namespace ocellus::proto::webrtc {
namespace {

using format::sdp::Attribute;
using format::sdp::Connection;
using format::sdp::Direction;
using format::sdp::MediaDescription;
using format::sdp::parseNumber;
using format::sdp::SessionDescription;
using Kind = NegotiationError::Kind;
using Role = AnswerOptions::Role;

constexpr std::string_view kUdpProto = "UDP/TLS/RTP/SAVPF";   // RFC 5764 §8, JSEP §5.1.2
constexpr std::string_view kTcpProto = "TCP/DTLS/RTP/SAVPF";  // RFC 7850 §3.4 (ICE-TCP)
constexpr std::size_t kMaxCnameSize = 255;                    // an SDES item (RFC 3550 §6.5)
constexpr std::size_t kMaxMsidIdSize = 64;                    // RFC 8830 §2: 1*64token-char
constexpr std::uint8_t kMaxOneByteExtensionId = 14;           // RFC 8285 §4.2
constexpr std::size_t kMaxFingerprints = 8;

NegotiationError fail(Kind kind, std::string message) {
  return NegotiationError{kind, std::move(message)};
}

std::string_view mediaName(codec::MediaKind kind) {
  return kind == codec::MediaKind::Audio ? "audio" : kind == codec::MediaKind::Video ? "video" : "data";
}

std::string_view reasonName(RejectReason r) {
  switch (r) {
    case RejectReason::RejectedInOffer:
      return "rejected in the offer";
    case RejectReason::NotRtp:
      return "not RTP media";
    case RejectReason::NotBundled:
      return "not bundled";
    case RejectReason::NoRtcpMux:
      return "no rtcp-mux";
    case RejectReason::Direction:
      return "direction";
    case RejectReason::NoCommonCodec:
      return "no common codec";
    case RejectReason::NoTrack:
      return "no track";
  }
  return "rejected";
}

// Our own options are trusted but still checked: they go into the answer verbatim.
std::optional<NegotiationError> checkLocal(const AnswerOptions& o) {
  const auto bad = [](std::string what) { return fail(Kind::InvalidLocalDescription, std::move(what)); };
  if (!isIceChars(o.iceUfrag, 4, 256) || !isIceChars(o.icePwd, 22, 256))
    return bad("ICE ufrag/pwd are not ice-chars");
  if (!CertificateFingerprint::parse(o.fingerprint)) return bad("fingerprint is not '<hash> <hex pairs>'");
  if (o.candidates.size() > SdpNegotiator::kMaxLocalCandidates) return bad("too many candidates");
  for (const auto& c : o.candidates) {
    auto again = IceCandidate::parse(c.toValue());
    if (!again || *again != c) return bad("candidate does not survive its own syntax: " + c.foundation);
  }
  if (!o.cname.empty() && (o.cname.size() > kMaxCnameSize || !isVisible(o.cname))) return bad("cname");
  for (const auto& t : o.tracks) {
    if ((!t.streamId.empty() && !isToken(t.streamId, kMaxMsidIdSize)) ||
        (!t.trackId.empty() && !isToken(t.trackId, kMaxMsidIdSize))) {
      return bad("msid stream/track ids must be 1-64 token chars");
    }
  }
  for (const auto& uri : o.headerExtensions) {
    if (uri.empty() || uri.size() > 256 || !isVisible(uri)) return bad("header extension URI");
  }
  for (const auto& c : o.codecs) {
    if (!isToken(c.name, 32) || c.clockRate == 0 || c.channels == 0) return bad("codec " + c.name);
  }
  return std::nullopt;
}

// An attribute of the section, else of the session (ICE and DTLS attributes may be either).
std::optional<std::string_view> transportAttribute(const SessionDescription& sd, const MediaDescription& m,
                                                   std::string_view name) {
  if (auto v = m.attribute(name)) return v;
  return sd.attribute(name);
}

bool wantsWhatWeDo(Role role, Direction offered) {
  if (offered == Direction::SendRecv) return true;
  return role == Role::Send ? offered == Direction::RecvOnly : offered == Direction::SendOnly;
}

std::string_view directionName(Direction d) {
  switch (d) {
    case Direction::SendRecv:
      return "sendrecv";
    case Direction::SendOnly:
      return "sendonly";
    case Direction::RecvOnly:
      return "recvonly";
    case Direction::Inactive:
      return "inactive";
  }
  return "sendrecv";
}

// "a=rtcp-fb:<pt|*> <type> [<subtype>]" (RFC 4585 §4.2) for the chosen payload type, the
// values we act on, normalised (single spaces, lower case), each once, in offered order.
std::vector<std::string> keptFeedback(const MediaDescription& m, std::uint8_t pt, const AnswerOptions& o) {
  std::vector<std::string> allowed = {"nack", "nack pli", "ccm fir"};
  if (o.transportCc) allowed.emplace_back("transport-cc");
  if (o.googRemb) allowed.emplace_back("goog-remb");
  std::vector<std::string> out;
  for (const auto& a : m.attributes) {
    if (!a.is("rtcp-fb")) continue;
    const auto f = splitFields(a.value);
    if (f.size() < 2 || f.size() > 3) continue;
    if (f[0] != "*" && parseNumber<std::uint8_t>(f[0]) != pt) continue;
    std::string value = toLower(f[1]);
    if (f.size() == 3) value += " " + toLower(f[2]);
    if (std::ranges::find(allowed, value) != allowed.end() && std::ranges::find(out, value) == out.end()) {
      out.push_back(std::move(value));
    }
  }
  return out;
}

// "a=extmap:<id>[/<direction>] <uri> [<attributes>]" (RFC 8285 §5): the allow-listed ones,
// one-byte ids only (1-14, which every implementation reads; no a=extmap-allow-mixed needed).
std::vector<HeaderExtension> keptExtensions(const MediaDescription& m, const AnswerOptions& o) {
  std::vector<HeaderExtension> out;
  for (const auto& a : m.attributes) {
    if (!a.is("extmap")) continue;
    const auto f = splitFields(a.value);
    if (f.size() < 2) continue;
    const auto id = parseNumber<std::uint8_t>(f[0].substr(0, f[0].find('/')));
    if (!id || *id == 0 || *id > kMaxOneByteExtensionId) continue;
    if (std::ranges::find(o.headerExtensions, f[1]) == o.headerExtensions.end()) continue;
    const bool seen =
        std::ranges::any_of(out, [&](const HeaderExtension& e) { return e.id == *id || e.uri == f[1]; });
    if (!seen) out.push_back({*id, std::string(f[1])});
  }
  return out;
}

// a=ssrc (RFC 5576 §4.1) and a=ssrc-group:FID (§4.2, RFC 4588 §8.1): the primary SSRCs in
// order of appearance with their retransmission SSRC and CNAME.
std::vector<RemoteSsrc> remoteSsrcs(const MediaDescription& m) {
  std::vector<RemoteSsrc> all;
  std::map<std::uint32_t, std::uint32_t> fid;  // primary -> rtx
  for (const auto& a : m.attributes) {
    if (a.is("ssrc")) {
      const auto f = splitFields(a.value);
      if (f.empty()) continue;
      const auto ssrc = parseNumber<std::uint32_t>(f[0]);
      if (!ssrc) continue;
      auto it = std::ranges::find(all, *ssrc, &RemoteSsrc::ssrc);
      if (it == all.end()) {
        if (all.size() == 2 * SdpNegotiator::kMaxRemoteSsrcs) continue;
        all.push_back({*ssrc, std::nullopt, {}});
        it = all.end() - 1;
      }
      if (f.size() >= 2 && f[1].size() > 6 && iequals(f[1].substr(0, 6), "cname:") && it->cname.empty()) {
        it->cname = std::string(f[1].substr(6));
      }
    } else if (a.is("ssrc-group")) {
      const auto f = splitFields(a.value);
      if (f.size() != 3 || !iequals(f[0], "FID")) continue;
      const auto primary = parseNumber<std::uint32_t>(f[1]);
      const auto rtx = parseNumber<std::uint32_t>(f[2]);
      if (primary && rtx && *primary != *rtx) fid.emplace(*primary, *rtx);
    }
  }
  std::set<std::uint32_t> rtxSsrcs;
  for (const auto& [primary, rtx] : fid) rtxSsrcs.insert(rtx);
  std::vector<RemoteSsrc> out;
  for (auto& s : all) {
    if (rtxSsrcs.contains(s.ssrc) || out.size() == SdpNegotiator::kMaxRemoteSsrcs) continue;
    if (const auto it = fid.find(s.ssrc); it != fid.end()) s.rtxSsrc = it->second;
    out.push_back(std::move(s));
  }
  return out;
}

// The offered rtx payload type whose apt is the chosen one (RFC 4588 §8.1).
std::optional<std::uint8_t> offeredRtx(const MediaDescription& m, std::uint8_t pt, std::uint32_t clockRate) {
  for (const std::uint8_t candidate : m.payloadTypes()) {
    const auto map = m.rtpmap(candidate);
    if (!map || !iequals(map->encoding, "rtx") || map->clockRate != clockRate) continue;
    const auto fmtp = m.fmtp(candidate);
    const auto apt = fmtp.find("apt");
    if (apt != fmtp.end() && parseNumber<std::uint8_t>(apt->second) == pt) return candidate;
  }
  return std::nullopt;
}

struct Choice {
  std::uint8_t payloadType = 0;
  std::size_t codecIndex = 0;
  std::map<std::string, std::string> fmtp;
  std::string encoding;
};

// The first offered format (browser's order, or ours: preferOurOrder) that one of our codecs
// of this kind matches.
std::optional<Choice> chooseFormat(const MediaDescription& m, codec::MediaKind kind, const AnswerOptions& o) {
  auto tryPair = [&](std::uint8_t pt, std::size_t i) -> std::optional<Choice> {
    const auto map = m.rtpmap(pt);
    if (!map || o.codecs[i].kind != kind) return std::nullopt;
    auto answered = o.codecs[i].match(*map, m.fmtp(pt), o.role == Role::Send);
    if (!answered) return std::nullopt;
    return Choice{pt, i, std::move(*answered), map->encoding};
  };
  const auto offered = m.payloadTypes();
  const std::size_t outer = o.preferOurOrder ? o.codecs.size() : offered.size();
  const std::size_t inner = o.preferOurOrder ? offered.size() : o.codecs.size();
  for (std::size_t a = 0; a < outer; ++a) {
    for (std::size_t b = 0; b < inner; ++b) {
      auto choice = o.preferOurOrder ? tryPair(offered[b], a) : tryPair(offered[a], b);
      if (choice) return choice;
    }
  }
  return std::nullopt;
}

// The m=/c= default: the first UDP candidate with an IP address (RFC 8839 §4.2.1.2).
std::pair<std::uint16_t, Connection> defaultDestination(const std::vector<IceCandidate>& candidates) {
  for (const auto& c : candidates) {
    if (c.transport != IceCandidate::Transport::Udp) continue;
    const auto kind = c.addressKind();
    if (kind == IceCandidate::AddressKind::Hostname) continue;
    return {c.port, Connection{"IN", kind == IceCandidate::AddressKind::Ipv6 ? "IP6" : "IP4", c.address}};
  }
  return {9, Connection{"IN", "IP4", "0.0.0.0"}};
}

// What one accepted section needs for its answer besides the NegotiatedMedia.
struct Accepted {
  NegotiatedMedia media;
  const LocalTrack* track = nullptr;
  std::string proto;
};

struct Rejected {
  RejectedMedia media;
  std::string proto;
  std::string format;
};

void appendAttribute(std::vector<Attribute>& out, std::string name, std::string value = {}) {
  out.push_back(Attribute{std::move(name), std::move(value)});
}

MediaDescription answerSection(const Accepted& a, const AnswerOptions& o, const std::string& cname,
                               const std::string& fingerprint) {
  const NegotiatedMedia& n = a.media;
  MediaDescription m;
  m.media = std::string(mediaName(n.kind));
  m.proto = a.proto;
  auto [port, connection] = defaultDestination(o.candidates);
  m.port = port;
  m.connection = std::move(connection);
  m.formats.push_back(std::to_string(n.payloadType));
  if (n.rtxPayloadType) m.formats.push_back(std::to_string(*n.rtxPayloadType));

  auto& at = m.attributes;
  appendAttribute(at, "mid", n.mid);
  appendAttribute(at, "ice-ufrag", o.iceUfrag);
  appendAttribute(at, "ice-pwd", o.icePwd);
  appendAttribute(at, "fingerprint", fingerprint);
  appendAttribute(at, "setup", "passive");  // RFC 5763 §5: the answerer to actpass picks; we serve DTLS
  appendAttribute(at, std::string(directionName(n.direction)));
  appendAttribute(at, "rtcp-mux");
  if (n.rtcpReducedSize) appendAttribute(at, "rtcp-rsize");
  for (const auto& e : n.headerExtensions) appendAttribute(at, "extmap", std::to_string(e.id) + " " + e.uri);

  const LocalTrack* t = a.track;
  const std::string streamId = t && !t->streamId.empty() ? t->streamId : "-";
  const std::string msid = t && !t->trackId.empty() ? streamId + " " + t->trackId : std::string();
  if (!msid.empty()) appendAttribute(at, "msid", msid);  // RFC 8830 §2

  const std::string pt = std::to_string(n.payloadType);
  appendAttribute(
      at, "rtpmap",
      format::sdp::RtpMap{n.payloadType, n.codec.name, n.codec.clockRate, n.codec.channels}.toString());
  for (const auto& fb : n.rtcpFeedback) appendAttribute(at, "rtcp-fb", pt + " " + fb);
  if (!n.codec.fmtp.empty())
    appendAttribute(at, "fmtp", pt + " " + CodecDescription::formatFmtp(n.codec.fmtp));
  if (n.rtxPayloadType) {
    const std::string rtx = std::to_string(*n.rtxPayloadType);
    appendAttribute(at, "rtpmap", rtx + " rtx/" + std::to_string(n.codec.clockRate));
    appendAttribute(at, "fmtp", rtx + " apt=" + pt);
  }

  // RFC 5576 §4.1/§4.2: what we send, so the browser demuxes it by SSRC and syncs by CNAME.
  if (n.localSsrc) {
    const auto ssrcLines = [&](std::uint32_t ssrc) {
      appendAttribute(at, "ssrc", std::to_string(ssrc) + " cname:" + cname);
      if (!msid.empty()) appendAttribute(at, "ssrc", std::to_string(ssrc) + " msid:" + msid);
    };
    if (n.localRtxSsrc) {
      appendAttribute(at, "ssrc-group",
                      "FID " + std::to_string(*n.localSsrc) + " " + std::to_string(*n.localRtxSsrc));
    }
    ssrcLines(*n.localSsrc);
    if (n.localRtxSsrc) ssrcLines(*n.localRtxSsrc);
  }
  for (const auto& c : o.candidates) appendAttribute(at, "candidate", c.toValue());
  if (o.candidatesComplete) appendAttribute(at, "end-of-candidates");
  return m;
}

MediaDescription rejectedSection(const Rejected& r) {
  MediaDescription m;
  m.media = r.media.media;
  m.port = 0;
  m.proto = r.proto;
  m.formats = {r.format};
  m.connection = Connection{"IN", "IP4", "0.0.0.0"};
  if (!r.media.mid.empty()) appendAttribute(m.attributes, "mid", r.media.mid);
  return m;
}

// When nothing is accepted: the most telling reason, offer structure first.
NegotiationError noSectionError(const std::vector<Rejected>& rejected) {
  static constexpr std::array<std::pair<RejectReason, Kind>, 4> kOrder{{
      {RejectReason::NotBundled, Kind::BundleRequired},
      {RejectReason::NoRtcpMux, Kind::RtcpMuxRequired},
      {RejectReason::Direction, Kind::DirectionMismatch},
      {RejectReason::NoCommonCodec, Kind::NoCommonCodec},
  }};
  std::string message = "no m= section accepted:";
  for (const auto& r : rejected) {
    message += " [" + std::to_string(r.media.index) + " " + r.media.media +
               (r.media.mid.empty() ? "" : " mid ") + r.media.mid + ": " +
               std::string(reasonName(r.media.reason));
    if (!r.media.detail.empty()) message += ", " + r.media.detail;
    message += "]";
  }
  for (const auto& entry : kOrder) {
    if (std::ranges::any_of(rejected, [&](const Rejected& r) { return r.media.reason == entry.first; })) {
      return fail(entry.second, std::move(message));
    }
  }
  return fail(Kind::NoAcceptableMedia, std::move(message));
}

// ICE credentials, fingerprint and DTLS role of the transport (RFC 8839 §5.4, RFC 8122 §5,
// RFC 5763 §5 / RFC 8842 §5).
std::optional<NegotiationError> readTransport(const SessionDescription& sd, const MediaDescription& m,
                                              NegotiatedSession& out) {
  const auto ufrag = transportAttribute(sd, m, "ice-ufrag");
  const auto pwd = transportAttribute(sd, m, "ice-pwd");
  if (!ufrag || !pwd) return fail(Kind::MissingIceCredentials, "offer has no a=ice-ufrag/a=ice-pwd");
  const auto u = format::sdp::trim(*ufrag);
  const auto p = format::sdp::trim(*pwd);
  if (!isIceChars(u, 4, 256) || !isIceChars(p, 22, 256)) {
    return fail(Kind::MissingIceCredentials,
                "a=ice-ufrag/a=ice-pwd are not 4/22-256 ice-chars (RFC 8839 §5.4)");
  }
  out.remoteIceUfrag = std::string(u);
  out.remoteIcePwd = std::string(p);

  // RFC 8122 §5: several fingerprints may be given; those we cannot check are skipped.
  const auto& fingerprints = m.attribute("fingerprint") ? m.attributes : sd.attributes;
  std::optional<std::string> why;
  for (const auto& a : fingerprints) {
    if (!a.is("fingerprint")) continue;
    auto fp = CertificateFingerprint::parse(a.value);
    if (!fp) {
      why = fp.error().message;
    } else if (out.remoteFingerprints.size() < kMaxFingerprints) {
      out.remoteFingerprints.push_back(std::move(fp).value());
    }
  }
  if (out.remoteFingerprints.empty()) {
    return fail(Kind::MissingFingerprint,
                why ? "no usable a=fingerprint: " + *why : "offer has no a=fingerprint");
  }
  out.remoteFingerprint = out.remoteFingerprints.front();

  // RFC 4145 §4 / RFC 5763 §5: the offerer says actpass (active would do too); we answer
  // passive and wait for the browser's ClientHello. A passive or holdconn offerer leaves us
  // no role we play. Absent means active (RFC 4145 §4).
  if (const auto setup = transportAttribute(sd, m, "setup")) {
    const std::string role = toLower(format::sdp::trim(*setup));
    if (role == "passive" || role == "holdconn") {
      return fail(Kind::DtlsRoleConflict,
                  "a=setup:" + role + " would make us the DTLS client; we only serve");
    }
    if (role != "actpass" && role != "active")
      return fail(Kind::Malformed, "a=setup value is not RFC 4145 §4");
  }

  out.remoteIceLite = sd.attribute("ice-lite").has_value();
  for (const auto* attributes : {&sd.attributes, &m.attributes}) {
    for (const auto& a : *attributes) {
      if (!a.is("ice-options")) continue;
      for (const auto option : splitFields(a.value)) out.remoteTrickle |= iequals(option, "trickle");
    }
  }
  return std::nullopt;
}

std::uint64_t randomSessionId() {
  // JSEP §5.2.1: a 64-bit signed integer below 2^63 - 1.
  const std::uint64_t id = base::randomU64() >> 1;
  return id == static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) ? id - 1 : id;
}

// Each section's a=mid (RFC 5888 §4: a token, unique; empty when absent), after checking the
// m= lines we may echo into the answer.
std::optional<NegotiationError> readMids(const SessionDescription& sd, std::vector<std::string>& mids) {
  for (const auto& m : sd.media) {
    if (!isToken(m.media, 32) || !isProto(m.proto) || m.formats.empty() ||
        !std::ranges::all_of(m.formats, [](const std::string& f) { return isToken(f, 32); })) {
      return fail(Kind::Malformed, "m= line with a bad media, proto or format");
    }
    std::string mid;
    if (const auto v = m.attribute("mid")) {
      mid = std::string(format::sdp::trim(*v));
      if (!isToken(mid, SdpNegotiator::kMaxMidSize)) {
        return fail(Kind::Malformed, "a=mid is not a token of at most 64 chars");
      }
      if (std::ranges::find(mids, mid) != mids.end())
        return fail(Kind::Malformed, "a=mid:" + mid + " repeated");
    }
    mids.push_back(std::move(mid));
  }
  return std::nullopt;
}

// The mids of the first a=group:BUNDLE (RFC 8843 §7.1); its first tags the offerer's transport.
std::vector<std::string> bundleGroup(const SessionDescription& sd) {
  std::vector<std::string> bundle;
  for (const auto& a : sd.attributes) {
    if (!a.is("group")) continue;
    const auto f = splitFields(a.value);
    if (f.empty() || !iequals(f[0], "BUNDLE")) continue;
    for (std::size_t i = 1; i < f.size(); ++i) bundle.emplace_back(f[i]);
    break;
  }
  return bundle;
}

// Who takes the sections of each kind: a LocalTrack each when we send, a count when we receive.
class SectionSlots {
 public:
  explicit SectionSlots(const AnswerOptions& options)
      : options_(options), used_(options.tracks.size(), false) {}

  // False when the kind has nothing left; `track` is the one to send (Send only).
  bool take(codec::MediaKind kind, const LocalTrack*& track) {
    track = nullptr;
    if (options_.role == Role::Receive) return received_[kind]++ < options_.maxReceiveSectionsPerKind;
    for (std::size_t t = 0; t < options_.tracks.size(); ++t) {
      if (!used_[t] && options_.tracks[t].kind == kind) {
        used_[t] = true;
        track = &options_.tracks[t];
        return true;
      }
    }
    return false;
  }

 private:
  const AnswerOptions& options_;
  std::vector<bool> used_;
  std::map<codec::MediaKind, std::size_t> received_;
};

// What becomes of one offered section, checks in the order JSEP §5.3.1 and BUNDLE imply.
std::variant<Accepted, Rejected> decide(const MediaDescription& m, std::size_t index, const std::string& mid,
                                        const std::vector<std::string>& bundle, Direction sessionDirection,
                                        const AnswerOptions& options, SectionSlots& slots) {
  const auto reject = [&](RejectReason reason, std::string detail = {}) {
    return Rejected{RejectedMedia{index, mid, m.media, reason, std::move(detail)}, m.proto,
                    m.formats.front()};
  };
  const bool isAudio = iequals(m.media, "audio");
  const codec::MediaKind kind = isAudio ? codec::MediaKind::Audio : codec::MediaKind::Video;
  // RFC 8843 §7.2: a bundle-only section comes with port 0 yet is offered.
  if (m.port == 0 && !m.attribute("bundle-only")) return reject(RejectReason::RejectedInOffer);
  if ((!isAudio && !iequals(m.media, "video")) ||
      (!iequals(m.proto, kUdpProto) && !iequals(m.proto, kTcpProto))) {
    return reject(RejectReason::NotRtp, m.media + " " + m.proto);
  }
  if (mid.empty() || std::ranges::find(bundle, mid) == bundle.end()) return reject(RejectReason::NotBundled);
  if (!m.attribute("rtcp-mux")) return reject(RejectReason::NoRtcpMux);
  const Direction offered = m.direction(sessionDirection);
  if (!wantsWhatWeDo(options.role, offered)) {
    return reject(RejectReason::Direction, "offered " + std::string(directionName(offered)));
  }
  auto choice = chooseFormat(m, kind, options);
  if (!choice) return reject(RejectReason::NoCommonCodec);
  const LocalTrack* track = nullptr;
  if (!slots.take(kind, track)) {
    return reject(RejectReason::NoTrack,
                  options.role == Role::Send
                      ? "no " + m.media + " track left to send"
                      : "takes at most " + std::to_string(options.maxReceiveSectionsPerKind));
  }

  NegotiatedMedia n;
  n.index = index;
  n.mid = mid;
  n.kind = kind;
  n.direction = options.role == Role::Send ? Direction::SendOnly : Direction::RecvOnly;
  n.payloadType = choice->payloadType;
  const CodecDescription& ours = options.codecs[choice->codecIndex];
  n.codec = CodecDescription{kind, choice->encoding, ours.clockRate, ours.channels, std::move(choice->fmtp)};
  n.localCodecIndex = choice->codecIndex;
  n.offeredRtxPayloadType = offeredRtx(m, n.payloadType, ours.clockRate);
  const bool canSendRtx = options.role == Role::Receive || (track && track->rtxSsrc);
  if (options.rtx && canSendRtx) n.rtxPayloadType = n.offeredRtxPayloadType;
  n.rtcpFeedback = keptFeedback(m, n.payloadType, options);
  n.headerExtensions = keptExtensions(m, options);
  n.rtcpReducedSize = m.attribute("rtcp-rsize").has_value();
  n.remoteSsrcs = remoteSsrcs(m);
  if (track) {
    n.localSsrc = track->ssrc;
    if (n.rtxPayloadType) n.localRtxSsrc = track->rtxSsrc;
  }
  return Accepted{std::move(n), track,
                  iequals(m.proto, kTcpProto) ? std::string(kTcpProto) : std::string(kUdpProto)};
}

// The answerer-tagged section: the first accepted one in BUNDLE order (RFC 8843 §7.3.1). With
// none accepted, the offerer-tagged one: it still says whether the offer is whole, which is the
// more useful error.
const MediaDescription& transportSection(const SessionDescription& sd, const std::vector<std::string>& mids,
                                         const std::vector<std::string>& bundle,
                                         const std::vector<Accepted>& accepted) {
  for (const auto& mid : bundle) {
    for (const auto& a : accepted) {
      if (a.media.mid == mid) return sd.media[a.media.index];
    }
  }
  for (const auto& mid : bundle) {
    const auto it = std::ranges::find(mids, mid);
    if (it != mids.end()) return sd.media[static_cast<std::size_t>(it - mids.begin())];
  }
  return sd.media.front();
}

// JSEP §5.3.1: the session level, then one section per offered one, in order.
std::string writeAnswer(std::size_t sections, const std::vector<Accepted>& accepted,
                        const std::vector<Rejected>& rejected, const std::vector<std::string>& bundle,
                        const AnswerOptions& options, std::uint64_t sessionId) {
  SessionDescription answer;
  answer.origin = {"-", std::to_string(sessionId), "0", "IN", "IP4", "0.0.0.0"};
  answer.sessionName = "-";
  answer.timing = {0, 0};
  appendAttribute(answer.attributes, "ice-lite");  // RFC 8839 §5.3
  std::string group = "BUNDLE";
  for (const auto& mid : bundle) {
    if (std::ranges::any_of(accepted, [&](const Accepted& a) { return a.media.mid == mid; }))
      group += " " + mid;
  }
  appendAttribute(answer.attributes, "group", group);
  std::string semantic = " WMS";  // written as browsers do: "a=msid-semantic: WMS <stream ids>"
  std::vector<std::string> streams;
  for (const auto& a : accepted) {
    if (!a.track || a.track->trackId.empty() || a.track->streamId.empty() || a.track->streamId == "-")
      continue;
    if (std::ranges::find(streams, a.track->streamId) == streams.end()) streams.push_back(a.track->streamId);
  }
  for (const auto& s : streams) semantic += " " + s;
  appendAttribute(answer.attributes, "msid-semantic", semantic);

  const std::string cname = options.cname.empty() ? base::randomHex(16) : options.cname;
  const std::string fingerprint = CertificateFingerprint::parse(options.fingerprint)->toString();
  auto acceptedIt = accepted.begin();
  auto rejectedIt = rejected.begin();
  for (std::size_t i = 0; i < sections; ++i) {
    if (acceptedIt != accepted.end() && acceptedIt->media.index == i) {
      answer.media.push_back(answerSection(*acceptedIt++, options, cname, fingerprint));
    } else {
      answer.media.push_back(rejectedSection(*rejectedIt++));
    }
  }
  return answer.toString();
}

}  // namespace

base::Result<NegotiatedSession, NegotiationError> SdpNegotiator::answer(std::string_view offer,
                                                                        const AnswerOptions& options) {
  if (offer.size() > kMaxOfferSize) return fail(Kind::TooLarge, "offer larger than 64 KiB");
  if (auto bad = checkLocal(options)) return *bad;
  auto parsed = SessionDescription::parse(offer);
  if (!parsed) {
    return fail(parsed.error().code == base::ErrorCode::TooLarge ? Kind::TooLarge : Kind::Malformed,
                parsed.error().message);
  }
  const SessionDescription& sd = *parsed;
  if (sd.media.empty()) return fail(Kind::NoAcceptableMedia, "offer has no m= section");
  if (sd.media.size() > kMaxMediaSections) return fail(Kind::TooLarge, "offer has more than 32 m= sections");
  std::vector<std::string> mids;
  if (auto bad = readMids(sd, mids)) return *bad;
  const std::vector<std::string> bundle = bundleGroup(sd);

  std::vector<Accepted> accepted;
  std::vector<Rejected> rejected;
  SectionSlots slots(options);
  for (std::size_t i = 0; i < sd.media.size(); ++i) {
    auto outcome = decide(sd.media[i], i, mids[i], bundle, sd.direction(), options, slots);
    if (auto* a = std::get_if<Accepted>(&outcome)) {
      accepted.push_back(std::move(*a));
    } else {
      rejected.push_back(std::get<Rejected>(std::move(outcome)));
    }
  }

  NegotiatedSession session;
  if (auto bad = readTransport(sd, transportSection(sd, mids, bundle, accepted), session)) return *bad;
  if (accepted.empty()) return noSectionError(rejected);
  session.sessionId = options.sessionId.value_or(randomSessionId());
  session.answer = writeAnswer(sd.media.size(), accepted, rejected, bundle, options, session.sessionId);
  for (auto& a : accepted) session.media.push_back(std::move(a.media));
  for (auto& r : rejected) session.rejected.push_back(std::move(r.media));
  return session;
}

}  // namespace ocellus::proto::webrtc
