#include "proto/webrtc/SrtpKeyDerivation.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <memory>

namespace ocellus::proto::webrtc {

namespace {

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};

constexpr std::size_t kAesKeySize = 16;
constexpr std::size_t kMaxMasterSalt = 14;  // RFC 3711 §8.2: n_s = 112 bits

}  // namespace

bool deriveSrtpKey(std::span<const std::uint8_t> masterKey, std::span<const std::uint8_t> masterSalt,
                   SrtpKeyLabel label, std::span<std::uint8_t> out) {
  if (masterKey.size() != kAesKeySize || masterSalt.size() > kMaxMasterSalt) return false;
  // RFC 3711 §4.3.1: key_id = label || r with r = index DIV kdr = 0 (48 bits), so
  // x = key_id XOR master_salt only flips the byte 7 octets from the salt's right end; the
  // counter-mode IV is x * 2^16. A 12-byte salt is left-aligned and zero-padded to 14 bytes.
  std::array<std::uint8_t, 16> iv{};
  std::copy(masterSalt.begin(), masterSalt.end(), iv.begin());
  iv[7] ^= static_cast<std::uint8_t>(label);

  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_ctr(), nullptr, masterKey.data(), iv.data()) != 1) {
    return false;
  }
  std::fill(out.begin(), out.end(), std::uint8_t{0});
  // The keystream is the output: encrypt zeros in place, in chunks that fit an int.
  constexpr std::size_t kChunk = 1 << 20;
  for (std::size_t at = 0; at < out.size(); at += kChunk) {
    const int n = static_cast<int>(std::min(kChunk, out.size() - at));
    int written = 0;
    if (EVP_EncryptUpdate(ctx.get(), out.data() + at, &written, out.data() + at, n) != 1 || written != n) {
      OPENSSL_cleanse(out.data(), out.size());
      return false;
    }
  }
  return true;
}

}  // namespace ocellus::proto::webrtc
