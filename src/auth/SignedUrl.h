#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/JwtKeySet.h"
#include "base/Result.h"

namespace ocellus::auth {

// URLs that carry their own short-lived authorization (recording downloads, HLS playlists):
//   <path>?expires=<unix seconds>&sig=<base64url(HMAC-SHA256(key, path "\n" expires))>
// The path is signed exactly as given: sign and verify must see the same form (the decoded
// path of the request target). Keys rotate like the JWT keys: the first key signs, every key
// verifies. Immutable after construction, so safe to share between threads.
class SignedUrl {
 public:
  static constexpr std::size_t kMaxQueryLength = 4096;
  static constexpr std::size_t kMaxPathLength = 4096;

  // keys[0] signs; must not be empty.
  explicit SignedUrl(std::vector<std::vector<std::uint8_t>> keys);
  // Keys derived from the JWT keys (HMAC(secret, "ocellus signed-url v1")): one secret file,
  // separate keys per use, and rotating the JWT keys rotates these too.
  static SignedUrl fromJwtKeys(const JwtKeySet& keys);

  // "expires=<expiresUnix>&sig=<…>", to append after '?'.
  std::string sign(std::string_view path, std::int64_t expiresUnix) const;

  // `query` is the raw query (without '?'); other parameters are ignored, a repeated
  // "expires" or "sig" is refused. Unauthorized: missing, malformed or wrong signature;
  // Timeout: the signature is right but `nowUnix` is past `expires`; TooLarge: over the limits.
  base::Status verifyQuery(std::string_view path, std::string_view query, std::int64_t nowUnix) const;
  base::Status verify(std::string_view path, std::string_view expires, std::string_view sig,
                      std::int64_t nowUnix) const;

 private:
  std::string signature(const std::vector<std::uint8_t>& key, std::string_view path,
                        std::string_view expires) const;

  std::vector<std::vector<std::uint8_t>> keys_;
};

}  // namespace ocellus::auth
