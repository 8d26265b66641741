// SHA1_Init/Update/Final are deprecated in OpenSSL 3.0 but, unlike EVP_MAC and EVP_MD_CTX_copy,
// do not allocate per packet (SrtpCipher.h).
#define OPENSSL_SUPPRESS_DEPRECATED

#include "proto/webrtc/SrtpCipher.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <utility>

#include "proto/webrtc/SrtpKeyDerivation.h"

namespace ocellus::proto::webrtc {

namespace {

constexpr std::size_t kRtcpHeaderSize = 8;  // RFC 3711 §3.4: the first 8 octets are not encrypted
constexpr std::size_t kShaBlock = 64;

void putBe32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}

std::uint32_t getBe32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

bool isGcm(SrtpProfile profile) {
  return profile == SrtpProfile::AeadAes128Gcm;
}

}  // namespace

std::optional<SrtpCipher> SrtpCipher::derive(SrtpProfile profile, std::span<const std::uint8_t> masterKey,
                                             std::span<const std::uint8_t> masterSalt, bool rtcp) {
  if (masterKey.size() != srtpKeySize(profile) || masterSalt.size() != srtpSaltSize(profile))
    return std::nullopt;
  const auto label = [rtcp](SrtpKeyLabel rtpLabel) {
    return static_cast<SrtpKeyLabel>(static_cast<std::uint8_t>(rtpLabel) + (rtcp ? 3 : 0));
  };
  std::array<std::uint8_t, kKeySize> key{};
  std::array<std::uint8_t, kCmSaltSize> salt{};
  std::array<std::uint8_t, kAuthKeySize> auth{};
  const std::size_t saltSize = isGcm(profile) ? kGcmSaltSize : kCmSaltSize;
  const bool ok =
      deriveSrtpKey(masterKey, masterSalt, label(SrtpKeyLabel::RtpEncryption), key) &&
      deriveSrtpKey(masterKey, masterSalt, label(SrtpKeyLabel::RtpSalt), std::span(salt).first(saltSize)) &&
      (isGcm(profile) || deriveSrtpKey(masterKey, masterSalt, label(SrtpKeyLabel::RtpAuthentication), auth));
  std::optional<SrtpCipher> cipher;
  if (ok) {
    cipher = fromSessionKeys(
        profile, key, std::span(salt).first(saltSize),
        isGcm(profile) ? std::span<const std::uint8_t>() : std::span<const std::uint8_t>(auth));
  }
  OPENSSL_cleanse(key.data(), key.size());
  OPENSSL_cleanse(salt.data(), salt.size());
  OPENSSL_cleanse(auth.data(), auth.size());
  return cipher;
}

std::optional<SrtpCipher> SrtpCipher::fromSessionKeys(SrtpProfile profile, std::span<const std::uint8_t> key,
                                                      std::span<const std::uint8_t> salt,
                                                      std::span<const std::uint8_t> authKey) {
  const bool gcm = isGcm(profile);
  if (key.size() != kKeySize || salt.size() != (gcm ? kGcmSaltSize : kCmSaltSize) ||
      (!gcm && authKey.size() != kAuthKeySize)) {
    return std::nullopt;
  }
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  // Keyed once here; the IV is set per packet. GCM's IV is 12 bytes, its default.
  if (!ctx || EVP_CipherInit_ex(ctx.get(), gcm ? EVP_aes_128_gcm() : EVP_aes_128_ctr(), nullptr, key.data(),
                                nullptr, 1) != 1) {
    return std::nullopt;
  }
  SrtpCipher cipher(profile, std::move(ctx));
  std::copy(salt.begin(), salt.end(), cipher.salt_.begin());
  if (!gcm) cipher.setAuthKey(authKey);
  return cipher;
}

SrtpCipher::SrtpCipher(SrtpProfile profile, CipherCtx ctx) : profile_(profile), ctx_(std::move(ctx)) {}

SrtpCipher::SrtpCipher(SrtpCipher&& other) noexcept
    : profile_(other.profile_),
      ctx_(std::move(other.ctx_)),
      salt_(other.salt_),
      inner_(other.inner_),
      outer_(other.outer_) {
  OPENSSL_cleanse(other.salt_.data(), other.salt_.size());
  OPENSSL_cleanse(&other.inner_, sizeof other.inner_);
  OPENSSL_cleanse(&other.outer_, sizeof other.outer_);
}

SrtpCipher& SrtpCipher::operator=(SrtpCipher&& other) noexcept {
  if (this != &other) {
    profile_ = other.profile_;
    ctx_ = std::move(other.ctx_);
    salt_ = other.salt_;
    inner_ = other.inner_;
    outer_ = other.outer_;
    OPENSSL_cleanse(other.salt_.data(), other.salt_.size());
    OPENSSL_cleanse(&other.inner_, sizeof other.inner_);
    OPENSSL_cleanse(&other.outer_, sizeof other.outer_);
  }
  return *this;
}

SrtpCipher::~SrtpCipher() {
  OPENSSL_cleanse(salt_.data(), salt_.size());
  OPENSSL_cleanse(&inner_, sizeof inner_);
  OPENSSL_cleanse(&outer_, sizeof outer_);
}

void SrtpCipher::setAuthKey(std::span<const std::uint8_t> authKey) {
  // RFC 2104: H(K XOR opad, H(K XOR ipad, text)); the key (20 bytes) is shorter than a block.
  std::array<std::uint8_t, kShaBlock> pad{};
  pad.fill(0x36);
  for (std::size_t i = 0; i < authKey.size(); ++i) pad[i] ^= authKey[i];
  SHA1_Init(&inner_);
  SHA1_Update(&inner_, pad.data(), pad.size());
  pad.fill(0x5c);
  for (std::size_t i = 0; i < authKey.size(); ++i) pad[i] ^= authKey[i];
  SHA1_Init(&outer_);
  SHA1_Update(&outer_, pad.data(), pad.size());
  OPENSSL_cleanse(pad.data(), pad.size());
}

void SrtpCipher::hmac(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b,
                      std::uint8_t* out) const {
  SHA_CTX sha = inner_;
  SHA1_Update(&sha, a.data(), a.size());
  SHA1_Update(&sha, b.data(), b.size());
  std::uint8_t innerDigest[SHA_DIGEST_LENGTH];
  SHA1_Final(innerDigest, &sha);
  sha = outer_;
  SHA1_Update(&sha, innerDigest, sizeof innerDigest);
  SHA1_Final(out, &sha);
}

bool SrtpCipher::ctr(const std::array<std::uint8_t, 16>& iv, std::span<std::uint8_t> data) {
  int written = 0;
  return EVP_CipherInit_ex(ctx_.get(), nullptr, nullptr, nullptr, iv.data(), 1) == 1 &&
         EVP_EncryptUpdate(ctx_.get(), data.data(), &written, data.data(), static_cast<int>(data.size())) ==
             1 &&
         static_cast<std::size_t>(written) == data.size();
}

bool SrtpCipher::gcm(bool encrypt, const std::array<std::uint8_t, 12>& iv, std::span<const std::uint8_t> aad1,
                     std::span<const std::uint8_t> aad2, std::span<std::uint8_t> data, std::uint8_t* tag) {
  EVP_CIPHER_CTX* ctx = ctx_.get();
  int n = 0;
  if (EVP_CipherInit_ex(ctx, nullptr, nullptr, nullptr, iv.data(), encrypt ? 1 : 0) != 1) return false;
  // Associated data first (a null output says so), then the payload in place.
  if (!aad1.empty() && EVP_CipherUpdate(ctx, nullptr, &n, aad1.data(), static_cast<int>(aad1.size())) != 1)
    return false;
  if (!aad2.empty() && EVP_CipherUpdate(ctx, nullptr, &n, aad2.data(), static_cast<int>(aad2.size())) != 1)
    return false;
  if (!data.empty() &&
      EVP_CipherUpdate(ctx, data.data(), &n, data.data(), static_cast<int>(data.size())) != 1) {
    return false;
  }
  if (encrypt) {
    return EVP_CipherFinal_ex(ctx, data.data() + data.size(), &n) == 1 &&
           EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagSize), tag) == 1;
  }
  return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagSize), tag) == 1 &&
         EVP_CipherFinal_ex(ctx, data.data() + data.size(), &n) == 1;
}

std::array<std::uint8_t, 16> SrtpCipher::cmIv(std::uint32_t ssrc, std::uint64_t index) const {
  // RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16).
  std::array<std::uint8_t, 16> iv{};
  std::copy(salt_.begin(), salt_.end(), iv.begin());
  iv[4] ^= static_cast<std::uint8_t>(ssrc >> 24);
  iv[5] ^= static_cast<std::uint8_t>(ssrc >> 16);
  iv[6] ^= static_cast<std::uint8_t>(ssrc >> 8);
  iv[7] ^= static_cast<std::uint8_t>(ssrc);
  for (int i = 0; i < 6; ++i) iv[8 + i] ^= static_cast<std::uint8_t>(index >> (40 - 8 * i));
  return iv;
}

namespace {

// RFC 7714 §8.1 (SRTP) and §9.1 (SRTCP): the 12-byte IV is the salt XOR
// 00 00 || SSRC || ROC || SEQ, or 00 00 || SSRC || 00 00 || 0 + SRTCP index: in both the last
// six bytes are the 48-bit packet index (ROC * 2^16 + SEQ) or the SRTCP index.
std::array<std::uint8_t, 12> gcmIv(std::span<const std::uint8_t> salt, std::uint32_t ssrc,
                                   std::uint64_t index) {
  std::array<std::uint8_t, 12> iv{};
  putBe32(iv.data() + 2, ssrc);
  for (int i = 0; i < 6; ++i) iv[6 + i] = static_cast<std::uint8_t>(index >> (40 - 8 * i));
  for (std::size_t i = 0; i < iv.size(); ++i) iv[i] ^= salt[i];
  return iv;
}

}  // namespace

bool SrtpCipher::sealRtp(std::span<std::uint8_t> packet, std::size_t headerSize, std::uint32_t ssrc,
                         std::uint64_t index, std::uint8_t* tag) {
  const auto header = packet.first(headerSize);
  const auto payload = packet.subspan(headerSize);
  if (isGcm(profile_)) {
    return gcm(true, gcmIv(std::span(salt_).first(kGcmSaltSize), ssrc, index), header, {}, payload, tag);
  }
  if (!ctr(cmIv(ssrc, index), payload)) return false;
  // RFC 3711 §4.2: the tag covers the authenticated portion (header and encrypted payload) || ROC.
  std::uint8_t roc[4];
  putBe32(roc, static_cast<std::uint32_t>(index >> 16));
  std::uint8_t mac[SHA_DIGEST_LENGTH];
  hmac(packet, roc, mac);
  std::copy_n(mac, kCmTagSize, tag);
  return true;
}

bool SrtpCipher::openRtp(std::span<std::uint8_t> packet, std::size_t headerSize, std::uint32_t ssrc,
                         std::uint64_t index, const std::uint8_t* tag) {
  const auto header = packet.first(headerSize);
  const auto payload = packet.subspan(headerSize);
  if (isGcm(profile_)) {
    std::array<std::uint8_t, kGcmTagSize> expected;  // EVP_CTRL_GCM_SET_TAG wants a mutable pointer
    std::copy_n(tag, expected.size(), expected.begin());
    return gcm(false, gcmIv(std::span(salt_).first(kGcmSaltSize), ssrc, index), header, {}, payload,
               expected.data());
  }
  std::uint8_t roc[4];
  putBe32(roc, static_cast<std::uint32_t>(index >> 16));
  std::uint8_t mac[SHA_DIGEST_LENGTH];
  hmac(packet, roc, mac);
  if (CRYPTO_memcmp(mac, tag, kCmTagSize) != 0) return false;
  return ctr(cmIv(ssrc, index), payload);
}

bool SrtpCipher::sealRtcp(std::span<std::uint8_t> packet, std::uint32_t ssrc, std::uint32_t srtcpIndex,
                          std::uint8_t* trailer) {
  if (packet.size() < kRtcpHeaderSize || srtcpIndex > kMaxSrtcpIndex) return false;
  const auto header = packet.first(kRtcpHeaderSize);
  const auto body = packet.subspan(kRtcpHeaderSize);
  const std::uint32_t word = kEncryptedFlag | srtcpIndex;
  if (isGcm(profile_)) {
    // RFC 7714 §9.1: AAD = header || E + index; the tag, then E + index, follow the ciphertext.
    std::uint8_t* indexWord = trailer + kGcmTagSize;
    putBe32(indexWord, word);
    return gcm(true, gcmIv(std::span(salt_).first(kGcmSaltSize), ssrc, srtcpIndex), header,
               std::span<const std::uint8_t>(indexWord, kIndexWordSize), body, trailer);
  }
  // RFC 3711 §3.4: E + index follow the ciphertext and are authenticated; the tag comes last.
  if (!ctr(cmIv(ssrc, srtcpIndex), body)) return false;
  putBe32(trailer, word);
  std::uint8_t mac[SHA_DIGEST_LENGTH];
  hmac(packet, std::span<const std::uint8_t>(trailer, kIndexWordSize), mac);
  std::copy_n(mac, kCmTagSize, trailer + kIndexWordSize);
  return true;
}

std::uint32_t SrtpCipher::readIndexWord(const std::uint8_t* trailer) const {
  return getBe32(isGcm(profile_) ? trailer + kGcmTagSize : trailer);
}

bool SrtpCipher::openRtcp(std::span<std::uint8_t> packet, std::uint32_t ssrc, const std::uint8_t* trailer) {
  const std::uint32_t word = readIndexWord(trailer);
  // Our policy encrypts SRTCP both ways: a packet saying it is not encrypted (E = 0) is refused.
  if (packet.size() < kRtcpHeaderSize || (word & kEncryptedFlag) == 0) return false;
  const std::uint32_t index = word & kMaxSrtcpIndex;
  const auto header = packet.first(kRtcpHeaderSize);
  const auto body = packet.subspan(kRtcpHeaderSize);
  if (isGcm(profile_)) {
    std::array<std::uint8_t, kGcmTagSize> expected;  // EVP_CTRL_GCM_SET_TAG wants a mutable pointer
    std::copy_n(trailer, expected.size(), expected.begin());
    return gcm(false, gcmIv(std::span(salt_).first(kGcmSaltSize), ssrc, index), header,
               std::span<const std::uint8_t>(trailer + kGcmTagSize, kIndexWordSize), body, expected.data());
  }
  std::uint8_t mac[SHA_DIGEST_LENGTH];
  hmac(packet, std::span<const std::uint8_t>(trailer, kIndexWordSize), mac);
  if (CRYPTO_memcmp(mac, trailer + kIndexWordSize, kCmTagSize) != 0) return false;
  return ctr(cmIv(ssrc, index), body);
}

}  // namespace ocellus::proto::webrtc
