#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Result.h"

namespace ocellus::proto::rtsp {

struct AuthParam {
  std::string name;
  std::string value;  // unescaped
  // Written as a quoted-string; false only for a bare token (RFC 7616 wants qop, nc and
  // algorithm bare). A bare value that is not a token (a nonce with '/') parses as quoted.
  bool quoted = true;

  bool operator==(const AuthParam&) const = default;
};

// A challenge (WWW-Authenticate, RFC 7235 §4.1) or credentials (Authorization, §4.2):
// "<scheme> <token68>" or "<scheme> name=value, name="quoted value", ...".
struct AuthHeader {
  static constexpr std::size_t kMaxItems = 64;  // schemes plus parameters in one header value

  std::string scheme;
  std::string token68;  // Basic credentials
  std::vector<AuthParam> params;

  bool is(std::string_view schemeName) const;                          // case-insensitive
  std::optional<std::string_view> param(std::string_view name) const;  // case-insensitive name

  // Every challenge in one header value: a server may list several in one field
  // ("Digest realm=..., Basic realm=...") or send several fields (parse each).
  static base::Result<std::vector<AuthHeader>> parseList(std::string_view value);
  // Exactly one scheme (an Authorization value).
  static base::Result<AuthHeader> parse(std::string_view value);
  // Parameters are quoted when `quoted` is set or their value is not a token.
  std::string toString() const;

  bool operator==(const AuthHeader&) const = default;
};

}  // namespace ocellus::proto::rtsp
