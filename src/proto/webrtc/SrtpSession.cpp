#include "proto/webrtc/SrtpSession.h"

#include <openssl/crypto.h>
#include <srtp2/srtp.h>

#include <array>
#include <climits>
#include <cstring>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>

namespace ocellus::proto::webrtc {

static_assert(std::is_same_v<srtp_t, srtp_ctx_t_*>, "srtp_t is no longer a pointer to srtp_ctx_t_");

namespace {

constexpr std::size_t kRtpHeaderSize = 12;  // RFC 3550 §5.1
constexpr std::size_t kRtcpHeaderSize = 8;  // RFC 3550 §6.4.1: header and SSRC
constexpr std::size_t kMaxKeyAndSalt = 16 + 14;

// srtp_init registers the cipher and auth types in a process-wide kernel: exactly once, and
// before the first session; its result is remembered for every later caller.
srtp_err_status_t initLibrary() {
  static std::once_flag once;
  static srtp_err_status_t status = srtp_err_status_ok;
  std::call_once(once, [] { status = srtp_init(); });
  return status;
}

base::Error srtpError(base::ErrorCode code, const std::string& what) {
  return base::makeError(code, "srtp: " + what);
}

}  // namespace

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
  if (const auto status = initLibrary(); status != srtp_err_status_ok) {
    return srtpError(base::ErrorCode::Internal, "srtp_init failed with status " + std::to_string(status));
  }

  srtp_policy_t policy;
  std::memset(&policy, 0, sizeof policy);
  if (profile == SrtpProfile::AeadAes128Gcm) {
    // RFC 7714 §14.2: AEAD_AES_128_GCM for both SRTP and SRTCP, 16-byte tags.
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
  } else {
    // RFC 5764 §4.1.2: SRTCP uses the 80-bit tag as well.
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
  }
  // libsrtp takes the master key and the master salt as one buffer, key first, and copies it.
  std::array<unsigned char, kMaxKeyAndSalt> keyAndSalt{};
  std::memcpy(keyAndSalt.data(), key.data(), key.size());
  std::memcpy(keyAndSalt.data() + key.size(), salt.data(), salt.size());
  policy.key = keyAndSalt.data();
  policy.ssrc.type = direction == SrtpDirection::Inbound ? ssrc_any_inbound : ssrc_any_outbound;
  policy.window_size = kReplayWindow;
  policy.allow_repeat_tx = direction == SrtpDirection::Outbound ? 1 : 0;
  policy.next = nullptr;

  srtp_t session = nullptr;
  const srtp_err_status_t status = srtp_create(&session, &policy);
  OPENSSL_cleanse(keyAndSalt.data(), keyAndSalt.size());  // libsrtp keeps its own expanded keys
  policy.key = nullptr;
  if (status != srtp_err_status_ok) {
    return srtpError(base::ErrorCode::Internal, "srtp_create failed with status " + std::to_string(status));
  }
  return SrtpSession(session, profile, direction);
}

SrtpSession::SrtpSession(srtp_ctx_t_* session, SrtpProfile profile, SrtpDirection direction)
    : session_(session), profile_(profile), direction_(direction) {}

SrtpSession::SrtpSession(SrtpSession&& other) noexcept
    : session_(std::exchange(other.session_, nullptr)),
      profile_(other.profile_),
      direction_(other.direction_),
      counters_(other.counters_) {}

SrtpSession& SrtpSession::operator=(SrtpSession&& other) noexcept {
  if (this != &other) {
    if (session_ != nullptr) srtp_dealloc(session_);
    session_ = std::exchange(other.session_, nullptr);
    profile_ = other.profile_;
    direction_ = other.direction_;
    counters_ = other.counters_;
  }
  return *this;
}

SrtpSession::~SrtpSession() {
  if (session_ != nullptr) srtp_dealloc(session_);
}

std::size_t SrtpSession::rtpTrailerSize() const {
  return profile_ == SrtpProfile::AeadAes128Gcm ? 16 : 10;
}

bool SrtpSession::run(Op op, std::span<std::uint8_t> buffer, std::size_t& length) {
  const bool protect = op == Op::ProtectRtp || op == Op::ProtectRtcp;
  const bool rtcp = op == Op::ProtectRtcp || op == Op::UnprotectRtcp;
  const std::size_t trailer = rtcp ? rtcpTrailerSize() : rtpTrailerSize();
  const std::size_t minimum = (rtcp ? kRtcpHeaderSize : kRtpHeaderSize) + (protect ? 0 : trailer);
  // libsrtp trusts the length it is given and writes the trailer after it: check both here.
  if (session_ == nullptr || protect != (direction_ == SrtpDirection::Outbound) || length < minimum ||
      length > kMaxPacketSize || length > buffer.size() || (protect && buffer.size() - length < trailer)) {
    ++counters_.otherFailures;
    return false;
  }
  int size = static_cast<int>(length);
  srtp_err_status_t status;
  switch (op) {
    case Op::ProtectRtp:
      status = srtp_protect(session_, buffer.data(), &size);
      break;
    case Op::ProtectRtcp:
      status = srtp_protect_rtcp(session_, buffer.data(), &size);
      break;
    case Op::UnprotectRtp:
      status = srtp_unprotect(session_, buffer.data(), &size);
      break;
    case Op::UnprotectRtcp:
    default:
      status = srtp_unprotect_rtcp(session_, buffer.data(), &size);
      break;
  }
  switch (status) {
    case srtp_err_status_ok:
      if (size < 0 || static_cast<std::size_t>(size) > buffer.size()) {
        ++counters_.otherFailures;
        return false;
      }
      length = static_cast<std::size_t>(size);
      ++(rtcp ? counters_.rtcpPackets : counters_.rtpPackets);
      return true;
    case srtp_err_status_auth_fail:
    case srtp_err_status_cipher_fail:  // a GCM tag mismatch is reported by the cipher
      ++(protect ? counters_.otherFailures : counters_.authFailures);
      return false;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old:
      ++(protect ? counters_.otherFailures : counters_.replayRejected);
      return false;
    default:
      ++counters_.otherFailures;
      return false;
  }
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
