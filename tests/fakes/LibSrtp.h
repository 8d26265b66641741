#pragma once

#include <srtp2/srtp.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <span>

#include "proto/webrtc/SrtpSession.h"

namespace ocellus::test {

// libsrtp2 with the policy the server used before it had its own SRTP (ssrc_any, the same
// replay window, repeated sends allowed outbound): the oracle of the SRTP interop tests and
// the reference of bench/srtp. Initialises libsrtp once per process.
struct LibSrtpFree {
  void operator()(srtp_ctx_t_* session) const { srtp_dealloc(session); }
};
using LibSrtp = std::unique_ptr<srtp_ctx_t_, LibSrtpFree>;

// Null if libsrtp refuses.
inline LibSrtp makeLibSrtp(proto::webrtc::SrtpProfile profile, std::span<const std::uint8_t> key,
                           std::span<const std::uint8_t> salt, proto::webrtc::SrtpDirection direction) {
  static std::once_flag once;
  static srtp_err_status_t init = srtp_err_status_ok;
  std::call_once(once, [] { init = srtp_init(); });
  if (init != srtp_err_status_ok || key.size() + salt.size() > 30) return nullptr;
  srtp_policy_t policy;
  std::memset(&policy, 0, sizeof policy);
  if (profile == proto::webrtc::SrtpProfile::AeadAes128Gcm) {
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
  } else {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtp);
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&policy.rtcp);
  }
  unsigned char keyAndSalt[30] = {};
  std::memcpy(keyAndSalt, key.data(), key.size());
  std::memcpy(keyAndSalt + key.size(), salt.data(), salt.size());
  policy.key = keyAndSalt;
  policy.ssrc.type =
      direction == proto::webrtc::SrtpDirection::Inbound ? ssrc_any_inbound : ssrc_any_outbound;
  policy.window_size = proto::webrtc::SrtpSession::kReplayWindow;
  policy.allow_repeat_tx = direction == proto::webrtc::SrtpDirection::Outbound ? 1 : 0;
  srtp_t session = nullptr;
  if (srtp_create(&session, &policy) != srtp_err_status_ok) return nullptr;
  return LibSrtp(session);
}

}  // namespace ocellus::test
