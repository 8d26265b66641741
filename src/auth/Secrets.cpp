#include "auth/Secrets.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <cstdlib>
#include <mutex>

#include "base/Base64.h"
#include "base/ByteReader.h"

namespace ocellus::auth {

void ensureSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();
  });
}

std::vector<std::uint8_t> randomBytes(std::size_t n) {
  ensureSodium();
  std::vector<std::uint8_t> out(n);
  if (n > 0) randombytes_buf(out.data(), n);
  return out;
}

std::string randomToken(std::size_t bytes) {
  auto raw = randomBytes(bytes);
  std::string out = base::base64UrlEncode(raw);
  sodium_memzero(raw.data(), raw.size());
  return out;
}

std::string randomHexString(std::size_t bytes) {
  return toHex(randomBytes(bytes));
}

std::string randomPassword(std::size_t length) {
  static constexpr std::string_view kChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  ensureSodium();
  std::string out;
  out.reserve(length);
  for (std::size_t i = 0; i < length; ++i) {
    // randombytes_uniform rejects the biased tail itself.
    out += kChars[randombytes_uniform(static_cast<std::uint32_t>(kChars.size()))];
  }
  return out;
}

std::string toHex(std::span<const std::uint8_t> data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 2);
  for (std::uint8_t b : data) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

Sha256Digest sha256(std::span<const std::uint8_t> data) {
  ensureSodium();
  Sha256Digest out{};
  crypto_hash_sha256(out.data(), data.data(), data.size());
  return out;
}

std::string sha256Hex(std::string_view text) {
  return toHex(sha256(base::asBytes(text)));
}

std::string md5Hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  // EVP_Digest fails only if the provider has no MD5 (a FIPS-only build): nothing can work then.
  if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_md5(), nullptr) != 1) std::abort();
  return toHex(std::span<const std::uint8_t>(digest, length));
}

Sha256Digest hmacSha256(std::span<const std::uint8_t> key, std::string_view message) {
  ensureSodium();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key.data(), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  Sha256Digest out{};
  crypto_auth_hmacsha256_final(&state, out.data());
  sodium_memzero(&state, sizeof state);
  return out;
}

bool constantTimeEquals(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  ensureSodium();
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  return constantTimeEquals(base::asBytes(a), base::asBytes(b));
}

}  // namespace ocellus::auth
