#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/Result.h"
#include "proto/rtsp/Digest.h"

namespace ocellus::proto::rtsp {

// The client side of RTSP authentication: answers the challenges of a 401 with an
// Authorization value for each following request (RFC 2617, RFC 7616, Basic per RFC 7617).
// On a new 401 (stale=true, or another nonce), make a new ClientAuth from its challenges.
class ClientAuth {
 public:
  // Picks the strongest challenge it can answer among the WWW-Authenticate values of a 401:
  // Digest SHA-256, then Digest MD5, then Basic. Digest with a qop list that lacks "auth"
  // (auth-int only) or a "-sess" algorithm is skipped; malformed values are skipped.
  // Unsupported when nothing is left.
  static base::Result<ClientAuth> fromChallenges(std::span<const std::string_view> wwwAuthenticate,
                                                 std::string username, std::string password);

  // The Authorization value for a request. Digest with qop=auth counts requests in nc and
  // draws a fresh cnonce each time; without qop it is the RFC 2069 form.
  std::string authorization(std::string_view method, std::string_view uri);

  bool isDigest() const { return algorithm_.has_value(); }
  std::optional<DigestAlgorithm> algorithm() const { return algorithm_; }

 private:
  ClientAuth() = default;

  std::string username_;
  std::string password_;
  std::optional<DigestAlgorithm> algorithm_;  // nullopt: Basic
  std::string realm_;
  std::string nonce_;
  std::optional<std::string> opaque_;
  bool qopAuth_ = false;
  std::uint32_t nonceCount_ = 0;
};

}  // namespace ocellus::proto::rtsp
