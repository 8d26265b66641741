#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ocellus::auth {

// One HS256 signing key and its id, carried in the JWS header's "kid" (RFC 7515 §4.1.4).
struct JwtKey {
  std::string kid;                   // 16 lowercase hex digits
  std::vector<std::uint8_t> secret;  // at least kMinSecretBytes

  static constexpr std::size_t kSecretBytes = 32;
  static constexpr std::size_t kMinSecretBytes = 32;

  // A fresh key: 32 random bytes and a random kid.
  static JwtKey generate();
  bool operator==(const JwtKey&) const = default;
};

// The keys in force at one moment: tokens are signed with `current`; a token signed with
// `previous` (the key before the last rotation) still verifies until it expires. A plain
// value, safe to copy and to use from any thread.
struct JwtKeySet {
  JwtKey current;
  std::optional<JwtKey> previous;

  // The key named by kid, or nullptr. The pointer lives as long as this set.
  const JwtKey* find(std::string_view kid) const;
};

}  // namespace ocellus::auth
