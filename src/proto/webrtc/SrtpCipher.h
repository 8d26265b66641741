#pragma once

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "proto/webrtc/SrtpSession.h"

namespace ocellus::proto::webrtc {

// The cryptographic transform of one SRTP or SRTCP session key set, over OpenSSL 3:
// AES-128 counter mode with HMAC-SHA1-80 (RFC 3711 §4.1.1, §4.2) or AEAD_AES_128_GCM
// (RFC 7714 §8, §9). SrtpSession owns two (RTP and RTCP keys) and does the bookkeeping
// (indices, replay, SSRCs); this class only seals and opens packets it is told the index of.
//
// The OpenSSL cipher context is keyed once at construction; each packet only sets a new IV
// (EVP_CipherInit_ex without a key), so nothing is allocated per packet. HMAC-SHA1 keeps the
// SHA-1 states after the inner and outer pads (RFC 2104) and copies them per packet: the EVP
// digest and MAC APIs of OpenSSL 3.0 allocate on every reinit or copy, so it uses SHA1_Update.
//
// Movable, not copyable, not thread-safe. Keys are wiped on destruction.
class SrtpCipher {
 public:
  static constexpr std::size_t kKeySize = 16;       // AES-128 session key
  static constexpr std::size_t kCmSaltSize = 14;    // RFC 3711 §8.2: n_s = 112
  static constexpr std::size_t kGcmSaltSize = 12;   // RFC 7714 §12: 96-bit salt
  static constexpr std::size_t kAuthKeySize = 20;   // RFC 3711 §8.2: n_a = 160
  static constexpr std::size_t kCmTagSize = 10;     // HMAC-SHA1 truncated to 80 bits
  static constexpr std::size_t kGcmTagSize = 16;    // RFC 7714 §14.2
  static constexpr std::size_t kIndexWordSize = 4;  // SRTCP E flag and 31-bit index (RFC 3711 §3.4)
  static constexpr std::uint32_t kEncryptedFlag = 0x80000000;
  static constexpr std::uint32_t kMaxSrtcpIndex = 0x7fffffff;

  // Session keys derived from a master key and salt (RFC 3711 §4.3) with the RTP labels or
  // the RTCP ones. nullopt when the sizes are wrong (srtpKeySize/srtpSaltSize) or OpenSSL fails.
  static std::optional<SrtpCipher> derive(SrtpProfile profile, std::span<const std::uint8_t> masterKey,
                                          std::span<const std::uint8_t> masterSalt, bool rtcp);
  // Session keys given directly, as the RFCs' packet test vectors state them. authKey is
  // ignored for GCM (may be empty).
  static std::optional<SrtpCipher> fromSessionKeys(SrtpProfile profile, std::span<const std::uint8_t> key,
                                                   std::span<const std::uint8_t> salt,
                                                   std::span<const std::uint8_t> authKey);

  SrtpCipher(SrtpCipher&& other) noexcept;
  SrtpCipher& operator=(SrtpCipher&& other) noexcept;
  SrtpCipher(const SrtpCipher&) = delete;
  SrtpCipher& operator=(const SrtpCipher&) = delete;
  ~SrtpCipher();

  SrtpProfile profile() const { return profile_; }
  std::size_t tagSize() const { return profile_ == SrtpProfile::AeadAes128Gcm ? kGcmTagSize : kCmTagSize; }
  std::size_t rtcpTrailerSize() const { return tagSize() + kIndexWordSize; }

  // SRTP. packet = header (headerSize bytes, with CSRCs and extension: authenticated, not
  // encrypted) then payload (encrypted in place). index = ROC * 2^16 + SEQ (48 bits). seal
  // writes tagSize() bytes at tag; open checks the tag first and decrypts only if it matches.
  bool sealRtp(std::span<std::uint8_t> packet, std::size_t headerSize, std::uint32_t ssrc,
               std::uint64_t index, std::uint8_t* tag);
  bool openRtp(std::span<std::uint8_t> packet, std::size_t headerSize, std::uint32_t ssrc,
               std::uint64_t index, const std::uint8_t* tag);

  // SRTCP. packet = the RTCP compound packet (8 header bytes stay clear, the rest is
  // encrypted); the trailer is rtcpTrailerSize() bytes: E flag + index then tag for AES-CM
  // (RFC 3711 §3.4), tag then E flag + index for GCM (RFC 7714 §9.1). seal writes it with
  // the E flag set; open reads index and E flag from it (readIndexWord) and refuses E = 0.
  bool sealRtcp(std::span<std::uint8_t> packet, std::uint32_t ssrc, std::uint32_t srtcpIndex,
                std::uint8_t* trailer);
  bool openRtcp(std::span<std::uint8_t> packet, std::uint32_t ssrc, const std::uint8_t* trailer);
  std::uint32_t readIndexWord(const std::uint8_t* trailer) const;

 private:
  struct CipherCtxFree {
    void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
  };
  using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

  SrtpCipher(SrtpProfile profile, CipherCtx ctx);
  void setAuthKey(std::span<const std::uint8_t> authKey);
  // HMAC-SHA1(auth key, a || b), all 20 bytes.
  void hmac(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b, std::uint8_t* out) const;
  bool ctr(const std::array<std::uint8_t, 16>& iv, std::span<std::uint8_t> data);
  bool gcm(bool encrypt, const std::array<std::uint8_t, 12>& iv, std::span<const std::uint8_t> aad1,
           std::span<const std::uint8_t> aad2, std::span<std::uint8_t> data, std::uint8_t* tag);
  std::array<std::uint8_t, 16> cmIv(std::uint32_t ssrc, std::uint64_t index) const;

  SrtpProfile profile_;
  CipherCtx ctx_;
  std::array<std::uint8_t, kCmSaltSize> salt_{};
  SHA_CTX inner_{};  // SHA-1 after (key XOR ipad), AES-CM only
  SHA_CTX outer_{};  // SHA-1 after (key XOR opad)
};

}  // namespace ocellus::proto::webrtc
