#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// Cryptographic helpers: randomness, SHA-256, HMAC-SHA256 and comparison over libsodium; MD5
// over OpenSSL (RTSP Digest needs it, libsodium has none). Every function is thread-safe and
// initializes libsodium on first use.
namespace ocellus::auth {

using Sha256Digest = std::array<std::uint8_t, 32>;

// Runs sodium_init() once per process. Aborts if libsodium cannot start (no entropy source):
// nothing in this layer is safe without it.
void ensureSodium();

// n bytes from the OS CSPRNG.
std::vector<std::uint8_t> randomBytes(std::size_t n);
// `bytes` random bytes as unpadded base64url: 32 bytes give 43 characters.
std::string randomToken(std::size_t bytes = 32);
// `bytes` random bytes as 2*bytes lowercase hex digits.
std::string randomHexString(std::size_t bytes);
// `length` characters drawn uniformly from [A-Za-z0-9] (rejection sampling, no modulo bias).
std::string randomPassword(std::size_t length);

std::string toHex(std::span<const std::uint8_t> data);

Sha256Digest sha256(std::span<const std::uint8_t> data);
std::string sha256Hex(std::string_view text);
std::string md5Hex(std::string_view text);
// HMAC-SHA256 (RFC 2104) with a key of any length.
Sha256Digest hmacSha256(std::span<const std::uint8_t> key, std::string_view message);

// Compares in time that depends only on the lengths (which are public: digests, fixed-size
// encodings). Different lengths compare unequal.
bool constantTimeEquals(std::string_view a, std::string_view b);
bool constantTimeEquals(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

}  // namespace ocellus::auth
