#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ocellus::auth {

// The text form of an API token, shown once at creation:
//   "oc_" <id> "_" <secret>      e.g. oc_tok_3f9a0c12be47_Zk1…(43 base64url characters)
// <id> = "tok_" + 12 lowercase hex digits: public, the row's key, and the username for RTSP
// Digest and Basic auth. <secret> = 32 random bytes as base64url; only its SHA-256 is stored.
// parse() takes untrusted text: bounded, never throws; the views point into that text.
struct ApiTokenString {
  static constexpr std::string_view kPrefix = "oc_";
  static constexpr std::string_view kIdPrefix = "tok_";
  static constexpr std::size_t kIdHexDigits = 12;
  static constexpr std::size_t kIdLength = 4 + kIdHexDigits;
  static constexpr std::size_t kMinSecretLength = 32;
  static constexpr std::size_t kMaxSecretLength = 128;
  static constexpr std::size_t kSecretBytes = 32;

  std::string_view id;
  std::string_view secret;

  static std::optional<ApiTokenString> parse(std::string_view text);
  // Starts like an API token (then it is one or it is invalid; never a JWT or a password).
  static bool looksLikeToken(std::string_view text) { return text.substr(0, kPrefix.size()) == kPrefix; }
  static bool isTokenId(std::string_view text);
  static bool isSecret(std::string_view text);
  static std::string format(std::string_view id, std::string_view secret);
  static std::string newId();
  static std::string newSecret();
};

}  // namespace ocellus::auth
