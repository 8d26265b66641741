#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace ocellus::auth {

// Time-limited TURN credentials of the TURN REST API (draft-uberti-behave-turn-rest-00, what
// coturn checks with use-auth-secret): the username is "<expiry unix time>:<user>" and the
// password base64(HMAC-SHA1(shared secret, username)), so the TURN server verifies them without
// asking us and refuses them after the expiry.
struct TurnCredential {
  std::string username;
  std::string password;

  static TurnCredential make(std::string_view sharedSecret, std::string_view user, std::int64_t expiresAtUnixSeconds);
};

}  // namespace ocellus::auth
