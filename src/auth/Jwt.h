#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/JwtKeySet.h"
#include "base/Result.h"

namespace ocellus::auth {

// The claims of an Ocellus access token (RFC 7519 §4.1 names).
struct JwtClaims {
  std::int64_t userId = 0;     // "sub", written as a decimal string (StringOrURI)
  std::string username;        // "name"
  std::string role;            // "role"
  std::int64_t issuedAt = 0;   // "iat", Unix seconds
  std::int64_t expiresAt = 0;  // "exp", Unix seconds
  std::string jwtId;           // "jti"

  bool operator==(const JwtClaims&) const = default;
};

// JWS compact serialization with HS256 only (RFC 7515 §7.1, RFC 7518 §3.2):
//   BASE64URL(header) "." BASE64URL(payload) "." BASE64URL(HMAC-SHA256(key, first two parts))
// header = {"alg":"HS256","typ":"JWT","kid":"<key id>"}.
//
// verify() parses untrusted input: bounded by kMaxTokenLength, never throws, never reads past
// the token. It accepts only "alg":"HS256" — "none", RS256 (the key-confusion attack) and any
// other value are refused — requires a known "kid", checks the MAC in constant time before
// it reads the payload, and refuses unknown header members ("crit", "jku", "jwk", …).
class Jwt {
 public:
  static constexpr std::size_t kMaxTokenLength = 4096;
  // A token may claim to be issued this far in the future (clocks of a cluster disagree).
  static constexpr std::int64_t kMaxClockSkewSeconds = 60;

  static std::string encode(const JwtClaims& claims, const JwtKey& key);

  // The claims of a valid token at `nowSeconds` (Unix). Errors:
  //   Timeout       the token is well formed and correctly signed but expired (exp <= now);
  //                 the caller answers "expired" rather than "invalid";
  //   TooLarge      longer than kMaxTokenLength;
  //   Unauthorized  anything else: malformed, wrong alg, unknown kid, bad signature, bad claims.
  static base::Result<JwtClaims> verify(std::string_view token, const JwtKeySet& keys,
                                        std::int64_t nowSeconds);
};

}  // namespace ocellus::auth
