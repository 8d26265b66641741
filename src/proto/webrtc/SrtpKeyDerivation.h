#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace ocellus::proto::webrtc {

// The key derivation labels, SRTP and SRTCP (RFC 3711 §4.3.2).
enum class SrtpKeyLabel : std::uint8_t {
  RtpEncryption = 0x00,
  RtpAuthentication = 0x01,
  RtpSalt = 0x02,
  RtcpEncryption = 0x03,
  RtcpAuthentication = 0x04,
  RtcpSalt = 0x05,
};

// The SRTP key derivation function with the AES-CM PRF (RFC 3711 §4.3.1, §4.3.3) and a key
// derivation rate of 0, as DTLS-SRTP uses it: out = AES-CM(master key, IV) over zeros, with
// IV = ((label << 48) XOR master salt) << 16. master_key is 16 bytes (AES-128).
//
// master_salt is 14 bytes for AES-CM; AEAD_AES_128_GCM's 12-byte master salt (RFC 7714 §11)
// is taken as its first 12 bytes followed by two zero bytes, as libsrtp and the browsers do.
// Fills out (any length up to 2^16 blocks; session keys need at most 20 bytes). Returns false
// only if OpenSSL fails.
bool deriveSrtpKey(std::span<const std::uint8_t> masterKey, std::span<const std::uint8_t> masterSalt,
                   SrtpKeyLabel label, std::span<std::uint8_t> out);

}  // namespace ocellus::proto::webrtc
