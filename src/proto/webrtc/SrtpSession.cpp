#include "proto/webrtc/SrtpSession.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "proto/webrtc/SrtpCipher.h"
#include "proto/webrtc/SrtpReplayWindow.h"

namespace ocellus::proto::webrtc {

static_assert(SrtpReplayWindow::kSize == SrtpSession::kReplayWindow);
static_assert(SrtpCipher::kGcmTagSize == SrtpSession::kMaxRtpTrailer);
static_assert(SrtpCipher::kGcmTagSize + SrtpCipher::kIndexWordSize == SrtpSession::kMaxRtcpTrailer);

namespace {

constexpr std::size_t kRtpHeaderSize = 12;  // RFC 3550 §5.1
constexpr std::size_t kRtcpHeaderSize = 8;  // RFC 3550 §6.4.1: header and SSRC
constexpr std::size_t kInitialSsrcs = 4;    // video, audio, their RTCP: no allocation after the first packets

std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

// The length of the RTP header at the start of packet, fixed part, CSRCs and extension
// (RFC 3550 §5.1, §5.3.1): all of it is authenticated and none encrypted. nullopt when it does
// not fit.
//    0                   1                   2                   3
//   |V=2|P|X|  CC   |M|     PT      |       sequence number         |
//   |                           timestamp                           |
//   |           synchronization source (SSRC) identifier            |
//   |            contributing source (CSRC) identifiers (CC)        |
//   |      defined by profile       |           length              |  if X
//   |                        header extension (length words)        |
std::optional<std::size_t> rtpHeaderSize(std::span<const std::uint8_t> packet) {
  if (packet.size() < kRtpHeaderSize) return std::nullopt;
  std::size_t size = kRtpHeaderSize + 4 * std::size_t{packet[0] & 0x0fu};
  if ((packet[0] & 0x10) != 0) {
    if (packet.size() < size + 4) return std::nullopt;
    size += 4 + 4 * ((std::size_t{packet[size + 2]} << 8) | packet[size + 3]);
  }
  if (packet.size() < size) return std::nullopt;
  return size;
}

base::Error srtpError(base::ErrorCode code, const std::string& what) {
  return base::makeError(code, "srtp: " + what);
}

// What one SSRC has sent (outbound) or been accepted with (inbound).
struct SsrcState {
  std::uint32_t ssrc = 0;
  SrtpReplayWindow rtp;              // highest index: the ROC estimate (§3.3.1); inbound also replays
  SrtpReplayWindow rtcp;             // inbound SRTCP replays
  std::uint32_t lastSrtcpIndex = 0;  // outbound: the first SRTCP index is 1, as libsrtp's
};

const SrtpReplayWindow kNothingSeen;

}  // namespace

struct SrtpSession::State {
  SrtpCipher rtp;
  SrtpCipher rtcp;
  std::vector<SsrcState> ssrcs;  // few: a linear search beats a map

  SsrcState* find(std::uint32_t ssrc) {
    auto it = std::find_if(ssrcs.begin(), ssrcs.end(), [ssrc](const SsrcState& s) { return s.ssrc == ssrc; });
    return it == ssrcs.end() ? nullptr : &*it;
  }
  // The state of ssrc, added when new; null when kMaxSsrcs are taken.
  SsrcState* findOrAdd(std::uint32_t ssrc) {
    if (SsrcState* s = find(ssrc)) return s;
    if (ssrcs.size() >= kMaxSsrcs) return nullptr;
    ssrcs.emplace_back().ssrc = ssrc;
    return &ssrcs.back();
  }
};

std::string_view srtpProfileName(SrtpProfile profile) {
  return profile == SrtpProfile::AeadAes128Gcm ? "SRTP_AEAD_AES_128_GCM" : "SRTP_AES128_CM_SHA1_80";
}

std::size_t srtpKeySize(SrtpProfile) {
  return 16;
}

std::size_t srtpSaltSize(SrtpProfile profile) {
  return profile == SrtpProfile::AeadAes128Gcm ? 12 : 14;
}

base::Result<SrtpSession> SrtpSession::create(SrtpProfile profile, std::span<const std::uint8_t> key,
                                              std::span<const std::uint8_t> salt, SrtpDirection direction) {
  if (key.size() != srtpKeySize(profile) || salt.size() != srtpSaltSize(profile)) {
    return srtpError(base::ErrorCode::InvalidArgument,
                     std::string(srtpProfileName(profile)) + " needs a 16-byte key and a " +
                         std::to_string(srtpSaltSize(profile)) + "-byte salt");
  }
  auto rtp = SrtpCipher::derive(profile, key, salt, false);
  auto rtcp = SrtpCipher::derive(profile, key, salt, true);
  if (!rtp || !rtcp) return srtpError(base::ErrorCode::Internal, "OpenSSL could not key AES");
  auto state = std::make_unique<State>(State{std::move(*rtp), std::move(*rtcp), {}});
  state->ssrcs.reserve(kInitialSsrcs);
  return SrtpSession(std::move(state), profile, direction);
}

SrtpSession::SrtpSession(std::unique_ptr<State> state, SrtpProfile profile, SrtpDirection direction)
    : state_(std::move(state)), profile_(profile), direction_(direction) {}

SrtpSession::SrtpSession(SrtpSession&& other) noexcept = default;
SrtpSession& SrtpSession::operator=(SrtpSession&& other) noexcept = default;
SrtpSession::~SrtpSession() = default;

std::size_t SrtpSession::rtpTrailerSize() const {
  return profile_ == SrtpProfile::AeadAes128Gcm ? SrtpCipher::kGcmTagSize : SrtpCipher::kCmTagSize;
}

bool SrtpSession::run(Op op, std::span<std::uint8_t> buffer, std::size_t& length) {
  const bool protect = op == Op::ProtectRtp || op == Op::ProtectRtcp;
  const bool rtcp = op == Op::ProtectRtcp || op == Op::UnprotectRtcp;
  const std::size_t trailer = rtcp ? rtcpTrailerSize() : rtpTrailerSize();
  const std::size_t minimum = (rtcp ? kRtcpHeaderSize : kRtpHeaderSize) + (protect ? 0 : trailer);
  if (state_ == nullptr || protect != (direction_ == SrtpDirection::Outbound) || length < minimum ||
      length > kMaxPacketSize || length > buffer.size() || (protect && buffer.size() - length < trailer)) {
    ++counters_.otherFailures;
    return false;
  }
  switch (op) {
    case Op::ProtectRtp:
      return protectRtpPacket(buffer, length);
    case Op::ProtectRtcp:
      return protectRtcpPacket(buffer, length);
    case Op::UnprotectRtp:
      return unprotectRtpPacket(buffer, length);
    case Op::UnprotectRtcp:
    default:
      return unprotectRtcpPacket(buffer, length);
  }
}

// RFC 3711 §3.1: header || encrypted payload || authentication tag (RFC 7714 §8: the GCM tag).
bool SrtpSession::protectRtpPacket(std::span<std::uint8_t> buffer, std::size_t& length) {
  const auto packet = buffer.first(length);
  const auto header = rtpHeaderSize(packet);
  SsrcState* s = header ? state_->findOrAdd(be32(packet.data() + 8)) : nullptr;
  if (s == nullptr) {
    ++counters_.otherFailures;
    return false;
  }
  const std::uint64_t index =
      s->rtp.estimateRtpIndex(static_cast<std::uint16_t>((packet[2] << 8) | packet[3]));
  if (!state_->rtp.sealRtp(packet, *header, s->ssrc, index, buffer.data() + length)) {
    ++counters_.otherFailures;
    return false;
  }
  s->rtp.add(index);
  length += rtpTrailerSize();
  ++counters_.rtpPackets;
  return true;
}

bool SrtpSession::unprotectRtpPacket(std::span<std::uint8_t> buffer, std::size_t& length) {
  const std::size_t tag = rtpTrailerSize();
  const auto packet = buffer.first(length - tag);
  const auto header = rtpHeaderSize(packet);
  if (!header) {
    ++counters_.otherFailures;
    return false;
  }
  const std::uint32_t ssrc = be32(packet.data() + 8);
  SsrcState* known = state_->find(ssrc);
  const SrtpReplayWindow& window = known ? known->rtp : kNothingSeen;
  const std::uint64_t index =
      window.estimateRtpIndex(static_cast<std::uint16_t>((packet[2] << 8) | packet[3]));
  // RFC 3711 §3.3: the replay check comes before the (costlier) authentication.
  if (window.check(index) != SrtpReplayWindow::Verdict::Fresh) {
    ++counters_.replayRejected;
    return false;
  }
  if (!state_->rtp.openRtp(packet, *header, ssrc, index, packet.data() + packet.size())) {
    ++counters_.authFailures;
    return false;
  }
  if (!accept(false, ssrc, index)) return false;
  length = packet.size();
  return true;
}

// RFC 3711 §3.4: header || encrypted rest || E + SRTCP index || tag (RFC 7714 §9.1: header ||
// ciphertext || tag || E + index). The index counts per sending SSRC, the compound's first.
bool SrtpSession::protectRtcpPacket(std::span<std::uint8_t> buffer, std::size_t& length) {
  const auto packet = buffer.first(length);
  SsrcState* s = state_->findOrAdd(be32(packet.data() + 4));
  if (s == nullptr || s->lastSrtcpIndex >= SrtpCipher::kMaxSrtcpIndex ||
      !state_->rtcp.sealRtcp(packet, s->ssrc, s->lastSrtcpIndex + 1, buffer.data() + length)) {
    ++counters_.otherFailures;
    return false;
  }
  ++s->lastSrtcpIndex;
  length += rtcpTrailerSize();
  ++counters_.rtcpPackets;
  return true;
}

bool SrtpSession::unprotectRtcpPacket(std::span<std::uint8_t> buffer, std::size_t& length) {
  const auto packet = buffer.first(length - rtcpTrailerSize());
  const std::uint8_t* trailer = packet.data() + packet.size();
  const std::uint32_t word = state_->rtcp.readIndexWord(trailer);
  // Our policy encrypts SRTCP: E = 0 (authenticated only) is not what the peer agreed to.
  if ((word & SrtpCipher::kEncryptedFlag) == 0) {
    ++counters_.otherFailures;
    return false;
  }
  const std::uint64_t index = word & SrtpCipher::kMaxSrtcpIndex;
  const std::uint32_t ssrc = be32(packet.data() + 4);
  SsrcState* known = state_->find(ssrc);
  if (known && known->rtcp.check(index) != SrtpReplayWindow::Verdict::Fresh) {
    ++counters_.replayRejected;
    return false;
  }
  if (!state_->rtcp.openRtcp(packet, ssrc, trailer)) {
    ++counters_.authFailures;
    return false;
  }
  if (!accept(true, ssrc, index)) return false;
  length = packet.size();
  return true;
}

// Only an authenticated packet creates or moves an SSRC's inbound state.
bool SrtpSession::accept(bool rtcp, std::uint32_t ssrc, std::uint64_t index) {
  SsrcState* s = state_->findOrAdd(ssrc);
  if (s == nullptr) {
    ++counters_.otherFailures;
    return false;
  }
  (rtcp ? s->rtcp : s->rtp).add(index);
  ++(rtcp ? counters_.rtcpPackets : counters_.rtpPackets);
  return true;
}

bool SrtpSession::runOnVector(Op op, std::vector<std::uint8_t>& packet) {
  const bool protect = op == Op::ProtectRtp || op == Op::ProtectRtcp;
  const std::size_t trailer = op == Op::ProtectRtcp ? rtcpTrailerSize() : rtpTrailerSize();
  const std::size_t original = packet.size();
  std::size_t length = original;
  if (protect) packet.resize(original + trailer);
  const bool ok = run(op, packet, length);
  packet.resize(ok ? length : original);
  return ok;
}

bool SrtpSession::protectRtp(std::span<std::uint8_t> buffer, std::size_t& length) {
  return run(Op::ProtectRtp, buffer, length);
}
bool SrtpSession::protectRtcp(std::span<std::uint8_t> buffer, std::size_t& length) {
  return run(Op::ProtectRtcp, buffer, length);
}
bool SrtpSession::unprotectRtp(std::span<std::uint8_t> buffer, std::size_t& length) {
  return run(Op::UnprotectRtp, buffer, length);
}
bool SrtpSession::unprotectRtcp(std::span<std::uint8_t> buffer, std::size_t& length) {
  return run(Op::UnprotectRtcp, buffer, length);
}
bool SrtpSession::protectRtp(std::vector<std::uint8_t>& packet) {
  return runOnVector(Op::ProtectRtp, packet);
}
bool SrtpSession::protectRtcp(std::vector<std::uint8_t>& packet) {
  return runOnVector(Op::ProtectRtcp, packet);
}
bool SrtpSession::unprotectRtp(std::vector<std::uint8_t>& packet) {
  return runOnVector(Op::UnprotectRtp, packet);
}
bool SrtpSession::unprotectRtcp(std::vector<std::uint8_t>& packet) {
  return runOnVector(Op::UnprotectRtcp, packet);
}

}  // namespace ocellus::proto::webrtc
