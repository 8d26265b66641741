#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Clock.h"
#include "base/Result.h"
#include "proto/rtsp/Digest.h"

namespace ocellus::proto::rtsp {

// The server side of RTSP authentication (RFC 2326 §D, RFC 2617, RFC 7616): the challenges
// of a 401 and the check of an Authorization header. Stateless: a nonce carries its issue
// time and an HMAC-SHA-256 of it under the server secret, so any connection (or any server
// sharing the secret) can check it, and it expires. Const and thread-safe after construction.
class ServerAuth {
 public:
  struct Options {
    std::string realm = "ocellus";
    std::chrono::seconds nonceLifetime{600};
    bool allowBasic = true;            // Basic sends the password in clear: off unless over TLS
    std::vector<std::uint8_t> secret;  // nonce HMAC key; empty: 32 random bytes
  };
  // How verify() checks what a client sent; both are called during verify() only.
  struct Credentials {
    // Basic: the principal that this user name and password prove (the user name, or the
    // identity an API token used as the password stands for), nullopt when they are wrong.
    std::function<std::optional<std::string>(std::string_view user, std::string_view password)> basic;
    // Digest: H(username:realm:password) in lower-case hex for this algorithm, nullopt for an
    // unknown user. The principal is the user name.
    std::function<std::optional<std::string>(std::string_view user, DigestAlgorithm algorithm)> digestHa1;
  };
  // Credentials from a username -> plaintext password lookup (config users, tests).
  using PasswordLookup = std::function<std::optional<std::string>(std::string_view username)>;
  Credentials plaintext(PasswordLookup lookup) const;

  explicit ServerAuth(Options options);

  // The WWW-Authenticate values of a 401, one header each, in this order: Digest SHA-256 with
  // qop="auth" (RFC 7616 §3.3 requires qop), Digest MD5 without qop (RFC 2069 clients), Basic.
  // Clients that keep the last Digest challenge they understand (ffmpeg, live555) pick MD5;
  // those that pick the strongest pick SHA-256. `stale` marks a retry with a fresh nonce.
  std::vector<std::string> challenges(base::WallTime now, bool stale = false) const;

  // Checks an Authorization value for a request's method and URI; the principal if it passes.
  // Unauthorized: malformed, unknown scheme, wrong realm or URI, unknown user, wrong password.
  // Timeout: the password is right but the nonce expired or is not ours: answer 401 with
  // challenges(now, true) so the client retries without asking its user again.
  // The Digest uri parameter must be the request URI, give or take a trailing '/'.
  base::Result<std::string> verify(std::string_view authorization, std::string_view method,
                                   std::string_view uri, const Credentials& credentials,
                                   base::WallTime now) const;

 private:
  std::string makeNonce(std::int64_t issuedAt) const;
  bool nonceFresh(std::string_view nonce, base::WallTime now) const;

  Options options_;
};

}  // namespace ocellus::proto::rtsp
